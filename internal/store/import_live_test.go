package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// pausing is a voucher source of n rent vouchers of one collective, dated
// over 2025, that stops before its voucher pauseAt until resume is closed
// (paused is closed when it stops), and turns voucher bad into one with an
// unknown account.
type pausing struct {
	cid            int64
	n, i           int
	pauseAt, bad   int
	paused, resume chan struct{}
}

func newPausing(cid int64, n, pauseAt int) *pausing {
	return &pausing{cid: cid, n: n, pauseAt: pauseAt, bad: -1, paused: make(chan struct{}), resume: make(chan struct{})}
}

func (s *pausing) Next() (*ledger.Voucher, error) {
	if s.i == s.pauseAt {
		close(s.paused)
		<-s.resume
	}
	if s.i >= s.n {
		return nil, io.EOF
	}
	s.i++
	amount := fmt.Sprintf("%d.%02d", 100+s.i, s.i%100)
	v := V(s.cid, fmt.Sprintf("2025-%02d-%02d", 1+s.i%12, 1+s.i%28), rent(amount)...)
	if s.i-1 == s.bad {
		v.Lines[1].Account = "59999"
	}
	return v, nil
}

func (s *pausing) Locate(v *ledger.Voucher, err error) error {
	return fmt.Errorf("voucher %d: %w", s.i, err)
}

// importAsync runs an import of src in a goroutine; the channel gives its
// outcome.
type importOutcome struct {
	res *store.ImportResult
	err error
}

func importAsync(db *store.DB, by jiti.UserID, src store.VoucherSource) <-chan importOutcome {
	out := make(chan importOutcome, 1)
	go func() {
		res, err := db.Import(bg, by, src, store.ImportFile{Name: "凭证.csv", SHA256: "ab12"})
		out <- importOutcome{res, err}
	}()
	return out
}

// waitJob waits until the running import has told its row it read at
// least n vouchers (its heartbeat writes every second what it read up to
// its last 256th voucher), and returns it.
func waitJob(t testing.TB, db *store.DB, n int) store.ImportJob {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		jobs, err := db.RunningImports(bg)
		ok(t, err)
		if len(jobs) > 0 && jobs[0].Vouchers >= n {
			return jobs[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("running imports = %+v, want one that read %d vouchers", jobs, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestImport_Staged: while an import is half way, the books show none of
// its vouchers (not in lists, counts, by id or to approve), other writes
// to the same collective go on at once, and its job shows who imports
// what into which collective and how far it has got; when it ends, every
// voucher is a draft at once.
func TestImport_Staged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		const n = 5000
		before := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`)
		src := newPausing(f.A.ID, n, 4500)
		done := importAsync(db, f.Accountant, src)
		<-src.paused
		job := waitJob(t, db, 4500-256)
		if job.UserName != "代理会计" || job.CollectiveName != f.A.Name || job.FileName != "凭证.csv" || job.State != store.JobRunning ||
			job.Collectives != 1 {
			t.Fatalf("job = %+v", job)
		}
		if db.Engine() == "sqlite" {
			// Two batches were written, each in a transaction of its own.
			if got := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE status = 'staged'`); got != 2*2000 {
				t.Fatalf("%d vouchers staged, want 4000", got)
			}
		}
		_, total, err := db.FindVoucherHeads(bg, store.VoucherFilter{CollectiveID: f.A.ID})
		ok(t, err)
		if total != 0 {
			t.Fatalf("the list shows %d vouchers of a running import", total)
		}
		if db.Engine() == "sqlite" {
			var staged int64
			ok(t, db.QueryRaw(bg, `SELECT MIN(id) FROM vouchers WHERE status = 'staged'`, func(r *sql.Rows) error { return r.Scan(&staged) }))
			if _, err := db.FindVoucher(bg, staged); !errors.Is(err, jiti.ErrNotFound) {
				t.Fatalf("staged voucher %d by id: err = %v, want not found", staged, err)
			}
		}
		start := time.Now()
		mine := create(t, f, f.A.ID, "2025-06-01", rent("1")...)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("a voucher of the same collective took %v to save beside the import", d)
		}
		approvedN, _, err := db.ApproveVouchers(bg, f.Approver, f.A.ID, P("2025-01"), P("2025-12"))
		ok(t, err)
		if approvedN != 1 {
			t.Fatalf("approved %d drafts beside a running import, want only the one made meanwhile", approvedN)
		}
		close(src.resume)
		out := <-done
		ok(t, out.err)
		if out.res.Vouchers != n || len(out.res.Imports) != 1 || out.res.Imports[0].Vouchers != n {
			t.Fatalf("result = %+v", out.res)
		}
		if db.Engine() == "sqlite" && out.res.Batches != 3 {
			t.Fatalf("%d batches, want 3 (2000, 2000, 1000)", out.res.Batches)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE collective_id = %d AND status = 'draft' AND maker_id = %d`,
			f.A.ID, f.Accountant); got != n {
			t.Fatalf("%d drafts after the import, want %d", got, n)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`); got != before+n+1 {
			t.Fatalf("%d vouchers, want %d", got, before+n+1)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id WHERE v.status = 'draft'`); got != 2*n {
			t.Fatalf("%d lines of drafts, want %d", got, 2*n)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE status = 'staged'`) + storetest.Count(t, db, `SELECT COUNT(*) FROM import_stages`); got != 0 {
			t.Fatalf("%d staged rows left", got)
		}
		end, err := db.FindImportJob(bg, out.res.Job)
		ok(t, err)
		if end.State != store.JobDone || end.Vouchers != n || end.Lines != 2*n || end.FinishedAt.IsZero() {
			t.Fatalf("job after = %+v", end)
		}
		if jobs, err := db.RunningImports(bg); err != nil || len(jobs) != 0 {
			t.Fatalf("running imports after = %+v, %v", jobs, err)
		}
		got, err := db.FindVoucher(bg, mine.ID)
		ok(t, err)
		if got.Status != ledger.Approved {
			t.Fatalf("the voucher made meanwhile is %s", got.Status)
		}
	})
}

// TestImport_RefusedLeavesNothing: an import refused after batches were
// written leaves no row of them.
func TestImport_RefusedLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		before := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`)
		lines := storetest.Count(t, db, `SELECT COUNT(*) FROM voucher_lines`)
		src := newPausing(f.A.ID, 4600, -1)
		src.bad = 4500
		res, err := db.Import(bg, f.Accountant, src, store.ImportFile{Name: "坏.csv"})
		wantErr(t, err, store.ErrImportInvalid, "-")
		if len(res.Errors) != 1 || !errors.Is(res.Errors[0], ledger.ErrAccountUnknown) {
			t.Fatalf("errors = %v", res.Errors)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`); got != before {
			t.Fatalf("%d vouchers after a refused import, want %d", got, before)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM voucher_lines`); got != lines {
			t.Fatalf("%d lines after a refused import, want %d", got, lines)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM import_stages`); got != 0 {
			t.Fatalf("%d stages left", got)
		}
		job, err := db.FindImportJob(bg, res.Job)
		ok(t, err)
		if job.State != store.JobRefused || job.Errors != 1 {
			t.Fatalf("job = %+v", job)
		}
	})
}

// TestImport_BooksChanged: a month closed while an import of vouchers in
// it is half way refuses the import at its end, naming the month;
// nothing is imported.
func TestImport_BooksChanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		before := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`)
		src := newPausing(f.A.ID, 3000, 2500)
		done := importAsync(db, f.Accountant, src)
		<-src.paused
		ok(t, db.ClosePeriod(bg, f.Accountant, f.A.ID, P("2025-01")))
		close(src.resume)
		out := <-done
		wantErr(t, out.err, store.ErrBooksChanged, "-")
		if !errors.Is(out.err, ledger.ErrPeriodClosed) {
			t.Fatalf("err = %v, want the month closed named", out.err)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`); got != before {
			t.Fatalf("%d vouchers, want %d", got, before)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM imports`); got != 0 {
			t.Fatalf("%d import records", got)
		}
	})
}

// TestImport_Interrupted: an import whose job was taken for dead (and
// ended) by another process stops at its next heartbeat and leaves
// nothing.
func TestImport_Interrupted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		before := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`)
		src := newPausing(f.A.ID, 3000, 2500)
		done := importAsync(db, f.Accountant, src)
		<-src.paused
		job := waitJob(t, db, 2500-256)
		ok(t, db.ExecRaw(bg, `UPDATE import_jobs SET state = 'failed' WHERE id = ?`, job.ID))
		time.Sleep(1500 * time.Millisecond) // a heartbeat finds it
		close(src.resume)
		out := <-done
		wantErr(t, out.err, store.ErrImportInterrupted, "-")
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`); got != before {
			t.Fatalf("%d vouchers, want %d", got, before)
		}
	})
}

// TestRecoverImports: the staged batches of an import whose process ended
// (its heartbeat stopped) are removed by the next import, and its job is
// marked failed; a running import's are left alone.
func TestRecoverImports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		before := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`)
		old := storetest.Now.Add(-time.Hour).UnixMilli()
		fresh := storetest.Now.UnixMilli()
		for i, beat := range []int64{old, fresh} {
			job := int64(900 + i)
			first := int64(100000 + 10*i)
			ok(t, db.ExecRaw(bg, `INSERT INTO import_jobs (id, user_id, file_name, state, started_at, heartbeat_at) VALUES (?, ?, 'x.csv', 'running', ?, ?)`,
				job, int64(f.Accountant), beat, beat))
			for id := first; id < first+3; id++ {
				ok(t, db.ExecRaw(bg, `INSERT INTO vouchers (id, collective_id, period, date, status, kind, maker_id, created_at)
VALUES (?, ?, 202503, '2025-03-01', 'staged', 'normal', ?, '2025-12-31T10:00:00Z')`, id, f.A.ID, int64(f.Accountant)))
				ok(t, db.ExecRaw(bg, `INSERT INTO voucher_lines (voucher_id, line_no, collective_id, account_code, summary, debit, credit)
VALUES (?, 1, ?, '10201', 'x', 100, 0)`, id, f.A.ID))
			}
			ok(t, db.ExecRaw(bg, `INSERT INTO import_stages (job_id, first_id, last_id) VALUES (?, ?, ?)`, job, first, first+2))
		}
		ended, err := db.RecoverImports(bg)
		ok(t, err)
		if ended != 1 {
			t.Fatalf("ended %d jobs, want the stale one", ended)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers`); got != before+3 {
			t.Fatalf("%d vouchers, want the running job's 3 left", got-before)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM voucher_lines WHERE voucher_id BETWEEN 100000 AND 100002`); got != 0 {
			t.Fatalf("%d lines of the stale job left", got)
		}
		stale, err := db.FindImportJob(bg, 900)
		ok(t, err)
		if stale.State != store.JobFailed {
			t.Fatalf("stale job = %+v", stale)
		}
		if jobs, _ := db.RunningImports(bg); len(jobs) != 1 || jobs[0].ID != 901 {
			t.Fatalf("running = %+v", jobs)
		}
	})
}

// TestBusy_NamesImport: on SQLite, a write that does not get the write
// lock within its wait answers at once with ErrBusy (kind Unavailable),
// naming the running import when there is one, whether the lock is held
// by another process or by a long transaction of the same handle.
func TestBusy_NamesImport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jiti.db")
	db, err := store.Open(bg, path, store.Options{Migrate: true})
	ok(t, err)
	defer db.Close()
	db.Now = func() time.Time { return storetest.Now }
	db.LockWait = 300 * time.Millisecond
	f := storetest.Seed(t, db)
	other, err := sql.Open("sqlite", "file:"+path)
	ok(t, err)
	defer other.Close()
	conn, err := other.Conn(bg)
	ok(t, err)
	defer conn.Close()

	write := func() (error, time.Duration) {
		start := time.Now()
		_, err := db.CreateVoucher(bg, f.Accountant, V(f.A.ID, "2025-03-01", rent("5")...))
		return err, time.Since(start)
	}
	_, err = conn.ExecContext(bg, `BEGIN IMMEDIATE`)
	ok(t, err)
	err, took := write()
	if !errors.Is(err, store.ErrBusy) || jiti.KindOf(err) != jiti.Unavailable {
		t.Fatalf("write beside a held lock: err = %v (%v), want ErrBusy", err, jiti.KindOf(err))
	}
	if took < 300*time.Millisecond || took > 2*time.Second {
		t.Fatalf("the busy answer took %v, want about the wait of 300ms", took)
	}
	_, err = conn.ExecContext(bg, `ROLLBACK`)
	ok(t, err)

	job, err := db.CreateImportJob(bg, f.Accountant, store.ImportFile{Name: "全年凭证.csv", Size: 1000}, f.A.ID)
	ok(t, err)
	ok(t, db.ExecRaw(bg, `UPDATE import_jobs SET rows_read = 1234, bytes_read = 450 WHERE id = ?`, job))
	_, err = conn.ExecContext(bg, `BEGIN IMMEDIATE`)
	ok(t, err)
	err, _ = write()
	var je *jiti.Error
	if !errors.As(err, &je) || !errors.Is(err, store.ErrBusyImportPct) ||
		!slices.Equal(je.Args, []any{"代理会计", f.A.Name, "全年凭证.csv", 1234, 45}) {
		t.Fatalf("write beside an import: err = %#v, want ErrBusyImportPct naming it", err)
	}
	_, err = conn.ExecContext(bg, `ROLLBACK`)
	ok(t, err)
	// The same handle: a transaction holding the write connection past the
	// wait of the next one.
	hold := make(chan struct{})
	held := make(chan struct{})
	go store.HoldWrite(db, func() { close(held); <-hold })
	<-held
	err, took = write()
	close(hold)
	if !errors.Is(err, store.ErrBusyImportPct) || took > 2*time.Second {
		t.Fatalf("write behind a long transaction of the same handle: err = %v after %v", err, took)
	}
	if _, err := db.CreateVoucher(bg, f.Accountant, V(f.A.ID, "2025-03-01", rent("5")...)); err != nil {
		t.Fatalf("write once the lock is free: %v", err)
	}
}

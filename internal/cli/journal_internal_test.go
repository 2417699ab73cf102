package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestJournalExport_Chunks checks the journal export, which reads chunks
// of vouchers on several connections at once and writes them in order,
// against writing the same posted vouchers one by one: byte for byte the
// same journal, on both engines, for a month of more vouchers than a
// chunk holds, lines with sub-ledger fields, red ink and text that needs
// escaping, and two collectives; and the journal checks clean.
func TestJournalExport_Chunks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := storetest.Seed(t, db)
		var vs []*ledger.Voucher
		line := storetest.Line
		for i := range store.JournalChunkSize + 203 {
			amount := fmt.Sprintf("%d.%02d", 100+i, i%100)
			v := storetest.Voucher(f.A.ID, fmt.Sprintf("2025-03-%02d", 1+i%28),
				line(fmt.Sprintf("收租金%d", i), "10201", amount), line(fmt.Sprintf("收租金%d", i), "50101", "-"+amount))
			switch i % 5 {
			case 1:
				v.Lines[0].Counterparty, v.Lines[1].Household = "会宁县某商贸公司, 分店", "H001"
			case 2:
				v.Note, v.Attachments = "附件见档案;第2册", 3
			case 3:
				v.Lines[0].Summary = "冲销 上月多记;\n租金 "
			}
			vs = append(vs, v)
		}
		for _, d := range []string{"2025-01-10", "2025-05-20", "2025-12-31"} {
			vs = append(vs, storetest.Voucher(f.A.ID, d, line("服务费", "10201", "50"), line("服务费", "50102", "-50")),
				storetest.Voucher(f.B.ID, d, line("服务费", "10201", "70"), line("服务费", "50102", "-70")))
		}
		ids := f.PostMany(t, vs)
		// Red ink: reversals of two vouchers, in April and May.
		for i, d := range []string{"2025-04-02", "2025-05-21"} {
			r, err := db.ReverseVoucher(ctx, f.Accountant, ids[3+5*i], jiti.MustDate(d))
			if err != nil {
				t.Fatal(err)
			}
			if err := db.ApproveVoucher(ctx, f.Approver, r.ID); err != nil {
				t.Fatal(err)
			}
			r, err = db.PostVoucher(ctx, f.Accountant, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			vs = append(vs, r)
		}
		cs := []jiti.Collective{f.A, f.B}

		// The export in chunks of the usual size (March's vouchers in
		// two, the other months together) and of seven (the months
		// apart, March in many).
		export := func(chunk int) string {
			var got bytes.Buffer
			x := &journalExport{ctx: ctx, db: db, month: (&env{}).monthRange, chunk: chunk}
			n, err := x.write(&got, cs)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(vs) || x.lines != 2*len(vs) {
				t.Fatalf("exported %d vouchers and %d lines in chunks of %d, want %d and %d", n, x.lines, chunk, len(vs), 2*len(vs))
			}
			return got.String()
		}
		got := bytes.NewBufferString(export(0))
		if small := export(7); small != got.String() {
			t.Fatal("the export in chunks of seven vouchers differs from the one in the usual chunks")
		}

		var want bytes.Buffer
		hw := report.NewHledgerWriter(&want)
		for i := range cs {
			c := &cs[i]
			accounts, err := db.Accounts(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			hw.Begin(c, accounts)
			hw.Opening(c, c.BooksOpenedOn, nil)
			posted, _, err := db.FindVouchers(ctx, store.VoucherFilter{CollectiveID: c.ID, Status: ledger.Posted, Limit: -1})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range posted {
				hw.Voucher(c, v)
			}
		}
		if err := hw.Close(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			g, w := strings.Split(got.String(), "\n"), strings.Split(want.String(), "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Fatalf("line %d of %d (want %d):\n got %s\nwant %s", i+1, len(g), len(w), g[i], w[i])
				}
			}
			t.Fatalf("the export has %d lines, writing the vouchers one by one %d", len(g), len(w))
		}
		for _, want := range []string{"kind:reversal", "; dr:-103.03, cr:0.00, summary:冲销：冲销 上月多记%3B%0A租金\n", "summary:冲销 上月多记%3B%0A租金", "counterparty:会宁县某商贸公司%2C 分店"} {
			if !strings.Contains(got.String(), want) {
				t.Errorf("the journal lacks %q", want)
			}
		}
		check, err := report.CheckJournal(got)
		if err != nil {
			t.Fatal(err)
		}
		if !check.OK() || check.Vouchers != len(vs) || check.Collectives != 2 {
			t.Fatalf("the journal does not check clean: %d vouchers, %d collectives, %+v", check.Vouchers, check.Collectives, check.Problems)
		}
	})
}

// TestJournalExport_Streams checks that the export streams: while the
// output takes nothing, it reads only a few chunks ahead of it, not the
// whole journal, and once the output takes again it writes the rest.
func TestJournalExport_Streams(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := storetest.Seed(t, db)
		// Twelve months of 60 vouchers for each collective, read in
		// chunks of 60: 24 chunks of about 30 KB of journal each.
		var vs []*ledger.Voucher
		for _, c := range []jiti.Collective{f.A, f.B} {
			for m := 1; m <= 12; m++ {
				for i := range 60 {
					d := fmt.Sprintf("2025-%02d-%02d", m, 1+i%28)
					vs = append(vs, storetest.Voucher(c.ID, d, storetest.Line("收租金", "10201", "100"), storetest.Line("收租金", "50101", "-100")))
				}
			}
		}
		f.PostMany(t, vs)

		var reads atomic.Int32
		x := &journalExport{ctx: ctx, db: db, month: (&env{}).monthRange, chunk: 60,
			read: func(ctx context.Context, ch store.JournalChunk, buf []*ledger.Voucher) ([]*ledger.Voucher, error) {
				reads.Add(1)
				return db.JournalVouchers(ctx, ch, buf)
			}}
		out := &stalledWriter{release: make(chan struct{}), stalled: make(chan struct{})}
		type result struct {
			n   int
			err error
		}
		done := make(chan result, 1)
		go func() {
			n, err := x.write(out, []jiti.Collective{f.A, f.B})
			done <- result{n, err}
		}()
		select {
		case <-out.stalled:
		case r := <-done:
			t.Fatalf("the export ended (%d vouchers, %v) before writing anything out", r.n, r.err)
		}
		// Let the readers run ahead as far as they will.
		last := reads.Load()
		for {
			time.Sleep(200 * time.Millisecond)
			if k := reads.Load(); k != last {
				last = k
				continue
			}
			break
		}
		// Pieces waiting to be written (2 a reader), one a reader holds,
		// one the writer holds and the few its buffer held before the
		// first write.
		if bound := int32(3*journalReaders() + 4); last > bound {
			t.Fatalf("the export read %d of 24 chunks while its output took nothing; at most %d may wait", last, bound)
		}
		close(out.release)
		r := <-done
		if r.err != nil || r.n != len(vs) || reads.Load() != 24 {
			t.Fatalf("exported %d vouchers (%v) in %d reads, want %d in 24", r.n, r.err, reads.Load(), len(vs))
		}
		if got := strings.Count(out.buf.String(), "收租金  ; voucher:"); got != len(vs) {
			t.Fatalf("the journal holds %d vouchers, want %d", got, len(vs))
		}
	})
}

// stalledWriter takes nothing until release is closed, and says so on
// stalled at its first write.
type stalledWriter struct {
	buf      bytes.Buffer
	release  chan struct{}
	stalled  chan struct{}
	signaled bool
}

func (w *stalledWriter) Write(b []byte) (int, error) {
	if !w.signaled {
		w.signaled = true
		close(w.stalled)
	}
	<-w.release
	return w.buf.Write(b)
}

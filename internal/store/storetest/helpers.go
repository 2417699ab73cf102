package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
)

// Voucher returns a voucher of collective cid dated date (YYYY-MM-DD) with
// the given lines, ready for CreateVoucher or an import.
func Voucher(cid int64, date string, lines ...ledger.Line) *ledger.Voucher {
	return &ledger.Voucher{CollectiveID: cid, Date: jiti.MustDate(date), Lines: append([]ledger.Line(nil), lines...)}
}

// SliceSource is a store.VoucherSource over a slice, for imports in tests.
// Errs[i], when set, is returned by Next in place of Vouchers[i], as a source
// reports a row it cannot read. Locate wraps a validation error in a
// *LocatedError naming the voucher's index and records the call.
type SliceSource struct {
	Vouchers []*ledger.Voucher
	Errs     map[int]error

	next    int
	index   map[*ledger.Voucher]int
	Located []int // indexes of the vouchers Locate was called for, in order
}

// NewSliceSource returns a source yielding vs in order.
func NewSliceSource(vs ...*ledger.Voucher) *SliceSource {
	return &SliceSource{Vouchers: vs}
}

// Next returns the next voucher, its input error, or io.EOF.
func (s *SliceSource) Next() (*ledger.Voucher, error) {
	if s.index == nil {
		s.index = map[*ledger.Voucher]int{}
	}
	if s.next >= len(s.Vouchers) {
		return nil, io.EOF
	}
	i := s.next
	s.next++
	if err := s.Errs[i]; err != nil {
		return nil, &LocatedError{Index: i, Err: err}
	}
	s.index[s.Vouchers[i]] = i
	return s.Vouchers[i], nil
}

// Locate adds the voucher's index to err.
func (s *SliceSource) Locate(v *ledger.Voucher, err error) error {
	i, ok := s.index[v]
	if !ok {
		i = -1
	}
	s.Located = append(s.Located, i)
	return &LocatedError{Index: i, Err: err}
}

// LocatedError is an import error with the index of its voucher in a
// SliceSource.
type LocatedError struct {
	Index int
	Err   error
}

func (e *LocatedError) Error() string { return fmt.Sprintf("voucher %d: %v", e.Index, e.Err) }

// Unwrap returns the validation error.
func (e *LocatedError) Unwrap() error { return e.Err }

// PostMany imports vouchers as drafts made by the accountant, approves them
// with the approver and posts them in date order with PostVouchers, collective
// by collective: the fast way to fill the books. It returns the imported
// vouchers' ids in input order.
func (f *Fixture) PostMany(t testing.TB, vs []*ledger.Voucher) []int64 {
	t.Helper()
	ctx := context.Background()
	if len(vs) == 0 {
		return nil
	}
	res, err := f.DB.ImportVouchers(ctx, f.Accountant, NewSliceSource(vs...), "test")
	if err != nil {
		t.Fatalf("import: %v (%v)", err, res.Errors)
	}
	ids := make([]int64, len(vs))
	type span struct{ from, to jiti.Period }
	spans := map[int64]*span{}
	var order []int64
	for i, v := range vs {
		ids[i] = v.ID
		s := spans[v.CollectiveID]
		if s == nil {
			s = &span{v.Period, v.Period}
			spans[v.CollectiveID] = s
			order = append(order, v.CollectiveID)
		}
		s.from, s.to = min(s.from, v.Period), max(s.to, v.Period)
	}
	for _, cid := range order {
		s := spans[cid]
		if _, _, err := f.DB.ApproveVouchers(ctx, f.Approver, cid, s.from, s.to); err != nil {
			t.Fatalf("approve: %v", err)
		}
		if _, err := f.DB.PostVouchers(ctx, f.Accountant, cid, s.from, s.to); err != nil {
			t.Fatalf("post: %v", err)
		}
	}
	return ids
}

// AddCollective adds a village under the fixture's township (region code
// 620422100 followed by three digits, such as "203") with its collective,
// books opened on 2025-01-01, the accountant's detail accounts 10201, 50101
// and 50102 and households H001 and H002, as Seed gives A and B.
func (f *Fixture) AddCollective(t testing.TB, village, name string) jiti.Collective {
	t.Helper()
	ctx := context.Background()
	code := "620422100" + village
	r, err := jiti.NewRegion(code, name+"村")
	must(t, err)
	_, err = f.DB.CreateRegion(ctx, f.Admin, r)
	must(t, err)
	c, err := f.DB.CreateCollective(ctx, f.Admin, jiti.Collective{Name: name + "村股份经济合作社", RegionCode: code,
		Level: jiti.LevelVillage, BooksOpenedOn: jiti.MustDate("2025-01-01")})
	must(t, err)
	for _, a := range [][2]string{{"10201", "农商银行基本户"}, {"50101", "租赁收入"}, {"50102", "服务收入"}} {
		_, err := f.DB.CreateAccount(ctx, f.Accountant, c.ID, a[0], a[1])
		must(t, err)
	}
	must(t, f.DB.CreateHouseholds(ctx, f.Accountant, c.ID, []store.Household{{Code: "H001", Name: "张三"}, {Code: "H002", Name: "李四"}}))
	return c
}

// AddUser creates a user with the given role and scope region, by the
// fixture's administrator.
func (f *Fixture) AddUser(t testing.TB, name string, role jiti.Role, scopeRegion string) jiti.UserID {
	t.Helper()
	u, err := f.DB.CreateUser(context.Background(), f.Admin, jiti.User{Name: name, Role: role, ScopeRegion: scopeRegion})
	must(t, err)
	return u.ID
}

// Raw is a second connection pool to the database behind a store.DB,
// outside the store, for tests that must hold locks while the store works.
type Raw struct {
	*sql.DB
	Postgres bool
}

// EachRaw is Each for tests that need a Raw connection beside the store:
// it runs f on a fresh SQLite database and a fresh PostgreSQL database (when
// configured), as subtests "sqlite" and "postgres".
func EachRaw(t *testing.T, f func(t *testing.T, db *store.DB, raw *Raw)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "jiti.db")
		db, err := store.Open(context.Background(), path, store.Options{Migrate: true})
		if err != nil {
			t.Fatalf("open sqlite: %v", err)
		}
		db.Now = func() time.Time { return Now }
		t.Cleanup(func() { db.Close() })
		raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		f(t, db, &Raw{DB: raw})
	})
	t.Run("postgres", func(t *testing.T) {
		base := PostgresURL(t)
		if base == "" {
			t.Skip("JITI_TEST_POSTGRES not set: skipping PostgreSQL")
		}
		ctx := context.Background()
		tmplOnce.Do(func() { tmplName, tmplErr = makeTemplate(ctx, base) })
		if tmplErr != nil {
			t.Fatalf("postgres template: %v", tmplErr)
		}
		name := fmt.Sprintf("jiti_t%d_%d", os.Getpid(), dbSeq.Add(1))
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+tmplName); err != nil {
			t.Fatalf("create database: %v", err)
		}
		dsn := withDatabase(base, name)
		db, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatalf("open postgres: %v", err)
		}
		db.Now = func() time.Time { return Now }
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			raw.Close()
			db.Close()
			if a, err := sql.Open("pgx", base); err == nil {
				a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
				a.Close()
			}
		})
		f(t, db, &Raw{DB: raw, Postgres: true})
	})
}

// Block makes every store write that reaches the audit log wait until
// release is called: on PostgreSQL it holds an EXCLUSIVE lock on
// audit_events, so a write transaction runs up to its audit event and waits
// there holding its row locks; on SQLite it holds the write lock, so write
// transactions wait at BEGIN.
func (r *Raw) Block(t testing.TB) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := r.Conn(ctx)
	must(t, err)
	if r.Postgres {
		_, err = conn.ExecContext(ctx, `BEGIN`)
		if err == nil {
			_, err = conn.ExecContext(ctx, `LOCK TABLE audit_events IN EXCLUSIVE MODE`)
		}
	} else {
		_, err = conn.ExecContext(ctx, `BEGIN IMMEDIATE`)
	}
	must(t, err)
	done := false
	return func() {
		if done {
			return
		}
		done = true
		if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
			t.Errorf("release block: %v", err)
		}
		conn.Close()
	}
}

// WaitBlocked waits until n transactions of the store wait for a lock: on
// PostgreSQL it watches pg_locks; on SQLite, where a waiting writer cannot be
// seen, it waits a moment.
func (r *Raw) WaitBlocked(t testing.TB, n int) {
	t.Helper()
	if !r.Postgres {
		time.Sleep(500 * time.Millisecond)
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		err := r.QueryRow(`SELECT COUNT(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE NOT l.granted AND a.datname = current_database()`).Scan(&waiting)
		must(t, err)
		if waiting >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d transactions wait for a lock, want %d", waiting, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

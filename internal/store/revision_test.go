package store_test

import (
	"context"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestRevisionKeptUntilCommit checks that a region's revision is summed
// once and kept while nothing is committed, and that a commit by another
// process (a second handle on the same database) moves the commit mark,
// so the figures read next show it at once.
func TestRevisionKeptUntilCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := storetest.Seed(t, db)
		f.Post(t, f.A.ID, "2025-03-05", storetest.Line("租金", "10201", "1200"), storetest.Line("租金", "50101", "-1200"))
		income := func() jiti.Amount {
			t.Helper()
			v, err := db.ViewAs(ctx, f.Admin)
			ok(t, err)
			roll, err := v.Stats(ctx, "620422", 2025)
			ok(t, err)
			return jiti.Amount(roll.Line(report.KeyTotalIncome).Sum)
		}
		// PostgreSQL's mark is the cluster's snapshot, which a commit to
		// any database of the cluster moves (tests of other packages
		// share it): the check is made at a quiet moment, when the mark
		// did not move around it. SQLite's is the database's own, which
		// nothing else writes to, so its first moment must be quiet.
		var m2 string
		for try := 0; ; try++ {
			m1, err := store.CommitMark(db)
			ok(t, err)
			if got := income(); got != A("1200") {
				t.Fatalf("total income %s, want 1200", got)
			}
			kept, err := store.KeptRevision(db, "620422")
			ok(t, err)
			m2, err = store.CommitMark(db)
			ok(t, err)
			if m1 == m2 {
				if !kept {
					t.Fatal("the county's revision is summed again though nothing was committed")
				}
				break
			}
			if db.Engine() != "postgres" || try == 50 {
				t.Fatalf("the commit mark moved without a commit: %q, %q", m1, m2)
			}
			time.Sleep(20 * time.Millisecond)
		}

		other, err := store.Open(ctx, store.DSN(db), store.Options{Key: storetest.Key})
		ok(t, err)
		defer other.Close()
		other.Now = db.Now
		v, err := other.CreateVoucher(ctx, f.Accountant, &ledger.Voucher{CollectiveID: f.B.ID, Date: D("2025-04-01"),
			Lines: []ledger.Line{storetest.Line("服务费", "10201", "300"), storetest.Line("服务费", "50102", "-300")}})
		ok(t, err)
		ok(t, other.ApproveVoucher(ctx, f.Approver, v.ID))
		_, err = other.PostVoucher(ctx, f.Accountant, v.ID)
		ok(t, err)

		m3, err := store.CommitMark(db)
		ok(t, err)
		if m3 == m2 {
			t.Fatal("a commit by another process left the commit mark where it was")
		}
		if got := income(); got != A("1500") {
			t.Fatalf("after another process posted, total income %s, want 1500", got)
		}
	})
}

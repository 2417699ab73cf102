package store_test

import (
	"context"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestStatMonths checks the monthly trend against postings made by hand,
// its sum against the year's roll-up, and that a posting after both were
// read (and cached) shows at once in both, as does a reversal.
func TestStatMonths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := storetest.Seed(t, db)
		// Read through a View, whose figures are cached by revision: every
		// check after a posting shows whether the cache knew. A View is
		// one request's, reading each region's revision once, so each
		// check takes a new one, as each page does.
		f.Post(t, f.A.ID, "2025-03-05", storetest.Line("租金", "10201", "1200"), storetest.Line("租金", "50101", "-1200"))
		f.Post(t, f.B.ID, "2025-03-20", storetest.Line("服务费", "10201", "300.50"), storetest.Line("服务费", "50102", "-300.50"))
		v := f.Post(t, f.A.ID, "2025-07-01", storetest.Line("租金", "10201", "99"), storetest.Line("租金", "50101", "-99"))
		f.Post(t, f.A.ID, "2026-01-10", storetest.Line("次年租金", "10201", "5000"), storetest.Line("次年租金", "50101", "-5000"))
		month := func(m *store.StatMonths, i int) jiti.Amount {
			return m.Values[i][m.Layout.KeyIndex(report.KeyTotalIncome)]
		}
		check := func(want map[int]string) {
			t.Helper()
			view, err := db.ViewAs(ctx, f.Admin)
			ok(t, err)
			m, err := view.StatMonths(ctx, "620422100", 2025)
			ok(t, err)
			var sum jiti.Amount
			for i := range 12 {
				w := jiti.Amount(0)
				if s, found := want[i+1]; found {
					w = jiti.MustAmount(s)
				}
				if got := month(m, i); got != w {
					t.Errorf("month %d: total income %s, want %s", i+1, got, w)
				}
				sum += month(m, i)
			}
			roll, err := view.Stats(ctx, "620422100", 2025)
			ok(t, err)
			if l := roll.Line(report.KeyTotalIncome); jiti.Amount(l.Sum) != sum {
				t.Errorf("months sum to %s, the year's roll-up says %s", sum, jiti.Amount(l.Sum))
			}
		}
		check(map[int]string{3: "1500.50", 7: "99"})
		f.Post(t, f.B.ID, "2025-07-09", storetest.Line("租金", "10201", "1"), storetest.Line("租金", "50101", "-1"))
		check(map[int]string{3: "1500.50", 7: "100"})
		_, err := db.ReverseVoucher(ctx, f.Accountant, v.ID, jiti.MustDate("2025-08-01"))
		ok(t, err)
		check(map[int]string{3: "1500.50", 7: "100"}) // the reversal is a draft until posted
		vs, _, err := db.FindVouchers(ctx, store.VoucherFilter{CollectiveID: f.A.ID, Status: "draft"})
		ok(t, err)
		ok(t, db.ApproveVoucher(ctx, f.Approver, vs[0].ID))
		_, err = db.PostVoucher(ctx, f.Accountant, vs[0].ID)
		ok(t, err)
		check(map[int]string{3: "1500.50", 7: "100", 8: "-99"})
	})
}

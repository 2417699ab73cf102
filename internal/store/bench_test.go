package store_test

import (
	"context"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// benchApproved creates n approved four-line vouchers of collective cid.
func benchApproved(b *testing.B, f *storetest.Fixture, cid int64, n int) []int64 {
	b.Helper()
	ctx := context.Background()
	ids := make([]int64, 0, n)
	for i := 0; i < n; i++ {
		v, err := f.DB.CreateVoucher(ctx, f.Accountant, &ledger.Voucher{CollectiveID: cid, Date: jiti.MustDate("2025-06-15"),
			Lines: []ledger.Line{L("收租", "10201", "100.00"), L("收租", "50101", "-100.00"), L("电费", "513", "10.00"), L("电费", "101", "-10.00")}})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.DB.ApproveVoucher(ctx, f.Approver, v.ID); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	return ids
}

// BenchmarkPostVoucher posts approved four-line vouchers one at a time
// through the store, as an accountant clicking 记账 does.
func BenchmarkPostVoucher(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var db *store.DB
			if engine == "sqlite" {
				db = storetest.OpenSQLite(b)
			} else {
				db = storetest.OpenPostgres(b)
			}
			f := storetest.Seed(b, db)
			ids := benchApproved(b, f, f.A.ID, b.N)
			ctx := context.Background()
			b.ResetTimer()
			for _, id := range ids {
				if _, err := db.PostVoucher(ctx, f.Accountant, id); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vouchers/s")
		})
	}
}

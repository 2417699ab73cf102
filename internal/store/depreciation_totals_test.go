package store_test

import (
	"fmt"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// totalsAgree checks every asset's running depreciation totals against its
// history of months charged.
func totalsAgree(t testing.TB, db *store.DB) {
	t.Helper()
	for _, r := range storetest.Rows(t, db, `SELECT a.code, COALESCE(s.accumulated, 0), COALESCE(s.months, 0), COALESCE(s.last_period, 0),
  COALESCE(SUM(d.amount), 0), COUNT(d.asset_id), COALESCE(MAX(d.period), 0)
FROM assets a LEFT JOIN asset_dep_totals s ON s.asset_id = a.id LEFT JOIN asset_depreciation d ON d.asset_id = a.id
GROUP BY a.id, a.code, s.accumulated, s.months, s.last_period ORDER BY a.id`) {
		if r[1] != r[4] || r[2] != r[5] || r[3] != r[6] {
			t.Fatalf("asset %s: totals %s over %s months through %s, history %s over %s months through %s", r[0], r[1], r[2], r[3], r[4], r[5], r[6])
		}
	}
}

// openExisting opens a collective's books with the existing asset ZC-EY
// the tests register: cost 1,000, depreciated 980.
func openExisting(t testing.TB, f *storetest.Fixture, cid int64) {
	t.Helper()
	ok(t, f.DB.SetOpeningBalances(bg, f.Accountant, cid, []store.OpeningBalance{
		{Account: "151", Debit: A("1000")}, {Account: "152", Credit: A("980")}, {Account: "301", Credit: A("20")}}))
}

// TestDB_DepreciationTotals follows the running totals through month
// closes, a disposal that charges open months ahead of their close, and a
// month reopened and closed again; and shows that closing reads the totals,
// not the history.
func TestDB_DepreciationTotals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.Now = func() time.Time { return time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC) }
		f := storetest.Seed(t, db)
		cid := f.A.ID
		openExisting(t, f, cid)
		m := addAsset(t, f, asset(cid, "ZC-M", "2025-01-15", "12000", 120))
		d := addAsset(t, f, asset(cid, "ZC-D", "2025-01-15", "3600", 36))
		ey := addAsset(t, f, existing(cid, "ZC-EY", "2015-01-01", "1000", 120, "980", 118, register.InUse, "2015-01-01"))
		closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-03")
		totalsAgree(t, db)
		if acc := accumulated(t, db, m.ID); acc != A("200") {
			t.Fatalf("ZC-M accumulated %v after February and March, want 200", acc)
		}
		if acc := accumulated(t, db, ey.ID); acc != A("1000") {
			t.Fatalf("ZC-EY accumulated %v, want all of its 1000", acc)
		}

		// Disposed in June with April to June open: the disposal charges
		// them; closing them later charges nothing more.
		_, err := db.DisposeAsset(bg, f.Accountant, d.ID, store.Disposal{Date: D("2025-06-20"), Proceeds: A("3000"),
			ProceedsAccount: "10201", Reason: "出售"})
		ok(t, err)
		totalsAgree(t, db)
		if acc := accumulated(t, db, d.ID); acc != A("500") {
			t.Fatalf("ZC-D accumulated %v at its disposal, want five months of 100", acc)
		}
		closeMonths(t, db, f.Accountant, cid, "2025-04", "2025-06")
		totalsAgree(t, db)
		if n := depRows(t, db, d.ID, ""); n != 5 {
			t.Fatalf("ZC-D has %d months charged, want 5", n)
		}

		// Reopened and closed again: nothing charged twice.
		ok(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-06"), "补记凭证"))
		closeMonths(t, db, f.Accountant, cid, "2025-06", "2025-06")
		totalsAgree(t, db)
		if acc := accumulated(t, db, m.ID); acc != A("500") {
			t.Fatalf("ZC-M accumulated %v after five months, want 500", acc)
		}
		verifyClean(t, db, cid)

		// Closing reads the totals: with them saying ZC-M has 11,900
		// charged over 119 months, July takes what remains of its
		// depreciable 12,000, 100.00, though its history holds 500.
		ok(t, storetest.Exec(db, `UPDATE asset_dep_totals SET accumulated = ?, months = ? WHERE asset_id = ?`, int64(A("11900")), 119, m.ID))
		closeMonths(t, db, f.Accountant, cid, "2025-07", "2025-07")
		wantLines(t, closeVoucher(t, db, cid, "2025-07", "depreciation"), dr("513", "100", "ZC-M"), cr("152", "100", "ZC-M"))
		// Then fully depreciated by its totals, it is left out of August.
		closeMonths(t, db, f.Accountant, cid, "2025-08", "2025-08")
		if v := closeVoucher(t, db, cid, "2025-08", "depreciation"); v != nil {
			t.Fatalf("August charged %+v", v.Lines)
		}
		_, ps := problems(t, db, cid)
		if len(ps) == 0 || ps[0].Kind != "verify.depreciation_totals" {
			t.Fatalf("verify after the totals were changed: %+v", ps)
		}
	})
}

// TestDB_DepreciationTotalsMigrate takes a database with depreciation
// charged back to before the running totals (migration 10), migrates it
// again, and checks that the totals were computed from the history.
func TestDB_DepreciationTotalsMigrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.Now = func() time.Time { return time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC) }
		f := storetest.Seed(t, db)
		openExisting(t, f, f.A.ID)
		addAsset(t, f, asset(f.A.ID, "ZC-M", "2025-01-15", "12000", 120))
		addAsset(t, f, existing(f.A.ID, "ZC-EY", "2015-01-01", "1000", 120, "980", 118, register.InUse, "2015-01-01"))
		addAsset(t, f, asset(f.B.ID, "ZC-B", "2025-02-15", "1200", 12))
		closeMonths(t, db, f.Accountant, f.A.ID, "2025-01", "2025-05")
		closeMonths(t, db, f.Accountant, f.B.ID, "2025-01", "2025-04")
		want := storetest.Rows(t, db, `SELECT asset_id, accumulated, months, last_period FROM asset_dep_totals ORDER BY asset_id`)
		for _, q := range []string{
			`DROP TABLE asset_dep_totals`,
			`DELETE FROM schema_migrations WHERE version = 10`,
		} {
			ok(t, storetest.Exec(db, q))
		}
		applied, err := db.Migrate(bg)
		ok(t, err)
		if len(applied) == 0 || applied[0] != "0010_depreciation_totals" {
			t.Fatalf("applied %v", applied)
		}
		got := storetest.Rows(t, db, `SELECT asset_id, accumulated, months, last_period FROM asset_dep_totals ORDER BY asset_id`)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("totals after migrating %v, want %v", got, want)
		}
		if len(want) != 3 || fmt.Sprint(want[0][1:]) != "[40000 4 202505]" {
			t.Fatalf("ZC-M's totals %v, want 400.00 over four months through 2025-05", want[0])
		}
		totalsAgree(t, db)
		verifyClean(t, db, 0)
	})
}

// BenchmarkCloseMonthAfterYears closes a month of a collective of 200
// assets after one year of closed books and after ten: with running totals
// the two cost the same (the history is not read), where summing the
// history cost in proportion to the months closed.
//
//	go test -run XXX -bench CloseMonthAfterYears ./internal/store/
func BenchmarkCloseMonthAfterYears(b *testing.B) {
	const assets = 200
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, years := range []int{1, 10} {
			b.Run(fmt.Sprintf("%s/after%dy", engine, years), func(b *testing.B) {
				var db *store.DB
				if engine == "sqlite" {
					db = storetest.OpenSQLite(b)
				} else {
					db = storetest.OpenPostgres(b)
				}
				f := storetest.Seed(b, db)
				cid := f.A.ID
				// Closing is refused in the future: the clock stands after
				// every month the benchmark may close.
				db.Now = func() time.Time { return time.Date(2025+years+20, 1, 10, 9, 0, 0, 0, time.UTC) }
				ins := make([]store.AssetInput, assets)
				for i := range ins {
					ins[i] = store.AssetInput{Asset: asset(cid, fmt.Sprintf("ZC-%03d", i), "2025-01-05", "1000000", 1200), Credit: "10201"}
				}
				ok(b, db.CreateAssets(bg, f.Accountant, ins))
				for y := 2025; y < 2025+years; y++ {
					closeMonths(b, db, f.Accountant, cid, fmt.Sprintf("%d-01", y), fmt.Sprintf("%d-11", y))
					_, err := db.CloseYear(bg, f.Accountant, cid, y)
					ok(b, err)
				}
				p, last := jiti.NewPeriod(2025+years, time.January), jiti.Period(0)
				b.ResetTimer()
				for b.Loop() {
					if p.Month() == time.December {
						b.StopTimer()
						_, err := db.CloseYear(bg, f.Accountant, cid, p.Year())
						ok(b, err)
						p = p.Next()
						b.StartTimer()
					}
					if err := db.ClosePeriod(bg, f.Accountant, cid, p); err != nil {
						b.Fatal(err)
					}
					p, last = p.Next(), p
				}
				b.StopTimer()
				if n := storetest.Count(b, db, `SELECT COUNT(*) FROM asset_depreciation WHERE period = %d`, int(last)); n != assets {
					b.Fatalf("%d assets depreciated in the last month closed, want %d", n, assets)
				}
			})
		}
	}
}

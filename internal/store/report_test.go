package store_test

import (
	"reflect"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

func TestDB_TrialBalance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		f.Post(t, a, "2025-01-10", rent("100")...)
		f.Post(t, a, "2025-02-10", rent("250")...)
		f.Post(t, a, "2025-02-11", L("付电费", "513", "30"), L("付电费", "101", "-30"))
		t.Run("OK", func(t *testing.T) {
			tb := trialBalance(t, db, a, "2025-02", "2025-02")
			r := tb.Row("10201")
			if r.Opening() != A("100") || r.Debit != A("250") || r.Closing() != A("350") || r.YearDr != A("350") || r.Level != 2 {
				t.Fatalf("10201 = %+v", r)
			}
			if p := tb.Row("102"); p == nil || p.Closing() != A("350") || p.Level != 1 {
				t.Fatalf("102 = %+v", p)
			}
			if c := tb.Row("101"); c.ClosingCr != A("30") || c.ClosingDr != 0 {
				t.Fatalf("101 = %+v: a credit balance goes in the credit column", c)
			}
			if tb.Total.ClosingDr != A("380") || tb.Total.Debit != A("280") {
				t.Fatalf("total = %+v (first-level rows only)", tb.Total)
			}
			all, err := db.TrialBalance(bg, a, P("2025-02"), P("2025-02"), true)
			ok(t, err)
			as, _ := db.Accounts(bg, a)
			if len(all.Rows) != len(as) || all.Total != tb.Total {
				t.Fatalf("with all: %d rows for %d accounts", len(all.Rows), len(as))
			}
		})
		t.Run("ErrRange", func(t *testing.T) {
			_, err := db.TrialBalance(bg, a, P("2025-03"), P("2025-02"), false)
			wantErr(t, err, store.ErrPeriodRange, "to")
			_, err = db.TrialBalance(bg, a, jiti.Period(202513), P("2025-02"), false)
			wantErr(t, err, jiti.ErrPeriodSyntax, "from")
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := db.TrialBalance(bg, noVoucher, P("2025-01"), P("2025-02"), false)
			wantErr(t, err, jiti.ErrNotFound, "-")
			_, err = db.Verify(bg, noVoucher)
			wantErr(t, err, jiti.ErrNotFound, "-")
		})
	})
}

func TestDB_RegionTrialBalance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		// A village of another township.
		for _, r := range [][2]string{{"620422101", "郭城驿镇"}, {"620422101201", "红堡子村"}} {
			_, err := db.CreateRegion(bg, f.Admin, jiti.Region{Code: r[0], Name: r[1]})
			ok(t, err)
		}
		c, err := db.CreateCollective(bg, f.Admin, jiti.Collective{Name: "红堡子村股份经济合作社", RegionCode: "620422101201",
			Level: jiti.LevelVillage, BooksOpenedOn: D("2025-01-01")})
		ok(t, err)
		f.Post(t, f.A.ID, "2025-02-10", rent("100")...)
		f.Post(t, f.B.ID, "2025-02-10", L("借给张三", "101", "-40"), ledger.Line{Summary: "借给张三", Account: "113", Debit: A("40"), Household: "H001"})
		f.Post(t, f.B.ID, "2025-03-01", L("收服务费", "101", "15"), L("收服务费", "50102", "-15"))
		kj := f.AddUser(t, "gckuaiji", jiti.RoleAgencyAccountant, "620422101")
		v, err := db.CreateVoucher(bg, kj, V(c.ID, "2025-02-11", L("付电费", "513", "30"), L("付电费", "101", "-30")))
		ok(t, err)
		ok(t, db.ApproveVoucher(bg, f.Admin, v.ID))
		_, err = db.PostVoucher(bg, kj, v.ID)
		ok(t, err)
		t.Run("OK", func(t *testing.T) {
			for _, w := range []struct {
				region string
				n      int
				want   map[string]jiti.Amount // closing balances at the end of March
			}{
				{"620422", 3, map[string]jiti.Amount{"102": A("100"), "501": A("-115"), "101": A("-55"), "113": A("40"), "513": A("30")}},
				{"620422100", 2, map[string]jiti.Amount{"102": A("100"), "501": A("-115"), "101": A("-25"), "113": A("40")}},
				{"620422100201", 1, map[string]jiti.Amount{"102": A("100"), "501": A("-100")}},
				{"620423", 0, nil},
			} {
				tb, n, err := db.RegionTrialBalance(bg, w.region, P("2025-01"), P("2025-03"))
				ok(t, err)
				if n != w.n || !tb.Balanced() || len(tb.Rows) != len(w.want) {
					t.Fatalf("%s: %d collectives, rows %+v", w.region, n, tb.Rows)
				}
				for _, r := range tb.Rows {
					if r.Level != 1 || r.Closing() != w.want[r.Code] {
						t.Errorf("%s: %s = %+v, want closing %v", w.region, r.Code, r, w.want[r.Code])
					}
				}
			}
			tb, _, err := db.RegionTrialBalance(bg, "620422100", P("2025-03"), P("2025-03"))
			ok(t, err)
			if r := tb.Row("101"); r.Opening() != A("-40") || r.Debit != A("15") || r.YearDr != A("15") || r.YearCr != A("40") {
				t.Fatalf("101 in March = %+v", r)
			}
		})
		t.Run("ErrRange", func(t *testing.T) {
			_, _, err := db.RegionTrialBalance(bg, "620422", P("2025-03"), P("2025-01"))
			wantErr(t, err, store.ErrPeriodRange, "to")
		})
	})
}

func TestDB_BalanceSheet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		t.Run("ErrPeriod", func(t *testing.T) {
			_, err := db.BalanceSheet(bg, f.A.ID, jiti.Period(202500))
			wantErr(t, err, jiti.ErrPeriodSyntax, "month")
			_, err = db.IncomeStatement(bg, f.A.ID, jiti.Period(202513))
			wantErr(t, err, jiti.ErrPeriodSyntax, "month")
		})
		t.Run("OKEmpty", func(t *testing.T) {
			bs, err := db.BalanceSheet(bg, f.A.ID, P("2025-06"))
			ok(t, err)
			is, err := db.IncomeStatement(bg, f.A.ID, P("2025-06"))
			ok(t, err)
			if !bs.OK() || bs.Value(22, 0) != 0 || is.Value(20, 0) != 0 {
				t.Fatalf("empty books: balance sheet %v, income %v", bs.Value(22, 0), is.Value(20, 0))
			}
		})
	})
}

// TestDB_TrialBalanceFolded: a trial balance reads the months before its
// first (or its year's first) as one movement per account, and comes out
// as the one computed from every month's movement.
func TestDB_TrialBalanceFolded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		for _, d := range []string{"2025-01-10", "2025-02-10", "2025-06-10", "2025-12-10", "2026-01-10", "2026-03-10"} {
			f.Post(t, a, d, rent("100")...)
			f.Post(t, a, d, L("付电费", "513", "30"), L("付电费", "101", "-30"))
		}
		accounts, err := db.Accounts(bg, a)
		ok(t, err)
		for _, r := range [][2]string{{"2025-01", "2025-12"}, {"2025-02", "2025-06"}, {"2026-01", "2026-03"},
			{"2026-02", "2026-03"}, {"2025-06", "2026-03"}, {"2026-03", "2026-03"}} {
			from, to := P(r[0]), P(r[1])
			all, err := db.Movements(bg, a, to)
			ok(t, err)
			want := ledger.ComputeTrialBalance(accounts, all, from, to, false)
			got := trialBalance(t, db, a, r[0], r[1])
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s..%s: %+v, want %+v", r[0], r[1], got, want)
			}
			cut := min(from, to.YearStart())
			moves, err := store.MovementsSince(db, a, cut, to)
			ok(t, err)
			seen := map[string]bool{}
			for _, m := range moves {
				if m.Period >= cut {
					continue
				}
				if m.Period != ledger.OpeningPeriod || seen[m.Account] {
					t.Errorf("%s..%s: %+v before %s: want one movement per account at the opening", r[0], r[1], m, cut)
				}
				seen[m.Account] = true
			}
		}
	})
}

// TestView_TrialBalanceCached: a View's trial balance is kept while the
// collective's books stand (the same table again), and a posting or a
// change to its chart shows at once.
func TestView_TrialBalanceCached(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		f.Post(t, a, "2025-01-10", rent("100")...)
		read := func() *ledger.TrialBalance {
			t.Helper()
			v, err := db.ViewAs(bg, f.Admin)
			ok(t, err)
			tb, err := v.TrialBalance(bg, a, P("2025-01"), P("2025-03"), false)
			ok(t, err)
			return tb
		}
		first := read()
		if again := read(); again != first {
			t.Fatal("the trial balance was computed again though nothing changed")
		}
		// Another collective's posting leaves A's books as they were.
		f.Post(t, f.B.ID, "2025-01-11", rent("7")...)
		if again := read(); again != first {
			t.Fatal("another collective's posting dropped A's trial balance")
		}
		f.Post(t, a, "2025-02-10", rent("250")...)
		posted := read()
		if posted == first || posted.Row("10201").Closing() != A("350") {
			t.Fatalf("after a posting: 10201 = %+v", posted.Row("10201"))
		}
		_, err := db.CreateAccount(bg, f.Accountant, a, "10202", "新存款")
		ok(t, err)
		charted := read()
		if charted == posted {
			t.Fatal("a new account left the trial balance cached")
		}
		if want := trialBalance(t, db, a, "2025-01", "2025-03"); !reflect.DeepEqual(charted, want) {
			t.Fatalf("cached %+v, computed %+v", charted, want)
		}
	})
}

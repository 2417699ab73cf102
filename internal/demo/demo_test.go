package demo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// afterYear sets the database clock to the January after year, as the
// command line does, so that December may be closed.
func afterYear(db *store.DB, year int) *store.DB {
	db.Now = func() time.Time { return time.Date(year+1, 1, 15, 9, 0, 0, 0, time.UTC) }
	return db
}

// The county's published figures for 2025, in fen.
var want2025 = Income{
	Subsidy: jiti.MustAmount("3426700.00"),
	Other:   jiti.MustAmount("3185600.00"),
}

const (
	wantOperatingType = jiti.Amount(98_922_100_00)
	wantTotal         = jiti.Amount(105_534_400_00)
	wantPerVillage    = jiti.Amount(371_600_00)
)

// incomeFromBooks reads the county's income of year from the books after
// year-end closing: the region trial balance of January–November, plus the
// lines of December's posted vouchers that are not closing vouchers. (The
// store keeps the closing part of each month's turnover in
// balances.closing_debit/closing_credit but exports no read of it.)
func incomeFromBooks(t testing.TB, db *store.DB, year int) Income {
	t.Helper()
	ctx := context.Background()
	jan, nov, dec := jiti.NewPeriod(year, 1), jiti.NewPeriod(year, 11), jiti.NewPeriod(year, 12)
	tb, n, err := db.RegionTrialBalance(ctx, CountyCode, jan, nov)
	if err != nil {
		t.Fatal(err)
	}
	if n != 284 {
		t.Fatalf("region trial balance counts %d collectives", n)
	}
	in := incomeOf(tb)
	cs, err := db.FindCollectives(ctx, CountyCode)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		vs, _, err := db.FindVouchers(ctx, store.VoucherFilter{CollectiveID: c.ID, From: dec, To: dec, Status: ledger.Posted, Limit: -1})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.Kind == ledger.Closing {
				continue
			}
			for _, l := range v.Lines {
				net := l.Credit - l.Debit
				switch ledger.FirstLevel(l.Account) {
				case "501":
					in.Operating += net
				case "502":
					in.Investment += net
				case "503":
					in.Subsidy += net
				case "504":
					in.Other += net
				}
			}
		}
	}
	return in
}

func checkCountyIncome(t *testing.T, what string, in Income) {
	t.Helper()
	if in.OperatingType() != wantOperatingType || in.Subsidy != want2025.Subsidy || in.Other != want2025.Other ||
		in.Total() != wantTotal {
		t.Errorf("%s: operating-type %s, subsidy %s, other %s, total %s; want %s, %s, %s, %s", what,
			in.OperatingType().Grouped(), in.Subsidy.Grouped(), in.Other.Grouped(), in.Total().Grouped(),
			wantOperatingType.Grouped(), want2025.Subsidy.Grouped(), want2025.Other.Grouped(), wantTotal.Grouped())
	}
}

func TestBuild(t *testing.T) {
	ctx := context.Background()
	db := afterYear(storetest.OpenSQLite(t), 2025)
	var log strings.Builder
	sum, err := Build(ctx, db, Options{Seed: 1, Progress: &log})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("progress:\n%s", log.String())
	t.Logf("summary:\n%s", sum)

	t.Run("CountyFigures", func(t *testing.T) {
		checkCountyIncome(t, "summary", sum.Income)
		checkCountyIncome(t, "books after closing", incomeFromBooks(t, db, 2025))
		if sum.PerVillage() != wantPerVillage || sum.Income.Total()%284 != 0 {
			t.Errorf("per village %s, want %s exactly", sum.PerVillage().Grouped(), wantPerVillage.Grouped())
		}
		var villages Income
		for _, v := range sum.Villages {
			villages.Operating += v.Income.Operating
			villages.Investment += v.Income.Investment
			villages.Subsidy += v.Income.Subsidy
			villages.Other += v.Income.Other
		}
		if villages != sum.Income {
			t.Errorf("villages add up to %+v, county %+v", villages, sum.Income)
		}
		if sum.Collectives != 284 || sum.Users != 57 || sum.Regions != 315 || len(sum.Villages) != 284 {
			t.Errorf("collectives %d users %d regions %d", sum.Collectives, sum.Users, sum.Regions)
		}
	})

	t.Run("Distribution", func(t *testing.T) {
		strong := sum.CountOperatingType(jiti.Yuan(1_000_000), 0)
		weak := sum.CountOperatingType(0, jiti.Yuan(50_000))
		shells := sum.CountOperatingType(0, 1)
		middle := sum.CountOperatingType(jiti.Yuan(100_000), jiti.Yuan(500_000))
		if strong < 3 || strong > 6 || weak < 3 || weak > 12 || shells < 1 || shells > 3 || middle < 142 {
			t.Errorf("strong %d, weak %d (shells %d), 100k–500k %d", strong, weak, shells, middle)
		}
		town := map[string]Income{}
		for _, v := range sum.Villages {
			if v.Income.Total() <= 0 {
				t.Errorf("%s has no income at all", v.Name)
			}
			x := town[v.Township]
			x.Operating += v.Income.Operating
			x.Investment += v.Income.Investment
			town[v.Township] = x
			switch v.Township {
			case "土门岘镇":
				if v.Income.Investment <= 0 || v.Income.Operating <= 0 {
					t.Errorf("土门岘镇 %s: rent %s, equity %s", v.Name, v.Income.Operating, v.Income.Investment)
				}
			case "平头川镇":
				if v.Income.Operating <= 0 {
					t.Errorf("平头川镇 %s earns no service income", v.Name)
				}
			}
		}
		if town["会师镇"].OperatingType() <= town["土高山乡"].OperatingType() {
			t.Errorf("townships do not differ: 会师镇 %s, 土高山乡 %s", town["会师镇"].OperatingType(), town["土高山乡"].OperatingType())
		}
	})

	t.Run("Books", func(t *testing.T) {
		rep, err := db.Verify(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() {
			t.Fatalf("verify: %d problems, first %+v", len(rep.Problems), rep.Problems[0])
		}
		if rep.Collectives != 284 || rep.Vouchers != sum.Vouchers+sum.RegisterVouchers+sum.ClosingVouchers || rep.Lines < sum.Lines {
			t.Errorf("verify saw %d collectives %d vouchers %d lines; built %d + %d register + %d closing, %d lines",
				rep.Collectives, rep.Vouchers, rep.Lines, sum.Vouchers, sum.RegisterVouchers, sum.ClosingVouchers, sum.Lines)
		}
		cs, err := db.FindCollectives(ctx, CountyCode)
		if err != nil {
			t.Fatal(err)
		}
		jan, dec := jiti.NewPeriod(2025, 1), jiti.NewPeriod(2025, 12)
		for _, c := range cs {
			tb, err := db.TrialBalance(ctx, c.ID, jan, dec, false)
			if err != nil {
				t.Fatal(err)
			}
			if !tb.Balanced() {
				t.Errorf("%s: trial balance does not balance: %+v", c.Name, tb.Total)
			}
			for _, code := range []string{"321", "501", "502", "503", "504", "511", "513", "514"} {
				if r := tb.Row(code); r != nil && r.Closing() != 0 {
					t.Errorf("%s: %s closes at %s after year-end closing", c.Name, code, r.Closing())
				}
			}
			for _, code := range []string{"101", "10201", "121", "131"} {
				if r := tb.Row(code); r != nil && r.Closing() < 0 {
					t.Errorf("%s: %s overdrawn: %s", c.Name, code, r.Closing())
				}
			}
			ps, err := db.Periods(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if p.Period.Year() == 2025 && (!p.Closed || p.Unposted != 0) {
					t.Errorf("%s: %s closed %v unposted %d", c.Name, p.Period, p.Closed, p.Unposted)
				}
			}
		}
		// Maker and approver differ: the accountant made, the supervisor
		// approved the imported vouchers (the store posts register vouchers
		// itself).
		vs, _, err := db.FindVouchers(ctx, store.VoucherFilter{CollectiveID: cs[0].ID, Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, v := range vs {
			if v.Kind != ledger.Normal || checked == 5 {
				continue
			}
			checked++
			maker, _ := db.FindUser(ctx, v.MakerID)
			approver, _ := db.FindUser(ctx, v.ApproverID)
			if maker == nil || approver == nil || maker.Role != jiti.RoleAgencyAccountant || approver.Role != jiti.RoleTownshipSupervisor {
				t.Errorf("voucher %s: maker %+v approver %+v", v.Label(), maker, approver)
			}
		}
	})

	t.Run("Registers", func(t *testing.T) { checkRegisters(t, db, sum) })
	t.Run("Tumengxian", func(t *testing.T) { checkTumengxian(t, db) })
	t.Run("Warnings", func(t *testing.T) { checkWarnings(t, db) })

	t.Run("SameSeedSameBooks", func(t *testing.T) {
		if testing.Short() {
			t.Skip("a second build")
		}
		db2 := afterYear(storetest.OpenSQLite(t), 2025)
		sum2, err := Build(ctx, db2, Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		a, b := *sum, *sum2
		a.Elapsed, b.Elapsed = 0, 0
		if a.String() != b.String() || a.Vouchers != b.Vouchers || a.Lines != b.Lines || len(a.Villages) != len(b.Villages) {
			t.Fatalf("two builds differ:\n%s\n%s", a.String(), b.String())
		}
		for i := range a.Villages {
			if a.Villages[i] != b.Villages[i] {
				t.Fatalf("village %d differs: %+v, %+v", i, a.Villages[i], b.Villages[i])
			}
		}
		// The same ids and times, so the same hash chains.
		last := func(db *store.DB) string {
			vs, _, err := db.FindVouchers(ctx, store.VoucherFilter{CollectiveID: 284, From: jiti.NewPeriod(2025, 12), Limit: -1})
			if err != nil || len(vs) == 0 {
				t.Fatalf("vouchers of collective 284: %v", err)
			}
			return vs[len(vs)-1].Hash
		}
		if h1, h2 := last(db), last(db2); h1 != h2 {
			t.Errorf("chain heads differ: %s, %s", h1, h2)
		}
	})
}

func TestBuildOtherSeedAndYear(t *testing.T) {
	if testing.Short() {
		t.Skip("a full build")
	}
	ctx := context.Background()
	db := afterYear(storetest.OpenSQLite(t), 2024)
	sum, err := Build(ctx, db, Options{Seed: 42, Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	op, sub, oth := countyTotals(2024)
	in := incomeFromBooks(t, db, 2024)
	if in != sum.Income || in.OperatingType() != jiti.Yuan(op) || in.Subsidy != jiti.Yuan(sub) || in.Other != jiti.Yuan(oth) {
		t.Errorf("2024 income %+v (summary %+v), want %d %d %d", in, sum.Income, op, sub, oth)
	}
	if r := float64(in.OperatingType()) / float64(wantOperatingType); r < 0.88 || r > 0.92 {
		t.Errorf("2024 operating-type income is %.3f of 2025", r)
	}
}

func TestBuildPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("a full build on PostgreSQL")
	}
	ctx := context.Background()
	db := afterYear(storetest.OpenPostgres(t), 2025)
	sum, err := Build(ctx, db, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL build: %v", sum.Elapsed)
	checkCountyIncome(t, "summary", sum.Income)
	checkCountyIncome(t, "books after closing", incomeFromBooks(t, db, 2025))
	rep, err := db.Verify(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("verify: %d problems, first %+v", len(rep.Problems), rep.Problems[0])
	}
	t.Run("Registers", func(t *testing.T) { checkRegisters(t, db, sum) })
	t.Run("Tumengxian", func(t *testing.T) { checkTumengxian(t, db) })
	t.Run("Warnings", func(t *testing.T) { checkWarnings(t, db) })
}

func TestBuildRefuses(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenSQLite(t) // its clock is 2025-12-31: the year is not over
	if _, err := Build(ctx, db, Options{Seed: 1}); !errors.Is(err, ErrClock) {
		t.Errorf("clock in the year: err = %v, want ErrClock", err)
	}
	afterYear(db, 2025)
	if _, err := Build(ctx, db, Options{Seed: 1, Year: 2020}); !errors.Is(err, ErrYear) {
		t.Errorf("year 2020: err = %v, want ErrYear", err)
	}
	storetest.Seed(t, db)
	if _, err := Build(ctx, db, Options{Seed: 1}); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("seeded database: err = %v, want ErrNotEmpty", err)
	}
}

func BenchmarkBuild(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		db := afterYear(storetest.OpenSQLite(b), 2025)
		if _, err := Build(ctx, db, Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

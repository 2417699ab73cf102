package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// incomeFromBooks reads the income of year of the n collectives of region
// from the books after year-end closing: the region trial balance of
// January–November, plus the lines of December's posted vouchers that are
// not closing vouchers. (The store keeps the closing part of each month's
// turnover in balances.closing_debit/closing_credit but exports no read of
// it.)
func incomeFromBooks(t testing.TB, db *store.DB, region string, n, year int) Income {
	t.Helper()
	ctx := context.Background()
	jan, nov, dec := jiti.NewPeriod(year, 1), jiti.NewPeriod(year, 11), jiti.NewPeriod(year, 12)
	tb, got, err := db.RegionTrialBalance(ctx, region, jan, nov)
	if err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Fatalf("region trial balance counts %d collectives, want %d", got, n)
	}
	in := incomeOf(tb)
	cs, err := db.FindCollectives(ctx, region)
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

// sumVillages adds up the villages' income.
func sumVillages(vs []VillageIncome) Income {
	var in Income
	for _, v := range vs {
		in = in.add(v.Income)
	}
	return in
}

// TestBuild builds the demo county's books of 2024 and 2025 in one
// database and holds them to the county's published figures of 2025, to
// a lower 2024, to the registers, and to each other: 2025 opens with
// 2024's closing balances.
func TestBuild(t *testing.T) {
	ctx := context.Background()
	db := afterYear(storetest.OpenSQLite(t), 2025)
	var log progressLog
	sum, err := Build(ctx, db, Options{Seed: 1, FromYear: 2024, Progress: log.add})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("progress:\n%s", strings.Join(log.lines, "\n"))
	t.Logf("summary:\n%s", sum)
	// A line per stage, and one per township and year, counted.
	if n := log.count("demo.progress.township"); n != 2*len(townships()) || log.count("demo.progress.done") != 1 ||
		log.count("demo.progress.generated") != 1 || log.count("demo.progress.county") != 1 {
		t.Errorf("progress: %d township lines, want %d:\n%s", n, 2*len(townships()), strings.Join(log.lines, "\n"))
	}

	t.Run("CountyFigures", func(t *testing.T) {
		y24, y25 := sum.YearOf(2024), sum.YearOf(2025)
		if y24 == nil || y25 == nil || len(sum.Years) != 2 {
			t.Fatalf("years %+v", sum.Years)
		}
		checkCountyIncome(t, "summary", sum.Income)
		checkCountyIncome(t, "summary of 2025", y25.Income)
		checkCountyIncome(t, "books of 2025 after closing", incomeFromBooks(t, db, CountyCode, 284, 2025))
		if sum.PerVillage() != wantPerVillage || sum.Income.Total()%284 != 0 {
			t.Errorf("per village %s, want %s exactly", sum.PerVillage().Grouped(), wantPerVillage.Grouped())
		}
		for _, y := range sum.Years {
			if got := sumVillages(y.Villages); got != y.Income {
				t.Errorf("%d: villages add up to %+v, county %+v", y.Year, got, y.Income)
			}
		}
		op, sub, oth := countyTotals(2024)
		in24 := incomeFromBooks(t, db, CountyCode, 284, 2024)
		if in24 != y24.Income || in24.OperatingType() != jiti.Yuan(op) || in24.Subsidy != jiti.Yuan(sub) || in24.Other != jiti.Yuan(oth) {
			t.Errorf("2024 income %+v (summary %+v), want %d %d %d", in24, y24.Income, op, sub, oth)
		}
		if r := float64(in24.OperatingType()) / float64(wantOperatingType); r < 0.88 || r > 0.92 {
			t.Errorf("2024 operating-type income is %.3f of 2025", r)
		}
		if in24.Subsidy >= want2025.Subsidy || in24.Other >= want2025.Other || in24.Total() >= wantTotal {
			t.Errorf("2024 does not grow into 2025: %+v", in24)
		}
		if sum.Collectives != 284 || sum.Users != 61 || sum.Regions != 315 || len(sum.Villages) != 284 || len(y24.Villages) != 284 {
			t.Errorf("collectives %d users %d regions %d", sum.Collectives, sum.Users, sum.Regions)
		}
	})

	t.Run("SignIns", func(t *testing.T) { checkSignIns(t, db, sum.SignIns, sum.Users, true) })
	t.Run("People", func(t *testing.T) { checkPeople(t, db, sum) })

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
		// From 2024 to 2025 most villages that change tier move up, a few
		// down; two of 2024's empty shells earn in 2025; there are fewer
		// weak villages.
		m := sum.Moves(2024, 2025)
		if m.Up <= 2*m.Down || m.Down == 0 || m.Started < 2 || m.WeakTo >= m.WeakFrom {
			t.Errorf("tier moves 2024 → 2025: %+v", m)
		}
		t.Logf("tier moves 2024 → 2025: %+v", m)
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
		for _, c := range cs {
			if c.BooksOpenedOn != (jiti.Date{Year: 2024, Month: 1, Day: 1}) {
				t.Errorf("%s: books opened on %s", c.Name, c.BooksOpenedOn)
			}
			for _, year := range []int{2024, 2025} {
				tb, err := db.TrialBalance(ctx, c.ID, jiti.NewPeriod(year, 1), jiti.NewPeriod(year, 12), false)
				if err != nil {
					t.Fatal(err)
				}
				if !tb.Balanced() {
					t.Errorf("%s %d: trial balance does not balance: %+v", c.Name, year, tb.Total)
				}
				for _, code := range []string{"321", "501", "502", "503", "504", "511", "513", "514"} {
					if r := tb.Row(code); r != nil && r.Closing() != 0 {
						t.Errorf("%s: %s closes %d at %s after year-end closing", c.Name, code, year, r.Closing())
					}
				}
				for _, code := range []string{"101", "10201", "121", "131"} {
					if r := tb.Row(code); r != nil && r.Closing() < 0 {
						t.Errorf("%s: %s overdrawn at the end of %d: %s", c.Name, code, year, r.Closing())
					}
				}
			}
			ps, err := db.Periods(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			closed := 0
			for _, p := range ps {
				if p.Period.Year() <= 2025 && (!p.Closed || p.Unposted != 0) {
					t.Errorf("%s: %s closed %v unposted %d", c.Name, p.Period, p.Closed, p.Unposted)
				}
				if p.Closed {
					closed++
				}
			}
			if closed != 24 {
				t.Errorf("%s: %d months closed", c.Name, closed)
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

	t.Run("CarriedForward", func(t *testing.T) { checkCarriedForward(t, db, 2024) })
	t.Run("Registers", func(t *testing.T) { checkRegisters(t, db, sum) })
	t.Run("Decisions", func(t *testing.T) { checkDecisions(t, db) })
	t.Run("Tumengxian", func(t *testing.T) { checkTumengxian(t, db, true) })
	t.Run("Warnings", func(t *testing.T) { checkWarnings(t, db) })

	t.Run("SameSeedSameBooks", func(t *testing.T) {
		if testing.Short() {
			t.Skip("a second build")
		}
		db2 := afterYear(storetest.OpenSQLite(t), 2025)
		sum2, err := Build(ctx, db2, Options{Seed: 1, FromYear: 2024})
		if err != nil {
			t.Fatal(err)
		}
		a, b := *sum, *sum2
		a.Elapsed, b.Elapsed = 0, 0
		if a.String() != b.String() || a.Vouchers != b.Vouchers || a.Lines != b.Lines || len(a.Years) != len(b.Years) {
			t.Fatalf("two builds differ:\n%s\n%s", a.String(), b.String())
		}
		for k := range a.Years {
			for i := range a.Years[k].Villages {
				if a.Years[k].Villages[i] != b.Years[k].Villages[i] {
					t.Fatalf("%d: village %d differs: %+v, %+v", a.Years[k].Year, i, a.Years[k].Villages[i], b.Years[k].Villages[i])
				}
			}
		}
		// The same ids and times, so the same hash chains.
		if h1, h2 := chainHeads(t, db), chainHeads(t, db2); !slices.Equal(h1, h2) {
			for i := range h1 {
				if h1[i] != h2[i] {
					t.Fatalf("chain heads differ from collective %d: %s, %s", i+1, h1[i], h2[i])
				}
			}
		}
	})
}

// chainHeads returns the hash of every collective's last posted voucher.
func chainHeads(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	cs, err := db.FindCollectives(ctx, CountyCode)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		vs, _, err := db.FindVouchers(ctx, store.VoucherFilter{CollectiveID: c.ID, From: jiti.NewPeriod(2025, 12), Status: ledger.Posted, Limit: -1})
		if err != nil || len(vs) == 0 {
			t.Fatalf("vouchers of %s: %v", c.Name, err)
		}
		last := vs[0]
		for _, v := range vs {
			if v.Seq > last.Seq {
				last = v
			}
		}
		out = append(out, last.Hash)
	}
	return out
}

// checkCarriedForward holds every collective's books of year+1 to those of
// year: the opening balances of its January are the closing balances of
// year's December, account by account, and no opening balances were set
// after the books opened.
func checkCarriedForward(t *testing.T, db *store.DB, year int) {
	ctx := context.Background()
	cs, err := db.FindCollectives(ctx, CountyCode)
	if err != nil {
		t.Fatal(err)
	}
	dec, jan := jiti.NewPeriod(year, 12), jiti.NewPeriod(year+1, 1)
	carried := map[string]jiti.Amount{}
	for _, c := range cs {
		before, err := db.TrialBalance(ctx, c.ID, dec, dec, true)
		if err != nil {
			t.Fatal(err)
		}
		after, err := db.TrialBalance(ctx, c.ID, jan, jan, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range before.Rows {
			a := after.Row(r.Code)
			if a == nil || a.Opening() != r.Closing() {
				t.Errorf("%s %s: closes %d at %s, opens %d at %+v", c.Name, r.Code, year, r.Closing(), year+1, a)
				continue
			}
			if len(r.Code) == 3 {
				carried[r.Code] += r.Closing()
			}
		}
		for _, r := range after.Rows {
			if before.Row(r.Code) == nil && r.Opening() != 0 {
				t.Errorf("%s %s opens %d at %s out of nothing", c.Name, r.Code, year+1, r.Opening())
			}
		}
		ob, err := db.OpeningBalances(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ob) == 0 {
			t.Errorf("%s has no opening balances", c.Name)
		}
	}
	// What is carried: money, receivables, payables, fixed assets,
	// undistributed income; nothing in the income accounts.
	for _, code := range []string{"101", "102", "113", "151", "152", "211", "212", "322"} {
		if carried[code] == 0 {
			t.Errorf("nothing of %s carried into %d", code, year+1)
		}
	}
	for _, code := range []string{"501", "502", "503", "504", "321"} {
		if carried[code] != 0 {
			t.Errorf("%s carries %s into %d", code, carried[code], year+1)
		}
	}
	t.Logf("carried into %d (county, first-level accounts): %v", year+1, carried)
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
	in := incomeFromBooks(t, db, CountyCode, 284, 2024)
	if in != sum.Income || in.OperatingType() != jiti.Yuan(op) || in.Subsidy != jiti.Yuan(sub) || in.Other != jiti.Yuan(oth) {
		t.Errorf("2024 income %+v (summary %+v), want %d %d %d", in, sum.Income, op, sub, oth)
	}
	if len(sum.Years) != 1 || sum.FromYear != 2024 {
		t.Errorf("one year of books: %+v", sum.Years)
	}
	if r := float64(in.OperatingType()) / float64(wantOperatingType); r < 0.88 || r > 0.92 {
		t.Errorf("2024 operating-type income is %.3f of 2025", r)
	}
}

// TestBuildPostgres builds two years of three townships' books (土门岘镇,
// 平头川镇 and 会师镇: a tenth of the county; the whole county takes a
// few minutes on PostgreSQL) and holds them to the books generated for
// their villages, to the registers and to each other.
func TestBuildPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("a build on PostgreSQL")
	}
	ctx := context.Background()
	db := afterYear(storetest.OpenPostgres(t), 2025)
	towns := []string{tumenCode, "620422115", "620422100"}
	sum, err := Build(ctx, db, Options{Seed: 1, FromYear: 2024, Townships: towns})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL build: %v\n%s", sum.Elapsed, sum)
	sp := span{2024, 2025}
	_, hs := histories(t, 1, sp)
	for k, year := range sp.years() {
		var want Income
		n := 0
		for _, h := range hs {
			if slices.Contains(towns, h.V.Town.Code) {
				want.Operating += h.Years[k].Op // 501 + 502 together
				want.Subsidy += h.Years[k].Subsidy
				want.Other += h.Years[k].Other
				n++
			}
		}
		var got Income
		for _, code := range towns {
			got = got.add(incomeFromBooks(t, db, code, len(townVillages(code)), year))
		}
		if got.OperatingType() != want.Operating || got.Subsidy != want.Subsidy || got.Other != want.Other || n != sum.Collectives ||
			got != sum.Years[k].Income {
			t.Errorf("%d: books %+v, summary %+v; generated %+v for %d villages", year, got, sum.Years[k].Income, want, n)
		}
	}
	rep, err := db.Verify(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("verify: %d problems, first %+v", len(rep.Problems), rep.Problems[0])
	}
	t.Run("Tumengxian", func(t *testing.T) { checkTumengxian(t, db, false) })
	t.Run("SignIns", func(t *testing.T) { checkSignIns(t, db, sum.SignIns, sum.Users, true) })
	t.Run("People", func(t *testing.T) { checkPeople(t, db, sum, towns...) })
}

// checkSignIns signs in as each of a build's sign-ins, one of each role,
// and checks what each may see; and, when everyone is set, that every
// other demo user has the demo password too, or else that the others have
// none.
func checkSignIns(t *testing.T, db *store.DB, ins []SignIn, nusers int, everyone bool) {
	t.Helper()
	ctx := context.Background()
	if len(ins) != len(jiti.Roles) {
		t.Fatalf("%d sign-ins, want one per role: %+v", len(ins), ins)
	}
	// The village's own users keep and approve the books of one
	// collective, which everyone else's scope holds too.
	village, err := db.FindUserByName(ctx, ins[4].Name)
	if err != nil {
		t.Fatal(err)
	}
	if len(village.ScopeCollectives) != 1 {
		t.Fatalf("village accountant's scope: %+v", village)
	}
	first, err := db.FindCollective(ctx, village.ScopeCollectives[0])
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range ins {
		if s.Role != jiti.Roles[i] || s.Password != Password || s.Scope == "" {
			t.Errorf("sign-in %d: %+v, want role %s", i, s, jiti.Roles[i])
		}
		u, err := db.Authenticate(ctx, s.Name, s.Password, "")
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if u.Role != s.Role {
			t.Errorf("%s: role %s, want %s", s.Name, u.Role, s.Role)
		}
		switch s.Role {
		case jiti.RoleCountyAdmin:
			if u.ScopeRegion != "" || len(u.ScopeCollectives) > 0 {
				t.Errorf("%s: scope %q %v, want everything", s.Name, u.ScopeRegion, u.ScopeCollectives)
			}
		case jiti.RoleVillageAccountant, jiti.RoleVillageApprover:
			if s.Scope != first.Name || u.ScopeRegion != "" || !slices.Equal(u.ScopeCollectives, []int64{first.ID}) {
				t.Errorf("%s: scope %q %v, want %s alone", s.Name, u.ScopeRegion, u.ScopeCollectives, first.Name)
			}
		default:
			if !jiti.RegionContains(u.ScopeRegion, first.RegionCode) || len(u.ScopeCollectives) > 0 {
				t.Errorf("%s: scope %q %v does not hold %s", s.Name, u.ScopeRegion, u.ScopeCollectives, first.Name)
			}
		}
	}
	if _, err := db.Authenticate(ctx, "admin", "wrong-password", ""); !errors.Is(err, store.ErrAuthFailed) {
		t.Errorf("a wrong password: %v", err)
	}
	users, err := db.FindUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != nusers {
		t.Errorf("%d users, summary %d", len(users), nusers)
	}
	// The others: one township user is enough to check, hashing is slow.
	var other *jiti.User
	for _, u := range users {
		if !slices.ContainsFunc(ins, func(s SignIn) bool { return s.Name == u.Name }) {
			other = u
		}
	}
	if other == nil {
		t.Fatalf("no user but the sign-ins: %+v", users)
	}
	if _, err := db.Authenticate(ctx, other.Name, Password, ""); everyone && err != nil {
		t.Errorf("%s: %v", other.Name, err)
	} else if !everyone && !errors.Is(err, store.ErrAuthFailed) {
		t.Errorf("%s, not a sign-in, signs in with the demo password: %v", other.Name, err)
	}
}

// townVillages returns the villages of a township.
func townVillages(code string) []jiti.Region {
	for _, t := range townships() {
		if t.Code == code {
			return t.Villages
		}
	}
	return nil
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
	if _, err := Build(ctx, db, Options{Seed: 1, FromYear: 2026, Year: 2025}); !errors.Is(err, ErrYear) {
		t.Errorf("from 2026 to 2025: err = %v, want ErrYear", err)
	}
	if _, err := Build(ctx, db, Options{Seed: 1, Townships: []string{"620422999"}}); !errors.Is(err, ErrTownship) {
		t.Errorf("unknown township: err = %v, want ErrTownship", err)
	}
	if _, err := Build(ctx, db, Options{Seed: 1, FromYear: 2024, Year: 2026}); !errors.Is(err, ErrClock) {
		t.Errorf("clock in the last year: err = %v, want ErrClock", err)
	}
	storetest.Seed(t, db)
	if _, err := Build(ctx, db, Options{Seed: 1}); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("seeded database: err = %v, want ErrNotEmpty", err)
	}
}

// BenchmarkBuild builds the demo county's two years, as jiti demo does.
func BenchmarkBuild(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		db := afterYear(storetest.OpenSQLite(b), 2025)
		if _, err := Build(ctx, db, Options{Seed: 1, FromYear: 2024}); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// progressLog records a build's progress steps.
type progressLog struct{ lines []string }

func (l *progressLog) add(key string, args ...any) {
	l.lines = append(l.lines, strings.TrimSpace(fmt.Sprintln(append([]any{key}, args...)...)))
}

// count returns how many steps had key.
func (l *progressLog) count(key string) int {
	n := 0
	for _, line := range l.lines {
		if strings.HasPrefix(line, key+" ") || line == key {
			n++
		}
	}
	return n
}

package store_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// statsWorld is a county of two townships and four collectives whose books
// a test drives at random through 2024 (closed at year end) and 2025.
type statsWorld struct {
	t     *testing.T
	db    *store.DB
	f     *storetest.Fixture
	rng   *rand.Rand
	cs    []jiti.Collective
	maker map[int64][2]jiti.UserID // accountant and approver of each collective
	bank  map[int64]string
	// leaves of the result (5xx) and distribution (3220x) accounts
	results map[int64][]string
}

func newStatsWorld(t *testing.T, db *store.DB, seed uint64) *statsWorld {
	f := storetest.Seed(t, db)
	w := &statsWorld{t: t, db: db, f: f, rng: rand.New(rand.NewPCG(seed, 11)),
		maker: map[int64][2]jiti.UserID{}, bank: map[int64]string{}, results: map[int64][]string{}}
	var regions []jiti.Region
	for _, r := range [][2]string{{"620422101", "新添堡回族乡"}, {"620422101201", "新添村"}, {"620422101202", "堡子村"}} {
		reg, err := jiti.NewRegion(r[0], r[1])
		ok(t, err)
		regions = append(regions, reg)
	}
	ok(t, db.CreateRegions(bg, f.Admin, regions))
	cs, err := db.CreateCollectives(bg, f.Admin, []jiti.Collective{
		{Name: "新添村股份经济合作社", RegionCode: "620422101201", Level: jiti.LevelVillage, BooksOpenedOn: D("2024-01-01")},
		{Name: "堡子村股份经济合作社", RegionCode: "620422101202", Level: jiti.LevelVillage, BooksOpenedOn: D("2024-01-01")},
	})
	ok(t, err)
	acc, err := db.CreateUser(bg, f.Admin, jiti.User{Name: "kuaiji2", DisplayName: "会计二", Role: jiti.RoleAgencyAccountant, ScopeRegion: "620422101"})
	ok(t, err)
	appr, err := db.CreateUser(bg, f.Admin, jiti.User{Name: "shenhe2", DisplayName: "审核二", Role: jiti.RoleTownshipSupervisor, ScopeRegion: "620422101"})
	ok(t, err)
	w.cs = []jiti.Collective{f.A, f.B, cs[0], cs[1]}
	for i, c := range w.cs {
		w.maker[c.ID] = [2]jiti.UserID{f.Accountant, f.Approver}
		w.bank[c.ID] = "10201"
		if i >= 2 {
			w.maker[c.ID] = [2]jiti.UserID{acc.ID, appr.ID}
			w.bank[c.ID] = "101"
		}
		as, err := db.Accounts(bg, c.ID)
		ok(t, err)
		for _, a := range as {
			if a.Leaf && a.Active && (strings.HasPrefix(a.Code, "5") || strings.HasPrefix(a.Code, "3220")) {
				w.results[c.ID] = append(w.results[c.ID], a.Code)
			}
		}
	}
	// Undistributed income brought in when the books opened: the start of
	// 2024 of 年初未分配收益.
	ok(t, db.SetOpeningBalances(bg, acc.ID, cs[0].ID, []store.OpeningBalance{
		{Account: "101", Debit: A("86000")}, {Account: "32202", Credit: A("86000")}}))
	return w
}

// post creates, approves and posts a voucher between a random result or
// distribution account and the bank.
func (w *statsWorld) post(c jiti.Collective, date jiti.Date) *ledger.Voucher {
	leaves := w.results[c.ID]
	acct := leaves[w.rng.IntN(len(leaves))]
	amt := jiti.Amount(1 + w.rng.IntN(30_000_000))
	var lines []ledger.Line
	if strings.HasPrefix(acct, "50") || w.rng.IntN(8) == 0 {
		// income (or, now and then, a refund on an expense account)
		lines = []ledger.Line{{Summary: "收入", Account: w.bank[c.ID], Debit: amt}, {Summary: "收入", Account: acct, Credit: amt}}
	} else {
		lines = []ledger.Line{{Summary: "支出", Account: acct, Debit: amt}, {Summary: "支出", Account: w.bank[c.ID], Credit: amt}}
	}
	u := w.maker[c.ID]
	v, err := w.db.CreateVoucher(bg, u[0], &ledger.Voucher{CollectiveID: c.ID, Date: date, Lines: lines})
	ok(w.t, err)
	ok(w.t, w.db.ApproveVoucher(bg, u[1], v.ID))
	v, err = w.db.PostVoucher(bg, u[0], v.ID)
	ok(w.t, err)
	return v
}

// run posts n random vouchers a month in the months of year for the
// collectives whose books are open then, reversing one in five.
func (w *statsWorld) run(year, n int) {
	for m := 1; m <= 12; m++ {
		for _, c := range w.cs {
			if c.BooksOpenedOn.Year > year {
				continue
			}
			var posted []*ledger.Voucher
			for i := 0; i < n; i++ {
				posted = append(posted, w.post(c, jiti.Date{Year: year, Month: time.Month(m), Day: 1 + w.rng.IntN(28)}))
			}
			if w.rng.IntN(5) == 0 {
				v := posted[w.rng.IntN(len(posted))]
				u := w.maker[c.ID]
				r, err := w.db.ReverseVoucher(bg, u[0], v.ID, jiti.Date{Year: year, Month: time.Month(m), Day: 28})
				ok(w.t, err)
				ok(w.t, w.db.ApproveVoucher(bg, u[1], r.ID))
				_, err = w.db.PostVoucher(bg, u[0], r.ID)
				ok(w.t, err)
			}
		}
	}
}

// closeYear closes the year's books of the collectives opened by then.
func (w *statsWorld) closeYear(year int) {
	for _, c := range w.cs {
		if c.BooksOpenedOn.Year > year {
			continue
		}
		u := w.maker[c.ID][0]
		for m := 1; m <= 11; m++ {
			ok(w.t, w.db.ClosePeriod(bg, u, c.ID, jiti.NewPeriod(year, time.Month(m))))
		}
		_, err := w.db.CloseYear(bg, u, c.ID, year)
		ok(w.t, err)
	}
}

// figures computes, by hand from a collective's posted vouchers and opening
// balances, its lines of a year that the test checks: income by account,
// operating-type income, expenditure, result and undistributed income at the
// start and end of the year.
func (w *statsWorld) figures(cid int64, year int) map[string]jiti.Amount {
	turn := map[string]jiti.Amount{}  // account prefix → credit − debit of the year, closing excluded
	start := map[string]jiti.Amount{} // 32202 → credit − debit before the year
	obs, err := w.db.OpeningBalances(bg, cid)
	ok(w.t, err)
	for _, ob := range obs {
		if strings.HasPrefix(ob.Account, "32202") {
			start["32202"] += ob.Credit - ob.Debit
		}
	}
	vs, _, err := w.db.FindVouchers(bg, store.VoucherFilter{CollectiveID: cid, Status: ledger.Posted, Limit: -1})
	ok(w.t, err)
	for _, v := range vs {
		full, err := w.db.FindVoucher(bg, v.ID)
		ok(w.t, err)
		for _, l := range full.Lines {
			net := l.Credit - l.Debit
			switch {
			case full.Period.Year() < year && strings.HasPrefix(l.Account, "32202"):
				start["32202"] += net
			case full.Period.Year() == year && full.Kind != ledger.Closing:
				for _, p := range []string{"501", "502", "503", "504", "511", "512", "513", "514", "515", "521", "32201", "32202", "3220101", "3220102"} {
					if strings.HasPrefix(l.Account, p) {
						turn[p] += net
					}
				}
			}
		}
	}
	f := map[string]jiti.Amount{
		"operating": turn["501"], "investment": turn["502"], "subsidy": turn["503"], "other_income": turn["504"],
		"total_expenditure":   -(turn["511"] + turn["512"] + turn["513"] + turn["514"] + turn["515"] + turn["521"]),
		"undistributed_start": start["32202"],
		"to_fund":             -turn["3220101"], "to_members": -turn["3220102"],
	}
	f["total_income"] = f["operating"] + f["investment"] + f["subsidy"] + f["other_income"]
	f["operating_type"] = f["operating"] + f["investment"]
	f["result"] = f["total_income"] - f["total_expenditure"]
	f["undistributed_end"] = f["result"] + f["undistributed_start"] + turn["32202"] + turn["32201"]
	return f
}

// TestStats_Property drives two years of random books (postings, reversals,
// a year-end closing, opening balances) in four collectives of two
// townships, then checks that the county's statistics equal the sum of its
// townships' and of its collectives', that every collective's figure
// equals the one computed by hand from its vouchers, that the slow
// computation from voucher lines agrees, and that each figure's vouchers
// add up to it, on both engines.
func TestStats_Property(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newStatsWorld(t, db, 20241231)
		w.run(2024, 2)
		w.closeYear(2024)
		w.run(2025, 2)
		for _, year := range []int{2024, 2025} {
			r, err := db.Stats(bg, "620422", year)
			ok(t, err)
			w.checkRollup(r, year)
			slow, err := db.StatsFromLines(bg, "620422", year)
			ok(t, err)
			for i := range r.Lines {
				if r.Lines[i] != slow.Lines[i] {
					t.Errorf("%d %s: stats %+v, from lines %+v", year, r.Lines[i].Key, r.Lines[i], slow.Lines[i])
				}
			}
		}
	})
}

// checkRollup checks a year's roll-up against the figures computed by hand.
// A collective whose books open after the year is not in it; one whose books
// begin in the year (A and B in 2025, the others in 2024) is new: no tier a
// year ago, no move, and not in the change and growth.
func (w *statsWorld) checkRollup(r *report.Rollup, year int) {
	t := w.t
	t.Helper()
	var in []jiti.Collective
	for _, c := range w.cs {
		if c.BooksOpenedOn.Year <= year {
			in = append(in, c)
		}
	}
	if r.Collectives != len(in) || len(r.Children) != 2 {
		t.Fatalf("%d: %d collectives, %d townships; want %d and 2", year, r.Collectives, len(r.Children), len(in))
	}
	tiers := report.DefaultTiers()
	want, change, prior := map[string]jiti.Amount{}, map[string]jiti.Amount{}, map[string]jiti.Amount{}
	tierCount, tierPrior := make([]int, tiers.Count()), make([]int, tiers.Count())
	var up, down, fresh []int64
	for _, c := range in {
		mine := w.figures(c.ID, year)
		old := c.BooksOpenedOn.Year < year
		for k, v := range mine {
			want[k] += v
		}
		tierCount[tiers.Of(mine["operating_type"])]++
		if old {
			before := w.figures(c.ID, year-1)
			for k, v := range mine {
				change[k] += v - before[k]
				prior[k] += before[k]
			}
			now, then := tiers.Of(mine["operating_type"]), tiers.Of(before["operating_type"])
			tierPrior[then]++
			switch {
			case now > then:
				up = append(up, c.ID)
			case now < then:
				down = append(down, c.ID)
			}
		} else {
			fresh = append(fresh, c.ID)
		}
	}
	ids := func(list []report.Ranked) map[int64]bool {
		m := map[int64]bool{}
		for _, rk := range list {
			m[rk.ID] = true
		}
		return m
	}
	for name, tt := range map[string]struct {
		got  []report.Ranked
		want []int64
	}{"up": {r.Up, up}, "down": {r.Down, down}, "new": {r.New, fresh}} {
		got := ids(tt.got)
		if len(got) != len(tt.want) {
			t.Errorf("%d %s: %+v, want ids %v", year, name, tt.got, tt.want)
		}
		for _, id := range tt.want {
			if !got[id] {
				t.Errorf("%d %s: %+v lacks %d", year, name, tt.got, id)
			}
		}
	}
	if r.Comparable != len(in)-len(fresh) {
		t.Errorf("%d: %d comparable, want %d", year, r.Comparable, len(in)-len(fresh))
	}
	for k, v := range change {
		if l := r.Line(k); l != nil && (jiti.Amount(l.Change) != v || jiti.Amount(l.Prior) != prior[k]) {
			t.Errorf("%d %s: change %v prior %v, want %v and %v (like with like)", year, k, l.Change, l.Prior, v, prior[k])
		}
	}
	for _, c := range in {
		mine := w.figures(c.ID, year)
		prior := w.figures(c.ID, year-1)
		for k, v := range mine {
			var got *report.Ranked
			for _, m := range r.Members(k) {
				if m.ID == c.ID {
					m := m
					got = &m
				}
			}
			// A collective with no year before has no prior figure (its
			// opening balances are not the year before's 年初未分配收益).
			isNew := c.BooksOpenedOn.Year == year
			if isNew {
				prior[k] = 0
			}
			if got == nil || jiti.Amount(got.Value) != v || jiti.Amount(got.Prior) != prior[k] || got.New != isNew {
				t.Errorf("%d %s of %s: %+v, want %v (prior %v, new %v)", year, k, c.Name, got, v, prior[k], isNew)
			}
			// The figure's vouchers add up to it.
			d, err := w.db.StatVouchers(bg, c.ID, year, k, false)
			ok(t, err)
			sum := jiti.Amount(d.Start)
			for _, sv := range d.Vouchers {
				sum += jiti.Amount(sv.Value)
			}
			if jiti.Amount(d.Value) != v || sum != v {
				t.Errorf("%d %s of %s: drill-down value %v, start + vouchers %v, want %v", year, k, c.Name, d.Value, sum, v)
			}
		}
	}
	for k, v := range want {
		l := r.Line(k)
		if l == nil || jiti.Amount(l.Sum) != v {
			t.Errorf("%d %s: %+v, want sum %v", year, k, l, v)
			continue
		}
		var children jiti.Amount
		for _, ch := range r.Children {
			children += jiti.Amount(ch.Line(k).Sum)
		}
		if children != v {
			t.Errorf("%d %s: townships sum to %v, county %v", year, k, children, v)
		}
		avg, _ := v.MulRatio(1, int64(len(in)))
		if jiti.Amount(l.Average) != avg {
			t.Errorf("%d %s: average %v, want %v", year, k, l.Average, avg)
		}
	}
	for i, tf := range r.Tiers {
		if tf.Count != tierCount[i] || tf.Prior != tierPrior[i] {
			t.Errorf("%d tier %d: %d collectives, %d a year ago; want %d and %d", year, i, tf.Count, tf.Prior, tierCount[i], tierPrior[i])
		}
	}
	if len(r.Tiers) != tiers.Count() {
		t.Errorf("%d: %d tiers", year, len(r.Tiers))
	}
}

// TestStats_LayoutAndTiers: a county adds 发包及上交收入 from a detail
// account as data for 2025 and sets its own tiers; 2024 keeps the
// defaults; bad layouts and tiers are refused with the field named.
func TestStats_LayoutAndTiers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		f.Post(t, f.A.ID, "2025-03-10", storetest.Line("发包费", "10201", "120000"), storetest.Line("发包费", "50101", "-120000"))
		f.Post(t, f.A.ID, "2025-04-10", storetest.Line("服务费", "10201", "30000.50"), storetest.Line("服务费", "50102", "-30000.50"))
		f.Post(t, f.B.ID, "2025-05-10", storetest.Line("补助", "10201", "45000"), storetest.Line("补助", "503", "-45000"))

		lines := strings.Replace(string(mustJSON(t, report.StatLines())), `"lines":[`,
			`"lines": [{"no": 21, "key": "contracting", "label": "发包及上交收入", "label_en": "Contracting fees and profits handed up", "formula": "cr:50101 - dr:50101"},`, 1)
		ok(t, db.SetStatLayout(bg, f.Admin, "620422", 2025, store.LayoutLines, []byte(lines)))
		ok(t, db.SetStatTiers(bg, f.Admin, "620422", 2025, report.Tiers{Breaks: []jiti.Amount{0, A("100000"), A("150000")}, WeakBelow: A("140000")}))

		r, err := db.Stats(bg, "620422100", 2025)
		ok(t, err)
		if l := r.Line("contracting"); l == nil || l.Sum != report.Money(A("120000")) || l.Average != report.Money(A("60000")) {
			t.Fatalf("contracting: %+v", l)
		}
		if l := r.Line("operating_type"); l.Sum != report.Money(A("150000.50")) {
			t.Fatalf("operating_type: %+v", l)
		}
		// A: 150,000.50 is in the top tier; B has none (a shell, weak).
		// Their books begin in 2025: they had no tier a year ago, so
		// neither moved up from nothing; both are new.
		if len(r.Tiers) != 4 || r.Tiers[3].Count != 1 || r.Tiers[0].Count != 1 || r.Tiers[0].Prior != 0 {
			t.Fatalf("tiers: %+v", r.Tiers)
		}
		if len(r.Shells) != 1 || r.Shells[0].ID != f.B.ID || len(r.Weak) != 1 || len(r.Up) != 0 || len(r.New) != 2 || r.Comparable != 0 {
			t.Fatalf("shells %+v weak %+v up %+v new %+v comparable %d", r.Shells, r.Weak, r.Up, r.New, r.Comparable)
		}
		if l := r.Line("operating_type"); l.Growth || l.Change != 0 || l.Prior != 0 {
			t.Fatalf("growth against a year without books: %+v", l)
		}
		// The county's configuration is for 2025 on: 2024 keeps the defaults.
		r24, err := db.Stats(bg, "620422100", 2024)
		ok(t, err)
		if r24.Line("contracting") != nil || len(r24.Tiers) != report.DefaultTiers().Count() {
			t.Fatalf("2024: %+v", r24)
		}
		d, err := db.StatVouchers(bg, f.A.ID, 2025, "contracting", false)
		ok(t, err)
		if len(d.Vouchers) != 1 || d.Vouchers[0].Value != report.Money(A("120000")) || d.Vouchers[0].Ref.Number != 1 {
			t.Fatalf("drill-down: %+v", d)
		}

		// The statistical table of one collective and of the township.
		tb, err := db.StatTable(bg, "620422100201", 2025)
		ok(t, err)
		if tb.Collectives != 1 || tb.Line("total_income").Sum != report.Money(A("150000.50")) || len(tb.Tiers) != 0 {
			t.Fatalf("table of A: %+v", tb)
		}

		bad := func(kind, layout, field string, target error) {
			t.Helper()
			wantErr(t, db.SetStatLayout(bg, f.Admin, "620422", 2025, kind, []byte(layout)), target, field)
		}
		bad("chart", lines, "kind", store.ErrLayoutKind)
		bad(store.LayoutLines, strings.Replace(lines, "cr:50101 - dr:50101", "bal:101", 1), "lines[1].formula", report.ErrStatTerm)
		bad(store.LayoutLines, strings.Replace(lines, "cr:50101 - dr:50101", "cr:999", 1), "lines[1].formula", report.ErrFormulaAccount)
		bad(store.LayoutLines, strings.Replace(lines, "cr:50101 - dr:50101", "dr:102 - cr:102", 1), "lines[1].formula", report.ErrStatAccount)
		bad(store.LayoutLines, strings.Replace(lines, "cr:50101 - dr:50101", "ybal:321", 1), "lines[1].formula", report.ErrStatAccount)
		ok(t, db.SetStatLayout(bg, f.Admin, "620422", 2026, store.LayoutTable, mustJSON(t, report.StatTable())))
		bad(store.LayoutLines, strings.Replace(lines, `"operating_type"`, `"operating_kind"`, 1), "layout", store.ErrStatNoOperatingType)
		wantErr(t, db.SetStatLayout(bg, f.Admin, "629999", 2025, store.LayoutLines, []byte(lines)), jiti.ErrNotFound, "region")
		wantErr(t, db.SetStatLayout(bg, f.Accountant, "620422", 2025, store.LayoutLines, []byte(lines)), jiti.ErrRoleCannot, "-")
		wantErr(t, db.SetStatTiers(bg, f.Admin, "620422", 2025, report.Tiers{Breaks: []jiti.Amount{0, 5, 5}}), report.ErrTiers, "breaks")
		wantErr(t, db.SetStatTiers(bg, f.Admin, "620422", 2025, report.Tiers{Breaks: []jiti.Amount{0}, WeakBelow: -1}), report.ErrTiers, "weak_below")
		_, err = db.Stats(bg, "629999", 2025)
		wantErr(t, err, jiti.ErrNotFound, "region")
		_, err = db.StatVouchers(bg, f.A.ID, 2025, "nonesuch", false)
		wantErr(t, err, store.ErrStatLine, "stat_line")
	})
}

func mustJSON(t *testing.T, st *report.Statement) []byte {
	t.Helper()
	b, err := json.Marshal(st)
	ok(t, err)
	return b
}

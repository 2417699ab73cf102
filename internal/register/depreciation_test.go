package register_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// runLife depreciates a month by month from the month after acquisition
// (or from start for an existing asset) until to, as month close would,
// and returns the amounts charged by month.
func runLife(a *register.Asset, start, to jiti.Period, st register.DepreciationState, work func(jiti.Period) int64) (map[jiti.Period]jiti.Amount, register.DepreciationState) {
	out := map[jiti.Period]jiti.Amount{}
	for m := start; m <= to; m = m.Next() {
		if work != nil {
			st.Work = work(m)
		}
		amount := register.MonthlyDepreciation(a, m, st)
		if amount < 0 {
			panic("negative depreciation")
		}
		if amount > 0 {
			out[m] = amount
			st.Accumulated += amount
			st.MonthsDone++
		}
		st.WorkDone += st.Work
	}
	return out, st
}

func TestDepreciationTiming(t *testing.T) {
	// The tractor: acquired 2025-03-15; 97,000.01 over 37 months.
	first := y("2621.62")
	tests := []struct {
		name  string
		edit  func(a *register.Asset)
		month string
		st    register.DepreciationState
		want  jiti.Amount
	}{
		{"before acquisition", nil, "2025-02", register.DepreciationState{}, 0},
		{"month of acquisition", nil, "2025-03", register.DepreciationState{}, 0},
		{"month after acquisition", nil, "2025-04", register.DepreciationState{}, first},
		{"acquired on the 1st: still none that month", func(a *register.Asset) { a.AcquiredOn, a.StatusSince = d("2025-03-01"), d("2025-03-01") }, "2025-03", register.DepreciationState{}, 0},
		{"acquired on the 31st: the next month", func(a *register.Asset) { a.AcquiredOn, a.StatusSince = d("2025-03-31"), d("2025-03-31") }, "2025-04", register.DepreciationState{}, first},
		{"idle still depreciates", func(a *register.Asset) { a.Status = register.Idle }, "2025-04", register.DepreciationState{}, first},
		{"leased out still depreciates", func(a *register.Asset) { a.Status = register.LeasedOut }, "2025-04", register.DepreciationState{}, first},
		{"invested still depreciates", func(a *register.Asset) { a.Status = register.Invested }, "2025-04", register.DepreciationState{}, first},
		{"month of disposal", func(a *register.Asset) { a.DisposedOn = d("2025-08-20") }, "2025-08", register.DepreciationState{Accumulated: 4 * first, MonthsDone: 4}, y("2621.62")},
		{"being disposed (date set, status not yet)", func(a *register.Asset) { a.DisposedOn = d("2025-04-01") }, "2025-04", register.DepreciationState{}, first},
		{"after disposal", func(a *register.Asset) { a.Status, a.DisposedOn = register.Disposed, d("2025-08-20") }, "2025-09", register.DepreciationState{Accumulated: 5 * first, MonthsDone: 5}, 0},
		{"after disposal, date from status", func(a *register.Asset) { a.Status, a.StatusSince = register.Disposed, d("2025-08-20") }, "2025-09", register.DepreciationState{}, 0},
		{"acquired and disposed in one month", func(a *register.Asset) { a.Status, a.DisposedOn = register.Disposed, d("2025-03-30") }, "2025-03", register.DepreciationState{}, 0},
		{"fully depreciated", nil, "2028-05", register.DepreciationState{Accumulated: y("97000.01"), MonthsDone: 37}, 0},
		{"over-depreciated (bad state) charges nothing", nil, "2027-05", register.DepreciationState{Accumulated: y("98000"), MonthsDone: 25}, 0},
		{"last month takes the remainder", nil, "2028-04", register.DepreciationState{Accumulated: y("94378.00"), MonthsDone: 36}, y("2622.01")},
		{"beyond the life takes the remainder", nil, "2029-01", register.DepreciationState{Accumulated: y("96000"), MonthsDone: 40}, y("1000.01")},
		{"method none", func(a *register.Asset) { a.Method = register.NoDepreciation }, "2025-04", register.DepreciationState{}, 0},
		{"welfare bio", func(a *register.Asset) { a.Category, a.Method = register.WelfareBio, register.NoDepreciation }, "2025-04", register.DepreciationState{}, 0},
		{"no life", func(a *register.Asset) { a.LifeMonths = 0 }, "2025-04", register.DepreciationState{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tractor()
			if tt.edit != nil {
				tt.edit(a)
			}
			if got := register.MonthlyDepreciation(a, p(tt.month), tt.st); got != tt.want {
				t.Errorf("MonthlyDepreciation(%s) = %v, want %v", tt.month, got, tt.want)
			}
		})
	}
}

// TestStraightLineWholeLife: 100,000.01 over 37 months with 3 % residual
// depreciates exactly 97,000.01 in 37 months, evenly to the fen.
func TestStraightLineWholeLife(t *testing.T) {
	for _, tt := range []struct {
		cost     string
		life     int
		residual int
	}{
		{"100000.01", 37, 300},
		{"0.01", 7, 0},
		{"1.00", 3, 0},
		{"999999.99", 1200, 500},
		{"12345.67", 1, 0},
		{"500.00", 60, 10000},
		{"33.33", 11, 333},
	} {
		a := tractor()
		a.Cost, a.LifeMonths, a.ResidualRate = y(tt.cost), tt.life, tt.residual
		amounts, st := runLife(a, p("2025-01"), p("2130-12"), register.DepreciationState{}, nil)
		if st.Accumulated != register.Depreciable(a) {
			t.Errorf("%s over %d: total %v, want %v", tt.cost, tt.life, st.Accumulated, register.Depreciable(a))
		}
		if register.Depreciable(a) > 0 && len(amounts) > tt.life {
			t.Errorf("%s over %d: %d months charged", tt.cost, tt.life, len(amounts))
		}
		lo, hi := jiti.MaxAmount, jiti.Amount(0)
		for m, v := range amounts {
			if m <= p("2025-03") {
				t.Errorf("%s: charged in %s, before the month after acquisition", tt.cost, m)
			}
			lo, hi = min(lo, v), max(hi, v)
		}
		if len(amounts) > 0 && hi-lo > 1 && register.Depreciable(a) >= jiti.Amount(tt.life) {
			t.Errorf("%s over %d: months range from %v to %v, not even", tt.cost, tt.life, lo, hi)
		}
	}
	a := tractor()
	amounts, _ := runLife(a, p("2025-01"), p("2030-12"), register.DepreciationState{}, nil)
	if len(amounts) != 37 || amounts[p("2025-04")] == 0 || amounts[p("2028-04")] == 0 || amounts[p("2028-05")] != 0 {
		t.Errorf("tractor: %d months, first %v, last %v, after %v", len(amounts), amounts[p("2025-04")], amounts[p("2028-04")], amounts[p("2028-05")])
	}
}

func TestExistingAsset(t *testing.T) {
	a := &register.Asset{Code: "ZC-0001", Name: "村委会办公楼", Category: register.Building, Nature: register.NonOperating,
		Use: register.ForManagement, AcquiredOn: d("2015-06-20"), Source: register.Existing, Cost: y("360000"),
		LifeMonths: 240, ResidualRate: 500, OpeningDepreciation: y("145350"), OpeningMonths: 102}
	a.Normalize()
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	// 342,000 depreciable, 145,350 done: 196,650 over the 138 months left.
	st := register.DepreciationState{Accumulated: a.OpeningDepreciation, MonthsDone: a.OpeningMonths}
	if got := register.MonthlyDepreciation(a, p("2024-01"), st); got != y("1425") {
		t.Errorf("first month in jiti = %v, want 1425.00", got)
	}
	amounts, end := runLife(a, p("2024-01"), p("2040-12"), st, nil)
	if len(amounts) != 138 || end.Accumulated != register.Depreciable(a) || end.MonthsDone != 240 {
		t.Errorf("%d months, accumulated %v, months %d", len(amounts), end.Accumulated, end.MonthsDone)
	}
	if amounts[p("2035-06")] == 0 || amounts[p("2035-07")] != 0 {
		t.Errorf("last month %v, after %v", amounts[p("2035-06")], amounts[p("2035-07")])
	}

	// An existing asset already fully depreciated charges nothing.
	a.OpeningDepreciation, a.OpeningMonths = register.Depreciable(a), 240
	if got := register.MonthlyDepreciation(a, p("2024-01"), register.DepreciationState{Accumulated: a.OpeningDepreciation, MonthsDone: 240}); got != 0 {
		t.Errorf("fully depreciated existing asset charged %v", got)
	}
}

func TestUnitsOfWork(t *testing.T) {
	truck := func() *register.Asset {
		a := tractor()
		a.Category, a.Method, a.Cost, a.ResidualRate, a.LifeMonths = register.Vehicle, register.UnitsOfWork, y("200000"), 500, 0
		a.TotalWork, a.WorkUnit = 300000, "公里"
		return a
	}
	a := truck()
	// 190,000 over 300,000 km: 12,345 km is 7,818.50.
	if got := register.MonthlyDepreciation(a, p("2025-04"), register.DepreciationState{Work: 12345}); got != y("7818.50") {
		t.Errorf("12,345 km = %v", got)
	}
	if got := register.MonthlyDepreciation(a, p("2025-04"), register.DepreciationState{}); got != 0 {
		t.Errorf("no work = %v", got)
	}
	if got := register.MonthlyDepreciation(a, p("2025-03"), register.DepreciationState{Work: 100}); got != 0 {
		t.Errorf("month of acquisition = %v", got)
	}
	// The month the work reaches the total takes exactly the remainder.
	st := register.DepreciationState{Accumulated: y("189000"), MonthsDone: 30, WorkDone: 299000, Work: 5000}
	if got := register.MonthlyDepreciation(a, p("2027-10"), st); got != y("1000") {
		t.Errorf("last work = %v, want the remainder 1000.00", got)
	}
	// Capped at the remainder even when the work done is unknown.
	st = register.DepreciationState{Accumulated: y("189999.90"), Work: 300}
	if got := register.MonthlyDepreciation(a, p("2027-10"), st); got != y("0.10") {
		t.Errorf("capped = %v", got)
	}

	// Awkward: 1.00 over 3 units, one unit a month: 0.33, 0.33, 0.34.
	b := truck()
	b.Cost, b.ResidualRate, b.TotalWork = y("1"), 0, 3
	amounts, end := runLife(b, p("2025-04"), p("2025-12"), register.DepreciationState{}, func(jiti.Period) int64 { return 1 })
	if end.Accumulated != y("1") || amounts[p("2025-04")] != 33 || amounts[p("2025-05")] != 33 || amounts[p("2025-06")] != 34 || len(amounts) != 3 {
		t.Errorf("1.00 over 3 units: %v, total %v", amounts, end.Accumulated)
	}

	// Whole life with uneven work: exact to the fen.
	c := truck()
	c.Cost, c.TotalWork = y("123456.78"), 99991
	work := func(m jiti.Period) int64 { return int64(m%7)*1013 + 277 }
	_, end = runLife(c, p("2025-04"), p("2040-12"), register.DepreciationState{}, work)
	if end.Accumulated != register.Depreciable(c) {
		t.Errorf("units whole life: %v, want %v", end.Accumulated, register.Depreciable(c))
	}
}

// TestDisposalMidLife: bought 2025-03-15, disposed 2026-01-10: depreciated
// April 2025 to January 2026, ten months, and never after.
func TestDisposalMidLife(t *testing.T) {
	a := tractor()
	a.Status, a.DisposedOn = register.Disposed, d("2026-01-10")
	amounts, st := runLife(a, p("2025-01"), p("2027-12"), register.DepreciationState{}, nil)
	if len(amounts) != 10 || amounts[p("2026-01")] == 0 || amounts[p("2026-02")] != 0 {
		t.Errorf("%d months: %v", len(amounts), amounts)
	}
	if st.Accumulated >= register.Depreciable(a) || st.Accumulated != y("26216.20") {
		t.Errorf("accumulated %v", st.Accumulated)
	}
}

func TestDepreciationPlan(t *testing.T) {
	a := tractor()
	plan := register.DepreciationPlan(a, p("2025-01"), p("2030-12"))
	if len(plan) != 37 || plan[0].Period != p("2025-04") || plan[36].Period != p("2028-04") {
		t.Fatalf("plan: %d months from %v to %v", len(plan), plan[0].Period, plan[len(plan)-1].Period)
	}
	last := plan[36]
	if last.Accumulated != y("97000.01") || last.NetValue != y("3000") {
		t.Errorf("last month: %+v", last)
	}
	var sum jiti.Amount
	for _, m := range plan {
		sum += m.Amount
		if m.Accumulated != sum || m.NetValue != a.Cost-sum {
			t.Fatalf("month %v inconsistent: %+v (sum %v)", m.Period, m, sum)
		}
	}
	// A window continues from the months before it.
	window := register.DepreciationPlan(a, p("2026-01"), p("2026-12"))
	if len(window) != 12 || window[0] != plan[9] || window[11] != plan[20] {
		t.Errorf("window: %+v", window)
	}
	if got := register.DepreciationPlan(a, p("2026-12"), p("2026-01")); got != nil {
		t.Errorf("reversed window = %v", got)
	}
	// Disposal cuts the plan.
	a.DisposedOn = d("2025-06-30")
	if got := register.DepreciationPlan(a, p("2025-01"), p("2030-12")); len(got) != 3 {
		t.Errorf("plan with disposal: %d months", len(got))
	}
	// Existing: from the books' first month, after the opening.
	e := tractor()
	e.Source, e.AcquiredOn, e.StatusSince = register.Existing, d("2020-01-01"), d("2020-01-01")
	e.Cost, e.ResidualRate, e.LifeMonths, e.OpeningDepreciation, e.OpeningMonths = y("1200"), 0, 24, y("1000"), 20
	got := register.DepreciationPlan(e, p("2024-01"), p("2024-12"))
	if len(got) != 4 || got[0].Period != p("2024-01") || got[0].Amount != y("50") || got[3].Accumulated != y("1200") {
		t.Errorf("existing plan: %+v", got)
	}
	// Units of work cannot be projected.
	e.Method, e.TotalWork = register.UnitsOfWork, 100
	if got := register.DepreciationPlan(e, p("2024-01"), p("2024-12")); got != nil {
		t.Errorf("units plan = %v", got)
	}
}

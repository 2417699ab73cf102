package register_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

func sumOf(insts []register.Instalment) (s jiti.Amount) {
	for _, in := range insts {
		s += in.Amount
	}
	return s
}

// checkShape checks that a schedule is numbered 1..n, due on each
// period's first day, contiguous from start to end.
func checkShape(t *testing.T, c *register.Contract, insts []register.Instalment) {
	t.Helper()
	if len(insts) == 0 {
		t.Fatal("empty schedule")
	}
	for i, in := range insts {
		if in.No != i+1 || in.DueOn != in.From || in.ContractID != c.ID || in.To.Before(in.From) {
			t.Errorf("instalment %d: %+v", i+1, in)
		}
		if i > 0 && in.From != insts[i-1].To.AddDays(1) {
			t.Errorf("instalment %d starts %s, the one before ends %s", i+1, in.From, insts[i-1].To)
		}
	}
	if insts[0].From != c.Start || insts[len(insts)-1].To != c.End {
		t.Errorf("covers %s..%s, term %s..%s", insts[0].From, insts[len(insts)-1].To, c.Start, c.End)
	}
	if err := register.CheckSchedule(c, insts); err != nil {
		t.Errorf("CheckSchedule of a generated schedule: %s", describe(err))
	}
}

func TestScheduleFrequencies(t *testing.T) {
	tests := []struct {
		name       string
		freq       register.Frequency
		start, end string
		amount     string
		n          int
		first      string
		last       string
	}{
		{"yearly", register.Yearly, "2025-01-01", "2027-12-31", "36000", 3, "12000", "12000"},
		{"half-yearly", register.HalfYearly, "2025-04-01", "2027-03-31", "8000", 4, "2000", "2000"},
		{"quarterly", register.Quarterly, "2025-01-01", "2026-12-31", "80000", 8, "10000", "10000"},
		{"monthly, awkward amount", register.Monthly, "2025-01-01", "2025-12-31", "10000", 12, "833.34", "833.33"},
		{"once", register.Once, "2025-07-01", "2028-06-30", "90000", 1, "90000", "90000"},
		{"yearly, one day", register.Yearly, "2025-05-05", "2025-05-05", "0.01", 1, "0.01", "0.01"},
		{"yearly, leap year weighs the same", register.Yearly, "2027-01-01", "2028-12-31", "20000", 2, "10000", "10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := shopLease()
			c.Frequency, c.Start, c.End, c.Amount = tt.freq, d(tt.start), d(tt.end), y(tt.amount)
			insts, err := register.Schedule(c)
			if err != nil {
				t.Fatal(err)
			}
			checkShape(t, c, insts)
			if len(insts) != tt.n || sumOf(insts) != c.Amount || insts[0].Amount != y(tt.first) || insts[len(insts)-1].Amount != y(tt.last) {
				t.Errorf("%d instalments summing %v, first %v, last %v", len(insts), sumOf(insts), insts[0].Amount, insts[len(insts)-1].Amount)
			}
		})
	}
}

func TestSchedulePartialLastPeriod(t *testing.T) {
	// Yearly from 2025-03-01 to 2027-08-31: two whole years, then 184 days
	// of the 366 of 2027-03-01..2028-02-29.
	c := shopLease()
	c.Start, c.End, c.Amount = d("2025-03-01"), d("2027-08-31"), y("25000")
	insts, err := register.Schedule(c)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, c, insts)
	// 25,000 × 1/(2 + 184/366) = 9,989.08…; the last is 25,000 − 2 × 9,989.08.
	if len(insts) != 3 || insts[0].Amount != y("9989.08") || insts[1].Amount != y("9989.08") || insts[2].Amount != y("5021.84") {
		t.Errorf("schedule: %+v", insts)
	}
	if insts[2].From != d("2027-03-01") || insts[2].To != d("2027-08-31") {
		t.Errorf("last period %s..%s", insts[2].From, insts[2].To)
	}
}

func TestScheduleMonthEnds(t *testing.T) {
	// Counted from the start, never chained: a start on the 31st keeps it.
	c := shopLease()
	c.Frequency, c.Start, c.End, c.Amount = register.Monthly, d("2025-01-31"), d("2025-06-15"), y("1000")
	insts, err := register.Schedule(c)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, c, insts)
	wantFrom := []string{"2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31"}
	if len(insts) != len(wantFrom) {
		t.Fatalf("%d instalments", len(insts))
	}
	for i, w := range wantFrom {
		if insts[i].From != d(w) {
			t.Errorf("instalment %d from %s, want %s", i+1, insts[i].From, w)
		}
	}
	// The last covers 2025-05-31..06-15: 16 of the 30 days to 06-29.
	if insts[4].To != d("2025-06-15") || insts[4].Amount >= insts[3].Amount {
		t.Errorf("last: %+v", insts[4])
	}
}

func TestScheduleEscalation(t *testing.T) {
	c := shopLease()
	c.Start, c.End, c.Amount, c.Escalation = d("2025-01-01"), d("2029-12-31"), y("100000.03"), 300
	insts, err := register.Schedule(c)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, c, insts)
	if sumOf(insts) != c.Amount || len(insts) != 5 {
		t.Fatalf("sum %v of %d", sumOf(insts), len(insts))
	}
	// Each year 3 % more than the one before, to a fen of rounding.
	for i := 1; i < len(insts); i++ {
		want, _ := insts[i-1].Amount.MulRatio(103, 100)
		if diff := insts[i].Amount - want; diff < -2 || diff > 2 {
			t.Errorf("year %d: %v, want about %v", i+1, insts[i].Amount, want)
		}
	}

	// Quarterly with escalation: the quarters of a contract year are equal.
	c.Frequency, c.End, c.Amount, c.Escalation = register.Quarterly, d("2027-06-30"), y("77777.77"), 550
	insts, err = register.Schedule(c)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, c, insts)
	if sumOf(insts) != c.Amount || len(insts) != 10 {
		t.Fatalf("quarterly: sum %v of %d", sumOf(insts), len(insts))
	}
	for _, q := range [][2]int{{0, 3}, {4, 7}, {8, 9}} {
		for i := q[0] + 1; i <= q[1]; i++ {
			if diff := insts[i].Amount - insts[q[0]].Amount; diff < -1 || diff > 1 {
				t.Errorf("quarters %d and %d of a year differ: %v, %v", q[0]+1, i+1, insts[q[0]].Amount, insts[i].Amount)
			}
		}
	}
	if insts[4].Amount <= insts[3].Amount || insts[8].Amount <= insts[7].Amount {
		t.Errorf("no escalation: %v %v %v %v", insts[3].Amount, insts[4].Amount, insts[7].Amount, insts[8].Amount)
	}

	// Awkward terms and amounts always add up exactly.
	for _, tc := range []struct {
		freq       register.Frequency
		start, end string
		amount     jiti.Amount
		esc        int
	}{
		{register.Monthly, "2024-02-29", "2031-02-27", 84, 999},
		{register.Monthly, "2024-02-29", "2031-02-27", 100001, 999},
		{register.Monthly, "2024-02-29", "2031-02-27", 99999999999, 10000},
		{register.Quarterly, "2025-11-30", "2026-02-27", 2, 1},
		{register.HalfYearly, "2025-08-31", "2045-08-30", 123456789, 250},
		{register.Yearly, "2025-12-31", "2095-06-30", 7000001, 250},
		{register.Yearly, "2025-12-31", "2035-06-30", 3333, 10000},
	} {
		c := shopLease()
		c.Frequency, c.Start, c.End, c.Amount, c.Escalation = tc.freq, d(tc.start), d(tc.end), tc.amount, tc.esc
		insts, err := register.Schedule(c)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		checkShape(t, c, insts)
		if sumOf(insts) != c.Amount {
			t.Errorf("%+v: sum %v", tc, sumOf(insts))
		}
		for _, in := range insts {
			if in.Amount < 0 {
				t.Errorf("%+v: negative instalment %+v", tc, in)
			}
		}
	}
}

func TestScheduleErrors(t *testing.T) {
	c := shopLease()
	c.End = d("2024-01-01")
	if _, err := register.Schedule(c); !hasProblem(err, register.ErrEndBeforeStart, "end") {
		t.Errorf("end before start: %s", describe(err))
	}
	c = shopLease()
	c.Frequency = "weekly"
	if _, err := register.Schedule(c); !hasProblem(err, register.ErrUnknown, "frequency") {
		t.Errorf("weekly: %s", describe(err))
	}
	c = shopLease()
	c.Frequency, c.End = register.Monthly, d("2125-12-31")
	if _, err := register.Schedule(c); !hasProblem(err, register.ErrScheduleTooLong, "frequency") {
		t.Errorf("101 years monthly: %s", describe(err))
	}
	c = shopLease()
	c.Frequency, c.Amount = register.Monthly, 35
	if _, err := register.Schedule(c); !hasProblem(err, register.ErrScheduleZero, "amount") {
		t.Errorf("35 fen over 36 months: %s", describe(err))
	}
	c.Frequency, c.End = register.Yearly, d("2125-12-31")
	c.Amount = y("101")
	if insts, err := register.Schedule(c); err != nil || len(insts) != 101 {
		t.Errorf("101 years yearly: %d, %v", len(insts), err)
	}
}

func TestCheckSchedule(t *testing.T) {
	c := shopLease() // 2025..2027, 36,000
	good := func() []register.Instalment {
		return []register.Instalment{
			{No: 1, DueOn: d("2025-01-15"), From: d("2025-01-01"), To: d("2025-12-31"), Amount: y("10000")},
			{No: 2, DueOn: d("2026-01-15"), From: d("2026-01-01"), To: d("2026-12-31"), Amount: y("12000")},
			{No: 3, DueOn: d("2027-01-15"), From: d("2027-01-01"), To: d("2027-12-31"), Amount: y("14000")},
		}
	}
	edit := func(f func(s []register.Instalment) []register.Instalment) []register.Instalment { return f(good()) }
	tests := []struct {
		name  string
		insts []register.Instalment
		want  *jiti.Error
		field string
	}{
		{"valid", good(), nil, ""},
		{"valid with a gap", edit(func(s []register.Instalment) []register.Instalment { s[1].From = d("2026-03-01"); return s }), nil, ""},
		{"valid due after the period", edit(func(s []register.Instalment) []register.Instalment {
			s[0].DueOn = d("2026-01-01")
			s[1].DueOn = d("2026-01-01")
			return s
		}), nil, ""},
		{"empty", nil, jiti.ErrRequired, "instalments"},
		{"sum", edit(func(s []register.Instalment) []register.Instalment { s[2].Amount = y("13999.99"); return s }), register.ErrScheduleSum, "instalments"},
		{"numbering", edit(func(s []register.Instalment) []register.Instalment { s[1].No = 3; s[2].No = 2; return s }), nil, "multi"},
		{"due dates out of order", edit(func(s []register.Instalment) []register.Instalment { s[2].DueOn = d("2026-01-14"); return s }), register.ErrScheduleOrder, "instalments[3].due_on"},
		{"due date missing", edit(func(s []register.Instalment) []register.Instalment { s[1].DueOn = jiti.Date{}; return s }), jiti.ErrRequired, "instalments[2].due_on"},
		{"before the term", edit(func(s []register.Instalment) []register.Instalment { s[0].From = d("2024-12-31"); return s }), register.ErrScheduleOutside, "instalments[1].from"},
		{"after the term", edit(func(s []register.Instalment) []register.Instalment { s[2].To = d("2028-01-01"); return s }), register.ErrScheduleOutside, "instalments[3].to"},
		{"overlapping", edit(func(s []register.Instalment) []register.Instalment { s[1].From = d("2025-12-31"); return s }), register.ErrScheduleOverlap, "instalments[2].from"},
		{"period reversed", edit(func(s []register.Instalment) []register.Instalment { s[1].To = d("2025-12-31"); return s }), register.ErrEndBeforeStart, "instalments[2].to"},
		{"period missing", edit(func(s []register.Instalment) []register.Instalment { s[1].From = jiti.Date{}; return s }), jiti.ErrRequired, "instalments[2].from"},
		{"zero amount", edit(func(s []register.Instalment) []register.Instalment {
			s[1].Amount, s[2].Amount = 0, y("26000")
			return s
		}), register.ErrNotPositive, "instalments[2].amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := register.CheckSchedule(c, tt.insts)
			if tt.field == "multi" {
				if !hasProblem(err, register.ErrScheduleNumber, "instalments[2].no") || !hasProblem(err, register.ErrScheduleNumber, "instalments[3].no") {
					t.Errorf("numbering: %s", describe(err))
				}
				return
			}
			checkProblem(t, err, tt.want, tt.field)
		})
	}
	// The sum error carries both sums.
	bad := good()
	bad[0].Amount = y("9000")
	err := register.CheckSchedule(c, bad)
	if e := jiti.AsError(err); e == nil || len(e.Args) != 2 || e.Args[0] != y("35000") || e.Args[1] != y("36000") {
		t.Errorf("sum error: %#v", err)
	}
	// Several problems come back together.
	bad[1].Amount = -1
	if ps := problemsOf(register.CheckSchedule(c, bad)); len(ps) != 2 {
		t.Errorf("want the amount and the sum: %s", describe(register.CheckSchedule(c, bad)))
	}
}

func TestSlices(t *testing.T) {
	// A lump sum for 2025-07-01..2028-06-30: 184 + 365 + 365 + 182 days.
	c := shopLease()
	c.Frequency, c.Start, c.End, c.Amount = register.Once, d("2025-07-01"), d("2028-06-30"), y("90000")
	insts, _ := register.Schedule(c)
	got := register.Slices(insts[0])
	want := []register.YearSlice{{2025, y("15109.49")}, {2026, y("29972.63")}, {2027, y("29972.63")}, {2028, y("14945.25")}}
	if len(got) != len(want) {
		t.Fatalf("slices %v", got)
	}
	var sum jiti.Amount
	for i := range want {
		sum += got[i].Amount
		if got[i] != want[i] {
			t.Errorf("slice %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if sum != c.Amount {
		t.Errorf("slices sum to %v", sum)
	}
	// One year: one slice.
	one := register.Slices(register.Instalment{From: d("2025-01-01"), To: d("2025-12-31"), Amount: 7})
	if len(one) != 1 || one[0] != (register.YearSlice{2025, 7}) {
		t.Errorf("one year: %v", one)
	}
	// Awkward: 1 fen over two years goes to the longer part.
	tiny := register.Slices(register.Instalment{From: d("2025-12-01"), To: d("2026-03-31"), Amount: 1})
	if tiny[0].Amount != 0 || tiny[1].Amount != 1 {
		t.Errorf("tiny: %v", tiny)
	}
	// No period: the year it is due.
	if s := register.Slices(register.Instalment{DueOn: d("2026-05-01"), Amount: 5}); len(s) != 1 || s[0].Year != 2026 {
		t.Errorf("no period: %v", s)
	}
}

func TestSlicesOfNegativeAmount(t *testing.T) {
	// A correction of an instalment may be negative; it splits exactly too.
	s := register.Slices(register.Instalment{From: d("2025-07-01"), To: d("2026-06-30"), Amount: -1001})
	if len(s) != 2 || s[0].Amount+s[1].Amount != -1001 || s[0].Amount != -505 {
		t.Errorf("negative slices: %v", s)
	}
}

// TestAmountForRent prices contracts from a rent per period: the schedule
// of the amount gives back the rent in each period of the first contract
// year, to a fen, escalation and a shorter last period included.
func TestAmountForRent(t *testing.T) {
	c := shopLease()
	for _, tc := range []struct {
		freq       register.Frequency
		end        string
		escalation int
		rent       jiti.Amount
		want       jiti.Amount
	}{
		{register.Yearly, "2029-12-31", 0, y("12000"), y("60000")},
		{register.Quarterly, "2026-12-31", 0, y("2500"), y("20000")},
		// 10000 + 10300 + 10609 = 30909
		{register.Yearly, "2027-12-31", 300, y("10000"), y("30909")},
		// A last half year weighs its days of the third year's rent:
		// 10000 + 10300 + 10609 × 181/365 = 25560.90.
		{register.Yearly, "2027-06-30", 300, y("10000"), y("25560.90")},
		{register.Monthly, "2025-12-31", 0, y("333.33"), y("3999.96")},
	} {
		c.Start, c.End, c.Frequency, c.Escalation = d("2025-01-01"), d(tc.end), tc.freq, tc.escalation
		got := register.AmountForRent(c, tc.rent)
		if tc.want != 0 && got != tc.want {
			t.Errorf("%s to %s at %d: %v, want %v", tc.freq, tc.end, tc.escalation, got, tc.want)
		}
		c.Amount = got
		insts, err := register.Schedule(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range insts {
			if in.DueOn.Year != 2025 {
				continue
			}
			if diff := in.Amount - tc.rent; diff < -1 || diff > 1 {
				t.Errorf("%s to %s at %d: instalment %d is %v, want %v", tc.freq, tc.end, tc.escalation, in.No, in.Amount, tc.rent)
			}
		}
	}
	// A one-off payment is its rent; an invalid term prices nothing.
	c.Frequency = register.Once
	if got := register.AmountForRent(c, y("500")); got != y("500") {
		t.Errorf("once: %v", got)
	}
	c.Frequency, c.End = register.Yearly, d("2024-01-01")
	if got := register.AmountForRent(c, y("500")); got != 0 {
		t.Errorf("end before start: %v", got)
	}
}

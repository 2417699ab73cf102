package register_test

import (
	"slices"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// shopSchedule returns the shop lease's schedule: 12,000 due on the first
// of January of 2025, 2026 and 2027.
func shopSchedule(t *testing.T) []register.Instalment {
	t.Helper()
	insts, err := register.Schedule(shopLease())
	if err != nil {
		t.Fatal(err)
	}
	return insts
}

func TestAllocate(t *testing.T) {
	paid := func(t *testing.T, received ...string) []register.Instalment {
		insts := shopSchedule(t)
		for i, r := range received {
			insts[i].Received = y(r)
		}
		return insts
	}
	type part = register.AllocPart
	tests := []struct {
		name     string
		insts    []register.Instalment
		on       string
		amount   string
		opts     register.AllocOptions
		parts    []part
		advance  string
		over     string
		want     *jiti.Error
		wantArgs []any
	}{
		{name: "partial payment", insts: paid(t), on: "2025-03-01", amount: "5000", parts: []part{{1, y("5000")}}},
		{name: "rest of a partly paid instalment", insts: paid(t, "5000"), on: "2025-06-01", amount: "7000", parts: []part{{1, y("7000")}}},
		{name: "several instalments due", insts: paid(t, "5000"), on: "2026-02-01", amount: "19000", parts: []part{{1, y("7000")}, {2, y("12000")}}},
		{name: "due on the day", insts: paid(t, "12000"), on: "2026-01-01", amount: "12000", parts: []part{{2, y("12000")}}},
		{name: "more than due refused", insts: paid(t, "5000"), on: "2026-02-01", amount: "20000",
			want: register.ErrReceiptExceedsDue, wantArgs: []any{y("20000"), y("19000"), d("2026-02-01")}},
		{name: "nothing due yet refused", insts: paid(t, "12000"), on: "2025-06-01", amount: "100",
			want: register.ErrReceiptExceedsDue, wantArgs: []any{y("100"), y("0"), d("2025-06-01")}},
		{name: "advance allowed", insts: paid(t, "5000"), on: "2026-02-01", amount: "20000", opts: register.AllocOptions{Advance: true},
			parts: []part{{1, y("7000")}, {2, y("12000")}, {3, y("1000")}}, advance: "1000"},
		{name: "whole contract in advance", insts: paid(t), on: "2025-01-01", amount: "36000", opts: register.AllocOptions{Advance: true},
			parts: []part{{1, y("12000")}, {2, y("12000")}, {3, y("12000")}}, advance: "24000"},
		{name: "more than the contract refused", insts: paid(t), on: "2027-06-01", amount: "40000",
			want: register.ErrReceiptExceedsContract, wantArgs: []any{y("40000"), y("36000")}},
		{name: "more than the contract refused even in advance", insts: paid(t), on: "2025-06-01", amount: "36000.01", opts: register.AllocOptions{Advance: true},
			want: register.ErrReceiptExceedsContract, wantArgs: []any{y("36000.01"), y("36000")}},
		{name: "overpayment allowed when all is due", insts: paid(t, "12000"), on: "2027-06-01", amount: "30000", opts: register.AllocOptions{Over: true},
			parts: []part{{2, y("12000")}, {3, y("12000")}}, over: "6000"},
		{name: "overpayment of a paid-up contract", insts: paid(t, "12000", "12000", "12000"), on: "2027-06-01", amount: "50", opts: register.AllocOptions{Over: true},
			over: "50"},
		{name: "overpayment still needs advance for instalments not due", insts: paid(t), on: "2025-06-01", amount: "40000", opts: register.AllocOptions{Over: true},
			want: register.ErrReceiptExceedsDue},
		{name: "advance and overpayment", insts: paid(t), on: "2025-06-01", amount: "40000", opts: register.AllocOptions{Over: true, Advance: true},
			parts: []part{{1, y("12000")}, {2, y("12000")}, {3, y("12000")}}, advance: "24000", over: "4000"},
		{name: "zero", insts: paid(t), on: "2025-06-01", amount: "0", want: register.ErrNotPositive},
		{name: "negative", insts: paid(t), on: "2025-06-01", amount: "-1", want: register.ErrNotPositive},
		{name: "due order, not list order", insts: func() []register.Instalment {
			s := paid(t)
			slices.Reverse(s)
			return s
		}(), on: "2026-06-01", amount: "15000", parts: []part{{1, y("12000")}, {2, y("3000")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := register.Allocate(tt.insts, d(tt.on), y(tt.amount), tt.opts)
			if tt.want != nil {
				checkProblem(t, err, tt.want, "amount")
				if tt.wantArgs != nil && !slices.Equal(jiti.AsError(err).Args, tt.wantArgs) {
					t.Errorf("args %v, want %v", jiti.AsError(err).Args, tt.wantArgs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			adv, over := jiti.Amount(0), jiti.Amount(0)
			if tt.advance != "" {
				adv = y(tt.advance)
			}
			if tt.over != "" {
				over = y(tt.over)
			}
			if !slices.Equal(a.Parts, tt.parts) || a.Advance != adv || a.Overpayment != over {
				t.Errorf("allocation %+v, want parts %v advance %v over %v", a, tt.parts, adv, over)
			}
			var sum jiti.Amount
			for _, p := range a.Parts {
				sum += p.Amount
			}
			if sum+a.Overpayment != y(tt.amount) {
				t.Errorf("parts and overpayment add up to %v", sum+a.Overpayment)
			}
		})
	}
}

func TestAllocationApply(t *testing.T) {
	insts := shopSchedule(t)
	a, err := register.Allocate(insts, d("2026-03-01"), y("15000"), register.AllocOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a.Apply(insts)
	if insts[0].Received != y("12000") || insts[1].Received != y("3000") || insts[2].Received != 0 {
		t.Errorf("after Apply: %v %v %v", insts[0].Received, insts[1].Received, insts[2].Received)
	}
	if insts[1].Outstanding() != y("9000") {
		t.Errorf("outstanding %v", insts[1].Outstanding())
	}
}

// lumpSum returns a three-year lump sum of 90,000 for 2025-07-01 to
// 2028-06-30, whose year slices are 15,109.49, 29,972.63, 29,972.63 and
// 14,945.25.
func lumpSum(t *testing.T) (*register.Contract, register.Instalment) {
	t.Helper()
	c := shopLease()
	c.Frequency, c.Start, c.End, c.Amount = register.Once, d("2025-07-01"), d("2028-06-30"), y("90000")
	insts, err := register.Schedule(c)
	if err != nil {
		t.Fatal(err)
	}
	return c, insts[0]
}

func TestRecognize(t *testing.T) {
	c, lump := lumpSum(t)
	later := func(ys ...register.YearSlice) []register.YearSlice { return ys }
	tests := []struct {
		name     string
		c        func() *register.Contract
		in       register.Instalment
		received string
		part     string
		on       string
		want     register.Split
	}{
		{"cash basis, this year's instalment", shopLease, shopSchedule(t)[0], "0", "12000", "2025-01-05",
			register.Split{Income: y("12000")}},
		{"cash basis, paid late in a later year", shopLease, shopSchedule(t)[0], "0", "12000", "2026-03-05",
			register.Split{Income: y("12000")}},
		{"cash basis, paid ahead in the year before", shopLease, shopSchedule(t)[1], "0", "12000", "2025-12-20",
			register.Split{Deferred: y("12000"), Later: later(register.YearSlice{2026, y("12000")})}},
		{"lump sum paid at once", func() *register.Contract { return c }, lump, "0", "90000", "2025-07-01",
			register.Split{Income: y("15109.49"), Deferred: y("74890.51"),
				Later: later(register.YearSlice{2026, y("29972.63")}, register.YearSlice{2027, y("29972.63")}, register.YearSlice{2028, y("14945.25")})}},
		{"lump sum, first part fills the earliest slices", func() *register.Contract { return c }, lump, "0", "20000", "2025-07-01",
			register.Split{Income: y("15109.49"), Deferred: y("4890.51"), Later: later(register.YearSlice{2026, y("4890.51")})}},
		{"lump sum, second part continues", func() *register.Contract { return c }, lump, "20000", "70000", "2026-01-10",
			register.Split{Income: y("25082.12"), Deferred: y("44917.88"),
				Later: later(register.YearSlice{2027, y("29972.63")}, register.YearSlice{2028, y("14945.25")})}},
		{"lump sum paid after its term", func() *register.Contract { return c }, lump, "0", "90000", "2029-01-02",
			register.Split{Income: y("90000")}},
		{"accrued instalment clears the receivable", func() *register.Contract {
			a := shopLease()
			a.Accrue = true
			return a
		}, func() register.Instalment { in := lump; in.Accrued = true; return in }(), "0", "50000", "2025-08-01",
			register.Split{Receivable: y("50000")}},
		{"accruing contract, instalment paid before its accrual", func() *register.Contract {
			a := shopLease()
			a.Accrue = true
			return a
		}, shopSchedule(t)[1], "0", "12000", "2025-12-20",
			register.Split{Deferred: y("12000"), Later: later(register.YearSlice{2026, y("12000")})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Received = y(tt.received)
			got := register.Recognize(tt.c(), in, y(tt.part), d(tt.on))
			if got.Income != tt.want.Income || got.Deferred != tt.want.Deferred || got.Receivable != tt.want.Receivable ||
				!slices.Equal(got.Later, tt.want.Later) || got.Total() != y(tt.part) {
				t.Errorf("Recognize = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAccrualSplitAndDeferredIn(t *testing.T) {
	_, lump := lumpSum(t)
	s := register.AccrualSplit(lump, d("2025-07-01"))
	if s.Income != y("15109.49") || s.Deferred != y("74890.51") || s.Receivable != 0 || len(s.Later) != 3 {
		t.Errorf("accrual of the whole: %+v", s)
	}
	lump.Received = y("20000")
	s = register.AccrualSplit(lump, d("2025-07-01"))
	if s.Income != 0 || s.Deferred != y("70000") || s.Later[0] != (register.YearSlice{2026, y("25082.12")}) {
		t.Errorf("accrual after a receipt: %+v", s)
	}
	lump.Received = 0

	for _, tt := range []struct {
		year   int
		booked string
		want   string
	}{
		{2026, "20000", "4890.51"}, {2026, "90000", "29972.63"}, {2027, "20000", "0"}, {2027, "90000", "29972.63"},
		{2028, "80000", "4945.25"}, {2026, "0", "0"}, {2030, "90000", "0"}, {2025, "90000", "15109.49"},
	} {
		if got := register.DeferredIn(lump, tt.year, y(tt.booked)); got != y(tt.want) {
			t.Errorf("DeferredIn(%d, %s) = %v, want %s", tt.year, tt.booked, got, tt.want)
		}
	}

	// Receipts in several years: what each defers to a year is what
	// DeferredIn recognizes in it.
	c, lump := lumpSum(t)
	deferred := map[int]jiti.Amount{}
	receipts := []struct{ on, amount string }{{"2025-07-01", "10000"}, {"2025-11-30", "30000"}, {"2026-08-01", "35000"}, {"2027-02-01", "15000"}}
	booked := map[int]jiti.Amount{} // received before 1 January of the year
	for _, r := range receipts {
		for yr := d(r.on).Year + 1; yr <= 2029; yr++ {
			booked[yr] += y(r.amount)
		}
		s := register.Recognize(c, lump, y(r.amount), d(r.on))
		for _, l := range s.Later {
			deferred[l.Year] += l.Amount
		}
		lump.Received += y(r.amount)
	}
	for yr := 2026; yr <= 2028; yr++ {
		if got := register.DeferredIn(lump, yr, booked[yr]); got != deferred[yr] {
			t.Errorf("%d: DeferredIn %v, deferred by the receipts %v", yr, got, deferred[yr])
		}
	}
}

package register_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"example.org/jiti/internal/register"
)

func shareTypes() []register.ShareType {
	return []register.ShareType{
		{Code: "RK", Name: "人口股", Kind: register.PersonShare, Management: register.Static, QuantifiedOn: d("2020-06-30"), Total: 100_00},
		{Code: "JT", Name: "集体股", Kind: register.CollectiveShare, Management: register.Static, QuantifiedOn: d("2020-06-30"), Total: 20_00},
		{Code: "NL", Name: "农龄股", Kind: register.SeniorityShare, Management: register.Dynamic, QuantifiedOn: d("2020-06-30"), Total: 50_00},
	}
}

func member(n int) register.Holder {
	return register.Holder{Kind: register.HeldByMember, Code: fmt.Sprintf("M%03d", n)}
}

func household(n int) register.Holder {
	return register.Holder{Kind: register.HeldByHousehold, Code: fmt.Sprintf("H%03d", n)}
}

func TestParseShares(t *testing.T) {
	for in, want := range map[string]register.Shares{"1": 100, "12.5": 1250, "0.75": 75, " 3.00 ": 300} {
		if got, err := register.ParseShares(in); err != nil || got != want {
			t.Errorf("ParseShares(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1.234", "1e3", "1,000", "abc", "99999999999"} {
		if _, err := register.ParseShares(in); err == nil {
			t.Errorf("ParseShares(%q) accepted", in)
		}
	}
	if s := register.Shares(1250).String(); s != "12.50" {
		t.Errorf("String = %q", s)
	}
}

func TestShareBookRules(t *testing.T) {
	b, err := register.NewShareBook(shareTypes())
	if err != nil {
		t.Fatal(err)
	}
	q := func(to register.Holder, qty register.Shares) register.ShareChange {
		return register.ShareChange{Kind: register.Quantify, On: d("2020-06-30"), Type: "RK", To: to, Qty: qty, Decision: 1}
	}
	checkProblem(t, b.Apply(q(household(1), 60_00)), nil, "")
	checkProblem(t, b.Apply(q(household(2), 40_00)), nil, "")
	checkProblem(t, b.Apply(q(household(3), 1)), register.ErrShareUnallocated, "qty")
	checkProblem(t, b.Apply(register.ShareChange{Kind: register.Quantify, On: d("2020-06-30"), Type: "JT", To: register.TheCollective, Qty: 20_00, Decision: 1}), nil, "")

	gift := register.ShareChange{Kind: register.Gift, On: d("2021-01-05"), Type: "RK", From: household(1), To: household(2), Qty: 10_00, Decision: 2}
	checkProblem(t, b.Apply(gift), nil, "")
	if got, _ := b.Held("RK", household(2)); got != 50_00 {
		t.Fatalf("household 2 holds %v after the gift, want 50.00", got)
	}
	bad := gift
	bad.On = d("2020-12-31")
	checkProblem(t, b.Apply(bad), register.ErrShareOrder, "date")
	bad = gift
	bad.Decision = 0
	checkProblem(t, b.Apply(bad), register.ErrShareDecision, "decision")
	bad = gift
	bad.To = bad.From
	checkProblem(t, b.Apply(bad), register.ErrShareSameHolder, "to")
	bad = gift
	bad.Type = "XX"
	checkProblem(t, b.Apply(bad), register.ErrShareType, "type")

	// A pledged holding cannot move until it is released.
	pledge := register.ShareChange{Kind: register.Pledge, On: d("2021-03-01"), Type: "RK", From: household(1), Qty: 45_00, Decision: 3}
	checkProblem(t, b.Apply(pledge), nil, "")
	move := register.ShareChange{Kind: register.Withdraw, On: d("2021-04-01"), Type: "RK", From: household(1), Qty: 10_00, Price: y("3000.00"), Decision: 4}
	checkProblem(t, b.Apply(move), register.ErrShareExceeds, "qty")
	checkProblem(t, b.Apply(register.ShareChange{Kind: register.Release, On: d("2021-04-01"), Type: "RK", From: household(1), Qty: 46_00}), register.ErrSharePledged, "qty")
	checkProblem(t, b.Apply(register.ShareChange{Kind: register.Release, On: d("2021-04-01"), Type: "RK", From: household(1), Qty: 45_00}), nil, "")
	noPrice := move
	noPrice.Price = 0
	checkProblem(t, b.Apply(noPrice), register.ErrSharePrice, "price")
	checkProblem(t, b.Apply(move), nil, "")
	if got, _ := b.Held("RK", register.TheCollective); got != 10_00 {
		t.Fatalf("the collective holds %v after a paid withdrawal, want 10.00", got)
	}
	// A dynamic type moves only by its rule.
	checkProblem(t, b.Apply(register.ShareChange{Kind: register.Quantify, On: d("2021-05-01"), Type: "NL", To: member(7), Qty: 1_00, Decision: 5}), register.ErrShareDynamic, "type")
	if err := b.Recompute("NL", d("2021-06-30"), map[register.Holder]register.Shares{member(7): 12_50, member(8): 3_00}); err != nil {
		t.Fatal(err)
	}
	if b.Unallocated("NL") != 0 {
		t.Fatalf("a recomputed dynamic type has %v unallocated", b.Unallocated("NL"))
	}
	if err := b.Reconcile(); err != nil {
		t.Fatal(err)
	}
}

// TestShareBookProperty applies random sequences of changes, most of
// them refused, and checks after each that the register reconciles to
// its quantified totals and that a refused change changed nothing.
func TestShareBookProperty(t *testing.T) {
	kinds := register.ShareChangeKinds
	holders := []register.Holder{household(1), household(2), household(3), member(1), member(2), member(3), register.TheCollective, {}}
	applied := map[register.ShareChangeKind]int{}
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		b, err := register.NewShareBook(shareTypes())
		if err != nil {
			t.Fatal(err)
		}
		on := d("2020-06-30")
		for range 60 {
			if r.IntN(4) == 0 {
				on = on.AddDays(r.IntN(40))
			}
			c := register.ShareChange{Kind: kinds[r.IntN(len(kinds))], On: on, Type: []string{"RK", "JT", "NL"}[r.IntN(3)],
				Qty: register.Shares(1 + r.IntN(30_00)), Decision: int64(r.IntN(8))}
			// Mostly well-formed changes, so that every kind gets applied,
			// and some of every kind of mistake.
			people := holders[:6]
			switch c.Kind {
			case register.Quantify:
				c.To = holders[r.IntN(7)]
			case register.Inherit, register.Gift, register.Move:
				c.From, c.To = people[r.IntN(6)], people[r.IntN(6)]
			default:
				c.From = people[r.IntN(6)]
			}
			if r.IntN(10) == 0 {
				c.From, c.To = holders[r.IntN(len(holders))], holders[r.IntN(len(holders))]
			}
			if c.Kind == register.Release && r.IntN(4) > 0 {
				for _, h := range b.Holdings() {
					if h.Pledged > 0 {
						c.Type, c.From, c.Qty = h.Type, h.Holder, 1+register.Shares(r.Int64N(int64(h.Pledged)))
					}
				}
			}
			if c.Kind == register.Withdraw && r.IntN(10) > 0 {
				c.Price = y("100.00")
			}
			before := b.Holdings()
			if err := b.Apply(c); err != nil {
				if after := b.Holdings(); !equalHoldings(before, after) {
					t.Fatalf("seed %d: a refused %v changed the holdings", seed, c)
				}
			} else {
				applied[c.Kind]++
			}
			if err := b.Reconcile(); err != nil {
				t.Fatalf("seed %d: after %+v: %v", seed, c, err)
			}
			for _, typ := range shareTypes() {
				var sum register.Shares
				for _, h := range b.Holdings() {
					if h.Type == typ.Code {
						sum += h.Qty
					}
				}
				if sum+b.Unallocated(typ.Code) != typ.Total && typ.Management == register.Static {
					t.Fatalf("seed %d: %s holdings %v + unallocated %v ≠ total %v", seed, typ.Code, sum, b.Unallocated(typ.Code), typ.Total)
				}
			}
		}
	}
	// The sequences must exercise every kind of change, or the property
	// proves little.
	for _, k := range kinds {
		if applied[k] < 20 {
			t.Errorf("only %d %s changes applied: %v", applied[k], k, applied)
		}
	}
}

func equalHoldings(a, b []register.Holding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

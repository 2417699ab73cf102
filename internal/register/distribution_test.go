package register_test

import (
	"math/rand/v2"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

func TestDraftPlan(t *testing.T) {
	// 本年收益 120,000 + 年初未分配 -20,000 (a loss made up first) = 100,000
	// distributable; 10 % to 公积公益金, 60 % of the rest to members.
	p, err := register.DraftPlan(2025, y("120000.00"), y("-20000.00"), 0, 0, 1000, 6000)
	if err != nil {
		t.Fatal(err)
	}
	if p.Distributable() != y("100000.00") || p.Reserve != y("10000.00") || p.Members != y("54000.00") || p.Undistributed() != y("36000.00") {
		t.Fatalf("plan %+v: distributable %v, undistributed %v", p, p.Distributable(), p.Undistributed())
	}
	// A year whose losses exceed its income distributes nothing.
	p, err = register.DraftPlan(2025, y("5000.00"), y("-9000.00"), 0, 0, 1000, 10000)
	if err != nil || p.Reserve != 0 || p.Members != 0 {
		t.Fatalf("plan %+v, %v: want nothing given", p, err)
	}
	p.Members = y("1.00")
	checkProblem(t, p.Check(), register.ErrPlanNothing, "members")
	_, err = register.DraftPlan(2025, y("1.00"), 0, 0, 0, 10001, 0)
	checkProblem(t, err, register.ErrPlanRateOutside, "reserve_rate")
}

// TestPlanProperty: no plan, drafted or edited by hand, that Check
// accepts gives out more than its distributable income.
func TestPlanProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	amt := func() jiti.Amount { return jiti.Amount(r.Int64N(2_000_000_00) - 500_000_00) }
	for range 20000 {
		p, err := register.DraftPlan(2025, amt(), amt(), jiti.Amount(r.Int64N(10_000_00)), jiti.Amount(r.Int64N(50_000_00)), r.IntN(10001), r.IntN(10001))
		if err != nil {
			t.Fatalf("DraftPlan: %v", err)
		}
		if p.Reserve+p.Members+p.Other > max(p.Distributable(), 0) {
			t.Fatalf("drafted plan %+v gives out more than %v", p, p.Distributable())
		}
		p.Members += jiti.Amount(r.Int64N(100_000_00) - 50_000_00)
		p.Other = jiti.Amount(r.Int64N(10_000_00))
		if p.Check() == nil && (p.Reserve+p.Members+p.Other > max(p.Distributable(), 0) || p.Members < 0) {
			t.Fatalf("Check accepted %+v, distributable %v", p, p.Distributable())
		}
	}
}

// TestAllocateProperty: for any shares and total, the allocation adds up
// exactly, each part is within a fen of its exact share, and the order
// of equal holders decides only who gets a tie's fen.
func TestAllocateProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for range 3000 {
		n := 1 + r.IntN(60)
		shares := make([]register.Shares, n)
		var sum int64
		for i := range shares {
			shares[i] = register.Shares(r.IntN(500_00))
			sum += int64(shares[i])
		}
		total := jiti.Amount(r.Int64N(10_000_000_00))
		got, err := register.AllocateByShares(total, shares)
		if sum == 0 {
			if total != 0 && err == nil {
				t.Fatal("an allocation among no shares succeeded")
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var given jiti.Amount
		for i, a := range got {
			given += a
			// |a - total*s/sum| < 1 fen
			exact := float64(total) * float64(shares[i]) / float64(sum)
			if float64(a) < exact-1.0000001 || float64(a) > exact+1.0000001 {
				t.Fatalf("holder %d with %v of %v shares got %v of %v", i, shares[i], sum, a, total)
			}
		}
		if given != total {
			t.Fatalf("allocated %v of %v", given, total)
		}
	}
}

// BenchmarkAllocate3000 allocates a 3,000-member village's distribution.
func BenchmarkAllocate3000(b *testing.B) {
	shares := make([]register.Shares, 3000)
	for i := range shares {
		shares[i] = register.Shares(100 + i%7*50)
	}
	for b.Loop() {
		if _, err := register.AllocateByShares(y("1234567.89"), shares); err != nil {
			b.Fatal(err)
		}
	}
}

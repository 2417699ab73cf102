package demo

import (
	"testing"

	"example.org/jiti"
)

func TestAllocate(t *testing.T) {
	got := allocate(10, []int64{1, 1, 1})
	if got[0]+got[1]+got[2] != 10 || got[0] != 4 || got[1] != 3 || got[2] != 3 {
		t.Errorf("allocate(10, 1:1:1) = %v", got)
	}
	got = allocate(98_922_100, []int64{3, 0, 7})
	if got[1] != 0 || got[0]+got[2] != 98_922_100 {
		t.Errorf("allocate with a zero weight = %v", got)
	}
	// Large totals and weights must not overflow.
	got = allocate(9_892_210_000, []int64{1 << 40, 3 << 40})
	if got[0]+got[1] != 9_892_210_000 || got[0] != 2_473_052_500 {
		t.Errorf("allocate large = %v", got)
	}
	if got := allocate(5, []int64{0, 0}); got[0]+got[1] != 5 {
		t.Errorf("all-zero weights = %v", got)
	}
}

func TestSplitAmount(t *testing.T) {
	rng := newRand(1, "test")
	for _, total := range []jiti.Amount{1, 99, 12_345, 1_000_000_07, 3_185_600_00} {
		for n := 1; n <= 8; n++ {
			parts := splitAmount(rng, total, n, jiti.Yuan(10), 40)
			var s jiti.Amount
			for _, p := range parts {
				if p <= 0 {
					t.Fatalf("split(%v, %d) has part %v", total, n, p)
				}
				s += p
			}
			if s != total || len(parts) > n {
				t.Fatalf("split(%v, %d) = %v", total, n, parts)
			}
		}
	}
}

func TestCountyTotals(t *testing.T) {
	op, sub, oth := countyTotals(2025)
	if op != 98_922_100 || sub != 3_426_700 || oth != 3_185_600 || op+sub+oth != 105_534_400 {
		t.Fatalf("2025 totals %d %d %d", op, sub, oth)
	}
	if (op+sub+oth)%284 != 0 || (op+sub+oth)/284 != 371_600 {
		t.Fatalf("average per village is not 371,600 exactly")
	}
	op24, _, _ := countyTotals(2024)
	if r := float64(op24) / float64(op); r < 0.88 || r > 0.92 {
		t.Errorf("2024 operating-type income is %.3f of 2025", r)
	}
}

// histories generates every village's books over the span, as Build does.
func histories(t testing.TB, seed int64, sp span) (*county, []*history) {
	t.Helper()
	c := newCounty(seed)
	var plans []*yearPlan
	for _, y := range sp.years() {
		plans = append(plans, c.plan(y, sp))
	}
	hs := make([]*history, len(c.Villages))
	for i, v := range c.Villages {
		h, err := generate(c, v, sp, plans)
		if err != nil {
			t.Fatal(err)
		}
		hs[i] = h
	}
	return c, hs
}

// TestGenerate checks the generated books of every village without a
// database: the plan's totals, balanced vouchers, the bands of villages,
// for one year and for two.
func TestGenerate(t *testing.T) {
	for _, sp := range []span{{2024, 2024}, {2025, 2025}, {2024, 2025}, {2024, 2027}, {2026, 2027}} {
		_, hs := histories(t, 7, sp)
		for k, year := range sp.years() {
			var op, sub, oth jiti.Amount
			vouchers := 0
			for _, h := range hs {
				vy := h.Years[k]
				vouchers += len(vy.Vouchers)
				for _, vc := range append(vy.Vouchers, vy.RegVouchers...) {
					for _, l := range vc.Lines {
						switch l.Account[:3] {
						case "501", "502":
							op += l.Credit - l.Debit
						case "503":
							sub += l.Credit - l.Debit
						case "504":
							oth += l.Credit - l.Debit
						}
					}
				}
			}
			wop, wsub, woth := countyTotals(year)
			if op != jiti.Yuan(wop) || sub != jiti.Yuan(wsub) || oth != jiti.Yuan(woth) {
				t.Errorf("%v %d: generated %s %s %s, want %d %d %d", sp, year, op, sub, oth, wop, wsub, woth)
			}
			t.Logf("%v %d: %d vouchers, %.1f per village", sp, year, vouchers, float64(vouchers)/284)
		}
	}
	c := newCounty(7)
	tiers := map[tier]int{}
	for _, v := range c.Villages {
		tiers[v.Tier]++
		if v.Profile.special() && (v.Tier == tierShell || v.Tier == tierWeak) {
			t.Errorf("%s in %s is %v", v.Region.Name, v.Town.Name, v.Tier)
		}
		if !jiti.ValidUSCC(v.USCC) {
			t.Errorf("%s: USCC %s invalid", v.Region.Code, v.USCC)
		}
	}
	t.Logf("tiers: %v", tiers)
}

// BenchmarkGenerate generates every village's books of 2024 and 2025 in
// memory, the part of Build before the database (its allocations are a
// CPU-independent measure).
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		histories(b, 1, span{2024, 2025})
	}
}

package demo

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"
	"testing"

	"example.org/jiti"
)

// yearResult is what a village's year books as income (+) and expense (−),
// by first-level account 5xx, as the year's close carries it to 321.
type yearResult map[string]jiti.Amount

// surplus returns 本年收益: the income accounts' net credit less the
// expense accounts' net debit.
func (r yearResult) surplus() jiti.Amount {
	var s jiti.Amount
	for _, a := range r {
		s += a
	}
	return s
}

// resultOf returns year k of history h by account: the vouchers imported,
// the register's, and the depreciation month close charges to 513 and
// 514 (that of production assets, charged to 401, the vouchers carry to
// 511).
func resultOf(h *history, k int) yearResult {
	vy := h.Years[k]
	r := yearResult{}
	for _, vc := range append(slices.Clone(vy.Vouchers), vy.RegVouchers...) {
		for _, l := range vc.Lines {
			if l.Account[0] == '5' {
				r[l.Account[:3]] += l.Credit - l.Debit
			}
		}
	}
	for i := range h.Assets {
		a := &h.Assets[i].A
		if a.ExpenseAccount == "" || a.ExpenseAccount[0] != '5' {
			continue
		}
		for _, d := range yearDepreciation(a, h.Span, vy.Year) {
			r[a.ExpenseAccount[:3]] -= d
		}
	}
	return r
}

// TestIncome2025 pins every village's 2025 income, detail account by
// detail account to the fen, as the demo's books have had it since the
// figures were calibrated: the county's total is the published one, and
// a digest of the villages' figures catches any village's change.
func TestIncome2025(t *testing.T) {
	_, hs := histories(t, 1, span{2024, 2025})
	var total jiti.Amount
	d := sha256.New()
	for _, h := range hs {
		byAcct := map[string]jiti.Amount{}
		for _, vc := range append(slices.Clone(h.Years[1].Vouchers), h.Years[1].RegVouchers...) {
			for _, l := range vc.Lines {
				if l.Account[:2] == "50" {
					byAcct[l.Account] += l.Credit - l.Debit
				}
			}
		}
		for _, acct := range slices.Sorted(maps.Keys(byAcct)) {
			fmt.Fprintf(d, "%s %s %d\n", h.V.Region.Code, acct, byAcct[acct])
			total += byAcct[acct]
		}
	}
	if total != jiti.Yuan(105_534_400) {
		t.Errorf("the county's 2025 income is %s, want 105,534,400.00", total)
	}
	if got := fmt.Sprintf("%x", d.Sum(nil)); got != income2025Digest {
		t.Errorf("the villages' 2025 income changed: digest %s, want %s", got, income2025Digest)
	}
}

// income2025Digest is TestIncome2025's digest of the villages' 2025
// income by detail account (seed 1, books of 2024 and 2025).
const income2025Digest = "5327df63ebb4e8fb9a3bc29a0648d388c539546b43f9c6cf44fcf400aca39bd1"

// TestSurplus checks that the books look like a real county's: most
// villages, and the county as a whole, end each year with a positive
// 本年收益.
func TestSurplus(t *testing.T) {
	sp := span{2024, 2025}
	_, hs := histories(t, 1, sp)
	for k, year := range sp.years() {
		county := yearResult{}
		positive := 0
		for _, h := range hs {
			r := resultOf(h, k)
			for a, x := range r {
				county[a] += x
			}
			if r.surplus() > 0 {
				positive++
			}
		}
		t.Logf("%d: %d of %d villages positive (%.0f %%); the county's 本年收益 %s; by account %v",
			year, positive, len(hs), 100*float64(positive)/float64(len(hs)), county.surplus(), county)
		if positive*100 < len(hs)*80 {
			t.Errorf("%d: %d of %d villages end the year with a positive 本年收益, want 80 %%", year, positive, len(hs))
		}
		if county.surplus() <= 0 {
			t.Errorf("%d: the county's 本年收益 is %s", year, county.surplus())
		}
	}
}

package posting_test

import (
	"fmt"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
)

func households(n int, each jiti.Amount) []posting.HouseholdShare {
	out := make([]posting.HouseholdShare, n)
	for i := range out {
		out[i] = posting.HouseholdShare{Code: fmt.Sprintf("H%04d", i+1), Name: fmt.Sprintf("户主%d", i+1), Amount: each}
	}
	return out
}

// sums adds up a batch's lines by account.
func sums(vs []*ledger.Voucher) map[string]jiti.Amount {
	out := map[string]jiti.Amount{}
	for _, v := range vs {
		for _, l := range v.Lines {
			out[l.Account] += l.Debit - l.Credit
		}
	}
	return out
}

func TestAdoption(t *testing.T) {
	plan := &register.DistributionPlan{Year: 2025, Income: y("150000.00"), Reserve: y("15000.00"), Members: y("60000.00"), Other: y("2000.00")}
	hs := households(3, y("18000.00")) // 54,000 to households; the 集体股 part (6,000) stays
	vs := posting.Adoption(7, d("2026-03-20"), plan, hs, "113")
	if len(vs) != 1 {
		t.Fatalf("%d vouchers, want 1", len(vs))
	}
	checkValid(t, vs[0], 7)
	got := sums(vs)
	want := map[string]jiti.Amount{"3220101": y("15000.00"), "311": -y("15000.00"), "3220103": y("2000.00"),
		"3220102": y("54000.00"), "113": -y("56000.00")}
	for acct, a := range want {
		if got[acct] != a {
			t.Errorf("%s: %v, want %v (all: %v)", acct, got[acct], a, got)
		}
	}
	for _, l := range vs[0].Lines {
		if l.Account == "113" && l.Household == "" && l.Credit != y("2000.00") {
			t.Errorf("a household's line names no household: %+v", l)
		}
	}
}

func TestAdoptionLargeVillage(t *testing.T) {
	plan := &register.DistributionPlan{Year: 2025, Income: y("900000.00"), Reserve: y("90000.00"), Members: y("400000.00")}
	hs := households(2000, y("200.00"))
	hs[5].Amount = 0 // a household with no shares gets no line
	vs := posting.Adoption(7, d("2026-03-20"), plan, hs, "113")
	if len(vs) != 3 {
		t.Fatalf("%d vouchers for 1,999 households, want 3", len(vs))
	}
	lines := 0
	for _, v := range vs {
		checkValid(t, v, 7)
		if len(v.Lines) > ledger.MaxLines {
			t.Fatalf("a voucher of %d lines", len(v.Lines))
		}
		lines += len(v.Lines)
	}
	got := sums(vs)
	if got["113"] != -y("399800.00") || got["3220102"] != y("399800.00") || got["3220101"] != y("90000.00") {
		t.Fatalf("sums %v", got)
	}
	if lines != 1999+3+2 {
		t.Fatalf("%d lines, want one per household, one debit per voucher and the appropriation's two", lines)
	}
	pay := posting.Payment(7, 2025, d("2026-04-01"), hs, "113", "10201")
	if len(pay) != 3 {
		t.Fatalf("%d payment vouchers", len(pay))
	}
	paid := sums(pay)
	if paid["113"] != y("399800.00") || paid["10201"] != -y("399800.00") {
		t.Fatalf("payments %v", paid)
	}
	for _, v := range pay {
		checkValid(t, v, 7)
	}
	if posting.Adoption(7, d("2026-03-20"), &register.DistributionPlan{Year: 2025}, nil, "211") != nil {
		t.Fatal("a plan that gives nothing books something")
	}
}

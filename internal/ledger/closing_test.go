package ledger_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"github.com/google/go-cmp/cmp"
)

// entry is a line reduced to what closing decides.
type entry struct {
	Account       string
	Debit, Credit jiti.Amount
}

func entries(v *ledger.Voucher) []entry {
	var out []entry
	for _, l := range v.Lines {
		out = append(out, entry{l.Account, l.Debit, l.Credit})
	}
	return out
}

func y(s string) jiti.Amount { return jiti.MustAmount(s) }

func TestYearEndClosing(t *testing.T) {
	tests := []struct {
		name string
		net  map[string]jiti.Amount // debit minus credit before closing
		want [][]entry              // the vouchers' lines, in order
	}{
		{
			name: "profit with distributions",
			net: map[string]jiti.Amount{
				"50101": y("-10000"), "502": y("-5000"), "511": y("3000"), "513": y("2000"),
				"3220101": y("1000"), "3220102": y("4000"),
				"101": y("500"), "301": y("-500"), "401": y("700"), "32202": y("-800"),
			},
			want: [][]entry{
				// income into 321's credit, expenses into its debit
				{{"50101", y("10000"), 0}, {"502", y("5000"), 0}, {"321", 0, y("15000")}},
				{{"511", 0, y("3000")}, {"513", 0, y("2000")}, {"321", y("5000"), 0}},
				{{"321", y("10000"), 0}, {"32202", 0, y("10000")}},
				{{"3220101", 0, y("1000")}, {"3220102", 0, y("4000")}, {"32202", y("5000"), 0}},
			},
		},
		{
			name: "loss",
			net:  map[string]jiti.Amount{"503": y("-1000"), "511": y("2500.50"), "515": y("500")},
			want: [][]entry{
				{{"503", y("1000"), 0}, {"321", 0, y("1000")}},
				{{"511", 0, y("2500.50")}, {"515", 0, y("500")}, {"321", y("3000.50"), 0}},
				{{"321", 0, y("2000.50")}, {"32202", y("2000.50"), 0}},
			},
		},
		{
			name: "investment loss in 502 and a negative expense",
			net:  map[string]jiti.Amount{"502": y("300"), "513": y("-100")},
			want: [][]entry{
				{{"502", 0, y("300")}, {"321", y("300"), 0}},
				{{"513", y("100"), 0}, {"321", 0, y("100")}},
				{{"321", 0, y("200")}, {"32202", y("200"), 0}},
			},
		},
		{
			name: "net-zero result turns 321 over and leaves nothing for 322",
			net:  map[string]jiti.Amount{"503": y("-1000"), "511": y("600"), "512": y("400")},
			want: [][]entry{
				{{"503", y("1000"), 0}, {"321", 0, y("1000")}},
				{{"511", 0, y("600")}, {"512", 0, y("400")}, {"321", y("1000"), 0}},
			},
		},
		{
			name: "income of the year already in 321",
			net:  map[string]jiti.Amount{"321": y("-700"), "101": y("700")},
			want: [][]entry{{{"321", y("700"), 0}, {"32202", 0, y("700")}}},
		},
		{
			name: "321 balance added to the year's result",
			net:  map[string]jiti.Amount{"321": y("-700"), "504": y("-300")},
			want: [][]entry{
				{{"504", y("300"), 0}, {"321", 0, y("300")}},
				{{"321", y("1000"), 0}, {"32202", 0, y("1000")}},
			},
		},
		{
			name: "distributions only",
			net:  map[string]jiti.Amount{"3220103": y("50")},
			want: [][]entry{{{"3220103", 0, y("50")}, {"32202", y("50"), 0}}},
		},
		{
			name: "nothing to close",
			net: map[string]jiti.Amount{"101": y("100"), "301": y("-100"), "501": 0, "511": 0, "321": 0,
				"3220101": 0, "32202": y("-5"), "999": y("1")},
		},
		{name: "no balances at all", net: map[string]jiti.Amount{}},
	}
	chart := ledger.NewChart(testAccounts())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := ledger.YearEndClosing(2025, chart, tt.net, 3)
			var got [][]entry
			for _, v := range vs {
				got = append(got, entries(v))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("closing lines (-want +got):\n%s", diff)
			}
			books := openBooks(chart)
			after := map[string]jiti.Amount{}
			for k, n := range tt.net {
				after[k] = n
			}
			for i, v := range vs {
				if v.Kind != ledger.Closing || v.Status != ledger.Draft || v.MakerID != 3 ||
					v.Date != jiti.MustDate("2025-12-31") || v.Period != jiti.MustPeriod("2025-12") || v.Note == "" {
					t.Errorf("voucher %d header = %+v", i+1, *v)
				}
				for j, l := range v.Lines {
					if l.No != j+1 || l.Summary == "" {
						t.Errorf("voucher %d line %d: No %d, summary %q", i+1, j+1, l.No, l.Summary)
					}
				}
				if err := ledger.Validate(v, books); err != nil {
					t.Errorf("voucher %d does not validate: %v", i+1, err)
				}
				if err := ledger.CheckPost(v); err != nil {
					t.Errorf("voucher %d cannot be posted: %v", i+1, err)
				}
				for _, l := range v.Lines {
					after[l.Account] += l.Net()
				}
			}
			for code, n := range after {
				a := chart[code]
				if a != nil && n != 0 && (a.Class.IsResult() || code == "321" || (a.Leaf && len(code) > 5 && code[:5] == "32201")) {
					t.Errorf("after closing %s = %v, want zero", code, n)
				}
			}
			// Closing again closes nothing.
			if again := ledger.YearEndClosing(2025, chart, after, 3); len(again) != 0 {
				t.Errorf("closing twice gives %d vouchers", len(again))
			}
		})
	}
}

// TestYearEndClosingGross is the book: income 126,200.00 and
// expenses 108,000.00. 321 turns over 126,200.00 on each side: the income
// on its credit, the expenses and the result carried to 322 on its debit.
func TestYearEndClosingGross(t *testing.T) {
	chart := ledger.NewChart(ledger.StandardAccounts())
	net := map[string]jiti.Amount{
		"501": y("-90000"), "502": y("-6200"), "503": y("-25000"), "504": y("-5000"),
		"511": y("52000"), "512": y("1000"), "513": y("40000"), "514": y("12000"), "515": y("3000"),
	}
	var debit, credit jiti.Amount
	for _, v := range ledger.YearEndClosing(2025, chart, net, 1) {
		for _, l := range v.Lines {
			if l.Account == "321" {
				debit += l.Debit
				credit += l.Credit
			}
		}
	}
	if want := y("126200"); debit != want || credit != want {
		t.Errorf("321 turned over debit %v, credit %v; want %v on each side", debit, credit, want)
	}
}

func TestYearEndClosingManyAccounts(t *testing.T) {
	// Every result leaf of the standard chart: a voucher of the 4 income
	// accounts and 321, one of the 6 expense accounts and 321.
	accts := ledger.StandardAccounts()
	chart := ledger.NewChart(accts)
	net := map[string]jiti.Amount{}
	for _, a := range accts {
		switch a.Class {
		case ledger.Income:
			net[a.Code] = -jiti.Yuan(100)
		case ledger.Expense:
			net[a.Code] = jiti.Yuan(10)
		}
	}
	vs := ledger.YearEndClosing(2024, chart, net, 1)
	if len(vs) != 3 || len(vs[0].Lines) != 4+1 || len(vs[1].Lines) != 6+1 {
		t.Fatalf("got %d vouchers: %v", len(vs), vs)
	}
	if got, want := entries(vs[0])[4], (entry{"321", 0, jiti.Yuan(400)}); got != want {
		t.Errorf("321 income line = %+v, want %+v", got, want)
	}
	if got, want := entries(vs[1])[6], (entry{"321", jiti.Yuan(60), 0}); got != want {
		t.Errorf("321 expense line = %+v, want %+v", got, want)
	}
	for _, v := range vs {
		if err := ledger.Validate(v, openBooks(chart)); err != nil {
			t.Errorf("Validate = %v", err)
		}
		if d, c := v.Totals(); d != c {
			t.Errorf("unbalanced: %v, %v", d, c)
		}
	}
}

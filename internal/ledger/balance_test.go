package ledger_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"github.com/google/go-cmp/cmp"
)

// tbMoves is a small set of hand-made movements of the test books, in yuan:
//
//	opening  101 Dr 1000, 10201 Dr 5000 / 301 Cr 6000
//	2024-12  112 Dr 400 / 211 Cr 400 (a year before the report)
//	2025-01  10201 Dr 2000 / 50101 Cr 2000 (rent)
//	2025-02  101 Dr 300 / 10201 Cr 300 (cash drawn); 513 Dr 200 / 101 Cr 200
//	2025-03  513 Dr 700 / 10202 Cr 700 (an overdrawn second bank account)
//	2025-04  101 Dr 50 / 504 Cr 50
func tbMoves() []ledger.Movement {
	m := func(acct string, p jiti.Period, d, c string) ledger.Movement {
		return ledger.Movement{Account: acct, Period: p, Debit: jiti.MustAmount(d), Credit: jiti.MustAmount(c)}
	}
	return []ledger.Movement{
		m("101", ledger.OpeningPeriod, "1000", "0"), m("10201", ledger.OpeningPeriod, "5000", "0"), m("301", ledger.OpeningPeriod, "0", "6000"),
		m("112", 202412, "400", "0"), m("211", 202412, "0", "400"),
		m("10201", 202501, "2000", "0"), m("50101", 202501, "0", "2000"),
		m("101", 202502, "300", "200"), m("10201", 202502, "0", "300"), m("513", 202502, "200", "0"),
		m("513", 202503, "700", "0"), m("10202", 202503, "0", "700"),
		m("101", 202504, "50", "0"), m("504", 202504, "0", "50"),
	}
}

// tbRow builds an expected row: amounts in yuan, "" for zero, in the order
// opening Dr/Cr, period Dr/Cr, closing Dr/Cr, year Dr/Cr.
func tbRow(chart ledger.Chart, code string, amounts ...string) ledger.TBRow {
	a := chart[code]
	var v [8]jiti.Amount
	for i, s := range amounts {
		if s != "" {
			v[i] = jiti.MustAmount(s)
		}
	}
	return ledger.TBRow{Code: code, Name: a.Name, Level: a.Level(), Side: a.Side,
		OpeningDr: v[0], OpeningCr: v[1], Debit: v[2], Credit: v[3], ClosingDr: v[4], ClosingCr: v[5], YearDr: v[6], YearCr: v[7]}
}

func TestComputeTrialBalance(t *testing.T) {
	accts := testAccounts()
	c := ledger.NewChart(accts)
	total := func(amounts ...string) ledger.TBRow {
		r := tbRow(ledger.Chart{"": {}}, "", amounts...)
		r.Name, r.Level = "合计", 0
		return r
	}
	tests := []struct {
		name      string
		from, to  jiti.Period
		wantRows  []ledger.TBRow
		wantTotal ledger.TBRow
	}{
		{
			name: "February to March 2025", from: 202502, to: 202503,
			wantRows: []ledger.TBRow{
				//                 opening      period        closing       year to date
				tbRow(c, "101", "1000", "", "300", "200", "1100", "", "300", "200"),
				tbRow(c, "102", "7000", "", "", "1000", "6000", "", "2000", "1000"),
				tbRow(c, "10201", "7000", "", "", "300", "6700", "", "2000", "300"),
				tbRow(c, "10202", "", "", "", "700", "", "700", "", "700"), // a credit balance under a debit parent
				tbRow(c, "112", "400", "", "", "", "400", "", "", ""),
				tbRow(c, "211", "", "400", "", "", "", "400", "", ""),
				tbRow(c, "301", "", "6000", "", "", "", "6000", "", ""),
				tbRow(c, "501", "", "2000", "", "", "", "2000", "", "2000"),
				tbRow(c, "50101", "", "2000", "", "", "", "2000", "", "2000"),
				tbRow(c, "513", "", "", "900", "", "900", "", "900", ""),
			},
			wantTotal: total("8400", "8400", "1200", "1200", "8400", "8400", "3200", "3200"),
		},
		{
			name: "January 2025", from: 202501, to: 202501,
			wantRows: []ledger.TBRow{
				tbRow(c, "101", "1000", "", "", "", "1000", "", "", ""),
				tbRow(c, "102", "5000", "", "2000", "", "7000", "", "2000", ""),
				tbRow(c, "10201", "5000", "", "2000", "", "7000", "", "2000", ""),
				tbRow(c, "112", "400", "", "", "", "400", "", "", ""),
				tbRow(c, "211", "", "400", "", "", "", "400", "", ""),
				tbRow(c, "301", "", "6000", "", "", "", "6000", "", ""),
				tbRow(c, "501", "", "", "", "2000", "", "2000", "", "2000"),
				tbRow(c, "50101", "", "", "", "2000", "", "2000", "", "2000"),
			},
			wantTotal: total("6400", "6400", "2000", "2000", "8400", "8400", "2000", "2000"),
		},
		{
			name: "the year 2024", from: 202401, to: 202412,
			wantRows: []ledger.TBRow{
				tbRow(c, "101", "1000", "", "", "", "1000", "", "", ""),
				tbRow(c, "102", "5000", "", "", "", "5000", "", "", ""),
				tbRow(c, "10201", "5000", "", "", "", "5000", "", "", ""),
				tbRow(c, "112", "", "", "400", "", "400", "", "400", ""),
				tbRow(c, "211", "", "", "", "400", "", "400", "", "400"),
				tbRow(c, "301", "", "6000", "", "", "", "6000", "", ""),
			},
			wantTotal: total("6000", "6000", "400", "400", "6400", "6400", "400", "400"),
		},
		{
			name: "April to June 2025: year to date from January", from: 202504, to: 202506,
			wantRows: []ledger.TBRow{
				tbRow(c, "101", "1100", "", "50", "", "1150", "", "350", "200"),
				tbRow(c, "102", "6000", "", "", "", "6000", "", "2000", "1000"),
				tbRow(c, "10201", "6700", "", "", "", "6700", "", "2000", "300"),
				tbRow(c, "10202", "", "700", "", "", "", "700", "", "700"),
				tbRow(c, "112", "400", "", "", "", "400", "", "", ""),
				tbRow(c, "211", "", "400", "", "", "", "400", "", ""),
				tbRow(c, "301", "", "6000", "", "", "", "6000", "", ""),
				tbRow(c, "501", "", "2000", "", "", "", "2000", "", "2000"),
				tbRow(c, "50101", "", "2000", "", "", "", "2000", "", "2000"),
				tbRow(c, "504", "", "", "", "50", "", "50", "", "50"),
				tbRow(c, "513", "900", "", "", "", "900", "", "900", ""),
			},
			wantTotal: total("8400", "8400", "50", "50", "8450", "8450", "3250", "3250"),
		},
		{
			name: "before any month: only the opening balances", from: 202301, to: 202312,
			wantRows: []ledger.TBRow{
				tbRow(c, "101", "1000", "", "", "", "1000", "", "", ""),
				tbRow(c, "102", "5000", "", "", "", "5000", "", "", ""),
				tbRow(c, "10201", "5000", "", "", "", "5000", "", "", ""),
				tbRow(c, "301", "", "6000", "", "", "", "6000", "", ""),
			},
			wantTotal: total("6000", "6000", "", "", "6000", "6000", "", ""),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := ledger.ComputeTrialBalance(accts, tbMoves(), tt.from, tt.to, false)
			if tb.From != tt.from || tb.To != tt.to {
				t.Errorf("From, To = %v, %v", tb.From, tb.To)
			}
			if diff := cmp.Diff(tt.wantRows, tb.Rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantTotal, tb.Total); diff != "" {
				t.Errorf("total (-want +got):\n%s", diff)
			}
			if !tb.Balanced() {
				t.Errorf("not balanced: %+v", tb.Total)
			}

			// With all, every account is listed in code order, the others
			// with zeros, and the total is the same.
			all := ledger.ComputeTrialBalance(accts, tbMoves(), tt.from, tt.to, true)
			if len(all.Rows) != len(accts) {
				t.Fatalf("all: %d rows, want %d", len(all.Rows), len(accts))
			}
			var nonzero []ledger.TBRow
			for i, r := range all.Rows {
				if i > 0 && all.Rows[i-1].Code >= r.Code {
					t.Errorf("all: %s listed after %s", r.Code, all.Rows[i-1].Code)
				}
				if r != tbRow(c, r.Code) {
					nonzero = append(nonzero, r)
				}
			}
			if diff := cmp.Diff(tt.wantRows, nonzero); diff != "" {
				t.Errorf("all: non-zero rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantTotal, all.Total); diff != "" {
				t.Errorf("all: total (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTrialBalancePlacementBySign(t *testing.T) {
	accts := testAccounts()
	for _, d := range []struct{ parent, code, name string }{
		{"113", "11301", "张三户"}, {"113", "11302", "李四户"}, {"152", "15201", "房屋折旧"},
	} {
		chart := ledger.NewChart(accts)
		a, err := ledger.NewDetailAccount(chart[d.parent], d.code, d.name, false)
		if err != nil {
			t.Fatal(err)
		}
		chart[d.parent].Leaf = false
		accts = append(accts, a)
	}
	c := ledger.NewChart(accts)
	moves := []ledger.Movement{
		{Account: "11301", Period: 202503, Debit: y("300")},  // a household owes the collective
		{Account: "11302", Period: 202503, Credit: y("100")}, // the collective owes a household
		{Account: "15201", Period: 202503, Debit: y("50")},   // a contra account over-reversed
		{Account: "211", Period: 202503, Debit: y("20")},     // a payable overpaid
		{Account: "101", Period: 202503, Credit: y("270")},
	}
	tests := []struct {
		code             string
		closeDr, closeCr string
		wantSide         ledger.Side
		wantLevel        int
		turnDr, turnCr   string
	}{
		{"101", "", "270", ledger.Debit, 1, "", "270"},
		{"113", "200", "", ledger.Both, 1, "300", "100"}, // the parent nets its households
		{"11301", "300", "", ledger.Both, 2, "300", ""},
		{"11302", "", "100", ledger.Both, 2, "", "100"},
		{"152", "50", "", ledger.Credit, 1, "50", ""},
		{"15201", "50", "", ledger.Credit, 2, "50", ""},
		{"211", "20", "", ledger.Credit, 1, "20", ""},
	}
	tb := ledger.ComputeTrialBalance(accts, moves, 202503, 202503, false)
	if len(tb.Rows) != len(tests) {
		t.Errorf("%d rows, want %d", len(tb.Rows), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			want := tbRow(c, tt.code, "", "", tt.turnDr, tt.turnCr, tt.closeDr, tt.closeCr, tt.turnDr, tt.turnCr)
			got := tb.Row(tt.code)
			if got == nil {
				t.Fatal("no row")
			}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
			if got.Side != tt.wantSide || got.Level != tt.wantLevel {
				t.Errorf("side, level = %s, %d", got.Side, got.Level)
			}
			if got.Closing() != want.ClosingDr-want.ClosingCr || got.Opening() != 0 {
				t.Errorf("Closing() = %v, Opening() = %v", got.Closing(), got.Opening())
			}
		})
	}
	if tb.Row("999") != nil {
		t.Error("Row(999) != nil")
	}
	// 113 nets its households, so the first-level totals show 270 on each side.
	if tb.Total.ClosingDr != y("270") || tb.Total.ClosingCr != y("270") || !tb.Balanced() {
		t.Errorf("total = %+v", tb.Total)
	}
}

func TestNetBalances(t *testing.T) {
	tests := []struct {
		to   jiti.Period
		want map[string]jiti.Amount
	}{
		{ledger.OpeningPeriod, map[string]jiti.Amount{"101": y("1000"), "10201": y("5000"), "301": y("-6000")}},
		{202502, map[string]jiti.Amount{"101": y("1100"), "10201": y("6700"), "301": y("-6000"), "112": y("400"),
			"211": y("-400"), "50101": y("-2000"), "513": y("200")}},
		{202512, map[string]jiti.Amount{"101": y("1150"), "10201": y("6700"), "10202": y("-700"), "301": y("-6000"),
			"112": y("400"), "211": y("-400"), "50101": y("-2000"), "513": y("900"), "504": y("-50")}},
	}
	for _, tt := range tests {
		t.Run(tt.to.String(), func(t *testing.T) {
			got := ledger.NetBalances(tbMoves(), tt.to)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NetBalances (-want +got):\n%s", diff)
			}
			var sum jiti.Amount
			for _, n := range got {
				sum += n
			}
			if sum != 0 {
				t.Errorf("nets sum to %v", sum)
			}
		})
	}
}

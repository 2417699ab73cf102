package report_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
)

// rowString writes a ledger row compactly for comparison:
// "kind date voucher debit credit balance".
func rowString(r report.LedgerRow) string {
	return fmt.Sprintf("%s %s %s %v %v %v", r.Kind, r.Date, r.VoucherLabel(), r.Debit, r.Credit, r.Balance)
}

func rowStrings(l *report.Ledger) []string {
	out := make([]string, len(l.Rows))
	for i, r := range l.Rows {
		out[i] = rowString(r)
	}
	return out
}

func entry(date string, number int, debit, credit int64) report.Entry {
	d := jiti.MustDate(date)
	return report.Entry{Date: d, Period: d.Period(), Number: number, VoucherID: int64(number) * 10,
		Summary: "摘要", Debit: jiti.Yuan(debit), Credit: jiti.Yuan(credit)}
}

func compareRows(t *testing.T, got *report.Ledger, want []string) {
	t.Helper()
	g := rowStrings(got)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
}

func TestDetailLedger(t *testing.T) {
	acct := ledger.Account{Code: "112", Name: "应收款", Side: ledger.Debit}
	tests := []struct {
		name       string
		from, to   jiti.Period
		opening    int64
		yearBefore [2]int64
		entries    []report.Entry
		want       []string
	}{
		{
			name: "from January: carried forward, months without entries skipped",
			from: 202501, to: 202503, opening: 100,
			entries: []report.Entry{
				entry("2025-01-05", 1, 50, 0),
				entry("2025-01-20", 3, 0, 30),
				entry("2025-03-02", 1, 0, 200),
			},
			want: []string{
				"opening 2025-01-01  0.00 0.00 100.00",
				"entry 2025-01-05 记-1 50.00 0.00 150.00",
				"entry 2025-01-20 记-3 0.00 30.00 120.00",
				"month 2025-01-31  50.00 30.00 120.00",
				"year 2025-01-31  50.00 30.00 120.00",
				"entry 2025-03-02 记-1 0.00 200.00 -80.00",
				"month 2025-03-31  0.00 200.00 -80.00",
				"year 2025-03-31  50.00 230.00 -80.00",
			},
		},
		{
			name: "mid-year: the year's totals count the months before",
			from: 202504, to: 202505, opening: 300, yearBefore: [2]int64{1000, 700},
			entries: []report.Entry{
				entry("2025-03-31", 9, 999, 0), // before the range: ignored
				entry("2025-05-10", 2, 10, 0),
			},
			want: []string{
				"opening 2025-04-01  0.00 0.00 300.00",
				"entry 2025-05-10 记-2 10.00 0.00 310.00",
				"month 2025-05-31  10.00 0.00 310.00",
				"year 2025-05-31  1010.00 700.00 310.00",
			},
		},
		{
			name: "no entries at all: the opening row alone",
			from: 202502, to: 202504, opening: -40,
			want: []string{"opening 2025-02-01  0.00 0.00 -40.00"},
		},
		{
			name: "into a new year: carried forward and the year restarts",
			from: 202512, to: 202601, opening: 0, yearBefore: [2]int64{500, 400},
			entries: []report.Entry{
				entry("2025-12-31", 4, 20, 0),
				entry("2026-01-08", 1, 0, 5),
			},
			want: []string{
				"opening 2025-12-01  0.00 0.00 0.00",
				"entry 2025-12-31 记-4 20.00 0.00 20.00",
				"month 2025-12-31  20.00 0.00 20.00",
				"year 2025-12-31  520.00 400.00 20.00",
				"opening 2026-01-01  0.00 0.00 20.00",
				"entry 2026-01-08 记-1 0.00 5.00 15.00",
				"month 2026-01-31  0.00 5.00 15.00",
				"year 2026-01-31  0.00 5.00 15.00",
			},
		},
		{
			name: "unsorted entries are put in order",
			from: 202501, to: 202501,
			entries: []report.Entry{
				entry("2025-01-09", 2, 0, 1),
				entry("2025-01-09", 1, 3, 0),
			},
			want: []string{
				"opening 2025-01-01  0.00 0.00 0.00",
				"entry 2025-01-09 记-1 3.00 0.00 3.00",
				"entry 2025-01-09 记-2 0.00 1.00 2.00",
				"month 2025-01-31  3.00 1.00 2.00",
				"year 2025-01-31  3.00 1.00 2.00",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yb := [2]jiti.Amount{jiti.Yuan(tt.yearBefore[0]), jiti.Yuan(tt.yearBefore[1])}
			l := report.DetailLedger(acct, tt.from, tt.to, jiti.Yuan(tt.opening), yb, tt.entries)
			compareRows(t, l, tt.want)
			if l.Kind != report.DetailKind {
				t.Errorf("Kind = %v, want %v", l.Kind, report.DetailKind)
			}
		})
	}
}

func TestLedgerRowDirection(t *testing.T) {
	tests := []struct {
		balance jiti.Amount
		want    report.Direction
	}{{1, report.DirDebit}, {-1, report.DirCredit}, {0, report.DirFlat}}
	for _, tt := range tests {
		r := report.LedgerRow{Balance: tt.balance}
		if got := r.Direction(); got != tt.want {
			t.Errorf("Direction(%v) = %v, want %v", tt.balance, got, tt.want)
		}
	}
}

func TestJournalDayTotals(t *testing.T) {
	acct := ledger.Account{Code: "101", Name: "库存现金", Side: ledger.Debit}
	l := report.Journal(acct, 202503, 202503, jiti.Yuan(1000), [2]jiti.Amount{jiti.Yuan(10), jiti.Yuan(20)}, []report.Entry{
		entry("2025-03-02", 1, 0, 100), // one entry that day: no day total
		entry("2025-03-05", 2, 50, 0),
		entry("2025-03-05", 3, 0, 20),
		entry("2025-03-05", 4, 0, 5),
		entry("2025-03-09", 5, 0, 925), // the cash box is empty: 平
	})
	compareRows(t, l, []string{
		"opening 2025-03-01  0.00 0.00 1000.00",
		"entry 2025-03-02 记-1 0.00 100.00 900.00",
		"entry 2025-03-05 记-2 50.00 0.00 950.00",
		"entry 2025-03-05 记-3 0.00 20.00 930.00",
		"entry 2025-03-05 记-4 0.00 5.00 925.00",
		"day 2025-03-05  50.00 25.00 925.00",
		"entry 2025-03-09 记-5 0.00 925.00 0.00",
		"month 2025-03-31  50.00 1050.00 0.00",
		"year 2025-03-31  60.00 1070.00 0.00",
	})
	if got := l.Rows[len(l.Rows)-1].Direction(); got != report.DirFlat {
		t.Errorf("closing direction = %v, want %v", got, report.DirFlat)
	}
	// The detail ledger of the same entries has no day totals.
	d := report.DetailLedger(acct, 202503, 202503, jiti.Yuan(1000), [2]jiti.Amount{}, []report.Entry{
		entry("2025-03-05", 2, 50, 0), entry("2025-03-05", 3, 0, 20),
	})
	for _, r := range d.Rows {
		if r.Kind == report.RowDay {
			t.Errorf("detail ledger has a day row: %s", rowString(r))
		}
	}
}

func TestGeneralLedger(t *testing.T) {
	acct := ledger.Account{Code: "102", Name: "银行存款", Side: ledger.Debit}
	a := jiti.Yuan
	months := []ledger.Movement{
		{Account: "10201", Period: ledger.OpeningPeriod, Debit: a(9999)}, // opening: passed separately
		{Account: "10201", Period: 202501, Debit: a(100), Credit: a(40)},
		{Account: "10202", Period: 202501, Debit: a(5)}, // a second detail account, same month
		{Account: "10201", Period: 202503, Credit: a(65)},
		{Account: "10201", Period: 202504},              // no turnover: no rows
		{Account: "10201", Period: 202507, Debit: a(1)}, // after the range
	}
	l := report.GeneralLedger(acct, 202501, 202506, a(500), [2]jiti.Amount{}, months)
	compareRows(t, l, []string{
		"opening 2025-01-01  0.00 0.00 500.00",
		"month 2025-01-31  105.00 40.00 565.00",
		"year 2025-01-31  105.00 40.00 565.00",
		"month 2025-03-31  0.00 65.00 500.00",
		"year 2025-03-31  105.00 105.00 500.00",
	})
	if !l.Rows[0].CarriedForward() {
		t.Error("opening row in January is not 上年结转")
	}
}

func TestSampleLedgersAgreeWithTrialBalance(t *testing.T) {
	b := sampleBooks(t, true)
	tb := ledger.ComputeTrialBalance(b.chart, b.moves(), 202501, 202512, false)
	for _, code := range []string{"101", "10201", "113", "513", "32202"} {
		opening, year := b.before(code, 202501)
		d := report.DetailLedger(b.account(t, code), 202501, 202512, opening, year, b.entries(code, 202501, 202512))
		g := report.GeneralLedger(b.account(t, code), 202501, 202512, opening, year, b.monthsOf(code))
		row := tb.Row(code)
		for _, l := range []*report.Ledger{d, g} {
			last := l.Rows[len(l.Rows)-1]
			if last.Kind != report.RowYear || last.Balance != row.Closing() || last.Debit != row.YearDr || last.Credit != row.YearCr {
				t.Errorf("%s %s: last row %s, trial balance closing %v, year %v/%v",
					l.Kind, code, rowString(last), row.Closing(), row.YearDr, row.YearCr)
			}
		}
	}
}

func TestLedgerJSON(t *testing.T) {
	acct := ledger.Account{Code: "101", Name: "库存现金", NameEN: "Cash on hand"}
	l := report.Journal(acct, 202503, 202503, jiti.MustAmount("12.5"), [2]jiti.Amount{}, []report.Entry{
		{Date: jiti.MustDate("2025-03-02"), Period: 202503, VoucherID: 77, Number: 5, Summary: "报销差旅费", Credit: jiti.MustAmount("20")},
	})
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"journal","account":"101","name":"库存现金","name_en":"Cash on hand","from":"2025-03","to":"2025-03","rows":[` +
		`{"kind":"opening","date":"2025-03-01","debit":"0.00","credit":"0.00","direction":"debit","balance":"12.50"},` +
		`{"kind":"entry","date":"2025-03-02","voucher_id":77,"voucher":"记-5","period":"2025-03","summary":"报销差旅费","debit":"0.00","credit":"20.00","direction":"credit","balance":"-7.50"},` +
		`{"kind":"month","date":"2025-03-31","debit":"0.00","credit":"20.00","direction":"credit","balance":"-7.50"},` +
		`{"kind":"year","date":"2025-03-31","debit":"0.00","credit":"20.00","direction":"credit","balance":"-7.50"}]}`
	if string(b) != want {
		t.Errorf("json.Marshal =\n%s\nwant\n%s", b, want)
	}
}

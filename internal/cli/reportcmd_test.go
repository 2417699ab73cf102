package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// TestCLI_StatementsFirstYear: the books open on 2025-01-01, so the
// income statement of 2025 names the year and leaves 上年金额 blank in text
// and CSV and null in JSON, with a line saying why; the balance sheet is
// dated the month's last day.
func TestCLI_StatementsFirstYear(t *testing.T) {
	r := newRunner(t)
	r.setup()
	r.must("voucher", "create", "-c", "620422100201", "-date", "2025-03-05", "-line", "收租,10201,5000,", "-line", "收租,50101,,5000", "-as", "kj")
	r.must("voucher", "approve", "-id", "1", "-as", "sh")
	r.must("voucher", "post", "-id", "1", "-as", "kj")

	text := r.must("report", "income", "-c", "620422100201", "-year", "2025")
	for _, want := range []string{"Year 2025\n", "“Last year” is blank: the books begin on 2025-01-01", "This year  Last year\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("income text lacks %q:\n%s", want, text)
		}
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "I. Operating revenue") && !strings.HasSuffix(l, " 1   5,000.00") {
			t.Errorf("operating revenue line %q: want 5,000.00 and nothing for last year", l)
		}
	}

	out := r.must("report", "income", "-c", "620422100201", "-year", "2025", "-format", "csv")
	recs, err := csv.NewReader(strings.NewReader(excelCSV(out))).ReadAll()
	if err != nil || len(recs) < 2 || strings.Join(recs[0], ",") != "Item,Line,This year,Last year" ||
		strings.Join(recs[1], ",") != "I. Operating revenue,1,5000.00," {
		t.Fatalf("income CSV (%v):\n%s", err, out)
	}

	var js struct {
		Columns []string `json:"columns"`
		Lines   []struct {
			No     int       `json:"no"`
			Values []*string `json:"values"`
		} `json:"lines"`
	}
	out = r.must("report", "income", "-c", "620422100201", "-year", "2025", "-format", "json")
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatalf("income JSON: %v\n%s", err, out)
	}
	if l := js.Lines[0]; l.No != 1 || len(l.Values) != 2 || l.Values[0] == nil || *l.Values[0] != "5000.00" || l.Values[1] != nil {
		t.Fatalf("income JSON line 1: %+v\n%s", l, out)
	}

	// Part of the year: its months, and the columns that say so.
	text = r.must("report", "income", "-c", "620422100201", "-month", "2025-03")
	if !strings.Contains(text, "January to March 2025") || !strings.Contains(text, "Year to date  Same period last year") {
		t.Errorf("income to March:\n%s", text)
	}
	// The balance sheet of books opened on 1 January has 上年年末余额 (the
	// opening balances, here none), so no column is blank.
	text = r.must("report", "balance-sheet", "-c", "620422100201", "-month", "2025-03")
	if !strings.Contains(text, "2025-03-31\n") || !strings.Contains(text, "End of period  End of last year") || strings.Contains(text, "is blank") {
		t.Errorf("balance sheet:\n%s", text)
	}
}

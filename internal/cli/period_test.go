package cli_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// TestCLI_YearEnd keeps a year of books with income of 126,200.00 and
// expenses of 108,000.00 from the command line: months close in a run with
// -through, year-end closing names the month that blocks it, and once the
// year is closed 321 本年收益 has turned over the year's income on each side
// (closed gross, not as one net line), and 322 holds the result.
func TestCLI_YearEnd(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	r.must("account", "add", "-c", c, "-code", "50102", "-name", "服务收入", "-as", "kj")
	n := 0 // vouchers are numbered #1, #2… as they are created
	post := func(date string, lines ...string) {
		t.Helper()
		args := []string{"voucher", "create", "-c", c, "-date", date}
		for _, l := range lines {
			args = append(args, "-line", l)
		}
		r.must(append(args, "-as", "kj")...)
		n++
		r.must("voucher", "approve", "-id", strconv.Itoa(n), "-as", "sh")
		r.must("voucher", "post", "-id", strconv.Itoa(n), "-as", "kj")
	}
	post("2025-03-05", "门面租金,10201,90000,", ",50101,,90000")
	post("2025-05-10", "农资统购服务费,10201,6200,", ",50102,,6200")
	post("2025-06-20", "村级组织运转经费补助,10201,25000,", ",503,,25000")
	post("2025-09-01", "废旧物资变卖,101,5000,", ",504,,5000")
	post("2025-04-15", "门面维修,511,52000,", ",10201,,52000")
	post("2025-07-15", "印花税,512,1000,", ",10201,,1000")
	post("2025-10-30", "村干部报酬,513,40000,", ",10201,,40000")
	post("2025-11-20", "村道路灯电费,514,12000,", ",10201,,12000")
	post("2025-12-05", "慰问困难户,515,3000,", ",101,,3000")

	// Closing the year with months open names the first of them.
	code, _, errs := r.run("period", "close-year", "-c", c, "-year", "2025", "-as", "kj")
	if code != 5 || !strings.Contains(errs, "2025-01 is still open") || !strings.Contains(errs, "leave 2025-12 open") {
		t.Fatalf("close-year with January open: exit %d, %s", code, errs)
	}
	// -month and -through are one or the other.
	if code, _, errs := r.run("period", "close", "-c", c, "-as", "kj"); code != 3 || !strings.Contains(errs, "-through") {
		t.Fatalf("close without a month: exit %d, %s", code, errs)
	}
	out := r.must("period", "close", "-c", c, "-through", "2025-11", "-as", "kj")
	if n := strings.Count(out, " closed"); n != 11 || !strings.Contains(out, "2025-01 closed") || !strings.Contains(out, "2025-11 closed") {
		t.Fatalf("close -through 2025-11 closed %d months:\n%s", n, out)
	}
	if out := r.must("period", "close", "-c", c, "-through", "2025-11", "-as", "kj"); !strings.Contains(out, "already closed") {
		t.Fatalf("closing the run again: %s", out)
	}
	r.must("period", "close", "-c", c, "-month", "2025-12", "-as", "kj")
	code, _, errs = r.run("period", "close-year", "-c", c, "-year", "2025", "-as", "kj")
	if code != 5 || !strings.Contains(errs, "2025-12 is already closed") || !strings.Contains(errs, "December must stay open") {
		t.Fatalf("close-year with December closed: exit %d, %s", code, errs)
	}
	r.must("period", "reopen", "-c", c, "-month", "2025-12", "-reason", "年终结账", "-as", "kj")
	out = r.must("period", "close-year", "-c", c, "-year", "2025", "-as", "kj")
	if !strings.Contains(out, "4") {
		t.Fatalf("close-year: %s", out)
	}

	var tb ledger.TrialBalance
	js := r.must("report", "trial-balance", "-c", c, "-from", "2025-01", "-to", "2025-12", "-format", "json")
	if err := json.Unmarshal([]byte(js), &tb); err != nil {
		t.Fatal(err)
	}
	want := jiti.MustAmount("126200")
	if row := tb.Row("321"); row == nil || row.Debit != want || row.Credit != want || row.Closing() != 0 {
		t.Fatalf("321 = %+v, want %v turned over on each side and no balance", row, want)
	}
	if row := tb.Row("32202"); row == nil || row.Closing() != -jiti.MustAmount("18200") {
		t.Fatalf("32202 = %+v, want a credit of 18,200.00", row)
	}
	r.must("verify")
}

package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestCLI_SharesAndDistribution follows a village from its members to
// their dividends: a membership decision and three members in two
// households; 人口股 quantified one per member and a 集体股; a gift of
// shares on its decision; certificates, one reissued; a year of books
// closed; a plan drafted, adopted on its decision and paid, with the
// bank's payment list as xlsx.
func TestCLI_SharesAndDistribution(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	r.adoptDecision(c, "2025-01", "membership", "成员资格确认", "2025-03-10")
	r.adoptDecision(c, "2025-02", "other", "股份量化", "2025-03-20")
	r.must("household", "add", "-c", c, "-code", "H002", "-name", "李四", "-as", "kj")
	for _, m := range [][]string{{"M001", "张三", "H001", "head", "male"}, {"M002", "王芳", "H001", "spouse", "female"}, {"M003", "李四", "H002", "head", "male"}} {
		r.must("member", "add", "-c", c, "-code", m[0], "-name", m[1], "-born_on", "1970-05-01", "-sex", m[4], "-household", m[2],
			"-relation", m[3], "-basis", "original", "-confirmed_on", "2025-03-15", "-decision", "2025-01", "-as", "kj")
	}
	out := r.must("share", "type", "-c", c, "-code", "RK", "-name", "人口股", "-kind", "person", "-rule", "per_member:1",
		"-date", "2025-03-31", "-decision", "2025-02", "-as", "kj")
	wantIn(t, "share type", out, "RK")
	r.must("share", "type", "-c", c, "-code", "JT", "-name", "集体股", "-kind", "collective", "-total", "1",
		"-date", "2025-03-31", "-decision", "2025-02", "-as", "kj")
	// More than the giver holds: refused, naming the flag.
	code, _, errs := r.run("share", "change", "-c", c, "-kind", "gift", "-type", "RK", "-from", "member:M002", "-to", "member:M003",
		"-qty", "2", "-date", "2025-04-01", "-decision", "2025-02", "-as", "kj")
	if code == 0 || !strings.Contains(errs, "shares:") {
		t.Fatalf("a gift of more than held: exit %d, %s", code, errs)
	}
	r.must("share", "change", "-c", c, "-kind", "gift", "-type", "RK", "-from", "member:M002", "-to", "member:M003",
		"-qty", "0.5", "-date", "2025-04-01", "-decision", "2025-02", "-as", "kj")
	out = r.must("share", "holdings", "-c", c, "-by-household")
	wantIn(t, "share holdings", out, "H001", "1.50", "H002", "1.50", "3.00")
	out = r.must("share", "types", "-c", c)
	wantIn(t, "share types", out, "人口股", "3.00", "集体股", "1.00")

	out = r.must("certificate", "issue", "-c", c, "-date", "2025-04-10", "-as", "kj")
	wantIn(t, "certificate issue", out, "2")
	r.must("certificate", "reissue", "-c", c, "-number", c+"-0001", "-date", "2025-06-01", "-reason", "遗失补办", "-as", "kj")
	out = r.must("certificate", "show", "-number", c+"-0001")
	wantIn(t, "certificate show", out, "void", "遗失补办", c+"-0003")
	out = r.must("certificate", "show", "-number", c+"-0003")
	wantIn(t, "certificate show", out, "valid", "张三", "王芳", "1.50")

	// A year's books: rent 12,000 less office costs 2,000; closed.
	n := 0
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
	post("2025-03-05", "门面租金,10201,12000,", ",50101,,12000")
	post("2025-10-30", "办公费,513,2000,", ",10201,,2000")
	code, _, errs = r.run("distribution", "plan", "-c", c, "-year", "2025", "-as", "kj")
	if code == 0 || !strings.Contains(errs, "not closed") {
		t.Fatalf("a plan of an open year: exit %d, %s", code, errs)
	}
	r.must("period", "close", "-c", c, "-through", "2025-11", "-as", "kj")
	r.must("period", "close-year", "-c", c, "-year", "2025", "-as", "kj")

	// 10 % to the fund (1,000), 50 % of the rest (4,500) by 4 shares:
	// 1.5 each to H001 and H002, 1 kept for the collective's 集体股.
	out = r.must("distribution", "plan", "-c", c, "-year", "2025", "-reserve", "10", "-members", "50", "-as", "kj")
	wantIn(t, "distribution plan", out, "10,000.00", "1,000.00", "4,500.00", "H001", "1,687.50", "H002", "1,125.00")
	code, _, errs = r.run("distribution", "plan", "-c", c, "-year", "2025", "-amount", "9500", "-as", "kj")
	if code == 0 || !strings.Contains(errs, "more than the distributable income") {
		t.Fatalf("a plan above the distributable income: exit %d, %s", code, errs)
	}
	r.must("distribution", "plan", "-c", c, "-year", "2025", "-reserve", "10", "-members", "50", "-as", "kj")
	r.adoptDecision(c, "2026-01", "distribution", "2025年度收益分配方案", "2026-03-10")
	out = r.must("distribution", "adopt", "-c", c, "-year", "2025", "-date", "2026-03-20", "-decision", "2026-01", "-as", "kj")
	wantIn(t, "distribution adopt", out, "1,000.00", "4,500.00")

	bank := filepath.Join(t.TempDir(), "代发清单.xlsx")
	r.must("distribution", "pay", "-c", c, "-year", "2025", "-date", "2026-03-25", "-account", "10201", "-format", "xlsx", "-o", bank, "-as", "kj")
	f, err := excelize.OpenFile(bank)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, row := range rows {
		cells = append(cells, strings.Join(row, "|"))
	}
	all := strings.Join(cells, "\n")
	if !strings.Contains(all, "H001|张三|1.50|1,687.50") || !strings.Contains(all, "H002|李四|1.50|1,687.50") || !strings.Contains(all, "3,375.00") {
		t.Fatalf("the bank's list:\n%s", all)
	}
	// LibreOffice Calc shows the bank the same cells.
	calc := readFileCSV(t, convert(t, libreOffice(t), bank, calcAsShown, ""))
	var shown []string
	for _, row := range calc {
		shown = append(shown, strings.Join(row, "|"))
	}
	if got := strings.Join(shown, "\n"); !strings.Contains(got, "H001|张三|1.50|1,687.50") || !strings.Contains(got, "3,375.00") {
		t.Fatalf("the bank's list in LibreOffice:\n%s", got)
	}
	var d struct {
		Status string `json:"status"`
		Lines  []struct {
			Household string `json:"household"`
			Paid      json.Number
		} `json:"lines"`
	}
	if err := json.Unmarshal([]byte(r.must("distribution", "show", "-c", c, "-year", "2025", "-format", "json")), &d); err != nil {
		t.Fatal(err)
	}
	if d.Status != "adopted" || len(d.Lines) != 3 {
		t.Fatalf("distribution %+v", d)
	}
	out = r.must("verify")
	wantIn(t, "verify", out, "books intact")
}

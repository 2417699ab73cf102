package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// excelCSV returns CSV as the command line writes it for Excel (a BOM,
// CRLF line ends) as plain text with LF line ends, for tests to search.
func excelCSV(s string) string {
	return strings.ReplaceAll(strings.TrimPrefix(s, "\ufeff"), "\r\n", "\n")
}

// postedBooks sets up the county and posts one voucher in March 2025.
func postedBooks(t *testing.T) *runner {
	t.Helper()
	r := newRunner(t)
	r.setup()
	opening := writeFile(t, "opening.csv", "科目编码,户号,借方余额,贷方余额\n101,,2000.00,\n10201,,50000.00,\n301,,,52000.00\n")
	r.must("opening", "set", "-c", "620422100201", opening, "-as", "kj")
	r.must("voucher", "create", "-c", "620422100201", "-date", "2025-03-05",
		"-line", "收取门面租金,10201,123456.00,", "-line", ",50101,,123456.00", "-as", "kj")
	r.must("voucher", "approve", "-id", "1", "-as", "sh")
	r.must("voucher", "post", "-id", "1", "-as", "kj")
	return r
}

// reportArgs are the reports the command line prints, each for March 2025.
var reportArgs = map[string][]string{
	"trial-balance":  {"report", "trial-balance", "-c", "620422100201", "-month", "2025-03"},
	"balance-sheet":  {"report", "balance-sheet", "-c", "620422100201", "-month", "2025-03"},
	"income":         {"report", "income", "-c", "620422100201", "-month", "2025-03"},
	"ledger":         {"report", "ledger", "-c", "620422100201", "-account", "10201", "-month", "2025-03"},
	"general-ledger": {"report", "general-ledger", "-c", "620422100201", "-account", "10201", "-month", "2025-03"},
	"journal":        {"report", "journal", "-c", "620422100201", "-account", "10201", "-month", "2025-03"},
}

// TestCLI_ReportCSVEncodings: CSV is UTF-8 with a BOM by default, so that
// Excel on Chinese Windows opens it; -encoding gb18030 writes the code
// page of Chinese Windows instead, without a BOM; -o writes a file.
func TestCLI_ReportCSVEncodings(t *testing.T) {
	r := postedBooks(t)
	r.env["JITI_LANG"] = "zh-CN"
	args := append([]string{}, reportArgs["trial-balance"]...)
	utf := r.must(append(args, "-format", "csv")...)
	if !strings.HasPrefix(utf, "\ufeff科目编码,") || !strings.Contains(utf, "\r\n") {
		t.Fatalf("UTF-8 CSV: %q", utf[:min(len(utf), 40)])
	}
	gb := r.must(append(args, "-format", "csv", "-encoding", "gb18030")...)
	if strings.HasPrefix(gb, "\ufeff") {
		t.Error("GB18030 CSV has a BOM")
	}
	decoded, err := simplifiedchinese.GB18030.NewDecoder().String(gb)
	if err != nil || decoded != strings.TrimPrefix(utf, "\ufeff") {
		t.Errorf("GB18030 CSV decodes to %q, %v", decoded[:min(len(decoded), 40)], err)
	}
	p := filepath.Join(t.TempDir(), "tb.csv")
	r.must(append(args, "-format", "csv", "-encoding", "GBK", "-o", p)...)
	if b, _ := os.ReadFile(p); string(b) != gb {
		t.Error("-o wrote other bytes than standard output")
	}
	if code, _, errs := r.run(append(args, "-format", "csv", "-encoding", "latin1")...); code == 0 || !strings.Contains(errs, "latin1") {
		t.Errorf("an unknown encoding: exit %d, %s", code, errs)
	}
	// A template for Excel is CSV too.
	if out := r.must("template", "assets", "-encoding", "gb18030"); strings.HasPrefix(out, "\ufeff") || !strings.HasPrefix(out, "\xd7\xca\xb2\xfa") { // 资产 in GB18030
		t.Errorf("template in GB18030: % x", out[:min(len(out), 8)])
	}
}

// TestCLI_ReportsAsXLSX writes every report the command line prints as
// xlsx, to -o or to standard output, and reads each back: the title, the
// header in bold, amounts as numbers.
func TestCLI_ReportsAsXLSX(t *testing.T) {
	r := postedBooks(t)
	dir := t.TempDir()
	for name, args := range reportArgs {
		p := filepath.Join(dir, name+".xlsx")
		out := r.must(append(append([]string{}, args...), "-format", "xlsx", "-o", p)...)
		if !strings.Contains(out, p) {
			t.Errorf("%s: says %q", name, out)
		}
		f, err := excelize.OpenFile(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sheets := f.GetSheetList()
		rows, err := f.GetRows(sheets[0])
		if err != nil || len(rows) < 3 {
			t.Errorf("%s: rows %v, %v", name, rows, err)
		}
		found := false
		for _, row := range rows {
			for _, c := range row {
				found = found || strings.Contains(c, "123,456.00")
			}
		}
		if !found {
			t.Errorf("%s: no 123,456.00 in %v", name, rows)
		}
		f.Close()
	}
	out := r.must(append(append([]string{}, reportArgs["income"]...), "-format", "xlsx")...)
	if !strings.HasPrefix(out, "PK\x03\x04") {
		t.Errorf("xlsx to standard output starts %q", out[:min(len(out), 8)])
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(out)))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	// A list has no xlsx form; it says so rather than writing a broken file.
	if code, _, errs := r.run("voucher", "list", "-c", "620422100201", "-format", "xlsx"); code == 0 || !strings.Contains(errs, "xlsx") {
		t.Errorf("voucher list -format xlsx: exit %d, %s", code, errs)
	}
}

// TestCLI_ExportRegistersForExcel exports the registers and reads the
// workbook back: columns as wide as their contents, headers frozen, an
// area a number under a header in mu, a date a date cell, an amount a
// number shown whole.
func TestCLI_ExportRegistersForExcel(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	r.must("import", "resources", "-c", c, writeFile(t, "资源.csv", "资源编号,资源名称,类型,面积（亩）\nZY-1,后山林地,林地,\"1,234.5\"\n"), "-as", "kj")
	r.must("import", "assets", "-c", c, writeFile(t, "资产.csv", "资产编号,资产名称,类别,取得日期,原值,使用年限（月）,贷方科目\n"+
		"ZC-1,南什村村民委员会办公楼及附属设施,房屋及建筑物,2020-06-01,\"100,000.00\",480,10201\n"), "-as", "kj")
	p := filepath.Join(t.TempDir(), "台账.xlsx")
	r.must("export", "registers", "-c", c, "-o", p)
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 3 {
		t.Fatalf("sheets %q", sheets)
	}
	assets, resources := sheets[0], sheets[1]
	if wd, _ := f.GetColWidth(assets, "D"); wd < float64(2*len([]rune("南什村村民委员会办公楼及附属设施"))) {
		t.Errorf("asset name column %v wide", wd)
	}
	if wd, _ := f.GetColWidth(assets, "I"); wd < float64(len("100,000.00")) {
		t.Errorf("cost column %v wide", wd)
	}
	if shown, _ := f.GetCellValue(assets, "I2"); shown != "100,000.00" {
		t.Errorf("cost shows %q", shown)
	}
	if raw, _ := f.GetCellValue(assets, "G2", excelize.Options{RawCellValue: true}); raw != "43983" { // 2020-06-01
		t.Errorf("acquisition date is %q, not a date cell", raw)
	}
	if h, _ := f.GetCellValue(resources, "F1"); h != "Area (mu)" { // the reader's language, in mu
		t.Errorf("area header %q", h)
	}
	if raw, _ := f.GetCellValue(resources, "F2", excelize.Options{RawCellValue: true}); raw != "1234.5" {
		t.Errorf("area is %q, not a number", raw)
	}
	for _, s := range sheets {
		if panes, err := f.GetPanes(s); err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v", s, panes)
		}
	}
}

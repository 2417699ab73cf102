package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// styledCell is a cell value with the number format code Excel would give
// it; an empty code leaves the cell General (or text, for a string).
type styledCell struct {
	v   any
	fmt string
}

// excelBook writes an xlsx workbook whose sheets are written in order:
// each a header and rows, whose styledCell values carry their own number
// format, as Excel or WPS saves typed dates and amounts.
func excelBook(t *testing.T, sheets ...excelSheet) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				sc, styled := v.(styledCell)
				if styled {
					v = sc.v
				}
				if err := f.SetCellValue(s.name, cell, v); err != nil {
					t.Fatal(err)
				}
				if styled && sc.fmt != "" {
					code := sc.fmt
					style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
					if err != nil {
						t.Fatal(err)
					}
					if err := f.SetCellStyle(s.name, cell, cell, style); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		for _, m := range s.merges {
			if err := f.MergeCell(s.name, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

type excelSheet struct {
	name   string
	rows   [][]any
	merges [][2]string // top-left and bottom-right cells of merged ranges
}

// assetDate reads an asset's acquisition date through the command line.
func assetDate(t *testing.T, r *runner, c, code string) string {
	t.Helper()
	var got struct {
		Asset struct {
			AcquiredOn string `json:"acquired_on"`
		} `json:"asset"`
	}
	if err := json.Unmarshal([]byte(r.must("asset", "show", "-c", c, "-asset", code, "-format", "json")), &got); err != nil {
		t.Fatal(err)
	}
	return got.Asset.AcquiredOn
}

// TestCLI_ImportDateCells imports acquisition dates typed as date cells in
// the display formats Excel and WPS offer, and as text with dots: each is
// 2026-03-05. Text with the year last cannot say which of 3 and 5 is the
// month, and is refused naming its cell.
func TestCLI_ImportDateCells(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	header := []any{"资产编号", "资产名称", "类别", "取得日期", "原值", "使用年限（月）", "贷方科目"}
	asset := func(code string, date any) []any {
		return []any{code, "设备" + code, "电子及办公设备", date, "18000.00", "120", "10201"}
	}
	const day = 46086 // 2026-03-05 as Excel counts days
	path := excelBook(t, excelSheet{name: "资产", rows: [][]any{header,
		asset("ZC-1", styledCell{day, "m/d/yyyy"}),
		asset("ZC-2", styledCell{day, "yyyy/m/d h:mm"}),
		asset("ZC-3", styledCell{day, `yyyy"年"m"月"d"日"`}),
		asset("ZC-4", "2026.3.5"),
		asset("ZC-5", styledCell{day, "d-mmm-yy"}),
	}})
	r.must("import", "assets", "-c", c, path, "-as", "kj")
	for _, code := range []string{"ZC-1", "ZC-2", "ZC-3", "ZC-4", "ZC-5"} {
		if got := assetDate(t, r, c, code); got != "2026-03-05" {
			t.Errorf("%s acquired on %q, want 2026-03-05", code, got)
		}
	}

	path = excelBook(t, excelSheet{name: "资产", rows: [][]any{header, asset("ZC-6", "3/5/2026")}})
	code, _, errs := r.run("import", "assets", "-c", c, path, "-as", "kj")
	if code == 0 || !strings.Contains(errs, "row 2, column D") || !strings.Contains(errs, "3/5/2026") || !strings.Contains(errs, "year first") {
		t.Fatalf("import of 3/5/2026 as text: exit %d\n%s", code, errs)
	}
}

// TestCLI_ImportExcelNumbers imports registers from a CSV file as Excel
// saves one, numbers as displayed: amounts with thousands separators and
// a ¥ or ￥, areas and months grouped by thousands. Each reads as the
// number shown.
func TestCLI_ImportExcelNumbers(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	path := writeFile(t, "资源.csv", "资源编号,资源名称,类型,面积（亩）\nZY-1,后山林地,林地,\"1,234.5\"\n")
	r.must("import", "resources", "-c", c, path, "-as", "kj")
	if out := r.must("resource", "list", "-c", c); !strings.Contains(out, "1234.5") && !strings.Contains(out, "1,234.5") {
		t.Errorf("resource list has no area of 1,234.5 mu:\n%s", out)
	}
	path = writeFile(t, "资产.csv", "资产编号,资产名称,类别,取得日期,原值,使用年限（月）,已提折旧,贷方科目\n"+
		"ZC-1,设备,电子及办公设备,2026/3/5,\"¥18,000.00\",\"1,200\",\"￥1,000.50\",10201\n")
	r.must("import", "assets", "-c", c, path, "-as", "kj")
	var got struct {
		Asset struct {
			Cost       int64 `json:"cost"`
			LifeMonths int   `json:"life_months"`
		} `json:"asset"`
	}
	if err := json.Unmarshal([]byte(r.must("asset", "show", "-c", c, "-asset", "ZC-1", "-format", "json")), &got); err != nil {
		t.Fatal(err)
	}
	if got.Asset.Cost != 1800000 || got.Asset.LifeMonths != 1200 {
		t.Errorf("asset: %+v, want cost 1800000 fen and 1200 months", got.Asset)
	}
	path = writeFile(t, "凭证.csv", "凭证号,日期,摘要,科目编码,借方金额,贷方金额\n"+
		"1,2025.3.5,收租,10201,\"¥12,345.60\",\n1,2025.3.5,收租,50101,,\"￥12,345.60\"\n")
	r.must("import", "vouchers", "-c", c, path, "-as", "kj")
	if out := r.must("voucher", "list", "-c", c); !strings.Contains(out, "12,345.60") && !strings.Contains(out, "12345.60") {
		t.Errorf("voucher list lacks 12,345.60:\n%s", out)
	}
}

// TestCLI_ImportErrorsNameColumnAndValue: an error names the column by its
// header even when the sheet lacks it (a straight-line asset without 使用年限),
// and the value it could not use (an unknown 标的资产); the summary counts
// errors in the right number.
func TestCLI_ImportErrorsNameColumnAndValue(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	path := excelBook(t, excelSheet{name: "资产", rows: [][]any{
		{"资产编号", "资产名称", "类别", "取得日期", "原值", "折旧方法", "贷方科目"},
		{"ZC-1", "设备", "电子及办公设备", "2026-03-05", "18000.00", "年限平均法", "10201"},
	}})
	_, _, errs := r.run("import", "assets", "-c", c, path, "-as", "kj")
	if !strings.Contains(errs, "row 2, 使用年限（月） (no such column)") || !strings.Contains(errs, "The import has 1 error, so") {
		t.Errorf("asset without 使用年限:\n%s", errs)
	}
	path = excelBook(t, excelSheet{name: "合同", rows: [][]any{
		{"合同编号", "合同名称", "类型", "对方", "对方类型", "标的资产", "起始日期", "截止日期", "合同金额", "收入科目"},
		{"HT-1", "地磅租赁", "租赁", "会宁县某公司", "unit", "ZC-9", "2025-04-01", "2028-03-31", "9000.00", "50101"},
		{"HT-2", "地磅租赁", "租赁", "会宁县某公司", "unit", "ZC-8", "2025-04-01", "2028-03-31", "九千", "50101"},
	}})
	_, _, errs = r.run("import", "contracts", "-c", c, path, "-as", "kj")
	for _, want := range []string{`row 2, column F (标的资产): No asset numbered "ZC-9"`, `row 3, column I (合同金额): "九千" is not a valid amount`,
		"The import has 3 errors"} {
		if !strings.Contains(errs, want) {
			t.Errorf("contract import errors lack %q:\n%s", want, errs)
		}
	}
	r.env["JITI_LANG"] = "zh-CN"
	_, _, errs = r.run("import", "contracts", "-c", c, path, "-as", "kj")
	if !strings.Contains(errs, "工作表“合同”第2行 F列（标的资产）：本集体的资产台账中没有编号为“ZC-9”的资产") {
		t.Errorf("zh-CN:\n%s", errs)
	}
}

// TestCLI_ImportSkipsReferenceSheets imports a workbook whose vouchers sit
// beside a note and a 科目表 kept for reference: the vouchers import, and
// the report names the sheets that were not read, with why.
func TestCLI_ImportSkipsReferenceSheets(t *testing.T) {
	r := newRunner(t)
	r.setup()
	path := excelBook(t,
		excelSheet{name: "填写说明", rows: [][]any{{"金额以元为单位"}}},
		excelSheet{name: "科目表", rows: [][]any{{"科目编码", "科目名称"}, {"10201", "农商银行基本户"}, {"50101", "租赁收入"}}},
		excelSheet{name: "凭证", rows: [][]any{{"凭证号", "日期", "摘要", "科目编码", "借方金额", "贷方金额"},
			{"1", "2025-03-05", "收租", "10201", "100.00", nil}, {"1", "2025-03-05", "收租", "50101", nil, "100.00"}}},
	)
	out := r.must("import", "vouchers", "-c", "620422100201", path, "-as", "kj")
	for _, want := range []string{"Sheet 填写说明 was skipped", "Sheet 科目表 was skipped as not data: it lacks the columns 凭证号, 日期", "1 voucher with 2 lines imported as draft #"} {
		if !strings.Contains(out, want) {
			t.Errorf("import report lacks %q:\n%s", want, out)
		}
	}
}

// TestCLI_ImportMergedCells imports vouchers laid out with merged cells (a
// two-row header, number and date merged down each voucher's lines), and
// refuses an account merged down two lines, naming the range.
func TestCLI_ImportMergedCells(t *testing.T) {
	r := newRunner(t)
	r.setup()
	rows := [][]any{
		{"凭证号", "日期", "摘要", "科目编码", "金额"},
		{nil, nil, nil, nil, "借方", "贷方"},
		{"1", "2025-03-05", "收租", "10201", "100.00"},
		{nil, nil, "收租", "50101", nil, "100.00"},
	}
	merges := [][2]string{{"A1", "A2"}, {"B1", "B2"}, {"C1", "C2"}, {"D1", "D2"}, {"E1", "F1"}, {"A3", "A4"}, {"B3", "B4"}}
	path := excelBook(t, excelSheet{name: "凭证", rows: rows, merges: merges})
	out := r.must("import", "vouchers", "-c", "620422100201", path, "-as", "kj")
	if !strings.Contains(out, "1 voucher with 2 lines") {
		t.Errorf("import: %s", out)
	}
	path = excelBook(t, excelSheet{name: "凭证", rows: rows, merges: append(merges, [2]string{"D3", "D4"})})
	code, _, errs := r.run("import", "vouchers", "-c", "620422100201", path, "-as", "kj")
	if code == 0 || !strings.Contains(errs, "row 3, column D") || !strings.Contains(errs, "merged cells D3:D4") {
		t.Errorf("merged accounts: exit %d\n%s", code, errs)
	}
}

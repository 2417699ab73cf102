package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// rateBook writes an xlsx file of one sheet: the header, then rows whose
// column col (1-based) holds rates[i] formatted with the built-in number
// format numFmts[i] (9 is "0%", 10 "0.00%", 0 General).
func rateBook(t *testing.T, header []string, rows [][]any, col int, rates []any, numFmts []int) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetRow("Sheet1", "A1", &header); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
		cell, _ = excelize.CoordinatesToCellName(col, i+2)
		if err := f.SetCellValue("Sheet1", cell, rates[i]); err != nil {
			t.Fatal(err)
		}
		if numFmts[i] != 0 {
			style, err := f.NewStyle(&excelize.Style{NumFmt: numFmts[i]})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle("Sheet1", cell, cell, style); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := filepath.Join(t.TempDir(), "rates.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCLI_ImportPercentCells imports registers whose rates are typed as
// percent cells, as Excel and WPS store them (5% is the number 0.05 shown
// through a percent format), beside rates typed as plain numbers and as
// text: each reads as the percentage the user sees, never 100 times too
// small, and a rate more precise than a hundredth of a percent is refused
// naming its cell.
func TestCLI_ImportPercentCells(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"

	header := []string{"资产编号", "资产名称", "类别", "取得日期", "原值", "使用年限（月）", "残值率（%）", "贷方科目"}
	asset := func(code string) []any {
		return []any{code, "设备" + code, "电子及办公设备", "2025-03-10", "18000.00", "120", nil, "10201"}
	}
	path := rateBook(t, header, [][]any{asset("ZC-1"), asset("ZC-2"), asset("ZC-3"), asset("ZC-4")}, 7,
		[]any{0.05, 0.035, 4, "3%"}, []int{9, 10, 0, 0})
	r.must("import", "assets", "-c", c, path, "-as", "kj")
	for code, want := range map[string]int{"ZC-1": 500, "ZC-2": 350, "ZC-3": 400, "ZC-4": 300} {
		var got struct {
			Asset struct {
				ResidualRate int `json:"residual_rate"`
			} `json:"asset"`
		}
		if err := json.Unmarshal([]byte(r.must("asset", "show", "-c", c, "-asset", code, "-format", "json")), &got); err != nil {
			t.Fatal(err)
		}
		if got.Asset.ResidualRate != want {
			t.Errorf("%s: residual rate %d basis points, want %d", code, got.Asset.ResidualRate, want)
		}
	}

	// A contract's yearly increase typed as a 3% cell is 3%, not 0.03%.
	path = rateBook(t, []string{"合同编号", "合同名称", "类型", "对方", "对方类型", "标的资产", "起始日期", "截止日期", "合同金额", "年递增率（%）", "收入科目"},
		[][]any{{"HT-1", "地磅租赁", "租赁", "会宁县某公司", "unit", "ZC-1", "2025-04-01", "2028-03-31", "9000.00", nil, "50101"}}, 10,
		[]any{0.03}, []int{9})
	r.must("import", "contracts", "-c", c, path, "-as", "kj")
	var k struct {
		Contract struct {
			Escalation int `json:"escalation"`
		} `json:"contract"`
	}
	if err := json.Unmarshal([]byte(r.must("contract", "show", "-c", c, "-contract", "HT-1", "-format", "json")), &k); err != nil {
		t.Fatal(err)
	}
	if k.Contract.Escalation != 300 {
		t.Errorf("escalation %d basis points, want 300", k.Contract.Escalation)
	}

	// A rate with more digits than a hundredth of a percent is refused,
	// naming the cell, and nothing of the file is imported.
	path = rateBook(t, header, [][]any{asset("ZC-5"), asset("ZC-6")}, 7, []any{0.05, 0.123456}, []int{9, 10})
	code, _, errs := r.run("import", "assets", "-c", c, path, "-as", "kj")
	if code == 0 || !strings.Contains(errs, "row 3, column G") || !strings.Contains(errs, "12.345600%") {
		t.Fatalf("import of a rate of 12.3456%%: exit %d\n%s", code, errs)
	}
	if code, _, _ := r.run("asset", "show", "-c", c, "-asset", "ZC-5"); code == 0 {
		t.Error("ZC-5 was imported from a refused file")
	}
}

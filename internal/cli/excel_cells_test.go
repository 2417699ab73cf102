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

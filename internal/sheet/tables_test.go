package sheet

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"example.org/jiti"

	"example.org/jiti/internal/report"
)

// TestWriteTables writes two report tables and reads the workbook back:
// one sheet each named by its title, the header translated, amounts as
// numbers, codes as text, and titles cut to Excel's 31 characters.
func TestWriteTables(t *testing.T) {
	tb := &report.Table{Title: "科目余额表", Meta: []string{"南什村股份经济合作社"},
		Columns: []report.Column{{Key: "col.code", Align: report.Left}, {Key: "col.name", Align: report.Left, Indent: true},
			{Key: "col.line", Align: report.Right}, {Key: "col.debit", Align: report.Right, Money: true}},
		Rows: []report.TableRow{{Cells: []string{"001", "现金", "1", "1234.5"}}, {Cells: []string{"", "合计", "", "1234.5"}, Bold: true}}}
	long := &report.Table{Title: strings.Repeat("长", 40) + "/?", Columns: []report.Column{{Key: "col.name", Align: report.Left}}}
	tr := map[string]string{"col.code": "科目编码", "col.name": "科目名称", "col.line": "行次", "col.debit": "借方"}
	var buf bytes.Buffer
	if err := WriteTables(&buf, []*report.Table{tb, long}, func(k string) string { return tr[k] }); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"科目余额表", strings.Repeat("长", 29) + " 2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	rows, err := f.GetRows("科目余额表", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"科目余额表"}, {"南什村股份经济合作社"}, {"科目编码", "科目名称", "行次", "借方"}, {"001", "现金", "1", "1234.5"}, {"", "合计", "", "1234.5"}}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows\n got %q\nwant %q", rows, want)
	}
	if typ, _ := f.GetCellType("科目余额表", "D4"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("D4 type %v, want a number", typ)
	}
	if v, _ := f.GetCellValue("科目余额表", "D4"); v != "1,234.50" {
		t.Errorf("D4 shows %q, want 1,234.50", v)
	}
	if id, err := f.GetCellStyle("科目余额表", "D4"); err != nil {
		t.Error(err)
	} else if st, err := f.GetStyle(id); err != nil || st.NumFmt != 4 {
		t.Errorf("D4 number format %v (%v), want 4, #,##0.00", st, err)
	}
	// A line number is a number shown as it is, not as 1.00.
	if v, _ := f.GetCellValue("科目余额表", "C4"); v != "1" {
		t.Errorf("C4 shows %q, want 1", v)
	}
	if typ, _ := f.GetCellType("科目余额表", "C4"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("C4 type %v, want a number", typ)
	}
	// Each column fits its header and cells; amounts fit 1,234,567.89 at
	// least, so that 100,000.00 never shows as ###.
	for col, least := range map[string]float64{"A": 10, "B": 10, "D": AmountWidth} {
		if wd, _ := f.GetColWidth("科目余额表", col); wd < least {
			t.Errorf("column %s is %v wide, want at least %v", col, wd, least)
		}
	}
	// No tables is still a workbook.
	buf.Reset()
	if err := WriteTables(&buf, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := excelize.OpenReader(&buf); err != nil {
		t.Fatalf("empty workbook: %v", err)
	}
}

// TestHeaderWidths: a header written first sizes an xlsx sheet's columns
// so that an amount of 100,000.00 and more shows whole, not as ###, on
// every sheet; widths set by the caller stay.
func TestHeaderWidths(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "xlsx", "资产")
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteHeader("资产名称", "原值", "这是一个很长很长的列标题"))
	must(w.WriteRow("冷库", jiti.MustAmount("100000"), ""))
	must(w.NewSheet("合同"))
	must(w.WriteHeader("金额"))
	must(w.NewSheet("自定"))
	w.SetColumnWidths(9)
	must(w.WriteHeader("金额"))
	must(w.Close())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct {
		sheet, col string
		want       float64
	}{{"资产", "A", AmountWidth}, {"资产", "B", AmountWidth}, {"资产", "C", 26}, {"合同", "A", AmountWidth}, {"自定", "A", 9}} {
		if wd, _ := f.GetColWidth(c.sheet, c.col); wd != c.want {
			t.Errorf("%s!%s is %v wide, want %v", c.sheet, c.col, wd, c.want)
		}
	}
	if v, _ := f.GetCellValue("资产", "B2"); v != "100,000.00" {
		t.Errorf("B2 shows %q, want 100,000.00", v)
	}
}

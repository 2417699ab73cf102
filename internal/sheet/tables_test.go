package sheet

import (
	"bytes"
	"reflect"
	"strconv"
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
	if got, want := f.GetSheetList(), []string{"科目余额表", strings.Repeat("长", 31)}; !reflect.DeepEqual(got, want) {
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

// TestWriteTablesForPrint reads back, as Excel would, what makes a report
// workbook usable and printable: columns wide enough for their contents
// (Chinese counted double, no ### for 100,000.00), the title and header
// frozen, a wide table across the page and fitted to its width, line
// numbers and counts as integers, rates as percent cells, dates as date
// cells, a bold font record that names its typeface and size, and sheet
// names as their titles, numbered only when two are alike.
func TestWriteTablesForPrint(t *testing.T) {
	cols := []report.Column{{Key: "日期", Align: report.Left}, {Key: "项目", Align: report.Left}, {Key: "行次", Align: report.Right},
		{Key: "金额", Align: report.Right, Money: true}, {Key: "增减率", Align: report.Right}, {Key: "面积（亩）", Align: report.Right}}
	narrow := &report.Table{Title: "收益分配表", Meta: []string{"南什村股份经济合作社", "2025年"}, Columns: cols,
		Rows: []report.TableRow{{Cells: []string{"2025-03-31", "村集体经济组织经营收入合计", "12", "100000.00", "-16.67%", "235.5"}}}}
	var wide []report.Column
	for i := range 14 {
		wide = append(wide, report.Column{Key: "借方金额" + strconv.Itoa(i), Align: report.Right, Money: true})
	}
	wideT := &report.Table{Title: "收益分配表", Columns: wide, Rows: []report.TableRow{{Cells: make([]string, 14)}}}
	var buf bytes.Buffer
	if err := WriteTables(&buf, []*report.Table{narrow, wideT}, func(k string) string { return k }); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"收益分配表", "收益分配表 2"}) {
		t.Errorf("sheets %q", got)
	}
	const s = "收益分配表"
	// Widths: the name fits, counted double; the amount fits as shown.
	if wd, _ := f.GetColWidth(s, "B"); wd < float64(2*len([]rune("村集体经济组织经营收入合计"))) {
		t.Errorf("column B is %v wide, too narrow for its Chinese text", wd)
	}
	if wd, _ := f.GetColWidth(s, "D"); wd < float64(len("100,000.00")+2) {
		t.Errorf("column D is %v wide: 100,000.00 would show as ###", wd)
	}
	// Frozen above row 5: title, two meta lines, header.
	panes, err := f.GetPanes(s)
	if err != nil || !panes.Freeze || panes.YSplit != 4 || panes.TopLeftCell != "A5" {
		t.Errorf("panes %+v, %v", panes, err)
	}
	// Cells: a date cell, an integer, a percent cell.
	typed := map[string]struct {
		raw, shown string
		numFmt     int
	}{
		"A5": {"45747", "2025-03-31", -1}, "C5": {"12", "12", 0}, "E5": {"-0.1667", "-16.67%", 10}, "D5": {"100000", "100,000.00", 4},
		"F5": {"235.5", "235.50", 4},
	}
	for cell, want := range typed {
		raw, _ := f.GetCellValue(s, cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(s, cell)
		if raw != want.raw || shown != want.shown {
			t.Errorf("%s: %q shown %q, want %q shown %q", cell, raw, shown, want.raw, want.shown)
		}
		id, _ := f.GetCellStyle(s, cell)
		st, _ := f.GetStyle(id)
		if want.numFmt >= 0 && (st == nil || st.NumFmt != want.numFmt) {
			t.Errorf("%s: style %+v, want number format %d", cell, st, want.numFmt)
		}
	}
	// The header's font names its face and size.
	id, _ := f.GetCellStyle(s, "A4")
	if st, _ := f.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold || st.Font.Family == "" || st.Font.Size == 0 {
		t.Errorf("header font %+v", st)
	}
	// Printing: fitted to the page's width; across the page when wide.
	for sheet, want := range map[string]string{"收益分配表": "portrait", "收益分配表 2": "landscape"} {
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not fitted to the page: %+v, %v", sheet, props, err)
		}
		pl, err := f.GetPageLayout(sheet)
		if err != nil || pl.Orientation == nil || *pl.Orientation != want || pl.FitToWidth == nil || *pl.FitToWidth != 1 ||
			pl.FitToHeight == nil || *pl.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v, %v; want %s, one page wide", sheet, pl, err, want)
		}
	}
}

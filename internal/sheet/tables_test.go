package sheet

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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
	// No tables is still a workbook.
	buf.Reset()
	if err := WriteTables(&buf, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := excelize.OpenReader(&buf); err != nil {
		t.Fatalf("empty workbook: %v", err)
	}
}

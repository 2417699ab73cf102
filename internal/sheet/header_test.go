package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"example.org/jiti/internal/locale"
)

var voucherFields = []Field{
	{Name: "date", Aliases: []string{"日期", "凭证日期"}, Required: true},
	{Name: "account", Aliases: []string{"科目编码", "科目代码", "科目", "account"}, Required: true},
	{Name: "summary", Aliases: []string{"摘要"}},
	{Name: "debit", Aliases: []string{"借方金额(元)", "借方"}, Required: true},
	{Name: "credit", Aliases: []string{"贷方金额(元)", "贷方"}},
}

func csvHeader(t *testing.T, text string) (*Header, error) {
	t.Helper()
	return ReadHeader(NewCSV(strings.NewReader(text), "凭证"), voucherFields)
}

func TestHeaderAliases(t *testing.T) {
	h, err := csvHeader(t, "\n*日期*, 摘要 ,ACCOUNT,备注,借方金额（元）＊,贷方\n2025-01-05, 收款 ,1001,x, 100 \n\n2025-01-06,,1002,,,5\n")
	if err != nil {
		t.Fatal(err)
	}
	for name, col := range map[string]string{"date": "A", "summary": "B", "account": "C", "debit": "E", "credit": "F"} {
		if got := h.Column(name); got != col {
			t.Errorf("Column(%q) = %q, want %q", name, got, col)
		}
		if !h.Has(name) {
			t.Errorf("Has(%q) false", name)
		}
	}
	row, err := h.Next()
	if err != nil {
		t.Fatal(err)
	}
	if row.Line != 3 || h.Get(row, "summary") != "收款" || h.Get(row, "debit") != "100" || h.Get(row, "credit") != "" {
		t.Errorf("row %v: summary %q debit %q", row, h.Get(row, "summary"), h.Get(row, "debit"))
	}
	ce := h.CellError(row, "debit", ErrEmpty)
	if got, want := ce.Error(), "sheet 凭证, row 3, column E (debit): sheet.empty"; got != want {
		t.Errorf("CellError: %q", got)
	}
	if ce := h.CellError(row, "", ErrEmpty); ce.Column != "" || ce.Row != 3 {
		t.Errorf("row error: %+v", ce)
	}
	row, err = h.Next()
	if err != nil || row.Line != 5 || h.Get(row, "credit") != "5" || h.Get(row, "account") != "1002" {
		t.Fatalf("row %v, %v", row, err)
	}
	if _, err := h.Next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("unknown field did not panic")
		}
	}()
	h.Get(row, "amount")
}

func TestHeaderMissingAndDuplicate(t *testing.T) {
	_, err := csvHeader(t, "日期,科目编码,摘要,科目代码,摘要\n")
	var errs CellErrors
	if !errors.As(err, &errs) || len(errs) != 3 {
		t.Fatalf("got %v", err)
	}
	want := []string{
		"sheet 凭证, row 1, column D (account): sheet.duplicate_column 科目代码B",
		"sheet 凭证, row 1, column E (summary): sheet.duplicate_column 摘要C",
		"sheet 凭证, row 1 (debit): sheet.missing_column 借方金额(元)",
	}
	for i, e := range errs {
		if e.Error() != want[i] {
			t.Errorf("error %d: %q, want %q", i, e.Error(), want[i])
		}
	}
	if !errors.Is(err, ErrDuplicateColumn) || !errors.Is(err, ErrMissingColumn) {
		t.Error("errors.Is fails")
	}

	if _, err := csvHeader(t, ""); err != ErrEmpty {
		t.Errorf("empty: %v", err)
	}
	if _, err := csvHeader(t, "\n,,\n"); err != ErrEmpty {
		t.Errorf("blank: %v", err)
	}
	// A file whose rows name no field: the required columns are missing.
	_, err = csvHeader(t, "a,b\n1,2\n")
	if !errors.As(err, &errs) || len(errs) != 3 || errs[0].Row != 1 || errs[0].Field != "date" {
		t.Errorf("no header: %v", err)
	}
	if _, err := ReadHeader(NewCSV(strings.NewReader("a\n"), ""), []Field{{Name: "x", Aliases: []string{"a"}}, {Name: "y", Aliases: []string{" A "}}}); err == nil {
		t.Error("ambiguous aliases accepted")
	}
}

func TestHeaderTitleRows(t *testing.T) {
	h, err := csvHeader(t, "2025年1月凭证导入模板\n说明：带*号的列必填\n日期*,科目*,借方*\n2025-01-05,1001,5\n")
	if err != nil {
		t.Fatal(err)
	}
	row, err := h.Next()
	if err != nil || row.Line != 4 || h.Get(row, "account") != "1001" {
		t.Errorf("row %v, %v", row, err)
	}
}

func TestHeaderSheets(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, "xlsx", "填写说明")
	_ = w.WriteRow("本模板用于导入凭证")
	_ = w.WriteRow("日期格式：2025-01-05")
	_ = w.NewSheet("一月")
	_ = w.WriteHeader("日期", "科目编码", "借方金额(元)")
	_ = w.WriteRow("2025-01-05", "1001", Number("10"))
	_ = w.NewSheet("二月") // columns in another order, after a title
	_ = w.WriteRow("二月凭证")
	_ = w.WriteRow()
	_ = w.WriteHeader("借方", "备注", "科目", "日期")
	_ = w.WriteRow(Number("20"), "", "1002", "2025-02-01")
	_ = w.WriteRow(Number("30"), "", "1003", "2025-02-02")
	_ = w.NewSheet("三月") // no debit column
	_ = w.WriteHeader("日期", "科目编码")
	_ = w.WriteRow("2025-03-01", "1001")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(&buf, "x")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h, err := ReadHeader(r, voucherFields)
	if err != nil {
		t.Fatal(err)
	}
	if h.Sheet() != "一月" || h.Column("debit") != "C" {
		t.Errorf("sheet %q debit %q", h.Sheet(), h.Column("debit"))
	}
	var got []string
	for {
		row, err := h.Next()
		if err != nil {
			if !errors.Is(err, ErrMissingColumn) {
				t.Fatalf("got %v", err)
			}
			var ce *CellError
			if errors.As(err, &ce); ce.Sheet != "三月" || ce.Field != "debit" || ce.Row != 1 {
				t.Errorf("error %v", ce)
			}
			break
		}
		got = append(got, row.Sheet+" "+h.Get(row, "date")+" "+h.Get(row, "account")+" "+h.Get(row, "debit")+" "+h.Column("debit"))
	}
	want := []string{"一月 2025-01-05 1001 10 C", "二月 2025-02-01 1002 20 A", "二月 2025-02-02 1003 30 A"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q", got)
	}
	if _, err2 := h.Next(); !errors.Is(err2, ErrMissingColumn) {
		t.Error("header error not sticky")
	}
}

func TestHeaderNoSheetHasHeader(t *testing.T) {
	p := xlsxFixture(t, func(f *excelize.File) {
		_ = f.SetCellValue("Sheet1", "B2", "hello")
	})
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = ReadHeader(r, voucherFields)
	var errs CellErrors
	if !errors.As(err, &errs) || len(errs) != 3 || errs[0].Sheet != "Sheet1" || errs[0].Row != 2 {
		t.Errorf("got %v", err)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		" 借方金额（元）* ": "借方金额(元)", "＊科目　编码": "科目编码", "Account\nCode": "accountcode", "ＡＢＣ": "abc", "*": "",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHeaderSkipsReferenceSheets: a workbook's notes and a 科目表 kept for
// reference are not data; they are skipped and named, with the columns
// the 科目表 lacks. A file with nothing but such a sheet reports the
// columns it lacks.
func TestHeaderSkipsReferenceSheets(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, "xlsx", "说明")
	_ = w.WriteRow("本表用于导入凭证")
	_ = w.NewSheet("科目表")
	_ = w.WriteHeader("科目编码", "科目名称")
	_ = w.WriteRow(Text("101"), "库存现金")
	_ = w.NewSheet("凭证")
	_ = w.WriteHeader("凭证号", "日期", "摘要", "科目编码", "借方金额", "贷方金额")
	_ = w.WriteRow("1", "2025-01-05", "收款", Text("101"), Number("10"), nil)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(&buf, "x")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h, err := ReadHeader(r, VoucherFields)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for {
		row, err := h.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if row.Sheet != "凭证" {
			t.Errorf("row of sheet %q read as data", row.Sheet)
		}
		rows++
	}
	got := fmt.Sprint(h.Skipped())
	if want := "[{说明 []} {科目表 [凭证号 日期 摘要 借方金额 贷方金额]}]"; got != want || rows != 1 {
		t.Errorf("skipped %s, want %s; %d rows", got, want, rows)
	}
	en := locale.New(locale.EN)
	if got := DescribeSkipped(en, h.Skipped()[1]); got != "Sheet 科目表 was skipped as not data: it lacks the columns 凭证号, 日期, 摘要, 借方金额, 贷方金额" {
		t.Errorf("described as %q", got)
	}

	_, err = ReadHeader(NewCSV(strings.NewReader("科目编码,科目名称\n101,库存现金\n"), "科目表"), VoucherFields)
	if !errors.Is(err, ErrMissingColumn) {
		t.Errorf("a 科目表 alone: %v", err)
	}
}

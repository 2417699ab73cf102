package sheet

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"example.org/jiti"
)

// readAll reads every row of r, failing the test on an error.
func readAll(t testing.TB, r *Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		rows = append(rows, row)
	}
}

func csvRows(t *testing.T, data []byte) []Row {
	t.Helper()
	return readAll(t, NewCSV(bytes.NewReader(data), "t"))
}

// want is a compact expectation: line number and cells.
type want struct {
	line  int
	cells []string
}

func checkRows(t *testing.T, got []Row, sheet string, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d rows %v, want %d", len(got), got, len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if sheet != "" && g.Sheet != sheet {
			t.Errorf("row %d: sheet %q, want %q", i, g.Sheet, sheet)
		}
		if g.Line != w.line || !reflect.DeepEqual(g.Cells, w.cells) {
			t.Errorf("row %d: line %d %q, want line %d %q", i, g.Line, g.Cells, w.line, w.cells)
		}
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{
		-1: "", 0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA",
		701: "ZZ", 702: "AAA", 16383: "XFD",
	} {
		if got := ColumnName(i); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestCellErrorFormat(t *testing.T) {
	cause := jiti.ErrAmountSyntax.With("12.3.4")
	for _, tc := range []struct {
		e    *CellError
		want string
	}{
		{&CellError{Sheet: "Sheet1", Row: 12, Column: "C", Field: "account", Err: cause},
			"sheet Sheet1, row 12, column C (account): amount.syntax 12.3.4"},
		{&CellError{Sheet: "凭证", Row: 3, Err: cause}, "sheet 凭证, row 3: amount.syntax 12.3.4"},
		{&CellError{Row: 3, Field: "debit", Err: cause}, "row 3 (debit): amount.syntax 12.3.4"},
		{&CellError{Err: cause}, "amount.syntax 12.3.4"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	var err error = CellErrors{{Row: 1, Err: ErrEmpty}, {Row: 2, Column: "B", Err: cause}}
	if got, want := err.Error(), "row 1: sheet.empty; row 2, column B: amount.syntax 12.3.4"; got != want {
		t.Errorf("CellErrors: got %q, want %q", got, want)
	}
	if !errors.Is(err, jiti.ErrAmountSyntax) || !errors.Is(err, ErrEmpty) {
		t.Error("errors.Is does not reach the causes")
	}
	if jiti.KindOf(&CellError{Err: cause}) != jiti.Invalid {
		t.Error("KindOf does not reach the cause")
	}
}

func TestLimit(t *testing.T) {
	var none Limit
	if none.Err() != nil {
		t.Fatal("empty Limit is an error")
	}
	l := Limit{Max: 3}
	for i := 1; i <= 4; i++ {
		l.Add(&CellError{Row: i, Err: ErrEmpty})
	}
	l.Add(CellErrors{{Row: 5, Err: ErrEmpty}, nil})
	l.Add(errors.New("plain"))
	l.Add(nil)
	if len(l.Errors) != 3 || l.Omitted != 3 || l.Count() != 6 || !l.Full() {
		t.Fatalf("kept %d, omitted %d", len(l.Errors), l.Omitted)
	}
	err := l.Err()
	if got, want := err.Error(), "row 1: sheet.empty; row 2: sheet.empty; row 3: sheet.empty; and 3 more"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var lim *Limit
	if !errors.As(err, &lim) || !errors.Is(err, ErrEmpty) {
		t.Error("errors.As/Is fail on a Limit")
	}
	var zero Limit
	for range DefaultLimit + 1 {
		zero.Add(&CellError{Err: ErrEmpty})
	}
	if len(zero.Errors) != DefaultLimit || zero.Omitted != 1 {
		t.Errorf("zero Limit kept %d", len(zero.Errors))
	}
}

func TestCSVRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "csv", "")
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"日期", "科目编码", "摘要", "借方金额", "贷方金额", "序号"},
		{jiti.MustDate("2025-03-31"), Text("1001"), "收到村民缴纳承包费，\"东坡\"地块", Number("1234.5"), Number("0"), 1},
		{},
		{"2025-03-31", Text("001"), "多行\n摘要", jiti.Amount(-123456789012345), nil, int64(-2)},
		{"", "", "=SUM(A1:A2)", "-12.5", "@user", true},
	}
	for _, r := range rows {
		if err := w.WriteRow(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, utf8BOM) {
		t.Error("no BOM")
	}
	if !bytes.Contains(data, []byte("\r\n")) {
		t.Error("no CRLF line ends")
	}
	got := csvRows(t, data)
	checkRows(t, got, "t", []want{
		{1, []string{"日期", "科目编码", "摘要", "借方金额", "贷方金额", "序号"}},
		{2, []string{"2025-03-31", "1001", "收到村民缴纳承包费，\"东坡\"地块", "1234.5", "0", "1"}},
		{4, []string{"2025-03-31", "001", "多行\n摘要", "-1234567890123.45", "", "-2"}},
		{5, []string{"", "", "'=SUM(A1:A2)", "-12.5", "'@user", "TRUE"}},
	})
}

func TestCSVWithoutBOM(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, "CSV", "", WithBOM(false))
	_ = w.WriteRow("a", "b")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "a,b\r\n" {
		t.Errorf("got %q", got)
	}
}

func TestCSVBOM(t *testing.T) {
	got := csvRows(t, []byte("\xEF\xBB\xBF科目编码,金额\n1001,5\n"))
	checkRows(t, got, "", []want{{1, []string{"科目编码", "金额"}}, {2, []string{"1001", "5"}}})
}

func TestCSVGB18030(t *testing.T) {
	text := "科目编码,科目名称,金额\r\n1001,库存现金,100.5\r\n\r\n1002,银行存款（农行）,-3\r\n𠀀,㐀,€\r\n"
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(gbk, []byte(text)) {
		t.Fatal("encoding did nothing")
	}
	checkRows(t, csvRows(t, gbk), "", []want{
		{1, []string{"科目编码", "科目名称", "金额"}},
		{2, []string{"1001", "库存现金", "100.5"}},
		{4, []string{"1002", "银行存款（农行）", "-3"}},
		{5, []string{"𠀀", "㐀", "€"}},
	})
}

func TestCSVGBKAfterLongASCII(t *testing.T) {
	// The head is GBK, but only after many ASCII lines: still within the
	// sniffed 64 KB, so still detected.
	var b bytes.Buffer
	for range 2000 {
		b.WriteString("1001,abc,1.00\n")
	}
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("1002,银行存款,2.00\n")
	b.WriteString(gbk)
	got := csvRows(t, b.Bytes())
	if last := got[len(got)-1]; last.Line != 2001 || last.Cells[1] != "银行存款" {
		t.Errorf("last row %v", last)
	}
}

func TestCSVUTF16(t *testing.T) {
	text := "科目编码\t金额\r\n1001\t1,234.50\r\n"
	data, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, csvRows(t, data), "", []want{
		{1, []string{"科目编码", "金额"}},
		{2, []string{"1001", "1,234.50"}},
	})
}

func TestCSVLines(t *testing.T) {
	data := "h1,h2\n\n  ,\t\n,,,\n\"a\nb\nc\",x\n\"q\"\"uote\",5\" pipe\nlast,1,2,3,\n\n"
	checkRows(t, csvRows(t, []byte(data)), "", []want{
		{1, []string{"h1", "h2"}},
		{5, []string{"a\nb\nc", "x"}},
		{6, []string{"q\"uote", "5\" pipe"}},
		{7, []string{"last", "1", "2", "3", ""}},
	})
	// Tab-separated when the first line has tabs and no comma.
	checkRows(t, csvRows(t, []byte("a\tb\n1,5\t2\n")), "", []want{
		{1, []string{"a", "b"}},
		{2, []string{"1,5", "2"}},
	})
}

func TestCSVEncodingError(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("科目,金额\n")
	for b.Len() < sniffSize+100 {
		b.WriteString("现金,1\n")
	}
	b.WriteString("ok,\xB7\xD1\n") // GBK after 64 KB of UTF-8
	r := NewCSV(&b, "x")
	var err error
	n := 0
	for err == nil {
		_, err = r.Next()
		n++
	}
	var ce *CellError
	if !errors.As(err, &ce) || !errors.Is(err, ErrEncoding) || ce.Column != "B" || ce.Row != n {
		t.Fatalf("got %v at row %d", err, n)
	}
	if _, err2 := r.Next(); err2 != err {
		t.Error("error not sticky")
	}
	_, err = NewCSV(strings.NewReader("a,b\nc,d\x00\n"), "x").Next()
	if err != nil {
		t.Fatal(err)
	}
	r = NewCSV(strings.NewReader("a,b\nc,d\x00\n"), "x")
	_, _ = r.Next()
	if _, err = r.Next(); !errors.Is(err, ErrEncoding) {
		t.Errorf("NUL: got %v", err)
	}
}

// xlsxFixture writes a workbook with excelize's ordinary API, as a stand-in
// for a file saved by Excel: shared strings, styles and number formats.
func xlsxFixture(t *testing.T, build func(f *excelize.File)) string {
	t.Helper()
	f := excelize.NewFile()
	build(f)
	p := filepath.Join(t.TempDir(), "fixture.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func style(t *testing.T, f *excelize.File, s *excelize.Style) int {
	t.Helper()
	id, err := f.NewStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestXLSXFormats(t *testing.T) {
	iso, cn, money, mixed := "yyyy-mm-dd", `yyyy"年"m"月"d"日"`, `"¥"#,##0.00;[Red]\-"¥"#,##0.00`, `[$-804]yyyy/mm/dd hh:mm`
	ampm, names, pct1, litPct := "h:mm AM/PM", "mmm aaaa", "0.0%", `0"%"`
	us, dateTime, month, md := "m/d/yyyy", "yyyy/m/d h:mm", `yyyy"年"m"月"`, `m"月"d"日"`
	p := xlsxFixture(t, func(f *excelize.File) {
		cells := []struct {
			v     any
			style *excelize.Style
		}{
			{45747, &excelize.Style{NumFmt: 14}},                                            // A: Excel's default date
			{45747, &excelize.Style{CustomNumFmt: &iso}},                                    // B
			{45747, &excelize.Style{CustomNumFmt: &cn}},                                     // C
			{45747.5, &excelize.Style{CustomNumFmt: &mixed}},                                // D
			{1234.5, &excelize.Style{NumFmt: 4}},                                            // E: "#,##0.00" shows 1,234.50
			{1234.56, &excelize.Style{NumFmt: 1}},                                           // F: "0" shows 1235
			{123456789012.34, &excelize.Style{NumFmt: 0, Font: &excelize.Font{Bold: true}}}, // G: General shows 1.23456789E+11
			{-0.05, &excelize.Style{NumFmt: 10}},                                            // H: percent, read as shown, never 0.05
			{1234.5, nil},                                                                   // I: no style
			{"1,234.50", &excelize.Style{NumFmt: 4}},                                        // J: text stays text
			{-98765.43, &excelize.Style{CustomNumFmt: &money}},                              // K
			{"001", &excelize.Style{NumFmt: 49}},                                            // L
			{true, nil},                                                                     // M
			{0.1 + 0.2, nil},                                                                // N: 0.30000000000000004 stored
			{45747.75, &excelize.Style{NumFmt: 22}},                                         // O
			{45747, &excelize.Style{NumFmt: 31}},                                            // P: Chinese long date
			{45747.75, &excelize.Style{CustomNumFmt: &ampm}},                                // Q
			{45747, &excelize.Style{CustomNumFmt: &names}},                                  // R
			{0.03, &excelize.Style{NumFmt: 9}},                                              // S: "0%"
			{0.0525, &excelize.Style{CustomNumFmt: &pct1}},                                  // T: shows 5.3%, is 5.25%
			{0.123456, &excelize.Style{NumFmt: 10}},                                         // U: more digits than shown
			{5, &excelize.Style{CustomNumFmt: &litPct}},                                     // V: a quoted % is text
			{46086, &excelize.Style{CustomNumFmt: &us}},                                     // W: shows 3/5/2026
			{46086, &excelize.Style{CustomNumFmt: &dateTime}},                               // X: shows 2026/3/5 0:00
			{46086, &excelize.Style{CustomNumFmt: &month}},                                  // Y: shows no day
			{46086, &excelize.Style{CustomNumFmt: &md}},                                     // Z: shows no year
			{"3/5/2026", nil},                                                               // AA: text stays text
		}
		for i, c := range cells {
			ref, _ := excelize.CoordinatesToCellName(i+1, 2)
			if err := f.SetCellValue("Sheet1", ref, c.v); err != nil {
				t.Fatal(err)
			}
			if c.style != nil {
				_ = f.SetCellStyle("Sheet1", ref, ref, style(t, f, c.style))
			}
		}
	})
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Format() != "xlsx" {
		t.Errorf("format %q", r.Format())
	}
	checkRows(t, readAll(t, r), "Sheet1", []want{{2, []string{
		"2025-03-31", "2025-03-31", "2025-03-31", "2025-03-31 12:00:00",
		"1234.5", "1234.56", "123456789012.34", "-5.00%", "1234.5", "1,234.50", "-98765.43", "001", "TRUE", "0.3",
		"2025-03-31 18:00:00", "2025-03-31", "6:00 下午", "3月 星期一",
		"3.00%", "5.2500%", "12.345600%", "5",
		"2026-03-05", "2026-03-05 00:00:00", "2026年3月", "2026-03-05", "3/5/2026",
	}}})
}

func TestXLSXRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "xlsx", "一月凭证")
	if err != nil {
		t.Fatal(err)
	}
	w.SetColumnWidths(12, 0, 40)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteHeader("日期", "科目编码", "摘要", "借方金额", "贷方金额", "序号"))
	must(w.WriteRow(jiti.MustDate("2025-01-05"), Text("1001"), "收到承包费 \"东坡\" <地块> & 其他", Number("1234.5"), Number("0.00"), 1))
	must(w.WriteRow())
	must(w.WriteRow())
	must(w.WriteRow("2025-01-06", Text("001"), "  前后空格  ", jiti.Amount(-9999999999999), Number("-0.01"), int64(1e15)))
	must(w.WriteRow(nil, nil, "=SUM(A1:A2)", Number("12345678901234.56"), Number("99999999999.99"), uint8(7)))
	must(w.NewSheet("二月"))
	must(w.WriteRow(Bold("科目编码"), Bold("借方金额")))
	must(w.WriteRow("5001", Number("0.1")))
	must(w.NewSheet("空表"))
	must(w.NewSheet("三月"))
	must(w.WriteRow())
	must(w.WriteRow("x"))
	if err := w.NewSheet("二月"); err == nil {
		t.Error("duplicate sheet accepted")
	}
	must(w.Close())
	if err := w.WriteRow("late"); err == nil {
		t.Error("write after Close accepted")
	}

	p := filepath.Join(t.TempDir(), "out.csv") // the name must not matter
	must(os.WriteFile(p, buf.Bytes(), 0o600))
	r, err := Open(p)
	must(err)
	defer r.Close()
	got := readAll(t, r)
	checkRows(t, got[:4], "一月凭证", []want{
		{1, []string{"日期", "科目编码", "摘要", "借方金额", "贷方金额", "序号"}},
		{2, []string{"2025-01-05", "1001", "收到承包费 \"东坡\" <地块> & 其他", "1234.5", "0", "1"}},
		{5, []string{"2025-01-06", "001", "  前后空格  ", "-99999999999.99", "-0.01", "1000000000000000"}},
		{6, []string{"", "", "=SUM(A1:A2)", "12345678901234.56", "99999999999.99", "7"}},
	})
	checkRows(t, got[4:6], "二月", []want{{1, []string{"科目编码", "借方金额"}}, {2, []string{"5001", "0.1"}}})
	checkRows(t, got[6:], "三月", []want{{2, []string{"x"}}})

	// The cells have the types the caller asked for.
	f, err := excelize.OpenFile(p)
	must(err)
	defer f.Close()
	for cell, text := range map[string]bool{
		"D2": false, "F2": false, "E5": false, "B2": true,
		"D6": true, // 16 digits: kept as text
		"F5": true, // 16 digits
	} {
		if got, _ := f.GetCellType("一月凭证", cell); (got == excelize.CellTypeInlineString) != text {
			t.Errorf("%s: type %v, want text %v", cell, got, text)
		}
	}
	if v, _ := f.GetCellValue("一月凭证", "D2"); v != "1,234.50" {
		t.Errorf("D2 displays %q", v)
	}
	if wd, _ := f.GetColWidth("一月凭证", "C"); wd != 40 {
		t.Errorf("column C width %v", wd)
	}
	st, _ := f.GetCellStyle("一月凭证", "A1")
	if s, _ := f.GetStyle(st); s == nil || s.Font == nil || !s.Font.Bold {
		t.Error("header not bold")
	}
}

func TestXLSXHiddenSheet(t *testing.T) {
	p := xlsxFixture(t, func(f *excelize.File) {
		_ = f.SetCellValue("Sheet1", "A1", "visible")
		_, _ = f.NewSheet("选项")
		_ = f.SetCellValue("选项", "A1", "hidden list")
		_ = f.SetSheetVisible("选项", false)
		_, _ = f.NewSheet("Sheet3")
		_ = f.SetCellValue("Sheet3", "B3", "third")
	})
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := readAll(t, r)
	checkRows(t, got[:1], "Sheet1", []want{{1, []string{"visible"}}})
	checkRows(t, got[1:], "Sheet3", []want{{3, []string{"", "third"}}})
}

func TestOpenSniff(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "凭证.xlsx") // CSV content under an xlsx name
	if err := os.WriteFile(csvPath, []byte("a,b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, readAll(t, r), "凭证", []want{{1, []string{"a", "b"}}})
	if r.Format() != "csv" {
		t.Errorf("format %q", r.Format())
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err == nil || err == io.EOF {
		t.Errorf("Next after Close: %v", err)
	}

	xls := filepath.Join(dir, "old.xls")
	_ = os.WriteFile(xls, append(append([]byte{}, oleMagic...), make([]byte, 512)...), 0o600)
	if _, err := Open(xls); !errors.Is(err, ErrXLS) {
		t.Errorf("xls: %v", err)
	}
	bad := filepath.Join(dir, "bad.xlsx")
	_ = os.WriteFile(bad, []byte("PK\x03\x04garbage"), 0o600)
	if _, err := Open(bad); !errors.Is(err, ErrUnreadable) || jiti.KindOf(err) != jiti.Invalid {
		t.Errorf("corrupt zip: %v", err)
	}
	empty := filepath.Join(dir, "empty.csv")
	_ = os.WriteFile(empty, nil, 0o600)
	r, err = Open(empty)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("empty: %v", err)
	}
	r.Close()

	// OpenReader: xlsx from a stream goes through a temporary copy.
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, "xlsx", "")
	_ = w.WriteRow("x", Number("1.5"))
	_ = w.Close()
	r, err = OpenReader(&buf, "upload")
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, readAll(t, r), "Sheet1", []want{{1, []string{"x", "1.5"}}})
	tmp := r.remove
	r.Close()
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("temporary copy left: %v", err)
	}
	r, err = OpenReader(strings.NewReader("\xEF\xBB\xBFa,b\n"), "upload")
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, readAll(t, r), "upload", []want{{1, []string{"a", "b"}}})
}

func TestWriterRefuses(t *testing.T) {
	if _, err := NewWriter(io.Discard, "xls", ""); err == nil {
		t.Error("unknown format accepted")
	}
	for _, format := range []string{"csv", "xlsx"} {
		w, err := NewWriter(io.Discard, format, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRow(1.5); err == nil {
			t.Errorf("%s: float accepted", format)
		}
		if err := w.WriteRow(Number("1,234.00")); err == nil {
			t.Errorf("%s: bad Number accepted", format)
		}
		if err := w.WriteRow(struct{}{}); err == nil {
			t.Errorf("%s: struct accepted", format)
		}
		if err := w.WriteRow("ok"); err != nil {
			t.Errorf("%s: a bad value broke the writer: %v", format, err)
		}
		if format == "csv" {
			if err := w.NewSheet("b"); err == nil {
				t.Error("csv NewSheet accepted")
			}
		} else {
			w.SetColumnWidths(10) // after a row: too late
		}
		err = w.Close()
		if (format == "xlsx") != (err != nil) {
			t.Errorf("%s: Close: %v", format, err)
		}
	}
}

func TestDefuse(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "abc": "abc", "=1+1": "'=1+1", "+86": "+86", "+86 10 6666": "'+86 10 6666", "-12.50": "-12.50", "+3": "+3",
		"-备注": "'-备注", "@x": "'@x", "\tx": "'\tx", "1=1": "1=1",
		"-16.67%": "-16.67%", "-1,234.50": "-1,234.50", "-1%%": "'-1%%", "-%": "'-%", "=1%": "'=1%",
	} {
		if got := defuse(in); got != want {
			t.Errorf("defuse(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy-mm-dd": true, `yyyy"年"m"月"d"日";@`: true, "[h]:mm:ss": true, "h:mm AM/PM": true,
		`[$-F800]dddd\,\ mmmm\ dd\,\ yyyy`: true, "[DBNum1][$-804]yyyy\"年\"m\"月\"": true,
		"#,##0.00": false, `"¥"#,##0.00;[Red]\-"¥"#,##0.00`: false, "0.00E+00": false, "General": false,
		`_ ¥* #,##0.00_ ;_ ¥* \-#,##0.00_ ;_ ¥* "-"??_ ;_ @_ `: false, `0.00 "days"`: false, "@": false,
		`[Red]0.00`: false, "[": false,
	} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v", code, got)
		}
	}
}

func TestIsPercentFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"0%": true, "0.00%": true, `#,##0.0%;[Red]\-#,##0.0%`: true,
		`0"%"`: false, `0\%`: false, "0.00": false, "General": false, "@": false,
	} {
		if got := isPercentFormat(code); got != want {
			t.Errorf("isPercentFormat(%q) = %v", code, got)
		}
	}
}

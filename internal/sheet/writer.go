package sheet

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

// Cell types a caller passes to Writer.WriteRow besides plain values.
type (
	// Text is text that must stay text, such as an account code "1001" or
	// "001". In xlsx its cell has the Text format, so that Excel keeps it
	// text (and its leading zeros) when the user edits it.
	Text string
	// Number is an exact decimal such as "1234.56" or "-0.5": in xlsx a
	// number cell formatted "#,##0.00", so the user can sum it, in CSV the
	// digits as given. A number of more than 15 significant digits, which
	// an Excel number cannot hold exactly, is written as text instead.
	Number string
	// Bold is text in bold, for headers and total labels ("合计").
	Bold string
	// Percent is a percentage as shown, "47.06%" or "-5%": in xlsx a
	// number cell of its value (0.4706) formatted "0.00%", so that it sums
	// and charts as a rate; in CSV the text as given.
	Percent string
)

// Option configures a Writer.
type Option func(*Writer)

// WithBOM says whether CSV output starts with a UTF-8 byte order mark. It
// does by default: without one, Excel on Chinese Windows reads the file as
// GBK and shows Chinese text garbled.
func WithBOM(on bool) Option { return func(w *Writer) { w.bom = on } }

// Encodings of CSV output: UTF-8 with a byte order mark, which Excel 2016
// and later and WPS open correctly, or GB18030, the code page of Chinese
// Windows, for older Excel and for programs that know no BOM. GB18030
// encodes every Unicode character, so nothing is lost either way.
const (
	UTF8    = "utf-8"
	GB18030 = "gb18030"
)

// ErrEncodingName reports an unknown name of a CSV output encoding.
var ErrEncodingName = jiti.Errorf(jiti.Invalid, "sheet.encoding_name")

// CheckEncoding returns the canonical name of a CSV output encoding, from
// the names users write ("utf8", "UTF-8", "gbk", "GB18030"; "" is UTF-8).
// GBK and GB2312 are written as GB18030, which extends them.
func CheckEncoding(name string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), "-", "")) {
	case "", "utf8":
		return UTF8, nil
	case "gb18030", "gbk", "gb2312", "cp936":
		return GB18030, nil
	}
	return "", ErrEncodingName.With(name)
}

// WithEncoding sets the encoding of CSV output, by a name CheckEncoding
// accepts: GB18030 is written without a BOM. An unknown name fails
// NewWriter.
func WithEncoding(name string) Option { return func(w *Writer) { w.encoding = name } }

// Writer writes rows to a CSV or xlsx file as they come. Values written by
// WriteRow:
//
//   - string, Text, Bold, and fmt.Stringer values (such as jiti.Date) as
//     text; time.Time as "2006-01-02 15:04:05";
//   - Number, and jiti.Amount as its Number, exactly; Percent as a
//     percentage;
//   - jiti.Date as a date cell shown yyyy-mm-dd (text in CSV);
//   - integers as number cells (as text beyond 15 digits, which Excel
//     would round); bool as TRUE or FALSE; nil as an empty cell.
//
// Floating-point values are refused: money is never a float in jiti, and
// a float's digits are not the caller's to guess.
//
// In CSV, text that Excel would run as a formula (starting with =, +, -, @,
// a tab or carriage return, and not a plain number) is written with a
// leading apostrophe, so that exported user input cannot inject formulas.
// xlsx text cells are never evaluated and are written as they are.
type Writer struct {
	bom      bool
	encoding string         // of CSV output, as given to WithEncoding
	enc      io.WriteCloser // the GB18030 encoder between csv and out, or nil
	out      *bufio.Writer
	csv      *csv.Writer
	x        *xlsxWriter
	err      error // sticky: once a write fails, the file is broken
	closed   bool
}

// xlsxWriter is the state of xlsx output.
type xlsxWriter struct {
	f                                 *excelize.File
	sw                                *excelize.StreamWriter
	sheet                             string // the current sheet's name
	row                               int    // the last row written in the current sheet
	widths                            bool   // the current sheet's column widths are set
	width                             []float64
	cols                              int // the most cells of a row of the current sheet
	frozen                            bool
	text, number, bold, date, percent int // style IDs
	dst                               io.Writer
}

// landscapeWidth is the width, in characters, of the widest sheet printed
// upright: an A4 page in portrait holds about 90 characters of 11-point
// Calibri between its default margins. A wider sheet is printed across
// the page.
const landscapeWidth = 90

// defaultWidth is the width of a column whose width is not set, Excel's
// 8.43 characters.
const defaultWidth = 8.43

// NewWriter returns a Writer of format "csv" or "xlsx" to w, whose first
// sheet is named sheet ("Sheet1" if empty; CSV has no sheet names). Close
// must be called to complete the file.
func NewWriter(w io.Writer, format, sheet string, opts ...Option) (*Writer, error) {
	wr := &Writer{bom: true}
	for _, o := range opts {
		o(wr)
	}
	switch strings.ToLower(format) {
	case "csv":
		enc, err := CheckEncoding(wr.encoding)
		if err != nil {
			return nil, err
		}
		wr.out = bufio.NewWriterSize(w, 64<<10)
		if enc == GB18030 {
			// Encoded text goes to the buffer of w; the csv.Writer
			// buffers before the encoder.
			wr.enc = transform.NewWriter(wr.out, simplifiedchinese.GB18030.NewEncoder())
			wr.csv = csv.NewWriter(wr.enc)
		} else {
			if wr.bom {
				_, _ = wr.out.Write(utf8BOM)
			}
			// The csv.Writer shares wr.out, as bufio returns a large
			// enough bufio.Writer as is.
			wr.csv = csv.NewWriter(wr.out)
		}
		// Excel is a Windows program; CRLF is what it writes and expects.
		wr.csv.UseCRLF = true
		return wr, nil
	case "xlsx":
		x, err := newXLSXWriter(w, sheet)
		if err != nil {
			return nil, err
		}
		wr.x = x
		return wr, nil
	}
	return nil, fmt.Errorf("sheet: unknown format %q", format)
}

func newXLSXWriter(w io.Writer, sheet string) (*xlsxWriter, error) {
	if sheet == "" {
		sheet = "Sheet1"
	}
	f := excelize.NewFile()
	// excelize assembles the zip in a memory buffer unless given a zip
	// writer of its own; this one writes straight to the destination, so a
	// large workbook streams from the StreamWriters' temporary files into
	// w. (excelize patches the buffer only for entries over 4 GB.)
	f.ZipWriter = func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) }
	x := &xlsxWriter{f: f, dst: w}
	fail := func(err error) (*xlsxWriter, error) {
		_ = f.Close()
		return nil, err
	}
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return fail(err)
		}
	}
	var err error
	if x.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@"
		return fail(err)
	}
	if x.number, err = f.NewStyle(&excelize.Style{NumFmt: 4}); err != nil { // "#,##0.00"
		return fail(err)
	}
	// A font record names its typeface and size as well as its weight:
	// one with only <b/> shows in LibreOffice and WPS in their own default
	// font and size, unlike the cells beside it.
	if x.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Calibri", Size: 11}}); err != nil {
		return fail(err)
	}
	isoDate := "yyyy-mm-dd"
	if x.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &isoDate}); err != nil {
		return fail(err)
	}
	if x.percent, err = f.NewStyle(&excelize.Style{NumFmt: 10}); err != nil { // "0.00%"
		return fail(err)
	}
	if err := x.startSheet(sheet); err != nil {
		return fail(err)
	}
	return x, nil
}

// startSheet makes sheet, which exists, the one rows go to. Every sheet
// prints fitted to the page's width, however many pages long: the flag
// that says so precedes the rows in the XML, so it is set before the
// sheet's widths are known; finishSheet chooses the orientation.
func (x *xlsxWriter) startSheet(sheet string) error {
	fit := true
	if err := x.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	x.sw, x.sheet, x.row, x.widths, x.width, x.cols, x.frozen = sw, sheet, 0, false, nil, 0, false
	return nil
}

// finishSheet sets the current sheet's page: one page wide, as many long
// as it takes, across the page if its columns are wider than an upright
// page; then completes its XML.
func (x *xlsxWriter) finishSheet() error {
	total := 0.0
	for c := range x.cols {
		if c < len(x.width) && x.width[c] > 0 {
			total += x.width[c]
		} else {
			total += defaultWidth
		}
	}
	orientation := "portrait"
	if total > landscapeWidth {
		orientation = "landscape"
	}
	one, any := 1, 0
	size := 9 // A4
	if err := x.f.SetPageLayout(x.sheet, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orientation, FitToWidth: &one, FitToHeight: &any,
	}); err != nil {
		return err
	}
	return x.sw.Flush()
}

var errWriterClosed = errors.New("sheet: writer closed")

// WriteRow writes one row; with no cells, a blank row.
func (w *Writer) WriteRow(cells ...any) error {
	if w.closed {
		return errWriterClosed
	}
	if w.err != nil {
		return w.err
	}
	if w.csv != nil {
		rec := make([]string, len(cells))
		for i, c := range cells {
			s, err := csvCell(c)
			if err != nil {
				return fmt.Errorf("sheet: column %s: %w", ColumnName(i), err)
			}
			rec[i] = s
		}
		// encoding/csv writes an empty record as nothing; a blank row is
		// an empty line.
		if len(rec) == 0 {
			rec = []string{""}
		}
		w.err = w.csv.Write(rec)
		return w.err
	}
	x := w.x
	if x.row >= excelize.TotalRows {
		return ErrTooManyRows
	}
	vals := make([]any, len(cells))
	for i, c := range cells {
		v, err := x.cell(c)
		if err != nil {
			return fmt.Errorf("sheet: column %s: %w", ColumnName(i), err)
		}
		vals[i] = v
	}
	x.row++
	x.cols = max(x.cols, len(cells))
	ref, err := excelize.CoordinatesToCellName(1, x.row)
	if err == nil {
		err = x.sw.SetRow(ref, vals)
	}
	w.err = err
	return err
}

// WriteHeader writes a row of bold header texts. As the first row of an
// xlsx sheet whose widths were not set, it sets each column's width to fit
// its header and at least an amount such as 1,234,567.89, so that no
// number shows as ### (Excel's default column holds about 8 digits).
func (w *Writer) WriteHeader(names ...string) error {
	if w.x != nil && w.x.row == 0 {
		w.FreezeRows(1)
	}
	if w.x != nil && w.x.row == 0 && !w.x.widths {
		widths := make([]float64, len(names))
		for i, n := range names {
			widths[i] = max(TextWidth(n), AmountWidth)
		}
		w.SetColumnWidths(widths...)
	}
	cells := make([]any, len(names))
	for i, n := range names {
		cells[i] = Bold(n)
	}
	return w.WriteRow(cells...)
}

// NewSheet starts a new worksheet; later rows go to it. CSV files have a
// single sheet, and refuse.
func (w *Writer) NewSheet(name string) error {
	if w.closed {
		return errWriterClosed
	}
	if w.err != nil {
		return w.err
	}
	if w.x == nil {
		return errors.New("sheet: a CSV file has only one sheet")
	}
	x := w.x
	if i, _ := x.f.GetSheetIndex(name); i >= 0 {
		return fmt.Errorf("sheet: sheet %q exists", name)
	}
	if err := x.finishSheet(); err != nil {
		w.err = err
		return err
	}
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	if err := x.startSheet(name); err != nil {
		w.err = err
		return err
	}
	return nil
}

// FreezeRows keeps the first n rows of the current xlsx sheet in view as
// it scrolls: a table's title and header. It must come before the sheet's
// first row; WriteHeader as the first row freezes itself. CSV has no panes.
func (w *Writer) FreezeRows(n int) {
	if w.x == nil || w.err != nil || w.closed || n <= 0 || w.x.frozen {
		return
	}
	ref, _ := excelize.CoordinatesToCellName(1, n+1)
	w.x.frozen = true
	w.err = w.x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: n, TopLeftCell: ref, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: ref, ActiveCell: ref, Pane: "bottomLeft"}}})
}

// SetColumnWidths sets the widths of the first columns of the current sheet,
// in characters; a width of 0 leaves a column's default. It must come before
// the sheet's first row, and does nothing for CSV. A misuse is reported by
// the next WriteRow or Close.
func (w *Writer) SetColumnWidths(widths ...float64) {
	if w.x == nil || w.err != nil || w.closed {
		return
	}
	w.x.widths = true
	w.x.width = append(w.x.width[:0], widths...)
	for i, wd := range widths {
		if wd <= 0 {
			continue
		}
		if err := w.x.sw.SetColWidth(i+1, i+1, min(wd, excelize.MaxColumnWidth)); err != nil {
			w.err = err
			return
		}
	}
}

// Close completes the file: it flushes CSV, or writes the xlsx workbook to
// the destination. It does not close the destination.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.csv != nil {
		if w.err == nil {
			w.csv.Flush()
			w.err = w.csv.Error()
		}
		if w.enc != nil && w.err == nil {
			w.err = w.enc.Close()
		}
		if w.err == nil {
			w.err = w.out.Flush()
		}
		return w.err
	}
	x := w.x
	if w.err == nil {
		w.err = x.finishSheet()
	}
	if w.err == nil {
		w.err = x.f.Write(x.dst)
	}
	if err := x.f.Close(); w.err == nil {
		w.err = err
	}
	return w.err
}

// FitWidths returns column widths that show a header and rows of cells
// whole, as a Writer writes them (amounts and Numbers grouped with two
// decimals, Chinese characters counting double), at most maxTextWidth:
// for a caller that has its rows at hand to pass to SetColumnWidths
// before writing them.
func FitWidths(header []string, rows [][]any) []float64 {
	n := len(header)
	for _, r := range rows {
		n = max(n, len(r))
	}
	widths := make([]float64, n)
	for i, h := range header {
		widths[i] = TextWidth(h)
	}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], min(TextWidth(shownText(c)), maxTextWidth))
		}
	}
	return widths
}

// shownText is a cell's text as an xlsx sheet displays it, for its width.
func shownText(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case jiti.Amount:
		return v.Grouped()
	case Number:
		if a, err := jiti.ParseAmount(string(v)); err == nil {
			return a.Grouped()
		}
		return string(v)
	case jiti.Date:
		return v.String()
	}
	s, err := csvCell(c)
	if err != nil {
		return ""
	}
	return s
}

// AmountWidth is the least width, in characters, of a column that holds
// amounts: "1,234,567.89" with a character of padding on each side.
const AmountWidth = 14

// TextWidth is the width, in Excel's characters, of a column that shows s
// whole: a Chinese character takes two, and a character of padding stands
// on each side.
func TextWidth(s string) float64 { return float64(locale.Width(s) + 2) }

// maxExactInt is the largest integer of 15 digits, all that an Excel number
// shows.
const maxExactInt = 999_999_999_999_999

// cell converts a value for the xlsx StreamWriter.
func (x *xlsxWriter) cell(c any) (any, error) {
	switch v := c.(type) {
	case nil:
		return nil, nil
	case string:
		return v, nil
	case Text:
		return excelize.Cell{StyleID: x.text, Value: string(v)}, nil
	case Bold:
		return excelize.Cell{StyleID: x.bold, Value: string(v)}, nil
	case Number:
		return x.numberCell(string(v))
	case Percent:
		return x.percentCell(string(v))
	case jiti.Amount:
		return x.numberCell(v.String())
	case jiti.Date:
		if v.IsZero() {
			return nil, nil
		}
		return excelize.Cell{StyleID: x.date, Value: excelSerial(v)}, nil
	case bool:
		return v, nil
	case time.Time:
		return v.Format(time.DateTime), nil
	case float32, float64:
		return nil, errFloat
	}
	if i, ok := integer(c); ok {
		if i < -maxExactInt || i > maxExactInt {
			return strconv.FormatInt(i, 10), nil
		}
		return i, nil
	}
	if s, ok := bigUint(c); ok {
		return s, nil
	}
	if s, ok := c.(fmt.Stringer); ok {
		return s.String(), nil
	}
	return nil, fmt.Errorf("unsupported cell value %T", c)
}

// numberCell converts a decimal string to a number cell. Up to 15 significant
// digits, the float64 parsed from the decimal formats back (shortest form,
// which excelize writes) to the same digits, so the cell holds the exact
// amount; beyond, the decimal is kept as text.
func (x *xlsxWriter) numberCell(s string) (any, error) {
	digits, ok := decimalDigits(s)
	if !ok {
		return nil, fmt.Errorf("invalid Number %q", s)
	}
	if digits > 15 {
		return excelize.Cell{StyleID: x.text, Value: s}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, fmt.Errorf("invalid Number %q", s)
	}
	if f == 0 {
		f = 0 // not -0
	}
	return excelize.Cell{StyleID: x.number, Value: f}, nil
}

// percentCell converts a percentage as shown, "47.06%" or "5", to a
// percent cell of its value. Its digits are exact as a decimal and, up to
// 15 significant, as the float64 stored.
func (x *xlsxWriter) percentCell(s string) (any, error) {
	p := strings.TrimSuffix(strings.TrimSpace(s), "%")
	digits, ok := decimalDigits(p)
	if !ok || digits > 13 {
		return nil, fmt.Errorf("invalid Percent %q", s)
	}
	f, err := strconv.ParseFloat(p, 64)
	if err != nil {
		return nil, fmt.Errorf("invalid Percent %q", s)
	}
	// Dividing by 100 may land a bit off the decimal; the value parsed
	// from the decimal point moved two places is the nearest.
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', -1, 64)+"e-2", 64)
	if v == 0 {
		v = 0
	}
	return excelize.Cell{StyleID: x.percent, Value: v}, nil
}

// excelSerial is Excel's number of a date: days since 1899-12-30 (so that
// 1900-03-01 is 61, past Excel's phantom 1900-02-29).
func excelSerial(d jiti.Date) int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

var errFloat = errors.New("floating-point cell value: pass a Number or jiti.Amount")

// integer returns the value of an integer of any size that fits int64.
func integer(c any) (int64, bool) {
	switch v := c.(type) {
	case int:
		return int64(v), true
	case int8:
		return int64(v), true
	case int16:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	case uint:
		return int64(v), v <= math.MaxInt64
	case uint8:
		return int64(v), true
	case uint16:
		return int64(v), true
	case uint32:
		return int64(v), true
	case uint64:
		return int64(v), v <= math.MaxInt64
	}
	return 0, false
}

// bigUint formats an unsigned integer too large for int64.
func bigUint(c any) (string, bool) {
	switch v := c.(type) {
	case uint:
		return strconv.FormatUint(uint64(v), 10), true
	case uint64:
		return strconv.FormatUint(v, 10), true
	}
	return "", false
}

// decimalDigits reports whether s is a plain decimal (an optional sign,
// digits, and optionally a point and more digits) and how many significant
// digits it has.
func decimalDigits(s string) (int, bool) {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || hasDot && frac == "" {
		return 0, false
	}
	for _, p := range []string{intPart, frac} {
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return 0, false
			}
		}
	}
	sig := strings.Trim(intPart+frac, "0")
	return len(sig), true
}

// csvCell converts a value to CSV text.
func csvCell(c any) (string, error) {
	switch v := c.(type) {
	case nil:
		return "", nil
	case string:
		return defuse(v), nil
	case Text:
		return defuse(string(v)), nil
	case Bold:
		return defuse(string(v)), nil
	case Percent:
		return string(v), nil
	case jiti.Date:
		return v.String(), nil
	case Number:
		if _, ok := decimalDigits(string(v)); !ok {
			return "", fmt.Errorf("invalid Number %q", string(v))
		}
		return string(v), nil
	case jiti.Amount:
		return v.String(), nil
	case bool:
		if v {
			return "TRUE", nil
		}
		return "FALSE", nil
	case time.Time:
		return v.Format(time.DateTime), nil
	case float32, float64:
		return "", errFloat
	}
	if i, ok := integer(c); ok {
		return strconv.FormatInt(i, 10), nil
	}
	if s, ok := bigUint(c); ok {
		return s, nil
	}
	if s, ok := c.(fmt.Stringer); ok {
		return defuse(s.String()), nil
	}
	return "", fmt.Errorf("unsupported cell value %T", c)
}

// defuse prefixes an apostrophe to text that Excel would take for a formula
// when it opens a CSV file. Numbers such as "-12.5", "-1,234.50" and
// "-16.67%", which Excel reads as numbers, are left alone.
func defuse(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, ok := decimalDigits(ungroup(strings.TrimSuffix(s, "%"))); ok {
		return s
	}
	return "'" + s
}

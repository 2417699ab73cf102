package sheet

import (
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// spillSize is the size above which excelize extracts a worksheet or the
// shared string table to a temporary file instead of holding it in memory.
// Under excelize's default, 16 MB, a shared string table is decoded into Go
// structures and a map costing about ten times its XML: reading a
// 300,000-row journal with a 13 MB table peaked at 135 MB of heap. Spilled,
// each string costs an offset pair, and reading one is a small ReadAt from
// the page cache; the same journal peaked at 37 MB, for 15% more time.
// Parts under 1 MB are small enough to keep whole.
const spillSize = 1 << 20

// openXLSX opens an xlsx workbook for streaming reads of its visible
// worksheets.
func openXLSX(path string) (*Reader, error) {
	f, err := excelize.OpenFile(path, excelize.Options{
		UnzipXMLSizeLimit: spillSize,
		// exactNumbers gives date styles formats of their own; these
		// options are for any it could not, and say as it does that dates
		// display as on Chinese Windows.
		ShortDatePattern: "yyyy/m/d",
		CultureInfo:      excelize.CultureNameZhCN,
	})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		if errors.Is(err, excelize.ErrWorkbookPassword) || errors.Is(err, excelize.ErrWorkbookFileFormat) {
			return nil, ErrXLS.Wrap(err)
		}
		return nil, ErrUnreadable.Wrap(err)
	}
	merges, err := sheetMerges(path)
	if err != nil {
		_ = f.Close()
		return nil, ErrUnreadable.Wrap(err)
	}
	exactNumbers(f)
	// Hidden sheets are skipped: templates keep the lists behind their
	// drop-down cells there, and they are not what the user sees as data.
	var sheets []string
	for _, name := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(name); err == nil && visible {
			sheets = append(sheets, name)
		}
	}
	return &Reader{format: "xlsx", xlsx: &xlsxSource{f: f, sheets: sheets, merges: merges}}, nil
}

// exactNumFmt is a number format ID that no workbook defines and that has no
// built-in meaning in excelize, which therefore returns a cell styled with it
// as its plain value.
const exactNumFmt = -1

// builtinDates are the codes of Excel's built-in date and time formats as
// Excel shows them on Chinese Windows: 14 is the system's short date,
// 27–36 and 50–58 the East Asian formats.
var builtinDates = map[int]string{
	14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm",
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0",
	27: `yyyy"年"m"月"`, 28: `m"月"d"日"`, 29: `m"月"d"日"`, 30: "m/d/yy",
	31: `yyyy"年"m"月"d"日"`, 32: `h"时"mm"分"`, 33: `h"时"mm"分"ss"秒"`,
	34: `上午/下午h"时"mm"分"`, 35: `上午/下午h"时"mm"分"ss"秒"`, 36: `yyyy"年"m"月"`,
	50: `yyyy"年"m"月"`, 51: `m"月"d"日"`, 52: `yyyy"年"m"月"`, 53: `m"月"d"日"`, 54: `m"月"d"日"`,
	55: `上午/下午h"时"mm"分"`, 56: `上午/下午h"时"mm"分"ss"秒"`, 57: `yyyy"年"m"月"`, 58: `m"月"d"日"`,
}

// exactNumbers rewrites the number formats of the workbook's cell styles
// so that excelize's Rows iterator returns what bookkeeping needs.
//
// A percentage style reads through percentFormat, the exact value times
// 100 with its percent sign, whatever decimals the style shows.
//
// Any other style that does not format a date or a time reads as the cell's plain
// value. excelize applies number formats as Excel displays them, which loses
// digits: "0" rounds 1234.56 to 1235, and even General shows at most 11
// significant digits. The plain value is the number in at most 15
// significant digits, as Excel's formula bar shows it, so an amount keeps
// every fen.
//
// A date or time style keeps its format, because a date's plain value is a
// day count no user recognises, but as a workbook format code with a
// Chinese locale, "[$-804]", unless it names a locale of its own. That is
// what Chinese Excel shows for a format without a locale (月 and 星期 for
// month and day names, 上午/下午), and it is also three to five times faster
// in excelize, which otherwise searches its whole language table for every
// date cell.
//
// excelize has no option for any of this, so this edits the style sheet it
// parsed on open; the File is only read, never saved. The fields are reached
// through an exported field of an unexported type, so a change to them in a
// new excelize version fails to compile rather than misbehaving.
func exactNumbers(f *excelize.File) {
	st := f.Styles
	if st == nil || st.CellXfs == nil {
		return
	}
	custom := map[int]string{}
	if st.NumFmts != nil {
		for _, nf := range st.NumFmts.NumFmt {
			if nf == nil {
				continue
			}
			code := nf.FormatCode
			if nf.FormatCode16 != "" {
				code = nf.FormatCode16
			}
			custom[nf.NumFmtID] = code
		}
	}
	// First the new formats are made, then the styles pointed at them or
	// at exactNumFmt: NewStyle looks for an existing style to reuse, and
	// must not see half-rewritten ones.
	n := len(st.CellXfs.Xf) // NewStyle appends styles; these are the workbook's
	numFmts := make([]int, n)
	dateIDs := map[string]int{} // display code → the custom format ID made for it
	for i := range n {
		id := 0
		if p := st.CellXfs.Xf[i].NumFmtID; p != nil {
			id = *p
		}
		numFmts[i] = exactNumFmt
		code, ok := readFormat(id, custom)
		if !ok {
			continue
		}
		dateID, ok := dateIDs[code]
		if !ok {
			style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
			if err != nil || style < 0 || style >= len(st.CellXfs.Xf) || st.CellXfs.Xf[style].NumFmtID == nil {
				numFmts[i] = id // leave the format to excelize as it is
				continue
			}
			dateID = *st.CellXfs.Xf[style].NumFmtID
			dateIDs[code] = dateID
		}
		numFmts[i] = dateID
	}
	for i, id := range numFmts {
		st.CellXfs.Xf[i].NumFmtID = &id
	}
}

// percentFormat displays a percentage cell as its exact value times 100
// with a percent sign: 0.05 reads "5.00%" (excelize pads the hashes' place
// with zeros), 0.0525 "5.2500%", and a rate with more digits than any
// format shows, 0.123456, reads whole as "12.345600%" for the importer to
// refuse rather than round. Twelve places keep every value from 0.01% up
// exact (tested from 0 to 200% by hundredths of a percent).
const percentFormat = "0.############%"

// readFormat gives the format code a style with number format id should
// read through, and whether it has one: a date or time format with a
// Chinese locale, or percentFormat for a percentage. Other numbers read as
// their plain value. As in excelize, a format the workbook defines wins
// over a built-in one of the same ID.
func readFormat(id int, custom map[int]string) (string, bool) {
	code, defined := custom[id]
	if !defined {
		if id == 9 || id == 10 { // Excel's built-in "0%" and "0.00%"
			return percentFormat, true
		}
		if code, ok := builtinDates[id]; ok {
			return dateReadFormat(code), true
		}
		return "", false
	}
	switch {
	case isDateFormat(code):
		return dateReadFormat(code), true
	case isPercentFormat(code):
		return percentFormat, true
	}
	return "", false
}

// Date cells that show a day of a month read as ISO dates whatever their
// display, "3/5/2026", "2026/3/5 0:00" or "2026年3月5日" alike: a display
// with the year last or hidden would otherwise reach an importer as text it
// must refuse as ambiguous, or read with a year the user did not see, while
// the cell's value is one exact day. A time shown with the date is kept, for
// the importer to accept at midnight and refuse otherwise; "[$-804]" keeps
// excelize's fast path (see exactNumbers).
const (
	isoDate     = "[$-804]yyyy-mm-dd"
	isoDateTime = "[$-804]yyyy-mm-dd hh:mm:ss"
)

// dateReadFormat gives the format a date or time style reads through:
// isoDate or isoDateTime for one that shows a day of a month, else its own
// code with a Chinese locale unless it names one (a month "2026年3月", a
// weekday, a time of day read as shown).
func dateReadFormat(code string) string {
	day, clock := datePartsShown(code)
	switch {
	case day && clock:
		return isoDateTime
	case day:
		return isoDate
	case !strings.Contains(code, "[$-"):
		return "[$-804]" + code
	}
	return code
}

// datePartsShown reports whether a date or time format code shows a day of
// a month (a d or dd with a month) and whether it shows a time of day. An m
// is a minute after an h or before an s, as in Excel, else a month; ddd
// and dddd, aaa and aaaa are weekday names, not days; AM/PM and 上午/下午
// are markers, not months.
func datePartsShown(code string) (day, clock bool) {
	type run struct {
		c byte
		n int
	}
	var runs []run
	unclosed := false
	formatCode(code, func(i int) (int, bool) {
		c := code[i]
		switch {
		case c == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				unclosed = true
				return 0, true
			}
			if inner := strings.ToLower(code[i+1 : i+j]); inner != "" && strings.Trim(inner, "hms") == "" {
				clock = true // elapsed time
			}
			return j, false
		case strings.HasPrefix(strings.ToLower(code[i:]), "am/pm"):
			return len("am/pm") - 1, false
		case strings.HasPrefix(strings.ToLower(code[i:]), "a/p"):
			return len("a/p") - 1, false
		}
		l := c | 0x20
		if l != 'y' && l != 'm' && l != 'd' && l != 'h' && l != 's' {
			return 0, false
		}
		if len(runs) > 0 && runs[len(runs)-1].c == l && i > 0 && code[i-1]|0x20 == l {
			runs[len(runs)-1].n++
		} else {
			runs = append(runs, run{l, 1})
		}
		return 0, false
	})
	if unclosed {
		return day, clock
	}
	var hasDay, hasMonth bool
	for k, r := range runs {
		switch r.c {
		case 'd':
			hasDay = hasDay || r.n <= 2
		case 'h', 's':
			clock = true
		case 'm':
			minute := r.n <= 2 && (k > 0 && runs[k-1].c == 'h' || k+1 < len(runs) && runs[k+1].c == 's')
			if minute {
				clock = true
			} else {
				hasMonth = true
			}
		}
	}
	return hasDay && hasMonth, clock
}

// isPercentFormat reports whether a number format code shows its value as
// a percentage (times 100): whether it has a % outside quoted text and
// escaped characters.
func isPercentFormat(code string) bool {
	found := false
	formatCode(code, func(i int) (int, bool) {
		found = code[i] == '%'
		return 0, found
	})
	return found
}

// isDateFormat reports whether a number format code formats dates or times:
// whether, outside quoted text, escaped characters, padding and bracketed
// colours or locales, it has a y, m, d, h or s. Bracketed [h], [mm], [ss]
// are elapsed times.
func isDateFormat(code string) bool {
	found := false
	formatCode(code, func(i int) (int, bool) {
		c := code[i]
		if c == '[' {
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return 0, true
			}
			inner := strings.ToLower(code[i+1 : i+j])
			found = inner != "" && strings.Trim(inner, "hms") == ""
			return j, found
		}
		switch c | 0x20 { // ASCII lower case; bytes of other characters never match
		case 'y', 'm', 'd', 'h', 's':
			found = true
		}
		return 0, found
	})
	return found
}

// formatCode calls visit with the index of each byte of a number format
// code that is part of the format itself: not in quoted text, not a
// character escaped by a backslash, nor one whose width _ pads or * fills
// with. visit returns how many bytes after it to pass over (a bracketed
// section it read whole), and whether to stop.
func formatCode(code string, visit func(i int) (skip int, stop bool)) {
	inQuote := false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			inQuote = c != '"'
		case c == '"':
			inQuote = true
		case c == '\\' || c == '_' || c == '*':
			i++ // a literal character, or the one whose width pads or fills
		default:
			skip, stop := visit(i)
			if stop {
				return
			}
			i += skip
		}
	}
}

// xlsxSource reads Rows from the visible worksheets of a workbook in turn.
type xlsxSource struct {
	f      *excelize.File
	sheets []string
	i      int            // the current sheet's index in sheets
	rows   *excelize.Rows // the current sheet's iterator, nil between sheets
	line   int            // the current row number in the current sheet
	merges map[string][]mergeRange
}

func (s *xlsxSource) next() (Row, error) {
	for {
		if s.rows == nil {
			if s.i >= len(s.sheets) {
				return Row{}, io.EOF
			}
			rows, err := s.f.Rows(s.sheets[s.i])
			if err != nil {
				return Row{}, unreadable(s.sheets[s.i], 0, err)
			}
			s.rows, s.line = rows, 0
		}
		name := s.sheets[s.i]
		// Each Next advances one row number, including rows absent from the
		// XML (Excel omits empty rows), so counting calls gives the row
		// number the user sees.
		if !s.rows.Next() {
			err := s.rows.Error()
			if cerr := s.rows.Close(); err == nil {
				err = cerr
			}
			s.rows = nil
			s.i++
			if errors.Is(err, excelize.ErrMaxRows) {
				return Row{}, &CellError{Sheet: name, Row: s.line + 1, Err: ErrTooManyRows.Wrap(err)}
			}
			if err != nil {
				return Row{}, unreadable(name, s.line+1, err)
			}
			continue
		}
		s.line++
		cells, err := s.rows.Columns()
		if err != nil {
			return Row{}, unreadable(name, s.line, err)
		}
		row := Row{Sheet: name, Line: s.line, Cells: cells}
		if row.blank() {
			continue
		}
		return row, nil
	}
}

func (s *xlsxSource) close() error {
	var err error
	if s.rows != nil {
		err = s.rows.Close()
		s.rows = nil
	}
	return errors.Join(err, s.f.Close())
}

package sheet

import (
	"io"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/report"
)

// WriteTables writes report tables to an xlsx workbook, one sheet each,
// named after its title: the title in bold, the meta lines, the header
// (translated by tr) in bold, and the rows, amounts as number cells a user
// can sum, codes as text so their leading zeros stay, totals in bold. The
// command line's -format xlsx and the web's downloads both write with it.
func WriteTables(w io.Writer, tables []*report.Table, tr func(string) string) error {
	if len(tables) == 0 {
		sw, err := NewWriter(w, "xlsx", "")
		if err != nil {
			return err
		}
		return sw.Close()
	}
	var sw *Writer
	used := map[string]bool{}
	for _, t := range tables {
		name := SheetName(t.Title, used)
		if sw == nil {
			var err error
			if sw, err = NewWriter(w, "xlsx", name); err != nil {
				return err
			}
		} else if err := sw.NewSheet(name); err != nil {
			return err
		}
		if err := writeTable(sw, t, tr); err != nil {
			_ = sw.Close()
			return err
		}
	}
	return sw.Close()
}

func writeTable(sw *Writer, t *report.Table, tr func(string) string) error {
	header, rows := report.SheetCells(t, tr)
	sw.SetColumnWidths(tableWidths(t, header, rows)...)
	sw.FreezeRows(1 + len(t.Meta) + 1) // the title, the meta lines, the header
	if err := sw.WriteRow(Bold(t.Title)); err != nil {
		return err
	}
	for _, m := range t.Meta {
		if err := sw.WriteRow(m); err != nil {
			return err
		}
	}
	if err := sw.WriteHeader(header...); err != nil {
		return err
	}
	for r, cells := range rows {
		if err := sw.WriteRow(typedCells(t, r, cells)...); err != nil {
			return err
		}
	}
	return nil
}

// WriteDataSheet writes a report table as a sheet of data: the header in
// the first row, frozen, then the rows, typed as in WriteTables (amounts
// and measures numbers, dates dates), without the title and meta lines, so
// that the sheet sorts, filters and reads back as a list. The columns are
// as wide as their contents.
func WriteDataSheet(sw *Writer, t *report.Table, tr func(string) string) error {
	header, rows := report.SheetCells(t, tr)
	sw.SetColumnWidths(tableWidths(t, header, rows)...)
	sw.FreezeRows(1)
	if err := sw.WriteHeader(header...); err != nil {
		return err
	}
	for r, cells := range rows {
		if err := sw.WriteRow(typedCells(t, r, cells)...); err != nil {
			return err
		}
	}
	return nil
}

// typedCells are the cells of row r of a table as the sheet writes them:
// an amount or a measure a number, a count an integer, a date a date.
func typedCells(t *report.Table, r int, cells []string) []any {
	out := make([]any, len(cells))
	for c, cell := range cells {
		col := t.Columns[c]
		switch {
		case cell == "":
			out[c] = nil
		case col.Money:
			out[c] = Number(cell)
		case col.Align == report.Right && isInt(cell):
			// A count or a line number: a plain number, not 1.00.
			out[c], _ = strconv.ParseInt(cell, 10, 64)
		case col.Align == report.Right && isPercent(cell):
			out[c] = Percent(cell)
		case col.Align == report.Right && isDecimal(cell):
			// An area in mu (its header says 亩) or another measure:
			// a number the user can sum, not text.
			out[c] = Number(cell)
		case isDate(cell):
			out[c], _ = jiti.ParseDate(cell)
		case t.Rows[r].Bold:
			out[c] = Bold(cell)
		default:
			out[c] = Text(cell)
		}
	}
	return out
}

// WriteTableCSV writes a report table as CSV, through the one CSV writer
// (NewWriter: a UTF-8 BOM unless opts say otherwise, CRLF, formulas
// defused): a header row of translated column names, then the rows,
// amounts plain ("1234.56", no separators) so that spreadsheets and
// scripts read them as numbers. Title, meta lines, indentation and bold
// are left out, so every line is a record.
func WriteTableCSV(w io.Writer, t *report.Table, tr func(string) string, opts ...Option) error {
	sw, err := NewWriter(w, "csv", "", opts...)
	if err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for c, col := range t.Columns {
		header[c] = tr(col.Key)
	}
	if err := sw.WriteRow(header...); err != nil {
		return err
	}
	for _, r := range t.Rows {
		row := make([]any, len(t.Columns))
		for c := range row {
			if c < len(r.Cells) {
				row[c] = r.Cells[c]
			}
		}
		if err := sw.WriteRow(row...); err != nil {
			return err
		}
	}
	return sw.Close()
}

// tableWidths are the widths of a table's columns: each fits its header
// and its longest cell as the sheet shows it (amounts with separators, in
// "#,##0.00"), and a money column at least AmountWidth. The title and the
// meta lines are left out: they run on into the empty cells beside them.
func tableWidths(t *report.Table, header []string, rows [][]string) []float64 {
	widths := make([]float64, len(t.Columns))
	for c, col := range t.Columns {
		if c < len(header) {
			widths[c] = TextWidth(header[c])
		}
		if col.Money {
			widths[c] = max(widths[c], AmountWidth)
		}
		for _, row := range rows {
			if c >= len(row) {
				continue
			}
			cell := row[c]
			if col.Money {
				cell = report.FormatMoney(cell)
			}
			widths[c] = max(widths[c], TextWidth(cell))
		}
		widths[c] = min(widths[c], maxTextWidth)
	}
	return widths
}

// maxTextWidth is the widest a column is made for its text: a long name
// or note runs on into the next cell rather than making a sheet that does
// not fit a screen.
const maxTextWidth = 60

func isInt(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// isPercent reports whether a cell is a percentage a report shows,
// "47.06%" or "-16.67%".
func isPercent(s string) bool {
	p, ok := strings.CutSuffix(s, "%")
	_, isNum := decimalDigits(p)
	return ok && isNum
}

// isDecimal reports whether a cell is a plain decimal number, "235.50".
func isDecimal(s string) bool {
	_, ok := decimalDigits(s)
	return ok
}

// isDate reports whether a cell is a date as reports show it, 2025-03-31.
func isDate(s string) bool {
	if len(s) != len("2025-03-31") || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, err := jiti.ParseDate(s)
	return err == nil
}

// SheetName makes a worksheet name of a title: at most 31 characters,
// none of []:*?/\. A title already in used (case-insensitive, as Excel
// compares them) gets " 2", " 3"…; used records the name.
func SheetName(title string, used map[string]bool) string {
	base := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, title)
	name := base
	for n := 2; ; n++ {
		if r := []rune(name); len(r) > 31 {
			suffix := strings.TrimPrefix(name, base)
			name = string([]rune(base)[:31-len([]rune(suffix))]) + suffix
		}
		if !used[strings.ToLower(name)] {
			break
		}
		name = base + " " + strconv.Itoa(n)
	}
	used[strings.ToLower(name)] = true
	return name
}

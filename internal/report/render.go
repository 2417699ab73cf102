package report

import (
	"io"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

// columnGap separates the columns of a text table.
const columnGap = "  "

// indentUnit is one level of indentation: two columns, the width of one
// Chinese character, so that nested labels line up under their parent's text.
const indentUnit = "  "

// WriteText writes t as an aligned plain-text table for a terminal or a
// print-out: the title centred, the meta lines, then the header and rows.
// Widths are measured in terminal columns (a Chinese character takes two),
// so Chinese labels line up. Money is right-aligned with thousands
// separators; the indenting column of each row is indented by its level.
// Bold has no plain-text form and is dropped. Trailing spaces are trimmed.
func WriteText(w io.Writer, t *Table, tr Translator) error {
	grid := textGrid(t, tr)
	widths := make([]int, len(t.Columns))
	for _, row := range grid {
		for c, cell := range row {
			widths[c] = max(widths[c], locale.Width(cell))
		}
	}
	total := 0
	for _, wd := range widths {
		total += wd
	}
	total += len(columnGap) * max(len(widths)-1, 0)

	var b strings.Builder
	if t.Title != "" {
		pad := max((total-locale.Width(t.Title))/2, 0)
		b.WriteString(strings.Repeat(" ", pad) + t.Title + "\n")
	}
	for _, m := range t.Meta {
		b.WriteString(m + "\n")
	}
	if t.Title != "" || len(t.Meta) > 0 {
		b.WriteString("\n")
	}
	for i, row := range grid {
		line := make([]string, len(row))
		for c, cell := range row {
			if t.Columns[c].Align == Right {
				line[c] = locale.PadLeft(cell, widths[c])
			} else {
				line[c] = locale.PadRight(cell, widths[c])
			}
		}
		b.WriteString(strings.TrimRight(strings.Join(line, columnGap), " ") + "\n")
		if i == 0 {
			b.WriteString(strings.Repeat("-", total) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// textGrid returns the header and the cells of t as they are shown in text:
// headers translated, money grouped, labels indented.
func textGrid(t *Table, tr Translator) [][]string {
	header := make([]string, len(t.Columns))
	for c, col := range t.Columns {
		header[c] = tr(col.Key)
	}
	grid := [][]string{header}
	for _, r := range t.Rows {
		row := make([]string, len(t.Columns))
		for c, col := range t.Columns {
			if c >= len(r.Cells) {
				continue
			}
			cell := r.Cells[c]
			switch {
			case col.Money:
				cell = FormatMoney(cell)
			case col.Indent && r.Indent > 0:
				cell = strings.Repeat(indentUnit, r.Indent) + cell
			}
			row[c] = cell
		}
		grid = append(grid, row)
	}
	return grid
}

// FormatMoney formats a money cell of a Table for reading, with thousands
// separators ("1234.5" → "1,234.50"), as text output and web pages show
// it; anything that is not an amount (a blank, a dash) is shown as it is.
func FormatMoney(cell string) string {
	a, err := jiti.ParseAmount(cell)
	if cell == "" || err != nil {
		return cell
	}
	return a.Grouped()
}

// SheetCells returns the translated header and the cells of t as a
// spreadsheet shows them: labels indented, amounts plain so that the
// spreadsheet reads them as numbers.
func SheetCells(t *Table, tr Translator) (header []string, rows [][]string) {
	grid := textGrid(t, tr)
	for i, r := range t.Rows {
		for c, col := range t.Columns {
			if col.Money && c < len(r.Cells) {
				grid[i+1][c] = r.Cells[c]
			}
		}
	}
	return grid[0], grid[1:]
}

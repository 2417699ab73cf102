package sheet

import (
	"errors"
	"strings"

	"example.org/jiti/internal/locale"
)

// Where returns the cell an error is placed at: the CellError it is, or
// the first of the Limit it is; nil when it has no place.
func Where(err error) *CellError {
	var lim *Limit
	var ce *CellError
	switch {
	case errors.As(err, &lim) && len(lim.Errors) > 0:
		return lim.Errors[0]
	case errors.As(err, &ce):
		return ce
	}
	return nil
}

// Describe renders an error at a place in a sheet in p's language: its
// sheet, row and column (by letter and by its header, or by its header
// alone when the sheet lacks it), then what is wrong there.
func Describe(p *locale.Printer, ce *CellError) string {
	switch {
	case ce.Column != "" && ce.Header != "":
		return p.T("sheet.cell_error_named", ce.Sheet, ce.Row, ce.Column, ce.Header, p.Error(ce.Err))
	case ce.Column != "":
		return p.T("sheet.cell_error", ce.Sheet, ce.Row, ce.Column, p.Error(ce.Err))
	case ce.Header != "":
		return p.T("sheet.field_error", ce.Sheet, ce.Row, ce.Header, p.Error(ce.Err))
	}
	return p.T("sheet.row_error", ce.Sheet, ce.Row, p.Error(ce.Err))
}

// DescribeSkipped says in p's language that a sheet was not read as data,
// and why, for the report of an import.
func DescribeSkipped(p *locale.Printer, s Skipped) string {
	if len(s.Missing) == 0 {
		return p.T("sheet.skipped", s.Sheet)
	}
	sep := ", "
	if p.Lang() == locale.ZH {
		sep = "、"
	}
	return p.T("sheet.skipped_missing", s.Sheet, strings.Join(s.Missing, sep))
}

// Lines renders an error of an import in p's language, a line per
// problem: each cell of a Limit, a CellError at its place, or the message
// of an error without one. The command line and the web list a refused
// import's errors alike.
func Lines(p *locale.Printer, err error) []string {
	var lim *Limit
	if errors.As(err, &lim) {
		out := make([]string, 0, len(lim.Errors))
		for _, ce := range lim.Errors {
			out = append(out, Describe(p, ce))
		}
		return out
	}
	var ce *CellError
	if errors.As(err, &ce) {
		return []string{Describe(p, ce)}
	}
	return []string{p.Error(err)}
}

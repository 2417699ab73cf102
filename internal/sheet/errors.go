package sheet

import (
	"strconv"
	"strings"
)

// CellError is an error at a place in a sheet: a cell, a whole row (no
// Column), or a sheet (no Row). Err is usually a *jiti.Error, whose key and
// arguments the user interface translates; errors.Is and errors.As reach it
// through Unwrap, and so does jiti.KindOf.
type CellError struct {
	Sheet  string
	Row    int    // 1-based, as the user sees it; 0 if none
	Column string // the column letter, such as "C"; "" if none
	Field  string // the field's machine name, such as "account"; "" if none
	// Header is the field's column as users know it, the first of its
	// aliases ("科目编码"), so that a message names the column in words,
	// and still names it when the sheet lacks it; "" if none.
	Header string
	Err    error
}

// Error returns an untranslated description for logs and tests, such as
// "sheet Sheet1, row 12, column C (account): amount.syntax 12.3.4".
func (e *CellError) Error() string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
	}
	if e.Sheet != "" {
		b.WriteString("sheet ")
		b.WriteString(e.Sheet)
	}
	if e.Row > 0 {
		sep()
		b.WriteString("row ")
		b.WriteString(strconv.Itoa(e.Row))
	}
	if e.Column != "" {
		sep()
		b.WriteString("column ")
		b.WriteString(e.Column)
	}
	if e.Field != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("(")
		b.WriteString(e.Field)
		b.WriteString(")")
	}
	if e.Err != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *CellError) Unwrap() error { return e.Err }

// CellErrors is a list of cell errors found together, such as the problems
// of a header row.
type CellErrors []*CellError

// Error joins the members' descriptions with "; ".
func (es CellErrors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the members, so errors.Is and errors.As look into them.
func (es CellErrors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// DefaultLimit is the number of errors a Limit keeps when Max is 0: more
// than anyone reads, few enough to show on a page.
const DefaultLimit = 1000

// Limit collects the errors of an import, keeping the first Max and only
// counting the rest, so that a file of a million bad rows costs no more
// memory, nor a longer report, than one of a thousand. The zero value keeps
// DefaultLimit.
//
//	var errs sheet.Limit
//	for { … errs.Add(h.CellError(row, "amount", err)) … }
//	if err := errs.Err(); err != nil { return err }
type Limit struct {
	Max     int
	Errors  CellErrors // the first Max errors
	Omitted int        // how many more were added
}

// Add adds err: a *CellError, each member of a CellErrors or of another
// Limit, or any other error as a CellError without a place. A nil err is
// ignored.
func (l *Limit) Add(err error) {
	switch e := err.(type) {
	case nil:
	case *CellError:
		if e == nil {
			return
		}
		max := l.Max
		if max <= 0 {
			max = DefaultLimit
		}
		if len(l.Errors) < max {
			l.Errors = append(l.Errors, e)
		} else {
			l.Omitted++
		}
	case CellErrors:
		for _, m := range e {
			l.Add(m)
		}
	case *Limit:
		if e == nil {
			return
		}
		for _, m := range e.Errors {
			l.Add(m)
		}
		l.Omitted += e.Omitted
	default:
		l.Add(&CellError{Err: err})
	}
}

// Count returns how many errors were added, kept or not.
func (l *Limit) Count() int { return len(l.Errors) + l.Omitted }

// Full reports whether further errors will only be counted, for an importer
// that would rather stop reading.
func (l *Limit) Full() bool {
	max := l.Max
	if max <= 0 {
		max = DefaultLimit
	}
	return len(l.Errors) >= max
}

// Err returns l as an error if any error was added, else nil.
func (l *Limit) Err() error {
	if l.Count() == 0 {
		return nil
	}
	return l
}

// Error joins the kept errors' descriptions, and says how many were omitted.
func (l *Limit) Error() string {
	s := l.Errors.Error()
	if l.Omitted > 0 {
		s += "; and " + strconv.Itoa(l.Omitted) + " more"
	}
	return s
}

// Unwrap returns the kept errors.
func (l *Limit) Unwrap() []error { return l.Errors.Unwrap() }

package sheet

import (
	"strconv"
	"strings"

	"example.org/jiti"
)

// ErrInteger reports a cell that should hold a whole number, such as a
// useful life in months or a count of attachments; Args holds the cell as
// written.
var ErrInteger = jiti.Errorf(jiti.Invalid, "sheet.integer")

// Numbers reach an importer as Excel displays them wherever the cell was
// text: in a CSV file Excel saved, whose numbers are written as formatted
// ("1,234.50", "¥1,234.50"), or in a text cell a user typed or pasted
// them into. ParseNumber and Amount read them as a person does; the value
// an error names is always the cell as written.

// ParseNumber reads a numeric cell with parse, after removing thousands
// separators that group the integer digits by three ("1,234.5",
// "12,345,678"). Commas that do not group so are left for parse to
// refuse: "1,23" is a typing error, not 123. An error of parse names the
// cell as written in place of the text parse saw.
func ParseNumber[T any](cell string, parse func(string) (T, error)) (T, error) {
	v, err := parse(ungroup(strings.TrimSpace(cell)))
	return v, asWritten(err, cell)
}

// Amount reads an amount cell: an optional sign, an optional ¥ (or the
// full-width ￥ of Chinese input methods) on either side of it, digits
// perhaps grouped by thousands, and at most two decimals ("¥1,234.50",
// "-¥80.00", "¥-80.00"). An empty cell is an error; see OptionalAmount.
func Amount(cell string) (jiti.Amount, error) {
	s := strings.TrimSpace(cell)
	sign := ""
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign, s = s[:1], s[1:]
	}
	if rest, ok := cutCurrency(s); ok {
		s = rest
		if sign == "" && s != "" && (s[0] == '-' || s[0] == '+') {
			sign, s = s[:1], s[1:]
		}
	}
	a, err := jiti.ParseAmount(sign + ungroup(strings.TrimSpace(s)))
	return a, asWritten(err, cell)
}

// OptionalAmount is Amount, with an empty cell reading as zero.
func OptionalAmount(cell string) (jiti.Amount, error) {
	if strings.TrimSpace(cell) == "" {
		return 0, nil
	}
	return Amount(cell)
}

// Int reads a whole number, perhaps grouped by thousands ("1,200").
func Int(cell string) (int, error) {
	return ParseNumber(cell, func(s string) (int, error) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, ErrInteger.With(cell)
		}
		return n, nil
	})
}

// cutCurrency removes a leading yuan sign.
func cutCurrency(s string) (string, bool) {
	for _, sign := range []string{"¥", "￥"} {
		if rest, ok := strings.CutPrefix(s, sign); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return s, false
}

// ungroup removes the commas of s when they group its integer digits by
// three after one to three leading digits, as Excel's "#,##0" does; any
// other s is returned as it is.
func ungroup(s string) string {
	if !strings.Contains(s, ",") {
		return s
	}
	sign := ""
	if s[0] == '-' || s[0] == '+' {
		sign, s = s[:1], s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	groups := strings.Split(intPart, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !digits(groups[0]) {
		return sign + s
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !digits(g) {
			return sign + s
		}
	}
	out := sign + strings.Join(groups, "")
	if hasDot {
		out += "." + frac
	}
	return out
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// asWritten makes an error of a parser name the cell as the user wrote it:
// a *jiti.Error whose first argument is the text parsed gets the cell in
// its place.
func asWritten(err error, cell string) error {
	je := jiti.AsError(err)
	if je == nil || len(je.Args) == 0 {
		return err
	}
	c := *je
	c.Args = append([]any{strings.TrimSpace(cell)}, je.Args[1:]...)
	return &c
}

package jiti

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a civil calendar date, such as a voucher's date. It is not an instant:
// it has no time of day and no zone. The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrDateSyntax reports a date that is not a valid YYYY-MM-DD calendar date.
var ErrDateSyntax = Errorf(Invalid, "date.syntax")

// ErrDateAmbiguous reports a date written with the year last, such as
// "3/5/2026": an American reads March 5, a European 3 May, and nothing in
// the text says which was meant.
var ErrDateAmbiguous = Errorf(Invalid, "date.ambiguous")

// ParseDate reads "2025-03-31" (also "2025/3/31", "2025.3.31",
// "2025年3月31日" and "20250331", as found in exported spreadsheets) and
// rejects dates that do not exist. A time of midnight after the date
// ("2025/3/31 0:00", as Excel writes a date cell formatted with a time) is
// allowed, and dropped; any other time is an error, since a date field
// that carries one was not meant as the date alone. A date with the year
// last is ErrDateAmbiguous.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	text := s
	if day, clock, ok := strings.Cut(s, " "); ok {
		if !midnight(strings.TrimSpace(clock)) {
			return Date{}, ErrDateSyntax.With(text)
		}
		s = day
	}
	var parts []string
	switch {
	case strings.HasSuffix(s, "日") && strings.Contains(s, "年") && strings.Contains(s, "月"):
		y, rest, _ := strings.Cut(strings.TrimSuffix(s, "日"), "年")
		m, d, _ := strings.Cut(rest, "月")
		parts = []string{y, m, d}
	case strings.Contains(s, "-"):
		parts = strings.Split(s, "-")
	case strings.Contains(s, "/"):
		parts = strings.Split(s, "/")
	case strings.Contains(s, "."):
		parts = strings.Split(s, ".")
	case len(s) == 8 && allDigits(s):
		parts = []string{s[:4], s[4:6], s[6:]}
	}
	if len(parts) == 3 && len(parts[2]) == 4 && allDigits(parts[2]) &&
		len(parts[0]) <= 2 && len(parts[1]) <= 2 && allDigits(parts[0]) && allDigits(parts[1]) && parts[0] != "" && parts[1] != "" {
		return Date{}, ErrDateAmbiguous.With(text)
	}
	if len(parts) != 3 || len(parts[0]) != 4 {
		return Date{}, ErrDateSyntax.With(text)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || p == "" || (i > 0 && len(p) > 2) || !allDigits(p) {
			return Date{}, ErrDateSyntax.With(text)
		}
		n[i] = v
	}
	d := Date{n[0], time.Month(n[1]), n[2]}
	if n[0] < 1900 || n[0] > 9999 || !d.valid() {
		return Date{}, ErrDateSyntax.With(text)
	}
	return d, nil
}

// midnight reports whether s is a time of day of zero: "0:00", "00:00",
// "0:00:00" or "00:00:00".
func midnight(s string) bool {
	switch s {
	case "0:00", "00:00", "0:00:00", "00:00:00":
		return true
	}
	return false
}

// MustDate parses s and panics on error; for tests and literal data only.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Valid reports whether d is a day that exists. Dates built in code rather
// than parsed must be checked with it.
func (d Date) Valid() bool { return d.valid() }

func (d Date) valid() bool {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// DaysSince returns the number of days from e to d (positive when d is later).
func (d Date) DaysSince(e Date) int {
	return int(d.Time().Sub(e.Time()).Hours() / 24)
}

// Period returns the accounting month that contains d.
func (d Date) Period() Period { return NewPeriod(d.Year, d.Month) }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Period is an accounting month (会计期间), held as year*100+month: 202503 is
// March 2025. Periods order and compare as integers.
type Period int

// ErrPeriodSyntax reports a period that is not a valid YYYY-MM month.
var ErrPeriodSyntax = Errorf(Invalid, "period.syntax")

// NewPeriod returns the period of month m of year y.
func NewPeriod(y int, m time.Month) Period { return Period(y*100 + int(m)) }

// ParsePeriod reads "2025-03", "2025/3" or "202503".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	var ys, ms string
	switch {
	case strings.ContainsAny(s, "-/"):
		i := strings.IndexAny(s, "-/")
		ys, ms = s[:i], s[i+1:]
	case len(s) == 6:
		ys, ms = s[:4], s[4:]
	}
	y, err1 := strconv.Atoi(ys)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || len(ys) != 4 || !allDigits(ys) || !allDigits(ms) || y < 1900 || m < 1 || m > 12 {
		return 0, ErrPeriodSyntax.With(s)
	}
	return NewPeriod(y, time.Month(m)), nil
}

// ErrYearSyntax reports a year that is not a four-digit year from 1900.
var ErrYearSyntax = Errorf(Invalid, "year.syntax")

// ParseYear reads a year such as "2025": four digits, 1900 or later, the
// range of Period.
func ParseYear(s string) (int, error) {
	s = strings.TrimSpace(s)
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || !allDigits(s) || y < 1900 {
		return 0, ErrYearSyntax.With(s)
	}
	return y, nil
}

// ValidYear reports whether y is a year ParseYear accepts.
func ValidYear(y int) bool { return y >= 1900 && y <= 9999 }

// MustPeriod parses s and panics on error; for tests and literal data only.
func MustPeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// Year returns the year of p.
func (p Period) Year() int { return int(p) / 100 }

// Month returns the month of p.
func (p Period) Month() time.Month { return time.Month(int(p) % 100) }

// Valid reports whether p names a real month.
func (p Period) Valid() bool { return p.Year() >= 1900 && p.Month() >= 1 && p.Month() <= 12 }

// Next returns the month after p.
func (p Period) Next() Period {
	if p.Month() == 12 {
		return NewPeriod(p.Year()+1, 1)
	}
	return p + 1
}

// Prev returns the month before p.
func (p Period) Prev() Period {
	if p.Month() == 1 {
		return NewPeriod(p.Year()-1, 12)
	}
	return p - 1
}

// First returns the first day of p.
func (p Period) First() Date { return Date{p.Year(), p.Month(), 1} }

// Last returns the last day of p.
func (p Period) Last() Date { return Date{p.Year(), p.Month(), daysIn(p.Year(), p.Month())} }

// Contains reports whether d falls in p.
func (p Period) Contains(d Date) bool { return d.Period() == p }

// YearStart returns January of p's year.
func (p Period) YearStart() Period { return NewPeriod(p.Year(), 1) }

// String returns "YYYY-MM".
func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year(), int(p.Month())) }

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

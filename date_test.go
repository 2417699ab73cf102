package jiti_test

import (
	"errors"
	"testing"
	"time"

	"example.org/jiti"
)

func date(y int, m time.Month, d int) jiti.Date { return jiti.Date{Year: y, Month: m, Day: d} }

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    jiti.Date
		wantErr bool
	}{
		{in: "2025-03-31", want: date(2025, 3, 31)},
		{in: "2025/3/31", want: date(2025, 3, 31)},
		{in: "2025/03/01", want: date(2025, 3, 1)},
		{in: "2025-3-1", want: date(2025, 3, 1)},
		{in: "20250331", want: date(2025, 3, 31)},
		{in: " 2025-01-01 ", want: date(2025, 1, 1)},
		{in: "2024-02-29", want: date(2024, 2, 29)}, // leap year
		{in: "2000-02-29", want: date(2000, 2, 29)}, // divisible by 400
		{in: "20240229", want: date(2024, 2, 29)},
		{in: "1900-01-01", want: date(1900, 1, 1)},
		{in: "9999-12-31", want: date(9999, 12, 31)},
		{in: "2025-12-31", want: date(2025, 12, 31)},

		{in: "", wantErr: true},
		{in: "2025-02-29", wantErr: true}, // not a leap year
		{in: "1900-02-29", wantErr: true}, // divisible by 100, not 400
		{in: "20250229", wantErr: true},
		{in: "2025/2/30", wantErr: true},
		{in: "2025-04-31", wantErr: true},
		{in: "2025-13-01", wantErr: true},
		{in: "2025-00-10", wantErr: true},
		{in: "2025-01-00", wantErr: true},
		{in: "2025-01-32", wantErr: true},
		{in: "1899-12-31", wantErr: true},
		{in: "25-03-31", wantErr: true},
		{in: "02025-03-31", wantErr: true},
		{in: "2025-03", wantErr: true},
		{in: "2025-03-31-01", wantErr: true},
		{in: "2025--31", wantErr: true},
		{in: "2025-03/31", wantErr: true},
		{in: "2025-+3-31", wantErr: true},
		{in: "+202-03-31", wantErr: true},
		{in: "2025-03-31T00:00:00Z", wantErr: true},
		{in: "2025.03.31", want: date(2025, 3, 31)},
		{in: "2026.3.5", want: date(2026, 3, 5)},
		{in: "2026/3/5 0:00", want: date(2026, 3, 5)},
		{in: "2026-03-05 00:00:00", want: date(2026, 3, 5)},
		{in: "2026/3/5 18:00", wantErr: true},
		{in: "2026/3/5 0:00 x", wantErr: true},
		{in: "2026.3", wantErr: true},
		{in: "2026.3.5.1", wantErr: true},
		{in: "2025331", wantErr: true},
		{in: "202503311", wantErr: true},
		{in: "abcd-ef-gh", wantErr: true},
		{in: "2025年2月30日", wantErr: true},
		{in: "2025年3月", wantErr: true},
		{in: "2025年003月1日", wantErr: true},
		// Chinese Excel's long-date format, as imported spreadsheets carry it.
		{in: "2025年3月31日", want: date(2025, 3, 31)},
		{in: "2025年12月1日", want: date(2025, 12, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := jiti.ParseDate(tt.in)
			if tt.wantErr {
				if !errors.Is(err, jiti.ErrDateSyntax) {
					t.Fatalf("ParseDate(%q) = %v, %v; want ErrDateSyntax", tt.in, got, err)
				}
				if jiti.KindOf(err) != jiti.Invalid {
					t.Errorf("kind = %v", jiti.KindOf(err))
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if back, err := jiti.ParseDate(got.String()); err != nil || back != got {
				t.Errorf("ParseDate(%q) = %v, %v", got.String(), back, err)
			}
		})
	}
}

// A date with the year last cannot be read without guessing the order of
// month and day: it is refused, with its own message.
func TestParseDateAmbiguous(t *testing.T) {
	for _, in := range []string{"3/5/2026", "03-05-2026", "5.3.2026", "12/31/2025 0:00"} {
		if _, err := jiti.ParseDate(in); !errors.Is(err, jiti.ErrDateAmbiguous) {
			t.Errorf("ParseDate(%q) = %v; want ErrDateAmbiguous", in, err)
		}
	}
}

func TestDateMethods(t *testing.T) {
	d := date(2024, 12, 31)
	if got := d.String(); got != "2024-12-31" {
		t.Errorf("String = %q", got)
	}
	if got := (jiti.Date{}).String(); got != "" {
		t.Errorf("zero String = %q", got)
	}
	if !(jiti.Date{}).IsZero() || d.IsZero() {
		t.Error("IsZero")
	}
	if got := d.AddDays(1); got != date(2025, 1, 1) {
		t.Errorf("AddDays(1) = %v", got)
	}
	if got := date(2024, 3, 1).AddDays(-1); got != date(2024, 2, 29) {
		t.Errorf("AddDays(-1) = %v", got)
	}
	if got := date(2025, 1, 1).DaysSince(date(2024, 1, 1)); got != 366 {
		t.Errorf("DaysSince = %d", got)
	}
	if got := date(2024, 1, 1).DaysSince(date(2025, 1, 1)); got != -366 {
		t.Errorf("DaysSince = %d", got)
	}
	if got := d.Period(); got != jiti.Period(202412) {
		t.Errorf("Period = %v", got)
	}
	if got := d.Time(); !got.Equal(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Time = %v", got)
	}
	loc := time.FixedZone("CST", 8*3600)
	if got := jiti.DateOf(time.Date(2025, 1, 1, 0, 30, 0, 0, loc)); got != date(2025, 1, 1) {
		t.Errorf("DateOf = %v (must use the time's own zone)", got)
	}

	cmp := []struct {
		a, b jiti.Date
		want int
	}{
		{date(2024, 12, 31), date(2025, 1, 1), -1},
		{date(2025, 2, 1), date(2025, 1, 31), 1},
		{date(2025, 1, 2), date(2025, 1, 1), 1},
		{date(2025, 1, 1), date(2025, 1, 1), 0},
		{jiti.Date{}, date(1900, 1, 1), -1},
	}
	for _, c := range cmp {
		if got := c.a.Compare(c.b); got != c.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := c.a.Before(c.b); got != (c.want < 0) {
			t.Errorf("%v.Before(%v) = %v", c.a, c.b, got)
		}
		if got := c.a.After(c.b); got != (c.want > 0) {
			t.Errorf("%v.After(%v) = %v", c.a, c.b, got)
		}
	}

	var u jiti.Date
	if err := u.UnmarshalText([]byte("2025/3/9")); err != nil || u != date(2025, 3, 9) {
		t.Errorf("UnmarshalText = %v, %v", u, err)
	}
	if b, _ := u.MarshalText(); string(b) != "2025-03-09" {
		t.Errorf("MarshalText = %s", b)
	}
	if err := u.UnmarshalText(nil); err != nil || !u.IsZero() {
		t.Errorf("UnmarshalText(empty) = %v, %v", u, err)
	}
	if err := u.UnmarshalText([]byte("2025-02-30")); !errors.Is(err, jiti.ErrDateSyntax) {
		t.Errorf("UnmarshalText(bad) = %v", err)
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    jiti.Period
		wantErr bool
	}{
		{in: "2025-03", want: 202503},
		{in: "2025/3", want: 202503},
		{in: "2025/03", want: 202503},
		{in: "2025-3", want: 202503},
		{in: "202503", want: 202503},
		{in: "202512", want: 202512},
		{in: " 2025-12 ", want: 202512},
		{in: "1900-01", want: 190001},

		{in: "", wantErr: true},
		{in: "2025-13", wantErr: true},
		{in: "2025-00", wantErr: true},
		{in: "202513", wantErr: true},
		{in: "202500", wantErr: true},
		{in: "1899-12", wantErr: true},
		{in: "25-03", wantErr: true},
		{in: "2025-", wantErr: true},
		{in: "-03", wantErr: true},
		{in: "2025-+3", wantErr: true},
		{in: "2025-03-01", wantErr: true},
		{in: "2025.03", wantErr: true},
		{in: "20253", wantErr: true},
		{in: "2025035", wantErr: true},
		{in: "abcdef", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := jiti.ParsePeriod(tt.in)
			if tt.wantErr {
				if !errors.Is(err, jiti.ErrPeriodSyntax) {
					t.Fatalf("ParsePeriod(%q) = %v, %v; want ErrPeriodSyntax", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParsePeriod(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if back, err := jiti.ParsePeriod(got.String()); err != nil || back != got {
				t.Errorf("ParsePeriod(%q) = %v, %v", got.String(), back, err)
			}
		})
	}
}

func TestPeriodArithmetic(t *testing.T) {
	tests := []struct {
		p                 jiti.Period
		next, prev        jiti.Period
		first, last       jiti.Date
		yearStart         jiti.Period
		str               string
		year              int
		month             time.Month
		containsLast      bool
		doesNotContainDay jiti.Date
	}{
		{202503, 202504, 202502, date(2025, 3, 1), date(2025, 3, 31), 202501, "2025-03", 2025, 3, true, date(2025, 4, 1)},
		{202512, 202601, 202511, date(2025, 12, 1), date(2025, 12, 31), 202501, "2025-12", 2025, 12, true, date(2026, 1, 1)},
		{202601, 202602, 202512, date(2026, 1, 1), date(2026, 1, 31), 202601, "2026-01", 2026, 1, true, date(2025, 12, 31)},
		{202402, 202403, 202401, date(2024, 2, 1), date(2024, 2, 29), 202401, "2024-02", 2024, 2, true, date(2024, 3, 1)},
		{202502, 202503, 202501, date(2025, 2, 1), date(2025, 2, 28), 202501, "2025-02", 2025, 2, true, date(2025, 3, 1)},
		{190002, 190003, 190001, date(1900, 2, 1), date(1900, 2, 28), 190001, "1900-02", 1900, 2, true, date(1901, 2, 1)},
		{200002, 200003, 200001, date(2000, 2, 1), date(2000, 2, 29), 200001, "2000-02", 2000, 2, true, date(2000, 1, 31)},
		{202504, 202505, 202503, date(2025, 4, 1), date(2025, 4, 30), 202501, "2025-04", 2025, 4, true, date(2024, 4, 15)},
	}
	for _, tt := range tests {
		t.Run(tt.str, func(t *testing.T) {
			p := tt.p
			if !p.Valid() {
				t.Errorf("Valid = false")
			}
			if got := p.Next(); got != tt.next {
				t.Errorf("Next = %v, want %v", got, tt.next)
			}
			if got := p.Prev(); got != tt.prev {
				t.Errorf("Prev = %v, want %v", got, tt.prev)
			}
			if got := p.Next().Prev(); got != p {
				t.Errorf("Next().Prev() = %v", got)
			}
			if got := p.First(); got != tt.first {
				t.Errorf("First = %v, want %v", got, tt.first)
			}
			if got := p.Last(); got != tt.last {
				t.Errorf("Last = %v, want %v", got, tt.last)
			}
			if got := p.Last().AddDays(1); got != p.Next().First() {
				t.Errorf("Last+1 = %v, want the next month's first day", got)
			}
			if got := p.YearStart(); got != tt.yearStart {
				t.Errorf("YearStart = %v", got)
			}
			if got := p.String(); got != tt.str {
				t.Errorf("String = %q", got)
			}
			if p.Year() != tt.year || p.Month() != tt.month {
				t.Errorf("Year, Month = %d, %d", p.Year(), p.Month())
			}
			if got := jiti.NewPeriod(tt.year, tt.month); got != p {
				t.Errorf("NewPeriod = %v", got)
			}
			if !p.Contains(tt.first) || !p.Contains(tt.last) {
				t.Errorf("Contains(first/last) = false")
			}
			if p.Contains(tt.doesNotContainDay) {
				t.Errorf("Contains(%v) = true", tt.doesNotContainDay)
			}
		})
	}

	// Twelve Nexts make a year, across year ends.
	p := jiti.Period(202407)
	for range 12 {
		p = p.Next()
	}
	if p != 202507 {
		t.Errorf("12×Next(2024-07) = %v", p)
	}
	for range 24 {
		p = p.Prev()
	}
	if p != 202307 {
		t.Errorf("24×Prev(2025-07) = %v", p)
	}

	for _, bad := range []jiti.Period{0, 202500, 202513, 189912} {
		if bad.Valid() {
			t.Errorf("%d.Valid() = true", int(bad))
		}
	}

	var q jiti.Period
	if err := q.UnmarshalText([]byte("2025/7")); err != nil || q != 202507 {
		t.Errorf("UnmarshalText = %v, %v", q, err)
	}
	if b, _ := q.MarshalText(); string(b) != "2025-07" {
		t.Errorf("MarshalText = %s", b)
	}
	if err := q.UnmarshalText([]byte("2025-13")); !errors.Is(err, jiti.ErrPeriodSyntax) {
		t.Errorf("UnmarshalText(bad) = %v", err)
	}
}

func TestParseYear(t *testing.T) {
	for in, want := range map[string]int{"2025": 2025, " 1900 ": 1900, "9999": 9999} {
		if got, err := jiti.ParseYear(in); err != nil || got != want {
			t.Errorf("ParseYear(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "25", "20255", "2025-03", "1899", "+2025", "-2025", "２０２５"} {
		if _, err := jiti.ParseYear(in); !errors.Is(err, jiti.ErrYearSyntax) {
			t.Errorf("ParseYear(%q) = %v, want ErrYearSyntax", in, err)
		}
	}
}

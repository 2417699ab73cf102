// Package disclose builds the public disclosure (财务公开) of a collective:
// a snapshot of its accounts for a period, in a canonical form whose
// SHA-256 anyone can check (governance.md, 农经发〔2011〕13号). It reads
// what the store gathers (Source) and knows nothing of databases.
package disclose

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"example.org/jiti"
)

// Kind is what a disclosure covers: a quarter (the rule), a month (where
// transactions are many) or one matter with its own title.
type Kind string

// Kinds of disclosure.
const (
	Quarter Kind = "quarter"
	Month   Kind = "month"
	Matter  Kind = "matter"
)

// Errors of periods.
var (
	ErrPeriod      = jiti.Errorf(jiti.Invalid, "disclosure.period")
	ErrMatterTitle = jiti.Errorf(jiti.Invalid, "disclosure.matter_title")
)

// Period is the months a disclosure covers, From..To inclusive.
type Period struct {
	Kind     Kind
	From, To jiti.Period
	Title    string // a matter's own title; empty otherwise
}

// ParsePeriod reads a quarter "2025Q1" or a month "2025-03".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if y, q, ok := strings.Cut(strings.ToUpper(s), "Q"); ok {
		year, err1 := strconv.Atoi(y)
		n, err2 := strconv.Atoi(q)
		if err1 != nil || err2 != nil || !jiti.ValidYear(year) || n < 1 || n > 4 || len(q) != 1 {
			return Period{}, ErrPeriod.With(s).At("period")
		}
		from := jiti.NewPeriod(year, time.Month(3*n-2))
		return Period{Kind: Quarter, From: from, To: from + 2}, nil
	}
	p, err := jiti.ParsePeriod(s)
	if err != nil {
		return Period{}, ErrPeriod.With(s).At("period")
	}
	return Period{Kind: Month, From: p, To: p}, nil
}

// NewMatter returns the period of one matter: its months and its title.
func NewMatter(from, to jiti.Period, title string) (Period, error) {
	title = strings.TrimSpace(title)
	if title == "" || utf8.RuneCountInString(title) > 100 || strings.ContainsAny(title, "\r\n") {
		return Period{}, ErrMatterTitle.At("title")
	}
	if !from.Valid() || !to.Valid() || to < from {
		return Period{}, ErrPeriod.With(fmt.Sprintf("%v~%v", from, to)).At("period")
	}
	return Period{Kind: Matter, From: from, To: to, Title: title}, nil
}

// Key is the period's name, unique among a collective's disclosures of
// one version: "2025Q1", "2025-03", or a matter's months and title.
func (p Period) Key() string {
	switch p.Kind {
	case Quarter:
		return fmt.Sprintf("%04dQ%d", p.From.Year(), (int(p.From.Month())+2)/3)
	case Month:
		return p.From.String()
	}
	return p.From.String() + "~" + p.To.String() + " " + p.Title
}

// Start and End are the first and last days covered.
func (p Period) Start() jiti.Date { return p.From.First() }

// End is the last day covered.
func (p Period) End() jiti.Date { return p.To.Last() }

// Months lists the months covered.
func (p Period) Months() []jiti.Period {
	var out []jiti.Period
	for m := p.From; m <= p.To; m = m.Next() {
		out = append(out, m)
	}
	return out
}

// QuarterOf returns the quarter a month lies in.
func QuarterOf(m jiti.Period) Period {
	from := jiti.NewPeriod(m.Year(), time.Month((int(m.Month())-1)/3*3+1))
	return Period{Kind: Quarter, From: from, To: from + 2}
}

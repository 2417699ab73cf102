package report

import (
	"strconv"
	"strings"

	"example.org/jiti"
)

// The formula language of statement lines is documented on ParseStatement,
// where readers of the package documentation find it.

// termKind is what a term of a formula reads.
type termKind uint8

const (
	termBal        termKind = iota // bal:
	termDebitPart                  // bal+:
	termCreditPart                 // bal-:
	termDebit                      // dr:
	termCredit                     // cr:
	termYearStart                  // ybal:
	termLine                       // L<n>
)

var termNames = map[string]termKind{"bal": termBal, "dr": termDebit, "cr": termCredit, "ybal": termYearStart}

// term is one signed term of a formula.
type term struct {
	neg  bool
	kind termKind
	code string // account code prefix, for every kind but termLine
	line int    // line number, for termLine
}

// formula is a parsed formula: the sum of its terms.
type formula []term

// maxCodeLen is the longest account code: 3+2+2+2 digits.
const maxCodeLen = 9

// parseFormula parses src. Errors name the formula and the position (from 1)
// at which it went wrong.
func parseFormula(src string) (formula, error) {
	s := strings.ReplaceAll(src, "−", "-")
	p := &formulaParser{s: s}
	var f formula
	for {
		p.skipSpace()
		if p.done() {
			if len(f) == 0 {
				return nil, ErrFormulaSyntax.With(src, p.i+1)
			}
			return f, nil
		}
		neg := false
		switch c := p.s[p.i]; {
		case c == '+' || c == '-':
			neg = c == '-'
			p.i++
			p.skipSpace()
		case len(f) > 0:
			// Terms after the first need an operator between them.
			return nil, ErrFormulaSyntax.With(src, p.i+1)
		}
		t, ok := p.term()
		if !ok {
			return nil, ErrFormulaSyntax.With(src, p.i+1)
		}
		t.neg = neg
		f = append(f, t)
	}
}

type formulaParser struct {
	s string
	i int
}

func (p *formulaParser) done() bool { return p.i >= len(p.s) }

func (p *formulaParser) skipSpace() {
	for !p.done() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// digits reads a run of ASCII digits.
func (p *formulaParser) digits() string {
	start := p.i
	for !p.done() && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.s[start:p.i]
}

// term reads one term without its sign.
func (p *formulaParser) term() (term, bool) {
	start := p.i
	for !p.done() && (p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] >= 'A' && p.s[p.i] <= 'Z') {
		p.i++
	}
	name := p.s[start:p.i]
	if name == "L" {
		n, err := strconv.Atoi(p.digits())
		if err != nil || n <= 0 {
			return term{}, false
		}
		return term{kind: termLine, line: n}, true
	}
	kind, ok := termNames[name]
	if !ok {
		p.i = start
		return term{}, false
	}
	// "bal+:" and "bal-:" are one token: the sign sits before the colon, so
	// it cannot be read as an operator.
	if kind == termBal && p.i+1 < len(p.s) && p.s[p.i+1] == ':' {
		switch p.s[p.i] {
		case '+':
			kind = termDebitPart
			p.i++
		case '-':
			kind = termCreditPart
			p.i++
		}
	}
	if p.done() || p.s[p.i] != ':' {
		return term{}, false
	}
	p.i++
	code := p.digits()
	if code == "" || len(code) > maxCodeLen {
		return term{}, false
	}
	return term{kind: kind, code: code}, true
}

// eval computes the formula for one column, given the values of the lines
// computed so far (every line it refers to comes before it in evaluation
// order).
func (f formula) eval(s *Snapshot, lines map[int]jiti.Amount) (jiti.Amount, error) {
	var sum sum
	for _, t := range f {
		var v jiti.Amount
		switch t.kind {
		case termLine:
			v = lines[t.line]
		case termBal:
			v = s.balance(t.code)
		case termDebitPart:
			v, _ = s.parts(t.code)
		case termCreditPart:
			_, v = s.parts(t.code)
		case termDebit:
			v, _ = s.turnover(t.code)
		case termCredit:
			_, v = s.turnover(t.code)
		case termYearStart:
			v = sumPrefix(s.YearStart, t.code)
		}
		if t.neg {
			v = -v
		}
		sum.add(v)
	}
	return sum.v, sum.err
}

// sum adds amounts and remembers the first overflow, so that loops stay
// simple and a bad figure cannot wrap around silently.
type sum struct {
	v   jiti.Amount
	err error
}

func (s *sum) add(a jiti.Amount) {
	if s.err != nil {
		return
	}
	s.v, s.err = s.v.AddChecked(a)
}

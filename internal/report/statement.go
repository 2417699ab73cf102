package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/locale"
)

// The layout files (statements/*.json) and their formula language are
// documented on ParseStatement, which loads them.

// Statement is a parsed statement layout. It is read-only once parsed and
// may be shared.
type Statement struct {
	ID      string          `json:"id"`
	Title   string          `json:"title"`
	TitleEN string          `json:"title_en"`
	Note    string          `json:"note,omitempty"`
	Lines   []StatementLine `json:"lines"`
	Checks  []Check         `json:"checks,omitempty"`

	byNo  map[int]int // line number → index in Lines
	order []int       // indexes of numbered lines, each after the lines it refers to
	needs needs
	stat  *statProgram // the layout compiled for statistics
}

// StatementLine is one line of a statement layout.
type StatementLine struct {
	No      int    `json:"no,omitempty"`  // 行次; 0 for a heading
	Key     string `json:"key,omitempty"` // a stable name, for statistical lines: "operating_type"
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	Indent  int    `json:"indent,omitempty"`
	Bold    bool   `json:"bold,omitempty"`
	Formula string `json:"formula,omitempty"`
	Note    string `json:"note,omitempty"`
	// Source says where the line comes from: the official form it follows
	// or our own reading. It is documentation only.
	Source string `json:"source,omitempty"`
	// Optional lines are not on the official form: a table shows them only
	// when some column has a figure (待处理财产损溢 while 181 is not cleared).
	Optional bool `json:"optional,omitempty"`

	f formula
}

// Check says that two lines of a statement must show equal values in every
// column, such as 资产总计 and 负债和所有者权益总计.
type Check struct {
	Left  int `json:"left"`
	Right int `json:"right"`
}

// needs records which figures of a Snapshot a statement reads.
type needs struct{ balance, split, turnover, yearStart bool }

// LabelIn returns the line's label in lang.
func (l *StatementLine) LabelIn(lang locale.Lang) string {
	if isEnglish(lang) {
		return l.LabelEN
	}
	return l.Label
}

// TitleIn returns the statement's title in lang.
func (s *Statement) TitleIn(lang locale.Lang) string {
	if isEnglish(lang) {
		return s.TitleEN
	}
	return s.Title
}

// Line returns the line numbered no, or nil.
func (s *Statement) Line(no int) *StatementLine {
	i, ok := s.byNo[no]
	if !ok {
		return nil
	}
	return &s.Lines[i]
}

// ParseStatement reads a statement layout and checks it: required fields,
// unique line numbers, formula syntax, references to lines that exist, no
// circular references, and checks between existing lines. Account codes are
// checked only for syntax here; CheckAccounts checks them against a chart.
//
// Statement layouts are JSON files, embedded from statements/:
//
//	{
//	  "id":       "balance_sheet",          // stable name of the statement
//	  "title":    "资产负债表",               // title in Chinese
//	  "title_en": "Balance sheet",          // title in English
//	  "note":     "…",                      // free text: sources, open questions
//	  "lines": [
//	    {"label": "流动资产：", "label_en": "Current assets:", "bold": true},
//	    {"no": 1, "label": "货币资金", "label_en": "Cash and bank deposits",
//	     "indent": 1, "formula": "bal:101 + bal:102",
//	     "source": "…"},                    // where the line comes from
//	    …
//	  ],
//	  "checks": [{"left": 22, "right": 38}] // lines that must be equal
//	}
//
// A line with a number (行次, "no", unique and positive) has a formula in the
// language described below; a line without a number is a heading and
// has none. Formulas may refer to any numbered line, before or after them,
// as long as no line depends on itself. Indent (0, 1, 2…) and bold are for
// display only; an optional line (not on the official form) is shown only
// when it has a figure. Unknown fields are errors, so a misspelt key is
// caught when the layout is loaded rather than silently ignored.
//
// # Formulas
//
// A formula is a sum of terms, each with a sign: "bal:101 + bal:102",
// "-bal:201", "L1 + L2 - L3". A term is one of
//
//	bal:CODE   the debit-minus-credit balance of every account whose code
//	           begins with CODE (the account and its detail accounts; "bal:5"
//	           is every income and expense account), at the column's date
//	bal+:CODE  the debit part of that balance, split by sub-ledger: a leaf with
//	           household sub-ledgers (113 内部往来) adds the households that owe
//	           the collective, any other leaf adds its balance when it is a debit
//	bal-:CODE  the credit part, as a positive amount: households the collective
//	           owes, leaves with a credit balance; bal = bal+ − bal-
//	dr:CODE    debit turnover over the column's range, closing vouchers excluded
//	cr:CODE    credit turnover over the column's range, closing vouchers excluded
//	ybal:CODE  the debit-minus-credit balance at the start of the column's year
//	           (after the previous year's closing), as for 年初未分配收益
//	L<n>       the value of line n of the same statement and column
//
// Signs are "+" and "-" (the typographic minus "−" is accepted too); spaces
// are free. Debit-minus-credit is the one sign convention of the data, so a
// liability line that shows its credit balance as a positive figure is
// written "-bal:201", and a net asset such as fixed assets less depreciation
// is "bal:151 + bal:152" (152 carries a credit, a negative balance).
func ParseStatement(data []byte) (*Statement, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	s := &Statement{}
	if err := dec.Decode(s); err != nil {
		return nil, ErrLayout.With(err.Error()).Wrap(err)
	}
	if s.ID == "" || s.Title == "" || s.TitleEN == "" {
		return nil, ErrLayout.With("id, title and title_en are required")
	}
	s.byNo = map[int]int{}
	for i := range s.Lines {
		if err := s.parseLine(i); err != nil {
			return nil, err
		}
	}
	for i, c := range s.Checks {
		for _, no := range []int{c.Left, c.Right} {
			if s.Line(no) == nil {
				return nil, ErrFormulaLine.With(no).At(fmt.Sprintf("checks[%d]", i+1))
			}
		}
	}
	if err := s.sortLines(); err != nil {
		return nil, err
	}
	s.compileStat()
	return s, nil
}

// parseLine checks line i and parses its formula.
func (s *Statement) parseLine(i int) error {
	l := &s.Lines[i]
	at := fmt.Sprintf("lines[%d]", i+1)
	switch {
	case l.Label == "" || l.LabelEN == "":
		return ErrLayout.With("label and label_en are required").At(at)
	case l.No < 0 || l.Indent < 0:
		return ErrLayout.With("no and indent must not be negative").At(at)
	case l.No == 0 && l.Formula != "":
		return ErrLayout.With("a line with a formula needs a number").At(at)
	case l.No > 0 && strings.TrimSpace(l.Formula) == "":
		return ErrLayout.With("a numbered line needs a formula").At(at)
	}
	if l.No == 0 {
		return nil
	}
	if _, dup := s.byNo[l.No]; dup {
		return ErrLayout.With(fmt.Sprintf("line number %d used twice", l.No)).At(at)
	}
	s.byNo[l.No] = i
	f, err := parseFormula(l.Formula)
	if err != nil {
		return err.(*jiti.Error).At(at + ".formula")
	}
	l.f = f
	for _, t := range f {
		switch t.kind {
		case termBal:
			s.needs.balance = true
		case termDebitPart, termCreditPart:
			s.needs.balance, s.needs.split = true, true
		case termDebit, termCredit:
			s.needs.turnover = true
		case termYearStart:
			s.needs.yearStart = true
		}
	}
	return nil
}

// sortLines orders the numbered lines so that each comes after the lines its
// formula refers to, and rejects references to missing lines and cycles.
func (s *Statement) sortLines() error {
	const (
		unseen = iota
		visiting
		done
	)
	state := make([]int, len(s.Lines))
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case done:
			return nil
		case visiting:
			return ErrFormulaCycle.With(s.Lines[i].No).At(fmt.Sprintf("lines[%d].formula", i+1))
		}
		state[i] = visiting
		for _, t := range s.Lines[i].f {
			if t.kind != termLine {
				continue
			}
			j, ok := s.byNo[t.line]
			if !ok {
				return ErrFormulaLine.With(t.line).At(fmt.Sprintf("lines[%d].formula", i+1))
			}
			if err := visit(j); err != nil {
				return err
			}
		}
		state[i] = done
		s.order = append(s.order, i)
		return nil
	}
	for i := range s.Lines {
		if s.Lines[i].No > 0 {
			if err := visit(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckAccounts reports the first formula term whose code names no account
// of chart: neither an account nor a prefix of one. A layout that names an
// account the chart lacks would print zero for it forever.
func (s *Statement) CheckAccounts(chart []ledger.Account) error {
	codes := make([]string, len(chart))
	for i, a := range chart {
		codes[i] = a.Code
	}
	sort.Strings(codes)
	for i, l := range s.Lines {
		for _, t := range l.f {
			if t.kind == termLine {
				continue
			}
			// The first code not before t.code is the only candidate that
			// can begin with it.
			k := sort.SearchStrings(codes, t.code)
			if k == len(codes) || !strings.HasPrefix(codes[k], t.code) {
				return ErrFormulaAccount.With(t.code).At(fmt.Sprintf("lines[%d].formula", i+1))
			}
		}
	}
	return nil
}

//go:embed statements/*.json
var statementFiles embed.FS

// mustLoad parses an embedded layout and checks its codes against the
// standard chart. The layouts ship with the binary and a test loads them all,
// so a failure here is a programming error.
func mustLoad(name string) *Statement {
	data, err := statementFiles.ReadFile("statements/" + name)
	if err != nil {
		panic("report: " + err.Error())
	}
	s, err := ParseStatement(data)
	if err == nil {
		err = s.CheckAccounts(ledger.StandardAccounts())
	}
	if err != nil {
		panic(fmt.Sprintf("report: statements/%s: %v", name, err))
	}
	return s
}

// The embedded layouts are parsed when the program starts, so that a broken
// layout stops every binary and test at once instead of failing the first
// request for a statement.
var (
	balanceSheet    = mustLoad("balance_sheet.json")
	incomeStatement = mustLoad("income.json")
)

// BalanceSheet returns the 资产负债表 layout. Its 未分配收益 line includes the
// year's result not yet closed (321, 322 and every income and expense
// account), so the sheet balances at every month end, before and after
// year-end closing.
func BalanceSheet() *Statement { return balanceSheet }

// IncomeStatement returns the 收益及收益分配表 layout. Its columns need
// turnover (the year, or whatever range the column covers) and YearStart for
// 年初未分配收益.
func IncomeStatement() *Statement { return incomeStatement }

// Catalog keys of the line under a statement's title that names its period.
const (
	keyHeadingAsOf   = "report.meta.heading_as_of"  // 2025年12月31日
	keyHeadingYear   = "report.meta.heading_year"   // 2025年度
	keyHeadingMonths = "report.meta.heading_months" // 2025年1—3月
	keyHeadingMonth  = "report.meta.heading_month"  // 2025年1月
)

// PeriodHeading returns the catalog key and arguments of the line that
// names the period of statement s made for month p, as the official forms
// head it: a statement of balances is as of the last day of p (资产负债表,
// 2025年12月31日); one of turnover covers January to p, the year when p is
// December (收益及收益分配表, 2025年度), else the months (2025年1—3月, or
// 2025年1月 alone).
func (s *Statement) PeriodHeading(p jiti.Period) (string, []any) {
	switch {
	case !s.needs.turnover:
		return keyHeadingAsOf, []any{p.Last()}
	case p.Month() == time.December:
		return keyHeadingYear, []any{p.Year()}
	case p.Month() == time.January:
		return keyHeadingMonth, []any{p}
	}
	return keyHeadingMonths, []any{p.Year(), time.January, p.Month()}
}

// StatementMeta returns the lines a statement for month p shows under its
// title, in pr's language: the period (PeriodHeading), then for each blank
// column a note that it is blank because the books, opened on opened,
// begin after it.
func StatementMeta(r *StatementResult, p jiti.Period, opened jiti.Date, pr *locale.Printer) []string {
	key, args := r.Statement.PeriodHeading(p)
	out := []string{pr.T(key, args...)}
	for c, blank := range r.Blank {
		if blank {
			out = append(out, pr.T(keyMetaBlankColumn, pr.T(r.Headings[c]), opened))
		}
	}
	return out
}

// keyMetaBlankColumn is the note under a statement with a blank column.
const keyMetaBlankColumn = "report.meta.blank_column"

// StatementResult is a statement evaluated over one or more columns.
type StatementResult struct {
	Statement *Statement
	Headings  []string        // catalog key of each column's header
	Values    [][]jiti.Amount // per line of Statement.Lines, one value per column; nil for headings
	Balanced  []bool          // per column: every check of the layout holds (资产总计 = 负债和所有者权益总计)
	// Blank is, per column, whether the column lies before the books (a
	// blank Snapshot): it has no figures, and every table shows it empty
	// rather than as zeros that look like figures. Its Values are 0.
	Blank []bool
}

// Evaluate computes every line of the statement for each column.
func (s *Statement) Evaluate(cols ...*Snapshot) (*StatementResult, error) {
	r := &StatementResult{
		Statement: s,
		Headings:  make([]string, len(cols)),
		Values:    make([][]jiti.Amount, len(s.Lines)),
		Balanced:  make([]bool, len(cols)),
		Blank:     make([]bool, len(cols)),
	}
	for _, i := range s.order {
		r.Values[i] = make([]jiti.Amount, len(cols))
	}
	for c, snap := range cols {
		r.Headings[c] = snap.Heading
		if snap.Blank {
			// Nothing to compute and nothing to disagree.
			r.Blank[c], r.Balanced[c] = true, true
			continue
		}
		if err := s.checkSnapshot(snap); err != nil {
			return nil, err
		}
		values := map[int]jiti.Amount{}
		for _, i := range s.order {
			l := &s.Lines[i]
			v, err := l.f.eval(snap, values)
			if err != nil {
				return nil, jiti.AsError(err).At(fmt.Sprintf("lines[%d]", i+1))
			}
			values[l.No] = v
			r.Values[i][c] = v
		}
		r.Balanced[c] = true
		for _, ch := range s.Checks {
			if values[ch.Left] != values[ch.Right] {
				r.Balanced[c] = false
			}
		}
	}
	return r, nil
}

// checkSnapshot makes sure the column holds every kind of figure the
// statement reads.
func (s *Statement) checkSnapshot(snap *Snapshot) error {
	missing := ""
	switch {
	case s.needs.balance && snap.Balance == nil:
		missing = "balance"
	case s.needs.turnover && snap.Turnover == nil:
		missing = "turnover"
	case s.needs.yearStart && snap.YearStart == nil:
		missing = "year_start"
	}
	if missing != "" {
		return ErrSnapshotMissing.With(snap.Heading, missing)
	}
	if s.needs.split {
		return snap.checkSplit()
	}
	return nil
}

// Value returns the value of line no in column col, or 0 for a line that
// does not exist or has no value (a heading, a blank column).
func (r *StatementResult) Value(no, col int) jiti.Amount {
	i, ok := r.Statement.byNo[no]
	if !ok || r.Values[i] == nil || col < 0 || col >= len(r.Values[i]) {
		return 0
	}
	return r.Values[i][col]
}

// hasFigure reports whether line i has a value other than 0 in a column
// that is not blank.
func (r *StatementResult) hasFigure(i int) bool {
	for c, v := range r.Values[i] {
		if v != 0 && !r.Blank[c] {
			return true
		}
	}
	return false
}

// OK reports whether every check holds in every column.
func (r *StatementResult) OK() bool {
	for _, b := range r.Balanced {
		if !b {
			return false
		}
	}
	return true
}

// statementJSON is the JSON shape of a StatementResult: labels in both
// languages, values as decimal strings, one per column.
type statementJSON struct {
	ID       string              `json:"id"`
	Title    string              `json:"title"`
	TitleEN  string              `json:"title_en"`
	Columns  []string            `json:"columns"`
	Lines    []statementLineJSON `json:"lines"`
	Balanced []bool              `json:"balanced"`
}

type statementLineJSON struct {
	No      int      `json:"no,omitempty"`
	Label   string   `json:"label"`
	LabelEN string   `json:"label_en"`
	Indent  int      `json:"indent,omitempty"`
	Bold    bool     `json:"bold,omitempty"`
	Values  []*Money `json:"values,omitempty"`
}

// MarshalJSON gives the result as {"id", "title", "title_en", "columns"
// (header keys), "lines": [{"no", "label", "label_en", "indent", "bold",
// "values": ["1234.56", …]}], "balanced": [true, …]}. A blank column
// (before the books) has null values.
func (r *StatementResult) MarshalJSON() ([]byte, error) {
	s := r.Statement
	out := statementJSON{ID: s.ID, Title: s.Title, TitleEN: s.TitleEN, Columns: r.Headings, Balanced: r.Balanced}
	for i, l := range s.Lines {
		lj := statementLineJSON{No: l.No, Label: l.Label, LabelEN: l.LabelEN, Indent: l.Indent, Bold: l.Bold}
		for c, v := range r.Values[i] {
			var m *Money
			if !r.Blank[c] {
				m = new(Money)
				*m = Money(v)
			}
			lj.Values = append(lj.Values, m)
		}
		out.Lines = append(out.Lines, lj)
	}
	return json.Marshal(out)
}

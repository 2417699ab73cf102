package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// Statistics of the village collective economy (statistics.md): the lines
// a county counts (total income, operating-type income…) are a layout of
// keyed lines whose formulas read the year's turnover of accounts, so a
// county can add a line (发包及上交收入 from detail accounts, say) as data.
// The store reads each collective's figures for the terms the lines name;
// this file turns them into the roll-up of a region: sums, averages,
// growth, tiers, weak villages, rankings and the child regions.

var (
	statLines = mustLoad("stats.json")
	statTable = mustLoad("stat_table.json")
)

// StatLines returns the default statistical lines.
func StatLines() *Statement { return statLines }

// StatTable returns the default layout of the statistical table
// 村集体经济组织收益分配统计表.
func StatTable() *Statement { return statTable }

// Keys of the lines roll-ups depend on: tiers and rankings go by
// operating-type income.
const (
	KeyOperatingType = "operating_type"
	KeyTotalIncome   = "total_income"
)

// Term is an account term of a formula: what the store must read for it.
type Term struct {
	Kind string // "dr", "cr" (the year's turnover, closing vouchers excluded) or "ybal" (the balance at the start of the year)
	Code string // account code prefix
}

// ErrStatTerm reports a statistical layout that reads a figure statistics do
// not keep (balances, parts of balances).
var ErrStatTerm = jiti.Errorf(jiti.Invalid, "report.stat_term")

// termOf returns the statistical term of a formula term, false for a line
// reference, or an error for what statistics do not keep.
func termOf(t term) (Term, bool, error) {
	switch t.kind {
	case termLine:
		return Term{}, false, nil
	case termDebit:
		return Term{"dr", t.code}, true, nil
	case termCredit:
		return Term{"cr", t.code}, true, nil
	case termYearStart:
		return Term{"ybal", t.code}, true, nil
	}
	return Term{}, false, ErrStatTerm
}

// statProgram is a layout compiled for statistics: its distinct terms and,
// per line, where each formula term's value comes from, so that evaluating
// a collective's lines is a pass over slices.
type statProgram struct {
	terms []Term
	lines [][]statOperand // by index of Lines
	err   error           // a formula reads what statistics do not keep
}

// statOperand is one term of a line's formula: the value of terms[index],
// or of Lines[index] when line.
type statOperand struct {
	index int
	line  bool
	neg   bool
}

// compileStat builds s.stat; ParseStatement calls it, so a shared layout
// is never written to after it is parsed.
func (s *Statement) compileStat() {
	p := &statProgram{lines: make([][]statOperand, len(s.Lines))}
	index := map[Term]int{}
	for i := range s.Lines {
		for _, t := range s.Lines[i].f {
			if t.kind == termLine {
				p.lines[i] = append(p.lines[i], statOperand{index: s.byNo[t.line], line: true, neg: t.neg})
				continue
			}
			tt, _, err := termOf(t)
			if err != nil {
				if p.err == nil {
					p.err = ErrStatTerm.With(s.Lines[i].Formula).At(fmt.Sprintf("lines[%d].formula", i+1))
				}
				continue
			}
			k, ok := index[tt]
			if !ok {
				k = len(p.terms)
				index[tt] = k
				p.terms = append(p.terms, tt)
			}
			p.lines[i] = append(p.lines[i], statOperand{index: k, neg: t.neg})
		}
	}
	s.stat = p
}

// Terms returns the distinct account terms of the layout, in a stable
// order, or an error if a formula reads what statistics do not keep.
func (s *Statement) Terms() ([]Term, error) {
	return s.stat.terms, s.stat.err
}

// EvaluateVector computes every numbered line from values, the value of
// each of Terms() by its index, and returns the lines by index of s.Lines
// (0 for headings).
func (s *Statement) EvaluateVector(values []jiti.Amount) ([]jiti.Amount, error) {
	if s.stat.err != nil {
		return nil, s.stat.err
	}
	out := make([]jiti.Amount, len(s.Lines))
	for _, i := range s.order {
		var sum sum
		for _, op := range s.stat.lines[i] {
			v := values[op.index]
			if op.line {
				v = out[op.index]
			}
			if op.neg {
				v = -v
			}
			sum.add(v)
		}
		if sum.err != nil {
			return nil, jiti.AsError(sum.err).At(fmt.Sprintf("lines[%d]", i+1))
		}
		out[i] = sum.v
	}
	return out, nil
}

// EvaluateTerms computes every numbered line from the value of each term,
// as EvaluateVector.
func (s *Statement) EvaluateTerms(value func(Term) jiti.Amount) ([]jiti.Amount, error) {
	values := make([]jiti.Amount, len(s.stat.terms))
	for i, t := range s.stat.terms {
		values[i] = value(t)
	}
	return s.EvaluateVector(values)
}

// ErrStatAccount reports a statistical formula that reads an account whose
// figures statistics do not keep.
var ErrStatAccount = jiti.Errorf(jiti.Invalid, "report.stat_account")

// CheckStatAccounts checks that every account a statistical layout names
// is, begins or lies under an account of chart, and that statistics keep
// what each term reads (kept). Unlike CheckAccounts it admits detail
// accounts a collective opened itself under a first-level account (50101
// 发包收入, say), as a county's own lines need.
func (s *Statement) CheckStatAccounts(chart []ledger.Account, kept func(Term) bool) error {
	for i, l := range s.Lines {
		for _, t := range l.f {
			tt, isTerm, err := termOf(t)
			if err != nil {
				return ErrStatTerm.With(l.Formula).At(fmt.Sprintf("lines[%d].formula", i+1))
			}
			if !isTerm {
				continue
			}
			found := false
			for _, a := range chart {
				if strings.HasPrefix(a.Code, t.code) || strings.HasPrefix(t.code, a.Code) {
					found = true
					break
				}
			}
			if !found {
				return ErrFormulaAccount.With(t.code).At(fmt.Sprintf("lines[%d].formula", i+1))
			}
			if !kept(tt) {
				return ErrStatAccount.With(tt.Kind + ":" + tt.Code).At(fmt.Sprintf("lines[%d].formula", i+1))
			}
		}
	}
	return nil
}

// KeyIndex returns the index in s.Lines of the line with key, or -1.
func (s *Statement) KeyIndex(key string) int {
	for i := range s.Lines {
		if s.Lines[i].Key == key {
			return i
		}
	}
	return -1
}

// Tiers classify collectives by their operating-type income of the year
// (statistics.md): Breaks are the lower bounds of the tiers above "none"
// (空壳村, no operating-type income), ascending, the first of them 0 (more
// than nothing); a collective below WeakBelow is weak (薄弱村).
type Tiers struct {
	Breaks    []jiti.Amount `json:"breaks"`
	WeakBelow jiti.Amount   `json:"weak_below"`
}

// DefaultTiers are the common breakpoints: none, under 50,000, 50,000–
// 100,000, 100,000–300,000, 300,000–500,000, 500,000–1,000,000, 1,000,000
// and over; weak under 100,000.
func DefaultTiers() Tiers {
	return Tiers{Breaks: []jiti.Amount{0, jiti.Yuan(50_000), jiti.Yuan(100_000), jiti.Yuan(300_000), jiti.Yuan(500_000), jiti.Yuan(1_000_000)},
		WeakBelow: jiti.Yuan(100_000)}
}

// ErrTiers reports breakpoints that are not ascending from 0.
var ErrTiers = jiti.Errorf(jiti.Invalid, "report.tiers")

// Check validates the breakpoints.
func (t Tiers) Check() error {
	if len(t.Breaks) == 0 || t.Breaks[0] != 0 {
		return ErrTiers.At("breaks")
	}
	for i := 1; i < len(t.Breaks); i++ {
		if t.Breaks[i] <= t.Breaks[i-1] {
			return ErrTiers.At("breaks")
		}
	}
	if t.WeakBelow < 0 {
		return ErrTiers.At("weak_below")
	}
	return nil
}

// Of returns the tier of an operating-type income: 0 for none (≤ 0), then
// 1 … len(Breaks).
func (t Tiers) Of(income jiti.Amount) int {
	if income <= 0 {
		return 0
	}
	tier := 0
	for i, b := range t.Breaks {
		if income >= b {
			tier = i + 1
		}
	}
	return tier
}

// Bounds returns the lower and upper bound of tier i (upper 0: no bound).
func (t Tiers) Bounds(i int) (lo, hi jiti.Amount) {
	if i == 0 {
		return 0, 0
	}
	lo = t.Breaks[i-1]
	if i < len(t.Breaks) {
		hi = t.Breaks[i]
	}
	return lo, hi
}

// Count returns the number of tiers, "none" included.
func (t Tiers) Count() int { return len(t.Breaks) + 1 }

// CollectiveStat is one collective's figures: its lines of the year and of
// the year before, by index of the layout's lines.
type CollectiveStat struct {
	ID     int64         `json:"id"`
	Code   string        `json:"code"`
	Name   string        `json:"name"`
	Region string        `json:"region"`
	Values []jiti.Amount `json:"-"`
	Prior  []jiti.Amount `json:"-"`
	// Opened is the day the collective's books open. A collective whose
	// books begin in the year has no year before (BooksCover): it is new,
	// not a move from the tier of nothing, and growth is not computed
	// against its zeros. The zero date means books long open.
	Opened jiti.Date `json:"-"`
}

// hasPrior reports whether the collective's books cover the year before
// year.
func (c *CollectiveStat) hasPrior(year int) bool {
	return BooksCover(c.Opened, jiti.NewPeriod(year-1, time.December), false)
}

// LineFigure is one line of a roll-up.
type LineFigure struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	Sum     Money  `json:"sum"`
	Average Money  `json:"average"`
	Prior   Money  `json:"prior"`
	Change  Money  `json:"change"`
	// ChangePct is the growth in basis points of the prior year's sum (2.5 %
	// is 250); Growth says whether it is defined (the prior sum is not 0).
	ChangePct int64 `json:"change_bp"`
	Growth    bool  `json:"growth_defined"`
}

// TierFigure is the number of collectives in one tier.
type TierFigure struct {
	Tier  int   `json:"tier"`
	Lo    Money `json:"lo"`
	Hi    Money `json:"hi,omitempty"`
	Count int   `json:"count"`
	Prior int   `json:"prior"`
}

// Ranked is a collective with the figure it is ranked by.
type Ranked struct {
	ID        int64  `json:"id"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	Region    string `json:"region"`
	Value     Money  `json:"value"`
	Prior     Money  `json:"prior"`
	Tier      int    `json:"tier"`
	PriorTier int    `json:"prior_tier"`
	// New says the collective's books begin in the year: Prior and
	// PriorTier are not figures (there is no year before).
	New bool `json:"new,omitempty"`
}

// Rollup is the statistics of a region for a year (村集体经济统计).
type Rollup struct {
	Region      jiti.Region  `json:"region"`
	Year        int          `json:"year"`
	Collectives int          `json:"collectives"`
	Lines       []LineFigure `json:"lines"`
	Tiers       []TierFigure `json:"tiers"`
	Weak        []Ranked     `json:"weak"`           // below the weak threshold, shells included
	Shells      []Ranked     `json:"shells"`         // no operating-type income (空壳村)
	Up          []Ranked     `json:"up,omitempty"`   // moved to a higher tier since the year before
	Down        []Ranked     `json:"down,omitempty"` // moved to a lower one
	// New are the collectives whose books begin in the year: they have no
	// tier a year ago, are in no move, and the year before's sums, changes
	// and growth are those of the others (Comparable of them).
	New        []Ranked  `json:"new,omitempty"`
	Comparable int       `json:"comparable"`
	Children   []*Rollup `json:"children,omitempty"`
	All        []Ranked  `json:"-"` // every collective by operating-type income, highest first
	stats      []*CollectiveStat
	layout     *Statement
}

// RollupInput is what ComputeRollup needs.
type RollupInput struct {
	Region      jiti.Region
	Year        int
	Layout      *Statement
	Tiers       Tiers
	Collectives []*CollectiveStat
	// Children are the regions one level below Region; a collective
	// belongs to the child whose code prefixes its region.
	Children []jiti.Region
}

// ComputeRollup sums the figures of a region's collectives: every line's
// sum and average per collective and growth against the year before, the
// tiers now and a year ago, the weak villages and empty shells, the
// collectives that moved between tiers, and the same for each child
// region. The year before counts only the collectives whose books cover it:
// a collective whose books begin in the year is listed as new, has no tier
// a year ago and no move, and its figures are in the year's sums but not in
// the change and growth, which compare like with like.
func ComputeRollup(in RollupInput) (*Rollup, error) {
	// Tiers and rankings go by operating-type income; a layout without
	// that line (the statistical table) has sums only.
	opIdx := in.Layout.KeyIndex(KeyOperatingType)
	if err := in.Tiers.Check(); err != nil {
		return nil, err
	}
	r := rollup(in.Region, in.Year, in.Layout, in.Tiers, in.Collectives, opIdx)
	for _, child := range in.Children {
		var members []*CollectiveStat
		for _, c := range in.Collectives {
			if jiti.RegionContains(child.Code, c.Region) {
				members = append(members, c)
			}
		}
		r.Children = append(r.Children, rollup(child, in.Year, in.Layout, in.Tiers, members, opIdx))
	}
	return r, nil
}

func rollup(region jiti.Region, year int, layout *Statement, tiers Tiers, cs []*CollectiveStat, opIdx int) *Rollup {
	r := &Rollup{Region: region, Year: year, Collectives: len(cs), stats: cs, layout: layout}
	n := len(layout.Lines)
	// sums over every collective; compared (this year) and prior over those
	// with a year before.
	sums, compared, prior := make([]jiti.Amount, n), make([]jiti.Amount, n), make([]jiti.Amount, n)
	tierNow, tierThen := make([]int, tiers.Count()), make([]int, tiers.Count())
	for _, c := range cs {
		old := c.hasPrior(year)
		for i := 0; i < n; i++ {
			sums[i] += c.Values[i]
			if old {
				compared[i] += c.Values[i]
				prior[i] += c.Prior[i]
			}
		}
		if old {
			r.Comparable++
		}
		if opIdx < 0 {
			continue
		}
		rk := Ranked{ID: c.ID, Code: c.Code, Name: c.Name, Region: c.Region, Value: Money(c.Values[opIdx]),
			Tier: tiers.Of(c.Values[opIdx]), New: !old}
		if old {
			rk.Prior, rk.PriorTier = Money(c.Prior[opIdx]), tiers.Of(c.Prior[opIdx])
		}
		tierNow[rk.Tier]++
		r.All = append(r.All, rk)
		if c.Values[opIdx] < tiers.WeakBelow {
			r.Weak = append(r.Weak, rk)
		}
		if rk.Tier == 0 {
			r.Shells = append(r.Shells, rk)
		}
		switch {
		case !old:
			r.New = append(r.New, rk)
		case rk.Tier > rk.PriorTier:
			r.Up = append(r.Up, rk)
		case rk.Tier < rk.PriorTier:
			r.Down = append(r.Down, rk)
		}
		if old {
			tierThen[rk.PriorTier]++
		}
	}
	for i := range layout.Lines {
		l := &layout.Lines[i]
		if l.No == 0 {
			continue
		}
		f := LineFigure{Key: l.Key, Label: l.Label, LabelEN: l.LabelEN, Sum: Money(sums[i]), Prior: Money(prior[i]),
			Change: Money(compared[i] - prior[i])}
		if len(cs) > 0 {
			avg, _ := sums[i].MulRatio(1, int64(len(cs)))
			f.Average = Money(avg)
		}
		if prior[i] != 0 {
			pct, _ := (compared[i] - prior[i]).MulRatio(10000, int64(prior[i].Abs()))
			f.ChangePct, f.Growth = int64(pct), true
		}
		r.Lines = append(r.Lines, f)
	}
	for i := 0; opIdx >= 0 && i < tiers.Count(); i++ {
		lo, hi := tiers.Bounds(i)
		r.Tiers = append(r.Tiers, TierFigure{Tier: i, Lo: Money(lo), Hi: Money(hi), Count: tierNow[i], Prior: tierThen[i]})
	}
	// Codes are unique, so the order is total and needs no stable sort.
	byValue := func(list []Ranked) {
		slices.SortFunc(list, func(a, b Ranked) int {
			if c := cmp.Compare(b.Value, a.Value); c != 0 {
				return c
			}
			return cmp.Compare(a.Code, b.Code)
		})
	}
	byValue(r.All)
	byValue(r.Weak)
	byValue(r.Shells)
	byValue(r.Up)
	byValue(r.Down)
	byValue(r.New)
	return r
}

// Line returns the roll-up's figure of the line with key, or nil.
func (r *Rollup) Line(key string) *LineFigure {
	for i := range r.Lines {
		if r.Lines[i].Key == key {
			return &r.Lines[i]
		}
	}
	return nil
}

// Members returns the collectives behind a line's figure with their value
// of it, highest first: the drill-down of any figure.
func (r *Rollup) Members(key string) []Ranked {
	i := r.layout.KeyIndex(key)
	if i < 0 {
		return nil
	}
	out := make([]Ranked, 0, len(r.stats))
	for _, c := range r.stats {
		rk := Ranked{ID: c.ID, Code: c.Code, Name: c.Name, Region: c.Region, Value: Money(c.Values[i]), New: !c.hasPrior(r.Year)}
		if !rk.New {
			rk.Prior = Money(c.Prior[i])
		}
		out = append(out, rk)
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	return out
}

// GrowthRanking returns the collectives by the change of their
// operating-type income against the year before, largest first; new
// collectives, with no year before, are not ranked.
func (r *Rollup) GrowthRanking() []Ranked {
	out := make([]Ranked, 0, len(r.All))
	for _, rk := range r.All {
		if !rk.New {
			out = append(out, rk)
		}
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		if c := cmp.Compare(b.Value-b.Prior, a.Value-a.Prior); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	return out
}

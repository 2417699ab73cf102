package report

import (
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

// Tables of the statistics: the lines of a roll-up, its child regions, its
// tiers, lists of collectives (rankings, weak villages, shells, moves,
// the collectives behind a figure) and the vouchers behind a collective's
// figure. Chinese reports give money in 万元 with two decimals; Unit says
// which the tables show.

// Unit is the unit money is shown in.
type Unit string

// Units.
const (
	Yuan Unit = "yuan" // 元, to the fen
	Wan  Unit = "wan"  // 万元, two decimals (to the hundred yuan), rounded half away from zero
)

// ErrUnit reports an unknown unit.
var ErrUnit = jiti.Errorf(jiti.Invalid, "report.unit")

// ParseUnit reads "yuan" (元) or "wan" (万元).
func ParseUnit(s string) (Unit, error) {
	switch s {
	case "yuan", "元", "":
		return Yuan, nil
	case "wan", "万元":
		return Wan, nil
	}
	return "", ErrUnit.With(s).At("unit")
}

// Key returns the catalog key of the unit's meta line (单位：元).
func (u Unit) Key() string { return "report.meta.unit_" + string(u) }

// cell returns the plain form of an amount in the unit.
func (u Unit) cell(m Money) string {
	if u == Wan {
		return jiti.Amount(m).Wan()
	}
	return jiti.Amount(m).String()
}

// percent returns basis points as "12.34%".
func percent(bp int64) string { return jiti.Amount(bp).String() + "%" }

// Catalog keys of the statistics' columns.
const (
	keyColSum         = "report.col.sum"
	keyColAverage     = "report.col.average"
	keyColPrior       = "report.col.prior"
	keyColChange      = "report.col.change"
	keyColChangePct   = "report.col.change_pct"
	keyColRegion      = "report.col.region"
	keyColCollectives = "report.col.collectives"
	keyColTier        = "report.col.tier"
	keyColFrom        = "report.col.from"
	keyColBelow       = "report.col.below"
	keyColCount       = "report.col.count"
	keyColPriorCount  = "report.col.prior_count"
	keyColRank        = "report.col.rank"
	keyColCollCode    = "report.col.collective_code"
	keyColCollective  = "report.col.collective"
	keyColValue       = "report.col.value"
	keyColPriorTier   = "report.col.prior_tier"
	keyColWeak        = "report.col.weak"
	keyColShells      = "report.col.shells"
)

// Catalog keys of the statistics' titles.
const (
	KeyTitleStatRegions = "report.title.stat_regions"
	KeyTitleStatTiers   = "report.title.stat_tiers"
	KeyTitleStatTop     = "report.title.stat_top"
	KeyTitleStatBottom  = "report.title.stat_bottom"
	KeyTitleStatGrowth  = "report.title.stat_growth"
	KeyTitleStatWeak    = "report.title.stat_weak"
	KeyTitleStatShells  = "report.title.stat_shells"
	KeyTitleStatUp      = "report.title.stat_up"
	KeyTitleStatDown    = "report.title.stat_down"
	KeyTitleStatMembers = "report.title.stat_members"
	KeyTitleStatDrill   = "report.title.stat_vouchers"
	KeyTitleStatNew     = "report.title.stat_new"
	keyTierNone         = "report.tier.none"
	keyRowNewBooks      = "report.row.new_books"
	keyRowStart         = "report.row.year_start_part"
)

// StatLinesTable shows the lines of a roll-up: item, sum, average per
// collective, the year before, the change and the growth.
func StatLinesTable(r *Rollup, lang locale.Lang, u Unit) *Table {
	t := &Table{
		Title: r.layout.TitleIn(lang),
		Columns: []Column{
			{Key: keyColItem, Align: Left, Indent: true},
			{Key: keyColSum, Align: Right, Money: true},
			{Key: keyColAverage, Align: Right, Money: true},
			{Key: keyColPrior, Align: Right, Money: true},
			{Key: keyColChange, Align: Right, Money: true},
			{Key: keyColChangePct, Align: Right},
		},
	}
	for i, l := range r.layout.Lines {
		if l.No == 0 {
			t.Rows = append(t.Rows, TableRow{Cells: []string{l.LabelIn(lang)}, Bold: true, Indent: l.Indent})
			continue
		}
		f := r.Line(l.Key)
		if f == nil { // a line without a key: by position
			f = r.lineAt(i)
		}
		pct := ""
		if f.Growth {
			pct = percent(f.ChangePct)
		}
		prior, change := u.cell(f.Prior), u.cell(f.Change)
		if r.Comparable == 0 { // no collective has a year before
			prior, change = "", ""
		}
		t.Rows = append(t.Rows, TableRow{Cells: []string{l.LabelIn(lang), u.cell(f.Sum), u.cell(f.Average), prior, change, pct},
			Bold: l.Bold, Indent: l.Indent})
	}
	return t
}

// StatTableTable shows the statistical table the way the form has it:
// item, line number, this year, the year before.
func StatTableTable(r *Rollup, lang locale.Lang, u Unit) *Table {
	t := &Table{
		Title: r.layout.TitleIn(lang),
		Columns: []Column{
			{Key: keyColItem, Align: Left, Indent: true},
			{Key: keyColLine, Align: Right},
			{Key: keyColThisYear, Align: Right, Money: true},
			{Key: keyColLastYear, Align: Right, Money: true},
		},
	}
	for i, l := range r.layout.Lines {
		if l.No == 0 {
			t.Rows = append(t.Rows, TableRow{Cells: []string{l.LabelIn(lang)}, Bold: true, Indent: l.Indent})
			continue
		}
		f := r.lineAt(i)
		prior := u.cell(f.Prior)
		if r.Comparable == 0 { // no collective has a year before
			prior = ""
		}
		t.Rows = append(t.Rows, TableRow{Cells: []string{l.LabelIn(lang), strconv.Itoa(l.No), u.cell(f.Sum), prior},
			Bold: l.Bold, Indent: l.Indent})
	}
	return t
}

// lineAt returns the figure of s.Lines[i] (a numbered line).
func (r *Rollup) lineAt(i int) *LineFigure {
	k := 0
	for j := 0; j < i; j++ {
		if r.layout.Lines[j].No != 0 {
			k++
		}
	}
	return &r.Lines[k]
}

// StatRegionsTable shows each child region: its collectives, total and
// operating-type income with their averages and growth, and its weak
// villages and shells, with the region itself as the total row.
func StatRegionsTable(r *Rollup, tr Translator, u Unit) *Table {
	t := &Table{
		Title: tr(KeyTitleStatRegions),
		Columns: []Column{
			{Key: keyColRegion, Align: Left},
			{Key: keyColCollectives, Align: Right},
			{Key: "report.col.total_income", Align: Right, Money: true},
			{Key: "report.col.total_income_pct", Align: Right},
			{Key: "report.col.operating_type", Align: Right, Money: true},
			{Key: "report.col.operating_type_avg", Align: Right, Money: true},
			{Key: "report.col.operating_type_pct", Align: Right},
			{Key: keyColWeak, Align: Right},
			{Key: keyColShells, Align: Right},
		},
	}
	row := func(x *Rollup) []string {
		cells := []string{x.Region.Name, strconv.Itoa(x.Collectives)}
		for _, key := range []string{KeyTotalIncome, KeyOperatingType} {
			f := x.Line(key)
			if f == nil {
				cells = append(cells, "", "")
				if key == KeyOperatingType {
					cells = append(cells, "")
				}
				continue
			}
			pct := ""
			if f.Growth {
				pct = percent(f.ChangePct)
			}
			if key == KeyOperatingType {
				cells = append(cells, u.cell(f.Sum), u.cell(f.Average), pct)
			} else {
				cells = append(cells, u.cell(f.Sum), pct)
			}
		}
		return append(cells, strconv.Itoa(len(x.Weak)), strconv.Itoa(len(x.Shells)))
	}
	for _, c := range r.Children {
		t.Rows = append(t.Rows, TableRow{Cells: row(c)})
	}
	t.Rows = append(t.Rows, TableRow{Cells: row(r), Bold: true})
	return t
}

// StatTiersTable shows the tiers of operating-type income: bounds, the
// number of collectives in each this year and the year before, and how
// many of this year's have no year before (new books), counted in no tier
// of the year before.
func StatTiersTable(r *Rollup, tr Translator, u Unit) *Table {
	t := &Table{
		Title: tr(KeyTitleStatTiers),
		Columns: []Column{
			{Key: keyColTier, Align: Left},
			{Key: keyColFrom, Align: Right, Money: true},
			{Key: keyColBelow, Align: Right, Money: true},
			{Key: keyColCount, Align: Right},
			{Key: keyColPriorCount, Align: Right},
		},
	}
	now, then := 0, 0
	for _, tf := range r.Tiers {
		cells := []string{tr(keyTierNone), "", "", strconv.Itoa(tf.Count), strconv.Itoa(tf.Prior)}
		if tf.Tier > 0 {
			cells[0] = strconv.Itoa(tf.Tier)
			cells[1] = u.cell(tf.Lo)
			if tf.Hi != 0 {
				cells[2] = u.cell(tf.Hi)
			}
		}
		now, then = now+tf.Count, then+tf.Prior
		t.Rows = append(t.Rows, TableRow{Cells: cells})
	}
	t.Rows = append(t.Rows, TableRow{Cells: []string{tr(keyTotal), "", "", strconv.Itoa(now), strconv.Itoa(then)}, Bold: true})
	if len(r.New) > 0 {
		t.Rows = append(t.Rows, TableRow{Cells: []string{tr(keyRowNewBooks), "", "", strconv.Itoa(len(r.New)), ""}})
	}
	return t
}

// RankedTable lists collectives with a figure and the year before's: a
// ranking, the weak villages, the shells, the moves between tiers, the new
// collectives or the collectives behind a figure. Tiers are shown when
// withTiers. A new collective (books begun in the year) has the year
// before's figure, the change and the tier a year ago blank.
func RankedTable(title string, list []Ranked, withTiers bool, u Unit) *Table {
	t := &Table{
		Title: title,
		Columns: []Column{
			{Key: keyColRank, Align: Right},
			{Key: keyColCollCode, Align: Left},
			{Key: keyColCollective, Align: Left},
			{Key: keyColValue, Align: Right, Money: true},
			{Key: keyColPrior, Align: Right, Money: true},
			{Key: keyColChange, Align: Right, Money: true},
		},
	}
	if withTiers {
		t.Columns = append(t.Columns, Column{Key: keyColTier, Align: Right}, Column{Key: keyColPriorTier, Align: Right})
	}
	for i, rk := range list {
		cells := []string{strconv.Itoa(i + 1), rk.Code, rk.Name, u.cell(rk.Value), u.cell(rk.Prior), u.cell(rk.Value - rk.Prior)}
		if rk.New {
			cells[4], cells[5] = "", ""
		}
		if withTiers {
			prior := strconv.Itoa(rk.PriorTier)
			if rk.New {
				prior = ""
			}
			cells = append(cells, strconv.Itoa(rk.Tier), prior)
		}
		t.Rows = append(t.Rows, TableRow{Cells: cells})
	}
	return t
}

// Top returns the first n of list (all when n ≤ 0).
func Top(list []Ranked, n int) []Ranked {
	if n > 0 && n < len(list) {
		return list[:n]
	}
	return list
}

// Bottom returns the last n of list, lowest first.
func Bottom(list []Ranked, n int) []Ranked {
	out := make([]Ranked, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		out = append(out, list[i])
	}
	return Top(out, n)
}

// StatVoucher is one voucher behind a collective's statistical figure, with
// what it contributes to the figure.
type StatVoucher struct {
	Ref     jiti.VoucherRef `json:"ref"`
	Date    jiti.Date       `json:"date"`
	Kind    string          `json:"kind"`
	Summary string          `json:"summary"`
	Value   Money           `json:"value"`
}

// StatDrill is the drill-down of one collective's figure of a statistical
// line to its vouchers: Start is the part from balances at the start of the
// year (年初未分配收益), and Start plus the vouchers' values is the figure.
type StatDrill struct {
	Collective jiti.Collective `json:"collective"`
	Year       int             `json:"year"`
	Key        string          `json:"key"`
	Label      string          `json:"label"`
	LabelEN    string          `json:"label_en"`
	Value      Money           `json:"value"`
	Start      Money           `json:"start"`
	Vouchers   []StatVoucher   `json:"vouchers"`
}

// StatDrillTable lists the vouchers behind a collective's figure, the part
// from the start of the year first when there is one, and the figure as
// the total.
func StatDrillTable(d *StatDrill, tr Translator, u Unit) *Table {
	t := &Table{
		Title: tr(KeyTitleStatDrill),
		Columns: []Column{
			{Key: keyColDate, Align: Left},
			{Key: keyColVoucher, Align: Left},
			{Key: keyColSummary, Align: Left},
			{Key: keyColValue, Align: Right, Money: true},
		},
	}
	if d.Start != 0 {
		t.Rows = append(t.Rows, TableRow{Cells: []string{"", "", tr(keyRowStart), u.cell(d.Start)}})
	}
	for _, v := range d.Vouchers {
		t.Rows = append(t.Rows, TableRow{Cells: []string{v.Date.String(), voucherNo(v.Ref), v.Summary, u.cell(v.Value)}})
	}
	t.Rows = append(t.Rows, TableRow{Cells: []string{"", "", tr(keyTotal), u.cell(d.Value)}, Bold: true})
	return t
}

// voucherNo is a voucher's number as ledgers show it (记-5); the date beside
// it gives the month.
func voucherNo(ref jiti.VoucherRef) string {
	return (&LedgerRow{Number: ref.Number}).VoucherLabel()
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
)

// Kinds of statistical layouts a region may store.
const (
	LayoutLines = "lines" // the lines of the statistics (report stats)
	LayoutTable = "table" // the statistical table 村集体经济组织收益分配统计表
)

var (
	// ErrLayoutKind reports an unknown kind of statistical layout.
	ErrLayoutKind = jiti.Errorf(jiti.Invalid, "stats.layout_kind")
	// ErrStatNoOperatingType reports statistical lines without the
	// operating-type income line that tiers and rankings go by.
	ErrStatNoOperatingType = jiti.Errorf(jiti.Invalid, "stats.no_operating_type")
)

// statLayout returns the layout of a kind that applies to a region in a
// year: that of the most specific region above it (itself included) with
// one, for the latest year up to year; else the default.
func statLayout(ctx context.Context, q querier, region string, year int, kind string) (*report.Statement, error) {
	for code := region; code != ""; code = jiti.RegionParentCode(code) {
		var data string
		err := q.queryRow(ctx, `SELECT layout FROM stat_layouts WHERE region_code = ? AND kind = ? AND year <= ? ORDER BY year DESC LIMIT 1`,
			code, kind, year).Scan(&data)
		if err == nil {
			return report.ParseStatement([]byte(data))
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	if kind == LayoutTable {
		return report.StatTable(), nil
	}
	return report.StatLines(), nil
}

// StatLayout returns the statistical layout of a kind that applies to a
// region in a year.
func (db *DB) StatLayout(ctx context.Context, region string, year int, kind string) (*report.Statement, error) {
	if kind != LayoutLines && kind != LayoutTable {
		return nil, ErrLayoutKind.With(kind).At("kind")
	}
	if _, err := db.FindRegion(ctx, region); err != nil {
		return nil, jiti.AsError(err).At("region")
	}
	return statLayout(ctx, db.reader(), region, year, kind)
}

// StatTiers returns the tiers that apply to a region in a year.
func (db *DB) StatTiers(ctx context.Context, region string, year int) (report.Tiers, error) {
	if _, err := db.FindRegion(ctx, region); err != nil {
		return report.Tiers{}, jiti.AsError(err).At("region")
	}
	return statTiers(ctx, db.reader(), region, year)
}

// statTermKept reports whether statistics keep what a term reads: the
// year's turnover of result and distribution accounts (statAccount), and
// the start of the year of distribution accounts (322).
func statTermKept(t report.Term) bool {
	if t.Kind == "ybal" {
		return strings.HasPrefix(t.Code, "322")
	}
	return statAccount(t.Code)
}

// SetStatLayout stores a region's statistical layout of a kind from a year
// on: lines as data, so a county adds a line without a release. It must
// parse, name accounts of the standard chart or details under them, read
// only turnover and the start of the year, and (for lines) have an
// operating_type line, by which tiers and rankings go.
func (db *DB) SetStatLayout(ctx context.Context, by jiti.UserID, region string, year int, kind string, data []byte) error {
	if kind != LayoutLines && kind != LayoutTable {
		return ErrLayoutKind.With(kind).At("kind")
	}
	st, err := report.ParseStatement(data)
	if err != nil {
		return err
	}
	if err := st.CheckStatAccounts(ledger.StandardAccounts(), statTermKept); err != nil {
		return err
	}
	if kind == LayoutLines && st.KeyIndex(report.KeyOperatingType) < 0 {
		return ErrStatNoOperatingType.With(report.KeyOperatingType).At("layout")
	}
	return db.tx(ctx, func(tx *Tx) error {
		if err := tx.requireAdmin(ctx, by); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO stat_layouts (region_code, year, kind, layout) VALUES (?, ?, ?, ?)
ON CONFLICT (region_code, year, kind) DO UPDATE SET layout = excluded.layout`, region, year, kind, string(data)); err != nil {
			if isForeignKey(err) {
				return jiti.ErrNotFound.With("region", region).At("region")
			}
			return err
		}
		return tx.audit(ctx, by, "stats.layout", "region", region, 0, nil, map[string]any{"year": year, "kind": kind, "layout": st.ID})
	})
}

// statTiers returns the tiers that apply to a region in a year, as for
// layouts; else report.DefaultTiers.
func statTiers(ctx context.Context, q querier, region string, year int) (report.Tiers, error) {
	for code := region; code != ""; code = jiti.RegionParentCode(code) {
		var breaks string
		var weak jiti.Amount
		err := q.queryRow(ctx, `SELECT breaks, weak_below FROM stat_tiers WHERE region_code = ? AND year <= ? ORDER BY year DESC LIMIT 1`,
			code, year).Scan(&breaks, &weak)
		if err == nil {
			t := report.Tiers{WeakBelow: weak}
			for _, s := range strings.Split(breaks, ",") {
				a, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return t, fmt.Errorf("store: stat_tiers of %s: %w", code, err)
				}
				t.Breaks = append(t.Breaks, jiti.Amount(a))
			}
			return t, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return report.Tiers{}, err
		}
	}
	return report.DefaultTiers(), nil
}

// SetStatTiers stores a region's tier breakpoints and weak threshold from a
// year on (they come from the county's annual plan).
func (db *DB) SetStatTiers(ctx context.Context, by jiti.UserID, region string, year int, t report.Tiers) error {
	if err := t.Check(); err != nil {
		return err
	}
	parts := make([]string, len(t.Breaks))
	for i, b := range t.Breaks {
		parts[i] = strconv.FormatInt(int64(b), 10)
	}
	return db.tx(ctx, func(tx *Tx) error {
		if err := tx.requireAdmin(ctx, by); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO stat_tiers (region_code, year, breaks, weak_below) VALUES (?, ?, ?, ?)
ON CONFLICT (region_code, year) DO UPDATE SET breaks = excluded.breaks, weak_below = excluded.weak_below`,
			region, year, strings.Join(parts, ","), int64(t.WeakBelow)); err != nil {
			if isForeignKey(err) {
				return jiti.ErrNotFound.With("region", region).At("region")
			}
			return err
		}
		return tx.audit(ctx, by, "stats.tiers", "region", region, 0, nil, map[string]any{"year": year, "tiers": t})
	})
}

// Stats returns the statistics of a region for a year: for every line of
// the region's layout its sum, average per collective and growth against
// the year before, the tiers, weak villages and empty shells, the moves
// between tiers, and the same for each region one level below. It reads
// one row per collective and year (the yearly turnover posting keeps), never
// voucher lines or months.
func (db *DB) Stats(ctx context.Context, region string, year int) (*report.Rollup, error) {
	return db.stats(ctx, region, year, LayoutLines, db.readTurnover, 0)
}

// StatTable returns the statistical table 村集体经济组织收益分配统计表 of a
// region (summed over its collectives) or, with a village's region, of one
// collective, for a year.
func (db *DB) StatTable(ctx context.Context, region string, year int) (*report.Rollup, error) {
	return db.stats(ctx, region, year, LayoutTable, db.readTurnover, 0)
}

// CollectiveStatTable returns the statistical table of one collective for
// a year.
func (db *DB) CollectiveStatTable(ctx context.Context, cid int64, year int) (*report.Rollup, error) {
	c, err := db.FindCollective(ctx, cid)
	if err != nil {
		return nil, jiti.AsError(err).At("collective")
	}
	return db.stats(ctx, c.RegionCode, year, LayoutTable, db.readTurnover, cid)
}

// termSource reads the values of terms for the collectives of a region in
// a year and the year before.
type termSource func(ctx context.Context, region string, tv *termValues, year int) error

// stats computes the roll-up of a region, or of its collective only when
// only is not 0.
func (db *DB) stats(ctx context.Context, region string, year int, kind string, source termSource, only int64) (*report.Rollup, error) {
	r := db.reader()
	reg, err := db.FindRegion(ctx, region)
	if err != nil {
		return nil, jiti.AsError(err).At("region")
	}
	if !jiti.ValidYear(year) {
		return nil, jiti.ErrYearSyntax.With(year).At("year")
	}
	layout, err := statLayout(ctx, r, region, year, kind)
	if err != nil {
		return nil, err
	}
	tiers, err := statTiers(ctx, r, region, year)
	if err != nil {
		return nil, err
	}
	terms, err := layout.Terms()
	if err != nil {
		return nil, err
	}
	values := newTermValues(terms)
	if err := source(ctx, region, values, year); err != nil {
		return nil, err
	}
	stats, err := statCollectives(ctx, r, region, year, only)
	if err != nil {
		return nil, err
	}
	for _, s := range stats {
		if s.Values, err = layout.EvaluateVector(values.vector(s.ID, false)); err != nil {
			return nil, err
		}
		if s.Prior, err = layout.EvaluateVector(values.vector(s.ID, true)); err != nil {
			return nil, err
		}
	}
	var children []jiti.Region
	if reg.Level < jiti.Village {
		below, err := db.FindRegions(ctx, region, 1)
		if err != nil {
			return nil, err
		}
		for _, b := range below {
			if b.Code != region {
				children = append(children, b)
			}
		}
	}
	return report.ComputeRollup(report.RollupInput{Region: reg, Year: year, Layout: layout, Tiers: tiers, Collectives: stats, Children: children})
}

// statCollectives lists the collectives of a region (or only the one with
// id only, when not 0) by code, with what a roll-up shows of them and the
// day their books open. A collective whose books open after the year has
// no figures of it and is left out: it would count as an empty shell.
func statCollectives(ctx context.Context, r reader, region string, year int, only int64) ([]*report.CollectiveStat, error) {
	rows, err := r.query(ctx, `SELECT id, code, name, region_code, books_opened_on FROM collectives WHERE region_code LIKE ? ORDER BY code`, region+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	end := jiti.NewPeriod(year, time.December)
	var out []*report.CollectiveStat
	for rows.Next() {
		s := &report.CollectiveStat{}
		if err := rows.Scan(&s.ID, &s.Code, &s.Name, &s.Region, dbDate{&s.Opened}); err != nil {
			return nil, err
		}
		if (only == 0 || s.ID == only) && report.BooksCover(s.Opened, end, false) {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

// termValues holds the values of a layout's terms for each collective of
// a region, for a year and the year before.
type termValues struct {
	terms []report.Term
	index map[report.Term]int
	// by collective: the year's values by index of terms, then the year
	// before's
	values map[int64][]jiti.Amount
	// the indexes of the turnover terms an account code falls under, as
	// found so far; codes as numbers (they are digits, the first never 0),
	// which the database hands over cheaper than text
	byCode map[int64][]int
}

func newTermValues(terms []report.Term) *termValues {
	tv := &termValues{terms: terms, index: map[report.Term]int{}, values: map[int64][]jiti.Amount{}, byCode: map[int64][]int{}}
	for i, t := range terms {
		tv.index[t] = i
	}
	return tv
}

// slots returns the values of a collective, made on first use.
func (tv *termValues) slots(cid int64) []jiti.Amount {
	v := tv.values[cid]
	if v == nil {
		v = make([]jiti.Amount, 2*len(tv.terms))
		tv.values[cid] = v
	}
	return v
}

// addTurnover adds an account's turnover of a year (the year asked for, or
// the one before when prior) to the terms it falls under.
func (tv *termValues) addTurnover(cid int64, prior bool, code int64, debit, credit jiti.Amount) {
	idx, ok := tv.byCode[code]
	if !ok {
		digits := strconv.FormatInt(code, 10)
		for i, t := range tv.terms {
			if t.Kind != "ybal" && strings.HasPrefix(digits, t.Code) {
				idx = append(idx, i)
			}
		}
		tv.byCode[code] = idx
	}
	if len(idx) == 0 {
		return
	}
	v := tv.slots(cid)
	base := 0
	if prior {
		base = len(tv.terms)
	}
	for _, i := range idx {
		if tv.terms[i].Kind == "dr" {
			v[base+i] += debit
		} else {
			v[base+i] += credit
		}
	}
}

// vector returns the values of the terms, by their index, for a
// collective in the year, or in the year before when prior.
func (tv *termValues) vector(cid int64, prior bool) []jiti.Amount {
	v := tv.values[cid]
	if v == nil {
		return make([]jiti.Amount, len(tv.terms))
	}
	if prior {
		return v[len(tv.terms):]
	}
	return v[:len(tv.terms)]
}

// of returns the value of each term for a collective in the year, or in
// the year before when prior.
func (tv *termValues) of(cid int64, prior bool) func(report.Term) jiti.Amount {
	v := tv.values[cid]
	base := 0
	if prior {
		base = len(tv.terms)
	}
	return func(t report.Term) jiti.Amount {
		if v == nil {
			return 0
		}
		return v[base+tv.index[t]]
	}
}

// startTerms returns the indexes of the start-of-year terms.
func (tv *termValues) startTerms() []int {
	var out []int
	for i, t := range tv.terms {
		if t.Kind == "ybal" {
			out = append(out, i)
		}
	}
	return out
}

// inRegion restricts a query on collective_id to the collectives of a
// region (its code is the one argument).
const inRegion = `collective_id IN (SELECT id FROM collectives WHERE region_code LIKE ?)`

// readTurnover reads the values of terms for the collectives of a region:
// the turnover terms from stat_year, one row per collective for the year
// and one for the year before, summed by account prefix as they come; the
// start-of-year terms summed by the database over the years before from
// stat_turnover's distribution accounts, one row per collective.
func (db *DB) readTurnover(ctx context.Context, region string, tv *termValues, year int) error {
	r := db.reader()
	rows, err := r.query(ctx, `SELECT collective_id, year, turnover FROM stat_year
WHERE year BETWEEN ? AND ? AND `+inRegion, year-1, year, region+"%")
	if err != nil {
		return err
	}
	defer rows.Close()
	var cid, y int64
	var packed sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&cid, &y, &packed); err != nil {
			return err
		}
		prior := y != int64(year)
		if err := eachYearEntry(packed, func(code, dr, cr int64) {
			tv.addTurnover(cid, prior, code, jiti.Amount(dr), jiti.Amount(cr))
		}); err != nil {
			return fmt.Errorf("%w (collective %d, %d)", err, cid, y)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	start := tv.startTerms()
	if len(start) == 0 {
		return nil
	}
	// Columns: each start term at the start of the year, then each at the
	// start of the year before.
	var cols, match []string
	var args []any
	for _, y := range []int{year, year - 1} {
		for _, i := range start {
			cols = append(cols, `SUM(CASE WHEN year < ? AND `+prefixMatch(tv.terms[i].Code)+` THEN debit - credit ELSE 0 END)`)
			args = append(args, y)
		}
	}
	for _, i := range start {
		match = append(match, prefixMatch(tv.terms[i].Code))
	}
	args = append(args, year, region+"%")
	// The starts are of distribution accounts (statTermKept); the
	// condition on 322 lets the database read them from the partial index
	// stat_turnover_start.
	srows, err := r.query(ctx, `SELECT collective_id, 0, `+strings.Join(cols, ", ")+` FROM stat_turnover
WHERE account_code >= '322' AND account_code < '323' AND (`+strings.Join(match, " OR ")+`) AND year < ? AND `+inRegion+`
GROUP BY collective_id`, args...)
	if err != nil {
		return err
	}
	return scanSums(srows, 2*len(start), func(cid int64, _ int, sums []jiti.Amount) {
		v := tv.slots(cid)
		for k, i := range start {
			v[i] = sums[k]
			v[len(tv.terms)+i] = sums[len(start)+k]
		}
	})
}

// prefixMatch is the SQL condition that an account code starts with code,
// as a range of the index's order: codes are digits only (the formula
// parser reads no other), which sort the same in every collation, so the
// condition is written with literals and serves PostgreSQL as SQLite.
func prefixMatch(code string) string {
	for _, r := range code {
		if r < '0' || r > '9' {
			panic("store: account code not all digits: " + code)
		}
	}
	// The first code after all that start with code: the last digit below
	// 9 raised by one, the 9s after it dropped.
	b := []byte(code)
	for len(b) > 0 && b[len(b)-1] == '9' {
		b = b[:len(b)-1]
	}
	if len(b) == 0 {
		return fmt.Sprintf("account_code >= '%s'", code)
	}
	b[len(b)-1]++
	return fmt.Sprintf("(account_code >= '%s' AND account_code < '%s')", code, b)
}

// scanSums reads rows of (collective, year, n sums).
func scanSums(rows *sql.Rows, n int, put func(cid int64, year int, v []jiti.Amount)) error {
	defer rows.Close()
	var cid int64
	var year int
	vals := make([]jiti.Amount, n)
	dest := []any{&cid, &year}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		put(cid, year, vals)
	}
	return rows.Err()
}

// ErrStatLine reports a statistical line key the layout does not have.
var ErrStatLine = jiti.Errorf(jiti.NotFound, "stats.line")

// StatVouchers lists the posted vouchers of a collective's year behind its
// figure of the statistical line key (of the lines layout, or of the table
// with table set): each voucher's own turnover run through the line's
// formula, so the values add up to the figure. Closing vouchers are left
// out as the statistics leave them out.
func (db *DB) StatVouchers(ctx context.Context, cid int64, year int, key string, table bool) (*report.StatDrill, error) {
	c, err := db.FindCollective(ctx, cid)
	if err != nil {
		return nil, jiti.AsError(err).At("collective")
	}
	kind := LayoutLines
	if table {
		kind = LayoutTable
	}
	r := db.reader()
	layout, err := statLayout(ctx, r, c.RegionCode, year, kind)
	if err != nil {
		return nil, err
	}
	idx := layout.KeyIndex(key)
	if idx < 0 {
		return nil, ErrStatLine.With(key).At("stat_line")
	}
	terms, err := layout.Terms()
	if err != nil {
		return nil, err
	}
	l := layout.Lines[idx]
	d := &report.StatDrill{Collective: *c, Year: year, Key: key, Label: l.Label, LabelEN: l.LabelEN}
	// The part from the start of the year: the line with turnover taken
	// as nothing.
	values := newTermValues(terms)
	if err := db.readTurnover(ctx, c.RegionCode, values, year); err != nil {
		return nil, err
	}
	of := values.of(cid, false)
	start, err := layout.EvaluateTerms(func(t report.Term) jiti.Amount {
		if t.Kind == "ybal" {
			return of(t)
		}
		return 0
	})
	if err != nil {
		return nil, err
	}
	all, err := layout.EvaluateTerms(of)
	if err != nil {
		return nil, err
	}
	d.Start, d.Value = report.Money(start[idx]), report.Money(all[idx])
	var match []string
	for _, t := range terms {
		if t.Kind != "ybal" {
			match = append(match, prefixMatch(t.Code))
		}
	}
	if len(match) == 0 {
		return d, nil
	}
	rows, err := r.query(ctx, `SELECT v.id, v.period, v.number, v.date, v.kind, l.account_code, l.summary, l.debit, l.credit
FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE l.collective_id = ? AND v.status = ? AND v.kind <> ? AND v.period BETWEEN ? AND ? AND (`+strings.Join(match, " OR ")+`)
ORDER BY v.period, v.number, l.line_no`, cid, string(ledger.Posted), string(ledger.Closing), year*100+1, year*100+12)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cur *report.StatVoucher
	turnover := map[report.Term]jiti.Amount{}
	flush := func() error {
		if cur == nil {
			return nil
		}
		v, err := layout.EvaluateTerms(func(t report.Term) jiti.Amount { return turnover[t] })
		if err != nil {
			return err
		}
		if v[idx] != 0 {
			cur.Value = report.Money(v[idx])
			d.Vouchers = append(d.Vouchers, *cur)
		}
		clear(turnover)
		return nil
	}
	for rows.Next() {
		var id int64
		var period, number int
		var date jiti.Date
		var vkind, code, summary string
		var dr, cr jiti.Amount
		if err := rows.Scan(&id, &period, &number, dbDate{&date}, &vkind, &code, &summary, &dr, &cr); err != nil {
			return nil, err
		}
		if cur == nil || cur.Ref.ID != id {
			if err := flush(); err != nil {
				return nil, err
			}
			cur = &report.StatVoucher{Ref: jiti.VoucherRef{Period: jiti.Period(period), Number: number, ID: id}, Date: date, Kind: vkind, Summary: summary}
		}
		for _, t := range terms {
			if t.Kind != "ybal" && strings.HasPrefix(code, t.Code) {
				if t.Kind == "dr" {
					turnover[t] += dr
				} else {
					turnover[t] += cr
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return d, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

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
	if err := st.CheckStatAccounts(ledger.StandardAccounts()); err != nil {
		return err
	}
	if _, err := st.Terms(); err != nil {
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
	return db.stats(ctx, region, year, LayoutLines, db.termValues, 0)
}

// StatTable returns the statistical table 村集体经济组织收益分配统计表 of a
// region (summed over its collectives) or, with a village's region, of one
// collective, for a year.
func (db *DB) StatTable(ctx context.Context, region string, year int) (*report.Rollup, error) {
	return db.stats(ctx, region, year, LayoutTable, db.termValues, 0)
}

// CollectiveStatTable returns the statistical table of one collective for
// a year.
func (db *DB) CollectiveStatTable(ctx context.Context, cid int64, year int) (*report.Rollup, error) {
	c, err := db.FindCollective(ctx, cid)
	if err != nil {
		return nil, jiti.AsError(err).At("collective")
	}
	return db.stats(ctx, c.RegionCode, year, LayoutTable, db.termValues, cid)
}

// termSource reads the values of terms for the collectives of a region in
// a year and the year before.
type termSource func(ctx context.Context, region string, terms []report.Term, year int) (map[int64]map[termKey]jiti.Amount, error)

// stats computes the roll-up of a region, or of its collective only when
// only is not 0.
func (db *DB) stats(ctx context.Context, region string, year int, kind string, source termSource, only int64) (*report.Rollup, error) {
	r := db.reader()
	reg, err := db.FindRegion(ctx, region)
	if err != nil {
		return nil, jiti.AsError(err).At("region")
	}
	if year < 1900 || year > 9999 {
		return nil, jiti.ErrPeriodSyntax.With(year).At("year")
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
	cs, err := db.FindCollectives(ctx, region)
	if err != nil {
		return nil, err
	}
	values, err := source(ctx, region, terms, year)
	if err != nil {
		return nil, err
	}
	var stats []*report.CollectiveStat
	for _, c := range cs {
		if only != 0 && c.ID != only {
			continue
		}
		cv := values[c.ID]
		s := &report.CollectiveStat{ID: c.ID, Code: c.Code, Name: c.Name, Region: c.RegionCode}
		if s.Values, err = layout.EvaluateTerms(func(t report.Term) jiti.Amount { return cv[termKey{year, t}] }); err != nil {
			return nil, err
		}
		if s.Prior, err = layout.EvaluateTerms(func(t report.Term) jiti.Amount { return cv[termKey{year - 1, t}] }); err != nil {
			return nil, err
		}
		stats = append(stats, s)
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

type termKey struct {
	year int
	term report.Term
}

// termValues reads, for every collective of a region, the value of each
// term for year and the year before: turnover terms from the two years'
// rows, start-of-year terms from the rows of the years before. Each term is
// one SUM(CASE…) column, so the database returns one row per collective and
// year, whatever the number of accounts.
func (db *DB) termValues(ctx context.Context, region string, terms []report.Term, year int) (map[int64]map[termKey]jiti.Amount, error) {
	out := map[int64]map[termKey]jiti.Amount{}
	put := func(cid int64, y int, t report.Term, v jiti.Amount) {
		m := out[cid]
		if m == nil {
			m = map[termKey]jiti.Amount{}
			out[cid] = m
		}
		m[termKey{y, t}] = v
	}
	var turnover, start []report.Term
	for _, t := range terms {
		if t.Kind == "ybal" {
			start = append(start, t)
		} else {
			turnover = append(turnover, t)
		}
	}
	r := db.reader()
	const inRegion = `collective_id IN (SELECT id FROM collectives WHERE region_code LIKE ?)`
	if len(turnover) > 0 {
		var cols []string
		var args []any
		for _, t := range turnover {
			side := "debit - closing_debit"
			if t.Kind == "cr" {
				side = "credit - closing_credit"
			}
			cols = append(cols, `SUM(CASE WHEN `+prefixMatch(t.Code)+` THEN `+side+` ELSE 0 END)`)
		}
		args = append(args, year-1, year, region+"%")
		rows, err := r.query(ctx, `SELECT collective_id, year, `+strings.Join(cols, ", ")+` FROM stat_turnover
WHERE year BETWEEN ? AND ? AND `+inRegion+` GROUP BY collective_id, year`, args...)
		if err != nil {
			return nil, err
		}
		err = scanSums(rows, len(turnover), func(cid int64, y int, v []jiti.Amount) {
			for i, t := range turnover {
				put(cid, y, t, v[i])
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if len(start) > 0 {
		// Columns: each start term at the start of year, then each at the
		// start of the year before.
		var cols, match []string
		var args []any
		for _, y := range []int{year, year - 1} {
			for _, t := range start {
				cols = append(cols, `SUM(CASE WHEN year < ? AND `+prefixMatch(t.Code)+` THEN debit - credit ELSE 0 END)`)
				args = append(args, y)
			}
		}
		for _, t := range start {
			match = append(match, prefixMatch(t.Code))
		}
		args = append(args, year, region+"%")
		rows, err := r.query(ctx, `SELECT collective_id, 0, `+strings.Join(cols, ", ")+` FROM stat_turnover
WHERE year < ? AND (`+strings.Join(match, " OR ")+`) AND `+inRegion+` GROUP BY collective_id`, args...)
		if err != nil {
			return nil, err
		}
		err = scanSums(rows, 2*len(start), func(cid int64, _ int, v []jiti.Amount) {
			for i, t := range start {
				put(cid, year, t, v[i])
				put(cid, year-1, t, v[len(start)+i])
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// prefixMatch is the SQL condition that an account code starts with code.
// Codes are digits only (the chart's and CheckAccounts see to it), so code
// is written into the statement as a literal and the planner sees a
// constant.
func prefixMatch(code string) string {
	for _, r := range code {
		if r < '0' || r > '9' {
			panic("store: account code not all digits: " + code)
		}
	}
	return fmt.Sprintf("substr(account_code, 1, %d) = '%s'", len(code), code)
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
	values, err := db.termValues(ctx, c.RegionCode, terms, year)
	if err != nil {
		return nil, err
	}
	cv := values[cid]
	start, err := layout.EvaluateTerms(func(t report.Term) jiti.Amount {
		if t.Kind == "ybal" {
			return cv[termKey{year, t}]
		}
		return 0
	})
	if err != nil {
		return nil, err
	}
	all, err := layout.EvaluateTerms(func(t report.Term) jiti.Amount { return cv[termKey{year, t}] })
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

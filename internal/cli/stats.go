package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(
		command{"report stats", "cmd.report_stats", runStats},
		command{"report stat-table", "cmd.report_stat_table", runStatTable},
		command{"stats layout", "cmd.stats_layout", runStatsLayout},
		command{"stats tiers", "cmd.stats_tiers", runStatsTiers},
	)
}

// Sections of report stats, in the order text shows them.
var statSections = []string{"lines", "regions", "tiers", "top", "bottom", "growth", "weak", "shells", "moves"}

// statFlags are the flags of report stats and report stat-table.
type statFlags struct {
	o      opts
	region *string
	year   *int
	unit   *string
	out    *string
}

func (e *env) statFlags(name string) (*statFlags, *flag.FlagSet) {
	sf := &statFlags{}
	fs := e.flags(name, &sf.o)
	sf.region = fs.String("region", "", e.p.T("flag.region_code"))
	sf.year = fs.Int("year", 0, e.p.T("flag.stat_year"))
	sf.unit = fs.String("unit", "yuan", e.p.T("flag.unit"))
	sf.out = fs.String("o", "", e.p.T("flag.output_xlsx"))
	return sf, fs
}

// yearOr returns -year, by default the year before today's (the last
// complete one, which statistics report).
func (sf *statFlags) yearOr(db *store.DB) int {
	if *sf.year != 0 {
		return *sf.year
	}
	return today(db.Now()).Year - 1
}

// runStats prints the statistics of a region: its lines with sums,
// averages and growth, the child regions, the tiers, the rankings, the
// weak villages, the shells and the moves between tiers (-show picks
// sections). -line KEY lists the collectives behind a line's figure, and
// with -c the vouchers behind one collective's.
func runStats(e *env, args []string) error {
	sf, fs := e.statFlags("report stats")
	show := fs.String("show", "", e.p.T("flag.stat_show"))
	n := fs.Int("n", 10, e.p.T("flag.stat_n"))
	line := fs.String("line", "", e.p.T("flag.stat_line"))
	cflag := fs.String("c", "", e.p.T("flag.stat_c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	u, err := report.ParseUnit(*sf.unit)
	if err != nil {
		return err
	}
	sections, err := e.sections(*show, sf.o.format)
	if err != nil {
		return err
	}
	if *cflag != "" && *line == "" {
		return jiti.ErrRequired.At("stat_line")
	}
	if *cflag == "" && *sf.region == "" {
		return jiti.ErrRequired.At("region")
	}
	db, err := e.open(&sf.o)
	if err != nil {
		return err
	}
	defer db.Close()
	year := sf.yearOr(db)
	tr := e.tr()
	if *cflag != "" {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		d, err := db.StatVouchers(e.ctx, c.ID, year, *line, false)
		if err != nil {
			return err
		}
		t := report.StatDrillTable(d, tr, u)
		label := d.Label
		if e.p.Lang() != locale.ZH {
			label = d.LabelEN
		}
		t.Meta = []string{e.p.T("cli.stat_collective", c.Name, c.Code), e.p.T("cli.stat_year", year), e.p.T("cli.stat_line", label), e.p.T(u.Key())}
		return e.outputTables(sf.o.format, *sf.out, []*report.Table{t}, d)
	}
	r, err := db.Stats(e.ctx, *sf.region, year)
	if err != nil {
		return err
	}
	meta := []string{e.p.T("cli.stat_region", r.Region.Name, r.Region.Code), e.p.T("cli.stat_year", year),
		e.p.T("cli.stat_collectives", r.Collectives), e.p.T(u.Key())}
	if len(r.New) > 0 {
		meta = append(meta, e.p.T("cli.stat_new", len(r.New)))
	}
	if *line != "" {
		f := r.Line(*line)
		if f == nil {
			return store.ErrStatLine.With(*line).At("stat_line")
		}
		label := f.Label
		if e.p.Lang() != locale.ZH {
			label = f.LabelEN
		}
		members := r.Members(*line)
		t := report.RankedTable(e.p.T(report.KeyTitleStatMembers, label), members, false, u)
		t.Meta = meta
		return e.outputTables(sf.o.format, *sf.out, []*report.Table{t}, members)
	}
	var tables []*report.Table
	for _, s := range sections {
		tables = append(tables, e.statSection(r, s, *n, u)...)
	}
	tables[0].Meta = meta
	return e.outputTables(sf.o.format, *sf.out, tables, r)
}

// sections parses -show: a comma-separated list of sections or "all". By
// default text and xlsx show all; CSV, one table a file, the lines.
func (e *env) sections(show, format string) ([]string, error) {
	if show == "" || show == "all" {
		if format == "csv" && show == "" {
			return []string{"lines"}, nil
		}
		return statSections, nil
	}
	var out []string
	for _, s := range strings.Split(show, ",") {
		s = strings.TrimSpace(s)
		found := false
		for _, k := range statSections {
			found = found || k == s
		}
		if !found {
			return nil, ErrEnum.With(s).At("show")
		}
		out = append(out, s)
	}
	return out, nil
}

// statSection returns the tables of one section of a roll-up.
func (e *env) statSection(r *report.Rollup, section string, n int, u report.Unit) []*report.Table {
	tr := e.tr()
	switch section {
	case "lines":
		return []*report.Table{report.StatLinesTable(r, e.p.Lang(), u)}
	case "regions":
		if len(r.Children) == 0 {
			return nil
		}
		return []*report.Table{report.StatRegionsTable(r, tr, u)}
	case "tiers":
		return []*report.Table{report.StatTiersTable(r, tr, u)}
	case "top":
		return []*report.Table{report.RankedTable(e.p.T(report.KeyTitleStatTop, n), report.Top(r.All, n), true, u)}
	case "bottom":
		return []*report.Table{report.RankedTable(e.p.T(report.KeyTitleStatBottom, n), report.Bottom(r.All, n), true, u)}
	case "growth":
		return []*report.Table{report.RankedTable(e.p.T(report.KeyTitleStatGrowth, n), report.Top(r.GrowthRanking(), n), true, u)}
	case "weak":
		return []*report.Table{report.RankedTable(e.p.T(report.KeyTitleStatWeak, len(r.Weak)), r.Weak, true, u)}
	case "shells":
		return []*report.Table{report.RankedTable(e.p.T(report.KeyTitleStatShells, len(r.Shells)), r.Shells, true, u)}
	case "moves":
		// Collectives whose books begin in the year have no tier a year
		// ago: they are listed as new, not as moves.
		return []*report.Table{
			report.RankedTable(e.p.T(report.KeyTitleStatUp, len(r.Up)), r.Up, true, u),
			report.RankedTable(e.p.T(report.KeyTitleStatDown, len(r.Down)), r.Down, true, u),
			report.RankedTable(e.p.T(report.KeyTitleStatNew, len(r.New)), r.New, true, u),
		}
	}
	return nil
}

// runStatTable prints the statistical table 村集体经济组织收益分配统计表 of a
// region (summed) or of one collective (-c).
func runStatTable(e *env, args []string) error {
	sf, fs := e.statFlags("report stat-table")
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	u, err := report.ParseUnit(*sf.unit)
	if err != nil {
		return err
	}
	if *cflag == "" && *sf.region == "" {
		return jiti.ErrRequired.At("region")
	}
	db, err := e.open(&sf.o)
	if err != nil {
		return err
	}
	defer db.Close()
	year := sf.yearOr(db)
	var r *report.Rollup
	var who string
	if *cflag != "" {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		if r, err = db.CollectiveStatTable(e.ctx, c.ID, year); err != nil {
			return err
		}
		who = e.p.T("cli.stat_unit", c.Name)
	} else {
		if r, err = db.StatTable(e.ctx, *sf.region, year); err != nil {
			return err
		}
		who = e.p.T("cli.stat_region", r.Region.Name, r.Region.Code)
	}
	t := report.StatTableTable(r, e.p.Lang(), u)
	t.Meta = []string{who, e.p.T("cli.stat_year", year), e.p.T("cli.stat_collectives", r.Collectives), e.p.T(u.Key())}
	return e.outputTables(sf.o.format, *sf.out, []*report.Table{t}, r)
}

// runStatsLayout prints the statistical layout that applies to a region in
// a year (JSON, a starting point for a county's own), or with -set FILE
// stores the county's own from that year on.
func runStatsLayout(e *env, args []string) error {
	var o opts
	fs := e.flags("stats layout", &o)
	region := fs.String("region", "", e.p.T("flag.region_code"))
	year := fs.Int("year", 0, e.p.T("flag.stat_year"))
	kind := fs.String("kind", store.LayoutLines, e.p.T("flag.stat_kind"))
	set := fs.String("set", "", e.p.T("flag.stat_layout_file"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *region == "" {
		return jiti.ErrRequired.At("region")
	}
	if *set == "" {
		db, err := e.open(&o)
		if err != nil {
			return err
		}
		defer db.Close()
		y := *year
		if y == 0 {
			y = today(db.Now()).Year - 1
		}
		st, err := db.StatLayout(e.ctx, *region, y, *kind)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(st)
	}
	if *year == 0 {
		return jiti.ErrRequired.At("year")
	}
	data, err := os.ReadFile(*set)
	if err != nil {
		return errFile.With(*set).Wrap(err).At("set")
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if err := db.SetStatLayout(e.ctx, by, *region, *year, *kind, data); err != nil {
			return err
		}
		e.say("cli.stat_layout_set", *region, *year)
		return nil
	})
}

// runStatsTiers prints the tiers that apply to a region in a year, or with
// -breaks (and -weak) stores the county's own from that year on.
func runStatsTiers(e *env, args []string) error {
	var o opts
	fs := e.flags("stats tiers", &o)
	region := fs.String("region", "", e.p.T("flag.region_code"))
	year := fs.Int("year", 0, e.p.T("flag.stat_year"))
	breaks := fs.String("breaks", "", e.p.T("flag.stat_breaks"))
	weak := fs.String("weak", "", e.p.T("flag.stat_weak"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *region == "" {
		return jiti.ErrRequired.At("region")
	}
	if *breaks == "" {
		if *weak != "" {
			return jiti.ErrRequired.At("breaks")
		}
		db, err := e.open(&o)
		if err != nil {
			return err
		}
		defer db.Close()
		y := *year
		if y == 0 {
			y = today(db.Now()).Year - 1
		}
		t, err := db.StatTiers(e.ctx, *region, y)
		if err != nil {
			return err
		}
		// Amounts as a person reads them, 100,000.00, so the list is not
		// split on commas.
		parts := make([]string, len(t.Breaks))
		for i, b := range t.Breaks {
			parts[i] = e.p.Money(b)
		}
		e.say("cli.stat_tiers", strings.Join(parts, " / "), t.WeakBelow)
		return nil
	}
	if *year == 0 {
		return jiti.ErrRequired.At("year")
	}
	var t report.Tiers
	for _, s := range strings.Split(*breaks, ",") {
		a, err := jiti.ParseAmount(strings.TrimSpace(s))
		if err != nil {
			return jiti.AsError(err).At("breaks")
		}
		t.Breaks = append(t.Breaks, a)
	}
	if *weak != "" {
		a, err := jiti.ParseAmount(*weak)
		if err != nil {
			return jiti.AsError(err).At("weak")
		}
		t.WeakBelow = a
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if err := db.SetStatTiers(e.ctx, by, *region, *year, t); err != nil {
			return err
		}
		e.say("cli.stat_tiers_set", *region, *year)
		return nil
	})
}

// outputTables writes tables in the chosen format: text one after
// another, CSV the first (a CSV file holds one table), xlsx one sheet each
// to the file -o, JSON v.
func (e *env) outputTables(format, out string, tables []*report.Table, v any) error {
	switch format {
	case "text", "":
		for i, t := range tables {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			if err := report.WriteText(e.stdout, t, e.tr()); err != nil {
				return err
			}
		}
		return nil
	case "csv", "json":
		return e.output(format, tables[0], v)
	case "xlsx":
		if out == "" {
			return jiti.ErrRequired.At("o")
		}
		f, err := os.Create(out)
		if err != nil {
			return errFile.With(out).Wrap(err).At("o")
		}
		defer f.Close()
		if err := sheet.WriteTables(f, tables, e.tr()); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		e.say("cli.written", out)
		return nil
	}
	return errFormat.With(format).At("format")
}

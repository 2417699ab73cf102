package cli

import (
	"fmt"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The registers' warnings (jiti warnings) and the rent benchmark the
// rent-below warning compares with (jiti benchmark set).

func runWarnings(e *env, args []string) error {
	var o opts
	fs := e.flags("warnings", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	on := fs.String("date", "", e.p.T("flag.as_of"))
	days := fs.Int("days", 90, e.p.T("flag.expiring_days"))
	months := fs.Int("idle-months", 6, e.p.T("flag.idle_months"))
	year := fs.Int("year", 0, e.p.T("flag.warnings_year"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *year != 0 && !jiti.ValidYear(*year) {
		return jiti.ErrYearSyntax.With(*year).At("year")
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	f := store.WarningFilter{Region: *region, ExpiringDays: *days, IdleMonths: *months, Today: today(db.Now())}
	switch {
	case *on != "":
		if f.Today, err = dateFlag(*on, "date", true); err != nil {
			return err
		}
	case *year != 0:
		f.Today = store.WarningsAsOf(*year, f.Today)
	}
	var c *jiti.Collective
	if *cflag != "" {
		if c, err = e.collective(db, *cflag); err != nil {
			return err
		}
		f.CollectiveID = c.ID
	}
	ws, err := db.Warnings(e.ctx, f)
	if err != nil {
		return err
	}
	contractCode := map[int64]string{}
	if cs, err := db.FindContracts(e.ctx, store.ContractFilter{CollectiveID: f.CollectiveID, Region: f.Region}); err == nil {
		for _, k := range cs {
			contractCode[k.ID] = k.Code
		}
	}
	assetCode := map[int64]string{}
	if as, err := db.FindAssets(e.ctx, store.AssetFilter{CollectiveID: f.CollectiveID, Region: f.Region, Status: register.Idle}); err == nil {
		for _, a := range as {
			assetCode[a.ID] = a.Code + " " + a.Name
		}
	}
	t := &report.Table{Title: e.p.T("cli.title.warnings"), Meta: []string{e.p.T("cli.as_of", f.Today)}, Columns: []report.Column{
		{Key: "cli.col.warning", Align: report.Left},
		{Key: "cli.col.subject", Align: report.Left}, {Key: "cli.col.days", Align: report.Right},
		{Key: "cli.col.amount", Align: report.Right, Money: true}, {Key: "cli.col.detail", Align: report.Left}}}
	counts := map[register.WarningKind]int{}
	ids := make([]int64, len(ws))
	for i, w := range ws {
		ids[i] = w.CollectiveID
		subject := ""
		switch {
		case w.ContractID != 0 && w.InstalmentNo != 0:
			subject = e.p.T("cli.subject_contract", orID(contractCode[w.ContractID], w.ContractID), w.InstalmentNo)
		case w.ContractID != 0:
			subject = e.p.T("cli.subject_contract_only", orID(contractCode[w.ContractID], w.ContractID))
		case w.AssetID != 0:
			subject = e.p.T("cli.subject_asset", orID(assetCode[w.AssetID], w.AssetID))
		}
		amount := ""
		if w.Amount != 0 {
			amount = w.Amount.String()
		}
		days := ""
		if w.Days != 0 {
			days = strconv.Itoa(w.Days)
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{e.p.T("warning." + string(w.Kind)), subject, days, amount, w.Detail}})
		counts[w.Kind]++
	}
	kinds := []register.WarningKind{register.WarnArrears, register.WarnExpiring, register.WarnNoAwardRef,
		register.WarnNoResolution, register.WarnRentBelow, register.WarnIdleTooLong, register.WarnNoDisclosure}
	for _, k := range kinds {
		if counts[k] > 0 {
			t.Meta = append(t.Meta, e.p.T("cli.warning_count", e.p.T("warning."+string(k)), counts[k]))
		}
	}
	if c != nil {
		t.Meta = append([]string{e.collectiveMeta(c)}, t.Meta...)
	} else if err := e.collectiveColumns(db, t, ids); err != nil {
		return err
	}
	if o.format == "json" {
		v, err := e.warningsJSON(db, ws)
		if err != nil {
			return err
		}
		return e.output(o.format, t, v)
	}
	if c != nil {
		return e.output(o.format, t, nil)
	}
	if err := e.output(o.format, t, nil); err != nil {
		return err
	}
	// Summed upward: the warnings of each township, then the whole.
	towns, err := e.townships(db, *region)
	if err != nil {
		return err
	}
	st := &report.Table{Title: e.p.T("cli.title.warnings_by_township"), Columns: []report.Column{{Key: "cli.col.township", Align: report.Left}}}
	for _, k := range kinds {
		st.Columns = append(st.Columns, report.Column{Key: "warning." + string(k), Align: report.Right})
	}
	byTown := map[string]map[register.WarningKind]int{}
	for _, w := range ws {
		code := towns.of[w.CollectiveID]
		if byTown[code] == nil {
			byTown[code] = map[register.WarningKind]int{}
		}
		byTown[code][w.Kind]++
	}
	for _, code := range towns.codes {
		row := []string{towns.names[code]}
		for _, k := range kinds {
			row = append(row, strconv.Itoa(byTown[code][k]))
		}
		st.Rows = append(st.Rows, report.TableRow{Cells: row})
	}
	total := []string{e.p.T("report.total")}
	for _, k := range kinds {
		total = append(total, strconv.Itoa(counts[k]))
	}
	st.Rows = append(st.Rows, report.TableRow{Cells: total, Bold: true})
	fmt.Fprintln(e.stdout)
	return e.output(o.format, st, nil)
}

// warningsJSON is the JSON of warnings: each with its collective's code
// and name beside its id.
func (e *env) warningsJSON(db *store.DB, ws []register.Warning) (any, error) {
	type item struct {
		register.Warning
		CollectiveCode string `json:"collective_code"`
		CollectiveName string `json:"collective_name"`
	}
	ids := make([]int64, len(ws))
	for i, w := range ws {
		ids[i] = w.CollectiveID
	}
	names, err := db.CollectiveNames(e.ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]item, len(ws))
	for i, w := range ws {
		n := names[w.CollectiveID]
		out[i] = item{w, n.Code, n.Name}
	}
	return out, nil
}

func runBenchmarkSet(e *env, args []string) error {
	var o opts
	fs := e.flags("benchmark set", &o)
	region := fs.String("region", "", e.p.T("flag.region_code"))
	year := fs.Int("year", 0, e.p.T("flag.year"))
	perMu := fs.String("rent-per-mu", "", e.p.T("flag.rent_per_mu"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	a, err := amountFlag(*perMu, "rent_per_mu")
	if err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if err := db.SetRentBenchmark(e.ctx, by, *region, *year, a); err != nil {
			return err
		}
		e.say("cli.benchmark_set", *region, *year, a.Grouped())
		return nil
	})
}

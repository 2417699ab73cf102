package cli

import (
	"fmt"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(
		command{"asset add", "cmd.asset_add", runAssetAdd},
		command{"asset list", "cmd.asset_list", runAssetList},
		command{"asset show", "cmd.asset_show", runAssetShow},
		command{"asset status", "cmd.asset_status", runAssetStatus},
		command{"asset work", "cmd.asset_work", runAssetWork},
		command{"asset dispose", "cmd.asset_dispose", runAssetDispose},
		command{"asset delete", "cmd.asset_delete", runAssetDelete},
		command{"asset revitalized", "cmd.asset_revitalized", runAssetRevitalized},
		command{"resource add", "cmd.resource_add", runResourceAdd},
		command{"resource list", "cmd.resource_list", runResourceList},
		command{"resource use", "cmd.resource_use", runResourceUse},
		command{"contract add", "cmd.contract_add", runContractAdd},
		command{"contract list", "cmd.contract_list", runContractList},
		command{"contract show", "cmd.contract_show", runContractShow},
		command{"contract sign", "cmd.contract_sign", runContractSign},
		command{"contract terminate", "cmd.contract_terminate", runContractTerminate},
		command{"contract receipt", "cmd.contract_receipt", runContractReceipt},
		command{"contract delete", "cmd.contract_delete", runContractDelete},
		command{"decision add", "cmd.decision_add", runDecisionAdd},
		command{"decision step", "cmd.decision_step", runDecisionStep},
		command{"decision list", "cmd.decision_list", runDecisionList},
		command{"decision show", "cmd.decision_show", runDecisionShow},
		command{"warnings", "cmd.warnings", runWarnings},
		command{"benchmark set", "cmd.benchmark_set", runBenchmarkSet},
		command{"period close-all", "cmd.period_close_all", runCloseAll},
	)
}

// amountFlag parses an optional amount flag, naming it in the error.
func amountFlag(s, field string) (jiti.Amount, error) {
	a, err := optionalAmount(s)
	if err != nil {
		return 0, jiti.AsError(err).At(field)
	}
	return a, nil
}

// percentFlag reads a percentage with up to two decimals ("5", "2.5") into
// basis points.
func percentFlag(s, field string) (int, error) {
	if s == "" {
		return 0, nil
	}
	a, err := jiti.ParseAmount(strings.TrimSuffix(s, "%"))
	if err != nil || a < 0 {
		return 0, ErrPercent.With(s).At(field)
	}
	return int(a), nil // an Amount counts hundredths: 2.5 is 250 basis points
}

// ErrPercent reports a percentage that is not a non-negative number with
// at most two decimals.
var ErrPercent = jiti.Errorf(jiti.Invalid, "cli.percent")

func dateFlag(s, field string, required bool) (jiti.Date, error) {
	if s == "" && !required {
		return jiti.Date{}, nil
	}
	d, err := jiti.ParseDate(s)
	if err != nil {
		return d, jiti.AsError(err).At(field)
	}
	return d, nil
}

func runAssetAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("asset add", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	var a register.Asset
	fs.StringVar(&a.Code, "code", "", e.p.T("flag.asset_code"))
	fs.StringVar(&a.Name, "name", "", e.p.T("flag.name"))
	category := fs.String("category", "", e.p.T("flag.asset_category"))
	nature := fs.String("nature", string(register.Operating), e.p.T("flag.asset_nature"))
	use := fs.String("use", string(register.ForManagement), e.p.T("flag.asset_use"))
	fs.StringVar(&a.Quantity, "quantity", "", e.p.T("flag.quantity"))
	fs.StringVar(&a.Unit, "unit", "", e.p.T("flag.unit"))
	fs.StringVar(&a.Location, "location", "", e.p.T("flag.location"))
	acquired := fs.String("acquired", "", e.p.T("flag.acquired"))
	source := fs.String("source", string(register.Purchase), e.p.T("flag.asset_source"))
	cost := fs.String("cost", "", e.p.T("flag.cost"))
	method := fs.String("method", "", e.p.T("flag.method"))
	fs.IntVar(&a.LifeMonths, "life", 0, e.p.T("flag.life_months"))
	residual := fs.String("residual", "", e.p.T("flag.residual"))
	fs.Int64Var(&a.TotalWork, "total-work", 0, e.p.T("flag.total_work"))
	fs.StringVar(&a.WorkUnit, "work-unit", "", e.p.T("flag.work_unit"))
	openingDep := fs.String("opening-dep", "", e.p.T("flag.opening_dep"))
	fs.IntVar(&a.OpeningMonths, "opening-months", 0, e.p.T("flag.opening_months"))
	fs.StringVar(&a.CostAccount, "cost-account", "", e.p.T("flag.cost_account"))
	fs.StringVar(&a.DepAccount, "dep-account", "", e.p.T("flag.dep_account"))
	fs.StringVar(&a.ExpenseAccount, "expense-account", "", e.p.T("flag.expense_account"))
	status := fs.String("status", "", e.p.T("flag.asset_status"))
	fs.StringVar(&a.Note, "note", "", e.p.T("flag.note"))
	credit := fs.String("credit", "", e.p.T("flag.credit_account"))
	voucher := fs.Int64("voucher", 0, e.p.T("flag.link_voucher"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	a.Category, a.Nature, a.Use = register.AssetCategory(*category), register.Nature(*nature), register.Use(*use)
	a.Source, a.Method, a.Status = register.Source(*source), register.Method(*method), register.Status(*status)
	var err error
	if a.AcquiredOn, err = dateFlag(*acquired, "acquired_on", true); err != nil {
		return err
	}
	if a.Cost, err = amountFlag(*cost, "cost"); err != nil {
		return err
	}
	if a.ResidualRate, err = percentFlag(*residual, "residual_rate"); err != nil {
		return err
	}
	if a.OpeningDepreciation, err = amountFlag(*openingDep, "opening_depreciation"); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		a.CollectiveID = c.ID
		out, err := db.CreateAsset(e.ctx, by, store.AssetInput{Asset: a, Credit: *credit, VoucherID: *voucher})
		if err != nil {
			return err
		}
		e.say("cli.asset_added", out.Code, out.Name)
		return nil
	})
}

func (e *env) assetTable(c *jiti.Collective, as []register.Asset, accumulated map[int64]jiti.Amount) *report.Table {
	t := &report.Table{Title: e.p.T("cli.title.assets"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left},
		{Key: "cli.col.category", Align: report.Left}, {Key: "cli.col.acquired", Align: report.Left},
		{Key: "cli.col.cost", Align: report.Right, Money: true}, {Key: "cli.col.accumulated", Align: report.Right, Money: true},
		{Key: "cli.col.state", Align: report.Left}, {Key: "cli.col.since", Align: report.Left}}}
	if c != nil {
		t.Meta = []string{e.collectiveMeta(c)}
	}
	for _, a := range as {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{a.Code, a.Name, e.p.T("asset.category." + string(a.Category)),
			a.AcquiredOn.String(), a.Cost.String(), accumulated[a.ID].String(), e.p.T("asset.status." + string(a.Status)), a.StatusSince.String()}})
	}
	return t
}

func runAssetList(e *env, args []string) error {
	var o opts
	fs := e.flags("asset list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	status := fs.String("status", "", e.p.T("flag.asset_status"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	f := store.AssetFilter{Region: *region, Status: register.Status(*status)}
	var c *jiti.Collective
	if *cflag != "" {
		if c, err = e.collective(db, *cflag); err != nil {
			return err
		}
		f.CollectiveID = c.ID
	}
	as, err := db.FindAssets(e.ctx, f)
	if err != nil {
		return err
	}
	acc := map[int64]jiti.Amount{}
	for i := range as {
		if acc[as[i].ID], err = db.AccumulatedDepreciation(e.ctx, &as[i]); err != nil {
			return err
		}
	}
	t := e.assetTable(c, as, acc)
	if c == nil {
		ids := make([]int64, len(as))
		for i, a := range as {
			ids[i] = a.CollectiveID
		}
		if err := e.collectiveColumns(db, t, ids); err != nil {
			return err
		}
	}
	return e.output(o.format, t, as)
}

// assetByCode finds an asset of collective -c by its code, or by its id.
func (e *env) assetByCode(db *store.DB, c *jiti.Collective, code string) (*register.Asset, error) {
	if a, err := db.FindAssetByCode(e.ctx, c.ID, code); err == nil {
		return a, nil
	}
	if id, err := strconv.ParseInt(code, 10, 64); err == nil {
		if a, err := db.FindAsset(e.ctx, id); err == nil && a.CollectiveID == c.ID {
			return a, nil
		}
	}
	return nil, jiti.ErrNotFound.With("asset", code).At("asset")
}

func runAssetShow(e *env, args []string) error {
	var o opts
	fs := e.flags("asset show", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("asset", "", e.p.T("flag.asset_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		a, err := e.assetByCode(db, c, *code)
		if err != nil {
			return err
		}
		h, err := db.AssetHistory(e.ctx, a.ID)
		if err != nil {
			return err
		}
		acc, err := db.AccumulatedDepreciation(e.ctx, a)
		if err != nil {
			return err
		}
		t := e.assetTable(c, []register.Asset{*a}, map[int64]jiti.Amount{a.ID: acc})
		if o.format == "json" {
			return e.output("json", t, map[string]any{"asset": a, "accumulated_depreciation": acc, "history": h})
		}
		if err := e.output(o.format, t, nil); err != nil {
			return err
		}
		ht := &report.Table{Title: e.p.T("cli.title.asset_history"), Columns: []report.Column{
			{Key: "report.col.date", Align: report.Left}, {Key: "cli.col.from", Align: report.Left},
			{Key: "cli.col.to", Align: report.Left}, {Key: "cli.col.contract", Align: report.Left}, {Key: "cli.col.note", Align: report.Left}}}
		for _, s := range h {
			from := ""
			if s.From != "" {
				from = e.p.T("asset.status." + string(s.From))
			}
			contract := ""
			if s.Contract != 0 {
				contract = "#" + strconv.FormatInt(s.Contract, 10)
				if k, err := db.FindContract(e.ctx, s.Contract); err == nil {
					contract = k.Code
				}
			}
			ht.Rows = append(ht.Rows, report.TableRow{Cells: []string{s.Date.String(), from, e.p.T("asset.status." + string(s.To)), contract, s.Note}})
		}
		fmt.Fprintln(e.stdout)
		return e.output(o.format, ht, nil)
	})
}

func runAssetStatus(e *env, args []string) error {
	var o opts
	fs := e.flags("asset status", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("asset", "", e.p.T("flag.asset_code"))
	to := fs.String("to", "", e.p.T("flag.asset_status"))
	on := fs.String("date", "", e.p.T("flag.date"))
	note := fs.String("note", "", e.p.T("flag.note"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := dateFlag(*on, "date", true)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		a, err := e.assetByCode(db, c, *code)
		if err != nil {
			return err
		}
		if err := db.ChangeAssetStatus(e.ctx, by, a.ID, register.Status(*to), d, *note); err != nil {
			return err
		}
		e.say("cli.asset_status", a.Code, e.p.T("asset.status."+*to), d)
		return nil
	})
}

func runAssetWork(e *env, args []string) error {
	var o opts
	fs := e.flags("asset work", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("asset", "", e.p.T("flag.asset_code"))
	month := fs.String("month", "", e.p.T("flag.month"))
	units := fs.Int64("units", 0, e.p.T("flag.units"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	p, err := jiti.ParsePeriod(*month)
	if err != nil {
		return jiti.AsError(err).At("month")
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		a, err := e.assetByCode(db, c, *code)
		if err != nil {
			return err
		}
		if err := db.RecordAssetWork(e.ctx, by, a.ID, p, *units); err != nil {
			return err
		}
		e.say("cli.asset_work", a.Code, p, *units)
		return nil
	})
}

func runAssetDispose(e *env, args []string) error {
	var o opts
	fs := e.flags("asset dispose", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("asset", "", e.p.T("flag.asset_code"))
	on := fs.String("date", "", e.p.T("flag.date"))
	proceeds := fs.String("proceeds", "", e.p.T("flag.proceeds"))
	proceedsAccount := fs.String("proceeds-account", "", e.p.T("flag.proceeds_account"))
	costs := fs.String("costs", "", e.p.T("flag.disposal_costs"))
	costsAccount := fs.String("costs-account", "", e.p.T("flag.costs_account"))
	reason := fs.String("reason", "", e.p.T("flag.reason"))
	decision := fs.String("decision", "", e.p.T("flag.decision_number"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d := store.Disposal{ProceedsAccount: *proceedsAccount, CostsAccount: *costsAccount, Reason: *reason, Decision: *decision}
	var err error
	if d.Date, err = dateFlag(*on, "date", true); err != nil {
		return err
	}
	if d.Proceeds, err = amountFlag(*proceeds, "proceeds"); err != nil {
		return err
	}
	if d.Costs, err = amountFlag(*costs, "costs"); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		a, err := e.assetByCode(db, c, *code)
		if err != nil {
			return err
		}
		v, err := db.DisposeAsset(e.ctx, by, a.ID, d)
		if err != nil {
			return err
		}
		e.say("cli.asset_disposed", a.Code, v.ID, e.voucherLabel(v))
		return nil
	})
}

func runAssetRevitalized(e *env, args []string) error {
	var o opts
	fs := e.flags("asset revitalized", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	year := fs.Int("year", 0, e.p.T("flag.latest_year"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	var cid int64
	books := *region // whose books give the default year
	if *cflag != "" {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		cid, books = c.ID, c.RegionCode
	}
	if *year == 0 {
		// The latest year with posted books, as the pages open on.
		*year = today(db.Now()).Year
		if years, err := db.StatYears(e.ctx, books); err != nil {
			return err
		} else if len(years) > 0 {
			*year = years[0]
		}
	}
	list, err := db.RevitalizedAssets(e.ctx, *region, cid, *year)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.revitalized", *year), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left},
		{Key: "cli.col.name", Align: report.Left}, {Key: "cli.col.state", Align: report.Left},
		{Key: "cli.col.since", Align: report.Left}, {Key: "cli.col.income", Align: report.Right, Money: true}}}
	var total jiti.Amount
	ids := make([]int64, len(list))
	for i, ai := range list {
		a := ai.Asset
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{a.Code, a.Name,
			e.p.T("asset.status." + string(a.Status)), a.StatusSince.String(), ai.Income.String()}})
		total += ai.Income
		ids[i] = a.CollectiveID
	}
	t.Rows = append(t.Rows, report.TableRow{Cells: []string{e.p.T("report.total"), strconv.Itoa(len(list)), "", "", total.String()}, Bold: true})
	if err := e.collectiveColumns(db, t, ids); err != nil {
		return err
	}
	if o.format == "json" {
		v, err := e.revitalizedJSON(db, list)
		if err != nil {
			return err
		}
		return e.output(o.format, t, v)
	}
	if cid != 0 {
		return e.output(o.format, t, nil)
	}
	if err := e.output(o.format, t, nil); err != nil {
		return err
	}
	towns, err := e.townships(db, *region)
	if err != nil {
		return err
	}
	count, income := map[string]int{}, map[string]jiti.Amount{}
	for _, ai := range list {
		code := towns.of[ai.Asset.CollectiveID]
		count[code]++
		income[code] += ai.Income
	}
	st := &report.Table{Title: e.p.T("cli.title.revitalized_by_township", *year), Columns: []report.Column{
		{Key: "cli.col.township", Align: report.Left}, {Key: "cli.col.assets", Align: report.Right},
		{Key: "cli.col.income", Align: report.Right, Money: true}}}
	for _, code := range towns.codes {
		st.Rows = append(st.Rows, report.TableRow{Cells: []string{towns.names[code], strconv.Itoa(count[code]), income[code].String()}})
	}
	st.Rows = append(st.Rows, report.TableRow{Cells: []string{e.p.T("report.total"), strconv.Itoa(len(list)), total.String()}, Bold: true})
	fmt.Fprintln(e.stdout)
	return e.output(o.format, st, nil)
}

// revitalizedJSON is the JSON of asset revitalized: each asset with its
// collective's code and name beside its id.
func (e *env) revitalizedJSON(db *store.DB, list []store.AssetIncome) (any, error) {
	type item struct {
		store.AssetIncome
		CollectiveCode string `json:"collective_code"`
		CollectiveName string `json:"collective_name"`
	}
	ids := make([]int64, len(list))
	for i, ai := range list {
		ids[i] = ai.Asset.CollectiveID
	}
	names, err := db.CollectiveNames(e.ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]item, len(list))
	for i, ai := range list {
		n := names[ai.Asset.CollectiveID]
		out[i] = item{ai, n.Code, n.Name}
	}
	return out, nil
}

func runResourceAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("resource add", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	var r register.Resource
	fs.StringVar(&r.Code, "code", "", e.p.T("flag.resource_code"))
	fs.StringVar(&r.Name, "name", "", e.p.T("flag.name"))
	kind := fs.String("kind", "", e.p.T("flag.land_kind"))
	area := fs.String("area", "", e.p.T("flag.area"))
	fs.StringVar(&r.Location, "location", "", e.p.T("flag.location"))
	fs.StringVar(&r.Boundaries, "boundaries", "", e.p.T("flag.boundaries"))
	use := fs.String("use", string(register.CollectiveOperated), e.p.T("flag.resource_use"))
	since := fs.String("since", "", e.p.T("flag.since"))
	fs.StringVar(&r.Note, "note", "", e.p.T("flag.note"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	r.Kind, r.Use = register.LandKind(*kind), register.ResourceUse(*use)
	var err error
	if r.Area, err = register.ParseArea(*area); err != nil {
		return jiti.AsError(err).At("area")
	}
	if r.UseSince, err = dateFlag(*since, "use_since", false); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		r.CollectiveID = c.ID
		if r.UseSince.IsZero() {
			r.UseSince = c.BooksOpenedOn
		}
		out, err := db.CreateResource(e.ctx, by, r)
		if err != nil {
			return err
		}
		e.say("cli.resource_added", out.Code, out.Name, out.Area)
		return nil
	})
}

func runResourceList(e *env, args []string) error {
	var o opts
	fs := e.flags("resource list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	f := store.ResourceFilter{Region: *region}
	var c *jiti.Collective
	if *cflag != "" {
		if c, err = e.collective(db, *cflag); err != nil {
			return err
		}
		f.CollectiveID = c.ID
	}
	rs, err := db.FindResources(e.ctx, f)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.resources"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left},
		{Key: "cli.col.kind", Align: report.Left}, {Key: "cli.col.area", Align: report.Right},
		{Key: "cli.col.use", Align: report.Left}, {Key: "cli.col.since", Align: report.Left}, {Key: "cli.col.location", Align: report.Left}}}
	var total register.Area
	for _, r := range rs {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{r.Code, r.Name, e.p.T("resource.kind." + string(r.Kind)), r.Area.String(),
			e.p.T("resource.use." + string(r.Use)), r.UseSince.String(), r.Location}})
		total += r.Area
	}
	t.Rows = append(t.Rows, report.TableRow{Cells: []string{e.p.T("report.total"), "", "", total.String(), "", "", ""}, Bold: true})
	if c != nil {
		t.Meta = []string{e.collectiveMeta(c)}
	} else {
		ids := make([]int64, len(rs))
		for i, r := range rs {
			ids[i] = r.CollectiveID
		}
		if err := e.collectiveColumns(db, t, ids); err != nil {
			return err
		}
	}
	return e.output(o.format, t, rs)
}

func runResourceUse(e *env, args []string) error {
	var o opts
	fs := e.flags("resource use", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("resource", "", e.p.T("flag.resource_code"))
	use := fs.String("use", "", e.p.T("flag.resource_use"))
	on := fs.String("date", "", e.p.T("flag.date"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := dateFlag(*on, "date", true)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		r, err := db.FindResourceByCode(e.ctx, c.ID, *code)
		if err != nil {
			return jiti.AsError(err).At("resource")
		}
		if err := db.ChangeResourceUse(e.ctx, by, r.ID, register.ResourceUse(*use), d); err != nil {
			return err
		}
		e.say("cli.resource_use", r.Code, e.p.T("resource.use."+*use), d)
		return nil
	})
}

// listFlags collects repeated flags.
type listFlags []string

func (l *listFlags) String() string     { return strings.Join(*l, ",") }
func (l *listFlags) Set(s string) error { *l = append(*l, s); return nil }

func runContractAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("contract add", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	var c register.Contract
	fs.StringVar(&c.Code, "code", "", e.p.T("flag.contract_code"))
	fs.StringVar(&c.Name, "name", "", e.p.T("flag.name"))
	kind := fs.String("kind", string(register.Lease), e.p.T("flag.contract_kind"))
	partyKind := fs.String("party-kind", string(register.Person), e.p.T("flag.party_kind"))
	fs.StringVar(&c.Party.Name, "party", "", e.p.T("flag.party"))
	idNumber := fs.String("id-number", "", e.p.T("flag.id_number"))
	fs.StringVar(&c.Party.USCC, "uscc", "", e.p.T("flag.uscc"))
	fs.StringVar(&c.Party.Phone, "phone", "", e.p.T("flag.phone"))
	var assets, resources listFlags
	fs.Var(&assets, "asset", e.p.T("flag.contract_asset"))
	fs.Var(&resources, "resource", e.p.T("flag.contract_resource"))
	start := fs.String("start", "", e.p.T("flag.start"))
	end := fs.String("end", "", e.p.T("flag.end"))
	amount := fs.String("amount", "", e.p.T("flag.contract_amount"))
	frequency := fs.String("frequency", string(register.Yearly), e.p.T("flag.frequency"))
	escalation := fs.String("escalation", "", e.p.T("flag.escalation"))
	deposit := fs.String("deposit", "", e.p.T("flag.deposit"))
	fs.BoolVar(&c.Accrue, "accrue", false, e.p.T("flag.accrue"))
	fs.StringVar(&c.IncomeAccount, "income-account", "", e.p.T("flag.income_account"))
	award := fs.String("award", string(register.Negotiation), e.p.T("flag.award"))
	fs.StringVar(&c.AwardRef, "award-ref", "", e.p.T("flag.award_ref"))
	fs.StringVar(&c.ResolutionRef, "resolution", "", e.p.T("flag.resolution"))
	fs.StringVar(&c.Note, "note", "", e.p.T("flag.note"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	c.Kind, c.Party.Kind, c.Frequency, c.Award = register.ContractKind(*kind), register.PartyKind(*partyKind),
		register.Frequency(*frequency), register.Award(*award)
	var err error
	if *idNumber != "" {
		if c.Party.IDNumber, err = jiti.NewIDNumber(*idNumber); err != nil {
			return jiti.AsError(err).At("party.id_number")
		}
	}
	if c.Start, err = dateFlag(*start, "start", true); err != nil {
		return err
	}
	if c.End, err = dateFlag(*end, "end", true); err != nil {
		return err
	}
	if c.Amount, err = amountFlag(*amount, "amount"); err != nil {
		return err
	}
	if c.Deposit, err = amountFlag(*deposit, "deposit"); err != nil {
		return err
	}
	if c.Escalation, err = percentFlag(*escalation, "escalation"); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, col *jiti.Collective) error {
		c.CollectiveID = col.ID
		for _, code := range assets {
			a, err := e.assetByCode(db, col, code)
			if err != nil {
				return err
			}
			c.Subjects = append(c.Subjects, register.Subject{AssetID: a.ID})
		}
		for _, spec := range resources {
			code, areaText, _ := strings.Cut(spec, ":")
			r, err := db.FindResourceByCode(e.ctx, col.ID, code)
			if err != nil {
				return jiti.AsError(err).At("resource")
			}
			s := register.Subject{ResourceID: r.ID}
			if areaText != "" {
				if s.Area, err = register.ParseArea(areaText); err != nil {
					return jiti.AsError(err).At("resource")
				}
			}
			c.Subjects = append(c.Subjects, s)
		}
		out, err := db.CreateContract(e.ctx, by, store.ContractInput{Contract: c})
		if err != nil {
			return err
		}
		e.say("cli.contract_added", out.Code, out.Name)
		return nil
	})
}

func (e *env) contractByCode(db *store.DB, c *jiti.Collective, code string) (*register.Contract, error) {
	k, err := db.FindContractByCode(e.ctx, c.ID, code)
	if err != nil {
		return nil, jiti.ErrNotFound.With("contract", code).At("contract")
	}
	return k, nil
}

func runContractList(e *env, args []string) error {
	var o opts
	fs := e.flags("contract list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	status := fs.String("status", "", e.p.T("flag.contract_status"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	f := store.ContractFilter{Region: *region, Status: register.ContractStatus(*status)}
	var col *jiti.Collective
	if *cflag != "" {
		if col, err = e.collective(db, *cflag); err != nil {
			return err
		}
		f.CollectiveID = col.ID
	}
	cs, err := db.FindContracts(e.ctx, f)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.contracts"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left},
		{Key: "cli.col.kind", Align: report.Left}, {Key: "cli.col.party", Align: report.Left},
		{Key: "cli.col.term", Align: report.Left}, {Key: "cli.col.amount", Align: report.Right, Money: true},
		{Key: "cli.col.status", Align: report.Left}}}
	for _, c := range cs {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{c.Code, c.Name, e.p.T("contract.kind." + string(c.Kind)), partyText(c.Party),
			c.Start.String() + " ~ " + c.End.String(), c.Amount.String(), e.p.T("contract.status." + string(c.Status))}})
	}
	if col != nil {
		t.Meta = []string{e.collectiveMeta(col)}
	} else {
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.CollectiveID
		}
		if err := e.collectiveColumns(db, t, ids); err != nil {
			return err
		}
	}
	return e.output(o.format, t, cs)
}

// partyText shows a counterparty with its identity number masked.
func partyText(p register.Party) string {
	if !p.IDNumber.IsZero() {
		return p.Name + " " + p.IDNumber.String()
	}
	return p.Name
}

func runContractShow(e *env, args []string) error {
	var o opts
	fs := e.flags("contract show", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("contract", "", e.p.T("flag.contract_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		k, err := e.contractByCode(db, c, *code)
		if err != nil {
			return err
		}
		insts, err := db.Instalments(e.ctx, k.ID)
		if err != nil {
			return err
		}
		receipts, err := db.Receipts(e.ctx, k.ID)
		if err != nil {
			return err
		}
		if o.format == "json" {
			return e.output("json", nil, map[string]any{"contract": k, "instalments": insts, "receipts": receipts})
		}
		t := &report.Table{Title: e.p.T("cli.title.contract", k.Code, k.Name), Meta: []string{
			e.p.T("cli.contract_meta", e.p.T("contract.kind."+string(k.Kind)), partyText(k.Party), k.Start, k.End,
				k.Amount.Grouped(), e.p.T("contract.status."+string(k.Status)))},
			Columns: []report.Column{{Key: "cli.col.no", Align: report.Right}, {Key: "cli.col.due", Align: report.Left},
				{Key: "cli.col.covers", Align: report.Left}, {Key: "cli.col.amount", Align: report.Right, Money: true},
				{Key: "cli.col.received", Align: report.Right, Money: true}, {Key: "cli.col.outstanding", Align: report.Right, Money: true}}}
		for _, in := range insts {
			t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.Itoa(in.No), in.DueOn.String(), in.From.String() + " ~ " + in.To.String(),
				in.Amount.String(), in.Received.String(), in.Outstanding().String()}})
		}
		return e.output(o.format, t, nil)
	})
}

func runContractSign(e *env, args []string) error {
	var o opts
	fs := e.flags("contract sign", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("contract", "", e.p.T("flag.contract_code"))
	on := fs.String("date", "", e.p.T("flag.date"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := dateFlag(*on, "date", true)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		k, err := e.contractByCode(db, c, *code)
		if err != nil {
			return err
		}
		if err := db.SignContract(e.ctx, by, k.ID, d); err != nil {
			return err
		}
		e.say("cli.contract_signed", k.Code, d)
		return nil
	})
}

func runContractTerminate(e *env, args []string) error {
	var o opts
	fs := e.flags("contract terminate", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("contract", "", e.p.T("flag.contract_code"))
	on := fs.String("date", "", e.p.T("flag.date"))
	reason := fs.String("reason", "", e.p.T("flag.reason"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := dateFlag(*on, "date", true)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		k, err := e.contractByCode(db, c, *code)
		if err != nil {
			return err
		}
		if err := db.TerminateContract(e.ctx, by, k.ID, d, *reason); err != nil {
			return err
		}
		e.say("cli.contract_terminated", k.Code, d)
		return nil
	})
}

func runContractReceipt(e *env, args []string) error {
	var o opts
	fs := e.flags("contract receipt", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("contract", "", e.p.T("flag.contract_code"))
	var in store.ReceiptInput
	on := fs.String("date", "", e.p.T("flag.date"))
	amount := fs.String("amount", "", e.p.T("flag.receipt_amount"))
	fs.StringVar(&in.Account, "account", "", e.p.T("flag.receipt_account"))
	fs.BoolVar(&in.Advance, "advance", false, e.p.T("flag.advance"))
	fs.BoolVar(&in.Over, "over", false, e.p.T("flag.over"))
	fs.StringVar(&in.DeferredAccount, "deferred-account", "", e.p.T("flag.deferred_account"))
	fs.StringVar(&in.ReceivableAccount, "receivable-account", "", e.p.T("flag.receivable_account"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	var err error
	if in.Date, err = dateFlag(*on, "date", true); err != nil {
		return err
	}
	if in.Amount, err = amountFlag(*amount, "amount"); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		k, err := e.contractByCode(db, c, *code)
		if err != nil {
			return err
		}
		r, err := db.RecordReceipt(e.ctx, by, k.ID, in)
		if err != nil {
			return err
		}
		e.say("cli.receipt_recorded", k.Code, r.Amount.Grouped(), r.VoucherID)
		return nil
	})
}

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
		register.WarnNoResolution, register.WarnRentBelow, register.WarnIdleTooLong}
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

// runCloseAll closes a month for every collective of a region the user
// keeps the books of, with their depreciation and contract steps.
func runCloseAll(e *env, args []string) error {
	var o opts
	fs := e.flags("period close-all", &o)
	region := fs.String("region", "", e.p.T("flag.region_code"))
	month := fs.String("month", "", e.p.T("flag.month"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	p, err := jiti.ParsePeriod(*month)
	if err != nil {
		return jiti.AsError(err).At("month")
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		res, err := db.CloseMonths(e.ctx, by, *region, p)
		if err != nil {
			return err
		}
		closed := 0
		for _, r := range res {
			if r.Closed {
				closed++
				continue
			}
			fmt.Fprintln(e.stderr, r.Code+": "+e.p.Error(r.Err))
		}
		e.say("cli.closed_all", p, closed, len(res))
		return nil
	})
}

func runAssetDelete(e *env, args []string) error {
	var o opts
	fs := e.flags("asset delete", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("asset", "", e.p.T("flag.asset_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		a, err := e.assetByCode(db, c, *code)
		if err != nil {
			return err
		}
		if err := db.DeleteAsset(e.ctx, by, a.ID); err != nil {
			return err
		}
		e.say("cli.asset_deleted", a.Code)
		return nil
	})
}

func runContractDelete(e *env, args []string) error {
	var o opts
	fs := e.flags("contract delete", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("contract", "", e.p.T("flag.contract_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		k, err := e.contractByCode(db, c, *code)
		if err != nil {
			return err
		}
		if err := db.DeleteContract(e.ctx, by, k.ID); err != nil {
			return err
		}
		e.say("cli.contract_deleted", k.Code)
		return nil
	})
}

// collectiveColumns puts the code and name of each row's collective before
// a list's columns, row i being of collective ids[i]: people know a
// collective by its code and name, never by the database's id. Rows past
// ids (the totals) keep their label in the first column.
func (e *env) collectiveColumns(db *store.DB, t *report.Table, ids []int64) error {
	names, err := db.CollectiveNames(e.ctx, ids)
	if err != nil {
		return err
	}
	t.Columns = append([]report.Column{{Key: "cli.col.collective_code", Align: report.Left},
		{Key: "cli.col.collective_name", Align: report.Left}}, t.Columns...)
	for i := range t.Rows {
		cells := t.Rows[i].Cells
		switch {
		case i < len(ids):
			n := names[ids[i]]
			cells = append([]string{n.Code, n.Name}, cells...)
		case len(cells) > 0:
			cells = append([]string{cells[0], "", ""}, cells[1:]...)
		}
		t.Rows[i].Cells = cells
	}
	return nil
}

// collectiveMeta names the one collective a list is of, above it.
func (e *env) collectiveMeta(c *jiti.Collective) string {
	return e.p.T("cli.stat_collective", c.Name, c.Code)
}

// townshipIndex maps collectives to the townships of a region.
type townshipIndex struct {
	of    map[int64]string  // collective id → township code
	names map[string]string // township code → name
	codes []string          // township codes in order
}

// townships indexes the collectives of a region by township, for sums
// upward: village → township → the region.
func (e *env) townships(db *store.DB, region string) (*townshipIndex, error) {
	cs, err := db.FindCollectives(e.ctx, region)
	if err != nil {
		return nil, err
	}
	rs, err := db.FindRegions(e.ctx, region, 0)
	if err != nil {
		return nil, err
	}
	ix := &townshipIndex{of: map[int64]string{}, names: map[string]string{}}
	for _, r := range rs {
		if r.Level == jiti.Township {
			ix.names[r.Code] = r.Name
			ix.codes = append(ix.codes, r.Code)
		}
	}
	for _, c := range cs {
		code := c.RegionCode
		if len(code) > 9 {
			code = code[:9]
		}
		ix.of[c.ID] = code
		if _, ok := ix.names[code]; !ok {
			ix.names[code] = code
			ix.codes = append(ix.codes, code)
		}
	}
	return ix, nil
}

// orID shows a record by its code, or by its id when the code is unknown.
func orID(code string, id int64) string {
	if code != "" {
		return code
	}
	return "#" + strconv.FormatInt(id, 10)
}

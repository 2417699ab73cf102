package cli

import (
	"fmt"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// The asset register's commands (jiti asset …) and its import sheet.

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

// assetTable is the asset register of as (report.AssetTable), headed by
// the collective c when it is of one.
func (e *env) assetTable(c *jiti.Collective, as []register.Asset, accumulated map[int64]jiti.Amount) *report.Table {
	t := report.AssetTable(as, accumulated, e.tr())
	if c != nil {
		t.Meta = []string{e.collectiveMeta(c)}
	}
	return t
}

func runAssetList(e *env, args []string) error {
	var o opts
	fs := e.flags("asset list", &o)
	e.outFlag(fs)
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
		ids := collectiveIDs(as, func(x register.Asset) int64 { return x.CollectiveID })
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
		t.Rows = t.Rows[:1] // one asset: its line of the register, without the totals
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

var assetSheet = &registerSheet{
	name:  "assets",
	title: "cli.sheet.assets",
	fields: []sheet.Field{
		{Name: "code", Aliases: []string{"资产编号", "编号", "code"}, Required: true},
		{Name: "name", Aliases: []string{"资产名称", "名称", "name"}, Required: true},
		{Name: "category", Aliases: []string{"类别", "资产类别", "category"}, Required: true},
		{Name: "nature", Aliases: []string{"性质", "经营性质", "nature"}},
		{Name: "use", Aliases: []string{"用途", "use"}},
		{Name: "quantity", Aliases: []string{"数量", "quantity"}},
		{Name: "unit", Aliases: []string{"单位", "计量单位", "unit"}},
		{Name: "location", Aliases: []string{"坐落", "坐落位置", "location"}},
		{Name: "acquired_on", Aliases: []string{"取得日期", "购建日期", "acquired_on"}, Required: true},
		{Name: "source", Aliases: []string{"来源", "取得方式", "source"}},
		{Name: "cost", Aliases: []string{"原值", "cost"}, Required: true},
		{Name: "method", Aliases: []string{"折旧方法", "method"}},
		{Name: "life_months", Aliases: []string{"使用年限（月）", "使用年限", "life_months"}},
		{Name: "residual_rate", Aliases: []string{"残值率（%）", "残值率", "residual_rate"}},
		{Name: "total_work", Aliases: []string{"总工作量", "total_work"}},
		{Name: "work_unit", Aliases: []string{"工作量单位", "work_unit"}},
		{Name: "opening_depreciation", Aliases: []string{"已提折旧", "opening_depreciation"}},
		{Name: "opening_months", Aliases: []string{"已提月数", "opening_months"}},
		{Name: "cost_account", Aliases: []string{"原值科目", "cost_account"}},
		{Name: "dep_account", Aliases: []string{"折旧科目", "dep_account"}},
		{Name: "expense_account", Aliases: []string{"费用科目", "expense_account"}},
		{Name: "status", Aliases: []string{"状态", "status"}},
		{Name: "status_since", Aliases: []string{"状态日期", "status_since"}},
		{Name: "credit", Aliases: []string{"贷方科目", "credit"}},
		{Name: "note", Aliases: []string{"备注", "note"}},
	},
	example: []string{"ZC-2025-001", "原村小学校舍", "房屋及建筑物", "经营性", "management", "12", "间", "村委会东侧", "2010-06-01",
		"existing", "300000.00", "年限平均法", "480", "5", "", "", "60000.00", "174", "151", "152", "513", "闲置", "2024-09-01", "", "学校撤并后闲置"},
	read: func(e *env, db *store.DB, c *jiti.Collective, h *sheet.Header, row sheet.Row) (any, error) {
		var errs sheet.Limit
		bad := func(field string, err error) { errs.Add(h.CellError(row, field, err)) }
		a := register.Asset{CollectiveID: c.ID, Code: h.Get(row, "code"), Name: h.Get(row, "name"), Quantity: h.Get(row, "quantity"),
			Unit: h.Get(row, "unit"), Location: h.Get(row, "location"), WorkUnit: h.Get(row, "work_unit"),
			CostAccount: h.Get(row, "cost_account"), DepAccount: h.Get(row, "dep_account"), ExpenseAccount: h.Get(row, "expense_account"),
			Note: h.Get(row, "note")}
		var ok bool
		if a.Category, ok = enum(h.Get(row, "category"), "asset.category.", register.AssetCategories, ""); !ok {
			bad("category", ErrEnum.With(h.Get(row, "category")))
		}
		if a.Nature, ok = enum(h.Get(row, "nature"), "asset.nature.", []register.Nature{register.Operating, register.NonOperating}, register.Operating); !ok {
			bad("nature", ErrEnum.With(h.Get(row, "nature")))
		}
		if a.Use, ok = enum(h.Get(row, "use"), "asset.use.", []register.Use{register.ForProduction, register.ForManagement, register.ForWelfare}, register.ForManagement); !ok {
			bad("use", ErrEnum.With(h.Get(row, "use")))
		}
		if a.Source, ok = enum(h.Get(row, "source"), "asset.source.", []register.Source{register.Purchase, register.Construction,
			register.FiscalProject, register.Donation, register.TransferIn, register.Existing}, register.Existing); !ok {
			bad("source", ErrEnum.With(h.Get(row, "source")))
		}
		if a.Method, ok = enum(h.Get(row, "method"), "asset.method.", []register.Method{register.StraightLine, register.UnitsOfWork, register.NoDepreciation}, ""); !ok {
			bad("method", ErrEnum.With(h.Get(row, "method")))
		}
		if a.Status, ok = enum(h.Get(row, "status"), "asset.status.", []register.Status{register.InUse, register.SelfOperated,
			register.LeasedOut, register.Invested, register.Cooperating, register.Idle}, ""); !ok {
			bad("status", ErrEnum.With(h.Get(row, "status")))
		}
		var err error
		if a.AcquiredOn, err = jiti.ParseDate(h.Get(row, "acquired_on")); err != nil {
			bad("acquired_on", err)
		}
		if s := h.Get(row, "status_since"); s != "" {
			if a.StatusSince, err = jiti.ParseDate(s); err != nil {
				bad("status_since", err)
			}
		}
		if a.Cost, err = sheet.Amount(h.Get(row, "cost")); err != nil {
			bad("cost", err)
		}
		if a.OpeningDepreciation, err = sheet.OptionalAmount(h.Get(row, "opening_depreciation")); err != nil {
			bad("opening_depreciation", err)
		}
		if a.ResidualRate, err = percentFlag(h.Get(row, "residual_rate"), ""); err != nil {
			bad("residual_rate", err)
		}
		for _, f := range []struct {
			name string
			to   *int
		}{{"life_months", &a.LifeMonths}, {"opening_months", &a.OpeningMonths}} {
			if s := h.Get(row, f.name); s != "" {
				if *f.to, err = sheet.Int(s); err != nil {
					bad(f.name, err)
				}
			}
		}
		if s := h.Get(row, "total_work"); s != "" {
			n, err := sheet.Int(s)
			if err != nil {
				bad("total_work", err)
			}
			a.TotalWork = int64(n)
		}
		if err := errs.Err(); err != nil {
			return nil, err
		}
		return store.AssetInput{Asset: a, Credit: h.Get(row, "credit")}, nil
	},
	create: func(e *env, db *store.DB, by jiti.UserID, items []any) error {
		ins := make([]store.AssetInput, len(items))
		for i, it := range items {
			ins[i] = it.(store.AssetInput)
		}
		return db.CreateAssets(e.ctx, by, ins)
	},
}

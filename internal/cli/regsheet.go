package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(
		command{"template", "cmd.template", runTemplate},
		command{"import assets", "cmd.import_assets", runImportRegister(assetSheet)},
		command{"import resources", "cmd.import_resources", runImportRegister(resourceSheet)},
		command{"import contracts", "cmd.import_contracts", runImportRegister(contractSheet)},
		command{"export registers", "cmd.export_registers", runExportRegisters},
	)
}

// A registerSheet is the spreadsheet form of one register: its columns
// (the first alias of each is the template's header), an example row, and
// how a row becomes the item a store batch creates.
type registerSheet struct {
	name    string // assets, resources, contracts
	title   string // catalog key of the sheet's name
	fields  []sheet.Field
	example []string
	// read turns a row into an item; errors are sheet.CellErrors.
	read func(e *env, db *store.DB, c *jiti.Collective, h *sheet.Header, row sheet.Row) (any, error)
	// create saves the items, all or none.
	create func(e *env, db *store.DB, by jiti.UserID, items []any) error
}

var sheetsByName = map[string]*registerSheet{}

func init() {
	for _, s := range []*registerSheet{assetSheet, resourceSheet, contractSheet} {
		sheetsByName[s.name] = s
	}
}

// enum reads a cell naming one of values, by its code or by its Chinese or
// English label (catalog key prefix+value), so that templates filled in
// Chinese import as well as codes.
func enum[T ~string](cell, prefix string, values []T, def T) (T, bool) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return def, true
	}
	zh, en := locale.New(locale.ZH), locale.New(locale.EN)
	for _, v := range values {
		key := prefix + string(v)
		if strings.EqualFold(cell, string(v)) || cell == zh.T(key) || strings.EqualFold(cell, en.T(key)) {
			return v, true
		}
	}
	return def, false
}

// ErrEnum reports a cell that names none of a column's values.
var ErrEnum = jiti.Errorf(jiti.Invalid, "cli.enum")

// ErrUnknownAsset and ErrUnknownResource report a contract's subject code
// that names nothing in the collective's registers; Args holds the code.
var (
	ErrUnknownAsset    = jiti.Errorf(jiti.Invalid, "cli.unknown_asset")
	ErrUnknownResource = jiti.Errorf(jiti.Invalid, "cli.unknown_resource")
)

func yesNo(cell string) bool {
	switch strings.ToLower(strings.TrimSpace(cell)) {
	case "是", "y", "yes", "true", "1", "√":
		return true
	}
	return false
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

var resourceSheet = &registerSheet{
	name:  "resources",
	title: "cli.sheet.resources",
	fields: []sheet.Field{
		{Name: "code", Aliases: []string{"资源编号", "编号", "code"}, Required: true},
		{Name: "name", Aliases: []string{"资源名称", "名称", "name"}, Required: true},
		{Name: "kind", Aliases: []string{"类型", "资源类型", "kind"}, Required: true},
		{Name: "area", Aliases: []string{"面积（亩）", "面积", "area"}, Required: true},
		{Name: "location", Aliases: []string{"坐落", "location"}},
		{Name: "boundaries", Aliases: []string{"四至", "boundaries"}},
		{Name: "use", Aliases: []string{"利用方式", "use"}},
		{Name: "use_since", Aliases: []string{"起始日期", "use_since"}},
		{Name: "note", Aliases: []string{"备注", "note"}},
	},
	example: []string{"ZY-001", "后山林地", "林地", "235.50", "三社后山", "东至沟，西至路，南至张家地，北至山脊", "集体经营", "2025-01-01", ""},
	read: func(e *env, db *store.DB, c *jiti.Collective, h *sheet.Header, row sheet.Row) (any, error) {
		var errs sheet.Limit
		bad := func(field string, err error) { errs.Add(h.CellError(row, field, err)) }
		r := register.Resource{CollectiveID: c.ID, Code: h.Get(row, "code"), Name: h.Get(row, "name"), Location: h.Get(row, "location"),
			Boundaries: h.Get(row, "boundaries"), Note: h.Get(row, "note"), UseSince: c.BooksOpenedOn}
		var ok bool
		if r.Kind, ok = enum(h.Get(row, "kind"), "resource.kind.", register.LandKinds, ""); !ok {
			bad("kind", ErrEnum.With(h.Get(row, "kind")))
		}
		if r.Use, ok = enum(h.Get(row, "use"), "resource.use.", []register.ResourceUse{register.HouseholdContracted,
			register.CollectiveOperated, register.ResourceLeased, register.ResourceIdle}, register.CollectiveOperated); !ok {
			bad("use", ErrEnum.With(h.Get(row, "use")))
		}
		var err error
		if r.Area, err = sheet.ParseNumber(h.Get(row, "area"), register.ParseArea); err != nil {
			bad("area", err)
		}
		if s := h.Get(row, "use_since"); s != "" {
			if r.UseSince, err = jiti.ParseDate(s); err != nil {
				bad("use_since", err)
			}
		}
		if err := errs.Err(); err != nil {
			return nil, err
		}
		return r, nil
	},
	create: func(e *env, db *store.DB, by jiti.UserID, items []any) error {
		rs := make([]register.Resource, len(items))
		for i, it := range items {
			rs[i] = it.(register.Resource)
		}
		return db.CreateResources(e.ctx, by, rs)
	},
}

var contractSheet = &registerSheet{
	name:  "contracts",
	title: "cli.sheet.contracts",
	fields: []sheet.Field{
		{Name: "code", Aliases: []string{"合同编号", "编号", "code"}, Required: true},
		{Name: "name", Aliases: []string{"合同名称", "名称", "name"}, Required: true},
		{Name: "kind", Aliases: []string{"类型", "合同类型", "kind"}, Required: true},
		{Name: "party", Aliases: []string{"对方", "承租方", "party"}, Required: true},
		{Name: "party_kind", Aliases: []string{"对方类型", "party_kind"}},
		{Name: "id_number", Aliases: []string{"身份证号", "id_number"}},
		{Name: "uscc", Aliases: []string{"统一社会信用代码", "uscc"}},
		{Name: "phone", Aliases: []string{"电话", "联系电话", "phone"}},
		{Name: "assets", Aliases: []string{"标的资产", "assets"}},
		{Name: "resources", Aliases: []string{"标的资源", "resources"}},
		{Name: "start", Aliases: []string{"起始日期", "start"}, Required: true},
		{Name: "end", Aliases: []string{"截止日期", "end"}, Required: true},
		{Name: "amount", Aliases: []string{"合同金额", "金额", "amount"}, Required: true},
		{Name: "frequency", Aliases: []string{"收款方式", "frequency"}},
		{Name: "escalation", Aliases: []string{"年递增率（%）", "年递增率", "escalation"}},
		{Name: "deposit", Aliases: []string{"保证金", "deposit"}},
		{Name: "accrue", Aliases: []string{"权责发生制", "accrue"}},
		{Name: "income_account", Aliases: []string{"收入科目", "income_account"}},
		{Name: "award", Aliases: []string{"发包方式", "award"}},
		{Name: "award_ref", Aliases: []string{"交易编号", "award_ref"}},
		{Name: "resolution_ref", Aliases: []string{"决议编号（四议两公开）", "决议编号", "resolution_ref"}},
		{Name: "signed_on", Aliases: []string{"签订日期", "signed_on"}},
		{Name: "note", Aliases: []string{"备注", "note"}},
	},
	example: []string{"HT-2025-001", "原村小学校舍租赁", "租赁", "会宁县某农产品公司", "unit", "", "", "0943-1234567", "ZC-2025-001", "",
		"2025-03-01", "2028-02-29", "90000.00", "按年", "0", "5000.00", "否", "50101", "open_bidding", "BY-CQJY-2025-011", "2025-02", "2025-03-01", ""},
	read: func(e *env, db *store.DB, c *jiti.Collective, h *sheet.Header, row sheet.Row) (any, error) {
		var errs sheet.Limit
		bad := func(field string, err error) { errs.Add(h.CellError(row, field, err)) }
		k := register.Contract{CollectiveID: c.ID, Code: h.Get(row, "code"), Name: h.Get(row, "name"), IncomeAccount: h.Get(row, "income_account"),
			AwardRef: h.Get(row, "award_ref"), ResolutionRef: h.Get(row, "resolution_ref"), Note: h.Get(row, "note"), Accrue: yesNo(h.Get(row, "accrue"))}
		k.Party = register.Party{Name: h.Get(row, "party"), USCC: strings.ToUpper(h.Get(row, "uscc")), Phone: h.Get(row, "phone")}
		var ok bool
		if k.Kind, ok = enum(h.Get(row, "kind"), "contract.kind.", register.ContractKinds, ""); !ok {
			bad("kind", ErrEnum.With(h.Get(row, "kind")))
		}
		if k.Party.Kind, ok = enum(h.Get(row, "party_kind"), "party.kind.", []register.PartyKind{register.Person, register.Unit}, ""); !ok {
			bad("party_kind", ErrEnum.With(h.Get(row, "party_kind")))
		}
		if k.Frequency, ok = enum(h.Get(row, "frequency"), "contract.frequency.", []register.Frequency{register.Once, register.Yearly,
			register.HalfYearly, register.Quarterly, register.Monthly}, register.Yearly); !ok {
			bad("frequency", ErrEnum.With(h.Get(row, "frequency")))
		}
		if k.Award, ok = enum(h.Get(row, "award"), "contract.award.", []register.Award{register.OpenBidding, register.Negotiation}, register.Negotiation); !ok {
			bad("award", ErrEnum.With(h.Get(row, "award")))
		}
		var err error
		if s := h.Get(row, "id_number"); s != "" {
			if k.Party.IDNumber, err = jiti.NewIDNumber(s); err != nil {
				bad("id_number", err)
			}
		}
		if k.Start, err = jiti.ParseDate(h.Get(row, "start")); err != nil {
			bad("start", err)
		}
		if k.End, err = jiti.ParseDate(h.Get(row, "end")); err != nil {
			bad("end", err)
		}
		if k.Amount, err = sheet.Amount(h.Get(row, "amount")); err != nil {
			bad("amount", err)
		}
		if k.Deposit, err = sheet.OptionalAmount(h.Get(row, "deposit")); err != nil {
			bad("deposit", err)
		}
		if k.Escalation, err = percentFlag(h.Get(row, "escalation"), ""); err != nil {
			bad("escalation", err)
		}
		for _, code := range splitList(h.Get(row, "assets")) {
			a, err := db.FindAssetByCode(e.ctx, c.ID, code)
			if err != nil {
				bad("assets", ErrUnknownAsset.With(code))
				continue
			}
			k.Subjects = append(k.Subjects, register.Subject{AssetID: a.ID})
		}
		for _, spec := range splitList(h.Get(row, "resources")) {
			code, areaText, _ := strings.Cut(spec, ":")
			r, err := db.FindResourceByCode(e.ctx, c.ID, code)
			if err != nil {
				bad("resources", ErrUnknownResource.With(code))
				continue
			}
			s := register.Subject{ResourceID: r.ID}
			if areaText != "" {
				if s.Area, err = sheet.ParseNumber(areaText, register.ParseArea); err != nil {
					bad("resources", err)
				}
			}
			k.Subjects = append(k.Subjects, s)
		}
		in := store.ContractInput{Contract: k}
		if s := h.Get(row, "signed_on"); s != "" {
			if in.SignOn, err = jiti.ParseDate(s); err != nil {
				bad("signed_on", err)
			}
		}
		if err := errs.Err(); err != nil {
			return nil, err
		}
		return in, nil
	},
	create: func(e *env, db *store.DB, by jiti.UserID, items []any) error {
		ins := make([]store.ContractInput, len(items))
		for i, it := range items {
			ins[i] = it.(store.ContractInput)
		}
		_, err := db.CreateContracts(e.ctx, by, ins)
		return err
	},
}

// splitList splits a cell listing codes by 、 , ， ; or spaces.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' '
	})
}

// runTemplate writes the import template of a register: its headers, in
// Chinese, and an example row.
func runTemplate(e *env, args []string) error {
	var o opts
	fs := e.flags("template", &o)
	out := fs.String("o", "", e.p.T("flag.output"))
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	rs, ok := sheetsByName[fs.Arg(0)]
	if !ok {
		return ErrEnum.With(fs.Arg(0)).At("register")
	}
	format := "xlsx"
	if strings.HasSuffix(strings.ToLower(*out), ".csv") {
		format = "csv"
	}
	var w io.Writer = e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	} else {
		format = "csv"
	}
	sw, err := sheet.NewWriter(w, format, e.p.T(rs.title), sheet.WithEncoding(e.encoding))
	if err != nil {
		return err
	}
	headers := make([]string, len(rs.fields))
	for i, f := range rs.fields {
		headers[i] = f.Aliases[0]
		if f.Required {
			headers[i] += "*"
		}
	}
	if err := sw.WriteHeader(headers...); err != nil {
		return err
	}
	cells := make([]any, len(rs.example))
	for i, v := range rs.example {
		cells[i] = sheet.Text(v)
	}
	if err := sw.WriteRow(cells...); err != nil {
		return err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	if *out != "" {
		e.say("cli.template_written", *out)
	}
	return nil
}

// runImportRegister loads a register from a CSV or xlsx file into one
// collective, all or none, with every error by sheet, row and column.
func runImportRegister(rs *registerSheet) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		var o opts
		fs := e.flags("import "+rs.name, &o)
		cflag := fs.String("c", "", e.p.T("flag.c"))
		if err := parse(fs, args, 1); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return jiti.ErrRequired.At("file")
		}
		return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
			var items []any
			var rows []sheet.Row
			var header *sheet.Header
			err := e.readSheet(fs.Arg(0), rs.fields, func(h *sheet.Header, row sheet.Row) error {
				header = h
				it, err := rs.read(e, db, c, h, row)
				if err != nil {
					return err
				}
				items = append(items, it)
				rows = append(rows, row)
				return nil
			})
			if err != nil {
				e.printCellErrors(err)
				return store.ErrImportInvalid.With(countErrors(err))
			}
			if err := rs.create(e, db, by, items); err != nil {
				if header == nil || jiti.KindOf(err) == jiti.Internal {
					return err
				}
				located := locateItems(err, header, rows)
				e.printCellErrors(located)
				return store.ErrImportInvalid.With(countErrors(located))
			}
			e.say("cli.register_imported", len(items), e.p.T(rs.title), c.Name)
			return nil
		})
	}
}

// printCellErrors prints errors placed in a sheet, one a line.
func (e *env) printCellErrors(err error) {
	var list []error
	switch x := err.(type) {
	case *sheet.Limit:
		for _, ce := range x.Errors {
			list = append(list, ce)
		}
	case interface{ Unwrap() []error }:
		list = x.Unwrap()
	default:
		list = []error{err}
	}
	for _, one := range list {
		if ce, ok := one.(*sheet.CellError); ok {
			fmt.Fprintln(e.stderr, e.cellError(ce))
			continue
		}
		fmt.Fprintln(e.stderr, e.p.Error(one))
	}
}

func countErrors(err error) int {
	if l, ok := err.(*sheet.Limit); ok {
		return l.Count()
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		return len(u.Unwrap())
	}
	return 1
}

// locateItems turns the "items[n].field" errors of a batch into errors at
// the rows and columns of the file the items came from.
func locateItems(err error, h *sheet.Header, rows []sheet.Row) error {
	var list []error
	if es, ok := err.(jiti.Errors); ok {
		list = es
	} else {
		list = []error{err}
	}
	var out sheet.Limit
	for _, one := range list {
		je := jiti.AsError(one)
		var n int
		if je == nil {
			out.Add(one)
			continue
		}
		if _, scanErr := fmt.Sscanf(je.Field, "items[%d]", &n); scanErr != nil || n < 1 || n > len(rows) {
			out.Add(one)
			continue
		}
		field := ""
		if i := strings.IndexByte(je.Field, '.'); i >= 0 {
			field = je.Field[i+1:]
		}
		plain := *je
		plain.Field = ""
		if !h.HasField(field) {
			plain.Field, field = field, ""
		}
		out.Add(h.CellError(rows[n-1], field, &plain))
	}
	return out.Err()
}

// runExportRegisters writes the registers of a collective or a region to
// an xlsx workbook: one sheet each for assets, resources and contracts.
func runExportRegisters(e *env, args []string) error {
	var o opts
	fs := e.flags("export registers", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	out := fs.String("o", "", e.p.T("flag.output"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return jiti.ErrRequired.At("o")
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	var cid int64
	if *cflag != "" {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		cid = c.ID
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := sheet.NewWriter(f, "xlsx", e.p.T("cli.sheet.assets"))
	if err != nil {
		return err
	}
	codes, err := e.collectiveCodes(db)
	if err != nil {
		return err
	}
	assets, err := db.FindAssets(e.ctx, store.AssetFilter{CollectiveID: cid, Region: *region})
	if err != nil {
		return err
	}
	var rows [][]any
	for i := range assets {
		a := &assets[i]
		acc, err := db.AccumulatedDepreciation(e.ctx, a)
		if err != nil {
			return err
		}
		rows = append(rows, []any{sheet.Text(codes[a.CollectiveID].Code), codes[a.CollectiveID].Name, sheet.Text(a.Code), a.Name, e.p.T("asset.category." + string(a.Category)),
			e.p.T("asset.use." + string(a.Use)), a.AcquiredOn, e.p.T("asset.source." + string(a.Source)), a.Cost, acc,
			e.p.T("asset.status." + string(a.Status)), a.StatusSince, a.Location})
	}
	if err := writeFitted(w, []string{e.p.T("cli.col.collective_code"), e.p.T("cli.col.collective_name"), "资产编号", "资产名称", "类别", "用途", "取得日期", "来源", "原值", "累计折旧", "状态", "状态日期", "坐落"}, rows); err != nil {
		return err
	}
	if err := w.NewSheet(e.p.T("cli.sheet.resources")); err != nil {
		return err
	}
	resources, err := db.FindResources(e.ctx, store.ResourceFilter{CollectiveID: cid, Region: *region})
	if err != nil {
		return err
	}
	rows = nil
	for _, r := range resources {
		rows = append(rows, []any{sheet.Text(codes[r.CollectiveID].Code), codes[r.CollectiveID].Name, sheet.Text(r.Code), r.Name, e.p.T("resource.kind." + string(r.Kind)),
			sheet.Number(r.Area.String()), e.p.T("resource.use." + string(r.Use)), r.UseSince, r.Location, r.Boundaries})
	}
	if err := writeFitted(w, []string{e.p.T("cli.col.collective_code"), e.p.T("cli.col.collective_name"), "资源编号", "资源名称", "类型", "面积（亩）", "利用方式", "起始日期", "坐落", "四至"}, rows); err != nil {
		return err
	}
	if err := w.NewSheet(e.p.T("cli.sheet.contracts")); err != nil {
		return err
	}
	contracts, err := db.FindContracts(e.ctx, store.ContractFilter{CollectiveID: cid, Region: *region})
	if err != nil {
		return err
	}
	rows = nil
	for _, k := range contracts {
		insts, err := db.Instalments(e.ctx, k.ID)
		if err != nil {
			return err
		}
		var received jiti.Amount
		for _, in := range insts {
			received += in.Received
		}
		rows = append(rows, []any{sheet.Text(codes[k.CollectiveID].Code), codes[k.CollectiveID].Name, sheet.Text(k.Code), k.Name, e.p.T("contract.kind." + string(k.Kind)),
			partyText(k.Party), k.Start, k.End, k.Amount, received, k.Amount - received, e.p.T("contract.status." + string(k.Status)),
			k.AwardRef, k.ResolutionRef})
	}
	if err := writeFitted(w, []string{e.p.T("cli.col.collective_code"), e.p.T("cli.col.collective_name"), "合同编号", "合同名称", "类型", "对方", "起始日期", "截止日期", "合同金额", "已收", "未收", "状态", "交易编号", "决议编号（四议两公开）"}, rows); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	e.say("cli.registers_exported", *out, len(assets), len(resources), len(contracts))
	return nil
}

// writeFitted writes a sheet of a register: its columns as wide as their
// contents, its header frozen above the rows.
func writeFitted(w *sheet.Writer, header []string, rows [][]any) error {
	w.SetColumnWidths(sheet.FitWidths(header, rows)...)
	if err := w.WriteHeader(header...); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.WriteRow(r...); err != nil {
			return err
		}
	}
	return nil
}

// collectiveCodes maps collective ids to their codes and names.
func (e *env) collectiveCodes(db *store.DB) (map[int64]store.RecordName, error) {
	cs, err := db.FindCollectives(e.ctx, "")
	if err != nil {
		return nil, err
	}
	out := make(map[int64]store.RecordName, len(cs))
	for _, c := range cs {
		out[c.ID] = store.RecordName{CollectiveID: c.ID, Code: c.Code, Name: c.Name}
	}
	return out, nil
}

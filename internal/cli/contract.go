package cli

import (
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// The contract register's commands (jiti contract …) and its import sheet.

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
	e.outFlag(fs)
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
	received, err := e.received(db, cs)
	if err != nil {
		return err
	}
	t := report.ContractTable(cs, received, e.tr())
	if col != nil {
		t.Meta = []string{e.collectiveMeta(col)}
	} else {
		ids := collectiveIDs(cs, func(x *register.Contract) int64 { return x.CollectiveID })
		if err := e.collectiveColumns(db, t, ids); err != nil {
			return err
		}
	}
	return e.output(o.format, t, cs)
}

// received is what was received of each contract, by id.
func (e *env) received(db *store.DB, cs []*register.Contract) (map[int64]jiti.Amount, error) {
	out := make(map[int64]jiti.Amount, len(cs))
	for _, k := range cs {
		insts, err := db.Instalments(e.ctx, k.ID)
		if err != nil {
			return nil, err
		}
		for _, in := range insts {
			out[k.ID] += in.Received
		}
	}
	return out, nil
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
			e.p.T("cli.contract_meta", e.p.T("contract.kind."+string(k.Kind)), report.PartyText(k.Party), k.Start, k.End,
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

// ErrUnknownAsset and ErrUnknownResource report a contract's subject code
// that names nothing in the collective's registers; Args holds the code.
var (
	ErrUnknownAsset    = jiti.Errorf(jiti.Invalid, "cli.unknown_asset")
	ErrUnknownResource = jiti.Errorf(jiti.Invalid, "cli.unknown_resource")
)

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

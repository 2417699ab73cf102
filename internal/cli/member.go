package cli

import (
	"flag"
	"fmt"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/web"
)

// The members' register from the command line: jiti member
// add|list|show|status|import|export and jiti household show. Imports
// and templates go through the register sheets' machinery (regsheet.go):
// `jiti template members|households` writes their templates.

func init() {
	addCommands(
		command{"member add", "cmd.member_add", runMemberAdd},
		command{"member list", "cmd.member_list", runMemberList},
		command{"member show", "cmd.member_show", runMemberShow},
		command{"member status", "cmd.member_status", runMemberStatus},
		command{"member correct", "cmd.member_correct", runMemberCorrect},
		command{"member import", "cmd.member_import", runImportRegister(memberSheet)},
		command{"member export", "cmd.member_export", runMemberExport},
		command{"household show", "cmd.household_show", runHouseholdShow},
	)
	sheetsByName[memberSheet.name] = memberSheet
	sheetsByName[householdSheet.name] = householdSheet
}

// memberSheet is the members' register as a sheet. Its columns are named
// as the store names the fields of its errors, so that an error of the
// batch lands on its cell.
var memberSheet = &registerSheet{
	name:  "members",
	title: "cli.sheet.members",
	fields: []sheet.Field{
		{Name: "code", Aliases: []string{"成员编号", "编号", "code"}, Required: true},
		{Name: "name", Aliases: []string{"姓名", "name"}, Required: true},
		{Name: "id_number", Aliases: []string{"身份证号", "公民身份号码", "id_number"}},
		{Name: "sex", Aliases: []string{"性别", "sex"}},
		{Name: "born_on", Aliases: []string{"出生日期", "born_on"}},
		{Name: "household", Aliases: []string{"户号", "户编码", "household"}},
		{Name: "relation", Aliases: []string{"与户主关系", "relation"}},
		{Name: "basis", Aliases: []string{"取得方式", "成员类别", "basis"}, Required: true},
		{Name: "confirmed_on", Aliases: []string{"确认日期", "confirmed_on"}, Required: true},
		{Name: "decision", Aliases: []string{"决议编号", "decision"}, Required: true},
	},
	example: []string{"M0001", "王建国", "620422198003120035", "男", "", "H001", "户主", "原始成员", "2016-03-01", "2016-01"},
	read: func(e *env, db *store.DB, c *jiti.Collective, h *sheet.Header, row sheet.Row) (any, error) {
		var errs sheet.Limit
		m, bad := readMember(func(f string) string { return h.Get(row, f) })
		for _, b := range bad {
			errs.Add(h.CellError(row, b.Field, b))
		}
		if err := errs.Err(); err != nil {
			return nil, err
		}
		m.CollectiveID = c.ID
		return m, nil
	},
	create: func(e *env, db *store.DB, by jiti.UserID, items []any) error {
		ms := make([]register.Member, len(items))
		for i, it := range items {
			ms[i] = it.(register.Member)
		}
		if len(ms) == 0 {
			return nil
		}
		return db.CreateMembers(e.ctx, by, ms[0].CollectiveID, ms)
	},
}

// readMember reads a member from named values (a sheet's cells, a
// command's flags): codes or their Chinese or English labels for the
// enumerations, dates as the sheets take them. Its errors carry their
// field.
func readMember(get func(field string) string) (register.Member, []*jiti.Error) {
	var bad []*jiti.Error
	m := register.Member{Code: get("code"), Name: get("name"), Household: get("household"), Decision: get("decision")}
	var ok bool
	if m.Sex, ok = enum(get("sex"), "member.sex.", register.Sexes, ""); !ok {
		bad = append(bad, ErrEnum.With(get("sex")).At("sex"))
	}
	if m.Relation, ok = enum(get("relation"), "member.relation.", register.Relations, register.RelOther); !ok {
		bad = append(bad, ErrEnum.With(get("relation")).At("relation"))
	}
	if m.Basis, ok = enum(get("basis"), "member.basis.", register.Bases, ""); !ok {
		bad = append(bad, ErrEnum.With(get("basis")).At("basis"))
	}
	if s := get("id_number"); s != "" {
		id, err := jiti.NewIDNumber(s)
		if err != nil {
			bad = append(bad, jiti.AsError(err).At("id_number"))
		}
		m.IDNumber = id
	}
	for _, d := range []struct {
		field string
		to    *jiti.Date
	}{{"born_on", &m.BornOn}, {"confirmed_on", &m.ConfirmedOn}} {
		if s := get(d.field); s != "" {
			v, err := jiti.ParseDate(s)
			if err != nil {
				bad = append(bad, jiti.AsError(err).At(d.field))
			}
			*d.to = v
		}
	}
	return m, bad
}

// householdSheet is the households as a sheet, for the template; jiti
// household import reads the same fields (householdFields).
var householdSheet = &registerSheet{
	name:    "households",
	title:   "cli.sheet.households",
	fields:  householdFields,
	example: []string{"H001", "王建国", "", "一组", "南什村一社12号"},
	read: func(e *env, db *store.DB, c *jiti.Collective, h *sheet.Header, row sheet.Row) (any, error) {
		return householdItem{c.ID, householdOf(h, row)}, nil
	},
	create: func(e *env, db *store.DB, by jiti.UserID, items []any) error {
		if len(items) == 0 {
			return nil
		}
		hs := make([]store.Household, len(items))
		for i, it := range items {
			hs[i] = it.(householdItem).h
		}
		return db.CreateHouseholds(e.ctx, by, items[0].(householdItem).cid, hs)
	},
}

// householdItem is a household read from a sheet, for its collective.
type householdItem struct {
	cid int64
	h   store.Household
}

// householdOf reads a household from a row of householdFields.
func householdOf(h *sheet.Header, row sheet.Row) store.Household {
	return store.Household{Code: h.Get(row, "code"), Name: h.Get(row, "name"), Head: h.Get(row, "head"),
		Group: h.Get(row, "group"), Address: h.Get(row, "address")}
}

func runMemberAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("member add", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	values := map[string]*string{}
	// The flags are named as the fields, so that an error names its flag.
	for _, f := range []struct{ name, usage string }{
		{"code", "flag.member_code"}, {"name", "flag.name"}, {"id_number", "flag.member_id_number"},
		{"sex", "flag.sex"}, {"born_on", "flag.born_on"}, {"household", "flag.household_code"},
		{"relation", "flag.relation"}, {"basis", "flag.basis"},
		{"confirmed_on", "flag.confirmed_on"}, {"decision", "flag.decision"},
	} {
		values[f.name] = fs.String(f.name, "", e.p.T(f.usage))
	}
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	m, bad := readMember(func(f string) string { return strings.TrimSpace(*values[f]) })
	if len(bad) > 0 {
		errs := make(jiti.Errors, len(bad))
		for i, b := range bad {
			errs[i] = b
		}
		return errs
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.CreateMembers(e.ctx, by, c.ID, []register.Member{m}); err != nil {
			return jiti.OneItem(err)
		}
		e.say("cli.member_added", m.Code, m.Name)
		return nil
	})
}

// memberFilterFlags are the flags that select members.
func (e *env) memberFilter(cid int64, query, household, status string) (store.MemberFilter, error) {
	f := store.MemberFilter{CollectiveID: cid, Query: query, Household: household}
	if status != "" {
		st, ok := enum(status, "member.status.", register.MemberStatuses, "")
		if !ok {
			return f, ErrEnum.With(status).At("status")
		}
		f.Status = st
	}
	return f, nil
}

func runMemberList(e *env, args []string) error {
	var o opts
	fs := e.flags("member list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	query := fs.String("q", "", e.p.T("flag.member_query"))
	household := fs.String("household", "", e.p.T("flag.household_code"))
	status := fs.String("status", "", e.p.T("flag.member_status"))
	e.outFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		f, err := e.memberFilter(c.ID, *query, *household, *status)
		if err != nil {
			return err
		}
		ms, err := db.FindMembers(e.ctx, f)
		if err != nil {
			return err
		}
		t := web.MembersTable(e.p.T("member.title"), ms, e.tr())
		t.Meta = []string{c.Name}
		return e.output(o.format, t, map[string]any{"collective": c.Code, "members": nonNilMembers(ms)})
	})
}

func nonNilMembers(ms []register.Member) []register.Member {
	if ms == nil {
		return []register.Member{}
	}
	return ms
}

// runMemberExport writes a collective's members' register to a file:
// xlsx, or CSV when the file's name ends in .csv. Identity numbers are
// masked, as everywhere.
func runMemberExport(e *env, args []string) error {
	var o opts
	fs := e.flags("member export", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	status := fs.String("status", "", e.p.T("flag.member_status"))
	e.outFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if e.out == "" || e.out == "-" {
		return jiti.ErrRequired.At("o")
	}
	o.format = "xlsx"
	if strings.HasSuffix(strings.ToLower(e.out), ".csv") {
		o.format = "csv"
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		f, err := e.memberFilter(c.ID, "", "", *status)
		if err != nil {
			return err
		}
		ms, err := db.FindMembers(e.ctx, f)
		if err != nil {
			return err
		}
		t := web.MembersTable(e.p.T("member.title"), ms, e.tr())
		t.Meta = []string{c.Name}
		return e.output(o.format, t, nil)
	})
}

// memberByCode finds a member of c by their member number.
func (e *env) memberByCode(db *store.DB, c *jiti.Collective, code string) (*register.Member, error) {
	if code == "" {
		return nil, jiti.ErrRequired.At("code")
	}
	m, err := db.FindMemberByCode(e.ctx, c.ID, code)
	if err != nil {
		return nil, jiti.AsError(err).At("code")
	}
	return m, nil
}

func runMemberShow(e *env, args []string) error {
	var o opts
	fs := e.flags("member show", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("code", "", e.p.T("flag.member_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		m, err := e.memberByCode(db, c, *code)
		if err != nil {
			return err
		}
		es, err := db.MemberEntries(e.ctx, m.ID)
		if err != nil {
			return err
		}
		t := web.MembersTable(e.p.T("member.title"), []register.Member{*m}, e.tr())
		t.Meta = []string{c.Name}
		if o.format == "json" {
			return e.output("json", t, map[string]any{"member": m, "history": es})
		}
		if err := e.output(o.format, t, nil); err != nil {
			return err
		}
		ht := &report.Table{Title: e.p.T("member.history"), Columns: []report.Column{
			{Key: "report.col.date", Align: report.Left}, {Key: "member.col.status", Align: report.Left},
			{Key: "member.col.reason", Align: report.Left}, {Key: "member.col.decision", Align: report.Left},
			{Key: "cli.col.note", Align: report.Left}}}
		for _, h := range es {
			reason := ""
			if h.Reason != "" {
				reason = e.p.T("member.reason." + string(h.Reason))
			}
			note := h.Note
			if len(h.Corrected) > 0 {
				note = strings.TrimSpace(note + " " + correctedText(func(k string) string { return e.p.T(k) }, h.Corrected))
			}
			ht.Rows = append(ht.Rows, report.TableRow{Cells: []string{h.On.String(), e.p.T("member.status." + string(h.Status)),
				reason, h.Decision, note}})
		}
		fmt.Fprintln(e.stdout)
		return e.output(o.format, ht, nil)
	})
}

func runMemberStatus(e *env, args []string) error {
	var o opts
	fs := e.flags("member status", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("code", "", e.p.T("flag.member_code"))
	to := fs.String("to", "", e.p.T("flag.member_status"))
	on := fs.String("date", "", e.p.T("flag.member_date"))
	reason := fs.String("reason", "", e.p.T("flag.member_reason"))
	decision := fs.String("decision", "", e.p.T("flag.decision"))
	note := fs.String("note", "", e.p.T("flag.note"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	ch := register.MemberChange{Decision: *decision, Note: *note}
	var ok bool
	var bad jiti.Errors
	if ch.To, ok = enum(*to, "member.status.", register.MemberStatuses, ""); !ok || ch.To == "" {
		bad = append(bad, ErrEnum.With(*to).At("to"))
	}
	if ch.Reason, ok = enum(*reason, "member.reason.", register.Reasons, ""); !ok {
		bad = append(bad, ErrEnum.With(*reason).At("reason"))
	}
	d, err := dateFlag(*on, "date", false)
	if err != nil {
		bad = append(bad, jiti.AsError(err))
	}
	ch.On = d
	if len(bad) > 0 {
		return bad
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		m, err := e.memberByCode(db, c, *code)
		if err != nil {
			return err
		}
		if err := db.ChangeMemberStatus(e.ctx, by, m.ID, ch); err != nil {
			return err
		}
		e.say("cli.member_status", m.Code, m.Name, e.p.T("member.status."+string(ch.To)), ch.On)
		return nil
	})
}

// runMemberCorrect corrects what was wrongly recorded of a member: the
// fields given, as one more dated entry of their history.
func runMemberCorrect(e *env, args []string) error {
	var o opts
	fs := e.flags("member correct", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("code", "", e.p.T("flag.member_code"))
	on := fs.String("date", "", e.p.T("flag.date_correction"))
	note := fs.String("note", "", e.p.T("flag.correction_note"))
	values := map[string]*string{}
	for _, f := range []struct{ name, usage string }{
		{"name", "flag.name"}, {"id_number", "flag.member_id_number"}, {"sex", "flag.sex"}, {"born_on", "flag.born_on"},
		{"household", "flag.household_code"}, {"relation", "flag.relation"}, {"basis", "flag.basis"},
	} {
		values[f.name] = fs.String(f.name, "", e.p.T(f.usage))
	}
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	m, bad := readMember(func(f string) string {
		if p, ok := values[f]; ok {
			return strings.TrimSpace(*p)
		}
		return ""
	})
	c := register.Correction{Note: *note}
	var err error
	if c.On, err = dateFlag(*on, "date", true); err != nil {
		bad = append(bad, jiti.AsError(err))
	}
	var errs jiti.Errors
	for _, b := range bad {
		if given[b.Field] || b.Field == "date" {
			errs = append(errs, b)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if given["name"] {
		c.Name = &m.Name
	}
	if given["id_number"] {
		c.IDNumber = &m.IDNumber
	}
	if given["sex"] {
		c.Sex = &m.Sex
	}
	if given["born_on"] {
		c.BornOn = &m.BornOn
	}
	if given["household"] {
		c.Household = &m.Household
	}
	if given["relation"] {
		c.Relation = &m.Relation
	}
	if given["basis"] {
		c.Basis = &m.Basis
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, col *jiti.Collective) error {
		found, err := e.memberByCode(db, col, *code)
		if err != nil {
			return err
		}
		if err := db.CorrectMember(e.ctx, by, found.ID, c); err != nil {
			return err
		}
		e.say("cli.member_corrected", found.Code, c.On)
		return nil
	})
}

// correctedText describes what a correction changed, one field a clause.
func correctedText(tr func(string) string, changed map[string][2]string) string {
	var parts []string
	for _, f := range []string{"name", "id_number", "sex", "born_on", "household", "relation", "basis"} {
		if v, ok := changed[f]; ok {
			parts = append(parts, tr("member.col."+f)+" "+v[0]+" → "+v[1])
		}
	}
	return strings.Join(parts, "; ")
}

func runHouseholdShow(e *env, args []string) error {
	var o opts
	fs := e.flags("household show", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("code", "", e.p.T("flag.household_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		h, balance, err := db.FindHousehold(e.ctx, c.ID, *code)
		if err != nil {
			return jiti.AsError(err).At("code")
		}
		ms, err := db.FindMembers(e.ctx, store.MemberFilter{CollectiveID: c.ID, Household: h.Code})
		if err != nil {
			return err
		}
		ht := web.HouseholdsTable(e.p.T("cli.title.households"), []store.Household{*h}, e.tr())
		ht.Meta = []string{c.Name, e.p.T("household.balance", balance)}
		t := web.MembersTable(e.p.T("member.title"), ms, e.tr())
		if o.format == "json" {
			return e.output("json", t, map[string]any{"household": h, "balance_113": report.Money(balance), "members": nonNilMembers(ms)})
		}
		if err := e.output(o.format, ht, nil); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout)
		return e.output(o.format, t, nil)
	})
}

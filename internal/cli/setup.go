package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/web"
)

func init() {
	addCommands(
		command{"migrate", "cmd.migrate", runMigrate},
		command{"region add", "cmd.region_add", runRegionAdd},
		command{"region list", "cmd.region_list", runRegionList},
		command{"region import", "cmd.region_import", runRegionImport},
		command{"collective add", "cmd.collective_add", runCollectiveAdd},
		command{"collective list", "cmd.collective_list", runCollectiveList},
		command{"collective import", "cmd.collective_import", runCollectiveImport},
		command{"user add", "cmd.user_add", runUserAdd},
		command{"user list", "cmd.user_list", runUserList},
		command{"user passwd", "cmd.user_passwd", runUserPasswd},
		command{"user disable", "cmd.user_disable", runUserDisable(true)},
		command{"user enable", "cmd.user_enable", runUserDisable(false)},
		command{"user sessions", "cmd.user_sessions", runUserSessions},
		command{"user token", "cmd.user_token", runUserToken},
		command{"account add", "cmd.account_add", runAccountAdd},
		command{"account list", "cmd.account_list", runAccountList},
		command{"account deactivate", "cmd.account_deactivate", runAccountActive(false)},
		command{"account activate", "cmd.account_activate", runAccountActive(true)},
		command{"account delete", "cmd.account_delete", runAccountDelete},
		command{"household add", "cmd.household_add", runHouseholdAdd},
		command{"household list", "cmd.household_list", runHouseholdList},
		command{"household import", "cmd.household_import", runHouseholdImport},
		command{"opening set", "cmd.opening_set", runOpeningSet},
		command{"opening show", "cmd.opening_show", runOpeningShow},
		command{"audit", "cmd.audit", runAudit},
	)
}

func runMigrate(e *env, args []string) error {
	var o opts
	fs := e.flags("migrate", &o)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	key, err := e.key(o.db, true)
	if err != nil {
		return err
	}
	db, err := e.openStore(o.db, store.Options{Migrate: true, Key: key}, e.unsafeDurability())
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(e.ctx)
	if err != nil {
		return err
	}
	e.say("cli.migrated", o.db, v)
	return nil
}

func runRegionAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("region add", &o)
	code := fs.String("code", "", e.p.T("flag.region_code"))
	name := fs.String("name", "", e.p.T("flag.name"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		r, err := db.CreateRegion(e.ctx, by, jiti.Region{Code: *code, Name: *name})
		if err != nil {
			return err
		}
		e.say("cli.region_added", r.Code, r.Name)
		return nil
	})
}

func runRegionList(e *env, args []string) error {
	var o opts
	fs := e.flags("region list", &o)
	under := fs.String("under", "", e.p.T("flag.under"))
	depth := fs.Int("depth", 0, e.p.T("flag.depth"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	rs, err := db.FindRegions(e.ctx, *under, *depth)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.regions"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left, Indent: true},
		{Key: "cli.col.level", Align: report.Left}}}
	base := jiti.RegionLevelOf(*under)
	for _, r := range rs {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{r.Code, r.Name, e.p.T("region.level." + r.Level.String())},
			Indent: max(0, int(r.Level-base)-1)})
	}
	return e.output(o.format, t, rs)
}

var regionFields = []sheet.Field{
	{Name: "code", Aliases: []string{"区划代码", "代码", "编码", "code"}, Required: true},
	{Name: "name", Aliases: []string{"名称", "区划名称", "name"}, Required: true},
}

// runRegionImport loads regions from a CSV or xlsx file with columns code
// and name, all or none.
func runRegionImport(e *env, args []string) error {
	var o opts
	fs := e.flags("region import", &o)
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return jiti.ErrRequired.At("file")
	}
	var rs []jiti.Region
	err := e.readSheet(fs.Arg(0), regionFields, func(h *sheet.Header, row sheet.Row) error {
		r, err := jiti.NewRegion(h.Get(row, "code"), h.Get(row, "name"))
		if err != nil {
			return h.CellError(row, jiti.FieldOf(err), err)
		}
		rs = append(rs, r)
		return nil
	})
	if err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if err := db.CreateRegions(e.ctx, by, rs); err != nil {
			return err
		}
		e.say("cli.regions_imported", len(rs))
		return nil
	})
}

// readSheet reads every data row of a CSV or xlsx file through fn, and
// returns all the rows' errors together (at most a thousand), or nil.
func (e *env) readSheet(path string, fields []sheet.Field, fn func(*sheet.Header, sheet.Row) error) error {
	r, err := sheet.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	h, err := sheet.ReadHeader(r, fields)
	if err != nil {
		return err
	}
	var errs sheet.Limit
	for {
		row, err := h.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := fn(h, row); err != nil {
			errs.Add(err)
		}
	}
	e.saySkipped(h.Skipped())
	return errs.Err()
}

// saySkipped names the sheets of an imported file that were not data.
func (e *env) saySkipped(skipped []sheet.Skipped) {
	for _, s := range skipped {
		fmt.Fprintln(e.stdout, sheet.DescribeSkipped(e.p, s))
	}
}

func (e *env) withActor(o *opts, fn func(db *store.DB, by jiti.UserID) error) error {
	db, err := e.open(o)
	if err != nil {
		return err
	}
	defer db.Close()
	by, err := e.actor(db, o)
	if err != nil {
		return err
	}
	return fn(db, by)
}

func runCollectiveAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("collective add", &o)
	var c jiti.Collective
	level := fs.String("level", string(jiti.LevelVillage), e.p.T("flag.level"))
	opened := fs.String("opened", "", e.p.T("flag.opened"))
	fs.StringVar(&c.Code, "code", "", e.p.T("flag.collective_code"))
	fs.StringVar(&c.Name, "name", "", e.p.T("flag.name"))
	fs.StringVar(&c.USCC, "uscc", "", e.p.T("flag.uscc"))
	fs.StringVar(&c.RegionCode, "region", "", e.p.T("flag.region_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	c.Level = jiti.CollectiveLevel(*level)
	d, err := jiti.ParseDate(*opened)
	if err != nil {
		return err.(*jiti.Error).At("opened")
	}
	c.BooksOpenedOn = d
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		c, err := db.CreateCollective(e.ctx, by, c)
		if err != nil {
			return err
		}
		e.say("cli.collective_added", c.Code, c.Name)
		return nil
	})
}

func runCollectiveList(e *env, args []string) error {
	var o opts
	fs := e.flags("collective list", &o)
	region := fs.String("region", "", e.p.T("flag.region_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	cs, err := db.FindCollectives(e.ctx, *region)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.collectives"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left},
		{Key: "cli.col.name", Align: report.Left}, {Key: "cli.col.region", Align: report.Left},
		{Key: "cli.col.level", Align: report.Left}, {Key: "cli.col.opened", Align: report.Left}}}
	for _, c := range cs {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{c.Code, c.Name, c.RegionCode,
			e.p.T("collective.level." + string(c.Level)), c.BooksOpenedOn.String()}})
	}
	return e.output(o.format, t, cs)
}

var collectiveFields = []sheet.Field{
	{Name: "code", Aliases: []string{"单位编码", "编码", "code"}},
	{Name: "name", Aliases: []string{"单位名称", "名称", "name"}, Required: true},
	{Name: "uscc", Aliases: []string{"统一社会信用代码", "信用代码", "uscc"}},
	{Name: "region", Aliases: []string{"区划代码", "所在区划", "region"}, Required: true},
	{Name: "level", Aliases: []string{"层级", "级别", "level"}},
	{Name: "books_opened_on", Aliases: []string{"建账日期", "启用日期", "books_opened_on", "opened"}, Required: true},
}

var levelNames = map[string]jiti.CollectiveLevel{
	"": jiti.LevelVillage, "village": jiti.LevelVillage, "村": jiti.LevelVillage, "村级": jiti.LevelVillage,
	"township": jiti.LevelTownship, "乡": jiti.LevelTownship, "镇": jiti.LevelTownship, "乡镇": jiti.LevelTownship, "乡镇级": jiti.LevelTownship,
	"group": jiti.LevelGroup, "组": jiti.LevelGroup, "组级": jiti.LevelGroup, "村民小组": jiti.LevelGroup,
}

func runCollectiveImport(e *env, args []string) error {
	var o opts
	fs := e.flags("collective import", &o)
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return jiti.ErrRequired.At("file")
	}
	var cs []jiti.Collective
	err := e.readSheet(fs.Arg(0), collectiveFields, func(h *sheet.Header, row sheet.Row) error {
		c := jiti.Collective{Code: h.Get(row, "code"), Name: h.Get(row, "name"), USCC: h.Get(row, "uscc"),
			RegionCode: h.Get(row, "region")}
		lv, ok := levelNames[strings.ToLower(h.Get(row, "level"))]
		if !ok {
			return h.CellError(row, "level", jiti.ErrCollectiveLevel.With(h.Get(row, "level")))
		}
		c.Level = lv
		d, err := jiti.ParseDate(h.Get(row, "books_opened_on"))
		if err != nil {
			return h.CellError(row, "books_opened_on", err)
		}
		c.BooksOpenedOn = d
		c.Normalize()
		if err := c.Validate(); err != nil {
			return h.CellError(row, jiti.FieldOf(err), err)
		}
		cs = append(cs, c)
		return nil
	})
	if err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if _, err := db.CreateCollectives(e.ctx, by, cs); err != nil {
			return err
		}
		e.say("cli.collectives_imported", len(cs))
		return nil
	})
}

func runUserAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("user add", &o)
	var u jiti.User
	role := fs.String("role", "", e.p.T("flag.role"))
	collectives := fs.String("collectives", "", e.p.T("flag.collectives"))
	fs.StringVar(&u.Name, "name", "", e.p.T("flag.user_name"))
	fs.StringVar(&u.DisplayName, "display", "", e.p.T("flag.display_name"))
	fs.StringVar(&u.ScopeRegion, "scope", "", e.p.T("flag.scope"))
	pwStdin := fs.Bool("password-stdin", false, e.p.T("flag.password_stdin"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	u.Role = jiti.Role(*role)
	// The password is read and checked first, so a bad one leaves no user
	// behind without it.
	var pw string
	if *pwStdin {
		var err error
		if pw, err = e.readPassword(); err != nil {
			return err
		}
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	var by jiti.UserID
	if o.as != "" {
		if by, err = e.actor(db, &o); err != nil {
			return err
		}
	}
	for _, s := range strings.FieldsFunc(*collectives, func(r rune) bool { return r == ',' || r == ' ' }) {
		c, err := e.collective(db, s)
		if err != nil {
			return err
		}
		u.ScopeCollectives = append(u.ScopeCollectives, c.ID)
	}
	u, err = db.CreateUser(e.ctx, by, u)
	if err != nil {
		if errors.Is(err, store.ErrNoActor) {
			return store.ErrNoActor.At("as")
		}
		return err
	}
	e.say("cli.user_added", u.Name, e.p.T("role."+string(u.Role)), u.ID)
	if *pwStdin {
		return setInitialPassword(e, db, by, u, pw)
	}
	return nil
}

func runUserList(e *env, args []string) error {
	var o opts
	fs := e.flags("user list", &o)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	us, err := db.FindUsers(e.ctx)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.users"), Columns: []report.Column{
		{Key: "cli.col.id", Align: report.Right}, {Key: "cli.col.user", Align: report.Left},
		{Key: "cli.col.name", Align: report.Left}, {Key: "cli.col.role", Align: report.Left},
		{Key: "cli.col.scope", Align: report.Left}, {Key: "cli.col.state", Align: report.Left}}}
	var ids []int64
	for _, u := range us {
		ids = append(ids, u.ScopeCollectives...)
	}
	names, err := db.CollectiveNames(e.ctx, ids)
	if err != nil {
		return err
	}
	for _, u := range us {
		scope := []string{u.ScopeRegion}
		for _, id := range u.ScopeCollectives {
			scope = append(scope, names[id].Label())
		}
		state := ""
		if u.Disabled {
			state = e.p.T("cli.user_state_disabled")
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.FormatInt(int64(u.ID), 10), u.Name, u.DisplayName,
			e.p.T("role." + string(u.Role)), strings.TrimSpace(strings.Join(scope, " ")), state}})
	}
	return e.output(o.format, t, us)
}

func runAccountAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("account add", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("code", "", e.p.T("flag.account_code"))
	name := fs.String("name", "", e.p.T("flag.name"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		a, err := db.CreateAccount(e.ctx, by, c.ID, *code, *name)
		if err != nil {
			return err
		}
		e.say("cli.account_added", a.Code, a.Name)
		return nil
	})
}

func runAccountList(e *env, args []string) error {
	var o opts
	fs := e.flags("account list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		as, err := db.Accounts(e.ctx, c.ID)
		if err != nil {
			return err
		}
		t := &report.Table{Title: e.p.T("cli.title.accounts"), Meta: []string{c.Name}, Columns: []report.Column{
			{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left, Indent: true},
			{Key: "cli.col.class", Align: report.Left}, {Key: "cli.col.side", Align: report.Left},
			{Key: "cli.col.state", Align: report.Left}}}
		for _, a := range as {
			name := a.Name
			if e.p.Lang() == "en" && a.NameEN != "" {
				name = a.NameEN
			}
			state := ""
			switch {
			case !a.Active:
				state = e.p.T("account.state.inactive")
			case !a.Leaf:
				state = e.p.T("account.state.parent")
			}
			t.Rows = append(t.Rows, report.TableRow{Cells: []string{a.Code, name, e.p.T("account.class." + string(a.Class)),
				e.p.T("account.side." + string(a.Side)), state}, Indent: a.Level() - 1})
		}
		return e.output(o.format, t, as)
	})
}

func runAccountActive(active bool) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		var o opts
		fs := e.flags("account", &o)
		cflag := fs.String("c", "", e.p.T("flag.c"))
		code := fs.String("code", "", e.p.T("flag.account_code"))
		if err := parse(fs, args, 0); err != nil {
			return err
		}
		return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
			if err := db.SetAccountActive(e.ctx, by, c.ID, *code, active); err != nil {
				return err
			}
			if active {
				e.say("cli.account_activated", *code)
			} else {
				e.say("cli.account_deactivated", *code)
			}
			return nil
		})
	}
}

func runAccountDelete(e *env, args []string) error {
	var o opts
	fs := e.flags("account delete", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("code", "", e.p.T("flag.account_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.DeleteAccount(e.ctx, by, c.ID, *code); err != nil {
			return err
		}
		e.say("cli.account_deleted", *code)
		return nil
	})
}

func runHouseholdAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("household add", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("code", "", e.p.T("flag.household_code"))
	name := fs.String("name", "", e.p.T("flag.name"))
	head := fs.String("head", "", e.p.T("flag.household_head"))
	group := fs.String("group", "", e.p.T("flag.village_group"))
	address := fs.String("address", "", e.p.T("flag.address"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.CreateHouseholds(e.ctx, by, c.ID, []store.Household{{Code: *code, Name: *name, Head: *head, Group: *group, Address: *address}}); err != nil {
			return err
		}
		e.say("cli.household_added", *code, *name)
		return nil
	})
}

var householdFields = []sheet.Field{
	{Name: "code", Aliases: []string{"户号", "户编码", "编码", "code"}, Required: true},
	{Name: "name", Aliases: []string{"户主姓名", "户主", "姓名", "name"}, Required: true},
	{Name: "head", Aliases: []string{"户主成员编号", "head"}},
	{Name: "group", Aliases: []string{"村民小组", "小组", "group"}},
	{Name: "address", Aliases: []string{"住址", "地址", "address"}},
}

func runHouseholdImport(e *env, args []string) error {
	var o opts
	fs := e.flags("household import", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return jiti.ErrRequired.At("file")
	}
	var hs []store.Household
	err := e.readSheet(fs.Arg(0), householdFields, func(h *sheet.Header, row sheet.Row) error {
		hs = append(hs, householdOf(h, row))
		return nil
	})
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.CreateHouseholds(e.ctx, by, c.ID, hs); err != nil {
			return err
		}
		e.say("cli.households_imported", len(hs))
		return nil
	})
}

func runHouseholdList(e *env, args []string) error {
	var o opts
	fs := e.flags("household list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		hs, err := db.Households(e.ctx, c.ID)
		if err != nil {
			return err
		}
		t := web.HouseholdsTable(e.p.T("cli.title.households"), hs, e.tr())
		t.Meta = []string{c.Name}
		return e.output(o.format, t, hs)
	})
}

var openingFields = []sheet.Field{
	{Name: "account", Aliases: []string{"科目编码", "科目代码", "科目", "account"}, Required: true},
	{Name: "household", Aliases: []string{"户号", "户编码", "household"}},
	{Name: "debit", Aliases: []string{"借方余额", "借方金额", "借方", "debit"}},
	{Name: "credit", Aliases: []string{"贷方余额", "贷方金额", "贷方", "credit"}},
}

// runOpeningSet replaces a collective's opening balances with those of a
// CSV or xlsx file (account, household, debit, credit).
func runOpeningSet(e *env, args []string) error {
	var o opts
	fs := e.flags("opening set", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	var typed lineFlags
	fs.Var(&typed, "entry", e.p.T("flag.entry"))
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if (fs.NArg() == 1) == (len(typed) > 0) {
		return ErrFileOrEntries.At("file")
	}
	var entries []store.OpeningBalance
	var rows []sheet.Row
	var header *sheet.Header
	if len(typed) > 0 {
		for i, s := range typed {
			ob, err := parseEntry(s)
			if err != nil {
				return err.At(fmt.Sprintf("entries[%d]", i+1))
			}
			entries = append(entries, ob)
		}
	} else {
		err := e.readSheet(fs.Arg(0), openingFields, func(h *sheet.Header, row sheet.Row) error {
			header = h
			ob := store.OpeningBalance{Account: h.Get(row, "account"), Household: h.Get(row, "household")}
			var err error
			if ob.Debit, err = sheet.OptionalAmount(h.Get(row, "debit")); err != nil {
				return h.CellError(row, "debit", err)
			}
			if ob.Credit, err = sheet.OptionalAmount(h.Get(row, "credit")); err != nil {
				return h.CellError(row, "credit", err)
			}
			entries = append(entries, ob)
			rows = append(rows, row)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.SetOpeningBalances(e.ctx, by, c.ID, entries); err != nil {
			if header == nil {
				return err
			}
			return locateEntries(err, header, rows)
		}
		e.say("cli.opening_set", c.Name, len(entries))
		return nil
	})
}

// ErrFileOrEntries reports opening balances given both or neither as a
// file and as -entry flags.
var ErrFileOrEntries = jiti.Errorf(jiti.Invalid, "cli.file_or_entries")

// parseEntry reads one -entry value: "account,household,debit,credit".
func parseEntry(s string) (store.OpeningBalance, *jiti.Error) {
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return store.OpeningBalance{}, ErrEntrySyntax.With(s)
	}
	ob := store.OpeningBalance{Account: strings.TrimSpace(f[0]), Household: strings.TrimSpace(f[1])}
	var err error
	if ob.Debit, err = optionalAmount(f[2]); err != nil {
		return ob, jiti.AsError(err).At("debit")
	}
	if ob.Credit, err = optionalAmount(f[3]); err != nil {
		return ob, jiti.AsError(err).At("credit")
	}
	return ob, nil
}

// ErrEntrySyntax reports an -entry value that is not
// "account,household,debit,credit".
var ErrEntrySyntax = jiti.Errorf(jiti.Invalid, "cli.entry_syntax")

// locateEntries turns the "entries[n].field" errors of opening balances into
// errors at the rows and columns of the file they came from.
func locateEntries(err error, h *sheet.Header, rows []sheet.Row) error {
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
		var field string
		if je == nil || h == nil {
			out.Add(one)
			continue
		}
		if _, scanErr := fmt.Sscanf(je.Field, "entries[%d]", &n); scanErr != nil || n < 1 || n > len(rows) {
			out.Add(one)
			continue
		}
		if i := strings.IndexByte(je.Field, '.'); i >= 0 {
			field = je.Field[i+1:]
		}
		plain := *je
		plain.Field = ""
		out.Add(h.CellError(rows[n-1], field, &plain))
	}
	return out.Err()
}

func optionalAmount(s string) (jiti.Amount, error) {
	if s == "" {
		return 0, nil
	}
	return jiti.ParseAmount(s)
}

func runOpeningShow(e *env, args []string) error {
	var o opts
	fs := e.flags("opening show", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		obs, err := db.OpeningBalances(e.ctx, c.ID)
		if err != nil {
			return err
		}
		t := &report.Table{Title: e.p.T("cli.title.opening"), Meta: []string{c.Name, c.BooksOpenedOn.String()}, Columns: []report.Column{
			{Key: "report.col.code", Align: report.Left}, {Key: "cli.col.household", Align: report.Left},
			{Key: "report.col.debit", Align: report.Right, Money: true}, {Key: "report.col.credit", Align: report.Right, Money: true}}}
		var dr, cr jiti.Amount
		for _, ob := range obs {
			t.Rows = append(t.Rows, report.TableRow{Cells: []string{ob.Account, ob.Household, blank(ob.Debit), blank(ob.Credit)}})
			dr += ob.Debit
			cr += ob.Credit
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{e.p.T("report.total"), "", dr.String(), cr.String()}, Bold: true})
		return e.output(o.format, t, obs)
	})
}

func blank(a jiti.Amount) string {
	if a == 0 {
		return ""
	}
	return a.String()
}

func runAudit(e *env, args []string) error {
	var o opts
	fs := e.flags("audit", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	entity := fs.String("entity", "", e.p.T("flag.entity"))
	id := fs.String("id", "", e.p.T("flag.entity_id"))
	limit := fs.Int("limit", 50, e.p.T("flag.limit"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	f := store.AuditFilter{Entity: *entity, EntityID: *id, Limit: *limit}
	if *cflag != "" {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		f.CollectiveID = c.ID
	}
	evs, total, err := db.FindAuditEvents(e.ctx, f)
	if err != nil {
		return err
	}
	ids := make([]int64, len(evs))
	for i, ev := range evs {
		ids[i] = ev.CollectiveID
	}
	names, err := db.CollectiveNames(e.ctx, ids)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.audit"), Meta: []string{e.p.T("cli.shown_of", len(evs), total)}, Columns: []report.Column{
		{Key: "cli.col.id", Align: report.Right}, {Key: "cli.col.time", Align: report.Left},
		{Key: "cli.col.user", Align: report.Left}, {Key: "cli.col.action", Align: report.Left},
		{Key: "cli.col.collective_code", Align: report.Left}, {Key: "cli.col.entity", Align: report.Left},
		{Key: "cli.col.old", Align: report.Left}, {Key: "cli.col.new", Align: report.Left}}}
	for _, ev := range evs {
		entity := ev.Entity + " " + ev.EntityID
		if ev.Entity == "collective" {
			entity = ev.Entity // the collective's column names it
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.FormatInt(ev.ID, 10), ev.At.Format("2006-01-02 15:04:05"),
			ev.UserName, ev.Action, names[ev.CollectiveID].Code, entity, clip(string(ev.Old), 60), clip(string(ev.New), 60)}})
	}
	return e.output(o.format, t, evs)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// accountName returns the display name of an account in the user's
// language.
func (e *env) accountName(a *ledger.Account) string {
	if e.p.Lang() == "en" && a.NameEN != "" {
		return a.NameEN
	}
	return a.Name
}

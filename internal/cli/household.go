package cli

import (
	"example.org/jiti"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/web"
)

// A collective's households (农户): jiti household add, list, import.

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

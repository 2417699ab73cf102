package cli

import (
	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// A collective's households (农户): jiti household add, list, import.

func runHouseholdAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("household add", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("code", "", e.p.T("flag.household_code"))
	name := fs.String("name", "", e.p.T("flag.name"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.CreateHouseholds(e.ctx, by, c.ID, []store.Household{{Code: *code, Name: *name}}); err != nil {
			return err
		}
		e.say("cli.household_added", *code, *name)
		return nil
	})
}

var householdFields = []sheet.Field{
	{Name: "code", Aliases: []string{"户号", "户编码", "编码", "code"}, Required: true},
	{Name: "name", Aliases: []string{"户主姓名", "户主", "姓名", "name"}, Required: true},
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
		hs = append(hs, store.Household{Code: h.Get(row, "code"), Name: h.Get(row, "name")})
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
		t := &report.Table{Title: e.p.T("cli.title.households"), Meta: []string{c.Name}, Columns: []report.Column{
			{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left}}}
		for _, h := range hs {
			t.Rows = append(t.Rows, report.TableRow{Cells: []string{h.Code, h.Name}})
		}
		return e.output(o.format, t, hs)
	})
}

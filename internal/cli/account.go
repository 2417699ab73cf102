package cli

import (
	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// A collective's chart of accounts: jiti account add, list, activate,
// deactivate, delete.

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

package cli

import (
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/web"
)

// A collective's share register (股份): jiti share type, types, change,
// recompute, holdings, log.

func init() {
	addCommands(
		command{"share type", "cmd.share_type", runShareType},
		command{"share types", "cmd.share_types", runShareTypes},
		command{"share change", "cmd.share_change", runShareChange},
		command{"share recompute", "cmd.share_recompute", runShareRecompute},
		command{"share holdings", "cmd.share_holdings", runShareHoldings},
		command{"share log", "cmd.share_log", runShareLog},
	)
}

func runShareType(e *env, args []string) error {
	var o opts
	fs := e.flags("share type", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("code", "", e.p.T("flag.share_type_code"))
	name := fs.String("name", "", e.p.T("flag.name"))
	kind := fs.String("kind", string(register.PersonShare), e.p.T("flag.share_kind"))
	dynamic := fs.Bool("dynamic", false, e.p.T("flag.share_dynamic"))
	rule := fs.String("rule", "", e.p.T("flag.share_rule"))
	total := fs.String("total", "", e.p.T("flag.share_total"))
	on := fs.String("date", "", e.p.T("flag.quantified_on"))
	decision := fs.String("decision", "", e.p.T("flag.decision_number"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	in := store.ShareTypeInput{Decision: *decision, Type: register.ShareType{Code: strings.TrimSpace(*code), Name: strings.TrimSpace(*name),
		Kind: register.ShareKind(*kind), Management: register.Static}}
	if *dynamic {
		in.Type.Management = register.Dynamic
	}
	var err error
	if in.Rule, err = register.ParseShareRule(*rule); err != nil {
		return err
	}
	if *total != "" {
		if in.Type.Total, err = register.ParseShares(*total); err != nil {
			return jiti.AsError(err).At("total")
		}
	}
	if in.Type.QuantifiedOn, err = dateFlag(*on, "date", true); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.CreateShareType(e.ctx, by, c.ID, in); err != nil {
			return err
		}
		e.say("cli.share_type_added", in.Type.Code, in.Type.Name)
		return nil
	})
}

func runShareTypes(e *env, args []string) error {
	var o opts
	fs := e.flags("share types", &o)
	e.outFlag(fs)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readShares(&o, *cflag, func(c *jiti.Collective, reg *store.ShareRegister) error {
		t := report.ShareTypesTable(reg.Types, e.tr())
		t.Meta = []string{c.Name}
		return e.output(o.format, t, reg.Types)
	})
}

// readShares reads a collective's share register for a command.
func (e *env) readShares(o *opts, code string, fn func(c *jiti.Collective, reg *store.ShareRegister) error) error {
	return e.readCollective(o, code, func(db *store.DB, c *jiti.Collective) error {
		reg, err := db.ShareRegister(e.ctx, c.ID)
		if err != nil {
			return err
		}
		return fn(c, reg)
	})
}

func runShareChange(e *env, args []string) error {
	var o opts
	fs := e.flags("share change", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	kind := fs.String("kind", "", e.p.T("flag.share_change_kind"))
	typ := fs.String("type", "", e.p.T("flag.share_type_code"))
	from := fs.String("from", "", e.p.T("flag.share_from"))
	to := fs.String("to", "", e.p.T("flag.share_to"))
	qty := fs.String("qty", "", e.p.T("flag.share_qty"))
	price := fs.String("price", "", e.p.T("flag.share_price"))
	on := fs.String("date", "", e.p.T("flag.date"))
	decision := fs.String("decision", "", e.p.T("flag.decision_number"))
	note := fs.String("note", "", e.p.T("flag.note"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	in := store.ShareChangeInput{Decision: *decision, Note: *note,
		Change: register.ShareChange{Kind: register.ShareChangeKind(*kind), Type: strings.TrimSpace(*typ)}}
	c := &in.Change
	var err error
	if c.From, err = register.ParseHolder(*from, "from"); err != nil {
		return err
	}
	if c.To, err = register.ParseHolder(*to, "to"); err != nil {
		return err
	}
	if c.Qty, err = register.ParseShares(*qty); err != nil {
		return jiti.AsError(err).At("qty")
	}
	if c.Price, err = amountFlag(*price, "price"); err != nil {
		return err
	}
	if c.On, err = dateFlag(*on, "date", true); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, col *jiti.Collective) error {
		if err := db.ChangeShares(e.ctx, by, col.ID, []store.ShareChangeInput{in}); err != nil {
			return jiti.OneItem(err)
		}
		e.say("cli.share_changed", e.p.T("share.change."+*kind), c.Qty.String())
		return nil
	})
}

func runShareRecompute(e *env, args []string) error {
	var o opts
	fs := e.flags("share recompute", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	typ := fs.String("type", "", e.p.T("flag.share_type_code"))
	on := fs.String("date", "", e.p.T("flag.date"))
	decision := fs.String("decision", "", e.p.T("flag.decision_number"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := dateFlag(*on, "date", true)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.RecomputeShares(e.ctx, by, c.ID, *typ, d, *decision); err != nil {
			return err
		}
		e.say("cli.share_recomputed", *typ, d)
		return nil
	})
}

func runShareHoldings(e *env, args []string) error {
	var o opts
	fs := e.flags("share holdings", &o)
	e.outFlag(fs)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	byHousehold := fs.Bool("by-household", false, e.p.T("flag.by_household"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *byHousehold {
		return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
			hs, err := db.HouseholdShares(e.ctx, c.ID)
			if err != nil {
				return err
			}
			t := web.HouseholdSharesTable(e.p.T("cli.title.household_shares"), hs, e.tr())
			t.Meta = []string{c.Name}
			return e.output(o.format, t, hs)
		})
	}
	return e.readShares(&o, *cflag, func(c *jiti.Collective, reg *store.ShareRegister) error {
		t := report.ShareHoldingsTable(reg.Holdings, e.tr())
		t.Meta = []string{c.Name}
		return e.output(o.format, t, reg.Holdings)
	})
}

func runShareLog(e *env, args []string) error {
	var o opts
	fs := e.flags("share log", &o)
	e.outFlag(fs)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readShares(&o, *cflag, func(c *jiti.Collective, reg *store.ShareRegister) error {
		t := report.ShareLogTable(reg.Changes, e.tr())
		t.Meta = []string{c.Name}
		return e.output(o.format, t, reg.Changes)
	})
}

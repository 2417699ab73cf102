package cli

import (
	"fmt"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

var errMonthOrThrough = jiti.Errorf(jiti.Invalid, "cli.month_or_through")

func init() {
	addCommands(
		command{"period list", "cmd.period_list", runPeriodList},
		command{"period close", "cmd.period_close", runPeriodClose},
		command{"period reopen", "cmd.period_reopen", runPeriodReopen},
		command{"period close-year", "cmd.period_close_year", runCloseYear},
	)
}

func runPeriodList(e *env, args []string) error {
	var o opts
	fs := e.flags("period list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		ps, err := db.Periods(e.ctx, c.ID)
		if err != nil {
			return err
		}
		t := &report.Table{Title: e.p.T("cli.title.periods"), Meta: []string{c.Name}, Columns: []report.Column{
			{Key: "cli.col.month", Align: report.Left}, {Key: "cli.col.state", Align: report.Left},
			{Key: "cli.col.vouchers", Align: report.Right}, {Key: "cli.col.unposted", Align: report.Right}}}
		for _, p := range ps {
			state := e.p.T("period.state.open")
			if p.Closed {
				state = e.p.T("period.state.closed")
			}
			t.Rows = append(t.Rows, report.TableRow{Cells: []string{p.Period.String(), state, strconv.Itoa(p.LastNumber), strconv.Itoa(p.Unposted)}})
		}
		return e.output(o.format, t, ps)
	})
}

// runPeriodClose closes one month (-month), or every open month up to and
// including one (-through), in order.
func runPeriodClose(e *env, args []string) error {
	var o opts
	fs := e.flags("period close", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	month := fs.String("month", "", e.p.T("flag.month"))
	through := fs.String("through", "", e.p.T("flag.through"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if (*month == "") == (*through == "") {
		return errMonthOrThrough.At("month")
	}
	if *through != "" {
		last, err := jiti.ParsePeriod(*through)
		if err != nil {
			return jiti.AsError(err).At("through")
		}
		return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
			closed, err := db.ClosePeriodsThrough(e.ctx, by, c.ID, last)
			for _, p := range closed {
				e.say("cli.period_closed", c.Name, p)
			}
			if err != nil {
				return err
			}
			if len(closed) == 0 {
				e.say("cli.periods_none_open", c.Name, last)
			}
			return nil
		})
	}
	p, err := jiti.ParsePeriod(*month)
	if err != nil {
		return jiti.AsError(err).At("month")
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.ClosePeriod(e.ctx, by, c.ID, p); err != nil {
			return err
		}
		e.say("cli.period_closed", c.Name, p)
		return nil
	})
}

func runPeriodReopen(e *env, args []string) error {
	var o opts
	fs := e.flags("period reopen", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	month := fs.String("month", "", e.p.T("flag.month"))
	reason := fs.String("reason", "", e.p.T("flag.reason"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	p, err := jiti.ParsePeriod(*month)
	if err != nil {
		return jiti.AsError(err).At("month")
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.ReopenPeriod(e.ctx, by, c.ID, p, *reason); err != nil {
			return err
		}
		e.say("cli.period_reopened", c.Name, p)
		return nil
	})
}

func runCloseYear(e *env, args []string) error {
	var o opts
	fs := e.flags("period close-year", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	year := fs.Int("year", 0, e.p.T("flag.year"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if !jiti.ValidYear(*year) {
		return jiti.ErrYearSyntax.With(*year).At("year")
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		vs, err := db.CloseYear(e.ctx, by, c.ID, *year)
		if err != nil {
			return err
		}
		e.say("cli.year_closed", c.Name, *year, len(vs))
		for _, v := range vs {
			dr, _ := v.Totals()
			e.say("cli.closing_voucher", e.voucherLabel(v), v.Note, dr.Grouped())
		}
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

package cli

import (
	"flag"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(
		command{"report trial-balance", "cmd.report_trial_balance", runTrialBalance},
		command{"report balance-sheet", "cmd.report_balance_sheet", runBalanceSheet},
		command{"report income", "cmd.report_income", runIncome},
		command{"report ledger", "cmd.report_ledger", runBook(report.DetailKind)},
		command{"report general-ledger", "cmd.report_general_ledger", runBook(report.GeneralKind)},
		command{"report journal", "cmd.report_journal", runBook(report.JournalKind)},
	)
}

// rangeFlags are -month, or -from and -to.
type rangeFlags struct{ month, from, to *string }

func (e *env) rangeFlags(fs *flag.FlagSet) rangeFlags {
	return rangeFlags{
		month: fs.String("month", "", e.p.T("flag.month")),
		from:  fs.String("from", "", e.p.T("flag.from")),
		to:    fs.String("to", "", e.p.T("flag.to")),
	}
}

// resolve returns the months asked for: -month alone, -from..-to, or by
// default the current month.
func (e *env) resolve(r rangeFlags, now time.Time) (jiti.Period, jiti.Period, error) {
	if *r.month != "" {
		p, err := jiti.ParsePeriod(*r.month)
		if err != nil {
			return 0, 0, jiti.AsError(err).At("month")
		}
		return p, p, nil
	}
	cur := today(now).Period()
	from, to := cur, cur
	if *r.to != "" && *r.from == "" {
		t, err := jiti.ParsePeriod(*r.to)
		if err != nil {
			return 0, 0, jiti.AsError(err).At("to")
		}
		from = t.YearStart()
	}
	if *r.from != "" && *r.to == "" {
		f, err := jiti.ParsePeriod(*r.from)
		if err != nil {
			return 0, 0, jiti.AsError(err).At("from")
		}
		to = f
	}
	return e.monthRange(*r.from, *r.to, from, to)
}

func runTrialBalance(e *env, args []string) error {
	var o opts
	fs := e.flags("report trial-balance", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_sum"))
	all := fs.Bool("all", false, e.p.T("flag.all_accounts"))
	rf := e.rangeFlags(fs)
	e.outFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	from, to, err := e.resolve(rf, db.Now())
	if err != nil {
		return err
	}
	var tb *ledger.TrialBalance
	var meta string
	if *region != "" {
		r, err := db.FindRegion(e.ctx, *region)
		if err != nil {
			return jiti.AsError(err).At("region")
		}
		var n int
		if tb, n, err = db.RegionTrialBalance(e.ctx, r.Code, from, to); err != nil {
			return err
		}
		meta = e.p.T("cli.region_sum", r.Name, n)
	} else {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		if tb, err = db.TrialBalance(e.ctx, c.ID, from, to, *all); err != nil {
			return err
		}
		meta = c.Name
	}
	t := report.TrialBalanceTable(tb, e.tr())
	t.Meta = append([]string{meta}, t.Meta...)
	return e.output(o.format, t, tb)
}

func runBalanceSheet(e *env, args []string) error {
	return e.statement("report balance-sheet", args, func(db *store.DB, cid int64, p jiti.Period) (*report.StatementResult, error) {
		return db.BalanceSheet(e.ctx, cid, p)
	})
}

func runIncome(e *env, args []string) error {
	return e.statement("report income", args, func(db *store.DB, cid int64, p jiti.Period) (*report.StatementResult, error) {
		return db.IncomeStatement(e.ctx, cid, p)
	})
}

// statement runs a statement report for -c at the end of -month (or of -year).
func (e *env) statement(name string, args []string, get func(*store.DB, int64, jiti.Period) (*report.StatementResult, error)) error {
	var o opts
	fs := e.flags(name, &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	month := fs.String("month", "", e.p.T("flag.month"))
	year := fs.Int("year", 0, e.p.T("flag.year"))
	e.outFlag(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		p := today(db.Now()).Period()
		var err error
		switch {
		case *month != "":
			if p, err = jiti.ParsePeriod(*month); err != nil {
				return jiti.AsError(err).At("month")
			}
		case *year != 0:
			if !jiti.ValidYear(*year) {
				return jiti.ErrYearSyntax.With(*year).At("year")
			}
			p = jiti.NewPeriod(*year, time.December)
		}
		res, err := get(db, c.ID, p)
		if err != nil {
			return err
		}
		t := report.StatementTable(res, e.p.Lang())
		t.Meta = append(append([]string{c.Name}, report.StatementMeta(res, p, c.BooksOpenedOn, e.p)...), t.Meta...)
		return e.output(o.format, t, res)
	})
}

func runBook(kind report.LedgerKind) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		var o opts
		fs := e.flags("report "+string(kind), &o)
		cflag := fs.String("c", "", e.p.T("flag.c"))
		account := fs.String("account", "", e.p.T("flag.account_code"))
		rf := e.rangeFlags(fs)
		e.outFlag(fs)
		if err := parse(fs, args, 0); err != nil {
			return err
		}
		if kind == report.JournalKind && *account == "" {
			*account = ledger.AcctCash
		}
		if *account == "" {
			return jiti.ErrRequired.At("account")
		}
		return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
			from, to, err := e.resolve(rf, db.Now())
			if err != nil {
				return err
			}
			l, err := db.AccountBook(e.ctx, kind, c.ID, *account, from, to)
			if err != nil {
				return err
			}
			t := report.LedgerTable(l, e.tr())
			t.Meta = append([]string{c.Name}, t.Meta...)
			return e.output(o.format, t, l)
		})
	}
}

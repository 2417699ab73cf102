package cli

import (
	"errors"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// Income distribution (收益分配): jiti distribution plan, show, adopt, pay.

func init() {
	addCommands(
		command{"distribution plan", "cmd.distribution_plan", runDistributionPlan},
		command{"distribution show", "cmd.distribution_show", runDistributionShow},
		command{"distribution adopt", "cmd.distribution_adopt", runDistributionAdopt},
		command{"distribution pay", "cmd.distribution_pay", runDistributionPay},
	)
}

// distributionTables are a distribution's plan and allotments, the same
// tables the web page shows.
func (e *env) distributionTables(c *jiti.Collective, d *store.Distribution) []*report.Table {
	var kept jiti.Amount
	for _, l := range d.Lines {
		if l.Household == "" {
			kept += l.Amount
		}
	}
	plan := report.PlanTable(&d.Plan, kept, e.tr())
	plan.Meta = []string{c.Name, report.DistributionMeta(d.Plan.Year, d.Status, d.Decision, d.AdoptedOn, e.tr())}
	lines := report.AllotmentTable(d.Lines, e.tr())
	lines.Meta = []string{c.Name}
	return []*report.Table{plan, lines}
}

func runDistributionPlan(e *env, args []string) error {
	var o opts
	fs := e.flags("distribution plan", &o)
	e.outFlag(fs)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	year := fs.Int("year", 0, e.p.T("flag.year"))
	reserve := fs.String("reserve", "10", e.p.T("flag.reserve_rate"))
	members := fs.String("members", "50", e.p.T("flag.member_rate"))
	amount := fs.String("amount", "", e.p.T("flag.members_amount"))
	other := fs.String("other", "", e.p.T("flag.other_distribution"))
	payable := fs.String("payable", "", e.p.T("flag.payable"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	in := store.DistributionInput{Year: *year, Payable: *payable}
	var err error
	if in.ReserveRate, err = percentFlag(*reserve, "reserve_rate"); err != nil {
		return err
	}
	if in.MemberRate, err = percentFlag(*members, "member_rate"); err != nil {
		return err
	}
	if in.Members, err = amountFlag(*amount, "members"); err != nil {
		return err
	}
	if in.Other, err = amountFlag(*other, "other"); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		d, err := db.DraftDistribution(e.ctx, by, c.ID, in)
		if err != nil {
			return err
		}
		return e.outputTables(o.format, e.out, e.distributionTables(c, d), d)
	})
}

func runDistributionShow(e *env, args []string) error {
	var o opts
	fs := e.flags("distribution show", &o)
	e.outFlag(fs)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	year := fs.Int("year", 0, e.p.T("flag.year"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		d, err := db.FindDistribution(e.ctx, c.ID, *year)
		if err != nil {
			return jiti.AsError(err).At("year")
		}
		return e.outputTables(o.format, e.out, e.distributionTables(c, d), d)
	})
}

func runDistributionAdopt(e *env, args []string) error {
	var o opts
	fs := e.flags("distribution adopt", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	year := fs.Int("year", 0, e.p.T("flag.year"))
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
		dist, err := db.AdoptDistribution(e.ctx, by, c.ID, *year, d, *decision)
		if err != nil {
			return err
		}
		e.say("cli.distribution_adopted", *year, dist.Plan.Reserve, dist.Plan.Members)
		return nil
	})
}

// runDistributionPay pays what is owed and lists who was paid what: with
// -format xlsx -o FILE, the list is the file the bank pays from.
func runDistributionPay(e *env, args []string) error {
	var o opts
	fs := e.flags("distribution pay", &o)
	e.outFlag(fs)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	year := fs.Int("year", 0, e.p.T("flag.year"))
	on := fs.String("date", "", e.p.T("flag.date"))
	account := fs.String("account", "", e.p.T("flag.pay_account"))
	households := fs.String("households", "", e.p.T("flag.households"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := dateFlag(*on, "date", true)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		paid, err := db.PayDistribution(e.ctx, by, c.ID, *year, d, *account, splitList(*households))
		if errors.Is(err, store.ErrDistributionNone) {
			return jiti.AsError(err).At("year")
		}
		if err != nil {
			return err
		}
		var total jiti.Amount
		for _, l := range paid {
			total += l.Paid
		}
		t := report.AllotmentTable(paid, e.tr())
		t.Title = e.p.T("cli.title.distribution_payments")
		t.Meta = []string{c.Name, e.p.T("cli.distribution_paid", len(paid), total, d)}
		return e.output(o.format, t, paid)
	})
}

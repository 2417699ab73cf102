package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/demo"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(command{"demo", "cmd.demo", runDemo})
}

// runDemo builds the demo county (Huining) in the database, unless it is
// already there, and prints what the books hold.
func runDemo(e *env, args []string) error {
	var o opts
	fs := e.flags("demo", &o)
	seed := fs.Int64("seed", 1, e.p.T("flag.seed"))
	year := fs.Int("year", demo.DefaultYear, e.p.T("flag.year"))
	force := fs.Bool("force", false, e.p.T("flag.force"))
	verbose := fs.Bool("v", false, e.p.T("flag.verbose"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *force && !store.IsPostgres(o.db) {
		// A fresh file: the demo is built only in an empty database.
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(o.db + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	key, err := e.key(o.db, true)
	if err != nil {
		return err
	}
	db, err := store.Open(e.ctx, o.db, store.Options{Migrate: true, Key: key})
	if err != nil {
		return err
	}
	defer db.Close()
	// Closing the demo's months needs a clock after its year; the demo's
	// records are stamped at a fixed time, so a seed gives the same books.
	db.Now = func() time.Time { return time.Date(*year+1, 1, 15, 9, 0, 0, 0, time.UTC) }
	o2 := demo.Options{Seed: *seed, Year: *year}
	if *verbose {
		o2.Progress = e.stderr
	}
	sum, err := demo.Build(e.ctx, db, o2)
	if errors.Is(err, demo.ErrNotEmpty) {
		cs, ferr := db.FindCollectives(e.ctx, "")
		if ferr != nil {
			return ferr
		}
		e.say("cli.demo_present", o.db, len(cs))
		return nil
	}
	if err != nil {
		return err
	}
	if o.format == "json" {
		return e.output("json", nil, sum)
	}
	e.printDemo(sum, o.db)
	return nil
}

func (e *env) printDemo(s *demo.Summary, db string) {
	in := s.Income
	e.say("cli.demo_built", s.Year, s.Seed, db, fmt.Sprintf("%.1f", s.Elapsed.Seconds()))
	e.say("cli.demo_counts", s.Regions, s.Townships, s.Collectives, s.Users, s.Households, s.Accounts)
	e.say("cli.demo_vouchers", s.Vouchers, s.Lines, s.ClosingVouchers)
	e.say("cli.demo_income_title")
	line := func(key string, a jiti.Amount) {
		e.say(key, locale.PadLeft(a.Grouped(), 16), locale.PadLeft(a.Wan(), 10))
	}
	line("cli.demo_total", in.Total())
	line("cli.demo_operating_type", in.OperatingType())
	line("cli.demo_subsidy", in.Subsidy)
	line("cli.demo_other", in.Other)
	line("cli.demo_average", s.PerVillage())
	e.say("cli.demo_tiers", s.CountOperatingType(jiti.Yuan(1_000_000), 0),
		s.CountOperatingType(jiti.Yuan(500_000), jiti.Yuan(1_000_000)),
		s.CountOperatingType(jiti.Yuan(100_000), jiti.Yuan(500_000)),
		s.CountOperatingType(jiti.Yuan(50_000), jiti.Yuan(100_000)),
		s.CountOperatingType(0, jiti.Yuan(50_000)), s.CountOperatingType(0, 1))
	var users []string
	users = append(users, "admin")
	if len(s.Villages) > 0 {
		code := s.Villages[0].Code[:9]
		users = append(users, "kj"+code, "sh"+code)
	}
	e.say("cli.demo_users", strings.Join(users, ", "))
}

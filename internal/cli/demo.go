package cli

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/demo"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(command{"demo", "cmd.demo", runDemo})
}

// progress returns a demo.Progress that prints each step of a build on
// stderr, in the user's language, after the time since it started.
func (e *env) progress() demo.Progress {
	start := time.Now()
	return func(key string, args ...any) {
		fmt.Fprintf(e.stderr, "[%5.1fs] %s\n", time.Since(start).Seconds(), e.p.T(key, args...))
	}
}

// runDemo builds the demo county (Huining, two years of books by default)
// or, with -scale province, a synthetic province of light books, in the
// database unless it already holds data, and prints what the books hold.
func runDemo(e *env, args []string) error {
	var o opts
	fs := e.flags("demo", &o)
	seed := fs.Int64("seed", 1, e.p.T("flag.seed"))
	year := fs.Int("year", demo.DefaultYear, e.p.T("flag.year"))
	years := fs.Int("years", 0, e.p.T("flag.demo_years"))
	scale := fs.String("scale", "county", e.p.T("flag.demo_scale"))
	cities := fs.Int("cities", demo.DefaultCities, e.p.T("flag.demo_cities"))
	collectives := fs.Int("collectives", demo.DefaultCollectives, e.p.T("flag.demo_collectives"))
	closeBooks := fs.Bool("close", false, e.p.T("flag.demo_close"))
	force := fs.Bool("force", false, e.p.T("flag.force"))
	quiet := fs.Bool("q", false, e.p.T("flag.quiet"))
	serve := fs.Bool("serve", true, e.p.T("flag.demo_serve"))
	var so serveOpts
	// The demo's users share a published password: it listens on this
	// machine only unless told otherwise.
	e.serveFlags(fs, &so, "localhost:8080")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *scale != "county" && *scale != "province" {
		return errDemoScale.With(*scale).At("scale")
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
	db, err := e.openStore(o.db, store.Options{Migrate: true, Key: key}, so.unsafeDurability)
	if err != nil {
		return err
	}
	defer db.Close()
	// Closing the demo's months needs a clock after its last year; the
	// demo's records are stamped at a fixed time, so a seed gives the same
	// books.
	db.Now = func() time.Time { return time.Date(*year+1, 1, 15, 9, 0, 0, 0, time.UTC) }
	// The demo is a batch load whose garbage is short-lived: the collector
	// running eight times less often saves a fifth of its time, for a few
	// hundred megabytes more.
	defer debug.SetGCPercent(debug.SetGCPercent(800))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(2 << 30))
	if *scale == "province" {
		if *years == 0 {
			*years = demo.DefaultYears
		}
		po := demo.ProvinceOptions{Seed: *seed, Cities: *cities, Collectives: *collectives, Year: *year, Years: *years, Close: *closeBooks}
		if !*quiet {
			po.Progress = e.progress()
		}
		sum, err := demo.BuildProvince(e.ctx, db, po)
		if errors.Is(err, demo.ErrNotEmpty) {
			if err := e.demoPresent(db, o.db, err); err != nil {
				return err
			}
			return e.printSignIns(db)
		}
		if err != nil {
			return err
		}
		size, err := demo.DatabaseSize(e.ctx, db, o.db)
		if err != nil {
			return err
		}
		if o.format == "json" {
			return e.output("json", nil, struct {
				*demo.ProvinceSummary
				Size int64 `json:"size"`
			}{sum, size})
		}
		e.printProvince(sum, size)
		return nil
	}
	if *years == 0 {
		*years = 2
	}
	o2 := demo.Options{Seed: *seed, Year: *year, FromYear: max(*year-*years+1, demo.MinYear)}
	if !*quiet {
		o2.Progress = e.progress()
	}
	sum, err := demo.Build(e.ctx, db, o2)
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		if err := e.demoPresent(db, o.db, err); err != nil {
			return err
		}
		if err := e.printSignIns(db); err != nil {
			return err
		}
	case err != nil:
		return err
	case o.format == "json":
		if err := e.output("json", nil, sum); err != nil {
			return err
		}
	default:
		e.printDemo(sum, o.db)
	}
	if !*serve {
		return nil
	}
	db.Now = time.Now // the books are built: the server keeps real time
	return e.serve(db, so)
}

// printSignIns lists a user of each role to sign in as: the first made of
// each, which in the demo county and province are their sign-ins.
func (e *env) printSignIns(db *store.DB) error {
	users, err := db.FindUsers(e.ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(users, func(a, b *jiti.User) int { return cmp.Compare(a.ID, b.ID) })
	e.say("cli.demo_signins", demo.Password)
	for _, role := range jiti.Roles {
		for _, u := range users {
			if u.Role == role && !u.Disabled {
				e.say("cli.demo_signin", locale.PadRight(u.Name, 16), e.p.T("role."+string(role)), u.DisplayName)
				break
			}
		}
	}
	return nil
}

// errDemoScale reports an unknown -scale.
var errDemoScale = jiti.Errorf(jiti.Invalid, "cli.demo_scale")

// demoPresent says that the database already holds data, or returns err.
func (e *env) demoPresent(db *store.DB, path string, err error) error {
	if !errors.Is(err, demo.ErrNotEmpty) {
		return err
	}
	cs, ferr := db.FindCollectives(e.ctx, "")
	if ferr != nil {
		return ferr
	}
	e.say("cli.demo_present", path, len(cs))
	return nil
}

func yearsText(from, to int) string {
	if from == to {
		return fmt.Sprint(to)
	}
	return fmt.Sprintf("%d–%d", from, to)
}

func (e *env) printDemo(s *demo.Summary, db string) {
	e.say("cli.demo_built", yearsText(s.FromYear, s.Year), s.Seed, db, fmt.Sprintf("%.1f", s.Elapsed.Seconds()))
	e.say("cli.demo_counts", s.Regions, s.Townships, s.Collectives, s.Users, s.Households, s.Accounts)
	e.say("cli.demo_vouchers", s.Vouchers, s.Lines, s.ClosingVouchers)
	if p := s.People; p != nil {
		e.say("cli.demo_people", p.Members, p.Deceased, p.Exited, p.Certificates, p.ShareChanges)
		for _, y := range slices.Sorted(maps.Keys(p.Distributions)) {
			e.say("cli.demo_distributions", y, p.Distributions[y], p.Dividends[y].Grouped())
		}
	}
	line := func(key string, a jiti.Amount) {
		e.say(key, locale.PadLeft(a.Grouped(), 16), locale.PadLeft(a.Wan(), 10))
	}
	for i := range s.Years {
		y := &s.Years[i]
		in := y.Income
		e.say("cli.demo_income_title", y.Year)
		line("cli.demo_total", in.Total())
		line("cli.demo_operating_type", in.OperatingType())
		line("cli.demo_subsidy", in.Subsidy)
		line("cli.demo_other", in.Other)
		if n := len(y.Villages); n > 0 {
			avg, _ := in.Total().MulRatio(1, int64(n))
			line("cli.demo_average", avg)
		}
		e.say("cli.demo_tiers", y.CountOperatingType(jiti.Yuan(1_000_000), 0),
			y.CountOperatingType(jiti.Yuan(500_000), jiti.Yuan(1_000_000)),
			y.CountOperatingType(jiti.Yuan(100_000), jiti.Yuan(500_000)),
			y.CountOperatingType(jiti.Yuan(50_000), jiti.Yuan(100_000)),
			y.CountOperatingType(0, jiti.Yuan(50_000)), y.CountOperatingType(0, 1))
		if i > 0 {
			m := s.Moves(s.Years[i-1].Year, y.Year)
			e.say("cli.demo_moves", y.Year, s.Years[i-1].Year, m.Up, m.Down, m.Started, m.WeakTo, m.WeakFrom)
		}
	}
	e.printSignInList(s.SignIns)
}

// printSignInList lists a build's sign-ins and their password.
func (e *env) printSignInList(ins []demo.SignIn) {
	e.say("cli.demo_signins", demo.Password)
	for _, in := range ins {
		e.say("cli.demo_signin", locale.PadRight(in.Name, 16), e.p.T("role."+string(in.Role)), in.Scope)
	}
}

func (e *env) printProvince(s *demo.ProvinceSummary, size int64) {
	e.say("cli.demo_province_built", s.Cities, s.Counties, s.Townships, s.Collectives, yearsText(s.FromYear, s.Year), s.Seed,
		fmt.Sprintf("%.1f", s.Elapsed.Seconds()))
	e.say("cli.demo_province_books", s.Vouchers, s.Lines, s.ClosingVouchers)
	if !s.Closed {
		e.say("cli.demo_province_unclosed")
	}
	for _, y := range s.Income {
		e.say("cli.demo_province_year", y.Year, y.Income.Total().Wan(), y.Income.OperatingType().Wan(), y.Income.Subsidy.Wan(),
			y.Income.Other.Wan())
	}
	e.say("cli.demo_size", s.Engine, fmt.Sprintf("%.1f", float64(size)/(1<<20)))
	e.printSignInList(s.SignIns)
}

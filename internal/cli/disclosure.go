package cli

import (
	"os"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// Public disclosures (财务公开): prepare, check, publish and correct them,
// list, show and export them; `jiti verify -disclosure FILE` checks an
// exported or downloaded one without the database.

var errDisclosureNone = jiti.Errorf(jiti.NotFound, "cli.disclosure_none")

func init() {
	addCommands(
		command{"disclosure list", "cmd.disclosure_list", runDisclosureList},
		command{"disclosure prepare", "cmd.disclosure_prepare", runDisclosurePrepare},
		command{"disclosure check", "cmd.disclosure_check", runDisclosureCheck},
		command{"disclosure publish", "cmd.disclosure_publish", runDisclosurePublish},
		command{"disclosure correct", "cmd.disclosure_correct", runDisclosureCorrect},
		command{"disclosure show", "cmd.disclosure_show", runDisclosureShow},
		command{"disclosure export", "cmd.disclosure_export", runDisclosureExport},
	)
}

// which names one disclosure of a collective: by id, or by period and
// version (the latest when not given).
type which struct {
	id      *int64
	period  *string
	version *int
}

func (e *env) whichFlags(fs interface {
	Int64(string, int64, string) *int64
	String(string, string, string) *string
	Int(string, int, string) *int
}) which {
	return which{
		id:      fs.Int64("id", 0, e.p.T("flag.disclosure_id")),
		period:  fs.String("period", "", e.p.T("flag.disclosure_period")),
		version: fs.Int("version", 0, e.p.T("flag.disclosure_version")),
	}
}

// find returns the disclosure w names among collective c's.
func (w which) find(e *env, db *store.DB, c *jiti.Collective) (*store.Disclosure, error) {
	ds, err := db.Disclosures(e.ctx, c.ID)
	if err != nil {
		return nil, err
	}
	key := *w.period
	if key != "" {
		if p, err := disclose.ParsePeriod(key); err == nil {
			key = p.Key()
		}
	}
	if *w.id == 0 && key == "" {
		return nil, jiti.ErrRequired.At("period")
	}
	var best *store.Disclosure
	for _, d := range ds {
		switch {
		case *w.id != 0 && d.ID != *w.id:
		case *w.id == 0 && d.Period != key:
		case *w.version != 0 && d.Version != *w.version:
		case best == nil || d.Version > best.Version:
			best = d
		}
	}
	if best == nil {
		return nil, errDisclosureNone.With(c.Code, strings.TrimSpace(key+" "+versionLabel(*w.version)))
	}
	return db.FindDisclosure(e.ctx, best.ID)
}

func versionLabel(v int) string {
	if v == 0 {
		return ""
	}
	return "v" + strconv.Itoa(v)
}

func runDisclosureList(e *env, args []string) error {
	var o opts
	fs := e.flags("disclosure list", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		ds, err := db.Disclosures(e.ctx, c.ID)
		if err != nil {
			return err
		}
		t := &report.Table{Title: e.p.T("cli.title.disclosures"), Meta: []string{c.Name}, Columns: []report.Column{
			{Key: "cli.col.id", Align: report.Right}, {Key: "cli.col.disclosure_period", Align: report.Left},
			{Key: "cli.col.version", Align: report.Right}, {Key: "cli.col.status", Align: report.Left},
			{Key: "cli.col.hash", Align: report.Left}}}
		for _, d := range ds {
			t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.FormatInt(d.ID, 10), d.Period, strconv.Itoa(d.Version),
				e.p.T("disclosure.status." + string(d.Status)), d.Hash}})
		}
		return e.output(o.format, t, ds)
	})
}

// runDisclosurePrepare prepares a quarter or a month (-period), or one
// matter (-matter TITLE -from MONTH -to MONTH).
func runDisclosurePrepare(e *env, args []string) error {
	var o opts
	fs := e.flags("disclosure prepare", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	period := fs.String("period", "", e.p.T("flag.disclosure_period"))
	matter := fs.String("matter", "", e.p.T("flag.disclosure_matter"))
	from := fs.String("from", "", e.p.T("flag.from"))
	to := fs.String("to", "", e.p.T("flag.to"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	p, err := disclosurePeriod(*period, *matter, *from, *to)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		d, err := db.PrepareDisclosure(e.ctx, by, c.ID, p)
		if err != nil {
			return err
		}
		e.say("cli.disclosure_prepared", c.Name, d.Period, d.Version, d.Hash)
		return nil
	})
}

// disclosurePeriod reads -period, or -matter with -from and -to.
func disclosurePeriod(period, matter, from, to string) (disclose.Period, error) {
	if matter == "" {
		if period == "" {
			return disclose.Period{}, jiti.ErrRequired.At("period")
		}
		return disclose.ParsePeriod(period)
	}
	f, err := jiti.ParsePeriod(from)
	if err != nil {
		return disclose.Period{}, jiti.AsError(err).At("from")
	}
	t, err := jiti.ParsePeriod(to)
	if err != nil {
		return disclose.Period{}, jiti.AsError(err).At("to")
	}
	return disclose.NewMatter(f, t, matter)
}

func runDisclosureCheck(e *env, args []string) error {
	var o opts
	fs := e.flags("disclosure check", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	w := e.whichFlags(fs)
	checker := fs.String("checker", "", e.p.T("flag.disclosure_checker"))
	on := fs.String("date", "", e.p.T("flag.disclosure_checked_on"))
	remarks := fs.String("remarks", "", e.p.T("flag.disclosure_remarks"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	day, err := jiti.ParseDate(*on)
	if err != nil {
		return jiti.AsError(err).At("date")
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		d, err := w.find(e, db, c)
		if err != nil {
			return err
		}
		d, err = db.CheckDisclosure(e.ctx, by, d.ID, store.DisclosureCheck{Checker: *checker, On: day, Remarks: *remarks})
		if err != nil {
			return err
		}
		e.say("cli.disclosure_checked", c.Name, d.Period, d.Version, d.Checker)
		return nil
	})
}

func runDisclosurePublish(e *env, args []string) error {
	var o opts
	fs := e.flags("disclosure publish", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	w := e.whichFlags(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		d, err := w.find(e, db, c)
		if err != nil {
			return err
		}
		if d, err = db.PublishDisclosure(e.ctx, by, d.ID); err != nil {
			return err
		}
		e.say("cli.disclosure_published", c.Name, d.Period, d.Version, d.Hash, "/p/"+c.Code+"/"+strconv.FormatInt(d.ID, 10))
		return nil
	})
}

func runDisclosureCorrect(e *env, args []string) error {
	var o opts
	fs := e.flags("disclosure correct", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	w := e.whichFlags(fs)
	reason := fs.String("reason", "", e.p.T("flag.disclosure_reason"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		d, err := w.find(e, db, c)
		if err != nil {
			return err
		}
		n, err := db.CorrectDisclosure(e.ctx, by, d.ID, *reason)
		if err != nil {
			return err
		}
		e.say("cli.disclosure_prepared", c.Name, n.Period, n.Version, n.Hash)
		return nil
	})
}

func runDisclosureShow(e *env, args []string) error {
	var o opts
	fs := e.flags("disclosure show", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	w := e.whichFlags(fs)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		d, err := w.find(e, db, c)
		if err != nil {
			return err
		}
		s, err := disclose.Parse(d.Content)
		if err != nil {
			return err
		}
		if o.format == "json" {
			return e.output("json", nil, struct {
				*store.Disclosure
				Snapshot *disclose.Snapshot `json:"snapshot"`
			}{d, s})
		}
		e.say("cli.disclosure_head", c.Name, d.Period, d.Version, e.p.T("disclosure.status."+string(d.Status)))
		e.say("cli.disclosure_hash", d.Hash, d.ChainSeq, d.ChainHash)
		if d.Reason != "" {
			e.say("cli.disclosure_reason", d.Reason)
		}
		if d.Checker != "" {
			e.say("cli.disclosure_check", d.Checker, d.CheckedOn, d.CheckRemarks)
		}
		e.say("cli.disclosure_sums", e.p.Money(jiti.Amount(s.Income)), e.p.Money(jiti.Amount(s.Expense)), len(s.Items),
			len(s.Assets), len(s.Resources), len(s.Contracts), len(s.Claims), len(s.Debts))
		return nil
	})
}

// runDisclosureExport writes a disclosure's canonical form to -o, and
// its SHA-256 beside it (FILE.sha256, as sha256sum writes it).
func runDisclosureExport(e *env, args []string) error {
	var o opts
	fs := e.flags("disclosure export", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	w := e.whichFlags(fs)
	out := fs.String("o", "", e.p.T("flag.output"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return jiti.ErrRequired.At("o")
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		d, err := w.find(e, db, c)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, d.Content, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(*out+".sha256", []byte(d.Hash+"  "+baseName(*out)+"\n"), 0o644); err != nil {
			return err
		}
		e.say("cli.disclosure_exported", *out, d.Hash)
		return nil
	})
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

var errDisclosureHash = jiti.Errorf(jiti.Invalid, "cli.disclosure_hash_differs")

// verifyDisclosure checks a disclosure file without the database: that
// it is a snapshot in canonical form whose totals add up, and that its
// SHA-256 is the one published (-hash, or FILE.sha256 beside it).
func verifyDisclosure(e *env, path, want string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s, err := disclose.Parse(b)
	if err != nil {
		return err
	}
	got := disclose.Hash(b)
	if want == "" {
		if side, err := os.ReadFile(path + ".sha256"); err == nil {
			want, _, _ = strings.Cut(strings.TrimSpace(string(side)), " ")
		}
	}
	e.say("cli.disclosure_file", path, s.Collective.Code, s.Collective.Name, s.Period, s.Version, got)
	e.say("cli.disclosure_hash", got, s.Chain.Seq, s.Chain.Hash)
	if want != "" && !strings.EqualFold(strings.TrimSpace(want), got) {
		return errDisclosureHash.With(want, got)
	}
	if want == "" {
		e.say("cli.disclosure_compare")
		return nil
	}
	e.say("cli.disclosure_file_ok")
	return nil
}

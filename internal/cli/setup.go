package cli

import (
	"fmt"
	"io"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// The commands that set a county up, in the order help lists them. Each
// lives in its own file: region.go, collective.go, users.go, account.go,
// household.go, opening.go; migrate and audit here, with the helpers the
// setup commands share.
func init() {
	addCommands(
		command{"migrate", "cmd.migrate", runMigrate},
		command{"region add", "cmd.region_add", runRegionAdd},
		command{"region list", "cmd.region_list", runRegionList},
		command{"region import", "cmd.region_import", runRegionImport},
		command{"collective add", "cmd.collective_add", runCollectiveAdd},
		command{"collective list", "cmd.collective_list", runCollectiveList},
		command{"collective import", "cmd.collective_import", runCollectiveImport},
		command{"user add", "cmd.user_add", runUserAdd},
		command{"user list", "cmd.user_list", runUserList},
		command{"user passwd", "cmd.user_passwd", runUserPasswd},
		command{"user disable", "cmd.user_disable", runUserDisable(true)},
		command{"user enable", "cmd.user_enable", runUserDisable(false)},
		command{"user sessions", "cmd.user_sessions", runUserSessions},
		command{"user token", "cmd.user_token", runUserToken},
		command{"account add", "cmd.account_add", runAccountAdd},
		command{"account list", "cmd.account_list", runAccountList},
		command{"account deactivate", "cmd.account_deactivate", runAccountActive(false)},
		command{"account activate", "cmd.account_activate", runAccountActive(true)},
		command{"account delete", "cmd.account_delete", runAccountDelete},
		command{"household add", "cmd.household_add", runHouseholdAdd},
		command{"household list", "cmd.household_list", runHouseholdList},
		command{"household import", "cmd.household_import", runHouseholdImport},
		command{"opening set", "cmd.opening_set", runOpeningSet},
		command{"opening show", "cmd.opening_show", runOpeningShow},
		command{"audit", "cmd.audit", runAudit},
	)
}

func runMigrate(e *env, args []string) error {
	var o opts
	fs := e.flags("migrate", &o)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	key, err := e.key(o.db, true)
	if err != nil {
		return err
	}
	db, err := e.openStore(o.db, store.Options{Migrate: true, Key: key}, e.unsafeDurability())
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(e.ctx)
	if err != nil {
		return err
	}
	e.say("cli.migrated", o.db, v)
	return nil
}

// readSheet reads every data row of a CSV or xlsx file through fn, and
// returns all the rows' errors together (at most a thousand), or nil.
func (e *env) readSheet(path string, fields []sheet.Field, fn func(*sheet.Header, sheet.Row) error) error {
	r, err := sheet.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	h, err := sheet.ReadHeader(r, fields)
	if err != nil {
		return err
	}
	var errs sheet.Limit
	for {
		row, err := h.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := fn(h, row); err != nil {
			errs.Add(err)
		}
	}
	e.saySkipped(h.Skipped())
	return errs.Err()
}

// saySkipped names the sheets of an imported file that were not data.
func (e *env) saySkipped(skipped []sheet.Skipped) {
	for _, s := range skipped {
		fmt.Fprintln(e.stdout, sheet.DescribeSkipped(e.p, s))
	}
}

func (e *env) withActor(o *opts, fn func(db *store.DB, by jiti.UserID) error) error {
	db, err := e.open(o)
	if err != nil {
		return err
	}
	defer db.Close()
	by, err := e.actor(db, o)
	if err != nil {
		return err
	}
	return fn(db, by)
}

func optionalAmount(s string) (jiti.Amount, error) {
	if s == "" {
		return 0, nil
	}
	return jiti.ParseAmount(s)
}

func blank(a jiti.Amount) string {
	if a == 0 {
		return ""
	}
	return a.String()
}

func runAudit(e *env, args []string) error {
	var o opts
	fs := e.flags("audit", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	entity := fs.String("entity", "", e.p.T("flag.entity"))
	id := fs.String("id", "", e.p.T("flag.entity_id"))
	limit := fs.Int("limit", 50, e.p.T("flag.limit"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	f := store.AuditFilter{Entity: *entity, EntityID: *id, Limit: *limit}
	if *cflag != "" {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		f.CollectiveID = c.ID
	}
	evs, total, err := db.FindAuditEvents(e.ctx, f)
	if err != nil {
		return err
	}
	ids := make([]int64, len(evs))
	for i, ev := range evs {
		ids[i] = ev.CollectiveID
	}
	names, err := db.CollectiveNames(e.ctx, ids)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.audit"), Meta: []string{e.p.T("cli.shown_of", len(evs), total)}, Columns: []report.Column{
		{Key: "cli.col.id", Align: report.Right}, {Key: "cli.col.time", Align: report.Left},
		{Key: "cli.col.user", Align: report.Left}, {Key: "cli.col.action", Align: report.Left},
		{Key: "cli.col.collective_code", Align: report.Left}, {Key: "cli.col.entity", Align: report.Left},
		{Key: "cli.col.old", Align: report.Left}, {Key: "cli.col.new", Align: report.Left}}}
	for _, ev := range evs {
		entity := ev.Entity + " " + ev.EntityID
		if ev.Entity == "collective" {
			entity = ev.Entity // the collective's column names it
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.FormatInt(ev.ID, 10), ev.At.Format("2006-01-02 15:04:05"),
			ev.UserName, ev.Action, names[ev.CollectiveID].Code, entity, clip(string(ev.Old), 60), clip(string(ev.New), 60)}})
	}
	return e.output(o.format, t, evs)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// accountName returns the display name of an account in the user's
// language.
func (e *env) accountName(a *ledger.Account) string {
	if e.p.Lang() == "en" && a.NameEN != "" {
		return a.NameEN
	}
	return a.Name
}

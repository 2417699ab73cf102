package cli

import (
	"fmt"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// Opening balances: jiti opening set, show.

var openingFields = []sheet.Field{
	{Name: "account", Aliases: []string{"科目编码", "科目代码", "科目", "account"}, Required: true},
	{Name: "household", Aliases: []string{"户号", "户编码", "household"}},
	{Name: "debit", Aliases: []string{"借方余额", "借方金额", "借方", "debit"}},
	{Name: "credit", Aliases: []string{"贷方余额", "贷方金额", "贷方", "credit"}},
}

// runOpeningSet replaces a collective's opening balances with those of a
// CSV or xlsx file (account, household, debit, credit).
func runOpeningSet(e *env, args []string) error {
	var o opts
	fs := e.flags("opening set", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	var typed lineFlags
	fs.Var(&typed, "entry", e.p.T("flag.entry"))
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if (fs.NArg() == 1) == (len(typed) > 0) {
		return ErrFileOrEntries.At("file")
	}
	var entries []store.OpeningBalance
	var rows []sheet.Row
	var header *sheet.Header
	if len(typed) > 0 {
		for i, s := range typed {
			ob, err := parseEntry(s)
			if err != nil {
				return err.At(fmt.Sprintf("entries[%d]", i+1))
			}
			entries = append(entries, ob)
		}
	} else {
		err := e.readSheet(fs.Arg(0), openingFields, func(h *sheet.Header, row sheet.Row) error {
			header = h
			ob := store.OpeningBalance{Account: h.Get(row, "account"), Household: h.Get(row, "household")}
			var err error
			if ob.Debit, err = sheet.OptionalAmount(h.Get(row, "debit")); err != nil {
				return h.CellError(row, "debit", err)
			}
			if ob.Credit, err = sheet.OptionalAmount(h.Get(row, "credit")); err != nil {
				return h.CellError(row, "credit", err)
			}
			entries = append(entries, ob)
			rows = append(rows, row)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		if err := db.SetOpeningBalances(e.ctx, by, c.ID, entries); err != nil {
			if header == nil {
				return err
			}
			return locateEntries(err, header, rows)
		}
		e.say("cli.opening_set", c.Name, len(entries))
		return nil
	})
}

// ErrFileOrEntries reports opening balances given both or neither as a
// file and as -entry flags.
var ErrFileOrEntries = jiti.Errorf(jiti.Invalid, "cli.file_or_entries")

// parseEntry reads one -entry value: "account,household,debit,credit".
func parseEntry(s string) (store.OpeningBalance, *jiti.Error) {
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return store.OpeningBalance{}, ErrEntrySyntax.With(s)
	}
	ob := store.OpeningBalance{Account: strings.TrimSpace(f[0]), Household: strings.TrimSpace(f[1])}
	var err error
	if ob.Debit, err = optionalAmount(f[2]); err != nil {
		return ob, jiti.AsError(err).At("debit")
	}
	if ob.Credit, err = optionalAmount(f[3]); err != nil {
		return ob, jiti.AsError(err).At("credit")
	}
	return ob, nil
}

// ErrEntrySyntax reports an -entry value that is not
// "account,household,debit,credit".
var ErrEntrySyntax = jiti.Errorf(jiti.Invalid, "cli.entry_syntax")

// locateEntries turns the "entries[n].field" errors of opening balances into
// errors at the rows and columns of the file they came from.
func locateEntries(err error, h *sheet.Header, rows []sheet.Row) error {
	var list []error
	if es, ok := err.(jiti.Errors); ok {
		list = es
	} else {
		list = []error{err}
	}
	var out sheet.Limit
	for _, one := range list {
		je := jiti.AsError(one)
		var n int
		var field string
		if je == nil || h == nil {
			out.Add(one)
			continue
		}
		if _, scanErr := fmt.Sscanf(je.Field, "entries[%d]", &n); scanErr != nil || n < 1 || n > len(rows) {
			out.Add(one)
			continue
		}
		if i := strings.IndexByte(je.Field, '.'); i >= 0 {
			field = je.Field[i+1:]
		}
		plain := *je
		plain.Field = ""
		out.Add(h.CellError(rows[n-1], field, &plain))
	}
	return out.Err()
}

func runOpeningShow(e *env, args []string) error {
	var o opts
	fs := e.flags("opening show", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		obs, err := db.OpeningBalances(e.ctx, c.ID)
		if err != nil {
			return err
		}
		t := &report.Table{Title: e.p.T("cli.title.opening"), Meta: []string{c.Name, c.BooksOpenedOn.String()}, Columns: []report.Column{
			{Key: "report.col.code", Align: report.Left}, {Key: "cli.col.household", Align: report.Left},
			{Key: "report.col.debit", Align: report.Right, Money: true}, {Key: "report.col.credit", Align: report.Right, Money: true}}}
		var dr, cr jiti.Amount
		for _, ob := range obs {
			t.Rows = append(t.Rows, report.TableRow{Cells: []string{ob.Account, ob.Household, blank(ob.Debit), blank(ob.Credit)}})
			dr += ob.Debit
			cr += ob.Credit
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{e.p.T("report.total"), "", dr.String(), cr.String()}, Bold: true})
		return e.output(o.format, t, obs)
	})
}

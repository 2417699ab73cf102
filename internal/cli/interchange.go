package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(
		command{"import vouchers", "cmd.import_vouchers", runImportVouchers},
		command{"import history", "cmd.import_history", runImportHistory},
		command{"export journal", "cmd.export_journal", runExportJournal},
	)
}

// errImportAgain follows the refusal of content imported before.
var errImportAgain = jiti.Errorf(jiti.Conflict, "cli.import_again_hint")

func runImportVouchers(e *env, args []string) error {
	var o opts
	fs := e.flags("import vouchers", &o)
	cflag := fs.String("c", "", e.p.T("flag.c_default"))
	again := fs.Bool("again", false, e.p.T("flag.import_again"))
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return jiti.ErrRequired.At("file")
	}
	path := fs.Arg(0)
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		var def *jiti.Collective
		if *cflag != "" {
			c, err := e.collective(db, *cflag)
			if err != nil {
				return err
			}
			def = c
		}
		res, err := importVoucherFile(e, db, by, path, def, *again)
		if errors.Is(err, store.ErrImportInvalid) {
			e.printImportErrors(res)
			return err
		}
		if errors.Is(err, store.ErrImportedBefore) {
			// Say, after the earlier import, how to import again anyway.
			return jiti.Errors{err, errImportAgain}
		}
		if err != nil {
			return err
		}
		e.say("cli.vouchers_imported", res.Vouchers, res.Lines, res.FirstID, res.LastID)
		for _, rec := range res.Imports {
			if rec.AgainOf != 0 {
				e.say("cli.import_again", rec.ID, rec.AgainOf)
			}
		}
		e.printRepeats(res)
		return nil
	})
}

// importVoucherFile imports the voucher file at path as `jiti import
// vouchers` does (the bench too): rows without a collective go to def.
func importVoucherFile(e *env, db *store.DB, by jiti.UserID, path string, def *jiti.Collective, again bool) (*store.ImportResult, error) {
	sum, err := fileSHA256(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	src, err := sheet.OpenVouchers(path, name, def, func(code string) (*jiti.Collective, error) {
		return db.FindCollectiveByCode(e.ctx, code)
	})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	res, err := db.Import(e.ctx, by, src, store.ImportFile{Name: name, SHA256: sum, Again: again})
	e.saySkipped(src.Skipped())
	return res, err
}

// fileSHA256 returns the hex SHA-256 of a file's bytes, which an import's
// record keeps beside the hash of what the file says.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// printRepeats lists the imported vouchers that repeat another, each at
// its row, and how many there are.
func (e *env) printRepeats(res *store.ImportResult) {
	for _, r := range res.Repeats {
		note := store.ErrRepeats.With(r.Voucher, r.Of)
		ce := sheet.Where(r.Place)
		if ce == nil {
			fmt.Fprintln(e.stdout, e.p.Error(note))
			continue
		}
		at := *ce
		at.Column, at.Err = "", note
		fmt.Fprintln(e.stdout, e.cellError(&at))
	}
	if res.MoreRepeats > 0 {
		e.say("cli.more_repeats", res.MoreRepeats)
	}
	if n := len(res.Repeats) + res.MoreRepeats; n > 0 {
		e.say("cli.import_repeats", n)
	}
}

// runImportHistory lists the records of a collective's imports, newest
// first: who imported which file when, and what it made.
func runImportHistory(e *env, args []string) error {
	var o opts
	fs := e.flags("import history", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.readCollective(&o, *cflag, func(db *store.DB, c *jiti.Collective) error {
		recs, err := db.FindImports(e.ctx, c.ID)
		if err != nil {
			return err
		}
		t := &report.Table{Title: e.p.T("cli.title.imports"), Meta: []string{c.Name},
			Columns: []report.Column{
				{Key: "cli.col.id", Align: report.Right}, {Key: "cli.col.time", Align: report.Left},
				{Key: "cli.col.user", Align: report.Left}, {Key: "cli.col.file", Align: report.Left},
				{Key: "cli.col.vouchers", Align: report.Right}, {Key: "cli.col.voucher_ids", Align: report.Left},
				{Key: "cli.col.first_date", Align: report.Left}, {Key: "cli.col.last_date", Align: report.Left},
				{Key: "cli.col.repeats", Align: report.Right}, {Key: "cli.col.again_of", Align: report.Right},
				{Key: "cli.col.sha256", Align: report.Left}}}
		for _, r := range recs {
			again := ""
			if r.AgainOf != 0 {
				again = strconv.FormatInt(r.AgainOf, 10)
			}
			t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.FormatInt(r.ID, 10), r.At.Format(timeLayout),
				r.UserName, r.FileName, strconv.Itoa(r.Vouchers), fmt.Sprintf("#%d–#%d", r.FirstID, r.LastID),
				r.FirstDate.String(), r.LastDate.String(), strconv.Itoa(r.Repeats), again, clip(r.FileSHA256, 12)}})
		}
		return e.output(o.format, t, recs)
	})
}

// printImportErrors lists every error of a refused import, each with its
// sheet, row and column.
func (e *env) printImportErrors(res *store.ImportResult) {
	for _, err := range res.Errors {
		for _, line := range sheet.Lines(e.p, err) {
			fmt.Fprintln(e.stderr, line)
		}
	}
	if res.More > 0 {
		fmt.Fprintln(e.stderr, e.p.T("cli.more_errors", res.More))
	}
}

// cellError renders an error at a place in a sheet, in the user's language.
func (e *env) cellError(ce *sheet.CellError) string { return sheet.Describe(e.p, ce) }

func runExportJournal(e *env, args []string) error {
	var o opts
	fs := e.flags("export journal", &o)
	fs.Lookup("format").DefValue = "hledger"
	o.format = "hledger"
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	from := fs.String("from", "", e.p.T("flag.from"))
	to := fs.String("to", "", e.p.T("flag.to"))
	out := fs.String("o", "", e.p.T("flag.output"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if o.format != "hledger" && o.format != "ledger" {
		return errFormat.With(o.format).At("format")
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	var cs []jiti.Collective
	if *cflag != "" {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		cs = []jiti.Collective{*c}
	} else if cs, err = db.FindCollectives(e.ctx, *region); err != nil {
		return err
	}
	w := e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	x := &journalExport{ctx: e.ctx, db: db, from: *from, to: *to, month: e.monthRange}
	vouchers, err := x.write(w, cs)
	if err != nil {
		return err
	}
	if *out != "" {
		e.say("cli.journal_exported", *out, len(cs), vouchers)
	}
	return nil
}

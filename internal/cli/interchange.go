package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
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

// voucherFields are the columns of a voucher import file: one row per line,
// rows of one voucher sharing its voucher key.
var voucherFields = []sheet.Field{
	{Name: "key", Aliases: []string{"凭证号", "凭证编号", "凭证", "voucher"}, Required: true},
	{Name: "collective", Aliases: []string{"单位编码", "单位", "collective"}},
	{Name: "date", Aliases: []string{"日期", "凭证日期", "date"}, Required: true},
	{Name: "attachments", Aliases: []string{"附件数", "附单据数", "附件", "attachments"}},
	{Name: "note", Aliases: []string{"备注", "note"}},
	{Name: "summary", Aliases: []string{"摘要", "summary"}, Required: true},
	{Name: "account", Aliases: []string{"科目编码", "科目代码", "科目", "account"}, Required: true},
	{Name: "debit", Aliases: []string{"借方金额", "借方", "debit"}, Required: true},
	{Name: "credit", Aliases: []string{"贷方金额", "贷方", "credit"}, Required: true},
	{Name: "counterparty", Aliases: []string{"往来单位", "往来单位或个人", "对方单位", "counterparty"}},
	{Name: "household", Aliases: []string{"户号", "农户", "household"}},
	{Name: "project", Aliases: []string{"项目", "project"}},
	{Name: "asset", Aliases: []string{"资产", "资产编号", "asset"}},
	{Name: "contract", Aliases: []string{"合同", "合同编号", "contract"}},
}

// Errors of voucher files.
var (
	ErrKeyRepeated   = jiti.Errorf(jiti.Invalid, "import.key_repeated")
	ErrHeaderDiffers = jiti.Errorf(jiti.Invalid, "import.header_differs")
	// errImportAgain follows the refusal of content imported before.
	errImportAgain = jiti.Errorf(jiti.Conflict, "cli.import_again_hint")
)

// sheetVouchers reads vouchers from a sheet, streaming: rows with the same
// voucher key (and collective) in a row make one voucher. It remembers only
// the keys already seen, to refuse a key that comes back after other
// vouchers, which would otherwise split one voucher in two.
type sheetVouchers struct {
	find    func(code string) (*jiti.Collective, error) // a collective by code
	h       *sheet.Header
	def     *jiti.Collective // the collective of rows without one (-c)
	byCode  map[string]*jiti.Collective
	seen    map[uint64]int // hash of a voucher key → its first row
	pending *sheet.Row
	rows    []sheet.Row // the rows of the voucher last returned
	eof     bool
}

var keySeed = maphash.MakeSeed()

func newSheetVouchers(e *env, db *store.DB) *sheetVouchers {
	return &sheetVouchers{
		find:   func(code string) (*jiti.Collective, error) { return db.FindCollectiveByCode(e.ctx, code) },
		byCode: map[string]*jiti.Collective{}, seen: map[uint64]int{},
	}
}

func (s *sheetVouchers) groupKey(row sheet.Row) string {
	return s.h.Get(row, "collective") + "\x00" + s.h.Get(row, "key")
}

// sameVoucher reports whether two rows belong to one voucher: the same
// voucher key and collective.
func (s *sheetVouchers) sameVoucher(a, b sheet.Row) bool {
	return s.h.Get(a, "key") == s.h.Get(b, "key") && s.h.Get(a, "collective") == s.h.Get(b, "collective")
}

// Next returns the next voucher. Cell errors are returned as they are met;
// the caller collects them and calls Next again.
func (s *sheetVouchers) Next() (*ledger.Voucher, error) {
	if s.eof && s.pending == nil {
		return nil, io.EOF
	}
	s.rows = s.rows[:0]
	for {
		var row sheet.Row
		if s.pending != nil {
			row, s.pending = *s.pending, nil
		} else if s.eof {
			break
		} else {
			r, err := s.h.Next()
			if err == io.EOF {
				s.eof = true
				break
			}
			if err != nil {
				// A file that cannot be read further ends here: its error
				// is reported once, and reading stops.
				s.eof = true
				s.rows = s.rows[:0]
				return nil, err
			}
			row = r
		}
		if len(s.rows) > 0 && !s.sameVoucher(row, s.rows[0]) {
			s.pending = &row
			break
		}
		s.rows = append(s.rows, row)
	}
	if len(s.rows) == 0 {
		return nil, io.EOF
	}
	return s.build()
}

// build turns the rows of one voucher into a voucher, or the first error of
// its cells.
func (s *sheetVouchers) build() (*ledger.Voucher, error) {
	h, first := s.h, s.rows[0]
	if h.Get(first, "key") == "" {
		return nil, h.CellError(first, "key", jiti.ErrRequired)
	}
	// Keys are remembered by a 64-bit hash: a file of millions of vouchers
	// then needs a few megabytes for them, and a collision (one in 10^10
	// for a million keys) could only refuse a good file, never pass a bad
	// one.
	key := maphash.String(keySeed, s.groupKey(first))
	if at, ok := s.seen[key]; ok {
		return nil, h.CellError(first, "key", ErrKeyRepeated.With(h.Get(first, "key"), at))
	}
	s.seen[key] = first.Line
	c, err := s.collectiveOf(first)
	if err != nil {
		return nil, err
	}
	v := &ledger.Voucher{CollectiveID: c.ID, Note: h.Get(first, "note")}
	if v.Date, err = jiti.ParseDate(h.Get(first, "date")); err != nil {
		return nil, h.CellError(first, "date", err)
	}
	if a := h.Get(first, "attachments"); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil {
			return nil, h.CellError(first, "attachments", ledger.ErrAttachments.With(a))
		}
		v.Attachments = n
	}
	var errs sheet.Limit
	for i, row := range s.rows {
		if i > 0 {
			for _, f := range []string{"date", "attachments", "note"} {
				if x := h.Get(row, f); x != "" && x != h.Get(first, f) {
					errs.Add(h.CellError(row, f, ErrHeaderDiffers.With(x, h.Get(first, f))))
				}
			}
		}
		l := ledger.Line{Summary: h.Get(row, "summary"), Account: h.Get(row, "account"),
			Counterparty: h.Get(row, "counterparty"), Household: h.Get(row, "household"),
			Project: h.Get(row, "project"), Asset: h.Get(row, "asset"), Contract: h.Get(row, "contract")}
		if l.Debit, err = optionalAmount(h.Get(row, "debit")); err != nil {
			errs.Add(h.CellError(row, "debit", err))
		}
		if l.Credit, err = optionalAmount(h.Get(row, "credit")); err != nil {
			errs.Add(h.CellError(row, "credit", err))
		}
		v.Lines = append(v.Lines, l)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *sheetVouchers) collectiveOf(row sheet.Row) (*jiti.Collective, error) {
	code := s.h.Get(row, "collective")
	if code == "" {
		if s.def == nil {
			return nil, s.h.CellError(row, "collective", jiti.ErrRequired)
		}
		return s.def, nil
	}
	if c, ok := s.byCode[code]; ok {
		if c == nil {
			return nil, s.h.CellError(row, "collective", jiti.ErrNotFound.With("collective", code))
		}
		return c, nil
	}
	c, err := s.find(code)
	if errors.Is(err, jiti.ErrNotFound) {
		s.byCode[code] = nil
		return nil, s.h.CellError(row, "collective", jiti.ErrNotFound.With("collective", code))
	}
	if err != nil {
		return nil, err
	}
	s.byCode[code] = c
	return c, nil
}

// Locate places a validation error of the voucher last returned at its row
// and column: "lines[3].account" is the account cell of its third row;
// voucher-level fields are cells of its first row.
func (s *sheetVouchers) Locate(v *ledger.Voucher, err error) error {
	var list []error
	switch x := err.(type) {
	case jiti.Errors:
		list = x
	default:
		list = []error{err}
	}
	var out sheet.Limit
	for _, one := range list {
		je := jiti.AsError(one)
		if je == nil {
			out.Add(s.h.CellError(s.rows[0], "", one))
			continue
		}
		row, field := s.rows[0], je.Field
		var n int
		if _, scanErr := fmt.Sscanf(je.Field, "lines[%d]", &n); scanErr == nil && n >= 1 && n <= len(s.rows) {
			row, field = s.rows[n-1], ""
			if i := strings.IndexByte(je.Field, '.'); i >= 0 {
				field = je.Field[i+1:]
			}
		}
		switch field {
		case "lines", "period":
			field = ""
		}
		plain := *je
		plain.Field = ""
		out.Add(s.h.CellError(row, field, &plain))
	}
	return out.Err()
}

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
	r, err := sheet.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	src := newSheetVouchers(e, db)
	src.def = def
	if src.h, err = sheet.ReadHeader(r, voucherFields); err != nil {
		return nil, err
	}
	return db.Import(e.ctx, by, src, store.ImportFile{Name: filepath.Base(path), SHA256: sum, Again: again})
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
		var lim *sheet.Limit
		var ce *sheet.CellError
		switch {
		case errors.As(r.Place, &lim) && len(lim.Errors) > 0:
			ce = lim.Errors[0]
		case errors.As(r.Place, &ce):
		}
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
		var lim *sheet.Limit
		if errors.As(err, &lim) {
			for _, ce := range lim.Errors {
				fmt.Fprintln(e.stderr, e.cellError(ce))
			}
			continue
		}
		var ce *sheet.CellError
		if errors.As(err, &ce) {
			fmt.Fprintln(e.stderr, e.cellError(ce))
			continue
		}
		fmt.Fprintln(e.stderr, e.p.Error(err))
	}
	if res.More > 0 {
		fmt.Fprintln(e.stderr, e.p.T("cli.more_errors", res.More))
	}
}

// cellError renders an error at a place in a sheet, in the user's language.
func (e *env) cellError(ce *sheet.CellError) string {
	if ce.Column == "" {
		return e.p.T("cli.row_error", ce.Sheet, ce.Row, e.p.Error(ce.Err))
	}
	return e.p.T("cli.cell_error", ce.Sheet, ce.Row, ce.Column, e.p.Error(ce.Err))
}

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

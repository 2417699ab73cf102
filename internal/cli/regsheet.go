package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// The spreadsheet commands of the registers. This file holds the generic
// machinery (template, import, export); each register's sheet (its
// columns, example and reading) lives beside its commands: assetSheet in
// asset.go, resourceSheet in resource.go, contractSheet in contract.go.
func init() {
	addCommands(
		command{"template", "cmd.template", runTemplate},
		command{"import assets", "cmd.import_assets", runImportRegister(assetSheet)},
		command{"import resources", "cmd.import_resources", runImportRegister(resourceSheet)},
		command{"import contracts", "cmd.import_contracts", runImportRegister(contractSheet)},
		command{"export registers", "cmd.export_registers", runExportRegisters},
	)
}

// A registerSheet is the spreadsheet form of one register: its columns
// (the first alias of each is the template's header), an example row, and
// how a row becomes the item a store batch creates.
type registerSheet struct {
	name    string // assets, resources, contracts
	title   string // catalog key of the sheet's name
	fields  []sheet.Field
	example []string
	// read turns a row into an item; errors are sheet.CellErrors.
	read func(e *env, db *store.DB, c *jiti.Collective, h *sheet.Header, row sheet.Row) (any, error)
	// create saves the items, all or none.
	create func(e *env, db *store.DB, by jiti.UserID, items []any) error
}

var sheetsByName = map[string]*registerSheet{}

func init() {
	for _, s := range []*registerSheet{assetSheet, resourceSheet, contractSheet} {
		sheetsByName[s.name] = s
	}
}

// enum reads a cell naming one of values, by its code or by its Chinese or
// English label (catalog key prefix+value), so that templates filled in
// Chinese import as well as codes.
func enum[T ~string](cell, prefix string, values []T, def T) (T, bool) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return def, true
	}
	zh, en := locale.New(locale.ZH), locale.New(locale.EN)
	for _, v := range values {
		key := prefix + string(v)
		if strings.EqualFold(cell, string(v)) || cell == zh.T(key) || strings.EqualFold(cell, en.T(key)) {
			return v, true
		}
	}
	return def, false
}

// ErrEnum reports a cell that names none of a column's values.
var ErrEnum = jiti.Errorf(jiti.Invalid, "cli.enum")

func yesNo(cell string) bool {
	switch strings.ToLower(strings.TrimSpace(cell)) {
	case "是", "y", "yes", "true", "1", "√":
		return true
	}
	return false
}

// splitList splits a cell listing codes by 、 , ， ; or spaces.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' '
	})
}

// runTemplate writes the import template of a register: its headers, in
// Chinese, and an example row.
func runTemplate(e *env, args []string) error {
	var o opts
	fs := e.flags("template", &o)
	out := fs.String("o", "", e.p.T("flag.output"))
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	rs, ok := sheetsByName[fs.Arg(0)]
	if !ok {
		return ErrEnum.With(fs.Arg(0)).At("register")
	}
	format := "xlsx"
	if strings.HasSuffix(strings.ToLower(*out), ".csv") {
		format = "csv"
	}
	var w io.Writer = e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	} else {
		format = "csv"
	}
	sw, err := sheet.NewWriter(w, format, e.p.T(rs.title), sheet.WithEncoding(e.encoding))
	if err != nil {
		return err
	}
	headers := make([]string, len(rs.fields))
	for i, f := range rs.fields {
		headers[i] = f.Aliases[0]
		if f.Required {
			headers[i] += "*"
		}
	}
	if err := sw.WriteHeader(headers...); err != nil {
		return err
	}
	cells := make([]any, len(rs.example))
	for i, v := range rs.example {
		cells[i] = sheet.Text(v)
	}
	if err := sw.WriteRow(cells...); err != nil {
		return err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	if *out != "" {
		e.say("cli.template_written", *out)
	}
	return nil
}

// runImportRegister loads a register from a CSV or xlsx file into one
// collective, all or none, with every error by sheet, row and column.
func runImportRegister(rs *registerSheet) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		var o opts
		fs := e.flags("import "+rs.name, &o)
		cflag := fs.String("c", "", e.p.T("flag.c"))
		if err := parse(fs, args, 1); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return jiti.ErrRequired.At("file")
		}
		return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
			var items []any
			var rows []sheet.Row
			var header *sheet.Header
			err := e.readSheet(fs.Arg(0), rs.fields, func(h *sheet.Header, row sheet.Row) error {
				header = h
				it, err := rs.read(e, db, c, h, row)
				if err != nil {
					return err
				}
				items = append(items, it)
				rows = append(rows, row)
				return nil
			})
			if err != nil {
				e.printCellErrors(err)
				return store.ErrImportInvalid.With(countErrors(err))
			}
			if err := rs.create(e, db, by, items); err != nil {
				if header == nil || jiti.KindOf(err) == jiti.Internal {
					return err
				}
				located := locateItems(err, header, rows)
				e.printCellErrors(located)
				return store.ErrImportInvalid.With(countErrors(located))
			}
			e.say("cli.register_imported", len(items), e.p.T(rs.title), c.Name)
			return nil
		})
	}
}

// printCellErrors prints errors placed in a sheet, one a line.
func (e *env) printCellErrors(err error) {
	var list []error
	switch x := err.(type) {
	case *sheet.Limit:
		for _, ce := range x.Errors {
			list = append(list, ce)
		}
	case interface{ Unwrap() []error }:
		list = x.Unwrap()
	default:
		list = []error{err}
	}
	for _, one := range list {
		if ce, ok := one.(*sheet.CellError); ok {
			fmt.Fprintln(e.stderr, e.cellError(ce))
			continue
		}
		fmt.Fprintln(e.stderr, e.p.Error(one))
	}
}

func countErrors(err error) int {
	if l, ok := err.(*sheet.Limit); ok {
		return l.Count()
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		return len(u.Unwrap())
	}
	return 1
}

// locateItems turns the "items[n].field" errors of a batch into errors at
// the rows and columns of the file the items came from.
func locateItems(err error, h *sheet.Header, rows []sheet.Row) error {
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
		if je == nil {
			out.Add(one)
			continue
		}
		if _, scanErr := fmt.Sscanf(je.Field, "items[%d]", &n); scanErr != nil || n < 1 || n > len(rows) {
			out.Add(one)
			continue
		}
		field := ""
		if i := strings.IndexByte(je.Field, '.'); i >= 0 {
			field = je.Field[i+1:]
		}
		plain := *je
		plain.Field = ""
		if !h.HasField(field) {
			plain.Field, field = field, ""
		}
		out.Add(h.CellError(rows[n-1], field, &plain))
	}
	return out.Err()
}

// runExportRegisters writes the registers of a collective or a region to
// an xlsx workbook: one sheet each for assets, resources and contracts,
// each the register's table (the same cells as its list and its web page)
// with the code and name of each row's collective before it, as data:
// the header in the first row, amounts and areas numbers, dates dates.
func runExportRegisters(e *env, args []string) error {
	var o opts
	fs := e.flags("export registers", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	out := fs.String("o", "", e.p.T("flag.output"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return jiti.ErrRequired.At("o")
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	var cid int64
	if *cflag != "" {
		c, err := e.collective(db, *cflag)
		if err != nil {
			return err
		}
		cid = c.ID
	}
	assets, err := db.FindAssets(e.ctx, store.AssetFilter{CollectiveID: cid, Region: *region})
	if err != nil {
		return err
	}
	acc := map[int64]jiti.Amount{}
	for i := range assets {
		if acc[assets[i].ID], err = db.AccumulatedDepreciation(e.ctx, &assets[i]); err != nil {
			return err
		}
	}
	resources, err := db.FindResources(e.ctx, store.ResourceFilter{CollectiveID: cid, Region: *region})
	if err != nil {
		return err
	}
	contracts, err := db.FindContracts(e.ctx, store.ContractFilter{CollectiveID: cid, Region: *region})
	if err != nil {
		return err
	}
	received, err := e.received(db, contracts)
	if err != nil {
		return err
	}
	sheets := []struct {
		name string // catalog key
		t    *report.Table
		ids  []int64 // the collective of each row
	}{
		{"cli.sheet.assets", report.AssetTable(assets, acc, e.tr()), collectiveIDs(assets, func(a register.Asset) int64 { return a.CollectiveID })},
		{"cli.sheet.resources", report.ResourceTable(resources, e.tr()), collectiveIDs(resources, func(r register.Resource) int64 { return r.CollectiveID })},
		{"cli.sheet.contracts", report.ContractTable(contracts, received, e.tr()), collectiveIDs(contracts, func(k *register.Contract) int64 { return k.CollectiveID })},
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	var w *sheet.Writer
	for _, sh := range sheets {
		if err := e.collectiveColumns(db, sh.t, sh.ids); err != nil {
			return err
		}
		if w == nil {
			if w, err = sheet.NewWriter(f, "xlsx", e.p.T(sh.name)); err != nil {
				return err
			}
		} else if err := w.NewSheet(e.p.T(sh.name)); err != nil {
			return err
		}
		if err := sheet.WriteDataSheet(w, sh.t, e.tr()); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	e.say("cli.registers_exported", *out, len(assets), len(resources), len(contracts))
	return nil
}

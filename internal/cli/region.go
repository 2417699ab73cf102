package cli

import (
	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// Regions: jiti region add, list, import.

func runRegionAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("region add", &o)
	code := fs.String("code", "", e.p.T("flag.region_code"))
	name := fs.String("name", "", e.p.T("flag.name"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		r, err := db.CreateRegion(e.ctx, by, jiti.Region{Code: *code, Name: *name})
		if err != nil {
			return err
		}
		e.say("cli.region_added", r.Code, r.Name)
		return nil
	})
}

func runRegionList(e *env, args []string) error {
	var o opts
	fs := e.flags("region list", &o)
	under := fs.String("under", "", e.p.T("flag.under"))
	depth := fs.Int("depth", 0, e.p.T("flag.depth"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	rs, err := db.FindRegions(e.ctx, *under, *depth)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.regions"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left, Indent: true},
		{Key: "cli.col.level", Align: report.Left}}}
	base := jiti.RegionLevelOf(*under)
	for _, r := range rs {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{r.Code, r.Name, e.p.T("region.level." + r.Level.String())},
			Indent: max(0, int(r.Level-base)-1)})
	}
	return e.output(o.format, t, rs)
}

var regionFields = []sheet.Field{
	{Name: "code", Aliases: []string{"区划代码", "代码", "编码", "code"}, Required: true},
	{Name: "name", Aliases: []string{"名称", "区划名称", "name"}, Required: true},
}

// runRegionImport loads regions from a CSV or xlsx file with columns code
// and name, all or none.
func runRegionImport(e *env, args []string) error {
	var o opts
	fs := e.flags("region import", &o)
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return jiti.ErrRequired.At("file")
	}
	var rs []jiti.Region
	err := e.readSheet(fs.Arg(0), regionFields, func(h *sheet.Header, row sheet.Row) error {
		r, err := jiti.NewRegion(h.Get(row, "code"), h.Get(row, "name"))
		if err != nil {
			return h.CellError(row, jiti.FieldOf(err), err)
		}
		rs = append(rs, r)
		return nil
	})
	if err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if err := db.CreateRegions(e.ctx, by, rs); err != nil {
			return err
		}
		e.say("cli.regions_imported", len(rs))
		return nil
	})
}

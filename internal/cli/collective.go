package cli

import (
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// Collectives: jiti collective add, list, import.

func runCollectiveAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("collective add", &o)
	var c jiti.Collective
	level := fs.String("level", string(jiti.LevelVillage), e.p.T("flag.level"))
	opened := fs.String("opened", "", e.p.T("flag.opened"))
	fs.StringVar(&c.Code, "code", "", e.p.T("flag.collective_code"))
	fs.StringVar(&c.Name, "name", "", e.p.T("flag.name"))
	fs.StringVar(&c.USCC, "uscc", "", e.p.T("flag.uscc"))
	fs.StringVar(&c.RegionCode, "region", "", e.p.T("flag.region_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	c.Level = jiti.CollectiveLevel(*level)
	d, err := jiti.ParseDate(*opened)
	if err != nil {
		return err.(*jiti.Error).At("opened")
	}
	c.BooksOpenedOn = d
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		c, err := db.CreateCollective(e.ctx, by, c)
		if err != nil {
			return err
		}
		e.say("cli.collective_added", c.Code, c.Name)
		return nil
	})
}

func runCollectiveList(e *env, args []string) error {
	var o opts
	fs := e.flags("collective list", &o)
	region := fs.String("region", "", e.p.T("flag.region_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	cs, err := db.FindCollectives(e.ctx, *region)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.collectives"), Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left},
		{Key: "cli.col.name", Align: report.Left}, {Key: "cli.col.region", Align: report.Left},
		{Key: "cli.col.level", Align: report.Left}, {Key: "cli.col.opened", Align: report.Left}}}
	for _, c := range cs {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{c.Code, c.Name, c.RegionCode,
			e.p.T("collective.level." + string(c.Level)), c.BooksOpenedOn.String()}})
	}
	return e.output(o.format, t, cs)
}

var collectiveFields = []sheet.Field{
	{Name: "code", Aliases: []string{"单位编码", "编码", "code"}},
	{Name: "name", Aliases: []string{"单位名称", "名称", "name"}, Required: true},
	{Name: "uscc", Aliases: []string{"统一社会信用代码", "信用代码", "uscc"}},
	{Name: "region", Aliases: []string{"区划代码", "所在区划", "region"}, Required: true},
	{Name: "level", Aliases: []string{"层级", "级别", "level"}},
	{Name: "books_opened_on", Aliases: []string{"建账日期", "启用日期", "books_opened_on", "opened"}, Required: true},
}

var levelNames = map[string]jiti.CollectiveLevel{
	"": jiti.LevelVillage, "village": jiti.LevelVillage, "村": jiti.LevelVillage, "村级": jiti.LevelVillage,
	"township": jiti.LevelTownship, "乡": jiti.LevelTownship, "镇": jiti.LevelTownship, "乡镇": jiti.LevelTownship, "乡镇级": jiti.LevelTownship,
	"group": jiti.LevelGroup, "组": jiti.LevelGroup, "组级": jiti.LevelGroup, "村民小组": jiti.LevelGroup,
}

func runCollectiveImport(e *env, args []string) error {
	var o opts
	fs := e.flags("collective import", &o)
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return jiti.ErrRequired.At("file")
	}
	var cs []jiti.Collective
	err := e.readSheet(fs.Arg(0), collectiveFields, func(h *sheet.Header, row sheet.Row) error {
		c := jiti.Collective{Code: h.Get(row, "code"), Name: h.Get(row, "name"), USCC: h.Get(row, "uscc"),
			RegionCode: h.Get(row, "region")}
		lv, ok := levelNames[strings.ToLower(h.Get(row, "level"))]
		if !ok {
			return h.CellError(row, "level", jiti.ErrCollectiveLevel.With(h.Get(row, "level")))
		}
		c.Level = lv
		d, err := jiti.ParseDate(h.Get(row, "books_opened_on"))
		if err != nil {
			return h.CellError(row, "books_opened_on", err)
		}
		c.BooksOpenedOn = d
		c.Normalize()
		if err := c.Validate(); err != nil {
			return h.CellError(row, jiti.FieldOf(err), err)
		}
		cs = append(cs, c)
		return nil
	})
	if err != nil {
		return err
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if _, err := db.CreateCollectives(e.ctx, by, cs); err != nil {
			return err
		}
		e.say("cli.collectives_imported", len(cs))
		return nil
	})
}

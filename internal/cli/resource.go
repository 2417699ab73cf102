package cli

import (
	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// The resource register's commands (jiti resource …) and its import sheet.

func runResourceAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("resource add", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	var r register.Resource
	fs.StringVar(&r.Code, "code", "", e.p.T("flag.resource_code"))
	fs.StringVar(&r.Name, "name", "", e.p.T("flag.name"))
	kind := fs.String("kind", "", e.p.T("flag.land_kind"))
	area := fs.String("area", "", e.p.T("flag.area"))
	fs.StringVar(&r.Location, "location", "", e.p.T("flag.location"))
	fs.StringVar(&r.Boundaries, "boundaries", "", e.p.T("flag.boundaries"))
	use := fs.String("use", string(register.CollectiveOperated), e.p.T("flag.resource_use"))
	since := fs.String("since", "", e.p.T("flag.since"))
	fs.StringVar(&r.Note, "note", "", e.p.T("flag.note"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	r.Kind, r.Use = register.LandKind(*kind), register.ResourceUse(*use)
	var err error
	if r.Area, err = register.ParseArea(*area); err != nil {
		return jiti.AsError(err).At("area")
	}
	if r.UseSince, err = dateFlag(*since, "use_since", false); err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		r.CollectiveID = c.ID
		if r.UseSince.IsZero() {
			r.UseSince = c.BooksOpenedOn
		}
		out, err := db.CreateResource(e.ctx, by, r)
		if err != nil {
			return err
		}
		e.say("cli.resource_added", out.Code, out.Name, out.Area)
		return nil
	})
}

func runResourceList(e *env, args []string) error {
	var o opts
	fs := e.flags("resource list", &o)
	e.outFlag(fs)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	region := fs.String("region", "", e.p.T("flag.region_code"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	f := store.ResourceFilter{Region: *region}
	var c *jiti.Collective
	if *cflag != "" {
		if c, err = e.collective(db, *cflag); err != nil {
			return err
		}
		f.CollectiveID = c.ID
	}
	rs, err := db.FindResources(e.ctx, f)
	if err != nil {
		return err
	}
	t := report.ResourceTable(rs, e.tr())
	if c != nil {
		t.Meta = []string{e.collectiveMeta(c)}
	} else {
		ids := collectiveIDs(rs, func(x register.Resource) int64 { return x.CollectiveID })
		if err := e.collectiveColumns(db, t, ids); err != nil {
			return err
		}
	}
	return e.output(o.format, t, rs)
}

func runResourceUse(e *env, args []string) error {
	var o opts
	fs := e.flags("resource use", &o)
	cflag := fs.String("c", "", e.p.T("flag.c"))
	code := fs.String("resource", "", e.p.T("flag.resource_code"))
	use := fs.String("use", "", e.p.T("flag.resource_use"))
	on := fs.String("date", "", e.p.T("flag.date"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	d, err := dateFlag(*on, "date", true)
	if err != nil {
		return err
	}
	return e.withCollective(&o, *cflag, func(db *store.DB, by jiti.UserID, c *jiti.Collective) error {
		r, err := db.FindResourceByCode(e.ctx, c.ID, *code)
		if err != nil {
			return jiti.AsError(err).At("resource")
		}
		if err := db.ChangeResourceUse(e.ctx, by, r.ID, register.ResourceUse(*use), d); err != nil {
			return err
		}
		e.say("cli.resource_use", r.Code, e.p.T("resource.use."+*use), d)
		return nil
	})
}

var resourceSheet = &registerSheet{
	name:  "resources",
	title: "cli.sheet.resources",
	fields: []sheet.Field{
		{Name: "code", Aliases: []string{"资源编号", "编号", "code"}, Required: true},
		{Name: "name", Aliases: []string{"资源名称", "名称", "name"}, Required: true},
		{Name: "kind", Aliases: []string{"类型", "资源类型", "kind"}, Required: true},
		{Name: "area", Aliases: []string{"面积（亩）", "面积", "area"}, Required: true},
		{Name: "location", Aliases: []string{"坐落", "location"}},
		{Name: "boundaries", Aliases: []string{"四至", "boundaries"}},
		{Name: "use", Aliases: []string{"利用方式", "use"}},
		{Name: "use_since", Aliases: []string{"起始日期", "use_since"}},
		{Name: "note", Aliases: []string{"备注", "note"}},
	},
	example: []string{"ZY-001", "后山林地", "林地", "235.50", "三社后山", "东至沟，西至路，南至张家地，北至山脊", "集体经营", "2025-01-01", ""},
	read: func(e *env, db *store.DB, c *jiti.Collective, h *sheet.Header, row sheet.Row) (any, error) {
		var errs sheet.Limit
		bad := func(field string, err error) { errs.Add(h.CellError(row, field, err)) }
		r := register.Resource{CollectiveID: c.ID, Code: h.Get(row, "code"), Name: h.Get(row, "name"), Location: h.Get(row, "location"),
			Boundaries: h.Get(row, "boundaries"), Note: h.Get(row, "note"), UseSince: c.BooksOpenedOn}
		var ok bool
		if r.Kind, ok = enum(h.Get(row, "kind"), "resource.kind.", register.LandKinds, ""); !ok {
			bad("kind", ErrEnum.With(h.Get(row, "kind")))
		}
		if r.Use, ok = enum(h.Get(row, "use"), "resource.use.", []register.ResourceUse{register.HouseholdContracted,
			register.CollectiveOperated, register.ResourceLeased, register.ResourceIdle}, register.CollectiveOperated); !ok {
			bad("use", ErrEnum.With(h.Get(row, "use")))
		}
		var err error
		if r.Area, err = sheet.ParseNumber(h.Get(row, "area"), register.ParseArea); err != nil {
			bad("area", err)
		}
		if s := h.Get(row, "use_since"); s != "" {
			if r.UseSince, err = jiti.ParseDate(s); err != nil {
				bad("use_since", err)
			}
		}
		if err := errs.Err(); err != nil {
			return nil, err
		}
		return r, nil
	},
	create: func(e *env, db *store.DB, by jiti.UserID, items []any) error {
		rs := make([]register.Resource, len(items))
		for i, it := range items {
			rs[i] = it.(register.Resource)
		}
		return db.CreateResources(e.ctx, by, rs)
	},
}

package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The resource register (资源台账): its list, the form of a new resource
// and a resource's change of use.

// resources is a collective's resource register (资源台账), filtered by
// kind of land and use.
func (s *Server) resources(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	q := r.URL.Query()
	kind, fk := choice(st, q, "kind", "cli.col.kind", "resource.kind.", register.LandKinds)
	use, fu := choice(st, q, "use", "cli.col.use", "resource.use.", resourceUses)
	rs, err := st.view.Resources(r.Context(), store.ResourceFilter{CollectiveID: c.ID, Kind: kind, Use: use})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := report.ResourceTable(rs, st.tr())
	pg := &registerPage{C: c, Title: t.Title, Filters: []selectField{fk, fu}, Count: len(rs)}
	link, hrefs := resourceActions(r, st, pg, t, rs)
	s.list(w, r, st, pg, t, link, hrefs, "resources")
}

// --- resources

func (s *Server) newResourceForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := newRegForm(st, map[string]string{"use": string(register.CollectiveOperated)})
	s.renderResourceForm(w, r, st, c, f, http.StatusOK)
}

// createResource registers a piece of land; its use dates from the books'
// opening unless the form says since when.
func (s *Server) createResource(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	v := f.values
	res := register.Resource{CollectiveID: c.ID, Code: v["code"], Name: v["name"], Kind: register.LandKind(v["kind"]),
		Location: v["location"], Boundaries: v["boundaries"], Use: register.ResourceUse(v["use"]), Note: v["note"]}
	if v["area"] == "" {
		f.fail("area", jiti.ErrRequired.At("area"))
	} else if a, err := register.ParseArea(v["area"]); err != nil {
		f.fail("area", at(err, "area"))
	} else {
		res.Area = a
	}
	res.UseSince = f.date("use_since", false)
	if !f.failed() {
		_, err := s.DB.CreateResource(r.Context(), st.view.User().ID, res)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/resources", c.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, nil) {
			return
		}
	}
	s.renderResourceForm(w, r, st, c, f, f.code)
}

func (s *Server) renderResourceForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, f *regForm, code int) {
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/resources/new", c.ID), Back: fmt.Sprintf("/c/%d/resources", c.ID),
		Submit: p.T("web.save")}
	pg.Sections = []formSection{{Fields: []formField{
		f.text("code", "cli.col.code", required, maxLen(40)),
		f.text("name", "field.name", required, maxLen(100)),
		f.choose("kind", "cli.col.kind", enumOptions(st, "resource.kind.", register.LandKinds, "web.choose"), required),
		f.text("area", "flag.area", required, mode("decimal")),
		f.text("location", "field.location", maxLen(200)),
		f.text("boundaries", "field.boundaries", maxLen(500)),
	}}, {Fields: []formField{
		f.choose("use", "cli.col.use", enumOptions(st, "resource.use.", resourceUses, "")),
		f.input("date", "use_since", "flag.since"),
		f.input("textarea", "note", "field.note", maxLen(500)),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, p.T("web.resource_new"), []crumb{{Label: p.T("cli.title.resources"), Href: pg.Back}}, pg)
}

// --- a resource's change of use

// resourceOf reads the path's resource for a change of its use: a
// collective out of scope, or a resource of another collective, is not
// found; a role that may not keep books is refused.
func (s *Server) resourceOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, *register.Resource, bool) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("resource", r.PathValue("rid")))
		return nil, nil, false
	}
	rs, err := st.view.Resources(r.Context(), store.ResourceFilter{CollectiveID: c.ID})
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	i := slices.IndexFunc(rs, func(res register.Resource) bool { return res.ID == id })
	if i < 0 {
		s.fail(w, r, jiti.ErrNotFound.With("resource", id))
		return nil, nil, false
	}
	return c, &rs[i], true
}

func (s *Server) useForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, res, ok := s.resourceOf(w, r, st)
	if !ok {
		return
	}
	s.renderUse(w, r, st, c, res, newRegForm(st, map[string]string{"date": s.today()}), http.StatusOK)
}

// changeUse changes how a piece of land is used, from a date; then back
// to the register.
func (s *Server) changeUse(w http.ResponseWriter, r *http.Request, st *state) {
	c, res, ok := s.resourceOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	on := f.date("date", true)
	if !f.failed() {
		err := s.DB.ChangeResourceUse(r.Context(), st.view.User().ID, res.ID, register.ResourceUse(f.values["use"]), on)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/resources?done=use", c.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, nil) {
			return
		}
	}
	s.renderUse(w, r, st, c, res, f, f.code)
}

func (s *Server) renderUse(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, res *register.Resource, f *regForm, code int) {
	p := st.p
	back := fmt.Sprintf("/c/%d/resources", c.ID)
	title := p.T("web.change_use")
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/resources/%d/use", c.ID, res.ID), Back: back, Submit: p.T("web.save"),
		Intro: p.T("web.use_now", p.T("resource.use."+string(res.Use)), res.UseSince.String())}
	pg.Sections = []formSection{{Title: res.Code + " " + res.Name, Fields: []formField{
		f.choose("use", "cli.col.use", enumOptions(st, "resource.use.", resourceUses, "web.choose"), required),
		f.input("date", "date", "cli.col.since", required),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, title, []crumb{{Label: p.T("cli.title.resources"), Href: back}}, pg)
}

// resourceActions gives the resource register its message after a change,
// and, for those who keep the books and on the screen only (not printed,
// not in the download), a column whose link changes each resource's use.
// It returns the column of the links, -1 for none, and the links.
func resourceActions(r *http.Request, st *state, pg *registerPage, t *report.Table, rs []register.Resource) (int, []string) {
	pg.Message = doneMessage(r, st)
	if !st.view.Can(store.PermKeepBooks) || wantsXLSX(r) || r.URL.Query().Has("print") {
		return -1, nil
	}
	t.Columns = append(t.Columns, report.Column{Key: "cli.col.action", Align: report.Left})
	label := st.p.T("web.change_use")
	hrefs := make([]string, 0, len(rs))
	for i := range t.Rows {
		cell := ""
		if i < len(rs) {
			cell = label
			hrefs = append(hrefs, fmt.Sprintf("/c/%d/resources/%d/use", pg.C.ID, rs[i].ID))
		}
		t.Rows[i].Cells = append(t.Rows[i].Cells, cell)
	}
	return len(t.Columns) - 1, hrefs
}

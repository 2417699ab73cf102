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

// More forms of the registers, on the pattern of regforms.go: an asset's
// disposal (whose voucher the store books through 154) and its month's
// work (for an asset depreciated by units of work), a resource's change of
// use, and the signed-in user's API tokens (tokens.go). Each keeps what
// the user typed, shows each error beside its field, and leaves the rules,
// the role and the scope to the store.

func (s *Server) moreFormRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/assets/{aid}/dispose", s.signedIn(s.disposeForm))
	mux.HandleFunc("POST /c/{id}/assets/{aid}/dispose", s.signedIn(s.disposeAsset))
	mux.HandleFunc("GET /c/{id}/assets/{aid}/work", s.signedIn(s.workForm))
	mux.HandleFunc("POST /c/{id}/assets/{aid}/work", s.signedIn(s.recordWork))
	mux.HandleFunc("GET /c/{id}/resources/{rid}/use", s.signedIn(s.useForm))
	mux.HandleFunc("POST /c/{id}/resources/{rid}/use", s.signedIn(s.changeUse))
	s.tokenRoutes(mux)
}

// keptAssetOf reads the path's asset for an act on it: a collective out of
// scope, or an asset of another collective, is not found; a role that may
// not keep books is refused.
func (s *Server) keptAssetOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, *register.Asset, bool) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("asset", r.PathValue("aid")))
		return nil, nil, false
	}
	a, err := st.view.FindAsset(r.Context(), id)
	if err == nil && a.CollectiveID != c.ID {
		err = jiti.ErrNotFound.With("asset", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return c, a, true
}

// assetCrumbs are the steps from a collective to an asset's card.
func assetCrumbs(st *state, c *jiti.Collective, a *register.Asset) []crumb {
	return []crumb{{Label: st.p.T("cli.title.assets"), Href: fmt.Sprintf("/c/%d/assets", c.ID)},
		{Label: a.Code, Href: fmt.Sprintf("/c/%d/assets/%d", c.ID, a.ID)}}
}

// --- an asset's disposal

// disposeForm shows the disposal of an asset: today, the proceeds coming
// into the first bank account.
func (s *Server) disposeForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.keptAssetOf(w, r, st)
	if !ok {
		return
	}
	f := newRegForm(st, map[string]string{"date": s.today()})
	if accounts, err := st.view.Accounts(r.Context(), c.ID); err == nil {
		f.values["proceeds_account"] = firstLeaf(accounts, "102")
	}
	s.renderDispose(w, r, st, c, a, f, http.StatusOK)
}

// disposeAsset disposes of an asset: the store charges its depreciation
// due, posts the disposal voucher through 154 (the gain to 504, the loss
// to 515) and marks it disposed; then back to its card.
func (s *Server) disposeAsset(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.keptAssetOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	d := store.Disposal{Date: f.date("date", true), Proceeds: f.amount("proceeds"), ProceedsAccount: accountCode(f.values["proceeds_account"]),
		Costs: f.amount("costs"), CostsAccount: accountCode(f.values["costs_account"]), Reason: f.values["reason"], Decision: f.values["decision"]}
	if !f.failed() {
		_, err := s.DB.DisposeAsset(r.Context(), st.view.User().ID, a.ID, d)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/assets/%d?done=dispose", c.ID, a.ID), http.StatusSeeOther)
			return
		}
		// The store names a negative amount, of either, at "proceeds".
		place := func(field string) string {
			if field == "proceeds" && d.Proceeds >= 0 && d.Costs < 0 {
				return "costs"
			}
			return field
		}
		if !s.storeError(w, r, f, err, place) {
			return
		}
	}
	s.renderDispose(w, r, st, c, a, f, f.code)
}

func (s *Server) renderDispose(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, a *register.Asset, f *regForm, code int) {
	accounts, err := st.view.Accounts(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := st.p
	back := fmt.Sprintf("/c/%d/assets/%d", c.ID, a.ID)
	title := p.T("web.asset_dispose")
	pg := &regFormPage{C: c, Action: back + "/dispose", Back: back, Submit: title, Intro: p.T("web.dispose_intro"),
		Confirm: p.T("web.confirm_dispose")}
	cash := accountOptions(st, accounts, "web.pick_account", "101", "102")
	pg.Sections = []formSection{{Title: a.Code + " " + a.Name, Fields: []formField{
		f.input("date", "date", "field.disposed_on", required),
		f.text("proceeds", "field.proceeds", mode("decimal"), hint(p.T("web.unit_yuan"))),
		f.choose("proceeds_account", "field.proceeds_account", cash),
		f.text("costs", "flag.disposal_costs", mode("decimal"), hint(p.T("web.unit_yuan"))),
		f.choose("costs_account", "flag.costs_account", cash),
		f.input("textarea", "reason", "field.reason", required, maxLen(500)),
		f.text("decision", "field.decision", maxLen(40), hint(p.T("web.decision_ref_hint"))),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, title, assetCrumbs(st, c, a), pg)
}

// --- an asset's work of a month

// workForm shows the work of an asset depreciated by units of work, for
// this month; the card carries the same form.
func (s *Server) workForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.keptAssetOf(w, r, st)
	if !ok {
		return
	}
	f := newRegForm(st, map[string]string{"month": jiti.DateOf(s.Now()).Period().String()})
	s.renderWork(w, r, st, c, a, f, http.StatusOK)
}

// recordWork records an asset's work of a month (a month's again replaces
// it), which the month's depreciation is computed from.
func (s *Server) recordWork(w http.ResponseWriter, r *http.Request, st *state) {
	c, a, ok := s.keptAssetOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	var month jiti.Period
	if v := f.values["month"]; v == "" {
		f.fail("month", jiti.ErrRequired.At("month"))
	} else if p, err := jiti.ParsePeriod(v); err != nil {
		f.fail("month", at(err, "month"))
	} else {
		month = p
	}
	if f.values["units"] == "" {
		f.fail("units", jiti.ErrRequired.At("units"))
	}
	units := f.integer("units")
	if !f.failed() {
		err := s.DB.RecordAssetWork(r.Context(), st.view.User().ID, a.ID, month, int64(units))
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/assets/%d?done=work", c.ID, a.ID), http.StatusSeeOther)
			return
		}
		place := func(field string) string {
			if field == "period" {
				return "month"
			}
			return field
		}
		if !s.storeError(w, r, f, err, place) {
			return
		}
	}
	s.renderWork(w, r, st, c, a, f, f.code)
}

func (s *Server) renderWork(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, a *register.Asset, f *regForm, code int) {
	p := st.p
	back := fmt.Sprintf("/c/%d/assets/%d", c.ID, a.ID)
	title := p.T("web.asset_work")
	pg := &regFormPage{C: c, Action: back + "/work", Back: back, Submit: p.T("web.save"), Intro: p.T("web.work_intro")}
	units := f.text("units", "field.units", required, mode("numeric"))
	if a.TotalWork > 0 {
		units.Hint = p.T("field.total_work") + " " + strconv.FormatInt(a.TotalWork, 10) + " " + a.WorkUnit
	}
	pg.Sections = []formSection{{Title: a.Code + " " + a.Name, Fields: []formField{
		f.input("month", "month", "field.month", required, hint("YYYY-MM")),
		units,
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, title, assetCrumbs(st, c, a), pg)
}

// CanRecordWork says whether the card offers the form of a month's work:
// to those who keep the books, for an asset depreciated by units of work
// and not disposed.
func (pg *assetPage) CanRecordWork() bool {
	return pg.CanChange && pg.A.Method == register.UnitsOfWork
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

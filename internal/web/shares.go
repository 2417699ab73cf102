package web

import (
	"fmt"
	"html/template"
	"net/http"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The share register (股份) of a collective on the web: its share types
// with what is held and not yet allocated (and whether the two add up to
// the quantified total), the holdings by household and by holder, and the
// log of changes; the print view and xlsx of the same tables (package
// report's builders); and the forms of those who keep the books: a new
// share type, a change of holdings, a dynamic type recomputed. The rules
// are the register's (register.ShareBook), checked by the store.

func (s *Server) shareRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/shares", s.signedIn(s.shares))
	mux.HandleFunc("GET /c/{id}/shares/types/new", s.signedIn(s.shareTypeForm))
	mux.HandleFunc("POST /c/{id}/shares/types/new", s.signedIn(s.createShareType))
	mux.HandleFunc("GET /c/{id}/shares/changes/new", s.signedIn(s.shareChangeForm))
	mux.HandleFunc("POST /c/{id}/shares/changes/new", s.signedIn(s.changeShares))
	mux.HandleFunc("GET /c/{id}/shares/recompute", s.signedIn(s.recomputeForm))
	mux.HandleFunc("POST /c/{id}/shares/recompute", s.signedIn(s.recomputeShares))
	s.certificateRoutes(mux)
	s.distributionRoutes(mux)
}

// HouseholdSharesTable is the shares each household holds (its own and its
// members'), with the total, for the page and `jiti share holdings
// -by-household`.
func HouseholdSharesTable(title string, hs []store.HouseholdShares, tr report.Translator) *report.Table {
	t := &report.Table{Title: title, Columns: []report.Column{
		{Key: "cli.col.household", Align: report.Left}, {Key: "cli.col.shares", Align: report.Right}}}
	var total register.Shares
	for _, h := range hs {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{h.Household, h.Total.String()}})
		total += h.Total
	}
	t.Rows = append(t.Rows, report.TableRow{Cells: []string{tr("report.total"), total.String()}, Bold: true})
	return t
}

// shareCheck is one share type's reconciliation as the page states it:
// held + unallocated = total, and whether it holds.
type shareCheck struct {
	Text string
	OK   bool
}

// titledTable is one of a page's tables under its heading.
type titledTable struct {
	Title string
	Table template.HTML
}

// sharesPage is the share register's page and print view.
type sharesPage struct {
	C                   *jiti.Collective
	Title               string
	Span                []string
	Checks              []shareCheck
	Tables              []titledTable
	PrintHref, XLSXHref string
	Links               []crumb // the forms, for those who keep the books
	Message             string
	CertificatesHref    string
	DistributionHref    string // last year's income distribution
}

// shareTables are the register's tables: its types, the holdings by
// household and by holder, and the log.
func shareTables(st *state, reg *store.ShareRegister, hs []store.HouseholdShares) []*report.Table {
	tr := st.tr()
	return []*report.Table{
		report.ShareTypesTable(reg.Types, tr),
		HouseholdSharesTable(st.p.T("cli.title.household_shares"), hs, tr),
		report.ShareHoldingsTable(reg.Holdings, tr),
		report.ShareLogTable(reg.Changes, tr),
	}
}

// shareChecks states, type by type, that what is held and what is not yet
// allocated add up to the quantified total; a type whose holdings exceed
// it shows by how much.
func shareChecks(st *state, types []register.ShareTypeRow) []shareCheck {
	var out []shareCheck
	for _, t := range types {
		ok := t.Unallocated >= 0 && t.Held+t.Unallocated == t.Total
		key := "web.shares_reconciled"
		if !ok {
			key = "web.shares_unreconciled"
		}
		out = append(out, shareCheck{OK: ok, Text: st.p.T(key, t.Name, t.Held, t.Unallocated, t.Total, t.Held-t.Total)})
	}
	return out
}

func (s *Server) shares(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	reg, err := st.view.ShareRegister(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hs, err := s.DB.HouseholdShares(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tables := shareTables(st, reg, hs)
	today := jiti.DateOf(s.Now())
	if wantsXLSX(r) {
		tables[0].Meta = append([]string{st.p.T("cli.as_of", today)}, tables[0].Meta...)
		s.sendXLSXTables(w, r, st, c, tables, "shares", today.String())
		return
	}
	p := st.p
	pg := &sharesPage{C: c, Title: p.T("web.shares"), Span: []string{p.T("cli.as_of", today)}, Checks: shareChecks(st, reg.Types),
		PrintHref: hrefWith(r.URL.Query(), "print", "1"), XLSXHref: hrefWith(r.URL.Query(), "format", "xlsx"),
		Message: doneMessage(r, st), CertificatesHref: fmt.Sprintf("/c/%d/certificates", c.ID),
		DistributionHref: fmt.Sprintf("/c/%d/distributions/%d", c.ID, today.Year-1)}
	for _, t := range tables {
		pg.Tables = append(pg.Tables, titledTable{Title: t.Title, Table: reportHTML(st, t, -1, nil)})
	}
	if st.view.Can(store.PermKeepBooks) {
		base := fmt.Sprintf("/c/%d/shares/", c.ID)
		pg.Links = []crumb{{Label: p.T("web.share_type_new"), Href: base + "types/new"},
			{Label: p.T("web.share_change_new"), Href: base + "changes/new"}, {Label: p.T("web.share_recompute"), Href: base + "recompute"}}
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "shares", &page{Title: pg.Title, Crumbs: crumbs, Data: pg, Printed: r.URL.Query().Has("print")})
}

// sharesUp is the crumb back to the share register from its forms.
func sharesUp(st *state, c *jiti.Collective) []crumb {
	return []crumb{{Label: st.p.T("web.shares"), Href: fmt.Sprintf("/c/%d/shares", c.ID)}}
}

var managements = []register.Management{register.Static, register.Dynamic}

func (s *Server) shareTypeForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	s.renderShareTypeForm(w, r, st, c, newRegForm(st, map[string]string{"quantified_on": s.today(), "management": string(register.Static)}), http.StatusOK)
}

// createShareType quantifies a new share type: by its rule over the
// members active on the date, or (集体股, or any static type) by its
// total, and goes back to the register.
func (s *Server) createShareType(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	v := f.values
	in := store.ShareTypeInput{Decision: v["decision"], Type: register.ShareType{Code: v["code"], Name: v["name"],
		Kind: register.ShareKind(v["kind"]), Management: register.Management(v["management"]), QuantifiedOn: f.date("quantified_on", true)}}
	var err error
	if in.Rule, err = register.ParseShareRule(v["rule"]); err != nil {
		f.fail("rule", err)
	}
	if v["total"] != "" {
		if in.Type.Total, err = register.ParseShares(v["total"]); err != nil {
			f.fail("total", at(err, "total"))
		}
	}
	if !f.failed() {
		err := s.DB.CreateShareType(r.Context(), st.view.User().ID, c.ID, in)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/shares?done=share_type", c.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, shareTypeField) {
			return
		}
	}
	s.renderShareTypeForm(w, r, st, c, f, f.code)
}

// shareTypeField places the store's errors of a share type on the form:
// its date is the form's quantified_on.
func shareTypeField(field string) string {
	if field == "date" {
		return "quantified_on"
	}
	return field
}

func (s *Server) renderShareTypeForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, f *regForm, code int) {
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/shares/types/new", c.ID), Back: fmt.Sprintf("/c/%d/shares", c.ID),
		Submit: p.T("web.save"), Intro: p.T("web.share_type_intro")}
	pg.Sections = []formSection{{Fields: []formField{
		f.text("code", "field.code", required, maxLen(40)),
		f.text("name", "field.name", required, maxLen(100)),
		f.choose("kind", "field.kind", enumOptions(st, "share.kind.", register.ShareKinds, "web.choose"), required),
		f.choose("management", "field.management", enumOptions(st, "share.management.", managements, ""), required),
	}}, {Fields: []formField{
		f.text("rule", "field.rule", maxLen(40), hint(p.T("web.share_rule_hint"))),
		f.text("total", "field.total", mode("decimal"), maxLen(20), hint(p.T("web.share_total_hint"))),
		f.input("date", "quantified_on", "field.quantified_on", required),
		f.text("decision", "field.decision", required, maxLen(40), hint(p.T("web.decision_ref_hint"))),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, p.T("web.share_type_new"), sharesUp(st, c), pg)
}

func (s *Server) shareChangeForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	s.renderShareChangeForm(w, r, st, c, newRegForm(st, map[string]string{"date": s.today()}), http.StatusOK)
}

// changeShares records one dated, decided change of holdings and goes
// back to the register.
func (s *Server) changeShares(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	v := f.values
	ch := register.ShareChange{Kind: register.ShareChangeKind(v["kind"]), Type: v["type"], On: f.date("date", true), Price: f.amount("price")}
	var err error
	if ch.From, err = register.ParseHolder(v["from_holder"], "from_holder"); err != nil {
		f.fail("from_holder", err)
	}
	if ch.To, err = register.ParseHolder(v["to_holder"], "to_holder"); err != nil {
		f.fail("to_holder", err)
	}
	if ch.Qty, err = register.ParseShares(v["qty"]); err != nil && v["qty"] != "" {
		f.fail("qty", at(err, "qty"))
	}
	if !f.failed() {
		err := s.DB.ChangeShares(r.Context(), st.view.User().ID, c.ID, []store.ShareChangeInput{{Change: ch, Decision: v["decision"], Note: v["note"]}})
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/shares?done=share_change", c.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, shareChangeField) {
			return
		}
	}
	s.renderShareChangeForm(w, r, st, c, f, f.code)
}

// shareChangeField places the store's errors of the one change the form
// sends: "items[1].from" is the form's from_holder.
func shareChangeField(field string) string {
	field = jiti.OneItemField(field)
	switch field {
	case "from", "to":
		return field + "_holder"
	}
	return field
}

// typeOptions are the collective's share types, static ones only when
// static is set (a dynamic type's holdings move only by recomputation).
func typeOptions(st *state, types []register.ShareTypeRow, mgmt register.Management) []option {
	out := []option{{Label: st.p.T("web.choose")}}
	for _, t := range types {
		if mgmt == "" || t.Management == mgmt {
			out = append(out, option{Value: t.Code, Label: t.Code + " " + t.Name})
		}
	}
	return out
}

func (s *Server) renderShareChangeForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, f *regForm, code int) {
	reg, err := st.view.ShareRegister(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/shares/changes/new", c.ID), Back: fmt.Sprintf("/c/%d/shares", c.ID),
		Submit: p.T("web.save"), Intro: p.T("web.share_change_intro")}
	pg.Sections = []formSection{{Fields: []formField{
		f.choose("kind", "field.kind", enumOptions(st, "share.change.", register.ShareChangeKinds, "web.choose"), required),
		f.choose("type", "field.type", typeOptions(st, reg.Types, ""), required),
		f.text("from_holder", "field.from_holder", maxLen(40), hint(p.T("web.share_holder_hint"))),
		f.text("to_holder", "field.to_holder", maxLen(40), hint(p.T("web.share_holder_hint"))),
		f.text("qty", "field.qty", required, mode("decimal"), maxLen(20)),
	}}, {Fields: []formField{
		f.text("price", "field.price", mode("decimal"), maxLen(20), hint(p.T("web.share_price_hint"))),
		f.input("date", "date", "field.date", required),
		f.text("decision", "field.decision", maxLen(40), hint(p.T("web.decision_ref_hint"))),
		f.input("textarea", "note", "field.note", maxLen(200)),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, p.T("web.share_change_new"), sharesUp(st, c), pg)
}

func (s *Server) recomputeForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	s.renderRecomputeForm(w, r, st, c, newRegForm(st, map[string]string{"date": s.today()}), http.StatusOK)
}

// recomputeShares recomputes a dynamic type by its rule over the members
// active on the date.
func (s *Server) recomputeShares(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	on := f.date("date", true)
	if f.values["type"] == "" {
		f.fail("type", jiti.ErrRequired.At("type"))
	}
	if !f.failed() {
		err := s.DB.RecomputeShares(r.Context(), st.view.User().ID, c.ID, f.values["type"], on, f.values["decision"])
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/shares?done=share_recompute", c.ID), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, nil) {
			return
		}
	}
	s.renderRecomputeForm(w, r, st, c, f, f.code)
}

func (s *Server) renderRecomputeForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, f *regForm, code int) {
	reg, err := st.view.ShareRegister(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/shares/recompute", c.ID), Back: fmt.Sprintf("/c/%d/shares", c.ID),
		Submit: p.T("web.share_recompute"), Intro: p.T("web.share_recompute_intro")}
	pg.Sections = []formSection{{Fields: []formField{
		f.choose("type", "field.type", typeOptions(st, reg.Types, register.Dynamic), required),
		f.input("date", "date", "field.date", required),
		f.text("decision", "field.decision", required, maxLen(40), hint(p.T("web.decision_ref_hint"))),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, p.T("web.share_recompute"), sharesUp(st, c), pg)
}

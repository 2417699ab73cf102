package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The members' register (成员) of a collective: the list with its search
// (by name, pinyin initials, member or household code, household head, or
// a whole identity number), a member's card with their history, and in
// households.go a household's page. An identity number is only ever shown
// masked: the register, the card and the xlsx carry IDNumber.String, and
// a search by a whole number is sent in the body of a POST, so that it is
// never in a URL (history, logs, links of the page), nor echoed back.

func (s *Server) memberRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/members", s.signedIn(s.members))
	mux.HandleFunc("POST /c/{id}/members", s.signedIn(s.members))
	mux.HandleFunc("GET /c/{id}/members/{mid}", s.signedIn(s.member))
	mux.HandleFunc("POST /c/{id}/members/{mid}/status", s.signedIn(s.memberStatus))
	mux.HandleFunc("GET /c/{id}/households", s.signedIn(s.households))
	mux.HandleFunc("GET /c/{id}/households/{code}", s.signedIn(s.household))
}

// MembersTable is the members' register as a table, the one the pages,
// their print and xlsx, and `jiti member list|export` all show.
func MembersTable(title string, ms []register.Member, tr report.Translator) *report.Table {
	t := &report.Table{Title: title, Columns: []report.Column{
		{Key: "member.col.code", Align: report.Left}, {Key: "member.col.name", Align: report.Left},
		{Key: "member.col.id_number", Align: report.Left}, {Key: "member.col.sex", Align: report.Left},
		{Key: "member.col.born_on", Align: report.Left}, {Key: "member.col.household", Align: report.Left},
		{Key: "member.col.relation", Align: report.Left}, {Key: "member.col.basis", Align: report.Left},
		{Key: "member.col.confirmed_on", Align: report.Left}, {Key: "member.col.decision", Align: report.Left},
		{Key: "member.col.status", Align: report.Left}, {Key: "member.col.status_since", Align: report.Left}}}
	for _, m := range ms {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{m.Code, m.Name, m.IDNumber.String(),
			tr("member.sex." + string(m.Sex)), m.BornOn.String(), m.Household, tr("member.relation." + string(m.Relation)),
			tr("member.basis." + string(m.Basis)), m.ConfirmedOn.String(), m.Decision,
			tr("member.status." + string(m.Status)), m.StatusSince.String()}})
	}
	return t
}

// membersPage is the register with its search box.
type membersPage struct {
	registerPage
	Query      string // echoed in the box; never a whole identity number
	ByIDNumber string // the number searched for, masked
	Households string // the households' page
}

// members is a collective's members' register, searched and filtered by
// status; a POST carries the search in its body.
func (s *Server) members(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	q := r.FormValue("query")
	status, fs := choice(st, formValues(r), "status", "member.col.status", "member.status.", register.MemberStatuses)
	ms, err := st.view.Members(r.Context(), store.MemberFilter{CollectiveID: c.ID, Status: status, Query: q})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := MembersTable(st.p.T("member.title"), ms, memberTr(st))
	hrefs := make([]string, len(ms))
	for i, m := range ms {
		hrefs[i] = fmt.Sprintf("/c/%d/members/%d", c.ID, m.ID)
	}
	pg := &membersPage{registerPage: registerPage{C: c, Title: t.Title, Filters: []selectField{fs}, Count: len(ms)},
		Households: fmt.Sprintf("/c/%d/households", c.ID)}
	links := url.Values{}
	if status != "" {
		links.Set("status", string(status))
	}
	if id, err := jiti.NewIDNumber(q); err == nil {
		pg.ByIDNumber = id.String()
	} else if q != "" {
		pg.Query = q
		links.Set("query", q)
	}
	code := http.StatusOK
	if fs.Error != "" {
		code = http.StatusUnprocessableEntity
	}
	today := jiti.DateOf(s.Now())
	if wantsXLSX(r) && code == http.StatusOK {
		t.Meta = append([]string{st.p.T("cli.as_of", today)}, t.Meta...)
		s.sendXLSX(w, r, st, c, t, "members", today.String())
		return
	}
	pg.Table = reportHTML(st, t, 1, hrefs)
	pg.Span = []string{st.p.T("cli.as_of", today)}
	pg.PrintHref, pg.XLSXHref = hrefWith(links, "print", "1"), hrefWith(links, "format", "xlsx")
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, code, "members", &page{Title: pg.Title, Crumbs: crumbs, Data: pg, Printed: r.URL.Query().Has("print")})
}

// formValues is the request's form: the query, and a POST's body.
func formValues(r *http.Request) url.Values {
	r.ParseForm()
	return r.Form
}

// memberField is one line of a card.
type memberField struct {
	Label, Value, Href string
}

// memberPage is a member's card, with the form changing their status for
// those who keep the books.
type memberPage struct {
	C       *jiti.Collective
	M       *register.Member
	Fields  []memberField
	History []memberHistoryRow
	Message string

	CanChange         bool
	Statuses, Reasons []option
	Date, Decision    string
	Note, Error       string
}

type memberHistoryRow struct {
	Date, Status, Reason, Decision, Note string
	Corrected                            []string // each field a correction changed: "姓名 王建囯 → 王建国"
}

// memberOf reads the path's member, of the path's collective, in scope.
func (s *Server) memberOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, *register.Member, []register.MemberEntry, bool) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return nil, nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("mid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("member", r.PathValue("mid")))
		return nil, nil, nil, false
	}
	m, es, err := st.view.FindMember(r.Context(), id)
	if err == nil && m.CollectiveID != c.ID {
		err = jiti.ErrNotFound.With("member", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, nil, false
	}
	return c, m, es, true
}

// member is a member's card: who they are (the identity number masked),
// their household, the basis of their membership and its decision, and
// their history, oldest first.
func (s *Server) member(w http.ResponseWriter, r *http.Request, st *state) {
	c, m, es, ok := s.memberOf(w, r, st)
	if !ok {
		return
	}
	pg := &memberPage{C: c, M: m, Date: jiti.DateOf(s.Now()).String(), Message: doneMessage(r, st)}
	s.renderMember(w, r, st, pg, es, "", "", http.StatusOK)
}

// memberStatus records a change of a member's status from the card's
// form: back to the card, or the card again with the error.
func (s *Server) memberStatus(w http.ResponseWriter, r *http.Request, st *state) {
	c, m, es, ok := s.memberOf(w, r, st)
	if !ok {
		return
	}
	pg := &memberPage{C: c, M: m, Date: r.PostFormValue("date"), Decision: r.PostFormValue("decision"), Note: r.PostFormValue("note")}
	to, reason := r.PostFormValue("status"), r.PostFormValue("reason")
	on, err := jiti.ParseDate(pg.Date)
	if err != nil {
		err = jiti.AsError(err).At("date")
	} else {
		err = s.DB.ChangeMemberStatus(r.Context(), st.view.User().ID, m.ID, register.MemberChange{To: register.MemberStatus(to),
			On: on, Reason: register.Reason(reason), Decision: pg.Decision, Note: pg.Note})
	}
	if err != nil {
		if k := jiti.KindOf(err); k == jiti.Invalid || k == jiti.Conflict {
			pg.Error = st.p.Error(err)
			s.renderMember(w, r, st, pg, es, to, reason, statusOf(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%d/members/%d?done=member_status", c.ID, m.ID), http.StatusSeeOther)
}

func (s *Server) renderMember(w http.ResponseWriter, r *http.Request, st *state, pg *memberPage, es []register.MemberEntry, to, reason string, code int) {
	p, c, m := st.p, pg.C, pg.M
	pg.Fields = []memberField{
		{Label: p.Label("member.col.code"), Value: m.Code},
		{Label: p.Label("member.col.name"), Value: m.Name},
		{Label: p.Label("member.col.id_number"), Value: m.IDNumber.String()},
		{Label: p.Label("member.col.sex"), Value: p.T("member.sex." + string(m.Sex))},
		{Label: p.Label("member.col.born_on"), Value: m.BornOn.String()},
		{Label: p.Label("member.col.household"), Value: m.Household, Href: householdHref(c.ID, m.Household)},
		{Label: p.Label("member.col.relation"), Value: p.T("member.relation." + string(m.Relation))},
		{Label: p.Label("member.col.basis"), Value: p.T("member.basis." + string(m.Basis))},
		{Label: p.Label("member.col.confirmed_on"), Value: m.ConfirmedOn.String()},
		{Label: p.Label("member.col.decision"), Value: m.Decision},
		{Label: p.Label("member.col.status"), Value: p.T("member.status." + string(m.Status))},
		{Label: p.Label("member.col.status_since"), Value: m.StatusSince.String()},
	}
	for _, e := range es {
		row := memberHistoryRow{Date: e.On.String(), Status: p.T("member.status." + string(e.Status)), Decision: e.Decision, Note: e.Note}
		for _, f := range []string{"name", "id_number", "sex", "born_on", "household", "relation", "basis"} {
			if v, ok := e.Corrected[f]; ok {
				row.Corrected = append(row.Corrected, p.T("member.col."+f)+" "+v[0]+" → "+v[1])
			}
		}
		if e.Reason != "" {
			row.Reason = p.T("member.reason." + string(e.Reason))
		}
		pg.History = append(pg.History, row)
	}
	if pg.CanChange = st.view.Can(store.PermKeepBooks); pg.CanChange {
		pg.Statuses = []option{{Value: "", Label: p.T("web.choose")}}
		for _, v := range register.MemberStatuses {
			if v != m.Status {
				pg.Statuses = append(pg.Statuses, option{Value: string(v), Label: p.T("member.status." + string(v)), Selected: string(v) == to})
			}
		}
		// Marriage and divorce are not offered: they end no membership.
		pg.Reasons = []option{{Value: "", Label: p.T("web.choose")}}
		for _, v := range register.Reasons {
			if v != register.ReasonMarriage && v != register.ReasonDivorce {
				pg.Reasons = append(pg.Reasons, option{Value: string(v), Label: p.T("member.reason." + string(v)), Selected: string(v) == reason})
			}
		}
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: p.T("member.title"), Href: fmt.Sprintf("/c/%d/members", c.ID)})
	s.render(w, r, code, "member", &page{Title: m.Code + " " + m.Name, Crumbs: crumbs, Data: pg})
}

// householdHref is a household's page, or "" for none.
func householdHref(cid int64, code string) string {
	if code == "" {
		return ""
	}
	return fmt.Sprintf("/c/%d/households/%s", cid, url.PathEscape(code))
}

// memberTr is the state's translator, for the tables of the register.
func memberTr(st *state) report.Translator {
	return func(key string) string { return st.p.T(key) }
}

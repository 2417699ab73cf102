package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// A collective's households (户): the list, and each household's page with
// its head, village group and address, its members, and what its
// sub-ledger of 113 内部往来 holds.

// HouseholdsTable is the households of a collective as a table, for the
// page and `jiti household list`.
func HouseholdsTable(title string, hs []store.Household, tr report.Translator) *report.Table {
	t := &report.Table{Title: title, Columns: []report.Column{
		{Key: "cli.col.code", Align: report.Left}, {Key: "cli.col.name", Align: report.Left},
		{Key: "household.col.head", Align: report.Left}, {Key: "household.col.group", Align: report.Left},
		{Key: "household.col.address", Align: report.Left}}}
	for _, h := range hs {
		head := h.Head
		if h.HeadName != "" {
			head += " " + h.HeadName
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{h.Code, h.Name, head, h.Group, h.Address}})
	}
	return t
}

func (s *Server) households(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	hs, err := st.view.Households(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := HouseholdsTable(st.p.T("cli.title.households"), hs, memberTr(st))
	hrefs := make([]string, len(hs))
	for i, h := range hs {
		hrefs[i] = householdHref(c.ID, h.Code)
	}
	s.list(w, r, st, &registerPage{C: c, Title: t.Title, Count: len(hs)}, t, 0, hrefs, "households")
}

// householdPage is a household's page.
type householdPage struct {
	C        *jiti.Collective
	H        *store.Household
	Fields   []memberField
	Balance  jiti.Amount
	Members  []register.Member
	Table    template.HTML
	Register string
	// Allotments is what the income distributions allotted the household,
	// paid and still owe it, year by year; nil when none did.
	Allotments template.HTML
}

func (s *Server) household(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	h, ms, balance, err := st.view.Household(r.Context(), c.ID, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := st.p
	head := memberField{Label: p.Label("household.col.head"), Value: h.Head + " " + h.HeadName}
	for _, m := range ms {
		if m.Code == h.Head {
			head.Href = fmt.Sprintf("/c/%d/members/%d", c.ID, m.ID)
		}
	}
	pg := &householdPage{C: c, H: h, Balance: balance, Members: ms, Register: fmt.Sprintf("/c/%d/households", c.ID),
		Fields: []memberField{
			{Label: p.Label("cli.col.code"), Value: h.Code},
			{Label: p.Label("cli.col.name"), Value: h.Name},
			head,
			{Label: p.Label("household.col.group"), Value: h.Group},
			{Label: p.Label("household.col.address"), Value: h.Address},
			{Label: p.Label("household.col.balance_113"), Value: balance.String()},
		}}
	t := MembersTable(p.T("member.title"), ms, memberTr(st))
	hrefs := make([]string, len(ms))
	for i, m := range ms {
		hrefs[i] = "/c/" + strconv.FormatInt(c.ID, 10) + "/members/" + strconv.FormatInt(m.ID, 10)
	}
	pg.Table = reportHTML(st, t, 1, hrefs)
	as, err := st.view.HouseholdAllotments(r.Context(), c.ID, h.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(as) > 0 {
		hrefs := make([]string, len(as))
		for i, a := range as {
			hrefs[i] = fmt.Sprintf("/c/%d/distributions/%d", c.ID, a.Year)
		}
		pg.Allotments = reportHTML(st, HouseholdAllotmentsTable(p.T("web.household_allotments"), as, memberTr(st)), 0, hrefs)
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: p.T("cli.title.households"), Href: pg.Register})
	s.render(w, r, http.StatusOK, "household", &page{Title: h.Code + " " + h.Name, Crumbs: crumbs, Data: pg})
}

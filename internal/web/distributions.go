package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// Income distribution (收益分配) on the web, per collective and year: the
// plan in the order of the 收益及收益分配表 and each household's
// allotment, paid and owed (package report's tables), its status, decision
// and adoption date; its print view and xlsx, and the payment list the
// bank pays from as xlsx; and the forms of those who keep the books:
// draft (again) from the closed year's books, adopt on its decision, pay.

func (s *Server) distributionRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/distributions/{year}", s.signedIn(s.distribution))
	for _, act := range []string{"draft", "adopt", "pay"} {
		mux.HandleFunc("GET /c/{id}/distributions/{year}/"+act, s.signedIn(s.distributionForm))
		mux.HandleFunc("POST /c/{id}/distributions/{year}/"+act, s.signedIn(s.distributionAct))
	}
}

// distributionTables are a distribution's plan and allotments, what the
// collective's own shares keep counted in the plan.
func distributionTables(st *state, d *store.Distribution) (plan, lines *report.Table) {
	var kept jiti.Amount
	for _, l := range d.Lines {
		if l.Household == "" {
			kept += l.Amount
		}
	}
	return report.PlanTable(&d.Plan, kept, st.tr()), report.AllotmentTable(d.Lines, st.tr())
}

// distributionPage is a year's distribution, or the invitation to draft it.
type distributionPage struct {
	C                   *jiti.Collective
	Year                int
	D                   *store.Distribution
	Title               string
	Status              string
	Span                []string
	Plan, Lines         template.HTML
	PrintHref, XLSXHref string
	BankHref            string // the payment list as xlsx, while anything is owed
	Acts                []crumb
	Prev, Next          string
	Message             string
}

// distributionOf reads the path's collective and year, and the year's
// distribution (nil when none was drafted).
func (s *Server) distributionOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, int, *store.Distribution, bool) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return nil, 0, nil, false
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || !jiti.ValidYear(year) {
		s.fail(w, r, jiti.ErrNotFound.With("distribution", r.PathValue("year")))
		return nil, 0, nil, false
	}
	d, err := st.view.Distribution(r.Context(), c.ID, year)
	if errors.Is(err, store.ErrDistributionNone) {
		return c, year, nil, true
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, 0, nil, false
	}
	return c, year, d, true
}

func (s *Server) distribution(w http.ResponseWriter, r *http.Request, st *state) {
	c, year, d, ok := s.distributionOf(w, r, st)
	if !ok {
		return
	}
	p := st.p
	base := fmt.Sprintf("/c/%d/distributions/", c.ID)
	pg := &distributionPage{C: c, Year: year, D: d, Title: p.T("web.distribution_title", year), Message: doneMessage(r, st),
		Prev: base + strconv.Itoa(year-1), Next: base + strconv.Itoa(year+1)}
	keeper := st.view.Can(store.PermKeepBooks)
	if d == nil {
		if keeper {
			pg.Acts = []crumb{{Label: p.T("web.distribution_draft"), Href: base + strconv.Itoa(year) + "/draft"}}
		}
		s.renderDistribution(w, r, st, pg)
		return
	}
	plan, lines := distributionTables(st, d)
	meta := report.DistributionMeta(year, d.Status, d.Decision, d.AdoptedOn, st.tr())
	switch r.URL.Query().Get("format") {
	case "xlsx":
		plan.Meta = []string{meta}
		s.sendXLSXTables(w, r, st, c, []*report.Table{plan, lines}, "distribution", strconv.Itoa(year))
		return
	case "bank":
		s.sendXLSX(w, r, st, c, bankList(st, d), "payments", strconv.Itoa(year))
		return
	}
	pg.Status, pg.Span = p.T("distribution.status."+d.Status), []string{meta}
	pg.Plan, pg.Lines = reportHTML(st, plan, -1, nil), reportHTML(st, lines, -1, nil)
	pg.PrintHref, pg.XLSXHref = hrefWith(r.URL.Query(), "print", "1"), hrefWith(r.URL.Query(), "format", "xlsx")
	owed := false
	for _, l := range d.Lines {
		owed = owed || l.Owed() > 0
	}
	if owed {
		pg.BankHref = hrefWith(r.URL.Query(), "format", "bank")
	}
	if keeper {
		here := base + strconv.Itoa(year)
		switch {
		case d.Status == store.DistributionDraft:
			pg.Acts = []crumb{{Label: p.T("web.distribution_redraft"), Href: here + "/draft"}, {Label: p.T("web.distribution_adopt"), Href: here + "/adopt"}}
		case owed:
			pg.Acts = []crumb{{Label: p.T("web.distribution_pay"), Href: here + "/pay"}}
		}
	}
	s.renderDistribution(w, r, st, pg)
}

// bankList is the payment list the bank pays from: each household still
// owed, with its shares, allotment, paid and owed (what the bank is to
// pay).
func bankList(st *state, d *store.Distribution) *report.Table {
	var owed []register.Allotment
	for _, l := range d.Lines {
		if l.Owed() > 0 {
			owed = append(owed, l)
		}
	}
	t := report.AllotmentTable(owed, st.tr())
	t.Title = st.p.T("cli.title.distribution_payments")
	return t
}

func (s *Server) renderDistribution(w http.ResponseWriter, r *http.Request, st *state, pg *distributionPage) {
	crumbs, err := s.collectiveCrumbs(r, st, pg.C)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: st.p.T("web.shares"), Href: fmt.Sprintf("/c/%d/shares", pg.C.ID)})
	s.render(w, r, http.StatusOK, "distribution", &page{Title: pg.Title, Crumbs: crumbs, Data: pg, Printed: r.URL.Query().Has("print")})
}

func (s *Server) distributionForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, year, d, ok := s.distributionOf(w, r, st)
	if !ok || !s.mayKeepBooks(w, r, st) {
		return
	}
	values := map[string]string{"date": s.today()}
	if strings.HasSuffix(r.URL.Path, "/draft") {
		values = map[string]string{"reserve_rate": "10", "member_rate": "50"}
	}
	s.renderDistributionForm(w, r, st, c, year, d, actOf(r), newRegForm(st, values), http.StatusOK)
}

// actOf is the act a distribution's form does: draft, adopt or pay.
func actOf(r *http.Request) string { return r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:] }

// distributionAct drafts, adopts or pays the year's distribution and goes
// back to its page; wrong entries come back as typed, each beside its
// field.
func (s *Server) distributionAct(w http.ResponseWriter, r *http.Request, st *state) {
	c, year, d, ok := s.distributionOf(w, r, st)
	if !ok || !s.mayKeepBooks(w, r, st) {
		return
	}
	act := actOf(r)
	f := readRegForm(r, st)
	v, ctx, by := f.values, r.Context(), st.view.User().ID
	var run func() error
	switch act {
	case "draft":
		in := store.DistributionInput{Year: year, ReserveRate: f.percent("reserve_rate"), MemberRate: f.percent("member_rate"),
			Members: f.amount("members"), Other: f.amount("other"), Payable: v["payable"]}
		run = func() error { _, err := s.DB.DraftDistribution(ctx, by, c.ID, in); return err }
	case "adopt":
		on := f.date("date", true)
		run = func() error { _, err := s.DB.AdoptDistribution(ctx, by, c.ID, year, on, v["decision"]); return err }
	default:
		on := f.date("date", true)
		households := strings.FieldsFunc(v["households"], func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' })
		run = func() error {
			_, err := s.DB.PayDistribution(ctx, by, c.ID, year, on, v["account"], households)
			return err
		}
	}
	if !f.failed() {
		err := run()
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/c/%d/distributions/%d?done=distribution_%s", c.ID, year, act), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, distributionField) {
			return
		}
	}
	s.renderDistributionForm(w, r, st, c, year, d, act, f, f.code)
}

// distributionField places the store's errors on the forms: the plan's
// parts are the draft's inputs, a household listed is the list.
func distributionField(field string) string {
	switch {
	case field == "reserve":
		return "reserve_rate"
	case strings.HasSuffix(field, "household"):
		return "households"
	case field == "year":
		return ""
	}
	return field
}

func (s *Server) renderDistributionForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, year int, d *store.Distribution, act string, f *regForm, code int) {
	p := st.p
	here := fmt.Sprintf("/c/%d/distributions/%d", c.ID, year)
	pg := &regFormPage{C: c, Action: here + "/" + act, Back: here, Submit: p.T("web.distribution_" + act),
		Intro: p.T("web.distribution_" + act + "_intro")}
	var fields []formField
	switch act {
	case "draft":
		accounts, err := st.view.Accounts(r.Context(), c.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		fields = []formField{
			f.text("reserve_rate", "field.reserve_rate", mode("decimal"), maxLen(8), hint(p.T("web.percent_hint"))),
			f.text("member_rate", "field.member_rate", mode("decimal"), maxLen(8), hint(p.T("web.distribution_rate_hint"))),
			f.text("members", "field.members", mode("decimal"), maxLen(20), hint(p.T("web.distribution_amount_hint"))),
			f.text("other", "field.other", mode("decimal"), maxLen(20)),
			f.choose("payable", "field.payable", accountOptions(st, accounts, "web.distribution_payable_default", "211")),
		}
	case "adopt":
		fields = []formField{
			f.input("date", "date", "field.adopted_on", required),
			f.text("decision", "field.decision", required, maxLen(40), hint(p.T("web.decision_ref_hint"))),
		}
	default:
		accounts, err := st.view.Accounts(r.Context(), c.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		fields = []formField{
			f.input("date", "date", "field.date", required),
			f.choose("account", "field.pay_account", accountOptions(st, accounts, "web.pick_account", "101", "102"), required),
			f.text("households", "field.households", maxLen(2000), hint(p.T("web.distribution_households_hint"))),
		}
	}
	pg.Sections = []formSection{{Fields: fields}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, pg.Submit, []crumb{{Label: p.T("web.distribution_title", year), Href: here}}, pg)
}

// HouseholdAllotmentsTable is what a household was allotted, paid and is
// still owed, year by year, with the totals.
func HouseholdAllotmentsTable(title string, as []store.HouseholdAllotment, tr report.Translator) *report.Table {
	t := &report.Table{Title: title, Columns: []report.Column{
		{Key: "cli.col.year", Align: report.Left}, {Key: "cli.col.status", Align: report.Left}, {Key: "cli.col.shares", Align: report.Right},
		{Key: "cli.col.allotted", Align: report.Right, Money: true}, {Key: "cli.col.paid", Align: report.Right, Money: true},
		{Key: "cli.col.owed", Align: report.Right, Money: true}}}
	var amount, paid, owed jiti.Amount
	for _, a := range as {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.Itoa(a.Year), tr("distribution.status." + a.Status),
			a.Shares.String(), a.Amount.String(), a.Paid.String(), a.Owed().String()}})
		amount, paid, owed = amount+a.Amount, paid+a.Paid, owed+a.Owed()
	}
	t.Rows = append(t.Rows, report.TableRow{Bold: true, Cells: []string{tr("report.total"), "", "", amount.String(), paid.String(), owed.String()}})
	return t
}

package web

import (
	"fmt"
	"net/http"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The decisions register (四议两公开) on the web: a collective's list with
// each decision's status and the step it reached, a decision's page with
// its six steps (passed or not, counts and ratios), and the forms adding a
// decision and recording its next step, for those who keep the books. The
// rules are the register's (register.Decision.Record), checked again by
// the store.

func (s *Server) decisionRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/decisions", s.signedIn(s.decisions))
	mux.HandleFunc("GET /c/{id}/decisions/new", s.signedIn(s.newDecisionForm))
	mux.HandleFunc("POST /c/{id}/decisions/new", s.signedIn(s.createDecision))
	mux.HandleFunc("GET /c/{id}/decisions/{did}", s.signedIn(s.decision))
	mux.HandleFunc("GET /c/{id}/decisions/{did}/step", s.signedIn(s.decisionStepForm))
	mux.HandleFunc("POST /c/{id}/decisions/{did}/step", s.signedIn(s.recordDecisionStep))
}

var decisionStatuses = []register.DecisionStatus{register.DecisionOpen, register.DecisionAdopted, register.DecisionFailed}

// decisions is a collective's decisions register: number, subject, kind,
// the step reached, status and the day of adoption, filtered by kind and
// status.
func (s *Server) decisions(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	q := r.URL.Query()
	kind, fk := choice(st, q, "kind", "cli.col.kind", "decision.kind.", register.DecisionKinds)
	status, fs := choice(st, q, "status", "field.status", "decision.status.", decisionStatuses)
	ds, err := st.view.Decisions(r.Context(), store.DecisionFilter{CollectiveID: c.ID, Kind: kind, Status: status})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := &report.Table{Title: st.p.T("cli.title.decisions"), Columns: []report.Column{
		{Key: "cli.col.decision_number", Align: report.Left}, {Key: "cli.col.decision_subject", Align: report.Left},
		{Key: "cli.col.kind", Align: report.Left}, {Key: "cli.col.decision_reached", Align: report.Left},
		{Key: "cli.col.status", Align: report.Left}, {Key: "cli.col.adopted_on", Align: report.Left}}}
	hrefs := make([]string, 0, len(ds))
	for _, d := range ds {
		reached, adopted := "", ""
		if d.Reached > 0 {
			reached = st.p.T("decision.reached", int(d.Reached), st.p.T(fmt.Sprintf("decision.step.%d", d.Reached)))
		}
		if !d.AdoptedOn.IsZero() {
			adopted = d.AdoptedOn.String()
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{d.Number, d.Subject, st.p.T("decision.kind." + string(d.Kind)),
			reached, st.p.T("decision.status." + string(d.Status)), adopted}})
		hrefs = append(hrefs, fmt.Sprintf("/c/%d/decisions/%d", c.ID, d.ID))
	}
	pg := &registerPage{C: c, Title: t.Title, Filters: []selectField{fk, fs}, Count: len(ds)}
	s.list(w, r, st, pg, t, 0, hrefs, "decisions")
}

// decisionPage is a decision with its six steps, those not yet held
// included, and the form of its next step for those who keep the books.
type decisionPage struct {
	C      *jiti.Collective
	D      *register.Decision
	Kind   string
	Status string
	Steps  []stepRow
	// NextHref and NextLabel lead to the form of the next step; empty
	// when no step can follow, or the user may not record it.
	NextHref, NextLabel string
	Message             string // what the last act did
	Problem             string // why the act asked for was refused
}

// stepRow is one of the six steps as the page shows it.
type stepRow struct {
	No                         int
	Name, Date, Meeting        string
	Required, Present, Approve string
	PresentRatio, ApproveRatio string
	Result, Content            string
	Held, Passed, Votes        bool
}

// percent shows part of whole as a percentage with one decimal, as the
// minutes state attendance and votes.
func percent(part, whole int) string {
	if whole <= 0 {
		return ""
	}
	return strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 1, 64) + "%"
}

// decisionOf reads the path's decision, of the path's collective in
// scope; any other is not found.
func (s *Server) decisionOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, *register.Decision, bool) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("did"), 10, 64)
	var d *register.Decision
	if err == nil {
		d, err = st.view.FindDecision(r.Context(), id)
	}
	if err != nil || d.CollectiveID != c.ID {
		s.fail(w, r, jiti.ErrNotFound.With("decision", r.PathValue("did")))
		return nil, nil, false
	}
	return c, d, true
}

func (s *Server) decision(w http.ResponseWriter, r *http.Request, st *state) {
	c, d, ok := s.decisionOf(w, r, st)
	if !ok {
		return
	}
	pg := s.decisionPageOf(st, c, d)
	pg.Message = doneMessage(r, st)
	s.renderDecision(w, r, st, http.StatusOK, pg)
}

// decisionPageOf lays out a decision's six steps.
func (s *Server) decisionPageOf(st *state, c *jiti.Collective, d *register.Decision) *decisionPage {
	pg := &decisionPage{C: c, D: d, Kind: st.p.T("decision.kind." + string(d.Kind)), Status: st.p.T("decision.status." + string(d.Status))}
	for _, n := range register.Steps {
		row := stepRow{No: int(n), Name: st.p.T(fmt.Sprintf("decision.step.%d", n)), Votes: n.Votes()}
		if int(n) <= len(d.Steps) {
			x := d.Steps[n-1]
			row.Held, row.Passed, row.Date, row.Content = true, x.Passed, x.HeldOn.String(), x.Content
			if x.Meeting != "" {
				row.Meeting = st.p.T("decision.meeting." + string(x.Meeting))
			}
			if n.Votes() {
				row.Required, row.Present, row.Approve = strconv.Itoa(x.Required), strconv.Itoa(x.Present), strconv.Itoa(x.Approve)
				row.PresentRatio, row.ApproveRatio = percent(x.Present, x.Required), percent(x.Approve, x.Present)
			}
			switch {
			case !n.Votes():
				row.Result = st.p.T("decision.published")
			case x.Passed:
				row.Result = st.p.T("decision.passed")
			default:
				row.Result = st.p.T("decision.not_passed")
			}
		} else if d.Status == register.DecisionFailed {
			row.Result = st.p.T("web.decision_stopped")
		} else {
			row.Result = st.p.T("web.decision_pending")
		}
		pg.Steps = append(pg.Steps, row)
	}
	if next := d.Next(); next != 0 && st.view.Can(store.PermKeepBooks) {
		pg.NextHref = fmt.Sprintf("/c/%d/decisions/%d/step", c.ID, d.ID)
		pg.NextLabel = st.p.T("web.decision_record_step", int(next), st.p.T(fmt.Sprintf("decision.step.%d", next)))
	}
	return pg
}

func (s *Server) renderDecision(w http.ResponseWriter, r *http.Request, st *state, code int, pg *decisionPage) {
	crumbs, err := s.collectiveCrumbs(r, st, pg.C)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: st.p.T("cli.title.decisions"), Href: fmt.Sprintf("/c/%d/decisions", pg.C.ID)})
	s.render(w, r, code, "decision", &page{Title: st.p.T("cli.title.decision", pg.D.Number, pg.D.Subject), Crumbs: crumbs, Data: pg})
}

// stepForm is the form of a decision's next step: counts for the steps
// that vote, the meeting for the resolution, content for all.
func (s *Server) stepForm(st *state, c *jiti.Collective, d *register.Decision, f *regForm) *regFormPage {
	p := st.p
	next := d.Next()
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/decisions/%d/step", c.ID, d.ID), Back: fmt.Sprintf("/c/%d/decisions/%d", c.ID, d.ID),
		Submit: p.T("web.decision_record_step", int(next), p.T(fmt.Sprintf("decision.step.%d", next))), Intro: p.T(fmt.Sprintf("web.decision_rule.%d", next))}
	fields := []formField{f.input("date", "held_on", "field.held_on", required)}
	if next == register.StepResolution {
		fields = append(fields, f.choose("meeting", "field.meeting", enumOptions(st, "decision.meeting.", register.Meetings, "web.choose"), required))
	}
	if next.Votes() {
		fields = append(fields,
			f.text("required", "field.required", required, mode("numeric"), hint(p.T(fmt.Sprintf("web.decision_required.%d", next)))),
			f.text("present", "field.present", required, mode("numeric")),
			f.text("approve", "field.approve", required, mode("numeric")))
	}
	fields = append(fields, f.input("textarea", "content", "field.content", maxLen(500)))
	pg.Sections = []formSection{{Fields: fields}}
	pg.Error = f.rest()
	return pg
}

func (s *Server) decisionStepForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, d, ok := s.decisionOf(w, r, st)
	if !ok || !s.mayKeepBooks(w, r, st) {
		return
	}
	if d.Next() == 0 {
		http.Redirect(w, r, fmt.Sprintf("/c/%d/decisions/%d", c.ID, d.ID), http.StatusSeeOther)
		return
	}
	s.renderStepForm(w, r, st, http.StatusOK, c, d, newRegForm(st, map[string]string{"held_on": s.today()}))
}

func (s *Server) renderStepForm(w http.ResponseWriter, r *http.Request, st *state, code int, c *jiti.Collective, d *register.Decision, f *regForm) {
	pg := s.stepForm(st, c, d, f)
	s.renderRegForm(w, r, st, code, pg.Submit, []crumb{{Label: st.p.T("cli.title.decisions"), Href: fmt.Sprintf("/c/%d/decisions", c.ID)},
		{Label: d.Number, Href: pg.Back}}, pg)
}

// recordDecisionStep records the decision's next step and goes back to
// its page, which shows whether it passed; wrong entries come back as
// typed, each error beside its field.
func (s *Server) recordDecisionStep(w http.ResponseWriter, r *http.Request, st *state) {
	c, d, ok := s.decisionOf(w, r, st)
	if !ok || !s.mayKeepBooks(w, r, st) {
		return
	}
	f := readRegForm(r, st)
	step := register.DecisionStep{Step: d.Next(), HeldOn: f.date("held_on", true), Meeting: register.Meeting(f.values["meeting"]),
		Content: f.values["content"]}
	if step.Step == 0 {
		step.Step = d.Reached + 1 // for the store to refuse, naming why
	}
	for _, n := range []struct {
		field string
		to    *int
	}{{"required", &step.Required}, {"present", &step.Present}, {"approve", &step.Approve}} {
		var err error
		if *n.to, err = register.ParseCount(f.values[n.field], n.field); err != nil {
			f.fail(n.field, err)
		}
	}
	if !f.failed() {
		out, err := s.DB.RecordDecisionStep(r.Context(), st.view.User().ID, d.ID, step)
		if err == nil {
			done := "decision_step_passed"
			if !out.Steps[len(out.Steps)-1].Passed {
				done = "decision_step_failed"
			}
			http.Redirect(w, r, fmt.Sprintf("/c/%d/decisions/%d?done=%s", c.ID, d.ID, done), http.StatusSeeOther)
			return
		}
		if !s.storeError(w, r, f, err, nil) {
			return
		}
	}
	if d.Next() == 0 {
		// Nothing can follow (the decision failed or is complete): the
		// page says why, with the store's error at the top.
		pg := s.decisionPageOf(st, c, d)
		pg.Problem = f.rest()
		s.renderDecision(w, r, st, f.code, pg)
		return
	}
	s.renderStepForm(w, r, st, f.code, c, d, f)
}

func (s *Server) newDecisionForm(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	s.renderDecisionForm(w, r, st, c, newRegForm(st, map[string]string{}), http.StatusOK)
}

// createDecision registers a decision, open, and goes to its page to
// record its first step.
func (s *Server) createDecision(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.keeperOf(w, r, st)
	if !ok {
		return
	}
	f := readRegForm(r, st)
	v := f.values
	d := register.Decision{CollectiveID: c.ID, Number: v["number"], Subject: v["subject"], Kind: register.DecisionKind(v["kind"]), Note: v["note"]}
	out, err := s.DB.CreateDecision(r.Context(), st.view.User().ID, d)
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/c/%d/decisions/%d?done=decision", c.ID, out.ID), http.StatusSeeOther)
		return
	}
	if !s.storeError(w, r, f, err, nil) {
		return
	}
	s.renderDecisionForm(w, r, st, c, f, f.code)
}

func (s *Server) renderDecisionForm(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, f *regForm, code int) {
	p := st.p
	pg := &regFormPage{C: c, Action: fmt.Sprintf("/c/%d/decisions/new", c.ID), Back: fmt.Sprintf("/c/%d/decisions", c.ID),
		Submit: p.T("web.save"), Intro: p.T("web.decision_intro")}
	pg.Sections = []formSection{{Fields: []formField{
		f.text("number", "field.number", required, maxLen(40), hint(p.T("web.decision_number_hint"))),
		f.text("subject", "field.subject", required, maxLen(100)),
		f.choose("kind", "cli.col.kind", enumOptions(st, "decision.kind.", register.DecisionKinds, "web.choose"), required),
		f.input("textarea", "note", "field.note", maxLen(500)),
	}}}
	pg.Error = f.rest()
	s.renderRegForm(w, r, st, code, p.T("web.decision_new"), []crumb{{Label: p.T("cli.title.decisions"), Href: pg.Back}}, pg)
}

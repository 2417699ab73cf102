package web

import (
	"fmt"
	"net/http"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// The decisions register (四议两公开) in the API: a collective's list, a
// new decision, one decision with its steps and its ETag, and its next
// step recorded. The rules are the register's; the API only reads its
// values in their one form.

var apiDecisionStatuses = []register.DecisionStatus{register.DecisionOpen, register.DecisionAdopted, register.DecisionFailed}

func (s *Server) apiDecisions(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	f := store.DecisionFilter{CollectiveID: c.ID}
	var errs jiti.Errors
	if f.Kind, err = oneOf(r, "kind", register.DecisionKinds); err != nil {
		errs = append(errs, err)
	}
	if f.Status, err = oneOf(r, "status", apiDecisionStatuses); err != nil {
		errs = append(errs, err)
	}
	if y := r.URL.Query().Get("year"); y != "" {
		if f.Year, err = jiti.ParseYear(y); err != nil || !jiti.ValidYear(f.Year) {
			errs = append(errs, jiti.ErrYearSyntax.With(y).At("year"))
		}
	}
	if err := joinErrors(errs); err != nil {
		return err
	}
	ds, err := st.view.Decisions(r.Context(), f)
	if err != nil {
		return err
	}
	list, total, err := paginate(r, nonNil(ds))
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "decisions": list.items})
	return nil
}

func (s *Server) apiCreateDecision(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	var in struct {
		Number  string  `json:"number"`
		Subject string  `json:"subject"`
		Kind    string  `json:"kind"`
		Note    *string `json:"note"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	kind, err := oneOfValue("kind", register.DecisionKind(in.Kind), register.DecisionKinds)
	if err != nil {
		return err
	}
	d := register.Decision{CollectiveID: c.ID, Number: in.Number, Subject: in.Subject, Kind: kind}
	if in.Note != nil {
		d.Note = *in.Note
	}
	made, err := s.DB.CreateDecision(r.Context(), st.view.User().ID, d)
	if err != nil {
		return err
	}
	if made, err = st.view.FindDecision(r.Context(), made.ID); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("%s/decisions/%d", apiPrefix, made.ID))
	writeTagged(w, http.StatusCreated, made)
	return nil
}

func (s *Server) apiDecision(w http.ResponseWriter, r *http.Request, st *state) error {
	id, err := pathID(r, "id", "decision")
	if err != nil {
		return err
	}
	d, err := st.view.FindDecision(r.Context(), id)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, d)
	return nil
}

// apiDecisionStep records the decision's next step (or the step named,
// which must be the next): it answers with the decision as it is after,
// whether the step passed or, failing, stopped it.
func (s *Server) apiDecisionStep(w http.ResponseWriter, r *http.Request, st *state) error {
	id, err := pathID(r, "id", "decision")
	if err != nil {
		return err
	}
	d, err := st.view.FindDecision(r.Context(), id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, d); err != nil {
		return err
	}
	var in struct {
		Step     *int    `json:"step"`
		HeldOn   string  `json:"held_on"`
		Meeting  *string `json:"meeting"`
		Required *int    `json:"required"`
		Present  *int    `json:"present"`
		Approve  *int    `json:"approve"`
		Content  *string `json:"content"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	step := register.DecisionStep{Step: d.Reached + 1}
	if in.Step != nil {
		step.Step = register.Step(*in.Step)
	}
	if step.HeldOn, err = apiDate(in.HeldOn, "held_on"); err != nil {
		return err
	}
	if in.Meeting != nil && *in.Meeting != "" {
		if step.Meeting, err = oneOfValue("meeting", register.Meeting(*in.Meeting), register.Meetings); err != nil {
			return err
		}
	}
	for _, n := range []struct {
		from *int
		to   *int
	}{{in.Required, &step.Required}, {in.Present, &step.Present}, {in.Approve, &step.Approve}} {
		if n.from != nil {
			*n.to = *n.from
		}
	}
	if in.Content != nil {
		step.Content = *in.Content
	}
	if _, err := s.DB.RecordDecisionStep(r.Context(), st.view.User().ID, d.ID, step); err != nil {
		return err
	}
	if d, err = st.view.FindDecision(r.Context(), id); err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, d)
	return nil
}

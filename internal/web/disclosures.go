package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/store"
)

// The disclosures of a collective for those who keep its books: every
// version with its status, and the forms of the workflow (prepare, record
// the oversight group's check, publish, correct).

func (s *Server) disclosureRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /c/{id}/disclosures", s.signedIn(s.disclosures))
	mux.HandleFunc("POST /c/{id}/disclosures", s.signedIn(s.prepareDisclosure))
	mux.HandleFunc("POST /c/{id}/disclosures/{did}/{act}", s.signedIn(s.disclosureAct))
}

// disclosuresPage is the list and its forms. Errors are by form ("prepare"
// or a disclosure's id) and then by field; Values keep what was typed.
type disclosuresPage struct {
	C       *jiti.Collective
	List    []*store.Disclosure
	Form    string // the form that failed
	Errors  map[string]string
	Values  url.Values
	Message string
	Today   string
}

// Latest reports whether d is the latest version of its period: the one a
// correction may start from.
func (p *disclosuresPage) Latest(d *store.Disclosure) bool {
	for _, o := range p.List {
		if o.Period == d.Period && o.Version > d.Version {
			return false
		}
	}
	return true
}

// Is reports whether form is the one that failed.
func (p *disclosuresPage) Is(form string) bool { return p.Form == form }

// Key names a disclosure's forms.
func (p *disclosuresPage) Key(d *store.Disclosure) string { return strconv.FormatInt(d.ID, 10) }

func (s *Server) disclosures(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	s.renderDisclosures(w, r, st, c, http.StatusOK, &disclosuresPage{Message: doneMessage(r, st)})
}

func (s *Server) renderDisclosures(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, code int, pg *disclosuresPage) {
	list, err := st.view.Disclosures(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.C, pg.List, pg.Today = c, list, jiti.DateOf(s.Now()).String()
	if pg.Errors == nil {
		pg.Errors = map[string]string{}
	}
	s.render(w, r, code, "disclosures", &page{Title: st.p.T("web.disclosures") + " · " + c.Name, Crumbs: crumbs, Data: pg})
}

// formFailed shows the page again with err beside the fields of form and
// what was typed kept; an error not of the user's is a failure.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, st *state, c *jiti.Collective, form string, err error) {
	if !isUserError(err) {
		s.fail(w, r, err)
		return
	}
	pg := &disclosuresPage{Form: form, Errors: map[string]string{}, Values: r.PostForm}
	fieldErrors(st.p, err, pg.Errors)
	s.renderDisclosures(w, r, st, c, statusOf(err), pg)
}

func (s *Server) prepareDisclosure(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	p, err := disclose.ParsePeriod(r.PostFormValue("period"))
	if err == nil {
		_, err = s.DB.PrepareDisclosure(r.Context(), st.view.User().ID, c.ID, p)
	}
	if err != nil {
		s.formFailed(w, r, st, c, "prepare", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%d/disclosures?done=disclosure_prepared", c.ID), http.StatusSeeOther)
}

// disclosureAct records a check, publishes, or prepares a correction.
func (s *Server) disclosureAct(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	did, err := strconv.ParseInt(r.PathValue("did"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("disclosure", r.PathValue("did")))
		return
	}
	// Through the view: a disclosure of a collective out of scope, or of
	// another collective than the address's, is not found.
	d, err := st.view.Disclosure(r.Context(), did)
	if err != nil || d.CollectiveID != c.ID {
		s.fail(w, r, jiti.ErrNotFound.With("disclosure", did))
		return
	}
	by, act := st.view.User().ID, r.PathValue("act")
	switch act {
	case "check":
		var day jiti.Date
		day, err = jiti.ParseDate(strings.TrimSpace(r.PostFormValue("checked_on")))
		if err != nil {
			err = jiti.AsError(err).At("checked_on")
			break
		}
		_, err = s.DB.CheckDisclosure(r.Context(), by, did, store.DisclosureCheck{Checker: r.PostFormValue("checker"), On: day,
			Remarks: r.PostFormValue("check_remarks")})
	case "publish":
		_, err = s.DB.PublishDisclosure(r.Context(), by, did)
	case "correct":
		_, err = s.DB.CorrectDisclosure(r.Context(), by, did, r.PostFormValue("reason"))
	default:
		s.fail(w, r, jiti.ErrNotFound.With("action", act))
		return
	}
	if err != nil {
		s.formFailed(w, r, st, c, r.PathValue("did"), err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%d/disclosures?done=disclosure_%s", c.ID, act), http.StatusSeeOther)
}

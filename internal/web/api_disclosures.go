package web

import (
	"encoding/json"
	"net/http"

	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/store"
)

// The disclosures in the JSON API: a collective's list, one with its
// snapshot, and the workflow's steps (prepare, check, publish).

func init() {
	apiTable = append(apiTable,
		APIRoute{Method: "GET", Path: "/collectives/{id}/disclosures", Query: []string{"limit", "offset"}, Status: 200, h: (*Server).apiDisclosures},
		APIRoute{Method: "POST", Path: "/collectives/{id}/disclosures", Body: BodyRequired, Status: 201, h: (*Server).apiPrepareDisclosure},
		APIRoute{Method: "GET", Path: "/disclosures/{id}", Status: 200, h: (*Server).apiDisclosure},
		APIRoute{Method: "POST", Path: "/disclosures/{id}/check", Body: BodyRequired, Status: 200, h: (*Server).apiCheckDisclosure},
		APIRoute{Method: "POST", Path: "/disclosures/{id}/publish", Status: 200, h: (*Server).apiPublishDisclosure},
	)
}

// apiDisclosure is a disclosure in the API; one read alone carries its
// snapshot, exactly its canonical form (whose SHA-256 is hash).
type apiDisclosure struct {
	*store.Disclosure
	Snapshot json.RawMessage `json:"snapshot,omitempty"`
}

func (s *Server) apiDisclosures(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	ds, err := st.view.Disclosures(r.Context(), c.ID)
	if err != nil {
		return err
	}
	out := make([]apiDisclosure, len(ds))
	for i, d := range ds {
		out[i] = apiDisclosure{Disclosure: d}
	}
	list, total, err := paginate(r, out)
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "disclosures": list.items})
	return nil
}

// apiDisclosureOf reads the disclosure of the path, in the caller's scope.
func apiDisclosureOf(r *http.Request, st *state) (*store.Disclosure, error) {
	id, err := pathID(r, "id", "disclosure")
	if err != nil {
		return nil, err
	}
	return st.view.Disclosure(r.Context(), id)
}

func newAPIDisclosure(d *store.Disclosure) apiDisclosure {
	return apiDisclosure{Disclosure: d, Snapshot: json.RawMessage(d.Content)}
}

func (s *Server) apiDisclosure(w http.ResponseWriter, r *http.Request, st *state) error {
	d, err := apiDisclosureOf(r, st)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, newAPIDisclosure(d))
	return nil
}

// apiPrepareDisclosure prepares a quarter or a month: {"period":
// "2025Q1"} or {"period": "2025-03"}. A matter of its own is prepared
// with the command line (jiti disclosure prepare -matter).
func (s *Server) apiPrepareDisclosure(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	var in struct {
		Period string `json:"period"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	p, err := disclose.ParsePeriod(in.Period)
	if err != nil {
		return err
	}
	d, err := s.DB.PrepareDisclosure(r.Context(), st.view.User().ID, c.ID, p)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusCreated, newAPIDisclosure(d))
	return nil
}

// apiCheckDisclosure records the oversight group's check: {"checker",
// "checked_on", "check_remarks"}.
func (s *Server) apiCheckDisclosure(w http.ResponseWriter, r *http.Request, st *state) error {
	d, err := apiDisclosureOf(r, st)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, newAPIDisclosure(d)); err != nil {
		return err
	}
	var in struct {
		Checker   string `json:"checker"`
		CheckedOn string `json:"checked_on"`
		Remarks   string `json:"check_remarks"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	on, err := apiDate(in.CheckedOn, "checked_on")
	if err != nil {
		return err
	}
	if _, err := s.DB.CheckDisclosure(r.Context(), st.view.User().ID, d.ID, store.DisclosureCheck{Checker: in.Checker, On: on, Remarks: in.Remarks}); err != nil {
		return err
	}
	return s.apiDisclosureAgain(w, r, st, d.ID)
}

func (s *Server) apiPublishDisclosure(w http.ResponseWriter, r *http.Request, st *state) error {
	d, err := apiDisclosureOf(r, st)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, newAPIDisclosure(d)); err != nil {
		return err
	}
	if _, err := s.DB.PublishDisclosure(r.Context(), st.view.User().ID, d.ID); err != nil {
		return err
	}
	return s.apiDisclosureAgain(w, r, st, d.ID)
}

// apiDisclosureAgain answers a step with the disclosure as it now stands.
func (s *Server) apiDisclosureAgain(w http.ResponseWriter, r *http.Request, st *state, id int64) error {
	d, err := st.view.Disclosure(r.Context(), id)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, newAPIDisclosure(d))
	return nil
}

package web

import (
	"fmt"
	"net/http"
	"unicode/utf8"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// The members' register in the JSON API: a collective's members (paged,
// searched as on the page) and households, a member with their history
// and its ETag, a member confirmed, and a change of a member's status. An
// identity number is read whole and only ever answered masked (its
// MarshalText).

func init() {
	apiTable = append(apiTable,
		APIRoute{Method: "GET", Path: "/collectives/{id}/members", Query: []string{"q", "status", "household", "limit", "offset"},
			Status: 200, h: (*Server).apiMembers},
		APIRoute{Method: "POST", Path: "/collectives/{id}/members", Body: BodyRequired, Status: 201, h: (*Server).apiCreateMember},
		APIRoute{Method: "GET", Path: "/collectives/{id}/households", Query: []string{"limit", "offset"}, Status: 200, h: (*Server).apiHouseholds},
		APIRoute{Method: "GET", Path: "/members/{id}", Status: 200, h: (*Server).apiMember},
		APIRoute{Method: "POST", Path: "/members/{id}/status", Body: BodyRequired, Status: 200, h: (*Server).apiMemberStatus},
	)
}

// apiMemberCard is a member with their history, oldest first.
type apiMemberCard struct {
	register.Member
	History []register.MemberEntry `json:"history"`
}

func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	f := store.MemberFilter{CollectiveID: c.ID, Query: r.URL.Query().Get("q"), Household: r.URL.Query().Get("household")}
	if f.Status, err = oneOf(r, "status", register.MemberStatuses); err != nil {
		return err
	}
	ms, err := st.view.Members(r.Context(), f)
	if err != nil {
		return err
	}
	list, total, err := paginate(r, nonNil(ms))
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "members": list.items})
	return nil
}

func (s *Server) apiHouseholds(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	hs, err := st.view.Households(r.Context(), c.ID)
	if err != nil {
		return err
	}
	list, total, err := paginate(r, nonNil(hs))
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "households": list.items})
	return nil
}

// apiMemberOf reads the path's {id} as a member in scope, with their
// history.
func apiMemberOf(r *http.Request, st *state) (*apiMemberCard, error) {
	id, err := pathID(r, "id", "member")
	if err != nil {
		return nil, err
	}
	m, es, err := st.view.FindMember(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return &apiMemberCard{Member: *m, History: nonNil(es)}, nil
}

func (s *Server) apiMember(w http.ResponseWriter, r *http.Request, st *state) error {
	m, err := apiMemberOf(r, st)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, m)
	return nil
}

// memberIn is a member to confirm.
type memberIn struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	IDNumber    string `json:"id_number"`
	Sex         string `json:"sex"`
	BornOn      string `json:"born_on"`
	Household   string `json:"household"`
	Relation    string `json:"relation"`
	Basis       string `json:"basis"`
	ConfirmedOn string `json:"confirmed_on"`
	Decision    string `json:"decision"`
}

// maxNameLen bounds a member's name, as the document does.
const maxNameLen = 100

func (in *memberIn) member(cid int64) (register.Member, error) {
	m := register.Member{CollectiveID: cid, Code: in.Code, Name: in.Name, Household: in.Household, Decision: in.Decision}
	var errs jiti.Errors
	var err error
	if utf8.RuneCountInString(in.Name) > maxNameLen {
		errs = append(errs, jiti.ErrTooLong.With(maxNameLen).At("name"))
	}
	if m.Sex, err = oneOfValue("sex", register.Sex(in.Sex), register.Sexes); err != nil {
		errs = append(errs, err)
	}
	if m.Relation, err = oneOfValue("relation", register.Relation(in.Relation), register.Relations); err != nil {
		errs = append(errs, err)
	}
	if m.Basis, err = oneOfValue("basis", register.Basis(in.Basis), register.Bases); err != nil {
		errs = append(errs, err)
	}
	if in.IDNumber != "" {
		if m.IDNumber, err = jiti.NewIDNumber(in.IDNumber); err != nil {
			errs = append(errs, jiti.AsError(err).At("id_number"))
		}
	}
	if m.BornOn, err = apiDate(in.BornOn, "born_on"); err != nil {
		errs = append(errs, err)
	}
	if m.ConfirmedOn, err = apiDate(in.ConfirmedOn, "confirmed_on"); err != nil {
		errs = append(errs, err)
	}
	return m, joinErrors(errs)
}

func (s *Server) apiCreateMember(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	var in memberIn
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	m, err := in.member(c.ID)
	if err != nil {
		return err
	}
	if err := s.DB.CreateMembers(r.Context(), st.view.User().ID, c.ID, []register.Member{m}); err != nil {
		return jiti.OneItem(err)
	}
	made, err := s.DB.FindMemberByCode(r.Context(), c.ID, m.Code)
	if err != nil {
		return err
	}
	card, es, err := st.view.FindMember(r.Context(), made.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("%s/members/%d", apiPrefix, card.ID))
	writeTagged(w, http.StatusCreated, &apiMemberCard{Member: *card, History: nonNil(es)})
	return nil
}

func (s *Server) apiMemberStatus(w http.ResponseWriter, r *http.Request, st *state) error {
	m, err := apiMemberOf(r, st)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, m); err != nil {
		return err
	}
	var in struct {
		Status   string  `json:"status"`
		Date     string  `json:"date"`
		Reason   *string `json:"reason"`
		Decision string  `json:"decision"`
		Note     string  `json:"note"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	ch := register.MemberChange{Decision: in.Decision, Note: in.Note}
	var errs jiti.Errors
	if ch.To, err = oneOfValue("status", register.MemberStatus(in.Status), register.MemberStatuses); err != nil {
		errs = append(errs, err)
	}
	if in.Reason != nil {
		if ch.Reason, err = oneOfValue("reason", register.Reason(*in.Reason), register.Reasons); err != nil {
			errs = append(errs, err)
		}
	}
	if ch.On, err = apiDate(in.Date, "date"); err != nil {
		errs = append(errs, err)
	}
	if utf8.RuneCountInString(in.Note) > 1000 {
		errs = append(errs, jiti.ErrTooLong.With(1000).At("note"))
	}
	if utf8.RuneCountInString(in.Decision) > 40 {
		errs = append(errs, jiti.ErrTooLong.With(40).At("decision"))
	}
	if err := joinErrors(errs); err != nil {
		return err
	}
	if err := s.DB.ChangeMemberStatus(r.Context(), st.view.User().ID, m.ID, ch); err != nil {
		return err
	}
	if m, err = apiMemberOf(r, st); err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, m)
	return nil
}

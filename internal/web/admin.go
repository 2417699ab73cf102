package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/auth"
	"example.org/jiti/internal/store"
)

// Administration: users and their scope for a county administrator, and
// the audit log for auditors and administrators. The store decides who may
// do what; these pages only offer it.

type usersPage struct {
	Users  []*jiti.User
	Scopes map[jiti.UserID]string // each user's scope, as scopeText gives it
}

func (s *Server) users(w http.ResponseWriter, r *http.Request, st *state) {
	us, err := st.view.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := usersPage{Users: us, Scopes: map[jiti.UserID]string{}}
	var ids []int64
	for _, u := range us {
		ids = append(ids, u.ScopeCollectives...)
	}
	names, err := s.DB.CollectiveNames(r.Context(), ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range us {
		pg.Scopes[u.ID] = scopeText(u, names)
	}
	s.render(w, r, http.StatusOK, "users", &page{Title: st.p.T("web.users"), Data: pg})
}

// scopeText is a user's scope as people read it: the region's code and
// each collective listed by its code and name, never by its id.
func scopeText(u *jiti.User, names map[int64]store.RecordName) string {
	parts := []string{u.ScopeRegion}
	for _, id := range u.ScopeCollectives {
		parts = append(parts, names[id].Label())
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// userForm is the new-user form as typed.
type userForm struct {
	Name, DisplayName, Role, ScopeRegion, Collectives string
	Roles                                             []jiti.Role
	Errors                                            map[string]string
}

func (s *Server) newUserForm(w http.ResponseWriter, r *http.Request, st *state) {
	if _, err := st.view.Users(r.Context()); err != nil { // administrators only
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "user_form", &page{Title: st.p.T("web.user_new"),
		Data: userForm{Roles: jiti.Roles, Errors: map[string]string{}, ScopeRegion: st.view.User().ScopeRegion}})
}

// createUser adds a user with a password; the collectives of a scope are
// given by their codes, comma or space separated.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, st *state) {
	f := userForm{Name: strings.TrimSpace(r.PostFormValue("name")), DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Role: r.PostFormValue("role"), ScopeRegion: strings.TrimSpace(r.PostFormValue("scope_region")),
		Collectives: r.PostFormValue("scope_collectives"), Roles: jiti.Roles, Errors: map[string]string{}}
	u := jiti.User{Name: f.Name, DisplayName: f.DisplayName, Role: jiti.Role(f.Role), ScopeRegion: f.ScopeRegion}
	u.ScopeCollectives = s.collectivesByCode(r, st, f.Collectives, f.Errors)
	password := r.PostFormValue("password")
	// The password is checked first, so that a bad one never leaves a user
	// made without it.
	if err := auth.ValidatePassword(password); err != nil {
		fieldErrors(st.p, err, f.Errors)
	}
	var err error
	if len(f.Errors) == 0 {
		var created jiti.User
		if created, err = s.DB.CreateUser(r.Context(), st.view.User().ID, u); err == nil {
			if err = s.DB.SetPassword(r.Context(), st.view.User().ID, created.ID, password); err == nil {
				http.Redirect(w, r, fmt.Sprintf("/admin/users/%d?done=user_created", created.ID), http.StatusSeeOther)
				return
			}
		}
	}
	code := http.StatusUnprocessableEntity
	if err != nil {
		if !isUserError(err) || statusOf(err) == http.StatusForbidden {
			s.fail(w, r, err)
			return
		}
		code = statusOf(err)
		fieldErrors(st.p, err, f.Errors)
	}
	s.render(w, r, code, "user_form", &page{Title: st.p.T("web.user_new"), Data: f})
}

type userPage struct {
	U        *jiti.User
	Sessions []store.Session
	Message  string
	Errors   map[string]string
	Self     bool
	Roles    []jiti.Role
	Edit     userForm // the edit form: the user's values, or what was typed
	Scope    string   // the user's scope, as scopeText gives it
}

// userOf finds the path's user among those the viewer administers: any
// other reads as not found.
func (s *Server) userOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.User, bool) {
	id, err := strconv.ParseInt(r.PathValue("uid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("user", r.PathValue("uid")))
		return nil, false
	}
	us, err := st.view.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	for _, u := range us {
		if int64(u.ID) == id {
			return u, true
		}
	}
	s.fail(w, r, jiti.ErrNotFound.With("user", id))
	return nil, false
}

func (s *Server) user(w http.ResponseWriter, r *http.Request, st *state) {
	u, ok := s.userOf(w, r, st)
	if !ok {
		return
	}
	pg := &userPage{U: u, Errors: map[string]string{}}
	pg.Edit = userForm{DisplayName: u.DisplayName, Role: string(u.Role), ScopeRegion: u.ScopeRegion}
	var codes []string
	for _, id := range u.ScopeCollectives {
		if c, err := s.DB.FindCollective(r.Context(), id); err == nil {
			codes = append(codes, c.Code)
		}
	}
	pg.Edit.Collectives = strings.Join(codes, ", ")
	s.renderUser(w, r, st, http.StatusOK, pg)
}

// collectivesByCode reads a scope's collectives, given by their codes
// (comma or space separated), filing an unknown code as the field's error.
func (s *Server) collectivesByCode(r *http.Request, st *state, codes string, errs map[string]string) []int64 {
	var ids []int64
	for _, code := range strings.FieldsFunc(codes, func(r rune) bool { return r == ',' || r == ' ' || r == '，' || r == '\n' }) {
		c, err := s.DB.FindCollectiveByCode(r.Context(), code)
		if err != nil {
			errs["scope_collectives"] = st.p.Error(jiti.ErrNotFound.With("collective", code))
			continue
		}
		ids = append(ids, c.ID)
	}
	return ids
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, st *state, code int, pg *userPage) {
	ss, err := s.DB.Sessions(r.Context(), pg.U.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, err := s.DB.CollectiveNames(r.Context(), pg.U.ScopeCollectives)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Scope = scopeText(pg.U, names)
	pg.Sessions, pg.Self, pg.Roles = ss, pg.U.ID == st.view.User().ID, jiti.Roles
	pg.Message = doneMessage(r, st)
	s.render(w, r, code, "user", &page{Title: pg.U.Name, Crumbs: []crumb{{Label: st.p.T("web.users"), Href: "/admin/users"}}, Data: pg})
}

// userAct disables, enables, resets the password of, or signs out a user.
func (s *Server) userAct(w http.ResponseWriter, r *http.Request, st *state) {
	u, ok := s.userOf(w, r, st)
	if !ok {
		return
	}
	ctx, me := r.Context(), st.view.User().ID
	var err error
	act := r.PathValue("act")
	switch act {
	case "disable", "enable":
		err = s.DB.SetUserDisabled(ctx, me, u.ID, act == "disable")
	case "password":
		err = s.DB.SetPassword(ctx, me, u.ID, r.PostFormValue("password"))
	case "revoke":
		_, err = s.DB.RevokeSessions(ctx, me, u.ID)
	case "edit":
		s.editUser(w, r, st, u)
		return
	default:
		err = jiti.ErrNotFound.With("action", act)
	}
	if err != nil {
		if !isUserError(err) || statusOf(err) == http.StatusNotFound || statusOf(err) == http.StatusForbidden {
			s.fail(w, r, err)
			return
		}
		pg := &userPage{U: u, Errors: map[string]string{}}
		fieldErrors(st.p, err, pg.Errors)
		s.renderUser(w, r, st, statusOf(err), pg)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d?done=user_%s", u.ID, act), http.StatusSeeOther)
}

type auditPage struct {
	Events     []store.AuditEvent
	Names      map[int64]store.RecordName // the events' collectives
	Total      int
	Entity     string
	Action     string
	Collective string
	Page       int
	Prev, Next string
	Error      string
}

// audit lists the audit log, newest first, with old and new values.
func (s *Server) audit(w http.ResponseWriter, r *http.Request, st *state) {
	q := r.URL.Query()
	pg := &auditPage{Entity: q.Get("entity"), Action: q.Get("action"), Collective: q.Get("collective"), Page: 1}
	f := store.AuditFilter{Entity: pg.Entity, Action: pg.Action, Limit: pageSize}
	code := http.StatusOK
	if pg.Collective != "" {
		c, err := s.DB.FindCollectiveByCode(r.Context(), pg.Collective)
		if err == nil {
			_, err = st.view.Collective(r.Context(), c.ID)
		}
		if err != nil {
			pg.Error, code = st.p.Error(jiti.ErrNotFound.With("collective", pg.Collective)), http.StatusUnprocessableEntity
		} else {
			f.CollectiveID = c.ID
		}
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		pg.Page = n
	}
	f.Offset = (pg.Page - 1) * pageSize
	if pg.Error == "" {
		var err error
		if pg.Events, pg.Total, err = st.view.AuditEvents(r.Context(), f); err != nil {
			s.fail(w, r, err)
			return
		}
		ids := make([]int64, len(pg.Events))
		for i, ev := range pg.Events {
			ids[i] = ev.CollectiveID
		}
		if pg.Names, err = s.DB.CollectiveNames(r.Context(), ids); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	link := func(page int) string {
		v := q
		v.Set("page", strconv.Itoa(page))
		return "?" + v.Encode()
	}
	if pg.Page > 1 {
		pg.Prev = link(pg.Page - 1)
	}
	if pg.Page*pageSize < pg.Total {
		pg.Next = link(pg.Page + 1)
	}
	s.render(w, r, code, "audit", &page{Title: st.p.T("web.audit"), Data: pg})
}

// editUser changes a user's display name, role and scope from the user
// page's form; errors come back beside their fields with what was typed.
func (s *Server) editUser(w http.ResponseWriter, r *http.Request, st *state, u *jiti.User) {
	pg := &userPage{U: u, Errors: map[string]string{}}
	pg.Edit = userForm{DisplayName: strings.TrimSpace(r.PostFormValue("display_name")), Role: r.PostFormValue("role"),
		ScopeRegion: strings.TrimSpace(r.PostFormValue("scope_region")), Collectives: r.PostFormValue("scope_collectives")}
	upd := jiti.User{DisplayName: pg.Edit.DisplayName, Role: jiti.Role(pg.Edit.Role), ScopeRegion: pg.Edit.ScopeRegion}
	upd.ScopeCollectives = s.collectivesByCode(r, st, pg.Edit.Collectives, pg.Errors)
	if len(pg.Errors) == 0 {
		_, err := s.DB.UpdateUser(r.Context(), st.view.User().ID, u.ID, upd)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/admin/users/%d?done=user_edit", u.ID), http.StatusSeeOther)
			return
		}
		// An error of a field (an unknown scope region, a role one may not
		// take) goes beside it; any other (the user itself not found) is
		// the page's.
		var e *jiti.Error
		if !isUserError(err) || !errors.As(err, &e) || e.Field == "" {
			s.fail(w, r, err)
			return
		}
		fieldErrors(st.p, err, pg.Errors)
	}
	s.renderUser(w, r, st, http.StatusUnprocessableEntity, pg)
}

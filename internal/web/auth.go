package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/store"
)

// signinPage is the sign-in form with what the user typed (never the
// password) and the error, if any; Insecure when the password would
// travel in clear (no TLS to this server or to its proxy, and the client
// is not this machine).
type signinPage struct {
	Name     string
	Next     string
	Error    string
	Insecure bool
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	st := stateOf(r)
	if st.view != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "signin", &page{Title: st.p.T("web.signin"),
		Data: signinPage{Next: safeNext(r.URL.Query().Get("next")), Insecure: inClear(st.client)}})
}

// inClear reports whether what c sends crosses a network unencrypted.
func inClear(c client) bool { return !c.https && !c.local }

// signin checks the name and password and starts a session. Every failure
// reads the same, whether the name exists or not; a client that must wait
// (too many failures, store.Authenticate) is told for how long, with 429
// and Retry-After.
func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	st := stateOf(r)
	name := strings.TrimSpace(r.PostFormValue("name"))
	next := safeNext(r.PostFormValue("next"))
	u, err := s.DB.Authenticate(r.Context(), name, r.PostFormValue("password"), st.client.addr)
	if err == nil {
		var token string
		token, err = s.DB.CreateSession(r.Context(), u.ID, SessionTTL, r.UserAgent(), st.client.addr)
		if err == nil {
			http.SetCookie(w, cookie(r, sessionCookie, token, "/", int(SessionTTL.Seconds())))
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
	}
	if !isUserError(err) {
		s.fail(w, r, err)
		return
	}
	code := http.StatusUnauthorized
	if wait := waitOf(err); wait > 0 {
		code = http.StatusTooManyRequests
		w.Header().Set("Retry-After", strconv.Itoa(wait))
	}
	s.render(w, r, code, "signin", &page{Title: st.p.T("web.signin"),
		Data: signinPage{Name: name, Next: next, Error: st.p.Error(err), Insecure: inClear(st.client)}})
}

// waitOf returns the seconds a refused sign-in must wait, or 0.
func waitOf(err error) int {
	if !errors.Is(err, store.ErrAuthWait) && !errors.Is(err, store.ErrAuthFailedWait) {
		return 0
	}
	if e := jiti.AsError(err); e != nil && len(e.Args) == 1 {
		if n, ok := e.Args[0].(int); ok {
			return n
		}
	}
	return 0
}

// safeNext keeps a return address on this site: a path, never another host
// ("//evil.example", "https://…", or "/\t/evil.example", which browsers
// read as "//evil.example" once they drop the tab).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request, st *state) {
	if err := s.DB.RevokeSession(r.Context(), st.token); err != nil && !errors.Is(err, jiti.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, cookie(r, sessionCookie, "", "/", -1))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// passwordPage is the change-password form: errors by field, and whether it
// just succeeded.
type passwordPage struct {
	Errors map[string]string
	Done   bool
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, st *state) {
	s.render(w, r, http.StatusOK, "password", &page{Title: st.p.T("web.password"), Data: passwordPage{}})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, st *state) {
	pg := passwordPage{Errors: map[string]string{}}
	code := http.StatusOK
	old, pw, again := r.PostFormValue("old_password"), r.PostFormValue("new_password"), r.PostFormValue("password_again")
	var err error
	if pw != again {
		err = errPasswordsDiffer.At("password_again")
	} else if err = s.DB.ChangePassword(r.Context(), st.view.User().ID, old, pw, st.client.addr); err == nil {
		// Whoever knew the old password is signed out everywhere else.
		_, err = s.DB.RevokeOtherSessions(r.Context(), st.token)
	}
	switch {
	case err == nil:
		pg.Done = true
	case isUserError(err):
		code = statusOf(err)
		fieldErrors(st.p, err, pg.Errors)
	default:
		s.fail(w, r, err)
		return
	}
	s.render(w, r, code, "password", &page{Title: st.p.T("web.password"), Data: pg})
}

var errPasswordsDiffer = jiti.Errorf(jiti.Invalid, "web.passwords_differ")

// fieldErrors files each error of err under the field it names, so a form
// shows it beside that field; an error naming no field goes under "".
func fieldErrors(p *locale.Printer, err error, into map[string]string) {
	var list interface{ Unwrap() []error }
	if errors.As(err, &list) {
		for _, e := range list.Unwrap() {
			fieldErrors(p, e, into)
		}
		return
	}
	field := ""
	var e *jiti.Error
	if errors.As(err, &e) {
		field = e.Field
	}
	msg := p.Error(err)
	if prev := into[field]; prev != "" {
		msg = prev + "\n" + msg
	}
	into[field] = msg
}

// setLang switches the language by cookie and goes back where the user was.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	l := locale.ParseLang(r.PathValue("lang"))
	http.SetCookie(w, cookie(r, langCookie, string(l), "/", 365*24*3600))
	next := "/"
	if ref := r.Referer(); ref != "" {
		if i := strings.Index(ref, "://"); i >= 0 {
			if j := strings.Index(ref[i+3:], "/"); j >= 0 {
				next = safeNext(ref[i+3+j:])
			}
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

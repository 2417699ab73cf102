package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"

	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/store"
)

// Cookie names.
const (
	sessionCookie = "jiti_session"
	langCookie    = "jiti_lang"
)

// state is what the middleware learns of a request: its language, its
// sender and, when signed in, the user's view of the store.
type state struct {
	p      *locale.Printer
	client client
	view   *store.View // nil when not signed in
	token  string
}

type stateKey struct{}

func stateOf(r *http.Request) *state {
	if st, ok := r.Context().Value(stateKey{}).(*state); ok {
		return st
	}
	return &state{p: locale.New(locale.ZH)}
}

// langOf picks the language: the switch's cookie, else the browser's
// Accept-Language, else Chinese.
func langOf(r *http.Request) locale.Lang {
	if c, err := r.Cookie(langCookie); err == nil && c.Value != "" {
		return locale.ParseLang(c.Value)
	}
	if h := r.Header.Get("Accept-Language"); h != "" {
		return locale.ParseLang(h)
	}
	return locale.ZH
}

// session reads the language and the session cookie. A missing, expired or
// revoked session is no error here: the request goes on signed out, and
// signedIn sends it to the sign-in page if the page needs a user.
func (s *Server) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &state{p: locale.New(langOf(r)), client: s.clientOf(r)}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && !isPublic(r) {
			v, err := s.DB.SessionView(r.Context(), c.Value)
			switch {
			case err == nil:
				st.view, st.token = v, c.Value
			case !isUserError(err):
				s.Log.Error("session", "err", err)
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
	})
}

// signedIn guards a page that needs a user: anyone else is sent to the
// sign-in page, which brings them back afterwards.
func (s *Server) signedIn(h func(w http.ResponseWriter, r *http.Request, st *state)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := stateOf(r)
		if st.view == nil {
			if r.Method != http.MethodGet {
				s.fail(w, r, errSignedOut)
				return
			}
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(w, r, st)
	}
}

// securityHeaders sets the headers every response carries: no framing, no
// sniffing, and a content policy that runs only the application's own
// scripts and styles; and, to a request that came over HTTPS, HSTS, so
// the browser never asks over plain HTTP again.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if s.clientOf(r).https {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// cookie returns a cookie of the application for r: HttpOnly, SameSite=Lax,
// and Secure when the request came over HTTPS. maxAge < 0 deletes it.
func cookie(r *http.Request, name, value, path string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: stateOf(r).client.https}
}

// recover turns a panic into a 500 and a log entry with the stack, so one
// bad request never takes the server down.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	setRetryAfter(w.Header(), code)
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// measure counts and times each request by its route pattern (never by
// its path, which would make a series per voucher) and logs it.
func (s *Server) measure(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		_, pattern := mux.Handler(r)
		if pattern == "" {
			pattern = "unmatched"
		}
		d := time.Since(start)
		s.metrics.observe(pattern, sw.status, d)
		if s.Log.Enabled(r.Context(), slog.LevelDebug) {
			s.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "bytes", sw.size,
				"ms", d.Milliseconds(), "client", s.clientOf(r).addr)
		}
	})
}

var errSignedOut = errors.New("signed out")

package web

import (
	"errors"
	"net/http"

	"example.org/jiti"
	"example.org/jiti/internal/store"
)

// statusOf maps an error to its HTTP status, in this one place: the kind
// of a jiti.Error says what went wrong, and anything else is the server's
// fault.
func statusOf(err error) int {
	if errors.Is(err, errSignedOut) || errors.Is(err, store.ErrNoActor) {
		return http.StatusUnauthorized
	}
	var e *jiti.Error
	if !errors.As(err, &e) {
		return http.StatusInternalServerError
	}
	switch e.Kind {
	case jiti.Invalid:
		return http.StatusUnprocessableEntity
	case jiti.NotFound:
		return http.StatusNotFound
	case jiti.Conflict:
		return http.StatusConflict
	case jiti.Forbidden:
		return http.StatusForbidden
	case jiti.DiskFull:
		// The server's disk, not the request: 507 says the same request
		// may succeed once there is room, and nothing of it was kept.
		return http.StatusInsufficientStorage
	case jiti.Unavailable:
		// The database is busy (an import holds its write lock): the
		// message names the import, and Retry-After says when to try again.
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// retryAfter is the Retry-After of every 503, in seconds: an import leaves
// the write lock free between its batches, so a write tried again shortly
// gets it.
const retryAfter = "3"

// setRetryAfter gives a 503 answer its Retry-After, unless it has one.
func setRetryAfter(h http.Header, code int) {
	if code == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
		h.Set("Retry-After", retryAfter)
	}
}

// isUserError reports whether err is one the user caused (and is told of),
// as opposed to a failure of the server (which is logged; a full disk is
// the server's, and its message is shown too).
func isUserError(err error) bool {
	s := statusOf(err)
	return s >= 400 && s < 500
}

// fail answers a request with an error page. A server failure is logged
// with its detail and shown as the generic message, so no SQL or path ever
// reaches the screen (a full disk's message names the database's file,
// not where it is). Not found and out of scope look the same.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := statusOf(err)
	if code >= 500 {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", code, "err", err)
	}
	st := stateOf(r)
	msg := st.p.Error(err)
	switch code {
	case http.StatusNotFound:
		msg = st.p.T("web.not_found")
	case http.StatusUnauthorized:
		msg = st.p.T("web.signed_out")
	}
	s.render(w, r, code, "error", &page{Title: st.p.T(errorTitle(code)), Data: errorPage{Code: code, Message: msg}})
}

// errorTitle is the catalog key of an error page's title: 403 and 404 are
// told apart in the window's title, which a screen reader reads first.
func errorTitle(code int) string {
	switch code {
	case http.StatusForbidden:
		return "web.title_forbidden"
	case http.StatusNotFound:
		return "web.title_not_found"
	}
	return "web.error"
}

// errNoRoute is the error of an address no route serves.
var errNoRoute = jiti.Errorf(jiti.NotFound, "web.not_found")

type errorPage struct {
	Code    int
	Message string
}

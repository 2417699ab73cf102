package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/store"
)

// The signed-in user's API tokens: their list (with expiry and last use),
// a new one, and their revocation. The store lets a user revoke only their
// own tokens (or, a county administrator, those of the users they
// administer); anyone else's reads as not found.
//
// A new token is shown once and never in an address: the POST that makes
// it answers with a redirect (POST-redirect-GET, so reloading makes no
// second token), carrying the token to the list in a cookie of the list's
// path that lives a few minutes; the list shows it and deletes the cookie,
// so reloading the list shows it no more.

func (s *Server) tokenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /tokens", s.signedIn(s.tokens))
	mux.HandleFunc("POST /tokens", s.signedIn(s.createToken))
	mux.HandleFunc("POST /tokens/{tid}/revoke", s.signedIn(s.revokeToken))
}

// newTokenCookie carries a token just made to the page that shows it.
const (
	newTokenCookie = "jiti_new_token"
	newTokenMaxAge = 300 // seconds
)

type tokensPage struct {
	Tokens  []tokenRow
	Name    string            // the name typed, kept when it is refused
	Expires string            // the lifetime typed, in days
	MaxDays int               // the longest lifetime, in days
	Errors  map[string]string // by field; "" for the form's
	New     string            // the token just made: shown this once
	NewName string
	Message string
	newID   string // the id of New, as its cookie names it
}

type tokenRow struct {
	ID                                      int64
	Name, Created, Expires, LastUsed, State string
	Live                                    bool
}

const tokenTime = "2006-01-02 15:04"

// tokens lists the user's tokens, revoked and expired ones included, and
// shows the token just made, once.
func (s *Server) tokens(w http.ResponseWriter, r *http.Request, st *state) {
	pg := &tokensPage{Errors: map[string]string{}}
	pg.Message = doneMessage(r, st)
	if c, err := r.Cookie(newTokenCookie); err == nil {
		http.SetCookie(w, cookie(r, newTokenCookie, "", "/tokens", -1))
		if id, tok, ok := strings.Cut(c.Value, "."); ok {
			pg.New, pg.newID = tok, id
		}
	}
	s.renderTokens(w, r, st, pg, http.StatusOK)
}

// createToken makes a token and goes to the list, which shows it: the
// store keeps only its hash, so that is the one time it is seen. A refused
// name or lifetime is shown on the form with what was typed.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, st *state) {
	pg := &tokensPage{Errors: map[string]string{}, Name: r.PostFormValue("name"), Expires: r.PostFormValue("expires")}
	ttl, err := store.ParseTokenTTL(pg.Expires)
	if err != nil {
		err = atField(err, "expires")
	}
	var (
		tok string
		id  int64
	)
	if err == nil {
		tok, id, err = s.DB.CreateAPIToken(r.Context(), st.view.User().ID, pg.Name, ttl)
	}
	switch {
	case err == nil:
		http.SetCookie(w, cookie(r, newTokenCookie, strconv.FormatInt(id, 10)+"."+tok, "/tokens", newTokenMaxAge))
		http.Redirect(w, r, "/tokens", http.StatusSeeOther)
	case isUserError(err):
		fieldErrors(st.p, err, pg.Errors)
		s.renderTokens(w, r, st, pg, statusOf(err))
	default:
		s.fail(w, r, err)
	}
}

// revokeToken revokes one of the user's tokens, and goes back to the list.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, st *state) {
	id, err := strconv.ParseInt(r.PathValue("tid"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("api_token", r.PathValue("tid")))
		return
	}
	if err := s.DB.RevokeAPIToken(r.Context(), st.view.User().ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tokens?done=token_revoke", http.StatusSeeOther)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, st *state, pg *tokensPage, code int) {
	ts, err := s.DB.APITokens(r.Context(), st.view.User().ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.Now()
	pg.Tokens = tokenRows(st, ts, now)
	pg.MaxDays = int(s.DB.LongestTokenTTL() / (24 * time.Hour))
	if pg.New != "" {
		// The cookie names the token by its id: shown only when that is a
		// live token of this user.
		pg.New, pg.NewName = newTokenName(ts, pg.newID, pg.New, now)
	}
	// A page with a token on it is kept by no cache, nor offered again
	// from the history.
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, code, "tokens", &page{Title: st.p.T("cli.title.tokens"), Data: pg})
}

// newTokenName returns the token and its name when id is one of ts and
// live, else nothing.
func newTokenName(ts []store.APIToken, id, tok string, now time.Time) (string, string) {
	for _, t := range ts {
		if strconv.FormatInt(t.ID, 10) == id && t.Live(now) {
			return tok, t.Name
		}
	}
	return "", ""
}

func tokenRows(st *state, ts []store.APIToken, now time.Time) []tokenRow {
	out := make([]tokenRow, 0, len(ts))
	for i := len(ts) - 1; i >= 0; i-- { // the newest first
		t := ts[i]
		key, at := t.State(now)
		row := tokenRow{ID: t.ID, Name: t.Name, Created: t.CreatedAt.Local().Format(tokenTime),
			Expires: t.ExpiresAt.Local().Format(tokenTime), State: st.p.T(key, at.Local().Format(tokenTime)), Live: t.Live(now)}
		if !t.LastUsedAt.IsZero() {
			row.LastUsed = t.LastUsedAt.Local().Format(tokenTime)
			if t.LastUsedAddr != "" {
				row.LastUsed += " · " + t.LastUsedAddr
			}
		}
		out = append(out, row)
	}
	return out
}

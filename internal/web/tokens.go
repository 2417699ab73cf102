package web

import (
	"net/http"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/store"
)

// The signed-in user's API tokens: their list, a new one (shown once, on
// the page that answers its creation, never in an address), and their
// revocation. The store lets a user revoke only their own tokens (or, a
// county administrator, those of the users they administer); anyone
// else's reads as not found.

func (s *Server) tokenRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /tokens", s.signedIn(s.tokens))
	mux.HandleFunc("POST /tokens", s.signedIn(s.createToken))
	mux.HandleFunc("POST /tokens/{tid}/revoke", s.signedIn(s.revokeToken))
}

type tokensPage struct {
	Tokens  []tokenRow
	Name    string            // the name typed, kept when it is refused
	Errors  map[string]string // by field; "" for the form's
	New     string            // the token just made: shown this once
	NewName string
	Message string
}

type tokenRow struct {
	ID                             int64
	Name, Created, LastUsed, State string
	Revoked                        bool
}

const tokenTime = "2006-01-02 15:04"

// tokens lists the user's tokens, revoked ones included.
func (s *Server) tokens(w http.ResponseWriter, r *http.Request, st *state) {
	pg := &tokensPage{Errors: map[string]string{}}
	pg.Message = doneMessage(r, st)
	s.renderTokens(w, r, st, pg, http.StatusOK)
}

// createToken makes a token and shows it on the page it answers with: the
// store keeps only its hash, so this is the one time it is seen.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, st *state) {
	pg := &tokensPage{Errors: map[string]string{}, Name: r.PostFormValue("name")}
	tok, err := s.DB.CreateAPIToken(r.Context(), st.view.User().ID, pg.Name)
	code := http.StatusOK
	switch {
	case err == nil:
		pg.New, pg.NewName, pg.Name = tok, pg.Name, ""
	case statusOf(err) == http.StatusUnprocessableEntity || statusOf(err) == http.StatusConflict:
		code = statusOf(err)
		fieldErrors(st.p, err, pg.Errors)
	default:
		s.fail(w, r, err)
		return
	}
	s.renderTokens(w, r, st, pg, code)
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
	pg.Tokens = tokenRows(st, ts)
	// A page with a token on it is kept by no cache, nor offered again
	// from the history.
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, code, "tokens", &page{Title: st.p.T("cli.title.tokens"), Data: pg})
}

func tokenRows(st *state, ts []store.APIToken) []tokenRow {
	out := make([]tokenRow, 0, len(ts))
	for i := len(ts) - 1; i >= 0; i-- { // the newest first
		t := ts[i]
		row := tokenRow{ID: t.ID, Name: t.Name, Created: t.CreatedAt.Local().Format(tokenTime), State: st.p.T("web.active")}
		if !t.LastUsedAt.IsZero() {
			row.LastUsed = t.LastUsedAt.Local().Format(tokenTime)
		}
		if t.Revoked() {
			row.Revoked, row.State = true, st.p.T("cli.token_revoked_at", t.RevokedAt.Local().Format(tokenTime))
		}
		out = append(out, row)
	}
	return out
}

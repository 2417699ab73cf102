// Package web serves jiti in the browser: sign-in, pages for the figures,
// the books and the registers, and the JSON API, all over the store's
// methods. No business rule lives here: a handler parses the request, calls
// the store through the signed-in user's View (so scope is always the
// store's to enforce), and renders what comes back.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"example.org/jiti/internal/store"
)

// Server is the web application over one store.
type Server struct {
	DB  *store.DB
	Log *slog.Logger
	// Now is the clock, injected so tests control session expiry and the
	// default year of the figures.
	Now func() time.Time
	// TrustedProxies are the TLS-terminating proxies in front of the
	// server: from them, and only from them, X-Forwarded-For names the
	// client and X-Forwarded-Proto says whether it came over HTTPS
	// (client.go). Cookies are Secure and HSTS is sent when it did.
	TrustedProxies []netip.Prefix
	// MetricsToken, when set, is the bearer token /metrics answers on the
	// main address; without one /metrics is not found there, and only
	// MetricsHandler serves it (on an address of its own).
	MetricsToken string
	// untrustedOnce logs the first forwarded header from an address not
	// trusted.
	untrustedOnce sync.Once

	pages   *pages
	metrics *metrics
	static  *staticFiles
	jobs    *importJobs // the imports it runs (imports.go)
	public  publicCache // the public pages rendered (public.go)
}

// SessionTTL is how long a session lasts before signing in again.
const SessionTTL = store.SessionTTL

// New returns a Server ready to serve.
func New(db *store.DB, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{DB: db, Log: log, Now: time.Now, pages: p, metrics: newMetrics(), static: loadStatic(), jobs: newImportJobs()}
	return s, nil
}

// Handler returns the application's routes behind its middleware: panics
// recovered, requests measured and logged, security headers set,
// cross-origin writes refused (CSRF), and every query parameter and form
// field held to its length and the body to its size (limits.go).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	csrf := http.NewCrossOriginProtection()
	return s.recover(s.measure(mux, s.securityHeaders(csrf.Handler(s.session(s.limitInput(mux))))))
}

func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	mux.Handle("GET /static/", s.static)
	mux.HandleFunc("GET /lang/{lang}", s.setLang)

	mux.HandleFunc("GET /signin", s.signinForm)
	mux.HandleFunc("POST /signin", s.signin)
	mux.HandleFunc("POST /signout", s.signedIn(s.signout))
	mux.HandleFunc("GET /password", s.signedIn(s.passwordForm))
	mux.HandleFunc("POST /password", s.signedIn(s.changePassword))

	mux.HandleFunc("GET /admin/users", s.signedIn(s.users))
	mux.HandleFunc("GET /admin/users/new", s.signedIn(s.newUserForm))
	mux.HandleFunc("POST /admin/users/new", s.signedIn(s.createUser))
	mux.HandleFunc("GET /admin/users/{uid}", s.signedIn(s.user))
	mux.HandleFunc("POST /admin/users/{uid}/{act}", s.signedIn(s.userAct))
	mux.HandleFunc("GET /audit", s.signedIn(s.audit))

	mux.HandleFunc("GET /{$}", s.signedIn(s.home))
	mux.HandleFunc("GET /r/{code}", s.signedIn(s.dashboard))
	mux.HandleFunc("GET /r/{code}/line/{key}", s.signedIn(s.lineCollectives))
	mux.HandleFunc("GET /r/{code}/tier/{tier}", s.signedIn(s.tierCollectives))
	mux.HandleFunc("GET /r/{code}/weak", s.signedIn(s.weakCollectives))

	mux.HandleFunc("GET /c/{id}", s.signedIn(s.collective))
	mux.HandleFunc("GET /c/{id}/figure/{key}", s.signedIn(s.figureVouchers))
	mux.HandleFunc("GET /c/{id}/vouchers", s.signedIn(s.vouchers))
	mux.HandleFunc("GET /c/{id}/vouchers/new", s.signedIn(s.newVoucherForm))
	mux.HandleFunc("POST /c/{id}/vouchers/new", s.signedIn(s.saveVoucher))
	mux.HandleFunc("GET /c/{id}/vouchers/{vid}/edit", s.signedIn(s.editVoucherForm))
	mux.HandleFunc("POST /c/{id}/vouchers/{vid}/edit", s.signedIn(s.saveVoucher))
	mux.HandleFunc("POST /c/{id}/periods/{period}/{act}", s.signedIn(s.closePeriod))
	mux.HandleFunc("POST /c/{id}/vouchers/{vid}/documents", s.signedIn(s.uploadVoucherDocument))
	mux.HandleFunc("GET /c/{id}/documents/{did}", s.signedIn(s.document))
	mux.HandleFunc("POST /c/{id}/documents/{did}/delete", s.signedIn(s.deleteDocument))
	mux.HandleFunc("GET /c/{id}/vouchers/{vid}", s.signedIn(s.voucher))
	mux.HandleFunc("GET /c/{id}/vouchers/{vid}/print", s.signedIn(s.voucherPrint))
	mux.HandleFunc("POST /c/{id}/vouchers/{vid}/{act}", s.signedIn(s.voucherAct))
	mux.HandleFunc("GET /c/{id}/trial-balance", s.signedIn(s.trialBalance))
	s.statementRoutes(mux)
	s.registerRoutes(mux)
	s.decisionRoutes(mux)
	s.apiRoutes(mux)
	s.registerFormRoutes(mux)
	s.moreFormRoutes(mux)
	s.importRoutes(mux)
	s.memberRoutes(mux)
	s.publicRoutes(mux)
	s.disclosureRoutes(mux)
	s.shareRoutes(mux)
	// Any other address is the application's own 404 page, in the
	// reader's language with its title, not the mux's bare text.
	mux.HandleFunc("/", s.noRoute)
}

// noRoute answers an address no route serves.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, errNoRoute)
}

// healthz answers whether the server and its database are up, and names
// each durability setting it runs with although weaker than jiti's
// guarantee (jiti serve -unsafe-durability), for the monitoring to see.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.DB.SchemaVersion(ctx); err != nil {
		s.Log.Error("healthz", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
	for _, ws := range s.DB.Durability() {
		fmt.Fprintf(w, "unsafe durability: %s = %s (acceptable: %s)\n", ws.Name, ws.Value, ws.Want)
	}
}

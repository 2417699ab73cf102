package cli

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/web"
)

func init() {
	addCommands(command{"serve", "cmd.serve", runServe})
}

// serveOpts are the web server's settings, by flag or JITI_* variable.
type serveOpts struct {
	addr, cert, key string
	// trustedProxy lists the TLS-terminating proxies whose forwarded
	// headers are believed (web.Server.TrustedProxies).
	trustedProxy string
	// metricsToken opens /metrics to its bearer; metricsAddr serves
	// /metrics on an address of its own.
	metricsToken, metricsAddr string
	// tokenMaxAge is the longest lifetime of an API token ("365d").
	tokenMaxAge string
	// unsafeDurability runs on a database whose settings let an
	// acknowledged write be lost to a power cut (e.openStore).
	unsafeDurability bool
}

func (e *env) serveFlags(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}, so *serveOpts, defAddr string) {
	fs.StringVar(&so.addr, "addr", e.env("JITI_ADDR", defAddr), e.p.T("flag.addr"))
	fs.StringVar(&so.cert, "tls-cert", e.getenv("JITI_TLS_CERT"), e.p.T("flag.tls_cert"))
	fs.StringVar(&so.key, "tls-key", e.getenv("JITI_TLS_KEY"), e.p.T("flag.tls_key"))
	fs.StringVar(&so.trustedProxy, "trusted-proxy", e.getenv("JITI_TRUSTED_PROXY"), e.p.T("flag.trusted_proxy"))
	fs.StringVar(&so.metricsToken, "metrics-token", e.getenv("JITI_METRICS_TOKEN"), e.p.T("flag.metrics_token"))
	fs.StringVar(&so.metricsAddr, "metrics-addr", e.getenv("JITI_METRICS_ADDR"), e.p.T("flag.metrics_addr"))
	fs.StringVar(&so.tokenMaxAge, "token-max-age", e.getenv("JITI_TOKEN_MAX_AGE"), e.p.T("flag.token_max_age"))
	fs.BoolVar(&so.unsafeDurability, "unsafe-durability", e.unsafeDurability(), e.p.T("flag.unsafe_durability"))
}

// runServe serves the web application until interrupted.
func runServe(e *env, args []string) error {
	var o opts
	var so serveOpts
	fs := e.flags("serve", &o)
	e.serveFlags(fs, &so, ":8080")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	key, err := e.key(o.db, false)
	if err != nil {
		return err
	}
	db, err := e.openStore(o.db, store.Options{Key: key}, so.unsafeDurability)
	if err != nil {
		return err
	}
	defer db.Close()
	return e.serve(db, so)
}

// Errors of serve's settings.
var (
	errTLSPair      = jiti.Errorf(jiti.Invalid, "cli.tls_pair")      // a certificate without its key or the reverse
	errListen       = jiti.Errorf(jiti.Invalid, "cli.listen")        // the address is taken or malformed
	errTrustedProxy = jiti.Errorf(jiti.Invalid, "cli.trusted_proxy") // not an address or a network
)

// serve runs the web server on db until the command's context ends, then
// lets requests in flight finish. With -metrics-addr a second server
// answers /metrics there, and stops with the first.
func (e *env) serve(db *store.DB, so serveOpts) error {
	if (so.cert == "") != (so.key == "") {
		return errTLSPair.At("tls-cert")
	}
	proxies, bad := web.ParseTrustedProxies(so.trustedProxy)
	if bad != "" {
		return errTrustedProxy.With(bad).At("trusted-proxy")
	}
	if err := e.setTokenMaxAge(db, so.tokenMaxAge); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	app, err := web.New(db, log)
	if err != nil {
		return err
	}
	// Imports a stopped process left half done are removed; the server's
	// own stop at the end, removing what they wrote.
	if _, err := db.RecoverImports(e.ctx); err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		app.Close(ctx)
	}()
	app.TrustedProxies, app.MetricsToken = proxies, so.metricsToken
	servers := []*server{{addr: so.addr, handler: app.Handler(), cert: so.cert, key: so.key}}
	if so.metricsAddr != "" {
		servers = append(servers, &server{addr: so.metricsAddr, handler: app.MetricsHandler(), flag: "metrics-addr", metrics: true})
	}
	done := make(chan error, len(servers))
	for _, sv := range servers {
		if err := sv.listen(log); err != nil {
			for _, other := range servers {
				other.close()
			}
			return err
		}
	}
	for _, sv := range servers {
		scheme := "http"
		if sv.cert != "" {
			scheme = "https"
		}
		key := "cli.serving"
		if sv.metrics {
			key = "cli.serving_metrics"
		}
		e.say(key, scheme+"://"+displayAddr(sv.ln.Addr()))
		go func() { done <- sv.serve() }()
	}
	select {
	case err := <-done:
		for _, sv := range servers {
			sv.close()
		}
		return err
	case <-e.ctx.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, sv := range servers {
		if err := sv.srv.Shutdown(ctx); err != nil {
			return err
		}
	}
	for range servers {
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	e.say("cli.stopped")
	return nil
}

// server is one listener of serve and its HTTP server.
type server struct {
	addr    string
	handler http.Handler
	cert    string
	key     string
	flag    string // the flag that gave addr, named by an error
	metrics bool
	ln      net.Listener
	srv     *http.Server
}

func (sv *server) listen(log *slog.Logger) error {
	ln, err := net.Listen("tcp", sv.addr)
	if err != nil {
		flag := sv.flag
		if flag == "" {
			flag = "addr"
		}
		return errListen.With(sv.addr).Wrap(err).At(flag)
	}
	sv.ln = ln
	sv.srv = &http.Server{Handler: sv.handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	return nil
}

func (sv *server) serve() error {
	if sv.cert != "" {
		return sv.srv.ServeTLS(sv.ln, sv.cert, sv.key)
	}
	return sv.srv.Serve(sv.ln)
}

// close stops a server that is not to be shut down gently, serving or
// not yet.
func (sv *server) close() {
	if sv.srv != nil {
		sv.srv.Close()
	}
	if sv.ln != nil {
		sv.ln.Close()
	}
}

// setTokenMaxAge sets the longest lifetime of API tokens from the
// -token-max-age setting ("365d"; "" keeps the default).
func (e *env) setTokenMaxAge(db *store.DB, s string) error {
	d, err := store.ParseTokenTTL(s)
	if err != nil {
		return jiti.AsError(err).At("token-max-age")
	}
	db.TokenMaxTTL = d
	return nil
}

// displayAddr writes a listening address as a browser would open it: an
// unspecified host is localhost.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

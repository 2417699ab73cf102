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
}

func (e *env) serveFlags(fs interface {
	StringVar(*string, string, string, string)
}, so *serveOpts, defAddr string) {
	fs.StringVar(&so.addr, "addr", e.env("JITI_ADDR", defAddr), e.p.T("flag.addr"))
	fs.StringVar(&so.cert, "tls-cert", e.getenv("JITI_TLS_CERT"), e.p.T("flag.tls_cert"))
	fs.StringVar(&so.key, "tls-key", e.getenv("JITI_TLS_KEY"), e.p.T("flag.tls_key"))
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
	db, err := store.Open(e.ctx, o.db, store.Options{Key: key})
	if err != nil {
		return err
	}
	defer db.Close()
	return e.serve(db, so)
}

// Errors of serve's settings.
var (
	errTLSPair = jiti.Errorf(jiti.Invalid, "cli.tls_pair") // a certificate without its key or the reverse
	errListen  = jiti.Errorf(jiti.Invalid, "cli.listen")   // the address is taken or malformed
)

// serve runs the web server on db until the command's context ends, then
// lets requests in flight finish.
func (e *env) serve(db *store.DB, so serveOpts) error {
	if (so.cert == "") != (so.key == "") {
		return errTLSPair.At("tls-cert")
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	app, err := web.New(db, log)
	if err != nil {
		return err
	}
	app.Secure = so.cert != ""
	ln, err := net.Listen("tcp", so.addr)
	if err != nil {
		return errListen.With(so.addr).Wrap(err).At("addr")
	}
	srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	scheme := "http"
	if app.Secure {
		scheme = "https"
	}
	e.say("cli.serving", scheme+"://"+displayAddr(ln.Addr()))
	done := make(chan error, 1)
	go func() {
		if app.Secure {
			done <- srv.ServeTLS(ln, so.cert, so.key)
		} else {
			done <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-done:
		return err
	case <-e.ctx.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	e.say("cli.stopped")
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

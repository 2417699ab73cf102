package cli_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"example.org/jiti/internal/cli"
)

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestCLI_ServeSettings: serve refuses a trusted proxy that is not an
// address or a network and a longest token lifetime that is not days; with
// -metrics-token and -metrics-addr, /metrics answers the token on the main
// address and on its own, and nothing else.
func TestCLI_ServeSettings(t *testing.T) {
	r := newRunner(t)
	r.must("migrate")
	if code, _, errs := r.run("serve", "-addr", freeAddr(t), "-trusted-proxy", "10.0.0.0/8,proxy.example"); code != 3 ||
		!strings.Contains(errs, "trusted proxy") || !strings.Contains(errs, "proxy.example") {
		t.Fatalf("a host name as trusted proxy: exit %d, %s", code, errs)
	}
	if code, _, errs := r.run("serve", "-addr", freeAddr(t), "-token-max-age", "a year"); code != 3 || !strings.Contains(errs, "longest token lifetime") {
		t.Fatalf("-token-max-age 'a year': exit %d, %s", code, errs)
	}

	main, metrics := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer
	done := make(chan int)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "-addr", main, "-metrics-addr", metrics, "-metrics-token", "m-77"},
			strings.NewReader(""), &out, &errb, func(k string) string { return r.env[k] })
	}()
	get := func(u, token string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", u, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for deadline := time.Now().Add(10 * time.Second); get("http://"+main+"/healthz", "") != http.StatusOK || get("http://"+metrics+"/metrics", "m-77") == 0; {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("serve does not answer: %s %s", out.String(), errb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, c := range []struct {
		url, token string
		want       int
	}{
		{"http://" + main + "/metrics", "", 404},
		{"http://" + main + "/metrics", "m-7", 404},
		{"http://" + main + "/metrics", "m-77", 200},
		{"http://" + metrics + "/metrics", "", 404},
		{"http://" + metrics + "/metrics", "m-77", 200},
		{"http://" + metrics + "/healthz", "m-77", 404},
	} {
		if got := get(c.url, c.token); got != c.want {
			t.Errorf("GET %s with %q: %d, want %d", c.url, c.token, got, c.want)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, errb.String())
	}
	if !strings.Contains(out.String(), "metrics at http://"+metrics+"/metrics") {
		t.Errorf("serve does not say where the metrics are: %s", out.String())
	}
}

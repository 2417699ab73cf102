package cli_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"example.org/jiti/internal/cli"
	"example.org/jiti/internal/store/storetest"
)

// TestCLI_UnsafeDurability: on a PostgreSQL session whose commits do not
// wait for the disk (synchronous_commit=off), every command refuses to run,
// naming the setting and the way out; with JITI_UNSAFE_DURABILITY=1 (or
// serve's -unsafe-durability) it runs, warning on every start, and the
// server's /healthz says so.
func TestCLI_UnsafeDurability(t *testing.T) {
	u, err := url.Parse(storetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	r := newRunner(t)
	r.env["JITI_DB"] = u.String()

	code, _, errs := r.run("verify")
	if code != 3 || !strings.Contains(errs, "synchronous_commit") || !strings.Contains(errs, "-unsafe-durability") {
		t.Fatalf("verify on synchronous_commit=off: exit %d, want 3 naming the setting and -unsafe-durability:\n%s", code, errs)
	}
	if code, _, errs := r.run("serve", "-addr", freeAddr(t)); code != 3 || !strings.Contains(errs, "synchronous_commit") {
		t.Fatalf("serve on synchronous_commit=off: exit %d, want 3:\n%s", code, errs)
	}

	r.env["JITI_UNSAFE_DURABILITY"] = "1"
	code, _, errs = r.run("verify")
	if code != 0 || !strings.Contains(errs, "WARNING") || !strings.Contains(errs, "synchronous_commit") {
		t.Fatalf("verify with JITI_UNSAFE_DURABILITY=1: exit %d, want 0 with a warning naming the setting:\n%s", code, errs)
	}
	delete(r.env, "JITI_UNSAFE_DURABILITY")

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer
	done := make(chan int)
	go func() {
		done <- cli.Run(ctx, []string{"serve", "-addr", addr, "-unsafe-durability"},
			strings.NewReader(""), &out, &errb, func(k string) string { return r.env[k] })
	}()
	var health string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			health = string(b)
			break
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("serve -unsafe-durability does not answer: %s %s", out.String(), errb.String())
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve -unsafe-durability: exit %d\n%s", code, errb.String())
	}
	if !strings.HasPrefix(health, "ok\n") || !strings.Contains(health, "unsafe durability") || !strings.Contains(health, "synchronous_commit") {
		t.Errorf("/healthz does not name the unsafe setting:\n%s", health)
	}
	if !strings.Contains(errb.String(), "WARNING") {
		t.Errorf("serve -unsafe-durability does not warn at start:\n%s", errb.String())
	}
}

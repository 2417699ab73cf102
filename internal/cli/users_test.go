package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"example.org/jiti/internal/cli"
	"example.org/jiti/internal/store"
)

// runIn runs jiti with stdin, as `echo … | jiti …` does.
func (r *runner) runIn(stdin string, args ...string) (int, string, string) {
	r.t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return r.env[k] })
	return code, out.String(), errb.String()
}

func (r *runner) mustIn(stdin string, args ...string) string {
	r.t.Helper()
	code, out, errs := r.runIn(stdin, args...)
	if code != 0 {
		r.t.Fatalf("jiti %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// openDB opens the runner's database behind the command line, to check
// what a command did as the web would see it.
func (r *runner) openDB() *store.DB {
	r.t.Helper()
	db, err := store.Open(context.Background(), r.env["JITI_DB"], store.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { db.Close() })
	return db
}

func TestCLI_UserPasswords(t *testing.T) {
	r := newRunner(t)
	r.setup()
	db := r.openDB()
	ctx := context.Background()

	// An administrator sets a password from a pipe.
	out := r.mustIn("Secret-2025\n", "user", "passwd", "-name", "kj", "-as", "admin")
	if !strings.Contains(out, "password of user kj set") {
		t.Fatalf("passwd: %s", out)
	}
	if _, err := db.Authenticate(ctx, "kj", "Secret-2025", ""); err != nil {
		t.Fatalf("sign in with the password set: %v", err)
	}
	// Without -as a user sets their own; a Windows line ending is not
	// part of the password.
	r.mustIn("Own-password-1\r\n", "user", "passwd", "-name", "sh")
	if _, err := db.Authenticate(ctx, "sh", "Own-password-1", ""); err != nil {
		t.Fatalf("own password: %v", err)
	}
	// The policy, an empty stdin, someone else's password, an unknown user.
	if code, _, errs := r.runIn("short\n", "user", "passwd", "-name", "kj", "-as", "admin"); code != 3 || !strings.Contains(errs, "password: must have at least 8 characters") {
		t.Fatalf("short password: exit %d, %s", code, errs)
	}
	if code, _, errs := r.runIn("", "user", "passwd", "-name", "kj", "-as", "admin"); code != 3 || !strings.Contains(errs, "password: this field is required") {
		t.Fatalf("no password: exit %d, %s", code, errs)
	}
	if code, _, errs := r.runIn("Secret-2025\n", "user", "passwd", "-name", "sh", "-as", "kj"); code != 6 {
		t.Fatalf("accountant sets the supervisor's password: exit %d, %s", code, errs)
	}
	if code, _, errs := r.runIn("Secret-2025\n", "user", "passwd", "-name", "nobody", "-as", "admin"); code != 4 || !strings.Contains(errs, "name:") {
		t.Fatalf("unknown user: exit %d, %s", code, errs)
	}

	// user add -password-stdin: the user and the password, or neither.
	r.mustIn("Village-2025\n", "user", "add", "-name", "cun", "-role", "village_accountant", "-collectives", "620422100201",
		"-password-stdin", "-as", "admin")
	if u, err := db.Authenticate(ctx, "cun", "Village-2025", ""); err != nil || len(u.ScopeCollectives) != 1 {
		t.Fatalf("added user signs in: %+v, %v", u, err)
	}
	if code, _, errs := r.runIn("12345678\n", "user", "add", "-name", "cun2", "-role", "auditor", "-scope", "620422",
		"-password-stdin", "-as", "admin"); code != 3 || !strings.Contains(errs, "digits only") {
		t.Fatalf("add with a bad password: exit %d, %s", code, errs)
	}
	if _, err := db.FindUserByName(ctx, "cun2"); err == nil {
		t.Fatal("a user was added although the password was refused")
	}
	// The first user of a new database sets its own password.
	r2 := newRunner(t)
	r2.must("migrate")
	r2.mustIn("First-admin-1\n", "user", "add", "-name", "root", "-role", "county_admin", "-password-stdin")
	if _, err := r2.openDB().Authenticate(ctx, "root", "First-admin-1", ""); err != nil {
		t.Fatalf("first administrator: %v", err)
	}
}

func TestCLI_UserDisableAndSessions(t *testing.T) {
	r := newRunner(t)
	r.setup()
	db := r.openDB()
	ctx := context.Background()
	kj, err := db.FindUserByName(ctx, "kj")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateSession(ctx, kj.ID, 0, "Mozilla/5.0 test", "192.0.2.44"); err != nil {
		t.Fatal(err)
	}
	out := r.must("user", "sessions", "-name", "kj")
	if !strings.Contains(out, "192.0.2.44") || !strings.Contains(out, "Mozilla/5.0 test") {
		t.Fatalf("sessions: %s", out)
	}
	var ss []store.Session
	if err := json.Unmarshal([]byte(r.must("user", "sessions", "-name", "kj", "-format", "json")), &ss); err != nil || len(ss) != 1 {
		t.Fatalf("sessions json: %+v, %v", ss, err)
	}
	if code, _, _ := r.run("user", "sessions", "-name", "kj", "-revoke", "-as", "sh"); code != 6 {
		t.Fatalf("supervisor ends the accountant's sessions: exit %d", code)
	}
	if out := r.must("user", "sessions", "-name", "kj", "-revoke", "-as", "admin"); !strings.Contains(out, "1 sessions of user kj ended") {
		t.Fatalf("revoke: %s", out)
	}
	if out := r.must("user", "sessions", "-name", "kj", "-format", "json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("sessions after revoking: %s", out)
	}

	// Disabling: the user cannot act, is listed as disabled, and comes
	// back when enabled.
	if code, _, errs := r.run("user", "disable", "-name", "kj", "-as", "sh"); code != 6 {
		t.Fatalf("supervisor disables: exit %d, %s", code, errs)
	}
	if code, _, errs := r.run("user", "disable", "-name", "admin", "-as", "admin"); code != 5 || !strings.Contains(errs, "cannot disable your own") {
		t.Fatalf("self-disable: exit %d, %s", code, errs)
	}
	if out := r.must("user", "disable", "-name", "kj", "-as", "admin"); !strings.Contains(out, "user kj disabled") {
		t.Fatalf("disable: %s", out)
	}
	if out := r.must("user", "list"); !strings.Contains(out, "disabled") {
		t.Fatalf("user list does not show the disabled user: %s", out)
	}
	if code, _, errs := r.run("account", "add", "-c", "620422100201", "-code", "50102", "-name", "服务收入", "-as", "kj"); code != 6 || !strings.Contains(errs, "disabled") {
		t.Fatalf("disabled user acts: exit %d, %s", code, errs)
	}
	r.must("user", "enable", "-name", "kj", "-as", "admin")
	r.must("account", "add", "-c", "620422100201", "-code", "50102", "-name", "服务收入", "-as", "kj")
	if out := r.must("user", "list"); strings.Contains(out, "disabled") {
		t.Fatalf("user list after enabling: %s", out)
	}
}

func TestCLI_UserTokens(t *testing.T) {
	r := newRunner(t)
	r.setup()
	db := r.openDB()
	ctx := context.Background()

	code, tok, errs := r.run("user", "token", "add", "-name", "对账脚本", "-as", "kj")
	if code != 0 || !strings.Contains(errs, "shown this once") {
		t.Fatalf("token add: exit %d, %s", code, errs)
	}
	tok = strings.TrimSpace(tok)
	if len(tok) != 43 || strings.ContainsAny(tok, " \n") {
		t.Fatalf("stdout holds %q, want the token alone", tok)
	}
	u, err := db.APITokenUser(ctx, tok, "192.0.2.44")
	if err != nil || u.Name != "kj" {
		t.Fatalf("token user %+v, %v", u, err)
	}
	// The list shows the expiry (90 days by default) and the last use
	// with its address.
	in90 := time.Now().UTC().Add(90 * 24 * time.Hour).Format("2006-01-02")
	if out := r.must("user", "token", "list", "-as", "kj"); !strings.Contains(out, "对账脚本") || strings.Contains(out, tok) ||
		!strings.Contains(out, "Expires") || !strings.Contains(out, in90) || !strings.Contains(out, "192.0.2.44") {
		t.Fatalf("token list: %s", out)
	}
	// -expires sets the lifetime, within the deployment's longest.
	in30 := time.Now().UTC().Add(30 * 24 * time.Hour).Format("2006-01-02")
	if code, _, errs := r.run("user", "token", "add", "-name", "月报", "-expires", "30d", "-as", "kj"); code != 0 || !strings.Contains(errs, in30) {
		t.Fatalf("token add -expires 30d: exit %d, %s", code, errs)
	}
	if code, _, errs := r.run("user", "token", "add", "-name", "年报", "-expires", "400d", "-as", "kj"); code != 3 ||
		!strings.Contains(errs, "must be from 1 to 365 days") {
		t.Fatalf("token add -expires 400d: exit %d, %s", code, errs)
	}
	if code, _, errs := r.run("user", "token", "add", "-name", "年报", "-expires", "soon", "-as", "kj"); code != 3 ||
		!strings.Contains(errs, "not a number of days") {
		t.Fatalf("token add -expires soon: exit %d, %s", code, errs)
	}
	r.env["JITI_TOKEN_MAX_AGE"] = "20d"
	if code, _, errs := r.run("user", "token", "add", "-name", "年报", "-expires", "30d", "-as", "kj"); code != 3 ||
		!strings.Contains(errs, "must be from 1 to 20 days") {
		t.Fatalf("token add -expires 30d past a longest of 20: exit %d, %s", code, errs)
	}
	delete(r.env, "JITI_TOKEN_MAX_AGE")
	var ts []store.APIToken
	if err := json.Unmarshal([]byte(r.must("user", "token", "list", "-user", "kj", "-format", "json")), &ts); err != nil || len(ts) != 2 ||
		ts[0].LastUsedAddr != "192.0.2.44" || ts[0].ExpiresAt.IsZero() {
		t.Fatalf("token list json: %+v, %v", ts, err)
	}
	id := ts[0].ID
	if code, _, _ := r.run("user", "token", "revoke", "-id", "1", "-as", "sh"); code != 4 {
		t.Fatalf("someone else's token: exit %d, want 4 (not found)", code)
	}
	if code, _, errs := r.run("user", "token", "add", "-as", "kj"); code != 3 || !strings.Contains(errs, "name: this field is required") {
		t.Fatalf("token without a name: exit %d, %s", code, errs)
	}
	r.must("user", "token", "revoke", "-id", jsonInt(id), "-as", "kj")
	if _, err := db.APITokenUser(ctx, tok, ""); !errors.Is(err, store.ErrTokenInvalid) {
		t.Fatalf("revoked token: %v", err)
	}
	if out := r.must("user", "token", "list", "-as", "kj"); !strings.Contains(out, "revoked") {
		t.Fatalf("token list after revoking: %s", out)
	}
	for _, args := range [][]string{{"user", "token"}, {"user", "token", "rename"}} {
		if code, _, errs := r.run(args...); code != 2 || !strings.Contains(errs, "jiti user token add") {
			t.Fatalf("%v: exit %d, %s", args, code, errs)
		}
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

package store_test

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/auth"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

const (
	pw1 = "Secret-2025"
	pw2 = "Another-2026"
)

// clock replaces the database's clock by one the test moves.
type clock struct{ now time.Time }

func setClock(db *store.DB) *clock {
	c := &clock{now: storetest.Now}
	db.Now = func() time.Time { return c.now }
	return c
}

func (c *clock) add(d time.Duration) { c.now = c.now.Add(d) }

// scalar reads one value behind the store's back.
func scalar[T any](t *testing.T, db *store.DB, query string) T {
	t.Helper()
	var v T
	ok(t, storetest.Query(db, query, func(r *sql.Rows) error { return r.Scan(&v) }))
	return v
}

// argsOf returns the message arguments of a jiti error.
func argsOf(err error) []any {
	if e := jiti.AsError(err); e != nil {
		return e.Args
	}
	return nil
}

func TestSetPasswordAndAuthenticate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)

		// Nobody has a password yet, so nobody signs in.
		_, err := db.Authenticate(bg, "kuaiji", "", "10.0.0.1")
		wantErr(t, err, store.ErrAuthFailed, "")

		ok(t, db.SetPassword(bg, f.Admin, f.Accountant, pw1))
		hash := scalar[string](t, db, `SELECT password_hash FROM users WHERE name = 'kuaiji'`)
		if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Fatalf("stored %q, want an argon2id PHC string", hash)
		}
		ev := lastEvent(t, db, "user.password")
		if ev.UserID != f.Admin || ev.EntityID != strconv.FormatInt(int64(f.Accountant), 10) {
			t.Errorf("audit event %+v", ev)
		}
		if strings.Contains(string(ev.New), "argon2") || strings.Contains(string(ev.New), pw1) {
			t.Errorf("the audit event holds the password or its hash: %s", ev.New)
		}
		if m := decode(t, ev.New); m["reset"] != true {
			t.Errorf("audit of an administrator's reset: %s", ev.New)
		}

		u, err := db.Authenticate(bg, " kuaiji ", pw1, "10.0.0.1")
		ok(t, err)
		if u.ID != f.Accountant || u.Role != jiti.RoleAgencyAccountant || u.ScopeRegion != "620422100" {
			t.Fatalf("authenticated %+v", u)
		}
		// Unknown user, wrong password, a user without a password: the
		// same error, so names cannot be probed.
		for _, c := range [][2]string{{"kuaiji", "secret-2025"}, {"nobody", pw1}, {"shenhe", pw1}, {"kuaiji", ""}} {
			_, err := db.Authenticate(bg, c[0], c[1], "10.0.0.1")
			wantErr(t, err, store.ErrAuthFailed, "")
			if jiti.KindOf(err) != jiti.Forbidden || len(argsOf(err)) != 0 {
				t.Errorf("%s: %v", c[0], err)
			}
		}

		// The policy.
		wantErr(t, db.SetPassword(bg, f.Admin, f.Accountant, "short"), auth.ErrPasswordShort, "password")
		wantErr(t, db.SetPassword(bg, f.Admin, f.Accountant, "2025123199"), auth.ErrPasswordDigits, "password")
		// A user sets their own; not someone else's unless an administrator.
		ok(t, db.SetPassword(bg, f.Approver, f.Approver, pw2))
		if m := decode(t, lastEvent(t, db, "user.password").New); m["reset"] != false {
			t.Errorf("audit of one's own password: %v", m)
		}
		wantErr(t, db.SetPassword(bg, f.Accountant, f.Approver, pw1), jiti.ErrRoleCannot, "")
		wantErr(t, db.SetPassword(bg, 0, f.Approver, pw1), store.ErrNoActor, "")
		wantErr(t, db.SetPassword(bg, f.Admin, 9999, pw1), jiti.ErrNotFound, "")
		if _, err := db.Authenticate(bg, "shenhe", pw2, ""); err != nil {
			t.Fatalf("own password: %v", err)
		}

		// An administrator of a township manages that township's users
		// only: the county administrator and another township's users
		// read as not found.
		r, err := jiti.NewRegion("620422101", "柴家门镇")
		ok(t, err)
		ok(t, db.CreateRegions(bg, f.Admin, []jiti.Region{r}))
		town, err := db.CreateUser(bg, f.Admin, jiti.User{Name: "townadmin", Role: jiti.RoleCountyAdmin, ScopeRegion: "620422100"})
		ok(t, err)
		other, err := db.CreateUser(bg, f.Admin, jiti.User{Name: "kj101", Role: jiti.RoleAgencyAccountant, ScopeRegion: "620422101"})
		ok(t, err)
		village, err := db.CreateUser(bg, f.Admin, jiti.User{Name: "cun", Role: jiti.RoleVillageAccountant, ScopeCollectives: []int64{f.A.ID}})
		ok(t, err)
		ok(t, db.SetPassword(bg, town.ID, f.Accountant, pw2))
		ok(t, db.SetPassword(bg, town.ID, village.ID, pw2))
		wantErr(t, db.SetPassword(bg, town.ID, f.Admin, pw2), jiti.ErrNotFound, "")
		wantErr(t, db.SetPassword(bg, town.ID, other.ID, pw2), jiti.ErrNotFound, "")

		// A disabled user does not sign in, with the right password
		// either, and is told nothing more.
		ok(t, db.SetUserDisabled(bg, f.Admin, f.Accountant, true))
		_, err = db.Authenticate(bg, "kuaiji", pw2, "")
		wantErr(t, err, store.ErrAuthFailed, "")
		if n := scalar[int](t, db, `SELECT failed_logins FROM users WHERE name = 'kuaiji'`); n != 0 {
			t.Errorf("a right password of a disabled user counted as a failure: %d", n)
		}
	})
}

func TestAuthenticateLocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		c := setClock(db)
		ok(t, db.SetPassword(bg, f.Admin, f.Accountant, pw1))
		fail := func(n int) {
			t.Helper()
			for range n {
				_, err := db.Authenticate(bg, "kuaiji", "wrong-password", "10.0.0.9")
				wantErr(t, err, store.ErrAuthFailed, "")
			}
		}
		// Failures in a row count; a success resets the count.
		fail(4)
		if n := scalar[int](t, db, `SELECT failed_logins FROM users WHERE name = 'kuaiji'`); n != 4 {
			t.Fatalf("failed_logins %d, want 4", n)
		}
		ev := lastEvent(t, db, "auth.failed")
		if ev.UserID != 0 || ev.EntityID != strconv.FormatInt(int64(f.Accountant), 10) || decode(t, ev.New)["remote_addr"] != "10.0.0.9" {
			t.Errorf("failure event %+v %s", ev, ev.New)
		}
		_, err := db.Authenticate(bg, "kuaiji", pw1, "")
		ok(t, err)
		fail(4)
		_, err = db.Authenticate(bg, "kuaiji", pw1, "")
		ok(t, err)

		// The fifth failure in a row locks for 15 minutes, the right
		// password too.
		fail(4)
		_, err = db.Authenticate(bg, "kuaiji", "wrong-password", "")
		wantErr(t, err, store.ErrAuthLocked, "")
		if a := argsOf(err); len(a) != 1 || a[0] != 15 {
			t.Fatalf("locked: args %v, want 15 minutes", a)
		}
		lastEvent(t, db, "auth.locked")
		c.add(14*time.Minute + 30*time.Second)
		_, err = db.Authenticate(bg, "kuaiji", pw1, "")
		wantErr(t, err, store.ErrAuthLocked, "")
		if a := argsOf(err); len(a) != 1 || a[0] != 1 {
			t.Fatalf("locked: args %v, want 1 minute left", a)
		}
		// Other users are not locked.
		ok(t, db.SetPassword(bg, f.Admin, f.Approver, pw1))
		_, err = db.Authenticate(bg, "shenhe", pw1, "")
		ok(t, err)

		// After the lock the user has five tries again.
		c.add(time.Minute)
		fail(4)
		_, err = db.Authenticate(bg, "kuaiji", pw1, "")
		ok(t, err)
		if n := scalar[int](t, db, `SELECT failed_logins FROM users WHERE name = 'kuaiji'`); n != 0 {
			t.Fatalf("failed_logins %d after a success", n)
		}
		lastEvent(t, db, "auth.reset")

		// An administrator's reset lifts a lock.
		fail(4)
		_, err = db.Authenticate(bg, "kuaiji", "wrong-password", "")
		wantErr(t, err, store.ErrAuthLocked, "")
		_, err = db.Authenticate(bg, "kuaiji", pw1, "")
		wantErr(t, err, store.ErrAuthLocked, "")
		ok(t, db.SetPassword(bg, f.Admin, f.Accountant, pw2))
		_, err = db.Authenticate(bg, "kuaiji", pw2, "")
		ok(t, err)
	})
}

func TestChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ok(t, db.SetPassword(bg, f.Accountant, f.Accountant, pw1))
		tok, err := db.CreateSession(bg, f.Accountant, 0, "test", "")
		ok(t, err)

		wantErr(t, db.ChangePassword(bg, f.Accountant, "not-the-password", pw2), store.ErrOldPassword, "old_password")
		wantErr(t, db.ChangePassword(bg, f.Accountant, pw1, "short"), auth.ErrPasswordShort, "new_password")
		wantErr(t, db.ChangePassword(bg, f.Accountant, pw1, pw1), store.ErrPasswordSame, "new_password")
		// A wrong old password counts as a failed sign-in.
		if n := scalar[int](t, db, `SELECT failed_logins FROM users WHERE name = 'kuaiji'`); n != 1 {
			t.Fatalf("failed_logins %d, want 1", n)
		}
		ok(t, db.ChangePassword(bg, f.Accountant, pw1, pw2))
		_, err = db.Authenticate(bg, "kuaiji", pw1, "")
		wantErr(t, err, store.ErrAuthFailed, "")
		_, err = db.Authenticate(bg, "kuaiji", pw2, "")
		ok(t, err)
		ev := lastEvent(t, db, "user.password")
		if ev.UserID != f.Accountant || strings.Contains(string(ev.New), "argon2") {
			t.Errorf("audit %+v %s", ev, ev.New)
		}
		// The session goes on: the change was made in it.
		if _, err := db.SessionUser(bg, tok); err != nil {
			t.Fatalf("session after changing the password: %v", err)
		}
		// A user without a password has no old one to give.
		wantErr(t, db.ChangePassword(bg, f.Approver, "", pw2), store.ErrOldPassword, "old_password")
		wantErr(t, db.ChangePassword(bg, 9999, pw1, pw2), store.ErrNoActor, "")
	})
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		c := setClock(db)
		tok, err := db.CreateSession(bg, f.Accountant, 0, "Mozilla/5.0 "+strings.Repeat("x", 400), "192.0.2.7")
		ok(t, err)
		// The database keeps the token's digest, nowhere the token.
		if n := scalar[int](t, db, `SELECT COUNT(*) FROM sessions WHERE token_hash = '`+auth.TokenHash(tok)+`'`); n != 1 {
			t.Fatalf("sessions with the token's digest: %d", n)
		}
		if n := scalar[int](t, db, `SELECT COUNT(*) FROM sessions WHERE token_hash = '`+tok+`'`); n != 0 {
			t.Fatal("the token is stored in clear")
		}
		ev := lastEvent(t, db, "session.create")
		if ev.UserID != f.Accountant || strings.Contains(string(ev.New), tok) || !strings.HasPrefix(auth.TokenHash(tok), ev.EntityID) ||
			decode(t, ev.New)["remote_addr"] != "192.0.2.7" {
			t.Errorf("audit %+v %s", ev, ev.New)
		}
		u, err := db.SessionUser(bg, tok)
		ok(t, err)
		if u.ID != f.Accountant || u.Name != "kuaiji" {
			t.Fatalf("session user %+v", u)
		}
		for _, bad := range []string{"", tok + "x", strings.ToUpper(tok)} {
			_, err := db.SessionUser(bg, bad)
			wantErr(t, err, store.ErrSessionInvalid, "")
		}
		ss, err := db.Sessions(bg, f.Accountant)
		ok(t, err)
		if len(ss) != 1 || ss[0].ID != auth.TokenHash(tok)[:12] || !ss[0].CreatedAt.Equal(storetest.Now) ||
			!ss[0].ExpiresAt.Equal(storetest.Now.Add(store.SessionTTL)) || !ss[0].EndsAt.Equal(storetest.Now.Add(store.SessionIdle)) ||
			len([]rune(ss[0].UserAgent)) != 256 || ss[0].RemoteAddr != "192.0.2.7" {
			t.Fatalf("sessions %+v", ss)
		}

		// last_seen_at is written at most once a minute.
		c.add(30 * time.Second)
		_, err = db.SessionUser(bg, tok)
		ok(t, err)
		ss, _ = db.Sessions(bg, f.Accountant)
		if !ss[0].LastSeenAt.Equal(storetest.Now) {
			t.Fatalf("last seen %v after 30 s, want unchanged", ss[0].LastSeenAt)
		}
		c.add(40 * time.Second)
		_, err = db.SessionUser(bg, tok)
		ok(t, err)
		ss, _ = db.Sessions(bg, f.Accountant)
		if !ss[0].LastSeenAt.Equal(c.now) {
			t.Fatalf("last seen %v after 70 s, want %v", ss[0].LastSeenAt, c.now)
		}

		// Used every 100 minutes, a session lives its 12 hours and no more.
		for range 6 {
			c.add(100 * time.Minute)
			if _, err := db.SessionUser(bg, tok); err != nil {
				t.Fatalf("at %v: %v", c.now, err)
			}
		}
		c.add(store.SessionTTL - 70*time.Second - 600*time.Minute)
		_, err = db.SessionUser(bg, tok)
		wantErr(t, err, store.ErrSessionInvalid, "")
		if ss, _ := db.Sessions(bg, f.Accountant); len(ss) != 0 {
			t.Fatalf("expired session listed: %+v", ss)
		}

		// Two idle hours end a session.
		tok2, err := db.CreateSession(bg, f.Accountant, time.Hour*24, "", "")
		ok(t, err)
		// Signing in deleted the ended session.
		if n := scalar[int](t, db, `SELECT COUNT(*) FROM sessions`); n != 1 {
			t.Fatalf("%d session rows, want the ended one deleted", n)
		}
		c.add(store.SessionIdle - time.Second)
		_, err = db.SessionUser(bg, tok2)
		ok(t, err)
		c.add(store.SessionIdle)
		_, err = db.SessionUser(bg, tok2)
		wantErr(t, err, store.ErrSessionInvalid, "")

		// Signing out.
		tok3, err := db.CreateSession(bg, f.Accountant, 0, "", "")
		ok(t, err)
		ok(t, db.RevokeSession(bg, tok3))
		_, err = db.SessionUser(bg, tok3)
		wantErr(t, err, store.ErrSessionInvalid, "")
		ok(t, db.RevokeSession(bg, tok3))
		ok(t, db.RevokeSession(bg, "no-such-token"))
		if ev := lastEvent(t, db, "session.revoke"); ev.UserID != f.Accountant {
			t.Errorf("sign-out audit %+v", ev)
		}

		// Signing out everywhere else keeps the current session.
		a, _ := db.CreateSession(bg, f.Accountant, 0, "a", "")
		b, _ := db.CreateSession(bg, f.Accountant, 0, "b", "")
		cur, _ := db.CreateSession(bg, f.Accountant, 0, "c", "")
		n, err := db.RevokeOtherSessions(bg, cur)
		ok(t, err)
		if n != 2 {
			t.Fatalf("revoked %d others, want 2", n)
		}
		for _, tk := range []string{a, b} {
			_, err := db.SessionUser(bg, tk)
			wantErr(t, err, store.ErrSessionInvalid, "")
		}
		_, err = db.SessionUser(bg, cur)
		ok(t, err)
		_, err = db.RevokeOtherSessions(bg, a)
		wantErr(t, err, store.ErrSessionInvalid, "")

		// Ending a user's sessions: the user or an administrator, nobody else.
		_, _ = db.CreateSession(bg, f.Accountant, 0, "d", "")
		_, err = db.RevokeSessions(bg, f.Approver, f.Accountant)
		wantErr(t, err, jiti.ErrRoleCannot, "")
		n, err = db.RevokeSessions(bg, f.Admin, f.Accountant)
		ok(t, err)
		if n != 2 {
			t.Fatalf("revoked %d, want 2", n)
		}
		if ss, _ := db.Sessions(bg, f.Accountant); len(ss) != 0 {
			t.Fatalf("sessions left: %+v", ss)
		}

		// An administrator's reset of the password ends the sessions; the
		// user's own change does not.
		own, _ := db.CreateSession(bg, f.Accountant, 0, "", "")
		ok(t, db.SetPassword(bg, f.Accountant, f.Accountant, pw1))
		_, err = db.SessionUser(bg, own)
		ok(t, err)
		ok(t, db.SetPassword(bg, f.Admin, f.Accountant, pw2))
		_, err = db.SessionUser(bg, own)
		wantErr(t, err, store.ErrSessionInvalid, "")
		if m := decode(t, lastEvent(t, db, "user.password").New); m["sessions_revoked"] != float64(1) {
			t.Errorf("reset audit %v", m)
		}

		// A disabled user's sessions end, and none begins.
		s, _ := db.CreateSession(bg, f.Accountant, 0, "", "")
		ok(t, db.SetUserDisabled(bg, f.Admin, f.Accountant, true))
		_, err = db.SessionUser(bg, s)
		wantErr(t, err, store.ErrSessionInvalid, "")
		_, err = db.CreateSession(bg, f.Accountant, 0, "", "")
		wantErr(t, err, jiti.ErrUserDisabled, "")
		_, err = db.CreateSession(bg, 9999, 0, "", "")
		wantErr(t, err, store.ErrNoActor, "")
	})
}

func TestSetUserDisabled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ok(t, db.SetPassword(bg, f.Admin, f.Accountant, pw1))
		tok, err := db.CreateSession(bg, f.Accountant, 0, "", "")
		ok(t, err)

		wantErr(t, db.SetUserDisabled(bg, f.Approver, f.Accountant, true), jiti.ErrRoleCannot, "")
		wantErr(t, db.SetUserDisabled(bg, f.Admin, f.Admin, true), store.ErrDisableSelf, "")
		wantErr(t, db.SetUserDisabled(bg, f.Admin, 9999, true), jiti.ErrNotFound, "")

		ok(t, db.SetUserDisabled(bg, f.Admin, f.Accountant, true))
		u, err := db.FindUser(bg, f.Accountant)
		ok(t, err)
		if !u.Disabled {
			t.Fatal("not disabled")
		}
		ev := lastEvent(t, db, "user.disable")
		if ev.UserID != f.Admin || decode(t, ev.New)["sessions_revoked"] != float64(1) {
			t.Errorf("audit %+v %s", ev, ev.New)
		}
		if n := scalar[int](t, db, `SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL`); n != 0 {
			t.Fatalf("%d sessions not revoked", n)
		}
		_, err = db.SessionUser(bg, tok)
		wantErr(t, err, store.ErrSessionInvalid, "")
		// A disabled user cannot act.
		wantErr(t, db.SetPassword(bg, f.Accountant, f.Accountant, pw2), jiti.ErrUserDisabled, "")
		// Disabling twice does nothing more.
		ok(t, db.SetUserDisabled(bg, f.Admin, f.Accountant, true))
		if _, n, _ := db.FindAuditEvents(bg, store.AuditFilter{Action: "user.disable"}); n != 1 {
			t.Errorf("%d disable events, want 1", n)
		}

		ok(t, db.SetUserDisabled(bg, f.Admin, f.Accountant, false))
		lastEvent(t, db, "user.enable")
		_, err = db.Authenticate(bg, "kuaiji", pw1, "")
		ok(t, err)
	})
}

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		c := setClock(db)
		tok, err := db.CreateAPIToken(bg, f.Accountant, " 对账脚本 ")
		ok(t, err)
		if n := scalar[int](t, db, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = '`+auth.TokenHash(tok)+`'`); n != 1 {
			t.Fatal("the token's digest is not stored")
		}
		ev := lastEvent(t, db, "api_token.create")
		if strings.Contains(string(ev.New), tok) || ev.UserID != f.Accountant {
			t.Errorf("audit %+v %s", ev, ev.New)
		}
		_, err = db.CreateAPIToken(bg, f.Accountant, "  ")
		wantErr(t, err, jiti.ErrRequired, "name")
		_, err = db.CreateAPIToken(bg, f.Accountant, strings.Repeat("名", 65))
		wantErr(t, err, jiti.ErrTooLong, "name")
		_, err = db.CreateAPIToken(bg, 0, "x")
		wantErr(t, err, store.ErrNoActor, "")

		ts, err := db.APITokens(bg, f.Accountant)
		ok(t, err)
		if len(ts) != 1 || ts[0].Name != "对账脚本" || !ts[0].LastUsedAt.IsZero() || ts[0].Revoked() {
			t.Fatalf("tokens %+v", ts)
		}
		u, err := db.APITokenUser(bg, tok)
		ok(t, err)
		if u.ID != f.Accountant {
			t.Fatalf("token user %+v", u)
		}
		c.add(30 * time.Second)
		_, err = db.APITokenUser(bg, tok)
		ok(t, err)
		ts, _ = db.APITokens(bg, f.Accountant)
		if !ts[0].LastUsedAt.Equal(storetest.Now) {
			t.Fatalf("last used %v, want the first use", ts[0].LastUsedAt)
		}
		for _, bad := range []string{"", tok[1:], "x"} {
			_, err := db.APITokenUser(bg, bad)
			wantErr(t, err, store.ErrTokenInvalid, "")
		}

		// Somebody else's token reads as not found, unless an administrator's.
		wantErr(t, db.RevokeAPIToken(bg, f.Approver, ts[0].ID), jiti.ErrNotFound, "")
		wantErr(t, db.RevokeAPIToken(bg, f.Accountant, 9999), jiti.ErrNotFound, "")
		ok(t, db.RevokeAPIToken(bg, f.Admin, ts[0].ID))
		_, err = db.APITokenUser(bg, tok)
		wantErr(t, err, store.ErrTokenInvalid, "")
		ok(t, db.RevokeAPIToken(bg, f.Accountant, ts[0].ID))
		if _, n, _ := db.FindAuditEvents(bg, store.AuditFilter{Action: "api_token.revoke"}); n != 1 {
			t.Errorf("%d revoke events, want 1", n)
		}
		ts, _ = db.APITokens(bg, f.Accountant)
		if len(ts) != 1 || !ts[0].Revoked() || !ts[0].RevokedAt.Equal(c.now) {
			t.Fatalf("revoked token listed as %+v", ts)
		}

		// The user's own revoke; and a disabled user's token does not work.
		tok2, err := db.CreateAPIToken(bg, f.Accountant, "second")
		ok(t, err)
		ok(t, db.SetUserDisabled(bg, f.Admin, f.Accountant, true))
		_, err = db.APITokenUser(bg, tok2)
		wantErr(t, err, store.ErrTokenInvalid, "")
		ok(t, db.SetUserDisabled(bg, f.Admin, f.Accountant, false))
		_, err = db.APITokenUser(bg, tok2)
		ok(t, err)
		ts, _ = db.APITokens(bg, f.Accountant)
		ok(t, db.RevokeAPIToken(bg, f.Accountant, ts[1].ID))
		_, err = db.APITokenUser(bg, tok2)
		if !errors.Is(err, store.ErrTokenInvalid) {
			t.Fatalf("own revoke: %v", err)
		}
		if ts, _ := db.APITokens(bg, f.Approver); len(ts) != 0 {
			t.Fatalf("another user's tokens: %+v", ts)
		}
	})
}

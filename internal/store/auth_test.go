package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
		for i, c := range [][2]string{{"kuaiji", "secret-2025"}, {"nobody", pw1}, {"shenhe", pw1}, {"kuaiji", ""}} {
			_, err := db.Authenticate(bg, c[0], c[1], fmt.Sprintf("10.0.0.%d", 10+i))
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
	})
}

// TestAuthenticate_Throttle holds the rule against guessing: a flood from
// one address waits longer and longer and never locks the name for
// anyone else; a distributed attack on a name makes every address that
// has failed wait for the name; an unknown name is counted the same; and
// counts are forgotten.
func TestAuthenticate_Throttle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		c := setClock(db)
		ok(t, db.SetPassword(bg, f.Admin, f.Accountant, pw1))
		ok(t, db.SetPassword(bg, f.Admin, f.Approver, pw1))
		seconds := func(err error) int {
			t.Helper()
			a := argsOf(err)
			if len(a) != 1 {
				t.Fatalf("%v: want the seconds", err)
			}
			return a[0].(int)
		}

		// A flood from one address: two free failures, then a wait that
		// doubles, up to 15 minutes. Tries during a wait are refused with
		// the real time left, the right password too.
		const flood = "203.0.113.9:4711"
		var waits []int
		for i := 1; i <= 14; i++ {
			_, err := db.Authenticate(bg, "kuaiji", "wrong-password", flood)
			w := 0
			if errors.Is(err, store.ErrAuthFailedWait) {
				w = seconds(err)
			} else {
				wantErr(t, err, store.ErrAuthFailed, "")
			}
			waits = append(waits, w)
			if w > 0 {
				half := time.Duration(w) * time.Second / 2
				c.add(half)
				_, err := db.Authenticate(bg, "kuaiji", pw1, flood)
				wantErr(t, err, store.ErrAuthWait, "")
				if got, want := seconds(err), w-w/2; got != want {
					t.Fatalf("failure %d: %d s left after half of %d s, want %d", i, got, w, want)
				}
				c.add(time.Duration(w)*time.Second - half)
			}
		}
		if want := []int{0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900}; !slices.Equal(waits, want) {
			t.Fatalf("waits %v, want %v", waits, want)
		}
		ev := lastEvent(t, db, "auth.failed")
		if m := decode(t, ev.New); ev.UserID != 0 || ev.EntityID != strconv.FormatInt(int64(f.Accountant), 10) ||
			m["remote_addr"] != flood || m["addr_failures"] != float64(14) || m["wait_seconds"] != float64(900) {
			t.Errorf("failure event %+v %s", ev, ev.New)
		}
		// The name has failed 15 times and waits, but not for an address
		// that has not failed: the user signs in from elsewhere at once.
		_, err := db.Authenticate(bg, "kuaiji", "wrong-password", flood)
		wantErr(t, err, store.ErrAuthFailedWait, "")
		_, err = db.Authenticate(bg, "kuaiji", pw1, flood)
		wantErr(t, err, store.ErrAuthWait, "")
		u, err := db.Authenticate(bg, "kuaiji", pw1, "198.51.100.20:5000")
		ok(t, err)
		if u.ID != f.Accountant {
			t.Fatalf("signed in as %+v", u)
		}
		// The flooding address still waits; the name's count is cleared.
		_, err = db.Authenticate(bg, "shenhe", pw1, flood)
		wantErr(t, err, store.ErrAuthWait, "")

		// A distributed attack on a name: each address fails once, free,
		// until the name has failed five times; from then on every
		// address that has failed waits for the name, and one that has
		// not still gets in with the right password.
		for i := 1; i <= 6; i++ {
			_, err := db.Authenticate(bg, "shenhe", "wrong-password", fmt.Sprintf("192.0.2.%d", i))
			if i < 5 {
				wantErr(t, err, store.ErrAuthFailed, "")
			} else if want := 1 << (i - 5); seconds(err) != want {
				t.Fatalf("name failure %d: wait %d s, want %d", i, seconds(err), want)
			}
		}
		_, err = db.Authenticate(bg, "shenhe", pw1, "192.0.2.1")
		wantErr(t, err, store.ErrAuthWait, "")
		if got := seconds(err); got != 2 {
			t.Fatalf("an address that failed waits %d s for the name, want 2", got)
		}
		_, err = db.Authenticate(bg, "shenhe", pw1, "192.0.2.99")
		ok(t, err)
		_, err = db.Authenticate(bg, "shenhe", pw1, "192.0.2.1")
		ok(t, err)

		// IPv6 addresses count by their /64.
		for i := 1; i <= 3; i++ {
			_, err = db.Authenticate(bg, "shenhe", "wrong-password", fmt.Sprintf("[2001:db8:7:7::%d]:443", i))
		}
		wantErr(t, err, store.ErrAuthFailedWait, "")

		// An unknown name is counted and answered exactly like a known one.
		for i := 1; i <= 3; i++ {
			_, err = db.Authenticate(bg, "nobody", "wrong-password", "198.51.100.77")
		}
		wantErr(t, err, store.ErrAuthFailedWait, "")
		if seconds(err) != 1 {
			t.Fatalf("unknown name: %v", err)
		}
		if ev := lastEvent(t, db, "auth.failed"); ev.Entity != "signin_name" || ev.EntityID != auth.NameKey("nobody")[:12] ||
			strings.Contains(string(ev.New), "nobody") {
			t.Errorf("an unknown name's failure audited as %+v %s", ev, ev.New)
		}

		// Counts are forgotten an hour after their last failure.
		c.add(time.Hour + time.Second)
		_, err = db.Authenticate(bg, "kuaiji", "wrong-password", flood)
		wantErr(t, err, store.ErrAuthFailed, "")
		if n := scalar[int](t, db, `SELECT COUNT(*) FROM signin_failures`); n != 2 {
			t.Fatalf("%d counts kept, want the flood's address and name", n)
		}
		// A new password set clears the name's failures.
		ok(t, db.SetPassword(bg, f.Admin, f.Accountant, pw2))
		if n := scalar[int](t, db, `SELECT COUNT(*) FROM signin_failures WHERE kind = 'name'`); n != 0 {
			t.Fatalf("%d name counts after a new password", n)
		}
	})
}

// TestAuthenticate_SameTime holds that an unknown name and a wrong
// password are answered alike and in about the same time: both cost a
// hash of the same parameters and a write of the counts.
func TestAuthenticate_SameTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ok(t, db.SetPassword(bg, f.Admin, f.Accountant, pw1))
		const rounds = 7
		var known, unknown []time.Duration
		for i := range rounds {
			start := time.Now()
			_, errKnown := db.Authenticate(bg, "kuaiji", "wrong-password", fmt.Sprintf("10.7.0.%d", i))
			known = append(known, time.Since(start))
			start = time.Now()
			_, errUnknown := db.Authenticate(bg, "kuaiji-x", "wrong-password", fmt.Sprintf("10.8.0.%d", i))
			unknown = append(unknown, time.Since(start))
			if errKnown == nil || errUnknown == nil || errKnown.Error() != errUnknown.Error() {
				t.Fatalf("round %d: %v for a wrong password, %v for an unknown name", i, errKnown, errUnknown)
			}
		}
		slices.Sort(known)
		slices.Sort(unknown)
		k, u := known[rounds/2], unknown[rounds/2]
		t.Logf("median: wrong password %v, unknown name %v", k, u)
		if k > 3*u || u > 3*k {
			t.Errorf("a wrong password takes %v, an unknown name %v: not comparable", k, u)
		}
	})
}

func TestChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ok(t, db.SetPassword(bg, f.Accountant, f.Accountant, pw1))
		tok, err := db.CreateSession(bg, f.Accountant, 0, "test", "")
		ok(t, err)

		api, _, err := db.CreateAPIToken(bg, f.Accountant, "报表", 0)
		ok(t, err)
		const addr = "192.0.2.50"
		wantErr(t, db.ChangePassword(bg, f.Accountant, "not-the-password", pw2, addr), store.ErrOldPassword, "old_password")
		wantErr(t, db.ChangePassword(bg, f.Accountant, pw1, "short", addr), auth.ErrPasswordShort, "new_password")
		wantErr(t, db.ChangePassword(bg, f.Accountant, pw1, pw1, addr), store.ErrPasswordSame, "new_password")
		// A wrong old password counts as a failed sign-in, and waits like one.
		if n := scalar[int](t, db, `SELECT failures FROM signin_failures WHERE kind = 'addr'`); n != 1 {
			t.Fatalf("address failures %d, want 1", n)
		}
		wantErr(t, db.ChangePassword(bg, f.Accountant, "not-the-password", pw2, addr), store.ErrOldPassword, "old_password")
		wantErr(t, db.ChangePassword(bg, f.Accountant, "not-the-password", pw2, addr), store.ErrOldPassword, "old_password")
		wantErr(t, db.ChangePassword(bg, f.Accountant, pw1, pw2, addr), store.ErrAuthWait, "old_password")
		ok(t, db.ChangePassword(bg, f.Accountant, pw1, pw2, "192.0.2.51"))
		_, err = db.Authenticate(bg, "kuaiji", pw1, "")
		wantErr(t, err, store.ErrAuthFailed, "")
		_, err = db.Authenticate(bg, "kuaiji", pw2, "")
		ok(t, err)
		ev := lastEvent(t, db, "user.password")
		if ev.UserID != f.Accountant || strings.Contains(string(ev.New), "argon2") || decode(t, ev.New)["tokens_ended"] != float64(1) {
			t.Errorf("audit %+v %s", ev, ev.New)
		}
		// The user's API tokens end with the old password.
		_, err = db.APITokenUser(bg, api, "")
		wantErr(t, err, store.ErrTokenInvalid, "")
		// The session goes on: the change was made in it.
		if _, err := db.SessionUser(bg, tok); err != nil {
			t.Fatalf("session after changing the password: %v", err)
		}
		// A user without a password has no old one to give.
		wantErr(t, db.ChangePassword(bg, f.Approver, "", pw2, ""), store.ErrOldPassword, "old_password")
		wantErr(t, db.ChangePassword(bg, 9999, pw1, pw2, ""), store.ErrNoActor, "")
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

		api, _, err := db.CreateAPIToken(bg, f.Accountant, "报表", 0)
		ok(t, err)
		ok(t, db.SetUserDisabled(bg, f.Admin, f.Accountant, true))
		u, err := db.FindUser(bg, f.Accountant)
		ok(t, err)
		if !u.Disabled {
			t.Fatal("not disabled")
		}
		ev := lastEvent(t, db, "user.disable")
		if ev.UserID != f.Admin || decode(t, ev.New)["sessions_revoked"] != float64(1) || decode(t, ev.New)["tokens_ended"] != float64(1) {
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
		// Enabling the user again revives no token.
		_, err = db.APITokenUser(bg, api, "")
		wantErr(t, err, store.ErrTokenInvalid, "")
		ts, err := db.APITokens(bg, f.Accountant)
		ok(t, err)
		if key, _ := ts[0].State(storetest.Now); len(ts) != 1 || ts[0].EndedBy != "disabled" || key != "cli.token_ended_disabled" {
			t.Fatalf("token after disabling: %+v", ts)
		}
	})
}

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		c := setClock(db)
		tok, _, err := db.CreateAPIToken(bg, f.Accountant, " 对账脚本 ", 0)
		ok(t, err)
		if n := scalar[int](t, db, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = '`+auth.TokenHash(tok)+`'`); n != 1 {
			t.Fatal("the token's digest is not stored")
		}
		ev := lastEvent(t, db, "api_token.create")
		if strings.Contains(string(ev.New), tok) || ev.UserID != f.Accountant {
			t.Errorf("audit %+v %s", ev, ev.New)
		}
		_, _, err = db.CreateAPIToken(bg, f.Accountant, "  ", 0)
		wantErr(t, err, jiti.ErrRequired, "name")
		_, _, err = db.CreateAPIToken(bg, f.Accountant, strings.Repeat("名", 65), 0)
		wantErr(t, err, jiti.ErrTooLong, "name")
		_, _, err = db.CreateAPIToken(bg, 0, "x", 0)
		wantErr(t, err, store.ErrNoActor, "")

		ts, err := db.APITokens(bg, f.Accountant)
		ok(t, err)
		if len(ts) != 1 || ts[0].Name != "对账脚本" || !ts[0].LastUsedAt.IsZero() || ts[0].Revoked() ||
			!ts[0].ExpiresAt.Equal(storetest.Now.Add(90*24*time.Hour)) {
			t.Fatalf("tokens %+v", ts)
		}
		if key, at := ts[0].State(c.now); key != "web.active" || !at.Equal(ts[0].ExpiresAt) {
			t.Fatalf("state %s %v", key, at)
		}
		u, err := db.APITokenUser(bg, tok, "192.0.2.8")
		ok(t, err)
		if u.ID != f.Accountant {
			t.Fatalf("token user %+v", u)
		}
		// The last use and its address: written once a minute, or when
		// the address changes.
		c.add(30 * time.Second)
		_, err = db.APITokenUser(bg, tok, "192.0.2.8")
		ok(t, err)
		ts, _ = db.APITokens(bg, f.Accountant)
		if !ts[0].LastUsedAt.Equal(storetest.Now) || ts[0].LastUsedAddr != "192.0.2.8" {
			t.Fatalf("last used %v from %q, want the first use", ts[0].LastUsedAt, ts[0].LastUsedAddr)
		}
		_, err = db.APITokenUser(bg, tok, "198.51.100.3")
		ok(t, err)
		ts, _ = db.APITokens(bg, f.Accountant)
		if !ts[0].LastUsedAt.Equal(c.now) || ts[0].LastUsedAddr != "198.51.100.3" {
			t.Fatalf("last used %v from %q, want the use from another address", ts[0].LastUsedAt, ts[0].LastUsedAddr)
		}
		for _, bad := range []string{"", tok[1:], "x"} {
			_, err := db.APITokenUser(bg, bad, "")
			wantErr(t, err, store.ErrTokenInvalid, "")
		}

		// Somebody else's token reads as not found, unless an administrator's.
		wantErr(t, db.RevokeAPIToken(bg, f.Approver, ts[0].ID), jiti.ErrNotFound, "")
		wantErr(t, db.RevokeAPIToken(bg, f.Accountant, 9999), jiti.ErrNotFound, "")
		ok(t, db.RevokeAPIToken(bg, f.Admin, ts[0].ID))
		_, err = db.APITokenUser(bg, tok, "")
		wantErr(t, err, store.ErrTokenInvalid, "")
		ok(t, db.RevokeAPIToken(bg, f.Accountant, ts[0].ID))
		if _, n, _ := db.FindAuditEvents(bg, store.AuditFilter{Action: "api_token.revoke"}); n != 1 {
			t.Errorf("%d revoke events, want 1", n)
		}
		ts, _ = db.APITokens(bg, f.Accountant)
		if key, at := ts[0].State(c.now); len(ts) != 1 || !ts[0].Revoked() || !ts[0].RevokedAt.Equal(c.now) ||
			key != "cli.token_revoked_at" || !at.Equal(c.now) {
			t.Fatalf("revoked token listed as %+v", ts)
		}

		// Lifetimes: from a day to the deployment's longest (365 days
		// unless set), 90 days when none is given.
		for _, ttl := range []time.Duration{time.Hour, 366 * 24 * time.Hour} {
			_, _, err := db.CreateAPIToken(bg, f.Accountant, "x", ttl)
			wantErr(t, err, store.ErrTokenTTL, "expires")
			if a := argsOf(err); len(a) != 1 || a[0] != 365 {
				t.Fatalf("%v: args %v, want the longest, 365 days", ttl, a)
			}
		}
		short, _, err := db.CreateAPIToken(bg, f.Accountant, "short", 2*24*time.Hour)
		ok(t, err)
		long, _, err := db.CreateAPIToken(bg, f.Accountant, "long", 365*24*time.Hour)
		ok(t, err)
		c.add(2*24*time.Hour - time.Second)
		_, err = db.APITokenUser(bg, short, "")
		ok(t, err)
		c.add(time.Second)
		_, err = db.APITokenUser(bg, short, "")
		wantErr(t, err, store.ErrTokenExpired, "")
		// Lowering the longest lifetime shortens the tokens made before.
		db.TokenMaxTTL = 30 * 24 * time.Hour
		_, err = db.APITokenUser(bg, long, "")
		ok(t, err)
		_, _, err = db.CreateAPIToken(bg, f.Accountant, "x", 31*24*time.Hour)
		wantErr(t, err, store.ErrTokenTTL, "expires")
		if n, _, err := db.CreateAPIToken(bg, f.Accountant, "default", 0); err != nil || n == "" {
			t.Fatalf("a token of the default lifetime past the longest: %v", err)
		}
		c.add(28 * 24 * time.Hour)
		_, err = db.APITokenUser(bg, long, "")
		wantErr(t, err, store.ErrTokenExpired, "")
		ts, _ = db.APITokens(bg, f.Accountant)
		if key, at := ts[2].State(c.now); key != "cli.token_expired_at" || !at.Equal(ts[2].CreatedAt.Add(30*24*time.Hour)) {
			t.Fatalf("token past the lowered longest: %s %v", key, at)
		}
		if key, _ := ts[1].State(c.now); key != "cli.token_expired_at" {
			t.Fatalf("expired token: %s", key)
		}
		db.TokenMaxTTL = 0

		// A change of password ends the user's live tokens (not a first
		// password), and says so; expired ones stay expired.
		tok2, _, err := db.CreateAPIToken(bg, f.Accountant, "second", 0)
		ok(t, err)
		ok(t, db.SetPassword(bg, f.Admin, f.Accountant, pw1))
		_, err = db.APITokenUser(bg, tok2, "")
		ok(t, err)
		ok(t, db.SetPassword(bg, f.Accountant, f.Accountant, pw2))
		_, err = db.APITokenUser(bg, tok2, "")
		wantErr(t, err, store.ErrTokenInvalid, "")
		ts, _ = db.APITokens(bg, f.Accountant)
		last := ts[len(ts)-1]
		if key, _ := last.State(c.now); last.Name != "second" || key != "cli.token_ended_password" {
			t.Fatalf("token after a change of password: %+v", last)
		}
		if key, _ := ts[1].State(c.now); key != "cli.token_expired_at" {
			t.Fatalf("an expired token after a change of password: %s", key)
		}
		if ts, _ := db.APITokens(bg, f.Approver); len(ts) != 0 {
			t.Fatalf("another user's tokens: %+v", ts)
		}
	})
}

func TestParseTokenTTL(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "30d": 30 * 24 * time.Hour, " 7 ": 7 * 24 * time.Hour, "365D": 365 * 24 * time.Hour} {
		if got, err := store.ParseTokenTTL(in); err != nil || got != want {
			t.Errorf("ParseTokenTTL(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-3d", "30h", "d", "1e3", "99999999999d"} {
		_, err := store.ParseTokenTTL(in)
		wantErr(t, err, store.ErrTokenTTLFormat, "")
	}
}

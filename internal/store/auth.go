package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"example.org/jiti"
	"example.org/jiti/internal/auth"
)

// Signing in: passwords, throttling, sessions and API tokens. Passwords are
// hashed (argon2id, package auth) before a transaction begins, so the tens
// of milliseconds of hashing never hold SQLite's one writer. Sessions and
// API tokens are random tokens handed to the client once; the database
// keeps their SHA-256 only. Reads of a session or a token go to the read
// pool, and write only when the time they were last used is worth
// updating, so a request costs no write transaction.

// Limits of signing in.
const (
	// SessionTTL is a session's absolute lifetime when CreateSession is
	// given none: a working day.
	SessionTTL = 12 * time.Hour
	// SessionIdle ends a session nobody has used for this long.
	SessionIdle = 2 * time.Hour
	// touchEvery is how stale a session's last_seen_at (a token's
	// last_used_at) may be before a use writes it again.
	touchEvery = time.Minute
	// maxTokenName is the longest name of an API token, in characters.
	maxTokenName = 64
	// DefaultTokenTTL is an API token's lifetime when its maker gives none,
	// and DefaultTokenMaxTTL the longest one unless DB.TokenMaxTTL says
	// otherwise.
	DefaultTokenTTL    = 90 * 24 * time.Hour
	DefaultTokenMaxTTL = 365 * 24 * time.Hour
)

// Errors of signing in.
var (
	// ErrAuthFailed is the one answer to an unknown user, a wrong password,
	// a user without a password and a disabled user, so that nobody learns
	// which names exist.
	ErrAuthFailed = jiti.Errorf(jiti.Forbidden, "auth.failed")
	// ErrOldPassword reports a wrong current password when changing it.
	ErrOldPassword = jiti.Errorf(jiti.Invalid, "auth.old_password")
	// ErrPasswordSame reports a new password equal to the old.
	ErrPasswordSame = jiti.Errorf(jiti.Invalid, "auth.password_same")
	// ErrSessionInvalid reports a session token that is unknown, revoked,
	// expired, idle too long, or of a disabled user: sign in again.
	ErrSessionInvalid = jiti.Errorf(jiti.Forbidden, "auth.session_invalid")
	// ErrTokenInvalid reports an API token that is unknown or revoked (by
	// hand, by a change of its user's password or by disabling its user).
	ErrTokenInvalid = jiti.Errorf(jiti.Forbidden, "auth.token_invalid")
	// ErrTokenExpired reports an API token past its expiry.
	ErrTokenExpired = jiti.Errorf(jiti.Forbidden, "auth.token_expired")
	// ErrTokenTTL reports a lifetime of a new token out of bounds, with
	// the longest in days.
	ErrTokenTTL = jiti.Errorf(jiti.Invalid, "api_token.expires")
	// ErrTokenTTLFormat reports a lifetime that is not a number of days.
	ErrTokenTTLFormat = jiti.Errorf(jiti.Invalid, "api_token.expires_format")
	// ErrDisableSelf reports an administrator disabling themself, which
	// could leave nobody to undo it.
	ErrDisableSelf = jiti.Errorf(jiti.Conflict, "user.disable_self")
)

// credentials are what signing in reads of a user.
type credentials struct {
	id       jiti.UserID
	name     string
	hash     string
	disabled bool
}

func readCredentials(ctx context.Context, q querier, where string, arg any) (*credentials, error) {
	var c credentials
	err := q.queryRow(ctx, `SELECT id, name, password_hash, is_disabled FROM users `+where, arg).
		Scan(&c.id, &c.name, &c.hash, &c.disabled)
	if err != nil {
		return nil, notFound(err, "user", arg)
	}
	return &c, nil
}

// passwordMatches checks pw against c's hash. A user without a password
// (or an unknown one, c nil) takes as long as one with, and fails.
func passwordMatches(c *credentials, pw string) (bool, error) {
	if c == nil || c.hash == "" {
		auth.CheckDummy(pw)
		return false, nil
	}
	ok, err := auth.CheckPassword(c.hash, pw)
	if err != nil {
		return false, fmt.Errorf("user %d: %w", c.id, err)
	}
	return ok, nil
}

// Authenticate checks a user's name and password and returns the user.
// An unknown name, a wrong password, a user without a password and a
// disabled user all get ErrAuthFailed, in about the same time (an unknown
// name still costs a hash, and counts as a failure the same way). Each
// refusal counts against the name and the client address remoteAddr by
// the rule of package auth: while the address, or the name for an address
// that has failed, must wait, the answer is ErrAuthWait with the seconds
// left, whatever the password; a refusal that starts a wait is
// ErrAuthFailedWait with its seconds. A right password clears the name's
// count.
func (db *DB) Authenticate(ctx context.Context, name, password, remoteAddr string) (*jiti.User, error) {
	name = strings.TrimSpace(name)
	s := newSignin(name, remoteAddr)
	if err := db.checkSignin(ctx, s, db.now()); err != nil {
		return nil, err
	}
	c, err := readCredentials(ctx, db.reader(), `WHERE name = ?`, name)
	if errors.Is(err, jiti.ErrNotFound) {
		c, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	ok, err := passwordMatches(c, password)
	if err != nil {
		return nil, err
	}
	if !ok || c.disabled {
		var user jiti.UserID
		if c != nil {
			user = c.id
		}
		wait, err := db.countFailure(ctx, s, user, remoteAddr)
		if err != nil {
			return nil, err
		}
		return nil, refused(wait)
	}
	if s.nameFailed {
		if err := db.tx(ctx, func(tx *Tx) error { return tx.clearName(ctx, c.name) }); err != nil {
			return nil, err
		}
	}
	return findUser(ctx, db.reader(), `WHERE id = ?`, int64(c.id))
}

// SetPassword sets a user's password: the user's own, or, by a county
// administrator, that of any user in the administrator's scope (anyone
// else's reads as not found). The password must meet the policy
// (auth.ValidatePassword). An administrator's reset also ends all the
// user's sessions. A new password in place of one the user had ends the
// user's API tokens, and clears the failures counted against the name.
// The audit event records who set it, never the hash.
func (db *DB) SetPassword(ctx context.Context, by, user jiti.UserID, password string) error {
	if err := auth.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *Tx) error {
		_, target, err := tx.userAdmin(ctx, by, user, "user.password")
		if err != nil {
			return err
		}
		var old string
		if err := tx.queryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, int64(target.ID)).Scan(&old); err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?`,
			hash, timeArg(tx.now), int64(target.ID)); err != nil {
			return err
		}
		revoked, ended := 0, 0
		if by != user {
			if revoked, err = tx.revokeSessions(ctx, target.ID, ""); err != nil {
				return err
			}
		}
		if old != "" {
			if ended, err = tx.endTokens(ctx, target.ID, tokenEndPassword); err != nil {
				return err
			}
		}
		if err := tx.clearName(ctx, target.Name); err != nil {
			return err
		}
		return tx.audit(ctx, by, "user.password", "user", target.ID, 0, nil,
			map[string]any{"reset": by != user, "sessions_revoked": revoked, "tokens_ended": ended})
	})
}

// ChangePassword changes a user's own password, given the current one: a
// wrong one is ErrOldPassword at "old_password" and counts as a failed
// sign-in from remoteAddr (and waits like one, ErrAuthWait), so a session
// left open does not let anyone guess it; a new one against the policy,
// or equal to the old, is refused at "new_password". The user's API
// tokens end. Sessions go on; the web rotates the current one
// (RevokeOtherSessions, or RevokeSessions and CreateSession).
func (db *DB) ChangePassword(ctx context.Context, user jiti.UserID, old, new, remoteAddr string) error {
	if err := auth.ValidatePassword(new); err != nil {
		return refield(err, "new_password")
	}
	c, err := readCredentials(ctx, db.reader(), `WHERE id = ?`, int64(user))
	if errors.Is(err, jiti.ErrNotFound) {
		return ErrNoActor
	}
	if err != nil {
		return err
	}
	if c.disabled {
		return jiti.ErrUserDisabled.With(c.name)
	}
	s := newSignin(c.name, remoteAddr)
	if err := db.checkSignin(ctx, s, db.now()); err != nil {
		return refield(err, "old_password")
	}
	ok, err := passwordMatches(c, old)
	if err != nil {
		return err
	}
	if !ok {
		if _, err := db.countFailure(ctx, s, c.id, remoteAddr); err != nil {
			return err
		}
		return ErrOldPassword.At("old_password")
	}
	if new == old {
		return ErrPasswordSame.At("new_password")
	}
	hash, err := auth.HashPassword(new)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *Tx) error {
		// The old hash in the condition: a password changed meanwhile
		// makes the old one given here wrong.
		res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ? AND password_hash = ?`,
			hash, timeArg(tx.now), int64(user), c.hash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return ErrOldPassword.At("old_password")
		}
		ended, err := tx.endTokens(ctx, user, tokenEndPassword)
		if err != nil {
			return err
		}
		if err := tx.clearName(ctx, c.name); err != nil {
			return err
		}
		return tx.audit(ctx, user, "user.password", "user", user, 0, nil, map[string]any{"reset": false, "tokens_ended": ended})
	})
}

// refield returns err naming field instead of its own.
func refield(err error, field string) error {
	e := jiti.AsError(err)
	if e == nil {
		return err
	}
	c := *e
	c.Field = field
	return &c
}

// userAdmin loads the actor and the user acted on: the actor themself, or
// a user in the scope of the actor, who must then be a county
// administrator. A user out of scope reads as not found.
func (t *Tx) userAdmin(ctx context.Context, by, user jiti.UserID, action string) (actor, target *jiti.User, err error) {
	actor, err = t.actor(ctx, by)
	if err != nil {
		return nil, nil, err
	}
	if by == user {
		return actor, actor, nil
	}
	if actor.Role != jiti.RoleCountyAdmin {
		return nil, nil, jiti.ErrRoleCannot.With(string(actor.Role), action)
	}
	target, err = findUser(ctx, t, `WHERE id = ?`, int64(user))
	if err != nil {
		return nil, nil, err
	}
	ok, err := t.manages(ctx, actor, target)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, jiti.ErrNotFound.With("user", int64(user))
	}
	return actor, target, nil
}

// manages reports whether the administrator's scope covers all of u's: an
// administrator of the whole deployment covers everyone; one of a region
// covers users whose region is inside it and whose collectives are all in
// the administrator's scope, and no user without a scope.
func (t *Tx) manages(ctx context.Context, admin, u *jiti.User) (bool, error) {
	if admin.ScopeRegion == "" && len(admin.ScopeCollectives) == 0 {
		return true, nil
	}
	if u.ScopeRegion == "" && len(u.ScopeCollectives) == 0 {
		return false, nil
	}
	if u.ScopeRegion != "" && (admin.ScopeRegion == "" || !jiti.RegionContains(admin.ScopeRegion, u.ScopeRegion)) {
		return false, nil
	}
	for _, cid := range u.ScopeCollectives {
		var region string
		if err := t.queryRow(ctx, `SELECT region_code FROM collectives WHERE id = ?`, cid).Scan(&region); err != nil {
			return false, notFound(err, "collective", cid)
		}
		if !inScope(admin, cid, region) {
			return false, nil
		}
	}
	return true, nil
}

// SetUserDisabled disables or enables a user, by a county administrator
// whose scope covers the user. Disabling ends the user's sessions and API
// tokens, which enabling again does not revive. An administrator cannot
// disable themself.
func (db *DB) SetUserDisabled(ctx context.Context, by, user jiti.UserID, disabled bool) error {
	return db.tx(ctx, func(tx *Tx) error {
		actor, target, err := tx.userAdmin(ctx, by, user, "user.disable")
		if err != nil {
			return err
		}
		if actor.Role != jiti.RoleCountyAdmin {
			return jiti.ErrRoleCannot.With(string(actor.Role), "user.disable")
		}
		if by == user && disabled {
			return ErrDisableSelf.With(actor.Name)
		}
		if target.Disabled == disabled {
			return nil
		}
		if err := tx.execOne(ctx, `UPDATE users SET is_disabled = ? WHERE id = ?`, disabled, int64(user)); err != nil {
			return err
		}
		action, extra := "user.enable", map[string]any{}
		if disabled {
			revoked, err := tx.revokeSessions(ctx, user, "")
			if err != nil {
				return err
			}
			ended, err := tx.endTokens(ctx, user, tokenEndDisabled)
			if err != nil {
				return err
			}
			action, extra = "user.disable", map[string]any{"sessions_revoked": revoked, "tokens_ended": ended}
		}
		return tx.auditRecord(ctx, by, action, userRecords, int64(user), 0, map[string]any{"disabled": !disabled}, extra)
	})
}

// Session is a signed-in session of the web, as its user may see it.
type Session struct {
	// ID is the first 12 hexadecimal digits of the token's digest: it names
	// the session in lists and the audit log, and signs nobody in.
	ID         string      `json:"id"`
	UserID     jiti.UserID `json:"user_id"`
	CreatedAt  time.Time   `json:"created_at"`
	ExpiresAt  time.Time   `json:"expires_at"` // the absolute end
	LastSeenAt time.Time   `json:"last_seen_at"`
	EndsAt     time.Time   `json:"ends_at"` // the earlier of ExpiresAt and LastSeenAt + SessionIdle
	UserAgent  string      `json:"user_agent,omitempty"`
	RemoteAddr string      `json:"remote_addr,omitempty"`
	revokedAt  time.Time
	hash       string
}

// live reports whether the session may still be used at now.
func (s *Session) live(now time.Time) bool {
	return s.revokedAt.IsZero() && now.Before(s.EndsAt)
}

func sessionID(hash string) string { return hash[:12] }

const sessionColumns = `token_hash, user_id, created_at, expires_at, last_seen_at, revoked_at, user_agent, remote_addr`

func scanSession(sc interface{ Scan(...any) error }) (*Session, error) {
	var s Session
	if err := sc.Scan(&s.hash, &s.UserID, dbTime{&s.CreatedAt}, dbTime{&s.ExpiresAt}, dbTime{&s.LastSeenAt},
		dbTime{&s.revokedAt}, &s.UserAgent, &s.RemoteAddr); err != nil {
		return nil, err
	}
	s.ID = sessionID(s.hash)
	s.EndsAt = s.ExpiresAt
	if idle := s.LastSeenAt.Add(SessionIdle); idle.Before(s.EndsAt) {
		s.EndsAt = idle
	}
	return &s, nil
}

// userSessions returns every session row of a user, the newest first.
func userSessions(ctx context.Context, q querier, user jiti.UserID) ([]*Session, error) {
	rows, err := q.query(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE user_id = ?`, int64(user))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *Session) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.hash, b.hash)
	})
	return out, rows.Err()
}

// revokeSessions ends the user's live sessions but the one with digest
// keep, and returns how many it ended.
func (t *Tx) revokeSessions(ctx context.Context, user jiti.UserID, keep string) (int, error) {
	ss, err := userSessions(ctx, t, user)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range ss {
		if s.hash == keep || !s.live(t.now) {
			continue
		}
		if _, err := t.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE token_hash = ?`, timeArg(t.now), s.hash); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// CreateSession signs a user in: it returns a new session token for the
// cookie, valid for ttl (SessionTTL when ttl is not positive) and ended
// sooner by SessionIdle without use. The user must exist and not be
// disabled; Authenticate checks the password first. The user's ended
// sessions are deleted. The user agent and address are kept for the
// user's list of sessions and the audit log.
func (db *DB) CreateSession(ctx context.Context, user jiti.UserID, ttl time.Duration, userAgent, remoteAddr string) (string, error) {
	if ttl <= 0 {
		ttl = SessionTTL
	}
	token, hash := auth.NewToken()
	userAgent, remoteAddr = clipText(userAgent, 256), clipText(remoteAddr, 64)
	err := db.tx(ctx, func(tx *Tx) error {
		u, err := tx.actor(ctx, user)
		if err != nil {
			return err
		}
		ss, err := userSessions(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		for _, s := range ss {
			if !s.live(tx.now) {
				if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, s.hash); err != nil {
					return err
				}
			}
		}
		expires := tx.now.Add(ttl)
		if _, err := tx.exec(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)`,
			hash, int64(u.ID), timeArg(tx.now), timeArg(expires), timeArg(tx.now), userAgent, remoteAddr); err != nil {
			return err
		}
		return tx.audit(ctx, u.ID, "session.create", "session", sessionID(hash), 0, nil,
			map[string]any{"expires_at": expires, "user_agent": userAgent, "remote_addr": remoteAddr})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// SessionUser returns the user of a session token, or ErrSessionInvalid
// when the session is unknown, revoked, past its end or idle end, or its
// user is disabled. Using a session moves its idle end; the time is
// written at most once a minute, so most requests only read.
func (db *DB) SessionUser(ctx context.Context, token string) (*jiti.User, error) {
	if token == "" {
		return nil, ErrSessionInvalid
	}
	hash := auth.TokenHash(token)
	r := db.reader()
	s, err := scanSession(r.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ?`, hash))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrSessionInvalid
		}
		return nil, err
	}
	now := db.now()
	if !s.live(now) {
		return nil, ErrSessionInvalid
	}
	u, err := findUser(ctx, r, `WHERE id = ?`, int64(s.UserID))
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrSessionInvalid
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		// Bookkeeping, not an act: not audited.
		err := db.tx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND revoked_at IS NULL`, timeArg(tx.now), hash)
			return err
		})
		// A full disk must not sign everyone out: pages that only read
		// go on without the bookkeeping.
		if err != nil && !errors.Is(err, ErrDiskFull) {
			return nil, err
		}
	}
	return u, nil
}

// RevokeSession signs a session out. An unknown or already ended token is
// not an error: signing out twice is signing out.
func (db *DB) RevokeSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	hash := auth.TokenHash(token)
	return db.tx(ctx, func(tx *Tx) error {
		s, err := scanSession(tx.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ?`, hash))
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			return err
		}
		if !s.revokedAt.IsZero() {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE token_hash = ?`, timeArg(tx.now), hash); err != nil {
			return err
		}
		return tx.audit(ctx, s.UserID, "session.revoke", "session", s.ID, 0, nil, nil)
	})
}

// RevokeOtherSessions ends every session of the token's user but the
// token's own, as after a change of password, and returns how many it
// ended. The token must be a live session.
func (db *DB) RevokeOtherSessions(ctx context.Context, token string) (int, error) {
	hash := auth.TokenHash(token)
	n := 0
	err := db.tx(ctx, func(tx *Tx) error {
		s, err := scanSession(tx.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ?`, hash))
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrSessionInvalid
			}
			return err
		}
		if !s.live(tx.now) {
			return ErrSessionInvalid
		}
		if n, err = tx.revokeSessions(ctx, s.UserID, hash); err != nil {
			return err
		}
		return tx.audit(ctx, s.UserID, "session.revoke_others", "user", s.UserID, 0, nil,
			map[string]any{"kept": s.ID, "sessions_revoked": n})
	})
	return n, err
}

// RevokeSessions ends all of a user's sessions, by the user or by a county
// administrator whose scope covers the user, and returns how many it
// ended.
func (db *DB) RevokeSessions(ctx context.Context, by, user jiti.UserID) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *Tx) error {
		_, target, err := tx.userAdmin(ctx, by, user, "user.sessions")
		if err != nil {
			return err
		}
		if n, err = tx.revokeSessions(ctx, target.ID, ""); err != nil {
			return err
		}
		return tx.audit(ctx, by, "session.revoke_all", "user", target.ID, 0, nil, map[string]any{"sessions_revoked": n})
	})
	return n, err
}

// Sessions lists a user's live sessions, the newest first.
func (db *DB) Sessions(ctx context.Context, user jiti.UserID) ([]Session, error) {
	ss, err := userSessions(ctx, db.reader(), user)
	if err != nil {
		return nil, err
	}
	now := db.now()
	out := []Session{}
	for _, s := range ss {
		if s.live(now) {
			out = append(out, *s)
		}
	}
	return out, nil
}

// APIToken is a token a program uses to act for a user, as the user may
// see it; the token itself is shown once, by CreateAPIToken.
type APIToken struct {
	ID        int64       `json:"id"`
	UserID    jiti.UserID `json:"user_id"`
	Name      string      `json:"name"`
	CreatedAt time.Time   `json:"created_at"`
	// ExpiresAt is when the token stops working: the expiry it was made
	// with, or sooner when the deployment's longest lifetime
	// (DB.TokenMaxTTL) has been lowered since.
	ExpiresAt    time.Time `json:"expires_at"`
	LastUsedAt   time.Time `json:"last_used_at,omitzero"`
	LastUsedAddr string    `json:"last_used_addr,omitempty"`
	RevokedAt    time.Time `json:"revoked_at,omitzero"`
	// EndedBy says why a revoked token was: "" by hand, "password" by a
	// change of its user's password, "disabled" by disabling its user.
	EndedBy string `json:"ended_by,omitempty"`
}

// Why tokens end other than by hand (api_tokens.revoked_reason).
const (
	tokenEndPassword = "password"
	tokenEndDisabled = "disabled"
)

// Revoked reports whether the token has been revoked.
func (t *APIToken) Revoked() bool { return !t.RevokedAt.IsZero() }

// Live reports whether the token may be used at now.
func (t *APIToken) Live(now time.Time) bool { return !t.Revoked() && now.Before(t.ExpiresAt) }

// State names the token's state at now by a catalog key, with the time it
// began ("cli.token_revoked_at" and when), or "web.active" and its expiry.
func (t *APIToken) State(now time.Time) (key string, at time.Time) {
	switch {
	case t.Revoked() && t.EndedBy == tokenEndPassword:
		return "cli.token_ended_password", t.RevokedAt
	case t.Revoked() && t.EndedBy == tokenEndDisabled:
		return "cli.token_ended_disabled", t.RevokedAt
	case t.Revoked():
		return "cli.token_revoked_at", t.RevokedAt
	case !now.Before(t.ExpiresAt):
		return "cli.token_expired_at", t.ExpiresAt
	}
	return "web.active", t.ExpiresAt
}

const apiTokenColumns = `id, user_id, name, created_at, expires_at, last_used_at, last_used_addr, revoked_at, revoked_reason`

// scanAPIToken reads a token, its expiry brought within the deployment's
// longest lifetime.
func (db *DB) scanAPIToken(sc interface{ Scan(...any) error }) (*APIToken, error) {
	var t APIToken
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, dbTime{&t.CreatedAt}, dbTime{&t.ExpiresAt}, dbTime{&t.LastUsedAt},
		&t.LastUsedAddr, dbTime{&t.RevokedAt}, &t.EndedBy); err != nil {
		return nil, err
	}
	if latest := t.CreatedAt.Add(db.LongestTokenTTL()); t.ExpiresAt.IsZero() || latest.Before(t.ExpiresAt) {
		t.ExpiresAt = latest
	}
	return &t, nil
}

// LongestTokenTTL is the longest lifetime of an API token in this
// deployment.
func (db *DB) LongestTokenTTL() time.Duration {
	if db.TokenMaxTTL > 0 {
		return db.TokenMaxTTL
	}
	return DefaultTokenMaxTTL
}

// ParseTokenTTL reads a token's lifetime as its maker gives it: a number
// of days, with or without a "d" ("30d", "30"); "" is none (the default).
// Its bounds are CreateAPIToken's to check.
func ParseTokenTTL(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(s, "d"), "D"))
	if err != nil || n < 1 || n > 100*366 {
		return 0, ErrTokenTTLFormat.With(s)
	}
	return time.Duration(n) * 24 * time.Hour, nil
}

// CreateAPIToken makes a new API token for the acting user, named so the
// user can tell tokens apart, and returns the token: it is not kept and
// cannot be shown again. It lives ttl (DefaultTokenTTL when 0, or the
// deployment's longest if shorter): from a day to the longest
// (ErrTokenTTL at "expires").
func (db *DB) CreateAPIToken(ctx context.Context, by jiti.UserID, name string, ttl time.Duration) (token string, id int64, err error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", 0, jiti.ErrRequired.At("name")
	}
	if utf8.RuneCountInString(name) > maxTokenName {
		return "", 0, jiti.ErrTooLong.With(maxTokenName).At("name")
	}
	longest := db.LongestTokenTTL()
	if ttl == 0 {
		ttl = min(DefaultTokenTTL, longest)
	}
	if ttl < 24*time.Hour || ttl > longest {
		return "", 0, ErrTokenTTL.With(int(longest / (24 * time.Hour))).At("expires")
	}
	token, hash := auth.NewToken()
	err = db.tx(ctx, func(tx *Tx) error {
		u, err := tx.actor(ctx, by)
		if err != nil {
			return err
		}
		expires := tx.now.Add(ttl)
		if err := tx.queryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			int64(u.ID), name, hash, timeArg(tx.now), timeArg(expires)).Scan(&id); err != nil {
			return err
		}
		return tx.audit(ctx, by, "api_token.create", "api_token", id, 0, nil,
			map[string]any{"name": name, "user_id": u.ID, "expires_at": expires})
	})
	if err != nil {
		return "", 0, err
	}
	return token, id, nil
}

// APITokenUser returns the user of an API token used from remoteAddr, or
// ErrTokenInvalid when the token is unknown or revoked (by hand, a change
// of password, disabling) or its user is disabled, ErrTokenExpired when it
// is past its expiry. Its last use and the address of it are written when
// a minute has passed since the last written, or the address changed.
func (db *DB) APITokenUser(ctx context.Context, token, remoteAddr string) (*jiti.User, error) {
	if token == "" {
		return nil, ErrTokenInvalid
	}
	r := db.reader()
	t, err := db.scanAPIToken(r.queryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE token_hash = ?`, auth.TokenHash(token)))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrTokenInvalid
		}
		return nil, err
	}
	now := db.now()
	if t.Revoked() {
		return nil, ErrTokenInvalid
	}
	if !t.Live(now) {
		return nil, ErrTokenExpired
	}
	u, err := findUser(ctx, r, `WHERE id = ?`, int64(t.UserID))
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, ErrTokenInvalid
	}
	remoteAddr = clipText(remoteAddr, 64)
	if t.LastUsedAt.IsZero() || now.Sub(t.LastUsedAt) >= touchEvery || t.LastUsedAddr != remoteAddr {
		// Bookkeeping, not an act: not audited.
		err := db.tx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ?, last_used_addr = ? WHERE id = ?`,
				timeArg(tx.now), remoteAddr, t.ID)
			return err
		})
		if err != nil && !errors.Is(err, ErrDiskFull) { // as in SessionUser
			return nil, err
		}
	}
	return u, nil
}

// RevokeAPIToken revokes an API token, by its user or by a county
// administrator whose scope covers its user; anyone else's token reads as
// not found. Revoking a revoked token does nothing.
func (db *DB) RevokeAPIToken(ctx context.Context, by jiti.UserID, id int64) error {
	return db.tx(ctx, func(tx *Tx) error {
		actor, err := tx.actor(ctx, by)
		if err != nil {
			return err
		}
		t, err := db.scanAPIToken(tx.queryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE id = ?`, id))
		if err != nil {
			return notFound(err, "api_token", id)
		}
		if t.UserID != actor.ID {
			if _, _, err := tx.userAdmin(ctx, by, t.UserID, "api_token.revoke"); err != nil {
				if errors.Is(err, jiti.ErrRoleCannot) || errors.Is(err, jiti.ErrNotFound) {
					return jiti.ErrNotFound.With("api_token", id)
				}
				return err
			}
		}
		if t.Revoked() {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, timeArg(tx.now), id); err != nil {
			return err
		}
		return tx.audit(ctx, by, "api_token.revoke", "api_token", id, 0, nil, map[string]any{"name": t.Name, "user_id": t.UserID})
	})
}

// endTokens revokes the user's live API tokens for reason (a change of
// password, disabling) and returns how many it ended. Tokens already
// expired are left as they are, so their list still says they expired.
func (t *Tx) endTokens(ctx context.Context, user jiti.UserID, reason string) (int, error) {
	ts, err := t.db.apiTokens(ctx, t, user)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, tk := range ts {
		if !tk.Live(t.now) {
			continue
		}
		if _, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = ?, revoked_reason = ? WHERE id = ?`,
			timeArg(t.now), reason, tk.ID); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// APITokens lists a user's API tokens, revoked and expired ones included,
// by id.
func (db *DB) APITokens(ctx context.Context, user jiti.UserID) ([]APIToken, error) {
	return db.apiTokens(ctx, db.reader(), user)
}

func (db *DB) apiTokens(ctx context.Context, q querier, user jiti.UserID) ([]APIToken, error) {
	rows, err := q.query(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id`, int64(user))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []APIToken{}
	for rows.Next() {
		t, err := db.scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// clipText cuts s to at most n characters, for what clients send
// unchecked (user agents, addresses).
func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

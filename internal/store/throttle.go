package store

import (
	"context"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/auth"
)

// Counting refused sign-ins, per client address and per name typed, with
// the waits of package auth's rule. The counts live in signin_failures;
// reading them costs a query on the read pool, and only a refusal (or a
// success after failures of the name) writes.

// ErrAuthWait refuses a sign-in that comes before its wait has passed,
// with the seconds left; the password is not even checked. ErrAuthFailedWait
// is a refusal that starts (or lengthens) a wait, with its seconds.
var (
	ErrAuthWait       = jiti.Errorf(jiti.Forbidden, "auth.wait")
	ErrAuthFailedWait = jiti.Errorf(jiti.Forbidden, "auth.failed_wait")
)

// Kinds of count in signin_failures.
const (
	countAddr = "addr"
	countName = "name"
)

// signin is one attempt to sign in as its counts see it.
type signin struct {
	name, addr string // the keys: auth.NameKey, auth.ClientKey
	addrFailed bool   // the address has failures not yet forgotten
	nameFailed bool   // so has the name
	until      time.Time
}

func newSignin(name, remoteAddr string) *signin {
	return &signin{name: auth.NameKey(name), addr: auth.ClientKey(remoteAddr)}
}

// secondsLeft rounds the time to until up to whole seconds, at least one.
func secondsLeft(now, until time.Time) int {
	return max(1, int((until.Sub(now)+time.Second-1)/time.Second))
}

// check reads the counts of s and reports ErrAuthWait when s must wait:
// for its address's wait, and, if the address has failed itself, for its
// name's.
func (db *DB) checkSignin(ctx context.Context, s *signin, now time.Time) error {
	rows, err := db.reader().query(ctx, `SELECT kind, last_failed_at, wait_until FROM signin_failures
WHERE (kind = ? AND subject = ?) OR (kind = ? AND subject = ?)`, countAddr, s.addr, countName, s.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	var addrUntil, nameUntil time.Time
	for rows.Next() {
		var kind string
		var last, until int64
		if err := rows.Scan(&kind, &last, &until); err != nil {
			return err
		}
		if now.Sub(time.UnixMilli(last)) >= auth.ForgetAfter {
			continue
		}
		if kind == countAddr {
			s.addrFailed, addrUntil = true, time.UnixMilli(until)
		} else {
			s.nameFailed, nameUntil = true, time.UnixMilli(until)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if s.addrFailed {
		s.until = addrUntil
		if nameUntil.After(s.until) {
			s.until = nameUntil
		}
	}
	if now.Before(s.until) {
		return ErrAuthWait.With(secondsLeft(now, s.until))
	}
	return nil
}

// countFailure counts a refusal against s's address and name, deletes the
// counts forgotten, and audits it. It returns the wait
// the refusal starts for the address (which has now failed, and so also
// waits for the name), or 0.
func (db *DB) countFailure(ctx context.Context, s *signin, user jiti.UserID, remoteAddr string) (time.Duration, error) {
	var wait time.Duration
	err := db.tx(ctx, func(tx *Tx) error {
		now := tx.now.UnixMilli()
		if _, err := tx.exec(ctx, `DELETE FROM signin_failures WHERE last_failed_at < ?`,
			now-auth.ForgetAfter.Milliseconds()); err != nil {
			return err
		}
		na, err := tx.addFailure(ctx, countAddr, s.addr, auth.AddrWait)
		if err != nil {
			return err
		}
		nn, err := tx.addFailure(ctx, countName, s.name, auth.NameWait)
		if err != nil {
			return err
		}
		wait = max(auth.AddrWait(na), auth.NameWait(nn))
		// Nobody known did it: the event names the user signed in as, or,
		// for a name nobody has, the name's count (by the start of its
		// digest, never the name: it may be a password typed in the wrong
		// field). Both write the same, so both take the same time.
		entity, id := "user", any(user)
		if user == 0 {
			entity, id = "signin_name", s.name[:12]
		}
		return tx.audit(ctx, 0, "auth.failed", entity, id, 0, nil,
			map[string]any{"addr_failures": na, "name_failures": nn, "wait_seconds": int(wait / time.Second),
				"remote_addr": clipText(remoteAddr, 64)})
	})
	return wait, err
}

// addFailure adds a failure to a count, started again when forgotten, and
// sets its wait; it returns the count.
func (t *Tx) addFailure(ctx context.Context, kind, subject string, wait func(int) time.Duration) (int, error) {
	now := t.now.UnixMilli()
	var n int
	err := t.queryRow(ctx, `INSERT INTO signin_failures (kind, subject, failures, last_failed_at, wait_until) VALUES (?, ?, 1, ?, 0)
ON CONFLICT (kind, subject) DO UPDATE SET
    failures = CASE WHEN signin_failures.last_failed_at < ? THEN 1 ELSE signin_failures.failures + 1 END,
    last_failed_at = excluded.last_failed_at
RETURNING failures`, kind, subject, now, now-auth.ForgetAfter.Milliseconds()).Scan(&n)
	if err != nil {
		return 0, err
	}
	_, err = t.exec(ctx, `UPDATE signin_failures SET wait_until = ? WHERE kind = ? AND subject = ?`,
		t.now.Add(wait(n)).UnixMilli(), kind, subject)
	return n, err
}

// clearName forgets the failures of a name: its password was right, or
// has been set anew.
func (t *Tx) clearName(ctx context.Context, name string) error {
	_, err := t.exec(ctx, `DELETE FROM signin_failures WHERE kind = ? AND subject = ?`, countName, auth.NameKey(name))
	return err
}

// refused is the answer to a refused sign-in: ErrAuthFailed, with the wait
// it started if any.
func refused(wait time.Duration) error {
	if wait > 0 {
		return ErrAuthFailedWait.With(int((wait + time.Second - 1) / time.Second))
	}
	return ErrAuthFailed
}

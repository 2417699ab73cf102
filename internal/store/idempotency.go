package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"example.org/jiti"
)

// Idempotency keys: the API keeps the answer of a POST sent with an
// Idempotency-Key for a day, so the same request sent again (the client's
// connection dropped before the answer came) gets the first answer and
// makes no second voucher. A key is its user's own. The answer is kept as
// the API wrote it; the store knows nothing of HTTP beyond a status
// number, a location and a body it does not read.

// IdempotencyTTL is how long a key's answer is kept.
const IdempotencyTTL = 24 * time.Hour

// idempotencyStale is how long a key may stay reserved with no answer
// before it is taken to be abandoned (its process ended mid-request) and
// the request may run again.
const idempotencyStale = time.Minute

// Errors of idempotency keys.
var (
	ErrIdempotencyMismatch = jiti.Errorf(jiti.Invalid, "api.idempotency_mismatch")
	ErrIdempotencyBusy     = jiti.Errorf(jiti.Conflict, "api.idempotency_busy")
)

// IdempotentAnswer is the first answer to a request with a key.
type IdempotentAnswer struct {
	Status   int
	Location string
	Body     []byte
}

// ReserveIdempotencyKey claims user's key for the request of hash. It
// returns the first answer when the key already has one for the same
// request (within IdempotencyTTL); nil when the key is now reserved and
// the request is to run (then SaveIdempotentAnswer or
// ReleaseIdempotencyKey must follow). The same key for another request is
// ErrIdempotencyMismatch; a key whose first request still runs is
// ErrIdempotencyBusy. Both errors name the key.
func (db *DB) ReserveIdempotencyKey(ctx context.Context, user jiti.UserID, key, hash string) (*IdempotentAnswer, error) {
	var out *IdempotentAnswer
	err := db.tx(ctx, func(tx *Tx) error {
		now := tx.now.UnixMilli()
		if _, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, now-IdempotencyTTL.Milliseconds()); err != nil {
			return err
		}
		var (
			h, loc, body string
			status       int
			created      int64
		)
		err := tx.queryRow(ctx, `SELECT request_hash, status, location, body, created_at FROM idempotency_keys WHERE user_id = ? AND idem_key = ?`,
			int64(user), key).Scan(&h, &status, &loc, &body, &created)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err := tx.exec(ctx, `INSERT INTO idempotency_keys (user_id, idem_key, request_hash, created_at) VALUES (?, ?, ?, ?)`,
				int64(user), key, hash, now)
			return err
		case err != nil:
			return err
		case h != hash:
			return ErrIdempotencyMismatch.With(key).At("Idempotency-Key")
		case status != 0:
			out = &IdempotentAnswer{Status: status, Location: loc, Body: []byte(body)}
			return nil
		case now-created < idempotencyStale.Milliseconds():
			return ErrIdempotencyBusy.With(key).At("Idempotency-Key")
		}
		// Reserved long ago and never answered: the request runs again.
		_, err = tx.exec(ctx, `UPDATE idempotency_keys SET created_at = ? WHERE user_id = ? AND idem_key = ?`, now, int64(user), key)
		return err
	})
	return out, err
}

// SaveIdempotentAnswer keeps the answer of the request that reserved key.
func (db *DB) SaveIdempotentAnswer(ctx context.Context, user jiti.UserID, key string, a IdempotentAnswer) error {
	return db.tx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE idempotency_keys SET status = ?, location = ?, body = ? WHERE user_id = ? AND idem_key = ? AND status = 0`,
			a.Status, a.Location, string(a.Body), int64(user), key)
		return err
	})
}

// ReleaseIdempotencyKey frees a key whose request failed on the server's
// side (a 5xx), so that the same request may be tried again at once.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, user jiti.UserID, key string) error {
	return db.tx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND status = 0`, int64(user), key)
		return err
	})
}

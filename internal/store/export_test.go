package store

import "context"

// FillFingerprints runs, for a test, what the migration that adds voucher
// fingerprints runs after its SQL.
func FillFingerprints(db *DB) error {
	ctx := context.Background()
	return db.tx(ctx, func(tx *Tx) error { return fillFingerprints(ctx, tx) })
}

// HoldWrite runs fn inside a write transaction of db, for tests of what
// waits behind one.
func HoldWrite(db *DB, fn func()) error {
	return db.tx(context.Background(), func(*Tx) error { fn(); return nil })
}

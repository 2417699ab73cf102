package store

import "context"

// FillFingerprints runs, for a test, what the migration that adds voucher
// fingerprints runs after its SQL.
func FillFingerprints(db *DB) error {
	ctx := context.Background()
	return db.tx(ctx, func(tx *Tx) error { return fillFingerprints(ctx, tx) })
}

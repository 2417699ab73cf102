package store

import "context"

// FillFingerprints runs, for a test, what the migration that adds voucher
// fingerprints runs after its SQL.
func FillFingerprints(db *DB) error {
	ctx := context.Background()
	return db.tx(ctx, func(tx *Tx) error { return fillFingerprints(ctx, tx) })
}

// DSN returns the database's file or URL, for a test that opens it twice
// as two processes would.
func DSN(db *DB) string { return db.dsn }

// CommitMark returns the database's commit mark (revision.go).
func CommitMark(db *DB) (string, error) { return db.commits.mark(context.Background(), db) }

// KeptRevision reports whether region's revision is kept at the current
// commit mark, so that reading it costs no sum.
func KeptRevision(db *DB, region string) (bool, error) {
	mark, err := CommitMark(db)
	if err != nil {
		return false, err
	}
	_, ok := db.commits.revision(region, mark)
	return ok, nil
}

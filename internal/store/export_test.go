package store

import (
	"context"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

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

// HoldWrite runs fn inside a write transaction of db, for tests of what
// waits behind one.
func HoldWrite(db *DB, fn func()) error {
	return db.tx(context.Background(), func(*Tx) error { fn(); return nil })
}

// BulkInsertFrom runs bulkInsertFrom in a transaction of db, for tests of
// bulk loads: row fills and returns the same slice for each of n rows.
func BulkInsertFrom(db *DB, table string, cols []string, n int, row func(i int, dst []any) []any) error {
	ctx := context.Background()
	return db.tx(ctx, func(tx *Tx) error {
		dst := make([]any, len(cols))
		i := 0
		return tx.bulkInsertFrom(ctx, table, cols, func() []any {
			if i == n {
				return nil
			}
			i++
			return row(i-1, dst[:0])
		})
	})
}

// ReserveIDs runs reserveIDs in a transaction of db.
func ReserveIDs(db *DB, table string, n int) (ids []int64, err error) {
	ctx := context.Background()
	err = db.tx(ctx, func(tx *Tx) error {
		ids, err = tx.reserveIDs(ctx, table, n)
		return err
	})
	return ids, err
}

// MovementsSince is movementsSince, read as a trial balance reads it.
func MovementsSince(db *DB, cid int64, cut, to jiti.Period) ([]ledger.Movement, error) {
	return movementsSince(context.Background(), db.reader(), cid, cut, to)
}

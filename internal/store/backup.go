package store

import (
	"context"
	"errors"
	"os"

	"example.org/jiti"
)

// Errors of backups.
var (
	ErrBackupExists   = jiti.Errorf(jiti.Conflict, "backup.exists")
	ErrBackupPostgres = jiti.Errorf(jiti.Invalid, "backup.postgres")
)

// Backup writes a consistent copy of a SQLite database to path: the books,
// the registers, the audit log and the scanned documents, as of one moment
// (VACUUM INTO, which also leaves the copy compact). Writers wait while it
// runs; readers do not. A PostgreSQL database is backed up with the
// server's own tools (pg_dump), which ErrBackupPostgres says.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.w == nil {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return ErrBackupExists.With(path).At("o")
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	db.w.mu.Lock()
	defer db.w.mu.Unlock()
	_, err := db.w.conn.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

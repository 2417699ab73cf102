package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"example.org/jiti"
)

//go:embed migrations
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the dialect's migrations in order. Both dialects have
// the same numbered files; a test holds them to that.
func (d dialect) migrations() ([]migration, error) {
	dir := path.Join("migrations", d.String())
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		var v int
		if _, err := fmt.Sscanf(e.Name(), "%04d_", &v); err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: bad migration file name %s", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, strings.TrimSuffix(e.Name(), ".sql"), string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrationSteps are the parts of migrations that SQL cannot do, run in
// the migration's transaction after its SQL.
var migrationSteps = map[int]func(context.Context, *Tx) error{
	7: chainAuditLog,    // hashes (SHA-256) the existing audit events into their chains
	8: fillFingerprints, // the fingerprints of vouchers made before, to flag repeats
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)`

// Migrate applies the migrations the database lacks, each in its own
// transaction, and returns the names of those applied. Migrating twice does
// nothing the second time.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	if err := db.tx(ctx, func(tx *Tx) error { return tx.execScript(ctx, createMigrationsTable) }); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	ms, err := db.dialect.migrations()
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range ms {
		err := db.tx(ctx, func(tx *Tx) error {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := tx.execScript(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if step := migrationSteps[m.version]; step != nil {
				if err := step(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
				}
			}
			if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, tx.now.Format("2006-01-02T15:04:05Z")); err != nil {
				return err
			}
			applied = append(applied, m.name)
			return nil
		})
		if err != nil {
			return applied, err
		}
	}
	return applied, nil
}

// ErrSchemaBehind reports a database that needs `jiti migrate`.
var ErrSchemaBehind = jiti.Errorf(jiti.Conflict, "store.schema_behind")

// ErrSchemaAhead reports a database migrated by a newer jiti.
var ErrSchemaAhead = jiti.Errorf(jiti.Conflict, "store.schema_ahead")

// checkSchema refuses a database whose schema is not exactly the program's.
func (db *DB) checkSchema(ctx context.Context) error {
	ms, err := db.dialect.migrations()
	if err != nil {
		return err
	}
	want := ms[len(ms)-1].version
	var have int
	err = db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have)
	if err != nil {
		// No migrations table: a new, empty database.
		return ErrSchemaBehind.With(0, want)
	}
	switch {
	case have < want:
		return ErrSchemaBehind.With(have, want)
	case have > want:
		return ErrSchemaAhead.With(have, want)
	}
	return nil
}

// SchemaVersion returns the number of the last migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Package storetest opens real, freshly migrated databases for tests: SQLite
// always, and PostgreSQL when JITI_TEST_POSTGRES holds the URL of a server
// (each test gets its own database, copied from a migrated template).
// With JITI_REQUIRE_POSTGRES=1, as CI sets it, a missing server fails the
// test instead of skipping the PostgreSQL half.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"example.org/jiti/internal/store"
)

// Key is the fixed key of test databases, for sealing identity numbers.
var Key = []byte("jiti-test-key-0123456789abcdef!!")

// Now is the fixed clock of test databases: 2025-12-31 10:00 UTC, so the
// whole of 2025 is in the past and may be closed.
var Now = time.Date(2025, 12, 31, 10, 0, 0, 0, time.UTC)

// OpenSQLite returns a fresh migrated SQLite database in a temporary
// directory, closed when the test ends. A file, not :memory:, because the
// store's reader and writer pools must share the database.
func OpenSQLite(t testing.TB) *store.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jiti.db")
	db, err := store.Open(context.Background(), path, store.Options{Migrate: true, Key: Key})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	db.Now = func() time.Time { return Now }
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL returns the server URL for PostgreSQL tests, or "" when there
// is none. It fails the test when a server is required but not given.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("JITI_TEST_POSTGRES")
	if u == "" && os.Getenv("JITI_REQUIRE_POSTGRES") == "1" {
		t.Fatal("JITI_REQUIRE_POSTGRES=1 but JITI_TEST_POSTGRES is empty: PostgreSQL tests cannot run")
	}
	return u
}

var (
	tmplOnce sync.Once
	tmplName string
	tmplErr  error
	dbSeq    atomic.Int64
)

// OpenPostgres returns a fresh migrated PostgreSQL database on the server at
// JITI_TEST_POSTGRES, dropped when the test ends; it skips the test when no
// server is configured (and fails it when one is required).
func OpenPostgres(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), PostgresDSN(t), store.Options{Key: Key})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	db.Now = func() time.Time { return Now }
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresDSN creates a fresh migrated PostgreSQL database as OpenPostgres
// does, and returns its URL, for a test that opens it itself.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	if base == "" {
		t.Skip("JITI_TEST_POSTGRES not set: skipping PostgreSQL")
	}
	ctx := context.Background()
	tmplOnce.Do(func() { tmplName, tmplErr = makeTemplate(ctx, base) })
	if tmplErr != nil {
		t.Fatalf("postgres template: %v", tmplErr)
	}
	name := fmt.Sprintf("jiti_t%d_%d", os.Getpid(), dbSeq.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+tmplName); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			a.Close()
		}
	})
	return withDatabase(base, name)
}

// makeTemplate creates and migrates the template database of this test
// process.
func makeTemplate(ctx context.Context, base string) (string, error) {
	name := fmt.Sprintf("jiti_tmpl_%d", os.Getpid())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return "", err
	}
	db, err := store.Open(ctx, withDatabase(base, name), store.Options{Migrate: true})
	if err != nil {
		return "", err
	}
	// A template must have no connections when it is copied.
	db.Close()
	return name, nil
}

// withDatabase returns the server URL base with its database set to name.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

// Each runs f once on SQLite and once on PostgreSQL (when configured), as
// subtests named "sqlite" and "postgres", each on a fresh database.
func Each(t *testing.T, f func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, OpenPostgres(t)) })
}

// Exec runs a statement directly on the database, behind the store's back,
// as tests of tampering need. Use ? placeholders.
func Exec(db *store.DB, query string, args ...any) error {
	return db.ExecRaw(context.Background(), query, args...)
}

// Query runs a read-only query directly on the database and calls fn for
// each row, for tests that inspect the schema or rows behind the store.
func Query(db *store.DB, query string, fn func(*sql.Rows) error) error {
	return db.QueryRaw(context.Background(), query, fn)
}

package store_test

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestDB_Migrate checks that a fresh database migrates cleanly and that
// migrating again does nothing, on both engines.
func TestDB_Migrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migration applied %v, want nothing", applied)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("schema version %d, %v", v, err)
		}
	})
}

// TestOpen_RefusesUnmigrated checks that a database whose schema is behind
// the program is refused at start, not used.
func TestOpen_RefusesUnmigrated(t *testing.T) {
	path := t.TempDir() + "/new.db"
	_, err := store.Open(context.Background(), path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "store.schema_behind") {
		t.Fatalf("open of an unmigrated database: %v, want store.schema_behind", err)
	}
}

// TestSchemaParity compares the tables and columns of the two dialects'
// migrated schemas, so that a migration written for one is not forgotten
// for the other.
func TestSchemaParity(t *testing.T) {
	base := storetest.PostgresURL(t)
	if base == "" {
		t.Skip("no PostgreSQL")
	}
	lite := storetest.OpenSQLite(t)
	pg := storetest.OpenPostgres(t)
	want := columns(t, lite, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	got := columns(t, pg, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`)
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("schemas differ:\nsqlite:\n%s\npostgres:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
}

func columns(t *testing.T, db *store.DB, query string) []string {
	t.Helper()
	var out []string
	err := storetest.Query(db, query, func(rows *sql.Rows) error {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return err
		}
		out = append(out, table+"."+col)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

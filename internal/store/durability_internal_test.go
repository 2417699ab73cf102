package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"example.org/jiti"
	"github.com/jackc/pgx/v5/pgconn"
)

// NoRoomLeft is noRoomLeft, for the tests of package store_test.
var NoRoomLeft = noRoomLeft

// TestDurableSettings: which values of each setting keep an acknowledged
// commit through a power cut, and what a refusal names.
func TestDurableSettings(t *testing.T) {
	good := map[string]string{"fsync": "on", "full_page_writes": "on", "synchronous_commit": "on"}
	with := func(name, v string) map[string]string {
		m := map[string]string{}
		for k, x := range good {
			m[k] = x
		}
		if v == "-" {
			delete(m, name)
		} else {
			m[name] = v
		}
		return m
	}
	tests := []struct {
		name    string
		want    durable
		got     map[string]string
		weak    []string // the settings refused
		showing string   // the value the first refusal shows
	}{
		{"postgres, the defaults", postgresDurable, good, nil, ""},
		{"synchronous_commit local", postgresDurable, with("synchronous_commit", "local"), nil, ""},
		{"synchronous_commit remote_write", postgresDurable, with("synchronous_commit", "remote_write"), nil, ""},
		{"synchronous_commit remote_apply", postgresDurable, with("synchronous_commit", "remote_apply"), nil, ""},
		{"synchronous_commit in capitals", postgresDurable, with("synchronous_commit", "ON"), nil, ""},
		{"synchronous_commit off", postgresDurable, with("synchronous_commit", "off"), []string{"synchronous_commit"}, "off"},
		{"fsync off", postgresDurable, with("fsync", "off"), []string{"fsync"}, "off"},
		{"full_page_writes off", postgresDurable, with("full_page_writes", "off"), []string{"full_page_writes"}, "off"},
		{"a setting not read", postgresDurable, with("fsync", "-"), []string{"fsync"}, "?"},
		{"all off", postgresDurable, map[string]string{"fsync": "off", "full_page_writes": "off", "synchronous_commit": "off"},
			[]string{"fsync", "full_page_writes", "synchronous_commit"}, "off"},
		{"sqlite, as jiti sets it", sqliteDurable, map[string]string{"journal_mode": "wal", "synchronous": "2"}, nil, ""},
		{"sqlite EXTRA", sqliteDurable, map[string]string{"journal_mode": "wal", "synchronous": "3"}, nil, ""},
		{"sqlite NORMAL", sqliteDurable, map[string]string{"journal_mode": "wal", "synchronous": "1"}, []string{"synchronous"}, "NORMAL"},
		{"sqlite OFF", sqliteDurable, map[string]string{"journal_mode": "wal", "synchronous": "0"}, []string{"synchronous"}, "OFF"},
		{"sqlite without WAL", sqliteDurable, map[string]string{"journal_mode": "delete", "synchronous": "2"}, []string{"journal_mode"}, "delete"},
		{"sqlite journal in memory", sqliteDurable, map[string]string{"journal_mode": "memory", "synchronous": "2"}, []string{"journal_mode"}, "memory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			weak := tt.want.weak("db", tt.got, "store.durability_fix_postgres")
			var names []string
			for _, w := range weak {
				je := w.Err()
				if !errors.Is(je, ErrWeakDurability) || je.Kind != jiti.Invalid || je.Args[0] != "db" || je.Args[1] != w.Name ||
					je.Args[4] != jiti.Term("store.durability_fix_postgres") {
					t.Errorf("refusal %#v", je)
				}
				names = append(names, w.Name)
			}
			if fmt.Sprint(names) != fmt.Sprint(tt.weak) {
				t.Fatalf("weak settings %v, want %v", names, tt.weak)
			}
			if len(weak) > 0 {
				if got := weak[0].Value; got != tt.showing {
					t.Errorf("the refusal shows the value %q, want %q", got, tt.showing)
				}
			}
		})
	}
	if got := sqliteDurable.weak("db", map[string]string{"journal_mode": "wal", "synchronous": "1"}, "x")[0].Want; got != "FULL, EXTRA" {
		t.Errorf("the refusal asks for %q, want FULL, EXTRA", got)
	}
}

// TestCheckDurability_SQLite: Open reads SQLite's settings back on the
// write connection, and a connection whose synchronous level was lowered
// behind jiti's back is refused, or kept and reported when told to run
// anyway.
func TestCheckDurability_SQLite(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "jiti.db"), Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.durabilitySettings(ctx)
	if err != nil || got["synchronous"] != "2" || got["journal_mode"] != "wal" {
		t.Fatalf("settings as opened: %v, %v; want synchronous 2 (FULL), journal_mode wal", got, err)
	}
	if len(db.Durability()) != 0 {
		t.Errorf("weak settings reported on a database opened as jiti opens it: %v", db.Durability())
	}
	if _, err := db.w.conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		t.Fatal(err)
	}
	err = db.checkDurability(ctx, false)
	if !errors.Is(err, ErrWeakDurability) || !strings.Contains(err.Error(), "synchronous") || !strings.Contains(err.Error(), "NORMAL") {
		t.Fatalf("synchronous=NORMAL: %v, want ErrWeakDurability naming it", err)
	}
	if err := db.checkDurability(ctx, true); err != nil {
		t.Fatalf("synchronous=NORMAL, run anyway: %v", err)
	}
	if w := db.Durability(); len(w) != 1 || w[0].Name != "synchronous" || w[0].Value != "NORMAL" {
		t.Errorf("Durability() = %v, want the synchronous setting", w)
	}
}

// TestDiskFullClassified: PostgreSQL's disk_full (53100), wrapped as the
// store wraps errors, is ErrDiskFull naming the database and not its
// password; other errors pass through as they are.
func TestDiskFullClassified(t *testing.T) {
	db := &DB{dialect: postgres, dsn: "postgres://jiti:s3cret@db.example:5432/county?sslmode=disable"}
	full := fmt.Errorf("commit: %w", &pgconn.PgError{Code: "53100", Message: `could not extend file "base/16384/16402": No space left on device`})
	err := db.diskFull(full)
	e := jiti.AsError(err)
	if !errors.Is(err, ErrDiskFull) || e.Kind != jiti.DiskFull || len(e.Args) != 1 || e.Args[0] != "county" {
		t.Fatalf("53100: %#v, want ErrDiskFull naming the database county", e)
	}
	if !strings.Contains(err.Error(), "db.example") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("logged as %q: want the server, not the password", err)
	}
	if again := db.diskFull(err); again != err {
		t.Errorf("classified twice: %v", again)
	}
	for _, other := range []error{
		nil,
		&pgconn.PgError{Code: "23505"},
		&pgconn.PgError{Code: "53200"}, // out of memory: not the disk
		&pgconn.PgError{Code: "40001"},
		errors.New("no space left on device"), // not from the database
	} {
		if got := db.diskFull(other); got != other {
			t.Errorf("%v classified as %v", other, got)
		}
	}
}

package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"example.org/jiti"
)

// jiti acknowledges a write only after its commit, and the commit must then
// survive a power cut. That rests on settings of the database: SQLite's are
// set by jiti (sqliteDSN), PostgreSQL's by the server's administrator. Open
// reads them back and refuses a database where they are weaker, unless told
// to run anyway (Options.UnsafeDurability); see doc/decisions.md.

// ErrWeakDurability reports a setting of the database that lets an
// acknowledged write be lost to a power cut or a crash of the operating
// system. Args: the database, the setting, its value, the values that
// would do, and what to do about it (a catalog term).
var ErrWeakDurability = jiti.Errorf(jiti.Invalid, "store.weak_durability")

// durable lists, for each setting jiti's guarantee rests on, the values
// that keep it.
type durable map[string][]string

// sqliteDurable: every commit syncs the write-ahead log (synchronous FULL or
// EXTRA; SQLite reports them as 2 and 3). WAL is what lets the readers go on
// beside the one writer, and what the FULL setting's meaning below assumes.
var sqliteDurable = durable{
	"journal_mode": {"wal"},
	"synchronous":  {"2", "3"},
}

// postgresDurable: the server flushes its write-ahead log before it
// answers a commit, and that flush reaches the disk. Every value of
// synchronous_commit but off waits for the local flush (remote_write and
// remote_apply wait for a standby besides, and on is local without one);
// off answers before, and a power cut loses the last commits. Without
// full_page_writes a page torn by a power cut cannot be repaired from the
// log, and the database may not come back at all.
var postgresDurable = durable{
	"fsync":              {"on"},
	"full_page_writes":   {"on"},
	"synchronous_commit": {"on", "remote_apply", "remote_write", "local"},
}

// WeakSetting is a setting of a database weaker than jiti's guarantee.
type WeakSetting struct {
	Database string // DB.Location
	Name     string // "synchronous_commit"
	Value    string // as the database has it: "off"
	Want     string // the values that would do: "on, remote_apply, remote_write, local"
	fix      string // the catalog key of what to do about it
}

// Err returns the refusal of the setting, an ErrWeakDurability.
func (w WeakSetting) Err() *jiti.Error {
	return ErrWeakDurability.With(w.Database, w.Name, w.Value, w.Want, jiti.Term(w.fix))
}

// weak returns each setting of got (setting → value) that want does not
// accept, in the order of the settings' names; a setting missing from got
// is weak too. fix is the catalog key of what to do about them.
func (want durable) weak(database string, got map[string]string, fix string) []WeakSetting {
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	var out []WeakSetting
	for _, name := range names {
		v := strings.ToLower(got[name])
		if slices.Contains(want[name], v) {
			continue
		}
		out = append(out, WeakSetting{Database: database, Name: name, Value: displaySetting(name, v),
			Want: strings.Join(displaySettings(name, want[name]), ", "), fix: fix})
	}
	return out
}

// displaySetting names SQLite's numeric synchronous levels as its
// documentation does; other values are shown as they are.
func displaySetting(name, v string) string {
	if name == "synchronous" {
		switch v {
		case "0":
			return "OFF"
		case "1":
			return "NORMAL"
		case "2":
			return "FULL"
		case "3":
			return "EXTRA"
		}
	}
	if v == "" {
		return "?"
	}
	return v
}

func displaySettings(name string, vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = displaySetting(name, v)
	}
	return out
}

// checkDurability reads back the settings a commit's durability rests on
// and refuses the database when they are weaker, unless unsafe is set: the
// weak settings are then kept for Durability to report.
func (db *DB) checkDurability(ctx context.Context, unsafe bool) error {
	got, err := db.durabilitySettings(ctx)
	if err != nil {
		return fmt.Errorf("durability settings of %s: %w", db.Location(), err)
	}
	want, fix := sqliteDurable, "store.durability_fix_sqlite"
	if db.dialect == postgres {
		want, fix = postgresDurable, "store.durability_fix_postgres"
	}
	weak := want.weak(db.Location(), got, fix)
	if len(weak) == 0 {
		return nil
	}
	if !unsafe {
		errs := make(jiti.Errors, len(weak))
		for i, w := range weak {
			errs[i] = w.Err()
		}
		return errs
	}
	db.weak = weak
	return nil
}

// durabilitySettings reads the settings back: SQLite's on the write
// connection, the only one that writes (the readers are query_only);
// PostgreSQL's on a connection of the pool, as the server, the database,
// the role and the connection string's options made them for the session.
func (db *DB) durabilitySettings(ctx context.Context) (map[string]string, error) {
	got := map[string]string{}
	if db.dialect == postgres {
		var fsync, fpw, sc string
		err := db.write.QueryRowContext(ctx, `SELECT current_setting('fsync'), current_setting('full_page_writes'), current_setting('synchronous_commit')`).
			Scan(&fsync, &fpw, &sc)
		got["fsync"], got["full_page_writes"], got["synchronous_commit"] = fsync, fpw, sc
		return got, err
	}
	db.w.mu.Lock()
	defer db.w.mu.Unlock()
	for name := range sqliteDurable {
		var v string
		if err := db.w.conn.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
			return nil, err
		}
		got[name] = v
	}
	return got, nil
}

// Durability returns the settings of the database that are weaker than
// jiti's guarantee: none unless the database was opened with
// Options.UnsafeDurability. The command line prints them at every start,
// and the server's /healthz lists them.
func (db *DB) Durability() []WeakSetting { return db.weak }

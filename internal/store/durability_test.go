package store_test

import (
	"database/sql"
	"errors"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestOpen_Durable: the databases of the tests, opened as jiti opens them,
// keep an acknowledged commit through a power cut (the test server runs
// with fsync on), so no test needs -unsafe-durability.
func TestOpen_Durable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if w := db.Durability(); len(w) != 0 {
			t.Errorf("weak durability settings: %v", w)
		}
	})
}

// TestOpen_RefusesWeakPostgres: a session whose commits do not wait for
// the disk (synchronous_commit=off, here from the connection URL, as a
// role's or a database's setting would) is refused, naming the setting and
// how to fix it; told to run anyway, the store opens, works, and reports it.
func TestOpen_RefusesWeakPostgres(t *testing.T) {
	u, err := url.Parse(storetest.PostgresDSN(t))
	ok(t, err)
	q := u.Query()
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()

	_, err = store.Open(bg, u.String(), store.Options{})
	if !errors.Is(err, store.ErrWeakDurability) {
		t.Fatalf("synchronous_commit=off: %v, want ErrWeakDurability", err)
	}
	msg := locale.New(locale.ZH).Error(err)
	for _, want := range []string{"synchronous_commit", "off", "postgresql.conf", "-unsafe-durability"} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal %q does not say %q", msg, want)
		}
	}

	db, err := store.Open(bg, u.String(), store.Options{UnsafeDurability: true})
	ok(t, err)
	defer db.Close()
	w := db.Durability()
	if len(w) != 1 || w[0].Name != "synchronous_commit" || w[0].Value != "off" {
		t.Fatalf("Durability() = %v, want synchronous_commit", w)
	}
	storetest.Seed(t, db)
}

// TestSQLite_ReadersCannotWrite: the read pool is query_only, so the write
// connection, synchronous FULL, is the only one that commits; the readers
// are FULL too, for the checkpoint one of them may run when it closes last.
func TestSQLite_ReadersCannotWrite(t *testing.T) {
	db := storetest.OpenSQLite(t)
	var level int
	ok(t, db.QueryRaw(bg, `PRAGMA synchronous`, func(r *sql.Rows) error { return r.Scan(&level) }))
	if level != 2 {
		t.Errorf("a reader's synchronous level is %d, want 2 (FULL)", level)
	}
	err := db.QueryRaw(bg, `INSERT INTO regions (code, name, level) VALUES ('620422', '会宁县', 'county')`, func(*sql.Rows) error { return nil })
	if err == nil {
		t.Fatal("the read pool wrote")
	}
	if n := storetest.Count(t, db, `SELECT COUNT(*) FROM regions`); n != 0 {
		t.Errorf("%d regions after a write through the read pool", n)
	}
}

// TestNoRoomLeft: the test that tells SQLite's I/O errors of a full disk
// from others sees a tmpfs filled to the last byte as full, and the same
// with room as not.
func TestNoRoomLeft(t *testing.T) {
	dir := storetest.Tmpfs(t, 4<<20)
	if store.NoRoomLeft(dir) {
		t.Fatal("an empty tmpfs has no room left")
	}
	free := storetest.FillDisk(t, dir)
	if !store.NoRoomLeft(dir) {
		t.Error("a full tmpfs has room left")
	}
	free()
	if store.NoRoomLeft(dir) {
		t.Error("a freed tmpfs has no room left")
	}
}

// TestDiskFull_Postgres: the database's tablespace on a small tmpfs, filled
// to the last byte: PostgreSQL's disk_full is ErrDiskFull, and the store
// recovers as SQLite's does. It needs root and a server on this machine
// (to hand it the tmpfs), as in CI; with a server elsewhere it skips.
func TestDiskFull_Postgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	admin, err := sql.Open("pgx", storetest.PostgresURL(t))
	ok(t, err)
	t.Cleanup(func() { admin.Close() }) // after the cleanups below
	var dataDir string
	ok(t, admin.QueryRowContext(bg, `SELECT current_setting('data_directory')`).Scan(&dataDir))
	fi, err := os.Stat(dataDir)
	if err != nil {
		t.Skipf("the PostgreSQL server is not on this machine (%v)", err)
	}
	owner := fi.Sys().(*syscall.Stat_t)
	dir := storetest.Tmpfs(t, 32<<20)
	ok(t, os.Chown(dir, int(owner.Uid), int(owner.Gid)))
	u, err := url.Parse(dsn)
	ok(t, err)
	name := strings.TrimPrefix(u.Path, "/")
	space := name + "_full"
	_, err = admin.ExecContext(bg, `CREATE TABLESPACE `+space+` LOCATION '`+dir+`'`)
	ok(t, err)
	t.Cleanup(func() {
		if _, err := admin.ExecContext(bg, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop the database: %v", err)
		}
		if _, err := admin.ExecContext(bg, `DROP TABLESPACE `+space); err != nil {
			t.Errorf("drop the tablespace: %v", err)
		}
	})
	_, err = admin.ExecContext(bg, `ALTER DATABASE `+name+` SET TABLESPACE `+space)
	ok(t, err)

	db, err := store.Open(bg, dsn, store.Options{Key: storetest.Key})
	ok(t, err)
	db.Now = func() time.Time { return storetest.Now }
	t.Cleanup(func() { db.Close() })
	diskFullRecovers(t, db, func() func() { return storetest.FillDisk(t, dir) })
}

// Package store holds all SQL of jiti, for SQLite (embedded, the default) and
// PostgreSQL (for a city, a province or more): the migrations, the one
// transaction helper, and the use-case methods that load what a rule needs,
// call the pure rule (package ledger, report), and write the result in one
// transaction, with an audit event.
//
// Every row that belongs to a collective carries its collective_id, so one
// database serves a whole deployment and roll-ups are queries.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite", pure Go
)

// DB is a jiti database. It is safe for concurrent use.
type DB struct {
	dialect dialect
	dsn     string
	// write is the pool that write transactions use. On SQLite it holds one
	// connection: SQLite has one writer at a time, and a pool of writers gave
	// the same throughput with multi-second stalls. On PostgreSQL write and
	// read are the same pool.
	write *sql.DB
	read  *sql.DB
	// w is SQLite's one write connection (nil on PostgreSQL).
	w *writer

	// Now returns the current time; tests fix it.
	Now func() time.Time

	// LockWait is how long a write waits for SQLite's write lock before it
	// gives up with ErrBusy (DefaultLockWait when 0).
	LockWait time.Duration

	// TokenMaxTTL is the longest lifetime of an API token in this
	// deployment (DefaultTokenMaxTTL when 0): longer ones are not made,
	// and those made before it was lowered end at it.
	TokenMaxTTL time.Duration

	// key seals personal identity numbers (see seal.go); nil when none is
	// configured.
	key []byte

	// stmts keeps the read pool's prepared statements (SQLite only).
	stmts *stmtCache

	// figures keeps figures pages show again and again (revision.go).
	figures figureCache
	// books keeps figures of one collective's books (revision.go).
	books figureCache

	// weak lists the durability settings found weaker than jiti's
	// guarantee at open, when it was told to run anyway
	// (durability.go).
	weak []WeakSetting

	// trips counts round trips to the PostgreSQL server (trips.go).
	trips atomic.Int64
	// statements counts the statements the PostgreSQL server ran (trips.go).
	statements atomic.Int64

	// commits tells whether anything was committed since a region's
	// revision was summed (revision.go).
	commits commitProbe
}

// Options tune Open.
type Options struct {
	// Migrate applies pending migrations at open. Without it, Open refuses a
	// database whose schema is behind the program's (run `jiti migrate`).
	Migrate bool
	// Key seals personal identity numbers (KeySize bytes). Without one,
	// storing or revealing an identity number is refused.
	Key []byte
	// UnsafeDurability opens a database whose settings let an
	// acknowledged write be lost to a power cut (PostgreSQL's fsync,
	// synchronous_commit or full_page_writes; SQLite's journal mode or
	// synchronous level), which Open otherwise refuses. Durability then
	// lists them.
	UnsafeDurability bool
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than an
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a file path (or file: URI) is
// SQLite, a postgres:// URL is PostgreSQL. It checks the schema is current,
// or brings it up to date when opts.Migrate is set.
func Open(ctx context.Context, dsn string, opts Options) (_ *DB, err error) {
	if opts.Key != nil && len(opts.Key) != KeySize {
		return nil, fmt.Errorf("store: key of %d bytes, want %d", len(opts.Key), KeySize)
	}
	db := &DB{dsn: dsn, Now: time.Now, key: opts.Key}
	// SQLite makes its shared-memory index when the first connection
	// opens: on a full disk, opening fails as writing does.
	defer func() { err = db.diskFull(err) }()
	if IsPostgres(dsn) {
		db.dialect = postgres
		db.write, err = openPostgres(dsn, &db.trips, &db.statements)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
		}
		db.write.SetMaxOpenConns(4 * runtime.GOMAXPROCS(0))
		db.write.SetMaxIdleConns(4 * runtime.GOMAXPROCS(0))
		db.read = db.write
	} else {
		db.dialect = sqlite
		if db.write, err = sql.Open("sqlite", sqliteDSN(dsn, false)); err != nil {
			return nil, fmt.Errorf("open %s: %w", dsn, err)
		}
		db.write.SetMaxOpenConns(1)
		if db.read, err = sql.Open("sqlite", sqliteDSN(dsn, true)); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("open %s: %w", dsn, err)
		}
		db.stmts = &stmtCache{prepare: db.read.PrepareContext}
		db.read.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
		db.read.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
	}
	if db.dialect == sqlite {
		if err := db.openWriter(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open %s: %w", dsn, err)
		}
	}
	if err := db.checkDurability(ctx, opts.UnsafeDurability); err != nil {
		db.Close()
		return nil, err
	}
	if opts.Migrate {
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	} else if err := db.checkSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.checkKey(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// sqlitePath is the file of an SQLite DSN: a path or a file: URI, whose
// parameters jiti does not take (it sets its own, sqliteDSN).
func sqlitePath(dsn string) string {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// sqliteDSN returns the driver DSN for an SQLite file. WAL lets readers go on
// while a writer commits; synchronous=FULL syncs the log at every commit,
// so a commit jiti has acknowledged survives a power cut (NORMAL, cheaper,
// may lose the last commits to one; see doc/decisions.md); foreign keys are
// off by default in SQLite for historical reasons; write transactions begin
// IMMEDIATE so they take the write lock at BEGIN instead of failing to
// upgrade halfway through. Open reads the journal mode and synchronous
// level back (durability.go).
func sqliteDSN(path string, readOnly bool) string {
	path = sqlitePath(path)
	q := url.Values{}
	// Readers wait for SQLite's rare locks of theirs (recovering the
	// write-ahead log) as long as it takes; the writer waits a few
	// milliseconds per try and tries again itself until its budget is
	// spent (writer.begin), so it notices the lock come free at once.
	if readOnly {
		q.Add("_pragma", "busy_timeout(10000)")
	} else {
		q.Add("_pragma", "busy_timeout(5)")
	}
	q.Add("_pragma", "journal_mode(WAL)")
	// The readers are query_only and never commit, but a connection
	// that closes last checkpoints the log into the file: every
	// connection gets the same level.
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	// Readers read the file through the operating system's cache, each
	// with a private cache of 8 MB; the writer has 32 MB. Readers mapped
	// the file into memory before (mmap saves a system call per page), but
	// each of the pool's connections maps it apart, and a server's resident
	// memory counted the database once per connection: 320 MB for the
	// demo county, against 116 MB without, at the same pages per second
	// under load (669 and 641 a second, within the noise).
	if readOnly {
		q.Add("_pragma", "cache_size(-8000)")
		q.Add("_pragma", "mmap_size(0)")
	} else {
		q.Add("_pragma", "cache_size(-32000)")
	}
	// Statement journals and sorts in memory: each UPDATE of a batch
	// otherwise writes its statement journal to a temporary file.
	q.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// redact hides a password in a PostgreSQL URL for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close closes the database.
func (db *DB) Close() error {
	var err error
	if db.w != nil {
		db.w.mu.Lock()
		db.w.stmts.closeAll()
		db.w.conn.Close()
		db.w.mu.Unlock()
	}
	if db.stmts != nil {
		db.stmts.closeAll()
	}
	db.commits.close()
	if db.read != nil && db.read != db.write {
		err = db.read.Close()
	}
	if db.write != nil {
		if e := db.write.Close(); e != nil {
			err = e
		}
	}
	return err
}

// Name names the database for users: an SQLite file by its name (not the
// directory it is in, which is the server's business), a PostgreSQL
// database by its name.
func (db *DB) Name() string {
	if db.dialect == postgres {
		if cfg, err := pgconn.ParseConfig(db.dsn); err == nil && cfg.Database != "" {
			return cfg.Database
		}
		return redact(db.dsn)
	}
	return filepath.Base(sqlitePath(db.dsn))
}

// Location names the database for its operator, in logs and at start-up:
// an SQLite file by its path, a PostgreSQL database by its URL without the
// password.
func (db *DB) Location() string {
	if db.dialect == postgres {
		return redact(db.dsn)
	}
	return sqlitePath(db.dsn)
}

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.String() }

// now returns the current time in UTC to the microsecond, which both engines
// store exactly.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// ExecRaw runs a statement outside every rule of the store, with ?
// placeholders. It exists for tests that tamper with the books to prove
// Verify finds it, and for maintenance; no use case calls it.
func (db *DB) ExecRaw(ctx context.Context, query string, args ...any) error {
	return db.tx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, query, args...)
		return err
	})
}

// QueryRaw runs a read query outside the store's use cases and calls fn for
// each row, for tests and maintenance; no use case calls it.
func (db *DB) QueryRaw(ctx context.Context, query string, fn func(*sql.Rows) error) error {
	rows, err := db.read.QueryContext(ctx, db.dialect.rebind(query))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

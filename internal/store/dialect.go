package store

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.org/jiti"
	"github.com/jackc/pgx/v5/pgconn"
	sqlitedrv "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the small set of differences between SQLite and PostgreSQL.
// Queries are written once, with ? placeholders, in the subset both speak.
type dialect int

const (
	sqlite dialect = iota
	postgres
)

func (d dialect) String() string {
	if d == postgres {
		return "postgres"
	}
	return "sqlite"
}

var rebound sync.Map // query text → PostgreSQL form

// rebind turns ? placeholders into PostgreSQL's $1, $2, …. Queries never hold
// a ? inside a string literal. SQLite takes ? as is; it would take $1 as a
// named parameter, which is why the source does not use $n.
func (d dialect) rebind(q string) string {
	if d != postgres {
		return q
	}
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	rebound.Store(q, b.String())
	return b.String()
}

// forUpdate is the row-lock clause: PostgreSQL locks the row for the rest of
// the transaction; SQLite has one writer at a time and needs none.
func (d dialect) forUpdate() string {
	if d == postgres {
		return " FOR UPDATE"
	}
	return ""
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlitedrv.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isForeignKey reports whether err is a foreign-key violation.
func isForeignKey(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlitedrv.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// ErrDiskFull reports that a write found the database's disk full. The
// transaction was rolled back whole, so nothing of it was kept and nothing
// committed before was touched; the same write succeeds once there is
// room again. Args: the database (DB.Name).
var ErrDiskFull = jiti.Errorf(jiti.DiskFull, "error.disk_full")

// diskFull returns ErrDiskFull, naming the database, for an error that says
// the database's disk is full, and err itself for any other. The log keeps
// the cause and where the database is.
func (db *DB) diskFull(err error) error {
	if err == nil || errors.Is(err, ErrDiskFull) || !db.isDiskFull(err) {
		return err
	}
	return ErrDiskFull.With(db.Name()).Wrap(fmt.Errorf("%s: %w", db.Location(), err))
}

// isDiskFull reports whether err says the database's disk is full:
// PostgreSQL's disk_full (SQLSTATE 53100, a data or temporary file that
// could not grow); SQLite's SQLITE_FULL (a write failed with ENOSPC, or the
// file reached max_page_count); or one of SQLite's I/O errors of writing,
// syncing, growing or creating a file while the database's file system has no room
// left. Those I/O errors do not carry the system's error number (SQLite
// keeps it apart, out of the driver's reach), so the file system is asked:
// an fsync of delayed allocation, or growing the shared-memory index or a
// file, fails that way on a full disk.
func (db *DB) isDiskFull(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "53100"
	}
	var se *sqlitedrv.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() {
	case sqlite3.SQLITE_FULL:
		return true
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC, sqlite3.SQLITE_IOERR_DIR_FSYNC,
		sqlite3.SQLITE_IOERR_TRUNCATE, sqlite3.SQLITE_IOERR_SHMOPEN, sqlite3.SQLITE_IOERR_SHMSIZE, sqlite3.SQLITE_IOERR_SHMMAP,
		sqlite3.SQLITE_IOERR_MMAP, sqlite3.SQLITE_CANTOPEN:
		return db.dialect == sqlite && noRoomLeft(filepath.Dir(sqlitePath(db.dsn)))
	}
	return false
}

// notFound turns sql.ErrNoRows into a jiti NotFound error naming what was
// looked for, and passes other errors through.
func notFound(err error, what string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return jiti.ErrNotFound.With(what, id)
	}
	return err
}

// dbDate scans an accounting date: TEXT 'YYYY-MM-DD' from SQLite, a
// time.Time from a PostgreSQL date.
type dbDate struct{ d *jiti.Date }

func (s dbDate) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.d = jiti.Date{}
	case time.Time:
		*s.d = jiti.DateOf(v)
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return errors.New("store: cannot scan date from " + strconv.Quote(strings.TrimSpace(fmtAny(v))))
	}
	return nil
}

func (s dbDate) parse(v string) error {
	if len(v) > 10 {
		v = v[:10]
	}
	d, err := jiti.ParseDate(v)
	if err != nil {
		return err
	}
	*s.d = d
	return nil
}

// dateArg is the form in which a date is passed to either engine.
func dateArg(d jiti.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// copyDate is the form of a date in rows written by bulkInsert: PostgreSQL's
// COPY encodes typed values and takes a date only as a time.Time.
func (d dialect) copyDate(v jiti.Date) any {
	if d == postgres {
		return v.Time()
	}
	return dateArg(v)
}

// copyTime is the form of a timestamp in rows written by bulkInsert.
func (d dialect) copyTime(t time.Time) any {
	if d == postgres {
		return t.UTC()
	}
	return timeArg(t)
}

// dbTime scans a timestamp: RFC 3339 TEXT from SQLite, a time.Time from
// PostgreSQL's timestamptz. NULL scans as the zero time.
type dbTime struct{ t *time.Time }

func (s dbTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		*s.t = v.UTC()
	case string:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return err
		}
		*s.t = t.UTC()
	case []byte:
		return s.Scan(string(v))
	default:
		return errors.New("store: cannot scan time from " + fmtAny(v))
	}
	return nil
}

// timeArg is the form in which a timestamp is passed to either engine:
// RFC 3339 text in UTC, which SQLite keeps as is and PostgreSQL parses.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func fmtAny(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return "?"
}

// nullString passes "" as NULL, for optional unique columns.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullID passes 0 as NULL, for optional references.
func nullID[T ~int64](id T) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	sqlitedrv "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Tx is a write transaction. All writes go through DB.tx, which gives the
// use case a Tx and commits if it returns nil.
type Tx struct {
	db   *DB
	conn *sql.Conn // the session of the transaction, BEGIN … COMMIT on it
	d    dialect
	now  time.Time // taken once, so every row of one act carries the same time
	// stmts are SQLite's prepared statements by query text, kept for the
	// life of the write connection. PostgreSQL has none here: pgx keeps
	// each connection's prepared statements itself, so a statement is one
	// round trip (Bind, Execute) once its connection has seen it, where a
	// statement prepared per transaction cost three (Parse, then Bind and
	// Execute, then Close): 69 round trips to post one voucher.
	stmts *stmtCache
	// chains are the audit chains this transaction extends, with their
	// heads, written back before it commits (audit.go).
	chains map[int64]*auditHead
	// headsInTable keeps every chain's head in audit_chains, as migration
	// 7 knew them, while its step runs (audit.go).
	headsInTable bool
	// collectives are the collectives whose lock the transaction holds,
	// with what it changes in their rows, written back before it commits
	// (collective.go).
	collectives map[int64]*collectiveHeads

	// held are writes that answer nothing but success (or a count of rows
	// to check), sent with the next statement that needs an answer or with
	// the commit (Tx.later, batch.go): on PostgreSQL the writes of an act
	// cost one round trip together, not one each. failed keeps the first
	// error of a batch: the transaction then never commits.
	mu     sync.Mutex
	held   batch
	failed error
}

// writer is SQLite's single write connection, held for the life of the DB
// with its prepared statements. SQLite has one writer at a time anyway; a
// long-lived connection lets every transaction reuse parsed statements,
// which were a quarter of the time of posting one voucher.
type writer struct {
	mu    fifoLock // serializes transactions on conn, first come first served
	conn  *sql.Conn
	stmts stmtCache
	// held counts the transactions and the longest time one held the
	// write lock, for the benchmarks (LockStats).
	held struct {
		sync.Mutex
		LockStats
	}
}

// LockStats says how this handle's write transactions held SQLite's write
// lock: how many there were and the longest hold, from BEGIN IMMEDIATE to
// the end of COMMIT or ROLLBACK.
type LockStats struct {
	Transactions int64
	Longest      time.Duration
}

// LockStats returns the write-lock holds of this handle so far (SQLite; the
// zero value on PostgreSQL, which has no single write lock).
func (db *DB) LockStats() LockStats {
	if db.w == nil {
		return LockStats{}
	}
	db.w.held.Lock()
	defer db.w.held.Unlock()
	return db.w.held.LockStats
}

// ResetLockStats forgets the holds counted so far.
func (db *DB) ResetLockStats() {
	if db.w != nil {
		db.w.held.Lock()
		db.w.held.LockStats = LockStats{}
		db.w.held.Unlock()
	}
}

// countHold records one transaction's hold of the write lock.
func (w *writer) countHold(d time.Duration) {
	w.held.Lock()
	w.held.Transactions++
	w.held.Longest = max(w.held.Longest, d)
	w.held.Unlock()
}

// stmtCache holds prepared statements by query text. Statements whose text
// is built per call (IN lists, multi-row inserts) come in a bounded number
// of shapes; past maxStmts, new ones are not kept.
type stmtCache struct {
	prepare func(ctx context.Context, q string) (*sql.Stmt, error)
	mu      sync.Mutex // an import validates and writes from two goroutines
	m       map[string]*sql.Stmt
}

const maxStmts = 2000

func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st, true, nil
	}
	st, err := c.prepare(ctx, q)
	if err != nil {
		return nil, false, err
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	if len(c.m) >= maxStmts {
		return st, false, nil
	}
	c.m[q] = st
	return st, true, nil
}

func (c *stmtCache) closeAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// openWriter takes SQLite's write connection out of the write pool.
func (db *DB) openWriter(ctx context.Context) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	db.w = &writer{conn: conn, mu: make(fifoLock, 1)}
	db.w.stmts.prepare = conn.PrepareContext
	return nil
}

// tx runs fn in a write transaction: it begins, runs fn, and commits, or rolls
// back if fn returns an error or panics. Transactions do not nest: helpers
// take a *Tx and compose. A disk found full is ErrDiskFull (dialect.go).
func (db *DB) tx(ctx context.Context, fn func(*Tx) error) (err error) {
	defer func() { err = db.diskFull(err) }()
	if db.w != nil {
		return db.sqliteTx(ctx, fn)
	}
	return db.postgresTx(ctx, fn)
}

// postgresTx runs fn between BEGIN and COMMIT on a connection of the pool.
// Neither costs a round trip of its own: BEGIN is held back to go with the
// transaction's first statements, and COMMIT goes with the writes held
// back (Tx.later), so an act that reads once, under its lock, then writes,
// waits for the server three times in all.
func (db *DB) postgresTx(ctx context.Context, fn func(*Tx) error) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	t := &Tx{db: db, conn: conn, d: db.dialect, now: db.now()}
	begun := false
	t.held.exec(func(int64) error { begun = true; return nil }, "BEGIN")
	commit := func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var b batch
		b.exec(nil, "COMMIT")
		return t.send(context.WithoutCancel(ctx), &b)
	}
	// ROLLBACK runs even if ctx ends: the connection must not go back to
	// the pool inside a transaction (if it cannot run, pgx drops the
	// connection rather than reuse it).
	rollback := func() error {
		t.held.items = nil
		if !begun {
			return nil
		}
		_, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return err
	}
	return finish(ctx, t, fn, commit, rollback)
}

// DefaultLockWait is how long a write waits for SQLite's write lock (its
// turn on this handle's write connection, then the file's lock) before it
// gives up with ErrBusy. An import beside a live server holds the lock a
// fraction of a second at a time, so a write normally gets it well within
// this; one that does not is told to try again (503 on the web) rather
// than waiting on: a request never waits much longer than this for the lock.
const DefaultLockWait = 2 * time.Second

// fifoLock is a mutex whose waiters are served in the order they came and
// may give up at a deadline: a write waits its turn behind the writes
// before it, an import's next batch behind the requests that came while
// its last one was written.
type fifoLock chan struct{}

func (l fifoLock) Lock()   { l <- struct{}{} }
func (l fifoLock) Unlock() { <-l }

// lockBy takes the lock, waiting until deadline (for ever when it is zero)
// or until ctx ends.
func (l fifoLock) lockBy(ctx context.Context, deadline time.Time) error {
	if deadline.IsZero() {
		select {
		case l <- struct{}{}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case l <- struct{}{}:
		return nil
	case <-t.C:
		return errLockWait
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errLockWait reports a write that did not get its turn on the write
// connection in time: busy, like SQLITE_BUSY from another process.
var errLockWait = errors.New("store: write lock not free in time")

// isBusy reports whether err says the write lock was not free:
// SQLITE_BUSY ("database is locked") from another process's transaction,
// or errLockWait from this one's. It is the one place that knows what
// busy looks like; the use cases return ErrBusy for it (busyError).
func isBusy(err error) bool {
	var se *sqlitedrv.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_BUSY
	}
	return errors.Is(err, errLockWait)
}

// sqliteTx runs fn between BEGIN IMMEDIATE and COMMIT on the write
// connection: IMMEDIATE takes the write lock at once, so the transaction
// never fails halfway for want of it. It waits db.LockWait at most for the
// lock, and then returns ErrBusy, or the import holding it (busyError).
func (db *DB) sqliteTx(ctx context.Context, fn func(*Tx) error) error {
	wait := db.LockWait
	if wait <= 0 {
		wait = DefaultLockWait
	}
	return db.sqliteTxWithin(ctx, wait, fn)
}

// patientTx is tx that waits for the write lock as long as ctx lets it:
// for the batches of an import, which must not fail for the server's
// writes that come between them.
func (db *DB) patientTx(ctx context.Context, fn func(*Tx) error) error {
	if db.w != nil {
		return db.sqliteTxWithin(ctx, 0, fn)
	}
	return db.tx(ctx, fn)
}

// sqliteTxWithin is sqliteTx waiting at most wait for the lock (0: until
// ctx ends).
func (db *DB) sqliteTxWithin(ctx context.Context, wait time.Duration, fn func(*Tx) error) error {
	w := db.w
	var deadline time.Time
	if wait > 0 {
		deadline = time.Now().Add(wait)
	}
	if err := w.mu.lockBy(ctx, deadline); err != nil {
		return db.busyError(ctx, err)
	}
	defer w.mu.Unlock()
	if err := w.begin(ctx, deadline); err != nil {
		return db.busyError(ctx, err)
	}
	held := time.Now()
	defer func() { w.countHold(time.Since(held)) }()
	t := &Tx{db: db, conn: w.conn, d: db.dialect, now: db.now(), stmts: &w.stmts}
	// COMMIT and ROLLBACK run even if ctx ends: the connection must not be
	// left inside a transaction.
	end := func(stmt string) func() error {
		return func() error {
			_, err := w.conn.ExecContext(context.WithoutCancel(ctx), stmt)
			return err
		}
	}
	return db.busyError(ctx, finish(ctx, t, fn, end("COMMIT"), end("ROLLBACK")))
}

// begin runs BEGIN IMMEDIATE until it gets the file's write lock, or the
// deadline passes (never when zero). The connection's own busy timeout is
// a few milliseconds (sqliteDSN), so the lock is tried every millisecond
// or two: another process's import leaves it free only briefly between
// its batches, and a wait of SQLite's own would sleep past that.
func (w *writer) begin(ctx context.Context, deadline time.Time) error {
	for {
		_, err := w.conn.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil {
			return nil
		}
		if !isBusy(err) || (!deadline.IsZero() && time.Now().After(deadline)) {
			return fmt.Errorf("begin: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

// finish runs fn, writes the heads of the collectives and audit chains it
// moved, and commits, or rolls back on an error or a panic.
func finish(ctx context.Context, t *Tx, fn func(*Tx) error, commit, rollback func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			rollback()
			panic(p)
		}
		if err != nil {
			rollback()
		}
	}()
	if err = fn(t); err != nil {
		if t.failed != nil {
			return t.failed // the cause, not what came of it
		}
		return err
	}
	if err = t.saveCollectives(ctx); err != nil {
		return err
	}
	if err = t.saveAuditHeads(ctx); err != nil {
		return err
	}
	if t.failed != nil {
		return t.failed
	}
	if err = commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// stmt returns the prepared statement of q, preparing it the first time.
// A statement not kept in the cache is closed by the caller through done.
func (t *Tx) stmt(ctx context.Context, q string) (*sql.Stmt, func(), error) {
	if err := t.flush(ctx); err != nil {
		return nil, nil, err
	}
	if t.stmts == nil {
		st, err := t.conn.PrepareContext(ctx, t.d.rebind(q))
		if err != nil {
			return nil, nil, err
		}
		return st, func() { st.Close() }, nil
	}
	st, kept, err := t.stmts.get(ctx, t.d.rebind(q))
	if err != nil {
		return nil, nil, err
	}
	if kept {
		return st, func() {}, nil
	}
	return st, func() { st.Close() }, nil
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	if t.stmts == nil {
		return t.conn.ExecContext(ctx, t.d.rebind(q), args...)
	}
	st, done, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	defer done()
	return st.ExecContext(ctx, args...)
}

func (t *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	if t.stmts == nil {
		return t.conn.QueryContext(ctx, t.d.rebind(q), args...)
	}
	st, kept, err := t.stmts.get(ctx, t.d.rebind(q))
	if err != nil {
		return nil, err
	}
	if !kept {
		// Rows outlive this call; an unkept statement is used once, and
		// closing it would close the rows. Run the query unprepared instead.
		st.Close()
		return t.conn.QueryContext(ctx, t.d.rebind(q), args...)
	}
	return st.QueryContext(ctx, args...)
}

func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	// A failed write sent here is kept in t.failed, which the use case's
	// transaction then returns instead of committing.
	t.flush(ctx)
	if t.stmts == nil {
		return t.conn.QueryRowContext(ctx, t.d.rebind(q), args...)
	}
	st, kept, err := t.stmts.get(ctx, t.d.rebind(q))
	if err != nil || !kept {
		if st != nil {
			st.Close()
		}
		// Let Scan report the error, or run the rare unkept query directly.
		return t.conn.QueryRowContext(ctx, t.d.rebind(q), args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// execScript runs SQL text of several statements, such as a migration.
func (t *Tx) execScript(ctx context.Context, script string) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	_, err := t.conn.ExecContext(ctx, script)
	return err
}

// querier is what read helpers need: a transaction or the read pool, so the
// same query serves a write use case and a report.
type querier interface {
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// reader runs queries on the read pool.
type reader struct {
	db    *sql.DB
	d     dialect
	stmts *stmtCache // nil: statements are not kept (PostgreSQL's driver keeps its own)
}

// stmt returns q prepared on the read pool, or nil to run it unprepared:
// without a cache, past the cache's bound, or when preparing fails (the
// unprepared run then reports the error). SQLite then parses and plans each
// query once per connection rather than on every request: pages run a
// dozen small queries, and parsing was a tenth of their time.
func (r reader) stmt(ctx context.Context, q string) *sql.Stmt {
	if r.stmts == nil {
		return nil
	}
	st, kept, err := r.stmts.get(ctx, q)
	if err != nil {
		return nil
	}
	if !kept {
		st.Close()
		return nil
	}
	return st
}

func (db *DB) reader() reader { return reader{db.read, db.dialect, db.stmts} }

func (r reader) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := r.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.db.QueryContext(ctx, r.d.rebind(q), args...)
}

func (r reader) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := r.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.db.QueryRowContext(ctx, r.d.rebind(q), args...)
}

// errStale reports a row that changed between reading and writing it, which
// the collective lock should make impossible: it is a bug, not user error.
var errStale = fmt.Errorf("store: row changed under the collective lock")

// execOne runs a statement that must change exactly one row, with the
// transaction's other writes (Tx.later).
func (t *Tx) execOne(ctx context.Context, q string, args ...any) error {
	return t.later(ctx, func(n int64) error {
		if n != 1 {
			return errStale
		}
		return nil
	}, q, args...)
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Tx is a write transaction. All writes go through DB.tx, which gives the
// use case a Tx and commits if it returns nil.
type Tx struct {
	conn *sql.Conn // the session of the transaction, for PostgreSQL's COPY
	tx   *sql.Tx
	d    dialect
	now  time.Time // taken once, so every row of one act carries the same time
	// stmts caches the transaction's prepared statements by query text, so a
	// statement run for every voucher of a batch is parsed once: parsing
	// was a sixth of the time of posting a batch on SQLite.
	stmts map[string]*sql.Stmt
}

// tx runs fn in a write transaction: it begins, runs fn, and commits, or rolls
// back if fn returns an error or panics. Transactions do not nest: helpers
// take a *Tx and compose.
func (db *DB) tx(ctx context.Context, fn func(*Tx) error) (err error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &Tx{conn: conn, tx: sqlTx, d: db.dialect, now: db.now()}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err = fn(t); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// stmt returns the prepared statement of q in this transaction, preparing
// it the first time. The statements close with the transaction.
func (t *Tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	st, err := t.tx.PrepareContext(ctx, t.d.rebind(q))
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[q] = st
	return st, nil
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := t.stmt(ctx, q)
	if err != nil {
		// A Row carrying the error: let the caller's Scan report it.
		return t.tx.QueryRowContext(ctx, t.d.rebind(q), args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (t *Tx) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.stmt(ctx, q)
}

// querier is what read helpers need: a transaction or the read pool, so the
// same query serves a write use case and a report.
type querier interface {
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// reader runs queries on the read pool.
type reader struct {
	db *sql.DB
	d  dialect
}

func (db *DB) reader() reader { return reader{db.read, db.dialect} }

func (r reader) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, r.d.rebind(q), args...)
}

func (r reader) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return r.db.QueryRowContext(ctx, r.d.rebind(q), args...)
}

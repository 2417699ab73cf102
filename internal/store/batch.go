package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A batch is statements a transaction sends together. On PostgreSQL they
// go in one round trip, a pipeline on the transaction's connection, and
// the server runs them in order; on SQLite, which has no server to wait
// for, they run one after another. Each statement's results go to its
// callback as the batch runs. The first error stops the batch: the
// statements after it do not run, and the transaction fails.
//
// Statements of a batch see what the ones before them did, so a batch may
// take a lock and then read under it: a use case's reads cost one round
// trip, and its writes another, whatever their number.
type batch struct {
	items []batchItem
}

type batchItem struct {
	query string
	args  []any
	each  func(scan func(dest ...any) error) error // a query: called for each row
	done  func(rows int64) error                   // otherwise: called with the rows it changed
}

// query queues a query; each is called with the scanner of every row.
func (b *batch) query(each func(scan func(dest ...any) error) error, q string, args ...any) {
	b.items = append(b.items, batchItem{query: q, args: args, each: each})
}

// queryRow queues a query of at most one row, scanned into dest; *found
// tells whether there was one.
func (b *batch) queryRow(found *bool, q string, args []any, dest ...any) {
	b.query(func(scan func(...any) error) error {
		*found = true
		return scan(dest...)
	}, q, args...)
}

// exec queues a statement; done, if given, checks the rows it changed.
func (b *batch) exec(done func(rows int64) error, q string, args ...any) {
	b.items = append(b.items, batchItem{query: q, args: args, done: done})
}

// maxLater bounds the writes a transaction holds back: a batch posting
// of thousands of vouchers sends them a few hundred at a time.
const maxLater = 500

// later queues a write to be sent with the transaction's next statement
// that needs an answer, or with its commit (PostgreSQL; SQLite runs it at
// once). done, if given, checks the rows it changed then; its error, like
// the write's, fails the transaction.
func (t *Tx) later(ctx context.Context, done func(rows int64) error, q string, args ...any) error {
	if t.d != postgres {
		// No server to wait for: the write runs now.
		return t.sequence(ctx, []batchItem{{query: q, args: args, done: done}})
	}
	t.mu.Lock()
	t.held.exec(done, q, args...)
	n := len(t.held.items)
	t.mu.Unlock()
	if n >= maxLater {
		return t.flush(ctx)
	}
	return nil
}

// flush sends the writes held back.
func (t *Tx) flush(ctx context.Context) error { return t.send(ctx, nil) }

// send sends the writes held back and then b, in one round trip on
// PostgreSQL.
func (t *Tx) send(ctx context.Context, b *batch) error {
	t.mu.Lock()
	items := t.held.items
	t.held.items = nil
	t.mu.Unlock()
	if b != nil {
		items = append(items, b.items...)
	}
	if len(items) == 0 {
		return nil
	}
	var err error
	if t.d == postgres {
		err = t.pipeline(ctx, items)
	} else {
		err = t.sequence(ctx, items)
	}
	if err != nil && t.failed == nil {
		t.failed = err
	}
	return err
}

// sequence runs a batch's statements one after another (SQLite).
func (t *Tx) sequence(ctx context.Context, items []batchItem) error {
	for _, it := range items {
		if it.each == nil {
			res, err := t.exec(ctx, it.query, it.args...)
			if err != nil {
				return err
			}
			if it.done != nil {
				n, err := res.RowsAffected()
				if err != nil {
					return err
				}
				if err := it.done(n); err != nil {
					return err
				}
			}
			continue
		}
		rows, err := t.query(ctx, it.query, it.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := it.each(rows.Scan); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// pipeline sends a batch's statements in one round trip on the
// transaction's connection (PostgreSQL), through pgx, which keeps each
// statement prepared on the connection.
func (t *Tx) pipeline(ctx context.Context, items []batchItem) error {
	return t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: a pipeline needs a pgx connection, have %T", dc)
		}
		var pb pgx.Batch
		for _, it := range items {
			pb.Queue(t.d.rebind(it.query), it.args...)
		}
		br := c.Conn().SendBatch(ctx, &pb)
		err := readBatch(br, items)
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// readBatch hands each statement's results to its callback.
func readBatch(br pgx.BatchResults, items []batchItem) error {
	for _, it := range items {
		if it.each == nil {
			tag, err := br.Exec()
			if err != nil {
				return err
			}
			if it.done != nil {
				if err := it.done(tag.RowsAffected()); err != nil {
					return err
				}
			}
			continue
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := it.each(rows.Scan); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// scanFunc is a row's scan function as the Scan method that scanners of
// rows (scanVoucher…) take.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// maxRows bounds the rows of one statement laterRows makes: far under
// either engine's limit of parameters, and few shapes of statement.
const maxRows = 200

// laterRows queues, as later, an INSERT of many rows: head is "INSERT
// INTO table (columns)" of cols columns, tail what follows the VALUES (an
// ON CONFLICT clause). A row of each, not a statement of each: a statement
// of n rows costs the server much less than n statements.
func (t *Tx) laterRows(ctx context.Context, head string, cols int, tail string, rows [][]any) error {
	tuple := "(?" + strings.Repeat(", ?", cols-1) + ")"
	for start := 0; start < len(rows); start += maxRows {
		chunk := rows[start:min(start+maxRows, len(rows))]
		args := make([]any, 0, len(chunk)*cols)
		for _, r := range chunk {
			args = append(args, r...)
		}
		q := head + " VALUES " + tuple + strings.Repeat(", "+tuple, len(chunk)-1) + "\n" + tail
		if err := t.later(ctx, nil, q, args...); err != nil {
			return err
		}
	}
	return nil
}

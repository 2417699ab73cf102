package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// bulkInsert writes many rows into table in the transaction: PostgreSQL's
// COPY, which is several times faster than INSERT, or on SQLite multi-row
// INSERTs of a prepared statement, which save a statement step per row.
func (t *Tx) bulkInsert(ctx context.Context, table string, cols []string, rows [][]any) error {
	i := 0
	return t.bulkInsertFrom(ctx, table, cols, func() []any {
		if i == len(rows) {
			return nil
		}
		i++
		return rows[i-1]
	})
}

// bulkInsertFrom is bulkInsert of the rows next returns, one at a time,
// until it returns nil. Each row is used before next is called again, so
// next may fill and return the same slice every time. On PostgreSQL, pgx
// calls next while it sends what it encoded before: making the rows
// overlaps with the server's work on them, instead of coming before it.
func (t *Tx) bulkInsertFrom(ctx context.Context, table string, cols []string, next func() []any) error {
	if t.d == postgres {
		// What the transaction holds back (its BEGIN, even) goes first.
		if err := t.flush(ctx); err != nil {
			return err
		}
		return t.conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("store: COPY needs a pgx connection, have %T", dc)
			}
			_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
				return next(), nil
			}))
			return err
		})
	}
	// SQLite allows 32766 parameters per statement; 100 rows keeps statements
	// small while taking most of the gain.
	per := min(100, 32766/len(cols))
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	tuple := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	build := func(n int) string {
		return head + tuple + strings.Repeat(", "+tuple, n-1)
	}
	var full *sql.Stmt
	args := make([]any, 0, per*len(cols))
	for done := false; !done; {
		args = args[:0]
		n := 0
		for n < per {
			r := next()
			if r == nil {
				done = true
				break
			}
			args = append(args, r...)
			n++
		}
		switch {
		case n == 0:
		case n == per:
			if full == nil {
				st, release, err := t.stmt(ctx, build(per))
				if err != nil {
					return err
				}
				defer release()
				full = st
			}
			if _, err := full.ExecContext(ctx, args...); err != nil {
				return err
			}
		default:
			if _, err := t.exec(ctx, build(n), args...); err != nil {
				return err
			}
		}
	}
	return nil
}

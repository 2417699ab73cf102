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
	if len(rows) == 0 {
		return nil
	}
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
			_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
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
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		if len(chunk) == per {
			if full == nil {
				st, done, err := t.stmt(ctx, build(per))
				if err != nil {
					return err
				}
				defer done()
				full = st
			}
			if _, err := full.ExecContext(ctx, args...); err != nil {
				return err
			}
			continue
		}
		if _, err := t.exec(ctx, build(len(chunk)), args...); err != nil {
			return err
		}
	}
	return nil
}

package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
)

// RawInsert measures the reference that bulk loads are held to: the time to
// insert n rows shaped like voucher lines (the same columns and kinds of
// values an import writes) into a scratch table with one index, in one
// transaction, the plainest fast way the driver offers: a prepared INSERT
// per row on SQLite, COPY on PostgreSQL. The table is dropped after.
func (db *DB) RawInsert(ctx context.Context, n int) (time.Duration, error) {
	const table = "bench_raw_insert"
	if err := db.ExecRaw(ctx, `DROP TABLE IF EXISTS `+table); err != nil {
		return 0, err
	}
	if err := db.ExecRaw(ctx, `CREATE TABLE `+table+` (voucher_id BIGINT NOT NULL, line_no INTEGER NOT NULL,
  collective_id BIGINT NOT NULL, account_code TEXT NOT NULL, summary TEXT NOT NULL, debit BIGINT NOT NULL, credit BIGINT NOT NULL,
  counterparty TEXT NOT NULL, household_code TEXT NOT NULL, project TEXT NOT NULL, asset TEXT NOT NULL, contract TEXT NOT NULL)`); err != nil {
		return 0, err
	}
	defer db.ExecRaw(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS `+table)
	if err := db.ExecRaw(ctx, `CREATE INDEX `+table+`_idx ON `+table+` (voucher_id, line_no)`); err != nil {
		return 0, err
	}
	cols := []string{"voucher_id", "line_no", "collective_id", "account_code", "summary", "debit", "credit",
		"counterparty", "household_code", "project", "asset", "contract"}
	row := func(i int) []any {
		return []any{int64(i / 4), i%4 + 1, int64(1), "10201", fmt.Sprintf("收取门面租金%d", i/4), int64(i * 7 % 100000), int64(0),
			"会宁县某商贸公司", "", "", "", ""}
	}
	start := time.Now()
	err := db.tx(ctx, func(tx *Tx) error {
		if db.dialect == postgres {
			const batch = 50000
			rows := make([][]any, 0, batch)
			for i := 0; i < n; i++ {
				rows = append(rows, row(i))
				if len(rows) == batch || i == n-1 {
					if err := tx.bulkInsert(ctx, table, cols, rows); err != nil {
						return err
					}
					rows = rows[:0]
				}
			}
			return nil
		}
		st, done, err := tx.stmt(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer done()
		for i := 0; i < n; i++ {
			if _, err := st.ExecContext(ctx, row(i)...); err != nil {
				return err
			}
		}
		return nil
	})
	return time.Since(start), err
}

// CommitRate measures the reference that posting is held to: how many
// one-row transactions a second the database commits for clients writers,
// each updating its own row of a scratch table over and over for d, through
// the same driver and pool that posting uses. On PostgreSQL each is one
// UPDATE in its own transaction, one round trip and one flush of the log
// to disk, as pgbench measures with a script of one UPDATE; on SQLite,
// BEGIN IMMEDIATE, the UPDATE and COMMIT on the one write connection. The
// table is dropped after.
func (db *DB) CommitRate(ctx context.Context, clients int, d time.Duration) (float64, error) {
	const table = "bench_commit"
	if err := db.ExecRaw(ctx, `DROP TABLE IF EXISTS `+table); err != nil {
		return 0, err
	}
	if err := db.ExecRaw(ctx, `CREATE TABLE `+table+` (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)`); err != nil {
		return 0, err
	}
	defer db.ExecRaw(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS `+table)
	for c := 1; c <= clients; c++ {
		if err := db.ExecRaw(ctx, `INSERT INTO `+table+` (id, n) VALUES (?, 0)`, c); err != nil {
			return 0, err
		}
	}
	update := `UPDATE ` + table + ` SET n = n + 1 WHERE id = ?`
	var wg sync.WaitGroup
	var commits atomic.Int64
	errs := make(chan error, clients)
	start := time.Now()
	for c := 1; c <= clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < d {
				var err error
				if db.dialect == postgres {
					_, err = db.write.ExecContext(ctx, db.dialect.rebind(update), c)
				} else {
					err = db.ExecRaw(ctx, update, c)
				}
				if err != nil {
					errs <- err
					return
				}
				commits.Add(1)
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return float64(commits.Load()) / took.Seconds(), nil
}

// TrialBalanceFromLines computes a collective's trial balance the slow way,
// by aggregating its posted voucher lines and opening balances, without the
// monthly balances that posting keeps. It is the reference that Verify and
// the benchmarks compare TrialBalance with.
func (db *DB) TrialBalanceFromLines(ctx context.Context, cid int64, from, to jiti.Period) (*ledger.TrialBalance, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	r := db.reader()
	accounts, err := findAccounts(ctx, r, cid)
	if err != nil {
		return nil, err
	}
	moves, err := queryMovements(ctx, r, `SELECT l.account_code, v.period, SUM(l.debit), SUM(l.credit)
FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE l.collective_id = ? AND v.status = ? AND v.period <= ?
GROUP BY l.account_code, v.period
UNION ALL
SELECT account_code, 0, SUM(debit), SUM(credit) FROM opening_balances WHERE collective_id = ? GROUP BY account_code`,
		cid, string(ledger.Posted), int(to), cid)
	if err != nil {
		return nil, err
	}
	return ledger.ComputeTrialBalance(accounts, moves, from, to, false), nil
}

// StatsFromLines computes the statistics of a region the slow way, by
// aggregating posted voucher lines and opening balances instead of the
// yearly turnover posting keeps: the reference the benchmarks and tests
// compare Stats with.
func (db *DB) StatsFromLines(ctx context.Context, region string, year int) (*report.Rollup, error) {
	return db.stats(ctx, region, year, LayoutLines, db.readLines, 0)
}

// readLines is readTurnover from voucher lines and opening balances.
func (db *DB) readLines(ctx context.Context, region string, tv *termValues, year int) error {
	rows, err := db.reader().query(ctx, `SELECT l.collective_id, v.period / 100, l.account_code, v.kind, SUM(l.debit), SUM(l.credit)
FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE v.status = ? AND v.period < ? AND l.`+inRegion+`
GROUP BY l.collective_id, v.period / 100, l.account_code, v.kind
UNION ALL
SELECT collective_id, 0, account_code, '', SUM(debit), SUM(credit) FROM opening_balances WHERE `+inRegion+`
GROUP BY collective_id, account_code`,
		string(ledger.Posted), (year+1)*100, region+"%", region+"%")
	if err != nil {
		return err
	}
	defer rows.Close()
	start := tv.startTerms()
	for rows.Next() {
		var cid int64
		var y int
		var code, kind string
		var dr, cr jiti.Amount
		if err := rows.Scan(&cid, &y, &code, &kind, &dr, &cr); err != nil {
			return err
		}
		if (y == year || y == year-1) && kind != string(ledger.Closing) {
			n, err := strconv.ParseInt(code, 10, 64)
			if err != nil {
				return err
			}
			tv.addTurnover(cid, y != year, n, dr, cr)
		}
		for _, i := range start {
			if !strings.HasPrefix(code, tv.terms[i].Code) {
				continue
			}
			v := tv.slots(cid)
			if y < year {
				v[i] += dr - cr
			}
			if y < year-1 {
				v[len(tv.terms)+i] += dr - cr
			}
		}
	}
	return rows.Err()
}

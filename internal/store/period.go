package store

import (
	"context"
	"database/sql"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// PeriodInfo is the state of one month of a collective's books.
type PeriodInfo struct {
	Period     jiti.Period `json:"period"`
	Closed     bool        `json:"closed"`
	LastNumber int         `json:"last_number"`
	Unposted   int         `json:"unposted"`
}

// periodState gathers what closing or reopening month p needs, under the
// collective's lock.
func (t *Tx) periodState(ctx context.Context, cid int64, p jiti.Period) (ledger.PeriodState, error) {
	s := ledger.PeriodState{Period: p}
	var opened jiti.Date
	if err := t.queryRow(ctx, `SELECT books_opened_on FROM collectives WHERE id = ?`, cid).Scan(dbDate{&opened}); err != nil {
		return s, notFound(err, "collective", cid)
	}
	s.BooksOpened = opened.Period()
	closed, err := t.closedPeriods(ctx, cid)
	if err != nil {
		return s, err
	}
	s.Closed = closed[p]
	s.LaterClosed = closed[p.Next()]
	for q := s.BooksOpened; q < p; q = q.Next() {
		if !closed[q] {
			s.EarlierOpen = q
			break
		}
	}
	var first int64
	if err := t.queryRow(ctx, `SELECT COUNT(*), COALESCE(MIN(id), 0) FROM vouchers WHERE collective_id = ? AND period = ? AND status NOT IN (?, ?)`,
		cid, int(p), string(ledger.Posted), statusStaged).Scan(&s.Unposted, &first); err != nil {
		return s, err
	}
	if first != 0 {
		s.FirstPending = jiti.VoucherRef{Period: p, ID: first}
	}
	return s, nil
}

// ClosePeriod closes a month of a collective's books (结账). It is refused
// while an earlier month is open or a draft or unposted voucher remains in
// it. A closed month accepts no postings.
func (db *DB) ClosePeriod(ctx context.Context, by jiti.UserID, cid int64, p jiti.Period) error {
	return db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		return tx.closePeriod(ctx, by, cid, p)
	})
}

// ClosePeriods closes the months from through through of a collective's
// books, in order, in one transaction: all of them, or none when one
// cannot close (its error names that month). For a batch load such as the
// demo: a year's months cost one commit instead of eleven.
func (db *DB) ClosePeriods(ctx context.Context, by jiti.UserID, cid int64, from, through jiti.Period) error {
	return db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		for p := from; p <= through; p = p.Next() {
			if err := tx.closePeriod(ctx, by, cid, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClosePeriodsThrough closes, in order, every open month of a collective's
// books up to and including through, each in its own transaction (as
// closing them one by one would), and returns the months it closed. It
// stops at the first month that cannot close and returns its error, naming
// that month; the months before it stay closed.
func (db *DB) ClosePeriodsThrough(ctx context.Context, by jiti.UserID, cid int64, through jiti.Period) ([]jiti.Period, error) {
	if !through.Valid() {
		return nil, jiti.ErrPeriodSyntax.With(through).At("through")
	}
	if through > jiti.DateOf(db.now()).Period() {
		return nil, ledger.ErrPeriodInFuture.With(through).At("through")
	}
	ps, err := db.Periods(ctx, cid)
	if err != nil {
		return nil, err
	}
	var closed []jiti.Period
	for _, pi := range ps {
		if pi.Period > through {
			break
		}
		if pi.Closed {
			continue
		}
		if err := db.ClosePeriod(ctx, by, cid, pi.Period); err != nil {
			return closed, err
		}
		closed = append(closed, pi.Period)
	}
	return closed, nil
}

func (t *Tx) closePeriod(ctx context.Context, by jiti.UserID, cid int64, p jiti.Period) error {
	if err := t.checkClosable(ctx, cid, p); err != nil {
		return err
	}
	if err := t.registerClose(ctx, by, cid, p); err != nil {
		return err
	}
	return t.markClosed(ctx, by, cid, p)
}

// checkClosable locks the collective and checks that month p may close.
func (t *Tx) checkClosable(ctx context.Context, cid int64, p jiti.Period) error {
	if _, _, err := t.lockCollective(ctx, cid); err != nil {
		return err
	}
	if !p.Valid() {
		return jiti.ErrPeriodSyntax.With(p).At("period")
	}
	if p > jiti.DateOf(t.now).Period() {
		return ledger.ErrPeriodInFuture.With(p).At("period")
	}
	s, err := t.periodState(ctx, cid, p)
	if err != nil {
		return err
	}
	return ledger.CheckClose(s)
}

// checkYearClosable locks the collective and checks that the year ending in
// December dec may be closed, naming the month that blocks it.
func (t *Tx) checkYearClosable(ctx context.Context, cid int64, dec jiti.Period) error {
	if _, _, err := t.lockCollective(ctx, cid); err != nil {
		return err
	}
	if !dec.Valid() {
		return jiti.ErrPeriodSyntax.With(dec).At("year")
	}
	if dec > jiti.DateOf(t.now).Period() {
		return ledger.ErrPeriodInFuture.With(dec).At("year")
	}
	s, err := t.periodState(ctx, cid, dec)
	if err != nil {
		return err
	}
	var closing int
	if s.Closed {
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM vouchers WHERE collective_id = ? AND period = ? AND kind = ?`,
			cid, int(dec), string(ledger.Closing)).Scan(&closing); err != nil {
			return err
		}
	}
	return ledger.CheckCloseYear(s, closing > 0)
}

// markClosed records month p of a collective as closed.
func (t *Tx) markClosed(ctx context.Context, by jiti.UserID, cid int64, p jiti.Period) error {
	if _, err := t.exec(ctx, `INSERT INTO periods (collective_id, period, is_closed, closed_at, closed_by) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (collective_id, period) DO UPDATE SET is_closed = excluded.is_closed, closed_at = excluded.closed_at, closed_by = excluded.closed_by`,
		cid, int(p), true, timeArg(t.now), int64(by)); err != nil {
		return err
	}
	return t.audit(ctx, by, "period.close", "period", p.String(), cid, map[string]bool{"closed": false}, map[string]bool{"closed": true})
}

// ReopenPeriod reopens a closed month (反结账). Months reopen from the
// latest back, and the reason is recorded in the audit log.
func (db *DB) ReopenPeriod(ctx context.Context, by jiti.UserID, cid int64, p jiti.Period, reason string) error {
	return db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := tx.lockCollective(ctx, cid); err != nil {
			return err
		}
		s, err := tx.periodState(ctx, cid, p)
		if err != nil {
			return err
		}
		if err := ledger.CheckReopen(s, reason); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE periods SET is_closed = ?, closed_at = NULL, closed_by = NULL WHERE collective_id = ? AND period = ?`,
			false, cid, int(p)); err != nil {
			return err
		}
		return tx.audit(ctx, by, "period.reopen", "period", p.String(), cid,
			map[string]any{"closed": true}, map[string]any{"closed": false, "reason": reason})
	})
}

// CloseYear closes a year's books (年终结账): with January to November
// closed and nothing unposted in December, it generates and posts the
// closing vouchers in December (income and expenses into 321, 321 and the
// distributions into 322—未分配收益), then closes December. It returns the
// closing vouchers.
func (db *DB) CloseYear(ctx context.Context, by jiti.UserID, cid int64, year int) ([]*ledger.Voucher, error) {
	var out []*ledger.Voucher
	err := db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		dec := jiti.NewPeriod(year, time.December)
		if err := tx.checkYearClosable(ctx, cid, dec); err != nil {
			return err
		}
		// December's depreciation and contract income belong to the year's
		// result: they are posted before the result is closed.
		if err := tx.registerClose(ctx, by, cid, dec); err != nil {
			return err
		}
		p, err := tx.newPoster(ctx, by, cid)
		if err != nil {
			return err
		}
		moves, err := movements(ctx, tx, cid, dec)
		if err != nil {
			return err
		}
		net := ledger.NetBalances(moves, dec)
		for _, v := range ledger.YearEndClosing(year, p.books.Chart, net, by) {
			v.CollectiveID, v.CreatedAt = cid, tx.now
			if err := tx.insertVoucher(ctx, v); err != nil {
				return err
			}
			if err := p.post(ctx, v); err != nil {
				return err
			}
			if err := tx.audit(ctx, by, "voucher.close_year", "voucher", v.ID, cid, nil, v); err != nil {
				return err
			}
			out = append(out, v)
		}
		if err := p.finish(ctx); err != nil {
			return err
		}
		return tx.markClosed(ctx, by, cid, dec)
	})
	return out, err
}

// LatestPosted returns the latest month in which a collective has posted
// books (a voucher posted, closing included), or 0 when it has none yet: the
// month its statements and figures open on. The balances' key starts with
// the collective and the month, so this reads one index entry.
func (db *DB) LatestPosted(ctx context.Context, cid int64) (jiti.Period, error) {
	var p sql.NullInt64
	if err := db.reader().queryRow(ctx, `SELECT MAX(period) FROM balances WHERE collective_id = ? AND period > 0`, cid).Scan(&p); err != nil {
		return 0, err
	}
	return jiti.Period(p.Int64), nil
}

// Periods lists the months of a collective's books from the month the books
// opened to the latest month with activity (at least to the current month).
func (db *DB) Periods(ctx context.Context, cid int64) ([]PeriodInfo, error) {
	c, err := db.FindCollective(ctx, cid)
	if err != nil {
		return nil, err
	}
	r := db.reader()
	info := map[jiti.Period]*PeriodInfo{}
	last := jiti.DateOf(db.now()).Period()
	rows, err := r.query(ctx, `SELECT period, is_closed, last_number FROM periods WHERE collective_id = ?`, cid)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var pi PeriodInfo
		if err := rows.Scan(&pi.Period, &pi.Closed, &pi.LastNumber); err != nil {
			rows.Close()
			return nil, err
		}
		info[pi.Period] = &pi
		last = max(last, pi.Period)
	}
	rows.Close()
	rows, err = r.query(ctx, `SELECT period, COUNT(*) FROM vouchers WHERE collective_id = ? AND status NOT IN (?, ?) GROUP BY period`,
		cid, string(ledger.Posted), statusStaged)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p jiti.Period
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return nil, err
		}
		if info[p] == nil {
			info[p] = &PeriodInfo{Period: p}
		}
		info[p].Unposted = n
		last = max(last, p)
	}
	var out []PeriodInfo
	for p := c.BooksOpenedOn.Period(); p <= last; p = p.Next() {
		if pi := info[p]; pi != nil {
			out = append(out, *pi)
		} else {
			out = append(out, PeriodInfo{Period: p})
		}
	}
	return out, rows.Err()
}

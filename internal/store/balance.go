package store

import (
	"context"
	"fmt"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// movements returns a collective's monthly turnover up to month to, with the
// opening balances at ledger.OpeningPeriod.
func movements(ctx context.Context, q querier, cid int64, to jiti.Period) ([]ledger.Movement, error) {
	return queryMovements(ctx, q, `SELECT account_code, period, debit, credit FROM balances
WHERE collective_id = ? AND period <= ? ORDER BY period, account_code`, cid, int(to))
}

// Movements returns a collective's monthly turnover per leaf account up to
// month to, opening balances included at ledger.OpeningPeriod.
func (db *DB) Movements(ctx context.Context, cid int64, to jiti.Period) ([]ledger.Movement, error) {
	return movements(ctx, db.reader(), cid, to)
}

// TrialBalance returns the trial balance (科目余额表) of a collective over
// the months from..to. It reads the monthly balances kept by posting, never
// the voucher lines.
func (db *DB) TrialBalance(ctx context.Context, cid int64, from, to jiti.Period, all bool) (*ledger.TrialBalance, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	accounts, err := db.Accounts(ctx, cid)
	if err != nil {
		return nil, err
	}
	if len(accounts) == 0 {
		return nil, jiti.ErrNotFound.With("collective", cid)
	}
	moves, err := movementsSince(ctx, db.reader(), cid, min(from, to.YearStart()), to)
	if err != nil {
		return nil, err
	}
	return ledger.ComputeTrialBalance(accounts, moves, from, to, all), nil
}

// movementsSince returns a collective's monthly turnover from month cut to
// month to, and before cut one movement per account at
// ledger.OpeningPeriod: its opening balance and the months before cut
// summed. A trial balance from cut on (whose year starts at cut or later)
// reads the months before cut only as its opening balance, so it comes out
// the same, from a tenth of the rows after ten years of books.
func movementsSince(ctx context.Context, q querier, cid int64, cut, to jiti.Period) ([]ledger.Movement, error) {
	return queryMovements(ctx, q, `SELECT account_code, ?, SUM(debit), SUM(credit) FROM balances
WHERE collective_id = ? AND period < ? GROUP BY account_code
UNION ALL
SELECT account_code, period, debit, credit FROM balances WHERE collective_id = ? AND period >= ? AND period <= ?`,
		int(ledger.OpeningPeriod), cid, int(cut), cid, int(cut), int(to))
}

// queryMovements runs a query whose rows are movements: account, period,
// debit, credit.
func queryMovements(ctx context.Context, q querier, query string, args ...any) ([]ledger.Movement, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.Movement
	for rows.Next() {
		var m ledger.Movement
		if err := rows.Scan(&m.Account, &m.Period, &m.Debit, &m.Credit); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ErrPeriodRange reports a range whose end is before its start.
var ErrPeriodRange = jiti.Errorf(jiti.Invalid, "period.range")

func checkRange(from, to jiti.Period) error {
	if !from.Valid() {
		return jiti.ErrPeriodSyntax.With(from).At("from")
	}
	if !to.Valid() {
		return jiti.ErrPeriodSyntax.With(to).At("to")
	}
	if to < from {
		return ErrPeriodRange.With(from, to).At("to")
	}
	return nil
}

// RegionTrialBalance returns the trial balance of the first-level accounts
// summed over every collective in a region (a township, a county), from
// the stored monthly balances.
func (db *DB) RegionTrialBalance(ctx context.Context, region string, from, to jiti.Period) (*ledger.TrialBalance, int, error) {
	if err := checkRange(from, to); err != nil {
		return nil, 0, err
	}
	r := db.reader()
	var n int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM collectives WHERE region_code LIKE ?`, region+"%").Scan(&n); err != nil {
		return nil, 0, err
	}
	moves, err := queryMovements(ctx, r, `SELECT SUBSTR(b.account_code, 1, 3), b.period, SUM(b.debit), SUM(b.credit)
FROM balances b JOIN collectives c ON c.id = b.collective_id
WHERE c.region_code LIKE ? AND b.period <= ?
GROUP BY SUBSTR(b.account_code, 1, 3), b.period`, region+"%", int(to))
	if err != nil {
		return nil, 0, err
	}
	var first []ledger.Account
	for _, a := range ledger.StandardAccounts() {
		if a.Level() == 1 {
			a.Leaf = true
			first = append(first, a)
		}
	}
	return ledger.ComputeTrialBalance(first, moves, from, to, false), n, nil
}

// OpeningBalance is the balance of an account (and, for sub-ledgers such as
// 113 内部往来, of one household) on the day a collective's books open in
// jiti.
type OpeningBalance struct {
	Account   string      `json:"account"`
	Household string      `json:"household,omitempty"`
	Debit     jiti.Amount `json:"debit"`
	Credit    jiti.Amount `json:"credit"`
}

// SetOpeningBalances replaces a collective's opening balances. They must
// balance, name active leaf accounts (and known households), and may change
// only while the first month of the books is open. They become the opening
// of the first month.
func (db *DB) SetOpeningBalances(ctx context.Context, by jiti.UserID, cid int64, entries []OpeningBalance) error {
	return db.tx(ctx, func(tx *Tx) error {
		if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
			return err
		}
		if _, _, err := tx.lockCollective(ctx, cid); err != nil {
			return err
		}
		b, err := tx.books(ctx, cid)
		if err != nil {
			return err
		}
		if b.Closed(b.OpenedOn.Period()) {
			return ledger.ErrOpeningAfterPosted.With(b.OpenedOn.Period())
		}
		if err := checkOpening(entries, b); err != nil {
			return err
		}
		old, err := openingBalances(ctx, tx, cid)
		if err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM opening_balances WHERE collective_id = ?`,
			`DELETE FROM balances WHERE collective_id = ? AND period = 0`,
			`DELETE FROM household_balances WHERE collective_id = ? AND period = 0`,
			`DELETE FROM stat_turnover WHERE collective_id = ? AND year = 0`} {
			if _, err := tx.exec(ctx, q, cid); err != nil {
				return err
			}
		}
		sums := map[string]*balanceDelta{}
		var order []string
		for _, e := range entries {
			if _, err := tx.exec(ctx, `INSERT INTO opening_balances (collective_id, account_code, household_code, debit, credit) VALUES (?, ?, ?, ?, ?)`,
				cid, e.Account, e.Household, int64(e.Debit), int64(e.Credit)); err != nil {
				if isUnique(err) {
					return jiti.ErrDuplicate.With(e.Account + " " + e.Household).At("account")
				}
				return err
			}
			if e.Household != "" {
				if _, err := tx.exec(ctx, `INSERT INTO household_balances (collective_id, period, account_code, household_code, debit, credit) VALUES (?, 0, ?, ?, ?, ?)`,
					cid, e.Account, e.Household, int64(e.Debit), int64(e.Credit)); err != nil {
					return err
				}
			}
			s := sums[e.Account]
			if s == nil {
				s = &balanceDelta{}
				sums[e.Account] = s
				order = append(order, e.Account)
			}
			s.debit += e.Debit
			s.credit += e.Credit
		}
		for _, code := range order {
			s := sums[code]
			if _, err := tx.exec(ctx, `INSERT INTO balances (collective_id, period, account_code, debit, credit) VALUES (?, 0, ?, ?, ?)`,
				cid, code, int64(s.debit), int64(s.credit)); err != nil {
				return err
			}
			if statAccount(code) {
				if err := tx.addStatTurnover(ctx, cid, statTurnoverRow{0, code, s}); err != nil {
					return err
				}
			}
		}
		return tx.audit(ctx, by, "opening.set", "collective", cid, cid, old, entries)
	})
}

// checkOpening validates opening balances: each line one side, non-negative,
// on an active leaf account and a known household; the whole balanced.
func checkOpening(entries []OpeningBalance, b *ledger.Books) error {
	var errs jiti.Errors
	var dr, cr jiti.Amount
	for i := range entries {
		e := &entries[i]
		e.Account, e.Household = strings.TrimSpace(e.Account), strings.TrimSpace(e.Household)
		at := fmt.Sprintf("entries[%d]", i+1)
		var err *jiti.Error
		postable := ledger.CheckPostable(b.Chart[e.Account], e.Account)
		switch {
		case postable != nil:
			err = jiti.AsError(postable).At("account")
		case e.Debit < 0:
			err = ledger.ErrNotPositive.With(e.Debit).At("debit")
		case e.Credit < 0:
			err = ledger.ErrNotPositive.With(e.Credit).At("credit")
		case e.Debit != 0 && e.Credit != 0:
			err = ledger.ErrBothSides.At("credit")
		case e.Household != "" && !b.HouseholdKnown(e.Household):
			err = ledger.ErrHouseholdUnknown.With(e.Household).At("household")
		}
		if err != nil {
			errs = append(errs, err.At(at))
			continue
		}
		dr += e.Debit
		cr += e.Credit
	}
	if len(errs) == 0 && dr != cr {
		errs = append(errs, ledger.ErrOpeningUnbalanced.With(dr, cr).At("entries"))
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errs
}

func openingBalances(ctx context.Context, q querier, cid int64) ([]OpeningBalance, error) {
	rows, err := q.query(ctx, `SELECT account_code, household_code, debit, credit FROM opening_balances
WHERE collective_id = ? ORDER BY account_code, household_code`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OpeningBalance
	for rows.Next() {
		var e OpeningBalance
		if err := rows.Scan(&e.Account, &e.Household, &e.Debit, &e.Credit); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OpeningBalances returns a collective's opening balances.
func (db *DB) OpeningBalances(ctx context.Context, cid int64) ([]OpeningBalance, error) {
	return openingBalances(ctx, db.reader(), cid)
}

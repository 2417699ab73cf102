package store

import (
	"context"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
)

// closingMovements returns the part of a collective's monthly turnover that
// year-end closing vouchers made, up to month to.
func closingMovements(ctx context.Context, q querier, cid int64, to jiti.Period) ([]ledger.Movement, error) {
	return queryMovements(ctx, q, `SELECT account_code, period, closing_debit, closing_credit FROM balances
WHERE collective_id = ? AND period <= ? AND (closing_debit <> 0 OR closing_credit <> 0)`, cid, int(to))
}

// householdSplit returns, for each leaf account with household sub-ledgers,
// the sum of the households' debit balances and of their credit balances at
// the end of month to. The part of the account's balance that no household
// carries counts as one more sub-ledger.
func householdSplit(ctx context.Context, q querier, cid int64, to jiti.Period, moves []ledger.Movement) (map[string][2]jiti.Amount, error) {
	rows, err := q.query(ctx, `SELECT account_code, household_code, SUM(debit) - SUM(credit) FROM household_balances
WHERE collective_id = ? AND period <= ? GROUP BY account_code, household_code`, cid, int(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	split := map[string][2]jiti.Amount{}
	carried := map[string]jiti.Amount{}
	for rows.Next() {
		var acct, hh string
		var net jiti.Amount
		if err := rows.Scan(&acct, &hh, &net); err != nil {
			return nil, err
		}
		s := split[acct]
		if net > 0 {
			s[0] += net
		} else {
			s[1] -= net
		}
		split[acct] = s
		carried[acct] += net
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(split) == 0 {
		return split, nil
	}
	net := ledger.NetBalances(moves, to)
	for acct, s := range split {
		rest := net[acct] - carried[acct]
		if rest > 0 {
			s[0] += rest
		} else {
			s[1] -= rest
		}
		split[acct] = s
	}
	return split, nil
}

// booksOpened returns the day a collective's books open.
func booksOpened(ctx context.Context, q querier, cid int64) (jiti.Date, error) {
	var opened jiti.Date
	if err := q.queryRow(ctx, `SELECT books_opened_on FROM collectives WHERE id = ?`, cid).Scan(dbDate{&opened}); err != nil {
		return opened, notFound(err, "collective", cid)
	}
	return opened, nil
}

// column builds a statement column from..to, or a blank one when the books,
// opened on opened, do not cover it (report.BooksCover): a column before
// the books shows nothing rather than zeros that look like figures.
func column(opened jiti.Date, heading string, from, to jiti.Period, balance bool,
	moves, closing []ledger.Movement, split map[string][2]jiti.Amount) *report.Snapshot {
	if !report.BooksCover(opened, to, balance) {
		return &report.Snapshot{Heading: heading, Blank: true}
	}
	return report.NewSnapshot(heading, from, to, moves, closing, split)
}

// BalanceSheet returns a collective's balance sheet (资产负债表) at the end
// of month p, with the end of the year before beside it (上年年末余额:
// the opening balances when the books open on 1 January of p's year,
// blank when they open later).
func (db *DB) BalanceSheet(ctx context.Context, cid int64, p jiti.Period) (*report.StatementResult, error) {
	if !p.Valid() {
		return nil, jiti.ErrPeriodSyntax.With(p).At("month")
	}
	r := db.reader()
	opened, err := booksOpened(ctx, r, cid)
	if err != nil {
		return nil, err
	}
	moves, err := movements(ctx, r, cid, p)
	if err != nil {
		return nil, err
	}
	closing, err := closingMovements(ctx, r, cid, p)
	if err != nil {
		return nil, err
	}
	prevEnd := jiti.NewPeriod(p.Year()-1, time.December)
	startSplit, err := householdSplit(ctx, r, cid, prevEnd, moves)
	if err != nil {
		return nil, err
	}
	endSplit, err := householdSplit(ctx, r, cid, p, moves)
	if err != nil {
		return nil, err
	}
	end := column(opened, report.HeadingPeriodEnd, p.YearStart(), p, true, moves, closing, endSplit)
	start := column(opened, report.HeadingYearStart, prevEnd, prevEnd, true, moves, closing, startSplit)
	return report.BalanceSheet().Evaluate(end, start)
}

// IncomeStatement returns a collective's income and distribution statement
// (收益及收益分配表) from January to month p, with the same months of the
// year before beside it: 本年金额 and 上年金额 for a whole year, 本年累计金额
// and 上年同期金额 for part of one. A column before the books is blank (the
// year before of books opened in p's year).
func (db *DB) IncomeStatement(ctx context.Context, cid int64, p jiti.Period) (*report.StatementResult, error) {
	return db.incomeStatement(ctx, db.reader(), cid, p)
}

// incomeStatement is IncomeStatement read through q: inside a transaction,
// what an act (a distribution's plan) computes from the statement.
func (db *DB) incomeStatement(ctx context.Context, r querier, cid int64, p jiti.Period) (*report.StatementResult, error) {
	if !p.Valid() {
		return nil, jiti.ErrPeriodSyntax.With(p).At("month")
	}
	opened, err := booksOpened(ctx, r, cid)
	if err != nil {
		return nil, err
	}
	moves, err := movements(ctx, r, cid, p)
	if err != nil {
		return nil, err
	}
	closing, err := closingMovements(ctx, r, cid, p)
	if err != nil {
		return nil, err
	}
	headThis, headPrev := report.HeadingThisYear, report.HeadingLastYear
	if p.Month() != time.December {
		headThis, headPrev = report.HeadingYearToDate, report.HeadingLastYearToDate
	}
	last := jiti.NewPeriod(p.Year()-1, p.Month())
	this := column(opened, headThis, p.YearStart(), p, false, moves, closing, nil)
	prev := column(opened, headPrev, last.YearStart(), last, false, moves, closing, nil)
	return report.IncomeStatement().Evaluate(this, prev)
}

// LedgerKind selects the book AccountBook returns.
type LedgerKind = report.LedgerKind

// AccountBook returns a book of one account (and every detail account under
// it) over the months from..to: the detail ledger (明细账) or journal (日记账)
// from the posted lines, or the general ledger (总账) from the monthly
// balances.
func (db *DB) AccountBook(ctx context.Context, kind LedgerKind, cid int64, code string, from, to jiti.Period) (*report.Ledger, error) {
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	r := db.reader()
	acct, err := findAccount(ctx, r, cid, code)
	if err != nil {
		return nil, jiti.AsError(err).At("account")
	}
	moves, err := movements(ctx, r, cid, to)
	if err != nil {
		return nil, err
	}
	var opening jiti.Amount
	var yearBefore [2]jiti.Amount
	var months []ledger.Movement
	byMonth := map[jiti.Period]int{}
	for _, m := range moves {
		if !under(m.Account, code) {
			continue
		}
		switch {
		case m.Period < from:
			opening += m.Debit - m.Credit
			if m.Period >= from.YearStart() {
				yearBefore[0] += m.Debit
				yearBefore[1] += m.Credit
			}
		default:
			i, ok := byMonth[m.Period]
			if !ok {
				i = len(months)
				byMonth[m.Period] = i
				months = append(months, ledger.Movement{Account: code, Period: m.Period})
			}
			months[i].Debit += m.Debit
			months[i].Credit += m.Credit
		}
	}
	if kind == report.GeneralKind {
		return report.GeneralLedger(*acct, from, to, opening, yearBefore, months), nil
	}
	entries, err := ledgerEntries(ctx, r, cid, code, from, to)
	if err != nil {
		return nil, err
	}
	if kind == report.JournalKind {
		return report.Journal(*acct, from, to, opening, yearBefore, entries), nil
	}
	return report.DetailLedger(*acct, from, to, opening, yearBefore, entries), nil
}

// under reports whether account code is code or a detail account under it.
func under(account, code string) bool {
	return len(account) >= len(code) && account[:len(code)] == code
}

// ledgerEntries reads the posted lines on an account (and its detail
// accounts) in the months from..to, in date and number order.
func ledgerEntries(ctx context.Context, q querier, cid int64, code string, from, to jiti.Period) ([]report.Entry, error) {
	rows, err := q.query(ctx, `SELECT v.date, v.id, v.period, v.number, l.summary, l.debit, l.credit, l.counterparty, l.household_code
FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE l.collective_id = ? AND l.account_code LIKE ? AND v.status = ? AND v.period BETWEEN ? AND ?
ORDER BY v.date, v.period, v.number, l.line_no`, cid, code+"%", string(ledger.Posted), int(from), int(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []report.Entry
	for rows.Next() {
		var e report.Entry
		if err := rows.Scan(dbDate{&e.Date}, &e.VoucherID, &e.Period, &e.Number, &e.Summary, &e.Debit, &e.Credit,
			&e.Counterparty, &e.Household); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

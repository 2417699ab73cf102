package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// CreateVoucher validates v against the collective's books and saves it as a
// draft made by by. It returns the saved voucher with its id.
func (db *DB) CreateVoucher(ctx context.Context, by jiti.UserID, v *ledger.Voucher) (*ledger.Voucher, error) {
	err := db.tx(ctx, func(tx *Tx) error {
		v.Status, v.Kind, v.MakerID, v.CreatedAt = ledger.Draft, ledger.Normal, by, tx.now
		v.ReversesID, v.Number, v.ApproverID, v.PosterID = 0, 0, 0, 0
		v.Normalize()
		// Under the collective's lock, a month cannot close while the draft
		// is being saved into it.
		b, err := tx.lockBooks(ctx, by, v.CollectiveID, PermKeepBooks, v)
		if err != nil {
			return err
		}
		if err := ledger.Validate(v, b); err != nil {
			return err
		}
		if err := tx.insertVoucher(ctx, v); err != nil {
			return err
		}
		return tx.audit(ctx, by, "voucher.create", "voucher", v.ID, v.CollectiveID, nil, v)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// lockVoucher authorizes an act on voucher id, takes its collective's lock,
// and only then reads the voucher, so that no other act on the collective's
// books (posting, approval, closing) can change it before this one commits.
// All in one round trip: the lock is the voucher's collective's, taken
// before the act is authorized; an act refused rolls back, which ends it.
func (t *Tx) lockVoucher(ctx context.Context, by jiti.UserID, id int64, p Permission) (*ledger.Voucher, error) {
	var b batch
	actor := queueActor(&b, by)
	l := t.queueLock(&b, voucherCollective(id))
	v := queueVoucher(&b, id)
	if err := t.send(ctx, &b); err != nil {
		return nil, err
	}
	if err := mayActOnVoucher(id, actor, l, p); err != nil {
		return nil, err
	}
	return v()
}

// mayActOnVoucher checks, once a batch has read the actor and locked the
// voucher's collective, that the actor may do p on voucher id. A voucher
// outside the user's scope is reported exactly as one that does not exist,
// so its id reveals nothing.
func mayActOnVoucher(id int64, actor func() (*jiti.User, error), l *collectiveLock, p Permission) error {
	if !l.found {
		return jiti.ErrNotFound.With("voucher", id)
	}
	u, err := actor()
	if err != nil {
		return err
	}
	err = permits(u, l.cid, l.region, p)
	if errors.Is(err, jiti.ErrNotFound) {
		return jiti.ErrNotFound.With("voucher", id)
	}
	return err
}

// insertVoucher writes a new voucher and its lines and sets v.ID.
func (t *Tx) insertVoucher(ctx context.Context, v *ledger.Voucher) error {
	err := t.queryRow(ctx, `INSERT INTO vouchers (collective_id, period, date, status, kind, attachments, note, reverses_id, maker_id, created_at, fingerprint)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		v.CollectiveID, int(v.Period), dateArg(v.Date), string(v.Status), string(v.Kind), v.Attachments, v.Note,
		nullID(v.ReversesID), int64(v.MakerID), timeArg(v.CreatedAt), fingerprintArg(v)).Scan(&v.ID)
	if err != nil {
		if isUnique(err) && v.ReversesID != 0 {
			// The original's number is not at hand here, in a transaction
			// the violation has ended: the message goes without it.
			return ledger.ErrAlreadyReversed
		}
		return err
	}
	return t.insertLines(ctx, v)
}

const lineColumns = `voucher_id, line_no, collective_id, account_code, summary, debit, credit, counterparty, household_code, project, asset, contract`

func (t *Tx) insertLines(ctx context.Context, v *ledger.Voucher) error {
	// One multi-row INSERT per voucher: a round trip per voucher, not per line.
	var b strings.Builder
	b.WriteString(`INSERT INTO voucher_lines (` + lineColumns + `) VALUES `)
	args := make([]any, 0, 12*len(v.Lines))
	for i, l := range v.Lines {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, v.ID, l.No, v.CollectiveID, l.Account, l.Summary, int64(l.Debit), int64(l.Credit),
			l.Counterparty, l.Household, l.Project, l.Asset, l.Contract)
	}
	return t.later(ctx, nil, b.String(), args...)
}

// loadVoucher reads a voucher with its lines inside a transaction.
func (t *Tx) loadVoucher(ctx context.Context, id int64) (*ledger.Voucher, error) {
	var b batch
	v := queueVoucher(&b, id)
	if err := t.send(ctx, &b); err != nil {
		return nil, err
	}
	return v()
}

// queueVoucher queues the reads of a voucher and its lines; the function
// returned gives the voucher once the batch has run.
func queueVoucher(b *batch, id int64) func() (*ledger.Voucher, error) {
	v, found := &ledger.Voucher{}, false
	b.query(func(scan func(...any) error) error {
		found = true
		return scanVoucher(scanFunc(scan), v)
	}, `SELECT `+voucherColumns+` FROM vouchers v WHERE v.id = ?`, id)
	b.query(func(scan func(...any) error) error {
		var vid int64
		var l ledger.Line
		err := scanLine(scan, &vid, &l)
		v.Lines = append(v.Lines, l)
		return err
	}, `SELECT `+lineSelect+` FROM voucher_lines WHERE voucher_id = ? ORDER BY line_no`, id)
	return func() (*ledger.Voucher, error) {
		if !found {
			return nil, jiti.ErrNotFound.With("voucher", id)
		}
		return v, nil
	}
}

// UpdateVoucher replaces the date, attachments, note and lines of a draft.
// Posted vouchers are never changed; approved ones must be sent back first.
func (db *DB) UpdateVoucher(ctx context.Context, by jiti.UserID, id int64, upd *ledger.Voucher) (*ledger.Voucher, error) {
	var out *ledger.Voucher
	err := db.tx(ctx, func(tx *Tx) error {
		old, err := tx.lockVoucher(ctx, by, id, PermKeepBooks)
		if err != nil {
			return err
		}
		if err := ledger.CheckEdit(old); err != nil {
			return err
		}
		if old.Kind != ledger.Normal {
			return ledger.ErrPostedImmutable.With(old.Ref())
		}
		v := *old
		v.Date, v.Period, v.Attachments, v.Note = upd.Date, upd.Period, upd.Attachments, upd.Note
		v.Lines = append([]ledger.Line(nil), upd.Lines...)
		v.Normalize()
		b, err := tx.books(ctx, v.CollectiveID, &v)
		if err != nil {
			return err
		}
		if err := ledger.Validate(&v, b); err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE vouchers SET period = ?, date = ?, attachments = ?, note = ?, fingerprint = ? WHERE id = ? AND status = ?`,
			int(v.Period), dateArg(v.Date), v.Attachments, v.Note, fingerprintArg(&v), id, string(ledger.Draft)); err != nil {
			return err
		}
		if err := tx.later(ctx, nil, `DELETE FROM voucher_lines WHERE voucher_id = ?`, id); err != nil {
			return err
		}
		if err := tx.insertLines(ctx, &v); err != nil {
			return err
		}
		out = &v
		return tx.audit(ctx, by, "voucher.update", "voucher", id, v.CollectiveID, old, &v)
	})
	return out, err
}

// DeleteVoucher deletes a draft. Posted vouchers are never deleted: they are
// reversed.
func (db *DB) DeleteVoucher(ctx context.Context, by jiti.UserID, id int64) error {
	return db.tx(ctx, func(tx *Tx) error {
		old, err := tx.lockVoucher(ctx, by, id, PermKeepBooks)
		if err != nil {
			return err
		}
		if err := ledger.CheckEdit(old); err != nil {
			return err
		}
		if err := tx.later(ctx, nil, `DELETE FROM voucher_lines WHERE voucher_id = ?`, id); err != nil {
			return err
		}
		if err := tx.execOne(ctx, `DELETE FROM vouchers WHERE id = ? AND status = ?`, id, string(ledger.Draft)); err != nil {
			return err
		}
		return tx.audit(ctx, by, "voucher.delete", "voucher", id, old.CollectiveID, old, nil)
	})
}

// ApproveVoucher approves a draft (审核). The approver must not be its maker.
func (db *DB) ApproveVoucher(ctx context.Context, by jiti.UserID, id int64) error {
	return db.tx(ctx, func(tx *Tx) error {
		v, err := tx.lockVoucher(ctx, by, id, PermApprove)
		if err != nil {
			return err
		}
		if err := ledger.CheckApprove(v, by); err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE vouchers SET status = ?, approver_id = ?, approved_at = ? WHERE id = ? AND status = ?`,
			string(ledger.Approved), int64(by), timeArg(tx.now), id, string(ledger.Draft)); err != nil {
			return err
		}
		return tx.audit(ctx, by, "voucher.approve", "voucher", id, v.CollectiveID,
			map[string]any{"status": v.Status}, map[string]any{"status": ledger.Approved, "approver_id": by})
	})
}

// UnapproveVoucher sends an approved voucher back to draft (取消审核), so
// its maker can correct it.
func (db *DB) UnapproveVoucher(ctx context.Context, by jiti.UserID, id int64) error {
	return db.tx(ctx, func(tx *Tx) error {
		v, err := tx.lockVoucher(ctx, by, id, PermApprove)
		if err != nil {
			return err
		}
		switch v.Status {
		case ledger.Posted:
			return ledger.ErrPostedImmutable.With(v.Ref())
		case ledger.Draft:
			return ledger.ErrNotApproved.With(v.Ref())
		}
		if err := tx.execOne(ctx, `UPDATE vouchers SET status = ?, approver_id = NULL, approved_at = NULL WHERE id = ? AND status = ?`,
			string(ledger.Draft), id, string(ledger.Approved)); err != nil {
			return err
		}
		return tx.audit(ctx, by, "voucher.unapprove", "voucher", id, v.CollectiveID,
			map[string]any{"status": v.Status, "approver_id": v.ApproverID}, map[string]any{"status": ledger.Draft})
	})
}

// PostVoucher posts an approved voucher (记账): it gives the next number of
// its collective and month, extends the collective's hash chain and updates
// the monthly balances, all in one transaction.
//
// On PostgreSQL that is two round trips, whatever the voucher's size: the
// reads (with BEGIN), and the writes (with COMMIT).
func (db *DB) PostVoucher(ctx context.Context, by jiti.UserID, id int64) (*ledger.Voucher, error) {
	var out *ledger.Voucher
	err := db.tx(ctx, func(tx *Tx) error {
		// One round trip: who acts; the lock of the voucher's collective;
		// and under it the voucher and all that posting it reads (a
		// concurrent post of the same voucher waits, then sees it posted).
		var b batch
		actor := queueActor(&b, by)
		c := voucherCollective(id)
		p := tx.queuePoster(&b, by, c)
		voucher := queueVoucher(&b, id)
		books := tx.queueBooks(ctx, &b, c, namedByStored(c, id), p.lock, p.months)
		p.queueYearOf(&b, id)
		if err := tx.send(ctx, &b); err != nil {
			return err
		}
		if err := mayActOnVoucher(id, actor, p.lock, PermKeepBooks); err != nil {
			return err
		}
		if err := p.ready(books); err != nil {
			return err
		}
		cid := p.cid
		v, err := voucher()
		if err != nil {
			return err
		}
		if err := p.post(ctx, v); err != nil {
			return err
		}
		if err := p.finish(ctx); err != nil {
			return err
		}
		out = v
		return tx.audit(ctx, by, "voucher.post", "voucher", id, cid, map[string]any{"status": ledger.Approved},
			map[string]any{"status": ledger.Posted, "number": v.Number, "seq": v.Seq, "hash": v.Hash})
	})
	return out, err
}

// poster posts vouchers of one collective inside one transaction. It holds
// the collective's lock and chain head, and adds up balance changes so that
// a batch writes each balance row once.
type poster struct {
	tx    *Tx
	by    jiti.UserID
	cid   int64
	lock  *collectiveLock
	seq   int64
	head  string
	books *ledger.Books
	moves map[balanceKey]*balanceDelta
	hh    map[householdKey]*balanceDelta
	// numbers counts the numbers given per month in this batch.
	numbers map[jiti.Period]int
	// months holds the last number given in each month before the batch,
	// read under the lock for every month of the collective.
	months *months
	// years holds the stored statistics (stat_year) of the years read so
	// far, "" for a year without them.
	years map[int]string
}

type balanceKey struct {
	period  jiti.Period
	account string
}

type householdKey struct {
	period             jiti.Period
	account, household string
}

type balanceDelta struct{ debit, credit, closingDebit, closingCredit jiti.Amount }

// newPoster locks the collective for posting and loads its whole chart, for
// posting many vouchers.
func (t *Tx) newPoster(ctx context.Context, by jiti.UserID, cid int64) (*poster, error) {
	return t.lockForPosting(ctx, by, cid, namedBy(collective(cid), nil))
}

// lockForPosting locks the collective and returns a poster with the books
// of set, read in one round trip.
func (t *Tx) lockForPosting(ctx context.Context, by jiti.UserID, cid int64, set bookSet) (*poster, error) {
	var b batch
	c := collective(cid)
	p := t.queuePoster(&b, by, c)
	books := t.queueBooks(ctx, &b, c, set, p.lock, p.months)
	if err := t.send(ctx, &b); err != nil {
		return nil, err
	}
	return p, p.ready(books)
}

// queuePoster queues the collective's lock and, under it, what posting
// reads: the heads of the voucher and audit chains (with the lock) and the
// months, with the last number of each. The poster is ready once the
// batch has run (ready); books read in the same batch share the lock and
// the months.
func (t *Tx) queuePoster(b *batch, by jiti.UserID, c collectiveRef) *poster {
	return &poster{tx: t, by: by, lock: t.queueLock(b, c), months: queueMonths(b, c),
		moves: map[balanceKey]*balanceDelta{}, hh: map[householdKey]*balanceDelta{},
		numbers: map[jiti.Period]int{}, years: map[int]string{}}
}

// ready checks, once the batch of queuePoster has run, that the lock was
// taken, and sets the books read in the batch.
func (p *poster) ready(books func() (*ledger.Books, error)) error {
	if err := p.lock.err(); err != nil {
		return err
	}
	p.cid, p.seq, p.head = p.lock.cid, p.lock.seq, p.lock.hash
	var err error
	p.books, err = books()
	return err
}

// queueYearOf queues the read of the stored statistics of the year of
// stored voucher id, which posting it adds to.
func (p *poster) queueYearOf(b *batch, id int64) {
	b.query(func(scan func(...any) error) error {
		var year int
		var stored string
		err := scan(&year, &stored)
		p.years[year] = stored
		return err
	}, `SELECT v.period / 100, COALESCE(s.turnover, '') FROM vouchers v
  LEFT JOIN stat_year s ON s.collective_id = v.collective_id AND s.year = v.period / 100
WHERE v.id = ?`, id)
}

// post checks that v may be posted now, numbers and chains it, and records
// its balance changes. The caller calls finish once after the last voucher.
func (p *poster) post(ctx context.Context, v *ledger.Voucher) error {
	if v.CollectiveID != p.cid {
		return fmt.Errorf("store: voucher %d is not of collective %d", v.ID, p.cid)
	}
	if err := ledger.CheckPost(v); err != nil {
		return err
	}
	// The books may have changed since the draft was saved: a month closed,
	// an account deactivated. Posting validates again.
	if err := ledger.Validate(v, p.books); err != nil {
		return err
	}
	if v.Kind == ledger.Reversal {
		orig, err := p.tx.loadVoucher(ctx, v.ReversesID)
		if err != nil {
			return err
		}
		if err := ledger.CheckReversal(v, orig); err != nil {
			return err
		}
	}
	p.numbers[v.Period]++
	v.Number = p.months.last[v.Period] + p.numbers[v.Period]
	v.Status, v.PosterID, v.PostedAt = ledger.Posted, p.by, p.tx.now
	if v.Kind.Derived() {
		// A voucher the system derives from the books or a register has
		// no approval step: the user whose act made it (a close, a
		// register event) answers for it as its maker and its reviewer,
		// so its 审核 is never blank.
		v.MakerID, v.ApproverID, v.ApprovedAt = p.by, p.by, p.tx.now
	}
	p.seq++
	v.Seq, v.PrevHash = p.seq, p.head
	v.Hash = ledger.HashVoucher(v, v.PrevHash)
	p.head = v.Hash

	ref := v.Ref()
	err := p.tx.later(ctx, func(n int64) error {
		if n != 1 {
			return ledger.ErrPostedImmutable.With(ref)
		}
		return nil
	}, `UPDATE vouchers SET status = ?, number = ?, seq = ?, prev_hash = ?, hash = ?, poster_id = ?, posted_at = ?,
  maker_id = ?, approver_id = ?, approved_at = ?
WHERE id = ? AND status <> ?`,
		string(ledger.Posted), v.Number, v.Seq, v.PrevHash, v.Hash, int64(p.by), timeArg(v.PostedAt),
		int64(v.MakerID), nullID(v.ApproverID), timeArg(v.ApprovedAt), v.ID, string(ledger.Posted))
	if err != nil {
		return err
	}
	for _, l := range v.Lines {
		k := balanceKey{v.Period, l.Account}
		d := p.moves[k]
		if d == nil {
			d = &balanceDelta{}
			p.moves[k] = d
		}
		d.debit += l.Debit
		d.credit += l.Credit
		if v.Kind == ledger.Closing {
			d.closingDebit += l.Debit
			d.closingCredit += l.Credit
		}
		if l.Household != "" {
			hk := householdKey{v.Period, l.Account, l.Household}
			h := p.hh[hk]
			if h == nil {
				h = &balanceDelta{}
				p.hh[hk] = h
			}
			h.debit += l.Debit
			h.credit += l.Credit
		}
	}
	return nil
}

// finish writes the numbering, the chain head and the balance changes of the
// vouchers posted: statements of many rows each, sent with the commit (or
// the transaction's next read).
func (p *poster) finish(ctx context.Context) error {
	t := p.tx
	var numbers [][]any
	for _, period := range slices.Sorted(maps.Keys(p.numbers)) {
		numbers = append(numbers, []any{p.cid, int(period), p.months.last[period] + p.numbers[period]})
	}
	if err := t.laterRows(ctx, `INSERT INTO periods (collective_id, period, last_number)`, 3,
		`ON CONFLICT (collective_id, period) DO UPDATE SET last_number = excluded.last_number`, numbers); err != nil {
		return err
	}
	// The chain's head goes with the rest of the collective's row, before
	// the commit.
	h := t.holdCollective(p.cid)
	h.chain, h.seq, h.hash = true, p.seq, p.head
	var balances [][]any
	for _, k := range sortedKeys(p.moves, compareBalanceKeys) {
		d := p.moves[k]
		balances = append(balances, []any{p.cid, int(k.period), k.account, int64(d.debit), int64(d.credit), int64(d.closingDebit), int64(d.closingCredit)})
	}
	if err := t.laterRows(ctx, `INSERT INTO balances (collective_id, period, account_code, debit, credit, closing_debit, closing_credit)`, 7,
		`ON CONFLICT (collective_id, period, account_code) DO UPDATE SET
  debit = balances.debit + excluded.debit, credit = balances.credit + excluded.credit,
  closing_debit = balances.closing_debit + excluded.closing_debit, closing_credit = balances.closing_credit + excluded.closing_credit`,
		balances); err != nil {
		return err
	}
	// The year's turnover of result and distribution accounts, for
	// statistics: by account in stat_turnover, packed by collective and
	// year (closing vouchers left out) in stat_year.
	years := map[balanceKey]*balanceDelta{}
	for k, d := range p.moves {
		if !statAccount(k.account) {
			continue
		}
		yk := balanceKey{jiti.Period(k.period.Year()), k.account}
		y := years[yk]
		if y == nil {
			y = &balanceDelta{}
			years[yk] = y
		}
		y.debit += d.debit
		y.credit += d.credit
		y.closingDebit += d.closingDebit
		y.closingCredit += d.closingCredit
	}
	packed := map[int]yearTurnover{}
	var turnover []statTurnoverRow
	for _, k := range sortedKeys(years, compareBalanceKeys) {
		d := years[k]
		turnover = append(turnover, statTurnoverRow{int(k.period), k.account, d})
		if dr, cr := d.debit-d.closingDebit, d.credit-d.closingCredit; dr != 0 || cr != 0 {
			y := packed[int(k.period)]
			if y == nil {
				y = yearTurnover{}
				packed[int(k.period)] = y
			}
			y[k.account] = [2]jiti.Amount{dr, cr}
		}
	}
	if err := t.addStatTurnover(ctx, p.cid, turnover...); err != nil {
		return err
	}
	if err := t.readStatYears(ctx, p.cid, slices.Collect(maps.Keys(packed)), p.years); err != nil {
		return err
	}
	for _, year := range slices.Sorted(maps.Keys(packed)) {
		if err := t.addStatYear(ctx, p.cid, year, p.years[year], packed[year]); err != nil {
			return err
		}
	}
	var households [][]any
	for _, k := range sortedKeys(p.hh, compareHouseholdKeys) {
		d := p.hh[k]
		households = append(households, []any{p.cid, int(k.period), k.account, k.household, int64(d.debit), int64(d.credit)})
	}
	return t.laterRows(ctx, `INSERT INTO household_balances (collective_id, period, account_code, household_code, debit, credit)`, 6,
		`ON CONFLICT (collective_id, period, account_code, household_code) DO UPDATE SET
  debit = household_balances.debit + excluded.debit, credit = household_balances.credit + excluded.credit`, households)
}

// sortedKeys returns the keys of m in the order of cmp: rows written in
// one order every time lock in one order, and statements repeat.
func sortedKeys[K comparable, V any](m map[K]V, cmp func(a, b K) int) []K {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, cmp)
	return keys
}

func compareBalanceKeys(a, b balanceKey) int {
	return cmp.Or(cmp.Compare(a.period, b.period), strings.Compare(a.account, b.account))
}

func compareHouseholdKeys(a, b householdKey) int {
	return cmp.Or(cmp.Compare(a.period, b.period), strings.Compare(a.account, b.account), strings.Compare(a.household, b.household))
}

// statAccount reports whether statistics keep an account's yearly
// turnover: income and expense accounts (5xx) and income distribution (322).
func statAccount(code string) bool {
	return strings.HasPrefix(code, "5") || strings.HasPrefix(code, "322")
}

// statTurnoverRow is a change of a collective's yearly turnover of an
// account.
type statTurnoverRow struct {
	year    int
	account string
	d       *balanceDelta
}

// addStatTurnover adds to a collective's yearly turnover of accounts.
func (t *Tx) addStatTurnover(ctx context.Context, cid int64, changes ...statTurnoverRow) error {
	rows := make([][]any, len(changes))
	for i, c := range changes {
		rows[i] = []any{cid, c.year, c.account, int64(c.d.debit), int64(c.d.credit), int64(c.d.closingDebit), int64(c.d.closingCredit)}
	}
	return t.laterRows(ctx, `INSERT INTO stat_turnover (collective_id, year, account_code, debit, credit, closing_debit, closing_credit)`, 7,
		`ON CONFLICT (collective_id, year, account_code) DO UPDATE SET
  debit = stat_turnover.debit + excluded.debit, credit = stat_turnover.credit + excluded.credit,
  closing_debit = stat_turnover.closing_debit + excluded.closing_debit, closing_credit = stat_turnover.closing_credit + excluded.closing_credit`,
		rows)
}

// ReverseVoucher creates the red-ink reversal of a posted voucher, dated
// date (in an open month, not before the original), as a draft linked to
// it. It is then approved and posted like any voucher; a voucher has at most
// one reversal.
func (db *DB) ReverseVoucher(ctx context.Context, by jiti.UserID, id int64, date jiti.Date) (*ledger.Voucher, error) {
	var out *ledger.Voucher
	err := db.tx(ctx, func(tx *Tx) error {
		orig, err := tx.lockVoucher(ctx, by, id, PermKeepBooks)
		if err != nil {
			return err
		}
		r, err := ledger.Reverse(orig, date, by)
		if err != nil {
			return err
		}
		r.CreatedAt = tx.now
		r.Normalize()
		b, err := tx.books(ctx, r.CollectiveID, r)
		if err != nil {
			return err
		}
		if err := ledger.Validate(r, b); err != nil {
			return err
		}
		if err := tx.insertVoucher(ctx, r); err != nil {
			return err
		}
		out = r
		return tx.audit(ctx, by, "voucher.reverse", "voucher", r.ID, r.CollectiveID, nil, r)
	})
	return out, err
}

// VoucherFilter selects vouchers.
type VoucherFilter struct {
	CollectiveID int64
	From, To     jiti.Period   // months, inclusive; 0 = open-ended
	Status       ledger.Status // "" = any
	Account      string        // vouchers with a line on this account or under it
	Text         string        // in a line's summary or counterparty, or the note
	Limit        int           // default 50; -1 = all
	Offset       int
}

// likeEscaper escapes the wildcards of LIKE, with \ as the escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// FindVoucher returns a voucher with its lines.
func (db *DB) FindVoucher(ctx context.Context, id int64) (*ledger.Voucher, error) {
	vs, err := findVouchers(ctx, db.reader(), `WHERE v.id = ? AND v.status <> '`+statusStaged+`'`, []any{id}, "", 0, 0)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, jiti.ErrNotFound.With("voucher", id)
	}
	return vs[0], nil
}

// FindVouchers returns the vouchers that match f, with their lines, ordered
// by month, number and id, and the number of vouchers that match in all.
func (db *DB) FindVouchers(ctx context.Context, f VoucherFilter) ([]*ledger.Voucher, int, error) {
	w, args := voucherWhere(f)
	r := db.reader()
	var total int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM vouchers v `+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	vs, err := findVouchers(ctx, r, w, args, voucherOrder, f.limit(), f.Offset)
	return vs, total, err
}

// voucherOrder lists vouchers as the books number them: by month, then
// number, drafts after the posted ones of their month.
const voucherOrder = "ORDER BY v.period, COALESCE(v.number, 2147483647), v.id"

func (f VoucherFilter) limit() int {
	if f.Limit == 0 {
		return 50
	}
	return f.Limit
}

// voucherWhere is the WHERE clause of a filter over "vouchers v".
func voucherWhere(f VoucherFilter) (string, []any) {
	// An import's staged vouchers are not the books' until it publishes them.
	where, args := []string{"v.status <> '" + statusStaged + "'"}, []any{}
	if f.CollectiveID != 0 {
		where, args = append(where, "v.collective_id = ?"), append(args, f.CollectiveID)
	}
	if f.From != 0 {
		where, args = append(where, "v.period >= ?"), append(args, int(f.From))
	}
	if f.To != 0 {
		where, args = append(where, "v.period <= ?"), append(args, int(f.To))
	}
	if f.Status != "" {
		where, args = append(where, "v.status = ?"), append(args, string(f.Status))
	}
	if f.Account != "" {
		where = append(where, "EXISTS (SELECT 1 FROM voucher_lines a WHERE a.voucher_id = v.id AND a.account_code LIKE ?)")
		args = append(args, f.Account+"%")
	}
	if f.Text != "" {
		// The text is matched literally (its % and _ escaped), ignoring
		// case on both engines.
		where = append(where, `(LOWER(v.note) LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM voucher_lines t WHERE t.voucher_id = v.id
  AND (LOWER(t.summary) LIKE ? ESCAPE '\' OR LOWER(t.counterparty) LIKE ? ESCAPE '\')))`)
		pat := "%" + likeEscaper.Replace(strings.ToLower(f.Text)) + "%"
		args = append(args, pat, pat, pat)
	}
	return "WHERE " + strings.Join(where, " AND "), args
}

// VoucherHead is a voucher as a list shows it: the voucher without its
// lines, the summary of its first line, its amount (its debits), and the
// voucher it repeats if it is a possible duplicate.
type VoucherHead struct {
	*ledger.Voucher
	Summary string
	Amount  jiti.Amount
	Repeats jiti.VoucherRef // zero if it repeats none
}

// FindVoucherHeads lists vouchers as FindVouchers does, without reading
// their lines: a page of a list needs one summary and one sum of each, and
// a depreciation voucher alone has dozens of lines.
func (db *DB) FindVoucherHeads(ctx context.Context, f VoucherFilter) ([]VoucherHead, int, error) {
	w, args := voucherWhere(f)
	r := db.reader()
	var total int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM vouchers v `+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	// The voucher each repeats comes in the same query, joined: a second
	// query over the page's ids cost a list a fifth of its time.
	query := `SELECT ` + voucherColumns + `,
  COALESCE((SELECT l.summary FROM voucher_lines l WHERE l.voucher_id = v.id ORDER BY l.line_no LIMIT 1), ''),
  COALESCE((SELECT SUM(l.debit) FROM voucher_lines l WHERE l.voucher_id = v.id), 0),
  COALESCE(d.id, 0), COALESCE(d.period, 0), COALESCE(d.number, 0)
FROM vouchers v LEFT JOIN vouchers d ON d.id = ` + repeatedID + ` ` + w + " " + voucherOrder
	if limit := f.limit(); limit > 0 {
		query += " LIMIT ? OFFSET ?"
		args = append(args, limit, f.Offset)
	}
	rows, err := r.query(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []VoucherHead
	for rows.Next() {
		h := VoucherHead{Voucher: &ledger.Voucher{}}
		v := h.Voucher
		if err := rows.Scan(&v.ID, &v.CollectiveID, &v.Period, dbDate{&v.Date}, &v.Number, &v.Status, &v.Kind, &v.Attachments, &v.Note,
			&v.ReversesID, &v.ReversedByID, &v.MakerID, &v.ApproverID, &v.PosterID,
			dbTime{&v.CreatedAt}, dbTime{&v.ApprovedAt}, dbTime{&v.PostedAt}, &v.Seq, &v.PrevHash, &v.Hash,
			&h.Summary, &h.Amount, &h.Repeats.ID, &h.Repeats.Period, &h.Repeats.Number); err != nil {
			return nil, 0, err
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

const voucherColumns = `v.id, v.collective_id, v.period, v.date, COALESCE(v.number, 0), v.status, v.kind, v.attachments, v.note,
  COALESCE(v.reverses_id, 0), COALESCE((SELECT r.id FROM vouchers r WHERE r.reverses_id = v.id), 0),
  v.maker_id, COALESCE(v.approver_id, 0), COALESCE(v.poster_id, 0), v.created_at, v.approved_at, v.posted_at,
  COALESCE(v.seq, 0), COALESCE(v.prev_hash, ''), COALESCE(v.hash, '')`

func scanVoucher(s interface{ Scan(...any) error }, v *ledger.Voucher) error {
	return s.Scan(&v.ID, &v.CollectiveID, &v.Period, dbDate{&v.Date}, &v.Number, &v.Status, &v.Kind, &v.Attachments, &v.Note,
		&v.ReversesID, &v.ReversedByID, &v.MakerID, &v.ApproverID, &v.PosterID,
		dbTime{&v.CreatedAt}, dbTime{&v.ApprovedAt}, dbTime{&v.PostedAt}, &v.Seq, &v.PrevHash, &v.Hash)
}

// findVouchers loads vouchers by a WHERE clause over "vouchers v", then
// their lines in one more query.
func findVouchers(ctx context.Context, q querier, where string, args []any, order string, limit, offset int) ([]*ledger.Voucher, error) {
	query := `SELECT ` + voucherColumns + ` FROM vouchers v ` + where + " " + order
	if limit > 0 {
		query += " LIMIT ? OFFSET ?"
		args = append(append([]any(nil), args...), limit, offset)
	}
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var vs []*ledger.Voucher
	byID := map[int64]*ledger.Voucher{}
	for rows.Next() {
		v := &ledger.Voucher{}
		if err := scanVoucher(rows, v); err != nil {
			rows.Close()
			return nil, err
		}
		vs = append(vs, v)
		byID[v.ID] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for start := 0; start < len(vs); start += 500 {
		end := min(start+500, len(vs))
		ids := make([]any, 0, end-start)
		for _, v := range vs[start:end] {
			ids = append(ids, v.ID)
		}
		if err := loadLines(ctx, q, ids, byID); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

// lineSelect are the columns of a voucher line that scanLine reads.
const lineSelect = `voucher_id, line_no, account_code, summary, debit, credit, counterparty, household_code, project, asset, contract`

func scanLine(scan func(...any) error, vid *int64, l *ledger.Line) error {
	return scan(vid, &l.No, &l.Account, &l.Summary, &l.Debit, &l.Credit, &l.Counterparty, &l.Household, &l.Project, &l.Asset, &l.Contract)
}

func loadLines(ctx context.Context, q querier, ids []any, byID map[int64]*ledger.Voucher) error {
	rows, err := q.query(ctx, `SELECT `+lineSelect+`
FROM voucher_lines WHERE voucher_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY voucher_id, line_no`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var vid int64
		var l ledger.Line
		if err := scanLine(rows.Scan, &vid, &l); err != nil {
			return err
		}
		v := byID[vid]
		v.Lines = append(v.Lines, l)
	}
	return rows.Err()
}

// EachPostedVoucher calls fn for every posted voucher of a collective in the
// months from..to, in month and number order (记字第1号, 第2号, …), reading a
// page at a time so that memory stays flat however large the books. Pages
// follow the unique index on (collective, month, number), so each costs the
// same however far into the books it is.
func (db *DB) EachPostedVoucher(ctx context.Context, cid int64, from, to jiti.Period, fn func(*ledger.Voucher) error) error {
	const page = 1000
	r := db.reader()
	lastPeriod, lastNumber := int(from), 0
	for {
		vs, err := findVouchers(ctx, r, `WHERE v.collective_id = ? AND v.status = ? AND v.period <= ?
  AND (v.period > ? OR (v.period = ? AND v.number > ?))`,
			[]any{cid, string(ledger.Posted), int(to), lastPeriod, lastPeriod, lastNumber},
			"ORDER BY v.period, v.number", page, 0)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if err := fn(v); err != nil {
				return err
			}
		}
		if len(vs) < page {
			return nil
		}
		last := vs[len(vs)-1]
		lastPeriod, lastNumber = int(last.Period), last.Number
	}
}

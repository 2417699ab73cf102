package store

import (
	"context"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
)

// The register steps of closing a month, run in the closing transaction
// under the collective's lock before the month is marked closed:
//
//   - depreciation: every asset's depreciation of the month, as one voucher
//     of the collective;
//   - contracts: contracts whose term has ended expire and give their
//     subjects back; instalments of accruing contracts that fall due are
//     booked as receivables; in January, income received or accrued in
//     earlier years for this year is recognized.
//
// Each step records that it ran (register_closes), so reopening and closing
// a month again posts nothing twice.

const (
	stepDepreciation = "depreciation"
	stepContracts    = "contracts"
)

// registerClose runs the register steps of month p of collective cid.
func (t *Tx) registerClose(ctx context.Context, by jiti.UserID, cid int64, p jiti.Period) error {
	if err := t.depreciate(ctx, by, cid, p); err != nil {
		return err
	}
	return t.closeContracts(ctx, by, cid, p)
}

// stepDone reports whether a register step of a month already ran.
func (t *Tx) stepDone(ctx context.Context, cid int64, p jiti.Period, step string) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM register_closes WHERE collective_id = ? AND period = ? AND step = ?`, cid, int(p), step).Scan(&n)
	return n > 0, err
}

func (t *Tx) markStep(ctx context.Context, cid int64, p jiti.Period, step string, voucher int64) error {
	_, err := t.exec(ctx, `INSERT INTO register_closes (collective_id, period, step, voucher_id) VALUES (?, ?, ?, ?)`, cid, int(p), step, voucher)
	return err
}

// depreciate charges the month's depreciation of every asset of the
// collective that is due any, reading the assets' state in three queries
// whatever their number.
func (t *Tx) depreciate(ctx context.Context, by jiti.UserID, cid int64, p jiti.Period) error {
	if done, err := t.stepDone(ctx, cid, p, stepDepreciation); err != nil || done {
		return err
	}
	rows, err := t.query(ctx, `SELECT `+assetColumns+` FROM assets
WHERE collective_id = ? AND method <> ? AND acquired_on < ? AND (disposed_on IS NULL OR disposed_on >= ?) ORDER BY code`,
		cid, string(register.NoDepreciation), dateArg(p.First()), dateArg(p.First()))
	if err != nil {
		return err
	}
	var assets []*register.Asset
	for rows.Next() {
		a := &register.Asset{}
		if err := scanAsset(rows, a); err != nil {
			rows.Close()
			return err
		}
		assets = append(assets, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var items []posting.DepItem
	if len(assets) > 0 {
		state, err := t.depStates(ctx, cid, p)
		if err != nil {
			return err
		}
		for _, a := range assets {
			st := state[a.ID]
			if st == nil {
				st = &depState{}
			}
			if st.done {
				continue // charged already, at its disposal this month
			}
			st.s.Accumulated += a.OpeningDepreciation
			st.s.MonthsDone += a.OpeningMonths
			if amount := register.MonthlyDepreciation(a, p, st.s); amount > 0 {
				items = append(items, posting.DepItem{Asset: a, Amount: amount})
			}
		}
	}
	// One voucher per collective and month; a collective with more assets
	// than a voucher has lines gets one voucher per batch of them.
	const perVoucher = 900
	var first int64
	for start := 0; start < len(items); start += perVoucher {
		batch := items[start:min(start+perVoucher, len(items))]
		v := posting.Depreciation(cid, p, batch)
		if v == nil {
			continue
		}
		if err := t.postRegister(ctx, by, cid, v); err != nil {
			return err
		}
		if first == 0 {
			first = v.ID
		}
		rows := make([][]any, len(batch))
		for i, it := range batch {
			rows[i] = []any{it.Asset.ID, int(p), int64(it.Amount), v.ID}
		}
		if err := t.bulkInsert(ctx, "asset_depreciation", []string{"asset_id", "period", "amount", "voucher_id"}, rows); err != nil {
			return err
		}
	}
	return t.markStep(ctx, cid, p, stepDepreciation, first)
}

type depState struct {
	s    register.DepreciationState
	done bool
}

// depStates returns the depreciation so far of every asset of a collective
// (without the opening amounts) and its work in month p.
func (t *Tx) depStates(ctx context.Context, cid int64, p jiti.Period) (map[int64]*depState, error) {
	out := map[int64]*depState{}
	get := func(id int64) *depState {
		s := out[id]
		if s == nil {
			s = &depState{}
			out[id] = s
		}
		return s
	}
	rows, err := t.query(ctx, `SELECT d.asset_id, SUM(d.amount), COUNT(*), SUM(CASE WHEN d.period = ? THEN 1 ELSE 0 END)
FROM asset_depreciation d JOIN assets a ON a.id = d.asset_id WHERE a.collective_id = ? GROUP BY d.asset_id`, int(p), cid)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var sum jiti.Amount
		var n, done int
		if err := rows.Scan(&id, &sum, &n, &done); err != nil {
			rows.Close()
			return nil, err
		}
		s := get(id)
		s.s.Accumulated, s.s.MonthsDone, s.done = sum, n, done > 0
	}
	rows.Close()
	rows, err = t.query(ctx, `SELECT w.asset_id, SUM(CASE WHEN w.period = ? THEN w.units ELSE 0 END),
  SUM(CASE WHEN w.period < ? THEN w.units ELSE 0 END)
FROM asset_work w JOIN assets a ON a.id = w.asset_id WHERE a.collective_id = ? AND w.period <= ? GROUP BY w.asset_id`,
		int(p), int(p), cid, int(p))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, units, before int64
		if err := rows.Scan(&id, &units, &before); err != nil {
			return nil, err
		}
		s := get(id)
		s.s.Work, s.s.WorkDone = units, before
	}
	return out, rows.Err()
}

// closeContracts runs the contract step of closing month p.
func (t *Tx) closeContracts(ctx context.Context, by jiti.UserID, cid int64, p jiti.Period) error {
	if done, err := t.stepDone(ctx, cid, p, stepContracts); err != nil || done {
		return err
	}
	ended, err := t.db.loadContracts(ctx, t, `WHERE collective_id = ? AND status = ? AND end_on <= ?`,
		cid, string(register.InForce), dateArg(p.Last()))
	if err != nil {
		return err
	}
	for _, c := range ended {
		if err := t.endContract(ctx, by, c, register.Expired, c.End, ""); err != nil {
			return err
		}
	}
	var vs []*ledger.Voucher
	accruals, err := t.accrue(ctx, cid, p)
	if err != nil {
		return err
	}
	vs = append(vs, accruals...)
	if p.Month() == time.January {
		recs, err := t.recognize(ctx, cid, p.Year())
		if err != nil {
			return err
		}
		vs = append(vs, recs...)
	}
	var vid int64
	if v := mergeVouchers(p.Last(), "合同应收及收入确认", vs); v != nil {
		if err := t.postRegister(ctx, by, cid, v); err != nil {
			return err
		}
		vid = v.ID
		if err := t.linkRecognitions(ctx, cid, p, vid); err != nil {
			return err
		}
	}
	return t.markStep(ctx, cid, p, stepContracts, vid)
}

// accrue books the instalments of accruing contracts that fall due in
// month p as receivables, marking them accrued.
func (t *Tx) accrue(ctx context.Context, cid int64, p jiti.Period) ([]*ledger.Voucher, error) {
	cs, err := t.db.loadContracts(ctx, t, `WHERE collective_id = ? AND accrue = ? AND status <> ?`, cid, true, string(register.ContractDraft))
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	var out []*ledger.Voucher
	for _, c := range cs {
		insts, err := instalments(ctx, t, `WHERE contract_id = ? AND accrued = ? AND due_on BETWEEN ? AND ?`,
			c.ID, false, dateArg(p.First()), dateArg(p.Last()))
		if err != nil {
			return nil, err
		}
		for _, in := range insts {
			if v := posting.Accrual(c, in, p.Last(), "112", "211"); v != nil {
				if err := t.attachAsset(ctx, c, v); err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			if _, err := t.exec(ctx, `UPDATE instalments SET accrued = ? WHERE contract_id = ? AND no = ?`, true, c.ID, in.No); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// recognize moves to income, in the first month of year, what was received
// or accrued in earlier years for this year's part of an instalment.
func (t *Tx) recognize(ctx context.Context, cid int64, year int) ([]*ledger.Voucher, error) {
	first := jiti.Date{Year: year, Month: time.January, Day: 1}
	last := jiti.Date{Year: year, Month: time.December, Day: 31}
	insts, err := instalments(ctx, t, `WHERE collective_id = ? AND to_on >= ? AND from_on <= ? AND (received > 0 OR accrued = ?)`,
		cid, dateArg(first), dateArg(last), true)
	if err != nil || len(insts) == 0 {
		return nil, err
	}
	contracts := map[int64]*register.Contract{}
	var out []*ledger.Voucher
	for _, in := range insts {
		c := contracts[in.ContractID]
		if c == nil {
			cs, err := t.db.loadContracts(ctx, t, `WHERE id = ?`, in.ContractID)
			if err != nil {
				return nil, err
			}
			c = cs[0]
			contracts[c.ID] = c
		}
		var covered jiti.Amount
		if c.Accrue && in.Accrued && in.DueOn.Before(first) {
			covered = in.Amount
		} else if err := t.queryRow(ctx, `SELECT COALESCE(SUM(p.amount), 0) FROM receipt_parts p JOIN receipts r ON r.id = p.receipt_id
WHERE r.contract_id = ? AND p.instalment = ? AND r.date < ?`, in.ContractID, in.No, dateArg(first)).Scan(&covered); err != nil {
			return nil, err
		}
		amount := register.DeferredIn(in, year, covered)
		if amount <= 0 {
			continue
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM contract_recognitions WHERE contract_id = ? AND instalment = ? AND year = ?`,
			in.ContractID, in.No, year).Scan(&n); err != nil || n > 0 {
			if err != nil {
				return nil, err
			}
			continue
		}
		v := posting.Recognition(c, year, amount, first, "211")
		if v == nil {
			continue
		}
		if err := t.attachAsset(ctx, c, v); err != nil {
			return nil, err
		}
		out = append(out, v)
		// The voucher is linked once it is posted (linkRecognitions).
		if _, err := t.exec(ctx, `INSERT INTO contract_recognitions (contract_id, instalment, year, amount, voucher_id) VALUES (?, ?, ?, ?, 0)`,
			in.ContractID, in.No, year, int64(amount)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *Tx) linkRecognitions(ctx context.Context, cid int64, p jiti.Period, vid int64) error {
	if p.Month() != time.January {
		return nil
	}
	_, err := t.exec(ctx, `UPDATE contract_recognitions SET voucher_id = ? WHERE voucher_id = 0 AND year = ?
AND contract_id IN (SELECT id FROM contracts WHERE collective_id = ?)`, vid, p.Year(), cid)
	return err
}

// mergeVouchers joins balanced vouchers into one, dated date; nil when
// there are none.
func mergeVouchers(date jiti.Date, note string, vs []*ledger.Voucher) *ledger.Voucher {
	var lines []ledger.Line
	for _, v := range vs {
		if v != nil {
			lines = append(lines, v.Lines...)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return &ledger.Voucher{Date: date, Period: date.Period(), Note: note, Lines: lines}
}

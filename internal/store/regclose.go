package store

import (
	"context"
	"strings"
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
// collective that is due any, in one read of the assets with their running
// totals (asset_dep_totals): closing a month costs the same whatever the
// number of months already closed. Assets already charged for the month
// (at their disposal) and assets whose charges reached their cost are left
// out by the query.
func (t *Tx) depreciate(ctx context.Context, by jiti.UserID, cid int64, p jiti.Period) error {
	if done, err := t.stepDone(ctx, cid, p, stepDepreciation); err != nil || done {
		return err
	}
	rows, err := t.query(ctx, `SELECT `+assetColumns+`, COALESCE(s.accumulated, 0), COALESCE(s.months, 0)
FROM assets LEFT JOIN asset_dep_totals s ON s.asset_id = assets.id
WHERE collective_id = ? AND method <> ? AND acquired_on < ? AND (disposed_on IS NULL OR disposed_on >= ?)
  AND COALESCE(s.last_period, 0) < ? AND opening_depreciation + COALESCE(s.accumulated, 0) < cost ORDER BY code`,
		cid, string(register.NoDepreciation), dateArg(p.First()), dateArg(p.First()), int(p))
	if err != nil {
		return err
	}
	type due struct {
		a  *register.Asset
		st register.DepreciationState
	}
	var assets []due
	units := false
	for rows.Next() {
		d := due{a: &register.Asset{}}
		if err := scanAssetTotals(rows, d.a, &d.st); err != nil {
			rows.Close()
			return err
		}
		units = units || d.a.Method == register.UnitsOfWork
		assets = append(assets, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var work map[int64][2]int64
	if units {
		if work, err = t.monthWork(ctx, cid, p); err != nil {
			return err
		}
	}
	var items []posting.DepItem
	for _, d := range assets {
		d.st.Work, d.st.WorkDone = work[d.a.ID][0], work[d.a.ID][1]
		if amount := register.MonthlyDepreciation(d.a, p, d.st); amount > 0 {
			items = append(items, posting.DepItem{Asset: d.a, Amount: amount})
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
		if err := t.chargeDepreciation(ctx, p, v.ID, batch); err != nil {
			return err
		}
	}
	return t.markStep(ctx, cid, p, stepDepreciation, first)
}

// scanAssetTotals scans an asset followed by its running totals into its
// depreciation state, the opening depreciation and months included.
func scanAssetTotals(s interface{ Scan(...any) error }, a *register.Asset, st *register.DepreciationState) error {
	var acc jiti.Amount
	var months int
	if err := scanAsset(s, a, &acc, &months); err != nil {
		return err
	}
	st.Accumulated, st.MonthsDone = a.OpeningDepreciation+acc, a.OpeningMonths+months
	return nil
}

// chargeDepreciation records the month's depreciation of the items, posted
// as voucher vid: a row of history per asset, and the assets' running
// totals moved on by the same amounts, in the same transaction.
func (t *Tx) chargeDepreciation(ctx context.Context, p jiti.Period, vid int64, items []posting.DepItem) error {
	rows := make([][]any, len(items))
	for i, it := range items {
		rows[i] = []any{it.Asset.ID, int(p), int64(it.Amount), vid}
	}
	if err := t.bulkInsert(ctx, "asset_depreciation", []string{"asset_id", "period", "amount", "voucher_id"}, rows); err != nil {
		return err
	}
	// A hundred assets a statement: an asset's first month adds its row.
	const per = 100
	for start := 0; start < len(items); start += per {
		chunk := items[start:min(start+per, len(items))]
		args := make([]any, 0, 3*len(chunk))
		for _, it := range chunk {
			args = append(args, it.Asset.ID, int64(it.Amount), int(p))
		}
		if _, err := t.exec(ctx, `INSERT INTO asset_dep_totals (asset_id, accumulated, months, last_period) VALUES `+
			strings.Repeat("(?, ?, 1, ?), ", len(chunk)-1)+`(?, ?, 1, ?)
ON CONFLICT (asset_id) DO UPDATE SET accumulated = asset_dep_totals.accumulated + excluded.accumulated,
  months = asset_dep_totals.months + 1, last_period = excluded.last_period`, args...); err != nil {
			return err
		}
	}
	return nil
}

// monthWork returns the work of the collective's assets depreciated by
// units of work: in month p, and before it since acquisition.
func (t *Tx) monthWork(ctx context.Context, cid int64, p jiti.Period) (map[int64][2]int64, error) {
	rows, err := t.query(ctx, `SELECT w.asset_id, SUM(CASE WHEN w.period = ? THEN w.units ELSE 0 END),
  SUM(CASE WHEN w.period < ? THEN w.units ELSE 0 END)
FROM asset_work w JOIN assets a ON a.id = w.asset_id WHERE a.collective_id = ? AND a.method = ? AND w.period <= ? GROUP BY w.asset_id`,
		int(p), int(p), cid, string(register.UnitsOfWork), int(p))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][2]int64{}
	for rows.Next() {
		var id, units, before int64
		if err := rows.Scan(&id, &units, &before); err != nil {
			return nil, err
		}
		out[id] = [2]int64{units, before}
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

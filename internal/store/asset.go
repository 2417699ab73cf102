package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
)

// AssetInput is an asset to register. Unless it was on the books before
// they moved into jiti (register.Existing), registering it also books it:
// either by linking VoucherID, a posted voucher that already debits its
// cost account, or by posting the acquisition voucher that package posting
// makes, crediting Credit (a bank or cash account, 211, 153…).
type AssetInput struct {
	Asset     register.Asset
	Credit    string
	VoucherID int64
}

// Errors of the asset register.
var (
	ErrVoucherNotAcquisition = jiti.Errorf(jiti.Invalid, "asset.voucher_mismatch")
	ErrVoucherNotPosted      = jiti.Errorf(jiti.Invalid, "asset.voucher_not_posted")
	ErrAssetCodeTaken        = jiti.Errorf(jiti.Conflict, "asset.code_taken")
)

// CreateAsset registers an asset and books its acquisition, in one
// transaction.
func (db *DB) CreateAsset(ctx context.Context, by jiti.UserID, in AssetInput) (*register.Asset, error) {
	var out *register.Asset
	err := db.tx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.createAsset(ctx, by, in)
		return err
	})
	return out, err
}

// CreateAssets registers many assets in one transaction, all or none; an
// error names the item at fault ("items[3].cost").
func (db *DB) CreateAssets(ctx context.Context, by jiti.UserID, ins []AssetInput) error {
	return db.tx(ctx, func(tx *Tx) error {
		for i, in := range ins {
			if _, err := tx.createAsset(ctx, by, in); err != nil {
				return atItem(err, i)
			}
		}
		return nil
	})
}

// atItem names item i (from 0) of a batch as the place of err's fields.
func atItem(err error, i int) error {
	at := fmt.Sprintf("items[%d]", i+1)
	switch e := err.(type) {
	case jiti.Errors:
		out := make(jiti.Errors, len(e))
		for j, one := range e {
			out[j] = atItem(one, i)
		}
		return out
	case *jiti.Error:
		return e.At(at)
	}
	return err
}

func (t *Tx) createAsset(ctx context.Context, by jiti.UserID, in AssetInput) (*register.Asset, error) {
	a := in.Asset
	if _, err := t.authorize(ctx, by, a.CollectiveID, PermKeepBooks); err != nil {
		return nil, err
	}
	if _, _, err := t.lockCollective(ctx, a.CollectiveID); err != nil {
		return nil, err
	}
	a.Normalize()
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := t.checkAccounts(ctx, a.CollectiveID, map[string]string{
		"cost_account": a.CostAccount, "dep_account": a.DepAccount, "expense_account": a.ExpenseAccount,
		"credit": in.Credit}); err != nil {
		return nil, err
	}
	switch {
	case a.Source == register.Existing:
	case in.VoucherID != 0:
		if err := t.checkAcquisitionVoucher(ctx, &a, in.VoucherID); err != nil {
			return nil, err
		}
		a.VoucherID = in.VoucherID
	default:
		if in.Credit == "" && (a.Source == register.Purchase || a.Source == register.FiscalProject) {
			return nil, jiti.ErrRequired.At("credit")
		}
		if v := posting.Acquisition(&a, a.AcquiredOn, in.Credit); v != nil {
			if err := t.postRegister(ctx, by, a.CollectiveID, v); err != nil {
				return nil, err
			}
			a.VoucherID = v.ID
		}
	}
	if err := t.insertAsset(ctx, &a); err != nil {
		return nil, err
	}
	if err := t.addHistory(ctx, register.StatusChange{AssetID: a.ID, Date: a.StatusSince, To: a.Status, Note: "登记"}); err != nil {
		return nil, err
	}
	return &a, t.auditRecord(ctx, by, "asset.create", assetRecords, a.ID, a.CollectiveID, nil, nil)
}

// checkAccounts checks that each named account exists in the collective's
// chart, is a leaf and is active; "" is skipped.
func (t *Tx) checkAccounts(ctx context.Context, cid int64, fields map[string]string) error {
	for _, field := range []string{"cost_account", "dep_account", "expense_account", "credit", "account", "income_account",
		"proceeds_account", "costs_account", "deferred_account", "receivable_account"} {
		code, ok := fields[field]
		if !ok || code == "" {
			continue
		}
		a, err := findAccount(ctx, t, cid, code)
		if err != nil && !errors.Is(err, jiti.ErrNotFound) {
			return err
		}
		if perr := ledger.CheckPostable(a, code); perr != nil {
			return jiti.AsError(perr).At(field)
		}
	}
	return nil
}

// checkAcquisitionVoucher checks that a voucher linked to a new asset is
// posted, is the collective's, and debits the asset's cost account with at
// least its cost.
func (t *Tx) checkAcquisitionVoucher(ctx context.Context, a *register.Asset, id int64) error {
	v, err := t.loadVoucher(ctx, id)
	if err != nil || v.CollectiveID != a.CollectiveID {
		return jiti.ErrNotFound.With("voucher", id).At("voucher_id")
	}
	if v.Status != ledger.Posted {
		return ErrVoucherNotPosted.With(v.Ref()).At("voucher_id")
	}
	var debit jiti.Amount
	for _, l := range v.Lines {
		if l.Account == a.CostAccount {
			debit += l.Debit
		}
	}
	if debit < a.Cost {
		return ErrVoucherNotAcquisition.With(v.Ref(), a.CostAccount, debit, a.Cost).At("voucher_id")
	}
	return nil
}

// postRegister posts a voucher made by package posting, in the current
// transaction, as a register voucher made by by.
func (t *Tx) postRegister(ctx context.Context, by jiti.UserID, cid int64, v *ledger.Voucher) error {
	v.CollectiveID, v.Kind, v.Status, v.MakerID, v.CreatedAt = cid, ledger.Register, ledger.Draft, by, t.now
	v.Normalize()
	p, err := t.lockForPosting(ctx, by, cid, namedBy(collective(cid), []*ledger.Voucher{v}))
	if err != nil {
		return err
	}
	if err := ledger.Validate(v, p.books); err != nil {
		return err
	}
	if err := t.insertVoucher(ctx, v); err != nil {
		return err
	}
	if err := p.post(ctx, v); err != nil {
		return err
	}
	if err := p.finish(ctx); err != nil {
		return err
	}
	return t.audit(ctx, by, "voucher.post_register", "voucher", v.ID, cid, nil, v)
}

const assetColumns = `id, collective_id, code, name, category, nature, use_for, quantity, unit, location, acquired_on, source, cost,
  method, life_months, residual_rate, total_work, work_unit, opening_depreciation, opening_months,
  cost_account, dep_account, expense_account, status, status_since, disposed_on, COALESCE(voucher_id, 0), note`

// scanAsset scans the assetColumns of a row into a, then the row's extra
// columns, if any, into extra.
func scanAsset(s interface{ Scan(...any) error }, a *register.Asset, extra ...any) error {
	return s.Scan(append([]any{&a.ID, &a.CollectiveID, &a.Code, &a.Name, &a.Category, &a.Nature, &a.Use, &a.Quantity, &a.Unit, &a.Location,
		dbDate{&a.AcquiredOn}, &a.Source, &a.Cost, &a.Method, &a.LifeMonths, &a.ResidualRate, &a.TotalWork, &a.WorkUnit,
		&a.OpeningDepreciation, &a.OpeningMonths, &a.CostAccount, &a.DepAccount, &a.ExpenseAccount, &a.Status,
		dbDate{&a.StatusSince}, dbDate{&a.DisposedOn}, &a.VoucherID, &a.Note}, extra...)...)
}

func (t *Tx) insertAsset(ctx context.Context, a *register.Asset) error {
	err := t.queryRow(ctx, `INSERT INTO assets (collective_id, code, name, category, nature, use_for, quantity, unit, location,
  acquired_on, source, cost, method, life_months, residual_rate, total_work, work_unit, opening_depreciation, opening_months,
  cost_account, dep_account, expense_account, status, status_since, voucher_id, note, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.CollectiveID, a.Code, a.Name, string(a.Category), string(a.Nature), string(a.Use), a.Quantity, a.Unit, a.Location,
		dateArg(a.AcquiredOn), string(a.Source), int64(a.Cost), string(a.Method), a.LifeMonths, a.ResidualRate, a.TotalWork,
		a.WorkUnit, int64(a.OpeningDepreciation), a.OpeningMonths, a.CostAccount, a.DepAccount, a.ExpenseAccount,
		string(a.Status), dateArg(a.StatusSince), nullID(a.VoucherID), a.Note, timeArg(t.now)).Scan(&a.ID)
	if isUnique(err) {
		return ErrAssetCodeTaken.With(a.Code).At("code")
	}
	return err
}

func (t *Tx) addHistory(ctx context.Context, c register.StatusChange) error {
	_, err := t.exec(ctx, `INSERT INTO asset_history (asset_id, date, from_status, to_status, contract_id, note) VALUES (?, ?, ?, ?, ?, ?)`,
		c.AssetID, dateArg(c.Date), string(c.From), string(c.To), nullID(c.Contract), c.Note)
	return err
}

// loadAsset reads an asset in a transaction, after its collective's lock.
func (t *Tx) loadAsset(ctx context.Context, by jiti.UserID, id int64, p Permission) (*register.Asset, error) {
	var cid int64
	if err := t.queryRow(ctx, `SELECT collective_id FROM assets WHERE id = ?`, id).Scan(&cid); err != nil {
		return nil, notFound(err, "asset", id)
	}
	if _, err := t.authorize(ctx, by, cid, p); err != nil {
		if errors.Is(err, jiti.ErrNotFound) {
			return nil, jiti.ErrNotFound.With("asset", id)
		}
		return nil, err
	}
	if _, _, err := t.lockCollective(ctx, cid); err != nil {
		return nil, err
	}
	var a register.Asset
	if err := scanAsset(t.queryRow(ctx, `SELECT `+assetColumns+` FROM assets WHERE id = ?`, id), &a); err != nil {
		return nil, notFound(err, "asset", id)
	}
	return &a, nil
}

// ChangeAssetStatus records that an asset went into a new status on a date
// (idle, self-operated…). Leasing, investing and cooperation are normally
// set by signing their contract.
func (db *DB) ChangeAssetStatus(ctx context.Context, by jiti.UserID, id int64, to register.Status, on jiti.Date, note string) error {
	if to == register.Disposed {
		// A disposal takes the asset off the books: only DisposeAsset,
		// which posts it, may mark an asset disposed.
		return ErrDisposeByStatus.At("status")
	}
	return db.tx(ctx, func(tx *Tx) error {
		a, err := tx.loadAsset(ctx, by, id, PermKeepBooks)
		if err != nil {
			return err
		}
		return tx.changeStatus(ctx, by, a, to, on, 0, strings.TrimSpace(note))
	})
}

func (t *Tx) changeStatus(ctx context.Context, by jiti.UserID, a *register.Asset, to register.Status, on jiti.Date, contract int64, note string) error {
	return t.changeStatusWith(ctx, by, a, to, on, contract, note, map[string]any{"status_note": note})
}

// changeStatusWith is changeStatus with the act's facts for its audit
// event (assetRecords.extras).
func (t *Tx) changeStatusWith(ctx context.Context, by jiti.UserID, a *register.Asset, to register.Status, on jiti.Date, contract int64, note string, extra map[string]any) error {
	if err := register.CheckTransition(a, to, on); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE assets SET status = ?, status_since = ? WHERE id = ?`, string(to), dateArg(on), a.ID); err != nil {
		return err
	}
	if err := t.addHistory(ctx, register.StatusChange{AssetID: a.ID, Date: on, From: a.Status, To: to, Contract: contract, Note: note}); err != nil {
		return err
	}
	old := map[string]any{"status": a.Status, "since": a.StatusSince}
	a.Status, a.StatusSince = to, on
	return t.auditRecord(ctx, by, "asset.status", assetRecords, a.ID, a.CollectiveID, old, extra)
}

// RecordAssetWork records the work an asset depreciated by units of work
// did in a month (kilometres, hours…), before that month is closed.
func (db *DB) RecordAssetWork(ctx context.Context, by jiti.UserID, id int64, p jiti.Period, units int64) error {
	return db.tx(ctx, func(tx *Tx) error {
		a, err := tx.loadAsset(ctx, by, id, PermKeepBooks)
		if err != nil {
			return err
		}
		if units < 0 {
			return ledger.ErrNotPositive.With(units).At("units")
		}
		closed, err := tx.closedPeriods(ctx, a.CollectiveID)
		if err != nil {
			return err
		}
		if closed[p] {
			return ledger.ErrPeriodClosed.With(p).At("period")
		}
		if _, err := tx.exec(ctx, `INSERT INTO asset_work (asset_id, period, units) VALUES (?, ?, ?)
ON CONFLICT (asset_id, period) DO UPDATE SET units = excluded.units`, a.ID, int(p), units); err != nil {
			return err
		}
		return tx.audit(ctx, by, "asset.work", "asset", a.ID, a.CollectiveID, nil, map[string]any{"period": p, "units": units})
	})
}

// depState returns an asset's depreciation before month p, from its
// running totals: accumulated amount and months, the opening ones
// included, and its work in month p; and whether month p (or a later one)
// is charged already.
func (t *Tx) depState(ctx context.Context, a *register.Asset, p jiti.Period) (register.DepreciationState, bool, error) {
	st := register.DepreciationState{Accumulated: a.OpeningDepreciation, MonthsDone: a.OpeningMonths}
	var sum jiti.Amount
	var n, through int
	if err := t.queryRow(ctx, `SELECT COALESCE(SUM(accumulated), 0), COALESCE(SUM(months), 0), COALESCE(MAX(last_period), 0)
FROM asset_dep_totals WHERE asset_id = ?`, a.ID).Scan(&sum, &n, &through); err != nil {
		return st, false, err
	}
	st.Accumulated += sum
	st.MonthsDone += n
	if a.Method == register.UnitsOfWork {
		if err := t.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN period = ? THEN units ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN period < ? THEN units ELSE 0 END), 0) FROM asset_work WHERE asset_id = ?`,
			int(p), int(p), a.ID).Scan(&st.Work, &st.WorkDone); err != nil {
			return st, false, err
		}
	}
	return st, jiti.Period(through) >= p, nil
}

// Disposal describes the disposal of an asset (sale, scrapping, transfer)
// through 154 固定资产清理.
type Disposal struct {
	Date            jiti.Date
	Proceeds        jiti.Amount // what was received
	ProceedsAccount string      // where it was received (bank, cash)
	Costs           jiti.Amount // what the disposal cost
	CostsAccount    string      // where it was paid from
	Reason          string
	// Decision is the number of the adopted 四议两公开 decision (kind
	// disposal) the disposal rests on, if it names one; it must be
	// adopted by the disposal's date.
	Decision string
}

// ErrDisposeByStatus reports an attempt to mark an asset disposed without
// disposing of it.
var ErrDisposeByStatus = jiti.Errorf(jiti.Invalid, "asset.dispose_by_status")

// ErrDisposalReason reports a disposal without its reason.
var ErrDisposalReason = jiti.Errorf(jiti.Invalid, "asset.disposal_reason")

// DisposeAsset disposes of an asset in one act: it charges the month's
// depreciation if the month has not been closed yet (an asset is
// depreciated in the month of its disposal), then posts the disposal
// through 154 with the gain to 504 or the loss to 515, and marks the asset
// disposed. It returns the disposal voucher.
func (db *DB) DisposeAsset(ctx context.Context, by jiti.UserID, id int64, d Disposal) (*ledger.Voucher, error) {
	var out *ledger.Voucher
	err := db.tx(ctx, func(tx *Tx) error {
		a, err := tx.loadAsset(ctx, by, id, PermKeepBooks)
		if err != nil {
			return err
		}
		if len([]rune(strings.TrimSpace(d.Reason))) < 2 {
			return ErrDisposalReason.At("reason")
		}
		if d.Proceeds < 0 || d.Costs < 0 {
			return ledger.ErrNotPositive.At("proceeds")
		}
		if err := register.CheckTransition(a, register.Disposed, d.Date); err != nil {
			return err
		}
		if err := tx.checkAccounts(ctx, a.CollectiveID, map[string]string{"proceeds_account": d.ProceedsAccount, "costs_account": d.CostsAccount}); err != nil {
			return err
		}
		if d.Proceeds > 0 && d.ProceedsAccount == "" {
			return jiti.ErrRequired.At("proceeds_account")
		}
		if d.Costs > 0 && d.CostsAccount == "" {
			return jiti.ErrRequired.At("costs_account")
		}
		var decision int64
		if d.Decision = strings.TrimSpace(d.Decision); d.Decision != "" {
			if decision, err = tx.adoptedDecision(ctx, a.CollectiveID, d.Decision, d.Date, register.DecideDisposal); err != nil {
				return decisionAt(err, "decision")
			}
		}
		disposing := *a
		disposing.DisposedOn = d.Date
		accumulated, err := tx.depreciateUntilDisposal(ctx, by, &disposing, d.Date)
		if err != nil {
			return err
		}
		v := posting.Disposal(a, accumulated, d.Date, d.Proceeds, d.ProceedsAccount, d.Costs, d.CostsAccount)
		if err := tx.postRegister(ctx, by, a.CollectiveID, v); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE assets SET disposed_on = ?, disposal_decision_id = ? WHERE id = ?`, dateArg(d.Date), nullID(decision), a.ID); err != nil {
			return err
		}
		out = v
		extra := map[string]any{"status_note": d.Reason}
		if decision != 0 {
			extra["decision"] = d.Decision
		}
		return tx.changeStatusWith(ctx, by, a, register.Disposed, d.Date, 0, d.Reason, extra)
	})
	return out, err
}

// depreciateUntilDisposal charges an asset's depreciation for every open
// month up to and including the month of its disposal that has not been
// charged yet (an asset is depreciated in the month of its disposal, and
// the months before may not be closed yet), one voucher per month, and
// returns its accumulated depreciation at disposal. Closing those months
// later finds them charged.
func (t *Tx) depreciateUntilDisposal(ctx context.Context, by jiti.UserID, a *register.Asset, on jiti.Date) (jiti.Amount, error) {
	var opened jiti.Date
	if err := t.queryRow(ctx, `SELECT books_opened_on FROM collectives WHERE id = ?`, a.CollectiveID).Scan(dbDate{&opened}); err != nil {
		return 0, err
	}
	closed, err := t.closedPeriods(ctx, a.CollectiveID)
	if err != nil {
		return 0, err
	}
	start := max(a.AcquiredOn.Period().Next(), opened.Period())
	last := on.Period()
	for m := start; m <= last; m = m.Next() {
		if closed[m] {
			continue // its close charged what was due
		}
		st, done, err := t.depState(ctx, a, m)
		if err != nil {
			return 0, err
		}
		if done {
			continue
		}
		amount := register.MonthlyDepreciation(a, m, st)
		if amount <= 0 {
			continue
		}
		v := posting.Depreciation(a.CollectiveID, m, []posting.DepItem{{Asset: a, Amount: amount}})
		if m == last {
			v.Date, v.Period = on, on.Period()
		}
		if err := t.postRegister(ctx, by, a.CollectiveID, v); err != nil {
			return 0, err
		}
		if err := t.chargeDepreciation(ctx, m, v.ID, []posting.DepItem{{Asset: a, Amount: amount}}); err != nil {
			return 0, err
		}
	}
	st, _, err := t.depState(ctx, a, last)
	return st.Accumulated, err
}

// AssetFilter selects assets.
type AssetFilter struct {
	CollectiveID int64
	Region       string // collectives in this region subtree
	Status       register.Status
	Category     register.AssetCategory
}

// FindAssets returns the assets that match f, by collective and code.
func (db *DB) FindAssets(ctx context.Context, f AssetFilter) ([]register.Asset, error) {
	where, args := []string{"1=1"}, []any{}
	if f.CollectiveID != 0 {
		where, args = append(where, "collective_id = ?"), append(args, f.CollectiveID)
	}
	if f.Region != "" {
		where, args = append(where, "collective_id IN (SELECT id FROM collectives WHERE region_code LIKE ?)"), append(args, f.Region+"%")
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.Category != "" {
		where, args = append(where, "category = ?"), append(args, string(f.Category))
	}
	rows, err := db.reader().query(ctx, `SELECT `+assetColumns+` FROM assets WHERE `+strings.Join(where, " AND ")+` ORDER BY collective_id, code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []register.Asset
	for rows.Next() {
		var a register.Asset
		if err := scanAsset(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FindAsset returns one asset.
func (db *DB) FindAsset(ctx context.Context, id int64) (*register.Asset, error) {
	var a register.Asset
	if err := scanAsset(db.reader().queryRow(ctx, `SELECT `+assetColumns+` FROM assets WHERE id = ?`, id), &a); err != nil {
		return nil, notFound(err, "asset", id)
	}
	return &a, nil
}

// AssetHistory returns an asset's status changes in date order.
func (db *DB) AssetHistory(ctx context.Context, id int64) ([]register.StatusChange, error) {
	rows, err := db.reader().query(ctx, `SELECT asset_id, date, from_status, to_status, COALESCE(contract_id, 0), note
FROM asset_history WHERE asset_id = ? ORDER BY date, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []register.StatusChange
	for rows.Next() {
		var c register.StatusChange
		if err := rows.Scan(&c.AssetID, dbDate{&c.Date}, &c.From, &c.To, &c.Contract, &c.Note); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AccumulatedDepreciation returns an asset's accumulated depreciation: the
// opening amount and every month charged since (its running total).
func (db *DB) AccumulatedDepreciation(ctx context.Context, a *register.Asset) (jiti.Amount, error) {
	var sum jiti.Amount
	err := db.reader().queryRow(ctx, `SELECT COALESCE(SUM(accumulated), 0) FROM asset_dep_totals WHERE asset_id = ?`, a.ID).Scan(&sum)
	return sum + a.OpeningDepreciation, err
}

// FindAssetByCode returns the asset with the given code in a collective.
func (db *DB) FindAssetByCode(ctx context.Context, cid int64, code string) (*register.Asset, error) {
	var a register.Asset
	if err := scanAsset(db.reader().queryRow(ctx, `SELECT `+assetColumns+` FROM assets WHERE collective_id = ? AND code = ?`, cid, code), &a); err != nil {
		return nil, notFound(err, "asset", code)
	}
	return &a, nil
}

// ErrAssetHasPostings reports deleting an asset the books or a contract
// refer to: it is disposed of instead.
var ErrAssetHasPostings = jiti.Errorf(jiti.Conflict, "asset.has_postings")

// DeleteAsset deletes an asset registered by mistake. One that the books
// refer to (an acquisition voucher, depreciation, lines naming it) or a
// contract names cannot be deleted: it is disposed of instead.
func (db *DB) DeleteAsset(ctx context.Context, by jiti.UserID, id int64) error {
	return db.tx(ctx, func(tx *Tx) error {
		a, err := tx.loadAsset(ctx, by, id, PermKeepBooks)
		if err != nil {
			return err
		}
		var refs int
		if err := tx.queryRow(ctx, `SELECT
  (SELECT COUNT(*) FROM asset_depreciation WHERE asset_id = ?) +
  (SELECT COUNT(*) FROM contract_subjects WHERE asset_id = ?) +
  (SELECT COUNT(*) FROM (SELECT 1 FROM voucher_lines WHERE collective_id = ? AND asset = ? LIMIT 1) l)`,
			a.ID, a.ID, a.CollectiveID, a.Code).Scan(&refs); err != nil {
			return err
		}
		if refs > 0 || a.VoucherID != 0 {
			return ErrAssetHasPostings.With(a.Code)
		}
		for _, q := range []string{`DELETE FROM asset_history WHERE asset_id = ?`, `DELETE FROM asset_work WHERE asset_id = ?`, `DELETE FROM assets WHERE id = ?`} {
			if _, err := tx.exec(ctx, q, a.ID); err != nil {
				return err
			}
		}
		return tx.audit(ctx, by, "asset.delete", "asset", a.ID, a.CollectiveID, a, nil)
	})
}

package store

import (
	"context"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
)

// The View's reads of a collective's statements and books, and of single
// records of its registers (the lists are in scope_registers.go). Each
// checks the collective's scope before it reads; a record read by its id
// is checked against its own collective, so a record out of scope reads as
// not found, exactly like one that does not exist.

// BalanceSheet returns the balance sheet of a collective in scope.
func (v *View) BalanceSheet(ctx context.Context, cid int64, p jiti.Period) (*report.StatementResult, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.BalanceSheet(ctx, cid, p)
}

// IncomeStatement returns the income and distribution statement of a
// collective in scope.
func (v *View) IncomeStatement(ctx context.Context, cid int64, p jiti.Period) (*report.StatementResult, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.IncomeStatement(ctx, cid, p)
}

// AccountBook returns a book of an account of a collective in scope.
func (v *View) AccountBook(ctx context.Context, kind LedgerKind, cid int64, code string, from, to jiti.Period) (*report.Ledger, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.AccountBook(ctx, kind, cid, code, from, to)
}

// FindAsset returns an asset of a collective in scope; any other reads as
// not found.
func (v *View) FindAsset(ctx context.Context, id int64) (*register.Asset, error) {
	a, err := v.db.FindAsset(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := v.requireCollective(ctx, a.CollectiveID); err != nil {
		return nil, jiti.ErrNotFound.With("asset", id)
	}
	return a, nil
}

// AssetHistory returns the status changes of an asset in scope.
func (v *View) AssetHistory(ctx context.Context, id int64) ([]register.StatusChange, error) {
	if _, err := v.FindAsset(ctx, id); err != nil {
		return nil, err
	}
	return v.db.AssetHistory(ctx, id)
}

// AccumulatedDepreciation returns the accumulated depreciation of an asset
// in scope.
func (v *View) AccumulatedDepreciation(ctx context.Context, a *register.Asset) (jiti.Amount, error) {
	if err := v.requireCollective(ctx, a.CollectiveID); err != nil {
		return 0, jiti.ErrNotFound.With("asset", a.ID)
	}
	return v.db.AccumulatedDepreciation(ctx, a)
}

// AccumulatedDepreciations returns the accumulated depreciation of every
// asset of a collective in scope, by asset id, the opening depreciation
// included: one query for a whole register, where AccumulatedDepreciation
// would take one per asset.
func (v *View) AccumulatedDepreciations(ctx context.Context, cid int64) (map[int64]jiti.Amount, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	rows, err := v.db.reader().query(ctx, `SELECT a.id, CAST(a.opening_depreciation + COALESCE(SUM(d.amount), 0) AS BIGINT)
FROM assets a LEFT JOIN asset_depreciation d ON d.asset_id = a.id
WHERE a.collective_id = ? GROUP BY a.id, a.opening_depreciation`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]jiti.Amount{}
	for rows.Next() {
		var id int64
		var acc jiti.Amount
		if err := rows.Scan(&id, &acc); err != nil {
			return nil, err
		}
		out[id] = acc
	}
	return out, rows.Err()
}

// FindContract returns a contract of a collective in scope; any other reads
// as not found.
func (v *View) FindContract(ctx context.Context, id int64) (*register.Contract, error) {
	c, err := v.db.FindContract(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := v.requireCollective(ctx, c.CollectiveID); err != nil {
		return nil, jiti.ErrNotFound.With("contract", id)
	}
	return c, nil
}

// RecordName is the code and name of a register's record.
type RecordName struct {
	CollectiveID int64
	Code, Name   string
}

// ContractNames returns the code and name of the contracts of the given
// ids that lie in scope, with the scope in the query: for naming the
// contracts a list of warnings refers to. Ids out of scope or unknown are
// left out.
func (v *View) ContractNames(ctx context.Context, ids []int64) (map[int64]RecordName, error) {
	return v.recordNames(ctx, "contracts", ids)
}

// AssetNames returns the code and name of the assets of the given ids
// that lie in scope, as ContractNames does.
func (v *View) AssetNames(ctx context.Context, ids []int64) (map[int64]RecordName, error) {
	return v.recordNames(ctx, "assets", ids)
}

func (v *View) recordNames(ctx context.Context, table string, ids []int64) (map[int64]RecordName, error) {
	out := map[int64]RecordName{}
	cond, cargs := v.collectiveFilter()
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, 0, len(chunk)+len(cargs))
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := v.db.reader().query(ctx, `SELECT id, collective_id, code, name FROM `+table+` WHERE id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)
AND collective_id IN (SELECT id FROM collectives WHERE `+cond+`)`, append(args, cargs...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var n RecordName
			if err := rows.Scan(&id, &n.CollectiveID, &n.Code, &n.Name); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Instalments returns the schedule of a contract in scope.
func (v *View) Instalments(ctx context.Context, contractID int64) ([]register.Instalment, error) {
	if _, err := v.FindContract(ctx, contractID); err != nil {
		return nil, err
	}
	return v.db.Instalments(ctx, contractID)
}

// CollectiveInstalments returns the schedules of every contract of a
// collective in scope, by contract and number: one query for the sums of a
// whole register.
func (v *View) CollectiveInstalments(ctx context.Context, cid int64) ([]register.Instalment, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return instalments(ctx, v.db.reader(), `WHERE collective_id = ?`, cid)
}

// Receipts returns the receipts of a contract in scope.
func (v *View) Receipts(ctx context.Context, contractID int64) ([]Receipt, error) {
	if _, err := v.FindContract(ctx, contractID); err != nil {
		return nil, err
	}
	return v.db.Receipts(ctx, contractID)
}

// DepreciationCharge is one month's depreciation of an asset, and the
// voucher that booked it.
type DepreciationCharge struct {
	Period    jiti.Period `json:"period"`
	Amount    jiti.Amount `json:"amount"`
	VoucherID int64       `json:"voucher_id"`
}

// AssetDepreciation returns the months an asset in scope was depreciated,
// in order (the opening depreciation, charged before the books moved into
// jiti, is the asset's own OpeningDepreciation).
func (v *View) AssetDepreciation(ctx context.Context, id int64) ([]DepreciationCharge, error) {
	if _, err := v.FindAsset(ctx, id); err != nil {
		return nil, err
	}
	rows, err := v.db.reader().query(ctx, `SELECT period, amount, voucher_id FROM asset_depreciation WHERE asset_id = ? ORDER BY period`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DepreciationCharge
	for rows.Next() {
		var c DepreciationCharge
		if err := rows.Scan(&c.Period, &c.Amount, &c.VoucherID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

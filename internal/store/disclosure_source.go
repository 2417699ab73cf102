package store

import (
	"context"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
)

// disclosureSource gathers from the books what the disclosures of
// collective cid for the months from..to are built from (disclose.Build):
// one read of each table, whatever the number of periods built from it,
// so a year's four quarters cost what one does.
func (db *DB) disclosureSource(ctx context.Context, cid int64, from, to jiti.Period, chain disclose.Chain) (*disclose.Source, error) {
	c, err := db.FindCollective(ctx, cid)
	if err != nil {
		return nil, err
	}
	src := &disclose.Source{Code: c.Code, Name: c.Name, Chain: chain, Households: map[string]string{},
		History: map[int64][]register.StatusChange{}, Depreciation: map[int64]map[jiti.Period]jiti.Amount{}}
	if src.Accounts, err = db.Accounts(ctx, cid); err != nil {
		return nil, err
	}
	hs, err := db.Households(ctx, cid)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		src.Households[h.Code] = h.Name
	}
	r := db.reader()
	if src.Entries, err = disclosureEntries(ctx, r, cid, from, to); err != nil {
		return nil, err
	}
	if src.Movements, err = disclosureMovements(ctx, r, cid, to); err != nil {
		return nil, err
	}
	if src.Assets, err = db.FindAssets(ctx, AssetFilter{CollectiveID: cid}); err != nil {
		return nil, err
	}
	if err := assetHistories(ctx, r, cid, src); err != nil {
		return nil, err
	}
	if src.Resources, err = db.FindResources(ctx, ResourceFilter{CollectiveID: cid}); err != nil {
		return nil, err
	}
	if src.Contracts, err = db.FindContracts(ctx, ContractFilter{CollectiveID: cid}); err != nil {
		return nil, err
	}
	src.Receipts, err = disclosureReceipts(ctx, r, cid, from, to)
	return src, err
}

// disclosureEntries reads the lines of posted vouchers of months from..to
// on income and expense accounts; year-end closing vouchers, which only
// carry the year's results into 321, are left out.
func disclosureEntries(ctx context.Context, q querier, cid int64, from, to jiti.Period) ([]disclose.Entry, error) {
	rows, err := q.query(ctx, `SELECT v.date, v.number, l.line_no, l.account_code, l.summary, l.debit, l.credit, l.contract
FROM vouchers v JOIN voucher_lines l ON l.voucher_id = v.id
JOIN accounts a ON a.collective_id = v.collective_id AND a.code = l.account_code
WHERE v.collective_id = ? AND v.period >= ? AND v.period <= ? AND v.status = ? AND v.kind <> ?
AND a.class IN (?, ?)
ORDER BY v.period, v.number, l.line_no`, cid, int(from), int(to), string(ledger.Posted), string(ledger.Closing),
		string(ledger.Income), string(ledger.Expense))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []disclose.Entry
	for rows.Next() {
		var e disclose.Entry
		if err := rows.Scan(dbDate{&e.Date}, &e.Number, &e.Line.No, &e.Line.Account, &e.Line.Summary,
			&e.Line.Debit, &e.Line.Credit, &e.Line.Contract); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// disclosureMovements reads the claims and debts accounts' opening
// balances and monthly sums through month to, by counterparty and
// household.
func disclosureMovements(ctx context.Context, q querier, cid int64, to jiti.Period) ([]disclose.Movement, error) {
	var out []disclose.Movement
	rows, err := q.query(ctx, `SELECT account_code, household_code, debit, credit FROM opening_balances WHERE collective_id = ?`, cid)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m disclose.Movement
		if err := rows.Scan(&m.Account, &m.Household, &m.Debit, &m.Credit); err != nil {
			rows.Close()
			return nil, err
		}
		if disclose.IsClaimOrDebt(m.Account) {
			out = append(out, m)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.query(ctx, `SELECT v.period, l.account_code, l.counterparty, l.household_code,
CAST(SUM(l.debit) AS BIGINT), CAST(SUM(l.credit) AS BIGINT)
FROM vouchers v JOIN voucher_lines l ON l.voucher_id = v.id
WHERE v.collective_id = ? AND v.period <= ? AND v.status = ?
AND (l.account_code LIKE '112%' OR l.account_code LIKE '113%' OR l.account_code LIKE '201%'
  OR l.account_code LIKE '211%' OR l.account_code LIKE '221%')
GROUP BY v.period, l.account_code, l.counterparty, l.household_code`, cid, int(to), string(ledger.Posted))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m disclose.Movement
		if err := rows.Scan(&m.Period, &m.Account, &m.Counterparty, &m.Household, &m.Debit, &m.Credit); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// assetHistories reads the status histories and the monthly depreciation
// of a collective's assets, in one query each.
func assetHistories(ctx context.Context, q querier, cid int64, src *disclose.Source) error {
	rows, err := q.query(ctx, `SELECT h.asset_id, h.date, h.from_status, h.to_status
FROM asset_history h JOIN assets a ON a.id = h.asset_id WHERE a.collective_id = ? ORDER BY h.asset_id, h.date, h.id`, cid)
	if err != nil {
		return err
	}
	for rows.Next() {
		var h register.StatusChange
		if err := rows.Scan(&h.AssetID, dbDate{&h.Date}, &h.From, &h.To); err != nil {
			rows.Close()
			return err
		}
		src.History[h.AssetID] = append(src.History[h.AssetID], h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.query(ctx, `SELECT d.asset_id, d.period, d.amount
FROM asset_depreciation d JOIN assets a ON a.id = d.asset_id WHERE a.collective_id = ?`, cid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p jiti.Period
		var amount jiti.Amount
		if err := rows.Scan(&id, &p, &amount); err != nil {
			return err
		}
		if src.Depreciation[id] == nil {
			src.Depreciation[id] = map[jiti.Period]jiti.Amount{}
		}
		src.Depreciation[id][p] = amount
	}
	return rows.Err()
}

// disclosureReceipts reads the money received on contracts in months
// from..to.
func disclosureReceipts(ctx context.Context, q querier, cid int64, from, to jiti.Period) ([]disclose.Receipt, error) {
	rows, err := q.query(ctx, `SELECT contract_id, date, amount FROM receipts WHERE collective_id = ? AND date >= ? AND date <= ?`,
		cid, from.First().String(), to.Last().String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []disclose.Receipt
	for rows.Next() {
		var r disclose.Receipt
		if err := rows.Scan(&r.ContractID, dbDate{&r.Date}, &r.Amount); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

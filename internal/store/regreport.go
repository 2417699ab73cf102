package store

import (
	"context"
	"fmt"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// MonthClose is what closing a month did to one collective.
type MonthClose struct {
	CollectiveID int64  `json:"collective_id"`
	Code         string `json:"code"`
	Closed       bool   `json:"closed"`
	Err          error  `json:"-"`
}

// CloseMonths closes month p for every collective of a region whose books
// the user keeps, each in its own transaction, so one village's unposted
// voucher does not hold up the others; the result says which closed.
func (db *DB) CloseMonths(ctx context.Context, by jiti.UserID, region string, p jiti.Period) ([]MonthClose, error) {
	cs, err := db.FindCollectives(ctx, region)
	if err != nil {
		return nil, err
	}
	out := make([]MonthClose, 0, len(cs))
	for _, c := range cs {
		err := db.ClosePeriod(ctx, by, c.ID, p)
		if jiti.KindOf(err) == jiti.Internal && err != nil {
			return out, err
		}
		out = append(out, MonthClose{CollectiveID: c.ID, Code: c.Code, Closed: err == nil, Err: err})
	}
	return out, nil
}

// AssetIncome is an asset of the register with the income it earned in a
// year, read from the posted vouchers whose income lines name it.
type AssetIncome struct {
	Asset       register.Asset `json:"asset"`
	Income      jiti.Amount    `json:"income"`
	Revitalized bool           `json:"revitalized"` // idle before, and put to earning use in the year
}

// RevitalizedAssets returns the assets of a region (or a collective) that
// were idle and entered an earning status (self-operated, leased out,
// invested, cooperating) in year, with the income each earned in the year.
func (db *DB) RevitalizedAssets(ctx context.Context, region string, cid int64, year int) ([]AssetIncome, error) {
	// Only assets that left idle in the year can have been revitalized in
	// it: one query finds them, whatever the size of the region.
	where, args := `h.date BETWEEN ? AND ? AND h.from_status = ?`, []any{dateArg(jiti.Date{Year: year, Month: 1, Day: 1}),
		dateArg(jiti.Date{Year: year, Month: 12, Day: 31}), string(register.Idle)}
	if cid != 0 {
		where, args = where+` AND a.collective_id = ?`, append(args, cid)
	}
	if region != "" {
		where, args = where+` AND a.collective_id IN (SELECT id FROM collectives WHERE region_code LIKE ?)`, append(args, region+"%")
	}
	rows, err := db.reader().query(ctx, `SELECT `+assetColumns+` FROM assets
WHERE id IN (SELECT h.asset_id FROM asset_history h JOIN assets a ON a.id = h.asset_id WHERE `+where+`) ORDER BY collective_id, code`, args...)
	if err != nil {
		return nil, err
	}
	var assets []register.Asset
	for rows.Next() {
		var a register.Asset
		if err := scanAsset(rows, &a); err != nil {
			rows.Close()
			return nil, err
		}
		assets = append(assets, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []AssetIncome
	for _, a := range assets {
		h, err := db.AssetHistory(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		if !register.Revitalized(h, year) {
			continue
		}
		income, err := db.assetIncome(ctx, a, year)
		if err != nil {
			return nil, err
		}
		out = append(out, AssetIncome{Asset: a, Income: income, Revitalized: true})
	}
	return out, nil
}

// assetIncome sums the income lines (501, 502) that name an asset in a
// year's posted vouchers, closing vouchers aside.
func (db *DB) assetIncome(ctx context.Context, a register.Asset, year int) (jiti.Amount, error) {
	var income jiti.Amount
	err := db.reader().queryRow(ctx, `SELECT COALESCE(SUM(l.credit - l.debit), 0) FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE l.collective_id = ? AND l.asset = ? AND (l.account_code LIKE '501%' OR l.account_code LIKE '502%')
  AND v.status = 'posted' AND v.kind <> 'closing' AND v.period BETWEEN ? AND ?`,
		a.CollectiveID, a.Code, year*100+1, year*100+12).Scan(&income)
	return income, err
}

// verifyRegisters checks that a collective's registers and books agree: each
// asset's running depreciation totals against its history of months
// charged; the cost of the assets not disposed against the balance of each
// cost account (151, 132, 161, 134 and their detail accounts), their
// accumulated depreciation (the history's, so the totals are held to the
// books through it) against 152, 133 and 162; and every receipt against
// its voucher.
func (db *DB) verifyRegisters(ctx context.Context, cid int64, rep *VerifyReport) error {
	if err := db.verifyDepreciationTotals(ctx, cid, rep); err != nil {
		return err
	}
	r := db.reader()
	book := map[string]jiti.Amount{}
	rows, err := r.query(ctx, `SELECT account_code, SUM(debit) - SUM(credit) FROM balances WHERE collective_id = ?
AND (account_code LIKE '151%' OR account_code LIKE '132%' OR account_code LIKE '134%' OR account_code LIKE '161%'
  OR account_code LIKE '152%' OR account_code LIKE '133%' OR account_code LIKE '162%') GROUP BY account_code`, cid)
	if err != nil {
		return err
	}
	for rows.Next() {
		var code string
		var net jiti.Amount
		if err := rows.Scan(&code, &net); err != nil {
			rows.Close()
			return err
		}
		book[code] = net
	}
	rows.Close()
	reg := map[string]jiti.Amount{}
	rows, err = r.query(ctx, `SELECT a.cost_account, a.dep_account, a.cost, a.opening_depreciation + COALESCE(
  (SELECT SUM(d.amount) FROM asset_depreciation d WHERE d.asset_id = a.id), 0)
FROM assets a WHERE a.collective_id = ? AND a.status <> ?`, cid, string(register.Disposed))
	if err != nil {
		return err
	}
	for rows.Next() {
		var costAcct, depAcct string
		var cost, dep jiti.Amount
		if err := rows.Scan(&costAcct, &depAcct, &cost, &dep); err != nil {
			rows.Close()
			return err
		}
		reg[costAcct] += cost
		if depAcct != "" {
			reg[depAcct] -= dep // a credit balance
		}
	}
	rows.Close()
	var registered int
	if err := r.queryRow(ctx, `SELECT COUNT(*) FROM assets WHERE collective_id = ?`, cid).Scan(&registered); err != nil {
		return err
	}
	if registered == 0 {
		return nil // no register kept yet: nothing to hold the books to
	}
	codes := map[string]bool{}
	for c := range book {
		codes[c] = true
	}
	for c := range reg {
		codes[c] = true
	}
	for c := range codes {
		if book[c] != reg[c] {
			rep.Problems = append(rep.Problems, Problem{CollectiveID: cid, Kind: "verify.register_balance",
				Detail: c + ": books " + book[c].String() + ", register " + reg[c].String()})
		}
	}
	rows, err = r.query(ctx, `SELECT r.id, r.voucher_id, r.amount, COALESCE(v.status, ''),
  COALESCE((SELECT SUM(l.debit) FROM voucher_lines l WHERE l.voucher_id = r.voucher_id AND l.account_code = r.account), 0)
FROM receipts r LEFT JOIN vouchers v ON v.id = r.voucher_id WHERE r.collective_id = ?`, cid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, vid int64
		var amount, debit jiti.Amount
		var status string
		if err := rows.Scan(&id, &vid, &amount, &status, &debit); err != nil {
			return err
		}
		if status != "posted" || debit != amount {
			rep.Problems = append(rep.Problems, Problem{CollectiveID: cid, VoucherID: vid, Kind: "verify.receipt",
				Detail: "receipt " + jiti.Amount(amount).String() + ", voucher debits " + debit.String()})
		}
	}
	return rows.Err()
}

// verifyDepreciationTotals holds each asset's running totals (amount and
// months charged, latest month charged: asset_dep_totals), which closing
// reads, to its history of months charged (asset_depreciation).
func (db *DB) verifyDepreciationTotals(ctx context.Context, cid int64, rep *VerifyReport) error {
	rows, err := db.reader().query(ctx, `SELECT a.id, a.code, COALESCE(s.accumulated, 0), COALESCE(s.months, 0), COALESCE(s.last_period, 0),
  COALESCE(SUM(d.amount), 0), COUNT(d.asset_id), COALESCE(MAX(d.period), 0)
FROM assets a LEFT JOIN asset_dep_totals s ON s.asset_id = a.id LEFT JOIN asset_depreciation d ON d.asset_id = a.id
WHERE a.collective_id = ? GROUP BY a.id, a.code, s.accumulated, s.months, s.last_period ORDER BY a.id`, cid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		var acc, sum jiti.Amount
		var months, through, n, last int
		if err := rows.Scan(&id, &code, &acc, &months, &through, &sum, &n, &last); err != nil {
			return err
		}
		if acc != sum || months != n || through != last {
			rep.Problems = append(rep.Problems, Problem{CollectiveID: cid, Entity: "asset", EntityID: strconv.FormatInt(id, 10),
				Kind: "verify.depreciation_totals", Detail: fmt.Sprintf("asset %s: totals %s over %d months through %d, history %s over %d months through %d",
					code, acc, months, through, sum, n, last)})
		}
	}
	return rows.Err()
}

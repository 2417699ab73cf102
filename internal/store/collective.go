package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// CreateCollective registers a collective economic organization and gives
// it the standard chart of accounts. Only a county administrator may.
func (db *DB) CreateCollective(ctx context.Context, by jiti.UserID, c jiti.Collective) (jiti.Collective, error) {
	err := db.tx(ctx, func(tx *Tx) error {
		if err := tx.requireAdmin(ctx, by); err != nil {
			return err
		}
		return tx.createCollective(ctx, by, &c)
	})
	return c, err
}

// CreateCollectives registers many collectives in one transaction: all or
// none.
func (db *DB) CreateCollectives(ctx context.Context, by jiti.UserID, cs []jiti.Collective) ([]jiti.Collective, error) {
	err := db.tx(ctx, func(tx *Tx) error {
		if err := tx.requireAdmin(ctx, by); err != nil {
			return err
		}
		for i := range cs {
			if err := tx.createCollective(ctx, by, &cs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return cs, err
}

func (t *Tx) createCollective(ctx context.Context, by jiti.UserID, c *jiti.Collective) error {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	if err := t.queryRow(ctx, `SELECT code FROM regions WHERE code = ?`, c.RegionCode).Scan(new(string)); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return jiti.ErrNotFound.With("region", c.RegionCode).At("region")
		}
		return err
	}
	err := t.queryRow(ctx, `INSERT INTO collectives (code, name, uscc, region_code, level, chart_standard, books_opened_on, chain_seq, chain_hash, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id`,
		c.Code, c.Name, nullString(c.USCC), c.RegionCode, string(c.Level), c.ChartStandard, dateArg(c.BooksOpenedOn),
		ledger.ChainStart, timeArg(t.now)).Scan(&c.ID)
	if isUnique(err) {
		return jiti.ErrDuplicate.With(c.Code).At("code")
	}
	if err != nil {
		return err
	}
	for _, a := range ledger.StandardAccounts() {
		if _, err := t.exec(ctx, `INSERT INTO accounts (collective_id, code, name, name_en, class, side, parent_code, is_leaf, is_active, is_standard)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, a.Code, a.Name, a.NameEN, string(a.Class), string(a.Side), a.Parent,
			a.Leaf, a.Active, a.Standard); err != nil {
			return err
		}
	}
	return t.audit(ctx, by, "collective.create", "collective", c.ID, c.ID, nil, c)
}

const collectiveColumns = `id, code, name, COALESCE(uscc, ''), region_code, level, chart_standard, books_opened_on`

func scanCollective(s interface{ Scan(...any) error }, c *jiti.Collective) error {
	return s.Scan(&c.ID, &c.Code, &c.Name, &c.USCC, &c.RegionCode, &c.Level, &c.ChartStandard, dbDate{&c.BooksOpenedOn})
}

// FindCollective returns the collective with the given id.
func (db *DB) FindCollective(ctx context.Context, id int64) (*jiti.Collective, error) {
	var c jiti.Collective
	err := scanCollective(db.reader().queryRow(ctx, `SELECT `+collectiveColumns+` FROM collectives WHERE id = ?`, id), &c)
	if err != nil {
		return nil, notFound(err, "collective", id)
	}
	return &c, nil
}

// FindCollectiveByCode returns the collective with the given code.
func (db *DB) FindCollectiveByCode(ctx context.Context, code string) (*jiti.Collective, error) {
	var c jiti.Collective
	err := scanCollective(db.reader().queryRow(ctx, `SELECT `+collectiveColumns+` FROM collectives WHERE code = ?`, code), &c)
	if err != nil {
		return nil, notFound(err, "collective", code)
	}
	return &c, nil
}

// FindCollectives returns the collectives in the region subtree under
// (every collective when under is ""), ordered by code.
func (db *DB) FindCollectives(ctx context.Context, under string) ([]jiti.Collective, error) {
	rows, err := db.reader().query(ctx, `SELECT `+collectiveColumns+` FROM collectives WHERE region_code LIKE ? ORDER BY code`, under+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []jiti.Collective
	for rows.Next() {
		var c jiti.Collective
		if err := scanCollective(rows, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CollectiveNames returns the code and name of the collectives of the
// given ids, for lists that refer to collectives by id (users' scopes, the
// audit log, problems found): people know a collective by its code and
// name, never by the database's id. Unknown ids are left out.
func (db *DB) CollectiveNames(ctx context.Context, ids []int64) (map[int64]RecordName, error) {
	out := map[int64]RecordName{}
	ids = slices.Compact(slices.Sorted(slices.Values(ids))) // a list names a collective many times
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.reader().query(ctx, `SELECT id, code, name FROM collectives WHERE id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var n RecordName
			if err := rows.Scan(&n.CollectiveID, &n.Code, &n.Name); err != nil {
				rows.Close()
				return nil, err
			}
			out[n.CollectiveID] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Label is a collective or record as people name it: its code and name,
// "620422100201 南什村股份经济合作社".
func (n RecordName) Label() string { return strings.TrimSpace(n.Code + " " + n.Name) }

// lockCollective takes the collective's row lock for the rest of the
// transaction and returns the head of its hash chain. Every write to a
// collective's books starts here, so numbering, chaining and closing are
// serial per collective and parallel across collectives.
func (t *Tx) lockCollective(ctx context.Context, cid int64) (seq int64, hash string, err error) {
	err = t.queryRow(ctx, `SELECT chain_seq, chain_hash FROM collectives WHERE id = ?`+t.d.forUpdate(), cid).Scan(&seq, &hash)
	return seq, hash, notFound(err, "collective", cid)
}

// books loads what voucher validation needs to know of a collective's books:
// the chart, the date the books opened, which months are closed, and which
// households exist. With vs given, only the accounts their lines name are
// loaded, which is all that validating them needs and much less to read
// for one voucher; with none, the whole chart.
func (t *Tx) books(ctx context.Context, cid int64, vs ...*ledger.Voucher) (*ledger.Books, error) {
	return readBooks(ctx, t, cid, vs...)
}

// readBooks is books through any querier: an import validates on the read
// pool, outside the transactions that write its batches.
func readBooks(ctx context.Context, q querier, cid int64, vs ...*ledger.Voucher) (*ledger.Books, error) {
	var opened jiti.Date
	if err := q.queryRow(ctx, `SELECT books_opened_on FROM collectives WHERE id = ?`, cid).Scan(dbDate{&opened}); err != nil {
		return nil, notFound(err, "collective", cid)
	}
	var accounts []ledger.Account
	var err error
	if len(vs) == 0 {
		accounts, err = findAccounts(ctx, q, cid)
	} else {
		accounts, err = findAccountsOf(ctx, q, cid, vs)
	}
	if err != nil {
		return nil, err
	}
	closed, err := closedPeriodsOf(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	return &ledger.Books{
		OpenedOn: opened,
		Chart:    ledger.NewChart(accounts),
		Closed:   func(p jiti.Period) bool { return closed[p] },
		HouseholdKnown: func(code string) bool {
			if ok, seen := known[code]; seen {
				return ok
			}
			err := q.queryRow(ctx, `SELECT code FROM households WHERE collective_id = ? AND code = ?`, cid, code).Scan(new(string))
			known[code] = err == nil
			return err == nil
		},
	}, nil
}

func (t *Tx) closedPeriods(ctx context.Context, cid int64) (map[jiti.Period]bool, error) {
	return closedPeriodsOf(ctx, t, cid)
}

func closedPeriodsOf(ctx context.Context, q querier, cid int64) (map[jiti.Period]bool, error) {
	rows, err := q.query(ctx, `SELECT period FROM periods WHERE collective_id = ? AND is_closed = ?`, cid, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	closed := map[jiti.Period]bool{}
	for rows.Next() {
		var p jiti.Period
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		closed[p] = true
	}
	return closed, rows.Err()
}

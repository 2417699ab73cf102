package store

import (
	"context"
	"database/sql"
	"errors"
	"maps"
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
	var b batch
	l := t.queueLock(&b, collective(cid))
	if err := t.send(ctx, &b); err != nil {
		return 0, "", err
	}
	return l.seq, l.hash, l.err()
}

// collectiveRef names a collective in the SQL of a batch: by its id, or as
// the collective of a stored voucher, so that one round trip can read a
// voucher and lock and read its collective.
type collectiveRef struct {
	expr string // "?" or a subquery of one "?"
	arg  int64
	id   int64 // the id, when known before the batch runs
}

func collective(cid int64) collectiveRef { return collectiveRef{"?", cid, cid} }

// voucherCollective is the collective of stored voucher id.
func voucherCollective(id int64) collectiveRef {
	return collectiveRef{"(SELECT collective_id FROM vouchers WHERE id = ?)", id, 0}
}

// collectiveLock is a collective's lock queued in a batch, with what its
// row holds once the batch has run. The statements queued after it in the
// batch run under the lock.
type collectiveLock struct {
	cid    int64
	found  bool
	region string
	opened jiti.Date
	seq    int64 // the head of the voucher chain
	hash   string
}

// queueLock queues lockCollective's lock. The head of the collective's
// audit chain is read with the row, which holds it: the act the lock is
// for is audited on that chain.
func (t *Tx) queueLock(b *batch, c collectiveRef) *collectiveLock {
	l := &collectiveLock{cid: c.id}
	b.query(func(scan func(...any) error) error {
		l.found = true
		audit := &auditHead{}
		if err := scan(&l.cid, &l.region, dbDate{&l.opened}, &l.seq, &l.hash, &audit.seq, &audit.hash); err != nil {
			return err
		}
		h := t.holdCollective(l.cid)
		if h.chain {
			// Moved by this transaction, written with its commit.
			l.seq, l.hash = h.seq, h.hash
		}
		t.keepAuditHead(l.cid, audit)
		return nil
	}, `SELECT id, region_code, books_opened_on, chain_seq, chain_hash, audit_seq, audit_head FROM collectives WHERE id = `+c.expr+t.d.forUpdate(), c.arg)
	return l
}

func (l *collectiveLock) err() error {
	if !l.found {
		return jiti.ErrNotFound.With("collective", l.cid)
	}
	return nil
}

// collectiveHeads is what a transaction changes in the row of a collective
// it holds locked: its revision and the head of its voucher chain (and of
// its audit chain, kept in Tx.chains). One UPDATE writes them, with the
// commit (saveCollectives), however many acts of the transaction changed
// them.
type collectiveHeads struct {
	rev   bool
	chain bool
	seq   int64
	hash  string
}

// holdCollective records that the transaction holds the collective's lock.
func (t *Tx) holdCollective(cid int64) *collectiveHeads {
	h := t.collectives[cid]
	if h == nil {
		if t.collectives == nil {
			t.collectives = map[int64]*collectiveHeads{}
		}
		h = &collectiveHeads{}
		t.collectives[cid] = h
	}
	return h
}

// saveCollectives writes what the transaction changed in the rows of the
// collectives it holds, one statement each.
func (t *Tx) saveCollectives(ctx context.Context) error {
	for _, cid := range slices.Sorted(maps.Keys(t.collectives)) {
		h := t.collectives[cid]
		var set []string
		var args []any
		if h.rev {
			set = append(set, "rev = rev + 1")
		}
		if h.chain {
			set, args = append(set, "chain_seq = ?", "chain_hash = ?"), append(args, h.seq, h.hash)
		}
		audit := t.chains[cid]
		if audit != nil && audit.dirty && !t.headsInTable {
			set, args = append(set, "audit_seq = ?", "audit_head = ?"), append(args, audit.seq, audit.hash)
		}
		if len(set) == 0 {
			continue
		}
		if err := t.later(ctx, nil, `UPDATE collectives SET `+strings.Join(set, ", ")+` WHERE id = ?`, append(args, cid)...); err != nil {
			return err
		}
		h.rev, h.chain = false, false
		if audit != nil && !t.headsInTable {
			audit.dirty = false
		}
	}
	return nil
}

// lockBooks authorizes by's act p on the collective, takes its lock and
// reads its books under it (as books does, for vs), in one round trip. An
// act refused rolls back, which ends the lock.
func (t *Tx) lockBooks(ctx context.Context, by jiti.UserID, cid int64, p Permission, vs ...*ledger.Voucher) (*ledger.Books, error) {
	var b batch
	actor := queueActor(&b, by)
	c := collective(cid)
	l := t.queueLock(&b, c)
	books := t.queueBooks(ctx, &b, c, namedBy(c, vs), l, nil)
	if err := t.send(ctx, &b); err != nil {
		return nil, err
	}
	u, err := actor()
	if err != nil {
		return nil, err
	}
	if err := l.err(); err != nil {
		return nil, err
	}
	if err := permits(u, cid, l.region, p); err != nil {
		return nil, err
	}
	return books()
}

// books loads what voucher validation needs to know of a collective's books:
// the chart, the date the books opened, which months are closed, and which
// households exist. With vs given, only the accounts their lines name are
// loaded, which is all that validating them needs and much less to read
// for one voucher; with none, the whole chart.
func (t *Tx) books(ctx context.Context, cid int64, vs ...*ledger.Voucher) (*ledger.Books, error) {
	var b batch
	c := collective(cid)
	books := t.queueBooks(ctx, &b, c, namedBy(c, vs), nil, nil)
	if err := t.send(ctx, &b); err != nil {
		return nil, err
	}
	return books()
}

// bookSet is what of a collective's books queueBooks reads: the accounts
// and the households that the vouchers to validate name. Each is a
// condition on its table with its arguments; no accounts condition reads
// none, no households condition leaves each household to be looked up as
// validation asks. named are household codes known to be all the vouchers
// name: those the households read do not find are unknown.
type bookSet struct {
	accounts, households       string
	accountArgs, householdArgs []any
	named                      []string
}

// namedBy selects what the lines of vs name; without vs, the whole chart.
func namedBy(c collectiveRef, vs []*ledger.Voucher) bookSet {
	if len(vs) == 0 {
		return bookSet{accounts: `collective_id = ` + c.expr, accountArgs: []any{c.arg}}
	}
	seen := map[string]bool{}
	accounts, households := []any{c.arg}, []any{c.arg}
	var named []string
	for _, v := range vs {
		for _, l := range v.Lines {
			if !seen["a"+l.Account] {
				seen["a"+l.Account] = true
				accounts = append(accounts, l.Account)
			}
			if l.Household != "" && !seen["h"+l.Household] {
				seen["h"+l.Household] = true
				households = append(households, l.Household)
				named = append(named, l.Household)
			}
		}
	}
	var set bookSet
	if len(accounts) > 1 {
		set.accounts, set.accountArgs = `collective_id = `+c.expr+` AND code IN (?`+strings.Repeat(", ?", len(accounts)-2)+`)`, accounts
	}
	if len(households) > 1 {
		set.households, set.householdArgs = `collective_id = `+c.expr+` AND code IN (?`+strings.Repeat(", ?", len(households)-2)+`)`, households
		set.named = named
	}
	return set
}

// namedByStored selects what the lines of stored voucher id name: a
// voucher read in the same batch need not be read first.
func namedByStored(c collectiveRef, id int64) bookSet {
	return bookSet{
		accounts:      `collective_id = ` + c.expr + ` AND code IN (SELECT account_code FROM voucher_lines WHERE voucher_id = ?)`,
		accountArgs:   []any{c.arg, id},
		households:    `collective_id = ` + c.expr + ` AND code IN (SELECT household_code FROM voucher_lines WHERE voucher_id = ?)`,
		householdArgs: []any{c.arg, id},
	}
}

// queueBooks queues the reads of books; the function returned gives the
// books once the batch has run. The lock and the months of the collective,
// when the batch reads them already, are not read again.
func (t *Tx) queueBooks(ctx context.Context, b *batch, c collectiveRef, set bookSet, l *collectiveLock, m *months) func() (*ledger.Books, error) {
	if l == nil {
		l = &collectiveLock{cid: c.id}
		b.queryRow(&l.found, `SELECT id, books_opened_on FROM collectives WHERE id = `+c.expr, []any{c.arg}, &l.cid, dbDate{&l.opened})
	}
	var chart []ledger.Account
	if set.accounts != "" {
		b.query(func(scan func(...any) error) error {
			var a ledger.Account
			err := scanAccount(scan, &a)
			chart = append(chart, a)
			return err
		}, `SELECT `+accountColumns+` FROM accounts WHERE `+set.accounts, set.accountArgs...)
	}
	if m == nil {
		m = queueMonths(b, c)
	}
	known := map[string]bool{}
	for _, code := range set.named {
		known[code] = false
	}
	if set.households != "" {
		b.query(func(scan func(...any) error) error {
			var code string
			err := scan(&code)
			known[code] = true
			return err
		}, `SELECT code FROM households WHERE `+set.households, set.householdArgs...)
	}
	return func() (*ledger.Books, error) {
		if err := l.err(); err != nil {
			return nil, err
		}
		cid := l.cid
		return &ledger.Books{
			OpenedOn: l.opened,
			Latest:   ledger.LatestDate(jiti.DateOf(t.db.now())),
			Chart:    ledger.NewChart(chart),
			Closed:   func(p jiti.Period) bool { return m.closed[p] },
			HouseholdKnown: func(code string) bool {
				if ok, seen := known[code]; seen {
					return ok
				}
				err := t.queryRow(ctx, `SELECT code FROM households WHERE collective_id = ? AND code = ?`, cid, code).Scan(new(string))
				known[code] = err == nil
				return err == nil
			},
		}, nil
	}
}

func (t *Tx) closedPeriods(ctx context.Context, cid int64) (map[jiti.Period]bool, error) {
	var b batch
	m := queueMonths(&b, collective(cid))
	return m.closed, t.send(ctx, &b)
}

// readBooks is books, with the whole chart, through any querier: an import
// validates on the read pool, outside the transactions that write its
// batches.
func readBooks(ctx context.Context, q querier, cid int64, today jiti.Date) (*ledger.Books, error) {
	var opened jiti.Date
	if err := q.queryRow(ctx, `SELECT books_opened_on FROM collectives WHERE id = ?`, cid).Scan(dbDate{&opened}); err != nil {
		return nil, notFound(err, "collective", cid)
	}
	accounts, err := findAccounts(ctx, q, cid)
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
		Latest:   ledger.LatestDate(today),
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

// months is what the periods table says of a collective's months once a
// batch has read it: which are closed, and the last number given in each
// (none: 0).
type months struct {
	closed map[jiti.Period]bool
	last   map[jiti.Period]int
}

func queueMonths(b *batch, c collectiveRef) *months {
	m := &months{closed: map[jiti.Period]bool{}, last: map[jiti.Period]int{}}
	b.query(func(scan func(...any) error) error {
		var p jiti.Period
		var closed bool
		var last int
		err := scan(&p, &closed, &last)
		m.closed[p], m.last[p] = closed, last
		return err
	}, `SELECT period, is_closed, last_number FROM periods WHERE collective_id = `+c.expr, c.arg)
	return m
}

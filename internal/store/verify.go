package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// Problem is one inconsistency that Verify found.
type Problem struct {
	CollectiveID int64           `json:"collective_id"`
	VoucherID    int64           `json:"voucher_id,omitempty"`
	Voucher      jiti.VoucherRef `json:"voucher,omitzero"`   // the voucher at fault, if one is
	EventID      int64           `json:"event_id,omitempty"` // the audit event at fault, if one is
	Entity       string          `json:"entity,omitempty"`   // the register record at fault: asset, user…
	EntityID     string          `json:"entity_id,omitempty"`
	Fields       []string        `json:"fields,omitempty"` // the record's fields that differ from its audit event
	Kind         string          `json:"kind"`             // a catalog key: verify.hash, verify.balance, …
	Detail       string          `json:"detail"`
}

// VerifyReport is the result of Verify.
type VerifyReport struct {
	Collectives int       `json:"collectives"`
	Vouchers    int       `json:"vouchers"`
	Lines       int       `json:"lines"`
	AuditEvents int       `json:"audit_events"`
	Records     int       `json:"records"` // register records compared with their audit events
	Problems    []Problem `json:"problems"`
}

// OK reports whether nothing was found.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

// Verify checks the books of every collective (or of one, when cid is not 0)
// from the ground up: it recomputes every posted voucher's hash and its
// collective's chain, checks that voucher numbers run without gaps, that
// every posted voucher balances, and recomputes every monthly balance (and
// household balance) from the voucher lines and the opening balances. It
// recomputes the audit log's chains, and compares each register record with
// its latest audit event. A row changed in the database behind jiti's back
// shows up as a problem naming its voucher, event or record.
func (db *DB) Verify(ctx context.Context, cid int64) (*VerifyReport, error) {
	rep := &VerifyReport{}
	cs, err := db.collectiveIDs(ctx, cid)
	if err != nil {
		return nil, err
	}
	if err := db.verifyReferences(ctx, cid, rep); err != nil {
		return nil, err
	}
	for _, c := range cs {
		rep.Collectives++
		if err := db.verifyChain(ctx, c, rep); err != nil {
			return nil, err
		}
		if err := db.verifyBalances(ctx, c, rep); err != nil {
			return nil, err
		}
		if err := db.verifyRegisters(ctx, c, rep); err != nil {
			return nil, err
		}
		if err := db.verifyDocuments(ctx, c, rep); err != nil {
			return nil, err
		}
		if err := db.verifyShares(ctx, c, rep); err != nil {
			return nil, err
		}
		if err := db.verifyDisclosures(ctx, c, rep); err != nil {
			return nil, err
		}
		x := newRecordIndex()
		if err := db.verifyAuditChain(ctx, c, rep, x.add); err != nil {
			return nil, err
		}
		if err := db.verifyRecords(ctx, c, x, rep); err != nil {
			return nil, err
		}
	}
	if err := db.verifyAuditLog(ctx, cid, cs, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

func (db *DB) collectiveIDs(ctx context.Context, cid int64) ([]int64, error) {
	q, args := `SELECT id FROM collectives ORDER BY id`, []any{}
	if cid != 0 {
		q, args = `SELECT id FROM collectives WHERE id = ?`, []any{cid}
	}
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if cid != 0 && len(ids) == 0 {
		return nil, jiti.ErrNotFound.With("collective", cid)
	}
	return ids, rows.Err()
}

// verifyChain walks a collective's posted vouchers in chain order, a page at
// a time so memory stays flat however long the chain.
func (db *DB) verifyChain(ctx context.Context, cid int64, rep *VerifyReport) error {
	r := db.reader()
	var headSeq int64
	var headHash string
	if err := r.queryRow(ctx, `SELECT chain_seq, chain_hash FROM collectives WHERE id = ?`, cid).Scan(&headSeq, &headHash); err != nil {
		return err
	}
	add := func(v *ledger.Voucher, kind, format string, args ...any) {
		p := Problem{CollectiveID: cid, Kind: kind, Detail: fmt.Sprintf(format, args...)}
		if v != nil {
			p.VoucherID, p.Voucher = v.ID, v.Ref()
		}
		rep.Problems = append(rep.Problems, p)
	}
	prev, want := ledger.ChainStart, int64(1)
	numbers := map[jiti.Period][]int{}
	const page = 2000
	for after := int64(0); ; {
		vs, err := findVouchers(ctx, r, `WHERE v.collective_id = ? AND v.status = ? AND v.seq > ?`,
			[]any{cid, string(ledger.Posted), after}, "ORDER BY v.seq", page, 0)
		if err != nil {
			return err
		}
		for _, v := range vs {
			rep.Vouchers++
			rep.Lines += len(v.Lines)
			if v.Seq != want {
				add(v, "verify.chain_gap", "seq %d, want %d", v.Seq, want)
			}
			if v.PrevHash != prev {
				add(v, "verify.chain_link", "prev_hash %.12s…, the voucher before has %.12s…", v.PrevHash, prev)
			}
			if h := ledger.HashVoucher(v, v.PrevHash); h != v.Hash {
				add(v, "verify.hash", "stored hash %.12s…, content hashes to %.12s…", v.Hash, h)
			}
			if dr, cr := v.Totals(); dr != cr {
				add(v, "verify.unbalanced", "debit %s, credit %s", dr, cr)
			}
			numbers[v.Period] = append(numbers[v.Period], v.Number)
			prev, want = v.Hash, v.Seq+1
		}
		if len(vs) < page {
			break
		}
		after = vs[len(vs)-1].Seq
	}
	if want-1 != headSeq || prev != headHash {
		add(nil, "verify.chain_head", "collective records %d vouchers ending %.12s…, found %d ending %.12s…", headSeq, headHash, want-1, prev)
	}
	// Numbers run 1..N in every month, N being the month's last number.
	last := map[jiti.Period]int{}
	rows, err := r.query(ctx, `SELECT period, last_number FROM periods WHERE collective_id = ?`, cid)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p jiti.Period
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			rows.Close()
			return err
		}
		last[p] = n
	}
	rows.Close()
	periods := map[jiti.Period]bool{}
	for p := range numbers {
		periods[p] = true
	}
	for p := range last {
		periods[p] = true
	}
	for p := range periods {
		ns := numbers[p]
		sort.Ints(ns)
		for i, n := range ns {
			if n != i+1 {
				add(nil, "verify.number_gap", "%s: numbers %v do not run 1..%d", p, ns, len(ns))
				break
			}
		}
		if len(ns) != last[p] {
			add(nil, "verify.number_gap", "%s: %d vouchers posted, last number given %d", p, len(ns), last[p])
		}
	}
	return nil
}

type verifyKey struct {
	period             int
	account, household string
}

// verifyBalances recomputes the collective's balances from its posted lines
// and opening balances and compares them with the stored ones.
func (db *DB) verifyBalances(ctx context.Context, cid int64, rep *VerifyReport) error {
	r := db.reader()
	type pair struct{ debit, credit, cdebit, ccredit int64 }
	load := func(q string, args ...any) (map[verifyKey]pair, error) {
		rows, err := r.query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[verifyKey]pair{}
		for rows.Next() {
			var k verifyKey
			var p pair
			if err := rows.Scan(&k.period, &k.account, &k.household, &p.debit, &p.credit, &p.cdebit, &p.ccredit); err != nil {
				return nil, err
			}
			if p != (pair{}) {
				out[k] = p
			}
		}
		return out, rows.Err()
	}
	posted := string(ledger.Posted)
	closing := string(ledger.Closing)
	want, err := load(`SELECT v.period, l.account_code, '', SUM(l.debit), SUM(l.credit),
  SUM(CASE WHEN v.kind = ? THEN l.debit ELSE 0 END), SUM(CASE WHEN v.kind = ? THEN l.credit ELSE 0 END)
FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE v.collective_id = ? AND v.status = ?
GROUP BY v.period, l.account_code
UNION ALL
SELECT 0, account_code, '', SUM(debit), SUM(credit), 0, 0 FROM opening_balances WHERE collective_id = ? GROUP BY account_code`,
		closing, closing, cid, posted, cid)
	if err != nil {
		return err
	}
	have, err := load(`SELECT period, account_code, '', debit, credit, closing_debit, closing_credit FROM balances WHERE collective_id = ?`, cid)
	if err != nil {
		return err
	}
	compare := func(kind string, want, have map[verifyKey]pair) {
		keys := map[verifyKey]bool{}
		for k := range want {
			keys[k] = true
		}
		for k := range have {
			keys[k] = true
		}
		sorted := make([]verifyKey, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Slice(sorted, func(i, j int) bool {
			a, b := sorted[i], sorted[j]
			if a.period != b.period {
				return a.period < b.period
			}
			if a.account != b.account {
				return a.account < b.account
			}
			return a.household < b.household
		})
		for _, k := range sorted {
			w, h := want[k], have[k]
			if w != h {
				where := fmt.Sprintf("%d %s", k.period, k.account)
				if k.period == 0 {
					where = "opening " + k.account
				}
				if k.household != "" {
					where += " household " + k.household
				}
				rep.Problems = append(rep.Problems, Problem{CollectiveID: cid, Kind: kind,
					Detail: fmt.Sprintf("%s: stored debit %s credit %s, lines give debit %s credit %s", where,
						jiti.Amount(h.debit), jiti.Amount(h.credit), jiti.Amount(w.debit), jiti.Amount(w.credit))})
			}
		}
	}
	compare("verify.balance", want, have)

	// The yearly turnover statistics read, recomputed from the lines too.
	wantY, err := load(`SELECT v.period / 100, l.account_code, '', SUM(l.debit), SUM(l.credit),
  SUM(CASE WHEN v.kind = ? THEN l.debit ELSE 0 END), SUM(CASE WHEN v.kind = ? THEN l.credit ELSE 0 END)
FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE v.collective_id = ? AND v.status = ? AND (l.account_code LIKE '5%' OR l.account_code LIKE '322%')
GROUP BY v.period / 100, l.account_code
UNION ALL
SELECT 0, account_code, '', SUM(debit), SUM(credit), 0, 0 FROM opening_balances
WHERE collective_id = ? AND (account_code LIKE '5%' OR account_code LIKE '322%') GROUP BY account_code`,
		closing, closing, cid, posted, cid)
	if err != nil {
		return err
	}
	haveY, err := load(`SELECT year, account_code, '', debit, credit, closing_debit, closing_credit FROM stat_turnover WHERE collective_id = ?`, cid)
	if err != nil {
		return err
	}
	compare("verify.stat_turnover", wantY, haveY)

	// stat_year packs the same turnover, closing vouchers left out.
	wantP := map[verifyKey]pair{}
	for k, p := range wantY {
		if k.period > 0 && (p.debit != p.cdebit || p.credit != p.ccredit) {
			wantP[k] = pair{debit: p.debit - p.cdebit, credit: p.credit - p.ccredit}
		}
	}
	haveP := map[verifyKey]pair{}
	rows, err := r.query(ctx, `SELECT year, turnover FROM stat_year WHERE collective_id = ?`, cid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var year int
		var packed string
		if err := rows.Scan(&year, &packed); err != nil {
			return err
		}
		if err := eachYearEntry([]byte(packed), func(code, debit, credit int64) {
			k := verifyKey{period: year, account: strconv.FormatInt(code, 10)}
			p := haveP[k]
			haveP[k] = pair{debit: p.debit + debit, credit: p.credit + credit}
		}); err != nil {
			rep.Problems = append(rep.Problems, Problem{CollectiveID: cid, Kind: "verify.stat_year", Detail: fmt.Sprintf("%d: %v", year, err)})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	compare("verify.stat_year", wantP, haveP)

	wantH, err := load(`SELECT v.period, l.account_code, l.household_code, SUM(l.debit), SUM(l.credit), 0, 0
FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE v.collective_id = ? AND v.status = ? AND l.household_code <> ''
GROUP BY v.period, l.account_code, l.household_code
UNION ALL
SELECT 0, account_code, household_code, debit, credit, 0, 0 FROM opening_balances WHERE collective_id = ? AND household_code <> ''`,
		cid, posted, cid)
	if err != nil {
		return err
	}
	haveH, err := load(`SELECT period, account_code, household_code, debit, credit, 0, 0 FROM household_balances WHERE collective_id = ?`, cid)
	if err != nil {
		return err
	}
	compare("verify.household_balance", wantH, haveH)
	return nil
}

// verifyReferences checks what foreign keys would: every line belongs to a
// voucher of the same collective, every line's account is in its
// collective's chart, every voucher's collective and users exist. With cid
// not 0, only that collective's rows are checked.
func (db *DB) verifyReferences(ctx context.Context, cid int64, rep *VerifyReport) error {
	filter := func(col string) (string, []any) {
		if cid == 0 {
			return "", nil
		}
		return " AND " + col + " = ?", []any{cid}
	}
	lf, largs := filter("l.collective_id")
	vf, vargs := filter("v.collective_id")
	checks := []struct {
		kind, query string
		args        []any
	}{
		{"verify.orphan_line", `SELECT l.collective_id, l.voucher_id, COUNT(*) FROM voucher_lines l
LEFT JOIN vouchers v ON v.id = l.voucher_id AND v.collective_id = l.collective_id
WHERE v.id IS NULL` + lf + ` GROUP BY l.collective_id, l.voucher_id`, largs},
		{"verify.unknown_account", `SELECT l.collective_id, l.voucher_id, COUNT(*) FROM voucher_lines l
LEFT JOIN accounts a ON a.collective_id = l.collective_id AND a.code = l.account_code
WHERE a.code IS NULL` + lf + ` GROUP BY l.collective_id, l.voucher_id`, largs},
		{"verify.unknown_collective", `SELECT v.collective_id, v.id, 1 FROM vouchers v
LEFT JOIN collectives c ON c.id = v.collective_id WHERE c.id IS NULL` + vf, vargs},
		{"verify.unknown_user", `SELECT v.collective_id, v.id, 1 FROM vouchers v
LEFT JOIN users m ON m.id = v.maker_id
LEFT JOIN users a ON a.id = v.approver_id
LEFT JOIN users p ON p.id = v.poster_id
WHERE (m.id IS NULL OR (v.approver_id IS NOT NULL AND a.id IS NULL) OR (v.poster_id IS NOT NULL AND p.id IS NULL))` + vf, vargs},
	}
	r := db.reader()
	for _, c := range checks {
		rows, err := r.query(ctx, c.query, c.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p Problem
			var n int
			if err := rows.Scan(&p.CollectiveID, &p.VoucherID, &n); err != nil {
				rows.Close()
				return err
			}
			p.Kind, p.Detail = c.kind, fmt.Sprintf("voucher %d: %d rows", p.VoucherID, n)
			rep.Problems = append(rep.Problems, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// verifyAuditLog checks what the per-collective checks leave: with cid 0,
// the chain of the events of no collective and the chains of collectives
// that no longer exist; always, events outside every chain.
func (db *DB) verifyAuditLog(ctx context.Context, cid int64, checked []int64, rep *VerifyReport) error {
	r := db.reader()
	if cid == 0 {
		done := map[int64]bool{}
		for _, c := range checked {
			done[c] = true
		}
		var others []int64
		rows, err := r.query(ctx, `SELECT chain FROM audit_chains UNION SELECT id FROM collectives WHERE audit_seq > 0
UNION SELECT DISTINCT COALESCE(collective_id, 0) FROM audit_events`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c int64
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			if !done[c] {
				others = append(others, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		sort.Slice(others, func(i, j int) bool { return others[i] < others[j] })
		for _, c := range others {
			// The chain of no collective holds the users' events: their
			// records are compared with them.
			x := newRecordIndex()
			if err := db.verifyAuditChain(ctx, c, rep, x.add); err != nil {
				return err
			}
			if c == 0 {
				if err := db.verifyRecords(ctx, 0, x, rep); err != nil {
					return err
				}
			}
		}
	}
	q, args := `WHERE seq IS NULL AND id > ? ORDER BY id`, []any{}
	if cid != 0 {
		q, args = `WHERE seq IS NULL AND collective_id = ? AND id > ? ORDER BY id`, []any{cid}
	}
	const page = 2000
	for after := int64(0); ; {
		evs, err := loadChainedEvents(ctx, r, q, page, append(args, after)...)
		if err != nil {
			return err
		}
		for _, e := range evs {
			rep.AuditEvents++
			rep.Problems = append(rep.Problems, Problem{CollectiveID: e.CollectiveID, EventID: e.ID, Kind: "verify.audit_unchained",
				Detail: fmt.Sprintf("event #%d (%s %s %s) has no place in a chain", e.ID, e.Action, e.Entity, e.EntityID)})
		}
		if len(evs) < page {
			return nil
		}
		after = evs[len(evs)-1].ID
	}
}

// chainName names an audit chain in a problem's detail.
func chainName(chain int64) string {
	if chain == 0 {
		return "audit chain of no collective"
	}
	return fmt.Sprintf("audit chain of collective #%d", chain)
}

// verifyAuditChain walks an audit chain in order, a page at a time, and
// recomputes each event's hash: an event deleted leaves a gap in the
// sequence, an event edited no longer matches its hash, and events removed
// from the end leave the chain's head row ahead of the last event. It hands
// each event to each, in order.
func (db *DB) verifyAuditChain(ctx context.Context, chain int64, rep *VerifyReport, each func(*chainedEvent)) error {
	r := db.reader()
	var headSeq int64
	headHash, hasHead := ledger.ChainStart, true
	// A collective's head is in its row; audit_chains holds the chain of no
	// collective's, and those of collectives no longer there.
	err := r.queryRow(ctx, `SELECT audit_seq, audit_head FROM collectives WHERE id = ?
UNION ALL SELECT seq, head FROM audit_chains WHERE chain = ?`, chain, chain).Scan(&headSeq, &headHash)
	if errors.Is(err, sql.ErrNoRows) {
		hasHead = false
	} else if err != nil {
		return err
	}
	add := func(e *chainedEvent, kind, format string, args ...any) {
		p := Problem{CollectiveID: chain, Kind: kind, Detail: chainName(chain) + ": " + fmt.Sprintf(format, args...)}
		if e != nil {
			p.EventID = e.ID
		}
		rep.Problems = append(rep.Problems, p)
	}
	// A chain's events are appended in id order under its head's lock:
	// walking them by id is walking them by seq, on the index by
	// collective and id.
	where, args := `WHERE collective_id = ? AND seq IS NOT NULL AND id > ? ORDER BY id`, []any{chain}
	if chain == 0 {
		where, args = `WHERE collective_id IS NULL AND seq IS NOT NULL AND id > ? ORDER BY id`, nil
	}
	prev, want, prevID := ledger.ChainStart, int64(1), int64(0)
	const page = 2000
	for after := int64(0); ; {
		evs, err := loadChainedEvents(ctx, r, where, page, append(args, after)...)
		if err != nil {
			return err
		}
		for i := range evs {
			e := &evs[i]
			rep.AuditEvents++
			switch {
			case e.Seq > want && prevID == 0:
				add(e, "verify.audit_gap", "events %s missing before event #%d (seq %d)", seqRange(want, e.Seq-1), e.ID, e.Seq)
			case e.Seq > want:
				add(e, "verify.audit_gap", "events %s missing between events #%d and #%d", seqRange(want, e.Seq-1), prevID, e.ID)
			case e.Seq < want:
				add(e, "verify.audit_link", "event #%d repeats seq %d", e.ID, e.Seq)
			case e.PrevHash != prev:
				add(e, "verify.audit_link", "event #%d (seq %d) follows %.12s…, the event before (#%d) has %.12s…", e.ID, e.Seq, e.PrevHash, prevID, prev)
			}
			if h := e.hash(); h != e.Hash {
				add(e, "verify.audit_hash", "event #%d (seq %d, %s %s %s): stored hash %.12s…, content hashes to %.12s…",
					e.ID, e.Seq, e.Action, e.Entity, e.EntityID, e.Hash, h)
			}
			prev, want, prevID = e.Hash, max(want, e.Seq+1), e.ID
			each(e)
		}
		if len(evs) < page {
			break
		}
		after = evs[len(evs)-1].ID
	}
	switch {
	case !hasHead && want > 1:
		add(nil, "verify.audit_head", "no head recorded for a chain of %d events", want-1)
	case hasHead && (want-1 != headSeq || prev != headHash):
		missing := ""
		if headSeq > want-1 {
			missing = fmt.Sprintf(" (events %s missing after event #%d)", seqRange(want, headSeq), prevID)
		}
		add(nil, "verify.audit_head", "head records %d events ending %.12s…, found %d ending %.12s…%s", headSeq, headHash, want-1, prev, missing)
	}
	return nil
}

// seqRange writes a run of sequence numbers: "seq 7" or "seq 7–9".
func seqRange(from, to int64) string {
	if from == to {
		return fmt.Sprintf("seq %d", from)
	}
	return fmt.Sprintf("seq %d–%d", from, to)
}

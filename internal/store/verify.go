package store

import (
	"context"
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
	Voucher      jiti.VoucherRef `json:"voucher,omitzero"` // the voucher at fault, if one is
	Kind         string          `json:"kind"`             // a catalog key: verify.hash, verify.balance, …
	Detail       string          `json:"detail"`
}

// VerifyReport is the result of Verify.
type VerifyReport struct {
	Collectives int       `json:"collectives"`
	Vouchers    int       `json:"vouchers"`
	Lines       int       `json:"lines"`
	Problems    []Problem `json:"problems"`
}

// OK reports whether nothing was found.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

// Verify checks the books of every collective (or of one, when cid is not 0)
// from the ground up: it recomputes every posted voucher's hash and its
// collective's chain, checks that voucher numbers run without gaps, that
// every posted voucher balances, and recomputes every monthly balance (and
// household balance) from the voucher lines and the opening balances. A row
// changed in the database behind jiti's back shows up as a problem naming
// its voucher.
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

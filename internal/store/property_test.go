package store_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestDB_Property drives the books of two collectives with ~200 random
// operations (vouchers over random leaf accounts in random months, approvals,
// postings, batch postings, reversals, deletions, month closes and reopens),
// deterministically from a seed, and checks the invariants of the books every
// 20 operations.
func TestDB_Property(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		m := &model{t: t, db: db, f: f, rng: rand.New(rand.NewPCG(20251231, 7)),
			cids: []int64{f.A.ID, f.B.ID}, closed: map[int64]map[jiti.Period]bool{}, leaves: map[int64][]string{}}
		ok(t, db.SetOpeningBalances(bg, f.Accountant, f.A.ID, []store.OpeningBalance{
			{Account: "101", Debit: A("3000")}, {Account: "113", Household: "H001", Debit: A("200")},
			{Account: "113", Household: "H002", Credit: A("700")}, {Account: "301", Credit: A("2500")}}))
		for _, cid := range m.cids {
			m.closed[cid] = map[jiti.Period]bool{}
			as, err := db.Accounts(bg, cid)
			ok(t, err)
			for _, a := range as {
				if a.Leaf && a.Active {
					m.leaves[cid] = append(m.leaves[cid], a.Code)
				}
			}
		}
		const ops = 200
		for i := 1; i <= ops; i++ {
			m.step(i)
			if i%20 == 0 {
				m.check(i)
				if t.Failed() {
					t.FailNow()
				}
			}
		}
		t.Logf("operations: %v; posted reversals at the end: %d", m.done, m.pairs)
		if m.done["create"] < 50 || m.done["reverse"] < 5 || m.done["close"]+m.done["batch and close"] < 5 || m.done["reopen"] < 2 {
			t.Fatalf("the random operations hardly exercise the books: %v", m.done)
		}
	})
}

const lastMonth = "2025-06" // the random months run 2025-01..2025-06

type model struct {
	t      *testing.T
	db     *store.DB
	f      *storetest.Fixture
	rng    *rand.Rand
	cids   []int64
	leaves map[int64][]string
	closed map[int64]map[jiti.Period]bool
	done   map[string]int
	pairs  int // voucher-and-reversal pairs checked at the last check
}

func (m *model) pick(n int) int { return m.rng.IntN(n) }

func (m *model) count(op string) {
	if m.done == nil {
		m.done = map[string]int{}
	}
	m.done[op]++
}

// randomDate returns a date from from to the end of lastMonth, in an
// open month of cid nine times in ten when there is one.
func (m *model) randomDate(cid int64, from jiti.Date) jiti.Date {
	var months, open []jiti.Period
	for p := from.Period(); p <= P(lastMonth); p = p.Next() {
		months = append(months, p)
		if !m.closed[cid][p] {
			open = append(open, p)
		}
	}
	if len(open) > 0 && m.pick(10) > 0 {
		months = open
	}
	p := months[m.pick(len(months))]
	day := 1 + m.pick(28)
	if p == from.Period() && day < from.Day {
		day = from.Day
	}
	return jiti.Date{Year: p.Year(), Month: p.Month(), Day: day}
}

// randomLines returns 2 to 4 balanced lines on random leaf accounts.
func (m *model) randomLines(cid int64) []ledger.Line {
	leaves := m.leaves[cid]
	for {
		n := 2 + m.pick(3)
		var lines []ledger.Line
		var net jiti.Amount
		for i := 0; i < n; i++ {
			l := ledger.Line{Summary: fmt.Sprintf("摘要%d", m.pick(1000)), Account: leaves[m.pick(len(leaves))]}
			if l.Account == "113" {
				l.Household = []string{"H001", "H002"}[m.pick(2)]
			}
			if i == n-1 {
				switch {
				case net > 0:
					l.Credit = net
				case net < 0:
					l.Debit = -net
				}
			} else {
				amt := jiti.Amount(1 + m.pick(1_000_000))
				if m.pick(2) == 0 {
					l.Debit = amt
					net += amt
				} else {
					l.Credit = amt
					net -= amt
				}
			}
			lines = append(lines, l)
		}
		if lines[n-1].Debit != 0 || lines[n-1].Credit != 0 {
			return lines
		}
	}
}

// vouchers lists a collective's vouchers of a status (all when "").
func (m *model) vouchers(cid int64, status ledger.Status) []*ledger.Voucher {
	vs, _, err := m.db.FindVouchers(bg, store.VoucherFilter{CollectiveID: cid, Status: status, Limit: -1})
	ok(m.t, err)
	return vs
}

// firstOpen returns the first open month of a collective.
func (m *model) firstOpen(cid int64) jiti.Period {
	p := P("2025-01")
	for m.closed[cid][p] {
		p = p.Next()
	}
	return p
}

func (m *model) step(i int) {
	t, db, f := m.t, m.db, m.f
	cid := m.cids[m.pick(2)]
	fail := func(op string, err error) { t.Fatalf("operation %d %s in %d: %v", i, op, cid, err) }
	switch r := m.pick(100); {
	case r < 40:
		v := &ledger.Voucher{CollectiveID: cid, Date: m.randomDate(cid, D("2025-01-01")), Lines: m.randomLines(cid)}
		_, err := db.CreateVoucher(bg, f.Accountant, v)
		switch {
		case m.closed[cid][v.Date.Period()]:
			if !errors.Is(err, ledger.ErrPeriodClosed) {
				fail("create in a closed month", err)
			}
			m.count("create refused")
		case err != nil:
			fail("create", err)
		default:
			m.count("create")
		}
	case r < 55:
		if vs := m.vouchers(cid, ledger.Draft); len(vs) > 0 {
			if err := db.ApproveVoucher(bg, f.Approver, vs[m.pick(len(vs))].ID); err != nil {
				fail("approve", err)
			}
			m.count("approve")
		}
	case r < 70:
		if vs := m.vouchers(cid, ledger.Approved); len(vs) > 0 {
			if _, err := db.PostVoucher(bg, f.Accountant, vs[m.pick(len(vs))].ID); err != nil {
				fail("post", err)
			}
			m.count("post")
		}
	case r < 79:
		var cands []*ledger.Voucher
		for _, v := range m.vouchers(cid, ledger.Posted) {
			if v.Kind == ledger.Normal && v.ReversedByID == 0 {
				cands = append(cands, v)
			}
		}
		if len(cands) == 0 {
			return
		}
		orig := cands[m.pick(len(cands))]
		date := m.randomDate(cid, orig.Date)
		_, err := db.ReverseVoucher(bg, f.Accountant, orig.ID, date)
		switch {
		case m.closed[cid][date.Period()]:
			if !errors.Is(err, ledger.ErrPeriodClosed) {
				fail("reverse into a closed month", err)
			}
		case err != nil:
			fail("reverse", err)
		default:
			m.count("reverse")
		}
	case r < 84:
		p := m.firstOpen(cid)
		if p > P(lastMonth) {
			return
		}
		unposted := 0
		for _, v := range m.vouchers(cid, "") {
			if v.Period == p && v.Status != ledger.Posted {
				unposted++
			}
		}
		err := db.ClosePeriod(bg, f.Accountant, cid, p)
		switch {
		case unposted > 0:
			if !errors.Is(err, ledger.ErrPeriodHasDrafts) {
				fail(fmt.Sprintf("close %s with %d unposted", p, unposted), err)
			}
			m.count("close refused")
		case err != nil:
			fail("close "+p.String(), err)
		default:
			m.closed[cid][p] = true
			m.count("close")
		}
	case r < 88:
		p := m.firstOpen(cid).Prev()
		if !m.closed[cid][p] {
			return
		}
		if err := db.ReopenPeriod(bg, f.Accountant, cid, p, "随机反结账"); err != nil {
			fail("reopen "+p.String(), err)
		}
		m.closed[cid][p] = false
		m.count("reopen")
	case r < 92:
		// Tidy the first open month: approve and post everything in it in
		// a batch, then close it.
		p := m.firstOpen(cid)
		if p > P(lastMonth) {
			return
		}
		if _, _, err := db.ApproveVouchers(bg, f.Approver, cid, p, p); err != nil {
			fail("approve batch", err)
		}
		if _, err := db.PostVouchers(bg, f.Accountant, cid, p, p); err != nil {
			fail("post batch", err)
		}
		if err := db.ClosePeriod(bg, f.Accountant, cid, p); err != nil {
			fail("close after batch "+p.String(), err)
		}
		m.closed[cid][p] = true
		m.count("batch and close")
	case r < 97:
		if vs := m.vouchers(cid, ledger.Draft); len(vs) > 0 {
			if err := db.DeleteVoucher(bg, f.Accountant, vs[m.pick(len(vs))].ID); err != nil {
				fail("delete", err)
			}
			m.count("delete")
		}
	default:
		if vs := m.vouchers(cid, ledger.Approved); len(vs) > 0 {
			if err := db.UnapproveVoucher(bg, f.Approver, vs[m.pick(len(vs))].ID); err != nil {
				fail("unapprove", err)
			}
			m.count("unapprove")
		}
	}
}

// sums are the trial-balance figures of one account, recomputed from lines.
type sums struct{ before, dr, cr, ydr, ycr jiti.Amount }

// check verifies the invariants of the books after operation i.
func (m *model) check(i int) {
	t, db := m.t, m.db
	t.Helper()
	rep, err := db.Verify(bg, 0)
	ok(t, err)
	if !rep.OK() {
		t.Fatalf("after %d operations: verify: %+v", i, rep.Problems)
	}
	firstLevel := map[jiti.Period]map[string]ledger.TBRow{}
	m.pairs = 0
	for _, cid := range m.cids {
		posted := m.vouchers(cid, ledger.Posted)
		opening, err := db.OpeningBalances(bg, cid)
		ok(t, err)
		checkNumbers(t, db, cid)
		// Periods agree with the model.
		ps, err := db.Periods(bg, cid)
		ok(t, err)
		for _, pi := range ps {
			if pi.Closed != m.closed[cid][pi.Period] {
				t.Errorf("after %d operations: %d %s closed %v, model says %v", i, cid, pi.Period, pi.Closed, m.closed[cid][pi.Period])
			}
		}
		// A voucher and its reversal net to zero on every account.
		byID := map[int64]*ledger.Voucher{}
		for _, v := range posted {
			byID[v.ID] = v
		}
		for _, v := range posted {
			if v.Kind != ledger.Reversal {
				continue
			}
			orig := byID[v.ReversesID]
			if orig == nil || orig.ReversedByID != v.ID {
				t.Fatalf("reversal %d of %d: original %+v", v.ID, v.ReversesID, orig)
			}
			m.pairs++
			net := map[string]jiti.Amount{}
			for _, l := range append(append([]ledger.Line(nil), orig.Lines...), v.Lines...) {
				net[l.Account+"/"+l.Household] += l.Debit - l.Credit
			}
			for k, n := range net {
				if n != 0 {
					t.Fatalf("voucher %d and its reversal %d leave %v on %s", orig.ID, v.ID, n, k)
				}
			}
		}
		for p := P("2025-01"); p <= P(lastMonth); p = p.Next() {
			// Recompute the month's trial balance from the posted lines.
			leaf := map[string]*sums{}
			get := func(code string) *sums {
				if leaf[code] == nil {
					leaf[code] = &sums{}
				}
				return leaf[code]
			}
			for _, e := range opening {
				get(e.Account).before += e.Debit - e.Credit
			}
			for _, v := range posted {
				for _, l := range v.Lines {
					s := get(l.Account)
					switch {
					case v.Period < p:
						s.before += l.Debit - l.Credit
					case v.Period == p:
						s.dr += l.Debit
						s.cr += l.Credit
					}
					if v.Period <= p && v.Period.Year() == p.Year() {
						s.ydr += l.Debit
						s.ycr += l.Credit
					}
				}
			}
			want := map[string]sums{}
			for code, s := range leaf {
				for c := code; len(c) >= 3; c = c[:len(c)-2] {
					w := want[c]
					w.before += s.before
					w.dr += s.dr
					w.cr += s.cr
					w.ydr += s.ydr
					w.ycr += s.ycr
					want[c] = w
				}
			}
			tb, err := db.TrialBalance(bg, cid, p, p, false)
			ok(t, err)
			if !tb.Balanced() {
				t.Fatalf("after %d operations: %d %s does not balance: %+v", i, cid, p, tb.Total)
			}
			got := map[string]bool{}
			for _, r := range tb.Rows {
				got[r.Code] = true
				w := want[r.Code]
				if r.Opening() != w.before || r.Debit != w.dr || r.Credit != w.cr || r.Closing() != w.before+w.dr-w.cr ||
					r.YearDr != w.ydr || r.YearCr != w.ycr {
					t.Fatalf("after %d operations: %d %s %s: stored %+v, lines give %+v", i, cid, p, r.Code, r, w)
				}
				if r.Level == 1 {
					if firstLevel[p] == nil {
						firstLevel[p] = map[string]ledger.TBRow{}
					}
					s := firstLevel[p][r.Code]
					s.Code = r.Code
					s.OpeningDr += r.Opening()
					s.Debit += r.Debit
					s.Credit += r.Credit
					s.ClosingDr += r.Closing()
					s.YearDr += r.YearDr
					s.YearCr += r.YearCr
					firstLevel[p][r.Code] = s
				}
			}
			for code, w := range want {
				if !got[code] && w != (sums{}) {
					t.Fatalf("after %d operations: %d %s: %s missing from the trial balance, lines give %+v", i, cid, p, code, w)
				}
			}
			bs, err := db.BalanceSheet(bg, cid, p)
			ok(t, err)
			if !bs.OK() {
				t.Fatalf("after %d operations: %d balance sheet at the end of %s does not balance: %v/%v against %v/%v",
					i, cid, p, bs.Value(22, 0), bs.Value(22, 1), bs.Value(38, 0), bs.Value(38, 1))
			}
		}
	}
	// The township's roll-up is the sum of its two collectives.
	for p := P("2025-01"); p <= P(lastMonth); p = p.Next() {
		region, n, err := db.RegionTrialBalance(bg, "620422100", p, p)
		ok(t, err)
		if n != 2 || !region.Balanced() {
			t.Fatalf("after %d operations: region %s: %d collectives, total %+v", i, p, n, region.Total)
		}
		var codes []string
		for code := range firstLevel[p] {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		seen := map[string]bool{}
		for _, r := range region.Rows {
			seen[r.Code] = true
			s := firstLevel[p][r.Code]
			if r.Opening() != s.OpeningDr || r.Debit != s.Debit || r.Credit != s.Credit || r.Closing() != s.ClosingDr ||
				r.YearDr != s.YearDr || r.YearCr != s.YearCr {
				t.Fatalf("after %d operations: region %s %s = %+v, the collectives sum to opening %v turnover %v/%v closing %v year %v/%v",
					i, p, r.Code, r, s.OpeningDr, s.Debit, s.Credit, s.ClosingDr, s.YearDr, s.YearCr)
			}
		}
		for _, code := range codes {
			s := firstLevel[p][code]
			if !seen[code] && (s.OpeningDr != 0 || s.Debit != 0 || s.Credit != 0 || s.YearDr != 0 || s.YearCr != 0) {
				t.Fatalf("after %d operations: region %s lacks %s: %+v", i, p, code, s)
			}
		}
	}
}

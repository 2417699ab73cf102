package ledger_test

import (
	"math/rand/v2"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// gen makes random vouchers of the test books, deterministically.
type gen struct {
	r      *rand.Rand
	leaves []string // active leaves of the test chart
	bad    []string // accounts no normal voucher may use
}

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, 0x6a697469)), leaves: leafCodes(testAccounts()),
		bad: []string{"102", "501", "322", "32201", "10202", "999", ""}}
}

// amount returns a positive amount, mostly small, sometimes large.
func (g *gen) amount() jiti.Amount {
	switch g.r.IntN(10) {
	case 0:
		return jiti.Amount(1 + g.r.Int64N(int64(jiti.MaxAmount)/1000))
	case 1, 2:
		return jiti.Amount(1 + g.r.Int64N(10_000_000_00))
	}
	return jiti.Amount(1 + g.r.Int64N(100_000_00))
}

func (g *gen) period(from, to jiti.Period) jiti.Period {
	var ps []jiti.Period
	for p := from; p <= to; p = p.Next() {
		ps = append(ps, p)
	}
	return ps[g.r.IntN(len(ps))]
}

// voucher returns a balanced voucher dated in p with one to four debit and
// one to four credit lines, or with probability bad, one spoiled in some way
// (which Validate may or may not catch: an amount moved between two lines
// of the same side still balances).
func (g *gen) voucher(p jiti.Period, bad float64) *ledger.Voucher {
	nd, nc := 1+g.r.IntN(4), 1+g.r.IntN(4)
	var lines []ledger.Line
	var total jiti.Amount
	for range nd {
		a := g.amount() + jiti.Amount(nc)
		total += a
		lines = append(lines, ledger.Line{Account: g.leaves[g.r.IntN(len(g.leaves))], Debit: a})
	}
	left := total
	for i := range nc {
		a := left
		if i < nc-1 {
			a = jiti.Amount(1 + g.r.Int64N(int64(left)-int64(nc-1-i)))
		}
		left -= a
		lines = append(lines, ledger.Line{Account: g.leaves[g.r.IntN(len(g.leaves))], Credit: a})
	}
	g.r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	day := 1 + g.r.IntN(p.Last().Day)
	lines[0].Summary = "随机凭证"
	v := &ledger.Voucher{Date: jiti.NewPeriod(p.Year(), p.Month()).First().AddDays(day - 1), Kind: ledger.Normal,
		Status: ledger.Draft, MakerID: 1, Lines: lines}
	if g.r.Float64() < bad {
		l := &v.Lines[g.r.IntN(len(v.Lines))]
		switch g.r.IntN(6) {
		case 0:
			l.Debit++
		case 1:
			l.Account = g.bad[g.r.IntN(len(g.bad))]
		case 2:
			l.Debit, l.Credit = -l.Credit, -l.Debit
		case 3:
			v.Lines = v.Lines[:1]
		case 4:
			v.Period = p.Next()
		case 5:
			l.Credit, l.Debit = l.Debit, l.Credit
		}
	}
	v.Normalize()
	return v
}

// opening returns balanced opening movements over a few leaves.
func (g *gen) opening() []ledger.Movement {
	v := g.voucher(202401, 0)
	moves := movesOf(v)
	for i := range moves {
		moves[i].Period = ledger.OpeningPeriod
	}
	return moves
}

// Property (a): whatever vouchers Validate accepts, the trial balance of
// any range of months balances in every pair of columns.
func TestPropertyTrialBalanceBalanced(t *testing.T) {
	accts := testAccounts()
	books := openBooks(ledger.NewChart(accts))
	accepted, refused := 0, 0
	for i := range 300 {
		g := newGen(uint64(i))
		var moves []ledger.Movement
		if g.r.IntN(2) == 0 {
			moves = g.opening()
		}
		var turnover jiti.Amount
		from := g.period(202306, 202603)
		to := g.period(from, 202606)
		for range g.r.IntN(16) {
			v := g.voucher(g.period(202401, 202512), 0.25)
			if err := ledger.Validate(v, books); err != nil {
				refused++
				continue
			}
			accepted++
			moves = append(moves, movesOf(v)...)
			if v.Period >= from && v.Period <= to {
				d, _ := v.Totals()
				turnover += d
			}
		}
		for _, all := range []bool{false, true} {
			tb := ledger.ComputeTrialBalance(accts, moves, from, to, all)
			if !tb.Balanced() {
				t.Fatalf("case %d, %v..%v, all=%v: not balanced: %+v", i, from, to, all, tb.Total)
			}
			if tb.Total.Debit != turnover {
				t.Fatalf("case %d: period turnover %v, want %v", i, tb.Total.Debit, turnover)
			}
		}
	}
	if accepted < 500 || refused < 100 {
		t.Errorf("generator too one-sided: %d accepted, %d refused", accepted, refused)
	}
}

// Property (b): a voucher and its reversal net to zero on every account and
// leave no turnover in a trial balance that covers both.
func TestPropertyReversalNetsToZero(t *testing.T) {
	accts := testAccounts()
	for i := range 300 {
		g := newGen(1000 + uint64(i))
		chart := ledger.NewChart(testAccounts())
		books := openBooks(chart)
		v := g.voucher(g.period(202401, 202512), 0)
		if err := ledger.Validate(v, books); err != nil {
			t.Fatalf("case %d: generated voucher refused: %v", i, err)
		}
		v.ID, v.Status, v.Number = int64(i+1), ledger.Posted, 1
		r, err := ledger.Reverse(v, v.Date.AddDays(g.r.IntN(90)), 2)
		if err != nil {
			t.Fatalf("case %d: Reverse = %v", i, err)
		}
		// An account of the original deactivated since must not block it.
		chart[v.Lines[g.r.IntN(len(v.Lines))].Account].Active = false
		if err := ledger.Validate(r, books); err != nil {
			t.Fatalf("case %d: Validate(reversal) = %v", i, err)
		}
		if err := ledger.CheckReversal(r, v); err != nil {
			t.Fatalf("case %d: CheckReversal = %v", i, err)
		}
		moves := movesOf(v, r)
		for code, n := range ledger.NetBalances(moves, r.Period) {
			if n != 0 {
				t.Fatalf("case %d: %s nets to %v", i, code, n)
			}
		}
		tb := ledger.ComputeTrialBalance(accts, moves, v.Period, r.Period, true)
		for _, row := range append(tb.Rows, tb.Total) {
			if row.Debit != 0 || row.Credit != 0 || row.Closing() != 0 {
				t.Fatalf("case %d: row %s has turnover %v/%v, closing %v", i, row.Code, row.Debit, row.Credit, row.Closing())
			}
		}
		if !tb.Balanced() {
			t.Fatalf("case %d: not balanced", i)
		}
	}
}

// Property (c): with balanced opening balances and valid vouchers, account
// nets sum to zero (assets = liabilities + equity once results are counted);
// year-end closing keeps that and empties the result accounts, 321 and the
// distribution accounts into 32202.
func TestPropertyBalanceSheetIdentity(t *testing.T) {
	accts := testAccounts()
	chart := ledger.NewChart(accts)
	books := openBooks(chart)
	closedSome := 0
	for i := range 300 {
		g := newGen(2000 + uint64(i))
		moves := g.opening()
		for range g.r.IntN(20) {
			v := g.voucher(g.period(202501, 202512), 0.1)
			if ledger.Validate(v, books) == nil {
				moves = append(moves, movesOf(v)...)
			}
		}
		net := ledger.NetBalances(moves, 202512)
		var sum, moved jiti.Amount
		for code, n := range net {
			sum += n
			if a := chart[code]; a.Class.IsResult() || code == "321" || (len(code) > 5 && code[:5] == "32201") {
				moved += n
			}
		}
		if sum != 0 {
			t.Fatalf("case %d: nets sum to %v", i, sum)
		}
		vs := ledger.YearEndClosing(2025, chart, net, 1)
		if len(vs) > 0 {
			closedSome++
		}
		for _, v := range vs {
			if err := ledger.Validate(v, books); err != nil {
				t.Fatalf("case %d: closing voucher refused: %v", i, err)
			}
			if d, c := v.Totals(); d != c {
				t.Fatalf("case %d: closing voucher unbalanced", i)
			}
			moves = append(moves, movesOf(v)...)
		}
		after := ledger.NetBalances(moves, 202512)
		sum = 0
		for code, n := range after {
			sum += n
			a := chart[code]
			if n != 0 && (a.Class.IsResult() || code == "321" || (len(code) > 5 && code[:5] == "32201")) {
				t.Fatalf("case %d: %s = %v after closing", i, code, n)
			}
		}
		if sum != 0 {
			t.Fatalf("case %d: nets sum to %v after closing", i, sum)
		}
		if got, want := after["32202"], net["32202"]+moved; got != want {
			t.Fatalf("case %d: 32202 = %v after closing, want %v", i, got, want)
		}
		if tb := ledger.ComputeTrialBalance(accts, moves, 202501, 202512, false); !tb.Balanced() {
			t.Fatalf("case %d: trial balance after closing not balanced", i)
		}
	}
	if closedSome < 250 {
		t.Errorf("only %d of 300 cases had anything to close", closedSome)
	}
}

package report_test

import (
	"sort"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
)

// testBooks is a collective's books kept in memory the way the store keeps
// them: a chart, opening balances and posted vouchers, from which the tests
// derive the movements, splits and entries that the store would query.
type testBooks struct {
	chart    []ledger.Account
	opening  []ledger.Line // opening balances (households on 113)
	vouchers []*ledger.Voucher
}

// newTestBooks returns books on the standard chart plus the given detail
// accounts (code, name); their parents stop being leaves.
func newTestBooks(t *testing.T, details ...[2]string) *testBooks {
	t.Helper()
	chart := ledger.StandardAccounts()
	for _, d := range details {
		idx := map[string]int{}
		for i, a := range chart {
			idx[a.Code] = i
		}
		pi, ok := idx[d[0][:len(d[0])-2]]
		if !ok {
			t.Fatalf("no parent for %s", d[0])
		}
		parent := chart[pi]
		a, err := ledger.NewDetailAccount(&parent, d[0], d[1], false)
		if err != nil {
			t.Fatalf("NewDetailAccount(%s): %v", d[0], err)
		}
		chart[pi].Leaf = false
		chart = append(chart, a)
	}
	return &testBooks{chart: chart}
}

func (b *testBooks) account(t *testing.T, code string) ledger.Account {
	t.Helper()
	for _, a := range b.chart {
		if a.Code == code {
			return a
		}
	}
	t.Fatalf("no account %s", code)
	return ledger.Account{}
}

func dr(acct, amount string) ledger.Line {
	return ledger.Line{Account: acct, Debit: jiti.MustAmount(amount)}
}

func cr(acct, amount string) ledger.Line {
	return ledger.Line{Account: acct, Credit: jiti.MustAmount(amount)}
}

// hh sets the household of a line.
func hh(l ledger.Line, household string) ledger.Line { l.Household = household; return l }

// party sets the counterparty of a line.
func party(l ledger.Line, p string) ledger.Line { l.Counterparty = p; return l }

// post numbers v in its month and validates it, as posting would.
func (b *testBooks) post(t *testing.T, v *ledger.Voucher) {
	t.Helper()
	v.Normalize()
	if v.Kind == "" {
		v.Kind = ledger.Normal
	}
	books := &ledger.Books{OpenedOn: jiti.MustDate("2025-01-01"), Chart: ledger.NewChart(b.chart)}
	if err := ledger.Validate(v, books); err != nil {
		t.Fatalf("voucher %s %s: %v", v.Date, v.Lines[0].Summary, err)
	}
	n := 0
	for _, o := range b.vouchers {
		if o.Period == v.Period {
			n = max(n, o.Number)
		}
	}
	v.ID = int64(len(b.vouchers) + 1)
	v.Number = n + 1
	v.Status = ledger.Posted
	b.vouchers = append(b.vouchers, v)
}

// voucher posts a normal voucher whose lines share one summary unless they
// carry their own.
func (b *testBooks) voucher(t *testing.T, date, summary string, lines ...ledger.Line) {
	t.Helper()
	d := jiti.MustDate(date)
	if lines[0].Summary == "" {
		lines[0].Summary = summary
	}
	b.post(t, &ledger.Voucher{Date: d, Period: d.Period(), Lines: lines})
}

// close posts the year-end closing vouchers of year.
func (b *testBooks) close(t *testing.T, year int) {
	t.Helper()
	net := ledger.NetBalances(b.moves(), jiti.NewPeriod(year, 12))
	for _, v := range ledger.YearEndClosing(year, ledger.NewChart(b.chart), net, 1) {
		b.post(t, v)
	}
}

// moves returns the monthly movements of every leaf, the opening balances
// at ledger.OpeningPeriod.
func (b *testBooks) moves() []ledger.Movement {
	return b.movesOf(func(*ledger.Voucher) bool { return true }, true)
}

// closingMoves returns the movements of the closing vouchers alone.
func (b *testBooks) closingMoves() []ledger.Movement {
	return b.movesOf(func(v *ledger.Voucher) bool { return v.Kind == ledger.Closing }, false)
}

func (b *testBooks) movesOf(keep func(*ledger.Voucher) bool, opening bool) []ledger.Movement {
	type key struct {
		acct string
		p    jiti.Period
	}
	sums := map[key]*ledger.Movement{}
	add := func(p jiti.Period, l ledger.Line) {
		k := key{l.Account, p}
		m := sums[k]
		if m == nil {
			m = &ledger.Movement{Account: l.Account, Period: p}
			sums[k] = m
		}
		m.Debit += l.Debit
		m.Credit += l.Credit
	}
	if opening {
		for _, l := range b.opening {
			add(ledger.OpeningPeriod, l)
		}
	}
	for _, v := range b.vouchers {
		if keep(v) {
			for _, l := range v.Lines {
				add(v.Period, l)
			}
		}
	}
	out := make([]ledger.Movement, 0, len(sums))
	for _, m := range sums {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Account != out[j].Account {
			return out[i].Account < out[j].Account
		}
		return out[i].Period < out[j].Period
	})
	return out
}

// split returns, for every leaf with household lines, the sums of the
// households' debit and credit balances at the end of to.
func (b *testBooks) split(to jiti.Period) map[string][2]jiti.Amount {
	net := map[[2]string]jiti.Amount{}
	add := func(l ledger.Line) {
		if l.Household != "" {
			net[[2]string{l.Account, l.Household}] += l.Debit - l.Credit
		}
	}
	for _, l := range b.opening {
		add(l)
	}
	for _, v := range b.vouchers {
		if v.Period <= to {
			for _, l := range v.Lines {
				add(l)
			}
		}
	}
	out := map[string][2]jiti.Amount{}
	for k, n := range net {
		p := out[k[0]]
		if n > 0 {
			p[0] += n
		} else {
			p[1] -= n
		}
		out[k[0]] = p
	}
	return out
}

// snapshot returns the column of a statement over from..to.
func (b *testBooks) snapshot(heading string, from, to jiti.Period) *report.Snapshot {
	return report.NewSnapshot(heading, from, to, b.moves(), b.closingMoves(), b.split(to))
}

// entries returns the posted lines on code and its detail accounts in
// from..to, sorted by date and number, as the store reads them.
func (b *testBooks) entries(code string, from, to jiti.Period) []report.Entry {
	var out []report.Entry
	for _, v := range b.vouchers {
		if v.Period < from || v.Period > to {
			continue
		}
		for _, l := range v.Lines {
			if strings.HasPrefix(l.Account, code) {
				out = append(out, report.Entry{Date: v.Date, VoucherID: v.ID, Period: v.Period, Number: v.Number,
					Summary: l.Summary, Debit: l.Debit, Credit: l.Credit, Counterparty: l.Counterparty, Household: l.Household})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].Date.Compare(out[j].Date); c != 0 {
			return c < 0
		}
		return out[i].Number < out[j].Number
	})
	return out
}

// before returns the balance of code before from and its turnover from
// January of from's year up to before from: the opening and yearBefore
// arguments of the ledgers.
func (b *testBooks) before(code string, from jiti.Period) (opening jiti.Amount, year [2]jiti.Amount) {
	for _, m := range b.moves() {
		if !strings.HasPrefix(m.Account, code) || m.Period >= from {
			continue
		}
		opening += m.Debit - m.Credit
		if m.Period >= from.YearStart() {
			year[0] += m.Debit
			year[1] += m.Credit
		}
	}
	return opening, year
}

// monthsOf returns the movements of code and its detail accounts.
func (b *testBooks) monthsOf(code string) []ledger.Movement {
	var out []ledger.Movement
	for _, m := range b.moves() {
		if strings.HasPrefix(m.Account, code) {
			out = append(out, m)
		}
	}
	return out
}

// Households of the sample village.
const (
	hhZhang = "001 张建国"
	hhLi    = "002 李秀英"
	hhWang  = "003 王桂兰"
)

// sampleBooks returns the books of a small fixed village collective for
// 2025, with its year closed when closed is set. The figures are chosen so
// that every line of the statements is easy to check by hand:
//
//	经营收入 61,800 (50101 60,000 + 50102 1,800); 税金及附加 600;
//	管理费用 2,820; 补助收入 35,000; 公益支出 18,600; 其他支出 300;
//	本年收益 74,480; 年初未分配收益 52,800; 其他转入 5,000;
//	提取公积公益金 8,000; 向成员分配 20,000; 年末未分配收益 104,280.
func sampleBooks(t *testing.T, closed bool) *testBooks {
	t.Helper()
	b := newTestBooks(t,
		[2]string{"10201", "县农商银行基本户"},
		[2]string{"50101", "发包及租赁收入"},
		[2]string{"50102", "服务收入"})
	b.opening = []ledger.Line{
		dr("101", "3200"),
		dr("10201", "186500"),
		dr("112", "12000"),
		hh(dr("113", "2400"), hhZhang),
		hh(cr("113", "1500"), hhLi),
		dr("121", "4800"),
		dr("151", "420000"),
		cr("152", "96000"),
		cr("211", "8600"),
		cr("301", "350000"),
		cr("311", "120000"),
		cr("32202", "52800"),
	}

	b.voucher(t, "2025-01-06", "收到鱼塘承包费", dr("10201", "60000"), party(cr("50101", "60000"), "王立新"))
	b.voucher(t, "2025-01-06", "提取备用金", dr("101", "3000"), cr("10201", "3000"))
	b.voucher(t, "2025-01-15", "购买办公用品", dr("513", "420"), cr("101", "420"))
	b.voucher(t, "2025-01-15", "张建国归还借款", dr("101", "2400"), hh(cr("113", "2400"), hhZhang))
	b.voucher(t, "2025-01-31", "计提固定资产折旧", dr("513", "1200"), cr("152", "1200"))

	b.voucher(t, "2025-03-10", "收到村级组织运转补助", dr("10201", "35000"), cr("503", "35000"))
	b.voucher(t, "2025-03-18", "支付村道维修费", dr("514", "18600"), party(cr("10201", "18600"), "县交通建设公司"))
	b.voucher(t, "2025-03-18", "代收李秀英自来水费", dr("101", "800"), hh(cr("113", "800"), hhLi))
	b.voucher(t, "2025-03-18", "王桂兰借支医药费", hh(dr("113", "1000"), hhWang), cr("101", "1000"))
	b.voucher(t, "2025-03-31", "计提固定资产折旧", dr("513", "1200"), cr("152", "1200"))

	b.voucher(t, "2025-06-20", "收到农机服务费", dr("101", "1800"), cr("50102", "1800"))
	b.voucher(t, "2025-06-20", "现金送存银行", dr("10201", "4000"), cr("101", "4000"))
	b.voucher(t, "2025-06-30", "缴纳税费", dr("512", "600"), cr("10201", "600"))
	b.voucher(t, "2025-06-30", "公积公益金转入未分配收益", dr("311", "5000"), cr("32202", "5000"))

	b.voucher(t, "2025-12-20", "支付会计代理费", dr("515", "300"), cr("101", "300"))
	b.voucher(t, "2025-12-31", "提取公积公益金", dr("3220101", "8000"), cr("311", "8000"))
	b.voucher(t, "2025-12-31", "向成员分配收益", dr("3220102", "20000"), cr("211", "20000"))
	if closed {
		b.close(t, 2025)
	}
	return b
}

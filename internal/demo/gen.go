package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// history is the generated books of one village over the years of a
// build, before any of them is saved: the opening balances on the first
// day of the first year, the registers as they grow, and each year's
// vouchers. It is a function of the seed, the span and the village only.
type history struct {
	V         *village
	Span      span
	Opening   []store.OpeningBalance
	Accounts  []string // detail accounts the books use over the years, in code order
	Assets    []plannedAsset
	Resources []register.Resource
	Contracts []*plannedContract // in the order they are signed
	Years     []*villageYear
}

// villageYear is one year of a village's books: the vouchers imported, in
// date order, and the register's events, which the store books:
// acquisitions, contracts signed, receipts, depreciation at month close.
type villageYear struct {
	V        *village
	Year     int
	Vouchers []*ledger.Voucher
	// Assets are the indexes of the assets registered in the year (in
	// the first year those on the books before it too), Contracts those
	// of the contracts signed in it, Receipts the receipts on contracts
	// dated in it, by contract and in the order they are recorded.
	Assets    []int
	Contracts []int
	Receipts  []receiptOf
	// RegVouchers are the vouchers of the register's events of the year
	// that move money or income, as the store will post them (for the
	// plan's checks and the opening bank balance; not imported):
	// acquisitions, receipts, and in January the income received in
	// earlier years for this one.
	RegVouchers []*ledger.Voucher
	DepVouchers int // depreciation vouchers month close will post
	// Op, Subsidy and Other are the year's planned income: 501 + 502,
	// 503 and 504.
	Op, Subsidy, Other jiti.Amount
	Carry              carry
	openingOwed        carry // in the first year: what the books open owing and owed
}

// receiptOf is a receipt on contract Contract of the history.
type receiptOf struct {
	Contract int
	R        plannedReceipt
}

// carry is what a year's books leave to the next to settle, as the
// closing balances of 212, 211 and 113 show it.
type carry struct {
	Wages    jiti.Amount            // 212: the fourth quarter's cadre pay, paid in January
	Payable  jiti.Amount            // 211: what is still owed for the year's road works
	Deferred jiti.Amount            // 211: contract income received for later years
	Arrears  map[string]jiti.Amount // 113: by household, water fees paid for it and not yet repaid
}

// arrearsTotal returns what the households owe.
func (c carry) arrearsTotal() jiti.Amount {
	var s jiti.Amount
	for _, a := range c.Arrears {
		s += a
	}
	return s
}

// gen builds a history, year by year.
type gen struct {
	c  *county
	v  *village
	sp span
	h  *history

	// The year being generated.
	year  int
	first bool
	p     *yearPlan
	vy    *villageYear
	rng   *rand.Rand
	rr    *rand.Rand // the registers' draws
	err   error      // the first error of planning the registers

	entries []entry
	cash    [4]jiti.Amount
	cashDay [4]jiti.Date

	// What the year settles: the closing balances of the year before, or
	// in the first year the opening balances.
	owed carry
	// What the year leaves to the next.
	next carry
	// deferred is the contract income received for later years and not
	// yet recognized.
	deferred jiti.Amount
	// team is the service stream the village set up after the first
	// year, when its contracts left it room to grow (-1: none).
	team    int
	streams []stream
}

type entry struct {
	date jiti.Date
	prio int // order within a day: withdrawals first, accruals last
	seq  int
	v    *ledger.Voucher
}

// generate draws the books of village v over the years of span sp, plans
// giving each year's plan. It is a function of the seed, the span and the
// village only.
func generate(c *county, v *village, sp span, plans []*yearPlan) (*history, error) {
	h := &history{V: v, Span: sp}
	g := &gen{c: c, v: v, sp: sp, h: h, team: -1, streams: append([]stream(nil), v.Streams...)}
	for k, p := range plans {
		if err := g.generateYear(p, k == 0); err != nil {
			return nil, err
		}
	}
	g.numberContracts()
	var all []*ledger.Voucher
	for _, vy := range h.Years {
		all = append(all, vy.Vouchers...)
		all = append(all, vy.RegVouchers...)
	}
	h.Opening = g.opening(all)
	codes := make([]string, len(h.Opening))
	for i, o := range h.Opening {
		codes[i] = o.Account
	}
	for _, pa := range h.Assets {
		codes = append(codes, pa.A.ExpenseAccount)
	}
	for _, pc := range h.Contracts {
		codes = append(codes, pc.C.IncomeAccount)
	}
	h.Accounts = detailAccounts(all, codes)
	if err := h.check(); err != nil {
		return nil, err
	}
	return h, nil
}

// generateYear draws the year of plan p.
func (g *gen) generateYear(p *yearPlan, first bool) error {
	v := g.v
	g.year, g.first, g.p = p.Year, first, p
	g.rng = newRand(g.c.Seed, "year", p.Year, v.Region.Code)
	g.entries, g.cash, g.cashDay = nil, [4]jiti.Amount{}, [4]jiti.Date{}
	op := jiti.Yuan(p.Op[v.Index])
	g.vy = &villageYear{V: v, Year: p.Year, Op: op, Subsidy: jiti.Yuan(p.Subsidy[v.Index]), Other: jiti.Yuan(p.Other[v.Index])}
	g.next = carry{Arrears: map[string]jiti.Amount{}}
	if first {
		g.drawOpeningDebts(op)
		g.vy.openingOwed = g.owed
	}
	g.settleOpeningDebts()
	if err := g.registers(); err != nil {
		return fmt.Errorf("demo: registers of %s %d: %w", v.Region.Code, p.Year, err)
	}
	g.subsidies(g.vy.Subsidy)
	g.otherIncome(g.vy.Other)
	g.cadrePay(op)
	g.office()
	g.advances()
	g.welfare(g.vy.Subsidy, op)
	if p.Projects[v.Index] {
		g.centralProject()
	}
	g.carryDepreciation()
	g.withdrawals()

	sort.SliceStable(g.entries, func(i, j int) bool {
		a, b := g.entries[i], g.entries[j]
		if c := a.date.Compare(b.date); c != 0 {
			return c < 0
		}
		if a.prio != b.prio {
			return a.prio < b.prio
		}
		return a.seq < b.seq
	})
	for _, e := range g.entries {
		g.vy.Vouchers = append(g.vy.Vouchers, e.v)
	}
	g.vy.RegVouchers = g.registerVouchers()
	g.vy.DepVouchers = g.depreciationVouchers()
	g.next.Deferred = g.deferred
	g.vy.Carry = g.next
	g.owed = g.next
	g.h.Years = append(g.h.Years, g.vy)
	return nil
}

func sum(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}

// Lines.

func dr(summary, account string, a jiti.Amount) ledger.Line {
	return ledger.Line{Summary: summary, Account: account, Debit: a}
}

func cr(summary, account string, a jiti.Amount) ledger.Line {
	return ledger.Line{Summary: summary, Account: account, Credit: a}
}

func withParty(l ledger.Line, party string) ledger.Line { l.Counterparty = party; return l }
func withHH(l ledger.Line, hh string) ledger.Line       { l.Household = hh; return l }
func withAsset(l ledger.Line, code string) ledger.Line  { l.Asset = code; return l }
func withProject(l ledger.Line, p string) ledger.Line   { l.Project = p; return l }

// add records a voucher dated date.
func (g *gen) add(date jiti.Date, prio, attachments int, lines ...ledger.Line) {
	v := &ledger.Voucher{Date: date, Period: date.Period(), Attachments: attachments, Lines: lines}
	g.entries = append(g.entries, entry{date: date, prio: prio, seq: len(g.entries), v: v})
}

// day returns a random date in month m between days lo and hi (clamped to
// the month's length).
func (g *gen) day(m int, lo, hi int) jiti.Date {
	p := jiti.NewPeriod(g.year, time.Month(m))
	last := p.Last().Day
	lo, hi = min(lo, last), min(hi, last)
	return jiti.Date{Year: g.year, Month: time.Month(m), Day: lo + g.rng.IntN(hi-lo+1)}
}

func (g *gen) monthEnd(m int) jiti.Date { return jiti.NewPeriod(g.year, time.Month(m)).Last() }

// months returns n distinct months between lo and hi, in order.
func (g *gen) months(n, lo, hi int) []int {
	all := make([]int, 0, hi-lo+1)
	for m := lo; m <= hi; m++ {
		all = append(all, m)
	}
	g.rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	out := all[:min(n, len(all))]
	sort.Ints(out)
	return out
}

func (g *gen) attachments() int { return 1 + g.rng.IntN(3) }

// payCash records a cash expense, for the quarter's cash withdrawal.
func (g *gen) payCash(date jiti.Date, a jiti.Amount) {
	q := (int(date.Month) - 1) / 3
	g.cash[q] += a
	if g.cashDay[q].IsZero() || date.Before(g.cashDay[q]) {
		g.cashDay[q] = date
	}
}

var quarterNames = []string{"第一季度", "第二季度", "第三季度", "第四季度"}

// income books the income of the year of a stream that is not a
// contract's (services and sales; see registers), with its costs.
func (g *gen) income(s stream, total jiti.Amount) {
	if total <= 0 {
		return
	}
	k := kinds[s.Kind]
	switch k.class {
	case classService:
		g.service(s, k, total)
	case classSales:
		g.sales(s, k, total)
	}
}

func (g *gen) assetOf(s stream) (code, name string) {
	if s.Asset < 0 {
		return "", ""
	}
	a := g.v.Assets[s.Asset]
	return a.Code, a.Name
}

// service books a service entity's receipts and the pay of the people who
// did the work.
func (g *gen) service(s stream, k kindInfo, total jiti.Amount) {
	n := int(min(max(total/jiti.Yuan(20_000)+2, 2), 6))
	lo, hi := 1, 12
	if s.Kind == serviceAgri || s.Kind == serviceProcurement {
		lo, hi = 3, 11
	}
	parts := splitAmount(g.rng, total, n, jiti.Yuan(10), 40)
	ms := g.months(len(parts), lo, hi)
	for i, a := range parts {
		date := g.day(ms[i], 1, 24)
		sum := fmt.Sprintf("收到%s%d月%s", s.Counterparty, ms[i], k.income)
		g.add(date, 1, g.attachments(), withParty(dr(sum, acctBank, a), s.Counterparty), withParty(cr(sum, acctService, a), s.Counterparty))
		if s.CostPct > 0 {
			cost := roundTo(pct(a, s.CostPct), jiti.Yuan(1))
			what := map[streamKind]string{serviceLabour: "支付劳务输出带队及组织人员报酬", serviceProperty: "支付物业保洁及保安人员工资",
				serviceWedding: "支付红白理事服务队人员工资及食材费", serviceRecycling: "支付废旧物资分拣及运输费",
				serviceAgri: "支付农机作业手工资及燃油费", serviceProcurement: "支付农资配送运输及装卸费",
				serviceProject: "支付项目务工村民工资"}[s.Kind]
			g.add(date.AddDays(1+g.rng.IntN(4)), 1, g.attachments(), dr(what, acctServiceCost, cost), cr(what, acctBank, cost))
		}
	}
}

// goods names what a sales stream sells.
func (g *gen) goods(k streamKind) string {
	switch k {
	case salesLivestock:
		return "育肥羊"
	case salesInputs:
		return "化肥、地膜"
	case salesSolar:
		return "光伏发电"
	}
	return []string{"马铃薯", "中药材（黄芪）", "小杂粮", "胡麻"}[g.rng.IntN(4)]
}

// sales books goods bought into stock (121, or 131 for livestock) ahead of
// their sale, and each sale with its cost.
func (g *gen) sales(s stream, k kindInfo, total jiti.Amount) {
	if s.Kind == salesSolar {
		code, _ := g.assetOf(s)
		for i, a := range splitAmount(g.rng, total, 4, jiti.Yuan(1), 25) {
			sum := fmt.Sprintf("收到%s%d年%s光伏发电收入", s.Counterparty, g.year, quarterNames[i])
			g.add(g.day(3*i+3, 10, 25), 1, g.attachments(),
				withParty(dr(sum, acctBank, a), s.Counterparty), withAsset(withParty(cr(sum, acctSales, a), s.Counterparty), code))
		}
		return
	}
	stock := acctMaterials
	if s.Kind == salesLivestock {
		stock = acctLivestock
	}
	goods := g.goods(s.Kind)
	n := int(min(max(total/jiti.Yuan(30_000)+1, 1), 4))
	lo := 7
	if s.Kind == salesInputs {
		lo = 3
	}
	parts := splitAmount(g.rng, total, n, jiti.Yuan(10), 30)
	ms := g.months(len(parts), lo, 12)
	cost := roundTo(pct(total, s.CostPct), jiti.Yuan(1))
	// Buy everything before the first sale.
	from := supplier(g.rng, g.v, s.Kind)
	for i, a := range splitAmount(g.rng, cost, 1+g.rng.IntN(2), jiti.Yuan(1), 20) {
		sum := "购进" + goods
		if s.Kind == salesProduce {
			sum = "购进" + goods + "种植用种子、化肥"
		}
		g.add(g.day(ms[0]-1-i, 1, 25), 1, g.attachments(), withParty(dr(sum, stock, a), from), withParty(cr(sum, acctBank, a), from))
	}
	costs := prorate(cost, parts)
	for i, a := range parts {
		sum := fmt.Sprintf("销售%s给%s", goods, s.Counterparty)
		carry := "结转已售" + goods + "成本"
		g.add(g.day(ms[i], 1, 25), 1, g.attachments(),
			withParty(dr(sum, acctBank, a), s.Counterparty), withParty(cr(sum, acctSales, a), s.Counterparty),
			dr(carry, acctCostOfSales, costs[i]), cr(carry, stock, costs[i]))
	}
}

// subsidies books the fiscal subsidies of the year.
func (g *gen) subsidies(total jiti.Amount) {
	n := 1
	if total > jiti.Yuan(8000) {
		n++
	}
	if total > jiti.Yuan(20_000) {
		n++
	}
	items := []string{"收到村级组织运转经费补助", "收到人居环境整治奖补资金", "收到村集体经济发展奖励资金", "收到公益性岗位补助资金"}
	g.rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	parts := splitAmount(g.rng, total, n, jiti.Yuan(100), 40)
	ms := g.months(len(parts), 3, 11)
	for i, a := range parts {
		from := []string{g.v.Town.Name + "人民政府", "会宁县财政局", "会宁县农业农村局"}[g.rng.IntN(3)]
		g.add(g.day(ms[i], 5, 25), 1, g.attachments(), withParty(dr(items[i], acctBank, a), from), withParty(cr(items[i], acctSubsidy, a), from))
	}
}

// otherIncome books the quarterly interest of the bank account (with its
// fees) and the rest of the other income.
func (g *gen) otherIncome(total jiti.Amount) {
	if total <= 0 {
		return
	}
	interest := total
	if total > jiti.Yuan(400) {
		interest = pct(total, between(g.rng, 15, 45))
	}
	for i, a := range splitAmount(g.rng, interest, 4, 1, 30) {
		date := jiti.Date{Year: g.year, Month: time.Month(3*i + 3), Day: 21}
		fee := jiti.Amount(between(g.rng, 500, 6000))
		g.add(date, 1, 1,
			withParty(dr("收到存款利息", acctBank, a), "会宁农商银行"), cr("收到存款利息", acctInterest, a),
			dr("扣收账户管理费及手续费", acctOtherExpense, fee), withParty(cr("扣收账户管理费及手续费", acctBank, fee), "会宁农商银行"))
	}
	rest := total - interest
	if rest <= 0 {
		return
	}
	items := []string{"收到村部财产保险理赔款", "收到爱心企业捐赠款", "收到废旧物资处置收入", "收到工程质量保证金扣款"}
	for _, s := range g.v.Streams {
		if kinds[s.Kind].class == classLease {
			items[3] = "收到承租方逾期付款违约金"
		}
	}
	g.rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	n := 1
	if rest > jiti.Yuan(6000) {
		n = 2
	}
	parts := splitAmount(g.rng, rest, n, jiti.Yuan(10), 40)
	ms := g.months(len(parts), 2, 11)
	for i, a := range parts {
		g.add(g.day(ms[i], 1, 28), 1, g.attachments(), dr(items[i], acctBank, a), cr(items[i], acctOtherInc, a))
	}
}

// cadrePay accrues the village cadres' remuneration at each quarter's end
// and pays it early in the next quarter; the fourth quarter's is paid in
// January, out of what the year before left in 212.
func (g *gen) cadrePay(op jiti.Amount) {
	if g.owed.Wages > 0 {
		sum := fmt.Sprintf("发放%d年第四季度村干部报酬", g.year-1)
		g.add(g.day(1, 8, 15), 1, g.attachments(), dr(sum, acctWages, g.owed.Wages), cr(sum, acctBank, g.owed.Wages))
	}
	pay := g.payBudget(op)
	if pay <= 0 {
		return
	}
	for q, a := range equalParts(pay, 4, jiti.Yuan(100)) {
		accrue := fmt.Sprintf("计提%s村干部报酬", quarterNames[q])
		g.add(g.monthEnd(3*q+3), 2, 1, dr(accrue, acctCadrePay, a), cr(accrue, acctWages, a))
		if q < 3 {
			sum := fmt.Sprintf("发放%s村干部报酬", quarterNames[q])
			g.add(g.day(3*q+4, 8, 15), 1, g.attachments(), dr(sum, acctWages, a), cr(sum, acctBank, a))
		} else {
			g.next.Wages = a
		}
	}
}

// payBudget is the cadres' remuneration of a year with operating-type
// income op: a share of it, capped; none where there is none.
func (g *gen) payBudget(op jiti.Amount) jiti.Amount {
	if op <= 0 {
		return 0
	}
	pay, _ := op.MulRatio(g.v.Cadre, 1000)
	return min(roundTo(pay, jiti.Yuan(400)), jiti.Yuan(90_000))
}

// office books office supplies and travel paid in cash, and the office's
// electricity paid from the bank each quarter.
func (g *gen) office() {
	supplies := []string{"购买办公用品", "打印复印费", "订阅党报党刊", "购买会议室桌椅", "购买档案盒及账簿凭证"}
	g.rng.Shuffle(len(supplies), func(i, j int) { supplies[i], supplies[j] = supplies[j], supplies[i] })
	for i, m := range g.months(2+g.rng.IntN(3), 1, 12) {
		a := jiti.Amount(between(g.rng, 300_00, 2500_00))
		date := g.day(m, 2, 26)
		g.add(date, 1, g.attachments(), dr(supplies[i], acctOffice, a), cr(supplies[i], acctCash, a))
		g.payCash(date, a)
	}
	trips := []string{"报销参加村集体经济专题培训差旅费", "报销赴县农业农村局报送报表差旅费", "报销外出观摩学习差旅费"}
	for i, m := range g.months(1+g.rng.IntN(3), 2, 11) {
		a := jiti.Amount(between(g.rng, 150_00, 1800_00))
		date := g.day(m, 2, 26)
		g.add(date, 1, g.attachments(), dr(trips[i], acctTravel, a), cr(trips[i], acctCash, a))
		g.payCash(date, a)
	}
	for q := range 4 {
		a := jiti.Amount(between(g.rng, 200_00, 1500_00))
		g.add(g.day(3*q+1, 10, 20), 1, 1, withParty(dr("缴纳村部电费", acctUtilities, a), "国网会宁县供电公司"),
			withParty(cr("缴纳村部电费", acctBank, a), "国网会宁县供电公司"))
	}
}

// welfare books public-welfare spending: relief for the needy at the Spring
// Festival (cash), sanitation work, and the repair of village roads with
// materials bought into stock.
func (g *gen) welfare(subsidy, op jiti.Amount) {
	total := pct(subsidy, between(g.rng, 40, 90)) + pct(op, between(g.rng, 1, 4))
	total = max(roundTo(total, jiti.Yuan(100)), jiti.Yuan(2000))
	relief := roundTo(pct(total, between(g.rng, 15, 30)), jiti.Yuan(100))
	sanitation := roundTo(pct(total, between(g.rng, 30, 40)), jiti.Yuan(10))
	roads := total - relief - sanitation

	date := g.day(1+g.rng.IntN(2), 5, 25)
	g.add(date, 1, g.attachments(), dr("春节慰问困难群众及五保户", acctRelief, relief), cr("春节慰问困难群众及五保户", acctCash, relief))
	g.payCash(date, relief)
	m := 4 + g.rng.IntN(6)
	g.add(g.day(m, 1, 28), 1, g.attachments(), dr("支付人居环境整治雇工费", acctSanitation, sanitation), cr("支付人居环境整治雇工费", acctBank, sanitation))
	if roads > 0 {
		materials := roundTo(pct(roads, between(g.rng, 50, 70)), jiti.Yuan(1))
		materials = min(materials, roads)
		labour := roads - materials
		m := 5 + g.rng.IntN(5)
		buy := g.day(m, 1, 12)
		from := "会宁县" + firmWord(g.rng) + "建材经销部"
		g.add(buy, 1, g.attachments(), withParty(dr("购进水泥、砂石等维修材料", acctMaterials, materials), from),
			withParty(cr("购进水泥、砂石等维修材料", acctBank, materials), from))
		lines := []ledger.Line{dr("村内道路维修领用材料", acctRoads, materials), cr("村内道路维修领用材料", acctMaterials, materials)}
		if labour > 0 {
			// Now and then part of the works is paid only after the
			// year's end: the year leaves it in 211.
			owed := jiti.Amount(0)
			if labour > jiti.Yuan(2000) && g.rng.IntN(10) < 4 {
				owed = roundTo(pct(labour, between(g.rng, 30, 50)), jiti.Yuan(10))
			}
			lines = append(lines, dr("支付村内道路维修工费", acctRoads, labour), cr("支付村内道路维修工费", acctBank, labour-owed))
			if owed > 0 {
				lines = append(lines, withParty(cr("村内道路维修工程尾款未付", acctPayables, owed), from))
				g.next.Payable += owed
			}
		}
		g.add(buy.AddDays(3+g.rng.IntN(10)), 1, g.attachments(), lines...)
	}
}

// centralProject books a project backed by central funds for new rural
// collective economies: the funds received as earmarked payables, the
// construction paid, and on completion the asset put into use, the funds
// carried to 公积公益金, and depreciation from the month after.
func (g *gen) centralProject() {
	const funds = 500_000
	total := jiti.Yuan(funds)
	project := fmt.Sprintf("%d年中央财政扶持村级集体经济项目", g.year)
	name := []string{"冷链仓储库", "农产品加工车间", "肉牛养殖圈舍", "马铃薯贮藏窖"}[g.rng.IntN(4)]
	builder := "会宁县" + firmWord(g.rng) + "建设工程有限公司"
	g.add(g.day(3+g.rng.IntN(2), 5, 25), 1, g.attachments(),
		withProject(withParty(dr("收到中央财政扶持壮大村级集体经济项目资金", acctBank, total), "会宁县财政局"), project),
		withProject(cr("收到中央财政扶持壮大村级集体经济项目资金", acctEarmarked, total), project))
	first := pct(total, 60)
	g.add(g.day(6, 10, 25), 1, g.attachments(),
		withProject(withParty(dr("支付"+name+"建设工程进度款", acctConstruction, first), builder), project),
		withProject(withParty(cr("支付"+name+"建设工程进度款", acctBank, first), builder), project))
	g.add(g.day(9, 5, 20), 1, g.attachments(),
		withProject(withParty(dr("支付"+name+"建设工程结算款", acctConstruction, total-first), builder), project),
		withProject(withParty(cr("支付"+name+"建设工程结算款", acctBank, total-first), builder), project))
	// On completion the store registers the asset and books it (Dr 151 /
	// Cr 153, and the funds Dr 241 / Cr 311).
	done := g.monthEnd(9)
	costAcct, depAcct, expense := accountsFor(register.Building, register.ForProduction)
	g.buyAsset(register.Asset{Name: name, Category: register.Building, Nature: register.Operating, Use: register.ForProduction,
		Quantity: "1", Unit: "处", Location: g.v.short() + "村", AcquiredOn: done, Source: register.FiscalProject, Cost: total,
		Method: register.StraightLine, LifeMonths: 20 * 12, ResidualRate: residualRate, CostAccount: costAcct, DepAccount: depAcct,
		ExpenseAccount: expense, Status: register.SelfOperated, StatusSince: done, Note: project + "，竣工验收交付使用"}, acctConstruction)
}

// carryDepreciation carries the depreciation of the production assets,
// which month close charges to 401 生产（劳务）成本, to 51103 经营资产折旧 at
// each month end, so that the month's operating expenses show it and 401
// is empty again once the month is closed.
func (g *gen) carryDepreciation() {
	for m, a := range g.productionDepreciation() {
		if a == 0 {
			continue
		}
		sum := fmt.Sprintf("结转%d月经营资产折旧", m+1)
		g.add(g.monthEnd(m+1), 2, 1, dr(sum, acctLeaseDepreciation, a), cr(sum, acctProductionCost, a))
	}
}

// withdrawals books a cash withdrawal on the day of each quarter's first
// cash expense, covering the quarter's cash expenses in round hundreds.
func (g *gen) withdrawals() {
	for q := range 4 {
		if g.cash[q] == 0 {
			continue
		}
		a := (g.cash[q] + jiti.Yuan(500) - 1) / jiti.Yuan(500) * jiti.Yuan(500)
		g.add(g.cashDay[q], 0, 1, dr("提取备用金", acctCash, a), cr("提取备用金", acctBank, a))
	}
}

// drawOpeningDebts draws what the village owes and is owed when its books
// open, which the first year's vouchers settle: the fourth-quarter cadre
// pay of the year before, a construction payable, households' unpaid fees.
func (g *gen) drawOpeningDebts(op jiti.Amount) {
	g.owed = carry{Arrears: map[string]jiti.Amount{}}
	if last := g.payBudget(pct(op, 90)); last > 0 {
		g.owed.Wages = roundTo(last/4, jiti.Yuan(100))
	}
	if g.rng.IntN(10) < 4 {
		g.owed.Payable = jiti.Yuan(between(g.rng, 5_000, 50_000))
	}
	for _, h := range g.v.Households {
		if g.rng.IntN(4) == 0 {
			g.owed.Arrears[h.Code] = jiti.Yuan(between(g.rng, 5, 60) * 100)
		}
	}
}

// settleOpeningDebts books the payment of what the year before left in
// 211 for works, and the collection of the households' arrears in 113: in
// the first year those of the books before jiti, later those of the
// closing balances of the year before.
func (g *gen) settleOpeningDebts() {
	if g.owed.Payable > 0 {
		to := "会宁县" + firmWord(g.rng) + "建设工程有限公司"
		sum := fmt.Sprintf("支付%d年村内道路维修工程尾款", g.year-1)
		if g.first {
			sum = fmt.Sprintf("支付%d年村内道路硬化工程尾款", g.year-1)
		}
		g.add(g.day(2+g.rng.IntN(4), 1, 28), 1, g.attachments(), withParty(dr(sum, acctPayables, g.owed.Payable), to),
			withParty(cr(sum, acctBank, g.owed.Payable), to))
	}
	for _, h := range g.v.Households {
		a := g.owed.Arrears[h.Code]
		if a == 0 {
			continue
		}
		sum := fmt.Sprintf("收回%s欠缴%d年承包费", h.Name, g.year-1)
		if !g.first {
			sum = fmt.Sprintf("收回%s欠缴%d年代垫灌溉水费", h.Name, g.year-1)
		}
		g.add(g.day(2+g.rng.IntN(4), 1, 28), 1, 1, dr(sum, acctBank, a), withHH(cr(sum, acctInternal, a), h.Code))
	}
}

// advances books the irrigation water fees the collective pays for some
// households in the spring and collects from them in the autumn; what one
// household in three has not repaid by the end of the year stays in 113
// for the next.
func (g *gen) advances() {
	for _, h := range g.v.Households {
		if g.rng.IntN(4) > 0 {
			continue
		}
		a := jiti.Yuan(between(g.rng, 3, 30) * 100)
		sum := "代垫" + h.Name + "灌溉水费"
		date := g.day(4+g.rng.IntN(3), 1, 28)
		g.add(date, 1, 1, withHH(dr(sum, acctInternal, a), h.Code), withParty(cr(sum, acctBank, a), "会宁县水务局灌溉站"))
		if g.rng.IntN(3) == 0 {
			g.next.Arrears[h.Code] += a
			continue
		}
		back := "收回" + h.Name + "代垫灌溉水费"
		g.add(g.day(9+g.rng.IntN(3), 1, 28), 1, 1, dr(back, acctBank, a), withHH(cr(back, acctInternal, a), h.Code))
	}
}

// opening returns the balances of the day the books open. The bank
// balance is large enough that the account never goes overdrawn in any
// year, whatever the order of the imported vouchers and the register's;
// the fixed and biological assets and their depreciation are the
// register's existing assets, exactly; capital, the fund and undistributed
// income share the net assets.
func (g *gen) opening(all []*ledger.Voucher) []store.OpeningBalance {
	rng := newRand(g.c.Seed, "opening", g.sp.From, g.v.Region.Code)
	start := jiti.NewPeriod(g.sp.From, time.January)
	all = append([]*ledger.Voucher(nil), all...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Date.Before(all[j].Date) })
	var low, run jiti.Amount
	for _, v := range all {
		for _, l := range v.Lines {
			if l.Account == acctBank {
				run += l.Debit - l.Credit
			}
		}
		low = min(low, run)
	}
	cash := jiti.Yuan(between(rng, 300, 3000))
	bank := roundTo(-low+jiti.Yuan(between(rng, 20_000, 120_000)), 1) + jiti.Amount(rng.IntN(100))
	var out []store.OpeningBalance
	debit := func(acct string, a jiti.Amount) {
		if a > 0 {
			out = append(out, store.OpeningBalance{Account: acct, Debit: a})
		}
	}
	credit := func(acct string, a jiti.Amount) {
		if a > 0 {
			out = append(out, store.OpeningBalance{Account: acct, Credit: a})
		}
	}
	debit(acctCash, cash)
	debit(acctBank, bank)
	assets := cash + bank
	owed := g.h.Years[0].openingOwed
	for _, h := range g.v.Households {
		if a := owed.Arrears[h.Code]; a > 0 {
			out = append(out, store.OpeningBalance{Account: acctInternal, Household: h.Code, Debit: a})
			assets += a
		}
	}
	debit(acctInvestments, g.v.Stake)
	assets += g.v.Stake
	cost, acc := map[string]jiti.Amount{}, map[string]jiti.Amount{}
	for _, pa := range g.h.Assets {
		if pa.Credit == "" && pa.A.AcquiredOn.Period() < start {
			cost[pa.A.CostAccount] += pa.A.Cost
			if pa.A.DepAccount != "" {
				acc[pa.A.DepAccount] += pa.A.OpeningDepreciation
			}
		}
	}
	for _, code := range []string{acctBio, acctWelfareBio, acctFixed} {
		debit(code, cost[code])
		assets += cost[code]
	}
	for _, code := range []string{acctBioDepreciation, acctDepreciation} {
		credit(code, acc[code])
		assets -= acc[code]
	}
	credit(acctPayables, owed.Payable)
	credit(acctWages, owed.Wages)
	net := assets - owed.Payable - owed.Wages
	capital := roundTo(pct(net, between(rng, 55, 75)), jiti.Yuan(100))
	fund := roundTo(pct(net, between(rng, 10, 20)), jiti.Yuan(1))
	credit(acctCapital, capital)
	credit(acctFund, fund)
	credit(acctRetained, net-capital-fund)
	return out
}

// check holds the generated books to the plans: every voucher balances;
// each year's income lines of the vouchers and of the register's receipts
// and recognitions add up to the village's plan exactly; the register's
// existing assets are the opening balances of their accounts; the opening
// balances balance.
func (h *history) check() error {
	code := h.V.Region.Code
	for _, vy := range h.Years {
		got := map[string]jiti.Amount{}
		for _, v := range vy.Vouchers {
			d, c := v.Totals()
			if d != c || len(v.Lines) < 2 || len(v.Lines) > 6 {
				return fmt.Errorf("demo: %s %s: voucher of %d lines, debit %s credit %s", code, v.Date, len(v.Lines), d, c)
			}
			if v.Date.Year != vy.Year {
				return fmt.Errorf("demo: %s: voucher of %s in the books of %d", code, v.Date, vy.Year)
			}
			for _, l := range v.Lines {
				got[l.Account[:3]] += l.Credit - l.Debit
			}
		}
		for _, v := range vy.RegVouchers {
			if d, c := v.Totals(); d != c {
				return fmt.Errorf("demo: %s %s: register voucher debit %s credit %s", code, v.Date, d, c)
			}
			for _, l := range v.Lines {
				got[l.Account[:3]] += l.Credit - l.Debit
			}
		}
		want := map[string]jiti.Amount{"50x": vy.Op, "503": vy.Subsidy, "504": vy.Other}
		have := map[string]jiti.Amount{"50x": got["501"] + got["502"], "503": got["503"], "504": got["504"]}
		for _, k := range []string{"50x", "503", "504"} {
			if want[k] != have[k] {
				return fmt.Errorf("demo: %s %d: income %s is %s, planned %s", code, vy.Year, k, have[k], want[k])
			}
		}
	}
	var dr, cr jiti.Amount
	book := map[string]jiti.Amount{}
	for _, o := range h.Opening {
		dr += o.Debit
		cr += o.Credit
		book[o.Account] += o.Debit - o.Credit
	}
	if dr != cr {
		return fmt.Errorf("demo: %s: opening balances debit %s credit %s", code, dr, cr)
	}
	reg := map[string]jiti.Amount{}
	for _, pa := range h.Assets {
		if pa.Credit == "" {
			reg[pa.A.CostAccount] += pa.A.Cost
			if pa.A.DepAccount != "" {
				reg[pa.A.DepAccount] -= pa.A.OpeningDepreciation
			}
		}
	}
	for _, code := range []string{acctFixed, acctDepreciation, acctBio, acctBioDepreciation, acctWelfareBio} {
		if book[code] != reg[code] {
			return fmt.Errorf("demo: %s: opening %s is %s, the register's existing assets %s", h.V.Region.Code, code, book[code], reg[code])
		}
	}
	return nil
}

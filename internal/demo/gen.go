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

// villageYear is the generated books of one village for one year: the
// opening balances on the first day of the year and the year's vouchers in
// date order, before any of them is saved.
type villageYear struct {
	V        *village
	Year     int
	Opening  []store.OpeningBalance
	Vouchers []*ledger.Voucher
	Accounts []string // detail accounts the books use, in code order
	// The registers, whose events the store books: acquisitions, receipts,
	// depreciation at month close. RegVouchers are those of the events
	// that move money or income, as the store will post them (for the
	// plan's checks and the opening bank balance; not imported).
	Registers   *yearRegisters
	RegVouchers []*ledger.Voucher
}

// gen builds a villageYear.
type gen struct {
	c    *county
	v    *village
	year int
	rng  *rand.Rand
	p    *yearPlan

	rr  *rand.Rand     // the registers' draws
	reg *yearRegisters // the registers of the year
	err error          // the first error of planning the registers

	entries []entry
	cash    [4]jiti.Amount
	cashDay [4]jiti.Date

	// Opening balances this year's vouchers settle.
	wagesOwed   jiti.Amount
	payableOwed jiti.Amount
	arrears     map[string]jiti.Amount // household code → amount owed
}

type entry struct {
	date jiti.Date
	prio int // order within a day: withdrawals first, accruals last
	seq  int
	v    *ledger.Voucher
}

// generate draws the books of village v for the year of plan p. It is a
// function of the seed, the year and the village only.
func generate(c *county, v *village, p *yearPlan) (*villageYear, error) {
	g := &gen{c: c, v: v, year: p.Year, p: p, rng: newRand(c.Seed, "year", p.Year, v.Region.Code),
		arrears: map[string]jiti.Amount{}}
	g.drawOpeningDebts()
	g.settleOpeningDebts()
	if err := g.registers(c); err != nil {
		return nil, fmt.Errorf("demo: registers of %s: %w", v.Region.Code, err)
	}
	g.subsidies(jiti.Yuan(p.Subsidy[v.Index]))
	g.otherIncome(jiti.Yuan(p.Other[v.Index]))
	op := jiti.Yuan(sum(p.Streams[v.Index]))
	g.cadrePay(op)
	g.office()
	g.welfare(jiti.Yuan(p.Subsidy[v.Index]), op)
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
	vy := &villageYear{V: v, Year: p.Year, Registers: g.reg, RegVouchers: g.reg.registerVouchers()}
	for _, e := range g.entries {
		vy.Vouchers = append(vy.Vouchers, e.v)
	}
	vy.Opening = g.opening(vy.Vouchers, vy.RegVouchers)
	codes := make([]string, len(vy.Opening))
	for i, o := range vy.Opening {
		codes[i] = o.Account
	}
	for _, pa := range g.reg.Assets {
		codes = append(codes, pa.A.ExpenseAccount)
	}
	for _, pc := range g.reg.Contracts {
		codes = append(codes, pc.C.IncomeAccount)
	}
	vy.Accounts = detailAccounts(append(vy.Vouchers, vy.RegVouchers...), codes)
	if err := vy.check(p); err != nil {
		return nil, err
	}
	return vy, nil
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
// and pays it early in the next quarter; last year's fourth quarter is paid
// in January.
func (g *gen) cadrePay(op jiti.Amount) {
	if g.wagesOwed > 0 {
		sum := fmt.Sprintf("发放%d年第四季度村干部报酬", g.year-1)
		g.add(g.day(1, 8, 15), 1, g.attachments(), dr(sum, acctWages, g.wagesOwed), cr(sum, acctBank, g.wagesOwed))
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
			lines = append(lines, dr("支付村内道路维修工费", acctRoads, labour), cr("支付村内道路维修工费", acctBank, labour))
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
	for m, a := range g.reg.productionDepreciation(g.year) {
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

// drawOpeningDebts draws what the village owes and is owed on the first day
// of the year, which this year's vouchers settle: last year's fourth-quarter
// cadre pay, a construction payable, households' unpaid fees.
func (g *gen) drawOpeningDebts() {
	prevOp := jiti.Yuan(g.v.Op2025 * 9 / 10)
	if last := g.payBudget(prevOp); last > 0 {
		g.wagesOwed = roundTo(last/4, jiti.Yuan(100))
	}
	if g.rng.IntN(10) < 4 {
		g.payableOwed = jiti.Yuan(between(g.rng, 5_000, 50_000))
	}
	for _, h := range g.v.Households {
		if g.rng.IntN(4) == 0 {
			g.arrears[h.Code] = jiti.Yuan(between(g.rng, 5, 60) * 100)
		}
	}
}

// settleOpeningDebts books the payment of the opening payables and the
// collection of the households' arrears.
func (g *gen) settleOpeningDebts() {
	if g.payableOwed > 0 {
		to := "会宁县" + firmWord(g.rng) + "建设工程有限公司"
		sum := fmt.Sprintf("支付%d年村内道路硬化工程尾款", g.year-1)
		g.add(g.day(2+g.rng.IntN(4), 1, 28), 1, g.attachments(), withParty(dr(sum, acctPayables, g.payableOwed), to),
			withParty(cr(sum, acctBank, g.payableOwed), to))
	}
	for _, h := range g.v.Households {
		a := g.arrears[h.Code]
		if a == 0 {
			continue
		}
		sum := fmt.Sprintf("收回%s欠缴%d年承包费", h.Name, g.year-1)
		g.add(g.day(2+g.rng.IntN(4), 1, 28), 1, 1, dr(sum, acctBank, a), withHH(cr(sum, acctInternal, a), h.Code))
	}
}

// opening returns the balances of the first day of the year. The bank
// balance is large enough that the account never goes overdrawn during the
// year, whatever the order of the imported vouchers and the register's
// (regs); the fixed and biological assets and their depreciation are the
// register's existing assets, exactly; capital, the fund and undistributed
// income share the net assets.
func (g *gen) opening(vs, regs []*ledger.Voucher) []store.OpeningBalance {
	start := jiti.NewPeriod(g.year, time.January)
	all := append(append([]*ledger.Voucher(nil), vs...), regs...)
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
	cash := jiti.Yuan(between(g.rng, 300, 3000))
	bank := roundTo(-low+jiti.Yuan(between(g.rng, 20_000, 120_000)), 1) + jiti.Amount(g.rng.IntN(100))
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
	for _, h := range g.v.Households {
		if a := g.arrears[h.Code]; a > 0 {
			out = append(out, store.OpeningBalance{Account: acctInternal, Household: h.Code, Debit: a})
			assets += a
		}
	}
	debit(acctInvestments, g.v.Stake)
	assets += g.v.Stake
	cost, acc := map[string]jiti.Amount{}, map[string]jiti.Amount{}
	for _, pa := range g.reg.Assets {
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
	credit(acctPayables, g.payableOwed)
	credit(acctWages, g.wagesOwed)
	net := assets - g.payableOwed - g.wagesOwed
	capital := roundTo(pct(net, between(g.rng, 55, 75)), jiti.Yuan(100))
	fund := roundTo(pct(net, between(g.rng, 10, 20)), jiti.Yuan(1))
	credit(acctCapital, capital)
	credit(acctFund, fund)
	credit(acctRetained, net-capital-fund)
	return out
}

// check holds the generated books to the plan: every voucher balances, and
// the year's income lines of the vouchers and of the register's receipts
// add up to the village's shares exactly; the register's existing assets
// are the opening balances of their accounts.
func (vy *villageYear) check(p *yearPlan) error {
	got := map[string]jiti.Amount{}
	for _, v := range vy.Vouchers {
		d, c := v.Totals()
		if d != c || len(v.Lines) < 2 || len(v.Lines) > 6 {
			return fmt.Errorf("demo: %s %s: voucher of %d lines, debit %s credit %s", vy.V.Region.Code, v.Date, len(v.Lines), d, c)
		}
		for _, l := range v.Lines {
			got[l.Account[:3]] += l.Credit - l.Debit
		}
	}
	for _, v := range vy.RegVouchers {
		if d, c := v.Totals(); d != c {
			return fmt.Errorf("demo: %s %s: register voucher debit %s credit %s", vy.V.Region.Code, v.Date, d, c)
		}
		for _, l := range v.Lines {
			got[l.Account[:3]] += l.Credit - l.Debit
		}
	}
	i := vy.V.Index
	want := map[string]jiti.Amount{"50x": jiti.Yuan(sum(p.Streams[i])), "503": jiti.Yuan(p.Subsidy[i]), "504": jiti.Yuan(p.Other[i])}
	have := map[string]jiti.Amount{"50x": got["501"] + got["502"], "503": got["503"], "504": got["504"]}
	for _, k := range []string{"50x", "503", "504"} {
		if want[k] != have[k] {
			return fmt.Errorf("demo: %s %d: income %s is %s, planned %s", vy.V.Region.Code, vy.Year, k, have[k], want[k])
		}
	}
	var dr, cr jiti.Amount
	book := map[string]jiti.Amount{}
	for _, o := range vy.Opening {
		dr += o.Debit
		cr += o.Credit
		book[o.Account] += o.Debit - o.Credit
	}
	if dr != cr {
		return fmt.Errorf("demo: %s: opening balances debit %s credit %s", vy.V.Region.Code, dr, cr)
	}
	reg := map[string]jiti.Amount{}
	for _, pa := range vy.Registers.Assets {
		if pa.Credit == "" {
			reg[pa.A.CostAccount] += pa.A.Cost
			if pa.A.DepAccount != "" {
				reg[pa.A.DepAccount] -= pa.A.OpeningDepreciation
			}
		}
	}
	for _, code := range []string{acctFixed, acctDepreciation, acctBio, acctBioDepreciation, acctWelfareBio} {
		if book[code] != reg[code] {
			return fmt.Errorf("demo: %s: opening %s is %s, the register's existing assets %s", vy.V.Region.Code, code, book[code], reg[code])
		}
	}
	return nil
}

package demo

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
)

// The registers of a village in the year of the books, and what happens to
// them during it: the profile's assets (on the books at the start of the
// year) and those bought in the year; the resources; and the contracts
// through which rent, contracting fees, equity dividends and cooperation
// income come in.
//
// # Contracts and the calibration
//
// The income of a village's leases, land and hill contracting and equity
// stakes is planned by the year's plan (yearPlan) like any other income;
// here it becomes contracts, and the receipts recorded on them carry it:
// the store posts each receipt's voucher (Dr 10201; Cr the contract's
// income account what is income of the year, Cr 211 what is income of
// later years). Income is booked when received (no contract accrues), so
// an instalment left unpaid at year end (arrears) is no income, and the
// part of an instalment that covers the next year is deferred. Both are
// computed here with the register's own rules (register.Schedule,
// Allocate, Recognize), so the income each receipt books is known to the
// fen before the store books it: contracts get round rents whose income
// falls short of the stream's plan by what rounding leaves; an arrears
// contract's last instalment of the year is paid in part, exactly the
// amount that makes the village's contract income its plan; what is still
// left goes to an ordinary voucher of the village's other income of the
// same lines. The county's totals of 501 + 502 therefore stay exact.
//
// # Idle assets
//
// In 土门岘镇 every village has a former school, a weighing scale, an
// assistance workshop and a warehouse idle at the start of the year (some
// a second school or warehouse); during the year they are leased, put into
// a company as equity (入股) or run in cooperation (合作经营), each by a
// contract whose signing sets the asset's status, and their rent or share
// of the proceeds comes in through it. A few of them are signed late in
// the year for a term from January and earn nothing in it. Elsewhere a
// tenth of the leased assets were idle before and are leased in the year,
// and some villages keep an idle asset that nobody took (idle too long).

// yearRegisters is a village's registers in the year of the books.
type yearRegisters struct {
	Assets    []plannedAsset
	Resources []register.Resource
	Contracts []*plannedContract
}

// plannedAsset is an asset of the register: on the books at the start of
// the year (Credit "") or brought onto them during it by CreateAsset,
// crediting Credit.
type plannedAsset struct {
	A      register.Asset
	Credit string
	Revive bool
}

// plannedContract is a contract of the year: registered as a draft, signed
// on SignOn, and paid by Receipts.
type plannedContract struct {
	C        register.Contract
	Asset    int // index into the year's assets, or -1
	Lands    []landShare
	SignOn   jiti.Date
	Receipts []plannedReceipt

	months  int // term
	target  jiti.Amount
	arrears bool
	payDay  func(register.Instalment) jiti.Date
	stream  int // the stream whose income it carries, or -1
}

type landShare struct {
	Resource int // index into the year's resources
	Area     register.Area
}

// plannedReceipt is money received on a contract, with how the store will
// book it.
type plannedReceipt struct {
	Date             jiti.Date
	Amount           jiti.Amount
	Income, Deferred jiti.Amount
}

// Income returns what the contract's receipts book as income of the year.
func (c *plannedContract) Income() jiti.Amount {
	var s jiti.Amount
	for _, r := range c.Receipts {
		s += r.Income
	}
	return s
}

// The income accounts of contracts.
const (
	acctCooperation = "50105" // 合作经营收入
	acctAssetEquity = "50202" // 资产入股收益
)

// tumenCode is the division code of 土门岘镇.
const tumenCode = "620422120"

// registers plans the village's registers of the year, and books the
// streams that are not contracts' as ordinary vouchers, with what the
// contracts leave of their streams' income.
func (g *gen) registers(c *county) error {
	v, year := g.v, g.year
	rr := newRand(c.Seed, "registers", year, v.Region.Code)
	g.rr = rr
	yr := &yearRegisters{}
	g.reg = yr
	for _, va := range v.Assets {
		yr.Assets = append(yr.Assets, plannedAsset{A: openingState(va.Asset, year), Revive: va.Revive})
	}
	for range rr.IntN(3) {
		s := specsBought[rr.IntN(len(specsBought))]
		a := newAsset(rr, s, year, year, 0)
		a.AcquiredOn = g.dayIn(rr, 3+rr.IntN(9), 1, 28)
		a.Source, a.StatusSince, a.Note = register.Purchase, a.AcquiredOn, ""
		a.Location = v.short() + "村村部"
		g.buyAsset(a, acctBank)
	}
	for _, r := range v.Resources {
		yr.Resources = append(yr.Resources, r.Resource)
	}

	// Contracts carry the income of leases, land and hill contracting and
	// equity stakes.
	tumen := v.Town.Code == tumenCode
	var pool jiti.Amount // 土门岘镇: the leases' income, spread over the revitalized assets
	backed := make([]bool, len(v.Streams))
	for j, s := range v.Streams {
		total := jiti.Yuan(g.p.Streams[v.Index][j])
		k := kinds[s.Kind]
		switch {
		case k.class == classLease && tumen:
			pool += total
			backed[j] = true
		case k.class == classLease:
			backed[j] = true
			g.leaseContract(s, j, total)
		case s.Kind == contractLand:
			backed[j] = true
			g.landContracts(s, j, total)
		case s.Kind == contractHill:
			backed[j] = true
			g.hillContract(s, j, total)
		case s.Kind == equityStake:
			backed[j] = true
			g.stakeContract(s, j, total)
		}
	}
	if tumen {
		g.reviveTumen(pool)
	}

	// Fit the rents: ordinary contracts first, then those in arrears,
	// which take up what rounding left.
	var left jiti.Amount
	for _, pc := range yr.Contracts {
		if !pc.arrears {
			left += g.fit(pc, 0)
		}
	}
	for _, pc := range yr.Contracts {
		if pc.arrears {
			left = g.fit(pc, left)
		}
	}
	var kept []*plannedContract
	for _, pc := range yr.Contracts {
		if pc.C.Amount > 0 {
			kept = append(kept, pc)
		} else if pc.Asset >= 0 {
			yr.Assets[pc.Asset].Revive = false // nobody took it: it stays idle
		}
	}
	yr.Contracts = kept
	g.numberContracts()

	// The rest of the operating income: the streams that are not
	// contracts', the first of them with what the contracts left.
	sink := -1
	for j := range v.Streams {
		if !backed[j] && g.p.Streams[v.Index][j] > 0 {
			sink = j
			break
		}
	}
	for j, s := range v.Streams {
		total := jiti.Yuan(g.p.Streams[v.Index][j])
		if j == sink {
			total += left
			left = 0
		}
		if backed[j] {
			g.upkeep(s, total)
			continue
		}
		g.income(s, total)
	}
	if left > 0 {
		g.sundryRent(left)
	}
	return g.err
}

// dayIn returns a date in month m of the year between days lo and hi.
func (g *gen) dayIn(rng *rand.Rand, m, lo, hi int) jiti.Date {
	p := jiti.NewPeriod(g.year, time.Month(m))
	last := p.Last().Day
	lo, hi = min(lo, last), min(hi, last)
	return jiti.Date{Year: g.year, Month: time.Month(m), Day: lo + rng.IntN(hi-lo+1)}
}

// buyAsset adds an asset acquired during the year, booked by its
// acquisition voucher crediting credit.
func (g *gen) buyAsset(a register.Asset, credit string) {
	yr := g.reg
	a.Code = fmt.Sprintf("ZC%03d", len(yr.Assets)+1)
	yr.Assets = append(yr.Assets, plannedAsset{A: a, Credit: credit})
}

// yearEnd returns the last day of the year.
func (g *gen) yearEnd() jiti.Date { return jiti.Date{Year: g.year, Month: time.December, Day: 31} }

// payWithin returns a pay-day function: lo to hi days after an instalment
// falls due, but within the year.
func (g *gen) payWithin(lo, hi int) func(register.Instalment) jiti.Date {
	rng := g.rr
	return func(in register.Instalment) jiti.Date {
		d := in.DueOn.AddDays(lo + rng.IntN(hi-lo+1))
		if d.After(g.yearEnd()) {
			d = g.yearEnd()
		}
		return d
	}
}

// payIn returns a pay-day function: in one of months (chosen per
// instalment) between days lo and hi, never before the instalment falls
// due.
func (g *gen) payIn(months []int, lo, hi int) func(register.Instalment) jiti.Date {
	rng := g.rr
	return func(in register.Instalment) jiti.Date {
		d := g.dayIn(rng, months[rng.IntN(len(months))], lo, hi)
		if d.Before(in.DueOn) {
			d = in.DueOn
		}
		return d
	}
}

// newContract returns a contract of the village with the fields common to
// all: the award and the 四议两公开 resolution, a few of them missing.
func (g *gen) newContract(kind register.ContractKind, name string, party register.Party, start jiti.Date, months int,
	freq register.Frequency, account string, bidding bool) *plannedContract {
	rng := g.rr
	c := register.Contract{Kind: kind, Name: name, Party: party, Start: start, End: addMonths(start, months).AddDays(-1),
		Frequency: freq, IncomeAccount: account, Award: register.Negotiation}
	if bidding {
		c.Award = register.OpenBidding
		if rng.IntN(40) > 0 {
			c.AwardRef = fmt.Sprintf("会农产交〔%d〕%03d号", start.Year, 1+rng.IntN(480))
		}
	}
	if rng.IntN(25) > 0 {
		c.ResolutionRef = fmt.Sprintf("%s村民代表会议决议〔%d〕%d号", g.v.short(), g.year, 1+rng.IntN(12))
	}
	return &plannedContract{C: c, Asset: -1, SignOn: start, months: months, stream: -1}
}

// addContract records a contract of the year.
func (g *gen) addContract(pc *plannedContract) { g.reg.Contracts = append(g.reg.Contracts, pc) }

// assetOfStream returns the index in the year's assets of the asset stream
// j earns from, or -1.
func (g *gen) assetOfStream(j int) int {
	for i, va := range g.v.Assets {
		if va.Stream == j {
			return i
		}
	}
	return -1
}

// leaseContract makes the lease of a stream's asset: renewed from the
// first of January for a lease that ran before, or, for an asset that was
// idle, signed during the year (revitalized).
func (g *gen) leaseContract(s stream, j int, total jiti.Amount) {
	rng := g.rr
	ai := g.assetOfStream(j)
	if ai < 0 || total <= 0 {
		return
	}
	a := &g.reg.Assets[ai]
	party, err := partyOf(g.c.Seed, g.v, s.Counterparty)
	if err != nil {
		g.err = err
		return
	}
	freq := map[int]register.Frequency{1: register.Yearly, 2: register.HalfYearly, 4: register.Quarterly}[s.Installments]
	var pc *plannedContract
	if a.Revive {
		m := 2 + rng.IntN(9)
		start := jiti.Date{Year: g.year, Month: time.Month(m), Day: 1}
		freq, months := g.reviveTerms(m, register.Lease)
		pc = g.newContract(register.Lease, a.A.Name+"租赁合同", party, start, months, freq, acctRent, true)
		pc.SignOn = start.AddDays(-rng.IntN(20))
		pc.C.Note = "闲置资产盘活"
		pc.payDay = g.payWithin(0, 25)
	} else {
		months := []int{36, 60, 60, 120}[rng.IntN(4)]
		if freq == register.Quarterly && rng.IntN(6) == 0 {
			months = 15 // a short renewal that ends in the spring
		}
		start := jiti.Date{Year: g.year, Month: time.January, Day: 1}
		pc = g.newContract(register.Lease, a.A.Name+"租赁合同", party, start, months, freq, acctRent, true)
		if months >= 60 && rng.IntN(3) == 0 {
			pc.C.Escalation = []int{300, 500}[rng.IntN(2)]
		}
		pc.C.Note = fmt.Sprintf("续签，原合同自%d年%d月起", a.A.StatusSince.Year, int(a.A.StatusSince.Month))
		if freq == register.Yearly {
			pc.payDay = g.payIn([]int{1, 2, 3}, 3, 28)
		} else {
			pc.payDay = g.payWithin(2, 35)
		}
	}
	pc.Asset, pc.target, pc.stream = ai, total, j
	pc.arrears = rng.IntN(8) == 0
	g.addContract(pc)
}

// reviveTerms returns the frequency and term of a contract that puts an
// idle asset to use from the first of month m: instalments that end with
// the year where the month allows, a yearly rent paid ahead otherwise (its
// part of the next year deferred); a one-year trial now and then.
func (g *gen) reviveTerms(m int, kind register.ContractKind) (register.Frequency, int) {
	rng := g.rr
	var freq register.Frequency
	switch {
	case m == 7 && rng.IntN(2) == 0:
		freq = register.HalfYearly
	case (m == 4 || m == 7 || m == 10) && kind != register.Equity:
		freq = register.Quarterly
	case kind == register.Lease && rng.IntN(3) == 0:
		freq = register.Monthly
	default:
		freq = register.Yearly
	}
	months := []int{12, 36, 36, 60, 96}[rng.IntN(5)]
	if freq == register.Monthly && months > 36 {
		months = 36
	}
	return freq, months
}

// landContracts contracts the reserved land to up to five member
// households, each a part of it for a yearly fee, renewed from the first
// of January; the fees are paid in spring or autumn, and one household may
// pay only part of its fee.
func (g *gen) landContracts(s stream, j int, total jiti.Amount) {
	rng := g.rr
	ri := -1
	for i, r := range g.v.Resources {
		if r.Role == resReserved {
			ri = i
		}
	}
	hh := g.v.Households
	if len(hh) > 5 {
		hh = hh[:5]
	}
	if ri < 0 || total <= 0 {
		return
	}
	fees := splitAmount(rng, total, len(hh), jiti.Yuan(10), 50)
	room := g.reg.Resources[ri].Area
	late := rng.IntN(10) < 3
	start := jiti.Date{Year: g.year, Month: time.January, Day: 1}
	for i, fee := range fees {
		h := hh[i]
		party, err := partyOf(g.c.Seed, g.v, h.Name)
		if err != nil {
			g.err = err
			return
		}
		pc := g.newContract(register.Contracting, "集体机动地承包合同（"+h.Name+"）", party, start, 12*[]int{3, 5}[rng.IntN(2)],
			register.Yearly, acctContract, rng.IntN(2) == 0)
		pc.target, pc.stream = fee, j
		pc.arrears = late && i == len(fees)-1
		// The area at the household's rent per mu, within what is left of
		// the land.
		rent := between(rng, landRentLo, landRentHi)
		ar := register.Area(int64(fee) / rent)
		if pc.arrears {
			ar = ar * 3 / 2
		}
		left := room / register.Area(len(fees)-i)
		ar = max(min(ar, left), 1)
		room -= ar
		pc.Lands = []landShare{{Resource: ri, Area: ar}}
		pc.payDay = g.payIn([][]int{{3, 4, 5}, {9, 10, 11}}[rng.IntN(2)], 1, 28)
		g.addContract(pc)
	}
}

// hillContract contracts the barren hills out for a long term, to a firm
// or a cooperative (or a grower), for a yearly fee paid in spring.
func (g *gen) hillContract(s stream, j int, total jiti.Amount) {
	rng := g.rr
	ri := -1
	for i, r := range g.v.Resources {
		if r.Role == resHills {
			ri = i
		}
	}
	if ri < 0 || total <= 0 {
		return
	}
	party, err := partyOf(g.c.Seed, g.v, s.Counterparty)
	if err != nil {
		g.err = err
		return
	}
	start := jiti.Date{Year: g.year, Month: time.January, Day: 1}
	pc := g.newContract(register.Contracting, "荒山荒沟承包经营合同", party, start, 12*[]int{10, 15, 20}[rng.IntN(3)],
		register.Yearly, acctContract, true)
	pc.C.Note = "用于种草养畜及经济林种植"
	rent := between(rng, hillRentLo, hillRentHi)
	full := g.reg.Resources[ri].Area
	ar := min(register.Area(int64(total)/rent), full)
	pc.Lands = []landShare{{Resource: ri, Area: ar}}
	pc.target, pc.stream = total, j
	pc.arrears = rng.IntN(6) == 0
	pc.payDay = g.payIn([]int{3, 4, 5, 6}, 1, 28)
	g.addContract(pc)
}

// stakeContract makes the agreement behind an equity stake of the
// collective's funds (141): a fixed yearly dividend (保底分红), paid at the
// end of each half or of the year.
func (g *gen) stakeContract(s stream, j int, total jiti.Amount) {
	rng := g.rr
	if total <= 0 {
		return
	}
	party, err := partyOf(g.c.Seed, g.v, s.Counterparty)
	if err != nil {
		g.err = err
		return
	}
	freq := register.Yearly
	if s.Installments == 2 {
		freq = register.HalfYearly
	}
	start := jiti.Date{Year: g.year, Month: time.January, Day: 1}
	pc := g.newContract(register.Equity, "村集体资金入股分红协议（"+party.Name+"）", party, start, 60, freq, acctDividend, false)
	pc.C.Note = fmt.Sprintf("村集体入股资金%s元，按年保底分红", g.v.Stake.Grouped())
	pc.target, pc.stream = total, j
	pc.arrears = rng.IntN(12) == 0
	pc.payDay = func(in register.Instalment) jiti.Date {
		if in.DueOn.Month < time.July && freq == register.HalfYearly {
			return g.dayIn(rng, 6, 10, 30)
		}
		return g.dayIn(rng, 12, 5, 25)
	}
	g.addContract(pc)
}

// The ways the villages of 土门岘镇 put each kind of idle asset to use, by
// the village's place in the township: leases everywhere, equity and
// cooperation in turn.
var tumenWays = map[streamKind][3]register.ContractKind{
	leaseSchool:    {register.Lease, register.Cooperation, register.Lease},
	leaseScale:     {register.Lease, register.Lease, register.Lease},
	leaseWorkshop:  {register.Equity, register.Lease, register.Lease},
	leaseWarehouse: {register.Cooperation, register.Equity, register.Lease},
}

// tumenWeight is how much each kind of idle asset earns, relatively.
var tumenWeight = map[streamKind]int64{leaseSchool: 10, leaseScale: 3, leaseWorkshop: 12, leaseWarehouse: 10}

// reviveTumen puts the village's idle assets to use during the year, by
// lease, equity or cooperation, and spreads pool, the leases' income of
// the year, over them by what each earns and for how many months.
func (g *gen) reviveTumen(pool jiti.Amount) {
	rng := g.rr
	v := g.v
	place := 0
	for i, r := range v.Town.Villages {
		if r.Code == v.Region.Code {
			place = i
		}
	}
	late := -1
	if rng.IntN(3) == 0 {
		late = rng.IntN(4)
	}
	var revived []*plannedContract
	var weights []int64
	n := 0
	for ai := range g.reg.Assets {
		pa := &g.reg.Assets[ai]
		if !pa.Revive {
			continue
		}
		kind := kindOfAsset(pa.A.Name)
		way := tumenWays[kind][(place+n)%3]
		if strings.HasPrefix(pa.A.Name, "二号") {
			way = register.Lease
		}
		pc := g.reviveContract(pa, kind, way, n == late)
		n++
		if pc == nil {
			return
		}
		pc.Asset = ai
		g.addContract(pc)
		if pc.target < 0 { // signed for a term from next year: no income this year
			pc.target = 0
			continue
		}
		revived = append(revived, pc)
		weights = append(weights, tumenWeight[kind]*int64(13-int(pc.C.Start.Month))*between(rng, 80, 120))
	}
	shares := allocate(int64(pool), weights)
	for i, pc := range revived {
		pc.target = jiti.Amount(shares[i])
	}
}

// kindOfAsset returns the lease kind an idle asset of 土门岘镇 is, by its
// name.
func kindOfAsset(name string) streamKind {
	for _, k := range tumenIdle {
		for _, n := range kinds[k].assets {
			if name == n || name == "二号"+n {
				return k
			}
		}
	}
	return leaseWarehouse
}

// reviveContract makes the contract that puts idle asset pa of kind k to
// use by way w: signed in the spring to the autumn, or, when late, in
// December for a term from the next January.
func (g *gen) reviveContract(pa *plannedAsset, k streamKind, w register.ContractKind, late bool) *plannedContract {
	rng := g.rr
	v := g.v
	var who, name, account string
	switch w {
	case register.Lease:
		who, name, account = counterparty(rng, v, k), pa.A.Name+"租赁合同", acctRent
	case register.Equity:
		who = []string{"会宁县" + firmWord(rng) + "服饰有限公司", "会宁县" + firmWord(rng) + "农产品加工有限公司",
			"会宁县" + v.Town.Name + "联村肉牛养殖专业合作社"}[rng.IntN(3)]
		name, account = pa.A.Name+"资产入股协议", acctAssetEquity
	case register.Cooperation:
		who = []string{"会宁县" + firmWord(rng) + "马铃薯购销专业合作社", "会宁县" + firmWord(rng) + "农业发展有限公司",
			"会宁县" + v.short() + firmWord(rng) + "养殖专业合作社"}[rng.IntN(3)]
		name, account = pa.A.Name+"合作经营协议", acctCooperation
	}
	party, err := partyOf(g.c.Seed, v, who)
	if err != nil {
		g.err = err
		return nil
	}
	m := 2 + rng.IntN(9)
	start := jiti.Date{Year: g.year, Month: time.Month(m), Day: 1}
	freq, months := g.reviveTerms(m, w)
	sign := start.AddDays(-rng.IntN(20))
	target := jiti.Amount(0)
	if late {
		start = jiti.Date{Year: g.year + 1, Month: time.January, Day: 1}
		freq, months = register.Yearly, 36
		sign = g.dayIn(rng, 12, 1, 20)
		target = -1
	}
	pc := g.newContract(w, name, party, start, months, freq, account, w != register.Equity)
	pc.SignOn, pc.target = sign, target
	pc.C.Note = map[register.ContractKind]string{register.Lease: "闲置资产出租盘活", register.Equity: "闲置资产折价入股，按年保底分红",
		register.Cooperation: "闲置资产合作经营，按年分配保底收益"}[w]
	pc.arrears = !late && rng.IntN(7) == 0
	pc.payDay = g.payWithin(0, 30)
	if w == register.Equity && freq == register.Yearly {
		pc.payDay = g.payWithin(30, 90)
	}
	return pc
}

// numberContracts gives the year's contracts their codes, in the order
// they were signed.
func (g *gen) numberContracts() {
	cs := g.reg.Contracts
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].SignOn.Before(cs[j-1].SignOn); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	for i, pc := range cs {
		pc.C.Code = fmt.Sprintf("HT-%d-%03d", g.year, i+1)
	}
}

// freqMonths returns the months of a frequency's periods.
func freqMonths(f register.Frequency) int {
	switch f {
	case register.HalfYearly:
		return 6
	case register.Quarterly:
		return 3
	case register.Monthly:
		return 1
	}
	return 12
}

// addMonths returns d plus n months, clamped to the end of shorter months,
// as the register counts contract periods.
func addMonths(d jiti.Date, n int) jiti.Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	m %= 12
	last := jiti.NewPeriod(y, time.Month(m+1)).Last()
	return jiti.Date{Year: y, Month: time.Month(m + 1), Day: min(d.Day, last.Day)}
}

// withRent sets the contract's amount for a rent of q per period of its
// first year: the term's periods weigh one each, grown by the escalation
// from the second contract year, as register.Schedule weighs them.
func withRent(c *register.Contract, months int, q jiti.Amount) {
	fm := freqMonths(c.Frequency)
	sum := new(big.Rat)
	for k := range months / fm {
		w := big.NewRat(1, 1)
		if year := k * fm / 12; year > 0 && c.Escalation > 0 {
			w.SetFrac(new(big.Int).Exp(big.NewInt(int64(register.FullRate+c.Escalation)), big.NewInt(int64(year)), nil),
				new(big.Int).Exp(big.NewInt(register.FullRate), big.NewInt(int64(year)), nil))
		}
		sum.Add(sum, w)
	}
	sum.Mul(sum, new(big.Rat).SetInt64(int64(q)))
	// Round half up.
	num := new(big.Int).Mul(sum.Num(), big.NewInt(2))
	num.Add(num, sum.Denom())
	c.Amount = jiti.Amount(new(big.Int).Quo(num, new(big.Int).Mul(sum.Denom(), big.NewInt(2))).Int64())
}

// fit sets the rent of contract pc and plans its receipts so that they
// book pc.target as income of the year, or a little less, and returns
// what is left of the target (plus extra, which an arrears contract takes
// up when its last instalment of the year allows). A contract that cannot
// carry its target (too small for a rent) gets no amount and is dropped.
func (g *gen) fit(pc *plannedContract, extra jiti.Amount) (left jiti.Amount) {
	c := &pc.C
	const probe = jiti.Amount(1_000_000) // a rent of 10,000 yuan
	withRent(c, pc.months, probe)
	insts, err := register.Schedule(c)
	if err != nil {
		panic(fmt.Sprintf("demo: schedule of %s: %v", c.Name, err))
	}
	var due []int // the instalments due in the year
	for i, in := range insts {
		if in.DueOn.Year == g.year {
			due = append(due, i)
		}
	}
	if len(due) == 0 {
		// Signed for a term from next year: a rent of the year's
		// income planned for it elsewhere.
		withRent(c, pc.months, roundTo(jiti.Yuan(between(g.rr, 30_000, 120_000)/freqPerYear(c.Frequency)), jiti.Yuan(100)))
		return extra + pc.target
	}
	dates := make([]jiti.Date, len(due))
	for i, k := range due {
		dates[i] = pc.payDay(insts[k])
	}
	incomes := func(q jiti.Amount) ([]register.Instalment, []jiti.Amount) {
		withRent(c, pc.months, q)
		insts, err := register.Schedule(c)
		if err != nil {
			return nil, nil
		}
		out := make([]jiti.Amount, len(due))
		for i, k := range due {
			out[i] = register.Recognize(c, insts[k], insts[k].Amount, dates[i]).Income
		}
		return insts, out
	}
	_, probeIncome := incomes(probe)
	var probeSum jiti.Amount
	for _, a := range probeIncome {
		probeSum += a
	}
	unit := jiti.Yuan(10)
	target := pc.target
	if pc.arrears {
		// A rent at which the year's instalments but the last, paid in
		// full, and part of the last make the target and what is extra.
		phi := between(g.rr, 30, 80)
		last := probeIncome[len(probeIncome)-1]
		den := int64(probeSum) - int64(last)*(100-phi)/100
		if den > 0 {
			q := (jiti.Amount(int64(target+extra)*int64(probe)/den) + unit - 1) / unit * unit
			if insts, in := incomes(q); insts != nil {
				var before jiti.Amount
				for _, a := range in[:len(in)-1] {
					before += a
				}
				for _, need := range []jiti.Amount{target + extra - before, target - before} {
					if need > 0 && need < in[len(in)-1] {
						g.receipts(pc, insts, due, dates, need)
						if need == target-before {
							return extra
						}
						return 0
					}
				}
			}
		}
		pc.arrears = false
	}
	q := jiti.Amount(int64(target)*int64(probe)/int64(probeSum)) / unit * unit
	for ; q > 0; q -= unit {
		insts, in := incomes(q)
		var sum jiti.Amount
		for _, a := range in {
			sum += a
		}
		if insts != nil && sum <= target {
			g.receipts(pc, insts, due, dates, -1)
			return extra + target - sum
		}
	}
	c.Amount = 0
	return extra + target
}

func freqPerYear(f register.Frequency) int64 { return int64(12 / freqMonths(f)) }

// receipts plans the receipts of a contract whose rent is set: each
// instalment due in the year paid in full on its pay-day, but for partial
// ≥ 0 the last, of which only partial is paid. It computes what each books,
// as the store will: register.Allocate and Recognize.
func (g *gen) receipts(pc *plannedContract, insts []register.Instalment, due []int, dates []jiti.Date, partial jiti.Amount) {
	c := &pc.C
	pc.Receipts = nil
	for i, k := range due {
		amount := insts[k].Amount
		if partial >= 0 && i == len(due)-1 {
			amount = partial
		}
		alloc, err := register.Allocate(insts, dates[i], amount, register.AllocOptions{})
		if err != nil {
			panic(fmt.Sprintf("demo: receipt of %s: %v", c.Name, err))
		}
		r := plannedReceipt{Date: dates[i], Amount: amount}
		for _, part := range alloc.Parts {
			for _, in := range insts {
				if in.No == part.No {
					s := register.Recognize(c, in, part.Amount, dates[i])
					r.Income += s.Income
					r.Deferred += s.Deferred
				}
			}
		}
		alloc.Apply(insts)
		pc.Receipts = append(pc.Receipts, r)
	}
}

// upkeep books now and then the repair of a leased asset, paid by the
// collective.
func (g *gen) upkeep(s stream, total jiti.Amount) {
	if kinds[s.Kind].class != classLease || s.CostPct == 0 || total <= 0 || g.rng.IntN(10) >= 6 {
		return
	}
	code, name := g.assetOf(s)
	a := roundTo(pct(total, s.CostPct), jiti.Yuan(10))
	sum := "维修" + name
	g.add(g.day(4+g.rng.IntN(6), 1, 28), 1, g.attachments(), withAsset(dr(sum, acctUpkeep, a), code), cr(sum, acctBank, a))
}

// sundryRent books the operating income the contracts left over in a
// village with no other operating income: fees for the temporary use of
// the village's grounds.
func (g *gen) sundryRent(a jiti.Amount) {
	sum := "收取集市摊位及场地临时使用费"
	g.add(g.day(5+g.rng.IntN(6), 1, 28), 1, 1, dr(sum, acctBank, a), cr(sum, acctRent, a))
}

// registerVouchers returns the vouchers the store will post for the
// year's register events that move money or income: acquisitions and
// receipts, as package posting makes them, to the amounts (the summaries
// and references are the store's). They serve the plan's checks and the
// bank's opening balance; the store posts its own.
func (yr *yearRegisters) registerVouchers() []*ledger.Voucher {
	var out []*ledger.Voucher
	for _, pa := range yr.Assets {
		a := pa.A
		if pa.Credit == "" {
			continue
		}
		v := &ledger.Voucher{Date: a.AcquiredOn, Period: a.AcquiredOn.Period(), Kind: ledger.Register,
			Lines: []ledger.Line{dr("购入"+a.Name, a.CostAccount, a.Cost), cr("购入"+a.Name, pa.Credit, a.Cost)}}
		if a.Source == register.FiscalProject {
			v.Lines = append(v.Lines, dr("转入公积公益金", acctEarmarked, a.Cost), cr("转入公积公益金", acctFund, a.Cost))
		}
		out = append(out, v)
	}
	for _, pc := range yr.Contracts {
		for _, r := range pc.Receipts {
			v := &ledger.Voucher{Date: r.Date, Period: r.Date.Period(), Kind: ledger.Register,
				Lines: []ledger.Line{dr("收款", acctBank, r.Amount)}}
			if r.Income > 0 {
				v.Lines = append(v.Lines, cr("收款", pc.C.IncomeAccount, r.Income))
			}
			if r.Deferred > 0 {
				v.Lines = append(v.Lines, cr("预收", acctPayables, r.Deferred))
			}
			out = append(out, v)
		}
	}
	return out
}

// productionDepreciation returns the production assets' depreciation of
// each month of the year, as month close will charge it (to 401).
func (yr *yearRegisters) productionDepreciation(year int) [12]jiti.Amount {
	var out [12]jiti.Amount
	for i := range yr.Assets {
		a := &yr.Assets[i].A
		if a.ExpenseAccount != "401" {
			continue
		}
		for m, d := range yearDepreciation(a, year) {
			out[m] += d
		}
	}
	return out
}

// depreciationVouchers returns how many depreciation vouchers month close
// will post in the year: one for each month in which an asset is due any.
func (yr *yearRegisters) depreciationVouchers(year int) int {
	var months [12]bool
	for i := range yr.Assets {
		for m, d := range yearDepreciation(&yr.Assets[i].A, year) {
			if d > 0 {
				months[m] = true
			}
		}
	}
	n := 0
	for _, ok := range months {
		if ok {
			n++
		}
	}
	return n
}

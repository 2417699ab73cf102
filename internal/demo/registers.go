package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
)

// The registers of a village over the years of the books, and what
// happens to them: the profile's assets (on the books when they open) and
// those bought in each year; the resources; and the contracts through
// which rent, contracting fees, equity dividends and cooperation income
// come in, which run from year to year and are renewed when they end.
//
// # Contracts and the calibration
//
// The income of a village's leases, land and hill contracting and equity
// stakes is part of its plan of the year (yearPlan) like any other income,
// and the receipts recorded on the contracts carry it: the store posts
// each receipt's voucher (Dr 10201; Cr the contract's income account what
// is income of the year, Cr 211 what is income of later years) and in
// January recognizes what earlier years received for this one (Dr 211, Cr
// income). Income is booked when received (no contract accrues), so an
// instalment left unpaid at year end (arrears) is no income. Both are
// computed here with the register's own rules (register.Schedule,
// Allocate, Recognize, DeferredIn), so the income each receipt books is
// known to the fen before the store books it.
//
// A contract whose rent was set in an earlier year brings in what its
// schedule says: its instalments due in the year, paid on their pay days
// (now and then one in part), last year's arrears paid back in the spring
// (or not), and the income recognized in January. What the village's plan
// asks beyond that is shared by the year's new contracts (those of assets
// revitalized and of streams that start to earn, and the renewals of
// contracts that end) and its services and sales, by the weights of their
// streams. The new contracts get round rents whose income falls short of
// their share by what rounding leaves; an arrears contract's last
// instalment of the year is paid in part, exactly the amount that makes
// the village's contract income its plan; what is still left goes to the
// services and sales. Where the running contracts bring in more than the
// plan (a village whose income falls), the tenants pay less: the last
// receipts of the year are cut, leaving arrears. The county's totals of
// 501 + 502 therefore stay exact.
//
// Contracts are renewed when they end: one that ends during a year by a
// contract from the day after, signed some days before; one that ends
// with a year by a contract from the next January, signed in December.
//
// # Idle assets
//
// In 土门岘镇 every village has a former school, a weighing scale, an
// assistance workshop and a warehouse idle until 2025 (some a second
// school or warehouse); during 2025 they are leased, put into a company as
// equity (入股) or run in cooperation (合作经营), each by a contract whose
// signing sets the asset's status, and their rent or share of the proceeds
// comes in through it. A few of them are signed late in the year for a
// term from January and earn nothing in it. Elsewhere a tenth of the
// leased assets were idle when the books open and are leased in 2024 or
// 2025, the two villages that earned nothing before 2025 lease theirs in
// 2025, and some villages keep an idle asset that nobody takes (idle too
// long).

// plannedAsset is an asset of the register: on the books when they open
// (Credit "") or brought onto them during a year by CreateAsset, crediting
// Credit.
type plannedAsset struct {
	A        register.Asset
	Credit   string
	Revive   bool // idle when the books open, revitalized in year ReviveIn
	ReviveIn int
	Year     int // the year it is registered in
}

// plannedContract is a contract: registered as a draft and signed on
// SignOn, paid by Receipts over the years.
type plannedContract struct {
	C          register.Contract
	Asset      int // index into the history's assets, or -1
	Lands      []landShare
	SignOn     jiti.Date
	Receipts   []plannedReceipt    // over the years, in the order they are recorded
	Recognized map[int]jiti.Amount // income of a year that earlier years received, recognized in its January
	Revives    bool                // its signing revitalizes an idle asset

	group   int // the streams whose income it carries: a stream's index, tumenPool, or -1
	months  int // term
	pay     payRule
	insts   []register.Instalment // its schedule, as the receipts planned so far leave it
	planned int                   // the year of the books its rent was set in
	next    bool                  // its term starts after the books' last year
	renewed bool                  // its renewal is planned
	size    func(target jiti.Amount)

	// Planning of its first year.
	target  jiti.Amount
	arrears bool
	weight  int64 // within its unit
}

// tumenPool is the group of the contracts of 土门岘镇's revitalized
// assets, which share the income of the township's lease streams.
const tumenPool = 1 << 20

type landShare struct {
	Resource int // index into the history's resources
	Area     register.Area
}

// plannedReceipt is money received on a contract, with how the store will
// book it: the instalments it pays and how each part books
// (register.Allocate and Recognize), summed in Income and Deferred.
type plannedReceipt struct {
	Date             jiti.Date
	Amount           jiti.Amount
	Income, Deferred jiti.Amount
	Parts            []posting.ReceiptPart
}

// incomeIn returns what the contract books as income of year: its
// receipts' and the recognition of January.
func (c *plannedContract) incomeIn(year int) jiti.Amount {
	s := c.Recognized[year]
	for _, r := range c.Receipts {
		if r.Date.Year == year {
			s += r.Income
		}
	}
	return s
}

// payRule says when a contract's instalments are paid.
type payRule struct {
	within bool  // lo to hi days after the instalment falls due, within its year
	lo, hi int   // days
	months []int // otherwise in one of these months, on days lo to hi, not before it falls due
	stake  bool  // equity dividends: in June for the first half, in December otherwise
}

// payDate returns the day an instalment due in the year is paid.
func (g *gen) payDate(pc *plannedContract, in register.Instalment) jiti.Date {
	rng := g.rr
	r := pc.pay
	switch {
	case r.stake:
		if in.DueOn.Month < time.July && pc.C.Frequency == register.HalfYearly {
			return g.dayIn(rng, 6, 10, 30)
		}
		return g.dayIn(rng, 12, 5, 25)
	case r.within:
		d := in.DueOn.AddDays(r.lo + rng.IntN(r.hi-r.lo+1))
		if d.After(g.yearEnd()) {
			d = g.yearEnd()
		}
		return d
	}
	d := g.dayIn(rng, r.months[rng.IntN(len(r.months))], r.lo, r.hi)
	if d.Before(in.DueOn) {
		d = in.DueOn
	}
	return d
}

// The income accounts of contracts.
const (
	acctCooperation = "50105" // 合作经营收入
	acctAssetEquity = "50202" // 资产入股收益
)

// tumenCode is the division code of 土门岘镇.
const tumenCode = "620422120"

// payment is money a contract is to receive.
type payment struct {
	date   jiti.Date
	amount jiti.Amount
}

// running is a contract whose rent was set in an earlier year, with what
// it brings in this year.
type running struct {
	pc     *plannedContract
	rec    jiti.Amount // recognized in January
	pays   []payment
	income jiti.Amount // of pays
}

// unit is a share of the year's income beyond what the running contracts
// bring in: a stream booked by ordinary vouchers (services, sales), or the
// new contracts of a group of streams, which split it by their weights.
type unit struct {
	group  int
	stream bool // a stream of services or sales
	weight int64
	cs     []*plannedContract
	target jiti.Amount
}

// registers plans the village's registers of the year, and books the
// streams that are not contracts' as ordinary vouchers.
func (g *gen) registers() error {
	v, y, h := g.v, g.year, g.h
	rr := newRand(g.c.Seed, "registers", y, v.Region.Code)
	g.rr = rr
	if g.first {
		for _, va := range v.Assets {
			g.addAsset(plannedAsset{A: openingState(va.Asset, y), Revive: va.Revive, ReviveIn: g.sp.clamp(va.ReviveIn)})
		}
		for _, r := range v.Resources {
			h.Resources = append(h.Resources, r.Resource)
		}
	}
	for range rr.IntN(3) {
		s := specsBought[rr.IntN(len(specsBought))]
		a := newAsset(rr, s, y, y, 0)
		a.AcquiredOn = g.dayIn(rr, 3+rr.IntN(9), 1, 28)
		a.Source, a.StatusSince, a.Note = register.Purchase, a.AcquiredOn, ""
		a.Location = v.short() + "村村部"
		g.buyAsset(a, acctBank)
	}

	runs := g.running()
	units := g.newContracts()
	if g.err != nil {
		return g.err
	}
	for j, s := range g.streams {
		if c := kinds[s.Kind].class; c == classService || c == classSales {
			if w := g.streamWeight(j); w > 0 {
				units = append(units, &unit{group: j, stream: true, weight: w})
			}
		}
	}

	// What the running contracts bring in is fixed; the rest of the plan
	// is the units'. Where the running contracts bring in more, or leave
	// the new contracts too little, their tenants pay less.
	var fixed jiti.Amount
	for _, r := range runs {
		fixed += r.rec + r.income
	}
	rest := g.vy.Op - fixed
	room := jiti.Amount(0)
	for _, u := range units {
		if !u.stream && len(u.cs) > 0 {
			room = pct(g.vy.Op, 5)
		}
	}
	if rest < room {
		g.cut(runs, room-rest)
		fixed = 0
		for _, r := range runs {
			fixed += r.rec + r.income
		}
		rest = g.vy.Op - fixed
		if rest < 0 {
			return fmt.Errorf("running contracts bring in %s, more than the plan's %s", fixed, g.vy.Op)
		}
	}
	for _, r := range runs {
		g.receive(r.pc, r.pays, true)
		if r.rec > 0 {
			r.pc.Recognized[y] = r.rec
		}
	}

	// The units' shares, and the new contracts' rents: ordinary contracts
	// first, then those in arrears, which take up what rounding left.
	var left jiti.Amount
	weights := make([]int64, len(units))
	for i, u := range units {
		weights[i] = u.weight
	}
	if len(units) == 0 {
		left = rest // nothing new this year: see below
	}
	for i, share := range allocate(int64(rest), weights) {
		units[i].target = jiti.Amount(share)
	}
	var fresh []*plannedContract
	for _, u := range units {
		if u.stream || len(u.cs) == 0 {
			continue
		}
		cw := make([]int64, len(u.cs))
		for k, pc := range u.cs {
			cw[k] = pc.weight
		}
		for k, share := range allocate(int64(u.target), cw) {
			pc := u.cs[k]
			pc.target = jiti.Amount(share)
			if pc.size != nil {
				pc.size(pc.target)
			}
			fresh = append(fresh, pc)
		}
	}
	for _, pc := range fresh {
		if !pc.arrears {
			left += g.fit(pc, 0)
		}
	}
	for _, pc := range fresh {
		if pc.arrears {
			left = g.fit(pc, left)
		}
	}
	for _, pc := range fresh {
		if pc.C.Amount > 0 {
			g.addContract(pc)
		} else if pc.Asset >= 0 && pc.Revives {
			h.Assets[pc.Asset].Revive = false // nobody took it: it stays idle
		}
	}

	// The services and sales, the first of them with what the contracts
	// left; in a village without any, fees for the use of its grounds, or
	// a service team it sets up when the rest is large.
	sink := -1
	for i, u := range units {
		if u.stream && u.target > 0 {
			sink = i
			break
		}
	}
	if sink < 0 && left > jiti.Yuan(2000) && !g.first {
		if g.team < 0 {
			g.setUpService()
		}
		units = append(units, &unit{group: g.team, stream: true})
		sink = len(units) - 1
	}
	for i, u := range units {
		if !u.stream {
			continue
		}
		total := u.target
		if i == sink {
			total += left
			left = 0
		}
		g.income(g.streams[u.group], total)
	}
	if left > 0 {
		g.sundryRent(left)
	}

	// Repairs of the leased assets.
	byGroup := map[int]jiti.Amount{}
	for _, pc := range h.Contracts {
		if pc.group >= 0 && pc.group < len(g.streams) {
			byGroup[pc.group] += pc.incomeIn(y)
		}
	}
	for j, s := range g.streams {
		g.upkeep(s, j, byGroup[j])
	}
	return g.err
}

// streamWeight returns the weight of stream j in the year's plan, 0 if it
// earns nothing; a service the village set up weighs as much as an average
// stream.
func (g *gen) streamWeight(j int) int64 {
	if j < len(g.p.StreamW[g.v.Index]) {
		return g.p.StreamW[g.v.Index][j]
	}
	if j == g.team {
		return 10_000
	}
	return 0
}

// groupWeight returns the weight of a group of streams in the year's plan.
func (g *gen) groupWeight(group int) int64 {
	if group != tumenPool {
		return g.streamWeight(group)
	}
	var w int64
	for j, s := range g.streams {
		if kinds[s.Kind].class == classLease {
			w += g.streamWeight(j)
		}
	}
	return w
}

// setUpService adds to the village's streams a service team it sets up
// (labour export, weddings and funerals, waste recycling).
func (g *gen) setUpService() {
	rng := g.rr
	k := []streamKind{serviceLabour, serviceWedding, serviceRecycling}[rng.IntN(3)]
	g.streams = append(g.streams, stream{Kind: k, Weight: 100, Counterparty: counterparty(rng, g.v, k),
		CostPct: between(rng, 35, 60), Asset: -1})
	g.team = len(g.streams) - 1
}

// addAsset adds an asset to the register in the year.
func (g *gen) addAsset(pa plannedAsset) {
	pa.Year = g.year
	g.h.Assets = append(g.h.Assets, pa)
	g.vy.Assets = append(g.vy.Assets, len(g.h.Assets)-1)
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
	a.Code = fmt.Sprintf("ZC%03d", len(g.h.Assets)+1)
	g.addAsset(plannedAsset{A: a, Credit: credit})
}

// yearEnd returns the last day of the year.
func (g *gen) yearEnd() jiti.Date { return jiti.Date{Year: g.year, Month: time.December, Day: 31} }

// addContract records a contract whose rent is set.
func (g *gen) addContract(pc *plannedContract) {
	pc.planned = g.year
	g.h.Contracts = append(g.h.Contracts, pc)
}

// newContract returns a contract of the village with the fields common to
// all: the award and the 四议两公开 resolution, a few of them missing.
func (g *gen) newContract(kind register.ContractKind, name string, party register.Party, start jiti.Date, months int,
	freq register.Frequency, account string, bidding bool) *plannedContract {
	rng := g.rr
	c := register.Contract{Kind: kind, Name: name, Party: party, Start: start, End: register.AddMonths(start, months).AddDays(-1),
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
	return &plannedContract{C: c, Asset: -1, SignOn: start, months: months, group: -1, weight: 1, Recognized: map[int]jiti.Amount{}}
}

// assetOfStream returns the index in the register of the asset stream j
// earns from, or -1.
func (g *gen) assetOfStream(j int) int {
	for i, va := range g.v.Assets {
		if va.Stream == j {
			return i
		}
	}
	return -1
}

// running returns the contracts whose rent was set in an earlier year and
// that bring in something this year, with what: the income recognized in
// January, last year's arrears paid back in the spring (by two tenants in
// three), the instalments due in the year paid on their days (one contract
// in ten pays its last in part).
func (g *gen) running() []*running {
	rng, y := g.rr, g.year
	first := jiti.Date{Year: y, Month: time.January, Day: 1}
	var out []*running
	for _, pc := range g.h.Contracts {
		r := &running{pc: pc}
		for _, in := range pc.insts {
			if in.Received > 0 {
				r.rec += register.DeferredIn(in, y, in.Received)
			}
		}
		var back jiti.Amount
		var due []register.Instalment
		for _, in := range pc.insts {
			switch {
			case in.DueOn.Before(first):
				back += in.Outstanding()
			case in.DueOn.Year == y:
				due = append(due, in)
			}
		}
		if back > 0 && rng.IntN(3) > 0 {
			r.pays = append(r.pays, payment{g.dayIn(rng, 2+rng.IntN(3), 1, 28), back})
		}
		for _, in := range due {
			r.pays = append(r.pays, payment{g.payDate(pc, in), in.Amount})
		}
		if len(due) > 0 && rng.IntN(10) == 0 {
			last := &r.pays[len(r.pays)-1]
			last.amount = roundTo(pct(last.amount, between(rng, 30, 80)), jiti.Yuan(10))
		}
		slices.SortStableFunc(r.pays, func(a, b payment) int { return a.date.Compare(b.date) })
		if r.rec == 0 && len(r.pays) == 0 {
			continue
		}
		r.income, _ = g.receive(pc, r.pays, false)
		out = append(out, r)
	}
	return out
}

// receive plans payments on a contract, in order, as the store will book
// them (register.Allocate and Recognize), and returns the income they book
// in the year of each and the receipts; with apply, it records them on
// the contract.
func (g *gen) receive(pc *plannedContract, pays []payment, apply bool) (jiti.Amount, []plannedReceipt) {
	insts := slices.Clone(pc.insts)
	var income jiti.Amount
	var out []plannedReceipt
	for _, p := range pays {
		if p.amount <= 0 {
			continue
		}
		alloc, err := register.Allocate(insts, p.date, p.amount, register.AllocOptions{})
		if err != nil {
			panic(fmt.Sprintf("demo: receipt of %s on %s: %v", p.amount, pc.C.Name, err))
		}
		r := plannedReceipt{Date: p.date, Amount: p.amount}
		for _, part := range alloc.Parts {
			for _, in := range insts {
				if in.No == part.No {
					s := register.Recognize(&pc.C, in, part.Amount, p.date)
					r.Income += s.Income
					r.Deferred += s.Deferred
					if apply {
						r.Parts = append(r.Parts, posting.ReceiptPart{Instalment: in, Amount: part.Amount, Split: s})
					}
				}
			}
		}
		alloc.Apply(insts)
		income += r.Income
		out = append(out, r)
	}
	if apply {
		pc.insts = insts
		pc.Receipts = append(pc.Receipts, out...)
	}
	return income, out
}

// cut lowers what the running contracts bring in this year by need, the
// largest first: their last receipts of the year are dropped, or the last
// one kept paid in part. It returns what it could not cut.
func (g *gen) cut(runs []*running, need jiti.Amount) jiti.Amount {
	order := slices.Clone(runs)
	slices.SortStableFunc(order, func(a, b *running) int { return cmp.Compare(b.income, a.income) })
	for _, r := range order {
		for len(r.pays) > 0 && need > 0 {
			last := len(r.pays) - 1
			without, _ := g.receive(r.pc, r.pays[:last], false)
			if d := r.income - without; d <= need {
				r.pays, r.income = r.pays[:last], without
				need -= d
				continue
			}
			// The least part of the last payment that books what is
			// wanted: income grows by the fen with the amount where it
			// grows at all.
			want := r.income - need
			with := func(a jiti.Amount) jiti.Amount {
				pays := append(slices.Clone(r.pays[:last]), payment{r.pays[last].date, a})
				in, _ := g.receive(r.pc, pays, false)
				return in
			}
			lo, hi := jiti.Amount(0), r.pays[last].amount
			for hi-lo > 1 {
				mid := (lo + hi) / 2
				if with(mid) >= want {
					hi = mid
				} else {
					lo = mid
				}
			}
			r.pays[last].amount = hi
			r.income = with(hi)
			need = r.income - want
		}
	}
	return need
}

// newContracts plans the contracts the year begins: the renewals of
// contracts that end, and the first contracts of the streams that start
// to earn (the first year's, the leases of revitalized assets, 土门岘镇's
// revitalized assets). It returns them in units with their weights; their
// rents are set once the year's plan is split.
func (g *gen) newContracts() []*unit {
	v, y, h := g.v, g.year, g.h
	var units []*unit
	jan := jiti.Date{Year: y, Month: time.January, Day: 1}
	// Renewals, each in its own unit, weighing its part of its group's
	// weight for the part of the year it runs.
	groupRent := map[int]jiti.Amount{}
	for _, pc := range h.Contracts {
		if !pc.C.End.Before(jan.AddDays(-1)) && !pc.C.Start.After(g.yearEnd()) {
			groupRent[pc.group] += yearlyRent(pc)
		}
	}
	for _, pc := range slices.Clone(h.Contracts) {
		if pc.renewed || pc.C.Amount == 0 {
			continue
		}
		end := pc.C.End
		switch {
		case end == jan.AddDays(-1):
			// Ended with last year: renewed from January, signed in
			// December.
		case end.Year == y && end != g.yearEnd():
		case end == g.yearEnd() && y == g.sp.To:
			// Ends with the books' last year: renewed from next
			// January at its rent.
			nc := g.renew(pc, end.AddDays(1))
			nc.next = true
			nc.C.Amount = register.AmountForRent(&nc.C, roundTo(lastRent(pc), jiti.Yuan(10)))
			g.schedule(nc)
			g.addContract(nc)
			continue
		default:
			continue
		}
		nc := g.renew(pc, end.AddDays(1))
		w := g.groupWeight(pc.group)
		if t := groupRent[pc.group]; t > 0 {
			w = w * int64(yearlyRent(pc)) / int64(t)
		}
		w = w * int64(13-int(nc.C.Start.Month)) / 12
		units = append(units, &unit{group: pc.group, weight: max(w, 1), cs: []*plannedContract{nc}})
	}

	// The first contracts of the streams that start to earn.
	has := map[int]bool{}
	for _, pc := range h.Contracts {
		has[pc.group] = true
	}
	tumen := v.Town.Code == tumenCode
	for j, s := range g.streams {
		if j >= len(v.Streams) || has[j] || g.streamWeight(j) == 0 {
			continue
		}
		var cs []*plannedContract
		k := kinds[s.Kind]
		switch {
		case k.class == classLease && tumen:
			continue
		case k.class == classLease:
			cs = g.leaseContract(s, j)
		case s.Kind == contractLand:
			cs = g.landContracts(s, j)
		case s.Kind == contractHill:
			cs = g.hillContract(s, j)
		case s.Kind == equityStake:
			cs = g.stakeContract(s, j)
		default:
			continue
		}
		if len(cs) > 0 {
			units = append(units, &unit{group: j, weight: g.streamWeight(j), cs: cs})
		}
	}
	if tumen && !has[tumenPool] && g.groupWeight(tumenPool) > 0 {
		if cs := g.reviveTumen(); len(cs) > 0 {
			units = append(units, &unit{group: tumenPool, weight: g.groupWeight(tumenPool), cs: cs})
		}
	}
	return units
}

// yearlyRent returns a contract's rent of a year, on average over its term.
func yearlyRent(pc *plannedContract) jiti.Amount {
	if pc.months == 0 {
		return pc.C.Amount
	}
	return pc.C.Amount * 12 / jiti.Amount(pc.months)
}

// lastRent returns the rent of a contract's last full period.
func lastRent(pc *plannedContract) jiti.Amount {
	var q jiti.Amount
	for _, in := range pc.insts {
		q = max(q, in.Amount)
	}
	return q
}

// renew returns the renewal of a contract from start, with the same
// party, subjects, frequency and payment habits, signed some days before
// it; its rent is set later.
func (g *gen) renew(old *plannedContract, start jiti.Date) *plannedContract {
	rng := g.rr
	c := old.C
	var terms []int
	switch {
	case c.Kind == register.Contracting && len(old.Lands) > 0 && c.Name == "荒山荒沟承包经营合同":
		terms = []int{120, 180}
	case c.Kind == register.Contracting:
		terms = []int{12, 36, 60}
	case c.Kind == register.Equity:
		terms = []int{36, 60}
	case c.Kind == register.Cooperation:
		terms = []int{36}
	default:
		terms = []int{12, 36, 60}
	}
	months := terms[rng.IntN(len(terms))]
	if fm := c.Frequency.Months(); months%fm != 0 {
		months = fm * (months/fm + 1)
	}
	nc := g.newContract(c.Kind, c.Name, c.Party, start, months, c.Frequency, c.IncomeAccount, c.Award == register.OpenBidding)
	nc.C.Escalation = 0
	if months >= 60 && old.C.Escalation > 0 {
		nc.C.Escalation = old.C.Escalation
	}
	nc.C.Note = fmt.Sprintf("续签，原合同期限%s至%s", old.C.Start, old.C.End)
	nc.SignOn = start.AddDays(-1 - rng.IntN(20))
	nc.Asset, nc.Lands, nc.group, nc.pay = old.Asset, old.Lands, old.group, old.pay
	nc.arrears = rng.IntN(10) == 0
	old.renewed = true
	return nc
}

// schedule computes a contract's schedule once its rent is set.
func (g *gen) schedule(pc *plannedContract) {
	insts, err := register.Schedule(&pc.C)
	if err != nil {
		panic(fmt.Sprintf("demo: schedule of %s: %v", pc.C.Name, err))
	}
	pc.insts = insts
}

// leaseContract makes the lease of a stream's asset: renewed from the
// first of January of the first year for a lease that ran before, or,
// for an asset that was idle, signed during the year it is revitalized.
func (g *gen) leaseContract(s stream, j int) []*plannedContract {
	rng := g.rr
	ai := g.assetOfStream(j)
	if ai < 0 {
		return nil
	}
	a := &g.h.Assets[ai]
	party, err := partyOf(g.c.Seed, g.v, s.Counterparty)
	if err != nil {
		g.err = err
		return nil
	}
	freq := map[int]register.Frequency{1: register.Yearly, 2: register.HalfYearly, 4: register.Quarterly}[s.Installments]
	var pc *plannedContract
	if a.Revive {
		m := g.v.Assets[ai].ReviveMonth
		start := jiti.Date{Year: g.year, Month: time.Month(m), Day: 1}
		freq, months := g.reviveTerms(m, register.Lease)
		pc = g.newContract(register.Lease, a.A.Name+"租赁合同", party, start, months, freq, acctRent, true)
		pc.SignOn = start.AddDays(-rng.IntN(20))
		pc.C.Note = "闲置资产盘活"
		pc.pay = payRule{within: true, lo: 0, hi: 25}
		pc.Revives = true
	} else {
		months := []int{12, 36, 60, 60, 120}[rng.IntN(5)]
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
			pc.pay = payRule{months: []int{1, 2, 3}, lo: 3, hi: 28}
		} else {
			pc.pay = payRule{within: true, lo: 2, hi: 35}
		}
	}
	pc.Asset, pc.group = ai, j
	pc.arrears = rng.IntN(8) == 0
	return []*plannedContract{pc}
}

// reviveTerms returns the frequency and term of a contract that puts an
// idle asset to use from the first of month m: instalments that end with
// the year where the month allows, a yearly rent paid ahead otherwise (its
// part of the next year deferred); a one-year trial now and then. Before
// the books' last year a rent is paid a year ahead only from the spring,
// by the quarter or the month otherwise, so that little of a year's income
// is received, and fixed, in the year before.
func (g *gen) reviveTerms(m int, kind register.ContractKind) (register.Frequency, int) {
	rng := g.rr
	var freq register.Frequency
	switch {
	case g.year < g.sp.To && m <= 4 && rng.IntN(2) == 0:
		freq = register.Yearly
	case g.year < g.sp.To && m%3 == 1:
		freq = register.Quarterly
	case g.year < g.sp.To:
		freq = register.Monthly
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
// households, each a part of it for a yearly fee, from the first of
// January; the fees are paid in spring or autumn, and one household may
// pay only part of its fee. Each household's area follows its fee.
func (g *gen) landContracts(s stream, j int) []*plannedContract {
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
	if ri < 0 {
		return nil
	}
	late := rng.IntN(10) < 3
	start := jiti.Date{Year: g.year, Month: time.January, Day: 1}
	room := g.h.Resources[ri].Area
	var out []*plannedContract
	for i, h := range hh {
		party, err := partyOf(g.c.Seed, g.v, h.Name)
		if err != nil {
			g.err = err
			return nil
		}
		pc := g.newContract(register.Contracting, "集体机动地承包合同（"+h.Name+"）", party, start, 12*[]int{1, 3, 5}[rng.IntN(3)],
			register.Yearly, acctContract, rng.IntN(2) == 0)
		pc.group = j
		pc.weight = int64(50 + rng.IntN(101))
		pc.arrears = late && i == len(hh)-1
		rent := between(rng, landRentLo, landRentHi)
		pc.pay = payRule{months: [][]int{{3, 4, 5}, {9, 10, 11}}[rng.IntN(2)], lo: 1, hi: 28}
		n := len(hh) - i
		pc.Lands = []landShare{{Resource: ri}}
		// The area at the household's rent per mu, within what is left of
		// the land.
		pc.size = func(fee jiti.Amount) {
			ar := register.Area(int64(fee) / rent)
			if pc.arrears {
				ar = ar * 3 / 2
			}
			ar = max(min(ar, room/register.Area(n)), 1)
			room -= ar
			pc.Lands = []landShare{{Resource: ri, Area: ar}}
		}
		out = append(out, pc)
	}
	return out
}

// hillContract contracts the barren hills out for a long term, to a firm
// or a cooperative (or a grower), for a yearly fee paid in spring.
func (g *gen) hillContract(s stream, j int) []*plannedContract {
	rng := g.rr
	ri := -1
	for i, r := range g.v.Resources {
		if r.Role == resHills {
			ri = i
		}
	}
	if ri < 0 {
		return nil
	}
	party, err := partyOf(g.c.Seed, g.v, s.Counterparty)
	if err != nil {
		g.err = err
		return nil
	}
	start := jiti.Date{Year: g.year, Month: time.January, Day: 1}
	pc := g.newContract(register.Contracting, "荒山荒沟承包经营合同", party, start, 12*[]int{10, 15, 20}[rng.IntN(3)],
		register.Yearly, acctContract, true)
	pc.C.Note = "用于种草养畜及经济林种植"
	rent := between(rng, hillRentLo, hillRentHi)
	full := g.h.Resources[ri].Area
	pc.Lands = []landShare{{Resource: ri, Area: full}}
	pc.size = func(fee jiti.Amount) {
		pc.Lands = []landShare{{Resource: ri, Area: max(min(register.Area(int64(fee)/rent), full), 1)}}
	}
	pc.group = j
	pc.arrears = rng.IntN(6) == 0
	pc.pay = payRule{months: []int{3, 4, 5, 6}, lo: 1, hi: 28}
	return []*plannedContract{pc}
}

// stakeContract makes the agreement behind an equity stake of the
// collective's funds (141): a fixed yearly dividend (保底分红), paid at the
// end of each half or of the year.
func (g *gen) stakeContract(s stream, j int) []*plannedContract {
	rng := g.rr
	party, err := partyOf(g.c.Seed, g.v, s.Counterparty)
	if err != nil {
		g.err = err
		return nil
	}
	freq := register.Yearly
	if s.Installments == 2 {
		freq = register.HalfYearly
	}
	start := jiti.Date{Year: g.year, Month: time.January, Day: 1}
	pc := g.newContract(register.Equity, "村集体资金入股分红协议（"+party.Name+"）", party, start, 60, freq, acctDividend, false)
	pc.C.Note = fmt.Sprintf("村集体入股资金%s元，按年保底分红", g.v.Stake.Grouped())
	pc.group = j
	pc.arrears = rng.IntN(12) == 0
	pc.pay = payRule{stake: true}
	return []*plannedContract{pc}
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
// lease, equity or cooperation: the contracts share the township's lease
// income of the year by what each asset earns and for how many months.
func (g *gen) reviveTumen() []*plannedContract {
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
	var out []*plannedContract
	n := 0
	for ai := range g.h.Assets {
		pa := &g.h.Assets[ai]
		if !pa.Revive || pa.ReviveIn != g.year {
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
			return nil
		}
		pc.Asset, pc.group, pc.Revives = ai, tumenPool, true
		if pc.next {
			// Signed for a term from next January: no income this year.
			pc.C.Amount = register.AmountForRent(&pc.C, roundTo(jiti.Yuan(between(rng, 30_000, 120_000)/freqPerYear(pc.C.Frequency)), jiti.Yuan(100)))
			g.schedule(pc)
			g.addContract(pc)
			continue
		}
		pc.weight = tumenWeight[kind] * int64(13-int(pc.C.Start.Month)) * between(rng, 80, 120)
		out = append(out, pc)
	}
	return out
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
	if late {
		start = jiti.Date{Year: g.year + 1, Month: time.January, Day: 1}
		freq, months = register.Yearly, 36
		sign = g.dayIn(rng, 12, 1, 20)
	}
	pc := g.newContract(w, name, party, start, months, freq, account, w != register.Equity)
	pc.SignOn, pc.next = sign, late
	pc.C.Note = map[register.ContractKind]string{register.Lease: "闲置资产出租盘活", register.Equity: "闲置资产折价入股，按年保底分红",
		register.Cooperation: "闲置资产合作经营，按年分配保底收益"}[w]
	pc.arrears = !late && rng.IntN(7) == 0
	pc.pay = payRule{within: true, lo: 0, hi: 30}
	if w == register.Equity && freq == register.Yearly {
		pc.pay = payRule{within: true, lo: 30, hi: 90}
	}
	return pc
}

// numberContracts puts the history's contracts in the order they are
// signed, gives them their codes (HT-year-number, numbered by year of
// signing), and lists each year's contracts and receipts.
func (g *gen) numberContracts() {
	h := g.h
	slices.SortStableFunc(h.Contracts, func(a, b *plannedContract) int { return a.SignOn.Compare(b.SignOn) })
	seq := map[int]int{}
	for _, pc := range h.Contracts {
		seq[pc.SignOn.Year]++
		pc.C.Code = fmt.Sprintf("HT-%d-%03d", pc.SignOn.Year, seq[pc.SignOn.Year])
	}
	for _, vy := range h.Years {
		for i, pc := range h.Contracts {
			// A contract signed before the books open (a renewal from
			// their first January) is registered in the first year.
			if pc.SignOn.Year == vy.Year || pc.SignOn.Year < h.Span.From && vy.Year == h.Span.From {
				vy.Contracts = append(vy.Contracts, i)
			}
			for _, r := range pc.Receipts {
				if r.Date.Year == vy.Year {
					vy.Receipts = append(vy.Receipts, receiptOf{Contract: i, R: r})
				}
			}
		}
	}
}

// fit sets the rent of new contract pc and plans its receipts of the year
// so that they book pc.target as income of the year, or a little less, and
// returns what is left of the target (plus extra, which an arrears
// contract takes up when its last instalment of the year allows). A
// contract that cannot carry its target (too small for a rent) gets no
// amount and is dropped.
func (g *gen) fit(pc *plannedContract, extra jiti.Amount) (left jiti.Amount) {
	c := &pc.C
	const probe = jiti.Amount(1_000_000) // a rent of 10,000 yuan
	c.Amount = register.AmountForRent(c, probe)
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
		// A term from next year: nothing of this year's income.
		c.Amount = 0
		return extra + pc.target
	}
	dates := make([]jiti.Date, len(due))
	for i, k := range due {
		dates[i] = g.payDate(pc, insts[k])
	}
	// incomes returns the income each instalment due in the year books,
	// paid in full on its day, at a rent of q.
	incomes := func(q jiti.Amount) ([]register.Instalment, []jiti.Amount) {
		c.Amount = register.AmountForRent(c, q)
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
	pays := func(insts []register.Instalment, partial jiti.Amount) []payment {
		out := make([]payment, len(due))
		for i, k := range due {
			out[i] = payment{dates[i], insts[k].Amount}
		}
		if partial >= 0 {
			out[len(out)-1].amount = partial
		}
		return out
	}
	_, probeIncome := incomes(probe)
	var probeSum jiti.Amount
	for _, a := range probeIncome {
		probeSum += a
	}
	unit := jiti.Yuan(10)
	target := pc.target
	if pc.arrears && probeSum > 0 {
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
						pc.insts = insts
						g.receive(pc, pays(insts, need), true)
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
	if probeSum > 0 {
		q := jiti.Amount(int64(target)*int64(probe)/int64(probeSum)) / unit * unit
		for ; q > 0; q -= unit {
			insts, in := incomes(q)
			var sum jiti.Amount
			for _, a := range in {
				sum += a
			}
			if insts != nil && sum <= target {
				pc.insts = insts
				g.receive(pc, pays(insts, -1), true)
				return extra + target - sum
			}
		}
	}
	c.Amount = 0
	return extra + target
}

// freqPerYear returns how many periods of frequency f a year has.
func freqPerYear(f register.Frequency) int64 { return int64(12 / f.Months()) }

// upkeep books now and then the repair of a leased asset, paid by the
// collective, at a share of what it earned in the year.
func (g *gen) upkeep(s stream, j int, total jiti.Amount) {
	if kinds[s.Kind].class != classLease || s.CostPct == 0 || total <= 0 || g.rng.IntN(10) >= 6 {
		return
	}
	ai := g.assetOfStream(j)
	if ai < 0 {
		return
	}
	a := g.h.Assets[ai].A
	amount := roundTo(pct(total, s.CostPct), jiti.Yuan(10))
	sum := "维修" + a.Name
	g.add(g.day(4+g.rng.IntN(6), 1, 28), 1, g.attachments(), withAsset(dr(sum, acctUpkeep, amount), a.Code), cr(sum, acctBank, amount))
}

// sundryRent books the operating income the contracts left over in a
// village with no other operating income: fees for the temporary use of
// the village's grounds.
func (g *gen) sundryRent(a jiti.Amount) {
	sum := "收取集市摊位及场地临时使用费"
	g.add(g.day(5+g.rng.IntN(6), 1, 28), 1, 1, dr(sum, acctBank, a), cr(sum, acctRent, a))
}

// registerVouchers returns the vouchers the store will post for the
// year's register events that move money or income: acquisitions,
// receipts and the recognition in January of income received before, made
// by package posting as the store makes them (the references differ: the
// contracts have no codes yet). They serve the plan's checks and the
// bank's opening balance; the store posts its own. It also keeps the
// income received for later years (211) up to date.
func (g *gen) registerVouchers() []*ledger.Voucher {
	var out []*ledger.Voucher
	y := g.year
	for _, i := range g.vy.Assets {
		pa := g.h.Assets[i]
		if pa.Credit == "" {
			continue
		}
		if v := posting.AcquisitionFrom(&pa.A, pa.A.AcquiredOn, pa.Credit, acctEarmarked, acctFund); v != nil {
			out = append(out, v)
		}
	}
	jan := jiti.NewPeriod(y, time.January).Last()
	for _, pc := range g.h.Contracts {
		if a := pc.Recognized[y]; a > 0 {
			out = append(out, posting.Recognition(&pc.C, y, a, jan, acctPayables))
			g.deferred -= a
		}
		for _, r := range pc.Receipts {
			if r.Date.Year != y {
				continue
			}
			if v := posting.Receipt(&pc.C, r.Parts, r.Date, acctBank, acctPayables, "", 0); v != nil {
				out = append(out, v)
			}
			g.deferred += r.Deferred
		}
	}
	return out
}

// yearDepreciation returns what month close will charge asset a (as
// registered) in each month of year, for books that open in the first
// year of sp: register.DepreciationPlan, the rule the store applies.
func yearDepreciation(a *register.Asset, sp span, year int) [12]jiti.Amount {
	var out [12]jiti.Amount
	for _, m := range register.DepreciationPlan(a, jiti.NewPeriod(sp.From, time.January), jiti.NewPeriod(year, time.December)) {
		if m.Period.Year() == year {
			out[m.Period.Month()-1] += m.Amount
		}
	}
	return out
}

// productionDepreciation returns the production assets' depreciation of
// each month of the year, as month close will charge it (to 401).
func (g *gen) productionDepreciation() [12]jiti.Amount {
	var out [12]jiti.Amount
	for i := range g.h.Assets {
		a := &g.h.Assets[i].A
		if a.ExpenseAccount != "401" {
			continue
		}
		for m, d := range yearDepreciation(a, g.sp, g.year) {
			out[m] += d
		}
	}
	return out
}

// depreciationVouchers returns how many depreciation vouchers month close
// will post in the year: one for each month in which an asset is due any.
func (g *gen) depreciationVouchers() int {
	var months [12]bool
	for i := range g.h.Assets {
		for m, d := range yearDepreciation(&g.h.Assets[i].A, g.sp, g.year) {
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

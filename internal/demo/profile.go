package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/store"
)

// The county's published figures for 2025 (statistics.md), in yuan. The demo
// reproduces them to the fen for Year 2025.
const (
	calibrationYear     = 2025
	operatingType2025   = 98_922_100 // 501 + 502
	subsidy2025         = 3_426_700  // 503
	otherIncome2025     = 3_185_600  // 504
	centralProjects2025 = 7          // projects backed by central funds in 2025
)

// Growth of each income line of the county from one year to the next, in
// percent, for years other than 2025: the year before 2025 is about 10 %
// lower in operating-type income. Each village grows at its own rate
// (village.Growth); the county's total is what these give.
var (
	growthOperating = [2]int64{90, 108} // {year before: % of next year, year after: % of year before}
	growthSubsidy   = [2]int64{93, 102}
	growthOther     = [2]int64{88, 105}
)

// countyTotals returns the county's operating-type, subsidy and other income
// of year, in yuan: the published figures for 2025, scaled by the growth
// rates for other years.
func countyTotals(year int) (op, sub, oth int64) {
	op, sub, oth = operatingType2025, subsidy2025, otherIncome2025
	scale := func(v int64, g [2]int64, back bool) int64 {
		if back {
			return (v*g[0] + 50) / 100
		}
		return (v*g[1] + 50) / 100
	}
	for y := calibrationYear; y > year; y-- {
		op, sub, oth = scale(op, growthOperating, true), scale(sub, growthSubsidy, true), scale(oth, growthOther, true)
	}
	for y := calibrationYear; y < year; y++ {
		op, sub, oth = scale(op, growthOperating, false), scale(sub, growthSubsidy, false), scale(oth, growthOther, false)
	}
	return op, sub, oth
}

// Kinds of income streams a village collective earns from.
type streamKind int

const (
	leaseSchool streamKind = iota
	leaseWorkshop
	leaseWarehouse
	leaseScale
	leaseShops
	leaseFarm
	contractLand
	contractHill
	serviceLabour
	serviceProperty
	serviceWedding
	serviceRecycling
	serviceAgri
	serviceProcurement
	serviceProject
	salesProduce
	salesLivestock
	salesInputs
	salesSolar
	equityStake
)

// streamClass says how a stream is booked.
type streamClass int

const (
	classLease    streamClass = iota // rent of an asset under a lease (registers.go): receipts Dr 10201 / Cr 50101
	classContract                    // contracting of land (registers.go): receipts Dr 10201 / Cr 50104
	classService                     // Dr 10201 / Cr 50102, labour and costs Dr 51101
	classSales                       // purchases Dr 121 (131), sales Dr 10201 / Cr 50103 with cost Dr 51102
	classEquity                      // dividends of a stake in 141 under an agreement (registers.go): Dr 10201 / Cr 50201
)

// kindInfo describes a stream kind: what it is called in summaries, how it
// is booked and what asset it uses.
type kindInfo struct {
	class  streamClass
	income string   // what the income is, for summaries: "闲置校舍租金"
	assets []string // the asset leased or used, one chosen per village; none for most
	life   int      // asset's useful life in years
}

var kinds = map[streamKind]kindInfo{
	leaseSchool:        {classLease, "闲置校舍租金", []string{"原村小学校舍", "原教学点校舍"}, 30},
	leaseWorkshop:      {classLease, "帮扶车间租金", []string{"帮扶车间", "扶贫车间"}, 20},
	leaseWarehouse:     {classLease, "仓库租金", []string{"农产品仓储库", "冷链仓储库", "集体仓库"}, 20},
	leaseScale:         {classLease, "地磅租金", []string{"电子地磅"}, 10},
	leaseShops:         {classLease, "门面房租金", []string{"集体门面房", "集贸市场摊位房"}, 30},
	leaseFarm:          {classLease, "养殖小区租金", []string{"养殖小区圈舍", "日光温室"}, 15},
	contractLand:       {classContract, "机动地承包费", nil, 0},
	contractHill:       {classContract, "集体荒山草场承包费", nil, 0},
	serviceLabour:      {classService, "劳务输出服务费", nil, 0},
	serviceProperty:    {classService, "物业管理服务费", nil, 0},
	serviceWedding:     {classService, "红白理事服务收入", nil, 0},
	serviceRecycling:   {classService, "废旧物资回收服务收入", nil, 0},
	serviceAgri:        {classService, "农业社会化服务收入", nil, 0},
	serviceProcurement: {classService, "农资集中采购配送服务费", nil, 0},
	serviceProject:     {classService, "承接村内项目劳务服务收入", nil, 0},
	salesProduce:       {classSales, "农产品销售收入", nil, 0},
	salesLivestock:     {classSales, "肉羊销售收入", nil, 0},
	salesInputs:        {classSales, "农资销售收入", nil, 0},
	salesSolar:         {classSales, "光伏发电收入", []string{"村级光伏电站"}, 20},
	equityStake:        {classEquity, "入股分红", nil, 0},
}

// A pool weighs the stream kinds of a kind of township.
type pool map[streamKind]int

var (
	// Most townships: farming, leasing and service entities in several villages.
	poolGeneral = pool{leaseWorkshop: 10, leaseWarehouse: 8, leaseShops: 3, leaseFarm: 8, contractLand: 14, contractHill: 5,
		serviceLabour: 10, serviceProperty: 3, serviceWedding: 6, serviceRecycling: 4, serviceAgri: 6, serviceProject: 6,
		salesProduce: 8, salesLivestock: 7, salesSolar: 6, equityStake: 10}
	// Market towns along the roads: warehouses, shops, trade.
	poolMarket = pool{leaseWarehouse: 12, leaseShops: 10, leaseWorkshop: 6, contractLand: 8, serviceLabour: 8,
		serviceProperty: 4, serviceWedding: 5, serviceRecycling: 6, salesProduce: 8, equityStake: 8, serviceProject: 4}
	// The county seat: property management of resettlement quarters, shops.
	poolSeat = pool{serviceProperty: 20, leaseShops: 20, serviceLabour: 10, serviceWedding: 8, serviceRecycling: 8,
		leaseWarehouse: 6, equityStake: 6, contractLand: 5}
	// 土门岘镇: idle school buildings, weighing scales, assistance workshops
	// and warehouses leased out, and equity stakes.
	poolTumen = pool{leaseSchool: 20, leaseScale: 16, leaseWorkshop: 16, leaseWarehouse: 16, equityStake: 24}
	// 平头川镇: the supply-and-marketing cooperative's centralized procurement
	// of farm inputs and serialized agricultural services.
	poolPingtou = pool{serviceProcurement: 30, serviceAgri: 25, salesInputs: 10, contractLand: 8, leaseWarehouse: 6, equityStake: 5}
)

// townProfile is the economic character of a township, invented for the
// demo: strength scales its villages' income; the pool says what they earn
// from; first and second, when set, list kinds one of each of which every
// village has.
type townProfile struct {
	strength int // percent of an average township
	pool     pool
	first    []streamKind
	second   []streamKind
}

// The two townships the county's report holds up as examples.
var (
	profilePingtou = townProfile{110, poolPingtou, []streamKind{serviceProcurement, serviceAgri}, nil}
	profileTumen   = townProfile{120, poolTumen, []streamKind{leaseSchool, leaseScale, leaseWorkshop, leaseWarehouse},
		[]streamKind{equityStake}}
)

var townProfiles = map[string]townProfile{
	"620422100": {140, poolSeat, nil, nil},    // 会师镇, the county seat
	"620422101": {125, poolMarket, nil, nil},  // 郭城驿镇
	"620422102": {115, poolMarket, nil, nil},  // 河畔镇
	"620422103": {105, poolGeneral, nil, nil}, // 头寨子镇
	"620422104": {95, poolGeneral, nil, nil},  // 太平店镇
	"620422105": {115, poolMarket, nil, nil},  // 甘沟驿镇
	"620422106": {85, poolGeneral, nil, nil},  // 侯家川镇
	"620422107": {90, poolGeneral, nil, nil},  // 柴家门镇
	"620422108": {80, poolGeneral, nil, nil},  // 汉家岔镇
	"620422109": {90, poolGeneral, nil, nil},  // 刘家寨子镇
	"620422110": {85, poolGeneral, nil, nil},  // 白草塬镇
	"620422111": {95, poolGeneral, nil, nil},  // 大沟镇
	"620422112": {90, poolGeneral, nil, nil},  // 四房吴镇
	"620422113": {100, poolGeneral, nil, nil}, // 中川镇
	"620422114": {85, poolGeneral, nil, nil},  // 老君坡镇
	"620422115": profilePingtou,               // 平头川镇
	"620422116": {90, poolGeneral, nil, nil},  // 丁家沟镇
	"620422117": {85, poolGeneral, nil, nil},  // 杨崖集镇
	"620422118": {90, poolGeneral, nil, nil},  // 翟家所镇
	"620422119": {90, poolGeneral, nil, nil},  // 韩家集镇
	"620422120": profileTumen,                 // 土门岘镇
	"620422121": {85, poolGeneral, nil, nil},  // 新塬镇
	"620422122": {80, poolGeneral, nil, nil},  // 草滩镇
	"620422123": {85, poolGeneral, nil, nil},  // 新庄塬镇
	"620422202": {80, poolGeneral, nil, nil},  // 新添堡回族乡
	"620422204": {75, poolGeneral, nil, nil},  // 党家岘乡
	"620422213": {75, poolGeneral, nil, nil},  // 八里湾乡
	"620422225": {70, poolGeneral, nil, nil},  // 土高山乡
}

// special reports whether the township is one of the two the county's report
// holds up as examples; their villages are never shells or weak.
func (t townProfile) special() bool { return t.first != nil }

// tier is the band of a village's operating-type income in 2025 that the
// demo draws it in. The bands are the demo's design, not the county's
// configuration of tiers.
type tier int

const (
	tierMiddle tier = iota // 100,000 – 500,000 yuan: most villages
	tierStrong             // over 1,000,000
	tierUpper              // 500,000 – 1,000,000
	tierShell              // none at all: 空壳村
	tierWeak               // under 50,000
	tierLow                // 50,000 – 100,000
)

// tierPlan gives the number of villages drawn in each band but the middle,
// and the range of their 2025 operating-type income in yuan. Villages are
// drawn for the bands in this order, among those the band admits, weighted
// by their township's strength (power > 0) or weakness (power < 0). Strong
// villages are in strong townships, shells and weak ones in weak townships
// and never in the two model townships nor the village that gives its
// township its name; no village with a generated name is at either end.
var tierPlan = []struct {
	tier   tier
	count  int
	lo, hi int64
	power  int
	admits func(v *village) bool
}{
	{tierStrong, 5, 1_050_000, 2_300_000, 4, func(v *village) bool { return v.Profile.strength >= 110 && !v.generated() }},
	{tierUpper, 40, 520_000, 960_000, 2, func(v *village) bool { return v.Profile.strength >= 90 && !v.generated() }},
	{tierShell, 2, 0, 0, -4, func(v *village) bool { return v.Profile.strength <= 85 && !v.generated() && !v.seat() }},
	{tierWeak, 6, 8_000, 46_000, -3, func(v *village) bool { return v.Profile.strength <= 90 && !v.Profile.special() && !v.seat() }},
	{tierLow, 14, 55_000, 95_000, -2, func(v *village) bool { return !v.Profile.special() }},
}

// The middle villages get middleFloor yuan each plus a share of what is
// left, weighted by a draw up to middleSpread times their township's
// strength.
const (
	middleFloor  = 110_000
	middleSpread = 360_000
)

// stream is one way a village earns operating-type income.
type stream struct {
	Kind         streamKind
	Weight       int64
	Counterparty string
	Installments int   // rent or dividend payments a year
	CostPct      int64 // operating cost in percent of income (services, sales), or upkeep (leases)
	Asset        int   // index into the village's assets, or -1
}

// village is the profile of one village collective: what does not change
// from year to year.
type village struct {
	Index   int
	Region  jiti.Region
	Town    *township
	Profile townProfile
	Tier    tier
	Op2025  int64 // operating-type income of 2025, yuan
	// Growth is how much the village's operating-type income grows a year
	// around 2025, in percent (negative: it falls); Late, that it earned
	// none before 2025 (a 空壳村 that its revitalized assets and new
	// contracts lift in 2025).
	Growth     int64
	Late       bool
	Streams    []stream
	Assets     []vAsset
	Resources  []vResource
	Households []store.Household
	Stake      jiti.Amount // long-term investment (141) behind equity dividends
	USCC       string
	SubsidyW   int64 // weight of the village in the county's subsidies
	OtherW     int64 // weight in other income
	Cadre      int64 // cadre remuneration budget, percent of operating-type income ×10
}

// generated reports whether the village's name is a generated one.
func (v *village) generated() bool { return strings.HasSuffix(v.Region.Name, generatedMark) }

// seat reports whether the village gives its township its name (郭城驿村 of
// 郭城驿镇): the market village of the township.
func (v *village) seat() bool { return strings.HasPrefix(v.Town.Name, v.short()) }

func (v *village) short() string { return strings.TrimSuffix(shortName(v.Region.Name), "村") }

// county is the profile of the whole county for a seed.
type county struct {
	Seed      int64
	Townships []township
	Villages  []*village
}

// newCounty draws the county's profile from seed: each village's band,
// income streams, assets, households and 2025 operating-type income, the
// latter adding up to the published figure exactly.
func newCounty(seed int64) *county {
	c := &county{Seed: seed, Townships: townships()}
	for ti := range c.Townships {
		t := &c.Townships[ti]
		prof, ok := townProfiles[t.Code]
		if !ok {
			panic("demo: no profile for township " + t.Code)
		}
		for _, r := range t.Villages {
			c.Villages = append(c.Villages, &village{Index: len(c.Villages), Region: r, Town: t, Profile: prof})
		}
	}
	rng := newRand(seed, "profile")
	c.drawTiers(rng)
	c.drawOperating2025(rng)
	c.drawGrowth(rng)
	usccs := map[string]bool{}
	for _, v := range c.Villages {
		vr := newRand(seed, "village", v.Region.Code)
		v.drawStreams(vr)
		v.drawAssets(vr)
		v.drawResources(vr)
		v.drawHouseholds(vr)
		v.USCC = drawUSCC(vr, usccs)
		v.SubsidyW = between(vr, 40, 160)
		if v.Tier == tierShell || v.Tier == tierWeak {
			v.SubsidyW += 60
		}
		v.OtherW = 3000 + v.Op2025/40 + between(vr, 0, 6000)
		v.Cadre = between(vr, 50, 100)
	}
	return c
}

// drawTiers places the villages of each band but the middle, weighted by
// their township's strength (or weakness).
func (c *county) drawTiers(rng *rand.Rand) {
	taken := make([]bool, len(c.Villages))
	for _, tp := range tierPlan {
		for range tp.count {
			var cand []*village
			for _, v := range c.Villages {
				if !taken[v.Index] && tp.admits(v) {
					cand = append(cand, v)
				}
			}
			i := pick(rng, cand, func(v *village) int {
				s := v.Profile.strength
				w := 1
				for range abs(tp.power) {
					if tp.power > 0 {
						w *= s
					} else {
						w *= 200 - s
					}
				}
				return w
			})
			cand[i].Tier = tp.tier
			taken[cand[i].Index] = true
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// drawOperating2025 draws the 2025 operating-type income of every village:
// the bands' villages in their ranges, the middle ones a floor plus a share
// of the rest, so that the county total is exact.
func (c *county) drawOperating2025(rng *rand.Rand) {
	rest := int64(operatingType2025)
	var middle []*village
	for _, v := range c.Villages {
		if v.Tier == tierMiddle {
			middle = append(middle, v)
			continue
		}
		for _, tp := range tierPlan {
			if tp.tier == v.Tier {
				v.Op2025 = between(rng, tp.lo, tp.hi)
			}
		}
		rest -= v.Op2025
	}
	weights := make([]int64, len(middle))
	for i, v := range middle {
		weights[i] = between(rng, 0, middleSpread) * int64(v.Profile.strength) / 100
	}
	shares := allocate(rest-int64(len(middle))*middleFloor, weights)
	for i, v := range middle {
		v.Op2025 = middleFloor + shares[i]
	}
}

// lateStarters is how many villages earned no operating-type income before
// 2025.
const lateStarters = 2

// drawGrowth draws each village's growth around 2025: most grow by a few
// percent to a fifth a year, some by much more, a few of the middle and
// lower bands fall; and two villages of the low band earned nothing
// before 2025. The mean is about the county's growth, so that scaling the
// villages to the county's total of another year keeps their moves.
func (c *county) drawGrowth(rng *rand.Rand) {
	for _, v := range c.Villages {
		switch r := rng.IntN(100); {
		case r < 9 && (v.Tier == tierMiddle || v.Tier == tierLow || v.Tier == tierWeak):
			v.Growth = between(rng, -18, -5)
		case r < 20:
			v.Growth = between(rng, 20, 45)
		default:
			v.Growth = between(rng, 1, 18)
		}
	}
	for range lateStarters {
		var cand []*village
		for _, v := range c.Villages {
			if v.Tier == tierLow && !v.Late && !v.generated() {
				cand = append(cand, v)
			}
		}
		cand[rng.IntN(len(cand))].Late = true
	}
}

// drawStreams chooses what the village earns from: nothing for a shell,
// one stream for a weak village, up to four for a strong one.
func (v *village) drawStreams(rng *rand.Rand) {
	n := 0
	switch v.Tier {
	case tierShell:
		return
	case tierWeak:
		n = 1
	case tierLow:
		n = 1 + rng.IntN(2)
	case tierMiddle:
		n = 2 + rng.IntN(2)
	case tierUpper:
		n = 3
	case tierStrong:
		n = 3 + rng.IntN(2)
	}
	var chosen []streamKind
	has := func(k streamKind) bool {
		for _, c := range chosen {
			if c == k {
				return true
			}
		}
		return false
	}
	choose := func(from []streamKind) {
		var cand []streamKind
		for _, k := range from {
			if !has(k) {
				cand = append(cand, k)
			}
		}
		if len(cand) == 0 {
			return
		}
		chosen = append(chosen, cand[pick(rng, cand, func(k streamKind) int { return max(v.Profile.pool[k], 1) })])
	}
	if v.Profile.first != nil {
		choose(v.Profile.first)
	}
	if v.Profile.second != nil && len(chosen) < n {
		choose(v.Profile.second)
	}
	all := make([]streamKind, 0, len(v.Profile.pool))
	for k := range v.Profile.pool {
		all = append(all, k)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if v.Tier == tierWeak || v.Tier == tierLow {
		all = []streamKind{contractLand, leaseFarm, leaseScale, leaseShops, serviceLabour, serviceWedding}
	}
	for len(chosen) < n {
		before := len(chosen)
		choose(all)
		if len(chosen) == before {
			break
		}
	}
	for _, k := range chosen {
		s := stream{Kind: k, Weight: between(rng, 50, 150), Asset: -1}
		switch kinds[k].class {
		case classLease:
			s.Installments = []int{1, 2, 4, 4}[rng.IntN(4)]
			s.CostPct = between(rng, 2, 6)
		case classService:
			s.CostPct = between(rng, 35, 60)
		case classSales:
			s.CostPct = between(rng, 65, 85)
			if k == salesSolar {
				s.CostPct = 0
			}
		case classEquity:
			s.Installments = 1 + rng.IntN(2)
			s.Weight += 40 // equity stakes are the larger part where they exist
		}
		s.Counterparty = counterparty(rng, v, k)
		v.Streams = append(v.Streams, s)
	}
}

// drawHouseholds gives the village three to six member households, the
// sub-ledgers of 113 内部往来.
func (v *village) drawHouseholds(rng *rand.Rand) {
	n := 3 + rng.IntN(4)
	seen := map[string]bool{}
	for i := range n {
		name := personName(rng)
		for seen[name] {
			name = personName(rng)
		}
		seen[name] = true
		v.Households = append(v.Households, store.Household{Code: fmt.Sprintf("H%03d", i+1), Name: name})
	}
}

// drawUSCC returns a well-formed, unique unified social credit code of a
// village collective economic organization: N (agricultural authority), 2
// (village level), the county's division code, a nine-character
// organization code with its GB 11714 check character, and the GB 32100
// check character.
func drawUSCC(rng *rand.Rand, seen map[string]bool) string {
	for {
		s := newUSCC(rng, "N2", CountyCode)
		if !seen[s] {
			seen[s] = true
			return s
		}
	}
}

// span is the years of a build: the books open on the first day of From
// and every year to To is kept.
type span struct{ From, To int }

// years returns the years of the span in order.
func (sp span) years() []int {
	var out []int
	for y := sp.From; y <= sp.To; y++ {
		out = append(out, y)
	}
	return out
}

// clamp returns the year of the span in which what the profile dates in
// year y happens: y itself, or the span's first or last year when y is
// outside it. (An idle asset revitalized in 2025 is revitalized in the
// first year of a build from 2026.)
func (sp span) clamp(y int) int { return min(max(y, sp.From), sp.To) }

// earning returns the twelfths of year y of span sp in which stream j of
// the village earns: none before 2025 for a village that earned nothing
// before, none before its asset is revitalized and, outside 土门岘镇 (whose
// revitalized assets share its leases' income), those from the month it is
// in the year it is; twelve otherwise.
func (v *village) earning(j, y int, sp span) int64 {
	if v.Late && y < sp.clamp(calibrationYear) {
		return 0
	}
	for _, va := range v.Assets {
		if va.Stream != j || !va.Revive {
			continue
		}
		switch in := sp.clamp(va.ReviveIn); {
		case y < in:
			return 0
		case y == in && v.Town.Code != tumenCode:
			return int64(13 - va.ReviveMonth)
		}
	}
	return 12
}

// grow returns x, a village's operating-type income of 2025 (or a part of
// it), carried to year at the village's growth rate g percent a year.
func grow(x, g int64, year int) int64 {
	for y := year; y < calibrationYear; y++ {
		x = x * 100 / (100 + g)
	}
	for y := calibrationYear; y < year; y++ {
		x = x * (100 + g) / 100
	}
	return x
}

// yearPlan is what every village earns in one year, in yuan: the county's
// totals of the year split over the villages exactly.
type yearPlan struct {
	Year     int
	Op       []int64   // per village: operating-type income (501 + 502)
	StreamW  [][]int64 // per village, per stream: its weight in the village's income of the year, 0 if it earns nothing
	Subsidy  []int64
	Other    []int64
	Projects map[int]bool // villages that build a project with central funds this year
}

// plan splits the county's totals of year over the villages. For 2025 the
// operating-type income of each village is its profile's; other years
// carry it at the village's growth rate, leave out the streams that do not
// earn in the year (idle assets not yet revitalized, the villages that
// earned nothing before 2025), vary it by a few percent and scale the lot
// to the year's total.
func (c *county) plan(year int, sp span) *yearPlan {
	rng := newRand(c.Seed, "plan", year)
	opTotal, subTotal, othTotal := countyTotals(year)
	n := len(c.Villages)
	p := &yearPlan{Year: year, StreamW: make([][]int64, n), Projects: map[int]bool{}}
	base := make([]int64, n)
	subW, othW := make([]int64, n), make([]int64, n)
	for i, v := range c.Villages {
		var all, earning int64
		sw := make([]int64, len(v.Streams))
		for j, s := range v.Streams {
			all += s.Weight
			w := s.Weight * between(rng, 90, 110)
			if m := v.earning(j, year, sp); m > 0 {
				sw[j] = w * m / 12
				earning += s.Weight * m / 12
			}
		}
		p.StreamW[i] = sw
		if all > 0 {
			base[i] = grow(v.Op2025*earning/all, v.Growth, year) * between(rng, 96, 104)
		}
		subW[i] = v.SubsidyW * between(rng, 80, 120)
		othW[i] = v.OtherW * between(rng, 85, 115)
	}
	if year == calibrationYear {
		p.Op = make([]int64, n)
		for i, v := range c.Villages {
			p.Op[i] = v.Op2025
		}
	} else {
		p.Op = allocate(opTotal, base)
	}
	p.Subsidy = allocate(subTotal, subW)
	p.Other = allocate(othTotal, othW)

	projects := 5
	if year == calibrationYear {
		projects = centralProjects2025
	}
	var cand []*village
	for _, v := range c.Villages {
		if v.Tier == tierMiddle || v.Tier == tierLow {
			cand = append(cand, v)
		}
	}
	for range projects {
		i := rng.IntN(len(cand))
		p.Projects[cand[i].Index] = true
		cand = append(cand[:i], cand[i+1:]...)
	}
	return p
}

package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// The asset register (资产台账) of a village: twenty to forty assets, thirty
// on average, of every category — the office and its equipment, public
// works, the buildings and machines the collective leases out or runs, its
// orchards and breeding stock — each on the books at its original value
// with the depreciation accumulated before the demo's year (the opening
// balances of 151/152 and 132/133 are their sums, exactly). Assets are
// depreciated straight-line with a 5 % residual value; the store charges
// each month's depreciation at month close: production assets to 401, which
// the demo carries to 51103 经营资产折旧 at each month end, management
// assets to 51305, public-welfare assets to 51404.

// assetSpec is a kind of asset a village collective holds.
type assetSpec struct {
	names    []string
	cat      register.AssetCategory
	use      register.Use
	lo, hi   int64 // cost in yuan; per unit of quantity when perUnit
	perUnit  bool
	years    int    // useful life
	unit     string // of quantity
	qlo, qhi int64  // quantity; zero: one
	status   register.Status
	from     int    // earliest year of acquisition
	note     string // how it came to the collective
}

// Residual value of every demo asset, in basis points.
const residualRate = 500

var (
	specOffice = assetSpec{names: []string{"村委会办公楼", "村级综合服务中心", "村部办公用房", "党群服务中心"}, cat: register.Building,
		use: register.ForManagement, lo: 280_000, hi: 900_000, years: 40, unit: "平方米", qlo: 260, qhi: 900, from: 2005, note: "村部建设项目形成"}

	// Management equipment: every village has the first three.
	specsManagement = []assetSpec{
		{names: []string{"办公电脑"}, cat: register.Equipment, use: register.ForManagement, lo: 3_800, hi: 6_500, perUnit: true, years: 5, unit: "台", qlo: 2, qhi: 6, from: 2012},
		{names: []string{"打印复印一体机"}, cat: register.Equipment, use: register.ForManagement, lo: 2_500, hi: 9_000, years: 5, unit: "台", from: 2012},
		{names: []string{"办公桌椅及文件柜"}, cat: register.Equipment, use: register.ForManagement, lo: 6_000, hi: 22_000, years: 10, unit: "套", qlo: 6, qhi: 20, from: 2005},
		{names: []string{"会议室音响及投影设备"}, cat: register.Equipment, use: register.ForManagement, lo: 8_000, hi: 26_000, years: 6, unit: "套", from: 2010},
		{names: []string{"档案密集柜"}, cat: register.Equipment, use: register.ForManagement, lo: 12_000, hi: 32_000, years: 10, unit: "组", qlo: 4, qhi: 12, from: 2008},
		{names: []string{"LED电子显示屏"}, cat: register.Equipment, use: register.ForManagement, lo: 15_000, hi: 42_000, years: 6, unit: "块", from: 2013},
	}

	// Public works: roads and lights everywhere, the rest now and then.
	specsWelfare = []assetSpec{
		{names: []string{"村内硬化道路"}, cat: register.Structure, use: register.ForWelfare, lo: 300_000, hi: 1_600_000, years: 30, unit: "公里", from: 2008, note: "村内道路硬化工程形成"},
		{names: []string{"村内太阳能路灯"}, cat: register.Structure, use: register.ForWelfare, lo: 1_500, hi: 2_600, perUnit: true, years: 10, unit: "盏", qlo: 30, qhi: 120, from: 2009},
		{names: []string{"文化广场", "村民文化广场"}, cat: register.Structure, use: register.ForWelfare, lo: 80_000, hi: 420_000, years: 20, unit: "平方米", qlo: 800, qhi: 3200, from: 2006},
		{names: []string{"农村幸福院", "老年人日间照料中心"}, cat: register.Building, use: register.ForWelfare, lo: 200_000, hi: 620_000, years: 40, unit: "平方米", qlo: 300, qhi: 900, from: 2012},
		{names: []string{"村卫生室"}, cat: register.Building, use: register.ForWelfare, lo: 80_000, hi: 220_000, years: 40, unit: "平方米", qlo: 80, qhi: 200, from: 2008},
		{names: []string{"人饮工程蓄水池", "自来水入户管网"}, cat: register.Structure, use: register.ForWelfare, lo: 60_000, hi: 360_000, years: 30, unit: "处", qlo: 1, qhi: 3, from: 2008, note: "农村饮水安全工程形成"},
		{names: []string{"水冲式公共厕所"}, cat: register.Building, use: register.ForWelfare, lo: 40_000, hi: 95_000, years: 20, unit: "座", qlo: 1, qhi: 2, from: 2018},
		{names: []string{"健身器材"}, cat: register.Equipment, use: register.ForWelfare, lo: 12_000, hi: 36_000, years: 8, unit: "套", qlo: 1, qhi: 3, from: 2009},
		{names: []string{"垃圾清运车"}, cat: register.Vehicle, use: register.ForWelfare, lo: 35_000, hi: 95_000, years: 8, unit: "辆", from: 2011},
		{names: []string{"分类垃圾箱"}, cat: register.Equipment, use: register.ForWelfare, lo: 300, hi: 900, perUnit: true, years: 5, unit: "个", qlo: 20, qhi: 60, from: 2015},
		{names: []string{"文化活动室", "农家书屋"}, cat: register.Building, use: register.ForWelfare, lo: 60_000, hi: 180_000, years: 40, unit: "平方米", qlo: 60, qhi: 200, from: 2010},
		{names: []string{"排洪渠", "防洪堤"}, cat: register.Structure, use: register.ForWelfare, lo: 80_000, hi: 420_000, years: 30, unit: "米", qlo: 300, qhi: 2500, from: 2010},
		{names: []string{"雪亮工程监控设备"}, cat: register.Equipment, use: register.ForWelfare, lo: 15_000, hi: 46_000, years: 5, unit: "套", from: 2013},
		{names: []string{"村庄绿化林木", "村道行道树", "防风固沙林"}, cat: register.WelfareBio, use: register.ForWelfare, lo: 8, hi: 25, perUnit: true,
			unit: "株", qlo: 2000, qhi: 12000, from: 2008, note: "公益性生物资产，不计提折旧"},
	}

	// Production: what the collective runs itself.
	specsProduction = []assetSpec{
		{names: []string{"打碾场", "集体晒场"}, cat: register.Structure, use: register.ForProduction, lo: 20_000, hi: 90_000, years: 30, unit: "平方米", qlo: 600, qhi: 2400, status: register.SelfOperated, from: 2005},
		{names: []string{"提灌站", "机井及配套设施"}, cat: register.Structure, use: register.ForProduction, lo: 120_000, hi: 600_000, years: 20, unit: "座", qlo: 1, qhi: 2, status: register.SelfOperated, from: 2008, note: "农田水利项目形成"},
		{names: []string{"拖拉机"}, cat: register.Machinery, use: register.ForProduction, lo: 30_000, hi: 150_000, years: 10, unit: "台", status: register.SelfOperated, from: 2006},
		{names: []string{"旋耕机"}, cat: register.Machinery, use: register.ForProduction, lo: 6_000, hi: 22_000, years: 8, unit: "台", qlo: 1, qhi: 2, status: register.SelfOperated, from: 2008},
		{names: []string{"覆膜播种一体机"}, cat: register.Machinery, use: register.ForProduction, lo: 8_000, hi: 36_000, years: 8, unit: "台", status: register.SelfOperated, from: 2009},
		{names: []string{"玉米收获机"}, cat: register.Machinery, use: register.ForProduction, lo: 80_000, hi: 220_000, years: 10, unit: "台", status: register.SelfOperated, from: 2010},
		{names: []string{"农机具库房"}, cat: register.Building, use: register.ForProduction, lo: 60_000, hi: 200_000, years: 30, unit: "平方米", qlo: 150, qhi: 500, from: 2010},
		{names: []string{"日光温室"}, cat: register.Structure, use: register.ForProduction, lo: 30_000, hi: 80_000, perUnit: true, years: 15, unit: "座", qlo: 2, qhi: 8, status: register.SelfOperated, from: 2006},
		{names: []string{"电子地磅"}, cat: register.Equipment, use: register.ForProduction, lo: 40_000, hi: 90_000, years: 10, unit: "台", status: register.SelfOperated, from: 2008},
		{names: []string{"冷链保鲜库"}, cat: register.Building, use: register.ForProduction, lo: 300_000, hi: 900_000, years: 20, unit: "平方米", qlo: 300, qhi: 1000, status: register.SelfOperated, from: 2016},
		{names: []string{"集体仓库"}, cat: register.Building, use: register.ForProduction, lo: 100_000, hi: 450_000, years: 30, unit: "平方米", qlo: 200, qhi: 1200, from: 2008},
		{names: []string{"养殖暖棚"}, cat: register.Building, use: register.ForProduction, lo: 80_000, hi: 300_000, years: 15, unit: "平方米", qlo: 300, qhi: 1500, status: register.SelfOperated, from: 2009},
		{names: []string{"苹果园（果树）"}, cat: register.ProductiveBio, use: register.ForProduction, lo: 30, hi: 60, perUnit: true, years: 15, unit: "株", qlo: 1000, qhi: 5000, status: register.SelfOperated, from: 2006},
		{names: []string{"花椒园（花椒树）"}, cat: register.ProductiveBio, use: register.ForProduction, lo: 15, hi: 40, perUnit: true, years: 15, unit: "株", qlo: 1000, qhi: 4000, status: register.SelfOperated, from: 2008},
		{names: []string{"杏树经济林"}, cat: register.ProductiveBio, use: register.ForProduction, lo: 10, hi: 30, perUnit: true, years: 20, unit: "株", qlo: 1500, qhi: 6000, status: register.SelfOperated, from: 2010},
		{names: []string{"基础母羊"}, cat: register.ProductiveBio, use: register.ForProduction, lo: 900, hi: 1_600, perUnit: true, years: 5, unit: "只", qlo: 50, qhi: 200, status: register.SelfOperated, from: 2016},
	}

	// Assets a village buys during a year.
	specsBought = []assetSpec{
		{names: []string{"办公电脑"}, cat: register.Equipment, use: register.ForManagement, lo: 3_800, hi: 6_500, perUnit: true, years: 5, unit: "台", qlo: 1, qhi: 3},
		{names: []string{"雪亮工程监控设备"}, cat: register.Equipment, use: register.ForWelfare, lo: 15_000, hi: 46_000, years: 5, unit: "套"},
		{names: []string{"旋耕机"}, cat: register.Machinery, use: register.ForProduction, lo: 6_000, hi: 22_000, years: 8, unit: "台", status: register.SelfOperated},
		{names: []string{"分类垃圾箱"}, cat: register.Equipment, use: register.ForWelfare, lo: 300, hi: 900, perUnit: true, years: 5, unit: "个", qlo: 20, qhi: 40},
		{names: []string{"打印复印一体机"}, cat: register.Equipment, use: register.ForManagement, lo: 2_500, hi: 9_000, years: 5, unit: "台"},
		{names: []string{"健身器材"}, cat: register.Equipment, use: register.ForWelfare, lo: 12_000, hi: 36_000, years: 8, unit: "套"},
	}
)

// streamSpec returns the spec of the asset a stream of kind k leases out or
// runs, named name.
func streamSpec(k streamKind, name string) assetSpec {
	s := assetSpec{names: []string{name}, cat: register.Building, use: register.ForProduction, years: kinds[k].life,
		unit: "平方米", qlo: 200, qhi: 1500, status: register.LeasedOut, from: 2008}
	switch k {
	case leaseSchool:
		s.from, s.note = 1995, "原村学校撤并后划归村集体"
	case leaseWorkshop:
		s.from, s.note = 2017, "东西部协作帮扶项目形成"
	case leaseScale:
		s.cat, s.unit, s.qlo, s.qhi, s.from = register.Equipment, "台", 0, 0, 2014
	case leaseFarm:
		if name == "日光温室" {
			s.cat, s.unit, s.qlo, s.qhi = register.Structure, "座", 4, 12
		}
	case salesSolar:
		s.cat, s.unit, s.qlo, s.qhi, s.status, s.from, s.note = register.Equipment, "千瓦", 60, 300, register.SelfOperated, 2016, "光伏扶贫项目形成"
	}
	return s
}

// vAsset is an asset of a village's profile: on the books before the
// demo's years, with what it does for the village.
type vAsset struct {
	register.Asset
	Stream      int  // the stream it earns for, or -1
	Revive      bool // idle when the books open, and put back to earning use from month ReviveMonth of year ReviveIn
	ReviveIn    int
	ReviveMonth int
}

// accountsFor returns an asset's cost, depreciation and expense accounts:
// the first-level accounts of its category, and the demo's detail accounts
// of management and public-welfare depreciation.
func accountsFor(c register.AssetCategory, u register.Use) (cost, dep, expense string) {
	cost, dep, expense = register.DefaultAccounts(c, u)
	if dep == "" {
		return cost, "", "" // not depreciated
	}
	switch u {
	case register.ForManagement:
		expense = acctOfficeDepreciation
	case register.ForWelfare:
		expense = acctWelfareDepreciation
	}
	return cost, dep, expense
}

// newAsset draws an asset of spec s acquired in [from, to] years (months
// within them), of cost at least minCost yuan.
func newAsset(rng *rand.Rand, s assetSpec, from, to int, minCost int64) register.Asset {
	name := s.names[rng.IntN(len(s.names))]
	qty := int64(1)
	if s.qhi > 0 {
		qty = between(rng, max(s.qlo, 1), s.qhi)
	}
	cost := between(rng, s.lo, s.hi)
	if s.perUnit {
		cost *= qty
	}
	cost = max(cost, minCost)
	unit := jiti.Yuan(100)
	if cost < 20_000 {
		unit = jiti.Yuan(10)
	}
	quantity := strconv.FormatInt(qty, 10)
	if s.unit == "公里" {
		quantity = roadKm(cost)
	}
	y := int(between(rng, int64(max(from, s.from)), int64(max(to, s.from))))
	acquired := jiti.Date{Year: y, Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
	status := s.status
	if status == "" {
		status = register.InUse
	}
	nature := register.NonOperating
	if s.use == register.ForProduction {
		nature = register.Operating
	}
	costAcct, depAcct, expense := accountsFor(s.cat, s.use)
	method, residual := register.StraightLine, residualRate
	if s.cat == register.WelfareBio {
		method, residual = register.NoDepreciation, 0
	}
	return register.Asset{Name: name, Category: s.cat, Nature: nature, Use: s.use, Quantity: quantity, Unit: s.unit,
		AcquiredOn: acquired, Source: register.Existing, Cost: roundTo(jiti.Yuan(cost), unit), Method: method,
		LifeMonths: s.years * 12, ResidualRate: residual, CostAccount: costAcct, DepAccount: depAcct, ExpenseAccount: expense,
		Status: status, StatusSince: acquired, Note: s.note}
}

// roadKm returns the length of a road costing cost yuan, in kilometres to
// one decimal: about 300,000 yuan a kilometre.
func roadKm(cost int64) string {
	tenths := max(cost/30_000, 3)
	return fmt.Sprintf("%d.%d", tenths/10, tenths%10)
}

// lastProfileYear is the last year in which profile assets were acquired:
// they are on the books of every year the demo builds.
const lastProfileYear = MinYear - 1

// drawAssets gives the village its asset register: the office and its
// equipment, public works, the assets its streams lease out or run, idle
// assets (in 土门岘镇 a former school, a weighing scale, an assistance
// workshop and a warehouse, all to be revitalized), and production assets
// up to twenty to forty in all. Assets a stream earns from cost about eight
// to fourteen years of that income.
func (v *village) drawAssets(rng *rand.Rand) {
	add := func(a register.Asset, stream int) int {
		a.Code = fmt.Sprintf("ZC%03d", len(v.Assets)+1)
		if a.Location == "" {
			a.Location = v.short() + "村" + []string{"村部院内", "一社", "二社", "三社", "四社", "五社", "六社"}[rng.IntN(7)]
		}
		v.Assets = append(v.Assets, vAsset{Asset: a, Stream: stream})
		return len(v.Assets) - 1
	}
	target := 20 + rng.IntN(19) // with the assets bought in a year, thirty on average

	office := newAsset(rng, specOffice, 2005, 2020, 0)
	office.Location = v.short() + "村村部"
	add(office, -1)
	for _, s := range specsManagement[:3] {
		add(newAsset(rng, s, 2010, lastProfileYear, 0), -1)
	}
	for _, s := range specsWelfare[:2] {
		add(newAsset(rng, s, 2008, lastProfileYear, 0), -1)
	}
	if rng.IntN(10) < 7 {
		add(newAsset(rng, specsWelfare[len(specsWelfare)-1], 2008, lastProfileYear, 0), -1)
	}

	total := int64(0)
	for _, s := range v.Streams {
		total += s.Weight
	}
	tumen := v.Town.Code == tumenCode
	for i := range v.Streams {
		s := &v.Streams[i]
		k := kinds[s.Kind]
		if len(k.assets) == 0 {
			continue
		}
		yearly := v.Op2025 * s.Weight / total
		cost := yearly * between(rng, 8, 14)
		if s.Kind == salesSolar {
			cost = yearly * between(rng, 6, 9)
		}
		spec := streamSpec(s.Kind, k.assets[rng.IntN(len(k.assets))])
		spec.lo, spec.hi = max(cost, 60_000), max(cost, 60_000)
		a := newAsset(rng, spec, 2008, lastProfileYear-1, 0)
		ai := add(a, i)
		s.Asset = ai
		va := &v.Assets[ai]
		switch {
		case k.class != classLease:
		case tumen || v.Late:
			// Idle before 2025, revitalized in it.
			va.Status, va.StatusSince, va.Revive, va.ReviveIn = register.Idle, idleSince(rng, va.AcquiredOn), true, calibrationYear
			va.ReviveMonth = 2 + rng.IntN(9)
		case rng.IntN(10) == 0:
			// Idle when the books open, revitalized in 2024 or 2025.
			va.Status, va.StatusSince, va.Revive = register.Idle, idleSince(rng, va.AcquiredOn), true
			va.ReviveIn, va.ReviveMonth = MinYear+rng.IntN(2), 2+rng.IntN(9)
		default:
			// Leased out under earlier contracts, renewed in the year.
			va.StatusSince = afterDate(rng, va.AcquiredOn, 2016, lastProfileYear)
		}
	}
	if !tumen && !v.Late {
		// A village earns from the first year: an asset revitalized later
		// is not its only stream.
		earlier := false
		for _, va := range v.Assets {
			if va.Stream >= 0 && !(va.Revive && va.ReviveIn > MinYear) {
				earlier = true
			}
		}
		for j := range v.Streams {
			if len(kinds[v.Streams[j].Kind].assets) == 0 {
				earlier = true
			}
		}
		if !earlier {
			for i := range v.Assets {
				v.Assets[i].ReviveIn = min(v.Assets[i].ReviveIn, MinYear)
			}
		}
	}
	if tumen {
		v.drawIdleTumen(rng, add)
	}
	if !tumen && rng.IntN(100) < 18 {
		// An idle asset that stays idle.
		s := []assetSpec{
			{names: []string{"原村小学校舍", "原教学点校舍"}, cat: register.Building, use: register.ForProduction, lo: 80_000, hi: 300_000, years: 30, unit: "平方米", qlo: 300, qhi: 900, from: 1995, note: "原村学校撤并后划归村集体"},
			{names: []string{"原村部旧址"}, cat: register.Building, use: register.ForManagement, lo: 60_000, hi: 200_000, years: 30, unit: "平方米", qlo: 150, qhi: 400, from: 1998},
			{names: []string{"闲置养殖圈舍"}, cat: register.Building, use: register.ForProduction, lo: 60_000, hi: 220_000, years: 15, unit: "平方米", qlo: 300, qhi: 1200, from: 2014},
			{names: []string{"闲置集体仓库"}, cat: register.Building, use: register.ForProduction, lo: 80_000, hi: 260_000, years: 20, unit: "平方米", qlo: 200, qhi: 800, from: 2008},
		}[rng.IntN(4)]
		a := newAsset(rng, s, 2000, 2018, 0)
		a.Status, a.StatusSince = register.Idle, idleSince(rng, a.AcquiredOn)
		add(a, -1)
	}

	// The rest from the optional kinds, production and public works mixed.
	var pool []assetSpec
	pool = append(pool, specsManagement[3:]...)
	pool = append(pool, specsWelfare[2:len(specsWelfare)-1]...)
	pool = append(pool, specsProduction...)
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	for i := 0; len(v.Assets) < target; i++ {
		s := pool[i%len(pool)]
		a := newAsset(rng, s, 2005, lastProfileYear, 0)
		if i >= len(pool) {
			a.Name += fmt.Sprintf("（%d号）", i/len(pool)+1)
		}
		add(a, -1)
	}
	for _, s := range v.Streams {
		if s.Kind == equityStake {
			yearly := v.Op2025 * s.Weight / total
			v.Stake += roundTo(jiti.Yuan(yearly*100/between(rng, 6, 9)), jiti.Yuan(10_000))
		}
	}
	v.sizeAssets()
}

// The assets a village holds are sized to its means: the yearly
// depreciation of those that earn nothing (the office and its equipment,
// public works, what the collective runs itself, an idle asset) is at most
// depreciationBudget percent of its operating-type income of 2025, but
// they are never scaled below minAssetScale percent of what was drawn (a
// village with little income may end its years with a loss). Buildings
// and works live as long as such works do (thirty to forty years for
// buildings, roads and water works). Without both, every village, whatever
// its income, held two to five million yuan of such assets, and their
// depreciation (in 51103, 51305 and 51404, about 65 million yuan a year)
// made four villages in five and the county end every year with a loss.
const (
	depreciationBudget = 12
	minAssetScale      = 20
)

// sizeAssets scales down, where their depreciation exceeds the village's
// budget, the cost and the quantity of the assets that earn nothing, all
// by the same factor. It draws nothing: the rest of the profile, and the
// income it plans, does not change.
func (v *village) sizeAssets() {
	var yearly jiti.Amount // their depreciation of a year in the books
	for _, va := range v.Assets {
		if !sized(va) {
			continue
		}
		if monthsBetween(va.AcquiredOn.Period(), jiti.NewPeriod(MinYear-1, time.December)) < va.LifeMonths {
			d, _ := register.Depreciable(&va.Asset).MulRatio(12, int64(va.LifeMonths))
			yearly += d
		}
	}
	num, den := int64(jiti.Yuan(v.Op2025*depreciationBudget/100)), int64(yearly)
	if num >= den {
		return
	}
	if num*100 < den*minAssetScale {
		num, den = minAssetScale, 100
	}
	for i := range v.Assets {
		a := &v.Assets[i].Asset
		if !sized(v.Assets[i]) {
			continue
		}
		unit := jiti.Yuan(100)
		if a.Cost < jiti.Yuan(20_000) {
			unit = jiti.Yuan(10)
		}
		cost, _ := a.Cost.MulRatio(num, den)
		a.Cost = max(roundTo(cost, unit), unit)
		if a.Unit == "公里" {
			a.Quantity = roadKm(int64(a.Cost / jiti.Yuan(1)))
		} else if q, err := strconv.ParseInt(a.Quantity, 10, 64); err == nil {
			a.Quantity = strconv.FormatInt(max(1, (q*num+den/2)/den), 10)
		}
	}
}

// sized says whether sizeAssets sizes asset va: it depreciates and earns
// nothing (no stream leases or runs it, and it is not to be revitalized).
func sized(va vAsset) bool {
	return va.Stream < 0 && !va.Revive && va.Method == register.StraightLine && va.LifeMonths > 0
}

// tumenIdle are the idle assets of every village of 土门岘镇 that the
// county's report names, in the order their kinds appear in the streams.
var tumenIdle = []streamKind{leaseSchool, leaseScale, leaseWorkshop, leaseWarehouse}

// drawIdleTumen adds the idle assets of 土门岘镇 that the village's streams
// have not: a former school, a weighing scale, an assistance workshop and a
// warehouse, idle since before the demo's years; some villages have a
// second school or warehouse.
func (v *village) drawIdleTumen(rng *rand.Rand, add func(register.Asset, int) int) {
	has := map[streamKind]bool{}
	for _, s := range v.Streams {
		has[s.Kind] = true
	}
	kindsWanted := append([]streamKind(nil), tumenIdle...)
	if rng.IntN(2) == 0 {
		kindsWanted = append(kindsWanted, []streamKind{leaseSchool, leaseWarehouse}[rng.IntN(2)])
	}
	seen := map[streamKind]bool{}
	for _, k := range kindsWanted {
		if has[k] && !seen[k] {
			seen[k] = true
			continue
		}
		seen[k] = true
		names := kinds[k].assets
		name := names[rng.IntN(len(names))]
		spec := streamSpec(k, name)
		spec.lo, spec.hi = 80_000, 450_000
		if k == leaseScale {
			spec.lo, spec.hi = 45_000, 90_000
		}
		a := newAsset(rng, spec, 2008, 2020, 0)
		for _, o := range v.Assets {
			if o.Name == a.Name {
				a.Name = "二号" + a.Name
			}
		}
		a.Status, a.StatusSince = register.Idle, idleSince(rng, a.AcquiredOn)
		i := add(a, -1)
		v.Assets[i].Revive, v.Assets[i].ReviveIn = true, calibrationYear
	}
}

// idleSince returns when an asset acquired on acquired fell idle: between
// 2019 (or a year after its acquisition) and November of the last profile
// year, so it is idle at the start of every year the demo builds.
func idleSince(rng *rand.Rand, acquired jiti.Date) jiti.Date {
	return afterDate(rng, acquired.AddDays(365), 2019, lastProfileYear)
}

// afterDate returns the first day of a month between the years lo and hi
// (to November of hi), not before d.
func afterDate(rng *rand.Rand, d jiti.Date, lo, hi int) jiti.Date {
	first := jiti.NewPeriod(max(lo, d.Year), time.January)
	if d.Year >= lo {
		first = d.Period().Next()
	}
	last := jiti.NewPeriod(hi, time.November)
	if first > last {
		first = last
	}
	n := monthsBetween(first, last)
	p := first
	for range rng.IntN(n + 1) {
		p = p.Next()
	}
	return p.First()
}

func monthsBetween(from, to jiti.Period) int {
	return (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month())
}

// openingState returns asset a as it stands on the first day of year: its
// depreciation accumulated before the year (straight-line from the month
// after acquisition, all of the depreciable amount once its life is over),
// as the register's opening depreciation and months.
func openingState(a register.Asset, year int) register.Asset {
	months := monthsBetween(a.AcquiredOn.Period(), jiti.NewPeriod(year-1, time.December))
	dep := register.Depreciable(&a)
	switch {
	case a.Method != register.StraightLine:
		a.OpeningMonths, a.OpeningDepreciation = 0, 0
	case months <= 0:
		a.OpeningMonths, a.OpeningDepreciation = 0, 0
	case months >= a.LifeMonths:
		a.OpeningMonths, a.OpeningDepreciation = a.LifeMonths, dep
	default:
		d, _ := dep.MulRatio(int64(months), int64(a.LifeMonths))
		a.OpeningMonths, a.OpeningDepreciation = months, d
	}
	return a
}

package demo

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
)

// A synthetic province for benchmarks (BuildProvince): what matters is the
// number of collectives and years, not the story. Gansu's code 62 with
// cities, counties, townships and villages whose codes follow the lengths
// of division codes (city 4 digits, county 6, township 9, village 12) and
// whose names are made up and marked （生成）; every village collective
// keeps light books: a few dozen vouchers a year of operating, investment,
// subsidy and other income (501–504) and of expenses (511, 513–515), paid
// through the bank (102) and a little cash (101), from opening balances on
// the first day of the first year. They go through the store's bulk
// paths: each township's vouchers of a year imported in one go by its
// agency accountant, then each collective's approved by the township's
// supervisor and posted, all its years at once. Months and years are
// closed only when asked (ProvinceOptions.Close): statistics read the
// year's turnover without the closing vouchers either way, and closing
// takes eleven month closes and a year close per collective-year.

// Defaults of BuildProvince.
const (
	DefaultCities      = 14
	DefaultCollectives = 16_000
	DefaultYears       = 10
)

// ProvinceOptions tune BuildProvince.
type ProvinceOptions struct {
	Seed        int64
	Cities      int  // default 14
	Collectives int  // village collectives in all, default 16,000
	Year        int  // the last year of books, default 2025
	Years       int  // how many years, default 10 (2016–2025)
	Close       bool // close every month and every year (slow)
	Progress    Progress
}

// ProvinceSummary is what BuildProvince made.
type ProvinceSummary struct {
	Seed            int64        `json:"seed"`
	Engine          string       `json:"engine"`
	FromYear        int          `json:"from_year"`
	Year            int          `json:"year"`
	Cities          int          `json:"cities"`
	Counties        int          `json:"counties"`
	Townships       int          `json:"townships"`
	Collectives     int          `json:"collectives"`
	Regions         int          `json:"regions"`
	Users           int          `json:"users"`
	Vouchers        int          `json:"vouchers"` // imported, approved and posted
	Lines           int          `json:"lines"`
	Closed          bool         `json:"closed"` // months and years closed
	ClosingVouchers int          `json:"closing_vouchers"`
	Income          []YearIncome `json:"income"` // the province's, by year, as generated and posted
	// SignIns are users to sign in as, one of each role, with the demo
	// Password (the other users have none: a hash takes some 60 ms of a
	// core, some 200 s for the province's thousands of township users).
	SignIns []SignIn      `json:"sign_ins"`
	Elapsed time.Duration `json:"elapsed"`
}

// YearIncome is the income of a year.
type YearIncome struct {
	Year   int    `json:"year"`
	Income Income `json:"income"`
}

// province is the generated tree of the province.
type province struct {
	regions   []jiti.Region
	cities    int
	counties  int
	townships []*provTownship
}

type provTownship struct {
	jiti.Region
	villages []jiti.Region
	ids      []int64
}

// Parts of made-up place names.
var (
	placeFirst  = []string{"陇", "河", "祁", "洮", "渭", "泾", "秦", "岷", "凉", "甘", "肃", "敦", "酒", "武", "临", "定", "安", "靖", "景", "永", "康", "华", "庆", "宁"}
	placeSecond = []string{"原", "川", "安", "平", "宁", "丰", "西", "南", "阳", "华", "泉", "山", "水", "峪", "台", "远", "和", "兴", "昌", "乐"}
	villageEnds = []string{"家湾", "家岔", "家庄", "家坪", "家塬", "家沟", "家川", "家岘", "家堡", "家集", "家台", "家峪"}
)

// placeName returns a made-up two-character place name.
func placeName(rng *rand.Rand) string {
	return placeFirst[rng.IntN(len(placeFirst))] + placeSecond[rng.IntN(len(placeSecond))]
}

// newProvince draws the province's tree: each city five to ten counties,
// each county twelve to eighteen townships, the collectives spread over
// the townships by weight, every city at least one; townships and counties
// left without a collective are left out.
func newProvince(seed int64, cities, collectives int) (*province, error) {
	if cities < 1 || cities > 99 || collectives < cities {
		return nil, ErrProvince.With(cities, collectives)
	}
	rng := newRand(seed, "province")
	p := &province{regions: []jiti.Region{{Code: "62", Name: "甘肃省", Level: jiti.Province}}}
	type town struct {
		code, name, county string
		weight             int64
	}
	cityTowns := make([][]town, cities)
	countyNames := map[string]string{}
	cityWeights := make([]int64, cities)
	cityNames := map[string]bool{}
	for ci := range cities {
		city := fmt.Sprintf("62%02d", ci+1)
		name := placeName(rng) + "市"
		for cityNames[name] {
			name = placeName(rng) + "市"
		}
		cityNames[name] = true
		p.regions = append(p.regions, jiti.Region{Code: city, Name: name + generatedMark, Level: jiti.City, Parent: "62"})
		for k := range 5 + rng.IntN(6) {
			county := fmt.Sprintf("%s%02d", city, k+1)
			countyNames[county] = placeName(rng) + "县"
			for tn := range 12 + rng.IntN(7) {
				kind := "镇"
				if rng.IntN(3) == 0 {
					kind = "乡"
				}
				t := town{code: fmt.Sprintf("%s%03d", county, 100+tn), name: placeName(rng) + kind, county: county, weight: between(rng, 50, 150)}
				cityTowns[ci] = append(cityTowns[ci], t)
				cityWeights[ci] += t.weight
			}
		}
	}
	perCity := allocate(int64(collectives-cities), cityWeights)
	counties := map[string]bool{}
	for ci, towns := range cityTowns {
		w := make([]int64, len(towns))
		for i, t := range towns {
			w[i] = t.weight
		}
		n := allocate(perCity[ci]+1, w)
		for i, t := range towns {
			if n[i] == 0 {
				continue
			}
			if !counties[t.county] {
				counties[t.county] = true
				p.regions = append(p.regions, jiti.Region{Code: t.county, Name: countyNames[t.county] + generatedMark, Level: jiti.County,
					Parent: t.county[:4]})
			}
			tr := jiti.Region{Code: t.code, Name: t.name + generatedMark, Level: jiti.Township, Parent: t.county}
			p.regions = append(p.regions, tr)
			pt := &provTownship{Region: tr}
			seen := map[string]bool{}
			for k := range int(n[i]) {
				name := surnames[rng.IntN(len(surnames))] + villageEnds[rng.IntN(len(villageEnds))]
				for seen[name] {
					name += "新"
				}
				seen[name] = true
				vr := jiti.Region{Code: fmt.Sprintf("%s%03d", t.code, 201+k), Name: name + "村" + generatedMark, Level: jiti.Village, Parent: t.code}
				p.regions = append(p.regions, vr)
				pt.villages = append(pt.villages, vr)
			}
			p.townships = append(p.townships, pt)
		}
	}
	p.cities, p.counties = cities, len(counties)
	for _, r := range p.regions {
		if len(r.Code) == 12 && r.Code[9:] > "999" {
			return nil, ErrProvince.With(cities, collectives)
		}
	}
	return p, nil
}

// ErrProvince reports a province that cannot be drawn: cities from 1 to
// 99, at least one collective per city.
var ErrProvince = jiti.Errorf(jiti.Invalid, "demo.province")

// lightVillage is one village's light books over the years.
type lightVillage struct {
	region  jiti.Region
	opening []store.OpeningBalance
	years   [][]*ledger.Voucher
	income  []Income
}

// lightBooks draws a village's light books of the years from..to.
func lightBooks(seed int64, r jiti.Region, from, to int) *lightVillage {
	rng := newRand(seed, "light", r.Code)
	lv := &lightVillage{region: r}
	// Operating-type income of the first year, in yuan, by band: a few
	// none, most 100,000–500,000, a few over 1,000,000.
	var op int64
	switch x := rng.IntN(100); {
	case x < 4:
	case x < 18:
		op = between(rng, 5_000, 50_000)
	case x < 38:
		op = between(rng, 50_000, 100_000)
	case x < 83:
		op = between(rng, 100_000, 500_000)
	case x < 96:
		op = between(rng, 500_000, 1_000_000)
	default:
		op = between(rng, 1_000_000, 3_000_000)
	}
	growth := between(rng, -3, 15)
	invests := rng.IntN(10) == 0
	subsidy := between(rng, 5_000, 40_000)
	other := between(rng, 1_000, 15_000)
	pay := min(max(op/10, 12_000), 90_000)
	for y := from; y <= to; y++ {
		g := &lightGen{rng: rng, year: y}
		yop := op * between(rng, 92, 108) / 100
		var inv int64
		if invests && yop > 0 {
			inv = yop / 10
			yop -= inv
		}
		in := Income{Operating: jiti.Yuan(yop), Investment: jiti.Yuan(inv), Subsidy: jiti.Yuan(subsidy * between(rng, 80, 120) / 100),
			Other: jiti.Yuan(other * between(rng, 80, 120) / 100)}
		lv.income = append(lv.income, in)
		g.book(in, jiti.Yuan(pay))
		lv.years = append(lv.years, g.vs)
		op = op * (100 + growth) / 100
	}
	// The bank's opening balance covers the lowest point of all the
	// years; cash the year's petty cash.
	var low, run jiti.Amount
	for _, vs := range lv.years {
		for _, v := range vs {
			for _, l := range v.Lines {
				if l.Account == "102" {
					run += l.Debit - l.Credit
				}
			}
			low = min(low, run)
		}
	}
	bank := -low + jiti.Yuan(between(rng, 20_000, 200_000))
	cash := jiti.Yuan(between(rng, 500, 3_000))
	capital := roundTo(pct(bank+cash, 60), jiti.Yuan(100))
	lv.opening = []store.OpeningBalance{{Account: "101", Debit: cash}, {Account: "102", Debit: bank},
		{Account: "301", Credit: capital}, {Account: "311", Credit: bank + cash - capital}}
	return lv
}

// lightGen draws one year of light books.
type lightGen struct {
	rng  *rand.Rand
	year int
	vs   []*ledger.Voucher
}

func (g *lightGen) add(m, day int, summary, debit, credit string, a jiti.Amount) {
	if a <= 0 {
		return
	}
	d := jiti.Date{Year: g.year, Month: time.Month(m), Day: day}
	g.vs = append(g.vs, &ledger.Voucher{Date: d, Period: d.Period(), Attachments: 1, Lines: []ledger.Line{
		{Summary: summary, Account: debit, Debit: a}, {Summary: summary, Account: credit, Credit: a}}})
}

func (g *lightGen) day() int { return 1 + g.rng.IntN(28) }

// book books a year: six receipts of operating income, investment
// income, two subsidies, the quarter's interest, operating costs, the
// cadres' pay by quarter, office expenses in cash, public welfare and bank
// fees; some two dozen vouchers, in date order.
func (g *lightGen) book(in Income, pay jiti.Amount) {
	rng := g.rng
	what := []string{"收取集体资产租赁费", "收取机动地承包费", "收取农业社会化服务费", "收取劳务服务费", "销售农产品收入", "收取物业管理费"}
	for i, a := range splitAmount(rng, in.Operating, 6, jiti.Yuan(10), 40) {
		g.add(2*i+1+rng.IntN(2), g.day(), what[rng.IntN(len(what))], "102", "501", a)
	}
	g.add(12, 10+rng.IntN(15), "收到入股分红", "102", "502", in.Investment)
	for i, a := range splitAmount(rng, in.Subsidy, 2, jiti.Yuan(100), 30) {
		g.add(4+4*i+rng.IntN(3), g.day(), "收到村级组织运转经费补助", "102", "503", a)
	}
	for q, a := range splitAmount(rng, in.Other, 4, 1, 30) {
		g.add(3*q+3, 21, "收到存款利息", "102", "504", a)
	}
	cost := pct(in.Operating, between(rng, 30, 60))
	for i, a := range splitAmount(rng, cost, 3, jiti.Yuan(10), 40) {
		g.add(3+3*i+rng.IntN(3), g.day(), "支付经营项目成本", "511", "102", a)
	}
	for q, a := range equalParts(pay, 4, jiti.Yuan(100)) {
		g.add(3*q+3, 25, "发放村干部报酬", "513", "102", a)
	}
	office := jiti.Yuan(between(rng, 800, 4_000))
	g.add(1, 5+rng.IntN(10), "提取备用金", "101", "102", office)
	for i, a := range splitAmount(rng, office, 2, jiti.Yuan(10), 40) {
		g.add(2+5*i+rng.IntN(4), g.day(), "购买办公用品", "513", "101", a)
	}
	welfare := pct(in.Subsidy, between(rng, 40, 90)) + jiti.Yuan(between(rng, 1_000, 5_000))
	for i, a := range splitAmount(rng, welfare, 2, jiti.Yuan(10), 40) {
		g.add(5+4*i+rng.IntN(3), g.day(), "支付村内公益设施维护费", "514", "102", a)
	}
	g.add(12, 21, "扣收账户管理费", "515", "102", jiti.Amount(between(rng, 2_000, 20_000)))
	sort.SliceStable(g.vs, func(i, j int) bool { return g.vs[i].Date.Before(g.vs[j].Date) })
}

// lightSource is a store.VoucherSource over light books of one year.
type lightSource struct {
	vs   []*ledger.Voucher
	next int
}

func (s *lightSource) Next() (*ledger.Voucher, error) {
	if s.next == len(s.vs) {
		return nil, io.EOF
	}
	s.next++
	return s.vs[s.next-1], nil
}

func (s *lightSource) Locate(v *ledger.Voucher, err error) error {
	return fmt.Errorf("demo province voucher of %s (collective %d): %w", v.Date, v.CollectiveID, err)
}

// BuildProvince fills an empty, migrated database with a synthetic
// province and its light books, and returns what it made. db.Now must be
// after the last year when opts.Close is set.
func BuildProvince(ctx context.Context, db *store.DB, opts ProvinceOptions) (*ProvinceSummary, error) {
	start := time.Now()
	if opts.Cities == 0 {
		opts.Cities = DefaultCities
	}
	if opts.Collectives == 0 {
		opts.Collectives = DefaultCollectives
	}
	if opts.Year == 0 {
		opts.Year = DefaultYear
	}
	if opts.Years == 0 {
		opts.Years = DefaultYears
	}
	from := opts.Year - opts.Years + 1
	if opts.Years < 1 || from < 2000 || opts.Year > MaxYear {
		return nil, ErrYear.With(from, 2000, MaxYear).At("years")
	}
	if now := db.Now(); opts.Close && now.Before(time.Date(opts.Year+1, time.January, 1, 0, 0, 0, 0, time.UTC)) {
		return nil, ErrClock.With(opts.Year, now.UTC().Format(time.RFC3339))
	}
	var mu sync.Mutex
	logf := func(key string, args ...any) {
		if opts.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		opts.Progress(key, args...)
	}
	if users, err := db.FindUsers(ctx); err != nil {
		return nil, err
	} else if len(users) > 0 {
		return nil, ErrNotEmpty.With(len(users))
	}
	p, err := newProvince(opts.Seed, opts.Cities, opts.Collectives)
	if err != nil {
		return nil, err
	}
	sum := &ProvinceSummary{Seed: opts.Seed, Engine: db.Engine(), FromYear: from, Year: opts.Year, Cities: p.cities,
		Counties: p.counties, Townships: len(p.townships), Regions: len(p.regions), Closed: opts.Close}
	admin, err := db.CreateUser(ctx, 0, jiti.User{Name: "admin", DisplayName: "省农业农村厅管理员（生成）", Role: jiti.RoleCountyAdmin})
	if err != nil {
		return nil, err
	}
	if err := db.CreateRegions(ctx, admin.ID, p.regions); err != nil {
		return nil, err
	}
	users := map[string][2]jiti.UserID{} // township → accountant, supervisor
	for _, t := range p.townships {
		kj, err := db.CreateUser(ctx, admin.ID, jiti.User{Name: "kj" + t.Code, DisplayName: strings.TrimSuffix(t.Name, generatedMark) + "代理记账会计",
			Role: jiti.RoleAgencyAccountant, ScopeRegion: t.Code})
		if err != nil {
			return nil, err
		}
		sh, err := db.CreateUser(ctx, admin.ID, jiti.User{Name: "sh" + t.Code, DisplayName: strings.TrimSuffix(t.Name, generatedMark) + "农经站审核员",
			Role: jiti.RoleTownshipSupervisor, ScopeRegion: t.Code})
		if err != nil {
			return nil, err
		}
		users[t.Code] = [2]jiti.UserID{kj.ID, sh.ID}
	}
	sum.Users = 1 + 2*len(p.townships)
	// The collectives, a city at a time.
	opened := jiti.Date{Year: from, Month: time.January, Day: 1}
	usccs := map[string]bool{}
	rng := newRand(opts.Seed, "province", "uscc")
	for ci := range p.cities {
		city := fmt.Sprintf("62%02d", ci+1)
		var cs []jiti.Collective
		var of []*provTownship
		for _, t := range p.townships {
			if !strings.HasPrefix(t.Code, city) {
				continue
			}
			for _, v := range t.villages {
				uscc := newUSCC(rng, "N2", v.Code[:6])
				for usccs[uscc] {
					uscc = newUSCC(rng, "N2", v.Code[:6])
				}
				usccs[uscc] = true
				cs = append(cs, jiti.Collective{Name: collectiveName(v.Name), USCC: uscc, RegionCode: v.Code, Level: jiti.LevelVillage,
					BooksOpenedOn: opened})
				of = append(of, t)
			}
		}
		cs, err := db.CreateCollectives(ctx, admin.ID, cs)
		if err != nil {
			return nil, err
		}
		for i, c := range cs {
			of[i].ids = append(of[i].ids, c.ID)
		}
		sum.Collectives += len(cs)
	}
	t0 := p.townships[0]
	ins, made, err := signIns(ctx, db, roster{admin: admin.ID, region: p.regions[0], town: t0.Region, village: t0.villages[0],
		collective: jiti.Collective{ID: t0.ids[0], Name: collectiveName(t0.villages[0].Name)}})
	if err != nil {
		return nil, err
	}
	sum.SignIns, sum.Users = ins, sum.Users+len(made)
	logf("demo.progress.province", sum.Regions, sum.Cities, sum.Counties, sum.Townships, sum.Users, sum.Collectives)
	// The sign-ins' passwords are hashed beside the books.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wait := passwords(pctx, db, admin.ID, append([]jiti.UserID{admin.ID, users[t0.Code][1], users[t0.Code][0]}, made...))

	workers := 1
	if db.Engine() == "postgres" {
		workers = 4
	}
	type tally struct {
		vouchers, lines, closing int
		income                   []Income
	}
	tallies := make([]tally, len(p.townships))
	var done int
	err = parallel(ctx, len(p.townships), workers, func(ctx context.Context, ti int) error {
		stop := ctx
		ctx = calm(ctx)
		t := p.townships[ti]
		n := &tallies[ti]
		n.income = make([]Income, opts.Years)
		kj, sh := users[t.Code][0], users[t.Code][1]
		lvs := make([]*lightVillage, len(t.villages))
		for i, v := range t.villages {
			lvs[i] = lightBooks(opts.Seed, v, from, opts.Year)
			if err := db.SetOpeningBalances(ctx, kj, t.ids[i], lvs[i].opening); err != nil {
				return fmt.Errorf("demo: opening balances of %s: %w", v.Code, err)
			}
		}
		for k := range opts.Years {
			src := &lightSource{}
			for i, lv := range lvs {
				for _, v := range lv.years[k] {
					v.CollectiveID = t.ids[i]
					src.vs = append(src.vs, v)
				}
				n.income[k] = n.income[k].add(lv.income[k])
			}
			res, err := db.ImportVouchers(ctx, kj, src, fmt.Sprintf("demo-province:%s:%d", t.Code, from+k))
			if err != nil {
				return importError(t.Name, res, err)
			}
			n.vouchers += res.Vouchers
			n.lines += res.Lines
		}
		first, last := jiti.NewPeriod(from, time.January), jiti.NewPeriod(opts.Year, time.December)
		for i, cid := range t.ids {
			if err := stop.Err(); err != nil {
				return err
			}
			if _, _, err := db.ApproveVouchers(ctx, sh, cid, first, last); err != nil {
				return fmt.Errorf("demo: approve %s: %w", t.villages[i].Code, err)
			}
			if _, err := db.PostVouchers(ctx, kj, cid, first, last); err != nil {
				return fmt.Errorf("demo: post %s: %w", t.villages[i].Code, err)
			}
			if !opts.Close {
				continue
			}
			for y := from; y <= opts.Year; y++ {
				// January to November in one transaction; December closes with the year.
				if err := db.ClosePeriods(ctx, kj, cid, jiti.NewPeriod(y, time.January), jiti.NewPeriod(y, time.November)); err != nil {
					return fmt.Errorf("demo: close %d of %s: %w", y, t.villages[i].Code, err)
				}
				closing, err := db.CloseYear(ctx, kj, cid, y)
				if err != nil {
					return fmt.Errorf("demo: close year %d of %s: %w", y, t.villages[i].Code, err)
				}
				n.closing += len(closing)
			}
		}
		mu.Lock()
		done++
		d := done
		mu.Unlock()
		if d%100 == 0 || d == len(p.townships) {
			logf("demo.progress.province_townships", d, len(p.townships), sum.Collectives, opts.Years)
		}
		return nil
	})
	if err != nil {
		cancel()
	}
	if perr := wait(); err == nil {
		err = perr
	}
	if err != nil {
		return nil, err
	}
	sum.Income = make([]YearIncome, opts.Years)
	for k := range sum.Income {
		sum.Income[k].Year = from + k
	}
	for _, n := range tallies {
		sum.Vouchers += n.vouchers
		sum.Lines += n.lines
		sum.ClosingVouchers += n.closing
		for k := range n.income {
			sum.Income[k].Income = sum.Income[k].Income.add(n.income[k])
		}
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// DatabaseSize returns how big the database is: for SQLite the size of
// the file at path with its write-ahead log, for PostgreSQL
// pg_database_size of the current database.
func DatabaseSize(ctx context.Context, db *store.DB, path string) (int64, error) {
	if db.Engine() == "postgres" {
		var n int64
		err := db.QueryRaw(ctx, "SELECT pg_database_size(current_database())", func(rows *sql.Rows) error {
			return rows.Scan(&n)
		})
		return n, err
	}
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		st, err := os.Stat(path + suffix)
		if err != nil {
			if suffix != "" {
				continue
			}
			return 0, err
		}
		n += st.Size()
	}
	return n, nil
}

// Package demo builds a demonstration database: the village collective
// economy of Huining County (会宁县), Baiyin City, Gansu, with a year of books
// for each of its 284 village collectives, generated as real vouchers that
// go through the store's own paths (imported as drafts by the township's
// agency accountant, approved by the township supervisor, posted, every
// month closed and the year closed), so that every figure a report shows
// comes from posted vouchers.
//
// # The county
//
// The region tree (huining.csv, see Regions) holds 甘肃省, 白银市, 会宁县, its
// 28 townships and their 284 villages. Township codes are the statistical
// division codes. Village codes were not collected: they are derived in the
// list order of the townships' village-affairs pages, as the township code
// plus three digits from 201 (the range statistical codes use for 村委会), and
// are not official. Villages whose names are unknown carry generated names
// marked （生成）.
//
// # Calibration
//
// For 2025 the books reproduce the county's published figures to the fen:
// summed over the 284 collectives, the year's income (credit minus debit
// turnover, closing vouchers excluded) of 501 + 502 is 98,922,100.00 yuan, of
// 503 3,426,700.00 and of 504 3,185,600.00, in all 105,534,400.00, or
// 371,600.00 per village. The county totals are split over the villages with
// integer arithmetic (largest remainder) and each village's share over its
// vouchers and the receipts on its contracts exactly. Most villages earn 100,000–500,000 yuan of operating-type
// income, a few strong ones over 1,000,000, a handful under 50,000, two none
// at all (空壳村). Villages of 土门岘镇 revitalize idle school buildings,
// weighing scales, assistance workshops and warehouses during the year, by
// lease, equity and cooperation, and hold equity stakes;
// villages of 平头川镇 earn service fees from the supply-and-marketing
// cooperative's centralized procurement of farm inputs and from agricultural
// services; service entities (labour export, property management, weddings
// and funerals, waste recycling) run in villages elsewhere. Seven villages
// build a project with central funds. Other years scale the totals (the year
// before 2025 about 10 % lower) and vary each village's share.
//
// # Registers
//
// Every village keeps its registers (registers.go, assets.go,
// resources.go), and every event of them is booked by the store, so the
// registers and the books agree (Verify holds them to each other):
//
//   - Assets: twenty to forty per village, thirty on average, of every
//     category, from the office and its computers to roads, tractors,
//     weighing scales, greenhouses, orchards and breeding ewes. Those on
//     the books before the year are registered as existing, with the
//     depreciation they accumulated before it; the opening balances of
//     151/152, 132/133 and 134 are their sums, exactly. Those bought in the
//     year (a few per village, and the central-fund projects' buildings on
//     completion) are registered with their acquisition vouchers. Month
//     close charges every asset's depreciation from the register: to 401
//     for production assets (carried to 51103 at each month end by an
//     ordinary voucher), 51305 for management, 51404 for public welfare.
//   - Resources: land of every kind in mu, mostly contracted to households.
//   - Contracts: the leases of the villages' buildings and machines, the
//     contracting of reserved land to member households and of barren hills
//     to firms, the collective's equity stakes, and in 土门岘镇 the leases,
//     equity (入股) and cooperation (合作经营) agreements that revitalize its
//     idle school buildings, weighing scales, assistance workshops and
//     warehouses. Their parties are units with well-formed unified social
//     credit codes or persons with well-formed identity numbers, which the
//     store seals: Build needs a store opened with a key (store.Options.Key)
//     and fails with store.ErrNoKey without one. Most were awarded by open
//     bidding at the county's rural property-rights exchange and rest on a
//     四议两公开 resolution; a few lack either, some are in arrears at the
//     end of the year, some end within three months, and some assets stay
//     idle, so the county's warnings have something to show.
//
// Rent, fees, dividends and cooperation income come in through receipts
// recorded on the contracts, each posting its voucher; the rest of the
// villages' income (services, sales, subsidies, other income) comes in by
// imported vouchers. The county's figures stay exact to the fen: see
// registers.go for how the contracts are fitted to the villages' plans.
//
// # Determinism
//
// Everything is drawn from math/rand/v2 PCG generators seeded from
// Options.Seed and a label (the county profile, a year's plan, one village's
// year, its registers), so a village's books of a year are a function of
// the seed, the year and the village alone; maps are walked in sorted
// order. Build never reads the clock: the store stamps records with db.Now,
// and closing a month requires the month not to be in the future, so the
// caller runs Build with db.Now set to a fixed time after the end of the
// year (the command line does; tests set it to the January after). On
// SQLite records get the same ids each time, so the vouchers' hash chains
// are the same; only the sealed identity numbers differ, sealed with fresh
// nonces.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// DefaultYear is the year Build generates when Options.Year is zero.
const DefaultYear = calibrationYear

// Options tune Build.
type Options struct {
	Seed     int64
	Year     int       // the year of books to generate; default 2025
	Progress io.Writer // optional: one line per step
}

// Errors of Build. Their keys are locale catalog keys.
var (
	ErrNotEmpty = jiti.Errorf(jiti.Conflict, "demo.not_empty")
	ErrYear     = jiti.Errorf(jiti.Invalid, "demo.year")
	ErrClock    = jiti.Errorf(jiti.Invalid, "demo.clock")
)

// Years Build accepts: the 2023 system is in force from 2024.
const (
	MinYear = 2024
	MaxYear = 2035
)

// Build fills an empty, migrated database with the demo county and one year
// of its books, and returns what it made. db.Now must be on or after the
// first day of the following year (see the package documentation).
//
// It creates a county administrator "admin"; per township a supervisor
// "sh<code>" who approves and an agency accountant "kj<code>" who keeps the
// books of all the township's villages (村账乡代管); the region tree; one
// collective per village with its detail accounts, member households and
// opening balances on the first day of the year; its registers of assets,
// resources and contracts, with the receipts on the contracts; and the
// year's vouchers, imported, approved, posted and closed month by month
// (with the registers' depreciation) and at year end. db must have a key
// to seal identity numbers (store.Options.Key).
func Build(ctx context.Context, db *store.DB, opts Options) (*Summary, error) {
	start := time.Now()
	b := &builder{db: db, opts: opts, start: start}
	if b.opts.Year == 0 {
		b.opts.Year = DefaultYear
	}
	if err := b.check(ctx); err != nil {
		return nil, err
	}
	sum, err := b.run(ctx)
	if err != nil {
		return nil, err
	}
	sum.Elapsed = time.Since(start)
	b.logf("完成：%d 张凭证，用时 %.1f 秒", sum.Vouchers, sum.Elapsed.Seconds())
	return sum, nil
}

// builder carries one Build.
type builder struct {
	db    *store.DB
	opts  Options
	start time.Time
	mu    sync.Mutex // serializes progress lines

	admin       jiti.UserID
	supervisors map[string]jiti.UserID // township code → user
	accountants map[string]jiti.UserID
	ids         []int64 // collective id per village index
}

func (b *builder) logf(format string, args ...any) {
	if b.opts.Progress == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(b.opts.Progress, "[%5.1fs] %s\n", time.Since(b.start).Seconds(), fmt.Sprintf(format, args...))
}

// check refuses a year out of range, a clock before the end of the year and
// a database that is not empty.
func (b *builder) check(ctx context.Context) error {
	y := b.opts.Year
	if y < MinYear || y > MaxYear {
		return ErrYear.With(y, MinYear, MaxYear).At("year")
	}
	now := b.db.Now()
	if end := time.Date(y+1, time.January, 1, 0, 0, 0, 0, time.UTC); now.Before(end) {
		return ErrClock.With(now.UTC().Format(time.RFC3339), y)
	}
	users, err := b.db.FindUsers(ctx)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		return ErrNotEmpty.With(len(users))
	}
	return nil
}

func (b *builder) run(ctx context.Context) (*Summary, error) {
	year := b.opts.Year
	c := newCounty(b.opts.Seed)
	plan := c.plan(year)
	// Each village's year is a function of the seed and the village alone,
	// so they are drawn in parallel.
	books := make([]*villageYear, len(c.Villages))
	err := parallel(ctx, len(c.Villages), runtime.GOMAXPROCS(0), func(ctx context.Context, i int) error {
		vy, err := generate(c, c.Villages[i], plan)
		books[i] = vy
		return err
	})
	if err != nil {
		return nil, err
	}
	b.logf("生成 %d 个村 %d 年的账簿（种子 %d）", len(books), year, b.opts.Seed)

	sum := &Summary{Seed: b.opts.Seed, Year: year, Engine: b.db.Engine(), Townships: len(c.Townships)}
	if err := b.setupCounty(ctx, c, sum); err != nil {
		return nil, err
	}
	sum.Villages = make([]VillageIncome, len(c.Villages))
	counts := make([]counts, len(c.Townships))
	firsts := make([]int, len(c.Townships))
	for i, n := 1, 0; i < len(c.Townships); i++ {
		n += len(c.Townships[i-1].Villages)
		firsts[i] = n
	}
	err = parallel(ctx, len(c.Townships), b.workers(), func(ctx context.Context, ti int) error {
		t := &c.Townships[ti]
		lo, hi := firsts[ti], firsts[ti]+len(t.Villages)
		return b.township(ctx, t, books[lo:hi], b.ids[lo:hi], sum.Villages[lo:hi], &counts[ti])
	})
	if err != nil {
		return nil, err
	}
	for _, n := range counts {
		sum.Accounts += n.accounts
		sum.Households += n.households
		sum.Vouchers += n.vouchers
		sum.Lines += n.lines
		sum.ClosingVouchers += n.closing
		sum.Assets += n.assets
		sum.AssetCost += n.cost
		sum.IdleAssets += n.idle
		sum.Revitalized += n.revitalized
		sum.Resources += n.resources
		sum.ResourceArea += n.area
		sum.Contracts += n.contracts
		sum.Receipts += n.receipts
		sum.ContractIncome += n.contractIncome
		sum.RegisterVouchers += n.registerVouchers
	}
	for _, v := range sum.Villages {
		sum.Income = sum.Income.add(v.Income)
	}
	return sum, nil
}

// workers is how many townships are built at once: one on SQLite, which has
// a single writer (and so gives every record the same id each time), four
// on PostgreSQL, whose commits otherwise wait on the disk one by one.
func (b *builder) workers() int {
	if b.db.Engine() == "postgres" {
		return 4
	}
	return 1
}

// parallel runs fn(0..n-1) on the given number of workers and returns the
// first error, after which no new call starts.
func parallel(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	jobs := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return first
	}
	return context.Cause(ctx)
}

// counts are what one township's books add to the summary.
type counts struct {
	accounts, households, vouchers, lines, closing                              int
	assets, idle, revitalized, resources, contracts, receipts, registerVouchers int
	area                                                                        register.Area
	cost, contractIncome                                                        jiti.Amount
}

// township keeps one township's books for the year, as its accountant and
// supervisor: each collective's detail accounts, households and opening
// balances; the vouchers imported as drafts, approved, posted; January to
// November closed; the year's income read from each collective's trial
// balance (into out) before year-end closing moves it to 321; the year
// closed.
func (b *builder) township(ctx context.Context, t *township, books []*villageYear, ids []int64, out []VillageIncome, n *counts) error {
	year := b.opts.Year
	jan, dec := jiti.NewPeriod(year, time.January), jiti.NewPeriod(year, time.December)
	kj, sh := b.accountants[t.Code], b.supervisors[t.Code]
	for i, vy := range books {
		if err := b.openBooks(ctx, kj, ids[i], vy); err != nil {
			return err
		}
		n.accounts += len(vy.Accounts)
		n.households += len(vy.V.Households)
	}
	if err := b.registers(ctx, kj, t, books, ids, n); err != nil {
		return err
	}
	res, err := b.db.ImportVouchers(ctx, kj, newSource(books, ids), fmt.Sprintf("demo:%s:%d", t.Code, year))
	if err != nil {
		return importError(t.Name, res, err)
	}
	n.vouchers, n.lines = res.Vouchers, res.Lines
	for i, cid := range ids {
		v := books[i].V
		if _, _, err := b.db.ApproveVouchers(ctx, sh, cid, jan, dec); err != nil {
			return fmt.Errorf("demo: approve %s: %w", v.Region.Code, err)
		}
		if _, err := b.db.PostVouchers(ctx, kj, cid, jan, dec); err != nil {
			return fmt.Errorf("demo: post %s: %w", v.Region.Code, err)
		}
		for p := jan; p < dec; p = p.Next() {
			if err := b.db.ClosePeriod(ctx, kj, cid, p); err != nil {
				return fmt.Errorf("demo: close %s of %s: %w", p, v.Region.Code, err)
			}
		}
		tb, err := b.db.TrialBalance(ctx, cid, jan, dec, false)
		if err != nil {
			return err
		}
		if !tb.Balanced() {
			return fmt.Errorf("demo: trial balance of %s does not balance: %+v", v.Region.Code, tb.Total)
		}
		out[i] = VillageIncome{Code: v.Region.Code, Name: v.Region.Name, Township: t.Name, Income: incomeOf(tb)}
		closing, err := b.db.CloseYear(ctx, kj, cid, year)
		if err != nil {
			return fmt.Errorf("demo: close year of %s: %w", v.Region.Code, err)
		}
		n.closing += len(closing)
	}
	b.logf("%s：%d 个村，资产 %d 项、资源 %d 宗、合同 %d 份（收款 %d 笔），凭证 %d 张导入、审核、记账，逐月结账（计提折旧），年终结账",
		t.Name, len(books), n.assets, n.resources, n.contracts, n.receipts, res.Vouchers)
	return nil
}

// openBooks gives a collective its detail accounts, households and opening
// balances.
func (b *builder) openBooks(ctx context.Context, kj jiti.UserID, cid int64, vy *villageYear) error {
	code := vy.V.Region.Code
	for _, acct := range vy.Accounts {
		if _, err := b.db.CreateAccount(ctx, kj, cid, acct, detailNames[acct]); err != nil {
			return fmt.Errorf("demo: %s account %s: %w", code, acct, err)
		}
	}
	if err := b.db.CreateHouseholds(ctx, kj, cid, vy.V.Households); err != nil {
		return fmt.Errorf("demo: %s households: %w", code, err)
	}
	if err := b.db.SetOpeningBalances(ctx, kj, cid, vy.Opening); err != nil {
		return fmt.Errorf("demo: %s opening balances: %w", code, err)
	}
	return nil
}

// registers enters the registers of a township's collectives, as their
// accountant: the resources and the assets in one transaction each (the
// assets bought in the year with their acquisition vouchers), the
// contracts as drafts in one, then each contract signed (which sets its
// assets' status and its land's use) and each receipt recorded, posting
// its voucher. Month close will depreciate the assets and expire the
// contracts that end.
func (b *builder) registers(ctx context.Context, kj jiti.UserID, t *township, books []*villageYear, ids []int64, n *counts) error {
	var rs []register.Resource
	var as []store.AssetInput
	var owner []int // village of each asset
	for i, vy := range books {
		for _, r := range vy.Registers.Resources {
			r.CollectiveID = ids[i]
			rs = append(rs, r)
			n.area += r.Area
		}
		for _, pa := range vy.Registers.Assets {
			a := pa.A
			a.CollectiveID = ids[i]
			as = append(as, store.AssetInput{Asset: a, Credit: pa.Credit})
			owner = append(owner, i)
			n.cost += a.Cost
			if a.Status == register.Idle {
				n.idle++
			}
			if pa.Credit != "" {
				n.registerVouchers++
			}
		}
		n.assets += len(vy.Registers.Assets)
		n.resources += len(vy.Registers.Resources)
		n.registerVouchers += vy.Registers.depreciationVouchers(vy.Year)
	}
	if err := b.db.CreateResources(ctx, kj, rs); err != nil {
		return fmt.Errorf("demo: resources of %s: %w", t.Name, err)
	}
	if err := b.db.CreateAssets(ctx, kj, as); err != nil {
		return fmt.Errorf("demo: assets of %s: %w", t.Name, err)
	}
	type key struct {
		cid  int64
		code string
	}
	assetID, resourceID := map[key]int64{}, map[key]int64{}
	found, err := b.db.FindAssets(ctx, store.AssetFilter{Region: t.Code})
	if err != nil {
		return err
	}
	for _, a := range found {
		assetID[key{a.CollectiveID, a.Code}] = a.ID
	}
	foundR, err := b.db.FindResources(ctx, store.ResourceFilter{Region: t.Code})
	if err != nil {
		return err
	}
	for _, r := range foundR {
		resourceID[key{r.CollectiveID, r.Code}] = r.ID
	}

	var ins []store.ContractInput
	var plans []*plannedContract
	var of []int
	for i, vy := range books {
		yr := vy.Registers
		for _, pc := range yr.Contracts {
			c := pc.C
			c.CollectiveID = ids[i]
			c.Subjects = nil
			if pc.Asset >= 0 {
				c.Subjects = append(c.Subjects, register.Subject{AssetID: assetID[key{ids[i], yr.Assets[pc.Asset].A.Code}]})
				if yr.Assets[pc.Asset].A.Status == register.Idle && c.Kind.Occupies() && pc.SignOn.Year == vy.Year {
					n.revitalized++
				}
			}
			for _, l := range pc.Lands {
				c.Subjects = append(c.Subjects, register.Subject{ResourceID: resourceID[key{ids[i], yr.Resources[l.Resource].Code}], Area: l.Area})
			}
			ins = append(ins, store.ContractInput{Contract: c})
			plans = append(plans, pc)
			of = append(of, i)
		}
	}
	cs, err := b.db.CreateContracts(ctx, kj, ins)
	if errors.Is(err, store.ErrNoKey) {
		return fmt.Errorf("demo: contracts of %s: the contracts with persons hold identity numbers, which the store seals "+
			"with its key: open the database with store.Options.Key: %w", t.Name, err)
	}
	if err != nil {
		return fmt.Errorf("demo: contracts of %s: %w", t.Name, err)
	}
	for k, c := range cs {
		pc, code := plans[k], books[of[k]].V.Region.Code
		if err := b.db.SignContract(ctx, kj, c.ID, pc.SignOn); err != nil {
			return fmt.Errorf("demo: %s sign contract %s: %w", code, c.Code, err)
		}
		for _, r := range pc.Receipts {
			if _, err := b.db.RecordReceipt(ctx, kj, c.ID, store.ReceiptInput{Date: r.Date, Amount: r.Amount, Account: acctBank}); err != nil {
				return fmt.Errorf("demo: %s receipt of %s on contract %s: %w", code, r.Amount, c.Code, err)
			}
			n.contractIncome += r.Income
		}
		n.receipts += len(pc.Receipts)
		n.registerVouchers += len(pc.Receipts)
	}
	n.contracts += len(cs)
	return nil
}

// setupCounty creates the administrator, the region tree, the township
// users and the collectives.
func (b *builder) setupCounty(ctx context.Context, c *county, sum *Summary) error {
	db := b.db
	admin, err := db.CreateUser(ctx, 0, jiti.User{Name: "admin", DisplayName: "会宁县农业农村局管理员", Role: jiti.RoleCountyAdmin})
	if err != nil {
		return err
	}
	b.admin = admin.ID
	regions := Regions()
	if err := db.CreateRegions(ctx, b.admin, regions); err != nil {
		return err
	}
	sum.Regions = len(regions)
	b.supervisors, b.accountants = map[string]jiti.UserID{}, map[string]jiti.UserID{}
	for _, t := range c.Townships {
		sh, err := db.CreateUser(ctx, b.admin, jiti.User{Name: "sh" + t.Code, DisplayName: t.Name + "农经站审核员",
			Role: jiti.RoleTownshipSupervisor, ScopeRegion: t.Code})
		if err != nil {
			return err
		}
		kj, err := db.CreateUser(ctx, b.admin, jiti.User{Name: "kj" + t.Code, DisplayName: t.Name + "代理记账会计",
			Role: jiti.RoleAgencyAccountant, ScopeRegion: t.Code})
		if err != nil {
			return err
		}
		b.supervisors[t.Code], b.accountants[t.Code] = sh.ID, kj.ID
	}
	sum.Users = 1 + 2*len(c.Townships)
	// The county's lowest rent of land leases, against which the hills'
	// contracts are warned about.
	if err := db.SetRentBenchmark(ctx, b.admin, CountyCode, b.opts.Year, jiti.Yuan(hillBenchmark)); err != nil {
		return err
	}
	opened := jiti.Date{Year: b.opts.Year, Month: time.January, Day: 1}
	cs := make([]jiti.Collective, len(c.Villages))
	for i, v := range c.Villages {
		cs[i] = jiti.Collective{Name: collectiveName(v.Region.Name), USCC: v.USCC, RegionCode: v.Region.Code,
			Level: jiti.LevelVillage, BooksOpenedOn: opened}
	}
	cs, err = db.CreateCollectives(ctx, b.admin, cs)
	if err != nil {
		return err
	}
	b.ids = make([]int64, len(cs))
	for i := range cs {
		b.ids[i] = cs[i].ID
	}
	sum.Collectives = len(cs)
	b.logf("建立区划 %d 个、用户 %d 个、集体经济组织 %d 个", sum.Regions, sum.Users, sum.Collectives)
	return nil
}

// importError reports a refused import with its first errors.
func importError(town string, res *store.ImportResult, err error) error {
	if res == nil || len(res.Errors) == 0 {
		return fmt.Errorf("demo: import %s: %w", town, err)
	}
	errs := []error{fmt.Errorf("demo: import %s: %w", town, err)}
	errs = append(errs, res.Errors[:min(5, len(res.Errors))]...)
	return errors.Join(errs...)
}

// incomeOf returns the credit-minus-debit turnover of 501–504 of a trial
// balance.
func incomeOf(tb *ledger.TrialBalance) Income {
	turnover := func(code string) jiti.Amount {
		if r := tb.Row(code); r != nil {
			return r.Credit - r.Debit
		}
		return 0
	}
	return Income{Operating: turnover("501"), Investment: turnover("502"), Subsidy: turnover("503"), Other: turnover("504")}
}

// Income is a year's income by statistical line: the credit-minus-debit
// turnover of 501–504 without the closing vouchers.
type Income struct {
	Operating  jiti.Amount `json:"operating"`  // 501 经营收入
	Investment jiti.Amount `json:"investment"` // 502 投资收益
	Subsidy    jiti.Amount `json:"subsidy"`    // 503 补助收入
	Other      jiti.Amount `json:"other"`      // 504 其他收入
}

func (i Income) add(j Income) Income {
	return Income{i.Operating + j.Operating, i.Investment + j.Investment, i.Subsidy + j.Subsidy, i.Other + j.Other}
}

// OperatingType returns 经营性收入, 501 + 502.
func (i Income) OperatingType() jiti.Amount { return i.Operating + i.Investment }

// Total returns 总收入, 501 + 502 + 503 + 504.
func (i Income) Total() jiti.Amount { return i.OperatingType() + i.Subsidy + i.Other }

// VillageIncome is one village collective's income of the year.
type VillageIncome struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Township string `json:"township"`
	Income   Income `json:"income"`
}

// Summary is what Build made, with the county's income read back from the
// books.
type Summary struct {
	Seed            int64  `json:"seed"`
	Year            int    `json:"year"`
	Engine          string `json:"engine"`
	Regions         int    `json:"regions"`
	Townships       int    `json:"townships"`
	Collectives     int    `json:"collectives"`
	Users           int    `json:"users"`
	Households      int    `json:"households"`
	Accounts        int    `json:"accounts"` // detail accounts created
	Vouchers        int    `json:"vouchers"` // imported, approved and posted
	Lines           int    `json:"lines"`
	ClosingVouchers int    `json:"closing_vouchers"`
	// The registers: assets (those idle at the start of the year, and
	// those revitalized in it), resources, contracts with the receipts on
	// them and the income these booked, and the vouchers the store posted
	// for the registers (acquisitions, receipts, depreciation at month
	// close).
	Assets           int             `json:"assets"`
	AssetCost        jiti.Amount     `json:"asset_cost"` // at the end of the year
	IdleAssets       int             `json:"idle_assets"`
	Revitalized      int             `json:"revitalized"`
	Resources        int             `json:"resources"`
	ResourceArea     register.Area   `json:"resource_area"` // mu
	Contracts        int             `json:"contracts"`
	Receipts         int             `json:"receipts"`
	ContractIncome   jiti.Amount     `json:"contract_income"` // of the year, 501 + 502
	RegisterVouchers int             `json:"register_vouchers"`
	Income           Income          `json:"income"`   // the county's: the sum of the villages'
	Villages         []VillageIncome `json:"villages"` // each collective's, from its trial balance before closing, by code
	Elapsed          time.Duration   `json:"elapsed"`
}

// PerVillage returns the county's total income per village, rounded to the
// fen.
func (s *Summary) PerVillage() jiti.Amount {
	if s.Collectives == 0 {
		return 0
	}
	a, _ := s.Income.Total().MulRatio(1, int64(s.Collectives))
	return a
}

// CountOperatingType returns how many villages had operating-type income in
// [lo, hi) yuan; hi ≤ 0 means no upper bound.
func (s *Summary) CountOperatingType(lo, hi jiti.Amount) int {
	n := 0
	for _, v := range s.Villages {
		o := v.Income.OperatingType()
		if o >= lo && (hi <= 0 || o < hi) {
			n++
		}
	}
	return n
}

// String reports the summary in Chinese, for the command line.
func (s *Summary) String() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	in := s.Income
	w("会宁县村集体经济演示数据：%d 年，随机种子 %d，数据库 %s", s.Year, s.Seed, s.Engine)
	w("  区划 %d 个（乡镇 %d 个），集体经济组织 %d 个，用户 %d 个，农户 %d 户，明细科目 %d 个",
		s.Regions, s.Townships, s.Collectives, s.Users, s.Households, s.Accounts)
	w("  记账凭证 %d 张（分录 %d 行），资产、合同及折旧凭证 %d 张，年终结账凭证 %d 张", s.Vouchers, s.Lines, s.RegisterVouchers, s.ClosingVouchers)
	w("  资产 %d 项（原值 %s 万元；年初闲置 %d 项，本年盘活 %d 项），资源 %d 宗（%s 亩），合同 %d 份（收款 %d 笔，确认本年收入 %s 万元）",
		s.Assets, s.AssetCost.Wan(), s.IdleAssets, s.Revitalized, s.Resources, s.ResourceArea, s.Contracts, s.Receipts, s.ContractIncome.Wan())
	w("  全县村集体收入（据账簿，不含结账凭证）：")
	w("    总收入        %16s 元  %10s 万元", in.Total().Grouped(), in.Total().Wan())
	w("    经营性收入    %16s 元  %10s 万元（经营收入 %s 万元，投资收益 %s 万元）",
		in.OperatingType().Grouped(), in.OperatingType().Wan(), in.Operating.Wan(), in.Investment.Wan())
	w("    补助收入      %16s 元  %10s 万元", in.Subsidy.Grouped(), in.Subsidy.Wan())
	w("    其他收入      %16s 元  %10s 万元", in.Other.Grouped(), in.Other.Wan())
	w("    村均总收入    %16s 元  %10s 万元", s.PerVillage().Grouped(), s.PerVillage().Wan())
	if len(s.Villages) > 0 {
		vs := append([]VillageIncome(nil), s.Villages...)
		sort.SliceStable(vs, func(i, j int) bool { return vs[i].Income.OperatingType() > vs[j].Income.OperatingType() })
		top, low := vs[0], vs[len(vs)-1]
		w("  经营性收入：100 万元以上 %d 个村，50–100 万元 %d 个，10–50 万元 %d 个，5–10 万元 %d 个，5 万元以下 %d 个（其中无经营性收入 %d 个）",
			s.CountOperatingType(jiti.Yuan(1_000_000), 0), s.CountOperatingType(jiti.Yuan(500_000), jiti.Yuan(1_000_000)),
			s.CountOperatingType(jiti.Yuan(100_000), jiti.Yuan(500_000)), s.CountOperatingType(jiti.Yuan(50_000), jiti.Yuan(100_000)),
			s.CountOperatingType(0, jiti.Yuan(50_000)), s.CountOperatingType(0, 1))
		w("  最高 %s%s %s 万元，最低 %s%s %s 万元", top.Township, top.Name, top.Income.OperatingType().Wan(),
			low.Township, low.Name, low.Income.OperatingType().Wan())
	}
	if s.Elapsed > 0 {
		w("  用时 %.1f 秒", s.Elapsed.Seconds())
	}
	return b.String()
}

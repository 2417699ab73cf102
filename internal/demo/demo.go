// Package demo builds a demonstration database: the village collective
// economy of Huining County (会宁县), Baiyin City, Gansu, with the books of
// each of its 284 village collectives for 2024 and 2025 (or any run of
// years from 2024), generated as real vouchers that go through the store's
// own paths (imported as drafts by the township's agency accountant,
// approved by the township supervisor, posted, every month closed and
// every year closed), so that every figure a report shows comes from
// posted vouchers. BuildProvince builds instead a synthetic province of
// light books, for benchmarks (province.go).
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
// # The years
//
// The books open on the first day of the first year, with opening balances
// (money, the households' arrears, the stake of equity, the register's
// existing assets and their depreciation, what is owed, capital, the fund
// and undistributed income). Each year is posted, its months closed and
// the year closed; the next year goes on from its closing balances, with
// no new opening balances: what a year settles at its start (last year's
// fourth-quarter cadre pay in 212, the unpaid road works in 211, the
// water fees households owe in 113) is what the year before left, and
// Build checks each year's closing balances of 212, 211 and 113 against
// the generated books before going on. Assets registered in one year go on
// depreciating in the next, contracts run across the years and are
// renewed when they end, and the income a contract received for a later
// year is recognized in that year's January.
//
// # Calibration
//
// For 2025 the books reproduce the county's published figures to the fen:
// summed over the 284 collectives, the year's income (credit minus debit
// turnover, closing vouchers excluded) of 501 + 502 is 98,922,100.00 yuan, of
// 503 3,426,700.00 and of 504 3,185,600.00, in all 105,534,400.00, or
// 371,600.00 per village. The county totals are split over the villages with
// integer arithmetic (largest remainder) and each village's share over its
// vouchers and the receipts on its contracts exactly. Most villages earn
// 100,000–500,000 yuan of operating-type income, a few strong ones over
// 1,000,000, a handful under 50,000, two none at all (空壳村). Villages of
// 土门岘镇 revitalize idle school buildings, weighing scales, assistance
// workshops and warehouses during 2025, by lease, equity and cooperation,
// and hold equity stakes; villages of 平头川镇 earn service fees from the
// supply-and-marketing cooperative's centralized procurement of farm inputs
// and from agricultural services; service entities (labour export,
// property management, weddings and funerals, waste recycling) run in
// villages elsewhere. Seven villages build a project with central funds.
//
// Other years scale the county's totals (2024 about 10 % lower in
// operating-type income, 7 % in subsidies, 12 % in other income). Each
// village grows at its own rate (a few fall), the streams that do not earn
// in a year are left out (土门岘镇's idle assets before 2025, two villages
// that earned nothing before 2025), and the villages are scaled to the
// year's total: so from 2024 to 2025 some villages move up a tier of
// operating-type income, a few down, two 2024 空壳村 earn, and the weak
// villages (under 100,000) become fewer.
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
//     the books before they open are registered as existing, with the
//     depreciation they accumulated before; the opening balances of
//     151/152, 132/133 and 134 are their sums, exactly. Those bought in a
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
//     end of a year, some end within three months, and some assets stay
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
// year, its registers), so a village's books are a function of the seed,
// the years and the village alone; maps are walked in sorted order. Build
// never reads the clock: the store stamps records with db.Now, and closing
// a month requires the month not to be in the future, so the caller runs
// Build with db.Now set to a fixed time after the end of the last year (the
// command line does; tests set it to the January after). On SQLite
// records get the same ids each time, so the vouchers' hash chains are the
// same; only the sealed identity numbers differ, sealed with fresh nonces.
package demo

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// DefaultYear is the last year Build generates when Options.Year is zero.
const DefaultYear = calibrationYear

// Options tune Build.
type Options struct {
	Seed int64
	// Year is the last year of books, 2025 by default; FromYear the first,
	// Year itself when zero (one year of books). The books open on the
	// first day of FromYear and every year to Year is posted and closed.
	Year     int
	FromYear int
	// Townships, when set, limits the build to the villages of these
	// townships (division codes), each with the books it has in the whole
	// county's build: a smaller demo for tests.
	Townships []string
	// Progress, when set, is told each step as it ends: a catalog key
	// (demo.progress.*) and its arguments, for the caller to print in the
	// user's language.
	Progress Progress
}

// Progress receives the steps of a build as they end.
type Progress func(key string, args ...any)

// Errors of Build. Their keys are locale catalog keys.
var (
	ErrNotEmpty = jiti.Errorf(jiti.Conflict, "demo.not_empty")
	ErrYear     = jiti.Errorf(jiti.Invalid, "demo.year")
	ErrClock    = jiti.Errorf(jiti.Invalid, "demo.clock")
	ErrTownship = jiti.Errorf(jiti.Invalid, "demo.township")
)

// Years Build accepts: the 2023 system is in force from 2024.
const (
	MinYear = 2024
	MaxYear = 2035
)

// Build fills an empty, migrated database with the demo county and its
// books of the years Options asks for, and returns what it made. db.Now
// must be on or after the first day of the year after the last (see the
// package documentation).
//
// It creates a county administrator "admin"; per township a supervisor
// "sh<code>" who approves and an agency accountant "kj<code>" who keeps the
// books of all the township's villages (村账乡代管); a county viewer
// "ck620422" and an auditor "sj620422"; an accountant "kj<village>" and an
// approver "sp<village>" of the first village's own books; every user
// with the demo Password (Summary.SignIns names one of each role); the
// region tree; one collective per village with its detail accounts,
// member households and opening balances on the first day of the first
// year. Then, year by
// year: the registers' events of the year (assets registered, contracts
// signed, receipts on contracts); the year's vouchers, imported, approved,
// posted; every month closed (with the registers' depreciation and
// contract steps) and the year closed, the next year going on from its
// closing balances. db must have a key to seal identity numbers
// (store.Options.Key).
func Build(ctx context.Context, db *store.DB, opts Options) (*Summary, error) {
	start := time.Now()
	b := &builder{db: db, opts: opts, start: start}
	if b.opts.Year == 0 {
		b.opts.Year = DefaultYear
	}
	if b.opts.FromYear == 0 {
		b.opts.FromYear = b.opts.Year
	}
	b.span = span{From: b.opts.FromYear, To: b.opts.Year}
	if err := b.check(ctx); err != nil {
		return nil, err
	}
	sum, err := b.run(ctx)
	if err != nil {
		return nil, err
	}
	sum.Elapsed = time.Since(start)
	b.logf("demo.progress.done", sum.Vouchers+sum.RegisterVouchers+sum.ClosingVouchers)
	return sum, nil
}

// builder carries one Build.
type builder struct {
	db        *store.DB
	opts      Options
	span      span
	start     time.Time
	mu        sync.Mutex // serializes progress lines
	done      int        // township-years built, for progress
	townYears int        // township-years to build

	admin       jiti.UserID
	supervisors map[string]jiti.UserID // township code → user
	accountants map[string]jiti.UserID
	ids         []int64       // collective id per village index of the build
	people      []*people     // the members of each village, by its Index in the county (members.go)
	users       []jiti.UserID // to get the demo password
}

func (b *builder) logf(key string, args ...any) {
	if b.opts.Progress == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.opts.Progress(key, args...)
}

// check refuses years out of range, a clock before the end of the last
// year, an unknown township and a database that is not empty.
func (b *builder) check(ctx context.Context) error {
	for _, y := range []int{b.span.From, b.span.To} {
		if y < MinYear || y > MaxYear {
			return ErrYear.With(y, MinYear, MaxYear).At("year")
		}
	}
	if b.span.From > b.span.To {
		return ErrYear.With(b.span.From, MinYear, MaxYear).At("from")
	}
	now := b.db.Now()
	if end := time.Date(b.span.To+1, time.January, 1, 0, 0, 0, 0, time.UTC); now.Before(end) {
		return ErrClock.With(b.span.To, now.UTC().Format(time.RFC3339))
	}
	known := map[string]bool{}
	for _, t := range townships() {
		known[t.Code] = true
	}
	for _, code := range b.opts.Townships {
		if !known[code] {
			return ErrTownship.With(code).At("townships")
		}
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

// selected returns the townships the build keeps.
func (b *builder) selected(c *county) []*township {
	var out []*township
	for i := range c.Townships {
		t := &c.Townships[i]
		if len(b.opts.Townships) == 0 || slices.Contains(b.opts.Townships, t.Code) {
			out = append(out, t)
		}
	}
	return out
}

func (b *builder) run(ctx context.Context) (*Summary, error) {
	years := b.span.years()
	c := newCounty(b.opts.Seed)
	plans := make([]*yearPlan, len(years))
	for k, y := range years {
		plans[k] = c.plan(y, b.span)
	}
	towns := b.selected(c)
	b.townYears = len(towns) * len(years)
	var villages []*village
	firsts := make([]int, len(towns))
	for ti, t := range towns {
		firsts[ti] = len(villages)
		for _, v := range c.Villages {
			if v.Town == t {
				villages = append(villages, v)
			}
		}
	}
	// Each village's books are a function of the seed, the years and the
	// village alone, so they are drawn in parallel.
	hists := make([]*history, len(villages))
	err := parallel(ctx, len(villages), runtime.GOMAXPROCS(0), func(ctx context.Context, i int) error {
		h, err := generate(c, villages[i], b.span, plans)
		hists[i] = h
		return err
	})
	if err != nil {
		return nil, err
	}
	if b.people, err = drawPopulation(ctx, c, villages, b.span.To, runtime.GOMAXPROCS(0)); err != nil {
		return nil, err
	}
	b.logf("demo.progress.generated", len(hists), b.span.From, b.span.To, b.opts.Seed)

	sum := &Summary{Seed: b.opts.Seed, FromYear: b.span.From, Year: b.span.To, Engine: b.db.Engine(), Townships: len(towns)}
	if err := b.setupCounty(ctx, towns, villages, sum); err != nil {
		return nil, err
	}
	sum.Years = make([]YearSummary, len(years))
	for k, y := range years {
		sum.Years[k] = YearSummary{Year: y, Villages: make([]VillageIncome, len(villages))}
	}
	counts := make([]counts, len(towns))
	// The users' passwords are hashed beside the townships' books.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wait := passwords(pctx, b.db, b.admin, b.users)
	err = parallel(ctx, len(towns), b.workers(), func(ctx context.Context, ti int) error {
		lo := firsts[ti]
		hi := len(villages)
		if ti+1 < len(towns) {
			hi = firsts[ti+1]
		}
		out := make([][]VillageIncome, len(years))
		for k := range years {
			out[k] = sum.Years[k].Villages[lo:hi]
		}
		return b.township(ctx, towns[ti], hists[lo:hi], b.ids[lo:hi], out, &counts[ti])
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
	sum.People = &People{}
	for _, n := range counts {
		sum.People.add(&n.govCounts)
		sum.Accounts += n.accounts
		sum.Households += n.households
		sum.Assets += n.assets
		sum.AssetCost += n.cost
		sum.IdleAssets += n.idle
		sum.Resources += n.resources
		sum.ResourceArea += n.area
		sum.Contracts += n.contracts
		for k := range years {
			ys, ny := &sum.Years[k], &n.years[k]
			ys.Vouchers += ny.vouchers
			ys.Lines += ny.lines
			ys.ClosingVouchers += ny.closing
			ys.RegisterVouchers += ny.registerVouchers
			ys.Receipts += ny.receipts
			ys.ContractIncome += ny.contractIncome
			ys.Revitalized += ny.revitalized
			ys.NewAssets += ny.assets
			ys.NewContracts += ny.contracts
		}
	}
	for k := range sum.Years {
		ys := &sum.Years[k]
		for _, v := range ys.Villages {
			ys.Income = ys.Income.add(v.Income)
		}
		sum.Vouchers += ys.Vouchers
		sum.Lines += ys.Lines
		sum.ClosingVouchers += ys.ClosingVouchers
		sum.RegisterVouchers += ys.RegisterVouchers
		sum.Receipts += ys.Receipts
	}
	last := sum.Years[len(sum.Years)-1]
	sum.Income, sum.Villages = last.Income, last.Villages
	sum.ContractIncome, sum.Revitalized = last.ContractIncome, last.Revitalized
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

// calm returns ctx without its cancellation, for the build's store calls:
// on a context that can end, both database drivers watch it from a new
// goroutine for every statement, which cost a tenth of the build's time on
// SQLite. The build checks the context itself between store calls, so an
// interrupt still stops it within one call.
func calm(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

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
	accounts, households, assets, idle, resources, contracts int
	area                                                     register.Area
	cost                                                     jiti.Amount
	years                                                    []yearCounts
	govCounts
}

// yearCounts are what one township's books of a year add to it.
type yearCounts struct {
	vouchers, lines, closing, registerVouchers, receipts, revitalized, assets, contracts int
	contractIncome                                                                       jiti.Amount
}

// townBooks is what the store gave a township's records: the ids of each
// village's assets, resources and contracts, by their index in its
// history.
type townBooks struct {
	assets, resources, contracts [][]int64
}

// township keeps one township's books, year after year, as its accountant
// and supervisor: each collective's detail accounts, households and
// opening balances; then every year the registers' events, the vouchers
// imported as drafts, approved, posted; January to November closed; the
// year's income read from each collective's trial balance (into out)
// before year-end closing moves it to 321, and what it leaves to the next
// year checked against the generated books; the year closed.
func (b *builder) township(ctx context.Context, t *township, hs []*history, ids []int64, out [][]VillageIncome, n *counts) error {
	stop := ctx
	ctx = calm(ctx)
	kj, sh := b.accountants[t.Code], b.supervisors[t.Code]
	tbooks := &townBooks{assets: make([][]int64, len(hs)), resources: make([][]int64, len(hs)), contracts: make([][]int64, len(hs))}
	for i, h := range hs {
		if err := b.openBooks(ctx, kj, ids[i], h); err != nil {
			return err
		}
		n.accounts += len(h.Accounts)
		n.households += len(b.households(h))
	}
	if err := b.members(ctx, kj, hs, ids, &n.govCounts); err != nil {
		return err
	}
	n.years = make([]yearCounts, len(b.span.years()))
	for k, year := range b.span.years() {
		ny := &n.years[k]
		books := make([]*villageYear, len(hs))
		for i, h := range hs {
			books[i] = h.Years[k]
		}
		if err := b.registers(ctx, kj, t, hs, k, ids, tbooks, n, ny); err != nil {
			return err
		}
		res, err := b.db.ImportVouchers(ctx, kj, newSource(books, ids), fmt.Sprintf("demo:%s:%d", t.Code, year))
		if err != nil {
			return importError(t.Name, res, err)
		}
		ny.vouchers, ny.lines = res.Vouchers, res.Lines
		jan, dec := jiti.NewPeriod(year, time.January), jiti.NewPeriod(year, time.December)
		for i, cid := range ids {
			if err := stop.Err(); err != nil {
				return err
			}
			vy := books[i]
			v := vy.V
			if _, _, err := b.db.ApproveVouchers(ctx, sh, cid, jan, dec); err != nil {
				return fmt.Errorf("demo: approve %s: %w", v.Region.Code, err)
			}
			if _, err := b.db.PostVouchers(ctx, kj, cid, jan, dec); err != nil {
				return fmt.Errorf("demo: post %s: %w", v.Region.Code, err)
			}
			if k > 0 { // last year's plan, adopted and paid in January
				nv, err := b.distributeYear(ctx, kj, cid, v, year-1, &n.govCounts)
				if err != nil {
					return err
				}
				ny.registerVouchers += nv
			}
			// January to November in one transaction (one commit, not
			// eleven); December closes with the year.
			if err := b.db.ClosePeriods(ctx, kj, cid, jan, dec.Prev()); err != nil {
				return fmt.Errorf("demo: close %d of %s: %w", year, v.Region.Code, err)
			}
			trial, err := b.db.TrialBalance(ctx, cid, jan, dec, false)
			if err != nil {
				return err
			}
			if !trial.Balanced() {
				return fmt.Errorf("demo: trial balance of %s %d does not balance: %+v", v.Region.Code, year, trial.Total)
			}
			if err := checkCarry(trial, vy); err != nil {
				return err
			}
			out[k][i] = VillageIncome{Code: v.Region.Code, Name: v.Region.Name, Township: t.Name, Income: incomeOf(trial)}
			closing, err := b.db.CloseYear(ctx, kj, cid, year)
			if err != nil {
				return fmt.Errorf("demo: close year %d of %s: %w", year, v.Region.Code, err)
			}
			ny.closing += len(closing)
			ny.registerVouchers += vy.DepVouchers
			if year == b.span.To { // the last year's plan, in the January after
				nv, err := b.distributeYear(ctx, kj, cid, v, year, &n.govCounts)
				if err != nil {
					return err
				}
				ny.registerVouchers += nv
			}
		}
		b.mu.Lock()
		b.done++
		done := b.done
		b.mu.Unlock()
		b.logf("demo.progress.township", done, b.townYears, year, t.Name, len(hs), ny.assets, ny.contracts, ny.receipts, res.Vouchers)
	}
	return b.discloseTown(ctx, kj, ids)
}

// checkCarry holds what a year's books leave to the next, read from the
// trial balance, to what the generated books settle in it: the cadres'
// pay in 212, the works and the income received ahead in 211, the
// households' arrears in 113.
func checkCarry(tb *ledger.TrialBalance, vy *villageYear) error {
	closing := func(code string) jiti.Amount {
		if r := tb.Row(code); r != nil {
			return r.Closing()
		}
		return 0
	}
	c := vy.Carry
	for _, x := range []struct {
		code       string
		book, want jiti.Amount
	}{
		{acctWages, -closing(acctWages), c.Wages},
		{acctPayables, -closing(acctPayables), c.Payable + c.Deferred},
		{acctInternal, closing(acctInternal), c.arrearsTotal()},
	} {
		if x.book != x.want {
			return fmt.Errorf("demo: %s closes %d with %s in %s, the generated books with %s", vy.V.Region.Code, vy.Year,
				x.book, x.code, x.want)
		}
	}
	return nil
}

// openBooks gives a collective its detail accounts, households and opening
// balances.
func (b *builder) openBooks(ctx context.Context, kj jiti.UserID, cid int64, h *history) error {
	code := h.V.Region.Code
	accts := make([]store.NewAccount, len(h.Accounts))
	for i, acct := range h.Accounts {
		accts[i] = store.NewAccount{Code: acct, Name: detailNames[acct]}
	}
	if err := b.db.CreateAccounts(ctx, kj, cid, accts); err != nil {
		return fmt.Errorf("demo: %s accounts: %w", code, err)
	}
	if err := b.db.CreateHouseholds(ctx, kj, cid, b.households(h)); err != nil {
		return fmt.Errorf("demo: %s households: %w", code, err)
	}
	if err := b.db.SetOpeningBalances(ctx, kj, cid, h.Opening); err != nil {
		return fmt.Errorf("demo: %s opening balances: %w", code, err)
	}
	return nil
}

// registers enters the register events of year k of a township's
// collectives, as their accountant: in the first year the resources; the
// assets registered in the year in one transaction (those bought with
// their acquisition vouchers); the contracts signed in the year in one,
// each signed as it is registered (which sets its assets' status and its
// land's use); then each receipt recorded, posting its voucher. Month
// close will depreciate the assets, expire the contracts that end and
// recognize the income received for the year before it.
func (b *builder) registers(ctx context.Context, kj jiti.UserID, t *township, hs []*history, k int, ids []int64, tb *townBooks,
	n *counts, ny *yearCounts) error {
	type key struct {
		cid  int64
		code string
	}
	year := b.span.From + k
	if k == 0 {
		var rs []register.Resource
		for i, h := range hs {
			for _, r := range h.Resources {
				r.CollectiveID = ids[i]
				rs = append(rs, r)
				n.area += r.Area
			}
			n.resources += len(h.Resources)
		}
		if err := b.db.CreateResources(ctx, kj, rs); err != nil {
			return fmt.Errorf("demo: resources of %s: %w", t.Name, err)
		}
		found, err := b.db.FindResources(ctx, store.ResourceFilter{Region: t.Code})
		if err != nil {
			return err
		}
		byCode := map[key]int64{}
		for _, r := range found {
			byCode[key{r.CollectiveID, r.Code}] = r.ID
		}
		for i, h := range hs {
			tb.resources[i] = make([]int64, len(h.Resources))
			for j, r := range h.Resources {
				tb.resources[i][j] = byCode[key{ids[i], r.Code}]
			}
		}
	}

	var as []store.AssetInput
	for i, h := range hs {
		vy := h.Years[k]
		for _, ai := range vy.Assets {
			pa := h.Assets[ai]
			a := pa.A
			a.CollectiveID = ids[i]
			as = append(as, store.AssetInput{Asset: a, Credit: pa.Credit})
			if a.Status == register.Idle {
				n.idle++
			}
			if pa.Credit != "" {
				ny.registerVouchers++
			}
		}
		ny.assets += len(vy.Assets)
		n.assets += len(vy.Assets)
	}
	if len(as) > 0 {
		if err := b.db.CreateAssets(ctx, kj, as); err != nil {
			return fmt.Errorf("demo: assets of %s: %w", t.Name, err)
		}
		found, err := b.db.FindAssets(ctx, store.AssetFilter{Region: t.Code})
		if err != nil {
			return err
		}
		byCode := map[key]int64{}
		for _, a := range found {
			byCode[key{a.CollectiveID, a.Code}] = a.ID
		}
		for i, h := range hs {
			for len(tb.assets[i]) < len(h.Assets) {
				tb.assets[i] = append(tb.assets[i], 0)
			}
			for _, ai := range h.Years[k].Assets {
				tb.assets[i][ai] = byCode[key{ids[i], h.Assets[ai].A.Code}]
				n.cost += h.Assets[ai].A.Cost
			}
		}
	}

	var ins []store.ContractInput
	var of [][2]int // village and contract index of each input
	for i, h := range hs {
		for _, ci := range h.Years[k].Contracts {
			pc := h.Contracts[ci]
			c := pc.C
			c.CollectiveID = ids[i]
			c.Subjects = nil
			if pc.Asset >= 0 {
				c.Subjects = append(c.Subjects, register.Subject{AssetID: tb.assets[i][pc.Asset]})
			}
			for _, l := range pc.Lands {
				c.Subjects = append(c.Subjects, register.Subject{ResourceID: tb.resources[i][l.Resource], Area: l.Area})
			}
			if pc.Revives && pc.SignOn.Year == year {
				ny.revitalized++
			}
			ins = append(ins, store.ContractInput{Contract: c, SignOn: pc.SignOn})
			of = append(of, [2]int{i, ci})
		}
	}
	if err := b.contractDecisions(ctx, kj, ins); err != nil {
		return err
	}
	if len(ins) > 0 {
		cs, err := b.db.CreateContracts(ctx, kj, ins)
		if errors.Is(err, store.ErrNoKey) {
			return fmt.Errorf("demo: contracts of %s: the contracts with persons hold identity numbers, which the store seals "+
				"with its key: open the database with store.Options.Key: %w", t.Name, err)
		}
		if err != nil {
			return fmt.Errorf("demo: contracts of %s: %w", t.Name, err)
		}
		for x, c := range cs {
			i, ci := of[x][0], of[x][1]
			for len(tb.contracts[i]) <= ci {
				tb.contracts[i] = append(tb.contracts[i], 0)
			}
			tb.contracts[i][ci] = c.ID
		}
		ny.contracts += len(cs)
		n.contracts += len(cs)
	}
	for i, h := range hs {
		vy := h.Years[k]
		for _, r := range vy.Receipts {
			id := tb.contracts[i][r.Contract]
			if _, err := b.db.RecordReceipt(ctx, kj, id, store.ReceiptInput{Date: r.R.Date, Amount: r.R.Amount, Account: acctBank}); err != nil {
				return fmt.Errorf("demo: %s receipt of %s on contract %s: %w", h.V.Region.Code, r.R.Amount, h.Contracts[r.Contract].C.Code, err)
			}
			ny.contractIncome += r.R.Income
		}
		recognized := false
		for _, pc := range h.Contracts {
			ny.contractIncome += pc.Recognized[year]
			recognized = recognized || pc.Recognized[year] > 0
		}
		if recognized {
			ny.registerVouchers++ // January's, one voucher of the collective
		}
		ny.receipts += len(vy.Receipts)
		ny.registerVouchers += len(vy.Receipts)
	}
	return nil
}

// setupCounty creates the administrator, the region tree, the users of
// the townships and the collectives of the villages.
func (b *builder) setupCounty(ctx context.Context, towns []*township, villages []*village, sum *Summary) error {
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
	for _, t := range towns {
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
	sum.Users = 1 + 2*len(towns)
	// The county's lowest rent of land leases, against which the hills'
	// contracts are warned about.
	for _, y := range b.span.years() {
		if err := db.SetRentBenchmark(ctx, b.admin, CountyCode, y, jiti.Yuan(hillBenchmark)); err != nil {
			return err
		}
	}
	opened := jiti.Date{Year: b.span.From, Month: time.January, Day: 1}
	cs := make([]jiti.Collective, len(villages))
	for i, v := range villages {
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
	county := jiti.Region{Code: CountyCode, Name: CountyCode}
	for _, r := range regions {
		if r.Code == CountyCode {
			county = r
		}
	}
	town := villages[0].Town
	ins, made, err := signIns(ctx, db, roster{admin: b.admin, region: county, town: jiti.Region{Code: town.Code, Name: town.Name},
		village: villages[0].Region, collective: cs[0]})
	if err != nil {
		return err
	}
	sum.SignIns, sum.Users = ins, sum.Users+len(made)
	// Every user of the county gets the demo password.
	b.users = []jiti.UserID{b.admin}
	for _, t := range towns {
		b.users = append(b.users, b.supervisors[t.Code], b.accountants[t.Code])
	}
	b.users = append(b.users, made...)
	b.logf("demo.progress.county", sum.Regions, sum.Users, sum.Collectives)
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

// YearSummary is what Build made of one year, with the county's income
// of the year read back from the books.
type YearSummary struct {
	Year             int             `json:"year"`
	Vouchers         int             `json:"vouchers"` // imported, approved and posted
	Lines            int             `json:"lines"`
	ClosingVouchers  int             `json:"closing_vouchers"`
	RegisterVouchers int             `json:"register_vouchers"` // acquisitions, receipts, depreciation, recognitions
	NewAssets        int             `json:"new_assets"`        // registered in the year
	NewContracts     int             `json:"new_contracts"`     // signed in the year
	Revitalized      int             `json:"revitalized"`       // idle assets put to use by a contract signed in the year
	Receipts         int             `json:"receipts"`
	ContractIncome   jiti.Amount     `json:"contract_income"` // of the year, 501 + 502: receipts and January's recognitions
	Income           Income          `json:"income"`          // the county's: the sum of the villages'
	Villages         []VillageIncome `json:"villages"`        // each collective's, from its trial balance before closing, by code
}

// Summary is what Build made, with the county's income read back from the
// books, year by year.
type Summary struct {
	Seed            int64   `json:"seed"`
	FromYear        int     `json:"from_year"`
	Year            int     `json:"year"` // the last
	Engine          string  `json:"engine"`
	Regions         int     `json:"regions"`
	Townships       int     `json:"townships"`
	Collectives     int     `json:"collectives"`
	Users           int     `json:"users"`
	Households      int     `json:"households"`
	People          *People `json:"people,omitempty"` // members, shares, distributions (members.go)
	Accounts        int     `json:"accounts"`         // detail accounts created
	Vouchers        int     `json:"vouchers"`         // imported, approved and posted, over the years
	Lines           int     `json:"lines"`
	ClosingVouchers int     `json:"closing_vouchers"`
	// The registers at the end: assets (and those idle when the books
	// opened), resources, contracts; over the years the receipts and the
	// vouchers the store posted for the registers (acquisitions,
	// receipts, depreciation at month close, recognitions).
	Assets           int           `json:"assets"`
	AssetCost        jiti.Amount   `json:"asset_cost"`
	IdleAssets       int           `json:"idle_assets"`
	Resources        int           `json:"resources"`
	ResourceArea     register.Area `json:"resource_area"` // mu
	Contracts        int           `json:"contracts"`
	Receipts         int           `json:"receipts"`
	RegisterVouchers int           `json:"register_vouchers"`
	// Of the last year: the contracts' income, the assets revitalized, the
	// county's income and each village's.
	ContractIncome jiti.Amount     `json:"contract_income"`
	Revitalized    int             `json:"revitalized"`
	Income         Income          `json:"income"`
	Villages       []VillageIncome `json:"villages"`
	Years          []YearSummary   `json:"years"`
	// SignIns are users to sign in as, one of each role, all with the
	// demo Password.
	SignIns []SignIn      `json:"sign_ins"`
	Elapsed time.Duration `json:"elapsed"`
}

// YearOf returns the summary of year, or nil.
func (s *Summary) YearOf(year int) *YearSummary {
	for i := range s.Years {
		if s.Years[i].Year == year {
			return &s.Years[i]
		}
	}
	return nil
}

// PerVillage returns the county's total income of the last year per
// village, rounded to the fen.
func (s *Summary) PerVillage() jiti.Amount {
	if s.Collectives == 0 {
		return 0
	}
	a, _ := s.Income.Total().MulRatio(1, int64(s.Collectives))
	return a
}

// CountOperatingType returns how many villages had operating-type income
// in [lo, hi) yuan in the last year; hi ≤ 0 means no upper bound.
func (s *Summary) CountOperatingType(lo, hi jiti.Amount) int {
	return countBand(s.Villages, lo, hi)
}

// CountOperatingType returns how many villages had operating-type income
// in [lo, hi) yuan in the year; hi ≤ 0 means no upper bound.
func (y *YearSummary) CountOperatingType(lo, hi jiti.Amount) int {
	return countBand(y.Villages, lo, hi)
}

func countBand(vs []VillageIncome, lo, hi jiti.Amount) int {
	n := 0
	for _, v := range vs {
		o := v.Income.OperatingType()
		if o >= lo && (hi <= 0 || o < hi) {
			n++
		}
	}
	return n
}

// Tiers are the demo's bands of operating-type income, the county
// defaults of statistics.md: none (空壳村), under 50,000, 50,000–100,000,
// 100,000–300,000, 300,000–500,000, 500,000–1,000,000, 1,000,000 and over.
var Tiers = []jiti.Amount{1, jiti.Yuan(50_000), jiti.Yuan(100_000), jiti.Yuan(300_000), jiti.Yuan(500_000), jiti.Yuan(1_000_000)}

// TierOf returns the band of operating-type income a: 0 for none, 1 for
// under 50,000 yuan, … 6 for 1,000,000 and over.
func TierOf(a jiti.Amount) int {
	n := 0
	for _, t := range Tiers {
		if a >= t {
			n++
		}
	}
	return n
}

// Moves counts how the villages moved between tiers of operating-type
// income from one year to another.
type Moves struct {
	Up, Down, Same int
	Started        int // had none in the first year and some in the second: former 空壳村
	WeakFrom       int // under 100,000 yuan in the first year (weak villages)
	WeakTo         int // and in the second
}

// Moves returns how the villages moved between tiers from year from to
// year to.
func (s *Summary) Moves(from, to int) Moves {
	var m Moves
	a, b := s.YearOf(from), s.YearOf(to)
	if a == nil || b == nil {
		return m
	}
	weak := jiti.Yuan(100_000)
	for i := range a.Villages {
		x, y := a.Villages[i].Income.OperatingType(), b.Villages[i].Income.OperatingType()
		switch tx, ty := TierOf(x), TierOf(y); {
		case ty > tx:
			m.Up++
		case ty < tx:
			m.Down++
		default:
			m.Same++
		}
		if x <= 0 && y > 0 {
			m.Started++
		}
		if x < weak {
			m.WeakFrom++
		}
		if y < weak {
			m.WeakTo++
		}
	}
	return m
}

// String reports the summary in Chinese, for the command line.
func (s *Summary) String() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("会宁县村集体经济演示数据：%d–%d 年，随机种子 %d，数据库 %s", s.FromYear, s.Year, s.Seed, s.Engine)
	w("  区划 %d 个（乡镇 %d 个），集体经济组织 %d 个，用户 %d 个，农户 %d 户，明细科目 %d 个",
		s.Regions, s.Townships, s.Collectives, s.Users, s.Households, s.Accounts)
	w("  记账凭证 %d 张（分录 %d 行），资产、合同及折旧凭证 %d 张，年终结账凭证 %d 张", s.Vouchers, s.Lines, s.RegisterVouchers, s.ClosingVouchers)
	w("  资产 %d 项（原值 %s 万元；建账时闲置 %d 项），资源 %d 宗（%s 亩），合同 %d 份（收款 %d 笔）",
		s.Assets, s.AssetCost.Wan(), s.IdleAssets, s.Resources, s.ResourceArea, s.Contracts, s.Receipts)
	for i := range s.Years {
		y := &s.Years[i]
		in := y.Income
		w("  %d 年全县村集体收入（据账簿，不含结账凭证）：总收入 %s 元，经营性收入 %s 元（经营收入 %s，投资收益 %s），补助收入 %s 元，其他收入 %s 元",
			y.Year, in.Total().Grouped(), in.OperatingType().Grouped(), in.Operating.Grouped(), in.Investment.Grouped(),
			in.Subsidy.Grouped(), in.Other.Grouped())
		w("    合同收入 %s 万元，本年盘活闲置资产 %d 项；经营性收入：100 万元以上 %d 个村，50–100 万元 %d 个，10–50 万元 %d 个，5–10 万元 %d 个，5 万元以下 %d 个（其中空壳村 %d 个）",
			y.ContractIncome.Wan(), y.Revitalized, y.CountOperatingType(jiti.Yuan(1_000_000), 0),
			y.CountOperatingType(jiti.Yuan(500_000), jiti.Yuan(1_000_000)), y.CountOperatingType(jiti.Yuan(100_000), jiti.Yuan(500_000)),
			y.CountOperatingType(jiti.Yuan(50_000), jiti.Yuan(100_000)), y.CountOperatingType(0, jiti.Yuan(50_000)), y.CountOperatingType(0, 1))
		if i > 0 {
			m := s.Moves(s.Years[i-1].Year, y.Year)
			w("    较上年：升档 %d 个村，降档 %d 个，不变 %d 个；上年空壳村今年有经营性收入 %d 个；10 万元以下 %d 个（上年 %d 个）",
				m.Up, m.Down, m.Same, m.Started, m.WeakTo, m.WeakFrom)
		}
	}
	if s.People != nil {
		w("%s", s.People)
	}
	w("  村均总收入 %s 元", s.PerVillage().Grouped())
	if s.Elapsed > 0 {
		w("  用时 %.1f 秒", s.Elapsed.Seconds())
	}
	return b.String()
}

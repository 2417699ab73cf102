package cli

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/demo"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(command{"bench", "cmd.bench", runBench})
}

// runBench measures the performance figures of the books against their
// references, side by side in one run (this machine is noisy, so ratios
// are what count): import against raw inserts, posting rates, the trial
// balance against recomputing it from lines, and jiti against hledger.
func runBench(e *env, args []string) error {
	var o opts
	fs := e.flags("bench", &o)
	pg := fs.String("pg", e.getenv("JITI_BENCH_POSTGRES"), e.p.T("flag.bench_pg"))
	lines := fs.Int("lines", 2_000_000, e.p.T("flag.bench_lines"))
	bookLines := fs.Int("book-lines", 1_000_000, e.p.T("flag.bench_book_lines"))
	only := fs.String("only", "import,post,tb,stats,export,hledger", e.p.T("flag.bench_only"))
	dir := fs.String("dir", "", e.p.T("flag.bench_dir"))
	engineList := fs.String("engine", "sqlite,postgres", e.p.T("flag.bench_engine"))
	provinceN := fs.Int("province-collectives", demo.DefaultCollectives, e.p.T("flag.bench_province"))
	provinceYears := fs.Int("province-years", demo.DefaultYears, e.p.T("flag.bench_province_years"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "jiti-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	b := &bencher{e: e, dir: *dir, pg: *pg, out: e.stdout}
	var engines []string
	for _, en := range strings.Split(*engineList, ",") {
		if en = strings.TrimSpace(en); en == "sqlite" || (en == "postgres" && *pg != "") {
			engines = append(engines, en)
		}
	}
	want := map[string]bool{}
	for _, s := range strings.Split(*only, ",") {
		want[strings.TrimSpace(s)] = true
	}
	fmt.Fprintf(b.out, "jiti bench: %s, %d CPUs, %s\n", runtime.Version(), runtime.NumCPU(), time.Now().Format(time.RFC3339))
	for _, engine := range engines {
		if want["import"] {
			if err := b.importBench(engine, *lines); err != nil {
				return err
			}
		}
		if want["live"] && engine == "sqlite" {
			if err := b.liveImportBench(*lines); err != nil {
				return err
			}
		}
		if want["post"] {
			if err := b.postBench(engine); err != nil {
				return err
			}
		}
		if want["tb"] {
			if err := b.trialBalanceBench(engine); err != nil {
				return err
			}
		}
		if want["stats"] {
			if err := b.statsBench(engine); err != nil {
				return err
			}
		}
		if want["province"] {
			if err := b.provinceBench(engine, *provinceN, *provinceYears); err != nil {
				return err
			}
		}
	}
	for _, engine := range engines {
		if want["export"] {
			if err := b.exportBench(engine, *bookLines); err != nil {
				return err
			}
		}
	}
	if want["hledger"] {
		return b.hledgerBench(*bookLines)
	}
	return nil
}

// openEmpty returns a fresh migrated database on engine and the function
// that drops it.
func (b *bencher) openEmpty(engine string) (*store.DB, func(), error) {
	db, drop, _, err := b.openEmptyAt(engine)
	return db, drop, err
}

// openEmptyAt is openEmpty that also returns the database's file (SQLite)
// or URL.
func (b *bencher) openEmptyAt(engine string) (*store.DB, func(), string, error) {
	ctx := b.e.ctx
	b.seq++
	drop := func() {}
	dsn := filepath.Join(b.dir, fmt.Sprintf("bench%d.db", b.seq))
	if engine == "postgres" {
		name := fmt.Sprintf("jiti_bench_%d_%d", os.Getpid(), b.seq)
		admin, err := sql.Open("pgx", b.pg)
		if err != nil {
			return nil, nil, "", err
		}
		if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
			admin.Close()
			return nil, nil, "", err
		}
		u, err := url.Parse(b.pg)
		if err != nil {
			return nil, nil, "", err
		}
		u.Path = "/" + name
		dsn = u.String()
		drop = func() {
			admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			admin.Close()
		}
	}
	// A fixed key: the demo seals members' identity numbers.
	db, err := b.e.openStore(dsn, store.Options{Migrate: true, Key: []byte("jiti-bench-key-0123456789abcdef!")}, b.e.unsafeDurability())
	if err != nil {
		drop()
		return nil, nil, "", err
	}
	return db, drop, dsn, nil
}

type bencher struct {
	e   *env
	dir string
	pg  string
	out io.Writer
	seq int
}

// benchBooks is a fresh database with a county, n village collectives with
// the detail accounts the generated vouchers use, an accountant and an
// approver.
type benchBooks struct {
	db         *store.DB
	drop       func()
	accountant jiti.UserID
	approver   jiti.UserID
	cs         []jiti.Collective
	dsn        string // the database's file or URL
}

func (b *bencher) open(engine string, n int) (*benchBooks, error) {
	ctx := b.e.ctx
	db, drop, dsn, err := b.openEmptyAt(engine)
	if err != nil {
		return nil, err
	}
	bb := &benchBooks{drop: drop, dsn: dsn}
	bb.db = db
	// The books run in 2025; close-dependent checks need the clock after it.
	db.Now = func() time.Time { return time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC) }
	admin, err := db.CreateUser(ctx, 0, jiti.User{Name: "admin", Role: jiti.RoleCountyAdmin})
	if err != nil {
		return nil, err
	}
	rs := []jiti.Region{{Code: "620422", Name: "会宁县", Level: jiti.County}, {Code: "620422100", Name: "会师镇", Level: jiti.Township, Parent: "620422"}}
	var cs []jiti.Collective
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("620422100%03d", 201+i)
		rs = append(rs, jiti.Region{Code: code, Name: fmt.Sprintf("第%d村", i+1), Level: jiti.Village, Parent: "620422100"})
		cs = append(cs, jiti.Collective{Name: fmt.Sprintf("第%d村股份经济合作社", i+1), RegionCode: code, Level: jiti.LevelVillage,
			BooksOpenedOn: jiti.MustDate("2025-01-01")})
	}
	if err := db.CreateRegions(ctx, admin.ID, rs); err != nil {
		return nil, err
	}
	if bb.cs, err = db.CreateCollectives(ctx, admin.ID, cs); err != nil {
		return nil, err
	}
	acc, err := db.CreateUser(ctx, admin.ID, jiti.User{Name: "kj", Role: jiti.RoleAgencyAccountant, ScopeRegion: "620422100"})
	if err != nil {
		return nil, err
	}
	appr, err := db.CreateUser(ctx, admin.ID, jiti.User{Name: "sh", Role: jiti.RoleTownshipSupervisor, ScopeRegion: "620422100"})
	if err != nil {
		return nil, err
	}
	bb.accountant, bb.approver = acc.ID, appr.ID
	for _, c := range bb.cs {
		for _, a := range [][2]string{{"10201", "农商银行基本户"}, {"50101", "租赁收入"}, {"50102", "服务收入"}} {
			if _, err := db.CreateAccount(ctx, acc.ID, c.ID, a[0], a[1]); err != nil {
				return nil, err
			}
		}
	}
	return bb, nil
}

func (bb *benchBooks) close() {
	bb.db.Close()
	bb.drop()
}

// writeVoucherCSV writes a voucher file of n lines (four per voucher) for
// the collective with the given code, dated over 2025, streaming.
func writeVoucherCSV(path, collective string, n int, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(seed, 1))
	fmt.Fprintln(w, "凭证号,单位编码,日期,附件数,摘要,科目编码,借方金额,贷方金额,往来单位")
	for k := 1; k*4 <= n; k++ {
		date := fmt.Sprintf("2025-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28))
		rent := jiti.Amount(10000 + rng.Int64N(50_000_00))
		cost := jiti.Amount(1000 + rng.Int64N(int64(rent)/2))
		fmt.Fprintf(w, "%d,%s,%s,%d,收取门面租金,10201,%s,,会宁县某商贸公司\n", k, collective, date, rng.IntN(4), rent)
		fmt.Fprintf(w, "%d,%s,%s,,收取门面租金,50101,,%s,\n", k, collective, date, rent)
		fmt.Fprintf(w, "%d,%s,%s,,支付水电费,513,%s,,国网会宁县供电公司\n", k, collective, date, cost)
		fmt.Fprintf(w, "%d,%s,%s,,支付水电费,101,,%s,\n", k, collective, date, cost)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// importFile imports a voucher file exactly as `jiti import vouchers` does.
func (b *bencher) importFile(bb *benchBooks, path string) (*store.ImportResult, error) {
	return importVoucherFile(b.e, bb.db, bb.accountant, path, nil, false)
}

// importBench compares importing n voucher lines from CSV with inserting n
// rows raw, and reports the peak memory of the import.
func (b *bencher) importBench(engine string, n int) error {
	ctx := b.e.ctx
	bb, err := b.open(engine, 1)
	if err != nil {
		return err
	}
	defer bb.close()
	path := filepath.Join(b.dir, "import.csv")
	if err := writeVoucherCSV(path, bb.cs[0].Code, n, 1); err != nil {
		return err
	}
	defer os.Remove(path)
	raw, err := bb.db.RawInsert(ctx, n)
	if err != nil {
		return err
	}
	load := loadAverage()
	runtime.GC()
	resetPeakRSS()
	peak := sampleHeap()
	start := time.Now()
	res, err := b.importFile(bb, path)
	took := time.Since(start)
	heap := peak()
	if err != nil {
		return fmt.Errorf("import: %w (%v)", err, res.Errors)
	}
	rawRate := float64(n) / raw.Seconds()
	impRate := float64(res.Lines) / took.Seconds()
	fmt.Fprintf(b.out, "\n[%s] import of %d lines (%d vouchers) from CSV (load %s)\n", engine, res.Lines, res.Vouchers, load)
	fmt.Fprintf(b.out, "  raw insert, one index:  %8.0f rows/s  (%v)\n", rawRate, raw.Round(time.Millisecond))
	fmt.Fprintf(b.out, "  jiti import:            %8.0f lines/s (%v)\n", impRate, took.Round(time.Millisecond))
	fmt.Fprintf(b.out, "  ratio import/raw:       %8.2f   (target ≥ 0.50)\n", impRate/rawRate)
	fmt.Fprintf(b.out, "  peak RSS during import: %8.0f MB   peak Go heap: %.0f MB (target < 200 MB)\n", peakRSSMB(), float64(heap)/(1<<20))
	return nil
}

// approvedVouchers imports n four-line vouchers for each collective and
// approves them, returning their ids per collective.
func (b *bencher) approvedVouchers(bb *benchBooks, perCollective int) ([][]int64, error) {
	ctx := b.e.ctx
	out := make([][]int64, len(bb.cs))
	for i, c := range bb.cs {
		path := filepath.Join(b.dir, "post.csv")
		if err := writeVoucherCSV(path, c.Code, perCollective*4, uint64(i+7)); err != nil {
			return nil, err
		}
		res, err := b.importFile(bb, path)
		if err != nil {
			return nil, err
		}
		if _, _, err := bb.db.ApproveVouchers(ctx, bb.approver, c.ID, jiti.MustPeriod("2025-01"), jiti.MustPeriod("2025-12")); err != nil {
			return nil, err
		}
		for id := res.FirstID; id <= res.LastID; id++ {
			out[i] = append(out[i], id)
		}
		if len(out[i]) != res.Vouchers {
			// PostgreSQL ids may skip; read them back instead.
			vs, _, err := bb.db.FindVouchers(ctx, store.VoucherFilter{CollectiveID: c.ID, Status: ledger.Approved, Limit: -1})
			if err != nil {
				return nil, err
			}
			out[i] = out[i][:0]
			for _, v := range vs {
				out[i] = append(out[i], v.ID)
			}
		}
	}
	return out, nil
}

// postWriters posts the given vouchers one at a time through the store, one
// goroutine per list, and returns the vouchers posted per second.
func (b *bencher) postWriters(bb *benchBooks, lists [][]int64) (float64, error) {
	var wg sync.WaitGroup
	errs := make(chan error, len(lists))
	total := 0
	start := time.Now()
	for _, ids := range lists {
		total += len(ids)
		wg.Add(1)
		go func(ids []int64) {
			defer wg.Done()
			for _, id := range ids {
				if _, err := bb.db.PostVoucher(b.e.ctx, bb.accountant, id); err != nil {
					errs <- err
					return
				}
			}
		}(ids)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return float64(total) / time.Since(start).Seconds(), nil
}

// postBench measures posting one voucher at a time: one writer, eight
// writers each on its own collective, and eight writers sharing two
// collectives (four on each), next to the reference of the same database:
// one-row commits a second with one client and with eight (CommitRate).
func (b *bencher) postBench(engine string) error {
	const per = 1500
	ctx := b.e.ctx
	bb, err := b.open(engine, 11)
	if err != nil {
		return err
	}
	defer bb.close()
	ids, err := b.approvedVouchers(bb, per)
	if err != nil {
		return err
	}
	load := loadAverage()
	ref1, err := bb.db.CommitRate(ctx, 1, 2*time.Second)
	if err != nil {
		return err
	}
	ref8, err := bb.db.CommitRate(ctx, 8, 2*time.Second)
	if err != nil {
		return err
	}
	trips, stmts := bb.db.RoundTrips(), bb.db.Statements()
	one, err := b.postWriters(bb, ids[:1])
	if err != nil {
		return err
	}
	trips, stmts = bb.db.RoundTrips()-trips, bb.db.Statements()-stmts
	eight, err := b.postWriters(bb, ids[1:9])
	if err != nil {
		return err
	}
	var shared [][]int64
	for _, list := range ids[9:11] {
		for w := 0; w < 4; w++ {
			var part []int64
			for i := w; i < len(list); i += 4 {
				part = append(part, list[i])
			}
			shared = append(shared, part)
		}
	}
	two, err := b.postWriters(bb, shared)
	if err != nil {
		return err
	}
	rep, err := bb.db.Verify(ctx, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(b.out, "\n[%s] posting one voucher at a time (PostVoucher), %d vouchers per collective; load average %s, then %s\n",
		engine, per, load, loadAverage())
	fmt.Fprintf(b.out, "  reference, one-row commits:  %8.0f /s with 1 client, %.0f /s with 8\n", ref1, ref8)
	fmt.Fprintf(b.out, "  1 writer:                    %8.0f vouchers/s  %.2f of 1-client commits (target ≥ 1,000)\n", one, one/ref1)
	fmt.Fprintf(b.out, "  8 writers, own collectives:  %8.0f vouchers/s  %.2f of 8-client commits (target ≥ 3,000 on PostgreSQL)\n", eight, eight/ref8)
	fmt.Fprintf(b.out, "  8 writers, two collectives:  %8.0f vouchers/s  %.2f× one writer (target ≥ 2 on PostgreSQL)\n", two, two/one)
	if engine == "postgres" {
		fmt.Fprintf(b.out, "  round trips per voucher:     %8.1f\n", float64(trips)/float64(len(ids[0])))
		fmt.Fprintf(b.out, "  statements per voucher:      %8.1f\n", float64(stmts)/float64(len(ids[0])))
	}
	fmt.Fprintf(b.out, "  verify after: %d problems\n", len(rep.Problems))
	return nil
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes, as
// uptime shows it, or "?" where the system does not tell.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// trialBalanceBench compares the trial balance of one collective-year from
// the stored monthly balances with recomputing it from the voucher lines.
func (b *bencher) trialBalanceBench(engine string) error {
	const vouchers = 5000 // 20,000 lines: a large village's year
	ctx := b.e.ctx
	bb, err := b.open(engine, 1)
	if err != nil {
		return err
	}
	defer bb.close()
	if _, err := b.approvedVouchers(bb, vouchers); err != nil {
		return err
	}
	cid := bb.cs[0].ID
	from, to := jiti.MustPeriod("2025-01"), jiti.MustPeriod("2025-12")
	if _, err := bb.db.PostVouchers(ctx, bb.accountant, cid, from, to); err != nil {
		return err
	}
	fast, err := bb.db.TrialBalance(ctx, cid, from, to, false)
	if err != nil {
		return err
	}
	slow, err := bb.db.TrialBalanceFromLines(ctx, cid, from, to)
	if err != nil {
		return err
	}
	if fast.Total != slow.Total {
		return fmt.Errorf("bench: trial balances differ: %+v vs %+v", fast.Total, slow.Total)
	}
	var benchErr error
	fastNs := testing.Benchmark(func(tb *testing.B) {
		for tb.Loop() {
			if _, err := bb.db.TrialBalance(ctx, cid, from, to, false); err != nil {
				benchErr = err
			}
		}
	}).NsPerOp()
	slowNs := testing.Benchmark(func(tb *testing.B) {
		for tb.Loop() {
			if _, err := bb.db.TrialBalanceFromLines(ctx, cid, from, to); err != nil {
				benchErr = err
			}
		}
	}).NsPerOp()
	if benchErr != nil {
		return benchErr
	}
	fmt.Fprintf(b.out, "\n[%s] trial balance of one collective-year (%d vouchers, %d lines)\n", engine, vouchers, vouchers*4)
	fmt.Fprintf(b.out, "  from monthly balances:  %8.3f ms (target < 2 ms)\n", float64(fastNs)/1e6)
	fmt.Fprintf(b.out, "  recomputed from lines:  %8.3f ms\n", float64(slowNs)/1e6)
	fmt.Fprintf(b.out, "  ratio:                  %8.1f×  (target ≥ 20×)\n", float64(slowNs)/float64(fastNs))
	return nil
}

// statsBench builds the demo county and times its statistics (284
// collectives, all lines, tiers, townships) from the yearly turnover
// against the same figures aggregated from voucher lines.
func (b *bencher) statsBench(engine string) error {
	ctx := b.e.ctx
	db, drop, err := b.openEmpty(engine)
	if err != nil {
		return err
	}
	defer func() { db.Close(); drop() }()
	db.Now = func() time.Time { return time.Date(demo.DefaultYear+1, 1, 15, 9, 0, 0, 0, time.UTC) }
	start := time.Now()
	sum, err := demo.Build(ctx, db, demo.Options{Seed: 1, FromYear: demo.DefaultYear - 1, Year: demo.DefaultYear})
	if err != nil {
		return err
	}
	built := time.Since(start)
	const region = "620422"
	fast, err := db.Stats(ctx, region, sum.Year)
	if err != nil {
		return err
	}
	slow, err := db.StatsFromLines(ctx, region, sum.Year)
	if err != nil {
		return err
	}
	for i := range fast.Lines {
		if fast.Lines[i] != slow.Lines[i] {
			return fmt.Errorf("bench: statistics differ on %s: %+v vs %+v", fast.Lines[i].Key, fast.Lines[i], slow.Lines[i])
		}
	}
	fastNs, slowNs, err := sideBySide(
		func() error { _, err := db.Stats(ctx, region, sum.Year); return err },
		func() error { _, err := db.StatsFromLines(ctx, region, sum.Year); return err })
	if err != nil {
		return err
	}
	fmt.Fprintf(b.out, "\n[%s] county roll-up of the demo (%d collectives, %d vouchers, %d lines; built in %.1f s)\n",
		engine, fast.Collectives, sum.Vouchers, sum.Lines, built.Seconds())
	fmt.Fprintf(b.out, "  from yearly turnover:   %8.3f ms (target < 20 ms on SQLite)\n", float64(fastNs)/1e6)
	fmt.Fprintf(b.out, "  from voucher lines:     %8.3f ms\n", float64(slowNs)/1e6)
	fmt.Fprintf(b.out, "  ratio:                  %8.1f×  (target ≥ 50×)\n", float64(slowNs)/float64(fastNs))
	return nil
}

// provinceBench builds the synthetic province (16,000 collectives in 14
// cities, ten years of light books) and times the roll-up of its last year
// at each level: the province with its cities, a city with its counties, a
// county with its townships.
func (b *bencher) provinceBench(engine string, collectives, years int) error {
	ctx := b.e.ctx
	db, drop, at, err := b.openEmptyAt(engine)
	if err != nil {
		return err
	}
	defer func() { db.Close(); drop() }()
	sum, err := demo.BuildProvince(ctx, db, demo.ProvinceOptions{Seed: 1, Collectives: collectives, Years: years})
	if err != nil {
		return err
	}
	size, err := demo.DatabaseSize(ctx, db, at)
	if err != nil {
		return err
	}
	fmt.Fprintf(b.out, "\n[%s] province: %d collectives in %d cities, %d–%d, %d vouchers, %d lines; built in %.0f s, %.0f MB\n",
		engine, sum.Collectives, sum.Cities, sum.FromYear, sum.Year, sum.Vouchers, sum.Lines, sum.Elapsed.Seconds(), float64(size)/(1<<20))
	// The province, its first city, that city's first county.
	regions := []string{"62"}
	for len(regions) < 3 {
		last := regions[len(regions)-1]
		below, err := db.FindRegions(ctx, last, 1)
		if err != nil {
			return err
		}
		next := ""
		for _, r := range below {
			if r.Code != last {
				next = r.Code
				break
			}
		}
		if next == "" {
			break
		}
		regions = append(regions, next)
	}
	for _, code := range regions {
		r, err := db.Stats(ctx, code, sum.Year)
		if err != nil {
			return err
		}
		ns := testing.Benchmark(func(tb *testing.B) {
			for tb.Loop() {
				if _, err := db.Stats(ctx, code, sum.Year); err != nil {
					tb.Fatal(err)
				}
			}
		}).NsPerOp()
		fmt.Fprintf(b.out, "  roll-up of %-10s %-12s %6d collectives, %3d children: %8.1f ms (target < 500 ms)\n",
			code, r.Region.Name, r.Collectives, len(r.Children), float64(ns)/1e6)
	}
	return nil
}

// sideBySide times fast and slow with testing.Benchmark, alternating
// three rounds so that the machine's noise falls on both alike, and
// returns the median nanoseconds per call of each.
func sideBySide(fast, slow func() error) (int64, int64, error) {
	var benchErr error
	run := func(f func() error) int64 {
		return testing.Benchmark(func(tb *testing.B) {
			for tb.Loop() {
				if err := f(); err != nil {
					benchErr = err
				}
			}
		}).NsPerOp()
	}
	var fs, ss []time.Duration
	for range 3 {
		fs = append(fs, time.Duration(run(fast)))
		ss = append(ss, time.Duration(run(slow)))
	}
	return int64(median(fs)), int64(median(ss)), benchErr
}

// hledgerBench builds a book of n lines on SQLite and times `jiti report
// trial-balance` against `hledger balance` on the exported journal.
func (b *bencher) hledgerBench(n int) error {
	ctx := b.e.ctx
	hl, err := exec.LookPath("hledger")
	if err != nil {
		fmt.Fprintln(b.out, "\n[hledger] skipped: hledger is not installed")
		return nil
	}
	bb, err := b.open("sqlite", 1)
	if err != nil {
		return err
	}
	defer bb.close()
	c := bb.cs[0]
	if err := b.postedBook(bb, c, n); err != nil {
		return err
	}
	dsn := filepath.Join(b.dir, fmt.Sprintf("bench%d.db", b.seq))
	bb.db.Close()
	run := func(args ...string) (time.Duration, error) {
		start := time.Now()
		code := Run(ctx, args, strings.NewReader(""), io.Discard, io.Discard, func(k string) string {
			if k == "JITI_DB" {
				return dsn
			}
			return ""
		})
		if code != 0 {
			return 0, fmt.Errorf("bench: jiti %s: exit %d", strings.Join(args, " "), code)
		}
		return time.Since(start), nil
	}
	var times []time.Duration
	for i := 0; i < 5; i++ {
		d, err := run("report", "trial-balance", "-c", c.Code, "-from", "2025-01", "-to", "2025-12")
		if err != nil {
			return err
		}
		times = append(times, d)
	}
	journal := filepath.Join(b.dir, "book.journal")
	exportTime, err := run("export", "journal", "-c", c.Code, "-o", journal)
	if err != nil {
		return err
	}
	var htimes []time.Duration
	for i := 0; i < 3; i++ {
		start := time.Now()
		if out, err := exec.Command(hl, "-f", journal, "balance", "-N").CombinedOutput(); err != nil {
			return fmt.Errorf("hledger: %v: %s", err, out)
		}
		htimes = append(htimes, time.Since(start))
	}
	fmt.Fprintf(b.out, "\n[hledger] a book of %d lines (SQLite), medians\n", n)
	fmt.Fprintf(b.out, "  jiti report trial-balance:  %8.3f s\n", median(times).Seconds())
	fmt.Fprintf(b.out, "  hledger balance (journal):  %8.3f s\n", median(htimes).Seconds())
	fmt.Fprintf(b.out, "  ratio hledger/jiti:         %8.0f×   (export of the journal took %.1f s)\n",
		median(htimes).Seconds()/median(times).Seconds(), exportTime.Seconds())
	return nil
}

// postedBook gives collective c of bb a book of n voucher lines in 2025,
// imported from a CSV file as a user would, then approved and posted.
func (b *bencher) postedBook(bb *benchBooks, c jiti.Collective, n int) error {
	ctx := b.e.ctx
	path := filepath.Join(b.dir, "book.csv")
	if err := writeVoucherCSV(path, c.Code, n, 3); err != nil {
		return err
	}
	defer os.Remove(path)
	if _, err := b.importFile(bb, path); err != nil {
		return err
	}
	if _, _, err := bb.db.ApproveVouchers(ctx, bb.approver, c.ID, bookFrom, bookTo); err != nil {
		return err
	}
	_, err := bb.db.PostVouchers(ctx, bb.accountant, c.ID, bookFrom, bookTo)
	return err
}

// bookFrom and bookTo are the months of the books postedBook makes.
var bookFrom, bookTo = jiti.MustPeriod("2025-01"), jiti.MustPeriod("2025-12")

// exportBench builds a book of n lines on engine and times `jiti export
// journal` of it against a raw read of the same rows (the same queries,
// chunk by chunk, on as many connections at once, into raw bytes), in
// turns, twice each, with the peak resident memory of each: the journal
// streams, so its memory stays flat whatever the book's size.
func (b *bencher) exportBench(engine string, n int) error {
	ctx := b.e.ctx
	bb, err := b.open(engine, 1)
	if err != nil {
		return err
	}
	defer bb.close()
	c := bb.cs[0]
	if err := b.postedBook(bb, c, n); err != nil {
		return err
	}
	journal := filepath.Join(b.dir, "export.journal")
	defer os.Remove(journal)
	export := func() (time.Duration, error) {
		start := time.Now()
		code := Run(ctx, []string{"export", "journal", "-c", c.Code, "-o", journal}, strings.NewReader(""), io.Discard, io.Discard,
			func(k string) string {
				if k == "JITI_DB" {
					return bb.dsn
				}
				return ""
			})
		if code != 0 {
			return 0, fmt.Errorf("bench: jiti export journal: exit %d", code)
		}
		return time.Since(start), nil
	}
	raw := func() (time.Duration, int, error) {
		chunks, err := bb.db.JournalChunks(ctx, c.ID, bookFrom, bookTo, 0)
		if err != nil {
			return 0, 0, err
		}
		start := time.Now()
		lines, err := rawJournalRead(ctx, bb.db, chunks)
		return time.Since(start), lines, err
	}
	var rawTimes, expTimes []time.Duration
	var rawPeak, expPeak float64
	lines := 0
	for range 2 {
		runtime.GC()
		resetPeakRSS()
		d, k, err := raw()
		if err != nil {
			return err
		}
		rawTimes, lines, rawPeak = append(rawTimes, d), k, max(rawPeak, peakRSSMB())
		runtime.GC()
		resetPeakRSS()
		if d, err = export(); err != nil {
			return err
		}
		expTimes, expPeak = append(expTimes, d), max(expPeak, peakRSSMB())
	}
	rawBest, expBest := slices.Min(rawTimes), slices.Min(expTimes)
	rawRate, expRate := float64(lines)/rawBest.Seconds(), float64(lines)/expBest.Seconds()
	fmt.Fprintf(b.out, "\n[%s] export journal of a book of %d lines (best of two, in turns; %d connections at once)\n", engine, lines, journalReaders())
	fmt.Fprintf(b.out, "  raw read of the rows:  %9.0f lines/s (%v)  peak RSS %4.0f MB\n", rawRate, rawBest.Round(time.Millisecond), rawPeak)
	fmt.Fprintf(b.out, "  jiti export journal:   %9.0f lines/s (%v)  peak RSS %4.0f MB  (target ≥ 300,000 lines/s)\n", expRate, expBest.Round(time.Millisecond), expPeak)
	fmt.Fprintf(b.out, "  ratio export/raw:      %9.2f\n", expRate/rawRate)
	return nil
}

// rawJournalRead reads the rows of chunks as the journal export does, on
// as many connections at once, and returns the lines read.
func rawJournalRead(ctx context.Context, db *store.DB, chunks []store.JournalChunk) (int, error) {
	next := make(chan store.JournalChunk)
	var mu sync.Mutex
	var lines int
	var first error
	var wg sync.WaitGroup
	for range journalReaders() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := range next {
				k, err := db.RawJournalRead(ctx, ch)
				mu.Lock()
				lines += k
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, ch := range chunks {
		next <- ch
	}
	close(next)
	wg.Wait()
	return lines, first
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// resetPeakRSS resets the kernel's record of the process's peak resident
// memory, so the next reading covers only what follows (Linux).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMB returns the process's peak resident memory in MB since the last
// reset (Linux), or 0 where unknown.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

// sampleHeap samples the Go heap in use every 20 ms until the returned
// function is called, which returns the largest sample.
func sampleHeap() func() uint64 {
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				mu.Lock()
				peak = max(peak, ms.HeapInuse)
				mu.Unlock()
			}
		}
	}()
	return func() uint64 {
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

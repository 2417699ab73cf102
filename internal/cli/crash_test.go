package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/cli"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestCrash kills jiti with SIGKILL at random moments while it posts
// vouchers (through the store and through `jiti serve`'s API), imports a
// file and closes months, on SQLite and on PostgreSQL, and after every kill
// reopens the database and checks that
//
//   - `jiti verify` finds nothing: the vouchers' and the audit log's hash
//     chains, numbers without a gap, balances, registers against the books;
//   - every write the killed process acknowledged is there as it was told
//     (a posted voucher with the number and hash it was given, an import with
//     its records, a month closed), and at most the one write each of its
//     workers was doing when it died is there without an acknowledgement;
//   - nothing is half written: an import is there whole with a record for
//     each of its collectives, or not at all; a month is closed with its
//     depreciation voucher, or it is not closed and has none.
//
// The program runs as a separate process: this test binary run again with
// JITI_CRASH_CHILD set, in which case TestCrash is the child (crashChild)
// and does one of:
//
//	jiti   the command line itself, cli.Run with the arguments in
//	       JITI_CRASH_ARGS (one a line), as cmd/jiti runs it:
//	       `import vouchers FILE` and `serve -addr 127.0.0.1:0`
//	post   WORKERS CODE…: a posting loop; workers on the collectives create,
//	       approve and post vouchers through the store's real
//	       CreateVoucher, ApproveVoucher and PostVoucher, at the same time
//	close  CODE…: a closing loop; a goroutine per collective closes its
//	       months in order through ClosePeriod, each month with its assets'
//	       depreciation voucher
//
// The loops print "ready" once the database is open and then one line per
// write, after its commit returned: "create ID", "approve ID",
// "post ID PERIOD NUMBER HASH", "close COLLECTIVE PERIOD". `import vouchers`
// prints its own acknowledgement ("N vouchers with M lines imported…"); for
// `jiti serve` the acknowledgements are the answers the test's API clients
// received. An acknowledgement written to the pipe outlives its writer, so
// the lines the test reads after the kill are exactly what the client was
// told.
//
// Each kill comes a random delay after the first acknowledgement of the
// run (an import: a random part of the time a whole import took), from a
// seed printed with t.Log and taken from JITI_CRASH_SEED when set: the
// same seed gives the same delays, though not the same interleaving, which
// the scheduler decides.
//
// What this proves and what it does not: a killed jiti loses nothing it
// acknowledged and leaves nothing half written, because each write is one
// transaction and its acknowledgement follows the commit; SQLite recovers
// its WAL at the next open, and PostgreSQL rolls back the transaction of a
// client that vanished. It says nothing of a power cut or a kernel crash:
// what a killed process committed is in the operating system's page cache
// (SQLite) or with the PostgreSQL server, which is not killed and lives on.
// What survives a power cut is decided by SQLite's synchronous setting and
// PostgreSQL's fsync and synchronous_commit, checked elsewhere; these tests
// pass with any of them.
func TestCrash(t *testing.T) {
	if mode := os.Getenv("JITI_CRASH_CHILD"); mode != "" {
		os.Exit(crashChild(mode))
	}
	seed := time.Now().UnixNano()
	if s := os.Getenv("JITI_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatalf("JITI_CRASH_SEED=%q: %v", s, err)
		}
	}
	t.Logf("seed %d (JITI_CRASH_SEED=%d repeats these kill moments)", seed, seed)
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		crashEngine(t, seed, filepath.Join(t.TempDir(), "jiti.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		base := storetest.PostgresURL(t)
		if base == "" {
			t.Skip("JITI_TEST_POSTGRES not set: skipping PostgreSQL")
		}
		crashEngine(t, seed+1, crashPostgresDB(t, base))
	})
}

// crashPostgresDB creates an empty database on the test server for the
// crash test, dropped when the test ends, and returns its URL.
func crashPostgresDB(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("jiti_crash_%d", os.Getpid())
	admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// crashKit is one engine's database under test and what the test knows of
// it.
type crashKit struct {
	dsn string
	rng *rand.Rand
	f   *storetest.Fixture // ids of the seeded users and collectives A, B
	// C, D take the imports; E, F have assets and close months.
	c, d, e, ff jiti.Collective
	assets      int // per closing collective
	// tokens are API tokens of the accountant and the approver.
	tokens [2]string

	mu       sync.Mutex
	posted   map[int64]*crashPosted // acknowledged writes to A and B by id
	inFlight int                    // how many writes to A and B the kills may have cut short
}

// crashEngine seeds a database and runs the crash tests on it, one after
// the other: each kills its own kind of writer, and `jiti verify` checks the
// whole database after every kill.
func crashEngine(t *testing.T, seed int64, dsn string) {
	k := &crashKit{dsn: dsn, rng: rand.New(rand.NewPCG(uint64(seed), 0x6a697469)), assets: 40,
		posted: map[int64]*crashPosted{}}
	k.seed(t)
	t.Run("post", k.testPost)
	t.Run("api", k.testAPI)
	t.Run("import", k.testImport)
	t.Run("close", k.testClose)
}

// seed fills the database: storetest's county (collectives A and B, an
// accountant and an approver) and four more collectives, two of them with
// books open since crashFirstMonth and assets.
func (k *crashKit) seed(t *testing.T) {
	db := k.open(t)
	defer db.Close()
	k.f = storetest.Seed(t, db)
	for i, u := range []jiti.UserID{k.f.Accountant, k.f.Approver} {
		var err error
		if k.tokens[i], _, err = db.CreateAPIToken(context.Background(), u, "crash", 0); err != nil {
			t.Fatal(err)
		}
	}
	k.c = k.f.AddCollective(t, "203", "东山")
	k.d = k.f.AddCollective(t, "204", "西山")
	k.e = k.closingCollective(t, db, "205", "南山")
	k.ff = k.closingCollective(t, db, "206", "北山")
	k.f.DB = nil // the fixture's store is closed; only its ids are used
}

// closingCollective adds a village and its collective whose books open in
// crashFirstMonth, with k.assets buildings bought that month and
// depreciated over 100 years from the next.
func (k *crashKit) closingCollective(t *testing.T, db *store.DB, village, name string) jiti.Collective {
	ctx := context.Background()
	r, err := jiti.NewRegion("620422100"+village, name+"村")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateRegion(ctx, k.f.Admin, r); err != nil {
		t.Fatal(err)
	}
	opened := crashFirstMonth.First()
	c, err := db.CreateCollective(ctx, k.f.Admin, jiti.Collective{Name: name + "村股份经济合作社", RegionCode: r.Code,
		Level: jiti.LevelVillage, BooksOpenedOn: opened})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAccount(ctx, k.f.Accountant, c.ID, "10201", "农商银行基本户"); err != nil {
		t.Fatal(err)
	}
	var ins []store.AssetInput
	for i := range k.assets {
		code := fmt.Sprintf("ZC-%03d", i+1)
		ins = append(ins, store.AssetInput{Credit: "10201", Asset: register.Asset{CollectiveID: c.ID, Code: code,
			Name: "资产" + code, Category: register.Building, Nature: register.Operating, Use: register.ForManagement,
			AcquiredOn: opened.AddDays(9), Source: register.Purchase,
			Cost: jiti.Amount(1_200_000 + 10_000*int64(i)), LifeMonths: register.MaxLifeMonths, Quantity: "1", Unit: "座"}})
	}
	if err := db.CreateAssets(ctx, k.f.Accountant, ins); err != nil {
		t.Fatalf("assets: %v", err)
	}
	return c
}

// open opens the database as the program does (migrating it the first time).
func (k *crashKit) open(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), k.dsn, store.Options{Migrate: true, Key: storetest.Key})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return db
}

// check reopens the database, runs `jiti verify` on it, and then fn, the
// checks of one kind of writer.
func (k *crashKit) check(t *testing.T, fn func(db *store.DB)) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"JITI_DB": k.dsn, "JITI_KEY": hex.EncodeToString(storetest.Key), "JITI_LANG": "en"}
	code := cli.Run(context.Background(), []string{"verify"}, strings.NewReader(""), &out, &errb, func(s string) string { return env[s] })
	if code != 0 {
		t.Fatalf("jiti verify after the kill: exit %d\n%s%s", code, out.String(), errb.String())
	}
	db := k.open(t)
	defer db.Close()
	fn(db)
}

// crashProc is a child process and what it printed.
type crashProc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	start  time.Time
	lines  []string      // read once eof is closed
	ready  chan struct{} // closed at the first line that starts with the run's ready prefix
	// readyLine is that line, which lines leaves out.
	readyLine string
	acked     chan struct{} // closed at the first line that starts with the run's ack prefix
	eof       chan struct{} // closed when its stdout ends
}

// run starts this test binary as a child in mode with args. The child is
// ready at its first line that starts with ready ("ready" for the loops),
// and has acknowledged a first write at its first line that starts with
// ack.
func (k *crashKit) run(t *testing.T, ready, ack, mode string, args ...string) *crashProc {
	t.Helper()
	p := &crashProc{ready: make(chan struct{}), acked: make(chan struct{}), eof: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], "-test.run=^TestCrash$")
	p.cmd.Env = append(os.Environ(), "JITI_CRASH_CHILD="+mode, "JITI_CRASH_ARGS="+strings.Join(args, "\n"),
		fmt.Sprintf("JITI_CRASH_CHILD_SEED=%d", k.rng.Int64()),
		"JITI_DB="+k.dsn, "JITI_KEY="+hex.EncodeToString(storetest.Key), "JITI_USER=kuaiji", "JITI_LANG=en")
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	go func() {
		defer close(p.eof)
		s := bufio.NewScanner(out)
		acked := false
		for s.Scan() {
			if ready != "" && p.readyLine == "" && strings.HasPrefix(s.Text(), ready) {
				p.readyLine = s.Text()
				close(p.ready)
				continue
			}
			if ack != "" && !acked && strings.HasPrefix(s.Text(), ack) {
				acked = true
				close(p.acked)
			}
			p.lines = append(p.lines, s.Text())
		}
	}()
	return p
}

// waitReady waits for the child's ready line.
func (p *crashProc) waitReady(t *testing.T) {
	t.Helper()
	p.wait(t, p.ready, "ready")
}

// wait waits until ch is closed, failing the test if the child ends before
// or a minute goes by.
func (p *crashProc) wait(t *testing.T, ch chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-p.eof:
		p.cmd.Wait()
		t.Fatalf("child ended before it was %s: %v\n%s", what, p.cmd.ProcessState, p.stderr.String())
	case <-time.After(time.Minute):
		p.kill()
		t.Fatalf("child not %s after a minute\n%s", what, p.stderr.String())
	}
}

// kill sends SIGKILL, reads what the child printed to the end and returns
// it, and whether the child was killed (rather than done already).
func (p *crashProc) kill() (lines []string, killed bool) {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.eof
	err := p.cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			killed = true
		}
	}
	return p.lines, killed
}

// sleep waits a random time between lo and hi.
func (k *crashKit) sleep(lo, hi time.Duration) time.Duration {
	d := lo + time.Duration(k.rng.Int64N(int64(hi-lo)+1))
	time.Sleep(d)
	return d
}

// --- posting ---

// crashPosted is what a client was told of one voucher: made, approved,
// or posted as its month's number (and hash, which the API does not give).
type crashPosted struct {
	status ledger.Status
	period jiti.Period
	number int
	hash   string
}

// ack records an acknowledgement of the posting loop or the API.
func (k *crashKit) ack(id int64, w crashPosted) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if w.status == ledger.Approved && k.posted[id] != nil && k.posted[id].status == ledger.Posted {
		return
	}
	k.posted[id] = &w
}

func (k *crashKit) testPost(t *testing.T) {
	const rounds, workers = 5, 4
	for round := range rounds {
		p := k.run(t, "ready", "post ", "post", strconv.Itoa(workers), k.f.A.Code, k.f.B.Code)
		p.wait(t, p.acked, "posting")
		d := k.sleep(0, 300*time.Millisecond)
		lines, killed := p.kill()
		if !killed {
			t.Fatalf("round %d: the posting loop ended by itself: %v\n%s", round, p.cmd.ProcessState, p.stderr.String())
		}
		for _, l := range lines {
			var id int64
			var w crashPosted
			var per int
			var err error
			switch {
			case strings.HasPrefix(l, "create "):
				_, err = fmt.Sscanf(l, "create %d", &id)
				w.status = ledger.Draft
			case strings.HasPrefix(l, "approve "):
				_, err = fmt.Sscanf(l, "approve %d", &id)
				w.status = ledger.Approved
			case strings.HasPrefix(l, "post "):
				_, err = fmt.Sscanf(l, "post %d %d %d %s", &id, &per, &w.number, &w.hash)
				w.status, w.period = ledger.Posted, jiti.Period(per)
			default:
				err = errors.New("unexpected")
			}
			if err != nil {
				t.Fatalf("round %d: line %q: %v\n%s", round, l, err, p.stderr.String())
			}
			k.ack(id, w)
		}
		k.inFlight += workers
		t.Logf("round %d: killed %v after the first posting, %d acknowledgements", round, d, len(lines))
		k.check(t, func(db *store.DB) { k.checkPosted(t, db) })
	}
}

// testAPI posts through `jiti serve`: clients create, approve and post
// vouchers through the JSON API, several at a time, until the server is
// killed. A success received is an acknowledgement; 429 and 503 are
// refusals to try again; any other answer fails the test.
func (k *crashKit) testAPI(t *testing.T) {
	const rounds, clients = 4, 4
	for round := range rounds {
		p := k.run(t, "jiti is serving on ", "", "jiti", "serve", "-addr", "127.0.0.1:0")
		p.waitReady(t)
		base := strings.TrimSpace(strings.TrimPrefix(p.readyLine, "jiti is serving on "))
		base, _, _ = strings.Cut(base, " ")
		client := &http.Client{Transport: &http.Transport{}, Timeout: time.Minute}
		var wg sync.WaitGroup
		failures := make(chan string, clients)
		posted := make(chan int, clients)
		first := make(chan struct{}) // closed at the first posting answered
		var once sync.Once
		for c := range clients {
			cid := []int64{k.f.A.ID, k.f.B.ID}[c%2]
			rng := rand.New(rand.NewPCG(k.rng.Uint64(), uint64(c)))
			wg.Go(func() {
				n, failure := k.apiLoop(client, base, cid, rng, func() { once.Do(func() { close(first) }) })
				posted <- n
				if failure != "" {
					failures <- failure
				}
			})
		}
		select {
		case <-first:
		case <-time.After(time.Minute):
		}
		d := k.sleep(0, 300*time.Millisecond)
		_, killed := p.kill()
		wg.Wait()
		client.CloseIdleConnections()
		close(failures)
		close(posted)
		if !killed {
			t.Fatalf("round %d: jiti serve ended by itself: %v\n%s", round, p.cmd.ProcessState, p.stderr.String())
		}
		for f := range failures {
			t.Fatalf("round %d: %s", round, f)
		}
		n := 0
		for x := range posted {
			n += x
		}
		k.inFlight += clients
		if n == 0 {
			t.Fatalf("round %d: no posting answered in a minute\n%s", round, p.stderr.String())
		}
		t.Logf("round %d: killed %v after the first posting answered, %d postings answered", round, d, n)
		k.check(t, func(db *store.DB) { k.checkPosted(t, db) })
	}
}

// apiLoop creates, approves and posts vouchers of collective cid through
// the API until the server stops answering, recording every answer and
// calling posted after each posting answered. It returns how many postings
// were answered, and an answer that was not a success.
func (k *crashKit) apiLoop(client *http.Client, base string, cid int64, rng *rand.Rand, posted func()) (int, string) {
	type voucher struct {
		ID     int64         `json:"id"`
		Period jiti.Period   `json:"period"`
		Number int           `json:"number"`
		Status ledger.Status `json:"status"`
	}
	// call posts body to path until it is answered other than "busy, try
	// again" (429, 503: refused, so nothing was written).
	call := func(token, path, body string, want int) (*voucher, string, bool) {
		var resp *http.Response
		var raw []byte
		for {
			req, err := http.NewRequest("POST", base+"/api/v1"+path, strings.NewReader(body))
			if err != nil {
				return nil, err.Error(), false
			}
			req.Header.Set("Authorization", "Bearer "+token)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if resp, err = client.Do(req); err != nil {
				return nil, "", false // the server is gone: no answer
			}
			raw, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return nil, "", false // killed while answering: no whole answer
			}
			if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if resp.StatusCode != want {
			return nil, fmt.Sprintf("POST %s: %d %s", path, resp.StatusCode, raw), false
		}
		var v voucher
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Sprintf("POST %s: %v: %s", path, err, raw), false
		}
		return &v, "", true
	}
	n := 0
	for {
		amount := jiti.Amount(100 + rng.Int64N(1_000_000))
		date := jiti.Date{Year: 2025, Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
		summary := fmt.Sprintf("接口收款 %d", rng.Int64())
		body := fmt.Sprintf(`{"date": "%s", "lines": [{"summary": "%s", "account": "10201", "debit": "%s"},
  {"summary": "%s", "account": "50101", "credit": "%s"}]}`, date, summary, amount, summary, amount)
		v, failure, ok := call(k.tokens[0], fmt.Sprintf("/collectives/%d/vouchers", cid), body, http.StatusCreated)
		if !ok {
			return n, failure
		}
		k.ack(v.ID, crashPosted{status: ledger.Draft})
		if _, failure, ok = call(k.tokens[1], fmt.Sprintf("/vouchers/%d/approve", v.ID), "", http.StatusOK); !ok {
			return n, failure
		}
		k.ack(v.ID, crashPosted{status: ledger.Approved})
		if v, failure, ok = call(k.tokens[0], fmt.Sprintf("/vouchers/%d/post", v.ID), "", http.StatusOK); !ok {
			return n, failure
		}
		if v.Status != ledger.Posted || v.Number == 0 {
			return n, fmt.Sprintf("voucher #%d answered as posted: %+v", v.ID, v)
		}
		k.ack(v.ID, crashPosted{status: ledger.Posted, period: v.Period, number: v.Number})
		n++
		posted()
	}
}

// checkPosted checks that every acknowledged write of the posting loop and
// the API is there as the client was told, and that at most one write per
// worker and round (the one it was doing) is there without an
// acknowledgement.
func (k *crashKit) checkPosted(t *testing.T, db *store.DB) {
	t.Helper()
	acked, inFlight := k.posted, k.inFlight
	ctx := context.Background()
	for id, w := range acked {
		v, err := db.FindVoucher(ctx, id)
		if err != nil {
			t.Fatalf("acknowledged voucher #%d (%s): %v", id, w.status, err)
		}
		switch w.status {
		case ledger.Posted:
			if v.Status != ledger.Posted || v.Period != w.period || v.Number != w.number || (w.hash != "" && v.Hash != w.hash) {
				t.Fatalf("voucher #%d was acknowledged posted as %v no. %d hash %s; it is %s %v no. %d hash %s",
					id, w.period, w.number, w.hash, v.Status, v.Period, v.Number, v.Hash)
			}
		case ledger.Approved:
			if v.Status != ledger.Approved && v.Status != ledger.Posted {
				t.Fatalf("voucher #%d was acknowledged approved; it is %s", id, v.Status)
			}
		}
	}
	// Writes there without an acknowledgement: a voucher, an approval or a
	// posting more than acknowledged.
	extra := 0
	for _, r := range storetest.Rows(t, db, `SELECT id, status FROM vouchers WHERE collective_id IN (%d, %d)`, k.f.A.ID, k.f.B.ID) {
		id, _ := strconv.ParseInt(r[0], 10, 64)
		w, status := acked[id], ledger.Status(r[1])
		switch {
		case w == nil:
			extra++
		case status == ledger.Posted && w.status != ledger.Posted, status == ledger.Approved && w.status == ledger.Draft:
			extra++
		}
	}
	if extra > inFlight {
		t.Fatalf("%d writes are there without an acknowledgement; at most %d were in flight at the kills", extra, inFlight)
	}
}

// --- import ---

// crashImportFile writes a voucher file of n vouchers of two lines each,
// alternately for collectives c and d, its content its own (tag).
func crashImportFile(t *testing.T, tag string, n int, c, d jiti.Collective) string {
	var b strings.Builder
	b.WriteString("凭证号,单位编码,日期,摘要,科目编码,借方金额,贷方金额\n")
	for i := range n {
		code := c.Code
		if i%2 == 1 {
			code = d.Code
		}
		date := fmt.Sprintf("2025-%02d-%02d", i%12+1, i%28+1)
		amount := jiti.Amount(10_000 + int64(i))
		fmt.Fprintf(&b, "%d,%s,%s,%s 收款 %d,10201,%s,\n", i+1, code, date, tag, i, amount)
		fmt.Fprintf(&b, "%d,%s,%s,%s 收款 %d,50101,,%s\n", i+1, code, date, tag, i, amount)
	}
	path := filepath.Join(t.TempDir(), tag+".csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// crashImport is an import's acknowledgement: "N vouchers with M lines
// imported as drafts #F to #L".
type crashImport struct {
	file            string
	vouchers, lines int
	first, last     int64
	acknowledged    bool
}

func (k *crashKit) testImport(t *testing.T) {
	const rounds, vouchers = 5, 3000
	var imports []*crashImport
	var took time.Duration
	for round := range rounds {
		tag := fmt.Sprintf("import-%d", round)
		path := crashImportFile(t, tag, vouchers, k.c, k.d)
		imp := &crashImport{file: tag + ".csv"}
		imports = append(imports, imp)
		p := k.run(t, "", "", "jiti", "import", "vouchers", path)
		var lines []string
		var d time.Duration
		if round == 0 {
			// The first import runs to its end: it tells how long one takes.
			<-p.eof
			if err := p.cmd.Wait(); err != nil {
				t.Fatalf("import: %v\n%s", err, p.stderr.String())
			}
			took = time.Since(p.start)
			lines = p.lines
		} else {
			d = k.sleep(took/5, took*11/10)
			var killed bool
			lines, killed = p.kill()
			if !killed && p.cmd.ProcessState.ExitCode() != 0 {
				t.Fatalf("import: %v\n%s", p.cmd.ProcessState, p.stderr.String())
			}
		}
		for _, l := range lines {
			if n, _ := fmt.Sscanf(l, "%d vouchers with %d lines imported as drafts #%d to #%d",
				&imp.vouchers, &imp.lines, &imp.first, &imp.last); n == 4 {
				imp.acknowledged = true
			}
		}
		if round == 0 && !imp.acknowledged {
			t.Fatalf("the import was not acknowledged: %q\n%s", lines, p.stderr.String())
		}
		t.Logf("round %d: killed after %v of %v, acknowledged %v", round, d, took, imp.acknowledged)
		k.check(t, func(db *store.DB) { k.checkImports(t, db, imports, vouchers) })
	}
}

// checkImports checks that each import of a file of n vouchers is there
// whole, with a record for each of its two collectives, or not at all, and
// that every acknowledged import is there as it was told.
func (k *crashKit) checkImports(t *testing.T, db *store.DB, imports []*crashImport, n int) {
	t.Helper()
	ctx := context.Background()
	records := map[string][]store.ImportRecord{}
	inRecords := 0
	for _, c := range []jiti.Collective{k.c, k.d} {
		recs, err := db.FindImports(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			records[r.FileName] = append(records[r.FileName], r)
			// The record's vouchers are all there, with all their lines.
			there := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE collective_id = %d AND id BETWEEN %d AND %d`,
				c.ID, r.FirstID, r.LastID)
			lines := storetest.Count(t, db, `SELECT COUNT(*) FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE v.collective_id = %d AND v.id BETWEEN %d AND %d`, c.ID, r.FirstID, r.LastID)
			if there != int64(r.Vouchers) || lines != int64(r.Lines) {
				t.Fatalf("import %d (%s) into %s records %d vouchers with %d lines; %d with %d are there",
					r.ID, r.FileName, c.Code, r.Vouchers, r.Lines, there, lines)
			}
			inRecords += r.Vouchers
		}
	}
	// No voucher outside an import's record: nothing of an import that
	// did not finish. On SQLite a killed import may leave batches staged,
	// which nothing sees; each must be in a stage of its job, for the
	// next import or server start to remove.
	all := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE collective_id IN (%d, %d) AND status <> 'staged'`, k.c.ID, k.d.ID)
	if all != int64(inRecords) {
		t.Fatalf("%d vouchers in the importing collectives, %d in the records of their imports", all, inRecords)
	}
	if lost := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers v WHERE v.status = 'staged'
AND NOT EXISTS (SELECT 1 FROM import_stages s WHERE v.id BETWEEN s.first_id AND s.last_id)`); lost != 0 {
		t.Fatalf("%d staged vouchers belong to no import's stage: nothing would remove them", lost)
	}
	for _, imp := range imports {
		recs := records[imp.file]
		vouchers, lines := 0, 0
		for _, r := range recs {
			vouchers += r.Vouchers
			lines += r.Lines
		}
		switch {
		case len(recs) != 0 && (len(recs) != 2 || vouchers != n || lines != 2*n):
			t.Fatalf("%s of %d vouchers with %d lines into 2 collectives: %d records of %d vouchers with %d lines: %+v",
				imp.file, n, 2*n, len(recs), vouchers, lines, recs)
		case imp.acknowledged && (len(recs) != 2 || vouchers != imp.vouchers || lines != imp.lines):
			t.Fatalf("%s was acknowledged (%d vouchers, %d lines); the records say %d vouchers, %d lines: %+v",
				imp.file, imp.vouchers, imp.lines, vouchers, lines, recs)
		case imp.acknowledged:
			for _, r := range recs {
				if r.FirstID < imp.first || r.LastID > imp.last {
					t.Fatalf("%s was acknowledged as drafts #%d to #%d; a record has #%d to #%d", imp.file, imp.first, imp.last, r.FirstID, r.LastID)
				}
			}
		}
	}
}

// --- month close ---

// crashFirstMonth is when the closing collectives' books open and their
// assets come: far enough back that the closing loop never runs out of
// months to close, each with its depreciation. crashCloseRounds runs of at
// most crashCloseCap closes each close at most 1,200 months, to December
// 2024, and the assets depreciate over as many from February 1925.
var crashFirstMonth = jiti.NewPeriod(1925, time.January)

const crashCloseRounds, crashCloseCap = 6, 200

// crashMonth is the i-th month of the closing collectives' books, from 0.
func crashMonth(i int) jiti.Period {
	return jiti.NewPeriod(crashFirstMonth.Year()+i/12, time.Month(i%12+1))
}

func (k *crashKit) testClose(t *testing.T) {
	const rounds = crashCloseRounds
	closed := map[int64]int{k.e.ID: 0, k.ff.ID: 0} // months closed, acknowledged or found
	for round := range rounds {
		p := k.run(t, "ready", "close ", "close", k.e.Code, k.ff.Code)
		p.wait(t, p.acked, "closing")
		d := k.sleep(0, 300*time.Millisecond)
		lines, killed := p.kill()
		if !killed {
			t.Fatalf("round %d: the closing loop ended by itself: %v\n%s", round, p.cmd.ProcessState, p.stderr.String())
		}
		for _, l := range lines {
			var cid int64
			var per int
			n, _ := fmt.Sscanf(l, "close %d %d", &cid, &per)
			if _, ok := closed[cid]; n != 2 || !ok {
				t.Fatalf("round %d: unexpected line %q\n%s", round, l, p.stderr.String())
			}
			if want := crashMonth(closed[cid]); jiti.Period(per) != want {
				t.Fatalf("round %d: %q, expected the close of %v", round, l, want)
			}
			closed[cid]++
		}
		t.Logf("round %d: killed %v after the first close, %d acknowledgements", round, d, len(lines))
		k.check(t, func(db *store.DB) {
			for _, c := range []jiti.Collective{k.e, k.ff} {
				closed[c.ID] = k.checkClosed(t, db, c, closed[c.ID])
			}
		})
	}
}

// checkClosed checks a closing collective after a kill, acked months of its
// books being acknowledged closed: those months are closed, and at most the
// next one besides (the close in flight at the kill); every closed month
// had its register steps run once, with one depreciation voucher charging
// every asset (from the second month on), and no month still open has any.
// It returns the number of months closed.
func (k *crashKit) checkClosed(t *testing.T, db *store.DB, c jiti.Collective, acked int) int {
	t.Helper()
	var months []int
	for _, r := range storetest.Rows(t, db, `SELECT period FROM periods WHERE collective_id = %d AND is_closed = %s ORDER BY period`,
		c.ID, crashTrue(db)) {
		p, _ := strconv.Atoi(r[0])
		months = append(months, p)
	}
	for i, p := range months {
		if jiti.Period(p) != crashMonth(i) {
			t.Fatalf("%s: the months closed do not run without a gap from %v: %v", c.Code, crashFirstMonth, months)
		}
	}
	n := len(months)
	if n != acked && n != acked+1 {
		t.Fatalf("%s: %d months closed; %d were acknowledged", c.Code, n, acked)
	}
	if crashMonth(n) > jiti.NewPeriod(2025, time.December) {
		t.Fatalf("%s: the closing loop ran out of months: open the books earlier", c.Code)
	}
	type month struct {
		steps          []string
		stepVoucher    string
		charged        int
		first, last    string // the vouchers of the month's depreciation rows
		registerPosted int
	}
	got := map[int]*month{}
	at := func(p string) *month {
		i, _ := strconv.Atoi(p)
		if got[i] == nil {
			got[i] = &month{}
		}
		return got[i]
	}
	for _, r := range storetest.Rows(t, db, `SELECT period, step, voucher_id FROM register_closes WHERE collective_id = %d ORDER BY period, step`, c.ID) {
		m := at(r[0])
		m.steps = append(m.steps, r[1])
		if r[1] == "depreciation" {
			m.stepVoucher = r[2]
		}
	}
	for _, r := range storetest.Rows(t, db, `SELECT d.period, COUNT(*), MIN(d.voucher_id), MAX(d.voucher_id)
FROM asset_depreciation d JOIN assets a ON a.id = d.asset_id WHERE a.collective_id = %d GROUP BY d.period`, c.ID) {
		m := at(r[0])
		m.charged, _ = strconv.Atoi(r[1])
		m.first, m.last = r[2], r[3]
	}
	for _, r := range storetest.Rows(t, db, `SELECT period, COUNT(*) FROM vouchers
WHERE collective_id = %d AND kind = 'register' AND status = 'posted' AND period > %d GROUP BY period`, c.ID, int(crashFirstMonth)) {
		at(r[0]).registerPosted, _ = strconv.Atoi(r[1])
	}
	for i := range n {
		p := int(crashMonth(i))
		m := got[p]
		delete(got, p)
		if m == nil || len(m.steps) != 2 || m.steps[0] != "contracts" || m.steps[1] != "depreciation" {
			t.Fatalf("%s: %v closed without its register steps: %+v", c.Code, crashMonth(i), m)
		}
		if i == 0 { // nothing to depreciate in the month the assets came
			if m.charged != 0 {
				t.Fatalf("%s: %v charged depreciation: %+v", c.Code, crashMonth(i), m)
			}
			continue
		}
		if m.charged != k.assets || m.first != m.stepVoucher || m.last != m.stepVoucher || m.registerPosted != 1 {
			t.Fatalf("%s: %v closed with %d of %d assets depreciated, by vouchers %s to %s (its step says %s), %d register vouchers",
				c.Code, crashMonth(i), m.charged, k.assets, m.first, m.last, m.stepVoucher, m.registerPosted)
		}
	}
	for p, m := range got {
		t.Fatalf("%s: %v is open, yet has register steps, depreciation or register vouchers: %+v", c.Code, jiti.Period(p), m)
	}
	return n
}

// crashTrue is the literal of true in the database's SQL.
func crashTrue(db *store.DB) string {
	if db.Engine() == "postgres" {
		return "TRUE"
	}
	return "1"
}

// --- the child ---

// crashChild is the program the test kills, in one of its modes (see
// TestCrash), and returns its exit code. The loops never end by themselves
// but on an error. Should the test die without killing its child, the
// child ends when it finds itself orphaned.
func crashChild(mode string) int {
	go func() {
		for parent := os.Getppid(); ; time.Sleep(100 * time.Millisecond) {
			if os.Getppid() != parent {
				os.Exit(4)
			}
		}
	}()
	ctx := context.Background()
	var args []string
	if a := os.Getenv("JITI_CRASH_ARGS"); a != "" {
		args = strings.Split(a, "\n")
	}
	if mode == "jiti" {
		return cli.Run(ctx, args, os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	}
	seed, _ := strconv.ParseInt(os.Getenv("JITI_CRASH_CHILD_SEED"), 10, 64)
	key, err := store.ParseKey(os.Getenv("JITI_KEY"))
	if err != nil {
		return crashFail(err)
	}
	db, err := store.Open(ctx, os.Getenv("JITI_DB"), store.Options{Key: key})
	if err != nil {
		return crashFail(err)
	}
	user := func(name string) jiti.UserID {
		u, err := db.FindUserByName(ctx, name)
		if err != nil {
			os.Exit(crashFail(err))
		}
		return u.ID
	}
	workers := 0
	if mode == "post" { // post WORKERS CODE…; close CODE…
		workers, _ = strconv.Atoi(args[0])
		args = args[1:]
	}
	var cs []*jiti.Collective
	for _, code := range args {
		c, err := db.FindCollectiveByCode(ctx, code)
		if err != nil {
			return crashFail(err)
		}
		cs = append(cs, c)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	switch mode {
	case "post":
		maker, approver := user("kuaiji"), user("shenhe")
		for w := range workers {
			rng := rand.New(rand.NewPCG(uint64(seed), uint64(w)))
			wg.Go(func() { errs <- crashPostLoop(ctx, db, rng, cs[w%len(cs)].ID, maker, approver) })
		}
	case "close":
		by := user("kuaiji")
		for _, c := range cs {
			wg.Go(func() { errs <- crashCloseLoop(ctx, db, c.ID, by) })
		}
	default:
		return crashFail(fmt.Errorf("no mode %q", mode))
	}
	crashAck("ready")
	err = <-errs
	cancel()
	wg.Wait()
	return crashFail(err)
}

func crashFail(err error) int {
	fmt.Fprintln(os.Stderr, "crash child:", err)
	return 3
}

var crashAckMu sync.Mutex

// crashAck prints one acknowledgement line, in one write.
func crashAck(format string, args ...any) {
	crashAckMu.Lock()
	defer crashAckMu.Unlock()
	fmt.Fprintf(os.Stdout, format+"\n", args...)
}

// crashPostLoop creates, approves and posts vouchers of collective cid, one
// after the other, acknowledging each write once it returned.
func crashPostLoop(ctx context.Context, db *store.DB, rng *rand.Rand, cid int64, maker, approver jiti.UserID) error {
	for ctx.Err() == nil {
		amount := jiti.Amount(100 + rng.Int64N(1_000_000))
		date := jiti.Date{Year: 2025, Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
		summary := fmt.Sprintf("收款 %d-%d", cid, rng.Int64())
		v, err := db.CreateVoucher(ctx, maker, &ledger.Voucher{CollectiveID: cid, Date: date, Lines: []ledger.Line{
			{Summary: summary, Account: "10201", Debit: amount}, {Summary: summary, Account: "50101", Credit: amount}}})
		if err != nil {
			return err
		}
		crashAck("create %d", v.ID)
		if err := db.ApproveVoucher(ctx, approver, v.ID); err != nil {
			return err
		}
		crashAck("approve %d", v.ID)
		v, err = db.PostVoucher(ctx, maker, v.ID)
		if err != nil {
			return err
		}
		crashAck("post %d %d %d %s", v.ID, int(v.Period), v.Number, v.Hash)
	}
	return ctx.Err()
}

// crashCloseLoop closes the months of collective cid in order, from the
// first still open, acknowledging each close once it returned. After
// crashCloseCap closes it waits to be killed, so that the months last
// however fast the machine.
func crashCloseLoop(ctx context.Context, db *store.DB, cid int64, by jiti.UserID) error {
	ps, err := db.Periods(ctx, cid)
	if err != nil {
		return err
	}
	closed := 0
	for _, p := range ps {
		if p.Closed {
			closed++
		}
	}
	for n := 0; ctx.Err() == nil; n++ {
		if n == crashCloseCap {
			<-ctx.Done()
			break
		}
		p := crashMonth(closed)
		if err := db.ClosePeriod(ctx, by, cid, p); err != nil {
			return err
		}
		crashAck("close %d %d", cid, int(p))
		closed++
	}
	return ctx.Err()
}

package cli

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/web"
)

// liveWrites is what API clients saw while writing to a server: the
// latency of every answer and how many of each status.
type liveWrites struct {
	mu         sync.Mutex
	took       []time.Duration
	status     map[int]int
	noRetry    int // 503 answers without Retry-After
	lastFailed string
}

func (lw *liveWrites) add(d time.Duration, code int, retryAfter bool, body string) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.took = append(lw.took, d)
	if lw.status == nil {
		lw.status = map[int]int{}
	}
	lw.status[code]++
	if code == http.StatusServiceUnavailable && !retryAfter {
		lw.noRetry++
	}
	if code >= 300 {
		lw.lastFailed = body
	}
}

// summary is "n answers: 201 ×a, 503 ×b; p50/p99/max ms".
func (lw *liveWrites) summary() string {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	d := slices.Clone(lw.took)
	slices.Sort(d)
	if len(d) == 0 {
		return "no answers"
	}
	codes := make([]int, 0, len(lw.status))
	for c := range lw.status {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	s := fmt.Sprintf("%d answers:", len(d))
	for _, c := range codes {
		s += fmt.Sprintf(" %d ×%d", c, lw.status[c])
	}
	return s + fmt.Sprintf("; p50 %s, p99 %s, max %s ms", ms(quantile(d, 0.50)), ms(quantile(d, 0.99)), ms(d[len(d)-1]))
}

// apiWriters runs clients that each create a two-line draft through the
// API, pause 10 ms and go again, until stop is closed.
func apiWriters(base, token string, cids []int64, clients int, stop <-chan struct{}, lw *liveWrites) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 9))
			c := &http.Client{Timeout: time.Minute}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				cid := cids[(i+n)%len(cids)]
				body := fmt.Sprintf(`{"date": "2025-%02d-%02d", "lines": [{"summary": "收取摊位费", "account": "10201", "debit": "%d.00"}, {"account": "50102", "credit": "%d.00"}]}`,
					1+rng.IntN(12), 1+rng.IntN(28), 10+n, 10+n)
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/collectives/%d/vouchers", base, cid), bytes.NewBufferString(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				start := time.Now()
				resp, err := c.Do(req)
				if err != nil {
					lw.add(time.Since(start), 0, false, err.Error())
					continue
				}
				var buf bytes.Buffer
				buf.ReadFrom(resp.Body)
				resp.Body.Close()
				lw.add(time.Since(start), resp.StatusCode, resp.Header.Get("Retry-After") != "", buf.String())
				time.Sleep(10 * time.Millisecond)
			}
		}(i)
	}
	return &wg
}

// liveImportBench imports n voucher lines into the SQLite file a server
// uses while API clients create vouchers through the server, twice: from
// a second handle of the file, as `jiti import vouchers` beside `jiti
// serve` does, and through the server's own handle, as the import job of
// the server's voucher page does. It reports the import's rate, the
// longest hold of the write lock and the last step, and what the clients
// saw, against the same clients without the import.
func (b *bencher) liveImportBench(n int) error {
	for _, sameHandle := range []bool{false, true} {
		if err := b.liveImportRun(n, sameHandle); err != nil {
			return err
		}
	}
	return nil
}

func (b *bencher) liveImportRun(n int, sameHandle bool) error {
	const clients = 4
	ctx := b.e.ctx
	bb, err := b.open("sqlite", 2)
	if err != nil {
		return err
	}
	defer bb.close()
	dsn := filepath.Join(b.dir, fmt.Sprintf("bench%d.db", b.seq))
	path := filepath.Join(b.dir, "live.csv")
	if err := writeVoucherCSV(path, bb.cs[0].Code, n, 5); err != nil {
		return err
	}
	defer os.Remove(path)
	token, _, err := bb.db.CreateAPIToken(ctx, bb.accountant, "bench", 0)
	if err != nil {
		return err
	}
	app, err := web.New(bb.db, nil)
	if err != nil {
		return err
	}
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	cids := []int64{bb.cs[0].ID, bb.cs[1].ID}

	quiet := &liveWrites{}
	stop := make(chan struct{})
	wg := apiWriters(srv.URL, token, cids, clients, stop, quiet)
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()

	imp, how := bb.db, "the server's own handle, as its import job"
	if !sameHandle {
		how = "another handle, as the command line"
		if imp, err = store.Open(ctx, dsn, store.Options{Key: []byte("jiti-bench-key-0123456789abcdef!")}); err != nil {
			return err
		}
		defer imp.Close()
		imp.Now = bb.db.Now
	}
	load := loadAverage()
	bb.db.ResetLockStats()
	imp.ResetLockStats()
	busy := &liveWrites{}
	stop = make(chan struct{})
	wg = apiWriters(srv.URL, token, cids, clients, stop, busy)
	start := time.Now()
	res, err := importVoucherFile(b.e, imp, bb.accountant, path, nil, false)
	took := time.Since(start)
	close(stop)
	wg.Wait()
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	_, total, err := bb.db.FindVouchers(ctx, store.VoucherFilter{CollectiveID: bb.cs[0].ID, Status: ledger.Draft, Limit: 1})
	if err != nil {
		return err
	}
	held, server := imp.LockStats(), bb.db.LockStats()
	fmt.Fprintf(b.out, "\n[sqlite] API writes beside an import of %d lines into the server's file, through %s (load %s)\n",
		res.Lines, how, load)
	fmt.Fprintf(b.out, "  import:                 %8.0f lines/s (%v), %d vouchers; %d drafts of the collective after\n",
		float64(res.Lines)/took.Seconds(), took.Round(time.Millisecond), res.Vouchers, total)
	fmt.Fprintf(b.out, "  import's write lock:    longest hold %s ms over %d transactions (%d batches); last step %s ms\n",
		ms(held.Longest), held.Transactions, res.Batches, ms(res.Publish))
	if !sameHandle {
		fmt.Fprintf(b.out, "  server's write lock:    longest hold %s ms over %d transactions\n", ms(server.Longest), server.Transactions)
	}
	fmt.Fprintf(b.out, "  %d clients, quiet:       %s\n", clients, quiet.summary())
	fmt.Fprintf(b.out, "  %d clients, importing:   %s\n", clients, busy.summary())
	if busy.noRetry > 0 {
		fmt.Fprintf(b.out, "  503 without Retry-After: %d\n", busy.noRetry)
	}
	if busy.lastFailed != "" {
		fmt.Fprintf(b.out, "  last refusal: %s\n", busy.lastFailed)
	}
	return nil
}

package cli

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

func init() {
	addCommands(command{"loadtest", "cmd.loadtest", runLoadtest})
}

// runLoadtest measures a running jiti server from outside, as its users
// would load it: clients sign in, then each fetches the region's
// dashboard, a collective's voucher list and its trial balance in turn,
// without pause, until the run's number of requests is done. It reports
// the latency of each kind of page, the weight of a page with its CSS, JS
// and SVG, the machine's load average, and from the server's metrics
// (JITI_METRICS_TOKEN) its processor time per request and its memory.
// With -api it feeds books through the JSON API instead (loadapi.go).
func runLoadtest(e *env, args []string) error {
	var o opts
	fs := e.flags("loadtest", &o)
	base := fs.String("url", e.env("JITI_URL", "http://localhost:8080"), e.p.T("flag.url"))
	user := fs.String("user", "admin", e.p.T("flag.user_name"))
	clients := fs.Int("clients", 32, e.p.T("flag.clients"))
	total := fs.Int("n", 3000, e.p.T("flag.requests"))
	api := fs.Bool("api", false, e.p.T("flag.load_api"))
	duration := fs.Duration("duration", time.Minute, e.p.T("flag.load_duration"))
	collectives := fs.Int("collectives", 0, e.p.T("flag.load_collectives"))
	public := fs.Bool("public", false, e.p.T("flag.load_public"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *clients < 1 {
		return errLoadClients.With(*clients).At("clients")
	}
	if *public {
		return e.loadPublic(&o, strings.TrimRight(*base, "/"), *clients, *total)
	}
	pw, err := e.readPassword()
	if err != nil {
		return err
	}
	if *api {
		return e.loadAPI(strings.TrimRight(*base, "/"), *user, pw, *clients, *collectives, *duration)
	}
	// One connection per client, kept between requests, as browsers keep
	// theirs: the default transport keeps two per host and would open a
	// connection for most requests, measuring TCP rather than jiti.
	tr := &http.Transport{MaxIdleConns: *clients, MaxIdleConnsPerHost: *clients, IdleConnTimeout: time.Minute}
	lt := &loadtest{base: strings.TrimRight(*base, "/"), user: *user, password: pw, transport: tr,
		metricsToken: e.getenv("JITI_METRICS_TOKEN")}
	first, err := lt.client(e.ctx)
	if err != nil {
		return err
	}
	if err := lt.discover(e.ctx, first); err != nil {
		return err
	}
	cs := []*http.Client{first}
	for len(cs) < *clients {
		c, err := lt.client(e.ctx)
		if err != nil {
			return err
		}
		cs = append(cs, c)
	}
	e.sayLoadAverage()
	cpu0, cpuErr := lt.serverCPU(e.ctx, first)
	start := time.Now()
	res := lt.run(e.ctx, cs, *total)
	elapsed := time.Since(start)
	cpu1, err := lt.serverCPU(e.ctx, first)
	e.say("cli.load_run", len(cs), res.n, fmt.Sprintf("%.1f", elapsed.Seconds()), fmt.Sprintf("%.0f", float64(res.n)/elapsed.Seconds()))
	e.sayLoadAverage()
	for _, k := range loadKinds {
		d := res.byKind[k]
		if len(d) == 0 {
			continue
		}
		slices.Sort(d)
		e.say("cli.load_kind", locale.PadRight(k, 14), len(d), ms(quantile(d, 0.5)), ms(quantile(d, 0.95)), ms(quantile(d, 0.99)), ms(d[len(d)-1]), res.errors[k])
	}
	for _, k := range loadKinds {
		if w, ok := lt.weights[k]; ok {
			e.say("cli.load_weight", locale.PadRight(k, 14), fmt.Sprintf("%.1f", float64(w)/1024))
		}
	}
	if cpuErr == nil && err == nil && res.n > 0 {
		e.say("cli.load_cpu", fmt.Sprintf("%.2f", (cpu1-cpu0)*1000/float64(res.n)))
	}
	if rss, err := lt.serverMemory(e.ctx, first); err == nil {
		e.say("cli.load_memory", fmt.Sprintf("%.0f", float64(rss)/(1<<20)))
	}
	return nil
}

// sayLoadAverage prints the machine's load average (Linux), which a
// latency measured on it must be read beside.
func (e *env) sayLoadAverage() {
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			e.say("cli.load_average", f[0], f[1], f[2])
		}
	}
}

var loadKinds = []string{"dashboard", "vouchers", "trial-balance"}

type loadtest struct {
	base, user, password string
	metricsToken         string // the server's -metrics-token, which /metrics asks for
	transport            *http.Transport
	dashboard            string
	collectives          []string // ids
	weights              map[string]int
}

// client signs in and returns a client holding the session.
func (lt *loadtest) client(ctx context.Context) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: lt.transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, lt.base+"/signin",
		strings.NewReader(url.Values{"name": {lt.user}, "password": {lt.password}, "next": {"/"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, errLoadSignin.With(lt.user, resp.StatusCode)
	}
	return c, nil
}

var (
	errLoadSignin  = jiti.Errorf(jiti.Invalid, "cli.load_signin")
	errLoadPages   = jiti.Errorf(jiti.Invalid, "cli.load_pages")
	errLoadClients = jiti.Errorf(jiti.Invalid, "cli.load_clients")
)

var (
	collectiveLink = regexp.MustCompile(`href="/c/(\d+)[/"]`)
	assetLink      = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	nextLink       = regexp.MustCompile(`href="(\?[^"]*)" rel="next"`)
)

// discover finds the pages to load: the dashboard the user lands on, and
// the collectives listed behind its total income.
func (lt *loadtest) discover(ctx context.Context, c *http.Client) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, lt.base+"/", nil)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	lt.dashboard = resp.Header.Get("Location")
	if !strings.HasPrefix(lt.dashboard, "/r/") {
		return errLoadPages.With(lt.dashboard)
	}
	// The list is paged: follow it to its end.
	seen := map[string]bool{}
	for next := lt.dashboard + "/line/total_income"; next != ""; {
		body, _, err := lt.fetch(ctx, c, next)
		if err != nil {
			return err
		}
		for _, m := range collectiveLink.FindAllStringSubmatch(body, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				lt.collectives = append(lt.collectives, m[1])
			}
		}
		next = ""
		if m := nextLink.FindStringSubmatch(body); m != nil {
			next = lt.dashboard + "/line/total_income" + html.UnescapeString(m[1])
		}
	}
	if len(lt.collectives) == 0 {
		return errLoadPages.With(lt.dashboard)
	}
	// The weight of each kind of page: the page and what it loads.
	lt.weights = map[string]int{}
	for _, k := range loadKinds {
		page, n, err := lt.fetch(ctx, c, lt.path(k, rand.New(rand.NewPCG(1, 2))))
		if err != nil {
			return err
		}
		for _, m := range assetLink.FindAllStringSubmatch(page, -1) {
			_, an, err := lt.fetch(ctx, c, m[1])
			if err != nil {
				return err
			}
			n += an
		}
		lt.weights[k] = n
	}
	return nil
}

// path returns an address of a page of kind k, a random collective's for
// the books.
func (lt *loadtest) path(k string, r *rand.Rand) string {
	id := lt.collectives[r.IntN(len(lt.collectives))]
	switch k {
	case "vouchers":
		return "/c/" + id + "/vouchers"
	case "trial-balance":
		return "/c/" + id + "/trial-balance"
	}
	return lt.dashboard
}

func (lt *loadtest) fetch(ctx context.Context, c *http.Client, path string) (string, int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, lt.base+path, nil)
	resp, err := c.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return "", 0, errLoadPages.With(path + " " + strconv.Itoa(resp.StatusCode))
	}
	return string(b), len(b), nil
}

type loadResult struct {
	n      int
	byKind map[string][]time.Duration
	errors map[string]int
}

// run has the clients fetch pages in turn until total requests are done.
func (lt *loadtest) run(ctx context.Context, cs []*http.Client, total int) loadResult {
	res := loadResult{byKind: map[string][]time.Duration{}, errors: map[string]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range total {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for ci, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(ci), 7))
			for i := range next {
				k := loadKinds[i%len(loadKinds)]
				start := time.Now()
				_, _, err := lt.fetch(ctx, c, lt.path(k, r))
				d := time.Since(start)
				mu.Lock()
				res.n++
				if err != nil {
					res.errors[k]++
				} else {
					res.byKind[k] = append(res.byKind[k], d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return res
}

// serverCPU reads the processor time the server has used, in seconds,
// from its metrics (JITI_METRICS_TOKEN): divided by the requests of a run,
// the work a request costs, which a busy machine inflates less than it
// inflates latency.
func (lt *loadtest) serverCPU(ctx context.Context, c *http.Client) (float64, error) {
	v, err := lt.metric(ctx, c, "process_cpu_seconds_total")
	if err != nil {
		return 0, err
	}
	return strconv.ParseFloat(v, 64)
}

// serverMemory reads the server's resident memory from its metrics, which
// answer only to the metrics token (JITI_METRICS_TOKEN).
func (lt *loadtest) serverMemory(ctx context.Context, c *http.Client) (int64, error) {
	v, err := lt.metric(ctx, c, "process_resident_memory_bytes")
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// metric reads one value of the server's metrics, which answer only to the
// metrics token.
func (lt *loadtest) metric(ctx context.Context, c *http.Client, name string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, lt.base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+lt.metricsToken)
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", errLoadPages.With("/metrics " + strconv.Itoa(resp.StatusCode))
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return v, nil
		}
	}
	return "", errLoadPages.With("/metrics " + name)
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(float64(len(sorted)-1) * q)
	return sorted[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

// loadAPI has clients feed books through the JSON API, as programs that
// keep them would, for a while: each creates a voucher as its collective's
// maker, approves it as its approver and posts it as the maker, then
// starts over. Every collective loaded gets a maker (village accountant)
// and an approver of its own, made by the signed-in administrator with
// the administrator's password and named lt-kj-<code> and lt-sp-<code>,
// each with an API token; clients share collectives when there are fewer
// collectives than clients. An answer 429 or 503 is waited out as its
// Retry-After says and the step tried again; any other answer not 2xx
// abandons the voucher. It reports the vouchers posted each second and
// every answer not 2xx by status and step. It writes to the books: run it
// on the demo or a copy, never on books in use.
func (e *env) loadAPI(base, user, password string, clients, ncol int, d time.Duration) error {
	ctx := e.ctx
	tr := &http.Transport{MaxIdleConns: 2*clients + 8, MaxIdleConnsPerHost: 2*clients + 8, IdleConnTimeout: time.Minute}
	lt := &loadtest{base: base, user: user, password: password, transport: tr, metricsToken: e.getenv("JITI_METRICS_TOKEN")}
	admin, err := lt.client(ctx)
	if err != nil {
		return err
	}
	collectives, err := apiAll[jiti.Collective](ctx, admin, "", base+"/api/v1/collectives", "collectives")
	if err != nil {
		return err
	}
	if ncol <= 0 || ncol > clients {
		ncol = clients
	}
	cs := spread(collectives, ncol)
	if len(cs) == 0 {
		return errLoadPages.With("/api/v1/collectives")
	}
	start := time.Now()
	books, err := lt.prepareBooks(ctx, admin, cs)
	if err != nil {
		return err
	}
	e.say("cli.load_api_setup", len(books), fmt.Sprintf("%.1f", time.Since(start).Seconds()))

	run := &apiRun{seconds: make([]int, int(d/time.Second)+1), byStep: map[string][]time.Duration{},
		statuses: map[int]map[string]int{}}
	e.sayLoadAverage()
	cpu0, cpuErr := lt.serverCPU(ctx, admin)
	// At the end no step starts, and those under way finish: a request
	// cut off would be neither an answer nor a failure.
	begin := time.Now()
	end := begin.Add(d)
	var wg sync.WaitGroup
	for i := range clients {
		b := books[i%len(books)]
		c := &http.Client{Timeout: 30 * time.Second, Transport: tr}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(end) {
				run.voucher(ctx, c, b, begin, end)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	cpu1, err := lt.serverCPU(ctx, admin)
	e.sayLoadAverage()
	e.reportAPI(run, clients, len(books), elapsed)
	if cpuErr == nil && err == nil && run.requests > 0 {
		e.say("cli.load_cpu", fmt.Sprintf("%.2f", (cpu1-cpu0)*1000/float64(run.requests)))
	}
	if rss, err := lt.serverMemory(ctx, admin); err == nil {
		e.say("cli.load_memory", fmt.Sprintf("%.0f", float64(rss)/(1<<20)))
	}
	return nil
}

// spread picks n of cs, evenly through the list (which is in code order),
// so that the collectives loaded lie across the deployment's townships.
func spread(cs []jiti.Collective, n int) []jiti.Collective {
	if n >= len(cs) {
		return cs
	}
	out := make([]jiti.Collective, 0, n)
	for i := range n {
		out = append(out, cs[i*len(cs)/n])
	}
	return out
}

// apiBooks is a collective loaded: its maker's and approver's API tokens
// and the accounts its vouchers use.
type apiBooks struct {
	base           string // the server's address
	c              jiti.Collective
	maker, checker string // tokens
	debit, credit  string // account codes
}

// Errors of loading the API.
var (
	errLoadUser     = jiti.Errorf(jiti.Invalid, "cli.load_user")
	errLoadToken    = jiti.Errorf(jiti.Invalid, "cli.load_token")
	errLoadAccounts = jiti.Errorf(jiti.Invalid, "cli.load_accounts")
)

// prepareBooks makes the makers, approvers and tokens of cs, four at a
// time (a sign-in costs the server a password hash).
func (lt *loadtest) prepareBooks(ctx context.Context, admin *http.Client, cs []jiti.Collective) ([]*apiBooks, error) {
	out := make([]*apiBooks, len(cs))
	errs := make([]error, len(cs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = lt.prepare(ctx, admin, cs[i])
			}
		}()
	}
	for i := range cs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (lt *loadtest) prepare(ctx context.Context, admin *http.Client, c jiti.Collective) (*apiBooks, error) {
	b := &apiBooks{base: lt.base, c: c}
	for _, u := range []struct {
		name  string
		role  jiti.Role
		token *string
	}{{"lt-kj-" + c.Code, jiti.RoleVillageAccountant, &b.maker}, {"lt-sp-" + c.Code, jiti.RoleVillageApprover, &b.checker}} {
		tok, err := lt.userToken(ctx, admin, u.name, u.role, c.Code)
		if err != nil {
			return nil, err
		}
		*u.token = tok
	}
	type account struct {
		Code   string `json:"code"`
		Class  string `json:"class"`
		Leaf   bool   `json:"leaf"`
		Active bool   `json:"active"`
	}
	path := fmt.Sprintf("%s/api/v1/collectives/%d/accounts", lt.base, c.ID)
	accounts, err := apiAll[account](ctx, &http.Client{Transport: lt.transport, Timeout: 30 * time.Second}, b.maker, path, "accounts")
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		switch {
		case !a.Leaf || !a.Active:
		case a.Class == "asset" && b.debit == "":
			b.debit = a.Code
		case a.Class == "income" && b.credit == "":
			b.credit = a.Code
		}
	}
	if b.debit == "" || b.credit == "" {
		return nil, errLoadAccounts.With(c.Code)
	}
	return b, nil
}

// userToken makes the user name with role over the collective code (or
// finds it made by an earlier run), signs in as it and makes it an API
// token for a day.
func (lt *loadtest) userToken(ctx context.Context, admin *http.Client, name string, role jiti.Role, code string) (string, error) {
	form := url.Values{"name": {name}, "role": {string(role)}, "scope_collectives": {code}, "password": {lt.password}}
	status, err := postForm(ctx, admin, lt.base+"/admin/users/new", form)
	if err != nil {
		return "", err
	}
	// 409: the name is taken, by an earlier run's user; signing in tells.
	if status != http.StatusSeeOther && status != http.StatusConflict {
		return "", errLoadUser.With(name, status)
	}
	u := &loadtest{base: lt.base, user: name, password: lt.password, transport: lt.transport}
	c, err := u.client(ctx)
	if err != nil {
		return "", err
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, lt.base+"/tokens",
		strings.NewReader(url.Values{"name": {"loadtest " + time.Now().Format("2006-01-02 15:04:05")}, "expires": {"1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "jiti_new_token" {
			if _, tok, ok := strings.Cut(ck.Value, "."); ok {
				return tok, nil
			}
		}
	}
	return "", errLoadToken.With(name, resp.StatusCode)
}

func postForm(ctx context.Context, c *http.Client, u string, form url.Values) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// apiCall sends a JSON request (with a bearer token unless token is "")
// and decodes a 2xx answer into out. It returns the status and, for an
// answer 429 or 503, how long it asks to wait in err's place as a
// retryAfter.
// apiAll reads every page of the API's list at u, whose items are in the
// answer's field: the API answers a page at a time (limit, offset, total).
func apiAll[T any](ctx context.Context, c *http.Client, token, u, field string) ([]T, error) {
	const limit = 500 // the API's most
	var all []T
	for {
		var page map[string]json.RawMessage
		pu := fmt.Sprintf("%s?limit=%d&offset=%d", u, limit, len(all))
		if code, err := apiCall(ctx, c, token, http.MethodGet, pu, nil, &page); err != nil || code != http.StatusOK {
			return nil, errLoadPages.With(fmt.Sprintf("%s %d %v", pu, code, err))
		}
		var items []T
		var total int
		if err := json.Unmarshal(page[field], &items); err != nil {
			return nil, errLoadPages.With(fmt.Sprintf("%s: %v", pu, err))
		}
		if err := json.Unmarshal(page["total"], &total); err != nil {
			return nil, errLoadPages.With(fmt.Sprintf("%s: total: %v", pu, err))
		}
		all = append(all, items...)
		if len(items) == 0 || len(all) >= total {
			return all, nil
		}
	}
}

func apiCall(ctx context.Context, c *http.Client, token, method, u string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(ctx, method, u, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 || out == nil {
		io.Copy(io.Discard, resp.Body)
		if s := resp.Header.Get("Retry-After"); s != "" && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
			n, _ := strconv.Atoi(s)
			return resp.StatusCode, retryAfter(time.Duration(n) * time.Second)
		}
		return resp.StatusCode, nil
	}
	return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
}

// retryAfter is the wait an answer 429 or 503 asks for.
type retryAfter time.Duration

func (r retryAfter) Error() string { return "retry after " + time.Duration(r).String() }

// apiRun is what the clients of a run saw.
type apiRun struct {
	mu       sync.Mutex
	seconds  []int // vouchers posted in each second of the run
	posted   int
	requests int
	byStep   map[string][]time.Duration
	statuses map[int]map[string]int // answers not 2xx: status → step → count; 0 for no answer
}

// The steps of a voucher, in order.
var apiSteps = []string{"create", "approve", "post"}

// voucher takes one voucher of b through the three steps.
func (run *apiRun) voucher(ctx context.Context, c *http.Client, b *apiBooks, begin, end time.Time) {
	var made struct {
		ID int64 `json:"id"`
	}
	amount := fmt.Sprintf("%d.%02d", 1+time.Now().UnixNano()%9000, time.Now().Nanosecond()%100)
	body := map[string]any{"date": jiti.DateOf(time.Now()).String(), "lines": []map[string]string{
		{"summary": "负载测试收入", "account": b.debit, "debit": amount},
		{"summary": "负载测试收入", "account": b.credit, "credit": amount}}}
	for i, step := range apiSteps {
		token, method, u, in, out := b.maker, http.MethodPost, "", any(nil), any(nil)
		switch step {
		case "create":
			u, in, out = fmt.Sprintf("%s/api/v1/collectives/%d/vouchers", b.base, b.c.ID), body, &made
		case "approve":
			token, u = b.checker, fmt.Sprintf("%s/api/v1/vouchers/%d/approve", b.base, made.ID)
		case "post":
			u = fmt.Sprintf("%s/api/v1/vouchers/%d/post", b.base, made.ID)
		}
		for {
			if ctx.Err() != nil || time.Now().After(end) {
				return
			}
			t0 := time.Now()
			code, err := apiCall(ctx, c, token, method, u, in, out)
			d := time.Since(t0)
			if ctx.Err() != nil {
				return // interrupted: neither an answer nor a failure
			}
			run.mu.Lock()
			run.requests++
			if code/100 == 2 && err == nil {
				run.byStep[step] = append(run.byStep[step], d)
				if i == len(apiSteps)-1 {
					run.posted++
					if s := int(time.Since(begin) / time.Second); s < len(run.seconds) {
						run.seconds[s]++
					}
				}
			} else {
				if run.statuses[code] == nil {
					run.statuses[code] = map[string]int{}
				}
				run.statuses[code][step]++
			}
			run.mu.Unlock()
			if code/100 == 2 && err == nil {
				break
			}
			if wait, ok := err.(retryAfter); ok {
				select {
				case <-time.After(min(time.Duration(wait), 5*time.Second)):
				case <-ctx.Done():
					return
				}
				continue
			}
			return
		}
	}
}

// reportAPI prints a run: vouchers posted in all and each second, each
// step's latency, and every answer not 2xx by status and step.
func (e *env) reportAPI(run *apiRun, clients, collectives int, elapsed time.Duration) {
	secs := run.seconds[:min(len(run.seconds), int(elapsed/time.Second))]
	sorted := slices.Sorted(slices.Values(secs))
	lo, mid, hi := 0, 0, 0
	if len(sorted) > 0 {
		lo, mid, hi = sorted[0], sorted[len(sorted)/2], sorted[len(sorted)-1]
	}
	e.say("cli.load_api_run", clients, collectives, fmt.Sprintf("%.1f", elapsed.Seconds()), run.posted,
		fmt.Sprintf("%.1f", float64(run.posted)/elapsed.Seconds()), lo, mid, hi)
	per := make([]string, len(secs))
	for i, n := range secs {
		per[i] = strconv.Itoa(n)
	}
	e.say("cli.load_api_seconds", strings.Join(per, " "))
	for _, step := range apiSteps {
		d := run.byStep[step]
		if len(d) == 0 {
			continue
		}
		slices.Sort(d)
		e.say("cli.load_api_step", locale.PadRight(step, 8), len(d), ms(quantile(d, 0.5)), ms(quantile(d, 0.95)), ms(quantile(d, 0.99)), ms(d[len(d)-1]))
	}
	if len(run.statuses) == 0 {
		e.say("cli.load_api_clean")
		return
	}
	codes := make([]int, 0, len(run.statuses))
	for code := range run.statuses {
		codes = append(codes, code)
	}
	sort.Ints(codes)
	for _, code := range codes {
		var parts []string
		total := 0
		for _, step := range apiSteps {
			if n := run.statuses[code][step]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", step, n))
				total += n
			}
		}
		status := strconv.Itoa(code)
		if code == 0 {
			status = e.p.T("cli.load_no_answer")
		}
		e.say("cli.load_api_status", status, total, strings.Join(parts, ", "))
	}
}

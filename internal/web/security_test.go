package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
	"example.org/jiti/internal/web"
)

// behind returns a server of w's database that trusts the proxies given
// (the test's own loopback address among them, so a test plays the proxy
// and writes X-Forwarded-For itself), with its own clock.
func behind(t *testing.T, w *world, proxies string) (*httptest.Server, *web.Server) {
	t.Helper()
	app, err := web.New(w.db, nil)
	must(t, err)
	app.Now = w.db.Now
	if proxies != "" {
		var bad string
		app.TrustedProxies, bad = web.ParseTrustedProxies(proxies)
		if bad != "" {
			t.Fatalf("proxies %q: %q", proxies, bad)
		}
	}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(srv.Close)
	return srv, app
}

// from sends a request as a proxy forwarding for client (no header when
// client is ""), with the forwarded scheme proto (none when "").
func from(t *testing.T, c *http.Client, method, u string, form url.Values, client, proto string) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	must(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if client != "" {
		req.Header.Set("X-Forwarded-For", client)
	}
	if proto != "" {
		req.Header.Set("X-Forwarded-Proto", proto)
	}
	resp, err := c.Do(req)
	must(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return string(b)
}

func newJar() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// TestSignin_Throttle: behind a trusted proxy, a flood of wrong passwords
// from one client waits longer and longer (429, the real seconds left),
// while the administrator signs in from another address at once. From an
// address that is not a trusted proxy, X-Forwarded-For is ignored: a
// flood cannot spread itself over invented addresses.
func TestSignin_Throttle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		now := time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		srv, _ := behind(t, w, "127.0.0.0/8,::1")
		signin := srv.URL + "/signin"
		wrong := url.Values{"name": {"admin"}, "password": {"wrong-password"}}
		right := url.Values{"name": {"admin"}, "password": {password}}

		var waits []string
		for i := 1; i <= 5; i++ {
			resp := from(t, newJar(), "POST", signin, wrong, "203.0.113.9", "https")
			body := readBody(t, resp)
			switch {
			case resp.StatusCode == http.StatusUnauthorized && strings.Contains(body, "用户名或密码错误"):
				waits = append(waits, "")
			case resp.StatusCode == http.StatusTooManyRequests:
				ra := resp.Header.Get("Retry-After")
				if !strings.Contains(body, "请在"+ra+"秒后再试") {
					t.Fatalf("failure %d: Retry-After %s, the page says otherwise", i, ra)
				}
				waits = append(waits, ra)
				// Tried again at once, even with the right password:
				// refused, with the time left computed.
				now = now.Add(time.Second / 2)
				resp := from(t, newJar(), "POST", signin, right, "203.0.113.9", "https")
				if body := readBody(t, resp); resp.StatusCode != http.StatusTooManyRequests ||
					!strings.Contains(body, "请在"+resp.Header.Get("Retry-After")+"秒后再试") || !strings.Contains(body, "最长15分钟") {
					t.Fatalf("during the wait: status %d", resp.StatusCode)
				}
				d, _ := time.ParseDuration(ra + "s")
				now = now.Add(d)
			default:
				t.Fatalf("failure %d: status %d", i, resp.StatusCode)
			}
		}
		if got := strings.Join(waits, ","); got != ",,1,2,4" {
			t.Fatalf("waits %q, want the third failure to wait 1 s and then doubling", got)
		}
		resp := from(t, newJar(), "POST", signin, wrong, "203.0.113.9", "https")
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "8" {
			t.Fatalf("sixth failure: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		// The administrator, elsewhere, is not locked out.
		resp = from(t, newJar(), "POST", signin, right, "198.51.100.7", "https")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the administrator from another address: status %d, want 303 signed in", resp.StatusCode)
		}
		// The failures were counted under the forwarded address.
		ev := lastAudit(t, db, "auth.failed")
		if !strings.Contains(ev, `"remote_addr":"203.0.113.9"`) {
			t.Errorf("failure event %s", ev)
		}

		// Not trusted: the header is the sender's invention, and every
		// failure counts against the sender itself.
		plain, _ := behind(t, w, "")
		codes := ""
		for i := 1; i <= 3; i++ {
			resp := from(t, newJar(), "POST", plain.URL+"/signin", url.Values{"name": {"kuaiji"}, "password": {"nope-nope"}},
				fmt.Sprintf("192.0.2.%d", i), "")
			codes += fmt.Sprint(resp.StatusCode, " ")
		}
		if codes != "401 401 429 " {
			t.Fatalf("untrusted X-Forwarded-For: statuses %s, want the third to wait", codes)
		}
	})
}

// lastAudit returns the new value of the latest audit event of action.
func lastAudit(t *testing.T, db *store.DB, action string) string {
	t.Helper()
	es, _, err := db.FindAuditEvents(context.Background(), store.AuditFilter{Action: action, Limit: 1})
	must(t, err)
	if len(es) == 0 {
		t.Fatalf("no audit event %s", action)
	}
	return string(es[0].New)
}

// TestTLS_CookiesAndHSTS: the session cookie is Secure and HSTS is sent
// when the request came over HTTPS, directly or by a trusted proxy's word,
// never on an untrusted X-Forwarded-Proto. The sign-in page warns when the
// password would cross a network in clear.
func TestTLS_CookiesAndHSTS(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	right := url.Values{"name": {"admin"}, "password": {password}}
	secure := func(resp *http.Response) (cookie, hsts bool) {
		for _, c := range resp.Cookies() {
			if c.Name == "jiti_session" && c.Value != "" {
				cookie = c.Secure
			}
		}
		return cookie, resp.Header.Get("Strict-Transport-Security") != ""
	}
	proxied, _ := behind(t, w, "127.0.0.1")
	plain, _ := behind(t, w, "")
	for _, c := range []struct {
		what, url, client, proto string
		secure, warn             bool
	}{
		{"plain HTTP on this machine", plain.URL, "", "", false, false},
		{"plain HTTP claiming https, untrusted", plain.URL, "203.0.113.5", "https", false, false},
		{"trusted proxy, https", proxied.URL, "203.0.113.5", "https", true, false},
		{"trusted proxy, several proxies, https last", proxied.URL, "203.0.113.5, 127.0.0.1", "http, https", true, false},
		{"trusted proxy, http", proxied.URL, "203.0.113.5", "http", false, true},
		{"trusted proxy, no scheme said", proxied.URL, "203.0.113.5", "", false, true},
	} {
		resp := from(t, newJar(), "POST", c.url+"/signin", right, c.client, c.proto)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: sign in: %d", c.what, resp.StatusCode)
		}
		if cookie, hsts := secure(resp); cookie != c.secure || hsts != c.secure {
			t.Errorf("%s: Secure cookie %v, HSTS %v; want %v", c.what, cookie, hsts, c.secure)
		}
		resp = from(t, newJar(), "GET", c.url+"/signin", nil, c.client, c.proto)
		if warn := strings.Contains(readBody(t, resp), `id="insecure"`); warn != c.warn {
			t.Errorf("%s: the sign-in page warns %v, want %v", c.what, warn, c.warn)
		}
	}

	// Served over TLS itself.
	app, err := web.New(w.db, nil)
	must(t, err)
	tlsSrv := httptest.NewTLSServer(app.Handler())
	defer tlsSrv.Close()
	c := tlsSrv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.PostForm(tlsSrv.URL+"/signin", right)
	must(t, err)
	resp.Body.Close()
	if cookie, hsts := secure(resp); resp.StatusCode != http.StatusSeeOther || !cookie || !hsts {
		t.Errorf("over TLS: status %d, Secure cookie %v, HSTS %v", resp.StatusCode, cookie, hsts)
	}
}

func TestParseTrustedProxies(t *testing.T) {
	ps, bad := web.ParseTrustedProxies(" 10.0.0.0/8, 192.0.2.1,2001:db8::/32 ,")
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32"), netip.MustParsePrefix("2001:db8::/32")}
	if bad != "" || fmt.Sprint(ps) != fmt.Sprint(want) {
		t.Errorf("parsed %v %q, want %v", ps, bad, want)
	}
	if _, bad := web.ParseTrustedProxies("10.0.0.0/8,proxy.example"); bad != "proxy.example" {
		t.Errorf("a host name: %q", bad)
	}
}

// TestMetrics_Access: /metrics on the main address answers only the
// configured bearer token, and is not found without one; the metrics
// handler (-metrics-addr) answers on its own.
func TestMetrics_Access(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	srv, app := behind(t, w, "")
	getWith := func(u, token string) (int, string) {
		req, _ := http.NewRequest("GET", u, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		defer resp.Body.Close()
		return resp.StatusCode, readBody(t, resp)
	}
	if code, _ := getWith(srv.URL+"/metrics", ""); code != http.StatusNotFound {
		t.Errorf("no token configured: %d, want 404", code)
	}
	if code, _ := getWith(srv.URL+"/metrics", "anything"); code != http.StatusNotFound {
		t.Errorf("no token configured, one sent: %d, want 404", code)
	}
	app.MetricsToken = "m-3f9a1c"
	if code, _ := getWith(srv.URL+"/metrics", ""); code != http.StatusNotFound {
		t.Errorf("without the token: %d, want 404", code)
	}
	if code, _ := getWith(srv.URL+"/metrics", "m-3f9a1"); code != http.StatusNotFound {
		t.Errorf("a wrong token: %d, want 404", code)
	}
	code, body := getWith(srv.URL+"/metrics", "m-3f9a1c")
	if code != http.StatusOK || !strings.Contains(body, "jiti_http_requests_total") {
		t.Errorf("with the token: %d", code)
	}
	// The processor time used, which `jiti loadtest` divides by the
	// requests it made (Linux).
	if runtime.GOOS == "linux" && !regexp.MustCompile(`(?m)^process_cpu_seconds_total [0-9.e+-]+$`).MatchString(body) {
		t.Errorf("the metrics lack the process's processor time:\n%s", body)
	}
	app.MetricsToken = ""
	m := httptest.NewServer(app.MetricsHandler())
	defer m.Close()
	if code, body := getWith(m.URL+"/metrics", ""); code != http.StatusOK || !strings.Contains(body, `route="GET /metrics",code="404"`) {
		t.Errorf("on the metrics address: %d\n%s", code, body)
	}
	if code, _ := getWith(m.URL+"/", ""); code != http.StatusNotFound {
		t.Errorf("the metrics address serves more than /metrics: %d", code)
	}
}

// TestInputLimits: a parameter or field too long is 422 naming it, in
// the reader's language, on pages and in the API; a body too large is 413
// with the limit, never a server error.
func TestInputLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.client(t, "kuaiji")
		long := strings.Repeat("租", 50000)
		vouchers := fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, w.f.A.ID)

		code, body := get(t, c, vouchers+"?q="+url.QueryEscape(long))
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "搜索：长度不能超过1000个字符") {
			t.Errorf("a 50,000-character search: %d, want 422 naming the field\n%s", code, body)
		}
		if code, _ := get(t, c, vouchers+"?q="+url.QueryEscape(long[:3*1000])); code != http.StatusOK {
			t.Errorf("a 1,000-character search: %d, want 200", code)
		}
		req, _ := http.NewRequest("GET", vouchers+"?q="+url.QueryEscape(long), nil)
		req.Header.Set("Accept-Language", "en")
		resp, err := w.client(t, "").Do(req) // signed out: the limits hold before anything else
		must(t, err)
		if body := readBody(t, resp); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "search: must not be longer than 1000 characters") {
			t.Errorf("in English: %d\n%s", resp.StatusCode, body)
		}
		resp.Body.Close()
		code, body = get(t, c, vouchers+"?"+strings.Repeat("x", 200)+"=1")
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "不能超过100个字符") {
			t.Errorf("a parameter's name of 200 characters: %d", code)
		}

		newVoucher := vouchers + "/new"
		code, body, _ = postTo(t, c, newVoucher, url.Values{"date": {"2025-06-01"}, "note": {strings.Repeat("备", 1001)}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "备注：长度不能超过1000个字符") {
			t.Errorf("a form field of 1,001 characters: %d\n%s", code, body)
		}

		// 20 MB of form: refused by its length, or, sent without one,
		// cut where the limit is.
		big := "note=" + strings.Repeat("x", 20<<20)
		for _, sized := range []bool{true, false} {
			var rd io.Reader = strings.NewReader(big)
			if !sized {
				rd = io.MultiReader(rd) // no length known: sent chunked
			}
			req, _ := http.NewRequest("POST", newVoucher, rd)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := c.Do(req)
			must(t, err)
			body := readBody(t, resp)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "提交的内容过大，不能超过4 MB") {
				t.Errorf("a 20 MB form (length given %v): %d\n%s", sized, resp.StatusCode, body)
			}
		}
		// A multipart upload past a document's size.
		req, _ = http.NewRequest("POST", fmt.Sprintf("%s/c/%d/vouchers/%d/documents", w.srv.URL, w.f.A.ID, w.draft.ID),
			strings.NewReader(strings.Repeat("x", 12<<20)))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
		resp, err = c.Do(req)
		must(t, err)
		if body := readBody(t, resp); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "不能超过10 MB") {
			t.Errorf("a 12 MB upload: %d\n%s", resp.StatusCode, body)
		}
		resp.Body.Close()

		// The API: the same limits, answered in its JSON.
		a := w.apiAs(t, "kuaiji")
		a.get(fmt.Sprintf("/collectives/%d/vouchers?q=%s", w.f.A.ID, url.QueryEscape(long))).
			wantError(t, http.StatusUnprocessableEntity, "error.too_long", "q", "API search of 50,000 characters")
		ans := a.do("POST", fmt.Sprintf("/collectives/%d/vouchers", w.f.A.ID),
			`{"date": "2025-06-01", "lines": [{"summary": "x", "account": "10201", "debit": "1.00"}, {"summary": "`+
				strings.Repeat("长", 1001)+`", "account": "50101", "credit": "1.00"}]}`)
		ans.wantError(t, http.StatusUnprocessableEntity, "error.too_long", "lines[2].summary", "API summary of 1,001 characters")
		if _, msg, _ := ans.errorOf(); !strings.Contains(msg, "第2行") {
			t.Errorf("the API's message does not name the line: %q", msg)
		}
	})
}

// TestAPITokens_End: a token past its expiry, after its user's password
// changed, or of a user disabled (and enabled again) is refused with 401.
func TestAPITokens_End(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		now := time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		token := func(user string, ttl time.Duration) *api {
			a := w.apiAs(t, "")
			tok, _, err := db.CreateAPIToken(ctx, w.users[user], "test", ttl)
			must(t, err)
			a.token = tok
			a.get("/me").want(t, http.StatusOK, user+"'s new token")
			return a
		}

		short := token("cunkuaiji", 24*time.Hour)
		now = now.Add(24 * time.Hour)
		short.get("/me").wantError(t, http.StatusUnauthorized, store.ErrTokenExpired.Key, "", "a token past its expiry")

		// A change of password through the page ends the user's tokens.
		a := token("cunkuaiji", 0)
		c := w.client(t, "cunkuaiji")
		code, _ := post(t, c, w.srv.URL+"/password", url.Values{"old_password": {password}, "new_password": {"Changed-2026!"},
			"password_again": {"Changed-2026!"}})
		if code != http.StatusOK {
			t.Fatalf("change of password: %d", code)
		}
		a.get("/me").wantError(t, http.StatusUnauthorized, store.ErrTokenInvalid.Key, "", "a token after a change of password")

		// Disabling ends them too, and enabling again revives none.
		a = token("cunshenhe", 0)
		admin := w.client(t, "admin")
		uid := w.users["cunshenhe"]
		if code, _ := post(t, admin, fmt.Sprintf("%s/admin/users/%d/disable", w.srv.URL, uid), nil); code != http.StatusSeeOther {
			t.Fatalf("disable: %d", code)
		}
		a.get("/me").wantError(t, http.StatusUnauthorized, store.ErrTokenInvalid.Key, "", "a disabled user's token")
		if code, _ := post(t, admin, fmt.Sprintf("%s/admin/users/%d/enable", w.srv.URL, uid), nil); code != http.StatusSeeOther {
			t.Fatalf("enable: %d", code)
		}
		a.get("/me").wantError(t, http.StatusUnauthorized, store.ErrTokenInvalid.Key, "", "a token after enabling its user again")
	})
}

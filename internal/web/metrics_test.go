package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"example.org/jiti/internal/store/storetest"
)

// TestMetrics_Exposition: /metrics passes the checks of `promtool check
// metrics` (which is not installed here; Debian's prometheus package that
// carries it is some 96 MB): every family has one HELP and one TYPE before
// its samples, names and labels are valid, counters end in _total, no
// series appears twice, every histogram has its +Inf bucket equal to its
// count. Addresses the server does not have are one route, whatever their
// number: a scanner cannot make a series per path.
func TestMetrics_Exposition(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	srv, app := behind(t, w, "")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := range 40 {
		for _, p := range []string{"/nothing-%d", "/api/v1/nothing-%d", "/c/%d/nothing", "/static/x%d.css", "/vouchers/../x%d"} {
			resp, err := c.Get(srv.URL + fmt.Sprintf(p, i))
			must(t, err)
			resp.Body.Close()
		}
	}
	if resp, err := c.Get(srv.URL + "/signin"); err == nil {
		resp.Body.Close()
	}
	m := httptest.NewServer(app.MetricsHandler())
	defer m.Close()
	resp, err := http.Get(m.URL + "/metrics")
	must(t, err)
	body := readBody(t, resp)
	for _, e := range checkExposition(body) {
		t.Error(e)
	}
	routes := map[string]bool{}
	for _, m := range regexp.MustCompile(`jiti_http_requests_total\{route="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		routes[m[1]] = true
	}
	if len(routes) > 10 {
		t.Errorf("%d routes after 200 requests to addresses that do not exist, want them counted as one:\n%s", len(routes), body)
	}
	t.Logf("routes: %v", routes)
	for r := range routes {
		if strings.Contains(r, "nothing") || strings.Contains(r, "x1") {
			t.Errorf("route %q is a path, not a route", r)
		}
	}
}

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ([^ ]+)$`)
	labelPair  = regexp.MustCompile(`([^=,]+)="((?:[^"\\]|\\[\\"n])*)"`)
)

// checkExposition checks a text exposition (format 0.0.4) as promtool
// check metrics does, and returns the problems.
func checkExposition(body string) []string {
	var errs []string
	help, typ := map[string]bool{}, map[string]string{}
	seen := map[string]bool{}
	sampled := map[string]bool{}
	infBucket, count := map[string]string{}, map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		at := fmt.Sprintf("line %d %q", i+1, line)
		switch {
		case strings.HasPrefix(line, "# HELP "), strings.HasPrefix(line, "# TYPE "):
			f := strings.SplitN(line, " ", 4)
			if len(f) < 4 || !metricName.MatchString(f[2]) || f[3] == "" {
				errs = append(errs, at+": malformed")
				continue
			}
			name := f[2]
			if sampled[name] {
				errs = append(errs, at+": comes after the family's samples")
			}
			if f[1] == "HELP" {
				if help[name] {
					errs = append(errs, at+": second HELP")
				}
				help[name] = true
				continue
			}
			if _, dup := typ[name]; dup {
				errs = append(errs, at+": second TYPE")
			}
			switch f[3] {
			case "counter", "gauge", "histogram", "summary", "untyped":
			default:
				errs = append(errs, at+": unknown type")
			}
			if f[3] == "counter" && !strings.HasSuffix(name, "_total") {
				errs = append(errs, at+": counter not named _total")
			}
			typ[name] = f[3]
		case strings.HasPrefix(line, "#"):
		default:
			m := sampleLine.FindStringSubmatch(line)
			if m == nil {
				errs = append(errs, at+": not a sample")
				continue
			}
			name, labels := m[1], m[3]
			family := name
			for _, suf := range []string{"_bucket", "_sum", "_count"} {
				if base, ok := strings.CutSuffix(name, suf); ok && typ[base] == "histogram" {
					family = base
				}
			}
			sampled[family] = true
			if !help[family] {
				errs = append(errs, at+": no HELP for "+family)
			}
			if typ[family] == "" {
				errs = append(errs, at+": no TYPE for "+family)
			}
			rest := labels
			names := map[string]bool{}
			var key []string
			for _, lp := range labelPair.FindAllStringSubmatch(labels, -1) {
				ln := strings.TrimPrefix(lp[1], ",")
				if !labelName.MatchString(ln) || strings.HasPrefix(ln, "__") || names[ln] {
					errs = append(errs, at+": label "+ln)
				}
				names[ln] = true
				rest = strings.Replace(rest, lp[0], "", 1)
				if ln != "le" {
					key = append(key, lp[0])
				}
			}
			if strings.Trim(rest, ",") != "" {
				errs = append(errs, at+": labels not read: "+rest)
			}
			series := name + "{" + labels + "}"
			if seen[series] {
				errs = append(errs, at+": series twice")
			}
			seen[series] = true
			id := family + "{" + strings.Join(key, ",") + "}"
			if name == family+"_bucket" && strings.Contains(labels, `le="+Inf"`) {
				infBucket[id] = m[4]
			}
			if name == family+"_count" {
				count[id] = m[4]
			}
		}
	}
	for id, n := range count {
		if infBucket[id] != n {
			errs = append(errs, fmt.Sprintf("%s: +Inf bucket %q, count %s", id, infBucket[id], n))
		}
	}
	return errs
}

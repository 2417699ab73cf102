package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.org/jiti/internal/cli"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
	"example.org/jiti/internal/web"
)

// TestLoadtest runs both modes of `jiti loadtest` against a server of a
// small county, on both engines: the pages (every kind loaded, none
// failed, the server's processor time per request read from its metrics),
// and the API (vouchers created, approved and posted by a maker and an
// approver made for each collective, every answer 2xx, and as many posted
// vouchers in the books as the report says).
func TestLoadtest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// The API's vouchers are dated today, by the client's clock.
		db.Now = time.Now
		f := storetest.Seed(t, db)
		if err := db.SetPassword(ctx, f.Admin, f.Admin, "load-test-2025"); err != nil {
			t.Fatal(err)
		}
		f.Post(t, f.A.ID, "2025-03-05", storetest.Line("租金", "10201", "1200"), storetest.Line("租金", "50101", "-1200"))
		app, err := web.New(db, nil)
		if err != nil {
			t.Fatal(err)
		}
		app.MetricsToken = "m-load"
		srv := httptest.NewServer(app.Handler())
		defer srv.Close()
		env := map[string]string{"JITI_LANG": "en", "JITI_METRICS_TOKEN": "m-load"}
		run := func(args ...string) string {
			t.Helper()
			var out, errb bytes.Buffer
			code := cli.Run(ctx, append([]string{"loadtest", "-url", srv.URL, "-user", "admin"}, args...),
				strings.NewReader("load-test-2025\n"), &out, &errb, func(k string) string { return env[k] })
			if code != 0 {
				t.Fatalf("loadtest %v: exit %d\n%s\n%s", args, code, out.String(), errb.String())
			}
			return out.String()
		}

		out := run("-clients", "3", "-n", "30")
		for _, kind := range []string{"dashboard", "vouchers", "trial-balance"} {
			if !regexp.MustCompile(`(?m)^  ` + kind + ` +10 requests .* failed 0$`).MatchString(out) {
				t.Errorf("pages: %s not loaded 10 times without failure:\n%s", kind, out)
			}
		}
		if runtime.GOOS == "linux" && !regexp.MustCompile(`server processor time per request [0-9.]+ ms`).MatchString(out) {
			t.Errorf("pages: no processor time per request:\n%s", out)
		}

		out = run("-api", "-clients", "4", "-collectives", "2", "-duration", "2s")
		m := regexp.MustCompile(`4 clients on 2 collectives for [0-9.]+ s: (\d+) vouchers posted`).FindStringSubmatch(out)
		if m == nil || m[1] == "0" || !strings.Contains(out, "every answer was 2xx") ||
			!regexp.MustCompile(`(?m)^  create +\d+ requests`).MatchString(out) {
			t.Fatalf("api: no vouchers posted, or answers not 2xx:\n%s", out)
		}
		var posted int
		err = storetest.Query(db, `SELECT COUNT(*) FROM vouchers v JOIN users u ON u.id = v.maker_id
WHERE v.status = 'posted' AND u.name LIKE 'lt-kj-%'`, func(rows *sql.Rows) error { return rows.Scan(&posted) })
		if err != nil {
			t.Fatal(err)
		}
		if strconv.Itoa(posted) != m[1] {
			t.Errorf("api: the report says %s vouchers posted, the books hold %d", m[1], posted)
		}
		// A second run finds its users made by the first.
		if out := run("-api", "-clients", "2", "-duration", "1s"); !strings.Contains(out, "every answer was 2xx") {
			t.Errorf("api, again: %s", out)
		}
	})
}

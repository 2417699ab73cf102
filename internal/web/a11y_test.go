package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// axeSource reads axe-core (axe.min.js), the accessibility checker the
// test runs inside each page. scripts/test.sh fetches it from the npm
// registry at a pinned version and passes its path as JITI_AXE. With
// JITI_REQUIRE_BROWSER=1 a missing axe fails the test rather than skipping.
func axeSource(t *testing.T) string {
	t.Helper()
	p := os.Getenv("JITI_AXE")
	if p != "" {
		b, err := os.ReadFile(p)
		if err == nil {
			return string(b)
		}
		if os.Getenv("JITI_REQUIRE_BROWSER") == "1" {
			t.Fatalf("JITI_AXE=%s: %v", p, err)
		}
	}
	if os.Getenv("JITI_REQUIRE_BROWSER") == "1" {
		t.Fatal("axe-core is required (JITI_REQUIRE_BROWSER=1): set JITI_AXE to axe.min.js (scripts/test.sh fetches it)")
	}
	t.Skip("no axe-core; set JITI_AXE to axe.min.js (scripts/test.sh fetches it)")
	return ""
}

// axeRun runs axe on the page against WCAG 2.0–2.2 A and AA and returns
// its critical and serious violations, one line each: rule, impact, and
// the first elements concerned.
const axeRun = `(async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]});
  return r.violations.filter(v => v.impact === "critical" || v.impact === "serious")
    .map(v => v.id + " (" + v.impact + ", " + v.nodes.length + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ") + (n.any[0] ? " — " + n.any[0].message : "")).join(" | "));
})()`

// pageLinks lists the same-origin pages a page links to, leaving out what
// is not a page (downloads, documents, the language switch, static files).
const pageLinks = `Array.from(document.querySelectorAll("a[href]")).map(a => new URL(a.getAttribute("href"), location.href).href.split("#")[0])
  .filter(h => h.startsWith(location.origin) && !/\/(lang|static|documents)\/|[?&](format|download)=|\.(xlsx|csv|pdf)$/.test(h))`

// settle waits two frames and a moment, for what the page does on resize.
const settle = `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => r(true), 30))))`

// routeKey is a page's route, for visiting each kind of page once per
// role: numbers become N and the query is left out, except print views.
func routeKey(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	if p.Fragment != "" { // a page named for what it shows: #404
		return "#" + p.Fragment
	}
	k := regexp.MustCompile(`\d+`).ReplaceAllString(p.Path, "N")
	if p.Query().Get("print") != "" {
		k += "?print"
	}
	return k
}

// TestE2E_Accessibility runs axe-core in every page each role reaches
// from its home page (each route once, following links), and in the
// voucher form, the 403 and 404 pages, in Chinese and English, at a
// desktop's 1280 px and a phone's 390 px: no critical or serious
// violation of WCAG 2.2 A/AA is allowed. The counts per page are written
// to axe-report.txt beside the screenshots.
func TestE2E_Accessibility(t *testing.T) {
	browser := browserPath(t)
	axe := axeSource(t)
	w := newWorld(t, storetest.OpenSQLite(t))
	addPaperRecords(t, w) // a long voucher and assets: registers with records
	assets, err := w.db.FindAssets(context.Background(), store.AssetFilter{CollectiveID: w.f.A.ID})
	must(t, err)
	asset := assets[0].ID
	out := artifacts(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.WindowSize(1280, 1000))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 12*time.Minute)
	defer cancel()
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	check := func() []string {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
			t.Fatalf("load axe: %v", err)
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("run axe: %v", err)
		}
		return v
	}
	var report []string
	total := 0
	// checkWidths checks the page open at both widths.
	checkWidths := func(who, lang, page string) {
		t.Helper()
		for _, width := range []int64{1280, 390} {
			run("width", chromedp.EmulateViewport(width, 844))
			// A frame for the page's resize handlers (app.js marks the
			// tables that now scroll).
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](settle, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatalf("settle: %v", err)
			}
			v := check()
			total += len(v)
			report = append(report, fmt.Sprintf("%s\t%s\t%d\t%s\t%d", who, lang, width, page, len(v)))
			for _, line := range v {
				report = append(report, "\t"+line)
				t.Errorf("%s, %s, %d px, %s: %s", who, lang, width, page, line)
			}
		}
	}
	for _, lang := range []string{"zh-CN", "en"} {
		run("sign-in page", chromedp.Navigate(w.srv.URL+"/lang/"+lang), chromedp.EmulateViewport(1280, 1000),
			chromedp.Navigate(w.srv.URL+"/signin"), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))
		checkWidths("-", lang, "/signin")
	}

	roles := make([]string, 0, len(w.users))
	for name := range w.users {
		roles = append(roles, name)
	}
	sort.Strings(roles)
	checked := map[string]bool{} // routes checked, by any role
	for _, role := range roles {
		run("sign in as "+role,
			chromedp.Navigate(w.srv.URL+"/signin"),
			chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name=name]`), role),
			chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
			chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))
		// The pages: each route once, found from the home page (breadth
		// first, a bounded number), and those no link leads to.
		var pages []string
		seen := map[string]bool{}
		add := func(u string) {
			if k := routeKey(u); !seen[k] && len(pages) < maxPagesPerRole {
				seen[k] = true
				pages = append(pages, u)
			}
		}
		// Each role's own pages; a route another role's pass has checked
		// is followed for its links but checked again only where it
		// differs by role (the home page, a voucher and its form).
		byRole := regexp.MustCompile(`^/(|c/N/vouchers/N|c/N/vouchers/new)$`)
		a := w.f.A.ID
		for _, p := range []string{"/", fmt.Sprintf("/c/%d/vouchers/%d", a, w.posted["A"].ID), fmt.Sprintf("/c/%d/vouchers/%d", a, w.draft.ID),
			fmt.Sprintf("/c/%d/vouchers/new", a), fmt.Sprintf("/c/%d/vouchers/%d/edit", a, w.draft.ID), fmt.Sprintf("/c/%d/vouchers/%d/print", a, w.posted["A"].ID),
			fmt.Sprintf("/c/%d/vouchers/999999#404", a), fmt.Sprintf("/c/%d#other-township", w.O.ID), fmt.Sprintf("/c/%d#other-village", w.f.B.ID),
			fmt.Sprintf("/c/%d/ledger?account=10201", a), fmt.Sprintf("/c/%d/assets/%d", a, asset), "/r/620422/warnings", "/admin/users"} {
			add(w.srv.URL + p)
		}
		for _, lang := range []string{"zh-CN", "en"} {
			run("language", chromedp.Navigate(w.srv.URL+"/lang/"+lang))
			for i := 0; i < len(pages); i++ { // pages grows as the Chinese pass follows links
				page := pages[i]
				run("open "+page, chromedp.EmulateViewport(1280, 1000), chromedp.Navigate(page), chromedp.WaitReady(chromedp.CSS(`body`)))
				if lang == "zh-CN" {
					links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](pageLinks))
					must(t, err)
					for _, l := range links {
						add(l)
					}
				}
				key := routeKey(page)
				if checked[key+" "+lang] && !byRole.MatchString(key) {
					continue
				}
				checkWidths(role, lang, strings.TrimPrefix(page, w.srv.URL))
				checked[key+" "+lang] = true
			}
		}
		run("sign out", chromedp.Navigate(w.srv.URL+"/password"), chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))
	}
	must(t, os.WriteFile(filepath.Join(out, "axe-report.txt"), []byte(strings.Join(report, "\n")+"\n"), 0o644))
	t.Logf("axe: %d critical or serious violations in %d page views", total, len(report))
}

// maxPagesPerRole bounds the pages the accessibility test visits for one
// role: every route a role reaches is far fewer.
const maxPagesPerRole = 80

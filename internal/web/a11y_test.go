package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

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
	addMembers(t, w)
	addSharesO(t, w) // shares, certificates and a distribution of O
	assets, err := w.db.FindAssets(context.Background(), store.AssetFilter{CollectiveID: w.f.A.ID})
	must(t, err)
	asset := assets[0].ID
	out := artifacts(t)

	ctx, run := newBrowser(t, browser, 1280, 1000, 12*time.Minute)
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
			fmt.Sprintf("/c/%d/ledger?account=10201", a), fmt.Sprintf("/c/%d/assets/%d", a, asset), "/r/620422/warnings", "/admin/users",
			fmt.Sprintf("/c/%d/shares", w.O.ID), fmt.Sprintf("/c/%d/certificates/%s-0001", w.O.ID, w.O.Code),
			fmt.Sprintf("/c/%d/distributions/2025", w.O.ID), fmt.Sprintf("/c/%d/households/H001", w.O.ID), "/p/certificates/" + w.O.Code + "-0002"} {
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

// tabUntil presses Tab until the focused element matches sel, at most
// limit times, and tells whether it got there: what a keyboard user does to
// reach a control.
func tabUntil(ctx context.Context, sel string, limit int) (bool, error) {
	for i := 0; i < limit; i++ {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!(document.activeElement && document.activeElement.matches(%q))`, sel)))
		if err != nil || ok {
			return ok, err
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			return false, err
		}
	}
	return false, nil
}

// enter presses Enter as a keyboard does: one keydown that carries the
// character, so that a handler cancelling the keydown also cancels what the
// key would do (submit the form). chromedp's KeyEvent sends the character as
// an event of its own, which submits the form whatever the keydown's
// handler said.
var enter = chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
	down := input.DispatchKeyEventParams{Type: kb.KeyDown, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Text: "\r", UnmodifiedText: "\r"}
	if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, down); err != nil {
		return err
	}
	up := input.DispatchKeyEventParams{Type: kb.KeyUp, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
	_, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, up)
	return err
})

// TestE2E_Keyboard enters, saves and approves a voucher with the keyboard
// alone, as a user who cannot use a mouse: the skip link leads to the
// content; the account picker is an ARIA combobox driven by the arrow keys
// and Enter; the balance is a live region; a line added is labelled with
// its own number; a server-side error marks its field (aria-invalid,
// aria-describedby) and takes the focus there; Enter in a field saves
// (保存 is the default button, not 增加一行); the supervisor approves by
// keyboard.
func TestE2E_Keyboard(t *testing.T) {
	browser := browserPath(t)
	w := newWorld(t, storetest.OpenSQLite(t))
	ctx, run := newBrowser(t, browser, 1280, 1000, 4*time.Minute)
	tab := func(sel string) {
		t.Helper()
		ok, err := tabUntil(ctx, sel, 60)
		if err != nil || !ok {
			t.Fatalf("Tab does not reach %s (%v)", sel, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	// keys types k; "\r" in it is Enter as a browser delivers it (enter).
	keys := func(what, k string) {
		t.Helper()
		for i, part := range strings.Split(k, "\r") {
			if i > 0 {
				run(what+": Enter", enter)
			}
			if part != "" {
				run(what, chromedp.KeyEvent(part))
			}
		}
	}
	signIn := func(name string) {
		t.Helper()
		run("sign-in page", chromedp.Navigate(w.srv.URL+"/signin"), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))
		tab(`input[name=name]`)
		keys("name", name+kb.Tab+password+"\r")
		run("signed in", chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))
	}
	run("Chinese", chromedp.Navigate(w.srv.URL+"/lang/zh-CN"))
	signIn("kuaiji")

	form := fmt.Sprintf("%s/c/%d/vouchers/new", w.srv.URL, w.f.A.ID)
	run("the form", chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS(`#voucher-form[data-ready]`)))
	// The first Tab shows the skip link; Enter on it moves to the content.
	keys("first tab", kb.Tab)
	if got := eval(`document.activeElement.className + " " + (document.activeElement.getBoundingClientRect().top >= 0)`); got != "skip true" {
		t.Fatalf("the first Tab reaches %q, want the visible skip link", got)
	}
	keys("skip", "\r")
	if got := eval(`document.activeElement.id`); got != "main" {
		t.Errorf("the skip link leads to %q, want main", got)
	}
	run("date", chromedp.SetValue(chromedp.CSS(`input[name=date]`), "2025-06-18")) // a date field's typing differs by locale

	tab(`input[name=line_summary_1]`)
	keys("line 1", "收鱼塘承包费"+kb.Tab+"yhck")
	run("suggestions", chromedp.WaitVisible(chromedp.CSS(`.picker li[data-code="10201"]`)))
	keys("down", kb.ArrowDown)
	combo := `(() => { const a = document.activeElement, id = a.getAttribute("aria-activedescendant"), o = id && document.getElementById(id);
	  return [a.getAttribute("role"), a.getAttribute("aria-expanded"), a.getAttribute("aria-controls"), document.getElementById(a.getAttribute("aria-controls")) ? "list" : "none",
	    o ? o.getAttribute("role") + " " + o.getAttribute("aria-selected") : "no option"].join(","); })()`
	if got := eval(combo); got != "combobox,true,account-picker,list,option true" {
		t.Errorf("the account field as a combobox: %q", got)
	}
	keys("choose", "\r")
	if got := eval(`document.activeElement.name + " " + document.querySelector("input[name=line_account_1]").value + " " + document.querySelector("input[name=line_account_1]").getAttribute("aria-expanded")`); got != "line_debit_1 10201 false" {
		t.Errorf("after choosing by Enter: %q, want the focus on the debit, 10201 chosen, the list closed", got)
	}
	keys("debit", "1500")
	tab(`input[name=line_summary_2]`)
	// An account that does not exist: the server's error comes back.
	keys("line 2", "收鱼塘承包费"+kb.Tab+"59999"+kb.Escape+kb.Tab+kb.Tab+"1500")
	if got := eval(`(() => { const b = document.getElementById("balance"); return b.getAttribute("role") + " " + b.textContent; })()`); got != "status 借贷平衡" {
		t.Errorf("balance: %q, want a status (live region) saying 借贷平衡", got)
	}
	// Add a line (Enter on 增加一行), see its label, remove it again.
	tab(`#add-line`)
	keys("add a line", "\r")
	rows := eval(`String(document.querySelectorAll("#lines tbody tr").length)`)
	if got := eval(`document.activeElement.name + " " + document.activeElement.getAttribute("aria-label")`); got != "line_summary_"+rows+" 摘要 "+rows {
		t.Errorf("the added line's first field: %q, want line_summary_%s labelled 摘要 %[2]s", got, rows)
	}
	tab(`#lines tbody tr:last-child .remove-line`)
	keys("remove the line", "\r")
	// Enter in a field saves.
	tab(`input[name=line_credit_2]`)
	keys("save by Enter", "\r")
	run("the error", chromedp.WaitVisible(chromedp.CSS(`.field-error`)), chromedp.WaitVisible(chromedp.CSS(`#voucher-form[data-ready]`)))
	errState := `(() => { const a = document.activeElement, d = a.getAttribute("aria-describedby"), m = d && document.getElementById(d);
	  return [a.name, a.getAttribute("aria-invalid"), m ? m.className : "no message"].join(","); })()`
	if got := eval(errState); got != "line_account_2,true,field-error" {
		t.Fatalf("after a server-side error the focus is on %q, want line_account_2 marked invalid and described by its message", got)
	}
	run("select the account", chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	keys("correct the account", "50101"+kb.Escape+"\r")
	// The form has its own .actions: the voucher's page is the one whose
	// heading carries the voucher's status.
	run("saved", chromedp.WaitVisible(chromedp.CSS(`h1 span.status`)))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, err)
	if !strings.Contains(loc, "done=save") {
		t.Fatalf("Enter in a field did not save: at %s", loc)
	}
	voucher := loc[:strings.Index(loc, "?")]
	if n := eval(`String(document.querySelectorAll("table.voucher tbody tr:not(.bold)").length)`); n != "2" {
		t.Errorf("the saved voucher has %s lines, want 2 (Enter must not add a line)", n)
	}
	tab(`form[action="/signout"] button`)
	keys("sign out", "\r")
	run("signed out", chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))

	signIn("shenhe")
	run("the voucher", chromedp.Navigate(voucher), chromedp.WaitVisible(chromedp.CSS(`form[action$="/approve"] button`)))
	tab(`form[action$="/approve"] button`)
	keys("approve", "\r")
	run("approved", chromedp.WaitVisible(chromedp.CSS(`p.ok`)))
	if got := eval(`document.querySelector("h1 .status").className`); got != "status approved" {
		t.Errorf("after approving by keyboard the voucher is %q", got)
	}
}

// TestPages_ErrorTitles: a page refused (403) and a page not found (404)
// have titles of their own, which is what a screen reader reads first.
func TestPages_ErrorTitles(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	c := w.client(t, "cunkuaiji") // village A's accountant
	title := func(page string, want int) string {
		t.Helper()
		code, body := get(t, c, w.srv.URL+page)
		if code != want {
			t.Fatalf("%s: status %d, want %d", page, code, want)
		}
		m := regexp.MustCompile(`<title>([^<]*)</title>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no title", page)
		}
		return m[1]
	}
	get(t, c, w.srv.URL+"/lang/zh-CN")
	forbidden := title("/admin/users", http.StatusForbidden)
	missing := title(fmt.Sprintf("/c/%d/vouchers/999999", w.f.A.ID), http.StatusNotFound)
	if !strings.HasPrefix(forbidden, "无权访问") || !strings.HasPrefix(missing, "找不到页面") {
		t.Errorf("403 titled %q, 404 titled %q", forbidden, missing)
	}
	// An address no route serves is the same page, not the mux's bare
	// "404 page not found", signed in or not.
	for _, cl := range []*http.Client{c, w.client(t, "")} {
		code, body := get(t, cl, w.srv.URL+"/no/such/page")
		if code != http.StatusNotFound || !strings.Contains(body, "<title>找不到页面") && !strings.Contains(body, "<title>Page not found") {
			t.Errorf("an unknown address: status %d\n%s", code, body[:min(len(body), 400)])
		}
	}
}

// TestPages_ChineseNamesMarked: on an English page the Chinese names (the
// collective's, in its heading and the breadcrumbs) are marked
// lang="zh-CN"; on a Chinese page they need no mark.
func TestPages_ChineseNamesMarked(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	c := w.client(t, "kuaiji")
	page := fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, w.f.A.ID)
	get(t, c, w.srv.URL+"/lang/en")
	_, body := get(t, c, page)
	if !strings.Contains(body, `<html lang="en">`) || strings.Count(body, `<span lang="zh-CN">南什村股份经济合作社</span>`) < 1 {
		t.Errorf("English page: the collective's name is not marked as Chinese:\n%s", body[:min(len(body), 2000)])
	}
	get(t, c, w.srv.URL+"/lang/zh-CN")
	if _, body = get(t, c, page); strings.Contains(body, `lang="zh-CN">南什村`) {
		t.Error("Chinese page: a name marked as Chinese again")
	}
}

// offscreen lists the elements matching sel that a phone's screen does not
// show without scrolling sideways: those passing its right or left edge.
const offscreen = `(() => Array.from(document.querySelectorAll(%q)).filter(e => e.getClientRects().length)
  .filter(e => { const r = e.getBoundingClientRect(); return r.right > innerWidth + 0.5 || r.left < -0.5; })
  .map(e => e.tagName.toLowerCase() + "." + e.className + " " + e.textContent.trim().slice(0, 20) + " at " + Math.round(e.getBoundingClientRect().left) + "–" + Math.round(e.getBoundingClientRect().right)))()`

// TestE2E_Phone opens the pages at a phone's width (390 px): the header's
// items wrap between themselves, never inside one (the admin's header
// stood one character to a line); a voucher's amounts, the voucher list's
// amounts and statuses, a balance sheet's 期末数 and the dashboard's 同比
// are on the screen without scrolling sideways; a table that must scroll
// says so in a visible line and takes the keyboard's focus; chart text
// stays at 11 px or more, and each chart's figures are a table one click
// away.
func TestE2E_Phone(t *testing.T) {
	browser := browserPath(t)
	w := newWorld(t, storetest.OpenSQLite(t))
	shots := artifacts(t)
	ctx, run := newBrowser(t, browser, 390, 844, 3*time.Minute)
	list := func(js string) []string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	open := func(name, page string) {
		t.Helper()
		run("open "+page, chromedp.Navigate(w.srv.URL+page), chromedp.WaitReady(chromedp.CSS(`main`)))
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](settle, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatal(err)
		}
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(t, err)
		must(t, os.WriteFile(filepath.Join(shots, "phone-"+name+".png"), buf, 0o644))
	}
	run("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile))
	run("Chinese", chromedp.Navigate(w.srv.URL+"/lang/zh-CN"))
	run("sign in", chromedp.Navigate(w.srv.URL+"/signin"), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "admin"), chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))

	a := w.f.A.ID
	open("dashboard", "/r/620422")
	if bad := list(`Array.from(document.querySelectorAll(".top nav > *")).filter(e => e.getBoundingClientRect().height > 36).map(e => e.textContent.trim() + " " + Math.round(e.getBoundingClientRect().height) + "px")`); len(bad) > 0 {
		t.Errorf("the admin's header wraps inside its items: %q", bad)
	}
	if bad := list(fmt.Sprintf(offscreen, ".card .sub")); len(bad) > 0 {
		t.Errorf("dashboard: 同比 off the screen: %q", bad)
	}
	if bad := list(`Array.from(document.querySelectorAll(".chart svg text")).filter(e => e.getClientRects().length)
	  .map(e => [e, parseFloat(getComputedStyle(e).fontSize) * e.closest("svg").getScreenCTM().a]).filter(p => p[1] < 11)
	  .map(p => p[0].textContent + " " + p[1].toFixed(1) + "px")`); len(bad) > 0 {
		t.Errorf("dashboard: chart text under 11 px: %q", bad[:min(len(bad), 5)])
	}
	if bad := list(`Array.from(document.querySelectorAll(".chart")).filter(c => !c.closest("section").querySelector("details.chart-figures table, .scroll > table")).map(c => c.querySelector("svg").getAttribute("aria-label"))`); len(bad) > 0 {
		t.Errorf("dashboard: charts without their figures as a table: %q", bad)
	}
	if bad := list(`Array.from(document.querySelectorAll('svg[role="img"] a')).map(a => a.getAttribute("href"))`); len(bad) > 0 {
		t.Errorf("dashboard: links inside role=img: %q", bad)
	}
	// Tables that scroll say so, and take the focus.
	if bad := list(`Array.from(document.querySelectorAll(".scroll, .chart")).filter(b => b.scrollWidth > b.clientWidth + 1)
	  .filter(b => b.tabIndex !== 0 || !b.previousElementSibling || !b.previousElementSibling.matches(".scroll-hint") || !b.previousElementSibling.getClientRects().length)
	  .map(b => b.className)`); len(bad) > 0 {
		t.Errorf("dashboard: boxes that scroll without saying so or taking the focus: %q", bad)
	}

	for _, c := range []struct{ name, page, sel string }{
		{"voucher", fmt.Sprintf("/c/%d/vouchers/%d", a, w.posted["A"].ID), "table.voucher td.right"},
		{"vouchers", fmt.Sprintf("/c/%d/vouchers", a), "table.report td.right, table.report .status"},
		{"balance-sheet", fmt.Sprintf("/c/%d/balance-sheet?month=2025-12", a), "table.report td.money"},
	} {
		open(c.name, c.page)
		if bad := list(fmt.Sprintf(offscreen, c.sel)); len(bad) > 0 {
			t.Errorf("%s at 390 px: amounts off the screen: %q", c.name, bad[:min(len(bad), 6)])
		}
	}
}

package web_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// browserPath finds Chromium: JITI_CHROMIUM, else Debian's package. With
// JITI_REQUIRE_BROWSER=1 (as the test script sets) a missing browser fails
// the test rather than skipping it.
func browserPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("JITI_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	if os.Getenv("JITI_REQUIRE_BROWSER") == "1" {
		t.Fatal("Chromium is required (JITI_REQUIRE_BROWSER=1): install Debian's chromium or set JITI_CHROMIUM")
	}
	t.Skip("no Chromium; install Debian's chromium to run the browser tests")
	return ""
}

// artifacts is where the run's screenshots go: JITI_ARTIFACTS, else a
// directory of the test's own.
func artifacts(t *testing.T) string {
	dir := os.Getenv("JITI_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, "e2e")
	must(t, os.MkdirAll(dir, 0o755))
	return dir
}

// pickerHandOver types in one account field, moves at once to another and
// types there, and tells whether the suggestions are still shown after the
// first field's closing delay; it then empties both fields.
const pickerHandOver = `(async () => {
  const a = document.querySelector("input[name=line_account_4]"), b = document.querySelector("input[name=line_account_3]");
  a.focus(); a.value = "yhck"; a.dispatchEvent(new Event("input"));
  b.focus(); b.value = "zlsr"; b.dispatchEvent(new Event("input"));
  await new Promise(r => setTimeout(r, 500)); // past the closing delay
  const shown = !document.querySelector(".picker").hidden;
  for (const f of [a, b]) { f.value = ""; f.dispatchEvent(new Event("input")); }
  b.blur();
  return shown;
})()`

// TestE2E_VoucherFlow drives the application in headless Chromium as its
// users would: an accountant enters a three-line voucher, finding two of
// its accounts with the picker by pinyin initials, and sees it balance as
// the amounts are typed; the township's supervisor approves it; the
// accountant posts it and finds it in the trial balance and in the print
// view, in Chinese capitals; a village accountant who opens another
// village's voucher by its address is refused. Screenshots of each step
// are kept.
func TestE2E_VoucherFlow(t *testing.T) {
	browser := browserPath(t)
	w := newWorld(t, storetest.OpenSQLite(t))
	shots := artifacts(t)

	// Generous: CI runs the other packages' tests beside this one.
	ctx, run := newBrowser(t, browser, 1280, 1000, 4*time.Minute)

	step := 0
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			buf, err := chromedp.FullScreenshot(100)(ctx, tg) // 100: lossless PNG
			if err != nil {
				return err
			}
			step++
			return os.WriteFile(filepath.Join(shots, fmt.Sprintf("%02d-%s.png", step, name)), buf, 0o644)
		})
	}
	signIn := func(name string) {
		t.Helper()
		run("sign in as "+name,
			chromedp.Navigate(w.srv.URL+"/signin"),
			chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name),
			chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
			chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)),
		)
	}
	signOut := func() {
		t.Helper()
		run("sign out",
			chromedp.Navigate(w.srv.URL+"/password"), // a page with the header, unlike print views
			chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}

	// Chinese, whatever the browser's own language.
	run("switch to Chinese", chromedp.Navigate(w.srv.URL+"/lang/zh-CN"), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))

	// The accountant enters the voucher.
	signIn("kuaiji")
	run("open the voucher form",
		chromedp.Navigate(fmt.Sprintf("%s/c/%d/vouchers/new", w.srv.URL, w.f.A.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#voucher-form[data-ready]`)), // the script has wired the form
		chromedp.Click(chromedp.CSS(`input[name=note]`)))                // the page has the focus, as a user's has
	// Leaving one account field for another within the picker's closing
	// delay: the field left must not close the suggestions of the field
	// now typed in (a fast typist meets this, and so did this test, at times).
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](pickerHandOver, chromedp.EvalAwaitPromise))
	if err != nil || !shown {
		t.Fatalf("the picker of the field typed in was closed by the field left (shown %v, %v)", shown, err)
	}
	run("enter the voucher",
		chromedp.SetValue(chromedp.CSS(`input[name=date]`), "2025-06-18"),
		chromedp.SendKeys(chromedp.CSS(`input[name=line_summary_1]`), "收鱼塘承包费"),
		chromedp.SendKeys(chromedp.CSS(`input[name=line_account_1]`), "yhck"), // 银行存款—农商银行基本户
		// Click as soon as the suggestion shows: a screenshot in between
		// can take the focus from the field, and the picker closes.
		chromedp.WaitVisible(chromedp.CSS(`.picker li[data-code="10201"]`)),
		chromedp.Click(chromedp.CSS(`.picker li[data-code="10201"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=line_debit_1]`), "1500"),
		chromedp.SendKeys(chromedp.CSS(`input[name=line_summary_2]`), "收鱼塘承包费"),
		chromedp.SendKeys(chromedp.CSS(`input[name=line_account_2]`), "zlsr"), // 租赁收入
		chromedp.WaitVisible(chromedp.CSS(`.picker li[data-code="50101"]`)),
		chromedp.Click(chromedp.CSS(`.picker li[data-code="50101"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=line_credit_2]`), "1000"),
	)
	if got := text(`#balance`); !strings.Contains(got, "借贷不平") {
		t.Errorf("two lines of 1500 and 1000: balance says %q, want 借贷不平", got)
	}
	run("the third line",
		chromedp.SendKeys(chromedp.CSS(`input[name=line_summary_3]`), "收机耕服务费"),
		chromedp.SendKeys(chromedp.CSS(`input[name=line_account_3]`), "50102"),
		chromedp.SendKeys(chromedp.CSS(`input[name=line_credit_3]`), "500"),
	)
	if got := text(`#balance`); got != "借贷平衡" {
		t.Errorf("three lines: balance says %q, want 借贷平衡", got)
	}
	if got := text(`#total-debit`); got != "1,500.00" {
		t.Errorf("debit total %q, want 1,500.00", got)
	}
	var names [3]string
	for i := range names {
		names[i] = text(fmt.Sprintf(`#lines tbody tr:nth-child(%d) .account-name`, i+1))
	}
	if names != [3]string{"银行存款—农商银行基本户", "经营收入—租赁收入", "经营收入—服务收入"} {
		t.Errorf("account names beside the codes: %q", names)
	}
	run("save",
		shot("entered"),
		chromedp.Click(chromedp.CSS(`button[name=save]`)),
		chromedp.WaitVisible(chromedp.CSS(`.actions form`)),
	)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, err)
	if !strings.Contains(loc, "done=save") {
		t.Fatalf("after saving: at %s", loc)
	}
	voucherURL := loc[:strings.Index(loc, "?")]
	signOut()

	// The supervisor approves it.
	signIn("shenhe")
	run("approve",
		chromedp.Navigate(voucherURL),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/approve"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/approve"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.ok`)),
		shot("approved"),
	)
	signOut()

	// The accountant posts it and finds it in the trial balance.
	signIn("kuaiji")
	run("post",
		chromedp.Navigate(voucherURL),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/post"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/post"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.ok`)),
		shot("posted"),
	)
	if got := text(`h1`); !strings.Contains(got, "记字第") {
		t.Errorf("posted voucher's heading %q has no number", got)
	}
	run("trial balance",
		chromedp.Navigate(fmt.Sprintf("%s/c/%d/trial-balance?from=2025-06&to=2025-06", w.srv.URL, w.f.A.ID)),
		chromedp.WaitVisible(chromedp.CSS(`table.report`)),
		shot("trial-balance"),
	)
	if tb := text(`table.report`); !strings.Contains(tb, "1,500.00") || !strings.Contains(tb, "500.00") {
		t.Errorf("the trial balance of June lacks the voucher's amounts:\n%s", tb)
	}
	run("print view",
		chromedp.Navigate(voucherURL+"/print"),
		chromedp.WaitVisible(chromedp.CSS(`.voucher-print`)),
		shot("print"),
	)
	if p := text(`.voucher-print`); !strings.Contains(p, "壹仟伍佰元整") || !strings.Contains(p, "记账凭证") {
		t.Errorf("print view lacks 记账凭证 or the total in capitals:\n%s", p)
	}
	signOut()

	// A village accountant guessing another village's voucher.
	signIn("cunkuaiji")
	run("another village's voucher",
		chromedp.Navigate(fmt.Sprintf("%s/c/%d/vouchers/%d", w.srv.URL, w.f.B.ID, w.posted["B"].ID)),
		chromedp.WaitVisible(chromedp.CSS(`p.error`)),
		shot("refused"),
	)
	if body := text(`main`); strings.Contains(body, "南咀村") || !strings.Contains(body, "无权查看") {
		t.Errorf("another village's voucher: the page shows %q", body)
	}
}

// A sheet of paper as the PDF gives it, in points (1/72 in), and the width
// that its print layout has: the sheet less the left and right margins of
// its @page rule in app.css, in CSS pixels (1/96 in).
type sheetSize struct {
	name          string
	width, height float64 // points
	printable     int64   // CSS pixels
}

// pixels is a length in millimetres in whole CSS pixels, rounded down.
// newBrowser starts headless Chromium (browser, from browserPath) with a
// width × height window for one test, for at most limit, and returns its
// context and run, which does actions or fails the test naming what.
func newBrowser(t *testing.T, browser string, width, height int, limit time.Duration) (context.Context, func(string, ...chromedp.Action[chromedp.Void])) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.WindowSize(width, height))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelTime(); cancelBrowser(); cancelAlloc() })
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	return ctx, run
}

func pixels(mm float64) int64 { return int64(mm * 96 / 25.4) }

var (
	sheetA4          = sheetSize{"A4", 595.28, 841.89, pixels(210 - 24)}
	sheetA4Landscape = sheetSize{"A4 landscape", 841.89, 595.28, pixels(297 - 24)}
	sheetVoucher     = sheetSize{"voucher paper", 241 * 72 / 25.4, 140 * 72 / 25.4, pixels(241 - 20)}
)

// pdfToText finds poppler's pdftotext, with which the test reads the
// PDFs' text (Debian's poppler-utils). Like the browser, it is required
// when JITI_REQUIRE_BROWSER=1.
func pdfToText(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("pdftotext"); err == nil {
		return p
	}
	if os.Getenv("JITI_REQUIRE_BROWSER") == "1" {
		t.Fatal("pdftotext is required (JITI_REQUIRE_BROWSER=1): install Debian's poppler-utils")
	}
	t.Skip("no pdftotext; install Debian's poppler-utils to run the print test")
	return ""
}

// pdfPages returns the size of each page of a PDF as Chromium writes it
// (each page's /MediaBox, uncompressed), in points.
func pdfPages(pdf []byte) [][2]float64 {
	var out [][2]float64
	for _, m := range mediaBox.FindAllSubmatch(pdf, -1) {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		out = append(out, [2]float64{w, h})
	}
	return out
}

var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)

// amountPattern matches an amount as a page shows it: 1,234,567.89.
const amountPattern = `-?\d{1,3}(?:,\d{3})*\.\d{2}`

// The script that lists the amounts a page shows inside root, leaving out
// what does not print.
const pageAmounts = `(() => {
  const out = [], re = /` + amountPattern + `/g;
  const walk = document.createTreeWalker(document.querySelector(%q), NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const n = walk.currentNode;
    if (n.parentElement.closest(".noprint")) continue;
    for (const m of n.data.matchAll(re)) out.push(m[0]);
  }
  return out;
})()`

// The script that lists what sticks out of the printable width: the page
// scrolling sideways, an element whose box or content passes the right
// edge, or a scroll box whose content is wider than itself.
const overflowing = `(() => {
  const bad = [], W = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > W) bad.push("the page scrolls: " + document.documentElement.scrollWidth + " > " + W);
  for (const el of document.querySelectorAll("main, main *")) {
    if (el.closest(".noprint, .visually-hidden") || !el.getClientRects().length) continue;
    const r = el.getBoundingClientRect(), name = el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
    if (r.right > W + 0.5) bad.push(name + " ends at " + Math.round(r.right) + " > " + W);
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") bad.push(name + " scrolls: " + el.scrollWidth + " > " + el.clientWidth);
  }
  return bad.slice(0, 10);
})()`

// addPaperRecords gives village A what fills paper: a voucher of thirty
// lines with long summaries, a long account name and amounts past
// 100,000.00, and assets whose costs run to millions. It returns the
// voucher, posted.
func addPaperRecords(t *testing.T, w *world) *ledger.Voucher {
	t.Helper()
	ctx := context.Background()
	db, f := w.db, w.f
	_, err := db.CreateAccount(ctx, f.Accountant, f.A.ID, "10202", "甘肃会宁农村商业银行股份有限公司郭城驿支行专用存款账户")
	must(t, err)
	var lines []ledger.Line
	for i := 1; i <= 15; i++ {
		a := jiti.Amount(int64(i) * 12_345_67)
		account := "10201"
		if i%2 == 0 {
			account = "10202"
		}
		lines = append(lines,
			ledger.Line{Summary: fmt.Sprintf("收第%d村民小组二〇二五年度鱼塘、果园、河滩地及机动地承包费（含往年欠缴部分和滞纳金）", i), Account: account, Debit: a},
			ledger.Line{Summary: fmt.Sprintf("确认第%d村民小组承包收入", i), Account: "50101", Credit: a})
	}
	v := f.Post(t, f.A.ID, "2025-06-18", lines...)
	for i, a := range []struct {
		code, name string
		cost       string
	}{{"ZC-101", "南什村村民综合服务中心办公楼（含附属设施、院落硬化及围墙）", "1234567.89"}, {"ZC-102", "南什村冷库", "100000"}, {"ZC-103", "南什村旋耕机", "56789.01"}} {
		_, err := db.CreateAsset(ctx, f.Accountant, store.AssetInput{Asset: register.Asset{CollectiveID: f.A.ID, Code: a.code, Name: a.name,
			Category: register.Building, Nature: register.Operating, Use: register.ForProduction, Quantity: "1", Unit: "座",
			Location: "南什村一社村委会院内东侧至河滩地边界", AcquiredOn: jiti.MustDate("2020-01-01"), Source: register.Existing,
			Cost: jiti.MustAmount(a.cost), LifeMonths: 240, OpeningDepreciation: jiti.Amount(int64(i+1) * 1_000_00), OpeningMonths: 60,
			Status: register.InUse, StatusSince: jiti.MustDate("2025-01-01")}})
		must(t, err)
	}
	return v
}

// TestE2E_Paper prints the print views to PDF in headless Chromium as a
// user's "print" does (the CSS page size preferred): a voucher of thirty
// lines on A4 upright and across and on voucher paper, a balance sheet and
// the asset register. Each PDF must have the paper's size on every page,
// every amount the page shows in its text, and page numbers; the voucher
// continues on a second sheet with its heading repeated. Laid out at the
// printable width under print media, nothing may stick out; at a phone's
// width (390 px) the page must not scroll sideways either. The PDFs and
// screenshots are kept with the other screenshots.
func TestE2E_Paper(t *testing.T) {
	browser := browserPath(t)
	pdftotext := pdfToText(t)
	w := newWorld(t, storetest.OpenSQLite(t))
	v := addPaperRecords(t, w)
	out := artifacts(t)

	ctx, run := newBrowser(t, browser, 1280, 1000, 4*time.Minute)
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	save := func(name string, b []byte) {
		t.Helper()
		must(t, os.WriteFile(filepath.Join(out, name), b, 0o644))
	}

	run("sign in",
		chromedp.Navigate(w.srv.URL+"/lang/zh-CN"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "kuaiji"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)),
	)
	voucher := fmt.Sprintf("%s/c/%d/vouchers/%d/print", w.srv.URL, w.f.A.ID, v.ID)
	for _, c := range []struct {
		name, lang, path, root string
		sheet                  sheetSize
		minPages               int
		everyPage              []string // text on each sheet: the repeated heading
	}{
		{name: "voucher-a4", lang: "zh-CN", path: voucher + "?paper=a4", root: ".voucher-print", sheet: sheetA4, minPages: 2},
		{name: "voucher-a4-landscape", lang: "zh-CN", path: voucher + "?paper=a4-landscape", root: ".voucher-print", sheet: sheetA4Landscape, minPages: 2},
		// In English, so the repeated heading can be read without a
		// Chinese font on the machine.
		{name: "voucher-paper", lang: "en", path: voucher + "?paper=voucher", root: ".voucher-print", sheet: sheetVoucher, minPages: 3,
			everyPage: []string{"Voucher", "Summary", "Debit", "Made by:", "no. " + strconv.Itoa(v.Number)}},
		{name: "balance-sheet", lang: "zh-CN", path: fmt.Sprintf("%s/c/%d/balance-sheet?month=2025-12&print=1", w.srv.URL, w.f.A.ID), root: "main", sheet: sheetA4, minPages: 1},
		{name: "asset-register", lang: "zh-CN", path: fmt.Sprintf("%s/c/%d/assets?print=1", w.srv.URL, w.f.A.ID), root: "main", sheet: sheetA4Landscape, minPages: 1},
		{name: "trial-balance", lang: "zh-CN", path: fmt.Sprintf("%s/c/%d/trial-balance?from=2025-01&to=2025-12&print=1", w.srv.URL, w.f.A.ID), root: "main", sheet: sheetA4Landscape, minPages: 1},
		{name: "detail-ledger", lang: "zh-CN", path: fmt.Sprintf("%s/c/%d/ledger?account=10201&from=2025-01&to=2025-12&print=1", w.srv.URL, w.f.A.ID), root: "main", sheet: sheetA4, minPages: 1},
	} {
		run(c.name+": open",
			chromedp.Navigate(w.srv.URL+"/lang/"+c.lang),
			chromedp.EmulateViewport(1280, 1000),
			chromedp.Navigate(c.path),
			chromedp.WaitVisible(chromedp.CSS(c.root)),
		)
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(t, err)
		save("print-"+c.name+".png", shot)
		amounts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(pageAmounts, c.root)))
		must(t, err)
		if len(amounts) == 0 {
			t.Errorf("%s: no amounts on the page", c.name)
		}

		// A phone: the page does not scroll sideways.
		run(c.name+": phone", chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(c.root)))
		shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(t, err)
		save("print-"+c.name+"-phone.png", shot)
		if sw, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth")); err != nil || sw > 390 {
			t.Errorf("%s at 390 px: the page is %d px wide (%v)", c.name, sw, err)
		}

		// Printed: nothing passes the printable width.
		run(c.name+": print media", chromedp.EmulateViewport(c.sheet.printable, 1000), media("print"), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(c.root)))
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](overflowing))
		must(t, err)
		if len(bad) > 0 {
			t.Errorf("%s printed on %s (%d px wide): sticks out:\n%s", c.name, c.sheet.name, c.sheet.printable, strings.Join(bad, "\n"))
		}
		run(c.name+": screen media", media(""), chromedp.EmulateViewport(1280, 1000))

		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
		if err != nil {
			t.Fatalf("%s: print to PDF: %v", c.name, err)
		}
		save("print-"+c.name+".pdf", pdf)
		pages := pdfPages(pdf)
		if len(pages) < c.minPages {
			t.Errorf("%s: %d pages, want at least %d", c.name, len(pages), c.minPages)
		}
		for i, p := range pages {
			if math.Abs(p[0]-c.sheet.width) > 1.5 || math.Abs(p[1]-c.sheet.height) > 1.5 {
				t.Errorf("%s: page %d is %.1f × %.1f pt, want %s %.1f × %.1f", c.name, i+1, p[0], p[1], c.sheet.name, c.sheet.width, c.sheet.height)
			}
		}
		// pdftotext ends each page with a form feed.
		b, err := exec.Command(pdftotext, "-q", filepath.Join(out, "print-"+c.name+".pdf"), "-").Output()
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", c.name, err)
		}
		all := string(b)
		for _, a := range amounts {
			if !strings.Contains(all, a) {
				t.Errorf("%s: the page shows %s, the PDF does not", c.name, a)
			}
		}
		sheets := strings.Split(strings.TrimSuffix(all, "\f"), "\f")
		if len(sheets) != len(pages) {
			t.Errorf("%s: pdftotext read %d pages of %d", c.name, len(sheets), len(pages))
		}
		for i, sheet := range sheets {
			if n := regexp.MustCompile(fmt.Sprintf(`(?m)^\s*%d\s*/\s*%d\s*$`, i+1, len(pages))); !n.MatchString(sheet) {
				t.Errorf("%s: page %d has no page number %d / %d:\n%s", c.name, i+1, i+1, len(pages), sheet)
			}
			for _, want := range c.everyPage {
				if !strings.Contains(sheet, want) {
					t.Errorf("%s: page %d lacks %q of the heading", c.name, i+1, want)
				}
			}
		}
	}
	// The paper chosen last is remembered.
	run("voucher again", chromedp.Navigate(voucher), chromedp.WaitVisible(chromedp.CSS(`.voucher-print.paper-voucher`)))
}

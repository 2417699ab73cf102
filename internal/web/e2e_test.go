package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.WindowSize(1280, 1000),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// Generous: CI runs the other packages' tests beside this one.
	ctx, cancel = context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()

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
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
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

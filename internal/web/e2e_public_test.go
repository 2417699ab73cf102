package web_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"example.org/jiti/internal/store/storetest"
)

// sheetA3 is the notice-board poster's paper.
var sheetA3 = sheetSize{"A3", 841.89, 1190.55, pixels(297 - 24)}

// TestE2E_PublicPoster opens a published quarter without signing in, on
// a phone (the page must not scroll sideways), then prints its poster
// for the notice board to PDF: one A3 page, with its QR code. axe-core
// finds no critical or serious WCAG violation on the public pages.
func TestE2E_PublicPoster(t *testing.T) {
	browser := browserPath(t)
	axe := axeSource(t)
	w := newPublicWorld(t, storetest.OpenSQLite(t))
	out := artifacts(t)
	ctx, run := newBrowser(t, browser, 390, 844, 3*time.Minute)
	page := fmt.Sprintf("%s/p/%s/2025Q1", w.srv.URL, w.f.A.Code)
	run("open the quarter", chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("main h1")))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, err)
	if loc != page {
		t.Fatalf("the public page went to %s (sign-in asked?)", loc)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(out, "public-quarter-phone.png"), shot, 0o644))
	if sw, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth")); err != nil || sw > 390 {
		t.Errorf("the public page at 390 px is %d px wide (%v)", sw, err)
	}
	// No critical or serious WCAG violation, on the phone, on the page, the
	// asset's card and the list.
	for _, p := range []string{page, fmt.Sprintf("%s/p/%s/asset/ZC-001", w.srv.URL, w.f.A.Code), fmt.Sprintf("%s/p/%s", w.srv.URL, w.f.A.Code)} {
		run("open "+p, chromedp.Navigate(p), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
			t.Fatalf("load axe: %v", err)
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("run axe: %v", err)
		}
		for _, x := range v {
			t.Errorf("%s: %s", p, x)
		}
	}

	poster := fmt.Sprintf("%s/p/%s/%d/poster", w.srv.URL, w.f.A.Code, w.v2.ID)
	run("open the poster", chromedp.EmulateViewport(1280, 1000), chromedp.Navigate(poster), chromedp.WaitVisible(chromedp.CSS("svg.qr")))
	qrWidth, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("svg.qr").getBoundingClientRect().width`))
	must(t, err)
	if qrWidth < 120 {
		t.Errorf("the QR code is %.0f px wide: too small to scan from the board", qrWidth)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print the poster: %v", err)
	}
	must(t, os.WriteFile(filepath.Join(out, "public-poster.pdf"), pdf, 0o644))
	pages := pdfPages(pdf)
	if len(pages) != 1 {
		t.Fatalf("the poster prints on %d pages, want 1", len(pages))
	}
	if p := pages[0]; math.Abs(p[0]-sheetA3.width) > 1.5 || math.Abs(p[1]-sheetA3.height) > 1.5 {
		t.Errorf("the poster's page is %.1f × %.1f pt, want A3 %.1f × %.1f", p[0], p[1], sheetA3.width, sheetA3.height)
	}
}

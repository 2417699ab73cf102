package web_test

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"example.org/jiti/internal/store/storetest"
)

// TestE2E_CertificatePrint prints a household's share certificate and a
// year's distribution plan to PDF, as a village accountant hands them
// out: each on whole A4 pages, the certificate on one, with its number,
// its QR code and the amounts the page shows.
func TestE2E_CertificatePrint(t *testing.T) {
	browser := browserPath(t)
	pdftotext := pdfToText(t)
	w := newWorld(t, storetest.OpenSQLite(t))
	addMembers(t, w)
	addDistribution(t, w)
	out := artifacts(t)
	ctx, run := newBrowser(t, browser, 1280, 1000, 3*time.Minute)
	run("sign in",
		chromedp.Navigate(w.srv.URL+"/lang/en"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "kuaiji"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)),
	)
	number := w.f.A.Code + "-0001"
	for _, c := range []struct {
		name, path, wait string
		maxPages         int
		want             []string
	}{
		{"certificate", fmt.Sprintf("/c/%d/certificates/%s", w.f.A.ID, number), "svg.qr", 1, []string{number, "/p/certificates/" + number}},
		{"distribution", fmt.Sprintf("/c/%d/distributions/2025?print=1", w.f.A.ID), "main table", 2, []string{"2025"}},
	} {
		run(c.name, chromedp.Navigate(w.srv.URL+c.path), chromedp.WaitVisible(chromedp.CSS(c.wait)))
		amounts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(pageAmounts, "main")))
		must(t, err)
		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
		if err != nil {
			t.Fatalf("%s: print to PDF: %v", c.name, err)
		}
		file := filepath.Join(out, "print-"+c.name+".pdf")
		must(t, os.WriteFile(file, pdf, 0o644))
		pages := pdfPages(pdf)
		if len(pages) == 0 || len(pages) > c.maxPages {
			t.Errorf("%s: %d pages, want 1 to %d", c.name, len(pages), c.maxPages)
		}
		for i, p := range pages {
			if math.Abs(p[0]-sheetA4.width) > 1.5 || math.Abs(p[1]-sheetA4.height) > 1.5 {
				t.Errorf("%s: page %d is %.1f × %.1f pt, want A4", c.name, i+1, p[0], p[1])
			}
		}
		b, err := exec.Command(pdftotext, "-q", file, "-").Output()
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", c.name, err)
		}
		text := string(b)
		for _, want := range append(c.want, amounts...) {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the PDF lacks %q", c.name, want)
			}
		}
	}
}

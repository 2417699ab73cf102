package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestPrint_Paper chooses the paper of a voucher's print view: A4 by
// default; ?paper=voucher lays it out for voucher paper (the class that
// selects the CSS @page) and is remembered, so the next print view without
// ?paper uses it; an unknown paper is refused on the field with 422, and
// the page still shows on the remembered paper.
func TestPrint_Paper(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	c := w.client(t, "kuaiji")
	u := fmt.Sprintf("%s/c/%d/vouchers/%d/print", w.srv.URL, w.f.A.ID, w.posted["A"].ID)
	code, body := get(t, c, u)
	if code != http.StatusOK || !strings.Contains(body, `class="voucher-print paper-a4"`) {
		t.Fatalf("first print view: status %d, want A4:\n%s", code, body)
	}
	for _, want := range []string{`<option value="a4" selected>A4 纵向</option>`, `<option value="a4-landscape">A4 横向</option>`,
		`<option value="voucher">凭证纸 241×140 mm</option>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the paper control lacks %s", want)
		}
	}
	resp, err := c.Get(u + "?paper=voucher")
	must(t, err)
	resp.Body.Close()
	if cookie := resp.Header.Get("Set-Cookie"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(cookie, "jiti_paper=voucher;") {
		t.Errorf("?paper=voucher: status %d, cookie %q", resp.StatusCode, cookie)
	}
	if _, body := get(t, c, u); !strings.Contains(body, `class="voucher-print paper-voucher"`) ||
		!strings.Contains(body, `<option value="voucher" selected>`) {
		t.Errorf("the paper is not remembered:\n%s", body)
	}
	code, body = get(t, c, u+"?paper=letter")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "纸张：没有“letter”这种纸张") ||
		!strings.Contains(body, `class="voucher-print paper-voucher"`) {
		t.Errorf("?paper=letter: status %d, want 422 naming the paper field and the remembered paper:\n%s", code, body)
	}
}

// TestPrint_SystemMade: a voucher that jiti made (here the purchase of an
// asset, a register voucher) is marked "系统生成" beside 制单 on its print
// view; one an accountant entered is not. Both show their amounts with
// thousands separators and the total in capitals.
func TestPrint_SystemMade(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	_, err := w.db.CreateAsset(ctx, w.f.Accountant, store.AssetInput{Credit: "10201", Asset: register.Asset{CollectiveID: w.f.A.ID,
		Code: "ZC-001", Name: "南什村冷库", Category: register.Building, Nature: register.Operating,
		Use: register.ForManagement, AcquiredOn: jiti.MustDate("2025-03-01"), Source: register.Purchase,
		Cost: jiti.MustAmount("123456.78"), LifeMonths: 240, Quantity: "1", Unit: "座"}})
	must(t, err)
	vs, _, err := w.db.FindVouchers(ctx, store.VoucherFilter{CollectiveID: w.f.A.ID, Limit: -1})
	must(t, err)
	var made *ledger.Voucher
	for i := range vs {
		if vs[i].Kind == ledger.Register {
			made = vs[i]
		}
	}
	if made == nil {
		t.Fatal("buying an asset made no register voucher")
	}
	c := w.client(t, "kuaiji")
	for _, v := range []struct {
		id          int64
		marked      bool
		amount, cap string
	}{{made.ID, true, "123,456.78", "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"}, {w.posted["A"].ID, false, "1,200.00", "壹仟贰佰元整"}} {
		code, body := get(t, c, fmt.Sprintf("%s/c/%d/vouchers/%d/print", w.srv.URL, w.f.A.ID, v.id))
		if code != http.StatusOK {
			t.Fatalf("voucher %d: status %d", v.id, code)
		}
		i := strings.Index(body, "制单：")
		if i < 0 {
			t.Fatalf("voucher %d: no 制单 on the print view", v.id)
		}
		maker := body[i:]
		maker = maker[:strings.Index(maker, "</span>\n")]
		if got := strings.Contains(maker, "系统生成"); got != v.marked {
			t.Errorf("voucher %d: 制单 reads %q, marked %v, want %v", v.id, maker, got, v.marked)
		}
		for _, want := range []string{v.amount, v.cap} {
			if !strings.Contains(body, want) {
				t.Errorf("voucher %d: the print view lacks %s", v.id, want)
			}
		}
		// On paper no 审核 is blank: jiti's own voucher names its maker
		// as its reviewer; and the voucher's page is marked as well.
		if v.marked && regexp.MustCompile(`审核：\s*</span>`).MatchString(body) {
			t.Errorf("voucher %d: blank 审核 on the print view", v.id)
		}
		_, page := get(t, c, fmt.Sprintf("%s/c/%d/vouchers/%d", w.srv.URL, w.f.A.ID, v.id))
		if got := strings.Contains(page, "系统生成"); got != v.marked {
			t.Errorf("voucher %d: its page marked %v, want %v", v.id, got, v.marked)
		}
	}
}

// TestPrint_TitleBlocks: each print view of statements, books and
// registers opens with its title block (the title, the unit, the period
// or day, 单位：元) and no navigation; a register is laid out across the
// sheet (class landscape, the CSS @page of A4 landscape) and names the
// filters it was printed with; amounts have thousands separators.
func TestPrint_TitleBlocks(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	addRegisters(t, w)
	c := w.client(t, "kuaiji")
	a := w.f.A.ID
	for _, p := range []struct {
		path  string
		wants []string
	}{
		{fmt.Sprintf("/c/%d/balance-sheet?month=2025-12&print=1", a), []string{"<h1>资产负债表</h1>", "2025年12月31日", "1,200.00"}},
		{fmt.Sprintf("/c/%d/income?month=2025-12&print=1", a), []string{"<h1>收益及收益分配表</h1>", "1,200.00"}},
		{fmt.Sprintf("/c/%d/trial-balance?from=2025-01&to=2025-12&print=1", a), []string{"<h1>科目余额表</h1>", "2025-01 – 2025-12", "1,200.00"}},
		{fmt.Sprintf("/c/%d/ledger?account=10201&from=2025-01&to=2025-12&print=1", a), []string{"<h1>明细账</h1>", "1,200.00"}},
		{fmt.Sprintf("/c/%d/assets?status=in_use&print=1", a), []string{"<h1>资产台账</h1>", `<div class="landscape">`, "截至2026年1月20日", "状态 在用", "50,000.00"}},
		{fmt.Sprintf("/c/%d/contracts?print=1", a), []string{"<h1>合同台账</h1>", `<div class="landscape">`, "9,000.00"}},
		{fmt.Sprintf("/c/%d/resources?print=1", a), []string{"<h1>资源台账</h1>", `<div class="landscape">`}},
		{fmt.Sprintf("/c/%d/warnings?print=1", a), []string{"<h1>合同与资产预警</h1>", "截至2026年1月20日"}},
	} {
		code, body := get(t, c, w.srv.URL+p.path)
		if code != http.StatusOK {
			t.Errorf("%s: status %d", p.path, code)
			continue
		}
		wants := append([]string{`<header class="print-title">`, "核算单位： 南什村股份经济合作社", "单位：元"}, p.wants...)
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", p.path, want)
			}
		}
		for _, not := range []string{`class="top"`, `class="filters"`} {
			if strings.Contains(body, not) {
				t.Errorf("%s shows %s on paper", p.path, not)
			}
		}
	}
}

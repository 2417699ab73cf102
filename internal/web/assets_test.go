package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestAssets_Depreciation shows an asset's accumulated depreciation and
// net value in the register and on its card, with its status history and
// the contract that leased it out.
func TestAssets_Depreciation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		c := w.client(t, "cunkuaiji")
		code, body := get(t, c, fmt.Sprintf("%s/c/%d/assets", w.srv.URL, w.f.A.ID))
		if code != http.StatusOK {
			t.Fatalf("assets: status %d", code)
		}
		row := tableRow(body, fmt.Sprintf(`<a href="/c/%d/assets/%d">ZC-001</a>`, w.f.A.ID, r.house.ID))
		for _, want := range []string{"南什村鱼塘看护房", "50,000.00", "12,000.00", "38,000.00", "出租"} {
			if !strings.Contains(row, want) {
				t.Errorf("register row of ZC-001 lacks %q: %q", want, row)
			}
		}
		if total := tableRow(body, "合计"); !strings.Contains(total, "100,000.00") || !strings.Contains(total, "24,000.00") {
			t.Errorf("register total %q, want cost 100,000.00 and depreciation 24,000.00", total)
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/assets?status=idle", w.srv.URL, w.f.A.ID))
		if !strings.Contains(body, "ZC-002") || strings.Contains(body, "ZC-001") {
			t.Errorf("idle filter shows the wrong assets")
		}
		code, _ = get(t, c, fmt.Sprintf("%s/c/%d/assets?status=stolen", w.srv.URL, w.f.A.ID))
		if code != http.StatusUnprocessableEntity {
			t.Errorf("unknown status: %d, want 422", code)
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/assets/%d", w.srv.URL, w.f.A.ID, r.house.ID))
		for _, want := range []string{"累计折旧", "12,000.00", "净值", "38,000.00", "登记", "出租",
			fmt.Sprintf(`/c/%d/contracts/%d`, w.f.A.ID, r.lease.ID)} {
			if !strings.Contains(body, want) {
				t.Errorf("asset card lacks %q", want)
			}
		}
	})
}

// TestAssetStatus_Form changes an asset's status from its card: the
// keeper of the books may, a viewer may not, a user out of scope finds
// nothing, and a wrong date shows on the card.
func TestAssetStatus_Form(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		path := fmt.Sprintf("%s/c/%d/assets/%d/status", w.srv.URL, w.f.A.ID, r.machine.ID)
		form := url.Values{"status": {"self_operated"}, "date": {"2025-06-01"}, "note": {"<b>村里自营</b>"}}
		if code, _ := post(t, w.client(t, "guocheng"), path, form); code != http.StatusNotFound {
			t.Errorf("out of scope: %d, want 404", code)
		}
		if code, _ := post(t, w.client(t, "viewer"), path, form); code != http.StatusForbidden {
			t.Errorf("viewer: %d, want 403", code)
		}
		c := w.client(t, "kuaiji")
		_, body := get(t, c, fmt.Sprintf("%s/c/%d/assets/%d", w.srv.URL, w.f.A.ID, r.machine.ID))
		if !strings.Contains(body, `action="/c/`) {
			t.Errorf("the keeper's card lacks the status form")
		}
		if _, body := get(t, w.client(t, "viewer"), fmt.Sprintf("%s/c/%d/assets/%d", w.srv.URL, w.f.A.ID, r.machine.ID)); strings.Contains(body, `/status"`) {
			t.Errorf("a viewer's card offers the status form")
		}
		bad := url.Values{"status": {"self_operated"}, "date": {"2024-06-01"}}
		if code, body := post(t, c, path, bad); code != http.StatusUnprocessableEntity || !strings.Contains(body, `class="error"`) {
			t.Errorf("date before the status: %d, want 422 with the error", code)
		}
		if code, _ := post(t, c, path, form); code != http.StatusSeeOther {
			t.Fatalf("keeper: %d, want 303", code)
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/assets/%d?done=status", w.srv.URL, w.f.A.ID, r.machine.ID))
		if !strings.Contains(body, "&lt;b&gt;村里自营&lt;/b&gt;") || !strings.Contains(body, "资产状态已变更") {
			t.Errorf("card lacks the escaped note or the message")
		}
		a, err := db.FindAsset(context.Background(), r.machine.ID)
		must(t, err)
		if a.Status != register.SelfOperated {
			t.Errorf("status %s, want self_operated", a.Status)
		}
	})
}

// TestAssetForm registers an asset bought through the bank: the store
// posts its acquisition voucher (Dr 151, Cr 10201), its card shows it and
// links the voucher, and the register's list offers the form only to those
// who keep the books. Wrong entries come back as typed, each error beside
// its field.
func TestAssetForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.f.A.ID
		c := w.client(t, "cunkuaiji")
		newURL := fmt.Sprintf("%s/c/%d/assets/new", w.srv.URL, a)

		_, body := get(t, c, fmt.Sprintf("%s/c/%d/assets", w.srv.URL, a))
		if !strings.Contains(body, fmt.Sprintf(`href="/c/%d/assets/new"`, a)) || !strings.Contains(body, "新增资产") {
			t.Errorf("the keeper's asset register lacks the new asset button")
		}
		if _, body := get(t, w.client(t, "viewer"), fmt.Sprintf("%s/c/%d/assets", w.srv.URL, a)); strings.Contains(body, "/assets/new") {
			t.Errorf("a viewer's asset register offers the new asset form")
		}
		code, body := get(t, c, newURL)
		if code != http.StatusOK || !strings.Contains(body, `<option value="10201">10201 农商银行基本户</option>`) ||
			!strings.Contains(body, `value="2026-01-20"`) {
			t.Fatalf("new asset form: status %d, or without 10201 among the accounts or today's date", code)
		}

		form := url.Values{"code": {"ZC-010"}, "name": {"南什村<办公>电脑"}, "category": {"equipment"}, "nature": {"non_operating"},
			"use": {"management"}, "quantity": {"2"}, "unit": {"台"}, "acquired_on": {"2025-13-45"}, "source": {"purchase"},
			"cost": {"-100"}, "life_months": {"60"}, "residual_rate": {"5"}, "credit": {"10299"}, "note": {"村委会办公用"}}
		code, body, _ = postTo(t, c, newURL, form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("bad date: status %d, want 422", code)
		}
		wantFieldError(t, body, "acquired_on", "bad date")
		for _, kept := range []string{`value="2025-13-45"`, `value="-100"`, `value="南什村&lt;办公&gt;电脑"`, `value="ZC-010"`,
			`<option value="10299" selected>10299</option>`, `<option value="equipment" selected>`, `value="5"`} {
			if !strings.Contains(body, kept) {
				t.Errorf("bad date: the form does not keep %s", kept)
			}
		}
		form.Set("acquired_on", "2025-06-10")
		code, body, _ = postTo(t, c, newURL, form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("negative cost: status %d, want 422", code)
		}
		wantFieldError(t, body, "cost", "negative cost")
		if f := fieldOf(body, "acquired_on"); strings.Contains(f, "field-error") {
			t.Errorf("the good date still has an error: %s", f)
		}
		form.Set("cost", "8000")
		code, body, _ = postTo(t, c, newURL, form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("unknown account: status %d, want 422", code)
		}
		wantFieldError(t, body, "credit", "unknown account")
		if !strings.Contains(fieldOf(body, "credit"), "10299") {
			t.Errorf("the unknown account's error does not name it")
		}

		form.Set("credit", "10201")
		code, _, loc := postTo(t, c, newURL, form)
		if code != http.StatusSeeOther || !strings.HasPrefix(loc, fmt.Sprintf("/c/%d/assets/", a)) || !strings.HasSuffix(loc, "?done=asset") {
			t.Fatalf("good asset: status %d to %q, want 303 to its card", code, loc)
		}
		_, body = get(t, c, w.srv.URL+loc)
		for _, want := range []string{"资产已登记", "南什村&lt;办公&gt;电脑", "8,000.00", "电子及办公设备", "非经营性", "村委会办公用"} {
			if !strings.Contains(body, want) {
				t.Errorf("the new asset's card lacks %q", want)
			}
		}
		i := strings.Index(body, fmt.Sprintf(`href="/c/%d/vouchers/`, a))
		if i < 0 {
			t.Fatalf("the new asset's card does not link its voucher")
		}
		href := body[i+len(`href="`):]
		href = href[:strings.Index(href, `"`)]
		_, body = get(t, c, w.srv.URL+href)
		for _, want := range []string{"151", "10201", "8,000.00", "购入南什村&lt;办公&gt;电脑"} {
			if !strings.Contains(body, want) {
				t.Errorf("the acquisition voucher lacks %q", want)
			}
		}
		if code, body, _ := postTo(t, c, newURL, form); code != http.StatusConflict || !strings.Contains(fieldOf(body, "code"), "field-error") {
			t.Errorf("the same code again: status %d, want 409 with the error beside the code", code)
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/assets", w.srv.URL, a))
		if !strings.Contains(body, ">ZC-010</a>") {
			t.Errorf("the register lacks the new asset")
		}
	})
}

// TestAssetDispose_Form disposes of the idle machine through its card's
// form: wrong entries come back as typed with each error beside its field,
// a village approver is refused, anyone out of scope finds nothing, and
// the disposal books its voucher through 154 and shows on the card.
func TestAssetDispose_Form(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		a := w.f.A.ID
		c := w.client(t, "kuaiji")
		card := fmt.Sprintf("%s/c/%d/assets/%d", w.srv.URL, a, r.machine.ID)
		formURL := card + "/dispose"
		link := fmt.Sprintf(`href="/c/%d/assets/%d/dispose"`, a, r.machine.ID)

		if _, body := get(t, c, card); !strings.Contains(body, link) || !strings.Contains(body, ">处置</a>") {
			t.Errorf("the keeper's card lacks the disposal link")
		}
		if _, body := get(t, w.client(t, "viewer"), card); strings.Contains(body, "/dispose") {
			t.Errorf("a viewer's card offers the disposal")
		}
		code, body := get(t, c, formURL)
		if code != http.StatusOK || !strings.Contains(body, `value="2026-01-20"`) || !strings.Contains(body, `<option value="10201" selected>`) ||
			!strings.Contains(body, "南什村旋耕机") {
			t.Fatalf("disposal form: status %d, or without today, 10201 chosen or the asset's name", code)
		}

		form := url.Values{"date": {"2025-02-30"}, "proceeds": {"30000"}, "proceeds_account": {"10299"}, "reason": {"<旧>旋耕机出售"}}
		code, body, _ = postTo(t, c, formURL, form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("bad date: status %d, want 422", code)
		}
		wantFieldError(t, body, "date", "bad date")
		for _, kept := range []string{`value="2025-02-30"`, `value="30000"`, `<option value="10299" selected>10299</option>`, "&lt;旧&gt;旋耕机出售</textarea>"} {
			if !strings.Contains(body, kept) {
				t.Errorf("bad date: the form does not keep %s", kept)
			}
		}
		form.Set("date", "2025-06-30")
		code, body, _ = postTo(t, c, formURL, form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("unknown account: status %d, want 422", code)
		}
		wantFieldError(t, body, "proceeds_account", "unknown account")
		if f := fieldOf(body, "date"); strings.Contains(f, "field-error") || !strings.Contains(f, `value="2025-06-30"`) {
			t.Errorf("unknown account: the good date has an error or is lost: %s", f)
		}
		form.Set("proceeds_account", "10201")
		form.Set("costs", "-5")
		if code, body, _ = postTo(t, c, formURL, form); code != http.StatusUnprocessableEntity {
			t.Fatalf("negative costs: status %d, want 422", code)
		}
		wantFieldError(t, body, "costs", "negative costs")
		form.Del("costs")

		// Refused before anything is read: a role that keeps no books,
		// then anyone out of scope, or a record not of this collective.
		for _, u := range []string{"cunshenhe", "viewer"} {
			if code, _ := get(t, w.client(t, u), formURL); code != http.StatusForbidden {
				t.Errorf("%s GET: %d, want 403", u, code)
			}
			if code, _, _ := postTo(t, w.client(t, u), formURL, form); code != http.StatusForbidden {
				t.Errorf("%s POST: %d, want 403", u, code)
			}
		}
		for _, u := range []string{"gckuaiji", "guocheng"} {
			if code, _ := get(t, w.client(t, u), formURL); code != http.StatusNotFound {
				t.Errorf("%s GET: %d, want 404", u, code)
			}
			if code, _, _ := postTo(t, w.client(t, u), formURL, form); code != http.StatusNotFound {
				t.Errorf("%s POST: %d, want 404", u, code)
			}
		}
		for _, u := range []string{fmt.Sprintf("/c/%d/assets/999999/dispose", a), fmt.Sprintf("/c/%d/assets/x/dispose", a),
			fmt.Sprintf("/c/%d/assets/%d/dispose", a, r.well.ID), fmt.Sprintf("/c/%d/assets/%d/dispose", w.O.ID, r.machine.ID)} {
			if code, _, _ := postTo(t, c, w.srv.URL+u, form); code != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404 (as an unknown id)", u, code)
			}
		}
		if vs, _, err := db.FindVouchers(context.Background(), store.VoucherFilter{CollectiveID: a, Account: "154"}); err != nil || len(vs) != 0 {
			t.Fatalf("a disposal was booked by a refused form: %d vouchers, %v", len(vs), err)
		}

		// The decision it names must be an adopted disposal of the collective's.
		form.Set("decision", "2025-77")
		if code, body, _ = postTo(t, c, formURL, form); code != http.StatusUnprocessableEntity {
			t.Fatalf("unknown decision: status %d, want 422", code)
		}
		wantFieldError(t, body, "decision", "unknown decision")
		form.Set("decision", adoptKind(t, db, w.users["kuaiji"], a, register.DecideDisposal, "2025-06", "出售旋耕机", "2025-06-20").Number)

		code, _, loc := postTo(t, c, formURL, form)
		if want := fmt.Sprintf("/c/%d/assets/%d?done=dispose", a, r.machine.ID); code != http.StatusSeeOther || loc != want {
			t.Fatalf("good disposal: status %d to %q, want 303 to %q", code, loc, want)
		}
		_, body = get(t, c, w.srv.URL+loc)
		for _, want := range []string{"资产已处置", "已处置", "2025-06-30", "&lt;旧&gt;旋耕机出售"} {
			if !strings.Contains(body, want) {
				t.Errorf("the disposed asset's card lacks %q", want)
			}
		}
		if strings.Contains(body, link) || strings.Contains(body, "/status\"") {
			t.Errorf("the disposed asset's card still offers its disposal or a status change")
		}
		vs, _, err := db.FindVouchers(context.Background(), store.VoucherFilter{CollectiveID: a, Account: "154"})
		must(t, err)
		if len(vs) != 1 {
			t.Fatalf("%d vouchers through 154, want the disposal's", len(vs))
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/vouchers/%d", w.srv.URL, a, vs[0].ID))
		for _, want := range []string{"154", "151", "152", "10201", "30,000.00", "515", "处置南什村旋耕机转入清理"} {
			if !strings.Contains(body, want) {
				t.Errorf("the disposal voucher lacks %q", want)
			}
		}
		if code, body, _ := postTo(t, c, formURL, form); code != http.StatusConflict || !strings.Contains(body, `class="error"`) {
			t.Errorf("disposing twice: status %d, want 409 with the error", code)
		}
	})
}

// TestAssetWork_Form records a month's work of an asset depreciated by
// units of work from its card.
func TestAssetWork_Form(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		ctx, a := context.Background(), w.f.A.ID
		harvester, err := db.CreateAsset(ctx, w.f.Accountant, store.AssetInput{Asset: register.Asset{CollectiveID: a, Code: "ZC-003",
			Name: "南什村收割机", Category: register.Machinery, Nature: register.Operating, Use: register.ForProduction,
			AcquiredOn: jiti.MustDate("2024-06-01"), Source: register.Existing, Cost: jiti.MustAmount("20000"),
			Method: register.UnitsOfWork, TotalWork: 10000, WorkUnit: "小时", Status: register.InUse, StatusSince: jiti.MustDate("2025-01-01")}})
		must(t, err)
		c := w.client(t, "kuaiji")
		card := fmt.Sprintf("%s/c/%d/assets/%d", w.srv.URL, a, harvester.ID)
		workURL := card + "/work"
		action := fmt.Sprintf(`action="/c/%d/assets/%d/work"`, a, harvester.ID)
		if _, body := get(t, c, card); !strings.Contains(body, action) || !strings.Contains(body, `value="2026-01"`) {
			t.Errorf("the units-of-work asset's card lacks the work form")
		}
		if _, body := get(t, c, fmt.Sprintf("%s/c/%d/assets/%d", w.srv.URL, a, r.machine.ID)); strings.Contains(body, "/work\"") {
			t.Errorf("a straight-line asset's card offers the work form")
		}
		if _, body := get(t, w.client(t, "viewer"), card); strings.Contains(body, action) {
			t.Errorf("a viewer's card offers the work form")
		}

		code, body, _ := postTo(t, c, workURL, url.Values{"month": {"2025-13"}, "units": {"120"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("bad month: status %d, want 422", code)
		}
		wantFieldError(t, body, "month", "bad month")
		if !strings.Contains(body, `value="2025-13"`) || !strings.Contains(body, `value="120"`) {
			t.Errorf("bad month: the entries are not kept")
		}
		code, body, _ = postTo(t, c, workURL, url.Values{"month": {"2025-03"}, "units": {"-5"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("negative units: status %d, want 422", code)
		}
		wantFieldError(t, body, "units", "negative units")
		if code, _, _ := postTo(t, w.client(t, "cunshenhe"), workURL, url.Values{"month": {"2025-03"}, "units": {"120"}}); code != http.StatusForbidden {
			t.Errorf("village approver: %d, want 403", code)
		}
		if code, _, _ := postTo(t, w.client(t, "gckuaiji"), workURL, url.Values{"month": {"2025-03"}, "units": {"120"}}); code != http.StatusNotFound {
			t.Errorf("another township's keeper: %d, want 404", code)
		}

		code, _, loc := postTo(t, c, workURL, url.Values{"month": {"2025-03"}, "units": {"120"}})
		if want := fmt.Sprintf("/c/%d/assets/%d?done=work", a, harvester.ID); code != http.StatusSeeOther || loc != want {
			t.Fatalf("good work: status %d to %q, want 303 to %q", code, loc, want)
		}
		if _, body := get(t, c, w.srv.URL+loc); !strings.Contains(body, "工作量已登记") {
			t.Errorf("the card does not say the work was recorded")
		}
		evs, _, err := db.FindAuditEvents(ctx, store.AuditFilter{Action: "asset.work", Entity: "asset", EntityID: fmt.Sprint(harvester.ID)})
		must(t, err)
		if len(evs) != 1 || !strings.Contains(string(evs[0].New), `"units":120`) {
			t.Errorf("work recorded: %d events, %s", len(evs), func() string {
				if len(evs) > 0 {
					return string(evs[0].New)
				}
				return ""
			}())
		}
	})
}

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

// TestResourceUse_Form changes the land's use from the resource register.
func TestResourceUse_Form(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		ctx, a := context.Background(), w.f.A.ID
		c := w.client(t, "kuaiji")
		list := fmt.Sprintf("%s/c/%d/resources", w.srv.URL, a)
		link := fmt.Sprintf(`href="/c/%d/resources/%d/use"`, a, r.land.ID)
		if _, body := get(t, c, list); !strings.Contains(tableRow(body, "ZY-001"), link) || !strings.Contains(body, "变更利用方式") {
			t.Errorf("the keeper's resource register lacks the change of use")
		}
		if _, body := get(t, c, list+"?print=1"); strings.Contains(body, "/use\"") {
			t.Errorf("the printed register offers the change of use")
		}
		if _, body := get(t, w.client(t, "viewer"), list); strings.Contains(body, "/use\"") {
			t.Errorf("a viewer's register offers the change of use")
		}
		useURL := fmt.Sprintf("%s/c/%d/resources/%d/use", w.srv.URL, a, r.land.ID)
		if code, body := get(t, c, useURL); code != http.StatusOK || !strings.Contains(body, "现利用方式：闲置") || !strings.Contains(body, "南什村河滩地") {
			t.Fatalf("use form: status %d, or without the land and its use", code)
		}
		code, body, _ := postTo(t, c, useURL, url.Values{"use": {"idle"}, "date": {"2025-07-01"}})
		if code != http.StatusConflict {
			t.Fatalf("same use: status %d, want 409", code)
		}
		wantFieldError(t, body, "use", "same use")
		code, body, _ = postTo(t, c, useURL, url.Values{"use": {"leased"}, "date": {"2024-06-01"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("date before the use: status %d, want 422", code)
		}
		wantFieldError(t, body, "date", "date before the use")
		if !strings.Contains(body, `<option value="leased" selected>`) || !strings.Contains(body, `value="2024-06-01"`) {
			t.Errorf("date before the use: the entries are not kept")
		}
		form := url.Values{"use": {"collective_operated"}, "date": {"2025-07-01"}}
		if code, _, _ := postTo(t, w.client(t, "cunshenhe"), useURL, form); code != http.StatusForbidden {
			t.Errorf("village approver: %d, want 403", code)
		}
		if code, _, _ := postTo(t, w.client(t, "gckuaiji"), useURL, form); code != http.StatusNotFound {
			t.Errorf("another township's keeper: %d, want 404", code)
		}
		if code, _, _ := postTo(t, c, fmt.Sprintf("%s/c/%d/resources/999999/use", w.srv.URL, a), form); code != http.StatusNotFound {
			t.Errorf("unknown resource: %d, want 404", code)
		}
		code, _, loc := postTo(t, c, useURL, form)
		if want := fmt.Sprintf("/c/%d/resources?done=use", a); code != http.StatusSeeOther || loc != want {
			t.Fatalf("good change: status %d to %q, want 303 to %q", code, loc, want)
		}
		_, body = get(t, c, w.srv.URL+loc)
		if row := tableRow(body, "ZY-001"); !strings.Contains(body, "资源利用方式已变更") || !strings.Contains(row, "集体经营") || !strings.Contains(row, "2025-07-01") {
			t.Errorf("the register after the change: row %q", row)
		}
		rs, err := db.FindResources(ctx, store.ResourceFilter{CollectiveID: a})
		must(t, err)
		if len(rs) != 1 || rs[0].Use != register.CollectiveOperated || rs[0].UseSince != jiti.MustDate("2025-07-01") {
			t.Errorf("the land after the change: %+v", rs)
		}
	})
}

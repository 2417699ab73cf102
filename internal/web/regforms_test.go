package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// fieldOf returns the markup of a register form's field named name: from
// its input to the next field's label, so its error beside it is in it.
func fieldOf(body, name string) string {
	start := strings.Index(body, fmt.Sprintf(`name="%s"`, name))
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "<label>")
	if end < 0 {
		end = len(body) - start
	}
	return body[start : start+end]
}

// postTo posts a form and returns the status, the body and where it
// redirects.
func postTo(t *testing.T, c *http.Client, u string, form url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// wantFieldError checks that a form's answer has an error beside field.
func wantFieldError(t *testing.T, body, field, what string) {
	t.Helper()
	f := fieldOf(body, field)
	if f == "" {
		t.Errorf("%s: the form has no field %q", what, field)
		return
	}
	if !strings.Contains(f, `class="field-error"`) {
		t.Errorf("%s: no error beside %q:\n%s", what, field, f)
	}
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

// TestResourceForm registers a piece of land; a wrong area comes back
// beside its field.
func TestResourceForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.f.A.ID
		c := w.client(t, "kuaiji")
		newURL := fmt.Sprintf("%s/c/%d/resources/new", w.srv.URL, a)
		if code, body := get(t, c, newURL); code != http.StatusOK || !strings.Contains(body, `<option value="forest">林地</option>`) {
			t.Fatalf("new resource form: status %d, or without the land kinds", code)
		}
		form := url.Values{"code": {"ZY-010"}, "name": {"南什村后山林地"}, "kind": {"forest"}, "area": {"12.345"}, "use": {"idle"},
			"use_since": {"2025-02-01"}, "location": {"后山"}, "boundaries": {"东至沟、西至梁"}}
		code, body, _ := postTo(t, c, newURL, form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("bad area: status %d, want 422", code)
		}
		wantFieldError(t, body, "area", "bad area")
		if !strings.Contains(body, `value="12.345"`) || !strings.Contains(body, `value="东至沟、西至梁"`) {
			t.Errorf("bad area: the entries are not kept")
		}
		form.Set("area", "12.5")
		if code, _, loc := postTo(t, c, newURL, form); code != http.StatusSeeOther || loc != fmt.Sprintf("/c/%d/resources", a) {
			t.Fatalf("good resource: status %d to %q, want 303 to the register", code, loc)
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/resources", w.srv.URL, a))
		if row := tableRow(body, "ZY-010"); !strings.Contains(row, "12.50") || !strings.Contains(row, "闲置") || !strings.Contains(row, "2025-02-01") {
			t.Errorf("the register's row of the new resource is %q", row)
		}
		if !strings.Contains(body, fmt.Sprintf(`href="/c/%d/resources/new"`, a)) {
			t.Errorf("the resource register lacks the new resource button")
		}
	})
}

// TestContractForm registers a lease of an idle machine and part of a
// piece of land to a person, signs it, records a receipt whose voucher the
// store posts, and terminates it; the person's identity number is shown
// masked and never comes back in clear, not even on a form with errors.
func TestContractForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addPageRecords(t, w) // an idle machine ZC-002 and land ZY-001 to lease
		a := w.f.A.ID
		c := w.client(t, "kuaiji")
		const digits = "62042219800101123"
		id := storetest.IDNumber(digits)
		raw := id.Reveal()
		var bodies []string
		keep := func(code int, body string) (int, string) { bodies = append(bodies, body); return code, body }

		newURL := fmt.Sprintf("%s/c/%d/contracts/new", w.srv.URL, a)
		code, body := keep(get(t, c, newURL))
		if code != http.StatusOK || !strings.Contains(body, `<option value="50101" selected>`) || !strings.Contains(body, `<option value="ZC-002">`) ||
			!strings.Contains(body, `autocomplete="off"`) {
			t.Fatalf("new contract form: status %d, or without 50101 chosen, the machine's code or the private identity field", code)
		}
		form := url.Values{"code": {"HT-010"}, "name": {"南什村旋耕机及河滩地租赁合同"}, "kind": {"lease"}, "party.kind": {"person"},
			"party.name": {"张三"}, "party.id_number": {raw}, "party.phone": {"13900000000"},
			"subjects[1].asset": {"ZC-999"}, "subjects[2].resource": {"ZY-001"}, "subjects[2].area": {"10"},
			"start": {"2025-03-01"}, "end": {"2027-02-28"}, "amount": {"6000"}, "frequency": {"yearly"}, "escalation": {""},
			"income_account": {"50101"}, "award": {"negotiation"}, "resolution_ref": {"2025-03"}}
		dec := adoptDecision(t, db, w.users["kuaiji"], a, "2025-03", "旋耕机及河滩地出租", "2025-02-20")
		code, body, _ = postTo(t, c, newURL, form)
		keep(code, body)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("unknown asset: status %d, want 422", code)
		}
		wantFieldError(t, body, "subjects[1].asset", "unknown asset")
		if !strings.Contains(body, `value="ZC-999"`) || !strings.Contains(body, `value="张三"`) || !strings.Contains(body, "请重新输入") {
			t.Errorf("unknown asset: the entries are not kept, or the identity number is not asked for again")
		}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		wrong := "1"
		if storetest.IDCheck(digits) == '1' {
			wrong = "2"
		}
		bad.Set("party.id_number", digits+wrong)
		bad.Set("subjects[1].asset", "ZC-002")
		code, body, _ = postTo(t, c, newURL, bad)
		keep(code, body)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("wrong identity number: status %d, want 422", code)
		}
		wantFieldError(t, body, "party.id_number", "wrong identity number")
		if strings.Contains(body, digits) {
			t.Errorf("the wrong identity number comes back in clear")
		}

		form.Set("subjects[1].asset", "ZC-002")
		// The decision must be one of the collective's, adopted.
		bad.Set("party.id_number", raw)
		bad.Set("resolution_ref", "2025-99")
		code, body, _ = postTo(t, c, newURL, bad)
		keep(code, body)
		if code != http.StatusUnprocessableEntity || !strings.Contains(fieldOf(body, "resolution_ref"), "没有编号为 2025-99 的决议") {
			t.Fatalf("unknown decision: status %d, or no error beside resolution_ref:\n%s", code, fieldOf(body, "resolution_ref"))
		}
		code, body, loc := postTo(t, c, newURL, form)
		keep(code, body)
		if code != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=contract") {
			t.Fatalf("good contract: status %d to %q", code, loc)
		}
		page := w.srv.URL + strings.TrimSuffix(loc, "?done=contract")
		_, body = keep(get(t, c, w.srv.URL+loc))
		for _, want := range []string{"合同已登记为草稿", "张三", id.String(), "南什村旋耕机", "南什村河滩地", "10.00亩", "草稿", "/sign",
			fmt.Sprintf(`<a href="/c/%d/decisions/%d">2025-03</a>`, a, dec.ID)} {
			if !strings.Contains(body, want) {
				t.Errorf("the new contract's page lacks %q", want)
			}
		}
		if strings.Contains(body, "/receipts") || strings.Contains(body, "/terminate") {
			t.Errorf("a draft's page offers receipts or termination")
		}

		code, body, _ = postTo(t, c, page+"/sign", url.Values{"signed_on": {"2030-01-01"}})
		keep(code, body)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="2030-01-01"`) {
			t.Fatalf("signing after the end: status %d, want 422 with the date kept", code)
		}
		wantFieldError(t, body, "signed_on", "signing after the end")
		if code, _, loc := postTo(t, c, page+"/sign", url.Values{"signed_on": {"2025-03-01"}}); code != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=sign") {
			t.Fatalf("signing: status %d to %q", code, loc)
		}
		_, body = keep(get(t, c, page+"?done=sign"))
		for _, want := range []string{"合同已签订生效", "履行中", "3,000.00", "/receipts", "/terminate"} {
			if !strings.Contains(body, want) {
				t.Errorf("the signed contract's page lacks %q", want)
			}
		}

		for _, tc := range []struct {
			form  url.Values
			field string
		}{
			{url.Values{"date": {"2025-03-05"}, "amount": {"3,000.005"}, "account": {"10201"}}, "amount"},
			{url.Values{"date": {"2025-03-05"}, "amount": {"3000"}, "account": {"10299"}}, "account"},
			{url.Values{"date": {"2025-02-30"}, "amount": {"3000"}, "account": {"10201"}}, "date"},
		} {
			code, body, _ := postTo(t, c, page+"/receipts", tc.form)
			keep(code, body)
			if code != http.StatusUnprocessableEntity {
				t.Errorf("receipt with a wrong %s: status %d, want 422", tc.field, code)
				continue
			}
			wantFieldError(t, body, tc.field, "receipt with a wrong "+tc.field)
			if !strings.Contains(fieldOf(body, tc.field), tc.form.Get(tc.field)) {
				t.Errorf("receipt with a wrong %s: %q is not kept", tc.field, tc.form.Get(tc.field))
			}
		}
		code, _, loc = postTo(t, c, page+"/receipts", url.Values{"date": {"2025-03-05"}, "amount": {"3000"}, "account": {"10201"}})
		if code != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=receipt") {
			t.Fatalf("receipt: status %d to %q", code, loc)
		}
		_, body = keep(get(t, c, w.srv.URL+loc))
		if !strings.Contains(body, "收款已登记") || !strings.Contains(body, "已收清") {
			t.Errorf("the contract's page lacks the receipt's message or the instalment paid")
		}
		if !strings.Contains(body, `name="account" value="10201"`) {
			t.Errorf("the next receipt does not start from the last one's account")
		}
		row := tableRow(body, "2025-03-05")
		i := strings.Index(row, `href="`)
		if !strings.Contains(row, "3,000.00") || i < 0 {
			t.Fatalf("the receipts lack the new receipt and its voucher: %q", row)
		}
		href := row[i+len(`href="`):]
		href = href[:strings.Index(href, `"`)]
		_, body = keep(get(t, c, w.srv.URL+href))
		for _, want := range []string{"10201", "50101", "3,000.00", "记账"} {
			if !strings.Contains(body, want) {
				t.Errorf("the receipt's voucher lacks %q", want)
			}
		}

		if code, body, _ := postTo(t, c, page+"/terminate", url.Values{"ended_on": {"2025-12-31"}}); code != http.StatusUnprocessableEntity {
			t.Errorf("termination without a reason: status %d, want 422", code)
		} else {
			wantFieldError(t, body, "reason", "termination without a reason")
		}
		if code, _, _ := postTo(t, c, page+"/terminate", url.Values{"ended_on": {"2025-12-31"}, "reason": {"承租方违约"}}); code != http.StatusSeeOther {
			t.Fatalf("termination: status %d, want 303", code)
		}
		_, body = keep(get(t, c, page+"?done=terminate"))
		if !strings.Contains(body, "合同已终止") || !strings.Contains(body, "已终止") {
			t.Errorf("the terminated contract's page lacks its message or status")
		}
		_, body = keep(get(t, c, fmt.Sprintf("%s/c/%d/contracts", w.srv.URL, a)))
		if !strings.Contains(body, "HT-010") || !strings.Contains(body, fmt.Sprintf(`href="/c/%d/contracts/new"`, a)) {
			t.Errorf("the contract register lacks the new contract or the new contract button")
		}
		for i, b := range bodies {
			if strings.Contains(b, raw) || strings.Contains(b, digits) {
				t.Errorf("answer %d shows the identity number in clear", i)
			}
		}
	})
}

// TestRegisterForms_RoleScope refuses the forms to a role that may not
// keep books (403) and hides them from a user out of the collective's
// scope (404, as a page that does not exist), and a contract of another
// collective under this one's address is nobody's.
func TestRegisterForms_RoleScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		a := w.f.A.ID
		asset := url.Values{"code": {"ZC-020"}, "name": {"水泵"}, "category": {"machinery"}, "acquired_on": {"2025-06-01"},
			"source": {"purchase"}, "cost": {"1000"}, "life_months": {"60"}, "credit": {"10201"}}
		receipt := url.Values{"date": {"2025-03-05"}, "amount": {"1000"}, "account": {"10201"}}
		lease := fmt.Sprintf("/c/%d/contracts/%d", a, r.lease.ID)
		paths := []struct {
			path string
			form url.Values
		}{
			{fmt.Sprintf("/c/%d/assets/new", a), asset}, {fmt.Sprintf("/c/%d/resources/new", a), url.Values{}},
			{fmt.Sprintf("/c/%d/contracts/new", a), url.Values{}}, {lease + "/sign", url.Values{"signed_on": {"2025-03-01"}}},
			{lease + "/terminate", url.Values{"ended_on": {"2025-12-31"}, "reason": {"x"}}}, {lease + "/receipts", receipt},
		}
		for _, u := range []struct {
			name string
			want int
		}{{"cunshenhe", http.StatusForbidden}, {"viewer", http.StatusForbidden}, {"guocheng", http.StatusNotFound},
			{"gckuaiji", http.StatusNotFound}} {
			c := w.client(t, u.name)
			for _, p := range paths {
				if code, _ := get(t, c, w.srv.URL+p.path); code != u.want {
					t.Errorf("%s: GET %s: status %d, want %d", u.name, p.path, code, u.want)
				}
				if code, _ := post(t, c, w.srv.URL+p.path, p.form); code != u.want {
					t.Errorf("%s: POST %s: status %d, want %d", u.name, p.path, code, u.want)
				}
			}
		}
		if _, body := get(t, w.client(t, "cunshenhe"), w.srv.URL+lease); strings.Contains(body, "/receipts") {
			t.Errorf("an approver's contract page offers the receipt form")
		}
		kj := w.client(t, "kuaiji")
		for _, p := range []string{fmt.Sprintf("/c/%d/contracts/%d/receipts", a, r.wellLease.ID), fmt.Sprintf("/c/%d/contracts/x/sign", a),
			"/c/999999/assets/new"} {
			if code, _ := post(t, kj, w.srv.URL+p, receipt); code != http.StatusNotFound {
				t.Errorf("POST %s: status %d, want 404", p, code)
			}
		}
		n := storetest.Count(t, db, "SELECT COUNT(*) FROM receipts WHERE contract_id = %d", r.lease.ID)
		if n != 1 {
			t.Errorf("the lease has %d receipts, want only the one it had", n)
		}
		// The forms speak English too.
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/c/%d/contracts/new", w.srv.URL, a), nil)
		req.Header.Set("Accept-Language", "en")
		resp, err := kj.Do(req)
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{"New contract", "Counterparty", "Identity number"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("the English contract form lacks %q", want)
			}
		}
	})
}

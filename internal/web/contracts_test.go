package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestContract_Schedule shows a contract's schedule with what is received
// and overdue, and its receipt linking to the receipt's voucher.
func TestContract_Schedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		c := w.client(t, "viewer")
		_, body := get(t, c, fmt.Sprintf("%s/c/%d/contracts/%d", w.srv.URL, w.f.A.ID, r.lease.ID))
		for _, want := range []string{"南什村看护房租赁合同", "会宁县丰源农业有限公司", "南什村鱼塘看护房", "4,000.00", "6,000.00",
			"逾期", fmt.Sprintf(`href="/c/%d/vouchers/%d"`, w.f.A.ID, r.receipt.VoucherID)} {
			if !strings.Contains(body, want) {
				t.Errorf("contract page lacks %q", want)
			}
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/contracts", w.srv.URL, w.f.A.ID))
		if row := tableRow(body, fmt.Sprintf(`<a href="/c/%d/contracts/%d">HT-001</a>`, w.f.A.ID, r.lease.ID)); !strings.Contains(row, "4,000.00") ||
			!strings.Contains(row, "26,000.00") {
			t.Errorf("contract register row %q lacks received 4,000.00 and outstanding 26,000.00", row)
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

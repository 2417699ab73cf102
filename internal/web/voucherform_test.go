package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// form is a voucher form as a browser posts it.
func voucherForm(date string, lines ...[4]string) url.Values {
	f := url.Values{"date": {date}, "attachments": {"2"}, "note": {"测试"}, "save": {"1"}}
	for i, l := range lines {
		n := i + 1
		f.Set(fmt.Sprintf("line_summary_%d", n), l[0])
		f.Set(fmt.Sprintf("line_account_%d", n), l[1])
		f.Set(fmt.Sprintf("line_debit_%d", n), l[2])
		f.Set(fmt.Sprintf("line_credit_%d", n), l[3])
	}
	return f
}

// TestVoucherForm enters vouchers through the form: the picker's accounts
// carry pinyin initials; wrong entries come back as typed with each error
// beside its line and field; a blank line is skipped; a good voucher is
// saved as a draft; roles that may not keep books and users out of scope
// are refused.
func TestVoucherForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		kj := w.client(t, "kuaiji")
		newURL := fmt.Sprintf("%s/c/%d/vouchers/new", w.srv.URL, w.f.A.ID)

		code, body := get(t, kj, newURL)
		if code != http.StatusOK || !strings.Contains(body, `value="10201"`) || !strings.Contains(body, `nsyhjbh`) {
			t.Fatalf("new voucher form: status %d, or 10201 农商银行基本户 without its initials nsyhjbh", code)
		}

		// Line 2 has a third decimal; line 3 is blank; line 4 names no account.
		bad := voucherForm("2025-06-10",
			[4]string{"收鱼塘租金", "10201", "500", ""},
			[4]string{"收鱼塘租金", "50101", "", "12.345"},
			[4]string{"", "", "", ""},
			[4]string{"收鱼塘租金", "", "", "500"})
		code, body = post(t, kj, newURL, bad)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("bad voucher: status %d, want 422", code)
		}
		if !strings.Contains(body, `value="12.345"`) || !strings.Contains(body, `value="收鱼塘租金"`) {
			t.Errorf("bad voucher: the entries are not kept as typed")
		}
		row2 := rowOf(body, 2)
		if !strings.Contains(row2, "field-error") {
			t.Errorf("line 2's wrong amount has no error beside it:\n%s", row2)
		}
		// The amount error stops the form before the store, so fix it and
		// see the store's error for line 4's missing account land on row 4
		// although the voucher's lines skip the blank row 3.
		bad.Set("line_credit_2", "12.34")
		bad.Set("line_debit_1", "512.34")
		code, body = post(t, kj, newURL, bad)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("voucher without an account: status %d, want 422", code)
		}
		if row4 := rowOf(body, 4); !strings.Contains(row4, "field-error") {
			t.Errorf("row 4's missing account has no error beside it:\n%s", row4)
		}
		if row3 := rowOf(body, 3); strings.Contains(row3, "field-error") {
			t.Errorf("the blank row 3 got an error:\n%s", row3)
		}

		// One more line without script.
		more := voucherForm("2025-06-10", [4]string{"a", "", "", ""}, [4]string{"", "", "", ""})
		more.Del("save")
		more.Set("add_line", "1")
		code, body = post(t, kj, newURL, more)
		if code != http.StatusOK || !strings.Contains(body, `name="line_summary_3"`) {
			t.Errorf("add a line: status %d, or no third line", code)
		}

		good := voucherForm("2025-06-10",
			[4]string{"收鱼塘租金", "10201", "1,000.00", ""},
			[4]string{"收鱼塘租金", "50101", "", "600"},
			[4]string{"收机耕服务费", "50102", "", "400"})
		resp, err := kj.PostForm(newURL, good)
		must(t, err)
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "done=save") {
			t.Fatalf("good voucher: status %d to %q", resp.StatusCode, loc)
		}
		var vid int64
		fmt.Sscanf(loc[strings.LastIndex(loc, "/")+1:], "%d", &vid)
		v, err := db.FindVoucher(t.Context(), vid)
		must(t, err)
		if v.Status != ledger.Draft || len(v.Lines) != 3 || v.Lines[0].Debit != 100000 || v.Attachments != 2 {
			t.Errorf("saved voucher: %s, %d lines, debit %s, %d attachments", v.Status, len(v.Lines), v.Lines[0].Debit, v.Attachments)
		}

		// Edit the draft: the form comes back filled, and saves in place.
		editURL := fmt.Sprintf("%s/c/%d/vouchers/%d/edit", w.srv.URL, w.f.A.ID, vid)
		code, body = get(t, kj, editURL)
		if code != http.StatusOK || !strings.Contains(body, `value="收机耕服务费"`) {
			t.Errorf("edit form: status %d, or the lines are not filled", code)
		}
		for _, f := range []string{"summary", "account", "credit"} {
			good.Set("line_"+f+"_3", "") // a blank line: left out
		}
		good.Set("line_credit_2", "1000")
		if code, _ := post(t, kj, editURL, good); code != http.StatusSeeOther {
			t.Errorf("edit: status %d", code)
		}
		if v, err = db.FindVoucher(t.Context(), vid); err != nil || len(v.Lines) != 2 || v.Lines[1].Credit != 100000 {
			t.Errorf("edited voucher: %v, %+v", err, v)
		}

		// Refused: a role that keeps no books, and a user out of scope.
		if code, _ := post(t, w.client(t, "cunshenhe"), newURL, good); code != http.StatusForbidden {
			t.Errorf("village approver saving a voucher: status %d, want 403", code)
		}
		if code, _ := post(t, w.client(t, "gckuaiji"), newURL, good); code != http.StatusNotFound {
			t.Errorf("another township's accountant: status %d, want 404", code)
		}
		if code, _ := get(t, w.client(t, "gckuaiji"), editURL); code != http.StatusNotFound {
			t.Errorf("another township's accountant editing: status %d, want 404", code)
		}
	})
}

// rowOf returns the HTML of the form's line n.
func rowOf(body string, n int) string {
	start := strings.Index(body, fmt.Sprintf(`name="line_summary_%d"`, n))
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "</tr>")
	return body[start : start+end]
}

// TestClosePeriod closes and reopens a month through the collective's page.
func TestClosePeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		kj := w.client(t, "kuaiji")
		base := fmt.Sprintf("%s/c/%d/periods/2025-01", w.srv.URL, w.f.A.ID)
		if code, _ := post(t, w.client(t, "viewer"), base+"/close", nil); code != http.StatusForbidden {
			t.Errorf("viewer closing: status %d, want 403", code)
		}
		if code, _ := post(t, kj, base+"/close", nil); code != http.StatusSeeOther {
			t.Fatalf("close: status %d", code)
		}
		ps, err := db.Periods(t.Context(), w.f.A.ID)
		must(t, err)
		if !ps[0].Closed {
			t.Errorf("2025-01 is not closed after closing it")
		}
		_, body := get(t, kj, fmt.Sprintf("%s/c/%d?done=close", w.srv.URL, w.f.A.ID))
		if !strings.Contains(body, "已结账") {
			t.Errorf("the collective's page does not say the month is closed")
		}
		if code, _ := post(t, kj, base+"/reopen", url.Values{"reason": {"补录凭证"}}); code != http.StatusSeeOther {
			t.Errorf("reopen: status %d", code)
		}
		if code, _ := post(t, kj, base+"/frobnicate", nil); code != http.StatusNotFound {
			t.Errorf("unknown act: status %d, want 404", code)
		}
	})
}

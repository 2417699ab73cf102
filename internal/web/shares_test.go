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

// The people of the share tests, in collective O: 张三's household H001
// with his wife 王芳.
var (
	zhangID = storetest.IDNumber("62042219700501001")
	wangfID = storetest.IDNumber("62042219720601002")
)

// addShareHouseholds gives collective O (on top of addMembers) household
// H001 with two members confirmed on decision 2020-01, and O a unified
// social credit code.
func addShareHouseholds(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	by := w.users["gckuaiji"]
	must(t, w.db.CreateHouseholds(ctx, by, w.O.ID, []store.Household{{Code: "H001", Name: "张三", Group: "二组"}}))
	must(t, w.db.CreateMembers(ctx, by, w.O.ID, []register.Member{
		{Code: "M001", Name: "张三", IDNumber: zhangID, Household: "H001", Relation: register.RelHead, Basis: register.BasisOriginal,
			ConfirmedOn: jiti.MustDate("2020-02-01"), Decision: "2020-01"},
		{Code: "M002", Name: "王芳", IDNumber: wangfID, Household: "H001", Relation: register.RelSpouse, Basis: register.BasisMarriage,
			ConfirmedOn: jiti.MustDate("2020-02-01"), Decision: "2020-01"},
	}))
}

// want fails unless the answer has status code and holds every string.
func want(t *testing.T, what string, code int, body string, status int, wants ...string) {
	t.Helper()
	if code != status {
		t.Fatalf("%s: status %d, want %d\n%.3000s", what, code, status, body)
	}
	for _, s := range wants {
		if !strings.Contains(body, s) {
			t.Errorf("%s lacks %q", what, s)
		}
	}
	for _, id := range []jiti.IDNumber{zhangID, wangfID} {
		if strings.Contains(body, id.Reveal()) {
			t.Errorf("%s shows the identity number %s in clear", what, id)
		}
	}
}

// TestSharesPages follows collective O on the web from its members to
// their dividends: share types quantified through the form (a wrong total
// comes back beside its field, as typed), the register reconciled with its
// print view and xlsx, a change refused beside its field, certificates
// issued and one reissued, its print view with the QR code's spot and the
// public check page without signing in; then the closed year's plan
// drafted, adopted and paid, with the bank's list, and the household's
// page showing what it was allotted and paid. Who may not keep the books
// is not shown the forms.
func TestSharesPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addMembers(t, w)
		addShareHouseholds(t, w)
		c := w.client(t, "gckuaiji")
		base := fmt.Sprintf("%s/c/%d", w.srv.URL, w.O.ID)

		code, body := get(t, c, base)
		want(t, "collective", code, body, http.StatusOK, fmt.Sprintf("/c/%d/shares", w.O.ID))
		code, body = get(t, c, base+"/shares/types/new")
		want(t, "share type form", code, body, http.StatusOK, `name="rule"`, `name="decision"`)

		// A wrong total: back beside its field, what was typed kept.
		code, body = post(t, c, base+"/shares/types/new", url.Values{"code": {"JT"}, "name": {"集体股"}, "kind": {"collective"},
			"management": {"static"}, "total": {"1.234"}, "quantified_on": {"2025-03-31"}, "decision": {"2020-01"}})
		want(t, "a wrong total", code, body, http.StatusUnprocessableEntity, `value="1.234"`, `value="集体股"`, "field-error")
		for _, typ := range []url.Values{
			{"code": {"RK"}, "name": {"人口股"}, "kind": {"person"}, "management": {"static"}, "rule": {"per_member:1"},
				"quantified_on": {"2025-03-31"}, "decision": {"2020-01"}},
			{"code": {"JT"}, "name": {"集体股"}, "kind": {"collective"}, "management": {"static"}, "total": {"1"},
				"quantified_on": {"2025-03-31"}, "decision": {"2020-01"}},
		} {
			code, body = post(t, c, base+"/shares/types/new", typ)
			want(t, "share type "+typ.Get("code"), code, body, http.StatusSeeOther)
		}
		code, body = get(t, c, base+"/shares?done=share_type")
		want(t, "shares", code, body, http.StatusOK, "人口股", "集体股", "人口股：持有 2.00 &#43; 未分配 0.00 = 总股数 2.00，相符",
			"H001", "成员 M001", "股份类别已量化", "/shares/changes/new")
		code, body = get(t, c, base+"/shares?print=1")
		want(t, "shares printed", code, body, http.StatusOK, `class="print"`, "持股明细")
		resp, err := c.Get(base + "/shares?format=xlsx")
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("shares xlsx: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}

		// More than the giver holds: refused beside the quantity; a holder
		// that cannot be read beside its field.
		change := url.Values{"kind": {"gift"}, "type": {"RK"}, "from_holder": {"member:M002"}, "to_holder": {"member:M001"},
			"qty": {"2"}, "date": {"2025-04-01"}, "decision": {"2020-01"}}
		code, body = post(t, c, base+"/shares/changes/new", change)
		want(t, "a gift of more than held", code, body, http.StatusConflict, `value="member:M002"`, "field-error")
		change.Set("from_holder", "somebody")
		code, body = post(t, c, base+"/shares/changes/new", change)
		want(t, "a holder unread", code, body, http.StatusUnprocessableEntity, `value="somebody"`, "field-error")
		change.Set("from_holder", "member:M002")
		change.Set("qty", "0.5")
		code, body = post(t, c, base+"/shares/changes/new", change)
		want(t, "a gift", code, body, http.StatusSeeOther)
		code, body = get(t, c, base+"/shares")
		want(t, "shares after the gift", code, body, http.StatusOK, "赠与", "1.50")

		// Certificates: issued to every household holding shares, one
		// reissued.
		code, body = post(t, c, base+"/certificates/issue", url.Values{"date": {"2025-04-10"}})
		want(t, "issue", code, body, http.StatusSeeOther)
		first, second := w.O.Code+"-0001", w.O.Code+"-0002"
		code, body = get(t, c, base+"/certificates")
		want(t, "certificates", code, body, http.StatusOK, first, "有效", "/certificates/issue")
		code, body = post(t, c, base+"/certificates/reissue", url.Values{"certificate_number": {first}, "date": {"2025-06-01"}})
		want(t, "a reissue without its reason", code, body, http.StatusUnprocessableEntity, `value="`+first+`"`, "field-error")
		code, body = post(t, c, base+"/certificates/reissue", url.Values{"certificate_number": {first}, "date": {"2025-06-01"}, "reason": {"遗失补办"}})
		want(t, "reissue", code, body, http.StatusSeeOther)
		code, body = get(t, c, base+"/certificates/"+first)
		want(t, "the void certificate", code, body, http.StatusOK, "已作废", "遗失补办", "/certificates/"+second)
		code, body = get(t, c, base+"/certificates/"+second)
		want(t, "the certificate printed", code, body, http.StatusOK, `class="print"`, "paper-a4", "统一社会信用代码", "张三", "王芳",
			"人口股", "2025-03-31", "2.00", "赠与", `<div class="certificate-qr" aria-hidden="true"><svg class="qr"`, "http://", "/p/certificates/"+second)

		// The public check page: without signing in, and nothing but the
		// status, collective, head and total.
		anon := w.client(t, "")
		code, body = get(t, anon, w.srv.URL+"/p/certificates/"+second)
		want(t, "public check", code, body, http.StatusOK, "有效", w.O.Name, "张三", "2.00")
		for _, never := range []string{"王芳", "M001", "H001", "赠与"} {
			if strings.Contains(body, never) {
				t.Errorf("the public check page shows %q", never)
			}
		}
		code, body = get(t, anon, w.srv.URL+"/p/certificates/"+first)
		want(t, "public check of a void number", code, body, http.StatusOK, "已作废")
		code, _ = get(t, anon, w.srv.URL+"/p/certificates/620422-9999")
		if code != http.StatusNotFound {
			t.Errorf("an unknown number: status %d", code)
		}
		// Nothing else new is open without signing in.
		for _, u := range []string{"/shares", "/shares/types/new", "/shares/changes/new", "/shares/recompute", "/certificates",
			"/certificates/issue", "/certificates/reissue", "/certificates/" + second, "/distributions/2025", "/distributions/2025/pay"} {
			if code, _ := get(t, anon, base+u); code != http.StatusSeeOther {
				t.Errorf("%s signed out: status %d", u, code)
			}
		}
		if code, _ := post(t, anon, base+"/certificates/reissue", url.Values{"certificate_number": {second}}); code == http.StatusSeeOther || code < 400 {
			t.Errorf("a reissue signed out: status %d", code)
		}

		// The year's distribution: none before the year is closed.
		code, body = get(t, c, base+"/distributions/2025")
		want(t, "no distribution", code, body, http.StatusOK, "尚未编制", "/distributions/2025/draft")
		draft := url.Values{"reserve_rate": {"10"}, "member_rate": {"50"}}
		code, body = post(t, c, base+"/distributions/2025/draft", draft)
		want(t, "a plan of an open year", code, body, http.StatusConflict, `value="10"`, "尚未年终结账")
		ctx, by := context.Background(), w.users["gckuaiji"]
		_, err = db.ClosePeriodsThrough(ctx, by, w.O.ID, jiti.MustPeriod("2025-11"))
		must(t, err)
		_, err = db.CloseYear(ctx, by, w.O.ID, 2025)
		must(t, err)
		code, body = post(t, c, base+"/distributions/2025/draft", url.Values{"reserve_rate": {"10"}, "members": {"9999"}})
		want(t, "a plan above the distributable income", code, body, http.StatusUnprocessableEntity, `value="9999"`, "超过可分配收益")
		code, body = post(t, c, base+"/distributions/2025/draft", draft)
		want(t, "draft", code, body, http.StatusSeeOther)
		// 500 of income: 50 to the fund, 225 by 3 shares, 150 to H001
		// and 75 kept by the collective's 集体股.
		code, body = get(t, c, base+"/distributions/2025")
		want(t, "the draft", code, body, http.StatusOK, "草案", "500.00", "50.00", "225.00", "150.00", "75.00", "/distributions/2025/adopt")
		adoptKind(t, db, by, w.O.ID, register.DecideDistribution, "2026-01", "2025年度收益分配方案", "2026-01-10")
		code, body = post(t, c, base+"/distributions/2025/adopt", url.Values{"date": {"2026-01-15"}})
		want(t, "an adoption without its decision", code, body, http.StatusUnprocessableEntity, `value="2026-01-15"`, "field-error")
		code, body = post(t, c, base+"/distributions/2025/adopt", url.Values{"date": {"2026-01-15"}, "decision": {"2026-01"}})
		want(t, "adopt", code, body, http.StatusSeeOther)
		code, body = get(t, c, base+"/distributions/2025")
		want(t, "adopted", code, body, http.StatusOK, "已通过", "2026-01", "format=bank", "/distributions/2025/pay")
		resp, err = c.Get(base + "/distributions/2025?format=bank")
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "payments") {
			t.Fatalf("the bank's list: %d %s", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		code, body = get(t, c, base+"/distributions/2025?print=1")
		want(t, "distribution printed", code, body, http.StatusOK, `class="print"`, "收益分配方案", "各户分配额")
		code, body = post(t, c, base+"/distributions/2025/pay", url.Values{"date": {"2026-01-18"}, "account": {"10201"}})
		want(t, "pay", code, body, http.StatusSeeOther)
		code, body = get(t, c, base+"/households/H001")
		want(t, "the household's allotments", code, body, http.StatusOK, "收益分配", "2025", "150.00", "/distributions/2025")

		// A county viewer reads, and is not shown the forms.
		v := w.client(t, "viewer")
		code, body = get(t, v, base+"/shares")
		want(t, "shares to a viewer", code, body, http.StatusOK, "人口股")
		if strings.Contains(body, "/shares/changes/new") {
			t.Error("a viewer is offered the change form")
		}
		for _, u := range []string{"/shares/types/new", "/certificates/issue", "/distributions/2025/pay"} {
			if code, _ := get(t, v, base+u); code != http.StatusForbidden {
				t.Errorf("%s to a viewer: status %d", u, code)
			}
		}
	})
}

// addDistribution gives collective A (after addMembers) a year 2025 closed
// (its draft deleted, a rent received), 人口股 quantified one per member, a certificate
// 620422100201-0001 and a draft plan of 2025, for the API's reads.
func addDistribution(t *testing.T, w *world) {
	t.Helper()
	ctx, by, a := context.Background(), w.users["kuaiji"], w.f.A.ID
	must(t, w.db.DeleteVoucher(ctx, by, w.draft.ID))
	w.f.Post(t, a, "2025-10-08", storetest.Line("收南什村厂房租金", "10201", "2000"), storetest.Line("收南什村厂房租金", "50101", "-2000"))
	_, err := w.db.ClosePeriodsThrough(ctx, by, a, jiti.MustPeriod("2025-11"))
	must(t, err)
	_, err = w.db.CloseYear(ctx, by, a, 2025)
	must(t, err)
	must(t, w.db.CreateShareType(ctx, by, a, store.ShareTypeInput{Decision: "2020-01", Rule: register.ShareRule{Kind: "per_member", Per: 100},
		Type: register.ShareType{Code: "RK", Name: "人口股", Kind: register.PersonShare, Management: register.Static, QuantifiedOn: jiti.MustDate("2025-03-31")}}))
	_, err = w.db.IssueCertificates(ctx, by, a, jiti.MustDate("2025-04-10"), nil)
	must(t, err)
	_, err = w.db.DraftDistribution(ctx, by, a, store.DistributionInput{Year: 2025, ReserveRate: 10_00, MemberRate: 50_00})
	must(t, err)
}

// TestAPI_Shares: the share register, certificates and a distribution
// through the API, each answer held to the document: a change of shares
// recorded and one of more than is free refused on its field; the log
// paged; a certificate read with its ETag and reissued only on the tag
// read; the year's plan adopted on its decision and paid, its money as
// decimal strings.
func TestAPI_Shares(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addMembers(t, w)
		addDistribution(t, w)
		a := w.apiAs(t, "kuaiji")
		cid := fmt.Sprint(w.f.A.ID)
		col := "/collectives/" + cid
		reg := a.get(col+"/shares").want(t, http.StatusOK, "shares")
		typ := reg.json["types"].([]any)[0].(map[string]any)
		if typ["held"] != "2.00" || typ["unallocated"] != "0.00" || reg.json["total"].(float64) != 2 {
			t.Fatalf("the share register: %s", reg.raw)
		}
		gift := `{"kind": "gift", "type": "RK", "from": "member:M002", "to": "member:M001", "qty": "0.5", "date": "2025-04-01", "decision": "2020-01"}`
		ch := a.do("POST", col+"/share-changes", gift).want(t, http.StatusCreated, "a gift")
		if c := ch.json["change"].(map[string]any); c["qty"] != "0.50" || c["kind"] != "gift" {
			t.Fatalf("the change: %s", ch.raw)
		}
		over := a.do("POST", col+"/share-changes", strings.Replace(gift, `"0.5"`, `"5"`, 1)).want(t, http.StatusConflict, "more than free")
		if f := over.json["error"].(map[string]any)["field"]; f != "qty" {
			t.Errorf("more than free: field %v, want qty", f)
		}
		a.do("POST", col+"/share-changes", strings.Replace(gift, `"member:M002"`, `"somebody"`, 1)).want(t, http.StatusUnprocessableEntity, "a holder unread")
		log := a.get(col+"/share-changes?limit=1").want(t, http.StatusOK, "the log")
		if log.json["total"].(float64) != 3 || len(log.json["changes"].([]any)) != 1 || !strings.Contains(log.header.Get("Link"), `rel="next"`) {
			t.Fatalf("the log paged: %v %s", log.header.Get("Link"), log.raw)
		}

		number := w.f.A.Code + "-0001"
		list := a.get(col+"/certificates").want(t, http.StatusOK, "certificates")
		if list.json["total"].(float64) != 1 {
			t.Fatalf("certificates: %s", list.raw)
		}
		k := a.get("/certificates/"+number).want(t, http.StatusOK, "a certificate")
		tag := k.header.Get("ETag")
		noClearIDs(t, "a certificate", k.raw)
		if tag == "" || k.json["total"] != "2.00" {
			t.Fatalf("a certificate: %q %s", tag, k.raw)
		}
		a.header.Set("If-Match", `"stale"`)
		a.do("POST", "/certificates/"+number+"/reissue", `{"date": "2025-06-01", "reason": "遗失补办"}`).want(t, http.StatusPreconditionFailed, "a stale reissue")
		a.header.Set("If-Match", tag)
		re := a.do("POST", "/certificates/"+number+"/reissue", `{"date": "2025-06-01", "reason": "遗失补办"}`).want(t, http.StatusCreated, "reissue")
		a.header.Del("If-Match")
		if loc := re.header.Get("Location"); !strings.HasSuffix(loc, "/certificates/"+w.f.A.Code+"-0002") {
			t.Errorf("reissued at %q", loc)
		}
		old := a.get("/certificates/"+number).want(t, http.StatusOK, "the void certificate")
		if c := old.json["certificate"].(map[string]any); c["status"] != "void" || c["replaced_by"] != w.f.A.Code+"-0002" {
			t.Errorf("the void certificate: %s", old.raw)
		}

		d := a.get(col+"/distributions/2025").want(t, http.StatusOK, "the draft")
		if d.json["status"] != "draft" || d.header.Get("ETag") == "" {
			t.Fatalf("the draft: %s", d.raw)
		}
		a.do("POST", col+"/distributions/2025/adopt", `{"date": "2026-01-15", "decision": "2026-01"}`).want(t, http.StatusUnprocessableEntity, "no such decision")
		adoptKind(t, db, w.users["kuaiji"], w.f.A.ID, register.DecideDistribution, "2026-01", "2025年度收益分配方案", "2026-01-10")
		d = a.do("POST", col+"/distributions/2025/adopt", `{"date": "2026-01-15", "decision": "2026-01"}`).want(t, http.StatusOK, "adopt")
		if d.json["status"] != "adopted" || d.json["decision"] != "2026-01" {
			t.Fatalf("adopted: %s", d.raw)
		}
		d = a.do("POST", col+"/distributions/2025/pay", `{"date": "2026-01-18", "account": "10201"}`).want(t, http.StatusOK, "pay")
		for _, l := range d.json["lines"].([]any) {
			l := l.(map[string]any)
			if l["household"] != "" && l["paid"] != l["amount"] {
				t.Errorf("after paying all: %v", l)
			}
		}
		a.do("POST", col+"/distributions/2025/pay", `{"date": "2026-01-19", "account": "10201"}`).want(t, http.StatusConflict, "nothing owed")
	})
}

// addSharesO gives collective O (after addMembers) household H001 with
// 人口股 and 集体股, certificate 0001 and 0002 (0001 reissued as 0002,
// after a gift), its year 2025 closed and a plan of 2025 adopted: the
// pages of shares, certificates and distributions with something on
// them, for the browser's tests.
func addSharesO(t *testing.T, w *world) {
	t.Helper()
	addShareHouseholds(t, w)
	ctx, by, o := context.Background(), w.users["gckuaiji"], w.O.ID
	for _, typ := range []store.ShareTypeInput{
		{Decision: "2020-01", Rule: register.ShareRule{Kind: "per_member", Per: 100}, Type: register.ShareType{Code: "RK", Name: "人口股",
			Kind: register.PersonShare, Management: register.Static, QuantifiedOn: jiti.MustDate("2025-03-31")}},
		{Decision: "2020-01", Type: register.ShareType{Code: "JT", Name: "集体股", Kind: register.CollectiveShare, Management: register.Static,
			Total: 100, QuantifiedOn: jiti.MustDate("2025-03-31")}},
	} {
		must(t, w.db.CreateShareType(ctx, by, o, typ))
	}
	must(t, w.db.ChangeShares(ctx, by, o, []store.ShareChangeInput{{Decision: "2020-01", Note: "赠与",
		Change: register.ShareChange{Kind: register.Gift, Type: "RK", On: jiti.MustDate("2025-04-01"), Qty: 50,
			From: register.Holder{Kind: register.HeldByMember, Code: "M002"}, To: register.Holder{Kind: register.HeldByMember, Code: "M001"}}}}))
	_, err := w.db.IssueCertificates(ctx, by, o, jiti.MustDate("2025-04-10"), nil)
	must(t, err)
	_, err = w.db.ReissueCertificate(ctx, by, o, w.O.Code+"-0001", jiti.MustDate("2025-06-01"), "遗失补办")
	must(t, err)
	_, err = w.db.ClosePeriodsThrough(ctx, by, o, jiti.MustPeriod("2025-11"))
	must(t, err)
	_, err = w.db.CloseYear(ctx, by, o, 2025)
	must(t, err)
	_, err = w.db.DraftDistribution(ctx, by, o, store.DistributionInput{Year: 2025, ReserveRate: 10_00, MemberRate: 50_00})
	must(t, err)
	adoptKind(t, w.db, by, o, register.DecideDistribution, "2026-01", "2025年度收益分配方案", "2026-01-10")
	_, err = w.db.AdoptDistribution(ctx, by, o, 2025, jiti.MustDate("2026-01-15"), "2026-01")
	must(t, err)
}

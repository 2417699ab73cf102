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

// pageRecords are the world's register records: in A a house on the books
// from before jiti (with its opening depreciation) leased out under a
// contract with an instalment in arrears, an idle machine, and a piece of
// land; in O a well and its contract, whose names are O's secrets.
type pageRecords struct {
	house, machine, well *register.Asset
	land                 *register.Resource
	lease, wellLease     *register.Contract
	receipt              *store.Receipt
}

// addPageRecords registers the records through the store, as their keepers.
func addPageRecords(t *testing.T, w *world) *pageRecords {
	t.Helper()
	ctx := context.Background()
	db, f := w.db, w.f
	d, a := jiti.MustDate, jiti.MustAmount
	existing := func(by jiti.UserID, cid int64, code, name string, status register.Status) *register.Asset {
		out, err := db.CreateAsset(ctx, by, store.AssetInput{Asset: register.Asset{CollectiveID: cid, Code: code, Name: name,
			Category: register.Building, Nature: register.Operating, Use: register.ForProduction, Quantity: "1", Unit: "座",
			AcquiredOn: d("2020-01-01"), Source: register.Existing, Cost: a("50000"), LifeMonths: 240,
			OpeningDepreciation: a("12000"), OpeningMonths: 60, Status: status, StatusSince: d("2025-01-01")}})
		must(t, err)
		return out
	}
	lease := func(by jiti.UserID, cid int64, code, name string, asset int64) *register.Contract {
		k, err := db.CreateContract(ctx, by, store.ContractInput{Contract: register.Contract{CollectiveID: cid, Code: code, Name: name,
			Kind: register.Lease, Party: register.Party{Kind: register.Unit, Name: "会宁县丰源农业有限公司"},
			Subjects: []register.Subject{{AssetID: asset}}, Start: d("2025-01-01"), End: d("2027-12-31"), Amount: a("30000"),
			Frequency: register.Yearly, IncomeAccount: "50101", Award: register.Negotiation,
			ResolutionRef: adoptDecision(t, db, by, cid, "2024-12", name, "2024-12-20").Number},
			SignOn: d("2025-01-01")})
		must(t, err)
		return k
	}
	r := &pageRecords{}
	r.house = existing(f.Accountant, f.A.ID, "ZC-001", "南什村鱼塘看护房", register.InUse)
	r.machine = existing(f.Accountant, f.A.ID, "ZC-002", "南什村旋耕机", register.Idle)
	r.lease = lease(f.Accountant, f.A.ID, "HT-001", "南什村看护房租赁合同", r.house.ID)
	var err error
	r.receipt, err = db.RecordReceipt(ctx, f.Accountant, r.lease.ID, store.ReceiptInput{Date: d("2025-02-01"), Amount: a("4000"), Account: "10201"})
	must(t, err)
	area, err := register.ParseArea("35.5")
	must(t, err)
	r.land, err = db.CreateResource(ctx, f.Accountant, register.Resource{CollectiveID: f.A.ID, Code: "ZY-001", Name: "南什村河滩地",
		Kind: register.Cultivated, Area: area, Use: register.ResourceIdle, UseSince: d("2025-01-01"), Boundaries: "东至河、西至路"})
	must(t, err)
	gc := w.users["gckuaiji"]
	r.well = existing(gc, w.O.ID, "ZC-101", "红堡子村机井房", register.InUse)
	r.wellLease = lease(gc, w.O.ID, "HT-101", "红堡子村机井租赁合同", r.well.ID)
	return r
}

// TestRegisters_RoleScope drives the register pages as every role: those
// of a collective in scope answer 200, any other 404, and a record of one
// collective under another's address is nobody's.
func TestRegisters_RoleScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		a, o := w.f.A.ID, w.O.ID
		pages := []scoped{}
		for _, p := range []struct {
			path string
			args []any
			of   string
		}{
			{"/c/%d/assets", []any{a}, "A"}, {"/c/%d/assets?status=idle&category=building", []any{a}, "A"},
			{"/c/%d/assets?print=1", []any{a}, "A"}, {"/c/%d/assets?format=xlsx", []any{a}, "A"},
			{"/c/%d/assets/%d", []any{a, r.house.ID}, "A"}, {"/c/%d/resources", []any{a}, "A"},
			{"/c/%d/resources?kind=cultivated&use=idle", []any{a}, "A"}, {"/c/%d/contracts", []any{a}, "A"},
			{"/c/%d/contracts?status=in_force&kind=lease", []any{a}, "A"}, {"/c/%d/contracts/%d", []any{a, r.lease.ID}, "A"},
			{"/c/%d/warnings", []any{a}, "A"},
			{"/c/%d/assets", []any{o}, "O"}, {"/c/%d/assets/%d", []any{o, r.well.ID}, "O"}, {"/c/%d/resources", []any{o}, "O"},
			{"/c/%d/contracts", []any{o}, "O"}, {"/c/%d/contracts/%d", []any{o, r.wellLease.ID}, "O"}, {"/c/%d/warnings", []any{o}, "O"},
			// One collective's records under another's address.
			{"/c/%d/assets/%d", []any{a, r.well.ID}, ""}, {"/c/%d/assets/%d", []any{o, r.house.ID}, ""},
			{"/c/%d/contracts/%d", []any{a, r.wellLease.ID}, ""}, {"/c/%d/contracts/%d", []any{o, r.lease.ID}, ""},
			{"/c/%d/assets/999999", []any{a}, ""}, {"/c/%d/contracts/x", []any{a}, ""}, {"/c/999999/assets", nil, ""},
		} {
			pages = append(pages, scoped{fmt.Sprintf(p.path, p.args...), p.of})
		}
		for _, code := range allRegions {
			pages = append(pages, scoped{"/r/" + code + "/warnings", "r:" + code})
		}
		pages = append(pages, scoped{"/r/999999/warnings", ""})
		driveScope(t, w, pages, map[string][]string{
			"A": {"南什村股份经济合作社", "南什村鱼塘看护房", "南什村看护房租赁合同", "南什村河滩地"},
			"O": {"红堡子村", "机井"},
		})
	})
}

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

// TestWarnings_Page lists the arrears and the idle machine of A under
// their kinds, on the county's page and on A's; the dashboard links there.
func TestWarnings_Page(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		c := w.client(t, "kuaiji")
		_, body := get(t, c, w.srv.URL+"/r/620422100/warnings")
		for _, want := range []string{`id="arrears"`, `id="idle_too_long"`, "欠款逾期", "资产长期闲置",
			fmt.Sprintf(`/c/%d/contracts/%d`, w.f.A.ID, r.lease.ID), fmt.Sprintf(`/c/%d/assets/%d`, w.f.A.ID, r.machine.ID),
			"南什村股份经济合作社", "HT-001"} {
			if !strings.Contains(body, want) {
				t.Errorf("township warnings lack %q", want)
			}
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/warnings", w.srv.URL, w.f.A.ID))
		if !strings.Contains(body, "ZC-002") || !strings.Contains(body, "HT-001") {
			t.Errorf("A's warnings lack the idle machine or the lease")
		}
		_, body = get(t, c, w.srv.URL+"/r/620422100?year=2025")
		if !strings.Contains(body, `href="/r/620422100/warnings?year=2025#arrears"`) {
			t.Errorf("dashboard does not link its arrears to the warnings")
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

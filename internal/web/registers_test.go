package web_test

import (
	"context"
	"fmt"
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

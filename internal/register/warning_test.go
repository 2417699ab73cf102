package register_test

import (
	"reflect"
	"testing"

	"example.org/jiti/internal/register"
)

func TestArrears(t *testing.T) {
	a := shopSchedule(t) // contract 3: due 2025-01-01, 2026-01-01, 2027-01-01
	a[0].Received = y("5000")
	b := []register.Instalment{
		{ContractID: 2, No: 1, DueOn: d("2026-03-01"), Amount: y("100")},                     // due today: not yet overdue
		{ContractID: 2, No: 2, DueOn: d("2026-02-28"), Amount: y("100"), Received: y("100")}, // paid
		{ContractID: 2, No: 3, DueOn: d("2026-02-28"), Amount: y("100"), Received: y("40")},
	}
	got := register.Arrears(append(a, b...), d("2026-03-01"))
	want := []register.Warning{
		{Kind: register.WarnArrears, ContractID: 2, InstalmentNo: 3, Days: 1, Amount: y("60"), Date: d("2026-02-28")},
		{Kind: register.WarnArrears, ContractID: 3, InstalmentNo: 1, Days: 424, Amount: y("7000"), Date: d("2025-01-01")},
		{Kind: register.WarnArrears, ContractID: 3, InstalmentNo: 2, Days: 59, Amount: y("12000"), Date: d("2026-01-01")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Arrears =\n%+v\nwant\n%+v", got, want)
	}
	if got := register.Arrears(a, d("2024-12-31")); got != nil {
		t.Errorf("nothing due yet: %+v", got)
	}
}

func TestExpiring(t *testing.T) {
	mk := func(id, cid int64, status register.ContractStatus, end string) *register.Contract {
		c := shopLease()
		c.ID, c.CollectiveID, c.Status, c.End = id, cid, status, d(end)
		return c
	}
	cs := []*register.Contract{
		mk(1, 1, register.InForce, "2025-07-31"),       // 40 days: not within 30
		mk(2, 2, register.InForce, "2025-07-01"),       // 10 days
		mk(3, 1, register.InForce, "2025-07-01"),       // 10 days, collective 1 first
		mk(4, 1, register.ContractDraft, "2025-06-25"), // a draft is not expiring
		mk(5, 1, register.Expired, "2025-06-25"),
		mk(6, 1, register.InForce, "2025-06-01"), // past its end, not marked expired
		mk(7, 1, register.InForce, "2025-07-21"), // 30 days: within
		nil,
	}
	got := register.Expiring(cs, d("2025-06-21"), 30)
	want := []register.Warning{
		{Kind: register.WarnExpiring, CollectiveID: 1, ContractID: 6, Days: -20, Date: d("2025-06-01")},
		{Kind: register.WarnExpiring, CollectiveID: 1, ContractID: 3, Days: 10, Date: d("2025-07-01")},
		{Kind: register.WarnExpiring, CollectiveID: 2, ContractID: 2, Days: 10, Date: d("2025-07-01")},
		{Kind: register.WarnExpiring, CollectiveID: 1, ContractID: 7, Days: 30, Date: d("2025-07-21")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Expiring =\n%+v\nwant\n%+v", got, want)
	}
}

func TestMissingRecords(t *testing.T) {
	noRef := shopLease()
	noRef.ID, noRef.AwardRef = 11, ""
	noResolution := pond()
	noResolution.ID, noResolution.CollectiveID, noResolution.ResolutionRef, noResolution.DecisionID, noResolution.Status = 12, 2, "", 0, register.InForce
	both := shopLease()
	both.ID, both.AwardRef, both.ResolutionRef, both.DecisionID = 10, "", "", 0
	// Free text from before the decisions register names no decision.
	legacy := shopLease()
	legacy.ID, legacy.ResolutionRef, legacy.DecisionID = 15, "村民代表会议决议2024-12", 0
	service := shopLease()
	service.ID, service.Kind, service.ResolutionRef, service.Award = 13, register.Service, "", register.Negotiation
	expired := shopLease()
	expired.ID, expired.AwardRef, expired.Status = 14, "", register.Expired
	got := register.MissingRecords([]*register.Contract{noResolution, noRef, both, service, expired, shopLease(), legacy})
	want := []register.Warning{
		{Kind: register.WarnNoAwardRef, CollectiveID: 1, ContractID: 10},
		{Kind: register.WarnNoResolution, CollectiveID: 1, ContractID: 10},
		{Kind: register.WarnNoAwardRef, CollectiveID: 1, ContractID: 11},
		{Kind: register.WarnNoResolution, CollectiveID: 1, ContractID: 15},
		{Kind: register.WarnNoResolution, CollectiveID: 2, ContractID: 12},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MissingRecords =\n%+v\nwant\n%+v", got, want)
	}
}

func TestRentBelow(t *testing.T) {
	areas := map[int64]register.Area{5: 10000, 6: 3000}
	c := pond() // 30 mu of resource 5, three years, 36,000: 400 a mu a year
	c.Status = register.InForce
	whole := pond() // all 30 mu of resource 6, half a year for 6,000
	whole.ID, whole.Subjects, whole.Start, whole.End, whole.Amount = 20, []register.Subject{{ResourceID: 6}}, d("2025-01-01"), d("2025-06-30"), y("6000")
	withAsset := pond()
	withAsset.ID, withAsset.Kind = 21, register.Lease
	withAsset.Subjects = append(withAsset.Subjects, register.Subject{AssetID: 7})
	unknown := pond()
	unknown.ID, unknown.Subjects = 22, []register.Subject{{ResourceID: 9}}
	equity := pond()
	equity.ID, equity.Kind = 23, register.Equity
	ended := pond()
	ended.ID, ended.Status = 24, register.Terminated

	got := register.RentBelow([]*register.Contract{whole, c, withAsset, unknown, equity, ended}, areas, y("500"))
	// whole: 6,000 over 181/365 of a year on 30 mu = 403.31 a mu.
	want := []register.Warning{
		{Kind: register.WarnRentBelow, CollectiveID: 1, ContractID: 4, ResourceID: 5, Amount: y("400"), Date: d("2025-01-01"), Detail: "500.00"},
		{Kind: register.WarnRentBelow, CollectiveID: 1, ContractID: 20, ResourceID: 6, Amount: y("403.31"), Date: d("2025-01-01"), Detail: "500.00"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RentBelow =\n%+v\nwant\n%+v", got, want)
	}
	if got := register.RentBelow([]*register.Contract{c}, areas, y("400")); got != nil {
		t.Errorf("rent equal to the benchmark: %+v", got)
	}
	// Two resources: the areas add up, no single resource is named.
	two := pond()
	two.Subjects = []register.Subject{{ResourceID: 5, Area: 1000}, {ResourceID: 6}} // 10 + 30 mu
	got = register.RentBelow([]*register.Contract{two}, areas, y("400"))
	if len(got) != 1 || got[0].Amount != y("300") || got[0].ResourceID != 0 {
		t.Errorf("two resources: %+v", got)
	}
}

func TestIdleTooLong(t *testing.T) {
	idle := func(id, cid int64, code, since string) *register.Asset {
		a := tractor()
		a.ID, a.CollectiveID, a.Code, a.Status, a.StatusSince = id, cid, code, register.Idle, d(since)
		return a
	}
	busy := tractor()
	as := []*register.Asset{
		idle(1, 2, "A", "2023-01-01"),
		idle(2, 1, "B", "2024-01-15"), // exactly 12 months on 2025-01-15: not more
		idle(3, 1, "A", "2024-01-14"),
		busy, nil,
	}
	got := register.IdleTooLong(as, d("2025-01-15"), 12)
	want := []register.Warning{
		{Kind: register.WarnIdleTooLong, CollectiveID: 1, AssetID: 3, Days: 367, Date: d("2024-01-14")},
		{Kind: register.WarnIdleTooLong, CollectiveID: 2, AssetID: 1, Days: 745, Date: d("2023-01-01")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("IdleTooLong =\n%+v\nwant\n%+v", got, want)
	}
	if got := register.IdleTooLong(as, d("2025-01-16"), 12); len(got) != 3 {
		t.Errorf("a day later: %+v", got)
	}
}

package register_test

import (
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

const (
	validUSCC = "93620422000000001H"
	validID   = "620422198001011230"
)

// shopLease returns a valid draft: a shopfront leased for three years at
// 36,000 paid yearly.
func shopLease() *register.Contract {
	id, err := jiti.NewIDNumber(validID)
	if err != nil {
		panic(err)
	}
	c := &register.Contract{ID: 3, CollectiveID: 1, Code: "HT-2025-003", Name: "门面租赁", Kind: register.Lease,
		Party:    register.Party{Name: "张三", IDNumber: id, Phone: "13800000000"},
		Subjects: []register.Subject{{AssetID: 7}}, Start: d("2025-01-01"), End: d("2027-12-31"), Amount: y("36000"),
		Frequency: register.Yearly, IncomeAccount: "50101", Award: register.OpenBidding, AwardRef: "GS-2024-118",
		ResolutionRef: "2024-12", DecisionID: 9}
	c.Normalize()
	return c
}

// pond returns a valid contracting of 30 mu of resource 5.
func pond() *register.Contract {
	c := shopLease()
	c.ID, c.Code, c.Name, c.Kind = 4, "HT-2025-004", "鱼塘承包", register.Contracting
	c.Party = register.Party{Kind: register.Unit, Name: "会宁县某水产合作社", USCC: validUSCC}
	c.Subjects = []register.Subject{{ResourceID: 5, Area: 3000}}
	return c
}

func TestContractNormalize(t *testing.T) {
	c := &register.Contract{Code: " HT-1 ", Name: " 租赁 ", Party: register.Party{Name: " 某公司 ", USCC: " 93620422000000001h "},
		IncomeAccount: " 501 ", AwardRef: " A ", Start: d("2025-01-01")}
	c.Normalize()
	if c.Code != "HT-1" || c.Name != "租赁" || c.Party.Name != "某公司" || c.Party.USCC != validUSCC || c.IncomeAccount != "501" || c.AwardRef != "A" {
		t.Errorf("not trimmed: %+v", c)
	}
	if c.Party.Kind != register.Unit || c.Status != register.ContractDraft || !c.SignedOn.IsZero() {
		t.Errorf("defaults: %s %s %s", c.Party.Kind, c.Status, c.SignedOn)
	}
	if l := shopLease(); l.Party.Kind != register.Person {
		t.Errorf("a person with an ID number: %s", l.Party.Kind)
	}
	imported := &register.Contract{Status: register.InForce, Start: d("2024-03-01")}
	imported.Normalize()
	if imported.SignedOn != d("2024-03-01") {
		t.Errorf("imported in force: signed %s", imported.SignedOn)
	}
}

func TestContractValidate(t *testing.T) {
	edit := func(base func() *register.Contract, f func(c *register.Contract)) func() *register.Contract {
		return func() *register.Contract {
			c := base()
			f(c)
			return c
		}
	}
	lease := func(f func(c *register.Contract)) func() *register.Contract { return edit(shopLease, f) }
	tests := []struct {
		name     string
		contract func() *register.Contract
		want     *jiti.Error
		field    string
	}{
		{"valid lease", shopLease, nil, ""},
		{"valid contracting", pond, nil, ""},
		{"valid one-day term", lease(func(c *register.Contract) { c.End = c.Start }), nil, ""},
		{"valid open bidding without reference (a warning)", lease(func(c *register.Contract) { c.AwardRef = "" }), nil, ""},
		{"valid equity without subjects", lease(func(c *register.Contract) {
			c.Kind, c.Subjects, c.IncomeAccount = register.Equity, nil, "502"
		}), nil, ""},
		{"valid purchase without income account", lease(func(c *register.Contract) {
			c.Kind, c.Subjects, c.IncomeAccount = register.Procurement, nil, ""
		}), nil, ""},
		{"valid person without ID number", lease(func(c *register.Contract) { c.Party.IDNumber = jiti.IDNumber{} }), nil, ""},
		{"valid lease of an asset and a resource", lease(func(c *register.Contract) {
			c.Subjects = append(c.Subjects, register.Subject{ResourceID: 5})
		}), nil, ""},
		{"valid escalation 100 %", lease(func(c *register.Contract) { c.Escalation = 10000 }), nil, ""},
		{"valid deposit", lease(func(c *register.Contract) { c.Deposit = y("5000") }), nil, ""},

		{"code required", lease(func(c *register.Contract) { c.Code = "" }), jiti.ErrRequired, "code"},
		{"code with comma", lease(func(c *register.Contract) { c.Code = "HT,1" }), register.ErrCode, "code"},
		{"name required", lease(func(c *register.Contract) { c.Name = "" }), jiti.ErrRequired, "name"},
		{"kind required", lease(func(c *register.Contract) { c.Kind = "" }), jiti.ErrRequired, "kind"},
		{"unknown kind", lease(func(c *register.Contract) { c.Kind = "loan" }), register.ErrUnknown, "kind"},
		{"party name required", lease(func(c *register.Contract) { c.Party.Name = "" }), jiti.ErrRequired, "party.name"},
		{"party kind required", lease(func(c *register.Contract) { c.Party.Kind = "" }), jiti.ErrRequired, "party.kind"},
		{"unknown party kind", lease(func(c *register.Contract) { c.Party.Kind = "group" }), register.ErrUnknown, "party.kind"},
		{"bad USCC", edit(pond, func(c *register.Contract) { c.Party.USCC = "93620422000000001J" }), jiti.ErrUSCC, "party.uscc"},
		{"unit with an ID number", edit(pond, func(c *register.Contract) { c.Party.IDNumber = shopLease().Party.IDNumber }), register.ErrPartyIDUnit, "party.id_number"},
		{"phone too long", lease(func(c *register.Contract) { c.Party.Phone = strings.Repeat("1", 21) }), jiti.ErrTooLong, "party.phone"},
		{"start required", lease(func(c *register.Contract) { c.Start = jiti.Date{} }), jiti.ErrRequired, "start"},
		{"end required", lease(func(c *register.Contract) { c.End = jiti.Date{} }), jiti.ErrRequired, "end"},
		{"impossible end", lease(func(c *register.Contract) { c.End = jiti.Date{Year: 2027, Month: 13, Day: 1} }), jiti.ErrDateSyntax, "end"},
		{"end before start", lease(func(c *register.Contract) { c.End = d("2024-12-31") }), register.ErrEndBeforeStart, "end"},
		{"zero amount", lease(func(c *register.Contract) { c.Amount = 0 }), register.ErrNotPositive, "amount"},
		{"negative amount", lease(func(c *register.Contract) { c.Amount = -100 }), register.ErrNotPositive, "amount"},
		{"frequency required", lease(func(c *register.Contract) { c.Frequency = "" }), jiti.ErrRequired, "frequency"},
		{"unknown frequency", lease(func(c *register.Contract) { c.Frequency = "weekly" }), register.ErrUnknown, "frequency"},
		{"negative escalation", lease(func(c *register.Contract) { c.Escalation = -1 }), register.ErrRange, "escalation"},
		{"escalation over 100 %", lease(func(c *register.Contract) { c.Escalation = 10001 }), register.ErrRange, "escalation"},
		{"negative deposit", lease(func(c *register.Contract) { c.Deposit = -1 }), register.ErrNegative, "deposit"},
		{"income account required", lease(func(c *register.Contract) { c.IncomeAccount = "" }), jiti.ErrRequired, "income_account"},
		{"income account not income", lease(func(c *register.Contract) { c.IncomeAccount = "504" }), register.ErrAccount, "income_account"},
		{"income account of a purchase", lease(func(c *register.Contract) {
			c.Kind, c.Subjects, c.IncomeAccount = register.Procurement, nil, "511"
		}), register.ErrAccount, "income_account"},
		{"award required", lease(func(c *register.Contract) { c.Award = "" }), jiti.ErrRequired, "award"},
		{"unknown award", lease(func(c *register.Contract) { c.Award = "lottery" }), register.ErrUnknown, "award"},
		{"award ref too long", lease(func(c *register.Contract) { c.AwardRef = strings.Repeat("A", 101) }), jiti.ErrTooLong, "award_ref"},
		{"unknown status", lease(func(c *register.Contract) { c.Status = "void" }), register.ErrUnknown, "status"},
		{"signed after the end", lease(func(c *register.Contract) { c.Status, c.SignedOn = register.InForce, d("2028-01-01") }), register.ErrSignAfterEnd, "signed_on"},
		{"ended without a date", lease(func(c *register.Contract) { c.Status = register.Terminated }), jiti.ErrRequired, "ended_on"},
		{"lease without subjects", lease(func(c *register.Contract) { c.Subjects = nil }), register.ErrSubjectRequired, "subjects"},
		{"contracting of an asset only", edit(pond, func(c *register.Contract) { c.Subjects = []register.Subject{{AssetID: 7}} }), register.ErrResourceRequired, "subjects"},
		{"subject with neither", lease(func(c *register.Contract) { c.Subjects = []register.Subject{{AssetID: 7}, {}} }), register.ErrSubjectOne, "subjects[2]"},
		{"subject with both", lease(func(c *register.Contract) { c.Subjects = []register.Subject{{AssetID: 7, ResourceID: 5}} }), register.ErrSubjectOne, "subjects[1]"},
		{"area of an asset", lease(func(c *register.Contract) { c.Subjects[0].Area = 100 }), register.ErrSubjectArea, "subjects[1].area"},
		{"negative area", edit(pond, func(c *register.Contract) { c.Subjects[0].Area = -1 }), register.ErrNegative, "subjects[1].area"},
		{"asset twice", lease(func(c *register.Contract) { c.Subjects = append(c.Subjects, register.Subject{AssetID: 7}) }), register.ErrSubjectDuplicate, "subjects[2].asset_id"},
		{"resource twice", edit(pond, func(c *register.Contract) {
			c.Subjects = []register.Subject{{ResourceID: 5, Area: 100}, {AssetID: 7}, {ResourceID: 5, Area: 200}}
		}), register.ErrSubjectDuplicate, "subjects[3].resource_id"},
		{"negative asset id", lease(func(c *register.Contract) { c.Subjects[0].AssetID = -7 }), jiti.ErrNotFound, "subjects[1].asset_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblem(t, tt.contract().Validate(), tt.want, tt.field)
		})
	}
}

func TestContractLifecycle(t *testing.T) {
	signed := func() *register.Contract {
		c := shopLease()
		c.Status, c.SignedOn = register.InForce, d("2024-12-20")
		return c
	}
	checkProblem(t, register.CheckSign(shopLease(), d("2024-12-20")), nil, "")
	checkProblem(t, register.CheckSign(shopLease(), d("2027-12-31")), nil, "")
	checkProblem(t, register.CheckSign(shopLease(), d("2028-01-01")), register.ErrSignAfterEnd, "signed_on")
	checkProblem(t, register.CheckSign(shopLease(), jiti.Date{}), jiti.ErrRequired, "signed_on")
	checkProblem(t, register.CheckSign(signed(), d("2024-12-20")), register.ErrNotDraft, "status")
	invalid := shopLease()
	invalid.Amount = 0
	checkProblem(t, register.CheckSign(invalid, d("2024-12-20")), register.ErrNotPositive, "amount")

	checkProblem(t, register.CheckTerminate(signed(), d("2026-06-30"), "承租方违约"), nil, "")
	checkProblem(t, register.CheckTerminate(signed(), d("2024-12-20"), "未交付"), nil, "")
	checkProblem(t, register.CheckTerminate(signed(), d("2026-06-30"), "  "), jiti.ErrRequired, "reason")
	checkProblem(t, register.CheckTerminate(signed(), d("2024-12-19"), "x"), register.ErrTerminateDate, "ended_on")
	checkProblem(t, register.CheckTerminate(signed(), d("2028-01-01"), "x"), register.ErrTerminateDate, "ended_on")
	checkProblem(t, register.CheckTerminate(signed(), jiti.Date{}, "x"), jiti.ErrRequired, "ended_on")
	checkProblem(t, register.CheckTerminate(shopLease(), d("2026-06-30"), "x"), register.ErrNotInForce, "status")

	checkProblem(t, register.CheckExpire(signed(), d("2028-01-01")), nil, "")
	checkProblem(t, register.CheckExpire(signed(), d("2027-12-31")), register.ErrNotYetEnded, "end")
	checkProblem(t, register.CheckExpire(shopLease(), d("2028-01-01")), register.ErrNotInForce, "status")
}

func TestSubjectStatuses(t *testing.T) {
	for k, want := range map[register.ContractKind]register.Status{
		register.Lease: register.LeasedOut, register.Contracting: register.LeasedOut, register.Equity: register.Invested,
		register.Cooperation: register.Cooperating, register.Service: "", register.Procurement: "",
	} {
		if got := register.SubjectStatusOnSign(k); got != want {
			t.Errorf("SubjectStatusOnSign(%s) = %q, want %q", k, got, want)
		}
		if got, occupies := register.ResourceUseOnSign(k), k.Occupies(); (got == register.ResourceLeased) != occupies || (got == "") == occupies {
			t.Errorf("ResourceUseOnSign(%s) = %q", k, got)
		}
	}
	for before, want := range map[register.Status]register.Status{
		register.Idle: register.Idle, register.InUse: register.InUse, register.SelfOperated: register.SelfOperated,
		"": register.Idle, register.LeasedOut: register.Idle, register.Invested: register.Idle,
	} {
		if got := register.StatusAfterContract(before); got != want {
			t.Errorf("StatusAfterContract(%q) = %q, want %q", before, got, want)
		}
	}
	for before, want := range map[register.ResourceUse]register.ResourceUse{
		register.ResourceIdle: register.ResourceIdle, register.CollectiveOperated: register.CollectiveOperated,
		"": register.ResourceIdle, register.ResourceLeased: register.ResourceIdle,
	} {
		if got := register.UseAfterContract(before); got != want {
			t.Errorf("UseAfterContract(%q) = %q, want %q", before, got, want)
		}
	}
	if register.DefaultIncomeAccount(register.Equity) != "502" || register.DefaultIncomeAccount(register.Lease) != "501" {
		t.Error("DefaultIncomeAccount")
	}
}

func TestCheckOverlap(t *testing.T) {
	inForce := func(base func() *register.Contract, id int64, code, start, end string, subjects ...register.Subject) *register.Contract {
		c := base()
		c.ID, c.Code, c.Start, c.End, c.Status, c.SignedOn = id, code, d(start), d(end), register.InForce, d(start)
		if subjects != nil {
			c.Subjects = subjects
		}
		return c
	}
	areas := map[int64]register.Area{5: 10000} // resource 5 is 100 mu
	existing := []*register.Contract{
		inForce(shopLease, 10, "HT-A", "2024-01-01", "2025-06-30"),                                         // asset 7
		inForce(pond, 11, "HT-B", "2025-01-01", "2026-12-31", register.Subject{ResourceID: 5, Area: 4000}), // 40 mu
		inForce(pond, 12, "HT-C", "2027-01-01", "2029-12-31", register.Subject{ResourceID: 5, Area: 5000}), // 50 mu
	}
	draft := func(base func() *register.Contract, start, end string, subjects ...register.Subject) *register.Contract {
		c := base()
		c.ID, c.Start, c.End = 99, d(start), d(end)
		if subjects != nil {
			c.Subjects = subjects
		}
		return c
	}
	tests := []struct {
		name  string
		c     *register.Contract
		want  *jiti.Error
		field string
	}{
		{"asset free after the other ends", draft(shopLease, "2025-07-01", "2027-06-30"), nil, ""},
		{"asset taken", draft(shopLease, "2025-06-30", "2027-06-30"), register.ErrAssetOverlap, "subjects[1].asset_id"},
		{"asset taken, second subject", draft(shopLease, "2024-06-01", "2024-12-31", register.Subject{AssetID: 8}, register.Subject{AssetID: 7}), register.ErrAssetOverlap, "subjects[2].asset_id"},
		{"a service contract may share", func() *register.Contract {
			c := draft(shopLease, "2025-01-01", "2025-12-31")
			c.Kind = register.Service
			return c
		}(), nil, ""},
		{"equity holds the asset too", func() *register.Contract {
			c := draft(shopLease, "2025-01-01", "2025-12-31")
			c.Kind, c.IncomeAccount = register.Equity, "502"
			return c
		}(), register.ErrAssetOverlap, "subjects[1].asset_id"},
		{"itself is ignored", inForce(shopLease, 10, "HT-A", "2024-01-01", "2025-06-30"), nil, ""},
		{"part of the resource fits", draft(pond, "2025-01-01", "2029-12-31", register.Subject{ResourceID: 5, Area: 5000}), nil, ""},
		{"area exceeded with one", draft(pond, "2025-06-01", "2025-12-31", register.Subject{ResourceID: 5, Area: 6001}), register.ErrResourceOverlap, "subjects[1].resource_id"},
		{"area exceeded with the later one", draft(pond, "2026-06-01", "2027-12-31", register.Subject{ResourceID: 5, Area: 5001}), register.ErrResourceOverlap, "subjects[1].resource_id"},
		{"the two others never overlap each other", draft(pond, "2025-01-01", "2029-12-31", register.Subject{ResourceID: 5, Area: 5000}), nil, ""},
		{"whole resource while part is taken", draft(pond, "2026-01-01", "2026-03-31", register.Subject{ResourceID: 5}), register.ErrResourceOverlap, "subjects[1].resource_id"},
		{"whole resource when free", draft(pond, "2030-01-01", "2030-12-31", register.Subject{ResourceID: 5}), nil, ""},
		{"area larger than the resource", draft(pond, "2030-01-01", "2030-12-31", register.Subject{ResourceID: 5, Area: 10001}), register.ErrAreaExceeds, "subjects[1].area"},
		{"unknown resource shared", draft(pond, "2025-01-01", "2025-12-31", register.Subject{ResourceID: 6, Area: 1}), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblem(t, register.CheckOverlap(existing, tt.c, areas), tt.want, tt.field)
		})
	}
	// A resource whose area is unknown counts as taken by any contract.
	other := inForce(pond, 13, "HT-D", "2025-01-01", "2025-12-31", register.Subject{ResourceID: 6, Area: 100})
	c := draft(pond, "2025-06-01", "2025-12-31", register.Subject{ResourceID: 6, Area: 100})
	checkProblem(t, register.CheckOverlap([]*register.Contract{other}, c, areas), register.ErrResourceOverlap, "subjects[1].resource_id")
	// Drafts, expired and terminated contracts hold nothing.
	for _, s := range []register.ContractStatus{register.ContractDraft, register.Expired, register.Terminated} {
		o := inForce(shopLease, 10, "HT-A", "2024-01-01", "2025-06-30")
		o.Status = s
		checkProblem(t, register.CheckOverlap([]*register.Contract{o}, draft(shopLease, "2025-01-01", "2025-12-31"), areas), nil, "")
	}
}

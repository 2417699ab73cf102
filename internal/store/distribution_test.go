package store_test

import (
	"fmt"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// distributionVillage gives A a closed 2025 with 本年收益 10,000.00 (rent
// 12,000 less office costs 2,000), three members in two households with
// one 人口股 each, a 集体股 of 1, and the decision 2026-02 to distribute.
func distributionVillage(t *testing.T, db *store.DB, f *storetest.Fixture) int64 {
	t.Helper()
	cid := shareVillage(t, db, f)
	f.Post(t, cid, "2025-01-15", L("收门面租金", "10201", "12000"), L("收门面租金", "50101", "-12000"))
	f.Post(t, cid, "2025-05-20", L("付办公费", "513", "2000"), L("付办公费", "10201", "-2000"))
	closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-11")
	_, err := db.CloseYear(bg, f.Accountant, cid, 2025)
	ok(t, err)
	on := D("2020-06-30")
	ok(t, db.CreateShareType(bg, f.Accountant, cid, store.ShareTypeInput{Decision: "2020-06", Rule: register.ShareRule{Kind: "per_member", Per: 100},
		Type: register.ShareType{Code: "RK", Name: "人口股", Kind: register.PersonShare, Management: register.Static, QuantifiedOn: on}}))
	ok(t, db.CreateShareType(bg, f.Accountant, cid, store.ShareTypeInput{Decision: "2020-06",
		Type: register.ShareType{Code: "JT", Name: "集体股", Kind: register.CollectiveShare, Management: register.Static, QuantifiedOn: on, Total: 100}}))
	storetest.AdoptedDecision(t, db, cid, "2026-02", "distribution", "2026-03-01")
	return cid
}

func TestDistribution_PlanAdoptPay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := distributionVillage(t, db, f)
		_, err := db.DraftDistribution(bg, f.Accountant, cid, store.DistributionInput{Year: 2024, ReserveRate: 1000, MemberRate: 5000})
		wantErr(t, err, store.ErrYearNotClosed, "year")
		// More than there is: refused, naming the field.
		_, err = db.DraftDistribution(bg, f.Accountant, cid, store.DistributionInput{Year: 2025, ReserveRate: 1000, Members: A("9500")})
		wantErr(t, err, register.ErrPlanExceeds, "members")
		// 10 % to 公积公益金 (1,000.00), then 50 % of 9,000.00 to the members,
		// 4,500.00 over 4 shares: H101 2, H102 1, the collective 1.
		d, err := db.DraftDistribution(bg, f.Accountant, cid, store.DistributionInput{Year: 2025, ReserveRate: 1000, MemberRate: 5000})
		ok(t, err)
		if d.Plan.Distributable() != A("10000") || d.Plan.Reserve != A("1000") || d.Plan.Members != A("4500") {
			t.Fatalf("plan %+v", d.Plan)
		}
		got := map[string]jiti.Amount{}
		for _, l := range d.Lines {
			got[l.Household] = l.Amount
		}
		if got["H101"] != A("2250") || got["H102"] != A("1125") || got[""] != A("1125") || len(got) != 3 {
			t.Fatalf("allotment %v", got)
		}
		// Adoption rests on a distribution decision adopted by its date.
		_, err = db.AdoptDistribution(bg, f.Accountant, cid, 2025, D("2026-02-20"), "2026-02")
		wantErr(t, err, store.ErrDecisionAfterTheAct, "decision")
		_, err = db.AdoptDistribution(bg, f.Accountant, cid, 2025, D("2026-03-20"), "2020-06")
		wantErr(t, err, store.ErrDecisionKindOther, "decision")
		_, err = db.AdoptDistribution(bg, f.Accountant, cid, 2025, D("2026-03-20"), "2026-02")
		ok(t, err)
		_, err = db.DraftDistribution(bg, f.Accountant, cid, store.DistributionInput{Year: 2025, ReserveRate: 1000, MemberRate: 5000})
		wantErr(t, err, store.ErrDistributionAdopted, "year")
		tb := trialBalance(t, db, cid, "2026-03", "2026-03")
		moves := map[string]jiti.Amount{}
		for _, r := range tb.Rows {
			moves[r.Code] = r.Debit - r.Credit
		}
		if moves["3220101"] != A("1000") || moves["311"] != A("-1000") || moves["3220102"] != A("3375") || moves["113"] != A("-3375") {
			t.Fatalf("March 2026 movements %v", moves)
		}
		// Pay one household, then the rest; nothing is owed after.
		n, paid, err := paidOf(db.PayDistribution(bg, f.Accountant, cid, 2025, D("2026-03-25"), "10201", []string{"H102"}))
		ok(t, err)
		if n != 1 || paid != A("1125") {
			t.Fatalf("paid %d households %v", n, paid)
		}
		n, paid, err = paidOf(db.PayDistribution(bg, f.Accountant, cid, 2025, D("2026-03-26"), "10201", nil))
		ok(t, err)
		if n != 1 || paid != A("2250") {
			t.Fatalf("paid %d households %v", n, paid)
		}
		_, err = db.PayDistribution(bg, f.Accountant, cid, 2025, D("2026-03-27"), "10201", nil)
		wantErr(t, err, store.ErrNothingOwed, "year")
		d, err = db.FindDistribution(bg, cid, 2025)
		ok(t, err)
		for _, l := range d.Lines {
			if l.Owed() != 0 {
				t.Fatalf("still owed after paying all: %+v", l)
			}
		}
		rep, err := db.Verify(bg, cid)
		ok(t, err)
		if !rep.OK() {
			t.Fatalf("verify: %+v", rep.Problems)
		}
	})
}

// BenchmarkDistribution3000 drafts, adopts and posts the distribution of
// a village of 3,000 members in 750 households.
func BenchmarkDistribution3000(b *testing.B) {
	db := storetest.OpenSQLite(b)
	f := storetest.Seed(b, db)
	cid := f.A.ID
	storetest.MembershipDecision(b, db, cid, "2020-01", "2020-01-05")
	var hs []store.Household
	var ms []register.Member
	for h := range 750 {
		code := fmt.Sprintf("H%04d", h+100)
		hs = append(hs, store.Household{Code: code, Name: fmt.Sprintf("户%d", h)})
		for m := range 4 {
			n := h*4 + m + 1
			ms = append(ms, person(fmt.Sprintf("M%05d", n), fmt.Sprintf("成员%d", n), n, code, register.RelOther))
		}
	}
	ok(b, db.CreateHouseholds(bg, f.Accountant, cid, hs))
	ok(b, db.CreateMembers(bg, f.Accountant, cid, ms))
	f.Post(b, cid, "2025-01-15", L("收门面租金", "10201", "1200000"), L("收门面租金", "50101", "-1200000"))
	closeMonths(b, db, f.Accountant, cid, "2025-01", "2025-11")
	_, err := db.CloseYear(bg, f.Accountant, cid, 2025)
	ok(b, err)
	ok(b, db.CreateShareType(bg, f.Accountant, cid, store.ShareTypeInput{Decision: "2020-01", Rule: register.ShareRule{Kind: "per_member", Per: 100},
		Type: register.ShareType{Code: "RK", Name: "人口股", Kind: register.PersonShare, Management: register.Static, QuantifiedOn: D("2020-06-30")}}))
	for i := 0; b.Loop(); i++ {
		year := 2025
		number := fmt.Sprintf("D%d", i)
		storetest.AdoptedDecision(b, db, cid, number, "distribution", "2026-03-01")
		ok(b, storetest.Exec(db, `DELETE FROM distribution_lines`))
		ok(b, storetest.Exec(db, `DELETE FROM distributions`))
		if _, err := db.DraftDistribution(bg, f.Accountant, cid, store.DistributionInput{Year: year, ReserveRate: 1000, MemberRate: 100}); err != nil {
			b.Fatal(err)
		}
		if _, err := db.AdoptDistribution(bg, f.Accountant, cid, year, D("2026-03-20"), number); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHouseholdAllotments: a household's record shows, year by year, what
// the distribution allotted it, what was paid and what is still owed; a
// household of another collective is out of the view's scope.
func TestHouseholdAllotments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := distributionVillage(t, db, f)
		_, err := db.DraftDistribution(bg, f.Accountant, cid, store.DistributionInput{Year: 2025, ReserveRate: 1000, MemberRate: 5000})
		ok(t, err)
		v, err := db.ViewAs(bg, f.Accountant)
		ok(t, err)
		as, err := v.HouseholdAllotments(bg, cid, "H101")
		ok(t, err)
		if len(as) != 1 || as[0].Year != 2025 || as[0].Status != store.DistributionDraft || as[0].Amount != A("2250") || as[0].Owed() != A("2250") {
			t.Fatalf("a draft's allotment %+v", as)
		}
		_, err = db.AdoptDistribution(bg, f.Accountant, cid, 2025, D("2026-03-20"), "2026-02")
		ok(t, err)
		_, err = db.PayDistribution(bg, f.Accountant, cid, 2025, D("2026-03-25"), "10201", []string{"H101"})
		ok(t, err)
		for _, c := range []struct {
			household  string
			paid, owed jiti.Amount
		}{{"H101", A("2250"), 0}, {"H102", 0, A("1125")}} {
			as, err := v.HouseholdAllotments(bg, cid, c.household)
			ok(t, err)
			if len(as) != 1 || as[0].Status != store.DistributionAdopted || as[0].Paid != c.paid || as[0].Owed() != c.owed {
				t.Errorf("%s: %+v", c.household, as)
			}
		}
		as, err = v.HouseholdAllotments(bg, cid, "H999")
		ok(t, err)
		if len(as) != 0 {
			t.Errorf("a household never allotted: %+v", as)
		}
		out, err := db.ViewAs(bg, f.Approver)
		ok(t, err)
		if _, err := out.HouseholdAllotments(bg, f.B.ID+1000, "H101"); err == nil {
			t.Error("a collective that does not exist answered")
		}
	})
}

// paidOf counts the households a payment paid and adds up what it paid.
func paidOf(paid []register.Allotment, err error) (int, jiti.Amount, error) {
	var total jiti.Amount
	for _, l := range paid {
		total += l.Paid
	}
	return len(paid), total, err
}

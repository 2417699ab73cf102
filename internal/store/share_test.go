package store_test

import (
	"testing"

	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// shareVillage gives collective A two households of two and one members,
// confirmed 2020-01-10 on decision 2020-01, and the decision 2020-06 the
// quantification rests on.
func shareVillage(t *testing.T, db *store.DB, f *storetest.Fixture) int64 {
	t.Helper()
	cid := f.A.ID
	storetest.MembershipDecision(t, db, cid, "2020-01", "2020-01-05")
	storetest.MembershipDecision(t, db, cid, "2020-06", "2020-06-20")
	ok(t, db.CreateHouseholds(bg, f.Accountant, cid, []store.Household{{Code: "H101", Name: "王建国"}, {Code: "H102", Name: "李明"}}))
	ok(t, db.CreateMembers(bg, f.Accountant, cid, []register.Member{
		person("M001", "王建国", 1, "H101", register.RelHead), person("M002", "李秀英", 2, "H101", register.RelSpouse),
		person("M003", "李明", 3, "H102", register.RelHead)}))
	return cid
}

func TestShares_QuantifyChangeAndVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := shareVillage(t, db, f)
		on := D("2020-06-30")
		ok(t, db.CreateShareType(bg, f.Accountant, cid, store.ShareTypeInput{Decision: "2020-06", Rule: register.ShareRule{Kind: "per_member", Per: 100},
			Type: register.ShareType{Code: "RK", Name: "人口股", Kind: register.PersonShare, Management: register.Static, QuantifiedOn: on}}))
		ok(t, db.CreateShareType(bg, f.Accountant, cid, store.ShareTypeInput{Decision: "2020-06",
			Type: register.ShareType{Code: "JT", Name: "集体股", Kind: register.CollectiveShare, Management: register.Static, QuantifiedOn: on, Total: 50}}))
		err := db.CreateShareType(bg, f.Accountant, cid, store.ShareTypeInput{Decision: "2099-01", Rule: register.ShareRule{Kind: "per_member", Per: 100},
			Type: register.ShareType{Code: "X", Name: "X", Kind: register.PersonShare, Management: register.Static, QuantifiedOn: on}})
		wantErr(t, err, store.ErrDecisionUnknown, "decision")

		hs, err := db.HouseholdShares(bg, cid)
		ok(t, err)
		if len(hs) != 2 || hs[0].Household != "H101" || hs[0].Total != 200 || hs[1].Total != 100 {
			t.Fatalf("household shares %+v", hs)
		}
		// A gift from one household's member to the other's, on a decision.
		gift := store.ShareChangeInput{Decision: "2020-06", Change: register.ShareChange{Kind: register.Gift, On: D("2021-02-01"), Type: "RK",
			From: register.Holder{Kind: register.HeldByMember, Code: "M002"}, To: register.Holder{Kind: register.HeldByMember, Code: "M003"}, Qty: 50}}
		ok(t, db.ChangeShares(bg, f.Accountant, cid, []store.ShareChangeInput{gift}))
		// To no one of the register, or inheriting from the living: refused, naming the item and field.
		bad := gift
		bad.Change.To.Code = "M999"
		wantErr(t, db.ChangeShares(bg, f.Accountant, cid, []store.ShareChangeInput{bad}), store.ErrShareHolderGone, "items[1].to")
		bad = gift
		bad.Change.Kind = register.Inherit
		wantErr(t, db.ChangeShares(bg, f.Accountant, cid, []store.ShareChangeInput{bad}), store.ErrShareNotHeir, "items[1].from")
		// More than the giver holds: refused, and nothing of the batch kept.
		big := gift
		big.Change.Qty = 60
		err = db.ChangeShares(bg, f.Accountant, cid, []store.ShareChangeInput{gift, big})
		wantErr(t, err, register.ErrShareExceeds, "items[2].qty")

		v, err := db.ViewAs(bg, f.Accountant)
		ok(t, err)
		reg, err := v.ShareRegister(bg, cid)
		ok(t, err)
		if len(reg.Types) != 2 || reg.Types[0].Total != 300 || reg.Types[0].Held != 300 || reg.Types[0].Unallocated != 0 || len(reg.Changes) != 5 {
			t.Fatalf("register %+v", reg)
		}
		hs, err = db.HouseholdShares(bg, cid)
		ok(t, err)
		if hs[0].Total != 150 || hs[1].Total != 150 {
			t.Fatalf("after the gift: %+v", hs)
		}
		rep, err := db.Verify(bg, cid)
		ok(t, err)
		if !rep.OK() {
			t.Fatalf("verify: %+v", rep.Problems)
		}
		// A holding changed behind jiti's back is found.
		ok(t, storetest.Exec(db, `UPDATE share_holdings SET qty = qty + 100 WHERE holder_code = 'M001'`))
		rep, err = db.Verify(bg, cid)
		ok(t, err)
		if rep.OK() || rep.Problems[0].Kind != "verify.shares" {
			t.Fatalf("a tampered holding passed verify: %+v", rep.Problems)
		}
	})
}

func TestShares_DynamicRecompute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := shareVillage(t, db, f)
		ok(t, db.CreateShareType(bg, f.Accountant, cid, store.ShareTypeInput{Decision: "2020-06", Rule: register.ShareRule{Kind: "per_member", Per: 100},
			Type: register.ShareType{Code: "RK", Name: "人口股", Kind: register.PersonShare, Management: register.Dynamic, QuantifiedOn: D("2020-06-30")}}))
		storetest.MembershipDecision(t, db, cid, "2024-07", "2024-07-01")
		m, err := db.FindMemberByCode(bg, cid, "M002")
		ok(t, err)
		ok(t, db.ChangeMemberStatus(bg, f.Accountant, m.ID, register.MemberChange{To: register.MemberDeceased, On: D("2024-07-15")}))
		ok(t, db.RecomputeShares(bg, f.Accountant, cid, "RK", D("2024-12-31"), "2024-07"))
		v, err := db.ViewAs(bg, f.Accountant)
		ok(t, err)
		reg, err := v.ShareRegister(bg, cid)
		ok(t, err)
		if reg.Types[0].Total != 200 || len(reg.Holdings) != 2 {
			t.Fatalf("after recomputation: %+v", reg)
		}
		// A dynamic type's holdings move only by its rule.
		err = db.ChangeShares(bg, f.Accountant, cid, []store.ShareChangeInput{{Decision: "2024-07", Change: register.ShareChange{Kind: register.Gift,
			On: D("2025-01-02"), Type: "RK", From: register.Holder{Kind: register.HeldByMember, Code: "M001"},
			To: register.Holder{Kind: register.HeldByMember, Code: "M003"}, Qty: 10}}})
		wantErr(t, err, register.ErrShareDynamic, "items[1].type")
		rep, err := db.Verify(bg, cid)
		ok(t, err)
		if !rep.OK() {
			t.Fatalf("verify: %+v", rep.Problems)
		}
	})
}

func TestCertificates_IssueReissue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := shareVillage(t, db, f)
		ok(t, db.CreateShareType(bg, f.Accountant, cid, store.ShareTypeInput{Decision: "2020-06", Rule: register.ShareRule{Kind: "per_member", Per: 100},
			Type: register.ShareType{Code: "RK", Name: "人口股", Kind: register.PersonShare, Management: register.Static, QuantifiedOn: D("2020-06-30")}}))
		// Every household that holds shares, once.
		cs, err := db.IssueCertificates(bg, f.Accountant, cid, D("2020-08-01"), nil)
		ok(t, err)
		if len(cs) != 2 || cs[0].Number != f.A.Code+"-0001" || cs[0].Household != "H101" || cs[1].Household != "H102" {
			t.Fatalf("issued %+v", cs)
		}
		_, err = db.IssueCertificates(bg, f.Accountant, cid, D("2020-08-02"), []string{"H101"})
		wantErr(t, err, store.ErrCertificateHeld, "items[1].household")
		_, err = db.IssueCertificates(bg, f.Accountant, cid, D("2020-08-02"), []string{"H001"})
		wantErr(t, err, store.ErrCertificateNoShare, "items[1].household")
		// A reissue voids the old number and gives a new one.
		c, err := db.ReissueCertificate(bg, f.Accountant, cid, cs[0].Number, D("2023-05-10"), "遗失补办")
		ok(t, err)
		if c.Number != f.A.Code+"-0003" || c.Household != "H101" {
			t.Fatalf("reissued %+v", c)
		}
		_, err = db.ReissueCertificate(bg, f.Accountant, cid, cs[0].Number, D("2023-05-11"), "again")
		wantErr(t, err, store.ErrCertificateVoid, "certificate_number")
		old, err := db.PublicCertificate(bg, cs[0].Number)
		ok(t, err)
		if old.Certificate.Status != store.CertificateVoid || old.Certificate.ReplacedBy != c.Number || old.Certificate.VoidReason != "遗失补办" {
			t.Fatalf("the old certificate %+v", old.Certificate)
		}
		v, err := db.ViewAs(bg, f.Accountant)
		ok(t, err)
		sheet, err := v.CertificateSheet(bg, c.Number)
		ok(t, err)
		if sheet.Total != 200 || len(sheet.Members) != 2 || sheet.Collective.ID != cid || len(sheet.Shares) != 1 || sheet.Shares[0].Name != "人口股" {
			t.Fatalf("certificate sheet %+v", sheet)
		}
	})
}

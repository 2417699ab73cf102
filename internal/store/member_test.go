package store_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// person returns a member to confirm, born 1970-01-01 plus n days, with
// an identity number of the county whose sequence is n: odd for a man.
func person(code, name string, n int, household string, rel register.Relation) register.Member {
	born := D("1970-01-01").AddDays(n % 15000)
	id := storetest.IDNumber(fmt.Sprintf("620422%04d%02d%02d%03d", born.Year, born.Month, born.Day, n%1000))
	sex := register.IDSex(id)
	return register.Member{Code: code, Name: name, IDNumber: id, Sex: sex, Household: household, Relation: rel,
		Basis: register.BasisOriginal, ConfirmedOn: D("2020-01-10"), Decision: "2020-01"}
}

func TestMembers_ConfirmFindAndSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		storetest.MembershipDecision(t, db, cid, "2020-01", "2020-01-05")
		ok(t, db.CreateHouseholds(bg, f.Accountant, cid, []store.Household{{Code: "H003", Name: "王建国", Group: "一组", Address: "南什村一社12号"}}))
		wang := person("M001", "王建国", 1, "H003", register.RelHead)
		ok(t, db.CreateMembers(bg, f.Accountant, cid, []register.Member{wang,
			person("M002", "李秀英", 2, "H003", register.RelSpouse), person("M003", "张三", 3, "H001", register.RelHead)}))
		// The head of H003 is the member who is its head.
		h, balance, err := db.FindHousehold(bg, cid, "H003")
		ok(t, err)
		if h.Head != "M001" || h.HeadName != "王建国" || h.Group != "一组" || h.Address != "南什村一社12号" || balance != 0 {
			t.Fatalf("household %+v balance %v", h, balance)
		}
		for q, want := range map[string]string{
			"李秀":                   "M002",      // a name
			"lxy":                  "M002",      // pinyin initials
			"H001":                 "M003",      // a household
			"王建国":                  "M001 M002", // a household by its name
			wang.IDNumber.Reveal(): "M001",      // the whole number, by its HMAC
		} {
			ms, err := db.FindMembers(bg, store.MemberFilter{CollectiveID: cid, Query: q})
			ok(t, err)
			var got []string
			for _, m := range ms {
				got = append(got, m.Code)
			}
			if strings.Join(got, " ") != want {
				t.Errorf("search %q: %v, want %s", q, got, want)
			}
		}
		// A part of a number finds nothing: it is never stored in clear.
		ms, err := db.FindMembers(bg, store.MemberFilter{CollectiveID: cid, Query: wang.IDNumber.Reveal()[:10]})
		ok(t, err)
		if len(ms) != 0 {
			t.Errorf("part of a number found %d", len(ms))
		}
		for _, row := range storetest.Rows(t, db, `SELECT id_sealed, id_masked, id_hash, initials FROM members`) {
			if strings.Contains(strings.Join(row, " "), wang.IDNumber.Reveal()[6:14]) {
				t.Errorf("a number's digits are stored in clear: %v", row)
			}
		}
		m, err := db.FindMemberByCode(bg, cid, "M001")
		ok(t, err)
		if m.IDNumber != wang.IDNumber || m.BornOn != register.IDBirth(wang.IDNumber) || m.Decision != "2020-01" || m.Status != register.MemberActive {
			t.Fatalf("member %+v", m)
		}
		// Errors name their item and field, all at once.
		bad := person("M001", "", 4, "H999", register.RelChild)
		bad.Decision = "2099-09"
		err = db.CreateMembers(bg, f.Accountant, cid, []register.Member{person("M004", "赵六", 5, "", register.RelOther), bad})
		for _, field := range []string{"items[2].code", "items[2].name", "items[2].household", "items[2].decision"} {
			if !hasField(err, field) {
				t.Errorf("no error at %s in %v", field, err)
			}
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM members`); n != 3 {
			t.Fatalf("%d members after a refused batch, want 3", n)
		}
	})
}

func hasField(err error, field string) bool {
	var es jiti.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			if hasField(e, field) {
				return true
			}
		}
		return false
	}
	return jiti.FieldOf(err) == field
}

func TestMembers_OneCollectiveAtATime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		for _, c := range []int64{f.A.ID, f.B.ID} {
			storetest.MembershipDecision(t, db, c, "2020-01", "2020-01-05")
		}
		storetest.MembershipDecision(t, db, f.A.ID, "2024-07", "2024-07-01")
		storetest.MembershipDecision(t, db, f.B.ID, "2024-08", "2024-08-01")
		her := person("M001", "李秀英", 2, "H001", register.RelSpouse)
		ok(t, db.CreateMembers(bg, f.Accountant, f.A.ID, []register.Member{her}))
		a, err := db.FindMemberByCode(bg, f.A.ID, "M001")
		ok(t, err)

		// She marries into B: B cannot confirm her while she is active in A,
		// and the error names A, never her number.
		moved := her
		moved.ConfirmedOn, moved.Decision = D("2024-08-02"), "2024-08"
		err = db.CreateMembers(bg, f.Accountant, f.B.ID, []register.Member{moved})
		wantErr(t, err, store.ErrActiveElsewhere, "items[1].id_number")
		msg := err.Error()
		if !strings.Contains(msg, f.A.Code) || !strings.Contains(msg, f.A.Name) || strings.Contains(msg, her.IDNumber.Reveal()) {
			t.Fatalf("error %q: want A's code and name, never the number", msg)
		}
		// Marriage is not a reason to end her membership in A.
		err = db.ChangeMemberStatus(bg, f.Accountant, a.ID, register.MemberChange{To: register.MemberExited, On: D("2024-07-15"),
			Reason: register.ReasonMarriage, Decision: "2024-07"})
		wantErr(t, err, register.ErrMarriageKeeps, "reason")
		// An exit names an adopted decision of the collective.
		err = db.ChangeMemberStatus(bg, f.Accountant, a.ID, register.MemberChange{To: register.MemberExited, On: D("2024-07-15"),
			Reason: register.ReasonJoinedOther, Decision: "2024-08"})
		wantErr(t, err, store.ErrDecisionUnknown, "decision")
		// The exit "joined another collective", on A's decision; then B may.
		ok(t, db.ChangeMemberStatus(bg, f.Accountant, a.ID, register.MemberChange{To: register.MemberExited, On: D("2024-07-15"),
			Reason: register.ReasonJoinedOther, Decision: "2024-07", Note: "嫁入南咀村"}))
		ok(t, db.CreateMembers(bg, f.Accountant, f.B.ID, []register.Member{moved}))
		// Nothing is erased: A keeps her, exited, with her history.
		es, err := db.MemberEntries(bg, a.ID)
		ok(t, err)
		if len(es) != 2 || es[0].Status != register.MemberActive || es[0].Decision != "2020-01" ||
			es[1].Status != register.MemberExited || es[1].Reason != register.ReasonJoinedOther || es[1].Decision != "2024-07" {
			t.Fatalf("history %+v", es)
		}
		// She cannot be active in A again while active in B.
		err = db.ChangeMemberStatus(bg, f.Accountant, a.ID, register.MemberChange{To: register.MemberActive, On: D("2024-09-01"),
			Reason: register.ReasonCorrection, Decision: "2024-07"})
		wantErr(t, err, store.ErrActiveElsewhere, "status")
		// Each write is audited.
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_events WHERE action IN ('member.create', 'member.status')`); n != 3 {
			t.Fatalf("%d audit events, want 3", n)
		}
		// Death needs its date.
		err = db.ChangeMemberStatus(bg, f.Accountant, a.ID, register.MemberChange{To: register.MemberDeceased})
		wantErr(t, err, jiti.ErrRequired, "date")
	})
}

// userError fails unless err is nil or a refusal the user is told, with
// its reason: never a failure of the database.
func userError(t *testing.T, step int, err error) {
	t.Helper()
	if err != nil && jiti.KindOf(err) == jiti.Internal {
		t.Fatalf("step %d: %v", step, err)
	}
}

// TestMembers_PropertyOneActive adds and changes members of three
// collectives at random, from a few people, and checks after every act,
// accepted or refused, that no one is active in two collectives.
func TestMembers_PropertyOneActive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cs := []int64{f.A.ID, f.B.ID, f.AddCollective(t, "203", "东山").ID}
		for _, c := range cs {
			storetest.MembershipDecision(t, db, c, "2020-01", "2020-01-05")
		}
		rng := rand.New(rand.NewPCG(11, 11))
		statuses := register.MemberStatuses
		reasons := []register.Reason{register.ReasonJoinedOther, register.ReasonVoluntary, register.ReasonSettled, register.ReasonMarriage}
		code, refused := 0, 0
		day := D("2020-02-01")
		for step := 0; step < 150; step++ {
			day = day.AddDays(3)
			c := cs[rng.IntN(len(cs))]
			if rng.IntN(2) == 0 {
				code++
				m := person(fmt.Sprintf("M%04d", code), "成员", rng.IntN(5), "", register.RelOther)
				m.ConfirmedOn = day
				err := db.CreateMembers(bg, f.Accountant, c, []register.Member{m})
				userError(t, step, err)
				if errors.Is(err, store.ErrActiveElsewhere) {
					refused++
				}
			} else {
				ms, err := db.FindMembers(bg, store.MemberFilter{CollectiveID: c})
				ok(t, err)
				if len(ms) == 0 {
					continue
				}
				m := ms[rng.IntN(len(ms))]
				err = db.ChangeMemberStatus(bg, f.Accountant, m.ID, register.MemberChange{To: statuses[rng.IntN(len(statuses))],
					On: day, Reason: reasons[rng.IntN(len(reasons))], Decision: "2020-01"})
				userError(t, step, err)
				if errors.Is(err, store.ErrActiveElsewhere) {
					refused++
				}
			}
			if n := storetest.Count(t, db, `SELECT COUNT(*) FROM (SELECT id_hash FROM members WHERE status = 'active'
GROUP BY id_hash HAVING COUNT(*) > 1) x`); n != 0 {
				t.Fatalf("step %d: %d people active twice", step, n)
			}
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM member_entries`); n < 10 || refused < 5 {
			t.Fatalf("only %d entries and %d people refused as active elsewhere: the sequence did little", n, refused)
		}
	})
}

func TestHouseholds_Head(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		storetest.MembershipDecision(t, db, cid, "2020-01", "2020-01-05")
		ok(t, db.CreateMembers(bg, f.Accountant, cid, []register.Member{person("M001", "王建国", 1, "", register.RelOther),
			person("M002", "张三", 2, "H001", register.RelHead)}))
		// A member of no household heads the new one, and joins it.
		ok(t, db.CreateHouseholds(bg, f.Accountant, cid, []store.Household{{Code: "H003", Name: "王建国", Head: "M001"}}))
		m, err := db.FindMemberByCode(bg, cid, "M001")
		ok(t, err)
		h, _, err := db.FindHousehold(bg, cid, "H003")
		ok(t, err)
		if m.Household != "H003" || m.Relation != register.RelHead || h.Head != "M001" || h.HeadName != "王建国" {
			t.Fatalf("member %+v household %+v", m, h)
		}
		err = db.CreateHouseholds(bg, f.Accountant, cid, []store.Household{{Code: "H004", Name: "张三", Head: "M002"}})
		wantErr(t, err, store.ErrHeadElsewhere, "households[1].head")
		err = db.CreateHouseholds(bg, f.Accountant, cid, []store.Household{{Code: "H004", Name: "李四", Head: "M404"}})
		wantErr(t, err, store.ErrMemberUnknown, "households[1].head")
		// H001's head came with its members.
		if h, _, err := db.FindHousehold(bg, cid, "H001"); err != nil || h.Head != "M002" {
			t.Fatalf("H001: %+v %v", h, err)
		}
	})
}

func TestMembers_Correct(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		for _, c := range []int64{f.A.ID, f.B.ID} {
			storetest.MembershipDecision(t, db, c, "2020-01", "2020-01-05")
		}
		wrong := person("M001", "王建囯", 1, "H001", register.RelHead)
		ok(t, db.CreateMembers(bg, f.Accountant, f.A.ID, []register.Member{wrong}))
		elsewhere := person("M001", "刘桂兰", 2, "", register.RelOther)
		ok(t, db.CreateMembers(bg, f.Accountant, f.B.ID, []register.Member{elsewhere}))
		m, err := db.FindMemberByCode(bg, f.A.ID, "M001")
		ok(t, err)

		// A number active in B is refused, naming B.
		theirs := elsewhere.IDNumber
		err = db.CorrectMember(bg, f.Accountant, m.ID, register.Correction{On: D("2025-03-01"), Note: "核对", IDNumber: &theirs, BornOn: ptr(register.IDBirth(theirs)), Sex: ptr(register.IDSex(theirs))})
		wantErr(t, err, store.ErrActiveElsewhere, "id_number")

		name := "王建国"
		right := storetest.IDNumber("62042219700102009")
		born, sex := register.IDBirth(right), register.IDSex(right)
		ok(t, db.CorrectMember(bg, f.Accountant, m.ID, register.Correction{On: D("2025-03-01"), Note: "按户口簿更正",
			Name: &name, IDNumber: &right, BornOn: &born, Sex: &sex}))
		// Found by the new name, initials and number; not by the old number.
		for q, want := range map[string]int{"wjg": 1, "王建国": 1, right.Reveal(): 1, wrong.IDNumber.Reveal(): 0} {
			ms, err := db.FindMembers(bg, store.MemberFilter{CollectiveID: f.A.ID, Query: q})
			ok(t, err)
			if len(ms) != want {
				t.Errorf("search %q: %d, want %d", q, len(ms), want)
			}
		}
		es, err := db.MemberEntries(bg, m.ID)
		ok(t, err)
		last := es[len(es)-1]
		if len(es) != 2 || last.Reason != register.ReasonCorrection || last.Note != "按户口簿更正" || last.Status != register.MemberActive ||
			last.Corrected["name"] != [2]string{"王建囯", "王建国"} || last.Corrected["id_number"] != [2]string{wrong.IDNumber.String(), right.String()} {
			t.Fatalf("history %+v", es)
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'member.correct'`); n != 1 {
			t.Fatalf("%d audit events", n)
		}
	})
}

func ptr[T any](v T) *T { return &v }

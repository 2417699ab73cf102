package register_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// idOf returns a valid identity number of 17 digits and their check.
func idOf(digits17 string) jiti.IDNumber {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(digits17[i]-'0') * weights[i]
	}
	n, err := jiti.NewIDNumber(digits17 + string("10X98765432"[sum%11]))
	if err != nil {
		panic(err)
	}
	return n
}

// woman returns a valid member to confirm: a woman born 1990-05-17 (her
// identity number's 17th digit is even), confirmed 2020-01-10.
func woman() *register.Member {
	return &register.Member{CollectiveID: 1, Code: "M001", Name: "王秀英", IDNumber: idOf("62042219900517002"),
		Sex: register.Female, Household: "H001", Relation: register.RelSpouse, Basis: register.BasisMarriage,
		ConfirmedOn: d("2020-01-10"), Decision: "2020-01"}
}

var today = d("2025-06-30")

func TestCheckMember(t *testing.T) {
	m := woman()
	checkProblem(t, register.CheckMember(m, today), nil, "")
	if m.BornOn != d("1990-05-17") || m.Status != register.MemberActive || m.StatusSince != m.ConfirmedOn {
		t.Fatalf("birth from the ID and status: %+v", m)
	}
	for _, c := range []struct {
		name  string
		edit  func(*register.Member)
		want  *jiti.Error
		field string
	}{
		{"birth against the ID", func(m *register.Member) { m.BornOn = d("1990-05-18") }, register.ErrBirthFromID, "born_on"},
		{"sex against the ID", func(m *register.Member) { m.Sex = register.Male }, register.ErrSexFromID, "sex"},
		{"no decision", func(m *register.Member) { m.Decision = " " }, register.ErrDecisionRequired, "decision"},
		{"no confirmation date", func(m *register.Member) { m.ConfirmedOn = jiti.Date{} }, jiti.ErrRequired, "confirmed_on"},
		{"confirmed before birth", func(m *register.Member) { m.ConfirmedOn = d("1989-01-01") }, register.ErrConfirmedBefore, "confirmed_on"},
		{"confirmed in the future", func(m *register.Member) { m.ConfirmedOn = d("2026-01-01") }, register.ErrInFuture, "confirmed_on"},
		{"no birth without ID", func(m *register.Member) { m.IDNumber = jiti.IDNumber{} }, jiti.ErrRequired, "born_on"},
		{"unknown basis", func(m *register.Member) { m.Basis = "purchase" }, register.ErrUnknown, "basis"},
		{"unknown relation", func(m *register.Member) { m.Relation = "cousin" }, register.ErrUnknown, "relation"},
		{"bad code", func(m *register.Member) { m.Code = "M 1" }, register.ErrCode, "code"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := woman()
			c.edit(m)
			checkProblem(t, register.CheckMember(m, today), c.want, c.field)
		})
	}
}

func TestCheckStatusChange(t *testing.T) {
	active := func() *register.Member {
		m := woman()
		if err := register.CheckMember(m, today); err != nil {
			t.Fatal(err)
		}
		return m
	}
	ok := []register.MemberChange{
		{To: register.MemberExited, On: d("2024-03-01"), Reason: register.ReasonJoinedOther, Decision: "2024-02"},
		{To: register.MemberLost, On: d("2024-03-01"), Reason: register.ReasonSettled, Decision: "2024-02"},
		{To: register.MemberDeceased, On: d("2024-03-01")},
	}
	for _, ch := range ok {
		checkProblem(t, register.CheckStatusChange(active(), &ch, today), nil, "")
	}
	for _, c := range []struct {
		name  string
		ch    register.MemberChange
		want  *jiti.Error
		field string
	}{
		// Women keep their membership through marriage and divorce.
		{"marriage ends nothing", register.MemberChange{To: register.MemberExited, On: d("2024-03-01"), Reason: register.ReasonMarriage, Decision: "2024-02"}, register.ErrMarriageKeeps, "reason"},
		{"divorce ends nothing", register.MemberChange{To: register.MemberLost, On: d("2024-03-01"), Reason: register.ReasonDivorce, Decision: "2024-02"}, register.ErrMarriageKeeps, "reason"},
		{"an exit names its decision", register.MemberChange{To: register.MemberExited, On: d("2024-03-01"), Reason: register.ReasonVoluntary}, register.ErrDecisionRequired, "decision"},
		{"a loss names its decision", register.MemberChange{To: register.MemberLost, On: d("2024-03-01"), Reason: register.ReasonOther}, register.ErrDecisionRequired, "decision"},
		{"an exit gives its reason", register.MemberChange{To: register.MemberExited, On: d("2024-03-01"), Decision: "2024-02"}, register.ErrReasonRequired, "reason"},
		{"death needs its date", register.MemberChange{To: register.MemberDeceased}, jiti.ErrRequired, "date"},
		{"not before the confirmation", register.MemberChange{To: register.MemberDeceased, On: d("2019-01-01")}, register.ErrStatusBefore, "date"},
		{"same status", register.MemberChange{To: register.MemberActive, On: d("2024-03-01"), Decision: "2024-02"}, register.ErrSameStatus, "status"},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkProblem(t, register.CheckStatusChange(active(), &c.ch, today), c.want, c.field)
		})
	}
	// A return to active names its decision.
	m := active()
	m.Status, m.StatusSince = register.MemberExited, d("2024-03-01")
	ch := register.MemberChange{To: register.MemberActive, On: d("2024-04-01"), Reason: register.ReasonCorrection}
	checkProblem(t, register.CheckStatusChange(m, &ch, today), register.ErrDecisionRequired, "decision")
}

func TestIDBirthSex(t *testing.T) {
	id := idOf("62042219900517001")
	if register.IDBirth(id) != d("1990-05-17") || register.IDSex(id) != register.Male {
		t.Fatalf("%v %v", register.IDBirth(id), register.IDSex(id))
	}
}

func TestCorrect(t *testing.T) {
	m := woman()
	if err := register.CheckMember(m, today); err != nil {
		t.Fatal(err)
	}
	m.Status, m.StatusSince = register.MemberExited, d("2024-03-01")
	name, group := "王秀英", "H002"
	c := register.Correction{On: d("2025-01-10"), Note: "户口簿核对", Name: &name, Household: &group}
	got, err := register.Correct(m, &c, today)
	checkProblem(t, err, nil, "")
	if len(got) != 1 || got["household"] != [2]string{"H001", "H002"} || m.Household != "H002" || m.Status != register.MemberExited {
		t.Fatalf("changed %v, member %+v", got, m)
	}
	// A birth date the identity number contradicts; nothing to correct;
	// no note.
	born := d("1991-05-17")
	c = register.Correction{On: d("2025-01-10"), Note: "x", BornOn: &born}
	_, err = register.Correct(m, &c, today)
	checkProblem(t, err, register.ErrBirthFromID, "born_on")
	c = register.Correction{On: d("2025-01-10"), Note: "x", Name: &name}
	_, err = register.Correct(m, &c, today)
	checkProblem(t, err, register.ErrNothingCorrected, "")
	other := "王秀兰"
	c = register.Correction{On: d("2025-01-10"), Name: &other}
	_, err = register.Correct(m, &c, today)
	checkProblem(t, err, register.ErrNoteRequired, "note")
	// A new identity number is shown masked in what changed.
	id := idOf("62042219900517004")
	c = register.Correction{On: d("2025-01-10"), Note: "身份证号录入错误", IDNumber: &id}
	got, err = register.Correct(m, &c, today)
	checkProblem(t, err, nil, "")
	if got["id_number"][1] != id.String() || m.IDNumber != id {
		t.Fatalf("changed %v", got)
	}
}

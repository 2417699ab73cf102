package register

import (
	"strings"
	"time"

	"example.org/jiti"
)

// The members' register (成员, governance.md, 《农村集体经济组织法》): who
// belongs to a collective, on what basis, since when and by which
// decision, and what became of their membership. A membership is
// confirmed by the members' assembly; it ends by exit or loss, each
// resting on a decision, or by death. Nothing is erased: every change is a
// dated entry of the member's history, and a correction is one more.
//
// One rule needs every collective at once and so lives in the store: a
// person (by the sealed identity number) is an active member of one
// collective at a time.

// Sex is a member's sex.
type Sex string

// Sexes.
const (
	Male   Sex = "male"
	Female Sex = "female"
)

// Sexes lists the sexes in the order forms offer them.
var Sexes = []Sex{Male, Female}

// Relation is a member's relation to the head of their household.
type Relation string

// Relations to the head of the household.
const (
	RelHead       Relation = "head"       // 户主
	RelSpouse     Relation = "spouse"     // 配偶
	RelChild      Relation = "child"      // 子女
	RelParent     Relation = "parent"     // 父母
	RelGrandchild Relation = "grandchild" // 孙子女
	RelSibling    Relation = "sibling"    // 兄弟姐妹
	RelOther      Relation = "other"      // 其他
)

// Relations lists the relations in the order forms offer them.
var Relations = []Relation{RelHead, RelSpouse, RelChild, RelParent, RelGrandchild, RelSibling, RelOther}

// Basis is what a membership rests on.
type Basis string

// Bases of membership.
const (
	BasisOriginal     Basis = "original"     // 原始成员
	BasisBirth        Basis = "birth"        // 出生
	BasisMarriage     Basis = "marriage"     // 婚入
	BasisAdoption     Basis = "adoption"     // 收养
	BasisResettlement Basis = "resettlement" // 移民安置
	BasisOther        Basis = "other"        // 其他
)

// Bases lists the bases in the order forms offer them.
var Bases = []Basis{BasisOriginal, BasisBirth, BasisMarriage, BasisAdoption, BasisResettlement, BasisOther}

// MemberStatus is where a membership stands.
type MemberStatus string

// Statuses of a membership.
const (
	MemberActive   MemberStatus = "active"   // 正常
	MemberExited   MemberStatus = "exited"   // 退出
	MemberLost     MemberStatus = "lost"     // 丧失
	MemberDeceased MemberStatus = "deceased" // 死亡
)

// MemberStatuses lists the statuses in the order forms offer them.
var MemberStatuses = []MemberStatus{MemberActive, MemberExited, MemberLost, MemberDeceased}

// Reason is why a membership ends (or, for a correction, starts again).
// Marriage and divorce are reasons a form may be given but never accepts:
// women keep their membership through both; a membership ends only when
// she is confirmed in another collective (ReasonJoinedOther).
type Reason string

// Reasons of a change of status.
const (
	ReasonJoinedOther Reason = "joined_other" // 取得其他集体经济组织成员身份
	ReasonVoluntary   Reason = "voluntary"    // 自愿退出
	ReasonSettled     Reason = "settled"      // 户籍迁出、纳入城镇保障
	ReasonMarriage    Reason = "marriage"     // 婚嫁 (refused)
	ReasonDivorce     Reason = "divorce"      // 离婚 (refused)
	ReasonCorrection  Reason = "correction"   // 更正
	ReasonOther       Reason = "other"        // 其他
)

// Reasons lists the reasons a change of status may name.
var Reasons = []Reason{ReasonJoinedOther, ReasonVoluntary, ReasonSettled, ReasonMarriage, ReasonDivorce, ReasonCorrection, ReasonOther}

// Member is one person of a collective's register.
type Member struct {
	ID           int64         `json:"id"`
	CollectiveID int64         `json:"collective_id"`
	Code         string        `json:"code"` // 成员编号, unique in the collective
	Name         string        `json:"name"`
	IDNumber     jiti.IDNumber `json:"id_number"` // marshals masked
	Sex          Sex           `json:"sex"`
	BornOn       jiti.Date     `json:"born_on"`
	Household    string        `json:"household,omitempty"` // the household's code
	Relation     Relation      `json:"relation"`
	Basis        Basis         `json:"basis"`
	ConfirmedOn  jiti.Date     `json:"confirmed_on"`
	Decision     string        `json:"decision"` // the number of the decision that confirmed it
	DecisionID   int64         `json:"-"`
	Status       MemberStatus  `json:"status"`
	StatusSince  jiti.Date     `json:"status_since"`
}

// MemberEntry is one dated entry of a member's history.
type MemberEntry struct {
	On       jiti.Date    `json:"date"`
	Status   MemberStatus `json:"status"`
	Reason   Reason       `json:"reason,omitempty"`
	Decision string       `json:"decision,omitempty"`
	Note     string       `json:"note,omitempty"`
	// Corrected is what a correction changed: each field's value before
	// and after.
	Corrected  map[string][2]string `json:"corrected,omitempty"`
	RecordedAt time.Time            `json:"recorded_at"`
}

// MemberChange is a change of a member's status asked for.
type MemberChange struct {
	To       MemberStatus
	On       jiti.Date
	Reason   Reason
	Decision string // the decision's number
	Note     string
}

// Errors of the members' register.
var (
	ErrBirthFromID      = jiti.Errorf(jiti.Invalid, "member.birth_id")
	ErrSexFromID        = jiti.Errorf(jiti.Invalid, "member.sex_id")
	ErrConfirmedBefore  = jiti.Errorf(jiti.Invalid, "member.confirmed_before_birth")
	ErrDecisionRequired = jiti.Errorf(jiti.Invalid, "member.decision_required")
	ErrMarriageKeeps    = jiti.Errorf(jiti.Invalid, "member.marriage_keeps")
	ErrReasonRequired   = jiti.Errorf(jiti.Invalid, "member.reason_required")
	ErrReasonFor        = jiti.Errorf(jiti.Invalid, "member.reason_for")
	ErrInFuture         = jiti.Errorf(jiti.Invalid, "member.in_future")
)

// CheckMember validates a member to be confirmed, every problem at its
// field: the identity number's birth date and sex must be the member's
// (each is taken from it when not given), the confirmation
// needs its date and decision and cannot come before the birth. today
// bounds the dates.
func CheckMember(m *Member, today jiti.Date) error {
	var p problems
	m.Code, m.Name, m.Household = strings.TrimSpace(m.Code), strings.TrimSpace(m.Name), strings.TrimSpace(m.Household)
	m.Decision = strings.TrimSpace(m.Decision)
	if m.Code == "" || len(m.Code) > 40 || strings.ContainsAny(m.Code, " ,\t") {
		p.add(ErrCode.With(m.Code).At("code"))
	}
	if m.Name == "" {
		p.add(jiti.ErrRequired.At("name"))
	}
	if m.Sex == "" && !m.IDNumber.IsZero() {
		m.Sex = IDSex(m.IDNumber)
	}
	if !oneOf(m.Sex, Sexes) {
		p.add(ErrUnknown.With(string(m.Sex)).At("sex"))
	}
	if m.Relation == "" {
		m.Relation = RelOther
	}
	if !oneOf(m.Relation, Relations) {
		p.add(ErrUnknown.With(string(m.Relation)).At("relation"))
	}
	if !oneOf(m.Basis, Bases) {
		p.add(ErrUnknown.With(string(m.Basis)).At("basis"))
	}
	if !m.IDNumber.IsZero() {
		born, sex := IDBirth(m.IDNumber), IDSex(m.IDNumber)
		switch {
		case m.BornOn.IsZero():
			m.BornOn = born
		case m.BornOn != born:
			p.add(ErrBirthFromID.With(m.BornOn, born).At("born_on"))
		}
		if m.Sex != "" && oneOf(m.Sex, Sexes) && m.Sex != sex {
			p.add(ErrSexFromID.At("sex"))
		}
	}
	if m.BornOn.IsZero() {
		p.add(jiti.ErrRequired.At("born_on"))
	} else if m.BornOn.After(today) {
		p.add(ErrInFuture.With(m.BornOn).At("born_on"))
	}
	switch {
	case m.ConfirmedOn.IsZero():
		p.add(jiti.ErrRequired.At("confirmed_on"))
	case m.ConfirmedOn.After(today):
		p.add(ErrInFuture.With(m.ConfirmedOn).At("confirmed_on"))
	case !m.BornOn.IsZero() && m.ConfirmedOn.Before(m.BornOn):
		p.add(ErrConfirmedBefore.With(m.ConfirmedOn, m.BornOn).At("confirmed_on"))
	}
	if m.Decision == "" {
		p.add(ErrDecisionRequired.At("decision"))
	}
	m.Status, m.StatusSince = MemberActive, m.ConfirmedOn
	return p.err()
}

// CheckStatusChange validates a change of a member's status: it is dated,
// not before the status it follows nor after today; an exit or a loss
// gives its reason and names its decision, and marriage or divorce is
// never a reason (women keep their membership through both; she leaves
// only when another collective confirms her, ReasonJoinedOther); a return
// to active (a readmission or a correction) names its decision too.
func CheckStatusChange(m *Member, ch *MemberChange, today jiti.Date) error {
	var p problems
	ch.Decision, ch.Note = strings.TrimSpace(ch.Decision), strings.TrimSpace(ch.Note)
	if !oneOf(ch.To, MemberStatuses) {
		return ErrUnknown.With(string(ch.To)).At("status")
	}
	if ch.To == m.Status {
		p.add(ErrSameStatus.With(string(ch.To)).At("status"))
	}
	switch {
	case ch.On.IsZero():
		p.add(jiti.ErrRequired.At("date"))
	case ch.On.Before(m.StatusSince):
		p.add(ErrStatusBefore.With(ch.On, m.StatusSince).At("date"))
	case ch.On.After(today):
		p.add(ErrInFuture.With(ch.On).At("date"))
	}
	if ch.Reason != "" && !oneOf(ch.Reason, Reasons) {
		p.add(ErrUnknown.With(string(ch.Reason)).At("reason"))
	}
	switch ch.To {
	case MemberExited, MemberLost:
		switch ch.Reason {
		case "":
			p.add(ErrReasonRequired.At("reason"))
		case ReasonMarriage, ReasonDivorce:
			p.add(ErrMarriageKeeps.At("reason"))
		case ReasonCorrection:
			p.add(ErrReasonFor.With(string(ch.Reason), string(ch.To)).At("reason"))
		}
		if ch.Decision == "" {
			p.add(ErrDecisionRequired.At("decision"))
		}
	case MemberActive:
		if ch.Reason == ReasonMarriage || ch.Reason == ReasonDivorce || ch.Reason == ReasonJoinedOther {
			p.add(ErrReasonFor.With(string(ch.Reason), string(ch.To)).At("reason"))
		}
		if ch.Decision == "" {
			p.add(ErrDecisionRequired.At("decision"))
		}
	case MemberDeceased:
		if ch.Reason != "" && ch.Reason != ReasonCorrection && ch.Reason != ReasonOther {
			p.add(ErrReasonFor.With(string(ch.Reason), string(ch.To)).At("reason"))
		}
	}
	return p.err()
}

// Correction corrects what was wrongly recorded of a member: the fields
// given (nil: unchanged), on a date, with a note saying why. It is one
// more dated entry of their history; their status is not changed by it.
type Correction struct {
	On        jiti.Date
	Note      string
	Name      *string
	IDNumber  *jiti.IDNumber
	Sex       *Sex
	BornOn    *jiti.Date
	Household *string
	Relation  *Relation
	Basis     *Basis
}

// Errors of corrections.
var (
	ErrNothingCorrected = jiti.Errorf(jiti.Invalid, "member.nothing_corrected")
	ErrNoteRequired     = jiti.Errorf(jiti.Invalid, "member.note_required")
)

// Correct applies a correction to m and checks the result as a member
// confirmed is checked (the birth date and sex against the identity
// number among others), keeping their status. It returns what changed,
// each field's value before and after, an identity number masked.
func Correct(m *Member, c *Correction, today jiti.Date) (map[string][2]string, error) {
	var p problems
	c.Note = strings.TrimSpace(c.Note)
	switch {
	case c.On.IsZero():
		p.add(jiti.ErrRequired.At("date"))
	case c.On.Before(m.ConfirmedOn):
		p.add(ErrStatusBefore.With(c.On, m.ConfirmedOn).At("date"))
	case c.On.After(today):
		p.add(ErrInFuture.With(c.On).At("date"))
	}
	if c.Note == "" {
		p.add(ErrNoteRequired.At("note"))
	}
	before := *m
	next := *m
	if c.Name != nil {
		next.Name = *c.Name
	}
	if c.IDNumber != nil {
		next.IDNumber = *c.IDNumber
	}
	if c.Sex != nil {
		next.Sex = *c.Sex
	}
	if c.BornOn != nil {
		next.BornOn = *c.BornOn
	}
	if c.Household != nil {
		next.Household = *c.Household
	}
	if c.Relation != nil {
		next.Relation = *c.Relation
	}
	if c.Basis != nil {
		next.Basis = *c.Basis
	}
	if err := CheckMember(&next, today); err != nil {
		for _, e := range problemsOf(err) {
			p.add(e)
		}
	}
	next.Status, next.StatusSince = before.Status, before.StatusSince
	changed := map[string][2]string{}
	for _, f := range []struct{ name, was, is string }{
		{"name", before.Name, next.Name}, {"id_number", before.IDNumber.String(), next.IDNumber.String()},
		{"sex", string(before.Sex), string(next.Sex)}, {"born_on", before.BornOn.String(), next.BornOn.String()},
		{"household", before.Household, next.Household}, {"relation", string(before.Relation), string(next.Relation)},
		{"basis", string(before.Basis), string(next.Basis)},
	} {
		if f.was != f.is || f.name == "id_number" && before.IDNumber != next.IDNumber {
			changed[f.name] = [2]string{f.was, f.is}
		}
	}
	if len(changed) == 0 && len(p) == 0 {
		p.add(ErrNothingCorrected)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	*m = next
	return changed, nil
}

// problemsOf lists the problems of a validation's error.
func problemsOf(err error) []*jiti.Error {
	var out []*jiti.Error
	switch x := err.(type) {
	case jiti.Errors:
		for _, e := range x {
			out = append(out, problemsOf(e)...)
		}
	case *jiti.Error:
		out = append(out, x)
	}
	return out
}

// IDBirth returns the birth date an identity number carries (its 7th to
// 14th characters), or the zero date.
func IDBirth(id jiti.IDNumber) jiti.Date {
	s := id.Reveal()
	if len(s) != 18 {
		return jiti.Date{}
	}
	d, err := jiti.ParseDate(s[6:10] + "-" + s[10:12] + "-" + s[12:14])
	if err != nil {
		return jiti.Date{}
	}
	return d
}

// IDSex returns the sex an identity number carries: its 17th digit is odd
// for a man, even for a woman.
func IDSex(id jiti.IDNumber) Sex {
	s := id.Reveal()
	if len(s) != 18 {
		return ""
	}
	if (s[16]-'0')%2 == 1 {
		return Male
	}
	return Female
}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

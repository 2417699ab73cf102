package register

import (
	"strconv"
	"strings"

	"example.org/jiti"
)

// Step is the number of a step of 四议两公开, in the order they are held.
type Step int

// The six steps (governance.md).
const (
	StepProposal        Step = 1 // 党支部提议
	StepDeliberation    Step = 2 // 村“两委”会议商议
	StepReview          Step = 3 // 党员大会审议
	StepResolution      Step = 4 // 村民会议或村民代表会议决议
	StepPublishDecision Step = 5 // 决议公开
	StepPublishResult   Step = 6 // 实施结果公开
)

// Steps lists the six steps in order.
var Steps = []Step{StepProposal, StepDeliberation, StepReview, StepResolution, StepPublishDecision, StepPublishResult}

// Votes says whether a step is a meeting that counts who attends and
// approves; publications (steps 5 and 6) only have a date and content.
func (s Step) Votes() bool { return s >= StepProposal && s <= StepResolution }

// Meeting is the body that resolves in step 4, which sets its quorum (村民
// 委员会组织法 art. 22 and 26).
type Meeting string

// Meetings of step 4.
const (
	// MeetingVillagers is a villagers' meeting counted by adult villagers:
	// more than half of the villagers aged 18 or over must attend.
	MeetingVillagers Meeting = "villagers"
	// MeetingHouseholds is a villagers' meeting counted by households:
	// two thirds or more of the households' representatives must attend.
	MeetingHouseholds Meeting = "households"
	// MeetingRepresentatives is a villagers' representatives' meeting: two
	// thirds or more of its members must attend.
	MeetingRepresentatives Meeting = "representatives"
)

// Meetings lists the meetings of step 4 in the order forms offer them.
var Meetings = []Meeting{MeetingRepresentatives, MeetingVillagers, MeetingHouseholds}

// Decision is an entry of the decisions register: a matter decided under
// 四议两公开, with the steps recorded so far.
type Decision struct {
	ID           int64          `json:"id"`
	CollectiveID int64          `json:"collective_id"`
	Number       string         `json:"number"` // the collective's own, e.g. 2025-03
	Subject      string         `json:"subject"`
	Kind         DecisionKind   `json:"kind"`
	Status       DecisionStatus `json:"status"`
	Reached      Step           `json:"reached"` // the last step recorded, 0 before the first
	AdoptedOn    jiti.Date      `json:"adopted_on,omitzero"`
	Note         string         `json:"note,omitempty"`
	Steps        []DecisionStep `json:"steps"`
}

// DecisionStep is one step of a decision as it was held. Required is the
// number of people the step's quorum is counted on (the branch's or the
// committees' members, the Party members, the adult villagers, the
// households or the representatives), Present those who attended, Approve
// those who voted for it. Passed is computed by Record, never given.
type DecisionStep struct {
	Step     Step      `json:"step"`
	HeldOn   jiti.Date `json:"held_on"`
	Meeting  Meeting   `json:"meeting,omitempty"` // step 4 only
	Required int       `json:"required"`
	Present  int       `json:"present"`
	Approve  int       `json:"approve"`
	Content  string    `json:"content,omitempty"`
	Passed   bool      `json:"passed"`
}

// Errors of the decisions register.
var (
	ErrDecisionStopped   = jiti.Errorf(jiti.Conflict, "decision.stopped")
	ErrDecisionComplete  = jiti.Errorf(jiti.Conflict, "decision.complete")
	ErrStepOrder         = jiti.Errorf(jiti.Invalid, "decision.step_order")
	ErrStepDate          = jiti.Errorf(jiti.Invalid, "decision.step_date")
	ErrPresentExceeds    = jiti.Errorf(jiti.Invalid, "decision.present_exceeds")
	ErrApproveExceeds    = jiti.Errorf(jiti.Invalid, "decision.approve_exceeds")
	ErrPublicationCounts = jiti.Errorf(jiti.Invalid, "decision.publication_counts")
	ErrMeetingOnlyStep4  = jiti.Errorf(jiti.Invalid, "decision.meeting_step4")
	ErrCount             = jiti.Errorf(jiti.Invalid, "decision.count")
)

// ParseCount reads a count of people as typed in a form, a flag or a
// cell: empty is 0; anything but a whole number is refused, naming field.
func ParseCount(s, field string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, ErrCount.With(s).At(field)
	}
	return n, nil
}

// Normalize trims the decision's text and sets a new decision's status.
func (d *Decision) Normalize() {
	for _, s := range []*string{&d.Number, &d.Subject, &d.Note} {
		*s = strings.TrimSpace(*s)
	}
	if d.Status == "" {
		d.Status = DecisionOpen
	}
}

// Validate checks a decision's own fields (not its steps, which Record
// checks one by one).
func (d *Decision) Validate() error {
	var p problems
	switch {
	case d.Number == "":
		p.add(jiti.ErrRequired.At("number"))
	case len([]rune(d.Number)) > maxCode || strings.ContainsAny(d.Number, "\t\r\n,;"):
		p.add(ErrCode.With(d.Number).At("number"))
	}
	checkName(&p, d.Subject, "subject")
	checkEnum(&p, d.Kind, DecisionKinds, "kind")
	checkEnum(&p, d.Status, []DecisionStatus{DecisionOpen, DecisionAdopted, DecisionFailed}, "status")
	checkLen(&p, d.Note, maxText, "note")
	return p.err()
}

// Next is the step to be recorded next, 0 when none can be: the decision
// failed, or all six steps are recorded.
func (d *Decision) Next() Step {
	if d.Status == DecisionFailed || d.Reached >= StepPublishResult {
		return 0
	}
	return d.Reached + 1
}

// Record checks step s as the decision's next step, computes whether it
// passed and records it: a step that did not pass stops the decision
// (failed); the resolution (step 4) passing adopts it on its date. The
// decision is unchanged when s is refused.
func (d *Decision) Record(s DecisionStep) (DecisionStep, error) {
	s.Content = strings.TrimSpace(s.Content)
	switch {
	case d.Status == DecisionFailed:
		return s, ErrDecisionStopped.With(d.Number, d.Reached).At("step")
	case d.Reached >= StepPublishResult:
		return s, ErrDecisionComplete.With(d.Number).At("step")
	case s.Step != d.Reached+1:
		return s, ErrStepOrder.With(d.Number, int(d.Reached+1), int(s.Step)).At("step")
	}
	if err := d.checkStep(&s); err != nil {
		return s, err
	}
	s.Passed = s.passes()
	d.Steps = append(d.Steps, s)
	d.Reached = s.Step
	switch {
	case !s.Passed:
		d.Status = DecisionFailed
	case s.Step == StepResolution:
		d.Status, d.AdoptedOn = DecisionAdopted, s.HeldOn
	}
	return s, nil
}

// checkStep checks a step's date, meeting and counts, naming each field
// at fault.
func (d *Decision) checkStep(s *DecisionStep) error {
	var p problems
	switch {
	case s.HeldOn.IsZero():
		p.add(jiti.ErrRequired.At("held_on"))
	case len(d.Steps) > 0 && s.HeldOn.Before(d.Steps[len(d.Steps)-1].HeldOn):
		p.add(ErrStepDate.With(s.HeldOn, d.Steps[len(d.Steps)-1].HeldOn).At("held_on"))
	}
	if s.Step == StepResolution {
		checkEnum(&p, s.Meeting, Meetings, "meeting") // required too
	} else if s.Meeting != "" {
		p.add(ErrMeetingOnlyStep4.At("meeting"))
	}
	if !s.Step.Votes() {
		for _, f := range []struct {
			n     int
			field string
		}{{s.Required, "required"}, {s.Present, "present"}, {s.Approve, "approve"}} {
			if f.n != 0 {
				p.add(ErrPublicationCounts.At(f.field))
			}
		}
		checkLen(&p, s.Content, maxText, "content")
		return p.err()
	}
	for _, f := range []struct {
		n     int
		field string
	}{{s.Required, "required"}, {s.Present, "present"}, {s.Approve, "approve"}} {
		if f.n < 0 {
			p.add(ErrNegative.With(f.n).At(f.field))
		}
	}
	if s.Required == 0 {
		p.add(ErrNotPositive.With(s.Required).At("required"))
	}
	if s.Present > s.Required && s.Required >= 0 {
		p.add(ErrPresentExceeds.With(s.Present, s.Required).At("present"))
	}
	if s.Approve > s.Present && s.Present >= 0 {
		p.add(ErrApproveExceeds.With(s.Approve, s.Present).At("approve"))
	}
	checkLen(&p, s.Content, maxText, "content")
	return p.err()
}

// Quorum says whether enough people attended the step: more than half of
// those required for the committees (steps 1 and 2) and for a villagers'
// meeting counted by adults; two thirds or more for the Party members'
// meeting, a villagers' meeting counted by households and the
// representatives' meeting. Publications have none.
func (s DecisionStep) Quorum() bool {
	switch {
	case !s.Step.Votes():
		return true
	case s.Step == StepReview, s.Step == StepResolution && s.Meeting != MeetingVillagers:
		return 3*s.Present >= 2*s.Required
	default:
		return 2*s.Present > s.Required
	}
}

// Majority says whether more than half of those present approved.
func (s DecisionStep) Majority() bool {
	return !s.Step.Votes() || 2*s.Approve > s.Present
}

// passes is whether a checked step passed: its quorum attended and a
// majority of those present approved.
func (s DecisionStep) passes() bool {
	return s.Quorum() && s.Majority()
}

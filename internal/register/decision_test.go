package register_test

import (
	"math/rand/v2"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// newDecision returns an open decision on a contract.
func newDecision() *register.Decision {
	dec := &register.Decision{Number: "2025-03", Subject: "发包东沟荒地", Kind: register.DecideContract}
	dec.Normalize()
	return dec
}

// goodSteps are the six steps of a decision that passes each of them.
func goodSteps() []register.DecisionStep {
	return []register.DecisionStep{
		{Step: register.StepProposal, HeldOn: d("2025-03-01"), Required: 5, Present: 5, Approve: 5, Content: "支部提议"},
		{Step: register.StepDeliberation, HeldOn: d("2025-03-03"), Required: 9, Present: 8, Approve: 8},
		{Step: register.StepReview, HeldOn: d("2025-03-06"), Required: 36, Present: 24, Approve: 13},
		{Step: register.StepResolution, HeldOn: d("2025-03-10"), Meeting: register.MeetingRepresentatives, Required: 45, Present: 30, Approve: 16},
		{Step: register.StepPublishDecision, HeldOn: d("2025-03-10"), Content: "村务公开栏"},
		{Step: register.StepPublishResult, HeldOn: d("2025-04-20"), Content: "村务公开栏"},
	}
}

func TestDecision_AdoptedAtStep4(t *testing.T) {
	dec := newDecision()
	if err := dec.Validate(); err != nil {
		t.Fatal(describe(err))
	}
	for i, s := range goodSteps() {
		got, err := dec.Record(s)
		if err != nil {
			t.Fatalf("step %d: %s", i+1, describe(err))
		}
		if !got.Passed {
			t.Fatalf("step %d did not pass: %+v", i+1, got)
		}
		want := register.DecisionOpen
		if s.Step >= register.StepResolution {
			want = register.DecisionAdopted
		}
		if dec.Status != want || dec.Reached != s.Step {
			t.Fatalf("after step %d: status %s reached %d", i+1, dec.Status, dec.Reached)
		}
	}
	if dec.AdoptedOn != d("2025-03-10") || len(dec.Steps) != 6 || dec.Next() != 0 {
		t.Fatalf("adopted on %v with %d steps, next %d", dec.AdoptedOn, len(dec.Steps), dec.Next())
	}
	_, err := dec.Record(register.DecisionStep{Step: 7, HeldOn: d("2025-05-01")})
	checkProblem(t, err, register.ErrDecisionComplete, "step")
}

// The thresholds at their edges: 2/3 present (inclusive) for the Party
// members' meeting, the households' and the representatives' meetings;
// more than half of the adults for a villagers' meeting; more than half of
// those present approving everywhere.
func TestDecision_Thresholds(t *testing.T) {
	cases := []struct {
		name                      string
		step                      register.Step
		meeting                   register.Meeting
		required, present, approv int
		quorum, majority          bool
	}{
		{"review 2/3 exactly", register.StepReview, "", 30, 20, 11, true, true},
		{"review below 2/3", register.StepReview, "", 30, 19, 19, false, true},
		{"review half approve", register.StepReview, "", 30, 20, 10, true, false},
		{"representatives 2/3", register.StepResolution, register.MeetingRepresentatives, 45, 30, 16, true, true},
		{"representatives below", register.StepResolution, register.MeetingRepresentatives, 45, 29, 29, false, true},
		{"households 2/3", register.StepResolution, register.MeetingHouseholds, 300, 200, 101, true, true},
		{"households below", register.StepResolution, register.MeetingHouseholds, 300, 199, 150, false, true},
		{"adults more than half", register.StepResolution, register.MeetingVillagers, 1000, 501, 251, true, true},
		{"adults exactly half", register.StepResolution, register.MeetingVillagers, 1000, 500, 400, false, true},
		{"adults half approve", register.StepResolution, register.MeetingVillagers, 1000, 600, 300, true, false},
		{"committees more than half", register.StepDeliberation, "", 9, 5, 3, true, true},
		{"committees half", register.StepDeliberation, "", 8, 4, 4, false, true},
	}
	for _, c := range cases {
		s := register.DecisionStep{Step: c.step, Meeting: c.meeting, Required: c.required, Present: c.present, Approve: c.approv}
		if s.Quorum() != c.quorum || s.Majority() != c.majority {
			t.Errorf("%s: quorum %v majority %v, want %v %v", c.name, s.Quorum(), s.Majority(), c.quorum, c.majority)
		}
	}
}

func TestDecision_FailedStepStops(t *testing.T) {
	dec := newDecision()
	steps := goodSteps()
	steps[2].Present = 23 // of 36: below 2/3
	for _, s := range steps[:3] {
		if _, err := dec.Record(s); err != nil {
			t.Fatal(describe(err))
		}
	}
	if dec.Status != register.DecisionFailed || dec.Reached != register.StepReview || !dec.AdoptedOn.IsZero() || dec.Next() != 0 {
		t.Fatalf("status %s reached %d adopted %v", dec.Status, dec.Reached, dec.AdoptedOn)
	}
	_, err := dec.Record(steps[3])
	checkProblem(t, err, register.ErrDecisionStopped, "step")
	if len(dec.Steps) != 3 {
		t.Fatalf("a refused step was recorded: %d steps", len(dec.Steps))
	}
}

func TestDecision_StepChecks(t *testing.T) {
	cases := []struct {
		name   string
		change func(s *register.DecisionStep)
		want   *jiti.Error
		field  string
	}{
		{"out of order", func(s *register.DecisionStep) { s.Step = register.StepReview }, register.ErrStepOrder, "step"},
		{"before previous", func(s *register.DecisionStep) { s.HeldOn = d("2025-02-28") }, register.ErrStepDate, "held_on"},
		{"no date", func(s *register.DecisionStep) { s.HeldOn = jiti.Date{} }, jiti.ErrRequired, "held_on"},
		{"present exceeds", func(s *register.DecisionStep) { s.Present = 10 }, register.ErrPresentExceeds, "present"},
		{"approve exceeds", func(s *register.DecisionStep) { s.Approve = 9 }, register.ErrApproveExceeds, "approve"},
		{"negative approve", func(s *register.DecisionStep) { s.Approve = -1 }, register.ErrNegative, "approve"},
		{"no required", func(s *register.DecisionStep) { s.Required, s.Present, s.Approve = 0, 0, 0 }, register.ErrNotPositive, "required"},
		{"meeting at step 2", func(s *register.DecisionStep) { s.Meeting = register.MeetingVillagers }, register.ErrMeetingOnlyStep4, "meeting"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dec := newDecision()
			if _, err := dec.Record(goodSteps()[0]); err != nil {
				t.Fatal(describe(err))
			}
			s := goodSteps()[1]
			c.change(&s)
			_, err := dec.Record(s)
			checkProblem(t, err, c.want, c.field)
			if dec.Reached != register.StepProposal || len(dec.Steps) != 1 {
				t.Fatalf("a refused step changed the decision: reached %d", dec.Reached)
			}
		})
	}
	// Step 4 names its meeting; publications carry no counts.
	dec := newDecision()
	steps := goodSteps()
	for _, s := range steps[:3] {
		dec.Record(s)
	}
	s := steps[3]
	s.Meeting = ""
	_, err := dec.Record(s)
	checkProblem(t, err, jiti.ErrRequired, "meeting")
	dec.Record(steps[3])
	p := steps[4]
	p.Present = 3
	_, err = dec.Record(p)
	checkProblem(t, err, register.ErrPublicationCounts, "present")
}

func TestDecision_Validate(t *testing.T) {
	dec := newDecision()
	dec.Number = ""
	checkProblem(t, dec.Validate(), jiti.ErrRequired, "number")
	dec = newDecision()
	dec.Kind = "lottery"
	if !hasProblem(dec.Validate(), register.ErrUnknown, "kind") {
		t.Fatalf("an unknown kind passes: %v", describe(dec.Validate()))
	}
	dec = newDecision()
	dec.Subject = " "
	dec.Normalize()
	checkProblem(t, dec.Validate(), jiti.ErrRequired, "subject")
}

// Property: whatever steps are offered, in whatever order and with
// whatever counts, a decision is adopted only if its recorded steps 3 and 4
// met their quorum and majority, steps are recorded in order 1, 2, … with
// dates that never go back, and nothing follows a failed step.
func TestDecision_NeverAdoptedPastAFailedThreshold(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 4))
	for trial := 0; trial < 5000; trial++ {
		dec := newDecision()
		day := d("2025-01-01")
		for try := 0; try < 12; try++ {
			req := rng.IntN(40) - 2
			pres := rng.IntN(45) - 2
			appr := rng.IntN(45) - 2
			s := register.DecisionStep{Step: register.Step(1 + rng.IntN(6)), HeldOn: day.AddDays(rng.IntN(9) - 2),
				Meeting: register.Meetings[rng.IntN(len(register.Meetings))], Required: req, Present: pres, Approve: appr}
			if rng.IntN(3) == 0 { // mostly the expected next step
				s.Step = dec.Reached + 1
			}
			if s.Step != register.StepResolution && rng.IntN(4) > 0 {
				s.Meeting = ""
			}
			if !s.Step.Votes() && rng.IntN(2) == 0 {
				s.Required, s.Present, s.Approve = 0, 0, 0
			}
			before := len(dec.Steps)
			if _, err := dec.Record(s); err == nil {
				day = s.HeldOn
			} else if len(dec.Steps) != before {
				t.Fatalf("trial %d: a refused step was recorded", trial)
			}
		}
		for i, s := range dec.Steps {
			if s.Step != register.Step(i+1) {
				t.Fatalf("trial %d: step %d recorded as %d", trial, i+1, s.Step)
			}
			if i > 0 && s.HeldOn.Before(dec.Steps[i-1].HeldOn) {
				t.Fatalf("trial %d: step %d dated before step %d", trial, i+1, i)
			}
			if !s.Passed && i != len(dec.Steps)-1 {
				t.Fatalf("trial %d: a step follows failed step %d", trial, i+1)
			}
			if s.Present > s.Required || s.Approve > s.Present || s.Approve < 0 {
				t.Fatalf("trial %d: bad counts recorded: %+v", trial, s)
			}
		}
		if dec.Status == register.DecisionAdopted {
			if len(dec.Steps) < 4 {
				t.Fatalf("trial %d: adopted after %d steps", trial, len(dec.Steps))
			}
			for _, s := range dec.Steps[2:4] {
				// The thresholds, written out again from the law.
				var quorum bool
				switch {
				case s.Step == register.StepResolution && s.Meeting == register.MeetingVillagers:
					quorum = s.Present*2 > s.Required
				default:
					quorum = s.Present*3 >= s.Required*2
				}
				if !quorum || s.Approve*2 <= s.Present || s.Required <= 0 {
					t.Fatalf("trial %d: adopted although step %d failed its thresholds: %+v", trial, s.Step, s)
				}
			}
			if dec.AdoptedOn != dec.Steps[3].HeldOn {
				t.Fatalf("trial %d: adopted on %v, resolution on %v", trial, dec.AdoptedOn, dec.Steps[3].HeldOn)
			}
		}
	}
}

func TestParseCount(t *testing.T) {
	if n, err := register.ParseCount(" 36 ", "present"); err != nil || n != 36 {
		t.Fatalf("got %d, %v", n, err)
	}
	if n, err := register.ParseCount("", "present"); err != nil || n != 0 {
		t.Fatalf("empty: got %d, %v", n, err)
	}
	_, err := register.ParseCount("三十", "present")
	checkProblem(t, err, register.ErrCount, "present")
}

package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// The demo's decisions (四议两公开): every contract that names its
// resolution rests on a decision of its collective, adopted before the
// contract is signed, with the minutes of its steps at realistic counts.
// The counts and dates come from a generator of their own, seeded by the
// contract, so that the villages' books (drawn from the plan's generator)
// stay exactly as they were.

// contractDecisions registers, in one transaction, the decision each
// contract of ins that names a resolution rests on, numbered after the
// contract's code (HT-2025-003 rests on decision 2025-003), and points the
// contract to it.
func (b *builder) contractDecisions(ctx context.Context, kj jiti.UserID, ins []store.ContractInput) error {
	var ds []register.Decision
	for x := range ins {
		c := &ins[x].Contract
		if c.ResolutionRef == "" {
			continue // the few the plan leaves without: the warning tells
		}
		c.ResolutionRef = strings.TrimPrefix(c.Code, "HT-")
		ds = append(ds, register.Decision{CollectiveID: c.CollectiveID, Number: c.ResolutionRef, Kind: register.DecideContract,
			Subject: c.Name, Steps: decisionSteps(c, ins[x].SignOn, jiti.Date{Year: b.span.To, Month: 12, Day: 31})})
	}
	if len(ds) == 0 {
		return nil
	}
	if _, err := b.db.CreateDecisions(ctx, kj, ds); err != nil {
		return fmt.Errorf("demo: decisions: %w", err)
	}
	return nil
}

// decisionSteps are the minutes of a contract's decision: proposal,
// deliberation and review in the weeks before the resolution, which falls
// five to five-and-thirty days before the signing, its publication the
// days after, and the publication of the result after the signing when
// that is within the demo's years.
func decisionSteps(c *register.Contract, signOn, last jiti.Date) []register.DecisionStep {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%s", c.Code, c.Party.Name, c.Start)
	rng := rand.New(rand.NewPCG(h.Sum64(), 0x4e11))
	if signOn.IsZero() {
		signOn = c.Start
	}
	resolved := signOn.AddDays(-(5 + rng.IntN(31)))
	review := resolved.AddDays(-(2 + rng.IntN(5)))
	deliberation := review.AddDays(-(2 + rng.IntN(6)))
	proposal := deliberation.AddDays(-(1 + rng.IntN(5)))
	// twoThirds is the fewest present for a quorum of two thirds.
	twoThirds := func(n int) int { return (2*n + 2) / 3 }
	majority := func(present int) int { return present - rng.IntN(present/3+1) } // always more than half
	branch := 3 + 2*rng.IntN(3)                                                  // 3, 5 or 7 members
	committees := branch + 2 + rng.IntN(5)
	partyMembers := 25 + rng.IntN(46)
	reviewPresent := twoThirds(partyMembers) + rng.IntN(partyMembers-twoThirds(partyMembers)+1)
	meeting, body := register.MeetingRepresentatives, 30+rng.IntN(31)
	if rng.IntN(5) == 0 {
		meeting, body = register.MeetingHouseholds, 150+rng.IntN(451)
	}
	present := twoThirds(body) + rng.IntN(body-twoThirds(body)+1)
	branchPresent := branch - rng.IntN(2)
	committeesPresent := committees - rng.IntN(3)
	steps := []register.DecisionStep{
		{Step: register.StepProposal, HeldOn: proposal, Required: branch, Present: branchPresent, Approve: branchPresent,
			Content: "支部委员会提议：" + c.Name},
		{Step: register.StepDeliberation, HeldOn: deliberation, Required: committees, Present: committeesPresent,
			Approve: majority(committeesPresent), Content: "村“两委”联席会议商议"},
		{Step: register.StepReview, HeldOn: review, Required: partyMembers, Present: reviewPresent, Approve: majority(reviewPresent),
			Content: "党员大会审议"},
		{Step: register.StepResolution, HeldOn: resolved, Meeting: meeting, Required: body, Present: present, Approve: majority(present),
			Content: "表决通过" + c.Name},
		{Step: register.StepPublishDecision, HeldOn: resolved.AddDays(rng.IntN(3)), Content: "村务公开栏公布决议"},
	}
	if result := signOn.AddDays(10 + rng.IntN(31)); !result.After(last) {
		steps = append(steps, register.DecisionStep{Step: register.StepPublishResult, HeldOn: result, Content: "村务公开栏公布合同签订结果"})
	}
	return steps
}

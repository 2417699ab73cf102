package web_test

import (
	"context"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// adoptDecision registers decision number (a contract's) of collective cid
// by user by and records its first four steps, which pass, the resolution
// on adopted.
func adoptDecision(t *testing.T, db *store.DB, by jiti.UserID, cid int64, number, subject, adopted string) *register.Decision {
	t.Helper()
	ctx := context.Background()
	d, err := db.CreateDecision(ctx, by, register.Decision{CollectiveID: cid, Number: number, Subject: subject, Kind: register.DecideContract})
	must(t, err)
	on := jiti.MustDate(adopted)
	for _, s := range []register.DecisionStep{
		{Step: register.StepProposal, HeldOn: on.AddDays(-20), Required: 5, Present: 5, Approve: 5},
		{Step: register.StepDeliberation, HeldOn: on.AddDays(-15), Required: 9, Present: 9, Approve: 9},
		{Step: register.StepReview, HeldOn: on.AddDays(-10), Required: 42, Present: 35, Approve: 33},
		{Step: register.StepResolution, HeldOn: on, Meeting: register.MeetingRepresentatives, Required: 45, Present: 38, Approve: 36},
	} {
		d, err = db.RecordDecisionStep(ctx, by, d.ID, s)
		must(t, err)
	}
	return d
}

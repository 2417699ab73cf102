package demo

import (
	"context"
	"testing"

	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// checkDecisions holds the demo's decisions (on contracts, members,
// shares and distributions) to their steps, and its contracts to their
// decisions: all but a few contracts point to an adopted decision of
// their collective on a contract, named by their resolution_ref and adopted before the signing,
// whose steps each met their thresholds (the register's rules, checked
// again here on what the database holds).
func checkDecisions(t *testing.T, db *store.DB) {
	ctx := context.Background()
	ds, err := db.FindDecisions(ctx, store.DecisionFilter{Region: CountyCode})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]*register.Decision{}
	for _, d := range ds {
		byID[d.ID] = d
		if d.Status != register.DecisionAdopted || len(d.Steps) < 5 {
			t.Errorf("decision %s: %s, %s, %d steps", d.Number, d.Status, d.Kind, len(d.Steps))
			continue
		}
		for _, s := range d.Steps {
			if !s.Passed || !s.Quorum() || !s.Majority() {
				t.Errorf("decision %s step %d: %+v", d.Number, s.Step, s)
			}
		}
		if d.AdoptedOn != d.Steps[3].HeldOn {
			t.Errorf("decision %s adopted on %v, resolved on %v", d.Number, d.AdoptedOn, d.Steps[3].HeldOn)
		}
	}
	cs, err := db.FindContracts(ctx, store.ContractFilter{Region: CountyCode})
	if err != nil {
		t.Fatal(err)
	}
	without := 0
	for _, c := range cs {
		if c.DecisionID == 0 {
			without++
			continue
		}
		d := byID[c.DecisionID]
		if d == nil || d.CollectiveID != c.CollectiveID || d.Number != c.ResolutionRef || c.SignedOn.Before(d.AdoptedOn) ||
			d.Kind != register.DecideContract {
			t.Errorf("contract %s rests on %+v", c.Code, d)
		}
	}
	if len(cs) == 0 || without == 0 || without*10 > len(cs) {
		t.Errorf("%d of %d contracts without a decision: want a few", without, len(cs))
	}
}

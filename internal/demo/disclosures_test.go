package demo

import (
	"context"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestBuildDisclosures builds one township and finds every village's
// four quarters of 2025 published, every seventh corrected (its second
// quarter in two versions, the first still readable), each snapshot
// adding up, and verify content with all of them.
func TestBuildDisclosures(t *testing.T) {
	ctx := context.Background()
	db := afterYear(storetest.OpenSQLite(t), 2025)
	town := townships()[0].Code
	if _, err := Build(ctx, db, Options{Seed: 1, Townships: []string{town}}); err != nil {
		t.Fatal(err)
	}
	cs, err := db.FindCollectives(ctx, town)
	if err != nil {
		t.Fatal(err)
	}
	corrected := 0
	for _, c := range cs {
		ds, err := db.PublishedDisclosures(ctx, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		want := 4
		if c.ID%correctEvery == 0 {
			want, corrected = 5, corrected+1
		}
		if len(ds) != want {
			t.Errorf("%s: %d published, want %d", c.Code, len(ds), want)
			continue
		}
		seen := map[string]int{}
		for _, d := range ds {
			seen[d.Period]++
			full, err := db.PublishedDisclosure(ctx, c.Code, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := disclose.Parse(full.Content); err != nil || disclose.Hash(full.Content) != d.Hash {
				t.Errorf("%s %s v%d: %v", c.Code, d.Period, d.Version, err)
			}
		}
		if seen["2025Q1"] != 1 || seen["2025Q4"] != 1 || seen["2025Q2"] != want-3 {
			t.Errorf("%s: quarters %v", c.Code, seen)
		}
	}
	if corrected == 0 {
		t.Error("no village corrected a quarter")
	}
	rep, err := db.Verify(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Errorf("verify: %+v", rep.Problems[:min(5, len(rep.Problems))])
	}
	// The warnings of the township hold no quarter of 2025 undisclosed.
	ws, err := db.Warnings(ctx, store.WarningFilter{Region: town, Today: jiti.DateOf(db.Now())})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if w.Kind == "no_disclosure" {
			t.Errorf("warning %+v", w)
		}
	}
}

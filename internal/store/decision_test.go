package store_test

import (
	"fmt"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// passingSteps are the six steps of a decision that passes each, its
// resolution (step 4) held on adopted and the others around it.
func passingSteps(adopted string) []register.DecisionStep {
	on := D(adopted)
	return []register.DecisionStep{
		{Step: register.StepProposal, HeldOn: on.AddDays(-20), Required: 5, Present: 5, Approve: 5, Content: "支部委员会提议"},
		{Step: register.StepDeliberation, HeldOn: on.AddDays(-15), Required: 9, Present: 9, Approve: 8},
		{Step: register.StepReview, HeldOn: on.AddDays(-10), Required: 42, Present: 35, Approve: 33},
		{Step: register.StepResolution, HeldOn: on, Meeting: register.MeetingRepresentatives, Required: 45, Present: 38, Approve: 36},
		{Step: register.StepPublishDecision, HeldOn: on.AddDays(1), Content: "村务公开栏"},
		{Step: register.StepPublishResult, HeldOn: on.AddDays(30), Content: "村务公开栏"},
	}
}

// addDecision registers an open decision by the accountant.
func addDecision(t testing.TB, f *storetest.Fixture, cid int64, number string, kind register.DecisionKind) *register.Decision {
	t.Helper()
	d, err := f.DB.CreateDecision(bg, f.Accountant, register.Decision{CollectiveID: cid, Number: number, Subject: "事项" + number, Kind: kind})
	ok(t, err)
	return d
}

// adoptDecision registers decision number of collective cid and records its
// first four steps, which pass, the resolution on adopted.
func adoptDecision(t testing.TB, f *storetest.Fixture, cid int64, number string, kind register.DecisionKind, adopted string) *register.Decision {
	t.Helper()
	d := addDecision(t, f, cid, number, kind)
	for _, s := range passingSteps(adopted)[:4] {
		var err error
		d, err = f.DB.RecordDecisionStep(bg, f.Accountant, d.ID, s)
		ok(t, err)
	}
	if d.Status != register.DecisionAdopted {
		t.Fatalf("decision %s not adopted: %s", number, d.Status)
	}
	return d
}

func TestDB_Decisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a, b := f.A.ID, f.B.ID
		d := addDecision(t, f, a, " 2025-03 ", register.DecideContract)
		if d.Number != "2025-03" || d.Status != register.DecisionOpen || d.Reached != 0 {
			t.Fatalf("created %+v", d)
		}
		ev := lastEvent(t, db, "decision.create")
		if ev.EntityID != fmt.Sprint(d.ID) || ev.CollectiveID != a {
			t.Fatalf("create event %+v", ev)
		}
		_, err := db.CreateDecision(bg, f.Accountant, register.Decision{CollectiveID: a, Number: "2025-03", Subject: "再次", Kind: register.DecideOther})
		wantErr(t, err, store.ErrDecisionNumberTaken, "number")
		// The same number in another collective is another decision.
		addDecision(t, f, b, "2025-03", register.DecideDisposal)
		_, err = db.CreateDecision(bg, f.Approver, register.Decision{CollectiveID: a, Number: "2025-09", Subject: "审核员", Kind: register.DecideOther})
		if err == nil {
			t.Fatal("a user who does not keep the books created a decision")
		}

		steps := passingSteps("2025-03-20")
		for i, s := range steps {
			got, err := db.RecordDecisionStep(bg, f.Accountant, d.ID, s)
			ok(t, err)
			if got.Reached != s.Step || len(got.Steps) != i+1 || !got.Steps[i].Passed {
				t.Fatalf("after step %d: %+v", i+1, got)
			}
			if i == 3 && (got.Status != register.DecisionAdopted || got.AdoptedOn != D("2025-03-20")) {
				t.Fatalf("step 4 left %s adopted on %v", got.Status, got.AdoptedOn)
			}
			if i == 1 {
				// Out of order: step 4 before step 3 is refused.
				_, err := db.RecordDecisionStep(bg, f.Accountant, d.ID, steps[3])
				wantErr(t, err, register.ErrStepOrder, "step")
			}
		}
		ev = lastEvent(t, db, "decision.step")
		if m := decode(t, ev.New); m["status"] != "adopted" || len(m["steps"].([]any)) != 6 {
			t.Fatalf("step event holds %v", m)
		}
		got, err := db.FindDecision(bg, d.ID)
		ok(t, err)
		if got.Steps[3].Meeting != register.MeetingRepresentatives || got.Steps[2].Present != 35 || got.Steps[0].Content != "支部委员会提议" {
			t.Fatalf("read back %+v", got.Steps)
		}
		_, err = db.RecordDecisionStep(bg, f.Accountant, d.ID, register.DecisionStep{Step: 7, HeldOn: D("2025-06-01")})
		wantErr(t, err, register.ErrDecisionComplete, "step")

		// A review short of its quorum fails the decision, which stops.
		failed := addDecision(t, f, a, "2025-04", register.DecideBorrowing)
		fs := passingSteps("2025-04-20")
		fs[2].Present, fs[2].Approve = 27, 27 // of 42: below two thirds
		for _, s := range fs[:3] {
			_, err := db.RecordDecisionStep(bg, f.Accountant, failed.ID, s)
			ok(t, err)
		}
		_, err = db.RecordDecisionStep(bg, f.Accountant, failed.ID, fs[3])
		wantErr(t, err, register.ErrDecisionStopped, "step")
		got, err = db.FindDecision(bg, failed.ID)
		ok(t, err)
		if got.Status != register.DecisionFailed || got.Reached != register.StepReview || got.Steps[2].Passed || !got.AdoptedOn.IsZero() {
			t.Fatalf("failed decision reads %+v", got)
		}
		// A refused step writes nothing.
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM decision_steps WHERE decision_id = %d`, failed.ID); n != 3 {
			t.Fatalf("%d steps stored, want 3", n)
		}

		// Lists by collective, region, kind, status and year.
		list := func(f store.DecisionFilter) []string {
			ds, err := db.FindDecisions(bg, f)
			ok(t, err)
			var out []string
			for _, d := range ds {
				out = append(out, d.Number+"/"+string(d.Status))
			}
			return out
		}
		for _, c := range []struct {
			f    store.DecisionFilter
			want []string
		}{
			{store.DecisionFilter{CollectiveID: a}, []string{"2025-03/adopted", "2025-04/failed"}},
			{store.DecisionFilter{CollectiveID: a, Status: register.DecisionAdopted}, []string{"2025-03/adopted"}},
			{store.DecisionFilter{Region: "620422", Kind: register.DecideDisposal}, []string{"2025-03/open"}},
			{store.DecisionFilter{Region: "620422", Year: 2025}, []string{"2025-03/adopted", "2025-04/failed"}},
			{store.DecisionFilter{Region: "620422", Year: 2024}, nil},
		} {
			if got := list(c.f); !equalStrings(got, c.want) {
				t.Errorf("%+v: got %v, want %v", c.f, got, c.want)
			}
		}
		// Nothing deletes or changes a step through the store; the event
		// chain still verifies.
		rep, err := db.Verify(bg, 0)
		ok(t, err)
		if !rep.OK() {
			t.Fatalf("verify: %+v", rep)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A contract's resolution_ref names an adopted decision of its collective
// on a contract (Tx.adoptedDecision): it is stored as the decision's id,
// and each way it can fail is named on the field.
func TestDB_ContractDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a, b := f.A.ID, f.B.ID
		adopted := adoptDecision(t, f, a, "2025-01", register.DecideContract, "2025-02-10")
		addDecision(t, f, a, "2025-02", register.DecideContract) // open
		adoptDecision(t, f, a, "2025-05", register.DecideDisposal, "2025-02-10")
		adoptDecision(t, f, b, "2025-06", register.DecideContract, "2025-02-10")
		x := addAsset(t, f, asset(a, "ZC-D1", "2025-01-01", "1000", 60))
		lease := func(code, ref string) register.Contract {
			c := contract(a, code, register.Lease, "2025-03-01", "2026-02-28", "1200", register.Yearly, subjectAsset(x.ID))
			c.ResolutionRef = ref
			return c
		}
		for _, c := range []struct {
			ref  string
			want *jiti.Error
		}{
			{"2025-99", store.ErrDecisionUnknown},
			{"2025-02", store.ErrDecisionNotAdopted},
			{"2025-05", store.ErrDecisionKindOther},
			{"2025-06", store.ErrDecisionUnknown}, // another collective's
		} {
			_, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: lease("HT-D0", c.ref)})
			wantErr(t, err, c.want, "resolution_ref")
		}
		// Registered already signed before its decision was adopted.
		_, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: lease("HT-D0", "2025-01"), SignOn: D("2025-02-01")})
		wantErr(t, err, store.ErrDecisionAfterTheAct, "resolution_ref")

		c, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: lease("HT-D1", " 2025-01 ")})
		ok(t, err)
		if c.DecisionID != adopted.ID || findContract(t, db, c.ID).DecisionID != adopted.ID {
			t.Fatalf("contract points to decision %d, want %d", c.DecisionID, adopted.ID)
		}
		// Signing before the decision's adoption is refused, on it allowed.
		err = db.SignContract(bg, f.Accountant, c.ID, D("2025-02-09"))
		wantErr(t, err, store.ErrDecisionAfterTheAct, "resolution_ref")
		ok(t, db.SignContract(bg, f.Accountant, c.ID, D("2025-02-10")))

		// The warning: a lease with no decision, and one whose reference
		// is free text from before the register, both lack a decision;
		// the one pointing to an adopted decision does not.
		y := addAsset(t, f, asset(a, "ZC-D2", "2025-01-01", "1000", 60))
		none := addContract(t, f, contract(a, "HT-D2", register.Lease, "2025-03-01", "2026-02-28", "1200", register.Yearly, subjectAsset(y.ID)), "2025-03-01")
		ok(t, storetest.Exec(db, `UPDATE contracts SET resolution_ref = '南什村村民代表会议决议〔2024〕3号' WHERE id = ?`, none.ID))
		ws, err := db.Warnings(bg, store.WarningFilter{CollectiveID: a, Today: D("2025-03-05")})
		ok(t, err)
		var missing []int64
		for _, w := range ws {
			if w.Kind == register.WarnNoResolution {
				missing = append(missing, w.ContractID)
			}
		}
		if len(missing) != 1 || missing[0] != none.ID {
			t.Fatalf("no_resolution for %v, want only %d", missing, none.ID)
		}
	})
}

// An asset's disposal may name its decision (kind disposal), adopted by
// the disposal's date; the asset row keeps the decision's id and the
// disposal's audit event its number.
func TestDB_DisposalDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		dec := adoptDecision(t, f, a, "2025-07", register.DecideDisposal, "2025-04-10")
		adoptDecision(t, f, a, "2025-08", register.DecideContract, "2025-04-10")
		x := addAsset(t, f, asset(a, "ZC-X1", "2025-01-01", "1000", 60))
		d := store.Disposal{Date: D("2025-04-09"), Reason: "报废处置", Decision: "2025-07"}
		_, err := db.DisposeAsset(bg, f.Accountant, x.ID, d)
		wantErr(t, err, store.ErrDecisionAfterTheAct, "decision")
		d.Date, d.Decision = D("2025-04-12"), "2025-08"
		_, err = db.DisposeAsset(bg, f.Accountant, x.ID, d)
		wantErr(t, err, store.ErrDecisionKindOther, "decision")
		d.Decision = "2025-07"
		_, err = db.DisposeAsset(bg, f.Accountant, x.ID, d)
		ok(t, err)
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM assets WHERE id = %d AND disposal_decision_id = %d`, x.ID, dec.ID); n != 1 {
			t.Fatal("the asset does not keep its disposal's decision")
		}
		if m := decode(t, lastEvent(t, db, "asset.status").New); m["decision"] != "2025-07" {
			t.Fatalf("disposal event holds decision %v", m["decision"])
		}
		rep, err := db.Verify(bg, 0)
		ok(t, err)
		if !rep.OK() {
			t.Fatalf("verify: %+v", rep)
		}
	})
}

// CreateDecisions brings in decisions with their steps, all or none.
func TestDB_CreateDecisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		good := register.Decision{CollectiveID: a, Number: "2024-01", Subject: "发包鱼塘", Kind: register.DecideContract,
			Steps: passingSteps("2024-03-10")[:5]}
		bad := register.Decision{CollectiveID: a, Number: "2024-02", Subject: "出租库房", Kind: register.DecideContract,
			Steps: passingSteps("2024-04-10")}
		bad.Steps[3].Present = bad.Steps[3].Required + 1
		_, err := db.CreateDecisions(bg, f.Accountant, []register.Decision{good, bad})
		wantErr(t, err, register.ErrPresentExceeds, "items[2].present")
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM decisions`); n != 0 {
			t.Fatalf("%d decisions kept of a refused batch", n)
		}
		bad.Steps[3].Present = 40
		ds, err := db.CreateDecisions(bg, f.Accountant, []register.Decision{good, bad})
		ok(t, err)
		if len(ds) != 2 || ds[0].Status != register.DecisionAdopted || ds[0].Reached != 5 || ds[1].Reached != 6 {
			t.Fatalf("created %+v", ds)
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'decision.step'`); n != 11 {
			t.Fatalf("%d step events, want 11", n)
		}
	})
}

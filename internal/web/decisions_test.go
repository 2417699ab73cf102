package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// adoptDecision registers decision number (a contract's) of collective cid
// by user by and records its first four steps, which pass, the resolution
// on adopted.
func adoptDecision(t *testing.T, db *store.DB, by jiti.UserID, cid int64, number, subject, adopted string) *register.Decision {
	t.Helper()
	return adoptKind(t, db, by, cid, register.DecideContract, number, subject, adopted)
}

// adoptKind is adoptDecision of a decision of kind.
func adoptKind(t *testing.T, db *store.DB, by jiti.UserID, cid int64, kind register.DecisionKind, number, subject, adopted string) *register.Decision {
	t.Helper()
	ctx := context.Background()
	d, err := db.CreateDecision(ctx, by, register.Decision{CollectiveID: cid, Number: number, Subject: subject, Kind: kind})
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

// TestDecisionPages registers a decision through its form, records its
// steps one by one (a wrong count comes back beside its field), shows its
// six steps with their ratios, lists it with its status, and lets only
// those who keep the books act, only on their collectives' decisions.
func TestDecisionPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.f.A.ID
		c := w.client(t, "kuaiji")
		base := fmt.Sprintf("%s/c/%d/decisions", w.srv.URL, a)
		code, body := get(t, c, base)
		if code != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`href="/c/%d/decisions/new"`, a)) {
			t.Fatalf("decisions register: status %d, or without the new decision button", code)
		}
		code, body, _ = postTo(t, c, base+"/new", url.Values{"number": {"2025-03"}, "subject": {""}, "kind": {"contract"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("no subject: status %d, want 422", code)
		}
		wantFieldError(t, body, "subject", "no subject")
		if !strings.Contains(body, `value="2025-03"`) {
			t.Errorf("the number typed is lost")
		}
		code, _, loc := postTo(t, c, base+"/new", url.Values{"number": {"2025-03"}, "subject": {"南什村河滩地发包"}, "kind": {"contract"}})
		if code != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=decision") {
			t.Fatalf("new decision: status %d to %q", code, loc)
		}
		page := w.srv.URL + strings.TrimSuffix(loc, "?done=decision")
		_, body = get(t, c, w.srv.URL+loc)
		for _, want := range []string{"决策事项已登记", "南什村河滩地发包", "进行中", "尚未进行", "记录第1步：党支部提议"} {
			if !strings.Contains(body, want) {
				t.Errorf("the new decision's page lacks %q", want)
			}
		}
		step := func(form url.Values) (int, string, string) {
			t.Helper()
			return postTo(t, c, page+"/step", form)
		}
		code, body, _ = step(url.Values{"held_on": {"2025-03-01"}, "required": {"5"}, "present": {"5"}, "approve": {"6"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("more approving than present: status %d, want 422", code)
		}
		wantFieldError(t, body, "approve", "more approving than present")
		code, body, _ = step(url.Values{"held_on": {"2025-03-01"}, "required": {"五"}, "present": {"5"}, "approve": {"5"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("a count in words: status %d, want 422", code)
		}
		wantFieldError(t, body, "required", "a count in words")
		for _, f := range []url.Values{
			{"held_on": {"2025-03-01"}, "required": {"5"}, "present": {"5"}, "approve": {"5"}, "content": {"支部提议发包河滩地"}},
			{"held_on": {"2025-03-03"}, "required": {"9"}, "present": {"8"}, "approve": {"8"}},
			{"held_on": {"2025-03-06"}, "required": {"36"}, "present": {"24"}, "approve": {"13"}},
		} {
			if code, _, loc := step(f); code != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=decision_step_passed") {
				t.Fatalf("step on %s: status %d to %q", f.Get("held_on"), code, loc)
			}
		}
		code, body = get(t, c, page+"/step")
		if code != http.StatusOK || !strings.Contains(body, `name="meeting"`) || !strings.Contains(body, "村民代表会议") {
			t.Fatalf("step 4's form: status %d, or without the meeting", code)
		}
		code, body, _ = step(url.Values{"held_on": {"2025-03-10"}, "required": {"45"}, "present": {"30"}, "approve": {"16"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("step 4 without its meeting: status %d", code)
		}
		wantFieldError(t, body, "meeting", "step 4 without its meeting")
		if code, _, _ := step(url.Values{"held_on": {"2025-03-10"}, "meeting": {"representatives"}, "required": {"45"}, "present": {"30"},
			"approve": {"16"}}); code != http.StatusSeeOther {
			t.Fatalf("step 4: status %d", code)
		}
		_, body = get(t, c, page)
		// Step 3: 24 of 36 present (66.7 %), 13 of 24 approving (54.2 %).
		for _, want := range []string{"已通过", "2025-03-10", "66.7%", "54.2%", "支部提议发包河滩地", "村民代表会议", "记录第5步：决议公开"} {
			if !strings.Contains(body, want) {
				t.Errorf("the adopted decision's page lacks %q", want)
			}
		}
		_, body = get(t, c, base)
		if row := tableRow(body, "南什村河滩地发包"); !strings.Contains(row, "第4步") || !strings.Contains(row, "已通过") {
			t.Errorf("the register's row is %q", row)
		}
		_, body = get(t, c, base+"?status=failed")
		if strings.Contains(body, "南什村河滩地发包") {
			t.Errorf("an adopted decision is listed as failed")
		}

		// A decision whose review lacks its quorum stops there.
		failed, err := db.CreateDecision(context.Background(), w.users["kuaiji"], register.Decision{CollectiveID: a, Number: "2025-05",
			Subject: "出售旧村部", Kind: register.DecideDisposal})
		must(t, err)
		fp := fmt.Sprintf("%s/%d", base, failed.ID)
		for _, f := range []url.Values{
			{"held_on": {"2025-05-01"}, "required": {"5"}, "present": {"5"}, "approve": {"5"}},
			{"held_on": {"2025-05-02"}, "required": {"9"}, "present": {"9"}, "approve": {"9"}},
		} {
			postTo(t, c, fp+"/step", f)
		}
		code, _, loc = postTo(t, c, fp+"/step", url.Values{"held_on": {"2025-05-03"}, "required": {"36"}, "present": {"23"}, "approve": {"23"}})
		if code != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=decision_step_failed") {
			t.Fatalf("failing review: status %d to %q", code, loc)
		}
		_, body = get(t, c, w.srv.URL+loc)
		for _, want := range []string{"未获通过", "已终止", "63.9%"} {
			if !strings.Contains(body, want) {
				t.Errorf("the failed decision's page lacks %q", want)
			}
		}
		if strings.Contains(body, "/step") {
			t.Errorf("a failed decision offers a next step")
		}
		if code, _, _ := postTo(t, c, fp+"/step", url.Values{"held_on": {"2025-05-04"}, "meeting": {"villagers"}, "required": {"900"},
			"present": {"600"}, "approve": {"500"}}); code != http.StatusConflict {
			t.Errorf("a step after the failed one: status %d, want 409", code)
		}

		// The approver reads but does not act; another collective's
		// accountant does not see it.
		sh := w.client(t, "shenhe")
		code, body = get(t, sh, page)
		if code != http.StatusOK || strings.Contains(body, "/step") {
			t.Errorf("the approver: status %d, or offered the next step", code)
		}
		if code, _, _ := postTo(t, sh, page+"/step", url.Values{"held_on": {"2025-03-11"}}); code != http.StatusForbidden {
			t.Errorf("the approver records a step: status %d, want 403", code)
		}
		gc := w.client(t, "gckuaiji")
		if code, _ := get(t, gc, page); code != http.StatusNotFound {
			t.Errorf("another township's accountant: status %d, want 404", code)
		}
		if code, _ := get(t, c, fmt.Sprintf("%s/c/%d/decisions/%d", w.srv.URL, w.O.ID, failed.ID)); code != http.StatusNotFound {
			t.Errorf("A's decision under O's address: status %d, want 404", code)
		}
	})
}

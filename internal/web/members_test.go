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

// The people of the members' tests: their numbers in clear must never be
// in any answer.
var (
	wangID  = storetest.IDNumber("62042219800312003")
	liID    = storetest.IDNumber("62042219820705002")
	otherID = storetest.IDNumber("62042219900101005")
)

// memberBody is a member to confirm through the API, in collective A.
var memberBody = fmt.Sprintf(`{"code": "M900", "name": "赵六", "id_number": %q, "sex": "male", "born_on": "1990-01-01",
 "household": "H001", "relation": "child", "basis": "birth", "confirmed_on": "2020-03-01", "decision": "2020-01"}`, otherID.Reveal())

// addMembers gives collective A household H003 (王建国's, with 113 owed)
// and two members, and both A and O an adopted membership decision 2020-01.
func addMembers(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	for _, c := range []int64{w.f.A.ID, w.O.ID} {
		storetest.MembershipDecision(t, w.db, c, "2020-01", "2020-01-05")
	}
	storetest.MembershipDecision(t, w.db, w.f.A.ID, "2025-05", "2025-05-10")
	by := w.users["kuaiji"]
	must(t, w.db.CreateHouseholds(ctx, by, w.f.A.ID, []store.Household{{Code: "H003", Name: "王建国", Group: "一组", Address: "南什村一社12号"}}))
	must(t, w.db.CreateMembers(ctx, by, w.f.A.ID, []register.Member{
		{Code: "M001", Name: "王建国", IDNumber: wangID, Household: "H003", Relation: register.RelHead, Basis: register.BasisOriginal,
			ConfirmedOn: jiti.MustDate("2020-02-01"), Decision: "2020-01"},
		{Code: "M002", Name: "李秀英", IDNumber: liID, Household: "H003", Relation: register.RelSpouse, Basis: register.BasisMarriage,
			ConfirmedOn: jiti.MustDate("2020-02-01"), Decision: "2020-01"},
	}))
	owed := storetest.Line("垫付王建国医药费", "113", "350")
	owed.Household = "H003"
	w.f.Post(t, w.f.A.ID, "2025-06-05", owed, storetest.Line("垫付王建国医药费", "10201", "-350"))
}

// noClearIDs fails if an answer holds a member's identity number in clear.
func noClearIDs(t *testing.T, what, body string) {
	t.Helper()
	for _, id := range []jiti.IDNumber{wangID, liID, otherID} {
		if strings.Contains(body, id.Reveal()) {
			t.Errorf("%s shows the identity number %s in clear", what, id)
		}
	}
}

func TestMembers_Pages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addMembers(t, w)
		c := w.client(t, "kuaiji")
		base := fmt.Sprintf("%s/c/%d", w.srv.URL, w.f.A.ID)
		check := func(what string, code int, body string, wants ...string) {
			t.Helper()
			if code != http.StatusOK {
				t.Fatalf("%s: status %d\n%s", what, code, body)
			}
			noClearIDs(t, what, body)
			for _, s := range wants {
				if !strings.Contains(body, s) {
					t.Errorf("%s lacks %q", what, s)
				}
			}
		}
		code, body := get(t, c, base)
		check("collective", code, body, "/members")
		code, body = get(t, c, base+"/members")
		check("register", code, body, "王建国", "李秀英", wangID.String(), liID.String(), "H003", "2020-01")
		// By pinyin initials, and by a whole number sent in the body.
		code, body = get(t, c, base+"/members?query=lxy")
		check("by initials", code, body, "李秀英")
		if strings.Contains(body, ">王建国<") {
			t.Errorf("lxy finds 王建国")
		}
		code, body = post(t, c, base+"/members", url.Values{"query": {wangID.Reveal()}})
		check("by ID number", code, body, "王建国", wangID.String())
		if strings.Contains(body, "李秀英") {
			t.Errorf("the ID number of 王建国 finds 李秀英")
		}
		code, body = get(t, c, base+"/members?format=xlsx")
		if code != http.StatusOK || !strings.HasPrefix(body, "PK") {
			t.Errorf("xlsx: %d", code)
		}
		code, body = get(t, c, base+"/members?print=1")
		check("print", code, body, "王建国")

		// The card, and an exit on its decision through its form; marriage,
		// not offered, is refused if sent.
		ms, err := db.FindMembers(context.Background(), store.MemberFilter{CollectiveID: w.f.A.ID, Query: "M002"})
		must(t, err)
		card := fmt.Sprintf("%s/members/%d", base, ms[0].ID)
		code, body = get(t, c, card)
		check("card", code, body, "李秀英", liID.String(), "/status", "joined_other")
		if strings.Contains(body, `value="marriage"`) {
			t.Errorf("the form offers marriage as a reason")
		}
		code, body = post(t, c, card+"/status", url.Values{"status": {"exited"}, "date": {"2025-06-01"}, "reason": {"marriage"}, "decision": {"2025-05"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "婚嫁、离婚不是终止成员身份的理由") {
			t.Errorf("marriage: %d\n%s", code, body)
		}
		code, _ = post(t, c, card+"/status", url.Values{"status": {"exited"}, "date": {"2025-06-01"}, "reason": {"joined_other"},
			"decision": {"2025-05"}, "note": {"嫁入外村"}})
		if code != http.StatusSeeOther {
			t.Fatalf("exit: %d", code)
		}
		corrected := "李秀瑛"
		must(t, db.CorrectMember(context.Background(), w.users["kuaiji"], ms[0].ID, register.Correction{On: jiti.MustDate("2025-06-02"),
			Note: "按户口簿更正", Name: &corrected}))
		code, body = get(t, c, card+"?done=member_status")
		check("card after the exit", code, body, "成员状态已变更", "李秀瑛", "姓名 李秀英 → 李秀瑛", "按户口簿更正", liID.String(), "婚入", "2020-01", "2025-05", "取得其他集体经济组织成员身份", "嫁入外村", "/households/H003")
		// Another collective's member is not found under A.
		code, _ = get(t, w.client(t, "guocheng"), fmt.Sprintf("%s/c/%d/members/%d", w.srv.URL, w.O.ID, ms[0].ID))
		if code != http.StatusNotFound {
			t.Errorf("A's member under O: %d", code)
		}

		// The household: head, group, address, members, 113.
		code, body = get(t, c, base+"/households/H003")
		check("household", code, body, "M001 王建国", "一组", "南什村一社12号", "李秀瑛", "350.00")
		code, body = get(t, c, base+"/households")
		check("households", code, body, "H001", "H003", "一组")
	})
}

func TestAPI_Members(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addMembers(t, w)
		kj := w.apiAs(t, "kuaiji")
		a := fmt.Sprintf("/collectives/%d", w.f.A.ID)

		ans := kj.get(a+"/members?limit=1").want(t, http.StatusOK, "members")
		noClearIDs(t, "list", ans.raw)
		if ans.json["total"] != float64(2) || len(ans.json["members"].([]any)) != 1 || !strings.Contains(ans.header.Get("Link"), `rel="next"`) {
			t.Errorf("page: %s %v", ans.raw, ans.header.Get("Link"))
		}
		ans = kj.get(a+"/members?q="+wangID.Reveal()).want(t, http.StatusOK, "by ID")
		noClearIDs(t, "by ID", ans.raw)
		if ms := ans.json["members"].([]any); len(ms) != 1 || ms[0].(map[string]any)["id_number"] != wangID.String() {
			t.Errorf("by ID: %s", ans.raw)
		}
		kj.get(a+"/households").want(t, http.StatusOK, "households")

		// Confirm one; the same person again is a conflict naming A.
		ans = kj.do("POST", a+"/members", memberBody).want(t, http.StatusCreated, "create")
		noClearIDs(t, "create", ans.raw)
		id := int64(ans.json["id"].(float64))
		if ans.header.Get("ETag") == "" || ans.header.Get("Location") != fmt.Sprintf("/api/v1/members/%d", id) {
			t.Errorf("create headers: %v", ans.header)
		}
		other := w.apiAs(t, "gckuaiji")
		again := strings.NewReplacer("M900", "H900", `"H001"`, "null").Replace(memberBody)
		ans = other.do("POST", fmt.Sprintf("/collectives/%d/members", w.O.ID), again)
		ans.wantError(t, http.StatusConflict, "member.active_elsewhere", "id_number", "confirmed twice")
		if msg := ans.raw; !strings.Contains(msg, w.f.A.Code) || strings.Contains(msg, otherID.Reveal()) {
			t.Errorf("the conflict names A, never the number: %s", msg)
		}

		// Its status, with If-Match.
		got := kj.get(fmt.Sprintf("/members/%d", id)).want(t, http.StatusOK, "member")
		tag := got.header.Get("ETag")
		kj.do("POST", fmt.Sprintf("/members/%d/status", id), `{"status": "exited", "date": "2025-06-01", "reason": "marriage", "decision": "2025-05"}`).
			wantError(t, http.StatusUnprocessableEntity, "member.marriage_keeps", "reason", "marriage")
		kj.header.Set("If-Match", `"stale"`)
		kj.do("POST", fmt.Sprintf("/members/%d/status", id), `{"status": "exited", "date": "2025-06-01", "reason": "joined_other", "decision": "2025-05"}`).
			want(t, http.StatusPreconditionFailed, "stale tag")
		kj.header.Set("If-Match", tag)
		ans = kj.do("POST", fmt.Sprintf("/members/%d/status", id), `{"status": "exited", "date": "2025-06-01", "reason": "joined_other", "decision": "2025-05"}`).
			want(t, http.StatusOK, "exit")
		kj.header.Del("If-Match")
		if h := ans.json["history"].([]any); len(h) != 2 || ans.json["status"] != "exited" {
			t.Errorf("after the exit: %s", ans.raw)
		}
		// Now O may confirm them.
		other.do("POST", fmt.Sprintf("/collectives/%d/members", w.O.ID), again).want(t, http.StatusCreated, "confirmed after the exit")

		// Out of scope reads as absent.
		other.get(fmt.Sprintf("/members/%d", id)).want(t, http.StatusNotFound, "out of scope")
		other.get(a+"/members").want(t, http.StatusNotFound, "out of scope")
	})
}

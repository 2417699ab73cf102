package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestPages_LatestPostedYear opens the pages that take a year or a month
// without one: the world's books are posted in 2025 and its clock reads
// January 2026, so each must open on 2025 (A's latest posted month is
// March; its May voucher is a draft), not on an empty 2026.
func TestPages_LatestPostedYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.client(t, "admin")
		a := w.f.A.ID
		for _, tt := range []struct {
			page string
			want []string
		}{
			{"/r/620422", []string{"2025年", `/r/620422/line/total_income?year=2025`}},
			{"/r/620422100", []string{"2025年", `<option value="2025" selected>`}},
			{"/r/620422/line/total_income", []string{"· 2025</span>", "1,200.00"}},
			{"/r/620422/tier/1", []string{"· 2025</span>"}},
			{fmt.Sprintf("/c/%d/figure/total_income", a), []string{"· 2025</span>", "收南什村鱼塘租金"}},
			{fmt.Sprintf("/c/%d/balance-sheet", a), []string{"2025年3月"}},
			{fmt.Sprintf("/c/%d/income", a), []string{"2025年1—3月"}},
			{fmt.Sprintf("/c/%d/trial-balance", a), []string{`name="from" value="2025-01"`, `name="to" value="2025-03"`}},
			{fmt.Sprintf("/c/%d/ledger", a), []string{`name="from" value="2025-01"`, `name="to" value="2025-03"`}},
		} {
			code, body := get(t, c, w.srv.URL+tt.page)
			if code != http.StatusOK {
				t.Errorf("%s: status %d", tt.page, code)
				continue
			}
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %q", tt.page, want)
				}
			}
			if strings.Contains(body, "2026年") || strings.Contains(body, "2026-") {
				t.Errorf("%s shows 2026, a year without books", tt.page)
			}
		}
		// The API's defaults are the same.
		api := w.apiAs(t, "admin")
		var stats struct {
			Year int `json:"year"`
		}
		must(t, json.Unmarshal([]byte(api.get("/regions/620422/stats").want(t, http.StatusOK, "stats").raw), &stats))
		if stats.Year != 2025 {
			t.Errorf("API stats default to %d, want 2025", stats.Year)
		}
		var tb struct {
			From string `json:"from"`
			To   string `json:"to"`
		}
		must(t, json.Unmarshal([]byte(api.get(fmt.Sprintf("/collectives/%d/trial-balance", a)).want(t, http.StatusOK, "trial balance").raw), &tb))
		if tb.From != "2025-01" || tb.To != "2025-03" {
			t.Errorf("API trial balance defaults to %s–%s, want 2025-01–2025-03", tb.From, tb.To)
		}
	})
}

// TestPages_BadYear asks for a year, naming the field, where a page's year
// is not one.
func TestPages_BadYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.client(t, "admin")
		for _, page := range []string{"/r/620422?year=abc", "/r/620422/line/total_income?year=20255",
			fmt.Sprintf("/c/%d/figure/total_income?year=2025-03", w.f.A.ID), "/r/620422/warnings?year=x"} {
			code, body := get(t, c, w.srv.URL+page)
			if code != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", page, code)
			}
			if !strings.Contains(body, "年度：") || !strings.Contains(body, "请输入年份，如2025") {
				t.Errorf("%s does not ask for a year: %s", page, textOf(body))
			}
		}
	})
}

// TestPages_PastYearWarnings takes a past year's warnings on its 31
// December: A's lease has its first instalment (due 2025-01-01) in arrears
// then, and its second (due 2026-01-01) only since; the current year's
// are taken today (2026-01-20).
func TestPages_PastYearWarnings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addPageRecords(t, w)
		c := w.client(t, "admin")
		arrears := func(page string) string {
			t.Helper()
			code, body := get(t, c, w.srv.URL+page)
			if code != http.StatusOK {
				t.Fatalf("%s: status %d", page, code)
			}
			i := strings.Index(body, "欠款逾期 (")
			if i < 0 {
				return ""
			}
			return body[i : i+len("欠款逾期 (1)")]
		}
		if got := arrears("/r/620422100/warnings?year=2025"); got != "欠款逾期 (1)" {
			t.Errorf("2025's warnings: %q, want one arrears", got)
		}
		if _, body := get(t, c, w.srv.URL+"/r/620422100/warnings?year=2025"); !strings.Contains(body, "截至2025年12月31日") {
			t.Errorf("2025's warnings are not as of 31 December 2025")
		}
		if got := arrears("/r/620422100/warnings"); got != "欠款逾期 (2)" {
			t.Errorf("today's warnings: %q, want two arrears", got)
		}
		if got := arrears(fmt.Sprintf("/c/%d/warnings?year=2025", w.f.A.ID)); got != "欠款逾期 (1)" {
			t.Errorf("A's 2025 warnings: %q, want one arrears", got)
		}
		// The dashboard opens on 2025 and counts 2025's.
		_, body := get(t, c, w.srv.URL+"/r/620422100")
		if !strings.Contains(body, `warnings?year=2025#arrears">欠款逾期</a>: 1<`) {
			t.Errorf("the 2025 dashboard does not count one arrears: %s", textOf(body))
		}
	})
}

// textOf is a page's text without its tags, for failure messages.
func textOf(body string) string {
	var b strings.Builder
	in := false
	for _, r := range body {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestPages_ActionsByRole shows each role in A's scope the pages of A's
// books and registers: a button or link that saves something is there for
// the roles whose permission the store checks on saving it, and for no
// other; and the others are refused (403) when they post the form anyway.
func TestPages_ActionsByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		rec := addPageRecords(t, w)
		c := fmt.Sprintf("/c/%d", w.f.A.ID)
		// Each page's actions, with the permission that saves them.
		type action struct{ perm, page, mark string }
		keep := func(page string, marks ...string) []action {
			var out []action
			for _, m := range marks {
				out = append(out, action{"keep_books", page, m})
			}
			return out
		}
		draft, posted := fmt.Sprintf("%s/vouchers/%d", c, w.draft.ID), fmt.Sprintf("%s/vouchers/%d", c, w.posted["A"].ID)
		house, lease := fmt.Sprintf("%s/assets/%d", c, rec.house.ID), fmt.Sprintf("%s/contracts/%d", c, rec.lease.ID)
		var actions []action
		actions = append(actions, keep(c, `/periods/2025-03/close"`, `/periods/2025-04/close"`)...)
		actions = append(actions, keep(c+"/vouchers", `/vouchers/new"`)...)
		actions = append(actions, keep(draft, `/edit"`, `/delete"`, `/documents"`)...)
		actions = append(actions, action{"approve", draft, `/approve"`})
		actions = append(actions, keep(posted, `/reverse"`, `/documents"`)...)
		actions = append(actions, keep(c+"/assets", `/assets/new"`)...)
		actions = append(actions, keep(house, `/status"`, `/dispose"`)...)
		actions = append(actions, keep(c+"/resources", `/resources/new"`, `/use"`)...)
		actions = append(actions, keep(c+"/contracts", `/contracts/new"`)...)
		actions = append(actions, keep(lease, `/receipts"`, `/terminate"`, `/documents"`)...)

		roles := map[string]map[string]bool{ // the permissions of each role in A's scope
			"admin":     {"keep_books": true, "approve": true},
			"kuaiji":    {"keep_books": true}, // an agency accountant approves, but not the draft it made
			"cunkuaiji": {"keep_books": true},
			"shenhe":    {"approve": true}, // a township supervisor
			"cunshenhe": {"approve": true},
			"viewer":    {},
			"auditor":   {},
		}
		pages := map[string]map[string]string{} // role → page → body
		for role, perms := range roles {
			cl := w.client(t, role)
			pages[role] = map[string]string{}
			for _, a := range actions {
				body, ok := pages[role][a.page]
				if !ok {
					var code int
					code, body = get(t, cl, w.srv.URL+a.page)
					if code != http.StatusOK {
						t.Fatalf("%s %s: status %d", role, a.page, code)
					}
					pages[role][a.page] = body
				}
				if shown := strings.Contains(body, a.mark); shown != perms[a.perm] {
					t.Errorf("%s on %s: %s shown %v, but the role may %s: %v", role, a.page, a.mark, shown, a.perm, perms[a.perm])
				}
			}
			if perms["keep_books"] {
				continue
			}
			// Whoever may not keep the books is refused the forms, by
			// address and by posting them.
			for _, p := range []struct{ method, path string }{
				{"GET", c + "/vouchers/new"}, {"POST", c + "/vouchers/new"}, {"GET", draft + "/edit"},
				{"POST", c + "/periods/2025-03/close"}, {"POST", posted + "/reverse"}, {"POST", draft + "/delete"},
				{"GET", c + "/assets/new"}, {"POST", house + "/status"}, {"GET", house + "/dispose"},
				{"POST", lease + "/terminate"}, {"GET", c + "/contracts/new"},
			} {
				var code int
				if p.method == "GET" {
					code, _ = get(t, cl, w.srv.URL+p.path)
				} else {
					code, _ = post(t, cl, w.srv.URL+p.path, url.Values{"date": {"2025-03-31"}, "status": {"idle"},
						"ended_on": {"2025-06-30"}, "reason": {"对方违约"}})
				}
				if code != http.StatusForbidden {
					t.Errorf("%s %s %s: status %d, want 403", role, p.method, p.path, code)
				}
			}
		}
	})
}

// TestPages_CollectivesByCodeAndName: the users' scopes, the audit log and
// a region's warnings name collectives by code and name, never by id.
func TestPages_CollectivesByCodeAndName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addPageRecords(t, w)
		c := w.client(t, "admin")
		a := w.f.A.Code + " " + w.f.A.Name
		uid := w.users["cunkuaiji"]
		for _, page := range []string{"/admin/users", fmt.Sprintf("/admin/users/%d", uid),
			fmt.Sprintf("/audit?collective=%s", w.f.A.Code), "/r/620422100/warnings"} {
			_, body := get(t, c, w.srv.URL+page)
			if !strings.Contains(body, a) {
				t.Errorf("%s does not name A as %q", page, a)
			}
			if strings.Contains(body, fmt.Sprintf("#%d<", w.f.A.ID)) || strings.Contains(body, fmt.Sprintf("#%d ", w.f.A.ID)) {
				t.Errorf("%s names A by its id: %s", page, textOf(body))
			}
		}
	})
}

// TestPages_WeakVillages checks that a dashboard shows only the weakest
// few weak villages, weakest first, with a link to all of them, and that
// the list is paged, sorts by any column both ways, refuses an unknown
// order naming the field, and keeps each figure's drill-down.
func TestPages_WeakVillages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		// 110 villages without books: shells, the weakest of all.
		var rs []jiti.Region
		var cs []jiti.Collective
		for i := range 110 {
			code := fmt.Sprintf("620422100%03d", 300+i)
			r, err := jiti.NewRegion(code, fmt.Sprintf("空壳%d村", i))
			must(t, err)
			rs = append(rs, r)
			cs = append(cs, jiti.Collective{Name: fmt.Sprintf("空壳%d村股份经济合作社", i), RegionCode: code,
				Level: jiti.LevelVillage, BooksOpenedOn: jiti.MustDate("2025-01-01")})
		}
		must(t, db.CreateRegions(ctx, w.f.Admin, rs))
		_, err := db.CreateCollectives(ctx, w.f.Admin, cs)
		must(t, err)
		c := w.client(t, "admin")
		rowsOf := func(body string) int { return strings.Count(body, "<tr><td class=\"right\">") }

		code, body := get(t, c, w.srv.URL+"/r/620422?year=2025")
		if code != http.StatusOK {
			t.Fatalf("dashboard: status %d", code)
		}
		weak := body[strings.Index(body, "薄弱村 <span"):]
		weak = weak[:strings.Index(weak, "</section>")]
		if !strings.Contains(weak, "(113)") || !strings.Contains(weak, `href="/r/620422/weak?year=2025">查看全部113个薄弱村`) {
			t.Errorf("the dashboard's weak villages lack their count or the link to all: %s", weak)
		}
		if n := strings.Count(weak, "<tr>"); n != 10 {
			t.Errorf("the dashboard lists %d weak villages, want the 10 weakest", n)
		}
		if strings.Contains(weak, "南什村") {
			t.Errorf("the dashboard lists 南什村 (1,200) among the 10 weakest of 110 shells")
		}

		code, page1 := get(t, c, w.srv.URL+"/r/620422/weak?year=2025")
		if code != http.StatusOK {
			t.Fatalf("weak villages: status %d", code)
		}
		if n := rowsOf(page1); n != 100 {
			t.Errorf("page 1 lists %d weak villages, want 100", n)
		}
		for _, want := range []string{"集体经济组织数 113", "第 1 / 2 页", `href="?page=2&amp;year=2025" rel="next"`, `href="?sort=-value&amp;year=2025">金额</a> ↑`} {
			if !strings.Contains(page1, want) {
				t.Errorf("page 1 lacks %q", want)
			}
		}
		_, page2 := get(t, c, w.srv.URL+"/r/620422/weak?year=2025&page=2")
		if n := rowsOf(page2); n != 13 {
			t.Errorf("page 2 lists %d weak villages, want 13", n)
		}
		// Weakest first: 南什村 (1,200) is the last of all, its figure
		// linking to the vouchers behind it.
		a := fmt.Sprintf(`<a href="/c/%d/figure/operating_type?year=2025">1,200.00</a>`, w.f.A.ID)
		if i, j := strings.Index(page2, a), strings.LastIndex(page2, "<tr>"); i < 0 || i < j {
			t.Errorf("page 2 does not end with 南什村's 1,200.00 and its drill-down")
		}
		_, desc := get(t, c, w.srv.URL+"/r/620422/weak?year=2025&sort=-value")
		if i := strings.Index(desc, "<tbody>"); !strings.Contains(desc[i:i+400], a) {
			t.Errorf("sorted by value descending, 南什村 does not come first: %s", desc[i:i+400])
		}
		_, byCode := get(t, c, w.srv.URL+"/r/620422/weak?year=2025&sort=-code")
		if i := strings.Index(byCode, "<tbody>"); !strings.Contains(byCode[i:i+400], "620422101201") {
			t.Errorf("sorted by code descending, 红堡子村 (620422101201) does not come first")
		}
		code, bad := get(t, c, w.srv.URL+"/r/620422/weak?year=2025&sort=name")
		if code != http.StatusUnprocessableEntity || !strings.Contains(bad, "排序方式name无效") {
			t.Errorf("an unknown order: status %d, %s", code, textOf(bad))
		}
		// The lines' and tiers' lists are paged alike.
		_, line := get(t, c, w.srv.URL+"/r/620422/line/total_income?year=2025")
		if n := rowsOf(line); n != 100 || !strings.Contains(line, "第 1 / 2 页") {
			t.Errorf("the list behind total income is not paged: %d rows", n)
		}
	})
}

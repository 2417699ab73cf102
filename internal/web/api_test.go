package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
	"example.org/jiti/internal/web"
)

// api calls the JSON API of a world as one caller: a token, a browser's
// cookies, or nobody. Every JSON answer is checked against the OpenAPI
// document the server serves, so the document cannot drift from what the
// handlers send.
type api struct {
	t      *testing.T
	w      *world
	doc    *openAPI
	client *http.Client
	token  string
	header http.Header // added to every request
}

// apiAs returns a caller with a new API token of the user name ("" for no
// credentials).
func (w *world) apiAs(t *testing.T, name string) *api {
	t.Helper()
	a := &api{t: t, w: w, doc: theOpenAPI(t), client: w.client(t, ""), header: http.Header{}}
	if name != "" {
		tok, _, err := w.db.CreateAPIToken(context.Background(), w.users[name], "test", 0)
		must(t, err)
		a.token = tok
	}
	return a
}

// apiCookie returns a caller signed in through the form, with no token.
func (w *world) apiCookie(t *testing.T, name string) *api {
	t.Helper()
	return &api{t: t, w: w, doc: theOpenAPI(t), client: w.client(t, name), header: http.Header{}}
}

// answer is a response of the API.
type answer struct {
	code   int
	header http.Header
	raw    string
	json   map[string]any
}

// errorOf returns the error of an error answer.
func (a answer) errorOf() (code, message, field string) {
	e, _ := a.json["error"].(map[string]any)
	code, _ = e["code"].(string)
	message, _ = e["message"].(string)
	field, _ = e["field"].(string)
	return code, message, field
}

func (a *api) do(method, path, body string) answer {
	a.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.w.srv.URL+"/api/v1"+path, rd)
	must(a.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for k, vs := range a.header {
		req.Header[k] = vs
	}
	resp, err := a.client.Do(req)
	must(a.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(a.t, err)
	ans := answer{code: resp.StatusCode, header: resp.Header, raw: string(b)}
	if len(b) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &ans.json); err != nil {
			a.t.Fatalf("%s %s: answer is not JSON: %v\n%s", method, path, err, b)
		}
		a.doc.checkAnswer(a.t, method, path, ans)
	} else if len(b) > 0 && strings.HasPrefix(path, "/") {
		a.t.Errorf("%s %s: status %d with a body of type %q: %s", method, path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	return ans
}

func (a *api) get(path string) answer { a.t.Helper(); return a.do("GET", path, "") }

// want fails unless the answer has status code.
func (ans answer) want(t *testing.T, code int, what string) answer {
	t.Helper()
	if ans.code != code {
		t.Fatalf("%s: status %d, want %d\n%s", what, ans.code, code, ans.raw)
	}
	return ans
}

// wantError fails unless the answer is an error of status, code and field.
func (ans answer) wantError(t *testing.T, status int, code, field, what string) {
	t.Helper()
	c, msg, f := ans.errorOf()
	if ans.code != status || c != code || f != field || msg == "" || msg == c {
		t.Errorf("%s: %d %q %q %q, want %d %q at %q with a message", what, ans.code, c, msg, f, status, code, field)
	}
}

// TestAPI_Auth: a token or a session signs in; nothing else does, and a
// revoked token or a disabled user's no longer does.
func TestAPI_Auth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()

		nobody := w.apiAs(t, "")
		ans := nobody.get("/me")
		ans.wantError(t, http.StatusUnauthorized, "api.unauthorized", "", "no credentials")
		if h := ans.header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
			t.Errorf("401 without WWW-Authenticate: %q", h)
		}
		if _, msg, _ := ans.errorOf(); !strings.Contains(msg, "登录") {
			t.Errorf("default message %q is not Chinese", msg)
		}
		nobody.header.Set("Accept-Language", "en-US,en;q=0.9")
		if _, msg, _ := nobody.get("/me").errorOf(); !strings.Contains(strings.ToLower(msg), "sign in") {
			t.Errorf("message for Accept-Language en: %q", msg)
		}
		nobody.get("/openapi.json").want(t, http.StatusOK, "the document needs no credentials")

		for _, h := range []string{"Bearer nonsense", "Basic YWRtaW46eA==", "Bearer "} {
			bad := w.apiAs(t, "")
			bad.header.Set("Authorization", h)
			if ans := bad.get("/me"); ans.code != http.StatusUnauthorized {
				t.Errorf("Authorization %q: status %d, want 401", h, ans.code)
			}
		}

		kuaiji := w.apiAs(t, "kuaiji")
		me := kuaiji.get("/me").want(t, http.StatusOK, "token")
		if me.json["name"] != "kuaiji" || me.json["role"] != string(jiti.RoleAgencyAccountant) {
			t.Errorf("/me by token: %s", me.raw)
		}
		if scope := me.json["scope"].(map[string]any); scope["region"] != "620422100" || scope["everything"] != false {
			t.Errorf("/me scope: %v", scope)
		}

		// The session's cookie signs in too; a token beside it wins.
		browser := w.apiCookie(t, "guocheng")
		if ans := browser.get("/me").want(t, http.StatusOK, "cookie"); ans.json["name"] != "guocheng" {
			t.Errorf("/me by cookie: %s", ans.raw)
		}
		browser.token = kuaiji.token
		if ans := browser.get("/me"); ans.json["name"] != "kuaiji" {
			t.Errorf("/me by token and cookie: %s", ans.raw)
		}
		// A bad token is refused, not passed over for the cookie.
		browser.token = "revoked-or-not"
		browser.get("/me").wantError(t, http.StatusUnauthorized, store.ErrTokenInvalid.Key, "", "bad token beside a cookie")

		// A write from another site with the cookie is refused; one from
		// the same origin, or a token client (no Origin), goes through.
		browser.token = ""
		browser.header.Set("Origin", "https://evil.example")
		browser.header.Set("Sec-Fetch-Site", "cross-site")
		req, _ := http.NewRequest("DELETE", fmt.Sprintf("%s/api/v1/vouchers/%d", w.srv.URL, w.draft.ID), nil)
		req.Header = browser.header.Clone()
		resp, err := browser.client.Do(req)
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site DELETE with a cookie: status %d, want 403", resp.StatusCode)
		}
		same := w.apiCookie(t, "kuaiji")
		same.header.Set("Sec-Fetch-Site", "same-origin")
		same.do("DELETE", fmt.Sprintf("/vouchers/%d", w.draft.ID), "").want(t, http.StatusNoContent, "same-origin DELETE with a cookie")

		// Revoked, the token no longer signs in.
		toks, err := db.APITokens(ctx, w.users["kuaiji"])
		must(t, err)
		for _, tk := range toks {
			must(t, db.RevokeAPIToken(ctx, w.users["kuaiji"], tk.ID))
		}
		kuaiji.get("/me").wantError(t, http.StatusUnauthorized, store.ErrTokenInvalid.Key, "", "revoked token")

		// Nor does a disabled user's.
		viewer := w.apiAs(t, "viewer")
		viewer.get("/me").want(t, http.StatusOK, "viewer")
		must(t, db.SetUserDisabled(ctx, w.users["admin"], w.users["viewer"], true))
		viewer.get("/me").wantError(t, http.StatusUnauthorized, store.ErrTokenInvalid.Key, "", "disabled user's token")
	})
}

// addRegisters gives collectives A and O an asset, a resource and a
// contract (with its adopted decision) each, named after their villages.
func addRegisters(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	for _, c := range []struct {
		cid     int64
		by      jiti.UserID
		village string
	}{{w.f.A.ID, w.users["kuaiji"], "南什村"}, {w.O.ID, w.users["gckuaiji"], "红堡子村"}} {
		_, err := w.db.CreateAsset(ctx, c.by, store.AssetInput{Credit: "10201", Asset: register.Asset{CollectiveID: c.cid,
			Code: "ZC-001", Name: c.village + "冷库", Category: register.Building, Nature: register.Operating,
			Use: register.ForManagement, AcquiredOn: jiti.MustDate("2025-03-01"), Source: register.Purchase,
			Cost: jiti.MustAmount("50000"), LifeMonths: 240, Quantity: "1", Unit: "座"}})
		must(t, err)
		res, err := w.db.CreateResource(ctx, c.by, register.Resource{CollectiveID: c.cid, Code: "ZY-001", Name: c.village + "河滩地",
			Kind: register.Cultivated, Area: 1250, Use: register.ResourceLeased, UseSince: jiti.MustDate("2025-01-01")})
		must(t, err)
		_, err = w.db.CreateContract(ctx, c.by, store.ContractInput{Contract: register.Contract{CollectiveID: c.cid, Code: "HT-001",
			Name: c.village + "河滩地发包", Kind: register.Contracting,
			Party:    register.Party{Kind: register.Unit, Name: "会宁县丰源农业有限公司"},
			Subjects: []register.Subject{{ResourceID: res.ID}}, Start: jiti.MustDate("2025-01-01"), End: jiti.MustDate("2027-12-31"),
			Amount: jiti.MustAmount("9000"), Frequency: register.Yearly, IncomeAccount: "50101", Award: register.Negotiation,
			ResolutionRef: adoptDecision(t, w.db, c.by, c.cid, "2024-12", c.village+"河滩地发包", "2024-12-20").Number}})
		must(t, err)
	}
}

// TestAPI_RoleScope drives every endpoint as every role: in scope 200 (or
// what the role may do), out of scope 404 with the very body of an id that
// does not exist, and nothing of a collective out of scope in any answer.
func TestAPI_RoleScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addRegisters(t, w)
		cid := map[string]int64{"A": w.f.A.ID, "O": w.O.ID}
		all := []string{"620422", "620422100", "620422101", "620422100201", "620422101201"}
		township := []string{"620422100", "620422100201"}
		villageA := []string{"620422100201"}
		other := []string{"620422101", "620422101201"}
		sees := map[string]struct {
			collectives string
			regions     []string
		}{
			"admin": {"AO", all}, "viewer": {"AO", all}, "auditor": {"AO", all},
			"kuaiji": {"A", township}, "shenhe": {"A", township},
			"cunkuaiji": {"A", villageA}, "cunshenhe": {"A", villageA},
			"guocheng": {"O", other}, "gckuaiji": {"O", other},
		}
		// Paths of a collective, with the id and a voucher id in %[1]d and
		// %[2]d; the same with ids that do not exist must answer alike.
		collectivePaths := []string{
			"/collectives/%[1]d", "/collectives/%[1]d/accounts", "/collectives/%[1]d/vouchers",
			"/collectives/%[1]d/vouchers?status=posted&q=%%E7%%A7%%9F%%E9%%87%%91&limit=10&offset=0",
			"/collectives/%[1]d/trial-balance", "/collectives/%[1]d/trial-balance?from=2025-01&to=2025-12",
			"/collectives/%[1]d/assets", "/collectives/%[1]d/assets?status=in_use&category=building",
			"/collectives/%[1]d/contracts", "/collectives/%[1]d/contracts?status=draft&kind=contracting",
			"/collectives/%[1]d/resources", "/collectives/%[1]d/resources?kind=cultivated&use=leased",
			"/collectives/%[1]d/decisions", "/collectives/%[1]d/decisions?kind=contract&status=adopted&year=2024",
			"/vouchers/%[2]d",
		}
		secrets := map[string][]string{
			"A": {"南什村股份经济合作社", "收南什村鱼塘租金", "南什村冷库", "南什村河滩地"},
			"O": {"红堡子村"},
		}
		for user, want := range sees {
			t.Run(user, func(t *testing.T) {
				c := w.apiAs(t, user)
				leaks := func(what string, ans answer) {
					t.Helper()
					for letter, ss := range secrets {
						if strings.Contains(want.collectives, letter) {
							continue
						}
						for _, s := range ss {
							if strings.Contains(ans.raw, s) {
								t.Errorf("%s: answer shows %q, of a collective out of scope", what, s)
							}
						}
					}
				}
				missing := func(p string) answer {
					return c.get(fmt.Sprintf(p, 999999, 999999))
				}
				for letter, id := range cid {
					visible := strings.Contains(want.collectives, letter)
					for _, p := range collectivePaths {
						path := fmt.Sprintf(p, id, w.posted[letter].ID)
						ans := c.get(path)
						leaks(path, ans)
						switch {
						case visible && ans.code != http.StatusOK:
							t.Errorf("%s: status %d, want 200\n%s", path, ans.code, ans.raw)
						case !visible && (ans.code != http.StatusNotFound || ans.raw != missing(p).raw):
							t.Errorf("%s: %d %s, want 404 as for an id that does not exist", path, ans.code, ans.raw)
						}
					}
					if visible {
						for _, r := range []struct{ list, key, want string }{
							{"assets", "cost", "50000.00"}, {"contracts", "amount", "9000.00"}, {"resources", "area", "12.50"},
						} {
							ans := c.get(fmt.Sprintf("/collectives/%d/%s", id, r.list)).want(t, http.StatusOK, r.list)
							if xs, _ := ans.json[r.list].([]any); len(xs) != 1 || xs[0].(map[string]any)[r.key] != r.want {
								t.Errorf("%s of %s: %s, want one with %s %q", r.list, letter, ans.raw, r.key, r.want)
							}
						}
					}
				}
				// A's voucher list by its collective, O's voucher by id under
				// nobody's: ids cannot be walked.
				for _, p := range []string{"/collectives/abc", "/vouchers/0", "/vouchers/-1", "/collectives/99999999999999999999"} {
					if ans := c.get(p); ans.code != http.StatusNotFound || ans.raw != missing("/vouchers/%[2]d").raw {
						t.Errorf("%s: %d %s, want the same 404", p, ans.code, ans.raw)
					}
				}
				for _, code := range all {
					visible := slices.Contains(want.regions, code)
					for _, q := range []string{"", "?year=2025"} {
						path := "/regions/" + code + "/stats" + q
						ans := c.get(path)
						leaks(path, ans)
						switch {
						case visible && ans.code != http.StatusOK:
							t.Errorf("%s: status %d, want 200\n%s", path, ans.code, ans.raw)
						case !visible && (ans.code != http.StatusNotFound || ans.raw != c.get("/regions/999999/stats"+q).raw):
							t.Errorf("%s: %d %s, want 404 as for a region that does not exist", path, ans.code, ans.raw)
						}
					}
				}
				// The list of collectives shows those in scope, and under a
				// region no others.
				for _, q := range []string{"", "?region=620422", "?region=620422101"} {
					ans := c.get("/collectives"+q).want(t, http.StatusOK, "/collectives"+q)
					leaks("/collectives"+q, ans)
					var got string
					for _, x := range ans.json["collectives"].([]any) {
						switch int64(x.(map[string]any)["id"].(float64)) {
						case w.f.A.ID:
							got += "A"
						case w.O.ID:
							got += "O"
						}
					}
					wantList := want.collectives
					if q == "?region=620422101" {
						wantList = strings.ReplaceAll(wantList, "A", "")
					}
					if got != wantList {
						t.Errorf("/collectives%s: %q, want %q", q, got, wantList)
					}
				}

				// Writes: out of scope is the 404 of an id that does not
				// exist; in scope the role decides.
				draftBody := `{"date": "2025-05-02", "lines": [{"summary": "付电费", "account": "50101", "debit": "5.00"}, {"account": "10201", "credit": "5.00"}]}`
				writes := []struct {
					method, path, body string
					ok                 int
					may                bool
				}{
					{"POST", "/collectives/%[1]d/vouchers", draftBody, http.StatusCreated, slices.Contains([]string{"admin", "kuaiji", "cunkuaiji", "gckuaiji"}, user)},
					{"POST", "/vouchers/%[2]d/approve", "", http.StatusOK, false},
					{"POST", "/vouchers/%[2]d/post", "", http.StatusOK, false},
					{"DELETE", "/vouchers/%[2]d", "", http.StatusNoContent, false},
				}
				for _, wr := range writes {
					for letter, id := range cid {
						path := fmt.Sprintf(wr.path, id, w.posted[letter].ID)
						ans := c.do(wr.method, path, wr.body)
						absent := c.do(wr.method, fmt.Sprintf(wr.path, 999999, 999999), wr.body)
						leaks(path, ans)
						switch {
						case !strings.Contains(want.collectives, letter):
							if ans.code != http.StatusNotFound || ans.raw != absent.raw {
								t.Errorf("%s %s: %d %s, want 404 as for an id that does not exist", wr.method, path, ans.code, ans.raw)
							}
						case wr.may:
							ans.want(t, wr.ok, wr.method+" "+path)
						case ans.code != http.StatusForbidden && ans.code != http.StatusConflict:
							// The role may not, or the posted voucher may not.
							t.Errorf("%s %s: status %d, want 403 or 409\n%s", wr.method, path, ans.code, ans.raw)
						}
					}
				}
			})
		}
		t.Run("signed out", func(t *testing.T) {
			c := w.apiAs(t, "")
			for _, r := range web.APIRoutes() {
				if r.Public {
					continue
				}
				path := strings.NewReplacer("{id}", strconv.FormatInt(w.f.A.ID, 10), "{code}", "620422").Replace(r.Path)
				c.do(r.Method, path, "").wantError(t, http.StatusUnauthorized, "api.unauthorized", "", r.Method+" "+path)
			}
		})
	})
}

// TestAPI_VoucherFlow makes a voucher of three lines through the API, has
// another user approve it, posts it, finds it in the trial balance to the
// fen, reverses it, and deletes the reversal.
func TestAPI_VoucherFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		kuaiji, shenhe, cun := w.apiAs(t, "kuaiji"), w.apiAs(t, "shenhe"), w.apiAs(t, "cunkuaiji")
		a := w.f.A.ID

		ans := kuaiji.do("POST", fmt.Sprintf("/collectives/%d/vouchers", a), `{
			"date": "2025-06-10", "attachments": 2, "note": "六月收入",
			"lines": [
				{"summary": "收南什村冷库租金", "account": "10201", "debit": "1,000.50"},
				{"summary": "收南什村冷库租金", "account": "50101", "credit": "600.25", "counterparty": "会宁县丰源农业有限公司"},
				{"account": "50102", "credit": "400.25", "debit": ""}
			]}`).want(t, http.StatusCreated, "create")
		id := int64(ans.json["id"].(float64))
		if loc := ans.header.Get("Location"); loc != fmt.Sprintf("/api/v1/vouchers/%d", id) {
			t.Errorf("Location %q", loc)
		}
		lines := ans.json["lines"].([]any)
		if ans.json["status"] != "draft" || ans.json["debit"] != "1000.50" || ans.json["credit"] != "1000.50" || len(lines) != 3 ||
			lines[2].(map[string]any)["summary"] != "收南什村冷库租金" || lines[2].(map[string]any)["credit"] != "400.25" ||
			lines[2].(map[string]any)["debit"] != "0.00" || ans.json["date"] != "2025-06-10" || ans.json["period"] != "2025-06" {
			t.Errorf("created voucher: %s", ans.raw)
		}
		if got := kuaiji.get(fmt.Sprintf("/vouchers/%d", id)).want(t, http.StatusOK, "read back"); got.raw != ans.raw {
			t.Errorf("GET differs from the created voucher:\n%s\n%s", got.raw, ans.raw)
		}

		vpath := fmt.Sprintf("/vouchers/%d", id)
		kuaiji.do("POST", vpath+"/post", "").wantError(t, http.StatusConflict, "voucher.not_approved", "", "post a draft")
		kuaiji.do("POST", vpath+"/approve", "").wantError(t, http.StatusForbidden, "voucher.self_approval", "", "the maker approves")
		cun.do("POST", vpath+"/approve", "").wantError(t, http.StatusForbidden, jiti.ErrRoleCannot.Key, "", "a village accountant approves")
		if ans := shenhe.do("POST", vpath+"/approve", "").want(t, http.StatusOK, "approve"); ans.json["status"] != "approved" ||
			int64(ans.json["approver_id"].(float64)) != int64(w.users["shenhe"]) {
			t.Errorf("approved: %s", ans.raw)
		}
		shenhe.do("DELETE", vpath, "").wantError(t, http.StatusForbidden, jiti.ErrRoleCannot.Key, "", "a supervisor deletes")
		kuaiji.do("DELETE", vpath, "").wantError(t, http.StatusConflict, "voucher.not_draft", "", "delete an approved voucher")
		posted := kuaiji.do("POST", vpath+"/post", "").want(t, http.StatusOK, "post")
		if posted.json["status"] != "posted" || posted.json["number"] != 1.0 {
			t.Errorf("posted: %s", posted.raw)
		}

		tb := cun.get(fmt.Sprintf("/collectives/%d/trial-balance?from=2025-01&to=2025-12", a)).want(t, http.StatusOK, "trial balance")
		rows := map[string]map[string]any{}
		for _, r := range tb.json["rows"].([]any) {
			rows[r.(map[string]any)["code"].(string)] = r.(map[string]any)
		}
		for _, c := range []struct{ code, col, want string }{
			{"10201", "debit", "2200.50"}, {"10201", "closing_debit", "2200.50"}, {"50101", "credit", "1800.25"},
			{"50102", "credit", "400.25"}, {"501", "credit", "2200.50"},
		} {
			if got := rows[c.code][c.col]; got != c.want {
				t.Errorf("trial balance %s %s = %v, want %q", c.code, c.col, got, c.want)
			}
		}
		if total := tb.json["total"].(map[string]any); total["debit"] != "2200.50" || total["credit"] != "2200.50" || tb.json["balanced"] != true ||
			tb.json["from"] != "2025-01" || tb.json["to"] != "2025-12" {
			t.Errorf("trial balance: %s", tb.raw)
		}

		list := cun.get(fmt.Sprintf("/collectives/%d/vouchers?status=posted&limit=1", a)).want(t, http.StatusOK, "list")
		if list.json["total"] != 2.0 || len(list.json["vouchers"].([]any)) != 1 || list.json["limit"] != 1.0 {
			t.Errorf("list of posted vouchers: %s", list.raw)
		}
		list = cun.get(fmt.Sprintf("/collectives/%d/vouchers?from=2025-06&to=2025-06&account=501", a)).want(t, http.StatusOK, "list")
		if vs := list.json["vouchers"].([]any); len(vs) != 1 || vs[0].(map[string]any)["amount"] != "1000.50" {
			t.Errorf("list of June: %s", list.raw)
		}

		kuaiji.do("POST", vpath+"/reverse", `{"date": "2025-06-01"}`).wantError(t, http.StatusUnprocessableEntity, "voucher.reverse_before_original", "date", "reverse before the original")
		rev := kuaiji.do("POST", vpath+"/reverse", `{"date": "2025-06-30"}`).want(t, http.StatusCreated, "reverse")
		rid := int64(rev.json["id"].(float64))
		if rev.json["kind"] != "reversal" || int64(rev.json["reverses_id"].(float64)) != id || rev.json["debit"] != "-1000.50" ||
			rev.header.Get("Location") != fmt.Sprintf("/api/v1/vouchers/%d", rid) {
			t.Errorf("reversal: %s", rev.raw)
		}
		kuaiji.do("POST", vpath+"/reverse", "").wantError(t, http.StatusConflict, "voucher.already_reversed", "", "reverse again")
		kuaiji.do("DELETE", vpath, "").wantError(t, http.StatusConflict, "voucher.posted_immutable", "", "delete a posted voucher")
		kuaiji.do("DELETE", fmt.Sprintf("/vouchers/%d", rid), "").want(t, http.StatusNoContent, "delete the reversal")
		kuaiji.get(fmt.Sprintf("/vouchers/%d", rid)).wantError(t, http.StatusNotFound, "error.not_found", "", "deleted")
	})
}

// TestAPI_Errors: every bad input is named, money most of all.
func TestAPI_Errors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.apiAs(t, "kuaiji")
		create := fmt.Sprintf("/collectives/%d/vouchers", w.f.A.ID)
		line := func(account, debit, credit string) string {
			return fmt.Sprintf(`{"summary": "付电费", "account": %q, "debit": %s, "credit": %s}`, account, debit, credit)
		}
		voucher := func(lines ...string) string {
			return `{"date": "2025-05-02", "lines": [` + strings.Join(lines, ", ") + `]}`
		}
		for _, tc := range []struct {
			name, body        string
			status            int
			code, field       string
			details           int
			contentType, lang string
		}{
			{name: "unknown account", body: voucher(line("10201", `"5.00"`, `""`), line("59999", `""`, `"5.00"`)),
				status: 422, code: "account.unknown", field: "lines[2].account"},
			{name: "three decimals", body: voucher(line("10201", `"1.234"`, `""`), line("50101", `""`, `"1.23"`)),
				status: 422, code: "amount.decimals", field: "lines[1].debit"},
			{name: "not a number", body: voucher(line("10201", `"5.00"`, `""`), line("50101", `""`, `"abc"`)),
				status: 422, code: "amount.syntax", field: "lines[2].credit"},
			{name: "both bad", body: voucher(line("10201", `"1.234"`, `""`), line("50101", `""`, `"abc"`)),
				status: 422, code: "amount.decimals", field: "lines[1].debit", details: 2},
			{name: "a JSON number", body: voucher(line("10201", `5.5`, `""`), line("50101", `""`, `"5.50"`)),
				status: 422, code: "api.money_string", field: "lines[1].debit"},
			{name: "unbalanced", body: voucher(line("10201", `"5.00"`, `""`), line("50101", `""`, `"4.00"`)),
				status: 422, code: "voucher.unbalanced", field: "lines"},
			{name: "both sides", body: voucher(line("10201", `"5.00"`, `"5.00"`), line("50101", `""`, `"5.00"`)),
				status: 422, code: "voucher.line_both_sides", field: "lines[1].credit"},
			{name: "one line", body: voucher(line("10201", `"5.00"`, `""`)), status: 422, code: "voucher.too_few_lines", field: "lines"},
			{name: "no date", body: `{"lines": [` + line("10201", `"5.00"`, `""`) + `, ` + line("50101", `""`, `"5.00"`) + `]}`,
				status: 422, code: "error.required", field: "date"},
			{name: "bad date", body: `{"date": "2025-02-30", "lines": []}`, status: 422, code: "date.syntax", field: "date"},
			{name: "before the books", body: `{"date": "2024-12-31", "lines": [` + line("10201", `"5.00"`, `""`) + `, ` + line("50101", `""`, `"5.00"`) + `]}`,
				status: 422, code: "voucher.before_books_opened", field: "date"},
			{name: "not JSON", body: `{"date": `, status: 400, code: "api.bad_json"},
			{name: "trailing data", body: `{} {}`, status: 400, code: "api.bad_json"},
			{name: "wrong type", body: `{"date": "2025-05-02", "attachments": "two", "lines": []}`, status: 400, code: "api.json_type", field: "attachments"},
			{name: "wrong type in a line", body: voucher(line("10201", `"5.00"`, `""`), `{"summary": 7}`), status: 400, code: "api.json_type", field: "lines[2].summary"},
			{name: "unknown field", body: `{"date": "2025-05-02", "colour": "red"}`, status: 400, code: "api.unknown_field", field: "colour"},
			{name: "unknown field in a line", body: voucher(line("10201", `"5.00"`, `""`), `{"account": "50101", "amount": "5.00"}`),
				status: 400, code: "api.unknown_field", field: "lines[2].amount"},
			{name: "no body", body: "", status: 400, code: "api.body_required"},
			{name: "not JSON by type", body: `{}`, contentType: "text/plain", status: 415, code: "api.content_type"},
			{name: "too large", body: `{"note": "` + strings.Repeat("x", 1<<20) + `"}`, status: 413, code: "api.too_large"},
			{name: "English", body: voucher(line("10201", `"5.00"`, `""`), line("50101", `""`, `"abc"`)), lang: "en",
				status: 422, code: "amount.syntax", field: "lines[2].credit"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c.header = http.Header{}
				if tc.contentType != "" {
					c.header.Set("Content-Type", tc.contentType)
				}
				if tc.lang != "" {
					c.header.Set("Accept-Language", tc.lang)
				}
				ans := c.do("POST", create, tc.body)
				ans.wantError(t, tc.status, tc.code, tc.field, tc.name)
				details, _ := ans.json["error"].(map[string]any)["details"].([]any)
				if len(details) != tc.details {
					t.Errorf("details: %v, want %d", details, tc.details)
				}
				_, msg, _ := ans.errorOf()
				if tc.lang == "en" && !strings.HasPrefix(msg, "line 2, credit: ") {
					t.Errorf("English message %q", msg)
				}
				if tc.lang == "" && tc.field == "lines[2].account" && !strings.HasPrefix(msg, "第2行") {
					t.Errorf("Chinese message %q", msg)
				}
			})
		}
		c.header = http.Header{}
		vouchers := fmt.Sprintf("/collectives/%d/vouchers", w.f.A.ID)
		for _, tc := range []struct{ path, code, field string }{
			{vouchers + "?limt=10", "api.unknown_param", "limt"},
			{vouchers + "?limit=501", "api.limit", "limit"},
			{vouchers + "?limit=0", "api.limit", "limit"},
			{vouchers + "?offset=-1", "api.offset", "offset"},
			{vouchers + "?status=void", "api.bad_value", "status"},
			{vouchers + "?from=2025-13", "period.syntax", "from"},
			{fmt.Sprintf("/collectives/%d/trial-balance?to=2025", w.f.A.ID), "period.syntax", "to"},
			{fmt.Sprintf("/collectives/%d/assets?status=lost", w.f.A.ID), "api.bad_value", "status"},
			{fmt.Sprintf("/collectives/%d/contracts?kind=loan", w.f.A.ID), "api.bad_value", "kind"},
			{fmt.Sprintf("/collectives/%d/resources?use=mine", w.f.A.ID), "api.bad_value", "use"},
			{"/regions/620422100/stats?year=25", "year.syntax", "year"},
			{"/collectives?region=62x", "region.code", "region"},
			{"/me?verbose=1", "api.unknown_param", "verbose"},
		} {
			c.get(tc.path).wantError(t, http.StatusUnprocessableEntity, tc.code, tc.field, tc.path)
		}
		ans := c.do("PUT", "/me", "{}")
		ans.wantError(t, http.StatusMethodNotAllowed, "api.method_not_allowed", "", "PUT /me")
		if ans.header.Get("Allow") != "GET" {
			t.Errorf("Allow: %q", ans.header.Get("Allow"))
		}
		if ans := c.do("PATCH", fmt.Sprintf("/vouchers/%d", w.draft.ID), "{}"); ans.code != 405 || ans.header.Get("Allow") != "GET, DELETE" {
			t.Errorf("PATCH a voucher: %d, Allow %q", ans.code, ans.header.Get("Allow"))
		}
		for _, p := range []string{"/nothing", "/me/", "/collectives/1/nothing"} {
			c.get(p).wantError(t, http.StatusNotFound, "error.not_found", "", p)
		}
	})
}

// TestAPI_OpenAPI holds the OpenAPI document against the routes the server
// registers: every route documented with its path, query parameters, body
// and status of success, and every documented operation a route.
func TestAPI_OpenAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	if v, _ := doc.m["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Fatalf("openapi %q, want 3.x", v)
	}
	if srv := doc.m["servers"].([]any)[0].(map[string]any)["url"]; srv != "/api/v1" {
		t.Errorf("servers: %v, want /api/v1", srv)
	}
	bearer := doc.get("components", "securitySchemes", "bearerAuth")
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
		t.Errorf("bearerAuth: %v", bearer)
	}
	if req := doc.get("components", "schemas", "Error")["required"].([]any); !slices.Contains(req, any("error")) {
		t.Errorf("Error schema: required %v", req)
	}
	// Every reference resolves.
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				doc.resolve(t, x)
				_ = ref
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(doc.m)

	routes := map[string]web.APIRoute{}
	for _, r := range web.APIRoutes() {
		key := r.Method + " " + r.Path
		if _, dup := routes[key]; dup {
			t.Errorf("route %s twice", key)
		}
		routes[key] = r
	}
	documented := map[string]bool{}
	for path, item := range doc.m["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if !slices.Contains([]string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}, method) {
				continue
			}
			key := strings.ToUpper(method) + " " + path
			documented[key] = true
			if _, ok := routes[key]; !ok {
				t.Errorf("the document has %s, which is no route", key)
			}
		}
	}
	pathParam := regexp.MustCompile(`\{(\w+)\}`)
	for key, r := range routes {
		if !documented[key] {
			t.Errorf("route %s is not documented", key)
			continue
		}
		op := doc.get("paths", r.Path, strings.ToLower(r.Method))
		var inPath, inQuery []string
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			p := doc.resolve(t, p)
			switch p["in"] {
			case "path":
				inPath = append(inPath, p["name"].(string))
				if p["required"] != true {
					t.Errorf("%s: path parameter %v not required", key, p["name"])
				}
			case "query":
				inQuery = append(inQuery, p["name"].(string))
			case "header":
				// The headers the API reads on every route of a kind.
				if h := p["name"]; !(h == "Idempotency-Key" && r.Method == "POST") && !(h == "If-Match" && r.Method != "GET") {
					t.Errorf("%s: header parameter %v", key, h)
				}
			default:
				t.Errorf("%s: parameter %v in %v", key, p["name"], p["in"])
			}
		}
		var wantPath []string
		for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			wantPath = append(wantPath, m[1])
		}
		sort.Strings(inPath)
		sort.Strings(wantPath)
		if !slices.Equal(inPath, wantPath) {
			t.Errorf("%s: path parameters documented %v, want %v", key, inPath, wantPath)
		}
		wantQuery := slices.Clone(r.Query)
		sort.Strings(inQuery)
		sort.Strings(wantQuery)
		if !slices.Equal(inQuery, wantQuery) {
			t.Errorf("%s: query parameters documented %v, the route takes %v", key, inQuery, wantQuery)
		}
		body, hasBody := op["requestBody"].(map[string]any)
		switch {
		case hasBody != (r.Body != web.BodyNone):
			t.Errorf("%s: request body documented %v, the route reads one %v", key, hasBody, r.Body != web.BodyNone)
		case hasBody && (body["required"] == true) != (r.Body == web.BodyRequired):
			t.Errorf("%s: request body required %v, want %v", key, body["required"], r.Body == web.BodyRequired)
		case hasBody && body["content"].(map[string]any)["application/json"] == nil:
			t.Errorf("%s: request body is not application/json", key)
		}
		responses := op["responses"].(map[string]any)
		if _, ok := responses[strconv.Itoa(r.Status)]; !ok {
			t.Errorf("%s: success %d not documented", key, r.Status)
		}
		for code := range responses {
			if strings.HasPrefix(code, "2") && code != strconv.Itoa(r.Status) {
				t.Errorf("%s: documents success %s, the route answers %d", key, code, r.Status)
			}
			if !strings.HasPrefix(code, "2") {
				if s := doc.schemaOf(t, responses[code]); s == nil || s["required"] == nil || !slices.Contains(s["required"].([]any), any("error")) {
					t.Errorf("%s: response %s is not the Error schema", key, code)
				}
			}
		}
		sec, hasSec := op["security"].([]any)
		if public := hasSec && len(sec) == 0; public != r.Public {
			t.Errorf("%s: documented without credentials %v, route public %v", key, public, r.Public)
		}
		if _, ok := responses["401"]; ok == r.Public {
			t.Errorf("%s: 401 documented %v, route public %v", key, ok, r.Public)
		}
	}

	// The document the server serves is this one, and every documented
	// operation reaches a handler of its own, not the API's answer to an
	// address it does not know.
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addRegisters(t, w)                // asset, resource and contract 1 are collective A's
		addMembers(t, w)                  // and member 1
		disclosure := addDisclosure(t, w) // closes 2025-01..03 first
		addDistribution(t, w)             // certificate 0001 and the plan of 2025
		c := w.apiAs(t, "admin")
		served := c.get("/openapi.json").want(t, http.StatusOK, "openapi.json")
		if file, err := os.ReadFile("openapi.json"); err != nil || served.raw != string(file) {
			t.Errorf("the served document is not internal/web/openapi.json (%v)", err)
		}
		// With ids that exist and a user who sees everything, a handler
		// answers anything but 404 and 405.
		for key := range documented {
			method, path, _ := strings.Cut(key, " ")
			id := strconv.FormatInt(w.f.A.ID, 10)
			if strings.HasPrefix(path, "/vouchers/") {
				id = strconv.FormatInt(w.posted["A"].ID, 10)
			}
			if strings.HasPrefix(path, "/disclosures/") {
				id = strconv.FormatInt(disclosure, 10)
			}
			path = strings.NewReplacer("{id}", id, "{code}", "620422", "{year}", "2025", "{number}", w.f.A.Code+"-0001").Replace(path)
			if ans := c.do(method, path, ""); ans.code == http.StatusNotFound || ans.code == http.StatusMethodNotAllowed {
				t.Errorf("%s: %d, no route\n%s", key, ans.code, ans.raw)
			}
		}
	})
}

// openAPI is the parsed document, with what checking answers against it
// needs.
type openAPI struct {
	m     map[string]any
	paths []docPath
}

type docPath struct {
	template string
	re       *regexp.Regexp
}

// loadOpenAPI reads the document, the file the server embeds.
func loadOpenAPI(t *testing.T) *openAPI {
	t.Helper()
	doc, err := readOpenAPI()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

var theOpenAPIOnce = sync.OnceValues(readOpenAPI)

// theOpenAPI is the document, read once for every caller of every test.
func theOpenAPI(t *testing.T) *openAPI {
	t.Helper()
	doc, err := theOpenAPIOnce()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

func readOpenAPI() (*openAPI, error) {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		return nil, err
	}
	doc := &openAPI{}
	if err := json.Unmarshal(b, &doc.m); err != nil {
		return nil, err
	}
	for p := range doc.m["paths"].(map[string]any) {
		re := regexp.MustCompile(`\\\{\w+\\\}`).ReplaceAllString(regexp.QuoteMeta(p), `[^/]+`)
		doc.paths = append(doc.paths, docPath{p, regexp.MustCompile("^" + re + "$")})
	}
	return doc, nil
}

func (d *openAPI) get(keys ...string) map[string]any {
	var v any = d.m
	for _, k := range keys {
		v = v.(map[string]any)[k]
	}
	m, _ := v.(map[string]any)
	return m
}

// resolve follows a $ref within the document.
func (d *openAPI) resolve(t *testing.T, v any) map[string]any {
	t.Helper()
	m, _ := v.(map[string]any)
	for m != nil {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		keys := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
		if m = d.get(keys...); m == nil {
			t.Fatalf("$ref %q does not resolve", ref)
		}
	}
	return m
}

// schemaOf returns the JSON schema of a response.
func (d *openAPI) schemaOf(t *testing.T, resp any) map[string]any {
	r := d.resolve(t, resp)
	content, _ := r["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	if js == nil {
		return nil
	}
	return d.resolve(t, js["schema"])
}

// checkAnswer checks a JSON answer against the schema the document gives
// for its operation and status: a success must be documented as such, an
// error may fall to the default.
func (d *openAPI) checkAnswer(t *testing.T, method, path string, ans answer) {
	t.Helper()
	path, _, _ = strings.Cut(path, "?")
	for _, p := range d.paths {
		if !p.re.MatchString(path) {
			continue
		}
		op := d.get("paths", p.template, strings.ToLower(method))
		if op == nil {
			return // not allowed: no operation to hold it against
		}
		responses := op["responses"].(map[string]any)
		resp, ok := responses[strconv.Itoa(ans.code)]
		if !ok && ans.code >= 400 {
			resp, ok = responses["default"]
		}
		if !ok {
			t.Errorf("%s %s: status %d is not documented", method, p.template, ans.code)
			return
		}
		schema := d.schemaOf(t, resp)
		if schema == nil {
			t.Errorf("%s %s: %d answers JSON, documented without", method, p.template, ans.code)
			return
		}
		var errs []string
		d.check(t, schema, any(ans.json), "", &errs)
		for _, e := range errs {
			t.Errorf("%s %s: %d: %s", method, p.template, ans.code, e)
		}
		return
	}
	if ans.code != http.StatusNotFound && ans.code != http.StatusMethodNotAllowed {
		t.Errorf("%s %s: no documented path", method, path)
	}
}

// check validates v against schema as far as the document uses JSON
// Schema: type, required, properties (and no undocumented ones), items,
// enum, pattern, format date, the lengths of strings and arrays and the
// bounds of numbers.
func (d *openAPI) check(t *testing.T, schema map[string]any, v any, at string, errs *[]string) {
	schema = d.resolve(t, schema)
	var types []string
	switch ty := schema["type"].(type) {
	case string:
		types = []string{ty}
	case []any:
		for _, x := range ty {
			types = append(types, x.(string))
		}
	}
	kind := jsonKind(v)
	if len(types) > 0 && !slices.Contains(types, kind) && !(kind == "integer" && slices.Contains(types, "number")) {
		*errs = append(*errs, fmt.Sprintf("%s: %s, documented %v", at, kind, types))
		return
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		*errs = append(*errs, fmt.Sprintf("%s: %v is not in %v", at, v, enum))
	}
	switch x := v.(type) {
	case string:
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			*errs = append(*errs, fmt.Sprintf("%s: %q does not match %s", at, x, p))
		}
		n := float64(utf8.RuneCountInString(x))
		if m, ok := schema["minLength"].(float64); ok && n < m {
			*errs = append(*errs, fmt.Sprintf("%s: %d characters, fewer than %v", at, int(n), m))
		}
		if m, ok := schema["maxLength"].(float64); ok && n > m {
			*errs = append(*errs, fmt.Sprintf("%s: %d characters, more than %v", at, int(n), m))
		}
		if f, _ := schema["format"].(string); f == "date" {
			if _, err := time.Parse(time.DateOnly, x); err != nil {
				*errs = append(*errs, fmt.Sprintf("%s: %q is not a date", at, x))
			}
		}
	case float64:
		if m, ok := schema["minimum"].(float64); ok && x < m {
			*errs = append(*errs, fmt.Sprintf("%s: %v is below %v", at, x, m))
		}
		if m, ok := schema["maximum"].(float64); ok && x > m {
			*errs = append(*errs, fmt.Sprintf("%s: %v is above %v", at, x, m))
		}
	case []any:
		if m, ok := schema["minItems"].(float64); ok && float64(len(x)) < m {
			*errs = append(*errs, fmt.Sprintf("%s: %d items, fewer than %v", at, len(x), m))
		}
		if m, ok := schema["maxItems"].(float64); ok && float64(len(x)) > m {
			*errs = append(*errs, fmt.Sprintf("%s: %d items, more than %v", at, len(x), m))
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, y := range x {
				d.check(t, items, y, fmt.Sprintf("%s[%d]", at, i), errs)
			}
		}
	case map[string]any:
		req, _ := schema["required"].([]any)
		for _, r := range req {
			if _, ok := x[r.(string)]; !ok {
				*errs = append(*errs, fmt.Sprintf("%s: required %q missing", at, r))
			}
		}
		props, ok := schema["properties"].(map[string]any)
		if !ok {
			return
		}
		for k, y := range x {
			ps, ok := props[k].(map[string]any)
			if !ok {
				*errs = append(*errs, fmt.Sprintf("%s: property %q is not documented", at, k))
				continue
			}
			d.check(t, ps, y, at+"."+k, errs)
		}
	}
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	}
	return "object"
}

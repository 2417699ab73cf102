package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
	"example.org/jiti/internal/web"
)

const password = "Huining-2025!"

// world is a small county: township 620422100 with villages A and B, and
// township 620422101 with village O, each with a collective, a posted
// voucher and, in A, a draft; and a user of every role.
type world struct {
	db    *store.DB
	srv   *httptest.Server
	f     *storetest.Fixture
	O     jiti.Collective
	users map[string]jiti.UserID
	// vouchers by collective letter: posted and (A only) draft
	posted map[string]*ledger.Voucher
	draft  *ledger.Voucher
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	f := storetest.Seed(t, db)
	w := &world{db: db, f: f, users: map[string]jiti.UserID{}, posted: map[string]*ledger.Voucher{}}
	for _, r := range [][2]string{{"620422101", "郭城驿镇"}, {"620422101201", "红堡子村"}} {
		reg, err := jiti.NewRegion(r[0], r[1])
		must(t, err)
		_, err = db.CreateRegion(ctx, f.Admin, reg)
		must(t, err)
	}
	o, err := db.CreateCollective(ctx, f.Admin, jiti.Collective{Name: "红堡子村股份经济合作社", RegionCode: "620422101201",
		Level: jiti.LevelVillage, BooksOpenedOn: jiti.MustDate("2025-01-01")})
	must(t, err)
	w.O = o
	add := func(name string, u jiti.User) {
		u.Name = name
		created, err := db.CreateUser(ctx, f.Admin, u)
		must(t, err)
		w.users[name] = created.ID
	}
	w.users["admin"], w.users["kuaiji"], w.users["shenhe"] = f.Admin, f.Accountant, f.Approver
	add("viewer", jiti.User{Role: jiti.RoleCountyViewer, ScopeRegion: "620422"})
	add("auditor", jiti.User{Role: jiti.RoleAuditor, ScopeRegion: "620422"})
	add("cunkuaiji", jiti.User{Role: jiti.RoleVillageAccountant, ScopeCollectives: []int64{f.A.ID}})
	add("cunshenhe", jiti.User{Role: jiti.RoleVillageApprover, ScopeCollectives: []int64{f.A.ID}})
	add("guocheng", jiti.User{Role: jiti.RoleTownshipSupervisor, ScopeRegion: "620422101"})
	add("gckuaiji", jiti.User{Role: jiti.RoleAgencyAccountant, ScopeRegion: "620422101"})
	for name, id := range w.users {
		must(t, db.SetPassword(ctx, f.Admin, id, password))
		_ = name
	}
	for _, a := range [][2]string{{"10201", "农商银行基本户"}, {"50101", "租赁收入"}} {
		_, err := db.CreateAccount(ctx, w.users["gckuaiji"], o.ID, a[0], a[1])
		must(t, err)
	}
	w.posted["A"] = f.Post(t, f.A.ID, "2025-03-05", storetest.Line("收南什村鱼塘租金", "10201", "1200"), storetest.Line("收南什村鱼塘租金", "50101", "-1200"))
	w.posted["B"] = f.Post(t, f.B.ID, "2025-03-05", storetest.Line("收南咀村厂房租金", "10201", "800"), storetest.Line("收南咀村厂房租金", "50101", "-800"))
	vo, err := db.CreateVoucher(ctx, w.users["gckuaiji"], &ledger.Voucher{CollectiveID: o.ID, Date: jiti.MustDate("2025-04-01"),
		Lines: []ledger.Line{storetest.Line("收红堡子村机耕服务费", "10201", "500"), storetest.Line("收红堡子村机耕服务费", "50101", "-500")}})
	must(t, err)
	must(t, db.ApproveVoucher(ctx, w.users["guocheng"], vo.ID))
	w.posted["O"], err = db.PostVoucher(ctx, w.users["gckuaiji"], vo.ID)
	must(t, err)
	w.draft, err = db.CreateVoucher(ctx, f.Accountant, &ledger.Voucher{CollectiveID: f.A.ID, Date: jiti.MustDate("2025-05-01"),
		Lines: []ledger.Line{storetest.Line("南什村草稿", "10201", "10"), storetest.Line("南什村草稿", "50101", "-10")}})
	must(t, err)
	app, err := web.New(db, nil)
	must(t, err)
	app.Now = db.Now
	w.srv = httptest.NewServer(app.Handler())
	t.Cleanup(w.srv.Close)
	return w
}

// client returns an HTTP client signed in as name (through the sign-in
// form, as a browser would), which does not follow redirects.
func (w *world) client(t *testing.T, name string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if name == "" {
		return c
	}
	resp, err := c.PostForm(w.srv.URL+"/signin", url.Values{"name": {name}, "password": {password}, "next": {"/"}})
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", name, resp.StatusCode)
	}
	return c
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp.StatusCode, string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp.StatusCode, string(b)
}

// TestSignin_Next returns a user to the page asked for after signing in,
// and never to another site, however the address is disguised.
func TestSignin_Next(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	for next, want := range map[string]string{
		"/c/1/vouchers":        "/c/1/vouchers",
		"//evil.example/x":     "/",
		"https://evil.example": "/",
		"/\t/evil.example":     "/",
		"/\\evil.example":      "/",
		"/%2F/evil.example":    "/%2F/evil.example",
		"javascript:alert(1)":  "/",
		"":                     "/",
	} {
		c := w.client(t, "")
		resp, err := c.PostForm(w.srv.URL+"/signin", url.Values{"name": {"admin"}, "password": {password}, "next": {next}})
		must(t, err)
		resp.Body.Close()
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next %q: sent to %q, want %q", next, got, want)
		}
	}
}

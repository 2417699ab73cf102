package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestAdmin_Users creates a user through the form, with its scope by
// collective code and a password, sees bad entries come back beside their
// fields, disables the user (who then cannot sign in) and enables them;
// only a county administrator reaches these pages.
func TestAdmin_Users(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		admin := w.client(t, "admin")
		for _, name := range []string{"viewer", "auditor", "kuaiji", "shenhe", "cunkuaiji"} {
			c := w.client(t, name)
			for _, p := range []string{"/admin/users", "/admin/users/new", fmt.Sprintf("/admin/users/%d", w.users["kuaiji"])} {
				if code, _ := get(t, c, w.srv.URL+p); code != http.StatusForbidden {
					t.Errorf("%s GET %s: status %d, want 403", name, p, code)
				}
			}
			if code, _ := post(t, c, fmt.Sprintf("%s/admin/users/%d/disable", w.srv.URL, w.users["shenhe"]), nil); code != http.StatusForbidden {
				t.Errorf("%s disabling a user: status %d, want 403", name, code)
			}
		}
		code, body := get(t, admin, w.srv.URL+"/admin/users")
		if code != http.StatusOK || !strings.Contains(body, "cunkuaiji") {
			t.Fatalf("users page: status %d", code)
		}

		form := url.Values{"name": {"xincun"}, "display_name": {"新村会计"}, "role": {"village_accountant"},
			"scope_collectives": {w.f.A.Code + ", NOPE"}, "password": {"Xincun-2025"}}
		code, body = post(t, admin, w.srv.URL+"/admin/users/new", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="新村会计"`) || !strings.Contains(body, "NOPE") {
			t.Fatalf("unknown collective code: status %d, or the entries are lost", code)
		}
		form.Set("scope_collectives", w.f.A.Code)
		form.Set("password", "123")
		code, body = post(t, admin, w.srv.URL+"/admin/users/new", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "field-error") {
			t.Fatalf("short password: status %d, or no error beside it", code)
		}
		form.Set("password", "Xincun-2025")
		resp, err := admin.PostForm(w.srv.URL+"/admin/users/new", form)
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create user: status %d", resp.StatusCode)
		}
		u, err := db.FindUserByName(t.Context(), "xincun")
		must(t, err)
		if len(u.ScopeCollectives) != 1 || u.ScopeCollectives[0] != w.f.A.ID {
			t.Errorf("new user's scope: %v", u.ScopeCollectives)
		}
		c := signInAs(t, w, "xincun", "Xincun-2025")
		if code, _ := get(t, c, fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, w.f.A.ID)); code != http.StatusOK {
			t.Errorf("new user reading own collective: status %d", code)
		}
		if code, _ := post(t, admin, fmt.Sprintf("%s/admin/users/%d/disable", w.srv.URL, u.ID), nil); code != http.StatusSeeOther {
			t.Fatalf("disable: status %d", code)
		}
		if code, _ := get(t, c, fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, w.f.A.ID)); code != http.StatusSeeOther {
			t.Errorf("disabled user's session still reads: status %d", code)
		}
		if code, _ := post(t, admin, fmt.Sprintf("%s/admin/users/%d/enable", w.srv.URL, u.ID), nil); code != http.StatusSeeOther {
			t.Errorf("enable: status %d", code)
		}
		if code, _ := post(t, admin, fmt.Sprintf("%s/admin/users/%d/password", w.srv.URL, u.ID), url.Values{"password": {"1"}}); code != http.StatusUnprocessableEntity {
			t.Errorf("reset to a short password: status %d, want 422", code)
		}
		if code, _ := get(t, admin, w.srv.URL+"/admin/users/999999"); code != http.StatusNotFound {
			t.Errorf("unknown user: status %d, want 404", code)
		}
	})
}

// signInAs signs in with a password of the caller's.
func signInAs(t *testing.T, w *world, name, pw string) *http.Client {
	t.Helper()
	c := w.client(t, "")
	resp, err := c.PostForm(w.srv.URL+"/signin", url.Values{"name": {name}, "password": {pw}})
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", name, resp.StatusCode)
	}
	return c
}

// TestAudit_Scope reads the audit log: the administrator sees every event,
// an auditor of the county those of its collectives (not the users'), and
// other roles are refused.
func TestAudit_Scope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		_, body := get(t, w.client(t, "admin"), w.srv.URL+"/audit?entity=user")
		if !strings.Contains(body, "user.create") {
			t.Errorf("the administrator's audit log lacks user.create")
		}
		code, body := get(t, w.client(t, "auditor"), w.srv.URL+"/audit")
		if code != http.StatusOK || !strings.Contains(body, "voucher.post") || strings.Contains(body, "user.create") {
			t.Errorf("auditor's audit log: status %d, voucher.post %v, user.create %v", code,
				strings.Contains(body, "voucher.post"), strings.Contains(body, "user.create"))
		}
		code, body = get(t, w.client(t, "auditor"), w.srv.URL+"/audit?collective="+w.O.Code)
		if code != http.StatusOK || !strings.Contains(body, "voucher.post") {
			t.Errorf("auditor filtering by collective: status %d", code)
		}
		for _, name := range []string{"viewer", "kuaiji", "cunkuaiji"} {
			if code, _ := get(t, w.client(t, name), w.srv.URL+"/audit"); code != http.StatusForbidden {
				t.Errorf("%s reading the audit log: status %d, want 403", name, code)
			}
		}
	})
}

// TestAdmin_EditUser moves a user to another township through the user's
// page: the next request of the user's open session sees the new scope.
func TestAdmin_EditUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		admin, kj := w.client(t, "admin"), w.client(t, "kuaiji")
		edit := fmt.Sprintf("%s/admin/users/%d/edit", w.srv.URL, w.users["kuaiji"])
		form := url.Values{"display_name": {"郭城驿镇代理会计"}, "role": {"agency_accountant"}, "scope_region": {"620422199"}}
		code, body := post(t, admin, edit, form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="620422199"`) || !strings.Contains(body, "field-error") {
			t.Fatalf("unknown region: status %d, or the entry or its error is missing", code)
		}
		form.Set("scope_region", "620422101")
		if code, _ := post(t, admin, edit, form); code != http.StatusSeeOther {
			t.Fatalf("edit: status %d", code)
		}
		if code, _ := get(t, kj, fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, w.f.A.ID)); code != http.StatusNotFound {
			t.Errorf("moved user reading the old township: status %d, want 404", code)
		}
		if code, _ := get(t, kj, fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, w.O.ID)); code != http.StatusOK {
			t.Errorf("moved user reading the new township: status %d, want 200", code)
		}
		if code, _ := post(t, w.client(t, "shenhe"), edit, form); code != http.StatusForbidden {
			t.Errorf("a supervisor editing a user: status %d, want 403", code)
		}
	})
}

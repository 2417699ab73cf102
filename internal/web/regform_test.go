package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// fieldOf returns the markup of a register form's field named name: from
// its input to the next field's label, so its error beside it is in it.
func fieldOf(body, name string) string {
	start := strings.Index(body, fmt.Sprintf(`name="%s"`, name))
	if start < 0 {
		return ""
	}
	end := strings.Index(body[start:], "<label>")
	if end < 0 {
		end = len(body) - start
	}
	return body[start : start+end]
}

// postTo posts a form and returns the status, the body and where it
// redirects.
func postTo(t *testing.T, c *http.Client, u string, form url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// wantFieldError checks that a form's answer has an error beside field.
func wantFieldError(t *testing.T, body, field, what string) {
	t.Helper()
	f := fieldOf(body, field)
	if f == "" {
		t.Errorf("%s: the form has no field %q", what, field)
		return
	}
	if !strings.Contains(f, `class="field-error"`) {
		t.Errorf("%s: no error beside %q:\n%s", what, field, f)
	}
}

// TestRegisterForms_RoleScope refuses the forms to a role that may not
// keep books (403) and hides them from a user out of the collective's
// scope (404, as a page that does not exist), and a contract of another
// collective under this one's address is nobody's.
func TestRegisterForms_RoleScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		a := w.f.A.ID
		asset := url.Values{"code": {"ZC-020"}, "name": {"水泵"}, "category": {"machinery"}, "acquired_on": {"2025-06-01"},
			"source": {"purchase"}, "cost": {"1000"}, "life_months": {"60"}, "credit": {"10201"}}
		receipt := url.Values{"date": {"2025-03-05"}, "amount": {"1000"}, "account": {"10201"}}
		lease := fmt.Sprintf("/c/%d/contracts/%d", a, r.lease.ID)
		paths := []struct {
			path string
			form url.Values
		}{
			{fmt.Sprintf("/c/%d/assets/new", a), asset}, {fmt.Sprintf("/c/%d/resources/new", a), url.Values{}},
			{fmt.Sprintf("/c/%d/contracts/new", a), url.Values{}}, {lease + "/sign", url.Values{"signed_on": {"2025-03-01"}}},
			{lease + "/terminate", url.Values{"ended_on": {"2025-12-31"}, "reason": {"x"}}}, {lease + "/receipts", receipt},
		}
		for _, u := range []struct {
			name string
			want int
		}{{"cunshenhe", http.StatusForbidden}, {"viewer", http.StatusForbidden}, {"guocheng", http.StatusNotFound},
			{"gckuaiji", http.StatusNotFound}} {
			c := w.client(t, u.name)
			for _, p := range paths {
				if code, _ := get(t, c, w.srv.URL+p.path); code != u.want {
					t.Errorf("%s: GET %s: status %d, want %d", u.name, p.path, code, u.want)
				}
				if code, _ := post(t, c, w.srv.URL+p.path, p.form); code != u.want {
					t.Errorf("%s: POST %s: status %d, want %d", u.name, p.path, code, u.want)
				}
			}
		}
		if _, body := get(t, w.client(t, "cunshenhe"), w.srv.URL+lease); strings.Contains(body, "/receipts") {
			t.Errorf("an approver's contract page offers the receipt form")
		}
		kj := w.client(t, "kuaiji")
		for _, p := range []string{fmt.Sprintf("/c/%d/contracts/%d/receipts", a, r.wellLease.ID), fmt.Sprintf("/c/%d/contracts/x/sign", a),
			"/c/999999/assets/new"} {
			if code, _ := post(t, kj, w.srv.URL+p, receipt); code != http.StatusNotFound {
				t.Errorf("POST %s: status %d, want 404", p, code)
			}
		}
		n := storetest.Count(t, db, "SELECT COUNT(*) FROM receipts WHERE contract_id = %d", r.lease.ID)
		if n != 1 {
			t.Errorf("the lease has %d receipts, want only the one it had", n)
		}
		// The forms speak English too.
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/c/%d/contracts/new", w.srv.URL, a), nil)
		req.Header.Set("Accept-Language", "en")
		resp, err := kj.Do(req)
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{"New contract", "Counterparty", "Identity number"} {
			if !strings.Contains(string(b), want) {
				t.Errorf("the English contract form lacks %q", want)
			}
		}
	})
}

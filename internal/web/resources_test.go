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

// TestResourceForm registers a piece of land; a wrong area comes back
// beside its field.
func TestResourceForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a := w.f.A.ID
		c := w.client(t, "kuaiji")
		newURL := fmt.Sprintf("%s/c/%d/resources/new", w.srv.URL, a)
		if code, body := get(t, c, newURL); code != http.StatusOK || !strings.Contains(body, `<option value="forest">林地</option>`) {
			t.Fatalf("new resource form: status %d, or without the land kinds", code)
		}
		form := url.Values{"code": {"ZY-010"}, "name": {"南什村后山林地"}, "kind": {"forest"}, "area": {"12.345"}, "use": {"idle"},
			"use_since": {"2025-02-01"}, "location": {"后山"}, "boundaries": {"东至沟、西至梁"}}
		code, body, _ := postTo(t, c, newURL, form)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("bad area: status %d, want 422", code)
		}
		wantFieldError(t, body, "area", "bad area")
		if !strings.Contains(body, `value="12.345"`) || !strings.Contains(body, `value="东至沟、西至梁"`) {
			t.Errorf("bad area: the entries are not kept")
		}
		form.Set("area", "12.5")
		if code, _, loc := postTo(t, c, newURL, form); code != http.StatusSeeOther || loc != fmt.Sprintf("/c/%d/resources", a) {
			t.Fatalf("good resource: status %d to %q, want 303 to the register", code, loc)
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/resources", w.srv.URL, a))
		if row := tableRow(body, "ZY-010"); !strings.Contains(row, "12.50") || !strings.Contains(row, "闲置") || !strings.Contains(row, "2025-02-01") {
			t.Errorf("the register's row of the new resource is %q", row)
		}
		if !strings.Contains(body, fmt.Sprintf(`href="/c/%d/resources/new"`, a)) {
			t.Errorf("the resource register lacks the new resource button")
		}
	})
}

// TestResourceUse_Form changes the land's use from the resource register.
func TestResourceUse_Form(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		ctx, a := context.Background(), w.f.A.ID
		c := w.client(t, "kuaiji")
		list := fmt.Sprintf("%s/c/%d/resources", w.srv.URL, a)
		link := fmt.Sprintf(`href="/c/%d/resources/%d/use"`, a, r.land.ID)
		if _, body := get(t, c, list); !strings.Contains(tableRow(body, "ZY-001"), link) || !strings.Contains(body, "变更利用方式") {
			t.Errorf("the keeper's resource register lacks the change of use")
		}
		if _, body := get(t, c, list+"?print=1"); strings.Contains(body, "/use\"") {
			t.Errorf("the printed register offers the change of use")
		}
		if _, body := get(t, w.client(t, "viewer"), list); strings.Contains(body, "/use\"") {
			t.Errorf("a viewer's register offers the change of use")
		}
		useURL := fmt.Sprintf("%s/c/%d/resources/%d/use", w.srv.URL, a, r.land.ID)
		if code, body := get(t, c, useURL); code != http.StatusOK || !strings.Contains(body, "现利用方式：闲置") || !strings.Contains(body, "南什村河滩地") {
			t.Fatalf("use form: status %d, or without the land and its use", code)
		}
		code, body, _ := postTo(t, c, useURL, url.Values{"use": {"idle"}, "date": {"2025-07-01"}})
		if code != http.StatusConflict {
			t.Fatalf("same use: status %d, want 409", code)
		}
		wantFieldError(t, body, "use", "same use")
		code, body, _ = postTo(t, c, useURL, url.Values{"use": {"leased"}, "date": {"2024-06-01"}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("date before the use: status %d, want 422", code)
		}
		wantFieldError(t, body, "date", "date before the use")
		if !strings.Contains(body, `<option value="leased" selected>`) || !strings.Contains(body, `value="2024-06-01"`) {
			t.Errorf("date before the use: the entries are not kept")
		}
		form := url.Values{"use": {"collective_operated"}, "date": {"2025-07-01"}}
		if code, _, _ := postTo(t, w.client(t, "cunshenhe"), useURL, form); code != http.StatusForbidden {
			t.Errorf("village approver: %d, want 403", code)
		}
		if code, _, _ := postTo(t, w.client(t, "gckuaiji"), useURL, form); code != http.StatusNotFound {
			t.Errorf("another township's keeper: %d, want 404", code)
		}
		if code, _, _ := postTo(t, c, fmt.Sprintf("%s/c/%d/resources/999999/use", w.srv.URL, a), form); code != http.StatusNotFound {
			t.Errorf("unknown resource: %d, want 404", code)
		}
		code, _, loc := postTo(t, c, useURL, form)
		if want := fmt.Sprintf("/c/%d/resources?done=use", a); code != http.StatusSeeOther || loc != want {
			t.Fatalf("good change: status %d to %q, want 303 to %q", code, loc, want)
		}
		_, body = get(t, c, w.srv.URL+loc)
		if row := tableRow(body, "ZY-001"); !strings.Contains(body, "资源利用方式已变更") || !strings.Contains(row, "集体经营") || !strings.Contains(row, "2025-07-01") {
			t.Errorf("the register after the change: row %q", row)
		}
		rs, err := db.FindResources(ctx, store.ResourceFilter{CollectiveID: a})
		must(t, err)
		if len(rs) != 1 || rs[0].Use != register.CollectiveOperated || rs[0].UseSince != jiti.MustDate("2025-07-01") {
			t.Errorf("the land after the change: %+v", rs)
		}
	})
}

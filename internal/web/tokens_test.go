package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestTokens_Page makes an API token from the page, which shows it once;
// the token signs a program in, another user cannot revoke it, and
// revoked by its user it no longer does.
func TestTokens_Page(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		c := w.client(t, "cunkuaiji")
		page := w.srv.URL + "/tokens"

		code, body := get(t, c, page)
		if code != http.StatusOK || !strings.Contains(body, `<a href="/tokens">API 令牌</a>`) || !strings.Contains(body, `action="/tokens"`) {
			t.Fatalf("tokens page: status %d, or without the menu's link or the form", code)
		}
		if code, _ := get(t, w.client(t, ""), page); code != http.StatusSeeOther {
			t.Errorf("signed out: %d, want 303 to sign in", code)
		}

		code, body, _ = postTo(t, c, page, url.Values{"name": {""}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("no name: status %d, want 422", code)
		}
		wantFieldError(t, body, "name", "no name")
		long := strings.Repeat("令", 65)
		code, body, _ = postTo(t, c, page, url.Values{"name": {long}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="`+long+`"`) {
			t.Fatalf("long name: status %d, want 422 with the name kept", code)
		}
		wantFieldError(t, body, "name", "long name")

		// Making a token answers with a redirect to the list (reloading
		// the answer makes no second token), which shows the token once.
		code, _, loc := postTo(t, c, page, url.Values{"name": {"报表<程序>"}})
		if code != http.StatusSeeOther || loc != "/tokens" {
			t.Fatalf("new token: status %d to %q; want 303 to the list", code, loc)
		}
		resp, err := c.Get(page)
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("the list with the new token: status %d, Cache-Control %q; want 200 no-store", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		code, _, loc = postTo(t, c, page, url.Values{"name": {"同步"}, "expires": {"30"}})
		if code != http.StatusSeeOther || loc != "/tokens" {
			t.Fatalf("second token: status %d to %q", code, loc)
		}
		_, body = get(t, c, page)
		const open = `<code id="new-token">`
		i := strings.Index(body, open)
		if i < 0 {
			t.Fatalf("the new token is not shown")
		}
		tok := body[i+len(open):]
		tok = tok[:strings.Index(tok, "<")]
		if len(tok) < 20 || !strings.Contains(body, "只显示这一次") || !strings.Contains(body, "已生成 API 令牌“同步”") || !strings.Contains(body, "报表&lt;程序&gt;") {
			t.Fatalf("the new token %q, its name, its warning or the list is missing", tok)
		}
		if _, body := get(t, c, page); strings.Contains(body, tok) || strings.Contains(body, "new-token") {
			t.Errorf("the token is shown again on reloading")
		}
		if ts, err := db.APITokens(ctx, w.users["cunkuaiji"]); err != nil || len(ts) != 2 {
			t.Fatalf("%d tokens after making two, %v", len(ts), err)
		}
		// Each row shows the expiry: 30 days for one, 90 for the other.
		if row := tableRow(body, "同步"); !strings.Contains(row, "2026-02-19") {
			t.Errorf("the 30-day token's row: %q", row)
		}
		if row := tableRow(body, "报表&lt;程序&gt;"); !strings.Contains(row, "2026-04-20") {
			t.Errorf("the 90-day token's row: %q", row)
		}
		// A lifetime past the longest, or not a number of days, is the
		// form's error beside its field, the name kept.
		for _, bad := range []string{"400", "soon"} {
			code, body, _ = postTo(t, c, page, url.Values{"name": {"年报"}, "expires": {bad}})
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="年报"`) {
				t.Fatalf("expires %s: status %d, want 422 with the name kept", bad, code)
			}
			wantFieldError(t, body, "expires", "expires "+bad)
		}

		// The token signs a program in as its user.
		prog := w.apiAs(t, "")
		prog.token = tok
		if me := prog.get("/me").want(t, http.StatusOK, "new token"); me.json["name"] != "cunkuaiji" {
			t.Errorf("/me by the new token: %s", me.raw)
		}
		if _, body := get(t, c, page); !strings.Contains(tableRow(body, "同步"), "2026-01-20 ") || !strings.Contains(tableRow(body, "同步"), "127.0.0.1") {
			t.Errorf("the list does not show the token's last use and its address: %q", tableRow(body, "同步"))
		}

		toks, err := db.APITokens(ctx, w.users["cunkuaiji"])
		must(t, err)
		var id int64
		for _, tk := range toks {
			if tk.Name == "同步" {
				id = tk.ID
			}
		}
		revoke := fmt.Sprintf("%s/tokens/%d/revoke", w.srv.URL, id)
		for _, u := range []string{"kuaiji", "cunshenhe"} {
			if code, _, _ := postTo(t, w.client(t, u), revoke, nil); code != http.StatusNotFound {
				t.Errorf("%s revokes another's token: %d, want 404", u, code)
			}
		}
		for _, u := range []string{"/tokens/999999/revoke", "/tokens/x/revoke"} {
			if code, _, _ := postTo(t, c, w.srv.URL+u, nil); code != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404", u, code)
			}
		}
		prog.get("/me").want(t, http.StatusOK, "token after others tried to revoke it")

		code, _, loc = postTo(t, c, revoke, nil)
		if code != http.StatusSeeOther || loc != "/tokens?done=token_revoke" {
			t.Fatalf("revoke: status %d to %q, want 303 to the list", code, loc)
		}
		_, body = get(t, c, w.srv.URL+loc)
		if row := tableRow(body, "同步"); !strings.Contains(body, "令牌已撤销") || !strings.Contains(row, "撤销") || strings.Contains(row, "/revoke") {
			t.Errorf("the list after revoking: %q", row)
		}
		if !strings.Contains(tableRow(body, "报表&lt;程序&gt;"), "/revoke") {
			t.Errorf("the other token is no longer revocable")
		}
		prog.get("/me").wantError(t, http.StatusUnauthorized, store.ErrTokenInvalid.Key, "", "revoked token")
	})
}

package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestRoutes_RoleScope drives every page as every role: a page in the
// user's scope answers 200, one outside it 404, the same as one that does
// not exist; nothing a user may not see appears in any answer; and signed
// out, every page sends to the sign-in form.
func TestRoutes_RoleScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		cid := map[string]int64{"A": w.f.A.ID, "O": w.O.ID}
		// What each user sees: collectives by letter and region codes.
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
		collectivePaths := func(letter string) []string {
			id, v := cid[letter], w.posted[letter].ID
			return []string{
				fmt.Sprintf("/c/%d", id), fmt.Sprintf("/c/%d/vouchers", id), fmt.Sprintf("/c/%d/vouchers?status=posted&q=租金", id),
				fmt.Sprintf("/c/%d/vouchers/%d", id, v), fmt.Sprintf("/c/%d/vouchers/%d/print", id, v),
				fmt.Sprintf("/c/%d/trial-balance", id), fmt.Sprintf("/c/%d/trial-balance?from=2025-01&to=2025-12&print=1", id),
				fmt.Sprintf("/c/%d/figure/total_income?year=2025", id),
			}
		}
		regionPaths := func(code string) []string {
			return []string{"/r/" + code, "/r/" + code + "?year=2025", "/r/" + code + "/line/total_income?year=2025", "/r/" + code + "/tier/0?year=2025", "/r/" + code + "/weak?year=2025"}
		}
		// Secrets of O: its name and its voucher's summary.
		secretsO := []string{"红堡子村", "收红堡子村机耕服务费"}
		secretsA := []string{"南什村股份经济合作社", "收南什村鱼塘租金"}
		for user, want := range sees {
			t.Run(user, func(t *testing.T) {
				c := w.client(t, user)
				check := func(path string, visible bool) {
					code, body := get(t, c, w.srv.URL+path)
					if visible && code != http.StatusOK {
						t.Errorf("%s: status %d, want 200", path, code)
					}
					if !visible && code != http.StatusNotFound {
						t.Errorf("%s: status %d, want 404", path, code)
					}
					for letter, secrets := range map[string][]string{"A": secretsA, "O": secretsO} {
						if strings.Contains(want.collectives, letter) {
							continue
						}
						for _, s := range secrets {
							if strings.Contains(body, s) {
								t.Errorf("%s: answer shows %q, of a collective out of scope", path, s)
							}
						}
					}
				}
				for _, letter := range []string{"A", "O"} {
					for _, p := range collectivePaths(letter) {
						check(p, strings.Contains(want.collectives, letter))
					}
				}
				for _, code := range all {
					visible := false
					for _, r := range want.regions {
						visible = visible || r == code
					}
					for _, p := range regionPaths(code) {
						check(p, visible)
					}
				}
				// A voucher of O under A's address is nobody's.
				check(fmt.Sprintf("/c/%d/vouchers/%d", w.f.A.ID, w.posted["O"].ID), false)
				check("/c/999999", false)
				check("/c/abc/vouchers", false)
				check("/r/999999", false)
				// Home leads into the user's scope.
				code, _ := get(t, c, w.srv.URL+"/")
				if code != http.StatusSeeOther {
					t.Errorf("/: status %d, want a redirect", code)
				}
			})
		}
		t.Run("signed out", func(t *testing.T) {
			c := w.client(t, "")
			for _, p := range append(collectivePaths("A"), append(regionPaths("620422"), "/", "/password")...) {
				resp, err := c.Get(w.srv.URL + p)
				must(t, err)
				resp.Body.Close()
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin?next=") {
					t.Errorf("%s: status %d to %q, want the sign-in form", p, resp.StatusCode, loc)
				}
			}
			for _, p := range []string{"/signout", fmt.Sprintf("/c/%d/vouchers/%d/approve", w.f.A.ID, w.draft.ID)} {
				if code, _ := post(t, c, w.srv.URL+p, nil); code != http.StatusUnauthorized {
					t.Errorf("POST %s: status %d, want 401", p, code)
				}
			}
		})
	})
}

// TestVoucherActions_Roles approves and posts a draft through the pages:
// a user out of scope gets 404, a role that may not act 403, and the
// maker cannot approve their own voucher.
func TestVoucherActions_Roles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		act := func(user, action string, want int) {
			t.Helper()
			c := w.client(t, user)
			code, _ := post(t, c, fmt.Sprintf("%s/c/%d/vouchers/%d/%s", w.srv.URL, w.f.A.ID, w.draft.ID, action), nil)
			if code != want {
				t.Errorf("%s %s: status %d, want %d", user, action, code, want)
			}
		}
		act("guocheng", "approve", http.StatusNotFound)
		act("cunkuaiji", "approve", http.StatusForbidden)
		act("viewer", "approve", http.StatusForbidden)
		act("kuaiji", "approve", http.StatusForbidden) // the maker
		act("shenhe", "frobnicate", http.StatusNotFound)
		act("shenhe", "approve", http.StatusSeeOther)
		act("cunshenhe", "post", http.StatusForbidden)
		act("gckuaiji", "post", http.StatusNotFound)
		act("kuaiji", "post", http.StatusSeeOther)
		v, err := db.FindVoucher(t.Context(), w.draft.ID)
		must(t, err)
		if v.Status != "posted" || v.Number == 0 {
			t.Fatalf("voucher after the pages: %s no. %d, want posted", v.Status, v.Number)
		}
		// Posted, it shows in the trial balance.
		_, body := get(t, w.client(t, "cunkuaiji"), fmt.Sprintf("%s/c/%d/trial-balance?from=2025-01&to=2025-12", w.srv.URL, w.f.A.ID))
		if !strings.Contains(body, "1,210.00") {
			t.Errorf("trial balance lacks the 50101 turnover 1,210.00:\n%s", body)
		}
	})
}

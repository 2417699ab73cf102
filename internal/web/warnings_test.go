package web_test

import (
	"fmt"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestWarnings_Page lists the arrears and the idle machine of A under
// their kinds, on the county's page and on A's; the dashboard links there.
func TestWarnings_Page(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		c := w.client(t, "kuaiji")
		_, body := get(t, c, w.srv.URL+"/r/620422100/warnings")
		for _, want := range []string{`id="arrears"`, `id="idle_too_long"`, "欠款逾期", "资产长期闲置",
			fmt.Sprintf(`/c/%d/contracts/%d`, w.f.A.ID, r.lease.ID), fmt.Sprintf(`/c/%d/assets/%d`, w.f.A.ID, r.machine.ID),
			"南什村股份经济合作社", "HT-001"} {
			if !strings.Contains(body, want) {
				t.Errorf("township warnings lack %q", want)
			}
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/warnings", w.srv.URL, w.f.A.ID))
		if !strings.Contains(body, "ZC-002") || !strings.Contains(body, "HT-001") {
			t.Errorf("A's warnings lack the idle machine or the lease")
		}
		_, body = get(t, c, w.srv.URL+"/r/620422100?year=2025")
		if !strings.Contains(body, `href="/r/620422100/warnings?year=2025#arrears"`) {
			t.Errorf("dashboard does not link its arrears to the warnings")
		}
	})
}

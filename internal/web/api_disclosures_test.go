package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// addDisclosure closes collective A's first quarter and prepares its
// disclosure, and returns its id.
func addDisclosure(t *testing.T, w *world) int64 {
	t.Helper()
	ctx := context.Background()
	must(t, w.db.ClosePeriods(ctx, w.f.Accountant, w.f.A.ID, jiti.MustPeriod("2025-01"), jiti.MustPeriod("2025-03")))
	q1, _ := disclose.ParsePeriod("2025Q1")
	d, err := w.db.PrepareDisclosure(ctx, w.f.Accountant, w.f.A.ID, q1)
	must(t, err)
	return d.ID
}

// TestAPI_Disclosures prepares, checks and publishes a quarter through
// the API, reads it back with its snapshot, and finds it out of reach of
// a user of another township.
func TestAPI_Disclosures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.apiAs(t, "kuaiji")
		base := fmt.Sprintf("/collectives/%d/disclosures", w.f.A.ID)
		c.do("POST", base, `{"period":"2025Q1"}`).want(t, http.StatusConflict, "prepare with open months")
		c.do("POST", base, `{"period":"2025Q9"}`).want(t, http.StatusUnprocessableEntity, "a bad period")
		must(t, db.ClosePeriods(context.Background(), w.f.Accountant, w.f.A.ID, jiti.MustPeriod("2025-01"), jiti.MustPeriod("2025-03")))
		d := c.do("POST", base, `{"period":"2025Q1"}`).want(t, http.StatusCreated, "prepare")
		id := int64(d.json["id"].(float64))
		snap, _ := d.json["snapshot"].(map[string]any)
		if d.json["status"] != "prepared" || snap == nil || snap["income"].(float64) != 120000 {
			t.Fatalf("prepared: %s", d.raw)
		}
		one := fmt.Sprintf("/disclosures/%d", id)
		ans := c.do("POST", one+"/check", `{"checker":"","checked_on":"2025-04-08"}`).want(t, http.StatusUnprocessableEntity, "no checker")
		if !strings.Contains(ans.raw, `"field":"checker"`) {
			t.Errorf("error names no field: %s", ans.raw)
		}
		c.do("POST", one+"/check", `{"checker":"王五","checked_on":"2025-04-08","check_remarks":"无异议"}`).want(t, http.StatusOK, "check")
		pub := c.do("POST", one+"/publish", "").want(t, http.StatusOK, "publish")
		if pub.json["status"] != "published" || pub.json["hash"] != d.json["hash"] {
			t.Fatalf("published: %s", pub.raw)
		}
		list := c.get(base).want(t, http.StatusOK, "list")
		if list.json["total"].(float64) != 1 {
			t.Errorf("list: %s", list.raw)
		}
		other := w.apiAs(t, "gckuaiji")
		other.get(one).want(t, http.StatusNotFound, "another township's user")
		other.do("POST", one+"/publish", "").want(t, http.StatusNotFound, "another township's user publishes")
	})
}

// TestDisclosurePages drives the signed-in pages: a bad period is shown
// beside its field with what was typed kept; the quarter is prepared,
// checked and published through the forms.
func TestDisclosurePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.client(t, "kuaiji")
		page := fmt.Sprintf("%s/c/%d/disclosures", w.srv.URL, w.f.A.ID)
		if code, body := post(t, c, page, map[string][]string{"period": {"2025Q7"}}); code != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `value="2025Q7"`) || !strings.Contains(body, "field-error") {
			t.Fatalf("a bad period: %d\n%s", code, body)
		}
		must(t, db.ClosePeriods(context.Background(), w.f.Accountant, w.f.A.ID, jiti.MustPeriod("2025-01"), jiti.MustPeriod("2025-03")))
		if code, _ := post(t, c, page, map[string][]string{"period": {"2025Q1"}}); code != http.StatusSeeOther {
			t.Fatalf("prepare: %d", code)
		}
		ds, err := db.Disclosures(context.Background(), w.f.A.ID)
		must(t, err)
		act := fmt.Sprintf("%s/%d/", page, ds[0].ID)
		if code, body := post(t, c, act+"check", map[string][]string{"checker": {"王五"}, "checked_on": {"2025-03-01"}}); code != http.StatusUnprocessableEntity ||
			!strings.Contains(body, `value="王五"`) {
			t.Fatalf("a check before the quarter's end: %d", code)
		}
		if code, _ := post(t, c, act+"check", map[string][]string{"checker": {"王五"}, "checked_on": {"2025-04-08"}}); code != http.StatusSeeOther {
			t.Fatalf("check: %d", code)
		}
		if code, _ := post(t, c, act+"publish", nil); code != http.StatusSeeOther {
			t.Fatalf("publish: %d", code)
		}
		code, body := get(t, c, page)
		if code != http.StatusOK || !strings.Contains(body, "已公布") || !strings.Contains(body, "/p/"+w.f.A.Code+"/") {
			t.Fatalf("list: %d\n%s", code, body)
		}
		// The village of another township: not found.
		other := w.client(t, "gckuaiji")
		if code, _ := post(t, other, act+"correct", map[string][]string{"reason": {"x"}}); code != http.StatusNotFound {
			t.Errorf("another township corrects: %d", code)
		}
	})
}

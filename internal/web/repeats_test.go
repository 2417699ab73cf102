package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestVoucherList_Repeats: a voucher that repeats another (imported twice)
// is flagged on the list page and in the API's list, linking the voucher it
// repeats; the others are not.
func TestVoucherList_Repeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		a, orig := w.f.A.ID, w.posted["A"]
		again := storetest.Voucher(a, orig.Date.String(), orig.Lines...)
		other := storetest.Voucher(a, "2025-03-06", storetest.Line("收租金", "10201", "5"), storetest.Line("收租金", "50101", "-5"))
		twice := storetest.Voucher(a, "2025-03-06", other.Lines...)
		res, err := db.Import(context.Background(), w.f.Accountant, storetest.NewSliceSource(again, other, twice),
			store.ImportFile{Name: "三月.csv"})
		if err != nil {
			t.Fatalf("import: %v %v", err, res.Errors)
		}
		if len(res.Repeats) != 2 {
			t.Fatalf("repeats = %+v", res.Repeats)
		}

		code, body := get(t, w.client(t, "kuaiji"), fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, a))
		if code != http.StatusOK {
			t.Fatalf("list: %d", code)
		}
		for _, want := range []string{
			fmt.Sprintf(`<a href="/c/%d/vouchers/%d"><span class="status repeats">可能重复：同2025年3月 记字第1号</span></a>`, a, orig.ID),
			fmt.Sprintf(`<a href="/c/%d/vouchers/%d"><span class="status repeats">可能重复：同草稿#%d</span></a>`, a, other.ID, other.ID),
		} {
			if !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("the list lacks %s", want)
			}
		}
		if n := strings.Count(body, `status repeats`); n != 2 {
			t.Errorf("%d vouchers flagged on the page, want 2", n)
		}

		list := w.apiAs(t, "kuaiji").get(fmt.Sprintf("/collectives/%d/vouchers?limit=100", a)).want(t, http.StatusOK, "list")
		flagged := map[float64]map[string]any{}
		for _, v := range list.json["vouchers"].([]any) {
			v := v.(map[string]any)
			if d, ok := v["possible_duplicate_of"].(map[string]any); ok {
				flagged[v["id"].(float64)] = d
			}
		}
		if len(flagged) != 2 {
			t.Fatalf("flagged in the API: %v\n%s", flagged, list.raw)
		}
		if d := flagged[float64(again.ID)]; d["id"] != float64(orig.ID) || d["period"] != "2025-03" || d["number"] != 1.0 {
			t.Errorf("%d is a possible duplicate of %v, want %d (2025-03 no. 1)", again.ID, d, orig.ID)
		}
		if d := flagged[float64(twice.ID)]; d["id"] != float64(other.ID) || d["number"] != nil {
			t.Errorf("%d is a possible duplicate of %v, want the draft %d", twice.ID, d, other.ID)
		}
	})
}

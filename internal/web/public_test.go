package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// publicWorld is newWorld with disclosures: A's first quarter published
// (version 1, then a correction, version 2) with an asset leased to a
// person whose identity number and phone the register holds, and a
// voucher whose summary carries an identity number; A's March prepared
// only; B's first quarter checked but not published.
type publicWorld struct {
	*world
	v1, v2, draftA, checkedB *store.Disclosure
	idNumber, phone          string
}

func newPublicWorld(t *testing.T, db *store.DB) *publicWorld {
	t.Helper()
	ctx := context.Background()
	w := &publicWorld{world: newWorld(t, db)}
	f := w.f
	id := storetest.IDNumber("62042219800101123")
	w.idNumber, w.phone = id.Reveal(), "13912345678"
	a, err := db.CreateAsset(ctx, f.Accountant, store.AssetInput{Asset: register.Asset{CollectiveID: f.A.ID, Code: "ZC-001", Name: "村委会门面房",
		Category: register.Building, Nature: register.Operating, Use: register.ForProduction, AcquiredOn: jiti.MustDate("2020-01-01"),
		Source: register.Existing, Cost: jiti.MustAmount("200000"), LifeMonths: 240, Quantity: "1", Unit: "间",
		Status: register.Idle, StatusSince: jiti.MustDate("2024-01-01")}})
	must(t, err)
	c, err := db.CreateContract(ctx, f.Accountant, store.ContractInput{Contract: register.Contract{CollectiveID: f.A.ID, Code: "HT-001",
		Name: "门面房租赁", Kind: register.Lease, Party: register.Party{Kind: register.Person, Name: "王建国", IDNumber: id, Phone: w.phone},
		Subjects: []register.Subject{{AssetID: a.ID}}, Start: jiti.MustDate("2025-01-01"), End: jiti.MustDate("2027-12-31"),
		Amount: jiti.MustAmount("36000"), Frequency: register.Yearly, IncomeAccount: "50101", Award: register.Negotiation,
		ResolutionRef: adoptDecision(t, db, f.Accountant, f.A.ID, "2024-12", "门面房出租", "2024-12-20").Number}})
	must(t, err)
	must(t, db.SignContract(ctx, f.Accountant, c.ID, jiti.MustDate("2025-01-01")))
	_, err = db.RecordReceipt(ctx, f.Accountant, c.ID, store.ReceiptInput{Date: jiti.MustDate("2025-02-10"), Amount: jiti.MustAmount("12000"), Account: "10201"})
	must(t, err)
	f.Post(t, f.A.ID, "2025-02-20", storetest.Line("退王建国押金 身份证"+id.Reveal(), "513", "300"), storetest.Line("退押金 卡号6222021234567890123", "10201", "-300"))
	for _, cid := range []int64{f.A.ID, f.B.ID} {
		must(t, db.ClosePeriods(ctx, f.Accountant, cid, jiti.MustPeriod("2025-01"), jiti.MustPeriod("2025-03")))
	}
	q1, _ := disclose.ParsePeriod("2025Q1")
	check := store.DisclosureCheck{Checker: "王五、赵六", On: jiti.MustDate("2025-04-08"), Remarks: "账实相符"}
	publish := func(d *store.Disclosure) *store.Disclosure {
		_, err := db.CheckDisclosure(ctx, f.Accountant, d.ID, check)
		must(t, err)
		d, err = db.PublishDisclosure(ctx, f.Accountant, d.ID)
		must(t, err)
		return d
	}
	d, err := db.PrepareDisclosure(ctx, f.Accountant, f.A.ID, q1)
	must(t, err)
	w.v1 = publish(d)
	d, err = db.CorrectDisclosure(ctx, f.Accountant, w.v1.ID, "补充押金退还说明")
	must(t, err)
	w.v2 = publish(d)
	march, _ := disclose.ParsePeriod("2025-03")
	w.draftA, err = db.PrepareDisclosure(ctx, f.Accountant, f.A.ID, march)
	must(t, err)
	d, err = db.PrepareDisclosure(ctx, f.Accountant, f.B.ID, q1)
	must(t, err)
	w.checkedB, err = db.CheckDisclosure(ctx, f.Accountant, d.ID, check)
	must(t, err)
	return w
}

var (
	idNumberPattern = regexp.MustCompile(`\d{17}[\dXx]`)
	bankPattern     = regexp.MustCompile(`\d{12,}`)
)

// TestPublic_NothingUnpublished opens every public page without signing
// in and scans each answer for identity numbers, bank accounts, phone
// numbers and anything not published: a draft, a disclosure checked but
// not published, another collective's.
func TestPublic_NothingUnpublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPublicWorld(t, db)
		a, b := w.f.A.Code, w.f.B.Code
		c := w.client(t, "")
		ids := func(d *store.Disclosure) string { return strconv.FormatInt(d.ID, 10) }
		visible := []string{
			"/p/" + a, "/p/" + a + "/" + ids(w.v1), "/p/" + a + "/" + ids(w.v2), "/p/" + a + "/2025Q1",
			"/p/" + a + "/" + ids(w.v2) + "/snapshot.json", "/p/" + a + "/" + ids(w.v1) + "/poster",
			"/p/" + a + "/" + ids(w.v2) + "/labels", "/p/" + a + "/asset/ZC-001", "/p/" + b,
		}
		hidden := []string{
			"/p/" + a + "/" + ids(w.draftA), "/p/" + a + "/2025-03", "/p/" + a + "/" + ids(w.draftA) + "/snapshot.json",
			"/p/" + a + "/" + ids(w.draftA) + "/poster", "/p/" + b + "/" + ids(w.checkedB), "/p/" + b + "/2025Q1",
			"/p/" + b + "/" + ids(w.checkedB) + "/snapshot.json", "/p/" + b + "/" + ids(w.v1), "/p/" + a + "/" + ids(w.checkedB),
			"/p/" + b + "/asset/ZC-001", "/p/" + a + "/asset/ZC-999", "/p/999999999999", "/p/" + a + "/" + ids(w.v1) + "/x",
		}
		secrets := []string{w.idNumber, w.phone, "6222021234567890123", w.draftA.Hash, w.checkedB.Hash, "收南咀村厂房租金",
			"南什村草稿", "决议", "村委会门面房押金"}
		scan := func(path string, want int) string {
			t.Helper()
			resp, err := c.Get(w.srv.URL + path)
			must(t, err)
			body := readAll(t, resp)
			if resp.StatusCode != want {
				t.Errorf("%s: status %d, want %d", path, resp.StatusCode, want)
			}
			if len(resp.Header.Values("Set-Cookie")) > 0 {
				t.Errorf("%s sets a cookie", path)
			}
			if m := idNumberPattern.FindString(body); m != "" {
				t.Errorf("%s shows an identity number %s", path, m)
			}
			// The collectives' codes are 12 digits, and public.
			bare := strings.NewReplacer(a, "", b, "").Replace(body)
			if m := bankPattern.FindString(bare); m != "" {
				t.Errorf("%s shows a long number %s", path, m)
			}
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("%s shows %q, which is not published", path, s)
				}
			}
			if len(body) > 100<<10 {
				t.Errorf("%s weighs %d bytes", path, len(body))
			}
			return body
		}
		for _, p := range visible {
			scan(p, http.StatusOK)
		}
		for _, p := range hidden {
			scan(p, http.StatusNotFound)
		}
		// What the pages say: both versions, the reason, the masked summary.
		page := scan("/p/"+a+"/2025Q1", http.StatusOK)
		for _, want := range []string{w.v2.Hash, "补充押金退还说明", "第2版", "王建国", "12,000.00", "**************" + w.idNumber[14:], "王五、赵六"} {
			if !strings.Contains(page, want) {
				t.Errorf("/p/%s/2025Q1 lacks %q", a, want)
			}
		}
		old := scan("/p/"+a+"/"+ids(w.v1), http.StatusOK)
		if !strings.Contains(old, "此版本已被更正") || !strings.Contains(old, w.v1.Hash) {
			t.Errorf("version 1 does not say it was corrected")
		}
		file := scan("/p/"+a+"/"+ids(w.v2)+"/snapshot.json", http.StatusOK)
		if disclose.Hash([]byte(file)) != w.v2.Hash {
			t.Errorf("downloaded file's hash %s, published %s", disclose.Hash([]byte(file)), w.v2.Hash)
		}
		if _, err := disclose.Parse([]byte(file)); err != nil {
			t.Errorf("downloaded file: %v", err)
		}
		list := scan("/p/"+b, http.StatusOK)
		if !strings.Contains(list, "尚未公布") {
			t.Errorf("B's list: %s", list)
		}
		card := scan("/p/"+a+"/asset/ZC-001", http.StatusOK)
		for _, want := range []string{"村委会门面房", "门面房租赁", "王建国"} {
			if !strings.Contains(card, want) {
				t.Errorf("asset card lacks %q", want)
			}
		}
		if !strings.Contains(scan("/p/"+a+"/"+ids(w.v1)+"/poster", http.StatusOK), "<svg class=\"qr\"") {
			t.Errorf("poster without its QR code")
		}
		// A signed-in user's session is not read (nor needed) on them.
		signed := w.client(t, "kuaiji")
		if code, body := get(t, signed, w.srv.URL+"/p/"+a+"/"+ids(w.draftA)); code != http.StatusNotFound || strings.Contains(body, w.draftA.Hash) {
			t.Errorf("a draft shown to a signed-in user on the public pages: %d", code)
		}
	})
}

// TestPublic_Cached: a page is rendered once and served again from
// memory until the collective publishes again.
func TestPublic_Cached(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newPublicWorld(t, db)
		c := w.client(t, "")
		path := fmt.Sprintf("%s/p/%s/%d", w.srv.URL, w.f.A.Code, w.v1.ID)
		_, first := get(t, c, path)
		_, again := get(t, c, path)
		if first != again || !strings.Contains(first, "/p/"+w.f.A.Code+"/"+strconv.FormatInt(w.v2.ID, 10)) {
			t.Fatal("the page changed between two requests")
		}
		// A third version published: version 1's page lists it.
		ctx := context.Background()
		d, err := db.CorrectDisclosure(ctx, w.f.Accountant, w.v2.ID, "再次更正")
		must(t, err)
		_, err = db.CheckDisclosure(ctx, w.f.Accountant, d.ID, store.DisclosureCheck{Checker: "王五", On: jiti.MustDate("2025-04-09")})
		must(t, err)
		_, err = db.PublishDisclosure(ctx, w.f.Accountant, d.ID)
		must(t, err)
		if _, now := get(t, c, path); !strings.Contains(now, "第3版") {
			t.Fatal("version 1's page does not list version 3 once published")
		}
	})
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	_, err := io.Copy(&b, resp.Body)
	must(t, err)
	return b.String()
}

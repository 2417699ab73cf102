package store_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// disclosureBooks posts a first quarter of collective cid (rent, an
// expense, a loan to a household, a payable) and one voucher in April.
func disclosureBooks(t testing.TB, f *storetest.Fixture, cid int64) {
	t.Helper()
	f.Post(t, cid, "2025-01-15", rent("800")...)
	f.Post(t, cid, "2025-02-10", L("借给张三", "101", "-300"), ledger.Line{Summary: "借给张三", Account: "113", Debit: A("300"), Household: "H001"})
	f.Post(t, cid, "2025-02-20", L("付电费", "513", "120.50"), ledger.Line{Summary: "欠电费", Account: "211", Credit: A("120.50"), Counterparty: "供电所"})
	f.Post(t, cid, "2025-03-01", rent("900")...)
	f.Post(t, cid, "2025-04-02", rent("50")...)
}

func q1() disclose.Period {
	p, err := disclose.ParsePeriod("2025Q1")
	if err != nil {
		panic(err)
	}
	return p
}

func publish(t testing.TB, db *store.DB, f *storetest.Fixture, id int64) *store.Disclosure {
	t.Helper()
	_, err := db.CheckDisclosure(bg, f.Accountant, id, store.DisclosureCheck{Checker: "民主理财小组 王五、赵六", On: jiti.MustDate("2025-04-10"), Remarks: "无异议"})
	ok(t, err)
	d, err := db.PublishDisclosure(bg, f.Accountant, id)
	ok(t, err)
	return d
}

func disclosureKinds(t testing.TB, db *store.DB, cid int64) []string {
	t.Helper()
	kinds, _ := problems(t, db, cid)
	var out []string
	for _, k := range kinds {
		if len(k) > len("verify.disclosure") && k[:len("verify.disclosure")] == "verify.disclosure" {
			out = append(out, k)
		}
	}
	return out
}

func TestDB_Disclosure(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, db *store.DB, raw *storetest.Raw) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		disclosureBooks(t, f, cid)

		// Not before every month of the quarter is closed.
		closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-02")
		_, err := db.PrepareDisclosure(bg, f.Accountant, cid, q1())
		wantErr(t, err, store.ErrDisclosureOpenMonth, "period")
		closeMonths(t, db, f.Accountant, cid, "2025-03", "2025-03")
		// Not by one who does not keep the books.
		if _, err := db.PrepareDisclosure(bg, f.Approver, cid, q1()); err == nil {
			t.Fatal("the approver prepared a disclosure")
		}

		d, err := db.PrepareDisclosure(bg, f.Accountant, cid, q1())
		ok(t, err)
		if d.Status != store.DisclosurePrepared || d.Version != 1 || d.Period != "2025Q1" || d.ChainSeq != 5 || d.Hash != disclose.Hash(d.Content) {
			t.Fatalf("prepared %+v", d)
		}
		if e := lastEvent(t, db, "disclosure.prepare"); e.EntityID != strconv.FormatInt(d.ID, 10) || e.CollectiveID != cid || e.UserID != f.Accountant {
			t.Errorf("audit %+v", e)
		}
		s, err := disclose.Parse(d.Content)
		ok(t, err)
		if s.Income != int64(A("1700")) || s.Expense != int64(A("120.50")) || len(s.Items) != 3 ||
			len(s.Claims) != 1 || s.Claims[0].Party != "张三" || len(s.Debts) != 1 || s.Debts[0].Party != "供电所" {
			t.Errorf("snapshot %s", d.Content)
		}
		// Unpublished: nobody outside sees it.
		if ds, err := db.PublishedDisclosures(bg, f.A.Code); err != nil || len(ds) != 0 {
			t.Fatalf("published before publication: %v %v", ds, err)
		}
		if _, err := db.PublishedDisclosure(bg, f.A.Code, d.ID); !errors.Is(err, jiti.ErrNotFound) {
			t.Errorf("draft readable: %v", err)
		}
		_, err = db.PublishDisclosure(bg, f.Accountant, d.ID)
		wantErr(t, err, store.ErrDisclosureStatus, "status")
		_, err = db.CheckDisclosure(bg, f.Accountant, d.ID, store.DisclosureCheck{On: jiti.MustDate("2025-04-10")})
		wantErr(t, err, store.ErrDisclosureChecker, "checker")
		_, err = db.CheckDisclosure(bg, f.Accountant, d.ID, store.DisclosureCheck{Checker: "王五", On: jiti.MustDate("2025-03-30")})
		wantErr(t, err, store.ErrDisclosureBeforePeriod, "checked_on")
		_, err = db.PrepareDisclosure(bg, f.Accountant, cid, q1())
		wantErr(t, err, store.ErrDisclosurePending, "")

		d = publish(t, db, f, d.ID)
		if d.Status != store.DisclosurePublished || d.Checker == "" || d.CheckedOn != jiti.MustDate("2025-04-10") || d.PublishedBy != int64(f.Accountant) {
			t.Fatalf("published %+v", d)
		}
		if e := lastEvent(t, db, "disclosure.publish"); e.EntityID != strconv.FormatInt(d.ID, 10) {
			t.Errorf("audit %+v", e)
		}
		_, err = db.PrepareDisclosure(bg, f.Accountant, cid, q1())
		wantErr(t, err, store.ErrDisclosurePublished, "")
		// Another collective's code does not reach it.
		if _, err := db.PublishedDisclosure(bg, f.B.Code, d.ID); !errors.Is(err, jiti.ErrNotFound) {
			t.Errorf("read through B: %v", err)
		}
		if got := disclosureKinds(t, db, cid); len(got) != 0 {
			t.Fatalf("verify found %v", got)
		}

		// A correction: a reason, a new version; the old stays readable.
		_, err = db.CorrectDisclosure(bg, f.Accountant, d.ID, " ")
		wantErr(t, err, store.ErrDisclosureReason, "reason")
		c, err := db.CorrectDisclosure(bg, f.Accountant, d.ID, "补充说明电费")
		ok(t, err)
		if c.Version != 2 || c.ReplacesID != d.ID || c.Status != store.DisclosurePrepared {
			t.Fatalf("correction %+v", c)
		}
		if cs, _ := disclose.Parse(c.Content); cs == nil || cs.Replaces != 1 || cs.Reason != "补充说明电费" {
			t.Errorf("correction content %s", c.Content)
		}
		// Reopening March and posting into it makes the correction stale.
		ok(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-03"), "补记"))
		f.Post(t, cid, "2025-03-31", L("补记电费", "513", "10"), L("补记电费", "101", "-10"))
		closeMonths(t, db, f.Accountant, cid, "2025-03", "2025-03")
		_, err = db.CheckDisclosure(bg, f.Accountant, c.ID, store.DisclosureCheck{Checker: "王五", On: jiti.MustDate("2025-04-10")})
		ok(t, err)
		_, err = db.PublishDisclosure(bg, f.Accountant, c.ID)
		wantErr(t, err, store.ErrDisclosureStale, "")
		// …and the published version no longer matches the books.
		if got := disclosureKinds(t, db, cid); !slices.Equal(got, []string{"verify.disclosure_books"}) {
			t.Fatalf("after a voucher added to the quarter: %v", got)
		}

		ds, err := db.PublishedDisclosures(bg, f.A.Code)
		ok(t, err)
		if len(ds) != 1 || ds[0].ID != d.ID {
			t.Fatalf("published %+v", ds)
		}
	})
}

// TestDB_DisclosureTampered: a snapshot row or a voucher behind it
// changed behind jiti's back is found by Verify.
func TestDB_DisclosureTampered(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, db *store.DB, raw *storetest.Raw) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		disclosureBooks(t, f, cid)
		closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-03")
		d, err := db.PrepareDisclosure(bg, f.Accountant, cid, q1())
		ok(t, err)
		publish(t, db, f, d.ID)
		exec := func(q string) {
			t.Helper()
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		id := strconv.FormatInt(d.ID, 10)

		// The snapshot row: its content changed, its hash left.
		exec(`UPDATE disclosures SET content = replace(content, '"income":170000', '"income":100000') WHERE id = ` + id)
		if got := disclosureKinds(t, db, cid); !slices.Equal(got, []string{"verify.disclosure_books", "verify.disclosure_hash"}) {
			t.Errorf("content changed: %v", got)
		}
		// Content and hash changed together: the books still tell.
		exec(`UPDATE disclosures SET hash = 'x' WHERE id = ` + id)
		var content string
		if err := raw.QueryRow(`SELECT content FROM disclosures WHERE id = ` + id).Scan(&content); err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE disclosures SET hash = '` + disclose.Hash([]byte(content)) + `' WHERE id = ` + id)
		if got := disclosureKinds(t, db, cid); !slices.Equal(got, []string{"verify.disclosure_books"}) {
			t.Errorf("content and hash changed: %v", got)
		}
		exec(`UPDATE disclosures SET content = replace(content, '"income":100000', '"income":170000'), hash = '` + d.Hash + `' WHERE id = ` + id)
		if got := disclosureKinds(t, db, cid); len(got) != 0 {
			t.Fatalf("restored: %v", got)
		}

		// A voucher behind it: an amount of March's rent.
		exec(`UPDATE voucher_lines SET credit = credit + 100 WHERE account_code = '50101' AND collective_id = ` + strconv.FormatInt(cid, 10) +
			` AND voucher_id = (SELECT id FROM vouchers WHERE date = '2025-03-01' AND collective_id = ` + strconv.FormatInt(cid, 10) + `)`)
		if got := disclosureKinds(t, db, cid); !slices.Equal(got, []string{"verify.disclosure_books"}) {
			t.Errorf("voucher changed: %v", got)
		}
		// The chain head's voucher rehashed behind jiti's back.
		exec(`UPDATE vouchers SET hash = 'y' WHERE seq = 5 AND collective_id = ` + strconv.FormatInt(cid, 10))
		if got := disclosureKinds(t, db, cid); !slices.Contains(got, "verify.disclosure_chain") {
			t.Errorf("chain head changed: %v", got)
		}
	})
}

// TestDB_DisclosureWarnings: a quarter ended more than 30 days ago warns
// until its disclosure is published, and, taken on a day before the
// publication, still warns.
func TestDB_DisclosureWarnings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		quarters := func(today string) []string {
			t.Helper()
			ws, err := db.Warnings(bg, store.WarningFilter{CollectiveID: cid, Today: D(today)})
			ok(t, err)
			var out []string
			for _, w := range ws {
				if w.Kind == register.WarnNoDisclosure {
					out = append(out, w.Detail)
				}
			}
			return out
		}
		if got := quarters("2025-12-31"); !slices.Equal(got, []string{"2025Q3", "2025Q2", "2025Q1"}) {
			t.Fatalf("before: %v", got)
		}
		closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-03")
		d, err := db.PrepareDisclosure(bg, f.Accountant, cid, q1())
		ok(t, err)
		if got := quarters("2025-12-31"); len(got) != 3 {
			t.Fatalf("prepared, not published: %v", got)
		}
		publish(t, db, f, d.ID) // on 2025-12-31, the fixture's today
		if got := quarters("2025-12-31"); !slices.Equal(got, []string{"2025Q3", "2025Q2"}) {
			t.Fatalf("published: %v", got)
		}
		if got := quarters("2025-06-30"); !slices.Equal(got, []string{"2025Q1"}) {
			t.Fatalf("on 2025-06-30, before it was published: %v", got)
		}
	})
}

// TestDB_DisclosureBulk takes a year's four quarters through the workflow
// together (prepare, check, publish), then in one act (PublishChecked),
// with a correction.
func TestDB_DisclosureBulk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		var quarters []disclose.Period
		var checks []store.DisclosureCheck
		for q := 1; q <= 4; q++ {
			p, err := disclose.ParsePeriod("2025Q" + strconv.Itoa(q))
			ok(t, err)
			quarters = append(quarters, p)
			checks = append(checks, store.DisclosureCheck{Checker: "王五", On: D("2025-12-31")})
		}
		for _, c := range []int64{f.A.ID, f.B.ID} {
			disclosureBooks(t, f, c)
			closeMonths(t, db, f.Accountant, c, "2025-01", "2025-12")
		}
		// A: step by step, four at a time.
		ds, err := db.PrepareDisclosures(bg, f.Accountant, f.A.ID, quarters)
		ok(t, err)
		var ids []int64
		for _, d := range ds {
			_, err := db.CheckDisclosure(bg, f.Accountant, d.ID, checks[0])
			ok(t, err)
			ids = append(ids, d.ID)
		}
		pub, err := db.PublishDisclosures(bg, f.Accountant, ids)
		ok(t, err)
		if len(pub) != 4 || pub[3].Status != store.DisclosurePublished || pub[1].Period != "2025Q2" {
			t.Fatalf("published %+v", pub)
		}
		// B: in one act, then a correction of its second quarter.
		bs, err := db.PublishChecked(bg, f.Accountant, f.B.ID, quarters, checks, 0, "")
		ok(t, err)
		_, err = db.PublishChecked(bg, f.Accountant, f.B.ID, quarters[1:2], checks[:1], bs[1].ID, "")
		wantErr(t, err, store.ErrDisclosureReason, "reason")
		c, err := db.PublishChecked(bg, f.Accountant, f.B.ID, quarters[1:2], checks[:1], bs[1].ID, "补充")
		ok(t, err)
		if c[0].Version != 2 || c[0].Status != store.DisclosurePublished || c[0].Checker != "王五" {
			t.Fatalf("correction %+v", c[0])
		}
		// The same snapshots whichever way: A's and B's books are alike
		// but for the collective.
		for i := range pub {
			full, err := db.FindDisclosure(bg, pub[i].ID)
			ok(t, err)
			a, _ := disclose.Parse(full.Content)
			b, _ := disclose.Parse(bs[i].Content)
			if a == nil || b == nil || a.Income != b.Income || a.Expense != b.Expense || len(a.Items) != len(b.Items) {
				t.Errorf("%s differs: %s\n%s", quarters[i].Key(), full.Content, bs[i].Content)
			}
		}
		ps, err := db.PublishedDisclosures(bg, f.B.Code)
		ok(t, err)
		if len(ps) != 5 {
			t.Errorf("B has %d published", len(ps))
		}
		for _, cid := range []int64{f.A.ID, f.B.ID} {
			if got := disclosureKinds(t, db, cid); len(got) != 0 {
				t.Errorf("verify of %d: %v", cid, got)
			}
		}
	})
}

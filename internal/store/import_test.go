package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

func TestDB_ImportVouchers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a, b := f.A.ID, f.B.ID
		t.Run("OK", func(t *testing.T) {
			vs := []*ledger.Voucher{
				V(a, "2025-03-20", rent("100")...),
				V(b, "2025-03-01", L("收服务费", "101", "20"), L("", "50102", "-20")),
				V(a, "2025-03-05", L("付电费", "513", "30.5"), L("付电费", "101", "-30.5")),
				V(a, "2025-04-01", ledger.Line{Summary: "借款", Account: "113", Debit: A("500"), Household: "H002"}, L("借款", "10201", "-500")),
			}
			src := storetest.NewSliceSource(vs...)
			res, err := db.ImportVouchers(bg, f.Accountant, src, "三月凭证.xlsx")
			if err != nil {
				t.Fatalf("import: %v %v", err, res.Errors)
			}
			if res.Vouchers != 4 || res.Lines != 8 || len(res.Errors) != 0 || res.FirstID == 0 || res.LastID-res.FirstID != 3 || len(src.Located) != 0 {
				t.Fatalf("result = %+v", res)
			}
			for i, v := range vs {
				if v.ID != res.FirstID+int64(i) {
					t.Fatalf("voucher %d has id %d, want %d", i, v.ID, res.FirstID+int64(i))
				}
				got, err := db.FindVoucher(bg, v.ID)
				ok(t, err)
				if got.Status != ledger.Draft || got.MakerID != f.Accountant || got.CollectiveID != v.CollectiveID || got.Date != v.Date ||
					got.Period != v.Date.Period() || !reflect.DeepEqual(got.Lines, v.Lines) || !got.CreatedAt.Equal(storetest.Now) {
					t.Fatalf("stored voucher %d = %+v %+v, imported %+v", i, got, got.Lines, v.Lines)
				}
			}
			if got, _ := db.FindVoucher(bg, vs[1].ID); got.Lines[1].Summary != "收服务费" {
				t.Fatalf("summary not carried down: %+v", got.Lines)
			}
			// A record per collective, each audited.
			if len(res.Imports) != 2 {
				t.Fatalf("records = %+v, want one for A and one for B", res.Imports)
			}
			for _, want := range []store.ImportRecord{
				{CollectiveID: a, Vouchers: 3, Lines: 6, FirstID: vs[0].ID, LastID: vs[3].ID, FirstDate: D("2025-03-05"), LastDate: D("2025-04-01")},
				{CollectiveID: b, Vouchers: 1, Lines: 2, FirstID: vs[1].ID, LastID: vs[1].ID, FirstDate: D("2025-03-01"), LastDate: D("2025-03-01")},
			} {
				i := slices.IndexFunc(res.Imports, func(r store.ImportRecord) bool { return r.CollectiveID == want.CollectiveID })
				got := res.Imports[i]
				if got.ID == 0 || got.UserID != f.Accountant || !got.At.Equal(storetest.Now) || got.FileName != "三月凭证.xlsx" ||
					len(got.ContentHash) != 64 || got.Vouchers != want.Vouchers || got.Lines != want.Lines || got.FirstID != want.FirstID ||
					got.LastID != want.LastID || got.FirstDate != want.FirstDate || got.LastDate != want.LastDate || got.AgainOf != 0 {
					t.Fatalf("record of %d = %+v, want %+v", want.CollectiveID, got, want)
				}
				e, found := lastEventMaybe(t, db, "voucher.import", itoa(got.ID))
				if !found || e.UserID != f.Accountant || e.Entity != "import" || e.CollectiveID != want.CollectiveID ||
					decode(t, e.New)["vouchers"] != float64(want.Vouchers) || decode(t, e.New)["content_hash"] != got.ContentHash {
					t.Fatalf("audit of record %d = %+v %s", got.ID, e, e.New)
				}
			}
			// Imported drafts go the normal way.
			ok(t, db.ApproveVoucher(bg, f.Approver, vs[0].ID))
			p, err := db.PostVoucher(bg, f.Accountant, vs[0].ID)
			ok(t, err)
			if p.Number != 1 {
				t.Fatalf("number = %d", p.Number)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			vs := []*ledger.Voucher{
				V(a, "2025-05-01", rent("1")...),
				V(a, "2025-05-02", L("收租", "10201", "100"), L("收租", "50101", "-99")), // unbalanced
				V(a, "2025-05-03", rent("3")...),                                     // the source cannot read this row
				V(a, "2025-05-04", rent("4")...),
				V(b, "2025-05-05", L("收租", "10201", "5"), L("收租", "50109", "-5")), // unknown account
				V(a, "2025-05-06", rent("6")...),
			}
			src := storetest.NewSliceSource(vs...)
			src.Errs = map[int]error{2: jiti.ErrRequired.At("date")}
			before := countVouchers(t, db, "")
			res, err := db.ImportVouchers(bg, f.Accountant, src, "bad.xlsx")
			wantErr(t, err, store.ErrImportInvalid, "-")
			if n := countVouchers(t, db, ""); n != before {
				t.Fatalf("%d vouchers after a refused import, %d before", n, before)
			}
			if len(res.Errors) != 3 || res.FirstID != 0 {
				t.Fatalf("result = %+v, want the three errors", res)
			}
			if !reflect.DeepEqual(src.Located, []int{1, 4}) {
				t.Fatalf("Locate called for %v, want the invalid vouchers 1 and 4", src.Located)
			}
			for i, c := range []struct {
				index int
				want  error
				field string
			}{{1, ledger.ErrUnbalanced, "lines"}, {2, jiti.ErrRequired, "date"}, {4, ledger.ErrAccountUnknown, "lines[2].account"}} {
				var le *storetest.LocatedError
				if !errors.As(res.Errors[i], &le) || le.Index != c.index {
					t.Fatalf("error %d = %v, want one located at voucher %d", i+1, res.Errors[i], c.index)
				}
				wantErr(t, res.Errors[i], c.want, c.field)
			}
			if _, ok := lastEventMaybe(t, db, "voucher.import", "bad.xlsx"); ok {
				t.Fatal("a refused import left an audit event")
			}
		})
		t.Run("ErrAfterFullBatch", func(t *testing.T) {
			// More vouchers than one write batch, the bad one last: the
			// batches written before it are rolled back too.
			var vs []*ledger.Voucher
			for i := 0; i < 2100; i++ {
				vs = append(vs, V(a, fmt.Sprintf("2025-06-%02d", 1+i%28), rent("1")...))
			}
			vs = append(vs, V(a, "2024-06-01", rent("1")...))
			before := countVouchers(t, db, "")
			res, err := db.ImportVouchers(bg, f.Accountant, storetest.NewSliceSource(vs...), "big.csv")
			wantErr(t, err, store.ErrImportInvalid, "-")
			if len(res.Errors) != 1 || !errors.Is(res.Errors[0], ledger.ErrBeforeBooks) {
				t.Fatalf("errors = %v", res.Errors)
			}
			if n := countVouchers(t, db, ""); n != before {
				t.Fatalf("%d vouchers after a refused import, %d before", n, before)
			}
		})
		t.Run("ErrOutOfScope", func(t *testing.T) {
			acctB := f.AddUser(t, "nzkuaiji", jiti.RoleVillageAccountant, f.B.RegionCode)
			src := storetest.NewSliceSource(V(b, "2025-05-01", rent("1")...), V(a, "2025-05-02", rent("2")...), V(a, "2025-05-03", rent("3")...))
			res, err := db.ImportVouchers(bg, acctB, src, "scope.csv")
			wantErr(t, err, store.ErrImportInvalid, "-")
			if len(res.Errors) != 1 || !errors.Is(res.Errors[0], jiti.ErrNotFound) {
				t.Fatalf("errors = %v, want the collective out of scope once", res.Errors)
			}
		})
	})
}

// lastEventMaybe returns the newest event of action on entityID, if any.
func lastEventMaybe(t testing.TB, db *store.DB, action, entityID string) (store.AuditEvent, bool) {
	t.Helper()
	es, _, err := db.FindAuditEvents(bg, store.AuditFilter{Action: action, EntityID: entityID, Limit: 1})
	ok(t, err)
	if len(es) == 0 {
		return store.AuditEvent{}, false
	}
	return es[0], true
}

func TestDB_ApproveVouchers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		t.Run("OK", func(t *testing.T) {
			var mine, theirs []*ledger.Voucher
			for i := 0; i < 3; i++ {
				theirs = append(theirs, create(t, f, a, fmt.Sprintf("2025-03-%02d", i+1), rent("10")...))
			}
			for i := 0; i < 2; i++ {
				v, err := db.CreateVoucher(bg, f.Admin, V(a, fmt.Sprintf("2025-03-%02d", i+10), rent("20")...))
				ok(t, err)
				mine = append(mine, v)
			}
			april := create(t, f, a, "2025-04-01", rent("30")...)
			other := create(t, f, f.B.ID, "2025-03-01", rent("40")...)
			already := approved(t, f, a, "2025-03-20", rent("50")...)

			n, own, err := db.ApproveVouchers(bg, f.Admin, a, P("2025-03"), P("2025-03"))
			ok(t, err)
			if n != 3 || own != 2 {
				t.Fatalf("approved %d, own %d; want 3 and 2", n, own)
			}
			status := func(v *ledger.Voucher) (ledger.Status, jiti.UserID) {
				got, err := db.FindVoucher(bg, v.ID)
				ok(t, err)
				return got.Status, got.ApproverID
			}
			for _, v := range theirs {
				if s, by := status(v); s != ledger.Approved || by != f.Admin {
					t.Fatalf("voucher %d: %s by %d", v.ID, s, by)
				}
			}
			for _, v := range append(mine, april, other) {
				if s, _ := status(v); s != ledger.Draft {
					t.Fatalf("voucher %d of %s: %s, want left a draft", v.ID, v.Date, s)
				}
			}
			if _, by := status(already); by != f.Approver {
				t.Fatal("an approved voucher was approved again")
			}
			e := lastEvent(t, db, "voucher.approve_batch")
			if e.UserID != f.Admin || e.CollectiveID != a || decode(t, e.New)["approved"] != float64(3) {
				t.Fatalf("audit = %+v %s", e, e.New)
			}
			// Someone else approves the rest.
			n, own, err = db.ApproveVouchers(bg, f.Approver, a, P("2025-01"), P("2025-12"))
			ok(t, err)
			if n != 3 || own != 0 {
				t.Fatalf("approved %d, own %d; want 3 and 0", n, own)
			}
		})
		t.Run("ErrRole", func(t *testing.T) {
			viewer := f.AddUser(t, "chakan", jiti.RoleCountyViewer, "620422")
			_, _, err := db.ApproveVouchers(bg, viewer, a, P("2025-01"), P("2025-12"))
			wantErr(t, err, jiti.ErrRoleCannot, "-")
			apprB := f.AddUser(t, "nzshenhe", jiti.RoleVillageApprover, f.B.RegionCode)
			_, _, err = db.ApproveVouchers(bg, apprB, a, P("2025-01"), P("2025-12"))
			wantErr(t, err, jiti.ErrNotFound, "-")
		})
	})
}

// feed creates the same vouchers in a fresh seeded database: a mixture of
// months and dates out of order in A, some in B, and the reversal of a
// voucher posted before. It approves them all and returns A's vouchers in
// creation order.
func feed(t testing.TB, db *store.DB) (*storetest.Fixture, []*ledger.Voucher) {
	t.Helper()
	f := storetest.Seed(t, db)
	a := f.A.ID
	first := f.Post(t, a, "2025-02-01", rent("1000")...)
	var vs []*ledger.Voucher
	for i, d := range []string{"2025-03-20", "2025-02-15", "2025-03-01", "2025-02-15", "2025-04-30", "2025-03-01", "2025-02-03", "2025-04-01"} {
		lines := rent(fmt.Sprintf("%d.%02d", 10+i, i))
		if i%3 == 0 {
			lines = []ledger.Line{{Summary: "借款", Account: "113", Debit: A("7"), Household: "H001"}, L("借款", "101", "-7")}
		}
		vs = append(vs, create(t, f, a, d, lines...))
		create(t, f, f.B.ID, d, rent("3")...)
	}
	r, err := db.ReverseVoucher(bg, f.Accountant, first.ID, D("2025-02-20"))
	ok(t, err)
	vs = append(vs, r)
	for _, cid := range []int64{a, f.B.ID} {
		_, _, err := db.ApproveVouchers(bg, f.Approver, cid, P("2025-01"), P("2025-12"))
		ok(t, err)
	}
	return f, vs
}

// secondDB opens another fresh database of db's engine.
func secondDB(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	if db.Engine() == "postgres" {
		return storetest.OpenPostgres(t)
	}
	return storetest.OpenSQLite(t)
}

func TestDB_PostVouchers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Run("OKSameAsOneByOne", func(t *testing.T) {
			// db posts one voucher at a time in date order; batch posts
			// the same vouchers with PostVouchers.
			f1, vs1 := feed(t, db)
			batch := secondDB(t, db)
			f2, vs2 := feed(t, batch)
			a := f1.A.ID
			if f2.A.ID != a || vs1[0].ID != vs2[0].ID {
				t.Fatalf("the two databases differ before posting: %d/%d %d/%d", f2.A.ID, a, vs2[0].ID, vs1[0].ID)
			}
			order := append([]*ledger.Voucher(nil), vs1...)
			sort.SliceStable(order, func(i, j int) bool {
				if order[i].Period != order[j].Period {
					return order[i].Period < order[j].Period
				}
				if c := order[i].Date.Compare(order[j].Date); c != 0 {
					return c < 0
				}
				return order[i].ID < order[j].ID
			})
			for _, v := range order {
				_, err := db.PostVoucher(bg, f1.Accountant, v.ID)
				ok(t, err)
			}
			n, err := batch.PostVouchers(bg, f2.Accountant, a, P("2025-01"), P("2025-12"))
			ok(t, err)
			if n != len(vs2) {
				t.Fatalf("PostVouchers posted %d, want %d", n, len(vs2))
			}
			e := lastEvent(t, batch, "voucher.post_batch")
			if e.UserID != f2.Accountant || e.CollectiveID != a || e.New == nil {
				t.Fatalf("audit = %+v", e)
			}
			for i := range vs1 {
				one, err := db.FindVoucher(bg, vs1[i].ID)
				ok(t, err)
				two, err := batch.FindVoucher(bg, vs2[i].ID)
				ok(t, err)
				if one.Status != ledger.Posted || two.Status != ledger.Posted || one.Number != two.Number || one.Seq != two.Seq ||
					one.Hash != two.Hash || one.PrevHash != two.PrevHash {
					t.Errorf("voucher %d of %s: one by one no. %d seq %d %.8s, batch no. %d seq %d %.8s",
						i, one.Date, one.Number, one.Seq, one.Hash, two.Number, two.Seq, two.Hash)
				}
			}
			// Numbers follow the dates within each month.
			all, _, err := batch.FindVouchers(bg, store.VoucherFilter{CollectiveID: a, Status: ledger.Posted, Limit: -1})
			ok(t, err)
			for i := 1; i < len(all); i++ {
				p, v := all[i-1], all[i]
				if p.Period == v.Period && (v.Number != p.Number+1 || v.Date.Before(p.Date)) {
					t.Errorf("%s no. %d dated %s follows no. %d dated %s", v.Period, v.Number, v.Date, p.Number, p.Date)
				}
				if p.Period != v.Period && v.Number != 1 {
					t.Errorf("%s starts at no. %d", v.Period, v.Number)
				}
			}
			tb1 := trialBalance(t, db, a, "2025-01", "2025-12")
			tb2 := trialBalance(t, batch, a, "2025-01", "2025-12")
			if !reflect.DeepEqual(tb1, tb2) {
				t.Errorf("trial balances differ:\none by one %+v\nbatch      %+v", tb1.Rows, tb2.Rows)
			}
			for _, d := range []*store.DB{db, batch} {
				rep, err := d.Verify(bg, 0)
				ok(t, err)
				if !rep.OK() {
					t.Errorf("%s verify: %+v", d.Engine(), rep.Problems)
				}
			}
			// B was not posted by the batch of A.
			if _, n, _ := batch.FindVouchers(bg, store.VoucherFilter{CollectiveID: f2.B.ID, Status: ledger.Approved}); n != 8 {
				t.Fatalf("B has %d approved vouchers, want 8", n)
			}
		})
		t.Run("ErrAllOrNothing", func(t *testing.T) {
			f := storetest.Seed(t, secondDB(t, db))
			d := f.DB
			a := f.A.ID
			v1 := approved(t, f, a, "2025-03-01", rent("1")...)
			_, err := d.CreateAccount(bg, f.Accountant, a, "10202", "信用社")
			ok(t, err)
			approved(t, f, a, "2025-03-02", L("存入", "10202", "1"), L("存入", "101", "-1"))
			ok(t, d.SetAccountActive(bg, f.Accountant, a, "10202", false))
			_, err = d.PostVouchers(bg, f.Accountant, a, P("2025-03"), P("2025-03"))
			wantErr(t, err, ledger.ErrAccountInactive, "lines[1].account")
			got, _ := d.FindVoucher(bg, v1.ID)
			if got.Status != ledger.Approved || got.Number != 0 {
				t.Fatalf("a refused batch posted voucher 1: %+v", got)
			}
			if pi := periodInfo(t, d, a, "2025-03"); pi.LastNumber != 0 {
				t.Fatalf("a refused batch took numbers: %+v", pi)
			}
			n, err := d.PostVouchers(bg, f.Accountant, a, P("2025-04"), P("2025-12"))
			if err != nil || n != 0 {
				t.Fatalf("empty batch: %d, %v", n, err)
			}
			viewer := f.AddUser(t, "chakan", jiti.RoleCountyViewer, "620422")
			_, err = d.PostVouchers(bg, viewer, a, P("2025-03"), P("2025-03"))
			wantErr(t, err, jiti.ErrRoleCannot, "-")
		})
	})
}

// copies returns fresh copies of vs, as a second file would give them.
func copies(vs ...*ledger.Voucher) []*ledger.Voucher {
	out := make([]*ledger.Voucher, len(vs))
	for i, v := range vs {
		out[i] = V(v.CollectiveID, v.Date.String(), v.Lines...)
		out[i].Note, out[i].Attachments = v.Note, v.Attachments
	}
	return out
}

func TestDB_ImportSameContent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		march := []*ledger.Voucher{
			V(a, "2025-03-01", rent("100")...),
			V(a, "2025-03-09", L("付电费", "513", "30.5"), L("付电费", "101", "-30.5")),
			V(a, "2025-03-20", rent("120")...),
		}
		imp := func(vs []*ledger.Voucher, file store.ImportFile) (*store.ImportResult, error) {
			t.Helper()
			return db.Import(bg, f.Accountant, storetest.NewSliceSource(copies(vs...)...), file)
		}
		first, err := imp(march, store.ImportFile{Name: "三月.csv", SHA256: "aa11"})
		ok(t, err)
		rec := first.Imports[0]
		if rec.FileSHA256 != "aa11" || rec.Vouchers != 3 || rec.LastID-rec.FirstID != 2 || len(first.Repeats) != 0 {
			t.Fatalf("first import = %+v", first)
		}

		t.Run("ErrSameContent", func(t *testing.T) {
			// The same vouchers in another order, from another file: refused,
			// naming the first import; nothing written, nothing audited.
			before, events := countVouchers(t, db, ""), auditTotal(t, db, store.AuditFilter{})
			again := []*ledger.Voucher{march[2], march[0], march[1]}
			res, err := imp(again, store.ImportFile{Name: "三月.xlsx", SHA256: "bb22"})
			wantErr(t, err, store.ErrImportedBefore, "-")
			args := jiti.AsError(err).Args
			want := []any{f.A.Name, "2025-12-31 10:00:00", "代理会计", "三月.csv", rec.ID, 3, rec.FirstID, rec.LastID, D("2025-03-01"), D("2025-03-20")}
			if !reflect.DeepEqual(args, want) {
				t.Fatalf("refusal names %v, want %v", args, want)
			}
			if n := countVouchers(t, db, ""); n != before || len(res.Imports) != 0 {
				t.Fatalf("%d vouchers after a refused import, %d before; records %+v", n, before, res.Imports)
			}
			if n := auditTotal(t, db, store.AuditFilter{}); n != events {
				t.Fatalf("a refused import left %d events", n-events)
			}
		})
		t.Run("OKAgain", func(t *testing.T) {
			res, err := imp(march, store.ImportFile{Name: "三月-重发.csv", SHA256: "cc33", Again: true})
			ok(t, err)
			got := res.Imports[0]
			if got.AgainOf != rec.ID || got.ContentHash != rec.ContentHash || got.FileName != "三月-重发.csv" || got.Repeats != 3 {
				t.Fatalf("record of the import again = %+v, want again of %d", got, rec.ID)
			}
			e, _ := lastEventMaybe(t, db, "voucher.import", itoa(got.ID))
			if decode(t, e.New)["again_of"] != float64(rec.ID) {
				t.Fatalf("audit of the import again: %s", e.New)
			}
			// Each voucher of it repeats the first import's.
			if len(res.Repeats) != 3 {
				t.Fatalf("repeats = %+v", res.Repeats)
			}
			for i, r := range res.Repeats {
				if r.Voucher.ID != got.FirstID+int64(i) || r.Of.ID != rec.FirstID+int64(i) {
					t.Errorf("repeat %d = %+v, want %d repeating %d", i, r, got.FirstID+int64(i), rec.FirstID+int64(i))
				}
			}
			// The next import of the content names the latest.
			_, err = imp(march, store.ImportFile{Name: "三月.xlsx"})
			wantErr(t, err, store.ErrImportedBefore, "-")
			if id := jiti.AsError(err).Args[4]; id != got.ID {
				t.Fatalf("refusal names import %v, want the latest, %d", id, got.ID)
			}
		})
		t.Run("OKOneAmountDiffers", func(t *testing.T) {
			changed := copies(march...)
			changed[1].Lines = []ledger.Line{L("付电费", "513", "30.6"), L("付电费", "101", "-30.6")}
			res, err := imp(changed, store.ImportFile{Name: "三月.csv", SHA256: "aa11"})
			ok(t, err)
			if res.Imports[0].ContentHash == rec.ContentHash || len(res.Repeats) != 2 {
				t.Fatalf("import of changed content = %+v", res)
			}
		})
		t.Run("OKOtherCollective", func(t *testing.T) {
			other := copies(march...)
			for _, v := range other {
				v.CollectiveID = f.B.ID
			}
			res, err := imp(other, store.ImportFile{Name: "三月.csv", SHA256: "aa11"})
			ok(t, err)
			if len(res.Imports) != 1 || res.Imports[0].CollectiveID != f.B.ID || len(res.Repeats) != 0 {
				t.Fatalf("import into B = %+v", res)
			}
		})
		t.Run("ErrOnePartRepeated", func(t *testing.T) {
			// A file for A and B whose part for A was imported before: the
			// whole file is refused, naming A's earlier import.
			vs := append(copies(march...), V(f.B.ID, "2025-05-01", rent("9")...))
			before := countVouchers(t, db, "")
			_, err := imp(vs, store.ImportFile{Name: "两村.csv"})
			wantErr(t, err, store.ErrImportedBefore, "-")
			if name := jiti.AsError(err).Args[0]; name != f.A.Name {
				t.Fatalf("refusal names %v, want %s", name, f.A.Name)
			}
			if n := countVouchers(t, db, ""); n != before {
				t.Fatalf("%d vouchers after a refused import, %d before", n, before)
			}
		})
		t.Run("OKRecords", func(t *testing.T) {
			recs, err := db.FindImports(bg, a)
			ok(t, err)
			if len(recs) != 3 || recs[2].ID != rec.ID || recs[1].AgainOf != rec.ID || recs[0].UserName != "代理会计" || recs[0].At.IsZero() {
				t.Fatalf("records of A = %+v", recs)
			}
		})
	})
}

func TestDB_ImportRepeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		posted := f.Post(t, a, "2025-03-05", rent("500")...)
		draft := create(t, f, a, "2025-03-06", L("付电费", "513", "30"), L("付电费", "101", "-30"))
		reversal, err := db.ReverseVoucher(bg, f.Accountant, posted.ID, D("2025-03-31"))
		ok(t, err)
		// The posted voucher keyed again with its lines the other way round
		// and a counterparty; the draft again with another second summary;
		// a new voucher twice in the file; one voucher new.
		again := V(a, "2025-03-05", L("收租金", "50101", "-500"), L("收租金", "10201", "500"))
		again.Lines[1].Counterparty = "某商贸公司"
		vs := []*ledger.Voucher{
			again,
			V(a, "2025-03-06", L("付电费", "513", "30"), L("电费", "101", "-30")),
			V(a, "2025-03-07", rent("70")...),
			V(a, "2025-03-08", rent("80")...),
			V(a, "2025-03-07", rent("70")...),
			V(a, "2025-03-07", rent("70.01")...),
		}
		src := storetest.NewSliceSource(vs...)
		res, err := db.Import(bg, f.Accountant, src, store.ImportFile{Name: "三月.csv"})
		ok(t, err)
		type repeat struct {
			index int
			of    jiti.VoucherRef
		}
		want := []repeat{{0, posted.Ref()}, {1, draft.Ref()}, {4, vs[2].Ref()}}
		if len(res.Repeats) != len(want) || res.MoreRepeats != 0 || res.Imports[0].Repeats != 3 {
			t.Fatalf("repeats = %+v (%d more), record %+v", res.Repeats, res.MoreRepeats, res.Imports[0])
		}
		for i, w := range want {
			r := res.Repeats[i]
			var le *storetest.LocatedError
			if !errors.As(r.Place, &le) || le.Index != w.index || !errors.Is(r.Place, store.ErrRepeats) {
				t.Errorf("repeat %d placed at %v, want voucher %d", i, r.Place, w.index)
			}
			if r.Voucher != vs[w.index].Ref() || r.Of != w.of {
				t.Errorf("repeat %d: %+v repeats %+v, want %+v repeating %+v", i, r.Voucher, r.Of, vs[w.index].Ref(), w.of)
			}
		}
		if w := want[0].of; w.Number != 1 || w.Period != P("2025-03") {
			t.Fatalf("the posted voucher is named %+v, want 记字第1号 of 2025-03", w)
		}

		// The list flags the same vouchers, and only those.
		flags := func() map[int64]int64 {
			t.Helper()
			hs, _, err := db.FindVoucherHeads(bg, store.VoucherFilter{CollectiveID: a, Limit: -1})
			ok(t, err)
			out := map[int64]int64{}
			for _, h := range hs {
				if h.Repeats.ID != 0 {
					out[h.ID] = h.Repeats.ID
				}
			}
			return out
		}
		wantFlags := map[int64]int64{vs[0].ID: posted.ID, vs[1].ID: draft.ID, vs[4].ID: vs[2].ID}
		if got := flags(); !reflect.DeepEqual(got, wantFlags) {
			t.Fatalf("flags of the list = %v, want %v (the reversal %d repeats nothing)", got, wantFlags, reversal.ID)
		}
		hs, _, err := db.FindVoucherHeads(bg, store.VoucherFilter{CollectiveID: a, Status: ledger.Draft, Limit: -1})
		ok(t, err)
		for _, h := range hs {
			if h.ID == vs[0].ID && (h.Repeats.Number != 1 || h.Repeats.Period != P("2025-03")) {
				t.Fatalf("list names the posted voucher %+v", h.Repeats)
			}
		}
		// A voucher keyed by hand repeats too; the flag follows the books:
		// an edited draft that no longer repeats loses it, and a copy of a
		// deleted draft repeats nothing.
		typed := create(t, f, a, "2025-03-08", rent("80")...)
		_, err = db.UpdateVoucher(bg, f.Accountant, vs[4].ID, V(a, "2025-03-07", rent("70.5")...))
		ok(t, err)
		ok(t, db.DeleteVoucher(bg, f.Accountant, draft.ID))
		wantFlags = map[int64]int64{vs[0].ID: posted.ID, typed.ID: vs[3].ID}
		if got := flags(); !reflect.DeepEqual(got, wantFlags) {
			t.Fatalf("flags after edits = %v, want %v", got, wantFlags)
		}
	})
}

func TestDB_ImportRepeatsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		// More repeats than are kept: the rest are counted.
		var vs []*ledger.Voucher
		for i := 0; i < store.MaxImportErrors+6; i++ {
			vs = append(vs, V(f.A.ID, "2025-03-01", rent("1")...))
		}
		res, err := db.ImportVouchers(bg, f.Accountant, storetest.NewSliceSource(vs...), "many.csv")
		ok(t, err)
		if len(res.Repeats) != store.MaxImportErrors || res.MoreRepeats != 5 || res.Imports[0].Repeats != store.MaxImportErrors+5 {
			t.Fatalf("%d repeats kept, %d more, record %d", len(res.Repeats), res.MoreRepeats, res.Imports[0].Repeats)
		}
		for _, r := range res.Repeats {
			if r.Of.ID != vs[0].ID {
				t.Fatalf("%+v repeats %+v, want the first, %d", r.Voucher, r.Of, vs[0].ID)
			}
		}
	})
}

// TestFillFingerprints: vouchers made before fingerprints were kept get
// theirs when the migration that adds them runs, the same as new ones.
func TestFillFingerprints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		p := f.Post(t, a, "2025-03-05", rent("500")...)
		create(t, f, a, "2025-03-05", rent("500")...)
		_, err := db.ReverseVoucher(bg, f.Accountant, p.ID, D("2025-03-31"))
		ok(t, err)
		const query = `SELECT id, COALESCE(fingerprint, 0) FROM vouchers ORDER BY id`
		want := storetest.Rows(t, db, query)
		if len(want) != 3 || want[0][1] == "0" || want[0][1] != want[1][1] || want[2][1] != "0" {
			t.Fatalf("fingerprints as made = %v", want)
		}
		ok(t, storetest.Exec(db, `UPDATE vouchers SET fingerprint = NULL`))
		ok(t, store.FillFingerprints(db))
		if got := storetest.Rows(t, db, query); !reflect.DeepEqual(got, want) {
			t.Fatalf("fingerprints filled = %v, want %v", got, want)
		}
	})
}

// TestView_VoucherHeadsCached: a View's page of a voucher list is kept
// while the collective's books stand, and a draft made, an import
// published or an approval shows at once.
func TestView_VoucherHeadsCached(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		list := func() ([]store.VoucherHead, int) {
			t.Helper()
			v, err := db.ViewAs(bg, f.Admin)
			ok(t, err)
			hs, total, err := v.VoucherHeads(bg, store.VoucherFilter{CollectiveID: a})
			ok(t, err)
			return hs, total
		}
		d := create(t, f, a, "2025-03-01", rent("10")...)
		first, n := list()
		if n != 1 || len(first) != 1 || first[0].ID != d.ID {
			t.Fatalf("list = %d of %d", len(first), n)
		}
		if again, _ := list(); &again[0] != &first[0] {
			t.Fatal("the list was read again though nothing changed")
		}
		create(t, f, a, "2025-03-02", rent("20")...)
		if hs, n := list(); n != 2 || len(hs) != 2 {
			t.Fatalf("after a draft: %d of %d", len(hs), n)
		}
		_, err := db.ImportVouchers(bg, f.Accountant, storetest.NewSliceSource(V(a, "2025-03-20", rent("100")...)), "三月.csv")
		ok(t, err)
		if hs, n := list(); n != 3 || len(hs) != 3 {
			t.Fatalf("after an import: %d of %d", len(hs), n)
		}
		ok(t, db.ApproveVoucher(bg, f.Approver, d.ID))
		if hs, _ := list(); hs[0].ID != d.ID || hs[0].Status != ledger.Approved {
			t.Fatalf("after an approval: %+v", hs[0].Voucher)
		}
	})
}

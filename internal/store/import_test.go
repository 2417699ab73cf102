package store_test

import (
	"errors"
	"fmt"
	"reflect"
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
			e := lastEvent(t, db, "voucher.import")
			if e.UserID != f.Accountant || e.EntityID != "三月凭证.xlsx" || decode(t, e.New)["vouchers"] != float64(4) {
				t.Fatalf("audit = %+v %s", e, e.New)
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

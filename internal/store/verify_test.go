package store_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// verifyBooks posts four vouchers of collective cid: three in February (one
// with a household line) and one in March.
func verifyBooks(t testing.TB, f *storetest.Fixture, cid int64) []*ledger.Voucher {
	t.Helper()
	return []*ledger.Voucher{
		f.Post(t, cid, "2025-02-01", rent("800")...),
		f.Post(t, cid, "2025-02-10", L("借给张三", "101", "-300"), ledger.Line{Summary: "借给张三", Account: "113", Debit: A("300"), Household: "H001"}),
		f.Post(t, cid, "2025-02-20", L("付电费", "513", "120.50"), L("付电费", "101", "-120.50")),
		f.Post(t, cid, "2025-03-01", rent("900")...),
	}
}

// problems verifies collective cid and returns the kinds found, sorted and
// without repeats, and the problems.
func problems(t testing.TB, db *store.DB, cid int64) ([]string, []store.Problem) {
	t.Helper()
	rep, err := db.Verify(bg, cid)
	ok(t, err)
	seen := map[string]bool{}
	var kinds []string
	for _, p := range rep.Problems {
		if p.CollectiveID != cid {
			t.Errorf("problem of collective %d in the report of %d: %+v", p.CollectiveID, cid, p)
		}
		if !seen[p.Kind] {
			seen[p.Kind] = true
			kinds = append(kinds, p.Kind)
		}
	}
	sort.Strings(kinds)
	return kinds, rep.Problems
}

// wantProblem checks that a problem of kind names voucher id (0: none).
func wantProblem(t testing.TB, ps []store.Problem, kind string, id int64) {
	t.Helper()
	for _, p := range ps {
		if p.Kind == kind && p.VoucherID == id {
			return
		}
	}
	t.Errorf("no %s problem naming voucher %d: %+v", kind, id, ps)
}

func TestDB_Verify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		books := map[string][]*ledger.Voucher{}
		cids := map[string]int64{}
		for i, name := range []string{"amount", "date", "balance", "deleted", "swapped", "statyear"} {
			c := f.AddCollective(t, []string{"203", "204", "205", "206", "207", "208"}[i], name)
			cids[name] = c.ID
			books[name] = verifyBooks(t, f, c.ID)
		}
		ok(t, db.SetOpeningBalances(bg, f.Accountant, cids["balance"], []store.OpeningBalance{
			{Account: "113", Household: "H002", Debit: A("50")}, {Account: "301", Credit: A("50")}}))
		t.Run("OK", func(t *testing.T) {
			rep, err := db.Verify(bg, 0)
			ok(t, err)
			if !rep.OK() || rep.Collectives != 8 || rep.Vouchers != 24 || rep.Lines != 48 {
				t.Fatalf("clean books: %+v", rep)
			}
			rep, err = db.Verify(bg, cids["amount"])
			ok(t, err)
			if !rep.OK() || rep.Collectives != 1 || rep.Vouchers != 4 {
				t.Fatalf("one collective: %+v", rep)
			}
		})
		t.Run("ErrLineAmount", func(t *testing.T) {
			v := books["amount"][2]
			ok(t, storetest.Exec(db, `UPDATE voucher_lines SET debit = debit + 1 WHERE voucher_id = ? AND line_no = 1`, v.ID))
			kinds, ps := problems(t, db, cids["amount"])
			// The line is on an income account: the yearly turnover kept
			// for statistics no longer agrees with the lines either.
			if want := []string{"verify.balance", "verify.hash", "verify.stat_turnover", "verify.stat_year", "verify.unbalanced"}; !reflect.DeepEqual(kinds, want) {
				t.Fatalf("kinds = %v, want %v", kinds, want)
			}
			wantProblem(t, ps, "verify.hash", v.ID)
			wantProblem(t, ps, "verify.unbalanced", v.ID)
			wantProblem(t, ps, "verify.balance", 0)
		})
		t.Run("ErrVoucherDate", func(t *testing.T) {
			v := books["date"][1]
			ok(t, storetest.Exec(db, `UPDATE vouchers SET date = ? WHERE id = ?`, "2025-02-11", v.ID))
			kinds, ps := problems(t, db, cids["date"])
			if want := []string{"verify.hash"}; !reflect.DeepEqual(kinds, want) || len(ps) != 1 {
				t.Fatalf("problems = %+v, want %v", ps, want)
			}
			wantProblem(t, ps, "verify.hash", v.ID)
		})
		t.Run("ErrBalanceRow", func(t *testing.T) {
			cid := cids["balance"]
			ok(t, storetest.Exec(db, `UPDATE balances SET credit = credit + 100 WHERE collective_id = ? AND period = ? AND account_code = ?`,
				cid, int(P("2025-02")), "50101"))
			kinds, ps := problems(t, db, cid)
			if want := []string{"verify.balance"}; !reflect.DeepEqual(kinds, want) || len(ps) != 1 || !strings.Contains(ps[0].Detail, "50101") {
				t.Fatalf("problems = %+v, want one verify.balance on 50101", ps)
			}
			ok(t, storetest.Exec(db, `UPDATE household_balances SET debit = debit + 1 WHERE collective_id = ? AND period = ? AND household_code = ?`,
				cid, 0, "H002"))
			kinds, ps = problems(t, db, cid)
			if want := []string{"verify.balance", "verify.household_balance"}; !reflect.DeepEqual(kinds, want) {
				t.Fatalf("problems = %+v, want %v", ps, want)
			}
		})
		t.Run("ErrStatYear", func(t *testing.T) {
			cid := cids["statyear"]
			ok(t, storetest.Exec(db, `UPDATE stat_year SET turnover = turnover || ';50102 0 1' WHERE collective_id = ?`, cid))
			kinds, ps := problems(t, db, cid)
			if want := []string{"verify.stat_year"}; !reflect.DeepEqual(kinds, want) || len(ps) != 1 || !strings.Contains(ps[0].Detail, "50102") {
				t.Fatalf("problems = %+v, want one verify.stat_year on 50102", ps)
			}
			ok(t, storetest.Exec(db, `UPDATE stat_year SET turnover = '50101 x' WHERE collective_id = ?`, cid))
			kinds, ps = problems(t, db, cid)
			if want := []string{"verify.stat_year"}; !reflect.DeepEqual(kinds, want) || !strings.Contains(ps[0].Detail, "malformed") {
				t.Fatalf("problems = %+v, want verify.stat_year malformed", ps)
			}
			// Statistics refuse to read it rather than show a wrong figure.
			if _, err := db.Stats(bg, "620422", 2025); err == nil {
				t.Fatal("statistics read a malformed stat_year row")
			}
		})
		t.Run("ErrDeletedVoucher", func(t *testing.T) {
			vs := books["deleted"]
			gone, next := vs[1], vs[2]
			ok(t, storetest.Exec(db, `DELETE FROM voucher_lines WHERE voucher_id = ?`, gone.ID))
			ok(t, storetest.Exec(db, `DELETE FROM vouchers WHERE id = ?`, gone.ID))
			kinds, ps := problems(t, db, cids["deleted"])
			for _, k := range []string{"verify.chain_gap", "verify.chain_link", "verify.number_gap", "verify.balance", "verify.household_balance"} {
				if !contains(kinds, k) {
					t.Errorf("deletion not reported as %s: %+v", k, ps)
				}
			}
			wantProblem(t, ps, "verify.chain_gap", next.ID)
			wantProblem(t, ps, "verify.chain_link", next.ID)
			if contains(kinds, "verify.hash") {
				t.Errorf("untouched vouchers reported as altered: %+v", ps)
			}
		})
		t.Run("ErrSwappedNumbers", func(t *testing.T) {
			vs := books["swapped"]
			x, y := vs[0], vs[2]
			ok(t, storetest.Exec(db, `UPDATE vouchers SET number = ? WHERE id = ?`, 999, x.ID))
			ok(t, storetest.Exec(db, `UPDATE vouchers SET number = ? WHERE id = ?`, x.Number, y.ID))
			ok(t, storetest.Exec(db, `UPDATE vouchers SET number = ? WHERE id = ?`, y.Number, x.ID))
			kinds, ps := problems(t, db, cids["swapped"])
			if want := []string{"verify.hash"}; !reflect.DeepEqual(kinds, want) || len(ps) != 2 {
				t.Fatalf("problems = %+v, want verify.hash on both vouchers", ps)
			}
			wantProblem(t, ps, "verify.hash", x.ID)
			wantProblem(t, ps, "verify.hash", y.ID)
		})
		t.Run("OKOthersUntouched", func(t *testing.T) {
			for _, cid := range []int64{f.A.ID, f.B.ID} {
				if kinds, ps := problems(t, db, cid); len(kinds) != 0 {
					t.Fatalf("collective %d: %+v", cid, ps)
				}
			}
		})
	})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

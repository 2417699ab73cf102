package store_test

import (
	"encoding/json"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// openingSet is a balanced set of opening balances with both kinds of
// household sub-ledger on 113: H001 owes the collective 800, the collective
// owes H002 300.
func openingSet() []store.OpeningBalance {
	return []store.OpeningBalance{
		{Account: "101", Debit: A("1000")},
		{Account: "10201", Debit: A("50000")},
		{Account: "113", Household: "H001", Debit: A("800")},
		{Account: "113", Household: "H002", Credit: A("300")},
		{Account: "151", Debit: A("200000")},
		{Account: "152", Credit: A("20000")},
		{Account: "211", Credit: A("5000")},
		{Account: "301", Credit: A("200000")},
		{Account: "32202", Credit: A("26500")},
	}
}

// sheetValue returns line no of a statement result in column col.
func sheetValue(r *report.StatementResult, no, col int) jiti.Amount { return r.Value(no, col) }

func TestDB_SetOpeningBalances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			ok(t, db.SetOpeningBalances(bg, f.Accountant, cid, openingSet()))
			got, err := db.OpeningBalances(bg, cid)
			ok(t, err)
			if len(got) != len(openingSet()) {
				t.Fatalf("opening balances = %+v", got)
			}
			// The opening of the first month, and of every later month
			// without postings.
			for _, month := range []string{"2025-01", "2025-06"} {
				tb := trialBalance(t, db, cid, month, month)
				for code, want := range map[string]string{"101": "1000", "102": "50000", "10201": "50000", "113": "500",
					"151": "200000", "152": "-20000", "211": "-5000", "301": "-200000", "322": "-26500", "32202": "-26500"} {
					if got := opening(tb, code); got != A(want) {
						t.Errorf("%s opening of %s = %v, want %s", month, code, got, want)
					}
					if got := closing(tb, code); got != A(want) {
						t.Errorf("%s closing of %s = %v, want %s", month, code, got, want)
					}
				}
				if tb.Total.OpeningDr != A("251500") || tb.Total.Debit != 0 || tb.Total.YearDr != 0 {
					t.Errorf("%s total = %+v (opening balances are not turnover)", month, tb.Total)
				}
			}
			// The books open on 1 January: the balance sheet's 上年年末余额
			// is the opening balances, 113 split by household.
			bs, err := db.BalanceSheet(bg, cid, P("2025-01"))
			ok(t, err)
			if !bs.OK() || bs.Headings[0] != report.HeadingPeriodEnd || bs.Headings[1] != report.HeadingYearStart || bs.Blank[1] {
				t.Fatalf("balance sheet: balanced %v, headings %v, blank %v", bs.Balanced, bs.Headings, bs.Blank)
			}
			for no, want := range map[int]string{1: "51000", 3: "800", 11: "200000", 12: "20000", 13: "180000", 21: "180000", 22: "231800",
				24: "5300", 28: "5300", 33: "5300", 34: "200000", 36: "26500", 38: "231800"} {
				for col := 0; col < 2; col++ {
					if got := sheetValue(bs, no, col); got != A(want) {
						t.Errorf("balance sheet line %d column %d = %v, want %s", no, col, got, want)
					}
				}
			}
			// A January posting moves 期末余额, not 上年年末余额; the trial
			// balance's closing is opening plus turnover.
			f.Post(t, cid, "2025-01-10", L("H001还款", "101", "800"), ledger.Line{Summary: "H001还款", Account: "113", Credit: A("800"), Household: "H001"})
			tb := trialBalance(t, db, cid, "2025-01", "2025-01")
			if r := tb.Row("113"); r.Opening() != A("500") || r.Credit != A("800") || r.Closing() != A("-300") {
				t.Fatalf("113 = %+v", r)
			}
			bs, err = db.BalanceSheet(bg, cid, P("2025-01"))
			ok(t, err)
			if !bs.OK() || sheetValue(bs, 3, 1) != A("800") || sheetValue(bs, 3, 0) != 0 || sheetValue(bs, 1, 0) != A("51800") {
				t.Fatalf("after posting: balanced %v, 应收款项 %v/%v, 货币资金 %v", bs.Balanced, sheetValue(bs, 3, 0), sheetValue(bs, 3, 1), sheetValue(bs, 1, 0))
			}
			rep, err := db.Verify(bg, cid)
			ok(t, err)
			if !rep.OK() {
				t.Fatalf("verify: %+v", rep.Problems)
			}
		})
		t.Run("ErrUnbalanced", func(t *testing.T) {
			err := db.SetOpeningBalances(bg, f.Accountant, f.B.ID, []store.OpeningBalance{
				{Account: "101", Debit: A("100")}, {Account: "301", Credit: A("90.50")}})
			wantErr(t, err, ledger.ErrOpeningUnbalanced, "entries")
			if args := jiti.AsError(err).Args; len(args) != 2 || args[0] != A("100") || args[1] != A("90.50") {
				t.Fatalf("args = %v, want the totals 100 and 90.50", args)
			}
		})
		t.Run("ErrEntry", func(t *testing.T) {
			for _, c := range []struct {
				e     store.OpeningBalance
				want  error
				field string
			}{
				{store.OpeningBalance{Account: "113", Household: "H009", Debit: A("10")}, ledger.ErrHouseholdUnknown, "entries[2].household"},
				{store.OpeningBalance{Account: "102", Debit: A("10")}, ledger.ErrAccountNotLeaf, "entries[2].account"},
				{store.OpeningBalance{Account: "109", Debit: A("10")}, ledger.ErrAccountUnknown, "entries[2].account"},
				{store.OpeningBalance{Account: "101", Debit: A("-10")}, ledger.ErrNotPositive, "entries[2].debit"},
				{store.OpeningBalance{Account: "101", Debit: A("10"), Credit: A("10")}, ledger.ErrBothSides, "entries[2].credit"},
			} {
				err := db.SetOpeningBalances(bg, f.Accountant, f.B.ID, []store.OpeningBalance{{Account: "301", Credit: A("10")}, c.e})
				wantErr(t, err, c.want, c.field)
			}
			if got, _ := db.OpeningBalances(bg, f.B.ID); len(got) != 0 {
				t.Fatalf("refused sets left %+v", got)
			}
		})
		t.Run("OKReplaced", func(t *testing.T) {
			second := []store.OpeningBalance{{Account: "101", Debit: A("10")}, {Account: "301", Credit: A("10")}}
			ok(t, db.SetOpeningBalances(bg, f.Accountant, cid, second))
			got, err := db.OpeningBalances(bg, cid)
			ok(t, err)
			if len(got) != 2 {
				t.Fatalf("opening balances = %+v, want the second set only", got)
			}
			tb := trialBalance(t, db, cid, "2025-01", "2025-01")
			if opening(tb, "101") != A("10") || opening(tb, "10201") != 0 || opening(tb, "113") != 0 || opening(tb, "151") != 0 {
				t.Fatalf("opening after replacement: 101 %v 10201 %v 113 %v 151 %v", opening(tb, "101"), opening(tb, "10201"), opening(tb, "113"), opening(tb, "151"))
			}
			bs, err := db.BalanceSheet(bg, cid, P("2025-01"))
			ok(t, err)
			// H001's opening 800 is gone; the January repayment leaves the
			// collective owing H001 800.
			if !bs.OK() || sheetValue(bs, 3, 1) != 0 || sheetValue(bs, 24, 0) != A("800") {
				t.Fatalf("balance sheet after replacement: balanced %v, 应收款项 %v, 应付款项 %v", bs.Balanced, sheetValue(bs, 3, 1), sheetValue(bs, 24, 0))
			}
			rep, err := db.Verify(bg, cid)
			ok(t, err)
			if !rep.OK() {
				t.Fatalf("verify: %+v", rep.Problems)
			}
			e := lastEvent(t, db, "opening.set")
			var old, nw []store.OpeningBalance
			if err := json.Unmarshal(e.Old, &old); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(e.New, &nw); err != nil {
				t.Fatal(err)
			}
			if e.UserID != f.Accountant || len(old) != len(openingSet()) || len(nw) != 2 || nw[0].Debit != A("10") {
				t.Fatalf("audit: user %d old %+v new %+v", e.UserID, old, nw)
			}
		})
		t.Run("ErrFirstMonthClosed", func(t *testing.T) {
			ok(t, db.ClosePeriod(bg, f.Accountant, cid, P("2025-01")))
			err := db.SetOpeningBalances(bg, f.Accountant, cid, openingSet())
			wantErr(t, err, ledger.ErrOpeningAfterPosted, "-")
			got, _ := db.OpeningBalances(bg, cid)
			if len(got) != 2 {
				t.Fatalf("opening balances changed: %+v", got)
			}
		})
	})
}

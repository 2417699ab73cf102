package store_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestDB_StatementsFirstYear: the year before the books has no figures, so
// the first income statement's 上年金额 is blank, and so is the balance
// sheet's 上年年末余额 of books opened after 1 January; 年初未分配收益 is the
// opening balance of 32202 in the first year and its balance at the end of
// the year before afterwards.
func TestDB_StatementsFirstYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID // books opened on 2025-01-01
		ok(t, db.SetOpeningBalances(bg, f.Accountant, a, []store.OpeningBalance{
			{Account: "101", Debit: A("800")}, {Account: "32202", Credit: A("800")}}))
		f.Post(t, a, "2025-02-10", rent("100")...)
		// A loss covered from 311 reaches 32202 as 其他转入.
		f.Post(t, a, "2025-06-30", L("公积公益金弥补亏损", "311", "60"), L("公积公益金弥补亏损", "32202", "-60"))
		f.Post(t, a, "2026-02-10", rent("30")...)

		is, err := db.IncomeStatement(bg, a, P("2025-12"))
		ok(t, err)
		if is.Blank[0] || !is.Blank[1] || is.Headings[0] != report.HeadingThisYear || is.Headings[1] != report.HeadingLastYear {
			t.Fatalf("2025: blank %v, headings %v", is.Blank, is.Headings)
		}
		if is.Value(1, 0) != A("100") || is.Value(14, 0) != A("800") || is.Value(15, 0) != A("60") || is.Value(1, 1) != 0 {
			t.Fatalf("2025: 经营收入 %v/%v, 年初未分配收益 %v, 其他转入 %v", is.Value(1, 0), is.Value(1, 1), is.Value(14, 0), is.Value(15, 0))
		}
		// Part of a year: 本年累计金额 beside 上年同期金额, blank.
		q1, err := db.IncomeStatement(bg, a, P("2025-03"))
		ok(t, err)
		if !q1.Blank[1] || q1.Headings[0] != report.HeadingYearToDate || q1.Headings[1] != report.HeadingLastYearToDate {
			t.Fatalf("2025-03: blank %v, headings %v", q1.Blank, q1.Headings)
		}
		// The second year has a year before: 2025's figures, and 年初未分配收益
		// is 32202 at the end of 2025 (800 + 60), not an invented figure.
		is, err = db.IncomeStatement(bg, a, P("2026-12"))
		ok(t, err)
		if is.Blank[0] || is.Blank[1] || is.Value(1, 0) != A("30") || is.Value(1, 1) != A("100") ||
			is.Value(14, 0) != A("860") || is.Value(14, 1) != A("800") {
			t.Fatalf("2026: blank %v, 经营收入 %v/%v, 年初未分配收益 %v/%v", is.Blank, is.Value(1, 0), is.Value(1, 1), is.Value(14, 0), is.Value(14, 1))
		}

		// Books opened on 1 January: 上年年末余额 is the opening balances.
		bs, err := db.BalanceSheet(bg, a, P("2025-12"))
		ok(t, err)
		if bs.Blank[0] || bs.Blank[1] || bs.Value(1, 1) != A("800") || bs.Value(36, 1) != A("800") || !bs.OK() {
			t.Fatalf("A 2025-12: blank %v, 货币资金 %v, 未分配收益 %v", bs.Blank, bs.Value(1, 1), bs.Value(36, 1))
		}

		// Books opened on 1 April: no balance at the end of 2024, and
		// nothing at all before April.
		_, err = db.CreateRegion(bg, f.Admin, jiti.Region{Code: "620422100209", Name: "四月村"})
		ok(t, err)
		c, err := db.CreateCollective(bg, f.Admin, jiti.Collective{Name: "四月村股份经济合作社", RegionCode: "620422100209",
			Level: jiti.LevelVillage, BooksOpenedOn: D("2025-04-01")})
		ok(t, err)
		ok(t, db.SetOpeningBalances(bg, f.Accountant, c.ID, []store.OpeningBalance{
			{Account: "101", Debit: A("500")}, {Account: "301", Credit: A("500")}}))
		bs, err = db.BalanceSheet(bg, c.ID, P("2025-06"))
		ok(t, err)
		if bs.Blank[0] || !bs.Blank[1] || bs.Value(1, 0) != A("500") || !bs.OK() {
			t.Fatalf("April books, 2025-06: blank %v, 货币资金 %v", bs.Blank, bs.Value(1, 0))
		}
		bs, err = db.BalanceSheet(bg, c.ID, P("2025-02"))
		ok(t, err)
		if !bs.Blank[0] || !bs.Blank[1] {
			t.Fatalf("April books, 2025-02: blank %v", bs.Blank)
		}
		bs, err = db.BalanceSheet(bg, c.ID, P("2026-01"))
		ok(t, err)
		if bs.Blank[0] || bs.Blank[1] || bs.Value(1, 1) != A("500") {
			t.Fatalf("April books, 2026-01: blank %v, 货币资金 at the end of 2025 %v", bs.Blank, bs.Value(1, 1))
		}
		_, err = db.BalanceSheet(bg, noVoucher, P("2025-06"))
		wantErr(t, err, jiti.ErrNotFound, "-")
	})
}

package store_test

import (
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// periodInfo returns the state of month p from Periods.
func periodInfo(t testing.TB, db *store.DB, cid int64, p string) store.PeriodInfo {
	t.Helper()
	ps, err := db.Periods(bg, cid)
	ok(t, err)
	for _, pi := range ps {
		if pi.Period == P(p) {
			return pi
		}
	}
	t.Fatalf("Periods lacks %s: %+v", p, ps)
	return store.PeriodInfo{}
}

func closeMonths(t testing.TB, db *store.DB, by jiti.UserID, cid int64, from, to string) {
	t.Helper()
	for p := P(from); p <= P(to); p = p.Next() {
		if err := db.ClosePeriod(bg, by, cid, p); err != nil {
			t.Fatalf("close %s: %v", p, err)
		}
	}
}

func TestDB_ClosePeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			ok(t, db.ClosePeriod(bg, f.Accountant, cid, P("2025-01")))
			if pi := periodInfo(t, db, cid, "2025-01"); !pi.Closed {
				t.Fatalf("January = %+v", pi)
			}
			e := lastEvent(t, db, "period.close")
			if e.UserID != f.Accountant || e.Entity != "period" || e.EntityID != "2025-01" || e.CollectiveID != cid ||
				decode(t, e.Old)["closed"] != false || decode(t, e.New)["closed"] != true {
				t.Fatalf("audit = %+v old %s new %s", e, e.Old, e.New)
			}
			f.Post(t, cid, "2025-02-03", rent("100")...)
			ok(t, db.ClosePeriod(bg, f.Accountant, cid, P("2025-02")))
			pi := periodInfo(t, db, cid, "2025-02")
			if !pi.Closed || pi.LastNumber != 1 {
				t.Fatalf("February = %+v", pi)
			}
			// The other collective's months are its own.
			if periodInfo(t, db, f.B.ID, "2025-01").Closed {
				t.Fatal("B's January closed with A's")
			}
			// A closed month takes no voucher.
			_, err := db.CreateVoucher(bg, f.Accountant, V(cid, "2025-02-28", rent("1")...))
			wantErr(t, err, ledger.ErrPeriodClosed, "date")
		})
		t.Run("ErrHasDrafts", func(t *testing.T) {
			d := create(t, f, cid, "2025-03-03", rent("100")...)
			err := db.ClosePeriod(bg, f.Accountant, cid, P("2025-03"))
			wantErr(t, err, ledger.ErrPeriodHasDrafts, "period")
			ok(t, db.ApproveVoucher(bg, f.Approver, d.ID))
			wantErr(t, db.ClosePeriod(bg, f.Accountant, cid, P("2025-03")), ledger.ErrPeriodHasDrafts, "period")
			if pi := periodInfo(t, db, cid, "2025-03"); pi.Closed || pi.Unposted != 1 {
				t.Fatalf("March = %+v", pi)
			}
			_, err = db.PostVoucher(bg, f.Accountant, d.ID)
			ok(t, err)
			ok(t, db.ClosePeriod(bg, f.Accountant, cid, P("2025-03")))
		})
		t.Run("ErrEarlierOpen", func(t *testing.T) {
			err := db.ClosePeriod(bg, f.Accountant, cid, P("2025-05"))
			wantErr(t, err, ledger.ErrPeriodOpenBefore, "period")
			if args := jiti.AsError(err).Args; len(args) == 0 || args[0] != P("2025-04") {
				t.Fatalf("args = %v, want the first open month 2025-04", args)
			}
			wantErr(t, db.ClosePeriod(bg, f.Accountant, f.B.ID, P("2025-02")), ledger.ErrPeriodOpenBefore, "period")
		})
		t.Run("ErrFuture", func(t *testing.T) {
			// The clock says 2025-12-31.
			wantErr(t, db.ClosePeriod(bg, f.Accountant, cid, P("2026-01")), ledger.ErrPeriodInFuture, "period")
		})
		t.Run("ErrAlreadyClosed", func(t *testing.T) {
			wantErr(t, db.ClosePeriod(bg, f.Accountant, cid, P("2025-01")), ledger.ErrPeriodAlready, "period")
		})
		t.Run("ErrBeforeBooks", func(t *testing.T) {
			wantErr(t, db.ClosePeriod(bg, f.Accountant, cid, P("2024-12")), ledger.ErrPeriodBeforeBooks, "period")
		})
		t.Run("ErrRole", func(t *testing.T) {
			wantErr(t, db.ClosePeriod(bg, f.Approver, cid, P("2025-04")), jiti.ErrRoleCannot, "-")
		})
	})
}

// TestDB_ClosePeriods closes months in one transaction: all of them, or
// none when one of them cannot close.
func TestDB_ClosePeriods(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		f.Post(t, cid, "2025-02-03", rent("100")...)
		d := create(t, f, cid, "2025-03-03", rent("100")...)
		wantErr(t, db.ClosePeriods(bg, f.Accountant, cid, P("2025-01"), P("2025-04")), ledger.ErrPeriodHasDrafts, "period")
		for _, m := range []string{"2025-01", "2025-02", "2025-03"} {
			if pi := periodInfo(t, db, cid, m); pi.Closed {
				t.Fatalf("%s closed by a batch that failed in March: %+v", m, pi)
			}
		}
		wantErr(t, db.ClosePeriods(bg, f.Approver, cid, P("2025-01"), P("2025-02")), jiti.ErrRoleCannot, "-")
		ok(t, db.ApproveVoucher(bg, f.Approver, d.ID))
		_, err := db.PostVoucher(bg, f.Accountant, d.ID)
		ok(t, err)
		ok(t, db.ClosePeriods(bg, f.Accountant, cid, P("2025-01"), P("2025-04")))
		for _, m := range []string{"2025-01", "2025-02", "2025-03", "2025-04"} {
			if pi := periodInfo(t, db, cid, m); !pi.Closed {
				t.Fatalf("%s open: %+v", m, pi)
			}
		}
		if periodInfo(t, db, cid, "2025-05").Closed {
			t.Fatal("May closed, past the batch")
		}
		wantErr(t, db.ClosePeriods(bg, f.Accountant, cid, P("2025-05"), P("2026-01")), ledger.ErrPeriodInFuture, "period")
		if periodInfo(t, db, cid, "2025-05").Closed {
			t.Fatal("May closed by a batch that failed in 2026-01")
		}
	})
}

func TestDB_ReopenPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		f.Post(t, cid, "2025-03-03", rent("100")...)
		closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-03")
		t.Run("ErrLaterClosed", func(t *testing.T) {
			err := db.ReopenPeriod(bg, f.Accountant, cid, P("2025-02"), "补记漏记凭证")
			wantErr(t, err, ledger.ErrPeriodLaterClosed, "period")
		})
		t.Run("ErrReasonRequired", func(t *testing.T) {
			for _, reason := range []string{"", "补"} {
				wantErr(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-03"), reason), ledger.ErrReasonRequired, "reason")
			}
			if !periodInfo(t, db, cid, "2025-03").Closed {
				t.Fatal("reopened without a reason")
			}
		})
		t.Run("ErrNotClosed", func(t *testing.T) {
			wantErr(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-04"), "补记漏记凭证"), ledger.ErrPeriodNotClosed, "period")
		})
		t.Run("ErrRole", func(t *testing.T) {
			wantErr(t, db.ReopenPeriod(bg, f.Approver, cid, P("2025-03"), "补记漏记凭证"), jiti.ErrRoleCannot, "-")
		})
		t.Run("OK", func(t *testing.T) {
			ok(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-03"), "补记漏记凭证"))
			if periodInfo(t, db, cid, "2025-03").Closed {
				t.Fatal("March still closed")
			}
			e := lastEvent(t, db, "period.reopen")
			if e.UserID != f.Accountant || e.EntityID != "2025-03" || decode(t, e.Old)["closed"] != true ||
				decode(t, e.New)["closed"] != false || decode(t, e.New)["reason"] != "补记漏记凭证" {
				t.Fatalf("audit = %+v old %s new %s", e, e.Old, e.New)
			}
			// The month takes vouchers again; numbering goes on.
			v := f.Post(t, cid, "2025-03-30", rent("5")...)
			if v.Number != 2 {
				t.Fatalf("number = %d, want 2", v.Number)
			}
			// Then February, from the latest back.
			ok(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-02"), "调整分录"))
			closeMonths(t, db, f.Accountant, cid, "2025-02", "2025-03")
			rep, err := db.Verify(bg, cid)
			ok(t, err)
			if !rep.OK() {
				t.Fatalf("verify: %+v", rep.Problems)
			}
		})
	})
}

func TestDB_Periods(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			ps, err := db.Periods(bg, cid)
			ok(t, err)
			if len(ps) != 12 || ps[0].Period != P("2025-01") || ps[11].Period != P("2025-12") {
				t.Fatalf("periods = %+v, want 2025-01..2025-12 (books opened to the clock's month)", ps)
			}
			f.Post(t, cid, "2025-01-03", rent("1")...)
			f.Post(t, cid, "2025-01-04", rent("1")...)
			closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-01")
			create(t, f, cid, "2025-02-05", rent("1")...)
			approved(t, f, cid, "2025-02-06", rent("1")...)
			create(t, f, cid, "2026-02-01", rent("1")...) // a voucher ahead of the clock
			ps, err = db.Periods(bg, cid)
			ok(t, err)
			if len(ps) != 14 || ps[13].Period != P("2026-02") {
				t.Fatalf("periods run %v..%v (%d), want to 2026-02", ps[0].Period, ps[len(ps)-1].Period, len(ps))
			}
			want := map[jiti.Period]store.PeriodInfo{
				P("2025-01"): {Period: P("2025-01"), Closed: true, LastNumber: 2},
				P("2025-02"): {Period: P("2025-02"), Unposted: 2},
				P("2025-03"): {Period: P("2025-03")},
				P("2026-02"): {Period: P("2026-02"), Unposted: 1},
			}
			for _, pi := range ps {
				if w, ok := want[pi.Period]; ok && pi != w {
					t.Errorf("%s = %+v, want %+v", pi.Period, pi, w)
				}
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := db.Periods(bg, noVoucher)
			wantErr(t, err, jiti.ErrNotFound, "-")
		})
	})
}

// yearBooks posts a year of A's books: income 12,600, expenses 3,200, so a
// result of 9,400; distributions of 3,000 (1,000 to the fund, 2,000 to
// members through 113); opening 未分配收益 500.
func yearBooks(t testing.TB, f *storetest.Fixture) {
	t.Helper()
	cid := f.A.ID
	ok(t, f.DB.SetOpeningBalances(bg, f.Accountant, cid, []store.OpeningBalance{
		{Account: "101", Debit: A("1000")}, {Account: "301", Credit: A("500")}, {Account: "32202", Credit: A("500")}}))
	hh := func(summary, household, amount string) ledger.Line {
		l := L(summary, "113", amount)
		l.Household = household
		return l
	}
	f.Post(t, cid, "2025-01-15", L("收门面租金", "10201", "10000"), L("收门面租金", "50101", "-10000"))
	f.Post(t, cid, "2025-03-10", L("收服务费", "101", "2000"), L("收服务费", "50102", "-2000"))
	f.Post(t, cid, "2025-05-20", L("付办公费", "513", "3000"), L("付办公费", "10201", "-3000"))
	f.Post(t, cid, "2025-06-01", L("收捐赠", "101", "500"), L("收捐赠", "504", "-500"))
	f.Post(t, cid, "2025-06-02", L("罚没支出", "515", "200"), L("罚没支出", "101", "-200"))
	f.Post(t, cid, "2025-11-30", L("提取公积公益金", "3220101", "1000"), L("提取公积公益金", "311", "-1000"))
	f.Post(t, cid, "2025-11-30", L("向成员分配", "3220102", "2000"), hh("应付张三", "H001", "-1200"), hh("应付李四", "H002", "-800"))
	f.Post(t, cid, "2025-12-05", L("收租金", "101", "100"), L("收租金", "50101", "-100"))
}

func TestDB_CloseYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		db.Now = func() time.Time { return time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC) }
		yearBooks(t, f)
		sheetsBalance := func(t *testing.T, when string) {
			t.Helper()
			for p := P("2025-01"); p <= P("2025-12"); p = p.Next() {
				bs, err := db.BalanceSheet(bg, cid, p)
				ok(t, err)
				if !bs.OK() {
					t.Errorf("%s: balance sheet at the end of %s does not balance: 资产总计 %v/%v, 负债和所有者权益总计 %v/%v",
						when, p, bs.Value(22, 0), bs.Value(22, 1), bs.Value(38, 0), bs.Value(38, 1))
				}
			}
		}
		sheetsBalance(t, "before closing")
		is, err := db.IncomeStatement(bg, cid, P("2025-11"))
		ok(t, err)
		if is.Value(13, 0) != A("9300") {
			t.Fatalf("本年收益 to November = %v, want 9300", is.Value(13, 0))
		}
		t.Run("ErrYearNotReady", func(t *testing.T) {
			// Each refusal names the month that blocks the year.
			_, err := db.CloseYear(bg, f.Accountant, cid, 2025)
			wantErr(t, err, ledger.ErrYearMonthOpen, "year")
			if args := jiti.AsError(err).Args; args[1] != P("2025-01") {
				t.Fatalf("blocking month = %v, want 2025-01", args[1])
			}
			closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-10")
			_, err = db.CloseYear(bg, f.Accountant, cid, 2025)
			wantErr(t, err, ledger.ErrYearMonthOpen, "year")
			if args := jiti.AsError(err).Args; args[1] != P("2025-11") {
				t.Fatalf("blocking month = %v, want 2025-11", args[1])
			}
			closeMonths(t, db, f.Accountant, cid, "2025-11", "2025-11")
			d := create(t, f, cid, "2025-12-20", rent("1")...)
			_, err = db.CloseYear(bg, f.Accountant, cid, 2025)
			wantErr(t, err, ledger.ErrYearUnposted, "year")
			if args := jiti.AsError(err).Args; args[2] != 1 {
				t.Fatalf("unposted = %v, want 1", args[2])
			}
			ok(t, db.DeleteVoucher(bg, f.Accountant, d.ID))
			_, err = db.CloseYear(bg, f.Approver, cid, 2025)
			wantErr(t, err, jiti.ErrRoleCannot, "-")
			if n := countVouchers(t, db, ledger.Posted); n != 8 {
				t.Fatalf("refused closings left %d posted vouchers, want 8", n)
			}
		})
		t.Run("OK", func(t *testing.T) {
			vs, err := db.CloseYear(bg, f.Accountant, cid, 2025)
			ok(t, err)
			if len(vs) != 4 {
				t.Fatalf("closing vouchers = %d, want 4 (income into 321, expenses into 321, 321 into 32202, distributions into 32202)", len(vs))
			}
			for i, v := range vs {
				if v.Kind != ledger.Closing || v.Status != ledger.Posted || v.Date != D("2025-12-31") || v.Number != i+2 {
					t.Fatalf("closing voucher %d = %+v", i+1, v)
				}
				// The closer answers for it as maker and reviewer, as
				// stored, not only as returned.
				got, err := db.FindVoucher(bg, v.ID)
				ok(t, err)
				if got.MakerID != f.Accountant || got.ApproverID != f.Accountant || got.PosterID != f.Accountant || got.ApprovedAt.IsZero() {
					t.Fatalf("closing voucher %d: maker %d, approver %d at %v, poster %d; want the closer %d",
						i+1, got.MakerID, got.ApproverID, got.ApprovedAt, got.PosterID, f.Accountant)
				}
				if e, _, _ := db.FindAuditEvents(bg, store.AuditFilter{Action: "voucher.close_year", EntityID: itoa(v.ID)}); len(e) != 1 || e[0].UserID != f.Accountant {
					t.Fatalf("audit of closing voucher %d: %+v", v.ID, e)
				}
			}
			if pi := periodInfo(t, db, cid, "2025-12"); !pi.Closed || pi.LastNumber != 5 {
				t.Fatalf("December = %+v", pi)
			}
			tb := trialBalance(t, db, cid, "2025-12", "2025-12")
			// Closed gross: 321 takes the year's income (12,100 + 500) on
			// its credit, the expenses (3,000 + 200) and the result carried
			// to 322 (9,400) on its debit.
			if r := tb.Row("321"); r == nil || r.Debit != A("12600") || r.Credit != A("12600") {
				t.Errorf("321 turnover = %+v, want 12600 on each side", r)
			}
			for _, code := range []string{"321", "32201", "3220101", "3220102", "3220103", "501", "50101", "50102", "504", "513", "515"} {
				if c := closing(tb, code); c != 0 {
					t.Errorf("%s after closing = %v, want 0", code, c)
				}
			}
			if c := closing(tb, "32202"); c != A("-6900") {
				t.Errorf("32202 after closing = %v, want credit 6900 (500 + 9400 - 3000)", c)
			}
			is, err := db.IncomeStatement(bg, cid, P("2025-12"))
			ok(t, err)
			for no, want := range map[int]string{1: "12100", 5: "3000", 6: "9100", 8: "500", 10: "200", 11: "9400", 13: "9400",
				14: "500", 15: "0", 16: "9900", 17: "1000", 18: "2000", 19: "0", 20: "6900"} {
				if got := is.Value(no, 0); got != A(want) {
					t.Errorf("income statement line %d = %v, want %s", no, got, want)
				}
			}
			if is.Value(20, 0) != -closing(tb, "32202") {
				t.Errorf("年末未分配收益 %v differs from the credit balance of 32202 %v", is.Value(20, 0), -closing(tb, "32202"))
			}
			sheetsBalance(t, "after closing")
			// The next year starts where this one ended.
			dec, err := db.BalanceSheet(bg, cid, P("2025-12"))
			ok(t, err)
			jan, err := db.BalanceSheet(bg, cid, P("2026-01"))
			ok(t, err)
			if jan.Headings[1] != report.HeadingYearStart || jan.Blank[1] || !jan.OK() {
				t.Fatalf("2026-01 sheet: %v %v %v", jan.Headings, jan.Blank, jan.Balanced)
			}
			for no := 1; no <= 39; no++ {
				if jan.Value(no, 1) != dec.Value(no, 0) {
					t.Errorf("line %d: 2026 上年年末余额 %v, 2025 期末余额 %v", no, jan.Value(no, 1), dec.Value(no, 0))
				}
			}
			if dec.Value(36, 0) != A("6900") {
				t.Errorf("未分配收益 = %v, want 6900", dec.Value(36, 0))
			}
			rep, err := db.Verify(bg, cid)
			ok(t, err)
			if !rep.OK() {
				t.Fatalf("verify: %+v", rep.Problems)
			}
			_, err = db.CreateVoucher(bg, f.Accountant, V(cid, "2025-12-31", rent("1")...))
			wantErr(t, err, ledger.ErrPeriodClosed, "date")
		})
		t.Run("ErrAlreadyClosed", func(t *testing.T) {
			_, err := db.CloseYear(bg, f.Accountant, cid, 2025)
			wantErr(t, err, ledger.ErrYearClosed, "year")
		})
		t.Run("OKAgainAfterReopen", func(t *testing.T) {
			ok(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-12"), "补记十二月服务费"))
			f.Post(t, cid, "2025-12-31", L("收服务费", "101", "50"), L("收服务费", "50102", "-50"))
			vs, err := db.CloseYear(bg, f.Accountant, cid, 2025)
			ok(t, err)
			if len(vs) != 2 {
				t.Fatalf("closing vouchers = %d, want 2 (the late income only)", len(vs))
			}
			tb := trialBalance(t, db, cid, "2025-12", "2025-12")
			if closing(tb, "32202") != A("-6950") || closing(tb, "321") != 0 || closing(tb, "50102") != 0 {
				t.Fatalf("32202 %v 321 %v 50102 %v", closing(tb, "32202"), closing(tb, "321"), closing(tb, "50102"))
			}
			is, err := db.IncomeStatement(bg, cid, P("2025-12"))
			ok(t, err)
			if is.Value(13, 0) != A("9450") || is.Value(15, 0) != 0 || is.Value(20, 0) != A("6950") {
				t.Fatalf("本年收益 %v 其他转入 %v 年末未分配收益 %v", is.Value(13, 0), is.Value(15, 0), is.Value(20, 0))
			}
			sheetsBalance(t, "after closing again")
		})
	})
}

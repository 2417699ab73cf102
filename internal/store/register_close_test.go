package store_test

import (
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// depRows counts the months of depreciation the register holds for an
// asset, and for one month when p is given.
func depRows(t testing.TB, db *store.DB, id int64, p string) int64 {
	t.Helper()
	if p == "" {
		return storetest.Count(t, db, `SELECT COUNT(*) FROM asset_depreciation WHERE asset_id = %d`, id)
	}
	return storetest.Count(t, db, `SELECT COUNT(*) FROM asset_depreciation WHERE asset_id = %d AND period = %d`, id, int(P(p)))
}

// registerAgrees checks that the register's assets (not disposed) add up to
// the books: their costs to 151, their accumulated depreciation to 152, as
// of the end of month p.
func registerAgrees(t testing.TB, db *store.DB, cid int64, p string) {
	t.Helper()
	assets, err := db.FindAssets(bg, store.AssetFilter{CollectiveID: cid})
	ok(t, err)
	var cost, dep jiti.Amount
	for i := range assets {
		if assets[i].Status == register.Disposed || assets[i].CostAccount != "151" {
			continue
		}
		acc, err := db.AccumulatedDepreciation(bg, &assets[i])
		ok(t, err)
		cost += assets[i].Cost
		dep += acc
	}
	tb := trialBalance(t, db, cid, p, p)
	if closing(tb, "151") != cost || closing(tb, "152") != -dep {
		t.Fatalf("collective %d at the end of %s: 151 %v against costs %v; 152 %v against accumulated depreciation %v",
			cid, p, closing(tb, "151"), cost, closing(tb, "152"), dep)
	}
}

func verifyClean(t testing.TB, db *store.DB, cid int64) {
	t.Helper()
	rep, err := db.Verify(bg, cid)
	ok(t, err)
	if !rep.OK() {
		t.Fatalf("verify %d: %+v", cid, rep.Problems)
	}
}

func TestDB_Depreciation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.Now = func() time.Time { return time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC) }
		f := storetest.Seed(t, db)
		cid := f.A.ID
		ok(t, db.SetOpeningBalances(bg, f.Accountant, cid, []store.OpeningBalance{
			{Account: "151", Debit: A("2000")}, {Account: "152", Credit: A("1980")}, {Account: "301", Credit: A("20")}}))
		m := addAsset(t, f, asset(cid, "ZC-M", "2025-01-15", "12000", 120))
		pa := asset(cid, "ZC-P", "2025-01-20", "6000", 60)
		pa.Category, pa.Use = register.Machinery, register.ForProduction
		pr := addAsset(t, f, pa)
		wa := asset(cid, "ZC-W", "2025-01-20", "2400", 24)
		wa.Category, wa.Nature, wa.Use = register.Structure, register.NonOperating, register.ForWelfare
		wf := addAsset(t, f, wa)
		ia := asset(cid, "ZC-I", "2025-01-25", "1200", 12)
		ia.Category = register.Equipment
		id := addAsset(t, f, ia)
		ls := addAsset(t, f, asset(cid, "ZC-L", "2025-01-10", "3600", 36))
		ex := addAsset(t, f, existing(cid, "ZC-EX", "2000-01-01", "1000", 120, "1000", 120, register.InUse, "2000-01-01"))
		ey := addAsset(t, f, existing(cid, "ZC-EY", "2015-01-01", "1000", 120, "980", 118, register.InUse, "2015-01-01"))
		ta := asset(cid, "ZC-T", "2025-01-05", "100000", 0)
		ta.Category, ta.Use, ta.Method, ta.TotalWork, ta.WorkUnit = register.Vehicle, register.ForProduction, register.UnitsOfWork, 200000, "公里"
		tr := addAsset(t, f, ta)
		b1 := addAsset(t, f, asset(f.B.ID, "ZC-B", "2025-01-10", "1200", 12))
		if pr.ExpenseAccount != "401" || wf.ExpenseAccount != "514" || m.ExpenseAccount != "513" {
			t.Fatalf("expense accounts %s %s %s", pr.ExpenseAccount, wf.ExpenseAccount, m.ExpenseAccount)
		}

		t.Run("OKNotInMonthOfAcquisition", func(t *testing.T) {
			closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-01")
			v := closeVoucher(t, db, cid, "2025-01", "depreciation")
			if v == nil {
				t.Fatal("no depreciation in January")
			}
			// Only the existing asset with months left: every new asset was
			// acquired in January.
			wantLines(t, v, dr("513", "10", "ZC-EY"), cr("152", "10", "ZC-EY"))
			if v.Kind != ledger.Register || v.Date != D("2025-01-31") || v.Status != ledger.Posted {
				t.Fatalf("voucher = %+v", v)
			}
			// Whoever closed the month answers for its depreciation
			// voucher as maker and reviewer.
			if v.MakerID != f.Accountant || v.ApproverID != f.Accountant || v.ApprovedAt.IsZero() {
				t.Fatalf("depreciation voucher: maker %d, approver %d at %v; want %d", v.MakerID, v.ApproverID, v.ApprovedAt, f.Accountant)
			}
			for _, a := range []*register.Asset{m, pr, wf, id, ls, tr} {
				if n := depRows(t, db, a.ID, ""); n != 0 {
					t.Errorf("%s depreciated in its month of acquisition", a.Code)
				}
			}
		})
		t.Run("OKByUse", func(t *testing.T) {
			addContract(t, f, contract(cid, "HT-L", register.Lease, "2025-02-01", "2026-01-31", "1200", register.Once, subjectAsset(ls.ID)), "2025-02-01")
			ok(t, db.RecordAssetWork(bg, f.Accountant, tr.ID, P("2025-02"), 3000))
			ok(t, db.RecordAssetWork(bg, f.Accountant, tr.ID, P("2025-02"), 3000)) // again: the same work, not twice
			e := lastEvent(t, db, "asset.work")
			if e.EntityID != itoa(tr.ID) || decode(t, e.New)["units"] != float64(3000) {
				t.Fatalf("audit = %+v new %s", e, e.New)
			}
			closeMonths(t, db, f.Accountant, cid, "2025-02", "2025-02")
			v := closeVoucher(t, db, cid, "2025-02", "depreciation")
			// One voucher: the expenses by account, then one credit per asset.
			wantLines(t, v,
				dr("401", "1600", ""), dr("513", "310", ""), dr("514", "100", "ZC-W"),
				cr("152", "10", "ZC-EY"), cr("152", "100", "ZC-I"), cr("152", "100", "ZC-L"), cr("152", "100", "ZC-M"),
				cr("152", "100", "ZC-P"), cr("152", "1500", "ZC-T"), cr("152", "100", "ZC-W"))
			if n := registerVouchers(t, db, cid, "2025-02"); n != 1 {
				t.Fatalf("%d register vouchers in February, want the one depreciation voucher", n)
			}
			tb := trialBalance(t, db, cid, "2025-02", "2025-02")
			for code, want := range map[string]string{"401": "1600", "513": "310", "514": "100", "152": "-2010"} {
				if r := tb.Row(code); r == nil || r.Debit-r.Credit != A(want) {
					t.Errorf("February's %s turnover = %+v, want %s", code, r, want)
				}
			}
			// B's assets are B's voucher's.
			closeMonths(t, db, f.Accountant, f.B.ID, "2025-01", "2025-02")
			wantLines(t, closeVoucher(t, db, f.B.ID, "2025-02", "depreciation"), dr("513", "100", "ZC-B"), cr("152", "100", "ZC-B"))
			if acc := accumulated(t, db, b1.ID); acc != A("100") {
				t.Fatalf("B's asset accumulated %v", acc)
			}
		})
		t.Run("OKIdleLeasedFull", func(t *testing.T) {
			ok(t, db.ChangeAssetStatus(bg, f.Accountant, id.ID, register.Idle, D("2025-03-01"), "季节性闲置"))
			closeMonths(t, db, f.Accountant, cid, "2025-03", "2025-03")
			// The idle and the leased-out asset go on; the existing one is
			// done, and the truck did no work.
			wantLines(t, closeVoucher(t, db, cid, "2025-03", "depreciation"),
				dr("401", "100", "ZC-P"), dr("513", "300", ""), dr("514", "100", "ZC-W"),
				cr("152", "100", "ZC-I"), cr("152", "100", "ZC-L"), cr("152", "100", "ZC-M"), cr("152", "100", "ZC-P"), cr("152", "100", "ZC-W"))
			for a, want := range map[*register.Asset]string{ex: "1000", ey: "1000", id: "200", ls: "200", tr: "1500"} {
				if acc := accumulated(t, db, a.ID); acc != A(want) {
					t.Errorf("%s accumulated %v, want %s", a.Code, acc, want)
				}
			}
		})
		t.Run("OKCloseAgain", func(t *testing.T) {
			vouchers, rows := allVouchers(t, db, cid), storetest.Count(t, db, `SELECT COUNT(*) FROM asset_depreciation`)
			before := map[int64]jiti.Amount{}
			for _, a := range []*register.Asset{m, pr, wf, id, ls, ey, tr} {
				before[a.ID] = accumulated(t, db, a.ID)
			}
			ok(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-03"), "补记凭证"))
			ok(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-02"), "补记凭证"))
			closeMonths(t, db, f.Accountant, cid, "2025-02", "2025-03")
			if n := allVouchers(t, db, cid); n != vouchers {
				t.Fatalf("closing again posted %d vouchers", n-vouchers)
			}
			if n := storetest.Count(t, db, `SELECT COUNT(*) FROM asset_depreciation`); n != rows {
				t.Fatalf("closing again added %d depreciation rows", n-rows)
			}
			for _, a := range []*register.Asset{m, pr, wf, id, ls, ey, tr} {
				if acc := accumulated(t, db, a.ID); acc != before[a.ID] {
					t.Errorf("%s accumulated %v after closing again, was %v", a.Code, acc, before[a.ID])
				}
			}
			registerAgrees(t, db, cid, "2025-03")
		})
		t.Run("ErrWork", func(t *testing.T) {
			wantErr(t, db.RecordAssetWork(bg, f.Accountant, tr.ID, P("2025-03"), 100), ledger.ErrPeriodClosed, "period")
			wantErr(t, db.RecordAssetWork(bg, f.Accountant, tr.ID, P("2025-04"), -1), ledger.ErrNotPositive, "units")
			wantErr(t, db.RecordAssetWork(bg, f.Approver, tr.ID, P("2025-04"), 1), jiti.ErrRoleCannot, "-")
		})
		t.Run("OKCloseYear", func(t *testing.T) {
			ok(t, db.RecordAssetWork(bg, f.Accountant, tr.ID, P("2025-04"), 1000))
			closeMonths(t, db, f.Accountant, cid, "2025-04", "2025-11")
			if acc := accumulated(t, db, tr.ID); acc != A("2000") {
				t.Fatalf("truck accumulated %v, want 2000 (3,000 and 1,000 km at 0.50)", acc)
			}
			closingVs, err := db.CloseYear(bg, f.Accountant, cid, 2025)
			ok(t, err)
			dec := closeVoucher(t, db, cid, "2025-12", "depreciation")
			if dec == nil || dec.Date != D("2025-12-31") || len(closingVs) == 0 || dec.Number >= closingVs[0].Number {
				t.Fatalf("December's depreciation %+v, closing vouchers %+v", dec, closingVs)
			}
			// December is in the year's result: 513 took 10 (January), 310
			// (February) and 300 a month from March; 514 100 a month from
			// February. 401 is a cost, not closed into the result.
			tb := trialBalance(t, db, cid, "2025-12", "2025-12")
			for code, want := range map[string]string{"513": "3320", "514": "1100", "401": "3100"} {
				if r := tb.Row(code); r == nil || r.YearDr != A(want) {
					t.Errorf("%s debited %+v in 2025, want %s", code, r, want)
				}
			}
			if closing(tb, "321") != 0 || closing(tb, "32202") != A("4420") || closing(tb, "401") != A("3100") {
				t.Fatalf("after closing: 321 %v, 32202 %v (want a debit of 4420, the year's depreciation expense), 401 %v",
					closing(tb, "321"), closing(tb, "32202"), closing(tb, "401"))
			}
			for a, want := range map[*register.Asset]string{m: "1100", pr: "1100", wf: "1100", id: "1100", ls: "1100", ex: "1000", ey: "1000", tr: "2000"} {
				if acc := accumulated(t, db, a.ID); acc != A(want) {
					t.Errorf("%s accumulated %v at the end of 2025, want %s", a.Code, acc, want)
				}
			}
			registerAgrees(t, db, cid, "2025-12")
			verifyClean(t, db, cid)
		})
	})
}

func TestDB_DisposeAsset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		s1 := addAsset(t, f, asset(cid, "ZC-S1", "2025-01-10", "12000", 120))
		ea := asset(cid, "ZC-S2", "2025-01-05", "5000", 50)
		ea.Category = register.Equipment
		s2 := addAsset(t, f, ea)
		s3 := addAsset(t, f, asset(cid, "ZC-S3", "2025-01-06", "6000", 60))
		closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-03")
		sale := store.Disposal{Date: D("2025-04-15"), Proceeds: A("12000"), ProceedsAccount: "10201", Reason: "出售给村办企业"}

		t.Run("ErrReason", func(t *testing.T) {
			for _, reason := range []string{"", "  ", "卖"} {
				d := sale
				d.Reason = reason
				_, err := db.DisposeAsset(bg, f.Accountant, s1.ID, d)
				wantErr(t, err, store.ErrDisposalReason, "reason")
			}
		})
		t.Run("ErrInput", func(t *testing.T) {
			before := allVouchers(t, db, cid)
			d := sale
			d.ProceedsAccount = ""
			_, err := db.DisposeAsset(bg, f.Accountant, s1.ID, d)
			wantErr(t, err, jiti.ErrRequired, "proceeds_account")
			d = sale
			d.Date = D("2025-01-09")
			_, err = db.DisposeAsset(bg, f.Accountant, s1.ID, d)
			wantErr(t, err, register.ErrBeforeAcquired, "date")
			d = sale
			d.Date = D("2025-03-31") // March is closed
			_, err = db.DisposeAsset(bg, f.Accountant, s1.ID, d)
			wantErr(t, err, ledger.ErrPeriodClosed, "-")
			_, err = db.DisposeAsset(bg, f.Approver, s1.ID, sale)
			wantErr(t, err, jiti.ErrRoleCannot, "-")
			if a := findAsset(t, db, s1.ID); a.Status != register.InUse || allVouchers(t, db, cid) != before || depRows(t, db, s1.ID, "2025-03") != 1 {
				t.Fatalf("refused disposals left %+v and %d vouchers", a, allVouchers(t, db, cid)-before)
			}
		})
		t.Run("OKSale", func(t *testing.T) {
			v, err := db.DisposeAsset(bg, f.Accountant, s1.ID, sale)
			ok(t, err)
			// April's depreciation is charged first: 300 in all.
			if depRows(t, db, s1.ID, "2025-04") != 1 || accumulated(t, db, s1.ID) != A("300") {
				t.Fatalf("April's depreciation at disposal: %d rows, accumulated %v", depRows(t, db, s1.ID, "2025-04"), accumulated(t, db, s1.ID))
			}
			if v.Kind != ledger.Register || v.Status != ledger.Posted || v.Date != D("2025-04-15") {
				t.Fatalf("disposal voucher = %+v", v)
			}
			wantLines(t, v,
				dr("152", "300", "ZC-S1"), dr("154", "11700", "ZC-S1"), cr("151", "12000", "ZC-S1"),
				dr("10201", "12000", "ZC-S1"), cr("154", "12000", "ZC-S1"),
				dr("154", "300", "ZC-S1"), cr("504", "300", "ZC-S1"))
			a := findAsset(t, db, s1.ID)
			if a.Status != register.Disposed || a.DisposedOn != D("2025-04-15") || a.StatusSince != D("2025-04-15") {
				t.Fatalf("asset after sale: %+v", a)
			}
			h := history(t, db, s1.ID)
			if last := h[len(h)-1]; last.To != register.Disposed || last.Note != "出售给村办企业" {
				t.Fatalf("history: %+v", h)
			}
		})
		t.Run("OKScrap", func(t *testing.T) {
			v, err := db.DisposeAsset(bg, f.Accountant, s2.ID, store.Disposal{Date: D("2025-04-20"), Proceeds: A("100"), ProceedsAccount: "10201",
				Costs: A("50"), CostsAccount: "101", Reason: "电脑损坏报废"})
			ok(t, err)
			// 3 months at 100: net value 4,700; 100 from the scrap, 50 paid
			// to haul it away: a loss of 4,650.
			wantPostings(t, v, "152:300", "151:-5000", "10201:100", "101:-50", "515:4650")
			tb := trialBalance(t, db, cid, "2025-04", "2025-04")
			if closing(tb, "154") != 0 || closing(tb, "504") != A("-300") || closing(tb, "515") != A("4650") || closing(tb, "151") != A("6000") {
				t.Fatalf("154 %v 504 %v 515 %v 151 %v", closing(tb, "154"), closing(tb, "504"), closing(tb, "515"), closing(tb, "151"))
			}
		})
		t.Run("OKMonthClose", func(t *testing.T) {
			closeMonths(t, db, f.Accountant, cid, "2025-04", "2025-04")
			wantLines(t, closeVoucher(t, db, cid, "2025-04", "depreciation"), dr("513", "100", "ZC-S3"), cr("152", "100", "ZC-S3"))
			for _, a := range []*register.Asset{s1, s2} {
				if n := depRows(t, db, a.ID, "2025-04"); n != 1 || accumulated(t, db, a.ID) != A("300") {
					t.Errorf("%s: %d rows for April, accumulated %v", a.Code, n, accumulated(t, db, a.ID))
				}
			}
			closeMonths(t, db, f.Accountant, cid, "2025-05", "2025-05")
			if n := depRows(t, db, s1.ID, "2025-05"); n != 0 {
				t.Fatal("depreciated after its disposal")
			}
			registerAgrees(t, db, cid, "2025-05")
			verifyClean(t, db, cid)
		})
		t.Run("OKAfterReopen", func(t *testing.T) {
			// May was closed with its depreciation: disposing in it again
			// charges nothing more.
			ok(t, db.ReopenPeriod(bg, f.Accountant, cid, P("2025-05"), "补记处置"))
			_, err := db.DisposeAsset(bg, f.Accountant, s3.ID, store.Disposal{Date: D("2025-05-28"), Reason: "无偿划转"})
			ok(t, err)
			if acc := accumulated(t, db, s3.ID); acc != A("400") || depRows(t, db, s3.ID, "2025-05") != 1 {
				t.Fatalf("accumulated %v", acc)
			}
			closeMonths(t, db, f.Accountant, cid, "2025-05", "2025-05")
			tb := trialBalance(t, db, cid, "2025-05", "2025-05")
			if closing(tb, "151") != 0 || closing(tb, "152") != 0 || closing(tb, "154") != 0 {
				t.Fatalf("151 %v 152 %v 154 %v after every asset went", closing(tb, "151"), closing(tb, "152"), closing(tb, "154"))
			}
			verifyClean(t, db, cid)
		})
		t.Run("OKEarlierMonthsOpen", func(t *testing.T) {
			// B has closed no month: disposing in April charges the
			// depreciation of February and March, still open, with April's,
			// so the disposal takes out all of it and closing those months
			// later charges nothing more.
			b := f.B.ID
			gone := addAsset(t, f, asset(b, "ZC-B1", "2025-01-10", "12000", 120))
			addAsset(t, f, asset(b, "ZC-B2", "2025-01-10", "6000", 60))
			_, err := db.DisposeAsset(bg, f.Accountant, gone.ID, store.Disposal{Date: D("2025-04-15"), Reason: "报废处理"})
			closeMonths(t, db, f.Accountant, b, "2025-01", "2025-04")
			if err != nil {
				if jiti.KindOf(err) == jiti.Internal || jiti.FieldOf(err) != "date" {
					t.Fatalf("refused with %v, want an error at the date", err)
				}
				return
			}
			if n := depRows(t, db, gone.ID, ""); n != 3 || accumulated(t, db, gone.ID) != A("300") {
				t.Errorf("the disposed asset was depreciated in %d months, %v in all; want February to April, 300.00",
					n, accumulated(t, db, gone.ID))
			}
			registerAgrees(t, db, b, "2025-04")
			verifyClean(t, db, b)
		})
		t.Run("ErrDisposed", func(t *testing.T) {
			d := sale
			d.Date = D("2025-06-01")
			_, err := db.DisposeAsset(bg, f.Accountant, s1.ID, d)
			wantErr(t, err, register.ErrAssetDisposed, "status")
			k, err := db.CreateContract(bg, f.Accountant, store.ContractInput{Contract: contract(cid, "HT-D", register.Lease,
				"2025-06-01", "2025-12-31", "1000", register.Once, subjectAsset(s1.ID))})
			ok(t, err)
			wantErr(t, db.SignContract(bg, f.Accountant, k.ID, D("2025-06-01")), register.ErrLeaseDisposed, "status")
			if c := findContract(t, db, k.ID); c.Status != register.ContractDraft {
				t.Fatalf("a lease of a disposed asset was signed: %+v", c)
			}
			if a := findAsset(t, db, s1.ID); a.Status != register.Disposed {
				t.Fatalf("disposed asset now %s", a.Status)
			}
		})
	})
}

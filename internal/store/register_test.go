package store_test

import (
	"errors"
	"reflect"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// asset returns a purchased building of collective cid used for
// management, straight-line over life months without residual value: with
// the default accounts it books to 151, 152 and 513.
func asset(cid int64, code, acquired, cost string, life int) register.Asset {
	return register.Asset{CollectiveID: cid, Code: code, Name: "资产" + code, Category: register.Building,
		Nature: register.Operating, Use: register.ForManagement, AcquiredOn: D(acquired), Source: register.Purchase,
		Cost: A(cost), LifeMonths: life, Quantity: "1", Unit: "座"}
}

// existing returns an asset on the books before they moved into jiti, with
// its opening depreciation and months, in status since a date.
func existing(cid int64, code, acquired, cost string, life int, openingDep string, openingMonths int,
	status register.Status, since string) register.Asset {
	a := asset(cid, code, acquired, cost, life)
	a.Source = register.Existing
	a.OpeningDepreciation, a.OpeningMonths = A(openingDep), openingMonths
	a.Status, a.StatusSince = status, D(since)
	return a
}

// addAsset registers an asset by the accountant; a purchase is paid from
// the bank account 10201.
func addAsset(t testing.TB, f *storetest.Fixture, a register.Asset) *register.Asset {
	t.Helper()
	in := store.AssetInput{Asset: a}
	if a.Source == register.Purchase || a.Source == register.FiscalProject {
		in.Credit = "10201"
	}
	out, err := f.DB.CreateAsset(bg, f.Accountant, in)
	ok(t, err)
	return out
}

// findAsset reads an asset back.
func findAsset(t testing.TB, db *store.DB, id int64) *register.Asset {
	t.Helper()
	a, err := db.FindAsset(bg, id)
	ok(t, err)
	return a
}

// accumulated returns an asset's accumulated depreciation as the register
// holds it, the opening depreciation included.
func accumulated(t testing.TB, db *store.DB, id int64) jiti.Amount {
	t.Helper()
	acc, err := db.AccumulatedDepreciation(bg, findAsset(t, db, id))
	ok(t, err)
	return acc
}

// history returns an asset's status history.
func history(t testing.TB, db *store.DB, id int64) []register.StatusChange {
	t.Helper()
	h, err := db.AssetHistory(bg, id)
	ok(t, err)
	return h
}

// allVouchers counts the vouchers of a collective, of every kind and state.
func allVouchers(t testing.TB, db *store.DB, cid int64) int64 {
	t.Helper()
	return storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE collective_id = %d`, cid)
}

// registerVouchers counts the posted register vouchers of a collective in a
// month.
func registerVouchers(t testing.TB, db *store.DB, cid int64, p string) int64 {
	t.Helper()
	return storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE collective_id = %d AND period = %d AND kind = 'register' AND status = 'posted'`,
		cid, int(P(p)))
}

// wantLines checks a voucher's lines (account, debit, credit, asset) in
// order.
func wantLines(t testing.TB, v *ledger.Voucher, want ...ledger.Line) {
	t.Helper()
	var got []ledger.Line
	for _, l := range v.Lines {
		got = append(got, ledger.Line{Account: l.Account, Debit: l.Debit, Credit: l.Credit, Asset: l.Asset, Contract: l.Contract})
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("voucher %d lines:\n got %+v\nwant %+v", v.ID, got, want)
	}
}

// dr and cr are expected lines for wantLines.
func dr(account, amount, asset string) ledger.Line {
	return ledger.Line{Account: account, Debit: A(amount), Asset: asset}
}

func cr(account, amount, asset string) ledger.Line {
	return ledger.Line{Account: account, Credit: A(amount), Asset: asset}
}

func findVoucher(t testing.TB, db *store.DB, id int64) *ledger.Voucher {
	t.Helper()
	v, err := db.FindVoucher(bg, id)
	ok(t, err)
	return v
}

func TestDB_CreateAsset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		t.Run("OKPurchase", func(t *testing.T) {
			a, err := db.CreateAsset(bg, f.Accountant, store.AssetInput{Asset: asset(cid, "ZC-001", "2025-03-10", "120000", 240), Credit: "10201"})
			ok(t, err)
			if a.ID == 0 || a.VoucherID == 0 || a.Status != register.InUse || a.StatusSince != D("2025-03-10") ||
				a.CostAccount != "151" || a.DepAccount != "152" || a.ExpenseAccount != "513" || a.Method != register.StraightLine {
				t.Fatalf("asset = %+v", a)
			}
			if got := findAsset(t, db, a.ID); !reflect.DeepEqual(got, a) {
				t.Fatalf("read back %+v\n want %+v", got, a)
			}
			v := findVoucher(t, db, a.VoucherID)
			if v.Kind != ledger.Register || v.Status != ledger.Posted || v.Date != D("2025-03-10") || v.Number != 1 || v.MakerID != f.Accountant {
				t.Fatalf("voucher = %+v", v)
			}
			wantLines(t, v, dr("151", "120000", "ZC-001"), cr("10201", "120000", "ZC-001"))
			tb := trialBalance(t, db, cid, "2025-03", "2025-03")
			if closing(tb, "151") != A("120000") || closing(tb, "10201") != A("-120000") {
				t.Fatalf("151 %v 10201 %v", closing(tb, "151"), closing(tb, "10201"))
			}
			h := history(t, db, a.ID)
			if len(h) != 1 || h[0].To != register.InUse || h[0].From != "" || h[0].Date != D("2025-03-10") {
				t.Fatalf("history = %+v", h)
			}
			e := lastEvent(t, db, "asset.create")
			if e.UserID != f.Accountant || e.Entity != "asset" || e.EntityID != itoa(a.ID) || e.CollectiveID != cid ||
				(len(e.Old) != 0 && string(e.Old) != "null") || decode(t, e.New)["code"] != "ZC-001" || decode(t, e.New)["cost"] != float64(12000000) {
				t.Fatalf("audit = %+v old %s new %s", e, e.Old, e.New)
			}
		})
		t.Run("OKCostAccount", func(t *testing.T) {
			// An intangible asset books its cost to 161, and amortizes to 162.
			a := asset(cid, "ZC-002", "2025-03-11", "30000", 120)
			a.Category, a.Name = register.Intangible, "土地经营权"
			out := addAsset(t, f, a)
			if out.CostAccount != "161" || out.DepAccount != "162" {
				t.Fatalf("accounts %s %s", out.CostAccount, out.DepAccount)
			}
			wantLines(t, findVoucher(t, db, out.VoucherID), dr("161", "30000", "ZC-002"), cr("10201", "30000", "ZC-002"))
		})
		t.Run("OKConstruction", func(t *testing.T) {
			f.Post(t, cid, "2025-02-10", L("支付仓库工程款", "153", "50000"), L("支付仓库工程款", "10201", "-50000"))
			a := asset(cid, "ZC-003", "2025-04-01", "50000", 240)
			a.Category, a.Source, a.Name = register.Structure, register.Construction, "冷库"
			out, err := db.CreateAsset(bg, f.Accountant, store.AssetInput{Asset: a})
			ok(t, err)
			wantLines(t, findVoucher(t, db, out.VoucherID), dr("151", "50000", "ZC-003"), cr("153", "50000", "ZC-003"))
			if c := closing(trialBalance(t, db, cid, "2025-04", "2025-04"), "153"); c != 0 {
				t.Fatalf("153 after completion = %v, want 0", c)
			}
		})
		t.Run("OKExisting", func(t *testing.T) {
			before := allVouchers(t, db, cid)
			out := addAsset(t, f, existing(cid, "ZC-004", "2015-06-01", "80000", 360, "26000", 114, register.Idle, "2024-06-01"))
			if out.VoucherID != 0 || out.Status != register.Idle || out.StatusSince != D("2024-06-01") {
				t.Fatalf("existing asset = %+v", out)
			}
			if n := allVouchers(t, db, cid); n != before {
				t.Fatalf("vouchers %d → %d: an existing asset is in the opening balances already", before, n)
			}
			if acc := accumulated(t, db, out.ID); acc != A("26000") {
				t.Fatalf("accumulated = %v, want the opening 26000", acc)
			}
		})
		t.Run("OKLinkVoucher", func(t *testing.T) {
			v := f.Post(t, cid, "2025-05-06", L("购入电脑", "151", "6000"), L("购入电脑", "10201", "-6000"))
			before := allVouchers(t, db, cid)
			a := asset(cid, "ZC-005", "2025-05-06", "6000", 36)
			a.Category = register.Equipment
			out, err := db.CreateAsset(bg, f.Accountant, store.AssetInput{Asset: a, VoucherID: v.ID})
			ok(t, err)
			if out.VoucherID != v.ID || allVouchers(t, db, cid) != before {
				t.Fatalf("linked asset = %+v; vouchers %d → %d", out, before, allVouchers(t, db, cid))
			}
		})
		t.Run("ErrLinkVoucher", func(t *testing.T) {
			a := asset(cid, "ZC-006", "2025-05-07", "6000", 36)
			draft := create(t, f, cid, "2025-05-07", L("购入打印机", "151", "6000"), L("购入打印机", "10201", "-6000"))
			other := f.Post(t, f.B.ID, "2025-05-07", L("购入打印机", "151", "6000"), L("购入打印机", "10201", "-6000"))
			less := f.Post(t, cid, "2025-05-08", L("购入打印机", "151", "5000"), L("购入打印机", "10201", "-5000"))
			credit := f.Post(t, cid, "2025-05-08", L("退回打印机", "10201", "6000"), L("退回打印机", "151", "-6000"))
			before := allVouchers(t, db, cid)
			for _, c := range []struct {
				name   string
				id     int64
				target error
			}{
				{"draft", draft.ID, store.ErrVoucherNotPosted},
				{"other collective's", other.ID, jiti.ErrNotFound},
				{"missing", 999999, jiti.ErrNotFound},
				{"debiting less than the cost", less.ID, store.ErrVoucherNotAcquisition},
				{"crediting the cost account", credit.ID, store.ErrVoucherNotAcquisition},
			} {
				_, err := db.CreateAsset(bg, f.Accountant, store.AssetInput{Asset: a, VoucherID: c.id})
				if err == nil {
					t.Fatalf("%s voucher linked", c.name)
				}
				wantErr(t, err, c.target, "voucher_id")
			}
			if _, err := db.FindAssetByCode(bg, cid, "ZC-006"); err == nil || allVouchers(t, db, cid) != before {
				t.Fatal("a refused asset was registered or booked")
			}
		})
		t.Run("ErrFields", func(t *testing.T) {
			// A detail account under 513 in B makes 513 a parent there.
			_, err := db.CreateAccount(bg, f.Accountant, f.B.ID, "51301", "办公用房折旧")
			ok(t, err)
			before := allVouchers(t, db, cid)
			assets, err := db.FindAssets(bg, store.AssetFilter{})
			ok(t, err)
			for _, c := range []struct {
				name   string
				change func(a *register.Asset, in *store.AssetInput)
				target error
				field  string
			}{
				{"cost 0", func(a *register.Asset, _ *store.AssetInput) { a.Cost = 0 }, register.ErrNotPositive, "cost"},
				{"cost < 0", func(a *register.Asset, _ *store.AssetInput) { a.Cost = -100 }, register.ErrNotPositive, "cost"},
				{"life 0", func(a *register.Asset, _ *store.AssetInput) { a.LifeMonths = 0 }, register.ErrNotPositive, "life_months"},
				{"life too long", func(a *register.Asset, _ *store.AssetInput) { a.LifeMonths = 1201 }, register.ErrRange, "life_months"},
				{"category", func(a *register.Asset, _ *store.AssetInput) { a.Category = "castle" }, register.ErrUnknown, "category"},
				{"no category", func(a *register.Asset, _ *store.AssetInput) { a.Category = "" }, jiti.ErrRequired, "category"},
				{"use", func(a *register.Asset, _ *store.AssetInput) { a.Use = "party" }, register.ErrUnknown, "use"},
				{"no acquisition date", func(a *register.Asset, _ *store.AssetInput) { a.AcquiredOn = jiti.Date{} }, jiti.ErrRequired, "acquired_on"},
				{"cost account outside 151", func(a *register.Asset, _ *store.AssetInput) { a.CostAccount = "153" }, register.ErrAccount, "cost_account"},
				{"unknown cost account", func(a *register.Asset, _ *store.AssetInput) { a.CostAccount = "15109" }, ledger.ErrAccountUnknown, "cost_account"},
				{"unknown dep account", func(a *register.Asset, _ *store.AssetInput) { a.DepAccount = "15201" }, ledger.ErrAccountUnknown, "dep_account"},
				{"unknown expense account", func(a *register.Asset, _ *store.AssetInput) { a.ExpenseAccount = "51399" }, ledger.ErrAccountUnknown, "expense_account"},
				{"expense not of its use", func(a *register.Asset, _ *store.AssetInput) { a.ExpenseAccount = "514" }, register.ErrExpenseUse, "expense_account"},
				{"non-leaf expense account", func(a *register.Asset, _ *store.AssetInput) { a.CollectiveID = f.B.ID }, ledger.ErrAccountNotLeaf, "expense_account"},
				{"no credit", func(_ *register.Asset, in *store.AssetInput) { in.Credit = "" }, jiti.ErrRequired, "credit"},
				{"opening depreciation of a purchase", func(a *register.Asset, _ *store.AssetInput) { a.OpeningDepreciation = A("10") }, register.ErrOpeningSource, "opening_depreciation"},
				{"duplicate code", func(a *register.Asset, _ *store.AssetInput) { a.Code = "ZC-001" }, store.ErrAssetCodeTaken, "code"},
				{"code with a space", func(a *register.Asset, _ *store.AssetInput) { a.Code = "ZC 1" }, register.ErrCode, "code"},
			} {
				in := store.AssetInput{Asset: asset(cid, "ZC-009", "2025-06-01", "1000", 60), Credit: "10201"}
				c.change(&in.Asset, &in)
				_, err := db.CreateAsset(bg, f.Accountant, in)
				if err == nil {
					t.Fatalf("%s: registered", c.name)
				}
				if !errors.Is(err, c.target) || jiti.FieldOf(err) != c.field {
					t.Errorf("%s: err = %v, want %v at %q", c.name, err, c.target, c.field)
				}
			}
			after, err := db.FindAssets(bg, store.AssetFilter{})
			ok(t, err)
			if len(after) != len(assets) || allVouchers(t, db, cid) != before {
				t.Fatalf("refused assets left %d assets (was %d) and %d vouchers (was %d)", len(after), len(assets), allVouchers(t, db, cid), before)
			}
		})
		t.Run("ErrCreditAccount", func(t *testing.T) {
			// The account credited is named as the input at fault, like the
			// asset's own accounts, not as a line of the voucher made of it.
			for _, c := range []struct {
				credit string
				target error
			}{{"102", ledger.ErrAccountNotLeaf}, {"10299", ledger.ErrAccountUnknown}} {
				_, err := db.CreateAsset(bg, f.Accountant, store.AssetInput{Asset: asset(cid, "ZC-010", "2025-06-01", "1000", 60), Credit: c.credit})
				if err == nil {
					t.Fatalf("credit %s accepted", c.credit)
				}
				if !errors.Is(err, c.target) || jiti.FieldOf(err) != "credit" {
					t.Errorf("credit %s: err = %v, want %v at \"credit\"", c.credit, err, c.target)
				}
			}
		})
		t.Run("ErrRole", func(t *testing.T) {
			_, err := db.CreateAsset(bg, f.Approver, store.AssetInput{Asset: asset(cid, "ZC-011", "2025-06-01", "1000", 60), Credit: "10201"})
			wantErr(t, err, jiti.ErrRoleCannot, "-")
		})
	})
}

func TestDB_AssetStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		s := addAsset(t, f, asset(cid, "ZC-S", "2025-01-10", "24000", 120))
		t.Run("OK", func(t *testing.T) {
			for _, c := range []struct {
				to   register.Status
				on   string
				note string
			}{{register.Idle, "2025-02-01", "停用"}, {register.SelfOperated, "2025-05-01", "村集体自营"}, {register.InUse, "2025-07-01", ""}} {
				ok(t, db.ChangeAssetStatus(bg, f.Accountant, s.ID, c.to, D(c.on), c.note))
				if a := findAsset(t, db, s.ID); a.Status != c.to || a.StatusSince != D(c.on) {
					t.Fatalf("after %s: %+v", c.to, a)
				}
			}
			want := []register.StatusChange{
				{AssetID: s.ID, Date: D("2025-01-10"), To: register.InUse, Note: "登记"},
				{AssetID: s.ID, Date: D("2025-02-01"), From: register.InUse, To: register.Idle, Note: "停用"},
				{AssetID: s.ID, Date: D("2025-05-01"), From: register.Idle, To: register.SelfOperated, Note: "村集体自营"},
				{AssetID: s.ID, Date: D("2025-07-01"), From: register.SelfOperated, To: register.InUse},
			}
			if h := history(t, db, s.ID); !reflect.DeepEqual(h, want) {
				t.Fatalf("history:\n got %+v\nwant %+v", h, want)
			}
			e := lastEvent(t, db, "asset.status")
			if e.EntityID != itoa(s.ID) || decode(t, e.Old)["status"] != "self_operated" || decode(t, e.New)["status"] != "in_use" ||
				decode(t, e.New)["status_since"] != "2025-07-01" {
				t.Fatalf("audit = %+v old %s new %s", e, e.Old, e.New)
			}
		})
		t.Run("Err", func(t *testing.T) {
			for _, c := range []struct {
				name   string
				to     register.Status
				on     string
				target error
				field  string
			}{
				{"before the status began", register.Idle, "2025-06-30", register.ErrStatusBefore, "date"},
				{"same status", register.InUse, "2025-08-01", register.ErrSameStatus, "status"},
				{"unknown status", "broken", "2025-08-01", register.ErrUnknown, "status"},
				{"no date", register.Idle, "", jiti.ErrRequired, "date"},
			} {
				var on jiti.Date
				if c.on != "" {
					on = D(c.on)
				}
				err := db.ChangeAssetStatus(bg, f.Accountant, s.ID, c.to, on, "")
				if err == nil {
					t.Fatalf("%s: accepted", c.name)
				}
				if !errors.Is(err, c.target) || jiti.FieldOf(err) != c.field {
					t.Errorf("%s: err = %v, want %v at %q", c.name, err, c.target, c.field)
				}
			}
			wantErr(t, db.ChangeAssetStatus(bg, f.Accountant, 999999, register.Idle, D("2025-08-01"), ""), jiti.ErrNotFound, "-")
			wantErr(t, db.ChangeAssetStatus(bg, f.Approver, s.ID, register.Idle, D("2025-08-01"), ""), jiti.ErrRoleCannot, "-")
			if h := history(t, db, s.ID); len(h) != 4 {
				t.Fatalf("refused changes left history %+v", h)
			}
		})
		t.Run("ErrDisposedIsFinal", func(t *testing.T) {
			_, err := db.DisposeAsset(bg, f.Accountant, s.ID, store.Disposal{Date: D("2025-08-10"), Reason: "房屋危旧拆除"})
			ok(t, err)
			for _, to := range []register.Status{register.InUse, register.Idle, register.LeasedOut} {
				err := db.ChangeAssetStatus(bg, f.Accountant, s.ID, to, D("2025-09-01"), "")
				if err == nil {
					t.Fatalf("disposed asset put %s", to)
				}
				if !errors.Is(err, register.ErrAssetDisposed) && !errors.Is(err, register.ErrLeaseDisposed) {
					t.Fatalf("%s: err = %v", to, err)
				}
			}
			h := history(t, db, s.ID)
			if last := h[len(h)-1]; len(h) != 5 || last.To != register.Disposed || last.From != register.InUse ||
				last.Date != D("2025-08-10") || last.Note != "房屋危旧拆除" {
				t.Fatalf("history = %+v", h)
			}
		})
		t.Run("ErrDisposedByStatus", func(t *testing.T) {
			// Disposing is DisposeAsset's: it books the disposal. Marking an
			// asset disposed by a bare status change would leave its cost in
			// 151 while the register no longer counts it.
			u := addAsset(t, f, asset(cid, "ZC-U", "2025-03-01", "5000", 60))
			addAsset(t, f, asset(cid, "ZC-V", "2025-03-01", "7000", 60)) // so that verify holds the register to 151
			err := db.ChangeAssetStatus(bg, f.Accountant, u.ID, register.Disposed, D("2025-09-01"), "报废")
			if err == nil {
				rep, verr := db.Verify(bg, cid)
				ok(t, verr)
				t.Errorf("ChangeAssetStatus marked asset %s disposed without its disposal voucher; verify then finds %+v", u.Code, rep.Problems)
			}
		})
	})
}

func TestDB_RevitalizedAssets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		// X: idle since 2024, leased out in March 2025: revitalized.
		x := addAsset(t, f, existing(cid, "ZC-X", "2012-09-01", "80000", 360, "34000", 152, register.Idle, "2024-06-01"))
		kx := addContract(t, f, contract(cid, "HT-X", register.Lease, "2025-03-01", "2027-02-28", "36000", register.Yearly, subjectAsset(x.ID)), "2025-03-01")
		rx, err := db.RecordReceipt(bg, f.Accountant, kx.ID, store.ReceiptInput{Date: D("2025-03-05"), Amount: A("18000"), Account: "10201"})
		ok(t, err)
		// Y: in use, leased out straight away: not revitalized.
		y := addAsset(t, f, asset(cid, "ZC-Y", "2025-01-05", "20000", 240))
		ky := addContract(t, f, contract(cid, "HT-Y", register.Lease, "2025-04-01", "2025-12-31", "9000", register.Once, subjectAsset(y.ID)), "2025-04-01")
		_, err = db.RecordReceipt(bg, f.Accountant, ky.ID, store.ReceiptInput{Date: D("2025-04-02"), Amount: A("9000"), Account: "10201"})
		ok(t, err)
		// Z: idle from February, self-operated from June: revitalized, no income booked.
		z := addAsset(t, f, asset(cid, "ZC-Z", "2025-01-06", "3000", 60))
		ok(t, db.ChangeAssetStatus(bg, f.Accountant, z.ID, register.Idle, D("2025-02-01"), ""))
		ok(t, db.ChangeAssetStatus(bg, f.Accountant, z.ID, register.SelfOperated, D("2025-06-01"), ""))
		// W: idle, still idle.
		addAsset(t, f, existing(cid, "ZC-W", "2010-01-01", "10000", 240, "9000", 180, register.Idle, "2023-01-01"))
		// B's asset, revitalized too, for the region's sum.
		xb := addAsset(t, f, existing(f.B.ID, "ZC-XB", "2016-01-01", "40000", 240, "10000", 108, register.Idle, "2024-01-01"))
		ok(t, db.ChangeAssetStatus(bg, f.Accountant, xb.ID, register.Cooperating, D("2025-07-01"), "与合作社合作经营"))

		t.Run("OK", func(t *testing.T) {
			v := findVoucher(t, db, rx.VoucherID)
			var income, deferred jiti.Amount
			for _, l := range v.Lines {
				switch l.Account {
				case "50101":
					income += l.Credit
					if l.Asset != "ZC-X" || l.Contract != "HT-X" {
						t.Fatalf("income line does not name the asset and contract: %+v", l)
					}
				case "211":
					deferred += l.Credit
				}
			}
			// The first year's rent covers March 2025 to February 2026:
			// 306 of its 365 days are income of 2025.
			if income != A("15090.41") || deferred != A("2909.59") {
				t.Fatalf("receipt books income %v, deferred %v", income, deferred)
			}
			list, err := db.RevitalizedAssets(bg, "", cid, 2025)
			ok(t, err)
			got := map[string]jiti.Amount{}
			for _, ai := range list {
				if !ai.Revitalized {
					t.Errorf("%s listed as not revitalized", ai.Asset.Code)
				}
				got[ai.Asset.Code] = ai.Income
			}
			if want := map[string]jiti.Amount{"ZC-X": income, "ZC-Z": 0}; !reflect.DeepEqual(got, want) {
				t.Fatalf("revitalized in 2025 = %v, want %v", got, want)
			}
			region, err := db.RevitalizedAssets(bg, "620422100", 0, 2025)
			ok(t, err)
			if len(region) != 3 || region[2].Asset.Code != "ZC-XB" || region[2].Asset.Status != register.Cooperating {
				t.Fatalf("township: %+v", region)
			}
			other, err := db.RevitalizedAssets(bg, "620422100202", 0, 2025)
			ok(t, err)
			if len(other) != 1 || other[0].Asset.ID != xb.ID {
				t.Fatalf("village B: %+v", other)
			}
		})
		t.Run("OKOtherYears", func(t *testing.T) {
			for _, year := range []int{2024, 2026} {
				list, err := db.RevitalizedAssets(bg, "", 0, year)
				ok(t, err)
				if len(list) != 0 {
					t.Fatalf("revitalized in %d: %+v", year, list)
				}
			}
		})
	})
}

func TestDB_Resources(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		land := func(code string, area register.Area) register.Resource {
			return register.Resource{CollectiveID: cid, Code: code, Name: "后山坡地", Kind: register.Cultivated, Area: area,
				Location: "南什村三社", Boundaries: "东至沟，西至路，南至张三地，北至山脊", Use: register.CollectiveOperated, UseSince: D("2025-01-01")}
		}
		var r *register.Resource
		t.Run("OK", func(t *testing.T) {
			area, err := register.ParseArea("12.5")
			ok(t, err)
			r, err = db.CreateResource(bg, f.Accountant, land("ZY-001", area))
			ok(t, err)
			if r.ID == 0 || r.Area != 1250 || r.Area.String() != "12.50" {
				t.Fatalf("resource = %+v", r)
			}
			got, err := db.FindResourceByCode(bg, cid, "ZY-001")
			ok(t, err)
			if !reflect.DeepEqual(got, r) {
				t.Fatalf("read back %+v, want %+v", got, r)
			}
			rs, err := db.FindResources(bg, store.ResourceFilter{Region: "620422100", Kind: register.Cultivated})
			ok(t, err)
			if len(rs) != 1 || rs[0].ID != r.ID {
				t.Fatalf("FindResources = %+v", rs)
			}
			e := lastEvent(t, db, "resource.create")
			if e.EntityID != itoa(r.ID) || decode(t, e.New)["area"] != "12.50" {
				t.Fatalf("audit = %+v new %s", e, e.New)
			}
		})
		t.Run("OKUse", func(t *testing.T) {
			ok(t, db.ChangeResourceUse(bg, f.Accountant, r.ID, register.ResourceIdle, D("2025-03-01")))
			got, err := db.FindResourceByCode(bg, cid, "ZY-001")
			ok(t, err)
			if got.Use != register.ResourceIdle || got.UseSince != D("2025-03-01") {
				t.Fatalf("after the change: %+v", got)
			}
			e := lastEvent(t, db, "resource.use")
			if decode(t, e.Old)["use"] != "collective_operated" || decode(t, e.New)["use"] != "idle" {
				t.Fatalf("audit old %s new %s", e.Old, e.New)
			}
			rs, err := db.FindResources(bg, store.ResourceFilter{CollectiveID: cid, Use: register.ResourceIdle})
			ok(t, err)
			if len(rs) != 1 {
				t.Fatalf("idle resources = %+v", rs)
			}
		})
		t.Run("ErrArea", func(t *testing.T) {
			for _, s := range []string{"12.345", "-1", "1e3", "12.", "亩"} {
				if _, err := register.ParseArea(s); !errors.Is(err, register.ErrAreaSyntax) {
					t.Errorf("ParseArea(%q) = %v", s, err)
				}
			}
			_, err := db.CreateResource(bg, f.Accountant, land("ZY-002", 0))
			wantErr(t, err, register.ErrNotPositive, "area")
			_, err = db.CreateResource(bg, f.Accountant, land("ZY-002", -100))
			wantErr(t, err, register.ErrNotPositive, "area")
			_, err = db.CreateResource(bg, f.Accountant, land("ZY-002", register.MaxArea+1))
			wantErr(t, err, register.ErrRange, "area")
		})
		t.Run("ErrFields", func(t *testing.T) {
			bad := land("ZY-002", 100)
			bad.Kind = "desert"
			_, err := db.CreateResource(bg, f.Accountant, bad)
			wantErr(t, err, register.ErrUnknown, "kind")
			bad = land("ZY-002", 100)
			bad.Use = ""
			_, err = db.CreateResource(bg, f.Accountant, bad)
			wantErr(t, err, jiti.ErrRequired, "use")
			_, err = db.CreateResource(bg, f.Accountant, land("ZY-001", 100))
			wantErr(t, err, store.ErrResourceCodeTaken, "code")
			_, err = db.CreateResource(bg, f.Approver, land("ZY-003", 100))
			wantErr(t, err, jiti.ErrRoleCannot, "-")
			wantErr(t, db.ChangeResourceUse(bg, f.Accountant, r.ID, register.ResourceLeased, D("2025-02-01")), register.ErrStatusBefore, "date")
			wantErr(t, db.ChangeResourceUse(bg, f.Accountant, r.ID, register.ResourceIdle, D("2025-04-01")), register.ErrSameStatus, "use")
			wantErr(t, db.ChangeResourceUse(bg, f.Accountant, r.ID, "mine", D("2025-04-01")), register.ErrUnknown, "use")
			rs, err := db.FindResources(bg, store.ResourceFilter{})
			ok(t, err)
			if len(rs) != 1 {
				t.Fatalf("refused resources registered: %+v", rs)
			}
		})
		t.Run("OKNoUseSince", func(t *testing.T) {
			// A resource without the date of its use dates it from the
			// books' opening.
			r := land("ZY-004", 100)
			r.UseSince = jiti.Date{}
			got, err := db.CreateResource(bg, f.Accountant, r)
			ok(t, err)
			if got.UseSince != f.A.BooksOpenedOn {
				t.Errorf("use since %v, want the books' opening %v", got.UseSince, f.A.BooksOpenedOn)
			}
		})
	})
}

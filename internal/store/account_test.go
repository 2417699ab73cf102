package store_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// account returns an account of the collective's chart, or nil.
func account(t testing.TB, db *store.DB, cid int64, code string) *ledger.Account {
	t.Helper()
	as, err := db.Accounts(bg, cid)
	ok(t, err)
	for i := range as {
		if as[i].Code == code {
			return &as[i]
		}
	}
	return nil
}

// TestDB_CreateAccounts adds detail accounts in one transaction, a child
// after its parent; and none of them when one is refused.
func TestDB_CreateAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		err := db.CreateAccounts(bg, f.Accountant, cid, []store.NewAccount{{Code: "11301", Name: "应收甲"}, {Code: "99901", Name: "无上级"}})
		wantErr(t, err, ledger.ErrAccountParent, "code")
		if account(t, db, cid, "11301") != nil || !account(t, db, cid, "113").Leaf {
			t.Fatal("11301 created by a batch that was refused")
		}
		err = db.CreateAccounts(bg, f.Approver, cid, []store.NewAccount{{Code: "11301", Name: "应收甲"}})
		wantErr(t, err, jiti.ErrRoleCannot, "-")
		ok(t, db.CreateAccounts(bg, f.Accountant, cid, []store.NewAccount{{Code: "11301", Name: "应收甲"}, {Code: "1130101", Name: "应收甲一"}, {Code: "11302", Name: "应收乙"}}))
		for code, leaf := range map[string]bool{"113": false, "11301": false, "1130101": true, "11302": true} {
			if a := account(t, db, cid, code); a == nil || a.Leaf != leaf {
				t.Errorf("%s = %+v, want leaf %v", code, a, leaf)
			}
		}
		if account(t, db, f.B.ID, "11301") != nil {
			t.Fatal("account created in the other collective's chart")
		}
	})
}

func TestDB_CreateAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			a, err := db.CreateAccount(bg, f.Accountant, cid, "11201", "应收张庄砖厂")
			ok(t, err)
			if a.Code != "11201" || a.Parent != "112" || a.Class != ledger.Asset || a.Side != ledger.Debit || !a.Leaf || !a.Active || a.Standard {
				t.Fatalf("account = %+v", a)
			}
			if got := account(t, db, cid, "11201"); got == nil || got.Name != "应收张庄砖厂" || !got.Leaf {
				t.Fatalf("stored = %+v", got)
			}
			if p := account(t, db, cid, "112"); p.Leaf {
				t.Fatalf("parent 112 is still a leaf: %+v", p)
			}
			// The other collective's chart is its own.
			if account(t, db, f.B.ID, "11201") != nil || !account(t, db, f.B.ID, "112").Leaf {
				t.Fatal("account created in the other collective's chart")
			}
			// Posting goes to the detail account; the parent refuses lines.
			_, err = db.CreateVoucher(bg, f.Accountant, V(cid, "2025-02-01", L("应收货款", "112", "100"), L("应收货款", "50102", "-100")))
			wantErr(t, err, ledger.ErrAccountNotLeaf, "lines[1].account")
			f.Post(t, cid, "2025-02-01", L("应收货款", "11201", "100"), L("应收货款", "50102", "-100"))
			tb := trialBalance(t, db, cid, "2025-02", "2025-02")
			if closing(tb, "112") != A("100") || closing(tb, "11201") != A("100") {
				t.Fatalf("112 = %v, 11201 = %v", closing(tb, "112"), closing(tb, "11201"))
			}
		})
		t.Run("OKFourLevels", func(t *testing.T) {
			for _, code := range []string{"12101", "1210101", "121010101"} {
				if _, err := db.CreateAccount(bg, f.Accountant, cid, code, "物资"+code); err != nil {
					t.Fatalf("%s: %v", code, err)
				}
			}
			_, err := db.CreateAccount(bg, f.Accountant, cid, "12101010101", "太深")
			wantErr(t, err, ledger.ErrAccountCode, "code")
		})
		t.Run("ErrCode", func(t *testing.T) {
			for _, c := range []struct {
				code  string
				want  error
				field string
			}{
				{"1020a", ledger.ErrAccountCode, "code"},
				{"10200", ledger.ErrAccountCode, "code"},
				{"102011", ledger.ErrAccountParent, "code"}, // parent 1020 does not exist
				{"999", ledger.ErrAccountParent, "code"},
				{"99901", ledger.ErrAccountParent, "code"},
				{"32101", ledger.ErrAccountNoDetail, "parent"},   // closing posts to 321
				{"3220201", ledger.ErrAccountNoDetail, "parent"}, // and to 32202
			} {
				_, err := db.CreateAccount(bg, f.Accountant, cid, c.code, "明细")
				if err == nil {
					t.Errorf("%s: accepted", c.code)
					continue
				}
				wantErr(t, err, c.want, c.field)
			}
			_, err := db.CreateAccount(bg, f.Accountant, cid, "10202", " ")
			wantErr(t, err, jiti.ErrRequired, "name")
		})
		t.Run("ErrDuplicate", func(t *testing.T) {
			_, err := db.CreateAccount(bg, f.Accountant, cid, "10201", "又一个")
			wantErr(t, err, jiti.ErrDuplicate, "code")
		})
		t.Run("ErrParentUsed", func(t *testing.T) {
			f.Post(t, cid, "2025-03-01", L("购入苗木", "131", "50"), L("购入苗木", "101", "-50"))
			_, err := db.CreateAccount(bg, f.Accountant, cid, "13101", "苗木")
			wantErr(t, err, ledger.ErrAccountParentUsed, "parent")
			_, err = db.CreateAccount(bg, f.Accountant, f.B.ID, "13101", "苗木") // unused in B
			ok(t, err)
			create(t, f, cid, "2025-03-02", L("购入", "141", "10"), L("购入", "101", "-10")) // a draft is a use too
			_, err = db.CreateAccount(bg, f.Accountant, cid, "14101", "股权")
			wantErr(t, err, ledger.ErrAccountParentUsed, "parent")
		})
		t.Run("ErrRole", func(t *testing.T) {
			_, err := db.CreateAccount(bg, f.Approver, cid, "10202", "信用社")
			wantErr(t, err, jiti.ErrRoleCannot, "-")
		})
	})
}

func TestDB_DeleteAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			_, err := db.CreateAccount(bg, f.Accountant, cid, "10202", "信用社")
			ok(t, err)
			ok(t, db.DeleteAccount(bg, f.Accountant, cid, "10202"))
			if account(t, db, cid, "10202") != nil {
				t.Fatal("10202 still there")
			}
			if account(t, db, cid, "102").Leaf {
				t.Fatal("102 became a leaf though 10201 remains")
			}
			e := lastEvent(t, db, "account.delete")
			if e.UserID != f.Accountant || e.EntityID != "10202" || e.Old == nil || e.New != nil {
				t.Fatalf("audit = %+v", e)
			}
			// The last detail account goes: the parent is a leaf again and
			// takes postings.
			ok(t, db.DeleteAccount(bg, f.Accountant, cid, "10201"))
			if p := account(t, db, cid, "102"); !p.Leaf {
				t.Fatalf("102 = %+v, want a leaf again", p)
			}
			f.Post(t, cid, "2025-02-01", L("存现", "102", "10"), L("存现", "101", "-10"))
		})
		t.Run("ErrHasPosts", func(t *testing.T) {
			f.Post(t, cid, "2025-02-03", L("收租金", "101", "100"), L("收租金", "50101", "-100"))
			err := db.DeleteAccount(bg, f.Accountant, cid, "50101")
			wantErr(t, err, ledger.ErrAccountHasPosts, "-")
			// A draft is enough.
			create(t, f, cid, "2025-02-04", L("服务费", "101", "5"), L("服务费", "50102", "-5"))
			wantErr(t, db.DeleteAccount(bg, f.Accountant, cid, "50102"), ledger.ErrAccountHasPosts, "-")
			// So are opening balances (in the other collective).
			ok(t, db.SetOpeningBalances(bg, f.Accountant, f.B.ID, []store.OpeningBalance{
				{Account: "10201", Debit: A("1")}, {Account: "301", Credit: A("1")}}))
			wantErr(t, db.DeleteAccount(bg, f.Accountant, f.B.ID, "10201"), ledger.ErrAccountHasPosts, "-")
		})
		t.Run("ErrStandard", func(t *testing.T) {
			for _, code := range []string{"101", "113", "3220101", "32202"} {
				wantErr(t, db.DeleteAccount(bg, f.Accountant, cid, code), ledger.ErrAccountStandard, "-")
			}
		})
		t.Run("ErrHasDetail", func(t *testing.T) {
			_, err := db.CreateAccount(bg, f.Accountant, cid, "1110101", "国债")
			wantErr(t, err, ledger.ErrAccountParent, "code") // 11101 does not exist yet
			_, err = db.CreateAccount(bg, f.Accountant, cid, "11101", "债券")
			ok(t, err)
			_, err = db.CreateAccount(bg, f.Accountant, cid, "1110101", "国债")
			ok(t, err)
			wantErr(t, db.DeleteAccount(bg, f.Accountant, cid, "11101"), ledger.ErrAccountHasDetail, "-")
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantErr(t, db.DeleteAccount(bg, f.Accountant, cid, "10299"), jiti.ErrNotFound, "-")
		})
	})
}

func TestDB_SetAccountActive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		f.Post(t, cid, "2025-02-01", rent("100")...)
		t.Run("ErrHasBalance", func(t *testing.T) {
			err := db.SetAccountActive(bg, f.Accountant, cid, "10201", false)
			wantErr(t, err, store.ErrAccountHasBalance, "code")
			err = db.SetAccountActive(bg, f.Accountant, cid, "102", false) // the parent sums its detail accounts
			wantErr(t, err, store.ErrAccountHasBalance, "code")
			if a := account(t, db, cid, "10201"); !a.Active {
				t.Fatal("deactivated anyway")
			}
		})
		t.Run("OK", func(t *testing.T) {
			f.Post(t, cid, "2025-02-02", L("取现", "101", "100"), L("取现", "10201", "-100"))
			ok(t, db.SetAccountActive(bg, f.Accountant, cid, "10201", false))
			if a := account(t, db, cid, "10201"); a.Active {
				t.Fatal("still active")
			}
			e := lastEvent(t, db, "account.deactivate")
			if e.UserID != f.Accountant || decode(t, e.Old)["active"] != true || decode(t, e.New)["active"] != false {
				t.Fatalf("audit = %+v", e)
			}
			// It has postings: it is deactivated, never deleted.
			wantErr(t, db.DeleteAccount(bg, f.Accountant, cid, "10201"), ledger.ErrAccountHasPosts, "-")
			_, err := db.CreateVoucher(bg, f.Accountant, V(cid, "2025-02-05", L("存款", "101", "10"), L("存款", "10201", "-10")))
			wantErr(t, err, ledger.ErrAccountInactive, "lines[2].account")

			ok(t, db.SetAccountActive(bg, f.Accountant, cid, "10201", true))
			if e := lastEvent(t, db, "account.activate"); decode(t, e.Old)["active"] != false || decode(t, e.New)["active"] != true {
				t.Fatalf("audit = %+v", e)
			}
			create(t, f, cid, "2025-02-05", L("存款", "10201", "10"), L("存款", "101", "-10"))
		})
		t.Run("ErrInactiveBeforePosting", func(t *testing.T) {
			_, err := db.CreateAccount(bg, f.Accountant, cid, "10202", "信用社")
			ok(t, err)
			v := approved(t, f, cid, "2025-02-06", L("转存", "10202", "1"), L("转存", "101", "-1"))
			ok(t, db.SetAccountActive(bg, f.Accountant, cid, "10202", false))
			_, err = db.PostVoucher(bg, f.Accountant, v.ID)
			wantErr(t, err, ledger.ErrAccountInactive, "lines[1].account")
			ok(t, db.SetAccountActive(bg, f.Accountant, cid, "10202", true))
			if _, err := db.PostVoucher(bg, f.Accountant, v.ID); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ErrParentInactive", func(t *testing.T) {
			// Bring 102 back to zero, then deactivate it with its detail accounts.
			f.Post(t, cid, "2025-02-07", L("取现", "101", "1"), L("取现", "10202", "-1"))
			create(t, f, cid, "2025-02-08", L("存款", "10201", "3"), L("存款", "101", "-3")) // drafts do not count
			ok(t, db.SetAccountActive(bg, f.Accountant, cid, "102", false))
			for _, code := range []string{"102", "10201", "10202"} {
				if account(t, db, cid, code).Active {
					t.Fatalf("%s still active", code)
				}
			}
			wantErr(t, db.SetAccountActive(bg, f.Accountant, cid, "10201", true), ledger.ErrAccountInactive, "parent")
			_, err := db.CreateAccount(bg, f.Accountant, cid, "10203", "邮储")
			wantErr(t, err, ledger.ErrAccountInactive, "parent")
			ok(t, db.SetAccountActive(bg, f.Accountant, cid, "102", true))
			for _, code := range []string{"102", "10201", "10202"} {
				if !account(t, db, cid, code).Active {
					t.Fatalf("%s not reactivated with its parent", code)
				}
			}
		})
	})
}

package store_test

import (
	"testing"

	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestDB_ContractEndKeepsNextHolder checks that when a lease expires, a
// subject another contract in force holds is not released.
func TestDB_ContractEndKeepsNextHolder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		// The warehouse was on the books before they moved into jiti.
		ok(t, db.SetOpeningBalances(bg, f.Accountant, cid, []store.OpeningBalance{
			{Account: "151", Debit: A("50000")}, {Account: "301", Credit: A("50000")}}))
		w := addAsset(t, f, existing(cid, "ZC-WH", "2018-05-01", "50000", 360, "0", 0, register.Idle, "2025-01-01"))
		addContract(t, f, contract(cid, "HT-A", register.Lease, "2025-01-01", "2025-06-30", "6000", register.Once, subjectAsset(w.ID)), "2025-01-01")
		addContract(t, f, contract(cid, "HT-B", register.Lease, "2025-07-01", "2026-06-30", "12000", register.Once, subjectAsset(w.ID)), "")
		closeMonths(t, db, f.Accountant, cid, "2025-01", "2025-05")
		next, err := db.FindContractByCode(bg, cid, "HT-B")
		ok(t, err)
		ok(t, db.SignContract(bg, f.Accountant, next.ID, D("2025-06-20")))
		closeMonths(t, db, f.Accountant, cid, "2025-06", "2025-07")
		if got := findAsset(t, db, w.ID); got.Status != register.LeasedOut {
			t.Fatalf("after the first lease expired, the warehouse is %s, want leased out under the second", got.Status)
		}
		verifyClean(t, db, cid)
	})
}

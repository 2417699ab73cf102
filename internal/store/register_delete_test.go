package store_test

import (
	"errors"
	"testing"

	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestDB_DeleteRegisters checks that an asset or contract registered by
// mistake can be deleted, and one with postings cannot.
func TestDB_DeleteRegisters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		spare := existing(cid, "ZC-DEL", "2020-01-10", "1000", 60, "0", 0, register.InUse, "2025-01-01")
		spareAsset := addAsset(t, f, spare)
		bought := addAsset(t, f, asset(cid, "ZC-BUY", "2025-02-10", "2000", 60))
		ok(t, db.DeleteAsset(bg, f.Accountant, spareAsset.ID))
		if _, err := db.FindAsset(bg, spareAsset.ID); err == nil {
			t.Fatal("deleted asset still found")
		}
		if err := db.DeleteAsset(bg, f.Accountant, bought.ID); !errors.Is(err, store.ErrAssetHasPostings) {
			t.Fatalf("deleting a booked asset: %v, want ErrAssetHasPostings", err)
		}
		draft := addContract(t, f, contract(cid, "HT-DEL", register.Lease, "2025-03-01", "2026-02-28", "1200", register.Yearly,
			subjectAsset(bought.ID)), "")
		ok(t, db.DeleteContract(bg, f.Accountant, draft.ID))
		signed := addContract(t, f, contract(cid, "HT-KEEP", register.Lease, "2025-03-01", "2026-02-28", "1200", register.Yearly,
			subjectAsset(bought.ID)), "2025-03-01")
		if err := db.DeleteContract(bg, f.Accountant, signed.ID); !errors.Is(err, store.ErrContractHasPostings) {
			t.Fatalf("deleting a signed contract: %v, want ErrContractHasPostings", err)
		}
		verifyClean(t, db, cid)
	})
}

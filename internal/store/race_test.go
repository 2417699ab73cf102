package store_test

// Races between two write use cases on the same voucher or month. Each test
// holds the writers up (storetest.Raw.Block) so that the second starts while
// the first is inside its transaction, then lets both finish, and checks the
// books are still consistent. On SQLite writers take turns anyway; on
// PostgreSQL each use case must lock what it reads before deciding on it.

import (
	"sync"
	"testing"

	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// race runs first, waits until it is held up inside its transaction, runs
// second, waits until it waits too, and releases both.
func race(t *testing.T, raw *storetest.Raw, first, second func()) {
	t.Helper()
	release := raw.Block(t)
	defer release()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); first() }()
	raw.WaitBlocked(t, 1)
	go func() { defer wg.Done(); second() }()
	raw.WaitBlocked(t, 2)
	release()
	wg.Wait()
}

func TestDB_CreateVoucher_Race(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, db *store.DB, raw *storetest.Raw) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		t.Run("ErrMonthClosedMeanwhile", func(t *testing.T) {
			var closeErr, createErr error
			race(t, raw,
				func() { closeErr = db.ClosePeriod(bg, f.Accountant, a, P("2025-01")) },
				func() { _, createErr = db.CreateVoucher(bg, f.Accountant, V(a, "2025-01-10", rent("1")...)) })
			ok(t, closeErr)
			if pi := periodInfo(t, db, a, "2025-01"); pi.Closed && pi.Unposted > 0 {
				t.Errorf("January is closed with %d unposted voucher(s) in it (CreateVoucher returned %v): "+
					"a voucher was entered into a month a concurrent ClosePeriod was closing", pi.Unposted, createErr)
			}
			if createErr != nil {
				wantErr(t, createErr, ledger.ErrPeriodClosed, "date")
			}
		})
	})
}

func TestDB_UpdateVoucher_Race(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, db *store.DB, raw *storetest.Raw) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		t.Run("ErrApprovedMeanwhile", func(t *testing.T) {
			v := create(t, f, a, "2025-03-05", rent("100")...)
			var approveErr, updateErr error
			race(t, raw,
				func() { approveErr = db.ApproveVoucher(bg, f.Approver, v.ID) },
				func() { _, updateErr = db.UpdateVoucher(bg, f.Accountant, v.ID, V(a, "2025-03-05", rent("999")...)) })
			ok(t, approveErr)
			got, err := db.FindVoucher(bg, v.ID)
			ok(t, err)
			if got.Status == ledger.Approved && got.Lines[0].Debit != A("100") {
				t.Errorf("the approved voucher's lines were replaced after its approval (UpdateVoucher returned %v): approved 100, now %v",
					updateErr, got.Lines[0].Debit)
			}
			if updateErr != nil {
				wantErr(t, updateErr, ledger.ErrNotDraft, "-")
			}
		})
	})
}

func TestDB_DeleteVoucher_Race(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, db *store.DB, raw *storetest.Raw) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		t.Run("ErrApprovedMeanwhile", func(t *testing.T) {
			v := create(t, f, a, "2025-03-05", rent("100")...)
			var approveErr, deleteErr error
			race(t, raw,
				func() { approveErr = db.ApproveVoucher(bg, f.Approver, v.ID) },
				func() { deleteErr = db.DeleteVoucher(bg, f.Accountant, v.ID) })
			ok(t, approveErr)
			got, err := db.FindVoucher(bg, v.ID)
			if err == nil && len(got.Lines) != 2 {
				t.Errorf("voucher %d is %s with %d lines (DeleteVoucher returned %v): its lines were deleted after its approval",
					v.ID, got.Status, len(got.Lines), deleteErr)
			}
			if err == nil && deleteErr == nil {
				t.Errorf("DeleteVoucher reported success, but voucher %d is still there (%s)", v.ID, got.Status)
			}
		})
	})
}

func TestDB_UnapproveVoucher_Race(t *testing.T) {
	storetest.EachRaw(t, func(t *testing.T, db *store.DB, raw *storetest.Raw) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		t.Run("ErrPostedMeanwhile", func(t *testing.T) {
			v := approved(t, f, a, "2025-03-05", rent("100")...)
			var postErr, unapproveErr error
			race(t, raw,
				func() { _, postErr = db.PostVoucher(bg, f.Accountant, v.ID) },
				func() { unapproveErr = db.UnapproveVoucher(bg, f.Approver, v.ID) })
			ok(t, postErr)
			got, err := db.FindVoucher(bg, v.ID)
			ok(t, err)
			if got.Status != ledger.Posted {
				t.Errorf("posted voucher %d (no. %d) is %s again (UnapproveVoucher returned %v): a posted voucher can be edited and deleted",
					v.ID, got.Number, got.Status, unapproveErr)
			}
			if unapproveErr != nil {
				wantErr(t, unapproveErr, ledger.ErrPostedImmutable, "-")
			}
			rep, err := db.Verify(bg, a)
			ok(t, err)
			if !rep.OK() {
				t.Errorf("verify: %+v", rep.Problems)
			}
		})
	})
}

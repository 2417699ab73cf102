package store_test

import (
	"context"
	"errors"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

var L = storetest.Line

func TestDB_VoucherLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := storetest.Seed(t, db)
		cid := f.A.ID
		v, err := db.CreateVoucher(ctx, f.Accountant, &ledger.Voucher{CollectiveID: cid, Date: jiti.MustDate("2025-03-05"), Attachments: 2,
			Lines: []ledger.Line{L("收取门面租金", "10201", "5000.00"), L("", "50101", "-5000.00")}})
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != ledger.Draft || v.Lines[1].Summary != "收取门面租金" {
			t.Fatalf("draft = %+v", v)
		}
		t.Run("ErrSelfApproval", func(t *testing.T) {
			if err := db.ApproveVoucher(ctx, f.Accountant, v.ID); !errors.Is(err, ledger.ErrSelfApproval) {
				t.Fatalf("self-approve: err = %v, want ErrSelfApproval", err)
			}
		})
		t.Run("ErrNotApproved", func(t *testing.T) {
			if _, err := db.PostVoucher(ctx, f.Accountant, v.ID); !errors.Is(err, ledger.ErrNotApproved) {
				t.Fatalf("post draft: err = %v, want ErrNotApproved", err)
			}
		})
		if err := db.ApproveVoucher(ctx, f.Approver, v.ID); err != nil {
			t.Fatal(err)
		}
		posted, err := db.PostVoucher(ctx, f.Accountant, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if posted.Number != 1 || posted.Seq != 1 || posted.PrevHash != ledger.ChainStart || len(posted.Hash) != 64 {
			t.Fatalf("posted = number %d seq %d prev %s hash %s", posted.Number, posted.Seq, posted.PrevHash, posted.Hash)
		}
		t.Run("ErrPostedImmutable", func(t *testing.T) {
			upd := *posted
			if _, err := db.UpdateVoucher(ctx, f.Accountant, v.ID, &upd); !errors.Is(err, ledger.ErrPostedImmutable) {
				t.Fatalf("update posted: err = %v", err)
			}
			if err := db.DeleteVoucher(ctx, f.Accountant, v.ID); !errors.Is(err, ledger.ErrPostedImmutable) {
				t.Fatalf("delete posted: err = %v", err)
			}
			if _, err := db.PostVoucher(ctx, f.Accountant, v.ID); !errors.Is(err, ledger.ErrPostedImmutable) {
				t.Fatalf("post twice: err = %v", err)
			}
		})
		second := f.Post(t, cid, "2025-03-06", L("收服务费", "101", "300"), L("收服务费", "50102", "-300"))
		if second.Number != 2 || second.PrevHash != posted.Hash {
			t.Fatalf("second: number %d prev %s", second.Number, second.PrevHash)
		}
		april := f.Post(t, cid, "2025-04-01", L("收服务费", "101", "100"), L("收服务费", "50102", "-100"))
		if april.Number != 1 {
			t.Fatalf("april number = %d, want 1 (numbers restart each month)", april.Number)
		}
		tb, err := db.TrialBalance(ctx, cid, jiti.MustPeriod("2025-03"), jiti.MustPeriod("2025-04"), false)
		if err != nil {
			t.Fatal(err)
		}
		if !tb.Balanced() {
			t.Fatalf("trial balance not balanced: %+v", tb.Total)
		}
		if r := tb.Row("501"); r == nil || r.Credit != jiti.MustAmount("5400") {
			t.Fatalf("501 row = %+v", r)
		}

		// Reverse the first voucher in April.
		rev, err := db.ReverseVoucher(ctx, f.Accountant, v.ID, jiti.MustDate("2025-04-10"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReverseVoucher(ctx, f.Accountant, v.ID, jiti.MustDate("2025-04-10")); !errors.Is(err, ledger.ErrAlreadyReversed) {
			t.Fatalf("reverse twice: err = %v", err)
		}
		if err := db.ApproveVoucher(ctx, f.Approver, rev.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PostVoucher(ctx, f.Accountant, rev.ID); err != nil {
			t.Fatal(err)
		}
		tb, err = db.TrialBalance(ctx, cid, jiti.MustPeriod("2025-01"), jiti.MustPeriod("2025-04"), false)
		if err != nil {
			t.Fatal(err)
		}
		if r := tb.Row("10201"); r != nil && r.Closing() != 0 {
			t.Fatalf("10201 after reversal = %v, want 0", r.Closing())
		}
		if r := tb.Row("50101"); r != nil && r.Closing() != 0 {
			t.Fatalf("50101 after reversal = %v, want 0", r.Closing())
		}
	})
}

func TestDB_VerifyFindsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := storetest.Seed(t, db)
		v1 := f.Post(t, f.A.ID, "2025-02-01", L("收租", "10201", "800"), L("收租", "50101", "-800"))
		f.Post(t, f.A.ID, "2025-02-02", L("付电费", "513", "120.5"), L("付电费", "101", "-120.5"))
		rep, err := db.Verify(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Vouchers != 2 || rep.Collectives != 2 {
			t.Fatalf("clean books: %+v", rep)
		}
		// Change an amount directly in the database, as a bad actor would.
		if err := storetest.Exec(db, `UPDATE voucher_lines SET credit = 700 WHERE voucher_id = ? AND line_no = 2`, v1.ID); err != nil {
			t.Fatal(err)
		}
		rep, err = db.Verify(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, p := range rep.Problems {
			kinds[p.Kind] = true
			if p.Kind == "verify.hash" && p.VoucherID != v1.ID {
				t.Errorf("hash problem names voucher %d, want %d", p.VoucherID, v1.ID)
			}
		}
		for _, k := range []string{"verify.hash", "verify.unbalanced", "verify.balance"} {
			if !kinds[k] {
				t.Errorf("tampering not reported as %s: %+v", k, rep.Problems)
			}
		}
	})
}

// TestDB_VerifyReferences checks that Verify does the work of the foreign
// keys the voucher tables do not have.
func TestDB_VerifyReferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := storetest.Seed(t, db)
		v := f.Post(t, f.A.ID, "2025-02-01", L("收租", "10201", "800"), L("收租", "50101", "-800"))
		tamper := []struct {
			kind, query string
			args        []any
		}{
			{"verify.orphan_line", `INSERT INTO voucher_lines (voucher_id, line_no, collective_id, account_code, summary, debit, credit)
VALUES (999999, 1, ?, '101', 'x', 1, 0)`, []any{f.A.ID}},
			{"verify.unknown_account", `UPDATE voucher_lines SET account_code = '99999' WHERE voucher_id = ? AND line_no = 1`, []any{v.ID}},
			{"verify.unknown_user", `UPDATE vouchers SET approver_id = 424242 WHERE id = ?`, []any{v.ID}},
		}
		for _, tt := range tamper {
			if err := storetest.Exec(db, tt.query, tt.args...); err != nil {
				t.Fatal(err)
			}
			rep, err := db.Verify(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range rep.Problems {
				found = found || p.Kind == tt.kind
			}
			if !found {
				t.Errorf("after %s: problems %+v lack %s", tt.query, rep.Problems, tt.kind)
			}
		}
	})
}

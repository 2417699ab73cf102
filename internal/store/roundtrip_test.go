package store_test

import (
	"testing"

	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// On PostgreSQL an act waits for the server a fixed few times, whatever
// its size: posting a voucher twice (BEGIN with the actor, the lock of the
// voucher's collective and all that posting reads under it; the writes
// with COMMIT). Statements prepared per transaction made it 69.
func TestPostgres_RoundTrips(t *testing.T) {
	db := storetest.OpenPostgres(t)
	f := storetest.Seed(t, db)
	trips := func(act func()) int64 {
		t.Helper()
		n := db.RoundTrips()
		act()
		return db.RoundTrips() - n
	}
	vouchers := map[string][]ledger.Line{
		"two lines": rent("100"),
		"seven lines, households": {
			{Summary: "借款", Account: "113", Debit: A("500"), Household: "H001"},
			{Summary: "借款", Account: "113", Debit: A("300"), Household: "H002"},
			L("借款", "10201", "-800"),
			L("收租金", "10201", "200"), L("收租金", "50101", "-200"),
			L("服务费", "10201", "100"), L("服务费", "50102", "-100"),
		},
	}
	// A connection prepares a statement the first time it runs it: the
	// first round of each kind warms it.
	for round := 0; round < 3; round++ {
		for name, lines := range vouchers {
			var v *ledger.Voucher
			create := trips(func() { v = create(t, f, f.A.ID, "2025-03-05", lines...) })
			approve := trips(func() { ok(t, db.ApproveVoucher(bg, f.Approver, v.ID)) })
			post := trips(func() {
				_, err := db.PostVoucher(bg, f.Accountant, v.ID)
				ok(t, err)
			})
			t.Logf("round %d, %s: create %d, approve %d, post %d round trips", round, name, create, approve, post)
			if round > 0 && (create != 3 || approve != 2 || post != 2) {
				t.Errorf("%s: create %d, approve %d, post %d round trips; want 3, 2, 2", name, create, approve, post)
			}
		}
	}
	// Posting in one transaction costs the same few round trips for 3
	// vouchers as for 60: the writes of all go together.
	batch := func(n int) int64 {
		for i := 0; i < n; i++ {
			approved(t, f, f.B.ID, "2025-04-05", rent("10")...)
		}
		return trips(func() {
			got, err := db.PostVouchers(bg, f.Accountant, f.B.ID, P("2025-04"), P("2025-04"))
			ok(t, err)
			if got != n {
				t.Fatalf("posted %d, want %d", got, n)
			}
		})
	}
	batch(3) // warm, each size of statement
	batch(60)
	few, many := batch(3), batch(60)
	t.Logf("PostVouchers: 3 vouchers %d round trips, 60 vouchers %d", few, many)
	if few != many || many > 7 {
		t.Errorf("PostVouchers: 3 vouchers %d round trips, 60 vouchers %d; want the same, at most 7", few, many)
	}
	rep, err := db.Verify(bg, 0)
	ok(t, err)
	if !rep.OK() {
		t.Fatalf("verify: %+v", rep.Problems)
	}
}

// Posting checks the households a stored voucher's lines name, read with
// the voucher under the lock: one that is gone is refused.
func TestDB_PostVoucher_HouseholdGone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		v := approved(t, f, f.A.ID, "2025-03-05",
			ledger.Line{Summary: "借款", Account: "113", Debit: A("500"), Household: "H001"},
			ledger.Line{Summary: "借款", Account: "113", Debit: A("300"), Household: "H002"},
			L("借款", "10201", "-800"))
		ok(t, storetest.Exec(db, `UPDATE voucher_lines SET household_code = 'H404' WHERE voucher_id = ? AND household_code = 'H002'`, v.ID))
		_, err := db.PostVoucher(bg, f.Accountant, v.ID)
		wantErr(t, err, ledger.ErrHouseholdUnknown, "-")
		ok(t, storetest.Exec(db, `UPDATE voucher_lines SET household_code = 'H002' WHERE voucher_id = ? AND household_code = 'H404'`, v.ID))
		_, err = db.PostVoucher(bg, f.Accountant, v.ID)
		ok(t, err)
	})
}

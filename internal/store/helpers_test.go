package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

var (
	bg = context.Background()
	V  = storetest.Voucher
	P  = jiti.MustPeriod
	D  = jiti.MustDate
	A  = jiti.MustAmount
)

// ok fails the test at once on an error.
func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr checks that err matches target (errors.Is) and, unless field is
// "-", that it names field.
func wantErr(t testing.TB, err, target error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %v", target)
	}
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
	if field != "-" {
		if got := jiti.FieldOf(err); got != field {
			t.Fatalf("err = %v: field %q, want %q", err, got, field)
		}
	}
}

// create saves a draft made by the fixture's accountant.
func create(t testing.TB, f *storetest.Fixture, cid int64, date string, lines ...ledger.Line) *ledger.Voucher {
	t.Helper()
	v, err := f.DB.CreateVoucher(bg, f.Accountant, V(cid, date, lines...))
	ok(t, err)
	return v
}

// approved saves a draft and approves it.
func approved(t testing.TB, f *storetest.Fixture, cid int64, date string, lines ...ledger.Line) *ledger.Voucher {
	t.Helper()
	v := create(t, f, cid, date, lines...)
	ok(t, f.DB.ApproveVoucher(bg, f.Approver, v.ID))
	return v
}

// rent is a plain two-line voucher: bank debit, rent income credit.
func rent(amount string) []ledger.Line {
	return []ledger.Line{L("收租金", "10201", amount), L("收租金", "50101", "-"+amount)}
}

func trialBalance(t testing.TB, db *store.DB, cid int64, from, to string) *ledger.TrialBalance {
	t.Helper()
	tb, err := db.TrialBalance(bg, cid, P(from), P(to), false)
	ok(t, err)
	if !tb.Balanced() {
		t.Fatalf("trial balance %s..%s of %d does not balance: %+v", from, to, cid, tb.Total)
	}
	return tb
}

// closing returns an account's debit-minus-credit balance at the end of the
// trial balance, 0 when it has no row.
func closing(tb *ledger.TrialBalance, code string) jiti.Amount {
	if r := tb.Row(code); r != nil {
		return r.Closing()
	}
	return 0
}

func opening(tb *ledger.TrialBalance, code string) jiti.Amount {
	if r := tb.Row(code); r != nil {
		return r.Opening()
	}
	return 0
}

// lastEvent returns the newest audit event with the given action.
func lastEvent(t testing.TB, db *store.DB, action string) store.AuditEvent {
	t.Helper()
	es, _, err := db.FindAuditEvents(bg, store.AuditFilter{Action: action, Limit: 1})
	ok(t, err)
	if len(es) == 0 {
		t.Fatalf("no audit event %s", action)
	}
	return es[0]
}

// decode unmarshals an audit value into a generic map.
func decode(t testing.TB, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("audit value %s: %v", raw, err)
	}
	return m
}

// countVouchers returns how many vouchers the database holds in all.
func countVouchers(t testing.TB, db *store.DB, status ledger.Status) int {
	t.Helper()
	_, n, err := db.FindVouchers(bg, store.VoucherFilter{Status: status, Limit: 1})
	ok(t, err)
	return n
}

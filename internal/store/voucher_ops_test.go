package store_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// users are the fixture's extra users for authorization tests.
type users struct {
	viewer          jiti.UserID // county viewer: reads only
	villageApprover jiti.UserID // approves A's vouchers
	villageAcctB    jiti.UserID // keeps B's books only
	villageApprB    jiti.UserID // approves B's vouchers only
	disabled        jiti.UserID // an agency accountant, disabled
}

func addUsers(t testing.TB, f *storetest.Fixture) users {
	t.Helper()
	u := users{
		viewer:          f.AddUser(t, "chakan", jiti.RoleCountyViewer, "620422"),
		villageApprover: f.AddUser(t, "nsshenhe", jiti.RoleVillageApprover, f.A.RegionCode),
		villageAcctB:    f.AddUser(t, "nzkuaiji", jiti.RoleVillageAccountant, f.B.RegionCode),
		villageApprB:    f.AddUser(t, "nzshenhe", jiti.RoleVillageApprover, f.B.RegionCode),
		disabled:        f.AddUser(t, "tingyong", jiti.RoleAgencyAccountant, "620422100"),
	}
	ok(t, f.DB.SetUserDisabled(bg, f.Admin, u.disabled, true))
	return u
}

// wantHidden checks that err, the answer to a user acting on voucher id out
// of the user's scope, is jiti.ErrNotFound and tells nothing that the answer
// for a voucher that does not exist (missing, for voucher noVoucher) would
// not tell, but the id asked for.
func wantHidden(t testing.TB, id int64, err, missing error) {
	t.Helper()
	wantErr(t, err, jiti.ErrNotFound, "-")
	wantErr(t, missing, jiti.ErrNotFound, "-")
	if want := strings.ReplaceAll(missing.Error(), itoa(noVoucher), itoa(id)); err.Error() != want {
		t.Errorf("out of scope: %q, but a voucher that does not exist gives %q: the answer shows the voucher exists and its collective", err, want)
	}
}

const noVoucher = 987654

func TestDB_CreateVoucher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		u := addUsers(t, f)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			in := &ledger.Voucher{CollectiveID: cid, Date: D("2025-03-05"), Attachments: 2, Note: " 三月租金 ",
				Lines: []ledger.Line{
					{Summary: " 收取门面租金 ", Account: "10201", Debit: A("5000"), Counterparty: "张庄砖厂"},
					{Account: "50101", Credit: A("4000")},
					{Summary: "押金", Account: "113", Credit: A("1000"), Household: "H001"},
				}}
			v, err := db.CreateVoucher(bg, f.Accountant, in)
			ok(t, err)
			if v.ID == 0 || v.Status != ledger.Draft || v.Kind != ledger.Normal || v.Number != 0 || v.Period != P("2025-03") ||
				v.MakerID != f.Accountant || !v.CreatedAt.Equal(storetest.Now) || v.Note != "三月租金" {
				t.Fatalf("draft = %+v", v)
			}
			got, err := db.FindVoucher(bg, v.ID)
			ok(t, err)
			want := []ledger.Line{
				{No: 1, Summary: "收取门面租金", Account: "10201", Debit: A("5000"), Counterparty: "张庄砖厂"},
				{No: 2, Summary: "收取门面租金", Account: "50101", Credit: A("4000")},
				{No: 3, Summary: "押金", Account: "113", Credit: A("1000"), Household: "H001"},
			}
			if !reflect.DeepEqual(got.Lines, want) || got.Attachments != 2 || got.Date != D("2025-03-05") || got.Status != ledger.Draft {
				t.Fatalf("stored = %+v lines %+v", got, got.Lines)
			}
			// A draft moves no balance.
			if tb := trialBalance(t, db, cid, "2025-03", "2025-03"); len(tb.Rows) != 0 {
				t.Fatalf("draft moved balances: %+v", tb.Rows)
			}
		})

		_, err := db.CreateAccount(bg, f.Accountant, cid, "12101", "化肥")
		ok(t, err)
		ok(t, db.SetAccountActive(bg, f.Accountant, cid, "12101", false))
		ok(t, db.ClosePeriod(bg, f.Accountant, cid, P("2025-01")))
		line := func(summary, account string, dr, cr string) ledger.Line {
			l := ledger.Line{Summary: summary, Account: account}
			if dr != "" {
				l.Debit = A(dr)
			}
			if cr != "" {
				l.Credit = A(cr)
			}
			return l
		}
		for _, c := range []struct {
			name  string
			v     *ledger.Voucher
			want  error
			field string
		}{
			{"ErrUnbalanced", V(cid, "2025-03-01", L("收租", "10201", "100"), L("收租", "50101", "-90")), ledger.ErrUnbalanced, "lines"},
			{"ErrBothSides", V(cid, "2025-03-01", L("收租", "10201", "100"), line("收租", "50101", "100", "100"), L("收租", "50102", "-100")), ledger.ErrBothSides, "lines[2].credit"},
			{"ErrNoSide", V(cid, "2025-03-01", L("收租", "10201", "100"), line("收租", "50102", "", ""), L("收租", "50101", "-100")), ledger.ErrNoSide, "lines[2].debit"},
			{"ErrNegativeDebit", V(cid, "2025-03-01", line("收租", "10201", "-100", ""), line("收租", "50101", "-100", "")), ledger.ErrNotPositive, "lines[1].debit"},
			{"ErrNegativeCredit", V(cid, "2025-03-01", line("收租", "10201", "", "-100"), line("收租", "50101", "", "-100")), ledger.ErrNotPositive, "lines[1].credit"},
			{"ErrUnknownAccount", V(cid, "2025-03-01", L("收租", "10201", "100"), L("收租", "50109", "-100")), ledger.ErrAccountUnknown, "lines[2].account"},
			{"ErrNotLeaf", V(cid, "2025-03-01", L("收租", "102", "100"), L("收租", "50101", "-100")), ledger.ErrAccountNotLeaf, "lines[1].account"},
			{"ErrInactive", V(cid, "2025-03-01", L("购化肥", "12101", "100"), L("购化肥", "513", "50"), L("购化肥", "12101", "-150")), ledger.ErrAccountInactive, "lines[1].account"},
			{"ErrInactiveLine3", V(cid, "2025-03-01", L("购化肥", "513", "100"), L("购化肥", "101", "-50"), L("购化肥", "12101", "-50")), ledger.ErrAccountInactive, "lines[3].account"},
			{"ErrHousehold", V(cid, "2025-03-01", L("借款", "101", "-100"), ledger.Line{Summary: "借款", Account: "113", Debit: A("100"), Household: "H009"}), ledger.ErrHouseholdUnknown, "lines[2].household"},
			{"ErrSummary", V(cid, "2025-03-01", L("", "10201", "100"), L("", "50101", "-100")), ledger.ErrSummaryRequired, "lines[1].summary"},
			{"ErrTooFewLines", V(cid, "2025-03-01", L("收租", "10201", "100")), ledger.ErrTooFewLines, "lines"},
			{"ErrBeforeBooks", V(cid, "2024-12-31", rent("100")...), ledger.ErrBeforeBooks, "date"},
			{"ErrPeriodClosed", V(cid, "2025-01-20", rent("100")...), ledger.ErrPeriodClosed, "date"},
			{"ErrDateOutsidePeriod", &ledger.Voucher{CollectiveID: cid, Period: P("2025-04"), Date: D("2025-03-31"), Lines: rent("100")}, ledger.ErrDateOutside, "date"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := countVouchers(t, db, "")
				_, err := db.CreateVoucher(bg, f.Accountant, c.v)
				wantErr(t, err, c.want, c.field)
				if n := countVouchers(t, db, ""); n != before {
					t.Fatalf("refused voucher saved: %d vouchers, were %d", n, before)
				}
			})
		}
		t.Run("ErrManyAtOnce", func(t *testing.T) {
			_, err := db.CreateVoucher(bg, f.Accountant, V(cid, "2025-01-02", L("收租", "102", "100"), L("收租", "50109", "-100")))
			var es jiti.Errors
			if !errors.As(err, &es) || len(es) != 3 {
				t.Fatalf("err = %v, want the three problems together", err)
			}
			for i, field := range []string{"date", "lines[1].account", "lines[2].account"} {
				if got := jiti.FieldOf(es[i]); got != field {
					t.Errorf("problem %d names %q, want %q", i+1, got, field)
				}
			}
		})
		t.Run("ErrRole", func(t *testing.T) {
			_, err := db.CreateVoucher(bg, u.viewer, V(cid, "2025-03-01", rent("100")...))
			wantErr(t, err, jiti.ErrRoleCannot, "-")
			_, err = db.CreateVoucher(bg, u.villageApprover, V(cid, "2025-03-01", rent("100")...))
			wantErr(t, err, jiti.ErrRoleCannot, "-")
			_, err = db.CreateVoucher(bg, f.Approver, V(cid, "2025-03-01", rent("100")...))
			wantErr(t, err, jiti.ErrRoleCannot, "-")
		})
		t.Run("ErrOutOfScope", func(t *testing.T) {
			_, err := db.CreateVoucher(bg, u.villageAcctB, V(cid, "2025-03-01", rent("100")...))
			_, missing := db.CreateVoucher(bg, u.villageAcctB, V(noVoucher, "2025-03-01", rent("100")...))
			wantErr(t, err, jiti.ErrNotFound, "-")
			wantErr(t, missing, jiti.ErrNotFound, "-")
			// Its own collective is fine.
			_, err = db.CreateVoucher(bg, u.villageAcctB, V(f.B.ID, "2025-03-01", rent("100")...))
			ok(t, err)
		})
		t.Run("ErrDisabled", func(t *testing.T) {
			_, err := db.CreateVoucher(bg, u.disabled, V(cid, "2025-03-01", rent("100")...))
			wantErr(t, err, jiti.ErrUserDisabled, "-")
			_, err = db.CreateVoucher(bg, 0, V(cid, "2025-03-01", rent("100")...))
			wantErr(t, err, store.ErrNoActor, "-")
		})
	})
}

func TestDB_UpdateVoucher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		u := addUsers(t, f)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			v := create(t, f, cid, "2025-03-05", rent("100")...)
			upd := V(cid, "2025-04-02", L("收服务费", "101", "300"), L("收服务费", "50102", "-300"))
			upd.Attachments = 3
			got, err := db.UpdateVoucher(bg, f.Accountant, v.ID, upd)
			ok(t, err)
			if got.ID != v.ID || got.Period != P("2025-04") || got.Status != ledger.Draft || got.Attachments != 3 {
				t.Fatalf("updated = %+v", got)
			}
			stored, err := db.FindVoucher(bg, v.ID)
			ok(t, err)
			if stored.Period != P("2025-04") || stored.Date != D("2025-04-02") || len(stored.Lines) != 2 || stored.Lines[0].Account != "101" || stored.Lines[1].Credit != A("300") {
				t.Fatalf("stored = %+v %+v", stored, stored.Lines)
			}
			e := lastEvent(t, db, "voucher.update")
			if e.UserID != f.Accountant || e.EntityID != itoa(v.ID) || e.Old == nil || e.New == nil {
				t.Fatalf("audit = %+v", e)
			}
			if !strings.Contains(string(e.Old), `"2025-03-05"`) || !strings.Contains(string(e.New), `"2025-04-02"`) {
				t.Fatalf("audit old %s new %s", e.Old, e.New)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			v := create(t, f, cid, "2025-03-06", rent("100")...)
			_, err := db.UpdateVoucher(bg, f.Accountant, v.ID, V(cid, "2025-03-06", L("收租", "10201", "100"), L("收租", "50101", "-10")))
			wantErr(t, err, ledger.ErrUnbalanced, "lines")
			stored, _ := db.FindVoucher(bg, v.ID)
			if stored.Lines[1].Credit != A("100") {
				t.Fatalf("refused update changed the lines: %+v", stored.Lines)
			}
			ok(t, db.ClosePeriod(bg, f.Accountant, cid, P("2025-01")))
			_, err = db.UpdateVoucher(bg, f.Accountant, v.ID, V(cid, "2025-01-06", rent("100")...))
			wantErr(t, err, ledger.ErrPeriodClosed, "date")
		})
		t.Run("ErrApproved", func(t *testing.T) {
			v := approved(t, f, cid, "2025-03-07", rent("100")...)
			_, err := db.UpdateVoucher(bg, f.Accountant, v.ID, V(cid, "2025-03-07", rent("200")...))
			wantErr(t, err, ledger.ErrNotDraft, "-")
		})
		t.Run("ErrPosted", func(t *testing.T) {
			v := f.Post(t, cid, "2025-03-08", rent("100")...)
			_, err := db.UpdateVoucher(bg, f.Accountant, v.ID, V(cid, "2025-03-08", rent("200")...))
			wantErr(t, err, ledger.ErrPostedImmutable, "-")
			// A reversal draft is generated from the original: not editable.
			r, err := db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-03-09"))
			ok(t, err)
			_, err = db.UpdateVoucher(bg, f.Accountant, r.ID, V(cid, "2025-03-09", rent("1")...))
			wantErr(t, err, ledger.ErrPostedImmutable, "-")
		})
		t.Run("ErrOutOfScope", func(t *testing.T) {
			v := create(t, f, cid, "2025-03-10", rent("100")...)
			_, err := db.UpdateVoucher(bg, u.villageAcctB, v.ID, V(cid, "2025-03-10", rent("1")...))
			_, missing := db.UpdateVoucher(bg, u.villageAcctB, noVoucher, V(cid, "2025-03-10", rent("1")...))
			wantHidden(t, v.ID, err, missing)
		})
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestDB_DeleteVoucher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		u := addUsers(t, f)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			v := create(t, f, cid, "2025-03-05", rent("100")...)
			ok(t, db.DeleteVoucher(bg, f.Accountant, v.ID))
			_, err := db.FindVoucher(bg, v.ID)
			wantErr(t, err, jiti.ErrNotFound, "-")
			e := lastEvent(t, db, "voucher.delete")
			if e.UserID != f.Accountant || e.EntityID != itoa(v.ID) || e.Old == nil || e.New != nil {
				t.Fatalf("audit = %+v", e)
			}
		})
		t.Run("OKIDNotReused", func(t *testing.T) {
			// A deleted voucher's id stays its own: the audit log refers to
			// vouchers by id.
			create(t, f, cid, "2025-03-05", rent("1")...)
			gone := create(t, f, cid, "2025-03-05", rent("2")...)
			ok(t, db.DeleteVoucher(bg, f.Accountant, gone.ID))
			next := create(t, f, cid, "2025-03-05", rent("3")...)
			if next.ID == gone.ID {
				t.Errorf("new voucher got id %d of a deleted voucher", next.ID)
			}
			es, _, err := db.FindAuditEvents(bg, store.AuditFilter{Entity: "voucher", EntityID: itoa(next.ID)})
			ok(t, err)
			for _, e := range es {
				if e.Action != "voucher.create" {
					t.Errorf("audit trail of new voucher %d holds %s of another voucher", next.ID, e.Action)
				}
			}
			// Imports draw ids the same way.
			gone2 := create(t, f, cid, "2025-03-05", rent("4")...)
			ok(t, db.DeleteVoucher(bg, f.Accountant, gone2.ID))
			res, err := db.ImportVouchers(bg, f.Accountant, storetest.NewSliceSource(V(cid, "2025-03-06", rent("5")...)), "reuse")
			ok(t, err)
			if res.FirstID <= gone2.ID {
				t.Errorf("imported voucher got id %d, not after deleted voucher %d", res.FirstID, gone2.ID)
			}
		})
		t.Run("ErrApproved", func(t *testing.T) {
			v := approved(t, f, cid, "2025-03-07", rent("100")...)
			wantErr(t, db.DeleteVoucher(bg, f.Accountant, v.ID), ledger.ErrNotDraft, "-")
		})
		t.Run("ErrPosted", func(t *testing.T) {
			v := f.Post(t, cid, "2025-03-08", rent("100")...)
			wantErr(t, db.DeleteVoucher(bg, f.Accountant, v.ID), ledger.ErrPostedImmutable, "-")
			if _, err := db.FindVoucher(bg, v.ID); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ErrOutOfScope", func(t *testing.T) {
			v := create(t, f, cid, "2025-03-10", rent("100")...)
			wantHidden(t, v.ID, db.DeleteVoucher(bg, u.villageAcctB, v.ID), db.DeleteVoucher(bg, u.villageAcctB, noVoucher))
			wantErr(t, db.DeleteVoucher(bg, u.viewer, v.ID), jiti.ErrRoleCannot, "-")
		})
	})
}

func TestDB_ApproveVoucher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		u := addUsers(t, f)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			v := create(t, f, cid, "2025-03-05", rent("100")...)
			ok(t, db.ApproveVoucher(bg, f.Approver, v.ID))
			got, err := db.FindVoucher(bg, v.ID)
			ok(t, err)
			if got.Status != ledger.Approved || got.ApproverID != f.Approver || !got.ApprovedAt.Equal(storetest.Now) || got.Number != 0 {
				t.Fatalf("approved = %+v", got)
			}
			// A village approver approves its own village's vouchers.
			v2 := create(t, f, cid, "2025-03-05", rent("100")...)
			ok(t, db.ApproveVoucher(bg, u.villageApprover, v2.ID))
		})
		t.Run("ErrSelfApproval", func(t *testing.T) {
			// The agency accountant may approve, but not what he made.
			v := create(t, f, cid, "2025-03-05", rent("100")...)
			wantErr(t, db.ApproveVoucher(bg, f.Accountant, v.ID), ledger.ErrSelfApproval, "-")
			if got, _ := db.FindVoucher(bg, v.ID); got.Status != ledger.Draft {
				t.Fatalf("status = %s", got.Status)
			}
		})
		t.Run("ErrNotDraft", func(t *testing.T) {
			v := approved(t, f, cid, "2025-03-05", rent("100")...)
			wantErr(t, db.ApproveVoucher(bg, f.Approver, v.ID), ledger.ErrNotDraft, "-")
			p := f.Post(t, cid, "2025-03-06", rent("100")...)
			wantErr(t, db.ApproveVoucher(bg, f.Approver, p.ID), ledger.ErrPostedImmutable, "-")
		})
		t.Run("ErrRole", func(t *testing.T) {
			v := create(t, f, f.B.ID, "2025-03-05", rent("100")...)
			wantErr(t, db.ApproveVoucher(bg, u.viewer, v.ID), jiti.ErrRoleCannot, "-")
			wantErr(t, db.ApproveVoucher(bg, u.villageAcctB, v.ID), jiti.ErrRoleCannot, "-")
			wantErr(t, db.ApproveVoucher(bg, u.disabled, v.ID), jiti.ErrUserDisabled, "-")
			ok(t, db.ApproveVoucher(bg, u.villageApprB, v.ID))
		})
		t.Run("ErrOutOfScope", func(t *testing.T) {
			v := create(t, f, cid, "2025-03-05", rent("100")...)
			wantHidden(t, v.ID, db.ApproveVoucher(bg, u.villageApprB, v.ID), db.ApproveVoucher(bg, u.villageApprB, noVoucher))
		})
	})
}

func TestDB_UnapproveVoucher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		t.Run("OK", func(t *testing.T) {
			v := approved(t, f, cid, "2025-03-05", rent("100")...)
			ok(t, db.UnapproveVoucher(bg, f.Approver, v.ID))
			got, err := db.FindVoucher(bg, v.ID)
			ok(t, err)
			if got.Status != ledger.Draft || got.ApproverID != 0 || !got.ApprovedAt.IsZero() {
				t.Fatalf("unapproved = %+v", got)
			}
			e := lastEvent(t, db, "voucher.unapprove")
			if e.UserID != f.Approver || decode(t, e.Old)["status"] != "approved" || decode(t, e.New)["status"] != "draft" {
				t.Fatalf("audit = %+v old %s new %s", e, e.Old, e.New)
			}
			// Back to draft: its maker corrects it, then it goes round again.
			_, err = db.UpdateVoucher(bg, f.Accountant, v.ID, V(cid, "2025-03-05", rent("120")...))
			ok(t, err)
			ok(t, db.ApproveVoucher(bg, f.Approver, v.ID))
			p, err := db.PostVoucher(bg, f.Accountant, v.ID)
			ok(t, err)
			if p.Number != 1 || p.Lines[0].Debit != A("120") {
				t.Fatalf("posted = %+v", p)
			}
		})
		t.Run("ErrNotApproved", func(t *testing.T) {
			v := create(t, f, cid, "2025-03-06", rent("100")...)
			wantErr(t, db.UnapproveVoucher(bg, f.Approver, v.ID), ledger.ErrNotApproved, "-")
		})
		t.Run("ErrPosted", func(t *testing.T) {
			v := f.Post(t, cid, "2025-03-07", rent("100")...)
			wantErr(t, db.UnapproveVoucher(bg, f.Approver, v.ID), ledger.ErrPostedImmutable, "-")
		})
	})
}

func TestDB_PostVoucher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		u := addUsers(t, f)
		a, b := f.A.ID, f.B.ID
		t.Run("OKNumbering", func(t *testing.T) {
			post := func(v *ledger.Voucher) *ledger.Voucher {
				t.Helper()
				p, err := db.PostVoucher(bg, f.Accountant, v.ID)
				ok(t, err)
				return p
			}
			// Drafts made and deleted in between never take a number.
			a1 := approved(t, f, a, "2025-03-20", rent("1")...)
			gone := create(t, f, a, "2025-03-01", rent("2")...)
			a2 := approved(t, f, a, "2025-03-05", rent("3")...)
			b1 := approved(t, f, b, "2025-03-05", rent("4")...)
			a3 := approved(t, f, a, "2025-04-01", rent("5")...)
			a4 := approved(t, f, a, "2025-03-31", rent("6")...)
			want := []struct {
				v      *ledger.Voucher
				number int
			}{{a1, 1}, {b1, 1}, {a3, 1}, {a2, 2}, {a4, 3}}
			for i, w := range want {
				if i == 2 {
					ok(t, db.DeleteVoucher(bg, f.Accountant, gone.ID))
				}
				p := post(w.v)
				if p.Number != w.number || p.Status != ledger.Posted || p.PosterID != f.Accountant || !p.PostedAt.Equal(storetest.Now) {
					t.Fatalf("voucher of %s in %d: number %d, want %d (%+v)", p.Date, p.CollectiveID, p.Number, w.number, p)
				}
				stored, err := db.FindVoucher(bg, p.ID)
				ok(t, err)
				if stored.Number != p.Number || stored.Hash != p.Hash || stored.Seq != p.Seq {
					t.Fatalf("stored %+v, returned %+v", stored, p)
				}
			}
			// The chain runs per collective.
			sa, _ := db.FindVoucher(bg, a4.ID)
			sb, _ := db.FindVoucher(bg, b1.ID)
			if sa.Seq != 4 || sb.Seq != 1 || sb.PrevHash != ledger.ChainStart {
				t.Fatalf("chain: A seq %d, B seq %d prev %s", sa.Seq, sb.Seq, sb.PrevHash)
			}
			ps, err := db.Periods(bg, a)
			ok(t, err)
			last := map[jiti.Period]int{}
			for _, pi := range ps {
				last[pi.Period] = pi.LastNumber
			}
			if last[P("2025-03")] != 3 || last[P("2025-04")] != 1 || last[P("2025-02")] != 0 {
				t.Fatalf("last numbers = %v", last)
			}
			rep, err := db.Verify(bg, 0)
			ok(t, err)
			if !rep.OK() || rep.Vouchers != 5 {
				t.Fatalf("verify: %+v", rep)
			}
		})
		t.Run("ErrNotApproved", func(t *testing.T) {
			v := create(t, f, a, "2025-03-05", rent("100")...)
			_, err := db.PostVoucher(bg, f.Accountant, v.ID)
			wantErr(t, err, ledger.ErrNotApproved, "-")
		})
		t.Run("ErrPostedTwice", func(t *testing.T) {
			v := f.Post(t, a, "2025-03-05", rent("100")...)
			_, err := db.PostVoucher(bg, f.Accountant, v.ID)
			wantErr(t, err, ledger.ErrPostedImmutable, "-")
			got, _ := db.FindVoucher(bg, v.ID)
			if got.Number != v.Number || got.Hash != v.Hash {
				t.Fatalf("second post changed the voucher: %+v", got)
			}
		})
		t.Run("ErrPeriodClosed", func(t *testing.T) {
			// An approved voucher whose month got closed in the meantime (as
			// a close racing the voucher's entry can leave it, see
			// TestDB_CreateVoucher_Race) cannot be posted.
			v := approved(t, f, b, "2025-02-10", rent("100")...)
			ok(t, storetest.Exec(db, `INSERT INTO periods (collective_id, period, is_closed) VALUES (?, ?, ?)`, b, int(P("2025-01")), true))
			ok(t, storetest.Exec(db, `INSERT INTO periods (collective_id, period, is_closed) VALUES (?, ?, ?)`, b, int(P("2025-02")), true))
			_, err := db.PostVoucher(bg, f.Accountant, v.ID)
			wantErr(t, err, ledger.ErrPeriodClosed, "date")
			got, _ := db.FindVoucher(bg, v.ID)
			if got.Status != ledger.Approved || got.Number != 0 {
				t.Fatalf("refused post changed the voucher: %+v", got)
			}
			ps, _ := db.Periods(bg, b)
			if ps[1].LastNumber != 0 {
				t.Fatalf("refused post took a number: %+v", ps[1])
			}
		})
		t.Run("ErrRole", func(t *testing.T) {
			v := approved(t, f, a, "2025-03-05", rent("100")...)
			for _, who := range []jiti.UserID{u.villageApprover, f.Approver, u.viewer} {
				_, err := db.PostVoucher(bg, who, v.ID)
				wantErr(t, err, jiti.ErrRoleCannot, "-")
			}
			_, err := db.PostVoucher(bg, u.disabled, v.ID)
			wantErr(t, err, jiti.ErrUserDisabled, "-")
			if got, _ := db.FindVoucher(bg, v.ID); got.Status != ledger.Approved {
				t.Fatalf("status = %s", got.Status)
			}
		})
		t.Run("ErrOutOfScope", func(t *testing.T) {
			v := approved(t, f, a, "2025-03-05", rent("100")...)
			_, err := db.PostVoucher(bg, u.villageAcctB, v.ID)
			_, missing := db.PostVoucher(bg, u.villageAcctB, noVoucher)
			wantHidden(t, v.ID, err, missing)
		})
	})
}

func TestDB_ReverseVoucher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		orig := f.Post(t, cid, "2025-02-10", L("收取门面租金", "10201", "5000"), L("收取门面租金", "50101", "-4000"),
			ledger.Line{Summary: "押金", Account: "113", Credit: A("1000"), Household: "H001"})
		var rev *ledger.Voucher
		t.Run("OK", func(t *testing.T) {
			r, err := db.ReverseVoucher(bg, f.Accountant, orig.ID, D("2025-02-20"))
			ok(t, err)
			if r.Status != ledger.Draft || r.Kind != ledger.Reversal || r.ReversesID != orig.ID || r.MakerID != f.Accountant || r.Period != P("2025-02") {
				t.Fatalf("reversal = %+v", r)
			}
			for i, l := range r.Lines {
				o := orig.Lines[i]
				if l.Account != o.Account || l.Debit != -o.Debit || l.Credit != -o.Credit || l.Household != o.Household || !strings.HasPrefix(l.Summary, "冲销") {
					t.Fatalf("line %d = %+v, original %+v: want red ink", i+1, l, o)
				}
			}
			if r.Lines[0].Debit >= 0 || r.Lines[1].Credit >= 0 {
				t.Fatalf("red-ink amounts are negative: %+v", r.Lines)
			}
			o, _ := db.FindVoucher(bg, orig.ID)
			if o.ReversedByID != r.ID {
				t.Fatalf("original reversed by %d, want %d", o.ReversedByID, r.ID)
			}
			ok(t, db.ApproveVoucher(bg, f.Approver, r.ID))
			p, err := db.PostVoucher(bg, f.Accountant, r.ID)
			ok(t, err)
			if p.Number != 2 || p.Kind != ledger.Reversal {
				t.Fatalf("posted reversal = %+v", p)
			}
			stored, _ := db.FindVoucher(bg, r.ID)
			if stored.ReversesID != orig.ID || stored.Lines[0].Debit != A("-5000") {
				t.Fatalf("stored reversal = %+v", stored)
			}
			rev = stored
			// Together they leave no trace: no balance, no turnover.
			tb := trialBalance(t, db, cid, "2025-02", "2025-02")
			for _, code := range []string{"102", "10201", "501", "50101", "113"} {
				if r := tb.Row(code); r != nil && (r.Closing() != 0 || r.Debit != 0 || r.Credit != 0) {
					t.Errorf("%s after reversal = %+v", code, r)
				}
			}
			rep, err := db.Verify(bg, cid)
			ok(t, err)
			if !rep.OK() {
				t.Fatalf("verify: %+v", rep.Problems)
			}
		})
		t.Run("ErrAlreadyReversed", func(t *testing.T) {
			_, err := db.ReverseVoucher(bg, f.Accountant, orig.ID, D("2025-03-01"))
			wantErr(t, err, ledger.ErrAlreadyReversed, "-")
			// Also while the first reversal is still a draft.
			v := f.Post(t, cid, "2025-03-02", rent("10")...)
			_, err = db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-03-03"))
			ok(t, err)
			_, err = db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-03-04"))
			wantErr(t, err, ledger.ErrAlreadyReversed, "-")
		})
		t.Run("ErrReverseReversal", func(t *testing.T) {
			if rev == nil {
				t.Skip("no reversal")
			}
			_, err := db.ReverseVoucher(bg, f.Accountant, rev.ID, D("2025-03-01"))
			wantErr(t, err, ledger.ErrReverseReversal, "-")
		})
		t.Run("ErrNotPosted", func(t *testing.T) {
			v := approved(t, f, cid, "2025-03-05", rent("10")...)
			_, err := db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-03-06"))
			wantErr(t, err, ledger.ErrNotPosted, "-")
			ok(t, db.UnapproveVoucher(bg, f.Approver, v.ID))
			ok(t, db.DeleteVoucher(bg, f.Accountant, v.ID))
		})
		t.Run("ErrDate", func(t *testing.T) {
			v := f.Post(t, cid, "2025-03-10", rent("10")...)
			_, err := db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-03-09"))
			wantErr(t, err, ledger.ErrReverseBefore, "date")
		})
		t.Run("ErrClosedMonth", func(t *testing.T) {
			v := f.Post(t, f.B.ID, "2025-02-11", rent("10")...)
			for _, p := range []string{"2025-01", "2025-02"} {
				ok(t, db.ClosePeriod(bg, f.Accountant, f.B.ID, P(p)))
			}
			_, err := db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-02-28"))
			wantErr(t, err, ledger.ErrPeriodClosed, "date")
			r, err := db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-03-01"))
			ok(t, err)
			// Draft deleted: the voucher may be reversed again.
			ok(t, db.DeleteVoucher(bg, f.Accountant, r.ID))
			r, err = db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-03-02"))
			ok(t, err)
			ok(t, db.ApproveVoucher(bg, f.Approver, r.ID))
			_, err = db.PostVoucher(bg, f.Accountant, r.ID)
			ok(t, err)
			// The original month keeps its turnover; the balance is zero.
			tb := trialBalance(t, db, f.B.ID, "2025-02", "2025-03")
			if r := tb.Row("50101"); r != nil && (r.Closing() != 0 || r.Credit != 0) {
				t.Fatalf("50101 over Feb..Mar = %+v", r)
			}
			feb := trialBalance(t, db, f.B.ID, "2025-02", "2025-02")
			if closing(feb, "50101") != A("-10") {
				t.Fatalf("February's 50101 = %v, want the original's credit 10", closing(feb, "50101"))
			}
		})
	})
}

func TestDB_FindVouchers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a, b := f.A.ID, f.B.ID
		jan1 := f.Post(t, a, "2025-01-05", rent("100")...)
		jan2 := f.Post(t, a, "2025-01-06", L("付电费", "513", "30"), L("付电费", "101", "-30"))
		feb1 := f.Post(t, a, "2025-02-01", L("收服务费", "101", "50"), L("收服务费", "50102", "-50"))
		feb2 := f.Post(t, a, "2025-02-02", ledger.Line{Summary: "借给张三", Account: "113", Debit: A("200"), Household: "H001"}, L("借给张三", "101", "-200"))
		feb3 := f.Post(t, a, "2025-02-03", ledger.Line{Summary: "付砖款", Account: "121", Debit: A("80"), Counterparty: "张庄砖厂"}, L("付砖款", "10201", "-80"))
		febDraft := create(t, f, a, "2025-02-04", rent("60")...)
		marNote := V(a, "2025-03-01", rent("70")...)
		marNote.Note = "补记二月租金"
		mar, err := db.CreateVoucher(bg, f.Accountant, marNote)
		ok(t, err)
		ok(t, db.ApproveVoucher(bg, f.Approver, mar.ID))
		f.Post(t, b, "2025-02-01", rent("100")...)
		f.Post(t, b, "2025-02-02", rent("100")...)

		ids := func(vs []*ledger.Voucher) []int64 {
			var out []int64
			for _, v := range vs {
				out = append(out, v.ID)
			}
			return out
		}
		for _, c := range []struct {
			name   string
			filter store.VoucherFilter
			want   []*ledger.Voucher
		}{
			{"OKAll", store.VoucherFilter{CollectiveID: a}, []*ledger.Voucher{jan1, jan2, feb1, feb2, feb3, febDraft, mar}},
			{"OKMonths", store.VoucherFilter{CollectiveID: a, From: P("2025-02"), To: P("2025-02")}, []*ledger.Voucher{feb1, feb2, feb3, febDraft}},
			{"OKFrom", store.VoucherFilter{CollectiveID: a, From: P("2025-02")}, []*ledger.Voucher{feb1, feb2, feb3, febDraft, mar}},
			{"OKTo", store.VoucherFilter{CollectiveID: a, To: P("2025-01")}, []*ledger.Voucher{jan1, jan2}},
			{"OKStatusPosted", store.VoucherFilter{CollectiveID: a, Status: ledger.Posted, From: P("2025-02")}, []*ledger.Voucher{feb1, feb2, feb3}},
			{"OKStatusDraft", store.VoucherFilter{CollectiveID: a, Status: ledger.Draft}, []*ledger.Voucher{febDraft}},
			{"OKStatusApproved", store.VoucherFilter{CollectiveID: a, Status: ledger.Approved}, []*ledger.Voucher{mar}},
			{"OKAccountPrefix", store.VoucherFilter{CollectiveID: a, Account: "501"}, []*ledger.Voucher{jan1, feb1, febDraft, mar}},
			{"OKAccountLeaf", store.VoucherFilter{CollectiveID: a, Account: "50102"}, []*ledger.Voucher{feb1}},
			{"OKAccountParent", store.VoucherFilter{CollectiveID: a, Account: "102"}, []*ledger.Voucher{jan1, feb3, febDraft, mar}},
			{"OKTextSummary", store.VoucherFilter{CollectiveID: a, Text: "电费"}, []*ledger.Voucher{jan2}},
			{"OKTextCounterparty", store.VoucherFilter{CollectiveID: a, Text: "砖厂"}, []*ledger.Voucher{feb3}},
			{"OKTextNote", store.VoucherFilter{CollectiveID: a, Text: "二月"}, []*ledger.Voucher{mar}},
			{"OKCombined", store.VoucherFilter{CollectiveID: a, Status: ledger.Posted, Account: "101", Text: "张三"}, []*ledger.Voucher{feb2}},
			{"OKNone", store.VoucherFilter{CollectiveID: a, Text: "没有这个"}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.filter.Limit = -1
				got, total, err := db.FindVouchers(bg, c.filter)
				ok(t, err)
				if !reflect.DeepEqual(ids(got), ids(c.want)) || total != len(c.want) {
					t.Fatalf("ids %v total %d, want %v", ids(got), total, ids(c.want))
				}
				for _, v := range got {
					if len(v.Lines) < 2 {
						t.Fatalf("voucher %d without its lines", v.ID)
					}
				}
			})
		}
		t.Run("OKTextLiteral", func(t *testing.T) {
			// The text is searched for as typed: % and _ are not wildcards.
			pct := V(f.B.ID, "2025-06-01", rent("5")...)
			pct.Note = "按5%计提"
			p, err := db.CreateVoucher(bg, f.Accountant, pct)
			ok(t, err)
			other := create(t, f, f.B.ID, "2025-06-02", L("收取50元押金", "101", "50"), L("收取50元押金", "211", "-50"))
			for text, want := range map[string][]int64{"5%": {p.ID}, "5_": nil, "50元": {other.ID}} {
				got, _, err := db.FindVouchers(bg, store.VoucherFilter{CollectiveID: f.B.ID, Text: text, Limit: -1})
				ok(t, err)
				if !reflect.DeepEqual(ids(got), want) {
					t.Errorf("text %q finds %v, want %v", text, ids(got), want)
				}
			}
		})
		t.Run("OKTextIgnoresCase", func(t *testing.T) {
			// Both engines find Latin text in any case.
			v := create(t, f, f.B.ID, "2025-06-03", ledger.Line{Summary: "付ABC公司货款", Account: "211", Debit: A("9"), Counterparty: "ABC Co"}, L("付款", "101", "-9"))
			for _, text := range []string{"ABC", "abc", "Abc co"} {
				got, _, err := db.FindVouchers(bg, store.VoucherFilter{CollectiveID: f.B.ID, Text: text, Limit: -1})
				ok(t, err)
				if !reflect.DeepEqual(ids(got), []int64{v.ID}) {
					t.Errorf("%s: text %q finds %v, want %v", db.Engine(), text, ids(got), []int64{v.ID})
				}
			}
		})
		t.Run("OKAllCollectives", func(t *testing.T) {
			_, total, err := db.FindVouchers(bg, store.VoucherFilter{From: P("2025-02"), To: P("2025-02"), Status: ledger.Posted})
			ok(t, err)
			if total != 5 {
				t.Fatalf("total = %d, want 5", total)
			}
		})
		t.Run("OKPages", func(t *testing.T) {
			all, _, err := db.FindVouchers(bg, store.VoucherFilter{CollectiveID: a, Limit: -1})
			ok(t, err)
			var paged []int64
			for off := 0; off < 9; off += 3 {
				page, total, err := db.FindVouchers(bg, store.VoucherFilter{CollectiveID: a, Limit: 3, Offset: off})
				ok(t, err)
				if total != 7 {
					t.Fatalf("page at %d: total %d, want 7", off, total)
				}
				if want := min(3, 7-off); len(page) != want {
					t.Fatalf("page at %d has %d vouchers, want %d", off, len(page), want)
				}
				paged = append(paged, ids(page)...)
			}
			if !reflect.DeepEqual(paged, ids(all)) {
				t.Fatalf("pages %v, all %v", paged, ids(all))
			}
			def, total, err := db.FindVouchers(bg, store.VoucherFilter{})
			ok(t, err)
			if total != 12 || len(def) != 12 {
				t.Fatalf("default page: %d of %d", len(def), total)
			}
		})
	})
}

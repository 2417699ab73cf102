package store_test

import (
	"encoding/json"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

func auditTotal(t testing.TB, db *store.DB, filter store.AuditFilter) int {
	t.Helper()
	_, n, err := db.FindAuditEvents(bg, filter)
	ok(t, err)
	return n
}

func TestDB_FindAuditEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		t.Run("OKSeed", func(t *testing.T) {
			for _, c := range []struct {
				action string
				n      int
				by     jiti.UserID
			}{
				{"region.create", 4, f.Admin},
				{"collective.create", 2, f.Admin},
				{"account.create", 6, f.Accountant},
				{"household.create", 2, f.Accountant},
			} {
				es, n, err := db.FindAuditEvents(bg, store.AuditFilter{Action: c.action})
				ok(t, err)
				if n != c.n || len(es) != c.n {
					t.Errorf("%s: %d events, want %d", c.action, n, c.n)
				}
				for _, e := range es {
					if e.UserID != c.by || e.New == nil || !e.At.Equal(storetest.Now) {
						t.Errorf("%s event = %+v", c.action, e)
					}
				}
			}
			es, _, err := db.FindAuditEvents(bg, store.AuditFilter{Action: "user.create"})
			ok(t, err)
			if len(es) != 3 || es[0].UserID != f.Admin || es[0].UserName != "admin" || es[2].UserID != 0 {
				t.Errorf("user.create events = %+v (the first user is made by nobody, the others by the administrator)", es)
			}
		})
		t.Run("OKEveryWrite", func(t *testing.T) {
			type step struct {
				action   string
				by       jiti.UserID
				old, new bool
				do       func() error
			}
			var v, draft *ledger.Voucher
			var err error
			steps := []step{
				{"user.create", f.Admin, false, true, func() error {
					_, err := db.CreateUser(bg, f.Admin, jiti.User{Name: "shenji", Role: jiti.RoleAuditor, ScopeRegion: "620422"})
					return err
				}},
				{"region.create", f.Admin, false, true, func() error {
					_, err := db.CreateRegion(bg, f.Admin, jiti.Region{Code: "620422100203", Name: "东关村"})
					return err
				}},
				{"collective.create", f.Admin, false, true, func() error {
					_, err := db.CreateCollective(bg, f.Admin, jiti.Collective{Name: "东关村股份经济合作社", RegionCode: "620422100203",
						Level: jiti.LevelVillage, BooksOpenedOn: D("2025-01-01")})
					return err
				}},
				{"account.create", f.Accountant, false, true, func() error {
					_, err := db.CreateAccount(bg, f.Accountant, a, "10202", "信用社")
					return err
				}},
				{"account.deactivate", f.Accountant, true, true, func() error { return db.SetAccountActive(bg, f.Accountant, a, "10202", false) }},
				{"account.activate", f.Accountant, true, true, func() error { return db.SetAccountActive(bg, f.Accountant, a, "10202", true) }},
				{"account.delete", f.Accountant, true, false, func() error { return db.DeleteAccount(bg, f.Accountant, a, "10202") }},
				{"household.create", f.Accountant, false, true, func() error {
					return db.CreateHouseholds(bg, f.Accountant, a, []store.Household{{Code: "H003", Name: "王五"}})
				}},
				{"opening.set", f.Accountant, true, true, func() error {
					return db.SetOpeningBalances(bg, f.Accountant, a, []store.OpeningBalance{{Account: "101", Debit: A("5")}, {Account: "301", Credit: A("5")}})
				}},
				{"opening.set", f.Accountant, true, true, func() error {
					return db.SetOpeningBalances(bg, f.Accountant, a, []store.OpeningBalance{{Account: "101", Debit: A("6")}, {Account: "301", Credit: A("6")}})
				}},
				{"voucher.create", f.Accountant, false, true, func() error {
					v, err = db.CreateVoucher(bg, f.Accountant, V(a, "2025-02-01", rent("10")...))
					return err
				}},
				{"voucher.update", f.Accountant, true, true, func() error {
					_, err := db.UpdateVoucher(bg, f.Accountant, v.ID, V(a, "2025-02-02", rent("11")...))
					return err
				}},
				{"voucher.approve", f.Approver, true, true, func() error { return db.ApproveVoucher(bg, f.Approver, v.ID) }},
				{"voucher.unapprove", f.Approver, true, true, func() error { return db.UnapproveVoucher(bg, f.Approver, v.ID) }},
				{"voucher.approve", f.Approver, true, true, func() error { return db.ApproveVoucher(bg, f.Approver, v.ID) }},
				{"voucher.post", f.Accountant, true, true, func() error {
					_, err := db.PostVoucher(bg, f.Accountant, v.ID)
					return err
				}},
				{"voucher.reverse", f.Accountant, false, true, func() error {
					draft, err = db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-02-03"))
					return err
				}},
				{"voucher.delete", f.Accountant, true, false, func() error { return db.DeleteVoucher(bg, f.Accountant, draft.ID) }},
				{"period.close", f.Accountant, true, true, func() error { return db.ClosePeriod(bg, f.Accountant, a, P("2025-01")) }},
				{"period.reopen", f.Accountant, true, true, func() error { return db.ReopenPeriod(bg, f.Accountant, a, P("2025-01"), "补记") }},
				{"voucher.import", f.Accountant, false, true, func() error {
					_, err := db.ImportVouchers(bg, f.Accountant, storetest.NewSliceSource(V(a, "2025-03-01", rent("1")...), V(a, "2025-03-02", rent("2")...)), "x.csv")
					return err
				}},
				{"voucher.approve_batch", f.Approver, false, true, func() error {
					_, _, err := db.ApproveVouchers(bg, f.Approver, a, P("2025-03"), P("2025-03"))
					return err
				}},
				{"voucher.post_batch", f.Accountant, false, true, func() error {
					_, err := db.PostVouchers(bg, f.Accountant, a, P("2025-03"), P("2025-03"))
					return err
				}},
			}
			for i, s := range steps {
				before := auditTotal(t, db, store.AuditFilter{})
				if err := s.do(); err != nil {
					t.Fatalf("step %d %s: %v", i+1, s.action, err)
				}
				if n := auditTotal(t, db, store.AuditFilter{}); n != before+1 {
					t.Errorf("step %d %s: %d events added, want 1", i+1, s.action, n-before)
				}
				e := lastEvent(t, db, s.action)
				all, _, _ := db.FindAuditEvents(bg, store.AuditFilter{Limit: 1})
				if len(all) == 0 || all[0].ID != e.ID {
					t.Errorf("step %d: the newest event is not %s", i+1, s.action)
				}
				if e.UserID != s.by || e.UserName == "" || !e.At.Equal(storetest.Now) {
					t.Errorf("step %d %s: user %d %q at %v, want user %d", i+1, s.action, e.UserID, e.UserName, e.At, s.by)
				}
				if (e.Old != nil) != s.old || (e.New != nil) != s.new {
					t.Errorf("step %d %s: old %s new %s; want old %v new %v", i+1, s.action, e.Old, e.New, s.old, s.new)
				}
			}
			// Old and new values of updates say what changed.
			e := lastEvent(t, db, "voucher.post")
			if decode(t, e.Old)["status"] != "approved" || decode(t, e.New)["status"] != "posted" || decode(t, e.New)["number"] != float64(1) {
				t.Errorf("voucher.post old %s new %s", e.Old, e.New)
			}
			e = lastEvent(t, db, "opening.set")
			if string(e.Old) == "null" || decode0(t, e.Old)["debit"] == decode0(t, e.New)["debit"] {
				t.Errorf("opening.set old %s new %s", e.Old, e.New)
			}
			es, _, _ := db.FindAuditEvents(bg, store.AuditFilter{Action: "voucher.update", EntityID: itoa(v.ID)})
			if len(es) != 1 || decode(t, es[0].Old)["date"] != "2025-02-01" || decode(t, es[0].New)["date"] != "2025-02-02" {
				t.Errorf("voucher.update = %+v", es)
			}
		})
		t.Run("OKRefusedWriteLeavesNone", func(t *testing.T) {
			before := auditTotal(t, db, store.AuditFilter{})
			_, err := db.CreateVoucher(bg, f.Accountant, V(a, "2025-04-01", L("收租", "10201", "1"), L("收租", "50101", "-2")))
			wantErr(t, err, ledger.ErrUnbalanced, "lines")
			wantErr(t, db.ClosePeriod(bg, f.Approver, a, P("2025-01")), jiti.ErrRoleCannot, "-")
			if n := auditTotal(t, db, store.AuditFilter{}); n != before {
				t.Fatalf("refused writes left %d events", n-before)
			}
		})
		t.Run("OKFilters", func(t *testing.T) {
			v := f.Post(t, f.B.ID, "2025-05-01", rent("1")...)
			es, n, err := db.FindAuditEvents(bg, store.AuditFilter{Entity: "voucher", EntityID: itoa(v.ID)})
			ok(t, err)
			if n != 3 || es[0].Action != "voucher.post" || es[1].Action != "voucher.approve" || es[2].Action != "voucher.create" {
				t.Fatalf("events of voucher %d: %+v", v.ID, es)
			}
			es, n, err = db.FindAuditEvents(bg, store.AuditFilter{CollectiveID: f.B.ID, Limit: -1})
			ok(t, err)
			for _, e := range es {
				if e.CollectiveID != f.B.ID {
					t.Fatalf("B's events hold %+v", e)
				}
			}
			total := auditTotal(t, db, store.AuditFilter{})
			var ids []int64
			for off := 0; off < total; off += 7 {
				page, n, err := db.FindAuditEvents(bg, store.AuditFilter{Limit: 7, Offset: off})
				ok(t, err)
				if n != total {
					t.Fatalf("total %d, want %d", n, total)
				}
				for _, e := range page {
					if len(ids) > 0 && e.ID >= ids[len(ids)-1] {
						t.Fatalf("events not newest first: %d after %d", e.ID, ids[len(ids)-1])
					}
					ids = append(ids, e.ID)
				}
			}
			if len(ids) != total {
				t.Fatalf("pages gave %d events of %d", len(ids), total)
			}
		})
	})
}

// decode0 decodes the first element of an audit value that is a JSON array.
func decode0(t testing.TB, raw []byte) map[string]any {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
		t.Fatalf("audit value %s: %v", raw, err)
	}
	return list[0]
}

package store_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// recordProblems verifies collective cid (0: everything) and returns its
// problems about register records (an asset's cost changed is also a
// register that disagrees with the books: that is not this test's).
func recordProblems(t testing.TB, db *store.DB, cid int64) []store.Problem {
	t.Helper()
	rep, err := db.Verify(bg, cid)
	ok(t, err)
	var out []store.Problem
	for _, p := range rep.Problems {
		if p.Entity != "" {
			out = append(out, p)
		}
	}
	return out
}

// wantRecord checks that the problems are exactly one of kind naming the
// record entity id with the fields given.
func wantRecord(t testing.TB, ps []store.Problem, kind, entity string, id any, fields ...string) {
	t.Helper()
	if len(ps) != 1 {
		t.Fatalf("problems = %+v, want one %s of %s %v", ps, kind, entity, id)
	}
	p := ps[0]
	if p.Kind != kind || p.Entity != entity || p.EntityID != fmt.Sprint(id) || !reflect.DeepEqual(p.Fields, fields) {
		t.Fatalf("problem = %+v, want %s of %s %v, fields %v", p, kind, entity, id, fields)
	}
}

// TestDB_VerifyRecords changes register records behind the store's back,
// as direct SQL on the database would, and checks that verify names the
// record and the field that no longer equals its latest audit event; once
// the row is put back, verify is clean again.
func TestDB_VerifyRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		cid := f.A.ID
		a := addAsset(t, f, asset(cid, "ZC-001", "2025-02-10", "24000", 120))
		r := addResource(t, f, cid, "ZY-001", "12.5", register.CollectiveOperated)
		k := contract(cid, "HT-001", register.Lease, "2025-03-01", "2027-02-28", "90000", register.Yearly, subjectAsset(a.ID))
		k.Party = register.Party{Kind: register.Person, Name: "张三", IDNumber: storetest.IDNumber("62042219800101123")}
		c := addContract(t, f, k, "2025-03-01") // signing leases the asset out: audited as the asset's act
		viewer := f.AddUser(t, "chakan", jiti.RoleCountyViewer, "620422")
		rep, err := db.Verify(bg, 0)
		ok(t, err)
		if !rep.OK() || rep.Records < 9 {
			t.Fatalf("clean registers: %+v", rep)
		}
		if got := findAsset(t, db, a.ID); got.Status != register.LeasedOut {
			t.Fatalf("asset after signing: %+v", got)
		}
		for _, c := range []struct {
			name           string
			tamper, undo   string
			args, undoArgs []any
			cid            int64
			kind, entity   string
			id             any
			fields         []string
		}{
			{"AssetCost", `UPDATE assets SET cost = cost + 1 WHERE id = ?`, `UPDATE assets SET cost = cost - 1 WHERE id = ?`,
				[]any{a.ID}, []any{a.ID}, cid, "verify.record_changed", "asset", a.ID, []string{"cost"}},
			{"AssetStatus", `UPDATE assets SET status = 'idle' WHERE id = ?`, `UPDATE assets SET status = 'leased_out' WHERE id = ?`,
				[]any{a.ID}, []any{a.ID}, cid, "verify.record_changed", "asset", a.ID, []string{"status"}},
			{"ResourceArea", `UPDATE resources SET area = 1 WHERE id = ?`, `UPDATE resources SET area = 1250 WHERE id = ?`,
				[]any{r.ID}, []any{r.ID}, cid, "verify.record_changed", "resource", r.ID, []string{"area"}},
			{"ContractAmount", `UPDATE contracts SET amount = 100 WHERE id = ?`, `UPDATE contracts SET amount = 9000000 WHERE id = ?`,
				[]any{c.ID}, []any{c.ID}, cid, "verify.record_changed", "contract", c.ID, []string{"amount"}},
			{"ContractParty", `UPDATE contracts SET party_name = '李四', party_id_masked = '' WHERE id = ?`,
				`UPDATE contracts SET party_name = '张三', party_id_masked = ? WHERE id = ?`,
				[]any{c.ID}, []any{c.Party.IDNumber.String(), c.ID}, cid, "verify.record_changed", "contract", c.ID,
				[]string{"party.id_number", "party.name"}},
			{"ContractSubject", `UPDATE contract_subjects SET area = 5 WHERE contract_id = ?`, `UPDATE contract_subjects SET area = 0 WHERE contract_id = ?`,
				[]any{c.ID}, []any{c.ID}, cid, "verify.record_changed", "contract", c.ID, []string{"subjects"}},
			{"UserRole", `UPDATE users SET role = 'county_admin' WHERE id = ?`, `UPDATE users SET role = 'county_viewer' WHERE id = ?`,
				[]any{int64(viewer)}, []any{int64(viewer)}, 0, "verify.record_changed", "user", viewer, []string{"role"}},
			{"UserScope", `UPDATE users SET scope_region = NULL WHERE id = ?`, `UPDATE users SET scope_region = '620422' WHERE id = ?`,
				[]any{int64(viewer)}, []any{int64(viewer)}, 0, "verify.record_changed", "user", viewer, []string{"scope_region"}},
			{"UserCollectives", `INSERT INTO user_collectives (user_id, collective_id) VALUES (?, ?)`, `DELETE FROM user_collectives WHERE user_id = ?`,
				[]any{int64(viewer), f.B.ID}, []any{int64(viewer)}, 0, "verify.record_changed", "user", viewer, []string{"scope_collectives"}},
			{"UserEnabled", `UPDATE users SET is_disabled = ? WHERE id = ?`, `UPDATE users SET is_disabled = ? WHERE id = ?`,
				[]any{true, int64(viewer)}, []any{false, int64(viewer)}, 0, "verify.record_changed", "user", viewer, []string{"disabled"}},
			{"HouseholdName", `UPDATE households SET name = '王五' WHERE collective_id = ? AND code = 'H001'`,
				`UPDATE households SET name = '张三' WHERE collective_id = ? AND code = 'H001'`,
				[]any{cid}, []any{cid}, cid, "verify.record_changed", "household", "H001", []string{"name"}},
			{"HouseholdAdded", `INSERT INTO households (collective_id, code, name) VALUES (?, 'H999', '赵六')`,
				`DELETE FROM households WHERE collective_id = ? AND code = 'H999'`,
				[]any{cid}, []any{cid}, cid, "verify.record_unaudited", "household", "H999", nil},
			{"ResourceAdded", `INSERT INTO resources (id, collective_id, code, name, kind, area, use_as, use_since, created_at)
VALUES (9999, ?, 'ZY-X', '荒山', 'barren', 100, 'idle', '2025-01-01', '2025-12-31T10:00:00Z')`, `DELETE FROM resources WHERE id = 9999`,
				[]any{cid}, nil, cid, "verify.record_unaudited", "resource", 9999, nil},
		} {
			t.Run("Err"+c.name, func(t *testing.T) {
				ok(t, storetest.Exec(db, c.tamper, c.args...))
				undone := false
				defer func() {
					if !undone {
						ok(t, storetest.Exec(db, c.undo, c.undoArgs...))
					}
				}()
				ps := recordProblems(t, db, c.cid)
				wantRecord(t, ps, c.kind, c.entity, c.id, c.fields...)
				if ps[0].CollectiveID != c.cid || (c.kind == "verify.record_changed" && ps[0].EventID == 0) {
					t.Fatalf("problem = %+v", ps[0])
				}
				undone = true
				ok(t, storetest.Exec(db, c.undo, c.undoArgs...))
				verifyClean(t, db, 0)
			})
		}
		t.Run("ErrContractDeleted", func(t *testing.T) {
			k := addContract(t, f, contract(cid, "HT-002", register.Service, "2025-01-01", "2025-12-31", "1000", register.Once), "")
			verifyClean(t, db, cid)
			for _, q := range []string{`DELETE FROM instalments WHERE contract_id = ?`, `DELETE FROM contracts WHERE id = ?`} {
				ok(t, storetest.Exec(db, q, k.ID))
			}
			wantRecord(t, recordProblems(t, db, cid), "verify.record_removed", "contract", k.ID)
		})
		t.Run("OKDeletedThroughJiti", func(t *testing.T) {
			b := addAsset(t, f, existing(f.B.ID, "ZC-9", "2020-01-01", "100", 60, "0", 0, register.Idle, "2025-01-01"))
			ok(t, db.DeleteAsset(bg, f.Accountant, b.ID))
			verifyClean(t, db, f.B.ID)
		})
	})
}

// TestDB_RecordsProperty runs random valid acts on users, resources,
// households, assets and contracts (created, changed, disabled, deleted)
// and checks that verify finds every record equal to its latest event;
// then changes one field of a random record behind the store's back and
// checks that verify names that record and that field.
func TestDB_RecordsProperty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		rng := rand.New(rand.NewPCG(9, 2025))
		cid := f.A.ID
		var users []jiti.UserID
		var resources, assets []int64
		contracted := map[int64]bool{} // assets a contract names cannot be deleted
		done := map[string]int{}
		day := D("2025-01-01") // every act is dated a day after the one before
		for i := 0; i < 120; i++ {
			day = day.AddDays(2)
			switch op := rng.IntN(9); {
			case op == 0 || len(users) == 0:
				u, err := db.CreateUser(bg, f.Admin, jiti.User{Name: fmt.Sprintf("u%d", i), Role: jiti.RoleCountyViewer, ScopeRegion: "620422"})
				ok(t, err)
				users = append(users, u.ID)
				done["user"]++
			case op == 1:
				id := users[rng.IntN(len(users))]
				upd := jiti.User{DisplayName: fmt.Sprintf("用户%d", i), Role: jiti.RoleCountyViewer}
				if rng.IntN(2) == 0 {
					upd.ScopeRegion = "620422100"
				} else {
					upd.ScopeCollectives = []int64{f.B.ID, f.A.ID}
				}
				_, err := db.UpdateUser(bg, f.Admin, id, upd)
				ok(t, err)
				done["user.update"]++
			case op == 2:
				id := users[rng.IntN(len(users))]
				u, err := db.FindUser(bg, id)
				ok(t, err)
				ok(t, db.SetUserDisabled(bg, f.Admin, id, !u.Disabled))
				done["user.disable"]++
			case op == 3 || len(resources) == 0:
				r := addResource(t, f, cid, fmt.Sprintf("ZY-%03d", i), fmt.Sprintf("%d.%02d", 1+rng.IntN(90), rng.IntN(100)), register.CollectiveOperated)
				resources = append(resources, r.ID)
				done["resource"]++
			case op == 4:
				id := resources[rng.IntN(len(resources))]
				uses := []register.ResourceUse{register.ResourceIdle, register.CollectiveOperated}
				r, err := db.FindResources(bg, store.ResourceFilter{CollectiveID: cid})
				ok(t, err)
				for _, x := range r {
					if x.ID == id {
						to := uses[rng.IntN(2)]
						if to != x.Use {
							ok(t, db.ChangeResourceUse(bg, f.Accountant, id, to, day))
							done["resource.use"]++
						}
					}
				}
			case op == 5:
				ok(t, db.CreateHouseholds(bg, f.Accountant, cid, []store.Household{{Code: fmt.Sprintf("H%03d", 100+i), Name: "农户"}}))
				done["households"]++
			case op == 6 || len(assets) == 0:
				a := addAsset(t, f, existing(cid, fmt.Sprintf("ZC-%03d", i), "2020-01-01", fmt.Sprint(100+rng.IntN(10000)), 60, "0", 0, register.InUse, "2025-01-01"))
				assets = append(assets, a.ID)
				done["asset"]++
			case op == 7:
				j := rng.IntN(len(assets))
				a := findAsset(t, db, assets[j])
				if rng.IntN(2) == 0 && !contracted[a.ID] {
					ok(t, db.DeleteAsset(bg, f.Accountant, a.ID))
					assets = append(assets[:j], assets[j+1:]...)
					done["asset.delete"]++
				} else {
					to := register.Idle
					if a.Status == register.Idle {
						to = register.InUse
					}
					ok(t, db.ChangeAssetStatus(bg, f.Accountant, a.ID, to, day, "随机"))
					done["asset.status"]++
				}
			case op == 8:
				a := findAsset(t, db, assets[rng.IntN(len(assets))])
				if a.Status != register.InUse && a.Status != register.Idle {
					continue
				}
				k := addContract(t, f, contract(cid, fmt.Sprintf("HT-%03d", i), register.Lease, day.String(), day.AddDays(364).String(), "3000",
					register.Yearly, subjectAsset(a.ID)), "")
				contracted[a.ID] = true
				if rng.IntN(2) == 0 {
					ok(t, db.SignContract(bg, f.Accountant, k.ID, day))
					ok(t, db.TerminateContract(bg, f.Accountant, k.ID, day.AddDays(1), "随机解除"))
					done["contract.terminate"]++
				} else {
					ok(t, db.DeleteContract(bg, f.Accountant, k.ID))
					done["contract.delete"]++
				}
			}
		}
		t.Logf("acts: %v", done)
		for _, op := range []string{"user.update", "user.disable", "resource.use", "asset.delete", "asset.status", "contract.terminate", "contract.delete"} {
			if done[op] < 2 {
				t.Fatalf("the random acts hardly exercise %s: %v", op, done)
			}
		}
		// The assets were on the books before: their cost is in the
		// opening balance of 151.
		var cost jiti.Amount
		for _, id := range assets {
			cost += findAsset(t, db, id).Cost
		}
		ok(t, db.SetOpeningBalances(bg, f.Accountant, cid, []store.OpeningBalance{{Account: "151", Debit: cost}, {Account: "301", Credit: cost}}))
		verifyClean(t, db, 0)

		// One field of one random record, changed behind the store's back.
		for i := 0; i < 6; i++ {
			var c struct {
				tamper, undo string
				id           int64
				entity       string
				cid          int64
				field        string
			}
			switch rng.IntN(3) {
			case 0:
				c.id, c.entity, c.cid, c.field = assets[rng.IntN(len(assets))], "asset", cid, "name"
				c.tamper, c.undo = `UPDATE assets SET name = name || '改' WHERE id = ?`, `UPDATE assets SET name = substr(name, 1, length(name) - 1) WHERE id = ?`
			case 1:
				c.id, c.entity, c.cid, c.field = resources[rng.IntN(len(resources))], "resource", cid, "location"
				c.tamper, c.undo = `UPDATE resources SET location = 'X' WHERE id = ?`, `UPDATE resources SET location = '' WHERE id = ?`
			default:
				c.id, c.entity, c.cid, c.field = int64(users[rng.IntN(len(users))]), "user", 0, "display_name"
				c.tamper, c.undo = `UPDATE users SET display_name = display_name || '改' WHERE id = ?`,
					`UPDATE users SET display_name = substr(display_name, 1, length(display_name) - 1) WHERE id = ?`
			}
			ok(t, storetest.Exec(db, c.tamper, c.id))
			wantRecord(t, recordProblems(t, db, c.cid), "verify.record_changed", c.entity, c.id, c.field)
			ok(t, storetest.Exec(db, c.undo, c.id))
			verifyClean(t, db, 0)
		}
	})
}

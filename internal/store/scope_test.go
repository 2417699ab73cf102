package store_test

import (
	"context"
	"errors"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestView_Scope checks that every read through a View keeps to the user's
// scope: another township's or village's collective, voucher, region and
// figures read as not found, lists leave them out, and the roles that may
// not list users or read the audit log are refused.
func TestView_Scope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := storetest.Seed(t, db)
		// A second township with one village, to be out of the township
		// supervisor's scope.
		r, err := jiti.NewRegion("620422101", "郭城驿镇")
		ok(t, err)
		_, err = db.CreateRegion(ctx, f.Admin, r)
		ok(t, err)
		r, err = jiti.NewRegion("620422101201", "红堡子村")
		ok(t, err)
		_, err = db.CreateRegion(ctx, f.Admin, r)
		ok(t, err)
		other, err := db.CreateCollective(ctx, f.Admin, jiti.Collective{Name: "红堡子村股份经济合作社", RegionCode: "620422101201",
			Level: jiti.LevelVillage, BooksOpenedOn: jiti.MustDate("2025-01-01")})
		ok(t, err)
		va, err := db.CreateUser(ctx, f.Admin, jiti.User{Name: "cunkuaiji", Role: jiti.RoleVillageAccountant, ScopeCollectives: []int64{f.A.ID}})
		ok(t, err)
		vA := f.Post(t, f.A.ID, "2025-03-01", storetest.Line("租金", "10201", "100"), storetest.Line("租金", "50101", "-100"))
		vB := f.Post(t, f.B.ID, "2025-03-01", storetest.Line("租金", "10201", "200"), storetest.Line("租金", "50101", "-200"))

		type want struct {
			collectives []int64  // in scope, by id
			regions     []string // visible
			hidden      []string // not visible
			vouchers    []int64  // readable
			users       bool     // may list users
			audit       bool
		}
		all := []int64{f.A.ID, f.B.ID, other.ID}
		cases := []struct {
			name string
			user jiti.UserID
			want want
		}{
			{"county admin", f.Admin, want{all, []string{"620422", "620422101", "620422100201"}, nil, []int64{vA.ID, vB.ID}, true, true}},
			{"township supervisor", f.Approver, want{[]int64{f.A.ID, f.B.ID}, []string{"620422100", "620422100202"}, []string{"620422", "620422101", "620422101201"}, []int64{vA.ID, vB.ID}, false, false}},
			{"village accountant", va.ID, want{[]int64{f.A.ID}, []string{"620422100201"}, []string{"620422", "620422100", "620422100202", "620422101"}, []int64{vA.ID}, false, false}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				v, err := db.ViewAs(ctx, c.user)
				ok(t, err)
				cs, err := v.Collectives(ctx, "")
				ok(t, err)
				var ids []int64
				for _, col := range cs {
					ids = append(ids, col.ID)
				}
				if !equalIDs(ids, c.want.collectives) {
					t.Errorf("Collectives = %v, want %v", ids, c.want.collectives)
				}
				for _, id := range all {
					_, err := v.Collective(ctx, id)
					in := containsID(c.want.collectives, id)
					if in && err != nil || !in && !errors.Is(err, jiti.ErrNotFound) {
						t.Errorf("Collective(%d): err = %v, in scope %v", id, err, in)
					}
					_, _, err = v.Vouchers(ctx, store.VoucherFilter{CollectiveID: id})
					if in && err != nil || !in && !errors.Is(err, jiti.ErrNotFound) {
						t.Errorf("Vouchers(%d): err = %v, in scope %v", id, err, in)
					}
					_, err = v.TrialBalance(ctx, id, 202501, 202512, false)
					if in && err != nil || !in && !errors.Is(err, jiti.ErrNotFound) {
						t.Errorf("TrialBalance(%d): err = %v, in scope %v", id, err, in)
					}
				}
				for _, id := range []int64{vA.ID, vB.ID} {
					_, err := v.Voucher(ctx, id)
					in := containsID(c.want.vouchers, id)
					if in && err != nil || !in && !errors.Is(err, jiti.ErrNotFound) {
						t.Errorf("Voucher(%d): err = %v, readable %v", id, err, in)
					}
				}
				for _, code := range c.want.regions {
					if _, err := v.Region(ctx, code); err != nil {
						t.Errorf("Region(%s): %v, want visible", code, err)
					}
					if _, err := v.Stats(ctx, code, 2025); err != nil {
						t.Errorf("Stats(%s): %v", code, err)
					}
				}
				for _, code := range c.want.hidden {
					if _, err := v.Region(ctx, code); !errors.Is(err, jiti.ErrNotFound) {
						t.Errorf("Region(%s): err = %v, want not found", code, err)
					}
					if _, err := v.Stats(ctx, code, 2025); !errors.Is(err, jiti.ErrNotFound) {
						t.Errorf("Stats(%s): err = %v, want not found", code, err)
					}
				}
				if _, err := v.Users(ctx); (err == nil) != c.want.users {
					t.Errorf("Users: err = %v, want allowed %v", err, c.want.users)
				}
				if v.CanAudit() != c.want.audit {
					t.Errorf("CanAudit = %v", v.CanAudit())
				}
			})
		}
		home := map[jiti.UserID]string{f.Admin: "620422", f.Approver: "620422100", va.ID: "620422100201"}
		for id, want := range home {
			v, err := db.ViewAs(ctx, id)
			ok(t, err)
			if got, err := v.Home(ctx); err != nil || got != want {
				t.Errorf("Home of %d = %q, %v; want %q", id, got, err, want)
			}
		}
		if _, err := db.ViewAs(ctx, 9999); !errors.Is(err, store.ErrNoActor) {
			t.Errorf("ViewAs(unknown): err = %v", err)
		}
	})
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

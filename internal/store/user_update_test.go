package store_test

import (
	"context"
	"errors"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestUpdateUser moves a user's scope, which holds from the next read;
// refuses users changing their own role, non-administrators, and unknown
// regions; and audits the change with the old and new user.
func TestUpdateUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := storetest.Seed(t, db)
		r, err := jiti.NewRegion("620422101", "郭城驿镇")
		ok(t, err)
		_, err = db.CreateRegion(ctx, f.Admin, r)
		ok(t, err)
		kj, err := db.FindUser(ctx, f.Accountant)
		ok(t, err)

		upd := *kj
		upd.ScopeRegion, upd.DisplayName = "620422101", "郭城驿镇代理会计"
		got, err := db.UpdateUser(ctx, f.Admin, kj.ID, upd)
		ok(t, err)
		if got.ScopeRegion != "620422101" || got.Name != kj.Name {
			t.Errorf("updated user: %+v", got)
		}
		v, err := db.ViewAs(ctx, kj.ID)
		ok(t, err)
		if _, err := v.Collective(ctx, f.A.ID); !errors.Is(err, jiti.ErrNotFound) {
			t.Errorf("after the move, the old township's collective: err = %v, want not found", err)
		}
		if e := lastEvent(t, db, "user.update"); e.EntityID == "" || e.Old == nil || e.New == nil {
			t.Errorf("audit event of the update: %+v", e)
		}

		self := upd
		self.Role = jiti.RoleCountyAdmin
		if _, err := db.UpdateUser(ctx, kj.ID, kj.ID, self); !errors.Is(err, store.ErrOwnRole) {
			t.Errorf("raising one's own role: err = %v", err)
		}
		self = upd
		self.DisplayName = "新名字"
		if _, err := db.UpdateUser(ctx, kj.ID, kj.ID, self); err != nil {
			t.Errorf("changing one's own display name: %v", err)
		}
		if _, err := db.UpdateUser(ctx, f.Approver, kj.ID, upd); !errors.Is(err, jiti.ErrRoleCannot) {
			t.Errorf("a supervisor changing a user: err = %v", err)
		}
		bad := upd
		bad.ScopeRegion = "620422199"
		_, err = db.UpdateUser(ctx, f.Admin, kj.ID, bad)
		wantErr(t, err, jiti.ErrNotFound, "scope_region")
	})
}

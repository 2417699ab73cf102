package store

import (
	"context"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// The registers as one user may read them: a list of one collective needs
// the collective in scope, a list of a region needs the region visible (so
// every collective under it is in scope); anything else reads as not found,
// exactly like a collective or region that does not exist.

// requireRegisters checks the scope of a register filter: its collective
// when it names one, else its region.
func (v *View) requireRegisters(ctx context.Context, cid int64, region string) error {
	if cid != 0 {
		return v.requireCollective(ctx, cid)
	}
	return v.requireRegion(ctx, region)
}

// Assets lists the assets of a collective in scope or a visible region.
func (v *View) Assets(ctx context.Context, f AssetFilter) ([]register.Asset, error) {
	if err := v.requireRegisters(ctx, f.CollectiveID, f.Region); err != nil {
		return nil, err
	}
	return v.db.FindAssets(ctx, f)
}

// Contracts lists the contracts of a collective in scope or a visible
// region, with their subjects.
func (v *View) Contracts(ctx context.Context, f ContractFilter) ([]*register.Contract, error) {
	if err := v.requireRegisters(ctx, f.CollectiveID, f.Region); err != nil {
		return nil, err
	}
	return v.db.FindContracts(ctx, f)
}

// Resources lists the land resources of a collective in scope or a visible
// region.
func (v *View) Resources(ctx context.Context, f ResourceFilter) ([]register.Resource, error) {
	if err := v.requireRegisters(ctx, f.CollectiveID, f.Region); err != nil {
		return nil, err
	}
	return v.db.FindResources(ctx, f)
}

// FindResource returns a land resource of a collective in scope; any
// other is not found, as one that does not exist.
func (v *View) FindResource(ctx context.Context, id int64) (*register.Resource, error) {
	rs, err := v.db.FindResources(ctx, ResourceFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 || v.requireCollective(ctx, rs[0].CollectiveID) != nil {
		return nil, jiti.ErrNotFound.With("resource", id)
	}
	return &rs[0], nil
}

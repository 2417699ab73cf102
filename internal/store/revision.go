package store

import (
	"context"
	"sync"

	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
)

// Figures a page shows again and again (a region's roll-up, its monthly
// trend, its register warnings) are kept in memory between requests, keyed
// by the revision of everything they are computed from, so a cached figure
// is never stale: any write behind it changes the key.

// revision identifies the state of a region's records: the sum of its
// collectives' revisions and chain heads (a collective's revision moves
// with every audited write to it, its chain with every posted voucher, and
// neither ever goes back), their number, and the deployment's revision of
// layouts, tiers, benchmarks and regions.
type revision struct{ sum, collectives, regions int64 }

func (db *DB) revisionOf(ctx context.Context, region string) (revision, error) {
	var r revision
	err := db.reader().queryRow(ctx, `SELECT COALESCE(SUM(rev + chain_seq), 0), COUNT(*),
  (SELECT rev FROM revisions WHERE name = 'regions') FROM collectives WHERE region_code LIKE ?`,
		region+"%").Scan(&r.sum, &r.collectives, &r.regions)
	return r, err
}

// revision returns a region's revision, read once per View: a page asks
// for several figures of one region, and they are of one moment anyway.
func (v *View) revision(ctx context.Context, region string) (revision, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if r, ok := v.revs[region]; ok {
		return r, nil
	}
	r, err := v.db.revisionOf(ctx, region)
	if err != nil {
		return r, err
	}
	if v.revs == nil {
		v.revs = map[string]revision{}
	}
	v.revs[region] = r
	return r, nil
}

// advance moves the revision a write changes: its collective's, or, for
// the records of no collective that figures depend on, the deployment's.
// It runs in the write's transaction, from audit; a collective the
// transaction holds locked moves once however many writes it makes.
func (t *Tx) advance(ctx context.Context, entity string, collective int64) error {
	if h := t.collectives[collective]; h != nil {
		h.rev = true // written with the rest of the row, before commit
		return nil
	}
	if collective != 0 {
		return t.later(ctx, nil, `UPDATE collectives SET rev = rev + 1 WHERE id = ?`, collective)
	}
	if entity == "region" {
		return t.later(ctx, nil, `UPDATE revisions SET rev = rev + 1 WHERE name = 'regions'`)
	}
	return nil
}

// figureKey names a cached figure: what it is and of which region, year
// or filter, at a revision.
type figureKey struct {
	kind   string
	region string
	year   int
	filter WarningFilter
	rev    revision
}

// figureCache holds computed figures. Entries of an old revision are never
// asked for again; they leave when the cache fills and starts over.
type figureCache struct {
	mu      sync.Mutex
	entries map[figureKey]any
}

// maxFigures bounds the cache: a province's regions, a few years each.
const maxFigures = 2048

// cachedFigure returns the figure of key at the region's current revision,
// computing it on a miss. Figures are shared between requests and must
// not be changed by their readers.
func cachedFigure[T any](ctx context.Context, v *View, key figureKey, compute func() (T, error)) (T, error) {
	var zero T
	db := v.db
	rev, err := v.revision(ctx, key.region)
	if err != nil {
		return zero, err
	}
	key.rev = rev
	c := &db.figures
	c.mu.Lock()
	hit, ok := c.entries[key]
	c.mu.Unlock()
	if ok {
		return hit.(T), nil
	}
	out, err := compute()
	if err != nil {
		return zero, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxFigures {
		c.entries = map[figureKey]any{}
	}
	c.entries[key] = out
	c.mu.Unlock()
	return out, nil
}

// Stats returns the statistics of a visible region. The roll-up is shared
// with other requests: read it, never change it.
func (v *View) Stats(ctx context.Context, region string, year int) (*report.Rollup, error) {
	if err := v.requireRegion(ctx, region); err != nil {
		return nil, err
	}
	return cachedFigure(ctx, v, figureKey{kind: "stats", region: region, year: year}, func() (*report.Rollup, error) {
		return v.db.Stats(ctx, region, year)
	})
}

// StatMonths returns a visible region's statistical lines month by month.
func (v *View) StatMonths(ctx context.Context, region string, year int) (*StatMonths, error) {
	if err := v.requireRegion(ctx, region); err != nil {
		return nil, err
	}
	return cachedFigure(ctx, v, figureKey{kind: "months", region: region, year: year}, func() (*StatMonths, error) {
		return v.db.StatMonths(ctx, region, year)
	})
}

// Warnings returns the register warnings of a visible region or a
// collective in scope.
func (v *View) Warnings(ctx context.Context, f WarningFilter) ([]register.Warning, error) {
	region := f.Region
	if f.CollectiveID != 0 {
		c, err := v.Collective(ctx, f.CollectiveID)
		if err != nil {
			return nil, err
		}
		region = c.RegionCode
	} else if err := v.requireRegion(ctx, f.Region); err != nil {
		return nil, err
	}
	return cachedFigure(ctx, v, figureKey{kind: "warnings", region: region, filter: f}, func() ([]register.Warning, error) {
		return v.db.Warnings(ctx, f)
	})
}

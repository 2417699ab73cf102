package store

import (
	"context"
	"database/sql"
	"strconv"
	"sync"

	"example.org/jiti"
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

// revisionOf returns a region's revision. Summing a province's 16,000
// collectives took 6 ms of every dashboard, so a region's revision is kept
// with the database's commit mark of the moment before it was summed
// (commitProbe): while the mark has not moved, nothing was committed and
// the sum stands.
func (db *DB) revisionOf(ctx context.Context, region string) (revision, error) {
	mark, err := db.commits.mark(ctx, db)
	if err != nil {
		return revision{}, err
	}
	if r, ok := db.commits.revision(region, mark); ok {
		return r, nil
	}
	var r revision
	err = db.reader().queryRow(ctx, `SELECT COALESCE(SUM(rev + chain_seq), 0), COUNT(*),
  (SELECT rev FROM revisions WHERE name = 'regions') FROM collectives WHERE region_code LIKE ?`,
		region+"%").Scan(&r.sum, &r.collectives, &r.regions)
	if err != nil {
		return r, err
	}
	db.commits.keep(region, mark, r)
	return r, nil
}

// commitProbe tells whether anything was committed to the database, by
// this process or any other, between two moments. Its mark is read before
// a revision is summed, so a commit between the two leaves the sum newer
// than its mark, never older: the next mark differs and the sum is taken
// again.
type commitProbe struct {
	mu sync.Mutex
	// conn is SQLite's probe, a read connection of its own on which PRAGMA
	// data_version moves with every commit of any other connection (it is
	// per connection, so the pool's connections cannot serve).
	conn *sql.DB
	// version counts data_version's moves: its values are only compared
	// with the last one read.
	version, last int64
	revs          map[string]markedRevision
}

type markedRevision struct {
	mark string
	rev  revision
}

// maxMarkedRevisions bounds the regions kept: a province has 17,687.
const maxMarkedRevisions = 1 << 15

// mark returns the database's commit mark: on SQLite a count of the moves
// of data_version, on PostgreSQL the current snapshot (the transactions
// completed and in flight), which changes when any write transaction ends.
func (p *commitProbe) mark(ctx context.Context, db *DB) (string, error) {
	if db.dialect == postgres {
		var snap string
		err := db.reader().queryRow(ctx, `SELECT pg_current_snapshot()::text`).Scan(&snap)
		return snap, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conn == nil {
		c, err := sql.Open("sqlite", sqliteDSN(db.dsn, true))
		if err != nil {
			return "", err
		}
		c.SetMaxOpenConns(1)
		p.conn = c
	}
	var v int64
	if err := p.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return "", err
	}
	if v != p.last {
		p.version++
		p.last = v
	}
	return strconv.FormatInt(p.version, 10), nil
}

// revision returns the revision of region kept at mark.
func (p *commitProbe) revision(region, mark string) (revision, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m, ok := p.revs[region]
	return m.rev, ok && m.mark == mark
}

// keep keeps the revision of region summed after mark was read.
func (p *commitProbe) keep(region, mark string, r revision) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.revs == nil || len(p.revs) >= maxMarkedRevisions {
		p.revs = map[string]markedRevision{}
	}
	p.revs[region] = markedRevision{mark, r}
}

// close closes SQLite's probe.
func (p *commitProbe) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conn == nil {
		return nil
	}
	err := p.conn.Close()
	p.conn = nil
	return err
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
// or filter, or of which collective and months, at a revision.
type figureKey struct {
	kind       string
	region     string
	year       int
	filter     WarningFilter
	collective int64
	from, to   jiti.Period
	all        bool
	vouchers   VoucherFilter
	rev        revision
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
	rev, err := v.revision(ctx, key.region)
	if err != nil {
		return zero, err
	}
	key.rev = rev
	return cachedIn(&v.db.figures, key, compute)
}

// cachedBooks returns a figure of one collective's books (key.collective)
// at the collective's current revision, computing it on a miss. The books
// figures have a cache of their own: a province's 16,000 collectives
// would otherwise push its regions' figures out.
func cachedBooks[T any](ctx context.Context, db *DB, key figureKey, compute func() (T, error)) (T, error) {
	var zero T
	rev, err := db.collectiveRevision(ctx, key.collective)
	if err != nil {
		return zero, err
	}
	key.rev = rev
	return cachedIn(&db.books, key, compute)
}

// collectiveRevision returns the revision of one collective's records:
// its revision and chain head, kept with the commit mark like a region's.
func (db *DB) collectiveRevision(ctx context.Context, cid int64) (revision, error) {
	mark, err := db.commits.mark(ctx, db)
	if err != nil {
		return revision{}, err
	}
	name := "#" + strconv.FormatInt(cid, 10) // no region code starts so
	if r, ok := db.commits.revision(name, mark); ok {
		return r, nil
	}
	r := revision{collectives: 1}
	err = db.reader().queryRow(ctx, `SELECT rev + chain_seq FROM collectives WHERE id = ?`, cid).Scan(&r.sum)
	if err != nil {
		return r, notFound(err, "collective", cid)
	}
	db.commits.keep(name, mark, r)
	return r, nil
}

// cachedIn returns the figure of key from c, computing it on a miss.
func cachedIn[T any](c *figureCache, key figureKey, compute func() (T, error)) (T, error) {
	var zero T
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

package store

import (
	"context"

	"example.org/jiti"
)

// CreateRegion adds a node to the region tree. Its parent is derived from
// its code; the parent need not be loaded (a county can be kept without its
// province), because roll-ups select by code prefix.
func (db *DB) CreateRegion(ctx context.Context, by jiti.UserID, r jiti.Region) (jiti.Region, error) {
	r, err := jiti.NewRegion(r.Code, r.Name)
	if err != nil {
		return r, err
	}
	err = db.tx(ctx, func(tx *Tx) error {
		if err := tx.requireAdmin(ctx, by); err != nil {
			return err
		}
		return tx.createRegion(ctx, by, r)
	})
	return r, err
}

func (t *Tx) createRegion(ctx context.Context, by jiti.UserID, r jiti.Region) error {
	_, err := t.exec(ctx, `INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?)`,
		r.Code, r.Name, int(r.Level), nullString(r.Parent))
	if isUnique(err) {
		return jiti.ErrDuplicate.With(r.Code).At("code")
	}
	if err != nil {
		return err
	}
	return t.audit(ctx, by, "region.create", "region", r.Code, 0, nil, r)
}

// CreateRegions adds many regions in one transaction: all or none.
func (db *DB) CreateRegions(ctx context.Context, by jiti.UserID, rs []jiti.Region) error {
	return db.tx(ctx, func(tx *Tx) error {
		if err := tx.requireAdmin(ctx, by); err != nil {
			return err
		}
		for _, r := range rs {
			if err := tx.createRegion(ctx, by, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindRegion returns the region with the given code.
func (db *DB) FindRegion(ctx context.Context, code string) (jiti.Region, error) {
	var r jiti.Region
	var parent *string
	err := db.reader().queryRow(ctx, `SELECT code, name, level, parent_code FROM regions WHERE code = ?`, code).
		Scan(&r.Code, &r.Name, &r.Level, &parent)
	if parent != nil {
		r.Parent = *parent
	}
	return r, notFound(err, "region", code)
}

// FindRegions returns the regions under (and including) the region with code
// prefix under, ordered by code; "" means all. With depth > 0, only levels up
// to that many below the root are listed.
func (db *DB) FindRegions(ctx context.Context, under string, depth int) ([]jiti.Region, error) {
	q := `SELECT code, name, level, COALESCE(parent_code, '') FROM regions WHERE code LIKE ?`
	args := []any{under + "%"}
	if depth > 0 && under != "" {
		q += ` AND level <= ?`
		args = append(args, int(jiti.RegionLevelOf(under))+depth)
	}
	rows, err := db.reader().query(ctx, q+` ORDER BY code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []jiti.Region
	for rows.Next() {
		var r jiti.Region
		if err := rows.Scan(&r.Code, &r.Name, &r.Level, &r.Parent); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

package store

import (
	"context"
	"errors"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// ErrResourceCodeTaken reports a resource code already used in the
// collective.
var ErrResourceCodeTaken = jiti.Errorf(jiti.Conflict, "resource.code_taken")

// CreateResource registers a land resource (资源台账).
func (db *DB) CreateResource(ctx context.Context, by jiti.UserID, r register.Resource) (*register.Resource, error) {
	err := db.tx(ctx, func(tx *Tx) error { return tx.createResource(ctx, by, &r) })
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateResources registers many resources in one transaction, all or
// none; an error names the item at fault.
func (db *DB) CreateResources(ctx context.Context, by jiti.UserID, rs []register.Resource) error {
	return db.tx(ctx, func(tx *Tx) error {
		for i := range rs {
			if err := tx.createResource(ctx, by, &rs[i]); err != nil {
				return atItem(err, i)
			}
		}
		return nil
	})
}

func (t *Tx) createResource(ctx context.Context, by jiti.UserID, r *register.Resource) error {
	if _, err := t.authorize(ctx, by, r.CollectiveID, PermKeepBooks); err != nil {
		return err
	}
	if r.UseSince.IsZero() {
		// Its use dates, unless said otherwise, from the books' opening.
		if err := t.queryRow(ctx, `SELECT books_opened_on FROM collectives WHERE id = ?`, r.CollectiveID).Scan(dbDate{&r.UseSince}); err != nil {
			return notFound(err, "collective", r.CollectiveID)
		}
	}
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	err := t.queryRow(ctx, `INSERT INTO resources (collective_id, code, name, kind, area, location, boundaries, use_as, use_since, note, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.CollectiveID, r.Code, r.Name, string(r.Kind), int64(r.Area), r.Location,
		r.Boundaries, string(r.Use), dateArg(r.UseSince), r.Note, timeArg(t.now)).Scan(&r.ID)
	if isUnique(err) {
		return ErrResourceCodeTaken.With(r.Code).At("code")
	}
	if err != nil {
		return err
	}
	return t.auditRecord(ctx, by, "resource.create", resourceRecords, r.ID, r.CollectiveID, nil, nil)
}

const resourceColumns = `id, collective_id, code, name, kind, area, location, boundaries, use_as, use_since, note`

func scanResource(s interface{ Scan(...any) error }, r *register.Resource) error {
	return s.Scan(&r.ID, &r.CollectiveID, &r.Code, &r.Name, &r.Kind, &r.Area, &r.Location, &r.Boundaries, &r.Use, dbDate{&r.UseSince}, &r.Note)
}

// ChangeResourceUse records a new use of a resource from a date.
func (db *DB) ChangeResourceUse(ctx context.Context, by jiti.UserID, id int64, use register.ResourceUse, on jiti.Date) error {
	return db.tx(ctx, func(tx *Tx) error {
		r, err := tx.loadResource(ctx, by, id)
		if err != nil {
			return err
		}
		return tx.changeUse(ctx, by, r, use, on)
	})
}

func (t *Tx) changeUse(ctx context.Context, by jiti.UserID, r *register.Resource, use register.ResourceUse, on jiti.Date) error {
	if err := register.CheckUseChange(r, use, on); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE resources SET use_as = ?, use_since = ? WHERE id = ?`, string(use), dateArg(on), r.ID); err != nil {
		return err
	}
	old := map[string]any{"use": r.Use, "since": r.UseSince}
	r.Use, r.UseSince = use, on
	return t.auditRecord(ctx, by, "resource.use", resourceRecords, r.ID, r.CollectiveID, old, nil)
}

func (t *Tx) loadResource(ctx context.Context, by jiti.UserID, id int64) (*register.Resource, error) {
	var cid int64
	if err := t.queryRow(ctx, `SELECT collective_id FROM resources WHERE id = ?`, id).Scan(&cid); err != nil {
		return nil, notFound(err, "resource", id)
	}
	if _, err := t.authorize(ctx, by, cid, PermKeepBooks); err != nil {
		if errors.Is(err, jiti.ErrNotFound) {
			return nil, jiti.ErrNotFound.With("resource", id)
		}
		return nil, err
	}
	if _, _, err := t.lockCollective(ctx, cid); err != nil {
		return nil, err
	}
	var r register.Resource
	if err := scanResource(t.queryRow(ctx, `SELECT `+resourceColumns+` FROM resources WHERE id = ?`, id), &r); err != nil {
		return nil, notFound(err, "resource", id)
	}
	return &r, nil
}

// ResourceFilter selects resources.
type ResourceFilter struct {
	ID           int64 // one resource
	CollectiveID int64
	Region       string
	Kind         register.LandKind
	Use          register.ResourceUse
}

// FindResources returns the resources that match f, by collective and code.
func (db *DB) FindResources(ctx context.Context, f ResourceFilter) ([]register.Resource, error) {
	where, args := []string{"1=1"}, []any{}
	if f.ID != 0 {
		where, args = append(where, "id = ?"), append(args, f.ID)
	}
	if f.CollectiveID != 0 {
		where, args = append(where, "collective_id = ?"), append(args, f.CollectiveID)
	}
	if f.Region != "" {
		where, args = append(where, "collective_id IN (SELECT id FROM collectives WHERE region_code LIKE ?)"), append(args, f.Region+"%")
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.Use != "" {
		where, args = append(where, "use_as = ?"), append(args, string(f.Use))
	}
	rows, err := db.reader().query(ctx, `SELECT `+resourceColumns+` FROM resources WHERE `+strings.Join(where, " AND ")+` ORDER BY collective_id, code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []register.Resource
	for rows.Next() {
		var r register.Resource
		if err := scanResource(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindResourceByCode returns the resource with the given code in a
// collective.
func (db *DB) FindResourceByCode(ctx context.Context, cid int64, code string) (*register.Resource, error) {
	var r register.Resource
	if err := scanResource(db.reader().queryRow(ctx, `SELECT `+resourceColumns+` FROM resources WHERE collective_id = ? AND code = ?`, cid, code), &r); err != nil {
		return nil, notFound(err, "resource", code)
	}
	return &r, nil
}

package store

import (
	"context"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/register"
)

// disclosureWarnings returns the quarters that ended more than a month
// before f.Today without their published disclosure
// (register.DisclosuresDue), for the collectives of f. A disclosure
// published after f.Today was not there on it.
func (db *DB) disclosureWarnings(ctx context.Context, f WarningFilter) ([]register.Warning, error) {
	where, args := "", []any{}
	switch {
	case f.CollectiveID != 0:
		where, args = "WHERE c.id = ?", []any{f.CollectiveID}
	case f.Region != "":
		where, args = "WHERE c.region_code LIKE ?", []any{f.Region + "%"}
	}
	r := db.reader()
	opened := map[int64]jiti.Date{}
	var ids []int64
	rows, err := r.query(ctx, `SELECT c.id, c.books_opened_on FROM collectives c `+where+` ORDER BY c.id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var d jiti.Date
		if err := rows.Scan(&id, dbDate{&d}); err != nil {
			rows.Close()
			return nil, err
		}
		opened[id] = d
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ds, err := findDisclosures(ctx, r, `WHERE d.status = ? AND d.kind <> ? AND d.collective_id IN (SELECT c.id FROM collectives c `+where+`)`,
		append([]any{string(DisclosurePublished), string(disclose.Matter)}, args...)...)
	if err != nil {
		return nil, err
	}
	covered := map[int64]map[jiti.Period]bool{}
	for _, d := range ds {
		if jiti.DateOf(d.PublishedAt).After(f.Today) {
			continue
		}
		if covered[d.CollectiveID] == nil {
			covered[d.CollectiveID] = map[jiti.Period]bool{}
		}
		for m := d.From; m <= d.To; m = m.Next() {
			covered[d.CollectiveID][m] = true
		}
	}
	var out []register.Warning
	for _, id := range ids {
		out = append(out, register.DisclosuresDue(id, opened[id], covered[id], f.Today)...)
	}
	return out, nil
}

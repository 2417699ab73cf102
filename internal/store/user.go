package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"example.org/jiti"
)

// CreateUser adds a user. The first user of a new database may be created
// by nobody (by = 0) and must be a county administrator; after that only a
// county administrator creates users, within the administrator's scope.
func (db *DB) CreateUser(ctx context.Context, by jiti.UserID, u jiti.User) (jiti.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	err := db.tx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if u.Role != jiti.RoleCountyAdmin {
				return ErrFirstUserAdmin.At("role")
			}
		} else {
			admin, err := tx.actor(ctx, by)
			if err != nil {
				return err
			}
			if admin.Role != jiti.RoleCountyAdmin {
				return jiti.ErrRoleCannot.With(string(admin.Role), "user.create")
			}
			if u.ScopeRegion != "" && !jiti.RegionContains(admin.ScopeRegion, u.ScopeRegion) {
				return jiti.ErrForbidden.At("scope_region")
			}
		}
		if u.ScopeRegion != "" {
			if err := tx.queryRow(ctx, `SELECT code FROM regions WHERE code = ?`, u.ScopeRegion).Scan(new(string)); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return jiti.ErrNotFound.With("region", u.ScopeRegion).At("scope_region")
				}
				return err
			}
		}
		err := tx.queryRow(ctx, `INSERT INTO users (name, display_name, role, scope_region, created_at)
VALUES (?, ?, ?, ?, ?) RETURNING id`, u.Name, u.DisplayName, string(u.Role), nullString(u.ScopeRegion), timeArg(tx.now)).Scan(&u.ID)
		if isUnique(err) {
			return jiti.ErrDuplicate.With(u.Name).At("name")
		}
		if err != nil {
			return err
		}
		for _, cid := range u.ScopeCollectives {
			if _, err := tx.exec(ctx, `INSERT INTO user_collectives (user_id, collective_id) VALUES (?, ?)`, int64(u.ID), cid); err != nil {
				if isForeignKey(err) {
					return jiti.ErrNotFound.With("collective", cid).At("scope_collectives")
				}
				return err
			}
		}
		return tx.auditRecord(ctx, by, "user.create", userRecords, int64(u.ID), 0, nil, nil)
	})
	return u, err
}

// ErrFirstUserAdmin reports a first user who is not a county administrator.
var ErrFirstUserAdmin = jiti.Errorf(jiti.Invalid, "user.first_admin")

// FindUser returns the user with the given id.
func (db *DB) FindUser(ctx context.Context, id jiti.UserID) (*jiti.User, error) {
	return findUser(ctx, db.reader(), `WHERE id = ?`, int64(id))
}

// FindUserByName returns the user with the given sign-in name.
func (db *DB) FindUserByName(ctx context.Context, name string) (*jiti.User, error) {
	return findUser(ctx, db.reader(), `WHERE name = ?`, strings.TrimSpace(name))
}

const userColumns = `id, name, display_name, role, scope_region, is_disabled`

func scanUser(scan func(...any) error, u *jiti.User) error {
	var scope sql.NullString
	err := scan(&u.ID, &u.Name, &u.DisplayName, &u.Role, &scope, &u.Disabled)
	u.ScopeRegion = scope.String
	return err
}

func findUser(ctx context.Context, q querier, where string, arg any) (*jiti.User, error) {
	var u jiti.User
	if err := scanUser(q.queryRow(ctx, `SELECT `+userColumns+` FROM users `+where, arg).Scan, &u); err != nil {
		return nil, notFound(err, "user", arg)
	}
	rows, err := q.query(ctx, `SELECT collective_id FROM user_collectives WHERE user_id = ? ORDER BY collective_id`, int64(u.ID))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		u.ScopeCollectives = append(u.ScopeCollectives, id)
	}
	return &u, rows.Err()
}

// FindUsers lists every user by name.
func (db *DB) FindUsers(ctx context.Context) ([]*jiti.User, error) {
	rows, err := db.reader().query(ctx, `SELECT id FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var ids []jiti.UserID
	for rows.Next() {
		var id jiti.UserID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]*jiti.User, 0, len(ids))
	for _, id := range ids {
		u, err := db.FindUser(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// ErrNoActor reports a write attempted without naming who does it.
var ErrNoActor = jiti.Errorf(jiti.Forbidden, "user.no_actor")

// actor loads the user who acts, refusing nobody and disabled users.
func (t *Tx) actor(ctx context.Context, by jiti.UserID) (*jiti.User, error) {
	var b batch
	actor := queueActor(&b, by)
	if err := t.send(ctx, &b); err != nil {
		return nil, err
	}
	return actor()
}

// queueActor queues the reads of the user who acts, with the user's scope;
// the function returned gives the user once the batch has run.
func queueActor(b *batch, by jiti.UserID) func() (*jiti.User, error) {
	u, found := &jiti.User{}, false
	if by != 0 {
		// A row for each collective of the scope, or one with none.
		b.query(func(scan func(...any) error) error {
			found = true
			var cid sql.NullInt64
			err := scanUser(func(dest ...any) error { return scan(append(dest, &cid)...) }, u)
			if cid.Valid {
				u.ScopeCollectives = append(u.ScopeCollectives, cid.Int64)
			}
			return err
		}, `SELECT `+userColumns+`, uc.collective_id FROM users LEFT JOIN user_collectives uc ON uc.user_id = users.id
WHERE users.id = ? ORDER BY uc.collective_id`, int64(by))
	}
	return func() (*jiti.User, error) {
		if !found {
			return nil, ErrNoActor
		}
		if u.Disabled {
			return nil, jiti.ErrUserDisabled.With(u.Name)
		}
		return u, nil
	}
}

// requireAdmin refuses anyone but a county administrator.
func (t *Tx) requireAdmin(ctx context.Context, by jiti.UserID) error {
	u, err := t.actor(ctx, by)
	if err != nil {
		return err
	}
	if u.Role != jiti.RoleCountyAdmin {
		return jiti.ErrRoleCannot.With(string(u.Role), "admin")
	}
	return nil
}

// Permission is something a user may do to a collective's books.
type Permission int

// Permissions, checked against the user's role and scope in one place.
const (
	PermRead      Permission = iota // read the books
	PermKeepBooks                   // enter, post and reverse vouchers, close periods, edit the chart
	PermApprove                     // approve vouchers
	PermAdmin                       // administer the collective itself
)

var permNames = [...]string{"read", "keep_books", "approve", "admin"}

// String returns the permission's name: "keep_books".
func (p Permission) String() string {
	if int(p) < len(permNames) {
		return permNames[p]
	}
	return "permission(" + strconv.Itoa(int(p)) + ")"
}

// PermissionNamed returns the permission of a name as String gives it, for
// the pages' templates to ask by name.
func PermissionNamed(name string) (Permission, bool) {
	for i, n := range permNames {
		if n == name {
			return Permission(i), true
		}
	}
	return 0, false
}

// allows reports whether role r grants p.
func allows(r jiti.Role, p Permission) bool {
	switch p {
	case PermRead:
		return r.Valid()
	case PermKeepBooks:
		return r.CanKeepBooks()
	case PermApprove:
		return r.CanApprove()
	case PermAdmin:
		return r == jiti.RoleCountyAdmin
	}
	return false
}

// inScope reports whether a collective in region regionCode with id cid is in
// the user's scope. An administrator without a scope region administers the
// whole deployment; anyone else without one sees only the collectives listed.
func inScope(u *jiti.User, cid int64, regionCode string) bool {
	if u.Role == jiti.RoleCountyAdmin && u.ScopeRegion == "" && len(u.ScopeCollectives) == 0 {
		return true
	}
	if u.ScopeRegion != "" && jiti.RegionContains(u.ScopeRegion, regionCode) {
		return true
	}
	for _, id := range u.ScopeCollectives {
		if id == cid {
			return true
		}
	}
	return false
}

// authorize loads the actor and checks that the role grants p and that the
// collective is in the actor's scope. A collective out of scope is reported
// as not found, so ids cannot be probed.
func (t *Tx) authorize(ctx context.Context, by jiti.UserID, cid int64, p Permission) (*jiti.User, error) {
	var b batch
	authorized := queueAuthorize(&b, by, cid, p)
	if err := t.send(ctx, &b); err != nil {
		return nil, err
	}
	return authorized()
}

// authorizeOn is authorize through any querier: an import checks its user
// on the read pool, outside the transactions that write its batches.
func authorizeOn(ctx context.Context, q querier, by jiti.UserID, cid int64, p Permission) (*jiti.User, error) {
	if by == 0 {
		return nil, ErrNoActor
	}
	u, err := findUser(ctx, q, `WHERE id = ?`, int64(by))
	if errors.Is(err, jiti.ErrNotFound) {
		return nil, ErrNoActor
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, jiti.ErrUserDisabled.With(u.Name)
	}
	var region string
	if err := q.queryRow(ctx, `SELECT region_code FROM collectives WHERE id = ?`, cid).Scan(&region); err != nil {
		return nil, notFound(err, "collective", cid)
	}
	return u, permits(u, cid, region, p)
}

// queueAuthorize queues the reads of authorize, the actor and the
// collective's region; the function returned checks them once the batch
// has run.
func queueAuthorize(b *batch, by jiti.UserID, cid int64, p Permission) func() (*jiti.User, error) {
	actor := queueActor(b, by)
	var region string
	var found bool
	b.queryRow(&found, `SELECT region_code FROM collectives WHERE id = ?`, []any{cid}, &region)
	return func() (*jiti.User, error) {
		u, err := actor()
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, jiti.ErrNotFound.With("collective", cid)
		}
		return u, permits(u, cid, region, p)
	}
}

// permits checks that the role of u grants p on the collective cid of
// region: the collective out of u's scope reads as not found.
func permits(u *jiti.User, cid int64, region string, p Permission) error {
	if !inScope(u, cid, region) {
		return jiti.ErrNotFound.With("collective", cid)
	}
	if !allows(u.Role, p) {
		return jiti.ErrRoleCannot.With(string(u.Role), p.String())
	}
	return nil
}

// ErrOwnRole reports users changing their own role or scope.
var ErrOwnRole = jiti.Errorf(jiti.Forbidden, "user.own_role")

// UpdateUser changes a user's display name, role and scope; the sign-in
// name stays. A county administrator changes users within the
// administrator's scope, to a scope within it (anyone else's reads as not
// found); users may change their own display name, never their own role
// or scope. The change holds from the user's next request: a session reads
// its user every time.
func (db *DB) UpdateUser(ctx context.Context, by, id jiti.UserID, upd jiti.User) (*jiti.User, error) {
	var out *jiti.User
	err := db.tx(ctx, func(tx *Tx) error {
		actor, target, err := tx.userAdmin(ctx, by, id, "user.update")
		if err != nil {
			return err
		}
		upd.ID, upd.Name, upd.Disabled = target.ID, target.Name, target.Disabled
		slices.Sort(upd.ScopeCollectives)
		upd.ScopeCollectives = slices.Compact(upd.ScopeCollectives)
		if err := upd.Validate(); err != nil {
			return err
		}
		if by == id && (upd.Role != target.Role || upd.ScopeRegion != target.ScopeRegion ||
			!slices.Equal(upd.ScopeCollectives, target.ScopeCollectives)) {
			return ErrOwnRole.At("role")
		}
		if upd.ScopeRegion != "" {
			if err := tx.queryRow(ctx, `SELECT code FROM regions WHERE code = ?`, upd.ScopeRegion).Scan(new(string)); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return jiti.ErrNotFound.With("region", upd.ScopeRegion).At("scope_region")
				}
				return err
			}
		}
		if ok, err := tx.manages(ctx, actor, &upd); err != nil || !ok {
			if err != nil {
				return err
			}
			return jiti.ErrForbidden.At("scope_region")
		}
		if _, err := tx.exec(ctx, `UPDATE users SET display_name = ?, role = ?, scope_region = ? WHERE id = ?`,
			upd.DisplayName, string(upd.Role), nullString(upd.ScopeRegion), int64(id)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM user_collectives WHERE user_id = ?`, int64(id)); err != nil {
			return err
		}
		for _, cid := range upd.ScopeCollectives {
			if _, err := tx.exec(ctx, `INSERT INTO user_collectives (user_id, collective_id) VALUES (?, ?)`, int64(id), cid); err != nil {
				if isForeignKey(err) {
					return jiti.ErrNotFound.With("collective", cid).At("scope_collectives")
				}
				return err
			}
		}
		out = &upd
		return tx.auditRecord(ctx, by, "user.update", userRecords, int64(id), 0, target, nil)
	})
	return out, err
}

package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
)

// View is the store as one user may read it. The web application reads
// only through a View, so a page, an API call or a guessed id can never show
// a collective outside the user's scope: lists carry the scope in their
// SQL, and a single record out of scope reads as not found, exactly like one
// that does not exist. Writes check the same scope in authorize.
//
// A View serves one request: it reads each region's revision once, so
// figures read through it after a write of the same request may predate
// the write. Take a new View to read what a write changed.
type View struct {
	db *DB
	u  *jiti.User

	mu   sync.Mutex
	revs map[string]revision        // regions' revisions, read once per View
	cols map[int64]*jiti.Collective // collectives found in scope, read once per View
	regs map[string]jiti.Region     // regions found visible, read once per View
}

// ViewAs returns the store as the user with id sees it. A disabled or
// unknown user gets ErrNoActor.
func (db *DB) ViewAs(ctx context.Context, id jiti.UserID) (*View, error) {
	u, err := findUser(ctx, db.reader(), `WHERE id = ?`, int64(id))
	if errors.Is(err, jiti.ErrNotFound) {
		return nil, ErrNoActor
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, jiti.ErrUserDisabled.With(u.Name)
	}
	return &View{db: db, u: u}, nil
}

// User returns the user the view belongs to.
func (v *View) User() *jiti.User { return v.u }

// Everything reports whether the user's scope is the whole deployment.
func (v *View) Everything() bool {
	return v.u.Role == jiti.RoleCountyAdmin && v.u.ScopeRegion == "" && len(v.u.ScopeCollectives) == 0
}

// collectiveFilter returns the SQL condition, on the columns id and
// region_code of the collectives table, that keeps the user's collectives.
func (v *View) collectiveFilter() (string, []any) {
	if v.Everything() {
		return "1=1", nil
	}
	cond := `id IN (SELECT collective_id FROM user_collectives WHERE user_id = ?)`
	args := []any{int64(v.u.ID)}
	if v.u.ScopeRegion != "" {
		cond = `(region_code LIKE ? OR ` + cond + `)`
		args = append([]any{v.u.ScopeRegion + "%"}, args...)
	}
	return cond, args
}

// Can reports whether the user's role grants p; scope is checked per
// collective by the methods themselves.
func (v *View) Can(p Permission) bool { return allows(v.u.Role, p) }

// Administers reports whether the user administers users (in scope).
func (v *View) Administers() bool { return v.u.Role == jiti.RoleCountyAdmin }

// CanAudit reports whether the user may read the audit log.
func (v *View) CanAudit() bool {
	return v.u.Role == jiti.RoleAuditor || v.u.Role == jiti.RoleCountyAdmin
}

// Collective returns a collective in scope; any other reads as not found.
// A page checks its collective several times (the page, then each read);
// the View reads it once.
func (v *View) Collective(ctx context.Context, id int64) (*jiti.Collective, error) {
	v.mu.Lock()
	c, ok := v.cols[id]
	v.mu.Unlock()
	if ok {
		return c, nil
	}
	cond, args := v.collectiveFilter()
	c = &jiti.Collective{}
	err := scanCollective(v.db.reader().queryRow(ctx, `SELECT `+collectiveColumns+` FROM collectives WHERE id = ? AND `+cond,
		append([]any{id}, args...)...), c)
	if err != nil {
		return nil, notFound(err, "collective", id)
	}
	v.mu.Lock()
	if v.cols == nil {
		v.cols = map[int64]*jiti.Collective{}
	}
	v.cols[id] = c
	v.mu.Unlock()
	return c, nil
}

// Collectives returns the collectives in scope under a region ("" for all
// in scope), ordered by code.
func (v *View) Collectives(ctx context.Context, under string) ([]jiti.Collective, error) {
	cond, args := v.collectiveFilter()
	rows, err := v.db.reader().query(ctx, `SELECT `+collectiveColumns+` FROM collectives
WHERE region_code LIKE ? AND `+cond+` ORDER BY code`, append([]any{under + "%"}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []jiti.Collective
	for rows.Next() {
		var c jiti.Collective
		if err := scanCollective(rows, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RegionVisible reports whether the user may see a region's figures: the
// region lies within the scope region, or every collective under it is in
// the user's list (a village whose collectives the user keeps). A region
// that holds collectives the user may not see is not visible, since its
// roll-up would show their figures.
func (v *View) RegionVisible(ctx context.Context, code string) (bool, error) {
	if v.Everything() || (v.u.ScopeRegion != "" && jiti.RegionContains(v.u.ScopeRegion, code)) {
		return true, nil
	}
	cond, args := v.collectiveFilter()
	var in, all int
	err := v.db.reader().queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN `+cond+` THEN 1 ELSE 0 END), 0), COUNT(*)
FROM collectives WHERE region_code LIKE ?`, append(args, code+"%")...).Scan(&in, &all)
	return all > 0 && in == all, err
}

// Region returns a region the user may see; any other reads as not found.
// Like Collective, it reads each region once per View.
func (v *View) Region(ctx context.Context, code string) (jiti.Region, error) {
	v.mu.Lock()
	r, ok := v.regs[code]
	v.mu.Unlock()
	if ok {
		return r, nil
	}
	visible, err := v.RegionVisible(ctx, code)
	if err != nil {
		return jiti.Region{}, err
	}
	if !visible {
		return jiti.Region{}, jiti.ErrNotFound.With("region", code)
	}
	if r, err = v.db.FindRegion(ctx, code); err != nil {
		return r, err
	}
	v.mu.Lock()
	if v.regs == nil {
		v.regs = map[string]jiti.Region{}
	}
	v.regs[code] = r
	v.mu.Unlock()
	return r, nil
}

// Home returns where the user starts: the scope region, else the single
// region holding all of the user's collectives, else "" (the user has
// collectives in several places, or none) with the collectives listed.
func (v *View) Home(ctx context.Context) (region string, err error) {
	if v.Everything() {
		return v.db.topRegion(ctx)
	}
	if v.u.ScopeRegion != "" {
		return v.u.ScopeRegion, nil
	}
	cs, err := v.Collectives(ctx, "")
	if err != nil || len(cs) == 0 {
		return "", err
	}
	common := cs[0].RegionCode
	for _, c := range cs[1:] {
		for !jiti.RegionContains(common, c.RegionCode) && common != "" {
			common = jiti.RegionParentCode(common)
		}
	}
	if common == "" {
		return "", nil
	}
	ok, err := v.RegionVisible(ctx, common)
	if err != nil || !ok {
		return "", err
	}
	return common, nil
}

// topRegion returns the region a deployment's figures start from: the top
// of the tree, or below it while a region has one child only (a county's
// deployment keeps its province and city as the path to the county).
func (db *DB) topRegion(ctx context.Context) (string, error) {
	rs, err := db.FindRegions(ctx, "", 0)
	if err != nil || len(rs) == 0 {
		return "", err
	}
	top := rs[0].Code // the first code sorts first
	for {
		var n int
		var child string
		if err := db.reader().queryRow(ctx, `SELECT COUNT(*), COALESCE(MIN(code), '') FROM regions WHERE parent_code = ?`, top).Scan(&n, &child); err != nil {
			return "", err
		}
		if n != 1 {
			return top, nil
		}
		top = child
	}
}

// requireCollective checks that a collective is in scope.
func (v *View) requireCollective(ctx context.Context, cid int64) error {
	_, err := v.Collective(ctx, cid)
	return err
}

// requireRegion checks that a region is visible.
func (v *View) requireRegion(ctx context.Context, code string) error {
	_, err := v.Region(ctx, code)
	return err
}

// StatVouchers returns the vouchers behind a collective's statistical line.
func (v *View) StatVouchers(ctx context.Context, cid int64, year int, key string) (*report.StatDrill, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.StatVouchers(ctx, cid, year, key, false)
}

// Vouchers lists a collective's vouchers.
func (v *View) Vouchers(ctx context.Context, f VoucherFilter) ([]*ledger.Voucher, int, error) {
	if err := v.requireCollective(ctx, f.CollectiveID); err != nil {
		return nil, 0, err
	}
	return v.db.FindVouchers(ctx, f)
}

// VoucherHeads lists a collective's vouchers without their lines. A page
// of the list is shared with other requests while the collective's books
// stand: read it, never change it.
func (v *View) VoucherHeads(ctx context.Context, f VoucherFilter) ([]VoucherHead, int, error) {
	if err := v.requireCollective(ctx, f.CollectiveID); err != nil {
		return nil, 0, err
	}
	if n := f.limit(); n <= 0 || n > maxCachedPage {
		return v.db.FindVoucherHeads(ctx, f)
	}
	type page struct {
		heads []VoucherHead
		total int
	}
	p, err := cachedBooks(ctx, v.db, figureKey{kind: "voucher-heads", collective: f.CollectiveID, vouchers: f}, func() (page, error) {
		heads, total, err := v.db.FindVoucherHeads(ctx, f)
		return page{heads, total}, err
	})
	return p.heads, p.total, err
}

// maxCachedPage is the longest page of a list kept: longer lists are read
// for a download, not again and again.
const maxCachedPage = 200

// Voucher returns a voucher of a collective in scope; a voucher of any
// other collective reads as not found.
func (v *View) Voucher(ctx context.Context, id int64) (*ledger.Voucher, error) {
	vo, err := v.db.FindVoucher(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := v.requireCollective(ctx, vo.CollectiveID); err != nil {
		return nil, jiti.ErrNotFound.With("voucher", id)
	}
	return vo, nil
}

// Accounts returns a collective's chart.
func (v *View) Accounts(ctx context.Context, cid int64) ([]ledger.Account, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.Accounts(ctx, cid)
}

// Periods returns the state of a collective's months.
func (v *View) Periods(ctx context.Context, cid int64) ([]PeriodInfo, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	return v.db.Periods(ctx, cid)
}

// LatestPosted returns the latest month with posted books of a collective
// in scope, or 0 when it has none.
func (v *View) LatestPosted(ctx context.Context, cid int64) (jiti.Period, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return 0, err
	}
	return v.db.LatestPosted(ctx, cid)
}

// TrialBalance returns a collective's trial balance, shared with other
// requests while the collective's books stand: read it, never change it.
func (v *View) TrialBalance(ctx context.Context, cid int64, from, to jiti.Period, all bool) (*ledger.TrialBalance, error) {
	if err := v.requireCollective(ctx, cid); err != nil {
		return nil, err
	}
	key := figureKey{kind: "trial-balance", collective: cid, from: from, to: to, all: all}
	return cachedBooks(ctx, v.db, key, func() (*ledger.TrialBalance, error) {
		return v.db.TrialBalance(ctx, cid, from, to, all)
	})
}

// AuditEvents returns the audit log as the user may read it: an auditor's
// or administrator's, of the collectives in scope; events of no collective
// (users, regions, sign-ins) only to those whose scope is everything.
func (v *View) AuditEvents(ctx context.Context, f AuditFilter) ([]AuditEvent, int, error) {
	if !v.CanAudit() {
		return nil, 0, jiti.ErrRoleCannot.With(string(v.u.Role), "audit.read")
	}
	if v.Everything() {
		return v.db.FindAuditEvents(ctx, f)
	}
	cond, args := v.collectiveFilter()
	return v.db.findAuditEvents(ctx, f, `e.collective_id IN (SELECT id FROM collectives WHERE `+cond+`)`, args)
}

// Users lists the users the viewer administers: a county administrator's
// users within the administrator's scope. Anyone else is refused.
func (v *View) Users(ctx context.Context) ([]*jiti.User, error) {
	if !v.Administers() {
		return nil, jiti.ErrRoleCannot.With(string(v.u.Role), "user.list")
	}
	us, err := v.db.FindUsers(ctx)
	if err != nil || v.Everything() {
		return us, err
	}
	return slices.DeleteFunc(us, func(u *jiti.User) bool {
		return u.ScopeRegion == "" || !jiti.RegionContains(v.u.ScopeRegion, u.ScopeRegion)
	}), nil
}

// SessionView returns the store as the user of a live session sees it: one
// session check (SessionUser) instead of that and ViewAs, for every page.
func (db *DB) SessionView(ctx context.Context, token string) (*View, error) {
	u, err := db.SessionUser(ctx, token)
	if err != nil {
		return nil, err
	}
	return &View{db: db, u: u}, nil
}

// TokenView returns the store as the user of an API token, used from
// remoteAddr, sees it.
func (db *DB) TokenView(ctx context.Context, token, remoteAddr string) (*View, error) {
	u, err := db.APITokenUser(ctx, token, remoteAddr)
	if err != nil {
		return nil, err
	}
	return &View{db: db, u: u}, nil
}

// Ancestors returns the visible regions from the top of the user's view
// down to code, in one query for the chain: the breadcrumbs of a page.
// A region the deployment does not hold (a county's province) is left out.
func (v *View) Ancestors(ctx context.Context, code string) ([]jiti.Region, error) {
	var codes []any
	for c := code; c != ""; c = jiti.RegionParentCode(c) {
		codes = append(codes, c)
	}
	if len(codes) == 0 {
		return nil, nil
	}
	rows, err := v.db.reader().query(ctx, `SELECT code, name, level, COALESCE(parent_code, '') FROM regions WHERE code IN (?`+
		strings.Repeat(", ?", len(codes)-1)+`) ORDER BY code`, codes...)
	if err != nil {
		return nil, err
	}
	var chain []jiti.Region
	for rows.Next() {
		var r jiti.Region
		if err := rows.Scan(&r.Code, &r.Name, &r.Level, &r.Parent); err != nil {
			rows.Close()
			return nil, err
		}
		chain = append(chain, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Shorter codes sort first: the chain runs top down. Keep the visible
	// tail: visibility only grows going down.
	for i, r := range chain {
		ok, err := v.RegionVisible(ctx, r.Code)
		if err != nil {
			return nil, err
		}
		if ok {
			return chain[i:], nil
		}
	}
	return nil, nil
}

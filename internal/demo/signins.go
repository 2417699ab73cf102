package demo

import (
	"context"
	"runtime"

	"example.org/jiti"
)

// Password is the password of every demo user. One password for all, and
// written here in the clear: the demo county is for trying jiti out, never
// for real books, and whoever tries it must be able to sign in as any
// role. A database that goes on to keep real books gets real passwords
// (jiti user passwd) or, better, starts empty.
const Password = "jiti-demo-2025"

// SignIn is a demo user to sign in as: Build makes one of each role.
type SignIn struct {
	Name     string    `json:"name"`
	Role     jiti.Role `json:"role"`
	Scope    string    `json:"scope"` // what the user sees: the county, a township, a village's collective
	Password string    `json:"password"`
}

// signIns adds, beside the administrator and the townships' supervisors
// and agency accountants, a user of each remaining role: a county viewer
// and an auditor of the whole county, and an accountant and an approver
// of the first village's own books (the village of the first township,
// whose supervisor and agency accountant are its sign-ins too). Then it
// gives every user the demo password: a hash each, made in parallel,
// outside the transactions (a few seconds for the whole county at most).
func (b *builder) signIns(ctx context.Context, villages []*village, cs []jiti.Collective, sum *Summary) error {
	db := b.db
	county := CountyCode
	for _, r := range Regions() {
		if r.Code == CountyCode {
			county = r.Name
		}
	}
	v, c := villages[0], cs[0]
	town := v.Town
	users := []jiti.User{
		{Name: "ck" + CountyCode, DisplayName: county + "农经站查询员", Role: jiti.RoleCountyViewer, ScopeRegion: CountyCode},
		{Name: "sj" + CountyCode, DisplayName: county + "审计局审计员", Role: jiti.RoleAuditor, ScopeRegion: CountyCode},
		{Name: "kj" + v.Region.Code, DisplayName: v.Region.Name + "报账员", Role: jiti.RoleVillageAccountant, ScopeCollectives: []int64{c.ID}},
		{Name: "sp" + v.Region.Code, DisplayName: v.Region.Name + "审批人", Role: jiti.RoleVillageApprover, ScopeCollectives: []int64{c.ID}},
	}
	for i := range users {
		u, err := db.CreateUser(ctx, b.admin, users[i])
		if err != nil {
			return err
		}
		users[i] = u
	}
	sum.Users += len(users)
	ids := []jiti.UserID{b.admin}
	for t, sh := range b.supervisors {
		ids = append(ids, sh, b.accountants[t])
	}
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	err := parallel(ctx, len(ids), runtime.GOMAXPROCS(0), func(ctx context.Context, i int) error {
		return db.SetPassword(ctx, b.admin, ids[i], Password)
	})
	if err != nil {
		return err
	}
	collective := c.Name
	sum.SignIns = []SignIn{
		{Name: "admin", Role: jiti.RoleCountyAdmin, Scope: county},
		{Name: users[0].Name, Role: users[0].Role, Scope: county},
		{Name: "sh" + town.Code, Role: jiti.RoleTownshipSupervisor, Scope: town.Name},
		{Name: "kj" + town.Code, Role: jiti.RoleAgencyAccountant, Scope: town.Name},
		{Name: users[2].Name, Role: users[2].Role, Scope: collective},
		{Name: users[3].Name, Role: users[3].Role, Scope: collective},
		{Name: users[1].Name, Role: users[1].Role, Scope: county},
	}
	for i := range sum.SignIns {
		sum.SignIns[i].Password = Password
	}
	return nil
}

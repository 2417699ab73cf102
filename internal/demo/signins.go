package demo

import (
	"context"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/store"
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

// roster is what a demo's sign-ins are made from: its administrator, the
// region it covers (the county, or the province), its first township (whose
// supervisor "sh<code>" and agency accountant "kj<code>" are made with the
// townships), and the first village with its collective.
type roster struct {
	admin      jiti.UserID
	region     jiti.Region
	town       jiti.Region
	village    jiti.Region
	collective jiti.Collective
}

// signIns adds, beside the administrator and the townships' supervisors
// and agency accountants, a user of each remaining role: a viewer and an
// auditor of the whole region, and an accountant and an approver of the
// first village's own books (the village of the first township, whose
// supervisor and agency accountant are its sign-ins too). It returns the
// sign-ins, one of each role in the order of jiti.Roles, and the ids of
// the users it made; the sign-ins get the demo password from passwords.
func signIns(ctx context.Context, db *store.DB, r roster) ([]SignIn, []jiti.UserID, error) {
	region, village := strings.TrimSuffix(r.region.Name, generatedMark), strings.TrimSuffix(r.village.Name, generatedMark)
	users := []jiti.User{
		{Name: "ck" + r.region.Code, DisplayName: region + "农经站查询员", Role: jiti.RoleCountyViewer, ScopeRegion: r.region.Code},
		{Name: "sj" + r.region.Code, DisplayName: region + "审计局审计员", Role: jiti.RoleAuditor, ScopeRegion: r.region.Code},
		{Name: "kj" + r.village.Code, DisplayName: village + "报账员", Role: jiti.RoleVillageAccountant,
			ScopeCollectives: []int64{r.collective.ID}},
		{Name: "sp" + r.village.Code, DisplayName: village + "审批人", Role: jiti.RoleVillageApprover,
			ScopeCollectives: []int64{r.collective.ID}},
	}
	ids := make([]jiti.UserID, len(users))
	for i := range users {
		u, err := db.CreateUser(ctx, r.admin, users[i])
		if err != nil {
			return nil, nil, err
		}
		users[i], ids[i] = u, u.ID
	}
	ins := []SignIn{
		{Name: "admin", Role: jiti.RoleCountyAdmin, Scope: r.region.Name},
		{Name: users[0].Name, Role: users[0].Role, Scope: r.region.Name},
		{Name: "sh" + r.town.Code, Role: jiti.RoleTownshipSupervisor, Scope: r.town.Name},
		{Name: "kj" + r.town.Code, Role: jiti.RoleAgencyAccountant, Scope: r.town.Name},
		{Name: users[2].Name, Role: users[2].Role, Scope: r.collective.Name},
		{Name: users[3].Name, Role: users[3].Role, Scope: r.collective.Name},
		{Name: users[1].Name, Role: users[1].Role, Scope: r.region.Name},
	}
	for i := range ins {
		ins[i].Password = Password
	}
	return ins, ids, nil
}

// passwords gives users the demo password, a hash each, made outside the
// transactions by one goroutine beside the build (argon2id takes some 60
// ms of a core per hash; the build's writes keep the other core busy). The
// function it returns waits for it and returns its first error; it must
// be called before the database is closed.
func passwords(ctx context.Context, db *store.DB, admin jiti.UserID, users []jiti.UserID) (wait func() error) {
	done := make(chan error, 1)
	go func() {
		for _, id := range users {
			if err := db.SetPassword(ctx, admin, id, Password); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	return func() error { return <-done }
}

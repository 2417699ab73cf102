package jiti

import "strings"

// UserID identifies a user. Every write in jiti records the UserID that did it.
type UserID int64

// Role is what a user may do, within the user's scope.
type Role string

// Roles. Scope (a region subtree or a list of collectives) narrows each.
const (
	RoleCountyAdmin        Role = "county_admin"        // everything in the county, users included
	RoleCountyViewer       Role = "county_viewer"       // reads everything in scope
	RoleTownshipSupervisor Role = "township_supervisor" // reads its township; approves
	RoleAgencyAccountant   Role = "agency_accountant"   // keeps the books of assigned collectives (村账乡代管)
	RoleVillageAccountant  Role = "village_accountant"  // keeps its own collective's books
	RoleVillageApprover    Role = "village_approver"    // approves its own collective's vouchers
	RoleAuditor            Role = "auditor"             // reads everything in scope and the audit log
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleCountyAdmin, RoleCountyViewer, RoleTownshipSupervisor, RoleAgencyAccountant,
	RoleVillageAccountant, RoleVillageApprover, RoleAuditor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// CanKeepBooks reports whether the role may create and post vouchers.
func (r Role) CanKeepBooks() bool {
	return r == RoleCountyAdmin || r == RoleAgencyAccountant || r == RoleVillageAccountant
}

// CanApprove reports whether the role may approve vouchers.
func (r Role) CanApprove() bool {
	return r == RoleCountyAdmin || r == RoleTownshipSupervisor || r == RoleVillageApprover || r == RoleAgencyAccountant
}

// User is a person who signs in to jiti or acts through its command line.
type User struct {
	ID          UserID `json:"id"`
	Name        string `json:"name"` // sign-in name, unique
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	// Scope: a region code (the user sees that subtree) and/or a list of
	// collectives. Empty region and list mean no collective at all.
	ScopeRegion      string  `json:"scope_region,omitempty"`
	ScopeCollectives []int64 `json:"scope_collectives,omitempty"`
	Disabled         bool    `json:"disabled,omitempty"`
}

// Errors of user validation and authorization.
var (
	ErrUserName     = Errorf(Invalid, "user.name")
	ErrRole         = Errorf(Invalid, "user.role")
	ErrUserDisabled = Errorf(Forbidden, "user.disabled")
	ErrRoleCannot   = Errorf(Forbidden, "user.role_cannot")
)

// Validate checks the user's fields.
func (u *User) Validate() error {
	u.Name = strings.TrimSpace(u.Name)
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	if u.Name == "" {
		return ErrRequired.At("name")
	}
	if len(u.Name) > 64 || strings.ContainsAny(u.Name, " \t\r\n,:/") {
		return ErrUserName.With(u.Name).At("name")
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Name
	}
	if !u.Role.Valid() {
		return ErrRole.With(string(u.Role)).At("role")
	}
	if u.ScopeRegion != "" && RegionLevelOf(u.ScopeRegion) == 0 {
		return ErrRegionCode.With(u.ScopeRegion).At("scope_region")
	}
	return nil
}

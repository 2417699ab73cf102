package jiti_test

import (
	"strings"
	"testing"

	"example.org/jiti"
)

func TestUserValidate(t *testing.T) {
	base := func() jiti.User {
		return jiti.User{Name: "wang.li", DisplayName: "王丽", Role: jiti.RoleVillageAccountant, ScopeRegion: "110101001"}
	}
	tests := []struct {
		name      string
		edit      func(u *jiti.User)
		wantErr   error
		wantField string
		check     func(t *testing.T, u jiti.User)
	}{
		{name: "valid", edit: func(u *jiti.User) {}},
		{name: "display name defaults to name", edit: func(u *jiti.User) { u.DisplayName = "  " },
			check: func(t *testing.T, u jiti.User) {
				if u.DisplayName != "wang.li" {
					t.Errorf("DisplayName = %q", u.DisplayName)
				}
			}},
		{name: "name trimmed", edit: func(u *jiti.User) { u.Name = " li " },
			check: func(t *testing.T, u jiti.User) {
				if u.Name != "li" {
					t.Errorf("Name = %q", u.Name)
				}
			}},
		{name: "no scope", edit: func(u *jiti.User) { u.ScopeRegion = "" }},
		{name: "every role", edit: func(u *jiti.User) { u.Role = jiti.RoleAuditor }},
		{name: "name 64 bytes", edit: func(u *jiti.User) { u.Name = strings.Repeat("a", 64) }},
		{name: "name required", edit: func(u *jiti.User) { u.Name = " " }, wantErr: jiti.ErrRequired, wantField: "name"},
		{name: "name too long", edit: func(u *jiti.User) { u.Name = strings.Repeat("a", 65) }, wantErr: jiti.ErrUserName, wantField: "name"},
		{name: "name with space", edit: func(u *jiti.User) { u.Name = "wang li" }, wantErr: jiti.ErrUserName, wantField: "name"},
		{name: "name with colon", edit: func(u *jiti.User) { u.Name = "wang:li" }, wantErr: jiti.ErrUserName, wantField: "name"},
		{name: "name with slash", edit: func(u *jiti.User) { u.Name = "wang/li" }, wantErr: jiti.ErrUserName, wantField: "name"},
		{name: "name with comma", edit: func(u *jiti.User) { u.Name = "wang,li" }, wantErr: jiti.ErrUserName, wantField: "name"},
		{name: "unknown role", edit: func(u *jiti.User) { u.Role = "boss" }, wantErr: jiti.ErrRole, wantField: "role"},
		{name: "empty role", edit: func(u *jiti.User) { u.Role = "" }, wantErr: jiti.ErrRole, wantField: "role"},
		{name: "bad scope region", edit: func(u *jiti.User) { u.ScopeRegion = "110" }, wantErr: jiti.ErrRegionCode, wantField: "scope_region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := base()
			tt.edit(&u)
			err := u.Validate()
			checkErr(t, err, tt.wantErr, tt.wantField)
			if tt.check != nil {
				tt.check(t, u)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		role               jiti.Role
		keepBooks, approve bool
	}{
		{jiti.RoleCountyAdmin, true, true},
		{jiti.RoleCountyViewer, false, false},
		{jiti.RoleTownshipSupervisor, false, true},
		{jiti.RoleAgencyAccountant, true, true},
		{jiti.RoleVillageAccountant, true, false},
		{jiti.RoleVillageApprover, false, true},
		{jiti.RoleAuditor, false, false},
	}
	if len(tests) != len(jiti.Roles) {
		t.Fatalf("%d roles, the test knows %d", len(jiti.Roles), len(tests))
	}
	for i, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			if jiti.Roles[i] != tt.role {
				t.Errorf("Roles[%d] = %q: the order is part of the API", i, jiti.Roles[i])
			}
			if !tt.role.Valid() {
				t.Error("Valid = false")
			}
			if got := tt.role.CanKeepBooks(); got != tt.keepBooks {
				t.Errorf("CanKeepBooks = %v", got)
			}
			if got := tt.role.CanApprove(); got != tt.approve {
				t.Errorf("CanApprove = %v", got)
			}
		})
	}
	if jiti.Role("root").Valid() {
		t.Error(`Role("root").Valid() = true`)
	}
}

package register_test

import (
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

func land() *register.Resource {
	r := &register.Resource{ID: 5, CollectiveID: 1, Code: " ZY-001 ", Name: " 北山坡地 ", Kind: register.FourWastes, Area: 10000,
		Location: "北山", Boundaries: "东至沟，西至路", Use: register.ResourceIdle, UseSince: d("2020-01-01")}
	r.Normalize()
	return r
}

func TestResourceValidate(t *testing.T) {
	edit := func(f func(r *register.Resource)) func() *register.Resource {
		return func() *register.Resource {
			r := land()
			f(r)
			return r
		}
	}
	tests := []struct {
		name     string
		resource func() *register.Resource
		want     *jiti.Error
		field    string
	}{
		{"valid", land, nil, ""},
		{"code required", edit(func(r *register.Resource) { r.Code = "" }), jiti.ErrRequired, "code"},
		{"name required", edit(func(r *register.Resource) { r.Name = "" }), jiti.ErrRequired, "name"},
		{"unknown kind", edit(func(r *register.Resource) { r.Kind = "desert" }), register.ErrUnknown, "kind"},
		{"zero area", edit(func(r *register.Resource) { r.Area = 0 }), register.ErrNotPositive, "area"},
		{"negative area", edit(func(r *register.Resource) { r.Area = -1 }), register.ErrNotPositive, "area"},
		{"huge area", edit(func(r *register.Resource) { r.Area = register.MaxArea + 1 }), register.ErrRange, "area"},
		{"use required", edit(func(r *register.Resource) { r.Use = "" }), jiti.ErrRequired, "use"},
		{"unknown use", edit(func(r *register.Resource) { r.Use = "sold" }), register.ErrUnknown, "use"},
		{"location too long", edit(func(r *register.Resource) { r.Location = strings.Repeat("北", 201) }), jiti.ErrTooLong, "location"},
		{"boundaries too long", edit(func(r *register.Resource) { r.Boundaries = strings.Repeat("东", 501) }), jiti.ErrTooLong, "boundaries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblem(t, tt.resource().Validate(), tt.want, tt.field)
		})
	}
	if r := land(); r.Code != "ZY-001" || r.Name != "北山坡地" {
		t.Errorf("not trimmed: %q %q", r.Code, r.Name)
	}
}

func TestCheckUseChange(t *testing.T) {
	checkProblem(t, register.CheckUseChange(land(), register.ResourceLeased, d("2025-03-01")), nil, "")
	checkProblem(t, register.CheckUseChange(land(), register.ResourceIdle, d("2025-03-01")), register.ErrSameStatus, "use")
	checkProblem(t, register.CheckUseChange(land(), "sold", d("2025-03-01")), register.ErrUnknown, "use")
	checkProblem(t, register.CheckUseChange(land(), register.CollectiveOperated, d("2019-12-31")), register.ErrStatusBefore, "date")
	checkProblem(t, register.CheckUseChange(land(), register.CollectiveOperated, jiti.Date{}), jiti.ErrRequired, "date")
}

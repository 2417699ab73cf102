package jiti_test

import (
	"strings"
	"testing"

	"example.org/jiti"
	"github.com/google/go-cmp/cmp"
)

func TestNewRegion(t *testing.T) {
	tests := []struct {
		code, name string
		want       jiti.Region
		wantErr    error
		wantField  string
	}{
		{code: "11", name: "北京市", want: jiti.Region{Code: "11", Name: "北京市", Level: jiti.Province}},
		{code: "1101", name: "市辖区", want: jiti.Region{Code: "1101", Name: "市辖区", Level: jiti.City, Parent: "11"}},
		{code: "110101", name: "东城区", want: jiti.Region{Code: "110101", Name: "东城区", Level: jiti.County, Parent: "1101"}},
		{code: "110101001", name: "东华门街道", want: jiti.Region{Code: "110101001", Name: "东华门街道", Level: jiti.Township, Parent: "110101"}},
		{code: "110101001001", name: "多福巷社区", want: jiti.Region{Code: "110101001001", Name: "多福巷社区", Level: jiti.Village, Parent: "110101001"}},
		{code: " 5101 ", name: " 成都市 ", want: jiti.Region{Code: "5101", Name: "成都市", Level: jiti.City, Parent: "51"}},
		{code: "110101001001", name: strings.Repeat("村", 100),
			want: jiti.Region{Code: "110101001001", Name: strings.Repeat("村", 100), Level: jiti.Village, Parent: "110101001"}},

		{code: "", name: "x", wantErr: jiti.ErrRegionCode, wantField: "code"},
		{code: "1", name: "x", wantErr: jiti.ErrRegionCode, wantField: "code"},
		{code: "110", name: "x", wantErr: jiti.ErrRegionCode, wantField: "code"},
		{code: "11010", name: "x", wantErr: jiti.ErrRegionCode, wantField: "code"},
		{code: "1101010", name: "x", wantErr: jiti.ErrRegionCode, wantField: "code"},
		{code: "11010100100", name: "x", wantErr: jiti.ErrRegionCode, wantField: "code"},
		{code: "1101010010010", name: "x", wantErr: jiti.ErrRegionCode, wantField: "code"},
		{code: "11a1", name: "x", wantErr: jiti.ErrRegionCode, wantField: "code"},
		{code: "11 01", name: "x", wantErr: jiti.ErrRegionCode, wantField: "code"},
		{code: "1101", name: "", wantErr: jiti.ErrRequired, wantField: "name"},
		{code: "1101", name: "   ", wantErr: jiti.ErrRequired, wantField: "name"},
		{code: "1101", name: strings.Repeat("村", 101), wantErr: jiti.ErrTooLong, wantField: "name"},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+tt.name, func(t *testing.T) {
			got, err := jiti.NewRegion(tt.code, tt.name)
			checkErr(t, err, tt.wantErr, tt.wantField)
			if tt.wantErr != nil {
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NewRegion mismatch (-want +got):\n%s", diff)
			}
			// The parent is a region one level up.
			if got.Parent != "" && jiti.RegionLevelOf(got.Parent) != got.Level-1 {
				t.Errorf("parent %q is at level %v", got.Parent, jiti.RegionLevelOf(got.Parent))
			}
		})
	}
}

func TestRegionHelpers(t *testing.T) {
	levels := map[jiti.RegionLevel]string{jiti.Province: "province", jiti.City: "city", jiti.County: "county",
		jiti.Township: "township", jiti.Village: "village", 0: "unknown", 9: "unknown"}
	for l, want := range levels {
		if got := l.String(); got != want {
			t.Errorf("RegionLevel(%d).String() = %q, want %q", l, got, want)
		}
	}
	parents := []struct{ code, want string }{
		{"11", ""}, {"1101", "11"}, {"110101", "1101"}, {"110101001", "110101"},
		{"110101001001", "110101001"}, {"123", ""}, {"", ""},
	}
	for _, p := range parents {
		if got := jiti.RegionParentCode(p.code); got != p.want {
			t.Errorf("RegionParentCode(%q) = %q, want %q", p.code, got, p.want)
		}
	}
	contains := []struct {
		ancestor, code string
		want           bool
	}{
		{"11", "110101001001", true},
		{"110101", "110101", true},
		{"110101", "110102001", false},
		{"110101001", "110101", false},
	}
	for _, c := range contains {
		if got := jiti.RegionContains(c.ancestor, c.code); got != c.want {
			t.Errorf("RegionContains(%q, %q) = %v", c.ancestor, c.code, got)
		}
	}
}

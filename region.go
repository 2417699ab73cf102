package jiti

import "strings"

// RegionLevel is the level of a node of the statistical division tree.
type RegionLevel int

// Levels of the region tree, by the length of their statistical division code
// (统计用区划代码): province 2 digits, city 4, county 6, township 9, village 12.
const (
	Province RegionLevel = 1
	City     RegionLevel = 2
	County   RegionLevel = 3
	Township RegionLevel = 4
	Village  RegionLevel = 5
)

var regionCodeLen = map[RegionLevel]int{Province: 2, City: 4, County: 6, Township: 9, Village: 12}

// String returns the level's name, such as "township".
func (l RegionLevel) String() string {
	switch l {
	case Province:
		return "province"
	case City:
		return "city"
	case County:
		return "county"
	case Township:
		return "township"
	case Village:
		return "village"
	}
	return "unknown"
}

// Region is a node of the statistical division tree.
type Region struct {
	Code   string      `json:"code"`
	Name   string      `json:"name"`
	Level  RegionLevel `json:"level"`
	Parent string      `json:"parent,omitempty"` // code of the parent, "" for a province
}

// Errors of region validation.
var (
	ErrRegionCode   = Errorf(Invalid, "region.code")
	ErrRegionParent = Errorf(Invalid, "region.parent")
)

// RegionLevelOf returns the level implied by the length of a division code,
// or 0 if the code is not a division code.
func RegionLevelOf(code string) RegionLevel {
	if !allDigits(code) {
		return 0
	}
	for l, n := range regionCodeLen {
		if len(code) == n {
			return l
		}
	}
	return 0
}

// RegionParentCode returns the code of the parent of a division code: the
// code cut to the length of the level above. A province has no parent.
func RegionParentCode(code string) string {
	l := RegionLevelOf(code)
	if l <= Province {
		return ""
	}
	return code[:regionCodeLen[l-1]]
}

// NewRegion returns the region with the given code and name, its level and
// parent derived from the code, or an error naming the faulty field.
func NewRegion(code, name string) (Region, error) {
	code = strings.TrimSpace(code)
	name = strings.TrimSpace(name)
	l := RegionLevelOf(code)
	if l == 0 {
		return Region{}, ErrRegionCode.With(code).At("code")
	}
	if name == "" {
		return Region{}, ErrRequired.At("name")
	}
	if len([]rune(name)) > 100 {
		return Region{}, ErrTooLong.With(100).At("name")
	}
	return Region{Code: code, Name: name, Level: l, Parent: RegionParentCode(code)}, nil
}

// RegionContains reports whether the region with code ancestor contains (or is)
// the region with code code.
func RegionContains(ancestor, code string) bool {
	return strings.HasPrefix(code, ancestor)
}

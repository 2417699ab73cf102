package jiti

import (
	"strings"
)

// CollectiveLevel is the level at which a collective economic organization is
// formed: township, village or villager group.
type CollectiveLevel string

// Levels of collective economic organizations.
const (
	LevelTownship CollectiveLevel = "township"
	LevelVillage  CollectiveLevel = "village"
	LevelGroup    CollectiveLevel = "group"
)

// ChartStandard names the accounting system a collective's books follow.
// Only the 2023 system is kept in jiti; books on the 2004 chart are migrated
// by opening balances on the 2023 chart.
const Chart2023 = "2023"

// Collective is a collective economic organization (集体经济组织): the unit
// whose books jiti keeps.
type Collective struct {
	ID            int64           `json:"id"`
	Code          string          `json:"code"` // unique, stable; the village's division code by default
	Name          string          `json:"name"`
	USCC          string          `json:"uscc,omitempty"` // unified social credit code, if registered
	RegionCode    string          `json:"region"`
	Level         CollectiveLevel `json:"level"`
	ChartStandard string          `json:"chart"`
	BooksOpenedOn Date            `json:"books_opened_on"`
}

// Errors of collective validation.
var (
	ErrCollectiveLevel = Errorf(Invalid, "collective.level")
	ErrCollectiveCode  = Errorf(Invalid, "collective.code")
	ErrUSCC            = Errorf(Invalid, "collective.uscc")
	ErrChartStandard   = Errorf(Invalid, "collective.chart")
	ErrLevelRegion     = Errorf(Invalid, "collective.level_region")
)

// Normalize trims the collective's text fields and fills defaults: the code
// from the region, the chart standard.
func (c *Collective) Normalize() {
	c.Code = strings.TrimSpace(c.Code)
	c.Name = strings.TrimSpace(c.Name)
	c.USCC = strings.ToUpper(strings.TrimSpace(c.USCC))
	c.RegionCode = strings.TrimSpace(c.RegionCode)
	if c.Code == "" && c.Level != LevelGroup {
		c.Code = c.RegionCode
	}
	if c.ChartStandard == "" {
		c.ChartStandard = Chart2023
	}
}

// Validate checks the collective's own fields. That its region exists is for
// the store to check.
func (c *Collective) Validate() error {
	switch {
	case c.Name == "":
		return ErrRequired.At("name")
	case len([]rune(c.Name)) > 100:
		return ErrTooLong.With(100).At("name")
	case c.Code == "":
		return ErrRequired.At("code")
	case len(c.Code) > 40 || strings.ContainsAny(c.Code, " \t\r\n,"):
		return ErrCollectiveCode.With(c.Code).At("code")
	case c.USCC != "" && !ValidUSCC(c.USCC):
		return ErrUSCC.With(c.USCC).At("uscc")
	case c.RegionCode == "":
		return ErrRequired.At("region")
	case c.ChartStandard != Chart2023:
		return ErrChartStandard.With(c.ChartStandard).At("chart")
	case c.BooksOpenedOn.IsZero():
		return ErrRequired.At("books_opened_on")
	}
	rl := RegionLevelOf(c.RegionCode)
	switch c.Level {
	case LevelTownship:
		if rl != Township {
			return ErrLevelRegion.With(c.Level, c.RegionCode).At("region")
		}
	case LevelVillage, LevelGroup:
		if rl != Village {
			return ErrLevelRegion.With(c.Level, c.RegionCode).At("region")
		}
	default:
		return ErrCollectiveLevel.With(string(c.Level)).At("level")
	}
	return nil
}

// ValidUSCC reports whether s is a well-formed unified social credit code
// (统一社会信用代码, GB 32100-2015): 18 characters whose last is the check
// character of the first 17.
func ValidUSCC(s string) bool {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(alphabet, s[i])
		if v < 0 {
			return false
		}
		sum += v * weights[i]
	}
	check := (31 - sum%31) % 31
	return s[17] == alphabet[check]
}

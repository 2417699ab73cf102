package register

import "example.org/jiti"

// LandKind is the kind of a land resource (资源类型).
type LandKind string

// Land kinds, as the resource inventory counts them.
const (
	Cultivated       LandKind = "cultivated"   // 耕地
	Forest           LandKind = "forest"       // 林地
	Grassland        LandKind = "grassland"    // 草地
	Orchard          LandKind = "orchard"      // 园地
	WaterSurface     LandKind = "water"        // 水面
	FourWastes       LandKind = "four_wastes"  // “四荒”地（荒山、荒沟、荒丘、荒滩）
	ConstructionLand LandKind = "construction" // 建设用地
	OtherLand        LandKind = "other"        // 其他
)

// LandKinds lists the land kinds in display order.
var LandKinds = []LandKind{Cultivated, Forest, Grassland, Orchard, WaterSurface, FourWastes, ConstructionLand, OtherLand}

// ResourceUse is how a resource is used now.
type ResourceUse string

// Resource uses.
const (
	HouseholdContracted ResourceUse = "household_contracted" // 家庭承包
	CollectiveOperated  ResourceUse = "collective_operated"  // 集体统一经营
	ResourceLeased      ResourceUse = "leased"               // 出租、发包
	ResourceIdle        ResourceUse = "idle"                 // 闲置
)

// Resource is an entry of the resource register (资源台账).
type Resource struct {
	ID           int64       `json:"id"`
	CollectiveID int64       `json:"collective_id"`
	Code         string      `json:"code"`
	Name         string      `json:"name"`
	Kind         LandKind    `json:"kind"`
	Area         Area        `json:"area"` // in mu (亩), two decimals
	Location     string      `json:"location,omitempty"`
	Boundaries   string      `json:"boundaries,omitempty"` // 四至
	Use          ResourceUse `json:"use"`
	UseSince     jiti.Date   `json:"use_since"`
	Note         string      `json:"note,omitempty"`
}

// Area is an area in hundredths of a mu (亩): land is measured to two
// decimals, and like money it is never held in floating point.
type Area int64

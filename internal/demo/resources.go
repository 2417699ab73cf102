package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// The resource register (资源台账) of a village: its land by kind, in mu to
// two decimals. Most cultivated land and some grassland is contracted to
// member households (家庭承包); forest, orchards, construction land and
// water are operated by the collective; the reserved land (机动地) and the
// barren hills (四荒地) are contracted out (发包) where the village earns
// fees from them, under contracts of the contract register; some construction
// land and hills lie idle.

// resRole says what a resource does for the village's streams.
type resRole int

const (
	resPlain    resRole = iota
	resReserved         // the reserved land that contractLand contracts to households
	resHills            // the barren hills that contractHill contracts out
)

// vResource is a resource of a village's profile.
type vResource struct {
	register.Resource
	Role resRole
}

// Rents per mu and year the demo draws, in yuan.
const (
	landRentLo, landRentHi = 80, 220 // reserved cultivated land
	hillRentLo, hillRentHi = 12, 40  // barren hills and slopes: some below the county's benchmark
	hillBenchmark          = 20      // the county's lowest rent of land leases, yuan per mu and year
)

// area returns a random area between lo and hi mu, to the hundredth.
func area(rng *rand.Rand, lo, hi int64) register.Area {
	return register.Area(between(rng, lo*100, hi*100))
}

// drawResources gives the village its resource register. The reserved land
// and the hills are large enough for the contracts the village's streams
// make of them in any year the demo builds.
func (v *village) drawResources(rng *rand.Rand) {
	total := int64(0)
	for _, s := range v.Streams {
		total += s.Weight
	}
	streamYearly := func(k streamKind) int64 {
		for _, s := range v.Streams {
			if s.Kind == k {
				return v.Op2025 * s.Weight / total
			}
		}
		return 0
	}
	since := func(y int) jiti.Date {
		return jiti.Date{Year: y, Month: time.Month(1 + rng.IntN(12)), Day: 1}
	}
	add := func(r register.Resource, role resRole) {
		r.Code = fmt.Sprintf("ZY%03d", len(v.Resources)+1)
		if r.Location == "" {
			r.Location = v.short() + "村" + []string{"一社", "二社", "三社", "四社", "五社", "六社"}[rng.IntN(6)]
		}
		v.Resources = append(v.Resources, vResource{Resource: r, Role: role})
	}
	name := v.short() + "村"
	add(register.Resource{Name: "家庭承包耕地", Kind: register.Cultivated, Area: area(rng, 3000, 16000), Location: name + "各社",
		Boundaries: "以二轮延包确权登记图为准", Use: register.HouseholdContracted, UseSince: jiti.Date{Year: 1998, Month: time.December, Day: 31},
		Note: "二轮承包，确权到户"}, resPlain)

	reserved := area(rng, 30, 300)
	role := resPlain
	use := register.CollectiveOperated
	if y := streamYearly(contractLand); y > 0 {
		// Room for the fees at the lowest rent, with a margin for other
		// years' fees.
		reserved = max(reserved, register.Area(y*150/landRentLo))
		role = resReserved
	}
	add(register.Resource{Name: "集体机动地", Kind: register.Cultivated, Area: reserved, Boundaries: "东至沟沿，西至村道，南至农户承包地，北至山根",
		Use: use, UseSince: since(2012 + rng.IntN(8))}, role)

	add(register.Resource{Name: "集体生态公益林", Kind: register.Forest, Area: area(rng, 300, 5000), Boundaries: "以林权证四至为准",
		Use: register.CollectiveOperated, UseSince: since(2002 + rng.IntN(6)), Note: "退耕还林、三北防护林"}, resPlain)
	grassUse := register.CollectiveOperated
	if rng.IntN(2) == 0 {
		grassUse = register.HouseholdContracted
	}
	add(register.Resource{Name: "集体草场", Kind: register.Grassland, Area: area(rng, 200, 3000), Use: grassUse, UseSince: since(2005 + rng.IntN(10))}, resPlain)
	if rng.IntN(2) == 0 {
		add(register.Resource{Name: "集体果园", Kind: register.Orchard, Area: area(rng, 20, 300), Use: register.CollectiveOperated,
			UseSince: since(2012 + rng.IntN(8))}, resPlain)
	}

	hills := area(rng, 300, 8000)
	hillUse, hillRole := register.ResourceIdle, resPlain
	if rng.IntN(3) == 0 {
		hillUse = register.CollectiveOperated
	}
	if y := streamYearly(contractHill); y > 0 {
		hills = max(hills, register.Area(y*150/hillRentLo))
		hillUse, hillRole = register.ResourceIdle, resHills
	}
	add(register.Resource{Name: "荒山荒沟", Kind: register.FourWastes, Area: hills, Boundaries: "以村集体土地所有权证四至为准",
		Use: hillUse, UseSince: since(2008 + rng.IntN(12))}, hillRole)

	add(register.Resource{Name: "村部及公共设施用地", Kind: register.ConstructionLand, Area: area(rng, 5, 30), Location: name + "村部",
		Use: register.CollectiveOperated, UseSince: since(2005 + rng.IntN(10))}, resPlain)
	schoolUse := register.CollectiveOperated
	if rng.IntN(5) < 2 {
		schoolUse = register.ResourceIdle
	}
	add(register.Resource{Name: "原学校用地", Kind: register.ConstructionLand, Area: area(rng, 3, 15), Use: schoolUse,
		UseSince: since(2015 + rng.IntN(8)), Note: "撤点并校后划归村集体"}, resPlain)
	if rng.IntN(10) < 3 {
		add(register.Resource{Name: "塘坝水面", Kind: register.WaterSurface, Area: area(rng, 5, 40), Use: register.CollectiveOperated,
			UseSince: since(2010 + rng.IntN(10))}, resPlain)
	}
}

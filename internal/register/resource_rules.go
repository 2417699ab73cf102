package register

import (
	"slices"
	"strings"

	"example.org/jiti"
)

var resourceUses = []ResourceUse{HouseholdContracted, CollectiveOperated, ResourceLeased, ResourceIdle}

// Normalize trims the resource's text.
func (r *Resource) Normalize() {
	for _, s := range []*string{&r.Code, &r.Name, &r.Location, &r.Boundaries, &r.Note} {
		*s = strings.TrimSpace(*s)
	}
}

// Validate checks the resource's own fields, after Normalize.
func (r *Resource) Validate() error {
	var p problems
	checkCode(&p, r.Code)
	checkName(&p, r.Name, "name")
	checkEnum(&p, r.Kind, LandKinds, "kind")
	switch {
	case r.Area <= 0:
		p.add(ErrNotPositive.With(r.Area).At("area"))
	case r.Area > MaxArea:
		p.add(ErrRange.With(r.Area, "0.01", MaxArea).At("area"))
	}
	checkEnum(&p, r.Use, resourceUses, "use")
	checkLen(&p, r.Location, maxLocation, "location")
	checkLen(&p, r.Boundaries, maxText, "boundaries")
	checkLen(&p, r.Note, maxText, "note")
	return p.err()
}

// CheckUseChange says whether resource r may be put to use to on date on:
// the use must be known and different, and the change cannot be dated
// before the current use began.
func CheckUseChange(r *Resource, to ResourceUse, on jiti.Date) error {
	switch {
	case !slices.Contains(resourceUses, to):
		return ErrUnknown.With(string(to)).At("use")
	case r.Use == to:
		return ErrSameStatus.With(jiti.Term("resource.use." + string(to))).At("use")
	case on.IsZero():
		return jiti.ErrRequired.At("date")
	case on.Before(r.UseSince):
		return ErrStatusBefore.With(on, r.UseSince).At("date")
	}
	return nil
}

package register

import (
	"cmp"
	"math/big"
	"slices"

	"example.org/jiti"
)

// WarningKind is the kind of a warning (预警).
type WarningKind string

// Warning kinds.
const (
	WarnArrears      WarningKind = "arrears"              // an instalment past due and not fully paid
	WarnExpiring     WarningKind = "expiring"             // a contract in force ending soon (or already past its end)
	WarnNoAwardRef   WarningKind = "no_award_ref"         // open bidding without the exchange's reference
	WarnNoResolution WarningKind = "no_resolution"        // a contract that needs 四议两公开 without its resolution
	WarnRentBelow    WarningKind = "rent_below_benchmark" // yearly rent per mu below the county's benchmark
	WarnIdleTooLong  WarningKind = "idle_too_long"        // an asset idle longer than allowed
	WarnNoDisclosure WarningKind = "no_disclosure"        // a quarter ended a month ago without its published disclosure
)

// Warning is one finding of the registers. Only the fields that matter to
// its kind are set: ids for the record concerned, Days (overdue, left, or
// idle), Amount (outstanding, or the rent per mu per year), Date (due,
// end, or idle since), Detail (for rents, the benchmark).
type Warning struct {
	Kind         WarningKind `json:"kind"`
	CollectiveID int64       `json:"collective_id,omitempty"`
	ContractID   int64       `json:"contract_id,omitempty"`
	AssetID      int64       `json:"asset_id,omitempty"`
	ResourceID   int64       `json:"resource_id,omitempty"`
	InstalmentNo int         `json:"instalment_no,omitempty"`
	Days         int         `json:"days,omitempty"`
	Amount       jiti.Amount `json:"amount,omitempty"`
	Date         jiti.Date   `json:"date,omitzero"`
	Detail       string      `json:"detail,omitempty"`
}

// Arrears returns a warning for every instalment that fell due before
// today and is not fully paid, with the days overdue and the amount
// outstanding, by contract, due date and number. An instalment is overdue
// from the day after it falls due. The collective is the store's to fill.
func Arrears(insts []Instalment, today jiti.Date) []Warning {
	var out []Warning
	for _, in := range insts {
		if in.Outstanding() > 0 && in.DueOn.Before(today) {
			out = append(out, Warning{Kind: WarnArrears, ContractID: in.ContractID, InstalmentNo: in.No,
				Days: today.DaysSince(in.DueOn), Amount: in.Outstanding(), Date: in.DueOn})
		}
	}
	slices.SortStableFunc(out, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(a.ContractID, b.ContractID), a.Date.Compare(b.Date), cmp.Compare(a.InstalmentNo, b.InstalmentNo))
	})
	return out
}

// Expiring returns a warning for every contract in force whose end is at
// most days away, with the days left; a contract past its end that was not
// yet marked expired comes too, with the days negative. Ordered by end,
// collective and contract.
func Expiring(cs []*Contract, today jiti.Date, days int) []Warning {
	var out []Warning
	for _, c := range cs {
		if c == nil || c.Status != InForce {
			continue
		}
		if left := c.End.DaysSince(today); left <= days {
			out = append(out, Warning{Kind: WarnExpiring, CollectiveID: c.CollectiveID, ContractID: c.ID, Days: left, Date: c.End})
		}
	}
	slices.SortStableFunc(out, func(a, b Warning) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.CollectiveID, b.CollectiveID), cmp.Compare(a.ContractID, b.ContractID))
	})
	return out
}

// MissingRecords returns warnings for drafts and contracts in force whose
// records are incomplete: awarded by open bidding without the exchange's
// reference, or giving collective property to others (lease, contracting,
// equity, cooperation) without the adopted 四议两公开 decision they rest on
// (a reference made before the decisions register does not count).
// Ordered by collective, contract and kind.
func MissingRecords(cs []*Contract) []Warning {
	var out []Warning
	for _, c := range cs {
		if c == nil || (c.Status != ContractDraft && c.Status != InForce) {
			continue
		}
		w := Warning{CollectiveID: c.CollectiveID, ContractID: c.ID}
		if c.Award == OpenBidding && c.AwardRef == "" {
			w.Kind = WarnNoAwardRef
			out = append(out, w)
		}
		if c.Kind.Occupies() && c.DecisionID == 0 {
			w.Kind = WarnNoResolution
			out = append(out, w)
		}
	}
	slices.SortStableFunc(out, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(a.CollectiveID, b.CollectiveID), cmp.Compare(a.ContractID, b.ContractID), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}

// RentBelow returns a warning for every lease or contracting in force (or
// draft) of land alone whose yearly rent per mu is below benchmark (fen
// per mu per year). The yearly rent is the contract's amount over its term
// in years (whole years, then days); the area is the subjects' areas, a
// subject's area 0 meaning the whole resource as areas gives it. A
// contract that also leases assets, or whose area is unknown, has no rent
// per mu and is skipped. Amount is the rent per mu per year, rounded to
// the fen; Detail the benchmark. Ordered by collective and contract.
func RentBelow(cs []*Contract, areas map[int64]Area, benchmark jiti.Amount) []Warning {
	var out []Warning
	for _, c := range cs {
		if c == nil || (c.Kind != Lease && c.Kind != Contracting) || (c.Status != InForce && c.Status != ContractDraft) ||
			c.Start.IsZero() || c.End.Before(c.Start) {
			continue
		}
		area, resource, ok := landArea(c, areas)
		if !ok {
			continue
		}
		// rent per mu per year = amount / (years × area/100), kept exact.
		perMu := new(big.Rat).SetFrac64(int64(c.Amount)*100, int64(area))
		perMu.Quo(perMu, yearsOf(c.Start, c.End))
		if perMu.Cmp(new(big.Rat).SetInt64(int64(benchmark))) >= 0 {
			continue
		}
		out = append(out, Warning{Kind: WarnRentBelow, CollectiveID: c.CollectiveID, ContractID: c.ID, ResourceID: resource,
			Amount: roundRat(perMu), Date: c.Start, Detail: benchmark.String()})
	}
	slices.SortStableFunc(out, func(a, b Warning) int {
		return cmp.Or(cmp.Compare(a.CollectiveID, b.CollectiveID), cmp.Compare(a.ContractID, b.ContractID))
	})
	return out
}

// landArea returns the area a contract of land alone leases, and its
// resource if it has only one.
func landArea(c *Contract, areas map[int64]Area) (area Area, resource int64, ok bool) {
	n := 0
	for _, s := range c.Subjects {
		if s.AssetID != 0 || s.ResourceID == 0 {
			return 0, 0, false
		}
		a := s.Area
		if a == 0 {
			if a, ok = areas[s.ResourceID]; !ok {
				return 0, 0, false
			}
		}
		area += a
		resource = s.ResourceID
		n++
	}
	if n != 1 {
		resource = 0
	}
	return area, resource, area > 0
}

// roundRat rounds a non-negative rational to the nearest fen.
func roundRat(r *big.Rat) jiti.Amount {
	num := new(big.Int).Mul(r.Num(), big.NewInt(2))
	num.Add(num, r.Denom())
	den := new(big.Int).Mul(r.Denom(), big.NewInt(2))
	return jiti.Amount(new(big.Int).Quo(num, den).Int64())
}

// IdleTooLong returns a warning for every idle asset idle for more than
// months whole months by today, with the days idle and since when.
// Ordered by collective, code and id.
func IdleTooLong(as []*Asset, today jiti.Date, months int) []Warning {
	type found struct {
		w    Warning
		code string
	}
	var fs []found
	for _, a := range as {
		if a == nil {
			continue
		}
		since, idle := IdleSince(a)
		if !idle || !AddMonths(since, months).Before(today) {
			continue
		}
		fs = append(fs, found{Warning{Kind: WarnIdleTooLong, CollectiveID: a.CollectiveID, AssetID: a.ID,
			Days: today.DaysSince(since), Date: since}, a.Code})
	}
	slices.SortStableFunc(fs, func(a, b found) int {
		return cmp.Or(cmp.Compare(a.w.CollectiveID, b.w.CollectiveID), cmp.Compare(a.code, b.code), cmp.Compare(a.w.AssetID, b.w.AssetID))
	})
	var out []Warning
	for _, f := range fs {
		out = append(out, f.w)
	}
	return out
}

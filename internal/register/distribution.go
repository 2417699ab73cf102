package register

import (
	"math/big"

	"example.org/jiti"
)

// A distribution plan (收益分配方案) divides a closed year's distributable
// income (governance.md, accounting.md): 本年收益 + 年初未分配收益 +
// 其他转入 = 可分配收益, less what the year's books already distributed
// (a plan is drafted once the year is closed, and its vouchers fall in a
// later year: what is left to give is the year's 年末未分配收益). Past losses are made up first — a negative
// opening balance already lowers what is distributable —, then the
// accumulation and public-welfare fund (公积公益金) is appropriated, then
// members receive their part by shares, then anything else the plan
// names; what is left stays undistributed. A plan never gives out more
// than the distributable income.
type DistributionPlan struct {
	Year      int         `json:"year"`
	Income    jiti.Amount `json:"income"`    // 本年收益
	Opening   jiti.Amount `json:"opening"`   // 年初未分配收益 (negative: losses to make up)
	Transfers jiti.Amount `json:"transfers"` // 其他转入
	// Distributed is what the year's books already distributed (各项分配
	// booked within the year), so Distributable is the year's 年末未分配收益.
	Distributed jiti.Amount `json:"distributed"`
	Reserve     jiti.Amount `json:"reserve"` // 提取公积公益金
	Members     jiti.Amount `json:"members"` // 向成员分配, the collective's 集体股 part included
	Other       jiti.Amount `json:"other"`   // 其他
}

// Errors of distribution plans.
var (
	ErrPlanExceeds     = jiti.Errorf(jiti.Invalid, "distribution.exceeds")
	ErrPlanNothing     = jiti.Errorf(jiti.Invalid, "distribution.nothing")
	ErrPlanNoShares    = jiti.Errorf(jiti.Invalid, "distribution.no_shares")
	ErrPlanRateOutside = jiti.Errorf(jiti.Invalid, "distribution.rate")
)

// Distributable is what the plan may give out: the year's 可分配收益 less
// what the year already distributed.
func (p *DistributionPlan) Distributable() jiti.Amount {
	return p.Income + p.Opening + p.Transfers - p.Distributed
}

// Undistributed is what the plan leaves as 年末未分配收益.
func (p *DistributionPlan) Undistributed() jiti.Amount {
	return p.Distributable() - p.Reserve - p.Members - p.Other
}

// Check refuses a plan that gives out more than its distributable income,
// or anything at all when there is none, naming the field at fault.
func (p *DistributionPlan) Check() error {
	var pr problems
	for _, f := range []struct {
		v    jiti.Amount
		name string
	}{{p.Reserve, "reserve"}, {p.Members, "members"}, {p.Other, "other"}} {
		if f.v < 0 {
			pr.add(ErrNegative.With(f.v).At(f.name))
		}
	}
	if err := pr.err(); err != nil {
		return err
	}
	given := p.Reserve + p.Members + p.Other
	d := p.Distributable()
	switch {
	case given > 0 && d <= 0:
		return ErrPlanNothing.With(d).At("members")
	case given > d:
		return ErrPlanExceeds.With(given, d).At("members")
	}
	return nil
}

// DraftPlan drafts a plan from the closed year's figures: it appropriates
// reserveRate (in FullRate units, 1000 = 10 %) of the distributable income
// to 公积公益金 and gives memberRate of what then remains to the members,
// rounded down to the yuan so the announced sum is round; the rest stays
// undistributed. With nothing distributable, the plan gives nothing.
func DraftPlan(year int, income, opening, transfers, distributed jiti.Amount, reserveRate, memberRate int) (*DistributionPlan, error) {
	var pr problems
	if reserveRate < 0 || reserveRate > FullRate {
		pr.add(ErrPlanRateOutside.With(reserveRate).At("reserve_rate"))
	}
	if memberRate < 0 || memberRate > FullRate {
		pr.add(ErrPlanRateOutside.With(memberRate).At("member_rate"))
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	p := &DistributionPlan{Year: year, Income: income, Opening: opening, Transfers: transfers, Distributed: distributed}
	d := p.Distributable()
	if d <= 0 {
		return p, nil
	}
	var err error
	if p.Reserve, err = d.MulRatio(int64(reserveRate), FullRate); err != nil {
		return nil, err
	}
	if p.Members, err = (d - p.Reserve).MulRatio(int64(memberRate), FullRate); err != nil {
		return nil, err
	}
	p.Members -= p.Members % jiti.Yuan(1)
	if p.Reserve+p.Members > d { // MulRatio rounds half up: never above what there is
		p.Reserve = d - p.Members
	}
	return p, p.Check()
}

// AllocateByShares divides the members' part of a plan among the holders of
// shares in proportion to their shares, to the fen by largest remainder
// (the earlier holder taking a tie), so the amounts add up exactly to
// total. The collective's own holdings (集体股) get their part like any
// other: it stays with the collective.
func AllocateByShares(total jiti.Amount, shares []Shares) ([]jiti.Amount, error) {
	if total < 0 {
		return nil, ErrNegative.With(total).At("members")
	}
	var sum Shares
	weights := make([]*big.Rat, len(shares))
	for i, s := range shares {
		if s < 0 {
			return nil, ErrNegative.With(s).At("shares")
		}
		sum += s
		weights[i] = big.NewRat(int64(s), 1)
	}
	if sum == 0 {
		if total == 0 {
			return make([]jiti.Amount, len(shares)), nil
		}
		return nil, ErrPlanNoShares.At("shares")
	}
	return distribute(total, weights), nil
}

// Allotment is one household's part of a distribution, and what it was
// paid; Household "" is the collective's own shares (集体股), whose part
// stays with it.
type Allotment struct {
	Household string      `json:"household"`
	Name      string      `json:"name"` // the household's name, its head's
	Shares    Shares      `json:"shares"`
	Amount    jiti.Amount `json:"amount"`
	Paid      jiti.Amount `json:"paid"`
}

// Owed is what is still to pay the household.
func (l Allotment) Owed() jiti.Amount {
	if l.Household == "" {
		return 0
	}
	return l.Amount - l.Paid
}

package demo

import (
	"context"
	"fmt"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// The demo's income distributions (收益分配): once a year is closed, each
// village whose year earned (a positive 本年收益) and whose distributable
// income gives its members at least minDividend drafts a plan from its
// books: 10–20 % to 公积公益金, a fifth to two fifths of the rest to the
// members by their shares; its members' assembly adopts it in January,
// before the Spring Festival, and the dividends are paid through the bank
// within days. The plan of a year is adopted and paid in the next year's
// January, so its vouchers move 322, 311, 113 and 102 of that year and
// never its income.

// minDividend is the least members' part a village distributes.
var minDividend = jiti.Yuan(30_000)

// distribute drafts, adopts on its decision and pays village v's plan for
// year, its decision resolved on resolved; it reports whether the village
// could afford one.
func (b *builder) distribute(ctx context.Context, kj jiti.UserID, cid int64, v *village, year int) (bool, error) {
	rng := newRand(b.opts.Seed, "distribution", v.Region.Code, year)
	in := store.DistributionInput{Year: year, ReserveRate: 1000 + 500*rng.IntN(3), MemberRate: 1000 + 500*rng.IntN(3)}
	st, err := b.db.IncomeStatement(ctx, cid, jiti.NewPeriod(year, time.December))
	if err != nil {
		return false, err
	}
	// Lines of the 收益及收益分配表: 13 本年收益, 14 年初未分配收益, 15
	// 其他转入, 17–19 what the year already distributed.
	val := func(no int) jiti.Amount { return st.Value(no, 0) }
	plan, err := register.DraftPlan(year, val(13), val(14), val(15), val(17)+val(18)+val(19), in.ReserveRate, in.MemberRate)
	if err != nil || plan.Income <= 0 || plan.Members < minDividend {
		return false, nil // nothing to give, or too little to be worth an assembly
	}
	if _, err := b.db.DraftDistribution(ctx, kj, cid, in); err != nil {
		return false, fmt.Errorf("draft: %w", err)
	}
	resolved := jiti.Date{Year: year + 1, Month: time.January, Day: 3 + rng.IntN(3)}
	adopted, paid := resolved.AddDays(2), resolved.AddDays(4)
	number := fmt.Sprintf("FP%d-01", year+1)
	subject := fmt.Sprintf("%d年度收益分配方案", year)
	d := register.Decision{CollectiveID: cid, Number: number, Kind: register.DecideDistribution, Subject: subject,
		Steps: assemblySteps(rng, subject, resolved, 300+rng.IntN(300), "村务公开栏公布分配结果", paid.AddDays(1))}
	if _, err := b.db.CreateDecisions(ctx, kj, []register.Decision{d}); err != nil {
		return false, fmt.Errorf("decision: %w", err)
	}
	if _, err := b.db.AdoptDistribution(ctx, kj, cid, year, adopted, number); err != nil {
		return false, fmt.Errorf("adopt: %w", err)
	}
	if _, err := b.db.PayDistribution(ctx, kj, cid, year, paid, acctBank, nil); err != nil {
		return false, fmt.Errorf("pay: %w", err)
	}
	return true, nil
}

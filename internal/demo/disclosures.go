package demo

import (
	"context"
	"fmt"

	"example.org/jiti"
	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/store"
)

// correctEvery is how often a village corrects a published quarter: one
// village in seven publishes a second version of its second quarter.
const correctEvery = 7

// discloseTown publishes the four quarters of the last year of every
// village of a township (财务公开): its accountant prepares them, the
// oversight group's check is recorded ten days after each quarter's end,
// and they are published; every correctEvery-th village then corrects
// its second quarter. Each village's books are read once for its four
// quarters, once to publish them, and once per correction.
func (b *builder) discloseTown(ctx context.Context, kj jiti.UserID, ids []int64) error {
	year := b.span.To
	today := jiti.DateOf(b.db.Now())
	quarters := make([]disclose.Period, 4)
	for q := range quarters {
		quarters[q], _ = disclose.ParsePeriod(fmt.Sprintf("%dQ%d", year, q+1))
	}
	checkedOn := func(p disclose.Period) jiti.Date {
		d := p.End().AddDays(10)
		if d.After(today) {
			return today
		}
		return d
	}
	for _, cid := range ids {
		ds, err := b.db.PrepareDisclosures(ctx, kj, cid, quarters)
		if err != nil {
			return fmt.Errorf("demo: disclose %d of collective %d: %w", year, cid, err)
		}
		published := make([]int64, len(ds))
		for i, d := range ds {
			if _, err := b.db.CheckDisclosure(ctx, kj, d.ID, oversight(quarters[i], checkedOn)); err != nil {
				return fmt.Errorf("demo: check %s of collective %d: %w", d.Period, cid, err)
			}
			published[i] = d.ID
		}
		if _, err := b.db.PublishDisclosures(ctx, kj, published); err != nil {
			return fmt.Errorf("demo: publish %d of collective %d: %w", year, cid, err)
		}
		if cid%correctEvery != 0 {
			continue
		}
		c, err := b.db.CorrectDisclosure(ctx, kj, published[1], "补充公开第二季度合同收款明细")
		if err != nil {
			return fmt.Errorf("demo: correct %d Q2 of collective %d: %w", year, cid, err)
		}
		if _, err := b.db.CheckDisclosure(ctx, kj, c.ID, oversight(quarters[1], func(p disclose.Period) jiti.Date {
			return checkedOn(p).AddDays(5)
		})); err != nil {
			return err
		}
		if _, err := b.db.PublishDisclosure(ctx, kj, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// oversight is the members' oversight group's check of a quarter.
func oversight(p disclose.Period, on func(disclose.Period) jiti.Date) store.DisclosureCheck {
	return store.DisclosureCheck{Checker: "民主理财小组", On: on(p), Remarks: "经核对，收支凭证齐全，账实相符"}
}

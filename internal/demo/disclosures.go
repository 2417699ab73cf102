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
// village of a township (财务公开): its accountant enters them with the
// oversight group's check of each, ten days after the quarter's end, and
// publishes them in one act (store.PublishChecked: one read of the
// village's books for the four); every correctEvery-th village then
// corrects its second quarter.
func (b *builder) discloseTown(ctx context.Context, kj jiti.UserID, ids []int64) error {
	year := b.span.To
	today := jiti.DateOf(b.db.Now())
	quarters := make([]disclose.Period, 4)
	checks := make([]store.DisclosureCheck, 4)
	for q := range quarters {
		quarters[q], _ = disclose.ParsePeriod(fmt.Sprintf("%dQ%d", year, q+1))
		checks[q] = oversight(quarters[q], today, 10)
	}
	for _, cid := range ids {
		ds, err := b.db.PublishChecked(ctx, kj, cid, quarters, checks, 0, "")
		if err != nil {
			return fmt.Errorf("demo: disclose %d of collective %d: %w", year, cid, err)
		}
		if cid%correctEvery != 0 {
			continue
		}
		if _, err := b.db.PublishChecked(ctx, kj, cid, quarters[1:2], []store.DisclosureCheck{oversight(quarters[1], today, 15)},
			ds[1].ID, "补充公开第二季度合同收款明细"); err != nil {
			return fmt.Errorf("demo: correct %d Q2 of collective %d: %w", year, cid, err)
		}
	}
	return nil
}

// oversight is the members' oversight group's check of a quarter, days
// after its end (today at the latest).
func oversight(p disclose.Period, today jiti.Date, days int) store.DisclosureCheck {
	on := p.End().AddDays(days)
	if on.After(today) {
		on = today
	}
	return store.DisclosureCheck{Checker: "民主理财小组", On: on, Remarks: "经核对，收支凭证齐全，账实相符"}
}

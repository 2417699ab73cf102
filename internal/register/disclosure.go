package register

import (
	"fmt"
	"time"

	"example.org/jiti"
)

// DisclosureGraceDays is how long after a quarter's end its disclosure
// (财务公开, at least every quarter: 农经发〔2011〕13号) may wait before a
// warning.
const DisclosureGraceDays = 30

// DisclosuresDue returns a warning for each quarter of the year before
// today that ended more than DisclosureGraceDays ago, after the books
// were opened, whose months are not all covered by a published
// disclosure (of the quarter, or of its months one by one). Days is the
// days since the quarter's end, Date that end, Detail the quarter
// (2025Q1).
func DisclosuresDue(cid int64, opened jiti.Date, covered map[jiti.Period]bool, today jiti.Date) []Warning {
	var out []Warning
	// The last four quarters whose grace is over.
	q := quarterStart(today.Period())
	for today.DaysSince((q + 2).Last()) <= DisclosureGraceDays {
		q = quarterStart(q.Prev())
	}
	for i := 0; i < 4; i++ {
		end := (q + 2).Last()
		if !end.Before(opened) {
			if !covered[q] || !covered[q+1] || !covered[q+2] {
				out = append(out, Warning{Kind: WarnNoDisclosure, CollectiveID: cid, Days: today.DaysSince(end), Date: end,
					Detail: fmt.Sprintf("%04dQ%d", q.Year(), (int(q.Month())+2)/3)})
			}
		}
		q = quarterStart(q.Prev())
	}
	return out
}

// quarterStart is the first month of m's quarter.
func quarterStart(m jiti.Period) jiti.Period {
	return jiti.NewPeriod(m.Year(), time.Month((int(m.Month())-1)/3*3+1))
}

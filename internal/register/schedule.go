package register

import (
	"fmt"
	"math/big"
	"slices"
	"time"

	"example.org/jiti"
)

// MaxInstalments is the most instalments a schedule may have: a hundred
// years paid monthly.
const MaxInstalments = 1200

// Months returns the length in months of a frequency's periods, 0 for once.
func (f Frequency) Months() int {
	switch f {
	case Yearly:
		return 12
	case HalfYearly:
		return 6
	case Quarterly:
		return 3
	case Monthly:
		return 1
	}
	return 0
}

// AddMonths returns d plus n months, on the same day of the month or the
// month's last day if it has fewer: 2025-01-31 plus one month is
// 2025-02-28. Periods are always counted from the contract's start, never
// chained, so a start on the 31st keeps its day where months allow.
func AddMonths(d jiti.Date, n int) jiti.Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	m %= 12
	if m < 0 {
		m += 12
		y--
	}
	last := jiti.NewPeriod(y, time.Month(m+1)).Last()
	return jiti.Date{Year: y, Month: time.Month(m + 1), Day: min(d.Day, last.Day)}
}

// days returns the number of days from..to, both included.
func days(from, to jiti.Date) int64 { return int64(to.DaysSince(from)) + 1 }

// Schedule returns the schedule of receivables of contract c: one
// instalment for a one-off payment, covering the whole term; otherwise one
// per year, half-year, quarter or month counted from the start, the last
// one ending with the term. Each falls due on the first day of the period
// it covers.
//
// The amounts add up exactly to c.Amount. Every whole period weighs the
// same, so a yearly rent is the same in a leap year; a last, shorter period
// weighs its days over the days of the whole period it cuts short. With an
// escalation, the periods of the k-th contract year (k from 0) weigh
// (1+e)^k more. The amount is split by the weights in exact arithmetic and
// rounded to the fen by largest remainder, the earliest instalment taking
// a tie. An amount too small to give every instalment a fen is refused.
func Schedule(c *Contract) ([]Instalment, error) {
	var p problems
	c.validateTerm(&p)
	if c.Amount <= 0 {
		p.add(ErrNotPositive.With(c.Amount).At("amount"))
	}
	checkEnum(&p, c.Frequency, frequencies, "frequency")
	if c.Escalation < 0 || c.Escalation > FullRate {
		p.add(ErrRange.With(c.Escalation, 0, FullRate).At("escalation"))
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	if c.Frequency.Months() == 0 {
		return []Instalment{{ContractID: c.ID, No: 1, DueOn: c.Start, From: c.Start, To: c.End, Amount: c.Amount}}, nil
	}
	out, weights, err := periods(c)
	if err != nil {
		return nil, err
	}
	for i, a := range distribute(c.Amount, weights) {
		if a <= 0 {
			// An instalment of nothing is no receivable; CheckSchedule
			// refuses it too.
			return nil, ErrScheduleZero.With(c.Amount, len(out)).At("amount")
		}
		out[i].Amount = a
	}
	return out, nil
}

// periods returns the instalments of contract c's schedule without their
// amounts, and the weight of each (see Schedule): c has a valid term and a
// frequency other than once.
func periods(c *Contract) ([]Instalment, []*big.Rat, error) {
	n := c.Frequency.Months()
	var out []Instalment
	var weights []*big.Rat
	for k := 0; ; k++ {
		from := AddMonths(c.Start, k*n)
		if from.After(c.End) {
			break
		}
		if k >= MaxInstalments {
			return nil, nil, ErrScheduleTooLong.With(k+1, MaxInstalments).At("frequency")
		}
		next := AddMonths(c.Start, (k+1)*n)
		to := next.AddDays(-1)
		w := big.NewRat(1, 1)
		if to.After(c.End) {
			w.SetFrac64(days(from, c.End), days(from, to))
			to = c.End
		}
		if year := k * n / 12; year > 0 && c.Escalation > 0 {
			growth := new(big.Rat).SetFrac(
				new(big.Int).Exp(big.NewInt(int64(FullRate+c.Escalation)), big.NewInt(int64(year)), nil),
				new(big.Int).Exp(big.NewInt(FullRate), big.NewInt(int64(year)), nil))
			w.Mul(w, growth)
		}
		out = append(out, Instalment{ContractID: c.ID, No: k + 1, DueOn: from, From: from, To: to})
		weights = append(weights, w)
	}
	return out, weights, nil
}

// AmountForRent returns the amount of contract c's whole term at which each
// whole period of its first contract year falls due at rent: rent times the
// sum of the weights Schedule gives its periods (a shorter last period
// weighs its share of days, escalation grows later years), rounded half
// up to the fen. It is how a contract is priced from a rent per period;
// Schedule then gives back rent, give or take a fen, in each first-year
// period. For a one-off payment (once) it is rent. c's term, frequency and
// escalation must be valid (Schedule's checks); otherwise it returns 0.
func AmountForRent(c *Contract, rent jiti.Amount) jiti.Amount {
	if c.Frequency.Months() == 0 {
		return rent
	}
	var p problems
	c.validateTerm(&p)
	checkEnum(&p, c.Frequency, frequencies, "frequency")
	if p.err() != nil || c.Escalation < 0 || c.Escalation > FullRate {
		return 0
	}
	_, weights, err := periods(c)
	if err != nil {
		return 0
	}
	sum := new(big.Rat)
	for _, w := range weights {
		sum.Add(sum, w)
	}
	sum.Mul(sum, new(big.Rat).SetInt64(int64(rent)))
	// Round half up: floor((2·num + den) / (2·den)).
	num := new(big.Int).Mul(sum.Num(), big.NewInt(2))
	num.Add(num, sum.Denom())
	return jiti.Amount(new(big.Int).Quo(num, new(big.Int).Mul(sum.Denom(), big.NewInt(2))).Int64())
}

// distribute splits total in proportion to weights (> 0), in fen,
// exactly: each share is rounded down, and the fen left over go one each
// to the largest remainders, the earliest first among equals.
func distribute(total jiti.Amount, weights []*big.Rat) []jiti.Amount {
	out := make([]jiti.Amount, len(weights))
	if len(weights) == 0 {
		return out
	}
	if total < 0 {
		for i, a := range distribute(-total, weights) {
			out[i] = -a
		}
		return out
	}
	sum := new(big.Rat)
	for _, w := range weights {
		sum.Add(sum, w)
	}
	if sum.Sign() == 0 {
		out[0] = total
		return out
	}
	type rest struct {
		i int
		r *big.Rat
	}
	rests := make([]rest, len(weights))
	given := jiti.Amount(0)
	for i, w := range weights {
		exact := new(big.Rat).Mul(new(big.Rat).SetInt64(int64(total)), w)
		exact.Quo(exact, sum)
		q := new(big.Int).Quo(exact.Num(), exact.Denom()) // exact ≥ 0, so this is the floor
		out[i] = jiti.Amount(q.Int64())
		given += out[i]
		rests[i] = rest{i, new(big.Rat).Sub(exact, new(big.Rat).SetInt(q))}
	}
	slices.SortStableFunc(rests, func(a, b rest) int { return b.r.Cmp(a.r) })
	for k := 0; given < total; k++ {
		out[rests[k%len(rests)].i]++
		given++
	}
	return out
}

// CheckSchedule checks a schedule given by a user (an import) against its
// contract: numbered 1..n in order, each with a due date no earlier than
// the one before, a period inside the term that does not overlap the one
// before, a positive amount, and amounts that add up to the contract's.
// Gaps between periods are allowed (a rent-free season). It reports every
// problem, each at its instalment ("instalments[3].amount"), and the sum at
// "instalments".
func CheckSchedule(c *Contract, insts []Instalment) error {
	if len(insts) == 0 {
		return jiti.ErrRequired.At("instalments")
	}
	if len(insts) > MaxInstalments {
		return ErrScheduleTooLong.With(len(insts), MaxInstalments).At("instalments")
	}
	var p problems
	var sum jiti.Amount
	for i, in := range insts {
		checkInstalment(&p, c, insts, i)
		sum += in.Amount
	}
	if sum != c.Amount {
		p.add(ErrScheduleSum.With(sum, c.Amount).At("instalments"))
	}
	return p.err()
}

func checkInstalment(p *problems, c *Contract, insts []Instalment, i int) {
	in := insts[i]
	at := fmt.Sprintf("instalments[%d]", i+1)
	if in.No != i+1 {
		p.add(ErrScheduleNumber.With(in.No, i+1).At(at + ".no"))
	}
	switch {
	case in.DueOn.IsZero():
		p.add(jiti.ErrRequired.At(at + ".due_on"))
	case i > 0 && in.DueOn.Before(insts[i-1].DueOn):
		p.add(ErrScheduleOrder.With(in.DueOn, insts[i-1].DueOn).At(at + ".due_on"))
	}
	switch {
	case in.From.IsZero():
		p.add(jiti.ErrRequired.At(at + ".from"))
	case in.To.IsZero():
		p.add(jiti.ErrRequired.At(at + ".to"))
	case in.To.Before(in.From):
		p.add(ErrEndBeforeStart.With(in.To, in.From).At(at + ".to"))
	case in.From.Before(c.Start):
		p.add(ErrScheduleOutside.With(in.From, in.To, c.Start, c.End).At(at + ".from"))
	case in.To.After(c.End):
		p.add(ErrScheduleOutside.With(in.From, in.To, c.Start, c.End).At(at + ".to"))
	case i > 0 && !insts[i-1].To.IsZero() && !in.From.After(insts[i-1].To):
		p.add(ErrScheduleOverlap.With(in.From, insts[i-1].To).At(at + ".from"))
	}
	switch {
	case in.Amount <= 0:
		p.add(ErrNotPositive.With(in.Amount).At(at + ".amount"))
	case in.Amount > jiti.MaxAmount:
		p.add(jiti.ErrAmountOverflow.At(at + ".amount"))
	}
}

// YearSlice is the part of an instalment that is income of one calendar
// year.
type YearSlice struct {
	Year   int         `json:"year"`
	Amount jiti.Amount `json:"amount"`
}

// Slices splits an instalment's amount over the calendar years its period
// From..To covers, by days, exactly: a lump sum paid for three years is
// income of those three years, not of the year it was paid. An instalment
// without a valid period is income of the year it falls due.
func Slices(in Instalment) []YearSlice {
	if in.From.IsZero() || in.To.IsZero() || in.To.Before(in.From) {
		y := in.DueOn.Year
		if y == 0 {
			y = in.From.Year
		}
		return []YearSlice{{Year: y, Amount: in.Amount}}
	}
	var out []YearSlice
	var weights []*big.Rat
	for y := in.From.Year; y <= in.To.Year; y++ {
		from := jiti.Date{Year: y, Month: time.January, Day: 1}
		to := jiti.Date{Year: y, Month: time.December, Day: 31}
		if from.Before(in.From) {
			from = in.From
		}
		if to.After(in.To) {
			to = in.To
		}
		out = append(out, YearSlice{Year: y})
		weights = append(weights, new(big.Rat).SetInt64(days(from, to)))
	}
	for i, a := range distribute(in.Amount, weights) {
		out[i].Amount = a
	}
	return out
}

package register

import (
	"slices"

	"example.org/jiti"
)

// AllocOptions say what a receipt may do beyond paying what is due.
type AllocOptions struct {
	Advance bool // may pay instalments not yet due
	Over    bool // may pay more than the contract still owes: the excess is held to refund
}

// AllocPart is the part of a receipt that pays one instalment.
type AllocPart struct {
	No     int         `json:"no"`
	Amount jiti.Amount `json:"amount"`
}

// Allocation is how a receipt pays a contract's instalments.
type Allocation struct {
	Parts       []AllocPart `json:"parts"`                 // in due order, one per instalment paid
	Advance     jiti.Amount `json:"advance,omitempty"`     // paid to instalments not yet due
	Overpayment jiti.Amount `json:"overpayment,omitempty"` // more than the contract owed, held to refund
}

// Allocate applies a receipt of amount on date on to a contract's
// instalments, the earliest due first (by due date, then number). What is
// due by on is paid first; paying instalments not yet due needs
// o.Advance, and paying more than all that is outstanding needs o.Over
// (the excess is the Overpayment, held in 211 to refund). Without them the
// receipt is refused with what may be paid, so that a typing error never
// becomes an advance or a debt to the payer.
//
// Each part pays a different instalment, so the split of each part
// (Recognize) is computed from the instalments as loaded, before the
// receipt; then Apply records it.
func Allocate(insts []Instalment, on jiti.Date, amount jiti.Amount, o AllocOptions) (*Allocation, error) {
	if amount <= 0 {
		return nil, ErrNotPositive.With(amount).At("amount")
	}
	if amount > jiti.MaxAmount {
		return nil, jiti.ErrAmountOverflow.At("amount")
	}
	order := dueOrder(insts)
	var due, total jiti.Amount
	for _, in := range order {
		if out := in.Outstanding(); out > 0 {
			total += out
			if !in.DueOn.After(on) {
				due += out
			}
		}
	}
	if amount > total && !o.Over {
		return nil, ErrReceiptExceedsContract.With(amount, total).At("amount")
	}
	if amount > due && total > due && !o.Advance {
		return nil, ErrReceiptExceedsDue.With(amount, due, on).At("amount")
	}
	a := &Allocation{}
	left := amount
	for _, in := range order {
		out := in.Outstanding()
		if out <= 0 || left == 0 {
			continue
		}
		pay := min(out, left)
		a.Parts = append(a.Parts, AllocPart{No: in.No, Amount: pay})
		if in.DueOn.After(on) {
			a.Advance += pay
		}
		left -= pay
	}
	a.Overpayment = left
	return a, nil
}

// dueOrder returns the instalments sorted by due date, then number.
func dueOrder(insts []Instalment) []Instalment {
	out := slices.Clone(insts)
	slices.SortStableFunc(out, func(x, y Instalment) int {
		if c := x.DueOn.Compare(y.DueOn); c != 0 {
			return c
		}
		return x.No - y.No
	})
	return out
}

// Apply adds the allocation's parts to the instalments' Received.
func (a *Allocation) Apply(insts []Instalment) {
	for _, part := range a.Parts {
		for i := range insts {
			if insts[i].No == part.No {
				insts[i].Received += part.Amount
				break
			}
		}
	}
}

// Split is how part of a receipt (or an accrual) is booked: income of the
// year now, deferred income of later years (211, recognized in those years:
// Later lists it by year), and for an accrued instalment the receivable it
// clears (112).
type Split struct {
	Income     jiti.Amount `json:"income,omitempty"`
	Deferred   jiti.Amount `json:"deferred,omitempty"`
	Receivable jiti.Amount `json:"receivable,omitempty"`
	Later      []YearSlice `json:"later,omitempty"` // Deferred by the year it is income of
}

// Total returns all the split books.
func (s Split) Total() jiti.Amount { return s.Income + s.Deferred + s.Receivable }

// Recognize splits part, paid on date on to instalment in (as it was
// before the payment), into what it books. For a contract that accrues and
// an instalment already accrued, the whole part clears the receivable: the
// income was booked by the accrual. Otherwise the part pays the
// instalment's year slices in order, continuing after what was received
// before: the slices of years up to on's year are income now (a year
// already closed cannot take it back), those of later years are deferred.
func Recognize(c *Contract, in Instalment, part jiti.Amount, on jiti.Date) Split {
	if c.Accrue && in.Accrued {
		return Split{Receivable: part}
	}
	return splitByYear(in, in.Received, part, on.Year)
}

// AccrualSplit returns how accruing instalment in on date on books: its
// outstanding amount, debited to 112, is income of the slices of years up
// to on's year and deferred for later years. (What was received before the
// accrual paid the earliest slices already.)
func AccrualSplit(in Instalment, on jiti.Date) Split {
	return splitByYear(in, in.Received, in.Outstanding(), on.Year)
}

// splitByYear splits the amount of instalment in that runs from offset to
// offset+amount over its year slices, into the slices of years up to year
// and those of later years.
func splitByYear(in Instalment, offset, amount jiti.Amount, year int) Split {
	var s Split
	start := jiti.Amount(0)
	for _, ys := range Slices(in) {
		part := overlap(offset, offset+amount, start, start+ys.Amount)
		start += ys.Amount
		switch {
		case part == 0:
		case ys.Year <= year:
			s.Income += part
		default:
			s.Deferred += part
			s.Later = append(s.Later, YearSlice{Year: ys.Year, Amount: part})
		}
	}
	// Anything beyond the instalment's amount (never, after Allocate) is
	// income now rather than lost.
	s.Income += amount - s.Income - s.Deferred
	return s
}

// overlap returns the length of the intersection of [a1, a2) and [b1, b2).
func overlap(a1, a2, b1, b2 jiti.Amount) jiti.Amount {
	return max(0, min(a2, b2)-max(a1, b1))
}

// DeferredIn returns the income of year held deferred for instalment in:
// the part of its slice of year that the first bookedBefore of its amount
// paid, where bookedBefore is what was received before 1 January of year,
// or the whole amount if the instalment was accrued before then. It is
// what to recognize in year (Dr 211 / Cr income), once per instalment and
// year.
func DeferredIn(in Instalment, year int, bookedBefore jiti.Amount) jiti.Amount {
	start := jiti.Amount(0)
	for _, ys := range Slices(in) {
		if ys.Year == year {
			return overlap(0, bookedBefore, start, start+ys.Amount)
		}
		start += ys.Amount
	}
	return 0
}

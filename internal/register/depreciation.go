package register

import "example.org/jiti"

// DepreciationState is an asset's depreciation before the month being
// depreciated: everything depreciated so far, the opening depreciation and
// opening months of an existing asset included (the store adds them to
// what jiti has charged since), and for the units method the work done.
type DepreciationState struct {
	Accumulated jiti.Amount // depreciation so far, the opening depreciation included
	MonthsDone  int         // months depreciated so far, the opening months included
	Work        int64       // units method: work done in the month
	// WorkDone is the units method's work done before the month, since
	// acquisition. When it and Work reach TotalWork the month takes all
	// that remains, so the asset ends depreciated to the fen; left zero, the
	// remainder waits until the capped monthly amounts reach it.
	WorkDone int64
}

// DepreciatedIn reports whether asset a is depreciated in month p at all:
// never under method none; not in the month it was acquired, but from the
// month after (an existing asset's months before the books are in its
// opening state); in the month it is disposed of, and never after.
// Leased-out, idle and seasonally unused assets are depreciated like any
// other. Whether anything remains to depreciate is for
// MonthlyDepreciation.
func DepreciatedIn(a *Asset, p jiti.Period) bool {
	if a.Method != StraightLine && a.Method != UnitsOfWork {
		return false
	}
	if a.AcquiredOn.IsZero() || p <= a.AcquiredOn.Period() {
		return false
	}
	if d := disposedOn(a); !d.IsZero() && p > d.Period() {
		return false
	}
	return true
}

// disposedOn returns the date the asset was (or is being) disposed of: its
// DisposedOn, which the store sets before charging the month of disposal,
// or for a disposed asset without one the date of its status.
func disposedOn(a *Asset) jiti.Date {
	if !a.DisposedOn.IsZero() || a.Status != Disposed {
		return a.DisposedOn
	}
	return a.StatusSince
}

// MonthlyDepreciation returns asset a's depreciation for month p, given
// its state before p; zero when nothing is due (see DepreciatedIn) or
// nothing remains.
//
// Straight-line: what remains to depreciate spread evenly over the months
// of life left, rounded to the fen; recomputed every month, so the
// rounding never accumulates and the last month of life takes exactly the
// remainder. A month beyond the life (an asset whose opening months used up
// its life without its depreciation) also takes the remainder. A month
// charges at least a fen while anything remains, so a nominal asset (1
// yuan over 20 years) ends its depreciation early rather than never.
//
// Units of work: the depreciable amount times the month's share of the
// total work, rounded to the fen and capped at the remainder; the month in
// which the work done reaches the total takes exactly the remainder.
func MonthlyDepreciation(a *Asset, p jiti.Period, st DepreciationState) jiti.Amount {
	if !DepreciatedIn(a, p) {
		return 0
	}
	remaining := Depreciable(a) - st.Accumulated
	if remaining <= 0 {
		return 0
	}
	switch a.Method {
	case StraightLine:
		if a.LifeMonths <= 0 {
			return 0
		}
		left := a.LifeMonths - st.MonthsDone
		if left <= 1 {
			return remaining
		}
		m, err := remaining.MulRatio(1, int64(left))
		if err != nil {
			return 0
		}
		// At least a fen: months of nothing would not count as months
		// done, and an asset worth less than a fen a month would never be
		// depreciated.
		return max(m, 1)
	case UnitsOfWork:
		if st.Work <= 0 || a.TotalWork <= 0 {
			return 0
		}
		if st.WorkDone+st.Work >= a.TotalWork {
			return remaining
		}
		m, err := Depreciable(a).MulRatio(st.Work, a.TotalWork)
		if err != nil {
			return 0
		}
		return min(m, remaining)
	}
	return 0
}

// PlannedMonth is a month of a depreciation plan.
type PlannedMonth struct {
	Period      jiti.Period `json:"period"`
	Amount      jiti.Amount `json:"amount"`
	Accumulated jiti.Amount `json:"accumulated"` // after the month, the opening depreciation included
	NetValue    jiti.Amount `json:"net_value"`   // cost less accumulated
}

// DepreciationPlan projects a straight-line asset's depreciation, as month
// close would charge it, and returns the months from..to in which
// something is charged. A new asset is projected from the month after its
// acquisition; an existing one from from, which is then taken to be its
// first month in jiti, with its opening depreciation and months done
// before. It returns nil for other methods: their amounts depend on work
// not yet done.
func DepreciationPlan(a *Asset, from, to jiti.Period) []PlannedMonth {
	if a.Method != StraightLine || a.AcquiredOn.IsZero() || to < from {
		return nil
	}
	p := a.AcquiredOn.Period().Next()
	var st DepreciationState
	if a.Source == Existing {
		p = max(from, p)
		st = DepreciationState{Accumulated: a.OpeningDepreciation, MonthsDone: a.OpeningMonths}
	}
	var out []PlannedMonth
	for ; p <= to; p = p.Next() {
		if !DepreciatedIn(a, p) || st.Accumulated >= Depreciable(a) {
			break
		}
		m := MonthlyDepreciation(a, p, st)
		st.Accumulated += m
		st.MonthsDone++
		if p >= from && m > 0 {
			out = append(out, PlannedMonth{Period: p, Amount: m, Accumulated: st.Accumulated, NetValue: a.Cost - st.Accumulated})
		}
	}
	return out
}

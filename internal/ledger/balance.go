package ledger

import (
	"sort"

	"example.org/jiti"
)

// Movement is the turnover of one account in one month: the sums of the
// debits and credits posted to it. The store keeps one per collective,
// account and month, updated in the transaction that posts, so reports read
// months, never lines. Period 0 holds the opening balances of the books.
type Movement struct {
	Account string      `json:"account"`
	Period  jiti.Period `json:"period"`
	Debit   jiti.Amount `json:"debit"`
	Credit  jiti.Amount `json:"credit"`
}

// OpeningPeriod is the Period of the Movements that hold opening balances:
// before every month.
const OpeningPeriod jiti.Period = 0

// TBRow is one row of a trial balance (科目余额表). Balances sit in the debit
// or the credit column by their sign; turnover columns are sums.
type TBRow struct {
	Code      string      `json:"code"`
	Name      string      `json:"name"`
	Level     int         `json:"level"`
	Side      Side        `json:"side"`
	OpeningDr jiti.Amount `json:"opening_debit"`
	OpeningCr jiti.Amount `json:"opening_credit"`
	Debit     jiti.Amount `json:"debit"`
	Credit    jiti.Amount `json:"credit"`
	ClosingDr jiti.Amount `json:"closing_debit"`
	ClosingCr jiti.Amount `json:"closing_credit"`
	YearDr    jiti.Amount `json:"year_debit"`
	YearCr    jiti.Amount `json:"year_credit"`
}

// Opening returns the row's opening balance as debit minus credit.
func (r *TBRow) Opening() jiti.Amount { return r.OpeningDr - r.OpeningCr }

// Closing returns the row's closing balance as debit minus credit.
func (r *TBRow) Closing() jiti.Amount { return r.ClosingDr - r.ClosingCr }

// TrialBalance is a trial balance over the months From..To. Rows list every
// account with a balance or turnover, parents before their detail accounts;
// Total sums the first-level rows.
type TrialBalance struct {
	From  jiti.Period `json:"from"`
	To    jiti.Period `json:"to"`
	Rows  []TBRow     `json:"rows"`
	Total TBRow       `json:"total"`
}

// Balanced reports whether the debit and credit columns agree in every pair.
func (tb *TrialBalance) Balanced() bool {
	t := tb.Total
	return t.OpeningDr == t.OpeningCr && t.Debit == t.Credit && t.ClosingDr == t.ClosingCr && t.YearDr == t.YearCr
}

// Row returns the row of code, or nil.
func (tb *TrialBalance) Row(code string) *TBRow {
	for i := range tb.Rows {
		if tb.Rows[i].Code == code {
			return &tb.Rows[i]
		}
	}
	return nil
}

type sums struct{ before, dr, cr, ydr, ycr jiti.Amount }

// ComputeTrialBalance builds the trial balance of the months from..to from a
// chart and the movements of its leaf accounts (with opening balances at
// OpeningPeriod). Movements after to are ignored. With all set, accounts
// without any balance or turnover are listed too.
func ComputeTrialBalance(accounts []Account, moves []Movement, from, to jiti.Period, all bool) *TrialBalance {
	// The year-to-date columns run from January of the last month's year.
	yearStart := to.YearStart()
	leaf := map[string]*sums{}
	for _, m := range moves {
		if m.Period > to {
			continue
		}
		s := leaf[m.Account]
		if s == nil {
			s = &sums{}
			leaf[m.Account] = s
		}
		if m.Period < from {
			s.before += m.Debit - m.Credit
		} else {
			s.dr += m.Debit
			s.cr += m.Credit
		}
		if m.Period >= yearStart && m.Period != OpeningPeriod {
			s.ydr += m.Debit
			s.ycr += m.Credit
		}
	}
	// Roll leaves up to every ancestor by code prefix.
	total := map[string]*sums{}
	for code, s := range leaf {
		for c := code; len(c) >= 3; c = c[:len(c)-2] {
			t := total[c]
			if t == nil {
				t = &sums{}
				total[c] = t
			}
			t.before += s.before
			t.dr += s.dr
			t.cr += s.cr
			t.ydr += s.ydr
			t.ycr += s.ycr
			if len(c) == 3 {
				break
			}
		}
	}
	sorted := append([]Account(nil), accounts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Code < sorted[j].Code })
	tb := &TrialBalance{From: from, To: to}
	for _, a := range sorted {
		s := total[a.Code]
		if s == nil {
			if !all {
				continue
			}
			s = &sums{}
		}
		if !all && *s == (sums{}) {
			continue
		}
		row := TBRow{Code: a.Code, Name: a.Name, Level: a.Level(), Side: a.Side,
			Debit: s.dr, Credit: s.cr, YearDr: s.ydr, YearCr: s.ycr}
		row.OpeningDr, row.OpeningCr = split(s.before)
		row.ClosingDr, row.ClosingCr = split(s.before + s.dr - s.cr)
		tb.Rows = append(tb.Rows, row)
		if row.Level == 1 {
			t := &tb.Total
			t.OpeningDr += row.OpeningDr
			t.OpeningCr += row.OpeningCr
			t.Debit += row.Debit
			t.Credit += row.Credit
			t.ClosingDr += row.ClosingDr
			t.ClosingCr += row.ClosingCr
			t.YearDr += row.YearDr
			t.YearCr += row.YearCr
		}
	}
	tb.Total.Name = "合计"
	return tb
}

// split places a debit-minus-credit balance in the debit or credit column.
func split(net jiti.Amount) (dr, cr jiti.Amount) {
	if net >= 0 {
		return net, 0
	}
	return 0, -net
}

// NetBalances returns the debit-minus-credit balance of every account at the
// end of month to (opening balances included) from movements.
func NetBalances(moves []Movement, to jiti.Period) map[string]jiti.Amount {
	net := map[string]jiti.Amount{}
	for _, m := range moves {
		if m.Period <= to {
			net[m.Account] += m.Debit - m.Credit
		}
	}
	return net
}

package report

import (
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// Snapshot is the figures of one statement column: plain data that the store
// fills with a few queries (or with NewSnapshot from the monthly movements it
// keeps anyway).
//
// Every map is keyed by leaf account code. Formulas roll leaves up by code
// prefix ("bal:102" sums 102 and every 102xx), so a snapshot needs no chart;
// it must therefore never also hold a parent's total, which would be counted
// twice.
//
// A statement that needs a kind of figure the snapshot leaves nil (Balance,
// Turnover or YearStart) fails with ErrSnapshotMissing rather than reading
// zeros: a balance-sheet snapshot given to the income statement must not
// print an empty statement that looks real. An empty non-nil map means "all
// zero".
type Snapshot struct {
	// Heading is the catalog key of the column's header, such as
	// "report.col.end_balance" (期末余额) or "report.col.year_amount" (本年金额).
	Heading string

	// Balance is the debit-minus-credit balance of each leaf at the column's
	// date (the end of its last month), closing vouchers included.
	Balance map[string]jiti.Amount

	// Split is, for leaves with household sub-ledgers (113 内部往来), the sum
	// of the households' debit balances and the sum of their credit balances,
	// both ≥ 0, whose difference is the leaf's Balance. A leaf absent from
	// Split counts as a whole on the side of its sign. It may be nil.
	Split map[string][2]jiti.Amount

	// Turnover is the {debit, credit} turnover of each leaf over the column's
	// range, closing vouchers excluded: the income statement reads what
	// happened in the year, not the entries that empty the result accounts.
	Turnover map[string][2]jiti.Amount

	// YearStart is the debit-minus-credit balance of each leaf at the start
	// of the column's year (opening balances and the previous year's closing
	// included), for 年初未分配收益.
	YearStart map[string]jiti.Amount

	// Blank says the column lies before the collective's books (BooksCover
	// is false for it): it has no figures, every table shows it empty, and
	// the maps are not read.
	Blank bool
}

// BooksCover reports whether the books of a collective, opened on opened,
// have figures for a statement column ending with month to: its balance at
// the end of to when balance is set, else its turnover in the months up to
// to.
//
// Opening balances are the balances at the end of the day before the books
// open. Books opened on 1 January therefore have the balance at the end of
// the December before: the 上年年末余额 of their first balance sheet is the
// opening balances, taken over from the books kept before. Books opened on
// another day have no balance at the end of the month before.
//
// Turnover needs the books open in to or earlier: the first income
// statement of books opened in 2025 has no 上年金额, and statistics have no
// year before to compare with. A column the books cover only in part (books
// opened in July, a column of the whole year) shows what the books hold, as
// the statement of that year did.
func BooksCover(opened jiti.Date, to jiti.Period, balance bool) bool {
	if balance {
		return !to.Next().First().Before(opened)
	}
	return opened.Period() <= to
}

// NewSnapshot builds a column from monthly movements of leaf accounts, the
// way the store keeps them (ledger.Movement, with opening balances at
// ledger.OpeningPeriod), and the movements of closing vouchers alone, which
// are taken out of the turnover. The column's date is the end of month to;
// its range is from..to; its year starts in January of from's year. For a
// balance column (the balance sheet) only to matters. split is Snapshot.Split
// at the end of to; it may be nil.
func NewSnapshot(heading string, from, to jiti.Period, moves, closing []ledger.Movement, split map[string][2]jiti.Amount) *Snapshot {
	s := &Snapshot{
		Heading:   heading,
		Balance:   map[string]jiti.Amount{},
		Split:     split,
		Turnover:  map[string][2]jiti.Amount{},
		YearStart: map[string]jiti.Amount{},
	}
	yearStart := from.YearStart()
	inRange := func(p jiti.Period) bool { return p != ledger.OpeningPeriod && p >= from && p <= to }
	for _, m := range moves {
		if m.Period <= to {
			s.Balance[m.Account] += m.Debit - m.Credit
		}
		if m.Period < yearStart {
			s.YearStart[m.Account] += m.Debit - m.Credit
		}
		if inRange(m.Period) {
			t := s.Turnover[m.Account]
			s.Turnover[m.Account] = [2]jiti.Amount{t[0] + m.Debit, t[1] + m.Credit}
		}
	}
	for _, m := range closing {
		if inRange(m.Period) {
			t := s.Turnover[m.Account]
			s.Turnover[m.Account] = [2]jiti.Amount{t[0] - m.Debit, t[1] - m.Credit}
		}
	}
	return s
}

// underCode reports whether leaf is the account code or one of its detail
// accounts.
func underCode(leaf, code string) bool { return strings.HasPrefix(leaf, code) }

// sumPrefix sums the amounts of every leaf under code.
func sumPrefix(m map[string]jiti.Amount, code string) jiti.Amount {
	var v jiti.Amount
	for leaf, a := range m {
		if underCode(leaf, code) {
			v += a
		}
	}
	return v
}

// balance returns the debit-minus-credit balance under code.
func (s *Snapshot) balance(code string) jiti.Amount { return sumPrefix(s.Balance, code) }

// parts returns the debit part and the credit part (as a positive amount) of
// the balance under code, leaf by leaf and, where a leaf has sub-ledgers,
// household by household: 113 is not netted, so a household that overpaid
// shows as a payable while the others remain receivables.
func (s *Snapshot) parts(code string) (dr, cr jiti.Amount) {
	for leaf, b := range s.Balance {
		if !underCode(leaf, code) {
			continue
		}
		if p, ok := s.Split[leaf]; ok {
			dr += p[0]
			cr += p[1]
			continue
		}
		if b > 0 {
			dr += b
		} else {
			cr -= b
		}
	}
	// A split leaf with no balance entry at all still has its parts (equal,
	// since they net to zero).
	for leaf, p := range s.Split {
		if _, ok := s.Balance[leaf]; !ok && underCode(leaf, code) {
			dr += p[0]
			cr += p[1]
		}
	}
	return dr, cr
}

// turnover returns the debit and credit turnover under code.
func (s *Snapshot) turnover(code string) (dr, cr jiti.Amount) {
	for leaf, t := range s.Turnover {
		if underCode(leaf, code) {
			dr += t[0]
			cr += t[1]
		}
	}
	return dr, cr
}

// checkSplit verifies that every split is two non-negative parts whose
// difference is the leaf's balance. A split that disagrees with the balance
// would put the balance sheet out of balance with no visible cause, so it is
// an error naming the leaf.
func (s *Snapshot) checkSplit() error {
	for leaf, p := range s.Split {
		if p[0] < 0 || p[1] < 0 || p[0]-p[1] != s.Balance[leaf] {
			return ErrSplitMismatch.With(leaf, p[0]-p[1], s.Balance[leaf])
		}
	}
	return nil
}

package ledger

import (
	"strings"

	"example.org/jiti"
)

// Errors of period closing and reopening.
var (
	ErrPeriodOpenBefore   = jiti.Errorf(jiti.Conflict, "period.earlier_open")
	ErrPeriodHasDrafts    = jiti.Errorf(jiti.Conflict, "period.has_unposted")
	ErrPeriodAlready      = jiti.Errorf(jiti.Conflict, "period.already_closed")
	ErrPeriodNotClosed    = jiti.Errorf(jiti.Conflict, "period.not_closed")
	ErrPeriodLaterClosed  = jiti.Errorf(jiti.Conflict, "period.later_closed")
	ErrPeriodBeforeBooks  = jiti.Errorf(jiti.Invalid, "period.before_books")
	ErrReasonRequired     = jiti.Errorf(jiti.Invalid, "period.reason_required")
	ErrYearMonthOpen      = jiti.Errorf(jiti.Conflict, "period.year_month_open")
	ErrYearDecemberClosed = jiti.Errorf(jiti.Conflict, "period.year_december_closed")
	ErrYearUnposted       = jiti.Errorf(jiti.Conflict, "period.year_unposted")
	ErrYearClosed         = jiti.Errorf(jiti.Conflict, "period.year_closed")
	ErrPeriodInFuture     = jiti.Errorf(jiti.Invalid, "period.future")
	ErrOpeningUnbalanced  = jiti.Errorf(jiti.Invalid, "opening.unbalanced")
	ErrOpeningAfterPosted = jiti.Errorf(jiti.Conflict, "opening.books_in_use")
)

// PeriodState is what closing or reopening a month needs to know.
type PeriodState struct {
	Period       jiti.Period
	BooksOpened  jiti.Period // the first month of the books
	Closed       bool
	EarlierOpen  jiti.Period     // the first month before Period that is still open, or 0
	LaterClosed  bool            // whether the month after Period is closed
	Unposted     int             // drafts and approved vouchers dated in Period
	FirstPending jiti.VoucherRef // one of them, for the message
}

// CheckClose says whether the month may be closed: it must be open, every
// earlier month of the books closed, and no voucher in it left unposted.
func CheckClose(s PeriodState) error {
	switch {
	case s.Period < s.BooksOpened:
		return ErrPeriodBeforeBooks.With(s.Period, s.BooksOpened).At("period")
	case s.Closed:
		return ErrPeriodAlready.With(s.Period).At("period")
	case s.EarlierOpen != 0:
		return ErrPeriodOpenBefore.With(s.EarlierOpen).At("period")
	case s.Unposted > 0:
		return ErrPeriodHasDrafts.With(s.Period, s.Unposted, s.FirstPending).At("period")
	}
	return nil
}

// CheckCloseYear says whether the year whose December s describes may be
// closed (年终结账), naming what blocks it: year-end closing posts its
// vouchers in December and then closes December, so January to November
// must be closed, December open and every voucher in it posted. closed
// says whether the year already has its closing vouchers.
func CheckCloseYear(s PeriodState, closed bool) error {
	year := s.Period.Year()
	switch {
	case s.Period < s.BooksOpened:
		return ErrPeriodBeforeBooks.With(s.Period, s.BooksOpened).At("year")
	case s.Closed && closed:
		return ErrYearClosed.With(year).At("year")
	case s.Closed:
		return ErrYearDecemberClosed.With(year, s.Period).At("year")
	case s.EarlierOpen != 0:
		return ErrYearMonthOpen.With(year, s.EarlierOpen, s.Period).At("year")
	case s.Unposted > 0:
		return ErrYearUnposted.With(year, s.Period, s.Unposted, s.FirstPending).At("year")
	}
	return nil
}

// CheckReopen says whether a closed month may be reopened: months reopen
// from the latest back, and every reopening states its reason.
func CheckReopen(s PeriodState, reason string) error {
	switch {
	case !s.Closed:
		return ErrPeriodNotClosed.With(s.Period).At("period")
	case s.LaterClosed:
		return ErrPeriodLaterClosed.With(s.Period.Next()).At("period")
	case len([]rune(strings.TrimSpace(reason))) < 2:
		return ErrReasonRequired.At("reason")
	}
	return nil
}

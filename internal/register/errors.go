package register

import (
	"strings"

	"example.org/jiti"
)

// Errors of the registers. Each is returned with its arguments and the field
// at fault (.With(args).At(field)), so a form or an import names the cell.
var (
	ErrCode           = jiti.Errorf(jiti.Invalid, "register.code")
	ErrUnknown        = jiti.Errorf(jiti.Invalid, "register.unknown")
	ErrNotPositive    = jiti.Errorf(jiti.Invalid, "register.not_positive")
	ErrNegative       = jiti.Errorf(jiti.Invalid, "register.negative")
	ErrRange          = jiti.Errorf(jiti.Invalid, "register.range")
	ErrAreaSyntax     = jiti.Errorf(jiti.Invalid, "register.area_syntax")
	ErrQuantity       = jiti.Errorf(jiti.Invalid, "register.quantity")
	ErrNotDepreciated = jiti.Errorf(jiti.Invalid, "register.not_depreciated")
	ErrNoDepAccount   = jiti.Errorf(jiti.Invalid, "register.no_dep_account")
	ErrOpeningSource  = jiti.Errorf(jiti.Invalid, "register.opening_not_existing")
	ErrOpeningExceeds = jiti.Errorf(jiti.Invalid, "register.opening_exceeds")
	ErrOpeningMonths  = jiti.Errorf(jiti.Invalid, "register.opening_months")
	ErrAccount        = jiti.Errorf(jiti.Invalid, "register.account")
	ErrExpenseUse     = jiti.Errorf(jiti.Invalid, "register.expense_use")
	ErrBeforeAcquired = jiti.Errorf(jiti.Invalid, "register.before_acquired")
	ErrDisposedOn     = jiti.Errorf(jiti.Invalid, "register.disposed_on_status")

	ErrAssetDisposed = jiti.Errorf(jiti.Conflict, "register.asset_disposed")
	ErrLeaseDisposed = jiti.Errorf(jiti.Conflict, "register.lease_disposed")
	ErrSameStatus    = jiti.Errorf(jiti.Conflict, "register.same_status")
	ErrStatusBefore  = jiti.Errorf(jiti.Invalid, "register.status_before")

	ErrEndBeforeStart   = jiti.Errorf(jiti.Invalid, "register.end_before_start")
	ErrPartyIDUnit      = jiti.Errorf(jiti.Invalid, "register.party_id_unit")
	ErrSubjectRequired  = jiti.Errorf(jiti.Invalid, "register.subject_required")
	ErrResourceRequired = jiti.Errorf(jiti.Invalid, "register.resource_required")
	ErrSubjectOne       = jiti.Errorf(jiti.Invalid, "register.subject_one")
	ErrSubjectArea      = jiti.Errorf(jiti.Invalid, "register.subject_area")
	ErrSubjectDuplicate = jiti.Errorf(jiti.Invalid, "register.subject_duplicate")
	ErrAreaExceeds      = jiti.Errorf(jiti.Invalid, "register.area_exceeds")
	ErrAssetOverlap     = jiti.Errorf(jiti.Conflict, "register.asset_overlap")
	ErrResourceOverlap  = jiti.Errorf(jiti.Conflict, "register.resource_overlap")

	ErrScheduleTooLong = jiti.Errorf(jiti.Invalid, "register.schedule_too_long")
	ErrScheduleSum     = jiti.Errorf(jiti.Invalid, "register.schedule_sum")
	ErrScheduleZero    = jiti.Errorf(jiti.Invalid, "register.schedule_zero")
	ErrScheduleNumber  = jiti.Errorf(jiti.Invalid, "register.schedule_number")
	ErrScheduleOrder   = jiti.Errorf(jiti.Invalid, "register.schedule_order")
	ErrScheduleOutside = jiti.Errorf(jiti.Invalid, "register.schedule_outside")
	ErrScheduleOverlap = jiti.Errorf(jiti.Invalid, "register.schedule_overlap")

	ErrNotDraft      = jiti.Errorf(jiti.Conflict, "register.contract_not_draft")
	ErrNotInForce    = jiti.Errorf(jiti.Conflict, "register.contract_not_in_force")
	ErrSignAfterEnd  = jiti.Errorf(jiti.Invalid, "register.sign_after_end")
	ErrTerminateDate = jiti.Errorf(jiti.Invalid, "register.terminate_date")
	ErrNotYetEnded   = jiti.Errorf(jiti.Conflict, "register.not_yet_ended")

	ErrReceiptExceedsDue      = jiti.Errorf(jiti.Invalid, "register.receipt_exceeds_due")
	ErrReceiptExceedsContract = jiti.Errorf(jiti.Invalid, "register.receipt_exceeds_contract")
)

// problems collects the errors of a validation, so that an import reports
// every bad cell of a row at once.
type problems jiti.Errors

func (p *problems) add(e *jiti.Error) { *p = append(*p, e) }

// err returns nil, the one problem as a *jiti.Error, or several as
// jiti.Errors, as ledger.Validate does.
func (p problems) err() error {
	switch len(p) {
	case 0:
		return nil
	case 1:
		return p[0]
	}
	return jiti.Errors(p)
}

// Limits of text fields, in characters.
const (
	maxCode     = 40
	maxName     = 100
	maxShort    = 20  // units of measure, phone numbers
	maxRef      = 100 // award and resolution references
	maxLocation = 200
	maxText     = 500 // boundaries, notes
)

// checkCode checks a register code: required, short, and free of the
// separators that would break CSV files and command lines.
func checkCode(p *problems, code string) {
	switch {
	case code == "":
		p.add(jiti.ErrRequired.At("code"))
	case len([]rune(code)) > maxCode || strings.ContainsAny(code, " \t\r\n,;"):
		p.add(ErrCode.With(code).At("code"))
	}
}

// checkName checks a required name of at most maxName characters.
func checkName(p *problems, name, field string) {
	switch {
	case name == "":
		p.add(jiti.ErrRequired.At(field))
	case len([]rune(name)) > maxName:
		p.add(jiti.ErrTooLong.With(maxName).At(field))
	}
}

// checkLen checks an optional text's length.
func checkLen(p *problems, s string, max int, field string) {
	if len([]rune(s)) > max {
		p.add(jiti.ErrTooLong.With(max).At(field))
	}
}

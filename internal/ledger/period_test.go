package ledger_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

func TestCheckClose(t *testing.T) {
	open := ledger.PeriodState{Period: 202503, BooksOpened: 202401}
	tests := []struct {
		name    string
		edit    func(s *ledger.PeriodState)
		wantErr error
		kind    jiti.Kind
	}{
		{name: "ready", edit: func(s *ledger.PeriodState) {}},
		{name: "the first month of the books", edit: func(s *ledger.PeriodState) { s.Period = 202401 }},
		{name: "later months may be closed already", edit: func(s *ledger.PeriodState) { s.LaterClosed = true }},
		{name: "before the books", edit: func(s *ledger.PeriodState) { s.Period = 202312 },
			wantErr: ledger.ErrPeriodBeforeBooks, kind: jiti.Invalid},
		{name: "already closed", edit: func(s *ledger.PeriodState) { s.Closed = true },
			wantErr: ledger.ErrPeriodAlready, kind: jiti.Conflict},
		{name: "an earlier month open", edit: func(s *ledger.PeriodState) { s.EarlierOpen = 202502 },
			wantErr: ledger.ErrPeriodOpenBefore, kind: jiti.Conflict},
		{name: "unposted vouchers", edit: func(s *ledger.PeriodState) { s.Unposted, s.FirstPending = 2, jiti.VoucherRef{Period: 202503, ID: 7} },
			wantErr: ledger.ErrPeriodHasDrafts, kind: jiti.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open
			tt.edit(&s)
			err := ledger.CheckClose(s)
			checkErr(t, err, tt.wantErr, "period")
			if tt.wantErr != nil && jiti.KindOf(err) != tt.kind {
				t.Errorf("kind = %v, want %v", jiti.KindOf(err), tt.kind)
			}
		})
	}
}

func TestCheckReopen(t *testing.T) {
	closed := ledger.PeriodState{Period: 202503, BooksOpened: 202401, Closed: true}
	tests := []struct {
		name      string
		edit      func(s *ledger.PeriodState)
		reason    string
		wantErr   error
		wantField string
	}{
		{name: "latest closed month", reason: "补记漏记凭证"},
		{name: "two-rune reason", reason: "更正"},
		{name: "not closed", edit: func(s *ledger.PeriodState) { s.Closed = false }, reason: "更正",
			wantErr: ledger.ErrPeriodNotClosed, wantField: "period"},
		{name: "a later month closed", edit: func(s *ledger.PeriodState) { s.LaterClosed = true }, reason: "更正",
			wantErr: ledger.ErrPeriodLaterClosed, wantField: "period"},
		{name: "no reason", reason: "", wantErr: ledger.ErrReasonRequired, wantField: "reason"},
		{name: "one-rune reason", reason: "改", wantErr: ledger.ErrReasonRequired, wantField: "reason"},
		// Blanks state no reason: the audit log would record nothing.
		{name: "blank reason", reason: "   ", wantErr: ledger.ErrReasonRequired, wantField: "reason"},
		{name: "padded one-rune reason", reason: " 改 ", wantErr: ledger.ErrReasonRequired, wantField: "reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := closed
			if tt.edit != nil {
				tt.edit(&s)
			}
			checkErr(t, ledger.CheckReopen(s, tt.reason), tt.wantErr, tt.wantField)
		})
	}
	// The later month is named, so the user knows which to reopen first.
	err := jiti.AsError(ledger.CheckReopen(ledger.PeriodState{Period: 202512, Closed: true, LaterClosed: true}, "更正"))
	if err == nil || len(err.Args) != 1 || err.Args[0] != jiti.Period(202601) {
		t.Errorf("CheckReopen later closed = %v, want it to name 2026-01", err)
	}
}

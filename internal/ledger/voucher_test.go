package ledger_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"github.com/google/go-cmp/cmp"
)

// rent is a valid voucher of the test books: rent received into the bank.
func rent() *ledger.Voucher {
	return voucherOf("2025-03-15", "收到鱼塘承包租金", dr("10201", "1000"), cr("50101", "1000"))
}

func TestValidate(t *testing.T) {
	max := jiti.MaxAmount
	long := func(n int) string { return strings.Repeat("租", n) }
	edit := func(f func(v *ledger.Voucher)) func() *ledger.Voucher {
		return func() *ledger.Voucher {
			v := rent()
			f(v)
			return v
		}
	}
	three := func(l1 ledger.Line) func() *ledger.Voucher {
		// l1 is the line under test; lines 2 and 3 are fine.
		return func() *ledger.Voucher {
			l1.Summary = "测试"
			return voucherOf("2025-03-15", "", l1, dr("101", "5"), cr("504", "5"))
		}
	}
	tests := []struct {
		name      string
		voucher   func() *ledger.Voucher
		books     func(b *ledger.Books)
		wantErr   error
		wantField string
		wantArgs  []any
	}{
		{name: "valid", voucher: rent},
		{name: "valid many lines", voucher: func() *ledger.Voucher {
			return voucherOf("2025-03-31", "发放工资", dr("513", "3000"), dr("511", "2000"), dr("514", "0.01"),
				cr("10201", "4000"), cr("101", "1000.01"))
		}},
		{name: "valid on the day the books opened", voucher: func() *ledger.Voucher {
			return voucherOf("2024-01-10", "期初", dr("101", "1"), cr("301", "1"))
		}, books: func(b *ledger.Books) { b.Closed = nil }},
		{name: "valid with household known", voucher: edit(func(v *ledger.Voucher) { v.Lines[0].Household = "H001" }),
			books: func(b *ledger.Books) { b.HouseholdKnown = func(c string) bool { return c == "H001" } }},
		{name: "valid at the length limits", voucher: edit(func(v *ledger.Voucher) {
			v.Note = long(500)
			v.Attachments = 9999
			l := &v.Lines[0]
			l.Summary, l.Counterparty, l.Household, l.Project, l.Asset, l.Contract = long(200), long(100), long(40), long(40), long(40), long(40)
		})},
		{name: "valid at MaxAmount", voucher: func() *ledger.Voucher {
			return voucherOf("2025-03-15", "大额", ledger.Line{Account: "101", Debit: max}, ledger.Line{Account: "301", Credit: max})
		}},

		{name: "unbalanced", voucher: func() *ledger.Voucher {
			return voucherOf("2025-03-15", "x", dr("10201", "1000"), cr("50101", "999.99"))
		}, wantErr: ledger.ErrUnbalanced, wantField: "lines", wantArgs: []any{jiti.Amount(100000), jiti.Amount(99999)}},
		{name: "unbalanced by the sides of many lines", voucher: func() *ledger.Voucher {
			return voucherOf("2025-03-15", "x", dr("101", "1"), dr("10201", "2"), cr("50101", "1"), cr("50102", "1"))
		}, wantErr: ledger.ErrUnbalanced, wantField: "lines", wantArgs: []any{jiti.Amount(300), jiti.Amount(200)}},
		{name: "line with both sides", voucher: edit(func(v *ledger.Voucher) { v.Lines[1].Debit = 100000 }),
			wantErr: ledger.ErrBothSides, wantField: "lines[2].credit"},
		{name: "line with neither side", voucher: three(ledger.Line{Account: "10201"}),
			wantErr: ledger.ErrNoSide, wantField: "lines[1].debit"},
		{name: "zero amounts are no side", voucher: three(dr("10201", "0.00")),
			wantErr: ledger.ErrNoSide, wantField: "lines[1].debit"},
		{name: "negative debit", voucher: three(dr("10201", "-10")),
			wantErr: ledger.ErrNotPositive, wantField: "lines[1].debit", wantArgs: []any{jiti.Amount(-1000)}},
		{name: "negative credit", voucher: three(cr("50101", "-10")),
			wantErr: ledger.ErrNotPositive, wantField: "lines[1].credit", wantArgs: []any{jiti.Amount(-1000)}},
		{name: "line above MaxAmount", voucher: three(ledger.Line{Account: "101", Debit: max + 1}),
			wantErr: jiti.ErrAmountOverflow, wantField: "lines[1].debit"},
		{name: "overflow of the sum", voucher: func() *ledger.Voucher {
			return voucherOf("2025-03-15", "大额", ledger.Line{Account: "101", Debit: max}, ledger.Line{Account: "10201", Debit: max},
				ledger.Line{Account: "301", Credit: max}, ledger.Line{Account: "311", Credit: max})
		}, wantErr: jiti.ErrAmountOverflow, wantField: "lines"},
		{name: "unknown account", voucher: three(dr("999", "1")),
			wantErr: ledger.ErrAccountUnknown, wantField: "lines[1].account", wantArgs: []any{"999"}},
		{name: "account required", voucher: three(dr("", "1")),
			wantErr: jiti.ErrRequired, wantField: "lines[1].account"},
		{name: "non-leaf account", voucher: three(dr("102", "1")),
			wantErr: ledger.ErrAccountNotLeaf, wantField: "lines[1].account"},
		{name: "non-leaf detail account", voucher: three(dr("32201", "1")),
			wantErr: ledger.ErrAccountNotLeaf, wantField: "lines[1].account"},
		{name: "inactive account", voucher: three(dr("10202", "1")),
			wantErr: ledger.ErrAccountInactive, wantField: "lines[1].account"},
		{name: "date required", voucher: edit(func(v *ledger.Voucher) { v.Date = jiti.Date{} }),
			wantErr: jiti.ErrRequired, wantField: "date"},
		{name: "date outside the period", voucher: edit(func(v *ledger.Voucher) { v.Period = jiti.MustPeriod("2025-04") }),
			wantErr: ledger.ErrDateOutside, wantField: "date"},
		{name: "date a year off the period", voucher: edit(func(v *ledger.Voucher) { v.Period = jiti.MustPeriod("2024-03") }),
			wantErr: ledger.ErrDateOutside, wantField: "date"},
		{name: "no period", voucher: edit(func(v *ledger.Voucher) { v.Period = 0 }),
			wantErr: ledger.ErrDateOutside, wantField: "date"},
		// Dates built in code (not parsed) can name days that do not exist;
		// the books must not take them.
		{name: "impossible date 02-30", voucher: edit(func(v *ledger.Voucher) {
			v.Date = jiti.Date{Year: 2025, Month: time.February, Day: 30}
			v.Period = v.Date.Period()
		}), wantErr: jiti.ErrDateSyntax, wantField: "date"},
		{name: "impossible date day 0", voucher: edit(func(v *ledger.Voucher) {
			v.Date = jiti.Date{Year: 2025, Month: time.March, Day: 0}
		}), wantErr: jiti.ErrDateSyntax, wantField: "date"},
		{name: "date before the books opened", voucher: func() *ledger.Voucher {
			return voucherOf("2024-01-09", "x", dr("101", "1"), cr("301", "1"))
		}, books: func(b *ledger.Books) { b.Closed = nil }, wantErr: ledger.ErrBeforeBooks, wantField: "date"},
		{name: "date in an earlier year than the books", voucher: func() *ledger.Voucher {
			return voucherOf("2023-12-31", "x", dr("101", "1"), cr("301", "1"))
		}, wantErr: ledger.ErrBeforeBooks, wantField: "date"},
		{name: "closed period", voucher: func() *ledger.Voucher {
			return voucherOf("2024-02-29", "x", dr("101", "1"), cr("301", "1"))
		}, wantErr: ledger.ErrPeriodClosed, wantField: "date"},
		{name: "one line", voucher: func() *ledger.Voucher {
			return voucherOf("2025-03-15", "x", dr("101", "1"))
		}, wantErr: ledger.ErrTooFewLines, wantField: "lines", wantArgs: []any{1}},
		{name: "no lines", voucher: func() *ledger.Voucher {
			return voucherOf("2025-03-15", "x")
		}, wantErr: ledger.ErrTooFewLines, wantField: "lines", wantArgs: []any{0}},
		{name: "too many lines", voucher: func() *ledger.Voucher {
			var ls []ledger.Line
			for range ledger.MaxLines/2 + 1 {
				ls = append(ls, dr("101", "1"), cr("301", "1"))
			}
			return voucherOf("2025-03-15", "x", ls...)
		}, wantErr: ledger.ErrTooManyLines, wantField: "lines"},
		{name: "summary required on the first line", voucher: func() *ledger.Voucher {
			return voucherOf("2025-03-15", "", dr("101", "1"), ledger.Line{Summary: "租金", Account: "301", Credit: 100})
		}, wantErr: ledger.ErrSummaryRequired, wantField: "lines[1].summary"},
		{name: "blank summary", voucher: func() *ledger.Voucher {
			return voucherOf("2025-03-15", "   ", dr("101", "1"), ledger.Line{Summary: "租金", Account: "301", Credit: 100})
		}, wantErr: ledger.ErrSummaryRequired, wantField: "lines[1].summary"},
		{name: "summary too long", voucher: edit(func(v *ledger.Voucher) { v.Lines[0].Summary = long(201) }),
			wantErr: jiti.ErrTooLong, wantField: "lines[1].summary"},
		{name: "note too long", voucher: edit(func(v *ledger.Voucher) { v.Note = long(501) }),
			wantErr: jiti.ErrTooLong, wantField: "note"},
		{name: "counterparty too long", voucher: edit(func(v *ledger.Voucher) { v.Lines[1].Counterparty = long(101) }),
			wantErr: jiti.ErrTooLong, wantField: "lines[2].counterparty"},
		{name: "household too long", voucher: edit(func(v *ledger.Voucher) { v.Lines[1].Household = long(41) }),
			wantErr: jiti.ErrTooLong, wantField: "lines[2].household"},
		{name: "project too long", voucher: edit(func(v *ledger.Voucher) { v.Lines[1].Project = long(41) }),
			wantErr: jiti.ErrTooLong, wantField: "lines[2].project"},
		{name: "asset too long", voucher: edit(func(v *ledger.Voucher) { v.Lines[1].Asset = long(41) }),
			wantErr: jiti.ErrTooLong, wantField: "lines[2].asset"},
		{name: "contract too long", voucher: edit(func(v *ledger.Voucher) { v.Lines[1].Contract = long(41) }),
			wantErr: jiti.ErrTooLong, wantField: "lines[2].contract"},
		{name: "negative attachments", voucher: edit(func(v *ledger.Voucher) { v.Attachments = -1 }),
			wantErr: ledger.ErrAttachments, wantField: "attachments"},
		{name: "too many attachments", voucher: edit(func(v *ledger.Voucher) { v.Attachments = 10000 }),
			wantErr: ledger.ErrAttachments, wantField: "attachments"},
		{name: "unknown household", voucher: edit(func(v *ledger.Voucher) { v.Lines[0].Household = "H404" }),
			books:   func(b *ledger.Books) { b.HouseholdKnown = func(c string) bool { return c == "H001" } },
			wantErr: ledger.ErrHouseholdUnknown, wantField: "lines[1].household", wantArgs: []any{"H404"}},

		// Reversals: red ink, and accounts deactivated since the original.
		{name: "reversal with negative amounts", voucher: func() *ledger.Voucher {
			v := voucherOf("2025-03-15", "冲销", dr("10201", "-1000"), cr("50101", "-1000"))
			v.Kind = ledger.Reversal
			return v
		}},
		{name: "reversal on an inactive leaf", voucher: func() *ledger.Voucher {
			v := voucherOf("2025-03-15", "冲销", dr("10202", "-1000"), cr("50101", "-1000"))
			v.Kind = ledger.Reversal
			return v
		}},
		{name: "reversal line beyond -MaxAmount", voucher: func() *ledger.Voucher {
			v := voucherOf("2025-03-15", "冲销", ledger.Line{Account: "101", Debit: -max - 1}, cr("301", "-1"))
			v.Kind = ledger.Reversal
			return v
		}, wantErr: jiti.ErrAmountOverflow, wantField: "lines[1].debit"},
		{name: "reversal line of the smallest int64", voucher: func() *ledger.Voucher {
			v := voucherOf("2025-03-15", "冲销", ledger.Line{Account: "101", Debit: math.MinInt64}, cr("301", "-1"))
			v.Kind = ledger.Reversal
			return v
		}, wantErr: jiti.ErrAmountOverflow, wantField: "lines[1].debit"},
		{name: "reversal on a non-leaf", voucher: func() *ledger.Voucher {
			v := voucherOf("2025-03-15", "冲销", dr("102", "-1000"), cr("50101", "-1000"))
			v.Kind = ledger.Reversal
			return v
		}, wantErr: ledger.ErrAccountNotLeaf, wantField: "lines[1].account"},
		{name: "reversal on an unknown account", voucher: func() *ledger.Voucher {
			v := voucherOf("2025-03-15", "冲销", dr("999", "-1000"), cr("50101", "-1000"))
			v.Kind = ledger.Reversal
			return v
		}, wantErr: ledger.ErrAccountUnknown, wantField: "lines[1].account"},
		{name: "reversal unbalanced", voucher: func() *ledger.Voucher {
			v := voucherOf("2025-03-15", "冲销", dr("10201", "-1000"), cr("50101", "-999"))
			v.Kind = ledger.Reversal
			return v
		}, wantErr: ledger.ErrUnbalanced, wantField: "lines"},
		{name: "reversal in a closed period", voucher: func() *ledger.Voucher {
			v := voucherOf("2024-02-01", "冲销", dr("10201", "-1000"), cr("50101", "-1000"))
			v.Kind = ledger.Reversal
			return v
		}, wantErr: ledger.ErrPeriodClosed, wantField: "date"},
		{name: "closing voucher is not red ink", voucher: func() *ledger.Voucher {
			v := voucherOf("2025-12-31", "结转", dr("50101", "-1000"), dr("511", "2000"), cr("321", "1000"))
			v.Kind = ledger.Closing
			return v
		}, wantErr: ledger.ErrNotPositive, wantField: "lines[1].debit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testBooks()
			if tt.books != nil {
				tt.books(b)
			}
			v := tt.voucher()
			err := ledger.Validate(v, b)
			checkErr(t, err, tt.wantErr, tt.wantField)
			if tt.wantErr == nil {
				return
			}
			e, ok := err.(*jiti.Error)
			if !ok {
				t.Fatalf("one problem must come back as a *jiti.Error, got %T: %v", err, err)
			}
			if tt.wantArgs != nil {
				if diff := cmp.Diff(tt.wantArgs, e.Args); diff != "" {
					t.Errorf("Args (-want +got):\n%s", diff)
				}
			}
			if errors.Is(tt.wantErr, ledger.ErrPeriodClosed) {
				if k := jiti.KindOf(err); k != jiti.Conflict {
					t.Errorf("kind = %v, want conflict", k)
				}
			} else if k := jiti.KindOf(err); k != jiti.Invalid {
				t.Errorf("kind = %v, want invalid", k)
			}
		})
	}
}

func TestValidateSeveralProblems(t *testing.T) {
	v := &ledger.Voucher{
		Kind:        ledger.Normal,
		Attachments: -2,
		Note:        strings.Repeat("注", 501),
		Lines: []ledger.Line{
			{Summary: "收到租金", Account: "999", Debit: 100},
			{Summary: "收到租金", Account: "50101", Debit: 100, Credit: 100},
			{Summary: "收到租金", Account: "101", Debit: 100},
			{Summary: "收到租金", Account: "10201", Credit: -5},
		},
	}
	err := ledger.Validate(v, testBooks())
	var es jiti.Errors
	if !errors.As(err, &es) {
		t.Fatalf("Validate = %T %v, want jiti.Errors", err, err)
	}
	type problem struct {
		Key, Field string
	}
	var got []problem
	for _, e := range es {
		got = append(got, problem{jiti.AsError(e).Key, jiti.FieldOf(e)})
	}
	want := []problem{
		{jiti.ErrRequired.Key, "date"},
		{ledger.ErrAttachments.Key, "attachments"},
		{jiti.ErrTooLong.Key, "note"},
		{ledger.ErrAccountUnknown.Key, "lines[1].account"},
		{ledger.ErrBothSides.Key, "lines[2].credit"},
		{ledger.ErrNotPositive.Key, "lines[4].credit"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	for _, sentinel := range []error{jiti.ErrRequired, ledger.ErrAttachments, jiti.ErrTooLong, ledger.ErrAccountUnknown,
		ledger.ErrBothSides, ledger.ErrNotPositive} {
		if !errors.Is(err, sentinel) {
			t.Errorf("errors.Is(err, %v) = false", sentinel)
		}
	}
	if errors.Is(err, ledger.ErrUnbalanced) {
		t.Error("unbalanced is reported on top of line errors: it is meaningless while lines are wrong")
	}
	if jiti.KindOf(err) != jiti.Invalid {
		t.Errorf("kind = %v", jiti.KindOf(err))
	}
}

func TestNormalize(t *testing.T) {
	v := &ledger.Voucher{
		Date: jiti.MustDate("2025-03-15"),
		Note: "  备注 ",
		Lines: []ledger.Line{
			{No: 7, Summary: " 收到租金 ", Account: " 10201 ", Debit: 100, Counterparty: " 张三 ", Household: " H1 ",
				Project: " P ", Asset: " A ", Contract: " C "},
			{Account: "50101", Credit: 60},
			{Summary: "  ", Account: "50102", Credit: 30},
			{Summary: "收到服务费", Account: "101", Debit: 10},
			{Account: "50102", Credit: 20},
		},
	}
	v.Normalize()
	if v.Period != jiti.MustPeriod("2025-03") {
		t.Errorf("Period = %v, want set from the date", v.Period)
	}
	if v.Note != "备注" {
		t.Errorf("Note = %q", v.Note)
	}
	type got struct {
		No                                                     int
		Summary, Account, Counterparty, Household, Project, As string
	}
	var gots []got
	for _, l := range v.Lines {
		gots = append(gots, got{l.No, l.Summary, l.Account, l.Counterparty, l.Household, l.Project, l.Asset + l.Contract})
	}
	want := []got{
		{1, "收到租金", "10201", "张三", "H1", "P", "AC"},
		{2, "收到租金", "50101", "", "", "", ""},
		{3, "收到租金", "50102", "", "", "", ""},
		{4, "收到服务费", "101", "", "", "", ""},
		{5, "收到服务费", "50102", "", "", "", ""},
	}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("Normalize (-want +got):\n%s", diff)
	}

	// A period already set is kept, so that Validate can see a mismatch.
	w := &ledger.Voucher{Date: jiti.MustDate("2025-03-15"), Period: jiti.MustPeriod("2025-04")}
	w.Normalize()
	if w.Period != jiti.MustPeriod("2025-04") {
		t.Errorf("Normalize overwrote the period: %v", w.Period)
	}

	// Without Normalize, a later line without summary is refused.
	x := rent()
	x.Lines[1].Summary = ""
	checkErr(t, ledger.Validate(x, testBooks()), ledger.ErrSummaryRequired, "lines[2].summary")
	x.Normalize()
	checkErr(t, ledger.Validate(x, testBooks()), nil, "")
}

func TestVoucherHelpers(t *testing.T) {
	v := rent()
	v.ID = 42
	if got := v.Label(); got != "2025-03 草稿#42" {
		t.Errorf("Label = %q", got)
	}
	v.Number = 7
	if got := v.Label(); got != "2025-03 记字第7号" {
		t.Errorf("Label = %q", got)
	}
	d, c := v.Totals()
	if d != 100000 || c != 100000 {
		t.Errorf("Totals = %v, %v", d, c)
	}
	if n := v.Lines[1].Net(); n != -100000 {
		t.Errorf("Net = %v", n)
	}
}

func TestCheckApprove(t *testing.T) {
	tests := []struct {
		name    string
		status  ledger.Status
		user    jiti.UserID
		wantErr error
		kind    jiti.Kind
	}{
		{"draft by another user", ledger.Draft, 2, nil, 0},
		{"self-approval", ledger.Draft, 1, ledger.ErrSelfApproval, jiti.Forbidden},
		{"already approved", ledger.Approved, 2, ledger.ErrNotDraft, jiti.Conflict},
		{"posted", ledger.Posted, 2, ledger.ErrPostedImmutable, jiti.Conflict},
		{"posted, by the maker", ledger.Posted, 1, ledger.ErrPostedImmutable, jiti.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := rent()
			v.Status, v.MakerID = tt.status, 1
			err := ledger.CheckApprove(v, tt.user)
			checkErr(t, err, tt.wantErr, "")
			if tt.wantErr != nil && jiti.KindOf(err) != tt.kind {
				t.Errorf("kind = %v, want %v", jiti.KindOf(err), tt.kind)
			}
		})
	}
}

func TestCheckEditAndPost(t *testing.T) {
	tests := []struct {
		name     string
		status   ledger.Status
		kind     ledger.VoucherKind
		editErr  error
		postErr  error
		postKind jiti.Kind
	}{
		{"normal draft", ledger.Draft, ledger.Normal, nil, ledger.ErrNotApproved, jiti.Conflict},
		{"normal approved", ledger.Approved, ledger.Normal, ledger.ErrNotDraft, nil, 0},
		{"normal posted", ledger.Posted, ledger.Normal, ledger.ErrPostedImmutable, ledger.ErrPostedImmutable, jiti.Conflict},
		{"reversal draft", ledger.Draft, ledger.Reversal, nil, ledger.ErrNotApproved, jiti.Conflict},
		{"reversal approved", ledger.Approved, ledger.Reversal, ledger.ErrNotDraft, nil, 0},
		{"closing draft", ledger.Draft, ledger.Closing, nil, nil, 0},
		{"closing approved", ledger.Approved, ledger.Closing, ledger.ErrNotDraft, nil, 0},
		{"closing posted", ledger.Posted, ledger.Closing, ledger.ErrPostedImmutable, ledger.ErrPostedImmutable, jiti.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := rent()
			v.Status, v.Kind = tt.status, tt.kind
			checkErr(t, ledger.CheckEdit(v), tt.editErr, "")
			err := ledger.CheckPost(v)
			checkErr(t, err, tt.postErr, "")
			if tt.postErr != nil && jiti.KindOf(err) != tt.postKind {
				t.Errorf("kind = %v, want %v", jiti.KindOf(err), tt.postKind)
			}
		})
	}
}

// posted returns rent as a posted voucher of the books.
func posted() *ledger.Voucher {
	v := voucherOf("2025-03-15", "收到鱼塘承包租金", dr("10201", "1000"), cr("50101", "600"), cr("50102", "400"))
	v.ID, v.CollectiveID, v.Number, v.Status, v.MakerID, v.ApproverID, v.PosterID = 9, 3, 12, ledger.Posted, 1, 2, 1
	v.Lines[0].Household = "H001"
	v.Lines[1].Counterparty = "李四"
	return v
}

func TestReverse(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(v *ledger.Voucher)
		date      string
		wantErr   error
		wantField string
	}{
		{name: "same day", date: "2025-03-15"},
		{name: "later month", date: "2025-06-30"},
		{name: "next year", date: "2026-01-05"},
		{name: "draft", edit: func(v *ledger.Voucher) { v.Status = ledger.Draft }, date: "2025-03-20", wantErr: ledger.ErrNotPosted},
		{name: "approved", edit: func(v *ledger.Voucher) { v.Status = ledger.Approved }, date: "2025-03-20", wantErr: ledger.ErrNotPosted},
		{name: "reversal of a reversal", edit: func(v *ledger.Voucher) { v.Kind, v.ReversesID = ledger.Reversal, 5 },
			date: "2025-03-20", wantErr: ledger.ErrReverseReversal},
		{name: "closing voucher", edit: func(v *ledger.Voucher) { v.Kind = ledger.Closing }, date: "2025-12-31",
			wantErr: ledger.ErrReverseClosing},
		{name: "already reversed", edit: func(v *ledger.Voucher) { v.ReversedByID = 10 }, date: "2025-03-20",
			wantErr: ledger.ErrAlreadyReversed},
		{name: "dated before the original", date: "2025-03-14", wantErr: ledger.ErrReverseBefore, wantField: "date"},
		{name: "dated a year before", date: "2024-12-31", wantErr: ledger.ErrReverseBefore, wantField: "date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := posted()
			if tt.edit != nil {
				tt.edit(orig)
			}
			before := *orig
			before.Lines = append([]ledger.Line(nil), orig.Lines...)
			date := jiti.MustDate(tt.date)
			r, err := ledger.Reverse(orig, date, 5)
			checkErr(t, err, tt.wantErr, tt.wantField)
			if diff := cmp.Diff(before, *orig); diff != "" {
				t.Errorf("Reverse changed the original (-before +after):\n%s", diff)
			}
			if tt.wantErr != nil {
				if r != nil {
					t.Errorf("Reverse returned a voucher with its error")
				}
				return
			}
			if r.Kind != ledger.Reversal || r.Status != ledger.Draft || r.ReversesID != orig.ID || r.MakerID != 5 ||
				r.CollectiveID != orig.CollectiveID || r.Date != date || r.Period != date.Period() ||
				r.Number != 0 || r.ApproverID != 0 || r.PosterID != 0 || r.Hash != "" {
				t.Errorf("reversal header = %+v", *r)
			}
			if !strings.Contains(r.Note, orig.Label()) {
				t.Errorf("Note %q does not name %q", r.Note, orig.Label())
			}
			for i, l := range r.Lines {
				o := orig.Lines[i]
				if l.Account != o.Account || l.Debit != -o.Debit || l.Credit != -o.Credit || l.Household != o.Household ||
					l.Counterparty != o.Counterparty {
					t.Errorf("line %d = %+v, orig %+v", i+1, l, o)
				}
				if !strings.Contains(l.Summary, o.Summary) || l.Summary == o.Summary {
					t.Errorf("line %d summary = %q", i+1, l.Summary)
				}
			}
			if err := ledger.CheckReversal(r, orig); err != nil {
				t.Errorf("CheckReversal(Reverse(v), v) = %v", err)
			}
			b := testBooks()
			// Deactivating an account after the original was posted must not
			// block its reversal.
			b.Chart["50102"].Active = false
			b.HouseholdKnown = func(string) bool { return true }
			if err := ledger.Validate(r, b); err != nil {
				t.Errorf("Validate(reversal) = %v", err)
			}
			if err := ledger.CheckApprove(r, 5); !errors.Is(err, ledger.ErrSelfApproval) {
				t.Errorf("CheckApprove(reversal, maker) = %v; the reversal follows the normal path", err)
			}
			if err := ledger.CheckPost(r); !errors.Is(err, ledger.ErrNotApproved) {
				t.Errorf("CheckPost(unapproved reversal) = %v", err)
			}
		})
	}
}

func TestReverseLongSummary(t *testing.T) {
	orig := posted()
	orig.Lines[0].Summary = strings.Repeat("租", 200)
	r, err := ledger.Reverse(orig, orig.Date, 5)
	if err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(r.Lines[0].Summary)); n != 200 {
		t.Errorf("summary of %d runes, want truncated to 200", n)
	}
	if err := ledger.Validate(r, testBooks()); err != nil {
		t.Errorf("Validate = %v", err)
	}
}

func TestCheckReversal(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(r *ledger.Voucher)
		wantField string // "" when r mirrors the original
	}{
		{name: "mirror", edit: func(r *ledger.Voucher) {}},
		{name: "summary and note may differ", edit: func(r *ledger.Voucher) { r.Lines[0].Summary, r.Note = "改", "改" }},
		{name: "a line missing", edit: func(r *ledger.Voucher) { r.Lines = r.Lines[:2] }, wantField: "lines"},
		{name: "a line more", edit: func(r *ledger.Voucher) { r.Lines = append(r.Lines, dr("101", "0")) }, wantField: "lines"},
		{name: "other account", edit: func(r *ledger.Voucher) { r.Lines[1].Account = "50102" }, wantField: "lines[2]"},
		{name: "amount not negated", edit: func(r *ledger.Voucher) { r.Lines[0].Debit = -r.Lines[0].Debit }, wantField: "lines[1]"},
		{name: "other amount", edit: func(r *ledger.Voucher) { r.Lines[2].Credit-- }, wantField: "lines[3]"},
		{name: "sides swapped (blue-ink reversal)", edit: func(r *ledger.Voucher) {
			for i := range r.Lines {
				l := &r.Lines[i]
				l.Debit, l.Credit = -l.Credit, -l.Debit
			}
		}, wantField: "lines[1]"},
		{name: "other household", edit: func(r *ledger.Voucher) { r.Lines[0].Household = "H002" }, wantField: "lines[1]"},
		{name: "lines reordered", edit: func(r *ledger.Voucher) { r.Lines[1], r.Lines[2] = r.Lines[2], r.Lines[1] }, wantField: "lines[2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := posted()
			r, err := ledger.Reverse(orig, orig.Date, 5)
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(r)
			err = ledger.CheckReversal(r, orig)
			if tt.wantField == "" {
				checkErr(t, err, nil, "")
				return
			}
			checkErr(t, err, ledger.ErrReversalMismatch, tt.wantField)
		})
	}
}

func TestLineRefs(t *testing.T) {
	var l ledger.Line
	for _, name := range ledger.RefNames {
		if !l.SetRef(name, name+"-1") {
			t.Fatalf("SetRef(%q) refused a reference name", name)
		}
	}
	if l.SetRef("summary", "x") || l.Summary != "" {
		t.Error("SetRef took a field that is not a reference")
	}
	refs := l.Refs()
	if len(refs) != len(ledger.RefNames) || refs[1] != (ledger.Ref{Name: "household", Value: "household-1"}) || l.Contract != "contract-1" {
		t.Errorf("Refs = %v", refs)
	}
	l.Project = ""
	if got := len(l.Refs()); got != len(ledger.RefNames)-1 {
		t.Errorf("an empty reference is listed: %d refs", got)
	}
}

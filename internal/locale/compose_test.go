package locale_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

// repeats reports whether an argument rendered as arg repeats the word the
// message says right before it: "凭证" before "凭证草稿#12", "voucher"
// before "draft voucher #12".
func repeats(before, arg string) bool {
	b, a := []rune(before), []rune(arg)
	if len(b) >= 2 && len(a) >= 2 && allHan(string(b[len(b)-2:])) && string(b[len(b)-2:]) == string(a[:2]) {
		return true
	}
	if !strings.HasSuffix(before, " ") {
		return false
	}
	words := strings.Fields(strings.ToLower(before))
	if len(words) == 0 {
		return false
	}
	last := words[len(words)-1]
	for _, w := range strings.FieldsFunc(strings.ToLower(arg), func(c rune) bool { return !unicode.IsLetter(c) }) {
		if len(w) > 1 && w == last {
			return true
		}
	}
	return false
}

func allHan(s string) bool {
	for _, c := range s {
		if !unicode.Is(unicode.Han, c) {
			return false
		}
	}
	return s != ""
}

// TestCatalogsNoDoubledWords puts a voucher's number, posted and draft,
// in each argument of every message of both catalogs, and checks that the
// message does not say before it the word the number says itself, as
// "凭证%[1]v" with "凭证草稿#12" said "凭证凭证草稿#12".
func TestCatalogsNoDoubledWords(t *testing.T) {
	refs := []jiti.VoucherRef{{Period: 202503, ID: 12}, {Period: 202503, Number: 5, ID: 12}}
	for _, l := range locale.Langs {
		p := locale.New(l)
		for k, msg := range readCatalog(t, l) {
			for i := 1; i <= 9; i++ {
				at := strings.Index(msg, fmt.Sprintf("%%[%d]v", i))
				if at < 0 {
					continue
				}
				for _, ref := range refs {
					if repeats(msg[:at], p.Voucher(ref)) {
						t.Errorf("%s %q says the word of its argument %d twice: %s", l, k, i, strings.Replace(msg, fmt.Sprintf("%%[%d]v", i), p.Voucher(ref), 1))
					}
				}
			}
		}
	}
	// The check itself finds what it looks for.
	if !repeats("不能审核凭证", "凭证草稿#12") || !repeats("voucher ", "draft voucher #12") || repeats("contract ", "draft #12") {
		t.Fatal("repeats does not find a doubled word")
	}
}

// TestErrorComposed renders errors as the pages and the command line show
// them, with their field's label: a message that begins by naming its
// field names it once, and a status or kind is in the reader's language.
func TestErrorComposed(t *testing.T) {
	draft, posted := jiti.VoucherRef{Period: 202503, ID: 12}, jiti.VoucherRef{Period: 202503, Number: 5, ID: 12}
	notApproved := jiti.Errorf(jiti.Conflict, "voucher.not_approved")
	decimals := jiti.Errorf(jiti.Invalid, "amount.decimals")
	sameStatus := jiti.Errorf(jiti.Conflict, "register.same_status")
	kindNeeds := jiti.Errorf(jiti.Invalid, "register.subject_required")
	for _, tt := range []struct {
		err    error
		zh, en string
	}{
		{notApproved.With(draft), "凭证草稿#12尚未审核，不能记账", "Voucher draft #12 has not been approved and cannot be posted"},
		{notApproved.With(posted).At("voucher"), "凭证2025年3月 记字第5号尚未审核，不能记账", "Voucher 2025-03 no. 5 has not been approved and cannot be posted"},
		{decimals.With("1.234").At("amount"), "金额“1.234”超过两位小数，金额只能精确到分", `Amount "1.234" has more than two decimals; amounts are kept to the fen (0.01 yuan)`},
		{decimals.With("1.234").At("lines[2].debit"), "第2行 借方：金额“1.234”超过两位小数，金额只能精确到分", `line 2, debit: amount "1.234" has more than two decimals; amounts are kept to the fen (0.01 yuan)`},
		{sameStatus.With(jiti.Term("asset.status.idle")).At("status"), "状态：已经是“闲置”状态", "status: it is already idle"},
		{kindNeeds.With(jiti.Term("contract.kind.lease")).At("subjects"), "标的：租赁合同至少要有一项资产或资源作为标的", "subjects: a lease contract needs at least one asset or resource as its subject"},
		{jiti.ErrYearSyntax.With("abc").At("year"), "年度：“abc”不是年份，请输入年份，如2025", "year: abc is not a year: enter a year such as 2025"},
	} {
		if got := locale.New(locale.ZH).Error(tt.err); got != tt.zh {
			t.Errorf("zh %v:\n got %s\nwant %s", tt.err, got, tt.zh)
		}
		if got := locale.New(locale.EN).Error(tt.err); got != tt.en {
			t.Errorf("en %v:\n got %s\nwant %s", tt.err, got, tt.en)
		}
	}
	// An unknown term is shown as it is, not as an empty string.
	if got := locale.New(locale.ZH).T("register.same_status", jiti.Term("asset.status.flying")); !strings.Contains(got, "asset.status.flying") {
		t.Errorf("unknown term: %s", got)
	}
}

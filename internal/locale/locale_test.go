package locale_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

func TestParseLang(t *testing.T) {
	tests := []struct {
		in   string
		want locale.Lang
	}{
		{"", locale.ZH},
		{"zh", locale.ZH},
		{"zh-CN", locale.ZH},
		{"zh_CN", locale.ZH},
		{"zh-cn", locale.ZH},
		{"ZH-Hans-CN", locale.ZH},
		{"zh-TW", locale.ZH},
		{"en", locale.EN},
		{"en-US", locale.EN},
		{"en_GB", locale.EN},
		{" EN ", locale.EN},
		{"fr", locale.ZH},
		{"*", locale.ZH},
		{"en-US,en;q=0.9", locale.EN},
		{"zh-CN,zh;q=0.9,en;q=0.8", locale.ZH},
		{"fr-FR,fr;q=0.9,en-US;q=0.8,zh;q=0.7", locale.EN},
		{"de,zh-CN;q=0.5", locale.ZH},
		{"zh;q=0.5,en;q=0.8", locale.EN}, // quality, not order, decides
		{"en;q=0.8,zh;q=0.8", locale.EN}, // the first among equals
		{"en;q=0,zh-CN;q=0.1", locale.ZH},
		{"en;q=0", locale.ZH},
		{"en;q=abc,zh", locale.ZH},
		{"en;level=1;q=0.9, zh;q=0.3", locale.EN},
		{"ja,ko", locale.ZH},
	}
	for _, tt := range tests {
		if got := locale.ParseLang(tt.in); got != tt.want {
			t.Errorf("ParseLang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		in, want locale.Lang
	}{
		{locale.ZH, locale.ZH},
		{locale.EN, locale.EN},
		{"en-US", locale.EN},
		{"", locale.ZH},
		{"fr", locale.ZH},
	}
	for _, tt := range tests {
		if got := locale.New(tt.in).Lang(); got != tt.want {
			t.Errorf("New(%q).Lang() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestT(t *testing.T) {
	zh, en := locale.New(locale.ZH), locale.New(locale.EN)
	tests := []struct {
		name string
		p    *locale.Printer
		key  string
		args []any
		want string
	}{
		{"plain", zh, "error.required", nil, "此项必须填写"},
		{"missing key", zh, "no.such.key", []any{1}, "no.such.key"},
		{"int", en, "error.too_long", []any{60}, "must not be longer than 60 characters"},
		{"amounts grouped", zh, "voucher.unbalanced", []any{jiti.MustAmount("1234.5"), jiti.Yuan(1000)},
			"借贷不平衡，借方合计1,234.50，贷方合计1,000.00"},
		{"amounts grouped en", en, "voucher.unbalanced", []any{jiti.MustAmount("1234.5"), jiti.Yuan(1000)},
			"debits and credits do not balance (debits 1,234.50, credits 1,000.00)"},
		{"dates", zh, "voucher.before_books_opened", []any{jiti.MustDate("2023-12-31"), jiti.MustDate("2024-01-01")},
			"日期2023年12月31日早于建账日期2024年1月1日"},
		{"dates en", en, "voucher.before_books_opened", []any{jiti.MustDate("2023-12-31"), jiti.MustDate("2024-01-01")},
			"date 2023-12-31 is before the books were opened on 2024-01-01"},
		{"period", zh, "period.closed", []any{jiti.MustPeriod("2025-03")}, "会计期间2025年3月已结账，不能再录入或更改凭证"},
		{"period en", en, "period.already_closed", []any{jiti.MustPeriod("2025-03")}, "2025-03 is already closed"},
		{"collective level", zh, "collective.level_region", []any{jiti.LevelTownship, "620422100001"},
			"区划620422100001与组织层级“乡镇”不符（乡镇级组织应选9位代码的乡镇，村级和村民小组级组织应选12位代码的村）"},
		{"reordered", zh, "account.code", []any{"1010", "102"},
			"科目代码“1010”无效，明细科目代码应为上级科目代码102后加两位数字（不能为00），且最多四级"},
		{"too few args", en, "account.unknown", nil, "there is no account  in the chart"},
		{"args a message does not show", zh, "error.not_found", []any{"voucher", 7}, "未找到相关记录，或该记录不在您的管理范围内"},
		{"wan", zh, "money.wan", []any{"1.00"}, "1.00万元"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.T(tt.key, tt.args...); got != tt.want {
				t.Errorf("T(%q, %v) = %q, want %q", tt.key, tt.args, got, tt.want)
			}
		})
	}
}

func TestTDoesNotChangeArgs(t *testing.T) {
	args := []any{jiti.Yuan(1), jiti.Yuan(2)}
	locale.New(locale.ZH).T("voucher.unbalanced", args...)
	if args[0] != jiti.Yuan(1) || args[1] != jiti.Yuan(2) {
		t.Errorf("T changed its arguments to %v", args)
	}
}

func TestPeriodAndDate(t *testing.T) {
	zh, en := locale.New(locale.ZH), locale.New(locale.EN)
	if got, want := zh.Period(jiti.MustPeriod("2025-12")), "2025年12月"; got != want {
		t.Errorf("zh Period = %q, want %q", got, want)
	}
	if got, want := zh.Period(0), "0000-00"; got != want {
		t.Errorf("zh Period(0) = %q, want %q", got, want)
	}
	if got, want := en.Period(jiti.MustPeriod("2025-01")), "2025-01"; got != want {
		t.Errorf("en Period = %q, want %q", got, want)
	}
	if got, want := zh.Date(jiti.Date{Year: 2025, Month: time.March, Day: 9}), "2025年3月9日"; got != want {
		t.Errorf("zh Date = %q, want %q", got, want)
	}
	if got, want := zh.Date(jiti.Date{}), ""; got != want {
		t.Errorf("zh Date(zero) = %q, want %q", got, want)
	}
	if got, want := en.Date(jiti.MustDate("2025-03-09")), "2025-03-09"; got != want {
		t.Errorf("en Date = %q, want %q", got, want)
	}
}

func TestKind(t *testing.T) {
	if got, want := locale.New(locale.ZH).Kind(jiti.Invalid), "输入有误"; got != want {
		t.Errorf("Kind(Invalid) = %q, want %q", got, want)
	}
	if got, want := locale.New(locale.EN).Kind(jiti.NotFound), "not found"; got != want {
		t.Errorf("Kind(NotFound) = %q, want %q", got, want)
	}
}

func TestField(t *testing.T) {
	tests := []struct {
		path, zh, en string
	}{
		{"", "", ""},
		{"date", "日期", "date"},
		{"lines", "分录", "lines"},
		{"lines[2]", "第2行", "line 2"},
		{"lines[2].debit", "第2行 借方", "line 2, debit"},
		{"lines[12].account", "第12行 科目", "line 12, account"},
		{"rows[7].lines[2].credit", "第7行 第2行 贷方", "row 7, line 2, credit"},
		{"[3].summary", "第3项 摘要", "item 3, summary"},
		{"books_opened_on", "建账日期", "books opened on"},
		{"scope_region", "管辖区划", "scope region"},
		{"mystery", "mystery", "mystery"},
		{"lines[2].mystery", "第2行 mystery", "line 2, mystery"},
		{"mysteries[2]", "mysteries[2]", "mysteries[2]"},
		{"note[2]", "备注[2]", "note[2]"},
		{"lines[x]", "lines[x]", "lines[x]"},
		{"cells[2][3]", "cells[2][3]", "cells[2][3]"},
		{"lines[2][3]", "第2行[3]", "line 2[3]"},
	}
	zh, en := locale.New(locale.ZH), locale.New(locale.EN)
	for _, tt := range tests {
		if got := zh.Field(tt.path); got != tt.zh {
			t.Errorf("zh Field(%q) = %q, want %q", tt.path, got, tt.zh)
		}
		if got := en.Field(tt.path); got != tt.en {
			t.Errorf("en Field(%q) = %q, want %q", tt.path, got, tt.en)
		}
	}
}

var (
	errUnbalanced = jiti.Errorf(jiti.Invalid, "voucher.unbalanced")
	errNoSide     = jiti.Errorf(jiti.Invalid, "voucher.line_no_side")
	errSummary    = jiti.Errorf(jiti.Invalid, "voucher.summary_required")
)

func TestError(t *testing.T) {
	secret := errors.New("pq: connection to 10.0.0.5 refused")
	tests := []struct {
		name   string
		err    error
		zh, en string
	}{
		{"nil", nil, "", ""},
		{"field", errNoSide.At("debit").At("lines[2]"),
			"第2行 借方：请填写借方或贷方金额",
			"line 2, debit: enter a debit or a credit amount"},
		{"args and field", errUnbalanced.With(jiti.Yuan(100), jiti.Yuan(90)).At("lines"),
			"分录：借贷不平衡，借方合计100.00，贷方合计90.00",
			"lines: debits and credits do not balance (debits 100.00, credits 90.00)"},
		{"no field", jiti.ErrForbidden,
			"您没有执行此操作的权限",
			"You are not permitted to do this"},
		{"required", jiti.ErrRequired.At("date"), "日期：此项必须填写", "date: this field is required"},
		{"wrapped", fmt.Errorf("post voucher 7: %w", jiti.ErrTooLong.With(200).At("lines[1].summary")),
			"第1行 摘要：长度不能超过200个字符",
			"line 1, summary: must not be longer than 200 characters"},
		{"cause is not shown", jiti.ErrNotFound.Wrap(secret),
			"未找到相关记录，或该记录不在您的管理范围内",
			"Not found, or outside your scope"},
		{"list", jiti.Errors{
			jiti.ErrRequired.At("date"),
			errSummary.At("lines[1].summary"),
			errNoSide.At("lines[2].debit"),
		},
			"日期：此项必须填写\n第1行 摘要：请填写摘要\n第2行 借方：请填写借方或贷方金额",
			"date: this field is required\nline 1, summary: enter a summary\nline 2, debit: enter a debit or a credit amount"},
		{"wrapped list", fmt.Errorf("import: %w", jiti.Errors{jiti.ErrRequired.At("rows[3].date"), jiti.ErrRequired.At("rows[4].date")}),
			"第3行 日期：此项必须填写\n第4行 日期：此项必须填写",
			"row 3, date: this field is required\nrow 4, date: this field is required"},
		{"joined", errors.Join(jiti.ErrRequired.At("name"), jiti.ErrTooLong.With(60).At("code")),
			"名称：此项必须填写\n代码：长度不能超过60个字符",
			"name: this field is required\ncode: must not be longer than 60 characters"},
		{"internal", secret,
			"系统内部错误，操作未完成。请稍后重试；如果问题仍然存在，请联系系统管理员。",
			"An internal error occurred and the operation was not completed. Please try again later; if the problem persists, contact your system administrator."},
		{"list with internal errors", jiti.Errors{secret, jiti.ErrRequired.At("date"), errors.New("disk full")},
			"系统内部错误，操作未完成。请稍后重试；如果问题仍然存在，请联系系统管理员。\n日期：此项必须填写",
			"An internal error occurred and the operation was not completed. Please try again later; if the problem persists, contact your system administrator.\ndate: this field is required"},
		{"typed nil", (*jiti.Error)(nil),
			"系统内部错误，操作未完成。请稍后重试；如果问题仍然存在，请联系系统管理员。",
			"An internal error occurred and the operation was not completed. Please try again later; if the problem persists, contact your system administrator."},
		{"unknown key", jiti.Errorf(jiti.Invalid, "no.such.key").At("date"), "日期：no.such.key", "date: no.such.key"},
	}
	zh, en := locale.New(locale.ZH), locale.New(locale.EN)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := zh.Error(tt.err); got != tt.zh {
				t.Errorf("zh Error(%v) =\n%s\nwant\n%s", tt.err, got, tt.zh)
			}
			if got := en.Error(tt.err); got != tt.en {
				t.Errorf("en Error(%v) =\n%s\nwant\n%s", tt.err, got, tt.en)
			}
		})
	}
}

func TestErrorNeverLeaksInternals(t *testing.T) {
	secret := errors.New("dial tcp 10.0.0.5:5432: password authentication failed for user jiti")
	for _, err := range []error{
		secret,
		fmt.Errorf("store: %w", secret),
		jiti.Errors{secret},
		jiti.ErrDuplicate.Wrap(secret),
		errors.Join(secret, jiti.ErrRequired),
	} {
		for _, l := range locale.Langs {
			if got := locale.New(l).Error(err); strings.Contains(got, "10.0.0.5") {
				t.Errorf("%s: Error(%v) = %q shows the cause", l, err, got)
			}
		}
	}
}

func TestErrorDetail(t *testing.T) {
	zh := locale.New(locale.ZH)
	secret := errors.New("sql: database is locked")
	if got, want := zh.ErrorDetail(secret), "系统内部错误，操作未完成。请稍后重试；如果问题仍然存在，请联系系统管理员。 (sql: database is locked)"; got != want {
		t.Errorf("ErrorDetail = %q, want %q", got, want)
	}
	err := jiti.ErrRequired.At("date")
	if got, want := zh.ErrorDetail(err), "日期：此项必须填写 (date: error.required)"; got != want {
		t.Errorf("ErrorDetail = %q, want %q", got, want)
	}
	list := jiti.Errors{jiti.ErrRequired.At("date"), jiti.ErrRequired.At("name")}
	if got, want := zh.ErrorDetail(list), "日期：此项必须填写\n名称：此项必须填写\n(date: error.required; name: error.required)"; got != want {
		t.Errorf("ErrorDetail = %q, want %q", got, want)
	}
	if got := zh.ErrorDetail(nil); got != "" {
		t.Errorf("ErrorDetail(nil) = %q, want \"\"", got)
	}
}

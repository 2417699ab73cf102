package ledger_test

import (
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"github.com/google/go-cmp/cmp"
)

// chart2023 is the first-level chart of accounting.md (财会〔2023〕14号),
// transcribed independently of chart2023.csv: code, name, class, side.
var chart2023 = []struct {
	code, name string
	class      ledger.Class
	side       ledger.Side
}{
	{"101", "库存现金", ledger.Asset, ledger.Debit},
	{"102", "银行存款", ledger.Asset, ledger.Debit},
	{"111", "短期投资", ledger.Asset, ledger.Debit},
	{"112", "应收款", ledger.Asset, ledger.Debit},
	{"113", "内部往来", ledger.Asset, ledger.Both},
	{"121", "库存物资", ledger.Asset, ledger.Debit},
	{"131", "消耗性生物资产", ledger.Asset, ledger.Debit},
	{"132", "生产性生物资产", ledger.Asset, ledger.Debit},
	{"133", "生产性生物资产累计折旧", ledger.Asset, ledger.Credit},
	{"134", "公益性生物资产", ledger.Asset, ledger.Debit},
	{"141", "长期投资", ledger.Asset, ledger.Debit},
	{"151", "固定资产", ledger.Asset, ledger.Debit},
	{"152", "累计折旧", ledger.Asset, ledger.Credit},
	{"153", "在建工程", ledger.Asset, ledger.Debit},
	{"154", "固定资产清理", ledger.Asset, ledger.Both},
	{"161", "无形资产", ledger.Asset, ledger.Debit},
	{"162", "累计摊销", ledger.Asset, ledger.Credit},
	{"171", "长期待摊费用", ledger.Asset, ledger.Debit},
	{"181", "待处理财产损溢", ledger.Asset, ledger.Both},
	{"201", "短期借款", ledger.Liability, ledger.Credit},
	{"211", "应付款", ledger.Liability, ledger.Credit},
	{"212", "应付工资", ledger.Liability, ledger.Credit},
	{"213", "应付劳务费", ledger.Liability, ledger.Credit},
	{"214", "应交税费", ledger.Liability, ledger.Credit},
	{"221", "长期借款及应付款", ledger.Liability, ledger.Credit},
	{"231", "一事一议资金", ledger.Liability, ledger.Credit},
	{"241", "专项应付款", ledger.Liability, ledger.Credit},
	{"301", "资本", ledger.Equity, ledger.Credit},
	{"311", "公积公益金", ledger.Equity, ledger.Credit},
	{"321", "本年收益", ledger.Equity, ledger.Credit},
	{"322", "收益分配", ledger.Equity, ledger.Credit},
	{"401", "生产(劳务)成本", ledger.Cost, ledger.Debit},
	{"501", "经营收入", ledger.Income, ledger.Credit},
	{"502", "投资收益", ledger.Income, ledger.Credit},
	{"503", "补助收入", ledger.Income, ledger.Credit},
	{"504", "其他收入", ledger.Income, ledger.Credit},
	{"511", "经营支出", ledger.Expense, ledger.Debit},
	{"512", "税金及附加", ledger.Expense, ledger.Debit},
	{"513", "管理费用", ledger.Expense, ledger.Debit},
	{"514", "公益支出", ledger.Expense, ledger.Debit},
	{"515", "其他支出", ledger.Expense, ledger.Debit},
	{"521", "所得税费用", ledger.Expense, ledger.Debit},
}

func TestStandardAccountsFirstLevel(t *testing.T) {
	chart := ledger.NewChart(ledger.StandardAccounts())
	var first []string
	for _, a := range ledger.StandardAccounts() {
		if a.Level() == 1 {
			first = append(first, a.Code)
		}
	}
	if len(first) != 42 || len(chart2023) != 42 {
		t.Fatalf("%d first-level accounts (table %d), want 42: %v", len(first), len(chart2023), first)
	}
	for _, want := range chart2023 {
		t.Run(want.code, func(t *testing.T) {
			a := chart[want.code]
			if a == nil {
				t.Fatal("missing")
			}
			if a.Name != want.name || a.Class != want.class || a.Side != want.side {
				t.Errorf("%s = %s %s %s, want %s %s %s", a.Code, a.Name, a.Class, a.Side, want.name, want.class, want.side)
			}
			if a.Parent != "" || !a.Active || !a.Standard || a.NameEN == "" {
				t.Errorf("%+v: want no parent, active, standard, with an English name", *a)
			}
		})
	}

	// A handful, spelled out.
	explicit := []struct {
		code  string
		class ledger.Class
		side  ledger.Side
	}{
		{"113", ledger.Asset, ledger.Both},    // 内部往来 may carry either side
		{"133", ledger.Asset, ledger.Credit},  // contra assets
		{"152", ledger.Asset, ledger.Credit},  //
		{"162", ledger.Asset, ledger.Credit},  //
		{"401", ledger.Cost, ledger.Debit},    // cost is not closed at year end
		{"502", ledger.Income, ledger.Credit}, // investment income; a debit balance is a loss
		{"321", ledger.Equity, ledger.Credit},
	}
	for _, e := range explicit {
		if a := chart[e.code]; a.Class != e.class || a.Side != e.side {
			t.Errorf("%s: %s %s, want %s %s", e.code, a.Class, a.Side, e.class, e.side)
		}
	}
	if chart["401"].Class.IsResult() || !chart["502"].Class.IsResult() || !chart["521"].Class.IsResult() ||
		chart["321"].Class.IsResult() {
		t.Error("IsResult: only income and expense accounts close into 321")
	}
}

func TestStandardAccountsDetailAndLeaves(t *testing.T) {
	accts := ledger.StandardAccounts()
	type row struct {
		Code, Parent  string
		Level         int
		Leaf          bool
		Class         ledger.Class
		Side          ledger.Side
		Standard, Act bool
	}
	var got []row
	for _, a := range accts {
		if a.Level() > 1 || a.Code == "322" || a.Code == "321" {
			got = append(got, row{a.Code, a.Parent, a.Level(), a.Leaf, a.Class, a.Side, a.Standard, a.Active})
		}
	}
	eq, cr := ledger.Equity, ledger.Credit
	want := []row{
		{"321", "", 1, true, eq, cr, true, true},
		{"322", "", 1, false, eq, cr, true, true},
		{"32201", "322", 2, false, eq, cr, true, true},
		{"32202", "322", 2, true, eq, cr, true, true},
		{"3220101", "32201", 3, true, eq, cr, true, true},
		{"3220102", "32201", 3, true, eq, cr, true, true},
		{"3220103", "32201", 3, true, eq, cr, true, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("322 subtree (-want +got):\n%s", diff)
	}
	for _, a := range accts {
		if a.Level() == 1 && a.Code != "322" && !a.Leaf {
			t.Errorf("%s is not a leaf", a.Code)
		}
	}
	if ledger.AcctDistributions != "32201" || ledger.AcctUndistributed != "32202" || ledger.AcctIncomeOfYear != "321" {
		t.Error("well-known account codes changed")
	}
	// Each call returns a fresh slice: a caller's edits do not leak.
	accts[0].Name = "changed"
	if ledger.StandardAccounts()[0].Name == "changed" {
		t.Error("StandardAccounts shares its slice")
	}
}

func TestAccountLevelAndSigned(t *testing.T) {
	for code, want := range map[string]int{"101": 1, "10201": 2, "3220101": 3, "322010101": 4} {
		if got := ledger.AccountLevel(code); got != want {
			t.Errorf("AccountLevel(%s) = %d, want %d", code, got, want)
		}
	}
	if ledger.FirstLevel("3220101") != "322" || ledger.FirstLevel("10") != "10" {
		t.Error("FirstLevel")
	}
	n := jiti.Amount(-500)
	for _, tt := range []struct {
		side ledger.Side
		want jiti.Amount
	}{{ledger.Debit, -500}, {ledger.Both, -500}, {ledger.Credit, 500}} {
		a := ledger.Account{Side: tt.side}
		if got := a.Signed(n); got != tt.want {
			t.Errorf("Signed on %s side = %d, want %d", tt.side, got, tt.want)
		}
	}
}

func TestNewDetailAccount(t *testing.T) {
	std := ledger.NewChart(ledger.StandardAccounts())
	inactive := *std["112"]
	inactive.Active = false
	level4 := ledger.Account{Code: "322010101", Name: "提取公积金", Class: ledger.Equity, Side: ledger.Credit,
		Parent: "3220101", Leaf: true, Active: true}

	tests := []struct {
		name        string
		parent      *ledger.Account
		code, title string
		used        bool
		want        ledger.Account
		wantErr     error
		wantField   string
	}{
		{name: "bank account", parent: std["102"], code: "10201", title: "农商银行",
			want: ledger.Account{Code: "10201", Name: "农商银行", Class: ledger.Asset, Side: ledger.Debit, Parent: "102", Leaf: true, Active: true}},
		{name: "trimmed", parent: std["102"], code: " 10299 ", title: " 农商银行 ",
			want: ledger.Account{Code: "10299", Name: "农商银行", Class: ledger.Asset, Side: ledger.Debit, Parent: "102", Leaf: true, Active: true}},
		{name: "contra asset keeps credit side", parent: std["152"], code: "15201", title: "房屋累计折旧",
			want: ledger.Account{Code: "15201", Name: "房屋累计折旧", Class: ledger.Asset, Side: ledger.Credit, Parent: "152", Leaf: true, Active: true}},
		{name: "household under 113 keeps both", parent: std["113"], code: "11301", title: "张三户",
			want: ledger.Account{Code: "11301", Name: "张三户", Class: ledger.Asset, Side: ledger.Both, Parent: "113", Leaf: true, Active: true}},
		{name: "income detail", parent: std["501"], code: "50101", title: "租赁收入",
			want: ledger.Account{Code: "50101", Name: "租赁收入", Class: ledger.Income, Side: ledger.Credit, Parent: "501", Leaf: true, Active: true}},
		{name: "level 4", parent: std["3220101"], code: "322010101", title: "提取公积金",
			want: ledger.Account{Code: "322010101", Name: "提取公积金", Class: ledger.Equity, Side: ledger.Credit, Parent: "3220101", Leaf: true, Active: true}},
		{name: "detail of 322 itself", parent: std["322"], code: "32203", title: "其他",
			want: ledger.Account{Code: "32203", Name: "其他", Class: ledger.Equity, Side: ledger.Credit, Parent: "322", Leaf: true, Active: true}},
		{name: "name of 60 runes", parent: std["102"], code: "10201", title: strings.Repeat("行", 60),
			want: ledger.Account{Code: "10201", Name: strings.Repeat("行", 60), Class: ledger.Asset, Side: ledger.Debit, Parent: "102", Leaf: true, Active: true}},

		{name: "no parent", parent: nil, code: "10201", title: "x", wantErr: ledger.ErrAccountParent, wantField: "code"},
		{name: "suffix 00", parent: std["102"], code: "10200", title: "x", wantErr: ledger.ErrAccountCode, wantField: "code"},
		{name: "one digit", parent: std["102"], code: "1021", title: "x", wantErr: ledger.ErrAccountCode, wantField: "code"},
		{name: "three digits", parent: std["102"], code: "102011", title: "x", wantErr: ledger.ErrAccountCode, wantField: "code"},
		{name: "other parent's prefix", parent: std["102"], code: "10101", title: "x", wantErr: ledger.ErrAccountCode, wantField: "code"},
		{name: "not digits", parent: std["102"], code: "102a1", title: "x", wantErr: ledger.ErrAccountCode, wantField: "code"},
		{name: "level 5", parent: &level4, code: "32201010101", title: "x", wantErr: ledger.ErrAccountCode, wantField: "code"},
		{name: "name required", parent: std["102"], code: "10201", title: "  ", wantErr: jiti.ErrRequired, wantField: "name"},
		{name: "name too long", parent: std["102"], code: "10201", title: strings.Repeat("行", 61), wantErr: jiti.ErrTooLong, wantField: "name"},
		{name: "parent inactive", parent: &inactive, code: "11201", title: "x", wantErr: ledger.ErrAccountInactive, wantField: "parent"},
		{name: "parent used", parent: std["102"], code: "10201", title: "x", used: true, wantErr: ledger.ErrAccountParentUsed, wantField: "parent"},
		{name: "321 stays a leaf", parent: std["321"], code: "32101", title: "x", wantErr: ledger.ErrAccountNoDetail, wantField: "parent"},
		{name: "32202 stays a leaf", parent: std["32202"], code: "3220201", title: "x", wantErr: ledger.ErrAccountNoDetail, wantField: "parent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ledger.NewDetailAccount(tt.parent, tt.code, tt.title, tt.used)
			checkErr(t, err, tt.wantErr, tt.wantField)
			if tt.wantErr != nil {
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NewDetailAccount (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckDelete(t *testing.T) {
	std := ledger.NewChart(ledger.StandardAccounts())
	custom := ledger.Account{Code: "10201", Parent: "102", Leaf: true, Active: true}
	customParent := ledger.Account{Code: "50101", Parent: "501", Leaf: false, Active: true}
	tests := []struct {
		name    string
		a       *ledger.Account
		used    bool
		wantErr error
	}{
		{"unused detail account", &custom, false, nil},
		{"used detail account", &custom, true, ledger.ErrAccountHasPosts},
		{"detail account with detail", &customParent, false, ledger.ErrAccountHasDetail},
		{"standard leaf", std["101"], false, ledger.ErrAccountStandard},
		{"standard detail", std["32202"], false, ledger.ErrAccountStandard},
		{"standard parent", std["322"], false, ledger.ErrAccountStandard},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ledger.CheckDelete(tt.a, tt.used), tt.wantErr, "")
			if tt.wantErr != nil && jiti.KindOf(ledger.CheckDelete(tt.a, tt.used)) != jiti.Conflict {
				t.Errorf("kind = %v, want conflict", jiti.KindOf(ledger.CheckDelete(tt.a, tt.used)))
			}
		})
	}
}

func TestCheckPostable(t *testing.T) {
	chart := testBooks().Chart
	tests := []struct {
		code    string
		wantErr error
	}{
		{"101", nil},
		{"10201", nil},
		{"3220102", nil},
		{"999", ledger.ErrAccountUnknown},
		{"102", ledger.ErrAccountNotLeaf},
		{"322", ledger.ErrAccountNotLeaf},
		{"32201", ledger.ErrAccountNotLeaf},
		{"10202", ledger.ErrAccountInactive},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			checkErr(t, ledger.CheckPostable(chart[tt.code], tt.code), tt.wantErr, "")
		})
	}
}

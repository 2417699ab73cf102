package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
)

// Tests of the statements' format: the subtotals of the layouts, the
// optional line, blank columns before the books, and the period headings.

// richSheet is a balance-sheet column with a balance on every kind of line
// the sample books leave at zero: productive biological and intangible
// assets with their accumulated depreciation and amortization, 181, the
// non-current liabilities and a debit balance on 214.
func richSheet(a func(int64) jiti.Amount) map[string]jiti.Amount {
	return map[string]jiti.Amount{
		"111": a(1000), "131": a(200), "401": a(300),
		"132": a(8000), "133": a(-1500), "134": a(700), "141": a(2000),
		"151": a(50000), "152": a(-10000), "153": a(4000), "154": a(-100),
		"161": a(6000), "162": a(-600), "171": a(900), "181": a(50),
		"201": a(-3000), "213": a(-400), "214": a(20),
		"221": a(-5000), "231": a(-2500), "241": a(-7000),
		"301": a(-30000), "311": a(-8000), "32202": a(-4000),
		"501": a(-1200), "513": a(130),
	}
}

func TestBalanceSheetFormat(t *testing.T) {
	a := jiti.Yuan
	snap := &report.Snapshot{Heading: report.HeadingPeriodEnd, Balance: richSheet(a)}
	r, err := report.BalanceSheet().Evaluate(snap)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("资产总计 %v ≠ 负债和所有者权益总计 %v", r.Value(22, 0), r.Value(38, 0))
	}
	for _, tt := range []struct {
		no   int
		name string
		want int64
	}{
		{2, "短期投资", 1000},
		{4, "存货 (401)", 300},
		{6, "流动资产合计", 1000 + 200 + 300},
		{8, "生产性生物资产原值", 8000},
		{9, "减：生产性生物资产累计折旧", 1500},
		{10, "生产性生物资产净值", 6500},
		{12, "减：累计折旧", 10000},
		{13, "固定资产净值", 40000},
		{15, "固定资产清理 (credit)", -100},
		{16, "无形资产原值", 6000},
		{17, "减：累计摊销", 600},
		{18, "无形资产净值", 5400},
		{21, "非流动资产合计", 2000 + 6500 + 40000 + 4000 - 100 + 5400 + 700 + 900},
		{39, "待处理财产损溢", 50},
		{22, "资产总计", 1500 + 59400 + 50},
		{27, "应交税费 (debit)", -20},
		{28, "流动负债合计", 3000 + 400 - 20},
		{29, "长期借款及应付款", 5000},
		{30, "一事一议资金", 2500},
		{31, "专项应付款", 7000},
		{32, "非流动负债合计", 14500},
		{33, "负债合计", 3380 + 14500},
		// 32202 4,000 and the year's result not yet closed, 1,200 − 130.
		{36, "未分配收益", 4000 + 1070},
		{37, "所有者权益合计", 30000 + 8000 + 5070},
		{38, "负债和所有者权益总计", 17880 + 43070},
	} {
		if got := r.Value(tt.no, 0); got != a(tt.want) {
			t.Errorf("line %d %s = %v, want %v", tt.no, tt.name, got, a(tt.want))
		}
	}

	// The optional line shows while 181 has a balance, and not otherwise.
	if !tableHas(report.StatementTable(r, locale.ZH), "待处理财产损溢") {
		t.Error("待处理财产损溢 with a balance is not shown")
	}
	bal := richSheet(a)
	bal["101"] = bal["181"]
	delete(bal, "181")
	r, err = report.BalanceSheet().Evaluate(&report.Snapshot{Heading: report.HeadingPeriodEnd, Balance: bal})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || tableHas(report.StatementTable(r, locale.ZH), "待处理财产损溢") {
		t.Errorf("without a balance on 181: balanced %v, line shown %v", r.OK(), tableHas(report.StatementTable(r, locale.ZH), "待处理财产损溢"))
	}
}

// tableHas reports whether a row of t has label.
func tableHas(t *report.Table, label string) bool {
	for _, r := range t.Rows {
		if r.Cells[0] == label {
			return true
		}
	}
	return false
}

// TestLayoutsSayTheirSources checks that every line of the statements
// says where it comes from, and that what was not read from the 2023 form
// is marked [proposed].
func TestLayoutsSayTheirSources(t *testing.T) {
	for _, s := range []*report.Statement{report.BalanceSheet(), report.IncomeStatement()} {
		if !strings.HasPrefix(s.Note, "[proposed]") {
			t.Errorf("%s: the note does not begin with [proposed]: %.40q", s.ID, s.Note)
		}
		for _, l := range s.Lines {
			if l.Source == "" {
				t.Errorf("%s: line %d %s has no source", s.ID, l.No, l.Label)
			}
		}
	}
	// The income statement's sections are numbered as on the form.
	for no, prefix := range map[int]string{1: "一、", 6: "二、", 11: "三、", 13: "四、", 16: "五、", 20: "六、"} {
		if l := report.IncomeStatement().Line(no); !strings.HasPrefix(l.Label, prefix) {
			t.Errorf("income line %d = %q, want it to begin with %s", no, l.Label, prefix)
		}
	}
}

func TestBlankColumn(t *testing.T) {
	a := jiti.Yuan
	this := &report.Snapshot{Heading: report.HeadingThisYear,
		Turnover: map[string][2]jiti.Amount{"501": {0, a(100)}}, YearStart: map[string]jiti.Amount{"32202": a(-40)}}
	// A blank column needs no figures at all.
	prior := &report.Snapshot{Heading: report.HeadingLastYear, Blank: true}
	r, err := report.IncomeStatement().Evaluate(this, prior)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Blank[1] || r.Blank[0] || !r.OK() || r.Value(1, 1) != 0 || r.Value(1, 0) != a(100) || r.Value(14, 0) != a(40) {
		t.Fatalf("Blank %v, OK %v, 经营收入 %v/%v, 年初未分配收益 %v", r.Blank, r.OK(), r.Value(1, 0), r.Value(1, 1), r.Value(14, 0))
	}
	tab := report.StatementTable(r, locale.ZH)
	for _, row := range tab.Rows {
		if row.Cells[3] != "" {
			t.Errorf("%s: the blank column shows %q", row.Cells[0], row.Cells[3])
		}
		if row.Cells[1] != "" && row.Cells[2] == "" {
			t.Errorf("%s: the year's column is empty", row.Cells[0])
		}
	}
	var text, csv bytes.Buffer
	if err := report.WriteText(&text, tab, tr(locale.ZH)); err != nil {
		t.Fatal(err)
	}
	if err := sheet.WriteTableCSV(&csv, tab, tr(locale.ZH), sheet.WithBOM(false)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "一、经营收入             1    100.00\n") {
		t.Errorf("text:\n%s", text.String())
	}
	if !strings.Contains(csv.String(), "一、经营收入,1,100.00,\r\n") {
		t.Errorf("CSV:\n%s", csv.String())
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"label":"一、经营收入","label_en":"I. Operating revenue","bold":true,"values":["100.00",null]`) {
		t.Errorf("JSON: %s", b)
	}
}

func TestBooksCover(t *testing.T) {
	d := jiti.MustDate
	for _, tt := range []struct {
		opened  string
		to      jiti.Period
		balance bool
		want    bool
	}{
		// Opened on 1 January: the opening balances are the balances at
		// the end of December before; there is no turnover before.
		{"2025-01-01", 202412, true, true},
		{"2025-01-01", 202412, false, false},
		{"2025-01-01", 202501, false, true},
		{"2025-01-01", 202411, true, false},
		// Opened on another day: no balance at the end of the month before.
		{"2025-01-15", 202412, true, false},
		{"2025-01-15", 202501, true, true},
		{"2025-04-01", 202503, true, true},
		{"2025-04-01", 202412, true, false},
		// Opened in July 2024: 2024 has turnover, in part.
		{"2024-07-01", 202412, false, true},
		{"2024-07-01", 202403, false, false},
	} {
		if got := report.BooksCover(d(tt.opened), tt.to, tt.balance); got != tt.want {
			t.Errorf("BooksCover(%s, %s, balance %v) = %v, want %v", tt.opened, tt.to, tt.balance, got, tt.want)
		}
	}
}

func TestPeriodHeading(t *testing.T) {
	for _, tt := range []struct {
		s      *report.Statement
		p      jiti.Period
		zh, en string
	}{
		{report.BalanceSheet(), 202512, "2025年12月31日", "2025-12-31"},
		{report.BalanceSheet(), 202502, "2025年2月28日", "2025-02-28"},
		{report.IncomeStatement(), 202512, "2025年度", "Year 2025"},
		{report.IncomeStatement(), 202503, "2025年1—3月", "January to March 2025"},
		{report.IncomeStatement(), 202501, "2025年1月", "2025-01"},
	} {
		key, args := tt.s.PeriodHeading(tt.p)
		for lang, want := range map[locale.Lang]string{locale.ZH: tt.zh, locale.EN: tt.en} {
			if got := locale.New(lang).T(key, args...); got != want {
				t.Errorf("%s %s in %s = %q, want %q", tt.s.ID, tt.p, lang, got, want)
			}
		}
	}
}

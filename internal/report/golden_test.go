package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
)

var update = flag.Bool("update", false, "update golden files instead of checking against them")

// catalog holds the messages of every catalog key the package uses, in both
// languages: the texts to add to the locale catalogs. TestCatalogComplete
// checks that no key the tables produce is missing here.
var catalog = map[string][2]string{ // key → {zh-CN, en}
	"report.title.trial_balance":  {"科目余额表", "Trial balance"},
	"report.title.detail_ledger":  {"明细账", "Detail ledger"},
	"report.title.journal":        {"日记账", "Journal"},
	"report.title.cash_journal":   {"现金日记账", "Cash journal"},
	"report.title.bank_journal":   {"银行存款日记账", "Bank journal"},
	"report.title.general_ledger": {"总账", "General ledger"},
	"report.meta.period":          {"会计期间", "Period"},
	"report.meta.account":         {"科目", "Account"},
	"report.total":                {"合计", "Total"},
	"report.row.opening":          {"期初余额", "Opening balance"},
	"report.row.carried_forward":  {"上年结转", "Brought forward"},
	"report.row.day_total":        {"本日合计", "Total for the day"},
	"report.row.month_total":      {"本月合计", "Total for the month"},
	"report.row.year_total":       {"本年累计", "Total for the year to date"},
	"report.dir.debit":            {"借", "Dr"},
	"report.dir.credit":           {"贷", "Cr"},
	"report.dir.flat":             {"平", "Nil"},
	"report.col.code":             {"科目编码", "Code"},
	"report.col.account":          {"科目名称", "Account"},
	"report.col.item":             {"项目", "Item"},
	"report.col.line":             {"行次", "Line"},
	"report.col.date":             {"日期", "Date"},
	"report.col.voucher":          {"凭证号", "Voucher"},
	"report.col.summary":          {"摘要", "Summary"},
	"report.col.party":            {"往来单位或农户", "Counterparty or household"},
	"report.col.debit":            {"借方", "Debit"},
	"report.col.credit":           {"贷方", "Credit"},
	"report.col.direction":        {"借或贷", "Dr/Cr"},
	"report.col.balance":          {"余额", "Balance"},
	"report.col.opening_debit":    {"期初借方", "Opening debit"},
	"report.col.opening_credit":   {"期初贷方", "Opening credit"},
	"report.col.period_debit":     {"本期借方", "Debit this period"},
	"report.col.period_credit":    {"本期贷方", "Credit this period"},
	"report.col.year_debit":       {"本年累计借方", "Debit year to date"},
	"report.col.year_credit":      {"本年累计贷方", "Credit year to date"},
	"report.col.closing_debit":    {"期末借方", "Closing debit"},
	"report.col.closing_credit":   {"期末贷方", "Closing credit"},
	"report.col.end_balance":      {"期末余额", "End of period"},
	"report.col.prior_year_end":   {"上年年末余额", "End of last year"},
	"report.col.year_amount":      {"本年金额", "This year"},
	"report.col.prior_amount":     {"上年金额", "Last year"},
	"report.col.ytd_amount":       {"本年累计金额", "Year to date"},
	"report.col.prior_ytd_amount": {"上年同期金额", "Same period last year"},
}

// tr returns the translator of lang; unknown keys come back as themselves,
// as in the locale catalogs, so a missing text shows in the goldens.
func tr(lang locale.Lang) report.Translator {
	i := 0
	if lang == locale.EN {
		i = 1
	}
	return func(key string) string {
		if m, ok := catalog[key]; ok {
			return m[i]
		}
		return key
	}
}

// golden compares got with testdata/name, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update after checking the change):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// render writes a table as text and CSV goldens, name.txt.golden and
// name.csv.golden.
func render(t *testing.T, name string, tab *report.Table, lang locale.Lang) {
	t.Helper()
	var txt, csv bytes.Buffer
	if err := report.WriteText(&txt, tab, tr(lang)); err != nil {
		t.Fatal(err)
	}
	if err := sheet.WriteTableCSV(&csv, tab, tr(lang), sheet.WithBOM(false)); err != nil {
		t.Fatal(err)
	}
	golden(t, name+".txt.golden", txt.Bytes())
	golden(t, name+".csv.golden", csv.Bytes())
}

// sampleMeta is what the command line adds above a statement.
func sampleMeta(date string) []string {
	return []string{"编制单位：示例村股份经济合作社", date + "　　单位：元"}
}

func TestGoldenTrialBalance(t *testing.T) {
	b := sampleBooks(t, true)
	tb := ledger.ComputeTrialBalance(b.chart, b.moves(), 202501, 202512, false)
	if !tb.Balanced() {
		t.Fatal("sample trial balance does not balance")
	}
	render(t, "trial_balance", report.TrialBalanceTable(tb, tr(locale.ZH)), locale.ZH)
}

// sampleOpened is the day the sample books open: 1 January 2025, so the
// balance sheet has 上年年末余额 (the opening balances) and the income
// statement no 上年金额.
var sampleOpened = jiti.MustDate("2025-01-01")

// column returns the column of a statement over from..to, blank when the
// sample books do not cover it.
func (b *testBooks) column(heading string, from, to jiti.Period, balance bool) *report.Snapshot {
	if !report.BooksCover(sampleOpened, to, balance) {
		return &report.Snapshot{Heading: heading, Blank: true}
	}
	return b.snapshot(heading, from, to)
}

// sampleSheet is the sample's balance sheet at the end of 2025.
func sampleSheet(t *testing.T, b *testBooks) *report.StatementResult {
	t.Helper()
	r, err := report.BalanceSheet().Evaluate(
		b.column(report.HeadingPeriodEnd, 202501, 202512, true),
		b.column(report.HeadingYearStart, 202412, 202412, true))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestGoldenBalanceSheet(t *testing.T) {
	b := sampleBooks(t, true)
	r := sampleSheet(t, b)
	var err error
	if !r.OK() {
		t.Errorf("sample balance sheet does not balance: %v", r.Balanced)
	}
	tab := report.StatementTable(r, locale.ZH)
	tab.Meta = sampleMeta("2025年12月31日")
	render(t, "balance_sheet", tab, locale.ZH)

	j, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "balance_sheet.json.golden", append(j, '\n'))
}

// TestGoldenIncomeStatement is the sample's first year: its 上年金额 is
// blank in text and CSV, and null in JSON.
func TestGoldenIncomeStatement(t *testing.T) {
	b := sampleBooks(t, true)
	r, err := report.IncomeStatement().Evaluate(
		b.column(report.HeadingThisYear, 202501, 202512, false),
		b.column(report.HeadingLastYear, 202401, 202412, false))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Blank[1] || r.Blank[0] {
		t.Fatalf("Blank = %v, want the year before blank", r.Blank)
	}
	tab := report.StatementTable(r, locale.ZH)
	tab.Meta = sampleMeta("2025年度")
	render(t, "income", tab, locale.ZH)

	en := report.StatementTable(r, locale.EN)
	en.Meta = []string{"Sample Village Joint-Stock Economic Cooperative", "Year 2025    Unit: yuan"}
	render(t, "income_en", en, locale.EN)

	j, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "income.json.golden", append(j, '\n'))
}

func TestGoldenDetailLedger(t *testing.T) {
	b := sampleBooks(t, true)
	opening, year := b.before("113", 202501)
	l := report.DetailLedger(b.account(t, "113"), 202501, 202512, opening, year, b.entries("113", 202501, 202512))
	render(t, "detail_ledger", report.LedgerTable(l, tr(locale.ZH)), locale.ZH)
}

func TestGoldenCashJournal(t *testing.T) {
	b := sampleBooks(t, true)
	opening, year := b.before("101", 202501)
	l := report.Journal(b.account(t, "101"), 202501, 202512, opening, year, b.entries("101", 202501, 202512))
	render(t, "cash_journal", report.LedgerTable(l, tr(locale.ZH)), locale.ZH)
}

func TestGoldenGeneralLedger(t *testing.T) {
	b := sampleBooks(t, true)
	opening, year := b.before("102", 202501)
	l := report.GeneralLedger(b.account(t, "102"), 202501, 202512, opening, year, b.monthsOf("102"))
	render(t, "general_ledger", report.LedgerTable(l, tr(locale.ZH)), locale.ZH)
}

// TestCatalogComplete renders every kind of table in both languages and
// checks that no catalog key is left untranslated.
func TestCatalogComplete(t *testing.T) {
	b := sampleBooks(t, true)
	bs := sampleSheet(t, b)
	is, err := report.IncomeStatement().Evaluate(
		b.column(report.HeadingYearToDate, 202501, 202503, false),
		b.column(report.HeadingLastYearToDate, 202401, 202403, false))
	if err != nil {
		t.Fatal(err)
	}
	opening, year := b.before("10201", 202501)
	acct := b.account(t, "10201")
	entries := b.entries("10201", 202501, 202512)
	for _, lang := range locale.Langs {
		tables := []*report.Table{
			report.TrialBalanceTable(ledger.ComputeTrialBalance(b.chart, b.moves(), 202501, 202512, false), tr(lang)),
			report.StatementTable(bs, lang),
			report.StatementTable(is, lang),
			report.LedgerTable(report.Journal(acct, 202501, 202512, opening, year, entries), tr(lang)),
			report.LedgerTable(report.DetailLedger(acct, 202502, 202512, opening, year, entries), tr(lang)),
		}
		for _, tab := range tables {
			var out bytes.Buffer
			if err := report.WriteText(&out, tab, tr(lang)); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out.String(), "report.") {
				t.Errorf("%s: untranslated key in %q:\n%s", lang, tab.Title, out.String())
			}
		}
	}
	keys := make([]string, 0, len(catalog))
	for k := range catalog {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if catalog[k][0] == "" || catalog[k][1] == "" {
			t.Errorf("catalog key %s has an empty text", k)
		}
	}
}

// TestTextAlignment checks the property the goldens are reviewed for: in
// every rendered text table, the columns of all rows end at the same
// terminal column, Chinese text included.
func TestTextAlignment(t *testing.T) {
	b := sampleBooks(t, true)
	r := sampleSheet(t, b)
	var out bytes.Buffer
	tab := report.StatementTable(r, locale.ZH)
	tab.Meta = sampleMeta("2025年12月31日")
	if err := report.WriteText(&out, tab, tr(locale.ZH)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	// After the title, two meta lines and the blank line: header, rule,
	// rows; the last (money) column is right-aligned, so every line has the
	// same width.
	// Headings have no values and end early; every other line ends with a
	// figure.
	body := lines[4:]
	want := locale.Width(body[1])
	for _, l := range body {
		if last := l[len(l)-1]; last < '0' || last > '9' {
			continue
		}
		if got := locale.Width(l); got != want {
			t.Errorf("line %q is %d columns wide, want %d", l, got, want)
		}
	}
}

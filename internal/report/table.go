package report

import (
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/locale"
)

// Table is a report ready to render: text in its cells, money in machine
// form. Every report converts to one, and the renderers (WriteText,
// sheet.WriteTableCSV, the web and xlsx export) know only tables.
//
// Money cells hold plain decimal yuan ("1234.56", "-0.05") or "" for a blank;
// each renderer formats them its own way (thousands separators in text,
// plain in CSV). Column headers are catalog keys, translated when rendered;
// everything else (Title, Meta, cells) is final text in the reader's
// language.
type Table struct {
	Title   string     `json:"title"`
	Meta    []string   `json:"meta,omitempty"` // subtitle lines, already translated; callers may append (单位名称, 单位：元)
	Columns []Column   `json:"columns"`
	Rows    []TableRow `json:"rows"`
}

// Align is the horizontal alignment of a column.
type Align string

// Alignments.
const (
	Left  Align = "left"
	Right Align = "right"
)

// Column describes one column of a Table.
type Column struct {
	Key    string `json:"key"` // catalog key of the header, such as "report.col.opening_debit"
	Align  Align  `json:"align"`
	Money  bool   `json:"money,omitempty"`  // cells are plain amounts
	Indent bool   `json:"indent,omitempty"` // the column that takes each row's indentation (account or item names)
}

// TableRow is one row of a Table.
type TableRow struct {
	Cells  []string `json:"cells"`
	Bold   bool     `json:"bold,omitempty"`   // totals and headings
	Indent int      `json:"indent,omitempty"` // nesting level of the row's label: detail accounts, statement items
}

// Catalog keys used by the converters (besides the column keys).
const (
	keyTotal        = "report.total"
	keyMetaPeriod   = "report.meta.period"
	keyMetaAccount  = "report.meta.account"
	keyRowOpening   = "report.row.opening"
	keyRowCarried   = "report.row.carried_forward"
	keyRowDay       = "report.row.day_total"
	keyRowMonth     = "report.row.month_total"
	keyRowYear      = "report.row.year_total"
	keyDirDebit     = "report.dir.debit"
	keyDirCredit    = "report.dir.credit"
	keyDirFlat      = "report.dir.flat"
	keyTitleTB      = "report.title.trial_balance"
	keyTitleDetail  = "report.title.detail_ledger"
	keyTitleJournal = "report.title.journal"
	keyTitleCash    = "report.title.cash_journal"
	keyTitleBank    = "report.title.bank_journal"
	keyTitleGeneral = "report.title.general_ledger"
	keyColCode      = "report.col.code"
	keyColAccount   = "report.col.account"
	keyColItem      = "report.col.item"
	keyColLine      = "report.col.line"
	keyColDate      = "report.col.date"
	keyColVoucher   = "report.col.voucher"
	keyColSummary   = "report.col.summary"
	keyColParty     = "report.col.party"
	keyColDebit     = "report.col.debit"
	keyColCredit    = "report.col.credit"
	keyColDirection = "report.col.direction"
	keyColBalance   = "report.col.balance"
	keyColOpeningDr = "report.col.opening_debit"
	keyColOpeningCr = "report.col.opening_credit"
	keyColPeriodDr  = "report.col.period_debit"
	keyColPeriodCr  = "report.col.period_credit"
	keyColYearDr    = "report.col.year_debit"
	keyColYearCr    = "report.col.year_credit"
	keyColClosingDr = "report.col.closing_debit"
	keyColClosingCr = "report.col.closing_credit"
	keyColThisYear  = "report.col.this_year" // 本年数, of the statistical table
	keyColLastYear  = "report.col.last_year" // 上年数
)

// Column header keys for statement snapshots (Snapshot.Heading): the
// columns of the official forms ([proposed]: see the layouts' notes).
const (
	HeadingPeriodEnd      = "report.col.end_balance"      // 期末余额
	HeadingYearStart      = "report.col.prior_year_end"   // 上年年末余额
	HeadingThisYear       = "report.col.year_amount"      // 本年金额, of a whole year
	HeadingLastYear       = "report.col.prior_amount"     // 上年金额
	HeadingYearToDate     = "report.col.ytd_amount"       // 本年累计金额, January to a month before December
	HeadingLastYearToDate = "report.col.prior_ytd_amount" // 上年同期金额
)

// money returns the machine form of a, or "" for zero: paper ledgers and
// trial balances leave the unused side of a debit/credit pair blank.
func money(a jiti.Amount) string {
	if a == 0 {
		return ""
	}
	return a.String()
}

// periodRange writes from..to as "2025-01 ~ 2025-12", or one month alone.
func periodRange(from, to jiti.Period) string {
	if from == to {
		return from.String()
	}
	return from.String() + " ~ " + to.String()
}

// labelled joins a translated label and its value with the colon of the
// label's script: "会计期间：2025-01" but "Period: 2025-01". Catalog
// messages hold the bare label, since translators and tools trim the
// trailing spaces an English "Period: " would need.
func labelled(label, value string) string {
	for _, r := range label {
		if r >= 0x2E80 {
			return label + "：" + value
		}
	}
	return label + ": " + value
}

// TrialBalanceTable converts a trial balance (科目余额表): code, name
// (indented by level), opening, period, year-to-date and closing debit and
// credit, and a total row of the first-level accounts.
func TrialBalanceTable(tb *ledger.TrialBalance, tr Translator) *Table {
	t := &Table{
		Title: tr(keyTitleTB),
		Meta:  []string{labelled(tr(keyMetaPeriod), periodRange(tb.From, tb.To))},
		Columns: []Column{
			{Key: keyColCode, Align: Left},
			{Key: keyColAccount, Align: Left, Indent: true},
			{Key: keyColOpeningDr, Align: Right, Money: true},
			{Key: keyColOpeningCr, Align: Right, Money: true},
			{Key: keyColPeriodDr, Align: Right, Money: true},
			{Key: keyColPeriodCr, Align: Right, Money: true},
			{Key: keyColYearDr, Align: Right, Money: true},
			{Key: keyColYearCr, Align: Right, Money: true},
			{Key: keyColClosingDr, Align: Right, Money: true},
			{Key: keyColClosingCr, Align: Right, Money: true},
		},
	}
	row := func(code, name string, r *ledger.TBRow) []string {
		return []string{code, name,
			money(r.OpeningDr), money(r.OpeningCr), money(r.Debit), money(r.Credit),
			money(r.YearDr), money(r.YearCr), money(r.ClosingDr), money(r.ClosingCr)}
	}
	for i := range tb.Rows {
		r := &tb.Rows[i]
		t.Rows = append(t.Rows, TableRow{Cells: row(r.Code, r.Name, r), Indent: r.Level - 1})
	}
	t.Rows = append(t.Rows, TableRow{Cells: row("", tr(keyTotal), &tb.Total), Bold: true})
	return t
}

// StatementTable converts an evaluated statement: item (label in lang,
// indented), line number (行次) and one column per snapshot. Every value is
// shown, zero included, since a blank in a statement reads as "not filled
// in"; headings have no line number and no values. A blank column (before
// the books) is empty throughout, and an optional line (not on the official
// form) is left out while it has no figure.
func StatementTable(r *StatementResult, lang locale.Lang) *Table {
	s := r.Statement
	t := &Table{
		Title: s.TitleIn(lang),
		Columns: []Column{
			{Key: keyColItem, Align: Left, Indent: true},
			{Key: keyColLine, Align: Right},
		},
	}
	for _, h := range r.Headings {
		t.Columns = append(t.Columns, Column{Key: h, Align: Right, Money: true})
	}
	for i := range s.Lines {
		l := &s.Lines[i]
		if l.Optional && !r.hasFigure(i) {
			continue
		}
		cells := []string{l.LabelIn(lang), ""}
		if l.No > 0 {
			cells[1] = strconv.Itoa(l.No)
		}
		for c := range r.Headings {
			v := ""
			if r.Values[i] != nil && !r.Blank[c] {
				v = r.Values[i][c].String()
			}
			cells = append(cells, v)
		}
		t.Rows = append(t.Rows, TableRow{Cells: cells, Bold: l.Bold, Indent: l.Indent})
	}
	return t
}

// LedgerTable converts a book: date, voucher (not in the general ledger),
// summary, the household or counterparty when any entry has one (113
// 内部往来 and other sub-ledger accounts), debit, credit, direction (借/贷/平)
// and the balance's magnitude. Total rows are bold.
func LedgerTable(l *Ledger, tr Translator) *Table {
	t := &Table{
		Title: tr(ledgerTitleKey(l)),
		Meta: []string{
			labelled(tr(keyMetaAccount), l.Account.Code+" "+l.Account.Name),
			labelled(tr(keyMetaPeriod), periodRange(l.From, l.To)),
		},
	}
	withVoucher := l.Kind != GeneralKind
	withParty := false
	for _, r := range l.Rows {
		if r.Household != "" || r.Counterparty != "" {
			withParty = true
			break
		}
	}
	t.Columns = append(t.Columns, Column{Key: keyColDate, Align: Left})
	if withVoucher {
		t.Columns = append(t.Columns, Column{Key: keyColVoucher, Align: Left})
	}
	t.Columns = append(t.Columns, Column{Key: keyColSummary, Align: Left})
	if withParty {
		t.Columns = append(t.Columns, Column{Key: keyColParty, Align: Left})
	}
	t.Columns = append(t.Columns,
		Column{Key: keyColDebit, Align: Right, Money: true},
		Column{Key: keyColCredit, Align: Right, Money: true},
		Column{Key: keyColDirection, Align: Left},
		Column{Key: keyColBalance, Align: Right, Money: true})

	for i := range l.Rows {
		r := &l.Rows[i]
		cells := []string{r.Date.String()}
		if withVoucher {
			cells = append(cells, r.VoucherLabel())
		}
		cells = append(cells, rowSummary(r, tr))
		if withParty {
			party := r.Household
			if party == "" {
				party = r.Counterparty
			}
			cells = append(cells, party)
		}
		cells = append(cells, money(r.Debit), money(r.Credit), tr(directionKey(r.Direction())), r.Balance.Abs().String())
		t.Rows = append(t.Rows, TableRow{Cells: cells, Bold: r.Kind != RowEntry})
	}
	return t
}

// ledgerTitleKey names the book: 现金日记账 and 银行存款日记账 by the account's
// first-level code, as cashiers call them.
func ledgerTitleKey(l *Ledger) string {
	switch l.Kind {
	case GeneralKind:
		return keyTitleGeneral
	case JournalKind:
		switch ledger.FirstLevel(l.Account.Code) {
		case ledger.AcctCash:
			return keyTitleCash
		case ledger.AcctBank:
			return keyTitleBank
		}
		return keyTitleJournal
	}
	return keyTitleDetail
}

// rowSummary is the summary cell: the entry's own, or the name of a total.
func rowSummary(r *LedgerRow, tr Translator) string {
	switch r.Kind {
	case RowOpening:
		if r.CarriedForward() {
			return tr(keyRowCarried)
		}
		return tr(keyRowOpening)
	case RowDay:
		return tr(keyRowDay)
	case RowMonth:
		return tr(keyRowMonth)
	case RowYear:
		return tr(keyRowYear)
	}
	return r.Summary
}

func directionKey(d Direction) string {
	switch d {
	case DirDebit:
		return keyDirDebit
	case DirCredit:
		return keyDirCredit
	}
	return keyDirFlat
}

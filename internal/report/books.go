package report

import (
	"encoding/json"
	"sort"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// The account books (账簿): the detail ledger (明细账) of one account, the
// journals (日记账) of cash and bank, and the general ledger (总账). They are
// laid out as Chinese paper ledgers are:
//
//   - an opening row, 期初余额, or 上年结转 when the range starts in January
//     (the balance carried over from last year's book);
//   - the entries of each month with the running balance after each, shown as
//     a direction (借/贷/平) and a magnitude;
//   - after each month with entries, 本月合计 (the month's debit and credit
//     turnover and the balance at month end) and 本年累计 (the turnover from
//     January, and the same balance);
//   - months without entries get no rows, the first month of the range
//     excepted, which always has its opening row;
//   - a range that runs into a new year gets a 上年结转 row on 1 January and
//     starts the year's totals afresh, as a new year's book would.
//
// Journals (现金日记账, 银行存款日记账) add 本日合计 after each day with two or
// more entries. Cash is counted at the end of every day (日清月结) and the
// cashier compares the day's closing balance with the cash box; a day with a
// single entry already shows its turnover and that balance on the entry's
// own row, so a total row would only repeat it.

// RowKind is the kind of a ledger row.
type RowKind string

// Ledger row kinds.
const (
	RowOpening RowKind = "opening" // 期初余额 or 上年结转
	RowEntry   RowKind = "entry"   // one voucher line
	RowDay     RowKind = "day"     // 本日合计 (journals)
	RowMonth   RowKind = "month"   // 本月合计
	RowYear    RowKind = "year"    // 本年累计
)

// Direction is the side of a balance: 借 (debit), 贷 (credit) or 平 (nil).
type Direction string

// Balance directions.
const (
	DirDebit  Direction = "debit"
	DirCredit Direction = "credit"
	DirFlat   Direction = "flat"
)

// DirectionOf returns the direction of a debit-minus-credit balance.
func DirectionOf(net jiti.Amount) Direction {
	switch {
	case net > 0:
		return DirDebit
	case net < 0:
		return DirCredit
	}
	return DirFlat
}

// Entry is one posted voucher line on the account of a ledger, as the store
// reads it.
type Entry struct {
	Date         jiti.Date
	VoucherID    int64
	Period       jiti.Period
	Number       int // 记字第N号 within Period
	Summary      string
	Debit        jiti.Amount
	Credit       jiti.Amount
	Counterparty string
	Household    string
}

// LedgerKind is the kind of book.
type LedgerKind string

// Kinds of books.
const (
	DetailKind  LedgerKind = "detail"  // 明细账
	JournalKind LedgerKind = "journal" // 日记账
	GeneralKind LedgerKind = "general" // 总账
)

// Ledger is one account's book over a range of months.
type Ledger struct {
	Kind    LedgerKind
	Account ledger.Account
	From    jiti.Period
	To      jiti.Period
	Rows    []LedgerRow
}

// LedgerRow is one row of a book. Entry rows carry the voucher; total rows
// carry the sums of their day, month or year. Balance is the debit-minus-
// credit balance after the row.
type LedgerRow struct {
	Kind         RowKind
	Date         jiti.Date
	VoucherID    int64       // entry rows: the voucher, for links
	Period       jiti.Period // entry rows: the voucher's month
	Number       int         // entry rows: the voucher's number in its month
	Summary      string      // entry rows: the line's summary
	Counterparty string
	Household    string
	Debit        jiti.Amount
	Credit       jiti.Amount
	Balance      jiti.Amount
}

// VoucherLabel returns the voucher's number as written in a ledger, "记-5",
// or "" for a total row.
func (r *LedgerRow) VoucherLabel() string {
	if r.Number == 0 {
		return ""
	}
	return "记-" + strconv.Itoa(r.Number)
}

// Direction returns the direction of the row's balance.
func (r *LedgerRow) Direction() Direction { return DirectionOf(r.Balance) }

// CarriedForward reports whether an opening row is 上年结转 (on 1 January)
// rather than 期初余额.
func (r *LedgerRow) CarriedForward() bool {
	return r.Kind == RowOpening && r.Date.Month == 1 && r.Date.Day == 1
}

// DetailLedger returns the 明细账 of acct over the months from..to. opening
// is the debit-minus-credit balance before from; yearBefore is the debit and
// credit turnover from January of from's year up to before from, so that
// 本年累计 counts the whole year. entries are the account's posted lines in
// the range (closing vouchers included: the book shows the account emptied),
// sorted by date and number; lines outside the range are ignored.
func DetailLedger(acct ledger.Account, from, to jiti.Period, opening jiti.Amount, yearBefore [2]jiti.Amount, entries []Entry) *Ledger {
	return entryBook(DetailKind, acct, from, to, opening, yearBefore, entries)
}

// Journal returns the 日记账 of a cash or bank account (101, 102 and its
// detail accounts): the detail ledger with 本日合计 after each day with two or
// more entries. Its arguments are those of DetailLedger.
func Journal(acct ledger.Account, from, to jiti.Period, opening jiti.Amount, yearBefore [2]jiti.Amount, entries []Entry) *Ledger {
	return entryBook(JournalKind, acct, from, to, opening, yearBefore, entries)
}

// GeneralLedger returns the 总账 of acct: the opening row, then for each
// month with turnover 本月合计 and 本年累计. months are the account's monthly
// movements; several movements of one month (the detail accounts of a
// first-level account) are added together, and movements outside from..to
// (the opening balances among them) are ignored.
func GeneralLedger(acct ledger.Account, from, to jiti.Period, opening jiti.Amount, yearBefore [2]jiti.Amount, months []ledger.Movement) *Ledger {
	turnover := map[jiti.Period][2]jiti.Amount{}
	for _, m := range months {
		if m.Period < from || m.Period > to || m.Period == ledger.OpeningPeriod {
			continue
		}
		t := turnover[m.Period]
		turnover[m.Period] = [2]jiti.Amount{t[0] + m.Debit, t[1] + m.Credit}
	}
	b := newBook(GeneralKind, acct, from, to, opening, yearBefore)
	for p := from; p <= to; p = p.Next() {
		b.startMonth(p)
		t, ok := turnover[p]
		if !ok || t == [2]jiti.Amount{} {
			continue
		}
		b.mdr, b.mcr = t[0], t[1]
		b.bal += t[0] - t[1]
		b.closeMonth(p)
	}
	return b.l
}

// book accumulates the rows of a ledger month by month.
type book struct {
	l        *Ledger
	bal      jiti.Amount // running debit-minus-credit balance
	mdr, mcr jiti.Amount // this month's turnover
	ydr, ycr jiti.Amount // this year's turnover, closed months only
}

func newBook(kind LedgerKind, acct ledger.Account, from, to jiti.Period, opening jiti.Amount, yearBefore [2]jiti.Amount) *book {
	b := &book{
		l:   &Ledger{Kind: kind, Account: acct, From: from, To: to},
		bal: opening, ydr: yearBefore[0], ycr: yearBefore[1],
	}
	b.add(LedgerRow{Kind: RowOpening, Date: from.First(), Balance: opening})
	return b
}

func (b *book) add(r LedgerRow) { b.l.Rows = append(b.l.Rows, r) }

// startMonth resets the month's totals, and the year's on 1 January after
// the first month, where it also carries the balance into the new year.
func (b *book) startMonth(p jiti.Period) {
	b.mdr, b.mcr = 0, 0
	if p.Month() == 1 && p != b.l.From {
		b.ydr, b.ycr = 0, 0
		b.add(LedgerRow{Kind: RowOpening, Date: p.First(), Balance: b.bal})
	}
}

// closeMonth adds 本月合计 and 本年累计.
func (b *book) closeMonth(p jiti.Period) {
	b.ydr += b.mdr
	b.ycr += b.mcr
	last := p.Last()
	b.add(LedgerRow{Kind: RowMonth, Date: last, Debit: b.mdr, Credit: b.mcr, Balance: b.bal})
	b.add(LedgerRow{Kind: RowYear, Date: last, Debit: b.ydr, Credit: b.ycr, Balance: b.bal})
}

// entryBook builds a detail ledger or a journal.
func entryBook(kind LedgerKind, acct ledger.Account, from, to jiti.Period, opening jiti.Amount, yearBefore [2]jiti.Amount, entries []Entry) *Ledger {
	byMonth := map[jiti.Period][]Entry{}
	for _, e := range entries {
		if e.Period >= from && e.Period <= to {
			byMonth[e.Period] = append(byMonth[e.Period], e)
		}
	}
	b := newBook(kind, acct, from, to, opening, yearBefore)
	for p := from; p <= to; p = p.Next() {
		b.startMonth(p)
		month := byMonth[p]
		if len(month) == 0 {
			continue
		}
		// The store sorts, but the running balance is only right in order,
		// so make sure of it; stable, to keep lines of one voucher in order.
		sort.SliceStable(month, func(i, j int) bool {
			if c := month[i].Date.Compare(month[j].Date); c != 0 {
				return c < 0
			}
			return month[i].Number < month[j].Number
		})
		for i := 0; i < len(month); {
			n := b.addDay(month[i:], kind == JournalKind)
			i += n
		}
		b.closeMonth(p)
	}
	return b.l
}

// addDay adds the entries of the first day of es and, for a journal with two
// or more of them, 本日合计; it returns the number of entries used.
func (b *book) addDay(es []Entry, dayTotals bool) int {
	day := es[0].Date
	var ddr, dcr jiti.Amount
	n := 0
	for n < len(es) && es[n].Date == day {
		e := es[n]
		b.bal += e.Debit - e.Credit
		ddr += e.Debit
		dcr += e.Credit
		b.add(LedgerRow{Kind: RowEntry, Date: e.Date, VoucherID: e.VoucherID, Period: e.Period, Number: e.Number,
			Summary: e.Summary, Counterparty: e.Counterparty, Household: e.Household,
			Debit: e.Debit, Credit: e.Credit, Balance: b.bal})
		n++
	}
	b.mdr += ddr
	b.mcr += dcr
	if dayTotals && n >= 2 {
		b.add(LedgerRow{Kind: RowDay, Date: day, Debit: ddr, Credit: dcr, Balance: b.bal})
	}
	return n
}

// ledgerJSON is the JSON shape of a Ledger.
type ledgerJSON struct {
	Kind    LedgerKind      `json:"kind"`
	Account string          `json:"account"`
	Name    string          `json:"name"`
	NameEN  string          `json:"name_en,omitempty"`
	From    jiti.Period     `json:"from"`
	To      jiti.Period     `json:"to"`
	Rows    []ledgerRowJSON `json:"rows"`
}

type ledgerRowJSON struct {
	Kind         RowKind     `json:"kind"`
	Date         jiti.Date   `json:"date"`
	VoucherID    int64       `json:"voucher_id,omitempty"`
	Voucher      string      `json:"voucher,omitempty"`
	Period       jiti.Period `json:"period,omitzero"`
	Summary      string      `json:"summary,omitempty"`
	Counterparty string      `json:"counterparty,omitempty"`
	Household    string      `json:"household,omitempty"`
	Debit        Money       `json:"debit"`
	Credit       Money       `json:"credit"`
	Direction    Direction   `json:"direction"`
	Balance      Money       `json:"balance"`
}

// MarshalJSON gives the ledger with amounts as decimal strings. Each row has
// its kind, date, voucher ("记-5" and its id, for entries), summary, debit,
// credit, the direction of the balance and the balance itself, signed
// debit-minus-credit (its magnitude is what a paper ledger shows).
func (l *Ledger) MarshalJSON() ([]byte, error) {
	out := ledgerJSON{Kind: l.Kind, Account: l.Account.Code, Name: l.Account.Name, NameEN: l.Account.NameEN,
		From: l.From, To: l.To, Rows: make([]ledgerRowJSON, len(l.Rows))}
	for i := range l.Rows {
		r := &l.Rows[i]
		out.Rows[i] = ledgerRowJSON{Kind: r.Kind, Date: r.Date, VoucherID: r.VoucherID, Voucher: r.VoucherLabel(),
			Period: r.Period, Summary: r.Summary, Counterparty: r.Counterparty, Household: r.Household,
			Debit: Money(r.Debit), Credit: Money(r.Credit), Direction: r.Direction(), Balance: Money(r.Balance)}
	}
	return json.Marshal(out)
}

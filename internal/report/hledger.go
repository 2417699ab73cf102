package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// HledgerWriter writes a collective's books as an hledger / Ledger journal,
// so that an auditor can check jiti's figures with independent tools
// (`hledger -f books.journal balance`). Accounts are named by their code
// path under the collective's code (620422100201:102:10201), which keeps
// names unique and lets hledger's totals of parents match jiti's; each
// account directive carries the Chinese name as a comment. Debits are
// positive, credits negative; red-ink reversals keep their negative
// amounts, exactly as in jiti.
//
// Each voucher also carries, as hledger comment tags, everything its hash
// covers that the transaction does not show (its place in the chain, the
// hash before it and its own, who made, approved and posted it and when,
// and of a line what the amount's sign does not tell), and each
// collective's part ends with its chain head as tags of the collective's
// account directive, so that `jiti verify -journal` checks an export
// without the database (CheckJournal). hledger reads the tags as tags and
// the figures as before.
type HledgerWriter struct {
	w    *bufio.Writer
	err  error
	part *chainPart // the collective being written
	f    *JournalFormatter
	buf  []byte
}

// chainPart is what the writer remembers of a collective's vouchers to
// write its chain head: the seqs written, a bit each, and the last
// voucher's hash.
type chainPart struct {
	c       *jiti.Collective
	seen    []uint64 // bit s%64 of word s/64: seq s written
	headSeq int64
	head    string
}

// NewHledgerWriter returns a writer on w.
func NewHledgerWriter(w io.Writer) *HledgerWriter {
	return &HledgerWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

func (h *HledgerWriter) printf(format string, args ...any) {
	if h.err == nil {
		_, h.err = fmt.Fprintf(h.w, format, args...)
	}
}

func (h *HledgerWriter) write(b []byte) {
	if h.err == nil {
		_, h.err = h.w.Write(b)
	}
}

// hledgerAccount returns the journal name of account code of collective.
func hledgerAccount(collective, code string) string {
	return string(appendAccount(nil, collective, code))
}

// appendAccount appends the journal name of account code of collective:
// the collective's code, then each level of the code.
func appendAccount(b []byte, collective, code string) []byte {
	b = append(b, collective...)
	for n := 3; n <= len(code); n += 2 {
		b = append(b, ':')
		b = append(b, code[:n]...)
	}
	return b
}

// HledgerAccount returns the journal name of an account of a collective, as
// the writer names it, for comparing hledger's output with jiti's.
func HledgerAccount(collective, code string) string { return hledgerAccount(collective, code) }

// Begin writes the header of one collective's part: a comment and an
// account directive per account of its chart.
func (h *HledgerWriter) Begin(c *jiti.Collective, accounts []ledger.Account) {
	h.endPart()
	h.part = &chainPart{c: c, head: ledger.ChainStart}
	h.printf("; %s %s\n", c.Code, c.Name)
	for _, a := range accounts {
		h.printf("account %s  ; %s\n", hledgerAccount(c.Code, a.Code), oneLine(a.Name))
	}
	h.printf("\n")
}

// Opening writes one transaction holding the balances (debit minus credit,
// by leaf account) brought into the journal on date.
func (h *HledgerWriter) Opening(c *jiti.Collective, date jiti.Date, net map[string]jiti.Amount) {
	codes := make([]string, 0, len(net))
	for code, n := range net {
		if n != 0 {
			codes = append(codes, code)
		}
	}
	if len(codes) == 0 {
		return
	}
	sort.Strings(codes)
	h.printf("%s 期初余额\n", date)
	for _, code := range codes {
		h.printf("    %s  %s\n", hledgerAccount(c.Code, code), net[code])
	}
	h.printf("\n")
}

// Voucher writes one posted voucher as a transaction, as JournalFormatter
// formats it.
func (h *HledgerWriter) Voucher(c *jiti.Collective, v *ledger.Voucher) {
	if h.f == nil || h.f.collective != c.Code {
		h.f = NewJournalFormatter(c.Code)
	}
	h.buf = h.f.AppendVoucher(h.buf[:0], v)
	h.Formatted(c, h.buf, ChainLink{Seq: v.Seq, Hash: v.Hash})
}

// ChainLink is a voucher's place in its collective's chain: its seq and
// its hash.
type ChainLink struct {
	Seq  int64
	Hash string
}

// Formatted writes transactions a JournalFormatter of collective c
// formatted, for a writer that formats vouchers apart (in parallel) and
// writes them in order, with the chain links of their vouchers, which the
// collective's chain head is written from.
func (h *HledgerWriter) Formatted(c *jiti.Collective, text []byte, links ...ChainLink) {
	h.write(text)
	p := h.part
	if p == nil || p.c.ID != c.ID {
		return
	}
	for _, l := range links {
		if l.Seq <= 0 {
			continue
		}
		w := int(l.Seq / 64)
		if w >= len(p.seen) {
			p.seen = append(p.seen, make([]uint64, w+1-len(p.seen))...)
		}
		p.seen[w] |= 1 << (l.Seq % 64)
		if l.Seq > p.headSeq {
			p.headSeq, p.head = l.Seq, l.Hash
		}
	}
}

// JournalFormatter formats the posted vouchers of one collective as
// transactions of the journal, appending to a buffer: its date, its number
// in code position, its first summary as description, and tags with
// jiti's voucher id and, but for ordinary vouchers, its kind
// (kind:closing, kind:reversal, kind:register), so that a query can leave
// out year-end closing as statistics do (not:tag:kind=closing); each line
// a posting with its own summary as comment. A comment line after the
// first holds the voucher's chain tags, and one after a posting the line's
// own tags when it has any (voucherTags, lineTags). It keeps the journal
// names of the accounts met, so a goroutine formatting vouchers needs a
// formatter of its own.
type JournalFormatter struct {
	collective string
	accounts   map[string]journalAccount
}

// journalAccount is an account's journal name, and whether a posting to
// it needs the account tag: when the name's last part is not the code (a
// code of even length).
type journalAccount struct {
	name   string
	tagged bool
}

// NewJournalFormatter returns a formatter of the vouchers of the
// collective with code.
func NewJournalFormatter(collective string) *JournalFormatter {
	return &JournalFormatter{collective: collective, accounts: map[string]journalAccount{}}
}

// Collective returns the code of the collective whose vouchers f formats.
func (f *JournalFormatter) Collective() string { return f.collective }

func (f *JournalFormatter) account(code string) journalAccount {
	a, ok := f.accounts[code]
	if !ok {
		a.name = hledgerAccount(f.collective, code)
		a.tagged = a.name[strings.LastIndexByte(a.name, ':')+1:] != code
		f.accounts[code] = a
	}
	return a
}

// AppendVoucher appends the transaction of posted voucher v to b.
func (f *JournalFormatter) AppendVoucher(b []byte, v *ledger.Voucher) []byte {
	desc := ""
	if len(v.Lines) > 0 {
		desc = v.Lines[0].Summary
	}
	b = appendDate(b, v.Date)
	b = append(b, " * ("...)
	b = appendPeriod(b, v.Period)
	b = append(b, " 记-"...)
	b = strconv.AppendInt(b, int64(v.Number), 10)
	b = append(b, ") "...)
	b = appendOneLine(b, desc)
	b = append(b, "  ; voucher:"...)
	b = strconv.AppendInt(b, v.ID, 10)
	if v.Kind != ledger.Normal && v.Kind != "" {
		b = append(b, ", kind:"...)
		b = append(b, v.Kind...)
	}
	b = append(b, "\n    ; "...)
	b = appendVoucherTags(b, v)
	b = append(b, '\n')
	for i := range v.Lines {
		l := &v.Lines[i]
		a := f.account(l.Account)
		b = append(b, "    "...)
		b = append(b, a.name...)
		b = append(b, "  "...)
		b = (l.Debit - l.Credit).Append(b)
		b = append(b, "  ; "...)
		b = appendOneLine(b, l.Summary)
		b = append(b, '\n')
		b = appendLineTags(b, i, l, a.tagged)
	}
	return append(b, '\n')
}

// appendDate appends a date as 2025-03-05.
func appendDate(b []byte, d jiti.Date) []byte {
	b = appendDigits(b, d.Year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(d.Month), 2)
	b = append(b, '-')
	return appendDigits(b, d.Day, 2)
}

// appendPeriod appends a month as 2025-03.
func appendPeriod(b []byte, p jiti.Period) []byte {
	b = appendDigits(b, p.Year(), 4)
	b = append(b, '-')
	return appendDigits(b, int(p.Month()), 2)
}

// appendDigits appends n with at least width digits, zeros in front.
func appendDigits(b []byte, n, width int) []byte {
	var d [20]byte
	s := strconv.AppendInt(d[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// appendVoucherTags appends the tags of a voucher's chain and of what its
// hash covers beyond the transaction's date, number and postings.
func appendVoucherTags(b []byte, v *ledger.Voucher) []byte {
	b = append(b, "seq:"...)
	b = strconv.AppendInt(b, v.Seq, 10)
	b = append(b, ", prev:"...)
	b = append(b, v.PrevHash...)
	b = append(b, ", hash:"...)
	b = append(b, v.Hash...)
	b = append(b, ", posted:"...)
	b = append(b, ledger.HashTime(v.PostedAt)...)
	b = append(b, ", maker:"...)
	b = strconv.AppendInt(b, int64(v.MakerID), 10)
	b = append(b, ", approver:"...)
	b = strconv.AppendInt(b, int64(v.ApproverID), 10)
	b = append(b, ", poster:"...)
	b = strconv.AppendInt(b, int64(v.PosterID), 10)
	if v.Attachments != 0 {
		b = append(b, ", attachments:"...)
		b = strconv.AppendInt(b, int64(v.Attachments), 10)
	}
	if v.ReversesID != 0 {
		b = append(b, ", reverses:"...)
		b = strconv.AppendInt(b, v.ReversesID, 10)
	}
	if v.Note != "" {
		b = append(b, ", note:"...)
		b = appendEscapedTag(b, v.Note)
	}
	return b
}

// appendLineTags appends, as a comment line, the tags a line needs beyond
// its posting, if any: its number when it is not its place, its debit and
// credit when the amount's sign does not tell them (red ink: a negative
// debit shows as a credit would), the account when the posting's name
// does not end in its code, its summary when the comment could not hold
// it exactly, and its sub-ledger fields.
func appendLineTags(b []byte, i int, l *ledger.Line, accountTag bool) []byte {
	dr, cr := sides(l.Debit - l.Credit)
	exactSummary := !needsOneLine(l.Summary) && strings.TrimSpace(l.Summary) == l.Summary
	if l.No == i+1 && dr == l.Debit && cr == l.Credit && !accountTag && exactSummary &&
		l.Counterparty == "" && l.Household == "" && l.Project == "" && l.Asset == "" && l.Contract == "" {
		return b
	}
	b = append(b, "    ; "...)
	start := len(b)
	tag := func(name string) {
		if len(b) > start {
			b = append(b, ", "...)
		}
		b = append(b, name...)
		b = append(b, ':')
	}
	if l.No != i+1 {
		tag("no")
		b = strconv.AppendInt(b, int64(l.No), 10)
	}
	if dr != l.Debit || cr != l.Credit {
		tag("dr")
		b = l.Debit.Append(b)
		tag("cr")
		b = l.Credit.Append(b)
	}
	if accountTag {
		tag("account")
		b = appendEscapedTag(b, l.Account)
	}
	if !exactSummary {
		tag("summary")
		b = appendEscapedTag(b, l.Summary)
	}
	for _, f := range [...]struct{ name, value string }{{"counterparty", l.Counterparty}, {"household", l.Household},
		{"project", l.Project}, {"asset", l.Asset}, {"contract", l.Contract}} {
		if f.value != "" {
			tag(f.name)
			b = appendEscapedTag(b, f.value)
		}
	}
	return append(b, '\n')
}

// sides reads a posting's amount the usual way: positive is a debit,
// negative a credit.
func sides(net jiti.Amount) (debit, credit jiti.Amount) {
	if net > 0 {
		return net, 0
	}
	return 0, -net
}

// endPart writes the chain head of the collective written last, as tags
// of its account directive: its internal id, the seq and hash of its last
// voucher written, and the seqs below it not written (vouchers of months
// outside the export). In an export of every month, that head is the
// collective's chain head, which `jiti verify` checks against the
// database.
func (h *HledgerWriter) endPart() {
	p := h.part
	if p == nil {
		return
	}
	h.part = nil
	h.printf("account %s  ; collective_id:%d, chain_seq:%d, chain_head:%s", p.c.Code, p.c.ID, p.headSeq, p.head)
	if omitted := seqRanges(p.seen, p.headSeq); omitted != "" {
		h.printf(", omitted:%s", omitted)
	}
	h.printf("\n\n")
}

// seqRanges writes the numbers 1..last not set in the bit set seen as
// ranges: "1-3 7 9-12".
func seqRanges(seen []uint64, last int64) string {
	has := func(s int64) bool {
		w := int(s / 64)
		return w < len(seen) && seen[w]&(1<<(s%64)) != 0
	}
	var parts []string
	for s := int64(1); s <= last; s++ {
		if has(s) {
			continue
		}
		e := s
		for e+1 <= last && !has(e+1) {
			e++
		}
		if e == s {
			parts = append(parts, strconv.FormatInt(s, 10))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", s, e))
		}
		s = e
	}
	return strings.Join(parts, " ")
}

// appendEscapedTag appends a text kept exact in a tag value, which ends
// at a comma or the end of the line: a percent sign, commas, semicolons,
// control characters and spaces at either end are written %XX.
func appendEscapedTag(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || c == ',' || c == ';' || c < 0x20 || c == 0x7f ||
			(c == ' ' && (i == 0 || i == len(s)-1)) {
			b = append(b, '%', hex[c>>4], hex[c&15])
			continue
		}
		b = append(b, c)
	}
	return b
}

// unescapeTag reverses appendEscapedTag.
func unescapeTag(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("bad escape in %q", s)
		}
		n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", fmt.Errorf("bad escape in %q", s)
		}
		b.WriteByte(byte(n))
		i += 2
	}
	return b.String(), nil
}

// Close ends the last collective's part, flushes the journal and returns
// the first error met.
func (h *HledgerWriter) Close() error {
	h.endPart()
	if h.err != nil {
		return h.err
	}
	return h.w.Flush()
}

// oneLine keeps free text on one journal line: newlines and semicolons
// would start new postings or comments.
func oneLine(s string) string { return string(appendOneLine(nil, s)) }

// appendOneLine appends s as oneLine gives it: newlines as spaces,
// semicolons as full-width ones.
func appendOneLine(b []byte, s string) []byte {
	if !needsOneLine(s) {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n', '\r':
			b = append(b, ' ')
		case ';':
			b = append(b, "，"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// needsOneLine reports whether s holds what oneLine changes.
func needsOneLine(s string) bool { return strings.ContainsAny(s, "\n\r;") }

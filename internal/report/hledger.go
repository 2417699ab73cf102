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
}

// chainPart is what the writer remembers of a collective's vouchers to
// write its chain head: the seqs written and the last voucher's hash.
type chainPart struct {
	c       *jiti.Collective
	seqs    []int64
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

// hledgerAccount returns the journal name of account code of collective.
func hledgerAccount(collective, code string) string {
	var b strings.Builder
	b.WriteString(collective)
	for n := 3; n <= len(code); n += 2 {
		b.WriteByte(':')
		b.WriteString(code[:n])
	}
	return b.String()
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

// Voucher writes one posted voucher as a transaction: its date, its number
// in code position, its first summary as description, and tags with jiti's
// voucher id and, but for ordinary vouchers, its kind (kind:closing,
// kind:reversal, kind:register), so that a query can leave out year-end
// closing as statistics do (not:tag:kind=closing); each line a posting
// with its own summary as comment. A comment line after the first holds
// the voucher's chain tags, and one after a posting the line's own tags
// when it has any (voucherTags, lineTags).
func (h *HledgerWriter) Voucher(c *jiti.Collective, v *ledger.Voucher) {
	desc := ""
	if len(v.Lines) > 0 {
		desc = v.Lines[0].Summary
	}
	kind := ""
	if v.Kind != ledger.Normal && v.Kind != "" {
		kind = ", kind:" + string(v.Kind)
	}
	h.printf("%s * (%s 记-%d) %s  ; voucher:%d%s\n", v.Date, v.Period, v.Number, oneLine(desc), v.ID, kind)
	h.printf("    ; %s\n", voucherTags(v))
	for i, l := range v.Lines {
		h.printf("    %s  %s  ; %s\n", hledgerAccount(c.Code, l.Account), l.Debit-l.Credit, oneLine(l.Summary))
		if tags := lineTags(c.Code, i, &l); tags != "" {
			h.printf("    ; %s\n", tags)
		}
	}
	h.printf("\n")
	if p := h.part; p != nil && p.c.ID == c.ID {
		p.seqs = append(p.seqs, v.Seq)
		if v.Seq > p.headSeq {
			p.headSeq, p.head = v.Seq, v.Hash
		}
	}
}

// voucherTags are the tags of a voucher's chain and of what its hash
// covers beyond the transaction's date, number and postings.
func voucherTags(v *ledger.Voucher) string {
	var b strings.Builder
	fmt.Fprintf(&b, "seq:%d, prev:%s, hash:%s, posted:%s, maker:%d, approver:%d, poster:%d",
		v.Seq, v.PrevHash, v.Hash, ledger.HashTime(v.PostedAt), v.MakerID, v.ApproverID, v.PosterID)
	if v.Attachments != 0 {
		fmt.Fprintf(&b, ", attachments:%d", v.Attachments)
	}
	if v.ReversesID != 0 {
		fmt.Fprintf(&b, ", reverses:%d", v.ReversesID)
	}
	if v.Note != "" {
		b.WriteString(", note:" + escapeTag(v.Note))
	}
	return b.String()
}

// lineTags are the tags a line needs beyond its posting: its number when
// it is not its place, its debit and credit when the amount's sign does
// not tell them (red ink: a negative debit shows as a credit would), its
// summary when the comment could not hold it exactly, and its sub-ledger
// fields.
func lineTags(collective string, i int, l *ledger.Line) string {
	var tags []string
	if l.No != i+1 {
		tags = append(tags, fmt.Sprintf("no:%d", l.No))
	}
	if dr, cr := sides(l.Debit - l.Credit); dr != l.Debit || cr != l.Credit {
		tags = append(tags, "dr:"+l.Debit.String(), "cr:"+l.Credit.String())
	}
	if name := hledgerAccount(collective, l.Account); name[strings.LastIndexByte(name, ':')+1:] != l.Account {
		tags = append(tags, "account:"+escapeTag(l.Account))
	}
	if oneLine(l.Summary) != l.Summary || strings.TrimSpace(l.Summary) != l.Summary {
		tags = append(tags, "summary:"+escapeTag(l.Summary))
	}
	for _, f := range []struct{ name, value string }{{"counterparty", l.Counterparty}, {"household", l.Household},
		{"project", l.Project}, {"asset", l.Asset}, {"contract", l.Contract}} {
		if f.value != "" {
			tags = append(tags, f.name+":"+escapeTag(f.value))
		}
	}
	return strings.Join(tags, ", ")
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
	if omitted := seqRanges(p.seqs, p.headSeq); omitted != "" {
		h.printf(", omitted:%s", omitted)
	}
	h.printf("\n\n")
}

// seqRanges writes the numbers 1..last missing from seqs as ranges:
// "1-3 7 9-12".
func seqRanges(seqs []int64, last int64) string {
	have := make(map[int64]bool, len(seqs))
	for _, s := range seqs {
		have[s] = true
	}
	var parts []string
	for s := int64(1); s <= last; s++ {
		if have[s] {
			continue
		}
		e := s
		for e+1 <= last && !have[e+1] {
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

// escapeTag keeps a text exact in a tag value, which ends at a comma or
// the end of the line: a percent sign, commas, semicolons, control
// characters and spaces at either end are written %XX.
func escapeTag(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || c == ',' || c == ';' || c < 0x20 || c == 0x7f ||
			(c == ' ' && (i == 0 || i == len(s)-1)) {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// unescapeTag reverses escapeTag.
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
func oneLine(s string) string { return oneLiner.Replace(s) }

var oneLiner = strings.NewReplacer("\n", " ", "\r", " ", ";", "，")

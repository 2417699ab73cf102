package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
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
type HledgerWriter struct {
	w   *bufio.Writer
	err error
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
// with its own summary as comment.
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
	for _, l := range v.Lines {
		h.printf("    %s  %s  ; %s\n", hledgerAccount(c.Code, l.Account), l.Debit-l.Credit, oneLine(l.Summary))
	}
	h.printf("\n")
}

// Close flushes the journal and returns the first error met.
func (h *HledgerWriter) Close() error {
	if h.err != nil {
		return h.err
	}
	return h.w.Flush()
}

// oneLine keeps free text on one journal line: newlines and semicolons
// would start new postings or comments.
func oneLine(s string) string { return oneLiner.Replace(s) }

var oneLiner = strings.NewReplacer("\n", " ", "\r", " ", ";", "，")

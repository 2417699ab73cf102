package ledger

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
)

// What makes a voucher repeat another, and an import repeat another: the
// two rules by which imports are checked, kept here with the voucher.

// Fingerprint returns a number that vouchers share when one repeats the
// other (a possible duplicate): the same date, the same summary (that of
// the first line, which lists show) and the same lines taken as a set of
// accounts, debits and credits, whatever their order. Line numbers,
// counterparties and other references, the note and the attachments are
// left out: an entry keyed twice, once with a counterparty forgotten, is
// still the same entry.
//
// It is the first 8 bytes of a SHA-256, so two different vouchers share it
// by chance about once in 10^19 pairs; a repeat is only ever flagged, never
// refused, so such a chance costs a look, not a voucher.
//
// Only vouchers people make (entered or imported) have one: closing and
// register vouchers and reversals are made by the program from the books,
// and a month's depreciation repeating last year's is no mistake.
func (v *Voucher) Fingerprint() (fp int64, ok bool) {
	if v.Kind != Normal {
		return 0, false
	}
	type side struct {
		account       string
		debit, credit int64
	}
	lines := make([]side, len(v.Lines))
	for i, l := range v.Lines {
		lines[i] = side{l.Account, int64(l.Debit), int64(l.Credit)}
	}
	slices.SortFunc(lines, func(a, b side) int {
		return cmp.Or(cmp.Compare(a.account, b.account), cmp.Compare(a.debit, b.debit), cmp.Compare(a.credit, b.credit))
	})
	summary := ""
	if len(v.Lines) > 0 {
		summary = v.Lines[0].Summary
	}
	var e encoder
	e.str("jiti-repeat-v1")
	e.str(v.Date.String())
	e.str(summary)
	for _, l := range lines {
		e.str(l.account)
		e.int(l.debit)
		e.int(l.credit)
	}
	sum := sha256.Sum256(e.b)
	return int64(binary.BigEndian.Uint64(sum[:8])), true
}

// Content is the hash of what a set of imported vouchers says, whatever
// file it came in: each voucher as read (date, attachments, note and every
// line with its summary, account, amounts and references), so the same
// vouchers saved as CSV or as xlsx, under another name or in another text
// encoding, hash alike, and a file that differs by one amount does not.
// The vouchers' order is left out too (the hash of each is added up), so
// the same vouchers sorted another way are still the same content; a
// voucher present twice counts twice. The zero Content is ready for use.
type Content struct {
	n   uint64
	sum [4]uint64 // the vouchers' SHA-256s added up, 64 bits at a time
	e   encoder
}

// Add adds a voucher, after Normalize, to the content.
func (c *Content) Add(v *Voucher) {
	e := &c.e
	e.b = e.b[:0]
	e.str("jiti-import-v1")
	e.str(v.Date.String())
	e.int(int64(v.Attachments))
	e.str(v.Note)
	e.int(int64(len(v.Lines)))
	for _, l := range v.Lines {
		e.str(l.Summary)
		e.str(l.Account)
		e.int(int64(l.Debit))
		e.int(int64(l.Credit))
		e.str(l.Counterparty)
		e.str(l.Household)
		e.str(l.Project)
		e.str(l.Asset)
		e.str(l.Contract)
	}
	h := sha256.Sum256(e.b)
	for i := range c.sum {
		c.sum[i] += binary.BigEndian.Uint64(h[8*i:])
	}
	c.n++
}

// Sum returns the content's hash in hex.
func (c *Content) Sum() string {
	b := binary.BigEndian.AppendUint64(nil, c.n)
	for _, s := range c.sum {
		b = binary.BigEndian.AppendUint64(b, s)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// encoder writes values so that no two sequences of them share a form:
// each string is prefixed by its length.
type encoder struct{ b []byte }

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) int(n int64) { e.b = binary.BigEndian.AppendUint64(e.b, uint64(n)) }

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
	// Imports compute this for every voucher: most have a few lines, kept
	// with the encoding on the stack.
	var few [8]side
	lines := few[:0]
	for _, l := range v.Lines {
		lines = append(lines, side{l.Account, int64(l.Debit), int64(l.Credit)})
	}
	slices.SortFunc(lines, func(a, b side) int {
		return cmp.Or(cmp.Compare(a.account, b.account), cmp.Compare(a.debit, b.debit), cmp.Compare(a.credit, b.credit))
	})
	summary := ""
	if len(v.Lines) > 0 {
		summary = v.Lines[0].Summary
	}
	var buf [256]byte
	b := appendStr(buf[:0], "jiti-repeat-v1")
	b = appendStr(b, v.Date.String())
	b = appendStr(b, summary)
	for _, l := range lines {
		b = appendStr(b, l.account)
		b = appendInt(b, l.debit)
		b = appendInt(b, l.credit)
	}
	sum := sha256.Sum256(b)
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
	buf []byte    // reused for each voucher's encoding
}

// Add adds a voucher, after Normalize, to the content.
func (c *Content) Add(v *Voucher) {
	b := appendStr(c.buf[:0], "jiti-import-v1")
	b = appendStr(b, v.Date.String())
	b = appendInt(b, int64(v.Attachments))
	b = appendStr(b, v.Note)
	b = appendInt(b, int64(len(v.Lines)))
	for _, l := range v.Lines {
		b = appendStr(b, l.Summary)
		b = appendStr(b, l.Account)
		b = appendInt(b, int64(l.Debit))
		b = appendInt(b, int64(l.Credit))
		b = appendStr(b, l.Counterparty)
		b = appendStr(b, l.Household)
		b = appendStr(b, l.Project)
		b = appendStr(b, l.Asset)
		b = appendStr(b, l.Contract)
	}
	c.buf = b
	h := sha256.Sum256(b)
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

// appendStr and appendInt write values so that no two sequences of them
// share a form: each string is prefixed by its length.
func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendInt(b []byte, n int64) []byte { return binary.BigEndian.AppendUint64(b, uint64(n)) }

package ledger_test

import (
	"encoding/binary"
	"errors"
	"math/big"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// byteReader hands out fuzzed bytes, zeros once they run out.
type byteReader struct{ b []byte }

func (r *byteReader) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *byteReader) uint64(n int) uint64 {
	var buf [8]byte
	for i := 8 - n; i < 8; i++ {
		buf[i] = r.byte()
	}
	return binary.BigEndian.Uint64(buf[:])
}

// amount reads an amount: zero, a byte, a signed 16-bit value, any int64, or
// one near MaxAmount.
func (r *byteReader) amount() jiti.Amount {
	switch r.byte() % 5 {
	case 0:
		return 0
	case 1:
		return jiti.Amount(r.byte())
	case 2:
		return jiti.Amount(int16(r.uint64(2)))
	case 3:
		return jiti.Amount(int64(r.uint64(8)))
	}
	return jiti.MaxAmount - jiti.Amount(r.byte()) + 128
}

// fuzzCodes are the account codes a fuzzed line may name: the whole test
// chart (leaves and parents, active and not) and a few that are not in it.
func fuzzCodes() []string {
	var codes []string
	for _, a := range testAccounts() {
		codes = append(codes, a.Code)
	}
	return append(codes, "", "999", " 101 ", "1010")
}

var fuzzKinds = [4]ledger.VoucherKind{ledger.Normal, ledger.Normal, ledger.Closing, ledger.Reversal}

// decodeVoucher builds a voucher from fuzzed bytes: the number of lines, the
// kind, the date (with impossible months and days), flags, then per line an
// account, the sides and amounts.
func decodeVoucher(data []byte) *ledger.Voucher {
	r := &byteReader{data}
	codes := fuzzCodes()
	n := int(r.byte() % 8)
	v := &ledger.Voucher{Kind: fuzzKinds[r.byte()%4], Status: ledger.Draft, MakerID: 1}
	v.Date = jiti.Date{Year: 2023 + int(r.byte()%4), Month: time.Month(r.byte() % 14), Day: int(r.byte() % 33)}
	flags := r.byte()
	if flags&2 != 0 && v.Date.Month >= 1 && v.Date.Month <= 12 {
		v.Period = jiti.NewPeriod(v.Date.Year, v.Date.Month).Next()
	}
	for i := range n {
		l := ledger.Line{Account: codes[int(r.byte())%len(codes)]}
		switch r.byte() % 4 {
		case 0:
			l.Debit = r.amount()
		case 1:
			l.Credit = r.amount()
		case 2:
			l.Debit, l.Credit = r.amount(), r.amount()
		case 3:
			l.Credit = -r.amount()
		}
		if i == 0 && flags&4 == 0 || flags&8 != 0 {
			l.Summary = "摘要"
		}
		v.Lines = append(v.Lines, l)
	}
	if flags&1 != 0 {
		v.Normalize()
	}
	return v
}

// encodeVoucher is the inverse of decodeVoucher for simple vouchers of the
// test chart, to seed the corpus with vouchers that pass.
type seedLine struct {
	code   string
	credit bool
	amount byte
}

func encodeVoucher(kind, year, month, day, flags byte, lines ...seedLine) []byte {
	codes := fuzzCodes()
	b := []byte{byte(len(lines)), kind, year, month, day, flags}
	for _, l := range lines {
		idx := -1
		for i, c := range codes {
			if c == l.code {
				idx = i
			}
		}
		side := byte(0)
		if l.credit {
			side = 1
		}
		b = append(b, byte(idx), side, 1, l.amount)
	}
	return b
}

func FuzzValidateVoucher(f *testing.F) {
	// 2025-03-15, normalized: valid.
	f.Add(encodeVoucher(0, 2, 3, 15, 1, seedLine{"101", false, 100}, seedLine{"50101", true, 100}))
	f.Add(encodeVoucher(0, 2, 3, 15, 1, seedLine{"10201", false, 200}, seedLine{"50101", true, 150}, seedLine{"50102", true, 50}))
	// Closing kind, year end.
	f.Add(encodeVoucher(2, 2, 12, 31, 1, seedLine{"50102", false, 7}, seedLine{"321", true, 7}))
	// Unbalanced; closed period; before the books; non-leaf; inactive.
	f.Add(encodeVoucher(0, 2, 3, 15, 1, seedLine{"101", false, 100}, seedLine{"50101", true, 99}))
	f.Add(encodeVoucher(0, 1, 2, 29, 1, seedLine{"101", false, 1}, seedLine{"301", true, 1}))
	f.Add(encodeVoucher(0, 1, 1, 9, 1, seedLine{"101", false, 1}, seedLine{"301", true, 1}))
	f.Add(encodeVoucher(0, 2, 3, 15, 1, seedLine{"102", false, 1}, seedLine{"301", true, 1}))
	f.Add(encodeVoucher(0, 2, 3, 15, 1, seedLine{"10202", false, 1}, seedLine{"301", true, 1}))
	f.Add([]byte{})
	f.Add([]byte{7, 3, 2, 13, 32, 15, 0, 2, 2, 255, 255, 3, 255, 255, 255, 255, 255, 255, 255, 255})

	b := testBooks() // Validate only reads the books
	f.Fuzz(func(t *testing.T, data []byte) {
		v := decodeVoucher(data)
		err := ledger.Validate(v, b)
		if err != nil {
			// Every problem is a *jiti.Error naming its field.
			var es jiti.Errors
			if !errors.As(err, &es) {
				es = jiti.Errors{err}
			}
			for _, e := range es {
				je := jiti.AsError(e)
				if je == nil || je.Field == "" || je.Kind == jiti.Internal {
					t.Fatalf("problem %v (%T) is not a field error", e, e)
				}
			}
			return
		}
		if len(v.Lines) < 2 || len(v.Lines) > ledger.MaxLines {
			t.Fatalf("accepted %d lines", len(v.Lines))
		}
		if !v.Period.Contains(v.Date) || v.Date.Before(b.OpenedOn) || b.Closed(v.Period) {
			t.Fatalf("accepted date %v in period %v", v.Date, v.Period)
		}
		debit, credit := new(big.Int), new(big.Int)
		for i, l := range v.Lines {
			debit.Add(debit, big.NewInt(int64(l.Debit)))
			credit.Add(credit, big.NewInt(int64(l.Credit)))
			a := b.Chart[l.Account]
			if a == nil || !a.Leaf {
				t.Fatalf("line %d: accepted account %q", i+1, l.Account)
			}
			if v.Kind == ledger.Reversal {
				if (l.Debit == 0) == (l.Credit == 0) {
					t.Fatalf("line %d: reversal line with debit %v, credit %v", i+1, l.Debit, l.Credit)
				}
				continue
			}
			if !a.Active {
				t.Fatalf("line %d: accepted inactive account %q", i+1, l.Account)
			}
			if !(l.Debit > 0 && l.Credit == 0) && !(l.Credit > 0 && l.Debit == 0) {
				t.Fatalf("line %d: accepted debit %v, credit %v", i+1, l.Debit, l.Credit)
			}
			if l.Summary == "" {
				t.Fatalf("line %d: accepted without summary", i+1)
			}
		}
		if debit.Cmp(credit) != 0 {
			t.Fatalf("accepted unbalanced: debit %v, credit %v", debit, credit)
		}
		if debit.CmpAbs(big.NewInt(int64(jiti.MaxAmount))) > 0 {
			t.Fatalf("accepted a total of %v fen", debit)
		}
	})
}

// TestFuzzSeedsPass makes sure the seeds built by encodeVoucher decode to
// what they claim, so the corpus starts from vouchers that pass.
func TestFuzzSeedsPass(t *testing.T) {
	v := decodeVoucher(encodeVoucher(0, 2, 3, 15, 1, seedLine{"101", false, 100}, seedLine{"50101", true, 100}))
	if err := ledger.Validate(v, testBooks()); err != nil {
		t.Fatalf("seed voucher refused: %v (%+v)", err, v)
	}
	c := decodeVoucher(encodeVoucher(2, 2, 12, 31, 1, seedLine{"50102", false, 7}, seedLine{"321", true, 7}))
	if err := ledger.Validate(c, testBooks()); err != nil || c.Kind != ledger.Closing {
		t.Fatalf("closing seed refused: %v (%+v)", err, c)
	}
}

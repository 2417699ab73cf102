package demo

import (
	"fmt"
	"io"

	"example.org/jiti/internal/ledger"
)

// source is a store.VoucherSource over generated vouchers: those of one
// township's villages, which its agency accountant imports in one go.
type source struct {
	books []*villageYear
	ids   []int64 // collective id of each villageYear
	b, i  int     // the next voucher is books[b].Vouchers[i]
}

func newSource(books []*villageYear, ids []int64) *source {
	return &source{books: books, ids: ids}
}

// Next returns the next voucher with its collective set, or io.EOF.
func (s *source) Next() (*ledger.Voucher, error) {
	for s.b < len(s.books) {
		vs := s.books[s.b].Vouchers
		if s.i < len(vs) {
			v := vs[s.i]
			v.CollectiveID = s.ids[s.b]
			s.i++
			return v, nil
		}
		s.b, s.i = s.b+1, 0
	}
	return nil, io.EOF
}

// Locate adds the village and the voucher's place in its generated year to
// err; the error's kind is kept.
func (s *source) Locate(v *ledger.Voucher, err error) error {
	for _, vy := range s.books {
		for i, w := range vy.Vouchers {
			if w == v {
				return fmt.Errorf("demo %s %s voucher %d (%s): %w", vy.V.Region.Code, vy.V.Region.Name, i+1, v.Date, err)
			}
		}
	}
	return fmt.Errorf("demo voucher %s: %w", v.Date, err)
}

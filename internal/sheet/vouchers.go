package sheet

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// VoucherFields are the columns of a voucher file: one row per line, rows
// of one voucher sharing its voucher key.
var VoucherFields = []Field{
	{Name: "key", Aliases: []string{"凭证号", "凭证编号", "凭证", "voucher"}, Required: true, FillDown: true},
	{Name: "collective", Aliases: []string{"单位编码", "单位", "collective"}, FillDown: true},
	{Name: "date", Aliases: []string{"日期", "凭证日期", "date"}, Required: true, FillDown: true},
	{Name: "attachments", Aliases: []string{"附件数", "附单据数", "附件", "attachments"}, FillDown: true},
	{Name: "note", Aliases: []string{"备注", "note"}, FillDown: true},
	{Name: "summary", Aliases: []string{"摘要", "summary"}, Required: true},
	{Name: "account", Aliases: []string{"科目编码", "科目代码", "科目", "account"}, Required: true},
	{Name: "debit", Aliases: []string{"借方金额", "借方", "debit"}, Required: true},
	{Name: "credit", Aliases: []string{"贷方金额", "贷方", "credit"}, Required: true},
	{Name: "counterparty", Aliases: []string{"往来单位", "往来单位或个人", "对方单位", "counterparty"}},
	{Name: "household", Aliases: []string{"户号", "农户", "household"}},
	{Name: "project", Aliases: []string{"项目", "project"}},
	{Name: "asset", Aliases: []string{"资产", "资产编号", "asset"}},
	{Name: "contract", Aliases: []string{"合同", "合同编号", "contract"}},
}

// Errors of voucher files.
var (
	ErrKeyRepeated   = jiti.Errorf(jiti.Invalid, "import.key_repeated")
	ErrHeaderDiffers = jiti.Errorf(jiti.Invalid, "import.header_differs")
)

// Vouchers reads the vouchers of a voucher file, streaming: rows with the
// same voucher key (and collective) in a row make one voucher. It
// remembers only the keys already seen, to refuse a key that comes back
// after other vouchers, which would otherwise split one voucher in two. It
// is what an import reads (a store.VoucherSource), from the command line
// and from the web alike.
type Vouchers struct {
	find    func(code string) (*jiti.Collective, error) // a collective by code
	h       *Header
	r       *Reader
	def     *jiti.Collective // the collective of rows without one
	byCode  map[string]*jiti.Collective
	seen    map[uint64]int // hash of a voucher key → its first row
	pending *Row
	rows    []Row // the rows of the voucher last returned
	eof     bool
	// file and size are the CSV file read and its size, for Progress.
	file *os.File
	size int64
}

// OpenVouchers opens the voucher file at path, named name (the name the
// user knows it by: CSV rows are of the sheet named for it), and reads its
// header. Rows without a collective are def's (nil: the column is then
// required); find looks collectives up by code. Close it when done.
func OpenVouchers(path, name string, def *jiti.Collective, find func(code string) (*jiti.Collective, error)) (*Vouchers, error) {
	r, err := openAs(path, name)
	if err != nil {
		return nil, err
	}
	s := newVouchers(r, def, find)
	if s.h, err = ReadHeader(r, VoucherFields); err != nil {
		r.Close()
		return nil, err
	}
	if f, ok := r.closer.(*os.File); ok {
		if st, err := f.Stat(); err == nil {
			s.file, s.size = f, st.Size()
		}
	}
	return s, nil
}

func newVouchers(r *Reader, def *jiti.Collective, find func(code string) (*jiti.Collective, error)) *Vouchers {
	return &Vouchers{r: r, def: def, find: find, byCode: map[string]*jiti.Collective{}, seen: map[uint64]int{}}
}

// Skipped returns the sheets read so far that were not data.
func (s *Vouchers) Skipped() []Skipped { return s.h.Skipped() }

// Close releases the file.
func (s *Vouchers) Close() error { return s.r.Close() }

// Progress says how far reading has got: the rows read, and for CSV the
// bytes read of the file's size (0 and 0 for xlsx, whose rows are read
// from inside a zip).
func (s *Vouchers) Progress() (rows int, bytes, total int64) {
	if n := len(s.rows); n > 0 {
		rows = s.rows[n-1].Line
	}
	if s.file != nil {
		if at, err := s.file.Seek(0, io.SeekCurrent); err == nil {
			bytes, total = min(at, s.size), s.size
		}
	}
	return rows, bytes, total
}

var keySeed = maphash.MakeSeed()

func (s *Vouchers) groupKey(row Row) string {
	return s.h.Get(row, "collective") + "\x00" + s.h.Get(row, "key")
}

// sameVoucher reports whether two rows belong to one voucher: the same
// voucher key and collective.
func (s *Vouchers) sameVoucher(a, b Row) bool {
	return s.h.Get(a, "key") == s.h.Get(b, "key") && s.h.Get(a, "collective") == s.h.Get(b, "collective")
}

// Next returns the next voucher. Cell errors are returned as they are met;
// the caller collects them and calls Next again.
func (s *Vouchers) Next() (*ledger.Voucher, error) {
	if s.eof && s.pending == nil {
		return nil, io.EOF
	}
	s.rows = s.rows[:0]
	for {
		var row Row
		if s.pending != nil {
			row, s.pending = *s.pending, nil
		} else if s.eof {
			break
		} else {
			r, err := s.h.Next()
			if err == io.EOF {
				s.eof = true
				break
			}
			if err != nil {
				// A file that cannot be read further ends here: its error
				// is reported once, and reading stops.
				s.eof = true
				s.rows = s.rows[:0]
				return nil, err
			}
			row = r
		}
		if len(s.rows) > 0 && !s.sameVoucher(row, s.rows[0]) {
			s.pending = &row
			break
		}
		s.rows = append(s.rows, row)
	}
	if len(s.rows) == 0 {
		return nil, io.EOF
	}
	return s.build()
}

// build turns the rows of one voucher into a voucher, or the first error of
// its cells.
func (s *Vouchers) build() (*ledger.Voucher, error) {
	h, first := s.h, s.rows[0]
	if h.Get(first, "key") == "" {
		return nil, h.CellError(first, "key", jiti.ErrRequired)
	}
	// Keys are remembered by a 64-bit hash: a file of millions of vouchers
	// then needs a few megabytes for them, and a collision (one in 10^10
	// for a million keys) could only refuse a good file, never pass a bad
	// one.
	key := maphash.String(keySeed, s.groupKey(first))
	if at, ok := s.seen[key]; ok {
		return nil, h.CellError(first, "key", ErrKeyRepeated.With(h.Get(first, "key"), at))
	}
	s.seen[key] = first.Line
	c, err := s.collectiveOf(first)
	if err != nil {
		return nil, err
	}
	v := &ledger.Voucher{CollectiveID: c.ID, Note: h.Get(first, "note")}
	if v.Date, err = jiti.ParseDate(h.Get(first, "date")); err != nil {
		return nil, h.CellError(first, "date", err)
	}
	if a := h.Get(first, "attachments"); a != "" {
		n, err := Int(a)
		if err != nil {
			return nil, h.CellError(first, "attachments", ledger.ErrAttachments.With(a))
		}
		v.Attachments = n
	}
	var errs Limit
	for i, row := range s.rows {
		if i > 0 {
			for _, f := range []string{"date", "attachments", "note"} {
				if x := h.Get(row, f); x != "" && x != h.Get(first, f) {
					errs.Add(h.CellError(row, f, ErrHeaderDiffers.With(x, h.Get(first, f))))
				}
			}
		}
		l := ledger.Line{Summary: h.Get(row, "summary"), Account: h.Get(row, "account"),
			Counterparty: h.Get(row, "counterparty"), Household: h.Get(row, "household"),
			Project: h.Get(row, "project"), Asset: h.Get(row, "asset"), Contract: h.Get(row, "contract")}
		if l.Debit, err = cellAmount(h.Get(row, "debit")); err != nil {
			errs.Add(h.CellError(row, "debit", err))
		}
		if l.Credit, err = cellAmount(h.Get(row, "credit")); err != nil {
			errs.Add(h.CellError(row, "credit", err))
		}
		v.Lines = append(v.Lines, l)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *Vouchers) collectiveOf(row Row) (*jiti.Collective, error) {
	code := s.h.Get(row, "collective")
	if code == "" {
		if s.def == nil {
			return nil, s.h.CellError(row, "collective", jiti.ErrRequired)
		}
		return s.def, nil
	}
	if c, ok := s.byCode[code]; ok {
		if c == nil {
			return nil, s.h.CellError(row, "collective", jiti.ErrNotFound.With("collective", code))
		}
		return c, nil
	}
	c, err := s.find(code)
	if errors.Is(err, jiti.ErrNotFound) {
		s.byCode[code] = nil
		return nil, s.h.CellError(row, "collective", jiti.ErrNotFound.With("collective", code))
	}
	if err != nil {
		return nil, err
	}
	s.byCode[code] = c
	return c, nil
}

// Locate places a validation error of the voucher last returned at its row
// and column: "lines[3].account" is the account cell of its third row;
// voucher-level fields are cells of its first row.
func (s *Vouchers) Locate(v *ledger.Voucher, err error) error {
	var list []error
	switch x := err.(type) {
	case jiti.Errors:
		list = x
	default:
		list = []error{err}
	}
	var out Limit
	for _, one := range list {
		je := jiti.AsError(one)
		if je == nil {
			out.Add(s.h.CellError(s.rows[0], "", one))
			continue
		}
		row, field := s.rows[0], je.Field
		var n int
		if _, scanErr := fmt.Sscanf(je.Field, "lines[%d]", &n); scanErr == nil && n >= 1 && n <= len(s.rows) {
			row, field = s.rows[n-1], ""
			if i := strings.IndexByte(je.Field, '.'); i >= 0 {
				field = je.Field[i+1:]
			}
		}
		switch field {
		case "lines", "period":
			field = ""
		}
		plain := *je
		plain.Field = ""
		out.Add(s.h.CellError(row, field, &plain))
	}
	return out.Err()
}

// cellAmount reads an amount cell: empty is zero.
func cellAmount(s string) (jiti.Amount, error) { return OptionalAmount(s) }

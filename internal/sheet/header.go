package sheet

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
)

// Field is a column an importer understands.
type Field struct {
	// Name is the machine name callers use, such as "account". It is also
	// accepted as a header text.
	Name string
	// Aliases are the header texts users write, such as "科目编码",
	// "科目代码", "科目". The first is the column's display name in errors.
	Aliases []string
	// Required fields must have a column in every sheet.
	Required bool
	// FillDown fields may be merged down several rows, a voucher's number
	// or date over its lines: each row reads the merged cell's value.
	FillDown bool
}

func (f Field) display() string {
	if len(f.Aliases) > 0 {
		return f.Aliases[0]
	}
	return f.Name
}

// headerScan is how many non-blank rows at the top of a sheet are looked at
// for its header. Chinese templates often put a title ("2025年凭证导入") and
// notes above the header row; the header is the first row that names at
// least one field.
const headerScan = 10

// Header maps the columns of each sheet to fields, and reads data rows.
type Header struct {
	r       *Reader
	fields  []Field
	byName  map[string]int // field name → index in fields
	byAlias map[string]int // normalised header text → index in fields
	sheets  map[string]*layout
	cur     *layout
	first   Row   // the first row of the file, for the error when no sheet has a header
	pending *Row  // a row read ahead while looking for a header
	err     error // sticky
	// skipped are the sheets found not to be data, in order.
	skipped []Skipped
	// partial is the header error of the first skipped sheet that named
	// some required columns, reported if no sheet is data.
	partial error
}

// Skipped is a sheet that is not data: it has no header row naming the
// import's columns (notes, instructions), or one that names fewer than
// half of its required columns (a 科目表 kept for reference names 科目编码
// and nothing else a voucher needs). Missing lists the display names of
// the required columns it lacks; nil when no row looked like a header.
type Skipped struct {
	Sheet   string
	Missing []string
}

// layout is where the fields are in one sheet.
type layout struct {
	sheet string
	col   []int // by field index: the 0-based column, or -1
	skip  bool  // the sheet has no header: it is not data
	// merges are the merged ranges below the header, by their top row;
	// active those over the rows being read, with the value each gives.
	merges []mergeRange
	active []activeMerge
}

type activeMerge struct {
	m     mergeRange
	value string
}

// ReadHeader reads the header of the first sheet from r. The header is the
// first non-blank row that names at least one field, among the first few
// non-blank rows; rows above it are titles and notes, and are dropped.
// Header texts are matched to the fields' names and aliases ignoring case,
// white space, full- versus half-width forms (（）and ()) and the asterisks
// templates put around required columns. Columns that match no field are
// ignored.
//
// An xlsx workbook's sheets each have a header of their own, in any column
// order; Next reads them as it meets them. A sheet none of whose first rows
// names a field is not data (the instructions sheet of a template, say) and
// is skipped, and so is one whose header names fewer than half the
// required fields (a 科目表 kept for reference); Skipped lists them for the
// import's report. If no sheet at all is data, ReadHeader reports the
// missing columns of the first such reference sheet, or against the first
// row. A header may take two rows where its cells are merged (see
// twoRowHeader), and FillDown fields may be merged down the rows below.
//
// The error, if any, is CellErrors listing every missing required column and
// every duplicate column; ErrEmpty if the file has no rows; or a read error.
// Fields that are not distinct are a programming error, and reported as such.
func ReadHeader(r *Reader, fields []Field) (*Header, error) {
	h := &Header{
		r:       r,
		fields:  fields,
		byName:  make(map[string]int, len(fields)),
		byAlias: make(map[string]int, 4*len(fields)),
		sheets:  make(map[string]*layout),
	}
	for i, f := range fields {
		if f.Name == "" {
			return nil, fmt.Errorf("sheet: field %d has no name", i)
		}
		if _, dup := h.byName[f.Name]; dup {
			return nil, fmt.Errorf("sheet: field %q given twice", f.Name)
		}
		h.byName[f.Name] = i
		for _, a := range append([]string{f.Name}, f.Aliases...) {
			n := normalize(a)
			if j, dup := h.byAlias[n]; dup && j != i {
				return nil, fmt.Errorf("sheet: header %q names both %q and %q", a, fields[j].Name, f.Name)
			}
			h.byAlias[n] = i
		}
	}
	row, err := r.Next()
	if err == io.EOF {
		return nil, ErrEmpty
	}
	if err != nil {
		return nil, err
	}
	h.first = row
	if err := h.start(row); err != nil {
		return nil, err
	}
	for h.cur.skip {
		row, err := h.read()
		if err == io.EOF {
			if h.partial != nil {
				return nil, h.partial
			}
			return nil, h.noHeader()
		}
		if err != nil {
			return nil, err
		}
		if row.Sheet != h.cur.sheet {
			if err := h.start(row); err != nil {
				return nil, err
			}
		}
	}
	return h, nil
}

// normalize folds a header text for matching: full-width ASCII forms to
// half-width, white space removed (headers often wrap onto two lines inside
// a cell), lower case, and surrounding asterisks dropped.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ！ to ～
			r -= 0xFEE0
		case unicode.IsSpace(r):
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Trim(b.String(), "*")
}

// matches counts the cells of row that name a field.
func (h *Header) matches(row Row) int {
	n := 0
	for _, c := range row.Cells {
		if _, ok := h.byAlias[normalize(c)]; ok {
			n++
		}
	}
	return n
}

// read returns the row read ahead, if any, else the next row of the file.
func (h *Header) read() (Row, error) {
	if h.pending != nil {
		row := *h.pending
		h.pending = nil
		return row, nil
	}
	return h.r.Next()
}

// start reads the header of the sheet whose first non-blank row is first,
// and makes it the current sheet.
func (h *Header) start(first Row) error {
	lay := &layout{sheet: first.Sheet, col: make([]int, len(h.fields)), skip: true}
	for i := range lay.col {
		lay.col[i] = -1
	}
	h.cur = lay
	header := first
	for n := 1; h.matches(header) == 0; n++ {
		if n == headerScan {
			h.skip(lay, nil)
			return nil
		}
		row, err := h.r.Next()
		if err == io.EOF {
			h.skip(lay, nil)
			return nil
		}
		if err != nil {
			return err
		}
		if row.Sheet != first.Sheet {
			h.pending = &row
			h.skip(lay, nil)
			return nil
		}
		header = row
	}
	header, bottom, err := h.twoRowHeader(header)
	if err != nil {
		return err
	}
	for _, m := range h.r.merges(header.Sheet) {
		switch {
		case m.top > bottom:
			lay.merges = append(lay.merges, m)
		case m.bottom > bottom: // from the header into the data
			return &CellError{Sheet: header.Sheet, Row: m.top, Err: ErrMerged.With(m.ref)}
		}
	}
	slices.SortFunc(lay.merges, func(a, b mergeRange) int { return a.top - b.top })
	var errs CellErrors
	for i, c := range header.Cells {
		fi, ok := h.byAlias[normalize(c)]
		if !ok {
			continue
		}
		if prev := lay.col[fi]; prev >= 0 {
			errs = append(errs, &CellError{
				Sheet: header.Sheet, Row: header.Line, Column: ColumnName(i), Field: h.fields[fi].Name,
				Err: ErrDuplicateColumn.With(strings.TrimSpace(c), ColumnName(prev)),
			})
			continue
		}
		lay.col[fi] = i
	}
	var missing []string
	var missingErrs CellErrors
	required := 0
	for fi, f := range h.fields {
		if !f.Required {
			continue
		}
		required++
		if lay.col[fi] < 0 {
			missing = append(missing, f.display())
			missingErrs = append(missingErrs, &CellError{
				Sheet: header.Sheet, Row: header.Line, Field: f.Name,
				Err: ErrMissingColumn.With(f.display()),
			})
		}
	}
	// A sheet naming fewer than half the required columns is taken for
	// a reference table, not data with a mistyped header; it is skipped,
	// and its missing columns are the error only if no sheet is data.
	if 2*(required-len(missing)) < required {
		if h.partial == nil {
			h.partial = missingErrs
		}
		h.skip(lay, missing)
		return nil
	}
	errs = append(errs, missingErrs...)
	if len(errs) > 0 {
		return errs
	}
	lay.skip = false
	h.sheets[lay.sheet] = lay
	return nil
}

// twoRowHeader reads a header of two rows when the header row has merged
// cells: headers merged down over both rows (凭证号, 日期), and a group
// merged across (金额) over the headers of its columns (借方, 贷方). It
// returns the header as one row, a column named by its lower cell when
// that names a field, else by its upper one, and the header's last line.
func (h *Header) twoRowHeader(header Row) (Row, int, error) {
	down, across := false, false
	for _, m := range h.r.merges(header.Sheet) {
		if m.top == header.Line {
			down = down || m.bottom > m.top
			across = across || m.right > m.left
		}
	}
	if !down && !across {
		return header, header.Line, nil
	}
	next, err := h.r.Next()
	if err == io.EOF {
		return header, header.Line, nil
	}
	if err != nil {
		return header, 0, err
	}
	if next.Sheet != header.Sheet || next.Line != header.Line+1 || !down && h.matches(next) == 0 {
		h.pending = &next
		return header, header.Line, nil
	}
	cells := make([]string, max(len(header.Cells), len(next.Cells)))
	for i := range cells {
		var upper, lower string
		if i < len(header.Cells) {
			upper = header.Cells[i]
		}
		if i < len(next.Cells) {
			lower = next.Cells[i]
		}
		_, names := h.byAlias[normalize(lower)]
		if names || strings.TrimSpace(upper) == "" {
			cells[i] = lower
		} else {
			cells[i] = upper
		}
	}
	return Row{Sheet: header.Sheet, Line: header.Line, Cells: cells}, next.Line, nil
}

// fillMerged gives each row under a range merged down a FillDown column
// the merged cell's value. Any other merged range below the header is an
// error naming it: what a person means by it is not clear.
func (h *Header) fillMerged(row *Row) error {
	lay := h.cur
	keep := lay.active[:0]
	for _, a := range lay.active {
		if a.m.bottom >= row.Line {
			keep = append(keep, a)
		}
	}
	lay.active = keep
	for len(lay.merges) > 0 && lay.merges[0].top <= row.Line {
		m := lay.merges[0]
		lay.merges = lay.merges[1:]
		if m.bottom < row.Line {
			continue // over blank rows only
		}
		fi := -1
		for i, c := range lay.col {
			if c == m.left-1 {
				fi = i
			}
		}
		if m.left != m.right || fi < 0 || !h.fields[fi].FillDown {
			return &CellError{Sheet: row.Sheet, Row: m.top, Column: ColumnName(m.left - 1), Err: ErrMerged.With(m.ref)}
		}
		value := ""
		if m.top == row.Line && m.left-1 < len(row.Cells) {
			value = row.Cells[m.left-1]
		}
		lay.active = append(lay.active, activeMerge{m: m, value: value})
	}
	for _, a := range lay.active {
		if row.Line == a.m.top {
			continue
		}
		c := a.m.left - 1
		for len(row.Cells) <= c {
			row.Cells = append(row.Cells, "")
		}
		row.Cells[c] = a.value
	}
	return nil
}

// skip records that the sheet of lay is not data.
func (h *Header) skip(lay *layout, missing []string) {
	lay.skip = true
	h.skipped = append(h.skipped, Skipped{Sheet: lay.sheet, Missing: missing})
}

// Skipped returns the sheets read so far that were not data, for the
// report of an import: after the last row, every such sheet.
func (h *Header) Skipped() []Skipped { return h.skipped }

// noHeader is the error when no sheet has a header: the required columns
// are missing from the first row, or every column if none is required.
func (h *Header) noHeader() error {
	var errs CellErrors
	for _, all := range []bool{false, true} {
		for _, f := range h.fields {
			if f.Required || all {
				errs = append(errs, &CellError{
					Sheet: h.first.Sheet, Row: h.first.Line, Field: f.Name,
					Err: ErrMissingColumn.With(f.display()),
				})
			}
		}
		if len(errs) > 0 {
			break
		}
	}
	if len(errs) == 0 {
		return ErrEmpty // no fields at all
	}
	return errs
}

// Next returns the next data row, or io.EOF after the last. When a row is
// the first of a new sheet, that sheet's header is read first, and its
// error returned if its columns are wrong. Errors other than io.EOF are
// sticky.
func (h *Header) Next() (Row, error) {
	for h.err == nil {
		row, err := h.read()
		if err != nil {
			if err != io.EOF {
				h.err = err
			}
			return Row{}, err
		}
		if row.Sheet != h.cur.sheet {
			h.err = h.start(row)
			continue
		}
		if !h.cur.skip {
			if len(h.cur.merges) > 0 || len(h.cur.active) > 0 {
				if h.err = h.fillMerged(&row); h.err != nil {
					return Row{}, h.err
				}
			}
			return row, nil
		}
	}
	return Row{}, h.err
}

// field returns the index of the field named name. An unknown name is a
// programming error, and panics rather than reading as an empty cell.
func (h *Header) field(name string) int {
	fi, ok := h.byName[name]
	if !ok {
		panic(fmt.Sprintf("sheet: no field %q", name))
	}
	return fi
}

// col returns the 0-based column of field name in sheet, or -1.
func (h *Header) col(sheet, name string) int {
	fi := h.field(name)
	// Rows nearly always come from the current sheet: skip the map.
	if h.cur != nil && h.cur.sheet == sheet {
		return h.cur.col[fi]
	}
	if lay := h.sheets[sheet]; lay != nil {
		return lay.col[fi]
	}
	return -1
}

// Get returns the cell of field name in row, trimmed of white space, or ""
// when the cell is empty or its column is absent.
func (h *Header) Get(row Row, name string) string {
	c := h.col(row.Sheet, name)
	if c < 0 || c >= len(row.Cells) {
		return ""
	}
	return strings.TrimSpace(row.Cells[c])
}

// HasField reports whether name is one of the fields the header was read
// for, so a caller can place an error at its column without risking the
// panic an unknown name causes.
func (h *Header) HasField(name string) bool {
	_, ok := h.byName[name]
	return ok
}

// Has reports whether the current sheet has a column for field name, to tell
// an absent optional column from empty cells.
func (h *Header) Has(name string) bool {
	return h.col(h.cur.sheet, name) >= 0
}

// Column returns the column letter of field name in the current sheet ("A",
// "B", …, "AA"), or "" when it has no column.
func (h *Header) Column(name string) string {
	return ColumnName(h.col(h.cur.sheet, name))
}

// Sheet returns the name of the current sheet.
func (h *Header) Sheet() string { return h.cur.sheet }

// CellError returns an error at the cell of field name in row, for an
// importer to collect. An empty name makes it an error of the whole row.
func (h *Header) CellError(row Row, name string, err error) *CellError {
	e := &CellError{Sheet: row.Sheet, Row: row.Line, Field: name, Err: err}
	if name != "" {
		e.Column = ColumnName(h.col(row.Sheet, name))
		e.Header = h.fields[h.field(name)].display()
	}
	return e
}

// ColumnName returns the letters of the 0-based column i: 0 is "A", 25 "Z",
// 26 "AA". A negative i gives "".
func ColumnName(i int) string {
	if i < 0 {
		return ""
	}
	var b [8]byte
	n := len(b)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		b[n] = byte('A' + (i-1)%26)
	}
	return string(b[n:])
}

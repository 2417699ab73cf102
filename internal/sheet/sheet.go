// Package sheet is the one place where jiti reads and writes spreadsheets:
// the CSV and xlsx files that village accountants exchange.
//
// # Streaming
//
// An import may be a whole county's journal, millions of lines, and the
// server must not need memory in proportion to it (the target is under
// 200 MB importing two million lines). So nothing here ever holds a whole
// file:
//
//   - CSV is decoded record by record from a buffered reader.
//   - xlsx is read with excelize's Rows iterator, an XML token stream over
//     one worksheet at a time. excelize keeps a worksheet or the shared
//     string table in memory only below Options.UnzipXMLSizeLimit and spills
//     larger ones to temporary files; the limit is lowered here to
//     spillSize, because a shared string table decoded in memory costs about
//     ten times its XML size, while a spilled one costs an offset pair per
//     string.
//   - xlsx is written with excelize's StreamWriter, which keeps rows in a
//     temporary file past 16 MB, and the zip is written straight to the
//     caller's io.Writer rather than assembled in a memory buffer.
//
// Memory is flat; time is not free. excelize decodes xlsx with encoding/xml
// and formats each date cell through its number format parser, some tens of
// microseconds a row, against about one microsecond for a CSV row (see the
// benchmarks), so a two-million-row import is minutes as xlsx and seconds
// as CSV.
//
// # What a cell reads as
//
// Cells come back as the text a user would type or read, with two rules
// chosen for bookkeeping: a number formatted as a date reads as its ISO
// date ("2025-03-31", with " hh:mm:ss" when the format shows a time too)
// whatever the format displays, "3/31/2025" or "2025年3月31日" alike, so
// that no importer has to guess the order of month and day; a format that
// shows no day (a month "2025年3月", a time) reads as displayed; a number formatted as a percentage reads as the
// percentage the user typed, with its sign ("5.00%" for a 5% cell, whose
// value is 0.05: read as 0.05, a 5% rate would be 100 times too small), and
// every other number reads as its exact value
// ("1234.5" even when displayed as "1,234.50" or rounded by a format such as
// "0"), because a display format may drop digits and amounts must round-trip
// to the fen. CSV text arrives in UTF-8 whether the file was saved as UTF-8
// (with or without a BOM), UTF-16 with a BOM, or GB18030/GBK, the default of
// Chinese Excel.
//
// # Rows, headers, errors
//
// Reader yields Rows with the 1-based line number the user sees; blank rows
// are skipped but counted. Header maps the columns of each sheet by their
// header texts (aliases, case and width insensitive), so importers address
// cells by field name. CellError locates a problem by sheet, row and column
// letter, and Limit collects them with a cap, so a file with a million bad
// rows still produces a bounded report.
package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"example.org/jiti"
)

// Errors a user can act on. Their keys belong to the locale catalogs.
var (
	// ErrUnreadable: the file is neither a readable CSV nor xlsx (a damaged
	// zip, malformed XML, a broken CSV quote). The cause is wrapped for logs.
	ErrUnreadable = jiti.Errorf(jiti.Invalid, "sheet.unreadable")
	// ErrXLS: the file is an Excel 97–2003 .xls workbook (or an encrypted
	// one); the user should save it as .xlsx or CSV.
	ErrXLS = jiti.Errorf(jiti.Invalid, "sheet.xls")
	// ErrEncoding: text that is not valid in the file's encoding, or
	// contains NUL bytes (a binary file, or UTF-16 without a BOM).
	ErrEncoding = jiti.Errorf(jiti.Invalid, "sheet.encoding")
	// ErrEmpty: the file has no header row at all.
	ErrEmpty = jiti.Errorf(jiti.Invalid, "sheet.empty")
	// ErrMissingColumn: a required column is absent; Args holds its display
	// name (the first alias).
	ErrMissingColumn = jiti.Errorf(jiti.Invalid, "sheet.missing_column")
	// ErrDuplicateColumn: two header cells name the same field; Args holds
	// the header text of the second and the column letter of the first.
	ErrDuplicateColumn = jiti.Errorf(jiti.Invalid, "sheet.duplicate_column")
	// ErrTooManyRows: an xlsx worksheet holds at most 1,048,576 rows; the
	// user should export as CSV.
	ErrTooManyRows = jiti.Errorf(jiti.Invalid, "sheet.too_many_rows")
)

// Row is one non-blank row of a sheet.
type Row struct {
	// Sheet is the worksheet name for xlsx. For CSV it is the name given to
	// NewCSV; Open uses the file name without extension, which is the name
	// Excel shows on the tab when it opens a CSV file.
	Sheet string
	// Line is the 1-based row number as the user sees it in Excel (for CSV
	// without multi-line cells, also the line number in a text editor).
	Line int
	// Cells are the cell texts, untrimmed, by column position: empty cells
	// before the last non-empty one are kept as "" so positions match the
	// column letters; a CSV record keeps all its fields.
	Cells []string
}

// blank reports whether every cell is empty or white space.
func (r Row) blank() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Reader reads the rows of a CSV file or of every visible worksheet of an
// xlsx file, in order.
type Reader struct {
	format string
	csv    *csvSource
	xlsx   *xlsxSource
	closer io.Closer
	remove string // a temporary copy made by OpenReader, removed on Close
	err    error  // sticky: once a read fails, it keeps failing
}

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic starts a Compound File: an .xls workbook, or an xlsx
	// encrypted with a password.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Open opens the CSV or xlsx file at path. The format is told by content,
// not by name, since users rename files freely: a zip archive is xlsx,
// anything else CSV.
func Open(path string) (*Reader, error) { return openAs(path, filepath.Base(path)) }

// openAs is Open of a file the user knows by another name (an upload kept
// in a temporary file): a CSV file's rows are of the sheet named for name.
func openAs(path, name string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 8)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, err
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, zipMagic):
		f.Close()
		return openXLSX(path)
	case bytes.HasPrefix(head, oleMagic):
		f.Close()
		return nil, ErrXLS
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	r := NewCSV(f, strings.TrimSuffix(name, filepath.Ext(name)))
	r.closer = f
	return r, nil
}

// OpenReader reads a file from a stream, such as an upload, under the given
// name. CSV is read as it streams; xlsx is first copied to a temporary file,
// because a zip archive's directory is at its end and excelize reads from a
// path, and the copy is removed by Close.
func OpenReader(src io.Reader, name string) (*Reader, error) {
	br := bufio.NewReaderSize(src, 64<<10)
	head, err := br.Peek(8)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, oleMagic):
		return nil, ErrXLS
	case !bytes.HasPrefix(head, zipMagic):
		return NewCSV(br, name), nil
	}
	tmp, err := os.CreateTemp("", "jiti-sheet-*.xlsx")
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(tmp, br); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return nil, err
	}
	r, err := openXLSX(tmp.Name())
	if err != nil {
		os.Remove(tmp.Name())
		return nil, err
	}
	r.remove = tmp.Name()
	return r, nil
}

// NewCSV returns a Reader of the CSV text r; name becomes the Sheet of its
// rows. The encoding is sniffed from the first 64 KB: a UTF-8 or UTF-16 BOM
// is honoured and dropped, valid UTF-8 is taken as such, and anything else is
// decoded as GB18030 (a superset of GBK and GB2312). The field delimiter is a
// comma, or a tab when the first line has tabs and no comma (Excel's "Unicode
// text" and text pasted from it). Records may have any number of fields.
func NewCSV(r io.Reader, name string) *Reader {
	return &Reader{format: "csv", csv: newCSVSource(r, name)}
}

// Format returns "csv" or "xlsx".
func (r *Reader) Format() string { return r.format }

// Next returns the next non-blank row, or io.EOF after the last. Blank rows
// (every cell empty or white space) are skipped, but still counted in Line.
// Errors other than io.EOF are sticky; they are a *CellError naming the row
// where reading failed, wrapping ErrUnreadable, ErrEncoding or
// ErrTooManyRows.
func (r *Reader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	var (
		row Row
		err error
	)
	if r.csv != nil {
		row, err = r.csv.next()
	} else {
		row, err = r.xlsx.next()
	}
	if err != nil {
		r.err = err
	}
	return row, err
}

// merges returns the merged ranges of a sheet; none for CSV.
func (r *Reader) merges(sheet string) []mergeRange {
	if r.xlsx == nil {
		return nil
	}
	return r.xlsx.merges[sheet]
}

// Close releases the file and any temporary files. It is safe to call more
// than once.
func (r *Reader) Close() error {
	var errs []error
	if r.xlsx != nil {
		errs = append(errs, r.xlsx.close())
		r.xlsx = nil
	}
	if r.closer != nil {
		errs = append(errs, r.closer.Close())
		r.closer = nil
	}
	if r.remove != "" {
		errs = append(errs, os.Remove(r.remove))
		r.remove = ""
	}
	r.err = errClosed
	return errors.Join(errs...)
}

var errClosed = errors.New("sheet: reader closed")

// unreadable wraps a low-level read failure at a row for the user.
func unreadable(sheet string, line int, cause error) error {
	return &CellError{Sheet: sheet, Row: line, Err: ErrUnreadable.Wrap(cause)}
}

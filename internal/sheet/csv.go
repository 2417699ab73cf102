package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of a CSV file is examined to tell its encoding:
// enough to hold many lines of Chinese text, so that a GBK file is not
// mistaken for UTF-8 because its first few lines happen to be ASCII.
const sniffSize = 64 << 10

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}
)

// csvSource reads Rows from CSV text.
type csvSource struct {
	name    string
	cr      *csv.Reader
	decoded bool  // text was transcoded, so U+FFFD marks an invalid byte
	line    int   // the Line of the last record read, blank or not
	end     int   // the text line on which the last record ended
	err     error // a failure while sniffing, reported by the first next
}

func newCSVSource(r io.Reader, name string) *csvSource {
	s := &csvSource{name: name}
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) {
		s.err = err
	}
	atEOF := err != nil
	var text io.Reader = br
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		// Excel writes "CSV UTF-8" with a BOM; it is not part of the first
		// header cell.
		_, _ = br.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
	case bytes.HasPrefix(head, utf16LEBOM), bytes.HasPrefix(head, utf16BEBOM):
		// Excel's "Unicode text" is UTF-16 with a BOM, tab separated.
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
		head, _ = dec.NewDecoder().Bytes(head[:len(head)&^1])
		text = transform.NewReader(br, dec.NewDecoder())
		s.decoded = true
	case !validUTF8Prefix(head, atEOF):
		// Chinese Excel saves "CSV (comma delimited)" in the ANSI code
		// page, GBK, which GB18030 extends. Commas, tabs and newlines
		// never occur inside its multi-byte characters, so the head can
		// be examined for the delimiter undecoded.
		text = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
		s.decoded = true
	}
	s.cr = csv.NewReader(text)
	s.cr.Comma = sniffDelimiter(head)
	s.cr.FieldsPerRecord = -1
	// Excel takes a quote inside an unquoted cell literally (5" pipe), and
	// so do we: a file that opens in Excel should import.
	s.cr.LazyQuotes = true
	return s
}

// validUTF8Prefix reports whether b is valid UTF-8, ignoring a character
// cut short at its end when more text follows.
func validUTF8Prefix(b []byte, atEOF bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if atEOF {
		return false
	}
	for k := 1; k <= utf8.UTFMax-1 && k <= len(b); k++ {
		if tail := b[len(b)-k:]; utf8.RuneStart(tail[0]) {
			return !utf8.FullRune(tail) && utf8.Valid(b[:len(b)-k])
		}
	}
	return false
}

// sniffDelimiter returns a tab when the first line has tabs and no comma,
// else a comma.
func sniffDelimiter(head []byte) rune {
	first, _, _ := bytes.Cut(head, []byte("\n"))
	if bytes.IndexByte(first, '\t') >= 0 && bytes.IndexByte(first, ',') < 0 {
		return '\t'
	}
	return ','
}

func (s *csvSource) next() (Row, error) {
	if s.err != nil {
		return Row{}, s.err
	}
	for {
		rec, err := s.cr.Read()
		if err == io.EOF {
			return Row{}, io.EOF
		}
		if err != nil {
			line := s.line + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.StartLine > s.end {
				line = s.line + pe.StartLine - s.end
			}
			return Row{}, unreadable(s.name, line, err)
		}
		// Excel shows a CSV's blank lines as empty rows, and encoding/csv
		// skips them silently, so the row number is recovered from text
		// line positions: each line between the end of the previous record
		// and the start of this one was a blank row. A cell with line
		// breaks spans several text lines but is one row.
		start, _ := s.cr.FieldPos(0)
		last, _ := s.cr.FieldPos(len(rec) - 1)
		line := max(s.line+start-s.end, s.line+1)
		s.line, s.end = line, last+strings.Count(rec[len(rec)-1], "\n")
		row := Row{Sheet: s.name, Line: line, Cells: rec}
		if row.blank() {
			continue
		}
		for i, c := range rec {
			if !utf8.ValidString(c) || strings.IndexByte(c, 0) >= 0 ||
				s.decoded && strings.ContainsRune(c, utf8.RuneError) {
				return Row{}, &CellError{Sheet: s.name, Row: line, Column: ColumnName(i), Err: ErrEncoding}
			}
		}
		return row, nil
	}
}

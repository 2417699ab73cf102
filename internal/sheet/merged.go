package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"example.org/jiti"
)

// ErrMerged reports merged cells an import cannot read as a person means
// them; Args holds the range, such as "C5:D6". Merged cells are read in
// two places only: a header of two rows (金额 over 借方 and 贷方, the other
// headers merged down both rows), and a voucher's number, date and other
// voucher-wide cells merged down its lines.
var ErrMerged = jiti.Errorf(jiti.Invalid, "sheet.merged")

// mergeRange is a range of merged cells, 1-based and inclusive.
type mergeRange struct {
	ref                      string // as the workbook writes it, "A1:B2"
	top, left, bottom, right int
}

// sheetMerges reads the merged ranges of every worksheet of the xlsx file
// at p, by sheet name. excelize would parse a whole worksheet into memory
// to list them, so the worksheet parts are read here as a byte stream:
// the mergeCells element follows sheetData, and only the bytes after it
// are decoded.
func sheetMerges(p string) (map[string][]mergeRange, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	parts, err := sheetParts(files)
	if err != nil {
		return nil, err
	}
	out := map[string][]mergeRange{}
	for name, part := range parts {
		f := files[part]
		if f == nil {
			continue
		}
		ranges, err := partMerges(f)
		if err != nil {
			return nil, err
		}
		if len(ranges) > 0 {
			out[name] = ranges
		}
	}
	return out, nil
}

// sheetParts maps sheet names to the zip paths of their parts, through
// the workbook and its relationships.
func sheetParts(files map[string]*zip.File) (map[string]string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := readXML(files["xl/workbook.xml"], &wb); err != nil {
		return nil, err
	}
	if err := readXML(files["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		out[s.Name] = targets[s.RID]
	}
	return out, nil
}

func readXML(f *zip.File, v any) error {
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// partMerges scans a worksheet part for its merged ranges.
func partMerges(f *zip.File) ([]mergeRange, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	// Skip to the end of sheetData, keeping a tail that may hold the
	// start of the closing tag.
	const end = "</sheetData>"
	var tail []byte
	buf := make([]byte, 64<<10)
	var rest bytes.Buffer
	found := false
	for !found {
		n, err := br.Read(buf)
		chunk := append(tail, buf[:n]...)
		if i := bytes.Index(chunk, []byte(end)); i >= 0 {
			rest.Write(chunk[i+len(end):])
			found = true
		} else if len(chunk) > len(end) {
			tail = append(tail[:0], chunk[len(chunk)-len(end):]...)
		} else {
			tail = chunk
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, nil // an empty sheet: <sheetData/>
	}
	if _, err := io.Copy(&rest, br); err != nil {
		return nil, err
	}
	var out []mergeRange
	dec := xml.NewDecoder(&rest)
	for {
		tok, err := dec.Token()
		if err != nil {
			break // the rest is the end of the part; a cut one ends the list
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "mergeCell" {
			continue
		}
		for _, a := range se.Attr {
			if a.Name.Local != "ref" {
				continue
			}
			if m, ok := parseRange(a.Value); ok {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

func parseRange(ref string) (mergeRange, bool) {
	a, b, ok := strings.Cut(ref, ":")
	if !ok {
		return mergeRange{}, false
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(a)
	c2, r2, err2 := excelize.CellNameToCoordinates(b)
	if err1 != nil || err2 != nil {
		return mergeRange{}, false
	}
	return mergeRange{ref: ref, top: min(r1, r2), left: min(c1, c2), bottom: max(r1, r2), right: max(c1, c2)}, true
}

package sheet

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// FuzzImportVouchers feeds arbitrary CSV text to the voucher reader of
// imports (`jiti import vouchers`, the web's import) and checks that it never panics, that reading
// ends, that every voucher it returns has as many lines as it read rows
// for it, and that every error it returns is placed in the sheet.
func FuzzImportVouchers(f *testing.F) {
	f.Add("凭证号,日期,摘要,科目编码,借方金额,贷方金额\n1,2025-02-01,收租金,10201,800.00,\n1,,,50101,,800.00\n")
	f.Add("voucher,date,summary,account,debit,credit,collective\n1,2025-02-01,x,101,1,,C1\n2,2025/2/2,y,101,,1,C1\n1,2025-02-03,z,101,1,,\n")
	f.Add("凭证号,日期,摘要,科目编码,借方金额,贷方金额\n,,,,,\n1,2025年2月1日,\"a,b\",101,1.234,\n")
	f.Add("\ufeff凭证号,日期,摘要,科目编码,借方金额,贷方金额,附件数\n7,2025-13-01,x,101,1,,abc\n")
	def := &jiti.Collective{ID: 1, Code: "C1"}
	chart := ledger.NewChart(ledger.StandardAccounts())
	f.Fuzz(func(t *testing.T, data string) {
		r := NewCSV(strings.NewReader(data), "fuzz")
		h, err := ReadHeader(r, VoucherFields)
		if err != nil {
			return
		}
		s := newVouchers(r, def, func(code string) (*jiti.Collective, error) {
			if code == "C1" {
				return def, nil
			}
			return nil, jiti.ErrNotFound.With("collective", code)
		})
		s.h = h
		for i := 0; i < 100000; i++ {
			v, err := s.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var ce *CellError
				var lim *Limit
				if !errors.As(err, &ce) && !errors.As(err, &lim) {
					t.Fatalf("error without a place in the sheet: %v", err)
				}
				continue
			}
			if len(v.Lines) != len(s.rows) {
				t.Fatalf("voucher has %d lines from %d rows", len(v.Lines), len(s.rows))
			}
			v.Normalize()
			if verr := ledger.Validate(v, &ledger.Books{Chart: chart}); verr != nil {
				located := s.Locate(v, verr)
				var lim *Limit
				if located == nil || !errors.As(located, &lim) {
					t.Fatalf("Locate(%v) = %v, want errors placed in the sheet", verr, located)
				}
			}
		}
		t.Fatal("reading did not end")
	})
}

// TestOpenVouchers_Progress: reading a voucher file tells how far it has
// got, in rows and, for CSV, bytes of the file's size; its rows are of the
// sheet named for the name the user knows the file by.
func TestOpenVouchers_Progress(t *testing.T) {
	var b strings.Builder
	b.WriteString("凭证号,日期,摘要,科目编码,借方金额,贷方金额\n")
	for k := 1; k <= 3000; k++ {
		fmt.Fprintf(&b, "%d,2025-02-01,收租金,10201,%d.00,\n%d,,,50101,,%d.00\n", k, k, k, k)
	}
	b.WriteString("3001,2025-02-30,坏日期,10201,1.00,\n3001,,,50101,,1.00\n")
	path := filepath.Join(t.TempDir(), "upload-123")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	def := &jiti.Collective{ID: 1, Code: "C1"}
	s, err := OpenVouchers(path, "三月凭证.csv", def, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rows, bytes, total := s.Progress(); rows != 0 || total != int64(b.Len()) || bytes > total {
		t.Fatalf("progress before reading = %d rows, %d of %d bytes", rows, bytes, total)
	}
	var last error
	n := 0
	for {
		_, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			last = err
			continue
		}
		n++
		if n == 1000 {
			rows, bytes, total := s.Progress()
			if rows != 2001 || bytes <= 0 || bytes >= total {
				t.Fatalf("progress after 1000 vouchers = %d rows, %d of %d bytes", rows, bytes, total)
			}
		}
	}
	if rows, bytes, total := s.Progress(); n != 3000 || rows != 6003 || bytes != total {
		t.Fatalf("after %d vouchers: progress %d rows, %d of %d bytes", n, rows, bytes, total)
	}
	var ce *CellError
	if !errors.As(last, &ce) || ce.Sheet != "三月凭证" || ce.Row != 6002 || ce.Column != "B" {
		t.Fatalf("last error = %#v, want the date of row 6002 of sheet 三月凭证", last)
	}
}

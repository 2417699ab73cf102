package cli

import (
	"errors"
	"io"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/sheet"
)

// FuzzImportVouchers feeds arbitrary CSV text to the voucher reader of
// `jiti import vouchers` and checks that it never panics, that reading
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
		r := sheet.NewCSV(strings.NewReader(data), "fuzz")
		h, err := sheet.ReadHeader(r, voucherFields)
		if err != nil {
			return
		}
		s := &sheetVouchers{h: h, def: def, byCode: map[string]*jiti.Collective{}, seen: map[uint64]int{},
			find: func(code string) (*jiti.Collective, error) {
				if code == "C1" {
					return def, nil
				}
				return nil, jiti.ErrNotFound.With("collective", code)
			}}
		for i := 0; i < 100000; i++ {
			v, err := s.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var ce *sheet.CellError
				var lim *sheet.Limit
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
				var lim *sheet.Limit
				if located == nil || !errors.As(located, &lim) {
					t.Fatalf("Locate(%v) = %v, want errors placed in the sheet", verr, located)
				}
			}
		}
		t.Fatal("reading did not end")
	})
}

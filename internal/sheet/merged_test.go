package sheet

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// mergedBook writes a voucher sheet as accountants lay it out by hand: a
// title merged across, a header of two rows (金额 over 借方 and 贷方, the
// other headers merged down both rows), and each voucher's number and date
// merged down its lines; extra merges are added by the caller.
func mergedBook(t *testing.T, extra ...[2]string) string {
	return xlsxFixture(t, func(f *excelize.File) {
		rows := [][]any{
			{"2025年3月凭证"},
			{"凭证号", "日期", "摘要", "科目编码", "金额"},
			{nil, nil, nil, nil, "借方", "贷方"},
			{"1", "2025-03-05", "收租", "10201", "100.00"},
			{nil, nil, "收租", "50101", nil, "100.00"},
			{"2", "2025-03-06", "付费", "511", "30.00"},
			{nil, nil, "付费", "10201", nil, "30.00"},
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range append([][2]string{{"A1", "F1"}, {"A2", "A3"}, {"B2", "B3"}, {"C2", "C3"}, {"D2", "D3"}, {"E2", "F2"},
			{"A4", "A5"}, {"B4", "B5"}, {"A6", "A7"}, {"B6", "B7"}}, extra...) {
			if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func readMerged(t *testing.T, p string) ([]string, error) {
	t.Helper()
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h, err := ReadHeader(r, VoucherFields)
	if err != nil {
		return nil, err
	}
	var got []string
	for {
		row, err := h.Next()
		if err == io.EOF {
			return got, nil
		}
		if err != nil {
			return got, err
		}
		got = append(got, strings.Join([]string{h.Get(row, "key"), h.Get(row, "date"), h.Get(row, "account"), h.Get(row, "debit"), h.Get(row, "credit")}, " "))
	}
}

// TestMergedCells reads a two-row header and vouchers whose number and
// date are merged down their lines as the person who merged them means
// them; any other merge below the header is an error naming its range.
func TestMergedCells(t *testing.T) {
	got, err := readMerged(t, mergedBook(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1 2025-03-05 10201 100.00 ", "1 2025-03-05 50101  100.00", "2 2025-03-06 511 30.00 ", "2 2025-03-06 10201  30.00"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
	// Accounts merged down two lines: which line's account is it?
	_, err = readMerged(t, mergedBook(t, [2]string{"D6", "D7"}))
	var ce *CellError
	if !errors.Is(err, ErrMerged) || !errors.As(err, &ce) || ce.Row != 6 || ce.Column != "D" || !strings.Contains(err.Error(), "D6:D7") {
		t.Errorf("merged accounts: %v", err)
	}
	// Amounts merged across the debit and credit columns.
	if _, err = readMerged(t, mergedBook(t, [2]string{"E4", "F4"})); !errors.Is(err, ErrMerged) || !strings.Contains(err.Error(), "E4:F4") {
		t.Errorf("merged amounts: %v", err)
	}
}

package sheet

import (
	"errors"
	"strings"
	"testing"

	"example.org/jiti"
)

func TestAmountAsExcelWrites(t *testing.T) {
	for in, want := range map[string]jiti.Amount{
		"1234.5": 123450, "1,234.50": 123450, "¥1,234.50": 123450, "￥1,234.50": 123450, " ¥ 80 ": 8000,
		"-¥80.00": -8000, "¥-80.00": -8000, "12,345,678.90": 1234567890, "-1,000": -100000,
	} {
		got, err := Amount(in)
		if err != nil || got != want {
			t.Errorf("Amount(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "¥", "1,23", "12,3456.00", "¥¥1", "$12", "1,234.567", "¥-", "--1"} {
		_, err := Amount(in)
		if err == nil {
			t.Errorf("Amount(%q) accepted", in)
			continue
		}
		// The error names the cell as written, not the text parsed.
		if je := jiti.AsError(err); je != nil && len(je.Args) > 0 && je.Args[0] != strings.TrimSpace(in) {
			t.Errorf("Amount(%q): error names %q", in, je.Args[0])
		}
	}
	if got, err := OptionalAmount(" "); got != 0 || err != nil {
		t.Errorf("OptionalAmount(blank) = %v, %v", got, err)
	}
}

func TestIntAndParseNumber(t *testing.T) {
	if n, err := Int("1,200"); n != 1200 || err != nil {
		t.Errorf("Int(1,200) = %v, %v", n, err)
	}
	for _, in := range []string{"12.5", "十", "1,20", "¥12"} {
		if _, err := Int(in); !errors.Is(err, ErrInteger) || jiti.AsError(err).Args[0] != in {
			t.Errorf("Int(%q) = %v", in, err)
		}
	}
	parse := func(s string) (string, error) { return s, nil }
	for in, want := range map[string]string{"1,234.5": "1234.5", "12,345": "12345", "1,23": "1,23", "a,bcd": "a,bcd", "-1,000.25": "-1000.25"} {
		if got, _ := ParseNumber(in, parse); got != want {
			t.Errorf("ParseNumber(%q) saw %q, want %q", in, got, want)
		}
	}
}

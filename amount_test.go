package jiti_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"example.org/jiti"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in      string
		want    jiti.Amount
		wantErr error
	}{
		// Valid forms.
		{in: "1234.56", want: 123456},
		{in: "1,234.56", want: 123456},
		{in: "-0.05", want: -5},
		{in: "+5", want: 500},
		{in: ".5", want: 50},
		{in: "1.", want: 100},
		{in: "1.500", want: 150},
		{in: "1.5000000", want: 150},
		{in: "0", want: 0},
		{in: "-0", want: 0},
		{in: "0.01", want: 1},
		{in: "  12 ", want: 1200},
		{in: "007.10", want: 710},
		{in: "1,234,567", want: 123456700},
		{in: "-1,234,567.8", want: -123456780},
		{in: "100000000000000", want: jiti.MaxAmount},
		{in: "100,000,000,000,000.00", want: jiti.MaxAmount},
		{in: "-100000000000000.00", want: -jiti.MaxAmount},
		{in: "99999999999999.99", want: jiti.MaxAmount - 1},
		{in: "0000000000000000001.00", want: 100}, // leading zeros are not digits of magnitude

		// Rejected.
		{in: "", wantErr: jiti.ErrAmountSyntax},
		{in: "   ", wantErr: jiti.ErrAmountSyntax},
		{in: "1.234", wantErr: jiti.ErrAmountDecimals},
		{in: "1.001", wantErr: jiti.ErrAmountDecimals},
		{in: "1e3", wantErr: jiti.ErrAmountSyntax},
		{in: "1,23", wantErr: jiti.ErrAmountSyntax},
		{in: "12,345,67", wantErr: jiti.ErrAmountSyntax},
		{in: "1,2345", wantErr: jiti.ErrAmountSyntax},
		{in: ",123", wantErr: jiti.ErrAmountSyntax},
		{in: "1234,567", wantErr: jiti.ErrAmountSyntax},
		{in: "abc", wantErr: jiti.ErrAmountSyntax},
		{in: "--1", wantErr: jiti.ErrAmountSyntax},
		{in: "+-1", wantErr: jiti.ErrAmountSyntax},
		{in: "1-", wantErr: jiti.ErrAmountSyntax},
		{in: ".", wantErr: jiti.ErrAmountSyntax},
		{in: "-.", wantErr: jiti.ErrAmountSyntax},
		{in: "1.2.3", wantErr: jiti.ErrAmountSyntax},
		{in: "1.2,5", wantErr: jiti.ErrAmountSyntax},
		{in: "0x10", wantErr: jiti.ErrAmountSyntax},
		{in: "１２", wantErr: jiti.ErrAmountSyntax}, // full-width digits
		{in: "1 000", wantErr: jiti.ErrAmountSyntax},
		{in: "- 1", wantErr: jiti.ErrAmountSyntax},
		{in: "¥12", wantErr: jiti.ErrAmountSyntax},
		// A sign alone is not a number.
		{in: "-", wantErr: jiti.ErrAmountSyntax},
		{in: "+", wantErr: jiti.ErrAmountSyntax},
		// Just above MaxAmount, either sign, and far above it.
		{in: "100000000000000.01", wantErr: jiti.ErrAmountOverflow},
		{in: "100,000,000,000,000.01", wantErr: jiti.ErrAmountOverflow},
		{in: "-100000000000000.01", wantErr: jiti.ErrAmountOverflow},
		{in: "999999999999999.99", wantErr: jiti.ErrAmountOverflow},
		{in: "1000000000000000", wantErr: jiti.ErrAmountOverflow},
		{in: "92233720368547758.07", wantErr: jiti.ErrAmountOverflow},
		{in: "123456789012345678901234567890", wantErr: jiti.ErrAmountOverflow},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			got, err := jiti.ParseAmount(tt.in)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ParseAmount(%q) = %v, %v; want error %v", tt.in, got, err, tt.wantErr)
				}
				if jiti.KindOf(err) != jiti.Invalid {
					t.Errorf("KindOf = %v, want invalid", jiti.KindOf(err))
				}
				if f := jiti.FieldOf(err); f != "" {
					t.Errorf("field = %q, want none (the caller names it)", f)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAmount(%q): unexpected error %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseAmount(%q) = %d fen, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestAmountFormats(t *testing.T) {
	tests := []struct {
		a                   jiti.Amount
		plain, grouped, wan string
	}{
		{0, "0.00", "0.00", "0.00"},
		{1, "0.01", "0.01", "0.00"},
		{-5, "-0.05", "-0.05", "0.00"},
		{10, "0.10", "0.10", "0.00"},
		{100, "1.00", "1.00", "0.00"},
		{99999, "999.99", "999.99", "0.10"},
		{100000, "1000.00", "1,000.00", "0.10"},
		{-100000, "-1000.00", "-1,000.00", "-0.10"},
		{123456, "1234.56", "1,234.56", "0.12"},
		{-123456, "-1234.56", "-1,234.56", "-0.12"},
		{4999, "49.99", "49.99", "0.00"},    // 0.004999 万元 rounds down
		{5000, "50.00", "50.00", "0.01"},    // exactly half: away from zero
		{-4999, "-49.99", "-49.99", "0.00"}, // no "-0.00"
		{-5000, "-50.00", "-50.00", "-0.01"},
		{14999, "149.99", "149.99", "0.01"},
		{15000, "150.00", "150.00", "0.02"},
		{1000000, "10000.00", "10,000.00", "1.00"},
		{12345678, "123456.78", "123,456.78", "12.35"},
		{123456789, "1234567.89", "1,234,567.89", "123.46"}, // the doc's example
		{-123456789, "-1234567.89", "-1,234,567.89", "-123.46"},
		{123454999, "1234549.99", "1,234,549.99", "123.45"},
		{jiti.MaxAmount, "100000000000000.00", "100,000,000,000,000.00", "10000000000.00"},
		{-jiti.MaxAmount, "-100000000000000.00", "-100,000,000,000,000.00", "-10000000000.00"},
	}
	for _, tt := range tests {
		t.Run(tt.plain, func(t *testing.T) {
			if got := tt.a.String(); got != tt.plain {
				t.Errorf("String() = %q, want %q", got, tt.plain)
			}
			if got := tt.a.Grouped(); got != tt.grouped {
				t.Errorf("Grouped() = %q, want %q", got, tt.grouped)
			}
			if got := tt.a.Wan(); got != tt.wan {
				t.Errorf("Wan() = %q, want %q", got, tt.wan)
			}
			// Both forms read back to the same amount.
			for _, s := range []string{tt.plain, tt.grouped} {
				if back, err := jiti.ParseAmount(s); err != nil || back != tt.a {
					t.Errorf("ParseAmount(%q) = %v, %v; want %v", s, back, err, tt.a)
				}
			}
		})
	}
}

func TestAmountHelpers(t *testing.T) {
	if got := jiti.Yuan(12); got != 1200 {
		t.Errorf("Yuan(12) = %d", got)
	}
	if got := jiti.MustAmount("-3.5"); got != -350 {
		t.Errorf("MustAmount = %d", got)
	}
	if got := jiti.Amount(-7).Neg(); got != 7 {
		t.Errorf("Neg = %d", got)
	}
	if got := jiti.Amount(-7).Abs(); got != 7 {
		t.Errorf("Abs = %d", got)
	}
	if got := jiti.Amount(7).Abs(); got != 7 {
		t.Errorf("Abs = %d", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustAmount(bad) did not panic")
		}
	}()
	jiti.MustAmount("1.234")
}

func TestAddChecked(t *testing.T) {
	const max = jiti.MaxAmount
	tests := []struct {
		name    string
		a, b    jiti.Amount
		want    jiti.Amount
		wantErr bool
	}{
		{"small", 1, 2, 3, false},
		{"negative", -5, 3, -2, false},
		{"to max", max - 1, 1, max, false},
		{"to -max", -max + 1, -1, -max, false},
		{"max minus max", max, -max, 0, false},
		{"above max", max, 1, 0, true},
		{"below -max", -max, -1, 0, true},
		{"twice max", max, max, 0, true},
		{"int64 wrap up", math.MaxInt64, 1, 0, true},
		{"int64 wrap down", math.MinInt64, -1, 0, true},
		{"int64 extremes", math.MaxInt64, math.MaxInt64, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.AddChecked(tt.b)
			if tt.wantErr {
				if !errors.Is(err, jiti.ErrAmountOverflow) {
					t.Fatalf("AddChecked(%d, %d) = %d, %v; want overflow", tt.a, tt.b, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("AddChecked(%d, %d) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
			}
		})
	}
}

func TestMulRatio(t *testing.T) {
	const max = jiti.MaxAmount
	tests := []struct {
		name     string
		a        jiti.Amount
		num, den int64
		want     jiti.Amount
		wantErr  bool
	}{
		{"exact", 300, 1, 3, 100, false},
		{"third down", 100, 1, 3, 33, false},
		{"two thirds up", 200, 1, 3, 67, false},
		{"half up", 1, 1, 2, 1, false},
		{"half up odd", 3, 1, 2, 2, false},
		{"quarter down", 5, 1, 4, 1, false},
		{"three quarters up", 7, 1, 4, 2, false},
		{"negative half away", -1, 1, 2, -1, false},
		{"negative 1.5 away", -3, 1, 2, -2, false},
		{"negative quarter toward zero", -5, 1, 4, -1, false},
		{"negative numerator", 1, -1, 2, -1, false},
		{"negative denominator", 1, 1, -2, -1, false},
		{"both negative", -1, -1, 2, 1, false},
		{"double negative ratio", 3, -1, -2, 2, false},
		{"zero numerator", 10, 0, 3, 0, false},
		{"zero amount", 0, 5, 7, 0, false},
		{"depreciation", 1200000, 1, 120, 10000, false},
		{"monthly of 5 years", 100000, 1, 60, 1667, false},
		{"zero denominator", 10, 1, 0, 0, true},
		// a*num needs more than 64 bits.
		{"huge identity", max, math.MaxInt64, math.MaxInt64, max, false},
		{"huge 3/7", max, 3, 7, 4285714285714286, false},
		{"huge -3/7", -max, 3, 7, -4285714285714286, false},
		{"huge half", max - 1, 1, 2, 5000000000000000, false},
		{"huge negative half", -(max - 1), 1, 2, -5000000000000000, false},
		{"huge product within range", max / 2000, 1 << 62, 1 << 52, max / 2000 * 1024, false},
		{"double max", max, 2, 1, 0, true},
		{"negative double max", -max, 2, 1, 0, true},
		{"beyond int64", max, math.MaxInt64, 1, 0, true},
		{"amount above max", max + 1, 1, 1, 0, true},
		// An in-range amount whose product is exactly -2^63: it fits int64
		// but is far beyond -MaxAmount.
		{"exactly MinInt64", -(1 << 40), 1 << 23, 1, 0, true},
		{"MinInt64 amount", math.MinInt64, 1, 1, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.a.MulRatio(tt.num, tt.den)
			if tt.wantErr {
				if !errors.Is(err, jiti.ErrAmountOverflow) {
					t.Fatalf("(%d).MulRatio(%d, %d) = %d, %v; want overflow", tt.a, tt.num, tt.den, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("(%d).MulRatio(%d, %d) = %d, %v; want %d", tt.a, tt.num, tt.den, got, err, tt.want)
			}
		})
	}
}

// FuzzParseAmount checks that ParseAmount never panics, that what it accepts
// is in range and formats back to itself, and that the two-decimal form of
// any in-range amount, written here independently of String, parses back.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1234.56", "1,234.56", "-0.05", "+5", ".5", "1.", "1.500", "", "1e3",
		"100000000000000.00", "100000000000000.01", "-", "12,345,67"} {
		f.Add(s, int64(len(s)))
	}
	f.Add("0", int64(math.MinInt64))
	f.Add("0", int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		a, err := jiti.ParseAmount(s)
		if err == nil {
			if a.Abs() > jiti.MaxAmount || a < -jiti.MaxAmount {
				t.Fatalf("ParseAmount(%q) = %d, beyond MaxAmount", s, a)
			}
			back, err := jiti.ParseAmount(a.String())
			if err != nil || back != a {
				t.Fatalf("ParseAmount(%q) = %d; ParseAmount(%q) = %d, %v", s, a, a.String(), back, err)
			}
			if back, err := jiti.ParseAmount(a.Grouped()); err != nil || back != a {
				t.Fatalf("ParseAmount(%q) = %d, %v; want %d", a.Grouped(), back, err, a)
			}
		} else if jiti.AsError(err) == nil {
			t.Fatalf("ParseAmount(%q): error %v is not a *jiti.Error", s, err)
		}

		// Map n into [-MaxAmount, MaxAmount] and write it out by hand.
		m := n % (int64(jiti.MaxAmount) + 1)
		sign, u := "", uint64(m)
		if m < 0 {
			sign, u = "-", uint64(-m)
		}
		str := fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
		got, err := jiti.ParseAmount(str)
		if err != nil || got != jiti.Amount(m) {
			t.Fatalf("ParseAmount(%q) = %d, %v; want %d", str, got, err, m)
		}
	})
}

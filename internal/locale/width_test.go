package locale_test

import (
	"testing"

	"example.org/jiti/internal/locale"
)

func TestWidth(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"1,234.56", 8},
		{"库存现金", 8},
		{"101 库存现金", 12},
		{"第2行 借方：", 12}, // fullwidth colon
		{"（附件）", 8},     // fullwidth parentheses
		{"、。《》「」", 12},  // CJK punctuation
		{"\u3000", 2},   // ideographic space
		{"ＡＢＣ１２３", 12},  // fullwidth ASCII
		{"ｱｲｳ", 3},      // halfwidth katakana
		{"￥100", 5},     // fullwidth yen sign
		{"¥100", 4},     // the ordinary yen sign
		{"“摘要”", 6},     // ambiguous quotes count 1
		{"e\u0301", 1},  // combining acute accent
		{"か\u3099", 2},  // combining voiced mark
		{"a\u200bb", 2}, // zero-width space
		{"a\tb\n", 2},   // control characters
		{"한국어", 6},      // Hangul syllables
		{"𠀀", 2},        // CJK extension B
		{"👍", 2},        // emoji
		{"Ω≈ç√", 4},
		{"\xff", 1}, // invalid UTF-8 reads as U+FFFD
	}
	for _, tt := range tests {
		if got := locale.Width(tt.in); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestPad(t *testing.T) {
	tests := []struct {
		in          string
		w           int
		right, left string
	}{
		{"101", 6, "101   ", "   101"},
		{"库存现金", 10, "库存现金  ", "  库存现金"},
		{"库存现金", 8, "库存现金", "库存现金"},
		{"库存现金", 3, "库存现金", "库存现金"},
		{"", 2, "  ", "  "},
		{"1,234.56", 10, "1,234.56  ", "  1,234.56"},
		{"x", -1, "x", "x"},
	}
	for _, tt := range tests {
		if got := locale.PadRight(tt.in, tt.w); got != tt.right {
			t.Errorf("PadRight(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.right)
		}
		if got := locale.PadLeft(tt.in, tt.w); got != tt.left {
			t.Errorf("PadLeft(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.left)
		}
	}
}

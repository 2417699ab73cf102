package locale_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
)

func TestCapitals(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		// Zero, and less than a yuan: no 元, no leading 零.
		{"0", "零元整"},
		{"0.01", "壹分"},
		{"0.05", "伍分"},
		{"0.10", "壹角"},
		{"0.50", "伍角"},
		{"0.55", "伍角伍分"},
		{"0.99", "玖角玖分"},
		// Whole yuan end with 整; a leading ten is 壹拾.
		{"1", "壹元整"},
		{"9", "玖元整"},
		{"10", "壹拾元整"},
		{"11", "壹拾壹元整"},
		{"19", "壹拾玖元整"},
		{"20", "贰拾元整"},
		{"100", "壹佰元整"},
		{"110", "壹佰壹拾元整"},
		{"1000", "壹仟元整"},
		{"1234", "壹仟贰佰叁拾肆元整"},
		{"10000", "壹万元整"},
		{"100000", "壹拾万元整"},
		{"1000000000", "壹拾亿元整"},
		{"1000000000000", "壹万亿元整"},
		{"100000000000000", "壹佰万亿元整"}, // jiti.MaxAmount
		// 角 and 分: no 整 after them.
		{"1234.56", "壹仟贰佰叁拾肆元伍角陆分"},
		{"1.50", "壹元伍角"},
		{"1.11", "壹元壹角壹分"},
		{"1409.50", "壹仟肆佰零玖元伍角"},     // 支付结算办法, example 1
		{"6007.14", "陆仟零柒元壹角肆分"},     // example 2: one 零 for several zeros
		{"1680.32", "壹仟陆佰捌拾元零叁角贰分"},  // example 3, the first form
		{"107000.53", "壹拾万柒仟元零伍角叁分"}, // example 3, the first form
		{"16409.02", "壹万陆仟肆佰零玖元零贰分"}, // example 4: 角 zero, 分 not
		{"325.04", "叁佰贰拾伍元零肆分"},      // example 4
		{"1004.05", "壹仟零肆元零伍分"},
		{"100000.10", "壹拾万元零壹角"},
		{"10.50", "壹拾元零伍角"},
		{"10.05", "壹拾元零伍分"},
		{"1.05", "壹元零伍分"},
		{"100.01", "壹佰元零壹分"},
		// Zeros inside the yuan.
		{"101", "壹佰零壹元整"},
		{"1001", "壹仟零壹元整"},
		{"1010", "壹仟零壹拾元整"},
		{"1100", "壹仟壹佰元整"},
		{"10001", "壹万零壹元整"},
		{"10010", "壹万零壹拾元整"},
		{"10100", "壹万零壹佰元整"},
		{"11000", "壹万壹仟元整"},
		{"100001", "壹拾万零壹元整"},
		{"1000001", "壹佰万零壹元整"},
		{"10000001", "壹仟万零壹元整"},
		{"10100000", "壹仟零壹拾万元整"},
		{"100010000", "壹亿零壹万元整"},
		{"100001000", "壹亿零壹仟元整"},
		{"101000000", "壹亿零壹佰万元整"},
		{"105534400", "壹亿零伍佰伍拾叁万肆仟肆佰元整"},
		{"1000000100", "壹拾亿零壹佰元整"},
		{"1000010000", "壹拾亿零壹万元整"},
		{"1001000000", "壹拾亿零壹佰万元整"},
		{"100000000001", "壹仟亿零壹元整"},
		{"1000100000000", "壹万零壹亿元整"},
		{"1000000010000", "壹万亿零壹万元整"},
		{"10000000000000", "壹拾万亿元整"},
		{"1234567890123.45", "壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁元肆角伍分"},
		{"20400500.06", "贰仟零肆拾万零伍佰元零陆分"},
		{"3000300.30", "叁佰万零叁佰元零叁角"},
		{"99999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"},
		// A 万 section ending in zeros before a full 千: no 零 (the rules allow
		// either; the first example of the rules writes none).
		{"14401000", "壹仟肆佰肆拾万壹仟元整"},
		{"44000500", "肆仟肆佰万零伍佰元整"},
		// Negative amounts.
		{"-0.05", "负伍分"},
		{"-1234.56", "负壹仟贰佰叁拾肆元伍角陆分"},
		{"-10", "负壹拾元整"},
	}
	for _, tt := range tests {
		a := jiti.MustAmount(tt.in)
		if got := locale.Capitals(a); got != tt.want {
			t.Errorf("Capitals(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestCapitalsExtremes(t *testing.T) {
	// Far beyond MaxAmount, but Capitals must not fail on any int64.
	tests := []struct {
		in   jiti.Amount
		want string
	}{
		{math.MaxInt64, "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分"},
		{math.MinInt64, "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分"},
	}
	for _, tt := range tests {
		if got := locale.Capitals(tt.in); got != tt.want {
			t.Errorf("Capitals(%d) = %s, want %s", tt.in, got, tt.want)
		}
		if v, err := parseCapitals(tt.want); err != nil || v != tt.in {
			t.Errorf("parseCapitals(%s) = %d, %v, want %d", tt.want, v, err, tt.in)
		}
	}
}

// parseCapitals reads capitals back into an amount: an independent check of
// every digit and unit that Capitals writes.
func parseCapitals(s string) (jiti.Amount, error) {
	const digits = "零壹贰叁肆伍陆柒捌玖"
	neg := strings.HasPrefix(s, "负")
	s = strings.TrimPrefix(s, "负")
	rs := []rune(s)
	var total, section, digit, yuan, jiao, fen uint64
	hasDigit := false
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch r {
		case '拾', '佰', '仟':
			if !hasDigit {
				return 0, fmt.Errorf("%c without a digit", r)
			}
			section += digit * map[rune]uint64{'拾': 10, '佰': 100, '仟': 1000}[r]
			digit, hasDigit = 0, false
		case '万':
			total += (section + digit) * 1e4
			section, digit, hasDigit = 0, 0, false
		case '亿':
			// Everything before a 亿 counts 亿s: 壹万零壹亿, 壹亿亿.
			total = (total + section + digit) * 1e8
			section, digit, hasDigit = 0, 0, false
		case '元':
			yuan = total + section + digit
			total, section, digit, hasDigit = 0, 0, 0, false
		case '角':
			jiao, digit, hasDigit = digit, 0, false
		case '分':
			fen, digit, hasDigit = digit, 0, false
		case '整':
			if i != len(rs)-1 {
				return 0, fmt.Errorf("整 before the end")
			}
		default:
			d := strings.IndexRune(digits, r)
			if d < 0 {
				return 0, fmt.Errorf("unexpected %c", r)
			}
			if d > 0 { // 零 only separates
				digit, hasDigit = uint64(d/3), true // three bytes per character
			}
		}
	}
	if hasDigit {
		return 0, fmt.Errorf("a digit without a unit")
	}
	v := yuan*100 + jiao*10 + fen
	if neg {
		v = -v
	}
	return jiti.Amount(v), nil
}

func FuzzCapitals(f *testing.F) {
	for _, s := range []int64{0, 1, 5, 10, 50, 100, 105, 1000, 100005, 123456, 1000000, 1000000000,
		10553440000, 100000000000010, 10000000000000000, -1, -100, math.MaxInt64, math.MinInt64} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, n int64) { checkCapitals(t, n) })
}

// TestCapitalsSweep checks every amount up to 10,000 yuan (1,000 with
// -short) and every digit pattern of zeros and ones up to 10¹⁶ fen: the
// places where a 零 may go wrong.
func TestCapitalsSweep(t *testing.T) {
	limit := int64(1_000_000)
	if testing.Short() {
		limit /= 10
	}
	for n := int64(-1000); n <= limit; n++ {
		checkCapitals(t, n)
	}
	for bits := int64(0); bits < 1<<16; bits++ {
		n := int64(0)
		for i := 15; i >= 0; i-- {
			n = n*10 + (bits>>i)&1
		}
		checkCapitals(t, n*10) // 16 digits, the last (分) zero
		checkCapitals(t, n)
	}
}

// checkCapitals checks the properties every Capitals result has: it reads
// back as the amount; 零 never leads, trails, doubles or precedes a unit;
// 整 ends exactly the whole amounts; a leading ten is 壹拾.
func checkCapitals(t *testing.T, n int64) {
	t.Helper()
	a := jiti.Amount(n)
	got := locale.Capitals(a)
	if v, err := parseCapitals(got); err != nil || v != a {
		t.Fatalf("Capitals(%d) = %s, which reads back as %d (%v)", n, got, v, err)
	}
	body := strings.TrimPrefix(got, "负")
	if (a < 0) != (body != got) {
		t.Errorf("Capitals(%d) = %s: sign", n, got)
	}
	if a == 0 {
		if got != "零元整" {
			t.Errorf("Capitals(0) = %s, want 零元整", got)
		}
		return
	}
	if strings.HasPrefix(body, "零") {
		t.Errorf("Capitals(%d) = %s starts with 零", n, got)
	}
	if strings.HasSuffix(body, "零") || strings.Contains(body, "零零") {
		t.Errorf("Capitals(%d) = %s has a stray 零", n, got)
	}
	for _, unit := range []string{"拾", "佰", "仟", "万", "亿", "元", "角", "分", "整"} {
		if strings.Contains(body, "零"+unit) {
			t.Errorf("Capitals(%d) = %s has 零 before %s", n, got, unit)
		}
	}
	if whole := a%100 == 0; whole != strings.HasSuffix(got, "元整") {
		t.Errorf("Capitals(%d) = %s: 整 only and always after whole yuan", n, got)
	}
	if strings.HasPrefix(body, "拾") {
		t.Errorf("Capitals(%d) = %s: a leading ten is 壹拾", n, got)
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"0", "0.00"},
		{"0.05", "0.05"},
		{"999.99", "999.99"},
		{"1000", "1,000.00"},
		{"1234.56", "1,234.56"},
		{"1234567.8", "1,234,567.80"},
		{"-1234567.89", "-1,234,567.89"},
		{"100000000000000", "100,000,000,000,000.00"},
	}
	for _, l := range locale.Langs {
		p := locale.New(l)
		for _, tt := range tests {
			if got := p.Money(jiti.MustAmount(tt.in)); got != tt.want {
				t.Errorf("%s: Money(%s) = %s, want %s", l, tt.in, got, tt.want)
			}
		}
	}
}

func TestWan(t *testing.T) {
	tests := []struct {
		in, zh, en string
	}{
		{"0", "0.00万元", "0.00 × 10k yuan"},
		{"10000", "1.00万元", "1.00 × 10k yuan"},
		{"1234567.89", "123.46万元", "123.46 × 10k yuan"},
		{"49.99", "0.00万元", "0.00 × 10k yuan"},
		{"50", "0.01万元", "0.01 × 10k yuan"}, // half away from zero
		{"-50", "-0.01万元", "-0.01 × 10k yuan"},
		{"123456789012.34", "12,345,678.90万元", "12,345,678.90 × 10k yuan"},
	}
	zh, en := locale.New(locale.ZH), locale.New(locale.EN)
	for _, tt := range tests {
		a := jiti.MustAmount(tt.in)
		if got := zh.Wan(a); got != tt.zh {
			t.Errorf("zh Wan(%s) = %s, want %s", tt.in, got, tt.zh)
		}
		if got := en.Wan(a); got != tt.en {
			t.Errorf("en Wan(%s) = %s, want %s", tt.in, got, tt.en)
		}
	}
}

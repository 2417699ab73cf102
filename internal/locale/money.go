package locale

import (
	"strings"

	"example.org/jiti"
)

// Money formats an amount in yuan with thousands separators and two
// decimals, "1,234.56", the same in every language: Chinese books and
// statements group by thousands too.
func (p *Printer) Money(a jiti.Amount) string { return a.Grouped() }

// Wan formats an amount in 万元 (ten thousand yuan), rounded half away from
// zero to two decimals, as statistics and county roll-ups report it:
// "123.46万元", or "123.46 × 10k yuan" in English, where no word for 万
// exists and "million" would move the decimal point.
func (p *Printer) Wan(a jiti.Amount) string {
	w := a.Wan()
	// Amount.Wan gives "123.46": read it back to group it, so the rounding
	// stays jiti's own.
	if v, err := jiti.ParseAmount(w); err == nil {
		w = v.Grouped()
	}
	return p.T("money.wan", w)
}

// The characters of Chinese financial capitals (大写金额). Only these may be
// written on vouchers, cheques and receipts: the ordinary numerals 一二三 are
// too easily altered.
var (
	capDigits = [10]string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	capPlaces = [4]string{"", "拾", "佰", "仟"}
)

// Capitals returns the amount in Chinese financial capitals as written on
// vouchers and receipts, following the rules of the People's Bank of China
// (《支付结算办法》, 附一《正确填写票据和结算凭证的基本规定》):
//
//   - digits 壹贰叁肆伍陆柒捌玖, places 拾佰仟, sections 万 and 亿, units 元角分;
//     a leading ten is written 壹拾 (10.00 → 壹拾元整), so that no digit can
//     be added in front;
//   - an amount that ends at 元 ends with 整; one with 角 or 分 does not
//     (0.50 → 伍角, 1234.56 → 壹仟贰佰叁拾肆元伍角陆分);
//   - zeros between digits are one 零, however many there are (6007.14 →
//     陆仟零柒元壹角肆分; 105534400 → 壹亿零伍佰伍拾叁万肆仟肆佰元整); zeros at
//     the end of the yuan are not written;
//   - where the rules allow a 零 or none (万位 or 元位 zero before a non-zero
//     仟 or 角) the 零 is written after 元 and not after 万, as in the
//     rules' own first examples: 1680.32 → 壹仟陆佰捌拾元零叁角贰分, 107000.53
//     → 壹拾万柒仟元零伍角叁分;
//   - 角 zero and 分 not: 零 after 元 (1004.05 → 壹仟零肆元零伍分);
//   - less than a yuan has no 元 (0.05 → 伍分); zero is 零元整.
//
// A negative amount is prefixed with 负. The prefix 人民币 is the form's
// business, not this function's.
func Capitals(a jiti.Amount) string {
	var b strings.Builder
	u := uint64(a)
	if a < 0 {
		b.WriteString("负")
		u = -u // two's complement: right even for the smallest int64
	}
	yuan, jiao, fen := u/100, u/10%10, u%10
	if yuan > 0 {
		writeCapitalYuan(&b, yuan)
		b.WriteString("元")
	}
	switch {
	case jiao == 0 && fen == 0:
		if yuan == 0 {
			b.WriteString("零元")
		}
		b.WriteString("整")
	case jiao == 0:
		if yuan > 0 {
			b.WriteString("零")
		}
		b.WriteString(capDigits[fen])
		b.WriteString("分")
	default:
		if yuan%10 == 0 && yuan > 0 {
			b.WriteString("零")
		}
		b.WriteString(capDigits[jiao])
		b.WriteString("角")
		if fen > 0 {
			b.WriteString(capDigits[fen])
			b.WriteString("分")
		}
	}
	return b.String()
}

// writeCapitalYuan writes n > 0 in capitals. Above 亿 the count of 亿 is
// itself a number (12345亿 is 壹万贰仟叁佰肆拾伍亿, 10¹⁶ is 壹亿亿), so the
// digits split at 亿 recursively, then at 万 into four-digit sections. A
// 零 stands for the zeros between two parts when the lower part does not
// begin at its highest digit (10553,4400 → 壹亿零伍佰伍拾叁万肆仟肆佰).
func writeCapitalYuan(b *strings.Builder, n uint64) {
	const yi = 100_000_000
	if n >= yi {
		writeCapitalYuan(b, n/yi)
		b.WriteString("亿")
		n %= yi
		if n == 0 {
			return
		}
		if n < yi/10 {
			b.WriteString("零")
		}
	}
	hi, lo := n/10000, n%10000
	if hi > 0 {
		writeCapitalSection(b, hi)
		b.WriteString("万")
		if lo > 0 && lo < 1000 {
			b.WriteString("零")
		}
	}
	if lo > 0 {
		writeCapitalSection(b, lo)
	}
}

// writeCapitalSection writes 0 < s < 10000 without leading or trailing
// zeros and with one 零 for each run of inner zeros: 1010 → 壹仟零壹拾.
func writeCapitalSection(b *strings.Builder, s uint64) {
	pow := [4]uint64{1, 10, 100, 1000}
	wrote, zero := false, false
	for place := 3; place >= 0; place-- {
		d := s / pow[place] % 10
		if d == 0 {
			zero = wrote
			continue
		}
		if zero {
			b.WriteString("零")
		}
		b.WriteString(capDigits[d])
		b.WriteString(capPlaces[place])
		wrote, zero = true, false
	}
}

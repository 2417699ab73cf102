package jiti

import (
	"math/big"
	"strconv"
	"strings"
)

// Amount is a sum of money in fen (分), the smallest unit of the yuan.
// Money is never held in floating point anywhere in jiti.
type Amount int64

// MaxAmount is the largest magnitude an Amount may hold: one hundred trillion
// yuan. Keeping well below the int64 limit lets sums of many amounts be checked
// for overflow cheaply.
const MaxAmount Amount = 100_000_000_000_000_00

// Errors of amount parsing and arithmetic.
var (
	ErrAmountSyntax   = Errorf(Invalid, "amount.syntax")
	ErrAmountDecimals = Errorf(Invalid, "amount.decimals")
	ErrAmountOverflow = Errorf(Invalid, "amount.overflow")
)

// ParseAmount reads a decimal amount of yuan such as "1234.56", "1,234.5",
// "-12" or "0.05" into fen. It rejects more than two decimals, exponents,
// stray characters and magnitudes above MaxAmount. Thousands separators are
// accepted only in groups of three.
func ParseAmount(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrAmountSyntax.With(s)
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	if s == "" {
		return 0, ErrAmountSyntax.With(s)
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot && frac == "" && intPart == "" {
		return 0, ErrAmountSyntax.With(s)
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 || groups[0][0] == '0' {
			return 0, ErrAmountSyntax.With(s)
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, ErrAmountSyntax.With(s)
			}
		}
		intPart = strings.Join(groups, "")
	}
	if intPart == "" {
		intPart = "0"
	}
	if !allDigits(intPart) || !allDigits(frac) {
		return 0, ErrAmountSyntax.With(s)
	}
	if len(frac) > 2 {
		// Trailing zeros beyond the fen ("1.500") carry no precision; anything
		// else would silently round, which an accountant must never get.
		if strings.TrimRight(frac[2:], "0") != "" {
			return 0, ErrAmountDecimals.With(s)
		}
		frac = frac[:2]
	}
	for len(frac) < 2 {
		frac += "0"
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 15 {
		return 0, ErrAmountOverflow.With(s)
	}
	yuan := int64(0)
	if intPart != "" {
		yuan, _ = strconv.ParseInt(intPart, 10, 64)
	}
	fen, _ := strconv.ParseInt(frac, 10, 64)
	v := Amount(yuan*100 + fen)
	if v > MaxAmount {
		return 0, ErrAmountOverflow.With(s)
	}
	if neg {
		v = -v
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MustAmount parses s and panics on error; for tests and literal data only.
func MustAmount(s string) Amount {
	a, err := ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return a
}

// Yuan returns n whole yuan as an Amount.
func Yuan(n int64) Amount { return Amount(n * 100) }

// String formats the amount as plain decimal yuan with two places, such as
// "1234.56" or "-0.05": the machine form used in CSV, JSON and journals.
func (a Amount) String() string {
	var b []byte
	return string(a.appendPlain(b))
}

// Append appends the amount as String writes it, for writers of many
// amounts (a journal of a million postings) that would otherwise make a
// string of each.
func (a Amount) Append(b []byte) []byte { return a.appendPlain(b) }

func (a Amount) appendPlain(b []byte) []byte {
	u := uint64(a)
	if a < 0 {
		b = append(b, '-')
		u = uint64(-a)
	}
	b = strconv.AppendUint(b, u/100, 10)
	f := u % 100
	return append(b, '.', byte('0'+f/10), byte('0'+f%10))
}

// Grouped formats the amount with thousands separators: "1,234,567.89".
func (a Amount) Grouped() string {
	plain := a.String()
	sign := ""
	if plain[0] == '-' {
		sign, plain = "-", plain[1:]
	}
	intPart, frac, _ := strings.Cut(plain, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	b.WriteByte('.')
	b.WriteString(frac)
	return b.String()
}

// Wan formats the amount in 万元 (ten thousand yuan) with two decimals, rounded
// half away from zero, without the unit: 1,234,567.89 yuan is "123.46".
func (a Amount) Wan() string {
	// One 万元 is 1,000,000 fen; two decimals of it are units of 10,000 fen.
	q := int64(a) / 10000
	r := int64(a) % 10000
	if r >= 5000 {
		q++
	} else if r <= -5000 {
		q--
	}
	return Amount(q).String()
}

// Neg returns -a.
func (a Amount) Neg() Amount { return -a }

// Abs returns the magnitude of a.
func (a Amount) Abs() Amount {
	if a < 0 {
		return -a
	}
	return a
}

// AddChecked returns a+b, or ErrAmountOverflow if the sum leaves the range
// that jiti accepts.
func (a Amount) AddChecked(b Amount) (Amount, error) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) || s > MaxAmount || s < -MaxAmount {
		return 0, ErrAmountOverflow.With(a.String() + "+" + b.String())
	}
	return s, nil
}

// MulRatio returns a*num/den rounded half away from zero, for prorating
// (depreciation, shares). It returns ErrAmountOverflow if the result does not
// fit or den is zero. It is exact for every input: the product is taken in
// arbitrary precision, since a*num may exceed 64 bits.
func (a Amount) MulRatio(num, den int64) (Amount, error) {
	if den == 0 {
		return 0, ErrAmountOverflow.With("/0")
	}
	p := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(num))
	d := big.NewInt(den)
	if d.Sign() < 0 {
		p.Neg(p)
		d.Neg(d)
	}
	q, r := new(big.Int).QuoRem(p, d, new(big.Int))
	// Round half away from zero: compare 2|r| with the divisor.
	if r.Abs(r).Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(int64(p.Sign())))
	}
	if q.CmpAbs(big.NewInt(int64(MaxAmount))) > 0 {
		return 0, ErrAmountOverflow.With(a.String())
	}
	return Amount(q.Int64()), nil
}

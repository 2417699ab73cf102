package disclose

import "strings"

// mask hides, in text going into a snapshot, any run of digits long
// enough to be an identity number (18, the last may be X), a bank account
// (12 to 19) or a mobile phone number (11): all but its last four are
// replaced by *. The registers keep these in their own fields, which a
// snapshot never copies; mask catches the ones typed into free text (a
// voucher's summary, a name).
func mask(s string) string {
	if !hasLongDigits(s) {
		return s
	}
	var b strings.Builder
	r := []rune(s)
	for i := 0; i < len(r); {
		j := i
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		if j < len(r) && j-i == 17 && (r[j] == 'X' || r[j] == 'x') {
			j++ // an identity number's check character
		}
		if j-i >= minMasked {
			b.WriteString(strings.Repeat("*", j-i-4))
			b.WriteString(string(r[j-4 : j]))
			i = j
			continue
		}
		if j == i {
			j++
		}
		b.WriteString(string(r[i:j]))
		i = j
	}
	return b.String()
}

// minMasked is the shortest run of digits masked: a mobile number's.
const minMasked = 11

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

func hasLongDigits(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
			if n >= minMasked-1 { // 17 digits and an X count from 10 on
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

// The other parties of the demo's contracts: units with a well-formed
// unified social credit code (统一社会信用代码, GB 32100: the check
// character computed from the first seventeen), and persons with a
// well-formed resident identity number (GB 11643: the check character
// computed from the first seventeen digits). Both are generated; any
// likeness to a real code or number is by chance. A unit's code is a
// function of the seed and its name, so the same firm has the same code in
// every village it deals with; a person's number is a function of the
// seed, the village and the name.

const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccCheck returns the GB 32100 check character of the first seventeen
// characters of a unified social credit code.
func usccCheck(s string) byte {
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	total := 0
	for i := range 17 {
		total += strings.IndexByte(usccAlphabet, s[i]) * weights[i]
	}
	return usccAlphabet[(31-total%31)%31]
}

// orgCode returns a nine-character organization code (GB 11714): eight
// digits and their check character.
func orgCode(rng *rand.Rand) string {
	var b strings.Builder
	sum := 0
	for _, w := range []int{3, 7, 9, 10, 5, 8, 4, 2} {
		d := rng.IntN(10)
		sum += d * w
		b.WriteByte(byte('0' + d))
	}
	switch c := 11 - sum%11; c {
	case 10:
		b.WriteByte('X')
	case 11:
		b.WriteByte('0')
	default:
		b.WriteByte(byte('0' + c))
	}
	return b.String()
}

// newUSCC returns a unified social credit code: the two-character
// registration authority and kind (N2 a village collective economic
// organization, 91 a company, 93 a farmers' cooperative, 12 a public
// institution), a six-digit division code, an organization code and the
// check character.
func newUSCC(rng *rand.Rand, kind, division string) string {
	s := kind + division + orgCode(rng)
	return s + string(usccCheck(s))
}

// unitUSCC returns the code of the unit named name.
func unitUSCC(seed int64, name string) string {
	rng := newRand(seed, "uscc", name)
	kind := "91"
	switch {
	case strings.Contains(name, "合作社联合社"), strings.Contains(name, "供销合作社"):
		kind = "12"
	case strings.Contains(name, "合作社"):
		kind = "93"
	case strings.Contains(name, "中心"), strings.Contains(name, "政府"), strings.Contains(name, "委员会"):
		kind = "12"
	}
	division := CountyCode
	if strings.HasPrefix(name, "白银") {
		division = "620400"
	} else if strings.HasPrefix(name, "甘肃") {
		division = "620000"
	} else if strings.HasPrefix(name, "新疆") {
		division = "650000"
	}
	return newUSCC(rng, kind, division)
}

// idCheck returns the GB 11643 check character of seventeen digits.
func idCheck(s string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(s[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// newIDNumber returns a resident identity number of a person registered in
// the county, born between 1955 and 1995: the division code, the date of
// birth, a sequence number (odd for men, even for women) and the check
// character.
func newIDNumber(rng *rand.Rand) string {
	born := jiti.Date{Year: 1955 + rng.IntN(41), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
	s := fmt.Sprintf("%s%04d%02d%02d%03d", CountyCode, born.Year, int(born.Month), born.Day, rng.IntN(1000))
	return s + string(idCheck(s))
}

// phone returns a mobile number.
func phone(rng *rand.Rand) string {
	return fmt.Sprintf("1%c%09d", "35789"[rng.IntN(5)], rng.IntN(1_000_000_000))
}

// isUnit reports whether a counterparty name names a unit rather than a
// person.
func isUnit(name string) bool {
	for _, w := range []string{"公司", "合作社", "农场", "中心", "委员会", "小区", "政府", "安置点", "种植大户", "种植户"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// partyOf returns the contract party named name in village v: a unit with
// its code, or a person with an identity number and a phone.
func partyOf(seed int64, v *village, name string) (register.Party, error) {
	if isUnit(name) {
		return register.Party{Kind: register.Unit, Name: name, USCC: unitUSCC(seed, name)}, nil
	}
	rng := newRand(seed, "person", v.Region.Code, name)
	id, err := jiti.NewIDNumber(newIDNumber(rng))
	if err != nil {
		return register.Party{}, err
	}
	return register.Party{Kind: register.Person, Name: name, IDNumber: id, Phone: phone(rng)}, nil
}

package register

import (
	"encoding/json"
	"strconv"
	"strings"
)

// MaxArea is the largest area a register accepts: ten million mu, far more
// than any collective holds, and small enough that sums never overflow.
const MaxArea Area = 10_000_000_00

// ParseArea reads an area in mu with at most two decimals, such as "12.5",
// "0.75" or "300". Negative areas, more decimals, exponents and anything
// else are refused: land is measured to the hundredth of a mu.
func ParseArea(s string) (Area, error) {
	v, ok := parseHundredths(s)
	if !ok || Area(v) > MaxArea {
		return 0, ErrAreaSyntax.With(s)
	}
	return Area(v), nil
}

// parseHundredths reads a non-negative decimal with at most two decimals
// ("12.5", "0.75", "300") as hundredths, the unit of areas and shares:
// signs, exponents, separators and more decimals are refused, and so are
// more than ten whole digits, so every sum of them fits.
func parseHundredths(s string) (int64, bool) {
	t := strings.TrimSpace(s)
	intPart, frac, hasDot := strings.Cut(t, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) || (hasDot && frac == "") || len(frac) > 2 {
		return 0, false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 10 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	whole, _ := strconv.ParseInt("0"+intPart, 10, 64)
	hundredths, _ := strconv.ParseInt(frac, 10, 64)
	return whole*100 + hundredths, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String returns the area in mu with two decimals: "12.50".
func (a Area) String() string { return formatHundredths(int64(a)) }

// formatHundredths writes hundredths with two decimals: 1250 is "12.50".
func formatHundredths(u int64) string {
	sign := ""
	if u < 0 {
		sign, u = "-", -u
	}
	f := u % 100
	return sign + strconv.FormatInt(u/100, 10) + "." + string([]byte{byte('0' + f/10), byte('0' + f%10)})
}

// MarshalText renders the area as String does, for CSV and JSON.
func (a Area) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads an area as ParseArea does; empty text is zero.
func (a *Area) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*a = 0
		return nil
	}
	v, err := ParseArea(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalJSON renders the area as a JSON string, "12.50", so no reader
// takes it for a float.
func (a Area) MarshalJSON() ([]byte, error) { return json.Marshal(a.String()) }

// UnmarshalJSON accepts the area as a string ("12.50") or, from hand-written
// JSON, as a bare number (12.5), read exactly by ParseArea.
func (a *Area) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return ErrAreaSyntax.With(string(b))
		}
	}
	return a.UnmarshalText([]byte(s))
}

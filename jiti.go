// Package jiti holds the vocabulary of the village collective economy system:
// money in fen, civil dates and accounting periods, errors that carry a kind
// and a message key, and the base records (regions, collectives, users) that
// every other package speaks in.
//
// It imports only the standard library, so every package of the program may
// import it.
package jiti

import (
	"strconv"
	"strings"
)

// VoucherRef names a voucher in messages: by its number in its month once
// posted (记字第N号), by its id while it is a draft. The user interface
// renders it in the reader's language.
type VoucherRef struct {
	Period Period
	Number int
	ID     int64
}

// String returns a language-neutral form: "2025-03 #5" posted, "draft 12"
// otherwise.
func (r VoucherRef) String() string {
	if r.Number == 0 {
		return "draft " + strconv.FormatInt(r.ID, 10)
	}
	return r.Period.String() + " #" + strconv.Itoa(r.Number)
}

// IDNumber is a person's resident identity card number (身份证号), which is
// sensitive personal data: its String is masked (6204**********1234), so it
// cannot leak into logs, pages or exports by accident. Reveal returns the
// whole number for the few places that need it.
type IDNumber struct{ v string }

// NewIDNumber returns s as an IDNumber, or an error if it is not a valid
// 18-character resident identity number (GB 11643: 17 digits and a check
// character computed from them).
func NewIDNumber(s string) (IDNumber, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if !validIDNumber(s) {
		return IDNumber{}, ErrIDNumber.With(maskID(s))
	}
	return IDNumber{s}, nil
}

// ErrIDNumber reports an identity number that is not well-formed; its
// message shows it masked.
var ErrIDNumber = Errorf(Invalid, "party.id_number")

func validIDNumber(s string) bool {
	if len(s) != 18 || !allDigits(s[:17]) {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s[i]-'0') * weights[i]
	}
	return s[17] == "10X98765432"[sum%11]
}

// IsZero reports whether no number is held.
func (n IDNumber) IsZero() bool { return n.v == "" }

// String returns the number masked: the first four and the last four
// characters, the rest as asterisks.
func (n IDNumber) String() string { return maskID(n.v) }

// Reveal returns the whole number.
func (n IDNumber) Reveal() string { return n.v }

// MarshalText renders the masked form, so JSON never carries the number.
func (n IDNumber) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

func maskID(s string) string {
	if len(s) <= 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}

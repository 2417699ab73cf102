// Package jiti holds the vocabulary of the village collective economy system:
// money in fen, civil dates and accounting periods, errors that carry a kind
// and a message key, and the base records (regions, collectives, users) that
// every other package speaks in.
//
// It imports only the standard library, so every package of the program may
// import it.
package jiti

import "strconv"

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

package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// ChainStart is the "previous hash" of the first voucher of every chain.
const ChainStart = "0000000000000000000000000000000000000000000000000000000000000000"

// HashVoucher returns the SHA-256, in hex, of the canonical content of the
// posted voucher v followed by prev, the hash of the voucher before it in its
// collective's chain. Every field that a report or an auditor relies on is
// covered, so a row changed behind the program's back no longer matches.
//
// The canonical content is a JSON array of fixed order: JSON escapes every
// separator a free-text field could contain, so no two vouchers share it.
func HashVoucher(v *Voucher, prev string) string {
	lines := make([][]any, len(v.Lines))
	for i, l := range v.Lines {
		lines[i] = []any{l.No, l.Account, int64(l.Debit), int64(l.Credit), l.Summary,
			l.Counterparty, l.Household, l.Project, l.Asset, l.Contract}
	}
	content := []any{
		"jiti-voucher-v1",
		v.CollectiveID, v.Seq, int(v.Period), v.Number, v.Date.String(), string(v.Kind),
		v.ReversesID, v.Attachments, v.Note,
		int64(v.MakerID), int64(v.ApproverID), int64(v.PosterID),
		HashTime(v.PostedAt),
		lines,
		prev,
	}
	b, err := json.Marshal(content)
	if err != nil {
		panic("ledger: hash voucher: " + err.Error()) // only plain values above: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// HashTime is the form of a timestamp inside hashed content: UTC to the
// second, which both database engines store exactly.
func HashTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

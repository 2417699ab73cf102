package ledger_test

import (
	"encoding/hex"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// hashed returns a posted voucher as the chain hashes it.
func hashed() *ledger.Voucher {
	v := posted()
	v.Seq = 41
	v.Attachments = 2
	v.Note = "三月租金"
	v.PostedAt = time.Date(2025, 3, 16, 9, 30, 15, 0, time.UTC)
	v.Lines[0].Project, v.Lines[0].Asset, v.Lines[0].Contract = "P1", "A1", "C1"
	return v
}

const prevHash = "5d41402abc4b2a76b9719d911017c592ae2b1bbf0f3c8b0a1c1e4e6e6a0f4a11"

func TestHashVoucher(t *testing.T) {
	base := ledger.HashVoucher(hashed(), prevHash)
	if b, err := hex.DecodeString(base); err != nil || len(b) != 32 {
		t.Fatalf("hash %q is not 32 bytes of hex", base)
	}
	if again := ledger.HashVoucher(hashed(), prevHash); again != base {
		t.Fatalf("not deterministic: %s then %s", base, again)
	}
	if ledger.HashVoucher(hashed(), ledger.ChainStart) == base {
		t.Error("the previous hash is not covered")
	}

	tests := []struct {
		name    string
		edit    func(v *ledger.Voucher)
		changes bool
	}{
		{"debit amount", func(v *ledger.Voucher) { v.Lines[0].Debit++ }, true},
		{"credit amount", func(v *ledger.Voucher) { v.Lines[1].Credit++ }, true},
		{"amount moved to the other side", func(v *ledger.Voucher) {
			v.Lines[1].Debit, v.Lines[1].Credit = -v.Lines[1].Credit, 0
		}, true},
		{"account", func(v *ledger.Voucher) { v.Lines[1].Account = "50102" }, true},
		{"summary", func(v *ledger.Voucher) { v.Lines[2].Summary += "。" }, true},
		{"line number", func(v *ledger.Voucher) { v.Lines[2].No = 9 }, true},
		{"lines swapped", func(v *ledger.Voucher) { v.Lines[1], v.Lines[2] = v.Lines[2], v.Lines[1] }, true},
		{"a line dropped", func(v *ledger.Voucher) { v.Lines = v.Lines[:2] }, true},
		{"counterparty", func(v *ledger.Voucher) { v.Lines[1].Counterparty = "王五" }, true},
		{"household", func(v *ledger.Voucher) { v.Lines[0].Household = "H002" }, true},
		{"project", func(v *ledger.Voucher) { v.Lines[0].Project = "P2" }, true},
		{"asset", func(v *ledger.Voucher) { v.Lines[0].Asset = "A2" }, true},
		{"contract", func(v *ledger.Voucher) { v.Lines[0].Contract = "C2" }, true},
		{"text moved between fields", func(v *ledger.Voucher) {
			v.Lines[0].Project, v.Lines[0].Asset = "P1A1", ""
		}, true},
		{"date", func(v *ledger.Voucher) { v.Date = jiti.MustDate("2025-03-16") }, true},
		{"period", func(v *ledger.Voucher) { v.Period = jiti.MustPeriod("2025-04") }, true},
		{"number", func(v *ledger.Voucher) { v.Number++ }, true},
		{"seq", func(v *ledger.Voucher) { v.Seq++ }, true},
		{"collective", func(v *ledger.Voucher) { v.CollectiveID++ }, true},
		{"kind", func(v *ledger.Voucher) { v.Kind = ledger.Closing }, true},
		{"reverses", func(v *ledger.Voucher) { v.ReversesID = 8 }, true},
		{"attachments", func(v *ledger.Voucher) { v.Attachments++ }, true},
		{"note", func(v *ledger.Voucher) { v.Note = "" }, true},
		{"maker", func(v *ledger.Voucher) { v.MakerID = 7 }, true},
		{"approver", func(v *ledger.Voucher) { v.ApproverID = 7 }, true},
		{"poster", func(v *ledger.Voucher) { v.PosterID = 7 }, true},
		{"maker and approver swapped", func(v *ledger.Voucher) { v.MakerID, v.ApproverID = v.ApproverID, v.MakerID }, true},
		{"posted a second later", func(v *ledger.Voucher) { v.PostedAt = v.PostedAt.Add(time.Second) }, true},
		{"posted an hour later", func(v *ledger.Voucher) { v.PostedAt = v.PostedAt.Add(time.Hour) }, true},
		{"posted time lost", func(v *ledger.Voucher) { v.PostedAt = time.Time{} }, true},

		{"sub-second posted time", func(v *ledger.Voucher) { v.PostedAt = v.PostedAt.Add(999 * time.Millisecond) }, false},
		{"nanoseconds", func(v *ledger.Voucher) { v.PostedAt = v.PostedAt.Add(1) }, false},
		{"same instant in Beijing time", func(v *ledger.Voucher) {
			v.PostedAt = v.PostedAt.In(time.FixedZone("CST", 8*3600))
		}, false},
		{"monotonic reading stripped", func(v *ledger.Voucher) { v.PostedAt = v.PostedAt.Round(0) }, false},
		// Set after posting, when the voucher is reversed, or by the store:
		// covering them would break the chain of a voucher already hashed.
		{"reversed later", func(v *ledger.Voucher) { v.ReversedByID = 10 }, false},
		{"own hash", func(v *ledger.Voucher) { v.Hash = "x" }, false},
		{"prev hash field", func(v *ledger.Voucher) { v.PrevHash = "x" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := hashed()
			tt.edit(v)
			got := ledger.HashVoucher(v, prevHash)
			if changed := got != base; changed != tt.changes {
				t.Errorf("hash changed = %v, want %v", changed, tt.changes)
			}
		})
	}
}

func TestHashTime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Time{}, ""},
		{time.Date(2025, 3, 16, 9, 30, 15, 999999999, time.UTC), "2025-03-16T09:30:15Z"},
		{time.Date(2025, 3, 16, 17, 30, 15, 0, time.FixedZone("CST", 8*3600)), "2025-03-16T09:30:15Z"},
		{time.Date(2026, 1, 1, 7, 59, 59, 500000000, time.FixedZone("CST", 8*3600)), "2025-12-31T23:59:59Z"},
	}
	for _, tt := range tests {
		if got := ledger.HashTime(tt.in); got != tt.want {
			t.Errorf("HashTime(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

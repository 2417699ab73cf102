package ledger_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// rentVoucher is a normal two-line voucher of 2025-03-05: rent received.
func rentVoucher() *ledger.Voucher {
	return &ledger.Voucher{Kind: ledger.Normal, Date: jiti.MustDate("2025-03-05"), Attachments: 1, Note: "三月",
		Lines: []ledger.Line{
			{Summary: "收鱼塘租金", Account: "10201", Debit: jiti.MustAmount("1200"), Counterparty: "张三"},
			{Summary: "收鱼塘租金", Account: "50101", Credit: jiti.MustAmount("1200")},
		}}
}

func TestVoucher_Fingerprint(t *testing.T) {
	fp := func(v *ledger.Voucher) int64 {
		t.Helper()
		n, ok := v.Fingerprint()
		if !ok {
			t.Fatalf("a normal voucher has no fingerprint")
		}
		return n
	}
	base := fp(rentVoucher())
	same := map[string]func(v *ledger.Voucher){
		"lines in another order": func(v *ledger.Voucher) {
			v.Lines[0], v.Lines[1] = v.Lines[1], v.Lines[0]
			v.Lines[0].Summary = "收鱼塘租金"
		},
		"another counterparty":   func(v *ledger.Voucher) { v.Lines[0].Counterparty = "" },
		"another note":           func(v *ledger.Voucher) { v.Note, v.Attachments = "", 3 },
		"another second summary": func(v *ledger.Voucher) { v.Lines[1].Summary = "租金" },
		"an id and a number":     func(v *ledger.Voucher) { v.ID, v.Number, v.Status = 7, 3, ledger.Posted },
	}
	for name, change := range same {
		v := rentVoucher()
		change(v)
		if got := fp(v); got != base {
			t.Errorf("%s: fingerprint changed", name)
		}
	}
	differ := map[string]func(v *ledger.Voucher){
		"another date":    func(v *ledger.Voucher) { v.Date = jiti.MustDate("2025-03-06") },
		"another summary": func(v *ledger.Voucher) { v.Lines[0].Summary = "收机耕费" },
		"another amount": func(v *ledger.Voucher) {
			v.Lines[0].Debit, v.Lines[1].Credit = jiti.MustAmount("1200.01"), jiti.MustAmount("1200.01")
		},
		"another account": func(v *ledger.Voucher) { v.Lines[1].Account = "50102" },
		"sides swapped":   func(v *ledger.Voucher) { v.Lines[0].Debit, v.Lines[0].Credit = 0, v.Lines[0].Debit },
		"a line more":     func(v *ledger.Voucher) { v.Lines = append(v.Lines, ledger.Line{Account: "101"}) },
		"text moved":      func(v *ledger.Voucher) { v.Lines[0].Summary, v.Lines[0].Account = "收鱼塘租金1", "0201" },
	}
	for name, change := range differ {
		v := rentVoucher()
		change(v)
		if got := fp(v); got == base {
			t.Errorf("%s: fingerprint unchanged", name)
		}
	}
	for _, k := range []ledger.VoucherKind{ledger.Reversal, ledger.Closing, ledger.Register} {
		v := rentVoucher()
		v.Kind = k
		if _, ok := v.Fingerprint(); ok {
			t.Errorf("a %s voucher has a fingerprint", k)
		}
	}
}

func TestContent(t *testing.T) {
	sum := func(vs ...*ledger.Voucher) string {
		var c ledger.Content
		for _, v := range vs {
			c.Add(v)
		}
		return c.Sum()
	}
	other := rentVoucher()
	other.Date = jiti.MustDate("2025-04-05")
	base := sum(rentVoucher(), other)
	if got := sum(other, rentVoucher()); got != base {
		t.Error("the vouchers' order changed the content")
	}
	if sum(rentVoucher()) == base || sum(rentVoucher(), other, other) == base || sum() == base {
		t.Error("a voucher less or more left the content unchanged")
	}
	for name, change := range map[string]func(v *ledger.Voucher){
		"an amount":      func(v *ledger.Voucher) { v.Lines[0].Debit++ },
		"a summary":      func(v *ledger.Voucher) { v.Lines[1].Summary = "租金" },
		"a counterparty": func(v *ledger.Voucher) { v.Lines[0].Counterparty = "李四" },
		"the note":       func(v *ledger.Voucher) { v.Note = "" },
		"attachments":    func(v *ledger.Voucher) { v.Attachments = 2 },
		"line order":     func(v *ledger.Voucher) { v.Lines[0], v.Lines[1] = v.Lines[1], v.Lines[0] },
		"text moved":     func(v *ledger.Voucher) { v.Lines[0].Summary, v.Lines[0].Account = "收鱼塘租金1", "0201" },
	} {
		v := rentVoucher()
		change(v)
		if sum(v, other) == base {
			t.Errorf("%s changed, the content did not", name)
		}
	}
	// What the store sets on import is no part of the content.
	v := rentVoucher()
	v.ID, v.CollectiveID, v.MakerID, v.Status = 9, 2, 3, ledger.Draft
	if sum(v, other) != base {
		t.Error("ids changed the content")
	}
}

// Package posting holds the rules that turn register events into vouchers:
// an asset's acquisition, the month's depreciation, a disposal through 154
// 固定资产清理, a contract's receipts, accruals, recognitions of deferred
// income and deposits. The store applies a register event and posts its
// voucher in one transaction, so the registers and the books cannot
// disagree.
//
// It is pure: every function returns a draft *ledger.Voucher (or nil when
// there is nothing to book) and never stores. The drafts have Kind
// ledger.Normal; the store marks them as register vouchers, sets the maker
// and posts them through ledger.Validate. Each line names the asset
// (Line.Asset) or the contract (Line.Contract) it concerns, and carries a
// Chinese summary (摘要) as an accountant would write it.
//
// The account parameters are the leaves the collective's chart books to:
// a first-level code where it has no detail accounts (211, 112), or the
// detail account the store chose (21101 预收款项, 10201 its bank account).
// The accounts the asset or contract names (cost, depreciation, expense,
// income) are taken from it.
package posting

import (
	"fmt"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// Accounts of the 2023 chart that the rules book to by default.
const (
	AcctReceivable   = "112" // 应收款
	AcctPayable      = "211" // 应付款: deposits held, income received in advance, overpayments
	AcctClearing     = "154" // 固定资产清理
	AcctConstruction = "153" // 在建工程
	AcctEarmarked    = "241" // 专项应付款
	AcctFund         = "311" // 公积公益金
	AcctOtherIncome  = "504" // 其他收入
	AcctOtherExpense = "515" // 其他支出
)

// maxSummary is the longest summary a voucher line takes (ledger.Validate).
const maxSummary = 200

// draft returns a normalized draft voucher of the collective, dated date,
// with lines; nil lines give nil.
func draft(cid int64, date jiti.Date, note string, lines []ledger.Line) *ledger.Voucher {
	if len(lines) == 0 {
		return nil
	}
	v := &ledger.Voucher{CollectiveID: cid, Period: date.Period(), Date: date, Status: ledger.Draft,
		Kind: ledger.Normal, Note: truncate(note, 500), Lines: lines}
	v.Normalize()
	return v
}

// debit and credit return a line of amount on account with summary.
func debit(account string, amount jiti.Amount, summary string) ledger.Line {
	return ledger.Line{Account: account, Debit: amount, Summary: truncate(summary, maxSummary)}
}

func credit(account string, amount jiti.Amount, summary string) ledger.Line {
	return ledger.Line{Account: account, Credit: amount, Summary: truncate(summary, maxSummary)}
}

// truncate cuts s to n characters.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// or returns s, or def if s is empty.
func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// monthLabel returns "2025年3月".
func monthLabel(p jiti.Period) string { return fmt.Sprintf("%d年%d月", p.Year(), int(p.Month())) }

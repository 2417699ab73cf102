package posting

import (
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
)

// Detail accounts of 322 收益分配—各项分配 in the 2023 chart
// (ledger/chart2023.csv) that a distribution books to.
const (
	AcctToFund    = "3220101" // 提取公积公益金
	AcctToMembers = "3220102" // 向成员分配
	AcctToOther   = "3220103" // 其他分配
)

// HouseholdShare is what one household is allotted, or paid, in a
// distribution; Code is its code in the collective's 113/211 sub-ledgers.
type HouseholdShare struct {
	Code   string
	Name   string
	Amount jiti.Amount
}

// maxShareLines is how many households one voucher of a distribution
// carries: ledger.MaxLines bounds a voucher, and a large village's
// allotment is booked as several vouchers of one batch, as an accountant
// would attach several pages of the allocation table.
const maxShareLines = 900

// Adoption returns the vouchers that book an adopted distribution plan on
// date (the members' meeting's resolution): Dr 322—提取公积公益金 / Cr 311
// the appropriation; Dr 322—向成员分配 / Cr payable per household (211
// 应付款, or 113 内部往来 where the collective keeps its households
// there) what each household is allotted; Dr 322—其他分配 / Cr payable the
// other distributions. The collective's own shares (集体股) are allotted
// nothing here: their part stays in 未分配收益. The household lines are
// split over vouchers of at most maxShareLines lines; the appropriation
// and other distributions are on the first. nil when the plan gives
// nothing.
func Adoption(cid int64, date jiti.Date, p *register.DistributionPlan, shares []HouseholdShare, payable string) []*ledger.Voucher {
	year := strconv.Itoa(p.Year)
	var first []ledger.Line
	if p.Reserve > 0 {
		first = append(first, debit(AcctToFund, p.Reserve, year+"年度提取公积公益金"),
			credit(AcctFund, p.Reserve, year+"年度提取公积公益金"))
	}
	if p.Other > 0 {
		first = append(first, debit(AcctToOther, p.Other, year+"年度其他分配"),
			credit(payable, p.Other, year+"年度其他分配"))
	}
	var out []*ledger.Voucher
	chunks := chunkShares(shares)
	if len(chunks) == 0 && len(first) > 0 {
		chunks = [][]HouseholdShare{nil}
	}
	for i, chunk := range chunks {
		lines := first
		if i > 0 {
			lines = nil
		}
		var total jiti.Amount
		var credits []ledger.Line
		for _, s := range chunk {
			l := credit(payable, s.Amount, year+"年度收益分配 "+s.Name)
			l.Household = s.Code
			credits = append(credits, l)
			total += s.Amount
		}
		if total > 0 {
			lines = append(lines, debit(AcctToMembers, total, year+"年度向成员分配"+part(i, len(chunks))))
			lines = append(lines, credits...)
		}
		if v := draft(cid, date, year+"年度收益分配"+part(i, len(chunks)), lines); v != nil {
			out = append(out, v)
		}
	}
	return out
}

// Payment returns the vouchers that pay households their allotments on
// date from the bank account: Dr payable per household / Cr bank the
// total, split like Adoption's. nil when nothing is paid.
func Payment(cid int64, year int, date jiti.Date, payments []HouseholdShare, payable, bank string) []*ledger.Voucher {
	y := strconv.Itoa(year)
	var out []*ledger.Voucher
	chunks := chunkShares(payments)
	for i, chunk := range chunks {
		var lines []ledger.Line
		var total jiti.Amount
		for _, s := range chunk {
			l := debit(payable, s.Amount, "支付"+y+"年度收益分配款 "+s.Name)
			l.Household = s.Code
			lines = append(lines, l)
			total += s.Amount
		}
		lines = append(lines, credit(bank, total, "支付"+y+"年度收益分配款"+part(i, len(chunks))))
		if v := draft(cid, date, "支付"+y+"年度收益分配款"+part(i, len(chunks)), lines); v != nil && total > 0 {
			out = append(out, v)
		}
	}
	return out
}

// chunkShares drops nothing-amounts and cuts the rest into pieces a
// voucher can carry.
func chunkShares(shares []HouseholdShare) [][]HouseholdShare {
	var kept []HouseholdShare
	for _, s := range shares {
		if s.Amount > 0 {
			kept = append(kept, s)
		}
	}
	var out [][]HouseholdShare
	for len(kept) > 0 {
		n := min(len(kept), maxShareLines)
		out = append(out, kept[:n])
		kept = kept[n:]
	}
	return out
}

// part numbers the vouchers of a batch in their summaries: "（第2/3页）".
func part(i, n int) string {
	if n <= 1 {
		return ""
	}
	return "（第" + strconv.Itoa(i+1) + "/" + strconv.Itoa(n) + "页）"
}

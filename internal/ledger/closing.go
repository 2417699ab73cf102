package ledger

import (
	"sort"
	"strings"
	"time"

	"example.org/jiti"
)

// YearEndClosing returns the closing vouchers of a year (年终结账), dated the
// last day of the year, given chart and net, the debit-minus-credit balance
// of every leaf account at year end before closing:
//
//  1. every income and expense account into 321 本年收益;
//  2. 321 into 322 收益分配—未分配收益 (32202);
//  3. each leaf of 322—各项分配 (32201…) into 322—未分配收益.
//
// Afterwards 321 and every account under 32201 are zero. Accounts with no balance get no line, and
// a step with nothing to move gives no voucher, so running it again after the
// books are closed gives nothing at all.
func YearEndClosing(year int, chart Chart, net map[string]jiti.Amount, maker jiti.UserID) []*Voucher {
	date := jiti.Date{Year: year, Month: time.December, Day: 31}
	var out []*Voucher
	newVoucher := func(note string) *Voucher {
		return &Voucher{Period: date.Period(), Date: date, Status: Draft, Kind: Closing, MakerID: maker, Note: note}
	}

	// Step 1: result accounts into 321.
	codes := make([]string, 0, len(net))
	for code, n := range net {
		if a := chart[code]; a != nil && a.Class.IsResult() && n != 0 {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	result := net[AcctIncomeOfYear]
	if len(codes) > 0 {
		v := newVoucher("结转本年收益")
		var moved jiti.Amount
		for _, code := range codes {
			n := net[code]
			summary := "结转" + chart[FirstLevel(code)].Name
			v.Lines = append(v.Lines, lineOffsetting(summary, code, n))
			moved += n
		}
		// moved is the debit-minus-credit of what left the result accounts;
		// 321 receives it: a net credit (profit) when moved is negative.
		if moved != 0 {
			v.Lines = append(v.Lines, lineOf("结转本年收益", AcctIncomeOfYear, moved))
		}
		result += moved
		out = append(out, v)
	}

	// Step 2: 321 into 322—未分配收益.
	if result != 0 {
		v := newVoucher("结转本年收益至未分配收益")
		v.Lines = append(v.Lines,
			lineOffsetting("结转本年收益", AcctIncomeOfYear, result),
			lineOf("结转本年收益", AcctUndistributed, result))
		out = append(out, v)
	}

	// Step 3: each leaf of 322—各项分配 into 322—未分配收益.
	var dist []string
	for code, n := range net {
		if n != 0 && strings.HasPrefix(code, AcctDistributions) && chart[code] != nil && chart[code].Leaf {
			dist = append(dist, code)
		}
	}
	sort.Strings(dist)
	if len(dist) > 0 {
		v := newVoucher("结转各项分配至未分配收益")
		var moved jiti.Amount
		for _, code := range dist {
			v.Lines = append(v.Lines, lineOffsetting("结转"+chart[code].Name, code, net[code]))
			moved += net[code]
		}
		if moved != 0 {
			v.Lines = append(v.Lines, lineOf("结转各项分配", AcctUndistributed, moved))
		}
		out = append(out, v)
	}
	for _, v := range out {
		v.Normalize()
	}
	return out
}

// lineOffsetting returns the line that brings an account whose balance is net
// (debit minus credit) to zero.
func lineOffsetting(summary, code string, net jiti.Amount) Line {
	return lineOf(summary, code, -net)
}

// lineOf returns a line moving amount (debit when positive, credit when
// negative) on code.
func lineOf(summary, code string, amount jiti.Amount) Line {
	l := Line{Summary: summary, Account: code}
	if amount > 0 {
		l.Debit = amount
	} else {
		l.Credit = -amount
	}
	return l
}

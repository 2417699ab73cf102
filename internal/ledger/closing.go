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
//  1. every income account into 321 本年收益, and every expense account into
//     321, each class in a voucher of its own, so that 321 turns over the
//     year's income on its credit side and the year's expenses on its debit
//     side, as the 2023 system closes them (gross, not one net line);
//  2. 321 into 322 收益分配—未分配收益 (32202);
//  3. each leaf of 322—各项分配 (32201…) into 322—未分配收益.
//
// Afterwards 321 and every account under 32201 are zero. Accounts with no
// balance get no line, and a step with nothing to move gives no voucher, so
// running it again after the books are closed gives nothing at all.
func YearEndClosing(year int, chart Chart, net map[string]jiti.Amount, maker jiti.UserID) []*Voucher {
	date := jiti.Date{Year: year, Month: time.December, Day: 31}
	var out []*Voucher
	newVoucher := func(note string) *Voucher {
		return &Voucher{Period: date.Period(), Date: date, Status: Draft, Kind: Closing, MakerID: maker, Note: note}
	}

	// Step 1: income accounts, then expense accounts, into 321.
	result := net[AcctIncomeOfYear]
	for _, step := range []struct {
		class Class
		note  string
	}{{Income, "结转本年收入"}, {Expense, "结转本年费用"}} {
		codes := resultAccounts(chart, net, step.class)
		if len(codes) == 0 {
			continue
		}
		v := newVoucher(step.note)
		var moved jiti.Amount
		for _, code := range codes {
			n := net[code]
			v.Lines = append(v.Lines, lineOffsetting("结转"+chart[FirstLevel(code)].Name, code, n))
			moved += n
		}
		// moved is the debit-minus-credit of what left the class's
		// accounts; 321 receives it: income as a credit, expenses as a
		// debit (an investment loss in 502 or a refund in an expense
		// account may turn a side round).
		if moved != 0 {
			v.Lines = append(v.Lines, lineOf(step.note, AcctIncomeOfYear, moved))
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

// resultAccounts returns, in code order, the accounts of class c with a
// balance to close.
func resultAccounts(chart Chart, net map[string]jiti.Amount, c Class) []string {
	var codes []string
	for code, n := range net {
		if a := chart[code]; a != nil && a.Class == c && n != 0 {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	return codes
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

package posting

import (
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
)

// ReceiptPart is the part of a receipt that pays one instalment, with how
// it books (register.Recognize).
type ReceiptPart struct {
	Instalment register.Instalment
	Amount     jiti.Amount // the part paid: Split.Total()
	Split      register.Split
}

// Receipt returns the voucher of a receipt on date from contract c's
// counterparty into account (a bank or cash leaf): Dr account the whole
// receipt; Cr c.IncomeAccount what is income now, Cr deferredAccount what
// is income of later years, Cr receivableAccount what clears accrued
// receivables, and Cr deferredAccount the overpayment held to refund. The
// credits are summed over the parts; every line names the contract and the
// counterparty. nil when nothing was received.
func Receipt(c *register.Contract, parts []ReceiptPart, date jiti.Date, account, deferredAccount, receivableAccount string,
	overpayment jiti.Amount) *ledger.Voucher {
	var s register.Split
	var nos []int
	for _, p := range parts {
		s.Income += p.Split.Income
		s.Deferred += p.Split.Deferred
		s.Receivable += p.Split.Receivable
		nos = append(nos, p.Instalment.No)
	}
	total := s.Total() + max(overpayment, 0)
	if total <= 0 {
		return nil
	}
	what, ref := incomeWord(c.Kind), contractRef(c, nos)
	deferredAccount = or(deferredAccount, AcctPayable)
	lines := []ledger.Line{
		debit(account, total, "收取"+what+ref),
		credit(c.IncomeAccount, s.Income, "收取"+what+ref),
		credit(deferredAccount, s.Deferred, "预收以后年度"+what+ref),
		credit(or(receivableAccount, AcctReceivable), s.Receivable, "收回应收"+what+ref),
		credit(deferredAccount, max(overpayment, 0), "多收"+what+"待退"+contractRef(c, nil)),
	}
	return draft(c.CollectiveID, date, "合同收款 "+c.Code, contractLines(c, lines))
}

// Accrual returns the voucher that books instalment in of an accruing
// contract c as a receivable on date: Dr receivableAccount what is still
// outstanding of it; Cr c.IncomeAccount the part that is income of years
// up to date's, Cr deferredAccount the part of later years
// (register.AccrualSplit). nil when nothing is outstanding.
func Accrual(c *register.Contract, in register.Instalment, date jiti.Date, receivableAccount, deferredAccount string) *ledger.Voucher {
	s := register.AccrualSplit(in, date)
	if s.Total() <= 0 {
		return nil
	}
	what, ref := incomeWord(c.Kind), contractRef(c, []int{in.No})
	lines := []ledger.Line{
		debit(or(receivableAccount, AcctReceivable), s.Total(), "应收"+what+ref),
		credit(c.IncomeAccount, s.Income, "确认"+what+"收入"+ref),
		credit(or(deferredAccount, AcctPayable), s.Deferred, "以后年度"+what+"转入预收"+ref),
	}
	return draft(c.CollectiveID, date, "合同应收 "+c.Code, contractLines(c, lines))
}

// Recognition returns the voucher that recognizes, on date, amount of
// contract c's income of year held deferred: Dr deferredAccount / Cr
// c.IncomeAccount (see register.DeferredIn). nil for nothing.
func Recognition(c *register.Contract, year int, amount jiti.Amount, date jiti.Date, deferredAccount string) *ledger.Voucher {
	if amount <= 0 {
		return nil
	}
	s := "结转" + strconv.Itoa(year) + "年" + incomeWord(c.Kind) + "收入" + contractRef(c, nil)
	lines := []ledger.Line{debit(or(deferredAccount, AcctPayable), amount, s), credit(c.IncomeAccount, amount, s)}
	return draft(c.CollectiveID, date, "预收收入结转 "+c.Code, contractLines(c, lines))
}

// Deposit returns the voucher of contract c's deposit (保证金) received on
// date into account and held in depositAccount (211 or its leaf), or with
// refund its return: Dr depositAccount / Cr account. nil without a deposit.
func Deposit(c *register.Contract, date jiti.Date, account, depositAccount string, refund bool) *ledger.Voucher {
	if c.Deposit <= 0 {
		return nil
	}
	held := or(depositAccount, AcctPayable)
	var lines []ledger.Line
	if refund {
		s := "退还履约保证金" + contractRef(c, nil)
		lines = []ledger.Line{debit(held, c.Deposit, s), credit(account, c.Deposit, s)}
	} else {
		s := "收取履约保证金" + contractRef(c, nil)
		lines = []ledger.Line{debit(account, c.Deposit, s), credit(held, c.Deposit, s)}
	}
	return draft(c.CollectiveID, date, "合同保证金 "+c.Code, contractLines(c, lines))
}

// Refund returns the voucher that pays back on date, from account, amount
// of an overpayment held in heldAccount: Dr heldAccount / Cr account. nil
// for nothing.
func Refund(c *register.Contract, date jiti.Date, account, heldAccount string, amount jiti.Amount) *ledger.Voucher {
	if amount <= 0 {
		return nil
	}
	s := "退还多收" + incomeWord(c.Kind) + contractRef(c, nil)
	lines := []ledger.Line{debit(or(heldAccount, AcctPayable), amount, s), credit(account, amount, s)}
	return draft(c.CollectiveID, date, "退还多收款 "+c.Code, contractLines(c, lines))
}

// contractLines drops the lines of zero and names the contract and its
// counterparty on the others.
func contractLines(c *register.Contract, lines []ledger.Line) []ledger.Line {
	var out []ledger.Line
	for _, l := range lines {
		if l.Debit == 0 && l.Credit == 0 {
			continue
		}
		l.Contract = c.Code
		l.Counterparty = truncate(c.Party.Name, 100)
		out = append(out, l)
	}
	return out
}

// incomeWord names what a contract of kind k brings in.
func incomeWord(k register.ContractKind) string {
	switch k {
	case register.Lease:
		return "租金"
	case register.Contracting:
		return "承包费"
	case register.Equity:
		return "入股分红"
	case register.Cooperation:
		return "合作经营收益"
	case register.Service:
		return "服务费"
	}
	return "合同款"
}

// contractRef returns "（合同HT-2025-003第2期）", or without instalments
// "（合同HT-2025-003）"; runs of instalments are written 第2至4期.
func contractRef(c *register.Contract, nos []int) string {
	var b strings.Builder
	b.WriteString("（合同")
	b.WriteString(c.Code)
	if len(nos) > 0 {
		b.WriteString("第")
		b.WriteString(numberRuns(nos))
		b.WriteString("期")
	}
	b.WriteString("）")
	return b.String()
}

// numberRuns writes ascending instalment numbers with runs joined:
// [2 3 4 7] is "2至4、7".
func numberRuns(nos []int) string {
	var parts []string
	for i := 0; i < len(nos); {
		j := i
		for j+1 < len(nos) && nos[j+1] == nos[j]+1 {
			j++
		}
		s := strconv.Itoa(nos[i])
		if j > i {
			s += "至" + strconv.Itoa(nos[j])
		}
		parts = append(parts, s)
		i = j + 1
	}
	return strings.Join(parts, "、")
}

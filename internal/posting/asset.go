package posting

import (
	"cmp"
	"slices"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
)

// Acquisition returns the voucher that brings asset a onto the books on
// date: Dr its cost account / Cr credit, its cost. credit is where the
// value came from: a bank or cash leaf or 211 for a purchase, 153 for
// completed construction; when empty it is 153 for construction, 311
// 公积公益金 for a donation or a transfer-in, and 102 otherwise. An asset
// formed from a fiscal project also moves the earmarked funds it used into
// the fund: Dr 241 / Cr 311. An existing asset is in the opening balances
// already: nil.
func Acquisition(a *register.Asset, date jiti.Date, credit string) *ledger.Voucher {
	return AcquisitionFrom(a, date, credit, AcctEarmarked, AcctFund)
}

// AcquisitionFrom is Acquisition for a chart with detail accounts under
// 241 (per fiscal project) or 311: earmarked and fund are the leaves to
// book the fiscal project's funds from and to.
func AcquisitionFrom(a *register.Asset, date jiti.Date, creditAccount, earmarked, fund string) *ledger.Voucher {
	if a.Source == register.Existing || a.Cost <= 0 {
		return nil
	}
	var summary, def string
	switch a.Source {
	case register.Purchase:
		summary, def = "购入", ledger.AcctBank
	case register.Construction:
		summary, def = "在建工程完工转入", AcctConstruction
	case register.FiscalProject:
		summary, def = "财政项目形成", ledger.AcctBank
	case register.Donation:
		summary, def = "接受捐赠", AcctFund
	case register.TransferIn:
		summary, def = "划入", AcctFund
	default:
		summary, def = "登记", ledger.AcctBank
	}
	summary += a.Name
	lines := []ledger.Line{
		debit(a.CostAccount, a.Cost, summary),
		credit(or(creditAccount, def), a.Cost, summary),
	}
	if a.Source == register.FiscalProject {
		s := "财政项目资金形成" + a.Name + "转入公积公益金"
		lines = append(lines, debit(or(earmarked, AcctEarmarked), a.Cost, s), credit(or(fund, AcctFund), a.Cost, s))
	}
	for i := range lines {
		lines[i].Asset = a.Code
	}
	return draft(a.CollectiveID, date, "资产登记 "+a.Code+" "+a.Name, lines)
}

// DepItem is one asset's depreciation of a month.
type DepItem struct {
	Asset  *register.Asset
	Amount jiti.Amount
}

// Depreciation returns the voucher of a collective's depreciation for
// month p, dated the month's last day: one credit per asset on its
// depreciation (or amortization) account, naming the asset, and the
// debits summed per expense account (401, 513, 514 or their leaves), each
// naming its asset when it sums only one. Items
// of zero are skipped; nil when nothing is due. A collective with more
// assets than a voucher has lines (ledger.MaxLines) needs its items in
// several calls.
func Depreciation(cid int64, p jiti.Period, items []DepItem) *ledger.Voucher {
	var due []DepItem
	for _, it := range items {
		if it.Asset != nil && it.Amount > 0 {
			due = append(due, it)
		}
	}
	if len(due) == 0 {
		return nil
	}
	slices.SortStableFunc(due, func(x, y DepItem) int { return cmp.Compare(x.Asset.Code, y.Asset.Code) })
	month := monthLabel(p)
	expenses := map[string]jiti.Amount{}
	expenseAssets := map[string][]string{} // the codes of the assets each expense line sums
	var words []string
	var credits []ledger.Line
	for _, it := range due {
		word := depWord(it.Asset)
		if !slices.Contains(words, word) {
			words = append(words, word)
		}
		expenses[it.Asset.ExpenseAccount] += it.Amount
		if codes := expenseAssets[it.Asset.ExpenseAccount]; !slices.Contains(codes, it.Asset.Code) {
			expenseAssets[it.Asset.ExpenseAccount] = append(codes, it.Asset.Code)
		}
		l := credit(it.Asset.DepAccount, it.Amount, "计提"+month+word+"—"+it.Asset.Name)
		l.Asset = it.Asset.Code
		credits = append(credits, l)
	}
	slices.Sort(words)
	summary := "计提" + month + words[0]
	if len(words) > 1 {
		summary = "计提" + month + "折旧及摊销"
	}
	var lines []ledger.Line
	for _, account := range sortedKeys(expenses) {
		l := debit(account, expenses[account], summary)
		if codes := expenseAssets[account]; len(codes) == 1 {
			l.Asset = codes[0]
		}
		lines = append(lines, l)
	}
	return draft(cid, p.Last(), summary, append(lines, credits...))
}

// depWord names what an asset's depreciation is called: intangible assets
// are amortized (摊销), the others depreciated (折旧).
func depWord(a *register.Asset) string {
	if a.Category == register.Intangible {
		return "摊销"
	}
	return "折旧"
}

func sortedKeys(m map[string]jiti.Amount) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// DisposalEntry is what a disposal books besides the asset's own accounts.
type DisposalEntry struct {
	Accumulated     jiti.Amount // accumulated depreciation, the opening depreciation and the month of disposal included
	Proceeds        jiti.Amount // what the sale or scrap brought
	ProceedsAccount string      // where it was received (bank, cash, 112)
	Costs           jiti.Amount // what the disposal cost (dismantling, transport)
	CostsAccount    string      // where it was paid from
	ClearingAccount string      // 154 or a leaf under it; "" for 154
	GainAccount     string      // 504 or a leaf under it; "" for 504
	LossAccount     string      // 515 or a leaf under it; "" for 515
}

// Disposal returns the voucher of the disposal of asset a on date (sale,
// scrapping, transfer), with its accumulated depreciation, what it brought
// and what it cost: see DisposalOf.
func Disposal(a *register.Asset, accumulated jiti.Amount, date jiti.Date, proceeds jiti.Amount, proceedsAccount string,
	costs jiti.Amount, costsAccount string) *ledger.Voucher {
	return DisposalOf(a, date, DisposalEntry{Accumulated: accumulated, Proceeds: proceeds, ProceedsAccount: proceedsAccount,
		Costs: costs, CostsAccount: costsAccount})
}

// DisposalOf returns the voucher of the disposal of asset a on date. A
// fixed asset goes through 154 固定资产清理: its net value in (Dr 152
// accumulated, Dr 154 net value / Cr 151 cost), the proceeds (Dr bank /
// Cr 154) and the costs (Dr 154 / Cr bank), then the net out of 154 to
// 504 as a gain or to 515 as a loss, so that 154 is back to zero for the
// asset in the same voucher. Biological and intangible assets, which are
// not fixed assets, book the same amounts without 154. Every line names
// the asset; lines of zero are left out.
func DisposalOf(a *register.Asset, date jiti.Date, d DisposalEntry) *ledger.Voucher {
	name := a.Name
	net := a.Cost - d.Accumulated
	gain := d.Proceeds - net - d.Costs
	gainAccount, lossAccount := or(d.GainAccount, AcctOtherIncome), or(d.LossAccount, AcctOtherExpense)
	var lines []ledger.Line
	add := func(l ledger.Line) {
		if l.Debit != 0 || l.Credit != 0 {
			l.Asset = a.Code
			lines = append(lines, l)
		}
	}
	if register.IsFixedAsset(a.Category) {
		clearing := or(d.ClearingAccount, AcctClearing)
		in := "处置" + name + "转入清理"
		add(debit(a.DepAccount, d.Accumulated, in))
		add(debit(clearing, net, in))
		add(credit(a.CostAccount, a.Cost, in))
		add(debit(d.ProceedsAccount, d.Proceeds, "收到处置"+name+"价款"))
		add(credit(clearing, d.Proceeds, "收到处置"+name+"价款"))
		add(debit(clearing, d.Costs, "支付"+name+"清理费用"))
		add(credit(d.CostsAccount, d.Costs, "支付"+name+"清理费用"))
		if gain > 0 {
			add(debit(clearing, gain, "结转处置"+name+"净收益"))
			add(credit(gainAccount, gain, "结转处置"+name+"净收益"))
		} else {
			add(debit(lossAccount, -gain, "结转处置"+name+"净损失"))
			add(credit(clearing, -gain, "结转处置"+name+"净损失"))
		}
	} else {
		s := "处置" + name
		add(debit(a.DepAccount, d.Accumulated, s))
		add(debit(d.ProceedsAccount, d.Proceeds, s+"收到价款"))
		add(credit(a.CostAccount, a.Cost, s))
		add(credit(d.CostsAccount, d.Costs, s+"支付费用"))
		if gain > 0 {
			add(credit(gainAccount, gain, s+"净收益"))
		} else {
			add(debit(lossAccount, -gain, s+"净损失"))
		}
	}
	return draft(a.CollectiveID, date, "资产处置 "+a.Code+" "+name, lines)
}

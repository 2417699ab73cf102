package posting_test

import (
	"testing"

	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
)

func TestReceipt(t *testing.T) {
	c := shopLease()
	insts, err := register.Schedule(c)
	if err != nil {
		t.Fatal(err)
	}
	// Paid on 2025-12-20: the rest of 2025 (7,000 of 12,000), all of 2026
	// in advance, and 500 more than owed... of the first two instalments.
	insts[0].Received = y("5000")
	alloc, err := register.Allocate(insts, d("2025-12-20"), y("19000"), register.AllocOptions{Advance: true})
	if err != nil {
		t.Fatal(err)
	}
	var parts []posting.ReceiptPart
	for _, part := range alloc.Parts {
		in := insts[part.No-1]
		parts = append(parts, posting.ReceiptPart{Instalment: in, Amount: part.Amount, Split: register.Recognize(c, in, part.Amount, d("2025-12-20"))})
	}
	v := posting.Receipt(c, parts, d("2025-12-20"), "10201", "21101", "112", 0)
	checkVoucher(t, v, 1)
	checkLines(t, v,
		line{"10201", y("19000"), 0, "收取租金（合同HT-2025-003第1至2期）"},
		line{"50101", 0, y("7000"), "收取租金（合同HT-2025-003第1至2期）"},
		line{"21101", 0, y("12000"), "预收以后年度租金（合同HT-2025-003第1至2期）"},
	)
	for _, l := range v.Lines {
		if l.Contract != "HT-2025-003" || l.Counterparty != "张三" {
			t.Errorf("line %d names %q %q", l.No, l.Contract, l.Counterparty)
		}
	}

	// An accrued instalment clears 112; an overpayment is held in 211.
	c.Accrue = true
	in := insts[2]
	in.Accrued = true
	part := posting.ReceiptPart{Instalment: in, Amount: y("12000"), Split: register.Recognize(c, in, y("12000"), d("2027-02-01"))}
	v = posting.Receipt(c, []posting.ReceiptPart{part}, d("2027-02-01"), "101", "21101", "", y("300"))
	checkVoucher(t, v, 1)
	checkLines(t, v,
		line{"101", y("12300"), 0, "收取租金（合同HT-2025-003第3期）"},
		line{"112", 0, y("12000"), "收回应收租金（合同HT-2025-003第3期）"},
		line{"21101", 0, y("300"), "多收租金待退（合同HT-2025-003）"},
	)
	// An overpayment alone, and nothing at all.
	checkVoucher(t, posting.Receipt(c, nil, d("2027-02-01"), "101", "21101", "112", y("50")), 1)
	if v := posting.Receipt(c, nil, d("2027-02-01"), "101", "21101", "112", 0); v != nil {
		t.Errorf("empty receipt: %s", dump(v))
	}
}

func TestAccrualAndRecognition(t *testing.T) {
	c := shopLease()
	c.Frequency, c.Start, c.End, c.Amount, c.Accrue = register.Once, d("2025-07-01"), d("2028-06-30"), y("90000"), true
	insts, err := register.Schedule(c)
	if err != nil {
		t.Fatal(err)
	}
	v := posting.Accrual(c, insts[0], d("2025-07-31"), "112", "21101")
	checkVoucher(t, v, 1)
	checkLines(t, v,
		line{"112", y("90000"), 0, "应收租金（合同HT-2025-003第1期）"},
		line{"50101", 0, y("15109.49"), "确认租金收入（合同HT-2025-003第1期）"},
		line{"21101", 0, y("74890.51"), "以后年度租金转入预收（合同HT-2025-003第1期）"},
	)
	paid := insts[0]
	paid.Received = paid.Amount
	if v := posting.Accrual(c, paid, d("2025-07-31"), "112", "21101"); v != nil {
		t.Errorf("accrual of a paid instalment: %s", dump(v))
	}

	// In 2026, the 2026 slice comes out of 211.
	amount := register.DeferredIn(insts[0], 2026, insts[0].Amount)
	v = posting.Recognition(c, 2026, amount, d("2026-01-31"), "21101")
	checkVoucher(t, v, 1)
	checkLines(t, v,
		line{"21101", y("29972.63"), 0, "结转2026年租金收入（合同HT-2025-003）"},
		line{"50101", 0, y("29972.63"), "结转2026年租金收入（合同HT-2025-003）"},
	)
	if v := posting.Recognition(c, 2026, 0, d("2026-01-31"), "21101"); v != nil {
		t.Error("recognition of nothing")
	}
}

func TestDepositAndRefund(t *testing.T) {
	c := shopLease()
	v := posting.Deposit(c, d("2024-12-20"), "10201", "21102", false)
	checkVoucher(t, v, 1)
	checkLines(t, v,
		line{"10201", y("3000"), 0, "收取履约保证金（合同HT-2025-003）"},
		line{"21102", 0, y("3000"), "收取履约保证金（合同HT-2025-003）"},
	)
	v = posting.Deposit(c, d("2028-01-05"), "10201", "21102", true)
	checkVoucher(t, v, 1)
	checkLines(t, v,
		line{"21102", y("3000"), 0, "退还履约保证金（合同HT-2025-003）"},
		line{"10201", 0, y("3000"), "退还履约保证金（合同HT-2025-003）"},
	)
	c.Deposit = 0
	if v := posting.Deposit(c, d("2024-12-20"), "10201", "21102", false); v != nil {
		t.Error("deposit of nothing")
	}
	v = posting.Refund(c, d("2027-02-10"), "101", "21101", y("300"))
	checkVoucher(t, v, 1)
	checkLines(t, v,
		line{"21101", y("300"), 0, "退还多收租金（合同HT-2025-003）"},
		line{"101", 0, y("300"), "退还多收租金（合同HT-2025-003）"},
	)
	if v := posting.Refund(c, d("2027-02-10"), "101", "21101", 0); v != nil {
		t.Error("refund of nothing")
	}
}

func TestIncomeWords(t *testing.T) {
	for kind, want := range map[register.ContractKind]string{
		register.Lease: "收取租金（合同X第1期）", register.Contracting: "收取承包费（合同X第1期）",
		register.Equity: "收取入股分红（合同X第1期）", register.Cooperation: "收取合作经营收益（合同X第1期）",
		register.Service: "收取服务费（合同X第1期）", register.Procurement: "收取合同款（合同X第1期）",
	} {
		c := shopLease()
		c.Kind, c.Code = kind, "X"
		in := register.Instalment{No: 1, DueOn: d("2025-01-01"), From: d("2025-01-01"), To: d("2025-12-31"), Amount: 100}
		v := posting.Receipt(c, []posting.ReceiptPart{{Instalment: in, Amount: 100, Split: register.Split{Income: 100}}}, d("2025-02-01"), "101", "21101", "112", 0)
		if v.Lines[0].Summary != want {
			t.Errorf("%s: %q, want %q", kind, v.Lines[0].Summary, want)
		}
	}
	// Runs of instalments.
	c := shopLease()
	var parts []posting.ReceiptPart
	for _, no := range []int{2, 3, 4, 7, 9, 10} {
		parts = append(parts, posting.ReceiptPart{Instalment: register.Instalment{No: no}, Amount: 1, Split: register.Split{Income: 1}})
	}
	v := posting.Receipt(c, parts, d("2025-02-01"), "101", "21101", "112", 0)
	if v.Lines[0].Summary != "收取租金（合同HT-2025-003第2至4、7、9至10期）" {
		t.Errorf("runs: %q", v.Lines[0].Summary)
	}
}

package disclose

import (
	"bytes"
	"errors"
	"regexp"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
)

func sample() *Source {
	d := jiti.MustDate
	return &Source{
		Code: "620422101001", Name: "新庄村股份经济合作社",
		Accounts: []ledger.Account{
			{Code: "501", Name: "经营收入", Class: ledger.Income}, {Code: "50101", Name: "租赁收入", Class: ledger.Income},
			{Code: "513", Name: "管理费用", Class: ledger.Expense}, {Code: "112", Name: "应收款", Class: ledger.Asset},
			{Code: "113", Name: "内部往来", Class: ledger.Asset}, {Code: "211", Name: "应付款", Class: ledger.Liability},
			{Code: "102", Name: "银行存款", Class: ledger.Asset},
		},
		Households: map[string]string{"H001": "王大山", "H002": "李秀英"},
		Entries: []Entry{
			{Date: d("2025-02-10"), Number: 3, Line: ledger.Line{Account: "50101", Credit: 120000, Summary: "收仓库租金", Contract: "HT-1"}},
			{Date: d("2025-01-05"), Number: 1, Line: ledger.Line{Account: "513", Debit: 3050, Summary: "办公用品 转账至卡号6222021234567890123"}},
			{Date: d("2025-04-01"), Number: 1, Line: ledger.Line{Account: "513", Debit: 999, Summary: "next quarter"}},
			{Date: d("2025-03-31"), Number: 9, Line: ledger.Line{Account: "102", Debit: 5000, Summary: "not a result account"}},
		},
		Movements: []Movement{
			{Period: 0, Account: "112", Counterparty: "", Debit: 10000},
			{Period: jiti.MustPeriod("2025-02"), Account: "112", Counterparty: "兴农公司", Debit: 50000},
			{Period: jiti.MustPeriod("2025-03"), Account: "112", Counterparty: "兴农公司", Credit: 20000},
			{Period: jiti.MustPeriod("2025-03"), Account: "113", Household: "H001", Debit: 700},
			{Period: jiti.MustPeriod("2025-03"), Account: "113", Household: "H002", Credit: 300},
			{Period: jiti.MustPeriod("2025-03"), Account: "211", Counterparty: "施工队", Credit: 8000},
			{Period: jiti.MustPeriod("2025-05"), Account: "211", Counterparty: "施工队", Debit: 8000},
		},
		Assets: []register.Asset{
			{ID: 1, Code: "ZC-1", Name: "仓库", Category: "building", Status: register.LeasedOut, Cost: 1000000, AcquiredOn: d("2020-01-01"), OpeningDepreciation: 100000},
			{ID: 2, Code: "ZC-2", Name: "later", Cost: 5, AcquiredOn: d("2025-05-01")},
		},
		History: map[int64][]register.StatusChange{1: {{AssetID: 1, Date: d("2025-06-01"), From: register.Idle, To: register.LeasedOut}}},
		Depreciation: map[int64]map[jiti.Period]jiti.Amount{1: {
			jiti.MustPeriod("2025-01"): 1000, jiti.MustPeriod("2025-03"): 1000, jiti.MustPeriod("2025-04"): 1000}},
		Resources: []register.Resource{{ID: 7, Code: "ZY-1", Name: "东坡地", Kind: register.Cultivated, Area: 12050, Use: register.ResourceLeased}},
		Contracts: []*register.Contract{
			{ID: 5, Code: "HT-1", Name: "仓库租赁", Kind: register.Lease, Status: register.InForce,
				Party:    register.Party{Name: "兴农公司", Phone: "13912345678", USCC: "91620422MA71234567"},
				Subjects: []register.Subject{{AssetID: 1}, {ResourceID: 7, Area: 500}}, Start: d("2024-01-01"), End: d("2026-12-31"), Amount: 3600000},
			{ID: 6, Code: "HT-2", Name: "采购", Kind: register.Procurement, Status: register.InForce, Start: d("2024-01-01"), End: d("2026-12-31")},
		},
		Receipts: []Receipt{{ContractID: 5, Date: d("2025-02-10"), Amount: 120000}, {ContractID: 5, Date: d("2024-12-31"), Amount: 1}},
		Chain:    Chain{Seq: 42, Hash: "ab"},
	}
}

func TestBuild(t *testing.T) {
	p, err := ParsePeriod("2025Q1")
	if err != nil {
		t.Fatal(err)
	}
	s := Build(sample(), p, Version{Number: 1})
	if len(s.Items) != 2 || s.Items[0].Date != "2025-01-05" || s.Items[1].Amount != 120000 {
		t.Fatalf("items %+v", s.Items)
	}
	if s.Income != 120000 || s.Expense != 3050 || len(s.Totals) != 2 || s.Totals[0].Account != "50101" {
		t.Errorf("income %d expense %d totals %+v", s.Income, s.Expense, s.Totals)
	}
	if len(s.Assets) != 1 || s.Assets[0].Net != 1000000-100000-2000 || s.Assets[0].Status != string(register.Idle) {
		t.Errorf("assets %+v", s.Assets)
	}
	if len(s.Contracts) != 1 || s.Contracts[0].Earned != 120000 || s.Contracts[0].Received != 120000 ||
		s.Contracts[0].Subject != "仓库、东坡地 5.00亩" || len(s.Contracts[0].Assets) != 1 || s.Contracts[0].Assets[0] != "ZC-1" {
		t.Errorf("contracts %+v", s.Contracts)
	}
	want := []Balance{{"112", "应收款", "", "", 10000}, {"112", "应收款", "兴农公司", "", 30000}, {"113", "内部往来", "王大山", "H001", 700}}
	if len(s.Claims) != 3 || s.Claims[0] != want[0] || s.Claims[1] != want[1] || s.Claims[2] != want[2] {
		t.Errorf("claims %+v", s.Claims)
	}
	if len(s.Debts) != 2 || s.Debts[0].Party != "李秀英" || s.Debts[0].Amount != 300 || s.Debts[1].Amount != 8000 {
		t.Errorf("debts %+v", s.Debts)
	}
	// Q2: the payable is settled, the next quarter's expense is in.
	q2, _ := ParsePeriod("2025Q2")
	s2 := Build(sample(), q2, Version{Number: 1})
	if len(s2.Debts) != 1 || s2.Expense != 999 || len(s2.Assets) != 2 || s2.Assets[0].Status != string(register.LeasedOut) {
		t.Errorf("Q2: debts %+v expense %d assets %+v", s2.Debts, s2.Expense, s2.Assets)
	}
}

// TestNothingUnpublished: no identity number, phone, bank account or
// unified code of a party reaches the canonical form.
func TestNothingUnpublished(t *testing.T) {
	p, _ := ParsePeriod("2025Q1")
	b := Build(sample(), p, Version{Number: 1}).Canonical()
	for _, leak := range []string{"13912345678", "91620422MA71234567", "6222021234567890123"} {
		if bytes.Contains(b, []byte(leak)) {
			t.Errorf("canonical form holds %s", leak)
		}
	}
	if !bytes.Contains(b, []byte("***************0123")) {
		t.Errorf("masked account missing: %s", b)
	}
	// The collective's code (a 12-digit region code and a number) is public.
	if regexp.MustCompile(`\d{11,}`).Match(bytes.ReplaceAll(b, []byte("620422101001"), nil)) {
		t.Errorf("long digit run in %s", b)
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"身份证620422199001011234付款": "身份证**************1234付款",
		"62042219900101123X":      "**************123X",
		"电话13912345678":           "电话*******5678",
		"2025年3月第1234567890号":     "2025年3月第1234567890号", // ten digits: kept
		"":                        "",
	} {
		if got := mask(in); got != want {
			t.Errorf("mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalParse(t *testing.T) {
	p, _ := ParsePeriod("2025Q1")
	s := Build(sample(), p, Version{Number: 2, Replaces: 1, Reason: "补记一笔支出"})
	b := s.Canonical()
	if Hash(b) != Hash(Build(sample(), p, Version{Number: 2, Replaces: 1, Reason: "补记一笔支出"}).Canonical()) {
		t.Fatal("hash not stable")
	}
	got, err := Parse(b)
	if err != nil || got.Reason != "补记一笔支出" || got.Chain.Seq != 42 {
		t.Fatalf("parse: %v %+v", err, got)
	}
	// A changed amount whose total was not changed along.
	bad := bytes.Replace(b, []byte(`"amount":120000`), []byte(`"amount":12000`), 1)
	if _, err := Parse(bad); !errors.Is(err, ErrTotals) {
		t.Errorf("tampered item: %v", err)
	}
	// Spaces added: the same content, not the canonical form.
	if _, err := Parse(append([]byte(" "), b...)); !errors.Is(err, ErrNotCanonical) {
		t.Errorf("spaced: %v", err)
	}
	if _, err := Parse([]byte(`{"format":"x"}`)); !errors.Is(err, ErrFormat) {
		t.Errorf("format: %v", err)
	}
	if _, err := Parse([]byte(`{"phone":"1"}`)); !errors.Is(err, ErrNotSnapshot) {
		t.Errorf("unknown field: %v", err)
	}
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]string{"2025Q1": "2025Q1", "2025q4": "2025Q4", "2025-03": "2025-03"} {
		p, err := ParsePeriod(in)
		if err != nil || p.Key() != want {
			t.Errorf("%s: %v %v", in, p.Key(), err)
		}
	}
	q, _ := ParsePeriod("2025Q3")
	if q.From != jiti.MustPeriod("2025-07") || q.To != jiti.MustPeriod("2025-09") || QuarterOf(jiti.MustPeriod("2025-08")) != q {
		t.Errorf("Q3 = %+v", q)
	}
	for _, bad := range []string{"2025Q5", "2025Q", "Q1", "2025-13", "", "2025Q12"} {
		if _, err := ParsePeriod(bad); !errors.Is(err, ErrPeriod) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := NewMatter(jiti.MustPeriod("2025-03"), jiti.MustPeriod("2025-01"), "征地补偿"); !errors.Is(err, ErrPeriod) {
		t.Errorf("reversed matter: %v", err)
	}
	m, err := NewMatter(jiti.MustPeriod("2025-01"), jiti.MustPeriod("2025-06"), " 征地补偿 ")
	if err != nil || m.Key() != "2025-01~2025-06 征地补偿" {
		t.Errorf("matter %v %v", m.Key(), err)
	}
}

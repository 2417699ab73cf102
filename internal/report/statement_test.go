package report_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
)

// layout returns a statement layout with one numbered line per formula,
// numbered from 1.
func layout(formulas ...string) []byte {
	type line struct {
		No      int    `json:"no"`
		Label   string `json:"label"`
		LabelEN string `json:"label_en"`
		Formula string `json:"formula"`
	}
	s := struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		TitleEN string `json:"title_en"`
		Lines   []line `json:"lines"`
	}{ID: "t", Title: "测试", TitleEN: "Test"}
	for i, f := range formulas {
		s.Lines = append(s.Lines, line{No: i + 1, Label: fmt.Sprintf("第%d行", i+1), LabelEN: fmt.Sprintf("Line %d", i+1), Formula: f})
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestParseStatementErrors(t *testing.T) {
	tests := []struct {
		name     string
		formulas []string
		wantErr  error
	}{
		{"empty", []string{"  "}, report.ErrLayout},
		{"name only", []string{"bal"}, report.ErrFormulaSyntax},
		{"no code", []string{"bal:"}, report.ErrFormulaSyntax},
		{"letters in code", []string{"bal:abc"}, report.ErrFormulaSyntax},
		{"unknown function", []string{"foo:101"}, report.ErrFormulaSyntax},
		{"missing operator", []string{"bal:101 bal:102"}, report.ErrFormulaSyntax},
		{"trailing operator", []string{"bal:101 +"}, report.ErrFormulaSyntax},
		{"double operator", []string{"bal:101 + - bal:102"}, report.ErrFormulaSyntax},
		{"split without colon", []string{"bal+101"}, report.ErrFormulaSyntax},
		{"code too long", []string{"bal:1234567890"}, report.ErrFormulaSyntax},
		{"line without number", []string{"L"}, report.ErrFormulaSyntax},
		{"line zero", []string{"L0"}, report.ErrFormulaSyntax},
		{"lower-case line", []string{"l1"}, report.ErrFormulaSyntax},
		{"multiplication", []string{"bal:101 * 2"}, report.ErrFormulaSyntax},
		{"unknown line", []string{"bal:101", "L1 + L3"}, report.ErrFormulaLine},
		{"self reference", []string{"L1"}, report.ErrFormulaCycle},
		{"cycle", []string{"L2", "L3", "L1 + bal:101"}, report.ErrFormulaCycle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := report.ParseStatement(layout(tt.formulas...))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseStatement(%q) error = %v, want %v", tt.formulas, err, tt.wantErr)
			}
		})
	}
}

func TestParseStatementLayoutErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
	}{
		{"not json", `{`},
		{"unknown field", `{"id":"t","title":"测试","title_en":"Test","lines":[{"no":1,"label":"a","label_en":"a","fomula":"bal:101"}]}`},
		{"no title", `{"id":"t","lines":[]}`},
		{"no english label", `{"id":"t","title":"测试","title_en":"Test","lines":[{"no":1,"label":"a","formula":"bal:101"}]}`},
		{"duplicate number", `{"id":"t","title":"测试","title_en":"Test","lines":[{"no":1,"label":"a","label_en":"a","formula":"bal:101"},{"no":1,"label":"b","label_en":"b","formula":"bal:102"}]}`},
		{"heading with formula", `{"id":"t","title":"测试","title_en":"Test","lines":[{"label":"a","label_en":"a","formula":"bal:101"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := report.ParseStatement([]byte(tt.json)); !errors.Is(err, report.ErrLayout) {
				t.Fatalf("ParseStatement error = %v, want %v", err, report.ErrLayout)
			}
		})
	}
	bad := `{"id":"t","title":"测试","title_en":"Test","lines":[{"no":1,"label":"a","label_en":"a","formula":"bal:101"}],"checks":[{"left":1,"right":2}]}`
	if _, err := report.ParseStatement([]byte(bad)); !errors.Is(err, report.ErrFormulaLine) {
		t.Fatalf("check on a missing line: error = %v, want %v", err, report.ErrFormulaLine)
	}
}

func TestEmbeddedStatementsParse(t *testing.T) {
	for _, s := range []*report.Statement{report.BalanceSheet(), report.IncomeStatement()} {
		if err := s.CheckAccounts(ledger.StandardAccounts()); err != nil {
			t.Errorf("%s: CheckAccounts: %v", s.ID, err)
		}
		seen := map[int]bool{}
		for _, l := range s.Lines {
			if l.No > 0 && seen[l.No] {
				t.Errorf("%s: line %d twice", s.ID, l.No)
			}
			seen[l.No] = true
		}
	}
	if got := report.BalanceSheet().Line(36).Label; got != "未分配收益" {
		t.Errorf("balance sheet line 36 = %q, want 未分配收益", got)
	}
}

func TestCheckAccounts(t *testing.T) {
	s, err := report.ParseStatement(layout("bal:101", "bal:5", "bal:1019"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckAccounts(ledger.StandardAccounts()); !errors.Is(err, report.ErrFormulaAccount) {
		t.Fatalf("CheckAccounts error = %v, want %v", err, report.ErrFormulaAccount)
	}
}

// handSnapshot is a column with bank detail accounts of both signs,
// households on both sides of 113, and some turnover.
func handSnapshot() *report.Snapshot {
	a := jiti.Yuan
	return &report.Snapshot{
		Heading: report.HeadingPeriodEnd,
		Balance: map[string]jiti.Amount{
			"101": a(100), "10201": a(200), "10202": a(-50), "113": a(300),
			"211": a(-1000), "50101": a(-600), "50102": a(-100), "511": a(250),
		},
		Split: map[string][2]jiti.Amount{"113": {a(500), a(200)}},
		Turnover: map[string][2]jiti.Amount{
			"50101": {a(10), a(610)}, "50102": {0, a(100)}, "511": {a(250), 0},
		},
		YearStart: map[string]jiti.Amount{"32202": a(-400)},
	}
}

func TestFormulaEvaluate(t *testing.T) {
	a := jiti.Yuan
	tests := []struct {
		name     string
		formulas []string // the value of the last line is checked
		want     jiti.Amount
	}{
		{"leaf", []string{"bal:101"}, a(100)},
		{"roll-up", []string{"bal:102"}, a(150)},
		{"class prefix", []string{"bal:1"}, a(550)},
		{"income and expense", []string{"bal:5"}, a(-450)},
		{"credit shown positive", []string{"-bal:211"}, a(1000)},
		{"unicode minus", []string{"bal:101 − bal:102"}, a(-50)},
		{"no spaces", []string{"bal:101+bal:102-bal:113"}, a(-50)},
		{"debit part by leaf", []string{"bal+:102"}, a(200)},
		{"credit part by leaf", []string{"bal-:102"}, a(50)},
		{"debit part by household", []string{"bal+:113"}, a(500)},
		{"credit part by household", []string{"bal-:113"}, a(200)},
		{"parts net to balance", []string{"bal+:1 - bal-:1 - bal:1"}, 0},
		{"debit turnover", []string{"dr:501"}, a(10)},
		{"credit turnover", []string{"cr:501"}, a(710)},
		{"net credit turnover", []string{"cr:501 - dr:501"}, a(700)},
		{"year start", []string{"-ybal:32202"}, a(400)},
		{"absent account", []string{"bal:121"}, 0},
		{"line references", []string{"bal:101", "bal:102", "L1 + L2 - L1"}, a(150)},
		{"forward reference", []string{"L2 + L3", "bal:101", "bal:113", "L1"}, a(400)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := report.ParseStatement(layout(tt.formulas...))
			if err != nil {
				t.Fatalf("ParseStatement: %v", err)
			}
			r, err := s.Evaluate(handSnapshot())
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if got := r.Value(len(tt.formulas), 0); got != tt.want {
				t.Errorf("%q = %v, want %v", tt.formulas, got, tt.want)
			}
		})
	}
}

func TestFormulaSplitAbsent(t *testing.T) {
	// Without sub-ledger figures, 113 counts whole on the side of its sign.
	snap := handSnapshot()
	snap.Split = nil
	s, err := report.ParseStatement(layout("bal+:113", "bal-:113"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Evaluate(snap)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Value(1, 0), jiti.Yuan(300); got != want {
		t.Errorf("bal+:113 = %v, want %v", got, want)
	}
	if got := r.Value(2, 0); got != 0 {
		t.Errorf("bal-:113 = %v, want 0", got)
	}
}

func TestEvaluateErrors(t *testing.T) {
	tests := []struct {
		name    string
		formula string
		edit    func(*report.Snapshot)
		wantErr error
	}{
		{"split not matching balance", "bal+:113", func(s *report.Snapshot) { s.Split["113"] = [2]jiti.Amount{500, 100} }, report.ErrSplitMismatch},
		{"negative split part", "bal-:113", func(s *report.Snapshot) { s.Split["113"] = [2]jiti.Amount{-100, -30100} }, report.ErrSplitMismatch},
		{"no turnover", "cr:501", func(s *report.Snapshot) { s.Turnover = nil }, report.ErrSnapshotMissing},
		{"no year start", "ybal:32202", func(s *report.Snapshot) { s.YearStart = nil }, report.ErrSnapshotMissing},
		{"no balance", "bal:101", func(s *report.Snapshot) { s.Balance = nil }, report.ErrSnapshotMissing},
		{"overflow", "bal:101 + bal:102", func(s *report.Snapshot) {
			s.Balance["101"], s.Balance["10201"] = jiti.MaxAmount, jiti.MaxAmount
		}, jiti.ErrAmountOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := report.ParseStatement(layout(tt.formula))
			if err != nil {
				t.Fatal(err)
			}
			snap := handSnapshot()
			tt.edit(snap)
			if _, err := s.Evaluate(snap); !errors.Is(err, tt.wantErr) {
				t.Fatalf("Evaluate error = %v, want %v", err, tt.wantErr)
			}
		})
	}
	// A statement that needs no turnover accepts a snapshot without it.
	s, _ := report.ParseStatement(layout("bal:101"))
	snap := handSnapshot()
	snap.Turnover, snap.YearStart = nil, nil
	if _, err := s.Evaluate(snap); err != nil {
		t.Fatalf("balance-only statement: %v", err)
	}
}

// handMoves is a tiny set of books, by hand: opening balances, a year of
// income and expenses (households on 113 on both sides) and distributions.
func handMoves() []ledger.Movement {
	a := jiti.Yuan
	return []ledger.Movement{
		{Account: "101", Period: ledger.OpeningPeriod, Debit: a(1000)},
		{Account: "113", Period: ledger.OpeningPeriod, Debit: a(300), Credit: a(100)},
		{Account: "301", Period: ledger.OpeningPeriod, Credit: a(1100)},
		{Account: "32202", Period: ledger.OpeningPeriod, Credit: a(100)},
		{Account: "101", Period: 202502, Debit: a(500), Credit: a(80)},
		{Account: "501", Period: 202502, Credit: a(500)},
		{Account: "513", Period: 202502, Debit: a(80)},
		{Account: "101", Period: 202511, Debit: a(200)},
		{Account: "113", Period: 202511, Credit: a(200)},
		{Account: "3220102", Period: 202512, Debit: a(150)},
		{Account: "211", Period: 202512, Credit: a(150)},
	}
}

func TestBalanceSheetBalancesBeforeAndAfterClosing(t *testing.T) {
	a := jiti.Yuan
	moves := handMoves()
	// The households of 113: at the start one owes 300 and one is owed 100;
	// in November the first pays 200.
	splits := func(p jiti.Period) map[string][2]jiti.Amount {
		if p >= 202511 {
			return map[string][2]jiti.Amount{"113": {a(100), a(100)}}
		}
		return map[string][2]jiti.Amount{"113": {a(300), a(100)}}
	}
	bs := report.BalanceSheet()
	for p := jiti.Period(202501); p <= 202512; p = p.Next() {
		r, err := bs.Evaluate(report.NewSnapshot(report.HeadingPeriodEnd, p, p, moves, nil, splits(p)))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !r.OK() {
			t.Errorf("%s before closing: 资产总计 %v ≠ 负债和所有者权益总计 %v", p, r.Value(22, 0), r.Value(38, 0))
		}
	}

	// Close the year by hand with ledger.YearEndClosing and post the
	// closing vouchers as December movements.
	chart := ledger.NewChart(ledger.StandardAccounts())
	var closing []ledger.Movement
	for _, v := range ledger.YearEndClosing(2025, chart, ledger.NetBalances(moves, 202512), 1) {
		for _, l := range v.Lines {
			closing = append(closing, ledger.Movement{Account: l.Account, Period: 202512, Debit: l.Debit, Credit: l.Credit})
		}
	}
	before, err := bs.Evaluate(report.NewSnapshot(report.HeadingPeriodEnd, 202512, 202512, moves, nil, splits(202512)))
	if err != nil {
		t.Fatal(err)
	}
	after, err := bs.Evaluate(report.NewSnapshot(report.HeadingPeriodEnd, 202512, 202512,
		append(append([]ledger.Movement(nil), moves...), closing...), closing, splits(202512)))
	if err != nil {
		t.Fatal(err)
	}
	if !after.OK() {
		t.Errorf("after closing: 资产总计 %v ≠ 负债和所有者权益总计 %v", after.Value(22, 0), after.Value(38, 0))
	}
	for _, tt := range []struct {
		line int
		name string
		want jiti.Amount
	}{
		{1, "货币资金", a(1620)},
		{3, "应收款项 (households that owe)", a(100)},
		{22, "资产总计", a(1720)},
		{24, "应付款项 (211 and households owed)", a(250)},
		{28, "流动负债合计", a(250)},
		{33, "负债合计", a(250)},
		{34, "资本", a(1100)},
		// 100 at the start + 500 − 80 − 150 distributed.
		{36, "未分配收益", a(370)},
		{38, "负债和所有者权益总计", a(1720)},
	} {
		if got := before.Value(tt.line, 0); got != tt.want {
			t.Errorf("before closing, line %d %s = %v, want %v", tt.line, tt.name, got, tt.want)
		}
		if got := after.Value(tt.line, 0); got != tt.want {
			t.Errorf("after closing, line %d %s = %v, want %v", tt.line, tt.name, got, tt.want)
		}
	}
}

func TestBalanceSheetUnbalanced(t *testing.T) {
	// Figures that do not balance (a one-sided movement) are reported per
	// column, not hidden.
	snap := report.NewSnapshot(report.HeadingPeriodEnd, 202501, 202501,
		[]ledger.Movement{{Account: "101", Period: 202501, Debit: 100}}, nil, nil)
	ok := report.NewSnapshot(report.HeadingYearStart, 202501, 202412, nil, nil, nil)
	r, err := report.BalanceSheet().Evaluate(ok, snap)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Balanced, []bool{true, false}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Balanced = %v, want %v", got, want)
	}
	if r.OK() {
		t.Error("OK() = true, want false")
	}
}

func TestSampleBalanceSheetEveryMonth(t *testing.T) {
	open := sampleBooks(t, false)
	for p := jiti.Period(202501); p <= 202512; p = p.Next() {
		r, err := report.BalanceSheet().Evaluate(open.snapshot(report.HeadingPeriodEnd, p.YearStart(), p))
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK() {
			t.Errorf("%s: 资产总计 %v ≠ 负债和所有者权益总计 %v", p, r.Value(22, 0), r.Value(38, 0))
		}
	}
	closed := sampleBooks(t, true)
	r, err := report.BalanceSheet().Evaluate(closed.snapshot(report.HeadingPeriodEnd, 202501, 202512))
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Errorf("after closing: 资产总计 %v ≠ 负债和所有者权益总计 %v", r.Value(22, 0), r.Value(38, 0))
	}
	// After closing 未分配收益 is the credit balance of 32202 alone.
	if got, want := r.Value(36, 0), jiti.Yuan(104280); got != want {
		t.Errorf("未分配收益 = %v, want %v", got, want)
	}
	// 113 is split: 王桂兰 owes 1,000, 李秀英 is owed 2,300.
	if got, want := r.Value(3, 0), jiti.Yuan(12000+1000); got != want {
		t.Errorf("应收款项 = %v, want %v", got, want)
	}
	if got, want := r.Value(24, 0), jiti.Yuan(8600+20000+2300); got != want {
		t.Errorf("应付款项 = %v, want %v", got, want)
	}
}

func TestIncomeStatement(t *testing.T) {
	want := map[int]int64{
		1: 61800, 2: 0, 3: 0, 4: 600, 5: 2820, 6: 58380,
		7: 35000, 8: 0, 9: 18600, 10: 300, 11: 74480, 12: 0, 13: 74480,
		14: 52800, 15: 5000, 16: 132280, 17: 8000, 18: 20000, 19: 0, 20: 104280,
	}
	for _, closed := range []bool{false, true} {
		b := sampleBooks(t, closed)
		r, err := report.IncomeStatement().Evaluate(b.snapshot(report.HeadingThisYear, 202501, 202512))
		if err != nil {
			t.Fatal(err)
		}
		for no, yuan := range want {
			if got := r.Value(no, 0); got != jiti.Yuan(yuan) {
				t.Errorf("closed=%v: line %d %s = %v, want %v", closed, no,
					report.IncomeStatement().Line(no).Label, got, jiti.Yuan(yuan))
			}
		}
		if closed {
			// 年末未分配收益 agrees with the books after closing.
			net := ledger.NetBalances(b.moves(), 202512)
			if got, want := r.Value(20, 0), -net[ledger.AcctUndistributed]; got != want {
				t.Errorf("年末未分配收益 %v ≠ credit balance of 32202 %v", got, want)
			}
		}
	}
}

func TestIncomeStatementOtherDistributions(t *testing.T) {
	// A detail account a collective adds under 各项分配 counts in 其他, so the
	// statement still reconciles.
	a := jiti.Yuan
	snap := &report.Snapshot{
		Heading: report.HeadingThisYear,
		Turnover: map[string][2]jiti.Amount{
			"3220101": {a(10), 0}, "3220103": {a(20), 0}, "3220104": {a(5), a(1)}, "32202": {a(2), a(7)},
		},
		YearStart: map[string]jiti.Amount{},
	}
	r, err := report.IncomeStatement().Evaluate(snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		line int
		want jiti.Amount
	}{{15, a(5)}, {17, a(10)}, {18, 0}, {19, a(24)}, {20, a(5 - 10 - 24)}} {
		if got := r.Value(tt.line, 0); got != tt.want {
			t.Errorf("line %d = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestNewSnapshot(t *testing.T) {
	a := jiti.Yuan
	moves := []ledger.Movement{
		{Account: "501", Period: ledger.OpeningPeriod, Credit: a(7)},
		{Account: "501", Period: 202412, Credit: a(3)},
		{Account: "501", Period: 202503, Debit: a(1), Credit: a(50)},
		{Account: "501", Period: 202512, Debit: a(49)},
		{Account: "501", Period: 202601, Credit: a(9)},
	}
	closing := []ledger.Movement{{Account: "501", Period: 202512, Debit: a(49)}}
	s := report.NewSnapshot(report.HeadingThisYear, 202501, 202512, moves, closing, nil)
	if got, want := s.Balance["501"], a(-10); got != want {
		t.Errorf("Balance = %v, want %v", got, want)
	}
	if got, want := s.Turnover["501"], [2]jiti.Amount{a(1), a(50)}; got != want {
		t.Errorf("Turnover = %v, want %v", got, want)
	}
	if got, want := s.YearStart["501"], a(-10); got != want {
		t.Errorf("YearStart = %v, want %v", got, want)
	}
}

func TestStatementJSON(t *testing.T) {
	s, err := report.ParseStatement(layout("bal:101", "-bal:211"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Evaluate(handSnapshot())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"t","title":"测试","title_en":"Test","columns":["report.col.end_balance"],"lines":[` +
		`{"no":1,"label":"第1行","label_en":"Line 1","values":["100.00"]},` +
		`{"no":2,"label":"第2行","label_en":"Line 2","values":["1000.00"]}],"balanced":[true]}`
	if string(b) != want {
		t.Errorf("json.Marshal =\n%s\nwant\n%s", b, want)
	}
}

// FuzzFormula checks that no formula text makes parsing or evaluation panic,
// and that a formula that parses evaluates.
func FuzzFormula(f *testing.F) {
	for _, s := range []string{"bal:101 + bal:102", "-bal:201", "bal+:113", "bal-:1", "cr:501 − dr:501",
		"ybal:32202", "L1", "bal:", "bal+-:1", "L99999999999999999999", "  +dr:5  -  cr:5 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, formula string) {
		s, err := report.ParseStatement(layout("bal:101", formula))
		if err != nil {
			return
		}
		if _, err := s.Evaluate(handSnapshot()); err != nil {
			t.Errorf("Evaluate(%q): %v", formula, err)
		}
	})
}

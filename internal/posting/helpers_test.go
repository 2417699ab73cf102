package posting_test

import (
	"slices"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
)

var (
	d = jiti.MustDate
	p = jiti.MustPeriod
	y = jiti.MustAmount
)

// testBooks returns books opened 2024-01-01 on the standard chart with the
// detail accounts a village adds: a bank account, two kinds of operating
// revenue, 211 split into income received in advance and deposits held,
// and a building account under 151. Parents lose their leaf flag, as the
// store does.
func testBooks() *ledger.Books {
	accts := ledger.StandardAccounts()
	for _, a := range []struct{ parent, code, name string }{
		{"102", "10201", "农商银行基本户"},
		{"501", "50101", "租赁收入"},
		{"501", "50102", "发包收入"},
		{"211", "21101", "预收款项"},
		{"211", "21102", "保证金"},
		{"151", "15101", "房屋及建筑物"},
		{"151", "15102", "机械设备"},
	} {
		chart := ledger.NewChart(accts)
		dt, err := ledger.NewDetailAccount(chart[a.parent], a.code, a.name, false)
		if err != nil {
			panic(err)
		}
		chart[a.parent].Leaf = false
		accts = append(accts, dt)
	}
	return &ledger.Books{OpenedOn: d("2024-01-01"), Chart: ledger.NewChart(accts)}
}

// checkVoucher checks that v is valid (checkValid) and that its every
// line names the asset or contract it concerns.
func checkVoucher(t *testing.T, v *ledger.Voucher, cid int64) {
	t.Helper()
	checkValid(t, v, cid)
	for i, l := range v.Lines {
		if l.Asset == "" && l.Contract == "" {
			t.Errorf("line %d names nothing: %+v", i+1, l)
		}
	}
}

// checkValid checks that v is a balanced draft of collective cid that
// ledger.Validate accepts.
func checkValid(t *testing.T, v *ledger.Voucher, cid int64) {
	t.Helper()
	if v == nil {
		t.Fatal("no voucher")
	}
	if err := ledger.Validate(v, testBooks()); err != nil {
		t.Fatalf("ledger.Validate: %v\n%s", err, dump(v))
	}
	if v.Kind != ledger.Normal || v.Status != ledger.Draft || v.CollectiveID != cid || v.Period != v.Date.Period() || v.Note == "" {
		t.Errorf("header: kind %s status %s collective %d period %s date %s note %q", v.Kind, v.Status, v.CollectiveID, v.Period, v.Date, v.Note)
	}
	for i, l := range v.Lines {
		if l.No != i+1 {
			t.Errorf("line %d numbered %d", i+1, l.No)
		}
	}
}

// net returns the debit minus the credit of v on account (and, if asset is
// given, of that asset's lines only).
func net(v *ledger.Voucher, account, asset string) jiti.Amount {
	var n jiti.Amount
	for _, l := range v.Lines {
		if l.Account == account && (asset == "" || l.Asset == asset) {
			n += l.Net()
		}
	}
	return n
}

// line describes a voucher line for comparisons: account, debit, credit,
// summary.
type line struct {
	Account       string
	Debit, Credit jiti.Amount
	Summary       string
}

func linesOf(v *ledger.Voucher) []line {
	var out []line
	for _, l := range v.Lines {
		out = append(out, line{l.Account, l.Debit, l.Credit, l.Summary})
	}
	return out
}

func checkLines(t *testing.T, v *ledger.Voucher, want ...line) {
	t.Helper()
	if got := linesOf(v); !slices.Equal(got, want) {
		t.Errorf("lines:\n%s\nwant:\n%v", dump(v), want)
	}
}

func dump(v *ledger.Voucher) string {
	s := v.Date.String() + " " + v.Note + "\n"
	for _, l := range v.Lines {
		s += "  " + l.Account + " Dr " + l.Debit.String() + " Cr " + l.Credit.String() + " " + l.Summary + " [" + l.Asset + l.Contract + "]\n"
	}
	return s
}

// tractor is a machine bought 2025-03-15 for 100,000.01, 37 months, 3 %
// residual, charged to production.
func tractor() *register.Asset {
	a := &register.Asset{ID: 7, CollectiveID: 1, Code: "ZC-2025-001", Name: "拖拉机", Category: register.Machinery,
		Nature: register.Operating, Use: register.ForProduction, AcquiredOn: d("2025-03-15"), Source: register.Purchase,
		Cost: y("100000.01"), LifeMonths: 37, ResidualRate: 300, CostAccount: "15102"}
	a.Normalize()
	if err := a.Validate(); err != nil {
		panic(err)
	}
	return a
}

// shopLease is a shopfront leased for 2025-2027 at 36,000 paid yearly,
// income to 50101.
func shopLease() *register.Contract {
	c := &register.Contract{ID: 3, CollectiveID: 1, Code: "HT-2025-003", Name: "门面租赁", Kind: register.Lease,
		Party: register.Party{Kind: register.Person, Name: "张三"}, Subjects: []register.Subject{{AssetID: 7}},
		Start: d("2025-01-01"), End: d("2027-12-31"), Amount: y("36000"), Frequency: register.Yearly, Deposit: y("3000"),
		IncomeAccount: "50101", Award: register.Negotiation, ResolutionRef: "2024-12", Status: register.InForce, SignedOn: d("2024-12-20")}
	c.Normalize()
	if err := c.Validate(); err != nil {
		panic(err)
	}
	return c
}

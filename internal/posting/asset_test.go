package posting_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
)

func TestAcquisition(t *testing.T) {
	cost := y("100000.01")
	tests := []struct {
		name   string
		source register.Source
		credit string
		want   []line
	}{
		{"purchase from the bank", register.Purchase, "10201", []line{
			{"15102", cost, 0, "购入拖拉机"}, {"10201", 0, cost, "购入拖拉机"}}},
		{"purchase on credit", register.Purchase, "21101", []line{
			{"15102", cost, 0, "购入拖拉机"}, {"21101", 0, cost, "购入拖拉机"}}},
		{"completed construction", register.Construction, "", []line{
			{"15102", cost, 0, "在建工程完工转入拖拉机"}, {"153", 0, cost, "在建工程完工转入拖拉机"}}},
		{"fiscal project", register.FiscalProject, "10201", []line{
			{"15102", cost, 0, "财政项目形成拖拉机"}, {"10201", 0, cost, "财政项目形成拖拉机"},
			{"241", cost, 0, "财政项目资金形成拖拉机转入公积公益金"}, {"311", 0, cost, "财政项目资金形成拖拉机转入公积公益金"}}},
		{"fiscal project built", register.FiscalProject, "153", []line{
			{"15102", cost, 0, "财政项目形成拖拉机"}, {"153", 0, cost, "财政项目形成拖拉机"},
			{"241", cost, 0, "财政项目资金形成拖拉机转入公积公益金"}, {"311", 0, cost, "财政项目资金形成拖拉机转入公积公益金"}}},
		{"donation", register.Donation, "", []line{
			{"15102", cost, 0, "接受捐赠拖拉机"}, {"311", 0, cost, "接受捐赠拖拉机"}}},
		{"transfer-in", register.TransferIn, "", []line{
			{"15102", cost, 0, "划入拖拉机"}, {"311", 0, cost, "划入拖拉机"}}},
		{"donation with costs paid", register.Donation, "10201", []line{
			{"15102", cost, 0, "接受捐赠拖拉机"}, {"10201", 0, cost, "接受捐赠拖拉机"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tractor()
			a.Source = tt.source
			v := posting.Acquisition(a, a.AcquiredOn, tt.credit)
			checkVoucher(t, v, 1)
			checkLines(t, v, tt.want...)
			if v.Date != a.AcquiredOn || v.Lines[0].Asset != "ZC-2025-001" {
				t.Errorf("date %s asset %q", v.Date, v.Lines[0].Asset)
			}
		})
	}
	a := tractor()
	a.Source, a.OpeningDepreciation = register.Existing, 0
	if v := posting.Acquisition(a, a.AcquiredOn, "10201"); v != nil {
		t.Errorf("existing asset booked: %s", dump(v))
	}
	// Detail accounts of 241 and 311 for charts that have them.
	a.Source = register.FiscalProject
	v := posting.AcquisitionFrom(a, a.AcquiredOn, "10201", "24101", "31101")
	if v.Lines[2].Account != "24101" || v.Lines[3].Account != "31101" {
		t.Errorf("AcquisitionFrom: %s", dump(v))
	}
}

func TestDepreciation(t *testing.T) {
	asset := func(code, name string, c register.AssetCategory, u register.Use) *register.Asset {
		a := tractor()
		a.Code, a.Name, a.Category, a.Use, a.CostAccount, a.DepAccount, a.ExpenseAccount = code, name, c, u, "", "", ""
		a.Normalize()
		return a
	}
	items := []posting.DepItem{
		{asset("ZC-003", "仓库", register.Building, register.ForProduction), y("300")},
		{asset("ZC-001", "拖拉机", register.Machinery, register.ForProduction), y("2621.62")},
		{asset("ZC-002", "办公楼", register.Building, register.ForManagement), y("1425")},
		{asset("ZC-004", "村道路灯", register.Structure, register.ForWelfare), y("80.5")},
		{asset("ZC-005", "土地经营权", register.Intangible, register.ForManagement), y("50")},
		{asset("ZC-006", "地磅", register.Equipment, register.ForProduction), 0}, // nothing due
		{nil, y("1")},
	}
	v := posting.Depreciation(1, p("2025-03"), items)
	checkValid(t, v, 1)
	if v.Date != d("2025-03-31") {
		t.Errorf("dated %s", v.Date)
	}
	const s = "计提2025年3月折旧及摊销"
	checkLines(t, v,
		line{"401", y("2921.62"), 0, s},
		line{"513", y("1475"), 0, s},
		line{"514", y("80.5"), 0, s},
		line{"152", 0, y("2621.62"), "计提2025年3月折旧—拖拉机"},
		line{"152", 0, y("1425"), "计提2025年3月折旧—办公楼"},
		line{"152", 0, y("300"), "计提2025年3月折旧—仓库"},
		line{"152", 0, y("80.5"), "计提2025年3月折旧—村道路灯"},
		line{"162", 0, y("50"), "计提2025年3月摊销—土地经营权"},
	)
	// A debit sums several assets and names none, unless it has one only.
	for i, code := range []string{"", "", "ZC-004", "ZC-001", "ZC-002", "ZC-003", "ZC-004", "ZC-005"} {
		if v.Lines[i].Asset != code {
			t.Errorf("line %d names %q, want %q", i+1, v.Lines[i].Asset, code)
		}
	}
	// One kind only: the summary says which.
	one := posting.Depreciation(1, p("2025-12"), items[1:2])
	checkVoucher(t, one, 1) // one asset: every line names it
	if one.Lines[0].Summary != "计提2025年12月折旧" {
		t.Errorf("summary %q", one.Lines[0].Summary)
	}
	if v := posting.Depreciation(1, p("2025-03"), items[5:]); v != nil {
		t.Errorf("nothing due gave %s", dump(v))
	}
	if v := posting.Depreciation(1, p("2025-03"), nil); v != nil {
		t.Error("no items gave a voucher")
	}
}

func TestDisposal(t *testing.T) {
	a := tractor() // 100,000.01 at cost
	tests := []struct {
		name        string
		accumulated string
		proceeds    string
		costs       string
		want        []line
		result      jiti.Amount // + gain to 504, - loss to 515
	}{
		{"sold at a gain", "30000", "80000", "500", []line{
			{"152", y("30000"), 0, "处置拖拉机转入清理"},
			{"154", y("70000.01"), 0, "处置拖拉机转入清理"},
			{"15102", 0, y("100000.01"), "处置拖拉机转入清理"},
			{"10201", y("80000"), 0, "收到处置拖拉机价款"},
			{"154", 0, y("80000"), "收到处置拖拉机价款"},
			{"154", y("500"), 0, "支付拖拉机清理费用"},
			{"101", 0, y("500"), "支付拖拉机清理费用"},
			{"154", y("9499.99"), 0, "结转处置拖拉机净收益"},
			{"504", 0, y("9499.99"), "结转处置拖拉机净收益"},
		}, y("9499.99")},
		{"sold at a loss", "30000", "10000", "500", []line{
			{"152", y("30000"), 0, "处置拖拉机转入清理"},
			{"154", y("70000.01"), 0, "处置拖拉机转入清理"},
			{"15102", 0, y("100000.01"), "处置拖拉机转入清理"},
			{"10201", y("10000"), 0, "收到处置拖拉机价款"},
			{"154", 0, y("10000"), "收到处置拖拉机价款"},
			{"154", y("500"), 0, "支付拖拉机清理费用"},
			{"101", 0, y("500"), "支付拖拉机清理费用"},
			{"515", y("60500.01"), 0, "结转处置拖拉机净损失"},
			{"154", 0, y("60500.01"), "结转处置拖拉机净损失"},
		}, y("-60500.01")},
		{"scrapped fully depreciated, for nothing", "97000.01", "0", "0", []line{
			{"152", y("97000.01"), 0, "处置拖拉机转入清理"},
			{"154", y("3000"), 0, "处置拖拉机转入清理"},
			{"15102", 0, y("100000.01"), "处置拖拉机转入清理"},
			{"515", y("3000"), 0, "结转处置拖拉机净损失"},
			{"154", 0, y("3000"), "结转处置拖拉机净损失"},
		}, y("-3000")},
		{"sold at net value: no gain or loss", "0", "100000.01", "0", []line{
			{"154", y("100000.01"), 0, "处置拖拉机转入清理"},
			{"15102", 0, y("100000.01"), "处置拖拉机转入清理"},
			{"10201", y("100000.01"), 0, "收到处置拖拉机价款"},
			{"154", 0, y("100000.01"), "收到处置拖拉机价款"},
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := posting.Disposal(a, y(tt.accumulated), d("2026-01-10"), y(tt.proceeds), "10201", y(tt.costs), "101")
			checkVoucher(t, v, 1)
			checkLines(t, v, tt.want...)
			if n := net(v, "154", a.Code); n != 0 {
				t.Errorf("154 left at %v", n)
			}
			if n := net(v, "15102", ""); n != -a.Cost {
				t.Errorf("cost account moved %v", n)
			}
			if n := net(v, "152", ""); n != y(tt.accumulated) {
				t.Errorf("152 moved %v", n)
			}
			if got := -net(v, "504", "") - net(v, "515", ""); got != tt.result {
				t.Errorf("result %v, want %v", got, tt.result)
			}
		})
	}
	// Leaves for the clearing, gain and loss accounts.
	v := posting.DisposalOf(a, d("2026-01-10"), posting.DisposalEntry{Accumulated: y("30000"), Proceeds: y("80000"),
		ProceedsAccount: "10201", GainAccount: "50401", ClearingAccount: "15401"})
	if net(v, "15401", "") != 0 || net(v, "50401", "") != -y("9999.99") {
		t.Errorf("DisposalOf with leaves:\n%s", dump(v))
	}

	// A productive biological asset is no fixed asset: no 154.
	b := tractor()
	b.Category, b.Name, b.CostAccount, b.DepAccount = register.ProductiveBio, "苹果树", "", ""
	b.Normalize()
	v = posting.Disposal(b, y("60000"), d("2026-01-10"), y("45000"), "10201", y("1000"), "101")
	checkVoucher(t, v, 1)
	checkLines(t, v,
		line{"133", y("60000"), 0, "处置苹果树"},
		line{"10201", y("45000"), 0, "处置苹果树收到价款"},
		line{"132", 0, y("100000.01"), "处置苹果树"},
		line{"101", 0, y("1000"), "处置苹果树支付费用"},
		line{"504", 0, y("3999.99"), "处置苹果树净收益"},
	)
	v = posting.Disposal(b, y("10000"), d("2026-01-10"), 0, "", 0, "")
	checkVoucher(t, v, 1)
	if net(v, "515", "") != y("90000.01") {
		t.Errorf("bio loss:\n%s", dump(v))
	}
}

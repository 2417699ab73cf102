package register_test

import (
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
)

func TestDefaultAccounts(t *testing.T) {
	tests := []struct {
		c                   register.AssetCategory
		u                   register.Use
		cost, dep, expenses string
	}{
		{register.Building, register.ForManagement, "151", "152", "513"},
		{register.Structure, register.ForWelfare, "151", "152", "514"},
		{register.Machinery, register.ForProduction, "151", "152", "401"},
		{register.Vehicle, register.ForProduction, "151", "152", "401"},
		{register.Equipment, register.ForManagement, "151", "152", "513"},
		{register.OtherAsset, register.ForWelfare, "151", "152", "514"},
		{register.ProductiveBio, register.ForProduction, "132", "133", "401"},
		{register.Intangible, register.ForManagement, "161", "162", "513"},
		{register.WelfareBio, register.ForWelfare, "134", "", ""},
		{register.Machinery, "", "151", "152", ""},
	}
	for _, tt := range tests {
		cost, dep, exp := register.DefaultAccounts(tt.c, tt.u)
		if cost != tt.cost || dep != tt.dep || exp != tt.expenses {
			t.Errorf("DefaultAccounts(%s, %s) = %s, %s, %s; want %s, %s, %s", tt.c, tt.u, cost, dep, exp, tt.cost, tt.dep, tt.expenses)
		}
	}
}

func TestAssetNormalize(t *testing.T) {
	a := &register.Asset{Code: " ZC-1 ", Name: " 仓库\t", Category: register.Building, Use: register.ForProduction,
		AcquiredOn: d("2020-05-01"), Note: " x "}
	a.Normalize()
	if a.Code != "ZC-1" || a.Name != "仓库" || a.Note != "x" {
		t.Errorf("not trimmed: %q %q %q", a.Code, a.Name, a.Note)
	}
	if a.Method != register.StraightLine || a.CostAccount != "151" || a.DepAccount != "152" || a.ExpenseAccount != "401" {
		t.Errorf("defaults: %s %s %s %s", a.Method, a.CostAccount, a.DepAccount, a.ExpenseAccount)
	}
	if a.Status != register.InUse || a.StatusSince != a.AcquiredOn {
		t.Errorf("status: %s since %s", a.Status, a.StatusSince)
	}

	w := &register.Asset{Category: register.WelfareBio, Use: register.ForWelfare, AcquiredOn: d("2020-05-01")}
	w.Normalize()
	if w.Method != register.NoDepreciation || w.CostAccount != "134" || w.DepAccount != "" || w.ExpenseAccount != "" {
		t.Errorf("welfare bio: %s %q %q %q", w.Method, w.CostAccount, w.DepAccount, w.ExpenseAccount)
	}

	// Given accounts and statuses are kept; a disposed asset gets its date.
	k := &register.Asset{Category: register.Building, Use: register.ForManagement, CostAccount: "15101", DepAccount: "15201",
		ExpenseAccount: "51302", Status: register.Disposed, StatusSince: d("2024-06-30"), AcquiredOn: d("2010-01-01")}
	k.Normalize()
	if k.CostAccount != "15101" || k.DepAccount != "15201" || k.ExpenseAccount != "51302" || k.DisposedOn != d("2024-06-30") {
		t.Errorf("kept: %+v", k)
	}
}

func TestAssetValidate(t *testing.T) {
	edit := func(f func(a *register.Asset)) func() *register.Asset {
		return func() *register.Asset {
			a := tractor()
			f(a)
			return a
		}
	}
	existing := func(f func(a *register.Asset)) func() *register.Asset {
		return edit(func(a *register.Asset) {
			a.Source = register.Existing
			a.AcquiredOn, a.StatusSince = d("2020-01-10"), d("2020-01-10")
			a.Cost, a.LifeMonths, a.ResidualRate = y("12000"), 120, 0
			a.OpeningDepreciation, a.OpeningMonths = y("4800"), 48
			f(a)
		})
	}
	tests := []struct {
		name  string
		asset func() *register.Asset
		want  *jiti.Error
		field string
	}{
		{"valid", tractor, nil, ""},
		{"valid existing", existing(func(a *register.Asset) {}), nil, ""},
		{"valid existing fully depreciated", existing(func(a *register.Asset) { a.OpeningDepreciation, a.OpeningMonths = y("12000"), 120 }), nil, ""},
		{"valid detail accounts", edit(func(a *register.Asset) { a.CostAccount, a.DepAccount, a.ExpenseAccount = "15101", "15201", "40101" }), nil, ""},
		{"valid units", edit(func(a *register.Asset) { a.Method, a.LifeMonths, a.TotalWork = register.UnitsOfWork, 0, 200000 }), nil, ""},
		{"valid none", edit(func(a *register.Asset) { a.Method, a.LifeMonths = register.NoDepreciation, 0 }), nil, ""},
		{"valid welfare bio", func() *register.Asset {
			a := &register.Asset{Code: "LIN-1", Name: "防风林", Category: register.WelfareBio, Nature: register.NonOperating,
				Use: register.ForWelfare, AcquiredOn: d("2019-04-01"), Source: register.FiscalProject, Cost: y("50000")}
			a.Normalize()
			return a
		}, nil, ""},
		{"valid nominal one yuan", edit(func(a *register.Asset) { a.Cost = y("1") }), nil, ""},
		{"valid life 1200", edit(func(a *register.Asset) { a.LifeMonths = 1200 }), nil, ""},
		{"valid residual 100 %", edit(func(a *register.Asset) { a.ResidualRate = 10000 }), nil, ""},

		{"code required", edit(func(a *register.Asset) { a.Code = "" }), jiti.ErrRequired, "code"},
		{"code with space", edit(func(a *register.Asset) { a.Code = "ZC 1" }), register.ErrCode, "code"},
		{"code too long", edit(func(a *register.Asset) { a.Code = strings.Repeat("Z", 41) }), register.ErrCode, "code"},
		{"name required", edit(func(a *register.Asset) { a.Name = "" }), jiti.ErrRequired, "name"},
		{"name too long", edit(func(a *register.Asset) { a.Name = strings.Repeat("房", 101) }), jiti.ErrTooLong, "name"},
		{"unknown category", edit(func(a *register.Asset) { a.Category = "boat" }), register.ErrUnknown, "category"},
		{"nature required", edit(func(a *register.Asset) { a.Nature = "" }), jiti.ErrRequired, "nature"},
		{"unknown nature", edit(func(a *register.Asset) { a.Nature = "x" }), register.ErrUnknown, "nature"},
		{"unknown use", edit(func(a *register.Asset) { a.Use = "x" }), register.ErrUnknown, "use"},
		{"unknown source", edit(func(a *register.Asset) { a.Source = "gift" }), register.ErrUnknown, "source"},
		{"unknown method", edit(func(a *register.Asset) { a.Method = "declining" }), register.ErrUnknown, "method"},
		{"unknown status", edit(func(a *register.Asset) { a.Status = "lost" }), register.ErrUnknown, "status"},
		{"bad quantity", edit(func(a *register.Asset) { a.Quantity = "一台" }), register.ErrQuantity, "quantity"},
		{"negative quantity", edit(func(a *register.Asset) { a.Quantity = "-1" }), register.ErrQuantity, "quantity"},
		{"unit too long", edit(func(a *register.Asset) { a.Unit = strings.Repeat("台", 21) }), jiti.ErrTooLong, "unit"},
		{"location too long", edit(func(a *register.Asset) { a.Location = strings.Repeat("村", 201) }), jiti.ErrTooLong, "location"},
		{"acquired_on impossible", edit(func(a *register.Asset) { a.AcquiredOn = jiti.Date{Year: 2025, Month: 2, Day: 30} }), jiti.ErrDateSyntax, "acquired_on"},
		{"acquired_on required", edit(func(a *register.Asset) { a.AcquiredOn = jiti.Date{} }), jiti.ErrRequired, "acquired_on"},
		{"status before acquisition", edit(func(a *register.Asset) { a.StatusSince = d("2025-03-14") }), register.ErrBeforeAcquired, "status_since"},
		{"disposed without date", edit(func(a *register.Asset) { a.Status = register.Disposed }), jiti.ErrRequired, "disposed_on"},
		{"disposal date but not disposed", edit(func(a *register.Asset) { a.DisposedOn = d("2026-01-01") }), register.ErrDisposedOn, "disposed_on"},
		{"zero cost", edit(func(a *register.Asset) { a.Cost = 0 }), register.ErrNotPositive, "cost"},
		{"negative cost", edit(func(a *register.Asset) { a.Cost = -1 }), register.ErrNotPositive, "cost"},
		{"life of zero", edit(func(a *register.Asset) { a.LifeMonths = 0 }), register.ErrNotPositive, "life_months"},
		{"negative life", edit(func(a *register.Asset) { a.LifeMonths = -12 }), register.ErrRange, "life_months"},
		{"life over 100 years", edit(func(a *register.Asset) { a.LifeMonths = 1201 }), register.ErrRange, "life_months"},
		{"units without total work", edit(func(a *register.Asset) { a.Method = register.UnitsOfWork }), register.ErrNotPositive, "total_work"},
		{"negative total work", edit(func(a *register.Asset) { a.TotalWork = -5 }), register.ErrNotPositive, "total_work"},
		{"residual over 100 %", edit(func(a *register.Asset) { a.ResidualRate = 10001 }), register.ErrRange, "residual_rate"},
		{"negative residual", edit(func(a *register.Asset) { a.ResidualRate = -1 }), register.ErrRange, "residual_rate"},
		{"welfare bio depreciated", edit(func(a *register.Asset) {
			a.Category, a.CostAccount, a.DepAccount, a.ExpenseAccount, a.Use = register.WelfareBio, "134", "", "", register.ForWelfare
		}), register.ErrNotDepreciated, "method"},
		{"welfare bio with dep account", edit(func(a *register.Asset) {
			a.Category, a.CostAccount, a.DepAccount, a.ExpenseAccount, a.Use = register.WelfareBio, "134", "152", "", register.ForWelfare
			a.Method, a.LifeMonths = register.NoDepreciation, 0
		}), register.ErrNoDepAccount, "dep_account"},
		{"opening depreciation of a purchase", edit(func(a *register.Asset) { a.OpeningDepreciation = 100 }), register.ErrOpeningSource, "opening_depreciation"},
		{"opening months of a purchase", edit(func(a *register.Asset) { a.OpeningMonths = 3 }), register.ErrOpeningSource, "opening_months"},
		{"opening over depreciable", existing(func(a *register.Asset) { a.ResidualRate = 500; a.OpeningDepreciation = y("11400.01") }), register.ErrOpeningExceeds, "opening_depreciation"},
		{"negative opening", existing(func(a *register.Asset) { a.OpeningDepreciation = -1 }), register.ErrNegative, "opening_depreciation"},
		{"negative opening months", existing(func(a *register.Asset) { a.OpeningMonths = -1 }), register.ErrNegative, "opening_months"},
		{"opening months = life, not complete", existing(func(a *register.Asset) { a.OpeningMonths = 120 }), register.ErrOpeningMonths, "opening_months"},
		{"opening months over life", existing(func(a *register.Asset) { a.OpeningMonths = 121 }), register.ErrOpeningMonths, "opening_months"},
		{"cost account of another category", edit(func(a *register.Asset) { a.CostAccount = "161" }), register.ErrAccount, "cost_account"},
		{"cost account not a code", edit(func(a *register.Asset) { a.CostAccount = "151x" }), register.ErrAccount, "cost_account"},
		{"dep account of another category", edit(func(a *register.Asset) { a.DepAccount = "133" }), register.ErrAccount, "dep_account"},
		{"bio dep account", edit(func(a *register.Asset) {
			a.Category, a.CostAccount, a.DepAccount = register.ProductiveBio, "13201", "152"
		}), register.ErrAccount, "dep_account"},
		{"intangible accounts", edit(func(a *register.Asset) {
			a.Category, a.CostAccount, a.DepAccount = register.Intangible, "151", "162"
		}), register.ErrAccount, "cost_account"},
		{"expense account not an expense", edit(func(a *register.Asset) { a.ExpenseAccount = "511" }), register.ErrAccount, "expense_account"},
		{"expense account against use", edit(func(a *register.Asset) { a.ExpenseAccount = "51301" }), register.ErrExpenseUse, "expense_account"},
		{"expense required", edit(func(a *register.Asset) { a.ExpenseAccount = "" }), jiti.ErrRequired, "expense_account"},
		{"dep account required", edit(func(a *register.Asset) { a.DepAccount = "" }), jiti.ErrRequired, "dep_account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblem(t, tt.asset().Validate(), tt.want, tt.field)
		})
	}
}

func TestAssetValidateReportsEveryProblem(t *testing.T) {
	a := tractor()
	a.Code, a.Cost, a.LifeMonths, a.ResidualRate = "", 0, 0, -3
	err := a.Validate()
	if _, ok := err.(jiti.Errors); !ok {
		t.Fatalf("err = %T %v, want jiti.Errors", err, err)
	}
	for _, want := range []struct {
		e     *jiti.Error
		field string
	}{{jiti.ErrRequired, "code"}, {register.ErrNotPositive, "cost"}, {register.ErrNotPositive, "life_months"}, {register.ErrRange, "residual_rate"}} {
		if !hasProblem(err, want.e, want.field) {
			t.Errorf("%s at %s missing from %s", want.e.Key, want.field, describe(err))
		}
	}
}

func TestResidualAndDepreciable(t *testing.T) {
	a := tractor() // 100,000.01 at 3 %: 3,000.0003 → 3,000.00
	if r := register.Residual(a); r != y("3000") {
		t.Errorf("Residual = %v", r)
	}
	if dep := register.Depreciable(a); dep != y("97000.01") {
		t.Errorf("Depreciable = %v", dep)
	}
	a.Cost, a.ResidualRate = y("0.50"), 500 // 2.5 fen rounds half away from zero
	if r := register.Residual(a); r != 3 {
		t.Errorf("Residual of 0.50 at 5%% = %v fen, want 3", int64(r))
	}
}

func TestCheckTransition(t *testing.T) {
	at := func(s register.Status, since string) *register.Asset {
		a := tractor()
		a.Status, a.StatusSince = s, d(since)
		if s == register.Disposed {
			a.DisposedOn = d(since)
		}
		return a
	}
	tests := []struct {
		name  string
		asset *register.Asset
		to    register.Status
		on    string
		want  *jiti.Error
		field string
	}{
		{"in use to idle", at(register.InUse, "2025-03-15"), register.Idle, "2025-06-01", nil, ""},
		{"idle to leased", at(register.Idle, "2025-06-01"), register.LeasedOut, "2025-06-01", nil, ""},
		{"leased to idle", at(register.LeasedOut, "2025-06-01"), register.Idle, "2026-06-01", nil, ""},
		{"to invested", at(register.Idle, "2025-06-01"), register.Invested, "2025-07-01", nil, ""},
		{"to cooperating", at(register.InUse, "2025-06-01"), register.Cooperating, "2025-07-01", nil, ""},
		{"to self-operated", at(register.Idle, "2025-06-01"), register.SelfOperated, "2025-07-01", nil, ""},
		{"dispose", at(register.Idle, "2025-06-01"), register.Disposed, "2025-07-01", nil, ""},
		{"dispose on acquisition day", at(register.InUse, "2025-03-15"), register.Disposed, "2025-03-15", nil, ""},

		{"disposed is final", at(register.Disposed, "2025-06-01"), register.InUse, "2025-07-01", register.ErrAssetDisposed, "status"},
		{"disposed twice", at(register.Disposed, "2025-06-01"), register.Disposed, "2025-07-01", register.ErrAssetDisposed, "status"},
		{"lease a disposed asset", at(register.Disposed, "2025-06-01"), register.LeasedOut, "2025-07-01", register.ErrLeaseDisposed, "status"},
		{"invest a disposed asset", at(register.Disposed, "2025-06-01"), register.Invested, "2025-07-01", register.ErrLeaseDisposed, "status"},
		{"cooperate a disposed asset", at(register.Disposed, "2025-06-01"), register.Cooperating, "2025-07-01", register.ErrLeaseDisposed, "status"},
		{"same status", at(register.Idle, "2025-06-01"), register.Idle, "2025-07-01", register.ErrSameStatus, "status"},
		{"unknown status", at(register.Idle, "2025-06-01"), "lost", "2025-07-01", register.ErrUnknown, "status"},
		{"before the current status", at(register.Idle, "2025-06-01"), register.InUse, "2025-05-31", register.ErrStatusBefore, "date"},
		{"before acquisition", at(register.InUse, "2025-03-15"), register.Idle, "2025-03-14", register.ErrBeforeAcquired, "date"},
		{"no date", at(register.InUse, "2025-03-15"), register.Idle, "", jiti.ErrRequired, "date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var on jiti.Date
			if tt.on != "" {
				on = d(tt.on)
			}
			checkProblem(t, register.CheckTransition(tt.asset, tt.to, on), tt.want, tt.field)
		})
	}
}

func TestSetStatus(t *testing.T) {
	a := tractor()
	c, err := a.SetStatus(register.Idle, d("2025-05-01"), 0, " 闲置 ")
	if err != nil {
		t.Fatal(err)
	}
	want := register.StatusChange{AssetID: 7, Date: d("2025-05-01"), From: register.InUse, To: register.Idle, Note: "闲置"}
	if c != want || a.Status != register.Idle || a.StatusSince != d("2025-05-01") {
		t.Errorf("change %+v, asset %s since %s", c, a.Status, a.StatusSince)
	}
	if _, err := a.SetStatus(register.Disposed, d("2025-08-20"), 0, ""); err != nil || a.DisposedOn != d("2025-08-20") {
		t.Errorf("disposal: %v, disposed on %s", err, a.DisposedOn)
	}
	if _, err := a.SetStatus(register.LeasedOut, d("2025-09-01"), 3, ""); err == nil || a.Status != register.Disposed {
		t.Errorf("leased a disposed asset: %v, %s", err, a.Status)
	}
}

func TestRevitalized(t *testing.T) {
	ch := func(date string, from, to register.Status) register.StatusChange {
		return register.StatusChange{Date: d(date), From: from, To: to}
	}
	tests := []struct {
		name    string
		history []register.StatusChange
		year    int
		want    bool
	}{
		{"idle then leased in the year", []register.StatusChange{ch("2023-01-01", "", register.InUse), ch("2024-03-01", register.InUse, register.Idle), ch("2025-04-01", register.Idle, register.LeasedOut)}, 2025, true},
		{"the year before", []register.StatusChange{ch("2024-03-01", "", register.Idle), ch("2025-04-01", register.Idle, register.LeasedOut)}, 2024, false},
		{"the year after", []register.StatusChange{ch("2024-03-01", "", register.Idle), ch("2025-04-01", register.Idle, register.LeasedOut)}, 2026, false},
		{"invested", []register.StatusChange{ch("2024-03-01", "", register.Idle), ch("2025-04-01", register.Idle, register.Invested)}, 2025, true},
		{"cooperating", []register.StatusChange{ch("2024-03-01", "", register.Idle), ch("2025-04-01", register.Idle, register.Cooperating)}, 2025, true},
		{"self-operated", []register.StatusChange{ch("2024-03-01", "", register.Idle), ch("2025-04-01", register.Idle, register.SelfOperated)}, 2025, true},
		{"idle then in use earns nothing", []register.StatusChange{ch("2024-03-01", "", register.Idle), ch("2025-04-01", register.Idle, register.InUse)}, 2025, false},
		{"leased without being idle", []register.StatusChange{ch("2024-03-01", "", register.InUse), ch("2025-04-01", register.InUse, register.LeasedOut)}, 2025, false},
		{"idle and leased in the same year", []register.StatusChange{ch("2025-01-10", register.InUse, register.Idle), ch("2025-09-01", register.Idle, register.Cooperating)}, 2025, true},
		{"From inferred from the entry before", []register.StatusChange{ch("2024-03-01", "", register.Idle), ch("2025-04-01", "", register.LeasedOut)}, 2025, true},
		{"out of order", []register.StatusChange{ch("2025-04-01", "", register.LeasedOut), ch("2024-03-01", "", register.Idle)}, 2025, true},
		{"no history", nil, 2025, false},
	}
	for _, tt := range tests {
		if got := register.Revitalized(tt.history, tt.year); got != tt.want {
			t.Errorf("%s: Revitalized = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIdleSince(t *testing.T) {
	a := tractor()
	if _, ok := register.IdleSince(a); ok {
		t.Error("an asset in use is not idle")
	}
	a.Status, a.StatusSince = register.Idle, d("2025-07-01")
	if since, ok := register.IdleSince(a); !ok || since != d("2025-07-01") {
		t.Errorf("IdleSince = %s, %v", since, ok)
	}
}

func TestIsFixedAsset(t *testing.T) {
	for _, c := range register.AssetCategories {
		want := c != register.ProductiveBio && c != register.WelfareBio && c != register.Intangible
		if got := register.IsFixedAsset(c); got != want {
			t.Errorf("IsFixedAsset(%s) = %v", c, got)
		}
	}
}

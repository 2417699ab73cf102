package register

import (
	"slices"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// Known values of the asset enumerations, for validation.
var (
	natures  = []Nature{Operating, NonOperating}
	uses     = []Use{ForProduction, ForManagement, ForWelfare}
	methods  = []Method{StraightLine, UnitsOfWork, NoDepreciation}
	sources  = []Source{Purchase, Construction, FiscalProject, Donation, TransferIn, Existing}
	statuses = []Status{InUse, SelfOperated, LeasedOut, Invested, Cooperating, Idle, Disposed}
)

// MaxLifeMonths is the longest useful life accepted: a hundred years.
const MaxLifeMonths = 1200

// FullRate is 100 % in basis points, the unit of residual rates and
// escalations.
const FullRate = 10000

// DefaultAccounts returns the first-level accounts an asset of category c
// and use u books to: where its cost sits, where its accumulated
// depreciation (or amortization) sits, and what its depreciation is
// charged to. Public-welfare biological assets are not depreciated, so
// they have neither a depreciation nor an expense account.
func DefaultAccounts(c AssetCategory, u Use) (cost, dep, expense string) {
	switch c {
	case Intangible:
		cost, dep = "161", "162"
	case ProductiveBio:
		cost, dep = "132", "133"
	case WelfareBio:
		return "134", "", ""
	default:
		cost, dep = ledger.AcctFixedAssets, ledger.AcctAccumDepreciation
	}
	return cost, dep, ExpenseAccount(u)
}

// ExpenseAccount returns the first-level account the depreciation of an
// asset in use u is charged to: 401 for production and services, 513 for
// management, 514 for public welfare; "" for an unknown use.
func ExpenseAccount(u Use) string {
	switch u {
	case ForProduction:
		return "401"
	case ForManagement:
		return "513"
	case ForWelfare:
		return "514"
	}
	return ""
}

// IsFixedAsset reports whether an asset of category c is a fixed asset
// (151 固定资产), whose disposal goes through 154 固定资产清理.
func IsFixedAsset(c AssetCategory) bool {
	switch c {
	case Intangible, ProductiveBio, WelfareBio:
		return false
	}
	return true
}

// Normalize trims the asset's text and fills what can be inferred: the
// default accounts of its category and use, the method (none for
// public-welfare biological assets, straight-line otherwise), the status
// (in use, since acquisition) and, for a disposed asset, its disposal date.
func (a *Asset) Normalize() {
	for _, s := range []*string{&a.Code, &a.Name, &a.Quantity, &a.Unit, &a.Location, &a.WorkUnit, &a.Note,
		&a.CostAccount, &a.DepAccount, &a.ExpenseAccount} {
		*s = strings.TrimSpace(*s)
	}
	if a.Method == "" {
		a.Method = StraightLine
		if a.Category == WelfareBio {
			a.Method = NoDepreciation
		}
	}
	cost, dep, expense := DefaultAccounts(a.Category, a.Use)
	if a.CostAccount == "" {
		a.CostAccount = cost
	}
	if a.Method != NoDepreciation {
		if a.DepAccount == "" {
			a.DepAccount = dep
		}
		if a.ExpenseAccount == "" {
			a.ExpenseAccount = expense
		}
	}
	if a.Status == "" {
		a.Status = InUse
	}
	if a.StatusSince.IsZero() {
		a.StatusSince = a.AcquiredOn
	}
	if a.Status == Disposed && a.DisposedOn.IsZero() {
		a.DisposedOn = a.StatusSince
	}
}

// Residual returns the asset's expected residual value: its cost times its
// residual rate, rounded to the fen.
func Residual(a *Asset) jiti.Amount {
	r, err := a.Cost.MulRatio(int64(a.ResidualRate), FullRate)
	if err != nil {
		return 0
	}
	return r
}

// Depreciable returns what is depreciated over the asset's life: its cost
// less its residual value.
func Depreciable(a *Asset) jiti.Amount { return a.Cost - Residual(a) }

// Validate checks the asset's own fields, after Normalize. That its
// accounts exist in the collective's chart and are leaves is for the store
// to check. One problem comes back as a *jiti.Error, several as
// jiti.Errors.
func (a *Asset) Validate() error {
	var p problems
	checkCode(&p, a.Code)
	checkName(&p, a.Name, "name")
	checkEnum(&p, a.Category, AssetCategories, "category")
	checkEnum(&p, a.Nature, natures, "nature")
	checkEnum(&p, a.Use, uses, "use")
	checkEnum(&p, a.Source, sources, "source")
	checkEnum(&p, a.Method, methods, "method")
	checkEnum(&p, a.Status, statuses, "status")
	checkLen(&p, a.Unit, maxShort, "unit")
	checkLen(&p, a.WorkUnit, maxShort, "work_unit")
	checkLen(&p, a.Location, maxLocation, "location")
	checkLen(&p, a.Note, maxText, "note")
	if a.Quantity != "" && !validQuantity(a.Quantity) {
		p.add(ErrQuantity.With(a.Quantity).At("quantity"))
	}
	a.validateDates(&p)
	switch {
	case a.Cost <= 0:
		p.add(ErrNotPositive.With(a.Cost).At("cost"))
	case a.Cost > jiti.MaxAmount:
		p.add(jiti.ErrAmountOverflow.At("cost"))
	}
	a.validateMethod(&p)
	a.validateOpening(&p)
	a.validateAccounts(&p)
	return p.err()
}

func (a *Asset) validateDates(p *problems) {
	if a.AcquiredOn.IsZero() {
		p.add(jiti.ErrRequired.At("acquired_on"))
		return
	}
	if !a.AcquiredOn.Valid() {
		p.add(jiti.ErrDateSyntax.With(a.AcquiredOn).At("acquired_on"))
		return
	}
	if !a.StatusSince.IsZero() && a.StatusSince.Before(a.AcquiredOn) {
		p.add(ErrBeforeAcquired.With(a.StatusSince, a.AcquiredOn).At("status_since"))
	}
	switch {
	case a.Status == Disposed && a.DisposedOn.IsZero():
		p.add(jiti.ErrRequired.At("disposed_on"))
	case a.Status != Disposed && !a.DisposedOn.IsZero():
		p.add(ErrDisposedOn.With(a.DisposedOn).At("disposed_on"))
	case !a.DisposedOn.IsZero() && a.DisposedOn.Before(a.AcquiredOn):
		p.add(ErrBeforeAcquired.With(a.DisposedOn, a.AcquiredOn).At("disposed_on"))
	}
}

func (a *Asset) validateMethod(p *problems) {
	if a.Category == WelfareBio && a.Method != NoDepreciation {
		p.add(ErrNotDepreciated.With(jiti.Term("asset.method." + string(a.Method))).At("method"))
	}
	if a.LifeMonths < 0 || a.LifeMonths > MaxLifeMonths {
		p.add(ErrRange.With(a.LifeMonths, 1, MaxLifeMonths).At("life_months"))
	} else if a.Method == StraightLine && a.LifeMonths == 0 {
		p.add(ErrNotPositive.With(a.LifeMonths).At("life_months"))
	}
	switch {
	case a.TotalWork < 0:
		p.add(ErrNotPositive.With(a.TotalWork).At("total_work"))
	case a.Method == UnitsOfWork && a.TotalWork == 0:
		p.add(ErrNotPositive.With(a.TotalWork).At("total_work"))
	}
	if a.ResidualRate < 0 || a.ResidualRate > FullRate {
		p.add(ErrRange.With(a.ResidualRate, 0, FullRate).At("residual_rate"))
	}
}

// validateOpening checks the depreciation done before the books moved into
// jiti: only an existing asset has any, it cannot exceed what is
// depreciable, and it leaves at least a month of life unless it completed
// the depreciation.
func (a *Asset) validateOpening(p *problems) {
	if a.OpeningDepreciation == 0 && a.OpeningMonths == 0 {
		return
	}
	if a.Source != Existing {
		field := "opening_depreciation"
		if a.OpeningDepreciation == 0 {
			field = "opening_months"
		}
		p.add(ErrOpeningSource.With(jiti.Term("asset.source." + string(a.Source))).At(field))
		return
	}
	if a.OpeningDepreciation < 0 {
		p.add(ErrNegative.With(a.OpeningDepreciation).At("opening_depreciation"))
	} else if dep := Depreciable(a); a.Cost > 0 && a.OpeningDepreciation > dep {
		p.add(ErrOpeningExceeds.With(a.OpeningDepreciation, dep).At("opening_depreciation"))
	}
	if a.OpeningMonths < 0 {
		p.add(ErrNegative.With(a.OpeningMonths).At("opening_months"))
	} else if a.Method == StraightLine && a.LifeMonths > 0 {
		complete := a.OpeningDepreciation == Depreciable(a)
		if a.OpeningMonths > a.LifeMonths || (a.OpeningMonths == a.LifeMonths && !complete) {
			p.add(ErrOpeningMonths.With(a.OpeningMonths, a.LifeMonths).At("opening_months"))
		}
	}
}

// validateAccounts checks that the asset's accounts are its category's
// accounts or detail accounts under them, and that depreciation is charged
// where its use says.
func (a *Asset) validateAccounts(p *problems) {
	cost, dep, _ := DefaultAccounts(a.Category, a.Use)
	if cost == "" || !slices.Contains(AssetCategories, a.Category) {
		return // the category is already reported
	}
	switch {
	case a.CostAccount == "":
		p.add(jiti.ErrRequired.At("cost_account"))
	case !under(a.CostAccount, cost):
		p.add(ErrAccount.With(a.CostAccount, cost).At("cost_account"))
	}
	if a.Method == NoDepreciation || a.Category == WelfareBio {
		if a.Category == WelfareBio && a.DepAccount != "" {
			p.add(ErrNoDepAccount.With(a.DepAccount).At("dep_account"))
		}
		if a.DepAccount != "" && dep != "" && !under(a.DepAccount, dep) {
			p.add(ErrAccount.With(a.DepAccount, dep).At("dep_account"))
		}
		if a.ExpenseAccount != "" {
			a.checkExpense(p)
		}
		return
	}
	switch {
	case a.DepAccount == "":
		p.add(jiti.ErrRequired.At("dep_account"))
	case !under(a.DepAccount, dep):
		p.add(ErrAccount.With(a.DepAccount, dep).At("dep_account"))
	}
	if a.ExpenseAccount == "" {
		p.add(jiti.ErrRequired.At("expense_account"))
		return
	}
	a.checkExpense(p)
}

func (a *Asset) checkExpense(p *problems) {
	first := ledger.FirstLevel(a.ExpenseAccount)
	switch want := ExpenseAccount(a.Use); {
	case !isCode(a.ExpenseAccount) || (first != "401" && first != "513" && first != "514"):
		p.add(ErrAccount.With(a.ExpenseAccount, "401, 513, 514").At("expense_account"))
	case want != "" && first != want:
		p.add(ErrExpenseUse.With(a.ExpenseAccount, jiti.Term("asset.use."+string(a.Use)), want).At("expense_account"))
	}
}

// under reports whether code is the account parent or a detail account
// under it.
func under(code, parent string) bool {
	return isCode(code) && ledger.FirstLevel(code) == parent
}

// isCode reports whether s looks like an account code: digits, three for a
// first-level account and two more per level.
func isCode(s string) bool {
	return len(s) >= 3 && len(s)%2 == 1 && allDigits(s)
}

// validQuantity reports whether s is a non-negative decimal number such as
// "1" or "350.5".
func validQuantity(s string) bool {
	i, f, dot := strings.Cut(s, ".")
	return i != "" && len(s) <= 20 && allDigits(i) && allDigits(f) && (!dot || f != "")
}

// checkEnum checks that v is one of known, naming field otherwise.
func checkEnum[T ~string](p *problems, v T, known []T, field string) {
	switch {
	case v == "":
		p.add(jiti.ErrRequired.At(field))
	case !slices.Contains(known, v):
		p.add(ErrUnknown.With(string(v)).At(field))
	}
}

// CheckTransition says whether asset a may go into status to on date on.
// A disposed asset stays disposed (and so is never leased); a change must
// change something; and it cannot be dated before the current status began
// nor before the asset was acquired, so the history stays in date order.
func CheckTransition(a *Asset, to Status, on jiti.Date) error {
	switch {
	case !slices.Contains(statuses, to):
		return ErrUnknown.With(string(to)).At("status")
	case a.Status == Disposed && to.leased():
		return ErrLeaseDisposed.With(a.Code).At("status")
	case a.Status == Disposed:
		return ErrAssetDisposed.With(a.DisposedOn).At("status")
	case a.Status == to:
		return ErrSameStatus.With(jiti.Term("asset.status." + string(to))).At("status")
	case on.IsZero():
		return jiti.ErrRequired.At("date")
	case on.Before(a.AcquiredOn):
		return ErrBeforeAcquired.With(on, a.AcquiredOn).At("date")
	case on.Before(a.StatusSince):
		return ErrStatusBefore.With(on, a.StatusSince).At("date")
	}
	return nil
}

// leased reports whether an asset in status s is used by others under a
// contract.
func (s Status) leased() bool { return s == LeasedOut || s == Invested || s == Cooperating }

// SetStatus checks the transition and applies it to a: its status, since
// when, and the disposal date. It returns the history entry to record.
func (a *Asset) SetStatus(to Status, on jiti.Date, contract int64, note string) (StatusChange, error) {
	if err := CheckTransition(a, to, on); err != nil {
		return StatusChange{}, err
	}
	c := StatusChange{AssetID: a.ID, Date: on, From: a.Status, To: to, Contract: contract, Note: strings.TrimSpace(note)}
	a.Status, a.StatusSince = to, on
	if to == Disposed {
		a.DisposedOn = on
	}
	return c, nil
}

// Revitalized reports whether the asset was revitalized (盘活) in year: some
// change dated in year took it from idle straight into a status that earns
// income. The status an entry leaves is its From, or else the status the
// entry before it entered. The history may come in any order.
func Revitalized(history []StatusChange, year int) bool {
	h := slices.Clone(history)
	slices.SortStableFunc(h, func(x, y StatusChange) int { return x.Date.Compare(y.Date) })
	var prev Status
	for _, c := range h {
		from := c.From
		if from == "" {
			from = prev
		}
		if c.Date.Year == year && from == Idle && c.To.Earns() {
			return true
		}
		prev = c.To
	}
	return false
}

// IdleSince returns when the asset became idle, if it is idle.
func IdleSince(a *Asset) (jiti.Date, bool) {
	if a.Status != Idle {
		return jiti.Date{}, false
	}
	return a.StatusSince, true
}

package posting_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/posting"
	"example.org/jiti/internal/register"
)

// TestDepreciationProperty depreciates random straight-line assets month by
// month over their whole life, as month close does, posting a voucher each
// month: every voucher validates, no asset ever exceeds its depreciable
// amount, and each reaches it exactly, within its life (or at once when
// it is worth less than a fen a month).
func TestDepreciationProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(2025, 3))
	books := testBooks()
	cats := []register.AssetCategory{register.Building, register.Structure, register.Machinery, register.Vehicle,
		register.Equipment, register.ProductiveBio, register.Intangible}
	uses := []register.Use{register.ForProduction, register.ForManagement, register.ForWelfare}
	for round := 0; round < 40; round++ {
		var assets []*register.Asset
		states := map[string]*register.DepreciationState{}
		for i := 0; i < 1+rng.IntN(12); i++ {
			a := &register.Asset{CollectiveID: 9, Code: "ZC-" + strconv.Itoa(i), Name: "资产" + strconv.Itoa(i),
				Category: cats[rng.IntN(len(cats))], Nature: register.Operating, Use: uses[rng.IntN(len(uses))],
				AcquiredOn: jiti.Date{Year: 2024 + rng.IntN(2), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)},
				Source:     register.Purchase, Cost: jiti.Amount(1 + rng.Int64N(5_000_000_00)),
				LifeMonths: 1 + rng.IntN(360), ResidualRate: rng.IntN(1001)}
			if rng.IntN(4) == 0 {
				// An existing asset part-way through its life.
				a.Source = register.Existing
				a.AcquiredOn = jiti.Date{Year: 2015, Month: 6, Day: 30}
				a.OpeningMonths = rng.IntN(a.LifeMonths)
				dep := register.Depreciable(a)
				a.OpeningDepreciation = jiti.Amount(rng.Int64N(int64(dep) + 1))
			}
			a.Normalize()
			if err := a.Validate(); err != nil {
				t.Fatalf("round %d: invalid asset %+v: %v", round, a, err)
			}
			assets = append(assets, a)
			states[a.Code] = &register.DepreciationState{Accumulated: a.OpeningDepreciation, MonthsDone: a.OpeningMonths}
		}
		for m := p("2024-01"); m <= p("2056-12"); m = m.Next() {
			var items []posting.DepItem
			for _, a := range assets {
				st := states[a.Code]
				amount := register.MonthlyDepreciation(a, m, *st)
				if amount < 0 {
					t.Fatalf("%s %s: negative %v", a.Code, m, amount)
				}
				if amount > 0 {
					items = append(items, posting.DepItem{Asset: a, Amount: amount})
				}
			}
			v := posting.Depreciation(9, m, items)
			if v == nil {
				continue
			}
			if err := ledger.Validate(v, books); err != nil {
				t.Fatalf("round %d %s: %v\n%s", round, m, err, dump(v))
			}
			if debit, credit := v.Totals(); debit != credit {
				t.Fatalf("unbalanced %v %v", debit, credit)
			}
			for _, l := range v.Lines {
				if l.Credit > 0 {
					st := states[l.Asset]
					st.Accumulated += l.Credit
					st.MonthsDone++
				}
			}
			for _, a := range assets {
				if states[a.Code].Accumulated > register.Depreciable(a) {
					t.Fatalf("%s exceeds its depreciable amount in %s: %v > %v", a.Code, m, states[a.Code].Accumulated, register.Depreciable(a))
				}
			}
		}
		for _, a := range assets {
			st := states[a.Code]
			if st.Accumulated != register.Depreciable(a) {
				t.Errorf("round %d %s (%v over %d, opening %v/%d): ends at %v, want %v", round, a.Code, a.Cost, a.LifeMonths,
					a.OpeningDepreciation, a.OpeningMonths, st.Accumulated, register.Depreciable(a))
			}
			if st.MonthsDone > a.LifeMonths && register.Depreciable(a) > a.OpeningDepreciation {
				t.Errorf("round %d %s: %d months for a life of %d", round, a.Code, st.MonthsDone, a.LifeMonths)
			}
		}
	}
}

package demo

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// checkRegisters holds the demo's registers to its books at the end of the
// year: every village has twenty to forty-odd assets, whose costs are the
// balances of their cost accounts (151, 132, 134) and whose accumulated
// depreciation the balances of 152 and 133; resources of every kind;
// contracts of every kind with well-formed parties.
func checkRegisters(t *testing.T, db *store.DB, sum *Summary) {
	ctx := context.Background()
	cs, err := db.FindCollectives(ctx, CountyCode)
	if err != nil {
		t.Fatal(err)
	}
	assets, err := db.FindAssets(ctx, store.AssetFilter{Region: CountyCode})
	if err != nil {
		t.Fatal(err)
	}
	if len(assets) != sum.Assets {
		t.Errorf("%d assets in the register, summary %d", len(assets), sum.Assets)
	}
	if avg := float64(len(assets)) / float64(len(cs)); avg < 27 || avg > 34 {
		t.Errorf("%.1f assets per village", avg)
	}
	byCollective := map[int64][]register.Asset{}
	for _, a := range assets {
		byCollective[a.CollectiveID] = append(byCollective[a.CollectiveID], a)
	}
	jan, dec := jiti.NewPeriod(2025, 1), jiti.NewPeriod(2025, 12)
	categories := map[register.AssetCategory]int{}
	for _, c := range cs {
		as := byCollective[c.ID]
		if len(as) < 20 || len(as) > 45 {
			t.Errorf("%s has %d assets", c.Name, len(as))
		}
		reg := map[string]jiti.Amount{}
		for i := range as {
			a := &as[i]
			categories[a.Category]++
			if a.Status == register.Disposed {
				continue
			}
			reg[a.CostAccount] += a.Cost
			if a.DepAccount != "" {
				acc, err := db.AccumulatedDepreciation(ctx, a)
				if err != nil {
					t.Fatal(err)
				}
				reg[a.DepAccount] -= acc
			}
		}
		tb, err := db.TrialBalance(ctx, c.ID, jan, dec, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"151", "152", "132", "133", "134"} {
			var book jiti.Amount
			if r := tb.Row(code); r != nil {
				book = r.Closing()
			}
			if book != reg[code] {
				t.Errorf("%s: %s closes at %s, the register says %s", c.Name, code, book, reg[code])
			}
		}
		if reg["151"] <= 0 || reg["152"] >= 0 {
			t.Errorf("%s: fixed assets %s, accumulated depreciation %s", c.Name, reg["151"], -reg["152"])
		}
		// Production assets' depreciation is carried from 401 to 51103 at
		// each month end, so 401 is empty once the year is closed.
		if r := tb.Row("401"); r != nil && r.Closing() != 0 {
			t.Errorf("%s: 401 closes at %s", c.Name, r.Closing())
		}
	}
	for _, cat := range []register.AssetCategory{register.Building, register.Structure, register.Machinery, register.Vehicle,
		register.Equipment, register.ProductiveBio, register.WelfareBio} {
		if categories[cat] == 0 {
			t.Errorf("no asset of category %s", cat)
		}
	}

	resources, err := db.FindResources(ctx, store.ResourceFilter{Region: CountyCode})
	if err != nil {
		t.Fatal(err)
	}
	kinds, uses := map[register.LandKind]int{}, map[register.ResourceUse]register.Area{}
	for _, r := range resources {
		kinds[r.Kind]++
		uses[r.Use] += r.Area
	}
	for _, k := range register.LandKinds[:7] {
		if kinds[k] == 0 {
			t.Errorf("no resource of kind %s", k)
		}
	}
	if uses[register.HouseholdContracted] <= uses[register.CollectiveOperated]+uses[register.ResourceLeased]+uses[register.ResourceIdle] ||
		uses[register.ResourceLeased] == 0 || uses[register.ResourceIdle] == 0 {
		t.Errorf("areas by use: %v", uses)
	}

	contracts, err := db.FindContracts(ctx, store.ContractFilter{Region: CountyCode})
	if err != nil {
		t.Fatal(err)
	}
	if len(contracts) != sum.Contracts {
		t.Errorf("%d contracts in the register, summary %d", len(contracts), sum.Contracts)
	}
	ckinds, awards, parties := map[register.ContractKind]int{}, map[register.Award]int{}, map[register.PartyKind]int{}
	expired := 0
	for _, c := range contracts {
		ckinds[c.Kind]++
		awards[c.Award]++
		parties[c.Party.Kind]++
		switch c.Party.Kind {
		case register.Unit:
			if !jiti.ValidUSCC(c.Party.USCC) {
				t.Errorf("contract %s: USCC %q", c.Code, c.Party.USCC)
			}
		case register.Person:
			if _, err := jiti.NewIDNumber(c.Party.IDNumber.Reveal()); err != nil || c.Party.IDNumber.IsZero() {
				t.Errorf("contract %s: identity number %s: %v", c.Code, c.Party.IDNumber, err)
			}
		}
		end := jiti.Date{Year: 2025, Month: 12, Day: 31}
		switch {
		case c.Status == register.InForce && !c.End.Before(end):
		case c.Status == register.Expired && !c.End.After(end):
			expired++
		default:
			t.Errorf("contract %s (%s to %s) is %s at the end of 2025", c.Code, c.Start, c.End, c.Status)
		}
	}
	for _, k := range []register.ContractKind{register.Lease, register.Contracting, register.Equity, register.Cooperation} {
		if ckinds[k] == 0 {
			t.Errorf("no contract of kind %s", k)
		}
	}
	if awards[register.OpenBidding] <= awards[register.Negotiation]/2 || awards[register.Negotiation] == 0 ||
		parties[register.Person] == 0 || parties[register.Unit] == 0 {
		t.Errorf("awards %v, parties %v", awards, parties)
	}
	t.Logf("%d assets (%v), %d resources (%v), %d contracts (%d expired; %v, %v, %v), %d receipts; contract income of the last year %s",
		len(assets), categories, len(resources), kinds, len(contracts), expired, ckinds, awards, parties, sum.Receipts, sum.ContractIncome.Grouped())
}

// checkTumengxian checks the county's story of 土门岘镇: school buildings,
// weighing scales, assistance workshops and warehouses idle at the start
// of 2025, revitalized during it by lease, equity and cooperation, most of
// them earning income in the year, read from the books.
func checkTumengxian(t *testing.T, db *store.DB, county bool) {
	ctx := context.Background()
	got, err := db.RevitalizedAssets(ctx, tumenCode, 0, 2025)
	if err != nil {
		t.Fatal(err)
	}
	kinds, statuses, villages := map[string]int{}, map[register.Status]int{}, map[int64]bool{}
	earning := 0
	for _, ai := range got {
		name := ai.Asset.Name
		switch {
		case strings.Contains(name, "校舍"):
			kinds["校舍"]++
		case strings.Contains(name, "地磅"):
			kinds["地磅"]++
		case strings.Contains(name, "车间"):
			kinds["帮扶车间"]++
		case strings.Contains(name, "仓"):
			kinds["仓库"]++
		default:
			t.Errorf("revitalized %s", name)
		}
		statuses[ai.Asset.Status]++
		villages[ai.Asset.CollectiveID] = true
		if ai.Income > 0 {
			earning++
		}
		h, err := db.AssetHistory(ctx, ai.Asset.ID)
		if err != nil {
			t.Fatal(err)
		}
		if h[0].To != register.Idle || h[0].Date.Year >= 2025 {
			t.Errorf("%s was not idle before 2025: %+v", name, h)
		}
	}
	for _, k := range []string{"校舍", "地磅", "帮扶车间", "仓库"} {
		if kinds[k] < 3 {
			t.Errorf("土门岘镇 revitalized %d of %s", kinds[k], k)
		}
	}
	for _, s := range []register.Status{register.LeasedOut, register.Invested, register.Cooperating} {
		if statuses[s] == 0 {
			t.Errorf("土门岘镇 revitalized nothing into %s: %v", s, statuses)
		}
	}
	if len(villages) != 6 || earning*4 < len(got)*3 {
		t.Errorf("土门岘镇: %d assets revitalized in %d villages, %d earning in 2025", len(got), len(villages), earning)
	}
	all, err := db.RevitalizedAssets(ctx, CountyCode, 0, 2025)
	if err != nil {
		t.Fatal(err)
	}
	if county && len(all) <= len(got) {
		t.Errorf("no asset revitalized outside 土门岘镇")
	}
	var income jiti.Amount
	for _, ai := range got {
		income += ai.Income
	}
	t.Logf("土门岘镇: %d assets revitalized (%v, %v), %d earning %s in 2025; county: %d", len(got), kinds, statuses, earning,
		income.Grouped(), len(all))
	before, err := db.RevitalizedAssets(ctx, tumenCode, 0, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 0 {
		t.Errorf("土门岘镇 revitalized %d assets in 2024", len(before))
	}
}

// checkWarnings checks the county's warnings at the end of 2025: arrears,
// contracts about to expire, contracts without their resolution (and
// bidding without its reference), rents below the benchmark, assets idle
// too long.
func checkWarnings(t *testing.T, db *store.DB) {
	ctx := context.Background()
	ws, err := db.Warnings(ctx, store.WarningFilter{Region: CountyCode, Today: jiti.Date{Year: 2025, Month: 12, Day: 31}})
	if err != nil {
		t.Fatal(err)
	}
	n := map[register.WarningKind]int{}
	for _, w := range ws {
		n[w.Kind]++
		if w.CollectiveID == 0 {
			t.Errorf("warning without its collective: %+v", w)
		}
	}
	for _, k := range []register.WarningKind{register.WarnArrears, register.WarnExpiring, register.WarnNoResolution,
		register.WarnIdleTooLong, register.WarnNoAwardRef, register.WarnRentBelow} {
		if n[k] == 0 {
			t.Errorf("no %s warning", k)
		}
	}
	t.Logf("%d warnings: %v", len(ws), n)
}

// TestBuildNeedsKey: the contracts with persons hold identity numbers,
// which the store seals with its key; without one, Build fails with
// store.ErrNoKey rather than leave the persons out.
func TestBuildNeedsKey(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "nokey.db"), store.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	afterYear(db, 2025)
	if _, err := Build(ctx, db, Options{Seed: 1}); !errors.Is(err, store.ErrNoKey) {
		t.Fatalf("Build without a key: err = %v, want store.ErrNoKey", err)
	}
}

// TestRegistersPlan checks the registers the generator plans over two
// years, without a database: the opening balances are the existing
// assets' (generate's check), the contracts carry the leases' and
// contracting's income with little left to ordinary vouchers, some are in
// arrears, contracts run into the second year and are renewed, some rent
// is received ahead for the next year, and every
// village of 土门岘镇 revitalizes its four kinds of idle asset in 2025 and
// none before.
func TestRegistersPlan(t *testing.T) {
	sp := span{2024, 2025}
	c, hs := histories(t, 3, sp)
	for k, year := range sp.years() {
		var signed, arrears, deferred, receipts, running, renewals int
		var sundry jiti.Amount
		for _, h := range hs {
			v := h.V
			vy := h.Years[k]
			if n := len(h.Assets); n < 20 || n > 48 {
				t.Errorf("%d %s: %d assets", year, v.Region.Name, n)
			}
			revived := map[streamKind]bool{}
			for _, ci := range vy.Contracts {
				pc := h.Contracts[ci]
				signed++
				if pc.Revives && pc.Asset >= 0 {
					revived[kindOfAsset(h.Assets[pc.Asset].A.Name)] = true
				}
			}
			for _, pc := range h.Contracts {
				if strings.HasPrefix(pc.C.Note, "续签，原合同期限") && pc.C.Start.Year == year {
					renewals++
				}
				if pc.C.Start.Year < year && !pc.C.End.Before(jiti.Date{Year: year, Month: 1, Day: 1}) {
					running++
				}
				var due, paid jiti.Amount
				for _, in := range pc.insts {
					if in.DueOn.Year == year {
						due += in.Amount
					}
				}
				for _, r := range pc.Receipts {
					if r.Date.Year == year {
						paid += r.Amount
					}
				}
				if paid < due {
					arrears++
				}
			}
			for _, r := range vy.Receipts {
				receipts++
				pc := h.Contracts[r.Contract]
				if r.R.Deferred > 0 {
					deferred++
				}
				if r.R.Date.Year != year || r.R.Date.Before(pc.C.Start) && r.R.Date.Before(pc.SignOn) || r.R.Amount <= 0 {
					t.Errorf("%s contract %s: receipt %+v", v.Region.Name, pc.C.Name, r.R)
				}
			}
			for _, vc := range vy.Vouchers {
				if vc.Lines[0].Summary == "收取集市摊位及场地临时使用费" {
					sundry += vc.Lines[0].Debit
					if vc.Lines[0].Debit > jiti.Yuan(2000) {
						t.Errorf("%s %d: contracts leave %s to ordinary vouchers", v.Region.Name, year, vc.Lines[0].Debit)
					}
				}
			}
			if v.Town.Code == tumenCode {
				if year == 2025 && len(revived) < 4 {
					t.Errorf("%s revitalizes %v in 2025", v.Region.Name, revived)
				}
				if year == 2024 && len(revived) > 0 {
					t.Errorf("%s revitalizes %v in 2024", v.Region.Name, revived)
				}
			}
		}
		if arrears < 20 || deferred == 0 || year == 2025 && (running < 300 || renewals < 100) {
			t.Errorf("%d: %d contracts signed (%d renewals starting), %d running on from before, %d in arrears, %d receipts deferring income",
				year, signed, renewals, running, arrears, deferred)
		}
		t.Logf("%d: %d contracts signed (%d renewals starting), %d running on from before, %d receipts (%d deferring income), %d in arrears; %s left to sundry fees",
			year, signed, renewals, running, receipts, deferred, arrears, sundry)
	}
	_ = c
}

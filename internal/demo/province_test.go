package demo

import (
	"context"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestBuildProvince builds a tiny province (two cities, forty collectives,
// two years) with its months and years closed, and checks its codes and
// counts and that every year's books balance and hold the generated
// income.
func TestBuildProvince(t *testing.T) {
	ctx := context.Background()
	db := afterYear(storetest.OpenSQLite(t), 2025)
	checkProvince(t, ctx, db, ProvinceOptions{Seed: 3, Cities: 2, Collectives: 40, Years: 2, Close: true})
}

// TestBuildProvincePostgres builds the same tiny province on PostgreSQL,
// without closing.
func TestBuildProvincePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("PostgreSQL")
	}
	ctx := context.Background()
	db := afterYear(storetest.OpenPostgres(t), 2025)
	checkProvince(t, ctx, db, ProvinceOptions{Seed: 3, Cities: 2, Collectives: 40, Years: 2})
}

func checkProvince(t *testing.T, ctx context.Context, db *store.DB, opts ProvinceOptions) {
	var log progressLog
	opts.Progress = log.add
	sum, err := BuildProvince(ctx, db, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s\n%+v", strings.Join(log.lines, "\n"), sum)
	if log.count("demo.progress.province") != 1 || log.count("demo.progress.province_townships") == 0 {
		t.Errorf("progress:\n%s", strings.Join(log.lines, "\n"))
	}
	if sum.Collectives != opts.Collectives || sum.Cities != opts.Cities || sum.Counties < opts.Cities || sum.Townships < sum.Counties ||
		sum.FromYear != 2024 || len(sum.Income) != 2 || sum.Vouchers < 20*opts.Collectives*2 {
		t.Errorf("summary %+v", sum)
	}
	regions, err := db.FindRegions(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	levels := map[jiti.RegionLevel]int{}
	byCode := map[string]jiti.Region{}
	for _, r := range regions {
		levels[r.Level]++
		byCode[r.Code] = r
		if !strings.HasPrefix(r.Code, "62") || jiti.RegionLevelOf(r.Code) != r.Level || r.Parent != jiti.RegionParentCode(r.Code) {
			t.Errorf("region %+v", r)
		}
		if r.Level > jiti.Province && !strings.HasSuffix(r.Name, generatedMark) {
			t.Errorf("%s %s: a made-up name not marked", r.Code, r.Name)
		}
	}
	for _, r := range regions {
		if _, ok := byCode[r.Parent]; r.Level > jiti.Province && !ok {
			t.Errorf("%s: no parent %s", r.Code, r.Parent)
		}
	}
	if levels[jiti.Province] != 1 || levels[jiti.City] != opts.Cities || levels[jiti.County] != sum.Counties ||
		levels[jiti.Township] != sum.Townships || levels[jiti.Village] != opts.Collectives || len(regions) != sum.Regions {
		t.Errorf("regions by level %v", levels)
	}
	cs, err := db.FindCollectives(ctx, "62")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != opts.Collectives {
		t.Fatalf("%d collectives", len(cs))
	}
	for k, yi := range sum.Income {
		var in Income
		for _, c := range cs {
			if jiti.RegionLevelOf(c.RegionCode) != jiti.Village || !jiti.ValidUSCC(c.USCC) {
				t.Errorf("collective %+v", c)
			}
			tb, err := db.TrialBalance(ctx, c.ID, jiti.NewPeriod(yi.Year, 1), jiti.NewPeriod(yi.Year, 11), false)
			if err != nil {
				t.Fatal(err)
			}
			if !tb.Balanced() {
				t.Errorf("%s %d: trial balance does not balance", c.Code, yi.Year)
			}
			in = in.add(incomeOf(tb))
		}
		// December's income: the year's turnover less January–November's,
		// read from the books before closing (the closing vouchers are in
		// December).
		dec := incomeFromBooks(t, db, "62", opts.Collectives, yi.Year)
		if dec != yi.Income {
			t.Errorf("%d: books %+v, generated %+v", yi.Year, dec, yi.Income)
		}
		if in.Operating > yi.Income.Operating || k > 0 && yi.Income.Total() == 0 {
			t.Errorf("%d: January–November %+v, year %+v", yi.Year, in, yi.Income)
		}
	}
	rep, err := db.Verify(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Vouchers != sum.Vouchers+sum.ClosingVouchers {
		t.Errorf("verify: %d vouchers, %d problems %v", rep.Vouchers, len(rep.Problems), rep.Problems)
	}
	t.Run("SignIns", func(t *testing.T) { checkSignIns(t, db, sum.SignIns, sum.Users, false) })
}

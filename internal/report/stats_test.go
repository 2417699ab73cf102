package report_test

import (
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/report"
)

// stat is a collective whose operating income (501) is now this year and
// then the year before, with books opened on opened.
func stat(t *testing.T, id int64, code, opened string, now, then int64) *report.CollectiveStat {
	t.Helper()
	eval := func(yuan int64) []jiti.Amount {
		v, err := report.StatLines().EvaluateTerms(func(term report.Term) jiti.Amount {
			if term == (report.Term{Kind: "cr", Code: "501"}) {
				return jiti.Yuan(yuan)
			}
			return 0
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return &report.CollectiveStat{ID: id, Code: code, Name: code, Region: "620422100" + code,
		Values: eval(now), Prior: eval(then), Opened: jiti.MustDate(opened)}
}

// TestRollupNewBooks: a collective whose books begin in the year is new,
// not a move up from the tier of nothing, is counted in no tier of the year
// before, and the year's growth compares only the collectives that had a
// year before.
func TestRollupNewBooks(t *testing.T) {
	r, err := report.ComputeRollup(report.RollupInput{Region: jiti.Region{Code: "620422100", Name: "会师镇"}, Year: 2025,
		Layout: report.StatLines(), Tiers: report.DefaultTiers(),
		Collectives: []*report.CollectiveStat{
			stat(t, 1, "201", "2024-01-01", 60_000, 40_000), // tier 1 → 2: up
			stat(t, 2, "202", "2025-01-01", 120_000, 0),     // books begin in 2025
			stat(t, 3, "203", "2024-07-01", 20_000, 30_000), // part of 2024 is a year before
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Up) != 1 || r.Up[0].ID != 1 || len(r.Down) != 0 || len(r.New) != 1 || r.New[0].ID != 2 || !r.New[0].New || r.Comparable != 2 {
		t.Fatalf("up %+v down %+v new %+v comparable %d", r.Up, r.Down, r.New, r.Comparable)
	}
	// Now: 20,000 and 60,000 in tier 1 and 2, 120,000 in tier 3; a year
	// ago: 40,000 and 30,000 in tier 1, the new collective nowhere.
	for i, want := range [][2]int{{0, 0}, {1, 2}, {1, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 0}} {
		if tf := r.Tiers[i]; tf.Count != want[0] || tf.Prior != want[1] {
			t.Errorf("tier %d: %d now, %d a year ago; want %v", i, tf.Count, tf.Prior, want)
		}
	}
	l := r.Line(report.KeyOperatingType)
	if l.Sum != report.Money(jiti.Yuan(200_000)) || l.Prior != report.Money(jiti.Yuan(70_000)) ||
		l.Change != report.Money(jiti.Yuan(10_000)) || !l.Growth || l.ChangePct != 1429 {
		t.Fatalf("operating-type income: %+v (want growth 80,000 against 70,000, like with like)", l)
	}
	if g := r.GrowthRanking(); len(g) != 2 || g[0].ID != 1 {
		t.Fatalf("growth ranking %+v: the new collective has no growth", g)
	}
	tab := report.RankedTable("new", r.New, true, report.Yuan)
	if got := tab.Rows[0].Cells; got[3] != "120000.00" || got[4] != "" || got[5] != "" || got[6] != "3" || got[7] != "" {
		t.Fatalf("new collective's row %q: want blanks for last year, the change and the tier a year ago", got)
	}
	tiers := report.StatTiersTable(r, tr(locale.ZH), report.Yuan)
	if last := tiers.Rows[len(tiers.Rows)-1].Cells; last[3] != "1" {
		t.Fatalf("tiers table ends with %q, want the count of new books", last)
	}
	// Only new collectives: no year before at all, so nothing to compare.
	r, err = report.ComputeRollup(report.RollupInput{Region: jiti.Region{Code: "620422100"}, Year: 2025,
		Layout: report.StatLines(), Tiers: report.DefaultTiers(),
		Collectives: []*report.CollectiveStat{stat(t, 2, "202", "2025-01-01", 120_000, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	lines := report.StatLinesTable(r, locale.ZH, report.Yuan)
	for _, row := range lines.Rows {
		if len(row.Cells) > 3 && (row.Cells[3] != "" || row.Cells[4] != "" || row.Cells[5] != "") {
			t.Errorf("%s: prior %q change %q growth %q, want blanks", row.Cells[0], row.Cells[3], row.Cells[4], row.Cells[5])
		}
	}
}

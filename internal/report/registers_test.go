package report_test

import (
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
)

// TestRegisterTables checks what every output of a register shows: each
// row's cells under its columns in the reader's language, the net value
// and the outstanding amount worked out, the totals last, and a person's
// identity number masked.
func TestRegisterTables(t *testing.T) {
	p := locale.New(locale.ZH)
	tr := func(k string) string { return p.T(k) }
	d := func(s string) jiti.Date { return jiti.MustDate(s) }
	area := func(s string) register.Area {
		a, err := register.ParseArea(s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	cells := func(tb *report.Table) string {
		var b strings.Builder
		for _, r := range tb.Rows {
			if len(r.Cells) != len(tb.Columns) {
				t.Errorf("%s: %d cells under %d columns", tb.Title, len(r.Cells), len(tb.Columns))
			}
			b.WriteString(strings.Join(r.Cells, "|") + "\n")
		}
		return b.String()
	}

	as := []register.Asset{
		{ID: 1, Code: "ZC-1", Name: "校舍", Category: register.AssetCategories[0], Use: register.ForManagement, Source: register.Existing,
			AcquiredOn: d("2005-09-01"), Cost: jiti.MustAmount("80000"), Status: register.Idle, StatusSince: d("2020-01-01"), Location: "一社"},
		{ID: 2, Code: "ZC-2", Name: "地磅", Category: register.AssetCategories[0], Use: register.ForProduction, Source: register.Purchase,
			AcquiredOn: d("2025-03-10"), Cost: jiti.MustAmount("18000"), Status: register.InUse, StatusSince: d("2025-03-10")},
	}
	at := report.AssetTable(as, map[int64]jiti.Amount{1: jiti.MustAmount("30000")}, tr)
	cat := p.T("asset.category." + string(register.AssetCategories[0]))
	want := "ZC-1|校舍|" + cat + "|" + p.T("asset.use.management") + "|2005-09-01|" + p.T("asset.source.existing") + "|80000.00|30000.00|50000.00|" + p.T("asset.status.idle") + "|2020-01-01|一社\n" +
		"ZC-2|地磅|" + cat + "|" + p.T("asset.use.production") + "|2025-03-10|" + p.T("asset.source.purchase") + "|18000.00|0.00|18000.00|" + p.T("asset.status.in_use") + "|2025-03-10|\n" +
		"合计||||||98000.00|30000.00|68000.00|||\n"
	if got := cells(at); got != want {
		t.Errorf("assets:\n%s\nwant\n%s", got, want)
	}
	if at.Title != "资产台账" || !at.Rows[2].Bold {
		t.Errorf("assets: title %q, totals bold %v", at.Title, at.Rows[2].Bold)
	}

	rt := report.ResourceTable([]register.Resource{
		{Code: "ZY-1", Name: "坡地", Kind: register.Cultivated, Area: area("12.5"), Use: register.ResourceIdle, UseSince: d("2025-01-01"), Location: "后山", Boundaries: "东至沟"},
		{Code: "ZY-2", Name: "河滩", Kind: register.FourWastes, Area: area("3"), Use: register.CollectiveOperated, UseSince: d("2025-01-01")},
	}, tr)
	if got, want := cells(rt), "ZY-1|坡地|"+p.T("resource.kind.cultivated")+"|12.50|"+p.T("resource.use.idle")+"|2025-01-01|后山|东至沟\n"+
		"ZY-2|河滩|"+p.T("resource.kind.four_wastes")+"|3.00|"+p.T("resource.use.collective_operated")+"|2025-01-01||\n"+
		"合计|||15.50||||\n"; got != want {
		t.Errorf("resources:\n%s\nwant\n%s", got, want)
	}

	id, err := jiti.NewIDNumber("620422198503151233")
	if err != nil {
		t.Fatal(err)
	}
	ct := report.ContractTable([]*register.Contract{{ID: 7, Code: "HT-1", Name: "校舍租赁", Kind: register.Lease,
		Party: register.Party{Kind: register.Person, Name: "王五", IDNumber: id}, Start: d("2025-04-01"), End: d("2028-03-31"),
		Amount: jiti.MustAmount("36000"), Status: register.InForce, AwardRef: "GJ-7", ResolutionRef: "决议3号"}},
		map[int64]jiti.Amount{7: jiti.MustAmount("12000")}, tr)
	got := cells(ct)
	if strings.Contains(got, id.Reveal()) || !strings.Contains(got, "王五 "+id.String()) {
		t.Errorf("contracts: the identity number is not masked: %s", got)
	}
	if want := "|2025-04-01|2028-03-31|36000.00|12000.00|24000.00|" + p.T("contract.status.in_force") + "|GJ-7|决议3号\n合计||||||36000.00|12000.00|24000.00|||\n"; !strings.HasSuffix(got, want) {
		t.Errorf("contracts:\n%s\nwant the end\n%s", got, want)
	}
}

package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

var update = flag.Bool("update", false, "update golden files instead of checking against them")

// golden compares got with testdata/name, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update after checking the change):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// statsRegion builds a small fixed county: two townships, four village
// collectives with books of 2024 and 2025 (income of every kind,
// expenses, a reversal, a year-end closing and a distribution), for the
// goldens of the statistics.
func statsRegion(t *testing.T, r *runner) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, r.env["JITI_DB"], store.Options{Migrate: true, Key: storetest.Key})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := storetest.Seed(t, db)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var regions []jiti.Region
	for _, c := range [][2]string{{"620422101", "新添堡回族乡"}, {"620422101201", "新添村"}, {"620422101202", "堡子村"}} {
		reg, err := jiti.NewRegion(c[0], c[1])
		must(err)
		regions = append(regions, reg)
	}
	must(db.CreateRegions(ctx, f.Admin, regions))
	cs, err := db.CreateCollectives(ctx, f.Admin, []jiti.Collective{
		{Name: "新添村股份经济合作社", RegionCode: "620422101201", Level: jiti.LevelVillage, BooksOpenedOn: jiti.MustDate("2024-01-01")},
		{Name: "堡子村股份经济合作社", RegionCode: "620422101202", Level: jiti.LevelVillage, BooksOpenedOn: jiti.MustDate("2024-01-01")},
	})
	must(err)
	acc, err := db.CreateUser(ctx, f.Admin, jiti.User{Name: "kj2", DisplayName: "会计二", Role: jiti.RoleAgencyAccountant, ScopeRegion: "620422101"})
	must(err)
	appr, err := db.CreateUser(ctx, f.Admin, jiti.User{Name: "sh2", DisplayName: "审核二", Role: jiti.RoleTownshipSupervisor, ScopeRegion: "620422101"})
	must(err)
	L := storetest.Line
	post := func(cid int64, date string, lines ...ledger.Line) *ledger.Voucher {
		t.Helper()
		maker, approver := f.Accountant, f.Approver
		if cid == cs[0].ID || cid == cs[1].ID {
			maker, approver = acc.ID, appr.ID
		}
		v, err := db.CreateVoucher(ctx, maker, &ledger.Voucher{CollectiveID: cid, Date: jiti.MustDate(date), Lines: lines})
		must(err)
		must(db.ApproveVoucher(ctx, approver, v.ID))
		v, err = db.PostVoucher(ctx, maker, v.ID)
		must(err)
		return v
	}
	x, y := cs[0].ID, cs[1].ID
	must(db.SetOpeningBalances(ctx, acc.ID, x, []store.OpeningBalance{{Account: "101", Debit: jiti.MustAmount("20000")}, {Account: "32202", Credit: jiti.MustAmount("20000")}}))
	// 2024: 新添村 leases and invests, 堡子村 lives on subsidies.
	post(x, "2024-04-01", L("门面租金", "101", "80000"), L("门面租金", "501", "-80000"))
	post(x, "2024-09-01", L("合作社分红", "101", "30000"), L("合作社分红", "502", "-30000"))
	post(x, "2024-10-01", L("干部报酬", "513", "40000"), L("干部报酬", "101", "-40000"))
	post(y, "2024-05-01", L("运转经费补助", "101", "60000"), L("运转经费补助", "503", "-60000"))
	for _, cid := range []int64{x, y} {
		for m := 1; m <= 11; m++ {
			must(db.ClosePeriod(ctx, acc.ID, cid, jiti.NewPeriod(2024, time.Month(m))))
		}
		_, err := db.CloseYear(ctx, acc.ID, cid, 2024)
		must(err)
	}
	// 2025: 新添村 grows; 堡子村 earns its first service income; a wrong
	// entry is reversed; 新添村 distributes.
	post(x, "2025-03-01", L("门面租金", "101", "95000"), L("门面租金", "501", "-95000"))
	post(x, "2025-06-01", L("合作社分红", "101", "60000"), L("合作社分红", "502", "-60000"))
	post(x, "2025-08-01", L("干部报酬", "513", "45000"), L("干部报酬", "101", "-45000"))
	post(x, "2025-12-20", L("提取公积公益金", "3220101", "10000"), L("提取公积公益金", "101", "-10000"))
	post(y, "2025-04-01", L("农机服务费", "101", "42000.50"), L("农机服务费", "501", "-42000.50"))
	wrong := post(y, "2025-05-01", L("误记", "101", "9999"), L("误记", "504", "-9999"))
	rev, err := db.ReverseVoucher(ctx, acc.ID, wrong.ID, jiti.MustDate("2025-05-20"))
	must(err)
	must(db.ApproveVoucher(ctx, appr.ID, rev.ID))
	_, err = db.PostVoucher(ctx, acc.ID, rev.ID)
	must(err)
	post(y, "2025-07-01", L("捐赠", "101", "3000"), L("捐赠", "504", "-3000"))
	post(y, "2025-07-02", L("运转经费补助", "101", "50000"), L("运转经费补助", "503", "-50000"))
	// 会师镇: 南什村 a strong village, 南咀村 an empty shell.
	post(f.A.ID, "2025-05-01", L("服务收入", "10201", "1200000"), L("服务收入", "50102", "-1200000"))
	post(f.A.ID, "2025-06-01", L("经营支出", "511", "300000"), L("经营支出", "10201", "-300000"))
	post(f.B.ID, "2025-06-01", L("补助", "10201", "80000"), L("补助", "503", "-80000"))
}

func TestCLI_Stats(t *testing.T) {
	r := newRunner(t)
	r.env["JITI_LANG"] = "zh-CN"
	statsRegion(t, r)

	golden(t, "stats_county.txt", r.must("report", "stats", "-region", "620422", "-year", "2025"))
	golden(t, "stats_county_wan.csv", r.must("report", "stats", "-region", "620422", "-year", "2025", "-unit", "wan", "-format", "csv"))
	golden(t, "stat_table_township.txt", r.must("report", "stat-table", "-region", "620422101", "-year", "2025"))
	golden(t, "stat_table_collective.txt", r.must("report", "stat-table", "-c", "620422101201", "-year", "2025"))
	// Drill-down: the county's operating-type income by collective, and one
	// collective's vouchers behind it.
	golden(t, "stats_members.txt", r.must("report", "stats", "-region", "620422", "-year", "2025", "-line", "operating_type"))
	golden(t, "stats_vouchers.txt", r.must("report", "stats", "-c", "620422101202", "-year", "2025", "-line", "other_income"))

	// JSON carries every figure, the child regions included.
	var rollup struct {
		Collectives int
		Lines       []struct{ Key, Sum string }
		Children    []struct{ Collectives int }
	}
	js := r.must("report", "stats", "-region", "620422", "-year", "2025", "-format", "json")
	if err := json.Unmarshal([]byte(js), &rollup); err != nil {
		t.Fatalf("json: %v\n%s", err, js)
	}
	if rollup.Collectives != 4 || len(rollup.Children) != 2 || rollup.Lines[0].Key != "total_income" || rollup.Lines[0].Sum != "1530000.50" {
		t.Fatalf("json: %+v", rollup)
	}

	// xlsx: one sheet per section, Chinese headers, amounts as numbers.
	out := filepath.Join(t.TempDir(), "统计.xlsx")
	r.must("report", "stats", "-region", "620422", "-year", "2025", "-format", "xlsx", "-o", out)
	rd, err := sheet.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var rows [][]string
	for {
		row, err := rd.Next()
		if err != nil {
			break
		}
		rows = append(rows, row.Cells)
	}
	// Two of the four collectives begin their books in 2025: a line says
	// they are left out of the year before and the changes.
	if len(rows) < 9 || rows[0][0] != "村集体经济收入统计" || !strings.HasPrefix(rows[5][0], "其中本年新建账2个") ||
		strings.Join(rows[6], ",") != "项目,合计,村均,上年,增减额,增减率" || rows[7][0] != "总收入" || rows[7][1] != "1530000.5" {
		t.Fatalf("xlsx first sheet: %q", rows)
	}

	// Bad input names the field.
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "stats", "-year", "2025"}, 3, "所属区划"},
		{[]string{"report", "stats", "-region", "629999", "-year", "2025"}, 4, "所属区划"},
		{[]string{"report", "stats", "-region", "620422", "-unit", "jin"}, 3, "jin"},
		{[]string{"report", "stats", "-region", "620422", "-show", "lines,everything"}, 3, "everything"},
		{[]string{"report", "stats", "-region", "620422", "-line", "nonesuch"}, 4, "nonesuch"},
		{[]string{"report", "stats", "-c", "620422101201", "-year", "2025"}, 3, "统计指标"},
		{[]string{"report", "stats", "-region", "620422", "-format", "xlsx"}, 3, "-o"},
	} {
		code, _, errs := r.run(c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("jiti %s: exit %d, %s; want exit %d naming %q", strings.Join(c.args, " "), code, errs, c.code, c.want)
		}
	}
}

// TestCLI_StatsConfiguration: a county adds a line from a detail account
// and sets its tiers, through the command line, and the statistics follow.
func TestCLI_StatsConfiguration(t *testing.T) {
	r := newRunner(t)
	statsRegion(t, r)
	layout := r.must("stats", "layout", "-region", "620422", "-year", "2025")
	layout = strings.Replace(layout, `"lines": [`, `"lines": [
    {"no": 21, "key": "contracting", "label": "发包及上交收入", "label_en": "Contracting fees and profits handed up", "formula": "cr:50102 - dr:50102"},`, 1)
	path := writeFile(t, "layout.json", layout)
	if code, _, errs := r.run("stats", "layout", "-region", "620422", "-year", "2025", "-set", path, "-as", "kuaiji"); code != 6 {
		t.Fatalf("an accountant sets the layout: exit %d, %s", code, errs)
	}
	r.must("stats", "layout", "-region", "620422", "-year", "2025", "-set", path, "-as", "admin")
	r.must("stats", "tiers", "-region", "620422", "-year", "2025", "-breaks", "0,100000,1000000", "-weak", "50000", "-as", "admin")
	if out := r.must("stats", "tiers", "-region", "620422100", "-year", "2026"); !strings.Contains(out, "0.00 / 100,000.00 / 1,000,000.00") || !strings.Contains(out, "50,000.00") {
		t.Fatalf("tiers: %s", out)
	}
	out := r.must("report", "stats", "-region", "620422", "-year", "2025", "-show", "lines,tiers", "-format", "csv")
	// The line's 1,200,000 is 南什村's, whose books begin in 2025: no
	// change against a year without books.
	if !strings.Contains(out, "Contracting fees and profits handed up,1200000.00,300000.00,0.00,0.00,") {
		t.Fatalf("the county's own line: %s", out)
	}
	out = r.must("report", "stats", "-region", "620422", "-year", "2025", "-show", "tiers")
	if !strings.Contains(out, "1,000,000.00") || strings.Contains(out, "500,000.00") {
		t.Fatalf("the county's own tiers: %s", out)
	}
	if code, _, errs := r.run("stats", "tiers", "-region", "620422", "-year", "2025", "-breaks", "100,0", "-as", "admin"); code != 3 || !strings.Contains(errs, "tier breakpoints") {
		t.Fatalf("bad tiers: exit %d, %s", code, errs)
	}
	bad := writeFile(t, "bad.json", strings.Replace(layout, "cr:50102 - dr:50102", "bal:101", 1))
	if code, _, errs := r.run("stats", "layout", "-region", "620422", "-year", "2025", "-set", bad, "-as", "admin"); code != 3 || !strings.Contains(errs, "bal:101") {
		t.Fatalf("bad layout: exit %d, %s", code, errs)
	}
}

// TestCLI_StatsDemo builds the demo county as a user would and holds its
// statistics to the county's published figures of 2025, to the fen, with
// 2024 lower; then exports the county's journals and has hledger, an
// independent program, sum the income accounts of both years with year-end
// closing left out, which must give the same totals.
func TestCLI_StatsDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo county")
	}
	hledger := requireHledger(t)
	r := newRunner(t)
	r.must("demo", "-serve=false")
	var rollup struct {
		Collectives int
		Lines       []struct {
			Key, Sum, Average, Prior string
			Growth                   bool `json:"growth_defined"`
		}
	}
	js := r.must("report", "stats", "-region", "620422", "-year", "2025", "-format", "json")
	if err := json.Unmarshal([]byte(js), &rollup); err != nil {
		t.Fatal(err)
	}
	lines := map[string]struct{ sum, avg, prior string }{}
	for _, l := range rollup.Lines {
		lines[l.Key] = struct{ sum, avg, prior string }{l.Sum, l.Average, l.Prior}
	}
	if rollup.Collectives != 284 {
		t.Errorf("collectives %d, want 284", rollup.Collectives)
	}
	for key, want := range map[string]string{"total_income": "105534400.00", "operating_type": "98922100.00",
		"other_income": "3185600.00", "subsidy": "3426700.00"} {
		if got := lines[key].sum; got != want {
			t.Errorf("%s: %s, want %s", key, got, want)
		}
	}
	if got := lines["total_income"].avg; got != "371600.00" {
		t.Errorf("average total income %s, want 371600.00", got)
	}
	for _, key := range []string{"total_income", "operating_type"} {
		prior, now := jiti.MustAmount(lines[key].prior), jiti.MustAmount(lines[key].sum)
		if prior <= 0 || prior >= now {
			t.Errorf("%s: 2024 %s, 2025 %s: want 2024 lower, so growth shows", key, prior, now)
		}
	}

	journal := filepath.Join(t.TempDir(), "county.journal")
	r.must("export", "journal", "-region", "620422", "-o", journal)
	for _, year := range []string{"2024", "2025"} {
		out, err := exec.Command(hledger, "-f", journal, "balance", "-b", year+"-01-01", "-e", nextYear(year)+"-01-01",
			"not:tag:kind=closing", "--alias", `/^[0-9]+:(50[1-4]).*$/=\1`, "acct:^50[1-4]$", "-N", "-O", "csv").CombinedOutput()
		if err != nil {
			t.Fatalf("hledger: %v\n%s", err, out)
		}
		recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		hl := map[string]jiti.Amount{}
		for _, rec := range recs[1:] {
			a, err := jiti.ParseAmount(rec[1])
			if err != nil {
				t.Fatalf("hledger amount %q: %v", rec[1], err)
			}
			hl[rec[0]] = -a // income is a credit: negative in the journal
		}
		for key, code := range map[string]string{"operating": "501", "investment": "502", "subsidy": "503", "other_income": "504"} {
			want := lines[key].sum
			if year == "2024" {
				want = lines[key].prior
			}
			if got := hl[code].String(); got != want {
				t.Errorf("%s %s (%s): hledger %s, jiti %s", year, key, code, got, want)
			}
		}
	}
}

func nextYear(y string) string {
	n, _ := strconv.Atoi(y)
	return strconv.Itoa(n + 1)
}

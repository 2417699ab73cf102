package cli_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// story runs jiti and keeps everything it printed, so that the test can
// check that a person's identity number never appears in clear.
type story struct {
	*runner
	printed strings.Builder
}

func (s *story) run(args ...string) (int, string, string) {
	s.t.Helper()
	code, out, errs := s.runner.run(args...)
	s.printed.WriteString(out)
	s.printed.WriteString(errs)
	return code, out, errs
}

// must runs jiti and fails the test unless it exits 0.
func (s *story) must(args ...string) string {
	s.t.Helper()
	code, out, errs := s.run(args...)
	if code != 0 {
		s.t.Fatalf("jiti %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// fails runs jiti and checks that it exits with code and that stderr
// mentions want.
func (s *story) fails(code int, want string, args ...string) {
	s.t.Helper()
	got, out, errs := s.run(args...)
	if got != code || !strings.Contains(errs, want) {
		s.t.Fatalf("jiti %s: exit %d, want %d with %q\nstdout: %s\nstderr: %s", strings.Join(args, " "), got, code, want, out, errs)
	}
}

func wantIn(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
}

// TestCLI_Registers tells the story of a village's registers through the
// commands: an idle school building from the old books and a purchased
// weighing scale, a plot of land, a lease of the building to a person and
// the land contracted out, receipts, month closes, the registers, the
// warnings, the assets revitalized, and verify. The lessee's identity
// number is only ever shown masked.
func TestCLI_Registers(t *testing.T) {
	s := &story{runner: newRunner(t)}
	s.setup()
	const c = "620422100201"
	id := storetest.IDNumber("62042219850315123")
	clear, masked := id.Reveal(), id.String()

	opening := writeFile(t, "opening.csv", "科目编码,户号,借方余额,贷方余额\n10201,,200000.00,\n151,,80000.00,\n152,,,30000.00\n301,,,250000.00\n")
	s.must("opening", "set", "-c", c, opening, "-as", "kj")

	// The registers.
	out := s.must("asset", "add", "-c", c, "-code", "ZC-XX01", "-name", "原南什小学校舍", "-category", "building",
		"-source", "existing", "-acquired", "2005-09-01", "-cost", "80000", "-life", "360",
		"-opening-dep", "30000", "-opening-months", "232", "-status", "idle", "-location", "南什村一社", "-as", "kj")
	wantIn(t, "asset add", out, "asset ZC-XX01 原南什小学校舍 registered")
	out = s.must("asset", "add", "-c", c, "-code", "ZC-2025-001", "-name", "电子地磅", "-category", "equipment",
		"-use", "production", "-acquired", "2025-03-10", "-cost", "18000", "-life", "120", "-credit", "10201", "-as", "kj")
	wantIn(t, "asset add", out, "asset ZC-2025-001 电子地磅 registered")
	s.fails(3, "cost: must be greater than zero", "asset", "add", "-c", c, "-code", "ZC-2025-002", "-name", "x", "-category", "equipment",
		"-acquired", "2025-03-10", "-cost", "0", "-life", "120", "-credit", "10201", "-as", "kj")
	s.fails(5, "ZC-2025-001", "asset", "add", "-c", c, "-code", "ZC-2025-001", "-name", "x", "-category", "equipment",
		"-acquired", "2025-03-10", "-cost", "10", "-life", "120", "-credit", "10201", "-as", "kj")
	out = s.must("resource", "add", "-c", c, "-code", "ZY-001", "-name", "后山坡地", "-kind", "cultivated", "-area", "12.5",
		"-use", "idle", "-as", "kj")
	wantIn(t, "resource add", out, "resource ZY-001 后山坡地 registered (12.50 mu)")
	s.fails(3, "12.345", "resource", "add", "-c", c, "-code", "ZY-002", "-name", "x", "-kind", "cultivated", "-area", "12.345", "-as", "kj")

	// The contracts: the building leased to a person, the land contracted
	// out by open bidding.
	s.adoptDecision(c, "2025-03", "contract", "原南什小学校舍出租", "2025-03-20")
	s.adoptDecision(c, "2025-04", "contract", "后山坡地发包", "2025-03-20")
	bad := clear[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", clear[17])+1)%11])
	s.fails(3, "identity number", "contract", "add", "-c", c, "-code", "HT-2025-001", "-name", "校舍租赁合同", "-party", "王五",
		"-id-number", bad, "-asset", "ZC-XX01", "-start", "2025-04-01", "-end", "2028-03-31", "-amount", "36000",
		"-income-account", "50101", "-as", "kj")
	out = s.must("contract", "add", "-c", c, "-code", "HT-2025-001", "-name", "校舍租赁合同", "-party", "王五",
		"-id-number", clear, "-phone", "13800000000", "-asset", "ZC-XX01", "-start", "2025-04-01", "-end", "2028-03-31",
		"-amount", "36000", "-frequency", "yearly", "-income-account", "50101", "-resolution", "2025-03", "-as", "kj")
	wantIn(t, "contract add", out, "contract HT-2025-001 校舍租赁合同 registered")
	s.must("contract", "add", "-c", c, "-code", "HT-2025-002", "-name", "后山坡地发包合同", "-kind", "contracting",
		"-party-kind", "unit", "-party", "会宁县丰源农业有限公司", "-resource", "ZY-001", "-start", "2025-04-01", "-end", "2026-03-31",
		"-amount", "2000", "-income-account", "50101", "-award", "open_bidding", "-resolution", "2025-04", "-as", "kj")
	s.fails(3, "end", "contract", "add", "-c", c, "-code", "HT-2025-003", "-name", "x", "-party", "x", "-asset", "ZC-2025-001",
		"-start", "2025-04-01", "-end", "2025-03-31", "-amount", "100", "-income-account", "50101", "-as", "kj")
	for _, code := range []string{"HT-2025-001", "HT-2025-002"} {
		wantIn(t, "contract sign", s.must("contract", "sign", "-c", c, "-contract", code, "-date", "2025-04-01", "-as", "kj"),
			"contract "+code+" in force from 2025-04-01")
	}

	// Receipts: more than is due is refused unless it is an advance.
	s.fails(3, "advance", "contract", "receipt", "-c", c, "-contract", "HT-2025-001", "-date", "2025-04-05",
		"-amount", "20000", "-account", "10201", "-as", "kj")
	out = s.must("contract", "receipt", "-c", c, "-contract", "HT-2025-001", "-date", "2025-04-05", "-amount", "12000",
		"-account", "10201", "-as", "kj")
	wantIn(t, "contract receipt", out, "12,000.00 yuan received on contract HT-2025-001", "posted")

	for _, m := range []string{"2025-01", "2025-02", "2025-03", "2025-04", "2025-05"} {
		wantIn(t, "period close", s.must("period", "close", "-c", c, "-month", m, "-as", "kj"), m+" closed")
	}

	// The registers as they stand.
	out = s.must("asset", "list", "-c", c)
	// The school building: 50,000 left over 128 months from January, five
	// months closed; the scale: 150 a month from April.
	wantIn(t, "asset list", out, "ZC-XX01", "原南什小学校舍", "leased out", "80,000.00", "ZC-2025-001", "in use", "18,000.00", "300.00")
	var as []struct {
		Code   string `json:"code"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(s.must("asset", "list", "-c", c, "-format", "json")), &as); err != nil || len(as) != 2 ||
		as[1].Code != "ZC-XX01" || as[1].Status != "leased_out" {
		t.Fatalf("asset list json: %v %+v", err, as)
	}
	out = s.must("asset", "show", "-c", c, "-asset", "ZC-XX01")
	wantIn(t, "asset show", out, "Asset history", "idle", "leased out", "2025-04-01", "签订合同HT-2025-001")
	out = s.must("contract", "show", "-c", c, "-contract", "HT-2025-001")
	wantIn(t, "contract show", out, "王五 "+masked, "2025-04-01", "2028-03-31", "12,000.00", "in force")
	var shown struct {
		Contract struct {
			Party struct {
				IDNumber string `json:"id_number"`
			} `json:"party"`
		} `json:"contract"`
		Instalments []json.RawMessage `json:"instalments"`
		Receipts    []json.RawMessage `json:"receipts"`
	}
	if err := json.Unmarshal([]byte(s.must("contract", "show", "-c", c, "-contract", "HT-2025-001", "-format", "json")), &shown); err != nil ||
		shown.Contract.Party.IDNumber != masked || len(shown.Instalments) != 3 || len(shown.Receipts) != 1 {
		t.Fatalf("contract show json: %v %+v", err, shown)
	}
	wantIn(t, "contract list", s.must("contract", "list", "-c", c), "HT-2025-001", "王五 "+masked, "HT-2025-002", "contracting")
	s.must("resource", "list", "-c", c)

	// The warnings of the county: the land was contracted out by open
	// bidding without its reference, its rent is unpaid, and it fetches
	// 160 a mu against the county's 300.
	s.fails(6, "", "benchmark", "set", "-region", "620422", "-year", "2025", "-rent-per-mu", "300", "-as", "kj")
	s.must("benchmark", "set", "-region", "620422", "-year", "2025", "-rent-per-mu", "300", "-as", "admin")
	out = s.must("warnings", "-region", "620422", "-date", "2025-06-01")
	wantIn(t, "warnings", out, "南什村股份经济合作社", "Arrears", "Open bidding without its reference", "Rent per mu below the benchmark",
		"160.00", "300.00", "2,000.00")
	detail, summary, _ := strings.Cut(out, "Warnings by township")
	if strings.Contains(detail, "Asset idle too long") || strings.Contains(detail, "No resolution") {
		t.Errorf("warnings name what is in order:\n%s", out)
	}
	// Summed upward by township, and over the region.
	wantIn(t, "warnings by township", summary, "会师镇", "Total")
	// A warning about a whole contract names the contract, not an
	// instalment 0 of it.
	if strings.Contains(out, "instalment 0") {
		t.Errorf("warnings about contracts name an instalment 0:\n%s", out)
	}

	// The building, idle since 2005, was leased out in 2025: revitalized,
	// with the income of 2025 (275 of the year's 365 days of rent).
	out = s.must("asset", "revitalized", "-region", "620422", "-year", "2025")
	wantIn(t, "asset revitalized", out, "Idle assets revitalized in 2025", "ZC-XX01", "原南什小学校舍", "leased out", "9,041.10")
	if strings.Contains(out, "ZC-2025-001") {
		t.Errorf("the scale, never idle, is listed as revitalized:\n%s", out)
	}
	// Without -year, the latest year with posted books: 2025, whatever
	// today's year.
	wantIn(t, "asset revitalized without -year", s.must("asset", "revitalized", "-region", "620422"), "Idle assets revitalized in 2025", "ZC-XX01")
	var rev []struct {
		Income jiti.Amount `json:"income"`
	}
	if err := json.Unmarshal([]byte(s.must("asset", "revitalized", "-c", c, "-year", "2025", "-format", "json")), &rev); err != nil ||
		len(rev) != 1 || rev[0].Income != jiti.MustAmount("9041.10") {
		t.Fatalf("revitalized json: %v %+v", err, rev)
	}

	// Every list names the collective by its code and name, never by its
	// id (1 here): in text, in CSV and in JSON beside the id.
	s.collectiveNamed(c, "南什村股份经济合作社",
		[]string{"asset", "revitalized", "-region", "620422", "-year", "2025"},
		[]string{"asset", "list", "-region", "620422"},
		[]string{"resource", "list", "-region", "620422"},
		[]string{"contract", "list", "-region", "620422"},
		[]string{"warnings", "-region", "620422", "-date", "2025-06-01"})
	for _, args := range [][]string{{"asset", "list", "-c", c}, {"resource", "list", "-c", c}, {"contract", "list", "-c", c}} {
		wantIn(t, strings.Join(args, " "), s.must(args...), "Collective: 南什村股份经济合作社 (620422100201)")
	}
	var revJSON []struct {
		CollectiveID   int64  `json:"-"`
		CollectiveCode string `json:"collective_code"`
		CollectiveName string `json:"collective_name"`
	}
	if err := json.Unmarshal([]byte(s.must("asset", "revitalized", "-region", "620422", "-year", "2025", "-format", "json")), &revJSON); err != nil ||
		len(revJSON) != 1 || revJSON[0].CollectiveCode != c || revJSON[0].CollectiveName != "南什村股份经济合作社" {
		t.Fatalf("revitalized json: %v %+v", err, revJSON)
	}
	s.must("user", "add", "-name", "cun", "-role", "village_accountant", "-collectives", c, "-as", "admin")
	out = s.must("user", "list")
	wantIn(t, "user list", out, "620422100201 南什村股份经济合作社")
	if strings.Contains(out, "#1") {
		t.Errorf("user list names a collective by its id:\n%s", out)
	}
	out = excelCSV(s.must("collective", "list", "-format", "csv"))
	if !strings.HasPrefix(out, "Code,Name,") || !strings.Contains(out, "\n620422100201,南什村股份经济合作社,") {
		t.Errorf("collective list is not by code and name:\n%s", out)
	}
	wantIn(t, "audit", s.must("audit", "-c", c, "-format", "csv"), "Collective code", ",620422100201,")

	// The books agree with the registers: 151 holds both assets, 152 their
	// depreciation.
	var tb ledger.TrialBalance
	if err := json.Unmarshal([]byte(s.must("report", "trial-balance", "-c", c, "-from", "2025-01", "-to", "2025-05", "-format", "json")), &tb); err != nil {
		t.Fatal(err)
	}
	if tb.Row("151").ClosingDr != jiti.MustAmount("98000") || tb.Row("152").ClosingCr != jiti.MustAmount("32253.13") ||
		tb.Row("211").ClosingCr != jiti.MustAmount("2958.90") || tb.Row("50101").ClosingCr != jiti.MustAmount("9041.10") {
		t.Fatalf("151 %v 152 %v 211 %v 50101 %v", tb.Row("151").Closing(), tb.Row("152").Closing(), tb.Row("211").Closing(),
			tb.Row("50101").Closing())
	}
	wantIn(t, "verify", s.must("verify"), "books intact")
	s.must("audit", "-c", c)

	if strings.Contains(s.printed.String(), clear) || strings.Contains(s.printed.String(), clear[6:14]) {
		t.Fatal("the identity number was printed in clear")
	}
	if !strings.Contains(s.printed.String(), masked) {
		t.Fatal("the identity number was never shown masked")
	}
}

// collectiveNamed runs each list as CSV and checks that its rows name
// their collective by code and name in the first two columns, and never by
// the id.
func (s *story) collectiveNamed(code, name string, lists ...[]string) {
	s.t.Helper()
	for _, args := range lists {
		what := strings.Join(args, " ")
		list, _, _ := strings.Cut(excelCSV(s.must(append(args, "-format", "csv")...)), "\n\n") // the sums by township follow
		rows, err := csv.NewReader(strings.NewReader(list)).ReadAll()
		if err != nil {
			s.t.Fatalf("%s: %v", what, err)
		}
		if len(rows) < 2 || len(rows[0]) < 2 || rows[0][0] != "Collective code" || rows[0][1] != "Collective" {
			s.t.Errorf("%s: header %q, want the collective's code and name first", what, rows[0])
			continue
		}
		named := 0
		for _, row := range rows[1:] {
			if row[0] == code && row[1] == name {
				named++
			}
			for _, cell := range row[:min(len(row), 2)] { // a total's count may be 1
				if cell == "1" || cell == "#1" {
					s.t.Errorf("%s names a collective by its id: %q", what, row)
				}
			}
		}
		if named == 0 {
			s.t.Errorf("%s: no row names %s %s:\n%q", what, code, name, rows)
		}
		// The text table shows the same.
		text, shown := s.must(args...), false
		for _, line := range strings.Split(text, "\n") {
			if f := strings.Fields(line); len(f) > 1 && f[0] == code && f[1] == name {
				shown = true
			}
		}
		if !shown {
			s.t.Errorf("%s: no line begins with %s %s:\n%s", what, code, name, text)
		}
	}
}

// TestCLI_RegistersVerifyTampering changes an asset's cost behind jiti's
// back: verify names the difference with 151, in words.
func TestCLI_RegistersVerifyTampering(t *testing.T) {
	r := newRunner(t)
	r.setup()
	r.must("asset", "add", "-c", "620422100201", "-code", "ZC-1", "-name", "冷库", "-category", "structure",
		"-acquired", "2025-03-10", "-cost", "50000", "-life", "240", "-credit", "10201", "-as", "kj")
	r.must("asset", "add", "-c", "620422100201", "-code", "ZC-2", "-name", "仓库", "-category", "building",
		"-acquired", "2025-03-10", "-cost", "30000", "-life", "240", "-credit", "10201", "-as", "kj")
	r.must("verify")
	db, err := store.Open(context.Background(), r.env["JITI_DB"], store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ExecRaw(context.Background(), `UPDATE assets SET cost = cost + 1 WHERE code = 'ZC-1'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, _ := r.run("verify")
	if code != 7 || !strings.Contains(out, "620422100201 南什村股份经济合作社: the register and the books disagree: 151: books 80000.00, register 80000.01") {
		t.Fatalf("verify after tampering: exit %d\n%s", code, out)
	}
	// The problem is described in words, not by its catalog key.
	if strings.Contains(out, "verify.register_balance") {
		t.Errorf("verify prints the untranslated key:\n%s", out)
	}
}

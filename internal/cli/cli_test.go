package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/cli"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// run runs jiti in-process against the test's database and returns the exit
// code, stdout and stderr.
type runner struct {
	t   *testing.T
	env map[string]string
}

func newRunner(t *testing.T) *runner {
	dir := t.TempDir()
	return &runner{t: t, env: map[string]string{"JITI_DB": filepath.Join(dir, "jiti.db"), "JITI_LANG": "en"}}
}

func (r *runner) run(args ...string) (int, string, string) {
	r.t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, strings.NewReader(""), &out, &errb, func(k string) string { return r.env[k] })
	return code, out.String(), errb.String()
}

// must runs jiti and fails the test unless it exits 0.
func (r *runner) must(args ...string) string {
	r.t.Helper()
	code, out, errs := r.run(args...)
	if code != 0 {
		r.t.Fatalf("jiti %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// setup builds a small county with one village collective, an accountant
// and an approver, through the command line.
func (r *runner) setup() {
	r.must("migrate")
	r.must("user", "add", "-name", "admin", "-role", "county_admin")
	r.must("region", "add", "-code", "620422", "-name", "会宁县", "-as", "admin")
	r.must("region", "add", "-code", "620422100", "-name", "会师镇", "-as", "admin")
	r.must("region", "add", "-code", "620422100201", "-name", "南什村", "-as", "admin")
	r.must("collective", "add", "-region", "620422100201", "-name", "南什村股份经济合作社", "-opened", "2025-01-01", "-as", "admin")
	r.must("user", "add", "-name", "kj", "-role", "agency_accountant", "-scope", "620422100", "-as", "admin")
	r.must("user", "add", "-name", "sh", "-role", "township_supervisor", "-scope", "620422100", "-as", "admin")
	r.must("account", "add", "-c", "620422100201", "-code", "10201", "-name", "农商银行基本户", "-as", "kj")
	r.must("account", "add", "-c", "620422100201", "-code", "50101", "-name", "租赁收入", "-as", "kj")
	r.must("household", "add", "-c", "620422100201", "-code", "H001", "-name", "张三", "-as", "kj")
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCLI_Books(t *testing.T) {
	r := newRunner(t)
	r.setup()
	opening := writeFile(t, "opening.csv", "科目编码,户号,借方余额,贷方余额\n101,,2000.00,\n10201,,50000.00,\n113,H001,300.00,\n301,,,52300.00\n")
	r.must("opening", "set", "-c", "620422100201", opening, "-as", "kj")

	out := r.must("voucher", "create", "-c", "620422100201", "-date", "2025-03-05", "-attachments", "2",
		"-line", "收取门面租金,10201,5000.00,", "-line", ",50101,,5000.00", "-as", "kj")
	if !strings.Contains(out, "#1") {
		t.Fatalf("create: %s", out)
	}
	if code, _, errs := r.run("voucher", "approve", "-id", "1", "-as", "kj"); code != 6 || !strings.Contains(errs, "You cannot approve voucher draft #1, which you made yourself") {
		t.Fatalf("self-approval: exit %d, %s", code, errs)
	}
	r.must("voucher", "approve", "-id", "1", "-as", "sh")
	out = r.must("voucher", "post", "-id", "1", "-as", "kj")
	if !strings.Contains(out, "no. 1") {
		t.Fatalf("post: %s", out)
	}
	if code, _, errs := r.run("voucher", "create", "-c", "620422100201", "-date", "2025-03-06",
		"-line", "x,10201,1.234,", "-line", "x,50101,,1.23", "-as", "kj"); code != 3 || !strings.Contains(errs, "line 1") {
		t.Fatalf("bad amount: exit %d, %s", code, errs)
	}

	// The trial balance in JSON: balanced, with the opening and the rent.
	var tb ledger.TrialBalance
	js := r.must("report", "trial-balance", "-c", "620422100201", "-from", "2025-01", "-to", "2025-03", "-format", "json")
	if err := json.Unmarshal([]byte(js), &tb); err != nil {
		t.Fatalf("trial balance json: %v\n%s", err, js)
	}
	if !tb.Balanced() || tb.Row("102").ClosingDr != jiti.MustAmount("55000") || tb.Row("301").OpeningCr != jiti.MustAmount("52300") {
		t.Fatalf("trial balance: %+v", tb.Total)
	}
	// CSV has the translated header and plain amounts.
	csvOut := r.must("report", "trial-balance", "-c", "620422100201", "-month", "2025-03", "-format", "csv")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut, "\ufeff"))).ReadAll()
	if err != nil || len(recs) < 3 || recs[0][0] != "Code" {
		t.Fatalf("csv: %v\n%s", err, csvOut)
	}
	for _, args := range [][]string{
		{"report", "balance-sheet", "-c", "620422100201", "-month", "2025-03"},
		{"report", "income", "-c", "620422100201", "-month", "2025-03"},
		{"report", "ledger", "-c", "620422100201", "-account", "102", "-from", "2025-01", "-to", "2025-03"},
		{"report", "general-ledger", "-c", "620422100201", "-account", "102", "-from", "2025-01", "-to", "2025-03"},
		{"report", "journal", "-c", "620422100201", "-account", "10201", "-month", "2025-03"},
		{"voucher", "list", "-c", "620422100201"},
		{"voucher", "show", "-id", "1"},
		{"account", "list", "-c", "620422100201"},
		{"period", "list", "-c", "620422100201"},
		{"audit", "-c", "620422100201"},
	} {
		if out := r.must(args...); strings.TrimSpace(out) == "" {
			t.Errorf("jiti %s printed nothing", strings.Join(args, " "))
		}
	}
	r.must("verify")
}

func TestCLI_ChineseByDefault(t *testing.T) {
	r := newRunner(t)
	delete(r.env, "JITI_LANG")
	r.must("migrate")
	code, _, errs := r.run("voucher", "show", "-id", "1")
	if code != 4 || !strings.Contains(errs, "未找到") {
		t.Fatalf("exit %d, stderr %q: want a Chinese not-found message", code, errs)
	}
	if code, _, _ := r.run("no-such-command"); code != 2 {
		t.Fatalf("unknown command: exit %d, want 2", code)
	}
}

func TestCLI_ImportVouchers(t *testing.T) {
	r := newRunner(t)
	r.setup()
	good := writeFile(t, "good.csv", "凭证号,日期,附件数,摘要,科目编码,借方金额,贷方金额,户号\n"+
		"1,2025-02-01,1,收租金,10201,800.00,,\n1,,,,50101,,800.00,\n"+
		"2,2025-02-03,0,借款给农户,113,100,,H001\n2,,,,101,,100,\n")
	out := r.must("import", "vouchers", "-c", "620422100201", good, "-as", "kj")
	if !strings.Contains(out, "2 vouchers with 4 lines") {
		t.Fatalf("import: %s", out)
	}
	bad := writeFile(t, "bad.csv", "凭证号,日期,摘要,科目编码,借方金额,贷方金额\n"+
		"1,2025-02-05,ok,101,10,\n1,,,50101,,10\n"+
		"2,2025-02-06,bad account,999,10,\n2,,,50101,,10\n"+
		"3,2025-02-07,unbalanced,101,10,\n3,,,50101,,9\n"+
		"4,2025-02-08,bad amount,101,1.234,\n4,,,50101,,10\n")
	code, _, errs := r.run("import", "vouchers", "-c", "620422100201", bad, "-as", "kj")
	if code != 3 {
		t.Fatalf("bad import: exit %d, %s", code, errs)
	}
	for _, want := range []string{"row 4, column D", "row 6", "row 8, column E"} {
		if !strings.Contains(errs, want) {
			t.Errorf("errors lack %q:\n%s", want, errs)
		}
	}
	// Nothing of the bad file was written: still two drafts.
	var vs []json.RawMessage
	js := r.must("voucher", "list", "-c", "620422100201", "-format", "json")
	if err := json.Unmarshal([]byte(js), &vs); err != nil || len(vs) != 2 {
		t.Fatalf("after refused import: %d vouchers (%v)", len(vs), err)
	}
	out = r.must("voucher", "approve", "-c", "620422100201", "-all", "-as", "sh")
	if !strings.Contains(out, "2 vouchers approved") {
		t.Fatalf("approve all: %s", out)
	}
	out = r.must("voucher", "post", "-c", "620422100201", "-all", "-as", "kj")
	if !strings.Contains(out, "2 vouchers posted") {
		t.Fatalf("post all: %s", out)
	}
	r.must("verify")
}

// TestCLI_VerifyTampering changes a posted line behind jiti's back and
// expects verify to name the voucher and exit non-zero.
func TestCLI_VerifyTampering(t *testing.T) {
	r := newRunner(t)
	r.setup()
	r.must("voucher", "create", "-c", "620422100201", "-date", "2025-03-05", "-line", "收租,10201,100,", "-line", "收租,50101,,100", "-as", "kj")
	r.must("voucher", "approve", "-id", "1", "-as", "sh")
	r.must("voucher", "post", "-id", "1", "-as", "kj")
	db, err := store.Open(context.Background(), r.env["JITI_DB"], store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ExecRaw(context.Background(), `UPDATE voucher_lines SET summary = 'x' WHERE voucher_id = 1 AND line_no = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, _ := r.run("verify")
	if code != 7 || !strings.Contains(out, "620422100201 南什村股份经济合作社 2025-03 no. 1: voucher content does not match its hash") {
		t.Fatalf("verify after tampering: exit %d\n%s", code, out)
	}
}

// TestCLI_HledgerAgrees exports the books as a journal and checks that
// hledger, an independent program, accepts it and finds every account's
// balance equal to jiti's trial balance to the fen.
func TestCLI_HledgerAgrees(t *testing.T) {
	hledger := requireHledger(t)
	r := newRunner(t)
	r.setup()
	opening := writeFile(t, "opening.csv", "科目编码,户号,借方余额,贷方余额\n101,,2000.00,\n10201,,50000.00,\n113,H001,300.00,\n301,,,52300.00\n")
	r.must("opening", "set", "-c", "620422100201", opening, "-as", "kj")
	vouchers := writeFile(t, "v.csv", "凭证号,日期,摘要,科目编码,借方金额,贷方金额,户号\n"+
		"1,2025-02-01,收租金;含押金,10201,800.55,,\n1,,,50101,,800.55,\n"+
		"2,2025-02-03,借款,113,100,,H001\n2,,,101,,100,\n"+
		"3,2025-03-03,付电费,513,77.01,,\n3,,,10201,,77.01,\n")
	r.must("import", "vouchers", "-c", "620422100201", vouchers, "-as", "kj")
	r.must("voucher", "approve", "-c", "620422100201", "-all", "-as", "sh")
	r.must("voucher", "post", "-c", "620422100201", "-all", "-as", "kj")
	r.must("voucher", "reverse", "-id", "3", "-date", "2025-03-20", "-as", "kj")
	r.must("voucher", "approve", "-id", "4", "-as", "sh")
	r.must("voucher", "post", "-id", "4", "-as", "kj")

	journal := filepath.Join(t.TempDir(), "books.journal")
	r.must("export", "journal", "-c", "620422100201", "-o", journal)
	hl := hledgerBalances(t, hledger, journal)

	var tb ledger.TrialBalance
	js := r.must("report", "trial-balance", "-c", "620422100201", "-from", "2025-01", "-to", "2025-12", "-format", "json")
	if err := json.Unmarshal([]byte(js), &tb); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, row := range tb.Rows {
		name := report.HledgerAccount("620422100201", row.Code)
		if got, want := hl[name], row.Closing(); got != want {
			t.Errorf("%s: hledger %s, jiti %s", row.Code, got, want)
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("only %d accounts compared", checked)
	}
}

// requireHledger returns the path of hledger, skipping the test when it is
// missing, or failing it when JITI_REQUIRE_HLEDGER=1 (CI).
func requireHledger(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("hledger")
	if err != nil {
		if os.Getenv("JITI_REQUIRE_HLEDGER") == "1" {
			t.Fatal("hledger is required (JITI_REQUIRE_HLEDGER=1) but not installed")
		}
		t.Skip("hledger not installed")
	}
	return p
}

// hledgerBalances runs `hledger balance` on a journal and returns every
// account's balance (parents included, as hledger's tree totals).
func hledgerBalances(t *testing.T, hledger, journal string) map[string]jiti.Amount {
	t.Helper()
	if out, err := exec.Command(hledger, "-f", journal, "check").CombinedOutput(); err != nil {
		t.Fatalf("hledger check: %v\n%s", err, out)
	}
	out, err := exec.Command(hledger, "-f", journal, "balance", "--tree", "-O", "csv", "-N", "--no-elide").Output()
	if err != nil {
		t.Fatalf("hledger balance: %v", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	bal := map[string]jiti.Amount{}
	for _, rec := range recs[1:] {
		a, err := jiti.ParseAmount(rec[1])
		if err != nil {
			t.Fatalf("hledger amount %q: %v", rec[1], err)
		}
		bal[rec[0]] = a
	}
	return bal
}

// TestCLI_ImportXLSX imports vouchers from an Excel workbook of two sheets,
// with amounts as number cells and a date as Chinese Excel writes it.
func TestCLI_ImportXLSX(t *testing.T) {
	r := newRunner(t)
	r.setup()
	r.must("opening", "set", "-c", "620422100201", "-entry", "101,,1000,", "-entry", "301,,,1000", "-as", "kj")
	path := filepath.Join(t.TempDir(), "凭证.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := sheet.NewWriter(f, "xlsx", "一月")
	if err != nil {
		t.Fatal(err)
	}
	header := []any{"凭证号", "日期", "摘要", "科目编码", "借方金额", "贷方金额"}
	rows := [][]any{
		header,
		{"1", "2025年1月5日", "收取门面租金", "10201", sheet.Number("1234.5"), ""},
		{"1", "", "", "50101", "", sheet.Number("1234.50")},
	}
	for _, row := range rows {
		if err := w.WriteRow(row...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.NewSheet("二月"); err != nil {
		t.Fatal(err)
	}
	for _, row := range [][]any{header, {"2", "2025-02-03", "付电费", "513", sheet.Number("77"), ""}, {"2", "", "", "101", "", sheet.Number("77")}} {
		if err := w.WriteRow(row...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out := r.must("import", "vouchers", "-c", "620422100201", path, "-as", "kj")
	if !strings.Contains(out, "2 vouchers with 4 lines") {
		t.Fatalf("import: %s", out)
	}
	r.must("voucher", "approve", "-c", "620422100201", "-all", "-as", "sh")
	r.must("voucher", "post", "-c", "620422100201", "-all", "-as", "kj")
	var tb ledger.TrialBalance
	js := r.must("report", "trial-balance", "-c", "620422100201", "-from", "2025-01", "-to", "2025-02", "-format", "json")
	if err := json.Unmarshal([]byte(js), &tb); err != nil {
		t.Fatal(err)
	}
	if got := tb.Row("50101").Credit; got != jiti.MustAmount("1234.50") {
		t.Fatalf("50101 credit = %s, want 1234.50", got)
	}
	if got := tb.Row("101").ClosingDr; got != jiti.MustAmount("923") {
		t.Fatalf("101 closing = %s, want 923.00", got)
	}
}

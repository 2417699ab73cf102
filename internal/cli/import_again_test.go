package cli_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// TestCLI_ImportTwice imports a file, then the same vouchers saved as xlsx,
// re-encoded as GB18030 and under other names and keys: each is refused,
// naming the first import, until -again says it is meant; a file that
// differs by one amount is imported, its repeated vouchers flagged.
func TestCLI_ImportTwice(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	header := []string{"凭证号", "日期", "摘要", "科目编码", "借方金额", "贷方金额"}
	rows := [][]string{
		{"1", "2025-02-01", "收租金", "10201", "800.00", ""}, {"1", "", "", "50101", "", "800.00"},
		{"2", "2025-02-03", "付电费", "513", "77.01", ""}, {"2", "", "", "101", "", "77.01"},
		{"3", "2025-02-09", "收租金", "10201", "300", ""}, {"3", "", "", "50101", "", "300"},
	}
	csvText := func(rows [][]string) string {
		var b strings.Builder
		for _, row := range append([][]string{header}, rows...) {
			b.WriteString(strings.Join(row, ",") + "\n")
		}
		return b.String()
	}
	first := writeFile(t, "二月凭证.csv", csvText(rows))
	out := r.must("import", "vouchers", "-c", c, first, "-as", "kj")
	if !strings.Contains(out, "3 vouchers with 6 lines") || strings.Contains(out, "duplicate") {
		t.Fatalf("first import: %s", out)
	}
	r.must("voucher", "approve", "-c", c, "-all", "-as", "sh")
	r.must("voucher", "post", "-c", c, "-all", "-as", "kj")

	// The same vouchers as xlsx, with amounts as numbers and other keys.
	xlsx := filepath.Join(t.TempDir(), "二月.xlsx")
	f, err := os.Create(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	w, err := sheet.NewWriter(f, "xlsx", "凭证")
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteRow(anys(header)...))
	for _, row := range rows {
		cells := anys(row)
		cells[0] = "X" + row[0]
		for _, i := range []int{4, 5} {
			if row[i] != "" {
				cells[i] = sheet.Number(row[i])
			}
		}
		must(w.WriteRow(cells...))
	}
	must(w.Close())
	must(f.Close())
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String(csvText(rows))
	must(err)
	for _, again := range []string{xlsx, writeFile(t, "gbk.csv", gbk), writeFile(t, "改名.csv", csvText(rows))} {
		code, out, errs := r.run("import", "vouchers", "-c", c, again, "-as", "kj")
		if code != 5 {
			t.Fatalf("%s imported again: exit %d\n%s%s", filepath.Base(again), code, out, errs)
		}
		for _, want := range []string{"were imported on", "by kj", "“二月凭证.csv”", "import #1", "3 vouchers, #1 to #3",
			"dated 2025-02-01 to 2025-02-09", "nothing was imported", "add -again"} {
			if !strings.Contains(errs, want) {
				t.Errorf("%s: the refusal lacks %q:\n%s", filepath.Base(again), want, errs)
			}
		}
	}
	if n := strings.Count(r.must("voucher", "list", "-c", c, "-format", "csv"), "\n"); n != 4 {
		t.Fatalf("after refusals the list has %d lines, want a header and 3 vouchers", n)
	}

	// -again imports it, says so, and flags every voucher. (The refused
	// imports wrote their vouchers before they were refused, and removed
	// them: their ids are not given again.)
	out = r.must("import", "vouchers", "-c", c, "-again", xlsx, "-as", "kj")
	id := firstImported(t, out)
	for _, want := range []string{"3 vouchers with 6 lines", "Import #2: the same vouchers were imported before by import #1",
		fmt.Sprintf("sheet 凭证, row 2: Draft #%d has the same date, summary and lines as 2025-02 no. 1: a possible duplicate", id),
		fmt.Sprintf("row 6: Draft #%d has the same date, summary and lines as 2025-02 no. 3", id+2), "3 vouchers above"} {
		if !strings.Contains(out, want) {
			t.Errorf("import -again lacks %q:\n%s", want, out)
		}
	}
	again := id

	// One amount differs: imported without -again; the two others flagged.
	rows[3][5], rows[2][4] = "77.10", "77.10"
	out = r.must("import", "vouchers", "-c", c, writeFile(t, "二月改.csv", csvText(rows)), "-as", "kj")
	id = firstImported(t, out)
	if !strings.Contains(out, "3 vouchers with 6 lines") || !strings.Contains(out, fmt.Sprintf("row 2: Draft #%d ", id)) ||
		!strings.Contains(out, fmt.Sprintf("row 6: Draft #%d ", id+2)) || strings.Contains(out, fmt.Sprintf("#%d ", id+1)) ||
		!strings.Contains(out, "2 vouchers above") {
		t.Fatalf("import of changed content:\n%s", out)
	}

	// The records: three imports, the second again of the first, each with
	// its file's name and digest.
	var recs []store.ImportRecord
	if err := json.Unmarshal([]byte(r.must("import", "history", "-c", c, "-format", "json")), &recs); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(csvText(rows)))
	if len(recs) != 3 || recs[2].FileName != "二月凭证.csv" || recs[1].FileName != "二月.xlsx" || recs[1].AgainOf != recs[2].ID ||
		recs[0].AgainOf != 0 || recs[0].FileSHA256 != hex.EncodeToString(sum[:]) || recs[1].Repeats != 3 || recs[0].Repeats != 2 ||
		recs[1].ContentHash != recs[2].ContentHash || recs[0].ContentHash == recs[2].ContentHash || recs[2].UserName != "kj" {
		t.Fatalf("records: %+v", recs)
	}
	if out := r.must("import", "history", "-c", c); !strings.Contains(out, "二月.xlsx") || !strings.Contains(out, fmt.Sprintf("#%d–#%d", again, again+2)) {
		t.Fatalf("history:\n%s", out)
	}
}

// firstImported is the id of the first draft an import says it made.
func firstImported(t *testing.T, out string) int64 {
	t.Helper()
	m := regexp.MustCompile(`imported as drafts #(\d+) to #\d+`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no drafts imported:\n%s", out)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// TestCLI_ImportErrorCount holds a refused import's summary to what it
// lists: a voucher with two bad lines is two errors, each at its row.
func TestCLI_ImportErrorCount(t *testing.T) {
	r := newRunner(t)
	r.setup()
	bad := writeFile(t, "bad.csv", "凭证号,日期,摘要,科目编码,借方金额,贷方金额\n"+
		"1,2025-02-05,two bad accounts,999,10,\n1,,,998,,10\n"+
		"2,2025-02-08,bad amount,101,1.234,\n2,,,10201,,10\n"+
		"3,2025-02-09,ok,101,10,\n3,,,10201,,10\n")
	code, _, errs := r.run("import", "vouchers", "-c", "620422100201", bad, "-as", "kj")
	if code != 3 {
		t.Fatalf("exit %d, want 3:\n%s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	listed := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "sheet ") {
			listed++
		}
	}
	summary := lines[len(lines)-1]
	if listed != 3 || !strings.Contains(summary, "3 errors") {
		t.Fatalf("listed %d errors, summary %q; want 3 listed and counted:\n%s", listed, summary, errs)
	}
}

package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// libreOffice returns the soffice command, or skips the test when it is
// missing; JITI_REQUIRE_LIBREOFFICE=1 (set by scripts/test.sh) makes that a
// failure, so CI cannot skip it.
func libreOffice(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("JITI_REQUIRE_LIBREOFFICE") != "" {
			t.Fatal("LibreOffice (soffice) is required: install Debian's libreoffice-calc-nogui")
		}
		t.Skip("no LibreOffice (soffice)")
	}
	return p
}

// calcAsShown is LibreOffice's CSV export of a sheet's cells as they are
// shown (formatted), as a user reads them in Calc, Excel or WPS.
const calcAsShown = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false"

// convert has LibreOffice convert file to format (its filter name or an
// extension) into a new directory, with infilter for reading CSV, and
// returns the new file's path. Each call has its own user profile, so
// tests may run side by side.
func convert(t *testing.T, soffice, file, format, infilter string) string {
	t.Helper()
	dir := t.TempDir()
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless"}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	}
	args = append(args, "--convert-to", format, "--outdir", dir, file)
	out, err := exec.Command(soffice, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	ext, _, _ := strings.Cut(format, ":")
	p := filepath.Join(dir, strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))+"."+ext)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("soffice wrote no %s: %s", p, out)
	}
	return p
}

// csvZH is LibreOffice's CSV filter for a file typed on Chinese Windows:
// comma-separated, quoted by ", UTF-8, from row 1, in the zh-CN locale,
// with dates, percents and grouped numbers recognized as Calc does when
// a user opens the file.
const csvZH = "CSV:44,34,76,1,,2052,false,true,true"

// TestLibreOffice_ImportItsSheets imports a register that LibreOffice
// Calc wrote, its cells typed as a user types them: 5% is a percent cell
// (the number 0.05), 2026/3/5 a date cell, "18,000.00" a grouped number.
// Each reads as the user sees it.
func TestLibreOffice_ImportItsSheets(t *testing.T) {
	soffice := libreOffice(t)
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	typed := writeFile(t, "assets.csv", "资产编号,资产名称,类别,取得日期,原值,使用年限（月）,残值率（%）,贷方科目\n"+
		"ZC-1,打印机,电子及办公设备,2026/3/5,\"18,000.00\",120,5%,10201\n"+
		"ZC-2,电脑,电子及办公设备,2025/11/20,6500,60,3.5%,10201\n")
	book := convert(t, soffice, typed, "xlsx", csvZH)
	r.must("import", "assets", "-c", c, book, "-as", "kj")
	want := map[string]struct {
		rate     int
		acquired string
		cost     string // in fen, as the JSON has it
	}{"ZC-1": {500, "2026-03-05", "1800000"}, "ZC-2": {350, "2025-11-20", "650000"}}
	for code, w := range want {
		var got struct {
			Asset struct {
				ResidualRate int         `json:"residual_rate"`
				AcquiredOn   string      `json:"acquired_on"`
				Cost         json.Number `json:"cost"`
			} `json:"asset"`
		}
		if err := json.Unmarshal([]byte(r.must("asset", "show", "-c", c, "-asset", code, "-format", "json")), &got); err != nil {
			t.Fatal(err)
		}
		a := got.Asset
		if a.ResidualRate != w.rate || a.AcquiredOn != w.acquired || a.Cost.String() != w.cost {
			t.Errorf("%s from LibreOffice: rate %d, acquired %s, cost %s; want %+v", code, a.ResidualRate, a.AcquiredOn, a.Cost, w)
		}
	}
}

// TestLibreOffice_ReadsOurSheets has LibreOffice read the registers jiti
// writes as xlsx and save them as CSV: every cell holds what the same
// list says in jiti's own CSV (numbers as numbers, dates as dates), so
// Excel, WPS and Calc users see the figures the program has.
func TestLibreOffice_ReadsOurSheets(t *testing.T) {
	soffice := libreOffice(t)
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	r.must("asset", "add", "-c", c, "-code", "ZC-1", "-name", "办公楼", "-category", "building", "-acquired", "2025-02-01",
		"-cost", "1234567.89", "-life", "480", "-credit", "10201", "-as", "kj")
	r.must("asset", "add", "-c", c, "-code", "ZC-2", "-name", "电子地磅", "-category", "equipment", "-use", "production",
		"-acquired", "2025-03-10", "-cost", "18000", "-life", "120", "-credit", "10201", "-as", "kj")
	ours := filepath.Join(t.TempDir(), "assets.xlsx")
	r.must("asset", "list", "-c", c, "-format", "xlsx", "-o", ours)
	theirs := readFileCSV(t, convert(t, soffice, ours, calcAsShown, ""))
	mine := readCSV(t, r.must("asset", "list", "-c", c, "-format", "csv"))
	// LibreOffice's CSV holds the sheet's title rows above the header.
	for len(theirs) > 0 && (len(theirs[0]) == 0 || theirs[0][0] != mine[0][0]) {
		theirs = theirs[1:]
	}
	if len(theirs) != len(mine) {
		t.Fatalf("LibreOffice read %d rows, jiti wrote %d:\n%v\n%v", len(theirs), len(mine), theirs, mine)
	}
	for i := range mine {
		for j := range mine[i] {
			got := ""
			if j < len(theirs[i]) {
				got = strings.ReplaceAll(theirs[i][j], ",", "")
			}
			if got != mine[i][j] {
				t.Errorf("row %d, column %d: LibreOffice shows %q, jiti %q", i+1, j+1, theirs[i][j], mine[i][j])
			}
		}
	}
}

func readFileCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readCSV(t, string(b))
}

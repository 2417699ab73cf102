package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_Disclosure prepares, checks, publishes, corrects, shows and
// exports a quarter's disclosure, checks the exported file with verify
// -disclosure (no database), then changes the file and expects verify to
// refuse it.
func TestCLI_Disclosure(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	r.must("voucher", "create", "-c", c, "-date", "2025-02-05", "-line", "收取门面租金,10201,5000.00,", "-line", ",50101,,5000.00", "-as", "kj")
	r.must("voucher", "approve", "-id", "1", "-as", "sh")
	r.must("voucher", "post", "-id", "1", "-as", "kj")

	if code, _, errs := r.run("disclosure", "prepare", "-c", c, "-period", "2025Q1", "-as", "kj"); code == 0 || !strings.Contains(errs, "is not closed") {
		t.Fatalf("prepare of open months: exit %d %s", code, errs)
	}
	if code, _, errs := r.run("disclosure", "prepare", "-c", c, "-period", "2025Q5", "-as", "kj"); code == 0 || !strings.Contains(errs, "2025Q5") {
		t.Fatalf("bad period: exit %d %s", code, errs)
	}
	r.must("period", "close", "-c", c, "-through", "2025-03", "-as", "kj")
	if out := r.must("disclosure", "prepare", "-c", c, "-period", "2025Q1", "-as", "kj"); !strings.Contains(out, "prepared 2025Q1 version 1") {
		t.Fatalf("prepare: %s", out)
	}
	r.must("disclosure", "check", "-c", c, "-period", "2025Q1", "-checker", "王五", "-date", "2025-04-08", "-remarks", "无异议", "-as", "kj")
	if out := r.must("disclosure", "publish", "-c", c, "-period", "2025Q1", "-as", "kj"); !strings.Contains(out, "public page /p/"+c+"/1") {
		t.Fatalf("publish: %s", out)
	}
	r.must("disclosure", "correct", "-c", c, "-period", "2025Q1", "-reason", "补充说明", "-as", "kj")
	list := r.must("disclosure", "list", "-c", c)
	if !strings.Contains(list, "published") || !strings.Contains(list, "prepared") {
		t.Fatalf("list: %s", list)
	}
	show := r.must("disclosure", "show", "-c", c, "-period", "2025Q1", "-version", "1")
	if !strings.Contains(show, "income 5,000.00") || !strings.Contains(show, "王五") {
		t.Fatalf("show: %s", show)
	}

	file := filepath.Join(t.TempDir(), "2025Q1.json")
	r.must("disclosure", "export", "-c", c, "-period", "2025Q1", "-version", "1", "-o", file)
	// verify -disclosure needs no database.
	bare := newRunner(t)
	if out := bare.must("verify", "-disclosure", file); !strings.Contains(out, "matches the published") {
		t.Fatalf("verify -disclosure: %s", out)
	}
	b, _ := os.ReadFile(file)
	os.WriteFile(file, []byte(strings.Replace(string(b), `"income":500000`, `"income":600000`, 1)), 0o644)
	if code, _, errs := bare.run("verify", "-disclosure", file); code == 0 || !strings.Contains(errs, "totals") {
		t.Fatalf("changed file: exit %d %s", code, errs)
	}
	os.WriteFile(file, b, 0o644)
	if code, _, errs := bare.run("verify", "-disclosure", file, "-hash", strings.Repeat("0", 64)); code == 0 || !strings.Contains(errs, "not the published") {
		t.Fatalf("other hash: exit %d %s", code, errs)
	}
	// The whole-database verify recomputes the published one.
	if out := r.must("verify"); !strings.Contains(out, "books intact") {
		t.Fatalf("verify: %s", out)
	}
}

package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_Backup copies the database to a new file that verifies clean and
// holds the same books, and refuses to overwrite a file.
func TestCLI_Backup(t *testing.T) {
	r := newRunner(t)
	r.setup()
	r.must("voucher", "create", "-c", "620422100201", "-date", "2025-03-05", "-line", "收租金,10201,1200,", "-line", "收租金,50101,,1200", "-as", "kj")
	out := filepath.Join(t.TempDir(), "copy.db")
	if got := r.must("backup", "-o", out); !strings.Contains(got, "copy.db") {
		t.Errorf("backup says %q", got)
	}
	copyRunner := &runner{t: t, env: map[string]string{"JITI_DB": out, "JITI_LANG": "en", "JITI_KEY_FILE": r.env["JITI_KEY_FILE"]}}
	if got := copyRunner.must("voucher", "list", "-c", "620422100201"); !strings.Contains(got, "收租金") {
		t.Errorf("the copy lacks the voucher:\n%s", got)
	}
	copyRunner.must("verify")
	if code, _, errs := r.run("backup", "-o", out); code == 0 || !strings.Contains(errs, "exists") {
		t.Errorf("backup over an existing file: exit %d, %q", code, errs)
	}
	if code, _, errs := r.run("backup"); code == 0 || !strings.Contains(errs, "output file") {
		t.Errorf("backup without -o: exit %d, %q", code, errs)
	}
}

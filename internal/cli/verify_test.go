package cli_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
)

// tamper runs statements on the runner's database behind jiti's back.
func (r *runner) tamper(qs ...string) {
	r.t.Helper()
	db, err := store.Open(context.Background(), r.env["JITI_DB"], store.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	for _, q := range qs {
		if err := db.ExecRaw(context.Background(), q); err != nil {
			r.t.Fatal(err)
		}
	}
}

// TestCLI_VerifyAuditAndRecords changes a user's role and deletes an audit
// event behind jiti's back, and expects verify to name both in words and
// to exit 7.
func TestCLI_VerifyAuditAndRecords(t *testing.T) {
	r := newRunner(t)
	r.setup()
	if out := r.must("verify"); !strings.Contains(out, "audit events") || !strings.Contains(out, "books intact") {
		t.Fatalf("verify of clean books:\n%s", out)
	}
	r.tamper(`UPDATE users SET role = 'county_admin' WHERE name = 'kj'`,
		`DELETE FROM audit_events WHERE collective_id IS NULL AND seq = 2`)
	code, out, _ := r.run("verify")
	for _, want := range []string{
		"record user #2: record differs from its latest audit event (changed behind jiti's back)",
		`role "agency_accountant", stored "county_admin"`,
		"audit log: audit events missing from their chain (deleted): audit chain of no collective: events seq 2 missing",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("verify after tampering does not say %q:\n%s", want, out)
		}
	}
	if code != 7 {
		t.Fatalf("exit %d, want 7", code)
	}
}

// TestCLI_VerifyJournal exports books with a red-ink reversal as a
// journal, checks that hledger reads the tagged export (its balance, and
// its tags as tags) and that verify -journal finds it intact; then edits an
// amount and deletes a voucher by hand, and expects verify -journal to name
// the voucher each time and exit 7.
func TestCLI_VerifyJournal(t *testing.T) {
	hledger := requireHledger(t)
	r := newRunner(t)
	r.setup()
	r.must("opening", "set", "-c", "620422100201", "-entry", "101,,2000,", "-entry", "301,,,2000", "-as", "kj")
	for _, v := range [][]string{
		{"-date", "2025-02-01", "-note", "押金,另收", "-line", "收租金;含押金,10201,800.55,", "-line", ",50101,,800.55"},
		{"-date", "2025-03-03", "-line", "付电费,513,77.01,", "-line", ",10201,,77.01"},
		{"-date", "2025-02-10", "-line", "借款,101,100,", "-line", ",10201,,100"},
	} {
		r.must(append(append([]string{"voucher", "create", "-c", "620422100201"}, v...), "-as", "kj")...)
	}
	r.must("voucher", "approve", "-c", "620422100201", "-all", "-as", "sh")
	r.must("voucher", "post", "-c", "620422100201", "-all", "-as", "kj")
	r.must("voucher", "reverse", "-id", "2", "-date", "2025-03-20", "-as", "kj")
	r.must("voucher", "approve", "-id", "4", "-as", "sh")
	r.must("voucher", "post", "-id", "4", "-as", "kj")

	journal := filepath.Join(t.TempDir(), "books.journal")
	r.must("export", "journal", "-c", "620422100201", "-o", journal)
	b, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.Contains(text, ", hash:") || !strings.Contains(text, "chain_head:") {
		t.Fatalf("the export carries no chain tags:\n%s", text)
	}
	if out, err := exec.Command(hledger, "-f", journal, "balance").CombinedOutput(); err != nil {
		t.Fatalf("hledger balance of the tagged export: %v\n%s", err, out)
	}
	// hledger reads the tags as tags: the reversal, by its tag.
	out, err := exec.Command(hledger, "-f", journal, "print", "tag:reverses=2").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "冲销") && !strings.Contains(string(out), "77.01") {
		t.Fatalf("hledger print tag:reverses=2: %v\n%s", err, out)
	}
	if out := r.must("verify", "-journal", journal); !strings.Contains(out, "journal intact") || !strings.Contains(out, "4 vouchers") ||
		!strings.Contains(out, "620422100201: chain head seq 4, hash ") {
		t.Fatalf("verify -journal of a clean export:\n%s", out)
	}

	edited := filepath.Join(t.TempDir(), "edited.journal")
	text2 := strings.Replace(strings.Replace(text, "  800.55  ;", "  900.55  ;", 1), "  -800.55  ;", "  -900.55  ;", 1)
	if err := os.WriteFile(edited, []byte(text2), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out2, _ := r.run("verify", "-journal", edited)
	if code != 7 || !strings.Contains(out2, "2025-02 no. 1: voucher does not match its hash (edited)") {
		t.Fatalf("verify -journal after an amount edited: exit %d\n%s", code, out2)
	}

	start := strings.Index(text, "2025-02-10 *")
	end := start + strings.Index(text[start:], "\n\n") + 2
	if err := os.WriteFile(edited, []byte(text[:start]+text[end:]), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out2, _ = r.run("verify", "-journal", edited)
	if code != 7 || !strings.Contains(out2, "vouchers missing from the journal (deleted): seq 2 not in the journal") {
		t.Fatalf("verify -journal after a voucher deleted: exit %d\n%s", code, out2)
	}
}

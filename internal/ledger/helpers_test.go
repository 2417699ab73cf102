package ledger_test

import (
	"errors"
	"testing"

	"sort"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
)

// testAccounts returns the standard chart with a few detail accounts of the
// kind villages add: two bank accounts (the second since deactivated) and
// two kinds of operating revenue. Parents lose their leaf flag, as the store
// does when it adds a detail account.
func testAccounts() []ledger.Account {
	accts := ledger.StandardAccounts()
	add := []struct {
		parent, code, name string
		active             bool
	}{
		{"102", "10201", "农商银行基本户", true},
		{"102", "10202", "邮储银行专户", false},
		{"501", "50101", "租赁收入", true},
		{"501", "50102", "服务收入", true},
	}
	for _, a := range add {
		chart := ledger.NewChart(accts)
		d, err := ledger.NewDetailAccount(chart[a.parent], a.code, a.name, false)
		if err != nil {
			panic(err)
		}
		d.Active = a.active
		chart[a.parent].Leaf = false
		accts = append(accts, d)
	}
	sort.Slice(accts, func(i, j int) bool { return accts[i].Code < accts[j].Code })
	return accts
}

// Dates of the test books.
var (
	booksOpened = jiti.MustDate("2024-01-10")
	lastClosed  = jiti.MustPeriod("2024-02")
)

// testBooks returns books opened on 2024-01-10 with January and February
// 2024 closed, over testAccounts.
func testBooks() *ledger.Books {
	return &ledger.Books{
		OpenedOn: booksOpened,
		Chart:    ledger.NewChart(testAccounts()),
		Closed:   func(p jiti.Period) bool { return p <= lastClosed },
	}
}

// openBooks returns books over chart with nothing closed, opened long ago.
func openBooks(chart ledger.Chart) *ledger.Books {
	return &ledger.Books{OpenedOn: jiti.MustDate("2000-01-01"), Chart: chart}
}

// dr and cr return a debit or a credit line of amount s (in yuan).
func dr(account, s string) ledger.Line {
	return ledger.Line{Account: account, Debit: jiti.MustAmount(s)}
}

func cr(account, s string) ledger.Line {
	return ledger.Line{Account: account, Credit: jiti.MustAmount(s)}
}

// voucherOf returns a normalized draft of lines dated date, with summary on
// its first line.
func voucherOf(date, summary string, lines ...ledger.Line) *ledger.Voucher {
	d := jiti.MustDate(date)
	v := &ledger.Voucher{Date: d, Status: ledger.Draft, Kind: ledger.Normal, MakerID: 1, Lines: lines}
	if len(v.Lines) > 0 && v.Lines[0].Summary == "" {
		v.Lines[0].Summary = summary
	}
	v.Normalize()
	return v
}

// movesOf turns voucher lines into movements of their periods.
func movesOf(vs ...*ledger.Voucher) []ledger.Movement {
	var out []ledger.Movement
	for _, v := range vs {
		for _, l := range v.Lines {
			out = append(out, ledger.Movement{Account: l.Account, Period: v.Period, Debit: l.Debit, Credit: l.Credit})
		}
	}
	return out
}

// leafCodes returns the codes of the active leaves of accounts.
func leafCodes(accounts []ledger.Account) []string {
	var out []string
	for _, a := range accounts {
		if a.Leaf && a.Active {
			out = append(out, a.Code)
		}
	}
	return out
}

// checkErr checks that err matches want (nil for success) by errors.Is and
// names field.
func checkErr(t *testing.T, err, want error, field string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
	if got := jiti.FieldOf(err); got != field {
		t.Errorf("field = %q, want %q", got, field)
	}
}

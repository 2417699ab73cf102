package store_test

import (
	"errors"
	"fmt"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// checkBook checks a ledger against the trial balance: the opening row
// carries the balance before from, entries run the balance, each month's
// 本月合计 and 本年累计 agree with that month's trial balance, and the last
// row carries the closing balance of the range.
func checkBook(t *testing.T, db *store.DB, cid int64, l *report.Ledger, code string) {
	t.Helper()
	from, to := l.From, l.To
	whole := trialBalance(t, db, cid, from.String(), to.String())
	if len(l.Rows) == 0 || l.Rows[0].Kind != report.RowOpening || l.Rows[0].Balance != opening(whole, code) {
		t.Fatalf("%s %s: first row %+v, want the opening balance %v", l.Kind, code, l.Rows[0], opening(whole, code))
	}
	bal := l.Rows[0].Balance
	entries := 0
	for i, r := range l.Rows[1:] {
		switch r.Kind {
		case report.RowEntry:
			bal += r.Debit - r.Credit
			entries++
			if r.Balance != bal || r.VoucherID == 0 || r.Number == 0 {
				t.Fatalf("%s %s row %d: %+v, running balance %v", l.Kind, code, i+1, r, bal)
			}
		case report.RowMonth, report.RowYear:
			if l.Kind == report.GeneralKind && r.Kind == report.RowMonth {
				bal += r.Debit - r.Credit
			}
			month := trialBalance(t, db, cid, r.Date.Period().String(), r.Date.Period().String())
			row := month.Row(code)
			if row == nil {
				row = &ledger.TBRow{}
			}
			dr, cr := row.Debit, row.Credit
			if r.Kind == report.RowYear {
				dr, cr = row.YearDr, row.YearCr
			}
			if r.Balance != bal || r.Balance != row.Closing() || r.Debit != dr || r.Credit != cr {
				t.Fatalf("%s %s %s %s: %+v; trial balance %+v", l.Kind, code, r.Date, r.Kind, r, row)
			}
		case report.RowDay:
			if r.Balance != bal {
				t.Fatalf("%s %s day total %+v, balance %v", l.Kind, code, r, bal)
			}
		}
	}
	if last := l.Rows[len(l.Rows)-1]; last.Balance != closing(whole, code) {
		t.Fatalf("%s %s ends at %v, trial balance closes at %v", l.Kind, code, last.Balance, closing(whole, code))
	}
	if l.Kind == report.GeneralKind && entries != 0 {
		t.Fatalf("general ledger with %d entries", entries)
	}
}

func TestDB_AccountBook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		ok(t, db.SetOpeningBalances(bg, f.Accountant, a, []store.OpeningBalance{
			{Account: "101", Debit: A("1000")}, {Account: "10201", Debit: A("5000")}, {Account: "301", Credit: A("6000")}}))
		_, err := db.CreateAccount(bg, f.Accountant, a, "10202", "信用社")
		ok(t, err)
		fee := f.Post(t, a, "2025-01-05", L("收服务费", "101", "200"), L("收服务费", "50102", "-200"))
		f.Post(t, a, "2025-01-05", L("付电费", "513", "50"), L("付电费", "101", "-50"))
		f.Post(t, a, "2025-01-20", rent("1000")...)
		f.Post(t, a, "2025-03-02", L("现金存行", "10202", "300"), L("现金存行", "101", "-300"))
		r, err := db.ReverseVoucher(bg, f.Accountant, fee.ID, D("2025-03-10"))
		ok(t, err)
		ok(t, db.ApproveVoucher(bg, f.Approver, r.ID))
		_, err = db.PostVoucher(bg, f.Accountant, r.ID)
		ok(t, err)
		f.Post(t, a, "2025-04-30", L("付修理费", "513", "400"), L("付修理费", "10201", "-400"))
		create(t, f, a, "2025-04-30", L("付修理费", "513", "9"), L("付修理费", "101", "-9")) // drafts are not in books

		t.Run("OK", func(t *testing.T) {
			for _, c := range []struct {
				kind     report.LedgerKind
				code     string
				from, to string
				entries  int
			}{
				{report.DetailKind, "10201", "2025-01", "2025-04", 2},
				{report.DetailKind, "102", "2025-01", "2025-04", 3},
				{report.DetailKind, "501", "2025-01", "2025-04", 3},
				{report.DetailKind, "10201", "2025-03", "2025-04", 1},
				{report.JournalKind, "101", "2025-01", "2025-04", 4},
				{report.JournalKind, "102", "2025-01", "2025-12", 3},
				{report.GeneralKind, "102", "2025-01", "2025-04", 0},
				{report.GeneralKind, "101", "2025-02", "2025-12", 0},
				{report.GeneralKind, "513", "2025-01", "2025-04", 0},
			} {
				t.Run(string(c.kind)+c.code+c.from, func(t *testing.T) {
					l, err := db.AccountBook(bg, c.kind, a, c.code, P(c.from), P(c.to))
					ok(t, err)
					if l.Kind != c.kind || l.Account.Code != c.code {
						t.Fatalf("book = %s of %s", l.Kind, l.Account.Code)
					}
					n := 0
					for _, r := range l.Rows {
						if r.Kind == report.RowEntry {
							n++
						}
					}
					if n != c.entries {
						t.Fatalf("%d entries, want %d", n, c.entries)
					}
					checkBook(t, db, a, l, c.code)
				})
			}
			// The cash journal totals the day with two entries.
			l, err := db.AccountBook(bg, report.JournalKind, a, "101", P("2025-01"), P("2025-01"))
			ok(t, err)
			days := 0
			for _, r := range l.Rows {
				if r.Kind == report.RowDay {
					days++
					if r.Date != D("2025-01-05") || r.Debit != A("200") || r.Credit != A("50") || r.Balance != A("1150") {
						t.Fatalf("day total = %+v", r)
					}
				}
			}
			if days != 1 {
				t.Fatalf("%d day totals, want 1", days)
			}
		})
		t.Run("ErrAccount", func(t *testing.T) {
			_, err := db.AccountBook(bg, report.DetailKind, a, "10299", P("2025-01"), P("2025-04"))
			wantErr(t, err, jiti.ErrNotFound, "account")
			_, err = db.AccountBook(bg, report.DetailKind, a, "101", P("2025-04"), P("2025-01"))
			wantErr(t, err, store.ErrPeriodRange, "to")
		})
	})
}

func TestDB_EachPostedVoucher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := f.A.ID
		// 1,160 vouchers: 1,100 in February, so that the page of 1,000 ends
		// inside a month, and 60 in March.
		var vs []*ledger.Voucher
		for i := 0; i < 1100; i++ {
			vs = append(vs, V(a, fmt.Sprintf("2025-02-%02d", 1+i*3/1100), rent(fmt.Sprintf("%d", 1+i))...))
		}
		for i := 0; i < 60; i++ {
			vs = append(vs, V(a, fmt.Sprintf("2025-03-%02d", 1+i%28), rent("1")...))
		}
		vs = append(vs, V(f.B.ID, "2025-02-01", rent("5")...))
		f.PostMany(t, vs)
		late := f.Post(t, a, "2025-02-01", rent("7")...) // dated the first day, numbered last
		create(t, f, a, "2025-02-02", rent("8")...)
		const want = 1161

		t.Run("OK", func(t *testing.T) {
			seen := map[int64]bool{}
			var prev *ledger.Voucher
			lateAt, lastFebruary := -1, -1
			err := db.EachPostedVoucher(bg, a, P("2025-01"), P("2025-12"), func(v *ledger.Voucher) error {
				if seen[v.ID] {
					return fmt.Errorf("voucher %d visited twice", v.ID)
				}
				if v.Status != ledger.Posted || v.CollectiveID != a || len(v.Lines) != 2 {
					return fmt.Errorf("visited %+v", v)
				}
				// In month and number order, the order of the books.
				if prev != nil && (v.Period < prev.Period || v.Period == prev.Period && v.Number != prev.Number+1) {
					return fmt.Errorf("%s no. %d after %s no. %d", v.Period, v.Number, prev.Period, prev.Number)
				}
				if v.ID == late.ID {
					lateAt = len(seen)
				}
				if v.Period == P("2025-02") {
					lastFebruary = len(seen)
				}
				seen[v.ID] = true
				prev = v
				return nil
			})
			ok(t, err)
			if len(seen) != want {
				t.Fatalf("visited %d vouchers, want %d", len(seen), want)
			}
			if lateAt != lastFebruary {
				t.Fatalf("the voucher posted last in February came at %d, want last of February at %d", lateAt, lastFebruary)
			}
		})
		t.Run("OKRange", func(t *testing.T) {
			n := 0
			ok(t, db.EachPostedVoucher(bg, a, P("2025-03"), P("2025-03"), func(v *ledger.Voucher) error {
				n++
				return nil
			}))
			if n != 60 {
				t.Fatalf("March: %d vouchers, want 60", n)
			}
		})
		t.Run("ErrStop", func(t *testing.T) {
			stop := errors.New("stop")
			n := 0
			err := db.EachPostedVoucher(bg, a, P("2025-01"), P("2025-12"), func(v *ledger.Voucher) error {
				n++
				if n == 1005 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) || n != 1005 {
				t.Fatalf("err = %v after %d vouchers", err, n)
			}
		})
	})
}

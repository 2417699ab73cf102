package store_test

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// approveMany imports vouchers as drafts of the accountant and approves
// them all; it returns their ids.
func approveMany(t testing.TB, f *storetest.Fixture, vs []*ledger.Voucher) []int64 {
	t.Helper()
	res, err := f.DB.ImportVouchers(bg, f.Accountant, storetest.NewSliceSource(vs...), "test")
	if err != nil {
		t.Fatalf("import: %v %v", err, res.Errors)
	}
	seen := map[int64]bool{}
	ids := make([]int64, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
		if !seen[v.CollectiveID] {
			seen[v.CollectiveID] = true
			_, _, err := f.DB.ApproveVouchers(bg, f.Approver, v.CollectiveID, P("2025-01"), P("2025-12"))
			ok(t, err)
		}
	}
	return ids
}

// postConcurrently posts ids with workers goroutines through PostVoucher
// and fails the test on any error.
func postConcurrently(t *testing.T, db *store.DB, by jiti.UserID, ids []int64, workers int) {
	t.Helper()
	ch := make(chan int64)
	errs := make(chan error, len(ids))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ch {
				if _, err := db.PostVoucher(bg, by, id); err != nil {
					errs <- fmt.Errorf("post %d: %w", id, err)
				}
			}
		}()
	}
	for _, id := range ids {
		ch <- id
	}
	close(ch)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// checkNumbers checks that the posted vouchers of each collective and month
// are numbered exactly 1..N, and returns N per collective and month.
func checkNumbers(t testing.TB, db *store.DB, cid int64) map[jiti.Period]int {
	t.Helper()
	vs, _, err := db.FindVouchers(bg, store.VoucherFilter{CollectiveID: cid, Status: ledger.Posted, Limit: -1})
	ok(t, err)
	by := map[jiti.Period][]int{}
	for _, v := range vs {
		by[v.Period] = append(by[v.Period], v.Number)
	}
	out := map[jiti.Period]int{}
	for p, ns := range by {
		sort.Ints(ns)
		for i, n := range ns {
			if n != i+1 {
				t.Errorf("collective %d %s: numbers %v are not 1..%d", cid, p, ns, len(ns))
				break
			}
		}
		out[p] = len(ns)
	}
	return out
}

func verifyOK(t testing.TB, db *store.DB) {
	t.Helper()
	rep, err := db.Verify(bg, 0)
	ok(t, err)
	if !rep.OK() {
		t.Fatalf("verify: %+v", rep.Problems)
	}
}

func TestDB_PostVoucher_Concurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a, b := f.A.ID, f.B.ID
		const n = 48
		t.Run("OKSameMonth", func(t *testing.T) {
			var vs []*ledger.Voucher
			var sum jiti.Amount
			for i := 0; i < n; i++ {
				amt := fmt.Sprintf("%d.%02d", 100+i, i)
				sum += A(amt)
				vs = append(vs, V(a, fmt.Sprintf("2025-03-%02d", 1+i%28), rent(amt)...))
			}
			postConcurrently(t, db, f.Accountant, approveMany(t, f, vs), 8)
			if got := checkNumbers(t, db, a)[P("2025-03")]; got != n {
				t.Fatalf("%d vouchers posted in March, want %d", got, n)
			}
			if pi := periodInfo(t, db, a, "2025-03"); pi.LastNumber != n {
				t.Fatalf("March = %+v", pi)
			}
			verifyOK(t, db)
			tb := trialBalance(t, db, a, "2025-03", "2025-03")
			if closing(tb, "10201") != sum || closing(tb, "50101") != -sum || tb.Row("10201").Debit != sum {
				t.Fatalf("10201 = %v, 50101 = %v, want the sum of the lines %v", closing(tb, "10201"), closing(tb, "50101"), sum)
			}
		})
		t.Run("OKTwoCollectives", func(t *testing.T) {
			var vs []*ledger.Voucher
			sums := map[int64]jiti.Amount{}
			for i := 0; i < n; i++ {
				cid := []int64{a, b}[i%2]
				amt := fmt.Sprintf("%d", 10+i)
				sums[cid] += A(amt)
				vs = append(vs, V(cid, fmt.Sprintf("2025-04-%02d", 1+i%28), rent(amt)...))
			}
			postConcurrently(t, db, f.Accountant, approveMany(t, f, vs), 8)
			for _, cid := range []int64{a, b} {
				if got := checkNumbers(t, db, cid)[P("2025-04")]; got != n/2 {
					t.Fatalf("collective %d: %d vouchers in April, want %d", cid, got, n/2)
				}
				tb := trialBalance(t, db, cid, "2025-04", "2025-04")
				if closing(tb, "10201")-opening(tb, "10201") != sums[cid] {
					t.Fatalf("collective %d: 10201 moved %v, want %v", cid, closing(tb, "10201")-opening(tb, "10201"), sums[cid])
				}
			}
			verifyOK(t, db)
		})
		t.Run("OKWithBatch", func(t *testing.T) {
			// PostVoucher one at a time and PostVouchers of the same month
			// at once: each voucher is posted once, by one or the other.
			var vs []*ledger.Voucher
			for i := 0; i < n; i++ {
				vs = append(vs, V(b, fmt.Sprintf("2025-06-%02d", 1+i%28), rent(fmt.Sprintf("%d", 1+i))...))
			}
			ids := approveMany(t, f, vs)
			ch := make(chan int64)
			var mu sync.Mutex
			var errs []error
			var wg sync.WaitGroup
			for w := 0; w < 6; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for id := range ch {
						if _, err := db.PostVoucher(bg, f.Accountant, id); err != nil && !errors.Is(err, ledger.ErrPostedImmutable) {
							mu.Lock()
							errs = append(errs, err)
							mu.Unlock()
						}
					}
				}()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := db.PostVouchers(bg, f.Accountant, b, P("2025-06"), P("2025-06")); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}()
			for _, id := range ids {
				ch <- id
			}
			close(ch)
			wg.Wait()
			for _, err := range errs {
				t.Error(err)
			}
			if got := checkNumbers(t, db, b)[P("2025-06")]; got != n {
				t.Fatalf("%d vouchers posted in June, want %d", got, n)
			}
			verifyOK(t, db)
		})
		t.Run("OKSameVoucherOnce", func(t *testing.T) {
			for round := 0; round < 8; round++ {
				v := approved(t, f, a, "2025-05-10", rent("1")...)
				var wg sync.WaitGroup
				start := make(chan struct{})
				errs := make([]error, 2)
				for g := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						_, errs[g] = db.PostVoucher(bg, f.Accountant, v.ID)
					}()
				}
				close(start)
				wg.Wait()
				okCount := 0
				for _, err := range errs {
					switch {
					case err == nil:
						okCount++
					case !errors.Is(err, ledger.ErrPostedImmutable):
						t.Errorf("round %d: err = %v, want ErrPostedImmutable", round, err)
					}
				}
				if okCount != 1 {
					t.Fatalf("round %d: %d posts succeeded, want exactly 1 (%v)", round, okCount, errs)
				}
			}
			if got := checkNumbers(t, db, a)[P("2025-05")]; got != 8 {
				t.Fatalf("%d vouchers posted in May, want 8", got)
			}
			verifyOK(t, db)
		})
		t.Run("OKReverseOnce", func(t *testing.T) {
			v := f.Post(t, a, "2025-05-11", rent("2")...)
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, 2)
			for g := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[g] = db.ReverseVoucher(bg, f.Accountant, v.ID, D("2025-05-12"))
				}()
			}
			close(start)
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("errs = %v, want exactly one reversal", errs)
			}
			for _, err := range errs {
				if err != nil && !errors.Is(err, ledger.ErrAlreadyReversed) {
					t.Fatalf("err = %v, want ErrAlreadyReversed", err)
				}
			}
			if _, n, _ := db.FindVouchers(bg, store.VoucherFilter{CollectiveID: a, From: P("2025-05"), To: P("2025-05"), Status: ledger.Draft}); n != 1 {
				t.Fatalf("%d reversal drafts, want 1", n)
			}
		})
	})
}

package store_test

import (
	"fmt"
	"strconv"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// Bulk loads make each row in one slice, reused (the import's COPY makes
// its rows as it sends them): every row must arrive as it was made, for
// counts below, at and beyond SQLite's rows per statement, and none.
func TestBulkInsertFromReusedRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ok(t, storetest.Exec(db, `CREATE TABLE bulk_test (n INTEGER NOT NULL, word TEXT NOT NULL)`))
		total := 0
		for _, n := range []int{0, 1, 99, 100, 101, 250} {
			ok(t, storetest.Exec(db, `DELETE FROM bulk_test`))
			err := store.BulkInsertFrom(db, "bulk_test", []string{"n", "word"}, n, func(i int, dst []any) []any {
				return append(dst, i, fmt.Sprintf("w%d", i))
			})
			ok(t, err)
			rows := storetest.Rows(t, db, `SELECT n, word FROM bulk_test ORDER BY n`)
			if len(rows) != n {
				t.Fatalf("%d rows: got %d", n, len(rows))
			}
			for i, r := range rows {
				if r[0] != strconv.Itoa(i) || r[1] != fmt.Sprintf("w%d", i) {
					t.Fatalf("%d rows: row %d is %v", n, i, r)
				}
			}
			total += n
		}
		if total == 0 {
			t.Fatal("no rows tried")
		}
	})
}

// An import reserves its vouchers' ids in one step per batch: as many as
// asked, increasing, and never given again, neither by a second
// reservation nor to a voucher made afterwards.
func TestReserveIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		first, err := store.ReserveIDs(db, "vouchers", 2500)
		ok(t, err)
		if len(first) != 2500 {
			t.Fatalf("reserved %d ids, asked 2500", len(first))
		}
		for i := 1; i < len(first); i++ {
			if first[i] <= first[i-1] {
				t.Fatalf("ids not increasing at %d: %d after %d", i, first[i], first[i-1])
			}
		}
		if db.Engine() == "postgres" {
			// SQLite's come from the largest id in the table, which is
			// free while its transaction holds the write lock; PostgreSQL's
			// from the sequence, which must have moved past them.
			second, err := store.ReserveIDs(db, "vouchers", 3)
			ok(t, err)
			if second[0] <= first[len(first)-1] {
				t.Fatalf("second reservation %v overlaps the first, which ended at %d", second, first[len(first)-1])
			}
			v := f.Post(t, f.A.ID, "2025-03-01", rent("100")...)
			if v.ID <= second[len(second)-1] {
				t.Fatalf("voucher made after the reservations has id %d, not above %d", v.ID, second[len(second)-1])
			}
		}
	})
}

package storetest

// Helpers of the register tests that need no register types (the layout
// keeps package register out of storetest): identity numbers, and raw
// queries behind the store's back.

import (
	"database/sql"
	"fmt"
	"testing"

	"example.org/jiti"
	"example.org/jiti/internal/store"
)

// IDNumber returns a valid resident identity number (身份证号) made of the
// 17 digits given and their check character, for contracts with persons.
func IDNumber(digits17 string) jiti.IDNumber {
	n, err := jiti.NewIDNumber(digits17 + string(IDCheck(digits17)))
	if err != nil {
		panic(err)
	}
	return n
}

// IDCheck returns the GB 11643 check character of 17 digits.
func IDCheck(digits17 string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(digits17[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// Count runs a query of one integer (SELECT COUNT(*) …) behind the store's
// back and returns it. The query takes no parameters: format numbers in.
func Count(t testing.TB, db *store.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	must(t, Query(db, fmt.Sprintf(query, args...), func(rows *sql.Rows) error { return rows.Scan(&n) }))
	return n
}

// Rows runs a query behind the store's back and returns every row with
// every column as text (NULL as ""), for tests that look at raw rows.
func Rows(t testing.TB, db *store.DB, query string, args ...any) [][]string {
	t.Helper()
	var out [][]string
	must(t, Query(db, fmt.Sprintf(query, args...), func(rows *sql.Rows) error {
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
			case []byte:
				row[i] = string(v)
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
		return nil
	}))
	return out
}

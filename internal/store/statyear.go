package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"example.org/jiti"
)

// stat_year packs a collective's year of turnover of the statistical
// accounts (statAccount), closing vouchers left out, into one text value,
// so that a roll-up reads one row per collective and year however many
// detail accounts the collectives keep: a region of 16,000 collectives is
// 32,000 rows for a year and the one before. stat_turnover holds the same
// figures one row per account (and the closing parts, and the opening), and
// verify checks the two against each other and against the lines.
//
// The text is "code debit credit" entries joined by ";", sorted by code,
// amounts in fen, entries with both sides zero left out:
//
//	50101 12000000 0;51301 0 450000;513 800000 0
//
// It stays readable in any SQL client.

// yearTurnover is one stat_year value decoded: debit and credit by account.
type yearTurnover map[string][2]jiti.Amount

// encode returns the stored form.
func (y yearTurnover) encode() string {
	codes := make([]string, 0, len(y))
	for code, v := range y {
		if v != ([2]jiti.Amount{}) {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	var b strings.Builder
	for i, code := range codes {
		if i > 0 {
			b.WriteByte(';')
		}
		v := y[code]
		b.WriteString(code)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(int64(v[0]), 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(int64(v[1]), 10))
	}
	return b.String()
}

// errStatYear reports a stat_year value that is not in the stored form:
// only a change behind the program's back makes one.
var errStatYear = errors.New("store: malformed stat_year value")

// eachYearEntry calls fn for each entry of a stored value, without
// allocating: codes are handed over as numbers (account codes are digits,
// the first never 0).
func eachYearEntry(s []byte, fn func(code, debit, credit int64)) error {
	for len(s) > 0 {
		var f [3]int64
		for i := range f {
			neg := false
			if i > 0 && len(s) > 0 && s[0] == '-' {
				neg, s = true, s[1:]
			}
			n, digits := int64(0), 0
			for len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
				if n > (1<<63-1-9)/10 {
					return errStatYear
				}
				n = n*10 + int64(s[0]-'0')
				s, digits = s[1:], digits+1
			}
			if digits == 0 {
				return errStatYear
			}
			if neg {
				n = -n
			}
			f[i] = n
			sep := byte(' ')
			if i == 2 {
				sep = ';'
			}
			if len(s) > 0 {
				if s[0] != sep {
					return errStatYear
				}
				s = s[1:]
				if i == 2 && len(s) == 0 {
					return errStatYear // a trailing ";"
				}
			} else if i < 2 {
				return errStatYear
			}
		}
		fn(f[0], f[1], f[2])
	}
	return nil
}

// decodeYear reads a stored value into a yearTurnover.
func decodeYear(s string) (yearTurnover, error) {
	y := yearTurnover{}
	err := eachYearEntry([]byte(s), func(code, debit, credit int64) {
		c := strconv.FormatInt(code, 10)
		v := y[c]
		y[c] = [2]jiti.Amount{v[0] + jiti.Amount(debit), v[1] + jiti.Amount(credit)}
	})
	return y, err
}

// readStatYears reads the stored stat_year values of a collective's
// years into stored ("" for a year without a row), those not read yet, in
// one round trip.
func (t *Tx) readStatYears(ctx context.Context, cid int64, years []int, stored map[int]string) error {
	args := []any{cid}
	for _, y := range years {
		if _, ok := stored[y]; !ok {
			stored[y] = ""
			args = append(args, y)
		}
	}
	if len(args) == 1 {
		return nil
	}
	var b batch
	b.query(func(scan func(...any) error) error {
		var year int
		var s string
		err := scan(&year, &s)
		stored[year] = s
		return err
	}, `SELECT year, turnover FROM stat_year WHERE collective_id = ? AND year IN (?`+strings.Repeat(", ?", len(args)-2)+`)`, args...)
	return t.send(ctx, &b)
}

// addStatYear adds the year's turnover outside closing vouchers (by
// account: debit and credit) to a collective's stat_year row, whose value
// was stored ("" for none). The caller holds the collective's lock, so
// reading and rewriting the row races with nothing.
func (t *Tx) addStatYear(ctx context.Context, cid int64, year int, stored string, add yearTurnover) error {
	y, err := decodeYear(stored)
	if err != nil {
		return fmt.Errorf("%w (collective %d, %d)", err, cid, year)
	}
	for code, d := range add {
		v := y[code]
		y[code] = [2]jiti.Amount{v[0] + d[0], v[1] + d[1]}
	}
	return t.later(ctx, nil, `INSERT INTO stat_year (collective_id, year, turnover) VALUES (?, ?, ?)
ON CONFLICT (collective_id, year) DO UPDATE SET turnover = excluded.turnover`, cid, year, y.encode())
}

package store

import (
	"context"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/report"
)

// StatMonths is a region's statistical lines month by month: the monthly
// trend of a dashboard. Values[m][i] is line i of the layout in month m+1.
// Lines that read the start of the year (年初未分配收益) have no monthly
// meaning and are 0.
type StatMonths struct {
	Layout *report.Statement
	Values [12][]jiti.Amount
}

// StatMonths sums the turnover of a region's income and expense accounts
// per month, closing vouchers excluded, and evaluates the statistical lines
// of each month. It reads the month balances of the region's collectives:
// collectives × result accounts × 12 rows, 80 ms for a county, which is why
// the View keeps the result (revision.go).
func (db *DB) StatMonths(ctx context.Context, region string, year int) (*StatMonths, error) {
	if !jiti.ValidYear(year) {
		return nil, jiti.ErrYearSyntax.With(year).At("year")
	}
	r := db.reader()
	layout, err := statLayout(ctx, r, region, year, LayoutLines)
	if err != nil {
		return nil, err
	}
	months, err := db.monthTurnover(ctx, region, year)
	if err != nil {
		return nil, err
	}
	out := &StatMonths{Layout: layout}
	for m := range months {
		vals, err := layout.EvaluateTerms(func(t report.Term) jiti.Amount {
			var sum jiti.Amount
			for code, to := range months[m] {
				if !strings.HasPrefix(code, t.Code) {
					continue
				}
				switch t.Kind {
				case "dr":
					sum += to.dr
				case "cr":
					sum += to.cr
				}
			}
			return sum
		})
		if err != nil {
			return nil, err
		}
		out.Values[m] = vals
	}
	return out, nil
}

// turnover is a month's debit and credit turnover of one account.
type turnover struct{ dr, cr jiti.Amount }

// monthTurnover returns a region's turnover per month and account.
func (db *DB) monthTurnover(ctx context.Context, region string, year int) ([12]map[string]turnover, error) {
	var months [12]map[string]turnover
	for m := range months {
		months[m] = map[string]turnover{}
	}
	rows, err := db.reader().query(ctx, `SELECT period, account_code, SUM(debit - closing_debit), SUM(credit - closing_credit) FROM balances
WHERE period BETWEEN ? AND ? AND account_code LIKE '5%' AND `+inRegion+` GROUP BY period, account_code`,
		year*100+1, year*100+12, region+"%")
	if err != nil {
		return months, err
	}
	defer rows.Close()
	for rows.Next() {
		var p int
		var code string
		var t turnover
		if err := rows.Scan(&p, &code, &t.dr, &t.cr); err != nil {
			return months, err
		}
		months[p%100-1][code] = t
	}
	return months, rows.Err()
}

// StatYears returns the years for which a visible region's collectives
// have statistics, latest first.
func (v *View) StatYears(ctx context.Context, region string) ([]int, error) {
	if err := v.requireRegion(ctx, region); err != nil {
		return nil, err
	}
	return cachedFigure(ctx, v, figureKey{kind: "years", region: region}, func() ([]int, error) {
		return v.db.StatYears(ctx, region)
	})
}

// StatYears returns the years in which a region's collectives have posted
// books, latest first, from the stored yearly aggregates (one row per
// collective and year).
func (db *DB) StatYears(ctx context.Context, region string) ([]int, error) {
	rows, err := db.reader().query(ctx, `SELECT DISTINCT year FROM stat_year WHERE year > 0 AND `+inRegion+` ORDER BY year DESC`, region+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

package demo

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// Benchmarks of the registers on the demo county's books (284 villages,
// thirty-odd assets each, 2024 and 2025 built and closed), on SQLite:
//
//	go test -run XXX -bench . -benchtime 3x ./internal/demo/
//
// BenchmarkCloseMonthDepreciation closes a month (January 2026, then
// February…) for all 284 collectives with CloseMonths: the depreciation
// of every asset due any, contract expiries and, in January, the deferred
// rent of 2025 recognized; it reports the assets depreciated per month.
// The read benchmarks share one database, built on first use.

// buildBench builds the demo county for 2024 and 2025 in a fresh SQLite
// database of the benchmark.
func buildBench(b *testing.B) *store.DB {
	b.Helper()
	db := afterYear(storetest.OpenSQLite(b), 2025)
	if _, err := Build(context.Background(), db, Options{Seed: 1, FromYear: 2024}); err != nil {
		b.Fatal(err)
	}
	return db
}

var shared struct {
	once sync.Once
	dir  string
	db   *store.DB
	err  error
}

// sharedBench returns the demo county built once for the benchmarks that
// only read it.
func sharedBench(b *testing.B) *store.DB {
	b.Helper()
	shared.once.Do(func() {
		ctx := context.Background()
		if shared.dir, shared.err = os.MkdirTemp("", "jiti-demo-bench-"); shared.err != nil {
			return
		}
		if shared.db, shared.err = store.Open(ctx, filepath.Join(shared.dir, "jiti.db"), store.Options{Migrate: true, Key: storetest.Key}); shared.err != nil {
			return
		}
		afterYear(shared.db, 2025)
		_, shared.err = Build(ctx, shared.db, Options{Seed: 1, FromYear: 2024})
	})
	if shared.err != nil {
		b.Fatal(shared.err)
	}
	return shared.db
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.db != nil {
		shared.db.Close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func BenchmarkCloseMonthDepreciation(b *testing.B) {
	ctx := context.Background()
	db := buildBench(b)
	admin, err := db.FindUserByName(ctx, "admin")
	if err != nil {
		b.Fatal(err)
	}
	p := jiti.NewPeriod(2026, time.January)
	var depreciated, collectives int
	months := 0
	for b.Loop() {
		b.StopTimer()
		next := p.Next().First()
		db.Now = func() time.Time { return time.Date(next.Year, next.Month, 1, 9, 0, 0, 0, time.UTC) }
		b.StartTimer()
		res, err := db.CloseMonths(ctx, admin.ID, CountyCode, p)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if !r.Closed {
				b.Fatalf("%s of %s not closed: %v", p, r.Code, r.Err)
			}
		}
		collectives += len(res)
		err = db.QueryRaw(ctx, "SELECT COUNT(*) FROM asset_depreciation WHERE period = "+strconv.Itoa(int(p)), func(rows *sql.Rows) error {
			var n int
			err := rows.Scan(&n)
			depreciated += n
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		months++
		p = p.Next()
		b.StartTimer()
	}
	b.ReportMetric(float64(collectives)/float64(months), "collectives/op")
	b.ReportMetric(float64(depreciated)/float64(months), "assets/op")
}

func BenchmarkWarningsCounty(b *testing.B) {
	ctx := context.Background()
	db := sharedBench(b)
	var n int
	for b.Loop() {
		ws, err := db.Warnings(ctx, store.WarningFilter{Region: CountyCode, Today: jiti.Date{Year: 2025, Month: 12, Day: 31}})
		if err != nil {
			b.Fatal(err)
		}
		n = len(ws)
	}
	b.ReportMetric(float64(n), "warnings")
}

func BenchmarkRevitalizedAssetsCounty(b *testing.B) {
	ctx := context.Background()
	db := sharedBench(b)
	var n int
	for b.Loop() {
		got, err := db.RevitalizedAssets(ctx, CountyCode, 0, 2025)
		if err != nil {
			b.Fatal(err)
		}
		n = len(got)
	}
	b.ReportMetric(float64(n), "assets")
}

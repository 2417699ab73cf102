package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"example.org/jiti/internal/demo"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
	"example.org/jiti/internal/web"
)

// The demo county, built once for the benchmarks of this package (about
// half a minute): two years of books of 284 villages.
var (
	benchOnce sync.Once
	benchDB   *store.DB
	benchErr  error
)

func demoCounty(b *testing.B) *store.DB {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		// JITI_BENCH_DB names a demo county already built (`jiti demo -q
		// -serve=false -db D.db`), to measure without building one.
		if path := os.Getenv("JITI_BENCH_DB"); path != "" {
			benchDB, benchErr = store.Open(ctx, path, store.Options{})
			return
		}
		dir, err := os.MkdirTemp("", "jiti-web-bench")
		if err != nil {
			benchErr = err
			return
		}
		db, err := store.Open(ctx, filepath.Join(dir, "demo.db"), store.Options{Migrate: true, Key: storetest.Key})
		if err != nil {
			benchErr = err
			return
		}
		db.Now = func() time.Time { return time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC) }
		if _, err := demo.Build(ctx, db, demo.Options{Seed: 1, FromYear: 2024}); err != nil {
			benchErr = err
			return
		}
		benchDB = db
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

// BenchmarkPages serves the three pages the load target names, in process
// (no network), as the county administrator: the county's dashboard, a
// village's voucher list and its trial balance. `jiti loadtest` measures
// the same pages over HTTP under 32 clients.
func BenchmarkPages(b *testing.B) {
	db := demoCounty(b)
	ctx := context.Background()
	admin, err := db.FindUserByName(ctx, "admin")
	if err != nil {
		b.Fatal(err)
	}
	token, err := db.CreateSession(ctx, admin.ID, 0, "bench", "")
	if err != nil {
		b.Fatal(err)
	}
	app, err := web.New(db, nil)
	if err != nil {
		b.Fatal(err)
	}
	h := app.Handler()
	for _, p := range []struct{ name, path string }{
		{"dashboard", "/r/620422"},
		{"vouchers", "/c/1/vouchers"},
		{"trial-balance", "/c/1/trial-balance"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, p.path, nil)
				req.AddCookie(&http.Cookie{Name: "jiti_session", Value: token})
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: status %d", p.path, w.Code)
				}
			}
		})
	}
}

package storetest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"example.org/jiti/internal/store"
)

// LimitPages stops an SQLite database from growing: it sets the write
// connection's max_page_count to the pages the file has (SQLite keeps it
// from going lower), so the next write that needs a page fails with
// SQLITE_FULL, as on a full disk. The returned function lifts the limit.
func LimitPages(t testing.TB, db *store.DB) (lift func()) {
	t.Helper()
	must(t, db.ExecRaw(context.Background(), `PRAGMA max_page_count = 1`))
	return func() {
		t.Helper()
		must(t, db.ExecRaw(context.Background(), `PRAGMA max_page_count = 4294967294`))
	}
}

// FillDisk writes a file into dir until the file system it is on has no
// room left, and returns the function that removes it.
func FillDisk(t testing.TB, dir string) (free func()) {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	must(t, err)
	defer f.Close()
	// Large writes first, then ever smaller ones, to the last byte.
	for size := 1 << 20; size >= 1; size /= 8 {
		buf := make([]byte, size)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatalf("fill %s: %v", dir, err)
				}
				break
			}
		}
	}
	return func() {
		t.Helper()
		must(t, os.Remove(path))
	}
}

// needRoot skips a test that needs root (to mount a file system) when it is
// not root, unless everything must run (JITI_REQUIRE_POSTGRES=1, as CI sets
// it, where CI runs as root): it then fails.
func needRoot(t testing.TB, why string) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("JITI_REQUIRE_POSTGRES") == "1" {
		t.Fatalf("%s needs root, and JITI_REQUIRE_POSTGRES=1 says every test must run", why)
	}
	t.Skipf("%s needs root", why)
}

package store_test

import (
	"testing"

	"example.org/jiti/internal/store"
)

// TestMegabytes: a size just over a whole number of MB never reads as that
// number, so "10.1 MB, at most 10 MB" cannot become "10 MB, at most 10 MB".
func TestMegabytes(t *testing.T) {
	for n, want := range map[int]string{0: "0", 10 << 20: "10", 10<<20 + 1: "10.1", 512 << 10: "0.5", 1<<20 + 1<<19: "1.5"} {
		if got := store.Megabytes(n); got != want {
			t.Errorf("Megabytes(%d) = %q, want %q", n, got, want)
		}
	}
}

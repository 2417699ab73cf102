package store

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"example.org/jiti"
)

// TestYearTurnoverRoundTrip: random turnovers survive encoding and
// decoding, zero entries dropped.
func TestYearTurnoverRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	codes := []string{"501", "50101", "50102", "502", "513", "51301", "32202", "3220101", "515"}
	for i := 0; i < 500; i++ {
		y := yearTurnover{}
		for _, c := range codes {
			if rng.IntN(3) == 0 {
				continue
			}
			amt := func() jiti.Amount {
				switch rng.IntN(4) {
				case 0:
					return 0
				case 1:
					return -jiti.Amount(rng.Int64N(1 << 50))
				}
				return jiti.Amount(rng.Int64N(1 << 62))
			}
			y[c] = [2]jiti.Amount{amt(), amt()}
		}
		s := y.encode()
		got, err := decodeYear(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		for c, v := range y {
			if v == ([2]jiti.Amount{}) {
				delete(y, c)
			}
		}
		if !reflect.DeepEqual(got, y) {
			t.Fatalf("%q decodes to %v, want %v", s, got, y)
		}
	}
}

func TestYearTurnoverMalformed(t *testing.T) {
	for _, s := range []string{"x", "501", "501 1", "501 1 2;", "501 1 2 3", "501 1  2", "501 -1 2x", ";501 1 2", "-501 1 2",
		"501 99999999999999999999 0", "501 1 2;;502 1 2"} {
		if _, err := decodeYear(s); err == nil {
			t.Errorf("%q decodes", s)
		}
	}
	if y, err := decodeYear(""); err != nil || len(y) != 0 {
		t.Errorf("empty: %v %v", y, err)
	}
}

// FuzzYearTurnover: no input makes the decoder panic, and whatever it
// accepts re-encodes to a value that decodes the same.
func FuzzYearTurnover(f *testing.F) {
	for _, s := range []string{"", "501 1 2", "501 -1 2;50101 0 3", "3220101 5 -5;501 1 2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, err := decodeYear(s)
		if err != nil {
			return
		}
		again, err := decodeYear(y.encode())
		if err != nil {
			t.Fatalf("%q re-encodes to %q, which does not decode: %v", s, y.encode(), err)
		}
		for c, v := range y {
			if v == ([2]jiti.Amount{}) {
				delete(y, c)
			}
			if _, err := strconv.ParseInt(c, 10, 64); err != nil {
				t.Fatalf("code %q", c)
			}
		}
		if !reflect.DeepEqual(again, y) {
			t.Fatalf("%q: %v, re-encoded %v", s, y, again)
		}
	})
}

package demo

import (
	"encoding/binary"
	"hash/fnv"
	"math/bits"
	"math/rand/v2"

	"example.org/jiti"
)

// allocate splits total (≥ 0) into shares proportional to weights (≥ 0) by
// the largest remainder method: every share is the floor of its exact
// quotient, and the units left over go to the largest remainders, ties to
// the earlier index. The shares add up to total exactly. With all weights
// zero the split is even.
func allocate(total int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	if len(weights) == 0 || total <= 0 {
		return out
	}
	var sum uint64
	for _, w := range weights {
		if w < 0 {
			panic("demo: negative weight")
		}
		sum += uint64(w)
	}
	if sum == 0 {
		even := make([]int64, len(weights))
		for i := range even {
			even[i] = 1
		}
		return allocate(total, even)
	}
	rem := make([]uint64, len(weights))
	left := total
	for i, w := range weights {
		// total*w/sum in 128 bits: the quotient is at most total, so it fits.
		hi, lo := bits.Mul64(uint64(total), uint64(w))
		q, r := bits.Div64(hi, lo, sum)
		out[i], rem[i] = int64(q), r
		left -= int64(q)
	}
	for ; left > 0; left-- {
		best := -1
		for i, r := range rem {
			if weights[i] > 0 && (best < 0 || r > rem[best]) {
				best = i
			}
		}
		out[best]++
		rem[best] = 0
	}
	return out
}

// splitAmount splits total into at most n parts that add up to it exactly,
// with random sizes between about (100-spread)% and (100+spread)% of the
// mean. Every part but the last is a multiple of unit; the last takes the
// odd fen. Fewer parts come back when total is too small for n parts of at
// least one unit each; none when total is not positive.
func splitAmount(rng *rand.Rand, total jiti.Amount, n int, unit jiti.Amount, spread int) []jiti.Amount {
	if total <= 0 || n <= 0 {
		return nil
	}
	if unit <= 0 {
		unit = 1
	}
	units := int64(total / unit)
	if units < int64(n) {
		n = int(max(units, 1))
	}
	if units == 0 {
		return []jiti.Amount{total}
	}
	weights := make([]int64, n)
	for i := range weights {
		weights[i] = int64(100 - spread + rng.IntN(2*spread+1))
	}
	shares := allocate(units, weights)
	// Parts of zero units are possible only with tiny totals: drop them.
	out := make([]jiti.Amount, 0, n)
	for _, s := range shares {
		if s > 0 {
			out = append(out, jiti.Amount(s)*unit)
		}
	}
	out[len(out)-1] += total - jiti.Amount(units)*unit
	return out
}

// equalParts splits total into n equal installments in multiples of unit,
// the last taking what is left.
func equalParts(total jiti.Amount, n int, unit jiti.Amount) []jiti.Amount {
	if total <= 0 || n <= 0 {
		return nil
	}
	each := total / jiti.Amount(n) / unit * unit
	if each == 0 {
		return []jiti.Amount{total}
	}
	out := make([]jiti.Amount, n)
	for i := range out {
		out[i] = each
	}
	out[n-1] = total - each*jiti.Amount(n-1)
	return out
}

// prorate splits total in proportion to the amounts of parts (all positive),
// exactly: the cost of goods of each sale, say.
func prorate(total jiti.Amount, parts []jiti.Amount) []jiti.Amount {
	w := make([]int64, len(parts))
	for i, p := range parts {
		w[i] = int64(p)
	}
	shares := allocate(int64(total), w)
	out := make([]jiti.Amount, len(parts))
	for i, s := range shares {
		out[i] = jiti.Amount(s)
	}
	return out
}

// newRand returns a generator seeded from seed and the given labels, so each
// part of the demo (the profile, a year's plan, one village's year) draws
// from its own stream and stays the same whatever else changes.
func newRand(seed int64, labels ...any) *rand.Rand {
	h := fnv.New64a()
	var b [8]byte
	for _, l := range labels {
		switch v := l.(type) {
		case int:
			binary.LittleEndian.PutUint64(b[:], uint64(v))
			h.Write(b[:])
		case string:
			h.Write([]byte(v))
		default:
			panic("demo: newRand label must be int or string")
		}
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// between returns a random integer in [lo, hi].
func between(rng *rand.Rand, lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + rng.Int64N(hi-lo+1)
}

// roundTo rounds a to the nearest multiple of unit, at least one unit.
func roundTo(a, unit jiti.Amount) jiti.Amount {
	r := (a + unit/2) / unit * unit
	return max(r, unit)
}

// pct returns a*p/100, rounded to the fen.
func pct(a jiti.Amount, p int64) jiti.Amount {
	v, err := a.MulRatio(p, 100)
	if err != nil {
		panic(err)
	}
	return v
}

// pick returns one of items at random, weighted.
func pick[T any](rng *rand.Rand, items []T, weight func(T) int) int {
	total := 0
	for _, it := range items {
		total += weight(it)
	}
	if total <= 0 {
		return rng.IntN(len(items))
	}
	x := rng.IntN(total)
	for i, it := range items {
		x -= weight(it)
		if x < 0 {
			return i
		}
	}
	return len(items) - 1
}

package chart

// tickLimit bounds the values NiceTicks works with. It is far beyond any
// amount jiti holds (jiti.MaxAmount is 10^16 fen) and keeps every step and
// tick inside int64.
const tickLimit = 1_000_000_000_000_000_000

// NiceTicks returns evenly spaced axis ticks covering [min, max]: the step
// is 1, 2 or 5 times a power of ten, the first tick is at or below min and
// the last at or above max, every tick is a multiple of the step (so zero is
// a tick whenever the range crosses it), and there are at most n ticks
// (n below 3 counts as 3) with the smallest step that allows it. The ticks
// are at least two and strictly increasing.
//
// Swapped bounds are put in order. When min == max the range is widened to
// reach zero (or to [0, 1] when both are zero), so a flat series sits on a
// readable axis. Magnitudes beyond 10^18 are clamped to it.
func NiceTicks(min, max int64, n int) []int64 {
	if min > max {
		min, max = max, min
	}
	min, max = clampTick(min), clampTick(max)
	switch {
	case min == max && min > 0:
		min = 0
	case min == max && max < 0:
		max = 0
	case min == max:
		max = 1
	}
	if n < 3 {
		n = 3 // a range across zero needs two intervals at least
	}
	step := niceStep(min, max, n)
	lo, hi := floorDiv(min, step), ceilDiv(max, step)
	ticks := make([]int64, 0, hi-lo+1)
	for k := lo; k <= hi; k++ {
		ticks = append(ticks, k*step)
	}
	return ticks
}

// niceStep finds the smallest 1-2-5 step that covers [min, max] in at most
// n-1 intervals. It starts one decade below the rough step span/(n-1), since
// rounding the ends outwards can need a larger step but never a smaller one;
// a step as large as the span always fits (at most two intervals), which
// bounds the search.
func niceStep(min, max int64, n int) int64 {
	span := max - min // at most 2·10^18: no overflow
	rough := span / int64(n-1)
	mag := int64(1)
	for mag <= rough/10 { // not mag*10 <= rough, which can overflow
		mag *= 10
	}
	if mag >= 10 {
		mag /= 10
	}
	for {
		for _, m := range [3]int64{1, 2, 5} {
			step := m * mag
			if ceilDiv(max, step)-floorDiv(min, step) <= int64(n-1) || step >= span {
				return step
			}
		}
		mag *= 10
	}
}

// clampTick clamps v to ±tickLimit.
func clampTick(v int64) int64 {
	if v > tickLimit {
		return tickLimit
	}
	if v < -tickLimit {
		return -tickLimit
	}
	return v
}

// floorDiv divides rounding towards minus infinity (Go's / truncates).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// ceilDiv divides rounding towards plus infinity.
func ceilDiv(a, b int64) int64 {
	return -floorDiv(-a, b)
}

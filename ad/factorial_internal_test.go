package ad

import (
	"math"
	"testing"
)

// TestFactorialProductSkip checks the factorials' product against the
// plain loop, bit for bit, past overflow and through sign changes and
// zero factors, and that n = 2³¹ - 1 (a fuzzed program's
// falling_factorial(x, 2147483647), which ran the loop two billion times
// per call) gives the same as the loop would.
func TestFactorialProductSkip(t *testing.T) {
	plain := func(a float64, n int, s float64) (v, d float64) {
		v = 1
		for i := range n {
			f := a + s*float64(i)
			d = d*f + v
			v *= f
		}
		return v, d
	}
	same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	for _, a := range []float64{0, math.Copysign(0, -1), 0.5, 3, 3.7, -2.5, 170.3, 200, 1e9 + 0.5, 1e300, -1e300, 1e-300, math.NaN(), math.Inf(1), math.Inf(-1)} {
		for _, s := range []float64{-1, 1} {
			for _, n := range []int{0, 1, 2, 5, 171, 172, 300, 301, 1000, 1001} {
				v, d := factorialProduct(a, n, s)
				pv, pd := plain(a, n, s)
				if !same(v, pv) || !same(d, pd) {
					t.Errorf("a %v, n %d, step %v: (%v, %v), the loop (%v, %v)", a, n, s, v, d, pv, pd)
				}
			}
		}
	}
	// Past i = 3 the factors 3.7 - i are negative, and past i = 170 the
	// product is infinite: the signs alternate with period 2, so n and
	// 1001 (both odd) agree.
	v, d := factorialProduct(3.7, math.MaxInt32, -1)
	pv, pd := plain(3.7, 1001, -1)
	if !same(v, pv) || !same(d, pd) {
		t.Errorf("n 2³¹ - 1: (%v, %v), want (%v, %v)", v, d, pv, pd)
	}
	// At an integer a the product is 0 after the zero factor, and its
	// derivative infinite past i = 170: the run after it is skipped too
	// (the loop would not end for n = 2⁶³ - 1).
	for _, a := range []float64{3, 0, -3} {
		for _, s := range []float64{-1, 1} {
			v, d := factorialProduct(a, math.MaxInt, s)
			pv, pd := plain(a, 1001, s)
			if !same(v, pv) || !same(d, pd) || math.Signbit(v) != math.Signbit(pv) {
				t.Errorf("a %v, step %v, n 2⁶³ - 1: (%v, %v), want (%v, %v)", a, s, v, d, pv, pd)
			}
		}
	}
}

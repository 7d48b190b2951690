package compile

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestODEPowInvRoot checks the controller's powers against math.Pow bit
// for bit over the errors it sees: (0.5, 1] never reaches them, the
// growth's lie in [1/3125, 0.5), the shrinking's above 1, +Inf included.
func TestODEPowInvRoot(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := []float64{1.0 / 3125, 0.5, math.Nextafter(1, 2), 2, 1e300, math.MaxFloat64, math.Inf(1)}
	for range 200000 {
		xs = append(xs, 1.0/3125+rng.Float64()*(0.5-1.0/3125), math.Exp(rng.Float64()*700))
	}
	for _, x := range xs {
		for _, k := range []int{dpErrOrder - 1, dpOrder} {
			want := math.Pow(x, -1.0/float64(k))
			if got := powInvRoot(x, k); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("powInvRoot(%v, %d) = %v, math.Pow gives %v", x, k, got, want)
			}
		}
	}
}

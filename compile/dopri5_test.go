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

// decaySystem is y' = -k y.
type decaySystem struct{ k float64 }

func (s decaySystem) rhs(_ float64, y, dy []float64) {
	for i := range y {
		dy[i] = -s.k * y[i]
	}
}

// TestODETimeWithinEpsilonOfStart: an output time within epsilon of t0
// (a fuzzed program's {1e-320, 2.0}) comes before any step, which it
// interpolated with a step of size 0 (NaN) or, the solver reused, with
// the previous solve's last step; it is y0 plus the tangent.
func TestODETimeWithinEpsilonOfStart(t *testing.T) {
	var r dopri5
	out := make([]float64, 2)
	if err := r.integrate(decaySystem{0.5}, []float64{3}, 0, []float64{1, 2}, 1e-6, 1e-6, 1000, out); err != nil {
		t.Fatal(err)
	}
	for _, t0 := range []float64{0, 1} {
		if err := r.integrate(decaySystem{2}, []float64{1}, t0, []float64{t0 + 1e-320, t0 + 1e-17, t0 + 2}, 1e-8, 1e-8, 1000, make([]float64, 3)); err != nil {
			t.Fatal(err)
		}
		got := make([]float64, 3)
		r.integrate(decaySystem{2}, []float64{1}, t0, []float64{t0 + 1e-320, t0 + 1e-17, t0 + 2}, 1e-8, 1e-8, 1000, got)
		want := []float64{1, 1 - 2*((t0+1e-17)-t0), math.Exp(-4)}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-7 {
				t.Errorf("t0 %v: y at time %d = %v, want %v", t0, i+1, got[i], want[i])
			}
		}
	}
}

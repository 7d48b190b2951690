package autoguide

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestPulledBackAllocs: a density pulled back through NumPyro's latent
// map or the preconditioning map allocates nothing per call, nor does
// binding it to the density of the step, so SVI's steps through them
// allocate nothing for it.
func TestPulledBackAllocs(t *testing.T) {
	lp := func(z, g []float64) (float64, error) {
		v := 0.0
		for i, x := range z {
			v -= 0.5 * x * x
			if g != nil {
				g[i] = -x
			}
		}
		return v, nil
	}
	l := mat.NewTriDense(6, mat.Lower, nil)
	for i := range 6 {
		for j := 0; j <= i; j++ {
			l.SetTri(i, j, 1/float64(1+i+j))
		}
	}
	maps := map[string]latentMap{"numpyroLatent": newNumPyroLatent(latentModel, true), "affine": newAffine(make([]float64, 6), l)}
	u, g := []float64{0.3, -0.4, 0.2, 0.7, -1.1, 0.5}, make([]float64, 6)
	for name, f := range maps {
		for _, jacobian := range []bool{true, false} {
			p := pullBack(f, 6, jacobian)
			var v float64
			if n := testing.AllocsPerRun(100, func() { v, _ = p.on(lp)(u, g) }); n != 0 {
				t.Errorf("%s, jacobian %v: %v allocations per call with the gradient", name, jacobian, n)
			}
			if n := testing.AllocsPerRun(100, func() { v, _ = p.on(lp)(u, nil) }); n != 0 {
				t.Errorf("%s, jacobian %v: %v allocations per call without it", name, jacobian, n)
			}
			if math.IsNaN(v) {
				t.Errorf("%s: log density NaN", name)
			}
		}
	}
}

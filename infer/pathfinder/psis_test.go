package pathfinder

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Weights with a known tail: w = U^-k has a Pareto tail of shape k, and
// log-normal weights with a small spread have a light tail (k̂ < 0.5).
func TestParetoK(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range []float64{0.3, 0.7, 1.0} {
		lw := make([]float64, 4000)
		for i := range lw {
			lw[i] = -k * math.Log(rng.Float64())
		}
		_, khat := PSIS(lw)
		if math.Abs(khat-k) > 0.15 {
			t.Errorf("Pareto tail k = %v: k̂ = %.3f", k, khat)
		}
	}
	lw := make([]float64, 4000)
	for i := range lw {
		lw[i] = 0.1 * rng.NormFloat64()
	}
	if _, khat := PSIS(lw); !(khat < 0.3) {
		t.Errorf("log-normal weights with sd 0.1: k̂ = %.3f, want below 0.3", khat)
	}
}

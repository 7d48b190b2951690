package main

import (
	"math"
	"testing"

	"github.com/gostan/gostan/contrib/nested"
	"github.com/gostan/gostan/ppl"
)

// byQuadrature integrates over the weight w on a grid (Simpson's rule):
// the log evidence and each observation's posterior probability of the
// second component, with every label summed out by hand.
func byQuadrature() (logZ float64, second []float64) {
	const n = 20000
	second = make([]float64, len(ys))
	z := 0.0
	for k := 0; k <= n; k++ {
		w := float64(k) / n
		c := 2.0
		if k == 0 || k == n {
			c = 1
		} else if k%2 == 1 {
			c = 4
		}
		f := 6 * w * (1 - w)
		resp := make([]float64, len(ys))
		for i, y := range ys {
			a := (1 - w) * math.Exp(-(y-means[0])*(y-means[0])/2) / math.Sqrt(2*math.Pi)
			b := w * math.Exp(-(y-means[1])*(y-means[1])/2) / math.Sqrt(2*math.Pi)
			f *= a + b
			resp[i] = b / (a + b)
		}
		wt := c * f / (3 * n)
		z += wt
		for i := range resp {
			second[i] += wt * resp[i]
		}
	}
	for i := range second {
		second[i] /= z
	}
	return math.Log(z), second
}

// TestMixture: log Z and every label's posterior probability against
// quadrature, the probabilities within 0.03.
func TestMixture(t *testing.T) {
	ns := nested.New(ppl.Program(mixture), nested.Config{LivePoints: 400})
	if err := ns.Run(1, nil); err != nil {
		t.Fatal(err)
	}
	r := ns.Result()
	exact, second := byQuadrature()
	t.Logf("log Z %.4f ± %.4f, exact %.4f", r.LogZ, r.LogZErr, exact)
	if d := r.LogZ - exact; math.Abs(d) > 3*r.LogZErr || math.Abs(d) > 0.15 {
		t.Errorf("log Z %.4f ± %.4f, exact %.4f", r.LogZ, r.LogZErr, exact)
	}
	for i, got := range secondComponent(ns, 4000) {
		if math.Abs(got-second[i]) > 0.03 {
			t.Errorf("P(z[%d] = 1 | y) = %.3f, exact %.3f", i+1, got, second[i])
		}
	}
}

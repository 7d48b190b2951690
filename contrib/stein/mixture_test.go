package stein

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMixtureELBOGrad checks the Stein mixture ELBO's gradient for each
// particle against central differences of the same draw's value.
func TestMixtureELBOGrad(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Particles = 3
	m := multimodal()
	m.lp = func(x, g []float64) float64 { // a correlated Gaussian
		g[0], g[1] = -x[0]+0.5*x[1], -2*x[1]+0.5*x[0]
		return -x[0]*x[0]/2 - x[1]*x[1] + 0.5*x[0]*x[1]
	}
	s, err := New(m, cfg, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range s.guides { // overlapping components, so that every term counts
		copy(q.Params(), []float64{0.2 * float64(i), -0.1 * float64(i), 0.3 * float64(i), -0.2})
	}
	lp := func(z, g []float64) (float64, error) { return m.LogDensity(z, g) }
	value := func(i int) float64 {
		v, err := s.mixtureELBOGrad(i, rand.New(rand.NewPCG(9, 9)), lp, make([]float64, 4))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for i := range 3 {
		grad := make([]float64, 4)
		if _, err := s.mixtureELBOGrad(i, rand.New(rand.NewPCG(9, 9)), lp, grad); err != nil {
			t.Fatal(err)
		}
		p := s.guides[i].Params()
		for k := range p {
			const h = 1e-6
			p[k] += h
			up := value(i)
			p[k] -= 2 * h
			down := value(i)
			p[k] += h
			if fd := (up - down) / (2 * h); math.Abs(fd-grad[k]) > 1e-5*(1+math.Abs(fd)) {
				t.Errorf("particle %d, parameter %d: gradient %v, finite difference %v", i, k, grad[k], fd)
			}
		}
	}
}

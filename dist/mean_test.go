package dist

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMeans checks each family's mean formula against the average of
// 400000 of its own draws, within five standard errors (the draws' sd over
// √n); families with heavy tails get parameters with a finite variance.
func TestMeans(t *testing.T) {
	cases := []struct {
		u *Univariate
		p []float64
	}{
		{StdNormal, nil}, {StudentT, []float64{5, 1, 2}}, {DoubleExponential, []float64{1, 2}},
		{Logistic, []float64{-1, 0.5}}, {Gumbel, []float64{1, 2}}, {Lognormal, []float64{0.2, 0.5}},
		{ChiSquare, []float64{3}}, {InvChiSquare, []float64{7}}, {ScaledInvChiSquare, []float64{7, 2}},
		{Exponential, []float64{2}}, {Gamma, []float64{3, 2}}, {InvGamma, []float64{5, 2}},
		{Weibull, []float64{1.5, 2}}, {Frechet, []float64{5, 2}}, {Rayleigh, []float64{2}},
		{Pareto, []float64{1, 5}}, {ParetoType2, []float64{1, 2, 5}}, {Beta, []float64{2, 3}},
		{BetaProportion, []float64{0.3, 5}}, {Uniform, []float64{-1, 3}},
		{SkewNormal, []float64{1, 2, 3}}, {ExpModNormal, []float64{1, 2, 0.5}},
		{SkewDoubleExponential, []float64{1, 2, 0.3}}, {Loglogistic, []float64{2, 6}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	const n = 400000
	for _, c := range cases {
		want, ok := c.u.Mean(c.p...)
		if !ok {
			t.Errorf("%s%v: no mean", c.u.Name, c.p)
			continue
		}
		s, s2 := 0.0, 0.0
		for range n {
			x, err := c.u.Rng(r, c.p...)
			if err != nil {
				t.Fatal(err)
			}
			s += x
			s2 += x * x
		}
		mean := s / n
		se := math.Sqrt((s2/n - mean*mean) / n)
		if math.Abs(mean-want) > 5*se {
			t.Errorf("%s%v: mean %v, draws average %v (se %v)", c.u.Name, c.p, want, mean, se)
		}
	}
}

// TestNoMean: where the mean does not exist, Mean says so.
func TestNoMean(t *testing.T) {
	for _, c := range []struct {
		u *Univariate
		p []float64
	}{{Cauchy, []float64{0, 1}}, {StudentT, []float64{1, 0, 1}}, {Pareto, []float64{1, 0.5}},
		{InvGamma, []float64{1, 1}}, {Loglogistic, []float64{1, 1}}, {Gamma, []float64{-1, 1}}} {
		if m, ok := c.u.Mean(c.p...); ok {
			t.Errorf("%s%v: mean %v, want none", c.u.Name, c.p, m)
		}
	}
}

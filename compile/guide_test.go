package compile

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

func fitGuide(t *testing.T, path string, data model.Data, lr float64, steps int) (*Model, *Guide) {
	t.Helper()
	m, err := build(t, path, data)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	g, err := m.NewGuide(rng)
	if err != nil {
		t.Fatal(err)
	}
	s := &svi.SVI{Model: m, Guide: g, Opt: svi.NewAdam(lr), Particles: 1, MaxRetries: 10, Schedule: svi.ExponentialDecay(lr, 0.01, steps)}
	if err := s.Run(rng, steps, nil); err != nil {
		t.Fatal(err)
	}
	return m, g
}

// TestMultimodalGuide fits examples/multimodal_guide.stan: theta's
// marginal is an equal mixture of N(0, 1) and N(20, 1), and the guide,
// one Gaussian per branch, should find both modes with their weights.
func TestMultimodalGuide(t *testing.T) {
	m, g := fitGuide(t, "../examples/multimodal_guide.stan", model.Data{}, 0.1, 5000)
	rng := rand.New(rand.NewPCG(1, 1))
	z := make([]float64, m.Dim())
	row := make([]float64, len(m.Names()))
	const n = 4000
	high, meanHigh, meanLow := 0, 0.0, 0.0
	for range n {
		g.Sample(rng, z)
		if err := m.Write(z, rng, row); err != nil {
			t.Fatal(err)
		}
		if row[1] > 10 {
			high++
			meanHigh += row[1]
		} else {
			meanLow += row[1]
		}
	}
	w := float64(high) / n
	if math.Abs(w-0.5) > 0.1 {
		t.Errorf("weight of the mode at 20 is %.3f, want 0.5 ± 0.1", w)
	}
	if high > 0 && high < n {
		meanHigh /= float64(high)
		meanLow /= float64(n - high)
		if math.Abs(meanHigh-20) > 0.3 || math.Abs(meanLow) > 0.3 {
			t.Errorf("mode means %.3f and %.3f, want 20 and 0", meanHigh, meanLow)
		}
	}
}

// TestCoinGuide fits examples/coin_guide.stan, whose posterior beta(3, 9)
// is in the guide's family.
func TestCoinGuide(t *testing.T) {
	data, err := model.ReadDataFile("../examples/coin.data.json")
	if err != nil {
		t.Fatal(err)
	}
	_, g := fitGuide(t, "../examples/coin_guide.stan", data, 0.02, 6000)
	v, err := g.Values()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(g.Names(), ","); got != "alpha_q,beta_q" {
		t.Fatalf("guide parameters %s", got)
	}
	a, b := v[0], v[1]
	if mean := a / (a + b); math.Abs(mean-0.25) > 0.02 {
		t.Errorf("guide mean %.3f (alpha %.2f, beta %.2f), want 0.25 (beta(3, 9))", mean, a, b)
	}
	if math.Abs(a+b-12)/12 > 0.3 {
		t.Errorf("guide concentration alpha + beta = %.2f, want 12", a+b)
	}
}

// TestGuideELBOGradient compares the gradient of one draw's log p - log q
// with central differences at the same random numbers.
func TestGuideELBOGradient(t *testing.T) {
	m, err := build(t, "../examples/multimodal_guide.stan", model.Data{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := m.NewGuide(rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	checkELBOGradient(t, g, 4)
}

// TestGuideErrors checks the guide's compile-time and run-time errors.
func TestGuideErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(src string) string {
		path := filepath.Join(dir, "g.stan")
		os.WriteFile(path, []byte(src), 0o644)
		return path
	}
	_, err := build(t, write("parameters { real x; }\nmodel { x ~ normal(0, 1); }\nguide parameters { real k; }\nguide { x ~ von_mises(0, k); }\n"), model.Data{})
	if err == nil || !strings.Contains(err.Error(), "g.stan:4:13: the guide cannot draw from 'von_mises'") {
		t.Errorf("von_mises guide: error %v", err)
	}
	// A bound that is an expression is checked at each draw (a number,
	// while compiling: TestGuideSupportErrors).
	m, err := build(t, write("transformed data { real lo = 0; }\nparameters { real<lower=lo> s; }\nmodel { s ~ exponential(1); }\nguide parameters { real mu; }\nguide { s ~ normal(mu, 1); }\n"), model.Data{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := m.NewGuide(rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	g.Params()[0] = -50
	_, err = g.ELBOGrad(rand.New(rand.NewPCG(1, 1)), nil, make([]float64, 1))
	if err == nil || !strings.Contains(err.Error(), `parameter drawn by the guide "s" is`) || !strings.Contains(err.Error(), "must be >= 0") {
		t.Errorf("draw outside the support: error %v", err)
	}
	z := make([]float64, 1)
	g.Sample(rand.New(rand.NewPCG(1, 1)), z)
	if !math.IsNaN(z[0]) {
		t.Errorf("a guide that cannot draw inside the support sampled %v", z[0])
	}
	m, err = build(t, write("parameters { real x; }\nmodel { x ~ normal(0, 1); }\n"), model.Data{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.NewGuide(rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("a program without a guide made one")
	}
}

// checkELBOGradient compares the gradient of one draw's ELBO in the guide's
// (unconstrained) parameters with central differences at the same random
// numbers, for the given number of seeds.
func checkELBOGradient(t *testing.T, g *Guide, seeds uint64) {
	t.Helper()
	par := g.Params()
	for seed := range seeds {
		grad := make([]float64, len(par))
		if _, err := g.ELBOGrad(rand.New(rand.NewPCG(seed, 1)), nil, grad); err != nil {
			t.Fatal(err)
		}
		for i := range par {
			at := func(h float64) float64 {
				old := par[i]
				par[i] += h
				defer func() { par[i] = old }()
				v, err := g.ELBOGrad(rand.New(rand.NewPCG(seed, 1)), nil, make([]float64, len(par)))
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			const h = 1e-6
			fd := (at(h) - at(-h)) / (2 * h)
			if math.Abs(grad[i]-fd) > 1e-5*(1+math.Abs(fd)) {
				t.Errorf("seed %d: d ELBO / d %s (unconstrained) = %v, finite differences %v", seed, g.Names()[i], grad[i], fd)
			}
		}
	}
}

// elboGradDraws returns n one-draw ELBO gradients of g, parameter by
// parameter: grads[j] holds the n draws of the j-th partial.
func elboGradDraws(t *testing.T, g *Guide, r *rand.Rand, n int) [][]float64 {
	t.Helper()
	par := g.Params()
	grads := make([][]float64, len(par))
	grad := make([]float64, len(par))
	for range n {
		clear(grad)
		if _, err := g.ELBOGrad(r, nil, grad); err != nil {
			t.Fatal(err)
		}
		for j, v := range grad {
			grads[j] = append(grads[j], v)
		}
	}
	return grads
}

// TestGuideEmptySimplex: a guide drawing a simplex of size 0 (a fuzzed
// program) fails with the parameter's name, not a division by zero while
// naming its element.
func TestGuideEmptySimplex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.stan")
	os.WriteFile(path, []byte(`data { int<lower=1> K; vector<lower=0>[K] alpha; }
parameters { simplex[0] theta; }
model { theta ~ dirichlet(alpha); }
guide parameters { vector<lower=0>[K] alpha_q; }
guide { theta ~ dirichlet(alpha_q); }
`), 0o644)
	m, err := build(t, path, model.Data{"K": {Elems: []float64{3}, Int: true}, "alpha": {Dims: []int{3}, Elems: []float64{1, 1, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := m.NewGuide(rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	z := make([]float64, m.Dim())
	if err = g.sample(rand.New(rand.NewPCG(1, 2)), z); err == nil || err.Error() != `parameter "theta": simplex_free: a simplex needs at least one element` {
		t.Errorf("error %v", err)
	}
}

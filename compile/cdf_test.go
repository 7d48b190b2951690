package compile

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/model"
)

// TestCDFCalls checks _cdf, _lcdf and _lccdf calls, continuous and
// discrete, against closed forms.
func TestCDFCalls(t *testing.T) {
	m, err := build(t, "testdata/cdfs.stan", nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(m.Names()))
	if err := m.Write([]float64{0}, rand.New(rand.NewPCG(1, 1)), out); err != nil {
		t.Fatal(err)
	}
	phi1 := 0.5 * math.Erfc(-1/math.Sqrt2)
	pois := math.Exp(-1.5) * (1 + 1.5 + 1.125)
	want := []float64{1, phi1, phi1, pois, 1 - pois, 1 - math.Exp(-1.5)*(1+1.5), distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 4}.CDF(0.5)}
	for i, w := range want[1:] {
		if math.Abs(out[i+1]-w) > 1e-9 {
			t.Errorf("%s = %.10g, want %.10g", m.Names()[i+1], out[i+1], w)
		}
	}
}

// TestDiscreteTruncation checks y ~ poisson(lambda) T[L, U] and its
// one-sided forms against the closed form, lp differences between two
// points (the ~ drops constants), and the gradient against differences.
func TestDiscreteTruncation(t *testing.T) {
	dir := t.TempDir()
	pois := func(n int, l float64) float64 { return distuv.Poisson{Lambda: l}.CDF(float64(n)) }
	for _, c := range []struct {
		trunc string
		norm  func(l float64) float64 // the truncation's probability
	}{
		{"T[1, 5]", func(l float64) float64 { return pois(5, l) - pois(0, l) }},
		{"T[2, ]", func(l float64) float64 { return 1 - pois(1, l) }},
		{"T[, 4]", func(l float64) float64 { return pois(4, l) }},
		{"T[0, 4]", func(l float64) float64 { return pois(4, l) }},
	} {
		path := filepath.Join(dir, "trunc.stan")
		os.WriteFile(path, []byte("data { int y; }\nparameters { real<lower=0> lambda; }\nmodel { y ~ poisson(lambda) "+c.trunc+"; }\n"), 0o644)
		m, err := build(t, path, model.Data{"y": {Elems: []float64{3}, Int: true}})
		if err != nil {
			t.Fatal(err)
		}
		// lp(u) = 3 log λ - λ - log P(trunc) + u, λ = e^u (Jacobian u).
		want := func(u float64) float64 {
			l := math.Exp(u)
			return 3*u - l - math.Log(c.norm(l)) + u
		}
		g := make([]float64, 1)
		lp0, err := m.LogDensity([]float64{0.2}, g)
		if err != nil {
			t.Fatal(err)
		}
		lp1, _ := m.LogDensity([]float64{1.1}, nil)
		if got, w := lp1-lp0, want(1.1)-want(0.2); math.Abs(got-w) > 1e-9 {
			t.Errorf("%s: lp difference %.12g, want %.12g", c.trunc, got, w)
		}
		const h = 1e-6
		if fd := (want(0.2+h) - want(0.2-h)) / (2 * h); math.Abs(g[0]-fd) > 1e-6 {
			t.Errorf("%s: gradient %.10g, want %.10g", c.trunc, g[0], fd)
		}
	}
}

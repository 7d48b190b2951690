package autoguide

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/model"
)

// scaled is N(mean, cov) with scales a million apart and correlation 0.9:
// Adam's steps, alike in every coordinate, suit neither scale.
type scaled struct{ g *gaussian }

func newScaled(t *testing.T) scaled {
	sd := []float64{1000, 0.001}
	cov := mat.NewSymDense(2, []float64{sd[0] * sd[0], 0.9 * sd[0] * sd[1], 0.9 * sd[0] * sd[1], sd[1] * sd[1]})
	return scaled{newGaussian(t, []float64{3000, -0.002}, cov)}
}

func (s scaled) LogDensity(x, g []float64) (float64, error) { return s.g.logProb(x, g), nil }
func (scaled) Dim() int                                     { return 2 }
func (scaled) Names() []string                              { return []string{"a", "b"} }
func (scaled) Write(x []float64, _ *rand.Rand, out []float64) error {
	copy(out, x)
	return nil
}
func (s scaled) Clone() model.Model { return s }

// TestPreconditioned: on a badly scaled, correlated Gaussian the
// preconditioned diagonal guide fits mean, scales and correlation in a
// thousand steps, where the same guide without preconditioning does not;
// its log q is the implied Gaussian's on z.
func TestPreconditioned(t *testing.T) {
	m := newScaled(t)
	fit := func(pre bool) ([]float64, []float64, float64) {
		set := DefaultSettings("diagonal")
		set.Steps, set.Draws, set.Precondition = 1000, 20000, pre
		res, err := set.SVI(set.Maker("diagonal")).FitModel(context.Background(), 1, m, set.Steps, set.Draws, nil)
		if err != nil {
			t.Fatal(err)
		}
		var mean, sd [2]float64
		for _, d := range res.Draws {
			for i := range 2 {
				mean[i] += d[i] / float64(len(res.Draws))
			}
		}
		c := 0.0
		for _, d := range res.Draws {
			for i := range 2 {
				sd[i] += (d[i] - mean[i]) * (d[i] - mean[i]) / float64(len(res.Draws))
			}
			c += (d[0] - mean[0]) * (d[1] - mean[1]) / float64(len(res.Draws))
		}
		sd[0], sd[1] = math.Sqrt(sd[0]), math.Sqrt(sd[1])
		return mean[:], sd[:], c / (sd[0] * sd[1])
	}
	mean, sd, corr := fit(true)
	if math.Abs(mean[0]-3000) > 30 || math.Abs(mean[1]+0.002) > 3e-5 || math.Abs(sd[0]/1000-1) > 0.05 || math.Abs(sd[1]/0.001-1) > 0.05 || math.Abs(corr-0.9) > 0.02 {
		t.Errorf("preconditioned: mean %v, sd %v, correlation %.3f; want (3000, -0.002), (1000, 0.001), 0.9", mean, sd, corr)
	}
	if mean, sd, _ := fit(false); math.Abs(mean[0]-3000) < 30 && math.Abs(sd[1]/0.001-1) < 0.05 {
		t.Errorf("without preconditioning the fit is as good (mean %v, sd %v): the test model is too easy", mean, sd)
	}
	// log q of a whitened guide is the implied N(mode + L loc, L S² Lᵀ).
	mode, l, ok := precondition(m, []float64{0, 0})
	if !ok {
		t.Fatal("no mode")
	}
	inner := NewDiagonalNormal([]float64{0.3, -0.2})
	inner.par[2], inner.par[3] = softplusInv(0.5), softplusInv(2)
	w := newWhitened(inner, mode, l).(whitenedMean)
	var ls mat.Dense
	ls.Mul(l, mat.NewDiagDense(2, []float64{0.5, 2}))
	var cov mat.SymDense
	cov.SymOuterK(1, &ls)
	mu := make([]float64, 2)
	w.forward([]float64{0.3, -0.2}, mu)
	implied := newGaussian(t, mu, &cov)
	z := make([]float64, 2)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		lq := w.SampleLogQ(rng, z)
		// The implied covariance spans twelve orders of magnitude: its
		// Cholesky factorisation loses about 1e-5 of the log density.
		if want := implied.logProb(z, nil); math.Abs(lq-want) > 1e-4 {
			t.Errorf("log q %v, implied Gaussian %v", lq, want)
		}
	}
}

// TestPreconditionedModel: the model on u has the density of z at
// mode + L u plus log |det L|, the gradient Lᵀ∇ (against central
// differences), and writes z's outputs.
func TestPreconditionedModel(t *testing.T) {
	m := newScaled(t)
	pm, ok := Preconditioned(m, []float64{0, 0})
	if !ok {
		t.Fatal("no mode")
	}
	w := pm.(*whitenedModel)
	u := []float64{0.3, -0.2}
	z := make([]float64, 2)
	w.forward(u, z)
	g := make([]float64, 2)
	got, err := pm.LogDensity(u, g)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := m.LogDensity(z, nil)
	if math.Abs(got-(want+w.logDetL)) > 1e-9 {
		t.Errorf("log density %v, want %v", got, want+w.logDetL)
	}
	for j := range u {
		h := 1e-6
		up, um := slices.Clone(u), slices.Clone(u)
		up[j] += h
		um[j] -= h
		a, _ := pm.LogDensity(up, nil)
		b, _ := pm.LogDensity(um, nil)
		if fd := (a - b) / (2 * h); math.Abs(g[j]-fd) > 1e-5*(1+math.Abs(fd)) {
			t.Errorf("grad[%d] %v, finite difference %v", j, g[j], fd)
		}
	}
	out := make([]float64, 2)
	if err := pm.Clone().Write(u, nil, out); err != nil || !slices.Equal(out, z) {
		t.Errorf("Write gives %v (%v), want %v", out, err, z)
	}
}

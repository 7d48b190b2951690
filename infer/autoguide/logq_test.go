package autoguide

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// gaussian is N(mean, cov) with its log density and its gradient.
type gaussian struct {
	mean []float64
	chol mat.Cholesky
}

func newGaussian(t *testing.T, mean []float64, cov *mat.SymDense) *gaussian {
	g := &gaussian{mean: mean}
	if !g.chol.Factorize(cov) {
		t.Fatal("covariance not positive definite")
	}
	return g
}

// logProb returns log N(z; mean, cov) and, when grad is not nil, its
// gradient -cov⁻¹(z - mean).
func (g *gaussian) logProb(z, grad []float64) float64 {
	d := len(z)
	u := mat.NewVecDense(d, nil)
	for i := range d {
		u.SetVec(i, z[i]-g.mean[i])
	}
	var w mat.VecDense
	if err := g.chol.SolveVecTo(&w, u); err != nil {
		panic(err)
	}
	for i := range grad {
		grad[i] = -w.AtVec(i)
	}
	return -0.5*float64(d)*math.Log(2*math.Pi) - 0.5*g.chol.LogDet() - 0.5*mat.Dot(u, &w)
}

// TestGaussianSampleLogQ checks each Gaussian guide's SampleLogQ against
// gonum's multivariate normal density with the covariance built from the
// guide's parameters, and its Mean against loc.
func TestGaussianSampleLogQ(t *testing.T) {
	const d = 3
	loc := []float64{0.5, -1, 2}
	diag := NewDiagonalNormal(loc)
	mvn := NewMultivariateNormal(loc)
	low := NewLowRankMultivariateNormal(loc, 2)
	prng := rand.New(rand.NewPCG(1, 2))
	for _, p := range [][]float64{diag.par, mvn.par, low.par} {
		for i := range p {
			p[i] += 0.6 * prng.NormFloat64()
		}
	}
	cov := map[string]*mat.SymDense{"diagonal": mat.NewSymDense(d, nil), "mvn": mat.NewSymDense(d, nil), "lowrank": mat.NewSymDense(d, nil)}
	for i := range d {
		for j := 0; j <= i; j++ {
			if i == j {
				s := softplus(diag.par[d+i])
				cov["diagonal"].SetSym(i, i, s*s)
			}
			m := 0.0
			for k := 0; k <= j; k++ {
				m += mvn.lower(i, k) * mvn.lower(j, k)
			}
			cov["mvn"].SetSym(i, j, m)
			l := 0.0
			for k := range low.r {
				l += low.w(i, k) * low.w(j, k)
			}
			if i == j {
				l += low.scale(i) * low.scale(i)
			}
			cov["lowrank"].SetSym(i, j, l)
		}
	}
	guides := map[string]interface {
		Mean() []float64
		SampleLogQ(*rand.Rand, []float64) float64
	}{"diagonal": diag, "mvn": mvn, "lowrank": low}
	locs := map[string][]float64{"diagonal": diag.par, "mvn": mvn.par, "lowrank": low.par}
	for name, q := range guides {
		mean := q.Mean()
		dist := newGaussian(t, mean, cov[name])
		if want := locs[name]; mean[0] != want[0] || mean[d-1] != want[d-1] {
			t.Errorf("%s: Mean() = %v, want loc %v", name, mean, want[:d])
		}
		rng := rand.New(rand.NewPCG(3, 4))
		z := make([]float64, d)
		for range 20 {
			got := q.SampleLogQ(rng, z)
			if want := dist.logProb(z, nil); math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s: log q(%v) = %.12g, want %.12g", name, z, got, want)
			}
		}
	}
}

// TestFlowSampleLogQ checks the flows' SampleLogQ against the density of
// the base draw pushed through apply (TestFlowDensity checks apply's).
func TestFlowSampleLogQ(t *testing.T) {
	for name, f := range flows(2, 11) {
		rng := rand.New(rand.NewPCG(4, 5))
		same := rand.New(rand.NewPCG(4, 5))
		z := make([]float64, 2)
		for range 20 {
			got := f.SampleLogQ(rng, z)
			x := []float64{same.NormFloat64(), same.NormFloat64()}
			want, logDet := f.apply(x)
			logQ := -math.Log(2*math.Pi) - 0.5*(x[0]*x[0]+x[1]*x[1]) - logDet
			if math.Abs(got-logQ) > 1e-9*math.Max(1, math.Abs(logQ)) || math.Abs(z[0]-want[0]) > 1e-12 || math.Abs(z[1]-want[1]) > 1e-12 {
				t.Errorf("%s: SampleLogQ gives z %v, log q %.12g; want %v, %.12g", name, z, got, want, logQ)
			}
		}
	}
}

// TestLaplaceSampleLogQ: on a Gaussian log density the Laplace
// approximation is the density itself, so log q is the target's
// normalised log density; a Delta's point mass has log q = +Inf.
func TestLaplaceSampleLogQ(t *testing.T) {
	mean := []float64{1, -2}
	sigma := mat.NewSymDense(2, []float64{1, 0.6, 0.6, 2})
	target := newGaussian(t, mean, sigma)
	lp := func(z, g []float64) (float64, error) { return target.logProb(z, g), nil }
	q := NewLaplace(mean)
	if err := q.Finish(lp); err != nil {
		t.Fatal(err)
	}
	if m := q.Mean(); m[0] != mean[0] || m[1] != mean[1] {
		t.Errorf("Mean() = %v, want the mode %v", m, mean)
	}
	rng := rand.New(rand.NewPCG(6, 7))
	z := make([]float64, 2)
	for range 20 {
		got := q.SampleLogQ(rng, z)
		if want := target.logProb(z, nil); math.Abs(got-want) > 1e-5 {
			t.Errorf("log q(%v) = %.9g, want %.9g", z, got, want)
		}
	}
	if got := NewDelta(mean).SampleLogQ(rng, z); !math.IsInf(got, 1) || z[0] != mean[0] || z[1] != mean[1] {
		t.Errorf("Delta: z %v, log q %v; want %v, +Inf", z, got, mean)
	}
}

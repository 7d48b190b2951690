package autoguide

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// gauss is N(m, S) in two dimensions, S = [[1, 1.2], [1.2, 4]].
type gauss struct{}

var (
	gm   = [2]float64{2, -1}
	prec = func() [2][2]float64 {
		s := [2][2]float64{{1, 1.2}, {1.2, 4}}
		det := s[0][0]*s[1][1] - s[0][1]*s[1][0]
		return [2][2]float64{{s[1][1] / det, -s[0][1] / det}, {-s[1][0] / det, s[0][0] / det}}
	}()
)

func (gauss) Dim() int { return 2 }
func (gauss) LogDensity(x, g []float64) (float64, error) {
	d := [2]float64{x[0] - gm[0], x[1] - gm[1]}
	lp := 0.0
	for i := range 2 {
		s := prec[i][0]*d[0] + prec[i][1]*d[1]
		lp -= 0.5 * d[i] * s
		if g != nil {
			g[i] = -s
		}
	}
	return lp, nil
}
func (gauss) Names() []string                                      { return []string{"a", "b"} }
func (gauss) Write(x []float64, _ *rand.Rand, out []float64) error { copy(out, x); return nil }
func (g gauss) Clone() model.Model                                 { return g }

func fit(t *testing.T, q svi.Guide, steps int) {
	s := &svi.SVI{Model: gauss{}, Guide: q, Opt: svi.NewAdam(0.01), Particles: 4}
	if err := s.Run(rand.New(rand.NewPCG(1, 2)), steps, nil); err != nil {
		t.Fatal(err)
	}
}

func moments(q svi.Guide) (mean [2]float64, cov [2][2]float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 40000
	z := make([]float64, 2)
	var zs [][2]float64
	for range n {
		q.Sample(rng, z)
		zs = append(zs, [2]float64{z[0], z[1]})
		mean[0] += z[0] / n
		mean[1] += z[1] / n
	}
	for _, z := range zs {
		for i := range 2 {
			for j := range 2 {
				cov[i][j] += (z[i] - mean[i]) * (z[j] - mean[j]) / n
			}
		}
	}
	return
}

func TestGuidesRecoverAGaussian(t *testing.T) {
	start := []float64{0, 0}
	mvn := NewMultivariateNormal(start)
	fit(t, mvn, 4000)
	mean, cov := moments(mvn)
	want := [2][2]float64{{1, 1.2}, {1.2, 4}}
	for i := range 2 {
		if math.Abs(mean[i]-gm[i]) > 0.1 {
			t.Errorf("mvn mean[%d] = %v, want %v", i, mean[i], gm[i])
		}
		for j := range 2 {
			if math.Abs(cov[i][j]-want[i][j]) > 0.15*math.Sqrt(want[i][i]*want[j][j]) {
				t.Errorf("mvn cov[%d][%d] = %v, want %v", i, j, cov[i][j], want[i][j])
			}
		}
	}
	diag := NewDiagonalNormal(start)
	fit(t, diag, 4000)
	mean, cov = moments(diag)
	for i := range 2 {
		// The mean-field optimum has the marginal precisions.
		if w := 1 / prec[i][i]; math.Abs(mean[i]-gm[i]) > 0.1 || math.Abs(cov[i][i]-w) > 0.15*w {
			t.Errorf("diagonal: mean %v var %v, want %v and %v", mean[i], cov[i][i], gm[i], w)
		}
	}
	// Rank 1 plus a diagonal can represent the 2×2 covariance exactly.
	lr := NewLowRankMultivariateNormal(start, 1)
	fit(t, lr, 6000)
	mean, cov = moments(lr)
	for i := range 2 {
		if math.Abs(mean[i]-gm[i]) > 0.1 {
			t.Errorf("lowrank mean[%d] = %v, want %v", i, mean[i], gm[i])
		}
		for j := range 2 {
			if math.Abs(cov[i][j]-want[i][j]) > 0.15*math.Sqrt(want[i][i]*want[j][j]) {
				t.Errorf("lowrank cov[%d][%d] = %v, want %v", i, j, cov[i][j], want[i][j])
			}
		}
	}
	delta := NewDelta(start)
	fit(t, delta, 4000)
	if p := delta.Params(); math.Abs(p[0]-gm[0]) > 0.01 || math.Abs(p[1]-gm[1]) > 0.01 {
		t.Errorf("delta at %v, want the mode %v", p, gm)
	}
	lap := NewLaplace(start)
	fit(t, lap, 4000)
	if err := lap.Finish(gauss{}.LogDensity); err != nil {
		t.Fatal(err)
	}
	mean, cov = moments(lap)
	for i := range 2 {
		for j := range 2 {
			if math.Abs(cov[i][j]-want[i][j]) > 0.05*math.Sqrt(want[i][i]*want[j][j]) {
				t.Errorf("laplace cov[%d][%d] = %v, want %v", i, j, cov[i][j], want[i][j])
			}
		}
	}
}

// TestELBOGradient checks the guides' reparameterised gradients against
// finite differences of the exact ELBO of the Gaussian target.
func TestELBOGradient(t *testing.T) {
	for name, q := range map[string]svi.Guide{
		"diagonal": NewDiagonalNormal([]float64{0.3, -0.2}),
		"mvn":      NewMultivariateNormal([]float64{0.3, -0.2}),
		"lowrank":  NewLowRankMultivariateNormal([]float64{0.3, -0.2}, 1),
		// NumPyro's form: the factor scaled by the scales.
		"lowrank-numpyro": newLowRank([]float64{0.3, -0.2}, 1, initScale, true, nil),
	} {
		p := q.Params()
		for i := range p {
			p[i] += 0.1 * float64(i+1)
		}
		grad := make([]float64, len(p))
		rng := rand.New(rand.NewPCG(5, 6))
		const n = 100000
		for range n {
			q.ELBOGrad(rng, gauss{}.LogDensity, grad)
		}
		exact := func() float64 {
			// E_q log p + entropy for Gaussians: moments by sampling are too
			// noisy, so use the closed form with q's mean and covariance.
			mean, cov := gaussianOf(q)
			e := 0.0
			for i := range 2 {
				for j := range 2 {
					d := (mean[i] - gm[i]) * (mean[j] - gm[j])
					e -= 0.5 * prec[i][j] * (cov[i][j] + d)
				}
			}
			det := cov[0][0]*cov[1][1] - cov[0][1]*cov[1][0]
			return e + 0.5*math.Log(det) + (1 + math.Log(2*math.Pi))
		}
		for i := range p {
			h := 1e-5
			p[i] += h
			up := exact()
			p[i] -= 2 * h
			down := exact()
			p[i] += h
			fd := (up - down) / (2 * h)
			if got := grad[i] / n; math.Abs(got-fd) > 0.03*math.Max(1, math.Abs(fd)) {
				t.Errorf("%s: d ELBO / d param[%d] = %v, exact %v", name, i, got, fd)
			}
		}
	}
}

// TestTraceELBOGradient checks NumPyro's LowRankMultivariateNormal
// gradient draw by draw: with the noise held fixed, it is the derivative
// of that draw's log p - log q as a whole (Trace_ELBO), the quadratic form
// of log q through the draw included, against central differences.
func TestTraceELBOGradient(t *testing.T) {
	q := newLowRank([]float64{0.3, -0.2, 0.5}, 2, initScale, true, nil)
	p := q.Params()
	for i := range p {
		p[i] += 0.05 * float64(i%5+1)
	}
	lp := func(z, g []float64) (float64, error) { // a correlated Gaussian in 3-D
		prec := [3][3]float64{{2, 0.5, 0.2}, {0.5, 1, -0.3}, {0.2, -0.3, 1.5}}
		v := 0.0
		for i := range 3 {
			if g != nil {
				g[i] = 0
			}
			for j := range 3 {
				v -= 0.5 * z[i] * prec[i][j] * z[j]
				if g != nil {
					g[i] -= prec[i][j] * z[j]
				}
			}
		}
		return v, nil
	}
	elbo := func(grad []float64) float64 {
		v, err := q.ELBOGrad(rand.New(rand.NewPCG(7, 8)), lp, grad)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	grad := make([]float64, len(p))
	elbo(grad)
	scratch := make([]float64, len(p))
	for i := range p {
		h := 1e-6
		p[i] += h
		up := elbo(scratch)
		p[i] -= 2 * h
		down := elbo(scratch)
		p[i] += h
		if fd := (up - down) / (2 * h); math.Abs(grad[i]-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
			t.Errorf("d (log p - log q) / d param[%d] = %v, central difference %v", i, grad[i], fd)
		}
	}
}

func gaussianOf(q svi.Guide) (mean [2]float64, cov [2][2]float64) {
	p := q.Params()
	mean = [2]float64{p[0], p[1]}
	switch q := q.(type) {
	case *DiagonalNormal:
		cov[0][0] = softplus(p[2]) * softplus(p[2])
		cov[1][1] = softplus(p[3]) * softplus(p[3])
	case *LowRankMultivariateNormal:
		for i := range 2 {
			for j := range 2 {
				cov[i][j] = q.w(i, 0) * q.w(j, 0)
			}
			cov[i][i] += q.scale(i) * q.scale(i)
		}
	case *MultivariateNormal:
		l := [2][2]float64{{q.lower(0, 0), 0}, {q.lower(1, 0), q.lower(1, 1)}}
		for i := range 2 {
			for j := range 2 {
				for k := range 2 {
					cov[i][j] += l[i][k] * l[j][k]
				}
			}
		}
	}
	return
}

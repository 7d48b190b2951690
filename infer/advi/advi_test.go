package advi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// gauss2 is N(m, S) in two dimensions with S = [[1, r*2], [r*2, 4]].
type gauss2 struct {
	m    [2]float64
	prec [2][2]float64
}

func newGauss2(m0, m1, r float64) *gauss2 {
	s := [2][2]float64{{1, 2 * r}, {2 * r, 4}}
	det := s[0][0]*s[1][1] - s[0][1]*s[1][0]
	return &gauss2{m: [2]float64{m0, m1}, prec: [2][2]float64{{s[1][1] / det, -s[0][1] / det}, {-s[1][0] / det, s[0][0] / det}}}
}

func (g *gauss2) Dim() int { return 2 }
func (g *gauss2) LogDensity(x, grad []float64) (float64, error) {
	d := [2]float64{x[0] - g.m[0], x[1] - g.m[1]}
	lp := 0.0
	for i := range 2 {
		s := g.prec[i][0]*d[0] + g.prec[i][1]*d[1]
		lp -= 0.5 * d[i] * s
		if grad != nil {
			grad[i] = -s
		}
	}
	return lp, nil
}
func (g *gauss2) Names() []string                                      { return []string{"x[1]", "x[2]"} }
func (g *gauss2) Write(x []float64, _ *rand.Rand, out []float64) error { copy(out, x); return nil }
func (g *gauss2) Clone() model.Model                                   { return g }

func moments(draws [][]float64) (mean [2]float64, cov [2][2]float64) {
	n := float64(len(draws))
	for _, d := range draws {
		mean[0] += d[0] / n
		mean[1] += d[1] / n
	}
	for _, d := range draws {
		for i := range 2 {
			for j := range 2 {
				cov[i][j] += (d[i] - mean[i]) * (d[j] - mean[j]) / (n - 1)
			}
		}
	}
	return
}

func TestMeanfieldGaussian(t *testing.T) {
	// For a Gaussian target the optimal mean-field Gaussian has the
	// target's mean and marginal precisions: sd_i = 1/sqrt(P_ii).
	g := newGauss2(3, -5, 0.6)
	cfg := DefaultConfig()
	cfg.Seed, cfg.OutputSamples, cfg.TolRelObj = 1, 20000, 0.001
	res, err := Run(g, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	mean, cov := moments(res.Draws)
	for i := range 2 {
		wantSD := 1 / math.Sqrt(g.prec[i][i])
		if math.Abs(mean[i]-g.m[i]) > 0.15*wantSD || math.Abs(math.Sqrt(cov[i][i])-wantSD) > 0.15*wantSD {
			t.Errorf("x[%d]: mean %.3f sd %.3f, want %.3f and %.3f", i, mean[i], math.Sqrt(cov[i][i]), g.m[i], wantSD)
		}
	}
	if math.Abs(cov[0][1]) > 0.05 {
		t.Errorf("mean-field draws are correlated: %v", cov[0][1])
	}
	if res.Mean[0] != res.approx.mu()[0] {
		t.Errorf("mean row %v is not the approximation's mean %v", res.Mean, res.approx.mu())
	}
}

func TestFullrankGaussian(t *testing.T) {
	g := newGauss2(1, 2, -0.8)
	cfg := DefaultConfig()
	cfg.Algorithm = Fullrank
	cfg.Seed, cfg.OutputSamples, cfg.TolRelObj = 2, 20000, 0.001
	res, err := Run(g, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	mean, cov := moments(res.Draws)
	want := [2][2]float64{{1, -1.6}, {-1.6, 4}}
	for i := range 2 {
		if math.Abs(mean[i]-g.m[i]) > 0.2 {
			t.Errorf("mean[%d] = %.3f, want %.3f", i, mean[i], g.m[i])
		}
		for j := range 2 {
			if math.Abs(cov[i][j]-want[i][j]) > 0.2*math.Sqrt(want[i][i]*want[j][j]) {
				t.Errorf("cov[%d][%d] = %.3f, want %.3f", i, j, cov[i][j], want[i][j])
			}
		}
	}
}

// TestDrawDensities checks log_p__ and log_g__: each draw's model log
// density and its normalised log density under N(mu, L Lᵀ), both on the
// unconstrained scale, for both families.
func TestDrawDensities(t *testing.T) {
	g := newGauss2(1, 2, 0.5)
	for _, alg := range []Algorithm{Meanfield, Fullrank} {
		cfg := DefaultConfig()
		cfg.Algorithm, cfg.Seed, cfg.OutputSamples = alg, 3, 100
		res, err := Run(g, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		q := res.approx
		// L as a dense lower triangle, its inverse applied by substitution.
		var l [2][2]float64
		for i := range 2 {
			for j := 0; j <= i; j++ {
				switch {
				case alg == Fullrank:
					l[i][j] = q.par[2+i*2+j]
				case i == j:
					l[i][i] = math.Exp(q.par[2+i])
				}
			}
		}
		if len(res.LogP) != 100 || len(res.LogG) != 100 {
			t.Fatalf("%v: %d log p, %d log g for 100 draws", alg, len(res.LogP), len(res.LogG))
		}
		for k, z := range res.Unconstrained {
			wantP, _ := g.LogDensity(z, nil)
			e0 := (z[0] - q.par[0]) / l[0][0]
			e1 := (z[1] - q.par[1] - l[1][0]*e0) / l[1][1]
			wantG := -math.Log(2*math.Pi) - math.Log(math.Abs(l[0][0]*l[1][1])) - 0.5*(e0*e0+e1*e1)
			if res.LogP[k] != wantP || math.Abs(res.LogG[k]-wantG) > 1e-9 {
				t.Fatalf("%v: draw %v: log_p %v, log_g %v; want %v, %v", alg, z, res.LogP[k], res.LogG[k], wantP, wantG)
			}
		}
	}
}

func TestEntropyAndGradient(t *testing.T) {
	// The ELBO gradient with many draws matches a finite difference of the
	// exact ELBO of a Gaussian target, for both families.
	g := newGauss2(0.5, -1, 0.3)
	for _, alg := range []Algorithm{Meanfield, Fullrank} {
		q := newApprox(alg, []float64{0.2, 0.1})
		for i := range q.par[2:] {
			if alg == Meanfield || i == 0 || i == 2 || i == 3 {
				q.par[2+i] += 0.1 * float64(i+1)
			}
		}
		exact := func(q *approx) float64 {
			// E_q[log p] for a Gaussian p in closed form: -½(tr(P Σ) + (μ-m)ᵀP(μ-m)).
			var sig [2][2]float64
			for i := range 2 {
				for j := range 2 {
					for k := range 2 {
						sig[i][j] += lElem(q, i, k) * lElem(q, j, k)
					}
				}
			}
			d := [2]float64{q.par[0] - g.m[0], q.par[1] - g.m[1]}
			e := 0.0
			for i := range 2 {
				for j := range 2 {
					e -= 0.5 * g.prec[i][j] * (sig[i][j] + d[i]*d[j])
				}
			}
			return e + q.entropy()
		}
		r := &runner{m: g, cfg: Config{GradSamples: 200000}, rng: rand.New(rand.NewPCG(3, 3)),
			eta: make([]float64, 2), z: make([]float64, 2), gz: make([]float64, 2)}
		grad := make([]float64, len(q.par))
		if err := r.elboGrad(q, grad); err != nil {
			t.Fatal(err)
		}
		for i := range q.par {
			if alg == Fullrank && i == 3 { // L[0][1] is structurally zero
				continue
			}
			h := 1e-5
			qp, qm := q.clone(), q.clone()
			qp.par[i] += h
			qm.par[i] -= h
			fd := (exact(qp) - exact(qm)) / (2 * h)
			if math.Abs(grad[i]-fd) > 0.02*math.Max(1, math.Abs(fd)) {
				t.Errorf("%v: d ELBO / d par[%d] = %.4f, finite difference %.4f", alg, i, grad[i], fd)
			}
		}
	}
}

func lElem(q *approx, i, j int) float64 {
	if q.alg == Meanfield {
		if i == j {
			return math.Exp(q.par[q.d+i])
		}
		return 0
	}
	if j > i {
		return 0
	}
	return q.par[q.d+i*q.d+j]
}

// failing can be evaluated with its gradient (as at the initial point)
// but its ELBO draws, evaluated without, are rejected.
type failing struct{ gauss2 }

func (failing) LogDensity(x, grad []float64) (float64, error) {
	if grad == nil && x[0] > -100 {
		return 0, fmt.Errorf("reject")
	}
	return 0, nil
}

func TestErrors(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init = []float64{0, 0}
	_, err := Run(&failing{}, cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "cannot compute ELBO using the initial variational distribution") {
		t.Fatalf("error = %v", err)
	}
	cfg.Iter = 0
	if _, err := Run(newGauss2(0, 0, 0), cfg, nil); err == nil {
		t.Fatal("zero iterations accepted")
	}
}

// Cancelling the context at the ELBO evaluation of iteration 300 stops the
// ascent there: the draws are those of a run limited to 300 iterations,
// bit for bit, flagged as interrupted. Cancelled before the step-size
// search has chosen eta, there is no approximation: an error.
func TestInterrupted(t *testing.T) {
	g := newGauss2(3, -5, 0.6)
	cfg := DefaultConfig()
	cfg.Seed, cfg.OutputSamples, cfg.TolRelObj = 4, 50, 1e-300
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := RunContext(ctx, g, cfg, func(p ELBOPoint) {
		if p.Iter == 300 {
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Iter = 300
	want, err := Run(g, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || want.Interrupted || res.Iter != 300 || len(res.History) != 3 || res.Converged {
		t.Fatalf("interrupted %v after %d iterations, %d ELBO evaluations, converged %v; want interrupted after 300 and 3",
			res.Interrupted, res.Iter, len(res.History), res.Converged)
	}
	if len(res.Draws) != 50 || fmt.Sprint(res.Mean, res.Draws, res.LogG) != fmt.Sprint(want.Mean, want.Draws, want.LogG) {
		t.Errorf("the interrupted run's mean and draws differ from those after 300 iterations:\n%v %v\n%v %v", res.Mean, res.Draws[:2], want.Mean, want.Draws[:2])
	}
	done, stop := context.WithCancel(context.Background())
	stop()
	if _, err := RunContext(done, g, DefaultConfig(), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during the eta search: error %v, want one wrapping context.Canceled", err)
	}
}

package pathfinder

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/gostan/gostan/model"
	"gonum.org/v1/gonum/mat"
)

// normal is N(mu, Sigma) with Sigma_ij = sd_i sd_j rho^|i-j| (an AR(1)
// correlation), its log density without constants, as Stan drops them.
type normal struct {
	mu, sd []float64
	prec   *mat.SymDense
	evals  *int // counts LogDensity calls when not nil
}

func newNormal(n int, rho float64) *normal {
	g := &normal{mu: make([]float64, n), sd: make([]float64, n)}
	for i := range n {
		g.mu[i] = float64(i) - 2
		g.sd[i] = 0.5 + 0.5*float64(i%4)
	}
	var ch mat.Cholesky
	if !ch.Factorize(g.cov()) {
		panic("not positive definite")
	}
	g.prec = mat.NewSymDense(n, nil)
	if err := ch.InverseTo(g.prec); err != nil {
		panic(err)
	}
	return g
}

func (g *normal) cov() *mat.SymDense {
	n := len(g.mu)
	s := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			s.SetSym(i, j, g.sd[i]*g.sd[j]*math.Pow(0.8, float64(j-i)))
		}
	}
	return s
}

func (g *normal) Dim() int { return len(g.mu) }
func (g *normal) LogDensity(x, grad []float64) (float64, error) {
	if g.evals != nil {
		*g.evals++
	}
	n := len(x)
	lp := 0.0
	for i := range n {
		gi := 0.0
		for j := range n {
			gi -= g.prec.At(i, j) * (x[j] - g.mu[j])
		}
		lp += 0.5 * gi * (x[i] - g.mu[i])
		if grad != nil {
			grad[i] = gi
		}
	}
	return lp, nil
}
func (g *normal) Names() []string {
	out := make([]string, len(g.mu))
	for i := range out {
		out[i] = fmt.Sprintf("x[%d]", i+1)
	}
	return out
}
func (g *normal) Write(x []float64, _ *rand.Rand, out []float64) error { copy(out, x); return nil }
func (g *normal) Clone() model.Model                                   { c := *g; c.evals = nil; return &c }

// moments returns the draws' mean and covariance.
func moments(z [][]float64) ([]float64, *mat.SymDense) {
	n := len(z[0])
	mean := make([]float64, n)
	for _, v := range z {
		for i := range n {
			mean[i] += v[i] / float64(len(z))
		}
	}
	cov := mat.NewSymDense(n, nil)
	for _, v := range z {
		for i := range n {
			for j := i; j < n; j++ {
				cov.SetSym(i, j, cov.At(i, j)+(v[i]-mean[i])*(v[j]-mean[j])/float64(len(z)-1))
			}
		}
	}
	return mean, cov
}

// On a correlated 5-D Gaussian target multi-path Pathfinder's draws have
// the target's mean and covariance, to Monte Carlo error (1000 draws: the
// standard error of a mean is 0.03 sd, of a covariance about 0.05 sd_i
// sd_j). (In 15-D, five pairs leave the AR(1) covariance poorly resolved:
// the best ELBO is about 2.4 below log Z, as the paper's low-rank family
// allows.)
func TestGaussianTarget(t *testing.T) {
	for _, n := range []int{5} {
		g := newNormal(n, 0.8)
		cfg := DefaultConfig()
		cfg.Seed = 7
		res, err := Run(g, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Draws) != 1000 || len(res.LP) != 1000 || len(res.LPApprox) != 1000 {
			t.Fatalf("n=%d: %d draws, %d lp, %d lp_approx; want 1000", n, len(res.Draws), len(res.LP), len(res.LPApprox))
		}
		mean, cov := moments(res.Unconstrained)
		truth := g.cov()
		for i := range n {
			if d := math.Abs(mean[i]-g.mu[i]) / g.sd[i]; d > 0.15 {
				t.Errorf("n=%d: mean[%d] = %.3f, want %.3f (%.2f sd off)", n, i, mean[i], g.mu[i], d)
			}
			for j := range n {
				if d := math.Abs(cov.At(i, j)-truth.At(i, j)) / (g.sd[i] * g.sd[j]); d > 0.2 {
					t.Errorf("n=%d: cov[%d,%d] = %.3f, want %.3f", n, i, j, cov.At(i, j), truth.At(i, j))
				}
			}
		}
		for i, p := range res.Paths {
			t.Logf("n=%d path %d: %d iterations (%v), best %d, ELBO %.4f, %d evaluations", n, i, p.Iter, p.Code, p.BestIter, p.ELBO, p.Evals)
		}
		t.Logf("n=%d: Pareto k %.3f", n, res.ParetoK)
	}
}

// logNormal is log N(z; mean, cov) computed directly.
func logNormal(z, mean []float64, cov *mat.SymDense) float64 {
	n := len(z)
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return math.NaN()
	}
	d := mat.NewVecDense(n, nil)
	for i := range n {
		d.SetVec(i, z[i]-mean[i])
	}
	var sol mat.VecDense
	if err := ch.SolveVecTo(&sol, d); err != nil {
		return math.NaN()
	}
	return -0.5*mat.Dot(d, &sol) - 0.5*ch.LogDet() - 0.5*float64(n)*math.Log(2*math.Pi)
}

// A single path's lp_approx__ is the log density of its draw under the
// path's best Gaussian, computed by hand from its mean and covariance, and
// lp__ is the model's log density, in the dense and low-rank forms.
func TestLPApproxByHand(t *testing.T) {
	for _, n := range []int{5, 15} {
		g := newNormal(n, 0.8)
		cfg := DefaultConfig()
		cfg.NumPaths, cfg.NumDraws, cfg.Seed = 1, 200, 11
		res, err := Run(g, cfg)
		if err != nil {
			t.Fatal(err)
		}
		q := res.Paths[0].Approx
		if dense := q.l != nil; dense != (n == 5) {
			t.Fatalf("n=%d: dense form %v", n, dense)
		}
		cov := q.Cov()
		if len(res.Draws) != 200 {
			t.Fatalf("n=%d: %d draws, want 200", n, len(res.Draws))
		}
		for i, z := range res.Unconstrained {
			want := logNormal(z, q.Mean, cov)
			if math.Abs(res.LPApprox[i]-want) > 1e-8 {
				t.Fatalf("n=%d draw %d: lp_approx__ %v, by hand %v", n, i, res.LPApprox[i], want)
			}
			lp, _ := g.LogDensity(z, nil)
			if res.LP[i] != lp || res.Draws[i][0] != z[0] {
				t.Fatalf("n=%d draw %d: lp__ %v, model %v", n, i, res.LP[i], lp)
			}
		}
	}
}

// On an exact target (lp - lp_approx constant, here up to Stan's dropped
// constant 3.7) PSIS leaves the weights uniform: every smoothed weight is
// the same, and resampling picks every draw about equally often.
func TestPSISUniformOnExactTarget(t *testing.T) {
	lw := make([]float64, 1000)
	for i := range lw {
		lw[i] = 3.7
	}
	smoothed, k := PSIS(lw)
	for i, v := range smoothed {
		if v != 3.7 {
			t.Fatalf("smoothed weight %d = %v, want 3.7", i, v)
		}
	}
	if !math.IsNaN(k) {
		t.Errorf("k̂ of a flat tail %v, want NaN (nothing fitted)", k)
	}
	counts := make([]int, 10)
	for _, i := range resample(rand.New(rand.NewPCG(1, 1)), smoothed, 100000) {
		counts[i/100]++
	}
	for b, c := range counts {
		// Each tenth of the draws: 10000 expected, sd 95.
		if c < 9600 || c > 10400 {
			t.Errorf("draws %d-%d picked %d times of 100000, want about 10000", 100*b, 100*b+99, c)
		}
	}
	// A draw outside the support (weight -Inf) is never picked.
	lw[17] = math.Inf(-1)
	smoothed, _ = PSIS(lw)
	for _, i := range resample(rand.New(rand.NewPCG(2, 1)), smoothed, 100000) {
		if i == 17 {
			t.Fatal("a draw with weight zero was resampled")
		}
	}
}

// A cancelled context before the start fails with an error wrapping
// ctx's; a cancellation during L-BFGS stops the paths early and still
// draws from the best approximations reached, flagged Interrupted.
func TestCancel(t *testing.T) {
	g := newNormal(5, 0.8)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunContext(ctx, g, DefaultConfig()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before the start: error %v, want one wrapping context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	cfg := DefaultConfig()
	cfg.NumPaths = 1
	evals := 0
	g.evals = &evals
	// Cancel after a few L-BFGS iterations, counted in evaluations: the
	// start, and 25 ELBO draws plus a few line-search points per iteration.
	stop := &cancelAfter{normal: g, ctx: cancel, after: 200}
	res, err := RunContext(ctx, stop, cfg)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := Run(newNormal(5, 0.8), cfg)
	if !res.Interrupted || res.Paths[0].Iter >= full.Paths[0].Iter || len(res.Draws) != 1000 {
		t.Errorf("interrupted %v after %d iterations (uninterrupted: %d) with %d draws", res.Interrupted, res.Paths[0].Iter, full.Paths[0].Iter, len(res.Draws))
	}
}

// cancelAfter cancels its context at its after-th log density.
type cancelAfter struct {
	*normal
	ctx   context.CancelFunc
	after int
}

func (c *cancelAfter) LogDensity(x, grad []float64) (float64, error) {
	c.after--
	if c.after == 0 {
		c.ctx()
	}
	return c.normal.LogDensity(x, grad)
}

// Paths run in parallel goroutines on clones of the model: the model the
// caller passes serves only the first path, and the result does not
// depend on the goroutines' schedule.
func TestPathsShareNoModel(t *testing.T) {
	g := newNormal(5, 0.8)
	evals := 0
	g.evals = &evals
	cfg := DefaultConfig()
	cfg.Seed = 5
	a, err := Run(g, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if evals != a.Paths[0].Evals {
		t.Errorf("the caller's model did %d evaluations, path 1 reports %d", evals, a.Paths[0].Evals)
	}
	b, _ := Run(newNormal(5, 0.8), cfg)
	for i := range a.LP {
		if a.LP[i] != b.LP[i] || a.LPApprox[i] != b.LPApprox[i] {
			t.Fatalf("draw %d differs between two runs with the same seed", i)
		}
	}
}

// Settings a user can mistype are errors, not panics.
func TestInvalidConfig(t *testing.T) {
	g := newNormal(3, 0.5)
	for name, mod := range map[string]func(*Config){
		"paths":   func(c *Config) { c.NumPaths = 0 },
		"draws":   func(c *Config) { c.NumDraws = -1 },
		"elbo":    func(c *Config) { c.NumELBODraws = 0 },
		"history": func(c *Config) { c.HistorySize = 0 },
		"iter":    func(c *Config) { c.MaxLBFGSIter = 0 },
		"psis":    func(c *Config) { c.NumPSISDraws = 0 },
		"radius":  func(c *Config) { c.InitRadius = math.NaN() },
		"init":    func(c *Config) { c.Init = []float64{1} },
	} {
		cfg := DefaultConfig()
		mod(&cfg)
		if _, err := Run(g, cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// Progress is called from the paths' goroutines: once per iteration of
// every path (the initial point included), its BestELBO ending at the
// path's ELBO and reached at the path's best iteration.
func TestProgress(t *testing.T) {
	var mu sync.Mutex
	seen := map[int][]Progress{}
	cfg := DefaultConfig()
	cfg.Seed = 9
	cfg.Progress = func(p Progress) {
		mu.Lock()
		seen[p.Path] = append(seen[p.Path], p)
		mu.Unlock()
	}
	res, err := Run(newNormal(5, 0.8), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range res.Paths {
		its := seen[i+1]
		if len(its) != p.Iter+1 {
			t.Fatalf("path %d: %d progress calls for %d iterations", i+1, len(its), p.Iter)
		}
		last := its[len(its)-1]
		if last.BestELBO != p.ELBO || its[p.BestIter].ELBO != p.ELBO || !math.IsNaN(its[0].ELBO) {
			t.Errorf("path %d: best ELBO %v, ELBO at iteration %d %v, path's %v", i+1, last.BestELBO, p.BestIter, its[p.BestIter].ELBO, p.ELBO)
		}
	}
}

// rejecter rejects every point.
type rejecter struct{ *normal }

func (rejecter) LogDensity(x, grad []float64) (float64, error) { return 0, errors.New("rejected here") }
func (r rejecter) Clone() model.Model                          { return r }

// When every path fails the same way the error says it once, with the
// model's reason; a model without parameters is refused.
func TestEveryPathFails(t *testing.T) {
	_, err := Run(rejecter{newNormal(2, 0.5)}, DefaultConfig())
	if err == nil || strings.Count(err.Error(), "initialization between (-2, 2) failed") != 1 || !strings.Contains(err.Error(), "rejected here") {
		t.Errorf("error %v", err)
	}
	if _, err := Run(&normal{}, DefaultConfig()); err == nil || !strings.Contains(err.Error(), "no parameters") {
		t.Errorf("a model without parameters: %v", err)
	}
}

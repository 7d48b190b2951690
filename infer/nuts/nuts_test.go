package nuts

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/internal/race"
	"github.com/gostan/gostan/model"
)

// gaussian is a zero-mean Gaussian target with covariance L Lᵀ, L lower
// triangular, written directly in Go.
type gaussian struct {
	d    int
	prec []float64 // precision matrix, row-major
}

func newGaussian(cov [][]float64) *gaussian {
	d := len(cov)
	g := &gaussian{d: d, prec: make([]float64, d*d)}
	inv := invert(cov)
	for i := range d {
		copy(g.prec[i*d:], inv[i])
	}
	return g
}

func (g *gaussian) Dim() int { return g.d }
func (g *gaussian) LogDensity(x, grad []float64) (float64, error) {
	lp := 0.0
	for i := range g.d {
		s := dot(g.prec[i*g.d:(i+1)*g.d], x)
		lp -= 0.5 * x[i] * s
		if grad != nil {
			grad[i] = -s
		}
	}
	return lp, nil
}
func (g *gaussian) Names() []string {
	n := make([]string, g.d)
	for i := range n {
		n[i] = fmt.Sprintf("x[%d]", i+1)
	}
	return n
}
func (g *gaussian) Write(x []float64, _ *rand.Rand, out []float64) error { copy(out, x); return nil }
func (g *gaussian) Clone() model.Model                                   { return g }

// invert inverts a small symmetric positive definite matrix by Gauss-Jordan.
func invert(a [][]float64) [][]float64 {
	n := len(a)
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, 2*n)
		copy(m[i], a[i])
		m[i][n+i] = 1
	}
	for c := range n {
		p := m[c][c]
		for j := range m[c] {
			m[c][j] /= p
		}
		for r := range n {
			if r != c {
				f := m[r][c]
				for j := range m[r] {
					m[r][j] -= f * m[c][j]
				}
			}
		}
	}
	inv := make([][]float64, n)
	for i := range inv {
		inv[i] = m[i][n:]
	}
	return inv
}

// funnel is Neal's funnel, centred: v ~ N(0, 3), x_i ~ N(0, exp(v/2)).
type funnel struct{ d int }

func (f funnel) Dim() int { return f.d }
func (f funnel) LogDensity(q, grad []float64) (float64, error) {
	v := q[0]
	lp := -v * v / 18
	if grad != nil {
		grad[0] = -v / 9
	}
	for i := 1; i < f.d; i++ {
		x := q[i]
		lp += -0.5*x*x*math.Exp(-v) - 0.5*v
		if grad != nil {
			grad[0] += 0.5*x*x*math.Exp(-v) - 0.5
			grad[i] = -x * math.Exp(-v)
		}
	}
	return lp, nil
}
func (f funnel) Names() []string { return make([]string, f.d) }
func (f funnel) Write(q []float64, _ *rand.Rand, out []float64) error {
	copy(out, q)
	return nil
}
func (f funnel) Clone() model.Model { return f }

// column returns column j of every chain's draws, optionally transformed.
func column(chains []*Chain, j int, f func(float64) float64) [][]float64 {
	out := make([][]float64, len(chains))
	for c, ch := range chains {
		out[c] = make([]float64, len(ch.Draws))
		for i, row := range ch.Draws {
			out[c][i] = f(row[j])
		}
	}
	return out
}

// checkMoment asserts that the mean of f over the draws is within 4 Monte
// Carlo standard errors of want.
func checkMoment(t *testing.T, what string, chains [][]float64, want float64) {
	t.Helper()
	var s float64
	n := 0
	for _, c := range chains {
		for _, x := range c {
			s += x
			n++
		}
	}
	mean := s / float64(n)
	mcse := diag.MCSE(chains)
	if math.Abs(mean-want) > 4*mcse {
		t.Errorf("%s: mean %.4f, want %.4f (MCSE %.4f)", what, mean, want, mcse)
	}
}

func TestStandardNormal100(t *testing.T) {
	const d = 100
	cov := make([][]float64, d)
	for i := range cov {
		cov[i] = make([]float64, d)
		cov[i][i] = 1
	}
	cfg := DefaultConfig()
	cfg.Seed = 42
	fit, err := Run(context.Background(), newGaussian(cov), Options{Config: cfg, Chains: 4, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	chains := fit.Chains
	for j := range d {
		checkMoment(t, fmt.Sprintf("E[x%d]", j), column(chains, j, func(x float64) float64 { return x }), 0)
		checkMoment(t, fmt.Sprintf("E[x%d²]", j), column(chains, j, func(x float64) float64 { return x * x }), 1)
	}
	for _, ch := range chains {
		// An isotropic target of unit scale: the adapted metric is near 1
		// and the step size near what an 0.8 acceptance needs in 100
		// dimensions.
		for i, v := range ch.InvMetric {
			if v < 0.7 || v > 1.4 {
				t.Fatalf("inverse metric[%d] = %v, want about 1", i, v)
			}
		}
		var acc float64
		for _, s := range ch.Stats {
			acc += s.AcceptStat
			if s.Divergent {
				t.Fatal("divergence on a standard normal")
			}
		}
		if acc /= float64(len(ch.Stats)); acc < 0.7 || acc > 0.95 {
			t.Errorf("mean accept_stat %v, want about 0.8", acc)
		}
	}
}

func TestCorrelatedGaussianDense(t *testing.T) {
	cov := [][]float64{{1, 1.98, 0}, {1.98, 4, 0}, {0, 0, 0.01}} // correlation 0.99
	cfg := DefaultConfig()
	cfg.Metric = Dense
	cfg.Seed = 7
	fit, err := Run(context.Background(), newGaussian(cov), Options{Config: cfg, Chains: 4, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	chains := fit.Chains
	for i := range 3 {
		checkMoment(t, fmt.Sprintf("E[x%d]", i), column(chains, i, func(x float64) float64 { return x }), 0)
		for j := i; j < 3; j++ {
			cross := make([][]float64, len(chains))
			for c, ch := range chains {
				for _, row := range ch.Draws {
					cross[c] = append(cross[c], row[i]*row[j])
				}
			}
			checkMoment(t, fmt.Sprintf("E[x%d x%d]", i, j), cross, cov[i][j])
		}
	}
	// The dense metric learns the covariance, so the trajectories are short.
	for _, ch := range chains {
		for i := range 3 {
			for j := range 3 {
				if got := ch.InvMetric[i*3+j]; math.Abs(got-cov[i][j]) > 0.25*math.Sqrt(cov[i][i]*cov[j][j]) {
					t.Errorf("inverse metric[%d,%d] = %v, want about %v", i, j, got, cov[i][j])
				}
			}
		}
		depth := 0
		for _, s := range ch.Stats {
			depth = max(depth, s.TreeDepth)
		}
		if depth > 4 {
			t.Errorf("tree depth up to %d with a dense metric fitted to the target", depth)
		}
	}
}

func TestFunnelDiverges(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Seed = 3
	fit, err := Run(context.Background(), funnel{d: 10}, Options{Config: cfg, Chains: 2, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	chains := fit.Chains
	n := 0
	for _, ch := range chains {
		for _, s := range ch.Stats {
			if s.Divergent {
				n++
			}
		}
	}
	if n == 0 {
		t.Error("the centred funnel gave no divergent transitions")
	}
}

func TestReproducibleWhateverTheParallelism(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Seed = 200, 50, 11
	g := newGaussian([][]float64{{1, 0.5}, {0.5, 2}})
	fitA, err := Run(context.Background(), g, Options{Config: cfg, Chains: 3, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := fitA.Chains
	fitB, err := Run(context.Background(), g, Options{Config: cfg, Chains: 3, Threads: 3})
	if err != nil {
		t.Fatal(err)
	}
	b := fitB.Chains
	for c := range a {
		for i := range a[c].Draws {
			for j := range a[c].Draws[i] {
				if a[c].Draws[i][j] != b[c].Draws[i][j] {
					t.Fatalf("chain %d draw %d differs between 1 and 3 threads", c, i)
				}
			}
		}
		if c > 0 && a[c].Draws[0][0] == a[0].Draws[0][0] {
			t.Fatalf("chains 0 and %d start identically", c)
		}
	}
}

func TestWindows(t *testing.T) {
	// Stan's schedule for 1000 warmup iterations: slow windows end at
	// iterations 99, 149, 249, 449 and 949 (0-based).
	w, _ := newWindows(1000, 75, 50, 25)
	var ends []int
	for w.counter = 0; w.counter < 1000; w.counter++ {
		if w.endOfWindow() {
			ends = append(ends, w.counter)
			w.computeNext()
		}
	}
	want := []int{99, 149, 249, 449, 949}
	if fmt.Sprint(ends) != fmt.Sprint(want) {
		t.Errorf("window ends %v, want %v", ends, want)
	}
}

// TestInitFailure checks that a failed initialisation says why the first
// tries were rejected, with the model's messages.
func TestInitFailure(t *testing.T) {
	cfg := DefaultConfig()
	_, err := Sample(rejecter{}, cfg, nil)
	want := "initialization between (-2, 2) failed after 100 attempts. Try specifying initial values, reducing ranges of constrained values, or reparameterizing the model\n" +
		"100 initial values rejected; the first 5:\n  reject\n  reject\n  reject\n  reject\n  reject"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant %s", err, want)
	}
}

type rejecter struct{}

func (rejecter) Dim() int { return 1 }
func (rejecter) LogDensity(q, grad []float64) (float64, error) {
	return 0, fmt.Errorf("reject")
}
func (rejecter) Names() []string                                      { return []string{"x"} }
func (rejecter) Write(q []float64, _ *rand.Rand, out []float64) error { return nil }
func (rejecter) Clone() model.Model                                   { return rejecter{} }

// A transition, however deep its tree, allocates nothing: the leapfrog
// steps, the tree's bookkeeping and the proposals use the chain's scratch,
// their momenta too when Hooks.Phase wants them.
func TestTransitionAllocatesNothing(t *testing.T) {
	cov := [][]float64{{1, 0.5, 0}, {0.5, 2, 0.3}, {0, 0.3, 1}}
	for _, c := range []struct {
		kind    Metric
		momenta bool // kept for Hooks.Phase
	}{{Diag, false}, {Dense, false}, {Diag, true}, {Dense, true}} {
		kind := c.kind
		m := newGaussian(cov)
		s := &sampler{m: m, d: 3, met: newMetric(kind, 3), eps: 0.3, maxDepth: 10, momenta: c.momenta,
			rng: rand.New(rand.NewPCG(1, 2)), z: newPoint(3), scratch: make([]float64, 3)}
		s.initLevels()
		cur := newPoint(3)
		copy(cur.q, []float64{0.5, -0.2, 1})
		if err := s.evaluate(&cur); err != nil {
			t.Fatal(err)
		}
		tr := newTransition(3, s.maxDepth)
		depths := 0
		if n := testing.AllocsPerRun(200, func() { depths += s.transition(&cur, tr).TreeDepth }); n != 0 && !race.Enabled {
			t.Errorf("%v metric, momenta kept %v: a transition allocates %v times", kind, c.momenta, n)
		}
		if depths < 200 {
			t.Errorf("%v metric: trees of depth %d in 201 transitions; the test wants real trees", kind, depths)
		}
	}
}

// TestPhaseHook: Hooks.Phase gets each kept iteration's position (the
// draw itself, for this model), the gradient of the potential (-∇ log p)
// and the selected point's momentum, whose kinetic energy under the
// adapted metric with -lp__ is the energy__ column; watching changes no
// draw.
func TestPhaseHook(t *testing.T) {
	cov := [][]float64{{1, 0.5, 0}, {0.5, 2, 0.3}, {0, 0.3, 1}}
	for _, kind := range []Metric{Diag, Dense} {
		cfg := DefaultConfig()
		cfg.Seed, cfg.Warmup, cfg.Samples, cfg.Metric, cfg.SaveWarmup, cfg.Thin = 9, 300, 200, kind, true, 2
		plain, err := SampleContext(context.Background(), newGaussian(cov), cfg, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		m := newGaussian(cov)
		var qs, ps, gs [][]float64
		var stats []Stats
		var warm int
		phase := func(st Stats, q, p, g []float64, warmup bool) error {
			qs, ps, gs = append(qs, slices.Clone(q)), append(ps, slices.Clone(p)), append(gs, slices.Clone(g))
			stats = append(stats, st)
			if warmup {
				warm++
			}
			return nil
		}
		ch, err := SampleContext(context.Background(), m, cfg, Hooks{Phase: phase})
		if err != nil {
			t.Fatal(err)
		}
		draws := append(slices.Clone(ch.WarmupDraws), ch.Draws...)
		if warm != 150 || len(qs) != 250 || len(draws) != 250 {
			t.Fatalf("%v: %d phase rows (%d warmup), %d draws", kind, len(qs), warm, len(draws))
		}
		for k := range ch.Draws {
			if !slices.Equal(ch.Draws[k], plain.Draws[k]) {
				t.Fatalf("%v: draw %d is %v watched, %v not", kind, k, ch.Draws[k], plain.Draws[k])
			}
		}
		grad := make([]float64, 3)
		for k, q := range qs {
			lp, _ := m.LogDensity(q, grad)
			if !slices.Equal(q, draws[k]) || lp != stats[k].LP {
				t.Fatalf("%v row %d: q %v, draw %v", kind, k, q, draws[k])
			}
			for i := range grad {
				if gs[k][i] != -grad[i] {
					t.Fatalf("%v row %d: g %v, -∇lp %v", kind, k, gs[k], grad)
				}
			}
			if k < warm {
				continue // the metric was still adapting
			}
			kin := 0.0
			for i := range 3 {
				if kind == Diag {
					kin += ps[k][i] * ps[k][i] * ch.InvMetric[i]
					continue
				}
				for j := range 3 {
					kin += ps[k][i] * ch.InvMetric[i*3+j] * ps[k][j]
				}
			}
			if e := -lp + 0.5*kin; math.Abs(e-stats[k].Energy) > 1e-9*math.Max(1, math.Abs(e)) {
				t.Fatalf("%v row %d: -lp + ½pᵀM⁻¹p = %v, energy__ %v", kind, k, e, stats[k].Energy)
			}
		}
	}
}

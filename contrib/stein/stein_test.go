package stein

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// funcModel is a model.Model from a log density and an output map.
type funcModel struct {
	dim   int
	names []string
	lp    func(x, g []float64) float64
	write func(x, out []float64)
}

func (m *funcModel) Dim() int           { return m.dim }
func (m *funcModel) Names() []string    { return m.names }
func (m *funcModel) Clone() model.Model { return m }
func (m *funcModel) LogDensity(x, g []float64) (float64, error) {
	if g == nil {
		g = make([]float64, m.dim)
	}
	return m.lp(x, g), nil
}
func (m *funcModel) Write(x []float64, _ *rand.Rand, out []float64) error {
	if m.write == nil {
		copy(out, x)
		return nil
	}
	m.write(x, out)
	return nil
}

// stdNormal is N(0, I) in d dimensions.
func stdNormal(d int) *funcModel {
	names := make([]string, d)
	for i := range names {
		names[i] = fmt.Sprintf("x[%d]", i+1)
	}
	return &funcModel{dim: d, names: names, lp: func(x, g []float64) float64 {
		v := 0.0
		for i := range x {
			v -= x[i] * x[i] / 2
			g[i] = -x[i]
		}
		return v
	}}
}

// multimodal is examples/multimodal.stan: cluster ~ N(0, 1), theta ~
// N(cluster > 0 ? 20 : 0, 1).
func multimodal() *funcModel {
	return &funcModel{dim: 2, names: []string{"cluster", "theta"}, lp: func(x, g []float64) float64 {
		mu := 0.0
		if x[0] > 0 {
			mu = 20
		}
		g[0], g[1] = -x[0], mu-x[1]
		return -x[0]*x[0]/2 - (x[1]-mu)*(x[1]-mu)/2
	}}
}

// coin is the seed's coin: z ~ beta(10, 10), six heads and four tails, on
// the logit scale with the Jacobian: 16 log z + 14 log(1 - z).
func coin() *funcModel {
	return &funcModel{dim: 1, names: []string{"z"}, lp: func(x, g []float64) float64 {
		z := sigmoid(x[0])
		g[0] = 16 - 30*z
		return 16*math.Log(z) + 14*math.Log1p(-z)
	}, write: func(x, out []float64) { out[0] = sigmoid(x[0]) }}
}

// TestForcesTwoParticles checks the Stein forces on two particles at 0 and
// 1 of N(0, 1) (gradients 0 and -1) with the RBF kernel of bandwidth 1,
// k = exp(-(x-y)²): φ_1 = ½(e⁻¹·(-1) - 2e⁻¹) = -3/(2e) and
// φ_2 = ½(2e⁻¹ - 1), and halved attraction at loss temperature 2.
func TestForcesTwoParticles(t *testing.T) {
	for _, c := range []struct {
		lt, rt float64
		want   [2]float64
	}{
		{1, 1, [2]float64{-1.5 / math.E, (2/math.E - 1) / 2}},
		{2, 1, [2]float64{-1.25 / math.E, (2/math.E - 0.5) / 2}},
		{1, 4, [2]float64{-0.75 / math.E, (0.5/math.E - 1) / 2}},
	} {
		cfg := DefaultConfig()
		cfg.Guide, cfg.Particles, cfg.Kernel = "delta", 2, &RBF{Bandwidth: 1}
		cfg.LossTemperature, cfg.RepulsionTemperature = c.lt, c.rt
		s, err := New(stdNormal(1), cfg, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		xs, gs, phi := [][]float64{{0}, {1}}, [][]float64{{0}, {-1}}, matrix(2, 1)
		if err := s.forces(xs, gs, phi, nil); err != nil {
			t.Fatal(err)
		}
		if math.Abs(phi[0][0]-c.want[0]) > 1e-12 || math.Abs(phi[1][0]-c.want[1]) > 1e-12 {
			t.Errorf("temperatures %v, %v: forces %v, want %v", c.lt, c.rt, phi, c.want)
		}
	}
}

// TestSVGDNormal: SVGD (the Delta guide) on N(0, 1) spreads 50 particles
// to mean 0 and standard deviation near 1; without repulsion (a huge
// repulsion temperature) they collapse on the mode.
func TestSVGDNormal(t *testing.T) {
	moments := func(rt float64) (mean, sd float64) {
		cfg := DefaultConfig()
		cfg.Guide, cfg.Particles, cfg.Steps, cfg.Seed = "delta", 50, 1500, 3
		cfg.RepulsionTemperature = rt
		cfg.Optimizer = svi.NewAdam(0.05)
		res, err := Run(context.Background(), stdNormal(1), cfg)
		if err != nil {
			t.Fatal(err)
		}
		vals := res.Params()["auto_loc[1]"]
		for _, v := range vals {
			mean += v / float64(len(vals))
		}
		for _, v := range vals {
			sd += (v - mean) * (v - mean) / float64(len(vals))
		}
		return mean, math.Sqrt(sd)
	}
	mean, sd := moments(1)
	if math.Abs(mean) > 0.05 || math.Abs(sd-1) > 0.15 {
		t.Errorf("SVGD on N(0, 1): mean %v sd %v", mean, sd)
	}
	if _, sd := moments(1e6); sd > 0.05 {
		t.Errorf("without repulsion the particles should collapse, sd %v", sd)
	}
}

// bimodal is the equal mixture of N(-3, 1) and N(3, 1).
func bimodal() *funcModel {
	return &funcModel{dim: 1, names: []string{"theta"}, lp: func(x, g []float64) float64 {
		a, b := -(x[0]+3)*(x[0]+3)/2, -(x[0]-3)*(x[0]-3)/2
		top := math.Max(a, b)
		wa, wb := math.Exp(a-top), math.Exp(b-top)
		g[0] = (wa*(-x[0]-3) + wb*(3-x[0])) / (wa + wb)
		return top + math.Log(wa+wb)
	}}
}

// TestBimodal: SVGD with 20 particles finds both modes of a mixture of
// N(-3, 1) and N(3, 1), every particle near one of them and each mode
// with between 30% and 70% of them, spread as the components are (sd
// near 1 in each mode).
func TestBimodal(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Guide, cfg.Particles, cfg.Steps, cfg.Seed = "delta", 20, 2000, 2
	cfg.Optimizer = svi.NewAdam(0.05)
	res, err := Run(context.Background(), bimodal(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var modes [2][]float64
	for _, p := range res.Particles {
		switch {
		case math.Abs(p[0]+3) < 2:
			modes[0] = append(modes[0], p[0])
		case math.Abs(p[0]-3) < 2:
			modes[1] = append(modes[1], p[0])
		default:
			t.Errorf("a particle at %v, between the modes", p[0])
		}
	}
	for k, xs := range modes {
		if len(xs) < 6 || len(xs) > 14 {
			t.Errorf("%d of 20 particles in mode %d", len(xs), k)
			continue
		}
		mean, sd := 0.0, 0.0
		for _, x := range xs {
			mean += x / float64(len(xs))
		}
		for _, x := range xs {
			sd += (x - mean) * (x - mean) / float64(len(xs)-1)
		}
		if sd = math.Sqrt(sd); math.Abs(mean-(6*float64(k)-3)) > 0.3 || sd < 0.6 || sd > 1.4 {
			t.Errorf("mode %d: mean %v sd %v", k, mean, sd)
		}
	}
}

// TestMultimodalSmears records why examples/multimodal.stan defeats SVGD:
// its density jumps at cluster = 0, which no gradient sees, so the
// kernel averages the pulls towards 0 and towards 20 and the particles
// settle between the modes (docs/stein.md).
func TestMultimodalSmears(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Guide, cfg.Particles, cfg.Steps, cfg.Seed = "delta", 20, 2000, 1
	cfg.Optimizer = svi.NewAdam(0.05)
	res, err := Run(context.Background(), multimodal(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	between := 0
	for _, p := range res.Particles {
		if p[1] > 3 && p[1] < 17 {
			between++
		}
	}
	if between < 10 {
		t.Errorf("%d of 20 particles between the modes; SVGD on this model was measured to leave most there", between)
	}
}

// TestMultimodalPosteriorIsNotStationary shows why no kernel can meet
// examples/multimodal.stan: its exact posterior is not a fixed point of
// SVGD. With particles drawn from p, the Stein force at x is, in the
// mean-field limit, E_p[k(y, x) ∇log p(y) + ∇_y k(y, x)], and integrating
// by parts in cluster leaves the jump of p at cluster = 0, which the
// gradient does not see:
//
//	φ_cluster(c, θ) = ∫ k((0, θ'), (c, θ)) (p(0⁻, θ') - p(0⁺, θ')) dθ'
//	                = φ(0) e^{-c²/h} √(h/(h+2)) (e^{-θ²/(h+2)} - e^{-(θ-20)²/(h+2)})
//
// for the RBF kernel of bandwidth h: negative near theta = 20 (the force
// pushes those particles to cluster < 0, where their gradient pulls them
// to 0) and positive near 0. The test computes the forces of 4000 exact
// draws with the package's own code and finds them equal to this
// formula, and zero (within Monte Carlo error) for a density with the
// same two modes and no jump.
func TestMultimodalPosteriorIsNotStationary(t *testing.T) {
	const n, h = 4000, 4.0
	rng := rand.New(rand.NewPCG(7, 7))
	draw := func(jump bool) [][]float64 {
		xs := make([][]float64, n)
		for i := range xs {
			c := rng.NormFloat64()
			mu := 0.0
			if jump && c > 0 || !jump && rng.Float64() < 0.5 {
				mu = 20
			}
			xs[i] = []float64{c, mu + rng.NormFloat64()}
		}
		return xs
	}
	// smooth has the same modes with cluster independent of theta.
	smooth := func(x, g []float64) {
		a, b := -(x[1]*x[1])/2, -(x[1]-20)*(x[1]-20)/2
		w := 1 / (1 + math.Exp(a-b)) // the weight of the mode at 20
		g[0], g[1] = -x[0], -(x[1] - 20*w)
	}
	jumpy := func(x, g []float64) { multimodal().lp(x, g) }
	probes := [][]float64{{0.1, 20}, {1.5, 20}, {-0.1, 0}, {-1, 0.5}}
	want := func(p []float64) float64 {
		c, th := p[0], p[1]
		return math.Exp(-c*c/h) * math.Sqrt(h/(h+2)) / math.Sqrt(2*math.Pi) *
			(math.Exp(-th*th/(h+2)) - math.Exp(-(th-20)*(th-20)/(h+2)))
	}
	for _, tc := range []struct {
		name string
		jump bool
		grad func(x, g []float64)
	}{{"multimodal.stan", true, jumpy}, {"no jump", false, smooth}} {
		xs := append(draw(tc.jump), probes...)
		gs, phi := matrix(len(xs), 2), matrix(len(xs), 2)
		for i, x := range xs {
			tc.grad(x, gs[i])
		}
		s := &SteinVI{cfg: Config{Kernel: &RBF{Bandwidth: h}, LossTemperature: 1, RepulsionTemperature: 1},
			val: make([]float64, 2), g: make([]float64, 2)}
		if err := s.forces(xs, gs, phi, nil); err != nil {
			t.Fatal(err)
		}
		for k, p := range probes {
			f := phi[n+k]
			wc := 0.0
			if tc.jump {
				wc = want(p)
			}
			t.Logf("%s: force at %v: %.4f, %.4f (mean field %.4f, 0)", tc.name, p, f[0], f[1], wc)
			if math.Abs(f[0]-wc) > 0.03 || math.Abs(f[1]) > 0.05 {
				t.Errorf("%s: the force at %v is (%.4f, %.4f), the mean field (%.4f, 0)", tc.name, p, f[0], f[1], wc)
			}
		}
	}
}

// TestCoin: a mixture of ten Normal guides on the logit of the coin's bias
// gives the Beta(16, 14) posterior's mean and sd within 0.02, with the
// repulsion tempered by 10: at temperature 1 the kernel's repulsion adds
// to the mixture ELBO's and the sd comes out 0.115 (docs/stein.md).
func TestCoin(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Steps, cfg.Seed = 1500, 4
	cfg.RepulsionTemperature = 10
	cfg.Optimizer = svi.NewAdam(0.01)
	m := coin()
	res, err := Run(context.Background(), m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := MixtureGuidePredictive(m, res, 20000, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	mean, sd := 0.0, 0.0
	for _, d := range p.Draws {
		mean += d[0] / float64(len(p.Draws))
	}
	for _, d := range p.Draws {
		sd += (d[0] - mean) * (d[0] - mean) / float64(len(p.Draws))
	}
	sd = math.Sqrt(sd)
	wantMean, wantSD := 16.0/30, math.Sqrt(16*14/(30*30*31.0))
	t.Logf("coin: mean %.4f sd %.4f (exact %.4f, %.4f)", mean, sd, wantMean, wantSD)
	if math.Abs(mean-wantMean) > 0.02 || math.Abs(sd-wantSD) > 0.02 {
		t.Errorf("coin: mean %v sd %v, exact %v and %v", mean, sd, wantMean, wantSD)
	}
	counts := make([]int, len(res.Particles))
	for _, k := range p.Particle {
		counts[k]++
	}
	for k, c := range counts {
		if math.Abs(float64(c)/20000-0.1) > 0.015 {
			t.Errorf("particle %d drew %d of 20000 draws, want a tenth", k, c)
		}
	}
}

// TestNonMixture: parameters the predicate names are shared by every
// particle, the others differ.
func TestNonMixture(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Steps, cfg.Seed, cfg.Particles = 200, 6, 5
	cfg.NonMixture = func(name string) bool { return strings.HasPrefix(name, "auto_scale") }
	res, err := Run(context.Background(), stdNormal(2), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ps := res.Params()
	if len(ps) != 4 {
		t.Fatalf("params %v", ps)
	}
	for name, vals := range ps {
		same := true
		for _, v := range vals {
			same = same && v == vals[0]
		}
		if shared := strings.HasPrefix(name, "auto_scale"); same != shared {
			t.Errorf("%s over the particles: %v", name, vals)
		}
		if strings.HasPrefix(name, "auto_scale") && (vals[0] <= 0.1 || vals[0] > 2) {
			t.Errorf("%s = %v: the shared scale should have grown from 0.1 towards the posterior's", name, vals[0])
		}
	}
}

// TestConfigErrors: bad options are errors.
func TestConfigErrors(t *testing.T) {
	for name, edit := range map[string]func(*Config){
		"guide":       func(c *Config) { c.Guide = "flow" },
		"maker":       func(c *Config) { c.Guide = "guide" },
		"particles":   func(c *Config) { c.Particles = 0 },
		"temperature": func(c *Config) { c.LossTemperature = 0 },
		"product":     func(c *Config) { c.Guide, c.Kernel = "delta", &ProbabilityProduct{} },
	} {
		cfg := DefaultConfig()
		edit(&cfg)
		if _, err := Run(context.Background(), stdNormal(1), cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// rejecting rejects x ≥ 1 of a standard normal, as a model's reject().
type rejecting struct{ *funcModel }

func (m rejecting) LogDensity(x, g []float64) (float64, error) {
	if x[0] >= 1 {
		return 0, fmt.Errorf("reject")
	}
	return m.funcModel.LogDensity(x, g)
}

// TestSupport: a particle the forces push out of the support goes back to
// where it was, so SVGD's points all stay inside.
func TestSupport(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Guide, cfg.Particles, cfg.Steps, cfg.Seed = "delta", 20, 500, 1
	cfg.Optimizer = svi.NewAdam(0.05)
	res, err := Run(context.Background(), rejecting{stdNormal(1)}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Particles {
		if p[0] >= 1 || p[0] < -4 {
			t.Errorf("a particle at %v", p[0])
		}
	}
}

// TestMaker: particles of a guide made by Config.Maker (here a diagonal
// Normal autoguide, attracted by its own ELBO) fit N(0, 1); their
// parameters are named param[k] and the predictive draws come from them.
func TestMaker(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Guide, cfg.Steps, cfg.Seed, cfg.Particles = "guide", 1000, 7, 5
	cfg.RepulsionTemperature = 100
	cfg.Optimizer = svi.NewAdam(0.05)
	cfg.Maker = func(rng *rand.Rand) (svi.Guide, error) {
		return autoguide.NewDiagonalNormal([]float64{4*rng.Float64() - 2}), nil
	}
	m := stdNormal(1)
	res, err := Run(context.Background(), m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Names, ",") != "param[1],param[2]" {
		t.Errorf("names %v", res.Names)
	}
	p, err := MixtureGuidePredictive(m, res, 20000, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	mean, sd := 0.0, 0.0
	for _, d := range p.Draws {
		mean += d[0] / float64(len(p.Draws))
	}
	for _, d := range p.Draws {
		sd += (d[0] - mean) * (d[0] - mean) / float64(len(p.Draws))
	}
	if sd = math.Sqrt(sd); math.Abs(mean) > 0.1 || math.Abs(sd-1) > 0.1 {
		t.Errorf("mean %v sd %v", mean, sd)
	}
}

// opaque hides a kernel's stationarity, so the forces evaluate every
// ordered pair.
type opaque struct{ Kernel }

// TestForcesStationary: the forces from one evaluation per pair of a
// stationary kernel equal those from every ordered pair.
func TestForcesStationary(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	xs, gs := matrix(7, 3), matrix(7, 3)
	for i := range xs {
		for c := range xs[i] {
			xs[i][c], gs[i][c] = rng.NormFloat64(), rng.NormFloat64()
		}
	}
	for name, mk := range map[string]func() Kernel{
		"rbf":    func() Kernel { return NewRBF() },
		"vector": func() Kernel { return &RBF{Mode: Vector} },
		"mixture": func() Kernel {
			return &Mixture{Weights: []float64{0.4, 0.6}, Kernels: []Kernel{NewRBF(), &RBF{Mode: Vector}}}
		},
		"graphical": func() Kernel { return &Graphical{Blocks: [][]int{{0, 2}, {1}}} },
	} {
		var phis [2][][]float64
		for v, k := range []Kernel{mk(), opaque{mk()}} {
			cfg := DefaultConfig()
			cfg.Guide, cfg.Particles, cfg.Kernel, cfg.RepulsionTemperature = "delta", 7, k, 0.7
			s, err := New(stdNormal(3), cfg, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			if err := k.Prepare(xs, nil); err != nil { // Graphical makes its blocks' kernels here
				t.Fatal(err)
			}
			if isStationary(k) == (v == 1) {
				t.Fatalf("%s: stationary %v", name, isStationary(k))
			}
			phis[v] = matrix(7, 3)
			if err := s.forces(xs, gs, phis[v], nil); err != nil {
				t.Fatal(err)
			}
		}
		for i := range phis[0] {
			for c := range phis[0][i] {
				if math.Abs(phis[0][i][c]-phis[1][i][c]) > 1e-12 {
					t.Errorf("%s: particle %d: forces %v and %v", name, i, phis[0][i], phis[1][i])
					break
				}
			}
		}
	}
}

// TestWarmStart: during the warm start each particle follows its own
// gradient, so SVGD warm-started for all its steps is gradient ascent of
// each point: they all reach N(0, 1)'s mode; after a warm start the
// kernel spreads them again.
func TestWarmStart(t *testing.T) {
	spread := func(warm int) float64 {
		cfg := DefaultConfig()
		cfg.Guide, cfg.Particles, cfg.Steps, cfg.Seed, cfg.WarmStart = "delta", 20, 1500, 3, warm
		cfg.Optimizer = svi.NewAdam(0.05)
		res, err := Run(context.Background(), stdNormal(1), cfg)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range res.Particles {
			lo, hi = math.Min(lo, p[0]), math.Max(hi, p[0])
		}
		return hi - lo
	}
	if w := spread(1500); w > 0.1 {
		t.Errorf("warm-started throughout, the particles span %v", w)
	}
	if w := spread(500); w < 2 {
		t.Errorf("after a warm start of 500 steps, the particles span %v", w)
	}
}

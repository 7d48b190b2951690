package compile

import (
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// affineFits counts the loops of m that its factorisation evaluates.
func affineFits(m *Model) int {
	n := 0
	for _, s := range m.e.state {
		if w, ok := s.(*affWork); ok && w.fits != nil {
			n++
		}
	}
	return n
}

// buildBoth compiles src with and without affine loops.
func buildBoth(t *testing.T, src string, data model.Data) (fast, old *Model) {
	t.Helper()
	return buildSource(t, src, data), buildSourceWith(t, src, data, allOptimizations&^optAffineLoops)
}

// affineData is an AR(3) series of length T with a covariate x, its
// coefficients those the programs' parameters start near.
func affineData(rng *rand.Rand, T int) model.Data {
	y, x := make([]float64, T), make([]float64, T)
	for t := range T {
		x[t] = rng.NormFloat64()
		y[t] = 0.3 + 0.5*x[t] + 0.3*rng.NormFloat64()
		for k, b := range []float64{0.4, -0.2, 0.1} {
			if t > k {
				y[t] += b * y[t-k-1]
			}
		}
	}
	return model.Data{
		"K": {Elems: []float64{3}, Int: true}, "T": {Elems: []float64{float64(T)}, Int: true},
		"y": {Dims: []int{T}, Elems: y}, "x": {Dims: []int{T}, Elems: x}, "s0": {Elems: []float64{0.3}},
	}
}

const affineHead = `data { int K; int T; array[T] real y; vector[T] x; real s0; }
parameters { real alpha; array[K] real beta; real gamma; real<lower=0> sigma; vector[2] v; }
model {
  alpha ~ normal(0, 10); beta ~ normal(0, 1); gamma ~ normal(0, 1); sigma ~ cauchy(0, 2.5); v ~ normal(0, 1);
`

// affineLoopsCases are loops that take the factorisation (fast) or keep
// the ordinary path.
var affineLoopsCases = []struct {
	name, body string
	fast       bool
}{
	{"arK", `for (t in (K + 1):T) { real mu; mu = alpha; for (k in 1:K) mu = mu + beta[k] * y[t - k]; y[t] ~ normal(mu, sigma); }`, true},
	{"no intercept", `for (t in (K + 1):T) { real mu = 0; for (k in 1:K) mu += beta[k] * y[t - k]; y[t] ~ normal(mu, sigma); }`, true},
	{"covariate and lags", `for (t in (K + 1):T) { real mu = alpha + gamma * x[t]; for (k in 1:K) mu += y[t - k] * beta[k]; y[t] ~ normal(mu, sigma); }`, true},
	{"normal_lpdf", `for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += beta[k] * y[t - k]; target += normal_lpdf(y[t] | mu, sigma); }`, true},
	{"normal_lupdf", `for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += beta[k] * y[t - k]; target += normal_lupdf(y[t] | mu, sigma); }`, true},
	{"data sigma", `for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += beta[k] * y[t - k]; y[t] ~ normal(mu, s0); }`, true},
	{"data sigma, lpdf", `for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += beta[k] * y[t - k]; target += normal_lpdf(y[t] | mu, s0); }`, true},
	{"operators", `for (t in (K + 1):T) {
	  real mu = -alpha / 2 + 3;
	  for (k in 1:K) { mu -= (y[t - k] - 1) * -beta[k]; }
	  mu = 2 * (mu - v[1] * x[t]) / 2;
	  mu *= 1.5; mu /= 1.5;
	  if (x[t] > 0) mu += gamma * x[t]; else { mu = mu - v[2]; }
	  y[t] ~ normal(mu + 0.1 * t, sigma * 2 + 0.1);
	}`, true},
	{"model local atoms", `{ vector[K] b = to_vector(beta) * 2; for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += 0.5 * b[k] * y[t - k]; y[t] ~ normal(mu, sigma); } }`, true},
	{"two statements", `for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += beta[k] * y[t - k]; y[t] ~ normal(mu, sigma); x[t] ~ normal(gamma * y[t - 1], s0); }`, true},
	{"sigma in the location", `for (t in (K + 1):T) { y[t] ~ normal(alpha + sigma * x[t] + beta[1] * y[t - 1], sigma); }`, true},
	{"constant atoms", `{ real a = 0.3; for (t in (K + 1):T) y[t] ~ normal(a * y[t - 1], s0); target += normal_lpdf(y[1] | alpha, sigma); }`, true},
	{"int locals", `for (t in (K + 1):T) { int j; int i = t - 1; j = i - 1; y[t] ~ normal(alpha + beta[t - i] * y[i] + beta[t - j] * y[j], sigma); }`, true},
	{"rats", `for (t in 1:T) { int g; g = 1 + (t % 2); y[t] ~ normal(v[g] + beta[g] * (x[t] - 0.5), sigma); }`, true},
	{"nested data loop", `for (t in (K + 1):T) for (k in 1:K) y[t] ~ normal(alpha + beta[k] * y[t - k], sigma);`, true},

	{"beta squared", `for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += beta[k] * beta[k] * y[t - k]; y[t] ~ normal(mu, sigma); }`, false},
	{"varying sigma", `for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += beta[k] * y[t - k]; y[t] ~ normal(mu, sigma * t); }`, false},
	{"parameter condition", `for (t in (K + 1):T) { real mu = alpha; if (alpha > 0) mu += beta[1] * y[t - 1]; y[t] ~ normal(mu, sigma); }`, false},
	{"exp", `for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += exp(beta[k]) * y[t - k]; y[t] ~ normal(mu, sigma); }`, false},
	{"outer assignment", `{ real s = 0; for (t in (K + 1):T) { s += y[t]; y[t] ~ normal(alpha + beta[1] * y[t - 1], sigma); } target += -s * s * 1e-3; }`, false},
	{"target() after", `for (t in (K + 1):T) { y[t] ~ normal(alpha + beta[1] * y[t - 1], sigma); } for (t in 1:2) { y[t] ~ normal(alpha + 1e-3 * target(), sigma); }`, true},
	{"target() inside", `for (t in (K + 1):T) { y[t] ~ normal(alpha + 1e-6 * target(), sigma); }`, false},
	{"print", `for (t in (K + 1):T) { if (t == T + 1) print(t); y[t] ~ normal(alpha, sigma); }`, false},
	{"unassigned local", `for (t in (K + 1):T) { real mu; if (t > K + 1) mu = alpha; y[t] ~ normal(mu, sigma); }`, false},
}

// affinePoint is a random unconstrained point near the data's
// coefficients.
func affinePoint(rng *rand.Rand, dim int) []float64 {
	th := []float64{0.3, 0.4, -0.2, 0.1, 0.5, math.Log(0.3), 0.1, -0.1}[:dim]
	for i := range th {
		th[i] += 0.3 * (2*rng.Float64() - 1)
	}
	return th
}

// TestAffineLoops compares each loop's log density and gradient with the
// ordinary loop's, with constants kept and dropped, and checks which
// loops are factorised.
func TestAffineLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	data := affineData(rng, 120)
	for _, cs := range affineLoopsCases {
		fast, old := buildBoth(t, affineHead+cs.body+"\n}\n", data)
		if got := affineFits(fast) > 0; got != cs.fast {
			t.Errorf("%s: factorised %v, want %v", cs.name, got, cs.fast)
		}
		if affineFits(old) != 0 {
			t.Fatalf("%s: factorised with affine loops off", cs.name)
		}
		for trial := range 4 {
			th := affinePoint(rng, fast.Dim())
			for _, propto := range []bool{true, false} {
				g, gr := make([]float64, len(th)), make([]float64, len(th))
				lp, err := fast.LogDensityPropto(th, g, propto, true)
				lr, errOld := old.LogDensityPropto(th, gr, propto, true)
				if (err == nil) != (errOld == nil) || err != nil && err.Error() != errOld.Error() {
					t.Fatalf("%s: error %v, ordinary loop %v", cs.name, err, errOld)
				}
				if err != nil {
					continue
				}
				if d := relDiff(lp, lr); d > 1e-10 && !(math.IsNaN(lp) && math.IsNaN(lr)) {
					t.Errorf("%s #%d propto=%v: lp %.17g, ordinary loop %.17g (rel %.2g)", cs.name, trial, propto, lp, lr, d)
				}
				for i := range g {
					if d := math.Abs(g[i] - gr[i]); d > 1e-9*max(1, math.Abs(gr[i])) {
						t.Errorf("%s #%d propto=%v: grad[%d] %.17g, ordinary loop %.17g", cs.name, trial, propto, i, g[i], gr[i])
					}
				}
			}
		}
	}
}

// TestAffineLoopsArK compares PosteriorDB's arK, factorised, with its
// ordinary loop and with central differences.
func TestAffineLoopsArK(t *testing.T) {
	d, err := model.ReadDataFile("testdata/speed/arK.json")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("testdata/speed/arK.stan")
	if err != nil {
		t.Fatal(err)
	}
	fast, old := buildBoth(t, string(src), d)
	if affineFits(fast) == 0 {
		t.Fatal("arK's loop is not factorised")
	}
	rng := rand.New(rand.NewPCG(23, 24))
	for range 5 {
		th := make([]float64, fast.Dim())
		for i := range th {
			th[i] = 0.5 * (2*rng.Float64() - 1)
		}
		g, gr := make([]float64, len(th)), make([]float64, len(th))
		lp, err := fast.LogDensity(th, g)
		if err != nil {
			t.Fatal(err)
		}
		lr, err := old.LogDensity(th, gr)
		if err != nil {
			t.Fatal(err)
		}
		if d := relDiff(lp, lr); d > 1e-10 {
			t.Errorf("lp %.17g, ordinary loop %.17g (rel %.2g)", lp, lr, d)
		}
		for i := range th {
			if d := math.Abs(g[i] - gr[i]); d > 1e-9*max(1, math.Abs(gr[i])) {
				t.Errorf("grad[%d] %.17g, ordinary loop %.17g", i, g[i], gr[i])
			}
			const h = 1e-5
			x := append([]float64(nil), th...)
			x[i] += h
			up, _ := fast.LogDensity(x, nil)
			x[i] -= 2 * h
			down, _ := fast.LogDensity(x, nil)
			if fd := (up - down) / (2 * h); math.Abs(fd-g[i]) > 1e-6*max(1, math.Abs(fd)) {
				t.Errorf("grad[%d] %g, finite difference %g", i, g[i], fd)
			}
		}
	}
	th := make([]float64, fast.Dim())
	g := make([]float64, len(th))
	fast.LogDensity(th, g)
	if a := testing.AllocsPerRun(20, func() { fast.LogDensity(th, g) }); a != 0 {
		t.Errorf("%v allocations per gradient", a)
	}
}

// TestAffineLoopsErrors checks that a factorised loop fails as the
// ordinary loop does: a data scale that is not positive and finite, a NaN
// variate, an index out of range, a short series.
func TestAffineLoopsErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	body := `for (t in (K + 1):T) { real mu = alpha; for (k in 1:K) mu += beta[k] * y[t - k]; y[t] ~ normal(mu, s0); }`
	bad := []struct {
		name  string
		src   string
		fits  bool // the data can be factorised; the scale is checked later
		patch func(model.Data)
	}{
		{"sigma 0", body, true, func(d model.Data) { d["s0"].Elems[0] = 0 }},
		{"sigma -1", body, true, func(d model.Data) { d["s0"].Elems[0] = -1 }},
		{"sigma NaN", body, true, func(d model.Data) { d["s0"].Elems[0] = math.NaN() }},
		{"sigma +Inf", body, true, func(d model.Data) { d["s0"].Elems[0] = math.Inf(1) }},
		{"y NaN", body, false, func(d model.Data) { d["y"].Elems[10] = math.NaN() }},
		{"y +Inf", body, false, func(d model.Data) { d["y"].Elems[10] = math.Inf(1) }},
		{"index out of range", strings.Replace(body, "beta[k]", "beta[k + 1]", 1), false, func(model.Data) {}},
		{"fewer rows than columns", body, false, func(d model.Data) {
			d["T"].Elems[0] = 5
			d["y"].Elems, d["y"].Dims = d["y"].Elems[:5], []int{5}
			d["x"].Elems, d["x"].Dims = d["x"].Elems[:5], []int{5}
		}},
	}
	for _, b := range bad {
		data := affineData(rng, 40)
		b.patch(data)
		fast, old := buildBoth(t, affineHead+b.src+"\n}\n", data)
		if got := affineFits(fast) > 0; got != b.fits {
			t.Errorf("%s: factorised %v, want %v", b.name, got, b.fits)
		}
		th := affinePoint(rng, fast.Dim())
		lp, err := fast.LogDensity(th, make([]float64, len(th)))
		lr, errOld := old.LogDensity(th, make([]float64, len(th)))
		switch {
		case (err == nil) != (errOld == nil):
			t.Errorf("%s: error %v, ordinary loop %v", b.name, err, errOld)
		case err != nil && err.Error() != errOld.Error():
			t.Errorf("%s: error %q, ordinary loop %q", b.name, err, errOld)
		case err == nil && !(lp == lr || relDiff(lp, lr) < 1e-10 || math.IsNaN(lp) && math.IsNaN(lr)):
			t.Errorf("%s: lp %v, ordinary loop %v", b.name, lp, lr)
		}
	}
}

// TestAffineLoopsSparse checks that a loop whose design is wide and
// sparse (100 group means, one per row, on 120 rows) keeps the ordinary
// path, where p² multiply-adds would cost more than the loop, and agrees
// with it.
func TestAffineLoopsSparse(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	data := affineData(rng, 120)
	src := `data { int K; int T; array[T] real y; vector[T] x; real s0; }
parameters { vector[100] z; real<lower=0> sigma; }
model { z ~ normal(0, 1); for (t in 1:T) y[t] ~ normal(z[1 + t % 100], sigma); }
`
	fast, old := buildBoth(t, src, data)
	if affineFits(fast) != 0 {
		t.Error("a design of 100 columns and 120 nonzeros is factorised")
	}
	th := make([]float64, fast.Dim())
	for i := range th {
		th[i] = rng.NormFloat64()
	}
	lp, err := fast.LogDensity(th, nil)
	lr, errOld := old.LogDensity(th, nil)
	if err != nil || errOld != nil || lp != lr {
		t.Errorf("lp %v (%v), ordinary loop %v (%v)", lp, err, lr, errOld)
	}
}

// TestAffineLoopsSharedByGoroutines shows that each model keeps its own
// factorisation and work space: eight models of one Program with affine
// loops (one of them on the ordinary path) on eight goroutines agree bit
// for bit with one model alone.
func TestAffineLoopsSharedByGoroutines(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	var body strings.Builder
	for _, cs := range affineLoopsCases {
		if cs.fast || cs.name == "beta squared" {
			body.WriteString(cs.body + "\n")
		}
	}
	checkSharedProgram(t, affineHead+body.String()+"}\n", affineData(rng, 60))
}

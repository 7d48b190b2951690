package compile

import (
	"bytes"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gostan/gostan/model"
)

const profiledProgram = `
functions {
  real f(real a, real b) {
    real r;
    profile("udf") {
      r = a * b + exp(a);
    }
    return r;
  }
  real rec(real a, int n) {
    profile("rec") {
      if (n == 0) return a;
      return rec(a, n - 1) * 1.0;
    }
  }
}
data { int N; vector[N] y; }
transformed data {
  real ybar;
  profile("tdata") {
    ybar = mean(y);
  }
}
parameters { real mu; real<lower=0> sigma; }
transformed parameters {
  real mu2;
  profile("tp") {
    mu2 = 2 * mu;
  }
}
model {
  profile("outer") {
    profile("priors") {
      mu ~ normal(0, 10);
      sigma ~ exponential(1);
    }
    profile("lik") {
      y ~ normal(mu, sigma);
    }
  }
  for (n in 1:3) {
    profile("loop") {
      target += -0.001 * square(mu - n);
    }
  }
  target += f(mu, sigma) * 1e-3 + f(sigma, mu) * 1e-3;
  target += rec(mu, 3) * 1e-3;
  profile("data only") {
    real z = ybar * 2;
  }
}
generated quantities {
  real yrep;
  profile("gq") {
    yrep = normal_rng(mu, sigma);
  }
}
`

func profiledData() model.Data {
	return model.Data{"N": {Int: true, Elems: []float64{5}}, "y": {Dims: []int{5}, Elems: []float64{0.1, -0.3, 1.2, 0.8, 0.4}}}
}

// byName indexes rows of one thread by profile name.
func byName(rows []ProfileStats, thread int) map[string]ProfileStats {
	out := map[string]ProfileStats{}
	for _, r := range rows {
		if r.Thread == thread {
			out[r.Name] = r
		}
	}
	return out
}

func TestProfileCounts(t *testing.T) {
	m := buildSource(t, profiledProgram, profiledData())
	got := slices.Clone(m.p.profNames)
	slices.Sort(got)
	if strings.Join(got, ",") != "data only,gq,lik,loop,outer,priors,rec,tdata,tp,udf" {
		t.Fatalf("profile names %q", got)
	}
	pr := m.StartProfiling()
	const nGrad, nVal, nWrite = 40, 7, 11
	theta := []float64{0.3, -0.2}
	grad := make([]float64, 2)
	for range nGrad {
		if _, err := m.LogDensity(theta, grad); err != nil {
			t.Fatal(err)
		}
	}
	for range nVal {
		if _, err := m.LogDensity(theta, nil); err != nil {
			t.Fatal(err)
		}
	}
	out := make([]float64, len(m.Names()))
	rng := rand.New(rand.NewPCG(1, 2))
	for range nWrite {
		if err := m.Write(theta, rng, out); err != nil {
			t.Fatal(err)
		}
	}
	rows := byName(pr.Stats(), 0)
	want := map[string][2]int{ // autodiff_calls, no_autodiff_calls
		"tdata": {0, 1},
		"tp":    {nGrad, nVal + nWrite},
		"outer": {nGrad, nVal}, "priors": {nGrad, nVal}, "lik": {nGrad, nVal},
		"loop":      {3 * nGrad, 3 * nVal},
		"udf":       {2 * nGrad, 2 * nVal},
		"rec":       {nGrad, nVal}, // measured at the outermost entry only
		"data only": {nGrad, nVal},
		"gq":        {0, nWrite},
	}
	if len(rows) != len(want) {
		t.Errorf("rows %v, want %d", rows, len(want))
	}
	for name, w := range want {
		r, ok := rows[name]
		if !ok {
			t.Errorf("no row for %q", name)
			continue
		}
		if r.AutodiffCalls != w[0] || r.NoAutodiffCalls != w[1] {
			t.Errorf("%s: autodiff_calls %d, no_autodiff_calls %d; want %d, %d", name, r.AutodiffCalls, r.NoAutodiffCalls, w[0], w[1])
		}
		if r.Forward <= 0 || r.Total() < r.Forward || r.Reverse < 0 {
			t.Errorf("%s: forward %v reverse %v total %v", name, r.Forward, r.Reverse, r.Total())
		}
		if w[0] == 0 && (r.Reverse != 0 || r.ChainStack != 0 || r.NoChainStack != 0) {
			t.Errorf("%s: no gradient evaluation, but reverse %v, chain_stack %d, no_chain_stack %d", name, r.Reverse, r.ChainStack, r.NoChainStack)
		}
	}
	// What a block records on the tape is the same in every gradient
	// evaluation; a block of data only records nothing.
	for _, name := range []string{"outer", "priors", "lik", "loop", "udf", "tp"} {
		r := rows[name]
		if r.ChainStack <= 0 || r.ChainStack%nGrad != 0 {
			t.Errorf("%s: chain_stack %d is not a positive multiple of %d gradients", name, r.ChainStack, nGrad)
		}
		if r.Reverse <= 0 {
			t.Errorf("%s: reverse_time %v", name, r.Reverse)
		}
	}
	if r := rows["data only"]; r.ChainStack != 0 || r.NoChainStack != 0 {
		t.Errorf("data only: chain_stack %d no_chain_stack %d, want 0", r.ChainStack, r.NoChainStack)
	}
	// Nested: the outer block holds the inner ones.
	o, p, l := rows["outer"], rows["priors"], rows["lik"]
	if o.ChainStack < p.ChainStack+l.ChainStack || o.Reverse < p.Reverse || o.Reverse < l.Reverse || o.Forward < p.Forward+l.Forward {
		t.Errorf("outer %+v does not contain priors %+v and lik %+v", o, p, l)
	}
}

// The gradient is the same, bit for bit, with profiling on: the sweep in
// pieces is the same sweep.
func TestProfileSameGradient(t *testing.T) {
	plain := buildSource(t, profiledProgram, profiledData())
	prof := buildSource(t, profiledProgram, profiledData())
	prof.StartProfiling()
	for _, theta := range [][]float64{{0.3, -0.2}, {-1, 0.5}, {2, 1}} {
		g1, g2 := make([]float64, 2), make([]float64, 2)
		lp1, err1 := plain.LogDensity(theta, g1)
		lp2, err2 := prof.LogDensity(theta, g2)
		if err1 != nil || err2 != nil || lp1 != lp2 || g1[0] != g2[0] || g1[1] != g2[1] {
			t.Errorf("at %v: %v %v %v vs %v %v %v", theta, lp1, g1, err1, lp2, g2, err2)
		}
	}
}

// A profile left by an evaluation error is not left running: the next
// evaluation measures it again.
func TestProfileAfterError(t *testing.T) {
	src := `parameters { real x; }
model {
  profile("p") {
    if (x > 1) reject("too big: ", x);
    x ~ normal(0, 1);
  }
}`
	m := buildSource(t, src, nil)
	pr := m.StartProfiling()
	g := make([]float64, 1)
	if _, err := m.LogDensity([]float64{2}, g); err == nil {
		t.Fatal("no error from reject")
	}
	for range 3 {
		if _, err := m.LogDensity([]float64{0.5}, g); err != nil {
			t.Fatal(err)
		}
	}
	r := pr.Stats()[0]
	// The rejected evaluation entered the block (forward) but never swept.
	if r.AutodiffCalls != 3 || r.NoAutodiffCalls != 0 {
		t.Errorf("%+v", r)
	}
}

// Without StartProfiling nothing is measured, and a program without
// profile statements has no Profiler.
func TestProfileOff(t *testing.T) {
	m := buildSource(t, `parameters { real x; } model { x ~ normal(0, 1); }`, nil)
	if m.StartProfiling() != nil {
		t.Error("a Profiler for a program without profile statements")
	}
	m = buildSource(t, profiledProgram, profiledData())
	if m.e.prof != nil {
		t.Error("measuring before StartProfiling")
	}
	if _, err := m.LogDensity([]float64{0, 0}, make([]float64, 2)); err != nil {
		t.Fatal(err)
	}
	pr := m.StartProfiling()
	if rows := pr.Stats(); len(rows) != 1 || rows[0].Name != "tdata" {
		t.Errorf("rows before any measured evaluation: %+v", rows)
	}
}

// A steady-state gradient evaluation allocates nothing with profiling on
// either.
func TestProfileAllocs(t *testing.T) {
	m := buildSource(t, profiledProgram, profiledData())
	m.StartProfiling()
	theta, grad := []float64{0.3, -0.2}, make([]float64, 2)
	if _, err := m.LogDensity(theta, grad); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(50, func() { m.LogDensity(theta, grad) }); n != 0 {
		t.Errorf("%v allocations per profiled gradient", n)
	}
}

// One program shared by goroutines, each on its own clone, as chains run
// (go test -race): each clone's counts are its own.
func TestProfileShared(t *testing.T) {
	root := buildSource(t, profiledProgram, profiledData())
	pr := root.StartProfiling()
	const workers, n = 4, 30
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := root.Clone().(*Model)
			if w == 0 {
				m.SetProfileThread(10)
			}
			g := make([]float64, 2)
			out := make([]float64, len(m.Names()))
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for i := range n {
				if _, err := m.LogDensity([]float64{0.1 * float64(i%5), 0.2}, g); err != nil {
					t.Error(err)
					return
				}
				if err := m.Write([]float64{0.1, 0.2}, rng, out); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	threads := map[int]bool{}
	for _, r := range pr.Stats() {
		threads[r.Thread] = true
		switch {
		case r.Name == "tdata":
			if r.Thread != 0 || r.NoAutodiffCalls != 1 {
				t.Errorf("tdata %+v: transformed data count once, in the root", r)
			}
		case r.Name == "gq" && r.NoAutodiffCalls != n, r.Name == "lik" && r.AutodiffCalls != n:
			t.Errorf("%+v", r)
		}
	}
	if len(threads) != workers+1 || !threads[0] || !threads[10] {
		t.Errorf("threads %v", threads)
	}
}

func TestWriteProfileCSV(t *testing.T) {
	var b bytes.Buffer
	rows := []ProfileStats{{Name: "a,b", Thread: 2, Forward: 1500000, Reverse: 250, ChainStack: 7, NoChainStack: 1, AutodiffCalls: 3, NoAutodiffCalls: 4}}
	if err := WriteProfileCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	want := "name,thread_id,total_time,forward_time,reverse_time,chain_stack,no_chain_stack,autodiff_calls,no_autodiff_calls\n" +
		`"a,b",2,0.00150025,0.0015,2.5e-07,7,1,3,4` + "\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// BenchmarkProfiled is the gradient of examples/logistic_profiled.stan
// (three profiles, one around a 100-row likelihood) without and with
// profiling: what measuring costs.
func BenchmarkProfiled(b *testing.B) {
	data, err := model.ReadDataFile(filepath.Join("..", "examples", "logistic.data.json"))
	if err != nil {
		b.Fatal(err)
	}
	for _, on := range []bool{false, true} {
		b.Run(map[bool]string{false: "off", true: "on"}[on], func(b *testing.B) {
			m, err := build(b, filepath.Join("..", "examples", "logistic_profiled.stan"), data)
			if err != nil {
				b.Fatal(err)
			}
			if on {
				m.StartProfiling()
			}
			theta, grad := []float64{0.1, -0.2, 0.3}, make([]float64, 3)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.LogDensity(theta, grad); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A matrix product's outputs are tape variables without a statement of
// their own (one custom node makes them): no_chain_stack counts them, as
// Stan counts its no-chain varis; a scalar statement is chain_stack only.
func TestProfileNoChainStack(t *testing.T) {
	src := `data { int N; matrix[N, 2] X; }
parameters { vector[2] beta; real mu; }
model {
  profile("product") {
    vector[N] eta = X * beta;
    target += -0.5 * dot_self(eta);
  }
  profile("scalar") {
    target += -0.5 * mu * mu;
  }
}`
	data := model.Data{"N": {Int: true, Elems: []float64{6}}, "X": {Dims: []int{6, 2}, Elems: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}}
	m := buildSource(t, src, data)
	pr := m.StartProfiling()
	const n = 9
	g := make([]float64, 3)
	for range n {
		if _, err := m.LogDensity([]float64{0.1, 0.2, 0.3}, g); err != nil {
			t.Fatal(err)
		}
	}
	rows := byName(pr.Stats(), 0)
	if p := rows["product"]; p.NoChainStack%n != 0 || p.NoChainStack/n < 6 || p.ChainStack <= 0 {
		t.Errorf("product: %+v, want at least the 6 outputs of X * beta per gradient on the no-chain stack", p)
	}
	if s := rows["scalar"]; s.NoChainStack != 0 || s.ChainStack <= 0 || s.ChainStack%n != 0 {
		t.Errorf("scalar: %+v", s)
	}
}

// A sampling statement deferred to its loop's end (deferred.go) is
// flushed when a measured profile inside the loop ends: its tape
// statement is the block's, one per entry. The density and gradient are
// those of the unmeasured run, to rounding (the terms add in another
// order).
func TestProfileDeferred(t *testing.T) {
	src := `data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model {
  for (n in 1:N) {
    profile("in loop") { y[n] ~ normal(mu, sigma); }
  }
}`
	data := model.Data{"N": {Int: true, Elems: []float64{5}}, "y": {Dims: []int{5}, Elems: []float64{1, 2, 3, 4, 5}}}
	plain, m := buildSource(t, src, data), buildSource(t, src, data)
	pr := m.StartProfiling()
	const n = 4
	for range n {
		g1, g2 := make([]float64, 2), make([]float64, 2)
		lp1, err1 := plain.LogDensity([]float64{0.1, 0.2}, g1)
		lp2, err2 := m.LogDensity([]float64{0.1, 0.2}, g2)
		if err1 != nil || err2 != nil || math.Abs(lp1-lp2) > 1e-12*math.Abs(lp1) ||
			math.Abs(g1[0]-g2[0]) > 1e-12*math.Abs(g1[0]) || math.Abs(g1[1]-g2[1]) > 1e-12*math.Abs(g1[1]) {
			t.Fatalf("profiled %v %v %v, plain %v %v %v", lp2, g2, err2, lp1, g1, err1)
		}
	}
	r := pr.Stats()[0]
	if r.AutodiffCalls != 5*n || r.ChainStack != 5*n {
		t.Errorf("%+v, want a tape statement per entry, %d entries", r, 5*n)
	}
}

// A profile inside a function that a solver runs on its own scratch tape
// (ODE, algebraic, integrate_1d) records on that tape, not on the model's:
// its statement numbers must not cut the model's reverse sweep, or the
// sweep runs parts of the tape twice and the gradient is wrong. The
// gradient with profiling on is the unprofiled one, and the solvers'
// profiles count their calls and tape statements.
func TestProfileInSolver(t *testing.T) {
	const src = `
functions {
  vector rhs(real t, vector y, real k) {
    vector[1] dy;
    profile("rhs") {
      dy[1] = -k * y[1] * (1 + 0.1 * sin(y[1]));
    }
    return dy;
  }
  vector alg(vector x, real a) {
    vector[1] f;
    profile("alg") {
      f[1] = x[1] * x[1] * x[1] + x[1] - a;
    }
    return f;
  }
  real dens(real x, real xc, array[] real theta, array[] real x_r, array[] int x_i) {
    real v;
    profile("int") {
      v = exp(-theta[1] * x * x);
    }
    return v;
  }
}
parameters { real<lower=0> k; real y0; real<lower=0> a; }
model {
  profile("before") {
    y0 ~ normal(1, 1);
    k ~ lognormal(0, 0.5);
    a ~ lognormal(0, 0.5);
  }
  array[3] vector[1] ys = ode_rk45(rhs, [y0]', 0, {0.5, 1.0, 1.5}, k);
  vector[1] root = solve_newton(alg, [1.0]', a);
  real I = integrate_1d(dens, -1.0, 1.0, {k}, {0.0}, {0}, 1e-8);
  profile("after") {
    ys[3][1] ~ normal(0.4, 0.2);
    root[1] ~ normal(0.8, 0.3);
    I ~ normal(1.2, 0.5);
  }
}
`
	plain := buildSource(t, src, nil)
	prof := buildSource(t, src, nil)
	pr := prof.StartProfiling()
	const nGrad = 3
	for _, theta := range [][]float64{{0.3, -0.2, 0.1}, {-0.4, 0.9, 0.6}, {0.1, 1.5, -0.3}} {
		g1, g2 := make([]float64, 3), make([]float64, 3)
		lp1, err1 := plain.LogDensity(theta, g1)
		lp2, err2 := prof.LogDensity(theta, g2)
		if err1 != nil || err2 != nil {
			t.Fatalf("at %v: %v, %v", theta, err1, err2)
		}
		for i := range g1 {
			if lp1 != lp2 || math.Abs(g1[i]-g2[i]) > 1e-12*(1+math.Abs(g1[i])) {
				t.Errorf("at %v: lp %v gradient %v unprofiled, lp %v gradient %v profiled", theta, lp1, g1, lp2, g2)
				break
			}
		}
	}
	rows := byName(pr.Stats(), 0)
	for _, name := range []string{"before", "after"} {
		if r := rows[name]; r.AutodiffCalls != nGrad || r.Reverse <= 0 {
			t.Errorf("%s: %+v, want %d autodiff calls with a reverse time", name, r, nGrad)
		}
	}
	for _, name := range []string{"rhs", "alg", "int"} {
		if r, ok := rows[name]; !ok || r.AutodiffCalls < nGrad || r.NoAutodiffCalls != 0 || r.ChainStack <= 0 || r.Forward <= 0 {
			t.Errorf("%s: %+v, want autodiff calls, at least one per gradient, and their tape statements", name, r)
		}
	}
}

package compile

import (
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/gostan/gostan/model"
)

// genProgram compiles src as the file gen.stan.
func genProgram(t *testing.T, src string) *Program {
	t.Helper()
	p, err := Source("gen.stan", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return p
}

func genModel(t *testing.T, src string, data model.Data) *Model {
	t.Helper()
	m, err := genProgram(t, src).NewModel(data, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func vec(x ...float64) *model.Value { return &model.Value{Dims: []int{len(x)}, Elems: x} }
func intv(n int) *model.Value       { return &model.Value{Int: true, Elems: []float64{float64(n)}} }

func normLpdf(x, mu, s float64) float64 {
	z := (x - mu) / s
	return -0.5*z*z - math.Log(s) - 0.5*math.Log(2*math.Pi)
}

// TestPriorLikelihoodByHand: a normal mean with a half-normal scale; the
// scale's prior is normalised by its mass 1/2, which the likelihood gets.
func TestPriorLikelihoodByHand(t *testing.T) {
	const src = `
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model {
  y ~ normal(mu, sigma);
  mu ~ normal(1, 2);
  sigma ~ normal(0, 1);
}
`
	y := []float64{0.4, -1.2, 2.2}
	m := genModel(t, src, model.Data{"N": intv(3), "y": vec(y...)})
	if err := m.CheckPriors(); err != nil {
		t.Fatal(err)
	}
	for _, z := range [][]float64{{0.3, -0.2}, {-1.5, 0.7}, {2, -2}} {
		mu, sigma := z[0], math.Exp(z[1])
		wantPrior := normLpdf(mu, 1, 2) + normLpdf(sigma, 0, 1) + math.Log(2) + z[1]
		wantLik := -math.Log(2)
		for _, v := range y {
			wantLik += normLpdf(v, mu, sigma)
		}
		lp, ll, err := m.PriorLikelihood(z)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(lp-wantPrior) > 1e-12 || math.Abs(ll-wantLik) > 1e-12 {
			t.Errorf("z=%v: prior %v, likelihood %v; want %v, %v", z, lp, ll, wantPrior, wantLik)
		}
	}
}

// TestPriorLikelihoodIsTheDensity: the prior and likelihood add up to the
// program's density with every constant, the same as the program written
// with target += *_lpdf (whose LogDensity keeps them), on programs with
// bounds, loops, transformed parameters and structured parameters.
func TestPriorLikelihoodIsTheDensity(t *testing.T) {
	data := model.Data{"N": intv(3), "y": vec(0.4, -1.2, 2.2), "J": intv(2)}
	cases := []struct{ name, tilde, target string }{
		{"half-normal scale", `
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { y ~ normal(mu, sigma); mu ~ normal(1, 2); sigma ~ normal(0, 1); }`, `
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { target += normal_lpdf(y | mu, sigma) + normal_lpdf(mu | 1, 2) + normal_lpdf(sigma | 0, 1); }`},
		{"hierarchical, declared out of order, loop", `
data { int N; vector[N] y; int J; }
parameters { vector[J] theta; real mu; real<lower=0> tau; }
model {
  for (j in 1:J) theta[j] ~ normal(mu, tau);
  mu ~ student_t(3, 0, 2);
  tau ~ cauchy(0, 1);
  y ~ normal(theta[1] + theta[2], 1);
}`, `
data { int N; vector[N] y; int J; }
parameters { vector[J] theta; real mu; real<lower=0> tau; }
model {
  target += normal_lpdf(theta | mu, tau) + student_t_lpdf(mu | 3, 0, 2) + cauchy_lpdf(tau | 0, 1);
  target += normal_lpdf(y | theta[1] + theta[2], 1);
}`},
		{"bounds in both directions, gamma and beta, a transformed parameter", `
data { int N; vector[N] y; }
parameters { real<lower=0, upper=1> p; real<lower=0> k; real<lower=-1, upper=2> b; }
transformed parameters { real s = k + 0.5; }
model { p ~ beta(2, 5); k ~ gamma(2, 3); b ~ logistic(0.5, s); y ~ normal(b, s); }`, `
data { int N; vector[N] y; }
parameters { real<lower=0, upper=1> p; real<lower=0> k; real<lower=-1, upper=2> b; }
transformed parameters { real s = k + 0.5; }
model { target += beta_lpdf(p | 2, 5) + gamma_lpdf(k | 2, 3) + logistic_lpdf(b | 0.5, s) + normal_lpdf(y | b, s); }`},
		{"a bound that is a parameter, truncations", `
data { int N; vector[N] y; }
parameters { real mu; real<lower=mu> b; real<lower=0> s; real<lower=0> u; }
model { mu ~ normal(0, 1); b ~ normal(mu, 2); s ~ normal(1, 2) T[0, ]; u ~ normal(1, 2) T[-1, 3]; y ~ normal(b, s + u); }`, `
data { int N; vector[N] y; }
parameters { real mu; real<lower=mu> b; real<lower=0> s; real<lower=0> u; }
model {
  target += normal_lpdf(mu | 0, 1) + normal_lpdf(b | mu, 2) + normal_lpdf(s | 1, 2) - normal_lccdf(0 | 1, 2);
  target += normal_lpdf(u | 1, 2) - log_diff_exp(normal_lcdf(3 | 1, 2), normal_lcdf(-1 | 1, 2));
  target += normal_lpdf(y | b, s + u);
}`},
		{"multivariate normals and covariance matrices", `
data { int N; vector[N] y; }
parameters { cov_matrix[2] S; cov_matrix[2] W; vector[2] b; array[2] vector[2] c; row_vector[2] d; }
model {
  S ~ inv_wishart(4, [[1, 0.3], [0.3, 2]]);
  W ~ wishart(3, [[1, 0.3], [0.3, 2]]);
  b ~ multi_normal([1, 2]', S);
  c ~ multi_normal_cholesky(b, cholesky_decompose(W));
  d ~ multi_student_t(5, b', S);
  y ~ normal(b[1] + c[2, 1] + d[2], 1);
}`, `
data { int N; vector[N] y; }
parameters { cov_matrix[2] S; cov_matrix[2] W; vector[2] b; array[2] vector[2] c; row_vector[2] d; }
model {
  target += inv_wishart_lpdf(S | 4, [[1, 0.3], [0.3, 2]]) + wishart_lpdf(W | 3, [[1, 0.3], [0.3, 2]]);
  target += multi_normal_lpdf(b | [1, 2]', S) + multi_normal_cholesky_lpdf(c | b, cholesky_decompose(W));
  target += multi_student_t_lpdf(d | 5, b', S);
  target += normal_lpdf(y | b[1] + c[2, 1] + d[2], 1);
}`},
		{"a user-defined density calling _lupdf", `
functions {
  real foo_lpdf(vector y, real mu) { real s = 1; return normal_lupdf(y | mu, s); }
  real half(real x) { real h = x / 2; return h; }
}
data { int N; vector[N] y; }
parameters { real mu; }
model { mu ~ normal(0, half(2)); y ~ foo(mu); }`, `
data { int N; vector[N] y; }
parameters { real mu; }
model { target += normal_lpdf(mu | 0, 1) + normal_lpdf(y | mu, 1); }`},
		{"simplex and Cholesky factor", `
data { int N; vector[N] y; }
parameters { simplex[3] w; cholesky_factor_corr[3] L; corr_matrix[2] C; }
model { w ~ dirichlet([1, 2, 3]'); L ~ lkj_corr_cholesky(2); C ~ lkj_corr(1.5); y ~ normal(w[1] + L[2, 1] + C[1, 2], 1); }`, `
data { int N; vector[N] y; }
parameters { simplex[3] w; cholesky_factor_corr[3] L; corr_matrix[2] C; }
model {
  target += dirichlet_lpdf(w | [1, 2, 3]') + lkj_corr_cholesky_lpdf(L | 2) + lkj_corr_lpdf(C | 1.5);
  target += normal_lpdf(y | w[1] + L[2, 1] + C[1, 2], 1);
}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := genModel(t, tc.tilde, data)
			ref := genModel(t, tc.target, data)
			if err := m.CheckPriors(); err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(3, 4))
			z := make([]float64, m.Dim())
			for range 5 {
				if err := m.DrawPrior(rng, z); err != nil {
					t.Fatal(err)
				}
				lp, ll, err := m.PriorLikelihood(z)
				if err != nil {
					t.Fatal(err)
				}
				want, err := ref.LogDensity(z, nil)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(lp+ll-want) > 1e-9*max(1, math.Abs(want)) {
					t.Errorf("z=%v: prior %v + likelihood %v = %v, want %v", z, lp, ll, lp+ll, want)
				}
			}
		})
	}
}

// priorDraws draws n points from m's prior and returns their parameter
// columns on the constrained scale, by name.
func priorDraws(t *testing.T, m *Model, n int, seed uint64) map[string][]float64 {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	z := make([]float64, m.Dim())
	out := make([]float64, len(m.Names()))
	cols := map[string][]float64{}
	for range n {
		if err := m.DrawPrior(rng, z); err != nil {
			t.Fatal(err)
		}
		if err := m.Write(z, rng, out); err != nil {
			t.Fatal(err)
		}
		for k, name := range m.ParamNames() {
			cols[name] = append(cols[name], out[k])
		}
	}
	return cols
}

func meanSD(x []float64) (float64, float64) {
	var s, ss float64
	for _, v := range x {
		s += v
	}
	mean := s / float64(len(x))
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}

// TestDrawPriorMoments: draws have their priors' means and standard
// deviations, truncated to the declared bounds, and a hierarchical
// prior's marginal.
func TestDrawPriorMoments(t *testing.T) {
	const src = `
data { int J; }
parameters {
  vector[J] theta;
  real a;
  real<lower=0> h;
  real<lower=1> tail;
  real<lower=0> g;
  real<lower=0, upper=1> p;
  real mu;
  real<lower=0> tau;
  simplex[3] w;
  cholesky_factor_corr[3] L;
  vector[3] walk;
  corr_matrix[3] C;
  vector[2] mvn;
  cov_matrix[2] IW;
  array[2] row_vector[2] st;
}
transformed parameters { real s = 2 * tau; }
model {
  for (k in 2:3) walk[k] ~ normal(walk[k - 1], 1);
  walk[1] ~ normal(0, 1);
  C ~ lkj_corr(2);
  mvn ~ multi_normal([1, -1]', [[4, 1], [1, 1]]);
  IW ~ inv_wishart(12, [[1, 0], [0, 1]]);
  st ~ multi_student_t(10, [0, 3], [[1, 0], [0, 1]]);
  for (j in 1:J) theta[j] ~ normal(mu, s);
  a ~ normal(1, 2);
  h ~ normal(0, 1);
  tail ~ normal(0, 1);
  target += gamma_lpdf(g | 2, 3);
  p ~ beta(2, 5);
  mu ~ normal(0, 1);
  tau ~ normal(0, 1);
  w ~ dirichlet([1, 2, 3]');
  L ~ lkj_corr_cholesky(2);
}
`
	m := genModel(t, src, model.Data{"J": intv(2)})
	const n = 20000
	d := priorDraws(t, m, n, 7)
	// Omega[2,1] = L[2,1] (the first row of L is (1, 0, 0)).
	halfMean := math.Sqrt(2 / math.Pi)
	tailMean := math.Exp(-0.5) / math.Sqrt(2*math.Pi) / (0.5 * math.Erfc(1/math.Sqrt2))
	tailSD := math.Sqrt(1 + tailMean - tailMean*tailMean)
	cases := []struct {
		col      string
		mean, sd float64
	}{
		{"a", 1, 2},
		{"h", halfMean, math.Sqrt(1 - 2/math.Pi)},
		{"tail", tailMean, tailSD},
		{"g", 2.0 / 3, math.Sqrt(2) / 3},
		{"p", 2.0 / 7, math.Sqrt(10.0 / (49 * 8))},
		// theta | mu, tau ~ normal(mu, 2 tau): variance 1 + 4 E[tau²] = 5.
		{"theta[1]", 0, math.Sqrt(5)},
		{"theta[2]", 0, math.Sqrt(5)},
		{"w[1]", 1.0 / 6, math.Sqrt(5.0 / (36 * 7))},
		{"w[3]", 3.0 / 6, math.Sqrt(9.0 / (36 * 7))},
		// LKJ(2) in dimension 3: a correlation is Beta(2.5, 2.5) on (-1, 1).
		{"L[2,1]", 0, math.Sqrt(1.0 / 6)},
		{"C[3,2]", 0, math.Sqrt(1.0 / 6)},
		{"mvn[1]", 1, 2},
		{"mvn[2]", -1, 1},
		// The inverse Wishart's mean is S / (nu - p - 1).
		{"IW[1,1]", 1.0 / 9, math.Sqrt(2.0 / 567)},
		{"st[2,2]", 3, math.Sqrt(10.0 / 8)},
		// A random walk drawn element by element, its start last.
		{"walk[3]", 0, math.Sqrt(3)},
	}
	for _, c := range cases {
		mean, sd := meanSD(d[c.col])
		if len(d[c.col]) != n || math.Abs(mean-c.mean) > 4*c.sd/math.Sqrt(n) || math.Abs(sd-c.sd) > 0.03*c.sd {
			t.Errorf("%s: mean %.4f, sd %.4f; want %.4f, %.4f", c.col, mean, sd, c.mean, c.sd)
		}
	}
}

// TestCheckPriorsRefuses: programs where some parameter has no proper
// prior are refused with the parameter and the line that says why.
func TestCheckPriorsRefuses(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"no prior", `
parameters { real a; real b; }
model { a ~ normal(0, 1); target += -0.5 * square(a + b); }`,
			[]string{"gen.stan:2:22: parameter 'b' has no proper prior: no ~ or target += statement"}},
		{"a cycle", `
parameters { real a; real b; real c; }
model { c ~ normal(0, 1); a ~ normal(b, 1); b ~ normal(a, c); }`,
			[]string{"parameter 'a' has no proper prior: its prior at gen.stan:3:27 depends on 'b'",
				"parameter 'b' has no proper prior: its prior at gen.stan:3:45 depends on 'a'"}},
		{"a prior on a transformed parameter only", `
parameters { real ls; }
transformed parameters { real s = exp(ls); }
model { s ~ normal(0, 1); }`,
			[]string{"gen.stan:2:14: parameter 'ls' has no proper prior: the statement at gen.stan:4:9 is not a prior: it gives a distribution to the transformed parameter 's'"}},
		{"itself", `
parameters { real a; }
model { a ~ normal(a, 1); }`,
			[]string{"parameter 'a' has no proper prior: the statement at gen.stan:3:9 is not a prior: its arguments depend on the parameter itself"}},
		{"through a transformed parameter", `
parameters { real a; }
transformed parameters { real m = 2 * a; }
model { a ~ normal(m, 1); }`,
			[]string{"parameter 'a' has no proper prior: the statement at gen.stan:4:9 is not a prior: its arguments depend on the parameter itself"}},
		{"inside an if", `
data { int K; }
parameters { real a; }
model { if (K > 0) a ~ normal(0, 1); }`,
			[]string{"'a' has no proper prior: the statement at gen.stan:4:20 is not a prior: it is inside an if or while"}},
		{"an expression of the parameter", `
parameters { real<lower=0> s; }
model { log(s) ~ normal(0, 1); }`,
			[]string{"'s' has no proper prior: the statement at gen.stan:3:9 is not a prior: its left side is an expression"}},
		{"an ordered parameter", `
parameters { ordered[2] c; }
model { c ~ normal(0, 1); }`,
			[]string{"'c' has no proper prior: the statement at gen.stan:3:9 is not a prior: no prior of a ordered parameter"}},
		{"a bounded multivariate normal", `
parameters { vector<lower=0>[2] b; }
model { b ~ multi_normal([0, 0]', [[1, 0], [0, 1]]); }`,
			[]string{"'b' has no proper prior: the statement at gen.stan:3:9 is not a prior: the parameter is bounded, and a truncated multi_normal"}},
		{"a discrete family's density", `
parameters { real b; }
model { target += poisson_lpmf(3 | exp(b)); }`,
			[]string{"gen.stan:2:14: parameter 'b' has no proper prior: no ~ or target += statement"}},
		{"a local variable", `
parameters { real a; }
model { real m = 1; a ~ normal(m, 1); }`,
			[]string{"'a' has no proper prior: the statement at gen.stan:3:21 is not a prior: its arguments read 'm', a local variable"}},
		{"part of a vector", `
parameters { vector[3] th; }
model { th[1] ~ normal(0, 1); th[2] ~ normal(0, 1); }`,
			[]string{"gen.stan:3:9: th[3] is given no prior"}},
		{"an element twice", `
parameters { vector[2] th; }
model { th[1] ~ normal(0, 1); for (j in 1:2) th[j] ~ normal(0, 1); }`,
			[]string{"gen.stan:3:46: th[1] is given a prior twice"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := genModel(t, tc.src, model.Data{"K": intv(1)})
			err := m.CheckPriors()
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error\n%v\ndoes not say\n%s", err, w)
				}
			}
			if err := m.DrawPrior(rand.New(rand.NewPCG(1, 1)), make([]float64, m.Dim())); err == nil {
				t.Error("DrawPrior drew from a refused program")
			}
		})
	}
}

// TestGenerativeSharedByGoroutines: the generative view's closures keep
// their buffers in the Model, so Models of one Program draw and evaluate
// on several goroutines at once exactly as one alone does.
func TestGenerativeSharedByGoroutines(t *testing.T) {
	const src = `
data { int J; }
parameters { vector[J] theta; real mu; real<lower=0> tau; simplex[3] w; real<lower=mu> b; }
transformed parameters { real s = 2 * tau; }
model {
  for (j in 1:J) theta[j] ~ normal(mu, s);
  mu ~ normal(0, 1);
  tau ~ normal(0, 1);
  w ~ dirichlet([1, 2, 3]');
  b ~ normal(mu, tau);
  target += normal_lpdf(theta | w[1], 1);
}
`
	p := genProgram(t, src)
	data := model.Data{"J": intv(4)}
	type result struct{ z, lp []float64 }
	run := func(stream uint64) (result, error) {
		m, err := p.NewModel(data, 1)
		if err != nil {
			return result{}, err
		}
		rng := rand.New(rand.NewPCG(5, stream))
		var r result
		z := make([]float64, m.Dim())
		for range 200 {
			if err := m.DrawPrior(rng, z); err != nil {
				return r, err
			}
			lp, ll, err := m.PriorLikelihood(z)
			if err != nil {
				return r, err
			}
			r.z = append(r.z, z...)
			r.lp = append(r.lp, lp, ll)
		}
		return r, nil
	}
	const workers = 4
	want := make([]result, workers)
	for k := range workers {
		var err error
		if want[k], err = run(uint64(k)); err != nil {
			t.Fatal(err)
		}
	}
	got := make([]result, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[k], errs[k] = run(uint64(k))
		}()
	}
	wg.Wait()
	for k := range workers {
		if errs[k] != nil {
			t.Fatal(errs[k])
		}
		for i := range want[k].z {
			if !sameBits(got[k].z[i], want[k].z[i]) {
				t.Fatalf("worker %d: draw value %d is %v alone, %v shared", k, i, want[k].z[i], got[k].z[i])
			}
		}
		for i := range want[k].lp {
			if !sameBits(got[k].lp[i], want[k].lp[i]) {
				t.Fatalf("worker %d: log density %d is %v alone, %v shared", k, i, want[k].lp[i], got[k].lp[i])
			}
		}
	}
}

// TestPriorIsNormalised: on the unconstrained line, exp(logPrior)
// integrates to 1 for priors truncated by bounds and by T[,].
func TestPriorIsNormalised(t *testing.T) {
	for _, decl := range []string{
		"real<lower=0> x; } model { x ~ normal(0.5, 1);",
		"real<lower=1> x; } model { x ~ normal(0, 1);",
		"real<lower=0> x; } model { x ~ normal(1, 2) T[-1, 3];",
		"real<lower=-1, upper=2> x; } model { x ~ logistic(3, 0.5);",
		"real<lower=0, upper=1> x; } model { x ~ beta(2, 5);",
		"real<lower=0> x; } model { target += gamma_lpdf(x | 2, 3);",
		"real<upper=0> x; } model { x ~ cauchy(1, 2);",
		"real<offset=1, multiplier=3> x; } model { x ~ normal(1, 3);",
		"real x; } model { target += std_normal_lpdf(x);",
		"real<lower=-1> x; } model { x ~ std_normal();",
	} {
		m := genModel(t, "parameters { "+decl+" }", nil)
		if err := m.CheckPriors(); err != nil {
			t.Fatalf("%s: %v", decl, err)
		}
		const h = 1e-3
		sum := 0.0
		for z := -40.0; z <= 40; z += h {
			lp, _, err := m.PriorLikelihood([]float64{z})
			if err != nil {
				t.Fatal(err)
			}
			sum += math.Exp(lp) * h
		}
		if math.Abs(sum-1) > 1e-4 {
			t.Errorf("%s: the prior integrates to %v", decl, sum)
		}
	}
}

// TestDrawPriorFarTails: priors truncated where they have almost no mass
// are drawn by inverting the CDF, with the truncated normal's moments.
func TestDrawPriorFarTails(t *testing.T) {
	phi := func(x float64) float64 { return math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi) }
	// moments of normal(0, 1) truncated to (a, b), from the upper tail.
	moments := func(a, b float64) (float64, float64) {
		z := 0.5*math.Erfc(a/math.Sqrt2) - 0.5*math.Erfc(b/math.Sqrt2)
		pa, pb := phi(a), phi(b)
		bpb := 0.0
		if !math.IsInf(b, 1) {
			bpb = b * pb
		}
		mean := (pa - pb) / z
		return mean, math.Sqrt(1 + (a*pa-bpb)/z - mean*mean)
	}
	const src = `
parameters { real<lower=5> x; real<upper=-4> y; real<lower=6, upper=7> w; }
model { x ~ normal(0, 1); y ~ normal(0, 1); w ~ normal(0, 1); }
`
	m := genModel(t, src, nil)
	const n = 20000
	d := priorDraws(t, m, n, 11)
	for _, c := range []struct {
		col    string
		a, b   float64
		negate bool
	}{{"x", 5, math.Inf(1), false}, {"y", 4, math.Inf(1), true}, {"w", 6, 7, false}} {
		mean, sd := moments(c.a, c.b)
		if c.negate {
			mean = -mean
		}
		got, gotSD := meanSD(d[c.col])
		if len(d[c.col]) != n || math.Abs(got-mean) > 4*sd/math.Sqrt(n) || math.Abs(gotSD-sd) > 0.03*sd {
			t.Errorf("%s: mean %.4f, sd %.4f; want %.4f, %.4f", c.col, got, gotSD, mean, sd)
		}
	}
}

// TestInitPrior: init_to_mean puts each site at its family's mean given
// the sites before it (theta at mu's mean, the Cauchy at its median, the
// matrices at theirs), and init_to_median takes each site's median given
// the earlier sites' medians, so theta follows the side its cluster's
// median picks, where the joint draws' coordinatewise median would sit
// between 0 and 20.
func TestInitPrior(t *testing.T) {
	m := genModel(t, `
parameters {
  real mu;
  real<lower=0> tau;
  real theta;
  real c;
  simplex[3] p;
  cholesky_factor_corr[2] L;
  cov_matrix[2] W;
  real cluster;
  real side;
}
model {
  mu ~ normal(3, 1);
  tau ~ exponential(2);
  theta ~ normal(mu, tau);
  c ~ cauchy(-1, 0.1);
  p ~ dirichlet([1, 2, 3]');
  L ~ lkj_corr_cholesky(2);
  W ~ wishart(4, [[1, 0.5], [0.5, 2]]);
  cluster ~ normal(0, 1);
  side ~ normal(cluster > 0 ? 20 : 0, 1);
}`, nil)
	z := make([]float64, m.Dim())
	out := make([]float64, len(m.Names()))
	rng := rand.New(rand.NewPCG(3, 4))
	if err := m.InitPrior(rng, z, 0); err != nil {
		t.Fatal(err)
	}
	if err := m.Write(z, rng, out); err != nil {
		t.Fatal(err)
	}
	want := []float64{3, 0.5, 3, math.NaN(), 1.0 / 6, 2.0 / 6, 3.0 / 6, 1, 0, 0, 1, 4, 2, 2, 8}
	for i, w := range want {
		if !math.IsNaN(w) && math.Abs(out[i]-w) > 1e-9 {
			t.Errorf("init_to_mean: output %d = %v, want %v", i, out[i], w)
		}
	}
	if math.Abs(out[3]+1) > 0.2 {
		t.Errorf("init_to_mean: the Cauchy's site is %v, want the median of 15 draws near -1", out[3])
	}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		if err := m.InitPrior(rng, z, 15); err != nil {
			t.Fatal(err)
		}
		if err := m.Write(z, rng, out); err != nil {
			t.Fatal(err)
		}
		cluster, side := out[len(want)], out[len(want)+1]
		mode := 0.0
		if cluster > 0 {
			mode = 20
		}
		if math.Abs(side-mode) > 1.5 || math.Abs(cluster) > 1.5 {
			t.Errorf("init_to_median(15), seed %d: cluster %v, side %v, want side near %v", seed, cluster, side, mode)
		}
		if math.Abs(out[0]-3) > 1.5 {
			t.Errorf("init_to_median(15), seed %d: mu %v", seed, out[0])
		}
	}
}

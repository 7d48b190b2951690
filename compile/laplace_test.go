package compile

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// Tests of the embedded Laplace approximation: exactness for a Gaussian
// likelihood, the built-in likelihoods against the same likelihoods written
// as user functions, gradients against finite differences, a hand-computed
// one-dimensional approximation, and the latent draws' moments.

// laplaceDecls are the functions and data the tests share: a squared
// exponential covariance over 5 points, counts, binary outcomes and their
// groups (two observations share group 2, group 4 has none), and a tuple
// of the later _tol forms' controls.
const laplaceDecls = `functions {
  real gauss(vector theta, real sigma, data vector y) {
    return normal_lpdf(y | theta, sigma);
  }
  real pois(vector theta, data array[] int y, data array[] int g, vector m) {
    return poisson_log_lpmf(y | theta[g] + m[g]);
  }
  real nb(vector theta, data array[] int y, data array[] int g, real eta, vector m) {
    return neg_binomial_2_log_lpmf(y | theta[g] + m[g], eta);
  }
  real bern(vector theta, data array[] int y, data array[] int g, vector m) {
    return bernoulli_logit_lpmf(y | theta[g] + m[g]);
  }
  matrix K(data array[] real x, real alpha, real rho) {
    return add_diag(gp_exp_quad_cov(x, alpha, rho), 1e-8);
  }
}
transformed data {
  int n = 5;
  array[5] real xs = {-1.5, -0.4, 0.3, 1.1, 2.0};
  vector[5] yv = [0.3, -0.8, 1.2, 0.4, -0.2]';
  array[6] int cnt = {3, 0, 5, 1, 2, 7};
  array[6] int bin = {1, 0, 1, 1, 0, 1};
  array[6] int grp = {1, 2, 2, 3, 5, 5};
  tuple(vector[5], real, int, int, int, int) ops = (rep_vector(0.1, 5), 1e-8, 200, 2, 10, 1);
}
`

// laplaceLogDensity returns the log density and gradient of the program
// laplaceDecls + body at x.
func laplaceLogDensity(t *testing.T, body string, x []float64) (float64, []float64) {
	t.Helper()
	m := buildSource(t, laplaceDecls+body, nil)
	g := make([]float64, len(x))
	lp, err := m.LogDensity(x, g)
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	return lp, g
}

// TestLaplaceGaussianExact: with a normal likelihood the Laplace
// approximation is exact, so the marginal equals multi_normal_lpdf(y | 0,
// K + σ²I), value and gradient.
func TestLaplaceGaussianExact(t *testing.T) {
	params := "parameters { real<lower=0> sigma; real<lower=0> alpha; real<lower=0> rho; }\n"
	lap := params + "model { target += laplace_marginal(gauss, (sigma, yv), K, (xs, alpha, rho)); }\n"
	exact := params + "model { target += multi_normal_lpdf(yv | rep_vector(0, n), add_diag(K(xs, alpha, rho), square(sigma))); }\n"
	for _, x := range [][]float64{{-0.5, 0.2, -0.1}, {0.3, -0.7, 0.5}, {-1.2, 0.9, 0.8}} {
		lp1, g1 := laplaceLogDensity(t, lap, x)
		lp2, g2 := laplaceLogDensity(t, exact, x)
		if math.Abs(lp1-lp2) > 1e-8 {
			t.Errorf("at %v: Laplace %.12g, multi_normal %.12g (difference %.3g)", x, lp1, lp2, lp1-lp2)
		}
		for i := range g1 {
			if math.Abs(g1[i]-g2[i]) > 1e-6*math.Max(1, math.Abs(g2[i])) {
				t.Errorf("at %v: gradient[%d] Laplace %.10g, multi_normal %.10g", x, i, g1[i], g2[i])
			}
		}
	}
}

// checkLaplaceGrad compares the gradient of the log density of the
// program laplaceDecls + body at x with central finite differences of the
// log density, to rel.
func checkLaplaceGrad(t *testing.T, what, body string, x []float64, rel float64) {
	t.Helper()
	checkLaplaceGradSource(t, what, laplaceDecls+body, x, rel)
}

// checkLaplaceGradSource is checkLaplaceGrad for the whole program src.
func checkLaplaceGradSource(t *testing.T, what, src string, x []float64, rel float64) {
	t.Helper()
	checkModelGrad(t, what, buildSource(t, src, nil), x, rel)
}

// TestLaplaceBuiltinsMatchUser: each built-in likelihood's marginal, by
// every form (_lpmf, _lupmf, ~, _tol), equals the general form's with the
// same likelihood written as a user function, value and gradient (in the
// covariance's parameters, the offsets m and the dispersion). The user
// form's Hessian and third derivatives are finite differences of exact
// gradients, so the gradients agreeing to 1e-8 bounds that error (measured: 1e-10).
func TestLaplaceBuiltinsMatchUser(t *testing.T) {
	params := "parameters { real<lower=0> alpha; real<lower=0> rho; vector[5] m; real<lower=0> eta; }\n"
	x := []float64{0.4, -0.3, 0.5, -0.2, 0.1, 0.3, -0.4, 0.6}
	cov := "K, (xs, alpha, rho)"
	tol := "rep_vector(0.1, n), 1e-8, 200, 1, 1, 10"
	cases := []struct{ name, builtin, tilde, user string }{
		{"poisson_log",
			"laplace_marginal_poisson_log_lpmf(cnt | grp, m, " + cov + ")",
			"cnt ~ laplace_marginal_poisson_log(grp, m, " + cov + ")",
			"laplace_marginal(pois, (cnt, grp, m), " + cov + ")"},
		{"neg_binomial_2_log",
			"laplace_marginal_neg_binomial_2_log_lupmf(cnt | grp, eta, m, " + cov + ")",
			"cnt ~ laplace_marginal_tol_neg_binomial_2_log(grp, eta, m, " + cov + ", " + tol + ")",
			"laplace_marginal(nb, (cnt, grp, eta, m), " + cov + ")"},
		{"bernoulli_logit",
			"laplace_marginal_tol_bernoulli_logit_lpmf(bin | grp, m, " + cov + ", " + tol + ")",
			"bin ~ laplace_marginal_bernoulli_logit(grp, m, " + cov + ")",
			"laplace_marginal_tol(bern, (bin, grp, m), " + cov + ", " + tol + ")"},
	}
	for _, c := range cases {
		lpB, gB := laplaceLogDensity(t, params+"model { target += "+c.builtin+"; }\n", x)
		lpT, gT := laplaceLogDensity(t, params+"model { "+c.tilde+"; }\n", x)
		lpU, gU := laplaceLogDensity(t, params+"model { target += "+c.user+"; }\n", x)
		if math.Abs(lpB-lpU) > 1e-10 || math.Abs(lpT-lpU) > 1e-10 {
			t.Errorf("%s: built-in %.12g, ~ %.12g, user %.12g", c.name, lpB, lpT, lpU)
		}
		for i := range gB {
			if math.Abs(gB[i]-gU[i]) > 1e-8*math.Max(1, math.Abs(gB[i])) || math.Abs(gT[i]-gB[i]) > 1e-6*math.Max(1, math.Abs(gB[i])) {
				t.Errorf("%s: gradient[%d] built-in %.10g, ~ %.10g, user %.10g", c.name, i, gB[i], gT[i], gU[i])
			}
		}
		checkLaplaceGrad(t, c.name+" built-in", params+"model { target += "+c.builtin+"; }\n", x, 1e-6)
		checkLaplaceGrad(t, c.name+" user", params+"model { target += "+c.user+"; }\n", x, 1e-6)
	}
}

// laplaceDenseDecls is a program without its model block whose user
// likelihood has a dense Hessian in θ: each count's rate mixes the latent
// variables through A.
const laplaceDenseDecls = `functions {
  real mix(vector theta, data array[] int y, matrix A, real s) {
    return poisson_log_lpmf(y | s * (A * theta));
  }
  matrix K2(data array[] real x, real alpha, real rho) {
    return add_diag(gp_exp_quad_cov(x, alpha, rho), 1e-6);
  }
}
transformed data {
  array[4] real xs = {-1, 0, 0.5, 1.5};
  array[4] int y = {2, 0, 4, 1};
  matrix[4, 4] A = [[1, 0.3, 0, 0], [0.2, 1, 0.4, 0], [0, 0.1, 1, -0.3], [0.5, 0, 0, 1]];
}
parameters { real<lower=0> alpha; real<lower=0> rho; real<lower=0> s; }
`

// TestLaplaceDenseHessian: a user likelihood whose Hessian is not
// diagonal (each count's rate mixes the latent variables), with
// hessian_block_size the size of θ; gradients against finite differences
// of the whole log density, and the block size 1 a different (wrong)
// approximation, as in Stan.
func TestLaplaceDenseHessian(t *testing.T) {
	decls := laplaceDenseDecls
	x := []float64{0.2, -0.1, -0.3}
	full := decls + "model { target += laplace_marginal_tol(mix, (y, A, s), K2, (xs, alpha, rho), rep_vector(0, 4), 1e-8, 100, 4, 1, 0); }\n"
	lpFull := checkModelGrad(t, "dense Hessian", buildSource(t, full, nil), x, 1e-6)
	diag := decls + "model { target += laplace_marginal(mix, (y, A, s), K2, (xs, alpha, rho)); }\n"
	lpDiag, err := buildSource(t, diag, nil).LogDensity(x, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(lpDiag-lpFull) < 1e-4 {
		t.Errorf("block size 1 gave %v, block size 4 %v: the block size makes no difference", lpDiag, lpFull)
	}
}

// laplace1D is the Laplace approximation of two Poisson counts of one
// latent variable with prior N(0, k), computed by hand: the mode by
// bisection on the derivative of the log joint, the curvature W = 2 e^θ̂.
func laplace1D(y1, y2, k float64) (value, mode, variance float64) {
	dpsi := func(th float64) float64 { return y1 + y2 - 2*math.Exp(th) - th/k }
	lo, hi := -50.0, 50.0
	for range 200 {
		mid := 0.5 * (lo + hi)
		if dpsi(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	th := 0.5 * (lo + hi)
	l1, _ := math.Lgamma(y1 + 1)
	l2, _ := math.Lgamma(y2 + 1)
	lik := (y1+y2)*th - 2*math.Exp(th) - l1 - l2
	w := 2 * math.Exp(th)
	return lik - th*th/(2*k) - 0.5*math.Log(1+k*w), th, 1 / (1/k + w)
}

// TestLaplaceOneDimensional checks the marginal against laplace1D, for
// the built-in and a user likelihood, and the latent draws' mean and
// variance against the approximation's, within 5 standard errors.
func TestLaplaceOneDimensional(t *testing.T) {
	src := `functions {
  real pois(vector theta, data array[] int y, data array[] int g) { return poisson_log_lpmf(y | theta[g]); }
  matrix K1(real a, int one) { return [[square(a) * one]]; }
}
transformed data { array[2] int y = {3, 5}; array[2] int g = {1, 1}; }
parameters { real<lower=0> a; }
model { target += %s; }
generated quantities {
  vector[1] th = laplace_latent_poisson_log_rng(y, g, [0]', K1, (a, 1));
  vector[1] tu = laplace_latent_tol_rng(pois, (y, g), K1, (a, 1), [0.5]', 1e-8, 50, 1, 2, 5);
}
`
	for _, call := range []string{"laplace_marginal_poisson_log_lpmf(y | g, [0]', K1, (a, 1))", "laplace_marginal(pois, (y, g), K1, (a, 1))"} {
		m := buildSource(t, strings.Replace(src, "%s", call, 1), nil)
		for _, ua := range []float64{-1, 0.2, 1.3} {
			a := math.Exp(ua)
			want, _, _ := laplace1D(3, 5, a*a)
			lp, err := m.LogDensityJacobian([]float64{ua}, nil, false)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(lp-want) > 1e-10 {
				t.Errorf("%s at a = %v: %.14g, by hand %.14g", call, a, lp, want)
			}
		}
	}
	m := buildSource(t, strings.Replace(src, "%s", "0", 1), nil)
	a := math.Exp(0.2)
	_, mode, variance := laplace1D(3, 5, a*a)
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]float64, len(m.Names()))
	const draws = 20000
	var sum, sumSq [2]float64
	for range draws {
		if err := m.Write([]float64{0.2}, rng, out); err != nil {
			t.Fatal(err)
		}
		for k := range 2 {
			v := out[len(out)-2+k]
			sum[k] += v
			sumSq[k] += v * v
		}
	}
	for k, name := range []string{"laplace_latent_poisson_log_rng", "laplace_latent_tol_rng"} {
		mean := sum[k] / draws
		v := sumSq[k]/draws - mean*mean
		seMean := math.Sqrt(variance / draws)
		seVar := variance * math.Sqrt(2.0/draws)
		if math.Abs(mean-mode) > 5*seMean || math.Abs(v-variance) > 5*seVar {
			t.Errorf("%s: mean %.5g variance %.5g, approximation N(%.5g, %.5g)", name, mean, v, mode, variance)
		}
	}
}

// TestLaplaceSharedByGoroutines: a program of every Laplace form (a user
// likelihood on the site's scratch tape, a built-in one, latent draws,
// laplace_latent_solve) evaluated by eight models on eight goroutines,
// bit-equal to one model alone: each model keeps its own copy of a call
// site's state.
func TestLaplaceSharedByGoroutines(t *testing.T) {
	src := laplaceDecls + `parameters { real<lower=0> sigma; real<lower=0> alpha; real<lower=0> rho; vector[5] m; }
model {
  target += laplace_marginal(gauss, (sigma, yv), K, (xs, alpha, rho));
  cnt ~ laplace_marginal_poisson_log(grp, m, K, (xs, alpha, rho));
  target += laplace_marginal_tol(bern, (bin, grp, m), K, (xs, alpha, rho), rep_vector(0, n), 1e-8, 100, 1, 1, 0);
}
generated quantities {
  vector[5] t1 = laplace_latent_rng(gauss, (sigma, yv), K, (xs, alpha, rho));
  vector[5] t2 = laplace_latent_neg_binomial_2_log_rng(cnt, grp, 2.0, m, K, (xs, alpha, rho));
  tuple(vector[5], matrix[5, 5]) t3 = laplace_latent_solve(gauss, (sigma, yv), 1, K, (xs, alpha, rho));
}
`
	checkSharedProgram(t, src, nil)
}

// TestLaplaceRuntimeErrors: controls, sizes and data Stan rejects fail
// the evaluation with a message naming the function and the problem.
func TestLaplaceRuntimeErrors(t *testing.T) {
	params := "parameters { real<lower=0> alpha; real<lower=0> rho; }\n"
	cov := "K, (xs, alpha, rho)"
	for _, c := range []struct{ call, want string }{
		{"laplace_marginal_tol_poisson_log_lpmf(cnt | grp, rep_vector(0, n), " + cov + ", rep_vector(0, n), 1e-6, 100, 2, 1, 0)",
			"laplace_marginal_tol_poisson_log_lpmf: hessian_block_size is 2, but must be positive and divide the size of the latent vector, 5"},
		{"laplace_marginal_tol_poisson_log_lpmf(cnt | grp, rep_vector(0, n), " + cov + ", rep_vector(0, 4), 1e-6, 100, 1, 1, 0)",
			"the initial guess theta_init has size 4, but the covariance matrix is 5×5"},
		{"laplace_marginal_tol_poisson_log_lpmf(cnt | grp, rep_vector(0, n), " + cov + ", rep_vector(0, n), 1e-6, 100, 1, 4, 0)",
			"solver is 4, but must be 1, 2 or 3"},
		{"laplace_marginal_tol(pois, (cnt, grp, rep_vector(0, n)), " + cov + ", rep_vector(0, n), 1e-12, 1, 1, 1, 0)",
			"reached the maximum number of steps (1)"},
		{"laplace_marginal_poisson_log_lpmf(cnt | {1, 2, 2, 3, 5, 6}, rep_vector(0, n), " + cov + ")",
			"y_index[6] is 6, but must be between 1 and 5"},
		{"laplace_marginal_bernoulli_logit_lpmf(cnt | grp, rep_vector(0, n), " + cov + ")",
			"y[1] is 3, but must be 0 or 1"},
		{"laplace_marginal_poisson_log_lpmf(cnt | grp, rep_vector(0, 3), " + cov + ")",
			"m has size 3, but the covariance matrix is 5×5"},
	} {
		m := buildSource(t, laplaceDecls+params+"model { target += "+c.call+"; }\n", nil)
		_, err := m.LogDensity([]float64{0.1, 0.2}, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.call, err, c.want)
		}
	}
}

// TestLaplaceIndefiniteCovariance: where the approximation's covariance
// at the mode is not positive definite (K indefinite, I + K W with a
// positive determinant), the value is refused in generated quantities as
// in the model block, where the gradient factors the same blocks; it was
// returned there, unchecked.
func TestLaplaceIndefiniteCovariance(t *testing.T) {
	const src = `functions {
  matrix K(real c) { return [[1, c], [c, 1]]; }
}
data { array[2] int y; real c; }
parameters { real a; }
model { a ~ normal(0, 1); TARGET }
generated quantities { real lm = laplace_marginal_poisson_log_lpmf(y | {1, 2}, rep_vector(0, 2), K, (c,)); }
`
	const want = "the covariance of the Laplace approximation is not positive definite at the mode"
	for _, c := range []struct {
		cov    float64
		target string
		fails  bool
	}{
		{0.5, "", false},
		{1.5, "", true},
		{1.5, "target += laplace_marginal_poisson_log_lpmf(y | {1, 2}, rep_vector(0, 2), K, (c,));", true},
	} {
		m := buildSource(t, strings.Replace(src, "TARGET", c.target, 1), model.Data{"y": {Dims: []int{2}, Elems: []float64{1, 2}, Int: true}, "c": {Elems: []float64{c.cov}}})
		var err error
		if c.target != "" {
			_, err = m.LogDensity([]float64{0.2}, make([]float64, 1))
		} else {
			err = m.Write([]float64{0.2}, rand.New(rand.NewPCG(1, 1)), make([]float64, len(m.Names())))
		}
		if got := err != nil && strings.Contains(err.Error(), want); got != c.fails {
			t.Errorf("c = %v, %q: error %v, want failure %v", c.cov, c.target, err, c.fails)
		}
	}
}

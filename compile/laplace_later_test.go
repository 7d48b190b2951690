package compile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The later generation of the embedded Laplace signatures: a positional
// hessian_block_size after the likelihood's part and, in the _tol forms,
// one tuple of the other controls. Each later call computes what the Stan
// 2.37 call with the same controls does.

// TestLaplaceLaterFormsMatch: every form, spelled both ways, gives the
// same log density and gradient: bit for bit with the same controls (the
// _tol forms), to 1e-9 with each generation's defaults.
func TestLaplaceLaterFormsMatch(t *testing.T) {
	params := "parameters { real<lower=0> alpha; real<lower=0> rho; vector[5] m; real<lower=0> eta; }\n"
	x := []float64{0.4, -0.3, 0.5, -0.2, 0.1, 0.3, -0.4, 0.6}
	cov := "K, (xs, alpha, rho)"
	old := "rep_vector(0.1, n), 1e-8, 200, 1, 2, 10"
	ops := "(rep_vector(0.1, n), 1e-8, 200, 2, 10, 1)"
	cases := []struct {
		name, v237, later string
		exact             bool
	}{
		{"laplace_marginal", "target += laplace_marginal(nb, (cnt, grp, eta, m), " + cov + ");",
			"target += laplace_marginal(nb, (cnt, grp, eta, m), 1, " + cov + ");", false},
		{"laplace_marginal_tol", "target += laplace_marginal_tol(nb, (cnt, grp, eta, m), " + cov + ", " + old + ");",
			"target += laplace_marginal_tol(nb, (cnt, grp, eta, m), 1, " + cov + ", " + ops + ");", true},
		{"ops a variable", "target += laplace_marginal_tol(bern, (bin, grp, m), " + cov + ", " + old + ");",
			"target += laplace_marginal_tol(bern, (bin, grp, m), 1, " + cov + ", ops);", true},
		{"poisson_log_lpmf", "target += laplace_marginal_poisson_log_lpmf(cnt | grp, m, " + cov + ");",
			"target += laplace_marginal_poisson_log_lpmf(cnt | grp, m, 1, " + cov + ");", false},
		{"poisson_log ~", "cnt ~ laplace_marginal_poisson_log(grp, m, " + cov + ");",
			"cnt ~ laplace_marginal_poisson_log(grp, m, 1, " + cov + ");", false},
		{"tol_poisson_log_lupmf", "target += laplace_marginal_tol_poisson_log_lupmf(cnt | grp, m, " + cov + ", " + old + ");",
			"target += laplace_marginal_tol_poisson_log_lupmf(cnt | grp, m, 1, " + cov + ", " + ops + ");", true},
		{"neg_binomial_2_log_lupmf", "target += laplace_marginal_neg_binomial_2_log_lupmf(cnt | grp, eta, m, " + cov + ");",
			"target += laplace_marginal_neg_binomial_2_log_lupmf(cnt | grp, eta, m, 1, " + cov + ");", false},
		{"tol_neg_binomial_2_log ~", "cnt ~ laplace_marginal_tol_neg_binomial_2_log(grp, eta, m, " + cov + ", " + old + ");",
			"cnt ~ laplace_marginal_tol_neg_binomial_2_log(grp, eta, m, 1, " + cov + ", " + ops + ");", true},
		{"bernoulli_logit_lpmf", "target += laplace_marginal_bernoulli_logit_lpmf(bin | grp, m, " + cov + ");",
			"target += laplace_marginal_bernoulli_logit_lpmf(bin | grp, m, 1, " + cov + ");", false},
		{"tol_bernoulli_logit_lpmf", "target += laplace_marginal_tol_bernoulli_logit_lpmf(bin | grp, m, " + cov + ", " + old + ");",
			"target += laplace_marginal_tol_bernoulli_logit_lpmf(bin | grp, m, 1, " + cov + ", " + ops + ");", true},
	}
	for _, c := range cases {
		lp1, g1 := laplaceLogDensity(t, params+"model {\n  "+c.v237+"\n}\n", x)
		lp2, g2 := laplaceLogDensity(t, params+"model {\n  "+c.later+"\n}\n", x)
		tol := 1e-9
		if c.exact {
			tol = 0
		}
		if math.Abs(lp1-lp2) > tol {
			t.Errorf("%s: Stan 2.37 form %.15g, later form %.15g", c.name, lp1, lp2)
		}
		for i := range g1 {
			if math.Abs(g1[i]-g2[i]) > tol*math.Max(1, math.Abs(g1[i])) {
				t.Errorf("%s: gradient[%d] Stan 2.37 form %.12g, later form %.12g", c.name, i, g1[i], g2[i])
			}
		}
	}
}

// TestLaplaceLaterBlockSize: the positional hessian_block_size reaches the
// solver: a likelihood with a dense Hessian gives with block size 4 what
// the 2.37 _tol form with block size 4 and the later defaults gives, and
// with block size 1 something else.
func TestLaplaceLaterBlockSize(t *testing.T) {
	decls := laplaceDenseDecls
	x := []float64{0.2, -0.1, -0.3}
	lp := func(call string) float64 {
		v, err := buildSource(t, decls+"model { target += "+call+"; }\n", nil).LogDensity(x, nil)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	later := lp("laplace_marginal(mix, (y, A, s), 4, K2, (xs, alpha, rho))")
	v237 := lp("laplace_marginal_tol(mix, (y, A, s), K2, (xs, alpha, rho), rep_vector(0, 4), 1.49012e-8, 500, 4, 1, 1000)")
	diag := lp("laplace_marginal(mix, (y, A, s), 1, K2, (xs, alpha, rho))")
	if later != v237 {
		t.Errorf("block size 4: later form %.15g, Stan 2.37 _tol form %.15g", later, v237)
	}
	if math.Abs(later-diag) < 1e-4 {
		t.Errorf("block size 1 gave %v, block size 4 %v: the positional block size makes no difference", diag, later)
	}
	checkLaplaceGradSource(t, "later block size 4", decls+"model { target += laplace_marginal(mix, (y, A, s), 4, K2, (xs, alpha, rho)); }\n", x, 1e-6)
}

// TestLaplaceLaterDraws: the latent draws of the two generations, from
// the same random numbers, agree: to 1e-9 with each generation's
// defaults, bit for bit with the same controls.
func TestLaplaceLaterDraws(t *testing.T) {
	gq := `parameters { real<lower=0> alpha; real<lower=0> rho; vector[5] m; }
generated quantities {
  vector[5] a = laplace_latent_rng(pois, (cnt, grp, m), %s K, (xs, alpha, rho));
  vector[5] b = laplace_latent_neg_binomial_2_log_rng(cnt, grp, 2.5, m, %s K, (xs, alpha, rho));
  vector[5] c = laplace_latent_tol_bernoulli_logit_rng(bin, grp, m, %s K, (xs, alpha, rho), %s);
  vector[5] d = laplace_latent_tol_rng(gauss, (0.7, yv), %s K, (xs, alpha, rho), %s);
}
`
	old := "rep_vector(0, n), 1e-8, 100, 1, 1, 0"
	ops := "(rep_vector(0, n), 1e-8, 100, 1, 0, 1)"
	v237 := fmt.Sprintf(gq, "", "", "", old, "", old)
	later := fmt.Sprintf(gq, "1,", "1,", "1,", ops, "1,", ops)
	x := []float64{0.1, -0.2, 0.3, -0.1, 0.2, 0.0, 0.4}
	draw := func(src string) []float64 {
		m := buildSource(t, laplaceDecls+src, nil)
		out := make([]float64, len(m.Names()))
		if err := m.Write(x, rand.New(rand.NewPCG(1, 2)), out); err != nil {
			t.Fatal(err)
		}
		return out[len(out)-20:]
	}
	d1, d2 := draw(v237), draw(later)
	for i := range d1 {
		tol := 1e-9
		if i >= 10 {
			tol = 0
		}
		if math.Abs(d1[i]-d2[i]) > tol {
			t.Errorf("draw %d (of %c): Stan 2.37 form %.15g, later form %.15g", i, "abcd"[i/5], d1[i], d2[i])
		}
	}
}

// TestLaplaceLineSearchGradient: with the line search on (the later
// forms' default, 1000 halvings) the gradient still matches finite
// differences: the step after convergence, which takes the mode to
// machine precision, is not halved away when rounding lowers the
// objective.
func TestLaplaceLineSearchGradient(t *testing.T) {
	params := "parameters { real<lower=0> alpha; real<lower=0> rho; vector[5] m; }\n"
	x := []float64{0.3, -0.2, 0.5, 0.4, -0.3, 0.2, 0.1}
	for _, call := range []string{
		"laplace_marginal_poisson_log_lpmf(cnt | grp, m, 1, K, (xs, alpha, rho))",
		"laplace_marginal_tol_poisson_log_lpmf(cnt | grp, m, K, (xs, alpha, rho), rep_vector(0, n), 1e-8, 100, 1, 1, 1000)",
		"laplace_marginal(pois, (cnt, grp, m), 1, K, (xs, alpha, rho))",
	} {
		checkLaplaceGrad(t, call, params+"model { target += "+call+"; }\n", x, 1e-6)
	}
}

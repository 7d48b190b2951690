package compile

import (
	"math"
	"testing"
)

// Tests of the embedded Laplace approximation: exactness for a Gaussian
// likelihood, the built-in likelihoods against the same likelihoods written
// as user functions, gradients against finite differences, a hand-computed
// one-dimensional approximation, and the latent draws' moments.

// laplaceDecls are the functions and data the tests share: a squared
// exponential covariance over 5 points, counts, binary outcomes and their
// groups (two observations share group 2, group 4 has none).
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

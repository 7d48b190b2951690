package compile

import (
	"math"
	"testing"
)

// Tuple-typed and complex members of the likelihood's and the covariance
// function's argument tuples: Stan passes each member to the function as
// one argument, whatever its type, so a model written with tuple (or
// complex) parameters computes what the same model written without them
// does, value and gradient.

const laplaceTupleFuncs = `functions {
  real nbt(vector theta, tuple(array[] int, array[] int) d, tuple(real, vector) p) {
    return neg_binomial_2_log_lpmf(d.1 | theta[d.2] + p.2[d.2], p.1);
  }
  real nbn(vector theta, tuple(tuple(real, vector), array[] int) p, data array[] int g) {
    return neg_binomial_2_log_lpmf(p.2 | theta[g] + p.1.2[g], p.1.1);
  }
  real gz(vector theta, complex z, data vector y) {
    return normal_lpdf(y | theta + get_imag(z), get_real(z));
  }
  real g2(vector theta, real s, real mu, data vector y) {
    return normal_lpdf(y | theta + mu, s);
  }
  real gzv(vector theta, tuple(complex_vector, real) z, data vector y) {
    return normal_lpdf(y | get_real(z.1) + theta, z.2 + get_imag(z.1[1]));
  }
  matrix Kt(tuple(array[] real, real) a, real rho) {
    return add_diag(gp_exp_quad_cov(a.1, a.2, rho), 1e-8);
  }
  matrix Kz(data array[] real x, complex z) {
    return add_diag(gp_exp_quad_cov(x, get_real(z), get_imag(z)), 1e-8);
  }
  matrix Kn(tuple(tuple(array[] real, real), real) a, int one) {
    return add_diag(one * gp_exp_quad_cov(a.1.1, a.1.2, a.2), 1e-8);
  }
`

// laplaceTupleModel is laplaceDecls + body with the tuple functions added
// to its functions block.
func laplaceTupleModel(body string) string {
	return laplaceTupleFuncs + laplaceDecls[len("functions {\n"):] + body
}

func laplaceTupleDensity(t *testing.T, src string, x []float64) (float64, []float64) {
	t.Helper()
	m := buildSource(t, src, nil)
	g := make([]float64, len(x))
	lp, err := m.LogDensity(x, g)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return lp, g
}

// TestLaplaceTupleMembers: likelihoods and covariance functions taking
// tuples (nested, passed as literals and as variables) and complex
// numbers give the value and gradient of the same model written with
// plain arguments, and their gradients match finite differences.
func TestLaplaceTupleMembers(t *testing.T) {
	params := "parameters { real<lower=0> alpha; real<lower=0> rho; vector[5] m; real<lower=0> eta; real<lower=0> sigma; real mu; }\n"
	x := []float64{0.4, -0.3, 0.5, -0.2, 0.1, 0.3, -0.4, 0.6, -0.2, 0.15}
	flatNB := "laplace_marginal(nb, (cnt, grp, eta, m), K, (xs, alpha, rho))"
	flatG := "laplace_marginal(g2, (sigma, mu, yv), K, (xs, alpha, rho))"
	cases := []struct{ name, flat, body string }{
		{"tuple members", flatNB, "target += laplace_marginal(nbt, ((cnt, grp), (eta, m)), K, (xs, alpha, rho));"},
		{"nested tuple member", flatNB, "target += laplace_marginal(nbn, (((eta, m), cnt), grp), K, (xs, alpha, rho));"},
		{"tuple variables", flatNB, "tuple(real, vector[5]) p = (eta, m); tuple(tuple(real, vector[5]), array[6] int) q = (p, cnt);\n" +
			"  target += laplace_marginal(nbn, (q, grp), Kt, ((xs, alpha), rho));"},
		{"argument tuple a variable", flatNB, "tuple(tuple(tuple(real, vector[5]), array[6] int), array[6] int) a = (((eta, m), cnt), grp);\n" +
			"  tuple(tuple(tuple(array[5] real, real), real), int) k = (((xs, alpha), rho), 1);\n" +
			"  target += laplace_marginal(nbn, a, Kn, k);"},
		{"complex covariance argument", flatNB, "target += laplace_marginal(nb, (cnt, grp, eta, m), Kz, (xs, to_complex(alpha, rho)));"},
		{"complex member", flatG, "target += laplace_marginal(gz, (to_complex(sigma, mu), yv), K, (xs, alpha, rho));"},
		{"complex vector in a tuple", flatG, "complex_vector[5] z = to_complex(rep_vector(mu, 5), rep_vector(0, 5));\n" +
			"  z[1] = to_complex(mu, sigma);\n" +
			"  target += laplace_marginal(gzv, ((z, 0), yv), Kt, ((xs, alpha), rho));"},
	}
	for _, c := range cases {
		flat := laplaceTupleModel(params + "model { target += " + c.flat + "; }\n")
		tup := laplaceTupleModel(params + "model {\n  " + c.body + "\n}\n")
		lpF, gF := laplaceTupleDensity(t, flat, x)
		lpT, gT := laplaceTupleDensity(t, tup, x)
		if math.Abs(lpF-lpT) > 1e-10 {
			t.Errorf("%s: %.12g, written without tuples %.12g", c.name, lpT, lpF)
		}
		for i := range gF {
			if math.Abs(gF[i]-gT[i]) > 1e-8*math.Max(1, math.Abs(gF[i])) {
				t.Errorf("%s: gradient[%d] %.10g, written without tuples %.10g", c.name, i, gT[i], gF[i])
			}
		}
		checkLaplaceGradSource(t, c.name, tup, x, 1e-6)
	}
}

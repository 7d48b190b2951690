package compile

import (
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/internal/race"
)

// laplaceAllocCases are Laplace models whose log density and gradient
// must allocate nothing after the first evaluation: built-in and user
// likelihoods, a block size of 1 and a dense block, an initial guess
// (whose K⁻¹θ₀ is a solve of its own), and 100 latent values, where
// gonum's Gemm would go parallel.
var laplaceAllocCases = []struct {
	name, src string
	x         []float64
}{
	{"builtin", laplaceDecls + `parameters { real<lower=0> alpha; real<lower=0> rho; vector[5] m; }
model { cnt ~ laplace_marginal_poisson_log(grp, m, K, (xs, alpha, rho)); }
`, []float64{0.4, -0.3, 0.5, -0.2, 0.1, 0.3, -0.4}},
	{"builtin_tol", laplaceDecls + `parameters { real<lower=0> alpha; real<lower=0> rho; vector[5] m; real<lower=0> eta; }
model { cnt ~ laplace_marginal_tol_neg_binomial_2_log(grp, eta, m, 1, K, (xs, alpha, rho), ops); }
`, []float64{0.4, -0.3, 0.5, -0.2, 0.1, 0.3, -0.4, 0.6}},
	{"user", laplaceDecls + `parameters { real<lower=0> alpha; real<lower=0> rho; vector[5] m; real<lower=0> eta; }
model { target += laplace_marginal(nb, (cnt, grp, eta, m), K, (xs, alpha, rho)); }
`, []float64{0.4, -0.3, 0.5, -0.2, 0.1, 0.3, -0.4, 0.6}},
	{"user_block4", laplaceDenseDecls + `model { target += laplace_marginal_tol(mix, (y, A, s), K2, (xs, alpha, rho), rep_vector(0, 4), 1e-8, 100, 4, 1, 0); }
`, []float64{0.2, -0.1, -0.3}},
	{"builtin_n100", `functions {
  matrix K(data array[] real x, real alpha, real rho) {
    return add_diag(gp_exp_quad_cov(x, alpha, rho), 1e-6);
  }
}
transformed data {
  int n = 100;
  array[n] real xs = linspaced_array(n, 0, 10);
  array[n] int y;
  array[n] int g;
  for (i in 1:n) {
    y[i] = i %/% 7 % 4;
    g[i] = i;
  }
}
parameters { real<lower=0> alpha; real<lower=0> rho; }
model { y ~ laplace_marginal_poisson_log(g, rep_vector(0, n), K, (xs, alpha, rho)); }
`, []float64{0.1, 0.3}},
}

// TestLaplaceAllocations: a steady-state log density and gradient of a
// Laplace marginal allocates nothing, its working memory kept in the
// model's copy of the call site.
func TestLaplaceAllocations(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts differ under the race detector")
	}
	for _, c := range laplaceAllocCases {
		m := buildSource(t, c.src, nil)
		g := make([]float64, len(c.x))
		if _, err := m.LogDensity(c.x, g); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n := testing.AllocsPerRun(10, func() { m.LogDensity(c.x, g) }); n != 0 {
			t.Errorf("%s: a gradient evaluation allocates %v times", c.name, n)
		}
	}
	// The latent draws and laplace_latent_solve in generated quantities.
	m := buildSource(t, laplaceDecls+`parameters { real<lower=0> sigma; real<lower=0> alpha; real<lower=0> rho; vector[5] m; }
model { sigma ~ normal(0, 1); }
generated quantities {
  vector[5] t1 = laplace_latent_rng(gauss, (sigma, yv), K, (xs, alpha, rho));
  vector[5] t2 = laplace_latent_neg_binomial_2_log_rng(cnt, grp, 2.0, m, K, (xs, alpha, rho));
  tuple(vector[5], matrix[5, 5]) t3 = laplace_latent_solve(gauss, (sigma, yv), 1, K, (xs, alpha, rho));
  vector[5] t4 = laplace_latent_tol_rng(bern, (bin, grp, m), K, (xs, alpha, rho), rep_vector(0.1, n), 1e-8, 100, 1, 1, 0);
}
`, nil)
	out := make([]float64, len(m.Names()))
	x := []float64{0.4, -0.3, 0.5, -0.2, 0.1, 0.3, -0.4, 0.6}
	rng := rand.New(rand.NewPCG(1, 2))
	if err := m.Write(x, rng, out); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(10, func() { m.Write(x, rng, out) }); n != 0 {
		t.Errorf("generated quantities of latent draws and solves allocate %v times", n)
	}
}

// BenchmarkLaplace is one steady-state log density and gradient of each
// of laplaceAllocCases.
func BenchmarkLaplace(b *testing.B) {
	for _, c := range laplaceAllocCases {
		b.Run(c.name, func(b *testing.B) {
			p, err := Source("bench.stan", []byte(c.src))
			if err != nil {
				b.Fatal(err)
			}
			m, err := p.NewModel(nil, 1)
			if err != nil {
				b.Fatal(err)
			}
			g := make([]float64, len(c.x))
			if _, err := m.LogDensity(c.x, g); err != nil { // the storage grows
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.LogDensity(c.x, g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package compile

import (
	"math"
	"testing"

	"github.com/gostan/gostan/model"
)

// slotsProgram calls, at least once each, the expressions, functions,
// densities and rngs whose closures keep per-model state in slots:
// int promotion, literals, indexing, products, solves, reduce_sum,
// map_rect, density arguments, truncation bounds, a user family's
// truncation, GLM design matrices, vectorised and multivariate rngs.
const slotsProgram = `
functions {
  real part(array[] real xs, int start, int end, real mu) { return normal_lpdf(xs | mu, 1); }
  vector job(vector phi, vector th, array[] real xr, array[] int xi) { return [phi[1] + th[1] * xr[1] + xi[1]]'; }
  real myn_lpdf(real y, real mu) { return normal_lpdf(y | mu, 1); }
  real myn_lcdf(real y, real mu) { return normal_lcdf(y | mu, 1); }
  real myn_lccdf(real y, real mu) { return normal_lccdf(y | mu, 1); }
  complex twice(complex z) { return 2 * z; }
}
data {
  int N;
  vector[N] y;
  matrix[N, 2] X;
  array[N] int k;
  array[2, 1] real xr;
  array[2, 1] int xi;
}
parameters { real mu; real<lower=0> sigma; vector[2] beta; }
model {
  array[N] real ys;
  for (n in 1:N) ys[n] = y[n];
  vector[N] eta = X * beta + mu;
  matrix[2, 2] M = [[2, mu], [beta[1], 3]];
  array[2] vector[2] av = {beta, beta * 2};
  row_vector[2] rb = beta';
  av[2] = av[1];
  target += normal_id_glm_lpdf(y | X, mu, beta, sigma);
  target += reduce_sum(part, ys, 1, mu);
  target += sum(map_rect(job, [mu]', av, xr, xi));
  target += sum(M \ beta) + determinant(M) + sum(inverse(M)) + rb * beta;
  target += poisson_log_lpmf(k | eta) + normal_lpdf(k | eta, 10);
  target += multi_normal_lpdf(av | beta, [[2, 0.5], [0.5, 1]]);
  target += sum(exp(beta)) + sum(pow(exp(beta), beta)) + sum(pow(beta, 2)) + sum(beta .* av[2]) + sum(2 * beta);
  target += get_real(twice(to_complex(mu, 1)));
  y[1] ~ normal(mu, sigma) T[-10, 10];
  k[3] ~ poisson(3) T[0, 20];
  mu ~ myn(0) T[-5, 5];
}
generated quantities {
  vector[2] d = dirichlet_rng([1, 2]');
  array[N] real r = normal_rng(X * beta + mu, sigma);
  vector[2] mv = multi_normal_rng(beta, [[1, 0], [0, 1]]);
  int c = categorical_rng([0.2, 0.8]');
  real w = wiener_lpdf(1.0 | 2, 0.1, 0.5, mu);
  matrix[2, 2] L = lkj_corr_cholesky_rng(2, 2.0);
  array[2] int mn = multinomial_rng([0.5, 0.5]', 10);
  array[N] int kk = poisson_rng(k);
}
`

func slotsData(scale float64) model.Data {
	return model.Data{
		"N":  {Int: true, Elems: []float64{3}},
		"y":  {Dims: []int{3}, Elems: []float64{0.2, -0.4, 1.1}},
		"X":  {Dims: []int{3, 2}, Elems: []float64{scale, 0.5, -scale, 1, 0.3 * scale, -0.2}},
		"k":  {Dims: []int{3}, Int: true, Elems: []float64{1, 0, 4}},
		"xr": {Dims: []int{2, 1}, Elems: []float64{0.5, -1}},
		"xi": {Dims: []int{2, 1}, Int: true, Elems: []float64{1, 2}},
	}
}

// TestSlotsSharedByGoroutines evaluates eight models of slotsProgram on
// eight goroutines: each gives what one model alone gives, bit for bit.
// Under the race detector it proves that these closures share no state.
func TestSlotsSharedByGoroutines(t *testing.T) {
	checkSharedProgram(t, slotsProgram, slotsData(1))
}

// TestDataCachesPerModel makes two models with different data from one
// Program: each product with a data matrix and each GLM uses its own
// model's matrix, which each converts to float64 once.
func TestDataCachesPerModel(t *testing.T) {
	p, checkErr, compileErr := compileSource(`
data { int N; vector[N] y; matrix[N, 2] X; }
parameters { vector[2] beta; }
model {
  target += sum(X * beta);
  target += normal_id_glm_lpdf(y | X, 0, beta, 1);
}`)
	if checkErr != nil || compileErr != nil {
		t.Fatal(checkErr, compileErr)
	}
	beta := []float64{0.3, -0.7}
	// want is the log density for data d, in Go.
	want := func(d model.Data) float64 {
		x, y := d["X"].Elems, d["y"].Elems
		lp := 0.0
		for n := range y {
			mu := x[2*n]*beta[0] + x[2*n+1]*beta[1] // X is row-major
			z := y[n] - mu
			lp += mu - 0.5*z*z - 0.5*math.Log(2*math.Pi)
		}
		return lp
	}
	var models []*Model
	for _, scale := range []float64{1, 3} {
		m, err := p.NewModel(slotsData(scale), 1)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	// Both evaluate before either is checked, so that a cache shared by
	// the models would hold the first model's matrix for the second.
	lps := make([]float64, len(models))
	for i, m := range models {
		lp, err := m.LogDensity(beta, nil)
		if err != nil {
			t.Fatal(err)
		}
		lps[i] = lp
	}
	for i, scale := range []float64{1, 3} {
		if w := want(slotsData(scale)); math.Abs(lps[i]-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("model with scale %v: lp %v, want %v", scale, lps[i], w)
		}
	}
}

// TestAssignFromOwnView assigns variables values that are themselves or
// views of their storage, which assignment copies in place.
func TestAssignFromOwnView(t *testing.T) {
	m := buildSource(t, `
parameters { vector[3] x; }
model {
  vector[3] v = x;
  row_vector[3] r = x';
  array[2] vector[3] a = {x, 2 * x};
  v = (v')';
  r = 1 ? r : 2 * x';
  a = 0 ? a : a;
  a[1] = a[2];
  target += dot_product(v, [1, 2, 3]') + r * [4, 5, 6]' + sum(a[1]);
}`, nil)
	checkModelAt(t, "assignment from a view", m, []float64{0.5, -1, 2}, func(x []float64) float64 {
		lp := 0.0
		for i, xi := range x {
			lp += xi*float64(i+1) + xi*float64(i+4) + 2*xi
		}
		return lp
	})
}

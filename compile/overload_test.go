package compile

import (
	"math"
	"testing"

	"github.com/gostan/gostan/model"
)

// TestOverloadedFunctions runs calls of overloaded user-defined functions:
// each call runs the overload the checker chose, by argument types with
// the fewest promotions, whether defined or forward-declared, overloading
// a library function or passed to a higher-order function.
func TestOverloadedFunctions(t *testing.T) {
	decls := `functions {
  real f(real a) { return 2 * a; }
  real f(vector a) { return sum(a); }
  real f(int n) { return 10 * n; }
  real g(real a);
  real g(complex z);
  real g(real a) { return 3 * a; }
  real g(complex z) { return 100 * get_imag(z) + get_real(z); }
  real log_sum_exp(real a, real b, real c) { return log_sum_exp({a, b, c}); }
  real part(array[] real y, int s, int e, real mu) { return mu * sum(y); }
  real part(array[] real y, int s, int e, vector mu) { return dot_product(to_vector(y), mu[s:e]); }
  vector rhs(real t, vector y, real k) { return -k * y; }
  vector rhs(real t, vector y, vector k) { return -k[1] * y + k[2]; }
}
transformed data { array[3] real ys = {1.0, 2.0, 3.0}; }`
	x := func(v []float64, i int) float64 { return v[i-1] }
	checkExprs(t, decls, []float64{0.5, -0.25, 1.5}, []exprCase{
		// f(real), f(vector) and f(int), the int literal not promoted.
		{"f(x[1]) + f(x) + f(3)", func(v []float64) float64 { return 2*x(v, 1) + x(v, 1) + x(v, 2) + x(v, 3) + 30 }},
		// An int goes to g(real) (one promotion), not g(complex) (two).
		{"g(2) + g(x[1]) + g(to_complex(x[2], x[3]))", func(v []float64) float64 { return 6 + 3*x(v, 1) + 100*x(v, 3) + x(v, 2) }},
		// The library's two-argument log_sum_exp beside the user's three.
		{"log_sum_exp(x[1], x[2], x[3]) + log_sum_exp(x[1], x[2])", func(v []float64) float64 {
			a, b, c := x(v, 1), x(v, 2), x(v, 3)
			return math.Log(math.Exp(a)+math.Exp(b)+math.Exp(c)) + math.Log(math.Exp(a)+math.Exp(b))
		}},
		// reduce_sum passes the overload its arguments fit.
		{"reduce_sum(part, ys, 1, x[1]) + reduce_sum(part, ys, 2, x)", func(v []float64) float64 {
			return 6*x(v, 1) + x(v, 1) + 2*x(v, 2) + 3*x(v, 3)
		}},
		// So do the ODE solvers: y' = -k y, and y' = -k1 y + k2.
		{"ode_rk45_tol(rhs, [1.0]', 0, {1.0}, 1e-10, 1e-10, 100000, exp(x[1]))[1][1] + ode_rk45_tol(rhs, [1.0]', 0, {1.0}, 1e-10, 1e-10, 100000, [exp(x[2]), x[3]]')[1][1]",
			func(v []float64) float64 {
				k, k1, k2 := math.Exp(x(v, 1)), math.Exp(x(v, 2)), x(v, 3)
				return math.Exp(-k) + k2/k1 + (1-k2/k1)*math.Exp(-k1)
			}},
	})

	// A density overloading the library's, through ~ and _lupdf, and
	// overloaded user densities.
	src := `functions {
  real normal_lpdf(real y, real mu, real s, real w) { return w * normal_lpdf(y | mu, s); }
  real foo_lpdf(real y, real mu) { return -square(y - mu); }
  real foo_lpdf(vector y, real mu) { return -4 * dot_self(y - mu); }
}
parameters { real y; vector[2] z; }
model {
  y ~ normal(0, 1, 2);
  target += normal_lupdf(y | 0, 1, 3);
  y ~ foo(1);
  z ~ foo(y);
}
`
	m := buildSource(t, src, nil)
	checkModelAt(t, "user densities", m, []float64{0.5, -1, 2}, func(v []float64) float64 {
		y := v[0]
		n := -0.5*y*y - 0.5*math.Log(2*math.Pi)
		return 5*n - (y-1)*(y-1) - 4*((v[1]-y)*(v[1]-y)+(v[2]-y)*(v[2]-y))
	})
}

// TestOverloadedTruncation truncates a user family whose CDF is
// overloaded: the overload the arguments fit without promotion is used.
func TestOverloadedTruncation(t *testing.T) {
	src := `functions {
  real foo_lpdf(real y, real mu) { return -square(y - mu); }
  real foo_lpdf(real y, int mu) { return -square(y - mu); }
  real foo_lcdf(real y, real mu) { return log(y); }
  real foo_lcdf(real y, int mu) { return 2 * log(y); }
  real foo_lccdf(real y, real mu) { return log1m(y); }
  real foo_lccdf(real y, int mu) { return 2 * log1m(y); }
}
parameters { real<lower=0, upper=1> y; }
model { y ~ foo(0.0) T[, 0.5]; y ~ foo(0) T[, 0.25]; }
`
	m := buildSource(t, src, nil)
	checkModelAt(t, "overloaded CDFs", m, []float64{-2}, func(v []float64) float64 {
		y := 1 / (1 + math.Exp(-v[0]))
		// foo_lcdf(0.5 | 0.0) = log 0.5; foo_lcdf(0.25 | 0) = 2 log 0.25.
		return -2*y*y - math.Log(0.5) - 2*math.Log(0.25) + math.Log(y*(1-y))
	})
}

// TestIntMultiply: the product of ints is an int, so it may size, index
// and be passed where ints are required; compound *= keeps an int an int.
func TestIntMultiply(t *testing.T) {
	decls := `data { int N; }
transformed data { int n = N * 3; n *= 2; }`
	src := decls + "\nparameters { vector[2] x; }\nmodel { target += choose(n, 2) * x[1] + ((n * n) %/% 5) * x[2]; }\n"
	m := buildSource(t, src, map[string]*model.Value{"N": {Elems: []float64{2}, Int: true}})
	// n = 12: choose(12, 2) = 66 and 144 %/% 5 = 28.
	checkModelAt(t, "int products", m, []float64{0.5, 2}, func(v []float64) float64 { return 66*v[0] + 28*v[1] })
}

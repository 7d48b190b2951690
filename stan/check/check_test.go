package check

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/internal/asttest"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/scanner"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

func parseCheck(fset *token.FileSet, name string, src []byte) (*Info, error) {
	prog, err := parser.ParseFile(fset, name, src, nil)
	if err != nil {
		return nil, err
	}
	return Check(fset, prog)
}

// TestPosteriorDB checks every model of the PosteriorDB tree named by
// $GOSTAN_POSTERIORDB in both syntaxes, or the fixtures without it.
func TestPosteriorDB(t *testing.T) {
	root := os.Getenv("GOSTAN_POSTERIORDB")
	dirs := []string{filepath.Join("..", "..", "testdata", "posteriordb", "models", "stan")}
	if root != "" {
		dirs = []string{filepath.Join(root, "models", "stan"), filepath.Join(root, "models", "stan_legacy")}
	} else {
		t.Log("GOSTAN_POSTERIORDB is not set: checking only the fixtures in testdata")
	}
	n := 0
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.stan"))
		if len(files) == 0 {
			t.Fatalf("no models in %s", dir)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fset := token.NewFileSet()
			if _, err := parseCheck(fset, f, src); err != nil {
				if l, ok := err.(scanner.ErrorList); ok {
					t.Errorf("%s", l.Render(fset))
				} else {
					t.Error(err)
				}
			}
			n++
		}
	}
	t.Logf("%d models checked", n)
}

func TestSemanticErrors(t *testing.T) {
	n := asttest.ErrorCorpus(t, filepath.Join("testdata", "errors"), func(fset *token.FileSet, name string, src []byte) error {
		_, err := parseCheck(fset, name, src)
		return err
	})
	t.Logf("%d invalid programs", n)
}

// TestJacobianAccepted: where jacobian += and _jacobian functions may be
// used, and the programs older than them that Stan still accepts.
func TestJacobianAccepted(t *testing.T) {
	for _, src := range []string{
		// The statement in transformed parameters, in nested statements.
		`parameters { real y; } transformed parameters { real s = exp(y); if (y > 0) { jacobian += y; } else jacobian += y; }`,
		// A Jacobian function calling another, used in transformed parameters.
		`functions { real a_jacobian(real x) { jacobian += x; return exp(x); }
		  real b_jacobian(real x) { return a_jacobian(x); } }
		 parameters { real y; } transformed parameters { real s = b_jacobian(y); }`,
		// A variable named jacobian, as older programs may have.
		`transformed data { real jacobian = 0; jacobian += 1; } parameters { real y; } model { y ~ normal(jacobian, 1); }`,
	} {
		fset := token.NewFileSet()
		if _, err := parseCheck(fset, "ok.stan", []byte(src)); err != nil {
			t.Errorf("%v\n%s", err, src)
		}
	}
}

// TestCallsRecordDistributions checks that each resolved call of a
// distribution function records its family and form, so that the
// compiler need not take names apart, and that other calls and
// user-defined densities record none.
func TestCallsRecordDistributions(t *testing.T) {
	src := []byte(`functions {
  real foo_lpdf(real y, real mu) { return -square(y - mu); }
}
parameters { real y; }
model {
  y ~ normal(0, 1);
  y ~ foo(0);
  target += normal_lupdf(y | 0, 1) + poisson_lpmf(3 | 2) + normal_lcdf(y | 0, 1)
    + normal_lccdf(y | 0, 1) + normal_cdf_log(y, 0, 1) + normal_cdf(y | 0, 1) + exp(y);
}
generated quantities { int k = poisson_rng(2); matrix[2, 2] W = wishart_rng(4, diag_matrix(rep_vector(1, 2))); }
`)
	fset := token.NewFileSet()
	info, err := parseCheck(fset, "dists.stan", src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]types.DistFunc{
		"normal_lupdf": {Family: "normal", Form: types.DensityPropto}, "poisson_lpmf": {Family: "poisson", Form: types.Density},
		"normal_lcdf": {Family: "normal", Form: types.LCDF}, "normal_lccdf": {Family: "normal", Form: types.LCCDF},
		"normal_cdf_log": {Family: "normal", Form: types.LCDF}, "normal_cdf": {Family: "normal", Form: types.CDF},
		"poisson_rng": {Family: "poisson", Form: types.Rng}, "wishart_rng": {Family: "wishart", Form: types.Rng}, "exp": {},
	}
	seen := 0
	for x, call := range info.Calls {
		if w, ok := want[x.Fun.Name]; ok {
			seen++
			if call.Dist != w {
				t.Errorf("%s: recorded %+v, want %+v", x.Fun.Name, call.Dist, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d calls recorded", seen, len(want))
	}
	for s, call := range info.Dists {
		switch s.Dist.Name {
		case "normal":
			if call.Dist != (types.DistFunc{Family: "normal", Form: types.Density}) {
				t.Errorf("~ normal: recorded %+v", call.Dist)
			}
		case "foo":
			if call.User == nil || call.Dist.Form != types.NoDist {
				t.Errorf("~ foo: recorded user %v, %+v; want the user-defined density and no library family", call.User, call.Dist)
			}
		}
	}
}

// TestHigherOrderAccepted: functions passed to higher-order functions that
// fit the form each requires, with the overload each call passes.
func TestHigherOrderAccepted(t *testing.T) {
	src := []byte(`functions {
  real part(array[] real y, int s, int e, real mu) { return normal_lpdf(y | mu, 1); }
  real part(array[] real y, int s, int e, vector mu) { return normal_lpdf(y | mu[s:e], 1); }
  real part_lpdf(array[] real y, int s, int e, real mu) { return normal_lupdf(y | mu, 1); }
  vector rhs(real t, vector y, real k) { return -k * y; }
  vector rhs(real t, vector y, vector k) { return -k .* y; }
  array[] real old(real t, array[] real y, array[] real th, array[] real xr, array[] int xi) { return {-th[1] * y[1]}; }
  vector sys(vector y, real a, data real c) { return y - a * c; }
  real f(real x, real xc, array[] real th, array[] real xr, array[] int xi) { return exp(-th[1] * x); }
}
data { array[3] real y; array[2] real ts; real c; }
transformed data { array[0] real xr; array[0] int xi; }
parameters { real mu; vector[3] nu; }
model {
  target += reduce_sum(part, y, 1, mu) + reduce_sum_static(part, y, 1, nu) + reduce_sum(part_lupdf, y, 1, 2);
  target += ode_rk45(rhs, [1.0]', 0, ts, mu)[1][1] + ode_bdf_tol(rhs, [1.0]', 0, ts, 1e-6, 1e-6, 1000, [mu]')[1][1];
  target += integrate_ode_rk45(old, {1.0}, 0, ts, {mu}, xr, xi, 1e-6, 1e-6, 5e2)[1, 1];
  target += solve_newton(sys, [1]', mu, c)[1] + integrate_1d(f, 0, 1, {mu}, xr, xi, 1e-8);
}
`)
	fset := token.NewFileSet()
	info, err := parseCheck(fset, "ho.stan", src)
	if err != nil {
		t.Fatal(err)
	}
	// The overload passed, by the type of its last parameter.
	want := map[string][]types.Type{
		"reduce_sum": {types.RealT, types.RealT}, "reduce_sum_static": {types.VectorT},
		"ode_rk45": {types.RealT}, "ode_bdf_tol": {types.VectorT},
	}
	got := map[string][]types.Type{}
	for x, call := range info.Calls {
		if call.FuncArg == nil {
			continue
		}
		if x.Fun.Name == "reduce_sum" && call.FuncArg.Name != "part" && call.FuncArg.Name != "part_lpdf" {
			t.Errorf("reduce_sum passes %s", call.FuncArg.Name)
		}
		args := call.FuncArg.Sig.Args
		got[x.Fun.Name] = append(got[x.Fun.Name], args[len(args)-1])
	}
	for name, w := range want {
		g := got[name]
		slices.SortFunc(g, func(a, b types.Type) int { return int(a.Kind) - int(b.Kind) })
		if !slices.Equal(g, w) {
			t.Errorf("%s passes overloads ending in %v, want %v", name, g, w)
		}
	}
}

// TestRulesAccepted: programs within the rules Stan sets on where the
// target, unnormalised densities and overloads may be used.
func TestRulesAccepted(t *testing.T) {
	for _, src := range []string{
		// target() in transformed parameters and in _lp functions.
		`functions { real t_lp() { return target(); } }
		 parameters { real y; } transformed parameters { real z = target() + t_lp(); } model { y ~ normal(0, 1); }`,
		// Unnormalised densities in the model block and in user densities.
		`functions { real foo_lpdf(real y, real mu) { return normal_lupdf(y | mu, 1); }
		  real bar_lpmf(int k, real l) { return poisson_lupmf(k | l) + foo_lupdf(l | 0); } }
		 parameters { real<lower=0> y; } model { target += foo_lupdf(y | 0) + bar_lupmf(2 | y); y ~ foo(1); }`,
		// Library functions overloaded with other argument types, a
		// distribution among them.
		`functions { real log_sum_exp(real a, real b, real c) { return log_sum_exp({a, b, c}); }
		  real normal_lpdf(real y, real mu, real s, real w) { return w * normal_lpdf(y | mu, s); } }
		 parameters { real y; } model { target += log_sum_exp(y, 0, 1); y ~ normal(0, 1, 2); target += normal_lupdf(y | 0, 1, 3); }`,
		// Truncation bounds that the CDFs take in the variate's place.
		`functions { real foo_lpdf(real y, real mu) { return -square(y - mu); }
		  real foo_lcdf(real y, real mu) { return -y; } real foo_lccdf(real y, real mu) { return -y; } }
		 data { int k; array[2] int n; } parameters { real<lower=0, upper=1> y; }
		 model { k ~ poisson(y) T[0, 10]; n[1] ~ binomial(5, y) T[, n[2]]; y ~ normal(0, 1) T[0, 1.0]; y ~ foo(0) T[0, 1]; }`,
		// Data arguments: ints are always data, and generated quantities
		// run without derivatives, so their parameters are data there.
		`functions { vector sys(vector y, real a, data real c) { return y - a * c; }
		  real f(data real x, data int n) { return x * n; } }
		 parameters { real mu; } model { int k = 2; mu ~ normal(0, 1); target += f(1.5, k); }
		 generated quantities { real z = sum(solve_powell(sys, [1]', 2, mu)); real w = f(mu, 3); }`,
		// The older spellings of the CDFs of a user-defined family.
		`functions { real foo_log(real y, real mu) { return -square(y - mu); }
		  real foo_cdf_log(real y, real mu) { return -y; } real foo_ccdf_log(real y, real mu) { return -y; } }
		 parameters { real<lower=0, upper=1> y; } model { y ~ foo(0) T[0, 1]; }`,
		// An unnormalised density passed to reduce_sum in a _lp function;
		// random sizes of local variables.
		`functions { real part_lpdf(array[] real y, int s, int e, real mu) { return normal_lupdf(y | mu, 1); }
		  real f_lp(array[] real y, real mu) { return reduce_sum(part_lupdf, y, 1, mu); } }
		 data { array[3] real y; } parameters { real mu; } model { target += f_lp(y, mu); }
		 generated quantities { real s; { vector[poisson_rng(3)] v; s = sum(v); } }`,
		// Compound assignments whose result has the left side's type.
		`transformed data { int n = 2; real x = 1; complex z = 1; vector[2] v = [1, 2]'; row_vector[2] r = v'; matrix[2, 2] m = diag_matrix(v);
		  n *= 3; n -= 1; x += n; x /= 2; z += x; z *= z; v ./= v; v -= 1; r *= m; m /= 2; m .*= m; }`,
		// Several variables a declaration, a later initial value using an
		// earlier name; a constrained type shared by two parameters.
		`functions { real f(real a) { real u = a, v = 2 * u; return v; } }
		 data { int N, K; array[N] vector<lower=0>[K] y, z; } transformed data { real x = 1, w = x + N; }
		 parameters { real<lower=0> s, t; } model { real u, v = f(s); s ~ exponential(1); t ~ exponential(w); }`,
		// The array functions of arrays of tuples; int members promote.
		`transformed data { array[3] tuple(int, vector[2]) a = rep_array((1, [2, 3]'), 3);
		  array[2, 3] tuple(real, vector[2]) a2 = rep_array((1, [2, 3]'), 2, 3);
		  array[5] tuple(real, vector[2]) b = append_array(a, a2[1, 1:2]);
		  int s = size(b); array[2] int d = dims(a2); a[2:3] = a[1:2]; a2[1, :] = a; }`,
		// The complex matrix functions, real containers promoted.
		`transformed data { complex_vector[2] u = [1, 2i]'; complex_matrix[2, 2] M = [[1, 2i], [3, 4]]; vector[2] x = [1, 2]';
		  complex_row_vector[2] r = u' * M + x' - 2i * u'; complex c = dot_product(u, x) + dot_self(u) + trace(M) + sum(M);
		  complex_matrix[2, 3] A = append_col(M, u) ./ 2; complex_vector[4] t = to_vector(M') + reverse(cumulative_sum(to_vector(M)));
		  complex_matrix[2, 2] B = diag_matrix(diagonal(M)) + block(M, 1, 1, 2, 2) .* M; complex_vector[2] h = head(append_row(u, u), 2);
		  array[2, 2] complex a = to_array_2d(M); complex_matrix[2, 2] C = to_matrix(to_array_1d(M), 2, 2) + rep_matrix(1i, 2, 2); }`,
		// A function whose name ends in _log is an ordinary function.
		`functions { vector safe_log(vector x) { return log(x); } }
		 parameters { vector<lower=0>[2] y; } model { target += sum(safe_log(y)); }`,
		// Forward declarations of overloads, defined after their use.
		`functions { real g(real x); real g(complex z); real h(real x) { return g(x) + g(to_complex(x, 1)); }
		  real g(real x) { return 3 * x; } real g(complex z) { return get_imag(z); } }
		 parameters { real y; } model { target += h(y) + g(2); }`,
		// Bodies that return on every path as stanc3 counts paths: a loop
		// whose body returns, while (1) that only a return leaves, a
		// reject or fatal_error as the last statement, statements after a
		// return (unreachable, a warning only).
		`functions { real a(real x) { for (i in 1:2) return x; } real b(real x) { while (1) { if (x > 0) return x; } }
		  real c(array[] real y) { for (x in y) { return x; } } real d(real x) { if (x > 0) return x; reject("x: ", x); }
		  real e(real x) { fatal_error("no"); } real f(real x) { return x; print(x); } }
		 parameters { real y; } model { target += a(y) + b(y) + c({y}) + d(y) + e(y) + f(y); }`,
		// What the Stan 2.26 checker (Semantic_check.ml) refused and
		// stanc3 takes today: C++ keywords and Stan's macros as names,
		// a _lpdf/_lpmf variate that is a 2-D array, the vertical bar in
		// a _cdf call, unary minus of an array, and a function whose
		// name ends in _log beside the _lpdf of the same family.
		`functions { real foo_lpdf(array[,] real y) { return -sum(to_array_1d(y)); }
		  real foo_log(array[,] real y) { return 0; } real bar_lpmf(array[,] int k) { return 0; } }
		 transformed data { real namespace = 1, fvar = 2, STAN_MAJOR = 3; array[2] int m = -{1, 2}; }
		 parameters { array[2, 2] real<lower=0> y; }
		 model { y ~ foo(); target += normal_cdf(namespace | fvar, STAN_MAJOR) + foo_log(y) + bar_lpmf({m} | ); }`,
		// Variables and arguments may shadow user-defined functions.
		`functions { real f(real x) { return 2 * x; } real g(real f) { return f + 1; } }
		 parameters { real y; } model { real h = f(1); { real f = 0.5; y ~ normal(g(f) + h, 1); } }
		 generated quantities { real f = y; }`,
		// Bounds as stanc3 checks them: an int or a real, or a value of
		// the declared type, arrays included; a real bounds ints in an
		// array.
		`data { int N; array[2] int<lower=0.5> a; vector[N] L; array[2] vector[N] LL; array[2] int ai; }
		 parameters { array[2] vector<lower=LL, upper=LL[1][1] + 1>[N] k; vector<lower=L>[N] v; array[2] real<lower=0> r; }
		 generated quantities { array[2] int<lower=ai> g = ai; }`,
		// stanc3 takes any value but a function in target += and
		// jacobian +=: complex numbers and tuples too (Stan's C++ then
		// refuses them, as the compile package does).
		`functions { void f_jacobian(real x) { jacobian += x * 1i; } }
		 parameters { real y; } transformed parameters { jacobian += (y, {1i}); }
		 model { target += 1i; target += [y * 1i]'; target += (1, {y}); }`,
		// Only the likelihood of an embedded Laplace call must have second
		// derivatives (stanc3 2.40): the covariance function may call
		// hmm_marginal, the likelihood user functions that do not.
		`functions { real h(real a) { return hmm_marginal(rep_matrix(0, 2, 3), [[0.5, 0.5], [0.5, 0.5]], [0.5, 0.5]'); }
		  real g(vector t, real s, vector y) { return normal_lpdf(y | t, s); }
		  real ll(vector t, real s, data vector y) { return g(t, s, y); }
		  matrix K(data array[] real x, real a) { return add_diag(gp_exp_quad_cov(x, a * h(a), 1), 1e-8); } }
		 data { array[4] real x; vector[4] y; } parameters { real<lower=0> s, a; }
		 model { target += laplace_marginal(ll, (s, y), 1, K, (x, a)); }`,
	} {
		fset := token.NewFileSet()
		if _, err := parseCheck(fset, "ok.stan", []byte(src)); err != nil {
			t.Errorf("%v\n%s", err, src)
		}
	}
}

// TestFunctionsFile: a .stanfunctions file checks by itself, as stanc3
// compiles one (its standalone functions), with the rules of a functions
// block: a declaration without a definition is still an error.
func TestFunctionsFile(t *testing.T) {
	src := "real sq(real x) { return x^2; }\nreal sqnorm(vector v) { return sq(sqrt(dot_self(v))); }\nreal r_rng(real a) { return normal_rng(a, 1); }\n"
	if _, err := parseCheck(token.NewFileSet(), "lib.stanfunctions", []byte(src)); err != nil {
		t.Errorf("functions file: %v", err)
	}
	if _, err := parseCheck(token.NewFileSet(), "lib.stanfunctions", []byte(src+"real undefined(real x);\n")); err == nil {
		t.Error("a function declared and not defined checked")
	}
}

// TestAllowUndefined: a function declared without a definition is an
// error, unless the Config allows it as stanc3's --allow-undefined does;
// its calls are still checked against the declaration.
func TestAllowUndefined(t *testing.T) {
	src := "functions { real foo(real x); }\nparameters { real y; }\nmodel { y ~ normal(foo(1.0), 1); }\n"
	parse := func(src string) (*token.FileSet, *ast.Program) {
		fset := token.NewFileSet()
		prog, err := parser.ParseFile(fset, "u.stan", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		return fset, prog
	}
	fset, prog := parse(src)
	if _, err := Check(fset, prog); err == nil || !strings.Contains(err.Error(), "'foo' is declared but not defined") {
		t.Errorf("by default: error %v", err)
	}
	if _, err := (Config{AllowUndefined: true}).Check(fset, prog); err != nil {
		t.Errorf("AllowUndefined: %v", err)
	}
	fset, prog = parse(strings.Replace(src, "foo(1.0)", "foo({1.0})", 1))
	if _, err := (Config{AllowUndefined: true}).Check(fset, prog); err == nil || !strings.Contains(err.Error(), "foo") {
		t.Errorf("AllowUndefined with a call of the wrong type: error %v", err)
	}
}

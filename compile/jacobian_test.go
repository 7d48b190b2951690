package compile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gostan/gostan/internal/race"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

// sameDensity compares two models' log densities and gradients, with and
// without the Jacobian, at points of their (equal) unconstrained spaces.
func sameDensity(t *testing.T, a, b *Model, points [][]float64) {
	t.Helper()
	if a.Dim() != b.Dim() {
		t.Fatalf("dimensions %d and %d", a.Dim(), b.Dim())
	}
	for _, x := range points {
		for _, jac := range []bool{true, false} {
			ga, gb := make([]float64, a.Dim()), make([]float64, b.Dim())
			la, err := a.LogDensityJacobian(x, ga, jac)
			if err != nil {
				t.Fatal(err)
			}
			lb, err := b.LogDensityJacobian(x, gb, jac)
			if err != nil {
				t.Fatal(err)
			}
			agreeAt(t, fmt.Sprintf("x=%v jacobian %v", x, jac), "want", la, lb, ga, gb)
		}
	}
}

// TestJacobianStatement: a change of variables written with jacobian +=
// gives the density of the same constraint declared, with and without the
// Jacobian; the term is skipped exactly when the Jacobian is.
func TestJacobianStatement(t *testing.T) {
	declared := buildSource(t, `
parameters { real<lower=0> s; vector<lower=-1, upper=2>[2] v; }
model { s ~ gamma(2, 3); v ~ normal(0.5, 1); }`, model.Data{})
	by := buildSource(t, `
functions {
  vector bounded_jacobian(vector raw, real lo, real hi) {
    vector[rows(raw)] z = inv_logit(raw);
    jacobian += log(hi - lo) + log(z) + log1m(z);
    return lo + (hi - lo) * z;
  }
}
parameters { real s_raw; vector[2] v_raw; }
transformed parameters {
  real s = exp(s_raw);
  jacobian += s_raw;
  vector[2] v = bounded_jacobian(v_raw, -1, 2);
}
model { s ~ gamma(2, 3); v ~ normal(0.5, 1); }`, model.Data{})
	points := [][]float64{{0.3, -0.4, 1.1}, {-1.2, 2, -0.5}}
	sameDensity(t, by, declared, points)
	grad := make([]float64, 3)
	if n := testing.AllocsPerRun(10, func() { by.LogDensityJacobian(points[0], grad, false) }); n != 0 && !race.Enabled {
		t.Errorf("LogDensityJacobian allocates %v times per call", n)
	}

	// Without the Jacobian the term is not there: the difference is the
	// Jacobian term itself.
	x := []float64{0.3, -0.4, 1.1}
	l1, _ := by.LogDensityJacobian(x, nil, true)
	l0, _ := by.LogDensityJacobian(x, nil, false)
	want := 0.3
	for _, r := range x[1:] {
		z := 1 / (1 + math.Exp(-r))
		want += math.Log(3) + math.Log(z) + math.Log1p(-z)
	}
	if math.Abs(l1-l0-want) > 1e-12 {
		t.Errorf("log Jacobian %.15g, want %.15g", l1-l0, want)
	}
	// Write runs the transformed parameters without a density.
	out := make([]float64, len(by.Names()))
	if err := by.Write(x, nil, out); err != nil {
		t.Fatal(err)
	}
	if math.Abs(out[3]-math.Exp(0.3)) > 1e-15 {
		t.Errorf("s = %v, want %v", out[3], math.Exp(0.3))
	}
}

// TestJacobianVariable: in a program older than the statement, jacobian
// may be a variable, and jacobian += adds to it.
func TestJacobianVariable(t *testing.T) {
	m := buildSource(t, `
transformed data { real jacobian = 1; jacobian += 2.5; }
parameters { real y; }
model { y ~ normal(jacobian, 1); }
generated quantities { real j = jacobian; }`, model.Data{})
	out := make([]float64, len(m.Names()))
	if err := m.Write([]float64{0}, nil, out); err != nil {
		t.Fatal(err)
	}
	if out[1] != 3.5 {
		t.Errorf("jacobian = %v, want 3.5", out[1])
	}
}

// TestTransformFunctionsMatchDeclarations: a parameter declared with a
// constraint and the same constraint applied by the language's _jacobian
// function to an unconstrained parameter give the same log density and
// gradient, with and without the Jacobian; the _constrain function adds
// nothing. The declared constraint runs package transform through the
// parameter layout, the function through the library: the two must agree.
// The simplex functions follow Stan 2.37's transform where declared
// simplexes keep Stan 2.21's coordinates (package transform says why);
// theirs are checked instead against Stan Math's definition,
// softmax(sum_to_zero_constrain(y)) with log Jacobian Σ log x + ½ log K,
// written in the language (ref).
func TestTransformFunctionsMatchDeclarations(t *testing.T) {
	ilr := func(x, y string, k int) string {
		return fmt.Sprintf("%s = softmax(sum_to_zero_constrain(%s)); jacobian += sum(log(%s)) + 0.5 * log(%d);", x, y, x, k)
	}
	for _, c := range []struct {
		name, decl, free, tp, use string
		n                         int
		ref                       string // transformed parameters of y equal to tp, else decl
	}{
		{"lower_bound", "real<lower=1.5>", "real", "real x = lower_bound_jacobian(y, 1.5);", "x ~ gamma(2, 1);", 1, ""},
		{"upper_bound", "vector<upper=2>[2]", "vector[2]", "vector[2] x = upper_bound_jacobian(y, 2);", "x ~ normal(0, 3);", 2, ""},
		{"lower_upper_bound", "array[2] real<lower=-1, upper=3>", "array[2] real", "array[2] real x = lower_upper_bound_jacobian(y, -1, 3);", "x ~ normal(1, 2);", 2, ""},
		{"bounds_vector", "vector<lower=[-1, 0]', upper=[3, 0.5]'>[2]", "vector[2]", "vector[2] x = lower_upper_bound_jacobian(y, [-1, 0]', [3, 0.5]');", "x ~ normal(1, 2);", 2, ""},
		{"offset_multiplier", "row_vector<offset=1, multiplier=2>[2]", "row_vector[2]", "row_vector[2] x = offset_multiplier_jacobian(y, 1, 2);", "x ~ normal(0, 1);", 2, ""},
		{"ordered", "ordered[3]", "vector[3]", "vector[3] x = ordered_jacobian(y);", "x ~ normal(0, 2);", 3, ""},
		{"positive_ordered", "positive_ordered[3]", "vector[3]", "vector[3] x = positive_ordered_jacobian(y);", "x ~ exponential(1);", 3, ""},
		{"simplex", "", "vector[3]", "vector[4] x = simplex_jacobian(y);", "x ~ dirichlet([2, 3, 4, 5]');", 3, "vector[4] x; " + ilr("x", "y", 4)},
		{"unit_vector", "unit_vector[3]", "vector[3]", "vector[3] x = unit_vector_jacobian(y);", "target += x[1];", 3, ""},
		{"cholesky_factor_corr", "cholesky_factor_corr[3]", "vector[3]", "matrix[3, 3] x = cholesky_factor_corr_jacobian(y, 3);", "x ~ lkj_corr_cholesky(2);", 3, ""},
		{"corr_matrix", "corr_matrix[3]", "vector[3]", "matrix[3, 3] x = corr_matrix_jacobian(y, 3);", "x ~ lkj_corr(2);", 3, ""},
		{"cov_matrix", "cov_matrix[2]", "vector[3]", "matrix[2, 2] x = cov_matrix_jacobian(y, 2);", "x ~ wishart(4, identity_matrix(2));", 3, ""},
		{"cholesky_factor_cov", "cholesky_factor_cov[3, 2]", "vector[5]", "matrix[3, 2] x = cholesky_factor_cov_jacobian(y, 3, 2);", "target += -0.5 * sum(square(to_vector(x)));", 5, ""},
		{"array", "", "array[2] vector[2]", "array[2] vector[3] x = simplex_jacobian(y);", "x[1] ~ dirichlet([2, 3, 4]'); x[2] ~ dirichlet([1, 2, 2]');", 4,
			"array[2] vector[3] x; for (i in 1:2) { " + ilr("x[i]", "y[i]", 3) + " }"},
		{"sum_to_zero_vector", "sum_to_zero_vector[4]", "vector[3]", "vector[4] x = sum_to_zero_jacobian(y);", "x ~ normal(0.3, 1);", 3, ""},
		{"sum_to_zero_matrix", "sum_to_zero_matrix[3, 4]", "matrix[2, 3]", "matrix[3, 4] x = sum_to_zero_jacobian(y);", "to_vector(x) ~ normal(0.3, 1);", 6, ""},
		{"column_stochastic_matrix", "", "matrix[2, 2]", "matrix[3, 2] x = stochastic_column_jacobian(y);", "col(x, 1) ~ dirichlet([2, 3, 4]'); col(x, 2) ~ dirichlet([1, 1, 3]');", 4,
			"matrix[3, 2] x; for (j in 1:2) { " + ilr("x[:, j]", "y[:, j]", 3) + " }"},
		{"row_stochastic_matrix", "", "array[2] matrix[2, 2]", "array[2] matrix[2, 3] x = stochastic_row_jacobian(y);", "row(x[1], 1)' ~ dirichlet([2, 3, 4]'); row(x[2], 2)' ~ dirichlet([1, 1, 3]');", 8,
			"array[2] matrix[2, 3] x; for (k in 1:2) { for (i in 1:2) { x[k, i] = softmax(sum_to_zero_constrain(y[k, i]'))'; jacobian += sum(log(x[k, i])) + 0.5 * log(3); } }"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var declared *Model
			if c.ref != "" {
				declared = buildSource(t, "parameters { "+c.free+" y; } transformed parameters { "+c.ref+" } model { "+c.use+" }", model.Data{})
			} else {
				declared = buildSource(t, "parameters { "+c.decl+" x; } model { "+c.use+" }", model.Data{})
			}
			by := buildSource(t, "parameters { "+c.free+" y; } transformed parameters { "+c.tp+" } model { "+c.use+" }", model.Data{})
			rng := rand.New(rand.NewPCG(3, uint64(len(c.name))))
			var points [][]float64
			for range 3 {
				x := make([]float64, c.n)
				for i := range x {
					x[i] = rng.Float64()*2 - 1
				}
				points = append(points, x)
			}
			sameDensity(t, by, declared, points)
			if n := testing.AllocsPerRun(10, func() { by.LogDensity(points[0], nil) }); n != 0 && !race.Enabled {
				t.Errorf("LogDensity allocates %v times per call", n)
			}
			// The _constrain function adds no Jacobian.
			plain := buildSource(t, "parameters { "+c.free+" y; } transformed parameters { "+
				strings.Replace(c.tp, "_jacobian(", "_constrain(", 1)+" } model { "+c.use+" }", model.Data{})
			for _, x := range points {
				l1, err1 := plain.LogDensityJacobian(x, nil, true)
				l0, err0 := declared.LogDensityJacobian(x, nil, false)
				if err1 != nil || err0 != nil || math.Abs(l1-l0) > 1e-12*math.Max(1, math.Abs(l0)) {
					t.Errorf("%s_constrain at %v: %v (%v), want %v (%v)", c.name, x, l1, err1, l0, err0)
				}
			}
		})
	}
}

// TestUnconstrainFunctions: the _unconstrain functions invert the
// _constrain functions (their outputs equal the unconstrained parameter),
// and their derivatives, taken through the constraining transform, agree
// with finite differences of the log density, parameter-dependent bounds
// included.
func TestUnconstrainFunctions(t *testing.T) {
	for _, c := range []struct {
		name, params, tp, use string
		n                     int
		roundTrip             bool
	}{
		{"lower_bound", "real y; real lb;", "real x = lower_bound_constrain(y, lb); real z = lower_bound_unconstrain(x, lb);", "target += -0.5 * square(z - 0.2) + 0.3 * z * lb - square(lb);", 2, true},
		{"upper_bound", "vector[2] y; real ub;", "vector[2] x = upper_bound_constrain(y, ub); vector[2] z = upper_bound_unconstrain(x, ub);", "target += -0.5 * dot_self(z) + ub * sum(z) - square(ub);", 3, true},
		{"lower_upper_bound", "array[2] real y; array[2] real lo;", "array[2] real hi = {lo[1] + 2, lo[2] + 1}; array[2] real x = lower_upper_bound_constrain(y, lo, hi); array[2] real z = lower_upper_bound_unconstrain(x, lo, hi);", "target += -0.5 * dot_self(to_vector(z)) + 0.7 * z[1] * lo[2] - dot_self(to_vector(lo));", 4, true},
		{"offset_multiplier", "matrix[2, 2] y; real o; real<lower=0> s;", "matrix[2, 2] x = offset_multiplier_constrain(y, o, s); matrix[2, 2] z = offset_multiplier_unconstrain(x, o, s);", "target += -0.5 * sum(square(z)) + o * z[1, 2] * s - o^2 - s;", 6, true},
		{"ordered", "vector[3] y;", "vector[3] x = ordered_constrain(y); vector[3] z = ordered_unconstrain(x);", "target += -0.5 * dot_self(z) + z[2] * z[3];", 3, true},
		{"positive_ordered", "vector[3] y;", "vector[3] x = positive_ordered_constrain(y); vector[3] z = positive_ordered_unconstrain(x);", "target += -0.5 * dot_self(z) + z[1] * z[3];", 3, true},
		{"simplex", "array[2] vector[3] y;", "array[2] vector[4] x = simplex_constrain(y); array[2] vector[3] z = simplex_unconstrain(x);", "target += -0.5 * dot_self(z[1]) - dot_self(z[2]) + z[1, 2] * z[2, 3];", 6, true},
		{"unit_vector", "vector[3] y;", "vector[3] x = unit_vector_constrain(y); vector[3] z = unit_vector_unconstrain(x);", "target += -0.5 * dot_self(y) + z[1] + 2 * z[2] * z[3];", 3, false},
		{"cholesky_factor_corr", "vector[3] y;", "matrix[3, 3] x = cholesky_factor_corr_constrain(y, 3); vector[3] z = cholesky_factor_corr_unconstrain(x);", "target += -0.5 * dot_self(z) + z[1] * z[3];", 3, true},
		{"corr_matrix", "vector[3] y;", "matrix[3, 3] x = corr_matrix_constrain(y, 3); vector[3] z = corr_matrix_unconstrain(x);", "target += -0.5 * dot_self(z) + z[2] * z[3];", 3, true},
		{"cov_matrix", "vector[3] y;", "matrix[2, 2] x = cov_matrix_constrain(y, 2); vector[3] z = cov_matrix_unconstrain(x);", "target += -0.5 * dot_self(z) + z[1] * z[2];", 3, true},
		{"cholesky_factor_cov", "vector[5] y;", "matrix[3, 2] x = cholesky_factor_cov_constrain(y, 3, 2); vector[5] z = cholesky_factor_cov_unconstrain(x);", "target += -0.5 * dot_self(z) + z[1] * z[5];", 5, true},
		{"sum_to_zero_vector", "vector[3] y;", "vector[4] x = sum_to_zero_constrain(y); vector[3] z = sum_to_zero_unconstrain(x);", "target += -0.5 * dot_self(z) + z[1] * z[3] + x[4];", 3, true},
		{"sum_to_zero_matrix", "matrix[2, 3] y;", "matrix[3, 4] x = sum_to_zero_constrain(y); matrix[2, 3] z = sum_to_zero_unconstrain(x);", "target += -0.5 * sum(square(z)) + z[1, 2] * z[2, 3] + x[3, 4];", 6, true},
		{"stochastic_column", "matrix[2, 2] y;", "matrix[3, 2] x = stochastic_column_constrain(y); matrix[2, 2] z = stochastic_column_unconstrain(x);", "target += -0.5 * sum(square(z)) + z[1, 2] * z[2, 1] + x[3, 1];", 4, true},
		{"stochastic_row", "matrix[2, 2] y;", "matrix[2, 3] x = stochastic_row_constrain(y); matrix[2, 2] z = stochastic_row_unconstrain(x);", "target += -0.5 * sum(square(z)) + z[1, 2] * z[2, 1] + x[2, 3];", 4, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := buildSource(t, "parameters { "+c.params+" } transformed parameters { "+c.tp+" } model { "+c.use+" }", model.Data{})
			if m.Dim() != c.n {
				t.Fatalf("dimension %d, want %d", m.Dim(), c.n)
			}
			rng := rand.New(rand.NewPCG(5, uint64(len(c.name))))
			names := m.Names()
			for range 3 {
				x := make([]float64, c.n)
				for i := range x {
					x[i] = rng.Float64()*2 - 1
				}
				checkModelGrad(t, fmt.Sprintf("x=%v", x), m, x, 1e-6)
				if !c.roundTrip {
					continue
				}
				out := make([]float64, len(names))
				if err := m.Write(x, nil, out); err != nil {
					t.Fatal(err)
				}
				// z, the last columns, holds y, the first: unconstrain
				// inverts constrain.
				ny := 0
				for _, n := range names {
					if strings.HasPrefix(n, "y") {
						ny++
					}
				}
				z := out[len(out)-ny:]
				for i := range ny {
					if math.Abs(z[i]-out[i]) > 1e-9*math.Max(1, math.Abs(out[i])) {
						t.Errorf("x=%v: %s = %v, want %v", x, names[len(out)-ny+i], z[i], out[i])
					}
				}
			}
		})
	}
}

// TestTransformFunctionErrors: a value outside the constraint or of the
// wrong size stops the evaluation with the function's name and the
// statement's position.
func TestTransformFunctionErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"transformed data { real z = lower_bound_unconstrain(-1, 0); }",
			"gaps.stan:1:29: lower_bound_unconstrain: Lower bounded variable is -1, but must be greater than or equal to 0"},
		{"transformed data { vector[3] z = simplex_unconstrain([0.5, 0.2, 0.2]'); }",
			"simplex_unconstrain: Simplex variable is not a valid simplex"},
		{"transformed data { matrix[3, 3] z = corr_matrix_constrain([1, 2]', 3); }",
			"corr_matrix_constrain: the unconstrained value has 2 elements, but a corr_matrix of dimensions [3 3] needs 3"},
		{"transformed data { vector[2] z = lower_bound_constrain([1, 2]', [1, 2, 3]'); }",
			"lower_bound_constrain: the bound has 3 elements, but the value has 2"},
		{"transformed data { real z = lower_upper_bound_constrain(0, 1, 0); }",
			"lower_upper_bound_constrain: lb is 1, but must be less than 0"},
		{"transformed data { matrix[1, 1] z = sum_to_zero_unconstrain([[1, -1], [0, 0]]); }",
			"sum_to_zero_unconstrain: sum_to_zero variable does not sum to zero in column 1: its sum is 1, but should be 0"},
		{"transformed data { matrix[2, 2] z = stochastic_row_unconstrain([[0.5, 0.5, 0], [0.5, 0.6, 0]]); }",
			"stochastic_row_unconstrain: row 2: Simplex variable is not a valid simplex"},
		{"transformed data { matrix[2, 2] z = cholesky_factor_corr_constrain([1, 2, 3]', -1); }",
			"cholesky_factor_corr_constrain: size -1 is negative"},
		// The size is checked before anything of it is allocated.
		{"transformed data { matrix[2, 2] z = cov_matrix_constrain([1, 2, 3]', 100000); }",
			"cov_matrix_constrain: the unconstrained value has 3 elements, but a cov_matrix of dimensions [100000 100000] needs 5000050000"},
		{"transformed data { vector[1] z = corr_matrix_unconstrain(rep_matrix(1, 2, 3)); }",
			"corr_matrix_unconstrain: a corr_matrix must be square, but is 2×3"},
		{"transformed data { vector[0] z = simplex_unconstrain(rep_vector(0, 0)); }",
			"simplex_unconstrain: a simplex needs at least one element"},
	} {
		fset := token.NewFileSet()
		prog, err := parser.ParseFile(fset, "gaps.stan", []byte(c.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		info, err := check.Check(fset, prog)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Compile(fset, prog, info)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.NewModel(model.Data{}, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.src, err, c.want)
		}
	}
}

// TestNewConstrainedTypes: parameters of the Stan 2.36 and 2.37 types hold
// values within their constraints, their gradients agree with finite
// differences, and data declared with them is checked.
func TestNewConstrainedTypes(t *testing.T) {
	m := buildSource(t, `
parameters { sum_to_zero_vector[3] a; sum_to_zero_matrix[2, 3] b; column_stochastic_matrix[3, 2] c; row_stochastic_matrix[2, 3] d; }
model {
  a ~ normal(0, 2); to_vector(b) ~ normal(0.5, 1);
  col(c, 1) ~ dirichlet([2, 3, 4]'); col(c, 2) ~ dirichlet([2, 2, 2]');
  row(d, 1)' ~ dirichlet([1, 2, 3]'); row(d, 2)' ~ dirichlet([3, 2, 2]');
}`, model.Data{})
	if m.Dim() != 2+2+4+4 {
		t.Fatalf("dimension %d, want 12", m.Dim())
	}
	rng := rand.New(rand.NewPCG(9, 9))
	x := make([]float64, m.Dim())
	for i := range x {
		x[i] = rng.Float64()*2 - 1
	}
	checkModelGrad(t, "program", m, x, 1e-6)
	out := make([]float64, len(m.Names()))
	if err := m.Write(x, nil, out); err != nil {
		t.Fatal(err)
	}
	sum := func(idx ...int) float64 {
		s := 0.0
		for _, i := range idx {
			s += out[i]
		}
		return s
	}
	// Columns: a 0-2; b (2×3, column-major) 3-8; c (3×2) 9-14; d (2×3) 15-20.
	for _, c := range []struct {
		what string
		sum  float64
		want float64
	}{
		{"sum(a)", sum(0, 1, 2), 0},
		{"b column 2", sum(5, 6), 0}, {"b row 1", sum(3, 5, 7), 0}, {"b row 2", sum(4, 6, 8), 0},
		{"c column 1", sum(9, 10, 11), 1}, {"c column 2", sum(12, 13, 14), 1},
		{"d row 1", sum(15, 17, 19), 1}, {"d row 2", sum(16, 18, 20), 1},
	} {
		if math.Abs(c.sum-c.want) > 1e-12 {
			t.Errorf("%s = %.15g, want %v", c.what, c.sum, c.want)
		}
	}
	// An init file's values map back to the point (through the same
	// table of transforms), and an evaluation allocates nothing.
	init, err := m.ParamData(out)
	if err != nil {
		t.Fatal(err)
	}
	z, err := m.Unconstrain(init, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range z {
		if math.Abs(z[i]-x[i]) > 1e-10 {
			t.Errorf("unconstrained value %d is %v, want %v", i, z[i], x[i])
		}
	}
	grad := make([]float64, m.Dim())
	if n := testing.AllocsPerRun(10, func() { m.LogDensity(x, grad) }); n != 0 && !race.Enabled {
		t.Errorf("LogDensity allocates %v times per call", n)
	}
	// Data is checked against its declared constraint.
	fset := token.NewFileSet()
	prog, err := parser.ParseFile(fset, "d.stan", []byte("data { sum_to_zero_vector[3] z; row_stochastic_matrix[2, 2] r; }"), nil)
	if err != nil {
		t.Fatal(err)
	}
	info, err := check.Check(fset, prog)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(fset, prog, info)
	if err != nil {
		t.Fatal(err)
	}
	good := model.Data{"z": {Dims: []int{3}, Elems: []float64{1, -0.5, -0.5}}, "r": {Dims: []int{2, 2}, Elems: []float64{0.2, 0.8, 0.5, 0.5}}}
	if _, err := p.NewModel(good, 1); err != nil {
		t.Errorf("valid data: %v", err)
	}
	bad := model.Data{"z": {Dims: []int{3}, Elems: []float64{1, -0.5, 0}}, "r": good["r"]}
	if _, err := p.NewModel(bad, 1); err == nil || !strings.Contains(err.Error(), "does not sum to zero") {
		t.Errorf("invalid z: error %v", err)
	}
	bad = model.Data{"z": good["z"], "r": {Dims: []int{2, 2}, Elems: []float64{0.2, 0.8, 0.5, 0.6}}}
	if _, err := p.NewModel(bad, 1); err == nil || !strings.Contains(err.Error(), "not a valid simplex") {
		t.Errorf("invalid r: error %v", err)
	}
}

// TestConstrainUnconstrainData: on data, constrain(unconstrain(x)) is x
// for values within each constraint.
func TestConstrainUnconstrainData(t *testing.T) {
	m := buildSource(t, `
transformed data {
  vector[3] s = [0.2, 0.3, 0.5]';
  matrix[2, 2] c = [[1, 0.3], [0.3, 1]];
  matrix[2, 2] v = [[2, 0.3], [0.3, 1]];
  matrix[3, 2] l = [[1, 0], [0.5, 2], [-1, 3]];
  matrix[2, 2] lc = cholesky_decompose(c);
  vector[3] z = [1, -3, 2]';
  matrix[2, 3] zm = [[1, -3, 2], [-1, 3, -2]];
  matrix[2, 3] rs = [[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]];
  array[2] real b = {0.5, 2};
}
parameters { real y; }
model { y ~ normal(0, 1); }
generated quantities {
  vector[3] s2 = simplex_constrain(simplex_unconstrain(s));
  vector[3] o2 = ordered_constrain(ordered_unconstrain([-1, 0.5, 4]'));
  vector[3] p2 = positive_ordered_constrain(positive_ordered_unconstrain([0.1, 0.5, 4]'));
  vector[2] u2 = unit_vector_constrain(unit_vector_unconstrain([0.6, 0.8]'));
  matrix[2, 2] c2 = corr_matrix_constrain(corr_matrix_unconstrain(c), 2);
  matrix[2, 2] v2 = cov_matrix_constrain(cov_matrix_unconstrain(v), 2);
  matrix[3, 2] l2 = cholesky_factor_cov_constrain(cholesky_factor_cov_unconstrain(l), 3, 2);
  matrix[2, 2] lc2 = cholesky_factor_corr_constrain(cholesky_factor_corr_unconstrain(lc), 2);
  vector[3] z2 = sum_to_zero_constrain(sum_to_zero_unconstrain(z));
  matrix[2, 3] zm2 = sum_to_zero_constrain(sum_to_zero_unconstrain(zm));
  matrix[2, 3] rs2 = stochastic_row_constrain(stochastic_row_unconstrain(rs));
  matrix[3, 2] cs2 = stochastic_column_constrain(stochastic_column_unconstrain(rs'));
  array[2] real b2 = lower_upper_bound_constrain(lower_upper_bound_unconstrain(b, 0, {1, 3}), 0, {1, 3});
  array[2] real b3 = offset_multiplier_constrain(offset_multiplier_unconstrain(b, -1, 3), -1, 3);
  array[2] real b4 = upper_bound_constrain(upper_bound_unconstrain(b, 2), 2);
}`, model.Data{})
	out := make([]float64, len(m.Names()))
	if err := m.Write([]float64{0}, nil, out); err != nil {
		t.Fatal(err)
	}
	// Column-major values of each round-tripped variable.
	want := [][]float64{
		{0.2, 0.3, 0.5}, {-1, 0.5, 4}, {0.1, 0.5, 4}, {0.6, 0.8},
		{1, 0.3, 0.3, 1}, {2, 0.3, 0.3, 1}, {1, 0.5, -1, 0, 2, 3},
		{1, 0.3, 0, math.Sqrt(1 - 0.09)}, {1, -3, 2}, {1, -1, -3, 3, 2, -2},
		{0.1, 0.5, 0.2, 0.25, 0.7, 0.25}, {0.1, 0.2, 0.7, 0.5, 0.25, 0.25},
		{0.5, 2}, {0.5, 2}, {0.5, 2},
	}
	k := 1 // after y
	for i, w := range want {
		for j, v := range w {
			if got := out[k]; math.Abs(got-v) > 1e-12 {
				t.Errorf("variable %d (%s), element %d: %v, want %v", i, m.Names()[k], j, got, v)
			}
			k++
		}
	}
	if k != len(out) {
		t.Errorf("%d columns checked of %d", k, len(out))
	}
}

// TestNewTypesCheckedInTransformedParameters: a transformed parameter of a
// new type is checked at the end of its block.
func TestNewTypesCheckedInTransformedParameters(t *testing.T) {
	m := buildSource(t, `
parameters { real y; }
transformed parameters { sum_to_zero_vector[3] z = [y, 1, -1]'; column_stochastic_matrix[2, 1] c = [[0.5], [0.5]]; }
model { y ~ normal(0, 1); }`, model.Data{})
	if _, err := m.LogDensity([]float64{0}, nil); err != nil {
		t.Errorf("y = 0: %v", err)
	}
	_, err := m.LogDensity([]float64{0.5}, nil)
	if err == nil || !strings.Contains(err.Error(), "z") || !strings.Contains(err.Error(), "does not sum to zero") {
		t.Errorf("y = 0.5: error %v", err)
	}
}

package compile

import (
	"math"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
)

// Tests of the higher-order functions other than the ODE solvers: values
// against closed forms, gradients against finite differences.

func TestReduceSum(t *testing.T) {
	decls := `functions {
  real part(array[] real xs, int start, int end, real mu, vector s) {
    return normal_lpdf(xs | mu, s[1]) + 0 * (end - start);
  }
  real part_v(array[] vector xs, int start, int end, real mu) {
    real lp = 0;
    for (k in 1:size(xs)) lp += normal_lpdf(xs[k] | mu, 1);
    return lp;
  }
}
transformed data {
  array[5] real d = {0.5, -1.2, 2.0, 0.3, 1.1};
  array[2] vector[2] dv = {[0.5, -1.2]', [2.0, 0.3]'};
  array[3] int di = {2, -1, 0};
}`
	lnorm := func(x, mu, s float64) float64 {
		return -0.5*math.Log(2*math.Pi) - math.Log(s) - 0.5*(x-mu)*(x-mu)/(s*s)
	}
	checkExprs(t, decls, []float64{0.4, -0.3}, []exprCase{
		// An int array is sliced to part's real slices, as Stan promotes.
		{"reduce_sum(part, di, 1, x[1], exp(x[2:2]))", func(x []float64) float64 {
			return lnorm(2, x[0], math.Exp(x[1])) + lnorm(-1, x[0], math.Exp(x[1])) + lnorm(0, x[0], math.Exp(x[1]))
		}},
		{"reduce_sum(part, d, 2, x[1], exp(x[2:2])) + reduce_sum_static(part_v, dv, 1, x[1])", func(x []float64) float64 {
			lp := 0.0
			for _, v := range []float64{0.5, -1.2, 2.0, 0.3, 1.1} {
				lp += lnorm(v, x[0], math.Exp(x[1]))
			}
			for _, v := range []float64{0.5, -1.2, 2.0, 0.3} {
				lp += lnorm(v, x[0], 1)
			}
			return lp
		}},
	})
	m := buildSource(t, decls+"\nparameters { vector[2] x; }\nmodel { target += reduce_sum(part, d, 0, x[1], exp(x[2:2])); }\n", nil)
	if _, err := m.LogDensity([]float64{0, 0}, nil); err == nil || !strings.Contains(err.Error(), "reduce_sum: grainsize is 0, but must be positive") {
		t.Errorf("grainsize 0: error %v", err)
	}
}

func TestMapRect(t *testing.T) {
	decls := `functions {
  vector f(vector phi, vector th, data array[] real xr, data array[] int xi) {
    return [phi[1] * th[1] * xr[1], th[2] * xi[1] + phi[2]]';
  }
}
transformed data {
  array[3, 1] real xr = {{1.0}, {2.0}, {3.0}};
  array[3, 1] int xi = {{1}, {2}, {3}};
}`
	checkExprs(t, decls, []float64{0.4, -0.3, 0.2, 0.7, -1.1, 0.5, 0.9, 1.3}, []exprCase{
		{"dot_product(map_rect(f, x[1:2], {x[3:4], x[5:6], x[7:8]}, xr, xi), [1, 2, 3, 4, 5, 6]')", func(x []float64) float64 {
			s := 0.0
			for j := range 3 {
				th := x[2+2*j : 4+2*j]
				s += float64(2*j+1)*x[0]*th[0]*float64(j+1) + float64(2*j+2)*(th[1]*float64(j+1)+x[1])
			}
			return s
		}},
	})
}

func TestIntegrate1d(t *testing.T) {
	decls := `functions {
  real gauss(real x, real xc, array[] real th, array[] real xr, array[] int xi) { return exp(-th[1] * x * x); }
  real expo(real x, real xc, array[] real th, array[] real xr, array[] int xi) { return exp(-th[1] * x); }
  real grow(real x, real xc, array[] real th, array[] real xr, array[] int xi) { return exp(x); }
  // x^(-1/2) near 0 with xc: the distance to the nearer limit.
  real root(real x, real xc, array[] real th, array[] real xr, array[] int xi) {
    if (x < 0.5) return th[1] / sqrt(-xc);
    return th[1] / sqrt(x);
  }
}
transformed data { array[0] real xr; array[0] int xi; }`
	erf := math.Erf
	checkExprs(t, decls, []float64{0.7, 0.4, -0.3}, []exprCase{
		// ∫_0^1 e^{-a x²} dx = √(π/4a) erf(√a).
		{"integrate_1d(gauss, 0, 1, {exp(x[1])}, xr, xi)", func(x []float64) float64 {
			a := math.Exp(x[0])
			return math.Sqrt(math.Pi/(4*a)) * erf(math.Sqrt(a))
		}},
		// Across 0, to infinity, and with parameter limits.
		{"integrate_1d(gauss, -1, 2, {exp(x[1])}, xr, xi, 1e-10)", func(x []float64) float64 {
			a := math.Exp(x[0])
			return math.Sqrt(math.Pi/(4*a)) * (erf(math.Sqrt(a)) + erf(2*math.Sqrt(a)))
		}},
		{"integrate_1d(gauss, negative_infinity(), positive_infinity(), {exp(x[1])}, xr, xi)", func(x []float64) float64 {
			return math.Sqrt(math.Pi / math.Exp(x[0]))
		}},
		{"integrate_1d(expo, x[2], positive_infinity(), {exp(x[1])}, xr, xi)", func(x []float64) float64 {
			a := math.Exp(x[0])
			return math.Exp(-a*x[1]) / a
		}},
		{"integrate_1d(grow, negative_infinity(), x[3], {1.0}, xr, xi) + integrate_1d(grow, x[3], x[2], {1.0}, xr, xi)", func(x []float64) float64 {
			return math.Exp(x[1])
		}},
		{"integrate_1d(root, 0, 1, {exp(x[1])}, xr, xi, 1e-12)", func(x []float64) float64 { return 2 * math.Exp(x[0]) }},
	})
}

// TestIntegrate1dVariadic: Stan 2.40's variadic integrators against closed
// forms, with gradients in a real, a vector and the limits; Gauss–Kronrod
// passes xc as NaN, the double-exponential form the distance to the limit.
func TestIntegrate1dVariadic(t *testing.T) {
	decls := `functions {
  real gauss(real x, real xc, real a, vector w, int k) { return k * w[2] * exp(-a * x * x); }
  real nan_xc(real x, real xc) { return is_nan(xc) ? 1 : 2; }
  real root(real x, real xc, real c) {
    if (x < 0.5) return c / sqrt(-xc);
    return c / sqrt(x);
  }
}`
	erf := math.Erf
	// ∫_lo^hi k w₂ e^{-a x²} dx = k w₂ √(π/4a) (erf(√a hi) - erf(√a lo)).
	gauss := func(lo, hi, a, w2 float64) float64 {
		return 3 * w2 * math.Sqrt(math.Pi/(4*a)) * (erf(math.Sqrt(a)*hi) - erf(math.Sqrt(a)*lo))
	}
	var cases []exprCase
	for _, f := range []string{"integrate_1d_gauss_kronrod", "integrate_1d_double_exponential"} {
		cases = append(cases,
			exprCase{f + "(gauss, 0, 1, exp(x[1]), [1, x[2]]', 3)", func(x []float64) float64 { return gauss(0, 1, math.Exp(x[0]), x[1]) }},
			exprCase{f + "(gauss, x[3], 2, exp(x[1]), [1, x[2]]', 3)", func(x []float64) float64 { return gauss(x[2], 2, math.Exp(x[0]), x[1]) }},
			exprCase{f + "_tol(gauss, -1, x[2], 1e-10, 0, 15, exp(x[1]), [1, x[2]]', 3)", func(x []float64) float64 { return gauss(-1, x[1], math.Exp(x[0]), x[1]) }},
			exprCase{f + "_tol(gauss, negative_infinity(), positive_infinity(), 1e-8, 1e-12, 12, exp(x[1]), [1, x[2]]', 3)", func(x []float64) float64 {
				return 3 * x[1] * math.Sqrt(math.Pi/math.Exp(x[0]))
			}},
		)
	}
	cases = append(cases,
		exprCase{"integrate_1d_gauss_kronrod(nan_xc, 0, 1) + x[1]", func(x []float64) float64 { return 1 + x[0] }},
		exprCase{"integrate_1d_double_exponential(nan_xc, 0, 1) + x[1]", func(x []float64) float64 { return 2 + x[0] }},
		exprCase{"integrate_1d_double_exponential_tol(root, 0, 1, 1e-12, 0, 15, exp(x[1]))", func(x []float64) float64 { return 2 * math.Exp(x[0]) }},
	)
	checkExprs(t, decls, []float64{0.7, 0.4, -0.3}, cases)

	src := decls + `
data { int c; }
parameters { real a; }
model {
  if (c == 1) target += integrate_1d_gauss_kronrod_tol(gauss, 0, 1, 1e-8, -1, 10, exp(a), [1, 1]', 1);
  if (c == 2) target += integrate_1d_double_exponential(gauss, 1, 0, exp(a), [1, 1]', 1);
  if (c == 3) target += integrate_1d_gauss_kronrod_tol(gauss, 0, 50, 1e-15, 0, 0, exp(a), [1, 1]', 1);
}`
	for c, want := range map[int]string{
		1: "integrate_1d_gauss_kronrod: absolute_tolerance is -1, but must be nonnegative",
		2: "integrate_1d_double_exponential: lower limit (1) must be less than or equal to the upper limit (0)",
		3: "integrate_1d_gauss_kronrod: error estimate of integral exceeds",
	} {
		m := buildSource(t, src, model.Data{"c": {Elems: []float64{float64(c)}, Int: true}})
		_, err := m.LogDensity([]float64{0.5}, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("case %d: error %v, want %q", c, err, want)
		}
	}
}

func TestAlgebraSolvers(t *testing.T) {
	// The root of (e^{y1} - a, y1 y2 - b) is y1 = log a, y2 = b / log a.
	decls := `functions {
  vector sys(vector y, vector th, array[] real xr, array[] int xi) {
    return [exp(y[1]) - th[1], y[1] * y[2] - th[2] * xr[1]]';
  }
  vector sysv(vector y, real a, array[] real b, data real c) {
    return [exp(y[1]) - a, y[1] * y[2] - b[1] * c]';
  }
}
transformed data { array[1] real xr = {1.0}; array[0] int xi; }`
	want := func(x []float64) float64 {
		a, b := math.Exp(x[0])+1, x[1]
		return math.Log(a) + 3*b/math.Log(a)
	}
	var cases []exprCase
	for _, call := range []string{
		"algebra_solver(sys, [1, 1]', [exp(x[1]) + 1, x[2]]', xr, xi)",
		"algebra_solver(sys, [1, 1]', [exp(x[1]) + 1, x[2]]', xr, xi, 1e-10, 1e-8, 100)",
		"algebra_solver_newton(sys, [1, 1]', [exp(x[1]) + 1, x[2]]', xr, xi)",
		"algebra_solver_newton(sys, [1, 1]', [exp(x[1]) + 1, x[2]]', xr, xi, 1e-10, 1e-8, 100)",
		"solve_newton(sysv, [1, 1]', exp(x[1]) + 1, {x[2]}, 1.0)",
		"solve_powell(sysv, [1, 1]', exp(x[1]) + 1, {x[2]}, 1.0)",
		"solve_newton_tol(sysv, [1, 1]', 1e-3, 1e-9, 100, exp(x[1]) + 1, {x[2]}, 1.0)",
		"solve_powell_tol(sysv, [1, 1]', 1e-10, 1e-9, 100, exp(x[1]) + 1, {x[2]}, 1.0)",
	} {
		cases = append(cases, exprCase{"dot_product(" + call + ", [1, 3]')", want})
	}
	checkExprs(t, decls, []float64{0.3, 0.8}, cases)

	src := strings.Replace(decls, "transformed data {", "data { int c; }\ntransformed data {", 1) + `
parameters { real a; }
model {
  vector[2] y;
  if (c == 1) y = solve_newton(sysv, [1, 1]', -1 - exp(a), {1.0}, 1.0);
  target += y[1];
}`
	for c, want := range map[int]string{
		1: "solve_newton: max number of iterations: 200 exceeded.",
	} {
		m := buildSource(t, src, model.Data{"c": {Elems: []float64{float64(c)}, Int: true}})
		_, err := m.LogDensity([]float64{0.5}, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("case %d: error %v, want %q", c, err, want)
		}
	}
}

// TestGaussKronrod checks the quadrature rule: it integrates polynomials
// of degree up to 22 exactly on one interval.
func TestGaussKronrod(t *testing.T) {
	for deg := range 23 {
		got, ok := adaptiveQuad(func(x float64, out []float64) { out[0] = math.Pow(x, float64(deg)) }, -1, 1, 1, quadTol{rel: 1e-14, maxIntervals: quadMaxIntervals})
		want := 0.0
		if deg%2 == 0 {
			want = 2 / float64(deg+1)
		}
		if !ok || math.Abs(got[0]-want) > 1e-14 {
			t.Errorf("∫ x^%d over [-1, 1] = %v (converged %v), want %v", deg, got[0], ok, want)
		}
	}
}

// TestSolveTolControls checks that solve_newton_tol and solve_powell_tol
// use their controls: a negative function tolerance is Stan's error.
func TestSolveTolControls(t *testing.T) {
	for _, name := range []string{"solve_newton_tol", "solve_powell_tol"} {
		src := `functions { vector sys(vector y, real a) { return y - a; } }
parameters { real a; }
model { target += ` + name + `(sys, [1]', 1e-6, -1, 100, a)[1]; }
`
		m := buildSource(t, src, nil)
		if _, err := m.LogDensity([]float64{0.5}, nil); err == nil || !strings.Contains(err.Error(), name+": function_tolerance is -1, but must be positive") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

package compile

import (
	"math"
	"strings"
	"testing"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/parser"
	"github.com/gostan/gostan/stan/token"
)

// This file tests what compile gained to compile everything the checker
// accepts: values against closed forms or Go's math, gradients against
// central finite differences of the compiled log density.

// buildSource compiles a program and binds data.
func buildSource(t *testing.T, src string, data model.Data) *Model {
	t.Helper()
	fset := token.NewFileSet()
	prog, err := parser.ParseFile(fset, "gaps.stan", []byte(src), nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	info, err := check.Check(fset, prog)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	p, err := Compile(fset, prog, info)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	m, err := p.NewModel(data, 1)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return m
}

// exprCase is a real expression of the parameter vector x, with the value
// Go computes for it.
type exprCase struct {
	expr string
	want func(x []float64) float64
}

// checkExprs compiles target += expr for each case, with x a vector of
// len(at) unconstrained parameters and the declarations decls (functions,
// data and transformed data blocks) before the parameters block, and
// compares the log density at at with want and its gradient with central
// finite differences.
func checkExprs(t *testing.T, decls string, at []float64, cases []exprCase) {
	t.Helper()
	for _, c := range cases {
		src := decls + "\nparameters { vector[" + itoa(len(at)) + "] x; }\nmodel { target += " + c.expr + "; }\n"
		m := buildSource(t, src, nil)
		checkModelAt(t, c.expr, m, at, c.want)
	}
}

// checkModelAt compares m's log density at x with want (if not nil) and
// its gradient with central finite differences.
func checkModelAt(t *testing.T, what string, m *Model, x []float64, want func([]float64) float64) {
	t.Helper()
	grad := make([]float64, len(x))
	lp, err := m.LogDensity(x, grad)
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	if want != nil {
		w := want(x)
		if !(math.Abs(lp-w) <= 1e-9*math.Max(1, math.Abs(w))) {
			t.Errorf("%s = %.15g, want %.15g", what, lp, w)
		}
	}
	for i := range x {
		h := 1e-6 * math.Max(1, math.Abs(x[i]))
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[i] += h
		xm[i] -= h
		fp, e1 := m.LogDensity(xp, nil)
		fm, e2 := m.LogDensity(xm, nil)
		if e1 != nil || e2 != nil {
			t.Errorf("%s: at x ± h: %v %v", what, e1, e2)
			return
		}
		fd := (fp - fm) / (2 * h)
		if !(math.Abs(fd-grad[i]) <= 1e-6*math.Max(1, math.Abs(fd))) {
			t.Errorf("%s: d/dx[%d] = %.12g, finite difference %.12g", what, i+1, grad[i], fd)
		}
	}
}

// TestOperatorCalls checks that an operator's function name calls the
// operator: add(a, b) is a + b.
func TestOperatorCalls(t *testing.T) {
	at := []float64{1.5, -0.7, 2.25}
	x := func(v []float64, i int) float64 { return v[i-1] }
	checkExprs(t, "", at, []exprCase{
		{"add(x[1], x[2]) + subtract(x[1], x[3])", func(v []float64) float64 { return x(v, 1) + x(v, 2) + x(v, 1) - x(v, 3) }},
		{"multiply(x[1], x[2]) + divide(x[3], x[1])", func(v []float64) float64 { return x(v, 1)*x(v, 2) + x(v, 3)/x(v, 1) }},
		{"elt_multiply(x[1], x[3]) + elt_divide(x[2], x[3])", func(v []float64) float64 { return x(v, 1)*x(v, 3) + x(v, 2)/x(v, 3) }},
		{"sum(elt_pow(x, 2.0)) + sum(elt_pow(2.0, x))", func(v []float64) float64 {
			s := 0.0
			for _, a := range v {
				s += a*a + math.Pow(2, a)
			}
			return s
		}},
		{"minus(x[2]) + plus(x[3])", func(v []float64) float64 { return -x(v, 2) + x(v, 3) }},
		{"sum(multiply(x, to_row_vector(x)))", func(v []float64) float64 {
			s := 0.0
			for _, a := range v {
				for _, b := range v {
					s += a * b
				}
			}
			return s
		}},
		{"modulus(7, 3) + int_divide(7, 2) + equals(1, 1) + not_equals(x[1], x[2]) + less(1, 2) + less_equal(x[1], x[2]) + greater(2, 1) + greater_equal(x[1], x[1]) + logical_and(1, 0) + logical_or(0, x[1]) + logical_negation(0) + logical_negation(x[1])",
			func(v []float64) float64 { return 1 + 3 + 1 + 1 + 1 + 0 + 1 + 1 + 0 + 1 + 1 + 0 }},
	})
}

// TestSpecialFunctions checks the special functions of scalars against
// closed forms and Go's math.
func TestSpecialFunctions(t *testing.T) {
	at := []float64{2.5, 0.7, 1.3}
	checkExprs(t, "", at, []exprCase{
		{"bessel_first_kind(2, x[1]) + bessel_second_kind(1, x[1])", func(v []float64) float64 { return math.Jn(2, v[0]) + math.Yn(1, v[0]) }},
		// I_0(x) = Σ (x²/4)^k / (k!)², K_1 from Abramowitz & Stegun's
		// integral K_1(x) = ∫_0^∞ e^{-x cosh u} cosh u du.
		{"modified_bessel_first_kind(0, x[2]) + log_modified_bessel_first_kind(x[3], x[1])", func(v []float64) float64 {
			return besselISeries(0, v[1]) + math.Log(besselISeries(v[2], v[0]))
		}},
		{"modified_bessel_second_kind(1, x[1])", func(v []float64) float64 {
			s, h := 0.0, 1e-3
			for u := h / 2; u < 30; u += h {
				s += math.Exp(-v[0]*math.Cosh(u)) * math.Cosh(u) * h
			}
			return s
		}},
		{"binary_log_loss(1, inv_logit(x[2])) + binary_log_loss(0, inv_logit(x[3]))", func(v []float64) float64 {
			return -math.Log(1/(1+math.Exp(-v[1]))) - math.Log(1-1/(1+math.Exp(-v[2])))
		}},
		{"falling_factorial(x[1], 2) + rising_factorial(x[1], 3)", func(v []float64) float64 {
			a := v[0]
			return a*(a-1) + a*(a+1)*(a+2)
		}},
		{"log_falling_factorial(x[1], x[2]) + log_rising_factorial(x[1], x[3])", func(v []float64) float64 {
			lg := func(z float64) float64 { r, _ := math.Lgamma(z); return r }
			return lg(v[0]+1) - lg(v[0]-v[1]+1) + lg(v[0]+v[2]) - lg(v[0])
		}},
		{"lmgamma(3, x[1])", func(v []float64) float64 {
			lg := func(z float64) float64 { r, _ := math.Lgamma(z); return r }
			return 3*2/4.0*math.Log(math.Pi) + lg(v[0]) + lg(v[0]-0.5) + lg(v[0]-1)
		}},
		// P(1, x) = 1 - e^{-x}; I_x(1, b) = 1 - (1-x)^b; I_x(a, 1) = x^a.
		{"gamma_p(1, x[1]) + gamma_q(1, x[3])", func(v []float64) float64 { return 1 - math.Exp(-v[0]) + math.Exp(-v[2]) }},
		{"gamma_p(x[1], x[3])", nil},
		{"inc_beta(1, x[1], inv_logit(x[2])) + log_inc_beta(x[3], 1, inv_logit(x[2]))", func(v []float64) float64 {
			p := 1 / (1 + math.Exp(-v[1]))
			return 1 - math.Pow(1-p, v[0]) + v[2]*math.Log(p)
		}},
		{"inc_beta(x[1], x[3], inv_logit(x[2]))", nil},
		// T(h, 1) = Φ(h)(1 - Φ(h))/2.
		{"owens_t(x[2], 1)", func(v []float64) float64 {
			p := 0.5 * math.Erfc(-v[1]/math.Sqrt2)
			return p * (1 - p) / 2
		}},
		{"owens_t(x[2], x[3])", nil},
	})
}

// besselISeries is I_v(x) by its power series.
func besselISeries(v, x float64) float64 {
	s, term := 0.0, math.Pow(x/2, v)/math.Gamma(v+1)
	for k := 0; k < 200; k++ {
		s += term
		term *= x * x / 4 / (float64(k+1) * (float64(k+1) + v))
	}
	return s
}

func joinLines(lines ...string) string { return strings.Join(lines, "\n") }

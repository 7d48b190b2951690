package compile

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

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

// linalgDecls declares the data of TestLinearAlgebra: W weighs a matrix
// result's entries, w a vector's.
const linalgDecls = `transformed data {
  matrix[3, 3] W = [[1, 2, 3], [0.5, -1, 2], [1.5, 0.25, -2]];
  vector[3] w = [1, -2, 0.5]';
}`

// Stan's A, S and b of TestLinearAlgebra, from x (12 parameters).
const (
	stanA = "(to_matrix(x[1:9], 3, 3) + diag_matrix(rep_vector(3, 3)))"
	stanS = "(crossprod(" + stanA + ") + diag_matrix(rep_vector(1, 3)))"
	stanB = "x[10:12]"
)

var linW = mat.NewDense(3, 3, []float64{1, 2, 3, 0.5, -1, 2, 1.5, 0.25, -2})
var linw = mat.NewVecDense(3, []float64{1, -2, 0.5})

// goA, goS and goB are the same in Go.
func goA(x []float64) *mat.Dense {
	a := mat.NewDense(3, 3, nil)
	for j := range 3 {
		for i := range 3 {
			a.Set(i, j, x[i+3*j])
		}
		a.Set(j, j, a.At(j, j)+3)
	}
	return a
}

func goS(x []float64) *mat.Dense {
	var s mat.Dense
	a := goA(x)
	s.Mul(a.T(), a)
	for i := range 3 {
		s.Set(i, i, s.At(i, i)+1)
	}
	return &s
}

func goB(x []float64) *mat.VecDense { return mat.NewVecDense(3, append([]float64(nil), x[9:12]...)) }

// weighed is Σ W ∘ m.
func weighed(m mat.Matrix) float64 {
	var p mat.Dense
	p.MulElem(linW, m)
	return mat.Sum(&p)
}

func TestLinearAlgebra(t *testing.T) {
	at := []float64{0.3, -0.2, 0.5, 0.1, 0.4, -0.6, 0.2, 0.7, -0.1, 1.2, -0.8, 0.4}
	A, S, b := stanA, stanS, stanB
	solve := func(m mat.Matrix, v mat.Vector) *mat.VecDense {
		var r mat.VecDense
		if err := r.SolveVec(m, v); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	inv := func(m mat.Matrix) *mat.Dense {
		var r mat.Dense
		if err := r.Inverse(m); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	lower := func(m *mat.Dense) *mat.Dense {
		l := mat.DenseCopyOf(m)
		for j := range 3 {
			for i := range j {
				l.Set(i, j, 0)
			}
		}
		return l
	}
	checkExprs(t, linalgDecls, at, []exprCase{
		{"dot_product(w, mdivide_left(" + A + ", " + b + ")) + dot_product(w, " + A + " \\ " + b + ")", func(x []float64) float64 {
			return 2 * mat.Dot(linw, solve(goA(x), goB(x)))
		}},
		{"sum(W .* mdivide_left(" + A + ", W)) + sum(W .* (" + A + " \\ W))", func(x []float64) float64 {
			var r mat.Dense
			r.Solve(goA(x), linW)
			return 2 * weighed(&r)
		}},
		{"dot_product(w, mdivide_right(" + b + "', " + A + ")) + dot_product(w, " + b + "' / " + A + ") + sum(W .* (W / " + A + "))", func(x []float64) float64 {
			var r mat.Dense
			r.Mul(linW, inv(goA(x)))
			return 2*mat.Dot(linw, solve(goA(x).T(), goB(x))) + weighed(&r)
		}},
		{"dot_product(w, mdivide_left_spd(" + S + ", " + b + ")) + dot_product(w, mdivide_right_spd(" + b + "', " + S + "))", func(x []float64) float64 {
			return 2 * mat.Dot(linw, solve(goS(x), goB(x)))
		}},
		{"dot_product(w, mdivide_right_tri_low(" + b + "', " + A + "))", func(x []float64) float64 {
			return mat.Dot(linw, solve(lower(goA(x)).T(), goB(x)))
		}},
		{"sum(W .* inverse(" + A + ")) + sum(W .* inverse_spd(" + S + "))", func(x []float64) float64 {
			return weighed(inv(goA(x))) + weighed(inv(goS(x)))
		}},
		{"determinant(" + A + ") + trace(" + A + ")", func(x []float64) float64 {
			return mat.Det(goA(x)) + mat.Trace(goA(x))
		}},
		{"sum(W .* matrix_exp(" + A + "))", func(x []float64) float64 {
			var r mat.Dense
			r.Exp(goA(x))
			return weighed(&r)
		}},
		{"sum(W .* matrix_exp(0.01 * " + A + "))", func(x []float64) float64 {
			var a, r mat.Dense
			a.Scale(0.01, goA(x))
			r.Exp(&a)
			return weighed(&r)
		}},
		{"dot_product(w[1:2], singular_values(block(" + A + ", 1, 1, 3, 2)))", func(x []float64) float64 {
			var svd mat.SVD
			svd.Factorize(goA(x).Slice(0, 3, 0, 2), mat.SVDNone)
			s := svd.Values(nil)
			return s[0] - 2*s[1]
		}},
		{"quad_form(" + S + ", " + b + ") + quad_form_sym(" + S + ", " + b + ") + sum(W .* quad_form(" + S + ", " + A + ")) + sum(W .* quad_form_sym(" + S + ", " + A + "))", func(x []float64) float64 {
			var q mat.Dense
			a := goA(x)
			q.Product(a.T(), goS(x), a)
			return 2*mat.Inner(goB(x), goS(x), goB(x)) + 2*weighed(&q)
		}},
		{"trace_quad_form(" + S + ", " + A + ") + trace_gen_quad_form(W, " + S + ", " + A + ")", func(x []float64) float64 {
			var q, dq mat.Dense
			a := goA(x)
			q.Product(a.T(), goS(x), a)
			dq.Mul(linW, &q)
			return mat.Trace(&q) + mat.Trace(&dq)
		}},
		{"norm1(" + b + ") + norm2(" + b + ") + norm1(to_array_1d(" + b + ")) + norm2(" + b + "')", func(x []float64) float64 {
			return 2*(math.Abs(x[9])+math.Abs(x[10])+math.Abs(x[11])) + 2*math.Sqrt(x[9]*x[9]+x[10]*x[10]+x[11]*x[11])
		}},
		// The first column of a correlation Cholesky factor is (1, z1, z2)
		// with z = tanh of the first two unconstrained values.
		{"sum(col(cholesky_corr_constrain(x[1:3], 3), 1)) + sum(rows_dot_self(cholesky_corr_constrain(x[1:3], 3)))", func(x []float64) float64 {
			return 1 + math.Tanh(x[0]) + math.Tanh(x[1]) + 3
		}},
	})
}

// TestContainerFunctions checks the functions that build and reshape
// containers: values through weighted sums, gradients where they have
// any.
func TestContainerFunctions(t *testing.T) {
	at := []float64{0.4, -1.1, 2.3, 0.9, -0.5, 1.7}
	checkExprs(t, "", at, []exprCase{
		{"dot_product(linspaced_vector(4, x[1], x[3]), [1, 2, 3, 4]') + sum(linspaced_row_vector(1, 0, x[4])) + sum(linspaced_array(3, -x[3], x[1]))", func(x []float64) float64 {
			s := 0.0
			for i := range 4 {
				s += float64(i+1) * (x[0] + float64(i)*(x[2]-x[0])/3)
			}
			return s + x[3] + 1.5*(x[0]-x[2])
		}},
		{"sum(linspaced_int_array(5, 1, 10)) + 100 * sum(linspaced_int_array(5, 1, 2)) + 1000 * sum(linspaced_int_array(1, 3, 7))", func(x []float64) float64 {
			// Eigen: {1, 3, 5, 7, 9}, {1, 1, 1, 2, 2}, {7}.
			return 25 + 100*7 + 1000*7
		}},
		{"dot_product(one_hot_vector(3, 2), x[1:3]) + 10 * sum(one_hot_int_array(4, 4)) + sum(zeros_vector(2)) + sum(ones_row_vector(3)) + sum(ones_array(2)) + sum(zeros_int_array(2)) + sum(ones_int_array(4)) + sum(zeros_array(1)) + sum(zeros_row_vector(2)) + sum(ones_vector(2)) + 7 * uniform_simplex(4)[3]", func(x []float64) float64 {
			return x[1] + 10 + 3 + 2 + 4 + 2 + 7*0.25
		}},
		{"rank(x, 3) + 10 * rank({3, 1, 2}, 1) + 100 * rank(to_array_1d(x), 2)", func(x []float64) float64 { return 5 + 10*2 + 0 }},
		{"dot_product(to_vector(sort_indices_asc(x)), [1, 2, 3, 4, 5, 6]') + 100 * sort_indices_desc({1, 3, 3, 2})[2] + 1000 * sort_indices_asc(x')[1]", func(x []float64) float64 {
			// ascending: -1.1(2) -0.5(5) 0.4(1) 0.9(4) 1.7(6) 2.3(3)
			return 2 + 2*5 + 3*1 + 4*4 + 5*6 + 6*3 + 100*3 + 1000*2
		}},
		{"to_array_2d(to_matrix(x, 2, 3))[2, 3] + 10 * to_array_2d(to_matrix(x, 2, 3))[1, 2]", func(x []float64) float64 { return x[5] + 10*x[2] }},
		{"sum(to_int({x[1] * 7, -x[2] * 7})) + to_int(x[3]) + to_int(-x[3])", func(x []float64) float64 { return 2 + 7 + 2 - 2 }},
		{"to_matrix(x, 3, 2, 0)[1, 2] + 10 * to_matrix(x, 3, 2, 1)[1, 2] + 100 * to_matrix(x', 2, 3, 0)[2, 1] + 1000 * to_matrix(to_array_1d(x), 2, 3)[2, 2] + 10000 * to_matrix(to_matrix(x, 2, 3), 3, 2, 0)[3, 1]", func(x []float64) float64 {
			// to_matrix(m, 3, 2, 0) reads m column-major and fills rows:
			// [[x1, x2], [x3, x4], [x5, x6]].
			return x[1] + 10*x[3] + 100*x[3] + 1000*x[3] + 10000*x[4]
		}},
		{"to_matrix({1, 2, 3, 4}, 2, 2, 0)[1, 2] + 10 * to_matrix({x[1], x[2]}, 1, 2)[1, 2] + to_matrix({x[1:2]', x[3:4]'})[2, 1] + to_matrix({x[1:3], x[4:6]})[2, 3]", func(x []float64) float64 {
			return 2 + 10*x[1] + x[2] + x[5]
		}},
		{"sum(append_array({x[1], x[2]}, {x[3]})) + sum(append_array({1, 2}, {x[4]})) + 10 * size(append_array({1}, {2, 3})) + sum(append_array({x[1:2]}, {x[3:4], x[5:6]})[3])", func(x []float64) float64 {
			return x[0] + x[1] + x[2] + 3 + x[3] + 30 + x[4] + x[5]
		}},
	})
}

// TestLogMix checks log_mix of vectors and arrays against log Σ θ e^λ.
func TestLogMix(t *testing.T) {
	at := []float64{0.3, -1.2, 0.8, -0.4, 0.1, 1.5, -2}
	lm := func(th, l []float64) float64 {
		s := 0.0
		for k := range th {
			s += th[k] * math.Exp(l[k])
		}
		return math.Log(s)
	}
	softmax := func(x []float64) []float64 {
		s := 0.0
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = math.Exp(v)
			s += out[i]
		}
		for i := range out {
			out[i] /= s
		}
		return out
	}
	checkExprs(t, "", at, []exprCase{
		{"log_mix(softmax(x[1:3]), x[4:6])", func(x []float64) float64 { return lm(softmax(x[0:3]), x[3:6]) }},
		{"log_mix(softmax(x[1:3]), to_array_1d(x[4:6]))", func(x []float64) float64 { return lm(softmax(x[0:3]), x[3:6]) }},
		{"log_mix(to_array_1d(softmax(x[1:2])), to_array_1d(x[4:5]))", func(x []float64) float64 { return lm(softmax(x[0:2]), x[3:5]) }},
		{"log_mix(softmax(x[1:3]), {x[4:6], x[5:7]})", func(x []float64) float64 {
			return lm(softmax(x[0:3]), x[3:6]) + lm(softmax(x[0:3]), x[4:7])
		}},
		{"log_mix(inv_logit(x[1]), x[2], x[3])", func(x []float64) float64 {
			p := 1 / (1 + math.Exp(-x[0]))
			return lm([]float64{p, 1 - p}, x[1:3])
		}},
	})
}

// TestGPCovariances checks the covariance functions, of one set of points
// and of two, of reals and of vectors.
func TestGPCovariances(t *testing.T) {
	// x[1:3] are 1-D points, x[4:7] two 2-D points, x[8:10] the magnitude,
	// length scale and period (through exp).
	at := []float64{0.3, -0.5, 1.1, 0.2, 0.7, -0.4, 1.3, 0.1, -0.2, 0.4}
	type kern func(d, a, r, p float64) float64
	expQuad := func(d, a, r, p float64) float64 { return a * a * math.Exp(-d*d/(2*r*r)) }
	m32 := func(d, a, r, p float64) float64 {
		return a * a * (1 + math.Sqrt(3)*d/r) * math.Exp(-math.Sqrt(3)*d/r)
	}
	m52 := func(d, a, r, p float64) float64 {
		return a * a * (1 + math.Sqrt(5)*d/r + 5*d*d/(3*r*r)) * math.Exp(-math.Sqrt(5)*d/r)
	}
	expo := func(d, a, r, p float64) float64 { return a * a * math.Exp(-d/r) }
	per := func(d, a, r, p float64) float64 {
		s := math.Sin(math.Pi * d / p)
		return a * a * math.Exp(-2*s*s/(r*r))
	}
	w := []float64{1, -0.5, 2, 0.25, -1.5, 0.75, 3, -2, 1.25}
	weighed := func(k kern, x1, x2 [][]float64, x []float64) float64 {
		a, r, p := math.Exp(x[7]), math.Exp(x[8]), math.Exp(x[9])
		s := 0.0
		for j := range x2 {
			for i := range x1 {
				d := 0.0
				for q := range x1[i] {
					d += (x1[i][q] - x2[j][q]) * (x1[i][q] - x2[j][q])
				}
				s += w[i+j*len(x1)] * k(math.Sqrt(d), a, r, p)
			}
		}
		return s
	}
	pts := func(x []float64) [][]float64 { return [][]float64{{x[0]}, {x[1]}, {x[2]}} }
	vecs := func(x []float64) [][]float64 { return [][]float64{{x[3], x[4]}, {x[5], x[6]}} }
	decls := "transformed data { matrix[3, 3] W = to_matrix({1, -0.5, 2, 0.25, -1.5, 0.75, 3, -2, 1.25}, 3, 3); }"
	var cases []exprCase
	for _, k := range []struct {
		name   string
		f      kern
		params string
		vec    bool
	}{
		{"gp_exp_quad_cov", expQuad, "exp(x[8]), exp(x[9])", true},
		{"cov_exp_quad", expQuad, "exp(x[8]), exp(x[9])", true},
		{"gp_matern32_cov", m32, "exp(x[8]), exp(x[9])", true},
		{"gp_matern52_cov", m52, "exp(x[8]), exp(x[9])", true},
		{"gp_exponential_cov", expo, "exp(x[8]), exp(x[9])", true},
		{"gp_periodic_cov", per, "exp(x[8]), exp(x[9]), exp(x[10])", false},
	} {
		f := k.f
		cases = append(cases, exprCase{"sum(W .* " + k.name + "(to_array_1d(x[1:3]), " + k.params + "))", func(x []float64) float64 {
			return weighed(f, pts(x), pts(x), x)
		}})
		if k.vec {
			cases = append(cases, exprCase{"sum(W[1:2, 1:2] .* " + k.name + "({x[4:5], x[6:7]}, " + k.params + "))", func(x []float64) float64 {
				// W[1:2, 1:2] in column-major order is w[0], w[1], w[3], w[4].
				a, r := math.Exp(x[7]), math.Exp(x[8])
				v := vecs(x)
				s := 0.0
				ww := [2][2]float64{{w[0], w[3]}, {w[1], w[4]}}
				for i := range 2 {
					for j := range 2 {
						d := math.Hypot(v[i][0]-v[j][0], v[i][1]-v[j][1])
						s += ww[i][j] * f(d, a, r, 0)
					}
				}
				return s
			}})
		}
	}
	for _, name := range []string{"gp_exp_quad_cov", "cov_exp_quad"} {
		cases = append(cases, exprCase{"sum(W[1:3, 1:2] .* " + name + "(to_array_1d(x[1:3]), to_array_1d(x[4:5]), exp(x[8]), exp(x[9])))", func(x []float64) float64 {
			return weighed(expQuad, pts(x), [][]float64{{x[3]}, {x[4]}}, x)
		}}, exprCase{"sum(W[1:2, 1:1] .* " + name + "({x[4:5], x[6:7]}, {x[1:2]}, exp(x[8]), exp(x[9])))", func(x []float64) float64 {
			return weighed(expQuad, vecs(x), [][]float64{{x[0], x[1]}}, x)
		}})
	}
	cases = append(cases, exprCase{"sum(W .* gp_dot_prod_cov(to_array_1d(x[1:3]), exp(x[8])))", func(x []float64) float64 {
		s := 0.0
		for j := range 3 {
			for i := range 3 {
				s += w[i+3*j] * (math.Exp(2*x[7]) + x[i]*x[j])
			}
		}
		return s
	}})
	checkExprs(t, decls, at, cases)
}

package compile

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/model"
)

// This file tests what compile gained to compile everything the checker
// accepts: values against closed forms or Go's math, gradients against
// central finite differences of the compiled log density.

// buildSource compiles a program and binds data.
func buildSource(t *testing.T, src string, data model.Data) *Model {
	t.Helper()
	return buildSourceWith(t, src, data, allOptimizations)
}

// buildSourceWith is buildSource compiling with the fused paths opts.
func buildSourceWith(t *testing.T, src string, data model.Data, opts optimizations) *Model {
	t.Helper()
	p, err := sourceWith("gaps.stan", []byte(src), opts)
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

// dataVector declares the vector name in transformed data, holding v.
func dataVector(name string, v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return "transformed data { vector[" + itoa(len(v)) + "] " + name + " = [" + strings.Join(s, ", ") + "]'; }"
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
		{"sum(pow(x, 2.0)) + sum(pow(2.0, x))", func(v []float64) float64 {
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
		{"modulus(7, 3) + logical_eq(1, 1) + logical_neq(x[1], x[2]) + logical_lt(1, 2) + logical_lte(x[1], x[2]) + logical_gt(2, 1) + logical_gte(x[1], x[1]) + logical_eq(to_complex(1, 2), 1) + logical_and(1, 0) + logical_or(0, 1) + logical_negation(0)",
			func(v []float64) float64 { return 1 + 1 + 1 + 1 + 0 + 1 + 1 + 0 + 0 + 1 + 1 }},
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
		{"inc_beta(1, x[1], inv_logit(x[2])) + log(inc_beta(x[3], 1, inv_logit(x[2])))", func(v []float64) float64 {
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
		{"sum(col(cholesky_factor_corr_constrain(x[1:3], 3), 1)) + sum(rows_dot_self(cholesky_factor_corr_constrain(x[1:3], 3)))", func(x []float64) float64 {
			return 1 + math.Tanh(x[0]) + math.Tanh(x[1]) + 3
		}},
	})
}

// TestContainerFunctions checks the functions that build and reshape
// containers: values through weighted sums, gradients where they have
// any.
func TestContainerFunctions(t *testing.T) {
	at := []float64{0.4, -1.1, 2.3, 0.9, -0.5, 1.7}
	// The bounds of the linspaced functions are data, here the values at.
	checkExprs(t, dataVector("xd", at), at, []exprCase{
		{"dot_product(linspaced_vector(4, xd[1], xd[3]), [1, 2, 3, 4]') + sum(linspaced_row_vector(1, 0, xd[4])) + sum(linspaced_array(3, -xd[3], xd[1]))", func(x []float64) float64 {
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
		{"dot_product(one_hot_vector(3, 2), x[1:3]) + 2 * (one_hot_row_vector(3, 1) * x[1:3]) + 3 * dot_product(one_hot_array(3, 3), to_array_1d(x[1:3])) + 10 * sum(one_hot_int_array(4, 4)) + sum(zeros_vector(2)) + sum(ones_row_vector(3)) + sum(ones_array(2)) + sum(zeros_int_array(2)) + sum(ones_int_array(4)) + sum(zeros_array(1)) + sum(zeros_row_vector(2)) + sum(ones_vector(2)) + 7 * uniform_simplex(4)[3]", func(x []float64) float64 {
			return x[1] + 2*x[0] + 3*x[2] + 10 + 3 + 2 + 4 + 2 + 7*0.25
		}},
		{"rank(x, 3) + 10 * rank({3, 1, 2}, 1) + 100 * rank(to_array_1d(x), 2)", func(x []float64) float64 { return 5 + 10*2 + 0 }},
		{"dot_product(to_vector(sort_indices_asc(x)), [1, 2, 3, 4, 5, 6]') + 100 * sort_indices_desc({1, 3, 3, 2})[2] + 1000 * sort_indices_asc(x')[1]", func(x []float64) float64 {
			// ascending: -1.1(2) -0.5(5) 0.4(1) 0.9(4) 1.7(6) 2.3(3)
			return 2 + 2*5 + 3*1 + 4*4 + 5*6 + 6*3 + 100*3 + 1000*2
		}},
		{"to_array_2d(to_matrix(x, 2, 3))[2, 3] + 10 * to_array_2d(to_matrix(x, 2, 3))[1, 2]", func(x []float64) float64 { return x[5] + 10*x[2] }},
		{"sum(to_int({xd[1] * 7, -xd[2] * 7})) + to_int(xd[3]) + to_int(-xd[3])", func(x []float64) float64 { return 2 + 7 + 2 - 2 }},
		{"to_matrix(x, 3, 2, 0)[1, 2] + 10 * to_matrix(x, 3, 2, 1)[1, 2] + 100 * to_matrix(x', 2, 3, 0)[2, 1] + 1000 * to_matrix(to_array_1d(x), 2, 3)[2, 2] + 10000 * to_matrix(to_matrix(x, 2, 3), 3, 2, 0)[3, 1]", func(x []float64) float64 {
			// to_matrix(m, 3, 2, 0) reads m column-major and fills rows:
			// [[x1, x2], [x3, x4], [x5, x6]].
			return x[1] + 10*x[3] + 100*x[3] + 1000*x[3] + 10000*x[4]
		}},
		{"to_matrix({1, 2, 3, 4}, 2, 2, 0)[1, 2] + 10 * to_matrix({x[1], x[2]}, 1, 2)[1, 2] + to_matrix({x[1:2]', x[3:4]'})[2, 1] + to_matrix({x[1:3], x[4:6]})[3, 2]", func(x []float64) float64 {
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
	// xd and vd are data points equal to the parameters' values at at: a
	// covariance of data points is one tape node over the parameters.
	decls := `transformed data { matrix[3, 3] W = to_matrix({1, -0.5, 2, 0.25, -1.5, 0.75, 3, -2, 1.25}, 3, 3);
  array[3] real xd = {0.3, -0.5, 1.1}; array[2] vector[2] vd = {[0.2, 0.7]', [-0.4, 1.3]'}; }`
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
		cases = append(cases, exprCase{"sum(W .* " + k.name + "(xd, " + k.params + "))", func(x []float64) float64 {
			return weighed(f, pts(x), pts(x), x)
		}})
		for _, pts := range []string{"{x[4:5], x[6:7]}", "vd"} {
			if !k.vec {
				break
			}
			cases = append(cases, exprCase{"sum(W[1:2, 1:2] .* " + k.name + "(" + pts + ", " + k.params + "))", func(x []float64) float64 {
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
		cases = append(cases, exprCase{"sum(W[1:3, 1:2] .* " + name + "(xd, {0.2, 0.7}, exp(x[8]), exp(x[9])))", func(x []float64) float64 {
			return weighed(expQuad, pts(x), [][]float64{{x[3]}, {x[4]}}, x)
		}})
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

// mvnLogPdf is the log density of N(mu, sigma) at y.
func mvnLogPdf(y, mu []float64, sigma mat.Symmetric) float64 {
	n := len(y)
	var ch mat.Cholesky
	if !ch.Factorize(sigma) {
		return math.NaN()
	}
	d := mat.NewVecDense(n, nil)
	for i := range n {
		d.SetVec(i, y[i]-mu[i])
	}
	var z mat.VecDense
	if err := ch.SolveVecTo(&z, d); err != nil {
		return math.NaN()
	}
	return -0.5*float64(n)*math.Log(2*math.Pi) - 0.5*ch.LogDet() - 0.5*mat.Dot(d, &z)
}

// symOf is a symmetric copy of m.
func symOf(m mat.Matrix) *mat.SymDense {
	n, _ := m.Dims()
	s := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			s.SetSym(i, j, m.At(i, j))
		}
	}
	return s
}

// spd2 is the 2×2 matrix crossprod(A) + I of four parameters, A read
// column-major, in Stan and in Go.
const stanSPD2 = "(crossprod(to_matrix(x[5:8], 2, 2)) + diag_matrix(rep_vector(1, 2)))"

func goSPD2(x []float64, off int) *mat.SymDense {
	a := mat.NewDense(2, 2, []float64{x[off], x[off+2], x[off+1], x[off+3]})
	var s mat.Dense
	s.Mul(a.T(), a)
	s.Set(0, 0, s.At(0, 0)+1)
	s.Set(1, 1, s.At(1, 1)+1)
	return symOf(&s)
}

func lmgamma(k int, a float64) float64 {
	v := float64(k*(k-1)) / 4 * math.Log(math.Pi)
	for j := 1; j <= k; j++ {
		l, _ := math.Lgamma(a + float64(1-j)/2)
		v += l
	}
	return v
}

// TestMoreMultivariateDensities checks the multivariate densities against
// their closed forms, and their gradients.
func TestMoreMultivariateDensities(t *testing.T) {
	at := []float64{0.3, -0.6, 0.2, 0.1, 0.9, -0.3, 0.4, 1.1, 0.5, -0.2, 0.7, 0.35}
	S := stanSPD2
	inv := func(s mat.Symmetric) *mat.SymDense {
		var d mat.Dense
		d.Inverse(s)
		return symOf(&d)
	}
	logDet := func(s mat.Matrix) float64 { l, _ := mat.LogDet(s); return l }
	checkExprs(t, "", at, []exprCase{
		{"multi_normal_prec_lpdf(x[1:2] | x[3:4], " + S + ") + multi_normal_prec_lpdf({x[1:2], x[9:10]} | x[3:4], " + S + ")", func(x []float64) float64 {
			sig := inv(goSPD2(x, 4))
			return mvnLogPdf(x[0:2], x[2:4], sig) + mvnLogPdf(x[0:2], x[2:4], sig) + mvnLogPdf(x[8:10], x[2:4], sig)
		}},
		{"multi_student_t_lpdf(x[1:2] | exp(x[9]) + 1, x[3:4], " + S + ")", func(x []float64) float64 {
			nu, p := math.Exp(x[8])+1, 2.0
			s := goSPD2(x, 4)
			d := mat.NewVecDense(2, []float64{x[0] - x[2], x[1] - x[3]})
			q := mat.Inner(d, inv(s), d)
			lg := func(z float64) float64 { r, _ := math.Lgamma(z); return r }
			return lg((nu+p)/2) - lg(nu/2) - p/2*math.Log(nu*math.Pi) - 0.5*logDet(s) - (nu+p)/2*math.Log1p(q/nu)
		}},
		{"wishart_lpdf(" + S + " | 3 + exp(x[9]), crossprod(to_matrix(x[9:12], 2, 2)) + diag_matrix(rep_vector(1, 2)))", func(x []float64) float64 {
			w, s, nu, p := goSPD2(x, 4), goSPD2(x, 8), 3+math.Exp(x[8]), 2.0
			var si mat.Dense
			si.Mul(inv(s), w)
			return (nu-p-1)/2*logDet(w) - mat.Trace(&si)/2 - nu*p/2*math.Ln2 - nu/2*logDet(s) - lmgamma(2, nu/2)
		}},
		{"inv_wishart_lpdf(" + S + " | 3 + exp(x[9]), crossprod(to_matrix(x[9:12], 2, 2)) + diag_matrix(rep_vector(1, 2)))", func(x []float64) float64 {
			w, s, nu, p := goSPD2(x, 4), goSPD2(x, 8), 3+math.Exp(x[8]), 2.0
			var sw mat.Dense
			sw.Mul(s, inv(w))
			return nu/2*logDet(s) - nu*p/2*math.Ln2 - lmgamma(2, nu/2) - (nu+p+1)/2*logDet(w) - mat.Trace(&sw)/2
		}},
		// Row i of y is N(0, Σ / w_i).
		{"multi_gp_lpdf(to_matrix(x[1:4], 2, 2) | " + S + ", exp(x[9:10])) + multi_gp_cholesky_lpdf(to_matrix(x[1:4], 2, 2) | cholesky_decompose(" + S + "), exp(x[9:10]))", func(x []float64) float64 {
			s := goSPD2(x, 4)
			lp := 0.0
			for i := range 2 {
				var si mat.SymDense
				si.ScaleSym(1/math.Exp(x[8+i]), s)
				lp += mvnLogPdf([]float64{x[i], x[i+2]}, []float64{0, 0}, &si)
			}
			return 2 * lp
		}},
		// lkj_cov is lognormal standard deviations and an LKJ correlation
		// matrix, without a Jacobian: its definition in Stan's terms.
		{"lkj_cov_lpdf(" + S + " | x[1:2], exp(x[3:4]), exp(x[9])) - lognormal_lpdf(sqrt(diagonal(" + S + ")) | x[1:2], exp(x[3:4])) - lkj_corr_lpdf(quad_form_diag(" + S + ", inv(sqrt(diagonal(" + S + ")))) | exp(x[9]))", func(x []float64) float64 { return 0 }},
		{"lkj_cov_lpdf(" + S + " | x[1:2], exp(x[3:4]), exp(x[9]))", nil},
	})
}

// TestGaussianDLMObs compares the Kalman filter's log likelihood with the
// log density of the observations' joint normal distribution.
func TestGaussianDLMObs(t *testing.T) {
	// n = 2 states, r = 1 observation series, T = 3 times.
	decls := `transformed data {
  matrix[1, 3] y = [[0.4, -0.3, 1.1]];
}`
	expr := "gaussian_dlm_obs_lpdf(y | to_matrix(x[1:2], 2, 1), [[0.9, x[3]], [0, 0.8]], [[exp(x[4])]], " + stanSPD2 + ", x[9:10], diag_matrix(exp(x[11:12])))"
	at := []float64{0.5, -0.4, 0.2, -0.3, 0.3, -0.2, 0.1, 0.6, 0.25, -0.5, 0.1, -0.2}
	want := func(x []float64) float64 {
		F := mat.NewDense(2, 1, []float64{x[0], x[1]})
		G := mat.NewDense(2, 2, []float64{0.9, x[2], 0, 0.8})
		V := math.Exp(x[3])
		W := goSPD2(x, 4)
		m0 := mat.NewVecDense(2, []float64{x[8], x[9]})
		C0 := mat.NewDense(2, 2, []float64{math.Exp(x[10]), 0, 0, math.Exp(x[11])})
		const T = 3
		// Means and covariances of the states θ_1..θ_T.
		means := make([]*mat.VecDense, T+1)
		P := make([]*mat.Dense, T+1)
		means[0], P[0] = m0, C0
		for k := 1; k <= T; k++ {
			var m mat.VecDense
			m.MulVec(G, means[k-1])
			means[k] = &m
			var p mat.Dense
			p.Product(G, P[k-1], G.T())
			p.Add(&p, W)
			P[k] = &p
		}
		// Cov(θ_s, θ_t) = P_s (G^{t-s})ᵀ for s ≤ t.
		cov := mat.NewSymDense(T, nil)
		mu := make([]float64, T)
		for s := 1; s <= T; s++ {
			var f mat.VecDense
			f.MulVec(F.T(), means[s])
			mu[s-1] = f.AtVec(0)
			for u := s; u <= T; u++ {
				g := mat.NewDense(2, 2, []float64{1, 0, 0, 1})
				for range u - s {
					g.Mul(G, g)
				}
				var c, fc mat.Dense
				c.Mul(P[s], g.T())
				fc.Product(F.T(), &c, F)
				v := fc.At(0, 0)
				if s == u {
					v += V
				}
				cov.SetSym(s-1, u-1, v)
			}
		}
		return mvnLogPdf([]float64{0.4, -0.3, 1.1}, mu, cov)
	}
	checkExprs(t, decls, at, []exprCase{{expr, want},
		{strings.Replace(expr, "[[exp(x[4])]]", "[exp(x[4])]'", 1), want}})
}

// TestMoreDiscreteDensities checks multinomial_logit and the categorical
// and negative binomial GLMs against their closed forms.
func TestMoreDiscreteDensities(t *testing.T) {
	at := []float64{0.3, -0.6, 0.2, 0.1, 0.9, -0.3, 0.4, 1.1}
	lg := func(z float64) float64 { r, _ := math.Lgamma(z); return r }
	lse := func(v []float64) float64 {
		s := 0.0
		for _, a := range v {
			s += math.Exp(a)
		}
		return math.Log(s)
	}
	decls := `transformed data {
  matrix[3, 2] X = [[1, 0.5], [-0.3, 2], [0.7, -1]];
  array[3] int yc = {2, 1, 3};
  array[3] int yn = {0, 4, 2};
}`
	X := [3][2]float64{{1, 0.5}, {-0.3, 2}, {0.7, -1}}
	checkExprs(t, decls, at, []exprCase{
		{"multinomial_logit_lpmf({2, 0, 3} | x[1:3]) + multinomial_logit_lupmf({1, 1, 1} | x[1:3])", func(x []float64) float64 {
			l := lse(x[0:3])
			full := lg(6) - lg(3) - lg(1) - lg(4) + 2*(x[0]-l) + 3*(x[2]-l)
			return full + (x[0] - l) + (x[1] - l) + (x[2] - l)
		}},
		// β is 2×3 (column-major x[4:9]... taken as x[3:8] here), α x[1:3].
		{"categorical_logit_glm_lpmf(yc | X, x[1:3], to_matrix(x[3:8], 2, 3)) + categorical_logit_glm_lpmf(2 | X, x[1:3], to_matrix(x[3:8], 2, 3))", func(x []float64) float64 {
			b := [2][3]float64{{x[2], x[4], x[6]}, {x[3], x[5], x[7]}}
			lp := 0.0
			for n := range 3 {
				eta := make([]float64, 3)
				for c := range 3 {
					eta[c] = x[c] + X[n][0]*b[0][c] + X[n][1]*b[1][c]
				}
				lp += eta[[]int{2, 1, 3}[n]-1] - lse(eta) + eta[1] - lse(eta)
			}
			return lp
		}},
		{"neg_binomial_2_log_glm_lpmf(yn | X, x[1], x[2:3], exp(x[4])) + neg_binomial_2_log_glm_lpmf(yn | X, x[5:7], x[2:3], exp(x[8]))", func(x []float64) float64 {
			nb := func(n int, eta, phi float64) float64 {
				k := float64(n)
				return lg(k+phi) - lg(k+1) - lg(phi) + k*eta + phi*math.Log(phi) - (k+phi)*math.Log(math.Exp(eta)+phi)
			}
			lp := 0.0
			for i, n := range []int{0, 4, 2} {
				xb := X[i][0]*x[1] + X[i][1]*x[2]
				lp += nb(n, x[0]+xb, math.Exp(x[3])) + nb(n, x[4+i]+xb, math.Exp(x[7]))
			}
			return lp
		}},
	})
}

// TestSkewDoubleExponential checks the family's density, CDFs, ~ and
// truncation in compiled programs.
func TestSkewDoubleExponential(t *testing.T) {
	at := []float64{0.3, -0.4, 0.2, -0.5}
	cdf := func(y, mu, s, tau float64) float64 {
		if y < mu {
			return tau * math.Exp(-2*(1-tau)*(mu-y)/s)
		}
		return 1 - (1-tau)*math.Exp(-2*tau*(y-mu)/s)
	}
	lpdf := func(y, mu, s, tau float64) float64 {
		w, d := tau, y-mu
		if y < mu {
			w, d = 1-tau, mu-y
		}
		return math.Log(2*tau*(1-tau)/s) - 2/s*w*d
	}
	p := func(x []float64) (mu, s, tau float64) { return x[1], math.Exp(x[2]), 1 / (1 + math.Exp(-x[3])) }
	args := "x[2], exp(x[3]), inv_logit(x[4])"
	checkExprs(t, "", at, []exprCase{
		{"skew_double_exponential_lpdf(x[1] | " + args + ") + skew_double_exponential_lpdf(-1.5 | " + args + ")", func(x []float64) float64 {
			mu, s, tau := p(x)
			return lpdf(x[0], mu, s, tau) + lpdf(-1.5, mu, s, tau)
		}},
		{"skew_double_exponential_lcdf(x[1] | " + args + ") + skew_double_exponential_lccdf(-1.5 | " + args + ") + skew_double_exponential_cdf(0.5 | " + args + ")", func(x []float64) float64 {
			mu, s, tau := p(x)
			return math.Log(cdf(x[0], mu, s, tau)) + math.Log(1-cdf(-1.5, mu, s, tau)) + cdf(0.5, mu, s, tau)
		}},
	})
	// ~ with truncation drops the constant log 2 and adds -log(F(U) - F(L)).
	src := `parameters { vector[4] x; }
model { 0.1 ~ skew_double_exponential(x[2], exp(x[3]), inv_logit(x[4])) T[-1, x[1] + 2]; }`
	m := buildSource(t, src, nil)
	checkModelAt(t, "truncated skew_double_exponential", m, at, func(x []float64) float64 {
		mu, s, tau := p(x)
		return lpdf(0.1, mu, s, tau) - math.Ln2 - math.Log(cdf(x[0]+2, mu, s, tau)-cdf(-1, mu, s, tau))
	})
}

// TestUserTruncation checks that a truncated ~ of a user-defined family
// adds the normalising term from the family's own CDF functions.
func TestUserTruncation(t *testing.T) {
	src := `functions {
  real foo_lpdf(real y, real mu) { return normal_lpdf(y | mu, 1); }
  real foo_lcdf(real y, real mu) { return normal_lcdf(y | mu, 1); }
  real foo_lccdf(real y, real mu) { return normal_lccdf(y | mu, 1); }
  real bar_lpmf(int n, real lambda) { return poisson_lpmf(n | lambda); }
  real bar_lcdf(int n, real lambda) { return poisson_lcdf(n | lambda); }
  real bar_lccdf(int n, real lambda) { return poisson_lccdf(n | lambda); }
}
data { int k; }
parameters { real mu; real<lower=0> lambda; }
model {
  0.3 ~ foo(mu) T[-1, 2];
  0.3 ~ foo(mu) T[0, ];
  0.3 ~ foo(mu) T[, 1.5];
  k ~ bar(lambda) T[2, 6];
  k ~ bar(lambda) T[2, ];
  k ~ bar(lambda) T[, 6];
}
`
	m := buildSource(t, src, model.Data{"k": {Elems: []float64{3}, Int: true}})
	phi := func(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
	// P(N <= n) for a Poisson(λ).
	pcdf := func(n int, l float64) float64 {
		s, term := 0.0, math.Exp(-l)
		for k := 0; k <= n; k++ {
			s += term
			term *= l / float64(k+1)
		}
		return s
	}
	at := []float64{0.4, 0.2} // lambda = e^0.2, with the log Jacobian 0.2
	checkModelAt(t, "user-defined truncation", m, at, func(x []float64) float64 {
		mu, l := x[0], math.Exp(x[1])
		ln := -0.5*math.Log(2*math.Pi) - 0.5*(0.3-mu)*(0.3-mu)
		lg, _ := math.Lgamma(4)
		lpois := 3*math.Log(l) - l - lg
		return x[1] + 3*ln - math.Log(phi(2-mu)-phi(-1-mu)) - math.Log(1-phi(0-mu)) - math.Log(phi(1.5-mu)) +
			3*lpois - math.Log(pcdf(6, l)-pcdf(1, l)) - math.Log(1-pcdf(1, l)) - math.Log(pcdf(6, l))
	})
	// Outside the bounds the density is zero.
	m = buildSource(t, strings.Replace(src, "T[2, 6]", "T[4, 6]", 1), model.Data{"k": {Elems: []float64{3}, Int: true}})
	if lp, err := m.LogDensity(at, nil); err != nil || !math.IsInf(lp, -1) {
		t.Errorf("k = 3 ~ bar(lambda) T[4, 6]: lp = %v, %v; want -inf", lp, err)
	}
}

// TestDiscreteRangeCDFs checks discrete_range's CDFs and its truncation.
func TestDiscreteRangeCDFs(t *testing.T) {
	checkExprs(t, "", []float64{0.1}, []exprCase{
		{"x[1] + discrete_range_lcdf(3 | 1, 4) + discrete_range_lccdf(3 | 1, 4) + discrete_range_cdf(2 | 1, 4) + discrete_range_cdf_log(0, -1, 4) + discrete_range_ccdf_log(3, -1, 4)", func(x []float64) float64 {
			return x[0] + math.Log(0.75) + math.Log(0.25) + 0.5 + math.Log(2.0/6) + math.Log(1.0/6)
		}},
	})
	src := `parameters { real x; }
model { target += x; 3 ~ discrete_range(-2, 7) T[0, 4]; 3 ~ discrete_range(-2, 7) T[0, ]; 3 ~ discrete_range(-2, 7) T[, 4]; }`
	m := buildSource(t, src, nil)
	checkModelAt(t, "truncated discrete_range", m, []float64{0.5}, func(x []float64) float64 {
		// 10 values; P(0 <= y <= 4) = 5/10, P(y >= 0) = 8/10, P(y <= 4) = 7/10.
		return x[0] + 3*math.Log(0.1) - math.Log(0.5) - math.Log(0.8) - math.Log(0.7)
	})
}

// TestMoreRngs draws from the rngs compile gained and compares the sample
// means with the distributions' means (within five standard errors), and
// checks the draws' support.
func TestMoreRngs(t *testing.T) {
	src := `transformed data {
  matrix[2, 2] S = [[2, 0.5], [0.5, 1]];
}
parameters { real x; }
model { x ~ normal(0, 1); }
generated quantities {
  vector[3] dir = dirichlet_rng([2, 3, 5]');
  int dr = discrete_range_rng(2, 5);
  array[2] int drv = discrete_range_rng({2, -3}, 5);
  int hg = hypergeometric_rng(5, 4, 6);
  array[3] int mn = multinomial_rng([0.2, 0.3, 0.5]', 10);
  array[3] int mnl = multinomial_logit_rng(log([0.2, 0.3, 0.5]'), 10);
  int ol = ordered_logistic_rng(0.5, [-1, 1]');
  int op = ordered_probit_rng(0.5, [-1, 1]');
  matrix[3, 3] lkj = lkj_corr_rng(3, 2);
  matrix[3, 3] lkjl = lkj_corr_cholesky_rng(3, 2);
  matrix[2, 2] w = wishart_rng(5, S);
  matrix[2, 2] iw = inv_wishart_rng(6, S);
  vector[2] mst = multi_student_t_rng(5, [1, -1]', S);
  array[2] vector[2] msts = multi_student_t_rng(5, {[1, -1]', [0, 2]'}, S);
  real sde = skew_double_exponential_rng(0.5, 2, 0.3);
  real lkjdiag = lkjl[3, 1]^2 + lkjl[3, 2]^2 + lkjl[3, 3]^2;
  array[2] int blg = bernoulli_logit_glm_rng([[1, 0.5], [-2, 1]], [0.3, 0.1]', [0.4, -0.6]');
  array[1] int blr = bernoulli_logit_glm_rng([1, 0.5], [0.3]', [0.4, -0.6]');
}
`
	m := buildSource(t, src, nil)
	names := m.Names()
	col := map[string]int{}
	for i, n := range names {
		col[n] = i
	}
	for _, n := range []string{"dir[1]", "mn[3]", "lkj[2,2]", "lkjdiag", "drv[2]", "msts[2,2]", "sde"} {
		if _, ok := col[n]; !ok {
			t.Fatalf("no column %s in %v", n, names)
		}
	}
	const draws = 4000
	sum := make([]float64, len(names))
	sq := make([]float64, len(names))
	out := make([]float64, len(names))
	r := rand.New(rand.NewPCG(3, 4))
	for range draws {
		if err := m.Write([]float64{0}, r, out); err != nil {
			t.Fatal(err)
		}
		for i, v := range out {
			sum[i] += v
			sq[i] += v * v
		}
		if s := out[col["dir[1]"]] + out[col["dir[2]"]] + out[col["dir[3]"]]; math.Abs(s-1) > 1e-12 {
			t.Fatalf("dirichlet_rng sums to %v", s)
		}
		if s := out[col["mn[1]"]] + out[col["mn[2]"]] + out[col["mn[3]"]]; s != 10 {
			t.Fatalf("multinomial_rng draws %v trials", s)
		}
		if d := out[col["lkj[2,2]"]]; d != 1 || out[col["lkj[1,2]"]] != out[col["lkj[2,1]"]] {
			t.Fatalf("lkj_corr_rng drew a matrix that is not a correlation matrix")
		}
		if d := out[col["lkjdiag"]]; math.Abs(d-1) > 1e-12 {
			t.Fatalf("lkj_corr_cholesky_rng: the last row has squared norm %v", d)
		}
		if v := out[col["drv[2]"]]; v < -3 || v > 5 {
			t.Fatalf("discrete_range_rng(-3, 5) drew %v", v)
		}
	}
	il := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	ph := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	ord := func(f func(float64) float64) float64 {
		p1, p3 := 1-f(0.5+1), f(0.5-1)
		return p1 + 2*(1-p1-p3) + 3*p3
	}
	for name, want := range map[string]float64{
		"dir[1]": 0.2, "dir[3]": 0.5, "dr": 3.5, "drv[2]": 1, "hg": 2, "mn[1]": 2, "mn[3]": 5, "mnl[2]": 3,
		"ol": ord(il), "op": ord(ph), "lkj[2,1]": 0, "w[1,1]": 10, "w[2,1]": 2.5, "iw[1,1]": 2.0 / 3, "iw[2,2]": 1.0 / 3,
		"mst[1]": 1, "mst[2]": -1, "msts[2,2]": 2, "sde": 0.5 + 0.7*2/(2*0.3) - 0.3*2/(2*0.7),
		// inv_logit(alpha_i + x_i · beta)
		"blg[1]": il(0.3 + 0.4 - 0.3), "blg[2]": il(0.1 - 0.8 - 0.6), "blr[1]": il(0.3 + 0.4 - 0.3),
	} {
		i := col[name]
		mean := sum[i] / draws
		se := math.Sqrt((sq[i]/draws - mean*mean) / draws)
		if math.Abs(mean-want) > 5*se+1e-9 {
			t.Errorf("%s: mean %v (standard error %.2g), want %v", name, mean, se, want)
		}
	}
}

// TestWiener checks the Wiener first passage time density: it integrates
// to the probability of reaching the upper boundary,
// (1 - e^{-2δβα}) / (1 - e^{-2δα}); its gradient matches finite
// differences. (dist tests its two series.)
func TestWiener(t *testing.T) {
	const al, tau, be, de = 1.3, 0.2, 0.4, 0.8
	m := buildSource(t, "parameters { real x; }\nmodel { target += wiener_lpdf(x | 1.3, 0.2, 0.4, 0.8); }", nil)
	dens := func(y float64) float64 {
		lp, err := m.LogDensity([]float64{y}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return math.Exp(lp)
	}
	got, ok := adaptiveQuad(func(u float64, out []float64) {
		// y = τ + u / (1 - u)
		out[0] = dens(tau+u/(1-u)) / ((1 - u) * (1 - u))
	}, 0, 1, 1, quadTol{rel: 1e-10, maxIntervals: quadMaxIntervals})
	want := (1 - math.Exp(-2*de*be*al)) / (1 - math.Exp(-2*de*al))
	if !ok || math.Abs(got[0]-want) > 1e-8 {
		t.Errorf("∫ wiener density = %v (converged %v), want %v", got[0], ok, want)
	}
	src := `parameters { vector[5] x; }
model {
  target += wiener_lpdf(1.5 | exp(x[1]), inv_logit(x[2]), inv_logit(x[3]), x[4]);
  target += wiener_lpdf([0.6, 2.5]' | exp(x[1]), 0.3, inv_logit(x[3]), x[5]);
  0.3 + exp(x[5]) ~ wiener(exp(x[1]), 0.3, inv_logit(x[3]), x[4]);
}`
	checkModelAt(t, "wiener", buildSource(t, src, nil), []float64{0.2, -0.5, 0.3, 0.7, -1.2}, nil)
	// y at or before τ is an error.
	m = buildSource(t, "parameters { real x; }\nmodel { target += wiener_lpdf(0.1 | 1.3, 0.2, 0.4, x); }", nil)
	if _, err := m.LogDensity([]float64{0}, nil); err == nil || !strings.Contains(err.Error(), "must be greater than nondecision time") {
		t.Errorf("y < tau: error %v", err)
	}
}

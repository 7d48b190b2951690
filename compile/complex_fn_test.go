package compile

import (
	"math"
	"math/cmplx"
	"strconv"
	"strings"
	"testing"
)

// cmplxFuncs are Go's math/cmplx functions, the independent source the
// complex special functions are checked against.
var cmplxFuncs = map[string]func(complex128) complex128{
	"exp": cmplx.Exp, "log": cmplx.Log, "log10": cmplx.Log10, "sqrt": cmplx.Sqrt,
	"sin": cmplx.Sin, "cos": cmplx.Cos, "tan": cmplx.Tan,
	"asin": cmplx.Asin, "acos": cmplx.Acos, "atan": cmplx.Atan,
	"sinh": cmplx.Sinh, "cosh": cmplx.Cosh, "tanh": cmplx.Tanh,
	"asinh": cmplx.Asinh, "acosh": cmplx.Acosh, "atanh": cmplx.Atanh,
}

func cclose(got, want complex128, tol float64) bool {
	return cmplx.Abs(got-want) <= tol*(1+cmplx.Abs(want))
}

// TestComplexSpecialValues checks every complex special function against
// math/cmplx on a grid of points off the axes in all four quadrants,
// small and large, and its derivative against a central difference of
// its own values.
func TestComplexSpecialValues(t *testing.T) {
	if len(cmplxFuncs) != len(complexUnary) {
		t.Fatalf("%d functions checked, %d defined", len(cmplxFuncs), len(complexUnary))
	}
	var pts []complex128
	for _, r := range []float64{0.013, 0.4, 0.97, 1.6, 7.3} {
		for _, a := range []float64{0.3, 1.2, 1.9, 2.8, -0.4, -1.4, -2.2, -3.0} {
			pts = append(pts, cmplx.Rect(r, a))
		}
	}
	for name, f := range complexUnary {
		ref := cmplxFuncs[name]
		for _, z := range pts {
			v, d := f(z)
			if want := ref(z); !cclose(v, want, 1e-13) {
				t.Errorf("%s(%v) = %v, math/cmplx %v", name, z, v, want)
			}
			h := 1e-6 * cmplx.Abs(z)
			p, _ := f(z + complex(h, 0))
			m, _ := f(z - complex(h, 0))
			if fd := (p - m) / complex(2*h, 0); !cclose(d, fd, 1e-6) {
				t.Errorf("%s'(%v) = %v, central difference %v", name, z, d, fd)
			}
		}
	}
}

// TestComplexBranchCuts checks the values on the branch cuts, where the
// sign of a zero part chooses the side, against the values C99's Annex G
// (which C++'s std::complex follows) gives, worked by hand.
func TestComplexBranchCuts(t *testing.T) {
	negz := math.Copysign(0, -1)
	a2 := math.Acosh(2)
	at2 := math.Atanh(0.5)
	cases := []struct {
		fn   string
		z    complex128
		want complex128
	}{
		{"sqrt", complex(-4, 0), complex(0, 2)},
		{"sqrt", complex(-4, negz), complex(0, -2)},
		{"log", complex(-1, 0), complex(0, math.Pi)},
		{"log", complex(-1, negz), complex(0, -math.Pi)},
		{"asin", complex(2, 0), complex(math.Pi/2, a2)},
		{"asin", complex(2, negz), complex(math.Pi/2, -a2)},
		{"asin", complex(-2, 0), complex(-math.Pi/2, a2)},
		{"acos", complex(2, 0), complex(0, -a2)},
		{"acos", complex(2, negz), complex(0, a2)},
		{"acos", complex(-2, 0), complex(math.Pi, -a2)},
		{"atanh", complex(2, 0), complex(at2, math.Pi/2)},
		{"atanh", complex(2, negz), complex(at2, -math.Pi/2)},
		{"atanh", complex(-2, 0), complex(-at2, math.Pi/2)},
		{"asinh", complex(0, 2), complex(a2, math.Pi/2)},
		{"asinh", complex(negz, 2), complex(-a2, math.Pi/2)},
		{"asinh", complex(0, -2), complex(a2, -math.Pi/2)},
		{"atan", complex(0, 2), complex(math.Pi/2, at2)},
		{"atan", complex(negz, 2), complex(-math.Pi/2, at2)},
		{"atan", complex(0, -2), complex(math.Pi/2, -at2)},
		{"acosh", complex(-2, 0), complex(a2, math.Pi)},
		{"acosh", complex(-2, negz), complex(a2, -math.Pi)},
		{"acosh", complex(0.5, 0), complex(0, math.Pi/3)},
		{"acosh", complex(0.5, negz), complex(0, -math.Pi/3)},
		// Off the cuts, on the real axis, the real functions.
		{"asin", complex(0.5, 0), complex(math.Pi/6, 0)},
		{"acos", complex(0.5, 0), complex(math.Pi/3, negz)}, // C99: cacos(x + i0) = acos x - i0
		{"atanh", complex(0.5, 0), complex(at2, 0)},
		{"acosh", complex(2, 0), complex(a2, 0)},
		{"asinh", complex(1e-9, 0), complex(math.Asinh(1e-9), 0)},
	}
	for _, c := range cases {
		got, _ := complexUnary[c.fn](c.z)
		if !cclose(got, c.want, 1e-15) || math.Signbit(imag(got)) != math.Signbit(imag(c.want)) {
			t.Errorf("%s(%v) = %v, want %v", c.fn, c.z, got, c.want)
		}
	}
	for _, c := range []struct{ z, w, want complex128 }{
		{complex(-8, 0), 1.0 / 3, complex(1, math.Sqrt(3))},
		{complex(-8, negz), 1.0 / 3, complex(1, -math.Sqrt(3))},
		{0, complex(2.5, 1), 0},
		{1i, 1i, complex(math.Exp(-math.Pi/2), 0)},
	} {
		if got, _, _ := cpow(c.z, c.w); !cclose(got, c.want, 1e-15) {
			t.Errorf("pow(%v, %v) = %v, want %v", c.z, c.w, got, c.want)
		}
	}
}

// TestComplexSpecialGradients compiles each special function, pow in
// its forms (operators, containers, real and complex operands) and prod
// on complex values made of the parameters, and checks a real function
// of the results (real and imaginary parts) against math/cmplx and its
// gradient against central finite differences.
func TestComplexSpecialGradients(t *testing.T) {
	at := []float64{0.7, -1.2, 0.4, 1.5, -0.3, 0.9}
	decls := `
  complex z = to_complex(x[1], x[2]);
  complex w = to_complex(x[3], x[4]);
  complex_vector[2] v = to_complex(x[3:4], x[5:6]);
  array[2] complex a = {z, w};
  complex_matrix[2, 2] M = to_complex(to_matrix(x[1:4], 2, 2), to_matrix(x[3:6], 2, 2));
`
	parts := func(x []float64) (z, w complex128, v []complex128, M [4]complex128) {
		z, w = complex(x[0], x[1]), complex(x[2], x[3])
		v = []complex128{complex(x[2], x[4]), complex(x[3], x[5])}
		for k := range 4 {
			M[k] = complex(x[k], x[2+k])
		}
		return
	}
	re2 := func(z complex128) float64 { return real(z) + 2*imag(z) }
	var cases []exprCase
	for name, f := range cmplxFuncs {
		cases = append(cases, exprCase{"get_real(" + name + "(z)) + 2 * get_imag(" + name + "(z))", func(x []float64) float64 {
			z, _, _, _ := parts(x)
			return re2(f(z))
		}})
	}
	cpowRef := func(z, w complex128) complex128 { return cmplx.Exp(w * cmplx.Log(z)) }
	weigh := func(vs ...complex128) float64 {
		s := 0.0
		for k, z := range vs {
			s += float64(k+1) * re2(z)
		}
		return s
	}
	red := func(e string) string {
		return "dot_product(get_real(to_vector(" + e + ")) + 2 * get_imag(to_vector(" + e + ")), linspaced_vector(num_elements(" + e + "), 1, num_elements(" + e + ")))"
	}
	cases = append(cases,
		exprCase{"get_real(z ^ w) + 2 * get_imag(pow(z, w))", func(x []float64) float64 {
			z, w, _, _ := parts(x)
			p := cpowRef(z, w)
			return real(p) + 2*imag(p)
		}},
		exprCase{"get_real(pow(z, x[5]) + pow(x[6] + 2, w)) + 2 * get_imag(z ^ 3)", func(x []float64) float64 {
			z, w, _, _ := parts(x)
			p := cpowRef(z, complex(x[4], 0)) + cpowRef(complex(x[5]+2, 0), w)
			return real(p) + 2*imag(cpowRef(z, 3))
		}},
		exprCase{red("v .^ w") + " + " + red("pow(z, v)") + " + " + red("pow(v, v)"), func(x []float64) float64 {
			z, w, v, _ := parts(x)
			return weigh(cpowRef(v[0], w), cpowRef(v[1], w)) + weigh(cpowRef(z, v[0]), cpowRef(z, v[1])) +
				weigh(cpowRef(v[0], v[0]), cpowRef(v[1], v[1]))
		}},
		exprCase{red("M ^ 2.5") + " + " + red("to_matrix(pow(a, z), 1, 2)"), func(x []float64) float64 {
			z, w, _, M := parts(x)
			s := weigh(cpowRef(M[0], 2.5), cpowRef(M[1], 2.5), cpowRef(M[2], 2.5), cpowRef(M[3], 2.5))
			return s + weigh(cpowRef(z, z), cpowRef(w, z))
		}},
		exprCase{"get_real(prod(v) + prod(a) + prod(M) + prod(v')) + 2 * get_imag(prod(M) - sum(a))", func(x []float64) float64 {
			z, w, v, M := parts(x)
			pm := M[0] * M[1] * M[2] * M[3]
			p := 2*v[0]*v[1] + z*w + pm
			return real(p) + 2*imag(pm-z-w)
		}},
	)
	for _, c := range cases {
		m := buildSource(t, "parameters { vector[6] x; }\nmodel {"+decls+"  target += "+c.expr+";\n}\n", nil)
		checkModelAt(t, c.expr, m, at, c.want)
	}
}

// TestComplexSVD checks singular_values of a complex matrix against the
// closed form for a 2×n matrix (the square roots of the eigenvalues of
// the Hermitian 2×2 matrix A Aᴴ), its gradient against finite
// differences, and that svd_U and svd_V (of data) and svd's tuple are
// unitary factors that rebuild A.
func TestComplexSVD(t *testing.T) {
	at := []float64{0.7, -1.2, 0.4, 1.5, -0.3, 0.9, 2.1, -0.8, 0.2, 1.1, -0.6, 0.5}
	decl := "  complex_matrix[2, 3] A = to_complex(to_matrix(x[1:6], 2, 3), to_matrix(x[7:12], 2, 3));\n"
	want := func(x []float64) float64 {
		a := func(i, j int) complex128 { return complex(x[i+2*j], x[6+i+2*j]) }
		var g [2][2]complex128 // A Aᴴ
		for i := range 2 {
			for k := range 2 {
				for j := range 3 {
					g[i][k] += a(i, j) * cmplx.Conj(a(k, j))
				}
			}
		}
		tr := real(g[0][0] + g[1][1])
		det := real(g[0][0]*g[1][1] - g[0][1]*g[1][0])
		d := math.Sqrt(tr*tr/4 - det)
		return math.Sqrt(tr/2+d) + 2*math.Sqrt(tr/2-d)
	}
	m := buildSource(t, "parameters { vector[12] x; }\nmodel {\n"+decl+"  vector[2] s = singular_values(A);\n  target += s[1] + 2 * s[2];\n}\n", nil)
	checkModelAt(t, "singular_values", m, at, want)

	// The factors of data: U diag(s) Vᴴ = A, Uᴴ U = I, Vᴴ V = I, each
	// residual's squared norm is added to the target, which must be 0.
	src := `transformed data {
  vector[12] x = [` + stanFloats(at) + `]';
` + decl + `  complex_matrix[2, 2] U = svd_U(A);
  complex_matrix[3, 2] V = svd_V(A);
  vector[2] s = singular_values(A);
  tuple(complex_matrix[2, 2], vector[2], complex_matrix[3, 2]) f = svd(A);
  complex_matrix[2, 3] R = U * diag_matrix(to_complex(s, 0)) * conj(V)' - A;
  complex_matrix[2, 3] R2 = f.1 * diag_matrix(to_complex(f.2, 0)) * conj(f.3)' - A;
  complex_matrix[2, 2] I = conj(U)' * U - diag_matrix(rep_vector(1, 2));
  complex_matrix[2, 2] J = conj(V)' * V - diag_matrix(rep_vector(1, 2));
  real r = sum(abs(R)) + sum(abs(R2)) + sum(abs(I)) + sum(abs(J)) + abs(s[1] - f.2[1]) + abs(s[2] - f.2[2]);
  if (r > 1e-12) reject("svd residual ", r);
  if (s[1] < s[2]) reject("singular values not descending: ", s);
}
parameters { real y; }
model { y ~ normal(0, 1); }
`
	buildSource(t, src, nil)
}

func stanFloats(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strings.Join(s, ", ")
}

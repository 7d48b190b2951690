package compile

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// TestFFT checks fft and fft2 against gonum's FFT (fft2 as gonum's
// transform of every column, then every row), the inverses as inverses,
// and gradients by finite differences.
func TestFFT(t *testing.T) {
	at := []float64{0.5, -1.2, 0.7, 0.3, 2, -0.4}
	z := "cv(x[1:3], x[4:6])"
	decls := `functions {
  complex_vector cv(vector a, vector b) {
    complex_vector[rows(a)] z;
    for (k in 1:rows(a)) z[k] = to_complex(a[k], b[k]);
    return z;
  }
}`
	gonumFFT := func(in []complex128) []complex128 {
		return fourier.NewCmplxFFT(len(in)).Coefficients(nil, in)
	}
	vec := func(x []float64) []complex128 {
		return []complex128{complex(x[0], x[3]), complex(x[1], x[4]), complex(x[2], x[5])}
	}
	// The 2×3 matrix with columns (x1 + i x4, x2 + i x5), ..., column-major.
	M := "to_matrix(x, 2, 3)"
	checkExprs(t, decls, at, []exprCase{
		{"get_real(fft(" + z + ")[2]) + 2 * get_imag(fft(" + z + ")[3]) + 3 * get_imag(fft(x[1:3])[2])", func(x []float64) float64 {
			f := gonumFFT(vec(x))
			g := gonumFFT([]complex128{complex(x[0], 0), complex(x[1], 0), complex(x[2], 0)})
			return real(f[1]) + 2*imag(f[2]) + 3*imag(g[1])
		}},
		{"get_real(inv_fft(fft(" + z + "))[2]) + 2 * get_imag(inv_fft(" + z + ")[3])", func(x []float64) float64 {
			// inv_fft(z)_k = conj(fft(conj(z)))_k / n.
			zc := vec(x)
			for i := range zc {
				zc[i] = complex(real(zc[i]), -imag(zc[i]))
			}
			f := gonumFFT(zc)
			return x[1] + 2*(-imag(f[2])/3)
		}},
		{"get_real(fft2(" + M + ")[2, 3]) + 2 * get_imag(fft2(" + M + ")[1, 2]) + 3 * get_real(inv_fft2(fft2(" + M + "))[2, 2])", func(x []float64) float64 {
			// Columns (x1, x2), (x3, x4), (x5, x6); then rows.
			var m [2][3]complex128
			for j := range 3 {
				c := gonumFFT([]complex128{complex(x[2*j], 0), complex(x[2*j+1], 0)})
				m[0][j], m[1][j] = c[0], c[1]
			}
			for i := range 2 {
				r := gonumFFT(m[i][:])
				copy(m[i][:], r)
			}
			return real(m[1][2]) + 2*imag(m[0][1]) + 3*x[3]
		}},
	})
}

// TestComplexContainerParts checks get_real, get_imag, rows, cols, size
// and num_elements of complex containers.
func TestComplexContainerParts(t *testing.T) {
	at := []float64{0.5, -1.2, 0.7}
	checkExprs(t, "", at, []exprCase{
		{"dot_product(get_real(fft(x)), [1, 2, 3]') + dot_product(get_imag(fft(x)), [1, 2, 3]') + sum(get_real(fft2(to_matrix(x, 1, 3)))) + 10 * (rows(fft(x)) + cols(fft2(to_matrix(x, 1, 3))) + size(fft(x)) + num_elements(fft2(to_matrix(x, 3, 1))))", func(x []float64) float64 {
			// X_0 = Σx; X_k = Σ x_j e^(-2πi jk/3).
			s, re, im := 0.0, 0.0, 0.0
			for k := range 3 {
				var r, i float64
				for j, v := range x {
					th := -2 * math.Pi * float64(j*k) / 3
					r += v * math.Cos(th)
					i += v * math.Sin(th)
				}
				re += float64(k+1) * r
				im += float64(k+1) * i
				s += r
			}
			return re + im + s + 10*(3+3+3+3)
		}},
	})
}

// TestComplexArrays checks get_real, get_imag and abs of arrays of
// complex values and of complex vectors, and the vector form of the
// 5-parameter wiener against its scalar form.
func TestComplexArrays(t *testing.T) {
	at := []float64{0.5, -1.2, 0.9} // Σx ≠ 0: |X_0| is differentiable
	checkExprs(t, "", at, []exprCase{
		{"sum(get_real({to_complex(x[1], x[2]), to_complex(x[3], 1)})) + 2 * sum(get_imag({to_complex(x[1], x[2])})) + 3 * sum(abs({to_complex(x[1], x[2])})) + sum(abs(fft(x)))", func(x []float64) float64 {
			// |X_0| = |Σx|; |X_1| = |X_2| for real x.
			re := x[0] - x[1]/2 - x[2]/2
			im := (x[1] - x[2]) * math.Sqrt(3) / 2
			return x[0] + x[2] + 2*x[1] + 3*math.Hypot(x[0], x[1]) + math.Abs(x[0]+x[1]+x[2]) + 2*math.Hypot(re, im)
		}},
		{"wiener_lpdf([0.9, 1.1]' | rep_vector(1.3, 2), rep_vector(0.2, 2), rep_vector(0.4, 2), x[1:2], [0.7, exp(x[3])]') - wiener_lpdf(0.9 | 1.3, 0.2, 0.4, x[1], 0.7) - wiener_lpdf(1.1 | 1.3, 0.2, 0.4, x[2], exp(x[3]))", func([]float64) float64 { return 0 }},
	})
}

// TestVectorizedToComplex checks to_complex of containers (and of a
// container and a real) through get_real and get_imag, and
// trace_quad_form of a vector.
func TestVectorizedToComplex(t *testing.T) {
	at := []float64{0.5, -1.2, 0.9}
	checkExprs(t, "", at, []exprCase{
		{"dot_product(get_imag(to_complex(x, 2 * x)), [1, 2, 3]') + sum(get_real(to_complex(x', 1))) + sum(get_imag(to_complex(3, x))) + sum(get_real(to_complex({x[1], x[2]}, {1.0, 2.0})))", func(v []float64) float64 {
			return 2*(v[0]+2*v[1]+3*v[2]) + (v[0] + v[1] + v[2]) + (v[0] + v[1] + v[2]) + v[0] + v[1]
		}},
		{"trace_quad_form([[2, 0.5, 0], [0.5, 1, 0.3], [0, 0.3, 3]], x)", func(v []float64) float64 {
			return 2*v[0]*v[0] + v[1]*v[1] + 3*v[2]*v[2] + 2*0.5*v[0]*v[1] + 2*0.3*v[1]*v[2]
		}},
	})
}

// TestComplexScalarFunctions checks polar, norm, proj and conj.
func TestComplexScalarFunctions(t *testing.T) {
	at := []float64{0.5, -1.2, 0.9}
	checkExprs(t, "", at, []exprCase{
		{"get_real(polar(x[1], x[2])) + 2 * get_imag(polar(x[1], x[2])) + norm(to_complex(x[1], x[3])) + get_imag(conj(to_complex(x[1], x[3]))) + get_real(proj(to_complex(x[2], 1))) + sum(get_imag(conj(to_complex(x, 1))))", func(v []float64) float64 {
			return v[0]*math.Cos(v[1]) + 2*v[0]*math.Sin(v[1]) + v[0]*v[0] + v[2]*v[2] - v[2] + v[1] - 3
		}},
	})
}

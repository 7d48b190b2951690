package compile

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/gostan/gostan/ad"
	"gonum.org/v1/gonum/mat"
)

// TestComplexSchur checks the complex Schur decomposition of a real and a
// complex matrix: T upper triangular, U unitary, U T Uᴴ = A, and T's
// diagonal eigenvalues as gonum (LAPACK) finds them; and the derivatives
// of T's and U's entries by finite differences.
func TestComplexSchur(t *testing.T) {
	real3 := []float64{4, -2, 1, 3, 1, -5, 0.5, 2, -1} // row-major, with complex eigenvalues
	const n = 3
	for _, isC := range []bool{false, true} {
		m := &value{Dims: []int{n, n}}
		a := func(i, j int) complex128 {
			if isC {
				return complex(real3[i*n+j], 0.3*float64(i-j*j))
			}
			return complex(real3[i*n+j], 0)
		}
		if isC {
			m.R = make([]ad.Var, 2*n*n)
		} else {
			m.R = make([]ad.Var, n*n)
		}
		for i := range n {
			for j := range n {
				if isC {
					m.R[2*(i+j*n)], m.R[2*(i+j*n)+1] = ad.Const(real(a(i, j))), ad.Const(imag(a(i, j)))
				} else {
					m.R[i+j*n] = ad.Const(real(a(i, j)))
				}
			}
		}
		T, U, _, err := complexSchur(ad.NewTape(), m, isC)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			for j := range n {
				var utu, uu complex128
				for k := range n {
					uu += cmplx.Conj(val(U[k*n+i])) * val(U[k*n+j])
					for l := range n {
						utu += val(U[i*n+k]) * val(T[k*n+l]) * cmplx.Conj(val(U[j*n+l]))
					}
				}
				if cmplx.Abs(utu-a(i, j)) > 1e-12 {
					t.Errorf("complex %v: (U T Uᴴ)[%d,%d] = %v, A's %v", isC, i, j, utu, a(i, j))
				}
				want := complex(0, 0)
				if i == j {
					want = 1
				}
				if cmplx.Abs(uu-want) > 1e-12 {
					t.Errorf("complex %v: (Uᴴ U)[%d,%d] = %v", isC, i, j, uu)
				}
				if i > j && val(T[i*n+j]) != 0 {
					t.Errorf("complex %v: T[%d,%d] = %v, not 0", isC, i, j, val(T[i*n+j]))
				}
			}
		}
		// LAPACK's eigenvalues; of a complex A, those of the real
		// [Re -Im; Im Re], which are A's and their conjugates'.
		var f mat.Eigen
		if isC {
			big := mat.NewDense(2*n, 2*n, nil)
			for i := range n {
				for j := range n {
					z := a(i, j)
					big.Set(i, j, real(z))
					big.Set(i, j+n, -imag(z))
					big.Set(i+n, j, imag(z))
					big.Set(i+n, j+n, real(z))
				}
			}
			f.Factorize(big, mat.EigenNone)
		} else {
			f.Factorize(mat.NewDense(n, n, real3), mat.EigenNone)
		}
		ev := f.Values(nil)
		for k := range n {
			d, best := val(T[k*n+k]), math.Inf(1)
			for _, z := range ev {
				best = math.Min(best, cmplx.Abs(z-d))
			}
			if best > 1e-10 {
				t.Errorf("complex %v: T[%d,%d] = %v is no eigenvalue of A (%v)", isC, k, k, d, ev)
			}
		}
	}
	// Other sizes, and a matrix with repeated eigenvalues.
	for _, tc := range []struct {
		n int
		a []float64
	}{{1, []float64{-2}}, {2, []float64{0, 1, -1, 0}}, {4, []float64{2, 1, 0, 0, 0, 2, 1, 0, 0, 0, 2, 1, 0, 0, 0, 2}},
		{6, []float64{0.3, -1.2, 2.2, 0.1, 0.7, -0.4, 1.5, 0.2, -0.9, 1.1, 0.3, 0.8, -0.6, 1.4, 0.5, -2.1, 0.9, 0.2,
			0.4, -0.3, 1.6, 0.8, -1.7, 0.6, 2.3, 0.1, -0.2, 0.5, 1.2, -1.1, -0.7, 0.9, 0.4, -0.5, 0.6, 1.8}}} {
		n := tc.n
		m := &value{Dims: []int{n, n}, R: make([]ad.Var, n*n)}
		for i := range n {
			for j := range n {
				m.R[i+j*n] = ad.Const(tc.a[i*n+j])
			}
		}
		T, U, _, err := complexSchur(ad.NewTape(), m, false)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			for j := range n {
				var utu complex128
				for k := range n {
					for l := range n {
						utu += val(U[i*n+k]) * val(T[k*n+l]) * cmplx.Conj(val(U[j*n+l]))
					}
				}
				if cmplx.Abs(utu-complex(tc.a[i*n+j], 0)) > 1e-12 {
					t.Errorf("%d×%d: (U T Uᴴ)[%d,%d] = %v, A's %v", n, n, i, j, utu, tc.a[i*n+j])
				}
			}
		}
	}
	const w = "to_matrix([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3)"
	checkExprs(t, "", real3, []exprCase{
		{"sum(get_real(complex_schur_decompose_t(to_matrix(x, 3, 3))) .* " + w + ") + sum(get_imag(complex_schur_decompose_t(to_matrix(x, 3, 3))) .* " + w + ")", nil},
		{"sum(get_real(complex_schur_decompose_u(to_matrix(x, 3, 3))) .* " + w + ") + sum(get_imag(complex_schur_decompose_u(to_matrix(x, 3, 3))) .* " + w + ")", nil},
		{"sum(get_real(complex_schur_decompose_u(to_complex(to_matrix(x, 3, 3), to_matrix(x, 3, 3)'))) .* " + w + ") + sum(get_imag(complex_schur_decompose_t(to_complex(to_matrix(x, 3, 3), to_matrix(x, 3, 3)'))) .* " + w + ")", nil},
	})
}

package compile

import (
	"strings"
	"testing"
)

// TestComplexEigen checks the eigendecomposition of complex matrices:
// the eigenvalues of known matrices in Stan's order (increasing modulus),
// A v = λ v for every pair of a general complex matrix, the tuple of
// eigendecompose, and gradients (through the algorithm, as Stan's) of
// the spectrum's invariants and of phase-free functions of the vectors
// against finite differences.
func TestComplexEigen(t *testing.T) {
	decls := `functions {
  real resid(complex_matrix A, complex_matrix V, complex_vector L) {
    int n = rows(A);
    real r = 0;
    for (k in 1:n) {
      r += abs(sum(A * col(V, k) - L[k] * col(V, k)));
      r += abs(dot_product(col(V, k), col(V, k)) - 1);
      for (i in 1:n) r += abs(row(A, i) * col(V, k) - L[k] * V[i, k]);
    }
    return r;
  }
}
transformed data {
  complex_matrix[3, 3] D = to_complex([[1, 2, 0.5], [-1.5, 0.3, 2], [0.7, -2, 1]],
                                      [[0.2, -1, 0], [0.4, 1.1, -0.3], [0, 0.5, -0.6]]);
  complex_vector[3] L = eigenvalues(D);
  complex_matrix[3, 3] V = eigenvectors(D);
  tuple(complex_matrix[3, 3], complex_vector[3]) VL = eigendecompose(D);
  real r = resid(D, V, L) + resid(D, VL.1, VL.2);
  // diag(3i, -1, 2): the eigenvalues by modulus, -1, 2, 3i.
  complex_vector[3] K = eigenvalues(to_complex([[0, 0, 0], [0, -1, 0], [0, 0, 2]], [[3, 0, 0], [0, 0, 0], [0, 0, 0]]));
  // [[0, -1], [1, 0]] (as complex): ±i.
  complex_vector[2] R = eigenvalues(to_complex([[0, -1], [1, 0]], 0));
  real known = abs(K[1] + 1) + abs(K[2] - 2) + abs(K[3] - to_complex(0, 3))
             + abs(get_real(R[1])) + abs(get_real(R[2])) + abs(abs(get_imag(R[1])) - 1)
             + abs(get_imag(R[1]) + get_imag(R[2]));
  // The transformed data hold: trace = Σ λ.
  real tr = abs(sum(L) - trace(D));
}`
	at := []float64{0.4, 1.3, -0.2, 0.9, -0.5, 0.3, 1.1, -0.8, 0.6, 0.25, -0.7, 0.15, 0.5, 1.2, -0.3, 0.8, 0.1, -1.1}
	A := "to_complex(to_matrix(x[1:9], 3, 3), to_matrix(x[10:18], 3, 3))"
	checkExprs(t, decls, at, []exprCase{
		// The transformed data's checks are tiny.
		{"1e3 * (r + known + tr)", func([]float64) float64 { return 0 }},
		// Σ λ² = trace(A²), real and imaginary parts.
		{"get_real(sum(eigenvalues(" + A + ") .* eigenvalues(" + A + ")))", func(x []float64) float64 {
			re, _ := traceSquare(x)
			return re
		}},
		{"get_imag(sum(eigenvalues(" + A + ") .* eigenvalues(" + A + ")))", func(x []float64) float64 {
			_, im := traceSquare(x)
			return im
		}},
		// The vectors' moduli do not depend on their phases.
		{"sum(abs(eigenvectors(" + A + ")))", nil},
		{"sum(abs(eigendecompose(" + A + ").1))", nil},
	})
}

// traceSquare is trace(A²) for A = to_complex(to_matrix(x[1:9], 3, 3),
// to_matrix(x[10:18], 3, 3)).
func traceSquare(x []float64) (re, im float64) {
	a := func(i, j int) complex128 { return complex(x[i+3*j], x[9+i+3*j]) }
	var s complex128
	for i := range 3 {
		for j := range 3 {
			s += a(i, j) * a(j, i)
		}
	}
	return real(s), imag(s)
}

// TestComplexEigenErrors checks the errors of a non-square and an empty
// matrix.
func TestComplexEigenErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"complex_matrix[2, 3] A; complex_vector[2] v = eigenvalues(A);", "eigenvalues: Expecting a square matrix"},
		{"complex_matrix[0, 0] A; complex_matrix[0, 0] v = eigenvectors(A);", "eigenvectors: m has size 0"},
	} {
		p, err := Source("t.stan", []byte("transformed data { "+c.src+" }\nparameters { real y; }\nmodel { y ~ normal(0, 1); }\n"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.NewModel(nil, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.src, err, c.want)
		}
	}
}

// TestComplexEigenSym checks the eigendecomposition of Hermitian complex
// matrices: the eigenvalues of a known matrix, ascending and real; A v =
// λ v and orthonormal vectors for a general one, read from its lower
// triangle; the tuple; and gradients of Σ λ² = ‖A‖²_F and of phase-free
// functions of the vectors against finite differences.
func TestComplexEigenSym(t *testing.T) {
	decls := `functions {
  // The Hermitian matrix of A's lower triangle.
  complex_matrix herm(complex_matrix A) {
    int n = rows(A);
    complex_matrix[n, n] H;
    for (j in 1:n) {
      H[j, j] = get_real(A[j, j]);
      for (i in (j + 1):n) { H[i, j] = A[i, j]; H[j, i] = conj(A[i, j]); }
    }
    return H;
  }
  real resid(complex_matrix A, complex_matrix V, complex_vector L) {
    int n = rows(A);
    complex_matrix[n, n] H = herm(A);
    real r = 0;
    for (k in 1:n) {
      r += abs(get_imag(L[k]));
      if (k > 1) r += fmax(get_real(L[k - 1]) - get_real(L[k]), 0);
      for (i in 1:n) r += abs(row(H, i) * col(V, k) - L[k] * V[i, k]);
      for (l in 1:n) r += abs(dot_product(col(V, k), col(V, l)) - (k == l));
    }
    return r;
  }
}
transformed data {
  // The upper triangle is ignored.
  complex_matrix[3, 3] D = to_complex([[2, 9, 9], [1, 3, 9], [0.5, -1, 1]], [[5, 9, 9], [0.3, 7, 9], [-0.2, 0.6, 0]]);
  tuple(complex_matrix[3, 3], complex_vector[3]) VL = eigendecompose_sym(D);
  real r = resid(D, eigenvectors_sym(D), eigenvalues_sym(D)) + resid(D, VL.1, VL.2);
  // [[2, i], [-i, 2]]: 1 and 3.
  complex_vector[2] K = eigenvalues_sym(to_complex([[2, 0], [0, 2]], [[0, 0], [-1, 0]]));
  real known = abs(K[1] - 1) + abs(K[2] - 3);
}`
	at := []float64{0.4, 1.3, -0.2, 0.9, -0.5, 0.3, 1.1, -0.8, 0.6, 0.25, -0.7, 0.15, 0.5, 1.2, -0.3, 0.8, 0.1, -1.1}
	A := "to_complex(to_matrix(x[1:9], 3, 3), to_matrix(x[10:18], 3, 3))"
	checkExprs(t, decls, at, []exprCase{
		{"1e3 * (r + known)", func([]float64) float64 { return 0 }},
		// Σ λ² is the squared Frobenius norm of the Hermitian matrix.
		{"get_real(sum(eigenvalues_sym(" + A + ") .* eigenvalues_sym(" + A + ")))", func(x []float64) float64 {
			s := 0.0
			for j := range 3 {
				s += x[j+3*j] * x[j+3*j]
				for i := j + 1; i < 3; i++ {
					s += 2 * (x[i+3*j]*x[i+3*j] + x[9+i+3*j]*x[9+i+3*j])
				}
			}
			return s
		}},
		{"sum(abs(eigenvectors_sym(" + A + "))) + sum(abs(eigendecompose_sym(" + A + ").1))", nil},
	})
}

package compile

import "testing"

// TestGeneralEigen checks eigenvalues of a real matrix through
// invariants of its spectrum, with gradients by finite differences
// (real and imaginary parts), and eigenvectors through A v = λ v.
func TestGeneralEigen(t *testing.T) {
	decls := `functions {
  real sum_sq_re(complex_vector z, int n) {
    real s = 0;
    for (k in 1:n) s += get_real(z[k])^2 - get_imag(z[k])^2;
    return s;
  }
  real sum_sq_im(complex_vector z, int n) {
    real s = 0;
    for (k in 1:n) s += get_imag(z[k])^2;
    return s;
  }
}
transformed data {
  matrix[3, 3] D = [[1, 2, 0.5], [-1.5, 0.3, 2], [0.7, -2, 1]];
  complex_matrix[3, 3] V = eigenvectors(D);
  complex_vector[3] L = eigenvalues(D);
  real resid = 0;
  for (k in 1:3) {
    for (i in 1:3) {
      complex s = -L[k] * V[i, k];
      for (j in 1:3) s += D[i, j] * V[j, k];
      resid += abs(s);
    }
  }
}`
	at := []float64{0.4, 1.3, -0.2, 0.9, -0.5, 0.3, 1.1, -0.8, 0.6}
	A := "to_matrix(x, 3, 3)"
	// The 2×2 [[x1, -(1 + x2²)], [1 + x3², x4]] has a complex pair a ± ib,
	// b² = det - (tr/2)².
	B := "[[x[1], -(1 + x[2]^2)], [1 + x[3]^2, x[4]]]"
	checkExprs(t, decls, at, []exprCase{
		// Σ λ² = trace(A²), and the eigenvectors' residual is tiny.
		{"sum_sq_re(eigenvalues(" + A + "), 3) + 1e3 * resid", func(x []float64) float64 {
			s := 0.0
			for i := range 3 {
				for j := range 3 {
					s += x[i+3*j] * x[j+3*i]
				}
			}
			return s
		}},
		// The eigenvectors' derivatives, of their parts as normalized
		// (unit norm, largest component real), for real and complex
		// eigenvalues; A v = λ v holds along the way.
		{"sum(get_real(eigenvectors(" + A + "))) + 2 * sum(get_imag(eigenvectors(" + A + ")))", nil},
		{"sum(get_real(eigenvectors(" + B + "))) + 2 * sum(get_imag(eigenvectors(" + B + ")))", nil},
		{"sum(abs(eigendecompose(" + A + ").1))", nil},
		{"sum_sq_im(eigenvalues(" + B + "), 2)", func(x []float64) float64 {
			tr := x[0] + x[3]
			det := x[0]*x[3] + (1+x[1]*x[1])*(1+x[2]*x[2])
			return 2 * (det - tr*tr/4)
		}},
	})
}

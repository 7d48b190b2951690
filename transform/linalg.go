package transform

import "math"

// packed returns the index of element (i, j), j <= i, of a lower triangular
// matrix packed row by row.
func packed(i, j int) int { return i*(i+1)/2 + j }

// choleskyInto writes to l (length k(k+1)/2, packed row by row) the lower
// Cholesky factor of the symmetric k x k matrix whose lower triangle a
// gives, and reports false unless the matrix is positive definite.
func choleskyInto(l []float64, a func(i, j int) float64, k int) bool {
	for i := range k {
		for j := 0; j <= i; j++ {
			s := a(i, j)
			for m := range j {
				s -= l[packed(i, m)] * l[packed(j, m)]
			}
			if i == j {
				if !(s > 0) {
					return false
				}
				l[packed(i, i)] = math.Sqrt(s)
			} else {
				l[packed(i, j)] = s / l[packed(j, j)]
			}
		}
	}
	return true
}

// checkSymmetric checks the k x k column-major matrix x for symmetry within
// Stan's tolerance.
func checkSymmetric(fn string, x []float64, k int) error {
	for j := range k {
		for i := j + 1; i < k; i++ {
			if !(math.Abs(x[i+j*k]-x[j+i*k]) <= constraintTolerance) {
				return errorf(fn, "x is not symmetric. x[%d,%d] = %v, but x[%d,%d] = %v", i+1, j+1, x[i+j*k], j+1, i+1, x[j+i*k])
			}
		}
	}
	return nil
}

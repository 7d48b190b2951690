package compile

import "testing"

// TestSparse checks the csr_* functions on A = [[x1, 0, x2], [0, 0, x3]]:
// its storage w = (x1, x2, x3), v = (1, 3, 3), u = (1, 3, 4), the dense
// matrix rebuilt from it and A b, with gradients by finite differences.
func TestSparse(t *testing.T) {
	at := []float64{0.5, -1.2, 0.7, 0.3, 2, -0.4}
	A := "[[x[1], 0, x[2]], [0, 0, x[3]]]"
	csr := "csr_extract_w(" + A + "), csr_extract_v(" + A + "), csr_extract_u(" + A + ")"
	checkExprs(t, "", at, []exprCase{
		{"dot_product(csr_extract_w(" + A + "), [1, 2, 3]') + 10 * sum(csr_extract_v(" + A + ")) + 100 * sum(csr_extract_u(" + A + "))", func(x []float64) float64 {
			return x[0] + 2*x[1] + 3*x[2] + 10*7 + 100*8
		}},
		{"sum([[1, 2, 3], [4, 5, 6]] .* csr_to_dense_matrix(2, 3, " + csr + "))", func(x []float64) float64 {
			return x[0] + 3*x[1] + 6*x[2]
		}},
		{"dot_product([1, -2]', csr_matrix_times_vector(2, 3, " + csr + ", x[4:6]))", func(x []float64) float64 {
			return x[0]*x[3] + x[1]*x[5] - 2*x[2]*x[5]
		}},
	})
}

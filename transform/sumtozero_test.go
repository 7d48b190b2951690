package transform

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
)

func init() {
	k := 4
	out := make([]ad.Var, k)
	vecCases = append(vecCases, vecCase{
		name: "sum_to_zero_vector", n: k - 1,
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) { return out, SumToZero(t, y, out, lj) },
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, SumToZeroSize(len(x)))
			return y, UnconstrainSumToZero(x, y)
		},
		free:          func(x []float64) []float64 { return x[:k-1] },
		valid:         [][]float64{{1, -2, 0.5, 0.5}, {0, 0, 0, 0}, {-3, 1, 1, 1}},
		bad:           []badValue{{[]float64{1, 1, 0, 0}, "sum_to_zero_free: sum_to_zero variable does not sum to zero. sum(sum_to_zero variable) = 2, but should be 0"}},
		constJacobian: true,
	})
	n, m := 3, 4
	mout := make([]ad.Var, n*m)
	// u vᵀ with u and v summing to zero, column-major.
	u, v := []float64{1, -2, 1}, []float64{1, 0, -3, 2}
	uv := make([]float64, n*m)
	for j := range m {
		for i := range n {
			uv[i+j*n] = u[i] * v[j]
		}
	}
	badCol := append([]float64(nil), uv...)
	badCol[0] += 0.5
	badCol[1] -= 0.5
	badCol[3] += 1 // column 2 sums to 1
	badCol[4] -= 1
	badCol[9] -= 1 // and rows are off too; the columns are checked first
	vecCases = append(vecCases, vecCase{
		name: "sum_to_zero_matrix", n: (n - 1) * (m - 1),
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return mout, SumToZeroMatrix(t, y, mout, n, m, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, SumToZeroMatrixSize(n, m))
			return y, UnconstrainSumToZeroMatrix(x, n, m, y)
		},
		free: func(x []float64) []float64 {
			var f []float64
			for j := range m - 1 {
				f = append(f, x[j*n:j*n+n-1]...)
			}
			return f
		},
		valid:         [][]float64{uv, make([]float64, n*m)},
		bad:           []badValue{{badCol, "sum_to_zero variable does not sum to zero in column 4"}},
		constJacobian: true,
	})
	// Column- and row-stochastic 3×2 and 2×3 matrices.
	cout := make([]ad.Var, 6)
	vecCases = append(vecCases, vecCase{
		name: "column_stochastic_matrix", n: 4,
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return cout, StochasticColumn(t, y, cout, 3, 2, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, StochasticColumnSize(3, 2))
			return y, UnconstrainStochasticColumn(x, 3, 2, y)
		},
		free:  func(x []float64) []float64 { return []float64{x[0], x[1], x[3], x[4]} },
		valid: [][]float64{{0.2, 0.3, 0.5, 0.1, 0.1, 0.8}},
		bad:   []badValue{{[]float64{0.2, 0.3, 0.5, 0.1, 0.1, 0.7}, "not a valid simplex"}},
	})
	rout := make([]ad.Var, 6)
	vecCases = append(vecCases, vecCase{
		name: "row_stochastic_matrix", n: 4,
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return rout, StochasticRow(t, y, rout, 2, 3, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, StochasticRowSize(2, 3))
			return y, UnconstrainStochasticRow(x, 2, 3, y)
		},
		free:  func(x []float64) []float64 { return x[:4] },
		valid: [][]float64{{0.2, 0.6, 0.3, 0.3, 0.5, 0.1}},
		bad:   []badValue{{[]float64{0.2, 0.6, 0.3, 0.3, 0.5, 0.2}, "not a valid simplex"}},
	})
}

// TestSumToZeroValues checks the bases by hand: for K = 3 the coordinates
// (1, 0) and (0, 1) are (1, -1, 0)/√2 and (1, 1, -2)/√6; for a 2×2 matrix
// the coordinate 1 is (1, -1)(1, -1)ᵀ/2; and a 3×2 matrix with
// coordinates (x0, x1) has first column ((x0/√2 - x1/√6), 2 x1/√6, ·)/√2.
func TestSumToZeroValues(t *testing.T) {
	out := make([]ad.Var, 3)
	for _, c := range []struct{ y, want []float64 }{
		{[]float64{1, 0}, []float64{1 / math.Sqrt2, -1 / math.Sqrt2, 0}},
		{[]float64{0, 1}, []float64{1 / math.Sqrt(6), 1 / math.Sqrt(6), -2 / math.Sqrt(6)}},
	} {
		lj := ad.Const(0.5)
		if err := SumToZero(nil, consts(c.y), out, &lj); err != nil {
			t.Fatal(err)
		}
		checkClose(t, "sum_to_zero", vals(out), c.want, 1e-15)
		if lj.Val != 0.5 {
			t.Errorf("lj = %v, want 0.5 (unchanged)", lj.Val)
		}
	}
	m := make([]ad.Var, 4)
	if err := SumToZeroMatrix(nil, consts([]float64{1}), m, 2, 2, nil); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "sum_to_zero_matrix 2×2", vals(m), []float64{0.5, -0.5, -0.5, 0.5}, 1e-15)
	x0, x1 := 0.7, -1.1
	m = make([]ad.Var, 6)
	if err := SumToZeroMatrix(nil, consts([]float64{x0, x1}), m, 3, 2, nil); err != nil {
		t.Fatal(err)
	}
	c0, c1 := x0/math.Sqrt2-x1/math.Sqrt(6), 2*x1/math.Sqrt(6)
	c2 := -c0 - c1
	s := 1 / math.Sqrt2
	checkClose(t, "sum_to_zero_matrix 3×2", vals(m), []float64{c0 * s, c1 * s, c2 * s, -c0 * s, -c1 * s, -c2 * s}, 1e-15)
	// Degenerate sizes: a sum_to_zero_vector[1] and a 1×3 matrix are 0.
	one := make([]ad.Var, 1)
	if err := SumToZero(nil, nil, one, nil); err != nil || one[0].Val != 0 {
		t.Errorf("sum_to_zero_vector[1] = %v, %v", one[0].Val, err)
	}
	row := make([]ad.Var, 3)
	if err := SumToZeroMatrix(nil, nil, row, 1, 3, nil); err != nil || row[0].Val != 0 || row[2].Val != 0 {
		t.Errorf("sum_to_zero_matrix[1, 3] = %v, %v", vals(row), err)
	}
}

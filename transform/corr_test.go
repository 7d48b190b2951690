package transform

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
)

// strictLower returns the strictly lower entries of the k x k column-major
// matrix x, row by row.
func strictLower(x []float64, k int) []float64 {
	var v []float64
	for i := range k {
		for j := range i {
			v = append(v, x[i+j*k])
		}
	}
	return v
}

func choleskyCorrCase(k int) vecCase {
	out := make([]ad.Var, k*k)
	return vecCase{
		name: "cholesky_factor_corr",
		n:    CholeskyFactorCorrSize(k),
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return out, CholeskyFactorCorr(t, y, out, k, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, CholeskyFactorCorrSize(k))
			return y, UnconstrainCholeskyFactorCorr(x, k, y)
		},
		free: func(x []float64) []float64 { return strictLower(x, k) },
	}
}

func init() {
	c := choleskyCorrCase(3)
	// Rows of unit length: (1), (0.6, 0.8), (0.48, 0.6, 0.64).
	c.valid = [][]float64{
		{1, 0.6, 0.48, 0, 0.8, 0.6, 0, 0, 0.64},
		{1, 0, 0, 0, 1, 0, 0, 0, 1},
	}
	c.bad = []badValue{
		{[]float64{1, 0.6, 0.48, 0.1, 0.8, 0.6, 0, 0, 0.64}, "cholesky_corr_free: x is not lower triangular; x[1,2]=0.1"},
		{[]float64{1, 0.6, 0.48, 0, -0.8, 0.6, 0, 0, 0.64}, "x[2,2] is -0.8, but must be positive"},
		{[]float64{1, 0.6, 0.48, 0, 0.8, 0.6, 0, 0, 0.7}, "x row 3 is not a valid unit vector"},
		{[]float64{1, 0.6, 0.8}, "x has 3 elements"},
	}
	vecCases = append(vecCases, c, choleskyCorrCase(1), choleskyCorrCase(2), choleskyCorrCase(5))
}

// TestCholeskyFactorCorrLayout checks Stan's row-by-row order of the CPCs
// for k = 3: y = (y21, y31, y32).
func TestCholeskyFactorCorrLayout(t *testing.T) {
	y := []float64{0.4, -0.9, 1.3}
	z21, z31, z32 := math.Tanh(y[0]), math.Tanh(y[1]), math.Tanh(y[2])
	l32 := z32 * math.Sqrt(1-z31*z31)
	want := []float64{
		1, z21, z31,
		0, math.Sqrt(1 - z21*z21), l32,
		0, 0, math.Sqrt(1 - z31*z31 - l32*l32),
	}
	out := make([]ad.Var, 9)
	lj := ad.Const(0)
	if err := CholeskyFactorCorr(nil, consts(y), out, 3, &lj); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "cholesky_factor_corr", vals(out), want, 1e-14)
	// Stan: sum log1m(z^2) + 0.5 log1m(x31^2) for the one off-diagonal
	// entry after the first column.
	wlj := math.Log1p(-z21*z21) + math.Log1p(-z31*z31) + math.Log1p(-z32*z32) + 0.5*math.Log1p(-z31*z31)
	if !near(lj.Val, wlj, 1e-13) {
		t.Errorf("lj = %v, want %v", lj.Val, wlj)
	}
	if err := CholeskyFactorCorr(nil, consts(y), out[:4], 3, &lj); err == nil {
		t.Error("no error for a short result")
	}
}

func corrMatrixCase(k int) vecCase {
	out := make([]ad.Var, k*k)
	return vecCase{
		name: "corr_matrix",
		n:    CorrMatrixSize(k),
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return out, CorrMatrix(t, y, out, k, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, CorrMatrixSize(k))
			return y, UnconstrainCorrMatrix(x, k, y)
		},
		free: func(x []float64) []float64 { return strictLower(x, k) },
	}
}

func init() {
	c := corrMatrixCase(3)
	c.valid = [][]float64{
		{1, 0.5, 0.2, 0.5, 1, -0.3, 0.2, -0.3, 1},
		{1, 0, 0, 0, 1, 0, 0, 0, 1},
	}
	c.bad = []badValue{
		{[]float64{1, 0.5, 0.2, 0.4, 1, -0.3, 0.2, -0.3, 1}, "corr_matrix_free: x is not symmetric. x[2,1] = 0.5, but x[1,2] = 0.4"},
		{[]float64{1, 0.5, 0.2, 0.5, 1.1, -0.3, 0.2, -0.3, 1}, "x is not a valid correlation matrix. x[2,2] is 1.1, but should be near 1"},
		{[]float64{1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1}, "corr_matrix_free: x is not positive definite."},
	}
	vecCases = append(vecCases, c, corrMatrixCase(1), corrMatrixCase(2), corrMatrixCase(5))
}

// TestCorrMatrixLayout checks Stan's column-by-column CPC order against the
// row-by-row order of cholesky_factor_corr for k = 4: corr_matrix(y) must
// equal L L^T for L = cholesky_factor_corr of y reordered.
func TestCorrMatrixLayout(t *testing.T) {
	// Column order: (2,1) (3,1) (4,1) (3,2) (4,2) (4,3).
	y := []float64{0.3, -0.7, 1.1, 0.5, -0.2, 0.9}
	// Row order: (2,1) (3,1) (3,2) (4,1) (4,2) (4,3).
	rowOrder := []float64{y[0], y[1], y[3], y[2], y[4], y[5]}
	l := make([]ad.Var, 16)
	if err := CholeskyFactorCorr(nil, consts(rowOrder), l, 4, nil); err != nil {
		t.Fatal(err)
	}
	want := make([]float64, 16)
	for i := range 4 {
		for j := range 4 {
			for m := range 4 {
				want[i+4*j] += l[i+4*m].Val * l[j+4*m].Val
			}
		}
	}
	r := make([]ad.Var, 16)
	if err := CorrMatrix(nil, consts(y), r, 4, nil); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "corr_matrix", vals(r), want, 1e-14)
	for i := range 4 {
		if r[i+4*i].Val != 1 {
			t.Errorf("diagonal %d is %v", i, r[i+4*i].Val)
		}
	}
}

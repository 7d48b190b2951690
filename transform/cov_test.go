package transform

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
)

// lowerOf returns the lower triangle (with the diagonal) of the first n
// columns of the m x n column-major matrix x, row by row.
func lowerOf(x []float64, m, n int) []float64 {
	var v []float64
	for i := range m {
		for j := 0; j <= min(i, n-1); j++ {
			v = append(v, x[i+j*m])
		}
	}
	return v
}

func covMatrixCase(k int) vecCase {
	out := make([]ad.Var, k*k)
	return vecCase{
		name: "cov_matrix",
		n:    CovMatrixSize(k),
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return out, CovMatrix(t, y, out, k, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, CovMatrixSize(k))
			return y, UnconstrainCovMatrix(x, k, y)
		},
		free: func(x []float64) []float64 { return lowerOf(x, k, k) },
	}
}

func choleskyCovCase(m, n int) vecCase {
	out := make([]ad.Var, m*n)
	return vecCase{
		name: "cholesky_factor_cov",
		n:    CholeskyFactorCovSize(m, n),
		con: func(t *ad.Tape, y []ad.Var, lj *ad.Var) ([]ad.Var, error) {
			return out, CholeskyFactorCov(t, y, out, m, n, lj)
		},
		unc: func(x []float64) ([]float64, error) {
			y := make([]float64, CholeskyFactorCovSize(m, n))
			return y, UnconstrainCholeskyFactorCov(x, m, n, y)
		},
		free: func(x []float64) []float64 { return lowerOf(x, m, n) },
	}
}

func init() {
	c := covMatrixCase(3)
	c.valid = [][]float64{
		{4, 1, -0.5, 1, 2, 0.3, -0.5, 0.3, 0.7},
		{1, 0, 0, 0, 1, 0, 0, 0, 1},
	}
	c.bad = []badValue{
		{[]float64{4, 1, -0.5, 1.1, 2, 0.3, -0.5, 0.3, 0.7}, "cov_matrix_free: x is not symmetric. x[2,1] = 1, but x[1,2] = 1.1"},
		{[]float64{1, 2, 0, 2, 1, 0, 0, 0, 1}, "cov_matrix_free: x is not positive definite."},
		{[]float64{1, 0, 0, 0, 1, 0, 0, 0, 1}[:4], "x has 4 elements"},
	}
	h := choleskyCovCase(4, 2)
	h.valid = [][]float64{{2, 0.5, -1, 3, 0, 0.7, 0.2, -4}}
	h.bad = []badValue{
		{[]float64{2, 0.5, -1, 3, 0.1, 0.7, 0.2, -4}, "cholesky_factor_free: x is not lower triangular; x[1,2]=0.1"},
		{[]float64{2, 0.5, -1, 3, 0, 0, 0.2, -4}, "x[2,2] is 0, but must be positive"},
	}
	g := choleskyCovCase(3, 3)
	g.valid = [][]float64{{2, 0.5, -1, 0, 0.1, 3, 0, 0, 1}}
	vecCases = append(vecCases, c, covMatrixCase(1), covMatrixCase(4), h, g, choleskyCovCase(3, 1), choleskyCovCase(2, 0))
}

// TestCovMatrixLayout checks Stan's layout for k = 2: x = (log L11, L21,
// log L22) and Jacobian 2 log 2 + 3 x1 + 2 x3.
func TestCovMatrixLayout(t *testing.T) {
	x := []float64{0.3, -0.8, -0.4}
	l11, l21, l22 := math.Exp(x[0]), x[1], math.Exp(x[2])
	want := []float64{l11 * l11, l21 * l11, l21 * l11, l21*l21 + l22*l22}
	out := make([]ad.Var, 4)
	lj := ad.Const(0)
	if err := CovMatrix(nil, consts(x), out, 2, &lj); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "cov_matrix", vals(out), want, 1e-15)
	if w := 2*math.Ln2 + 3*x[0] + 2*x[2]; !near(lj.Val, w, 1e-15) {
		t.Errorf("lj = %v, want %v", lj.Val, w)
	}
}

// TestCholeskyFactorCovLayout checks Stan's layout for m = 3, n = 2: x =
// (log L11, L21, log L22, L31, L32).
func TestCholeskyFactorCovLayout(t *testing.T) {
	x := []float64{0.3, -0.8, -0.4, 1.5, 2.5}
	want := []float64{math.Exp(0.3), -0.8, 1.5, 0, math.Exp(-0.4), 2.5}
	out := make([]ad.Var, 6)
	lj := ad.Const(0)
	if err := CholeskyFactorCov(nil, consts(x), out, 3, 2, &lj); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "cholesky_factor_cov", vals(out), want, 1e-15)
	if w := -0.1; !near(lj.Val, w, 1e-15) {
		t.Errorf("lj = %v, want %v", lj.Val, w)
	}
	if err := CholeskyFactorCov(nil, consts(x), out, 2, 3, &lj); err == nil {
		t.Error("no error for m < n")
	}
}

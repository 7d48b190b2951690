package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/fdcheck"
	"gonum.org/v1/gonum/mat"
)

// TestMultiStudentTCholesky checks the Cholesky form against
// multi_student_t of L Lᵀ (and so against its mpmath values), its
// gradient in y, ν, μ and L's lower triangle by finite differences, and
// the rng's sample covariance ν/(ν-2) L Lᵀ.
func TestMultiStudentTCholesky(t *testing.T) {
	l := cholOf(t, 3, mvSigma)
	got, err := dist.MultiStudentTCholeskyLpdf(nil, false, constVecs(mvY1, mvY2), ad.Const(4.5), constVecs(mvMu), constMat(3, l))
	if err != nil {
		t.Fatal(err)
	}
	near(t, "multi_student_t_cholesky_lpdf", got.Val, -7.79931092914339527095, 1e-13)
	// x: y (3), ν, μ (3), then L's lower triangle (6).
	x0 := append(append(append(append([]float64(nil), mvY1...), 4.5), mvMu...), l[0], l[3], l[4], l[6], l[7], l[8])
	at := func(propto bool) fdcheck.Func {
		return func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			L := ad.Matrix{Rows: 3, Cols: 3, Data: []ad.Var{x[7], x[8], x[10], ad.Const(0), x[9], x[11], ad.Const(0), ad.Const(0), x[12]}}
			return dist.MultiStudentTCholeskyLpdf(tp, propto, [][]ad.Var{x[0:3]}, x[3], [][]ad.Var{x[4:7]}, L)
		}
	}
	if err := fdcheck.Check(at(false), x0, 1e-6); err != nil {
		t.Error(err)
	}
	// With everything varying, propto drops only -k/2 log π.
	full, _, _ := fdcheck.Gradient(at(false), x0)
	prop, _, _ := fdcheck.Gradient(at(true), x0)
	near(t, "multi_student_t_cholesky_lupdf", prop-full, 1.5*math.Log(math.Pi), 1e-13)
	if _, err := dist.MultiStudentTCholeskyLpdf(nil, false, constVecs(mvY1), ad.Const(4.5), constVecs(mvMu), constMat(3, []float64{1, 0, 0, 0, -1, 0, 0, 0, 1})); err == nil {
		t.Error("a negative diagonal is accepted")
	}

	r := rand.New(rand.NewPCG(3, 3))
	const n, nu = 40000, 7.0
	L := mat.NewDense(3, 3, l)
	var cov [9]float64
	for range n {
		x, err := dist.MultiStudentTCholeskyRng(r, nu, mvMu, L)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			for j := range 3 {
				cov[i*3+j] += (x[i] - mvMu[i]) * (x[j] - mvMu[j]) / n
			}
		}
	}
	for i, s := range mvSigma {
		if want := nu / (nu - 2) * s; math.Abs(cov[i]-want) > 0.08*math.Max(1, math.Abs(want)) {
			t.Errorf("multi_student_t_cholesky_rng: covariance[%d] = %v, want %v", i, cov[i], want)
		}
	}
}

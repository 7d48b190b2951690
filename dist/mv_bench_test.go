package dist_test

import (
	"math"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
)

// BenchmarkMultiNormalCholesky: 100 observed vectors of dimension 10, a
// varying location and Cholesky factor; one gradient per iteration.
func BenchmarkMultiNormalCholesky(b *testing.B) {
	const n, k = 100, 10
	y := make([][]ad.Var, n)
	for i := range y {
		y[i] = make([]ad.Var, k)
		for j := range y[i] {
			y[i][j] = ad.Const(math.Sin(float64(i*k + j)))
		}
	}
	tp := ad.NewTape()
	mu := make([][]ad.Var, 1)
	eval := func() {
		tp.Reset()
		mu[0] = tp.Vars(k)
		for j := range mu[0] {
			mu[0][j] = tp.Var(0.1 * float64(j))
		}
		L := tp.Matrix(k, k)
		for i := range k {
			L.Set(i, i, tp.Var(1+0.1*float64(i)))
			for j := range i {
				L.Set(i, j, tp.Var(0.05*float64(i-j)))
			}
		}
		lp, err := dist.MultiNormalCholeskyLpdf(tp, true, y, mu, L)
		if err != nil {
			b.Fatal(err)
		}
		tp.Grad(lp)
	}
	eval()
	b.ReportAllocs()
	for b.Loop() {
		eval()
	}
}

// BenchmarkMultiNormalCholeskyOneVector: a GP's case, one observed vector
// of dimension 11 with a varying Cholesky factor (the loops, not BLAS).
func BenchmarkMultiNormalCholeskyOneVector(b *testing.B) {
	const k = 11
	y := [][]ad.Var{make([]ad.Var, k)}
	for j := range y[0] {
		y[0][j] = ad.Const(math.Sin(float64(j)))
	}
	mu := [][]ad.Var{make([]ad.Var, k)}
	tp := ad.NewTape()
	b.ReportAllocs()
	for b.Loop() {
		tp.Reset()
		L := tp.Matrix(k, k)
		for i := range k {
			L.Set(i, i, tp.Var(1+0.1*float64(i)))
			for j := range i {
				L.Set(i, j, tp.Var(0.05*float64(i-j)))
			}
		}
		lp, err := dist.MultiNormalCholeskyLpdf(tp, true, y, mu, L)
		if err != nil {
			b.Fatal(err)
		}
		tp.Grad(lp)
	}
}

package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/fdcheck"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestWishartCholesky checks wishart_cholesky and inv_wishart_cholesky:
// for K = 1 against the gamma and inverse gamma laws of W = L² (times the
// Jacobian 2L), for K = 3 against (inv_)wishart of L Lᵀ plus the log
// Jacobian, gradients by finite differences, and the rngs' means ν S and
// S/(ν-K-1) of L Lᵀ.
func TestWishartCholesky(t *testing.T) {
	const nu, s, l = 4.5, 1.7, 1.3
	ls := math.Sqrt(s)
	for _, c := range []struct {
		f    func(*ad.Tape, bool, ad.Matrix, ad.Var, ad.Matrix) (ad.Var, error)
		want float64
	}{
		{dist.WishartCholeskyLpdf, distuv.Gamma{Alpha: nu / 2, Beta: 1 / (2 * s)}.LogProb(l*l) + math.Log(2*l)},
		{dist.InvWishartCholeskyLpdf, distuv.InverseGamma{Alpha: nu / 2, Beta: s / 2}.LogProb(l*l) + math.Log(2*l)},
	} {
		got, err := c.f(nil, false, constMat(1, []float64{l}), ad.Const(nu), constMat(1, []float64{ls}))
		if err != nil {
			t.Fatal(err)
		}
		near(t, "K=1", got.Val, c.want, 1e-13)
	}
	lw := cholOf(t, 3, mvSigma)
	lsig := []float64{1.1, 0, 0, 0.3, 0.9, 0, -0.2, 0.4, 1.4}
	prod := func(a []float64) []float64 {
		out := make([]float64, 9)
		for i := range 3 {
			for j := range 3 {
				for k := range 3 {
					out[i*3+j] += a[i*3+k] * a[j*3+k]
				}
			}
		}
		return out
	}
	jac := 3*math.Ln2 + 3*math.Log(lw[0]) + 2*math.Log(lw[4]) + math.Log(lw[8])
	for _, c := range []struct {
		f, g func(*ad.Tape, bool, ad.Matrix, ad.Var, ad.Matrix) (ad.Var, error)
	}{{dist.WishartCholeskyLpdf, dist.WishartLpdf}, {dist.InvWishartCholeskyLpdf, dist.InvWishartLpdf}} {
		got, err := c.f(nil, false, constMat(3, lw), ad.Const(5), constMat(3, lsig))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := c.g(nil, false, constMat(3, prod(lw)), ad.Const(5), constMat(3, prod(lsig)))
		near(t, "K=3", got.Val, w.Val+jac, 1e-12)
		// x: L_W's lower triangle, ν, L_S's lower triangle.
		lower := func(x []ad.Var) ad.Matrix {
			z := ad.Const(0)
			return ad.Matrix{Rows: 3, Cols: 3, Data: []ad.Var{x[0], x[1], x[3], z, x[2], x[4], z, z, x[5]}}
		}
		f := func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
			return c.f(tp, false, lower(x[0:6]), x[6], lower(x[7:13]))
		}
		x0 := []float64{lw[0], lw[3], lw[4], lw[6], lw[7], lw[8], 5, lsig[0], lsig[3], lsig[4], lsig[6], lsig[7], lsig[8]}
		if err := fdcheck.Check(f, x0, 1e-6); err != nil {
			t.Error(err)
		}
	}
	if _, err := dist.WishartCholeskyLpdf(nil, false, constMat(3, mvSigma), ad.Const(5), constMat(3, lsig)); err == nil {
		t.Error("a full matrix is accepted as a Cholesky factor")
	}

	r := rand.New(rand.NewPCG(4, 4))
	S := prod(lsig)
	LS := mat.NewDense(3, 3, lsig)
	for _, c := range []struct {
		draw  func(*rand.Rand, float64, mat.Matrix) (*mat.Dense, error)
		scale float64
	}{{dist.WishartCholeskyRng, 7}, {dist.InvWishartCholeskyRng, 1.0 / (7 - 3 - 1)}} {
		const n = 20000
		var mean [9]float64
		for range n {
			L, err := c.draw(r, 7, LS)
			if err != nil {
				t.Fatal(err)
			}
			if L.At(0, 1) != 0 || L.At(0, 2) != 0 || L.At(1, 2) != 0 || L.At(0, 0) <= 0 {
				t.Fatalf("not a Cholesky factor: %v", mat.Formatted(L))
			}
			var w mat.Dense
			w.Mul(L, L.T())
			for i := range 9 {
				mean[i] += w.At(i/3, i%3) / n
			}
		}
		for i := range 9 {
			if want := c.scale * S[i]; math.Abs(mean[i]-want) > 0.05*math.Max(1, math.Abs(want)) {
				t.Errorf("mean[%d] = %v, want %v", i, mean[i], want)
			}
		}
	}
}

package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmat"
)

// wishW is a symmetric positive definite 3×3 random variable (row-major).
var wishW = []float64{
	3.1, -0.6, 0.4,
	-0.6, 2.2, 0.9,
	0.4, 0.9, 1.8,
}

func gonumWishart(t *testing.T, w []float64, nu float64, s []float64) float64 {
	t.Helper()
	d, ok := distmat.NewWishart(symDense(3, s), nu, nil)
	if !ok {
		t.Fatal("gonum wishart")
	}
	return d.LogProbSym(symDense(3, w))
}

func TestWishartValues(t *testing.T) {
	for _, nu := range []float64{2.5, 5.5, 11} {
		want := gonumWishart(t, wishW, nu, mvSigma)
		got, err := dist.WishartLpdf(nil, false, constMat(3, wishW), ad.Const(nu), constMat(3, mvSigma))
		if err != nil {
			t.Fatal(err)
		}
		near(t, "wishart_lpdf", got.Val, want, 1e-13)
	}
	// propto with only W varying keeps the W terms.
	tp := ad.NewTape()
	W := constMat(3, wishW)
	W.Data[0] = tp.Var(wishW[0])
	prop, _ := dist.WishartLpdf(tp, true, W, ad.Const(5.5), constMat(3, mvSigma))
	var sinv mat.Dense
	if err := sinv.Inverse(mat.NewDense(3, 3, append([]float64(nil), mvSigma...))); err != nil {
		t.Fatal(err)
	}
	var prod mat.Dense
	prod.Mul(&sinv, mat.NewDense(3, 3, append([]float64(nil), wishW...)))
	tr := mat.Trace(&prod)
	near(t, "wishart_lupdf", prop.Val, 0.5*(5.5-4)*logDetOf(t, 3, wishW)-0.5*tr, 1e-13)
}

// wishartGrad checks the gradients of a Wishart-like density in nu and both
// matrices, shared symmetric and entry by entry.
func wishartGrad(t *testing.T, name string, f func(*ad.Tape, bool, ad.Matrix, ad.Var, ad.Matrix) (ad.Var, error), nu float64) {
	t.Helper()
	gradCheck(t, name, func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		a := split(x, 1, 6, 6)
		return f(tp, false, symFrom(a[1], 3), a[0][0], symFrom(a[2], 3))
	}, append(append([]float64{nu}, lowerVals(3, wishW)...), lowerVals(3, mvSigma)...)...)
	checkEntrywise(t, name+" W", 3, wishW, func(tp *ad.Tape, w ad.Matrix) (ad.Var, error) {
		return f(tp, false, w, ad.Const(nu), constMat(3, mvSigma))
	})
	checkEntrywise(t, name+" S", 3, mvSigma, func(tp *ad.Tape, s ad.Matrix) (ad.Var, error) {
		return f(tp, false, constMat(3, wishW), ad.Const(nu), s)
	})
}

func TestWishartGradients(t *testing.T) {
	for _, nu := range []float64{2.5, 5.5, 11} {
		wishartGrad(t, "wishart_lpdf", dist.WishartLpdf, nu)
	}
}

func TestWishartErrors(t *testing.T) {
	_, err := dist.WishartLpdf(nil, false, constMat(3, wishW), ad.Const(2), constMat(3, mvSigma))
	wantErr(t, "nu", err, "wishart_lpdf: Degrees of freedom parameter is 2, but must be greater than 2")
	bad := append([]float64(nil), wishW...)
	bad[2] = 0
	_, err = dist.WishartLpdf(nil, false, constMat(3, bad), ad.Const(4), constMat(3, mvSigma))
	wantErr(t, "asymmetric", err, "wishart_lpdf: random variable is not symmetric. random variable[1,3] = 0, but random variable[3,1] = 0.4")
	_, err = dist.WishartLpdf(nil, false, constMat(3, wishW), ad.Const(4), constMat(2, []float64{1, 0, 0, 1}))
	wantErr(t, "sizes", err, "wishart_lpdf: size of random variable (3) and size of scale parameter (2) must match")
	_, err = dist.WishartLpdf(nil, false, constMat(2, []float64{1, 0, 0, 1}), ad.Const(4), constMat(2, []float64{1, 2, 2, 1}))
	wantErr(t, "indefinite", err, "wishart_lpdf: scale parameter is not positive definite.")
	_, err = dist.WishartRng(rand.New(rand.NewPCG(1, 1)), 1, mat.NewDense(2, 2, []float64{1, 0, 0, 1}))
	wantErr(t, "rng nu", err, "wishart_rng: Degrees of freedom parameter is 1, but must be greater than 1")
}

// checkMatMean compares the entrywise mean of matrix draws with want
// within 5 standard errors estimated from the draws.
func checkMatMean(t *testing.T, name string, draws []*mat.Dense, want []float64) {
	t.Helper()
	k, _ := draws[0].Dims()
	n := float64(len(draws))
	for i := range k {
		for j := range k {
			s, ss := 0.0, 0.0
			for _, d := range draws {
				v := d.At(i, j)
				if d.At(j, i) != v {
					t.Fatalf("%s: draw not symmetric", name)
				}
				s += v
				ss += v * v
			}
			m := s / n
			se := math.Sqrt((ss/n - m*m) / n)
			if math.Abs(m-want[i*k+j]) > 5*se {
				t.Errorf("%s: mean[%d,%d] = %v ± %v, want %v", name, i, j, m, se, want[i*k+j])
			}
		}
	}
}

func TestWishartRng(t *testing.T) {
	const n, nu = 20000, 5.5
	r := rand.New(rand.NewPCG(11, 12))
	draws := make([]*mat.Dense, n)
	vs := make([]float64, 9)
	for i := range draws {
		d, err := dist.WishartRng(r, nu, mat.NewDense(3, 3, append([]float64(nil), mvSigma...)))
		if err != nil {
			t.Fatal(err)
		}
		draws[i] = d
	}
	for i := range vs {
		vs[i] = nu * mvSigma[i]
	}
	checkMatMean(t, "wishart_rng", draws, vs)
	// Var(W_ij) = ν(S_ij² + S_ii S_jj).
	for i := range 3 {
		for j := range 3 {
			s := 0.0
			for _, d := range draws {
				e := d.At(i, j) - vs[i*3+j]
				s += e * e / n
			}
			want := nu * (mvSigma[i*3+j]*mvSigma[i*3+j] + mvSigma[i*4]*mvSigma[j*4])
			near(t, "wishart_rng variance", s, want, 0.05)
		}
	}
}

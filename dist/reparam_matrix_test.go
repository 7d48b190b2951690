package dist

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/gostan/gostan/ad"
)

// matCase is a matrix family's reparameterised draw of one 3×3 matrix
// with ν = p[0] and the scale's lower triangle p[1:] (S symmetric, or
// its Cholesky factor), its draw mapped to the matrix whose mean is
// known: W itself, or L Lᵀ for the Cholesky families.
type matCase struct {
	name    string
	p       []float64
	draw    func(t *ad.Tape, r *rand.Rand, p []ad.Var, y ad.Matrix) error
	chol    bool
	inverse bool // the mean is S/(ν-k-1), not ν S
}

var matCases = []matCase{
	{"wishart", append([]float64{8}, mvSigma...), func(t *ad.Tape, r *rand.Rand, p []ad.Var, y ad.Matrix) error {
		return WishartReparam(t, r, []ad.Matrix{y}, p[0], lowerMatrix(p[1:], true))
	}, false, false},
	{"wishart_cholesky", append([]float64{8}, mvChol...), func(t *ad.Tape, r *rand.Rand, p []ad.Var, y ad.Matrix) error {
		return WishartCholeskyReparam(t, r, []ad.Matrix{y}, p[0], lowerMatrix(p[1:], false))
	}, true, false},
	{"inv_wishart", append([]float64{8}, mvSigma...), func(t *ad.Tape, r *rand.Rand, p []ad.Var, y ad.Matrix) error {
		return InvWishartReparam(t, r, []ad.Matrix{y}, p[0], lowerMatrix(p[1:], true))
	}, false, true},
	{"inv_wishart_cholesky", append([]float64{8}, mvChol...), func(t *ad.Tape, r *rand.Rand, p []ad.Var, y ad.Matrix) error {
		return InvWishartCholeskyReparam(t, r, []ad.Matrix{y}, p[0], lowerMatrix(p[1:], false))
	}, true, true},
}

func newMatrix(k int) ad.Matrix { return ad.Matrix{Rows: k, Cols: k, Data: make([]ad.Var, k*k)} }

// full is the draw as the matrix its family is a law of: L Lᵀ for a
// Cholesky factor, after checking it is one.
func (c matCase) full(t *testing.T, tape *ad.Tape, y ad.Matrix) ad.Matrix {
	if !c.chol {
		for i := range 3 {
			for j := range 3 {
				if y.At(i, j) != y.At(j, i) {
					t.Fatalf("%s: draw not symmetric at [%d,%d]", c.name, i, j)
				}
			}
		}
		return y
	}
	for i := range 3 {
		if !(y.At(i, i).Val > 0) {
			t.Fatalf("%s: diagonal %v", c.name, y.At(i, i).Val)
		}
		for j := i + 1; j < 3; j++ {
			if y.At(i, j).Val != 0 {
				t.Fatalf("%s: not lower triangular", c.name)
			}
		}
	}
	return tape.Tcrossprod(y)
}

// TestMatrixReparamMoments compares the mean of 20000 draws of each
// Wishart family, entry by entry, with ν S (Wishart) or S/(ν-k-1)
// (inverse Wishart), within 4.5 standard errors.
func TestMatrixReparamMoments(t *testing.T) {
	const n = 20000
	sigma := lowerMatrix(ad.ConstMatrix(6, 1, mvSigma).Data, true)
	for _, c := range matCases {
		p := make([]ad.Var, len(c.p))
		for i, v := range c.p {
			p[i] = ad.Const(v)
		}
		nu := c.p[0]
		r := rand.New(rand.NewPCG(21, 22))
		var sum, sq [9]float64
		for range n {
			y := newMatrix(3)
			if err := c.draw(nil, r, p, y); err != nil {
				t.Fatal(err)
			}
			w := c.full(t, nil, y)
			for i, x := range w.Data {
				sum[i] += x.Val
				sq[i] += x.Val * x.Val
			}
		}
		for i := range 9 {
			want := nu * sigma.Data[i].Val
			if c.inverse {
				want = sigma.Data[i].Val / (nu - 3 - 1)
			}
			mean := sum[i] / n
			se := math.Sqrt((sq[i]/n - mean*mean) / n)
			if math.Abs(mean-want) > 4.5*se {
				t.Errorf("%s: mean[%d,%d] = %v ± %v, want %v", c.name, i%3+1, i/3+1, mean, se, want)
			}
		}
	}
}

// TestMatrixReparamScaleGradient checks the partials of every entry of
// a draw in the scale's entries against central differences at the same
// random numbers, which are exact there: the scale enters the draw
// through arithmetic only, the gamma draws depend on ν alone.
func TestMatrixReparamScaleGradient(t *testing.T) {
	for _, c := range matCases {
		for seed := range uint64(3) {
			tape := ad.NewTape()
			p := make([]ad.Var, len(c.p))
			for i, v := range c.p {
				p[i] = tape.Var(v)
			}
			y := newMatrix(3)
			if err := c.draw(tape, rand.New(rand.NewPCG(seed, 9)), p, y); err != nil {
				t.Fatal(err)
			}
			at := func(i int, h float64) ad.Matrix {
				q := make([]ad.Var, len(c.p))
				for j, v := range c.p {
					q[j] = ad.Const(v)
				}
				q[i] = ad.Const(c.p[i] + h)
				out := newMatrix(3)
				if err := c.draw(ad.NewTape(), rand.New(rand.NewPCG(seed, 9)), q, out); err != nil {
					t.Fatal(err)
				}
				return out
			}
			for e := range 9 {
				if y.Data[e].IsConst() {
					continue // above a factor's diagonal
				}
				tape.Grad(y.Data[e])
				for i := 1; i < len(c.p); i++ {
					const h = 1e-6
					fd := (at(i, h).Data[e].Val - at(i, -h).Data[e].Val) / (2 * h)
					if got := tape.Adjoint(p[i]); math.Abs(got-fd) > 1e-6*(1+math.Abs(fd)) {
						t.Errorf("%s seed %d: d y[%d] / d p[%d] = %v, finite differences %v", c.name, seed, e, i, got, fd)
					}
				}
			}
		}
	}
}

// TestMatrixReparamDOFGradient checks the implicit gradient in ν: the
// mean of 20000 one-draw gradients of tr(W) (of L Lᵀ for a factor) must
// agree with d/dν E[tr W] within 4.5 standard errors, tr S for the
// Wishart and -tr S/(ν-k-1)² for the inverse Wishart.
func TestMatrixReparamDOFGradient(t *testing.T) {
	const n = 20000
	trS := mvSigma[0] + mvSigma[3] + mvSigma[5]
	for _, c := range matCases {
		nu := c.p[0]
		want := trS
		if c.inverse {
			want = -trS / ((nu - 4) * (nu - 4))
		}
		r := rand.New(rand.NewPCG(31, 32))
		grads := make([]float64, n)
		tape := ad.NewTape()
		for k := range n {
			tape.Reset()
			p := make([]ad.Var, len(c.p))
			p[0] = tape.Var(nu)
			for i, v := range c.p[1:] {
				p[i+1] = ad.Const(v)
			}
			y := newMatrix(3)
			if err := c.draw(tape, r, p, y); err != nil {
				t.Fatal(err)
			}
			tape.Grad(tape.Trace(c.full(t, tape, y)))
			grads[k] = tape.Adjoint(p[0])
		}
		if mean, se := meanSE(grads); math.Abs(mean-want) > 4.5*se {
			t.Errorf("%s: d E[tr W] / d nu = %v ± %v, want %v", c.name, mean, se, want)
		}
	}
}

// lkjCases draw a 4×4 correlation matrix or its factor with η = p.
var lkjCases = []struct {
	name string
	draw func(t *ad.Tape, r *rand.Rand, eta ad.Var, y ad.Matrix) error
	chol bool
}{
	{"lkj_corr", func(t *ad.Tape, r *rand.Rand, eta ad.Var, y ad.Matrix) error {
		return LkjCorrReparam(t, r, []ad.Matrix{y}, eta)
	}, false},
	{"lkj_corr_cholesky", func(t *ad.Tape, r *rand.Rand, eta ad.Var, y ad.Matrix) error {
		return LkjCorrCholeskyReparam(t, r, []ad.Matrix{y}, eta)
	}, true},
}

// TestLkjReparam checks 20000 draws of LKJ(η = 1.5) in dimension 4: every
// off-diagonal correlation has mean 0 and variance 1/(2η+d-1) = 1/6 (its
// marginal is 2·Beta(η-1+d/2, η-1+d/2) - 1), and the implicit gradient
// of the mean of the squared correlations, d/dη 1/(2η+d-1) = -2/36,
// within 4.5 standard errors.
func TestLkjReparam(t *testing.T) {
	const (
		n   = 20000
		K   = 4
		eta = 1.5
	)
	variance := 1 / (2*eta + K - 1)
	dvar := -2 * variance * variance
	for _, c := range lkjCases {
		r := rand.New(rand.NewPCG(41, 42))
		tape := ad.NewTape()
		var sum, sq [K * K]float64
		grads := make([]float64, n)
		for k := range n {
			tape.Reset()
			e := tape.Var(eta)
			y := newMatrix(K)
			if err := c.draw(tape, r, e, y); err != nil {
				t.Fatal(err)
			}
			corr := y
			if c.chol {
				corr = tape.Tcrossprod(y)
			}
			var sqs []ad.Var
			for i := range K {
				if d := corr.At(i, i).Val; math.Abs(d-1) > 1e-12 {
					t.Fatalf("%s: diagonal %v", c.name, d)
				}
				for j := range i {
					x := corr.At(i, j)
					if !c.chol && x != corr.At(j, i) {
						t.Fatalf("%s: not symmetric", c.name)
					}
					sum[i+j*K] += x.Val
					sq[i+j*K] += x.Val * x.Val
					sqs = append(sqs, tape.Square(x))
				}
			}
			tape.Grad(tape.Mul(tape.Sum(sqs), ad.Const(1/float64(len(sqs)))))
			grads[k] = tape.Adjoint(e)
		}
		for i := range K {
			for j := range i {
				mean := sum[i+j*K] / n
				v := sq[i+j*K]/n - mean*mean
				if math.Abs(mean) > 4.5*math.Sqrt(v/n) {
					t.Errorf("%s: mean corr[%d,%d] = %v", c.name, i+1, j+1, mean)
				}
				// The variance of r² is 3/((2a+1)(2a+3)) - 1/(2a+1)² for
				// r = 2 Beta(a, a) - 1, 2a+1 = 6 here: 3/48 - 1/36.
				se := math.Sqrt((3.0/48 - 1.0/36) / n)
				if math.Abs(sq[i+j*K]/n-variance) > 4.5*se {
					t.Errorf("%s: E corr[%d,%d]² = %v ± %v, want %v", c.name, i+1, j+1, sq[i+j*K]/n, se, variance)
				}
			}
		}
		if mean, se := meanSE(grads); math.Abs(mean-dvar) > 4.5*se {
			t.Errorf("%s: d E[corr²] / d eta = %v ± %v, want %v", c.name, mean, se, dvar)
		}
	}
}

// TestMatrixReparamErrors checks the arguments a draw refuses.
func TestMatrixReparamErrors(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	id := ad.ConstMatrix(2, 2, []float64{1, 0, 0, 1})
	two := []ad.Matrix{newMatrix(2)}
	for _, c := range []struct {
		err  error
		want string
	}{
		{WishartReparam(nil, r, two, ad.Const(1), id), "wishart_rng: Degrees of freedom parameter is 1, but must be finite and greater than 1"},
		{InvWishartReparam(nil, r, two, ad.Const(3), ad.ConstMatrix(2, 2, []float64{1, 2, 2, 1})), "inv_wishart_rng: scale parameter is not positive definite"},
		{WishartReparam(ad.NewTape(), r, two, ad.Const(3), ad.ConstMatrix(2, 2, []float64{1, 2, 2, 1})), "wishart_rng: scale parameter is not positive definite."},
		{WishartReparam(ad.NewTape(), r, two, ad.Const(3), ad.ConstMatrix(2, 2, []float64{math.NaN(), 0, 0, 1})), "wishart_rng: scale parameter is not positive definite."},
		{WishartReparam(ad.NewTape(), r, two, ad.Const(3), ad.ConstMatrix(2, 2, []float64{1, 0.5, 0.4, 1})), "wishart_rng: scale parameter is not symmetric. scale parameter[1,2] = 0.4, but scale parameter[2,1] = 0.5"},
		{WishartCholeskyReparam(nil, r, two, ad.Const(3), ad.ConstMatrix(2, 2, []float64{1, 0, 1, 1})), "wishart_cholesky_rng: scale parameter is not lower triangular"},
		{WishartReparam(nil, r, []ad.Matrix{newMatrix(3)}, ad.Const(3), id), "wishart_rng: size of random variable (3) and size of scale parameter (2) must match"},
		{LkjCorrReparam(nil, r, two, ad.Const(0)), "lkj_corr_rng: Shape parameter is 0, but must be positive finite"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want %q", c.err, c.want)
		}
	}
}

// meanSE is the mean of xs and its standard error.
func meanSE(xs []float64) (mean, se float64) {
	mean, sd := stat.MeanStdDev(xs, nil)
	return mean, sd / math.Sqrt(float64(len(xs)))
}

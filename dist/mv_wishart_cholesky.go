package dist

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
)

// WishartCholeskyLpdf is the log density of the Cholesky factor L_W of a
// Wishart(ν, L_S L_Sᵀ) matrix: wishart_lpdf(L_W L_Wᵀ | ν, L_S L_Sᵀ) plus
// the log Jacobian of L ↦ L Lᵀ on the lower triangle,
// K log 2 + Σ_i (K-i) log L_ii (0-based i).
func WishartCholeskyLpdf(t *ad.Tape, propto bool, LW ad.Matrix, nu ad.Var, LS ad.Matrix) (ad.Var, error) {
	return wishartCholesky(t, "wishart_cholesky_lpdf", propto, LW, nu, LS, false)
}

// InvWishartCholeskyLpdf is WishartCholeskyLpdf for the inverse Wishart.
func InvWishartCholeskyLpdf(t *ad.Tape, propto bool, LW ad.Matrix, nu ad.Var, LS ad.Matrix) (ad.Var, error) {
	return wishartCholesky(t, "inv_wishart_cholesky_lpdf", propto, LW, nu, LS, true)
}

func wishartCholesky(t *ad.Tape, fn string, propto bool, LW ad.Matrix, nu ad.Var, LS ad.Matrix, inverse bool) (ad.Var, error) {
	for _, m := range []struct {
		name argName
		m    ad.Matrix
	}{{argMVRandom, LW}, {argScaleMatrix, LS}} {
		if err := checkSquare(fn, m.name, m.m); err != nil {
			return ad.Var{}, err
		}
		l := make([]float64, m.m.Rows*m.m.Rows)
		load(m.m, l)
		if err := checkCholeskyFactor(fn, m.name, m.m.Rows, l); err != nil {
			return ad.Var{}, err
		}
	}
	k := LW.Rows
	if LS.Rows != k {
		return ad.Var{}, &SizeError{fn, argMVRandom.String(), argScaleMatrix.String(), k, LS.Rows}
	}
	if !(nu.Val > float64(k)-1) {
		return ad.Var{}, &DomainError{fn, argDOF.String(), 0, nu.Val, fmt.Sprintf("greater than %d", k-1)}
	}
	if k == 0 {
		return ad.Var{}, nil
	}
	if t == nil {
		// The products below record on a tape; constants record nothing.
		t = ad.NewTape()
	}
	lp, err := wishart(t, fn, propto, t.Tcrossprod(LW), nu, t.Tcrossprod(LS), inverse)
	if err != nil {
		return ad.Var{}, err
	}
	if propto && LW.IsConst() {
		return lp, nil
	}
	jac := 0.0
	if !propto {
		jac = float64(k) * math.Ln2
	}
	b := t.Begin()
	for i := range k {
		d := LW.At(i, i)
		jac += float64(k-i) * math.Log(d.Val)
		b.Add(d, float64(k-i)/d.Val)
	}
	return t.Add(lp, b.End(jac)), nil
}

// WishartCholeskyRng draws the Cholesky factor of a wishart(ν, L_S L_Sᵀ)
// matrix: L_S A of the Bartlett decomposition.
func WishartCholeskyRng(r *rand.Rand, nu float64, LS mat.Matrix) (*mat.Dense, error) {
	const fn = "wishart_cholesky_rng"
	L, err := choleskyRngCheck(fn, nu, LS)
	if err != nil {
		return nil, err
	}
	return bartlettFactor(r, nu, L), nil
}

// InvWishartCholeskyRng draws the Cholesky factor of an
// inv_wishart(ν, L_S L_Sᵀ) matrix.
func InvWishartCholeskyRng(r *rand.Rand, nu float64, LS mat.Matrix) (*mat.Dense, error) {
	const fn = "inv_wishart_cholesky_rng"
	L, err := choleskyRngCheck(fn, nu, LS)
	if err != nil || L == nil {
		return &mat.Dense{}, err
	}
	var s mat.Dense
	s.Mul(L, L.T())
	w, err := InvWishartRng(r, nu, &s)
	if err != nil {
		return nil, err
	}
	f, err := rngCholesky(fn, argMVRandom, w)
	if err != nil {
		return nil, err
	}
	return mat.DenseCopyOf(f), nil
}

// choleskyRngCheck checks ν and that L_S is a Cholesky factor, and
// returns it as a triangular matrix (nil when it is empty).
func choleskyRngCheck(fn string, nu float64, LS mat.Matrix) (*mat.TriDense, error) {
	k, c := LS.Dims()
	if k != c {
		n := argScaleMatrix.String()
		return nil, &MatrixError{fn, fmt.Sprintf("Expecting a square matrix; rows of %s (%d) and columns of %s (%d) must match in size", n, k, n, c)}
	}
	if !(nu > float64(k)-1) || math.IsInf(nu, 1) {
		return nil, &DomainError{fn, argDOF.String(), 0, nu, fmt.Sprintf("finite and greater than %d", k-1)}
	}
	if k == 0 {
		return nil, nil
	}
	l := make([]float64, k*k)
	for i := range k {
		for j := range k {
			l[i*k+j] = LS.At(i, j)
		}
	}
	if err := checkCholeskyFactor(fn, argScaleMatrix, k, l); err != nil {
		return nil, err
	}
	return mat.NewTriDense(k, mat.Lower, l), nil
}

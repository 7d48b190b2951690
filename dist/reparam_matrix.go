package dist

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
)

// Reparameterised draws of constrained matrices, for guides. Each fills
// the square matrices y (column-major, as ad.Matrix) with draws that are
// differentiable functions of the family's parameters. Their gamma and
// beta draws are differentiated implicitly (stdGamma, betaDraw), the rest
// is arithmetic on the tape. A symmetric draw holds one Var per pair of
// entries, so a density's partials in both flow to it. Their log
// densities are the families' Lpdf functions.

// WishartReparam fills each y[n] with a draw of wishart(nu, S) by the
// Bartlett decomposition (Bartlett 1933; Smith and Hocking 1972,
// "Algorithm AS 53: Wishart variate generator"): W = L A Aᵀ Lᵀ with
// L Lᵀ = S and A the standard Bartlett factor (bartlettTape).
func WishartReparam(t *ad.Tape, r *rand.Rand, y []ad.Matrix, nu ad.Var, S ad.Matrix) error {
	const fn = "wishart_rng"
	L, err := wishartScale(t, fn, y, nu, S, false)
	if err != nil || L.Rows == 0 {
		return err
	}
	for _, out := range y {
		LA, _ := t.MatMul(L, bartlettTape(t, r, L.Rows, nu))
		setSymmetric(out, t.Tcrossprod(LA))
	}
	return nil
}

// WishartCholeskyReparam fills each y[n] with a draw of
// wishart_cholesky(nu, LS): the Bartlett factor L_S A, lower triangular
// with a positive diagonal.
func WishartCholeskyReparam(t *ad.Tape, r *rand.Rand, y []ad.Matrix, nu ad.Var, LS ad.Matrix) error {
	const fn = "wishart_cholesky_rng"
	L, err := wishartScale(t, fn, y, nu, LS, true)
	if err != nil || L.Rows == 0 {
		return err
	}
	for _, out := range y {
		LA, _ := t.MatMul(L, bartlettTape(t, r, L.Rows, nu))
		setLower(out, LA)
	}
	return nil
}

// InvWishartReparam fills each y[n] with a draw of inv_wishart(nu, S),
// the inverse of a draw of wishart(nu, S⁻¹). With L Lᵀ = S, that draw is
// L⁻ᵀ A Aᵀ L⁻¹ for a Bartlett factor A (the Wishart is closed under
// congruence, F X Fᵀ ~ wishart(ν, F Fᵀ) for X ~ wishart(ν, I)), so its
// inverse is (L A⁻ᵀ)(L A⁻ᵀ)ᵀ: one triangular solve, and S is never
// inverted.
func InvWishartReparam(t *ad.Tape, r *rand.Rand, y []ad.Matrix, nu ad.Var, S ad.Matrix) error {
	const fn = "inv_wishart_rng"
	L, err := wishartScale(t, fn, y, nu, S, false)
	if err != nil || L.Rows == 0 {
		return err
	}
	for _, out := range y {
		setSymmetric(out, invWishartTape(t, r, L, nu))
	}
	return nil
}

// InvWishartCholeskyReparam fills each y[n] with a draw of
// inv_wishart_cholesky(nu, LS): the Cholesky factor, on the tape, of an
// inverse Wishart draw with scale L_S L_Sᵀ.
func InvWishartCholeskyReparam(t *ad.Tape, r *rand.Rand, y []ad.Matrix, nu ad.Var, LS ad.Matrix) error {
	const fn = "inv_wishart_cholesky_rng"
	L, err := wishartScale(t, fn, y, nu, LS, true)
	if err != nil || L.Rows == 0 {
		return err
	}
	for _, out := range y {
		X := invWishartTape(t, r, L, nu)
		setSymmetric(X, X)
		LX, err := t.CholeskyDecompose(X)
		if err != nil {
			return fmt.Errorf("%s: %w", fn, err)
		}
		setLower(out, LX)
	}
	return nil
}

// invWishartTape is N Nᵀ for N = L A⁻ᵀ and a Bartlett factor A: Nᵀ is
// the one triangular solve A Nᵀ = Lᵀ, and N Nᵀ its crossproduct.
func invWishartTape(t *ad.Tape, r *rand.Rand, L ad.Matrix, nu ad.Var) ad.Matrix {
	Nt, _ := t.MdivideLeftTriLow(bartlettTape(t, r, L.Rows, nu), t.Transpose(L))
	return t.Crossprod(Nt)
}

// bartlettTape is the Bartlett factor of a wishart(ν, I) draw: lower
// triangular, A_ii = √(2 G_i) with G_i ~ Gamma((ν - i)/2, 1) (0-based i,
// so A_ii² ~ χ²(ν - i)), implicitly differentiated in ν, and standard
// normal constants below the diagonal.
func bartlettTape(t *ad.Tape, r *rand.Rand, k int, nu ad.Var) ad.Matrix {
	A := ad.Matrix{Rows: k, Cols: k, Data: make([]ad.Var, k*k)}
	for i := range k {
		shape := t.Mul(t.Sub(nu, ad.Const(float64(i))), ad.Const(0.5))
		A.Data[i+i*k] = t.Sqrt(t.Mul(ad.Const(2), stdGamma(t, r, shape)))
		for j := range i {
			A.Data[i+j*k] = ad.Const(r.NormFloat64())
		}
	}
	return A
}

// wishartScale checks a Wishart draw's ν, its scale (S, or its Cholesky
// factor when chol) and the draws' sizes, and returns the scale's
// Cholesky factor on the tape.
func wishartScale(t *ad.Tape, fn string, y []ad.Matrix, nu ad.Var, S ad.Matrix, chol bool) (ad.Matrix, error) {
	if err := checkSquare(fn, argScaleMatrix, S); err != nil {
		return ad.Matrix{}, err
	}
	k := S.Rows
	if !(nu.Val > float64(k)-1) || math.IsInf(nu.Val, 1) {
		return ad.Matrix{}, &DomainError{fn, argDOF.String(), 0, nu.Val, fmt.Sprintf("finite and greater than %d", k-1)}
	}
	if err := checkDrawSizes(fn, argScaleMatrix, k, y); err != nil || k == 0 {
		return ad.Matrix{}, err
	}
	sc := getScratch()
	defer sc.release()
	l := sc.floats(k * k)
	if chol {
		load(S, l)
		if err := checkCholeskyFactor(fn, argScaleMatrix, k, l); err != nil {
			return ad.Matrix{}, err
		}
		return S, nil
	}
	// Symmetric as Stan checks it, then factored once, on the tape: its
	// failure is S's not being positive definite.
	load(S, l)
	if err := checkSymmetric(fn, argScaleMatrix, k, l); err != nil {
		return ad.Matrix{}, err
	}
	L, err := t.CholeskyDecompose(S)
	if err != nil {
		return ad.Matrix{}, notPosDef(fn, argScaleMatrix)
	}
	return L, nil
}

// checkDrawSizes checks that every draw is k×k, k the size of the
// argument name.
func checkDrawSizes(fn string, name argName, k int, y []ad.Matrix) error {
	for _, m := range y {
		if err := checkSquare(fn, argMVRandom, m); err != nil {
			return err
		}
		if m.Rows != k {
			return &SizeError{fn, argMVRandom.String(), name.String(), m.Rows, k}
		}
	}
	return nil
}

// LkjCorrCholeskyReparam fills each y[n] with a draw of
// lkj_corr_cholesky(eta) by the C-vine method (Lewandowski, Kurowicka
// and Joe 2009, "Generating random correlation matrices based on vines
// and extended onion method", section 2.4), as LkjCorrCholeskyRng: the
// canonical partial correlations at level i are 2·Beta(b_i, b_i) - 1,
// b_i = η + (K-2-i)/2, each beta a ratio of implicitly differentiated
// gamma draws (betaDraw), mapped to L row by row on the tape.
func LkjCorrCholeskyReparam(t *ad.Tape, r *rand.Rand, y []ad.Matrix, eta ad.Var) error {
	const fn = "lkj_corr_cholesky_rng"
	if err := checkLkjDraw(fn, y, eta); err != nil {
		return err
	}
	for _, out := range y {
		lkjTape(t, r, out, eta)
	}
	return nil
}

// LkjCorrReparam fills each y[n] with a draw of lkj_corr(eta): L Lᵀ for
// a draw L of lkj_corr_cholesky(eta), its diagonal the constant 1.
func LkjCorrReparam(t *ad.Tape, r *rand.Rand, y []ad.Matrix, eta ad.Var) error {
	const fn = "lkj_corr_rng"
	if err := checkLkjDraw(fn, y, eta); err != nil {
		return err
	}
	var L ad.Matrix // one draw's factor, reused by the next
	for _, out := range y {
		if L.Rows != out.Rows {
			L = ad.Matrix{Rows: out.Rows, Cols: out.Rows, Data: make([]ad.Var, out.Rows*out.Rows)}
		}
		lkjTape(t, r, L, eta)
		setSymmetric(out, t.Tcrossprod(L))
		for i := range out.Rows {
			out.Data[i+i*out.Rows] = ad.Const(1)
		}
	}
	return nil
}

// checkLkjDraw checks an LKJ draw's shape η and that the draws are
// square.
func checkLkjDraw(fn string, y []ad.Matrix, eta ad.Var) error {
	if !isPositiveFinite(eta.Val) {
		return &DomainError{fn, argEta.String(), 0, eta.Val, rulePosFinite}
	}
	for _, m := range y {
		if err := checkSquare(fn, argCorrelation, m); err != nil {
			return err
		}
	}
	return nil
}

// lkjTape writes to the K×K L the Cholesky factor of an lkj_corr(η)
// draw: row j holds L_ji = z_ij √(1 - Σ_{m<i} L_jm²) for the partial
// correlations z_ij, and L_jj the square root of what is left. The z_ij
// wait in L's upper triangle, which ends zero.
func lkjTape(t *ad.Tape, r *rand.Rand, L ad.Matrix, eta ad.Var) {
	K := L.Rows
	if K == 0 {
		return
	}
	z := func(i, j int) *ad.Var { return &L.Data[i+j*K] } // i < j: row i, column j
	for i := range K - 1 {
		b := t.Add(eta, ad.Const(float64(K-2-i)/2))
		for j := i + 1; j < K; j++ {
			*z(i, j) = t.Sub(t.Mul(ad.Const(2), betaDraw(t, r, b, b)), ad.Const(1))
		}
	}
	L.Data[0] = ad.Const(1)
	for j := 1; j < K; j++ {
		rest := ad.Const(1)
		for i := range j {
			v := t.Mul(*z(i, j), t.Sqrt(rest))
			L.Data[j+i*K] = v
			rest = t.Sub(rest, t.Square(v))
		}
		if rest.Val <= 0 {
			rest = ad.Const(0) // a partial correlation of ±1 in rounding
		}
		L.Data[j+j*K] = t.Sqrt(rest)
	}
	for j := 1; j < K; j++ {
		clear(L.Data[j*K : j*K+j]) // rows 0..j-1 of column j
	}
}

// setSymmetric writes m's lower triangle into both triangles of out, so
// that an entry and its mirror are one Var.
func setSymmetric(out, m ad.Matrix) {
	k := m.Rows
	for j := range k {
		for i := j; i < k; i++ {
			out.Data[i+j*k] = m.Data[i+j*k]
			out.Data[j+i*k] = m.Data[i+j*k]
		}
	}
}

// setLower writes m's lower triangle into out, and zeros above it.
func setLower(out, m ad.Matrix) {
	k := m.Rows
	for j := range k {
		for i := range k {
			if i < j {
				out.Data[i+j*k] = ad.Const(0)
			} else {
				out.Data[i+j*k] = m.Data[i+j*k]
			}
		}
	}
}

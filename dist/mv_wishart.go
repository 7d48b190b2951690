package dist

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// WishartLpdf returns the log of the Wishart density of the symmetric
// positive definite W with nu degrees of freedom and scale matrix S:
//
//	½(ν-k-1) log det W - ½ tr(S⁻¹W) - ½νk log 2 - ½ν log det S - log Γ_k(ν/2)
//
// so d/dW = ½(ν-k-1)W⁻¹ - ½S⁻¹, d/dS = ½S⁻¹WS⁻¹ - ½νS⁻¹ (one partial per
// entry) and d/dν = ½ log det W - ½k log 2 - ½ log det S - ½Σ_j ψ(ν/2 - j/2).
func WishartLpdf(t *ad.Tape, propto bool, W ad.Matrix, nu ad.Var, S ad.Matrix) (ad.Var, error) {
	return wishart(t, "wishart_lpdf", propto, W, nu, S, false)
}

// InvWishartLpdf returns the log of the inverse Wishart density of W with
// nu degrees of freedom and scale matrix S:
//
//	½ν log det S - ½νk log 2 - log Γ_k(ν/2) - ½(ν+k+1) log det W - ½ tr(SW⁻¹)
//
// so d/dW = -½(ν+k+1)W⁻¹ + ½W⁻¹SW⁻¹, d/dS = ½νS⁻¹ - ½W⁻¹ and
// d/dν = ½ log det S - ½k log 2 - ½Σ_j ψ(ν/2 - j/2) - ½ log det W.
func InvWishartLpdf(t *ad.Tape, propto bool, W ad.Matrix, nu ad.Var, S ad.Matrix) (ad.Var, error) {
	return wishart(t, "inv_wishart_lpdf", propto, W, nu, S, true)
}

func wishart(t *ad.Tape, fn string, propto bool, W ad.Matrix, nu ad.Var, S ad.Matrix, inverse bool) (ad.Var, error) {
	if err := checkSquare(fn, argMVRandom, W); err != nil {
		return ad.Var{}, err
	}
	if err := checkSquare(fn, argScaleMatrix, S); err != nil {
		return ad.Var{}, err
	}
	k := W.Rows
	if S.Rows != k {
		return ad.Var{}, &SizeError{fn, argMVRandom.String(), argScaleMatrix.String(), k, S.Rows}
	}
	v, kf := nu.Val, float64(k)
	if !(v > kf-1) {
		return ad.Var{}, &DomainError{fn, argDOF.String(), 0, v, fmt.Sprintf("greater than %d", k-1)}
	}
	if k == 0 {
		return ad.Var{}, nil
	}
	sc := getScratch()
	defer sc.release()
	w, lw, s, ls := sc.floats(k*k), sc.floats(k*k), sc.floats(k*k), sc.floats(k*k)
	load(W, w)
	if err := covCholesky(fn, argMVRandom, W, lw); err != nil {
		return ad.Var{}, err
	}
	load(S, s)
	if err := covCholesky(fn, argScaleMatrix, S, ls); err != nil {
		return ad.Var{}, err
	}
	wVar, nVar, sVar := !W.IsConst(), !nu.IsConst(), !S.IsConst()
	if propto && !wVar && !nVar && !sVar {
		return ad.Var{}, nil
	}
	ldW, ldS := logDetChol(k, lw), logDetChol(k, ls)
	// The trace term is tr(inv·other): inv = S⁻¹ and other = W for the
	// Wishart, inv = W⁻¹ and other = S for the inverse Wishart.
	inv, other, linv := sc.floats(k*k), w, ls
	coefW, signW, signS := 0.5*(v-kf-1), 1.0, -1.0
	if inverse {
		other, linv = s, lw
		coefW, signW, signS = -0.5*(v+kf+1), -1.0, 1.0
	}
	invFromChol(k, linv, inv)
	tr := 0.0
	for i := range inv {
		tr += inv[i] * other[i]
	}
	lp := 0.0
	if !propto || wVar || sVar {
		lp -= 0.5 * tr
	}
	// Stan's inverse Wishart keeps log det W when the scale varies too.
	if !propto || wVar || nVar || inverse && sVar {
		lp += coefW * ldW
	}
	if !propto || sVar || nVar {
		lp += signS * 0.5 * v * ldS
	}
	if !propto || nVar {
		lp -= lmgamma(k, 0.5*v)
	}
	// Stan's inverse Wishart keeps ½νk log 2 when the scale varies too
	// (the Wishart's only with ν). With these groupings of Stan's
	// (inv_wishart_lpdf.hpp) lp__ is Stan's to the constant.
	if !propto || nVar || inverse && sVar {
		lp -= 0.5 * v * kf * math.Ln2
	}
	b := t.Begin()
	if nVar {
		d := 0.5 * (signW*ldW + signS*ldS - kf*math.Ln2)
		for j := range k {
			d -= 0.5 * mathx.Digamma(0.5*v-0.5*float64(j))
		}
		b.Add(nu, d)
	}
	if !wVar && !sVar {
		return b.End(lp), nil
	}
	// iOi = inv·other·inv: minus the derivative of tr(inv·other) with
	// respect to the inverted matrix.
	tmp, iOi := sc.floats(k*k), sc.floats(k*k)
	matMul(k, inv, other, tmp)
	matMul(k, tmp, inv, iOi)
	g := tmp
	if wVar {
		if inverse {
			invW := inv
			for i := range g {
				g[i] = coefW*invW[i] + 0.5*iOi[i]
			}
		} else {
			invW := sc.floats(k * k)
			invFromChol(k, lw, invW)
			for i := range g {
				g[i] = coefW*invW[i] - 0.5*inv[i]
			}
		}
		addMat(&b, W, g)
	}
	if sVar {
		if inverse {
			invS := sc.floats(k * k)
			invFromChol(k, ls, invS)
			for i := range g {
				g[i] = 0.5*v*invS[i] - 0.5*inv[i]
			}
		} else {
			for i := range g {
				g[i] = 0.5*iOi[i] - 0.5*v*inv[i]
			}
		}
		addMat(&b, S, g)
	}
	return b.End(lp), nil
}

// matMul writes the product of the row-major k×k a and b into c.
func matMul(k int, a, b, c []float64) {
	for i := range k {
		row := c[i*k : i*k+k]
		clear(row)
		for m := range k {
			aim := a[i*k+m]
			for j, bj := range b[m*k : m*k+k] {
				row[j] += aim * bj
			}
		}
	}
}

// WishartRng draws from wishart(nu, S) by the Bartlett decomposition
// (Bartlett 1933; Smith and Hocking 1972): W = (LA)(LA)ᵀ with S = LLᵀ and
// A lower triangular, A_ii² ~ χ²(ν - i) (0-based i), A_ij ~ N(0, 1) below.
func WishartRng(r *rand.Rand, nu float64, S mat.Matrix) (*mat.Dense, error) {
	const fn = "wishart_rng"
	L, err := wishartRngCheck(fn, nu, S)
	if err != nil {
		return nil, err
	}
	return bartlett(r, nu, L), nil
}

// InvWishartRng draws from inv_wishart(nu, S) as the inverse of a draw from
// wishart(nu, S⁻¹).
func InvWishartRng(r *rand.Rand, nu float64, S mat.Matrix) (*mat.Dense, error) {
	const fn = "inv_wishart_rng"
	if _, err := wishartRngCheck(fn, nu, S); err != nil {
		return nil, err
	}
	k, _ := S.Dims()
	if k == 0 {
		return &mat.Dense{}, nil
	}
	var sinv mat.Dense
	if err := sinv.Inverse(S); err != nil {
		return nil, notPosDef(fn, argScaleMatrix)
	}
	L, err := rngCholesky(fn, argScaleMatrix, symmetrised(&sinv))
	if err != nil {
		return nil, err
	}
	var out mat.Dense
	if err := out.Inverse(bartlett(r, nu, L)); err != nil {
		return nil, notPosDef(fn, argMVRandom)
	}
	return symmetrised(&out), nil
}

// symmetrised returns (a + aᵀ)/2, removing the rounding asymmetry of an
// inverse.
func symmetrised(a *mat.Dense) *mat.Dense {
	k, _ := a.Dims()
	out := mat.NewDense(k, k, nil)
	for i := range k {
		for j := range k {
			out.Set(i, j, 0.5*(a.At(i, j)+a.At(j, i)))
		}
	}
	return out
}

func wishartRngCheck(fn string, nu float64, S mat.Matrix) (*mat.TriDense, error) {
	k, c := S.Dims()
	if k != c {
		n := argScaleMatrix.String()
		return nil, &MatrixError{fn, fmt.Sprintf("Expecting a square matrix; rows of %s (%d) and columns of %s (%d) must match in size", n, k, n, c)}
	}
	if !(nu > float64(k)-1) {
		return nil, &DomainError{fn, argDOF.String(), 0, nu, fmt.Sprintf("greater than %d", k-1)}
	}
	if math.IsInf(nu, 1) {
		return nil, &DomainError{fn, argDOF.String(), 0, nu, ruleFinite}
	}
	if k == 0 {
		return nil, nil
	}
	return rngCholesky(fn, argScaleMatrix, S)
}

func bartlett(r *rand.Rand, nu float64, L *mat.TriDense) *mat.Dense {
	LA := bartlettFactor(r, nu, L)
	var out mat.Dense
	if k, _ := LA.Dims(); k > 0 {
		out.Mul(LA, LA.T())
	}
	return &out
}

// bartlettFactor is the L A of bartlett: lower triangular with a positive
// diagonal, the Cholesky factor of the draw.
func bartlettFactor(r *rand.Rand, nu float64, L *mat.TriDense) *mat.Dense {
	if L == nil {
		return &mat.Dense{}
	}
	k, _ := L.Dims()
	if k == 0 {
		return &mat.Dense{}
	}
	A := mat.NewDense(k, k, nil)
	for i := range k {
		A.Set(i, i, math.Sqrt(distuv.ChiSquared{K: nu - float64(i), Src: r}.Rand()))
		for j := range i {
			A.Set(i, j, r.NormFloat64())
		}
	}
	var LA mat.Dense
	LA.Mul(L, A)
	return &LA
}

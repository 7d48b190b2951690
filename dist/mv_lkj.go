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

// lkjConstant returns the log of the LKJ normalising constant -log c_K(η)
// and its derivative in η. From the C-vine construction (Lewandowski,
// Kurowicka and Joe 2009, "Generating random correlation matrices based on
// vines and extended onion method", section 3.2):
// c_K = Π_{k=1}^{K-1} [2^{2η-2+K-k} B(b_k, b_k)]^{K-k}, b_k = η + (K-k-1)/2.
func lkjConstant(K int, eta float64) (float64, float64) {
	c, d := 0.0, 0.0
	for k := 1; k < K; k++ {
		m := float64(K - k)
		b := eta + (m-1)/2
		c += m * ((2*eta-2+m)*math.Ln2 + mathx.Lbeta(b, b))
		d += m * (2*math.Ln2 + 2*(mathx.Digamma(b)-mathx.Digamma(2*b)))
	}
	return -c, -d
}

// LkjCorrCholeskyLpdf returns the log of the LKJ density of the Cholesky
// factor L of a correlation matrix with shape eta:
// log c + Σ_{i=2}^{K} (K - i + 2η - 2) log L_ii (1-based i), which is the
// LKJ density of L Lᵀ times the Jacobian of the map from L.
func LkjCorrCholeskyLpdf(t *ad.Tape, propto bool, L ad.Matrix, eta ad.Var) (ad.Var, error) {
	const fn = "lkj_corr_cholesky_lpdf"
	if !isPositive(eta.Val) {
		return ad.Var{}, &DomainError{fn, argEta.String(), 0, eta.Val, rulePositive}
	}
	if err := checkSquare(fn, argY, L); err != nil {
		return ad.Var{}, err
	}
	K := L.Rows
	sc := getScratch()
	defer sc.release()
	l := sc.floats(K * K)
	load(L, l)
	if err := checkLowerTriangular(fn, argY, K, l); err != nil {
		return ad.Var{}, err
	}
	lVarying, eVarying := !L.IsConst(), !eta.IsConst()
	if propto && !lVarying && !eVarying {
		return ad.Var{}, nil
	}
	lp, deta := 0.0, 0.0
	if !propto || eVarying {
		lp, deta = lkjConstant(K, eta.Val)
	}
	b := t.Begin()
	for i := 1; i < K; i++ {
		d := l[i*K+i]
		logd := math.Log(d)
		coef := float64(K-i-3) + 2*eta.Val
		lp += coef * logd
		deta += 2 * logd
		if lVarying {
			b.Add(L.Data[i+i*K], coef/d)
		}
	}
	if eVarying {
		b.Add(eta, deta)
	}
	return b.End(lp), nil
}

// LkjCorrLpdf returns the log of the LKJ density of the correlation matrix
// y with shape eta: log c + (η - 1) log det y, with
// d/dy = (η - 1) y⁻¹ (one partial per entry) and d/dη = c' + log det y.
func LkjCorrLpdf(t *ad.Tape, propto bool, y ad.Matrix, eta ad.Var) (ad.Var, error) {
	const fn = "lkj_corr_lpdf"
	if !isPositive(eta.Val) {
		return ad.Var{}, &DomainError{fn, argEta.String(), 0, eta.Val, rulePositive}
	}
	if err := checkSquare(fn, argCorrelation, y); err != nil {
		return ad.Var{}, err
	}
	K := y.Rows
	sc := getScratch()
	defer sc.release()
	l := sc.floats(K * K)
	load(y, l)
	if err := checkCorrDiag(fn, argCorrelation, K, l); err != nil {
		return ad.Var{}, err
	}
	if err := checkSymmetric(fn, argCorrelation, K, l); err != nil {
		return ad.Var{}, err
	}
	if !cholesky(K, l) {
		return ad.Var{}, notPosDef(fn, argCorrelation)
	}
	yVarying, eVarying := !y.IsConst(), !eta.IsConst()
	if propto && !yVarying && !eVarying {
		return ad.Var{}, nil
	}
	lp, deta := 0.0, 0.0
	if !propto || eVarying {
		lp, deta = lkjConstant(K, eta.Val)
	}
	logDet := logDetChol(K, l)
	lp += (eta.Val - 1) * logDet
	b := t.Begin()
	if yVarying {
		inv := sc.floats(K * K)
		invFromChol(K, l, inv)
		for i := range inv {
			inv[i] *= eta.Val - 1
		}
		addMat(&b, y, inv)
	}
	if eVarying {
		b.Add(eta, deta+logDet)
	}
	return b.End(lp), nil
}

// checkCorrDiag checks that a correlation matrix has a unit diagonal, as
// Stan's check_corr_matrix.
func checkCorrDiag(fn string, name argName, K int, a []float64) error {
	for i := range K {
		if !(math.Abs(a[i*K+i]-1) <= constraintTolerance) {
			s := name.String()
			return &MatrixError{fn, fmt.Sprintf("%s is not a valid correlation matrix. %s[%d,%d] is %v, but should be near 1", s, s, i+1, i+1, a[i*K+i])}
		}
	}
	return nil
}

// LkjCorrCholeskyRng draws the Cholesky factor of a K×K correlation
// matrix from lkj_corr_cholesky(eta): canonical partial correlations at
// level k are 2·Beta(b_k, b_k) - 1 with b_k = η + (K-1-k)/2 (the C-vine
// method of Lewandowski, Kurowicka and Joe 2009), mapped to L row by row.
func LkjCorrCholeskyRng(r *rand.Rand, K int, eta float64) (*mat.Dense, error) {
	return lkjCholeskyDraw(r, "lkj_corr_cholesky_rng", K, eta)
}

func lkjCholeskyDraw(r *rand.Rand, fn string, K int, eta float64) (*mat.Dense, error) {
	if !isPositiveFinite(eta) {
		return nil, &DomainError{fn, argEta.String(), 0, eta, rulePosFinite}
	}
	if K < 0 {
		return nil, &DomainError{fn, "Dimension", 0, float64(K), ruleNonnegative}
	}
	if K == 0 {
		return &mat.Dense{}, nil
	}
	L := mat.NewDense(K, K, nil)
	L.Set(0, 0, 1)
	// z[i][j], i < j: the partial correlation of j with i given 0..i-1.
	z := make([]float64, K*K)
	for i := range K - 1 {
		b := eta + float64(K-2-i)/2
		beta := distuv.Beta{Alpha: b, Beta: b, Src: r}
		for j := i + 1; j < K; j++ {
			z[i*K+j] = 2*beta.Rand() - 1
		}
	}
	for j := 1; j < K; j++ {
		rest := 1.0 // 1 - Σ_{m<i} L[j][m]², the unexplained variance
		for i := range j {
			v := z[i*K+j] * math.Sqrt(rest)
			L.Set(j, i, v)
			rest -= v * v
		}
		L.Set(j, j, math.Sqrt(math.Max(rest, 0)))
	}
	return L, nil
}

// LkjCorrRng draws a K×K correlation matrix from lkj_corr(eta).
func LkjCorrRng(r *rand.Rand, K int, eta float64) (*mat.Dense, error) {
	L, err := lkjCholeskyDraw(r, "lkj_corr_rng", K, eta)
	if err != nil {
		return nil, err
	}
	if K == 0 {
		return L, nil
	}
	var c mat.Dense
	c.Mul(L, L.T())
	for i := range K {
		c.Set(i, i, 1)
	}
	return &c, nil
}

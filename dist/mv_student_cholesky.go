package dist

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
)

// MultiStudentTCholeskyLpdf is MultiStudentTLpdf with the scale matrix
// given by its Cholesky factor L (Σ = L Lᵀ). Per term, with z = L⁻¹(y-μ),
// q = |z|², w = L⁻ᵀz and s = (ν+k)/(ν+q), the partials are -s·w in y,
// s·w in μ, and s·w zᵀ - diag(1/L_ii) on L's lower triangle; in ν as for
// MultiStudentTLpdf.
func MultiStudentTCholeskyLpdf(t *ad.Tape, propto bool, y [][]ad.Var, nu ad.Var, mu [][]ad.Var, L ad.Matrix) (ad.Var, error) {
	const fn = "multi_student_t_cholesky_lpdf"
	Y, M := newVecs(argY, y), newVecs(argLocation, mu)
	if !isPositiveFinite(nu.Val) {
		return ad.Var{}, &DomainError{fn, argDOF.String(), 0, nu.Val, rulePosFinite}
	}
	k, n, err := mvTerms(fn, argCholesky, L, &Y, &M)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	sc := getScratch()
	defer sc.release()
	l := sc.floats(k * k)
	load(L, l)
	if err := checkCholeskyFactor(fn, argCholesky, k, l); err != nil {
		return ad.Var{}, err
	}
	return multiStudentT(t, propto, &Y, &M, n, nu, L, l, sc, true)
}

// MultiStudentTCholeskyRng draws from multi_student_t_cholesky(nu, mu,
// L): mu + sqrt(ν/χ²_ν)·L z with z standard normal.
func MultiStudentTCholeskyRng(r *rand.Rand, nu float64, mu []float64, L mat.Matrix) ([]float64, error) {
	const fn = "multi_student_t_cholesky_rng"
	if !isPositiveFinite(nu) {
		return nil, &DomainError{fn, argDOF.String(), 0, nu, rulePosFinite}
	}
	if err := checkRngLocation(fn, mu, L, argCholesky); err != nil {
		return nil, err
	}
	return studentDraw(r, nu, mu, L), nil
}

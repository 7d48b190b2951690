package dist

import (
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
)

// Multivariate reparameterised draws, for guides. Each fills the vectors
// of y with draws that are differentiable functions of the parameters,
// one vector of the location (or prior sizes) per draw or one for all.
// The Gaussian and Student-t families transform standard normal draws,
// mu + w·L z with w = 1 or sqrt(ν/χ²_ν); the Dirichlet normalises gamma
// draws, whose derivatives in their shapes are implicit (stdGamma), as
// for beta. Their log densities are the families' Lpdf functions.

// MultiNormalCholeskyReparam fills each y[k] with mu[k] + L z_k for a
// standard normal z_k: multi_normal_cholesky(mu, L).
func MultiNormalCholeskyReparam(t *ad.Tape, r *rand.Rand, y, mu [][]ad.Var, L ad.Matrix) error {
	const fn = "multi_normal_cholesky_rng"
	if err := checkCholeskyDraw(fn, y, mu, L); err != nil {
		return err
	}
	locScaleDraw(t, r, y, mu, L, ad.Const(1))
	return nil
}

// MultiNormalReparam fills each y[k] with a draw of multi_normal(mu[k],
// Sigma): mu + L z with L Lᵀ = Sigma, L differentiated on the tape.
func MultiNormalReparam(t *ad.Tape, r *rand.Rand, y, mu [][]ad.Var, Sigma ad.Matrix) error {
	L, err := covFactor(t, "multi_normal_rng", argCovariance, y, mu, Sigma)
	if err != nil {
		return err
	}
	locScaleDraw(t, r, y, mu, L, ad.Const(1))
	return nil
}

// MultiStudentTCholeskyReparam fills each y[k] with a draw of
// multi_student_t_cholesky(nu, mu[k], L): mu + sqrt(ν/χ²_ν)·L z, the
// chi-square an implicitly differentiated gamma draw, one per vector.
func MultiStudentTCholeskyReparam(t *ad.Tape, r *rand.Rand, y [][]ad.Var, nu ad.Var, mu [][]ad.Var, L ad.Matrix) error {
	const fn = "multi_student_t_cholesky_rng"
	if !isPositiveFinite(nu.Val) {
		return &DomainError{fn, argDOF.String(), 0, nu.Val, rulePosFinite}
	}
	if err := checkCholeskyDraw(fn, y, mu, L); err != nil {
		return err
	}
	studentReparam(t, r, y, nu, mu, L)
	return nil
}

// MultiStudentTReparam fills each y[k] with a draw of
// multi_student_t(nu, mu[k], Sigma), as MultiStudentTCholeskyReparam with
// L the Cholesky factor of Sigma, differentiated on the tape.
func MultiStudentTReparam(t *ad.Tape, r *rand.Rand, y [][]ad.Var, nu ad.Var, mu [][]ad.Var, Sigma ad.Matrix) error {
	const fn = "multi_student_t_rng"
	if !isPositiveFinite(nu.Val) {
		return &DomainError{fn, argDOF.String(), 0, nu.Val, rulePosFinite}
	}
	L, err := covFactor(t, fn, argScale, y, mu, Sigma)
	if err != nil {
		return err
	}
	studentReparam(t, r, y, nu, mu, L)
	return nil
}

// DirichletReparam fills each simplex y[k] with a draw of
// dirichlet(alpha[k]): G_j / Σ G_i for independent G_j ~ Gamma(α_j, 1),
// each differentiated implicitly in α_j (Figurnov, Mohamed and Mnih 2018,
// "Implicit reparameterization gradients", section 3.4).
func DirichletReparam(t *ad.Tape, r *rand.Rand, y, alpha [][]ad.Var) error {
	const fn = "dirichlet_rng"
	if err := checkDrawCount(fn, argPriorSizes, y, alpha); err != nil {
		return err
	}
	A := newVecs(argPriorSizes, alpha)
	if err := checkVecs(fn, &A, rulePosFinite, isPositiveFinite); err != nil {
		return err
	}
	for k, out := range y {
		a := pick(alpha, k)
		if len(out) != len(a) {
			return &SizeError{fn, argSimplex.String(), argPriorSizes.String(), len(out), len(a)}
		}
		for j := range a {
			out[j] = stdGamma(t, r, a[j])
		}
		s := t.Sum(out)
		for j, g := range out {
			out[j] = t.Div(g, s)
		}
	}
	return nil
}

// checkDrawCount checks that the parameter vectors p are one for all
// draws or one per draw; a draw cannot broadcast over several.
func checkDrawCount(fn string, name argName, y, p [][]ad.Var) error {
	if len(p) != 1 && len(p) != len(y) {
		return &SizeError{fn, argMVRandom.String(), name.String(), len(y), len(p)}
	}
	return nil
}

// checkLocations checks the locations of draws from a k-dimensional
// family: their count, their sizes and the draws' sizes, finite values.
func checkLocations(fn string, name argName, k int, y, mu [][]ad.Var) error {
	if err := checkDrawCount(fn, argLocation, y, mu); err != nil {
		return err
	}
	Y, M := newVecs(argMVRandom, y), newVecs(argLocation, mu)
	if _, err := terms(fn, k, name, &Y, &M); err != nil {
		return err
	}
	return checkVecs(fn, &M, ruleFinite, isFinite)
}

// checkCholeskyDraw checks a draw's locations and its Cholesky factor L.
func checkCholeskyDraw(fn string, y, mu [][]ad.Var, L ad.Matrix) error {
	if err := checkSquare(fn, argCholesky, L); err != nil {
		return err
	}
	k := L.Rows
	if err := checkLocations(fn, argCholesky, k, y, mu); err != nil {
		return err
	}
	sc := getScratch()
	defer sc.release()
	l := sc.floats(k * k)
	load(L, l)
	return checkCholeskyFactor(fn, argCholesky, k, l)
}

// covFactor checks a draw's locations and the symmetric positive-definite
// S, and returns S's Cholesky factor on the tape.
func covFactor(t *ad.Tape, fn string, name argName, y, mu [][]ad.Var, S ad.Matrix) (ad.Matrix, error) {
	if err := checkSquare(fn, name, S); err != nil {
		return ad.Matrix{}, err
	}
	k := S.Rows
	if err := checkLocations(fn, name, k, y, mu); err != nil {
		return ad.Matrix{}, err
	}
	sc := getScratch()
	l := sc.floats(k * k)
	err := covCholesky(fn, name, S, l)
	sc.release()
	if err != nil {
		return ad.Matrix{}, err
	}
	L, err := t.CholeskyDecompose(S)
	if err != nil {
		return ad.Matrix{}, fmt.Errorf("%s: %w", fn, err)
	}
	return L, nil
}

// studentReparam draws y[k] = mu + sqrt(ν/(2G))·L z with G ~ Gamma(ν/2, 1).
func studentReparam(t *ad.Tape, r *rand.Rand, y [][]ad.Var, nu ad.Var, mu [][]ad.Var, L ad.Matrix) {
	half := t.Mul(nu, ad.Const(0.5))
	for k := range y {
		g := stdGamma(t, r, half)
		w := t.Sqrt(t.Div(half, g))
		locScaleDraw(t, r, y[k:k+1], [][]ad.Var{pick(mu, k)}, L, w)
	}
}

// locScaleDraw fills y[k] with mu[k] + w·L z_k for standard normal z_k,
// reading L's lower triangle only, as its density does. Each element is
// one tape statement: partial 1 in mu_i, (Lz)_i in w and w·z_j in L_ij.
func locScaleDraw(t *ad.Tape, r *rand.Rand, y, mu [][]ad.Var, L ad.Matrix, w ad.Var) {
	k := L.Rows
	sc := getScratch()
	defer sc.release()
	z := sc.floats(k)
	for n, out := range y {
		m := pick(mu, n)
		for i := range z {
			z[i] = r.NormFloat64()
		}
		for i := range k {
			s := 0.0
			for j := 0; j <= i; j++ {
				s += L.Data[i+j*k].Val * z[j]
			}
			b := t.Begin()
			b.Add(m[i], 1)
			b.Add(w, s)
			for j := 0; j <= i; j++ {
				b.Add(L.Data[i+j*k], w.Val*z[j])
			}
			out[i] = b.End(m[i].Val + w.Val*s)
		}
	}
}

package dist

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
	"gonum.org/v1/gonum/stat/distuv"
)

// DirichletLpdf returns the log of the Dirichlet density of each simplex
// theta with prior sample sizes alpha, summed over the arrays (a single
// vector broadcasts):
// lgamma(Σα) - Σ lgamma(α_j) + Σ (α_j - 1) log θ_j, so that
// d/dθ_j = (α_j - 1)/θ_j and d/dα_j = ψ(Σα) - ψ(α_j) + log θ_j.
func DirichletLpdf(t *ad.Tape, propto bool, theta, alpha [][]ad.Var) (ad.Var, error) {
	const fn = "dirichlet_lpdf"
	T, A := newVecs(argSimplex, theta), newVecs(argPriorSizes, alpha)
	if len(theta) == 0 || len(alpha) == 0 {
		return ad.Var{}, nil
	}
	k := len(alpha[0])
	n, err := terms(fn, k, argPriorSizes, &T, &A)
	if err != nil {
		return ad.Var{}, err
	}
	if err := checkVecs(fn, &A, rulePositive, isPositive); err != nil {
		return ad.Var{}, err
	}
	for _, th := range theta {
		if err := checkSimplex(fn, argSimplex, th); err != nil {
			return ad.Var{}, err
		}
	}
	if propto && !T.varying && !A.varying {
		return ad.Var{}, nil
	}
	sc := getScratch()
	defer sc.release()
	// Per alpha vector: the log normalising constant and ψ(Σα).
	norm, psiSum := sc.floats(len(alpha)), sc.floats(len(alpha))
	for j, a := range alpha {
		s := 0.0
		for _, v := range a {
			s += v.Val
			norm[j] -= mathx.Lgamma(v.Val)
		}
		norm[j] += mathx.Lgamma(s)
		if A.varying {
			psiSum[j] = mathx.Digamma(s)
		}
	}
	var gt, ga []float64
	if T.varying {
		gt = sc.floats(len(theta) * k)
	}
	if A.varying {
		ga = sc.floats(len(alpha) * k)
	}
	lp := 0.0
	for i := range n {
		it, ia := T.idx(i), A.idx(i)
		th, a := theta[it], alpha[ia]
		if !propto || A.varying {
			lp += norm[ia]
		}
		for j := range k {
			am1, x := a[j].Val-1, th[j].Val
			logx := math.Log(x)
			if am1 != 0 {
				lp += am1 * logx
			}
			if gt != nil && am1 != 0 {
				gt[it*k+j] += am1 / x
			}
			if ga != nil {
				ga[ia*k+j] += psiSum[ia] - mathx.Digamma(a[j].Val) + logx
			}
		}
	}
	b := t.Begin()
	addVecs(&b, &T, gt, k)
	addVecs(&b, &A, ga, k)
	return b.End(lp), nil
}

// checkSimplex checks a vector as Stan's check_simplex: non-empty, summing
// to 1 within the tolerance, no element negative.
func checkSimplex(fn string, name argName, th []ad.Var) error {
	s := name.String()
	if len(th) == 0 {
		return &MatrixError{fn, s + " has size 0, but must have a non-zero size"}
	}
	sum := 0.0
	for _, v := range th {
		sum += v.Val
	}
	if !(math.Abs(1-sum) <= constraintTolerance) {
		return &MatrixError{fn, fmt.Sprintf("%s is not a valid simplex. sum(%s) = %v, but should be 1", s, s, sum)}
	}
	for i, v := range th {
		if !(v.Val >= 0) {
			return &MatrixError{fn, fmt.Sprintf("%s is not a valid simplex. %s[%d] = %v, but should be greater than or equal to 0", s, s, i+1, v.Val)}
		}
	}
	return nil
}

// DirichletRng draws a simplex from dirichlet(alpha). It normalises gamma
// draws in logs, log G_j = log Gamma(α_j + 1) + log(U)/α_j (the gamma
// boost identity), so that small α do not underflow to an all-zero draw.
func DirichletRng(r *rand.Rand, alpha []float64) ([]float64, error) {
	const fn = "dirichlet_rng"
	for i, a := range alpha {
		if !isPositiveFinite(a) {
			return nil, &DomainError{fn, argPriorSizes.String(), i + 1, a, rulePosFinite}
		}
	}
	out := make([]float64, len(alpha))
	for i, a := range alpha {
		g := distuv.Gamma{Alpha: a + 1, Beta: 1, Src: r}.Rand()
		out[i] = math.Log(g) + math.Log(r.Float64())/a
	}
	lse := mathx.LogSumExp(out)
	for i, v := range out {
		out[i] = math.Exp(v - lse)
	}
	return out, nil
}

package dist

import (
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// DirichletMultinomialLpmf is log DirichletMultinomial(n | α), the
// multinomial of N = Σn trials whose probabilities are Dirichlet(α):
// log N! - Σ log n_k! + log Γ(α₀) - log Γ(N+α₀) + Σ [log Γ(n_k+α_k) -
// log Γ(α_k)], α₀ = Σα. With no trials it is 0.
func DirichletMultinomialLpmf(t *ad.Tape, propto bool, n []int, alpha []ad.Var) (ad.Var, error) {
	const fn = "dirichlet_multinomial_lpmf"
	if len(n) != len(alpha) {
		return ad.Var{}, &SizeError{fn, "number of outcomes", "prior sample sizes", len(n), len(alpha)}
	}
	total, a0, vary := 0, 0.0, false
	for i, a := range alpha {
		if !isPositiveFinite(a.Val) {
			return ad.Var{}, &DomainError{fn, "Prior size parameter", i + 1, a.Val, rulePosFinite}
		}
		a0 += a.Val
		vary = vary || !a.IsConst()
	}
	for i, c := range n {
		if c < 0 {
			return ad.Var{}, &IntError{fn, "Number of trials variable", i + 1, c, "nonnegative"}
		}
		total += c
	}
	if total == 0 || propto && !vary {
		return ad.Const(0), nil
	}
	N := float64(total)
	lp := 0.0
	if !propto {
		lp += mathx.Lgamma(N + 1)
		for _, c := range n {
			lp -= mathx.Lgamma(float64(c + 1))
		}
	}
	lp += mathx.Lgamma(a0) - mathx.Lgamma(N+a0)
	common := mathx.Digamma(a0) - mathx.Digamma(N+a0)
	b := t.Begin()
	for i, a := range alpha {
		c := float64(n[i])
		if n[i] > 0 {
			lp += mathx.Lgamma(c+a.Val) - mathx.Lgamma(a.Val)
		}
		d := common
		if n[i] > 0 {
			d += mathx.Digamma(c+a.Val) - mathx.Digamma(a.Val)
		}
		b.Add(a, d)
	}
	return b.End(lp), nil
}

// DirichletMultinomialRng draws N trials' counts: probabilities from
// Dirichlet(α), then the multinomial.
func DirichletMultinomialRng(r *rand.Rand, alpha []float64, n int) ([]int, error) {
	const fn = "dirichlet_multinomial_rng"
	if n < 0 {
		return nil, fmt.Errorf("%s: number of trials variables is %d, but must be nonnegative", fn, n)
	}
	for i, a := range alpha {
		if !isPositiveFinite(a) {
			return nil, &DomainError{fn, "Prior size parameter", i + 1, a, rulePosFinite}
		}
	}
	th, err := DirichletRng(r, alpha)
	if err != nil {
		return nil, err
	}
	return MultinomialRng(r, th, n)
}

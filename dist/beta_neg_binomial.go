package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gostan/gostan/mathx"
)

// BetaNegBinomial is the negative binomial count of failures before r
// successes whose success probability is Beta(α, β):
// P(n) = Γ(n+r)/(n! Γ(r)) B(n+β, α+r)/B(α, β).
var BetaNegBinomial = &Discrete{"beta_neg_binomial_lpmf", []argName{argN}, []func([2]int) string{nonnegInt(0)},
	[]argName{argSuccessesParam, argPriorSuccessParam, argPriorFailureParam}, []rule{posFinite, posFinite, posFinite},
	func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
		var d [4]float64
		k, r, a, b := float64(n[0]), x[0], x[1], x[2]
		lp := mathx.Lbeta(k+b, a+r) - mathx.Lbeta(a, b)
		if keep(p, v, 0) {
			lp += mathx.Lgamma(k+r) - mathx.Lgamma(r)
		}
		if !p {
			lp -= mathx.Lgamma(k + 1)
		}
		dall := mathx.Digamma(k + a + b + r)
		dar, dab := mathx.Digamma(a+r), mathx.Digamma(a+b)
		d[0] = mathx.Digamma(k+r) - mathx.Digamma(r) + dar - dall
		d[1] = dar - dall - mathx.Digamma(a) + dab
		d[2] = mathx.Digamma(k+b) - dall - mathx.Digamma(b) + dab
		return lp, d
	}}

// betaNegBinomialCDF sums the mass up to n with the recurrences
// P(j+1)/P(j) = (j+r)(j+β)/((j+1)(j+s)), s = α+β+r, and ψ(x+1) = ψ(x) +
// 1/x for the digammas of each term's partials.
func betaNegBinomialCDF(n [2]int, x [4]float64) (float64, [4]float64) {
	r, a, b := x[0], x[1], x[2]
	s := a + b + r
	var d [4]float64
	p := math.Exp(mathx.Lbeta(b, a+r) - mathx.Lbeta(a, b))
	psiR, psiB, psiS := mathx.Digamma(r), mathx.Digamma(b), mathx.Digamma(s)
	psiJR, psiJB, psiJS := psiR, psiB, psiS
	dar, dab := mathx.Digamma(a+r), mathx.Digamma(a+b)
	psiA := mathx.Digamma(a)
	f := 0.0
	for j := 0; j <= n[0]; j++ {
		f += p
		d[0] += p * (psiJR - psiR + dar - psiJS)
		d[1] += p * (dar - psiJS - psiA + dab)
		d[2] += p * (psiJB - psiJS - psiB + dab)
		fj := float64(j)
		p *= (fj + r) * (fj + b) / ((fj + 1) * (fj + s))
		psiJR += 1 / (fj + r)
		psiJB += 1 / (fj + b)
		psiJS += 1 / (fj + s)
	}
	return math.Min(f, 1), d
}

// betaNegBinomialRng draws the success probability θ from Beta(α, β),
// then the count as a Poisson of a Gamma(r, rate θ/(1-θ)) rate; a θ of 0
// (tiny α) is an infinite rate, an error as in Stan's neg_binomial_rng.
func betaNegBinomialRng(rnd *rand.Rand, _ [2]int, p []float64) (int, error) {
	th := distuv.Beta{Alpha: p[1], Beta: p[2], Src: rnd}.Rand()
	return gammaPoisson(rnd, p[0], (1-th)/th, "The failure odds of the success probability drawn from the beta distribution")
}

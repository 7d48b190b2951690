package pathfinder

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// PSIS smooths log importance weights by Pareto smoothed importance
// sampling (Vehtari, Simpson, Gelman, Yao and Gabry 2024, "Pareto smoothed
// importance sampling", JMLR 25): the largest M = ⌈min(0.2 S, 3√S)⌉
// weights are replaced by the expected order statistics of a generalized
// Pareto distribution fitted to them (Zhang and Stephens 2009, with the
// weakly informative prior on k of loo), truncated at the largest raw
// weight. It returns the smoothed log weights (not normalised) and the
// Pareto k̂, NaN when the tail is too short or flat to fit (the weights are
// then returned unchanged). A weight of -Inf (a draw outside the support)
// stays -Inf.
func PSIS(lw []float64) ([]float64, float64) {
	out := slices.Clone(lw)
	idx := make([]int, 0, len(lw))
	for i, v := range lw {
		if !math.IsInf(v, -1) && !math.IsNaN(v) {
			idx = append(idx, i)
		} else {
			out[i] = math.Inf(-1)
		}
	}
	s := len(idx)
	tail := int(math.Ceil(math.Min(0.2*float64(s), 3*math.Sqrt(float64(s)))))
	if tail < 5 || s <= tail {
		return out, math.NaN()
	}
	sort.Slice(idx, func(a, b int) bool { return lw[idx[a]] < lw[idx[b]] })
	lwMax := lw[idx[s-1]]
	cut := lw[idx[s-tail-1]]
	// Exceedances over the cutoff, on the scale of the largest weight.
	x := make([]float64, tail)
	for i := range tail {
		x[i] = math.Exp(lw[idx[s-tail+i]]-lwMax) - math.Exp(cut-lwMax)
	}
	if x[tail-1] <= 0 {
		return out, math.NaN() // a flat tail: nothing to smooth
	}
	k, sigma := gpdFit(x)
	if math.IsNaN(k) || math.IsInf(k, 0) {
		return out, math.NaN()
	}
	for i := range tail {
		p := (float64(i) + 0.5) / float64(tail)
		v := math.Log(gpdQuantile(p, k, sigma)+math.Exp(cut-lwMax)) + lwMax
		out[idx[s-tail+i]] = math.Min(v, lwMax)
	}
	return out, k
}

// gpdFit estimates the generalized Pareto shape k and scale σ of the
// ascending positive exceedances x by Zhang and Stephens's (2009)
// empirical Bayes method, with k shrunk towards 0.5 as loo does:
// k ← (n k + 10·0.5) / (n + 10).
func gpdFit(x []float64) (k, sigma float64) {
	n := len(x)
	const prior = 3.0
	m := 30 + int(math.Sqrt(float64(n)))
	xstar := x[int(float64(n)/4+0.5)-1] // the first quartile
	theta := make([]float64, m)
	ll := make([]float64, m)
	for j := range m {
		theta[j] = 1/x[n-1] + (1-math.Sqrt(float64(m)/(float64(j)+0.5)))/(prior*xstar)
		kj := 0.0
		for _, v := range x {
			kj += math.Log1p(-theta[j] * v)
		}
		kj /= float64(n)
		ll[j] = float64(n) * (math.Log(-theta[j]/kj) - kj - 1)
	}
	lmax := math.Inf(-1)
	for _, v := range ll {
		if !math.IsNaN(v) {
			lmax = math.Max(lmax, v)
		}
	}
	num, den := 0.0, 0.0
	for j := range m {
		if math.IsNaN(ll[j]) {
			continue
		}
		w := math.Exp(ll[j] - lmax)
		num += theta[j] * w
		den += w
	}
	thetaHat := num / den
	for _, v := range x {
		k += math.Log1p(-thetaHat * v)
	}
	k /= float64(n)
	sigma = -k / thetaHat
	k = (float64(n)*k + 10*0.5) / float64(n+10)
	return k, sigma
}

// gpdQuantile is the generalized Pareto distribution's quantile at p.
func gpdQuantile(p, k, sigma float64) float64 {
	if k == 0 {
		return -sigma * math.Log1p(-p)
	}
	return sigma * math.Expm1(-k*math.Log1p(-p)) / k
}

// resample draws n indices with replacement with probabilities
// proportional to exp(lw).
func resample(rng *rand.Rand, lw []float64, n int) []int {
	mx := slices.Max(lw)
	cum := make([]float64, len(lw))
	t := 0.0
	for i, v := range lw {
		t += math.Exp(v - mx)
		cum[i] = t
	}
	out := make([]int, n)
	for i := range out {
		u := rng.Float64() * t
		// The first index whose cumulative weight exceeds u: a zero
		// weight is never picked.
		out[i] = min(sort.Search(len(cum), func(j int) bool { return cum[j] > u }), len(cum)-1)
	}
	return out
}

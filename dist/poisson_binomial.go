package dist

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// The Poisson-binomial distribution (Stan 2.40; Functions Reference,
// "Poisson-binomial distribution"): the number of successes in
// independent Bernoulli trials with success probabilities theta.
//
// Its probabilities come from the standard O(N²) recursion over the
// trials, in log space: with F_i(k) the probability of k successes in the
// first i trials, F_i(k) = F_{i-1}(k) (1 - θ_i) + F_{i-1}(k-1) θ_i (Chen &
// Liu 1997, "Statistical applications of the Poisson-binomial and
// conditional Bernoulli distributions"). The same recursion run from the
// last trial gives B_i, the probabilities of the trials after i, and
// P_{-i} = F_{i-1} * B_{i+1}, the distribution without trial i. Then, as
// P(y) = (1 - θ_i) P_{-i}(y) + θ_i P_{-i}(y - 1),
//
//	∂P(y)/∂θ_i = P_{-i}(y - 1) - P_{-i}(y), and ∂P(X ≤ y)/∂θ_i = -P_{-i}(y)
//
// (the sum over m ≤ y telescopes), so all N partials cost O(N²) too.

// pbTables holds the forward and backward log probabilities of one theta.
type pbTables struct {
	n      int
	lf, lb []float64 // (n+1)×(n+1), row i holding k = 0..n
}

// f is the log probability of k successes in trials 1..i.
func (tb *pbTables) f(i, k int) float64 {
	if k < 0 || k > i {
		return math.Inf(-1)
	}
	return tb.lf[i*(tb.n+1)+k]
}

// b is the log probability of k successes in trials i+1..n (1-based).
func (tb *pbTables) b(i, k int) float64 {
	if k < 0 || k > tb.n-i {
		return math.Inf(-1)
	}
	return tb.lb[i*(tb.n+1)+k]
}

// fill computes the tables of theta in lf and lb, each of at least
// (N+1)² elements.
func (tb *pbTables) fill(theta []ad.Var, lf, lb []float64) {
	n := len(theta)
	*tb = pbTables{n: n, lf: lf[:(n+1)*(n+1)], lb: lb[:(n+1)*(n+1)]}
	w := n + 1
	for i := range tb.lf {
		tb.lf[i], tb.lb[i] = math.Inf(-1), math.Inf(-1)
	}
	tb.lf[0] = 0
	for i := 1; i <= n; i++ {
		lp, lq := math.Log(theta[i-1].Val), math.Log1p(-theta[i-1].Val)
		for k := 0; k <= i; k++ {
			tb.lf[i*w+k] = mathx.LogSumExp2(tb.f(i-1, k)+lq, tb.f(i-1, k-1)+lp)
		}
	}
	tb.lb[n*w] = 0
	for i := n - 1; i >= 0; i-- {
		lp, lq := math.Log(theta[i].Val), math.Log1p(-theta[i].Val)
		for k := 0; k <= n-i; k++ {
			tb.lb[i*w+k] = mathx.LogSumExp2(tb.b(i+1, k)+lq, tb.b(i+1, k-1)+lp)
		}
	}
}

// logWithout is log P_{-i}(m), trial i (1-based) left out.
func (tb *pbTables) logWithout(i, m int) float64 {
	acc := math.Inf(-1)
	for k := 0; k <= m && k <= i-1; k++ {
		acc = mathx.LogSumExp2(acc, tb.f(i-1, k)+tb.b(i, m-k))
	}
	return acc
}

// pbForm is what a Poisson-binomial function computes for one variate.
type pbForm int

const (
	pbLpmf  pbForm = iota
	pbLcdf         // log P(X ≤ y)
	pbLccdf        // log P(X > y)
)

// poissonBinomial sums form over the variates y, each with its theta (one
// theta for all, or one per variate; a single variate pairs with each).
func poissonBinomial(t *ad.Tape, fn string, form pbForm, y []int, thetas [][]ad.Var) (ad.Var, error) {
	n := max(len(y), len(thetas))
	if len(y) > 1 && len(thetas) > 1 && len(y) != len(thetas) {
		return ad.Var{}, &SizeError{fn, "Successes variables", "Probability parameters", len(y), len(thetas)}
	}
	if len(y) == 0 || len(thetas) == 0 {
		return ad.Const(0), nil
	}
	size := 0 // the largest (N+1)²
	for _, th := range thetas {
		for j, v := range th {
			if !(v.Val >= 0 && v.Val <= 1) {
				return ad.Var{}, &DomainError{fn, "Probability parameters", j + 1, v.Val, "in the interval [0, 1]"}
			}
		}
		size = max(size, (len(th)+1)*(len(th)+1))
	}
	// Every variate is checked before the Builder opens, which must
	// record nothing when the call fails.
	for i := range n {
		yi, th := y[min(i, len(y)-1)], thetas[min(i, len(thetas)-1)]
		if yi < 0 || yi > len(th) {
			return ad.Var{}, &IntError{fn, "Successes variable", i + 1, yi, fmt.Sprintf("in the interval [0, %d]", len(th))}
		}
	}
	sc := getScratch()
	defer sc.release()
	lf, lb := sc.floats(size), sc.floats(size)
	b := t.Begin()
	total := 0.0
	var tb pbTables
	for i := range n {
		yi, th := y[min(i, len(y)-1)], thetas[min(i, len(thetas)-1)]
		if i == 0 || len(thetas) > 1 {
			tb.fill(th, lf, lb)
		}
		N := len(th)
		all := tb.lf[N*(N+1):] // log P(k) of all N trials, k = 0..N
		var lv float64
		switch form {
		case pbLpmf:
			lv = all[yi]
		case pbLcdf:
			lv = mathx.LogSumExp(all[:yi+1])
		case pbLccdf:
			lv = mathx.LogSumExp(all[yi+1:])
		}
		total += lv
		if math.IsInf(lv, -1) {
			continue // no partials of log 0
		}
		for j, v := range th {
			if v.IsConst() {
				continue
			}
			var d float64
			switch form {
			case pbLpmf:
				d = math.Exp(tb.logWithout(j+1, yi-1)-lv) - math.Exp(tb.logWithout(j+1, yi)-lv)
			case pbLcdf:
				d = -math.Exp(tb.logWithout(j+1, yi) - lv)
			case pbLccdf:
				d = math.Exp(tb.logWithout(j+1, yi) - lv)
			}
			b.Add(v, d)
		}
	}
	return b.End(total), nil
}

// PoissonBinomialLpmf is Σ log P(y_i | θ_i).
func PoissonBinomialLpmf(t *ad.Tape, y []int, thetas [][]ad.Var) (ad.Var, error) {
	return poissonBinomial(t, "poisson_binomial_lpmf", pbLpmf, y, thetas)
}

// PoissonBinomialLcdf is Σ log P(X_i ≤ y_i | θ_i).
func PoissonBinomialLcdf(t *ad.Tape, y []int, thetas [][]ad.Var) (ad.Var, error) {
	return poissonBinomial(t, "poisson_binomial_lcdf", pbLcdf, y, thetas)
}

// PoissonBinomialLccdf is Σ log P(X_i > y_i | θ_i).
func PoissonBinomialLccdf(t *ad.Tape, y []int, thetas [][]ad.Var) (ad.Var, error) {
	return poissonBinomial(t, "poisson_binomial_lccdf", pbLccdf, y, thetas)
}

// PoissonBinomialRng draws the number of successes of Bernoulli trials
// with success probabilities theta.
func PoissonBinomialRng(r *rand.Rand, theta []float64) (int, error) {
	k := 0
	for j, p := range theta {
		if !(p >= 0 && p <= 1) {
			return 0, &DomainError{"poisson_binomial_rng", "Probability parameters", j + 1, p, "in the interval [0, 1]"}
		}
		if r.Float64() < p {
			k++
		}
	}
	return k, nil
}

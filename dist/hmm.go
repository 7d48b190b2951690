package dist

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
)

// Hidden Markov models with K states and N observations, as Stan's hmm_*
// functions take them: logOmega is K×N, logOmega[k, n] the log density of
// observation n in state k; Gamma is K×K, Gamma[i, j] the probability of
// a move from state i to state j (rows are simplexes); rho is the
// distribution of the first state.

// hmmCheck checks the shapes and simplexes.
func hmmCheck(fn string, k, n int, logOmega func(i, j int) float64, gamma func(i, j int) float64, gRows, gCols int, rho []float64) error {
	if gRows != gCols {
		return &MatrixError{fn, fmt.Sprintf("Expecting a square matrix; rows of Gamma (%d) and columns of Gamma (%d) must match in size", gRows, gCols)}
	}
	if gRows != k {
		return &SizeError{fn, "Gamma", "log_omega", gRows, k}
	}
	if len(rho) != k {
		return &SizeError{fn, "rho", "log_omega", len(rho), k}
	}
	simplex := func(name string, get func(i int) float64) error {
		s := 0.0
		for i := range k {
			v := get(i)
			if !(v >= 0) {
				return &MatrixError{fn, fmt.Sprintf("%s is not a valid simplex. %s[%d] = %v, but should be greater than or equal to 0", name, name, i+1, v)}
			}
			s += v
		}
		if !(math.Abs(s-1) <= 1e-8) {
			return &MatrixError{fn, fmt.Sprintf("%s is not a valid simplex. sum(%s) = %v, but should be 1", name, name, s)}
		}
		return nil
	}
	if err := simplex("rho", func(i int) float64 { return rho[i] }); err != nil {
		return err
	}
	for r := range k {
		if err := simplex(fmt.Sprintf("Gamma[%d, ]", r+1), func(i int) float64 { return gamma(r, i) }); err != nil {
			return err
		}
	}
	for j := range n {
		for i := range k {
			if v := logOmega(i, j); math.IsNaN(v) || math.IsInf(v, 1) {
				return &DomainError{fn, "log_omega", i + 1 + j*k, v, "finite or negative infinity"}
			}
		}
	}
	return nil
}

// HMMMarginal is the log marginal density of the observations, summing
// over the hidden states by the forward algorithm. It works in
// probabilities, each step's ω scaled by e^(-max_k logOmega[k, n]) and the
// forward vector renormalised, the log scales summed; every step is a tape
// operation.
func HMMMarginal(t *ad.Tape, logOmega, gamma ad.Matrix, rho []ad.Var) (ad.Var, error) {
	const fn = "hmm_marginal"
	k, n := logOmega.Rows, logOmega.Cols
	rv := make([]float64, len(rho))
	for i, v := range rho {
		rv[i] = v.Val
	}
	if err := hmmCheck(fn, k, n, func(i, j int) float64 { return logOmega.At(i, j).Val },
		func(i, j int) float64 { return gamma.At(i, j).Val }, gamma.Rows, gamma.Cols, rv); err != nil {
		return ad.Var{}, err
	}
	if n == 0 {
		return ad.Const(0), nil
	}
	// omega is column j of ω, scaled, and the scale's log.
	omega := func(j int, out []ad.Var) float64 {
		m := math.Inf(-1)
		for i := range k {
			m = math.Max(m, logOmega.At(i, j).Val)
		}
		if math.IsInf(m, -1) {
			m = 0
		}
		for i := range k {
			out[i] = t.Exp(t.Sub(logOmega.At(i, j), ad.Const(m)))
		}
		return m
	}
	a, w, next, terms := make([]ad.Var, k), make([]ad.Var, k), make([]ad.Var, k), make([]ad.Var, k)
	lp := ad.Const(omega(0, w))
	for i := range k {
		a[i] = t.Mul(rho[i], w[i])
	}
	for j := 0; ; j++ {
		c := t.Sum(a)
		if !(c.Val > 0) {
			return ad.Const(math.Inf(-1)), nil
		}
		lp = t.Add(lp, t.Log(c))
		if j == n-1 {
			return lp, nil
		}
		m := omega(j+1, w)
		lp = t.Add(lp, ad.Const(m))
		for s := range k {
			for r := range k {
				terms[r] = t.Mul(a[r], gamma.At(r, s))
			}
			next[s] = t.Mul(t.Div(t.Sum(terms), c), w[s])
		}
		a, next = next, a
	}
}

// hmmForward returns the forward probabilities, each column normalised:
// alpha[j][k] = P(state k at j | observations up to j).
func hmmForward(logOmega, gamma mat.Matrix, rho []float64) [][]float64 {
	k, n := logOmega.Dims()
	alpha := make([][]float64, n)
	for j := range n {
		m := math.Inf(-1)
		for i := range k {
			m = math.Max(m, logOmega.At(i, j))
		}
		a := make([]float64, k)
		s := 0.0
		for i := range k {
			p := rho[i]
			if j > 0 {
				p = 0
				for r := range k {
					p += alpha[j-1][r] * gamma.At(r, i)
				}
			}
			a[i] = p * math.Exp(logOmega.At(i, j)-m)
			s += a[i]
		}
		for i := range a {
			a[i] /= s
		}
		alpha[j] = a
	}
	return alpha
}

func hmmCheckData(fn string, logOmega, gamma mat.Matrix, rho []float64) error {
	k, n := logOmega.Dims()
	gr, gc := gamma.Dims()
	return hmmCheck(fn, k, n, logOmega.At, gamma.At, gr, gc, rho)
}

// HMMHiddenStateProb returns the K×N matrix of the posterior probability
// of each state at each observation, by the forward-backward algorithm.
func HMMHiddenStateProb(logOmega, gamma mat.Matrix, rho []float64) (*mat.Dense, error) {
	const fn = "hmm_hidden_state_prob"
	if err := hmmCheckData(fn, logOmega, gamma, rho); err != nil {
		return nil, err
	}
	k, n := logOmega.Dims()
	if n == 0 {
		return &mat.Dense{}, nil
	}
	out := mat.NewDense(k, n, nil)
	alpha := hmmForward(logOmega, gamma, rho)
	// beta[i] ∝ P(observations after j | state i at j), normalised.
	beta := make([]float64, k)
	for i := range beta {
		beta[i] = 1
	}
	tmp := make([]float64, k)
	for j := n - 1; j >= 0; j-- {
		s := 0.0
		for i := range k {
			out.Set(i, j, alpha[j][i]*beta[i])
			s += out.At(i, j)
		}
		for i := range k {
			out.Set(i, j, out.At(i, j)/s)
		}
		if j == 0 {
			break
		}
		m := math.Inf(-1)
		for i := range k {
			m = math.Max(m, logOmega.At(i, j))
		}
		bs := 0.0
		for r := range k {
			tmp[r] = 0
			for i := range k {
				tmp[r] += gamma.At(r, i) * math.Exp(logOmega.At(i, j)-m) * beta[i]
			}
			bs += tmp[r]
		}
		for r := range k {
			beta[r] = tmp[r] / bs
		}
	}
	return out, nil
}

// HMMLatentRng draws a sequence of hidden states (1-based) from their
// joint posterior: the last from the filtered distribution, then each
// earlier one given the next, ∝ alpha[j][k] Gamma[k, z_{j+1}].
func HMMLatentRng(r *rand.Rand, logOmega, gamma mat.Matrix, rho []float64) ([]int, error) {
	const fn = "hmm_latent_rng"
	if err := hmmCheckData(fn, logOmega, gamma, rho); err != nil {
		return nil, err
	}
	k, n := logOmega.Dims()
	z := make([]int, n)
	if n == 0 {
		return z, nil
	}
	alpha := hmmForward(logOmega, gamma, rho)
	w := make([]float64, k)
	draw := func(w []float64) int {
		s := 0.0
		for _, v := range w {
			s += v
		}
		u := r.Float64() * s
		for i, v := range w {
			if u < v {
				return i
			}
			u -= v
		}
		return k - 1
	}
	z[n-1] = draw(alpha[n-1])
	for j := n - 2; j >= 0; j-- {
		for i := range k {
			w[i] = alpha[j][i] * gamma.At(i, z[j+1])
		}
		z[j] = draw(w)
	}
	for j := range z {
		z[j]++
	}
	return z, nil
}

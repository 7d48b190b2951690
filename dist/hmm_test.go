package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/internal/fdcheck"
)

// hmmBrute enumerates all K^N state paths of a small HMM: it returns the
// marginal density of the observations and each state's posterior
// probability at each step (K×N, row-major).
func hmmBrute(logOmega *mat.Dense, gamma *mat.Dense, rho []float64) (float64, []float64) {
	k, n := logOmega.Dims()
	post := make([]float64, k*n)
	total := 0.0
	path := make([]int, n)
	var rec func(j int)
	rec = func(j int) {
		if j == n {
			p := rho[path[0]] * math.Exp(logOmega.At(path[0], 0))
			for i := 1; i < n; i++ {
				p *= gamma.At(path[i-1], path[i]) * math.Exp(logOmega.At(path[i], i))
			}
			total += p
			for i, s := range path {
				post[s*n+i] += p
			}
			return
		}
		for s := range k {
			path[j] = s
			rec(j + 1)
		}
	}
	rec(0)
	for i := range post {
		post[i] /= total
	}
	return math.Log(total), post
}

var (
	hmmLogOmega = mat.NewDense(2, 4, []float64{-1.2, -0.3, -2.5, -0.7, -0.4, -1.9, -0.2, -3.1})
	hmmGamma    = mat.NewDense(2, 2, []float64{0.8, 0.2, 0.35, 0.65})
	hmmRho      = []float64{0.6, 0.4}
)

// TestHMM checks hmm_marginal and hmm_hidden_state_prob against
// enumeration of every path, hmm_marginal's gradient by finite
// differences, and hmm_latent_rng's state frequencies against the
// enumerated posterior.
func TestHMM(t *testing.T) {
	want, post := hmmBrute(hmmLogOmega, hmmGamma, hmmRho)
	// x: log_omega (8, column-major), Gamma's first column (2), rho₁.
	x0 := []float64{-1.2, -0.4, -0.3, -1.9, -2.5, -0.2, -0.7, -3.1, 0.8, 0.35, 0.6}
	f := func(tp *ad.Tape, x []ad.Var) (ad.Var, error) {
		one := ad.Const(1)
		g := ad.Matrix{Rows: 2, Cols: 2, Data: []ad.Var{x[8], x[9], tp.Sub(one, x[8]), tp.Sub(one, x[9])}}
		return dist.HMMMarginal(tp, ad.Matrix{Rows: 2, Cols: 4, Data: x[:8]}, g, []ad.Var{x[10], tp.Sub(one, x[10])})
	}
	got, err := fdcheck.Value(f, x0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "hmm_marginal", got, want, 1e-13)
	if err := fdcheck.Check(f, x0, 1e-6); err != nil {
		t.Error(err)
	}
	probs, err := dist.HMMHiddenStateProb(hmmLogOmega, hmmGamma, hmmRho)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		for j := range 4 {
			near(t, "hmm_hidden_state_prob", probs.At(i, j), post[i*4+j], 1e-13)
		}
	}
	r := rand.New(rand.NewPCG(5, 5))
	const n = 40000
	freq := make([]float64, 8)
	for range n {
		z, err := dist.HMMLatentRng(r, hmmLogOmega, hmmGamma, hmmRho)
		if err != nil {
			t.Fatal(err)
		}
		for j, s := range z {
			freq[(s-1)*4+j] += 1.0 / n
		}
	}
	for i, p := range post {
		if math.Abs(freq[i]-p) > 0.01 {
			t.Errorf("hmm_latent_rng: frequency of state %d at %d is %v, posterior %v", i/4+1, i%4+1, freq[i], p)
		}
	}
	bad := mat.NewDense(2, 2, []float64{0.8, 0.3, 0.35, 0.65})
	if _, err := dist.HMMHiddenStateProb(hmmLogOmega, bad, hmmRho); err == nil {
		t.Error("a Gamma whose row is not a simplex is accepted")
	}
}

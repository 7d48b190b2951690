package dist

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/mathx"
)

// YuleSimon is the Yule–Simon distribution on n = 1, 2, ...:
// P(n) = α B(n, α+1), whose tail is P(N > n) = n B(n, α+1) =
// Γ(α+1) Γ(n+1) / Γ(α+n+1).
var YuleSimon = &Discrete{"yule_simon_lpmf", []argName{argN}, []func([2]int) string{positiveInt(0)}, []argName{argShape}, []rule{posFinite},
	func(n [2]int, x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
		var d [4]float64
		k, a := float64(n[0]), x[0]
		lp := math.Log(a) + mathx.Lbeta(k, a+1)
		d[0] = 1/a + mathx.Digamma(a+1) - mathx.Digamma(k+a+1)
		return lp, d
	}}

func positiveInt(i int) func([2]int) string {
	return func(n [2]int) string {
		if n[i] < 1 {
			return "positive"
		}
		return ""
	}
}

// yuleSimonCDF is 1 - Γ(α+1) Γ(n+1) / Γ(α+n+1); its derivative in α is
// -C (ψ(α+1) - ψ(α+n+1)) with C the tail. Below 1 the CDF is 0.
func yuleSimonCDF(n [2]int, x [4]float64) (float64, [4]float64) {
	if n[0] < 1 {
		return 0, [4]float64{}
	}
	k, a := float64(n[0]), x[0]
	c := math.Exp(mathx.Lgamma(a+1) + mathx.Lgamma(k+1) - mathx.Lgamma(a+k+1))
	return 1 - c, [4]float64{-c * (mathx.Digamma(a+1) - mathx.Digamma(a+k+1))}
}

// yuleSimonRng draws a geometric count on 1, 2, ... whose success
// probability is e^-W, W exponential of rate α: the mixture that is the
// Yule–Simon law.
func yuleSimonRng(r *rand.Rand, _ [2]int, p []float64) (int, error) {
	w := r.ExpFloat64() / p[0]
	// log(1 - e^-w), the log of the failure probability.
	lq := mathx.Log1mExp(-w)
	if lq == 0 {
		return math.MaxInt32, nil
	}
	g := math.Floor(math.Log(1-r.Float64()) / lq)
	if g >= math.MaxInt32 {
		return math.MaxInt32, nil
	}
	return 1 + int(g), nil
}

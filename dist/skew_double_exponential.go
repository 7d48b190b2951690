package dist

import (
	"math"
	"math/rand/v2"
)

// SkewDoubleExponential is Stan's skew double exponential (asymmetric
// Laplace) distribution with location μ, scale σ and skewness τ ∈ [0, 1]:
//
//	2τ(1-τ)/σ exp(-2/σ [(1-τ)(μ-y) if y < μ, τ(y-μ) if y > μ]).
var SkewDoubleExponential = &Univariate{"skew_double_exponential_lpdf",
	[]argName{argY, argLocation, argScale, argSkewness}, []rule{notNaN, finite, posFinite, probability},
	func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
		var d [4]float64
		y, mu, s, tau := x[0], x[1], x[2], x[3]
		// w is the weight of the side y is on: 1-τ below μ, τ above.
		w, dist, sign := tau, y-mu, -1.0
		if y < mu {
			w, dist, sign = 1-tau, mu-y, 1.0
		}
		lp := -2 / s * w * dist
		if !p {
			lp += math.Ln2
		}
		if keep(p, v, 3) {
			lp += math.Log(tau) + math.Log1p(-tau)
		}
		if keep(p, v, 2) {
			lp -= math.Log(s)
		}
		d[0] = sign * 2 * w / s
		d[1] = -d[0]
		d[2] = -1/s + 2*w*dist/(s*s)
		// ∂w/∂τ is -1 below μ, 1 above.
		d[3] = 1/tau - 1/(1-tau) + sign*2*dist/s
		return lp, d
	}}

// skewDoubleExponentialCDF is the CDF, piecewise exponential on each side of μ.
func skewDoubleExponentialCDF(x [4]float64) (float64, [4]float64) {
	y, mu, s, tau := x[0], x[1], x[2], x[3]
	if y < mu {
		// F = τ exp(-2(1-τ)(μ-y)/σ)
		f := tau * math.Exp(-2*(1-tau)*(mu-y)/s)
		dy := f * 2 * (1 - tau) / s
		return f, [4]float64{dy, -dy, f * 2 * (1 - tau) * (mu - y) / (s * s), f * (1/tau + 2*(mu-y)/s)}
	}
	// F = 1 - (1-τ) exp(-2τ(y-μ)/σ)
	g := math.Exp(-2 * tau * (y - mu) / s)
	dy := (1 - tau) * g * 2 * tau / s
	return 1 - (1-tau)*g, [4]float64{dy, -dy, -(1 - tau) * g * 2 * tau * (y - mu) / (s * s), g + (1-tau)*g*2*(y-mu)/s}
}

// skewDoubleExponentialRng draws by inversion of the CDF.
func skewDoubleExponentialRng(r *rand.Rand, p []float64) float64 {
	mu, s, tau := p[0], p[1], p[2]
	u := r.Float64()
	if u < tau {
		return mu + s/(2*(1-tau))*math.Log(u/tau)
	}
	return mu - s/(2*tau)*math.Log((1-u)/(1-tau))
}

package dist

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/mathx"
)

// Loglogistic is the log-logistic distribution of scale α and shape β,
// the law of α e^(L/β) for a standard logistic L: with z = log(y/α),
// log f = log β - log α + (β-1) z - 2 log(1 + e^(βz)).
var Loglogistic = &Univariate{"loglogistic_lpdf", []argName{argY, argScale, argShape}, []rule{nonnegative, posFinite, posFinite},
	func(x [4]float64, v [4]bool, p bool) (float64, [4]float64) {
		var d [4]float64
		y, a, b := x[0], x[1], x[2]
		lp := 0.0
		if keep(p, v, 2) {
			lp += math.Log(b)
		}
		if keep(p, v, 1) {
			lp -= math.Log(a)
		}
		if y == 0 {
			// The density at 0 is 0, 1/α or infinite as β is above, at
			// or below 1.
			switch {
			case b > 1:
				return math.Inf(-1), d
			case b < 1:
				return math.Inf(1), d
			}
			return lp, d
		}
		z := math.Log(y / a)
		lp += (b-1)*z - 2*mathx.Log1pExp(b*z)
		s := mathx.InvLogit(b * z)
		dz := (b - 1) - 2*b*s // d log f / dz
		d[0] = dz / y
		d[1] = -dz/a - 1/a
		d[2] = 1/b + z - 2*z*s
		return lp, d
	}}

// loglogisticCDF is F = 1/(1 + (y/α)^-β), the logistic function of
// β log(y/α).
func loglogisticCDF(x [4]float64) (float64, [4]float64) {
	y, a, b := x[0], x[1], x[2]
	if y <= 0 {
		return 0, [4]float64{}
	}
	z := math.Log(y / a)
	f := mathx.InvLogit(b * z)
	g := f * (1 - f)
	return f, [4]float64{g * b / y, -g * b / a, g * z}
}

// loglogisticRng draws by inversion: α (u/(1-u))^(1/β).
func loglogisticRng(r *rand.Rand, p []float64) float64 {
	return p[0] * math.Exp(mathx.Logit(r.Float64())/p[1])
}

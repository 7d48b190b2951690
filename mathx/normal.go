package mathx

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Phi returns the standard normal CDF.
func Phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// InvPhi returns the standard normal quantile (gonum: Wichura's AS241); NaN
// outside [0, 1].
func InvPhi(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return mathext.NormalQuantile(p)
}

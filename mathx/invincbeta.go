package mathx

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// InvIncBeta returns the x in [0, 1] with I_x(a, b) = p, the inverse of
// the regularised incomplete beta function in x (gonum's inverse, then
// Newton steps on IncBeta so that the value is consistent with it).
func InvIncBeta(a, b, p float64) float64 {
	switch {
	case !(a > 0 && b > 0 && p >= 0 && p <= 1):
		return math.NaN()
	case p == 0:
		return 0
	case p == 1:
		return 1
	}
	x := mathext.InvRegIncBeta(a, b, p)
	for range 3 {
		if !(x > 0 && x < 1) {
			break
		}
		d := IncBetaDerivX(a, b, x)
		if !(d > 0) || math.IsInf(d, 0) {
			break
		}
		nx := x - (IncBeta(a, b, x)-p)/d
		if !(nx > 0 && nx < 1) {
			break
		}
		x = nx
	}
	return x
}

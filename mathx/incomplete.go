package mathx

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// IncBeta returns the regularized incomplete beta function I_x(a, b) (gonum's
// Cephes incbet); NaN unless a, b > 0 and 0 <= x <= 1.
func IncBeta(a, b, x float64) float64 {
	if !(a > 0 && b > 0 && x >= 0 && x <= 1) || math.IsInf(a, 1) || math.IsInf(b, 1) {
		return math.NaN()
	}
	return mathext.RegIncBeta(a, b, x)
}

// GammaP returns the regularized lower incomplete gamma function P(a, x)
// (gonum's Cephes igam); NaN unless a > 0 and x >= 0.
func GammaP(a, x float64) float64 {
	if !(a > 0 && x >= 0) || math.IsInf(a, 1) {
		return math.NaN()
	}
	return mathext.GammaIncReg(a, x)
}

// GammaQ returns the regularized upper incomplete gamma function Q(a, x)
// (gonum's Cephes igamc); NaN unless a > 0 and x >= 0.
func GammaQ(a, x float64) float64 {
	if !(a > 0 && x >= 0) || math.IsInf(a, 1) {
		return math.NaN()
	}
	return mathext.GammaIncRegComp(a, x)
}

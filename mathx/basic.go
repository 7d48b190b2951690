package mathx

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Lgamma returns log|Γ(x)|.
func Lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// Digamma returns ψ(x) = d/dx log Γ(x).
func Digamma(x float64) float64 { return mathext.Digamma(x) }

// Lbeta returns log B(a, b).
func Lbeta(a, b float64) float64 { return mathext.Lbeta(a, b) }

// Log1pExp returns log(1 + e**x) without overflow.
func Log1pExp(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// Log1mExp returns log(1 - e**x) for x < 0 (Mächler 2012, "Accurately
// computing log(1 - exp(-|a|))").
func Log1mExp(x float64) float64 {
	switch {
	case x > 0:
		return math.NaN()
	case x > -math.Ln2:
		return math.Log(-math.Expm1(x))
	}
	return math.Log1p(-math.Exp(x))
}

// LogSumExp2 returns log(e**a + e**b).
func LogSumExp2(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	if a > b {
		return a + math.Log1p(math.Exp(b-a))
	}
	return b + math.Log1p(math.Exp(a-b))
}

// LogSumExp returns log(sum(e**x)); -Inf for an empty slice.
func LogSumExp(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	if math.IsInf(m, 0) {
		return m
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// LogDiffExp returns log(e**a - e**b) for a >= b.
func LogDiffExp(a, b float64) float64 {
	if math.IsInf(b, -1) {
		return a
	}
	if b > a {
		return math.NaN()
	}
	return a + Log1mExp(b-a)
}

// InvLogit returns 1 / (1 + e**-x).
func InvLogit(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Logit returns log(p / (1 - p)).
func Logit(p float64) float64 { return math.Log(p / (1 - p)) }

// LogInvLogit returns log(inv_logit(x)).
func LogInvLogit(x float64) float64 { return -Log1pExp(-x) }

// Log1mInvLogit returns log(1 - inv_logit(x)).
func Log1mInvLogit(x float64) float64 { return -Log1pExp(x) }

// Phi returns the standard normal CDF.
func Phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// InvPhi returns the standard normal quantile.
func InvPhi(p float64) float64 { return mathext.NormalQuantile(p) }

// IncBeta returns the regularized incomplete beta function I_x(a, b).
func IncBeta(a, b, x float64) float64 { return mathext.RegIncBeta(a, b, x) }

// GammaP returns the regularized lower incomplete gamma function P(a, x).
func GammaP(a, x float64) float64 { return mathext.GammaIncReg(a, x) }

// GammaQ returns the regularized upper incomplete gamma function Q(a, x).
func GammaQ(a, x float64) float64 { return mathext.GammaIncRegComp(a, x) }

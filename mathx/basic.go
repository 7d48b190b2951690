package mathx

import "math"

// Log1pExp returns log(1 + e**x) without overflow.
func Log1pExp(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// Log1mExp returns log(1 - e**x) for x <= 0 (Mächler 2012, "Accurately
// computing log(1 - exp(-|a|))"); NaN for x > 0.
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
	if a < b {
		a, b = b, a
	}
	if math.IsInf(a, 0) || math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// LogSumExp returns log(sum(e**x)); -Inf for an empty slice.
func LogSumExp(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		if v > m || math.IsNaN(v) {
			m = v
		}
	}
	if math.IsInf(m, 0) || math.IsNaN(m) {
		return m
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// LogDiffExp returns log(e**a - e**b) for a >= b; NaN for a < b or a = b = +Inf.
func LogDiffExp(a, b float64) float64 {
	if math.IsInf(b, -1) {
		return a
	}
	if b > a || math.IsInf(a, 1) {
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

// Logit returns log(p / (1 - p)); near p = 1/2 as log1p((2p-1)/(1-p)),
// where 2p-1 is exact, so the result keeps its relative accuracy.
func Logit(p float64) float64 {
	if p >= 0.25 && p <= 0.75 {
		return math.Log1p((2*p - 1) / (1 - p))
	}
	return math.Log(p / (1 - p))
}

// LogInvLogit returns log(inv_logit(x)).
func LogInvLogit(x float64) float64 { return -Log1pExp(-x) }

// Log1mInvLogit returns log(1 - inv_logit(x)).
func Log1mInvLogit(x float64) float64 { return -Log1pExp(x) }

// LogMix returns log(θ e**lp1 + (1-θ) e**lp2) for 0 <= θ <= 1.
func LogMix(theta, lp1, lp2 float64) float64 {
	if !(theta >= 0 && theta <= 1) {
		return math.NaN()
	}
	return LogSumExp2(math.Log(theta)+lp1, math.Log1p(-theta)+lp2)
}

// LogInvLogitDiff returns log(inv_logit(x) - inv_logit(y)) for x > y, as
// -log1p(e^-x) + log1m(e^(y-x)) - log1p(e^y), where nothing cancels.
func LogInvLogitDiff(x, y float64) float64 {
	if !(x > y) {
		if x == y {
			return math.Inf(-1)
		}
		return math.NaN()
	}
	return -Log1pExp(-x) + Log1mExp(y-x) - Log1pExp(y)
}

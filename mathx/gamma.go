package mathx

import "math"

// Lgamma returns log|Γ(x)|.
func Lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// digammaRoot is the positive zero of ψ as a double-double (hi + lo).
const (
	digammaRootHi = 1.4616321449683622
	digammaRootLo = 9.549995429965697e-17
)

// digammaRootTaylor holds ψ's Taylor coefficients at its positive root,
// c_k = (-1)^(k+1) ζ(k+1, x0) for k = 1..20 (DLMF 5.15.1, 25.11.1),
// computed with mpmath.
var digammaRootTaylor = [...]float64{
	0.9676722454476212, -0.4427631689835921, 0.258499760955651,
	-0.16394270544240652, 0.10782405069126237, -0.07219956125645471,
	0.04880428816414311, -0.03316112647484736, 0.022597648232218104,
	-0.01542476590494896, 0.010538791616612175, -0.007204534386356869,
	0.004926781395729853, -0.003369801655439328, 0.002305126326734928,
	-0.0015769367714301972, 0.0010788252019162967, -0.0007380709389960052,
	0.000504953265834602, -0.0003454680251063077,
}

// Digamma returns ψ(x) = d/dx log Γ(x): reflection for x < 0 (DLMF 5.5.4),
// a Taylor series about the positive root (so the result keeps its relative
// accuracy there), else the recurrence up to x >= 10 and the asymptotic
// series (DLMF 5.11.2).
func Digamma(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x == 0:
		return math.Copysign(math.Inf(1), -x)
	case x < 0:
		if x == math.Floor(x) {
			return math.NaN()
		}
		_, frac := math.Modf(x)
		return Digamma(1-x) - math.Pi/math.Tan(math.Pi*frac)
	}
	if d := (x - digammaRootHi) - digammaRootLo; math.Abs(d) < 0.2 {
		s := 0.0
		for k := len(digammaRootTaylor) - 1; k >= 0; k-- {
			s = s*d + digammaRootTaylor[k]
		}
		return s * d
	}
	r := 0.0
	for ; x < 10; x++ {
		r -= 1 / x
	}
	z := 1 / (x * x)
	// Σ B_2k / (2k x^2k) for k = 1..7.
	t := z * (1.0/12 - z*(1.0/120-z*(1.0/252-z*(1.0/240-z*(1.0/132-z*(691.0/32760-z/12))))))
	return r + math.Log(x) - 0.5/x - t
}

// Trigamma returns ψ'(x): reflection for x < 0 (DLMF 5.15.6), recurrence up
// to x >= 10 and the asymptotic series (DLMF 5.15.8).
func Trigamma(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case math.IsInf(x, 1):
		return 0
	case x <= 0:
		if x == math.Floor(x) {
			return math.NaN()
		}
		_, frac := math.Modf(x)
		s := math.Sin(math.Pi * frac)
		return math.Pi*math.Pi/(s*s) - Trigamma(1-x)
	}
	r := 0.0
	for ; x < 10; x++ {
		r += 1 / (x * x)
	}
	z := 1 / (x * x)
	// 1/x + 1/(2x²) + Σ B_2k / x^(2k+1) for k = 1..7.
	t := z * (1.0/6 - z*(1.0/30-z*(1.0/42-z*(1.0/30-z*(5.0/66-z*(691.0/2730-z*7.0/6))))))
	return r + (1+(0.5+t*x)/x)/x
}

// lgammaStirlingDiff returns log Γ(x) minus its Stirling approximation
// (x-1/2) log x - x + log(2π)/2, for x >= 10, by the asymptotic series
// Σ B_2k / (2k(2k-1) x^(2k-1)) (DLMF 5.11.1).
func lgammaStirlingDiff(x float64) float64 {
	z := 1 / (x * x)
	return (1.0/12 - z*(1.0/360-z*(1.0/1260-z*(1.0/1680-z*(1.0/1188-z*(691.0/360360-z/156)))))) / x
}

// HalfLog2Pi is log √(2π), the normal density's constant.
const HalfLog2Pi = 0.91893853320467274178032973640562

// Lbeta returns log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a+b) for a, b >= 0,
// splitting off the Stirling terms when an argument is large so nothing
// cancels (the scheme of Stan math's lbeta).
func Lbeta(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	x, y := math.Min(a, b), math.Max(a, b)
	switch {
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(1)
	case math.IsInf(y, 1):
		return math.Inf(-1)
	case y < 10:
		return Lgamma(x) + Lgamma(y) - Lgamma(x+y)
	}
	s := x + y
	if x < 10 {
		// log Γ(y) - log Γ(x+y) with the Stirling parts written out.
		d := lgammaStirlingDiff(y) - lgammaStirlingDiff(s)
		return Lgamma(x) + (y-0.5)*math.Log1p(-x/s) + x*(1-math.Log(s)) + d
	}
	d := lgammaStirlingDiff(x) + lgammaStirlingDiff(y) - lgammaStirlingDiff(s)
	return HalfLog2Pi + (x-0.5)*math.Log(x/s) + y*math.Log1p(-x/s) - 0.5*math.Log(y) + d
}

// Lmgamma returns the log of the multivariate gamma function of dimension k,
// k(k-1)/4 log π + Σ_{j=1..k} log Γ(x + (1-j)/2).
func Lmgamma(k int, x float64) float64 {
	s := float64(k*(k-1)) * 0.25 * math.Log(math.Pi)
	for j := 1; j <= k; j++ {
		s += Lgamma(x + 0.5*float64(1-j))
	}
	return s
}

// BinomialCoefficientLog returns log C(n, k) = log Γ(n+1) - log Γ(k+1) -
// log Γ(n-k+1) for real n > -1, -1 < k < n+1; NaN outside that domain.
// With m = min(k, n-k), it is -log1p(n) - log B(n-m+1, m+1), which Lbeta
// keeps accurate for large n, or for |m| <= 1/2, where that result is a
// small difference of O(1) terms, lgammaShift(n+1, m) + lgammaShift(1, -m).
func BinomialCoefficientLog(n, k float64) float64 {
	switch {
	case !(n > -1 && k > -1 && n-k > -1):
		return math.NaN()
	case k == 0 || k == n:
		return 0
	}
	m := k
	if n-k < k {
		m = n - k
	}
	if math.Abs(m) <= 0.5 {
		return lgammaShift(n+1, m) + lgammaShift(1, -m)
	}
	return -math.Log1p(n) - Lbeta(n-m+1, m+1)
}

// lgammaShift returns log Γ(y) - log Γ(y-k) for y > 0, y-k > 0 and |k| <= 1/2,
// to relative accuracy however small k is: the recurrence (DLMF 5.5.1) moves
// y up to Y >= 10 adding Σ log1p(-k/(y+j)), and there, with Stirling's
// series, log Γ(Y) - log Γ(Y-k) = k log Y - Y (log1p(u) - u) + (k+1/2)
// log1p(u) + δ(Y) - δ(Y-k) for u = -k/Y, each term of δ's difference
// formed as c Y^-p (1 - (1+u)^-p) by expm1.
func lgammaShift(y, k float64) float64 {
	s := 0.0
	for ; y < 10; y++ {
		s += math.Log1p(-k / y)
	}
	u := -k / y
	l := math.Log1p(u)
	s += k*math.Log(y) - y*log1pmx(u) + (k+0.5)*l
	// δ(z) = Σ_j c_j z^-(2j-1) (DLMF 5.11.1); see lgammaStirlingDiff.
	z, zp := 1/(y*y), 1/y
	for j, c := range [...]float64{1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156} {
		p := float64(2*j + 1)
		s -= c * zp * math.Expm1(-p*l)
		zp *= z
	}
	return s
}

// LogFallingFactorial returns log(Γ(x+1) / Γ(x-n+1)) for x > -1 and
// x-n > -1; NaN otherwise.
func LogFallingFactorial(x, n float64) float64 {
	switch {
	case !(x > -1 && x-n > -1):
		return math.NaN()
	case math.Abs(n) <= 0.5:
		return lgammaShift(x+1, n) // keeps relative accuracy as n -> 0
	case n > 0:
		// log Γ(n) - log B(x-n+1, n) has no cancelling large terms.
		return Lgamma(n) - Lbeta(x-n+1, n)
	}
	return Lgamma(x+1) - Lgamma(x-n+1)
}

// LogRisingFactorial returns log(Γ(x+n) / Γ(x)) for x > 0 and x+n > 0;
// NaN otherwise.
func LogRisingFactorial(x, n float64) float64 {
	switch {
	case !(x > 0 && x+n > 0):
		return math.NaN()
	case math.Abs(n) <= 0.5:
		return -lgammaShift(x, -n) // keeps relative accuracy as n -> 0
	case n > 0:
		return Lgamma(n) - Lbeta(x, n)
	}
	return Lgamma(x+n) - Lgamma(x)
}

// logMinusDigamma returns log x - ψ(x) for x > 0 without the cancellation
// of the two terms at large x: 1/(2x) + Σ B_2k / (2k x^2k) (DLMF 5.11.2).
func logMinusDigamma(x float64) float64 {
	if x < 10 {
		return math.Log(x) - Digamma(x)
	}
	z := 1 / (x * x)
	return 0.5/x + z*(1.0/12-z*(1.0/120-z*(1.0/252-z*(1.0/240-z*(1.0/132-z*(691.0/32760-z/12))))))
}

// logRatioSum returns lp + log1p(q), where lp = log p is passed in so that
// the caller can compute it accurately (as log1p(-x) for p = 1-x): as one
// log of a product when the terms are large (so their rounding does not add
// up), else as a sum (so each keeps its relative accuracy).
func logRatioSum(lp, p, q float64) float64 {
	v := math.Log1p(q)
	if math.Abs(lp) < 1 && math.Abs(v) < 1 {
		return lp + v
	}
	return math.Log(p * (1 + q))
}

// log1pmx returns log(1+d) - d, by its Taylor series for small |d| where
// the difference would cancel.
func log1pmx(d float64) float64 {
	if math.Abs(d) >= 0.15 {
		return math.Log1p(d) - d
	}
	// Σ_{k>=2} (-1)^(k+1) d^k / k; 0.15^22/22 is below 1e-17 d²/2.
	s := 0.0
	for k := 24; k >= 2; k-- {
		s = s*(-d) + 1/float64(k)
	}
	return -d * d * s
}

// logGammaPowers returns log(x^a e^-x / Γ(a+1)) for x > 0, the prefactor of
// the incomplete gamma series. For large a, a log x and log Γ(a+1) are huge
// and nearly cancel, so with y = a+1 and d = (x-y)/y it is rewritten by
// Stirling's series as a(log1p(d) - d) - d - log(y)/2 - log(2π)/2 - δ(y).
func logGammaPowers(a, x float64) float64 {
	y := a + 1
	if y < 10 {
		return a*math.Log(x) - x - Lgamma(y)
	}
	d := (x - y) / y
	l := log1pmx(d)
	if d < -0.5 {
		l = math.Log(x/y) - d // 1+d = x/y has lost digits
	}
	return a*l - d - 0.5*math.Log(y) - HalfLog2Pi - lgammaStirlingDiff(y)
}

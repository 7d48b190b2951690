package mathx

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// invSqrt2 + invSqrt2Lo is 1/√2 to about 32 digits.
const (
	invSqrt2   = 0.7071067811865476
	invSqrt2Lo = -4.833646656726457e-17
	invSqrtPi  = 0.56418958354775628694807945156077
)

// Phi returns the standard normal CDF, 0.5 erfc(-x/√2), with the rounding
// error of -x/√2 (recovered by FMA) corrected to first order, which keeps
// the relative accuracy in the far lower tail where erfc is steep.
func Phi(x float64) float64 {
	switch {
	case x < -40:
		return 0 // below the smallest subnormal
	case x > 10:
		return 1 // within half an ulp of 1
	}
	z := -x * invSqrt2
	d := math.FMA(-x, invSqrt2, -z) - x*invSqrt2Lo
	p := 0.5 * math.Erfc(z)
	if d != 0 {
		p -= d * math.Exp(-z*z) * invSqrtPi
	}
	return p
}

// LogPhi returns log Φ(x), accurate over the whole line: below -20 by the
// asymptotic series of Mills' ratio (DLMF 7.12.1), which holds where Φ
// underflows; above 0 as log1p(-Φ(-x)).
func LogPhi(x float64) float64 {
	switch {
	case x < -20:
		// Φ(x) = φ(x)/|x| Σ (-1)^k (2k-1)!! / x^(2k); 12 terms reach 1e-19.
		z := 1 / (x * x)
		s, t := 1.0, 1.0
		for k := 1; k <= 12; k++ {
			t *= -float64(2*k-1) * z
			s += t
		}
		return -0.5*x*x - math.Log(-x) - HalfLog2Pi + math.Log(s)
	case x < 0:
		return math.Log(Phi(x))
	}
	return math.Log1p(-Phi(-x))
}

// InvPhi returns the standard normal quantile (gonum: Wichura's AS241); NaN
// outside [0, 1].
func InvPhi(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return mathext.NormalQuantile(p)
}

// glNodes and glWeights are the 20-point Gauss-Legendre rule on [-1, 1]
// (positive half; the rule is symmetric).
var glNodes, glWeights = gaussLegendre20()

// gaussLegendre20 finds the roots of P_20 by Newton's method from the
// Chebyshev-like guesses cos(π(i-1/4)/(n+1/2)) (Numerical Recipes §4.6).
func gaussLegendre20() (nodes, weights [10]float64) {
	const n = 20
	for i := range nodes {
		x := math.Cos(math.Pi * (float64(i) + 0.75) / (n + 0.5))
		var dp float64
		for range 100 {
			p0, p1 := 1.0, x
			for k := 2; k <= n; k++ {
				p0, p1 = p1, ((2*float64(k)-1)*x*p1-(float64(k)-1)*p0)/float64(k)
			}
			dp = n * (x*p1 - p0) / (x*x - 1)
			dx := p1 / dp
			x -= dx
			if math.Abs(dx) < 1e-17 {
				break
			}
		}
		nodes[i] = x
		weights[i] = 2 / ((1 - x*x) * dp * dp)
	}
	return nodes, weights
}

// OwensT returns Owen's T function T(h, a) = (1/2π) ∫_0^a
// exp(-h²(1+x²)/2)/(1+x²) dx. For |a| <= 1 the integral is summed by
// Gauss-Legendre panels no wider than 1/4 or 2/h (so the Gaussian factor
// is resolved) up to where it falls below e^-800; for |a| > 1 the identity
// T(h,a) = (Φ(-h) + Φ(-ah))/2 - Φ(-h)Φ(-ah) - T(ah, 1/a) for h >= 0
// (Owen 1956) reduces to that case.
func OwensT(h, a float64) float64 {
	switch {
	case math.IsNaN(h) || math.IsNaN(a):
		return math.NaN()
	case a < 0:
		return -OwensT(h, -a)
	case a == 0:
		return 0
	}
	h = math.Abs(h)
	if h == 0 {
		return math.Atan(a) / (2 * math.Pi)
	}
	if a > 1 {
		q1, ah := Phi(-h), a*h
		q2 := Phi(-ah)
		return 0.5*(q1+q2) - q1*q2 - OwensT(ah, 1/a)
	}
	if math.IsInf(h, 1) {
		return 0
	}
	hi := math.Min(a, 40/h)
	w := math.Min(0.25, 2/h)
	panels := math.Ceil(hi / w)
	w = hi / panels
	hh := 0.5 * h * h
	s := 0.0
	for j := 0.0; j < panels; j++ {
		mid := (j + 0.5) * w
		for i, u := range glNodes {
			for _, x := range [2]float64{mid - 0.5*w*u, mid + 0.5*w*u} {
				q := 1 + x*x
				s += glWeights[i] * math.Exp(-hh*q) / q
			}
		}
	}
	return s * 0.5 * w / (2 * math.Pi)
}

// PhiApprox returns Stan's logistic approximation to Φ,
// inv_logit(0.07056 x³ + 1.5976 x) (Bowling et al. 2009).
func PhiApprox(x float64) float64 {
	return InvLogit(0.07056*x*x*x + 1.5976*x)
}

// InvPhiLog returns the standard normal quantile of e^lp (Stan's
// std_normal_log_qf): for p > 1/2 through 1-p = -expm1(lp), for p below
// the smallest normal by Newton's method on LogPhi.
func InvPhiLog(lp float64) float64 {
	switch {
	case math.IsNaN(lp) || lp > 0:
		return math.NaN()
	case lp > -math.Ln2:
		return -InvPhi(-math.Expm1(lp))
	case lp > -700:
		return InvPhi(math.Exp(lp))
	case math.IsInf(lp, -1):
		return lp
	}
	// Leading term of log Φ(z) ≈ -z²/2 - log(-z) - log(2π)/2.
	z := -math.Sqrt(-2 * lp)
	z = -math.Sqrt(-2 * (lp + math.Log(-z) + HalfLog2Pi))
	for range 50 {
		// d/dz log Φ(z) = φ(z)/Φ(z) = |z| / (1 - z⁻² + 3z⁻⁴ - 15z⁻⁶ + ...)
		// (DLMF 7.12.1); z < -37 here, so four terms are ample for Newton.
		w := 1 / (z * z)
		dz := (LogPhi(z) - lp) * (1 - w*(1-w*(3-15*w))) / -z
		z -= dz
		if math.Abs(dz) <= 1e-15*math.Abs(z) {
			break
		}
	}
	return z
}

// OwensTDerivs returns the partial derivatives of Owen's T function,
// ∂T/∂h = -φ(h) erf(ah/√2)/2 and ∂T/∂a = e^(-h²(1+a²)/2) / (2π(1+a²)),
// both from differentiating its defining integral.
func OwensTDerivs(h, a float64) (dh, da float64) {
	q := 1 + a*a
	dh = -0.5 * math.Exp(-0.5*h*h-HalfLog2Pi) * math.Erf(a*h*invSqrt2)
	da = math.Exp(-0.5*h*h*q) / (2 * math.Pi * q)
	return dh, da
}

package ad

import (
	"math"

	"github.com/gostan/gostan/mathx"
	"gonum.org/v1/gonum/integrate/quad"
)

// More of Stan's real functions: link, combinatorial, composed and special
// functions whose partials have closed forms.

// Fmod returns the remainder of a/b with the sign of a, as C's fmod. Its
// partials are 1 and -trunc(a/b).
func (t *Tape) Fmod(a, b Var) Var {
	return t.Binary(math.Mod(a.Val, b.Val), a, 1, b, -math.Trunc(a.Val/b.Val))
}

// InvCloglog returns 1 - e**(-e**a).
func (t *Tape) InvCloglog(a Var) Var {
	return t.Unary(-math.Expm1(-math.Exp(a.Val)), a, math.Exp(a.Val-math.Exp(a.Val)))
}

// InvErfc returns the inverse of erfc, through erfc⁻¹(p) = -Φ⁻¹(p/2)/√2.
func (t *Tape) InvErfc(a Var) Var {
	w := -mathx.InvPhi(a.Val/2) / math.Sqrt2
	return t.Unary(w, a, -math.SqrtPi/2*math.Exp(w*w))
}

// BinaryLogLoss returns -log(yhat) for y = 1 and -log(1 - yhat) for y = 0.
func (t *Tape) BinaryLogLoss(y int, yhat Var) Var {
	if y != 0 {
		return t.Unary(-math.Log(yhat.Val), yhat, -1/yhat.Val)
	}
	return t.Unary(-math.Log1p(-yhat.Val), yhat, 1/(1-yhat.Val))
}

// LogInvLogitDiff returns log(inv_logit(x) - inv_logit(y)) for x > y.
func (t *Tape) LogInvLogitDiff(x, y Var) Var {
	v := x.Val - mathx.Log1pExp(x.Val) + mathx.Log1mExp(y.Val-x.Val) - mathx.Log1pExp(y.Val)
	// ∂/∂x = inv_logit'(x) / (inv_logit(x) - inv_logit(y)), in logs.
	dx := math.Exp(-mathx.Log1pExp(-x.Val) - mathx.Log1pExp(x.Val) - v)
	dy := -math.Exp(-mathx.Log1pExp(-y.Val) - mathx.Log1pExp(y.Val) - v)
	return t.Binary(v, x, dx, y, dy)
}

// Lmultiply returns a log b, taken as the constant 0 when a = b = 0.
func (t *Tape) Lmultiply(a, b Var) Var {
	if a.Val == 0 && b.Val == 0 {
		return Const(0)
	}
	return t.Binary(a.Val*math.Log(b.Val), a, math.Log(b.Val), b, a.Val/b.Val)
}

// MultiplyLog is Stan's older name for Lmultiply.
func (t *Tape) MultiplyLog(a, b Var) Var { return t.Lmultiply(a, b) }

// Beta returns the beta function B(a, b).
func (t *Tape) Beta(a, b Var) Var {
	v := math.Exp(mathx.Lbeta(a.Val, b.Val))
	ab := mathx.Digamma(a.Val + b.Val)
	return t.Binary(v, a, v*(mathx.Digamma(a.Val)-ab), b, v*(mathx.Digamma(b.Val)-ab))
}

// Trigamma returns ψ'(a).
func (t *Tape) Trigamma(a Var) Var { return t.Unary(mathx.Trigamma(a.Val), a, tetragamma(a.Val)) }

// Lmgamma returns the log of the multivariate gamma function of dimension
// k: k(k-1)/4 log π + Σ_{j=1..k} log Γ(a + (1-j)/2).
func (t *Tape) Lmgamma(k int, a Var) Var {
	v := float64(k*(k-1)) / 4 * math.Log(math.Pi)
	d := 0.0
	for j := 1; j <= k; j++ {
		x := a.Val + float64(1-j)/2
		v += mathx.Lgamma(x)
		d += mathx.Digamma(x)
	}
	return t.Unary(v, a, d)
}

// FallingFactorial returns Γ(a+1) / Γ(a-n+1), a (a-1) ... (a-n+1).
func (t *Tape) FallingFactorial(a Var, n int) Var {
	v, d := factorialProduct(a.Val, n, -1)
	return t.Unary(v, a, d)
}

// RisingFactorial returns Γ(a+n) / Γ(a), a (a+1) ... (a+n-1).
func (t *Tape) RisingFactorial(a Var, n int) Var {
	v, d := factorialProduct(a.Val, n, 1)
	return t.Unary(v, a, d)
}

// factorialProduct returns the product of a + s i for i < n and its
// derivative in a by the product rule, which, unlike v (ψ(a+n) - ψ(a))
// and its falling counterpart, is finite where a factor is 0 (at a = 0,
// -1, ... for the rising factorial, where ψ has poles).
//
// Once d is infinite or NaN and v is too, or is 0 (after a zero factor,
// at an integer a), a factor changes only their signs (and a NaN stays),
// with period 2 over a run of factors of one sign: an even number of
// those is skipped, so that n in the billions costs what its overflow
// does.
func factorialProduct(a float64, n int, s float64) (v, d float64) {
	v = 1.0
	for i := 0; i < n; i++ {
		f := a + s*float64(i)
		steady := (v == 0 || !isFinite(v)) && !isFinite(d)
		d = d*f + v
		v *= f
		if steady && f != 0 {
			i += (sameSignRun(a, s, f, i, n) - i) &^ 1
		}
	}
	return v, d
}

func isFinite(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }

// sameSignRun is the last j in [i, n) whose factor a + s j is nonzero
// with the sign of f, the factor at i; the factors are monotone in j, so
// it is a bisection.
func sameSignRun(a, s, f float64, i, n int) int {
	same := func(j int) bool {
		g := a + s*float64(j)
		return g != 0 && (g > 0) == (f > 0)
	}
	lo, hi := i, n-1
	if same(hi) {
		return hi
	}
	for hi-lo > 1 {
		if mid := lo + (hi-lo)/2; same(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// LogFallingFactorial returns log Γ(a+1) - log Γ(a-n+1).
func (t *Tape) LogFallingFactorial(a, n Var) Var {
	d := mathx.Digamma(a.Val - n.Val + 1)
	return t.Binary(mathx.Lgamma(a.Val+1)-mathx.Lgamma(a.Val-n.Val+1),
		a, mathx.Digamma(a.Val+1)-d, n, d)
}

// LogRisingFactorial returns log Γ(a+n) - log Γ(a).
func (t *Tape) LogRisingFactorial(a, n Var) Var {
	d := mathx.Digamma(a.Val + n.Val)
	return t.Binary(mathx.Lgamma(a.Val+n.Val)-mathx.Lgamma(a.Val),
		a, d-mathx.Digamma(a.Val), n, d)
}

// BesselFirstKind returns J_v(a), with J_v' = (J_{v-1} - J_{v+1})/2.
func (t *Tape) BesselFirstKind(v int, a Var) Var {
	return t.Unary(math.Jn(v, a.Val), a, (math.Jn(v-1, a.Val)-math.Jn(v+1, a.Val))/2)
}

// BesselSecondKind returns Y_v(a) for a > 0, with Y_v' = (Y_{v-1} - Y_{v+1})/2.
func (t *Tape) BesselSecondKind(v int, a Var) Var {
	return t.Unary(math.Yn(v, a.Val), a, (math.Yn(v-1, a.Val)-math.Yn(v+1, a.Val))/2)
}

// LambertW0 returns the principal branch of the Lambert W function, for
// a >= -1/e; W' = W / (a (1 + W)), which is 1 at 0.
func (t *Tape) LambertW0(a Var) Var {
	w := lambertW(a.Val, false)
	return t.Unary(w, a, lambertWDeriv(a.Val, w))
}

// LambertWm1 returns the lower branch W₋₁ of the Lambert W function, for
// -1/e <= a < 0.
func (t *Tape) LambertWm1(a Var) Var {
	w := lambertW(a.Val, true)
	return t.Unary(w, a, lambertWDeriv(a.Val, w))
}

func lambertWDeriv(x, w float64) float64 {
	if x == 0 {
		return 1
	}
	return w / (x * (1 + w))
}

// lambertW solves w e**w = x by Halley's iteration (Corless et al. 1996,
// "On the Lambert W function", section 5) from the branch-point series
// near -1/e or the asymptotic series log x - log log x elsewhere.
func lambertW(x float64, lower bool) float64 {
	const invE = 0.36787944117144232159552377016146086744581113103176
	switch {
	case math.IsNaN(x) || x < -invE || (lower && x >= 0):
		return math.NaN()
	case x == -invE:
		return -1
	case x == 0:
		return 0
	case math.IsInf(x, 1):
		return x
	}
	var w float64
	switch {
	case x < -0.25:
		// Series in p = ±√(2(e x + 1)) around the branch point.
		p := math.Sqrt(2 * (math.E*x + 1))
		if lower {
			p = -p
		}
		w = -1 + p - p*p/3 + 11.0/72*p*p*p
	case lower:
		l1 := math.Log(-x)
		l2 := math.Log(-l1)
		w = l1 - l2 + l2/l1
	case x < 3:
		w = math.Log1p(x)
		if x > 0.5 {
			w *= 0.7
		}
	default:
		l1 := math.Log(x)
		l2 := math.Log(l1)
		w = l1 - l2 + l2/l1
	}
	for range 50 {
		e := math.Exp(w)
		f := w*e - x
		wp1 := w + 1
		if wp1 == 0 {
			break
		}
		step := f / (e*wp1 - (w+2)*f/(2*wp1))
		w -= step
		if math.Abs(step) <= 1e-15*(1+math.Abs(w)) {
			break
		}
	}
	return w
}

// tetragamma returns ψ⁽²⁾(x): reflection ψ⁽²⁾(x) = ψ⁽²⁾(1-x) - 2π³ cos(πx) /
// sin³(πx) for x <= 0, the recurrence ψ⁽²⁾(x) = ψ⁽²⁾(x+1) - 2/x³ up to
// x >= 12, then the asymptotic series -1/x² - 1/x³ - Σ (2k+1) B_2k / x^(2k+2)
// (Abramowitz and Stegun 6.4.13).
func tetragamma(x float64) float64 {
	if x <= 0 {
		if x == math.Floor(x) {
			return math.NaN()
		}
		s, c := math.Sincos(math.Pi * x)
		return tetragamma(1-x) - 2*math.Pi*math.Pi*math.Pi*c/(s*s*s)
	}
	acc := 0.0
	for x < 12 {
		acc -= 2 / (x * x * x)
		x++
	}
	z := 1 / (x * x)
	// (2k+1) B_2k for k = 1..5: 1/2, -1/6, 1/6, -3/10, 5/6.
	series := z * (0.5 + z*(-1.0/6+z*(1.0/6+z*(-3.0/10+z*5.0/6))))
	return acc - (1+1/x+series)/(x*x)
}

// OwensT returns Owen's T function
// T(h, a) = 1/(2π) ∫_0^a e^(-h²(1+x²)/2) / (1+x²) dx, with partials
// ∂T/∂h = -φ(h) erf(a h/√2)/2 and ∂T/∂a = e^(-h²(1+a²)/2) / (2π(1+a²)).
func (t *Tape) OwensT(h, a Var) Var {
	dh := -invSqrt2Pi * math.Exp(-0.5*h.Val*h.Val) * math.Erf(a.Val*h.Val/math.Sqrt2) / 2
	da := math.Exp(-0.5*h.Val*h.Val*(1+a.Val*a.Val)) / (2 * math.Pi * (1 + a.Val*a.Val))
	return t.Binary(owensT(h.Val, a.Val), h, dh, a, da)
}

// glX and glW are the 20-point Gauss-Legendre rule on [-1, 1].
var glX, glW = legendreRule(20)

func legendreRule(n int) ([]float64, []float64) {
	x, w := make([]float64, n), make([]float64, n)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	return x, w
}

// owensT computes T(h, a), which is even in h and odd in a. For a <= 1 it
// integrates the definition with Gauss-Legendre panels no wider than 1/h,
// the width of the integrand's Gaussian factor; for a > 1 it uses Owen's
// (1956) identity T(h, a) = Q(h)/2 + Q(ah)/2 - Q(h) Q(ah) - T(ah, 1/a),
// written with upper tails Q so that nothing cancels for large h.
func owensT(h, a float64) float64 {
	switch {
	case math.IsNaN(h) || math.IsNaN(a):
		return math.NaN()
	case a < 0:
		return -owensT(h, -a)
	case a == 0:
		return 0
	}
	h = math.Abs(h)
	if a > 1 {
		q1 := mathx.Phi(-h)
		if math.IsInf(a, 1) {
			return q1 / 2
		}
		q2 := mathx.Phi(-a * h)
		return q1/2 + q2/2 - q1*q2 - owensT(a*h, 1/a)
	}
	panels := max(1, int(math.Ceil(a*h)))
	width := a / float64(panels)
	s := 0.0
	for p := range panels {
		mid := (float64(p) + 0.5) * width
		for i, u := range glX {
			x := mid + width/2*u
			s += glW[i] * math.Exp(-0.5*h*h*(1+x*x)) / (1 + x*x)
		}
	}
	return s * width / 2 / (2 * math.Pi)
}

// StdNormalQf returns the standard normal quantile of p, Stan's
// std_normal_qf (the same function as inv_Phi).
func (t *Tape) StdNormalQf(p Var) Var { return t.InvPhi(p) }

// StdNormalLogQf returns the standard normal quantile of e**lp, Stan's
// std_normal_log_qf, accurate where e**lp is near 1 or underflows. Its
// derivative is e**lp / φ(x).
func (t *Tape) StdNormalLogQf(lp Var) Var {
	x := mathx.InvPhiLog(lp.Val)
	return t.Unary(x, lp, math.Exp(lp.Val+0.5*x*x)/invSqrt2Pi)
}

// InvIncBeta returns the x with I_x(a, b) = p. Differentiating
// I_x(a, b) = p implicitly gives ∂x/∂p = 1/f and ∂x/∂a = -(∂I/∂a)/f,
// ∂x/∂b = -(∂I/∂b)/f, with f = ∂I/∂x the beta density at x.
func (t *Tape) InvIncBeta(a, b, p Var) Var {
	x := mathx.InvIncBeta(a.Val, b.Val, p.Val)
	if a.id == 0 && b.id == 0 && p.id == 0 {
		return Const(x)
	}
	f := mathx.IncBetaDerivX(a.Val, b.Val, x)
	da, db := 0.0, 0.0
	if (a.id != 0 || b.id != 0) && x > 0 && x < 1 {
		da, db = mathx.IncBetaDerivs(a.Val, b.Val, x)
	}
	bd := t.Begin()
	bd.Add(a, -da/f)
	bd.Add(b, -db/f)
	bd.Add(p, 1/f)
	return bd.End(x)
}

// Ldexp returns a·2ⁿ, exact in floating point; its derivative is 2ⁿ.
func (t *Tape) Ldexp(a Var, n int) Var {
	return t.Unary(math.Ldexp(a.Val, n), a, math.Ldexp(1, n))
}

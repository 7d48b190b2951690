package ad

import (
	"math"

	"github.com/gostan/gostan/mathx"
)

// Elementary functions of reals, as in the Stan Functions Reference. Each
// computes its value and partials once and records one statement; constant
// arguments give a constant result and record nothing.

// Sqrt returns √a.
func (t *Tape) Sqrt(a Var) Var {
	s := math.Sqrt(a.Val)
	return t.Unary(s, a, 0.5/s)
}

// Cbrt returns the cube root of a.
func (t *Tape) Cbrt(a Var) Var {
	c := math.Cbrt(a.Val)
	return t.Unary(c, a, 1/(3*c*c))
}

// Square returns a².
func (t *Tape) Square(a Var) Var { return t.Unary(a.Val*a.Val, a, 2*a.Val) }

// Pow returns a**b. At a = 0 the partial in b is taken as 0 (its limit for
// b > 0) rather than 0·log 0 = NaN.
func (t *Tape) Pow(a, b Var) Var {
	p := math.Pow(a.Val, b.Val)
	da, db := 0.0, 0.0
	if a.id != 0 {
		if b.Val == 0 {
			da = 0
		} else {
			da = b.Val * math.Pow(a.Val, b.Val-1)
		}
	}
	if b.id != 0 && a.Val != 0 {
		db = p * math.Log(a.Val)
	}
	return t.Binary(p, a, da, b, db)
}

// Exp2 returns 2**a.
func (t *Tape) Exp2(a Var) Var {
	e := math.Exp2(a.Val)
	return t.Unary(e, a, e*math.Ln2)
}

// Expm1 returns e**a - 1.
func (t *Tape) Expm1(a Var) Var { return t.Unary(math.Expm1(a.Val), a, math.Exp(a.Val)) }

// Log2 returns the base-2 logarithm of a.
func (t *Tape) Log2(a Var) Var { return t.Unary(math.Log2(a.Val), a, 1/(a.Val*math.Ln2)) }

// Log10 returns the base-10 logarithm of a.
func (t *Tape) Log10(a Var) Var { return t.Unary(math.Log10(a.Val), a, 1/(a.Val*math.Ln10)) }

// Log1p returns log(1 + a).
func (t *Tape) Log1p(a Var) Var { return t.Unary(math.Log1p(a.Val), a, 1/(1+a.Val)) }

// Log1m returns log(1 - a).
func (t *Tape) Log1m(a Var) Var { return t.Unary(math.Log1p(-a.Val), a, -1/(1-a.Val)) }

// Log1pExp returns log(1 + e**a) without overflow.
func (t *Tape) Log1pExp(a Var) Var {
	return t.Unary(mathx.Log1pExp(a.Val), a, mathx.InvLogit(a.Val))
}

// Log1mExp returns log(1 - e**a) for a < 0.
func (t *Tape) Log1mExp(a Var) Var {
	return t.Unary(mathx.Log1mExp(a.Val), a, -1/math.Expm1(-a.Val))
}

// LogDiffExp returns log(e**a - e**b) for a >= b.
func (t *Tape) LogDiffExp(a, b Var) Var {
	return t.Binary(mathx.LogDiffExp(a.Val, b.Val), a, -1/math.Expm1(b.Val-a.Val), b, -1/math.Expm1(a.Val-b.Val))
}

// LogSumExp2 returns log(e**a + e**b).
func (t *Tape) LogSumExp2(a, b Var) Var {
	v := mathx.LogSumExp2(a.Val, b.Val)
	if math.IsInf(v, -1) {
		return t.Binary(v, a, 0, b, 0)
	}
	// The partials are the weights e**(a-v) and e**(b-v); computed from v
	// they stay right when one argument is -Inf.
	return t.Binary(v, a, math.Exp(a.Val-v), b, math.Exp(b.Val-v))
}

// LogMix returns log(theta e**l1 + (1 - theta) e**l2).
func (t *Tape) LogMix(theta, l1, l2 Var) Var {
	a := math.Log(theta.Val) + l1.Val
	c := math.Log1p(-theta.Val) + l2.Val
	v := mathx.LogSumExp2(a, c)
	b := t.Begin()
	b.Add(theta, math.Exp(l1.Val-v)-math.Exp(l2.Val-v))
	b.Add(l1, math.Exp(a-v))
	b.Add(l2, math.Exp(c-v))
	return b.End(v)
}

// InvLogit returns 1 / (1 + e**-a).
func (t *Tape) InvLogit(a Var) Var {
	p := mathx.InvLogit(a.Val)
	return t.Unary(p, a, p*(1-p))
}

// Logit returns log(a / (1 - a)).
func (t *Tape) Logit(a Var) Var {
	return t.Unary(mathx.Logit(a.Val), a, 1/(a.Val*(1-a.Val)))
}

// LogInvLogit returns log(inv_logit(a)).
func (t *Tape) LogInvLogit(a Var) Var {
	return t.Unary(mathx.LogInvLogit(a.Val), a, mathx.InvLogit(-a.Val))
}

// Log1mInvLogit returns log(1 - inv_logit(a)).
func (t *Tape) Log1mInvLogit(a Var) Var {
	return t.Unary(mathx.Log1mInvLogit(a.Val), a, -mathx.InvLogit(a.Val))
}

// Sin returns sin(a).
func (t *Tape) Sin(a Var) Var { return t.Unary(math.Sin(a.Val), a, math.Cos(a.Val)) }

// Cos returns cos(a).
func (t *Tape) Cos(a Var) Var { return t.Unary(math.Cos(a.Val), a, -math.Sin(a.Val)) }

// Tan returns tan(a).
func (t *Tape) Tan(a Var) Var {
	v := math.Tan(a.Val)
	return t.Unary(v, a, 1+v*v)
}

// Asin returns arcsin(a).
func (t *Tape) Asin(a Var) Var {
	return t.Unary(math.Asin(a.Val), a, 1/math.Sqrt(1-a.Val*a.Val))
}

// Acos returns arccos(a).
func (t *Tape) Acos(a Var) Var {
	return t.Unary(math.Acos(a.Val), a, -1/math.Sqrt(1-a.Val*a.Val))
}

// Atan returns arctan(a).
func (t *Tape) Atan(a Var) Var { return t.Unary(math.Atan(a.Val), a, 1/(1+a.Val*a.Val)) }

// Atan2 returns the angle of the point (x, y), as math.Atan2(y, x).
func (t *Tape) Atan2(y, x Var) Var {
	r := x.Val*x.Val + y.Val*y.Val
	return t.Binary(math.Atan2(y.Val, x.Val), y, x.Val/r, x, -y.Val/r)
}

// Sinh returns sinh(a).
func (t *Tape) Sinh(a Var) Var { return t.Unary(math.Sinh(a.Val), a, math.Cosh(a.Val)) }

// Cosh returns cosh(a).
func (t *Tape) Cosh(a Var) Var { return t.Unary(math.Cosh(a.Val), a, math.Sinh(a.Val)) }

// Tanh returns tanh(a).
func (t *Tape) Tanh(a Var) Var {
	v := math.Tanh(a.Val)
	return t.Unary(v, a, 1-v*v)
}

// Asinh returns arsinh(a).
func (t *Tape) Asinh(a Var) Var {
	return t.Unary(math.Asinh(a.Val), a, 1/math.Sqrt(a.Val*a.Val+1))
}

// Acosh returns arcosh(a) for a >= 1.
func (t *Tape) Acosh(a Var) Var {
	return t.Unary(math.Acosh(a.Val), a, 1/math.Sqrt(a.Val*a.Val-1))
}

// Atanh returns artanh(a) for |a| < 1.
func (t *Tape) Atanh(a Var) Var {
	return t.Unary(math.Atanh(a.Val), a, 1/(1-a.Val*a.Val))
}

// Erf returns the error function of a.
func (t *Tape) Erf(a Var) Var {
	return t.Unary(math.Erf(a.Val), a, 2/math.SqrtPi*math.Exp(-a.Val*a.Val))
}

// Erfc returns the complementary error function of a.
func (t *Tape) Erfc(a Var) Var {
	return t.Unary(math.Erfc(a.Val), a, -2/math.SqrtPi*math.Exp(-a.Val*a.Val))
}

// invSqrt2Pi is 1/√(2π), the standard normal density at 0.
const invSqrt2Pi = 0.3989422804014326779399460599343818684758586311649346576659258296

// Phi returns the standard normal CDF of a.
func (t *Tape) Phi(a Var) Var {
	return t.Unary(mathx.Phi(a.Val), a, invSqrt2Pi*math.Exp(-0.5*a.Val*a.Val))
}

// PhiApprox returns Stan's logistic approximation to Phi,
// inv_logit(0.07056 a³ + 1.5976 a) (Bowling et al. 2009).
func (t *Tape) PhiApprox(a Var) Var {
	x := a.Val
	p := mathx.InvLogit(0.07056*x*x*x + 1.5976*x)
	return t.Unary(p, a, p*(1-p)*(3*0.07056*x*x+1.5976))
}

// InvPhi returns the standard normal quantile of a.
func (t *Tape) InvPhi(a Var) Var {
	x := mathx.InvPhi(a.Val)
	return t.Unary(x, a, 1/(invSqrt2Pi*math.Exp(-0.5*x*x)))
}

// Lgamma returns log|Γ(a)|.
func (t *Tape) Lgamma(a Var) Var {
	return t.Unary(mathx.Lgamma(a.Val), a, mathx.Digamma(a.Val))
}

// Digamma returns ψ(a).
func (t *Tape) Digamma(a Var) Var {
	return t.Unary(mathx.Digamma(a.Val), a, mathx.Trigamma(a.Val))
}

// Tgamma returns Γ(a).
func (t *Tape) Tgamma(a Var) Var {
	g := math.Gamma(a.Val)
	return t.Unary(g, a, g*mathx.Digamma(a.Val))
}

// Lbeta returns log B(a, b).
func (t *Tape) Lbeta(a, b Var) Var {
	ab := mathx.Digamma(a.Val + b.Val)
	return t.Binary(mathx.Lbeta(a.Val, b.Val), a, mathx.Digamma(a.Val)-ab, b, mathx.Digamma(b.Val)-ab)
}

// Lchoose returns log(n choose k) = log Γ(n+1) - log Γ(k+1) - log Γ(n-k+1),
// Stan's binomial_coefficient_log, computed through log B for accuracy at
// large n.
func (t *Tape) Lchoose(n, k Var) Var {
	v := -math.Log1p(n.Val) - mathx.Lbeta(n.Val-k.Val+1, k.Val+1)
	if k.Val == 0 || k.Val == n.Val {
		v = 0
	}
	dnk := mathx.Digamma(n.Val - k.Val + 1)
	return t.Binary(v, n, mathx.Digamma(n.Val+1)-dnk, k, dnk-mathx.Digamma(k.Val+1))
}

// BinomialCoefficientLog is Stan's name for Lchoose.
func (t *Tape) BinomialCoefficientLog(n, k Var) Var { return t.Lchoose(n, k) }

// Abs returns |a|; its derivative at 0 is taken as 0.
func (t *Tape) Abs(a Var) Var {
	d := 0.0
	switch {
	case a.Val > 0:
		d = 1
	case a.Val < 0:
		d = -1
	}
	return t.Unary(math.Abs(a.Val), a, d)
}

// Fabs is Stan's older name for Abs.
func (t *Tape) Fabs(a Var) Var { return t.Abs(a) }

// Fmin returns the smaller of a and b; a NaN argument loses, as in C's fmin.
func (t *Tape) Fmin(a, b Var) Var {
	if math.IsNaN(a.Val) || b.Val < a.Val {
		return b
	}
	return a
}

// Fmax returns the larger of a and b; a NaN argument loses, as in C's fmax.
func (t *Tape) Fmax(a, b Var) Var {
	if math.IsNaN(a.Val) || b.Val > a.Val {
		return b
	}
	return a
}

// Fdim returns the positive difference max(a - b, 0); NaN if either is NaN.
func (t *Tape) Fdim(a, b Var) Var {
	if a.Val > b.Val || math.IsNaN(a.Val) || math.IsNaN(b.Val) {
		return t.Binary(a.Val-b.Val, a, 1, b, -1)
	}
	return Const(0)
}

// Fma returns a*b + c.
func (t *Tape) Fma(a, b, c Var) Var {
	bd := t.Begin()
	bd.Add(a, b.Val)
	bd.Add(b, a.Val)
	bd.Add(c, 1)
	return bd.End(math.FMA(a.Val, b.Val, c.Val))
}

// Hypot returns √(a² + b²) without undue overflow.
func (t *Tape) Hypot(a, b Var) Var {
	h := math.Hypot(a.Val, b.Val)
	return t.Binary(h, a, a.Val/h, b, b.Val/h)
}

// InvSqrt returns 1/√a.
func (t *Tape) InvSqrt(a Var) Var {
	r := 1 / math.Sqrt(a.Val)
	return t.Unary(r, a, -0.5*r/a.Val)
}

// Inv returns 1/a.
func (t *Tape) Inv(a Var) Var {
	r := 1 / a.Val
	return t.Unary(r, a, -r*r)
}

// InvSquare returns 1/a².
func (t *Tape) InvSquare(a Var) Var {
	r := 1 / a.Val
	return t.Unary(r*r, a, -2*r*r*r)
}

// Step returns a Var with value v and no derivative, for functions that are
// piecewise constant: floor, ceil, round, trunc, step.
func Step(v float64) Var { return Var{Val: v} }

// Floor, Ceil, Round and Trunc are piecewise constant: their derivative is
// zero wherever it exists, so they return constants and record nothing.

// Floor returns the largest integer value not above a, as a constant.
func (t *Tape) Floor(a Var) Var { return Const(math.Floor(a.Val)) }

// Ceil returns the smallest integer value not below a, as a constant.
func (t *Tape) Ceil(a Var) Var { return Const(math.Ceil(a.Val)) }

// Round returns a rounded half away from zero, as a constant.
func (t *Tape) Round(a Var) Var { return Const(math.Round(a.Val)) }

// Trunc returns the integer part of a, as a constant.
func (t *Tape) Trunc(a Var) Var { return Const(math.Trunc(a.Val)) }

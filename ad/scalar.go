package ad

import (
	"math"

	"github.com/gostan/gostan/mathx"
)

// The real functions of Stan's library, each one tape statement with its
// partials computed on the spot. Constant arguments give constant results.

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

// Pow returns a^b; at a = 0 the derivative in b is taken as 0.
func (t *Tape) Pow(a, b Var) Var {
	v := math.Pow(a.Val, b.Val)
	da := 0.0
	if b.Val != 0 {
		da = b.Val * math.Pow(a.Val, b.Val-1)
	}
	db := 0.0
	if a.Val != 0 {
		db = math.Log(a.Val) * v
	}
	return t.Binary(v, a, da, b, db)
}

// Exp2 returns 2^a.
func (t *Tape) Exp2(a Var) Var {
	v := math.Exp2(a.Val)
	return t.Unary(v, a, v*math.Ln2)
}

// Expm1 returns e^a - 1.
func (t *Tape) Expm1(a Var) Var { return t.Unary(math.Expm1(a.Val), a, math.Exp(a.Val)) }

// Log2 returns log₂ a.
func (t *Tape) Log2(a Var) Var { return t.Unary(math.Log2(a.Val), a, 1/(a.Val*math.Ln2)) }

// Log10 returns log₁₀ a.
func (t *Tape) Log10(a Var) Var { return t.Unary(math.Log10(a.Val), a, 1/(a.Val*math.Ln10)) }

// Log1p returns log(1 + a).
func (t *Tape) Log1p(a Var) Var { return t.Unary(math.Log1p(a.Val), a, 1/(1+a.Val)) }

// Log1m returns log(1 - a).
func (t *Tape) Log1m(a Var) Var { return t.Unary(math.Log1p(-a.Val), a, -1/(1-a.Val)) }

// Log1pExp returns log(1 + e^a).
func (t *Tape) Log1pExp(a Var) Var { return t.Unary(mathx.Log1pExp(a.Val), a, mathx.InvLogit(a.Val)) }

// Log1mExp returns log(1 - e^a), for a < 0.
func (t *Tape) Log1mExp(a Var) Var {
	return t.Unary(mathx.Log1mExp(a.Val), a, -1/math.Expm1(-a.Val))
}

// LogDiffExp returns log(e^a - e^b).
func (t *Tape) LogDiffExp(a, b Var) Var {
	v := mathx.LogDiffExp(a.Val, b.Val)
	da := 1 / -math.Expm1(b.Val-a.Val)
	return t.Binary(v, a, da, b, 1-da)
}

// LogSumExp2 returns log(e^a + e^b).
func (t *Tape) LogSumExp2(a, b Var) Var {
	v := mathx.LogSumExp2(a.Val, b.Val)
	return t.Binary(v, a, math.Exp(a.Val-v), b, math.Exp(b.Val-v))
}

// LogMix returns log(θ e^a + (1-θ) e^b).
func (t *Tape) LogMix(theta, a, b Var) Var {
	la := math.Log(theta.Val) + a.Val
	lb := math.Log1p(-theta.Val) + b.Val
	v := mathx.LogSumExp2(la, lb)
	wa, wb := math.Exp(la-v), math.Exp(lb-v)
	bl := t.Begin()
	bl.Add(theta, (math.Exp(a.Val-v) - math.Exp(b.Val-v)))
	bl.Add(a, wa)
	bl.Add(b, wb)
	return bl.End(v)
}

// InvLogit returns 1 / (1 + e^-a).
func (t *Tape) InvLogit(a Var) Var {
	p := mathx.InvLogit(a.Val)
	return t.Unary(p, a, p*(1-p))
}

// Logit returns log(a / (1 - a)).
func (t *Tape) Logit(a Var) Var { return t.Unary(mathx.Logit(a.Val), a, 1/(a.Val*(1-a.Val))) }

// LogInvLogit returns log(inv_logit(a)).
func (t *Tape) LogInvLogit(a Var) Var {
	return t.Unary(mathx.LogInvLogit(a.Val), a, mathx.InvLogit(-a.Val))
}

// Log1mInvLogit returns log(1 - inv_logit(a)).
func (t *Tape) Log1mInvLogit(a Var) Var {
	return t.Unary(mathx.Log1mInvLogit(a.Val), a, -mathx.InvLogit(a.Val))
}

// InvCloglog returns 1 - exp(-exp(a)).
func (t *Tape) InvCloglog(a Var) Var {
	e := math.Exp(a.Val)
	return t.Unary(-math.Expm1(-e), a, e*math.Exp(-e))
}

// Sin returns sin a.
func (t *Tape) Sin(a Var) Var { return t.Unary(math.Sin(a.Val), a, math.Cos(a.Val)) }

// Cos returns cos a.
func (t *Tape) Cos(a Var) Var { return t.Unary(math.Cos(a.Val), a, -math.Sin(a.Val)) }

// Tan returns tan a.
func (t *Tape) Tan(a Var) Var {
	v := math.Tan(a.Val)
	return t.Unary(v, a, 1+v*v)
}

// Asin returns arcsin a.
func (t *Tape) Asin(a Var) Var { return t.Unary(math.Asin(a.Val), a, 1/math.Sqrt(1-a.Val*a.Val)) }

// Acos returns arccos a.
func (t *Tape) Acos(a Var) Var { return t.Unary(math.Acos(a.Val), a, -1/math.Sqrt(1-a.Val*a.Val)) }

// Atan returns arctan a.
func (t *Tape) Atan(a Var) Var { return t.Unary(math.Atan(a.Val), a, 1/(1+a.Val*a.Val)) }

// Atan2 returns the angle of the point (b, a).
func (t *Tape) Atan2(a, b Var) Var {
	r := a.Val*a.Val + b.Val*b.Val
	return t.Binary(math.Atan2(a.Val, b.Val), a, b.Val/r, b, -a.Val/r)
}

// Sinh returns sinh a.
func (t *Tape) Sinh(a Var) Var { return t.Unary(math.Sinh(a.Val), a, math.Cosh(a.Val)) }

// Cosh returns cosh a.
func (t *Tape) Cosh(a Var) Var { return t.Unary(math.Cosh(a.Val), a, math.Sinh(a.Val)) }

// Tanh returns tanh a.
func (t *Tape) Tanh(a Var) Var {
	v := math.Tanh(a.Val)
	return t.Unary(v, a, 1-v*v)
}

// Asinh returns arsinh a.
func (t *Tape) Asinh(a Var) Var { return t.Unary(math.Asinh(a.Val), a, 1/math.Sqrt(a.Val*a.Val+1)) }

// Acosh returns arcosh a.
func (t *Tape) Acosh(a Var) Var { return t.Unary(math.Acosh(a.Val), a, 1/math.Sqrt(a.Val*a.Val-1)) }

// Atanh returns artanh a.
func (t *Tape) Atanh(a Var) Var { return t.Unary(math.Atanh(a.Val), a, 1/(1-a.Val*a.Val)) }

// Erf returns the error function of a.
func (t *Tape) Erf(a Var) Var {
	return t.Unary(math.Erf(a.Val), a, 2/math.SqrtPi*math.Exp(-a.Val*a.Val))
}

// Erfc returns the complementary error function of a.
func (t *Tape) Erfc(a Var) Var {
	return t.Unary(math.Erfc(a.Val), a, -2/math.SqrtPi*math.Exp(-a.Val*a.Val))
}

// Phi returns the standard normal CDF of a.
func (t *Tape) Phi(a Var) Var {
	return t.Unary(mathx.Phi(a.Val), a, math.Exp(-0.5*a.Val*a.Val)/math.Sqrt(2*math.Pi))
}

// PhiApprox returns Stan's logistic approximation of Phi:
// inv_logit(0.07056 a³ + 1.5976 a).
func (t *Tape) PhiApprox(a Var) Var {
	x := a.Val
	u := 0.07056*x*x*x + 1.5976*x
	p := mathx.InvLogit(u)
	return t.Unary(p, a, p*(1-p)*(3*0.07056*x*x+1.5976))
}

// InvPhi returns the standard normal quantile of a.
func (t *Tape) InvPhi(a Var) Var {
	x := mathx.InvPhi(a.Val)
	return t.Unary(x, a, math.Sqrt(2*math.Pi)*math.Exp(0.5*x*x))
}

// Lgamma returns log Γ(a).
func (t *Tape) Lgamma(a Var) Var { return t.Unary(mathx.Lgamma(a.Val), a, mathx.Digamma(a.Val)) }

// Digamma returns ψ(a).
func (t *Tape) Digamma(a Var) Var { return t.Unary(mathx.Digamma(a.Val), a, mathx.Trigamma(a.Val)) }

// Tgamma returns Γ(a).
func (t *Tape) Tgamma(a Var) Var {
	g := math.Gamma(a.Val)
	return t.Unary(g, a, g*mathx.Digamma(a.Val))
}

// Lbeta returns log B(a, b).
func (t *Tape) Lbeta(a, b Var) Var {
	dab := mathx.Digamma(a.Val + b.Val)
	return t.Binary(mathx.Lbeta(a.Val, b.Val), a, mathx.Digamma(a.Val)-dab, b, mathx.Digamma(b.Val)-dab)
}

// Lchoose returns log of the binomial coefficient (n choose k) for reals.
func (t *Tape) Lchoose(n, k Var) Var {
	v := mathx.Lgamma(n.Val+1) - mathx.Lgamma(k.Val+1) - mathx.Lgamma(n.Val-k.Val+1)
	dnk := mathx.Digamma(n.Val - k.Val + 1)
	return t.Binary(v, n, mathx.Digamma(n.Val+1)-dnk, k, dnk-mathx.Digamma(k.Val+1))
}

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

// Fmin returns the smaller of a and b.
func (t *Tape) Fmin(a, b Var) Var {
	if b.Val < a.Val || math.IsNaN(a.Val) {
		return b
	}
	return a
}

// Fmax returns the larger of a and b.
func (t *Tape) Fmax(a, b Var) Var {
	if b.Val > a.Val || math.IsNaN(a.Val) {
		return b
	}
	return a
}

// Fdim returns max(a - b, 0).
func (t *Tape) Fdim(a, b Var) Var {
	if a.Val > b.Val {
		return t.Sub(a, b)
	}
	return Var{}
}

// Fmod returns the remainder of a / b.
func (t *Tape) Fmod(a, b Var) Var {
	return t.Binary(math.Mod(a.Val, b.Val), a, 1, b, -math.Trunc(a.Val/b.Val))
}

// Hypot returns √(a² + b²).
func (t *Tape) Hypot(a, b Var) Var {
	h := math.Hypot(a.Val, b.Val)
	return t.Binary(h, a, a.Val/h, b, b.Val/h)
}

// Fma returns a·b + c.
func (t *Tape) Fma(a, b, c Var) Var {
	bl := t.Begin()
	bl.Add(a, b.Val)
	bl.Add(b, a.Val)
	bl.Add(c, 1)
	return bl.End(a.Val*b.Val + c.Val)
}

// Inv returns 1/a.
func (t *Tape) Inv(a Var) Var { return t.Unary(1/a.Val, a, -1/(a.Val*a.Val)) }

// InvSqrt returns 1/√a.
func (t *Tape) InvSqrt(a Var) Var {
	s := math.Sqrt(a.Val)
	return t.Unary(1/s, a, -0.5/(a.Val*s))
}

// InvSquare returns 1/a².
func (t *Tape) InvSquare(a Var) Var { return t.Unary(1/(a.Val*a.Val), a, -2/(a.Val*a.Val*a.Val)) }

// MultiplyLog returns a·log b, taken as 0 when a = b = 0 (Stan's lmultiply).
func (t *Tape) MultiplyLog(a, b Var) Var {
	if a.Val == 0 && b.Val == 0 {
		return Var{}
	}
	return t.Binary(a.Val*math.Log(b.Val), a, math.Log(b.Val), b, a.Val/b.Val)
}

// Step returns a Var with value v and no derivative, for functions that are
// piecewise constant: floor, ceil, round, trunc, step.
func Step(v float64) Var { return Var{Val: v} }

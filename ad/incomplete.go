package ad

import (
	"math"

	"github.com/gostan/gostan/mathx"
)

// Regularized incomplete gamma and beta functions with partials in every
// argument. Values come from mathx; the partials in the shape parameters,
// which have no closed form, are sums of the functions' power series
// differentiated term by term.

// seriesMaxIter bounds the series below; they converge in O(√(a+b)) or
// O(√x) terms past their peak, so the bound is only a guard.
const seriesMaxIter = 1000000

// GammaP returns the regularized lower incomplete gamma function P(a, x).
func (t *Tape) GammaP(a, x Var) Var {
	da, dx := gammaPPartials(a, x)
	return t.Binary(mathx.GammaP(a.Val, x.Val), a, da, x, dx)
}

// GammaQ returns the regularized upper incomplete gamma function
// Q(a, x) = 1 - P(a, x).
func (t *Tape) GammaQ(a, x Var) Var {
	da, dx := gammaPPartials(a, x)
	return t.Binary(mathx.GammaQ(a.Val, x.Val), a, -da, x, -dx)
}

// gammaPPartials returns ∂P/∂a and ∂P/∂x, computing only those whose
// argument is a variable.
func gammaPPartials(a, x Var) (da, dx float64) {
	if x.Val <= 0 {
		return 0, 0
	}
	if a.id != 0 {
		da = gammaPDerivA(a.Val, x.Val)
	}
	if x.id != 0 {
		dx = math.Exp(-x.Val + (a.Val-1)*math.Log(x.Val) - mathx.Lgamma(a.Val))
	}
	return da, dx
}

// gammaPDerivA returns ∂P(a, x)/∂a for x > 0 from the series
// P(a, x) = Σ_n T_n with T_n = e^-x x^(a+n) / Γ(a+n+1) (Abramowitz and
// Stegun 6.5.29), whose term-by-term derivative is T_n (log x - ψ(a+n+1)).
// The terms peak near n = x - a; the sum starts there and runs both ways,
// so that no term underflows before the ones that matter.
func gammaPDerivA(a, x float64) float64 {
	logx := math.Log(x)
	n0 := 0
	if x > a+1 {
		n0 = int(math.Floor(x - a))
	}
	z0 := a + float64(n0) + 1 // z_n = a + n + 1
	t0 := math.Exp(-x + (z0-1)*logx - mathx.Lgamma(z0))
	psi0 := mathx.Digamma(z0)
	sum := t0 * (logx - psi0)
	// Upward: T_{n+1} = T_n x / z_n and ψ(z_{n+1}) = ψ(z_n) + 1/z_n.
	tn, psi, z := t0, psi0, z0
	for range seriesMaxIter {
		tn *= x / z
		psi += 1 / z
		z++
		sum += tn * (logx - psi)
		if tn <= 1e-17*t0 {
			break
		}
	}
	// Downward: T_{n-1} = T_n z_{n-1} / x and ψ(z_{n-1}) = ψ(z_n) - 1/z_{n-1}.
	tn, psi, z = t0, psi0, z0
	for n := n0; n > 0; n-- {
		z--
		tn *= z / x
		psi -= 1 / z
		sum += tn * (logx - psi)
		if tn <= 1e-17*t0 {
			break
		}
	}
	return sum
}

// IncBeta returns the regularized incomplete beta function I_x(a, b).
func (t *Tape) IncBeta(a, b, x Var) Var {
	v := mathx.IncBeta(a.Val, b.Val, x.Val)
	if a.id == 0 && b.id == 0 && x.id == 0 {
		return Const(v)
	}
	da, db := 0.0, 0.0
	if (a.id != 0 || b.id != 0) && x.Val > 0 && x.Val < 1 {
		_, da, db = incBetaShapePartials(a.Val, b.Val, x.Val)
	}
	dx := math.Exp((a.Val-1)*math.Log(x.Val) + (b.Val-1)*math.Log1p(-x.Val) - mathx.Lbeta(a.Val, b.Val))
	bd := t.Begin()
	bd.Add(a, da)
	bd.Add(b, db)
	bd.Add(x, dx)
	return bd.End(v)
}

// incBetaShapePartials returns I_x(a, b) and its partials in a and b for
// 0 < x < 1. Past the mean-like point (a+1)/(a+b+2) it uses
// I_x(a, b) = 1 - I_{1-x}(b, a), so that the series terms always decrease.
func incBetaShapePartials(a, b, x float64) (v, da, db float64) {
	if x > (a+1)/(a+b+2) {
		v, db, da = incBetaSeries(b, a, 1-x)
		return 1 - v, -da, -db
	}
	return incBetaSeries(a, b, x)
}

// incBetaSeries sums I_x(a, b) = Σ_n T_n with
// T_0 = x^a (1-x)^b / (a B(a, b)) and T_{n+1} = T_n x (a+b+n) / (a+1+n)
// (the hypergeometric form, Abramowitz and Stegun 26.5.23 with 15.1.1), and
// the same series differentiated term by term in a and b.
func incBetaSeries(a, b, x float64) (v, da, db float64) {
	tn := math.Exp(a*math.Log(x) + b*math.Log1p(-x) - math.Log(a) - mathx.Lbeta(a, b))
	psiAB := mathx.Digamma(a + b)
	pa := math.Log(x) - 1/a - mathx.Digamma(a) + psiAB // ∂ log T_0 / ∂a
	pb := math.Log1p(-x) - mathx.Digamma(b) + psiAB    // ∂ log T_0 / ∂b
	for n := range seriesMaxIter {
		v += tn
		da += tn * pa
		db += tn * pb
		if tn <= 1e-17*v {
			break
		}
		m := float64(n)
		pa += 1/(a+b+m) - 1/(a+1+m)
		pb += 1 / (a + b + m)
		tn *= x * (a + b + m) / (a + 1 + m)
	}
	return v, da, db
}

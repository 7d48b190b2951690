package ad

import (
	"math"

	"github.com/gostan/gostan/mathx"
)

// Modified Bessel functions, which Go's math package lacks.

// ModifiedBesselFirstKind returns I_v(z) for integer order v.
func (t *Tape) ModifiedBesselFirstKind(v int, z Var) Var {
	n := v
	if n < 0 {
		n = -n // I_{-n} = I_n for integer n
	}
	x := math.Abs(z.Val)
	sign := 1.0
	if z.Val < 0 && n%2 == 1 {
		sign = -1 // I_n(-x) = (-1)^n I_n(x)
	}
	if x == 0 {
		val, d := 0.0, 0.0
		switch n {
		case 0:
			val = 1
		case 1:
			d = 0.5
		}
		return t.Unary(val, z, d)
	}
	logI, dz, _ := logBesselI(float64(n), x)
	val := sign * math.Exp(logI)
	// d/dz of sign(z)^n I_n(|z|) is I_n'(|z|) times sign(z)^(n+1), and
	// sign * sign(z) is that factor.
	zs := 1.0
	if z.Val < 0 {
		zs = -1
	}
	return t.Unary(val, z, val*zs*dz)
}

// LogModifiedBesselFirstKind returns log I_v(z) for v >= 0 and z >= 0, with
// partials in both arguments.
func (t *Tape) LogModifiedBesselFirstKind(v, z Var) Var {
	switch {
	case math.IsNaN(v.Val) || math.IsNaN(z.Val) || v.Val < 0 || z.Val < 0:
		return t.Binary(math.NaN(), v, math.NaN(), z, math.NaN())
	case z.Val == 0:
		// log I_v(0) is 0 for v = 0 and -Inf otherwise; ∂/∂z is 0 for v = 0.
		if v.Val == 0 {
			return t.Binary(0, v, math.Inf(-1), z, 0)
		}
		return Const(math.Inf(-1))
	}
	logI, dz, dv := logBesselI(v.Val, z.Val)
	return t.Binary(logI, v, dv, z, dz)
}

// logBesselI returns log I_v(z) for v >= 0, z > 0 and its partials in z and
// v, from the series I_v(z) = Σ_k T_k with
// T_k = (z/2)^(2k+v) / (k! Γ(k+v+1)) (Abramowitz and Stegun 9.6.10),
// differentiated term by term: ∂T_k/∂z = T_k (2k+v)/z and
// ∂T_k/∂v = T_k (log(z/2) - ψ(k+v+1)). The sum starts at the largest term
// and is kept relative to it, so nothing overflows before the end.
func logBesselI(v, z float64) (logI, dz, dv float64) {
	lz := math.Log(z / 2)
	// The terms' ratio (z/2)² / ((k+1)(k+v+1)) falls through 1 near k0.
	k0 := math.Max(0, math.Floor((math.Sqrt(v*v+z*z)-v)/2))
	logT0 := (2*k0+v)*lz - mathx.Lgamma(k0+1) - mathx.Lgamma(k0+v+1)
	psi0 := mathx.Digamma(k0 + v + 1)
	// Sums of T_k/T_k0 over k != k0 (so that log1p keeps small sums
	// exact), and of all T_k/T_k0 weighted by the partials' factors.
	s, sz, sv := 0.0, 2*k0+v, lz-psi0
	q := z * z / 4
	// Upward: T_{k+1} = T_k q / ((k+1)(k+v+1)); ψ(k+v+2) = ψ(k+v+1) + 1/(k+v+1).
	r, psi := 1.0, psi0
	for k := k0; k < k0+seriesMaxIter; k++ {
		r *= q / ((k + 1) * (k + v + 1))
		psi += 1 / (k + v + 1)
		s += r
		sz += r * (2*(k+1) + v)
		sv += r * (lz - psi)
		if r <= 1e-17*(1+s) {
			break
		}
	}
	// Downward: T_{k-1} = T_k k (k+v) / q; ψ(k+v) = ψ(k+v+1) - 1/(k+v).
	r, psi = 1.0, psi0
	for k := k0; k > 0; k-- {
		r *= k * (k + v) / q
		psi -= 1 / (k + v)
		s += r
		sz += r * (2*(k-1) + v)
		sv += r * (lz - psi)
		if r <= 1e-17*(1+s) {
			break
		}
	}
	return logT0 + math.Log1p(s), sz / ((1 + s) * z), sv / (1 + s)
}

// ModifiedBesselSecondKind returns K_v(z) for integer order v and z > 0.
func (t *Tape) ModifiedBesselSecondKind(v int, z Var) Var {
	if !(z.Val > 0) {
		return t.Unary(math.NaN(), z, math.NaN())
	}
	logK, dz := logBesselK(math.Abs(float64(v)), z.Val)
	k := math.Exp(logK)
	return t.Unary(k, z, k*dz)
}

// logBesselK returns log K_v(z) and its derivative in z for z > 0, from
// K_v(z) = ∫_0^∞ e^(-z cosh t) cosh(vt) dt (Abramowitz and Stegun 9.6.24)
// by the trapezoidal rule, which converges geometrically for this analytic,
// doubly exponentially decaying integrand (Trefethen and Weideman 2014,
// "The exponentially convergent trapezoidal rule"). The step resolves the
// integrand's peak at t = asinh(v/z), whose width is (z²+v²)^(-1/4), and
// the integrand is scaled by its value there.
func logBesselK(v, z float64) (logK, dz float64) {
	sigma := math.Pow(z*z+v*v, -0.25)
	h := math.Min(0.1, 0.5*sigma)
	peak := math.Asinh(v / z)
	// logf is log(e^(-z cosh t) cosh(vt)), written to avoid overflow.
	logf := func(t float64) float64 {
		return -z*math.Cosh(t) + v*t + math.Log1p(math.Exp(-2*v*t)) - math.Ln2
	}
	m := logf(peak)
	s, sd := 0.0, 0.0
	for k := 0; k < seriesMaxIter; k++ {
		tk := float64(k) * h
		lf := logf(tk)
		w := math.Exp(lf - m)
		if k == 0 {
			w /= 2
		}
		s += w
		sd -= w * math.Cosh(tk)
		if tk > peak && lf < m-45 {
			break
		}
	}
	return m + math.Log(h*s), sd / s
}

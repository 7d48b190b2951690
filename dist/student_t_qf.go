package dist

import (
	"math"

	"github.com/gostan/gostan/mathx"
)

// StudentTQf is Stan 2.40's student_t_qf(p, nu, mu, sigma): the quantile
// of the Student-t distribution, mu + sigma t where F_nu(t) = p, with its
// partials in each argument.
//
// t comes from the inverse of the regularised incomplete beta function
// (Abramowitz & Stegun 26.7.1: for t < 0, F_nu(t) = I_x(nu/2, 1/2) / 2 with
// x = nu / (nu + t²)), as Stan Math computes it; where x is near 1 (large
// nu or p near 1/2) 1 - x is inverted directly, from I_{1-x}(1/2, nu/2) =
// 1 - 2p, so that t² = nu (1 - x) / x keeps its precision.
//
// The partials: dQ/dmu = 1, dQ/dsigma = t, dQ/dp = sigma / f_nu(t) (the
// derivative of an inverse), and dQ/dnu = -sigma (∂F_nu(t)/∂nu) / f_nu(t)
// by implicit differentiation of F_nu(Q(p, nu)) = p, where ∂F/∂nu at fixed
// t follows from A&S 26.7.1 through the partials of I_x(a, b) in a and x.
func StudentTQf(p, nu, mu, sigma float64) (q, dp, dnu, dmu, dsigma float64, err error) {
	const fn = "student_t_qf"
	switch {
	case !(nu > 0) || math.IsInf(nu, 1):
		return 0, 0, 0, 0, 0, &DomainError{fn, "Degrees of freedom parameter", 0, nu, "positive finite"}
	case !(sigma > 0) || math.IsInf(sigma, 1):
		return 0, 0, 0, 0, 0, &DomainError{fn, "Scale parameter", 0, sigma, "positive finite"}
	case !(p >= 0 && p <= 1):
		return 0, 0, 0, 0, 0, &DomainError{fn, "Probability parameter", 0, p, "in the interval [0, 1]"}
	case math.IsNaN(mu) || math.IsInf(mu, 0):
		return 0, 0, 0, 0, 0, &DomainError{fn, "Location parameter", 0, mu, "finite"}
	case p == 0:
		return math.Inf(-1), 0, 0, 0, 0, nil
	case p == 1:
		return math.Inf(1), 0, 0, 0, 0, nil
	}
	if nu >= studentTBigNu {
		z := mathx.InvPhi(p)
		t, dtdz, dtdnu := studentTExpansion(z, nu)
		// dz/dp is 1/φ(z); with φ from the tails' own log this stays
		// finite wherever z is.
		phi := math.Exp(-0.5*z*z - mathx.HalfLog2Pi)
		return mu + sigma*t, sigma * dtdz / phi, sigma * dtdnu, 1, t, nil
	}
	t := StudentTQuantile(p, nu)
	pdf := math.Exp(studentTLogPdf(t, nu, studentTLogNorm(nu)))
	dp = sigma / pdf
	if t != 0 {
		// F = I_x(a, 1/2)/2 for t < 0 and 1 - I_x(a, 1/2)/2 for t > 0,
		// a = nu/2, x = nu/(nu + t²): ∂F/∂nu = ∓(∂I/∂a / 2 + ∂I/∂x ∂x/∂nu)/2.
		a, x := nu/2, nu/(nu+t*t)
		dIda, _ := mathx.IncBetaDerivs(a, 0.5, x)
		dxdnu := t * t / ((nu + t*t) * (nu + t*t))
		dF := (dIda/2 + mathx.IncBetaDerivX(a, 0.5, x)*dxdnu) / 2
		if t > 0 {
			dF = -dF
		}
		dnu = -sigma * dF / pdf
	}
	return mu + sigma*t, dp, dnu, 1, t, nil
}

// studentTBigNu is where the quantile turns to its expansion in 1/nu: the
// incomplete beta function's inverse in nu/2 loses digits as nu grows
// (about 1e-12 at 1e6), while the expansion's first neglected term is
// of order (z²/nu)⁵ z/1e4, below 1e-20 at 1e6 even for z = 38 (p = 1e-316).
const studentTBigNu = 1e6

// studentTExpansion is the Student-t quantile by its expansion about the
// normal quantile z (Abramowitz & Stegun 26.7.5, the Cornish-Fisher
// series t = z + g1(z)/nu + ... + g4(z)/nu⁴), with dt/dz and dt/dnu.
func studentTExpansion(z, nu float64) (t, dtdz, dtdnu float64) {
	z2 := z * z
	g1 := (z2 + 1) * z / 4
	g2 := ((5*z2+16)*z2 + 3) * z / 96
	g3 := (((3*z2+19)*z2+17)*z2 - 15) * z / 384
	g4 := ((((79*z2+776)*z2+1482)*z2-1920)*z2 - 945) * z / 92160
	d1 := (3*z2 + 1) / 4
	d2 := ((25*z2+48)*z2 + 3) / 96
	d3 := (((21*z2+95)*z2+51)*z2 - 15) / 384
	d4 := ((((711*z2+5432)*z2+7410)*z2-5760)*z2 - 945) / 92160
	w := 1 / nu
	t = z + w*(g1+w*(g2+w*(g3+w*g4)))
	dtdz = 1 + w*(d1+w*(d2+w*(d3+w*d4)))
	dtdnu = -w * w * (g1 + w*(2*g2+w*(3*g3+w*4*g4)))
	return t, dtdz, dtdnu
}

// StudentTQuantile is the p quantile of the standard Student-t
// distribution with nu degrees of freedom, for 0 < p < 1 (see StudentTQf).
func StudentTQuantile(p, nu float64) float64 {
	if p == 0.5 {
		return 0
	}
	pf, sign := p, -1.0
	if p > 0.5 {
		pf, sign = 1-p, 1
	}
	if nu >= studentTBigNu {
		t, _, _ := studentTExpansion(mathx.InvPhi(pf), nu)
		return -sign * t
	}
	// t² = nu (1 - x) / x loses the digits 1 - x cancels, about
	// eps/(1 - x); inverting I_{1-x}(1/2, nu/2) = 1 - 2pf instead loses
	// those 1 - 2pf rounds off, about eps/(2pf). The centre takes the
	// second.
	x := mathx.InvIncBeta(nu/2, 0.5, 2*pf)
	if 1-x < 2*pf {
		y := mathx.InvIncBeta(0.5, nu/2, 1-2*pf) // 1 - x
		return sign * math.Sqrt(nu*y/(1-y))
	}
	t := -math.Sqrt(nu * (1/x - 1))
	if pf < 0.1 {
		t = studentTTail(pf, nu, t)
	}
	return -sign * t
}

// studentTTail refines a lower-tail quantile t < 0 by Newton's method on
// log F(t) = log pf, F(t) = I_x(nu/2, 1/2)/2 with x = nu/(nu + t²) (A&S
// 26.7.1): the inverse of the incomplete beta function in a = nu/2 can be
// far off in the tail when a is large (at nu = 100 and pf = 1e-10 it gave
// t = -4e5 for -7.08). The start is the better, by the residual, of t
// and the expansion in 1/nu.
func studentTTail(pf, nu, t float64) float64 {
	lp, norm := math.Log(pf), studentTLogNorm(nu)
	resid := func(t float64) (r, slope float64) {
		lf := math.Log(mathx.IncBeta(nu/2, 0.5, nu/(nu+t*t)) / 2)
		return lf - lp, math.Exp(studentTLogPdf(t, nu, norm) - lf)
	}
	r, slope := resid(t)
	if e, _, _ := studentTExpansion(mathx.InvPhi(pf), nu); e < 0 {
		if re, se := resid(e); math.Abs(re) < math.Abs(r) || math.IsNaN(r) {
			t, r, slope = e, re, se
		}
	}
	for range 50 {
		if r == 0 || !(slope > 0) || math.IsInf(slope, 0) || math.IsNaN(r) {
			break
		}
		nt := t - r/slope
		if !(nt < 0) {
			nt = t / 2
		}
		if math.Abs(nt-t) <= 1e-15*math.Abs(t) {
			return nt
		}
		t = nt
		r, slope = resid(t)
	}
	return t
}

// studentTLogPdf is the log density of the standard Student-t, norm
// being its log normalising constant, studentTLogNorm(nu).
func studentTLogPdf(t, nu, norm float64) float64 {
	return norm - (nu+1)/2*math.Log1p(t*t/nu)
}

// studentTLogNorm is the standard Student-t's log normalising constant:
// log Γ((nu+1)/2) - log Γ(nu/2) - log(nu π)/2 is -log B(nu/2, 1/2) -
// log(nu)/2, Lbeta keeping its digits where the two log gammas are large.
// Newton's method (studentTTail) takes it once for all its steps.
func studentTLogNorm(nu float64) float64 {
	return -mathx.Lbeta(nu/2, 0.5) - 0.5*math.Log(nu)
}

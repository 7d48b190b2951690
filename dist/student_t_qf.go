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
	t := StudentTQuantile(p, nu)
	pdf := math.Exp(studentTLogPdf(t, nu))
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
	x := mathx.InvIncBeta(nu/2, 0.5, 2*pf)
	var t2 float64
	if x > 0.5 {
		y := mathx.InvIncBeta(0.5, nu/2, 1-2*pf) // 1 - x
		t2 = nu * y / (1 - y)
	} else {
		t2 = nu * (1/x - 1)
	}
	return sign * math.Sqrt(t2)
}

// studentTLogPdf is the log density of the standard Student-t.
func studentTLogPdf(t, nu float64) float64 {
	lg1, _ := math.Lgamma((nu + 1) / 2)
	lg2, _ := math.Lgamma(nu / 2)
	return lg1 - lg2 - 0.5*math.Log(nu*math.Pi) - (nu+1)/2*math.Log1p(t*t/nu)
}

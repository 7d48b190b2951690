package mathx

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// IncBeta returns the regularized incomplete beta function I_x(a, b) (gonum's
// Cephes incbet); NaN unless a, b > 0 and 0 <= x <= 1.
func IncBeta(a, b, x float64) float64 {
	if !(a > 0 && b > 0 && x >= 0 && x <= 1) || math.IsInf(a, 1) || math.IsInf(b, 1) {
		return math.NaN()
	}
	return mathext.RegIncBeta(a, b, x)
}

// GammaP returns the regularized lower incomplete gamma function P(a, x)
// (gonum's Cephes igam); NaN unless a > 0 and x >= 0.
func GammaP(a, x float64) float64 {
	if !(a > 0 && x >= 0) || math.IsInf(a, 1) {
		return math.NaN()
	}
	return mathext.GammaIncReg(a, x)
}

// GammaQ returns the regularized upper incomplete gamma function Q(a, x)
// (gonum's Cephes igamc); NaN unless a > 0 and x >= 0.
func GammaQ(a, x float64) float64 {
	if !(a > 0 && x >= 0) || math.IsInf(a, 1) {
		return math.NaN()
	}
	return mathext.GammaIncRegComp(a, x)
}

// maxSeriesTerms bounds the series and continued fractions below; they need
// O(sqrt(a)) terms near the centre of the distribution, so this only stops
// runaway loops for parameters near 1e12 and beyond.
const maxSeriesTerms = 1000000

// IncBetaDerivs returns the partial derivatives of the regularized
// incomplete beta function I_x(a, b) with respect to a and b (d/dx is the
// beta density). It differentiates the hypergeometric series
// I_x(a,b) = x^a (1-x)^b / (a B(a,b)) Σ_n (a+b)_n / (a+1)_n x^n
// (DLMF 8.17.8) term by term, on whichever side of I_x(a,b) = 1 - I_{1-x}(b,a)
// converges sooner. NaN unless a, b > 0 and 0 <= x <= 1, or if the series
// does not converge.
func IncBetaDerivs(a, b, x float64) (da, db float64) {
	if !(a > 0 && b > 0 && x >= 0 && x <= 1) || math.IsInf(a, 1) || math.IsInf(b, 1) {
		return math.NaN(), math.NaN()
	}
	if x == 0 || x == 1 {
		return 0, 0
	}
	if incBetaSeriesCost(b, a, 1-x) < incBetaSeriesCost(a, b, x) {
		_, db, da = incBetaSeries(b, a, 1-x)
		return -da, -db
	}
	_, da, db = incBetaSeries(a, b, x)
	return da, db
}

// incBetaSeriesCost estimates how many terms incBetaSeries needs: the
// terms grow until (a+b+k)x = a+1+k and then shrink at a rate tending to x.
func incBetaSeriesCost(a, b, x float64) float64 {
	peak := math.Max(0, ((a+b)*x-a-1)/(1-x))
	return peak + 40/-math.Log(x)
}

// incBetaSeries returns I_x(a, b) and its derivatives in a and b from the
// series of DLMF 8.17.8. With t_n = Π_{k<n} (a+b+k) x / (a+1+k) and
// S = Σ t_n, log I = log x^a (1-x)^b / (a B(a,b)) + log S, so
// dI/da = I (log x - 1/a - ψ(a) + ψ(a+b) + S_a/S) and
// dI/db = I (log(1-x) - ψ(b) + ψ(a+b) + S_b/S), where S_a and S_b sum t_n
// times Σ_{k<n} (1-b)/((a+b+k)(a+1+k)) and Σ_{k<n} 1/(a+b+k). All of S,
// S_a, S_b are sums of one-signed terms; they are rescaled together when
// large because only their ratios and log S are used.
func incBetaSeries(a, b, x float64) (i, da, db float64) {
	t, s, sa, sb := 1.0, 1.0, 0.0, 0.0
	ca, cb := 0.0, 0.0 // Σ_{k<n} of the log-derivatives of t_n
	logScale := 0.0
	converged := false
	for k := 0.0; k < maxSeriesTerms; k++ {
		ca += (1 - b) / ((a + b + k) * (a + 1 + k))
		cb += 1 / (a + b + k)
		r := (a + b + k) * x / (a + 1 + k)
		t *= r
		s += t
		sa += t * ca
		sb += t * cb
		if s > 1e250 {
			t, s, sa, sb = t*1e-250, s*1e-250, sa*1e-250, sb*1e-250
			logScale += 250 * math.Ln10
		}
		// Later ratios lie between r and x, so the tail is at most
		// t q/(1-q) with q = max(r, x).
		if q := math.Max(r, x); q < 1 {
			tail := t * q / (1 - q)
			if tail <= 1e-17*s && math.Abs(tail*ca) <= 1e-17*math.Abs(sa) && tail*cb <= 1e-17*sb {
				converged = true
				break
			}
		}
	}
	if !converged {
		return math.NaN(), math.NaN(), math.NaN()
	}
	logI := a*math.Log(x) + b*math.Log1p(-x) - Lbeta(a, b) - math.Log(a) + math.Log(s) + logScale
	i = math.Exp(logI)
	// log x + ψ(a+b) - ψ(a) = log(x (a+b)/a) + (log a - ψ(a)) - (log(a+b) - ψ(a+b)),
	// so the large logs and digammas cancel before rounding.
	lab := logMinusDigamma(a + b)
	da = i * (logRatioSum(math.Log(x), x, b/a) + logMinusDigamma(a) - lab - 1/a + sa/s)
	db = i * (logRatioSum(math.Log1p(-x), 1-x, a/b) + logMinusDigamma(b) - lab + sb/s)
	return i, da, db
}

// GammaPDerivA returns d/da of the regularized lower incomplete gamma
// function P(a, x) (Stan's grad_reg_lower_inc_gamma). For x <= a+1 it
// differentiates the series P = x^a e^-x / Γ(a+1) Σ_n x^n / (a+1)_n
// (DLMF 8.7.1) term by term; otherwise it returns -d/da Q(a, x) from the
// differentiated continued fraction (Moore 1982, AS 187). NaN unless a > 0
// and x >= 0.
func GammaPDerivA(a, x float64) float64 {
	switch {
	case !(a > 0 && x >= 0) || math.IsInf(a, 1):
		return math.NaN()
	case x == 0 || math.IsInf(x, 1):
		return 0
	case x <= a+1:
		return gammaPSeriesDerivA(a, x)
	}
	return -gammaQFractionDerivA(a, x)
}

// GammaQDerivA returns d/da of the regularized upper incomplete gamma
// function Q(a, x) (Stan's grad_reg_inc_gamma), by the same methods as
// GammaPDerivA.
func GammaQDerivA(a, x float64) float64 {
	switch {
	case !(a > 0 && x >= 0) || math.IsInf(a, 1):
		return math.NaN()
	case x == 0 || math.IsInf(x, 1):
		return 0
	case x <= a+1:
		return -gammaPSeriesDerivA(a, x)
	}
	return gammaQFractionDerivA(a, x)
}

// gammaPSeriesDerivA differentiates P(a, x) = x^a e^-x / Γ(a+1) S with
// S = Σ t_n, t_n = Π_{k=1..n} x/(a+k): dP/da = P (log x - ψ(a+1) + S_a/S),
// S_a = -Σ t_n Σ_{k=1..n} 1/(a+k). For x <= a+1 the ratios x/(a+k) are
// below 1, so the terms only shrink.
func gammaPSeriesDerivA(a, x float64) float64 {
	t, s, sa, c := 1.0, 1.0, 0.0, 0.0
	converged := false
	for k := 1.0; k < maxSeriesTerms; k++ {
		r := x / (a + k)
		c += 1 / (a + k)
		t *= r
		s += t
		sa -= t * c
		if tail := t * r / (1 - r); tail <= 1e-17*s && tail*c <= -1e-17*sa {
			converged = true
			break
		}
	}
	if !converged {
		return math.NaN()
	}
	p := math.Exp(a*math.Log(x) - x - Lgamma(a+1) + math.Log(s))
	return p * (math.Log(x/(a+1)) + logMinusDigamma(a+1) + sa/s)
}

// gammaQFractionDerivA returns d/da Q(a, x) for x > a+1 from Legendre's
// continued fraction Γ(a,x) = e^-x x^a F, F = 1/(x+1-a- 1(1-a)/(x+3-a-
// 2(2-a)/(x+5-a- ...))) (DLMF 8.9.2): the convergents A_n/B_n and their
// a-derivatives obey the same three-term recurrences, so
// dQ/da = Q (log x - ψ(a) + F_a/F).
func gammaQFractionDerivA(a, x float64) float64 {
	// Convergent n: α_n = -(n-1)(n-1-a), β_n = x+2n-1-a; α_1 = 1.
	am2, am1, bm2, bm1 := 1.0, 0.0, 0.0, 1.0 // A_{n-2}, A_{n-1}, B_{n-2}, B_{n-1}
	dam2, dam1, dbm2, dbm1 := 0.0, 0.0, 0.0, 0.0
	f, df := 0.0, 0.0
	converged := false
	for n := 1.0; n < maxSeriesTerms; n++ {
		alpha, beta := -(n-1)*(n-1-a), x+2*n-1-a
		if n == 1 {
			alpha = 1
		}
		dalpha := n - 1
		an := beta*am1 + alpha*am2
		bn := beta*bm1 + alpha*bm2
		dan := -am1 + beta*dam1 + dalpha*am2 + alpha*dam2
		dbn := -bm1 + beta*dbm1 + dalpha*bm2 + alpha*dbm2
		am2, am1, bm2, bm1 = am1, an, bm1, bn
		dam2, dam1, dbm2, dbm1 = dam1, dan, dbm1, dbn
		if s := math.Abs(bn); s > 1e100 {
			am2, am1, bm2, bm1 = am2/s, am1/s, bm2/s, bm1/s
			dam2, dam1, dbm2, dbm1 = dam2/s, dam1/s, dbm2/s, dbm1/s
		}
		fn := am1 / bm1
		dfn := (dam1 - fn*dbm1) / bm1
		if n > 1 && math.Abs(fn-f) <= 1e-15*math.Abs(fn) && math.Abs(dfn-df) <= 1e-15*math.Abs(dfn) {
			f, df, converged = fn, dfn, true
			break
		}
		f, df = fn, dfn
	}
	if !converged {
		return math.NaN()
	}
	q := math.Exp(a*math.Log(x) - x - Lgamma(a) + math.Log(f))
	return q * (math.Log(x/a) + logMinusDigamma(a) + df/f)
}

package mathx

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// GammaP returns the regularized lower incomplete gamma function P(a, x)
// (gonum's Cephes igam); NaN unless a > 0 and x >= 0.
func GammaP(a, x float64) float64 {
	if !(a > 0 && x >= 0) || math.IsInf(a, 1) {
		return math.NaN()
	}
	// Cephes can overshoot 1 by a few ulps for tiny a.
	return math.Min(mathext.GammaIncReg(a, x), 1)
}

// GammaQ returns the regularized upper incomplete gamma function Q(a, x)
// (gonum's Cephes igamc); NaN unless a > 0 and x >= 0.
func GammaQ(a, x float64) float64 {
	if !(a > 0 && x >= 0) || math.IsInf(a, 1) {
		return math.NaN()
	}
	return math.Min(mathext.GammaIncRegComp(a, x), 1)
}

// maxSeriesTerms bounds the series and continued fractions below; they need
// O(sqrt(a)) terms near the centre of the distribution, so this only stops
// runaway loops for parameters near 1e12 and beyond.
const maxSeriesTerms = 1000000

// IncBeta returns the regularized incomplete beta function I_x(a, b) by the
// continued fraction of DLMF 8.17.22 (incBetaFraction) on the side of
// I_x(a,b) = 1 - I_{1-x}(b,a) where it converges quickly, with the power
// prefactor from logBetaPowers (gonum's Cephes incbet only where the
// fraction does not converge); NaN unless a, b > 0 and 0 <= x <= 1.
func IncBeta(a, b, x float64) float64 {
	if !(a > 0 && b > 0 && x >= 0 && x <= 1) || math.IsInf(a, 1) || math.IsInf(b, 1) {
		return math.NaN()
	}
	if x == 0 || x == 1 {
		return x
	}
	lx, l1mx := math.Log(x), math.Log1p(-x)
	lpow := logBetaPowers(a, b, x, lx, l1mx)
	if x < (a+1)/(a+b+2) {
		if i := incBetaFraction(a, b, x, lpow); !math.IsNaN(i) {
			return i
		}
		return mathext.RegIncBeta(a, b, x) // parameters beyond about 1e12
	}
	j := incBetaFraction(b, a, 1-x, lpow)
	if math.IsNaN(j) {
		return mathext.RegIncBeta(a, b, x)
	}
	// 1 - j cancels when j is near 1 (b small), losing about
	// log10(1/(1-j)) digits: sum the series for I_x(a, b) instead when it
	// is not too long for the digits it saves.
	if cost := incBetaSeriesCost(a, b, x); j > 0.9 && cost < 2e4 || j > 0.999 && cost < maxSeriesTerms {
		if i, _, _ := incBetaSide(a, b, x, lx, l1mx, lpow, false); !math.IsNaN(i) {
			return i
		}
	}
	return 1 - j
}

// IncBetaDerivs returns the partial derivatives of the regularized
// incomplete beta function I_x(a, b) with respect to a and b (d/dx is
// IncBetaDerivX), differentiating the series of DLMF 8.17.8 term by term
// (see incBetaSide), the approach of Stan math's inc_beta_dda/inc_beta_ddb.
// NaN unless a, b > 0 and 0 <= x <= 1, or if the series needs more than a
// million terms (a and b beyond about 1e9 with x near the mean).
func IncBetaDerivs(a, b, x float64) (da, db float64) {
	if !(a > 0 && b > 0 && x >= 0 && x <= 1) || math.IsInf(a, 1) || math.IsInf(b, 1) {
		return math.NaN(), math.NaN()
	}
	if x == 0 || x == 1 {
		return 0, 0
	}
	lx, l1mx := math.Log(x), math.Log1p(-x)
	lpow := logBetaPowers(a, b, x, lx, l1mx)
	// The derivatives are I times a sum that cancels when I is near 1,
	// losing about log10(1/(1-I)) digits, so then the other side's series
	// is summed if it is not too long for the digits it saves.
	direct, swapped := incBetaSeriesCost(a, b, x), incBetaSeriesCost(b, a, 1-x)
	i, da, db := incBetaDerivSide(a, b, x, lx, l1mx, lpow, swapped < direct)
	other := math.Max(direct, swapped)
	if i > 0.9 && other < 2e4 || i > 0.999 && other < maxSeriesTerms {
		if j, ja, jb := incBetaDerivSide(a, b, x, lx, l1mx, lpow, swapped >= direct); !math.IsNaN(j) {
			da, db = ja, jb
		}
	}
	return da, db
}

// logBetaPowers returns log(x^a (1-x)^b / B(a, b)) given lx = log x and
// l1mx = log(1-x). When a and b are both large the terms a log x and
// log B(a, b) are huge and nearly cancel, so it is rewritten with Lbeta's
// Stirling form as a log1p(e/a) + b log1p(-e/b) + log(ab/s)/2 - log(2π)/2
// - (δ(a) + δ(b) - δ(s)), where s = a+b and e = xs - a is formed exactly
// enough by FMA and the rounding error of s.
func logBetaPowers(a, b, x, lx, l1mx float64) float64 {
	if math.Min(a, b) < 10 {
		return a*lx + b*l1mx - Lbeta(a, b)
	}
	s := a + b
	bv := s - a
	serr := (a - (s - bv)) + (b - bv)
	e := math.FMA(x, s, -a) + x*serr // serr is the rounding error of s (TwoSum)
	// log(xs/a) = log1p(e/a), unless e/a is near -1 where 1 + e/a has lost
	// digits and lx + log(s/a) is better; likewise for log((1-x)s/b).
	la, lb := lx+math.Log(s/a), l1mx+math.Log(s/b)
	if e > -0.5*a {
		la = math.Log1p(e / a)
	}
	if e < 0.5*b {
		lb = math.Log1p(-e / b)
	}
	d := lgammaStirlingDiff(a) + lgammaStirlingDiff(b) - lgammaStirlingDiff(s)
	return a*la + b*lb + 0.5*(math.Log(a/s)+math.Log(b)) - HalfLog2Pi - d
}

// incBetaDerivSide returns the value and the a- and b-derivatives of
// I_x(a, b) (swap false) or of I_{1-x}(b, a) = 1 - I_x(a, b) (swap true),
// with the derivatives mapped back to those of I_x(a, b).
func incBetaDerivSide(a, b, x, lx, l1mx, lpow float64, swap bool) (i, da, db float64) {
	if swap {
		i, db, da = incBetaSide(b, a, 1-x, l1mx, lx, lpow, true)
		return i, -da, -db
	}
	return incBetaSide(a, b, x, lx, l1mx, lpow, true)
}

// incBetaSeriesCost estimates how many terms incBetaSide needs: the terms
// grow until (a+b+k)x = a+1+k and then shrink at a rate tending to x.
func incBetaSeriesCost(a, b, x float64) float64 {
	peak := math.Max(0, ((a+b)*x-a-1)/(1-x))
	return peak + 40/-math.Log(x)
}

// incBetaSide returns I_x(a, b), and if derivs its derivatives in a and b,
// from the series of DLMF 8.17.8, given lx = log x, l1mx = log(1-x) and
// lpow = logBetaPowers(a, b, x) (which is symmetric under a↔b, x↔1-x).
// With t_n = Π_{k<n} (a+b+k) x / (a+1+k) and S = Σ t_n,
// I = e^lpow S / a, so
// dI/da = I (log x - 1/a - ψ(a) + ψ(a+b) + S_a/S) and
// dI/db = I (log(1-x) - ψ(b) + ψ(a+b) + S_b/S), where S_a and S_b sum t_n
// times Σ_{k<n} (1-b)/((a+b+k)(a+1+k)) and Σ_{k<n} 1/(a+b+k). All of S,
// S_a, S_b are sums of one-signed terms; they are rescaled together when
// large because only their ratios and log S are used.
func incBetaSide(a, b, x, lx, l1mx, lpow float64, derivs bool) (i, da, db float64) {
	t, s, sa, sb := 1.0, 1.0, 0.0, 0.0
	ca, cb := 0.0, 0.0 // Σ_{k<n} of the log-derivatives of t_n
	logScale := 0.0
	converged := false
	for k := 0.0; k < maxSeriesTerms; k++ {
		u, v := 1/(a+b+k), 1/(a+1+k)
		r := x * (a + b + k) * v
		t *= r
		s += t
		if derivs {
			ca += (1 - b) * u * v
			cb += u
			sa += t * ca
			sb += t * cb
		}
		if s > 1e250 {
			t, s, sa, sb = t*1e-250, s*1e-250, sa*1e-250, sb*1e-250
			logScale += 250 * math.Ln10
		}
		// Later ratios lie between r and x, so the tail is at most
		// t q/(1-q) with q = max(r, x).
		if q := math.Max(r, x); q < 1 {
			tail, eps := t*q, 1e-17*(1-q)
			if tail <= eps*s && math.Abs(tail*ca) <= eps*math.Abs(sa) && tail*cb <= eps*sb {
				converged = true
				break
			}
		}
	}
	if !converged {
		return math.NaN(), math.NaN(), math.NaN()
	}
	i = math.Exp(lpow - math.Log(a) + math.Log(s) + logScale)
	if !derivs {
		return i, 0, 0
	}
	// log x + ψ(a+b) - ψ(a) = log(x (a+b)/a) + (log a - ψ(a)) - (log(a+b) - ψ(a+b)),
	// so the large logs and digammas cancel before rounding.
	lab := logMinusDigamma(a + b)
	da = i * (logRatioSum(lx, x, b/a) + logMinusDigamma(a) - lab - 1/a + sa/s)
	db = i * (logRatioSum(l1mx, 1-x, a/b) + logMinusDigamma(b) - lab + sb/s)
	return i, da, db
}

// GammaPDerivA returns d/da of the regularized lower incomplete gamma
// function P(a, x) (Stan's grad_reg_lower_inc_gamma). For x <= a+1 it
// differentiates the series P = x^a e^-x / Γ(a+1) Σ_n x^n / (a+1)_n
// (DLMF 8.7.1) term by term; otherwise it returns -d/da Q(a, x) from the
// differentiated continued fraction (Moore 1982, AS 187). NaN unless a > 0
// and x >= 0, or if a is beyond about 1e10 with x near a.
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
	p := math.Exp(logGammaPowers(a, x) + math.Log(s))
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
	q := math.Exp(logGammaPowers(a, x) + math.Log(a) + math.Log(f))
	return q * (math.Log(x/a) + logMinusDigamma(a) + df/f)
}

// incBetaFraction returns I_x(a, b) = e^lpow / (a (1 + d1/(1 + d2/(1 + ...))))
// with d_{2m+1} = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
// d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)) (DLMF 8.17.22), by the modified Lentz
// method; it converges quickly for x < (a+1)/(a+b+2). NaN if it does not
// converge.
func incBetaFraction(a, b, x, lpow float64) float64 {
	const tiny = 1e-300
	f, c, d := 1.0, 1.0, 0.0
	for m := 0.0; m < maxSeriesTerms; m++ {
		for _, dj := range [2]float64{
			-(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1)),
			(m + 1) * (b - m - 1) * x / ((a + 2*m + 1) * (a + 2*m + 2)),
		} {
			d = 1 + dj*d
			if math.Abs(d) < tiny {
				d = tiny
			}
			c = 1 + dj/c
			if math.Abs(c) < tiny {
				c = tiny
			}
			d = 1 / d
			f *= c * d
		}
		if math.Abs(c*d-1) < 1e-16 {
			return math.Exp(lpow - math.Log(a) - math.Log(f))
		}
	}
	return math.NaN()
}

// IncBetaDerivX returns d/dx I_x(a, b), the beta density
// x^(a-1) (1-x)^(b-1) / B(a, b), with the prefactor of logBetaPowers.
func IncBetaDerivX(a, b, x float64) float64 {
	switch {
	case !(a > 0 && b > 0 && x >= 0 && x <= 1) || math.IsInf(a, 1) || math.IsInf(b, 1):
		return math.NaN()
	case x == 0:
		return edgeDensity(a, b)
	case x == 1:
		return edgeDensity(b, a)
	}
	lx, l1mx := math.Log(x), math.Log1p(-x)
	return math.Exp(logBetaPowers(a, b, x, lx, l1mx) - lx - l1mx)
}

// edgeDensity returns the beta(a, b) density at 0: 0, b or +Inf for a
// above, at or below 1.
func edgeDensity(a, b float64) float64 {
	switch {
	case a > 1:
		return 0
	case a == 1:
		return b
	}
	return math.Inf(1)
}

// GammaPDerivX returns d/dx P(a, x), the gamma density x^(a-1) e^-x / Γ(a),
// with the prefactor of logGammaPowers.
func GammaPDerivX(a, x float64) float64 {
	switch {
	case !(a > 0 && x >= 0) || math.IsInf(a, 1):
		return math.NaN()
	case math.IsInf(x, 1):
		return 0
	case x == 0:
		return edgeDensity(a, 1)
	}
	return math.Exp(logGammaPowers(a, x) + math.Log(a/x))
}

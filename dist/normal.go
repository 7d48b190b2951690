package dist

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// NormalLpdf returns the log of the normal density of y with location mu
// and scale sigma, summed over the vectorised arguments.
func NormalLpdf(t *ad.Tape, propto bool, y, mu, sigma []ad.Var) (ad.Var, error) {
	const fn = "normal_lpdf"
	Y, M, S := newArg(argY, y), newArg(argLocation, mu), newArg(argScale, sigma)
	n, err := size(fn, &Y, &M, &S)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	if err := checkNormal(fn, &Y, &M, &S); err != nil {
		return ad.Var{}, err
	}
	if propto && !anyVarying(&Y, &M, &S) {
		return ad.Var{}, nil
	}
	b := t.Begin()
	lp := 0.0
	// log(sigma) is a constant under propto unless sigma varies; for a
	// scalar sigma it is one log for all n terms.
	logSigma := !propto || S.varying
	if logSigma && S.scalar {
		lp -= float64(n) * math.Log(S.val(0))
		logSigma = false
	}
	for i := range n {
		s := S.val(i)
		z := (Y.val(i) - M.val(i)) / s
		lp -= 0.5 * z * z
		if logSigma {
			lp -= math.Log(s)
		}
		Y.d(&b, i, -z/s)
		M.d(&b, i, z/s)
		S.d(&b, i, (z*z-1)/s)
	}
	if !propto {
		lp -= float64(n) * logSqrt2Pi
	}
	Y.flush(&b)
	M.flush(&b)
	S.flush(&b)
	return b.End(lp), nil
}

func checkNormal(fn string, y, mu, sigma *arg) error {
	if err := check(fn, y, ruleNotNaN, isNotNaN); err != nil {
		return err
	}
	if err := check(fn, mu, ruleFinite, isFinite); err != nil {
		return err
	}
	return check(fn, sigma, rulePosFinite, isPositiveFinite)
}

// NormalLcdf returns the log of the normal CDF of y, summed.
func NormalLcdf(t *ad.Tape, y, mu, sigma []ad.Var) (ad.Var, error) {
	return normalTail(t, "normal_lcdf", y, mu, sigma, false)
}

// NormalLccdf returns the log of the normal complementary CDF of y, summed.
func NormalLccdf(t *ad.Tape, y, mu, sigma []ad.Var) (ad.Var, error) {
	return normalTail(t, "normal_lccdf", y, mu, sigma, true)
}

// NormalCdf returns the product of the normal CDFs of y.
func NormalCdf(t *ad.Tape, y, mu, sigma []ad.Var) (ad.Var, error) {
	lc, err := normalTail(t, "normal_cdf", y, mu, sigma, false)
	if err != nil {
		return ad.Var{}, err
	}
	return t.Exp(lc), nil
}

// normalTail sums log Φ(z) (or log Φ(-z) for the upper tail) over the
// elements, z = (y - mu)/sigma. d/dz log Φ(z) = φ(z)/Φ(z), computed in logs
// so it stays finite far in the tails.
func normalTail(t *ad.Tape, fn string, y, mu, sigma []ad.Var, upper bool) (ad.Var, error) {
	Y, M, S := newArg(argY, y), newArg(argLocation, mu), newArg(argScale, sigma)
	n, err := size(fn, &Y, &M, &S)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	if err := checkNormal(fn, &Y, &M, &S); err != nil {
		return ad.Var{}, err
	}
	b := t.Begin()
	lp := 0.0
	for i := range n {
		s := S.val(i)
		z := (Y.val(i) - M.val(i)) / s
		if upper {
			z = -z
		}
		lPhi := logPhi(z)
		lp += lPhi
		dz := math.Exp(-0.5*z*z-logSqrt2Pi-lPhi) / s // d/dy of log Φ(z) for the lower tail
		if upper {
			dz = -dz
		}
		Y.d(&b, i, dz)
		M.d(&b, i, -dz)
		S.d(&b, i, -dz*(Y.val(i)-M.val(i))/s)
	}
	Y.flush(&b)
	M.flush(&b)
	S.flush(&b)
	return b.End(lp), nil
}

// logPhi returns log Φ(z), accurate in the lower tail through erfc.
func logPhi(z float64) float64 {
	if z > 5 {
		return math.Log1p(-0.5 * math.Erfc(z/math.Sqrt2))
	}
	return math.Log(mathx.Phi(z))
}

// NormalRng draws from normal(mu, sigma).
func NormalRng(r *rand.Rand, mu, sigma float64) (float64, error) {
	const fn = "normal_rng"
	if !isFinite(mu) {
		return 0, &DomainError{fn, argLocation.String(), 0, mu, ruleFinite}
	}
	if !isPositiveFinite(sigma) {
		return 0, &DomainError{fn, argScale.String(), 0, sigma, rulePosFinite}
	}
	return mu + sigma*r.NormFloat64(), nil
}

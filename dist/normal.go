package dist

import (
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// NormalLpdf returns the log of the normal density of y with location mu
// and scale sigma, summed over the vectorised arguments.
//
// It is the commonest density of Stan programs, so it has its own driver:
// one pass computes the sum and writes each vector argument's partials
// straight onto the tape, log(sigma) is taken once for a scalar sigma,
// and the support checks ride along, the ordered checks reporting the
// first bad element only when one fails.
func NormalLpdf(t *ad.Tape, propto bool, y, mu, sigma []ad.Var) (ad.Var, error) {
	const fn = "normal_lpdf"
	Y, M, S := newArg(argY, y), newArg(argLocation, mu), newArg(argScale, sigma)
	n, err := size(fn, &Y, &M, &S)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	if propto && !anyVarying(&Y, &M, &S) {
		return ad.Var{}, checkNormal(fn, &Y, &M, &S)
	}
	b := t.Begin()
	var lp float64
	var ok bool
	if S.scalar {
		lp, ok = normalScalarScale(&b, propto, n, &Y, &M, &S)
	} else {
		lp, ok = normalVectorScale(&b, propto, n, &Y, &M, &S)
	}
	if !ok {
		b.Cancel()
		return ad.Var{}, checkNormal(fn, &Y, &M, &S)
	}
	if !propto {
		lp -= float64(n) * logSqrt2Pi
	}
	return b.End(lp), nil
}

// stride is 0 for a broadcast scalar and 1 for a vector.
func (a *arg) stride() int {
	if a.scalar {
		return 0
	}
	return 1
}

// partials returns the tape's partials of a varying vector argument, nil
// for a scalar or a constant.
func (a *arg) partials(b *ad.Builder) []float64 {
	if a.scalar || !a.varying {
		return nil
	}
	return b.AddVars(a.v)
}

// normalScalarScale is the normal density's pass for a scalar sigma: with
// z = (y - mu)/sigma, the partials are -z/sigma and z/sigma, and sigma's
// is (Σz² - n)/sigma. It reports false when an argument is out of its
// support, having recorded nothing the caller cannot cancel.
func normalScalarScale(b *ad.Builder, propto bool, n int, Y, M, S *arg) (float64, bool) {
	s := S.v[0].Val
	if !isPositiveFinite(s) {
		return 0, false
	}
	if b.Tape() != nil {
		b.Grow(len(Y.v) + len(M.v) + 1)
	}
	dy, dm := Y.partials(b), M.partials(b)
	inv := 1 / s
	ys, ms := Y.stride(), M.stride()
	yv, mv := Y.v, M.v
	var sz, sz2 float64
	for i := range n {
		yi, mi := yv[i*ys].Val, mv[i*ms].Val
		if yi != yi || mi-mi != 0 { // y NaN, mu infinite or NaN
			return 0, false
		}
		z := (yi - mi) * inv
		sz += z
		sz2 += z * z
		if dy != nil {
			dy[i] = -z * inv
		}
		if dm != nil {
			dm[i] = z * inv
		}
	}
	lp := -0.5 * sz2
	if Y.scalar && Y.varying {
		b.Add(Y.v[0], -sz*inv)
	}
	if M.scalar && M.varying {
		b.Add(M.v[0], sz*inv)
	}
	if S.varying {
		b.Add(S.v[0], (sz2-float64(n))*inv)
	}
	if !propto || S.varying {
		lp -= float64(n) * math.Log(s)
	}
	return lp, true
}

// normalVectorScale is the normal density's pass for a vector sigma.
func normalVectorScale(b *ad.Builder, propto bool, n int, Y, M, S *arg) (float64, bool) {
	if b.Tape() != nil {
		b.Grow(len(Y.v) + len(M.v) + len(S.v))
	}
	dy, dm, ds := Y.partials(b), M.partials(b), S.partials(b)
	logSigma := !propto || S.varying
	ys, ms := Y.stride(), M.stride()
	yv, mv, sv := Y.v, M.v, S.v[:n]
	var lp, sdy float64
	for i := range n {
		yi, mi, si := yv[i*ys].Val, mv[i*ms].Val, sv[i].Val
		if yi != yi || mi-mi != 0 || !(si > 0) || math.IsInf(si, 1) {
			return 0, false
		}
		inv := 1 / si
		z := (yi - mi) * inv
		lp -= 0.5 * z * z
		if logSigma {
			lp -= math.Log(si)
		}
		d := z * inv
		sdy += d
		if dy != nil {
			dy[i] = -d
		}
		if dm != nil {
			dm[i] = d
		}
		if ds != nil {
			ds[i] = (z*z - 1) * inv
		}
	}
	if Y.scalar && Y.varying {
		b.Add(Y.v[0], -sdy)
	}
	if M.scalar && M.varying {
		b.Add(M.v[0], sdy)
	}
	return lp, true
}

// StdNormalLpdf is StdNormal's density, summed over y, in one pass with
// its partials -y written straight onto the tape.
func StdNormalLpdf(t *ad.Tape, propto bool, y []ad.Var) (ad.Var, error) {
	const fn = "std_normal_lpdf"
	Y := newArg(argY, y)
	if len(y) == 0 {
		return ad.Var{}, nil
	}
	if propto && !Y.varying {
		return ad.Var{}, check(fn, &Y, ruleNotNaN, isNotNaN)
	}
	b := t.Begin()
	var dy []float64
	if Y.varying {
		dy = b.AddVars(y)
	}
	var sy2 float64
	for i, x := range y {
		v := x.Val
		if v != v {
			b.Cancel()
			return ad.Var{}, check(fn, &Y, ruleNotNaN, isNotNaN)
		}
		sy2 += v * v
		if dy != nil {
			dy[i] = -v
		}
	}
	lp := -0.5 * sy2
	if !propto {
		lp -= float64(len(y)) * logSqrt2Pi
	}
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

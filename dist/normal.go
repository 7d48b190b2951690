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
// and the support checks ride along, the ordered checks of the generic
// driver reporting the first bad element only when one fails.
func NormalLpdf(t *ad.Tape, propto bool, y, mu, sigma []ad.Var) (ad.Var, error) {
	n := normalSize(len(y), len(mu), len(sigma))
	if n <= 0 {
		// Sizes that disagree or an empty argument: the generic rules.
		Y, M, S := newArg(argY, y), newArg(argLocation, mu), newArg(argScale, sigma)
		_, err := size("normal_lpdf", &Y, &M, &S)
		return ad.Var{}, err
	}
	vy, vm, vs := ad.AnyVar(y), ad.AnyVar(mu), ad.AnyVar(sigma)
	if propto && !vy && !vm && !vs {
		return ad.Var{}, normalError(y, mu, sigma)
	}
	b := t.Begin()
	if t != nil {
		b.Grow(len(y) + len(mu) + len(sigma))
	}
	var lp float64
	var ok bool
	if len(sigma) == 1 {
		lp, ok = normalScalarScale(&b, propto, n, y, mu, sigma[0], vy, vm)
	} else {
		lp, ok = normalVectorScale(&b, propto, n, y, mu, sigma, vy, vm, vs)
	}
	if !ok {
		b.Cancel()
		return ad.Var{}, normalError(y, mu, sigma)
	}
	if !propto {
		lp -= float64(n) * mathx.HalfLog2Pi
	}
	return b.End(lp), nil
}

// normalSize is the common length of arguments of lengths a, b and c when
// each is 1 or that length, else 0 (an empty argument or a mismatch).
func normalSize(a, b, c int) int {
	n := max(a, b, c)
	if (a != 1 && a != n) || (b != 1 && b != n) || (c != 1 && c != n) || min(a, b, c) == 0 {
		return 0
	}
	return n
}

// normalError is the generic driver's error for the normal density's
// arguments: the first bad element of y, then of mu, then of sigma.
func normalError(y, mu, sigma []ad.Var) error {
	Y, M, S := newArg(argY, y), newArg(argLocation, mu), newArg(argScale, sigma)
	return checkNormal("normal_lpdf", &Y, &M, &S)
}

// stride is 0 for a broadcast scalar (one element) and 1 for a vector.
func stride(v []ad.Var) int {
	if len(v) == 1 {
		return 0
	}
	return 1
}

// vectorPartials returns the tape's partials of a varying vector
// argument, nil for a scalar or a constant.
func vectorPartials(b *ad.Builder, v []ad.Var, vary bool) []float64 {
	if len(v) == 1 || !vary {
		return nil
	}
	return b.AddVars(v)
}

// normalScalarScale is the normal density's pass for a scalar sigma: with
// z = (y - mu)/sigma, the partials are -z/sigma and z/sigma, and sigma's
// is (Σz² - n)/sigma. It reports false when an argument is out of its
// support, having recorded nothing the caller cannot cancel.
func normalScalarScale(b *ad.Builder, propto bool, n int, y, mu []ad.Var, sigma ad.Var, vy, vm bool) (float64, bool) {
	s := sigma.Val
	if !isPositiveFinite(s) {
		return 0, false
	}
	dy, dm := vectorPartials(b, y, vy), vectorPartials(b, mu, vm)
	inv := 1 / s
	ys, ms := stride(y), stride(mu)
	var sz, sz2 float64
	for i := range n {
		yi, mi := y[i*ys].Val, mu[i*ms].Val
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
	if len(y) == 1 && vy {
		b.Add(y[0], -sz*inv)
	}
	if len(mu) == 1 && vm {
		b.Add(mu[0], sz*inv)
	}
	if !sigma.IsConst() {
		b.Add(sigma, (sz2-float64(n))*inv)
	}
	if !propto || !sigma.IsConst() {
		lp -= float64(n) * math.Log(s)
	}
	return lp, true
}

// normalVectorScale is the normal density's pass for a vector sigma.
func normalVectorScale(b *ad.Builder, propto bool, n int, y, mu, sigma []ad.Var, vy, vm, vs bool) (float64, bool) {
	dy, dm, ds := vectorPartials(b, y, vy), vectorPartials(b, mu, vm), vectorPartials(b, sigma, vs)
	logSigma := !propto || vs
	ys, ms := stride(y), stride(mu)
	sigma = sigma[:n]
	var lp, sdy float64
	for i := range n {
		yi, mi, si := y[i*ys].Val, mu[i*ms].Val, sigma[i].Val
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
	if len(y) == 1 && vy {
		b.Add(y[0], -sdy)
	}
	if len(mu) == 1 && vm {
		b.Add(mu[0], sdy)
	}
	return lp, true
}

// StdNormalLpdf is StdNormal's density, summed over y, in one pass with
// its partials -y written straight onto the tape.
func StdNormalLpdf(t *ad.Tape, propto bool, y []ad.Var) (ad.Var, error) {
	if len(y) == 0 {
		return ad.Var{}, nil
	}
	vy := ad.AnyVar(y)
	if propto && !vy {
		return ad.Var{}, stdNormalError(y)
	}
	b := t.Begin()
	var dy []float64
	if vy {
		dy = b.AddVars(y)
	}
	var sy2 float64
	for i, x := range y {
		v := x.Val
		if v != v {
			b.Cancel()
			return ad.Var{}, stdNormalError(y)
		}
		sy2 += v * v
		if dy != nil {
			dy[i] = -v
		}
	}
	lp := -0.5 * sy2
	if !propto {
		lp -= float64(len(y)) * mathx.HalfLog2Pi
	}
	return b.End(lp), nil
}

// stdNormalError is the generic driver's error for std_normal's variate.
func stdNormalError(y []ad.Var) error {
	Y := newArg(argY, y)
	return check("std_normal_lpdf", &Y, ruleNotNaN, isNotNaN)
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
		dz := math.Exp(-0.5*z*z-mathx.HalfLog2Pi-lPhi) / s // d/dy of log Φ(z) for the lower tail
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

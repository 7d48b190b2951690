package dist

import (
	"fmt"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// studentTCDF returns F(y) and the density f(y) of a Student-t.
func studentTCDF(y, nu, mu, s float64) (cdf, pdf float64) {
	z := (y - mu) / s
	x := nu / (nu + z*z)
	half := 0.5 * mathx.IncBeta(nu/2, 0.5, x)
	cdf = half
	if z > 0 {
		cdf = 1 - half
	}
	lpdf := mathx.Lgamma((nu+1)/2) - mathx.Lgamma(nu/2) - 0.5*math.Log(nu*math.Pi) - math.Log(s) - (nu+1)/2*math.Log1p(z*z/nu)
	return cdf, math.Exp(lpdf)
}

// StudentTLcdf is Σ log F(y) of Student-t distributions. The degrees of
// freedom must be constant: their derivative is not implemented.
func StudentTLcdf(t *ad.Tape, y, nu, mu, sigma []ad.Var) (ad.Var, error) {
	return studentTTail(t, "student_t_lcdf", y, nu, mu, sigma, false)
}

// StudentTLccdf is Σ log(1 - F(y)).
func StudentTLccdf(t *ad.Tape, y, nu, mu, sigma []ad.Var) (ad.Var, error) {
	return studentTTail(t, "student_t_lccdf", y, nu, mu, sigma, true)
}

func studentTTail(t *ad.Tape, fn string, y, nu, mu, sigma []ad.Var, upper bool) (ad.Var, error) {
	Y, N, M, S := newArg(argY, y), newArg(argDOF, nu), newArg(argLocation, mu), newArg(argScale, sigma)
	n, err := size(fn, &Y, &N, &M, &S)
	if err != nil || n == 0 {
		return ad.Var{}, err
	}
	for _, c := range []struct {
		a    *arg
		rule rule
	}{{&Y, notNaN}, {&N, posFinite}, {&M, finite}, {&S, posFinite}} {
		if err := check(fn, c.a, c.rule.text, c.rule.ok); err != nil {
			return ad.Var{}, err
		}
	}
	if N.varying {
		return ad.Var{}, fmt.Errorf("%s: the derivative with respect to the degrees of freedom is not supported yet", fn)
	}
	b := t.Begin()
	lp := 0.0
	for i := range n {
		yv, s := Y.val(i), S.val(i)
		cdf, pdf := studentTCDF(yv, N.val(i), M.val(i), s)
		p, sign := cdf, 1.0
		if upper {
			p, sign = 1-cdf, -1.0
		}
		lp += math.Log(p)
		d := sign * pdf / p // d log p / dy
		z := (yv - M.val(i)) / s
		Y.d(&b, i, d)
		M.d(&b, i, -d)
		S.d(&b, i, -d*z)
	}
	Y.flush(&b)
	M.flush(&b)
	S.flush(&b)
	return b.End(lp), nil
}

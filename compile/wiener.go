package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// The Wiener first passage time distribution, all its forms (dist's
// wiener.go and wiener_full.go): the density with 4, 5 or 7 parameters,
// the last two with an optional precision, and the unnormalised CDFs
// wiener_lcdf_unnorm and wiener_lccdf_unnorm with 4 or 7 parameters and
// an optional precision. Stan's default precisions are 1e-4 for the
// density and 1e-8 for the CDFs; dist computes tighter than either.

// wienerZero stands for a variability a shorter form leaves out; it is
// only read.
var wienerZero = []ad.Var{ad.Const(0)}

// wienerArgs compiles the arguments (y, α, τ, β, δ[, s_δ[, s_β, s_τ]][,
// precision]) of a call with n7 the number of model arguments the form
// has before its precision (5, 6 or 8) and returns a function of them.
func wienerArgs(c *compiler, a []cexpr, n7 int, defPrec float64) func(e *env) (xs [8][]ad.Var, prec float64) {
	var fs [8]func(*env) []ad.Var
	for i := range fs {
		if i < n7 {
			fs[i] = asVector(c, a[i])
		} else {
			fs[i] = func(*env) []ad.Var { return wienerZero }
		}
	}
	var precF func(*env) ad.Var
	if len(a) > n7 {
		precF = a[n7].real()
	}
	return func(e *env) (xs [8][]ad.Var, prec float64) {
		for i, f := range fs {
			xs[i] = f(e)
		}
		prec = defPrec
		if precF != nil {
			prec = precF(e).Val
		}
		return xs, prec
	}
}

// wienerDensity is the family: the 4-parameter density as it always was,
// the others through the 7-parameter one.
func wienerDensity() density {
	return density{build: func(c *compiler, a []cexpr, propto bool, pos token.Position) func(*env) ad.Var {
		ok := mustAt(pos)
		if len(a) == 5 {
			y, al, tau, be, de := asVector(c, a[0]), asVector(c, a[1]), asVector(c, a[2]), asVector(c, a[3]), asVector(c, a[4])
			return func(e *env) ad.Var { return ok(dist.WienerLpdf(e.t, propto, y(e), al(e), tau(e), be(e), de(e))) }
		}
		n := 6 // 5 parameters, with or without precision
		if len(a) >= 8 {
			n = 8
		}
		args := wienerArgs(c, a, n, 1e-4)
		return func(e *env) ad.Var {
			x, prec := args(e)
			return ok(dist.WienerFull(e.t, dist.WienerPDF, propto, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], prec))
		}
	}}
}

// addWiener defines the unnormalised CDFs, functions of Stan's rather
// than forms of the family: their CDF tends to the probability of the
// upper boundary, not to 1.
func (l *library) addWiener() {
	for name, kind := range map[string]dist.WienerKind{"wiener_lcdf_unnorm": dist.WienerCDF, "wiener_lccdf_unnorm": dist.WienerCCDF} {
		l.fn(name, func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
			n := 5 // 4 parameters, with or without precision
			if len(a) >= 8 {
				n = 8
			}
			args, ok := wienerArgs(c, a, n, 1e-8), mustAt(pos)
			return cexpr{t: t, r: func(e *env) ad.Var {
				x, prec := args(e)
				return ok(dist.WienerFull(e.t, kind, false, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], prec))
			}}, nil
		})
	}
}

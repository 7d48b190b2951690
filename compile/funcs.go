package compile

import (
	"fmt"
	"math"
	"sort"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// builtin compiles a call of a library function with checked argument
// types; t is the result type.
type builtin func(c *compiler, args []cexpr, t types.Type, pos token.Position) (cexpr, error)

var negInf = math.Inf(-1)

// scalarUnary and scalarBinary are the real functions of one and two reals
// (vectorised by addScalarFuncs), by their Stan names; the ODE solvers' straight-line
// right-hand sides (ode_rhs.go) call them too.
var scalarUnary = map[string]func(*ad.Tape, ad.Var) ad.Var{
	"exp": (*ad.Tape).Exp, "log": (*ad.Tape).Log, "sqrt": (*ad.Tape).Sqrt, "cbrt": (*ad.Tape).Cbrt,
	"square": (*ad.Tape).Square, "exp2": (*ad.Tape).Exp2, "expm1": (*ad.Tape).Expm1,
	"log2": (*ad.Tape).Log2, "log10": (*ad.Tape).Log10, "log1p": (*ad.Tape).Log1p, "log1m": (*ad.Tape).Log1m,
	"log1p_exp": (*ad.Tape).Log1pExp, "log1m_exp": (*ad.Tape).Log1mExp, "inv_logit": (*ad.Tape).InvLogit,
	"logit": (*ad.Tape).Logit, "log_inv_logit": (*ad.Tape).LogInvLogit, "log1m_inv_logit": (*ad.Tape).Log1mInvLogit,
	"inv_cloglog": (*ad.Tape).InvCloglog, "sin": (*ad.Tape).Sin, "cos": (*ad.Tape).Cos, "tan": (*ad.Tape).Tan,
	"asin": (*ad.Tape).Asin, "acos": (*ad.Tape).Acos, "atan": (*ad.Tape).Atan, "sinh": (*ad.Tape).Sinh,
	"cosh": (*ad.Tape).Cosh, "tanh": (*ad.Tape).Tanh, "asinh": (*ad.Tape).Asinh, "acosh": (*ad.Tape).Acosh,
	"atanh": (*ad.Tape).Atanh, "erf": (*ad.Tape).Erf, "erfc": (*ad.Tape).Erfc, "Phi": (*ad.Tape).Phi,
	"Phi_approx": (*ad.Tape).PhiApprox, "inv_Phi": (*ad.Tape).InvPhi, "std_normal_qf": (*ad.Tape).StdNormalQf,
	"std_normal_log_qf": (*ad.Tape).StdNormalLogQf, "inv_erfc": (*ad.Tape).InvErfc,
	"lambert_w0": (*ad.Tape).LambertW0, "lambert_wm1": (*ad.Tape).LambertWm1, "lgamma": (*ad.Tape).Lgamma,
	"digamma": (*ad.Tape).Digamma, "tgamma": (*ad.Tape).Tgamma, "fabs": (*ad.Tape).Abs,
	"inv": (*ad.Tape).Inv, "inv_sqrt": (*ad.Tape).InvSqrt, "inv_square": (*ad.Tape).InvSquare,
	"floor": stepOf(math.Floor), "ceil": stepOf(math.Ceil), "round": stepOf(math.Round), "trunc": stepOf(math.Trunc),
	"trigamma": (*ad.Tape).Trigamma,
}

var scalarBinary = map[string]func(*ad.Tape, ad.Var, ad.Var) ad.Var{
	"pow": (*ad.Tape).Pow, "fmin": (*ad.Tape).Fmin, "fmax": (*ad.Tape).Fmax, "fdim": (*ad.Tape).Fdim,
	"fmod": (*ad.Tape).Fmod, "hypot": (*ad.Tape).Hypot, "atan2": (*ad.Tape).Atan2, "lbeta": (*ad.Tape).Lbeta,
	"lchoose": (*ad.Tape).Lchoose, "binomial_coefficient_log": (*ad.Tape).Lchoose,
	"log_diff_exp": (*ad.Tape).LogDiffExp, "log_inv_logit_diff": (*ad.Tape).LogInvLogitDiff, "multiply_log": (*ad.Tape).MultiplyLog, "lmultiply": (*ad.Tape).MultiplyLog,
	"beta": func(t *ad.Tape, a, b ad.Var) ad.Var { return t.Exp(t.Lbeta(a, b)) },
}

// realConsts are the library's constants, the functions of no arguments
// pi(), e(), ...
var realConsts = map[string]float64{"pi": math.Pi, "e": math.E, "sqrt2": math.Sqrt2, "log2": math.Ln2,
	"log10": math.Ln10, "not_a_number": math.NaN(), "positive_infinity": math.Inf(1),
	"negative_infinity": math.Inf(-1), "machine_precision": 0x1p-52}

// addScalarFuncs defines the functions of scalars (vectorised where Stan
// vectorises them), the constants and target().
func (l *library) addScalarFuncs() {
	m := map[string]builtin{}
	for name, f := range scalarUnary {
		m[name] = vectorized(f)
	}
	m["abs"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		if a[0].i != nil {
			f := a[0].i
			return cexpr{t: t, i: func(e *env) int {
				v := f(e)
				if v < 0 {
					return -v
				}
				return v
			}}, nil
		}
		if a[0].v != nil && a[0].t.Kind == types.Int {
			// abs of an int container is an int container.
			f, buf := a[0].v, c.buf()
			return cexpr{t: t, v: func(e *env) *value {
				v, b := f(e), buf.of(e)
				b.shape(v.Dims, true)
				for k, x := range v.I {
					b.I[k] = max(x, -x)
				}
				return b
			}}, nil
		}
		if isComplex(a[0].t.Kind) {
			// The modulus of each element of a complex container.
			f, buf := a[0].v, c.buf()
			return cexpr{t: t, v: func(e *env) *value {
				v, b := f(e), buf.of(e)
				b.shape(v.Dims, false)
				for k := range b.R {
					b.R[k] = complexAbs(e.t, cplx{v.R[2*k], v.R[2*k+1]})
				}
				return b
			}}, nil
		}
		return vectorized((*ad.Tape).Abs)(c, a, t, pos)
	}
	for name, f := range scalarBinary {
		m[name] = binaryScalar(f)
	}
	m["log_sum_exp"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		if len(a) == 2 {
			return binaryScalar((*ad.Tape).LogSumExp2)(c, a, t, pos)
		}
		f := a[0].val(true)
		return cexpr{t: t, r: func(e *env) ad.Var { return e.t.LogSumExp(f(e).R) }}, nil
	}
	m["fma"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		if t.IsScalar() {
			x, y, z := a[0].real(), a[1].real(), a[2].real()
			return cexpr{t: t, r: func(e *env) ad.Var { return e.t.Fma(x(e), y(e), z(e)) }}, nil
		}
		return ternaryElementwise(c, t, a, pos, (*ad.Tape).Fma), nil
	}
	for name, v := range realConsts {
		c := ad.Const(v)
		prev := m[name]
		m[name] = func(cc *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
			if len(a) == 0 {
				return cexpr{t: t, r: func(*env) ad.Var { return c }}, nil
			}
			return prev(cc, a, t, pos)
		}
	}
	m["target"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		all := c.deferred // complete once the program is compiled
		return cexpr{t: t, r: func(e *env) ad.Var { flushAll(e, *all); return e.t.Sum(e.target) }}, nil
	}
	m["get_lp"] = m["target"]
	m["choose"] = intBinary(func(n, k int) (int, string) {
		switch {
		case n < 0 || k < 0:
			return 0, fmt.Sprintf("choose: n (%d) and k (%d) must be nonnegative", n, k)
		case k > n:
			return 0, ""
		}
		return int(math.Round(math.Exp(lchooseInt(n, k)))), ""
	})
	m["int_step"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		if a[0].i != nil {
			f := a[0].i
			return cexpr{t: t, i: func(e *env) int { return b2i(f(e) > 0) }}, nil
		}
		f := a[0].r
		return cexpr{t: t, i: func(e *env) int { return b2i(f(e).Val > 0) }}, nil
	}
	// if_else (removed from Stan in 2.33) evaluates both branches, as a
	// function does, and returns the one its condition picks.
	m["if_else"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		cond := a[0].i
		if t.Kind == types.Int {
			x, y := a[1].i, a[2].i
			return cexpr{t: t, i: func(e *env) int {
				xv, yv := x(e), y(e)
				if cond(e) != 0 {
					return xv
				}
				return yv
			}}, nil
		}
		x, y := a[1].real(), a[2].real()
		return cexpr{t: t, r: func(e *env) ad.Var {
			xv, yv := x(e), y(e)
			if cond(e) != 0 {
				return xv
			}
			return yv
		}}, nil
	}
	m["step"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].real()
		return cexpr{t: t, r: func(e *env) ad.Var { return ad.Const(float64(b2i(f(e).Val >= 0))) }}, nil
	}
	m["is_inf"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].real()
		return cexpr{t: t, i: func(e *env) int { return b2i(math.IsInf(f(e).Val, 0)) }}, nil
	}
	m["is_nan"] = func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		f := a[0].real()
		return cexpr{t: t, i: func(e *env) int { return b2i(math.IsNaN(f(e).Val)) }}, nil
	}
	for name, pick := range map[string]func(a, b float64) bool{"min": func(a, b float64) bool { return a < b }, "max": func(a, b float64) bool { return a > b }} {
		m[name] = minMax(pick)
	}
	for name, f := range m {
		l.fn(name, f)
	}
}

func stepOf(f func(float64) float64) func(*ad.Tape, ad.Var) ad.Var {
	return func(_ *ad.Tape, a ad.Var) ad.Var { return ad.Step(f(a.Val)) }
}

func lchooseInt(n, k int) float64 {
	return mathx.Lgamma(float64(n+1)) - mathx.Lgamma(float64(k+1)) - mathx.Lgamma(float64(n-k+1))
}

// vectorized applies a real function to a scalar or elementwise to a
// container.
func vectorized(f func(*ad.Tape, ad.Var) ad.Var) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		if len(a) != 1 {
			return cexpr{}, fmt.Errorf("wrong number of arguments")
		}
		if a[0].v == nil {
			g := a[0].real()
			return cexpr{t: t, r: func(e *env) ad.Var { return f(e.t, g(e)) }}, nil
		}
		return mapReal(c, t, a[0], f), nil
	}
}

func binaryScalar(f func(*ad.Tape, ad.Var, ad.Var) ad.Var) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		if len(a) != 2 {
			return cexpr{}, fmt.Errorf("wrong number of arguments")
		}
		if a[0].v != nil || a[1].v != nil {
			if a[0].v == nil || a[1].v == nil {
				// A scalar and a container (no overload of the library
				// has one yet): the function of the scalar and each element.
				return scalarElementwise(c, t, a[0], a[1], f), nil
			}
			x, y := a[0].val(true), a[1].val(true)
			// An int array paired with (an array of) matrices is
			// row-major where the matrices are column-major.
			intFirst := a[0].t.Kind == types.Int && a[1].t.Kind == types.Matrix
			intSecond := a[1].t.Kind == types.Int && a[0].t.Kind == types.Matrix
			buf := c.buf()
			return cexpr{t: t, v: func(e *env) *value {
				u, w := x(e), y(e)
				if len(u.R) != len(w.R) {
					fail(pos, "size mismatch: %d and %d", len(u.R), len(w.R))
				}
				b := buf.of(e)
				switch {
				case intFirst:
					b.shape(w.Dims, false)
					for i, v := range w.R {
						b.R[i] = f(e.t, u.R[rowMajorOf(w.Dims, i)], v)
					}
				case intSecond:
					b.shape(u.Dims, false)
					for i, v := range u.R {
						b.R[i] = f(e.t, v, w.R[rowMajorOf(u.Dims, i)])
					}
				default:
					b.shape(u.Dims, false)
					for i, v := range u.R {
						b.R[i] = f(e.t, v, w.R[i])
					}
				}
				return b
			}}, nil
		}
		x, y := a[0].real(), a[1].real()
		return cexpr{t: t, r: func(e *env) ad.Var { return f(e.t, x(e), y(e)) }}, nil
	}
}

// rowMajorOf returns the row-major offset of the element stored at
// offset k of an array of matrices of dims (the matrices column-major).
func rowMajorOf(dims []int, k int) int {
	rows, cols := dims[len(dims)-2], dims[len(dims)-1]
	block := rows * cols
	b, o := k/block, k%block
	return b*block + (o%rows)*cols + o/rows
}

// intBinary applies an integer function to two ints, or elementwise to
// int arrays of the same shape or an int array and an int (in either
// order). f reports a domain error as a non-empty message.
func intBinary(f func(a, b int) (int, string)) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		if a[0].v == nil && a[1].v == nil {
			x, y := a[0].i, a[1].i
			return cexpr{t: t, i: func(e *env) int {
				r, msg := f(x(e), y(e))
				if msg != "" {
					fail(pos, "%s", msg)
				}
				return r
			}}, nil
		}
		buf := c.buf()
		fx, fy := a[0], a[1]
		return cexpr{t: t, v: func(e *env) *value {
			// Each argument once: a container's elements, or a scalar
			// for every element.
			var xs, ys []int
			var xi, yi int
			var dims []int
			if fx.v != nil {
				v := fx.v(e)
				xs, dims = v.I, v.Dims
			} else {
				xi = fx.i(e)
			}
			if fy.v != nil {
				v := fy.v(e)
				ys, dims = v.I, v.Dims
			} else {
				yi = fy.i(e)
			}
			if fx.v != nil && fy.v != nil && len(xs) != len(ys) {
				fail(pos, "size mismatch: %d and %d", len(xs), len(ys))
			}
			out := buf.of(e)
			out.shape(dims, true)
			for k := range out.I {
				p, q := xi, yi
				if fx.v != nil {
					p = xs[k]
				}
				if fy.v != nil {
					q = ys[k]
				}
				r, msg := f(p, q)
				if msg != "" {
					fail(pos, "%s", msg)
				}
				out.I[k] = r
			}
			return out
		}}, nil
	}
}

// minMax handles min and max of two ints or of a container.
func minMax(better func(a, b float64) bool) builtin {
	return func(c *compiler, a []cexpr, t types.Type, pos token.Position) (cexpr, error) {
		if len(a) == 2 {
			// Of two ints: Stan has no max(real, real) (fmax is that).
			x, y := a[0].i, a[1].i
			return cexpr{t: t, i: func(e *env) int {
				p, q := x(e), y(e)
				if better(float64(q), float64(p)) {
					return q
				}
				return p
			}}, nil
		}
		f := a[0].v
		if t == types.IntT {
			return cexpr{t: t, i: func(e *env) int {
				v := f(e)
				if len(v.I) == 0 {
					fail(pos, "min and max of an empty int array are not defined")
				}
				best := v.I[0]
				for _, x := range v.I[1:] {
					if better(float64(x), float64(best)) {
						best = x
					}
				}
				return best
			}}, nil
		}
		return cexpr{t: t, r: func(e *env) ad.Var {
			v := f(e)
			if len(v.R) == 0 {
				if better(1, 0) {
					return ad.Const(math.Inf(-1))
				}
				return ad.Const(math.Inf(1))
			}
			best := v.R[0]
			for _, x := range v.R[1:] {
				if better(x.Val, best.Val) {
					best = x
				}
			}
			return best
		}}, nil
	}
}

// sortVars returns the permutation that sorts v.
func sortIndex(n int, less func(i, j int) bool) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return less(idx[a], idx[b]) })
	return idx
}

// scalarElementwise compiles f of a scalar and each element of a
// container, a and b in their order (one of them the scalar): the
// broadcasting of a binary function (binaryScalar) and of an arithmetic
// operator (containerArith) alike.
func scalarElementwise(c *compiler, t types.Type, a, b cexpr, f func(*ad.Tape, ad.Var, ad.Var) ad.Var) cexpr {
	buf := c.buf()
	if a.v == nil { // the scalar is the first operand
		fs, fc := a.real(), b.val(true)
		return cexpr{t: t, v: func(e *env) *value {
			s, v := fs(e), fc(e)
			out := buf.of(e)
			out.shape(v.Dims, false)
			for i, y := range v.R {
				out.R[i] = f(e.t, s, y)
			}
			return out
		}}
	}
	fc, fs := a.val(true), b.real()
	return cexpr{t: t, v: func(e *env) *value {
		v, s := fc(e), fs(e)
		out := buf.of(e)
		out.shape(v.Dims, false)
		for i, y := range v.R {
			out.R[i] = f(e.t, y, s)
		}
		return out
	}}
}

// ternaryElementwise applies f elementwise to three arguments of which
// the containers share one shape and the scalars are used for every
// element.
func ternaryElementwise(c *compiler, t types.Type, a []cexpr, pos token.Position, f func(*ad.Tape, ad.Var, ad.Var, ad.Var) ad.Var) cexpr {
	var vs [3]func(*env) *value
	var rs [3]func(*env) ad.Var
	for i, x := range a {
		if x.v != nil {
			vs[i] = x.val(true)
		} else {
			rs[i] = x.real()
		}
	}
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		var vals [3]*value
		var scal [3]ad.Var
		var dims []int
		n := -1
		for i := range 3 {
			if vs[i] == nil {
				scal[i] = rs[i](e)
				continue
			}
			vals[i] = vs[i](e)
			if n >= 0 && len(vals[i].R) != n {
				fail(pos, "size mismatch: %d and %d", n, len(vals[i].R))
			}
			n, dims = len(vals[i].R), vals[i].Dims
		}
		out := buf.of(e)
		out.shape(dims, false)
		for k := range out.R {
			var x [3]ad.Var
			for i := range 3 {
				if vals[i] != nil {
					x[i] = vals[i].R[k]
				} else {
					x[i] = scal[i]
				}
			}
			out.R[k] = f(e.t, x[0], x[1], x[2])
		}
		return out
	}}
}

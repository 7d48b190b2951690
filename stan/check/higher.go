package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/types"
)

// higherKind is the form of the arguments a higher-order function takes.
type higherKind int

const (
	odeOld            higherKind = iota + 1 // integrate_ode_*(f, y0, t0, ts, theta, x_r, x_i [, rtol, atol, steps])
	odeVariadic                             // ode_*(f, y0, t0, ts, ...)
	odeTol                                  // ode_*_tol(f, y0, t0, ts, rtol, atol, steps, ...)
	algebraOld                              // algebra_solver*(f, guess, theta, x_r, x_i [, rtol, ftol, steps])
	solveVariadic                           // solve_*(f, guess, ...)
	solveTol                                // solve_*_tol(f, guess, tolerance, f_tol, steps, ...)
	mapRect                                 // map_rect(f, phi, thetas, x_r, x_i)
	reduceSum                               // reduce_sum*(f, sliced, grainsize, ...)
	integrate1d                             // integrate_1d(f, a, b, theta, x_r, x_i [, rtol])
	integrateVariadic                       // integrate_1d_gauss_kronrod(f, a, b, ...) and _double_exponential
	integrateTol                            // their _tol forms: (f, a, b, rtol, atol, max steps, ...)
	daeVariadic                             // dae(f, yy0, yp0, t0, ts, ...)
	daeTol                                  // dae_tol(f, yy0, yp0, t0, ts, rtol, atol, steps, ...)
	odeAdjoint                              // ode_adjoint_tol_ctl(f, y0, t0, ts, 11 controls, ...)
)

var (
	reals   = types.Array(types.RealT, 1)
	ints    = types.Array(types.IntT, 1)
	vectors = types.Array(types.VectorT, 1)
)

// higherForm is what a higher-order function requires of its arguments
// after the function and of the function itself.
type higherForm struct {
	args     []string     // names of the fixed arguments, for messages
	argTypes []types.Type // their types
	optional []types.Type // trailing arguments given all or none (tolerances)
	variadic bool         // the arguments after the fixed ones are passed to the function
	data     []int        // indexes (counted after the function) of arguments that must be data
	fnArgs   []types.Type // the function's parameters before the passed-through ones
	fnData   []int        // indexes of those the caller passes only data to, which may be declared data
	fnRet    types.Type
	ret      types.Type // the type of the call
	// promoteSlice lets the function's first parameter be real where the
	// first of fnArgs is int: reduce_sum slices an int array to a
	// function taking real slices, as Stan.
	promoteSlice bool
}

// formOf returns the form of kind; sliced is the type of reduce_sum's
// sliced argument, which its function takes first.
func formOf(kind higherKind, sliced types.Type) higherForm {
	tols := []types.Type{types.RealT, types.RealT, types.IntT}
	switch kind {
	case odeOld:
		return higherForm{
			args:     []string{"initial state", "initial time", "times", "theta", "x_r", "x_i"},
			argTypes: []types.Type{reals, types.RealT, reals, reals, reals, ints},
			// Stan took every control of these as real (5e2 steps).
			optional: []types.Type{types.RealT, types.RealT, types.RealT}, data: []int{4, 5, 6, 7, 8},
			fnArgs: []types.Type{types.RealT, reals, reals, reals, ints}, fnData: []int{3, 4}, fnRet: reals, ret: types.Array(types.RealT, 2),
		}
	case odeVariadic, odeTol:
		f := higherForm{
			args:     []string{"initial state", "initial time", "times"},
			argTypes: []types.Type{types.VectorT, types.RealT, reals}, variadic: true,
			fnArgs: []types.Type{types.RealT, types.VectorT}, fnRet: types.VectorT, ret: vectors,
		}
		if kind == odeTol {
			f.args = append(f.args, "relative tolerance", "absolute tolerance", "maximum number of steps")
			f.argTypes = append(f.argTypes, tols...)
			f.data = []int{3, 4, 5}
		}
		return f
	case odeAdjoint:
		return higherForm{
			args: []string{"initial state", "initial time", "times", "forward relative tolerance", "forward absolute tolerance",
				"backward relative tolerance", "backward absolute tolerance", "quadrature relative tolerance",
				"quadrature absolute tolerance", "maximum number of steps", "number of steps between checkpoints",
				"interpolation polynomial", "forward solver", "backward solver"},
			argTypes: []types.Type{types.VectorT, types.RealT, reals, types.RealT, types.VectorT, types.RealT, types.VectorT,
				types.RealT, types.RealT, types.IntT, types.IntT, types.IntT, types.IntT, types.IntT},
			variadic: true, data: []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13},
			fnArgs: []types.Type{types.RealT, types.VectorT}, fnRet: types.VectorT, ret: vectors,
		}
	case daeVariadic, daeTol:
		f := higherForm{
			args:     []string{"initial state", "initial state derivative", "initial time", "times"},
			argTypes: []types.Type{types.VectorT, types.VectorT, types.RealT, reals}, variadic: true,
			data:   []int{2, 3},
			fnArgs: []types.Type{types.RealT, types.VectorT, types.VectorT}, fnRet: types.VectorT, ret: vectors,
		}
		if kind == daeTol {
			f.args = append(f.args, "relative tolerance", "absolute tolerance", "maximum number of steps")
			f.argTypes = append(f.argTypes, tols...)
			f.data = append(f.data, 4, 5, 6)
		}
		return f
	case algebraOld:
		return higherForm{
			args:     []string{"initial guess", "theta", "x_r", "x_i"},
			argTypes: []types.Type{types.VectorT, types.VectorT, reals, ints},
			// Stan typed the maximum number of steps real (2.26 still did).
			optional: []types.Type{types.RealT, types.RealT, types.RealT}, data: []int{2, 3, 4, 5, 6},
			fnArgs: []types.Type{types.VectorT, types.VectorT, reals, ints}, fnData: []int{2, 3}, fnRet: types.VectorT, ret: types.VectorT,
		}
	case solveVariadic:
		return higherForm{
			args: []string{"initial guess"}, argTypes: []types.Type{types.VectorT}, variadic: true,
			fnArgs: []types.Type{types.VectorT}, fnRet: types.VectorT, ret: types.VectorT,
		}
	case solveTol:
		return higherForm{
			args:     []string{"initial guess", "scaling step or relative tolerance", "function tolerance", "maximum number of steps"},
			argTypes: []types.Type{types.VectorT, types.RealT, types.RealT, types.IntT}, variadic: true,
			data:   []int{1, 2, 3},
			fnArgs: []types.Type{types.VectorT}, fnRet: types.VectorT, ret: types.VectorT,
		}
	case mapRect:
		return higherForm{
			args:     []string{"shared parameters", "job parameters", "x_r", "x_i"},
			argTypes: []types.Type{types.VectorT, vectors, types.Array(types.RealT, 2), types.Array(types.IntT, 2)},
			data:     []int{2, 3},
			fnArgs:   []types.Type{types.VectorT, types.VectorT, reals, ints}, fnData: []int{2, 3}, fnRet: types.VectorT, ret: types.VectorT,
		}
	case reduceSum:
		return higherForm{
			args: []string{"sliced argument", "grainsize"}, argTypes: []types.Type{sliced, types.IntT}, variadic: true,
			// A data slice asks for a data sliced argument (checked at the call).
			fnArgs: []types.Type{sliced, types.IntT, types.IntT}, fnData: []int{0, 1, 2}, fnRet: types.RealT, ret: types.RealT,
			promoteSlice: true,
		}
	case integrateVariadic, integrateTol:
		// Stan 2.40 (Stan Math's integrate_1d_gauss_kronrod and
		// integrate_1d_double_exponential): real f(real x, real xc, ...).
		f := higherForm{
			args:     []string{"lower limit", "upper limit"},
			argTypes: []types.Type{types.RealT, types.RealT}, variadic: true,
			fnArgs: []types.Type{types.RealT, types.RealT}, fnRet: types.RealT, ret: types.RealT,
		}
		if kind == integrateTol {
			f.args = append(f.args, "relative tolerance", "absolute tolerance", "maximum number of steps")
			f.argTypes = append(f.argTypes, tols...)
			f.data = []int{2, 3, 4}
		}
		return f
	case integrate1d:
		return higherForm{
			args:     []string{"lower limit", "upper limit", "theta", "x_r", "x_i"},
			argTypes: []types.Type{types.RealT, types.RealT, reals, reals, ints},
			optional: []types.Type{types.RealT}, data: []int{3, 4, 5},
			fnArgs: []types.Type{types.RealT, types.RealT, reals, reals, ints}, fnData: []int{3, 4}, fnRet: types.RealT, ret: types.RealT,
		}
	}
	panic(fmt.Sprintf("unknown higher-order kind %d", kind))
}

// higherOrderCall checks a call of a higher-order function: its arguments
// against the form the function requires, and the function passed (an
// overload of it, when several are defined) against the signature that
// form and the passed-through arguments give.
func (c *checker) higherOrderCall(x *ast.CallExpr, kind higherKind) types.Type {
	name := x.Fun.Name
	if len(x.Args) == 0 {
		c.errorf(x.Rparen, "%s needs a function as its first argument", name)
		return invalid
	}
	id, ok := x.Args[0].(*ast.Ident)
	var fname string
	if ok {
		fname = userDensityName(id.Name)
	}
	if !ok || len(c.info.Funcs[fname]) == 0 || c.lookup(id.Name) != nil {
		c.errorf(x.Args[0].Pos(), "the first argument of %s must name a user-defined function", name)
		for _, a := range x.Args[1:] {
			c.expr(a)
		}
		return invalid
	}
	// The function is called without the target or the random number
	// generator a _lp or _rng function needs; an unnormalised density
	// only where one may be called.
	// Only reduce_sum takes a density (its partial sums may be _lpdf or
	// _lpmf functions).
	switch {
	case strings.HasSuffix(fname, "_lp") || strings.HasSuffix(fname, "_rng"):
		c.errorf(id.Pos(), "functions whose names end in _lp or _rng cannot be passed to %s", name)
	case kind != reduceSum && (strings.HasSuffix(fname, "_lpdf") || strings.HasSuffix(fname, "_lpmf")):
		c.errorf(id.Pos(), "probability functions (names ending in _lpdf or _lpmf) cannot be passed to %s, only to reduce_sum", name)
	case fname != id.Name && !c.unnormalizedAllowed() && !(c.fn != nil && strings.HasSuffix(c.fn.Name, "_lp")):
		c.errorf(id.Pos(), "functions with names ending in _lupdf and _lupmf can only be passed in the model block or in user-defined functions with names ending in _lpdf, _lpmf or _lp: pass %s here", fname)
	}
	args := make([]types.Type, len(x.Args)-1)
	for i, a := range x.Args[1:] {
		if args[i] = c.expr(a); args[i].Kind == types.Invalid {
			return invalid
		}
	}
	sliced := reals
	if kind == reduceSum && len(args) > 0 {
		sliced = args[0]
		if sliced.Dims == 0 {
			c.errorf(x.Args[1].Pos(), "the sliced argument of %s must be an array, found %v", name, sliced)
			return invalid
		}
		// Stan slices arrays of these only.
		switch sliced.Kind {
		case types.Int, types.Real, types.Vector, types.RowVector, types.Matrix:
		default:
			c.errorf(x.Args[1].Pos(), "the sliced argument of %s must be an array of int, real, vector, row_vector or matrix, found %v", name, sliced)
			return invalid
		}
	}
	form := formOf(kind, sliced)
	if !c.higherArgs(x, form, args) {
		return invalid
	}
	passed := args[len(form.argTypes):]
	if !form.variadic {
		passed = nil
	}
	f := c.higherFunc(x, form, fname, passed)
	if f == nil {
		return invalid
	}
	// Arguments passed to a data parameter of the function must be data.
	if kind == reduceSum && f.Decl.Params[0].Type.DataOnly {
		c.requireData(x, 1)
	}
	for i := range passed {
		k := len(form.argTypes) + i
		if f.Decl.Params[len(form.fnArgs)+i].Type.DataOnly {
			c.requireData(x, 1+k)
		}
	}
	c.info.Calls[x] = &Call{Name: name, Sig: types.Signature{Args: args, Ret: form.ret}, FuncArg: f}
	return form.ret
}

// userDensityName maps foo_lupdf and foo_lupmf, which may name a
// user-defined density passed to reduce_sum, to the function defined.
func userDensityName(name string) string {
	if strings.HasSuffix(name, "_lupdf") || strings.HasSuffix(name, "_lupmf") {
		return normalized(name)
	}
	return name
}

// higherArgs checks the arguments after the function against form: their
// number, types and which must be data.
func (c *checker) higherArgs(x *ast.CallExpr, form higherForm, args []types.Type) bool {
	name := x.Fun.Name
	fixed := len(form.argTypes)
	want := form.argTypes
	switch {
	case form.variadic:
		if len(args) < fixed {
			c.errorf(x.Rparen, "%s takes the function, then (%s) and the arguments passed to the function: found only %d arguments after the function",
				name, formArgs(form.args, want), len(args))
			return false
		}
	case len(args) == fixed+len(form.optional) && len(form.optional) > 0:
		want = append(append([]types.Type(nil), want...), form.optional...)
	case len(args) != fixed:
		opt := ""
		if len(form.optional) > 0 {
			opt = fmt.Sprintf(", optionally followed by (%s)", typeList(form.optional))
		}
		c.errorf(x.Rparen, "%s takes the function, then (%s)%s: found %d arguments after the function", name, formArgs(form.args, want), opt, len(args))
		return false
	}
	ok := true
	for i, w := range want {
		if !types.Promotes(args[i], w) {
			what := "control"
			if i < len(form.args) {
				what = form.args[i]
			}
			c.errorf(x.Args[1+i].Pos(), "argument %d of %s (the %s) must be of type %v, found %v", i+2, name, what, w, args[i])
			ok = false
		}
	}
	for _, i := range form.data {
		if i < len(want) && !c.argData(x.Args[1+i]) {
			c.requireData(x, 1+i)
			ok = false
		}
	}
	return ok
}

func formArgs(names []string, ts []types.Type) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = ts[i].String() + " " + strings.ReplaceAll(n, " ", "_")
	}
	return strings.Join(s, ", ")
}

// bestPassed returns the overload of fname that a higher-order call of the
// given form can pass the arguments passed to, the one needing fewest
// promotions, and how many others tie with it.
func (c *checker) bestPassed(fname string, form higherForm, passed []types.Type) (best *Func, ties int) {
	bestCost := 0
	for _, f := range c.info.Funcs[fname] {
		cost, ok := higherFit(f.Sig, form, passed)
		switch {
		case !ok || dataParam(f, form) >= 0:
		case best == nil || cost < bestCost:
			best, bestCost, ties = f, cost, 0
		case cost == bestCost:
			ties++
		}
	}
	return best, ties
}

// higherFunc returns the overload of fname a higher-order call passes: the
// one whose parameters are form.fnArgs followed by parameters the
// passed-through arguments promote to, returning form.fnRet. Of several,
// the one needing fewest promotions is taken, as for calls.
func (c *checker) higherFunc(x *ast.CallExpr, form higherForm, fname string, passed []types.Type) *Func {
	best, ties := c.bestPassed(fname, form, passed)
	want := types.Signature{Args: append(append([]types.Type(nil), form.fnArgs...), passed...), Ret: form.fnRet}
	switch {
	case best == nil:
		fs := c.info.Funcs[fname]
		has := fs[0].Sig.String()
		if len(fs) > 1 {
			has = "none of its overloads does"
		}
		if len(fs) == 1 {
			if _, ok := higherFit(fs[0].Sig, form, passed); ok {
				k := dataParam(fs[0], form)
				c.errorf(x.Args[0].Pos(), "the function '%s' passed to %s must not declare its parameter %s data: %s passes it values that may depend on parameters",
					fname, x.Fun.Name, fs[0].Decl.Params[k].Name.Name, x.Fun.Name)
				return nil
			}
		}
		// When only a passed-through argument is wrong, point at it.
		if len(fs) == 1 && form.variadic && len(fs[0].Sig.Args) == len(want.Args) && fs[0].Sig.Ret == want.Ret {
			for i, p := range passed {
				k := len(form.fnArgs) + i
				if !types.Promotes(p, fs[0].Sig.Args[k]) && equalArgs(fs[0].Sig.Args[:len(form.fnArgs)], form.fnArgs) {
					pos := x.Args[1+len(form.argTypes)+i].Pos()
					c.errorf(pos, "argument %d of %s has type %v, but the function '%s' takes %v as its parameter %s",
						len(form.argTypes)+i+2, x.Fun.Name, p, fname, fs[0].Sig.Args[k], fs[0].Decl.Params[k].Name.Name)
					return nil
				}
			}
		}
		c.errorf(x.Args[0].Pos(), "the function '%s' passed to %s must have the signature %v, but it has %s", fname, x.Fun.Name, want, has)
		return nil
	case ties > 0:
		c.errorf(x.Args[0].Pos(), "the function '%s' passed to %s is ambiguous: several of its overloads fit %v", fname, x.Fun.Name, want)
		return nil
	}
	return best
}

// dataParam returns the index of a parameter of f before the passed-through
// ones that is declared data though the caller may pass it parameters, or
// -1. Stan matches the function's type with these parameters autodiffable.
func dataParam(f *Func, form higherForm) int {
	for k := range form.fnArgs {
		if f.Decl.Params[k].Type.DataOnly && !slices.Contains(form.fnData, k) {
			return k
		}
	}
	return -1
}

// higherFit reports whether sig fits form with the passed-through
// arguments, and the cost of the promotions that needs (counted as for
// calls: stanc3 resolves the function passed with the same costs).
func higherFit(sig types.Signature, form higherForm, passed []types.Type) (int, bool) {
	if sig.Ret != form.fnRet || len(sig.Args) != len(form.fnArgs)+len(passed) {
		return 0, false
	}
	cost, first := 0, 0
	if form.promoteSlice {
		if from, to := form.fnArgs[0], sig.Args[0]; from != to && (from.Kind != types.Int || to.Kind != types.Real || from.Dims != to.Dims) {
			return 0, false
		}
		cost += types.PromotionCost(form.fnArgs[0], sig.Args[0])
		first = 1
	}
	if !equalArgs(sig.Args[first:len(form.fnArgs)], form.fnArgs[first:]) {
		return 0, false
	}
	for i, p := range passed {
		q := sig.Args[len(form.fnArgs)+i]
		if !types.Promotes(p, q) {
			return 0, false
		}
		cost += types.PromotionCost(p, q)
	}
	return cost, true
}

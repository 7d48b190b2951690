package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/types"
)

// addHigherOrder defines the higher-order functions other than the ODE
// solvers.
func (l *library) addHigherOrder() {
	for _, name := range []string{"reduce_sum", "reduce_sum_static"} {
		l.higher[name] = (*compiler).reduceSum
	}
	l.higher["map_rect"] = (*compiler).mapRect
	l.higher["integrate_1d"] = (*compiler).integrate1d
	for _, name := range []string{"integrate_1d_gauss_kronrod", "integrate_1d_gauss_kronrod_tol", "integrate_1d_double_exponential", "integrate_1d_double_exponential_tol"} {
		l.higher[name] = (*compiler).integrate1dVariadic
	}
	for _, name := range []string{"algebra_solver", "algebra_solver_newton", "solve_newton", "solve_powell", "solve_newton_tol", "solve_powell_tol"} {
		l.higher[name] = (*compiler).algebraSolver
	}
}

// badCall reports a call that cannot be compiled and returns a
// placeholder of type t.
func (c *compiler) badCall(x *ast.CallExpr, t types.Type, format string, a ...any) cexpr {
	c.errorf(x.Pos(), x.Fun.Name+": "+format, a...)
	switch {
	case t == types.RealT:
		return cexpr{t: t, r: func(*env) ad.Var { return ad.Var{} }}
	case t == types.IntT:
		return cexpr{t: t, i: func(*env) int { return 0 }}
	}
	return cexpr{t: t, v: func(*env) *value { return &value{} }}
}

// argsFit reports whether arguments of types args may be passed to f's
// parameters from the first on.
func argsFit(f *check.Func, first int, args []cexpr) bool {
	if len(f.Sig.Args) != first+len(args) {
		return false
	}
	for i, a := range args {
		if !types.Promotes(a.t, f.Sig.Args[first+i]) {
			return false
		}
	}
	return true
}

// reduceSum is reduce_sum(f, x, grainsize, ...) and reduce_sum_static: the
// sum of f over slices of x, f(x[start:end], start, end, ...), which is
// f over the whole of x in one slice (Stan's contract: any partition gives
// the same sum).
func (c *compiler) reduceSum(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	f := call.FuncArg
	if len(args) < 3 {
		return c.badCall(x, t, "takes at least 3 arguments, but got %d", len(args))
	}
	if args[1].t.Dims == 0 {
		return c.badCall(x, t, "the sliced argument must be an array, not %v", args[1].t)
	}
	if args[2].t != types.IntT {
		return c.badCall(x, t, "the grainsize must be an int, not %v", args[2].t)
	}
	rest := args[3:]
	sig := f.Sig
	if sig.Ret != types.RealT || len(sig.Args) != 3+len(rest) || !types.Promotes(args[1].t, sig.Args[0]) ||
		sig.Args[1] != types.IntT || sig.Args[2] != types.IntT || !argsFit(f, 3, rest) {
		return c.badCall(x, t, "the partial sum function '%s' must take (%v, int, int) and then the arguments after the grainsize, and return a real, not %v", f.Name, args[1].t, sig)
	}
	pos := c.pos(x.Pos())
	grain := args[2].i
	xs := args[1]
	get := xs.val(sig.Args[0].Kind != types.Int)
	cur := zeroState[*value](c) // the sliced argument, whose size is end
	sliced := cexpr{t: sig.Args[0], c: c, v: func(e *env) *value {
		if g := grain(e); g < 1 {
			fail(pos, "%s: grainsize is %d, but must be positive!", call.Name, g)
		}
		v := get(e)
		*cur.of(e) = v
		return v
	}}
	fargs := append([]cexpr{sliced,
		{t: types.IntT, c: c, i: func(*env) int { return 1 }},
		{t: types.IntT, c: c, i: func(e *env) int { return (*cur.of(e)).Dims[0] }}}, rest...)
	// Passed as partial_lupmf, the partial sums drop constants; as
	// partial_lpmf, they keep them.
	name := f.Name
	if id, ok := x.Args[0].(*ast.Ident); ok {
		name = id.Name
	}
	return c.userCall(x, &check.Call{Name: name, Sig: sig, User: f}, fargs, types.RealT)
}

// mapRect is map_rect(f, φ, θs, x_rs, x_is): the results of f(φ, θ_j,
// x_r_j, x_i_j) for each job j, concatenated.
func (c *compiler) mapRect(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	f := call.FuncArg
	vec, vecs := types.VectorT, types.Array(types.VectorT, 1)
	reals2, ints2 := types.Array(types.RealT, 2), types.Array(types.IntT, 2)
	if len(args) != 5 || args[1].t != vec || args[2].t != vecs || !types.Promotes(args[3].t, reals2) || args[4].t != ints2 {
		return c.badCall(x, t, "takes (f, vector, array[] vector, array[,] real, array[,] int)")
	}
	want := []types.Type{vec, vec, types.Array(types.RealT, 1), types.Array(types.IntT, 1)}
	if f.Sig.Ret != vec || !sameSig(types.Signature{Args: f.Sig.Args, Ret: vec}, types.Signature{Args: want, Ret: vec}) {
		return c.badCall(x, t, "the function '%s' must take (vector, vector, array[] real, array[] int) and return a vector, not %v", f.Name, f.Sig)
	}
	pos := c.pos(x.Pos())
	phiF, thF, xrF, xiF := args[1].v, args[2].v, args[3].val(true), args[4].v
	// mapRectWork is a model's arguments of the call, the job running,
	// its slices of them, and the concatenated results.
	type mapRectWork struct {
		phi, th, xr, xi *value
		job             int
		thJ, xrJ, xiJ   value
		out             value
	}
	work := newState(c, func() *mapRectWork { return &mapRectWork{} })
	slice := func(job int, dst *value, v *value) *value {
		block := size(v.Dims[1:])
		dst.Dims = v.Dims[1:]
		if v.I != nil {
			dst.I, dst.R = v.I[job*block:(job+1)*block], nil
		} else {
			dst.R, dst.I = v.R[job*block:(job+1)*block], nil
		}
		return dst
	}
	fargs := []cexpr{
		{t: vec, c: c, v: func(e *env) *value { return work.of(e).phi }},
		{t: vec, c: c, v: func(e *env) *value { w := work.of(e); return slice(w.job, &w.thJ, w.th) }},
		{t: want[2], c: c, v: func(e *env) *value { w := work.of(e); return slice(w.job, &w.xrJ, w.xr) }},
		{t: want[3], c: c, v: func(e *env) *value { w := work.of(e); return slice(w.job, &w.xiJ, w.xi) }},
	}
	g := c.userCall(x, &check.Call{Name: f.Name, Sig: f.Sig, User: f}, fargs, vec).v
	return cexpr{t: t, v: func(e *env) *value {
		w := work.of(e)
		w.phi, w.th, w.xr, w.xi = phiF(e), thF(e), xrF(e), xiF(e)
		th, xr, xi, buf := w.th, w.xr, w.xi, &w.out
		for _, a := range xr.R {
			if !a.IsConst() {
				fail(pos, "map_rect: the real data must be data, but depend on parameters")
			}
		}
		jobs := th.Dims[0]
		if xr.Dims[0] != jobs || xi.Dims[0] != jobs {
			fail(pos, "map_rect: the job parameters (%d), the real data (%d) and the int data (%d) must have the same number of jobs", jobs, xr.Dims[0], xi.Dims[0])
		}
		buf.R = buf.R[:0]
		for w.job = range jobs {
			out := g(e)
			buf.R = append(buf.R, out.R...)
		}
		buf.Dims, buf.I = append(buf.Dims[:0], len(buf.R)), nil
		return buf
	}}
}

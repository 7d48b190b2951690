package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/types"
)

// The variadic ODE interface: ode_rk45(f, y0, t0, ts, ...) and the _tol
// forms ode_rk45_tol(f, y0, t0, ts, rel_tol, abs_tol, max_num_steps, ...),
// whose system function is vector f(real t, vector y, ...), taking the
// arguments after ts (or after max_num_steps) as they are.
//
// Every one is solved by the Dormand–Prince solver of integrate_ode_rk45
// (dopri5.go), which is what Stan runs for ode_rk45. Stan solves ode_bdf
// and ode_adams with CVODES (backward differentiation formulas and
// Adams–Moulton) and ode_ckrk with Boost's Cash–Karp 5(4) pair: their
// solutions agree with this one to within the tolerances, only a stiff
// system takes many more (and possibly too many) explicit steps here.
var odeVariadicDefaults = map[string]struct {
	rel, abs float64
	steps    int
	tol      bool // the _tol form: tolerances and steps after ts
}{
	"ode_rk45": {1e-6, 1e-6, 1e6, false}, "ode_rk45_tol": {0, 0, 0, true},
	"ode_ckrk": {1e-6, 1e-6, 1e6, false}, "ode_ckrk_tol": {0, 0, 0, true},
	"ode_bdf": {1e-10, 1e-10, 1e8, false}, "ode_bdf_tol": {0, 0, 0, true},
	"ode_adams": {1e-10, 1e-10, 1e8, false}, "ode_adams_tol": {0, 0, 0, true},
}

// odeArg is one of the arguments passed through to the system function:
// its compiled expression and the slot of its value during a solve.
type odeArg struct {
	e    cexpr
	t    types.Type
	data dataOnly
	// write stores a tuple or complex argument, converted to t.
	write func(*env, *value)
	val   stateSlot[odeArgVal]
}

// odeArgVal is a passed-through argument's value during a solve in one
// Model, and whether the solution has sensitivities with respect to it
// (any of its values depends on parameters: then, as Stan types it, all
// of them do). The sensitivities are in flat's reals, which for a tuple
// are its members' (nested tuples' too) in eachReal's order; leaves are
// the same reals of arg, as the system function reads them.
type odeArgVal struct {
	in     value // the value passed to the solver
	arg    value // the value the system function reads
	vars   bool
	flat   []ad.Var // in's reals
	leaves []ad.Var // arg's reals, after pass
	// A tuple's flat reals and leaves, which in.R and arg.R hold otherwise.
	inReals, own []ad.Var
}

// of is the argument's value in e's Model.
func (a *odeArg) of(e *env) *odeArgVal { return a.val.of(e) }

// odeVariadic is one call site of a variadic ODE solver.
type odeVariadic struct {
	odeCore

	y0F, tsF func(*env) *value
	t0F      func(*env) ad.Var
	args     []*odeArg

	// The current call: whether the initial time and the output times
	// depend on parameters, and their derivatives' working memory.
	t0Var, tsVar bool
	t0           ad.Var
	tsV          []ad.Var
	f0, yv, ft   []float64
}

func (c *compiler) odeVariadicCall(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	return c.odeVariadic(x, call, call.Name, odeVariadicDefaults[call.Name].tol, args, t)
}

// odeVariadic compiles a call of the solver name, a _tol form when tol.
func (c *compiler) odeVariadic(x *ast.CallExpr, call *check.Call, name string, tol bool, args []cexpr, t types.Type) cexpr {
	def := odeVariadicDefaults[name]
	def.tol = tol
	bad := func(format string, a ...any) cexpr {
		c.errorf(x.Pos(), name+": "+format, a...)
		return cexpr{t: t, v: func(*env) *value { return &value{} }}
	}
	first := 4 // the first argument passed through
	if def.tol {
		first = 7
	}
	if len(args) < first {
		return bad("takes at least %d arguments, but got %d", first, len(args))
	}
	f := call.FuncArg
	nv := len(args) - first
	if len(f.Sig.Args) != 2+nv || f.Sig.Args[0] != types.RealT || f.Sig.Args[1] != types.VectorT || f.Sig.Ret != types.VectorT {
		return bad("the system function '%s' must take (real, vector) and then the %d arguments after the %s, and return a vector, not %v", f.Name, nv, map[bool]string{false: "times", true: "maximum number of steps"}[def.tol], f.Sig)
	}
	switch {
	case args[1].t != types.VectorT:
		return bad("the initial state (argument 2) must be a vector, not %v", args[1].t)
	case !isScalar(args[2].t):
		return bad("the initial time (argument 3) must be a real, not %v", args[2].t)
	case args[3].t.Dims != 1 || !(args[3].t.Kind == types.Real || args[3].t.Kind == types.Int):
		return bad("the times (argument 4) must be an array of reals, not %v", args[3].t)
	}
	s := &odeVariadic{odeCore: odeCore{name: name, pos: c.pos(x.Pos())}}
	s.y0F, s.t0F, s.tsF = args[1].val(true), args[2].real(), args[3].val(true)
	if def.tol {
		for k, what := range []string{"relative tolerance", "absolute tolerance", "maximum number of steps"} {
			if !isScalar(args[4+k].t) || (k == 2 && args[6].t != types.IntT) {
				return bad("the %s (argument %d) must be a %s, not %v", what, 5+k, map[bool]string{false: "real", true: "int"}[k == 2], args[4+k].t)
			}
		}
		s.relF, s.absF, s.stepsF = args[4].real(), args[5].real(), args[6].i
	} else {
		s.defaults(def.rel, def.abs, def.steps)
	}
	site := siteSlot(c, s)
	fargs := []cexpr{
		{t: types.RealT, r: func(e *env) ad.Var { return site.of(e).tArg }},
		{t: types.VectorT, v: func(e *env) *value { return &site.of(e).yArg }},
	}
	for k, a := range args[first:] {
		pt := f.Sig.Args[2+k]
		if !types.Promotes(a.t, pt) {
			return bad("argument %d is %v, but the system function '%s' takes %v there", first+k+1, a.t, f.Name, pt)
		}
		oa, fa := c.passThrough(a, pt, declaredData(f.Decl.Params[2+k], s.pos, "%s: argument %d of the system function", name, k+3))
		s.args = append(s.args, oa)
		fargs = append(fargs, fa)
	}
	s.call = c.userCall(x, &check.Call{Name: f.Name, Sig: f.Sig, User: f}, fargs, types.VectorT).v
	s.src = c.rhsSource(f)
	return cexpr{t: t, v: func(e *env) *value { return site.of(e).eval(e) }}
}

func (s *odeVariadic) checkFinite(what string, xs []ad.Var) {
	for i, x := range xs {
		if math.IsInf(x.Val, 0) || math.IsNaN(x.Val) {
			if len(xs) == 1 && what != "initial state" && what != "times" {
				s.fail("%s is %v, but must be finite!", what, x.Val)
			}
			s.fail("%s[%d] is %v, but must be finite!", what, i+1, x.Val)
		}
	}
}

// load evaluates an argument passed through into e's Model's buffers and
// returns them. It rejects a value that depends on parameters where the
// function declares the parameter data.
func (a *odeArg) load(e *env) *odeArgVal {
	v := a.of(e)
	switch {
	case a.write != nil:
		a.write(e, &v.in)
	case a.t == types.IntT:
		v.in.shape(nil, true)
		v.in.I[0] = a.e.i(e)
	case a.t == types.RealT:
		v.in.shape(nil, false)
		v.in.R[0] = a.e.real()(e)
	default:
		v.in.copyFrom(a.e.v(e))
	}
	v.flat = v.in.R
	if v.in.T != nil {
		v.inReals = v.inReals[:0]
		v.in.eachReal(func(x *ad.Var) { v.inReals = append(v.inReals, *x) })
		v.flat = v.inReals
	}
	v.vars = ad.AnyVar(v.flat)
	if v.vars && a.data.what != "" {
		fail(a.data.pos, "%s is declared data, but depends on parameters", a.data.what)
	}
	v.arg.copyFrom(&v.in)
	v.leaves = v.arg.R
	return v
}

func (s *odeVariadic) eval(e *env) *value {
	if s.busy {
		s.fail("the system function calls the solver that is calling it")
	}
	y0, t0, ts := s.y0F(e), s.t0F(e), s.tsF(e)
	for _, a := range s.args {
		a.load(e)
	}
	rel, abs, maxSteps := s.relF(e).Val, s.absF(e).Val, s.stepsF(e)

	// Stan's checks, in Stan's order and words.
	s.checkFinite("initial state", y0.R)
	s.checkFinite("initial time", []ad.Var{t0})
	s.checkFinite("times", ts.R)
	for _, a := range s.args {
		s.checkFinite("ode parameters and data", a.of(e).flat)
	}
	if len(y0.R) == 0 {
		s.fail("initial state has size 0, but must have a non-zero size")
	}
	if len(ts.R) == 0 {
		s.fail("times has size 0, but must have a non-zero size")
	}
	for k := 1; k < len(ts.R); k++ {
		if !(ts.R[k].Val >= ts.R[k-1].Val) {
			s.fail("times is not a valid sorted vector. The element at %d is %v, but should be greater than or equal to the previous element, %v", k+1, ts.R[k].Val, ts.R[k-1].Val)
		}
	}
	if !(t0.Val < ts.R[0].Val) {
		s.fail("initial time is %v, but must be less than %v", t0.Val, ts.R[0].Val)
	}
	if !(rel > 0) || math.IsInf(rel, 0) {
		s.fail("relative_tolerance is %v, but must be positive finite!", rel)
	}
	if !(abs > 0) || math.IsInf(abs, 0) {
		s.fail("absolute_tolerance is %v, but must be positive finite!", abs)
	}
	if maxSteps <= 0 {
		s.fail("max_num_steps is %d, but must be positive!", maxSteps)
	}

	s.begin(y0.R, ts.R)
	n := s.n
	s.t0 = t0
	s.tsV = append(s.tsV[:0], ts.R...)
	// A parameter initial time makes the initial state a parameter too, as
	// in Stan: its derivative goes through the state's sensitivities.
	s.t0Var = !t0.IsConst()
	s.y0Var = ad.AnyVar(s.y0) || s.t0Var
	s.tsVar = ad.AnyVar(s.tsV)
	s.np = 0
	if s.y0Var {
		s.np += n
	}
	for _, a := range s.args {
		if v := a.of(e); v.vars {
			s.np += len(v.flat)
		}
	}
	size := s.coupled()
	T := len(s.ts)
	s.rargs = s.rargs[:0]
	for _, a := range s.args {
		v := a.of(e)
		s.rargs = append(s.rargs, rhsArg{reals: v.flat, ints: v.in.I, vars: v.vars})
	}
	s.prog.link(s.src, n, s.np, s.rargs)
	if err := s.solve(e, s, t0.Val, rel, abs, maxSteps); err != nil {
		if se, ok := err.(*odeStepsError); ok {
			s.fail("Failed to integrate to next output time (%v) in less than max_num_steps steps", se.t)
		}
		s.fail("%v", err)
	}
	if s.t0Var {
		// dy(t)/dt0 = -Φ(t, t0) f(t0, y0).
		s.f0 = grow(s.f0, n)
		s.yv = grow(s.yv, n)
		for i, v := range s.y0 {
			s.yv[i] = v.Val
		}
		s.rhsValue(e, t0.Val, s.yv, s.f0)
	}

	s.dims = [2]int{T, n}
	s.out.shape(s.dims[:], false)
	tp := e.t
	for k := range T {
		z := s.obs[k*size : (k+1)*size]
		if s.tsVar && !s.tsV[k].IsConst() {
			// dy(t)/dt = f(t, y(t)).
			s.ft = grow(s.ft, n)
			s.rhsValue(e, s.ts[k], z[:n], s.ft)
		}
		for i := range n {
			if s.np == 0 && !s.tsVar {
				s.out.R[k*n+i] = ad.Const(z[i])
				continue
			}
			b := tp.Begin()
			p := 0
			if s.y0Var {
				s.addInitial(&b, z, i)
				if s.t0Var {
					dt0 := 0.0
					for j := range s.y0 {
						dt0 -= s.f0[j] * z[s.sens(i, j)]
					}
					b.Add(s.t0, dt0)
				}
				p = n
			}
			for _, a := range s.args {
				if v := a.of(e); v.vars {
					p = s.addParams(&b, v.flat, z, p, i)
				}
			}
			if s.tsVar && !s.tsV[k].IsConst() {
				b.Add(s.tsV[k], s.ft[i])
			}
			s.out.R[k*n+i] = b.End(z[i])
		}
	}
	return &s.out
}

// rhsValue evaluates f(t, y) without sensitivities.
func (s *odeVariadic) rhsValue(e *env, t float64, y, dy []float64) {
	if s.fastValue(t, y, dy) {
		return
	}
	defer s.leave(e, s.enter(e))
	s.tape.Reset()
	s.tArg = ad.Const(t)
	for i, v := range y {
		s.yArg.R[i] = ad.Const(v)
	}
	for _, a := range s.args {
		a.of(e).pass(s.tape, false)
	}
	out := s.call(s.e)
	if len(out.R) != len(y) {
		fail(s.pos, "%s: dy_dt (%d) and states (%d) must match in size", s.name, len(out.R), len(y))
	}
	for i, v := range out.R {
		dy[i] = v.Val
	}
}

// rhs is the coupled system's right-hand side (odeSystem): the states,
// then for each parameter p, dz_p/dt = J_y z_p + ∂f/∂p.
func (s *odeVariadic) rhs(t float64, z, dz []float64) {
	if s.fastRHS(t, z, dz) {
		return
	}
	n, tp := s.n, s.tape
	s.loadState(t, z)
	for _, a := range s.args {
		v := a.of(s.e)
		v.pass(tp, v.vars)
	}
	dy := s.call(s.e)
	if len(dy.R) != n {
		fail(s.pos, "%s: dy_dt (%d) and states (%d) must match in size", s.name, len(dy.R), n)
	}
	for i := range n {
		dz[i] = dy.R[i].Val
	}
	if s.np == 0 {
		return
	}
	p0 := 0
	if s.y0Var {
		p0 = n
	}
	for i := range n {
		s.jacobianRow(dy.R[i])
		// The direct partials ∂f_i/∂p of the arguments, after the initial
		// state's, then the chain through the states.
		leafAdjoints(tp, s.args, s.e, dz[s.sens(i, p0):s.sens(i, s.np)])
		for p := range p0 {
			dz[s.sens(i, p)] = s.chain(0, z, p)
		}
		for p := p0; p < s.np; p++ {
			dz[s.sens(i, p)] += s.chain(0, z, p)
		}
	}
}

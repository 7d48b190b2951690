package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/types"
)

// odeDefaults are the tolerances and step limits of the ODE solvers when
// the call leaves them out: Stan's.
//
// integrate_ode_bdf and integrate_ode_adams are solved by the same
// Dormand–Prince solver as integrate_ode_rk45. Stan solves them with
// CVODES (backward differentiation formulas and Adams–Moulton), whose
// solutions agree with this one to within the tolerances: a non-stiff
// system gets the same answer, only a stiff one takes many more (and
// possibly too many) explicit steps.
var odeDefaults = map[string]struct {
	rel, abs float64
	steps    int
}{
	"integrate_ode":       {1e-6, 1e-6, 1e6}, // Stan's first name of integrate_ode_rk45
	"integrate_ode_rk45":  {1e-6, 1e-6, 1e6},
	"integrate_ode_bdf":   {1e-10, 1e-10, 1e8},
	"integrate_ode_adams": {1e-10, 1e-10, 1e8},
}

// odeSolver is one call site of an ODE solver with its working memory.
//
// When the initial state or the parameters depend on parameters, it
// integrates Stan's coupled forward-sensitivity system (Stan's
// coupled_ode_system): the N states, then N sensitivities for each of P
// parameters (the N initial values first when they are parameters, then
// the M entries of theta), component [N + N*p + i] being dy_i/dparam_p.
// The solver's error control covers all of it, as in Stan. The right-hand
// side's Jacobian comes from running the compiled system function on a
// scratch tape with the state and theta as its leaves, one reverse sweep
// per equation. Each output is one statement on the main tape whose
// partials are the sensitivities.
type odeSolver struct {
	odeCore

	// The compiled arguments of the call.
	y0F, tsF func(*env) *value
	t0F      func(*env) ad.Var

	// The arguments the system function reads besides the time and state;
	// the sensitivities include theta when th.vars.
	th, xr, xi *odeArg
}

// odeCall compiles integrate_ode_rk45(f, y0, t0, ts, theta, x_r, x_i) and
// the form with rel_tol, abs_tol and max_num_steps after them (and
// integrate_ode_bdf and integrate_ode_adams the same way).
func (c *compiler) odeCall(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	name := call.Name
	bad := func(format string, a ...any) cexpr {
		c.errorf(x.Pos(), name+": "+format, a...)
		return cexpr{t: t, v: func(*env) *value { return &value{} }}
	}
	def, ok := odeDefaults[name]
	if !ok {
		return bad("is not a solver of the old interface")
	}
	if len(args) != 7 && len(args) != 10 {
		return bad("takes 7 or 10 arguments, but got %d", len(args))
	}
	f := call.FuncArg
	realArr, intArr := types.Array(types.RealT, 1), types.Array(types.IntT, 1)
	want := types.Signature{Args: []types.Type{types.RealT, realArr, realArr, realArr, intArr}, Ret: realArr}
	if !sameSig(f.Sig, want) {
		return bad("the system function '%s' must have the signature %v, not %v", f.Name, want, f.Sig)
	}
	isReals := func(a cexpr) bool { return a.t.Dims == 1 && (a.t.Kind == types.Real || a.t.Kind == types.Int) }
	for k, what := range []string{1: "initial state", 3: "times", 4: "parameter vector", 5: "continuous data"} {
		if what != "" && !isReals(args[k]) {
			return bad("the %s (argument %d) must be an array of reals, not %v", what, k+1, args[k].t)
		}
	}
	if !isScalar(args[2].t) {
		return bad("the initial time (argument 3) must be a real, not %v", args[2].t)
	}
	if args[6].t != intArr {
		return bad("the integer data (argument 7) must be an array of ints, not %v", args[6].t)
	}
	s := &odeSolver{odeCore: odeCore{name: name, pos: c.pos(x.Pos())}}
	s.y0F, s.t0F, s.tsF = args[1].val(true), args[2].real(), args[3].val(true)
	if len(args) == 10 {
		for k := 7; k < 10; k++ {
			if !isScalar(args[k].t) {
				return bad("argument %d must be a number, not %v", k+1, args[k].t)
			}
		}
		s.relF, s.absF = args[7].real(), args[8].real()
		if args[9].i != nil {
			s.stepsF = args[9].i
		} else {
			// Stan 2.21 took a real here too (C++ converts it).
			r := args[9].r
			s.stepsF = func(e *env) int { return int(r(e).Val) }
		}
	} else {
		s.defaults(def.rel, def.abs, def.steps)
	}
	// The system function reads its arguments from the solver.
	var th, xr, xi cexpr
	s.th, th = c.passThrough(args[4], realArr, dataOnly{})
	s.xr, xr = c.passThrough(args[5], realArr, dataOnly{})
	s.xi, xi = c.passThrough(args[6], intArr, dataOnly{})
	site := siteSlot(c, s)
	fargs := []cexpr{
		{t: types.RealT, r: func(e *env) ad.Var { return site.of(e).tArg }},
		{t: realArr, v: func(e *env) *value { return &site.of(e).yArg }},
		th, xr, xi,
	}
	s.call = c.userCall(x, &check.Call{Name: f.Name, Sig: f.Sig, User: f}, fargs, realArr).v
	s.src = c.rhsSource(f)
	return cexpr{t: t, v: func(e *env) *value { return site.of(e).eval(e) }}
}

func sameSig(a, b types.Signature) bool {
	if a.Ret != b.Ret || len(a.Args) != len(b.Args) {
		return false
	}
	for i := range a.Args {
		if a.Args[i] != b.Args[i] {
			return false
		}
	}
	return true
}

// checkFinite is Stan's check_finite of an argument.
func (s *odeSolver) checkFinite(what string, xs []ad.Var) {
	for i, x := range xs {
		if math.IsInf(x.Val, 0) || math.IsNaN(x.Val) {
			s.fail("%s[%d] is %v, but must be finite!", what, i+1, x.Val)
		}
	}
}

// checkData rejects an argument that Stan requires to be data.
func (s *odeSolver) checkData(what string, xs ...ad.Var) {
	for _, x := range xs {
		if !x.IsConst() {
			s.fail("the %s must be data, but depends on parameters", what)
		}
	}
}

func (s *odeSolver) eval(e *env) *value {
	if s.busy {
		s.fail("the system function calls the solver that is calling it")
	}
	y0, t0, ts := s.y0F(e), s.t0F(e), s.tsF(e)
	// Copied: the system function may overwrite the buffers they came in.
	thv := s.th.load(e)
	th, xr := thv.in.R, s.xr.load(e).in.R
	s.xi.load(e)
	rel, abs, maxSteps := s.relF(e).Val, s.absF(e).Val, s.stepsF(e)

	// Stan's checks, in Stan's order and words.
	s.checkFinite("initial state", y0.R)
	if math.IsInf(t0.Val, 0) || math.IsNaN(t0.Val) {
		s.fail("initial time is %v, but must be finite!", t0.Val)
	}
	s.checkFinite("times", ts.R)
	s.checkFinite("parameter vector", th)
	s.checkFinite("continuous data", xr)
	if len(ts.R) == 0 {
		s.fail("times has size 0, but must have a non-zero size")
	}
	if len(y0.R) == 0 {
		s.fail("initial state has size 0, but must have a non-zero size")
	}
	for k := 1; k < len(ts.R); k++ {
		if !(ts.R[k].Val > ts.R[k-1].Val) {
			s.fail("times is not a valid ordered vector. The element at %d is %v, but should be greater than the previous element, %v", k+1, ts.R[k].Val, ts.R[k-1].Val)
		}
	}
	if !(t0.Val < ts.R[0].Val) {
		s.fail("initial time is %v, but must be less than %v", t0.Val, ts.R[0].Val)
	}
	if !(rel > 0) {
		s.fail("relative_tolerance, %v, must be greater than 0", rel)
	}
	if !(abs > 0) {
		s.fail("absolute_tolerance, %v, must be greater than 0", abs)
	}
	if maxSteps <= 0 {
		s.fail("max_num_steps, %d, must be greater than 0", maxSteps)
	}
	s.checkData("initial time", t0)
	s.checkData("times", ts.R...)
	s.checkData("continuous data", xr...)

	// Copy the arguments: the system function may overwrite the buffers
	// they came in.
	s.begin(y0.R, ts.R)
	n := s.n
	// Like Stan's types, the whole initial state (theta) has sensitivities
	// when any of its values depends on parameters.
	s.y0Var = ad.AnyVar(s.y0)
	s.np = 0
	if s.y0Var {
		s.np += n
	}
	if thv.vars {
		s.np += len(th)
	}
	size := s.coupled()
	T := len(s.ts)
	s.rargs = append(s.rargs[:0], rhsArg{reals: th, vars: thv.vars}, rhsArg{reals: xr}, rhsArg{ints: s.xi.of(e).in.I})
	s.prog.link(s.src, n, s.np, s.rargs)

	if err := s.solve(e, s, t0.Val, rel, abs, maxSteps); err != nil {
		s.fail("%v", err)
	}

	// The outputs, with the sensitivities as their partials.
	s.dims = [2]int{T, n}
	s.out.shape(s.dims[:], false)
	tp := e.t
	for k := range T {
		z := s.obs[k*size : (k+1)*size]
		for i := range n {
			if s.np == 0 {
				s.out.R[k*n+i] = ad.Const(z[i])
				continue
			}
			b := tp.Begin()
			p := 0
			if s.y0Var {
				s.addInitial(&b, z, i)
				p = n
			}
			if thv.vars {
				s.addParams(&b, th, z, p, i)
			}
			s.out.R[k*n+i] = b.End(z[i])
		}
	}
	return &s.out
}

// rhs is the coupled system's right-hand side (odeSystem).
func (s *odeSolver) rhs(t float64, z, dz []float64) {
	if s.fastRHS(t, z, dz) {
		return
	}
	n, tp := s.n, s.tape
	s.loadState(t, z)
	thv := s.th.of(s.e)
	thv.pass(tp, thv.vars)
	th := thv.arg.R
	dy := s.call(s.e)
	if len(dy.R) != n {
		fail(s.pos, "coupled_ode_system: dz_dt (%d) and states (%d) must match in size", len(dy.R), n)
	}
	for i := range n {
		dz[i] = dy.R[i].Val
	}
	if s.np == 0 {
		return
	}
	p0 := 0 // the first sensitivity with respect to theta
	if s.y0Var {
		p0 = n
	}
	for i := range n {
		// Row i of the Jacobian: d f_i / d y and d f_i / d theta.
		s.jacobianRow(dy.R[i])
		for p := range s.np {
			d := 0.0
			if p >= p0 {
				d = tp.Adjoint(th[p-p0])
			}
			dz[s.sens(i, p)] = s.chain(d, z, p)
		}
	}
}

// grow returns s resized to n, reusing its memory when it is large enough.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

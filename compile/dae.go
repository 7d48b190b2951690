package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// The DAE solvers (Stan 2.29; Functions Reference, "Differential-Algebraic
// Equation (DAE) solver"): dae(residual, yy0, yp0, t0, ts, ...) and
// dae_tol(residual, yy0, yp0, t0, ts, rtol, atol, max_num_steps, ...),
// residual being vector residual(real t, vector y, vector y', ...). Stan
// solves them with IDAS; here the BDF solver of dae_bdf.go does, with
// forward sensitivities in the initial state and the arguments passed
// through. The solution of an index-1 DAE does not depend on y'(t0)
// (it only seeds the first step), so its partials in yp0 are 0.

// addDAE defines dae and dae_tol.
func (l *library) addDAE() {
	l.higher["dae"] = (*compiler).daeCall
	l.higher["dae_tol"] = (*compiler).daeCall
}

// daeSite is one call site of a DAE solver; each Model has its copy.
type daeSite struct {
	nested
	name string
	pos  token.Position

	relF, absF func(*env) ad.Var
	stepsF     func(*env) int
	yy0F, yp0F func(*env) *value
	t0F        func(*env) ad.Var
	tsF        func(*env) *value
	args       []*odeArg
	call       func(*env) *value

	// What the residual reads.
	tArg        ad.Var
	yArg, ypArg value

	// The current call.
	n, np  int
	y0Var  bool
	y0     []ad.Var
	bdf    daeBDF
	s0, ys []float64
	ss     []float64
	out    value
}

func (c *compiler) daeCall(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	name := call.Name
	first := 5
	if name == "dae_tol" {
		first = 8
	}
	if len(args) < first {
		return c.badCall(x, t, "takes at least %d arguments, but got %d", first, len(args))
	}
	f := call.FuncArg
	nv := len(args) - first
	if len(f.Sig.Args) != 3+nv || f.Sig.Args[0] != types.RealT || f.Sig.Args[1] != types.VectorT || f.Sig.Args[2] != types.VectorT || f.Sig.Ret != types.VectorT {
		return c.badCall(x, t, "the residual function '%s' must take (real, vector, vector) and then the %d arguments passed through, and return a vector, not %v", f.Name, nv, f.Sig)
	}
	s := &daeSite{name: name, pos: c.pos(x.Pos())}
	s.yy0F, s.yp0F, s.t0F, s.tsF = args[1].val(true), args[2].val(true), args[3].real(), args[4].val(true)
	if first == 8 {
		s.relF, s.absF, s.stepsF = args[5].real(), args[6].real(), args[7].i
	} else {
		rel, abs := ad.Const(1e-10), ad.Const(1e-10)
		s.relF = func(*env) ad.Var { return rel }
		s.absF = func(*env) ad.Var { return abs }
		s.stepsF = func(*env) int { return 100000000 }
	}
	site := siteSlot(c, s)
	fargs := []cexpr{
		{t: types.RealT, r: func(e *env) ad.Var { return site.of(e).tArg }},
		{t: types.VectorT, v: func(e *env) *value { return &site.of(e).yArg }},
		{t: types.VectorT, v: func(e *env) *value { return &site.of(e).ypArg }},
	}
	for k, a := range args[first:] {
		pt := f.Sig.Args[3+k]
		if !types.Promotes(a.t, pt) {
			return c.badCall(x, t, "argument %d is %v, but the residual function '%s' takes %v there", first+k+1, a.t, f.Name, pt)
		}
		oa, fa := c.passThrough(a, pt, declaredData(f.Decl.Params[3+k], s.pos, "%s: argument %d of the residual function", s.name, k+4))
		s.args = append(s.args, oa)
		fargs = append(fargs, fa)
	}
	s.call = c.userCall(x, &check.Call{Name: f.Name, Sig: f.Sig, User: f}, fargs, types.VectorT).v
	return cexpr{t: t, v: func(e *env) *value { return site.of(e).eval(e) }}
}

func (s *daeSite) scratch() *nested { return &s.nested }

func (s *daeSite) fail(format string, a ...any) { fail(s.pos, s.name+": "+format, a...) }

func (s *daeSite) eval(e *env) *value {
	if s.busy {
		s.fail("the residual function calls the solver that is calling it")
	}
	yy0, yp0, t0, ts := s.yy0F(e), s.yp0F(e), s.t0F(e), s.tsF(e)
	for _, a := range s.args {
		a.load(e)
	}
	rel, abs, maxSteps := s.relF(e).Val, s.absF(e).Val, s.stepsF(e)
	finite := func(what string, xs []ad.Var) {
		for i, x := range xs {
			if math.IsInf(x.Val, 0) || math.IsNaN(x.Val) {
				s.fail("%s[%d] is %v, but must be finite!", what, i+1, x.Val)
			}
		}
	}
	finite("initial state", yy0.R)
	finite("initial state derivative", yp0.R)
	finite("initial time", []ad.Var{t0})
	finite("times", ts.R)
	for _, a := range s.args {
		finite("DAE parameters and data", a.of(e).flat)
	}
	n := len(yy0.R)
	switch {
	case n == 0:
		s.fail("initial state has size 0, but must have a non-zero size")
	case len(yp0.R) != n:
		s.fail("initial state derivative has size %d, but must have the size of the initial state, %d", len(yp0.R), n)
	case len(ts.R) == 0:
		s.fail("times has size 0, but must have a non-zero size")
	case !(t0.Val < ts.R[0].Val):
		s.fail("initial time is %v, but must be less than %v", t0.Val, ts.R[0].Val)
	case !(rel > 0) || math.IsInf(rel, 0):
		s.fail("relative_tolerance is %v, but must be positive finite!", rel)
	case !(abs > 0) || math.IsInf(abs, 0):
		s.fail("absolute_tolerance is %v, but must be positive finite!", abs)
	case maxSteps <= 0:
		s.fail("max_num_steps is %d, but must be positive!", maxSteps)
	}
	tsv := make([]float64, len(ts.R))
	for k, v := range ts.R {
		tsv[k] = v.Val
		if k > 0 && !(v.Val >= tsv[k-1]) {
			s.fail("times is not a valid sorted vector. The element at %d is %v, but should be greater than or equal to the previous element, %v", k+1, v.Val, tsv[k-1])
		}
	}
	if !t0.IsConst() || ad.AnyVar(ts.R) {
		s.fail("the initial time and the times must be data")
	}

	s.n = n
	s.y0 = append(s.y0[:0], yy0.R...)
	s.y0Var = ad.AnyVar(s.y0)
	s.np = 0
	if s.y0Var {
		s.np = n
	}
	for _, a := range s.args {
		if v := a.of(e); v.vars {
			s.np += len(v.flat)
		}
	}
	s.yArg.shape([]int{n}, false)
	s.ypArg.shape([]int{n}, false)
	y0v, yp0v := make([]float64, n), make([]float64, n)
	for i := range n {
		y0v[i], yp0v[i] = yy0.R[i].Val, yp0.R[i].Val
	}
	s.s0 = grow(s.s0, n*s.np)
	clear(s.s0)
	if s.y0Var {
		for i := range n {
			s.s0[i*n+i] = 1
		}
	}
	T := len(tsv)
	s.ys = grow(s.ys, T*n)
	s.ss = grow(s.ss, T*n*s.np)
	err := func() error {
		defer s.leave(e, s.enter(e))
		return s.bdf.integrate(s, y0v, yp0v, s.s0, s.np, t0.Val, tsv, rel, abs, maxSteps, s.ys, s.ss)
	}()
	if err != nil {
		s.fail("%v", err)
	}
	s.out.shape([]int{T, n}, false)
	tp := e.t
	for k := range T {
		sens := s.ss[k*n*s.np : (k+1)*n*s.np]
		for i := range n {
			if s.np == 0 {
				s.out.R[k*n+i] = ad.Const(s.ys[k*n+i])
				continue
			}
			b := tp.Begin()
			p := 0
			if s.y0Var {
				for j, v := range s.y0 {
					b.Add(v, sens[j*n+i])
				}
				p = n
			}
			for _, a := range s.args {
				if v := a.of(e); v.vars {
					for j, x := range v.flat {
						b.Add(x, sens[(p+j)*n+i])
					}
					p += len(v.flat)
				}
			}
			s.out.R[k*n+i] = b.End(s.ys[k*n+i])
		}
	}
	return &s.out
}

// load sets what the residual reads, with y, y' and (when vars) the
// arguments leaves of the scratch tape, and returns the residual.
func (s *daeSite) load(t float64, y, yp []float64, vars bool) []ad.Var {
	tp := s.tape
	tp.Reset()
	s.tArg = ad.Const(t)
	for i := range y {
		s.yArg.R[i] = tp.Var(y[i])
		s.ypArg.R[i] = tp.Var(yp[i])
	}
	for _, a := range s.args {
		v := a.of(s.e)
		v.pass(tp, vars && v.vars)
	}
	r := s.call(s.e)
	if len(r.R) != len(y) {
		fail(s.pos, "%s: the residual (%d) and the states (%d) must match in size", s.name, len(r.R), len(y))
	}
	return r.R
}

// residual is daeSystem's.
func (s *daeSite) residual(t float64, y, yp, r []float64) {
	for i, v := range s.load(t, y, yp, false) {
		r[i] = v.Val
	}
}

// jacobian is daeSystem's: a reverse sweep of the scratch tape per
// component of the residual.
func (s *daeSite) jacobian(t float64, y, yp, jy, jyp, fp []float64) {
	n := s.n
	r := s.load(t, y, yp, fp != nil)
	p0 := 0
	if s.y0Var {
		p0 = n
	}
	for i := range n {
		s.tape.Grad(r[i])
		for k := range n {
			jy[i*n+k] = s.tape.Adjoint(s.yArg.R[k])
			jyp[i*n+k] = s.tape.Adjoint(s.ypArg.R[k])
		}
		if fp == nil {
			continue
		}
		// The initial state is no argument of the residual.
		for p := range p0 {
			fp[i*s.np+p] = 0
		}
		leafAdjoints(s.tape, s.args, s.e, fp[i*s.np+p0:])
	}
}

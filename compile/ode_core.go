package compile

import (
	"fmt"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// odeCore is what the integrate_ode_* solvers (odeSolver, ode.go) and the
// variadic ode_* solvers (odeVariadic, ode_variadic.go) share: the system
// function and its scratch tape, the coupled forward-sensitivity state
// (the N states, then each state's sensitivities in the np parameters,
// the initial state's first when it has them), the Dormand–Prince driver and
// the output. Each solver adds its own arguments, checks and direct
// partials.
type odeCore struct {
	name string
	pos  token.Position

	// The tolerances and the step limit of the call.
	relF, absF func(*env) ad.Var
	stepsF     func(*env) int

	// The system function, its scratch tape and the time and state it reads;
	// its source for the straight-line evaluation (ode_rhs.go), the program
	// linked for the current call and the arguments it was linked for.
	call func(*env) *value
	nested
	tArg  ad.Var
	yArg  value
	src   *rhsSource
	prog  rhsProg
	rargs []rhsArg
	// interp leaves every evaluation to the interpreter (for tests that
	// compare the two).
	interp bool

	// The current call.
	n, np       int  // states, parameters of the sensitivities
	y0Var       bool // the sensitivities include the initial state
	y0          []ad.Var
	yAdj        []float64 // a row of the state Jacobian
	z0, ts, obs []float64 // the initial coupled state, the output times, the coupled state at each
	dims        [2]int
	out         value
	rk          dopri5
}

func (s *odeCore) fail(format string, args ...any) {
	fail(s.pos, s.name+": "+format, args...)
}

// defaults sets the tolerances and the step limit of a call that leaves
// them out.
func (s *odeCore) defaults(rel, abs float64, steps int) {
	relV, absV := ad.Const(rel), ad.Const(abs)
	s.relF = func(*env) ad.Var { return relV }
	s.absF = func(*env) ad.Var { return absV }
	s.stepsF = func(*env) int { return steps }
}

// nested is what a solver that runs a user function on its own scratch
// tape (the ODE, algebraic and integrate_1d solvers) needs to swap it in:
// the tape, the environment of the call in progress and whether there is
// one (and the function calls the solver again).
type nested struct {
	tape *ad.Tape
	e    *env
	busy bool
}

func (s *nested) scratch() *nested { return s }

// siteSlot hands out the state slot of a solver's call site: each Model
// gets a copy of the compiled site tmpl, which no evaluation writes, with
// a scratch tape of its own, and keeps its working memory there.
func siteSlot[T any, P interface {
	*T
	scratch() *nested
}](c *compiler, tmpl P) stateSlot[T] {
	return newState(c, func() *T {
		m := *tmpl
		P(&m).scratch().tape = ad.NewTape()
		return &m
	})
}

// enter puts the scratch tape in place of the model's for the user
// function and marks the solver busy; it returns the model's tape for
// leave, which is deferred so that it is restored however the call ends.
func (s *nested) enter(e *env) *ad.Tape {
	saved := e.t
	e.t, s.e, s.busy = s.tape, e, true
	return saved
}

func (s *nested) leave(e *env, saved *ad.Tape) {
	e.t, s.e, s.busy = saved, nil, false
}

// begin copies the initial state and the output times of a call (the
// system function may overwrite the buffers they came in) and shapes the
// state the system function reads.
func (s *odeCore) begin(y0, ts []ad.Var) {
	s.n = len(y0)
	s.y0 = append(s.y0[:0], y0...)
	s.ts = s.ts[:0]
	for _, v := range ts {
		s.ts = append(s.ts, v.Val)
	}
	s.dims = [2]int{s.n, 0}
	s.yArg.shape(s.dims[:1], false)
}

// sens is the index in the coupled state of the sensitivity of state i in
// parameter p. Each state's np sensitivities are contiguous, as are each
// slot's tangents in the straight-line program (ode_rhs.go), which copies
// them in and out whole.
func (s *odeCore) sens(i, p int) int { return s.n + i*s.np + p }

// coupled sets up the coupled state for s.np parameters: the initial
// state, then the sensitivities, those of the initial state the identity
// when it has them, the rest 0. It returns the coupled state's size.
func (s *odeCore) coupled() int {
	n := s.n
	size := n + n*s.np
	s.z0 = grow(s.z0, size)
	clear(s.z0)
	for i, v := range s.y0 {
		s.z0[i] = v.Val
		if s.y0Var {
			s.z0[s.sens(i, i)] = 1
		}
	}
	s.yAdj = grow(s.yAdj, n)
	s.obs = grow(s.obs, len(s.ts)*size)
	return size
}

// solve integrates the coupled system sys (the solver embedding s) from t0
// to every output time, on the scratch tape.
func (s *odeCore) solve(e *env, sys odeSystem, t0, rel, abs float64, maxSteps int) error {
	defer s.leave(e, s.enter(e))
	return s.rk.integrate(sys, s.z0, t0, s.ts, rel, abs, maxSteps, s.obs)
}

// loadState resets the scratch tape and sets the time and the state the
// system function reads: leaves of the tape when there are sensitivities.
func (s *odeCore) loadState(t float64, z []float64) {
	tp := s.tape
	tp.Reset()
	s.tArg = ad.Const(t)
	y := s.yArg.R
	for i := range s.n {
		if s.np > 0 {
			y[i] = tp.Var(z[i])
		} else {
			y[i] = ad.Const(z[i])
		}
	}
}

// jacobianRow sweeps f_i back on the scratch tape, leaving ∂f_i/∂y in
// s.yAdj (and ∂f_i/∂p in the adjoints of the parameters' leaves).
func (s *odeCore) jacobianRow(fi ad.Var) {
	s.tape.Grad(fi)
	for k := range s.n {
		s.yAdj[k] = s.tape.Adjoint(s.yArg.R[k])
	}
}

// chain returns d + (∂f_i/∂y) z_p, the derivative of component i of
// sensitivity p given the direct partial d, after jacobianRow.
func (s *odeCore) chain(d float64, z []float64, p int) float64 {
	for k := range s.n {
		d += z[s.sens(k, p)] * s.yAdj[k]
	}
	return d
}

// addInitial adds the partials of output i, z being the coupled state at
// its time, in the initial state.
func (s *odeCore) addInitial(b *ad.Builder, z []float64, i int) {
	for j, v := range s.y0 {
		b.Add(v, z[s.sens(i, j)])
	}
}

// addParams adds the partials of output i in the parameters xs, whose
// sensitivities start at p, and returns the next parameter's p.
func (s *odeCore) addParams(b *ad.Builder, xs []ad.Var, z []float64, p, i int) int {
	for j, v := range xs {
		b.Add(v, z[s.sens(i, p+j)])
	}
	return p + len(xs)
}

// passThrough compiles argument a of a solver (ODE, algebraic, integrate_1d,
// the Laplace approximation) for the system function's parameter of type
// pt, declared data when data is set: its record, and the expression the
// system function reads it by. A tuple or complex argument is converted to
// pt as it is loaded; its reals are passed in eachReal's order.
func (c *compiler) passThrough(a cexpr, pt types.Type, data dataOnly) (*odeArg, cexpr) {
	oa := &odeArg{e: a, t: pt, data: data, val: newState(c, func() *odeArgVal { return &odeArgVal{} })}
	if pt.Kind == types.Tuple || isComplex(pt.Kind) {
		oa.write = c.writer(a, pt)
	} else if pt.Kind != types.Int && a.v != nil {
		oa.e.v = a.val(true)
	}
	switch {
	case pt == types.IntT:
		return oa, cexpr{t: pt, i: func(e *env) int { return oa.of(e).arg.I[0] }}
	case pt == types.RealT:
		return oa, cexpr{t: pt, r: func(e *env) ad.Var { return oa.of(e).arg.R[0] }}
	case pt == types.ComplexT:
		return oa, cexpr{t: pt, z: func(e *env) cplx { r := oa.of(e).arg.R; return cplx{r[0], r[1]} }}
	}
	return oa, cexpr{t: pt, v: func(e *env) *value { return &oa.of(e).arg }}
}

// dataOnly names an argument passed through whose parameter in the
// function is declared data, for the error odeArg.load raises when its value
// depends on parameters after all (the checker refuses such arguments it
// can see; this catches the rest at run time). The zero dataOnly is an
// argument not declared data.
type dataOnly struct {
	pos  token.Position
	what string // e.g. "ode_rk45: argument 3 of the system function"
}

// declaredData is p's dataOnly, the argument named by format and a, at pos.
func declaredData(p *ast.Param, pos token.Position, format string, a ...any) dataOnly {
	if !p.Type.DataOnly {
		return dataOnly{}
	}
	return dataOnly{pos: pos, what: fmt.Sprintf(format, a...)}
}

// eachReal calls f with every real of v, a tuple's members' in order.
func (v *value) eachReal(f func(*ad.Var)) {
	for i := range v.R {
		f(&v.R[i])
	}
	for i := range v.T {
		v.T[i].eachReal(f)
	}
}

// leafAdjoints writes to dst, in order, the adjoints in tp of the leaves
// of the passed-through arguments that have sensitivities in e's Model.
func leafAdjoints(tp *ad.Tape, args []*odeArg, e *env, dst []float64) {
	p := 0
	for _, a := range args {
		v := a.of(e)
		if !v.vars {
			continue
		}
		for _, x := range v.leaves {
			dst[p] = tp.Adjoint(x)
			p++
		}
	}
}

// pass sets the value the system function reads to the value passed in:
// leaves of tp when vars (to take derivatives in it), else constants, the
// reals set in a.leaves. An argument that is data already holds its
// constants from load.
func (a *odeArgVal) pass(tp *ad.Tape, vars bool) {
	if !a.vars {
		return
	}
	leaf := func(v ad.Var) ad.Var {
		if vars {
			return tp.Var(v.Val)
		}
		return ad.Const(v.Val)
	}
	if a.in.T == nil {
		for j, v := range a.in.R {
			a.arg.R[j] = leaf(v)
		}
		a.leaves = a.arg.R
		return
	}
	// A tuple: its reals in order, as eachReal visits them in both.
	a.own = a.own[:0]
	k := 0
	a.arg.eachReal(func(x *ad.Var) {
		*x = leaf(a.flat[k])
		a.own = append(a.own, *x)
		k++
	})
	a.leaves = a.own
}

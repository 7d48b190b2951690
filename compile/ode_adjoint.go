package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/types"
)

// ode_adjoint_tol_ctl(f, y0, t0, ts, rel_tol_forward, abs_tol_forward,
// rel_tol_backward, abs_tol_backward, rel_tol_quadrature,
// abs_tol_quadrature, max_num_steps, num_steps_between_checkpoints,
// interpolation_polynomial, solver_forward, solver_backward, ...), Stan
// 2.27's adjoint ODE solver (Functions Reference, "Adjoint ODE solver").
// Stan solves the forward problem with CVODES and the gradient by a
// backward adjoint solve with checkpoints. Here the forward problem and
// its forward sensitivities are solved as ode_rk45_tol does
// (ode_variadic.go), to the forward relative tolerance and the smallest
// of the forward absolute tolerances: the sensitivities are those of the
// forward solution, which agree with the adjoint gradient within the
// tolerances given. The backward and quadrature tolerances, the
// checkpointing and the solver choices only steer how CVODES computes the
// same gradient, so they are checked as Stan checks them and otherwise
// unused.

// addODEAdjoint defines ode_adjoint_tol_ctl.
func (l *library) addODEAdjoint() {
	l.higher["ode_adjoint_tol_ctl"] = (*compiler).odeAdjoint
}

func (c *compiler) odeAdjoint(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	const first = 15 // the first argument passed through
	if len(args) < first {
		return c.badCall(x, t, "takes at least %d arguments, but got %d", first, len(args))
	}
	name, pos := call.Name, c.pos(x.Pos())
	y0F := args[1].val(true)
	reals := func(i int) func(*env) []ad.Var {
		f := args[i].val(true)
		return func(e *env) []ad.Var { return f(e).R }
	}
	relF, absF := args[4].real(), reals(5)
	relB, absB := args[6].real(), reals(7)
	relQ, absQ := args[8].real(), args[9].real()
	ckpt, interp, solverF, solverB := args[11].i, args[12].i, args[13].i, args[14].i
	// The smallest forward absolute tolerance, after Stan's checks of the
	// controls.
	abs := cexpr{t: types.RealT, r: func(e *env) ad.Var {
		n := len(y0F(e).R)
		positive := func(what string, v float64) {
			if !(v > 0) || math.IsInf(v, 0) {
				fail(pos, "%s: %s is %v, but must be positive finite!", name, what, v)
			}
		}
		positive("relative_tolerance_forward", relF(e).Val)
		positive("relative_tolerance_backward", relB(e).Val)
		positive("relative_tolerance_quadrature", relQ(e).Val)
		positive("absolute_tolerance_quadrature", absQ(e).Val)
		m := math.Inf(1)
		for _, tol := range []struct {
			what string
			v    []ad.Var
		}{{"absolute_tolerance_forward", absF(e)}, {"absolute_tolerance_backward", absB(e)}} {
			if len(tol.v) != n {
				fail(pos, "%s: %s has size %d, but must have the size of the initial state, %d", name, tol.what, len(tol.v), n)
			}
			for _, v := range tol.v {
				positive(tol.what, v.Val)
			}
		}
		for _, v := range absF(e) {
			m = min(m, v.Val)
		}
		if k := ckpt(e); k <= 0 {
			fail(pos, "%s: num_steps_between_checkpoints is %d, but must be positive!", name, k)
		}
		if k := interp(e); k != 1 && k != 2 {
			fail(pos, "%s: interpolation_polynomial is %d, but must be 1 (Hermite) or 2 (polynomial)", name, k)
		}
		for _, s := range []struct {
			what string
			k    int
		}{{"solver_forward", solverF(e)}, {"solver_backward", solverB(e)}} {
			if s.k != 1 && s.k != 2 {
				fail(pos, "%s: %s is %d, but must be 1 (Adams) or 2 (BDF)", name, s.what, s.k)
			}
		}
		return ad.Const(m)
	}}
	// f, y0, t0, ts, rel, abs, max_num_steps, then the arguments passed.
	fwd := append([]cexpr{args[0], args[1], args[2], args[3], args[4], abs, args[10]}, args[first:]...)
	return c.odeVariadic(x, call, name, true, fwd, t)
}

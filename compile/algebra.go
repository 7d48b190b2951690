package compile

import (
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// The algebraic solvers: algebra_solver(f, y_guess, θ, x_r, x_i) and
// algebra_solver_newton, with rel_tol, f_tol and max_num_steps after x_i,
// whose system is vector f(vector y, vector θ, array[] real x_r,
// array[] int x_i); and solve_newton(f, y_guess, ...) and
// solve_powell(f, y_guess, ...), whose system is vector f(vector y, ...)
// with the arguments after the guess passed through, and their _tol forms,
// which take the scaling step (Newton) or relative tolerance (Powell), the
// function tolerance and the maximum number of steps after the guess.
//
// All of them find the root by Newton's method with a backtracking line
// search on |f|² (falling back to steepest descent where the Jacobian is
// singular), to machine precision or the step limit; Stan runs Powell's
// dogleg method or KINSOL's Newton method, which stop once |f| is within
// the function tolerance. Where the root is unique they agree to within
// that tolerance. The solution's derivatives come from the implicit
// function theorem: dy/dθ = -(∂f/∂y)⁻¹ ∂f/∂θ at the root, as in Stan.

type algebraSolver struct {
	name string
	pos  token.Position
	nested

	guessF         func(*env) *value
	relF, fTolF    func(*env) ad.Var
	stepsF         func(*env) int
	args           []*odeArg
	dataArgs       []int // indices of args that must be data
	call           func(*env) *value
	yArg           value
	n, np          int
	fv, jy, jp, yv []float64
	trial, step    []float64
	out            value
	dims           [1]int
}

// algebraDefaults are Stan's tolerances and steps.
var algebraDefaults = map[string]struct{ rel, fTol float64 }{
	"algebra_solver": {1e-10, 1e-6}, "algebra_solver_newton": {1e-3, 1e-6},
	"solve_newton": {1e-3, 1e-6}, "solve_powell": {1e-10, 1e-6},
	"solve_newton_tol": {1e-3, 1e-6}, "solve_powell_tol": {1e-10, 1e-6},
}

func (c *compiler) algebraSolver(x *ast.CallExpr, call *check.Call, args []cexpr, t types.Type) cexpr {
	name := call.Name
	f := call.FuncArg
	vec := types.VectorT
	s := &algebraSolver{name: name, pos: c.pos(x.Pos())}
	def := algebraDefaults[name]
	rel, fTol, steps := ad.Const(def.rel), ad.Const(def.fTol), 200
	s.relF = func(*env) ad.Var { return rel }
	s.fTolF = func(*env) ad.Var { return fTol }
	s.stepsF = func(*env) int { return steps }
	if len(args) < 2 || args[1].t != vec {
		return c.badCall(x, t, "the initial guess (argument 2) must be a vector")
	}
	s.guessF = args[1].v
	var pass []cexpr
	var params []types.Type
	if name == "algebra_solver" || name == "algebra_solver_newton" {
		reals, ints := types.Array(types.RealT, 1), types.Array(types.IntT, 1)
		if (len(args) != 5 && len(args) != 8) || args[2].t != vec || !types.Promotes(args[3].t, reals) || args[4].t != ints {
			return c.badCall(x, t, "takes (f, vector y_guess, vector theta, array[] real x_r, array[] int x_i) and optionally the relative tolerance, the function tolerance and the maximum number of steps")
		}
		if len(args) == 8 {
			for k := 5; k < 8; k++ {
				if !(args[k].t == types.RealT || args[k].t == types.IntT) {
					return c.badCall(x, t, "argument %d must be a number, not %v", k+1, args[k].t)
				}
			}
			s.relF, s.fTolF, s.stepsF = args[5].real(), args[6].real(), args[7].i
			if s.stepsF == nil {
				// Stan took a real maximum number of steps (2.26 still did;
				// C++ converts it).
				// Below 1 (NaN too) it counts as 0, which the check
				// of max_num_steps refuses; above int32 it saturates.
				r := args[7].r
				s.stepsF = func(e *env) int {
					v := r(e).Val
					switch {
					case !(v >= 1):
						return 0
					case v > math.MaxInt32:
						return math.MaxInt32
					}
					return int(v)
				}
			}
		}
		pass, params = args[2:5], []types.Type{vec, reals, ints}
		s.dataArgs = []int{1}
	} else {
		pass = args[2:]
		if strings.HasSuffix(name, "_tol") {
			if len(args) < 5 || !types.Promotes(args[2].t, types.RealT) || !types.Promotes(args[3].t, types.RealT) || args[4].t != types.IntT {
				return c.badCall(x, t, "takes (f, vector y_guess, real tolerance, real function_tolerance, int max_num_steps, ...)")
			}
			s.relF, s.fTolF, s.stepsF = args[2].real(), args[3].real(), args[4].i
			pass = args[5:]
		}
		if len(f.Sig.Args) != 1+len(pass) {
			return c.badCall(x, t, "the system function '%s' must take the unknowns and the %d arguments after the guess, not %v", f.Name, len(pass), f.Sig)
		}
		params = f.Sig.Args[1:]
	}
	if f.Sig.Ret != vec || len(f.Sig.Args) != 1+len(params) || f.Sig.Args[0] != vec {
		return c.badCall(x, t, "the system function '%s' must take a vector of unknowns first and return a vector, not %v", f.Name, f.Sig)
	}
	site := siteSlot(c, s)
	fargs := []cexpr{{t: vec, v: func(e *env) *value { return &site.of(e).yArg }}}
	for k, a := range pass {
		pt := f.Sig.Args[1+k]
		if !types.Promotes(a.t, pt) || !types.Promotes(a.t, params[k]) {
			return c.badCall(x, t, "argument %d is %v, but the system function '%s' takes %v there", 3+k, a.t, f.Name, pt)
		}
		oa, fa := c.passThrough(a, pt, declaredData(f.Decl.Params[1+k], s.pos, "%s: argument %d of the system function", s.name, k+2))
		s.args = append(s.args, oa)
		fargs = append(fargs, fa)
	}
	s.call = c.userCall(x, &check.Call{Name: f.Name, Sig: f.Sig, User: f}, fargs, vec).v
	return cexpr{t: t, v: func(e *env) *value { return site.of(e).eval(e) }}
}

func (s *algebraSolver) fail(format string, a ...any) { fail(s.pos, s.name+": "+format, a...) }

// system evaluates f at y into s.fv and, with jac, its Jacobian in y into
// s.jy and, with params, in the parameters into s.jp (both row-major, as
// gonum's mat.Dense reads them).
func (s *algebraSolver) system(y []float64, jac, params bool) {
	n, tp := s.n, s.tape
	tp.Reset()
	for i, v := range y {
		if jac {
			s.yArg.R[i] = tp.Var(v)
		} else {
			s.yArg.R[i] = ad.Const(v)
		}
	}
	for _, a := range s.args {
		v := a.of(s.e)
		v.pass(tp, params && v.vars)
	}
	out := s.call(s.e)
	if len(out.R) != n {
		s.fail("size of the algebraic system's output (%d) and size of the vector of unknowns, x, (%d) must match in size", len(out.R), n)
	}
	for i, v := range out.R {
		s.fv[i] = v.Val
	}
	if !jac {
		return
	}
	for i := range n {
		tp.Grad(out.R[i])
		for k := range n {
			s.jy[i*n+k] = tp.Adjoint(s.yArg.R[k])
		}
		if !params {
			continue
		}
		leafAdjoints(tp, s.args, s.e, s.jp[i*s.np:])
	}
}

func norm2(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

func (s *algebraSolver) eval(e *env) *value {
	if s.busy {
		s.fail("the system function calls the solver that is calling it")
	}
	guess := s.guessF(e)
	for _, a := range s.args {
		a.load(e)
	}
	rel, fTol, maxSteps := s.relF(e).Val, s.fTolF(e).Val, s.stepsF(e)
	for i, v := range guess.R {
		if math.IsNaN(v.Val) || math.IsInf(v.Val, 0) {
			s.fail("initial guess[%d] is %v, but must be finite!", i+1, v.Val)
		}
	}
	for _, a := range s.args {
		for i, v := range a.of(e).flat {
			if math.IsNaN(v.Val) || math.IsInf(v.Val, 0) {
				s.fail("parameter vector[%d] is %v, but must be finite!", i+1, v.Val)
			}
		}
	}
	for _, k := range s.dataArgs {
		if s.args[k].of(e).vars {
			s.fail("the continuous data must be data, but depend on parameters")
		}
	}
	if !(rel > 0) {
		s.fail("relative_tolerance is %v, but must be positive", rel)
	}
	if !(fTol > 0) {
		s.fail("function_tolerance is %v, but must be positive", fTol)
	}
	if maxSteps <= 0 {
		s.fail("max_num_steps is %d, but must be positive", maxSteps)
	}
	n := len(guess.R)
	if n == 0 {
		s.fail("initial guess has size 0, but must have a non-zero size")
	}
	s.n = n
	s.np = 0
	for _, a := range s.args {
		if v := a.of(e); v.vars {
			s.np += len(v.flat)
		}
	}
	s.yArg.shape([]int{n}, false)
	s.fv = grow(s.fv, n)
	s.jy = grow(s.jy, n*n)
	s.jp = grow(s.jp, n*max(s.np, 1))
	s.yv = grow(s.yv, n)
	s.trial, s.step = grow(s.trial, n), grow(s.step, n)
	for i, v := range guess.R {
		s.yv[i] = v.Val
	}

	saved := s.enter(e)
	defer s.leave(e, saved)
	y, trial, step := s.yv, s.trial, s.step
	s.system(y, true, false)
	fn := norm2(s.fv)
	for it := 0; ; it++ {
		if fn == 0 {
			break
		}
		if it >= maxSteps {
			if fn <= fTol {
				break
			}
			s.fail("max number of iterations: %d exceeded.", maxSteps)
		}
		// The Newton step, or the steepest descent direction of |f|²/2
		// where the Jacobian is singular.
		var d mat.VecDense
		newton := d.SolveVec(mat.NewDense(n, n, s.jy), mat.NewVecDense(n, s.fv)) == nil
		if newton {
			for i := range n {
				step[i] = -d.AtVec(i)
			}
		} else {
			for k := range n {
				g := 0.0
				for i := range n {
					g += s.jy[i*n+k] * s.fv[i]
				}
				step[k] = -g
			}
		}
		// Backtracking: halve the step until |f| decreases.
		lambda := 1.0
		accepted := false
		for range 40 {
			for i := range n {
				trial[i] = y[i] + lambda*step[i]
			}
			s.system(trial, false, false)
			if f := norm2(s.fv); f < fn || (f == fn && f == 0) {
				accepted = true
				break
			}
			lambda /= 2
		}
		if !accepted {
			// No decrease: y is a (local) minimum of |f|.
			s.system(y, true, false)
			break
		}
		small := true
		for i := range n {
			if math.Abs(trial[i]-y[i]) > 1e-15*(1+math.Abs(y[i])) {
				small = false
			}
		}
		copy(y, trial)
		s.system(y, true, false)
		fn = norm2(s.fv)
		if small {
			break
		}
	}
	if !(fn <= fTol) {
		s.fail("the norm of the algebraic function is %v but should be lower than the function tolerance: %v. Consider decreasing the relative tolerance and increasing max_num_steps.", fn, fTol)
	}
	// The Jacobians at the root, for the implicit function theorem.
	// dy/dθ = -D.
	var D mat.Dense
	if s.np > 0 {
		s.system(y, true, true)
		if err := D.Solve(mat.NewDense(n, n, s.jy), mat.NewDense(n, s.np, s.jp)); err != nil {
			s.fail("the Jacobian of the system is singular at the solution")
		}
	}
	s.leave(e, saved)
	s.dims[0] = n
	s.out.shape(s.dims[:], false)
	for i := range n {
		if s.np == 0 {
			s.out.R[i] = ad.Const(y[i])
			continue
		}
		b := e.t.Begin()
		p := 0
		for _, a := range s.args {
			v := a.of(e)
			if !v.vars {
				continue
			}
			for _, x := range v.flat {
				b.Add(x, -D.At(i, p))
				p++
			}
		}
		s.out.R[i] = b.End(y[i])
	}
	return &s.out
}

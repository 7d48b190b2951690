package check

import (
	"fmt"
	"strings"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/types"
)

// The embedded Laplace approximation (Stan Functions Reference,
// "Embedded Laplace Approximation"), in two generations. Stan 2.37 and
// 2.38 take a user likelihood and a user covariance function, each
// followed by a tuple of the arguments passed to it:
//
//	laplace_marginal(lik, (...), cov, (...))            real
//	laplace_latent_rng(lik, (...), cov, (...))          vector
//	laplace_latent_solve(lik, (...), cov, (...))        tuple(vector, matrix)
//
// where lik is real lik(vector theta, ...) and cov is matrix cov(...).
// The built-in likelihoods replace lik and its tuple by their data:
//
//	laplace_marginal_poisson_log_lpmf(y | y_index, m, cov, (...))
//	laplace_marginal_neg_binomial_2_log_lpmf(y | y_index, eta, m, cov, (...))
//	laplace_marginal_bernoulli_logit_lpmf(y | y_index, m, cov, (...))
//
// with _lupmf forms, ~ statements (y ~ laplace_marginal_poisson_log(...))
// and laplace_latent_<likelihood>_rng(y, y_index, ...). Each has a _tol
// form (laplace_marginal_tol, laplace_latent_tol_rng,
// laplace_marginal_tol_poisson_log_lpmf, ...) taking the controls of the
// Newton solver last: vector theta_init, then the data real tolerance and
// the data ints max_num_steps, hessian_block_size, solver and
// max_steps_linesearch.
//
// The later generation (Stan Math 5.2's signatures, stanc3's
// Stan_math_signatures after it) moves hessian_block_size to a
// positional int after the likelihood's part, in every form, and gives
// the _tol forms one tuple of the other controls in its place:
//
//	laplace_marginal(lik, (...), hessian_block_size, cov, (...))
//	laplace_marginal_poisson_log_lpmf(y | y_index, m, hessian_block_size, cov, (...))
//	laplace_marginal_tol(lik, (...), hessian_block_size, cov, (...),
//	    (theta_init, tolerance, max_num_steps, solver, max_steps_linesearch, allow_fallback))
//
// the tuple's members all data but theta_init. A call is of the later
// generation when the argument after the likelihood's part is not a
// function's name.
//
// laplace_latent_solve and laplace_latent_solve_tol (Stan 2.40, Stan
// Math 5.4, later generation only there; both spellings here) return the
// approximation's mean, the mode θ̂, and the lower Cholesky factor of its
// covariance (K⁻¹ + W)⁻¹. Stan Math computes them on values only (its
// laplace_base_rng takes arithmetic arguments) and stanc3 supports them
// in generated quantities, so every argument must be data: no derivative
// could flow through the result.

// LaplaceCall is what an embedded Laplace call passes, recorded on its
// Call: the likelihood (nil for a built-in one), the covariance function,
// and where the arguments are.
type LaplaceCall struct {
	Lik, Cov *Func
	// Builtin is the built-in likelihood (poisson_log,
	// neg_binomial_2_log, bernoulli_logit), "" for a user one.
	Builtin string
	Rng     bool // a laplace_latent_*_rng draw, else the log marginal
	Solve   bool // laplace_latent_solve: the mean and the covariance's Cholesky factor
	Tol     bool // a _tol form, with the solver's controls
	// LikArgs and CovArgs index the tuples of arguments, CovFn the
	// covariance function. Block indexes the later generation's
	// hessian_block_size and Ops its _tol forms' tuple of controls; both
	// are -1 in a Stan 2.37 call, whose _tol controls are the six
	// arguments after CovArgs.
	LikArgs, CovFn, CovArgs, Block, Ops int
}

// laplaceParam is one of the arguments an embedded Laplace function takes
// in a fixed place: its name, for messages, and its type.
type laplaceParam struct {
	name string
	t    types.Type
}

// laplaceBuiltins are the built-in likelihoods and their arguments before
// the covariance function.
var laplaceBuiltins = map[string][]laplaceParam{
	"poisson_log":        {{"y", ints}, {"y_index", ints}, {"m", types.VectorT}},
	"neg_binomial_2_log": {{"y", ints}, {"y_index", ints}, {"eta", types.RealT}, {"m", types.VectorT}},
	"bernoulli_logit":    {{"y", ints}, {"y_index", ints}, {"m", types.VectorT}},
}

// laplaceControls are the controls of the Stan 2.37 _tol forms, and
// laplaceOps the members of the later _tol forms' tuple; all but
// theta_init must be data.
var (
	laplaceControls = []laplaceParam{{"theta_init", types.VectorT}, {"tolerance", types.RealT}, {"max_num_steps", types.IntT},
		{"hessian_block_size", types.IntT}, {"solver", types.IntT}, {"max_steps_linesearch", types.IntT}}
	laplaceOps = []laplaceParam{{"theta_init", types.VectorT}, {"tolerance", types.RealT}, {"max_num_steps", types.IntT},
		{"solver", types.IntT}, {"max_steps_linesearch", types.IntT}, {"allow_fallback", types.IntT}}
)

// laplaceForm parses the name of an embedded Laplace function: whether it
// is one, its built-in likelihood, and whether it is a draw and a _tol
// form. Densities are named with their suffix (_lpmf or _lupmf).
func laplaceForm(name string) (ok bool, builtin string, rng, tol bool) {
	switch name {
	case "laplace_marginal":
		return true, "", false, false
	case "laplace_marginal_tol":
		return true, "", false, true
	case "laplace_latent_rng":
		return true, "", true, false
	case "laplace_latent_tol_rng":
		return true, "", true, true
	case "laplace_latent_solve":
		return true, "", false, false
	case "laplace_latent_solve_tol":
		return true, "", false, true
	}
	rest, isMarginal := strings.CutPrefix(name, "laplace_marginal_")
	if isMarginal {
		base, cut := strings.CutSuffix(rest, "_lpmf")
		if !cut {
			base, cut = strings.CutSuffix(rest, "_lupmf")
		}
		if !cut {
			return false, "", false, false
		}
		rest = base
	} else {
		var isLatent bool
		rest, isLatent = strings.CutPrefix(name, "laplace_latent_")
		if !isLatent {
			return false, "", false, false
		}
		base, cut := strings.CutSuffix(rest, "_rng")
		if !cut {
			return false, "", false, false
		}
		rest, rng = base, true
	}
	if r, ok := strings.CutPrefix(rest, "tol_"); ok {
		rest, tol = r, true
	}
	if _, ok := laplaceBuiltins[rest]; !ok {
		return false, "", false, false
	}
	return true, rest, rng, tol
}

// IsLaplace reports whether name is one of the embedded Laplace functions.
func IsLaplace(name string) bool {
	ok, _, _, _ := laplaceForm(name)
	return ok
}

// namesFunc reports whether x names a user-defined function (not hidden
// by a variable).
func (c *checker) namesFunc(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	return ok && len(c.info.Funcs[id.Name]) > 0 && c.lookup(id.Name) == nil
}

// laplaceCall checks a call of an embedded Laplace function.
func (c *checker) laplaceCall(x *ast.CallExpr) types.Type {
	name := x.Fun.Name
	_, builtin, rng, tol := laplaceForm(name)
	c.callRules(x)
	solve := strings.HasPrefix(name, "laplace_latent_solve")
	lc := &LaplaceCall{Builtin: builtin, Rng: rng, Solve: solve, Tol: tol, Block: -1, Ops: -1}
	var lead []laplaceParam // the arguments before the covariance function
	if builtin == "" {
		lc.LikArgs, lc.CovFn = 1, 2
	} else {
		lead = laplaceBuiltins[builtin]
		lc.CovFn = len(lead)
	}
	// The later generation: hessian_block_size where the 2.37 forms
	// have the covariance function.
	later := len(x.Args) > lc.CovFn && !c.namesFunc(x.Args[lc.CovFn])
	if later {
		lc.Block = lc.CovFn
		lc.CovFn++
	}
	lc.CovArgs = lc.CovFn + 1
	want := lc.CovArgs + 1
	switch {
	case tol && later:
		lc.Ops = want
		want++
	case tol:
		want += len(laplaceControls)
	}
	ret := types.RealT
	switch {
	case rng:
		ret = types.VectorT
	case solve:
		ret = types.TupleOf(types.VectorT, types.MatrixT)
	}
	// The types of the arguments, the functions' left invalid.
	args := make([]types.Type, len(x.Args))
	bad := false
	for i, a := range x.Args {
		if (builtin == "" && i == 0) || i == lc.CovFn {
			continue
		}
		if args[i] = c.expr(a); args[i].Kind == types.Invalid {
			bad = true
		}
	}
	if bad {
		return invalid
	}
	forms := func() string {
		return fmt.Sprintf("%s takes %s (Stan 2.37) or %s (later Stan)", name, laplaceSignature(builtin, tol, false), laplaceSignature(builtin, tol, true))
	}
	if later && args[lc.Block] != types.IntT {
		what := fmt.Sprintf("a %v", args[lc.Block])
		if id, isIdent := x.Args[lc.Block].(*ast.Ident); isIdent && c.lookup(id.Name) != nil {
			what = fmt.Sprintf("a non-function value '%s'", id.Name)
		}
		c.errorf(x.Args[lc.Block].Pos(), "a function was expected as the covariance function (argument %d) of %s, but %s was supplied (nor is it the int hessian_block_size of the later form); %s", lc.Block+1, name, what, forms())
		return invalid
	}
	if len(x.Args) < lc.CovArgs+1 {
		c.errorf(x.Rparen, "%s: found %d arguments", forms(), len(x.Args))
		return invalid
	}
	if extra := len(x.Args) - want; extra > 0 {
		if tol {
			c.errorf(x.Args[want].Pos(), "%s: found %d extra arguments at the end of the call", forms(), extra)
		} else {
			s := "s"
			if extra == 1 {
				s = ""
			}
			c.errorf(x.Args[want].Pos(), "received %d extra argument%s at the end of the call to '%s'; did you mean to call the _tol version?", extra, s, name)
		}
		return invalid
	}
	if len(x.Args) < want {
		c.errorf(x.Rparen, "%s: found %d arguments", forms(), len(x.Args))
		return invalid
	}
	ok := true
	for i, w := range lead {
		if !types.Promotes(args[i], w.t) {
			c.errorf(x.Args[i].Pos(), "argument %d of %s (%s, for the likelihood) must be of type %v, found %v", i+1, name, w.name, w.t, args[i])
			ok = false
		}
	}
	if builtin == "" {
		if c.namesFunc(x.Args[0]) {
			c.laplaceLiks = append(c.laplaceLiks, x.Args[0].(*ast.Ident))
		}
		lc.Lik = c.laplaceFunc(x, 0, lc.LikArgs, types.RealT, []types.Type{types.VectorT}, "likelihood")
		if lc.Lik == nil {
			ok = false
		}
	}
	lc.Cov = c.laplaceFunc(x, lc.CovFn, lc.CovArgs, types.MatrixT, nil, "covariance function")
	if lc.Cov == nil {
		ok = false
	}
	switch {
	case lc.Ops >= 0:
		ok = c.laplaceOps(x, lc.Ops) && ok
	case tol:
		for k, w := range laplaceControls {
			i := lc.CovArgs + 1 + k
			if !types.Promotes(args[i], w.t) {
				c.errorf(x.Args[i].Pos(), "the %s (argument %d) of %s must be of type %v, found %v", w.name, i+1, name, w.t, args[i])
				ok = false
				continue
			}
			if k > 0 && !c.argData(x.Args[i]) {
				c.errorf(x.Args[i].Pos(), "the control parameters of %s must all be data, but the %s (argument %d) is not. (Local variables are assumed to depend on parameters; same goes for function inputs unless they are marked with the keyword 'data'.)", name, w.name, i+1)
				ok = false
			}
		}
	}
	if solve {
		for i, a := range x.Args {
			if i == lc.CovFn || (builtin == "" && i == 0) || c.argData(a) {
				continue
			}
			c.errorf(a.Pos(), "the arguments of %s must all be data, but argument %d is not: it computes on values only, as Stan Math does, so no derivative could flow through its result (call it in generated quantities). (Local variables are assumed to depend on parameters; same goes for function inputs unless they are marked with the keyword 'data'.)", name, i+1)
			ok = false
		}
	}
	if !ok {
		return invalid
	}
	c.info.Calls[x] = &Call{Name: name, Sig: types.Signature{Args: args, Ret: ret}, FuncArg: lc.Cov, Laplace: lc}
	return ret
}

// laplaceOps checks argument i of a later _tol call, its tuple of
// controls, reporting whether it is right.
func (c *checker) laplaceOps(x *ast.CallExpr, i int) bool {
	name := x.Fun.Name
	tt := c.info.Types[x.Args[i]]
	if tt.Kind != types.Tuple || tt.Dims > 0 || len(tt.Members()) != len(laplaceOps) {
		c.errorf(x.Args[i].Pos(), "the controls (argument %d) of %s must be a %s, found %v", i+1, name, laplaceOpsTuple(), tt)
		return false
	}
	lit, isLit := x.Args[i].(*ast.TupleExpr)
	for k, m := range tt.Members() {
		if !types.Promotes(m, laplaceOps[k].t) {
			c.errorf(x.Args[i].Pos(), "the %s (member %d of the controls, argument %d) of %s must be of type %v, found %v", laplaceOps[k].name, k+1, i+1, name, laplaceOps[k].t, m)
			return false
		}
		if k == 0 || discrete(m) {
			continue
		}
		arg := x.Args[i]
		if isLit {
			arg = lit.Elems[k]
		}
		if !c.argData(arg) {
			c.errorf(arg.Pos(), "the control parameters of %s must all be data, but the %s (member %d of argument %d) is not. (Local variables are assumed to depend on parameters; same goes for function inputs unless they are marked with the keyword 'data'.)", name, laplaceOps[k].name, k+1, i+1)
			return false
		}
	}
	return true
}

// laplaceSignature writes the arguments name takes, for messages: the
// Stan 2.37 form or the later one.
func laplaceSignature(builtin string, tol, later bool) string {
	var s []string
	if builtin == "" {
		s = append(s, "(vector, T_l...) => real likelihood", "tuple(T_l...)")
	} else {
		for _, p := range laplaceBuiltins[builtin] {
			s = append(s, p.t.String()+" "+p.name)
		}
	}
	if later {
		s = append(s, "int hessian_block_size")
	}
	s = append(s, "(T_k...) => matrix covariance function", "tuple(T_k...)")
	switch {
	case tol && later:
		s = append(s, laplaceOpsTuple())
	case tol:
		s = append(s, controlList(laplaceControls)...)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// laplaceOpsTuple writes the type of the later _tol forms' controls.
func laplaceOpsTuple() string {
	return "tuple(" + strings.Join(controlList(laplaceOps), ", ") + ")"
}

// controlList writes controls, all data but the first (theta_init).
func controlList(ps []laplaceParam) []string {
	s := make([]string, len(ps))
	for k, p := range ps {
		s[k] = p.t.String() + " " + p.name
		if k > 0 {
			s[k] = "data " + s[k]
		}
	}
	return s
}

// laplaceFunc checks argument fi of an embedded Laplace call, the function
// it passes (what it is, for messages), and argument ti, the tuple of the
// arguments passed to it after the leading parameters lead: the function
// must take lead then parameters the tuple's members promote to, and
// return ret. It returns the overload that fits, or nil after an error.
func (c *checker) laplaceFunc(x *ast.CallExpr, fi, ti int, ret types.Type, lead []types.Type, what string) *Func {
	name := x.Fun.Name
	id, isIdent := x.Args[fi].(*ast.Ident)
	if !c.namesFunc(x.Args[fi]) {
		if isIdent && c.lookup(id.Name) != nil {
			c.errorf(x.Args[fi].Pos(), "a function was expected as the %s (argument %d) of %s, but a non-function value '%s' was supplied", what, fi+1, name, id.Name)
		} else {
			c.errorf(x.Args[fi].Pos(), "the %s (argument %d) of %s must name a user-defined function", what, fi+1, name)
		}
		return nil
	}
	fname := id.Name
	for _, suffix := range []string{"_lp", "_rng", "_jacobian", "_lpdf", "_lpmf", "_lupdf", "_lupmf"} {
		if strings.HasSuffix(fname, suffix) {
			c.errorf(id.Pos(), "the %s '%s' passed to %s must be a plain function, not one whose name ends in %s", what, fname, name, suffix)
			return nil
		}
	}
	tt := c.info.Types[x.Args[ti]]
	if tt.Kind != types.Tuple || tt.Dims > 0 {
		c.errorf(x.Args[ti].Pos(), "the arguments passed to '%s' in a call to %s must be a tuple, found %v", fname, name, tt)
		return nil
	}
	passed := tt.Members()
	form := higherForm{fnArgs: lead, fnRet: ret, variadic: true}
	best, ties := c.bestPassed(fname, form, passed)
	wantSig := types.Signature{Args: append(append([]types.Type(nil), lead...), passed...), Ret: ret}
	fs := c.info.Funcs[fname]
	switch {
	case best == nil && len(fs) == 1:
		f := fs[0]
		msg := ""
		switch {
		case f.Sig.Ret != ret:
			msg = fmt.Sprintf("it must return %v, but returns %v", ret, f.Sig.Ret)
		case len(lead) > 0 && (len(f.Sig.Args) == 0 || f.Sig.Args[0] != lead[0]):
			got := "nothing"
			if len(f.Sig.Args) > 0 {
				got = f.Sig.Args[0].String()
			}
			msg = fmt.Sprintf("its first parameter must be the latent %v, but it takes %s", lead[0], got)
		case len(lead) > 0 && f.Decl.Params[0].Type.DataOnly:
			msg = "its first parameter, the latent vector, must not be declared data"
		case len(f.Sig.Args) != len(wantSig.Args):
			msg = fmt.Sprintf("it takes %d arguments after the latent vector, but the tuple has %d members", len(f.Sig.Args)-len(lead), len(passed))
			if len(lead) == 0 {
				msg = fmt.Sprintf("it takes %d arguments, but the tuple has %d members", len(f.Sig.Args), len(passed))
			}
		default:
			for i, p := range passed {
				if q := f.Sig.Args[len(lead)+i]; !types.Promotes(p, q) {
					c.errorf(x.Args[ti].Pos(), "cannot call '%s' with the arguments passed to it by %s: member %d of the tuple has type %v, but the function takes %v as its parameter %s",
						fname, name, i+1, p, q, f.Decl.Params[len(lead)+i].Name.Name)
					return nil
				}
			}
			msg = fmt.Sprintf("it has the signature %v", f.Sig)
		}
		c.errorf(x.Args[fi].Pos(), "the function '%s' does not have a valid signature for use as the %s of %s (%v): %s", fname, what, name, wantSig, msg)
		return nil
	case best == nil:
		c.errorf(x.Args[fi].Pos(), "none of the overloads of '%s' has a valid signature for use as the %s of %s: %v", fname, what, name, wantSig)
		return nil
	case ties > 0:
		c.errorf(x.Args[fi].Pos(), "the function '%s' passed to %s is ambiguous: several of its overloads fit %v", fname, name, wantSig)
		return nil
	}
	// A data parameter needs a data argument.
	lit, isLit := x.Args[ti].(*ast.TupleExpr)
	for i := range passed {
		if !best.Decl.Params[len(lead)+i].Type.DataOnly {
			continue
		}
		arg := x.Args[ti]
		if isLit {
			arg = lit.Elems[i]
		}
		if !isLit && discrete(passed[i]) {
			continue // a member of ints is data, whatever holds it
		}
		if !c.argData(arg) {
			c.errorf(arg.Pos(), "the parameter %s of '%s' is declared data, so the argument %s passes it must be data-only. (Local variables are assumed to depend on parameters; same goes for function inputs unless they are marked with the keyword 'data'.)",
				best.Decl.Params[len(lead)+i].Name.Name, fname, name)
			return nil
		}
	}
	return best
}

// laplaceTilde checks y ~ laplace_marginal_<likelihood>(...) and
// y ~ laplace_marginal_tol_<likelihood>(...): the call of the _lpmf form
// with y first. It reports false when s names no such function.
func (c *checker) laplaceTilde(s *ast.TildeStmt) bool {
	name := s.Dist.Name + "_lpmf"
	if ok, builtin, rng, _ := laplaceForm(name); !ok || builtin == "" || rng {
		return false
	}
	c.targetAllowed(s.Tilde, "~ statement")
	if s.Truncated {
		c.errorf(s.Dist.Pos(), "%s cannot be truncated", s.Dist.Name)
	}
	call := LaplaceTildeCall(s)
	if c.laplaceCall(call).Kind == types.Invalid {
		return true
	}
	c.info.Dists[s] = c.info.Calls[call]
	delete(c.info.Calls, call)
	return true
}

// LaplaceTildeCall is the call y ~ laplace_marginal_<likelihood>(...)
// stands for: the _lpmf form, with y before a bar.
func LaplaceTildeCall(s *ast.TildeStmt) *ast.CallExpr {
	return &ast.CallExpr{
		Fun:    &ast.Ident{NamePos: s.Dist.Pos(), Name: s.Dist.Name + "_lpmf"},
		Lparen: s.Dist.End(), Args: append([]ast.Expr{s.LHS}, s.Args...), Bar: true, Rparen: s.Rparen,
	}
}

// discrete reports whether t holds no reals: ints, arrays of them and
// tuples of such, which are data wherever they are.
func discrete(t types.Type) bool {
	if t.Kind == types.Tuple {
		for _, m := range t.Members() {
			if !discrete(m) {
				return false
			}
		}
		return true
	}
	return t.Kind == types.Int
}

// withoutSecondOrder are the library functions Stan cannot differentiate
// twice (stanc3's Stan_math_signatures.lacks_higher_order_autodiff): the
// older solvers, integrators and map_rect, the hidden Markov model
// functions, and every higher-order and embedded Laplace function.
func withoutSecondOrder(name string) bool {
	switch name {
	case "algebra_solver", "algebra_solver_newton", "integrate_1d", "integrate_ode", "integrate_ode_adams",
		"integrate_ode_bdf", "integrate_ode_rk45", "map_rect", "hmm_marginal", "hmm_hidden_state_prob":
		return true
	}
	_, higher := higherOrder[name]
	return higher || IsLaplace(name)
}

// laplaceSecondOrder checks, as stanc3's
// verify_second_order_derivative_compatibility does once the program has
// checked, that no likelihood passed to an embedded Laplace function
// calls, itself or through the user-defined functions it calls (every
// overload of each, as stanc3 does not resolve them again), a library
// function without second derivatives: the Laplace approximation
// differentiates the likelihood twice. The error is placed at the
// likelihood's name in the Laplace call. Calls written with a bar (|) are
// not followed, as in stanc3.
func (c *checker) laplaceSecondOrder() {
	visited := map[string]bool{}
	var bad string
	var visit func(name string)
	visit = func(name string) {
		if visited[name] || bad != "" {
			return
		}
		visited[name] = true
		for _, f := range c.info.Funcs[name] {
			if f.Decl.Body == nil {
				continue
			}
			ast.Inspect(f.Decl.Body, func(n ast.Node) bool {
				if bad != "" {
					return false
				}
				x, ok := n.(*ast.CallExpr)
				if !ok || x.Bar {
					return true
				}
				switch call := c.info.Calls[x]; {
				case call != nil && call.User != nil:
					visit(call.Name)
				case withoutSecondOrder(x.Fun.Name):
					bad = x.Fun.Name
					return false
				}
				return true
			})
		}
	}
	// stanc3 checks the likelihoods last to first.
	for i := len(c.laplaceLiks) - 1; i >= 0 && bad == ""; i-- {
		id := c.laplaceLiks[i]
		visit(id.Name)
		if bad != "" {
			c.errorf(id.Pos(), "the function '%s', called by this likelihood function, does not currently support higher-order derivatives, and cannot be used in an embedded Laplace approximation", bad)
		}
	}
}

package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// The embedded Laplace functions (see check/laplace.go for their forms and
// laplace_engine.go for the numerics): the covariance function runs on the
// model's tape, so that its parameters get their derivatives through the
// entries of K; a user likelihood runs on a scratch tape, for its value and
// its exact gradient in θ and in its arguments, and its Hessian in θ and
// the third-derivative contractions the gradient needs are extrapolated
// differences of those exact gradients (laplaceUser).

// laplaceSite is one call site of an embedded Laplace function. Its
// compiled closures are shared by a program's models; each model works in
// its own copy (siteSlot), with a scratch tape of its own.
type laplaceSite struct {
	name string
	pos  token.Position
	nested
	lc *check.LaplaceCall

	cov func(*env) *value // K, evaluated on the model's tape
	// A built-in likelihood's data and parameters.
	yF, idxF func(*env) *value
	etaF     func(*env) ad.Var
	mF       func(*env) *value
	// A user likelihood: its arguments after θ, and the call.
	args  []*odeArg
	call  func(*env) ad.Var
	theta value // the θ the user likelihood reads
	// The controls: hessian_block_size (a later form or a _tol one),
	// and the rest of a _tol form's.
	theta0F        func(*env) *value
	tolF           func(*env) ad.Var
	stepsF, blockF func(*env) int
	solverF, lineF func(*env) int
	// ctlFixed: the controls never change (fixedExpr), so each Model
	// evaluates and validates them once, into ctl, for a latent vector of
	// size ctlN (0 before). yFixed: so do a built-in likelihood's y and
	// y_index, checked and copied into builtin once for a size of yN.
	ctlFixed, yFixed bool
	ctl              laplaceControls
	ctlN, yN         int
	fit              laplaceFit
	builtin          laplaceBuiltin
	user             laplaceUser
	kv, out          value
	etaVars          []ad.Var
	dims             [2]int
	// Scratch: K's values, θ₀'s, the standard normals and the draw.
	kf, theta0, zs, th []float64
}

func (s *laplaceSite) fail(format string, a ...any) { fail(s.pos, s.name+": "+format, a...) }

// laplace compiles a call of an embedded Laplace function, x, whose
// arguments it compiles itself (two of them name functions).
func (c *compiler) laplace(x *ast.CallExpr, call *check.Call, t types.Type) cexpr {
	lc := call.Laplace
	s := &laplaceSite{name: call.Name, pos: c.pos(x.Pos()), lc: lc}
	slot := siteSlot(c, s) // each Model's copy of s, made once s is compiled
	covArgs := c.tupleMembers(x.Args[lc.CovArgs])
	cov := lc.Cov
	s.cov = c.userCall(x, &check.Call{Name: cov.Name, Sig: cov.Sig, User: cov}, covArgs, types.MatrixT).v
	if lc.Builtin != "" {
		s.yF, s.idxF = c.expr(x.Args[0]).v, c.expr(x.Args[1]).v
		s.yFixed = c.fixedExpr(x.Args[0]) && c.fixedExpr(x.Args[1])
		k := 2
		if lc.Builtin == "neg_binomial_2_log" {
			s.etaF = c.expr(x.Args[k]).real()
			k++
		}
		s.mF = c.expr(x.Args[k]).val(true)
	} else {
		lik := lc.Lik
		var fargs []cexpr
		for k, a := range c.tupleMembers(x.Args[lc.LikArgs]) {
			pt := lik.Sig.Args[1+k]
			oa, fa := c.passThrough(a, pt, declaredData(lik.Decl.Params[1+k], s.pos, "%s: argument %d of the likelihood", s.name, k+2))
			s.args = append(s.args, oa)
			fargs = append(fargs, fa)
		}
		fargs = append([]cexpr{{t: types.VectorT, v: func(e *env) *value { return &slot.of(e).theta }}}, fargs...)
		s.call = c.userCall(x, &check.Call{Name: lik.Name, Sig: lik.Sig, User: lik}, fargs, types.RealT).r
	}
	return c.laplaceFinish(x, s, slot, t)
}

// tupleMembers compiles the members of the tuple x, a literal's
// elements or views of a tuple value's members.
func (c *compiler) tupleMembers(x ast.Expr) []cexpr {
	if lit, ok := x.(*ast.TupleExpr); ok {
		out := make([]cexpr, len(lit.Elems))
		for k, el := range lit.Elems {
			out[k] = c.expr(el)
		}
		return out
	}
	tv := c.expr(x)
	ms := c.info.Types[x].Members()
	out := make([]cexpr, len(ms))
	for k, mt := range ms {
		out[k] = member(tv.v, k, mt)
		out[k].c = c
	}
	return out
}

// laplaceFinish compiles the controls and returns the call: a later
// form's hessian_block_size and tuple of controls (whose allow_fallback
// has nothing to do here: the Newton step's LU solve does not depend on
// the solver chosen, so there is no failed decomposition to fall back
// from), or a Stan 2.37 _tol form's six controls.
func (c *compiler) laplaceFinish(x *ast.CallExpr, s *laplaceSite, slot stateSlot[laplaceSite], t types.Type) cexpr {
	lc := s.lc
	s.ctlFixed = true
	fixed := func(x ast.Expr) ast.Expr {
		s.ctlFixed = s.ctlFixed && c.fixedExpr(x)
		return x
	}
	if lc.Block >= 0 {
		s.blockF = c.expr(fixed(x.Args[lc.Block])).i
	}
	switch {
	case lc.Ops >= 0:
		ops := c.tupleMembers(fixed(x.Args[lc.Ops]))
		s.theta0F, s.tolF = ops[0].val(true), ops[1].real()
		s.stepsF, s.solverF, s.lineF = ops[2].i, ops[3].i, ops[4].i
	case lc.Tol:
		args := x.Args[lc.CovArgs+1:]
		s.theta0F = c.expr(fixed(args[0])).val(true)
		s.tolF = c.expr(fixed(args[1])).real()
		s.stepsF, s.blockF = c.expr(fixed(args[2])).i, c.expr(fixed(args[3])).i
		s.solverF, s.lineF = c.expr(fixed(args[4])).i, c.expr(fixed(args[5])).i
	}
	switch {
	case s.lc.Rng:
		return cexpr{t: t, v: func(e *env) *value { return slot.of(e).draw(e) }}
	case s.lc.Solve:
		return cexpr{t: t, v: func(e *env) *value { return slot.of(e).solve(e) }}
	}
	return cexpr{t: t, r: func(e *env) ad.Var { return slot.of(e).marginal(e) }}
}

func (s *laplaceSite) scratch() *nested { return &s.nested }

// controls evaluates and validates the controls of the call, for a
// latent vector of size n: once per Model and size when they never change.
func (s *laplaceSite) controls(e *env, n int) laplaceControls {
	if s.ctlFixed && s.ctlN == n {
		return s.ctl
	}
	ctl := s.evalControls(e)
	if err := ctl.validate(n); err != nil {
		s.fail("%v", err)
	}
	if s.ctlFixed {
		s.ctl, s.ctlN = ctl, n
	}
	return ctl
}

// evalControls evaluates the controls of the call.
func (s *laplaceSite) evalControls(e *env) laplaceControls {
	ctl := laplaceDefaults
	if s.lc.Block >= 0 {
		ctl = laplaceLaterDefaults
	}
	if s.blockF != nil {
		ctl.block = s.blockF(e)
	}
	if !s.lc.Tol {
		return ctl
	}
	th := s.theta0F(e)
	s.theta0 = grow(s.theta0, len(th.R))
	ctl.theta0 = s.theta0
	for i, v := range th.R {
		ctl.theta0[i] = v.Val
	}
	ctl.tol = s.tolF(e).Val
	ctl.maxSteps = s.stepsF(e)
	ctl.solver, ctl.lineSteps = s.solverF(e), s.lineF(e)
	return ctl
}

// prepare evaluates the covariance matrix and the likelihood's arguments,
// and returns the likelihood, the size of θ and the parameters of the
// likelihood as vars (η, in laplaceLik's order).
func (s *laplaceSite) prepare(e *env) (laplaceLik, *value, int) {
	if s.busy {
		s.fail("the likelihood or covariance function calls the Laplace approximation that is calling it")
	}
	K := s.cov(e)
	s.kv.copyFrom(K)
	if len(s.kv.Dims) != 2 || s.kv.Dims[0] != s.kv.Dims[1] {
		s.fail("the covariance function must return a square matrix, but returned one of size %s", dimString(s.kv.Dims))
	}
	n := s.kv.Dims[0]
	if n == 0 {
		s.fail("the covariance matrix has size 0, but the latent vector must have a non-zero size")
	}
	s.etaVars = s.etaVars[:0]
	if s.lc.Builtin != "" {
		l := &s.builtin
		l.family = s.lc.Builtin
		load := !s.yFixed || s.yN != n
		var y, idx *value
		if load {
			y, idx = s.yF(e), s.idxF(e)
			if len(y.I) != len(idx.I) {
				s.fail("y has size %d, but y_index has size %d; they must match", len(y.I), len(idx.I))
			}
		}
		m := s.mF(e)
		if len(m.R) != n {
			s.fail("m has size %d, but the covariance matrix is %d×%d; the offsets are one per latent variable", len(m.R), n, n)
		}
		if load {
			s.yN = 0 // until y and y_index pass
			l.y = append(l.y[:0], y.I...)
			l.grp = l.grp[:0]
			for i, g := range idx.I {
				if g < 1 || g > n {
					s.fail("y_index[%d] is %d, but must be between 1 and %d, the size of the latent vector", i+1, g, n)
				}
				l.grp = append(l.grp, g-1)
				yi := y.I[i]
				switch {
				case yi < 0:
					s.fail("y[%d] is %d, but must be nonnegative", i+1, yi)
				case l.family == "bernoulli_logit" && yi > 1:
					s.fail("y[%d] is %d, but must be 0 or 1", i+1, yi)
				}
			}
			if s.yFixed {
				s.yN = n
			}
		}
		l.m = grow(l.m, n)
		for j, v := range m.R {
			if math.IsNaN(v.Val) || math.IsInf(v.Val, 0) {
				s.fail("m[%d] is %v, but must be finite", j+1, v.Val)
			}
			l.m[j] = v.Val
		}
		if l.family == "neg_binomial_2_log" {
			eta := s.etaF(e)
			if !(eta.Val > 0) || math.IsInf(eta.Val, 0) {
				s.fail("the dispersion eta is %v, but must be positive and finite", eta.Val)
			}
			l.eta = eta.Val
			s.etaVars = append(s.etaVars, eta)
		}
		s.etaVars = append(s.etaVars, m.R...)
		return l, &s.kv, n
	}
	for _, a := range s.args {
		a.load(e)
	}
	for _, a := range s.args {
		if v := a.of(e); v.vars {
			s.etaVars = append(s.etaVars, v.flat...)
		}
	}
	s.dims[0] = n
	s.theta.shape(s.dims[:1], false)
	s.user.site = s
	s.user.n = n
	s.user.nEta = len(s.etaVars)
	return &s.user, &s.kv, n
}

// run fits the approximation on the scratch tape.
func (s *laplaceSite) run(e *env) (laplaceLik, int) {
	lik, K, n := s.prepare(e)
	ctl := s.controls(e, n)
	s.kf = grow(s.kf, n*n)
	kf := s.kf
	for i, v := range K.R {
		kf[i] = v.Val
	}
	saved := s.enter(e)
	defer s.leave(e, saved)
	if err := s.fit.fit(lik, kf, n, ctl); err != nil {
		s.fail("%v", err)
	}
	return lik, n
}

// marginal is the log marginal's value, recorded on the model's tape as
// one node whose operands are K's entries and η, with the partials of
// laplaceFit.gradients.
func (s *laplaceSite) marginal(e *env) ad.Var {
	lik, _ := s.run(e)
	value := s.fit.value
	if !ad.AnyVar(s.kv.R) && !ad.AnyVar(s.etaVars) {
		return ad.Const(value)
	}
	gK, gEta, err := func() ([]float64, []float64, error) {
		defer s.leave(e, s.enter(e))
		return s.fit.gradients(lik, ad.AnyVar(s.kv.R), len(s.etaVars))
	}()
	if err != nil {
		s.fail("%v", err)
	}
	b := e.t.Begin()
	if gK != nil {
		for i, v := range s.kv.R {
			b.Add(v, gK[i])
		}
	}
	for i, v := range s.etaVars {
		b.Add(v, gEta[i])
	}
	return b.End(value)
}

// draw is a laplace_latent_*_rng draw of θ from the approximation
// N(θ̂, Σ), as constants.
func (s *laplaceSite) draw(e *env) *value {
	_, n := s.run(e)
	s.zs = grow(s.zs, n)
	for i := range s.zs {
		s.zs[i] = e.rng.NormFloat64()
	}
	s.dims[0] = n
	s.out.shape(s.dims[:1], false)
	s.th = grow(s.th, n)
	th := s.th
	if err := s.fit.draw(s.zs, th); err != nil {
		s.fail("%v", err)
	}
	for i, v := range th {
		s.out.R[i] = ad.Const(v)
	}
	return &s.out
}

// solve is laplace_latent_solve's result: the mode θ̂, the mean of the
// approximation, and the lower Cholesky factor of its covariance, as
// constants (the checker has made every argument data).
func (s *laplaceSite) solve(e *env) *value {
	_, n := s.run(e)
	if err := s.fit.cholesky(); err != nil {
		s.fail("%v", err)
	}
	s.out.setMembers(nil, 2)
	mean, chol := &s.out.T[0], &s.out.T[1]
	s.dims[0] = n
	mean.shape(s.dims[:1], false)
	for i, v := range s.fit.theta {
		mean.R[i] = ad.Const(v)
	}
	s.dims[0], s.dims[1] = n, n
	chol.shape(s.dims[:2], false)
	U := s.fit.chol
	for j := range n {
		for i := range n {
			l := 0.0
			if j <= i {
				l = U[j*n+i]
			}
			chol.R[j*n+i] = ad.Const(l) // column-major
		}
	}
	return &s.out
}

// laplaceUser is a user-defined likelihood, run on its site's scratch
// tape. Its gradients are exact (reverse mode on the scratch tape); its
// Hessian in θ, ∇ ½ tr(S H) and ∇η vᵀ∇θ log p are difference quotients of
// them, Richardson-extrapolated (steps h and h/2, error O(h⁴)): the
// Hessian's blocks column by column (one column of every block at once),
// ½ tr(S H) = ½ Σ_r u_rᵀ H u_r over the columns u_r of the Cholesky
// factors of S's blocks (again every block at once) by second
// differences, and the last by a first difference along v. A block size
// b costs 4b, 4b + 1 and 4 gradients. With steps of 1e-3 (first
// differences) and 3e-3 (second), scaled by the size of θ, truncation and
// rounding leave errors near 1e-11 and 1e-9 relative to the gradients,
// which the tests bound against the built-in likelihoods' analytic
// derivatives.
type laplaceUser struct {
	site    *laplaceSite
	n, nEta int
	// Scratch, grown by bufs: a shifted θ and the gradients there (gp in
	// θ, ep in η), the gradients at θ itself (g0, e0), the direction of
	// the differences, a Hessian column or second difference (col), its
	// η part (e2).
	tp, gp  []float64
	ep, g0  []float64
	e0      []float64
	dir     []float64
	col, e2 []float64
}

// grad evaluates the likelihood at θ on the scratch tape and sweeps it
// back.
func (u *laplaceUser) grad(theta, g, ge []float64) float64 {
	s := u.site
	tp := s.tape
	tp.Reset()
	for i, v := range theta {
		s.theta.R[i] = tp.Var(v)
	}
	for _, a := range s.args {
		a.of(s.e).pass(tp, ge != nil)
	}
	out := s.call(s.e)
	if math.IsNaN(out.Val) {
		return math.NaN()
	}
	tp.Grad(out)
	for i := range theta {
		g[i] = tp.Adjoint(s.theta.R[i])
	}
	if ge != nil {
		leafAdjoints(tp, s.args, s.e, ge)
	}
	return out.Val
}

// bufs sizes the scratch for n latent values and nEta parameters.
func (u *laplaceUser) bufs() {
	n, m := u.n, u.nEta
	u.tp, u.gp, u.g0, u.dir = grow(u.tp, n), grow(u.gp, n), grow(u.g0, n), grow(u.dir, n)
	u.ep, u.e0 = grow(u.ep, m), grow(u.e0, m)
	u.col, u.e2 = grow(u.col, n), grow(u.e2, m)
}

// stepScale is what the difference steps at θ are relative to: θ's
// largest magnitude, or 1 when that is smaller, so that a step is
// relative for a large θ and absolute near 0.
func stepScale(theta []float64) float64 {
	s := 1.0
	for _, v := range theta {
		s = math.Max(s, math.Abs(v))
	}
	return s
}

// Richardson weights: a difference quotient D(h) with error c h² + O(h⁴)
// gives (4 D(h/2) - D(h)) / 3 with error O(h⁴). richardson returns the
// weights of the gradients at θ + t·h·dir for the offsets t, for the first
// (order 1) or second (order 2) derivative along dir.
func richardson(order int, h float64) (ts, ws [4]float64) {
	ts = [4]float64{1, -1, 0.5, -0.5}
	if order == 1 {
		// D(h) = (g(h) - g(-h)) / 2h.
		return ts, [4]float64{-1.0 / 3 / (2 * h), 1.0 / 3 / (2 * h), 4.0 / 3 / h, -4.0 / 3 / h}
	}
	// D(h) = (g(h) - 2 g(0) + g(-h)) / h², the g(0) terms summed by the caller.
	return ts, [4]float64{-1.0 / 3 / (h * h), -1.0 / 3 / (h * h), 16.0 / 3 / (h * h), 16.0 / 3 / (h * h)}
}

// along adds Σ_k w_k ∇ log p(θ + t_k h dir) to dg (in θ) and de (in η,
// when not nil).
func (u *laplaceUser) along(theta []float64, order int, h float64, dg, de []float64) {
	ts, ws := richardson(order, h)
	var ep []float64
	if de != nil {
		ep = u.ep
	}
	for k, tk := range ts {
		for i, v := range theta {
			u.tp[i] = v + tk*h*u.dir[i]
		}
		u.grad(u.tp, u.gp, ep)
		for i, g := range u.gp {
			dg[i] += ws[k] * g
		}
		for i, g := range ep {
			de[i] += ws[k] * g
		}
	}
}

// hess differences the gradient along b directions, each the r-th unit
// vector of every block at once, for the blocks' r-th columns.
func (u *laplaceUser) hess(theta []float64, b int, h []float64) {
	u.bufs()
	n := u.n
	step := 1e-3 * stepScale(theta)
	col := u.col
	for r := range b {
		clear(u.dir)
		for k := 0; k < n/b; k++ {
			u.dir[k*b+r] = 1
		}
		clear(col)
		u.along(theta, 1, step, col, nil)
		for k := 0; k < n/b; k++ {
			for i := range b {
				h[k*b*b+i*b+r] = col[k*b+i]
			}
		}
	}
	// Symmetrise each block.
	for k := 0; k < n/b; k++ {
		blk := h[k*b*b : (k+1)*b*b]
		for i := range b {
			for j := range i {
				v := 0.5 * (blk[i*b+j] + blk[j*b+i])
				blk[i*b+j], blk[j*b+i] = v, v
			}
		}
	}
}

// third takes ½ tr(S H) = ½ Σ_r u_rᵀ H u_r by second differences of
// the gradient along the columns u_r of the Cholesky factors C of S's
// blocks, the r-th columns of every block at once.
func (u *laplaceUser) third(theta []float64, b int, _, C, s2, ge []float64) {
	u.bufs()
	n := u.n
	clear(s2)
	var e0 []float64
	if ge != nil {
		e0 = u.e0
	}
	u.grad(theta, u.g0, e0)
	scale := stepScale(theta)
	d2 := u.col
	var e2 []float64
	if ge != nil {
		e2 = u.e2[:len(ge)]
	}
	for r := range b {
		norm := 0.0
		for k := 0; k < n/b; k++ {
			for i := range b {
				u.dir[k*b+i] = C[k*b*b+i*b+r]
				norm = math.Max(norm, math.Abs(u.dir[k*b+i]))
			}
		}
		if norm == 0 {
			continue
		}
		h := 3e-3 * scale / norm
		clear(d2)
		clear(e2)
		u.along(theta, 2, h, d2, e2)
		// The centre's weight: -2 (-1/3 / h²) - 2 (16/3 / h²) = -10/h².
		c := -10 / (h * h)
		for i := range n {
			s2[i] += 0.5 * (d2[i] + c*u.g0[i])
		}
		for i := range ge {
			ge[i] += 0.5 * (e2[i] + c*e0[i])
		}
	}
}

// hvpEta takes ∇η vᵀ∇θ log p as a first difference of the η gradient
// along v (the θ part, also summed, is not used).
func (u *laplaceUser) hvpEta(theta, v, ge []float64) {
	u.bufs()
	norm := 0.0
	for _, x := range v {
		norm = math.Max(norm, math.Abs(x))
	}
	if norm == 0 {
		return
	}
	copy(u.dir, v)
	dg := u.col
	clear(dg)
	u.along(theta, 1, 1e-3*stepScale(theta)/norm, dg, ge)
}

// lowerCholesky overwrites the b×b row-major symmetric a with its lower
// Cholesky factor, zeros above the diagonal, reporting whether a is
// positive definite.
func lowerCholesky(a []float64, b int) bool {
	_, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Lower, N: b, Stride: b, Data: a})
	for i := range b {
		clear(a[i*b+i+1 : i*b+b])
	}
	return ok
}

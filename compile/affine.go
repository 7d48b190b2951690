package compile

import (
	"math"
	"slices"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Affine regression loops. A loop such as arK's
//
//	for (t in (K + 1):T) {
//	  real mu = alpha;
//	  for (k in 1:K) mu += beta[k] * y[t - k];
//	  y[t] ~ normal(mu, sigma);
//	}
//
// samples data from a normal whose location is affine in parameter
// scalars (alpha, beta[k]) with data coefficients, and whose scale is the
// same expression every iteration. Its total is then the normal linear
// regression y ~ normal(c + X θ, σ) on a design X that the data fix: the
// loop is run once when the model is built, on affine forms instead of
// numbers, to read off each iteration's row of X and offset c, and each
// evaluation takes the sum of squares from X's QR factorisation
// (qrnormal.go) in O(p²) for p parameter scalars instead of the loop's
// O(T K) tape statements.
//
// The proof is syntactic and conservative: the loop bounds, indices and
// conditions read only data (data, transformed data, the loop's own
// loop variables); the loop declares and assigns only real scalars of its
// own; the location is built from them with +, -, data · affine,
// affine · data and affine / data; the scale reads nothing the loop
// declares; no user function, print, reject, break or target() occurs.
// Anything else, or data the factorisation cannot take, keeps the loop's
// ordinary compilation, which also runs whenever an evaluation's scale
// or parameters are not finite, so that errors stay its own.

// affTerm is coef · atom a.
type affTerm struct {
	a    int
	coef float64
}

// affVal is an affine form c + Σ coef · atom, its terms sorted by atom.
type affVal struct {
	c     float64
	terms []affTerm
}

// scale returns k · v.
func (v affVal) scale(k float64) affVal {
	out := affVal{c: k * v.c, terms: make([]affTerm, len(v.terms))}
	for i, t := range v.terms {
		out.terms[i] = affTerm{t.a, k * t.coef}
	}
	return out
}

// add returns v + k · w.
func (v affVal) add(w affVal, k float64) affVal {
	out := affVal{c: v.c + k*w.c, terms: make([]affTerm, 0, len(v.terms)+len(w.terms))}
	i, j := 0, 0
	for i < len(v.terms) || j < len(w.terms) {
		switch {
		case j == len(w.terms) || i < len(v.terms) && v.terms[i].a < w.terms[j].a:
			out.terms = append(out.terms, v.terms[i])
			i++
		case i == len(v.terms) || w.terms[j].a < v.terms[i].a:
			out.terms = append(out.terms, affTerm{w.terms[j].a, k * w.terms[j].coef})
			j++
		default:
			out.terms = append(out.terms, affTerm{v.terms[i].a, v.terms[i].coef + k*w.terms[j].coef})
			i++
			j++
		}
	}
	return out
}

// affAtom is one parameter scalar: element off of a variable.
type affAtom struct {
	v   int // index into affProgram.vars
	off int
}

// affVar is a variable whose elements are atoms.
type affVar struct {
	get  func(*env) *value
	dims func(*env, []int) []int
}

// affRun is the state of the loop's symbolic run.
type affRun struct {
	locals map[*check.Var]affVal
	index  map[affAtom]int
	atoms  []affAtom
	dims   map[int][]int // each variable's sizes, once read
	rows   [][]affRow    // each sampling statement's rows
}

// affRow is one iteration of a sampling statement: the variate and the
// location.
type affRow struct {
	y  float64
	mu affVal
}

// affFail aborts the symbolic run: the loop keeps its ordinary path.
type affFail struct{}

type (
	affExpr func(*env, *affRun) affVal
	affStmt func(*env, *affRun)
)

// affSite is a sampling statement of the loop.
type affSite struct {
	sigma  func(*env) ad.Var
	propto bool
	pos    token.Position
}

// affProgram is what the compiler learned of one loop.
type affProgram struct {
	run   affStmt
	vars  []affVar
	sites []*affSite
}

// affCompiler compiles one loop's symbolic run.
type affCompiler struct {
	c     *compiler
	inner map[*check.Var]bool // the loop variables and locals of the loop
	varIx map[*check.Var]int
	p     *affProgram
}

// affineLoop compiles s as a factorised regression when it is one; old
// is the loop's ordinary compilation, which it keeps for what the
// factorisation does not decide.
func (c *compiler) affineLoop(s *ast.ForStmt, old stmtFn) stmtFn {
	if c.opts&optAffineLoops == 0 || old == nil || c.fn != nil || c.inGuide || !samples(s) || c.gen != nil && c.gen.siteIn(s) {
		return nil
	}
	ac := &affCompiler{c: c, inner: map[*check.Var]bool{}, varIx: map[*check.Var]int{}, p: &affProgram{}}
	// The loop's parts are compiled a second time here: nothing is
	// deferred or hoisted, and errors were reported the first time.
	savedLoop, savedLoops, nErr := c.loop, c.loops, len(c.errs)
	c.loop, c.loops = nil, nil
	run := ac.stmt(s)
	c.loop, c.loops, c.errs = savedLoop, savedLoops, c.errs[:nErr]
	if run == nil || len(ac.p.sites) == 0 {
		return nil
	}
	ac.p.run = run
	prog := ac.p
	work := zeroState[affWork](c)
	built := c.whenBuilt(func(e *env) { work.of(e).build(e, prog) })
	return func(e *env) ctrl {
		if built != nil {
			built(e)
		}
		if w := work.of(e); w.fits != nil && w.eval(e, prog) {
			return next
		}
		return old(e)
	}
}

// siteIn reports whether s is or holds a prior site of the generative
// view, or one being compiled: they measure the target around them.
func (g *genCompile) siteIn(s ast.Stmt) bool {
	found := g.inSite != nil
	ast.Inspect(s, func(n ast.Node) bool {
		if st, ok := n.(ast.Stmt); ok && g.sites[st] != nil {
			found = true
		}
		return !found
	})
	return found
}

// samples reports whether s has a sampling statement.
func samples(s ast.Stmt) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.TildeStmt, *ast.TargetStmt:
			found = true
		}
		return !found
	})
	return found
}

// fixed reports whether x reads only data, transformed data and the
// loop's int loop variables, and calls only library functions.
func (ac *affCompiler) fixed(x ast.Expr) bool {
	ok := ac.pure(x)
	ast.Inspect(x, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID && ok {
			if v := ac.c.info.Uses[id]; v != nil {
				data := v.Scope == check.Global && (v.Block == ast.Data || v.Block == ast.TransformedData)
				// The loop's own ints: loop variables and int locals,
				// which hold data (assignInt).
				ok = data || ac.inner[v] && v.Type == types.IntT
			}
		}
		return ok
	})
	return ok
}

// pure reports whether x calls only library functions without effects
// and does not read target().
func (ac *affCompiler) pure(x ast.Expr) bool {
	ok := true
	ast.Inspect(x, func(n ast.Node) bool {
		if call, isCall := n.(*ast.CallExpr); isCall {
			ci := ac.c.info.Calls[call]
			if ci == nil || ci.User != nil || ci.FuncArg != nil || ci.Dist.Form == types.Rng || ci.Name == "target" || ci.Name == "get_lp" {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// invariant reports whether x, a scalar, reads nothing the loop declares.
func (ac *affCompiler) invariant(x ast.Expr) bool {
	ok := ac.c.isScalar(x) && ac.pure(x)
	ast.Inspect(x, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID && ok {
			if v := ac.c.info.Uses[id]; v != nil && ac.inner[v] {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// stmt compiles a statement of the loop, or returns nil.
func (ac *affCompiler) stmt(s ast.Stmt) affStmt {
	c := ac.c
	switch s := s.(type) {
	case *ast.BlockStmt:
		var list []affStmt
		for _, x := range s.List {
			f := ac.stmt(x)
			if f == nil {
				return nil
			}
			list = append(list, f)
		}
		return func(e *env, r *affRun) {
			for _, f := range list {
				f(e, r)
			}
		}
	case *ast.EmptyStmt:
		return func(*env, *affRun) {}
	case *ast.ForStmt:
		v := c.info.Uses[s.Var]
		if !ac.fixed(s.Lo) || !ac.fixed(s.Hi) {
			return nil
		}
		ac.inner[v] = true
		lo, hi := c.expr(s.Lo).i, c.expr(s.Hi).i
		get := c.declareLocal(v).getter()
		body := ac.stmt(s.Body)
		if body == nil {
			return nil
		}
		return func(e *env, r *affRun) {
			end := hi(e)
			for i := lo(e); i <= end; i++ {
				lv := get(e)
				lv.shapeIntScalar()
				lv.I[0] = i
				body(e, r)
			}
		}
	case *ast.IfStmt:
		if !ac.fixed(s.Cond) {
			return nil
		}
		cond := c.truth(s.Cond)
		then := ac.stmt(s.Then)
		els := func(*env, *affRun) {}
		if s.Else != nil {
			els = ac.stmt(s.Else)
		}
		if then == nil || els == nil {
			return nil
		}
		return func(e *env, r *affRun) {
			if cond(e) {
				then(e, r)
			} else {
				els(e, r)
			}
		}
	case *ast.VarDecl:
		t := s.Type
		v := c.info.Uses[s.Name]
		if v != nil && v.Type == types.IntT && len(t.ArrayDims) == 0 && t.Lower == nil && t.Upper == nil {
			ac.inner[v] = true
			if s.Init == nil {
				return ac.setInt(v, func(*env) int { return math.MinInt32 }) // as localDecl leaves it
			}
			return ac.assignInt(v, s.Init)
		}
		if v == nil || v.Type != types.RealT || len(t.ArrayDims) > 0 || t.Lower != nil || t.Upper != nil || t.Offset != nil || t.Multiplier != nil {
			return nil
		}
		ac.inner[v] = true
		if s.Init == nil {
			// Read before it is assigned, a declared real is NaN: the
			// symbolic run then fails.
			return func(_ *env, r *affRun) { delete(r.locals, v) }
		}
		init := ac.expr(s.Init)
		if init == nil {
			return nil
		}
		return func(e *env, r *affRun) { r.locals[v] = init(e, r) }
	case *ast.AssignStmt:
		id, ok := s.LHS.(*ast.Ident)
		if !ok {
			return nil
		}
		v := c.info.Uses[id]
		if v != nil && ac.inner[v] && v.Type == types.IntT && s.Op == token.ASSIGN {
			return ac.assignInt(v, s.RHS)
		}
		if v == nil || !ac.inner[v] || v.Type != types.RealT {
			return nil
		}
		switch s.Op {
		case token.ASSIGN, token.ADD_ASSIGN, token.SUB_ASSIGN:
			rhs := ac.expr(s.RHS)
			if rhs == nil {
				return nil
			}
			if s.Op == token.ASSIGN {
				return func(e *env, r *affRun) { r.locals[v] = rhs(e, r) }
			}
			sign := 1.0
			if s.Op == token.SUB_ASSIGN {
				sign = -1
			}
			return func(e *env, r *affRun) { r.locals[v] = ac.local(r, v).add(rhs(e, r), sign) }
		case token.MUL_ASSIGN, token.QUO_ASSIGN:
			if !ac.fixed(s.RHS) || !c.isScalar(s.RHS) {
				return nil
			}
			rhs := c.expr(s.RHS).real()
			div := s.Op == token.QUO_ASSIGN
			return func(e *env, r *affRun) {
				k := rhs(e).Val
				if div {
					k = 1 / k
				}
				r.locals[v] = ac.local(r, v).scale(k)
			}
		}
		return nil
	case *ast.TildeStmt:
		call := c.info.Dists[s]
		if call == nil || call.User != nil || s.Dist.Name != "normal" || s.Truncated || len(s.Args) != 2 {
			return nil
		}
		return ac.site(s.LHS, s.Args[0], s.Args[1], !c.keepConsts(), c.pos(s.Tilde))
	case *ast.TargetStmt:
		call, ok := unparen(s.X).(*ast.CallExpr)
		if !ok || len(call.Args) != 3 {
			return nil
		}
		ci := c.info.Calls[call]
		if ci == nil || ci.User != nil || ci.Dist.Family != "normal" || (ci.Dist.Form != types.Density && ci.Dist.Form != types.DensityPropto) {
			return nil
		}
		return ac.site(call.Args[0], call.Args[1], call.Args[2], ci.Dist.Form == types.DensityPropto && !c.keepConsts(), c.pos(s.Pos()))
	}
	return nil
}

// assignInt compiles the assignment of data x to the loop's int local v.
func (ac *affCompiler) assignInt(v *check.Var, x ast.Expr) affStmt {
	if !ac.fixed(x) || ac.c.info.Types[x] != types.IntT {
		return nil
	}
	return ac.setInt(v, ac.c.expr(x).i)
}

// setInt compiles v = f.
func (ac *affCompiler) setInt(v *check.Var, f func(*env) int) affStmt {
	get := ac.c.declareLocal(v).getter()
	return func(e *env, _ *affRun) {
		lv := get(e)
		lv.shapeIntScalar()
		lv.I[0] = f(e)
	}
}

// local is a local's value, failing the run when it was never assigned.
func (ac *affCompiler) local(r *affRun, v *check.Var) affVal {
	val, ok := r.locals[v]
	if !ok {
		panic(affFail{})
	}
	return val
}

// site compiles a sampling statement y ~ normal(mu, sigma): data y, affine
// mu, invariant sigma.
func (ac *affCompiler) site(yx, mux, sx ast.Expr, propto bool, pos token.Position) affStmt {
	c := ac.c
	if !c.isScalar(yx) || !ac.fixed(yx) || !ac.invariant(sx) {
		return nil
	}
	mu := ac.expr(mux)
	if mu == nil {
		return nil
	}
	y := c.expr(yx).real()
	k := len(ac.p.sites)
	ac.p.sites = append(ac.p.sites, &affSite{sigma: c.expr(sx).real(), propto: propto, pos: pos})
	return func(e *env, r *affRun) {
		r.rows[k] = append(r.rows[k], affRow{y: y(e).Val, mu: mu(e, r)})
	}
}

// expr compiles a scalar expression affine in the atoms, or returns nil.
func (ac *affCompiler) expr(x ast.Expr) affExpr {
	c := ac.c
	if !c.isScalar(x) {
		return nil
	}
	if ac.fixed(x) {
		f := c.expr(x).real()
		return func(e *env, _ *affRun) affVal { return affVal{c: f(e).Val} }
	}
	switch x := x.(type) {
	case *ast.ParenExpr:
		return ac.expr(x.X)
	case *ast.UnaryExpr:
		f := ac.expr(x.X)
		if f == nil || x.Op != token.ADD && x.Op != token.SUB {
			return nil
		}
		if x.Op == token.ADD {
			return f
		}
		return func(e *env, r *affRun) affVal { return f(e, r).scale(-1) }
	case *ast.BinaryExpr:
		switch x.Op {
		case token.ADD, token.SUB:
			a, b := ac.expr(x.X), ac.expr(x.Y)
			if a == nil || b == nil {
				return nil
			}
			sign := 1.0
			if x.Op == token.SUB {
				sign = -1
			}
			return func(e *env, r *affRun) affVal { return a(e, r).add(b(e, r), sign) }
		case token.MUL, token.QUO:
			d, v := x.Y, x.X // data factor, affine factor
			if x.Op == token.MUL && ac.fixed(x.X) {
				d, v = x.X, x.Y
			}
			if !ac.fixed(d) || !c.isScalar(d) {
				return nil
			}
			f := ac.expr(v)
			if f == nil {
				return nil
			}
			k := c.expr(d).real()
			if x.Op == token.QUO {
				return func(e *env, r *affRun) affVal { return f(e, r).scale(1 / k(e).Val) }
			}
			return func(e *env, r *affRun) affVal { return f(e, r).scale(k(e).Val) }
		}
	case *ast.Ident:
		v := c.info.Uses[x]
		if v != nil && ac.inner[v] && v.Type == types.RealT {
			return func(_ *env, r *affRun) affVal { return ac.local(r, v) }
		}
	}
	return ac.atom(x)
}

// atom compiles a read of a parameter scalar: a real variable the loop
// does not declare, read whole or at data indices.
func (ac *affCompiler) atom(x ast.Expr) affExpr {
	c := ac.c
	if c.info.Types[x] != types.RealT {
		return nil
	}
	var idx []ast.Expr
	base := x
	for {
		ix, ok := base.(*ast.IndexExpr)
		if !ok {
			break
		}
		idx = append(slices.Clone(ix.Indices), idx...)
		base = ix.X
	}
	id, ok := base.(*ast.Ident)
	if !ok {
		return nil
	}
	v := c.info.Uses[id]
	if v == nil || v.Decl == nil || ac.inner[v] || ac.fixed(id) || v.Type.Kind == types.Int || v.Type.Kind == types.Tuple || isComplex(v.Type.Kind) {
		return nil
	}
	if v.Scope != check.Global && !(v.Scope == check.Local && v.Block == ast.Model) {
		return nil
	}
	// The sizes must be data, to be read when the model is built.
	t := v.Decl.Type
	for _, s := range append(slices.Clone(t.ArrayDims), t.Sizes...) {
		if s == nil || !ac.fixed(s) {
			return nil
		}
	}
	arr := v.Type.Dims
	if len(idx) != arr+innerDims(v.Type) {
		return nil
	}
	fs := make([]func(*env) int, len(idx))
	for i, ix := range idx {
		if c.info.Types[ix] != types.IntT || !ac.fixed(ix) {
			return nil
		}
		fs[i] = c.expr(ix).i
	}
	r, declared := c.slots[v]
	if !declared {
		return nil
	}
	vi, seen := ac.varIx[v]
	if !seen {
		vi = len(ac.p.vars)
		ac.varIx[v] = vi
		ac.p.vars = append(ac.p.vars, affVar{get: r.getter(), dims: c.dimsOf(v.Name, t)})
	}
	return func(e *env, run *affRun) affVal {
		dims, ok := run.dims[vi]
		if !ok {
			dims = ac.p.vars[vi].dims(e, nil)
			run.dims[vi] = dims
		}
		off := 0
		for d := range arr {
			i := fs[d](e)
			if i < 1 || i > dims[d] {
				panic(affFail{})
			}
			off = off*dims[d] + i - 1
		}
		off *= size(dims[arr:])
		stride := 1
		for d := arr; d < len(dims); d++ {
			i := fs[d](e)
			if i < 1 || i > dims[d] {
				panic(affFail{})
			}
			off += (i - 1) * stride
			stride *= dims[d]
		}
		key := affAtom{vi, off}
		a, ok := run.index[key]
		if !ok {
			a = len(run.atoms)
			run.index[key] = a
			run.atoms = append(run.atoms, key)
		}
		return affVal{terms: []affTerm{{a, 1}}}
	}
}

// affWork is one Model's factorised loop: nil fits when the loop keeps
// its ordinary path.
type affWork struct {
	atoms []affAtom
	fits  []affFit
	vars  []ad.Var
	lps   []ad.Var
	drop  []bool
}

// affFit is one sampling statement's regression: its columns are atoms.
type affFit struct {
	qr    *qrNormal
	cols  []int
	theta []float64
	ops   []qrOperand
}

// build runs the loop symbolically on the model's data and factorises
// each sampling statement's design. Whatever fails (an index out of
// range, a data expression's error, a location that is not affine in
// fact, too few rows) leaves the ordinary path.
func (w *affWork) build(e *env, p *affProgram) {
	run := &affRun{locals: map[*check.Var]affVal{}, index: map[affAtom]int{}, dims: map[int][]int{}, rows: make([][]affRow, len(p.sites))}
	ok := func() (ok bool) {
		defer func() {
			if r := recover(); r != nil {
				switch r.(type) {
				case affFail, *evalError:
					ok = false
				default:
					panic(r)
				}
			}
		}()
		p.run(e, run)
		return true
	}()
	if !ok {
		return
	}
	fits := make([]affFit, len(p.sites))
	for k, rows := range run.rows {
		// The columns are the atoms the rows use, in order.
		pos := map[int]int{}
		var cols []int
		nnz := 0
		for _, row := range rows {
			nnz += len(row.mu.terms)
			for _, t := range row.mu.terms {
				if _, seen := pos[t.a]; !seen {
					pos[t.a] = len(cols)
					cols = append(cols, t.a)
				}
			}
		}
		n, np := len(rows), len(cols)
		y := make([]float64, n)
		x := make([]float64, n*np) // column-major
		for i, row := range rows {
			y[i] = row.y - row.mu.c
			for _, t := range row.mu.terms {
				x[pos[t.a]*n+i] = t.coef
			}
		}
		if np == 0 || !affCheaper(n, np, nnz) {
			return
		}
		qr := newQRNormal(y, np, func(j int) []float64 { return x[j*n : (j+1)*n] })
		if qr == nil {
			return
		}
		fits[k] = affFit{qr: qr, cols: cols, theta: make([]float64, np), ops: make([]qrOperand, np)}
		for j := range cols {
			fits[k].ops[j] = qrOperand{col: j, scale: 1}
		}
	}
	w.atoms, w.fits = run.atoms, fits
	w.vars = make([]ad.Var, len(run.atoms))
	w.lps = make([]ad.Var, len(fits))
	w.drop = make([]bool, len(fits))
}

// affCheaper reports whether the factorisation of n rows, p columns and
// nnz nonzero coefficients pays: a gradient costs about p² multiply-adds
// against the loop's tape statements per coefficient and row (measured
// on arK, p = 6, and rats, p = 60 on 150 rows of 2: 3x faster), and the
// design and its factorisation, n p floats and n p² flops once, stay
// small.
func affCheaper(n, p, nnz int) bool {
	return p*p <= 16*(nnz+n) && n*p <= 1e7 && n*p*p <= 1e9
}

// eval adds the loop's densities to the target and reports true, or
// reports false, having added nothing, where the ordinary loop must
// decide.
func (w *affWork) eval(e *env, p *affProgram) bool {
	for i, a := range w.atoms {
		v := p.vars[a.v].get(e)
		if a.off >= len(v.R) {
			return false
		}
		w.vars[i] = v.R[a.off]
	}
	for k := range w.fits {
		f := &w.fits[k]
		for j, a := range f.cols {
			f.theta[j] = w.vars[a].Val
			f.ops[j].v = w.vars[a]
		}
		s := p.sites[k]
		sv := s.sigma(e)
		lp, ok := f.qr.density(e.t, f.theta, f.ops, sv, s.propto)
		if !ok {
			return false
		}
		w.lps[k] = lp
		// A density of constants only is dropped with the constants, as
		// the ordinary loop drops each of its terms.
		w.drop[k] = s.propto && sv.IsConst() && lp.IsConst()
	}
	for k, lp := range w.lps {
		if !w.drop[k] {
			e.addTarget(&p.sites[k].pos, lp)
		}
	}
	return true
}

package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// A Gaussian process's marginal likelihood in the model block,
//
//	matrix[N, N] K = gp_exp_quad_cov(x, alpha, rho) + diag_matrix(rep_vector(sigma, N));
//	matrix[N, N] L = cholesky_decompose(K);
//	...
//	y ~ multi_normal_cholesky(mu, L);
//
// with data points x, data vectors y and mu, and K and L read nowhere
// else, is one tape statement over alpha, rho and sigma. Node by node it
// records the covariance (a partial per entry and parameter), the sum,
// the factor (Murray's adjoint over its n(n+1)/2 outputs) and the density,
// each materialising an n × n matrix of tape variables. Fused, K, its
// factor, the solve and the log determinant are float64 loops, and the
// partials come from the derivative of the density with respect to K,
// G = ½ (w wᵀ - K⁻¹) with w = K⁻¹ (y - mu) (Rasmussen & Williams 2006,
// eq. 5.9): ∂/∂θ = Σ G ∘ ∂K/∂θ for each parameter θ.
//
// The statements are compiled as written too: an evaluation whose
// arguments the fused form does not take (a size that does not match, a
// value not finite, a covariance not positive definite) runs them, so
// that errors and their messages are the unfused ones.

// gpChain is the pattern found in a statement list: the indices of the
// covariance's declaration (the factor's is the next statement) and of
// the density.
type gpChain struct {
	cov, tilde  int
	decl        *ast.VarDecl  // the covariance's declaration
	gp          *ast.CallExpr // gp_exp_quad_cov(x, alpha, rho)
	sigma, size ast.Expr      // the diagonal's value and size
	s           *ast.TildeStmt
}

// findGPChain finds the pattern in a model block's statements, or
// returns nil.
func (c *compiler) findGPChain(list []ast.Stmt) *gpChain {
	for i := 0; i+1 < len(list); i++ {
		covDecl, ok := list[i].(*ast.VarDecl)
		if !ok || !c.isPlainMatrixDecl(covDecl) {
			continue
		}
		g := c.gpPlusDiag(covDecl.Init)
		if g == nil {
			continue
		}
		cholDecl, ok := list[i+1].(*ast.VarDecl)
		if !ok || !c.isPlainMatrixDecl(cholDecl) {
			continue
		}
		call, ok := unparen(cholDecl.Init).(*ast.CallExpr)
		if !ok || call.Fun.Name != "cholesky_decompose" || len(call.Args) != 1 || !c.stdlibCall(call) ||
			!c.isVar(call.Args[0], c.info.Uses[covDecl.Name]) {
			continue
		}
		for k := i + 2; k < len(list); k++ {
			s, ok := list[k].(*ast.TildeStmt)
			if !ok || s.Dist.Name != "multi_normal_cholesky" || s.Truncated || len(s.Args) != 2 ||
				!c.isVar(s.Args[1], c.info.Uses[cholDecl.Name]) {
				continue
			}
			if d := c.info.Dists[s]; d == nil || d.User != nil {
				break
			}
			if c.info.Types[s.LHS] != types.VectorT || c.info.Types[s.Args[0]] != types.VectorT ||
				!c.readsGlobalDataOnly(s.LHS) || !c.readsGlobalDataOnly(s.Args[0]) {
				break
			}
			// K is read by the factor only, L by the density only.
			if c.uses(c.info.Uses[covDecl.Name]) != 2 || c.uses(c.info.Uses[cholDecl.Name]) != 2 {
				break
			}
			g.cov, g.tilde, g.s, g.decl = i, k, s, covDecl
			return g
		}
	}
	return nil
}

// isPlainMatrixDecl: matrix[M, N] name = init, no array, no constraint.
func (c *compiler) isPlainMatrixDecl(d *ast.VarDecl) bool {
	t := d.Type
	return t.Base == "matrix" && len(t.ArrayDims) == 0 && d.Init != nil &&
		t.Lower == nil && t.Upper == nil && t.Offset == nil && t.Multiplier == nil
}

func (c *compiler) stdlibCall(call *ast.CallExpr) bool {
	k := c.info.Calls[call]
	return k != nil && k.User == nil
}

// readsGlobalDataOnly reports whether x reads only data and transformed
// data: its value is the same wherever in the block it is evaluated.
func (c *compiler) readsGlobalDataOnly(x ast.Expr) bool {
	only := true
	ast.Inspect(x, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v := c.info.Uses[id]; v != nil && (v.Scope != check.Global || v.Block != ast.Data && v.Block != ast.TransformedData) {
				only = false
			}
		}
		return only
	})
	return only
}

// gpPlusDiag recognises gp_exp_quad_cov(x, alpha, rho) +
// diag_matrix(rep_vector(sigma, N)), in either order, with data points
// x and parameters that are not all data.
func (c *compiler) gpPlusDiag(x ast.Expr) *gpChain {
	b, ok := unparen(x).(*ast.BinaryExpr)
	if !ok || b.Op != token.ADD {
		return nil
	}
	for _, p := range [2][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
		gp, ok := unparen(p[0]).(*ast.CallExpr)
		if !ok || gp.Fun.Name != "gp_exp_quad_cov" && gp.Fun.Name != "cov_exp_quad" || len(gp.Args) != 3 ||
			!c.stdlibCall(gp) || !c.isDataOnly(gp.Args[0]) || !c.isScalar(gp.Args[1]) || !c.isScalar(gp.Args[2]) {
			continue
		}
		dm, ok := unparen(p[1]).(*ast.CallExpr)
		if !ok || dm.Fun.Name != "diag_matrix" || len(dm.Args) != 1 || !c.stdlibCall(dm) {
			continue
		}
		rv, ok := unparen(dm.Args[0]).(*ast.CallExpr)
		if !ok || rv.Fun.Name != "rep_vector" || len(rv.Args) != 2 || !c.stdlibCall(rv) || !c.isScalar(rv.Args[0]) {
			continue
		}
		if c.isDataOnly(gp.Args[1]) && c.isDataOnly(gp.Args[2]) && c.isDataOnly(rv.Args[0]) {
			return nil
		}
		return &gpChain{gp: gp, sigma: rv.Args[0], size: rv.Args[1]}
	}
	return nil
}

// gpWork is the fused statement's working memory, reused by every
// evaluation: e holds exp(-d²/(2ρ²)) and d2 the squared distances (both
// lower triangles, column-major), l the factor, li L⁻¹, r the residual
// and then K⁻¹ r.
type gpWork struct {
	dims            []int
	d2, e, l, li, r []float64
	term            ad.Var // the density's term, added by the ~ statement
	fused           bool   // the last evaluation took the fused path
}

// modelStmts compiles a model block's statement list, fusing a Gaussian
// process's marginal likelihood when it finds one.
func (c *compiler) modelStmts(list []ast.Stmt) stmtFn {
	g := c.findGPChain(list)
	if g == nil {
		return c.stmts(list)
	}
	fs := make([]stmtFn, 0, len(list))
	work := zeroState[gpWork](c)
	var covFn stmtFn
	for i, s := range list {
		f := c.stmt(s)
		switch i {
		case g.cov:
			covFn = f
			continue
		case g.cov + 1:
			f = c.gpFused(g, work, covFn, f)
		case g.tilde:
			f = c.gpTerm(g, work, f)
		}
		if f != nil {
			fs = append(fs, f)
		}
	}
	return func(e *env) ctrl {
		for _, f := range fs {
			if r := f(e); r != next {
				return r
			}
		}
		return next
	}
}

// gpTerm adds the fused density's term, or runs the ~ statement itself
// when the evaluation did not fuse.
func (c *compiler) gpTerm(g *gpChain, work stateSlot[gpWork], tilde stmtFn) stmtFn {
	pos := c.pos(g.s.Tilde)
	return func(e *env) ctrl {
		w := work.of(e)
		if !w.fused {
			return tilde(e)
		}
		e.addTarget(&pos, w.term)
		return next
	}
}

// gpFused compiles the fused statement, which stands where L is declared:
// it computes the density's term for the ~ statement to add, or runs the
// two declarations as written.
func (c *compiler) gpFused(g *gpChain, work stateSlot[gpWork], covFn, cholFn stmtFn) stmtFn {
	covDecl := g.decl
	dims := c.dimsOf(covDecl.Name.Name, covDecl.Type)
	x := c.expr(g.gp.Args[0]).val(true)
	alpha, rho, sigma := c.expr(g.gp.Args[1]).real(), c.expr(g.gp.Args[2]).real(), c.expr(g.sigma).real()
	size := c.expr(g.size).i
	y, mu := c.expr(g.s.LHS).val(true), c.expr(g.s.Args[0]).val(true)
	unfused := func(e *env) ctrl {
		work.of(e).fused = false
		covFn(e)
		return cholFn(e)
	}
	return func(e *env) ctrl {
		w := work.of(e)
		w.dims = dims(e, w.dims[:0])
		xv, yv, mv := x(e), y(e), mu(e)
		n := 0
		if len(xv.Dims) > 0 {
			n = xv.Dims[0]
		}
		if n == 0 || len(w.dims) != 2 || w.dims[0] != n || w.dims[1] != n || size(e) != n || len(yv.R) != n || len(mv.R) != n {
			return unfused(e)
		}
		a, r, s := alpha(e), rho(e), sigma(e)
		lp, da, dr, ds, ok := w.density(xv, yv, mv, a.Val, r.Val, s.Val)
		if !ok {
			return unfused(e)
		}
		b := e.t.Begin()
		b.Add(a, da)
		b.Add(r, dr)
		b.Add(s, ds)
		w.term, w.fused = b.End(lp), true
		return next
	}
}

// density returns -½ rᵀK⁻¹r - log|L| (the density without its constant)
// for r = y - mu and K = α² exp(-d²/(2ρ²)) + σI over the points x, and its
// partials with respect to α, ρ and σ; ok is false when the arguments are
// not finite, not positive where they must be, or K is not positive
// definite, for the statements as written to report.
func (w *gpWork) density(x, y, mu *value, alpha, rho, sigma float64) (lp, da, dr, ds float64, ok bool) {
	n := x.Dims[0]
	if !(alpha > 0) || math.IsInf(alpha, 0) || !(rho > 0) || math.IsInf(rho, 0) || math.IsNaN(sigma) || math.IsInf(sigma, 0) {
		return 0, 0, 0, 0, false
	}
	w.d2, w.e, w.l, w.li = grow(w.d2, n*n), grow(w.e, n*n), grow(w.l, n*n), grow(w.li, n*n)
	w.r = grow(w.r, n)
	d2, ex, l, li, res := w.d2, w.e, w.l, w.li, w.r
	dim := size(x.Dims[1:])
	for i := range res {
		yi, mi := y.R[i].Val, mu.R[i].Val
		if math.IsNaN(yi) || math.IsNaN(mi) || math.IsInf(mi, 0) {
			return 0, 0, 0, 0, false
		}
		res[i] = yi - mi
	}
	a2, cc := alpha*alpha, -1/(2*rho*rho)
	for j := range n {
		for i := j; i < n; i++ {
			s := 0.0
			for q := range dim {
				diff := x.R[i*dim+q].Val - x.R[j*dim+q].Val
				s += diff * diff
			}
			if math.IsNaN(s) {
				return 0, 0, 0, 0, false
			}
			d2[i+j*n] = s
			ex[i+j*n] = math.Exp(s * cc)
			l[i+j*n] = a2 * ex[i+j*n]
		}
		l[j+j*n] += sigma
	}
	// The factor in place, left-looking by columns (as ad's
	// choleskyInto), and log|L|.
	logDet := 0.0
	for j := range n {
		col := l[j+j*n : (j+1)*n]
		for k := range j {
			ck := l[j+k*n : (k+1)*n]
			ljk := ck[0]
			for i, v := range ck {
				col[i] -= v * ljk
			}
		}
		if !(col[0] > 0) || math.IsInf(col[0], 0) {
			return 0, 0, 0, 0, false
		}
		d := math.Sqrt(col[0])
		logDet += math.Log(d)
		col[0] = d
		for i := 1; i < len(col); i++ {
			col[i] /= d
		}
	}
	// z = L⁻¹ r, zᵀz, then r = L⁻ᵀ z = K⁻¹ r.
	zz := 0.0
	for j := range n {
		res[j] /= l[j+j*n]
		zj := res[j]
		zz += zj * zj
		for i := j + 1; i < n; i++ {
			res[i] -= l[i+j*n] * zj
		}
	}
	for i := n - 1; i >= 0; i-- {
		s := res[i]
		for k := i + 1; k < n; k++ {
			s -= l[k+i*n] * res[k]
		}
		res[i] = s / l[i+i*n]
	}
	// L⁻¹ by columns (lower triangular); (K⁻¹)_ij = Σ_k (L⁻¹)_ki (L⁻¹)_kj.
	for j := range n {
		col := li[j*n : (j+1)*n]
		clear(col[:j])
		col[j] = 1
		for i := j + 1; i < n; i++ {
			col[i] = 0
		}
		for p := j; p < n; p++ {
			col[p] /= l[p+p*n]
			cp := col[p]
			for i := p + 1; i < n; i++ {
				col[i] -= l[i+p*n] * cp
			}
		}
	}
	// G = ½ (w wᵀ - K⁻¹), counted twice off the diagonal for the upper
	// triangle: Σ G ∘ E, Σ G ∘ E ∘ d² and trace G.
	var sumE, sumED, tr float64
	for j := range n {
		cj := li[j*n : (j+1)*n]
		for i := j; i < n; i++ {
			ci := li[i*n : (i+1)*n]
			kinv := 0.0
			for k := i; k < n; k++ {
				kinv += ci[k] * cj[k]
			}
			gij := 0.5 * (res[i]*res[j] - kinv)
			if i != j {
				gij *= 2
			} else {
				tr += gij
			}
			ge := gij * ex[i+j*n]
			sumE += ge
			sumED += ge * d2[i+j*n]
		}
	}
	// ∂K/∂α = 2α E, ∂K/∂ρ = α² E ∘ d² / ρ³, ∂K/∂σ = I.
	return -0.5*zz - logDet, 2 * alpha * sumE, a2 * sumED / (rho * rho * rho), tr, true
}

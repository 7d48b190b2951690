package compile

import (
	"errors"
	"math"

	gfloats "gonum.org/v1/gonum/floats"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Fused linear regression: y ~ normal(a + b * x + c * z + X * beta + ...,
// sigma), with y, the vectors x, z, ... and the matrix X data, the
// coefficients a, b, c scalars and beta a vector, is the body of most
// regression models. Evaluated term by term it records one tape statement
// per element and operator (X * beta a matrix product node of N outputs);
// fused, it is one pass over the data in float64 and one statement whose
// partials are d lp / d coef = Σ_i r_i x_i / sigma, and Xᵀr / sigma for
// beta, with r = (y - mu) / sigma: the normal_id_glm computation (Stan
// Functions Reference, "Normal-id generalized linear model").

// linearTerm is coef · x, or coef alone when x is nil, or, when mat is
// set, the product mat * beta of a data matrix and a vector.
type linearTerm struct {
	coef func(*env) ad.Var
	x    func(*env) *value
	neg  bool
	mat  *matrixTerm
}

// matrixTerm is X * beta in a linear predictor.
type matrixTerm struct {
	x, beta func(*env) *value
	fixed   bool           // X never changes once the model is built
	pos     token.Position // the product's, for its size error
}

// linearPredictor recognises a vector expression that is a sum of scalars,
// products of a scalar with a data-only vector, and products of a
// data-only matrix with a vector.
func (c *compiler) linearPredictor(x ast.Expr) ([]linearTerm, bool) {
	var terms []linearTerm
	hasVector := false
	var walk func(x ast.Expr, neg bool) bool
	walk = func(x ast.Expr, neg bool) bool {
		switch e := x.(type) {
		case *ast.ParenExpr:
			return walk(e.X, neg)
		case *ast.BinaryExpr:
			switch e.Op {
			case token.ADD:
				return walk(e.X, neg) && walk(e.Y, neg)
			case token.SUB:
				return walk(e.X, neg) && walk(e.Y, !neg)
			case token.MUL:
				if c.info.Types[e.X] == types.MatrixT && c.info.Types[e.Y] == types.VectorT && c.isDataOnly(e.X) {
					m := c.expr(e.X)
					terms = append(terms, linearTerm{neg: neg, mat: &matrixTerm{x: m.val(true), beta: c.expr(e.Y).val(true), fixed: m.fixed, pos: c.pos(e.OpPos)}})
					hasVector = true
					return true
				}
				s, v := e.X, e.Y
				if c.isScalar(v) {
					s, v = v, s
				}
				if !c.isScalar(s) || c.info.Types[v] != types.VectorT || !c.isDataOnly(v) {
					return false
				}
				terms = append(terms, linearTerm{coef: c.expr(s).real(), x: c.expr(v).val(true), neg: neg})
				hasVector = true
				return true
			}
		}
		switch {
		case c.isScalar(x):
			terms = append(terms, linearTerm{coef: c.expr(x).real(), neg: neg})
			return true
		case c.info.Types[x] == types.VectorT && c.isDataOnly(x):
			terms = append(terms, linearTerm{coef: func(*env) ad.Var { return ad.Const(1) }, x: c.expr(x).val(true), neg: neg})
			hasVector = true
			return true
		}
		return false
	}
	if c.info.Types[x] != types.VectorT || !walk(x, false) || !hasVector {
		return nil, false
	}
	return terms, true
}

func (c *compiler) isScalar(x ast.Expr) bool {
	t := c.info.Types[x]
	return t == types.RealT || t == types.IntT
}

// isDataOnly reports whether x reads only data, transformed data and
// loop variables over them.
func (c *compiler) isDataOnly(x ast.Expr) bool {
	only := true
	ast.Inspect(x, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v := c.info.Uses[id]; v != nil && !v.DataOnly {
				only = false
			}
		}
		return only
	})
	return only
}

// fusedNormal compiles y ~ normal(linear predictor, sigma) for a data
// vector y and a scalar sigma as one pass, or returns nil.
func (c *compiler) fusedNormal(s *ast.TildeStmt) stmtFn {
	if s.Truncated || len(s.Args) != 2 {
		return nil
	}
	pos := c.pos(s.Tilde)
	f := c.fusedNormalLpdf(s.LHS, s.Args[0], s.Args[1], true, pos)
	if f == nil {
		return nil
	}
	return func(e *env) ctrl {
		e.addTarget(&pos, f(e))
		return next
	}
}

// fusedNormalCall compiles normal_lpdf(y | linear predictor, sigma) (or
// normal_lupdf) as fusedNormal does, before its arguments are compiled;
// it reports false when the call is not of that form.
func (c *compiler) fusedNormalCall(x *ast.CallExpr, call *check.Call, t types.Type) (cexpr, bool) {
	form := call.Dist.Form
	if call.User != nil || call.Dist.Family != "normal" || (form != types.Density && form != types.DensityPropto) || len(x.Args) != 3 {
		return cexpr{}, false
	}
	propto := form == types.DensityPropto && !c.keepConsts()
	f := c.fusedNormalLpdf(x.Args[0], x.Args[1], x.Args[2], propto, c.pos(x.Pos()))
	if f == nil {
		return cexpr{}, false
	}
	return cexpr{t: t, r: f}, true
}

// fusedNormalLpdf is the fused normal density of data vector yx with
// location mux, a linear predictor, and scalar scale sx, or nil. With
// propto it drops what Stan's ~ drops: log √(2π), and log sigma for a
// constant sigma.
func (c *compiler) fusedNormalLpdf(yx, mux, sx ast.Expr, propto bool, pos token.Position) func(*env) ad.Var {
	if c.info.Types[yx] != types.VectorT || !c.isDataOnly(yx) || !c.isScalar(sx) {
		return nil
	}
	terms, ok := c.linearPredictor(mux)
	if !ok {
		return nil
	}
	y := c.expr(yx).val(true)
	sigma := c.expr(sx).real()
	// vec are the indices of the terms with a data vector, mats of the
	// matrix products; the others are scalars, summed into loc.icpt once
	// per evaluation.
	var vec, mats []int
	for k, tm := range terms {
		switch {
		case tm.mat != nil:
			mats = append(mats, k)
		case tm.x != nil:
			vec = append(vec, k)
		}
	}
	nt, nv := len(terms), len(vec)
	work := newState(c, func() *fusedWork {
		return &fusedWork{coefs: make([]ad.Var, nt), grads: make([]float64, nv),
			loc: fusedLoc{vals: make([]float64, nv), xs: make([][]ad.Var, nv), mats: make([]fusedMat, len(mats))}}
	})
	return func(e *env) ad.Var {
		w := work.of(e)
		coefs, grads, loc := w.coefs, w.grads, &w.loc
		yv := y(e).R
		n := len(yv)
		loc.icpt = 0
		j := 0
		for k, tm := range terms {
			if tm.mat != nil {
				continue
			}
			coefs[k] = tm.coef(e)
			v := coefs[k].Val
			if tm.neg {
				v = -v
			}
			if tm.x == nil {
				loc.icpt += v
				continue
			}
			loc.vals[j] = v
			if loc.xs[j] = tm.x(e).R; len(loc.xs[j]) != n {
				fail(pos, "normal_lpdf: size of the location (%d) does not match the size of the random variable (%d)", len(loc.xs[j]), n)
			}
			grads[j] = 0
			j++
		}
		empty := n == 0
		for j, k := range mats {
			if rows := loc.mats[j].eval(e, terms[k].mat, terms[k].neg); rows == 0 {
				empty = true
			} else if rows != n && n > 0 {
				panic(&evalError{pos: pos, err: &dist.SizeError{Func: "normal_lpdf", Arg1: "Random variable", Arg2: "Location parameter", N1: n, N2: rows}})
			}
		}
		if empty {
			return ad.Var{} // the density of nothing, as the unfused call's
		}
		sv := sigma(e)
		sd := sv.Val
		inv := 1 / sd
		var sr, sr2 float64
		ok := sd > 0 && !math.IsInf(sd, 1)
		if ok && len(mats) == 0 {
			sr, sr2, ok = loc.vectorPass(yv, inv, grads)
		} else if ok {
			sr, sr2, ok = loc.matrixPass(yv, inv, grads)
		}
		if !ok {
			fusedNormalError(pos, yv, loc, sv)
		}
		lp := -0.5 * sr2
		b := e.t.Begin()
		nOps := nt + 1
		for _, m := range loc.mats {
			nOps += len(m.beta)
		}
		if e.t != nil {
			b.Grow(nOps)
		}
		j = 0
		mj := 0
		for k, tm := range terms {
			if tm.mat != nil {
				m := &loc.mats[mj]
				mj++
				if !m.varying {
					continue
				}
				d := b.AddVars(m.beta)
				scale := inv
				if tm.neg {
					scale = -inv
				}
				for col := range d {
					d[col] = m.grad(col) * scale
				}
				continue
			}
			d := sr
			if tm.x != nil {
				d = grads[j]
				j++
			}
			d *= inv
			if tm.neg {
				d = -d
			}
			b.Add(coefs[k], d)
		}
		if !propto || !sv.IsConst() {
			lp -= float64(n) * math.Log(sd)
		}
		if !sv.IsConst() {
			b.Add(sv, (sr2-float64(n))*inv)
		}
		if !propto {
			lp -= float64(n) * logSqrt2Pi
		}
		return b.End(lp)
	}
}

// logSqrt2Pi is log √(2π), the normal density's constant.
var logSqrt2Pi = 0.5 * math.Log(2*math.Pi)

// fusedWork is a fused density's per-model work space: the coefficients'
// values, their gradients' sums and the evaluated location.
type fusedWork struct {
	coefs []ad.Var
	grads []float64
	loc   fusedLoc
}

// fusedLoc is a fused linear predictor evaluated: the sum of its scalar
// terms, its vector terms' signed coefficients and data, and its matrix
// products.
type fusedLoc struct {
	icpt float64
	vals []float64
	xs   [][]ad.Var
	mats []fusedMat
	// mu is the location, then the residuals r, of a predictor with
	// matrix products.
	mu []float64
}

// fusedMat is a matrix product X * beta of a linear predictor evaluated:
// X in float64 (column-major, copied once when it is fixed data), beta
// and its signed values.
type fusedMat struct {
	x          []float64
	rows, cols int
	cached     bool
	beta       []ad.Var
	b          []float64
	varying    bool
	r          []float64 // the residuals, for grad
}

// eval evaluates the product's operands and returns X's rows; it fails
// at the product as the product itself would when the sizes disagree.
func (m *fusedMat) eval(e *env, t *matrixTerm, neg bool) int {
	if !m.cached {
		x := t.x(e)
		m.rows, m.cols = x.Dims[0], x.Dims[1]
		m.x = m.x[:0]
		for _, v := range x.R {
			m.x = append(m.x, v.Val)
		}
		m.cached = t.fixed
	}
	m.beta = t.beta(e).R
	if len(m.beta) != m.cols {
		fail(t.pos, "%v", &ad.SizeError{Func: "multiply", Name1: "Columns of m1", Name2: "Rows of m2", N1: m.cols, N2: len(m.beta)})
	}
	m.b = m.b[:0]
	m.varying = false
	for _, v := range m.beta {
		bv := v.Val
		if neg {
			bv = -bv
		}
		m.b = append(m.b, bv)
		m.varying = m.varying || !v.IsConst()
	}
	return m.rows
}

// grad is Σ_i X_ic r_i, the residuals' sum against column c.
func (m *fusedMat) grad(c int) float64 {
	return gfloats.Dot(m.x[c*m.rows:(c+1)*m.rows], m.r)
}

// at is the location of element i, from the scalar and vector terms.
func (l *fusedLoc) at(i int) float64 {
	mu := l.icpt
	for k, v := range l.vals {
		mu += v * l.xs[k][i].Val
	}
	return mu
}

// full is the location of element i, the matrix products included.
func (l *fusedLoc) full(i int) float64 {
	mu := l.at(i)
	for _, m := range l.mats {
		for c, b := range m.b {
			mu += b * m.x[c*m.rows+i]
		}
	}
	return mu
}

// vectorPass computes, for a predictor without matrix products, Σ r, Σ r²
// and each vector term's Σ r x, with r = (y - mu) / sigma and inv =
// 1/sigma; it reports false at a variate or location out of support.
func (l *fusedLoc) vectorPass(yv []ad.Var, inv float64, grads []float64) (sr, sr2 float64, ok bool) {
	for i := range yv {
		mu := l.at(i)
		yi := yv[i].Val
		if math.IsNaN(yi) || math.IsInf(mu, 0) || math.IsNaN(mu) {
			return 0, 0, false
		}
		r := (yi - mu) * inv
		sr += r
		sr2 += r * r
		for j, x := range l.xs {
			grads[j] += r * x[i].Val
		}
	}
	return sr, sr2, true
}

// matrixPass is vectorPass for a predictor with matrix products: the
// location is accumulated column by column, and the residuals kept for
// the products' gradients Xᵀr.
func (l *fusedLoc) matrixPass(yv []ad.Var, inv float64, grads []float64) (sr, sr2 float64, ok bool) {
	n := len(yv)
	if cap(l.mu) < n {
		l.mu = make([]float64, n)
	}
	mu := l.mu[:n]
	for i := range mu {
		mu[i] = l.at(i)
	}
	for _, m := range l.mats {
		for c, b := range m.b {
			gfloats.AddScaled(mu, b, m.x[c*n:(c+1)*n])
		}
	}
	for i, y := range yv {
		yi, mi := y.Val, mu[i]
		if yi != yi || mi-mi != 0 { // y NaN, mu infinite or NaN
			return 0, 0, false
		}
		r := (yi - mi) * inv
		sr += r
		sr2 += r * r
		for j, x := range l.xs {
			grads[j] += r * x[i].Val
		}
		mu[i] = r
	}
	for k := range l.mats {
		l.mats[k].r = mu
	}
	return sr, sr2, true
}

// fusedNormalError reports an invalid argument in Stan's words, from the
// general density on the materialised location.
func fusedNormalError(pos token.Position, y []ad.Var, loc *fusedLoc, sigma ad.Var) {
	mu := make([]ad.Var, len(y))
	for i := range mu {
		mu[i] = ad.Const(loc.full(i))
	}
	_, err := dist.NormalLpdf(nil, true, constVals(y), mu, []ad.Var{ad.Const(sigma.Val)})
	if err == nil {
		err = errors.New("normal_lpdf: the location or the variate is not finite")
	}
	panic(&evalError{pos: pos, err: err})
}

func constVals(xs []ad.Var) []ad.Var {
	out := make([]ad.Var, len(xs))
	for i, x := range xs {
		out[i] = ad.Const(x.Val)
	}
	return out
}

package compile

import (
	"errors"
	"math"

	gfloats "gonum.org/v1/gonum/floats"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/mathx"
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
	coef   func(*env) ad.Var
	x      func(*env) *value
	xFixed bool // x never changes once the model is built
	neg    bool
	mat    *matrixTerm
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
				xv := c.expr(v)
				terms = append(terms, linearTerm{coef: c.expr(s).real(), x: xv.val(true), xFixed: xv.fixed, neg: neg})
				hasVector = true
				return true
			}
		}
		switch {
		case c.isScalar(x):
			terms = append(terms, linearTerm{coef: c.expr(x).real(), neg: neg})
			return true
		case c.info.Types[x] == types.VectorT && c.isDataOnly(x):
			xv := c.expr(x)
			terms = append(terms, linearTerm{coef: func(*env) ad.Var { return ad.Const(1) }, x: xv.val(true), xFixed: xv.fixed, neg: neg})
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
//
// The data are float64 columns (copied once when they are fixed data):
// the location is accumulated column by column, the residuals r are one
// pass, and each column's partial is the dot product of the column with
// r, all in gonum's vector kernels.
func (c *compiler) fusedNormalLpdf(yx, mux, sx ast.Expr, propto bool, pos token.Position) func(*env) ad.Var {
	if c.info.Types[yx] != types.VectorT || !c.isDataOnly(yx) || !c.isScalar(sx) {
		return nil
	}
	terms, ok := c.linearPredictor(mux)
	if !ok {
		return nil
	}
	yv := c.expr(yx)
	y, yFixed := yv.val(true), yv.fixed
	sigma := c.expr(sx).real()
	// scalars are the indices of the scalar terms, summed into the
	// intercept; the others are columns.
	var scalars []int
	for k, tm := range terms {
		if tm.x == nil && tm.mat == nil {
			scalars = append(scalars, k)
		}
	}
	nCols := len(terms) - len(scalars)
	// With y and every column fixed data, the sum of squares comes from
	// the data's QR factorisation (qrnormal.go).
	factored := yFixed
	for _, tm := range terms {
		factored = factored && (tm.x == nil || tm.xFixed) && (tm.mat == nil || tm.mat.fixed)
	}
	work := newState(c, func() *fusedWork {
		return &fusedWork{coefs: make([]ad.Var, len(scalars)), cols: make([]fusedCols, nCols)}
	})
	var built func(*env)
	if factored {
		// The data are read and factorised when the model is built;
		// data the evaluation would fail on are left to it.
		built = c.whenBuilt(func(e *env) {
			w := work.of(e)
			defer func() {
				if r := recover(); r != nil {
					if _, ok := r.(*evalError); !ok {
						panic(r)
					}
					*w = fusedWork{coefs: w.coefs, cols: make([]fusedCols, nCols)}
				}
			}()
			w.y, w.yCached = floatsOf(w.y, y(e).R), true
			j := 0
			for _, tm := range terms {
				switch {
				case tm.x != nil:
					w.cols[j].load(tm.x(e), true)
				case tm.mat != nil:
					w.cols[j].load(tm.mat.x(e), true)
				default:
					continue
				}
				if w.cols[j].rows != len(w.y) {
					return // a size error, at the evaluation
				}
				j++
			}
			w.qr = w.factorise(len(scalars) > 0)
		})
	}
	return func(e *env) ad.Var {
		if built != nil {
			built(e)
		}
		w := work.of(e)
		if !w.yCached {
			w.y = floatsOf(w.y, y(e).R)
			w.yCached = yFixed
		}
		n := len(w.y)
		icpt := 0.0
		for j, k := range scalars {
			w.coefs[j] = terms[k].coef(e)
			if terms[k].neg {
				icpt -= w.coefs[j].Val
			} else {
				icpt += w.coefs[j].Val
			}
		}
		empty := n == 0
		j := 0
		for _, tm := range terms {
			switch {
			case tm.x != nil:
				if rows := w.cols[j].vector(e, &tm); rows != n {
					fail(pos, "normal_lpdf: size of the location (%d) does not match the size of the random variable (%d)", rows, n)
				}
			case tm.mat != nil:
				if rows := w.cols[j].matrix(e, tm.mat, tm.neg); rows == 0 {
					empty = true
				} else if rows != n && n > 0 {
					panic(&evalError{pos: pos, err: &dist.SizeError{Func: "normal_lpdf", Arg1: "Random variable", Arg2: "Location parameter", N1: n, N2: rows}})
				}
			default:
				continue
			}
			j++
		}
		if empty {
			return ad.Var{} // the density of nothing, as the unfused call's
		}
		sv := sigma(e)
		if w.qr != nil {
			if lp, ok := w.qrDensity(e.t, icpt, terms, scalars, sv, propto); ok {
				return lp
			}
		}
		sd := sv.Val
		inv := 1 / sd
		sr, sr2, ok := w.residuals(icpt, inv)
		if !ok || !(sd > 0) || math.IsInf(sd, 1) {
			fusedNormalError(pos, w, icpt, sv)
		}
		lp := -0.5 * sr2
		b := e.t.Begin()
		if e.t != nil {
			nOps := len(w.coefs) + 1
			for _, m := range w.cols {
				nOps += len(m.beta)
			}
			b.Grow(nOps)
		}
		for j, k := range scalars {
			d := sr * inv
			if terms[k].neg {
				d = -d
			}
			b.Add(w.coefs[j], d)
		}
		for k := range w.cols {
			m := &w.cols[k]
			if !m.varying {
				continue
			}
			d := b.AddVars(m.beta)
			for col := range d {
				d[col] = gfloats.Dot(m.x[col*n:(col+1)*n], w.mu) * m.scale * inv
			}
		}
		lp = normalScale(&b, lp, sv, float64(n), (sr2-float64(n))*inv, propto)
		return b.End(lp)
	}
}

// normalScale adds to lp a normal density's terms in its scale sv over n
// values, -n log σ and -n log √(2π), unless propto drops them (the first
// only for a constant σ), and records σ's partial dsigma: the one tail of
// the fused regression's direct and QR paths and of normal_id_glm's.
func normalScale(b *ad.Builder, lp float64, sv ad.Var, n, dsigma float64, propto bool) float64 {
	if !propto || !sv.IsConst() {
		lp -= n * math.Log(sv.Val)
	}
	if !sv.IsConst() {
		b.Add(sv, dsigma)
	}
	if !propto {
		lp -= n * mathx.HalfLog2Pi
	}
	return lp
}

// fusedWork is a fused density's per-model work space: the variate, the
// scalar terms' coefficients, the columns, and the location (then the
// residuals).
type fusedWork struct {
	y       []float64
	yCached bool
	coefs   []ad.Var
	cols    []fusedCols
	mu      []float64
	qr      *qrNormal // the data's factorisation, when they are fixed
	theta   []float64 // the intercept and the columns' coefficients
	ops     []qrOperand
}

// factorise takes the QR factorisation of the columns, after a column of
// ones for the intercept, beside y, or returns nil where the direct pass
// must stay (non-finite data, no more rows than columns).
func (w *fusedWork) factorise(intercept bool) *qrNormal {
	n := len(w.y)
	var cols [][]float64
	if intercept {
		ones := make([]float64, n)
		for i := range ones {
			ones[i] = 1
		}
		cols = append(cols, ones)
	}
	for _, m := range w.cols {
		for c := range m.cols {
			cols = append(cols, m.x[c*n:(c+1)*n])
		}
	}
	return newQRNormal(w.y, len(cols), func(j int) []float64 { return cols[j] })
}

// qrDensity is the fused density from the factorisation (qrNormal's
// density), with the terms already evaluated and icpt the scalar terms'
// sum; it reports false where the direct pass must decide.
func (w *fusedWork) qrDensity(t *ad.Tape, icpt float64, terms []linearTerm, scalars []int, sv ad.Var, propto bool) (ad.Var, bool) {
	th, ops := w.theta[:0], w.ops[:0]
	if len(scalars) > 0 {
		th = append(th, icpt)
		for j, s := range scalars {
			scale := 1.0
			if terms[s].neg {
				scale = -1
			}
			ops = append(ops, qrOperand{v: w.coefs[j], col: 0, scale: scale})
		}
	}
	for c := range w.cols {
		m := &w.cols[c]
		for col, v := range m.beta {
			ops = append(ops, qrOperand{v: v, col: len(th) + col, scale: m.scale})
		}
		th = append(th, m.b...)
	}
	w.theta, w.ops = th, ops
	return w.qr.density(t, th, ops, sv, propto)
}

// fusedCols is a term of a linear predictor with data columns evaluated:
// a data vector times a scalar (one column), or a data matrix times a
// vector. x is column-major, copied once when it is fixed data; beta are
// the coefficients, b their values and scale the term's sign.
type fusedCols struct {
	x          []float64
	rows, cols int
	cached     bool
	beta       []ad.Var
	one        [1]ad.Var // a vector term's beta
	b          []float64
	scale      float64
	varying    bool
}

// load copies the data of a column term (a vector) or of a matrix
// term, to keep when they are fixed.
func (m *fusedCols) load(x *value, fixed bool) {
	m.x = floatsOf(m.x, x.R)
	m.rows, m.cols, m.cached = len(x.R), 1, fixed
	if len(x.Dims) == 2 {
		m.rows, m.cols = x.Dims[0], x.Dims[1]
	}
}

// vector evaluates a term coef * x and returns the length of x.
func (m *fusedCols) vector(e *env, t *linearTerm) int {
	if !m.cached {
		m.load(t.x(e), t.xFixed)
	}
	m.one[0] = t.coef(e)
	m.beta = m.one[:]
	m.coefficients(t.neg)
	return m.rows
}

// matrix evaluates a term X * beta and returns X's rows; it fails at the
// product as the product itself would when the sizes disagree.
func (m *fusedCols) matrix(e *env, t *matrixTerm, neg bool) int {
	if !m.cached {
		m.load(t.x(e), t.fixed)
	}
	m.beta = t.beta(e).R
	if len(m.beta) != m.cols {
		fail(t.pos, "%v", &ad.SizeError{Func: "multiply", Name1: "Columns of m1", Name2: "Rows of m2", N1: m.cols, N2: len(m.beta)})
	}
	m.coefficients(neg)
	return m.rows
}

// coefficients sets b, scale and varying from beta.
func (m *fusedCols) coefficients(neg bool) {
	m.scale = 1
	if neg {
		m.scale = -1
	}
	m.b = m.b[:0]
	m.varying = false
	for _, v := range m.beta {
		m.b = append(m.b, m.scale*v.Val)
		m.varying = m.varying || !v.IsConst()
	}
}

// floatsOf copies the values of xs into buf.
func floatsOf(buf []float64, xs []ad.Var) []float64 {
	buf = buf[:0]
	for _, x := range xs {
		buf = append(buf, x.Val)
	}
	return buf
}

// location fills w.mu with the location: the intercept plus each
// column times its coefficient.
func (w *fusedWork) location(icpt float64) []float64 {
	n := len(w.y)
	if cap(w.mu) < n {
		w.mu = make([]float64, n)
	}
	mu := w.mu[:n]
	w.mu = mu
	for i := range mu {
		mu[i] = icpt
	}
	for _, m := range w.cols {
		for c, b := range m.b {
			gfloats.AddScaled(mu, b, m.x[c*n:(c+1)*n])
		}
	}
	return mu
}

// residuals replaces the location by r = (y - mu) / sigma, inv = 1/sigma,
// and returns Σ r and Σ r²; it reports false at a NaN variate or a
// location that is not finite. The sums run in two lanes, which halves
// the adds' latency in the loop; a sum that is not finite sends the
// elements to the checks.
func (w *fusedWork) residuals(icpt, inv float64) (sr, sr2 float64, ok bool) {
	mu := w.location(icpt)
	n := len(mu)
	y := w.y[:n]
	var s0, s1, q0, q1 float64
	i := 0
	for ; i+2 <= n; i += 2 {
		m, yy := mu[i:i+2:i+2], y[i:i+2:i+2]
		r0 := (yy[0] - m[0]) * inv
		r1 := (yy[1] - m[1]) * inv
		s0 += r0
		s1 += r1
		q0 += r0 * r0
		q1 += r1 * r1
		m[0], m[1] = r0, r1
	}
	if i < n {
		r := (y[i] - mu[i]) * inv
		s0 += r
		q0 += r * r
		mu[i] = r
	}
	sr, sr2 = s0+s1, q0+q1
	if sr-sr == 0 && sr2-sr2 == 0 {
		return sr, sr2, true
	}
	// Something is infinite or NaN: an infinite y is in the support (its
	// density is 0), a NaN y or a location that is not finite is not.
	mu = w.location(icpt)
	for i, m := range mu {
		if y[i] != y[i] || m-m != 0 {
			return 0, 0, false
		}
	}
	sr, sr2 = 0, 0
	for i, m := range mu {
		r := (y[i] - m) * inv
		sr += r
		sr2 += r * r
		mu[i] = r
	}
	return sr, sr2, true
}

// fusedNormalError reports an invalid argument in Stan's words, from the
// general density on the materialised location.
func fusedNormalError(pos token.Position, w *fusedWork, icpt float64, sigma ad.Var) {
	mu := w.location(icpt)
	y := make([]ad.Var, len(mu))
	loc := make([]ad.Var, len(mu))
	for i := range mu {
		y[i], loc[i] = ad.Const(w.y[i]), ad.Const(mu[i])
	}
	_, err := dist.NormalLpdf(nil, true, y, loc, []ad.Var{ad.Const(sigma.Val)})
	if err == nil {
		err = errors.New("normal_lpdf: the location or the variate is not finite")
	}
	panic(&evalError{pos: pos, err: err})
}

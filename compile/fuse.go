package compile

import (
	"errors"
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Fused linear regression: y ~ normal(a + b * x + c * z + ..., sigma), with
// y and the vectors x, z, ... data and the coefficients scalars, is the
// body of most regression models. Evaluated term by term it records one
// tape statement per element and operator; fused, it is one pass over
// the data in float64 and one statement whose partials are
// d lp / d coef = Σ_i r_i x_i / sigma, r = (y - mu) / sigma.

// linearTerm is coef · x, or coef alone when x is nil.
type linearTerm struct {
	coef func(*env) ad.Var
	x    func(*env) *value
	neg  bool
}

// linearPredictor recognises a vector expression that is a sum of scalars
// and products of a scalar with a data-only vector.
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
	if s.Truncated || len(s.Args) != 2 || c.info.Types[s.LHS] != types.VectorT || !c.isDataOnly(s.LHS) || !c.isScalar(s.Args[1]) {
		return nil
	}
	terms, ok := c.linearPredictor(s.Args[0])
	if !ok {
		return nil
	}
	y := c.expr(s.LHS).val(true)
	sigma := c.expr(s.Args[1]).real()
	pos := c.pos(s.Tilde)
	// vec are the indices of the terms with a data vector; the others
	// are scalars, summed into loc.icpt once per evaluation.
	var vec []int
	for k, tm := range terms {
		if tm.x != nil {
			vec = append(vec, k)
		}
	}
	nt, nv := len(terms), len(vec)
	work := newState(c, func() *fusedWork {
		return &fusedWork{coefs: make([]ad.Var, nt), grads: make([]float64, nv),
			loc: fusedLoc{vals: make([]float64, nv), xs: make([][]ad.Var, nv)}}
	})
	return func(e *env) ctrl {
		w := work.of(e)
		coefs, grads, loc := w.coefs, w.grads, &w.loc
		yv := y(e).R
		n := len(yv)
		loc.icpt = 0
		j := 0
		for k, tm := range terms {
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
		sv := sigma(e)
		sd := sv.Val
		inv := 1 / sd
		ok := sd > 0 && !math.IsInf(sd, 1)
		sr, sr2 := 0.0, 0.0
		for i := 0; i < n && ok; i++ {
			mu := loc.at(i)
			yi := yv[i].Val
			if math.IsNaN(yi) || math.IsInf(mu, 0) || math.IsNaN(mu) {
				ok = false
				break
			}
			r := (yi - mu) * inv
			sr += r
			sr2 += r * r
			for j, x := range loc.xs {
				grads[j] += r * x[i].Val
			}
		}
		if !ok {
			fusedNormalError(pos, yv, loc, sv)
		}
		lp := -0.5 * sr2
		b := e.t.Begin()
		j = 0
		for k, tm := range terms {
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
		if !sv.IsConst() {
			lp -= float64(n) * math.Log(sd)
			b.Add(sv, (sr2-float64(n))*inv)
		}
		e.addTarget(&pos, b.End(lp))
		return next
	}
}

// fusedWork is a fused density's per-model work space: the coefficients'
// values, their gradients' sums and the evaluated location.
type fusedWork struct {
	coefs []ad.Var
	grads []float64
	loc   fusedLoc
}

// fusedLoc is a fused linear predictor evaluated: the sum of its scalar
// terms, and its vector terms' signed coefficients and data.
type fusedLoc struct {
	icpt float64
	vals []float64
	xs   [][]ad.Var
}

// at is the location of element i.
func (l *fusedLoc) at(i int) float64 {
	mu := l.icpt
	for k, v := range l.vals {
		mu += v * l.xs[k][i].Val
	}
	return mu
}

// fusedNormalError reports an invalid argument in Stan's words, from the
// general density on the materialised location.
func fusedNormalError(pos token.Position, y []ad.Var, loc *fusedLoc, sigma ad.Var) {
	mu := make([]ad.Var, len(y))
	for i := range mu {
		mu[i] = ad.Const(loc.at(i))
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

package compile

import (
	"math"
	"strconv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
)

// Two vector forms of y ~ normal(mu, sigma) (dropping constants) that
// skip work dist.NormalLpdf does at every evaluation:
//
//   - y ~ normal(0, 1), a non-centred parameterisation's raw effects, is
//     std_normal's pass (the same sum of squares and partials);
//   - y ~ normal(mu, sigma) with y and sigma fixed data vectors and mu a
//     vector (eight schools' likelihood) takes 1/sigma from the data once
//     per model.
//
// Values and partials are dist.NormalLpdf's, operation for operation; an
// argument out of its support, sizes that differ or nothing varying go to
// dist.NormalLpdf, so results and errors are unchanged.

// vectorNormal compiles the tilde statement s with compiled arguments args
// in one of the forms above, or returns nil.
func (c *compiler) vectorNormal(s *ast.TildeStmt, args []cexpr, pos token.Position) stmtFn {
	if len(args) != 3 || args[0].v == nil {
		return nil
	}
	if m, ok := litValue(s.Args[0]); ok && m == 0 && args[1].v == nil {
		if sd, ok := litValue(s.Args[1]); ok && sd == 1 && args[2].v == nil {
			return stdNormalTilde(args, pos)
		}
	}
	if args[0].fixed && args[2].fixed && args[1].v != nil && args[2].v != nil {
		return c.fixedScaleNormal(args, pos)
	}
	return nil
}

// litValue is the value of a number literal.
func litValue(x ast.Expr) (float64, bool) {
	l, ok := unparen(x).(*ast.BasicLit)
	if !ok || (l.Kind != token.INT && l.Kind != token.REAL) {
		return 0, false
	}
	v, err := strconv.ParseFloat(l.Value, 64)
	return v, err == nil
}

// generalNormal is y ~ normal(mu, sigma) by dist.NormalLpdf: the fast
// forms' way out.
func generalNormal(e *env, pos token.Position, y, mu, sigma []ad.Var) ctrl {
	lp, err := dist.NormalLpdf(e.t, true, y, mu, sigma)
	if err != nil {
		panic(&evalError{pos: pos, err: err})
	}
	e.addTarget(&pos, lp)
	return next
}

// stdNormalTilde is y ~ normal(0, 1) for a container y.
func stdNormalTilde(args []cexpr, pos token.Position) stmtFn {
	fy, fm, fs := args[0].val(true), args[1].real(), args[2].real()
	return func(e *env) ctrl {
		y := fy(e)
		if len(y.R) > 0 {
			if lp, err := dist.StdNormalLpdf(e.t, true, y.R); err == nil {
				e.addTarget(&pos, lp)
				return next
			}
		}
		// An empty y, or an error to be worded as normal's.
		return generalNormal(e, pos, y.R, []ad.Var{fm(e)}, []ad.Var{fs(e)})
	}
}

// fixedScale is the data a fixed-scale normal keeps per model: 1/sigma,
// and whether y and sigma are in their supports.
type fixedScale struct {
	inv  []float64
	ok   bool
	done bool
}

// fixedScaleNormal is y ~ normal(mu, sigma) with y and sigma fixed data
// vectors.
func (c *compiler) fixedScaleNormal(args []cexpr, pos token.Position) stmtFn {
	fy, fm, fs := args[0].val(true), args[1].val(true), args[2].val(true)
	st := newState(c, func() *fixedScale { return &fixedScale{} })
	return func(e *env) ctrl {
		y, mu, sigma := fy(e).R, fm(e).R, fs(e).R
		n := len(y)
		fx := st.of(e)
		if !fx.done {
			fx.done = true
			// The checks of normalVectorScale on y and sigma, once.
			fx.ok = len(sigma) == n
			if fx.ok {
				fx.inv = make([]float64, n)
				for i, s := range sigma {
					si := s.Val
					fx.ok = fx.ok && si > 0 && si <= math.MaxFloat64 && y[i].Val == y[i].Val
					fx.inv[i] = 1 / si
				}
			}
		}
		if !fx.ok || n < 2 || len(mu) != n || !ad.AnyVar(mu) {
			return generalNormal(e, pos, y, mu, sigma)
		}
		b := e.t.Begin()
		dm := b.AddVars(mu)
		inv := fx.inv[:n]
		mu = mu[:n]
		var lp float64
		for i, m := range mu {
			mi := m.Val
			if mi-mi != 0 {
				b.Cancel()
				return generalNormal(e, pos, y, mu, sigma)
			}
			z := (y[i].Val - mi) * inv[i]
			lp -= 0.5 * z * z
			dm[i] = z * inv[i]
		}
		e.addTarget(&pos, b.End(lp))
		return next
	}
}

package compile

import (
	"fmt"
	"strings"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/types"
)

// Truncation of a user-defined family by its own _lcdf and _lccdf
// functions (or _cdf_log and _ccdf_log), scalar or vectorised, as stanc3
// lowers y ~ dist(θ) T[L, U]:
//
//   - the variate, or its least and greatest elements, outside [L, U]
//     gives -inf;
//   - one bound: -dist_lccdf(L | θ) or -dist_lcdf(U | θ), the user's
//     functions called with θ as written;
//   - both: -log_diff_exp(dist_lcdf(U | θ), dist_lcdf(L | θ)), or, when
//     some parameter is a container, its sum over the elements n of the
//     containers, dist_lcdf called with each container's element n in
//     its place (scalars as they are);
//   - when the variate is a container and every parameter a scalar, the
//     term times size(y).
//
// An int variate takes L - 1 in L's place.

// userTruncation is the truncation term of the user-defined family of s;
// args are the variate and the parameters.
func (c *compiler) userTruncation(s *ast.TildeStmt, args []cexpr) func(*env) ad.Var {
	family := s.Dist.Name
	isInt := args[0].t.Kind == types.Int
	cur := zeroState[truncBound](c) // the bound the CDF is called at
	boundArg := cexpr{t: types.RealT, r: func(e *env) ad.Var { return cur.of(e).r }, c: c}
	if isInt {
		boundArg = cexpr{t: types.IntT, i: func(e *env) int { return cur.of(e).i }, c: c}
	}
	// cdf compiles the first of names that takes the bound and params.
	cdf := func(params []cexpr, names ...string) func(*env, truncBound) ad.Var {
		for _, name := range names {
			g := c.userCDF(s, name, append([]cexpr{boundArg}, params...))
			if g != nil {
				return func(e *env, b truncBound) ad.Var { *cur.of(e) = b; return g(e) }
			}
		}
		return nil
	}
	need := func(f func(*env, truncBound) ad.Var, name string, params []cexpr) bool {
		if f == nil {
			c.errorf(s.Pos(), "truncation needs %s with arguments (%s)", name, cexprTypes(append([]cexpr{boundArg}, params...)))
		}
		return f != nil
	}
	params := args[1:]
	if !anyContainer(args) {
		var lcdf, lccdf func(*env, truncBound) ad.Var
		if s.TruncHi != nil {
			if lcdf = cdf(params, family+"_lcdf", family+"_cdf_log"); !need(lcdf, family+"_lcdf", params) {
				return nil
			}
		}
		if s.TruncLo != nil && s.TruncHi == nil {
			if lccdf = cdf(params, family+"_lccdf", family+"_ccdf_log"); !need(lccdf, family+"_lccdf", params) {
				return nil
			}
		}
		return c.cdfTruncation(s, args[0], lcdf, lccdf)
	}

	lo, hi, ok := c.truncBounds(s, isInt)
	if !ok {
		return nil
	}
	shift := 0
	if isInt {
		shift = -1
	}
	bound := func(e *env, x cexpr, shift int) truncBound {
		if isInt {
			return truncBound{i: x.i(e) + shift}
		}
		return truncBound{r: x.real()(e)}
	}
	yr, yi, size := variateElements(c, args[0])
	outside := func(e *env) bool {
		for k := range size(e) {
			var below, above bool
			if isInt {
				y := yi(e)[k]
				below = lo.i != nil && y < lo.i(e)
				above = hi.i != nil && y > hi.i(e)
			} else {
				y := yr(e)[k].Val
				below = s.TruncLo != nil && y < lo.real()(e).Val
				above = s.TruncHi != nil && y > hi.real()(e).Val
			}
			if below || above {
				return true
			}
		}
		return false
	}
	scalarParams := !anyContainer(params)
	// scale is -size(y) when only the variate is a container, else -1.
	scale := func(e *env) ad.Var {
		if scalarParams {
			return ad.Const(-float64(size(e)))
		}
		return ad.Const(-1)
	}
	if s.TruncLo == nil || s.TruncHi == nil || scalarParams {
		var term func(e *env) ad.Var
		switch {
		case s.TruncLo != nil && s.TruncHi != nil:
			lcdf := cdf(params, family+"_lcdf", family+"_cdf_log")
			if !need(lcdf, family+"_lcdf", params) {
				return nil
			}
			term = func(e *env) ad.Var {
				return e.t.LogDiffExp(lcdf(e, bound(e, hi, 0)), lcdf(e, bound(e, lo, shift)))
			}
		case s.TruncLo != nil:
			lccdf := cdf(params, family+"_lccdf", family+"_ccdf_log")
			if !need(lccdf, family+"_lccdf", params) {
				return nil
			}
			term = func(e *env) ad.Var { return lccdf(e, bound(e, lo, shift)) }
		default:
			lcdf := cdf(params, family+"_lcdf", family+"_cdf_log")
			if !need(lcdf, family+"_lcdf", params) {
				return nil
			}
			term = func(e *env) ad.Var { return lcdf(e, bound(e, hi, 0)) }
		}
		return func(e *env) ad.Var {
			if outside(e) {
				return ad.Const(negInf)
			}
			return e.t.Mul(scale(e), term(e))
		}
	}

	// Both bounds with container parameters: element by element.
	elems, load, at, ok := c.elementArgs(s, params)
	if !ok {
		return nil
	}
	lcdf := cdf(elems, family+"_lcdf", family+"_cdf_log")
	if !need(lcdf, family+"_lcdf", elems) {
		return nil
	}
	pos := c.pos(s.Pos())
	return func(e *env) ad.Var {
		if outside(e) {
			return ad.Const(negInf)
		}
		m, err := load(e)
		if err != "" {
			fail(pos, "%s", err)
		}
		sum := ad.Const(0)
		for k := range m {
			at(e, k)
			sum = e.t.Add(sum, e.t.LogDiffExp(lcdf(e, bound(e, hi, 0)), lcdf(e, bound(e, lo, shift))))
		}
		return e.t.Neg(sum)
	}
}

// variateElements returns the elements of a truncated variate (reals or
// ints, as it is) and their number.
func variateElements(c *compiler, y cexpr) (func(*env) []ad.Var, func(*env) []int, func(*env) int) {
	if y.t.Kind == types.Int {
		yi := intsOf(y)
		return nil, yi, func(e *env) int { return len(yi(e)) }
	}
	yr := asVector(c, y)
	return yr, nil, func(e *env) int { return len(yr(e)) }
}

// elemCursor is the element k that the element arguments of a vectorised
// truncation read, of the values of their containers.
type elemCursor struct {
	k    int
	vals []*value
}

// elementArgs returns params with each container replaced by its element
// at a cursor; load evaluates the containers and returns their common
// number of elements (or a size error), and at moves the cursor.
func (c *compiler) elementArgs(s *ast.TildeStmt, params []cexpr) (elems []cexpr, load func(*env) (int, string), at func(*env, int), ok bool) {
	cursor := newState(c, func() *elemCursor { return &elemCursor{} })
	elems = make([]cexpr, len(params))
	var containers []func(*env) *value
	for i, p := range params {
		if p.t.IsScalar() {
			elems[i] = p
			continue
		}
		et := types.Type{Kind: p.t.Kind, Dims: p.t.Dims - 1}
		if p.t.Dims == 0 && (p.t.Kind == types.Vector || p.t.Kind == types.RowVector) {
			et = types.RealT
		}
		if !et.IsScalar() || isComplex(et.Kind) {
			c.errorf(s.Pos(), "truncation of '%s' between two bounds calls %s_lcdf element by element: a %v argument has no scalar elements", s.Dist.Name, s.Dist.Name, p.t)
			return nil, nil, nil, false
		}
		slot := len(containers)
		containers = append(containers, p.val(true))
		if et == types.IntT {
			elems[i] = cexpr{t: et, c: c, i: func(e *env) int { q := cursor.of(e); return q.vals[slot].I[q.k] }}
		} else {
			elems[i] = cexpr{t: et, c: c, r: func(e *env) ad.Var { q := cursor.of(e); return q.vals[slot].R[q.k] }}
		}
	}
	load = func(e *env) (int, string) {
		q := cursor.of(e)
		q.vals = q.vals[:0]
		n := -1
		for _, f := range containers {
			v := f(e)
			q.vals = append(q.vals, v)
			m := v.Dims[0]
			if n >= 0 && m != n {
				return 0, fmt.Sprintf("%s: size mismatch in the truncation's arguments: containers of %d and %d elements", s.Dist.Name, n, m)
			}
			n = m
		}
		return n, ""
	}
	at = func(e *env, k int) { cursor.of(e).k = k }
	return elems, load, at, true
}

// userCDF compiles a call of the user-defined function name on args, of
// its overloads the one needing fewest promotions, or returns nil if none
// takes them.
func (c *compiler) userCDF(s *ast.TildeStmt, name string, args []cexpr) func(*env) ad.Var {
	var best *check.Func
	bestCost := 0
	for _, f := range c.info.Funcs[name] {
		if len(f.Sig.Args) != len(args) {
			continue
		}
		ok, cost := true, 0
		for i, a := range args {
			ok = ok && types.Promotes(a.t, f.Sig.Args[i])
			if a.t != f.Sig.Args[i] {
				cost++
			}
		}
		if ok && (best == nil || cost < bestCost) {
			best, bestCost = f, cost
		}
	}
	if best == nil {
		return nil
	}
	fake := &ast.CallExpr{Fun: &ast.Ident{NamePos: s.Dist.Pos(), Name: name}}
	call := &check.Call{Name: name, Sig: best.Sig, User: best}
	return c.userCall(fake, call, args, types.RealT).r
}

// cexprTypes lists the types of args, as Stan writes an argument list.
func cexprTypes(args []cexpr) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = a.t.String()
	}
	return strings.Join(s, ", ")
}

package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Fused double-precision statements: idioms of scalar loops that the
// double path (double.go) runs as one closure rather than a closure per
// statement and per operand. Each does what its statements do, in their
// order, with their errors: a fused node only skips the work whose
// result it already has, such as an element's offset computed a second
// time at the same indices.

// dDeclAssign compiles a scalar's declaration without an initial value
// followed by an assignment to it, real x; x = y;, as the declaration
// with the initial value y (or x op y, which reads x's NaN as the
// assignment would); it returns nil for other pairs of statements.
func (c *compiler) dDeclAssign(s1, s2 ast.Stmt) stmtFn {
	d, ok := s1.(*ast.VarDecl)
	as, ok2 := s2.(*ast.AssignStmt)
	if !ok || !ok2 || d.Init != nil || !c.inDouble() || !isScalar(c.info.Types[as.RHS]) {
		return nil
	}
	if id, ok := as.LHS.(*ast.Ident); !ok || c.info.Uses[id] == nil || c.info.Uses[id] != c.info.Uses[d.Name] {
		return nil
	}
	f, ok := c.dDeclInit(d, c.assignedValue(as))
	if !ok {
		return nil
	}
	return f
}

// dBest compiles the running maximum (or minimum) of a search,
//
//	if (a > x[t, k]) { ...; x[t, k] = a; ... }
//
// where a is a real scalar variable and x[t, k] a real scalar variable
// or an element at simple indices (dIdx.simple) that the other
// statements of the branch assign neither: the offset the condition
// reads is the one the branch writes, and a's value the one it stores.
// Any comparison <, <=, >, >= and either order of the operands will do.
// It returns false for other statements.
func (c *compiler) dBest(s *ast.IfStmt) (stmtFn, bool) {
	b, ok := unparen(s.Cond).(*ast.BinaryExpr)
	if !ok || s.Else != nil {
		return nil, false
	}
	op := b.Op
	switch op {
	case token.LSS, token.LEQ, token.GTR, token.GEQ:
	default:
		return nil, false
	}
	aX, xX := b.X, b.Y
	if _, ok := unparen(aX).(*ast.Ident); !ok {
		aX, xX, op = b.Y, b.X, flipCompare(op)
	}
	a, ok := unparen(aX).(*ast.Ident)
	if !ok || c.info.Types[a] != types.RealT || c.info.Types[xX] != types.RealT {
		return nil, false
	}
	av := c.info.Uses[a]
	aref, ok := c.slots[av]
	if av == nil || !ok || aref.frame {
		return nil, false
	}
	list := []ast.Stmt{s.Then}
	if blk, ok := s.Then.(*ast.BlockStmt); ok {
		list = blk.List
	}
	store := -1
	for i, st := range list {
		as, ok := st.(*ast.AssignStmt)
		if ok && as.Op == token.ASSIGN && c.isVar(as.RHS, av) && sameSimple(c, as.LHS, xX) {
			store = i
			break
		}
	}
	if store < 0 {
		return nil, false
	}
	// The condition reads x where the store writes, so only the read can
	// fail, at its own position.
	pos := c.pos(s.Cond.Pos())
	if ix, ok := unparen(xX).(*ast.IndexExpr); ok {
		pos = c.pos(ix.Lbrack)
	}
	tg, ok := c.dLvalue(unparen(xX), pos)
	if !ok || tg.isInt || tg.k == aref.idx {
		return nil, false
	}
	// What the other statements assign must leave a, x and x's indices
	// alone.
	keep := map[*check.Var]bool{av: true, c.info.Uses[ast.Root(unparen(xX))]: true}
	if ix, ok := unparen(xX).(*ast.IndexExpr); ok {
		for _, i := range ix.Indices {
			ast.Inspect(i, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					keep[c.info.Uses[id]] = true
				}
				return true
			})
		}
	}
	for i, st := range list {
		if i != store && assignsAny(c, st, keep) {
			return nil, false
		}
	}
	before, after := c.stmtList(list[:store]), c.stmtList(list[store+1:])
	ka, k, el := aref.idx, tg.k, tg.el
	var two *dTwo
	if el != nil {
		two = el.two
	}
	return func(e *env) ctrl {
		va, v, o := e.globals[ka].R[0].Val, &e.globals[k], 0
		switch {
		case two != nil:
			if o = two.at(e, v); o < 0 {
				two.fail(e, v)
			}
		case el != nil:
			o = el.offset(e, v)
		}
		if !better(op, va, v.R[o].Val) {
			return next
		}
		if before != nil {
			if r := before(e); r != next {
				return r
			}
		}
		v.R[o] = ad.Var{Val: va}
		if after != nil {
			return after(e)
		}
		return next
	}, true
}

// better is a op x for a comparison <, <=, >, >=.
func better(op token.Kind, a, x float64) bool {
	switch op {
	case token.GTR:
		return a > x
	case token.GEQ:
		return a >= x
	case token.LSS:
		return a < x
	}
	return a <= x
}

// flipCompare is the comparison op with its operands swapped.
func flipCompare(op token.Kind) token.Kind {
	switch op {
	case token.GTR:
		return token.LSS
	case token.GEQ:
		return token.LEQ
	case token.LSS:
		return token.GTR
	}
	return token.GEQ
}

// stmtList compiles a list of statements, nil when it is empty.
func (c *compiler) stmtList(list []ast.Stmt) stmtFn {
	if len(list) == 0 {
		return nil
	}
	return c.stmts(list)
}

// sameSimple reports whether x and y are the same scalar variable, or
// the same element of one at the same simple indices (a variable plus a
// constant, or a constant).
func sameSimple(c *compiler, x, y ast.Expr) bool {
	x, y = unparen(x), unparen(y)
	if a, ok := x.(*ast.Ident); ok {
		b, ok := y.(*ast.Ident)
		return ok && c.info.Uses[a] != nil && c.info.Uses[a] == c.info.Uses[b]
	}
	a, ok := x.(*ast.IndexExpr)
	b, ok2 := y.(*ast.IndexExpr)
	if !ok || !ok2 || len(a.Indices) != len(b.Indices) || !sameSimple(c, a.X, b.X) {
		return false
	}
	for i := range a.Indices {
		if _, ok := a.Indices[i].(*ast.SliceExpr); ok {
			return false
		}
		if _, ok := b.Indices[i].(*ast.SliceExpr); ok {
			return false
		}
		p, q := c.dAff(a.Indices[i]), c.dAff(b.Indices[i])
		if !simpleAff(p) || !simpleAff(q) || p.c != q.c || p.n != q.n || p.n == 1 && p.vs[0].idx != q.vs[0].idx {
			return false
		}
	}
	return true
}

// simpleAff reports whether a is a constant or a global int scalar plus
// a constant.
func simpleAff(a *affine) bool {
	return a != nil && a.in == nil && (a.n == 0 || a.n == 1 && a.s[0] == 1)
}

// assignsAny reports whether the statement s assigns (or declares, or
// loops over) a variable of the set vs.
func assignsAny(c *compiler, s ast.Stmt, vs map[*check.Var]bool) bool {
	hit := false
	ast.Inspect(s, func(n ast.Node) bool {
		if id := assignedName(n); id != nil && vs[c.info.Uses[id]] {
			hit = true
		}
		return !hit
	})
	return hit
}

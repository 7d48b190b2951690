package check

import (
	"slices"

	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/types"
)

// Tuples (Stan Reference Manual, "Tuple data type"; Stan 2.33, with
// unpacking assignments from 2.36): literals (a, b), member access x.1,
// and (a, b) = value on the left of =.

// tupleLit types (a, b, ...): the tuple of its elements' types.
func (c *checker) tupleLit(x *ast.TupleExpr) types.Type {
	ms := make([]types.Type, len(x.Elems))
	bad := false
	for i, e := range x.Elems {
		ms[i] = c.expr(e)
		switch ms[i].Kind {
		case types.Invalid:
			bad = true
		case types.Void:
			c.errorf(e.Pos(), "a tuple's member cannot be void")
			bad = true
		}
	}
	if bad {
		return invalid
	}
	return types.TupleOf(ms...)
}

// tupleIndex types x.n: the n-th member of the tuple x.
func (c *checker) tupleIndex(x *ast.TupleIndexExpr) types.Type {
	t := c.expr(x.X)
	if t.Kind == types.Invalid {
		return invalid
	}
	if t.Kind != types.Tuple || t.Dims > 0 {
		c.errorf(x.Dot, "'.%s' selects a tuple member, but the expression has type %v, which is not a tuple", x.Lit, t)
		return invalid
	}
	ms := t.Members()
	if x.Index < 1 || x.Index > len(ms) {
		c.errorf(x.Dot, "tuple index %s is out of range: the tuple has type %v, with members 1 to %d", x.Lit, t, len(ms))
		return invalid
	}
	return ms[x.Index-1]
}

// common returns the type both a and b promote to (the elements of an
// array literal, the branches of a conditional): one of them, or for
// tuples the tuple of their members' common types.
func common(a, b types.Type) (types.Type, bool) {
	switch {
	case types.Promotes(a, b):
		return b, true
	case types.Promotes(b, a):
		return a, true
	case a.Kind != types.Tuple || b.Kind != types.Tuple || a.Dims != b.Dims:
		return invalid, false
	}
	am, bm := a.Members(), b.Members()
	if len(am) != len(bm) {
		return invalid, false
	}
	ms := make([]types.Type, len(am))
	for i := range am {
		m, ok := common(am[i], bm[i])
		if !ok {
			return invalid, false
		}
		ms[i] = m
	}
	return types.Array(types.TupleOf(ms...), a.Dims), true
}

// lvalueTarget is one variable an assignment writes: its root and the
// members it selects (indices aside).
type lvalueTarget struct {
	x     ast.Expr
	root  *Var
	path  []int
	index []ast.Expr // the index expressions on the way
}

// unpack checks (a, b, ...) = value: each element is an lvalue (or such a
// tuple, nested) that the value's member promotes to; no variable is
// written twice, and none that is written is read in an index on the
// left. Like Stan, x[1] and x[2] count as the same variable written twice:
// indices are not compared. As stanc3's, these errors point at the
// parenthesised left side as a whole.
func (c *checker) unpack(s *ast.AssignStmt, lhs *ast.TupleExpr) {
	rt := c.expr(s.RHS)
	var targets []lvalueTarget
	var walk func(l *ast.TupleExpr, t types.Type, typed bool)
	walk = func(l *ast.TupleExpr, t types.Type, typed bool) {
		if typed && (t.Kind != types.Tuple || t.Dims > 0 || len(t.Members()) != len(l.Elems)) {
			c.errorf(l.Pos(), "cannot unpack a value of type %v into %d variables: the value must be a tuple with %d members", t, len(l.Elems), len(l.Elems))
			typed = false
		}
		for i, e := range l.Elems {
			var mt types.Type
			if typed {
				mt = t.Members()[i]
			}
			if sub, ok := e.(*ast.TupleExpr); ok {
				walk(sub, mt, typed)
				continue
			}
			c.assignable(e)
			et := c.expr(e)
			if typed && et.Kind != types.Invalid && !types.Promotes(mt, et) {
				c.errorf(e.Pos(), "ill-typed unpacking: member %d of the value has type %v, which cannot be assigned to the left side's type %v", i+1, mt, et)
			}
			targets = append(targets, c.target(e))
		}
	}
	walk(lhs, rt, rt.Kind != types.Invalid)
	c.info.Types[lhs] = rt
	c.lvaluesUnique(lhs, targets)
}

// lvaluesUnique checks the variables an assignment writes, targets, the
// one of x = ... or the several of an unpacking assignment: none is
// written twice, and none is read in an index on the left side, lhs
// (x[x[1]] = ...). stanc3's verify_lvalue_unique checks both for every
// assignment; the errors point at lhs as a whole, as its do. It reports
// whether there was no error.
func (c *checker) lvaluesUnique(lhs ast.Expr, targets []lvalueTarget) bool {
	read := "here, so it cannot be read in an index on the left side of the assignment"
	if _, unpacking := lhs.(*ast.TupleExpr); unpacking {
		read = "in this unpacking assignment, so it cannot be read in an index on its left side"
	}
	ok := true
	for i, a := range targets {
		if a.root == nil {
			continue
		}
		for _, b := range targets[:i] {
			if b.root == a.root && (prefix(a.path, b.path) || prefix(b.path, a.path)) {
				c.errorf(lhs.Pos(), "the variable '%s' is assigned more than once in this unpacking assignment", a.root.Name)
				ok = false
				break
			}
		}
		for _, b := range targets {
			if c.readsIn(b.index, a.root) {
				c.errorf(lhs.Pos(), "the variable '%s' is assigned %s", a.root.Name, read)
				ok = false
				break
			}
		}
	}
	return ok
}

// readsIn reports whether any of the index expressions reads v.
func (c *checker) readsIn(index []ast.Expr, v *Var) bool {
	return slices.ContainsFunc(index, func(x ast.Expr) bool { return c.readsVar(x, v) })
}

// target describes an lvalue: its variable, tuple path and indices.
func (c *checker) target(x ast.Expr) lvalueTarget {
	t := lvalueTarget{x: x}
	for {
		switch e := x.(type) {
		case *ast.Ident:
			t.root = c.info.Uses[e]
			for i, j := 0, len(t.path)-1; i < j; i, j = i+1, j-1 {
				t.path[i], t.path[j] = t.path[j], t.path[i]
			}
			return t
		case *ast.IndexExpr:
			t.index = append(t.index, e.Indices...)
			x = e.X
		case *ast.TupleIndexExpr:
			t.path = append(t.path, e.Index)
			x = e.X
		default:
			return t
		}
	}
}

// prefix reports whether p is a prefix of q.
func prefix(p, q []int) bool {
	if len(p) > len(q) {
		return false
	}
	for i := range p {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

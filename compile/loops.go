package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Fused loop idioms: loops whose whole body is one pattern that a Go loop
// can run without a closure call or a tape statement per iteration.

// dotTerm is one product of an accumulation, a * b, or a alone when b
// is nil.
type dotTerm struct{ a, b *leaf }

// dotLoop compiles
//
//	for (i in lo:hi) s = s + a * b;   // or s += a * b, s = a * b + s
//
// for a real scalar variable s and leaves a and b (leaf.go), as in an
// autoregression's mu = mu + beta[k] * y[t - k]: the loop records one tape
// statement, s_new = s + Σ a_i b_i, whose partials are 1 for s, b_i for a_i
// and a_i for b_i, and adds in the same order as the loop would. It
// returns nil for any other loop.
func (c *compiler) dotLoop(s *ast.ForStmt, lo, hi func(*env) int, iv varRef) stmtFn {
	body := s.Body
	if b, ok := body.(*ast.BlockStmt); ok && len(b.List) == 1 {
		body = b.List[0]
	}
	as, ok := body.(*ast.AssignStmt)
	if !ok {
		return nil
	}
	acc, ok := as.LHS.(*ast.Ident)
	if !ok || c.info.Types[acc] != types.RealT {
		return nil
	}
	accVar := c.info.Uses[acc]
	accRef, ok := c.slots[accVar]
	if !ok {
		return nil
	}
	var term ast.Expr
	switch as.Op {
	case token.ADD_ASSIGN:
		term = as.RHS
	case token.ASSIGN:
		sum, ok := unparen(as.RHS).(*ast.BinaryExpr)
		if !ok || sum.Op != token.ADD {
			return nil
		}
		switch {
		case c.isVar(sum.X, accVar):
			term = sum.Y
		case c.isVar(sum.Y, accVar):
			term = sum.X
		default:
			return nil
		}
	default:
		return nil
	}
	if c.info.Types[term] != types.RealT && c.info.Types[term] != types.IntT {
		return nil
	}
	var dt dotTerm
	if m, ok := unparen(term).(*ast.BinaryExpr); ok && (m.Op == token.MUL || m.Op == token.ELTMUL) {
		dt.a, dt.b = realLeaf(c.expr(m.X)), realLeaf(c.expr(m.Y))
		if dt.a == nil || dt.b == nil {
			return nil
		}
	} else if dt.a = realLeaf(c.expr(term)); dt.a == nil {
		return nil
	}
	if dt.a.reads(accRef) || dt.b != nil && dt.b.reads(accRef) {
		return nil
	}
	return func(e *env) ctrl {
		iVar := slot(e, iv)
		iVar.shapeIntScalar()
		start, end := lo(e), hi(e)
		accv := &slot(e, accRef).R[0]
		sum := *accv
		bl := e.t.Begin()
		bl.Add(sum, 1)
		v := sum.Val
		if ra, oa, sa, ok := dt.a.strided(e, iv, start, end); ok && dt.b != nil {
			if rb, ob, sb, ok := dt.b.strided(e, iv, start, end); ok {
				// Every index is in range: no checks in the loop.
				for i := start; i <= end; i++ {
					a, b := ra[oa+sa*i], rb[ob+sb*i]
					v += float64(a.Val * b.Val) // rounded as the product is, unfused
					bl.Add(a, b.Val)
					bl.Add(b, a.Val)
				}
				*accv = bl.End(v)
				return next
			}
		}
		for i := start; i <= end; i++ {
			iVar.I[0] = i
			a := dt.a.get(e)
			if dt.b == nil {
				v += a.Val
				bl.Add(a, 1)
				continue
			}
			b := dt.b.get(e)
			v += float64(a.Val * b.Val)
			bl.Add(a, b.Val)
			bl.Add(b, a.Val)
		}
		*accv = bl.End(v)
		return next
	}
}

// strided describes the leaf over a loop i = start..end, which changes
// only the loop variable iv: it reads r[off + stride*i]. ok is false when
// the leaf is not a constant, a scalar or an element at affine indices,
// or when an index would be out of range (the loop then reads element by
// element, to fail where Stan would).
func (l *leaf) strided(e *env, iv varRef, start, end int) (r []ad.Var, off, stride int, ok bool) {
	switch l.kind {
	case leafConst:
		return l.cs, 0, 0, true
	case leafScalar:
		return slot(e, l.v).R, 0, 0, true
	}
	if start > end {
		return nil, 0, 0, false
	}
	v := slot(e, l.v)
	oi, si, ok := l.i.along(e, iv)
	if !ok {
		return nil, 0, 0, false
	}
	if l.kind == leafElem1 {
		if !inRange(oi, si, start, end, len(v.R)) {
			return nil, 0, 0, false
		}
		return v.R, oi - 1, si, true
	}
	oj, sj, ok := l.j.along(e, iv)
	rows, cols := v.Dims[len(v.Dims)-2], v.Dims[len(v.Dims)-1]
	if !ok || !inRange(oi, si, start, end, rows) || !inRange(oj, sj, start, end, cols) {
		return nil, 0, 0, false
	}
	if l.colMajor {
		return v.R, oi - 1 + (oj-1)*rows, si + sj*rows, true
	}
	return v.R, (oi-1)*cols + oj - 1, si*cols + sj, true
}

// along writes the index as off + stride*iv over a loop that changes only
// iv; ok is false for an element of an int array.
func (a *affine) along(e *env, iv varRef) (off, stride int, ok bool) {
	if a.in != nil {
		return 0, 0, false
	}
	off = a.c
	for k := 0; k < a.n; k++ {
		if a.vs[k] == iv {
			stride += a.s[k]
		} else {
			off += a.s[k] * slot(e, a.vs[k]).I[0]
		}
	}
	return off, stride, true
}

// inRange reports whether the index off + stride*i is in 1..n for every
// i in start..end (it is monotone in i).
func inRange(off, stride, start, end, n int) bool {
	return uint(off+stride*start-1) < uint(n) && uint(off+stride*end-1) < uint(n)
}

// isVar reports whether x is a read of the variable v.
func (c *compiler) isVar(x ast.Expr, v any) bool {
	id, ok := unparen(x).(*ast.Ident)
	return ok && any(c.info.Uses[id]) == v
}

func unparen(x ast.Expr) ast.Expr {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok {
			return x
		}
		x = p.X
	}
}

// reads reports whether the leaf reads the variable in slot r.
func (l *leaf) reads(r varRef) bool { return l.kind != leafConst && l.v == r }

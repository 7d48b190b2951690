package compile

import (
	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Vector affine expressions: s * v ± c and c ± s * v, with s and c
// scalars and v a vector, row vector or matrix (the non-centred
// parameterisation's theta_raw * tau + mu), record one tape statement per
// element with the partials of v[i], s and c, in place of a statement for
// the product and another for the sum (Adept's idea, Hogan 2014, as in
// lincomb.go). The product is rounded before the sum, so every value is
// the one the two operators compute.

// vecAffine is a compiled s * v ± c: its operands in source order.
type vecAffine struct {
	s, c func(*env) ad.Var
	v    func(*env) *value
	// order says which operand is read first, second and third (0 s,
	// 1 v, 2 c), so that errors come in the order the operators would
	// raise them.
	order [3]uint8
	// sp and sc are the signs of the product and of c in the result.
	sp, sc float64
	buf    bufSlot
}

// vectorAffine compiles x when it is s * v ± c or c ± s * v (either order
// of the product's factors), and reports whether it did.
func (c *compiler) vectorAffine(x ast.Expr) (cexpr, bool) {
	sum, ok := x.(*ast.BinaryExpr)
	if !ok || (sum.Op != token.ADD && sum.Op != token.SUB) {
		return cexpr{}, false
	}
	t := c.info.Types[sum]
	if t.Dims != 0 || (t.Kind != types.Vector && t.Kind != types.RowVector && t.Kind != types.Matrix) {
		return cexpr{}, false
	}
	scalar := func(e ast.Expr) bool {
		u := c.info.Types[e]
		return u == types.RealT || u == types.IntT
	}
	product := func(e ast.Expr) *ast.BinaryExpr {
		p, ok := unparen(e).(*ast.BinaryExpr)
		if !ok || p.Op != token.MUL || c.info.Types[p] != t {
			return nil
		}
		if (scalar(p.X) && c.info.Types[p.Y] == t) || (c.info.Types[p.X] == t && scalar(p.Y)) {
			return p
		}
		return nil
	}
	a := &vecAffine{sp: 1, sc: 1, buf: c.buf()}
	var p *ast.BinaryExpr
	var cx ast.Expr
	pFirst := false
	if q := product(sum.X); q != nil && scalar(sum.Y) {
		p, cx, pFirst = q, sum.Y, true
		if sum.Op == token.SUB {
			a.sc = -1
		}
	} else if q := product(sum.Y); q != nil && scalar(sum.X) {
		p, cx = q, sum.X
		if sum.Op == token.SUB {
			a.sp = -1
		}
	} else {
		return cexpr{}, false
	}
	// Compile in source order, as the operators would.
	var ps, pv ast.Expr = p.X, p.Y
	sFirst := scalar(p.X)
	if !sFirst {
		ps, pv = p.Y, p.X
	}
	compileProduct := func() {
		if sFirst {
			a.s = c.expr(ps).real()
			a.v = c.expr(pv).val(true)
		} else {
			a.v = c.expr(pv).val(true)
			a.s = c.expr(ps).real()
		}
	}
	if pFirst {
		compileProduct()
		a.c = c.expr(cx).real()
	} else {
		a.c = c.expr(cx).real()
		compileProduct()
	}
	inner := [2]uint8{1, 0}
	if sFirst {
		inner = [2]uint8{0, 1}
	}
	if pFirst {
		a.order = [3]uint8{inner[0], inner[1], 2}
	} else {
		a.order = [3]uint8{2, inner[0], inner[1]}
	}
	return cexpr{t: t, v: a.eval}, true
}

// eval evaluates the operands in source order and records the elements.
func (a *vecAffine) eval(e *env) *value {
	var s, c ad.Var
	var v *value
	for _, k := range a.order {
		switch k {
		case 0:
			s = a.s(e)
		case 1:
			v = a.v(e)
		default:
			c = a.c(e)
		}
	}
	out := a.buf.of(e)
	out.shape(v.Dims, false)
	t := e.t
	sv, cv := s.Val, c.Val
	ds := a.sp * sv
	for i, x := range v.R {
		// The conversion rounds the product before the sum: no fused
		// multiply-add, so the value is the two operators'.
		y := a.sp*float64(x.Val*sv) + a.sc*cv
		out.R[i] = t.Ternary(y, x, ds, s, a.sp*x.Val, c, a.sc)
	}
	return out
}

package compile

import (
	"fmt"
	"strconv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// cexpr is a compiled expression: exactly one of i (an int), r (a real),
// z (a complex) or v (a container) is set, as its type says. Containers
// are returned in buffers owned by the expression, valid until it is
// evaluated again.
type cexpr struct {
	t types.Type
	i func(*env) int
	r func(*env) ad.Var
	z func(*env) cplx
	v func(*env) *value
	// fixed marks a read of a data or transformed data variable, whose
	// value never changes once the model is built.
	fixed bool
	// c is the compiler that made the expression, so that a conversion
	// of it (val) can take a per-model buffer slot.
	c *compiler
	// ref is set when the expression reads a container variable from
	// its slot, aff when it is an affine int expression, lf when it is a
	// real leaf (leaf.go): shapes that users evaluate inline.
	ref *varRef
	aff *affine
	lf  *leaf
}

// real returns e as a real-valued function, promoting an int.
func (e cexpr) real() func(*env) ad.Var {
	if e.r != nil {
		return e.r
	}
	f := e.i
	return func(env *env) ad.Var { return ad.Const(float64(f(env))) }
}

// val returns e as a container function; reals are promoted from ints when
// asReal is set.
func (e cexpr) val(asReal bool) func(*env) *value {
	f := e.v
	if !asReal || e.t.Kind != types.Int {
		return f
	}
	if e.c == nil {
		panic("compile: promoting an int container the compiler did not make")
	}
	buf := e.c.buf()
	return func(env *env) *value {
		v := f(env)
		b := buf.of(env)
		b.shape(v.Dims, false)
		for i, x := range v.I {
			b.R[i] = ad.Const(float64(x))
		}
		return b
	}
}

func (c *compiler) pos(p token.Pos) token.Position { return c.fset.Position(p) }

// fail aborts evaluation with an error at a source position.
func fail(pos token.Position, format string, args ...any) {
	panic(&evalError{pos: pos, err: fmt.Errorf(format, args...)})
}

// expr compiles an expression.
func (c *compiler) expr(x ast.Expr) cexpr {
	e := c.compileExpr(x)
	e.c = c
	return e
}

func (c *compiler) compileExpr(x ast.Expr) cexpr {
	t := c.info.Types[x]
	if k, ok := c.linearComb(x); ok {
		return k
	}
	if k, ok := c.vectorAffine(x); ok {
		return k
	}
	switch x := x.(type) {
	case *ast.ParenExpr:
		return c.expr(x.X)
	case *ast.TupleExpr:
		return c.tupleLit(x, t)
	case *ast.TupleIndexExpr:
		return c.tupleIndex(x, t)
	case *ast.BasicLit:
		switch x.Kind {
		case token.INT:
			n, err := strconv.Atoi(x.Value)
			if err != nil {
				c.errorf(x.Pos(), "integer literal %s is out of range", x.Value)
			}
			return cexpr{t: t, i: func(*env) int { return n }, aff: &affine{c: n}}
		case token.REAL:
			f, _ := strconv.ParseFloat(x.Value, 64)
			return leafExpr(t, constLeaf(f))
		case token.IMAG:
			return c.imagLit(x, t)
		}
		c.errorf(x.Pos(), "string literals can only be arguments of print, reject and fatal_error")
		return cexpr{t: t, r: func(*env) ad.Var { return ad.Var{} }}
	case *ast.Ident:
		return c.varRead(x, t)
	case *ast.BinaryExpr:
		return c.binary(x, t)
	case *ast.UnaryExpr:
		return c.unary(x, t)
	case *ast.PostfixExpr:
		if isComplexContainer(t) {
			return c.complexTranspose(c.expr(x.X), t)
		}
		return c.transpose(c.expr(x.X), t)
	case *ast.CondExpr:
		return c.cond(x, t)
	case *ast.CallExpr:
		return c.call(x, t)
	case *ast.IndexExpr:
		return c.index(x, t)
	case *ast.ArrayExpr:
		return c.arrayLit(x, t)
	case *ast.RowVectorExpr:
		return c.rowVectorLit(x, t)
	}
	// Only a range lo:hi is left, which the checker accepts only as an
	// index.
	c.errorf(x.Pos(), "a range lo:hi can only be an index")
	return cexpr{t: t, r: func(*env) ad.Var { return ad.Var{} }}
}

// varRead reads a variable: scalars by value, containers as a view of the
// variable's storage.
func (c *compiler) varRead(x *ast.Ident, t types.Type) cexpr {
	v := c.info.Uses[x]
	ref, ok := c.slots[v]
	if !ok {
		c.errorf(x.Pos(), "variable '%s' is not available here", x.Name)
		return cexpr{t: t, r: func(*env) ad.Var { return ad.Var{} }}
	}
	k := ref.idx
	aff := &affine{n: 1, s: [2]int{1}, vs: [2]varRef{ref}}
	lf := &leaf{kind: leafScalar, v: ref}
	switch {
	case t == types.IntT && ref.frame:
		return cexpr{t: t, i: func(e *env) int { return e.frame[k].I[0] }, aff: aff}
	case t == types.IntT:
		return cexpr{t: t, i: func(e *env) int { return e.ints[k] }, aff: aff}
	case t == types.RealT && ref.frame:
		return cexpr{t: t, r: func(e *env) ad.Var { return e.frame[k].R[0] }, lf: lf}
	case t == types.RealT:
		return cexpr{t: t, r: func(e *env) ad.Var { return e.globals[k].R[0] }, lf: lf}
	case t == types.ComplexT:
		get := ref.getter()
		return cexpr{t: t, z: func(e *env) cplx { v := get(e); return cplx{v.R[0], v.R[1]} }}
	}
	fixed := v.Scope == check.Global && (v.Block == ast.Data || v.Block == ast.TransformedData)
	return cexpr{t: t, v: ref.getter(), fixed: fixed, ref: &ref}
}

func (c *compiler) cond(x *ast.CondExpr, t types.Type) cexpr {
	if t.Kind == types.Tuple {
		return c.tupleCond(x, t)
	}
	if isComplex(t.Kind) {
		return c.complexCond(x, t)
	}
	cond := c.truth(x.Cond)
	a, b := c.expr(x.Then), c.expr(x.Else)
	switch {
	case t == types.IntT:
		ai, bi := a.i, b.i
		return cexpr{t: t, i: func(e *env) int {
			if cond(e) {
				return ai(e)
			}
			return bi(e)
		}}
	case t == types.RealT:
		ar, br := a.real(), b.real()
		return cexpr{t: t, r: func(e *env) ad.Var {
			if cond(e) {
				return ar(e)
			}
			return br(e)
		}}
	}
	av, bv := a.val(t.Kind != types.Int), b.val(t.Kind != types.Int)
	return cexpr{t: t, v: func(e *env) *value {
		if cond(e) {
			return av(e)
		}
		return bv(e)
	}}
}

// truth compiles a condition: nonzero is true.
func (c *compiler) truth(x ast.Expr) func(*env) bool {
	e := c.expr(x)
	if e.i != nil {
		f := e.i
		return func(env *env) bool { return f(env) != 0 }
	}
	f := e.real()
	return func(env *env) bool { return f(env).Val != 0 }
}

// ---- arithmetic ----

func (c *compiler) unary(x *ast.UnaryExpr, t types.Type) cexpr {
	a := c.expr(x.X)
	if t == types.ComplexT && x.Op == token.SUB {
		return complexNeg(a, t)
	}
	if isComplexContainer(t) && x.Op == token.SUB {
		return c.complexUnaryMinus(a, t)
	}
	switch x.Op {
	case token.ADD:
		return a
	case token.NOT:
		if a.i != nil {
			f := a.i
			return cexpr{t: t, i: func(e *env) int { return b2i(f(e) == 0) }}
		}
		f := a.real()
		return cexpr{t: t, i: func(e *env) int { return b2i(f(e).Val == 0) }}
	}
	switch {
	case a.i != nil:
		f := a.i
		return cexpr{t: t, i: func(e *env) int { return -f(e) }}
	case t.Kind == types.Int:
		// Of an int array (stanc3 2.31): an int array.
		f, buf := a.v, c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			v, b := f(e), buf.of(e)
			b.shape(v.Dims, true)
			for k, x := range v.I {
				b.I[k] = -x
			}
			return b
		}}
	case a.r != nil:
		f := a.r
		return cexpr{t: t, r: func(e *env) ad.Var { return e.t.Neg(f(e)) }}
	}
	return mapReal(c, t, a, func(tp *ad.Tape, v ad.Var) ad.Var { return tp.Neg(v) })
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// mapReal applies f to every element of a container, promoting ints.
func mapReal(c *compiler, t types.Type, a cexpr, f func(*ad.Tape, ad.Var) ad.Var) cexpr {
	src := a.val(true)
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		v := src(e)
		b := buf.of(e)
		b.shape(v.Dims, false)
		for i, x := range v.R {
			b.R[i] = f(e.t, x)
		}
		return b
	}}
}

func (c *compiler) binary(x *ast.BinaryExpr, t types.Type) cexpr {
	a, b := c.expr(x.X), c.expr(x.Y)
	if isComplexContainer(t) || isComplexContainer(a.t) || isComplexContainer(b.t) {
		return c.complexContainerBinary(x, a, b, t)
	}
	return c.binaryOf(x, a, b, t)
}

// binaryOf compiles x on the compiled operands a and b.
func (c *compiler) binaryOf(x *ast.BinaryExpr, a, b cexpr, t types.Type) cexpr {
	if t == types.ComplexT || a.t == types.ComplexT || b.t == types.ComplexT {
		return c.complexBinary(x, a, b, t)
	}
	pos := c.pos(x.OpPos)
	switch x.Op {
	case token.LAND:
		fa, fb := c.truth(x.X), c.truth(x.Y)
		return cexpr{t: t, i: func(e *env) int { return b2i(fa(e) && fb(e)) }}
	case token.LOR:
		fa, fb := c.truth(x.X), c.truth(x.Y)
		return cexpr{t: t, i: func(e *env) int { return b2i(fa(e) || fb(e)) }}
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		return compare(x.Op, a, b, t)
	}
	if a.i != nil && b.i != nil && t == types.IntT {
		r := intArith(x.Op, a.i, b.i, pos)
		switch x.Op {
		case token.ADD:
			r.aff = addAffine(a.aff, b.aff, 1)
		case token.SUB:
			r.aff = addAffine(a.aff, b.aff, -1)
		}
		return r
	}
	if a.v == nil && b.v == nil && t == types.RealT {
		return realArith(c, x.Op, a, b, x.OpPos)
	}
	return c.containerArith(x, a, b, t)
}

func compare(op token.Kind, a, b cexpr, t types.Type) cexpr {
	if a.i != nil && b.i != nil {
		fa, fb := a.i, b.i
		var f func(x, y int) bool
		switch op {
		case token.EQL:
			f = func(x, y int) bool { return x == y }
		case token.NEQ:
			f = func(x, y int) bool { return x != y }
		case token.LSS:
			f = func(x, y int) bool { return x < y }
		case token.LEQ:
			f = func(x, y int) bool { return x <= y }
		case token.GTR:
			f = func(x, y int) bool { return x > y }
		default:
			f = func(x, y int) bool { return x >= y }
		}
		return cexpr{t: t, i: func(e *env) int { return b2i(f(fa(e), fb(e))) }}
	}
	fa, fb := a.real(), b.real()
	var f func(x, y float64) bool
	switch op {
	case token.EQL:
		f = func(x, y float64) bool { return x == y }
	case token.NEQ:
		f = func(x, y float64) bool { return x != y }
	case token.LSS:
		f = func(x, y float64) bool { return x < y }
	case token.LEQ:
		f = func(x, y float64) bool { return x <= y }
	case token.GTR:
		f = func(x, y float64) bool { return x > y }
	default:
		f = func(x, y float64) bool { return x >= y }
	}
	return cexpr{t: t, i: func(e *env) int { return b2i(f(fa(e).Val, fb(e).Val)) }}
}

func intArith(op token.Kind, fa, fb func(*env) int, pos token.Position) cexpr {
	t := types.IntT
	switch op {
	case token.ADD:
		return cexpr{t: t, i: func(e *env) int { return fa(e) + fb(e) }}
	case token.SUB:
		return cexpr{t: t, i: func(e *env) int { return fa(e) - fb(e) }}
	case token.MUL, token.ELTMUL:
		return cexpr{t: t, i: func(e *env) int { return fa(e) * fb(e) }}
	case token.QUO, token.IDIV, token.ELTDIV:
		return cexpr{t: t, i: func(e *env) int {
			d := fb(e)
			if d == 0 {
				fail(pos, "integer division by zero")
			}
			return fa(e) / d
		}}
	case token.REM:
		return cexpr{t: t, i: func(e *env) int {
			d := fb(e)
			if d == 0 {
				fail(pos, "modulus by zero")
			}
			return fa(e) % d
		}}
	}
	return cexpr{t: t, i: func(*env) int { return 0 }}
}

func realArith(c *compiler, op token.Kind, a, b cexpr, p token.Pos) cexpr {
	t := types.RealT
	switch op {
	case token.ADD, token.SUB, token.MUL, token.ELTMUL, token.QUO, token.ELTDIV:
	case token.POW, token.ELTPOW:
		if l := realLeaf(b); l != nil && l.kind == leafConst && l.c.Val == 2 {
			// x^2, the commonest power, without math.Pow.
			fa := a.real()
			return cexpr{t: t, r: func(e *env) ad.Var { return e.t.Square(fa(e)) }}
		}
		fa, fb := a.real(), b.real()
		return cexpr{t: t, r: func(e *env) ad.Var { return e.t.Pow(fa(e), fb(e)) }}
	default:
		c.errorf(p, "operator %s on reals is not supported", op)
		return cexpr{t: t, r: func(*env) ad.Var { return ad.Var{} }}
	}
	// Leaf operands are read inline (leaf.go).
	la, lb := realLeaf(a), realLeaf(b)
	fa, fb := a.real(), b.real()
	switch {
	case la != nil && lb != nil:
		return cexpr{t: t, r: func(e *env) ad.Var { return arith(e.t, op, la.get(e), lb.get(e)) }}
	case la != nil:
		return cexpr{t: t, r: func(e *env) ad.Var { return arith(e.t, op, la.get(e), fb(e)) }}
	case lb != nil:
		return cexpr{t: t, r: func(e *env) ad.Var { return arith(e.t, op, fa(e), lb.get(e)) }}
	}
	return cexpr{t: t, r: func(e *env) ad.Var { return arith(e.t, op, fa(e), fb(e)) }}
}

// arith is a op b for the four arithmetic operators.
func arith(t *ad.Tape, op token.Kind, a, b ad.Var) ad.Var {
	switch op {
	case token.ADD:
		return t.Add(a, b)
	case token.SUB:
		return t.Sub(a, b)
	case token.MUL, token.ELTMUL:
		return t.Mul(a, b)
	}
	return t.Div(a, b)
}

// realLeaf is x as a real leaf, or nil: a real leaf, or an int literal.
func realLeaf(x cexpr) *leaf {
	if x.lf != nil {
		return x.lf
	}
	if x.aff != nil && x.aff.n == 0 && x.aff.in == nil {
		return constLeaf(float64(x.aff.c))
	}
	return nil
}

// containerArith compiles arithmetic with at least one container operand.
func (c *compiler) containerArith(x *ast.BinaryExpr, a, b cexpr, t types.Type) cexpr {
	pos := c.pos(x.OpPos)
	aScalar, bScalar := a.v == nil, b.v == nil
	elementwise := func(f func(tp *ad.Tape, p, q ad.Var) ad.Var) cexpr {
		if aScalar || bScalar {
			return scalarElementwise(c, t, a, b, f)
		}
		buf := c.buf()
		fa, fb := a.val(true), b.val(true)
		return cexpr{t: t, v: func(e *env) *value {
			u, v := fa(e), fb(e)
			if len(u.R) != len(v.R) || !sameDims(u.Dims, v.Dims) {
				fail(pos, "size mismatch in %s: %v and %v", x.Op, dimString(u.Dims), dimString(v.Dims))
			}
			b := buf.of(e)
			b.shape(u.Dims, false)
			for i := range u.R {
				b.R[i] = f(e.t, u.R[i], v.R[i])
			}
			return b
		}}
	}
	add := func(tp *ad.Tape, p, q ad.Var) ad.Var { return tp.Add(p, q) }
	sub := func(tp *ad.Tape, p, q ad.Var) ad.Var { return tp.Sub(p, q) }
	mul := func(tp *ad.Tape, p, q ad.Var) ad.Var { return tp.Mul(p, q) }
	div := func(tp *ad.Tape, p, q ad.Var) ad.Var { return tp.Div(p, q) }
	pow := func(tp *ad.Tape, p, q ad.Var) ad.Var { return tp.Pow(p, q) }
	switch x.Op {
	case token.ADD:
		if !aScalar && !bScalar {
			return c.addContainers(x, a, b, t, (*ad.Tape).ElemAdd)
		}
		return elementwise(add)
	case token.SUB:
		if !aScalar && !bScalar {
			return c.addContainers(x, a, b, t, (*ad.Tape).ElemSub)
		}
		return elementwise(sub)
	case token.ELTMUL:
		return elementwise(mul)
	case token.ELTDIV:
		return elementwise(div)
	case token.POW, token.ELTPOW:
		return elementwise(pow)
	case token.QUO:
		if aScalar || bScalar {
			return elementwise(div)
		}
		return c.solveOp(a, b, t, pos, solveRight)
	case token.LDIV:
		return c.solveOp(a, b, t, pos, solveLeft)
	case token.MUL:
		if aScalar || bScalar {
			return elementwise(mul)
		}
		return c.matMul(a, b, t, pos)
	}
	c.errorf(x.OpPos, "operator %s on %v and %v is not supported yet", x.Op, a.t, b.t)
	return cexpr{t: t, v: func(*env) *value { return &value{} }}
}

func sameDims(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func dimString(d []int) string {
	if len(d) == 0 {
		return "scalar"
	}
	s := "["
	for i, k := range d {
		if i > 0 {
			s += ","
		}
		s += strconv.Itoa(k)
	}
	return s + "]"
}

// matMul multiplies vectors and matrices: row_vector * vector is a dot
// product, vector * row_vector an outer product, and the matrix products.
// Each output entry is one tape statement.
func (c *compiler) matMul(a, b cexpr, t types.Type, pos token.Position) cexpr {
	fa, fb := a.val(true), b.val(true)
	// Shapes as (rows, cols): a vector is n×1, a row vector 1×n.
	rc := func(kind types.Kind, v *value) (int, int) {
		switch kind {
		case types.Vector:
			return v.Dims[0], 1
		case types.RowVector:
			return 1, v.Dims[0]
		}
		return v.Dims[0], v.Dims[1]
	}
	ak, bk := a.t.Kind, b.t.Kind
	if t == types.RealT {
		return cexpr{t: t, r: func(e *env) ad.Var {
			u, v := fa(e), fb(e)
			if len(u.R) != len(v.R) {
				fail(pos, "size mismatch in multiplication: %d and %d", len(u.R), len(v.R))
			}
			return dot(e.t, u.R, v.R)
		}}
	}
	if ak == types.Matrix && (bk == types.Vector || bk == types.Matrix) && a.t.Dims == 0 && b.t.Dims == 0 {
		return c.matMulNode(a, b, t, pos)
	}
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		u, v := fa(e), fb(e)
		ar, ac := rc(ak, u)
		br, bc := rc(bk, v)
		if ac != br {
			fail(pos, "size mismatch in multiplication: %d×%d times %d×%d", ar, ac, br, bc)
		}
		dims, n := [2]int{ar, bc}, 2
		switch t.Kind {
		case types.Vector:
			n = 1
		case types.RowVector:
			dims[0], n = bc, 1
		}
		b := buf.of(e)
		b.shape(dims[:n], false)
		// Column-major: A(i,k) = u.R[i + k*ar], B(k,j) = v.R[k + j*br].
		for j := range bc {
			for i := range ar {
				bl := e.t.Begin()
				s := 0.0
				for k := range ac {
					x, y := u.R[i+k*ar], v.R[k+j*br]
					s += x.Val * y.Val
					bl.Add(x, y.Val)
					bl.Add(y, x.Val)
				}
				b.R[i+j*ar] = bl.End(s)
			}
		}
		return b
	}}
}

// matMulNode multiplies a matrix by a vector or a matrix as one custom
// node on the tape; a data matrix is converted to float64 once per model.
func (c *compiler) matMulNode(a, b cexpr, t types.Type, pos token.Position) cexpr {
	fa, fb := a.v, b.val(true)
	// matMulWork is a model's result header and its float64 copy of a
	// data matrix.
	type matMulWork struct {
		out    value
		dims   [2]int
		data   ad.DataMatrix
		cached bool
	}
	work := newState(c, func() *matMulWork { return &matMulWork{} })
	vector := b.t.Kind == types.Vector
	return cexpr{t: t, v: func(e *env) *value {
		w := work.of(e)
		v := fb(e)
		if a.fixed && !w.cached {
			m := fa(e).matrix()
			w.data = ad.DataMatrix{Rows: m.Rows, Cols: m.Cols, Data: make([]float64, len(m.Data))}
			for i, x := range m.Data {
				w.data.Data[i] = x.Val
			}
			w.cached = true
		}
		var err error
		if vector {
			var r []ad.Var
			if a.fixed {
				r, err = e.t.DataMatVec(w.data, v.R)
			} else {
				r, err = e.t.MatVec(fa(e).matrix(), v.R)
			}
			if err != nil {
				fail(pos, "%v", err)
			}
			w.dims[0] = len(r)
			w.out.Dims, w.out.R, w.out.I = w.dims[:1], r, nil
			return &w.out
		}
		var r ad.Matrix
		if a.fixed {
			r, err = e.t.DataMatMul(w.data, v.matrix())
		} else {
			r, err = e.t.MatMul(fa(e).matrix(), v.matrix())
		}
		if err != nil {
			fail(pos, "%v", err)
		}
		w.dims[0], w.dims[1] = r.Rows, r.Cols
		w.out.Dims, w.out.R, w.out.I = w.dims[:], r.Data, nil
		return &w.out
	}}
}

// dot is Σ a_i b_i as one statement (ad's Dot), for operands whose
// sizes the caller has checked against each other.
func dot(t *ad.Tape, a, b []ad.Var) ad.Var {
	v, err := t.Dot(a, b)
	if err != nil {
		panic("compile: dot of unchecked sizes: " + err.Error())
	}
	return v
}

func (c *compiler) transpose(a cexpr, t types.Type) cexpr {
	f := a.v
	buf := c.buf()
	if t.Kind != types.Matrix {
		return cexpr{t: t, v: func(e *env) *value {
			v, b := f(e), buf.of(e)
			b.Dims = append(b.Dims[:0], v.Dims...)
			b.R = v.R
			return b
		}}
	}
	return cexpr{t: t, v: func(e *env) *value {
		v, b := f(e), buf.of(e)
		r, cc := v.Dims[0], v.Dims[1]
		b.shape([]int{cc, r}, false)
		transposeInto(b.R, v.R, r, cc)
		return b
	}}
}

// ---- literals ----

func (c *compiler) arrayLit(x *ast.ArrayExpr, t types.Type) cexpr {
	if t.Kind == types.Tuple {
		return c.tupleArrayLit(x, t)
	}
	if isComplex(t.Kind) {
		return c.complexArrayLit(x, t)
	}
	elems := make([]cexpr, len(x.Elems))
	for i, el := range x.Elems {
		elems[i] = c.expr(el)
	}
	isInt := t.Kind == types.Int
	// arrayWork is a model's result and its dims under construction.
	type arrayWork struct {
		out  value
		dims []int
	}
	work := newState(c, func() *arrayWork { return &arrayWork{} })
	pos := c.pos(x.Pos())
	return cexpr{t: t, v: func(e *env) *value {
		w := work.of(e)
		buf := &w.out
		w.dims = append(w.dims[:0], len(elems))
		first := true
		k := 0
		for _, el := range elems {
			switch {
			case el.i != nil && isInt:
				if first {
					buf.shape(w.dims, true)
				}
				buf.I[k] = el.i(e)
				k++
			case el.v == nil:
				if first {
					buf.shape(w.dims, false)
				}
				buf.R[k] = el.real()(e)
				k++
			default:
				v := el.v(e)
				if first {
					w.dims = append(w.dims, v.Dims...)
					buf.shape(w.dims, isInt)
				} else if !sameDims(v.Dims, buf.Dims[1:]) {
					fail(pos, "array expression elements have different sizes: %s and %s", dimString(buf.Dims[1:]), dimString(v.Dims))
				}
				if isInt {
					k += copy(buf.I[k:], v.I)
				} else if v.R != nil || len(v.I) == 0 {
					k += copy(buf.R[k:], v.R)
				} else {
					for _, n := range v.I {
						buf.R[k] = ad.Const(float64(n))
						k++
					}
				}
			}
			first = false
		}
		return buf
	}}
}

func (c *compiler) rowVectorLit(x *ast.RowVectorExpr, t types.Type) cexpr {
	if isComplex(t.Kind) {
		return c.complexRowVectorLit(x, t)
	}
	elems := make([]cexpr, len(x.Elems))
	for i, el := range x.Elems {
		elems[i] = c.expr(el)
	}
	buf := c.buf()
	pos := c.pos(x.Pos())
	if t.Kind == types.Matrix {
		rows := make([]func(*env) *value, len(elems))
		for i, el := range elems {
			rows[i] = el.v
		}
		return cexpr{t: t, v: func(e *env) *value {
			b := buf.of(e)
			n := len(rows)
			cols := -1
			for i, rf := range rows {
				r := rf(e)
				if cols < 0 {
					cols = r.Dims[0]
					b.shape([]int{n, cols}, false)
				} else if r.Dims[0] != cols {
					fail(pos, "matrix expression rows have different sizes: %d and %d", cols, r.Dims[0])
				}
				for j, v := range r.R {
					b.R[i+j*n] = v
				}
			}
			if cols < 0 {
				b.shape([]int{0, 0}, false)
			}
			return b
		}}
	}
	fs := make([]func(*env) ad.Var, len(elems))
	for i, el := range elems {
		fs[i] = el.real()
	}
	return cexpr{t: t, v: func(e *env) *value {
		b := buf.of(e)
		b.shape([]int{len(fs)}, false)
		for i, f := range fs {
			b.R[i] = f(e)
		}
		return b
	}}
}

// ---- indexing ----

// index compiles x[i, ...]. Single int indices into arrays give views of
// the storage; anything else copies into a buffer.
func (c *compiler) index(x *ast.IndexExpr, t types.Type) cexpr {
	base := c.expr(x.X)
	bt := base.t
	pos := c.pos(x.Lbrack)
	idx := c.indices(x.Indices)
	if bt.Kind == types.Tuple {
		return c.tupleArrayIndex(base, idx, t, pos)
	}
	if isComplex(bt.Kind) {
		return complexIndex(c, base, idx, t, pos)
	}
	fb := base.v
	isInt := bt.Kind == types.Int
	arrayDims := bt.Dims
	// Fast paths: all single indices.
	allSingle := true
	for _, ix := range idx {
		if ix.multi {
			allSingle = false
		}
	}
	if l := elemLeaf(base, idx, t, pos); allSingle && l != nil {
		return leafExpr(t, l)
	}
	if a := elemAffine(base, idx, t, pos); a != nil {
		return cexpr{t: t, i: a.eval, aff: a}
	}
	if allSingle && len(idx) == 1 && (arrayDims == 1 && innerDims(bt) == 0 || arrayDims == 0 && innerDims(bt) == 1) {
		// x[i] of a 1-D array or a vector: the commonest index.
		ix := idx[0].single
		if t == types.IntT {
			return cexpr{t: t, i: func(e *env) int {
				v, i := fb(e), ix(e)
				if i < 1 || i > len(v.I) {
					fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, len(v.I))
				}
				return v.I[i-1]
			}}
		}
		return cexpr{t: t, r: func(e *env) ad.Var {
			v, i := fb(e), ix(e)
			if i < 1 || i > len(v.R) {
				fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, len(v.R))
			}
			return v.R[i-1]
		}}
	}
	if allSingle {
		n := len(idx)
		switch {
		case t == types.IntT || t == types.RealT:
			off := func(e *env, v *value) int {
				o := 0
				stride := 1
				// Offsets: array dims row-major, then matrix column-major.
				inner := len(v.Dims) - arrayDims
				block := size(v.Dims[arrayDims:])
				o = 0
				for k := 0; k < min(n, arrayDims); k++ {
					i := idx[k].single(e)
					if i < 1 || i > v.Dims[k] {
						fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, v.Dims[k])
					}
					o = o*v.Dims[k] + (i - 1)
				}
				o *= block
				if inner > 0 && n > arrayDims {
					rows := v.Dims[arrayDims]
					i := idx[arrayDims].single(e)
					if i < 1 || i > rows {
						fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, rows)
					}
					o += i - 1
					if inner == 2 {
						cols := v.Dims[arrayDims+1]
						j := idx[arrayDims+1].single(e)
						if j < 1 || j > cols {
							fail(pos, "index %d out of range; expecting index to be between 1 and %d", j, cols)
						}
						stride = rows
						o += (j - 1) * stride
					}
				}
				return o
			}
			if t == types.IntT {
				return cexpr{t: t, i: func(e *env) int { v := fb(e); return v.I[off(e, v)] }}
			}
			return cexpr{t: t, r: func(e *env) ad.Var { v := fb(e); return v.R[off(e, v)] }}
		case n <= arrayDims:
			buf := c.buf()
			return cexpr{t: t, v: func(e *env) *value {
				v, b := fb(e), buf.of(e)
				o := arrayOffset(e, v, idx[:n], pos)
				block := size(v.Dims[n:])
				b.Dims = v.Dims[n:]
				if isInt {
					b.I, b.R = v.I[o*block:(o+1)*block], nil
				} else {
					b.R, b.I = v.R[o*block:(o+1)*block], nil
				}
				return b
			}}
		}
	}
	// General case: enumerate the selected elements.
	work := newState(c, func() *selection { return &selection{} })
	return cexpr{t: t, v: func(e *env) *value {
		v, w := fb(e), work.of(e)
		w.sel.run(e, v, arrayDims, idx, pos)
		offs := w.sel.offs
		w.out.shape(w.sel.dims, isInt)
		if isInt {
			for k, o := range offs {
				w.out.I[k] = v.I[o]
			}
		} else {
			for k, o := range offs {
				w.out.R[k] = v.R[o]
			}
		}
		return &w.out
	}}
}

// singleOffset is the storage offset of v[i, j, ...] when every index is
// single and they reach a scalar element.
func singleOffset(e *env, v *value, arrayDims int, idx []index, pos token.Position) int {
	o := 0
	k := 0
	for ; k < arrayDims; k++ {
		i := idx[k].single(e)
		if i < 1 || i > v.Dims[k] {
			fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, v.Dims[k])
		}
		o = o*v.Dims[k] + (i - 1)
	}
	inner := v.Dims[arrayDims:]
	o *= size(inner)
	stride := 1
	for d := range inner {
		i := idx[k+d].single(e)
		if i < 1 || i > inner[d] {
			fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, inner[d])
		}
		o += (i - 1) * stride
		stride *= inner[d]
	}
	return o
}

// index is one compiled index: a single int, or a multiple index (an int
// array or a range).
type index struct {
	multi  bool
	single func(*env) int
	aff    *affine           // single, when it is affine
	list   func(*env) *value // int array
	lo, hi func(*env) int    // range bounds; nil when open
	isAll  bool              // a bare :
	rng    bool
}

func (c *compiler) indices(list []ast.Expr) []index {
	out := make([]index, len(list))
	for k, ix := range list {
		if s, ok := ix.(*ast.SliceExpr); ok {
			in := index{multi: true, rng: true, isAll: s.Lo == nil && s.Hi == nil}
			if s.Lo != nil {
				in.lo = c.expr(s.Lo).i
			}
			if s.Hi != nil {
				in.hi = c.expr(s.Hi).i
			}
			out[k] = in
			continue
		}
		e := c.expr(ix)
		if e.i != nil {
			out[k] = index{single: e.i, aff: e.aff}
		} else {
			out[k] = index{multi: true, list: e.v}
		}
	}
	return out
}

// positions lists the 1-based positions an index selects in a dimension
// of size n.
func (ix *index) positions(e *env, n int, pos token.Position, out []int) []int {
	switch {
	case !ix.multi:
		i := ix.single(e)
		if i < 1 || i > n {
			fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, n)
		}
		return append(out, i)
	case ix.rng:
		lo, hi := 1, n
		if ix.lo != nil {
			lo = ix.lo(e)
		}
		if ix.hi != nil {
			hi = ix.hi(e)
		}
		for i := lo; i <= hi; i++ {
			if i < 1 || i > n {
				fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, n)
			}
			out = append(out, i)
		}
		return out
	}
	for _, i := range ix.list(e).I {
		if i < 1 || i > n {
			fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, n)
		}
		out = append(out, i)
	}
	return out
}

// selection is a model's selector and the elements it selected.
type selection struct {
	sel selector
	out value
}

// selector enumerates the elements x[idx...] selects, reusing its
// buffers so that steady-state evaluation allocates nothing.
type selector struct {
	offs, dims []int
	sel        [][]int // positions chosen in each dimension (1-based)
	tuple      []int
	order      []int
}

// run fills s.offs with the flat offsets of the selected elements, in the
// flat order of the result (its array dims row-major, its matrix part
// column-major), and s.dims with the result's dims.
func (s *selector) run(e *env, v *value, arrayDims int, idx []index, pos token.Position) {
	nd := len(v.Dims)
	s.offs, s.dims = s.offs[:0], s.dims[:0]
	for len(s.sel) < nd {
		s.sel = append(s.sel, nil)
	}
	for d := range nd {
		if d < len(idx) {
			s.sel[d] = idx[d].positions(e, v.Dims[d], pos, s.sel[d][:0])
			if idx[d].multi {
				s.dims = append(s.dims, len(s.sel[d]))
			}
			continue
		}
		all := s.sel[d][:0]
		for i := range v.Dims[d] {
			all = append(all, i+1)
		}
		s.sel[d] = all
		s.dims = append(s.dims, v.Dims[d])
	}
	block := size(v.Dims[arrayDims:])
	inner := nd - arrayDims
	// An odometer over the selections walks the array dims outermost
	// first, then the inner dims last first (rows fastest): order[k] is
	// the dimension of digit k, so a matrix's row digit is the last.
	s.order = s.order[:0]
	for d := range arrayDims {
		s.order = append(s.order, d)
	}
	for d := nd - 1; d >= arrayDims; d-- {
		s.order = append(s.order, d)
	}
	if cap(s.tuple) < nd {
		s.tuple = make([]int, nd)
	}
	s.tuple = s.tuple[:nd]
	clear(s.tuple)
	for _, d := range s.order {
		if len(s.sel[d]) == 0 {
			return
		}
	}
	counter := s.tuple // counter[k] indexes s.sel[s.order[k]]
	for {
		o := 0
		for d := range arrayDims {
			o = o*v.Dims[d] + s.sel[d][counter[d]] - 1
		}
		o *= block
		if inner >= 1 {
			o += s.sel[arrayDims][counter[nd-1]] - 1
		}
		if inner == 2 {
			o += (s.sel[arrayDims+1][counter[arrayDims]] - 1) * v.Dims[arrayDims]
		}
		s.offs = append(s.offs, o)
		// Advance the odometer: the last entry of order moves fastest.
		k := nd - 1
		for ; k >= 0; k-- {
			counter[k]++
			if counter[k] < len(s.sel[s.order[k]]) {
				break
			}
			counter[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// ---- calls ----

func (c *compiler) call(x *ast.CallExpr, t types.Type) cexpr {
	call := c.info.Calls[x]
	if call == nil {
		c.errorf(x.Pos(), "call of '%s' could not be resolved", x.Fun.Name)
		return cexpr{t: t, r: func(*env) ad.Var { return ad.Var{} }}
	}
	if call.User == nil && call.FuncArg == nil {
		if e, ok := c.operatorCall(x, t); ok {
			return e
		}
		if e, ok := c.tupleCall(x, call, t); ok {
			return e
		}
		if e, ok := c.fusedNormalCall(x, call, t); ok {
			return e
		}
	}
	if call.Laplace != nil {
		return c.laplace(x, call, t)
	}
	args := make([]cexpr, len(x.Args))
	for i, a := range x.Args {
		if call.FuncArg != nil && i == 0 {
			continue
		}
		args[i] = c.expr(a)
	}
	if call.User != nil {
		return c.userCall(x, call, args, t)
	}
	if call.FuncArg != nil && odeDefaults[call.Name].steps > 0 {
		return c.odeCall(x, call, args, t)
	}
	if _, ok := odeVariadicDefaults[call.Name]; ok && call.FuncArg != nil {
		return c.odeVariadicCall(x, call, args, t)
	}
	if f, ok := stdlib().higher[call.Name]; ok && call.FuncArg != nil {
		return f(c, x, call, args, t)
	}
	switch call.Dist.Form {
	case types.NoDist:
	case types.Rng:
		return c.libCall(x, call.Name, stdlib().densities[call.Dist.Family].rng, args, t)
	default:
		return c.cached(x, call.Name, args, c.densityCall(x, call, args, t))
	}
	if e, ok := c.complexLibCall(x, call, args, t); ok {
		return e
	}
	if e, ok := c.complexCall(call, args, t, c.pos(x.Pos())); ok {
		return e
	}
	if call.Name == "pow" && t == types.RealT && args[0].v == nil && args[1].v == nil {
		// pow(x, y) is x^y.
		return realArith(c, token.POW, args[0], args[1], x.Pos())
	}
	return c.cached(x, call.Name, args, c.libCall(x, call.Name, stdlib().funcs[call.Name], args, t))
}

// libCall compiles a call of the library function name, f, which is nil
// when the library lacks it.
func (c *compiler) libCall(x *ast.CallExpr, name string, f builtin, args []cexpr, t types.Type) cexpr {
	if f != nil {
		e, err := f(c, args, t, c.pos(x.Pos()))
		if err == nil {
			return e
		}
		c.errorf(x.Pos(), "%v", err)
	} else {
		c.errorf(x.Pos(), "function '%s' is not supported yet", name)
	}
	return cexpr{t: t, r: func(*env) ad.Var { return ad.Var{} }, i: nil}
}

// arrayOffset is the flat element offset that single indexes into a
// value's leading (array) dimensions select.
func arrayOffset(e *env, v *value, idx []index, pos token.Position) int {
	o := 0
	for k, ix := range idx {
		i := ix.single(e)
		if i < 1 || i > v.Dims[k] {
			fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, v.Dims[k])
		}
		o = o*v.Dims[k] + (i - 1)
	}
	return o
}

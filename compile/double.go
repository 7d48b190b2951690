package compile

import (
	"math"
	"strconv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/dist"
	"github.com/gostan/gostan/mathx"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Double-precision statements. Generated quantities run with no tape:
// every value is an ad.Var constant, and the general closures pay for
// what the gradient needs (16-byte Vars returned through each node, the
// tape's checks, linear combinations' partials, the leaves' shared
// machinery). In this block the compiler compiles scalar statements
// (assignments of int and real scalars and elements, scalar
// declarations, if) and the scalar int and real expressions in them to
// closures that return float64 and int: an element read at indices that
// are a variable plus a constant is one closure call, arithmetic one
// call over its operands. What they do not cover (calls, containers,
// complex numbers, tuples) is compiled by the general path and its value
// read from the Var, so that library functions, loop-invariant hoisting
// (hoist.go) and memos (memo.go) stay shared. Values, the order of
// evaluation and errors are the general path's.

type (
	dreal func(*env) float64
	dint  func(*env) int
)

// inDouble reports whether statements compiled now run only in double
// precision: generated quantities outside functions (a function body is
// shared with the blocks that differentiate it).
func (c *compiler) inDouble() bool { return c.double && c.fn == nil && c.opts&optDoubleGQ != 0 }

// dStmt compiles s in double precision, or returns false for the
// general path.
func (c *compiler) dStmt(s ast.Stmt) (stmtFn, bool) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		return c.dAssign(s)
	case *ast.VarDecl:
		return c.dDecl(s)
	case *ast.IfStmt:
		if !isScalar(c.info.Types[s.Cond]) {
			return nil, false
		}
		if f, ok := c.dBest(s); ok {
			return f, true
		}
		cond := c.dTruth(s.Cond)
		then := c.stmt(s.Then)
		var els stmtFn
		if s.Else != nil {
			els = c.stmt(s.Else)
		}
		switch {
		case then == nil && els == nil:
			return func(e *env) ctrl { cond(e); return next }, true
		case els == nil:
			return func(e *env) ctrl {
				if cond(e) {
					return then(e)
				}
				return next
			}, true
		case then == nil:
			return func(e *env) ctrl {
				if !cond(e) {
					return els(e)
				}
				return next
			}, true
		}
		return func(e *env) ctrl {
			if cond(e) {
				return then(e)
			}
			return els(e)
		}, true
	}
	return nil, false
}

// isScalar reports whether t is an int or a real.
func isScalar(t types.Type) bool { return t == types.IntT || t == types.RealT }

// dTarget is a scalar variable or element that an assignment writes or
// an expression reads.
type dTarget struct {
	k     int // the variable's global slot
	isInt bool
	el    *dElem // nil for a scalar variable
}

// dLvalue resolves an assignment's left side when it is a scalar
// variable, or an element of a container variable at single indices.
func (c *compiler) dLvalue(lhs ast.Expr, pos token.Position) (dTarget, bool) {
	switch x := lhs.(type) {
	case *ast.Ident:
		v := c.info.Uses[x]
		ref, ok := c.slots[v]
		if v == nil || !ok || ref.frame || !isScalar(v.Type) {
			return dTarget{}, false
		}
		return dTarget{k: ref.idx, isInt: v.Type == types.IntT}, true
	case *ast.IndexExpr:
		return c.dElemAt(x, pos)
	}
	return dTarget{}, false
}

// dElemAt describes x[i, ...] when it is a scalar element of a global
// container variable, its indices failing at pos.
func (c *compiler) dElemAt(x *ast.IndexExpr, pos token.Position) (dTarget, bool) {
	id, ok := x.X.(*ast.Ident)
	if !ok {
		return dTarget{}, false
	}
	v := c.info.Uses[id]
	ref, ok := c.slots[v]
	if v == nil || !ok || ref.frame {
		return dTarget{}, false
	}
	el := c.dElemOf(ref, v.Type, x.Indices, pos)
	if el == nil {
		return dTarget{}, false
	}
	return dTarget{k: ref.idx, isInt: el.isInt, el: el}, true
}

// dAssign compiles x = y, x op= y for a scalar x (a variable or an
// element) and a scalar y.
func (c *compiler) dAssign(s *ast.AssignStmt) (stmtFn, bool) {
	rt := c.info.Types[s.RHS]
	if !isScalar(rt) {
		return nil, false
	}
	pos := c.pos(s.OpPos)
	tg, ok := c.dLvalue(s.LHS, pos)
	if !ok {
		return nil, false
	}
	return c.dStore(tg, c.assignedValue(s)), true
}

// dStore assigns the scalar rhs to the target: the element's indices
// are evaluated and checked before the value, as the general path does.
func (c *compiler) dStore(tg dTarget, rhs ast.Expr) stmtFn {
	k, two := tg.k, (*dTwo)(nil)
	if tg.el != nil {
		two = tg.el.two
	}
	if tg.isInt {
		f := c.dInt(rhs)
		switch {
		case tg.el == nil:
			return func(e *env) ctrl { e.globals[k].I[0] = f(e); return next }
		case two != nil:
			return func(e *env) ctrl {
				v := &e.globals[k]
				o := two.at(e, v)
				if o < 0 {
					two.fail(e, v)
				}
				v.I[o] = f(e)
				return next
			}
		}
		el := tg.el
		return func(e *env) ctrl {
			v := &e.globals[k]
			o := el.offset(e, v)
			v.I[o] = f(e)
			return next
		}
	}
	f := c.dReal(rhs)
	switch {
	case tg.el == nil:
		return func(e *env) ctrl { e.globals[k].R[0] = ad.Var{Val: f(e)}; return next }
	case two != nil:
		return func(e *env) ctrl {
			v := &e.globals[k]
			o := two.at(e, v)
			if o < 0 {
				two.fail(e, v)
			}
			v.R[o] = ad.Var{Val: f(e)}
			return next
		}
	}
	el := tg.el
	return func(e *env) ctrl {
		v := &e.globals[k]
		o := el.offset(e, v)
		v.R[o] = ad.Var{Val: f(e)}
		return next
	}
}

// dDecl compiles the declaration of a local int or real scalar: NaN (or
// the smallest int) until its initial value is assigned.
func (c *compiler) dDecl(d *ast.VarDecl) (stmtFn, bool) { return c.dDeclInit(d, d.Init) }

// dDeclInit compiles the declaration d with the initial value init (nil
// for none).
func (c *compiler) dDeclInit(d *ast.VarDecl, init ast.Expr) (stmtFn, bool) {
	if d.Type.IsTuple() {
		return nil, false
	}
	v := c.info.Uses[d.Name]
	if v == nil || !isScalar(v.Type) {
		return nil, false
	}
	ref := c.declareLocal(v)
	if ref.frame {
		return nil, false
	}
	k, isInt := ref.idx, v.Type == types.IntT
	if init != nil && !isScalar(c.info.Types[init]) {
		return nil, false
	}
	// The value is NaN (or the smallest int) while its initial value is
	// evaluated, which may read it. One closure serves both storages;
	// isInt is fixed per declaration, so its branch is well predicted.
	var fi dint
	var fr dreal
	switch {
	case init != nil && isInt:
		fi = c.dInt(init)
	case init != nil:
		fr = c.dReal(init)
	}
	return func(e *env) ctrl {
		lv := &e.globals[k]
		if isInt {
			if len(lv.I) != 1 || lv.R != nil || len(lv.Dims) != 0 {
				lv.shape(nil, true)
			}
			lv.I[0] = minInt32
			if fi != nil {
				lv.I[0] = fi(e)
			}
		} else {
			if len(lv.R) != 1 || lv.I != nil || len(lv.Dims) != 0 {
				lv.shape(nil, false)
			}
			lv.R[0] = nan
			if fr != nil {
				lv.R[0] = ad.Var{Val: fr(e)}
			}
		}
		return next
	}, true
}

// minInt32 is an unassigned int's value, as fillNaN writes it.
const minInt32 = -1 << 31

// dIdx is a single index: f; or a, an affine form (leaf.go); or, when
// both are nil, the global int scalar in slot k plus c (a loop variable,
// t - 1), or c alone when k < 0.
type dIdx struct {
	f dint
	a *affine
	k int
	c int
}

// simple reports whether the index is a global int scalar plus c.
func (ix *dIdx) simple() bool { return ix.f == nil && ix.a == nil && ix.k >= 0 }

func (ix *dIdx) eval(e *env) int {
	switch {
	case ix.f != nil:
		return ix.f(e)
	case ix.a != nil:
		return ix.a.eval(e)
	case ix.k < 0:
		return ix.c
	}
	return e.ints[ix.k] + ix.c
}

// dElem is an element of a container variable at single indices, one
// per array dimension and per vector or matrix dimension.
type dElem struct {
	idx   []dIdx
	arr   int  // array dimensions
	inner int  // 0, 1 (vector) or 2 (matrix) dimensions after them
	isInt bool // an int array's element
	pos   token.Position
	// two is set for two simple indices (x[t - 1, j]).
	two *dTwo
}

// dElemOf describes the element the indices select in the variable of
// slot ref and type vt, or returns nil when they select a container (or
// a complex element).
func (c *compiler) dElemOf(ref varRef, vt types.Type, list []ast.Expr, pos token.Position) *dElem {
	if vt.Kind != types.Int && vt.Kind != types.Real && innerDims(vt) == 0 || isComplex(vt.Kind) || vt.Kind == types.Tuple {
		return nil
	}
	inner := innerDims(vt)
	if len(list) != vt.Dims+inner || len(list) == 0 {
		return nil
	}
	for _, x := range list {
		if _, ok := x.(*ast.SliceExpr); ok || c.info.Types[x] != types.IntT {
			return nil
		}
	}
	el := &dElem{arr: vt.Dims, inner: inner, isInt: vt.Kind == types.Int, pos: pos}
	for _, x := range list {
		el.idx = append(el.idx, c.dIndex(x))
	}
	if len(el.idx) == 2 && el.idx[0].simple() && el.idx[1].simple() {
		el.two = newTwo(el.idx[0], el.idx[1], inner == 2, &el.pos)
	}
	return el
}

// dTwo is the offset of x[i, j] for two simple indices, computed inline
// by its callers: row-major over an array's dimensions or an array of
// vectors, column-major in a matrix. at is small enough for the Go
// compiler to inline, which saves a call per element read or written.
type dTwo struct {
	// a and b are the slots and constants (less 1) of the major and the
	// minor index: i and j row-major, j and i column-major; the major
	// index is checked against Dims[da] and multiplies Dims[1-da].
	ka, ca, kb, cb int
	da             int
	pos            *token.Position
}

func newTwo(i, j dIdx, colMajor bool, pos *token.Position) *dTwo {
	if colMajor {
		return &dTwo{ka: j.k, ca: j.c - 1, kb: i.k, cb: i.c - 1, da: 1, pos: pos}
	}
	return &dTwo{ka: i.k, ca: i.c - 1, kb: j.k, cb: j.c - 1, pos: pos}
}

// at is the element's offset in v, or -1 when an index is out of range
// (fail reports which).
func (d *dTwo) at(e *env, v *value) int {
	a, b := e.ints[d.ka]+d.ca, e.ints[d.kb]+d.cb
	if uint(a) >= uint(v.Dims[d.da]) || uint(b) >= uint(v.Dims[1-d.da]) {
		return -1
	}
	return a*v.Dims[1-d.da] + b
}

// fail reports the first index out of range, the row's before the
// column's.
func (d *dTwo) fail(e *env, v *value) {
	i, j := e.ints[d.ka]+d.ca+1, e.ints[d.kb]+d.cb+1
	if d.da == 1 {
		i, j = j, i
	}
	if uint(i-1) >= uint(v.Dims[0]) {
		indexFail(*d.pos, i, v.Dims[0])
	}
	indexFail(*d.pos, j, v.Dims[1])
}

// offset is the element's storage offset in v, checking each index in
// order: the array's row-major, then the vector's or the matrix's
// column-major.
func (el *dElem) offset(e *env, v *value) int {
	if len(el.idx) == 1 {
		n := len(v.R) + len(v.I)
		i := el.idx[0].eval(e)
		if uint(i-1) >= uint(n) {
			indexFail(el.pos, i, n)
		}
		return i - 1
	}
	o := 0
	for k := 0; k < el.arr; k++ {
		i := el.idx[k].eval(e)
		if uint(i-1) >= uint(v.Dims[k]) {
			indexFail(el.pos, i, v.Dims[k])
		}
		o = o*v.Dims[k] + i - 1
	}
	if el.inner == 0 {
		return o
	}
	rows := v.Dims[el.arr]
	i := el.idx[el.arr].eval(e)
	if uint(i-1) >= uint(rows) {
		indexFail(el.pos, i, rows)
	}
	if el.inner == 1 {
		return o*rows + i - 1
	}
	cols := v.Dims[el.arr+1]
	j := el.idx[el.arr+1].eval(e)
	if uint(j-1) >= uint(cols) {
		indexFail(el.pos, j, cols)
	}
	return o*rows*cols + i - 1 + (j-1)*rows
}

// dIndex compiles a single index, inline when it is affine in global
// int scalars.
func (c *compiler) dIndex(x ast.Expr) dIdx {
	a := c.dAff(x)
	switch {
	case a == nil:
		return dIdx{f: c.dInt(x)}
	case a.in == nil && a.n == 0:
		return dIdx{k: -1, c: a.c}
	case a.in == nil && a.n == 1 && a.s[0] == 1:
		return dIdx{k: a.vs[0].idx, c: a.c}
	}
	return dIdx{a: a}
}

// dAff describes an int expression as an affine form of at most two
// global int scalars, or such a form's element of a global 1-D int
// array (leaf.go), or returns nil.
func (c *compiler) dAff(x ast.Expr) *affine {
	switch x := unparen(x).(type) {
	case *ast.BasicLit:
		if n, ok := intLit(x); ok {
			return &affine{c: n}
		}
	case *ast.Ident:
		if k, ok := c.globalInt(x); ok {
			return &affine{n: 1, s: [2]int{1}, vs: [2]varRef{{idx: k}}}
		}
	case *ast.BinaryExpr:
		if (x.Op == token.ADD || x.Op == token.SUB) && c.info.Types[x.X] == types.IntT && c.info.Types[x.Y] == types.IntT {
			sign := 1
			if x.Op == token.SUB {
				sign = -1
			}
			return addAffine(c.dAff(x.X), c.dAff(x.Y), sign)
		}
	case *ast.IndexExpr:
		id, ok := x.X.(*ast.Ident)
		if !ok || len(x.Indices) != 1 || c.info.Types[x] != types.IntT {
			return nil
		}
		v := c.info.Uses[id]
		ref, ok := c.slots[v]
		if v == nil || !ok || ref.frame || v.Type.Kind != types.Int || v.Type.Dims != 1 {
			return nil
		}
		a := c.dAff(x.Indices[0])
		if a == nil || a.in != nil {
			return nil
		}
		r := *a
		r.in, r.pos = &ref, c.pos(x.Lbrack)
		return &r
	}
	return nil
}

// intLit is the value of an int literal.
func intLit(x ast.Expr) (int, bool) {
	l, ok := x.(*ast.BasicLit)
	if !ok || l.Kind != token.INT {
		return 0, false
	}
	n, err := strconv.Atoi(l.Value)
	return n, err == nil
}

// globalInt is the slot of a global int scalar variable x reads.
func (c *compiler) globalInt(x ast.Expr) (int, bool) {
	id, ok := x.(*ast.Ident)
	if !ok || c.info.Types[x] != types.IntT {
		return 0, false
	}
	ref, ok := c.slots[c.info.Uses[id]]
	if !ok || ref.frame {
		return 0, false
	}
	return ref.idx, true
}

// dTruth compiles a scalar condition: nonzero is true.
func (c *compiler) dTruth(x ast.Expr) func(*env) bool {
	if c.info.Types[x] == types.IntT {
		if b, ok := unparen(x).(*ast.BinaryExpr); ok {
			if f := c.dCompare(b); f != nil {
				return f
			}
		}
		f := c.dInt(x)
		return func(e *env) bool { return f(e) != 0 }
	}
	f := c.dReal(x)
	return func(e *env) bool { return f(e) != 0 }
}

// dCompare compiles a comparison, or a logical operator, to a bool, or
// returns nil.
func (c *compiler) dCompare(b *ast.BinaryExpr) func(*env) bool {
	ta, tb := c.info.Types[b.X], c.info.Types[b.Y]
	if !isScalar(ta) || !isScalar(tb) {
		return nil
	}
	switch b.Op {
	case token.LAND:
		fa, fb := c.dTruth(b.X), c.dTruth(b.Y)
		return func(e *env) bool { return fa(e) && fb(e) }
	case token.LOR:
		fa, fb := c.dTruth(b.X), c.dTruth(b.Y)
		return func(e *env) bool { return fa(e) || fb(e) }
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
	default:
		return nil
	}
	if ta == types.IntT && tb == types.IntT {
		return dCompare(b.Op, c.dInt(b.X), c.dInt(b.Y))
	}
	return dCompare(b.Op, c.dReal(b.X), c.dReal(b.Y))
}

// dCompare is the comparison op (==, !=, <, <=, >, >=) of two int or two
// real closures.
func dCompare[T int | float64](op token.Kind, fa, fb func(*env) T) func(*env) bool {
	switch op {
	case token.EQL:
		return func(e *env) bool { return fa(e) == fb(e) }
	case token.NEQ:
		return func(e *env) bool { return fa(e) != fb(e) }
	case token.LSS:
		return func(e *env) bool { return fa(e) < fb(e) }
	case token.LEQ:
		return func(e *env) bool { return fa(e) <= fb(e) }
	case token.GTR:
		return func(e *env) bool { return fa(e) > fb(e) }
	}
	return func(e *env) bool { return fa(e) >= fb(e) }
}

// dInt compiles an int scalar expression.
func (c *compiler) dInt(x ast.Expr) dint {
	if a := c.dAff(x); a != nil && (a.in != nil || a.n > 0) {
		if a.in == nil && a.n == 1 && a.s[0] == 1 && a.c == 0 {
			k := a.vs[0].idx
			return func(e *env) int { return e.ints[k] }
		}
		return a.eval
	}
	switch x := x.(type) {
	case *ast.ParenExpr:
		return c.dInt(x.X)
	case *ast.BasicLit:
		if n, ok := intLit(x); ok {
			return func(*env) int { return n }
		}
	case *ast.Ident:
		if k, ok := c.globalInt(x); ok {
			return func(e *env) int { return e.ints[k] }
		}
	case *ast.IndexExpr:
		if el, ok := c.dElemAt(x, c.pos(x.Lbrack)); ok && el.isInt {
			k := el.k
			if el.el.two != nil {
				two := el.el.two
				return func(e *env) int {
					v := &e.globals[k]
					o := two.at(e, v)
					if o < 0 {
						two.fail(e, v)
					}
					return v.I[o]
				}
			}
			d := el.el
			return func(e *env) int { v := &e.globals[k]; return v.I[d.offset(e, v)] }
		}
	case *ast.UnaryExpr:
		if c.info.Types[x.X] == types.IntT {
			f := c.dInt(x.X)
			switch x.Op {
			case token.ADD:
				return f
			case token.SUB:
				return func(e *env) int { return -f(e) }
			case token.NOT:
				return func(e *env) int { return b2i(f(e) == 0) }
			}
		}
	case *ast.BinaryExpr:
		if f := c.dCompare(x); f != nil {
			return func(e *env) int { return b2i(f(e)) }
		}
		if c.info.Types[x.X] == types.IntT && c.info.Types[x.Y] == types.IntT {
			if f := c.dIntArith(x); f != nil {
				return f
			}
		}
	}
	f := c.expr(x).i
	if f == nil {
		return func(*env) int { return 0 } // the general path reported the error
	}
	return f
}

// dIntArith compiles int arithmetic, or returns nil.
func (c *compiler) dIntArith(x *ast.BinaryExpr) dint {
	fa := c.dInt(x.X)
	pos := c.pos(x.OpPos)
	if n, ok := intLit(unparen(x.Y)); ok && (x.Op == token.ADD || x.Op == token.SUB) {
		if x.Op == token.SUB {
			n = -n
		}
		return func(e *env) int { return fa(e) + n }
	}
	fb := c.dInt(x.Y)
	switch x.Op {
	case token.ADD:
		return func(e *env) int { return fa(e) + fb(e) }
	case token.SUB:
		return func(e *env) int { return fa(e) - fb(e) }
	case token.MUL, token.ELTMUL:
		return func(e *env) int { return fa(e) * fb(e) }
	case token.QUO, token.IDIV, token.ELTDIV:
		return func(e *env) int {
			d := fb(e)
			if d == 0 {
				fail(pos, "integer division by zero")
			}
			return fa(e) / d
		}
	case token.REM:
		return func(e *env) int {
			d := fb(e)
			if d == 0 {
				fail(pos, "modulus by zero")
			}
			return fa(e) % d
		}
	}
	return nil
}

// dReal compiles a real (or int, promoted) scalar expression.
func (c *compiler) dReal(x ast.Expr) dreal {
	t := c.info.Types[x]
	if t == types.IntT {
		f := c.dInt(x)
		return func(e *env) float64 { return float64(f(e)) }
	}
	switch x := x.(type) {
	case *ast.ParenExpr:
		return c.dReal(x.X)
	case *ast.BasicLit:
		if x.Kind == token.REAL {
			v, _ := strconv.ParseFloat(x.Value, 64)
			return func(*env) float64 { return v }
		}
	case *ast.Ident:
		if ref, ok := c.slots[c.info.Uses[x]]; ok && !ref.frame && t == types.RealT {
			k := ref.idx
			return func(e *env) float64 { return e.globals[k].R[0].Val }
		}
	case *ast.IndexExpr:
		if el, ok := c.dElemAt(x, c.pos(x.Lbrack)); ok && !el.isInt {
			k := el.k
			d := el.el
			switch {
			case d.two != nil:
				two := d.two
				return func(e *env) float64 {
					v := &e.globals[k]
					o := two.at(e, v)
					if o < 0 {
						two.fail(e, v)
					}
					return v.R[o].Val
				}
			case len(d.idx) == 1 && d.idx[0].simple():
				ki, ci, pos := d.idx[0].k, d.idx[0].c-1, d.pos
				return func(e *env) float64 {
					x, i := e.globals[k].R, e.ints[ki]+ci
					if uint(i) >= uint(len(x)) {
						indexFail(pos, i+1, len(x))
					}
					return x[i].Val
				}
			}
			return func(e *env) float64 { v := &e.globals[k]; return v.R[d.offset(e, v)].Val }
		}
	case *ast.UnaryExpr:
		if x.Op == token.SUB && t == types.RealT {
			f := c.dReal(x.X)
			return func(e *env) float64 { return -f(e) }
		}
		if x.Op == token.ADD && t == types.RealT {
			return c.dReal(x.X)
		}
	case *ast.BinaryExpr:
		if t == types.RealT && isScalar(c.info.Types[x.X]) && isScalar(c.info.Types[x.Y]) {
			if f := c.dRealArith(x); f != nil {
				return f
			}
		}
	case *ast.CallExpr:
		if f := c.dCall(x); f != nil {
			return f
		}
	case *ast.CondExpr:
		if t == types.RealT && isScalar(c.info.Types[x.Cond]) {
			cond, a, b := c.dTruth(x.Cond), c.dReal(x.Then), c.dReal(x.Else)
			return func(e *env) float64 {
				if cond(e) {
					return a(e)
				}
				return b(e)
			}
		}
	}
	g := c.expr(x)
	if g.r == nil && g.i == nil {
		return func(*env) float64 { return 0 } // the general path reported the error
	}
	f := g.real()
	return func(e *env) float64 { return f(e).Val }
}

// dRealArith compiles + - * / of real scalars, or returns nil.
func (c *compiler) dRealArith(x *ast.BinaryExpr) dreal {
	switch x.Op {
	case token.ADD, token.SUB, token.MUL, token.ELTMUL, token.QUO, token.ELTDIV:
	default:
		return nil
	}
	if f := c.dSum(x); f != nil {
		return f
	}
	fa, fb := c.dReal(x.X), c.dReal(x.Y)
	switch x.Op {
	case token.ADD:
		return func(e *env) float64 { return fa(e) + fb(e) }
	case token.SUB:
		return func(e *env) float64 { return fa(e) - fb(e) }
	case token.MUL, token.ELTMUL:
		return func(e *env) float64 { return fa(e) * fb(e) }
	}
	return func(e *env) float64 { return fa(e) / fb(e) }
}

// dCall compiles a library call of scalar arguments that returns a real,
// or returns nil for the general path: the constants, the functions of
// one or two reals (funcs.go's scalarUnary and scalarBinary, pow aside,
// which x^2 turns into a square), the densities of scalars (the value of
// the general path's function) and the rngs of univariate families. A
// call that a loop does not change is hoisted as the general path hoists
// it (hoist.go, indexhoist.go).
func (c *compiler) dCall(x *ast.CallExpr) dreal {
	call := c.info.Calls[x]
	if call == nil || call.User != nil || call.FuncArg != nil || call.Laplace != nil || c.info.Types[x] != types.RealT {
		return nil
	}
	for _, a := range x.Args {
		if !isScalar(c.info.Types[a]) {
			return nil
		}
	}
	pos := c.pos(x.Pos())
	var f dreal
	switch form := call.Dist.Form; {
	case form == types.Rng:
		return c.dRng(x, call.Dist.Family, pos)
	case form == types.Density:
		f = c.dDensity(x, call.Dist.Family, pos)
	case form != types.NoDist:
		return nil
	case len(x.Args) == 0:
		v, ok := realConsts[call.Name]
		if !ok {
			return nil
		}
		return func(*env) float64 { return v }
	case len(x.Args) == 1 && call.Name == "log":
		a := c.dReal(x.Args[0])
		f = func(e *env) float64 { return math.Log(a(e)) } // ad.Tape.Log's value
	case len(x.Args) == 1 && call.Name == "exp":
		a := c.dReal(x.Args[0])
		f = func(e *env) float64 { return math.Exp(a(e)) } // ad.Tape.Exp's value
	case len(x.Args) == 1 && scalarUnary[call.Name] != nil:
		g, a := scalarUnary[call.Name], c.dReal(x.Args[0])
		f = func(e *env) float64 { return g(e.t, ad.Var{Val: a(e)}).Val }
	case len(x.Args) == 2 && scalarBinary[call.Name] != nil && call.Name != "pow":
		g, a, b := scalarBinary[call.Name], c.dReal(x.Args[0]), c.dReal(x.Args[1])
		f = func(e *env) float64 { return g(e.t, ad.Var{Val: a(e)}, ad.Var{Val: b(e)}).Val }
	}
	if f == nil {
		return nil
	}
	return c.dHoisted(x, f)
}

// dHoisted computes f once per run of the innermost loop when the loop
// does not change x, or once per values of the inner loops' variables
// during a run of an outer loop (indexhoist.go), as the general path
// does.
func (c *compiler) dHoisted(x *ast.CallExpr, f dreal) dreal {
	if len(c.loops) == 0 {
		return f
	}
	if fr := c.loops[len(c.loops)-1]; fr.hoists && c.invariant(x, fr) {
		return loopOnce(c, fr, f)
	}
	if outer, refs, nk := c.indexHoist(x); outer != nil {
		return indexMemoized(c, outer, refs, nk, f)
	}
	return f
}

// dDensity is f_lpdf of scalars: exponential as scalarExponential
// computes it, normal as dist.NormalLpdf does for one element, each
// with the logarithms of its last scales remembered (logMemo);
// another univariate family by its Term; nil for the rest.
func (c *compiler) dDensity(x *ast.CallExpr, family string, pos token.Position) dreal {
	d, ok := stdlib().densities[family]
	if !ok || d.build != nil {
		return nil
	}
	args := make([]dreal, len(x.Args))
	for i, a := range x.Args {
		args[i] = c.dReal(a)
	}
	switch {
	case family == "normal" && len(args) == 3:
		fy, fm, fs := args[0], args[1], args[2]
		memo := newState(c, func() *logMemo { return &logMemo{} })
		return func(e *env) float64 {
			y, mu, s := fy(e), fm(e), fs(e)
			if !(s > 0 && s <= math.MaxFloat64) || y != y || mu-mu != 0 {
				_, err := dist.NormalLpdf(e.t, false, []ad.Var{{Val: y}}, []ad.Var{{Val: mu}}, []ad.Var{{Val: s}})
				panic(&evalError{pos: pos, err: err})
			}
			z := (y - mu) * (1 / s)
			lp := -0.5 * (z * z)
			lp -= memo.of(e).log(s)
			return lp - mathx.HalfLog2Pi
		}
	case d.uni == dist.Exponential && len(args) == 2:
		fy, fb := args[0], args[1]
		logs := newState(c, func() *logMemo { return &logMemo{} })
		return func(e *env) float64 {
			y, b := fy(e), fb(e)
			if !(y >= 0) || !(b > 0 && b <= math.MaxFloat64) {
				_, err := dist.Exponential.Scalar(e.t, false, [4]ad.Var{{Val: y}, {Val: b}}, 2)
				panic(&evalError{pos: pos, err: err})
			}
			lp := -b * y
			return lp + logs.of(e).log(b)
		}
	case d.uni != nil && len(args) <= 4:
		u, n := d.uni, len(args)
		return func(e *env) float64 {
			var v [4]ad.Var
			for i, f := range args {
				v[i].Val = f(e)
			}
			lp, _, ok, err := u.Term(false, v, n)
			if !ok {
				panic(&evalError{pos: pos, err: err})
			}
			return lp
		}
	}
	return nil
}

// dRng is f_rng of real scalars for a univariate family: dist.NormalRng
// for the normal, as the library draws it, the family's Rng otherwise;
// nil for the rest.
func (c *compiler) dRng(x *ast.CallExpr, family string, pos token.Position) dreal {
	d, ok := stdlib().densities[family]
	if !ok || family != "normal" && (d.uni == nil || d.disc != nil) {
		return nil
	}
	args := make([]dreal, len(x.Args))
	for i, a := range x.Args {
		args[i] = c.dReal(a)
	}
	if family == "normal" {
		if len(args) != 2 {
			return nil
		}
		fm, fs := args[0], args[1]
		return func(e *env) float64 {
			mu, s := fm(e), fs(e)
			v, err := dist.NormalRng(e.rng, mu, s)
			if err != nil {
				panic(&evalError{pos: pos, err: err})
			}
			return v
		}
	}
	u := d.uni
	work := newState(c, func() *[]float64 { p := make([]float64, len(args)); return &p })
	return func(e *env) float64 {
		p := *work.of(e)
		for i, f := range args {
			p[i] = f(e)
		}
		v, err := u.Rng(e.rng, p...)
		if err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		return v
	}
}

// dSum compiles a chain a ± b ± c ± d of three or four real terms (a
// sum's left spine, as the parser builds it) in one closure: the terms
// are evaluated and added from the left, as the nested operators do.
// It returns nil for other expressions.
func (c *compiler) dSum(x *ast.BinaryExpr) dreal {
	var terms []ast.Expr
	var neg []bool
	cur := ast.Expr(x)
	for len(terms) < 3 {
		b, ok := unparen(cur).(*ast.BinaryExpr)
		if !ok || b.Op != token.ADD && b.Op != token.SUB || c.info.Types[b] != types.RealT ||
			!isScalar(c.info.Types[b.X]) || !isScalar(c.info.Types[b.Y]) {
			break
		}
		terms, neg = append(terms, b.Y), append(neg, b.Op == token.SUB)
		cur = b.X
	}
	if len(terms) < 2 {
		return nil
	}
	f0 := c.dReal(cur)
	fs := make([]dreal, len(terms))
	for i := range terms {
		fs[i] = c.dReal(terms[len(terms)-1-i])
	}
	sign := func(i int) float64 {
		if neg[len(neg)-1-i] {
			return -1
		}
		return 1
	}
	allAdd := true
	for _, n := range neg {
		allAdd = allAdd && !n
	}
	if len(fs) == 3 && allAdd {
		f1, f2, f3 := fs[0], fs[1], fs[2]
		return func(e *env) float64 {
			s := f0(e) + f1(e)
			s += f2(e)
			return s + f3(e)
		}
	}
	// a - b is a + (-1)·b exactly: the product only flips the sign.
	s1 := sign(0)
	if len(fs) == 2 {
		f1, f2, s2 := fs[0], fs[1], sign(1)
		return func(e *env) float64 {
			s := f0(e) + s1*f1(e)
			return s + s2*f2(e)
		}
	}
	f1, f2, f3, s2, s3 := fs[0], fs[1], fs[2], sign(1), sign(2)
	return func(e *env) float64 {
		s := f0(e) + s1*f1(e)
		s += s2 * f2(e)
		return s + s3*f3(e)
	}
}

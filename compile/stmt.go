package compile

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

var nan = ad.Const(math.NaN())

// ctrl says how a statement ended.
type ctrl int

const (
	next ctrl = iota
	brk
	cont
	ret
)

type stmtFn func(*env) ctrl

func (c *compiler) stmts(list []ast.Stmt) stmtFn {
	fs := c.stmtFns(list)
	switch len(fs) {
	case 0:
		return func(*env) ctrl { return next }
	case 1:
		return fs[0]
	}
	return func(e *env) ctrl {
		for _, f := range fs {
			if r := f(e); r != next {
				return r
			}
		}
		return next
	}
}

// stmtFns compiles a list of statements, leaving out those that do
// nothing.
func (c *compiler) stmtFns(list []ast.Stmt) []stmtFn {
	fs := make([]stmtFn, 0, len(list))
	for i := 0; i < len(list); i++ {
		if i+1 < len(list) {
			f := c.fusedLSE(list[i], list[i+1])
			if f == nil {
				f = c.dDeclAssign(list[i], list[i+1])
			}
			if f != nil {
				fs = append(fs, f)
				i++
				continue
			}
		}
		if f := c.stmt(list[i]); f != nil {
			fs = append(fs, f)
		}
	}
	return fs
}

func (c *compiler) stmt(s ast.Stmt) stmtFn {
	if c.inDouble() {
		if f, ok := c.dStmt(s); ok {
			return f
		}
	}
	switch s := s.(type) {
	case *ast.VarDecl:
		return c.localDecl(s)
	case *ast.AssignStmt:
		return c.assign(s)
	case *ast.TildeStmt:
		if f, ok := c.genStmt(s); ok {
			return f
		}
		return c.tilde(s)
	case *ast.TargetStmt:
		if f, ok := c.genStmt(s); ok {
			return f
		}
		pos := c.pos(s.Pos())
		if f := c.deferredTarget(s.X, pos); f != nil {
			return f
		}
		x := c.expr(s.X)
		if !c.addable(x.t, s.X, "target +=") {
			return nil
		}
		if x.v == nil {
			f := x.real()
			return func(e *env) ctrl { e.addTarget(&pos, f(e)); return next }
		}
		f := x.val(true)
		return func(e *env) ctrl {
			e.addTarget(&pos, e.t.Sum(f(e).R))
			return next
		}
	case *ast.JacobianStmt:
		if a := c.info.JacobianAssigns[s]; a != nil {
			return c.assign(a)
		}
		return c.jacobianStmt(s)
	case *ast.ExprStmt:
		x := c.call(s.Call, types.VoidT)
		switch {
		case x.v != nil:
			f := x.v
			return func(e *env) ctrl { f(e); return next }
		case x.r != nil:
			f := x.r
			return func(e *env) ctrl { f(e); return next }
		case x.i != nil:
			f := x.i
			return func(e *env) ctrl { f(e); return next }
		}
		return nil
	case *ast.BlockStmt:
		return c.stmts(s.List)
	case *ast.ProfileStmt:
		return c.profileStmt(s)
	case *ast.EmptyStmt:
		return nil
	case *ast.IfStmt:
		cond := c.truth(s.Cond)
		then := c.stmt(s.Then)
		var els stmtFn
		if s.Else != nil {
			els = c.stmt(s.Else)
		}
		if then == nil {
			then = func(*env) ctrl { return next }
		}
		return func(e *env) ctrl {
			if cond(e) {
				return then(e)
			}
			if els != nil {
				return els(e)
			}
			return next
		}
	case *ast.WhileStmt:
		cond := c.truth(s.Cond)
		return c.deferringLoop(func() stmtFn {
			c.enterLoop(nil, s.Body, false)
			body := c.stmt(s.Body)
			c.leaveLoop()
			return func(e *env) ctrl {
				for cond(e) {
					if r, done := iteration(e, body); done {
						return r
					}
				}
				return next
			}
		})
	case *ast.ForStmt:
		f := c.deferringLoop(func() stmtFn { return c.forLoop(s) })
		if a := c.affineLoop(s, f); a != nil {
			return a
		}
		if h := c.forwardLoop(s, f); h != nil {
			return h
		}
		return f
	case *ast.ForeachStmt:
		return c.deferringLoop(func() stmtFn {
			c.enterLoop(nil, s.Body, false)
			defer c.leaveLoop()
			return c.foreach(s)
		})
	case *ast.BranchStmt:
		if s.Tok == "break" {
			return func(*env) ctrl { return brk }
		}
		return func(*env) ctrl { return cont }
	case *ast.ReturnStmt:
		if s.X == nil {
			return func(*env) ctrl { return ret }
		}
		x := c.expr(s.X)
		rt := c.fn.sig.Ret
		switch {
		case rt == types.IntT:
			f := x.i
			return func(e *env) ctrl { e.retI = f(e); return ret }
		case rt == types.RealT:
			f := x.real()
			return func(e *env) ctrl { e.retR = f(e); return ret }
		case rt == types.ComplexT:
			f := x.cplx()
			buf := c.buf()
			return func(e *env) ctrl {
				z, b := f(e), buf.of(e)
				b.shapeComplex(nil)
				b.R[0], b.R[1] = z.re, z.im
				e.retV = b
				return ret
			}
		case isComplex(rt.Kind):
			f := x.cval(c)
			return func(e *env) ctrl { e.retV = f(e); return ret }
		case rt.Kind == types.Tuple:
			f := c.converted(x, rt)
			return func(e *env) ctrl { e.retV = f(e); return ret }
		}
		f := x.val(rt.Kind != types.Int)
		return func(e *env) ctrl { e.retV = f(e); return ret }
	case *ast.PrintStmt:
		return c.print(s)
	}
	// Only a function definition is left, which the parser accepts only
	// in the functions (or networks) block.
	c.errorf(s.Pos(), "a function can only be defined in the functions block")
	return nil
}

// iteration runs one pass of a loop body and reports whether the loop
// ends, and how: break ends it normally, return ends the function.
func iteration(e *env, body stmtFn) (ctrl, bool) {
	if body == nil {
		return next, false
	}
	switch body(e) {
	case brk:
		return next, true
	case ret:
		return ret, true
	}
	return next, false
}

func (c *compiler) forLoop(s *ast.ForStmt) stmtFn {
	lo, hi := c.expr(s.Lo).i, c.expr(s.Hi).i
	ref := c.declareLocal(c.info.Uses[s.Var])
	fr := c.enterLoop(s.Var, s.Body, true)
	defer c.leaveLoop()
	if f := c.dotLoop(s, lo, hi, ref); f != nil {
		return startLoop(fr, f)
	}
	if ref.frame {
		get := ref.getter()
		body := c.stmt(s.Body)
		return startLoop(fr, func(e *env) ctrl {
			v := get(e)
			v.shapeIntScalar()
			end := hi(e)
			for i := lo(e); i <= end; i++ {
				v.I[0] = i
				if r, done := iteration(e, body); done {
					return r
				}
			}
			return next
		})
	}
	// A loop outside functions reads its bounds and runs the statements
	// of its body without a call for each when it can: most loops run
	// few iterations (over an HMM's states) of short bodies.
	k, blo, bhi := ref.idx, c.loopBound(s.Lo, lo), c.loopBound(s.Hi, hi)
	var body []stmtFn
	if b, ok := s.Body.(*ast.BlockStmt); ok {
		body = c.stmtFns(b.List)
	} else if f := c.stmt(s.Body); f != nil {
		body = []stmtFn{f}
	}
	return startLoop(fr, func(e *env) ctrl {
		v := &e.globals[k]
		v.shapeIntScalar()
		end := bhi.eval(e)
	loop:
		for i := blo.eval(e); i <= end; i++ {
			v.I[0] = i
			for _, f := range body {
				switch f(e) {
				case brk:
					return next
				case ret:
					return ret
				case cont:
					continue loop
				}
			}
		}
		return next
	})
}

// loopBound is a for loop's bound: a constant c, a global int scalar in
// slot k plus c, or else f.
type loopBound struct {
	f    func(*env) int
	k, c int
}

// loopBound describes the bound x, whose general closure is f.
func (c *compiler) loopBound(x ast.Expr, f func(*env) int) loopBound {
	if a := c.dAff(x); simpleAff(a) {
		if a.n == 0 {
			return loopBound{k: -1, c: a.c}
		}
		return loopBound{k: a.vs[0].idx, c: a.c}
	}
	return loopBound{f: f}
}

func (b *loopBound) eval(e *env) int {
	switch {
	case b.f != nil:
		return b.f(e)
	case b.k < 0:
		return b.c
	}
	return e.ints[b.k] + b.c
}

func (c *compiler) foreach(s *ast.ForeachStmt) stmtFn {
	x := c.expr(s.X)
	if x.t.Kind == types.Tuple {
		return c.tupleForeach(s, x)
	}
	v := c.info.Uses[s.Var]
	ref := c.declareLocal(v)
	get := ref.getter()
	body := c.stmt(s.Body)
	xt := x.t
	isInt := xt.Kind == types.Int
	w := width(xt) // reals per element: 2 for complex
	return func(e *env) ctrl {
		src := x.v(e)
		// An array loops over its elements; a vector or matrix over its
		// entries in column-major order.
		n := (len(src.R) + len(src.I)) / w
		block := 1
		var elemDims []int
		if xt.Dims > 0 {
			n = src.Dims[0]
			block = size(src.Dims[1:])
			elemDims = src.Dims[1:]
		}
		lv := get(e)
		for k := range n {
			shapeAs(lv, elemDims, v.Type)
			if isInt {
				copy(lv.I, src.I[k*block:(k+1)*block])
			} else {
				copy(lv.R, src.R[k*block*w:(k+1)*block*w])
			}
			if r, done := iteration(e, body); done {
				return r
			}
		}
		return next
	}
}

func (c *compiler) print(s *ast.PrintStmt) stmtFn {
	type part struct {
		lit string
		x   cexpr
	}
	parts := make([]part, len(s.Args))
	for i, a := range s.Args {
		if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			parts[i].lit = strings.Trim(lit.Value, `"`)
			continue
		}
		parts[i].x = c.expr(a)
	}
	pos := c.pos(s.Pos())
	kind := s.Kind
	return func(e *env) ctrl {
		var b strings.Builder
		for _, p := range parts {
			switch {
			case p.x.i != nil:
				b.WriteString(strconv.Itoa(p.x.i(e)))
			case p.x.r != nil:
				b.WriteString(model.FormatReal(p.x.r(e).Val))
			case p.x.z != nil:
				z := p.x.z(e)
				writeComplex(&b, z.re.Val, z.im.Val)
			case p.x.v != nil:
				writeValue(&b, p.x.v(e), p.x.t) // print.go
			default:
				b.WriteString(p.lit)
			}
		}
		if kind == "print" {
			if e.print != nil {
				fmt.Fprintln(e.print, b.String())
			}
			return next
		}
		panic(&evalError{pos: pos, err: errors.New(b.String()), rejected: true})
	}
}

// ---- declarations and assignment ----

// localDecl allocates a local variable at the point of its declaration:
// sized, filled with NaN, then given its initial value.
func (c *compiler) localDecl(d *ast.VarDecl) stmtFn {
	if d.Type.IsTuple() {
		return c.tupleDecl(d)
	}
	v := c.info.Uses[d.Name]
	ref := c.declareLocal(v)
	get := ref.getter()
	dims := c.dimsOf(d.Name.Name, d.Type)
	isInt := v.Type.Kind == types.Int
	var init stmtFn
	if d.Init != nil {
		init = c.assignTo(ref, v.Type, nil, d.Init, c.pos(d.Init.Pos()))
	}
	if v.Type == types.RealT || v.Type == types.IntT {
		// A scalar: no sizes to evaluate.
		return func(e *env) ctrl {
			lv := get(e)
			if isInt && (len(lv.I) != 1 || lv.R != nil) || !isInt && (len(lv.R) != 1 || lv.I != nil) || len(lv.Dims) != 0 {
				lv.shape(nil, isInt)
			}
			if isInt {
				lv.I[0] = math.MinInt32
			} else {
				lv.R[0] = nan
			}
			if init != nil {
				init(e)
			}
			return next
		}
	}
	sizes := zeroState[[]int](c)
	return func(e *env) ctrl {
		buf := sizes.of(e)
		*buf = dims(e, (*buf)[:0])
		lv := get(e)
		shapeAs(lv, *buf, v.Type)
		lv.fillNaN()
		if init != nil {
			init(e)
		}
		return next
	}
}

// MaxElements bounds the elements of one variable (2^28, 2 GiB of
// float64): a size beyond it is a mistake in the program or its data, and
// allocating it would end gostan without a word.
const MaxElements = 1 << 28

// dimsOf compiles a declared type's sizes: array dims, then the vector's
// or matrix's. cholesky_factor_cov[M] is M×M; square types repeat K. A
// negative size, or more than MaxElements elements, fails naming the
// variable.
func (c *compiler) dimsOf(name string, t *ast.Type) func(*env, []int) []int {
	var fs []func(*env) int
	for _, x := range t.ArrayDims {
		fs = append(fs, c.expr(x).i)
	}
	for _, x := range t.Sizes {
		fs = append(fs, c.expr(x).i)
	}
	square := false
	switch t.Base {
	case "cholesky_factor_corr", "corr_matrix", "cov_matrix":
		square = true
	case "cholesky_factor_cov":
		square = len(t.Sizes) == 1
	case "simplex", "unit_vector", "ordered", "positive_ordered":
	}
	pos := c.pos(t.Pos())
	return func(e *env, out []int) []int {
		start := len(out)
		for _, f := range fs {
			n := f(e)
			if n < 0 {
				fail(pos, "size %d is negative: sizes must be >= 0", n)
			}
			out = append(out, n)
		}
		if square {
			out = append(out, out[len(out)-1])
		}
		if err := checkElements(name, out[start:]); err != nil {
			panic(&evalError{pos: pos, err: err})
		}
		return out
	}
}

// addable reports whether a value of type t can be added to the log
// density, reporting the error where it cannot: stanc3 accepts complex
// values and tuples in target += and jacobian +=, but Stan's C++
// accumulator adds only reals and their containers, so such a program
// fails to build in Stan too.
func (c *compiler) addable(t types.Type, x ast.Expr, stmt string) bool {
	if isComplex(t.Kind) || t.Kind == types.Tuple {
		c.errorf(x.Pos(), "%s needs a real, int or container of reals, found %v (stanc3 accepts it; Stan's C++ does not compile it)", stmt, t)
		return false
	}
	return true
}

// jacobianStmt adds jacobian += X's term to the log density when the
// Jacobian is included, and skips X otherwise.
func (c *compiler) jacobianStmt(s *ast.JacobianStmt) stmtFn {
	x := c.expr(s.X)
	pos := c.pos(s.Pos())
	if !c.addable(x.t, s.X, "jacobian +=") {
		return nil
	}
	if x.v == nil {
		f := x.real()
		return func(e *env) ctrl {
			if e.jacobian {
				e.addTarget(&pos, f(e))
			}
			return next
		}
	}
	f := x.val(true)
	return func(e *env) ctrl {
		if e.jacobian {
			e.addTarget(&pos, e.t.Sum(f(e).R))
		}
		return next
	}
}

func (c *compiler) assign(s *ast.AssignStmt) stmtFn {
	if f, ok := c.tupleAssign(s); ok {
		return f
	}
	ref, v, idx, ok := c.lvalue(s.LHS)
	if !ok {
		return nil
	}
	return c.assignTo(ref, v.Type, idx, c.assignedValue(s), c.pos(s.OpPos))
}

// compoundOps are the compound assignments' operators: x op= y is
// x = x op y.
var compoundOps = map[token.Kind]token.Kind{token.ADD_ASSIGN: token.ADD, token.SUB_ASSIGN: token.SUB,
	token.MUL_ASSIGN: token.MUL, token.QUO_ASSIGN: token.QUO,
	token.ELTMUL_ASSIGN: token.ELTMUL, token.ELTDIV_ASSIGN: token.ELTDIV}

// assignedValue is the value s assigns: its right side, or x op y for
// x op= y.
func (c *compiler) assignedValue(s *ast.AssignStmt) ast.Expr {
	if s.Op == token.ASSIGN || s.Op == token.ARROW {
		return s.RHS
	}
	bin := &ast.BinaryExpr{X: s.LHS, OpPos: s.OpPos, Op: compoundOps[s.Op], Y: s.RHS}
	c.info.Types[bin] = c.info.Types[s.LHS]
	return bin
}

// lvalue resolves the variable an assignment (or a guide's draw) writes
// and its indices, nil when it writes the whole variable.
func (c *compiler) lvalue(lhs ast.Expr) (ref varRef, v *check.Var, idx []index, ok bool) {
	root := ast.Root(lhs)
	v = c.info.Uses[root]
	ref, ok = c.slots[v]
	if !ok {
		c.errorf(lhs.Pos(), "variable '%s' cannot be assigned here", root.Name)
		return
	}
	if ix, isIndex := lhs.(*ast.IndexExpr); isIndex {
		// x[i][j] is x[i, j] when the outer indices are single.
		var lists [][]ast.Expr
		for x := ast.Expr(ix); ; {
			n, ok := x.(*ast.IndexExpr)
			if !ok {
				break
			}
			lists = append([][]ast.Expr{n.Indices}, lists...)
			x = n.X
		}
		var flat []ast.Expr
		for k, l := range lists {
			for _, i := range l {
				if k < len(lists)-1 && c.info.Types[i] != types.IntT {
					// The checker rejects these, as Stan has since 2.33.
					c.errorf(i.Pos(), "a multiple index cannot be followed by more brackets on the left of an assignment")
					return ref, v, nil, false
				}
			}
			flat = append(flat, l...)
		}
		idx = c.indices(flat)
	}
	return ref, v, idx, true
}

// assignTo stores the value of rhs into the variable (or the part of it
// that idx selects), copying so that no storage is shared.
func (c *compiler) assignTo(ref varRef, vt types.Type, idx []index, rhs ast.Expr, pos token.Position) stmtFn {
	return c.assignExpr(ref.getter(), &ref, vt, idx, c.expr(rhs), pos)
}

// assignExpr is assignTo of a compiled value into the storage get
// returns: a variable's (ref, whose direct paths it may take), or a tuple
// member's (tuple.go; ref nil).
func (c *compiler) assignExpr(get func(*env) *value, ref *varRef, vt types.Type, idx []index, x cexpr, pos token.Position) stmtFn {
	if isComplex(vt.Kind) {
		return assignComplex(c, get, vt, idx, x, pos)
	}
	isInt := vt.Kind == types.Int
	arrayDims := vt.Dims
	if idx == nil {
		switch {
		case vt == types.IntT:
			f := x.i
			return func(e *env) ctrl { get(e).I[0] = f(e); return next }
		case vt == types.RealT && ref != nil && !ref.frame:
			f, k := x.real(), ref.idx
			return func(e *env) ctrl { e.globals[k].R[0] = f(e); return next }
		case vt == types.RealT:
			f := x.real()
			return func(e *env) ctrl { get(e).R[0] = f(e); return next }
		}
		return assignWhole(get, x.val(!isInt), pos)
	}
	scalar := x.v == nil
	var fi func(*env) int
	var fr func(*env) ad.Var
	var fv func(*env) *value
	switch {
	case scalar && isInt:
		fi = x.i
	case scalar:
		fr = x.real()
	default:
		fv = x.val(!isInt)
	}
	allSingle := true
	for _, ix := range idx {
		allSingle = allSingle && !ix.multi
	}
	if ref != nil && fr != nil && allSingle {
		if l := elemLeaf(cexpr{t: vt, ref: ref}, idx, types.RealT, pos); l != nil {
			// x[i] or x[i, j] = real at affine indices (leaf.go).
			return func(e *env) ctrl {
				p := l.addr(e)
				*p = fr(e)
				return next
			}
		}
	}
	if scalar && allSingle {
		// x[i, j] = scalar: one offset, no enumeration.
		return func(e *env) ctrl {
			dst := get(e)
			o := singleOffset(e, dst, arrayDims, idx, pos)
			if fi != nil {
				dst.I[o] = fi(e)
			} else {
				dst.R[o] = fr(e)
			}
			return next
		}
	}
	// The value is copied before it is scattered, since it may be a view
	// of the variable.
	work := newState(c, func() *selection { return &selection{} })
	return func(e *env) ctrl {
		dst, w := get(e), work.of(e)
		w.sel.run(e, dst, arrayDims, idx, pos)
		offs, tmp := w.sel.offs, &w.out
		switch {
		case fi != nil:
			dst.I[offs[0]] = fi(e)
		case fr != nil:
			dst.R[offs[0]] = fr(e)
		default:
			tmp.copyFrom(fv(e))
			if len(tmp.R)+len(tmp.I) != len(offs) {
				fail(pos, "size mismatch in assignment: the indexed variable has %d elements, the value %d", len(offs), len(tmp.R)+len(tmp.I))
			}
			if isInt {
				for k, o := range offs {
					dst.I[o] = tmp.I[k]
				}
			} else {
				for k, o := range offs {
					dst.R[o] = tmp.R[k]
				}
			}
		}
		return next
	}
}

// assignWhole assigns a container value to a whole variable. The value
// may be the variable itself or a view of its storage (x = c ? x : y,
// r = (r')'): copying in place is still right, since a view never reaches
// beyond the storage it views (so copyFrom keeps that storage) and copy
// and append move overlapping elements correctly.
func assignWhole(get, f func(*env) *value, pos token.Position) stmtFn {
	return func(e *env) ctrl {
		src := f(e)
		dst := get(e)
		if len(dst.Dims) > 0 && !sameDims(dst.Dims, src.Dims) {
			fail(pos, "size mismatch in assignment: the variable has size %s, the value %s", dimString(dst.Dims), dimString(src.Dims))
		}
		dst.copyFrom(src)
		return next
	}
}

// checkElements fails for sizes of more than MaxElements elements, or a
// negative one; what names the variable or value.
func checkElements(what string, dims []int) error {
	if elementsOK(dims) {
		return nil
	}
	elems := 1.0
	for _, n := range dims {
		if n < 0 {
			return fmt.Errorf("%s has the negative size %d (sizes %s)", what, n, sizesString(dims))
		}
		elems *= float64(n)
	}
	count := fmt.Sprintf("%.3g", elems)
	if elems < 1e12 {
		count = strconv.FormatFloat(elems, 'f', 0, 64)
	}
	return fmt.Errorf("%s has %s elements, more than the limit of %d (sizes %s)", what, count, MaxElements, sizesString(dims))
}

// elementsOK reports whether sizes are nonnegative with at most
// MaxElements elements in all. It allocates nothing: evaluations check
// every value they shape with it, and build the error only when it fails.
func elementsOK(dims []int) bool {
	// The product in float64 cannot overflow; it is exact up to 2^53.
	elems := 1.0
	for _, n := range dims {
		if n < 0 {
			return false
		}
		elems *= float64(n)
	}
	return elems <= MaxElements
}

// sizesString writes sizes as a declaration does: [2, 3].
func sizesString(dims []int) string {
	parts := make([]string, len(dims))
	for i, n := range dims {
		parts[i] = strconv.Itoa(n)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

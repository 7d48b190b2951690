package compile

import (
	"fmt"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Tuples (Stan Reference Manual, "Tuple data type"; Stan 2.33, with
// unpacking assignments from 2.36).
//
// A tuple value holds one value per member in value.T. An array of tuples
// is stored member by member (a struct of arrays): its Dims are the array
// sizes, and member j, T[j], holds that member of every element, its Dims
// the array sizes followed by the member's own. So a member of every
// element is one ordinary value, which is what data reading, the
// parameters' transforms and constraint checks work on, and an element
// x[i] is a view: each member's slice of its element.

// setMembers makes v a tuple, or an array of tuples of dims, with m
// members, keeping the members' storage.
func (v *value) setMembers(dims []int, m int) {
	v.Dims = append(v.Dims[:0], dims...)
	if cap(v.T) < m {
		v.T = make([]value, m)
	}
	v.T = v.T[:m]
	v.R, v.I = nil, nil
}

// copyTuple makes v an independent copy of the tuple o.
func (v *value) copyTuple(o *value) {
	if v == o {
		return
	}
	v.setMembers(o.Dims, len(o.T))
	for j := range o.T {
		v.T[j].copyFrom(&o.T[j])
	}
}

// convertInto writes src, of type from, into dst as type to: a copy,
// promoting ints to reals and reals to complex numbers member by member,
// as tuples are covariant.
func convertInto(dst, src *value, from, to types.Type) {
	switch {
	case to.Kind == types.Tuple:
		fm, tm := from.Members(), to.Members()
		if dst != src {
			dst.setMembers(src.Dims, len(tm))
		}
		for j := range tm {
			convertInto(&dst.T[j], &src.T[j], fm[j], tm[j])
		}
	case from.Kind == to.Kind:
		dst.copyFrom(src)
	case isComplex(to.Kind):
		n := len(src.R) + len(src.I)
		dst.shapeReals(src.Dims, 2*n)
		for i := range n {
			re := ad.Const(0)
			if src.I != nil {
				re = ad.Const(float64(src.I[i]))
			} else {
				re = src.R[i]
			}
			dst.R[2*i], dst.R[2*i+1] = re, ad.Const(0)
		}
	default: // int to real
		dst.shape(src.Dims, false)
		for i, x := range src.I {
			dst.R[i] = ad.Const(float64(x))
		}
	}
}

// checkSizes fails unless src has the sizes of dst, a declared variable
// (or a part of one) whose sizes are fixed, member by member.
func checkSizes(dst, src *value, pos token.Position) {
	if len(dst.Dims) > 0 && !sameDims(dst.Dims, src.Dims) {
		fail(pos, "size mismatch in assignment: the variable has size %s, the value %s", dimString(dst.Dims), dimString(src.Dims))
	}
	for j := range dst.T {
		checkSizes(&dst.T[j], &src.T[j], pos)
	}
}

// viewInto makes dst a view of element o of src's first q dimensions
// (cnt elements in all): each member's slice of that element, so that
// writing into dst writes into src.
func viewInto(dst, src *value, q, o, cnt int) {
	if src.T != nil {
		dst.setMembers(src.Dims[q:], len(src.T))
		for j := range src.T {
			viewInto(&dst.T[j], &src.T[j], q, o, cnt)
		}
		return
	}
	dst.Dims = append(dst.Dims[:0], src.Dims[q:]...)
	if src.R == nil && src.I != nil {
		blk := len(src.I) / cnt
		dst.I, dst.R = src.I[o*blk:(o+1)*blk], nil
		return
	}
	blk := len(src.R) / cnt
	dst.R, dst.I = src.R[o*blk:(o+1)*blk], nil
}

// gatherInto copies into dst the elements at offs of src's first q
// dimensions (cnt elements in all), giving them the dims outDims.
func gatherInto(dst, src *value, offs, outDims []int, q, cnt int) {
	if src.T != nil {
		dst.setMembers(outDims, len(src.T))
		dst.Dims = append(dst.Dims, src.Dims[q:]...)
		for j := range src.T {
			gatherInto(&dst.T[j], &src.T[j], offs, outDims, q, cnt)
		}
		return
	}
	isInt := src.R == nil && src.I != nil
	blk := 0
	if cnt > 0 {
		blk = (len(src.R) + len(src.I)) / cnt
	}
	dims := append(append(dst.Dims[:0], outDims...), src.Dims[q:]...)
	if isInt {
		dst.shape(dims, true)
		for k, o := range offs {
			copy(dst.I[k*blk:(k+1)*blk], src.I[o*blk:(o+1)*blk])
		}
		return
	}
	dst.shapeReals(dims, len(offs)*blk)
	for k, o := range offs {
		copy(dst.R[k*blk:(k+1)*blk], src.R[o*blk:(o+1)*blk])
	}
}

// stackInto makes dst the array of parts, which have equal sizes.
func stackInto(dst *value, parts []*value, pos token.Position) {
	p0 := parts[0]
	if p0.T != nil {
		dst.setMembers(nil, len(p0.T))
		dst.Dims = append(append(dst.Dims, len(parts)), p0.Dims...)
		sub := make([]*value, len(parts))
		for j := range p0.T {
			for k, p := range parts {
				sub[k] = &p.T[j]
			}
			stackInto(&dst.T[j], sub, pos)
		}
		return
	}
	isInt := p0.R == nil && p0.I != nil
	blk := len(p0.R) + len(p0.I)
	for _, p := range parts[1:] {
		if !sameDims(p.Dims, p0.Dims) {
			fail(pos, "array expression elements have different sizes: %s and %s", dimString(p0.Dims), dimString(p.Dims))
		}
	}
	dims := append(append(dst.Dims[:0], len(parts)), p0.Dims...)
	if isInt {
		dst.shape(dims, true)
		for k, p := range parts {
			copy(dst.I[k*blk:], p.I)
		}
		return
	}
	dst.shapeReals(dims, len(parts)*blk)
	for k, p := range parts {
		copy(dst.R[k*blk:], p.R)
	}
}

// ---- expressions ----

// converted returns x as a function giving a value of the tuple type t:
// x's own when the types agree, else a promoted copy.
func (c *compiler) converted(x cexpr, t types.Type) func(*env) *value {
	if x.t == t {
		return x.v
	}
	f, from := x.v, x.t
	buf := c.buf()
	return func(e *env) *value {
		b := buf.of(e)
		convertInto(b, f(e), from, t)
		return b
	}
}

// writer compiles storing x into a value of type to, promoting.
func (c *compiler) writer(x cexpr, to types.Type) func(*env, *value) {
	switch {
	case to == types.IntT:
		f := x.i
		return func(e *env, dst *value) { dst.shape(nil, true); dst.I[0] = f(e) }
	case to == types.RealT:
		f := x.real()
		return func(e *env, dst *value) { dst.shape(nil, false); dst.R[0] = f(e) }
	case to == types.ComplexT:
		f := x.cplx()
		return func(e *env, dst *value) {
			z := f(e)
			dst.shapeComplex(nil)
			dst.R[0], dst.R[1] = z.re, z.im
		}
	}
	f, from := x.v, x.t
	return func(e *env, dst *value) { convertInto(dst, f(e), from, to) }
}

// tupleLit compiles (a, b, ...) into a buffer that owns its members.
func (c *compiler) tupleLit(x *ast.TupleExpr, t types.Type) cexpr {
	ms := t.Members()
	ws := make([]func(*env, *value), len(x.Elems))
	for j, el := range x.Elems {
		ws[j] = c.writer(c.expr(el), ms[j])
	}
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		b := buf.of(e)
		b.setMembers(nil, len(ws))
		for j, w := range ws {
			w(e, &b.T[j])
		}
		return b
	}}
}

// member reads member k of the tuples f gives, as a cexpr of type t.
func member(f func(*env) *value, k int, t types.Type) cexpr {
	switch t {
	case types.IntT:
		return cexpr{t: t, i: func(e *env) int { return f(e).T[k].I[0] }}
	case types.RealT:
		return cexpr{t: t, r: func(e *env) ad.Var { return f(e).T[k].R[0] }}
	case types.ComplexT:
		return cexpr{t: t, z: func(e *env) cplx { m := &f(e).T[k]; return cplx{m.R[0], m.R[1]} }}
	}
	return cexpr{t: t, v: func(e *env) *value { return &f(e).T[k] }}
}

// tupleIndex compiles x.k: a view of the member.
func (c *compiler) tupleIndex(x *ast.TupleIndexExpr, t types.Type) cexpr {
	base := c.expr(x.X)
	m := member(base.v, x.Index-1, t)
	m.fixed = base.fixed
	return m
}

func (c *compiler) tupleCond(x *ast.CondExpr, t types.Type) cexpr {
	cond := c.truth(x.Cond)
	a, b := c.converted(c.expr(x.Then), t), c.converted(c.expr(x.Else), t)
	return cexpr{t: t, v: func(e *env) *value {
		if cond(e) {
			return a(e)
		}
		return b(e)
	}}
}

// tupleArrayIndex compiles x[i, ...] of an array of tuples: single
// indices give a view of the element, multiple ones a copy.
func (c *compiler) tupleArrayIndex(base cexpr, idx []index, t types.Type, pos token.Position) cexpr {
	f := base.v
	n := len(idx)
	allSingle := true
	for _, ix := range idx {
		allSingle = allSingle && !ix.multi
	}
	if allSingle {
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			v := f(e)
			o := arrayOffset(e, v, idx, pos)
			w := buf.of(e)
			viewInto(w, v, n, o, size(v.Dims[:n]))
			return w
		}}
	}
	arr := base.t.Dims
	work := newState(c, func() *selection { return &selection{} })
	return cexpr{t: t, v: func(e *env) *value {
		v, w := f(e), work.of(e)
		w.sel.run(e, v, arr, idx, pos)
		gatherInto(&w.out, v, w.sel.offs, w.sel.dims, arr, size(v.Dims))
		return &w.out
	}}
}

// tupleArrayLit compiles {a, b, ...} of tuples (or of arrays of them).
func (c *compiler) tupleArrayLit(x *ast.ArrayExpr, t types.Type) cexpr {
	et := t.Elem()
	fs := make([]func(*env) *value, len(x.Elems))
	for k, el := range x.Elems {
		fs[k] = c.converted(c.expr(el), et)
	}
	type litWork struct {
		parts []*value
		out   value
	}
	work := newState(c, func() *litWork { return &litWork{parts: make([]*value, len(fs))} })
	pos := c.pos(x.Pos())
	return cexpr{t: t, v: func(e *env) *value {
		w := work.of(e)
		for k, f := range fs {
			w.parts[k] = f(e)
		}
		stackInto(&w.out, w.parts, pos)
		return &w.out
	}}
}

// tupleCall compiles the library's functions that return tuples, and
// reports library calls that would take a tuple, which only user-defined
// functions do; ok is false for every other call.
func (c *compiler) tupleCall(x *ast.CallExpr, call *check.Call, t types.Type) (cexpr, bool) {
	if call.User != nil {
		return cexpr{}, false
	}
	if len(call.Sig.Args) > 0 && call.Sig.Args[0].Kind == types.Tuple {
		switch call.Name {
		case "rep_array", "append_array", "size", "dims":
			return c.tupleArrayCall(x, call.Name, t), true
		}
	}
	for _, a := range call.Sig.Args {
		if a.Kind == types.Tuple {
			c.errorf(x.Pos(), "function '%s' of a tuple is not supported yet", call.Name)
			return cexpr{t: t, v: func(*env) *value { return &value{} }}, true
		}
	}
	parts, ok := tupleResults[call.Name]
	if !ok || t.Kind != types.Tuple {
		return cexpr{}, false
	}
	pos := c.pos(x.Pos())
	// The argument is evaluated once, and each factor computed from it.
	a := c.expr(x.Args[0])
	abuf := c.buf()
	arg := cexpr{t: a.t, v: func(e *env) *value { return abuf.of(e) }, c: c}
	ms := t.Members()
	ws := make([]func(*env, *value), len(parts))
	for j, name := range parts {
		if f := complexDecomposition(name, []types.Type{a.t}); f != nil {
			ws[j] = c.writer(f(c, arg, ms[j], pos), ms[j])
			continue
		}
		m, err := stdlib().funcs[name](c, []cexpr{arg}, ms[j], pos)
		if err != nil {
			c.errorf(x.Pos(), "%v", err)
			return cexpr{t: t, v: func(*env) *value { return &value{} }}, true
		}
		ws[j] = c.writer(m, ms[j])
	}
	fa := a.val(true)
	buf := c.buf()
	return cexpr{t: t, v: func(e *env) *value {
		abuf.of(e).copyFrom(fa(e))
		b := buf.of(e)
		b.setMembers(nil, len(ws))
		for j, w := range ws {
			w(e, &b.T[j])
		}
		return b
	}}, true
}

// tupleArrayCall compiles the array functions of tuples: rep_array of a
// tuple (or an array of tuples), append_array, size and dims of arrays of
// tuples.
func (c *compiler) tupleArrayCall(x *ast.CallExpr, name string, t types.Type) cexpr {
	pos := c.pos(x.Pos())
	switch name {
	case "size":
		f := c.expr(x.Args[0]).v
		return cexpr{t: t, i: func(e *env) int { return f(e).Dims[0] }}
	case "dims":
		f := c.expr(x.Args[0]).v
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			v, b := f(e), buf.of(e)
			b.shape([]int{len(v.Dims)}, true)
			copy(b.I, v.Dims) // a tuple's Dims are its array sizes
			return b
		}}
	case "append_array":
		fa, fb := c.converted(c.expr(x.Args[0]), t), c.converted(c.expr(x.Args[1]), t)
		buf := c.buf()
		return cexpr{t: t, v: func(e *env) *value {
			b := buf.of(e)
			appendInto(b, fa(e), fb(e), pos)
			return b
		}}
	}
	f := c.expr(x.Args[0]).v
	ns := make([]func(*env) int, len(x.Args)-1)
	for k, a := range x.Args[1:] {
		ns[k] = c.expr(a).i
	}
	buf, dimsOf := c.buf(), c.dimsState()
	return cexpr{t: t, v: func(e *env) *value {
		b, d := buf.of(e), dimsOf.of(e)
		*d = evalSizes(e, ns, *d, pos)
		repInto(b, f(e), *d)
		return b
	}}
}

// repInto makes dst the array of sizes reps whose every element is src,
// a tuple or an array of tuples: each member repeated, as an array of
// tuples stores its members (see the top of this file).
func repInto(dst, src *value, reps []int) {
	if src.T != nil {
		dst.setMembers(reps, len(src.T))
		dst.Dims = append(dst.Dims, src.Dims...)
		for j := range src.T {
			repInto(&dst.T[j], &src.T[j], reps)
		}
		return
	}
	n := size(reps)
	isInt := src.R == nil && src.I != nil
	blk := len(src.R) + len(src.I)
	dims := append(append(dst.Dims[:0], reps...), src.Dims...)
	if isInt {
		dst.shape(dims, true)
		for k := range n {
			copy(dst.I[k*blk:], src.I)
		}
		return
	}
	dst.shapeReals(dims, n*blk)
	for k := range n {
		copy(dst.R[k*blk:], src.R)
	}
}

// appendInto makes dst the arrays of tuples a and b joined along their
// first dimension, member by member; the elements' sizes must agree.
func appendInto(dst, a, b *value, pos token.Position) {
	if !sameDims(a.Dims[1:], b.Dims[1:]) {
		fail(pos, "append_array: the elements of the first array (size %s) and of the second (size %s) must have the same sizes", dimString(a.Dims[1:]), dimString(b.Dims[1:]))
	}
	if a.T != nil {
		dst.setMembers(a.Dims, len(a.T))
		dst.Dims[0] += b.Dims[0]
		for j := range a.T {
			appendInto(&dst.T[j], &a.T[j], &b.T[j], pos)
		}
		return
	}
	dims := append(append(dst.Dims[:0], a.Dims[0]+b.Dims[0]), a.Dims[1:]...)
	if a.R == nil && a.I != nil || b.R == nil && b.I != nil {
		dst.shape(dims, true)
		copy(dst.I[copy(dst.I, a.I):], b.I)
		return
	}
	dst.shapeReals(dims, len(a.R)+len(b.R))
	copy(dst.R[copy(dst.R, a.R):], b.R)
}

// tupleResults are the library functions that return tuples, as the
// functions that compute each member (Stan Functions Reference, "Linear
// algebra functions" and "Sparse matrix operations").
var tupleResults = map[string][]string{
	"eigendecompose_sym":      {"eigenvectors_sym", "eigenvalues_sym"},
	"eigendecompose":          {"eigenvectors", "eigenvalues"},
	"qr_thin":                 {"qr_thin_Q", "qr_thin_R"},
	"qr":                      {"qr_Q", "qr_R"},
	"svd":                     {"svd_U", "singular_values", "svd_V"},
	"csr_extract":             {"csr_extract_w", "csr_extract_v", "csr_extract_u"},
	"complex_schur_decompose": {"complex_schur_decompose_u", "complex_schur_decompose_t"},
}

// ---- statements ----

// shaper compiles sizing a value as the declared type at says, filled
// with NaN; outer are the array sizes of the tuples it is a member of,
// which come first in a member's sizes (see the package's layout above).
func (c *compiler) shaper(name string, at *ast.Type, outer []ast.Expr) func(*env, *value) {
	all := append(append([]ast.Expr(nil), outer...), at.ArrayDims...)
	sizes := zeroState[[]int](c)
	if at.IsTuple() {
		dims := c.dimsOf(name, &ast.Type{TypePos: at.TypePos, Base: "tuple", ArrayDims: all})
		ms := make([]func(*env, *value), len(at.Members))
		for j, m := range at.Members {
			ms[j] = c.shaper(fmt.Sprintf("%s.%d", name, j+1), m, all)
		}
		return func(e *env, v *value) {
			buf := sizes.of(e)
			*buf = dims(e, (*buf)[:0])
			v.setMembers(*buf, len(ms))
			for j, m := range ms {
				m(e, &v.T[j])
			}
		}
	}
	leaf := &ast.Type{TypePos: at.TypePos, Base: at.Base, Sizes: at.Sizes, ArrayDims: all}
	lt := check.TypeOf(leaf)
	dims := c.dimsOf(name, leaf)
	return func(e *env, v *value) {
		buf := sizes.of(e)
		*buf = dims(e, (*buf)[:0])
		shapeAs(v, *buf, lt)
		v.fillNaN()
	}
}

// tupleDecl compiles a local (or transformed parameter or generated
// quantity) declaration of a tuple type.
func (c *compiler) tupleDecl(d *ast.VarDecl) stmtFn {
	v := c.info.Uses[d.Name]
	get := c.declareLocal(v).getter()
	shape := c.shaper(d.Name.Name, d.Type, nil)
	var init stmtFn
	if d.Init != nil {
		init = c.assignTuple(get, v.Type, c.expr(d.Init), c.pos(d.Init.Pos()))
	}
	return func(e *env) ctrl {
		shape(e, get(e))
		if init != nil {
			init(e)
		}
		return next
	}
}

// assignTuple compiles storing the tuple x into the tuple get gives,
// whose sizes it must have. The value is copied first, since it may view
// the storage it is written to.
func (c *compiler) assignTuple(get func(*env) *value, t types.Type, x cexpr, pos token.Position) stmtFn {
	f, from := x.v, x.t
	tmp := c.buf()
	return func(e *env) ctrl {
		tm := tmp.of(e)
		convertInto(tm, f(e), from, t)
		dst := get(e)
		checkSizes(dst, tm, pos)
		dst.copyFrom(tm)
		return next
	}
}

// tupleAssign compiles an assignment that unpacks a tuple or writes
// (into) a variable of a tuple type; ok is false for other assignments.
func (c *compiler) tupleAssign(s *ast.AssignStmt) (stmtFn, bool) {
	if tx, ok := s.LHS.(*ast.TupleExpr); ok {
		return c.unpack(s, tx), true
	}
	root := ast.Root(s.LHS)
	if v := c.info.Uses[root]; v == nil || v.Type.Kind != types.Tuple {
		return nil, false
	}
	return c.lvalueAssign(s.LHS, c.expr(c.assignedValue(s)), c.pos(s.OpPos)), true
}

// lvalueAssign compiles storing x into the lvalue lhs, which may select
// tuple members: x.2[i] = ..., y[k].1 = ....
func (c *compiler) lvalueAssign(lhs ast.Expr, x cexpr, pos token.Position) stmtFn {
	if v := c.info.Uses[ast.Root(lhs)]; v == nil || v.Type.Kind != types.Tuple {
		ref, v, idx, ok := c.lvalue(lhs)
		if !ok {
			return nil
		}
		return c.assignExpr(ref.getter(), &ref, v.Type, idx, x, pos)
	}
	// Trailing brackets into a member that is not a tuple index it as
	// assignTo does; the rest locates the member.
	base := lhs
	var lists [][]ast.Expr
	for {
		ix, ok := base.(*ast.IndexExpr)
		if !ok {
			break
		}
		lists = append([][]ast.Expr{ix.Indices}, lists...)
		base = ix.X
	}
	if bt := c.info.Types[base]; len(lists) > 0 && bt.Kind != types.Tuple {
		var flat []ast.Expr
		for _, l := range lists {
			flat = append(flat, l...)
		}
		get := c.locate(base)
		if get == nil {
			return nil
		}
		return c.assignExpr(get, nil, bt, c.indices(flat), x, pos)
	}
	if ix, ok := lhs.(*ast.IndexExpr); ok && !allInt(c, ix.Indices) {
		return c.assignTupleSlice(ix, x, pos)
	}
	get := c.locate(lhs)
	if get == nil {
		return nil
	}
	if t := c.info.Types[lhs]; t.Kind == types.Tuple {
		return c.assignTuple(get, t, x, pos)
	}
	return c.assignExpr(get, nil, c.info.Types[lhs], nil, x, pos)
}

// allInt reports whether the indices are all single ones.
func allInt(c *compiler, list []ast.Expr) bool {
	for _, i := range list {
		if c.info.Types[i] != types.IntT {
			return false
		}
	}
	return true
}

// assignTupleSlice compiles x[idx] = value for an array of tuples x and
// indices that select several elements: each selected element, in
// order, takes the value's next element. The value is copied first, as
// it may view x.
func (c *compiler) assignTupleSlice(lhs *ast.IndexExpr, x cexpr, pos token.Position) stmtFn {
	get := c.locate(lhs.X)
	if get == nil {
		return nil
	}
	t := c.info.Types[lhs]
	arr := c.info.Types[lhs.X].Dims
	idx := c.indices(lhs.Indices)
	f, from := x.v, x.t
	type sliceWork struct {
		sel           selector
		tmp, dst, src value
	}
	work := newState(c, func() *sliceWork { return &sliceWork{} })
	return func(e *env) ctrl {
		w := work.of(e)
		convertInto(&w.tmp, f(e), from, t)
		v := get(e)
		w.sel.run(e, v, arr, idx, pos)
		if !sameDims(w.sel.dims, w.tmp.Dims) {
			fail(pos, "size mismatch in assignment: the indexed variable has size %s, the value %s", dimString(w.sel.dims), dimString(w.tmp.Dims))
		}
		n, m := size(v.Dims), size(w.tmp.Dims)
		for k, o := range w.sel.offs {
			viewInto(&w.dst, v, arr, o, n)
			viewInto(&w.src, &w.tmp, len(w.tmp.Dims), k, m)
			checkSizes(&w.dst, &w.src, pos)
			w.dst.copyFrom(&w.src)
		}
		return next
	}
}

// locate compiles finding the storage of an lvalue made of a variable,
// tuple members and single indices into arrays of tuples.
func (c *compiler) locate(x ast.Expr) func(*env) *value {
	switch x := x.(type) {
	case *ast.Ident:
		ref, ok := c.slots[c.info.Uses[x]]
		if !ok {
			c.errorf(x.Pos(), "variable '%s' cannot be assigned here", x.Name)
			return nil
		}
		return ref.getter()
	case *ast.TupleIndexExpr:
		p := c.locate(x.X)
		if p == nil {
			return nil
		}
		k := x.Index - 1
		return func(e *env) *value { return &p(e).T[k] }
	case *ast.IndexExpr:
		p := c.locate(x.X)
		if p == nil {
			return nil
		}
		for _, i := range x.Indices {
			if c.info.Types[i] != types.IntT {
				c.errorf(i.Pos(), "assigning to several elements of an array of tuples at once is not supported yet: assign them one by one")
				return nil
			}
		}
		idx := c.indices(x.Indices)
		n := len(idx)
		pos := c.pos(x.Lbrack)
		buf := c.buf()
		return func(e *env) *value {
			v := p(e)
			o := arrayOffset(e, v, idx, pos)
			w := buf.of(e)
			viewInto(w, v, n, o, size(v.Dims[:n]))
			return w
		}
	}
	c.errorf(x.Pos(), "this expression cannot be assigned to")
	return nil
}

// unpack compiles (a, b, ...) = value: the value is copied first, then
// each member stored into its lvalue, in order.
func (c *compiler) unpack(s *ast.AssignStmt, lhs *ast.TupleExpr) stmtFn {
	x := c.expr(s.RHS)
	f, rt := x.v, x.t
	tmp := c.buf()
	src := func(e *env) *value { return tmp.of(e) }
	var stores []stmtFn
	var walk func(l *ast.TupleExpr, get func(*env) *value, t types.Type)
	walk = func(l *ast.TupleExpr, get func(*env) *value, t types.Type) {
		for j, el := range l.Elems {
			mt := t.Members()[j]
			if sub, ok := el.(*ast.TupleExpr); ok {
				k := j
				walk(sub, func(e *env) *value { return &get(e).T[k] }, mt)
				continue
			}
			if st := c.lvalueAssign(el, member(get, j, mt), c.pos(el.Pos())); st != nil {
				stores = append(stores, st)
			}
		}
	}
	walk(lhs, src, rt)
	return func(e *env) ctrl {
		tmp.of(e).copyFrom(f(e))
		for _, st := range stores {
			st(e)
		}
		return next
	}
}

// tupleForeach compiles for (x in xs) over an array of tuples: the loop
// variable views each element in turn (loop variables are never assigned).
func (c *compiler) tupleForeach(s *ast.ForeachStmt, x cexpr) stmtFn {
	get := c.declareLocal(c.info.Uses[s.Var]).getter()
	body := c.stmt(s.Body)
	f := x.v
	return func(e *env) ctrl {
		src := f(e)
		n := src.Dims[0]
		for k := range n {
			viewInto(get(e), src, 1, k, n)
			if r, done := iteration(e, body); done {
				return r
			}
		}
		return next
	}
}

package compile

import (
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
	"github.com/gostan/gostan/transform"
)

// ---- data ----

type dataVar struct {
	what  string // "data variable", or "initial value" for an init file
	name  string
	root  string // the tuple variable a leaf belongs to (tuple_vars.go), else ""
	v     *check.Var
	get   func(*env) *value
	dims  func(*env, []int) []int
	check *constraintCheck
}

func (c *compiler) dataDecl(d *ast.VarDecl) *dataVar {
	v := c.info.Uses[d.Name]
	ref := c.declareLocal(v)
	dv := &dataVar{what: "data variable", name: d.Name.Name, v: v, get: ref.getter(), dims: c.dimsOf(d.Name.Name, d.Type)}
	if isConstrained(d) {
		dv.check = c.constraintCheck(d, "data variable")
	}
	return dv
}

// read fills the variable from the data set, checking its size, its type
// and its constraints. JSON gives arrays and matrices row-major; matrices
// are stored column-major.
func (dv *dataVar) read(e *env, data model.Data) error {
	dims := dv.dims(e, nil)
	t := dv.v.Type
	if isComplex(t.Kind) {
		return dv.readComplex(e, data, dims)
	}
	isInt := t.Kind == types.Int
	val, ok := data[dv.name]
	n := size(dims)
	if !ok {
		if n == 0 {
			dst := dv.get(e)
			dst.shape(dims, isInt)
			return nil
		}
		if dv.root != "" {
			return dv.missingMember(data)
		}
		return fmt.Errorf("variable %q not found in the data", dv.name)
	}
	if isInt && !val.Int {
		if k, ok := val.FirstReal(); ok && len(val.Dims) > 0 && k < len(val.Elems) {
			return fmt.Errorf("%s %q has real values (%q is written as a real, %v), but is declared %v", dv.what, dv.name,
				arrayElementName(dv.name, val.Dims, k), val.Elems[k], t)
		}
		return fmt.Errorf("%s %q has real values, but is declared %v", dv.what, dv.name, t)
	}
	if len(val.Elems) != n || (n > 0 && !sameDims(val.Dims, dims)) {
		return fmt.Errorf("%s %q has size %s, but is declared with size %s", dv.what, dv.name, dimString(val.Dims), dimString(dims))
	}
	dst := dv.get(e)
	dst.shape(dims, isInt)
	inner := innerDims(t)
	if inner == 2 && n > 0 {
		rows, cols := dims[len(dims)-2], dims[len(dims)-1]
		block := rows * cols
		for b := 0; b < n/block; b++ {
			for i := range rows {
				for j := range cols {
					dst.R[b*block+i+j*rows] = ad.Const(val.Elems[b*block+i*cols+j])
				}
			}
		}
	} else {
		for k, x := range val.Elems {
			if isInt {
				if x != math.Trunc(x) {
					return fmt.Errorf("%s %q has value %v, which is not an int", dv.what, elementName(dv.name, dims, t, k), x)
				}
				if x < math.MinInt32 || x > math.MaxInt32 {
					return fmt.Errorf("%s %q has value %v, outside the range of Stan's int (%d to %d)", dv.what, elementName(dv.name, dims, t, k), x, math.MinInt32, math.MaxInt32)
				}
				dst.I[k] = int(x)
			} else {
				dst.R[k] = ad.Const(x)
			}
		}
	}
	if dv.check != nil {
		return dv.check.run(e)
	}
	return nil
}

// ---- parameters ----

// paramVar is a parameter: its slot, its shape, and the transform from its
// part of the unconstrained vector.
type paramVar struct {
	pos    token.Position
	name   string
	v      *check.Var
	get    func(*env) *value
	dims   func(*env, []int) []int
	base   string
	lower  *cexpr
	upper  *cexpr
	offset *cexpr
	mult   *cexpr
	// inTuple marks a leaf of a tuple parameter (tuple_vars.go); the
	// first leaf's tuple is the whole tuple, whose columns it writes.
	inTuple bool
	tuple   *tupleNode
	levels  []int // a leaf's model.Value TupleLevels
}

func (c *compiler) paramDecl(d *ast.VarDecl) *paramVar {
	v := c.info.Uses[d.Name]
	ref := c.declareLocal(v)
	p := &paramVar{pos: c.pos(d.Pos()), name: d.Name.Name, v: v, get: ref.getter(), dims: c.dimsOf(d.Name.Name, d.Type), base: d.Type.Base}
	opt := func(x ast.Expr) *cexpr {
		if x == nil {
			return nil
		}
		e := c.expr(x)
		return &e
	}
	p.lower, p.upper, p.offset, p.mult = opt(d.Type.Lower), opt(d.Type.Upper), opt(d.Type.Offset), opt(d.Type.Multiplier)
	return p
}

// layout is a parameter's place in the unconstrained vector.
type layout struct {
	p *paramVar
	// tupleCols, for a leaf of a tuple parameter, maps each of its values
	// in Stan JSON's order to its column, counted from the tuple's first.
	tupleCols []int
	dims      []int
	off, n    int // unconstrained offset and size
	elemUnc   int // unconstrained size of one array element
	elemSize  int // stored size of one array element
	count     int // number of array elements, stored and read row-major
	// st is the parameter's structured constraint, nil for a scalar one,
	// looked up once rather than per evaluation.
	st *transform.Structured
	// at, for a leaf of a tuple parameter, is where in the unconstrained
	// vector each stored element's values start (see placeTuple); nil
	// for other parameters, whose values are off, off+1, ...
	at []int
	// tupleNames, for the first leaf of a tuple parameter, name the
	// tuple's unconstrained values in order.
	tupleNames []string
}

// start is where unconstrained element k of l begins in the whole
// unconstrained vector.
func (l *layout) start(k int) int {
	if l.at != nil {
		return l.at[k]
	}
	return l.off + k*l.elemUnc
}

// each calls f with the index of every unconstrained value of l in the
// whole unconstrained vector.
func (l *layout) each(f func(i int)) {
	for k := range l.count {
		s := l.start(k)
		for i := range l.elemUnc {
			f(s + i)
		}
	}
}

// layoutParams lays out params from offset off in the unconstrained
// vector, returning their layouts and the offset after them.
func layoutParams(e *env, params []*paramVar, off int) ([]*layout, int) {
	var out []*layout
	for i := 0; i < len(params); i++ {
		pv := params[i]
		if pv.tuple == nil {
			l := pv.layout(e, off)
			off += l.n
			out = append(out, l)
			continue
		}
		n := len(pv.tuple.leaves())
		leaves := make([]*layout, n)
		for j := range leaves {
			leaves[j] = params[i+j].layout(e, off)
		}
		off = placeTuple(pv.tuple, leaves, off)
		out = append(out, leaves...)
		i += n - 1
	}
	return out, off
}

// placeTuple places the leaves of a tuple parameter from offset off as
// Stan does (stanc3's generated log_prob reads a tuple member by member
// and an array of tuples element by element, the last index fastest):
// each element of the tuple's arrays in row-major order, within it each
// member in order, a nested tuple the same way, a member that is an
// array row-major. It names the values as Stan's
// unconstrained_param_names does (q.2:1.3: element 3 of member 1 of
// element 2 of q), in the first leaf's tupleNames, and returns the
// offset after the tuple.
func placeTuple(root *tupleNode, leaves []*layout, off int) int {
	index := map[*tupleNode]*layout{}
	for i, n := range root.leaves() {
		l := leaves[i]
		index[n] = l
		l.off = off
		l.at = make([]int, l.count)
	}
	var names []string
	// dims are a tuple node's array sizes, the enclosing tuples' first.
	dims := func(n *tupleNode) []int { return index[n.leaves()[0]].dims[:n.arr] }
	var walk func(n *tupleNode, parent, parentArr int, prefix string)
	walk = func(n *tupleNode, parent, parentArr int, prefix string) {
		all := size(dims(n))
		own := dims(n)[parentArr:]
		per := size(own)
		for j := range per {
			el := parent*per + j
			name := prefix + dotted(rowMajorIndex(j, own))
			for mi, m := range n.members {
				mname := name + ":" + strconv.Itoa(mi+1)
				l := index[m]
				if l == nil {
					walk(m, el, n.arr, mname)
					continue
				}
				arr := l.p.v.Type.Dims
				ownL := l.dims[n.arr:arr]
				inner := innerNames(l.dims[arr:], l.p.v.Type, l.elemSize, l.elemUnc)
				for i := range l.count / all {
					l.at[el*size(ownL)+i] = off
					off += l.elemUnc
					lname := mname + dotted(rowMajorIndex(i, ownL))
					for _, in := range inner {
						names = append(names, lname+in)
					}
				}
			}
		}
	}
	walk(root, 0, 0, root.key)
	leaves[0].tupleNames = names
	return off
}

// rowMajorIndex is the 0-based index into dims of the k-th element in
// row-major order.
func rowMajorIndex(k int, dims []int) []int {
	idx := make([]int, len(dims))
	for d := len(dims) - 1; d >= 0; d-- {
		idx[d] = k % dims[d]
		k /= dims[d]
	}
	return idx
}

// dotted writes 0-based indices 1-based in BridgeStan's dotted form: .1.2.
func dotted(idx []int) string {
	var b strings.Builder
	for _, i := range idx {
		b.WriteString("." + strconv.Itoa(i+1))
	}
	return b.String()
}

// innerNames are the name suffixes of the unconstrained values of one
// element of type t (vector, matrix, complex) with sizes inner, stored
// in elemSize reals: its own element names (.2, .1.3 column-major,
// .2.real) when the transform keeps the size, else numbered .1 to
// .elemUnc, as Stan numbers a simplex's free values.
func innerNames(inner []int, t types.Type, elemSize, elemUnc int) []string {
	var out []string
	if elemUnc != elemSize {
		for i := range elemUnc {
			out = append(out, "."+strconv.Itoa(i+1))
		}
		return out
	}
	n := size(inner)
	for k := range n {
		// Stored column-major: the first index fastest.
		idx := make([]int, len(inner))
		r := k
		for d := range inner {
			idx[d] = r % inner[d]
			r /= inner[d]
		}
		if isComplex(t.Kind) {
			out = append(out, dotted(idx)+".real", dotted(idx)+".imag")
		} else {
			out = append(out, dotted(idx))
		}
	}
	return out
}

func (p *paramVar) layout(e *env, off int) *layout {
	dims := p.dims(e, nil)
	arr := p.v.Type.Dims
	l := &layout{p: p, dims: dims, off: off, count: size(dims[:arr]), elemSize: size(dims[arr:]) * width(p.v.Type)}
	if l.st = transform.Lookup(p.base); l.st != nil {
		l.elemUnc = l.st.Size(dims[arr:])
	} else {
		l.elemUnc = l.elemSize
	}
	// Stan reads an array's elements into the unconstrained vector
	// row-major, the last index fastest (rstan 2.21's log_prob and
	// stanc3's deserializer alike), the order gostan stores them in.
	l.n = l.count * l.elemUnc
	return l
}

// boundAt returns a bound for stored element k: a scalar, or the matching
// element of a container bound.
func boundAt(e *env, b *cexpr, k int, def float64) ad.Var {
	switch {
	case b == nil:
		return ad.Const(def)
	case b.i != nil:
		return ad.Const(float64(b.i(e)))
	case b.r != nil:
		return b.r(e)
	}
	v := b.v(e)
	if v.I != nil {
		return ad.Const(float64(v.I[k]))
	}
	return v.R[k]
}

// constrain fills the parameter's slot from u, the whole unconstrained
// vector's leaves, adding the log Jacobian to lj when it is not nil.
func (l *layout) constrain(e *env, u []ad.Var, lj *ad.Var) {
	p := l.p
	t := e.t
	dst := p.get(e)
	shapeAs(dst, l.dims, p.v.Type)
	inner := l.dims[p.v.Type.Dims:]
	for k := range l.count {
		y := u[l.start(k) : l.start(k)+l.elemUnc]
		x := dst.R[k*l.elemSize : (k+1)*l.elemSize]
		var err error
		switch {
		case l.st != nil:
			err = l.st.Constrain(t, y, x, inner, lj)
		case p.lower == nil && p.upper == nil && p.offset == nil && p.mult == nil:
			// No transform: the stored values are the leaves.
			copy(x, y)
		default:
			for i := range x {
				if x[i], err = l.scalar(e, y[i], k*l.elemSize+i, lj); err != nil {
					break
				}
			}
		}
		if err != nil {
			panic(&evalError{pos: p.pos, err: fmt.Errorf("parameter %q: %w", p.name, err)})
		}
	}
}

func (l *layout) scalar(e *env, y ad.Var, k int, lj *ad.Var) (ad.Var, error) {
	p := l.p
	switch {
	case p.lower != nil && p.upper != nil:
		return transform.LowerUpper(e.t, y, boundAt(e, p.lower, k, 0), boundAt(e, p.upper, k, 0), lj)
	case p.lower != nil:
		return transform.Lower(e.t, y, boundAt(e, p.lower, k, 0), lj), nil
	case p.upper != nil:
		return transform.Upper(e.t, y, boundAt(e, p.upper, k, 0), lj), nil
	case p.offset != nil || p.mult != nil:
		return transform.OffsetMultiplier(e.t, y, boundAt(e, p.offset, k, 0), boundAt(e, p.mult, k, 1), lj)
	}
	return y, nil
}

// checkStructure validates a structured variable (simplex, ordered, ...)
// element by element of its array, through transform's Unconstrain
// functions, with the model's buffers w: after the first call it
// allocates nothing.
func (ck *constraintCheck) checkStructure(v *value, w *structWork) error {
	inner := v.Dims[ck.kind.Dims:]
	block := size(inner)
	if block == 0 {
		return nil
	}
	ny := block
	if st := transform.Lookup(ck.base); st != nil {
		ny = st.Size(inner)
	}
	if cap(w.x) < block {
		w.x = make([]float64, block)
	}
	if cap(w.y) < ny {
		w.y = make([]float64, ny)
	}
	x, y := w.x[:block], w.y[:ny]
	for b := 0; b < len(v.R)/block; b++ {
		for i := range x {
			x[i] = v.R[b*block+i].Val
		}
		if err := unconstrainStructured(ck.base, x, inner, y); err != nil {
			return fmt.Errorf("%s %q is not a valid %s: %w", ck.what, arrayElementName(ck.name, v.Dims[:ck.kind.Dims], b), ck.base, err)
		}
	}
	return nil
}

// arrayElementName names the b-th element, row-major, of an array of
// sizes dims: "x[2,1]"; the name alone when dims is empty.
func arrayElementName(name string, dims []int, b int) string {
	if len(dims) == 0 {
		return name
	}
	idx := make([]string, len(dims))
	for d := len(dims) - 1; d >= 0; d-- {
		idx[d] = strconv.Itoa(b%dims[d] + 1)
		b /= dims[d]
	}
	return name + "[" + strings.Join(idx, ",") + "]"
}

// unconstrain writes the unconstrained values of the parameter's slot into
// u, the model's whole unconstrained vector: the inverse of constrain.
func (l *layout) unconstrain(e *env, u []float64) error {
	p := l.p
	v := p.get(e)
	inner := l.dims[p.v.Type.Dims:]
	x := make([]float64, l.elemSize)
	for k := range l.count {
		for i := range x {
			x[i] = v.R[k*l.elemSize+i].Val
		}
		y := u[l.start(k) : l.start(k)+l.elemUnc]
		var err error
		if isStructured(p.base) {
			err = unconstrainStructured(p.base, x, inner, y)
		} else {
			for i, xi := range x {
				if y[i], err = l.unconstrainScalar(e, xi, k*l.elemSize+i); err != nil {
					break
				}
			}
		}
		if err != nil {
			return fmt.Errorf("parameter %q: %w", elementName(p.name, l.dims, p.v.Type, k*l.elemSize), err)
		}
	}
	return nil
}

func (l *layout) unconstrainScalar(e *env, x float64, k int) (float64, error) {
	p := l.p
	switch {
	case p.lower != nil && p.upper != nil:
		return transform.UnconstrainLowerUpper(x, boundAt(e, p.lower, k, 0).Val, boundAt(e, p.upper, k, 0).Val)
	case p.lower != nil:
		return transform.UnconstrainLower(x, boundAt(e, p.lower, k, 0).Val)
	case p.upper != nil:
		return transform.UnconstrainUpper(x, boundAt(e, p.upper, k, 0).Val)
	case p.offset != nil || p.mult != nil:
		return transform.UnconstrainOffsetMultiplier(x, boundAt(e, p.offset, k, 0).Val, boundAt(e, p.mult, k, 1).Val)
	}
	return x, nil
}

// unconstrainStructured inverts a structured transform (simplex, ordered,
// ...) of one value x with matrix dimensions inner into y; its error says
// why x is not in the support.
func unconstrainStructured(base string, x []float64, inner []int, y []float64) error {
	if st := transform.Lookup(base); st != nil {
		return st.Unconstrain(x, inner, y)
	}
	return nil
}

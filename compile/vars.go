package compile

import (
	"fmt"
	"math"

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
				if x != math.Trunc(x) || math.Abs(x) > math.MaxInt32 {
					return fmt.Errorf("%s %q has value %v, which is not an int", dv.what, elementName(dv.name, dims, t, k), x)
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
	off, n    int   // unconstrained offset and size
	elemUnc   int   // unconstrained size of one array element
	elemSize  int   // stored size of one array element
	count     int   // number of array elements
	order     []int // array elements in unconstrained order (first index fastest)
	// st is the parameter's structured constraint, nil for a scalar one,
	// looked up once rather than per evaluation.
	st *transform.Structured
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
	l.n = l.count * l.elemUnc
	// Stan 2.21 reads arrays with the first index fastest: element k of
	// the unconstrained order is stored at order[k].
	l.order = make([]int, l.count)
	ad := dims[:arr]
	idx := make([]int, arr)
	for k := range l.count {
		o := 0
		for d := range arr {
			o = o*ad[d] + idx[d]
		}
		l.order[k] = o
		for d := range arr {
			idx[d]++
			if idx[d] < ad[d] {
				break
			}
			idx[d] = 0
		}
	}
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

// constrain fills the parameter's slot from the unconstrained leaves u,
// adding the log Jacobian to lj when it is not nil.
func (l *layout) constrain(e *env, u []ad.Var, lj *ad.Var) {
	p := l.p
	t := e.t
	dst := p.get(e)
	shapeAs(dst, l.dims, p.v.Type)
	inner := l.dims[p.v.Type.Dims:]
	for k := range l.count {
		s := l.order[k]
		y := u[k*l.elemUnc : (k+1)*l.elemUnc]
		x := dst.R[s*l.elemSize : (s+1)*l.elemSize]
		var err error
		if l.st != nil {
			err = l.st.Constrain(t, y, x, inner, lj)
		} else {
			for i := range x {
				if x[i], err = l.scalar(e, y[i], s*l.elemSize+i, lj); err != nil {
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
			return err
		}
	}
	return nil
}

// unconstrain writes the unconstrained values of the parameter's slot into
// u, the model's whole unconstrained vector: the inverse of constrain.
func (l *layout) unconstrain(e *env, u []float64) error {
	p := l.p
	v := p.get(e)
	inner := l.dims[p.v.Type.Dims:]
	x := make([]float64, l.elemSize)
	for k := range l.count {
		s := l.order[k]
		for i := range x {
			x[i] = v.R[s*l.elemSize+i].Val
		}
		y := u[l.off+k*l.elemUnc : l.off+(k+1)*l.elemUnc]
		var err error
		if isStructured(p.base) {
			err = unconstrainStructured(p.base, x, inner, y)
		} else {
			for i, xi := range x {
				if y[i], err = l.unconstrainScalar(e, xi, s*l.elemSize+i); err != nil {
					break
				}
			}
		}
		if err != nil {
			return fmt.Errorf("parameter %q: %w", elementName(p.name, l.dims, p.v.Type, s*l.elemSize), err)
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

package compile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stan/ast"
	"github.com/gostan/gostan/stan/check"
)

// Block variables of tuple types. A tuple variable is its members that
// are not tuples (its leaves): each leaf is one ordinary value in the
// tuple's storage (tuple.go), so it is read from the data, transformed
// from the unconstrained parameters and checked as a variable of its own
// would be. A leaf is named as CmdStan names its output columns, x:2:1
// (member 1 of member 2 of x); Stan JSON gives a tuple as an object with
// keys "1", "2", ..., which model.ReadData flattens to these names.
//
// The parameters' unconstrained values are laid out leaf by leaf, each
// leaf (for an array of tuples, that member of every element) as a
// variable of its own would be.

// tupleNode is one level of a declared tuple type: a tuple, with its
// members, or a leaf.
type tupleNode struct {
	key     string // x, x:2, x:2:1
	arr     int    // array dimensions up to this level, the enclosing tuples' first
	members []*tupleNode
	// A leaf: its type with the enclosing tuples' array sizes first, a
	// variable standing for it, its storage and sizes.
	at    *ast.Type
	outer []ast.Expr // the enclosing tuples' array sizes
	v     *check.Var
	get   func(*env) *value
	dims  func(*env, []int) []int
}

// tupleTree builds the levels of a block variable of a tuple type.
func (c *compiler) tupleTree(d *ast.VarDecl) *tupleNode {
	root := c.info.Uses[d.Name]
	get := c.declareLocal(root).getter()
	return c.tupleLevel(d.Name.Name, d.Type, nil, get, root)
}

func (c *compiler) tupleLevel(key string, at *ast.Type, outer []ast.Expr, get func(*env) *value, root *check.Var) *tupleNode {
	all := append(append([]ast.Expr(nil), outer...), at.ArrayDims...)
	n := &tupleNode{key: key, arr: len(all)}
	dims := c.dimsOf(key, &ast.Type{TypePos: at.TypePos, Base: "tuple", ArrayDims: all})
	m := len(at.Members)
	for j, mt := range at.Members {
		k := j
		// Reaching a member gives the tuple its sizes and members.
		mget := func(e *env) *value {
			p := get(e)
			p.Dims = dims(e, p.Dims[:0])
			if len(p.T) != m {
				p.setMembers(p.Dims, m)
			}
			return &p.T[k]
		}
		mkey := key + ":" + strconv.Itoa(j+1)
		if mt.IsTuple() {
			n.members = append(n.members, c.tupleLevel(mkey, mt, all, mget, root))
			continue
		}
		lat := &ast.Type{TypePos: mt.TypePos, Base: mt.Base, Sizes: mt.Sizes, ArrayDims: append(append([]ast.Expr(nil), all...), mt.ArrayDims...),
			Lower: mt.Lower, Upper: mt.Upper, Offset: mt.Offset, Multiplier: mt.Multiplier, EndPos: mt.EndPos}
		n.members = append(n.members, &tupleNode{key: mkey, arr: len(lat.ArrayDims), at: lat, outer: all, get: mget, dims: c.dimsOf(mkey, lat),
			v: &check.Var{Name: mkey, Type: check.TypeOf(lat), Block: root.Block, Scope: check.Global, DataOnly: root.DataOnly}})
	}
	return n
}

// leaves lists the leaves below n in member order.
func (n *tupleNode) leaves() []*tupleNode {
	if n.at != nil {
		return []*tupleNode{n}
	}
	var out []*tupleNode
	for _, m := range n.members {
		out = append(out, m.leaves()...)
	}
	return out
}

// levels gives each leaf below n the array depths of the tuples it is a
// member of, outermost first (model.Value's TupleLevels).
func (n *tupleNode) levels() map[*tupleNode][]int {
	out := map[*tupleNode][]int{}
	var walk func(n *tupleNode, path []int)
	walk = func(n *tupleNode, path []int) {
		path = append(path[:len(path):len(path)], n.arr)
		for _, m := range n.members {
			if m.at != nil {
				out[m] = path
			} else {
				walk(m, path)
			}
		}
	}
	walk(n, nil)
	return out
}

// bound compiles a leaf's bound. A container bound has the member's
// shape; under arrays of tuples it is repeated for every element, as the
// leaf holds that member of each.
func (c *compiler) bound(b ast.Expr, outer []ast.Expr) *cexpr {
	if b == nil {
		return nil
	}
	x := c.expr(b)
	if x.v == nil || len(outer) == 0 {
		return &x
	}
	reps := c.dimsOf("bound", &ast.Type{Base: "tuple", ArrayDims: outer})
	f := x.v
	buf := c.buf()
	sizes := zeroState[[]int](c)
	tiled := cexpr{t: x.t, c: c, v: func(e *env) *value {
		bv, s := f(e), sizes.of(e)
		*s = reps(e, (*s)[:0])
		p := size(*s)
		isInt := bv.R == nil && bv.I != nil
		n := len(bv.R) + len(bv.I)
		w := buf.of(e)
		w.shape([]int{p * n}, isInt)
		for k := range p {
			if isInt {
				copy(w.I[k*n:], bv.I)
			} else {
				copy(w.R[k*n:], bv.R)
			}
		}
		return w
	}}
	return &tiled
}

// tupleData compiles reading a data variable of a tuple type, leaf by
// leaf.
func (c *compiler) tupleData(d *ast.VarDecl) []*dataVar {
	var out []*dataVar
	for _, l := range c.tupleTree(d).leaves() {
		dv := &dataVar{what: "data variable", name: l.key, root: d.Name.Name, v: l.v, get: l.get, dims: l.dims}
		if l.at.Lower != nil || l.at.Upper != nil || isStructured(l.at.Base) {
			dv.check = c.leafCheck(l, "data variable")
		}
		out = append(out, dv)
	}
	return out
}

// tupleChecks compiles the checks of a tuple variable's constrained
// leaves.
func (c *compiler) tupleChecks(d *ast.VarDecl, what string) []*constraintCheck {
	var out []*constraintCheck
	for _, l := range c.tupleTree(d).leaves() {
		if l.at.Lower != nil || l.at.Upper != nil || isStructured(l.at.Base) {
			out = append(out, c.leafCheck(l, what))
		}
	}
	return out
}

func (c *compiler) leafCheck(l *tupleNode, what string) *constraintCheck {
	ck := &constraintCheck{what: what, name: l.key, pos: c.pos(l.at.Pos()), get: l.get, kind: l.v.Type, base: l.at.Base,
		work: newState(c, func() *structWork { return &structWork{} })}
	if l.at.Lower != nil {
		ck.lower, ck.hasLo = *c.bound(l.at.Lower, l.outer), true
	}
	if l.at.Upper != nil {
		ck.upper, ck.hasHi = *c.bound(l.at.Upper, l.outer), true
	}
	return ck
}

// tupleParams compiles a parameter of a tuple type as one parameter a
// leaf; the first carries the tuple's output columns.
func (c *compiler) tupleParams(d *ast.VarDecl) []*paramVar {
	tree := c.tupleTree(d)
	levels := tree.levels()
	var out []*paramVar
	for i, l := range tree.leaves() {
		p := &paramVar{pos: c.pos(d.Pos()), name: l.key, v: l.v, get: l.get, dims: l.dims, base: l.at.Base, inTuple: true, levels: levels[l]}
		p.lower, p.upper = c.bound(l.at.Lower, l.outer), c.bound(l.at.Upper, l.outer)
		p.offset, p.mult = c.bound(l.at.Offset, l.outer), c.bound(l.at.Multiplier, l.outer)
		if i == 0 {
			p.tuple = tree
		}
		out = append(out, p)
	}
	return out
}

// tupleCol is one output column of a tuple variable: leaf's value at
// storage offset off (in reals), at offset data in Stan JSON's order of
// that leaf (row-major, in reals).
type tupleCol struct {
	leaf, off, data int
	name            string
}

// tupleColumns lists a tuple variable's output columns in CmdStan's
// order: the elements of an array of tuples first index fastest, each
// element's members in order, each member's own elements first index
// fastest; named x[1]:2[3] (CmdStan's x.1:2.3), nested tuples x:2:1.
func tupleColumns(root *tupleNode, e *env) ([]*tupleNode, []tupleCol) {
	leaves := root.leaves()
	index := map[*tupleNode]int{}
	dims := make([][]int, len(leaves))
	for i, l := range leaves {
		index[l] = i
		dims[i] = l.dims(e, nil)
	}
	var cols []tupleCol
	var walk func(n *tupleNode, prefix []int, name string)
	walk = func(n *tupleNode, prefix []int, name string) {
		if n.at == nil {
			d := dims[index[n.leaves()[0]]][:n.arr]
			eachColumnMajor(d[len(prefix):], func(a []int) {
				p := append(append([]int(nil), prefix...), a...)
				nm := name + brackets(a, "")
				for j, m := range n.members {
					walk(m, p, nm+":"+strconv.Itoa(j+1))
				}
			})
			return
		}
		li := index[n]
		d := dims[li]
		t := n.v.Type
		arr := t.Dims
		eachColumnMajor(d[len(prefix):], func(idx []int) {
			full := append(append([]int(nil), prefix...), idx...)
			o := 0
			for a := range arr {
				o = o*d[a] + full[a]
			}
			o *= size(d[arr:])
			if len(d) > arr {
				o += full[arr]
			}
			if len(d) > arr+1 {
				o += full[arr+1] * d[arr]
			}
			data := 0
			for a := range d {
				data = data*d[a] + full[a]
			}
			if !isComplex(t.Kind) {
				cols = append(cols, tupleCol{li, o, data, name + brackets(idx, "")})
				return
			}
			for p, part := range [2]string{"real", "imag"} {
				cols = append(cols, tupleCol{li, 2*o + p, 2*data + p, name + brackets(idx, part)})
			}
		})
	}
	walk(root, nil, root.key)
	return leaves, cols
}

// eachColumnMajor calls f with every index into dims (0-based), the
// first fastest; once with none for no dims.
func eachColumnMajor(dims []int, f func([]int)) {
	for _, n := range dims {
		if n == 0 {
			return
		}
	}
	idx := make([]int, len(dims))
	for {
		f(idx)
		k := 0
		for ; k < len(dims); k++ {
			idx[k]++
			if idx[k] < dims[k] {
				break
			}
			idx[k] = 0
		}
		if k == len(dims) {
			return
		}
	}
}

// brackets writes 0-based indices 1-based in gostan's bracket form,
// [1,2], with a complex part last: [1,real]; nothing for none.
func brackets(idx []int, part string) string {
	s := make([]string, 0, len(idx)+1)
	for _, i := range idx {
		s = append(s, strconv.Itoa(i+1))
	}
	if part != "" {
		s = append(s, part)
	}
	if len(s) == 0 {
		return ""
	}
	return "[" + strings.Join(s, ",") + "]"
}

// tupleOutput makes the output of a tuple variable's columns.
func tupleOutput(root *tupleNode, e *env) (output, []string, []tupleCol) {
	leaves, cols := tupleColumns(root, e)
	o := output{leaves: make([]func(*env) *value, len(leaves)), vals: make([]*value, len(leaves))}
	for i, l := range leaves {
		o.leaves[i] = l.get
	}
	names := make([]string, len(cols))
	for k, col := range cols {
		o.order = append(o.order, col.off)
		o.leaf = append(o.leaf, col.leaf)
		names[k] = col.name
	}
	return o, names, cols
}

// missingMember says why a leaf of a tuple is not in the data: the tuple
// is missing, or given without this member.
func (dv *dataVar) missingMember(data model.Data) error {
	prefix := dv.root + ":"
	for name := range data {
		if strings.HasPrefix(name, prefix) {
			return fmt.Errorf("%s %q has no member %s: Stan JSON gives a tuple as an object with keys \"1\", \"2\", ...", dv.what, dv.root, strings.ReplaceAll(strings.TrimPrefix(dv.name, prefix), ":", "."))
		}
	}
	if v, ok := data[dv.root]; ok && len(v.Elems) > 0 {
		return fmt.Errorf("%s %q is a tuple: give it as a JSON object with keys \"1\", \"2\", ...", dv.what, dv.root)
	}
	return fmt.Errorf("variable %q not found in the data", dv.root)
}

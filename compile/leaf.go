package compile

import (
	"math"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// Scalar loops spend their time in the leaves of expressions: a loop
// variable, t - k, y[t - k], beta[k], gamma[t - 1, j]. Compiled as nested
// closures, each leaf costs several indirect calls (the variable's getter,
// the index's closure, the index arithmetic's, its operands'). The
// compiler recognises these shapes and describes them as data (affine and
// leaf below), which the expressions that use them evaluate inline: an
// arithmetic node over two leaves makes no indirect call at all.

// affine is an int expression c + s1*v1 + s2*v2 over at most two scalar
// int variables: a loop variable, t - 1, t - k, N - t + 1; or, when in is
// set, the element of the 1-D int array in at such an index, as in
// alpha[county[i]].
type affine struct {
	c   int
	n   int
	s   [2]int
	vs  [2]varRef
	in  *varRef
	pos token.Position
}

// eval is the expression's value.
func (a *affine) eval(e *env) int {
	x := a.c
	if a.n > 0 { // unrolled: this is every scalar loop's index arithmetic
		x += a.s[0] * slot(e, a.vs[0]).I[0]
		if a.n > 1 {
			x += a.s[1] * slot(e, a.vs[1]).I[0]
		}
	}
	if a.in == nil {
		return x
	}
	arr := slot(e, *a.in).I
	if uint(x-1) >= uint(len(arr)) {
		indexFail(a.pos, x, len(arr))
	}
	return arr[x-1]
}

// slot is the storage of a variable.
func slot(e *env, r varRef) *value {
	if r.frame {
		return &e.frame[r.idx]
	}
	return &e.globals[r.idx]
}

// addAffine is a + sign*b, or nil when it needs more than two variables.
func addAffine(a, b *affine, sign int) *affine {
	if a == nil || b == nil || a.in != nil || b.in != nil {
		return nil
	}
	r := *a
	r.c += sign * b.c
	for i := 0; i < b.n; i++ {
		merged := false
		for j := 0; j < r.n; j++ {
			if r.vs[j] == b.vs[i] {
				r.s[j] += sign * b.s[i]
				merged = true
			}
		}
		if merged {
			continue
		}
		if r.n == 2 {
			return nil
		}
		r.vs[r.n], r.s[r.n] = b.vs[i], sign*b.s[i]
		r.n++
	}
	return &r
}

// leafKind says what a leaf reads.
type leafKind int

const (
	leafConst  leafKind = iota // a literal
	leafScalar                 // a real scalar variable
	leafElem1                  // x[i] of a 1-D real array or a vector
	leafElem2                  // x[i, j] of a 2-D array, an array of vectors or a matrix
)

// leaf is a real scalar expression read without computation: a constant,
// a scalar variable, or an element of a container variable at affine
// indices.
type leaf struct {
	kind     leafKind
	c        ad.Var
	cs       []ad.Var // {c}, for users that read through a slice
	v        varRef
	i, j     affine
	colMajor bool // x[i, j] of a matrix: i + j*rows; otherwise i*cols + j
	// global says that x[i, j] reads a global variable at indices c + s*v
	// of one global int each (gamma[t - 1, j]), which addr computes inline.
	global bool
	pos    token.Position
}

// single reports whether a is c + s*v for one global v.
func (a *affine) single() bool { return a.n == 1 && a.in == nil && !a.vs[0].frame }

// get reads the leaf, failing as Stan does for an index out of range.
func (l *leaf) get(e *env) ad.Var {
	switch l.kind {
	case leafConst:
		return l.c
	case leafScalar:
		return slot(e, l.v).R[0]
	}
	return *l.addr(e)
}

// addr is the element an elem leaf reads.
func (l *leaf) addr(e *env) *ad.Var {
	if l.kind == leafElem1 {
		x, i := slot(e, l.v).R, l.i.eval(e)
		if uint(i-1) >= uint(len(x)) {
			indexFail(l.pos, i, len(x))
		}
		return &x[i-1]
	}
	var v *value
	var i, j int
	if l.global {
		g := e.globals
		v = &g[l.v.idx]
		i = l.i.c + l.i.s[0]*g[l.i.vs[0].idx].I[0]
		j = l.j.c + l.j.s[0]*g[l.j.vs[0].idx].I[0]
	} else {
		v = slot(e, l.v)
		i, j = l.i.eval(e), l.j.eval(e)
	}
	rows, cols := v.Dims[len(v.Dims)-2], v.Dims[len(v.Dims)-1]
	if uint(i-1) >= uint(rows) {
		indexFail(l.pos, i, rows)
	}
	if uint(j-1) >= uint(cols) {
		indexFail(l.pos, j, cols)
	}
	if l.colMajor {
		return &v.R[i-1+(j-1)*rows]
	}
	return &v.R[(i-1)*cols+j-1]
}

func indexFail(pos token.Position, i, n int) {
	fail(pos, "index %d out of range; expecting index to be between 1 and %d", i, n)
}

// elemLeaf describes x[i] or x[i, j] with single affine indices into a
// variable read from its slot, when the result is a real scalar, or
// returns nil.
func elemLeaf(base cexpr, idx []index, t types.Type, pos token.Position) *leaf {
	if base.ref == nil || t != types.RealT || isComplex(base.t.Kind) {
		return nil
	}
	for _, ix := range idx {
		if ix.multi || ix.aff == nil {
			return nil
		}
	}
	bt := base.t
	switch {
	case len(idx) == 1 && (bt.Dims == 1 && innerDims(bt) == 0 || bt.Dims == 0 && innerDims(bt) == 1):
		return &leaf{kind: leafElem1, v: *base.ref, i: *idx[0].aff, pos: pos}
	case len(idx) == 2 && bt.Dims+innerDims(bt) == 2:
		l := &leaf{kind: leafElem2, v: *base.ref, i: *idx[0].aff, j: *idx[1].aff, colMajor: bt.Dims == 0, pos: pos}
		l.global = !l.v.frame && l.i.single() && l.j.single()
		return l
	}
	return nil
}

// elemAffine describes x[i] for a 1-D int array x read from its slot and
// an affine i, or returns nil.
func elemAffine(base cexpr, idx []index, t types.Type, pos token.Position) *affine {
	if base.ref == nil || t != types.IntT || base.t.Dims != 1 || len(idx) != 1 || idx[0].multi || idx[0].aff == nil || idx[0].aff.in != nil {
		return nil
	}
	a := *idx[0].aff
	a.in, a.pos = base.ref, pos
	return &a
}

// constLeaf is a literal's leaf.
func constLeaf(v float64) *leaf {
	c := ad.Const(v)
	return &leaf{kind: leafConst, c: c, cs: []ad.Var{c}}
}

// leafExpr is the compiled expression of a leaf.
func leafExpr(t types.Type, l *leaf) cexpr {
	if l.kind == leafElem1 && !l.v.frame && l.i.single() {
		// x[t + c] of a global x and a global loop variable t, the most
		// common leaf of a model's loops: read in one closure call.
		c, s, xi, ti, pos := l.i.c-1, l.i.s[0], l.v.idx, l.i.vs[0].idx, l.pos
		return cexpr{t: t, r: func(e *env) ad.Var {
			i, x := c+s*e.ints[ti], e.globals[xi].R
			if uint(i) >= uint(len(x)) {
				indexFail(pos, i+1, len(x))
			}
			return x[i]
		}, lf: l}
	}
	return cexpr{t: t, r: func(e *env) ad.Var { return l.get(e) }, lf: l}
}

// logMemo remembers the last few logarithms a call site took: in a loop
// the scale of y[t] ~ normal(mu, sigma) is the same sigma every
// iteration, and an HMM's emission exponential_lpdf(u[t] | phi[k]) takes
// K rates in turn.
type logMemo struct {
	x, lx [logWays]float64
	n     int // entries filled
	next  int // the entry to replace
}

// logWays is how many logarithms a logMemo remembers.
const logWays = 4

func (m *logMemo) log(x float64) float64 {
	for i := range m.n {
		if m.x[i] == x {
			return m.lx[i]
		}
	}
	k := m.next
	m.x[k], m.lx[k] = x, math.Log(x)
	m.next = (k + 1) % logWays
	m.n = max(m.n, k+1)
	return m.lx[k]
}

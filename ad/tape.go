package ad

import "slices"

// Var is a real scalar: its value and the tape slot that records how it was
// computed. The zero Var is the constant 0.
type Var struct {
	Val float64
	id  int32
}

// Const returns a constant: a value that carries no derivative.
func Const(v float64) Var { return Var{Val: v} }

// IsConst reports whether v is a constant (data) rather than a tape variable.
func (v Var) IsConst() bool { return v.id == 0 }

// AnyVar reports whether some element of the slices is a tape variable:
// whether a node over them needs partials at all.
func AnyVar(vs ...[]Var) bool {
	for _, v := range vs {
		for _, x := range v {
			if !x.IsConst() {
				return true
			}
		}
	}
	return false
}

// ID returns v's tape slot, 0 for a constant.
func (v Var) ID() int32 { return v.id }

// BackwardFunc propagates the adjoints of a custom node: it reads the
// adjoints of the node's outputs from adj and adds their contributions to the
// adjoints of its inputs. ints and flts are the data the node stored with
// Tape.Custom. It must be a top-level function (not a closure) so that
// recording it allocates nothing.
type BackwardFunc func(adj []float64, ints []int32, flts []float64)

type customNode struct {
	fn     BackwardFunc
	i0, i1 int32 // range in Tape.ints
	f0, f1 int32 // range in Tape.flts
}

// Tape records operations for one reverse sweep.
type Tape struct {
	n   int32  // slots in use; slot 0 is the constant sink
	gen uint64 // resets so far

	// Statement s produces slot lhs[s] (or, when lhs[s] < 0, is custom node
	// -lhs[s]-1); its operands are opIdx/opD[end[s-1]:end[s]].
	lhs   []int32
	end   []int32
	opIdx []int32
	opD   []float64

	custom []customNode
	ints   []int32
	flts   []float64

	adj   []float64
	arena []Var

	// scratch and iscratch are working memory for one operation at a time
	// (see tmp and tmpInts).
	scratch  []float64
	iscratch []int32
}

// NewTape returns an empty tape.
func NewTape() *Tape {
	t := &Tape{}
	t.Reset()
	return t
}

// Reset empties the tape, keeping its memory. Vars and slices returned by
// Vars from before the reset must not be used afterwards.
func (t *Tape) Reset() {
	t.n = 1
	t.gen++
	t.lhs = t.lhs[:0]
	t.end = t.end[:0]
	t.opIdx = t.opIdx[:0]
	t.opD = t.opD[:0]
	t.custom = t.custom[:0]
	t.ints = t.ints[:0]
	t.flts = t.flts[:0]
	t.arena = t.arena[:0]
}

// Generation counts the resets: a Var recorded while Generation returned
// g is valid as long as it still returns g.
func (t *Tape) Generation() uint64 { return t.gen }

// Len returns the number of variables recorded since the last reset.
func (t *Tape) Len() int { return int(t.n - 1) }

// Var returns a new independent variable (a leaf of the tape) with value v.
func (t *Tape) Var(v float64) Var {
	id := t.n
	t.n++
	return Var{Val: v, id: id}
}

// Vars returns a slice of n Vars from the tape's arena. It is valid until the
// next Reset and lets vector operations return results without allocating.
func (t *Tape) Vars(n int) []Var {
	k := len(t.arena)
	if cap(t.arena)-k < n {
		grown := make([]Var, k, 2*cap(t.arena)+n)
		copy(grown, t.arena)
		t.arena = grown
	}
	t.arena = t.arena[:k+n]
	s := t.arena[k : k+n : k+n]
	clear(s)
	return s
}

// tmp returns n floats of working memory, valid until the next call. On a
// nil tape (constant operands only) it allocates.
func (t *Tape) tmp(n int) []float64 {
	if t == nil {
		return make([]float64, n)
	}
	if cap(t.scratch) < n {
		t.scratch = make([]float64, n, 2*n)
	}
	return t.scratch[:n]
}

// tmpInts is tmp for int32s.
func (t *Tape) tmpInts(n int) []int32 {
	if t == nil {
		return make([]int32, n)
	}
	if cap(t.iscratch) < n {
		t.iscratch = make([]int32, n, 2*n)
	}
	return t.iscratch[:n]
}

// stmt closes the statement whose operands were appended since the previous
// one and returns its result.
func (t *Tape) stmt(v float64) Var {
	r := t.Var(v)
	t.lhs = append(t.lhs, r.id)
	t.end = append(t.end, int32(len(t.opIdx)))
	return r
}

// Unary returns a Var with value v and partial da with respect to a.
// It records nothing when a is constant.
func (t *Tape) Unary(v float64, a Var, da float64) Var {
	if a.id == 0 {
		return Var{Val: v}
	}
	t.opIdx = append(t.opIdx, a.id)
	t.opD = append(t.opD, da)
	return t.stmt(v)
}

// Binary returns a Var with value v and partials da, db with respect to a, b.
func (t *Tape) Binary(v float64, a Var, da float64, b Var, db float64) Var {
	switch {
	case a.id == 0 && b.id == 0:
		return Var{Val: v}
	case b.id == 0:
		return t.Unary(v, a, da)
	case a.id == 0:
		return t.Unary(v, b, db)
	}
	t.opIdx = append(t.opIdx, a.id, b.id)
	t.opD = append(t.opD, da, db)
	return t.stmt(v)
}

// Ternary returns a Var with value v and partials da, db, dc with respect
// to a, b, c, skipping the constants among them: one statement where
// operators would record two.
func (t *Tape) Ternary(v float64, a Var, da float64, b Var, db float64, c Var, dc float64) Var {
	if a.id == 0 || b.id == 0 || c.id == 0 {
		bl := t.Begin()
		bl.Add(a, da)
		bl.Add(b, db)
		bl.Add(c, dc)
		return bl.End(v)
	}
	t.opIdx = append(t.opIdx, a.id, b.id, c.id)
	t.opD = append(t.opD, da, db, dc)
	return t.stmt(v)
}

// Builder accumulates the partials of one result with many operands, such as
// a vectorised log density: one statement with N partials instead of N
// statements. Only one Builder may be open on a tape at a time, and no other
// operation may be recorded between Begin and End.
type Builder struct {
	t     *Tape
	start int
}

// Begin opens a Builder.
func (t *Tape) Begin() Builder {
	if t == nil {
		return Builder{}
	}
	return Builder{t: t, start: len(t.opIdx)}
}

// Add records d as the partial of the result with respect to v; constants are
// skipped. Adding the same Var twice sums the partials.
func (b *Builder) Add(v Var, d float64) {
	if v.id == 0 {
		return
	}
	b.t.opIdx = append(b.t.opIdx, v.id)
	b.t.opD = append(b.t.opD, d)
}

// Grow makes room for n more operands, so that the slices AddVars returns
// stay valid through Adds and AddVars of n operands in all.
func (b *Builder) Grow(n int) {
	t := b.t
	t.opIdx = slices.Grow(t.opIdx, n)
	t.opD = slices.Grow(t.opD, n)
}

// Tape returns the tape the Builder records on, nil for a constant
// evaluation.
func (b *Builder) Tape() *Tape { return b.t }

// Cancel drops the operands added since Begin: the Builder records nothing.
func (b *Builder) Cancel() {
	if b.t != nil {
		b.t.opIdx, b.t.opD = b.t.opIdx[:b.start], b.t.opD[:b.start]
	}
}

// AddVars records every element of vs as an operand and returns their
// partials, in order, for the caller to fill: the one-pass form of Add for
// a vector argument of a vectorised density. The slice is valid until an
// Add or AddVars beyond the room made by Grow. A constant in vs is
// recorded against slot 0, the constant sink, whose adjoint nothing reads.
func (b *Builder) AddVars(vs []Var) []float64 {
	t := b.t
	k := len(t.opIdx)
	t.opIdx = slices.Grow(t.opIdx, len(vs))
	t.opD = slices.Grow(t.opD, len(vs))
	n := k + len(vs)
	t.opIdx, t.opD = t.opIdx[:n], t.opD[:n]
	ids := t.opIdx[k:n]
	for i, v := range vs {
		ids[i] = v.id
	}
	return t.opD[k:n:n]
}

// End returns the result with value v: a constant if no Var was added.
func (b *Builder) End(v float64) Var {
	if b.t == nil || len(b.t.opIdx) == b.start {
		return Var{Val: v}
	}
	return b.t.stmt(v)
}

// Statement records one statement with value v whose operands are the
// slots ids (each a Var's ID from this tape since the last Reset, none 0)
// with partials ds: a result gathered elsewhere, such as the terms of a
// sampling statement a loop deferred. With no operands it returns the
// constant v.
func (t *Tape) Statement(v float64, ids []int32, ds []float64) Var {
	if len(ids) == 0 {
		return Var{Val: v}
	}
	t.opIdx = append(t.opIdx, ids...)
	t.opD = append(t.opD, ds[:len(ids)]...)
	return t.stmt(v)
}

// Custom records a node whose adjoints are propagated by fn. The node's
// outputs must have been created with Var before the call, and its inputs
// and outputs are passed to fn through ints (as slot IDs) along with flts.
// Both are copied onto the tape.
func (t *Tape) Custom(fn BackwardFunc, ints []int32, flts []float64) {
	c := customNode{fn: fn, i0: int32(len(t.ints)), f0: int32(len(t.flts))}
	t.ints = append(t.ints, ints...)
	t.flts = append(t.flts, flts...)
	c.i1, c.f1 = int32(len(t.ints)), int32(len(t.flts))
	t.custom = append(t.custom, c)
	t.lhs = append(t.lhs, -int32(len(t.custom)))
	t.end = append(t.end, int32(len(t.opIdx)))
}

// CustomSpace reserves room for a custom node's data directly on the tape and
// returns the reserved slices, which the caller fills before calling
// CustomCommit. It avoids a temporary copy for large nodes.
func (t *Tape) CustomSpace(nInts, nFlts int) ([]int32, []float64) {
	i0, f0 := len(t.ints), len(t.flts)
	t.ints = append(t.ints, make([]int32, nInts)...)
	t.flts = append(t.flts, make([]float64, nFlts)...)
	return t.ints[i0:], t.flts[f0:]
}

// CustomCommit records a custom node over the last nInts ints and nFlts flts
// reserved with CustomSpace.
func (t *Tape) CustomCommit(fn BackwardFunc, nInts, nFlts int) {
	c := customNode{fn: fn, i0: int32(len(t.ints) - nInts), i1: int32(len(t.ints)),
		f0: int32(len(t.flts) - nFlts), f1: int32(len(t.flts))}
	t.custom = append(t.custom, c)
	t.lhs = append(t.lhs, -int32(len(t.custom)))
	t.end = append(t.end, int32(len(t.opIdx)))
}

// Grad runs the reverse sweep from y: afterwards Adjoint(v) is dy/dv for
// every Var v recorded since the last Reset.
func (t *Tape) Grad(y Var) {
	if t.GradBegin(y) {
		t.Sweep(len(t.lhs), 0)
	}
}

// GradBegin starts a reverse sweep from y in pieces: it clears the
// adjoints and seeds y's. Sweep(Size().Stmts, 0) after it is Grad; a caller
// that times parts of the sweep (compile's profile statements) runs Sweep
// over consecutive ranges from the last statement down to the first.
// GradBegin returns false when y is a constant: there is nothing to sweep.
func (t *Tape) GradBegin(y Var) bool {
	n := int(t.n)
	if cap(t.adj) < n {
		t.adj = make([]float64, n, 2*n)
	}
	t.adj = t.adj[:n]
	clear(t.adj)
	if y.id == 0 {
		return false
	}
	t.adj[y.id] = 1
	return true
}

// Sweep propagates the adjoints through statements hi-1 down to lo, in the
// order of the reverse sweep. Statement numbers are those of Size.
func (t *Tape) Sweep(hi, lo int) {
	adj := t.adj
	opIdx, opD, end := t.opIdx, t.opD, t.end
	for s := hi - 1; s >= lo; s-- {
		start := int32(0)
		if s > 0 {
			start = end[s-1]
		}
		l := t.lhs[s]
		if l < 0 {
			c := &t.custom[-l-1]
			c.fn(adj, t.ints[c.i0:c.i1], t.flts[c.f0:c.f1])
			continue
		}
		a := adj[l]
		if a == 0 {
			continue
		}
		for k := start; k < end[s]; k++ {
			adj[opIdx[k]] += a * opD[k]
		}
	}
}

// Size is how much a tape holds: Slots variables (Len), Stmts statements
// (each one step of the reverse sweep), Custom of them custom nodes.
type Size struct {
	Slots, Stmts, Custom int
}

// Size returns what the tape holds since the last Reset. The difference of
// two Sizes is what was recorded between them.
func (t *Tape) Size() Size {
	return Size{Slots: int(t.n - 1), Stmts: len(t.lhs), Custom: len(t.custom)}
}

// Adjoint returns the derivative computed by the last Grad with respect to v:
// 0 for a constant.
func (t *Tape) Adjoint(v Var) float64 {
	if v.id == 0 || int(v.id) >= len(t.adj) {
		return 0
	}
	return t.adj[v.id]
}

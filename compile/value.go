package compile

import (
	"fmt"
	"math"
	"slices"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/stan/token"
	"github.com/gostan/gostan/stan/types"
)

// value is a container value: an array, vector, row vector or matrix, or an
// array of them. Elements are flat: arrays row-major (the first index
// slowest), each vector contiguous, each matrix column-major as in Stan.
// Dims lists the array sizes, then the vector's size or the matrix's rows
// and columns. Real values live in R, integer values in I, complex values
// in R as (re, im) pairs (see complex.go). A tuple, or an array of
// tuples, holds its members in T instead (see tuple.go).
type value struct {
	Dims []int
	R    []ad.Var
	I    []int
	T    []value
}

// size is the number of elements of a shape.
func size(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

// shape resizes v to dims, reusing its storage when it is large enough.
func (v *value) shape(dims []int, isInt bool) {
	if !isInt {
		v.shapeReals(dims, size(dims))
		return
	}
	guardElements(dims)
	v.Dims = append(v.Dims[:0], dims...)
	n := size(dims)
	if cap(v.I) < n {
		v.I = make([]int, n)
	}
	v.I = v.I[:n]
	v.R = nil
}

// shapeIntScalar makes v an int scalar, as shape(nil, true) does, with
// nothing to do when it is one already: a loop's variable, shaped each
// time the loop starts.
func (v *value) shapeIntScalar() {
	if len(v.Dims) != 0 || len(v.I) != 1 || v.R != nil {
		v.shape(nil, true)
	}
}

// shapeReals resizes v to dims holding n reals (size(dims), or twice it
// for a complex value), reusing its storage when it is large enough.
func (v *value) shapeReals(dims []int, n int) {
	guardElements(dims)
	v.Dims = append(v.Dims[:0], dims...)
	if cap(v.R) < n {
		v.R = make([]ad.Var, n)
	}
	v.R = v.R[:n]
	v.I = nil
}

// guardElements stops an evaluation that would allocate a value of more
// than MaxElements elements or of a negative size, which a function's
// size arguments (rep_vector(0, N)) can ask for; the statement's
// position is added where the failure is reported.
func guardElements(dims []int) {
	if elementsOK(dims) {
		return
	}
	if err := checkElements("a value", slices.Clone(dims)); err != nil {
		panic(&evalError{err: err})
	}
}

// fillNaN sets reals to NaN and ints to the smallest int, Stan's values
// for declared but unassigned variables.
func (v *value) fillNaN() {
	for i := range v.R {
		v.R[i] = ad.Const(math.NaN())
	}
	for i := range v.I {
		v.I[i] = math.MinInt32
	}
}

// copyFrom makes v an independent copy of o, real, int or complex (two
// reals an element).
func (v *value) copyFrom(o *value) {
	if o.T != nil {
		v.copyTuple(o)
		return
	}
	if o.R == nil && o.I != nil {
		v.shape(o.Dims, true)
		copy(v.I, o.I)
		return
	}
	v.shapeReals(o.Dims, len(o.R))
	copy(v.R, o.R)
}

// innerDims is the number of trailing dims that belong to a vector (1) or
// matrix (2) of type t.
func innerDims(t types.Type) int {
	switch t.Kind {
	case types.Vector, types.RowVector, types.ComplexVector, types.ComplexRowVector:
		return 1
	case types.Matrix, types.ComplexMatrix:
		return 2
	}
	return 0
}

// matrix views the matrix at the start of v (v must be a matrix).
func (v *value) matrix() ad.Matrix {
	n := len(v.Dims)
	return ad.Matrix{Rows: v.Dims[n-2], Cols: v.Dims[n-1], Data: v.R}
}

// evalError is a run-time error at a statement or expression: a domain
// error, reject(), an index out of range. Evaluation panics with it and the
// model's entry points recover it as an error value.
type evalError struct {
	pos token.Position
	err error
	// rejected marks reject() and fatal_error(), whose message is the
	// user's own.
	rejected bool
}

func (e *evalError) Error() string {
	if e.pos.Line == 0 {
		return e.err.Error()
	}
	return fmt.Sprintf("%s: %v", e.pos, e.err)
}

func (e *evalError) Unwrap() error { return e.err }

package types

import "strings"

// Kind is a Stan base type.
type Kind uint8

const (
	Invalid Kind = iota
	Int
	Real
	Complex
	Vector
	RowVector
	Matrix
	ComplexVector
	ComplexRowVector
	ComplexMatrix
	Void
)

var kindNames = [...]string{
	Invalid: "invalid", Int: "int", Real: "real", Complex: "complex",
	Vector: "vector", RowVector: "row_vector", Matrix: "matrix",
	ComplexVector: "complex_vector", ComplexRowVector: "complex_row_vector",
	ComplexMatrix: "complex_matrix", Void: "void",
}

func (k Kind) String() string { return kindNames[k] }

// Type is an unsized Stan type: a base kind inside Dims array dimensions.
// Sizes and constraints belong to declarations, not to types.
type Type struct {
	Kind Kind
	Dims int
}

// Common types.
var (
	IntT       = Type{Kind: Int}
	RealT      = Type{Kind: Real}
	ComplexT   = Type{Kind: Complex}
	VectorT    = Type{Kind: Vector}
	RowVectorT = Type{Kind: RowVector}
	MatrixT    = Type{Kind: Matrix}
	VoidT      = Type{Kind: Void}
)

// Array returns the type of an array of t with dims more dimensions.
func Array(t Type, dims int) Type { return Type{t.Kind, t.Dims + dims} }

// String writes t in Stan's current syntax: "array[,] vector".
func (t Type) String() string {
	if t.Dims == 0 {
		return t.Kind.String()
	}
	return "array[" + strings.Repeat(",", t.Dims-1) + "] " + t.Kind.String()
}

// IsScalar reports an int, real or complex that is not an array.
func (t Type) IsScalar() bool {
	return t.Dims == 0 && (t.Kind == Int || t.Kind == Real || t.Kind == Complex)
}

// IsPrim reports an int, real or complex base, possibly in arrays.
func (t Type) IsPrim() bool { return t.Kind == Int || t.Kind == Real || t.Kind == Complex }

// IsMatrixLike reports a vector, row vector or matrix base (real or
// complex), possibly in arrays.
func (t Type) IsMatrixLike() bool { return t.Kind >= Vector && t.Kind <= ComplexMatrix }

// Elem is the type of one element of an array (one dimension less), or
// of one entry of a vector or matrix (a real or complex).
func (t Type) Elem() Type {
	if t.Dims > 0 {
		return Type{t.Kind, t.Dims - 1}
	}
	switch t.Kind {
	case Vector, RowVector, Matrix:
		return RealT
	case ComplexVector, ComplexRowVector, ComplexMatrix:
		return ComplexT
	}
	return Type{}
}

// Promotes reports whether a value of type from may be used where to is
// expected: the same type, or int to real to complex, real containers to
// complex ones, elementwise through arrays of the same dimension.
func Promotes(from, to Type) bool {
	if from.Dims != to.Dims {
		return false
	}
	return promotesKind(from.Kind, to.Kind)
}

func promotesKind(from, to Kind) bool {
	if from == to {
		return true
	}
	switch to {
	case Real:
		return from == Int
	case Complex:
		return from == Int || from == Real
	case ComplexVector:
		return from == Vector
	case ComplexRowVector:
		return from == RowVector
	case ComplexMatrix:
		return from == Matrix
	}
	return false
}

// promotionCost counts the promotions Promotes needs, so that resolution
// prefers the closest signature.
func promotionCost(from, to Type) int {
	if from.Kind == to.Kind {
		return 0
	}
	if from.Kind == Int && to.Kind == Complex {
		return 2
	}
	return 1
}

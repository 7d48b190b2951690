package types

import (
	"strings"
	"sync"
)

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
	Tuple // a tuple of member types (Type.Members)
)

var kindNames = [...]string{
	Invalid: "invalid", Int: "int", Real: "real", Complex: "complex",
	Vector: "vector", RowVector: "row_vector", Matrix: "matrix",
	ComplexVector: "complex_vector", ComplexRowVector: "complex_row_vector",
	ComplexMatrix: "complex_matrix", Void: "void", Tuple: "tuple",
}

func (k Kind) String() string { return kindNames[k] }

// Type is an unsized Stan type: a base kind inside Dims array dimensions.
// Sizes and constraints belong to declarations, not to types. A tuple's
// member types are interned (see TupleOf), so that types stay comparable
// with == and usable as map keys.
type Type struct {
	Kind Kind
	Dims int
	tup  *tupleMembers // the members when Kind is Tuple
}

// tupleMembers is the interned list of a tuple type's members.
type tupleMembers struct{ elems []Type }

// tuples interns member lists by their written form. It is shared by
// every goroutine that checks or compiles a program; sync.Map makes that
// safe.
var tuples sync.Map // string -> *tupleMembers

// TupleOf returns the type tuple(members...). Stan's tuples have at least
// two members; the checker enforces that, not this constructor.
func TupleOf(members ...Type) Type {
	key := typeList(members)
	if m, ok := tuples.Load(key); ok {
		return Type{Kind: Tuple, tup: m.(*tupleMembers)}
	}
	m, _ := tuples.LoadOrStore(key, &tupleMembers{elems: append([]Type(nil), members...)})
	return Type{Kind: Tuple, tup: m.(*tupleMembers)}
}

// Members returns a tuple type's member types (of one element, for an
// array of tuples); nil for other types. The slice is shared: callers
// must not modify it.
func (t Type) Members() []Type {
	if t.tup == nil {
		return nil
	}
	return t.tup.elems
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
func Array(t Type, dims int) Type { return Type{t.Kind, t.Dims + dims, t.tup} }

// String writes t in Stan's current syntax: "array[,] vector".
func (t Type) String() string {
	base := t.Kind.String()
	if t.Kind == Tuple {
		base = "tuple(" + typeList(t.Members()) + ")"
	}
	if t.Dims == 0 {
		return base
	}
	return "array[" + strings.Repeat(",", t.Dims-1) + "] " + base
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
		return Type{t.Kind, t.Dims - 1, t.tup}
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
	if from.Kind == Tuple || to.Kind == Tuple {
		// Tuples are covariant: member by member (Stan Reference Manual,
		// "Tuple data type").
		fm, tm := from.Members(), to.Members()
		if from.Kind != to.Kind || len(fm) != len(tm) {
			return false
		}
		for i := range fm {
			if !Promotes(fm[i], tm[i]) {
				return false
			}
		}
		return true
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

// PromotionCost counts the promotions Promotes needs (int to complex counts
// two, as in stanc3's promotion_cost), so that resolution
// prefers the closest signature.
func PromotionCost(from, to Type) int {
	if from.Kind == Tuple {
		cost := 0
		for i, m := range from.Members() {
			cost += PromotionCost(m, to.Members()[i])
		}
		return cost
	}
	if from.Kind == to.Kind {
		return 0
	}
	if from.Kind == Int && to.Kind == Complex {
		return 2
	}
	return 1
}

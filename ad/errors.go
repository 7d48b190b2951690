package ad

import "fmt"

// SizeError reports operands whose sizes do not fit together, in Stan's
// words: "multiply: Columns of m1 (3) and Rows of m2 (2) must match in size".
type SizeError struct {
	Func         string
	Name1, Name2 string
	N1, N2       int
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("%s: %s (%d) and %s (%d) must match in size", e.Func, e.Name1, e.N1, e.Name2, e.N2)
}

// MatrixError reports a matrix that lacks a property an operation needs,
// such as "cholesky_decompose: Matrix m is not positive definite".
type MatrixError struct {
	Func string
	Msg  string // follows "Func: "
}

func (e *MatrixError) Error() string { return e.Func + ": " + e.Msg }

// sizeCheck returns a SizeError unless n1 == n2.
func sizeCheck(fn, name1 string, n1 int, name2 string, n2 int) error {
	if n1 == n2 {
		return nil
	}
	return &SizeError{fn, name1, name2, n1, n2}
}

// squareCheck returns Stan's error for a non-square matrix.
func squareCheck(fn, name string, m Matrix) error {
	if m.Rows == m.Cols {
		return nil
	}
	return &SizeError{fn, "Expecting a square matrix; rows of " + name, "columns of " + name, m.Rows, m.Cols}
}

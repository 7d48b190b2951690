// Package ad is reverse-mode automatic differentiation on a flat tape.
//
// The tape follows Adept (Hogan 2014, "Fast reverse-mode automatic
// differentiation using expression templates in C++"): every result is a
// statement stored as (operand index, partial derivative) pairs in flat
// arrays, and the backward pass is one loop over those arrays with no
// dynamic dispatch. Operations on whole matrices (Cholesky, solves,
// inverses) record a single custom node with their own adjoint function.
//
// A Var carries its value inline and the index of its tape slot. Index 0
// means a constant: arithmetic on constants returns constants and records
// nothing, so data-only work never touches the tape and a nil *Tape can
// evaluate constant expressions. Slot 0 of the adjoint array is a sink that
// absorbs contributions to constants, so custom nodes need no branches for
// them.
//
// A Tape serves one goroutine. Reset empties it without freeing memory, so a
// steady-state gradient evaluation of a fixed function allocates nothing.
package ad

// Package transform implements Stan's constraint transforms (2.21's, and
// the sum-to-zero and stochastic-matrix types of Stan 2.36 and 2.37): each maps
// a slice of the unconstrained parameter vector to a constrained value and
// adds the log absolute determinant of its Jacobian to an accumulator, and
// each has a float64 inverse that maps constrained values (such as initial
// values) back to unconstrained ones.
//
// The unconstrained layouts and the Jacobian terms (including Stan's
// constants) are exactly Stan's, so that a compiled model's log density and
// gradient match Stan's on the same unconstrained vector; but declared
// simplexes and stochastic matrices keep Stan 2.21's stick-breaking
// coordinates (Simplex), where Stan 2.37 builds them from the isometric
// log-ratio transform, which the language's simplex_* and stochastic_*_
// functions use here as in Stan (SimplexILR, LookupFunction).
//
// Constrain functions take a tape, the unconstrained Vars, and lj, the
// log-Jacobian accumulator; a nil lj skips the Jacobian (as Stan does when
// it writes draws). With constant inputs and a constant (or nil) lj they
// record nothing and accept a nil tape, which makes them the float64
// transforms too. Matrix results are written column-major, as ad.Matrix stores
// them, into a caller-provided slice. Lookup's table gives the structured
// ones (simplex, cov_matrix, ...) by type name, for declared variables and
// the language's *_constrain functions alike.
package transform

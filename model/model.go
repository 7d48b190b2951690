package model

import "math/rand/v2"

// Model is a posterior over an unconstrained real vector with exactly
// Stan's layout, the contract every gradient-based algorithm relies on (the
// same contract as BridgeStan). A Model value owns scratch space and serves
// one goroutine; Clone gives another goroutine its own.
type Model interface {
	// Dim is the unconstrained dimension.
	Dim() int
	// LogDensity returns log p(theta | data) plus the log-Jacobian of the
	// constraining transform, Stan's constants dropped. It fills grad
	// when grad is non-nil. An error (domain error, reject) means the
	// point is outside the support; samplers treat it as log density -Inf.
	LogDensity(theta, grad []float64) (float64, error)
	// Names are the constrained output columns in Stan's order and style:
	// "beta[2]", "Sigma[1,2]".
	Names() []string
	// Write maps theta to the output columns: parameters, transformed
	// parameters and generated quantities (drawn with rng). On an error,
	// out holds the columns computed before it and NaN after them, as
	// Stan writes a draw whose generated quantities fail.
	Write(theta []float64, rng *rand.Rand, out []float64) error
	// Clone returns an independent evaluator of the same posterior.
	Clone() Model
}

// Explainer is a Model that can say why its log density at a point is not
// finite, for the messages of a failed initialisation. Its LogDensity may
// return -Inf without an error, as Stan's does outside a support.
type Explainer interface {
	// Explain returns nil when the log density at theta and its gradient
	// are finite, and otherwise an error naming the statement (file:line)
	// that made the density non-finite, or the parameter whose gradient
	// is not finite.
	Explain(theta []float64) error
}

// ParamBlock is one parameter's values in the unconstrained vector: the
// values of its array element k are Starts[k], Starts[k]+1, ...,
// ElemSize of them. Constraint names its structured constraint
// ("simplex", "positive_ordered", ...), "" for one applied value by value
// (bounds, offset and multiplier, none).
type ParamBlock struct {
	Name, Constraint string
	Starts           []int
	ElemSize         int
}

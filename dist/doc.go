// Package dist holds the probability distributions of Stan's functions
// reference: log densities with their partial derivatives, CDFs, and random
// draws. Compiled Stan programs and the Go modelling API both call it.
//
// Real arguments are []ad.Var: a slice of length 1 is a scalar and
// broadcasts against the others, as Stan vectorises. Each log density
// returns one tape statement with one partial per varying element (a scalar
// argument contributes a single summed partial), never one node per element.
//
// With propto true a density drops the terms that do not depend on any
// varying (non-constant) argument, as Stan's `~` statement does; with propto
// false (`target += normal_lpdf(...)`) it keeps them all.
//
// Argument names in error messages are argName constants (args.go). Files
// that need names of their own take them from a private range: 64-95 for
// continuous univariate, 96-127 for positive-support, 128-159 for discrete,
// 160-191 for multivariate distributions.
package dist

// Package advi is Stan's automatic differentiation variational inference
// (Kucukelbir, Tran, Ranganath, Gelman and Blei 2017, "Automatic
// Differentiation Variational Inference", JMLR 18): a Gaussian on the
// unconstrained space, mean-field (diagonal) or full-rank, fitted by
// stochastic gradient ascent on the ELBO with Stan's adaptive step-size
// sequence, its eta search and its relative-tolerance stopping rule.
//
// RunContext stops the ascent before its next iteration when its context
// is cancelled (Ctrl-C in gostan variational) and draws from the
// approximation reached, flagged Interrupted.
package advi

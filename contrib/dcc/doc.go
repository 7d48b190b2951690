// Package dcc is Divide, Conquer and Combine (Zhou, Yang, Teh and
// Rainforth 2020, "Divide, Conquer, and Combine: a New Inference Strategy
// for Probabilistic Programs with Stochastic Support"), after NumPyro's
// contributed DCC: inference on ppl models whose structure depends on
// discrete sites marked ppl.Branch().
//
// Divide: the model runs forward from its prior NumSLPSamples times, and
// each distinct tuple of the branch sites' values seen is a straight-line
// program (SLP), a model of fixed support. Conquer: each SLP is the model
// with its branch sites conditioned on their values; NUTS samples its
// continuous sites, and its normalising constant Z_k (the marginal
// likelihood with the branch sites' prior probabilities) is estimated by
// importance sampling with a normal proposal fitted to its draws on the
// unconstrained scale. Combine: the SLPs' posterior weights are Z_k / Σ Z,
// and the combined posterior draws an SLP by weight, then one of its draws.
//
// An SLP the discovery never met gets no weight: programs of small prior
// probability need more NumSLPSamples.
package dcc

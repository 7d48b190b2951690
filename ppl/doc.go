// Package ppl is gostan's Go-native modelling language: NumPyro's
// primitives (Sample, Param, Factor, Deterministic, Plate) and effect
// handlers (Trace, Substitute, Condition, Seed, Block, Scale, Mask) on the
// same tape, densities (package dist) and constraint transforms (package
// transform) that compiled Stan programs use.
//
// A Model is a Go function that states a generative model through a Ctx.
// Handlers change what the primitives do without changing the model, as in
// Pyro's and NumPyro's effect handlers (Bingham et al. 2019, "Pyro: Deep
// Universal Probabilistic Programming"; Phan et al. 2019, "Composable
// Effects for Flexible and Accelerated Probabilistic Programming in
// NumPyro"): a site's message passes the handlers from the innermost
// outwards, the default behaviour draws a value when none was given, and
// the handlers then see the finished site from the outermost inwards.
//
// NewPosterior turns a Model into a model.Model over its continuous latent
// sites on Stan's unconstrained scale, so that every algorithm in infer
// runs on it unchanged; discrete sites marked for enumeration are summed
// out exactly: single values over their joint support, and one site inside
// a plate element by element (a mixture's labels), as NumPyro's parallel
// enumeration does with a plate's batch dimension.
package ppl

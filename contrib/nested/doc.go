// Package nested is nested sampling with the evidence (Skilling 2006,
// "Nested sampling for general Bayesian computation"), after NumPyro's
// contributed NestedSampler and the jaxns package it wraps: live points
// drawn from the prior climb the likelihood one shell at a time, each dead
// point weighted by the prior volume it leaves behind, and the sum of the
// weighted likelihoods is the evidence Z = ∫ L dπ.
//
// A new live point is drawn from the prior restricted to the likelihood
// above the current threshold by slice sampling (Neal 2003) along
// directions between two live points, which follow the live set's scale
// and correlations, as jaxns slices inside the constraint. Points live on
// the unconstrained scale of a model.Model whose prior the Problem can
// draw from and evaluate: a ppl model or a Stan program's generative view.
//
// The evidence's standard error comes from simulating the prior volumes'
// shrinkage (Beta(n, 1) order statistics) as dynesty's jitter does, so it
// holds for any number of live points at each step.
package nested

// Package autoguide builds variational guides automatically from a model's
// unconstrained space, as NumPyro's autoguides do: DiagonalNormal (also
// Normal, on one flat vector), MultivariateNormal with a Cholesky scale,
// LowRankMultivariateNormal (a rank-√D factor plus a diagonal), Delta (a point mass: MAP), LaplaceApproximation (MAP, then a Gaussian
// with the inverse Hessian at the mode), and the normalizing flows
// IAFNormal and BNAFNormal, whose networks are differentiated on package
// ad's tape. Scales are softplus-transformed and start at NumPyro's
// init_scale, 0.1. New builds a guide by its command-line name; the Auto*
// functions give the same guides under NumPyro's names for svi.New. Both
// take NumPyro's keyword arguments as Options: InitLoc (init_loc_fn:
// InitToUniform, InitToFeasible, InitToMedian, InitToMean, InitToValue), InitScale,
// Rank, NumFlows and HiddenDims, and AsNumPyro builds a guide exactly as
// NumPyro does where gostan departs from it. DefaultSettings are gostan's
// settings of a fit; SeedStudySettings NumPyro's, as the seed study ran
// them.
package autoguide

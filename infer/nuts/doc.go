// Package nuts is Stan's No-U-Turn sampler: multinomial sampling over the
// trajectory with the generalized no-U-turn criterion (Betancourt 2017, "A
// Conceptual Introduction to Hamiltonian Monte Carlo", appendix A), Stan's
// windowed warmup (fast 75, slow windows doubling from 25, fast 50), step
// size dual averaging (Hoffman and Gelman 2014) and diagonal or dense
// Euclidean metrics, following Stan's reference manual and its base_nuts,
// windowed_adaptation and stepsize_adaptation.
package nuts

// Package diag computes MCMC convergence diagnostics and summaries as Stan
// and the posterior R package define them (Vehtari, Gelman, Simpson,
// Carpenter and Bürkner 2021, "Rank-normalization, folding, and
// localization: an improved R-hat for assessing convergence of MCMC"):
// split rank-normalized R-hat, bulk and tail effective sample sizes, Monte
// Carlo standard errors and quantiles; and CmdStan's stansummary report of
// a run (Report), with the warnings rstan and CmdStan's diagnose give.
//
// A quantity's draws are given as chains: chains[c][i] is draw i of chain c.
package diag

// Package plots draws the pictures of a run's chains that show at a glance
// whether they agree: trace plots, rank plots (Vehtari, Gelman, Simpson,
// Carpenter and Bürkner 2021), per-chain densities and pair plots, with
// the sampler's divergent transitions marked, as PNG or SVG files drawn
// with gonum/plot.
//
// The rank plot's numbers (Ranks, RankCounts, RankChiSquare) are
// exported so a test or a script can judge the chains without a picture.
package plots

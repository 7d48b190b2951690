// Package draws holds what every inference method hands back: a set of
// draws by name. A Set's columns are the method's own (lp__, log_p__,
// lp_approx__, ...; Stan ends their names with "__") then the model's, in
// Stan's names (theta[2], Sigma[1,2]); its rows come chain by chain. The
// same value answers draws by column or by variable, gives stansummary's
// report (package diag) and is what package stancsv writes as a Stan CSV
// file, so NUTS, optimize, Laplace, ADVI, SVI, Pathfinder, nested sampling
// and Stein VI need one reader and one writer instead of one each.
package draws

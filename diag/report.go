package diag

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Run is a set of chains of a sampler's output as a summary report needs
// it: the columns as the Stan CSV names them and, per chain, the draws
// and what the CSV's configuration and footer say about the run.
type Run struct {
	Model   string
	Columns []string
	// Chains[c][i][j] is column j of draw i of chain c.
	Chains [][][]float64
	// Per chain: warmup iterations, thinning, and the seconds warmup and
	// sampling took (NaN when the file does not say, as in an
	// interrupted run).
	Warmup                       []int
	Thin                         []int
	WarmupSeconds, SampleSeconds []float64
	// MaxDepth is the sampler's maximum tree depth, for the saturation
	// warning; 0 when unknown.
	MaxDepth int
}

// Report is stansummary's report of a Run: the sampler's rows (lp__ and
// the columns ending in "__"), the model's rows, and the warnings. The
// sampler's rows other than lp__ describe the sampler, not the posterior:
// their MCSE, ESS and R-hat are NaN (stepsize__, constant within a chain
// and different between chains, would have an infinite R-hat).
type Report struct {
	Run
	Probs           []float64
	Sampler, Params []Summary
	Warnings        []string
}

// NewReport summarises every column of a run, with quantiles at probs
// (DefaultProbs when nil), on workers goroutines (runtime.NumCPU() when
// workers < 1), and collects the sampler's and the convergence warnings.
func NewReport(run Run, probs []float64, workers int) *Report {
	if probs == nil {
		probs = DefaultProbs
	}
	names := make([]string, len(run.Columns))
	for j, c := range run.Columns {
		names[j] = VariableName(c)
	}
	rep := &Report{Run: run, Probs: probs}
	for j, row := range SummarizeColumns(names, run.Chains, probs, workers) {
		if isSamplerColumn(run.Columns[j]) {
			if row.Name != "lp__" {
				row.MCSE, row.ESSBulk, row.ESSTail, row.Rhat = math.NaN(), math.NaN(), math.NaN(), math.NaN()
			}
			rep.Sampler = append(rep.Sampler, row)
		} else {
			rep.Params = append(rep.Params, row)
		}
	}
	if stats, ok := run.chainStats(); ok {
		depth := run.MaxDepth
		if depth <= 0 {
			depth = math.MaxInt // no saturation warning without the limit
		}
		rep.Warnings = SamplerWarnings(stats, depth)
	}
	rep.Warnings = append(rep.Warnings, ConvergenceWarnings(append(rep.Sampler, rep.Params...), len(run.Chains))...)
	return rep
}

// Draws is the number of draws of all chains.
func (r *Run) Draws() int {
	n := 0
	for _, c := range r.Chains {
		n += len(c)
	}
	return n
}

func isSamplerColumn(name string) bool { return strings.HasSuffix(name, "__") }

// chainStats gathers the NUTS diagnostics columns, if the run has them.
func (r *Run) chainStats() ([]ChainStats, bool) {
	dv, td, en := slices.Index(r.Columns, "divergent__"), slices.Index(r.Columns, "treedepth__"), slices.Index(r.Columns, "energy__")
	if dv < 0 || td < 0 || en < 0 {
		return nil, false
	}
	stats := make([]ChainStats, len(r.Chains))
	for c, ch := range r.Chains {
		for _, d := range ch {
			stats[c].Divergent = append(stats[c].Divergent, d[dv] != 0)
			stats[c].TreeDepth = append(stats[c].TreeDepth, int(d[td]))
			stats[c].Energy = append(stats[c].Energy, d[en])
		}
	}
	return stats, true
}

// VariableName writes a Stan CSV column name as Stan names the variable:
// theta.1.2 as theta[1,2], z.real as z[real], and a tuple's column, whose
// members follow colons, part by part: u.1:2.3 as u[1]:2[3]. Names
// without a dot (and names already written with brackets) are returned as
// they are.
func VariableName(column string) string {
	parts := strings.Split(column, ":")
	for i, p := range parts {
		if base, idx, ok := strings.Cut(p, "."); ok {
			parts[i] = base + "[" + strings.ReplaceAll(idx, ".", ",") + "]"
		}
	}
	return strings.Join(parts, ":")
}

// Thresholds of ConvergenceWarnings, those of rstan and CmdStan's diagnose.
const (
	MaxRhat          = 1.01
	MinESSPerChain   = 100
	worstListedNames = 3
)

// ConvergenceWarnings warns when a row's R-hat is above MaxRhat or its bulk
// or tail effective sample size is below MinESSPerChain per chain, naming
// the worst rows. The sampler's own columns other than lp__ are not
// checked: they describe the sampler, not the posterior.
func ConvergenceWarnings(rows []Summary, chains int) []string {
	var checked []Summary
	for _, r := range rows {
		if r.Name == "lp__" || !isSamplerColumn(r.Name) {
			checked = append(checked, r)
		}
	}
	minESS := float64(MinESSPerChain * chains)
	var warn []string
	add := func(what string, stat func(Summary) float64, bad func(float64) bool, worse func(a, b float64) int, format func(float64) string, why string) {
		var hit []Summary
		for _, r := range checked {
			if bad(stat(r)) {
				hit = append(hit, r)
			}
		}
		if len(hit) == 0 {
			return
		}
		slices.SortStableFunc(hit, func(a, b Summary) int { return worse(stat(a), stat(b)) })
		var names []string
		for _, r := range hit[:min(len(hit), worstListedNames)] {
			names = append(names, fmt.Sprintf("%s (%s)", r.Name, format(stat(r))))
		}
		warn = append(warn, fmt.Sprintf("%s for %d of %d columns, the worst %s: %s", what, len(hit), len(checked), strings.Join(names, ", "), why))
	}
	add(fmt.Sprintf("R-hat is above %g", MaxRhat), func(r Summary) float64 { return r.Rhat },
		func(x float64) bool { return x > MaxRhat }, func(a, b float64) int { return cmpFloat(b, a) },
		func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) },
		"the chains have not mixed; running them longer may help.")
	ess := func(x float64) string { return strconv.FormatFloat(math.Floor(x), 'f', 0, 64) }
	low := func(x float64) bool { return x < minESS }
	add(fmt.Sprintf("Bulk ESS is below %d (%d per chain)", int(minESS), MinESSPerChain), func(r Summary) float64 { return r.ESSBulk },
		low, cmpFloat, ess, "posterior means and medians may be unreliable; running the chains longer may help.")
	add(fmt.Sprintf("Tail ESS is below %d (%d per chain)", int(minESS), MinESSPerChain), func(r Summary) float64 { return r.ESSTail },
		low, cmpFloat, ess, "posterior variances and tail quantiles may be unreliable; running the chains longer may help.")
	return warn
}

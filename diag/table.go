package diag

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
)

// WriteTable prints summary rows as CmdStan's stansummary lays them out.
func WriteTable(w io.Writer, rows []Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tMean\tMCSE\tStdDev\t5%\t50%\t95%\tN_Eff_bulk\tN_Eff_tail\tR_hat\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Name,
			sig(r.Mean), sig(r.MCSE), sig(r.SD), sig(r.Q5), sig(r.Q50), sig(r.Q95),
			whole(r.ESSBulk), whole(r.ESSTail), fixed2(r.Rhat))
	}
	return tw.Flush()
}

func sig(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }

func whole(x float64) string {
	if math.IsNaN(x) {
		return "nan"
	}
	return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
}

func fixed2(x float64) string {
	if math.IsNaN(x) {
		return "nan"
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

// ChainStats are one chain's sampler diagnostics, per draw.
type ChainStats struct {
	Divergent []bool
	TreeDepth []int
	Energy    []float64
}

// SamplerWarnings returns Stan's warnings about divergent transitions,
// saturated tree depth and low E-BFMI (below 0.3) for a set of chains.
func SamplerWarnings(chains []ChainStats, maxDepth int) []string {
	var warn []string
	div, sat, total := 0, 0, 0
	for _, c := range chains {
		for i, d := range c.Divergent {
			total++
			if d {
				div++
			}
			if i < len(c.TreeDepth) && c.TreeDepth[i] >= maxDepth {
				sat++
			}
		}
	}
	pct := func(n int) float64 { return 100 * float64(n) / float64(total) }
	if div > 0 {
		warn = append(warn, fmt.Sprintf("%d of %d (%.2g%%) transitions ended with a divergence. Increasing adapt delta or reparameterizing the model may remove them.", div, total, pct(div)))
	}
	if sat > 0 {
		warn = append(warn, fmt.Sprintf("%d of %d (%.2g%%) transitions hit the maximum treedepth limit of %d.", sat, total, pct(sat), maxDepth))
	}
	for i, c := range chains {
		if e := EBFMI(c.Energy); e < 0.3 {
			warn = append(warn, fmt.Sprintf("Chain %d: E-BFMI = %.3g, below the nominal threshold of 0.3, which suggests that HMC may have trouble exploring the target distribution.", i+1, e))
		}
	}
	return warn
}

// EBFMI is the energy Bayesian fraction of missing information of a
// chain's energies (Betancourt 2016): the mean squared energy change
// between draws over the energy's variance.
func EBFMI(energy []float64) float64 {
	if len(energy) < 2 {
		return math.NaN()
	}
	n := float64(len(energy))
	_, sd := meanSD(energy)
	var num float64
	for i := 1; i < len(energy); i++ {
		d := energy[i] - energy[i-1]
		num += d * d
	}
	// As ArviZ: the mean squared difference over the population variance.
	return (num / (n - 1)) / (sd * sd * (n - 1) / n)
}

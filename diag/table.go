package diag

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// WriteTable prints summary rows made at DefaultProbs as stansummary lays
// them out, with its default of 2 significant digits.
func WriteTable(w io.Writer, rows []Summary) error {
	return writeTable(w, DefaultProbs, 2, rows)
}

// WriteText prints the report as stansummary does: a header with the
// chains, their draws and timings, the sampler's rows, the model's rows and
// a note on the columns, the numbers with sigFigs significant digits
// (1 to 17), then the warnings, each on a line of its own.
func (r *Report) WriteText(w io.Writer, sigFigs int) error {
	b := bufio.NewWriter(w)
	for _, l := range r.headerLines() {
		fmt.Fprintln(b, l)
	}
	fmt.Fprintln(b)
	if err := writeTable(b, r.Probs, sigFigs, r.Sampler, r.Params); err != nil {
		return err
	}
	fmt.Fprintln(b)
	for _, l := range r.footerLines() {
		fmt.Fprintln(b, l)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(b)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintln(b, "Warning:", warn)
	}
	return b.Flush()
}

// WriteCSV writes the report as stansummary's --csv_filename does: the
// header and footer as '#' comments, a line of column names, then one line
// per row, the name quoted, the numbers with sigFigs significant digits.
func (r *Report) WriteCSV(w io.Writer, sigFigs int) error {
	b := bufio.NewWriter(w)
	for _, l := range r.headerLines() {
		fmt.Fprintln(b, strings.TrimRight("# "+l, " "))
	}
	fmt.Fprintln(b, "name,"+strings.Join(columnLabels(r.Probs), ","))
	for _, row := range append(slices.Clone(r.Sampler), r.Params...) {
		vals := append([]float64{row.Mean, row.MCSE, row.SD, row.MAD}, row.Quantiles...)
		vals = append(vals, row.ESSBulk, row.ESSTail, row.Rhat)
		fields := []string{strconv.Quote(row.Name)}
		for _, v := range vals {
			fields = append(fields, sigString(v, sigFigs))
		}
		fmt.Fprintln(b, strings.Join(fields, ","))
	}
	for _, l := range r.footerLines() {
		fmt.Fprintln(b, strings.TrimRight("# "+l, " "))
	}
	return b.Flush()
}

// headerLines say what was summarised: the model, the chains' lengths and
// the time warmup and sampling took.
func (r *Report) headerLines() []string {
	n := len(r.Chains)
	iters := make([]int, n)
	for c, ch := range r.Chains {
		iters[c] = len(ch)
	}
	lines := []string{
		"Inference for Stan model: " + r.Model,
		fmt.Sprintf("%d chains: each with iter=%s; warmup=%s; thin=%s; %d iterations saved.",
			n, perChain(iters), perChain(r.Warmup), perChain(r.Thin), r.Draws()),
		"",
		took("Warmup", r.WarmupSeconds),
		took("Sampling", r.SampleSeconds),
	}
	if r.Draws() == 0 {
		lines = append(lines, "", "No draws to summarise: the files hold no sampling iterations (num_samples = 0?).")
	}
	return lines
}

func (r *Report) footerLines() []string {
	return []string{
		"For each parameter, ESS_bulk and ESS_tail measure the effective sample size of the bulk and of the",
		"5% and 95% tails of the distribution, and R_hat the potential scale reduction on rank-normalized split",
		"chains (at convergence R_hat = 1; above 1.01 the chains have not mixed). MAD is the median absolute",
		"deviation scaled to estimate the standard deviation of normal draws.",
	}
}

// perChain prints one value when every chain has it, else the list.
func perChain(xs []int) string {
	if len(xs) > 0 && slices.Min(xs) == slices.Max(xs) {
		return strconv.Itoa(xs[0])
	}
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return "(" + strings.Join(s, ",") + ")"
}

// took prints a phase's time per chain and in total, as stansummary does.
func took(phase string, secs []float64) string {
	var total float64
	each := make([]string, len(secs))
	for i, s := range secs {
		total += s
		each[i] = sigString(s, 2)
	}
	unit := "seconds"
	switch {
	case total > 3600:
		total, unit = total/3600, "hours"
	case total > 60:
		total, unit = total/60, "minutes"
	}
	if len(secs) == 1 {
		return fmt.Sprintf("%s took %s %s", phase, sigString(total, 2), unit)
	}
	return fmt.Sprintf("%s took (%s) seconds, %s %s total", phase, strings.Join(each, ", "), sigString(total, 2), unit)
}

// columnLabels are stansummary's column names for quantiles at probs.
func columnLabels(probs []float64) []string {
	labels := []string{"Mean", "MCSE", "StdDev", "MAD"}
	for _, p := range probs {
		labels = append(labels, strconv.FormatFloat(100*p, 'f', -1, 64)+"%")
	}
	return append(labels, "ESS_bulk", "ESS_tail", "R_hat")
}

// writeTable prints the column names and the groups of rows, a blank line
// before each group; names are left-aligned, numbers right-aligned.
func writeTable(w io.Writer, probs []float64, sigFigs int, groups ...[]Summary) error {
	header := append([]string{""}, columnLabels(probs)...)
	var lines [][]string
	for _, g := range groups {
		lines = append(lines, nil)
		for _, r := range g {
			cells := []string{r.Name}
			for _, v := range append([]float64{r.Mean, r.MCSE, r.SD, r.MAD}, r.Quantiles...) {
				cells = append(cells, sigString(v, sigFigs))
			}
			lines = append(lines, append(cells, whole(r.ESSBulk), whole(r.ESSTail), fixed2(r.Rhat)))
		}
	}
	width := make([]int, len(header))
	for _, cells := range append([][]string{header}, lines...) {
		for i, c := range cells {
			width[i] = max(width[i], len(c))
		}
	}
	b := bufio.NewWriter(w)
	for _, cells := range append([][]string{header}, lines...) {
		var sb strings.Builder
		for i, c := range cells {
			if i == 0 {
				sb.WriteString(c + strings.Repeat(" ", width[0]-len(c)))
			} else {
				sb.WriteString(strings.Repeat(" ", width[i]-len(c)+2) + c)
			}
		}
		fmt.Fprintln(b, strings.TrimRight(sb.String(), " "))
	}
	return b.Flush()
}

// sigString prints x with sig significant digits (1 to 17) in fixed
// notation, or in scientific notation when it is very large or small, and
// spells the special values as Stan CSV does: nan, inf, -inf.
func sigString(x float64, sig int) string {
	sig = min(max(sig, 1), 17)
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case x == 0:
		return "0"
	}
	mag := int(math.Floor(math.Log10(math.Abs(x))))
	if mag >= 7 || mag <= -5 {
		return strconv.FormatFloat(x, 'e', sig-1, 64)
	}
	return strconv.FormatFloat(x, 'f', max(sig-1-mag, 0), 64)
}

// whole prints an effective sample size as a whole number.
func whole(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return sigString(x, 1)
	}
	return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
}

// fixed2 prints an R-hat with two decimals, enough to see 1.01.
func fixed2(x float64) string {
	if !(math.Abs(x) < 100) {
		return sigString(x, 3)
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
	// pct gives two significant digits without an exponent: 0.05, 33, 100.
	pct := func(n int) string {
		r, _ := strconv.ParseFloat(strconv.FormatFloat(100*float64(n)/float64(total), 'g', 2, 64), 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	if div > 0 {
		warn = append(warn, fmt.Sprintf("%d of %d (%s%%) transitions ended with a divergence. Increasing adapt delta or reparameterizing the model may remove them.", div, total, pct(div)))
	}
	if sat > 0 {
		warn = append(warn, fmt.Sprintf("%d of %d (%s%%) transitions hit the maximum treedepth limit of %d.", sat, total, pct(sat), maxDepth))
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

package dcc

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/gostan/gostan/mathx"
)

// SLP is one straight-line program's result.
type SLP struct {
	Branches []Branch // the branch sites' values, in program order
	Count    int      // prior runs of the discovery that took this program
	// LogZ is the log normalising constant: the marginal likelihood of
	// the data and the branch values; Weight is its share of the total.
	LogZ, Weight float64
	// ESS is the importance weights' effective sample size, a check on
	// the proposal: far below NumProposals, LogZ is unreliable.
	ESS float64
	// Divergent counts the NUTS draws that ended in a divergence.
	Divergent int
	Names     []string    // the columns of Draws: continuous, enumerated and deterministic sites
	Draws     [][]float64 // the NUTS draws of every chain
	// Mean and SD are the columns' posterior means and standard
	// deviations within this program, MCSE the means' Monte Carlo
	// standard errors and Rhat the chains' split R-hats.
	Mean, SD, MCSE, Rhat []float64
}

// Col is the index of the named column, or -1.
func (s *SLP) Col(name string) int { return slices.Index(s.Names, name) }

// Result is a DCC run: its SLPs and their weights.
type Result struct {
	SLPs []*SLP
	// Discovered counts the distinct SLPs the prior runs met, MaxSLPs
	// or fewer of which were kept.
	Discovered int
	// LogZ is the model's log evidence: the log sum of the kept SLPs'
	// normalising constants.
	LogZ float64
}

// combine weighs the SLPs by their normalising constants.
func (r *Result) combine() error {
	lz := make([]float64, len(r.SLPs))
	for i, s := range r.SLPs {
		lz[i] = s.LogZ
	}
	r.LogZ = mathx.LogSumExp(lz)
	if math.IsInf(r.LogZ, -1) || math.IsNaN(r.LogZ) {
		return fmt.Errorf("dcc: the SLPs' log normalising constants sum to %v", r.LogZ)
	}
	for _, s := range r.SLPs {
		s.Weight = math.Exp(s.LogZ - r.LogZ)
	}
	return nil
}

// moments are the columns' means and standard deviations.
func moments(rows [][]float64, n int) (mean, sd []float64) {
	mean, sd = make([]float64, n), make([]float64, n)
	if len(rows) == 0 {
		return mean, sd
	}
	for _, r := range rows {
		for j := range n {
			mean[j] += r[j]
		}
	}
	for j := range mean {
		mean[j] /= float64(len(rows))
	}
	for _, r := range rows {
		for j := range n {
			sd[j] += (r[j] - mean[j]) * (r[j] - mean[j])
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j] / float64(max(1, len(rows)-1)))
	}
	return mean, sd
}

// Combined draws n rows of the combined posterior: an SLP by weight, then
// one of its draws. The columns are every SLP's, in order of first
// appearance, then "slp__" (the SLP's index in r.SLPs); a site absent
// from the drawn SLP is NaN.
func (r *Result) Combined(rng *rand.Rand, n int) (names []string, rows [][]float64, err error) {
	col := map[string]int{}
	for _, s := range r.SLPs {
		for _, name := range s.Names {
			if _, ok := col[name]; !ok {
				col[name] = len(names)
				names = append(names, name)
			}
		}
	}
	names = append(names, "slp__")
	cum := make([]float64, len(r.SLPs))
	total := 0.0
	for i, s := range r.SLPs {
		if len(s.Draws) > 0 {
			total += s.Weight
		}
		cum[i] = total
	}
	if !(total > 0) {
		return nil, nil, errors.New("dcc: no SLP with weight has draws")
	}
	for range n {
		k, _ := slices.BinarySearch(cum, rng.Float64()*total)
		k = min(k, len(cum)-1)
		for len(r.SLPs[k].Draws) == 0 {
			k-- // a weightless SLP's cum equals its predecessor's
		}
		s := r.SLPs[k]
		row := make([]float64, len(names))
		for j := range row {
			row[j] = math.NaN()
		}
		d := s.Draws[rng.IntN(len(s.Draws))]
		for j, name := range s.Names {
			row[col[name]] = d[j]
		}
		row[len(row)-1] = float64(k)
		rows = append(rows, row)
	}
	return names, rows, nil
}

// PrintSummary writes each SLP's branch values, weight, log Z and the
// posterior mean and sd of its sites.
func (r *Result) PrintSummary(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "DCC: %d SLPs (%d discovered), log Z = %.4f\n", len(r.SLPs), r.Discovered, r.LogZ)
	for i, s := range r.SLPs {
		bs := make([]string, len(s.Branches))
		for j, b := range s.Branches {
			bs[j] = b.String()
		}
		fmt.Fprintf(tw, "\nSLP %d: %s\n", i, strings.Join(bs, ", "))
		fmt.Fprintf(tw, "weight %.4f, log Z %.4f, prior runs %d, IS ESS %.0f, draws %d (%d divergent)\n",
			s.Weight, s.LogZ, s.Count, s.ESS, len(s.Draws), s.Divergent)
		fmt.Fprintf(tw, "\tMean\tMCSE\tSD\tR_hat\t\n")
		for j, name := range s.Names {
			fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.3f\t\n", name, s.Mean[j], s.MCSE[j], s.SD[j], s.Rhat[j])
		}
	}
	return tw.Flush()
}

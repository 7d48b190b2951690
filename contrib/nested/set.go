package nested

import (
	"fmt"

	"github.com/gostan/gostan/draws"
)

// Set is the run as gostan nested writes it: with n > 0, n equally
// weighted draws resampled with seed, the columns log_lik__ then the
// model's; with n <= 0 every point, with log_lik__ and log_weight__ (its
// normalised log weight). The comments after the header hold the
// evidence: log_evidence, log_evidence_error, information,
// effective_sample_size, iterations, likelihood_evaluations.
func (r *Result) Set(n int, seed uint64) *draws.Set {
	c := r.Config
	weighted := n <= 0
	set := &draws.Set{
		Config: []string{
			"method = nested",
			"  nested",
			fmt.Sprintf("    live_points = %d", c.LivePoints),
			fmt.Sprintf("    slices = %d", c.Slices),
			fmt.Sprintf("    live_evidence_frac = %g", c.LiveEvidenceFrac),
			fmt.Sprintf("    max_likelihood_evals = %d", c.MaxLikelihoodEvals),
			fmt.Sprintf("    max_samples = %d", c.MaxSamples),
			fmt.Sprintf("    weighted = %d", boolInt(weighted)),
			fmt.Sprintf("    num_draws = %d", max(n, 0)),
			fmt.Sprintf("    num_threads = %d", c.Threads),
		},
		Seed:     c.Seed,
		Comments: r.evidenceLines(),
	}
	var rows [][]float64
	if weighted {
		set.Columns = append([]string{"log_lik__", "log_weight__"}, r.Names...)
		for i, d := range r.Draws {
			rows = append(rows, append([]float64{r.LogL[i], r.LogWeights[i]}, d...))
		}
	} else {
		set.Columns = append([]string{"log_lik__"}, r.Names...)
		for _, i := range r.resample(seed, n) {
			rows = append(rows, append([]float64{r.LogL[i]}, r.Draws[i]...))
		}
	}
	set.Chains = [][][]float64{rows}
	return set
}

// evidenceLines are the run's figures as CSV comment lines.
func (r *Result) evidenceLines() []string {
	lines := []string{
		"Nested sampling:",
		fmt.Sprintf("log_evidence = %.17g", r.LogZ),
		fmt.Sprintf("log_evidence_error = %.17g", r.LogZErr),
		fmt.Sprintf("information = %.6g", r.H),
		fmt.Sprintf("effective_sample_size = %.6g", r.ESS),
		fmt.Sprintf("iterations = %d", r.Iterations),
		fmt.Sprintf("likelihood_evaluations = %d", r.LikelihoodEvals),
	}
	if r.Interrupted {
		lines = append(lines, "interrupted = 1 (before the termination test)")
	}
	return lines
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

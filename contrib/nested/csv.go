package nested

import (
	"fmt"

	"github.com/gostan/gostan/stancsv"
)

// CSV says how WriteCSV writes a run.
type CSV struct {
	// ModelPath names the model in the preamble; Config are more
	// configuration lines (the data file, the output), after the method's.
	ModelPath string
	Config    []string
	SigFigs   int
	// Weighted writes every point with its log_weight__; otherwise Draws
	// equally weighted rows, resampled with Seed.
	Weighted bool
	Draws    int
	Seed     uint64
}

// WriteCSV writes the run as a Stan CSV file: the configuration, the
// columns log_lik__ (and log_weight__ when weighted) then the model's,
// one row a draw, and after the header the evidence as comments:
// log_evidence, log_evidence_error, information, effective_sample_size,
// likelihood_evaluations.
func (r *Result) WriteCSV(path string, o CSV) error {
	c := r.Config
	config := []string{
		"method = nested",
		"  nested",
		fmt.Sprintf("    live_points = %d", c.LivePoints),
		fmt.Sprintf("    slices = %d", c.Slices),
		fmt.Sprintf("    live_evidence_frac = %g", c.LiveEvidenceFrac),
		fmt.Sprintf("    max_likelihood_evals = %d", c.MaxLikelihoodEvals),
		fmt.Sprintf("    max_samples = %d", c.MaxSamples),
		fmt.Sprintf("    weighted = %d", boolInt(o.Weighted)),
		fmt.Sprintf("    num_draws = %d", o.Draws),
		"random",
		fmt.Sprintf("  seed = %d", c.Seed),
		fmt.Sprintf("num_threads = %d", c.Threads),
	}
	config = append(config, o.Config...)
	return stancsv.WriteFile(path, o.ModelPath, o.SigFigs, config, func(w *stancsv.Writer) error {
		cols := []string{"log_lik__"}
		if o.Weighted {
			cols = append(cols, "log_weight__")
		}
		w.Columns(append(cols, stancsv.ColumnNames(r.Names)...))
		w.Comment(r.evidenceLines()...)
		row := make([]float64, 0, len(cols)+len(r.Names))
		if o.Weighted {
			for i, d := range r.Draws {
				row = append(append(row[:0], r.LogL[i], r.LogWeights[i]), d...)
				if err := w.Row(row); err != nil {
					return err
				}
			}
			return nil
		}
		for _, i := range r.resample(o.Seed, o.Draws) {
			row = append(append(row[:0], r.LogL[i]), r.Draws[i]...)
			if err := w.Row(row); err != nil {
				return err
			}
		}
		return nil
	})
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

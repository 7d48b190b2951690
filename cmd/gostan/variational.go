package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/stancsv"
)

func newVariationalCmd() *cobra.Command {
	cfg := advi.DefaultConfig()
	var dataPath, output, algorithm, guide string
	var seed uint64
	var sigFigs int
	set := defaultSVI(0)
	cmd := &cobra.Command{
		Use:   "variational MODEL.stan",
		Short: "Approximate the posterior with Stan's ADVI",
		Long: "variational fits Stan's ADVI (--algorithm meanfield or fullrank) with Stan's defaults: the\n" +
			"eta search, the adaptive step sizes and the relative-tolerance stopping rule. It writes Stan\n" +
			"CSV (the approximation's mean first, then the draws) and prints the summary.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if seed == 0 {
				seed = uint64(time.Now().UnixNano())
			}
			cfg.Seed = seed
			switch algorithm {
			case "meanfield":
				cfg.Algorithm = advi.Meanfield
			case "fullrank":
				cfg.Algorithm = advi.Fullrank
			case "autoguide":
			default:
				return fmt.Errorf("--algorithm must be meanfield, fullrank or autoguide, not %q (explicit guide blocks are not implemented yet)", algorithm)
			}
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, seed)
			if err != nil {
				return err
			}
			if algorithm == "autoguide" {
				set.Seed = seed
				rows, grads, err := fitAutoguide(m, guide, set)
				if err != nil {
					return err
				}
				res := &advi.Result{Mean: make([]float64, len(m.Names())), Draws: rows}
				if err := writeADVICSV(output, args[0], cfg, "autoguide-"+guide, m.Names(), res, sigFigs); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s (%d gradient evaluations)\n\n", output, grads)
				return printDrawSummary(cmd.OutOrStdout(), m.Names(), rows)
			}
			bars := newProgressBars(cmd.ErrOrStderr(), []string{"ADVI " + algorithm}, cfg.Iter)
			res, err := advi.Run(m, cfg, func(iter int, elbo float64) { bars.set(0, iter) })
			bars.wait()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, h := range res.History {
				fmt.Fprintf(out, "iteration %6d  ELBO %12.3f  delta_ELBO_mean %.3g  delta_ELBO_med %.3g\n", h.Iter, h.ELBO, h.RelMean, h.RelMed)
			}
			for _, msg := range res.Messages {
				fmt.Fprintln(out, msg)
			}
			names := m.Names()
			if err := writeADVICSV(output, args[0], cfg, algorithm, names, res, sigFigs); err != nil {
				return err
			}
			fmt.Fprintf(out, "Wrote %s (eta = %g)\n\n", output, res.Eta)
			return printDrawSummary(out, names, res.Draws)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataPath, "data", "", "Stan JSON data file (.json or .json.zip)")
	f.StringVar(&algorithm, "algorithm", "meanfield", "meanfield or fullrank")
	f.IntVar(&cfg.Iter, "iter", cfg.Iter, "maximum iterations")
	f.IntVar(&cfg.GradSamples, "grad-samples", cfg.GradSamples, "draws per gradient estimate")
	f.IntVar(&cfg.ELBOSamples, "elbo-samples", cfg.ELBOSamples, "draws per ELBO estimate")
	f.Float64Var(&cfg.TolRelObj, "tol-rel-obj", cfg.TolRelObj, "relative ELBO tolerance")
	f.IntVar(&cfg.EvalELBO, "eval-elbo", cfg.EvalELBO, "evaluate the ELBO every this many iterations")
	f.IntVar(&cfg.OutputSamples, "draws", cfg.OutputSamples, "draws from the approximation")
	f.Uint64Var(&seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	f.StringVar(&guide, "guide", "diagonal", "the autoguide: normal, diagonal, mvn, lowrank, delta, laplace, iaf or bnaf")
	f.IntVar(&set.Steps, "steps", set.Steps, "SVI steps (autoguide)")
	f.Float64Var(&set.LR, "lr", set.LR, "Adam's starting step size (autoguide; 0: the guide's default)")
	f.IntVar(&set.Particles, "particles", set.Particles, "draws per ELBO gradient (autoguide)")
	f.IntVar(&set.Draws, "svi-draws", set.Draws, "draws from the fitted guide (autoguide)")
	return cmd
}

// printDrawSummary prints the summary table of one set of draws.
func printDrawSummary(w io.Writer, names []string, draws [][]float64) error {
	var rows []diag.Summary
	for j, n := range names {
		col := make([]float64, len(draws))
		for i, d := range draws {
			col[i] = d[j]
		}
		rows = append(rows, diag.Summarize(n, [][]float64{col}))
	}
	return diag.WriteTable(w, rows)
}

func writeADVICSV(path, modelPath string, cfg advi.Config, algorithm string, names []string, res *advi.Result, sigFigs int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := stancsv.NewWriter(f, sigFigs)
	w.Comment(csvPreamble(modelPath)...)
	w.Comment(
		"method = variational",
		"  variational",
		"    algorithm = "+algorithm,
		fmt.Sprintf("    iter = %d", cfg.Iter),
		fmt.Sprintf("    grad_samples = %d", cfg.GradSamples),
		fmt.Sprintf("    elbo_samples = %d", cfg.ELBOSamples),
		fmt.Sprintf("    eta = %g", res.Eta),
		fmt.Sprintf("    tol_rel_obj = %g", cfg.TolRelObj),
		fmt.Sprintf("    eval_elbo = %d", cfg.EvalELBO),
		fmt.Sprintf("    output_samples = %d", cfg.OutputSamples),
		"random",
		fmt.Sprintf("  seed = %d", cfg.Seed),
	)
	w.Columns(append([]string{"lp__", "log_p__", "log_g__"}, stanColumnNames(names)...))
	w.Comment("Stepsize adaptation complete.", fmt.Sprintf("eta = %g", res.Eta))
	row := make([]float64, 3+len(names))
	copy(row[3:], res.Mean)
	if err := w.Row(row); err != nil {
		return err
	}
	for _, d := range res.Draws {
		copy(row[3:], d)
		if err := w.Row(row); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

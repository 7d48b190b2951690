package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/stancsv"
)

func newVariationalCmd() *cobra.Command {
	cfg := advi.DefaultConfig()
	var dataPath, output, algorithm, guide, init string
	var seed uint64
	var sigFigs, draws int
	set := defaultSVI(0)
	cmd := &cobra.Command{
		Use:   "variational MODEL.stan",
		Short: "Approximate the posterior: Stan's ADVI, an autoguide, or the program's guide",
		Long: "variational fits a variational approximation and writes Stan CSV (for ADVI the approximation's\n" +
			"mean first, then the draws) and prints the summary.\n\n" +
			"--algorithm meanfield or fullrank is Stan's ADVI with Stan's eta search, adaptive step sizes\n" +
			"and relative-tolerance stopping (--iter, --grad-samples, --elbo-samples, --tol-rel-obj); gostan's\n" +
			"defaults take 10 draws per gradient and stop at a relative change of 0.0001, where CmdStan takes\n" +
			"1 and 0.01 and stops long before convergence, and redraw or step back where Stan would fail.\n" +
			"--algorithm autoguide fits one of NumPyro's automatic guides (--guide) by SVI, and\n" +
			"--algorithm guide fits the program's own guide parameters and guide blocks: Adam from\n" +
			"--lr decaying exponentially to --lr-decay times it over --steps steps, --particles draws per\n" +
			"gradient. The seed study's settings are --steps 100000 --lr 0.0005 --lr-decay 1 --draws 10000.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if seed == 0 {
				seed = uint64(time.Now().UnixNano())
			}
			cfg.Seed = seed
			cfg.OutputSamples = draws
			set.Draws = draws
			switch algorithm {
			case "meanfield":
				cfg.Algorithm = advi.Meanfield
			case "fullrank":
				cfg.Algorithm = advi.Fullrank
			case "autoguide", "guide":
			default:
				return fmt.Errorf("--algorithm must be meanfield, fullrank, autoguide or guide, not %q", algorithm)
			}
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, seed)
			if err != nil {
				return err
			}
			if err := applyInit(m, init, seed, &cfg.InitRadius, &cfg.Init); err != nil {
				return err
			}
			set.Init = cfg.Init
			if algorithm == "autoguide" || algorithm == "guide" {
				name, method := guide, "autoguide-"+guide
				if algorithm == "guide" {
					name, method = "guide", "guide"
				}
				set.Seed = seed
				bar := newELBOProgress(cmd.ErrOrStderr(), method, set.Steps)
				rows, grads, err := fitAutoguide(m, name, set, bar.running(), cmd.OutOrStdout())
				bar.wait()
				if err != nil {
					return err
				}
				res := &advi.Result{Mean: make([]float64, len(m.Names())), Draws: rows}
				if err := writeADVICSV(output, args[0], cfg, method, m.Names(), res, sigFigs); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s (%d gradient evaluations)\n\n", output, grads)
				return printDrawSummary(cmd.OutOrStdout(), m.Names(), rows)
			}
			bar := newELBOProgress(cmd.ErrOrStderr(), "ADVI "+algorithm, cfg.Iter)
			res, err := advi.Run(m, cfg, bar.set)
			bar.wait()
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
	f.StringVar(&algorithm, "algorithm", "meanfield", "meanfield, fullrank (Stan's ADVI), autoguide or guide (the program's guide block)")
	f.IntVar(&cfg.Iter, "iter", cfg.Iter, "maximum iterations (ADVI)")
	f.IntVar(&cfg.GradSamples, "grad-samples", cfg.GradSamples, "draws per gradient estimate (ADVI)")
	f.IntVar(&cfg.ELBOSamples, "elbo-samples", cfg.ELBOSamples, "draws per ELBO estimate (ADVI)")
	f.Float64Var(&cfg.TolRelObj, "tol-rel-obj", cfg.TolRelObj, "relative ELBO tolerance (ADVI)")
	f.IntVar(&cfg.EvalELBO, "eval-elbo", cfg.EvalELBO, "evaluate the ELBO every this many iterations (ADVI)")
	f.IntVar(&draws, "draws", cfg.OutputSamples, "draws from the approximation")
	f.Uint64Var(&seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&init, "init", "2", "a number R (initial values uniform in (-R, R) on the unconstrained scale; ADVI) or a JSON file of initial values, as CmdStan takes")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	f.StringVar(&guide, "guide", "diagonal", "the autoguide: "+strings.Join(autoguide.Names, ", "))
	set.addFlags(cmd, "autoguide, guide")
	return cmd
}

// printDrawSummary prints the summary table of one set of draws.
func printDrawSummary(w io.Writer, names []string, draws [][]float64) error {
	return diag.WriteTable(w, diag.SummarizeDraws(names, draws))
}

func writeADVICSV(path, modelPath string, cfg advi.Config, algorithm string, names []string, res *advi.Result, sigFigs int) error {
	config := []string{
		"method = variational",
		"  variational",
		"    algorithm = " + algorithm,
		fmt.Sprintf("    iter = %d", cfg.Iter),
		fmt.Sprintf("    grad_samples = %d", cfg.GradSamples),
		fmt.Sprintf("    elbo_samples = %d", cfg.ELBOSamples),
		fmt.Sprintf("    eta = %g", res.Eta),
		fmt.Sprintf("    tol_rel_obj = %g", cfg.TolRelObj),
		fmt.Sprintf("    eval_elbo = %d", cfg.EvalELBO),
		fmt.Sprintf("    output_samples = %d", cfg.OutputSamples),
		"random",
		fmt.Sprintf("  seed = %d", cfg.Seed),
	}
	return stancsv.WriteFile(path, modelPath, sigFigs, config, func(w *stancsv.Writer) error {
		w.Columns(append([]string{"lp__", "log_p__", "log_g__"}, stancsv.ColumnNames(names)...))
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
		return nil
	})
}

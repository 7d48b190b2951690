package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

func newVariationalCmd() *cobra.Command {
	cfg := advi.DefaultConfig()
	var dataPath, output, algorithm, guide, init, guideInit string
	var seed uint64
	var sigFigs, draws int
	set := defaultSVI(0)
	cmd := &cobra.Command{
		Use:   "variational MODEL.stan",
		Short: "Approximate the posterior: Stan's ADVI, an autoguide, or the program's guide",
		Long: "variational fits a variational approximation, writes Stan CSV as CmdStan does and prints the\n" +
			"summary. The CSV's first row is the approximation's mean on the unconstrained scale pushed through\n" +
			"the model (for the flows and a guide block, which have no closed-form mean, the average of 1000\n" +
			"draws); each draw's row has log_p__, the model's log density at the draw (Stan's constants dropped,\n" +
			"as lp__ in sample), and log_g__, the approximation's normalised log density there (CmdStan drops\n" +
			"its constant), both on the unconstrained scale, for importance-sampling checks of the fit.\n\n" +
			"--algorithm meanfield or fullrank is Stan's ADVI with Stan's eta search, adaptive step sizes\n" +
			"and relative-tolerance stopping (--iter, --grad-samples, --elbo-samples, --tol-rel-obj); gostan's\n" +
			"defaults take 10 draws per gradient and stop at a relative change of 0.0001, where CmdStan takes\n" +
			"1 and 0.01 and stops long before convergence, and redraw or step back where Stan would fail.\n" +
			"--algorithm autoguide fits one of NumPyro's automatic guides (--guide) by SVI, and\n" +
			"--algorithm guide fits the program's own guide parameters and guide blocks: Adam from\n" +
			"--lr decaying exponentially to --lr-decay times it over --steps steps, --particles draws per\n" +
			"gradient; --rank, --init-scale, --num-flows and --hidden-dims are NumPyro's options of the guide.\n" +
			"NumPyro's settings as the seed study ran them are gostan eval --seed-study's.\n\n" +
			"SIGINT (Ctrl-C) or SIGTERM stops the optimisation: the file holds the mean and draws of the\n" +
			"approximation reached, with a comment saying so, and gostan exits with status 130 (143 for\n" +
			"SIGTERM). Interrupted during ADVI's step-size search, before any fit, it writes no file.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			stderr := cmd.ErrOrStderr()
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
			set.InitLoc = autoguide.InitToUniform(cfg.InitRadius)
			if cfg.Init != nil {
				set.InitLoc = autoguide.InitToValue(cfg.Init)
			}
			if algorithm == "autoguide" || algorithm == "guide" {
				name, method := guide, "autoguide-"+guide
				if algorithm == "guide" {
					name, method = "guide", "guide"
				}
				set.Seed = seed
				ctx, stop := interruptible(stderr, "the approximation so far is kept")
				defer stop()
				bar := newELBOProgress(stderr, method, set.Steps)
				if guideInit != "" {
					if algorithm != "guide" {
						return fmt.Errorf("--guide-init sets a guide block's parameters: it needs --algorithm guide")
					}
					if set.GuideInit, err = model.ReadDataFile(guideInit); err != nil {
						return fmt.Errorf("--guide-init %v", err)
					}
				}
				res, q, grads, err := fitAutoguide(ctx, m, name, set, bar.running(), cmd.OutOrStdout())
				bar.wait()
				if err != nil {
					return err
				}
				config := append(sviConfig(algorithm, name, set), runConfig(dataPath, init, seed, output)...)
				var comments []string
				if res.Interrupted {
					comments = []string{fmt.Sprintf("Interrupted after %d of %d steps: the draws are the approximation's at that point, not a converged fit.", len(res.ELBO), set.Steps)}
				}
				if err := writeVariationalCSV(output, args[0], sigFigs, config, comments, m.Names(), res.Mean, res.Draws, res.LogP, res.LogG); err != nil {
					return err
				}
				if res.Interrupted {
					reportInterrupted(stderr, "the approximation so far", output, fmt.Sprintf("its mean and %d draws, after %d steps", len(res.Draws), len(res.ELBO)))
					return interruptedExit(ctx)
				}
				wrote := output
				if g, ok := q.(*compile.Guide); ok {
					path := strings.TrimSuffix(output, ".csv") + "_guide.json"
					if err := writeGuideJSON(path, g); err != nil {
						return err
					}
					wrote += " and " + path
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s (%d gradient evaluations)\n\n", wrote, grads)
				return printDrawSummary(cmd.OutOrStdout(), m.Names(), res.Draws)
			}
			// ADVI prints its ELBO table as it goes, as CmdStan does.
			out := cmd.OutOrStdout()
			ctx, stop := interruptible(stderr, "the approximation so far is kept")
			defer stop()
			res, err := advi.RunContext(ctx, m, cfg, func(h advi.ELBOPoint) {
				fmt.Fprintf(out, "iteration %6d  ELBO %12.3f  delta_ELBO_mean %.3g  delta_ELBO_med %.3g\n", h.Iter, h.ELBO, h.RelMean, h.RelMed)
			})
			if errors.Is(err, context.Canceled) {
				fmt.Fprintf(stderr, "gostan: interrupted while adapting the step size, before any fit; %s is not written\n", output)
				return interruptedExit(ctx)
			}
			if err != nil {
				return err
			}
			for _, msg := range res.Messages {
				fmt.Fprintln(out, msg)
			}
			names := m.Names()
			config := append(adviConfig(cfg), runConfig(dataPath, init, seed, output)...)
			var comments []string
			if cfg.Adapt {
				comments = []string{"Stepsize adaptation complete.", fmt.Sprintf("eta = %g", res.Eta)}
			}
			if res.Interrupted {
				comments = append(comments, fmt.Sprintf("Interrupted after %d of %d iterations: the draws are the approximation's at that point, not a converged fit.", res.Iter, cfg.Iter))
			}
			if err := writeVariationalCSV(output, args[0], sigFigs, config, comments, names, res.Mean, res.Draws, res.LogP, res.LogG); err != nil {
				return err
			}
			if res.Interrupted {
				reportInterrupted(stderr, "the approximation so far", output, fmt.Sprintf("its mean and %d draws, after %d iterations", len(res.Draws), res.Iter))
				return interruptedExit(ctx)
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
	f.StringVar(&guideInit, "guide-init", "", "a JSON file of initial values of the guide block's parameters (--algorithm guide), such as the _guide.json a fit writes")
	set.addFlags(cmd, "autoguide, guide")
	return cmd
}

// writeGuideJSON writes a guide block's fitted parameters as Stan JSON,
// which --guide-init reads back.
func writeGuideJSON(path string, g *compile.Guide) error {
	d, err := g.Data()
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := d.WriteJSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printDrawSummary prints the summary table of one set of draws.
func printDrawSummary(w io.Writer, names []string, draws [][]float64) error {
	return diag.WriteTable(w, diag.SummarizeDraws(names, draws))
}

// adviConfig is the config block of an ADVI run: CmdStan's keys with the
// values used, then gostan's redraws and backoffs (0 in CmdStan).
func adviConfig(cfg advi.Config) []string {
	adapt := 0
	if cfg.Adapt {
		adapt = 1
	}
	return []string{
		"method = variational",
		"  variational",
		"    algorithm = " + cfg.Algorithm.String(),
		"      " + cfg.Algorithm.String(),
		fmt.Sprintf("    iter = %d", cfg.Iter),
		fmt.Sprintf("    grad_samples = %d", cfg.GradSamples),
		fmt.Sprintf("    elbo_samples = %d", cfg.ELBOSamples),
		fmt.Sprintf("    eta = %g", cfg.Eta),
		"    adapt",
		fmt.Sprintf("      engaged = %d", adapt),
		fmt.Sprintf("      iter = %d", cfg.AdaptIter),
		fmt.Sprintf("    tol_rel_obj = %g", cfg.TolRelObj),
		fmt.Sprintf("    eval_elbo = %d", cfg.EvalELBO),
		fmt.Sprintf("    output_samples = %d", cfg.OutputSamples),
		fmt.Sprintf("    redraws = %d", cfg.Redraws),
		fmt.Sprintf("    backoffs = %d", cfg.Backoffs),
	}
}

// sviConfig is the config block of an SVI fit (--algorithm autoguide or
// guide), in CmdStan's layout: the guide and the optimisation's settings
// as fitAutoguide uses them.
func sviConfig(algorithm, guide string, flags sviSettings) []string {
	set := flags.settings(guide)
	lines := []string{
		"method = variational",
		"  variational",
		"    algorithm = " + algorithm,
		"      " + algorithm,
	}
	if algorithm == "autoguide" {
		lines = append(lines, "        guide = "+guide)
		if flags.Rank > 0 {
			lines = append(lines, fmt.Sprintf("        rank = %d", flags.Rank))
		}
		if flags.InitScale > 0 {
			lines = append(lines, fmt.Sprintf("        init_scale = %g", flags.InitScale))
		}
		if flags.NumFlows > 0 {
			lines = append(lines, fmt.Sprintf("        num_flows = %d", flags.NumFlows))
		}
		if len(flags.HiddenDims) > 0 {
			lines = append(lines, fmt.Sprintf("        hidden_dims = %v", flags.HiddenDims))
		}
	}
	return append(lines,
		fmt.Sprintf("    steps = %d", set.Steps),
		fmt.Sprintf("    warm_start_steps = %d", set.Warm),
		fmt.Sprintf("    precondition = %d", map[bool]int{false: 0, true: 1}[set.Precondition]),
		"    optimizer = adam",
		fmt.Sprintf("      lr = %g", set.LR),
		fmt.Sprintf("      lr_decay = %g", set.Decay),
		fmt.Sprintf("    particles = %d", set.Particles),
		fmt.Sprintf("    tol = %g", set.Tol),
		fmt.Sprintf("    backoffs = %d", set.Backoffs),
		fmt.Sprintf("    output_samples = %d", set.Draws),
	)
}

// runConfig are the config lines after the method's: the data file, the
// initial values, the seed and the output file, as CmdStan writes them.
func runConfig(dataPath, init string, seed uint64, output string) []string {
	return []string{
		"data",
		"  file = " + dataPath,
		"init = " + init,
		"random",
		fmt.Sprintf("  seed = %d", seed),
		"output",
		"  file = " + output,
	}
}

// writeVariationalCSV writes CmdStan's variational output: the columns
// lp__ (0, as CmdStan writes it), log_p__ and log_g__, then the model's;
// comments after the header; a first row of the approximation's mean with
// 0 for the three; then each draw with its log densities.
func writeVariationalCSV(path, modelPath string, sigFigs int, config, comments, names []string, mean []float64, draws [][]float64, logP, logG []float64) error {
	return stancsv.WriteFile(path, modelPath, sigFigs, config, func(w *stancsv.Writer) error {
		w.Columns(append([]string{"lp__", "log_p__", "log_g__"}, stancsv.ColumnNames(names)...))
		if len(comments) > 0 {
			w.Comment(comments...)
		}
		row := make([]float64, 3+len(names))
		copy(row[3:], mean)
		if err := w.Row(row); err != nil {
			return err
		}
		for k, d := range draws {
			row[1], row[2] = logP[k], logG[k]
			copy(row[3:], d)
			if err := w.Row(row); err != nil {
				return err
			}
		}
		return nil
	})
}

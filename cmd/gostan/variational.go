package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

func newVariationalCmd() *cobra.Command {
	cfg := advi.DefaultConfig()
	var dataPath, output, diagnostic, algorithm, guide, init, guideInit, profileFile string
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
			if diagnostic != "" {
				if err := notAmong("--diagnostic-file", diagnostic, args[0], dataPath, init, output); err != nil {
					return err
				}
			}
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, seed)
			if err != nil {
				return err
			}
			switch init {
			case "median", "mean":
				// NumPyro's init_to_median and init_to_mean, site by site
				// through the program's priors.
				if algorithm != "autoguide" {
					return fmt.Errorf("--init %s starts an autoguide from the priors: it needs --algorithm autoguide", init)
				}
				set.InitLoc = autoguide.InitToMedian(15)
				if init == "mean" {
					set.InitLoc = autoguide.InitToMean()
				}
			default:
				if err := applyInit(m, init, seed, &cfg.InitRadius, &cfg.Init); err != nil {
					return err
				}
				set.InitLoc = autoguide.InitToUniform(cfg.InitRadius)
				if cfg.Init != nil {
					set.InitLoc = autoguide.InitToValue(cfg.Init)
				}
			}
			if algorithm == "autoguide" || algorithm == "guide" {
				if diagnostic != "" {
					return fmt.Errorf("--diagnostic-file writes ADVI's ELBO trace: it needs --algorithm meanfield or fullrank, not %s", algorithm)
				}
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
				vset := res.Set()
				vset.Config = sviConfig(algorithm, name, set)
				run := stancsv.Run{Model: args[0], Data: dataPath, Init: init, Output: output, SigFigs: sigFigs}
				if err := writeSet(vset, run); err != nil {
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
				return printSummary(cmd.OutOrStdout(), vset, false)
			}
			// ADVI prints its ELBO table as it goes, as CmdStan does.
			out := cmd.OutOrStdout()
			prof, err := startProfiling(m, profileFile, args[0], dataPath, init, output, diagnostic)
			if err != nil {
				return err
			}
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
			vset := res.Set()
			run := stancsv.Run{Model: args[0], Data: dataPath, Init: init, Output: output, Diagnostic: diagnostic, SigFigs: sigFigs}
			if err := writeSet(vset, run); err != nil {
				return err
			}
			if diagnostic != "" {
				if err := writeSetAt(diagnostic, res.DiagnosticSet(), run); err != nil {
					return err
				}
			}
			if res.Interrupted {
				reportInterrupted(stderr, "the approximation so far", output, fmt.Sprintf("its mean and %d draws, after %d iterations", len(res.Draws), res.Iter))
				return interruptedExit(ctx)
			}
			wrote := output
			if diagnostic != "" {
				wrote += " and " + diagnostic
			}
			fmt.Fprintf(out, "Wrote %s (eta = %g)\n", wrote, res.Eta)
			if err := writeProfile(out, prof, profileFile); err != nil {
				return err
			}
			fmt.Fprintln(out)
			return printSummary(out, vset, false)
		},
	}
	f := cmd.Flags()
	profileFlag(f, &profileFile)
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.StringVar(&algorithm, "algorithm", "meanfield", "meanfield, fullrank (Stan's ADVI), autoguide or guide (the program's guide block)")
	f.IntVar(&cfg.Iter, "iter", cfg.Iter, "maximum iterations (ADVI)")
	f.IntVar(&cfg.GradSamples, "grad-samples", cfg.GradSamples, "draws per gradient estimate (ADVI)")
	f.IntVar(&cfg.ELBOSamples, "elbo-samples", cfg.ELBOSamples, "draws per ELBO estimate (ADVI)")
	f.Float64Var(&cfg.TolRelObj, "tol-rel-obj", cfg.TolRelObj, "relative ELBO tolerance (ADVI)")
	f.IntVar(&cfg.EvalELBO, "eval-elbo", cfg.EvalELBO, "evaluate the ELBO every this many iterations (ADVI)")
	f.Float64Var(&cfg.Eta, "eta", cfg.Eta, "step size scale, used as given with --adapt-engaged=false (ADVI)")
	f.BoolVar(&cfg.Adapt, "adapt-engaged", cfg.Adapt, "choose eta by trying 100, 10, 1, 0.1 and 0.01 (ADVI)")
	f.IntVar(&cfg.AdaptIter, "adapt-iter", cfg.AdaptIter, "iterations per eta tried (ADVI)")
	f.IntVar(&draws, "draws", cfg.OutputSamples, "draws from the approximation")
	f.Uint64Var(&seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&init, "init", "2", "a number R (initial values uniform in (-R, R) on the unconstrained scale; ADVI), a JSON file of initial values, as CmdStan takes, or, for an autoguide, median or mean: NumPyro's init_to_median (15 draws) and init_to_mean through the program's priors")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.StringVar(&diagnostic, "diagnostic-file", "", "also write ADVI's ELBO trace to this CSV file, as CmdStan's diagnostic_file: iter, time_in_seconds (since the gradient ascent began) and ELBO at each evaluation (meanfield, fullrank)")
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

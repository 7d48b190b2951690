package main

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/contrib/nested"
	"github.com/gostan/gostan/stancsv"
)

func newNestedCmd() *cobra.Command {
	var cfg nested.Config
	var dataPath, output, plots string
	var weighted bool
	var draws, sigFigs, refresh int
	cmd := &cobra.Command{
		Use:   "nested MODEL.stan",
		Short: "Nested sampling: the evidence log Z with its error, and posterior draws",
		Long: "nested runs nested sampling on the program's prior and likelihood, as NumPyro's NestedSampler\n" +
			"(jaxns) does: live points drawn from the prior climb the likelihood by slice sampling inside its\n" +
			"contour until the live points could add less than --live-evidence-frac of the evidence. Every\n" +
			"parameter needs a proper prior whose arguments depend only on data and earlier parameters; the\n" +
			"evidence counts every normalising constant, as target += *_lpdf does.\n\n" +
			"It prints the posterior table and log Z = value ± error, and writes Stan CSV: --draws equally\n" +
			"weighted draws, or with --weighted every dead point and its log_weight__; the comment lines after\n" +
			"the header hold log_evidence and log_evidence_error. On SIGINT or SIGTERM it stops, writes what\n" +
			"it has (the live points counted as they are) and exits with status 130 (143 for SIGTERM).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			stderr, out := cmd.ErrOrStderr(), cmd.OutOrStdout()
			m, err := loadModel(stderr, args[0], dataPath, cfg.Seed)
			if err != nil {
				return err
			}
			p, ok := any(m).(nested.Problem)
			if !ok {
				return errors.New("nested sampling needs the program's priors, which this model does not expose")
			}
			if c, ok := p.(interface{ CheckPriors() error }); ok {
				if err := c.CheckPriors(); err != nil {
					return err
				}
			}
			if refresh > 0 {
				next := refresh
				cfg.Progress = func(dead int, logZ, logRemaining float64) {
					if dead >= next {
						fmt.Fprintf(stderr, "%8d dead points  log Z = %-10.4f  the live points could add %.2g of it\n", dead, logZ, math.Exp(logRemaining))
						next += refresh
					}
				}
			}
			ctx, stop := interruptible(stderr, "the points so far are kept")
			defer stop()
			res, err := nested.Run(ctx, p, cfg)
			if err != nil {
				return err
			}
			for _, msg := range res.Messages {
				fmt.Fprintln(stderr, "warning:", msg)
			}
			n := draws
			if weighted {
				n = 0
			}
			if err := writeSet(res.Set(n, cfg.Seed), stancsv.Run{Model: args[0], Data: dataPath, Output: output, Refresh: refresh, SigFigs: sigFigs}); err != nil {
				return err
			}
			if plots != "" {
				if err := res.Diagnostics(plots); err != nil {
					return err
				}
			}
			res.PrintSummary(out)
			fmt.Fprintf(out, "\nWrote %s", output)
			if plots != "" {
				fmt.Fprintf(out, " and %s/evidence.png, %s/corner.png", plots, plots)
			}
			fmt.Fprintf(out, "\nElapsed: %.2f s (parse, compile, sample)\n", time.Since(start).Seconds())
			if res.Interrupted {
				reportInterrupted(stderr, "the draws made", output, fmt.Sprintf("the %d dead points and the live ones after %d iterations", len(res.Draws), res.Iterations))
				return interruptedExit(ctx)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.IntVar(&cfg.LivePoints, "live-points", 0, "live points (0: 50 × (dimension + 1))")
	f.IntVar(&cfg.Slices, "slices", 0, "slice-sampling steps per new point (0: 3 × dimension, at least 5)")
	f.Float64Var(&cfg.LiveEvidenceFrac, "live-evidence-frac", 1e-4, "stop when the live points could add at most this fraction of the evidence")
	f.IntVar(&cfg.MaxLikelihoodEvals, "max-evals", 0, "stop after this many likelihood evaluations (0: no cap)")
	f.IntVar(&cfg.MaxSamples, "max-samples", 0, "stop after this many dead points (0: no cap)")
	f.IntVar(&cfg.Threads, "threads", 0, "new points drawn in parallel (0: the number of CPUs); results depend on it")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.BoolVar(&weighted, "weighted", false, "write every dead point with its log_weight__ instead of equally weighted draws")
	f.IntVar(&draws, "draws", 1000, "equally weighted draws to write (without --weighted)")
	f.StringVar(&plots, "plots", "", "directory for PNG plots: evidence.png and corner.png")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	f.IntVar(&refresh, "refresh", 1000, "print the evidence so far every this many dead points; 0: none")
	return cmd
}

package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/stancsv"
)

func newOptimizeCmd() *cobra.Command {
	cfg := optimize.DefaultConfig()
	var dataPath, output, algorithm, init, profileFile string
	var seed uint64
	var sigFigs, refresh int
	cmd := &cobra.Command{
		Use:   "optimize MODEL.stan",
		Short: "Find the posterior mode: Stan's L-BFGS, BFGS or Newton optimizer",
		Long: "optimize finds a mode of the log density on the unconstrained space, as CmdStan's optimize\n" +
			"method does, and writes it as Stan CSV: lp__ (the log density with Stan's constants dropped, as\n" +
			"CmdStan's L-BFGS and BFGS report it) and the model's columns, in one row.\n\n" +
			"Without --jacobian the log Jacobian of the constraining transforms is left out, so the mode is\n" +
			"that of the posterior on the constrained scale (a penalized maximum likelihood estimate); with it\n" +
			"the mode is that of the density on the unconstrained scale, as for a Laplace approximation.\n" +
			"The tolerances and their defaults are CmdStan's; a tolerance of 0 turns its test off.\n\n" +
			"SIGINT (Ctrl-C) or SIGTERM stops the optimizer before its next iteration: the file holds the best\n" +
			"point so far, with a comment saying so, and gostan exits with status 130 (143 for SIGTERM).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if seed == 0 {
				seed = uint64(time.Now().UnixNano())
			}
			cfg.Seed = seed
			alg, err := optimize.ParseAlgorithm(algorithm)
			if err != nil {
				return err
			}
			cfg.Algorithm = alg
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, seed)
			if err != nil {
				return err
			}
			if err := applyInit(m, init, seed, &cfg.InitRadius, &cfg.Init); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			var last optimize.Iteration
			printed := false
			line := func(it optimize.Iteration) {
				fmt.Fprintf(out, " %7d  %12.6g  %12.6g  %12.6g  %10.4g  %10.4g  %7d  %s\n",
					it.Iter, it.LogP, it.StepNorm, it.GradNorm, it.Alpha, it.Alpha0, it.Evals, it.Note)
			}
			report := func(it optimize.Iteration) {
				if it.Iter == 0 {
					fmt.Fprintf(out, "Initial log joint probability = %g\n", it.LogP)
					return
				}
				last, printed = it, false
				if refresh <= 0 {
					return
				}
				if it.Iter == 1 || it.Iter%refresh == 0 {
					fmt.Fprintln(out, "    Iter      log prob        ||dx||      ||grad||       alpha      alpha0  # evals  Notes ")
				}
				if it.Iter == 1 || it.Iter%refresh == 0 || it.Note != "" {
					line(it)
					printed = true
				}
			}
			prof, err := startProfiling(m, profileFile, args[0], dataPath, init, output)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd.ErrOrStderr(), "the best point so far is kept")
			defer stop()
			res, err := optimize.Run(ctx, m, cfg, report)
			if err != nil {
				return err
			}
			if refresh > 0 && !printed && last.Iter > 0 {
				line(last)
			}
			switch {
			case res.Interrupted:
			case res.Code.OK():
				fmt.Fprintf(out, "Optimization terminated normally: \n  %v\n", res.Code)
			default:
				fmt.Fprintf(out, "Optimization terminated with error: \n  %v\n", res.Code)
			}
			for _, msg := range res.Messages {
				fmt.Fprintln(out, msg)
			}
			if res.WriteErr != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %v\n", res.WriteErr)
			}
			run := stancsv.Run{Model: args[0], Data: dataPath, Init: init, Output: output, Refresh: refresh, SigFigs: sigFigs}
			if err := writeSet(res.Set(), run); err != nil {
				return err
			}
			if res.Interrupted {
				reportInterrupted(cmd.ErrOrStderr(), "the best point so far", output, fmt.Sprintf("lp__ = %.6g after %d iterations", res.LogP, res.Iter))
				return interruptedExit(ctx)
			}
			fmt.Fprintf(out, "Wrote %s (%d iterations, %d gradient evaluations)\n", output, res.Iter, res.Evals)
			if err := writeProfile(out, prof, profileFile); err != nil {
				return err
			}
			fmt.Fprintln(out)
			printMode(out, res.Names, res.LogP, res.Values)
			if !res.Code.OK() {
				return exitError{}
			}
			return nil
		},
	}
	f := cmd.Flags()
	profileFlag(f, &profileFile)
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.StringVar(&algorithm, "algorithm", "lbfgs", "lbfgs, bfgs or newton")
	f.BoolVar(&cfg.Jacobian, "jacobian", cfg.Jacobian, "include the log Jacobian of the constraining transforms (the mode on the unconstrained scale)")
	f.IntVar(&cfg.Iter, "iter", cfg.Iter, "maximum iterations")
	f.Float64Var(&cfg.InitAlpha, "init-alpha", cfg.InitAlpha, "first line search step (lbfgs, bfgs)")
	f.Float64Var(&cfg.TolObj, "tol-obj", cfg.TolObj, "absolute change of the log density (lbfgs, bfgs)")
	f.Float64Var(&cfg.TolRelObj, "tol-rel-obj", cfg.TolRelObj, "relative change of the log density, in units of machine epsilon (lbfgs, bfgs)")
	f.Float64Var(&cfg.TolGrad, "tol-grad", cfg.TolGrad, "gradient norm (lbfgs, bfgs)")
	f.Float64Var(&cfg.TolRelGrad, "tol-rel-grad", cfg.TolRelGrad, "relative gradient magnitude, in units of machine epsilon (lbfgs, bfgs)")
	f.Float64Var(&cfg.TolParam, "tol-param", cfg.TolParam, "parameter change (lbfgs, bfgs)")
	f.IntVar(&cfg.HistorySize, "history-size", cfg.HistorySize, "update pairs kept (lbfgs)")
	f.BoolVar(&cfg.SaveIterations, "save-iterations", false, "write every iterate's row, the initial point first, as CmdStan's save_iterations (the last row is the mode)")
	f.Uint64Var(&seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&init, "init", "2", "a number R (initial values uniform in (-R, R) on the unconstrained scale) or a JSON file of initial values, as CmdStan takes")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	f.IntVar(&refresh, "refresh", 100, "print the iterations' log densities every this many iterations; 0: none")
	return cmd
}

// printMode prints the mode's lp__ and columns, one a line.
func printMode(w io.Writer, names []string, lp float64, vals []float64) {
	width := len("lp__")
	for _, n := range names {
		width = max(width, len(n))
	}
	fmt.Fprintf(w, "%-*s  %12.6g\n", width, "lp__", lp)
	for i, n := range names {
		fmt.Fprintf(w, "%-*s  %12.6g\n", width, n, vals[i])
	}
}

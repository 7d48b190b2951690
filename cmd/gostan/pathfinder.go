package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/infer/pathfinder"
	"github.com/gostan/gostan/stancsv"
)

func newPathfinderCmd() *cobra.Command {
	cfg := pathfinder.DefaultConfig()
	var dataPath, output, init, profileFile string
	var sigFigs, refresh int
	cmd := &cobra.Command{
		Use:   "pathfinder MODEL.stan",
		Short: "Pathfinder variational inference: Gaussian approximations along L-BFGS paths, as CmdStan's pathfinder",
		Long: "pathfinder runs --num-paths L-BFGS paths in parallel from random initial values. Along each path\n" +
			"it forms a Gaussian approximation at every iterate from the L-BFGS inverse Hessian, estimates its\n" +
			"ELBO with --num-elbo-draws draws and keeps the best; it draws --num-draws from each path's best\n" +
			"and resamples --num-psis-draws of the pooled draws by Pareto-smoothed importance weights\n" +
			"(Zhang, Carpenter, Gelman and Vehtari 2022). The defaults are CmdStan's.\n\n" +
			"It writes Stan CSV as CmdStan does: lp_approx__ (the draw's log density under its approximation),\n" +
			"lp__ (the model's, Stan's constants dropped) and the model's columns, and prints each path's\n" +
			"figures, the Pareto k of the importance weights and the draws' summary. --calculate-lp=false\n" +
			"leaves lp__ NaN except at the draws each path's ELBO estimate made, and so writes all the paths'\n" +
			"draws unresampled, as CmdStan does. --save-single-paths also writes each path's own draws and\n" +
			"its L-BFGS iterations with their approximations, as CmdStan names them: for output.csv,\n" +
			"output_path_1.csv and output_path_1.json, ... (with one path, output.json).\n\n" +
			"SIGINT (Ctrl-C) or SIGTERM stops the paths before their next L-BFGS iteration: the file holds\n" +
			"draws from the best approximations reached, with a comment saying so, and gostan exits with\n" +
			"status 130 (143 for SIGTERM).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			m, err := loadModel(stderr, args[0], dataPath, cfg.Seed)
			if err != nil {
				return err
			}
			if err := applyInit(m, init, cfg.Seed, &cfg.InitRadius, &cfg.Init); err != nil {
				return err
			}
			if refresh > 0 {
				var mu sync.Mutex // the paths report from their goroutines
				cfg.Progress = func(p pathfinder.Progress) {
					if p.Iter%refresh != 0 {
						return
					}
					mu.Lock()
					defer mu.Unlock()
					fmt.Fprintf(stderr, "Path [%d] Iter %5d: log density %-12.6g ELBO %-12.6g best ELBO %.6g\n", p.Path, p.Iter, p.LogP, p.ELBO, p.BestELBO)
				}
			}
			prof, err := startProfiling(m, profileFile, args[0], dataPath, init, output)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(stderr, "draws from the best approximations so far are kept")
			defer stop()
			res, err := pathfinder.RunContext(ctx, m, cfg)
			if err != nil {
				if ctx.Err() != nil {
					fmt.Fprintf(stderr, "gostan: interrupted before any approximation was formed; %s was not written\n", output)
					return interruptedExit(ctx)
				}
				return err
			}
			for _, msg := range res.Messages {
				fmt.Fprintln(stderr, "warning:", msg)
			}
			printPaths(out, res)
			set := res.Set()
			run := stancsv.Run{Model: args[0], Data: dataPath, Init: init, Output: output, Refresh: refresh, SigFigs: sigFigs}
			if err := writeSet(set, run); err != nil {
				return err
			}
			var singles []string
			if cfg.SaveSinglePaths {
				if singles, err = writeSinglePaths(res, run); err != nil {
					return err
				}
			}
			if res.Interrupted {
				reportInterrupted(stderr, "draws from the best approximations reached", output, fmt.Sprintf("%d draws", len(res.Draws)))
				return interruptedExit(ctx)
			}
			for _, f := range singles {
				fmt.Fprintf(out, "\nWrote %s", f)
			}
			fmt.Fprintf(out, "\nWrote %s (%d draws)\n", output, len(res.Draws))
			if err := writeProfile(out, prof, profileFile); err != nil {
				return err
			}
			fmt.Fprintf(out, "Elapsed: %.2f s (parse, compile, pathfinder)\n\n", time.Since(start).Seconds())
			return printSummary(out, set, true)
		},
	}
	f := cmd.Flags()
	profileFlag(f, &profileFile)
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.IntVar(&cfg.NumPaths, "num-paths", cfg.NumPaths, "single paths, run in parallel")
	f.IntVar(&cfg.NumDraws, "num-draws", cfg.NumDraws, "draws from each path's best approximation")
	f.IntVar(&cfg.NumPSISDraws, "num-psis-draws", cfg.NumPSISDraws, "draws after PSIS resampling (more than one path)")
	f.BoolVar(&cfg.PSISResample, "psis-resample", cfg.PSISResample, "resample the paths' pooled draws by importance weights; otherwise write them all")
	f.BoolVar(&cfg.CalculateLP, "calculate-lp", cfg.CalculateLP, "compute lp__ at every draw; when false only the ELBO draws of each path's best approximation have it (the rest NaN) and the draws are not resampled")
	f.BoolVar(&cfg.SaveSinglePaths, "save-single-paths", cfg.SaveSinglePaths, "also write each path's draws and L-BFGS iterations, to OUTPUT_path_N.csv and OUTPUT_path_N.json (one path: OUTPUT.json)")
	f.IntVar(&cfg.NumELBODraws, "num-elbo-draws", cfg.NumELBODraws, "draws per ELBO estimate")
	f.IntVar(&cfg.HistorySize, "history-size", cfg.HistorySize, "L-BFGS update pairs kept")
	f.IntVar(&cfg.MaxLBFGSIter, "max-lbfgs-iters", cfg.MaxLBFGSIter, "L-BFGS iterations per path at most")
	f.Float64Var(&cfg.InitAlpha, "init-alpha", cfg.InitAlpha, "first line search step")
	f.Float64Var(&cfg.TolObj, "tol-obj", cfg.TolObj, "absolute change of the log density")
	f.Float64Var(&cfg.TolRelObj, "tol-rel-obj", cfg.TolRelObj, "relative change of the log density, in units of machine epsilon")
	f.Float64Var(&cfg.TolGrad, "tol-grad", cfg.TolGrad, "gradient norm")
	f.Float64Var(&cfg.TolRelGrad, "tol-rel-grad", cfg.TolRelGrad, "relative gradient magnitude, in units of machine epsilon")
	f.Float64Var(&cfg.TolParam, "tol-param", cfg.TolParam, "parameter change")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&init, "init", "2", "a number R (initial values uniform in (-R, R) on the unconstrained scale) or a JSON file of initial values, as CmdStan takes")
	f.StringVar(&output, "output", "output.csv", "output file")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	f.IntVar(&refresh, "refresh", 100, "print each path's log density and ELBO every this many L-BFGS iterations; 0: none")
	return cmd
}

// writeSinglePaths writes the files of --save-single-paths beside the
// output, named as CmdStan names them, each path's draws with the output's
// header, and returns their names.
func writeSinglePaths(res *pathfinder.Result, run stancsv.Run) ([]string, error) {
	var written []string
	for i := range res.Paths {
		csvFile, jsonFile := pathfinder.SinglePathFiles(run.Output, i+1, len(res.Paths))
		if set := res.PathSet(i); csvFile != "" && set != nil {
			r := run
			r.Output = csvFile
			if err := writeSet(set, r); err != nil {
				return written, err
			}
			written = append(written, csvFile)
		}
		f, err := os.Create(jsonFile)
		if err != nil {
			return written, err
		}
		if err := res.Paths[i].WriteIterates(f); err != nil {
			f.Close()
			return written, err
		}
		if err := f.Close(); err != nil {
			return written, err
		}
		written = append(written, jsonFile)
	}
	return written, nil
}

// printPaths prints one line per path and the Pareto k of the resampling.
func printPaths(w io.Writer, res *pathfinder.Result) {
	for i, p := range res.Paths {
		if p.Err != nil {
			fmt.Fprintf(w, "Path [%d]: failed: %v\n", i+1, p.Err)
			continue
		}
		fmt.Fprintf(w, "Path [%d]: %d L-BFGS iterations (%v); best iteration %d, ELBO %.6g; %d log density evaluations\n",
			i+1, p.Iter, p.Code, p.BestIter, p.ELBO, p.Evals)
	}
	if !math.IsNaN(res.ParetoK) {
		fmt.Fprintf(w, "Pareto k of the importance weights: %.2f\n", res.ParetoK)
	}
}

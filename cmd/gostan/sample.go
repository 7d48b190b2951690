package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/stancsv"
)

func newSampleCmd() *cobra.Command {
	cfg := nuts.DefaultConfig()
	var dataPath, output, metric, init string
	var chains, threads, sigFigs int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "sample MODEL.stan",
		Short: "Draw from the posterior with Stan's NUTS",
		Long: "sample runs Stan's NUTS sampler (diag_e or dense_e metric, windowed adaptation) on a Stan\n" +
			"program, writes Stan CSV as CmdStan does and prints the summary.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch metric {
			case "diag", "diag_e":
				cfg.Metric = nuts.Diag
			case "dense", "dense_e":
				cfg.Metric = nuts.Dense
			default:
				return fmt.Errorf("--metric must be diag or dense, not %q", metric)
			}
			if seed == 0 {
				seed = uint64(time.Now().UnixNano())
			}
			cfg.Seed = seed
			start := time.Now()
			m, err := loadModel(cmd.ErrOrStderr(), args[0], dataPath, seed)
			if err != nil {
				return err
			}
			if err := applyInit(m, init, seed, &cfg.InitRadius, &cfg.Init); err != nil {
				return err
			}
			files := outputNames(output, chains)
			run := stancsv.Run{Model: args[0], Data: dataPath, Init: init, Chains: chains, SigFigs: sigFigs, Threads: threads}
			sinks := make([]*stancsv.SampleFile, chains)
			for c := range sinks {
				cc := cfg
				cc.Chain = cfg.Chain + c
				run.Output = files[c]
				if sinks[c], err = stancsv.CreateSample(run, m, cc); err != nil {
					closeAll(sinks)
					return err
				}
			}
			stderr := cmd.ErrOrStderr()
			ctx, stop := interruptible(stderr, "the draws made so far are kept")
			defer stop()
			labels := make([]string, chains)
			for i := range labels {
				labels[i] = fmt.Sprintf("chain %d", i+1)
			}
			bars := newProgressBars(stderr, labels, cfg.Warmup+cfg.Samples)
			res, err := nuts.RunChainsContext(ctx, m, cfg, chains, threads, func(c int, _ *nuts.Config) nuts.Hooks {
				return nuts.Hooks{Progress: func(iter int) { bars.set(c, iter) }, Sink: sinks[c]}
			})
			bars.wait()
			interrupted := errors.Is(err, context.Canceled)
			if err != nil && !interrupted {
				closeAll(sinks)
				return err
			}
			for c, ch := range res {
				if err := sinks[c].Finish(ch); err != nil {
					return err
				}
				for _, msg := range ch.Messages {
					fmt.Fprintf(stderr, "chain %d: %s\n", c+1, msg)
				}
			}
			if interrupted {
				fmt.Fprintln(stderr, "gostan: interrupted; the files hold the draws made:")
				for c, sf := range sinks {
					fmt.Fprintf(stderr, "  %s: %d draws", files[c], sf.Draws)
					if sf.Warmup > 0 {
						fmt.Fprintf(stderr, " and %d warmup draws", sf.Warmup)
					}
					fmt.Fprintln(stderr)
				}
				return exitError{}
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Wrote %s\n\n", strings.Join(files, ", "))
			printNUTSSummary(out, m.Names(), res, cfg.MaxDepth)
			fmt.Fprintf(out, "\nElapsed: %.2f s (parse, compile, sample)\n", time.Since(start).Seconds())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataPath, "data", "", "Stan JSON data file (.json or .json.zip)")
	f.IntVar(&chains, "chains", 4, "number of chains")
	f.IntVar(&cfg.Warmup, "warmup", cfg.Warmup, "warmup iterations per chain")
	f.IntVar(&cfg.Samples, "samples", cfg.Samples, "draws per chain after warmup")
	f.Uint64Var(&seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&metric, "metric", "diag", "Euclidean metric: diag or dense")
	f.Float64Var(&cfg.Delta, "adapt-delta", cfg.Delta, "target acceptance statistic")
	f.IntVar(&cfg.MaxDepth, "max-depth", cfg.MaxDepth, "maximum tree depth")
	f.StringVar(&init, "init", "2", "a number R (initial values uniform in (-R, R) on the unconstrained scale) or a JSON file of initial values, as CmdStan takes")
	f.Float64Var(&cfg.StepSize, "stepsize", cfg.StepSize, "initial step size")
	f.StringVar(&output, "output", "output.csv", "output file; with several chains, name_1.csv, name_2.csv, ...")
	f.IntVar(&threads, "threads", runtime.NumCPU(), "chains run in parallel")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	return cmd
}

// outputNames follows CmdStan: one chain writes the file as named,
// several write name_1.csv, name_2.csv, ...
func outputNames(output string, chains int) []string {
	if chains == 1 {
		return []string{output}
	}
	ext := filepath.Ext(output)
	base := strings.TrimSuffix(output, ext)
	names := make([]string, chains)
	for i := range names {
		names[i] = fmt.Sprintf("%s_%d%s", base, i+1, ext)
	}
	return names
}

// closeAll closes the files of a run that failed.
func closeAll(files []*stancsv.SampleFile) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}

// printNUTSSummary prints the summary table of lp__ and the model's
// columns, and the sampler's warnings.
func printNUTSSummary(w io.Writer, names []string, res []*nuts.Chain, maxDepth int) {
	var rows []diag.Summary
	lp := make([][]float64, len(res))
	var stats []diag.ChainStats
	for c, ch := range res {
		var cs diag.ChainStats
		for _, s := range ch.Stats {
			lp[c] = append(lp[c], s.LP)
			cs.Divergent = append(cs.Divergent, s.Divergent)
			cs.TreeDepth = append(cs.TreeDepth, s.TreeDepth)
			cs.Energy = append(cs.Energy, s.Energy)
		}
		stats = append(stats, cs)
	}
	rows = append(rows, diag.Summarize("lp__", lp))
	for j, n := range names {
		col := make([][]float64, len(res))
		for c, ch := range res {
			for _, d := range ch.Draws {
				col[c] = append(col[c], d[j])
			}
		}
		rows = append(rows, diag.Summarize(n, col))
	}
	diag.WriteTable(w, rows)
	for _, warn := range diag.SamplerWarnings(stats, maxDepth) {
		fmt.Fprintln(w, "Warning:", warn)
	}
}

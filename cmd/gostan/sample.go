package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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
			labels := make([]string, chains)
			for i := range labels {
				labels[i] = fmt.Sprintf("chain %d", i+1)
			}
			bars := newProgressBars(cmd.ErrOrStderr(), labels, cfg.Warmup+cfg.Samples)
			res, err := nuts.RunChains(m, cfg, chains, threads, bars.set)
			bars.wait()
			if err != nil {
				return err
			}
			for c, ch := range res {
				for _, msg := range ch.Messages {
					fmt.Fprintf(cmd.ErrOrStderr(), "chain %d: %s\n", c+1, msg)
				}
			}
			names := m.Names()
			files := outputNames(output, chains)
			for c, ch := range res {
				if err := writeChainCSV(files[c], args[0], dataPath, init, cfg, c+1, names, ch, sigFigs); err != nil {
					return err
				}
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Wrote %s\n\n", strings.Join(files, ", "))
			printNUTSSummary(out, args[0], cfg, names, res)
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

var samplerColumns = []string{"lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"}

func writeChainCSV(path, modelPath, dataPath, init string, cfg nuts.Config, id int, names []string, ch *nuts.Chain, sigFigs int) error {
	config := []string{
		"method = sample (Default)",
		"  sample",
		fmt.Sprintf("    num_samples = %d", cfg.Samples),
		fmt.Sprintf("    num_warmup = %d", cfg.Warmup),
		"    save_warmup = 0 (Default)",
		"    thin = 1 (Default)",
		"    adapt",
		"      engaged = 1 (Default)",
		fmt.Sprintf("      gamma = %g", cfg.Gamma),
		fmt.Sprintf("      delta = %g", cfg.Delta),
		fmt.Sprintf("      kappa = %g", cfg.Kappa),
		fmt.Sprintf("      t0 = %g", cfg.T0),
		fmt.Sprintf("      init_buffer = %d", cfg.InitBuffer),
		fmt.Sprintf("      term_buffer = %d", cfg.TermBuffer),
		fmt.Sprintf("      window = %d", cfg.Window),
		"    algorithm = hmc (Default)",
		"      hmc",
		"        engine = nuts (Default)",
		"          nuts",
		fmt.Sprintf("            max_depth = %d", cfg.MaxDepth),
		fmt.Sprintf("        metric = %s", ch.Metric),
		fmt.Sprintf("        stepsize = %g", cfg.StepSize),
		"        stepsize_jitter = 0 (Default)",
		fmt.Sprintf("id = %d", id),
		"data",
		"  file = " + dataPath,
		"init = " + init,
		"random",
		fmt.Sprintf("  seed = %d", cfg.Seed),
		"output",
		"  file = " + path,
	}
	return writeStanCSV(path, modelPath, sigFigs, config, func(w *stancsv.Writer) error {
		return writeChainRows(w, names, ch)
	})
}

// writeChainRows writes a chain's header, adaptation, draws and timing.
func writeChainRows(w *stancsv.Writer, names []string, ch *nuts.Chain) error {
	w.Columns(append(append([]string(nil), samplerColumns...), stanColumnNames(names)...))
	w.Comment("Adaptation terminated", fmt.Sprintf("Step size = %g", ch.StepSize))
	if ch.Metric == nuts.Dense {
		w.Comment("Elements of inverse mass matrix:")
		d := len(ch.InvMetric)
		k := 0
		for k*k < d {
			k++
		}
		for i := range k {
			w.Comment(joinFloats(ch.InvMetric[i*k : (i+1)*k]))
		}
	} else {
		w.Comment("Diagonal elements of inverse mass matrix:", joinFloats(ch.InvMetric))
	}
	row := make([]float64, len(samplerColumns)+len(names))
	for i, d := range ch.Draws {
		s := ch.Stats[i]
		div := 0.0
		if s.Divergent {
			div = 1
		}
		copy(row, []float64{s.LP, s.AcceptStat, s.StepSize, float64(s.TreeDepth), float64(s.NLeapfrog), div, s.Energy})
		copy(row[len(samplerColumns):], d)
		if err := w.Row(row); err != nil {
			return err
		}
	}
	w.Comment("",
		fmt.Sprintf(" Elapsed Time: %.3f seconds (Warm-up)", ch.WarmupSeconds),
		fmt.Sprintf("               %.3f seconds (Sampling)", ch.SampleSeconds),
		fmt.Sprintf("               %.3f seconds (Total)", ch.WarmupSeconds+ch.SampleSeconds),
		"",
		fmt.Sprintf("Gradient evaluations: %d", ch.Gradients))
	return nil
}

// writeStanCSV creates path and writes a Stan CSV file: csvPreamble, the
// method's configuration comments, then what body writes (the header, the
// rows and any comments among them); it flushes and closes the file.
func writeStanCSV(path, modelPath string, sigFigs int, config []string, body func(w *stancsv.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := stancsv.NewWriter(f, sigFigs)
	w.Comment(csvPreamble(modelPath)...)
	w.Comment(config...)
	if err := body(w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// csvPreamble are the first comment lines of a Stan CSV file: the Stan
// version whose output gostan follows, gostan's, and the model.
func csvPreamble(modelPath string) []string {
	return []string{"stan_version_major = 2", "stan_version_minor = 21", "stan_version_patch = 0",
		"gostan = 0.1", "model = " + strings.TrimSuffix(filepath.Base(modelPath), ".stan")}
}

// stanColumnNames writes names CmdStan's way: theta[1,2] as theta.1.2.
func stanColumnNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		n = strings.ReplaceAll(n, "[", ".")
		n = strings.ReplaceAll(n, ",", ".")
		out[i] = strings.TrimSuffix(n, "]")
	}
	return out
}

func joinFloats(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%g", x)
	}
	return strings.Join(s, ", ")
}

// printNUTSSummary prints the chains' summary report as `gostan summary`
// prints it from their CSV files, and its warnings.
func printNUTSSummary(w io.Writer, modelPath string, cfg nuts.Config, names []string, res []*nuts.Chain) {
	run := diag.Run{Model: strings.TrimSuffix(filepath.Base(modelPath), ".stan"),
		Columns: append(slices.Clone(samplerColumns), names...), MaxDepth: cfg.MaxDepth}
	for _, ch := range res {
		rows := make([][]float64, len(ch.Draws))
		for i, d := range ch.Draws {
			s := ch.Stats[i]
			div := 0.0
			if s.Divergent {
				div = 1
			}
			rows[i] = append([]float64{s.LP, s.AcceptStat, s.StepSize, float64(s.TreeDepth), float64(s.NLeapfrog), div, s.Energy}, d...)
		}
		run.Chains = append(run.Chains, rows)
		run.Warmup = append(run.Warmup, cfg.Warmup)
		run.Thin = append(run.Thin, 1)
		run.WarmupSeconds = append(run.WarmupSeconds, ch.WarmupSeconds)
		run.SampleSeconds = append(run.SampleSeconds, ch.SampleSeconds)
	}
	printReport(w, diag.NewReport(run, nil, 0), 2)
}

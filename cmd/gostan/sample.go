package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/infer/pathfinder"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/stancsv"
)

func newSampleCmd() *cobra.Command {
	cfg := nuts.DefaultConfig()
	var dataPath, output, outputDir, diagnostic, metric, metricFile, init, algorithm, profileFile string
	var chains, id, threads, sigFigs, refresh int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "sample MODEL.stan",
		Short: "Draw from the posterior with Stan's NUTS (or fixed_param)",
		Long: "sample runs Stan's NUTS sampler (diag_e or dense_e metric, windowed adaptation) on a Stan\n" +
			"program, writes Stan CSV as CmdStan does, row by row as the draws are made, and prints the\n" +
			"summary. A program without parameters runs CmdStan's fixed_param sampler, as does\n" +
			"--algorithm fixed_param: every iteration writes the generated quantities.\n\n" +
			"SIGINT (Ctrl-C) or SIGTERM stops the chains: the files keep every draw made, gostan says\n" +
			"how many each holds, and exits with status 130 (143 for SIGTERM). A second signal ends gostan\n" +
			"at once.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			stderr := cmd.ErrOrStderr()
			switch metric {
			case "diag", "diag_e":
				cfg.Metric = nuts.Diag
			case "dense", "dense_e":
				cfg.Metric = nuts.Dense
			default:
				return fmt.Errorf("--metric must be diag or dense, not %q", metric)
			}
			switch algorithm {
			case "hmc", "nuts":
			case "fixed_param":
				cfg.FixedParam = true
			default:
				return fmt.Errorf("--algorithm must be hmc or fixed_param, not %q", algorithm)
			}
			if seed == 0 {
				seed = uint64(time.Now().UnixNano())
			}
			cfg.Seed, cfg.Chain = seed, id
			start := time.Now()
			m, err := loadModel(stderr, args[0], dataPath, seed)
			if err != nil {
				return err
			}
			if m.Dim() == 0 && !cfg.FixedParam {
				fmt.Fprintln(stderr, "Model contains no parameters, running fixed_param sampler, no updates to Markov chain")
				cfg.FixedParam = true
			}
			if cfg.Adapt && cfg.Warmup == 0 && !cfg.FixedParam {
				return errors.New("--warmup must be above 0 when adaptation is engaged, as in CmdStan; --adapt-engaged=false samples with --stepsize and the initial metric")
			}
			if metricFile != "" {
				if cfg.InvMetric, err = readMetricFile(metricFile, cfg.Metric); err != nil {
					return err
				}
			}
			inits, err := chainInits(m, init, seed, chains, id, &cfg.InitRadius)
			if err != nil {
				return err
			}
			if outputDir != "" {
				if err := os.MkdirAll(outputDir, 0o755); err != nil {
					return err
				}
				output = inDir(outputDir, output)
				if diagnostic != "" {
					diagnostic = inDir(outputDir, diagnostic)
				}
				if profileFile != "" {
					profileFile = inDir(outputDir, profileFile)
				}
			}
			files := outputNames(output, chains, id)
			read := []string{args[0], dataPath, metricFile}
			var diagFiles []string
			if diagnostic != "" {
				diagFiles = outputNames(diagnostic, chains, id)
				for _, d := range diagFiles {
					if err := notAmong("--diagnostic-file", d, slices.Concat(read, files)...); err != nil {
						return err
					}
				}
			}
			// The profile measures the chains, each a row per profile with
			// thread_id the chain's id, and transformed data (thread 0);
			// not the search for initial points before them. Its path is
			// checked before the output files are made.
			for _, in := range inits {
				read = append(read, in.arg)
			}
			prof, err := startProfiling(m, profileFile, slices.Concat(read, files, diagFiles)...)
			if err != nil {
				return err
			}
			run := stancsv.Run{Model: args[0], Data: dataPath, MetricFile: metricFile, Chains: chains, Refresh: refresh, SigFigs: sigFigs, Threads: threads}
			sinks := make([]*stancsv.SampleFile, chains)
			for c := range sinks {
				cc := cfg
				cc.Chain = cfg.Chain + c
				run.Output, run.Init = files[c], inits[c].arg
				if diagnostic != "" {
					run.Diagnostic = diagFiles[c]
				}
				if sinks[c], err = stancsv.CreateSample(run, m, cc); err != nil {
					closeAll(sinks)
					return err
				}
			}
			ctx, stop := interruptible(stderr, "the draws made so far are kept")
			defer stop()
			warmup := cfg.Warmup
			if cfg.FixedParam {
				warmup = 0
			}
			progress := newSampleProgress(stderr, chains, id, warmup, cfg.Samples, refresh)
			fit, err := nuts.Run(ctx, m, nuts.Options{Config: cfg, Chains: chains, Threads: threads,
				Setup: func(c int, cc *nuts.Config) nuts.Hooks {
					cc.Init = inits[c].point
					h := nuts.Hooks{Progress: func(iter int) { progress.set(c, iter) }, Sink: sinks[c]}
					if diagnostic != "" {
						h.Phase = sinks[c].Phase
					}
					return h
				},
				Clone: func(c int, m model.Model) model.Model {
					mc := m.Clone()
					if cm, ok := mc.(*compile.Model); ok {
						cm.SetProfileThread(cfg.Chain + c)
					}
					return mc
				}})
			progress.wait()
			interrupted := errors.Is(err, context.Canceled)
			if err != nil && !interrupted {
				closeAll(sinks)
				return err
			}
			for c, ch := range fit.Chains {
				if err := sinks[c].Finish(ch); err != nil {
					return err
				}
				for _, msg := range ch.Messages {
					fmt.Fprintf(stderr, "chain %d: %s\n", id+c, msg)
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
				return interruptedExit(ctx)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Wrote %s\n", strings.Join(files, ", "))
			if err := writeProfile(out, prof, profileFile); err != nil {
				return err
			}
			fmt.Fprintln(out)
			if len(fit.Chains[0].Draws) == 0 {
				fmt.Fprintln(out, "No draws to summarise (--samples 0 or a --thin larger than --samples): the files hold the adaptation.")
			} else {
				run := fit.Run(strings.TrimSuffix(filepath.Base(args[0]), ".stan"))
				diag.NewReport(run, nil, 0).WriteText(out, 2)
			}
			fmt.Fprintf(out, "\nElapsed: %.2f s (parse, compile, sample)\n", time.Since(start).Seconds())
			return nil
		},
	}
	f := cmd.Flags()
	profileFlag(f, &profileFile)
	f.StringVar(&dataPath, "data", "", "data file: Stan JSON (.json or .json.zip) or R dump (.R)")
	f.IntVar(&chains, "chains", nuts.DefaultOptions().Chains, "number of chains (4, as CmdStanPy and CmdStanR run; CmdStan's num_chains defaults to 1)")
	f.IntVar(&id, "id", cfg.Chain, "the first chain's number, CmdStan's id: the chains are id, id+1, ..., each drawing from the seed and its number, so --id 3 --chains 1 repeats chain 3 of --chains 4; with several chains the files are name_ID.csv (and init_ID.json)")
	f.IntVar(&cfg.Warmup, "warmup", cfg.Warmup, "warmup iterations per chain")
	f.IntVar(&cfg.Samples, "samples", cfg.Samples, "iterations per chain after warmup (0: warmup only)")
	f.IntVar(&cfg.Thin, "thin", cfg.Thin, "keep every this many iterations")
	f.BoolVar(&cfg.SaveWarmup, "save-warmup", false, "write the warmup iterations too (before the adaptation block)")
	f.Uint64Var(&seed, "seed", 0, "random seed (0: from the clock)")
	f.StringVar(&algorithm, "algorithm", "hmc", "hmc (NUTS) or fixed_param (the parameters keep their initial values; chosen for a program without parameters)")
	f.StringVar(&metric, "metric", "diag", "Euclidean metric: diag or dense")
	f.StringVar(&metricFile, "metric-file", "", `initial inverse metric, CmdStan's JSON: {"inv_metric": [...]} (a vector for diag, a matrix for dense)`)
	f.BoolVar(&cfg.Adapt, "adapt-engaged", cfg.Adapt, "adapt the step size and metric during warmup (needs --warmup above 0); false keeps --stepsize and the --metric-file metric")
	f.Float64Var(&cfg.Delta, "adapt-delta", cfg.Delta, "target acceptance statistic")
	f.Float64Var(&cfg.Gamma, "adapt-gamma", cfg.Gamma, "dual averaging's adaptation regularization scale")
	f.Float64Var(&cfg.Kappa, "adapt-kappa", cfg.Kappa, "dual averaging's adaptation relaxation exponent")
	f.Float64Var(&cfg.T0, "adapt-t0", cfg.T0, "dual averaging's adaptation iteration offset")
	f.IntVar(&cfg.InitBuffer, "adapt-init-buffer", cfg.InitBuffer, "width of the initial fast adaptation interval")
	f.IntVar(&cfg.TermBuffer, "adapt-term-buffer", cfg.TermBuffer, "width of the final fast adaptation interval")
	f.IntVar(&cfg.Window, "adapt-window", cfg.Window, "initial width of the slow adaptation interval")
	f.IntVar(&cfg.MaxDepth, "max-depth", cfg.MaxDepth, "maximum tree depth")
	f.StringVar(&init, "init", "2", "a number R (initial values uniform in (-R, R) on the unconstrained scale), a JSON file of initial values, as CmdStan takes (with several chains, init.json is read as init_1.json, init_2.json, ... (numbered from --id) where those exist), or pathfinder: each chain starts at a draw of multi-path Pathfinder")
	f.Float64Var(&cfg.StepSize, "stepsize", cfg.StepSize, "initial step size")
	f.Float64Var(&cfg.StepSizeJitter, "stepsize-jitter", cfg.StepSizeJitter, "each transition's step size uniform within this fraction of the nominal one, in [0, 1]")
	f.StringVar(&output, "output", "output.csv", "output file; with several chains, name_1.csv, name_2.csv, ... (numbered from --id)")
	f.StringVar(&outputDir, "output-dir", "", "directory for the output files (created if missing)")
	f.StringVar(&diagnostic, "diagnostic-file", "", "also write each kept iteration's unconstrained position, momentum (p_) and potential gradient (g_) to this CSV file, as CmdStan's diagnostic_file; with several chains, name_1.csv, ... (numbered from --id)")
	f.IntVar(&threads, "threads", runtime.NumCPU(), "chains run in parallel")
	f.IntVar(&sigFigs, "sig-figs", 6, "significant digits in the CSV")
	f.IntVar(&refresh, "refresh", 100, "progress every this many iterations: CmdStan's lines when stderr is not a terminal, bars on a terminal; 0: none")
	return cmd
}

// readMetricFile reads an inverse metric in CmdStan's JSON:
// {"inv_metric": [...]}, a vector for the diagonal metric, a matrix (rows)
// for the dense one; it returns the values row-major. It is Stan JSON, so
// the data reader reads it, with its positions in syntax errors.
func readMetricFile(path string, metric nuts.Metric) ([]float64, error) {
	d, err := model.ReadDataFile(path)
	if err != nil {
		return nil, fmt.Errorf("--metric-file %v", err)
	}
	v := d["inv_metric"]
	switch {
	case v == nil:
		return nil, fmt.Errorf(`--metric-file %s: no "inv_metric" entry`, path)
	case metric == nuts.Diag && len(v.Dims) == 1:
		return v.Elems, nil
	case metric == nuts.Diag:
		return nil, fmt.Errorf("--metric-file %s: inv_metric must be a vector of numbers for --metric diag (a matrix needs --metric dense)", path)
	case len(v.Dims) != 2:
		return nil, fmt.Errorf("--metric-file %s: inv_metric must be a matrix (an array of rows) for --metric dense", path)
	case v.Dims[0] != v.Dims[1]:
		return nil, fmt.Errorf("--metric-file %s: inv_metric has %d rows of %d values; a dense metric is a square matrix", path, v.Dims[0], v.Dims[1])
	}
	return v.Elems, nil
}

// chainInit is one chain's --init: as recorded in its CSV, and the
// initial point it gives (nil for a radius).
type chainInit struct {
	arg   string
	point []float64
}

// chainInits resolves --init for each chain as CmdStan does: a radius for
// all, or a JSON file; with several chains, numbered from first, init.json
// is read as init_1.json, init_2.json, ... (from init_first.json) where
// those exist.
func chainInits(m *compile.Model, init string, seed uint64, chains, first int, radius *float64) ([]chainInit, error) {
	out := make([]chainInit, chains)
	if init == "pathfinder" {
		return pathfinderInits(m, seed, first, out)
	}
	for c := range out {
		out[c].arg = init
		if chains > 1 {
			if name := outputNames(init, chains, first)[c]; fileExists(name) {
				out[c].arg = name
			}
		}
		// The values a file lacks are drawn from the chain's number, so
		// that --id reproduces a chain of a larger run.
		if err := applyInit(m, out[c].arg, seed+uint64(first+c)-1, radius, &out[c].point); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// pathfinderInits starts each chain at a different draw of multi-path
// Pathfinder with CmdStan's defaults, as CmdStan 2.33+ can: the chains
// begin near the posterior, so a shorter warmup can do
// (docs/variational.md measures it).
func pathfinderInits(m *compile.Model, seed uint64, first int, out []chainInit) ([]chainInit, error) {
	cfg := pathfinder.DefaultConfig()
	cfg.Seed = seed
	res, err := pathfinder.Run(m, cfg)
	if err != nil {
		return nil, fmt.Errorf("--init pathfinder: %w", err)
	}
	// Resampling repeats draws: take distinct ones where there are enough.
	var distinct [][]float64
	// Chain k takes the k-th, whatever the chains run with it (--id).
	skip := max(first, 1) - 1
	last := skip + len(out)
	for _, z := range res.Unconstrained {
		if !slices.ContainsFunc(distinct, func(d []float64) bool { return slices.Equal(d, z) }) {
			distinct = append(distinct, z)
		}
		if len(distinct) == last {
			break
		}
	}
	for c := range out {
		out[c].arg = "pathfinder"
		out[c].point = distinct[(skip+c)%len(distinct)]
	}
	return out, nil
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// inDir places a relative output path in dir; an absolute one stays.
func inDir(dir, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

// outputNames follows CmdStan: one chain writes the file as named,
// several, numbered from first (CmdStan's id), write name_first.csv,
// name_{first+1}.csv, ...
func outputNames(output string, chains, first int) []string {
	if chains == 1 {
		return []string{output}
	}
	ext := filepath.Ext(output)
	base := strings.TrimSuffix(output, ext)
	names := make([]string, chains)
	for i := range names {
		names[i] = fmt.Sprintf("%s_%d%s", base, first+i, ext)
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

// sampleProgress reports the chains' progress when refresh > 0: on a
// terminal one bar per chain with its phase and the time left, elsewhere
// CmdStan's lines every refresh iterations of each phase.
type sampleProgress struct {
	bars                   *progressBars
	w                      io.Writer
	mu                     sync.Mutex
	warmup, total, refresh int
	width                  int
	first                  int // the first chain's number
}

func newSampleProgress(w io.Writer, chains, first, warmup, samples, refresh int) *sampleProgress {
	total := warmup + samples
	p := &sampleProgress{bars: &progressBars{}, warmup: warmup, total: total, refresh: refresh, first: first,
		width: int(math.Ceil(math.Log10(float64(max(total, 1)))))}
	if refresh == 0 {
		return p
	}
	if !isTerminal(w) {
		p.w = w
		return p
	}
	p.bars.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
	for c := range chains {
		l := fmt.Sprintf("chain %d", first+c)
		phase := decor.Any(func(s decor.Statistics) string {
			if s.Current < int64(warmup) {
				return "(Warmup)  "
			}
			return "(Sampling)"
		})
		p.bars.bars = append(p.bars.bars, p.bars.p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name(l, decor.WC{W: len(l) + 1, C: decor.DindentRight})),
			mpb.AppendDecorators(decor.CountersNoUnit("%d / %d"), decor.Name(" "), phase, decor.Name("  left "),
				decor.AverageETA(decor.ET_STYLE_GO))))
	}
	return p
}

// set is told that chain c (from 0) finished iteration iter.
func (p *sampleProgress) set(c, iter int) {
	if p.w == nil {
		p.bars.set(c, iter)
		return
	}
	m, phase := iter-1, "Warmup"
	if iter > p.warmup {
		m, phase = iter-1-p.warmup, "Sampling"
	}
	if m != 0 && iter != p.total && (m+1)%p.refresh != 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "Chain %d Iteration: %*d / %d [%3d%%]  (%s)\n", p.first+c, p.width, iter, p.total, 100*iter/p.total, phase)
}

func (p *sampleProgress) wait() { p.bars.wait() }

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/contrib/nested"
	"github.com/gostan/gostan/contrib/stein"
	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/infer/pathfinder"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/posteriordb"
)

// evalResult is one line of an evaluation's JSON Lines output.
type evalResult struct {
	Posterior string  `json:"posterior"`
	Method    string  `json:"method"`
	MaxErr    float64 `json:"-"`
	Worst     string  `json:"worst,omitempty"`
	Passed    bool    `json:"passed"`
	Seconds   float64 `json:"seconds"`
	Gradients int     `json:"gradient_evaluations"`
	// ChainSeconds is the time spent inside the chains, summed over them:
	// with no more chains than cores, the CPU time of the inference.
	ChainSeconds float64 `json:"chain_seconds,omitempty"`
	// Steps are the optimisation steps of a variational method.
	Steps int `json:"steps,omitempty"`
	// LogEvidence and LikelihoodEvals are nested sampling's log Z and
	// likelihood evaluations.
	LogEvidence     float64 `json:"log_evidence,omitempty"`
	LikelihoodEvals int     `json:"likelihood_evaluations,omitempty"`
	Error           string  `json:"error,omitempty"`
}

// MarshalJSON writes max_err as null when there is none (an error).
func (r evalResult) MarshalJSON() ([]byte, error) {
	type plain evalResult
	var maxErr *float64
	if !math.IsInf(r.MaxErr, 0) && !math.IsNaN(r.MaxErr) {
		maxErr = &r.MaxErr
	}
	return json.Marshal(struct {
		plain
		MaxErr *float64 `json:"max_err"`
	}{plain(r), maxErr})
}

// UnmarshalJSON reads max_err, null as +Inf.
func (r *evalResult) UnmarshalJSON(b []byte) error {
	type plain evalResult
	var v struct {
		plain
		MaxErr *float64 `json:"max_err"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = evalResult(v.plain)
	r.MaxErr = math.Inf(1)
	if v.MaxErr != nil {
		r.MaxErr = *v.MaxErr
	}
	return nil
}

// passThreshold is the criterion of Stan's performance tests and of the
// NumPyro autoguide study: max |mean - mean_ref| / sd_ref below 0.3.
const passThreshold = 0.3

func newEvalCmd() *cobra.Command {
	var root, method, shard, output, table1 string
	var posteriors []string
	var seed uint64
	var threads int
	var seedStudy bool
	set := defaultSVI(0)
	cmd := &cobra.Command{
		Use:   "eval --posteriordb DIR --method METHOD",
		Short: "Run an inference method on PosteriorDB's reference posteriors and score it",
		Long: "eval runs a method (nuts, advi-meanfield, advi-fullrank, pathfinder, nested, stein, stein-delta, autoguide-NAME) on each PosteriorDB posterior with\n" +
			"reference draws and writes one JSON line per posterior: the largest |mean - mean_ref| / sd_ref,\n" +
			"whether it is below 0.3, the time and the gradient evaluations. --shard i/n runs every n-th\n" +
			"posterior from the i-th (1-based), for sweeps split across machines.\n\n" +
			"--seed-study replays the seed study (NumPyro's autoguides on PosteriorDB, Table 1): the eight\n" +
			"autoguides with NumPyro's settings and nothing of gostan's (autoguide.SeedStudySettings: 100000\n" +
			"steps of Adam 0.0005, one particle, 10000 draws, the guides built as NumPyro builds them, the\n" +
			"Gaussian guides' random numbers from the study's JAX keys of PRNGKey(0), no warm start or\n" +
			"preconditioning, a draw outside the support or a NaN a runtime error); only --steps,\n" +
			"--draws, --method autoguide-NAME (one of the eight alone) and the guide options may change it. --table1 CSV then prints Table 1's summary rows\n" +
			"(Average, Success with max err <= 0.3, Mismatch, Error) for the run, for the CSV and their difference.",
		RunE: func(cmd *cobra.Command, args []string) error {
			methods := []string{method}
			if seedStudy {
				for _, name := range []string{"lr", "lr-decay", "particles", "tol", "backoffs"} {
					if cmd.Flags().Changed(name) {
						return fmt.Errorf("--seed-study runs NumPyro's settings and the eight autoguides: --%s does not apply (only --steps, --draws, --method autoguide-NAME and the guide options do)", name)
					}
				}
				if !cmd.Flags().Changed("steps") {
					set.Steps = autoguide.SeedStudySettings("").Steps
				}
				if !cmd.Flags().Changed("draws") {
					set.Draws = autoguide.SeedStudySettings("").Draws
				}
				set.SeedStudy = true
				if cmd.Flags().Changed("method") {
					// One of the eight, run again alone.
					if !slices.Contains(autoguide.Names, strings.TrimPrefix(method, "autoguide-")) {
						return fmt.Errorf("--seed-study runs the eight autoguides: --method must be autoguide-NAME, not %q", method)
					}
				} else {
					methods = methods[:0]
					for _, name := range autoguide.Names {
						methods = append(methods, "autoguide-"+name)
					}
				}
			}
			db, err := posteriordb.Open(root)
			if err != nil {
				return err
			}
			names := posteriors
			if len(names) == 0 {
				all, err := db.Posteriors()
				if err != nil {
					return err
				}
				for _, n := range all {
					p, err := db.Posterior(n)
					if err == nil && db.HasReference(p) && db.HasData(p.DataName) {
						names = append(names, n)
					}
				}
			}
			if names, err = shardOf(names, shard); err != nil {
				return err
			}
			var w io.Writer = cmd.OutOrStdout()
			if output != "" {
				f, err := os.Create(output)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			enc := json.NewEncoder(w)
			var results []evalResult
			for _, name := range names {
				for _, method := range methods {
					set.Seed = seed
					r := evaluate(db, name, method, seed, threads, set)
					if err := enc.Encode(r); err != nil {
						return err
					}
					results = append(results, r)
					status := "pass"
					switch {
					case r.Error != "":
						status = "error: " + r.Error
					case !r.Passed:
						status = "mismatch"
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "%-50s %-16s max err %6.3f  %7.1f s  %s\n", name, method, r.MaxErr, r.Seconds, status)
				}
			}
			if table1 == "" {
				return nil
			}
			tw := cmd.ErrOrStderr()
			if output != "" {
				tw = cmd.OutOrStdout()
			}
			return writeTable1(tw, results, table1)
		},
	}
	f := cmd.Flags()
	f.StringVar(&root, "posteriordb", "", "PosteriorDB tree")
	f.StringVar(&method, "method", "nuts", "nuts, advi-meanfield, advi-fullrank, pathfinder, nested, stein, stein-delta or autoguide-NAME (NAME: "+strings.Join(autoguide.Names, ", ")+")")
	f.StringSliceVar(&posteriors, "posterior", nil, "posteriors to run (default: all with reference draws)")
	f.StringVar(&shard, "shard", "", "i/n: run the i-th of n interleaved shards")
	f.StringVar(&output, "output", "", "JSON Lines output (default: standard output)")
	f.BoolVar(&seedStudy, "seed-study", false, "replay the seed study: the eight autoguides with NumPyro's settings (see above)")
	f.StringVar(&table1, "table1", "", "the seed study's Table 1 (CSV): print its summary rows beside the run's (standard error when the results go to standard output)")
	f.Uint64Var(&seed, "seed", 4711, "random seed")
	f.IntVar(&threads, "threads", runtime.NumCPU(), "chains run in parallel")
	set.addFlags(cmd, "autoguide methods")
	f.IntVar(&set.Draws, "draws", set.Draws, "draws from the fitted guide (autoguide methods)")
	cmd.MarkFlagRequired("posteriordb")
	cmd.AddCommand(newEvalReportCmd(), newEvalMergeCmd())
	return cmd
}

func shardOf(names []string, shard string) ([]string, error) {
	if shard == "" {
		return names, nil
	}
	is, ns, ok := strings.Cut(shard, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return nil, fmt.Errorf("--shard must be i/n with 1 <= i <= n, not %q", shard)
	}
	var out []string
	for k, name := range names {
		if k%n == i-1 {
			out = append(out, name)
		}
	}
	return out, nil
}

// evaluate runs one method on one posterior; failures are reported in the
// result, never as a panic.
func evaluate(db *posteriordb.DB, name, method string, seed uint64, threads int, set sviSettings) (r evalResult) {
	r = evalResult{Posterior: name, Method: method, MaxErr: math.Inf(1)}
	start := time.Now()
	defer func() {
		r.Seconds = time.Since(start).Seconds()
		if p := recover(); p != nil {
			r.Error = fmt.Sprint("panic: ", p)
		}
	}()
	p, err := db.Posterior(name)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	ref, err := db.Reference(p)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	var diags strings.Builder
	m, err := loadModel(&diags, db.ModelPath(p.ModelName), db.DataPath(p.DataName), seed)
	if err != nil {
		msg := err.Error()
		if first, _, _ := strings.Cut(diags.String(), "\n"); first != "" {
			msg = first
		}
		r.Error = "compile: " + msg
		return r
	}
	draws, st, err := runMethod(m, method, seed, threads, set)
	r.Gradients, r.ChainSeconds, r.Steps = st.grads, st.secs, st.steps
	r.LogEvidence, r.LikelihoodEvals = st.logZ, st.likEvals
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.MaxErr, r.Worst, err = ref.Score(draws)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Passed = r.MaxErr < passThreshold
	return r
}

// runStats are a run's gradient evaluations, the seconds spent in the
// algorithm (summed over chains) and its optimisation steps.
type runStats struct {
	grads    int
	secs     float64
	steps    int
	logZ     float64
	likEvals int
}

// nestedMaxDim bounds the dimension eval runs nested sampling on: its
// cost grows as the dimension squared at least.
const nestedMaxDim = 30

// runMethod returns the draws by column name and the run's figures.
func runMethod(m *compile.Model, method string, seed uint64, threads int, set sviSettings) (map[string][]float64, runStats, error) {
	names := m.Names()
	pooled := map[string][]float64{}
	// add pools the model's columns of a method's draws, chain after chain.
	add := func(set *draws.Set) {
		for _, n := range names {
			for _, ch := range set.Draws(n) {
				pooled[n] = append(pooled[n], ch...)
			}
		}
	}
	var st runStats
	switch method {
	case "nuts":
		cfg := nuts.DefaultConfig()
		cfg.Seed = seed
		fit, err := nuts.Run(context.Background(), m, nuts.Options{Config: cfg, Chains: 4, Threads: threads})
		if err != nil {
			return nil, st, err
		}
		add(fit.Set())
		for _, ch := range fit.Chains {
			st.grads += ch.Gradients
			st.secs += ch.WarmupSeconds + ch.SampleSeconds
		}
		return pooled, st, nil
	case "advi-meanfield", "advi-fullrank":
		cfg := advi.DefaultConfig()
		cfg.Seed = seed
		cfg.OutputSamples = 10000
		if method == "advi-fullrank" {
			cfg.Algorithm = advi.Fullrank
		}
		start := time.Now()
		res, err := advi.Run(m, cfg, nil)
		st.secs = time.Since(start).Seconds()
		if err != nil {
			return nil, st, err
		}
		st.grads = res.Gradients
		if n := len(res.History); n > 0 {
			st.steps = res.History[n-1].Iter
		}
		add(res.Set())
		return pooled, st, nil
	case "pathfinder":
		cfg := pathfinder.DefaultConfig()
		cfg.Seed = seed
		start := time.Now()
		res, err := pathfinder.Run(m, cfg)
		st.secs = time.Since(start).Seconds()
		if err != nil {
			return nil, st, err
		}
		for _, p := range res.Paths {
			st.grads += p.Evals
			st.steps += p.Iter
		}
		add(res.Set())
		return pooled, st, nil
	case "nested":
		if m.Dim() > nestedMaxDim {
			return nil, st, fmt.Errorf("not run: dimension %d is above %d", m.Dim(), nestedMaxDim)
		}
		if err := m.CheckPriors(); err != nil {
			return nil, st, fmt.Errorf("refused: %w", err)
		}
		start := time.Now()
		res, err := nested.Run(context.Background(), m, nested.Config{Seed: seed, Threads: threads})
		st.secs = time.Since(start).Seconds()
		if err != nil {
			return nil, st, err
		}
		st.logZ, st.likEvals = res.LogZ, res.LikelihoodEvals
		add(res.Set(4000, seed))
		return pooled, st, nil
	}
	if method == "stein" || method == "stein-delta" {
		// SteinVI with the Normal guide: 10 particles, each taking the
		// autoguide's steps with one ELBO draw as the autoguide does (a
		// tenth of the steps with NumPyro's 10 draws left the
		// ill-conditioned regressions unconverged), Adam decaying as for
		// the autoguides. stein-delta is SVGD, whose particles first take a
		// quarter of the steps alone (Config.WarmStart); a warm start made
		// the Normal guide's mixture worse on the regressions that fail.
		cm := &countingModel{Model: m}
		set := set.settings("normal")
		cfg := stein.DefaultConfig()
		cfg.Seed, cfg.Steps, cfg.ELBOParticles = seed, set.Steps, 1
		if method == "stein-delta" {
			cfg.Guide, cfg.WarmStart = "delta", cfg.Steps/4
		}
		cfg.Optimizer = svi.NewAdam(set.LR)
		cfg.Schedule = svi.ExponentialDecay(set.LR, set.Decay, cfg.Steps)
		start := time.Now()
		// The particles live on the preconditioned scale, as the
		// autoguides do (autoguide.Preconditioned), where one is found.
		var pm model.Model = cm
		if loc, err := autoguide.Init(cm, rand.New(rand.NewPCG(seed, 0x9c0))); err == nil {
			pm, _ = autoguide.Preconditioned(cm, loc)
		}
		res, err := stein.Run(context.Background(), pm, cfg)
		st = runStats{grads: cm.n, secs: time.Since(start).Seconds(), steps: cfg.Steps}
		if err != nil {
			return nil, st, err
		}
		pred, err := stein.MixtureGuidePredictive(pm, res, set.Draws, rand.New(rand.NewPCG(seed, 0xd4a)))
		if err != nil {
			return nil, st, err
		}
		add(pred.Set())
		return pooled, st, nil
	}
	if name, ok := strings.CutPrefix(method, "autoguide-"); ok {
		start := time.Now()
		res, _, grads, err := fitAutoguide(context.Background(), m, name, set, nil, nil)
		st = runStats{grads: grads, secs: time.Since(start).Seconds(), steps: set.Steps}
		if err != nil {
			return nil, st, err
		}
		add(res.Set())
		return pooled, st, nil
	}
	return nil, st, fmt.Errorf("unknown method %q: use nuts, advi-meanfield, advi-fullrank, pathfinder, nested, stein, stein-delta or autoguide-NAME", method)
}

func newEvalReportCmd() *cobra.Command {
	var golden, table1, png string
	cmd := &cobra.Command{
		Use:   "report RESULTS.jsonl...",
		Short: "Print evaluation results as a Markdown table (posterior × method)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			results, err := readEvalResults(args)
			if err != nil {
				return err
			}
			writeReport(cmd.OutOrStdout(), results)
			if png != "" {
				if err := writeAccuracyPNG(png, results); err != nil {
					return err
				}
			}
			if table1 != "" {
				if err := writeTable1(cmd.OutOrStdout(), results, table1); err != nil {
					return err
				}
			}
			if golden != "" {
				return writeTimes(cmd.OutOrStdout(), results, golden)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&golden, "golden", "", "folder of golden Stan files: add NUTS timings against Stan's")
	cmd.Flags().StringVar(&png, "png", "", "also draw the table as a PNG image, cells coloured by max err")
	cmd.Flags().StringVar(&table1, "table1", "", "the seed study's Table 1 (CSV): compare each method with NumPyro's column")
	return cmd
}

// writeTimes compares NUTS runs with Stan's golden figures: seconds per
// gradient inside the sampler (gostan's time in the chains over its
// gradients; Stan's nuts.s_per_grad) and end to end (gostan: parse to
// draws, chains in parallel; Stan: the model's uncached compile_s plus its
// NUTS wall_s, one chain after another).
func writeTimes(w io.Writer, results []evalResult, golden string) error {
	files, _ := filepath.Glob(filepath.Join(golden, "*.json"))
	type stan struct {
		model           string
		sPerGrad, wallS float64
		compileS        float64
	}
	byPost := map[string]stan{}
	maxCompile := map[string]float64{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var g struct {
			Posterior string  `json:"posterior"`
			Model     string  `json:"model"`
			CompileS  float64 `json:"compile_s"`
			NUTS      *struct {
				SPerGrad float64 `json:"s_per_grad"`
				WallS    float64 `json:"wall_s"`
			} `json:"nuts"`
		}
		if json.Unmarshal(b, &g) != nil || g.NUTS == nil {
			continue
		}
		byPost[g.Posterior] = stan{g.Model, g.NUTS.SPerGrad, g.NUTS.WallS, g.CompileS}
		maxCompile[g.Model] = math.Max(maxCompile[g.Model], g.CompileS)
	}
	fmt.Fprintln(w, "\n| posterior | gostan µs/grad in NUTS | Stan µs/grad | ratio | gostan end to end (s) | Stan compile + sample (s) | speed-up |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	var logGrad, logE2E float64
	n := 0
	for _, r := range results {
		st, ok := byPost[r.Posterior]
		if r.Method != "nuts" || !ok || r.Error != "" || r.Gradients == 0 {
			continue
		}
		perGrad := r.ChainSeconds / float64(r.Gradients)
		stanE2E := maxCompile[st.model] + st.wallS
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.3f | %.1f | %.1f | %.1fx |\n", r.Posterior, perGrad*1e6, st.sPerGrad*1e6,
			perGrad/st.sPerGrad, r.Seconds, stanE2E, stanE2E/r.Seconds)
		logGrad += math.Log(perGrad / st.sPerGrad)
		logE2E += math.Log(stanE2E / r.Seconds)
		n++
	}
	if n > 0 {
		fmt.Fprintf(w, "\nOver %d posteriors: seconds per gradient inside NUTS, geometric mean **%.3f** of Stan's; end to end, geometric mean **%.1fx** faster than Stan.\n",
			n, math.Exp(logGrad/float64(n)), math.Exp(logE2E/float64(n)))
	}
	return nil
}

// writeReport prints a Table-1-style matrix: a row per posterior, a column
// per method, the max error or "error", and the counts per method.
func writeReport(w io.Writer, results []evalResult) {
	var methods, posts []string
	seenM, seenP := map[string]bool{}, map[string]bool{}
	cell := map[[2]string]evalResult{}
	for _, r := range results {
		if !seenM[r.Method] {
			seenM[r.Method] = true
			methods = append(methods, r.Method)
		}
		if !seenP[r.Posterior] {
			seenP[r.Posterior] = true
			posts = append(posts, r.Posterior)
		}
		cell[[2]string{r.Posterior, r.Method}] = r
	}
	sort.Strings(posts)
	fmt.Fprintf(w, "| posterior | %s |\n|---|%s\n", strings.Join(methods, " | "), strings.Repeat("---|", len(methods)))
	for _, p := range posts {
		row := make([]string, len(methods))
		for i, m := range methods {
			r, ok := cell[[2]string{p, m}]
			switch {
			case !ok:
				row[i] = ""
			case r.Error != "":
				row[i] = "error"
			case r.Passed:
				row[i] = fmt.Sprintf("%.3f", r.MaxErr)
			default:
				row[i] = fmt.Sprintf("**%.3f**", r.MaxErr)
			}
		}
		fmt.Fprintf(w, "| %s | %s |\n", p, strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| method | success (max err < %.1f) | mismatch | error | seconds (total) |\n|---|---|---|---|---|\n", passThreshold)
	for _, m := range methods {
		ok, bad, errs, secs := 0, 0, 0, 0.0
		for _, p := range posts {
			r, found := cell[[2]string{p, m}]
			if !found {
				continue
			}
			secs += r.Seconds
			switch {
			case r.Error != "":
				errs++
			case r.Passed:
				ok++
			default:
				bad++
			}
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %.1f |\n", m, ok, bad, errs, secs)
	}
}

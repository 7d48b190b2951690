package pathfinder

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/model"
)

// Config holds CmdStan's pathfinder arguments; DefaultConfig gives its
// defaults.
type Config struct {
	NumPaths     int  // single paths run in parallel
	NumDraws     int  // draws from each path's best approximation
	NumPSISDraws int  // draws after importance resampling (CmdStan's num_psis_draws)
	NumELBODraws int  // Monte Carlo draws per ELBO estimate
	PSISResample bool // resample the pooled draws; otherwise return them all
	// CalculateLP computes lp__ at every draw (CmdStan's calculate_lp,
	// default true). Without it lp__ is computed only at the draws the
	// best approximation's ELBO estimate made, NaN at the others, and the
	// draws are not resampled, whatever PSISResample says: CmdStan Guide,
	// "Pathfinder Method for Approximate Bayesian Inference", Pathfinder
	// Configuration (the weights need lp__; CmdStan refuses neither
	// combination, it returns all num_paths × num_draws draws).
	CalculateLP bool
	// SaveSinglePaths keeps each path's own draws and its L-BFGS
	// iterations with their approximations (Path.Draws, Path.Iterates),
	// what CmdStan's save_single_paths (default false) writes beside the
	// output: see PathSet, WriteIterates and SinglePathFiles.
	SaveSinglePaths bool
	HistorySize     int // L-BFGS's pairs, J in the paper
	MaxLBFGSIter    int // L in the paper
	// L-BFGS's line search and convergence settings, as in optimize.
	InitAlpha, TolObj, TolRelObj, TolGrad, TolRelGrad, TolParam float64
	// Init is every path's starting point on the unconstrained scale; when
	// nil each path starts uniformly in (-InitRadius, InitRadius).
	Init       []float64
	InitRadius float64
	Seed       uint64
	// Progress, when not nil, sees every L-BFGS iteration of every path.
	// It is called from the paths' goroutines, concurrently.
	Progress func(Progress)
}

// Progress is one L-BFGS iteration of one path.
type Progress struct {
	Path, Iter int     // the path (from 1) and the iteration
	LogP       float64 // the log density at the iterate
	ELBO       float64 // the ELBO of the approximation there; NaN when none was formed
	BestELBO   float64 // the path's best ELBO so far
}

// DefaultConfig returns CmdStan's defaults.
func DefaultConfig() Config {
	return Config{
		NumPaths: 4, NumDraws: 1000, NumPSISDraws: 1000, NumELBODraws: 25, PSISResample: true, CalculateLP: true,
		HistorySize: 5, MaxLBFGSIter: 1000,
		InitAlpha: 0.001, TolObj: 1e-12, TolRelObj: 1e4, TolGrad: 1e-8, TolRelGrad: 1e7, TolParam: 1e-8,
		InitRadius: 2,
	}
}

func (c Config) validate(dim int) error {
	switch {
	case c.NumPaths < 1:
		return fmt.Errorf("pathfinder: the number of paths must be positive, not %d", c.NumPaths)
	case c.NumDraws < 1:
		return fmt.Errorf("pathfinder: the number of draws must be positive, not %d", c.NumDraws)
	case c.resamples() && c.NumPSISDraws < 1:
		return fmt.Errorf("pathfinder: the number of PSIS draws must be positive, not %d", c.NumPSISDraws)
	case c.NumELBODraws < 1:
		return fmt.Errorf("pathfinder: the number of ELBO draws must be positive, not %d", c.NumELBODraws)
	case c.HistorySize < 1:
		return fmt.Errorf("pathfinder: the history size must be positive, not %d", c.HistorySize)
	case c.MaxLBFGSIter < 1:
		return fmt.Errorf("pathfinder: the L-BFGS iteration limit must be positive, not %d", c.MaxLBFGSIter)
	case !(c.InitRadius >= 0) || math.IsInf(c.InitRadius, 0):
		return fmt.Errorf("pathfinder: the initial radius must be finite and non-negative, not %v", c.InitRadius)
	case c.Init != nil && len(c.Init) != dim:
		return fmt.Errorf("pathfinder: the initial point has %d values, but the model has %d unconstrained parameters", len(c.Init), dim)
	}
	return nil
}

// resamples says whether the pooled draws are resampled by PSIS: with
// more than one path, PSISResample and CalculateLP, as CmdStan's
// pathfinder_lbfgs_multi decides.
func (c Config) resamples() bool { return c.NumPaths > 1 && c.PSISResample && c.CalculateLP }

// Path is one single-path run.
type Path struct {
	Iter     int           // L-BFGS iterations
	Code     optimize.Code // why L-BFGS stopped
	BestIter int           // the iteration whose approximation has the largest ELBO
	ELBO     float64       // that approximation's ELBO estimate
	Approx   *Gaussian     // that approximation
	Evals    int           // log density evaluations, L-BFGS's and the draws'
	Err      error         // why the path failed; its draws are then absent
	Seconds  float64       // the path's wall time
	// With Config.SaveSinglePaths: the path's NumDraws draws before
	// pooling, as Result holds the output's (the model's output columns,
	// their own generated quantities, lp_approx__ and lp__), and every
	// L-BFGS iteration the path saw, from the initial point on.
	Draws        [][]float64
	LPApprox, LP []float64
	Iterates     []Iterate
	writeFailed  model.Failures // the path's draws whose output columns failed
}

// Result is Pathfinder's draws.
type Result struct {
	// Draws are the model's output columns (Names) for each draw,
	// Unconstrained the draws on the unconstrained scale.
	Names                []string
	Draws, Unconstrained [][]float64
	// LPApprox is the log density of the draw under the approximation it
	// came from and LP the model's (model.LogDensity, -Inf outside the
	// support; NaN where Config.CalculateLP left it out): CmdStan's
	// lp_approx__ and lp__.
	LPApprox, LP []float64
	Paths        []Path
	// ParetoK is PSIS's k̂ of the pooled draws' weights, NaN without
	// resampling or when the tail could not be fitted.
	ParetoK float64
	// Interrupted is set when ctx was cancelled: the paths stopped early
	// and the draws come from the best approximations reached.
	Interrupted bool
	Messages    []string
	// Config is the run's settings.
	Config Config
	// PathSeconds is the wall time of the paths, run in parallel, and
	// PSISSeconds that of the resampling and the draws' outputs: the
	// timings CmdStan's pathfinder writes after the draws.
	PathSeconds, PSISSeconds float64
}

// Set is the draws as CmdStan's pathfinder output holds them:
// lp_approx__, lp__ and the model's columns, with the settings, and a
// comment when the paths were interrupted, else CmdStan's timings: the
// paths', the resampling's and their sum, or without resampling the total
// alone (Stan's pathfinder_lbfgs_multi), or the path's for a single path
// (pathfinder_lbfgs_single).
func (r *Result) Set() *draws.Set {
	set := r.set(r.Draws, r.LPApprox, r.LP)
	if r.Interrupted {
		set.Comments = []string{"Interrupted: the paths stopped early; the draws come from the best approximations reached."}
		return set
	}
	// CmdStan Guide, "Pathfinder Method": the timings close the file.
	switch total := r.PathSeconds + r.PSISSeconds; {
	case r.Config.resamples():
		set.Footer = []string{
			fmt.Sprintf("Elapsed Time: %f seconds (Pathfinders)", r.PathSeconds),
			fmt.Sprintf("              %f seconds (PSIS)", r.PSISSeconds),
			fmt.Sprintf("              %f seconds (Total)", total),
		}
	case r.Config.NumPaths == 1:
		set.Footer = []string{fmt.Sprintf("Elapsed Time: %f seconds (Pathfinder)", total)}
	default:
		set.Footer = []string{fmt.Sprintf("Elapsed Time: %f seconds (Total)", total)}
	}
	return set
}

// set lays out draws as CmdStan's pathfinder output: lp_approx__, lp__
// and the model's columns, with the settings.
func (r *Result) set(xs [][]float64, lpApprox, lp []float64) *draws.Set {
	rows := make([][]float64, len(xs))
	for k, d := range xs {
		rows[k] = append([]float64{lpApprox[k], lp[k]}, d...)
	}
	return &draws.Set{Columns: append([]string{"lp_approx__", "lp__"}, r.Names...), Chains: [][][]float64{rows},
		Config: r.Config.lines(), Seed: r.Config.Seed}
}

// lines are CmdStan's configuration lines of the pathfinder method.
func (c Config) lines() []string {
	bit := 0
	if c.PSISResample {
		bit = 1
	}
	// CmdStan marks an argument left at its default.
	calculateLP := "    calculate_lp = 1 (Default)"
	if !c.CalculateLP {
		calculateLP = "    calculate_lp = 0"
	}
	saveSingle := "    save_single_paths = 0 (Default)"
	if c.SaveSinglePaths {
		saveSingle = "    save_single_paths = 1"
	}
	return []string{
		"method = pathfinder",
		"  pathfinder",
		fmt.Sprintf("    init_alpha = %g", c.InitAlpha),
		fmt.Sprintf("    tol_obj = %g", c.TolObj),
		fmt.Sprintf("    tol_rel_obj = %g", c.TolRelObj),
		fmt.Sprintf("    tol_grad = %g", c.TolGrad),
		fmt.Sprintf("    tol_rel_grad = %g", c.TolRelGrad),
		fmt.Sprintf("    tol_param = %g", c.TolParam),
		fmt.Sprintf("    history_size = %d", c.HistorySize),
		fmt.Sprintf("    num_psis_draws = %d", c.NumPSISDraws),
		fmt.Sprintf("    num_paths = %d", c.NumPaths),
		saveSingle,
		fmt.Sprintf("    psis_resample = %d", bit),
		calculateLP,
		fmt.Sprintf("    max_lbfgs_iters = %d", c.MaxLBFGSIter),
		fmt.Sprintf("    num_draws = %d", c.NumDraws),
		fmt.Sprintf("    num_elbo_draws = %d", c.NumELBODraws),
	}
}

// Run is RunContext without cancellation.
func Run(m model.Model, cfg Config) (*Result, error) {
	return RunContext(context.Background(), m, cfg)
}

// RunContext runs cfg.NumPaths single paths in parallel, each on its own
// clone of m, and with more than one path pools their draws and resamples
// NumPSISDraws of them by PSIS weights lp - lp_approx (or returns the pool
// when PSISResample or CalculateLP is false). A failed path is reported in its Path and
// left out; RunContext fails when every path does. When ctx is cancelled
// each path stops L-BFGS before its next iteration and draws from the best
// approximation it has; if none has one, RunContext returns an error
// wrapping ctx's.
func RunContext(ctx context.Context, m model.Model, cfg Config) (*Result, error) {
	if err := cfg.validate(m.Dim()); err != nil {
		return nil, err
	}
	if m.Dim() == 0 {
		return nil, errors.New("pathfinder: the model has no parameters to approximate")
	}
	start := time.Now()
	paths := make([]Path, cfg.NumPaths)
	outs := make([]*pathDraws, cfg.NumPaths)
	var wg sync.WaitGroup
	for i := range cfg.NumPaths {
		mi := m
		if i > 0 {
			mi = m.Clone()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			paths[i], outs[i] = runPath(ctx, mi, cfg, i)
			paths[i].Seconds = time.Since(start).Seconds()
		}()
	}
	wg.Wait()
	res := &Result{Names: m.Names(), Paths: paths, ParetoK: math.NaN(), Interrupted: ctx.Err() != nil, Config: cfg,
		PathSeconds: time.Since(start).Seconds()}
	psisStart := time.Now()
	var pool pathDraws
	var errs []error
	for i, p := range paths {
		if p.Err != nil {
			errs = append(errs, p.Err)
			res.Messages = append(res.Messages, fmt.Sprintf("path %d failed: %v", i+1, p.Err))
			continue
		}
		pool.z = append(pool.z, outs[i].z...)
		pool.lp = append(pool.lp, outs[i].lp...)
		pool.lpa = append(pool.lpa, outs[i].lpa...)
	}
	if len(pool.z) == 0 {
		return nil, pathsFailed(errs)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x9a7f))
	keep := make([]int, len(pool.z))
	for i := range keep {
		keep[i] = i
	}
	if cfg.resamples() {
		lw := make([]float64, len(pool.z))
		for i := range lw {
			lw[i] = pool.lp[i] - pool.lpa[i]
			if math.IsNaN(lw[i]) {
				lw[i] = math.Inf(-1)
			}
		}
		if slices.Max(lw) == math.Inf(-1) {
			return nil, errors.New("pathfinder: every draw is outside the model's support, so none can be resampled")
		}
		var smoothed []float64
		smoothed, res.ParetoK = PSIS(lw)
		keep = resample(rng, smoothed, cfg.NumPSISDraws)
		if res.ParetoK > 0.7 {
			res.Messages = append(res.Messages, fmt.Sprintf("Pareto k-hat is %.2f, above 0.7: the approximation is not reliable as a posterior; its draws may still serve as initial values", res.ParetoK))
		}
	}
	var failed model.Failures
	cols := len(m.Names())
	for i, p := range paths {
		res.Messages = append(res.Messages, prefixed(fmt.Sprintf("path %d's own draws: ", i+1), p.writeFailed.OutputsReport())...)
	}
	for _, i := range keep {
		row := make([]float64, cols)
		if err := m.Write(pool.z[i], rng, row); err != nil {
			failed.Add(err)
		}
		res.Draws = append(res.Draws, row)
		res.Unconstrained = append(res.Unconstrained, slices.Clone(pool.z[i]))
		res.LP = append(res.LP, pool.lp[i])
		res.LPApprox = append(res.LPApprox, pool.lpa[i])
	}
	res.Messages = append(res.Messages, failed.OutputsReport()...)
	res.PSISSeconds = time.Since(psisStart).Seconds()
	return res, nil
}

// prefixed is lines with prefix before each.
func prefixed(prefix string, lines []string) []string {
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return lines
}

// pathsFailed is the error of a run whose every path failed (errs[i] is
// path i+1's): each distinct message once, with the paths that gave it,
// wrapping the paths' errors (a cancelled context's among them).
func pathsFailed(errs []error) error {
	var order []string
	paths := map[string][]string{}
	for i, err := range errs {
		msg := err.Error()
		if paths[msg] == nil {
			order = append(order, msg)
		}
		paths[msg] = append(paths[msg], fmt.Sprint(i+1))
	}
	wrapped := wrapOnly{errors.Join(errs...)}
	if len(order) == 1 {
		return fmt.Errorf("pathfinder: every path failed: %s%w", order[0], wrapped)
	}
	lines := []string{"pathfinder: every path failed:"}
	for _, msg := range order {
		lines = append(lines, fmt.Sprintf("paths %s: %s", strings.Join(paths[msg], ", "), msg))
	}
	return fmt.Errorf("%s%w", strings.Join(lines, "\n"), wrapped)
}

// wrapOnly wraps an error for errors.Is without adding to the message.
type wrapOnly struct{ err error }

func (w wrapOnly) Error() string { return "" }
func (w wrapOnly) Unwrap() error { return w.err }

// pathDraws are a path's draws with their log densities.
type pathDraws struct {
	z       [][]float64
	lp, lpa []float64
}

// single is one path's state: the model, its random numbers, the history
// and the best approximation so far with its ELBO draws.
type single struct {
	m        model.Model
	cfg      Config
	path     int
	rng      *rand.Rand
	evals    int
	hist     *history
	x, g     []float64 // the previous iterate and its gradient of log p
	s, y     []float64
	best     *Gaussian
	elbo     float64
	iter     int
	draws    pathDraws // the best approximation's ELBO draws
	u        []float64
	iterates []Iterate // with SaveSinglePaths
}

// runPath runs L-BFGS from a random start and, at every iteration, forms
// the Gaussian approximation and estimates its ELBO; it draws NumDraws
// from the best, reusing that approximation's ELBO draws as Stan does.
func runPath(ctx context.Context, m model.Model, cfg Config, index int) (Path, *pathDraws) {
	n := m.Dim()
	p := &single{m: m, cfg: cfg, path: index + 1, rng: rand.New(rand.NewPCG(cfg.Seed, uint64(index)+1)),
		hist: newHistory(n, cfg.HistorySize), x: make([]float64, n), g: make([]float64, n),
		s: make([]float64, n), y: make([]float64, n), u: make([]float64, n), elbo: math.Inf(-1)}
	init, err := p.initialize()
	if err != nil {
		return Path{Err: err}, nil
	}
	ocfg := optimize.Config{
		Algorithm: optimize.LBFGS, Iter: cfg.MaxLBFGSIter, InitAlpha: cfg.InitAlpha,
		TolObj: cfg.TolObj, TolRelObj: cfg.TolRelObj, TolGrad: cfg.TolGrad, TolRelGrad: cfg.TolRelGrad,
		TolParam: cfg.TolParam, HistorySize: cfg.HistorySize, Init: init,
	}
	f := func(x, grad []float64) (float64, error) {
		p.evals++
		return m.LogDensity(x, grad)
	}
	opt, err := optimize.MaximizeContext(ctx, f, n, ocfg, func(it optimize.Iteration) { p.observe(ctx, it) })
	if err != nil {
		return Path{Evals: p.evals, Err: err}, nil
	}
	path := Path{Iter: opt.Iter, Code: opt.Code, BestIter: p.iter, ELBO: p.elbo, Approx: p.best, Iterates: p.iterates}
	if p.best == nil {
		path.Evals = p.evals
		if ctx.Err() != nil {
			path.Err = fmt.Errorf("interrupted before any approximation was formed: %w", ctx.Err())
		} else {
			path.Err = fmt.Errorf("no L-BFGS iteration gave an approximation with a finite ELBO (L-BFGS: %v after %d iterations)", opt.Code, opt.Iter)
		}
		return path, nil
	}
	out := p.draws
	for range cfg.NumDraws - len(out.z) {
		z := make([]float64, n)
		lpa := p.best.draw(p.rng, p.u, z)
		out.z = append(out.z, z)
		out.lpa = append(out.lpa, lpa)
		lp := math.NaN()
		if cfg.CalculateLP {
			lp = p.logDensity(z)
		}
		out.lp = append(out.lp, lp)
	}
	if len(out.z) > cfg.NumDraws {
		out.z, out.lp, out.lpa = out.z[:cfg.NumDraws], out.lp[:cfg.NumDraws], out.lpa[:cfg.NumDraws]
	}
	path.Evals = p.evals
	if cfg.SaveSinglePaths {
		// The path's own output columns, with random numbers of their own
		// so that the pooled output is the same with or without them.
		rng := rand.New(rand.NewPCG(cfg.Seed, 0x5a7e<<32|uint64(index)))
		for _, z := range out.z {
			row := make([]float64, len(m.Names()))
			if err := m.Write(z, rng, row); err != nil {
				path.writeFailed.Add(err)
			}
			path.Draws = append(path.Draws, row)
		}
		path.LPApprox, path.LP = slices.Clone(out.lpa), slices.Clone(out.lp)
	}
	return path, &out
}

// initialize finds the start as NUTS does (model.Initialize): the given
// point, or up to 100 draws uniform in (-InitRadius, InitRadius) until the
// density and its gradient are finite; a failure says why the model
// rejected the initial values.
func (p *single) initialize() ([]float64, error) {
	x, grad := make([]float64, len(p.x)), make([]float64, len(p.x))
	_, rejected, err := model.Initialize(p.m, p.cfg.Init, p.cfg.InitRadius, p.rng, x, grad)
	p.evals += rejected.Count
	if err != nil {
		return nil, err
	}
	p.evals++
	return x, nil
}

// logDensity is the model's log density at z, -Inf where it fails.
func (p *single) logDensity(z []float64) float64 {
	p.evals++
	lp, err := p.m.LogDensity(z, nil)
	if err != nil || math.IsNaN(lp) {
		return math.Inf(-1)
	}
	return lp
}

// observe takes one L-BFGS iterate: it adds the pair to the history and
// estimates the ELBO of the approximation there, keeping the best.
func (p *single) observe(ctx context.Context, it optimize.Iteration) {
	if it.Iter > 0 {
		for i := range p.s {
			p.s[i] = it.X[i] - p.x[i]
			p.y[i] = p.g[i] - it.Grad[i] // the change of -log p's gradient
		}
		p.hist.add(p.s, p.y)
	}
	copy(p.x, it.X)
	copy(p.g, it.Grad)
	elbo := math.NaN()
	if p.cfg.Progress != nil {
		defer func() {
			p.cfg.Progress(Progress{Path: p.path, Iter: it.Iter, LogP: it.LogP, ELBO: elbo, BestELBO: p.elbo})
		}()
	}
	rec := &Iterate{} // a scratch record unless SaveSinglePaths
	if p.cfg.SaveSinglePaths {
		rec = &Iterate{Iter: it.Iter, X: slices.Clone(it.X), Grad: slices.Clone(it.Grad), HistorySize: len(p.hist.s), Note: it.Note}
		defer func() { p.iterates = append(p.iterates, *rec) }()
	}
	switch {
	case it.Iter == 0:
		return
	case ctx.Err() != nil:
		rec.Err = fmt.Errorf("interrupted: %w", ctx.Err())
		return
	case len(p.hist.s) == 0:
		rec.Err = errors.New("no (s, y) pair has passed the curvature check yet")
		return
	}
	q, err := newGaussian(p.x, p.g, p.hist)
	if err != nil {
		rec.Err = err
		return // Stan skips an iteration whose approximation fails
	}
	rec.Approx, rec.Alpha = q, slices.Clone(p.hist.alpha)
	k := p.cfg.NumELBODraws
	d := pathDraws{z: make([][]float64, k), lp: make([]float64, k), lpa: make([]float64, k)}
	elbo = 0
	for j := range k {
		d.z[j] = make([]float64, len(p.x))
		d.lpa[j] = q.draw(p.rng, p.u, d.z[j])
		d.lp[j] = p.logDensity(d.z[j])
		elbo += d.lp[j] - d.lpa[j]
	}
	elbo /= float64(k)
	if elbo > p.elbo {
		p.best, p.elbo, p.iter, p.draws = q, elbo, it.Iter, d
	}
}

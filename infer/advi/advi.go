package advi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// Config holds ADVI's settings; DefaultConfig gives CmdStan's.
type Config struct {
	Algorithm     Algorithm
	Iter          int     // maximum iterations
	GradSamples   int     // draws per gradient estimate
	ELBOSamples   int     // draws per ELBO estimate
	Eta           float64 // step size, when not adapted
	Adapt         bool    // search eta over 100, 10, 1, 0.1, 0.01
	AdaptIter     int     // iterations per eta tried
	TolRelObj     float64 // convergence: relative ELBO change
	EvalELBO      int     // evaluate the ELBO every EvalELBO iterations
	OutputSamples int
	InitRadius    float64
	Init          []float64 // unconstrained initial mean, instead of a random one
	Seed          uint64
	// Redraws is how many times a gradient draw outside the support is
	// drawn again before the iteration fails. Stan fails at once (0);
	// gostan's default redraws up to 10 times.
	Redraws int
	// Backoffs is how many times a step that leaves the support is undone
	// and eta divided by 10. Stan: 0; gostan's default: 4.
	Backoffs int
}

// DefaultConfig returns CmdStan's defaults but for four choices of
// gostan's, made on PosteriorDB (docs/variational.md): 10 draws per
// gradient instead of 1 and tol_rel_obj 0.0001 instead of 0.01 (with
// CmdStan's, noisy steps stop long before convergence), redrawing draws
// outside the support, and undoing steps that leave it (Stan fails in
// both cases). StanConfig restores CmdStan's.
func DefaultConfig() Config {
	return Config{
		Algorithm: Meanfield, Iter: 10000, GradSamples: 10, ELBOSamples: 100, Eta: 1,
		Adapt: true, AdaptIter: 50, TolRelObj: 0.0001, EvalELBO: 100, OutputSamples: 1000,
		InitRadius: 2, Redraws: 10, Backoffs: 4,
	}
}

// StanConfig returns exactly CmdStan's defaults.
func StanConfig() Config {
	c := DefaultConfig()
	c.GradSamples, c.TolRelObj, c.Redraws, c.Backoffs = 1, 0.01, 0, 0
	return c
}

// ELBOPoint is one evaluation of the ELBO during optimisation.
type ELBOPoint struct {
	Iter            int
	ELBO            float64
	RelMean, RelMed float64
	// Seconds is the time since the gradient ascent began (after the
	// step-size search), Stan's time_in_seconds.
	Seconds float64
}

// Result is a fitted approximation and draws from it.
type Result struct {
	Eta       float64 // the step size used
	Converged bool
	History   []ELBOPoint
	// Mean is the approximation's mean pushed through model.Write, the
	// first row of CmdStan's output; Draws are OutputSamples draws.
	Mean  []float64
	Draws [][]float64
	// Unconstrained holds the draws on the unconstrained scale.
	Unconstrained [][]float64
	// LogP and LogG are, for each draw z, the model's log density log p(z)
	// (Jacobian included, as Model.LogDensity gives it; -Inf where the
	// model rejects z) and the approximation's log q(z), both on the
	// unconstrained scale: CmdStan's log_p__ and log_g__.
	LogP, LogG []float64
	Gradients  int
	Messages   []string
	// Iter is the iterations of gradient ascent taken. Interrupted is set
	// when the context was cancelled during the ascent: Mean, Draws, LogP
	// and LogG are then those of the approximation after Iter iterations.
	Iter        int
	Interrupted bool
	// Names are the model's output columns, Config the run's settings.
	Names  []string
	Config Config
	approx *approx
}

// Set is the fit as CmdStan's variational output holds it
// (draws.Variational): the mean, then each draw with log_p__ and log_g__,
// with the settings and, after the header, the step size adapted and
// whether the run was interrupted.
func (r *Result) Set() *draws.Set {
	set := draws.Variational(r.Names, r.Mean, r.Draws, r.LogP, r.LogG)
	set.Config, set.Seed = r.Config.lines(), r.Config.Seed
	if r.Config.Adapt {
		set.Comments = []string{"Stepsize adaptation complete.", fmt.Sprintf("eta = %g", r.Eta)}
	}
	if r.Interrupted {
		set.Comments = append(set.Comments, fmt.Sprintf("Interrupted after %d of %d iterations: the draws are the approximation's at that point, not a converged fit.", r.Iter, r.Config.Iter))
	}
	return set
}

// DiagnosticColumns are the columns of ADVI's diagnostic file, Stan's.
var DiagnosticColumns = []string{"iter", "time_in_seconds", "ELBO"}

// DiagnosticSet is the ELBO trace as CmdStan's diagnostic_file holds it
// for variational: the run's settings, then one row per ELBO evaluation of
// the gradient ascent (History) with the iteration, the seconds since the
// ascent began and the ELBO.
func (r *Result) DiagnosticSet() *draws.Set {
	rows := make([][]float64, len(r.History))
	for i, p := range r.History {
		rows[i] = []float64{float64(p.Iter), p.Seconds, p.ELBO}
	}
	return &draws.Set{Columns: DiagnosticColumns, Chains: [][][]float64{rows}, Config: r.Config.lines(), Seed: r.Config.Seed}
}

// lines are CmdStan's configuration lines of the variational method,
// then gostan's redraws and backoffs (0 in CmdStan).
func (c Config) lines() []string {
	adapt := 0
	if c.Adapt {
		adapt = 1
	}
	return []string{
		"method = variational",
		"  variational",
		"    algorithm = " + c.Algorithm.String(),
		"      " + c.Algorithm.String(),
		fmt.Sprintf("    iter = %d", c.Iter),
		fmt.Sprintf("    grad_samples = %d", c.GradSamples),
		fmt.Sprintf("    elbo_samples = %d", c.ELBOSamples),
		fmt.Sprintf("    eta = %g", c.Eta),
		"    adapt",
		fmt.Sprintf("      engaged = %d", adapt),
		fmt.Sprintf("      iter = %d", c.AdaptIter),
		fmt.Sprintf("    tol_rel_obj = %g", c.TolRelObj),
		fmt.Sprintf("    eval_elbo = %d", c.EvalELBO),
		fmt.Sprintf("    output_samples = %d", c.OutputSamples),
		fmt.Sprintf("    redraws = %d", c.Redraws),
		fmt.Sprintf("    backoffs = %d", c.Backoffs),
	}
}

type runner struct {
	m        model.Model
	cfg      Config
	rng      *rand.Rand
	eta, z   []float64
	gz       []float64
	nGrad    int
	messages []string
}

// Run is RunContext without cancellation.
func Run(m model.Model, cfg Config, progress func(ELBOPoint)) (*Result, error) {
	return RunContext(context.Background(), m, cfg, progress)
}

// RunContext fits the approximation to m and draws from it; progress, when
// not nil, sees each ELBO evaluation. When ctx is cancelled during the
// gradient ascent, the ascent stops before its next iteration and the
// draws come from the approximation reached, flagged Interrupted; during
// the step-size search, before any approximation is fitted, RunContext
// returns an error wrapping ctx's.
func RunContext(ctx context.Context, m model.Model, cfg Config, progress func(ELBOPoint)) (*Result, error) {
	if cfg.Iter < 1 || cfg.GradSamples < 1 || cfg.ELBOSamples < 1 || cfg.EvalELBO < 1 || cfg.TolRelObj <= 0 || (!cfg.Adapt && cfg.Eta <= 0) {
		return nil, fmt.Errorf("advi: invalid settings: iter %d, grad_samples %d, elbo_samples %d, eval_elbo %d, tol_rel_obj %v, eta %v",
			cfg.Iter, cfg.GradSamples, cfg.ELBOSamples, cfg.EvalELBO, cfg.TolRelObj, cfg.Eta)
	}
	d := m.Dim()
	r := &runner{m: m, cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 1)),
		eta: make([]float64, d), z: make([]float64, d), gz: make([]float64, d)}
	init, err := r.initialize()
	if err != nil {
		return nil, err
	}
	q0 := newApprox(cfg.Algorithm, init)
	eta := cfg.Eta
	if cfg.Adapt {
		if eta, err = r.adaptEta(ctx, q0); err != nil {
			return nil, err
		}
	}
	q := q0.clone()
	res := &Result{Eta: eta, Names: m.Names(), Config: cfg, approx: q}
	if err = r.ascend(ctx, q, eta, progress, res); err != nil {
		return nil, err
	}
	res.Mean = make([]float64, len(m.Names()))
	// A draw whose generated quantities fail keeps its NaN columns, as
	// in NUTS; the errors become messages.
	var failed model.Failures
	write := func(z, row []float64) {
		if err := m.Write(z, r.rng, row); err != nil {
			failed.Add(err)
		}
	}
	write(q.mu(), res.Mean)
	for range cfg.OutputSamples {
		q.sample(r.rng, r.eta, r.z)
		row := make([]float64, len(res.Mean))
		write(r.z, row)
		res.Draws = append(res.Draws, row)
		res.Unconstrained = append(res.Unconstrained, slices.Clone(r.z))
		res.LogP = append(res.LogP, svi.LogP(m.LogDensity, r.z))
		res.LogG = append(res.LogG, q.logQ(r.eta))
	}
	r.messages = append(r.messages, failed.OutputsReport()...)
	res.Gradients = r.nGrad
	res.Messages = r.messages
	return res, nil
}

// initialize finds the start as NUTS does (model.Initialize, Stan's
// services::util::initialize): the given point, zero for radius 0, or up to
// 100 draws uniform in (-InitRadius, InitRadius) until the density and its
// gradient are finite. The rejected tries become messages; a failure says
// why the model rejected them.
func (r *runner) initialize() ([]float64, error) {
	x := make([]float64, len(r.z))
	_, rejected, err := model.Initialize(r.m, r.cfg.Init, r.cfg.InitRadius, r.rng, x, r.gz)
	r.nGrad += rejected.Count
	if err != nil {
		return nil, err
	}
	r.nGrad++
	r.messages = append(r.messages, rejected.Report("initial value rejected", "initial values rejected")...)
	return x, nil
}

// grad evaluates the model gradient into r.gz; a non-finite value is an
// error, as Stan's check_finite makes it.
func (r *runner) grad(x []float64) (float64, error) {
	r.nGrad++
	lp, err := r.m.LogDensity(x, r.gz)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(lp) || math.IsInf(lp, 0) {
		return 0, fmt.Errorf("log density is %v", lp)
	}
	for _, g := range r.gz {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return 0, errors.New("gradient of mu is not finite")
		}
	}
	return lp, nil
}

// elbo estimates the ELBO by Monte Carlo; draws outside the support are
// dropped, and when all are, it fails as Stan does.
func (r *runner) elbo(q *approx) (float64, error) {
	n := r.cfg.ELBOSamples
	sum, dropped := 0.0, 0
	for range n {
		q.sample(r.rng, r.eta, r.z)
		lp, err := r.m.LogDensity(r.z, nil)
		if err != nil || math.IsNaN(lp) || math.IsInf(lp, 0) {
			dropped++
			if dropped >= n {
				return 0, fmt.Errorf("the number of dropped evaluations has reached its maximum amount (%d). Your model may be either severely ill-conditioned or misspecified", n)
			}
			continue
		}
		sum += lp
	}
	return sum/float64(n) + q.entropy(), nil
}

// elboGrad estimates the ELBO's gradient with respect to q's parameters.
func (r *runner) elboGrad(q *approx, g []float64) error {
	clear(g)
	for range r.cfg.GradSamples {
		for try := 0; ; try++ {
			q.sample(r.rng, r.eta, r.z)
			_, err := r.grad(r.z)
			if err == nil {
				break
			}
			if try >= r.cfg.Redraws {
				return err
			}
		}
		q.accumulate(g, r.gz, r.eta)
	}
	q.finish(g, r.cfg.GradSamples)
	return nil
}

// stepper is Stan's adaptive step-size sequence: an exponentially
// weighted average of squared gradients scales each parameter's step,
// and the step size decays as eta / sqrt(iter).
type stepper struct {
	hist []float64
	iter int
}

func (s *stepper) step(q *approx, g []float64, eta float64) {
	const tau, pre, post = 1.0, 0.9, 0.1
	s.iter++
	for i, v := range g {
		if s.iter == 1 {
			s.hist[i] += v * v
		} else {
			s.hist[i] = pre*s.hist[i] + post*v*v
		}
	}
	scaled := eta / math.Sqrt(float64(s.iter))
	for i, v := range g {
		q.par[i] += scaled * v / (tau + math.Sqrt(s.hist[i]))
	}
}

// adaptEta tries eta = 100, 10, 1, 0.1, 0.01 for AdaptIter iterations
// each from the initial approximation and keeps the best, as Stan does.
func (r *runner) adaptEta(ctx context.Context, q0 *approx) (float64, error) {
	etas := []float64{100, 10, 1, 0.1, 0.01}
	elboInit, err := r.elbo(q0)
	if err != nil {
		return 0, fmt.Errorf("cannot compute ELBO using the initial variational distribution: %v", err)
	}
	g := make([]float64, len(q0.par))
	elboBest, etaBest := -math.MaxFloat64, etas[0]
	for k, eta := range etas {
		q := q0.clone()
		s := &stepper{hist: make([]float64, len(q.par))}
		elbo := math.Inf(-1)
		failed := false
		for range r.cfg.AdaptIter {
			if ctx.Err() != nil {
				return 0, fmt.Errorf("advi: interrupted while adapting the step size, before any approximation was fitted: %w", ctx.Err())
			}
			if err := r.elboGrad(q, g); err != nil {
				failed = true
				break
			}
			s.step(q, g, eta)
		}
		if !failed {
			if e, err := r.elbo(q); err == nil && !math.IsNaN(e) {
				elbo = e
			}
		}
		if elbo < elboBest && elboBest > elboInit {
			return etaBest, nil
		}
		if k < len(etas)-1 {
			elboBest, etaBest = elbo, eta
			continue
		}
		if elbo > elboInit {
			return eta, nil
		}
	}
	return 0, errors.New("all proposed step-sizes failed. Your model may be either severely ill-conditioned or misspecified")
}

// ascend runs stochastic gradient ascent until the mean or median relative
// ELBO change over a window of evaluations falls below TolRelObj, or ctx
// is cancelled; it records the history, the iterations and how it ended
// in res.
func (r *runner) ascend(ctx context.Context, q *approx, eta float64, progress func(ELBOPoint), res *Result) error {
	cfg := r.cfg
	g := make([]float64, len(q.par))
	s := &stepper{hist: make([]float64, len(q.par))}
	window := int(math.Max(0.1*float64(cfg.Iter)/float64(cfg.EvalELBO), 2))
	var diffs []float64
	elbo := -math.MaxFloat64 // so the first relative change is 1, as in Stan
	prev := append([]float64(nil), q.par...)
	backoffs := 0
	start := time.Now()
	for it := 1; it <= cfg.Iter; it++ {
		if ctx.Err() != nil {
			res.Interrupted = true
			return nil
		}
		res.Iter = it
		if err := r.elboGrad(q, g); err != nil {
			// A step that left the support: undo it and take smaller
			// steps (gostan's; Stan fails, as cfg.Backoffs = 0 does).
			if backoffs >= cfg.Backoffs {
				return fmt.Errorf("iteration %d: %v", it, err)
			}
			backoffs++
			copy(q.par, prev)
			eta /= 10
			s = &stepper{hist: make([]float64, len(q.par))}
			r.messages = append(r.messages, fmt.Sprintf("iteration %d: the approximation left the model's support; eta reduced to %g", it, eta))
			continue
		}
		copy(prev, q.par)
		s.step(q, g, eta)
		if it%cfg.EvalELBO != 0 {
			continue
		}
		elboPrev := elbo
		var err error
		if elbo, err = r.elbo(q); err != nil {
			return fmt.Errorf("iteration %d: %v", it, err)
		}
		diffs = append(diffs, math.Abs((elbo-elboPrev)/elboPrev))
		if len(diffs) > window {
			diffs = diffs[1:]
		}
		p := ELBOPoint{Iter: it, ELBO: elbo, RelMean: mean(diffs), RelMed: median(diffs), Seconds: time.Since(start).Seconds()}
		res.History = append(res.History, p)
		if progress != nil {
			progress(p)
		}
		if p.RelMean < cfg.TolRelObj || p.RelMed < cfg.TolRelObj {
			res.Converged = true
			return nil
		}
		if it > 10*cfg.EvalELBO && (p.RelMed > 0.5 || p.RelMean > 0.5) && len(r.messages) == 0 {
			r.messages = append(r.messages, "MAY BE DIVERGING... INSPECT ELBO")
		}
	}
	r.messages = append(r.messages, "Informational Message: The maximum number of iterations is reached! The algorithm may not have converged.")
	return nil
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

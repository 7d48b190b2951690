package nuts

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/gostan/gostan/model"
)

// Config holds the sampler's settings; DefaultConfig gives Stan's.
type Config struct {
	Warmup, Samples int
	MaxDepth        int // max_depth: trees have at most 2^MaxDepth leapfrog steps
	// Adapt is CmdStan's adapt engaged: warmup tunes the step size and
	// the metric. It needs Warmup > 0, as in CmdStan. Without it the
	// chain keeps StepSize and the initial metric throughout, and the
	// warmup iterations only move the chain (Stan's run_sampler).
	Adapt    bool
	Delta    float64 // adapt delta: the target acceptance statistic
	StepSize float64 // initial step size
	// StepSizeJitter is CmdStan's stepsize_jitter, in [0, 1]: each
	// transition's step size is drawn uniformly within that fraction of
	// the nominal one, which adaptation keeps learning (0, the default:
	// no jitter and no draw).
	StepSizeJitter float64
	Metric         Metric
	InitRadius     float64   // initial values are uniform in (-R, R) on the unconstrained scale
	Init           []float64 // an unconstrained initial point, instead of random ones
	Gamma, Kappa   float64   // dual averaging
	T0             float64
	InitBuffer     int // adaptation windows
	TermBuffer     int
	Window         int
	Seed           uint64
	Chain          int // chain id: chains with the same seed and different ids are independent
	// InvMetric is the initial inverse metric (the diagonal, or d×d
	// row-major for Dense), as CmdStan's metric_file; nil: the identity.
	InvMetric  []float64
	Thin       int  // keep every Thin-th iteration
	SaveWarmup bool // keep the warmup iterations too (Chain.WarmupDraws)
	// FixedParam runs CmdStan's fixed_param sampler: the parameters keep
	// their initial values and every iteration only writes the outputs
	// (generated quantities drawn anew). A model with no parameters
	// always runs it.
	FixedParam bool
}

// DefaultConfig returns CmdStan's defaults.
func DefaultConfig() Config {
	return Config{
		Warmup: 1000, Samples: 1000, MaxDepth: 10, Adapt: true, Delta: 0.8, StepSize: 1,
		Metric: Diag, InitRadius: 2, Gamma: 0.05, Kappa: 0.75, T0: 10,
		InitBuffer: 75, TermBuffer: 50, Window: 25, Chain: 1, Thin: 1,
	}
}

// Stats are a transition's sampler diagnostics, Stan's "__" columns.
type Stats struct {
	LP         float64 // lp__: log density up to a constant
	AcceptStat float64 // accept_stat__
	StepSize   float64 // stepsize__
	TreeDepth  int     // treedepth__
	NLeapfrog  int     // n_leapfrog__
	Divergent  bool    // divergent__
	Energy     float64 // energy__: the Hamiltonian at the draw
}

// AppendValues appends the statistics to row in Stan CSV's order (lp__,
// accept_stat__, stepsize__, treedepth__, n_leapfrog__, divergent__,
// energy__).
func (s Stats) AppendValues(row []float64) []float64 {
	div := 0.0
	if s.Divergent {
		div = 1
	}
	return append(row, s.LP, s.AcceptStat, s.StepSize, float64(s.TreeDepth), float64(s.NLeapfrog), div, s.Energy)
}

// Chain is one chain's result.
type Chain struct {
	Draws [][]float64 // per kept draw, the model's output columns (model.Names)
	Stats []Stats     // per kept draw
	// WarmupDraws and WarmupStats are the kept warmup iterations, with
	// Config.SaveWarmup.
	WarmupDraws [][]float64
	WarmupStats []Stats
	FixedParam  bool // the chain ran the fixed_param sampler
	// Interrupted says the run was cancelled: the chain holds what it
	// made until then.
	Interrupted bool
	StepSize    float64   // adapted step size
	InvMetric   []float64 // adapted inverse metric: the diagonal, or d×d row-major
	Metric      Metric
	// Gradients counts every gradient evaluation of the chain, warmup
	// and initialisation included.
	Gradients                    int
	WarmupSeconds, SampleSeconds float64
	Messages                     []string // informational messages, as Stan prints them
	// Rejections are the proposals rejected by an evaluation error
	// (reject(), a domain error), warmup included; Messages report them.
	Rejections model.Failures
}

// Progress is told about each finished iteration, counting warmup first.
type Progress func(iter int)

// Sink receives a chain's output as the sampler makes it, so that a
// file holds every draw made even if the run is cut short.
type Sink interface {
	// Draw receives each kept iteration in order: the warmup ones with
	// Config.SaveWarmup, then the draws. row (the model's columns) is
	// the chain's own, not reused.
	Draw(st Stats, row []float64, warmup bool) error
	// Adapted is told the step size and inverse metric (as in Chain)
	// when warmup ends; the fixed_param sampler has none.
	Adapted(stepSize float64, invMetric []float64) error
}

// Hooks watch one chain as it runs; they are called from the chain's
// goroutine, and any may be nil.
type Hooks struct {
	Progress Progress
	Sink     Sink
	// Phase receives each kept iteration's point in phase space, as
	// Stan's diagnostic_file holds it (get_sampler_diagnostics): the
	// position q and momentum p on the unconstrained scale and g, the
	// gradient of the potential -log p(q) there; p and g are nil for the
	// fixed_param sampler. The slices are reused. The sampler keeps its
	// proposals' momenta only when Phase is set.
	Phase func(st Stats, q, p, g []float64, warmup bool) error
}

// point is a phase-space point with its log density and gradient. A
// proposal of the tree keeps q, g, lp and its Hamiltonian h, and p only
// for Hooks.Phase (sampler.momenta).
type point struct {
	q, p, g []float64
	lp, h   float64
}

func newPoint(d int) point {
	return point{q: make([]float64, d), p: make([]float64, d), g: make([]float64, d)}
}

func (z *point) set(o *point) {
	copy(z.q, o.q)
	copy(z.p, o.p)
	copy(z.g, o.g)
	z.lp = o.lp
	z.h = o.h
}

// keep makes z the proposal o: what a draw needs, without the momentum.
func (z *point) keep(o *point) {
	copy(z.q, o.q)
	copy(z.g, o.g)
	z.lp = o.lp
	z.h = o.h
}

// level is the scratch space of build_tree at one depth.
type level struct {
	pInitEnd, pSharpInitEnd, rhoInit    []float64
	pFinalBeg, pSharpFinalBeg, rhoFinal []float64
	// final is the index in sampler.props of the storage the second
	// half's proposal is written to.
	final int
}

type sampler struct {
	m        model.Model
	d        int
	rng      *rand.Rand
	met      *metric
	eps      float64 // the nominal step size, which adaptation learns
	jitter   float64 // Config.StepSizeJitter
	maxDepth int
	nGrad    int
	rejected model.Failures // evaluation errors met by the integrator

	z         point // the point initStepSize moves
	divergent bool
	scratch   []float64
	levels    []level
	// props is the proposals' storage: each level's final one and the
	// transition's two (free). Proposals pass from one place to another
	// by their indices here, so that the tree writes no pointers, whose
	// write barriers slow it while the garbage collector marks.
	props []point
	free  [2]int

	// momenta keeps the proposals' momenta too, for Hooks.Phase.
	momenta bool

	// A transition's running totals, kept by the leaves of its tree.
	nLeapfrog    int
	sumMetroProb float64
}

// maxDeltaH is the energy error beyond which a trajectory is divergent.
const maxDeltaH = 1000

// Sample runs one chain of NUTS with warmup on m.
func Sample(m model.Model, cfg Config, progress Progress) (*Chain, error) {
	return SampleContext(context.Background(), m, cfg, Hooks{Progress: progress})
}

// SampleContext is Sample with a context and hooks. When ctx is cancelled
// it stops after the current iteration and returns the chain so far,
// marked Interrupted, with ctx's error.
func SampleContext(ctx context.Context, m model.Model, cfg Config, h Hooks) (*Chain, error) {
	d := m.Dim()
	if cfg.MaxDepth < 1 || cfg.StepSize <= 0 || cfg.Delta <= 0 || cfg.Delta >= 1 || cfg.Warmup < 0 || cfg.Samples < 0 || cfg.Thin < 1 ||
		!(cfg.StepSizeJitter >= 0 && cfg.StepSizeJitter <= 1) {
		return nil, fmt.Errorf("nuts: invalid settings: max depth %d, step size %v, step size jitter %v, adapt delta %v, warmup %d, samples %d, thin %d (need max depth >= 1, step size > 0, 0 <= jitter <= 1, 0 < delta < 1, nonnegative counts, thin >= 1)",
			cfg.MaxDepth, cfg.StepSize, cfg.StepSizeJitter, cfg.Delta, cfg.Warmup, cfg.Samples, cfg.Thin)
	}
	fixed := cfg.FixedParam || d == 0
	if cfg.Adapt && cfg.Warmup == 0 && !fixed {
		// CmdStan refuses this too: adaptation needs warmup iterations.
		return nil, fmt.Errorf("nuts: the number of warmup iterations must be positive when adaptation is engaged (turn Adapt off to sample with the given step size and metric)")
	}
	s := &sampler{
		m: m, d: d, met: newMetric(cfg.Metric, d), eps: cfg.StepSize, jitter: cfg.StepSizeJitter, maxDepth: cfg.MaxDepth,
		rng:     rand.New(rand.NewPCG(cfg.Seed, uint64(cfg.Chain))),
		z:       newPoint(d),
		scratch: make([]float64, d),
		momenta: h.Phase != nil,
	}
	if err := s.met.set(cfg.InvMetric); err != nil {
		return nil, err
	}
	out := &Chain{Metric: cfg.Metric, FixedParam: fixed}
	if ctx.Err() != nil {
		out.Interrupted = true
		return out, ctx.Err()
	}
	cur := newPoint(d)
	if d > 0 {
		initRejected, err := s.initialize(&cur, cfg)
		if err != nil {
			return nil, err
		}
		out.Messages = append(out.Messages, initRejected.Report("initial value rejected", "initial values rejected")...)
	}
	r := &run{ctx: ctx, m: m, cfg: cfg, h: h, out: out, row: len(m.Names()),
		gqRNG: rand.New(rand.NewPCG(cfg.Seed^0x9e3779b97f4a7c15, uint64(cfg.Chain)))}
	r.reserve(fixed)
	if h.Phase != nil && !fixed {
		r.potentialGrad = make([]float64, d)
	}
	var err error
	if fixed {
		err = r.fixedParam(cur.q)
	} else {
		err = r.nuts(s, &cur)
	}
	if err != nil && err != ctx.Err() {
		return nil, err
	}
	out.Rejections = s.rejected
	if s.rejected.Count > 0 {
		out.Messages = append(out.Messages, s.rejected.Report("proposal rejected", "proposals rejected")...)
		out.Messages = append(out.Messages, "occasional rejections, as near the boundary of a constrained type, are harmless; frequent ones suggest an ill-conditioned or misspecified model")
	}
	out.Messages = append(out.Messages, r.writeErrors.OutputsReport()...)
	out.Gradients = s.nGrad
	out.Interrupted = err != nil
	return out, err
}

// run is what a chain's loops share: where kept draws go.
type run struct {
	ctx           context.Context
	m             model.Model
	cfg           Config
	h             Hooks
	out           *Chain
	row           int // output columns
	gqRNG         *rand.Rand
	writeErrors   model.Failures
	potentialGrad []float64 // g for Hooks.Phase
	slab          []float64 // the next kept draws' rows, carved from one allocation
}

// reserve sizes the chain's lists of kept draws for the draws the settings
// keep, up to maxReserved each: appending to them while the chain runs
// copied them and kept the garbage collector marking, whose write
// barriers then slowed the transitions' swaps (10% of a chain on a
// standard normal).
func (r *run) reserve(fixed bool) {
	kept := func(n int) int { return min((max(n, 0)+r.cfg.Thin-1)/r.cfg.Thin, maxReserved) }
	if n := kept(r.cfg.Samples); n > 0 {
		r.out.Draws, r.out.Stats = make([][]float64, 0, n), make([]Stats, 0, n)
	}
	if n := kept(r.cfg.Warmup); n > 0 && r.cfg.SaveWarmup && !fixed {
		r.out.WarmupDraws, r.out.WarmupStats = make([][]float64, 0, n), make([]Stats, 0, n)
	}
}

// maxReserved bounds reserve, so that a long run that is interrupted
// early has not taken its whole memory up front.
const maxReserved = 1 << 14

// rowsPerSlab is how many kept draws share an allocation.
const rowsPerSlab = 256

// newRow returns a kept draw's row: its own memory, never reused, taken
// from a slab so that a chain allocates once per rowsPerSlab draws.
func (r *run) newRow() []float64 {
	if len(r.slab) < r.row {
		r.slab = make([]float64, rowsPerSlab*r.row)
	}
	row := r.slab[:r.row:r.row]
	r.slab = r.slab[r.row:]
	return row
}

// iteration ends iteration it (0-based, warmup first) whose state is cur:
// it keeps the draw if the settings say so, tells the hooks, and reports
// ctx's error once the run is cancelled.
func (r *run) iteration(it int, cur *point, st Stats) error {
	q := cur.q
	warmup := it < r.cfg.Warmup
	phase := it
	if !warmup {
		phase -= r.cfg.Warmup
	}
	if phase%r.cfg.Thin == 0 && (!warmup || r.cfg.SaveWarmup) {
		row := r.newRow()
		if err := r.m.Write(q, r.gqRNG, row); err != nil {
			// Stan logs the error and keeps the draw, its failed columns
			// NaN; the sampler's state is not affected.
			r.writeErrors.Add(fmt.Errorf("iteration %d: %w", it+1, err))
		}
		if warmup {
			r.out.WarmupDraws = append(r.out.WarmupDraws, row)
			r.out.WarmupStats = append(r.out.WarmupStats, st)
		} else {
			r.out.Draws = append(r.out.Draws, row)
			r.out.Stats = append(r.out.Stats, st)
		}
		if r.h.Sink != nil {
			if err := r.h.Sink.Draw(st, row, warmup); err != nil {
				return err
			}
		}
		if r.h.Phase != nil {
			var p, g []float64
			if cur.p != nil {
				p, g = cur.p, r.potentialGrad
				for i, v := range cur.g {
					g[i] = -v
				}
			}
			if err := r.h.Phase(st, q, p, g, warmup); err != nil {
				return err
			}
		}
	}
	if r.h.Progress != nil {
		r.h.Progress(it + 1)
	}
	return r.ctx.Err()
}

// fixedParam is CmdStan's fixed_param sampler: no warmup, and every
// iteration writes the outputs at q, with lp__ and accept_stat__ 0.
func (r *run) fixedParam(q []float64) error {
	r.cfg.Warmup = 0
	start := time.Now()
	defer func() { r.out.SampleSeconds = time.Since(start).Seconds() }()
	cur := &point{q: q}
	for it := range r.cfg.Samples {
		if err := r.iteration(it, cur, Stats{}); err != nil {
			return err
		}
	}
	return nil
}

// nuts runs warmup, with adaptation when engaged, then the draws, from
// cur.
func (r *run) nuts(s *sampler, cur *point) error {
	cfg, out := r.cfg, r.out
	s.initLevels()
	t := newTransition(s.d, cfg.MaxDepth)
	start := time.Now()
	err := r.warmup(s, t, cur)
	out.WarmupSeconds = time.Since(start).Seconds()
	if err != nil {
		return err
	}
	out.StepSize = s.eps
	if cfg.Metric == Diag {
		out.InvMetric = append([]float64(nil), s.met.diag...)
	} else {
		out.InvMetric = append([]float64(nil), s.met.inv...)
	}
	if r.h.Sink != nil {
		if err := r.h.Sink.Adapted(out.StepSize, out.InvMetric); err != nil {
			return err
		}
	}

	start = time.Now()
	defer func() { out.SampleSeconds = time.Since(start).Seconds() }()
	for it := range cfg.Samples {
		st := s.transition(cur, t)
		if err := r.iteration(cfg.Warmup+it, cur, st); err != nil {
			return err
		}
	}
	return nil
}

// warmup runs the warmup iterations: with adaptation when engaged, else
// (Stan's run_sampler) at the step size as given, with no initial search.
func (r *run) warmup(s *sampler, t *transition, cur *point) error {
	if r.cfg.Adapt {
		return r.adapt(s, t, cur)
	}
	for it := range r.cfg.Warmup {
		if err := r.iteration(it, cur, s.transition(cur, t)); err != nil {
			return err
		}
	}
	return nil
}

// adapt runs the warmup iterations with Stan's windowed adaptation: dual
// averaging of the step size throughout, the metric estimated in the
// slow windows.
func (r *run) adapt(s *sampler, t *transition, cur *point) error {
	cfg, out := r.cfg, r.out
	if err := s.initStepSize(cur); err != nil {
		return err
	}
	da := dualAveraging{delta: cfg.Delta, gamma: cfg.Gamma, kappa: cfg.Kappa, t0: cfg.T0}
	da.restart(s.eps)
	win, msg := newWindows(cfg.Warmup, cfg.InitBuffer, cfg.TermBuffer, cfg.Window)
	if msg != "" {
		out.Messages = append(out.Messages, msg)
	}
	est := newCovEstimator(s.d, cfg.Metric == Dense)
	for it := range cfg.Warmup {
		st := s.transition(cur, t)
		s.eps = da.learn(st.AcceptStat)
		if cfg.Warmup >= 20 {
			if win.inWindow() {
				est.add(cur.q)
			}
			if win.endOfWindow() {
				win.computeNext()
				est.update(s.met)
				est.restart()
				win.counter++
				if err := s.initStepSize(cur); err != nil {
					return err
				}
				da.restart(s.eps)
			} else {
				win.counter++
			}
		}
		if err := r.iteration(it, cur, st); err != nil {
			return err
		}
	}
	s.eps = da.final()
	return nil
}

// initLevels allocates build_tree's scratch space for every depth and
// the proposals' storage, once per chain: a transition allocates nothing.
func (s *sampler) initLevels() {
	s.levels = make([]level, s.maxDepth+1)
	s.props = make([]point, s.maxDepth+3)
	for i := range s.props {
		s.props[i] = newPoint(s.d)
	}
	for i := range s.levels {
		l := &s.levels[i]
		for _, v := range []*[]float64{&l.pInitEnd, &l.pSharpInitEnd, &l.rhoInit, &l.pFinalBeg, &l.pSharpFinalBeg, &l.rhoFinal} {
			*v = make([]float64, s.d)
		}
		l.final = i
	}
	s.free = [2]int{s.maxDepth + 1, s.maxDepth + 2}
}

// evaluate computes z's log density and gradient; a point outside the
// support (an error or a non-finite value) gets log density -Inf. It
// returns the model's error, nil when the value is merely not finite.
func (s *sampler) evaluate(z *point) error {
	s.nGrad++
	lp, err := s.m.LogDensity(z.q, z.g)
	if err != nil || math.IsNaN(lp) || math.IsInf(lp, 0) {
		z.lp = math.Inf(-1)
		return err
	}
	for _, g := range z.g {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			z.lp = math.Inf(-1)
			return nil
		}
	}
	z.lp = lp
	return nil
}

// hamiltonian is H = -log p(q) + ½ pᵀM⁻¹p, +Inf outside the support.
func (s *sampler) hamiltonian(z *point) float64 {
	return energy(z.lp, s.met.sharp(z.p, s.scratch))
}

// energy is the Hamiltonian -lp + ½k of a point with log density lp and
// kinetic term k = pᵀM⁻¹p: +Inf when either is not finite (a gradient
// that is not finite makes k so), or when lp is -Inf, outside the support.
func energy(lp, k float64) float64 {
	h := -lp + 0.5*k
	if !(h < math.Inf(1)) {
		return math.Inf(1)
	}
	return h
}

// leapfrog moves z by one step of size eps (Stan's expl_leapfrog) and
// returns its Hamiltonian, leaving M⁻¹p in pSharp: the step's two halves
// are one pass over the coordinates each for a diagonal metric, and the
// energy and M⁻¹p come with the second. A point outside the support (an
// evaluation error, a log density or gradient not finite) gets +Inf; its
// momentum and pSharp are then not to be read.
func (s *sampler) leapfrog(z *point, eps float64, pSharp []float64) float64 {
	half := 0.5 * eps
	s.met.drift(z.q, z.p, z.g, half, eps, pSharp)
	s.nGrad++
	lp, err := s.m.LogDensity(z.q, z.g)
	if err != nil {
		s.rejected.Add(err)
	}
	if err != nil || math.IsNaN(lp) || math.IsInf(lp, 0) {
		z.lp, z.h = math.Inf(-1), math.Inf(1)
		return z.h
	}
	z.lp = lp
	z.h = energy(lp, s.met.kick(z.p, z.g, half, pSharp))
	return z.h
}

// initialize finds a starting point with a finite log density and
// gradient, as Stan does (model.Initialize), and returns the rejected
// tries with their reasons.
func (s *sampler) initialize(z *point, cfg Config) (model.Failures, error) {
	lp, rejected, err := model.Initialize(s.m, cfg.Init, cfg.InitRadius, s.rng, z.q, z.g)
	s.nGrad += rejected.Count
	if err == nil {
		s.nGrad++
		z.lp = lp
	}
	return rejected, err
}

// initStepSize doubles or halves the step size until the acceptance
// probability of one leapfrog step crosses 0.8 (Stan's init_stepsize).
func (s *sampler) initStepSize(cur *point) error {
	if s.eps == 0 || s.eps > 1e7 || math.IsNaN(s.eps) {
		return nil
	}
	z := &s.z
	try := func() float64 {
		z.set(cur)
		s.met.sampleP(s.rng, z.p)
		h0 := s.hamiltonian(z)
		return h0 - s.leapfrog(z, s.eps, s.scratch)
	}
	direction := -1.0
	if try() > math.Log(0.8) {
		direction = 1
	}
	for {
		dH := try()
		if direction == 1 && !(dH > math.Log(0.8)) || direction == -1 && !(dH < math.Log(0.8)) {
			return nil
		}
		if direction == 1 {
			s.eps *= 2
		} else {
			s.eps *= 0.5
		}
		if s.eps > 1e7 {
			return fmt.Errorf("posterior is improper. Please check your model")
		}
		if s.eps == 0 {
			return fmt.Errorf("no acceptably small step size could be found. Perhaps the posterior is not continuous?")
		}
	}
}

// transition is the top-level state of one NUTS transition: the
// trajectory's ends and the momenta kept about them.
type transition struct {
	zFwd, zBck                                   point
	pFwdFwd, pSharpFwdFwd, pFwdBck, pSharpFwdBck []float64
	pBckFwd, pSharpBckFwd, pBckBck, pSharpBckBck []float64
	rho, rhoSub                                  []float64
}

func newTransition(d, maxDepth int) *transition {
	t := &transition{zFwd: newPoint(d), zBck: newPoint(d)}
	for _, v := range []*[]float64{&t.pFwdFwd, &t.pSharpFwdFwd, &t.pFwdBck, &t.pSharpFwdBck, &t.pBckFwd, &t.pSharpBckFwd, &t.pBckBck, &t.pSharpBckBck, &t.rho, &t.rhoSub} {
		*v = make([]float64, d)
	}
	return t
}

// transition draws the next state from cur (Stan's base_nuts::transition),
// replacing cur with it. As in Stan, the momenta at the trajectory's ends
// pFwdFwd and pBckBck are written but never read. Buffers whose values
// pass from one place to another are swapped in local variables, not
// copied and not written back: every one is rewritten before it is read
// in the next transition.
func (s *sampler) transition(cur *point, t *transition) Stats {
	if s.jitter > 0 {
		// Stan's base_hmc::sample_stepsize, before the momentum is drawn:
		// this transition's step size, around the nominal one.
		nominal := s.eps
		s.eps = nominal * (1 + s.jitter*(2*s.rng.Float64()-1))
		defer func() { s.eps = nominal }()
	}
	fwd, bck := &t.zFwd, &t.zBck
	pFwdBck, pBckFwd, pFwdFwd, pBckBck := t.pFwdBck, t.pBckFwd, t.pFwdFwd, t.pBckBck
	sFwdBck, sBckFwd, sFwdFwd, sBckBck := t.pSharpFwdBck, t.pSharpBckFwd, t.pSharpFwdFwd, t.pSharpBckBck
	rho, rhoSub := t.rho, t.rhoSub
	copy(fwd.q, cur.q)
	copy(fwd.g, cur.g)
	fwd.lp = cur.lp
	s.met.sampleP(s.rng, fwd.p)
	if s.momenta {
		copy(cur.p, fwd.p) // the sample's momentum while it is cur
	}
	h0 := energy(cur.lp, s.met.sharp(fwd.p, sFwdFwd))
	fwd.h = h0
	bck.set(fwd)
	{
		sFwdBck, sBckFwd, sBckBck := sFwdBck[:len(fwd.p)], sBckFwd[:len(fwd.p)], sBckBck[:len(fwd.p)]
		sFwdFwd, pFwdBck, pBckFwd, rho := sFwdFwd[:len(fwd.p)], pFwdBck[:len(fwd.p)], pBckFwd[:len(fwd.p)], rho[:len(fwd.p)]
		for i, v := range fwd.p {
			ps := sFwdFwd[i]
			sFwdBck[i], sBckFwd[i], sBckBck[i] = ps, ps, ps
			pFwdBck[i], pBckFwd[i], rho[i] = v, v, v
		}
	}
	// The sample starts as cur itself (sample < 0); the top level holds
	// two of s.props besides the levels' ones: the proposal's storage and
	// either the sample's or a spare.
	cur.h = h0
	sample, propose, spare := -1, s.free[0], s.free[1]

	logSumWeight := 0.0
	depth := 0
	s.nLeapfrog, s.sumMetroProb = 0, 0
	s.divergent = false

	for depth < s.maxDepth {
		var valid bool
		var logSumWeightSub float64
		// The subtree's rho goes to rhoSub; the other end's momenta take
		// the values of the side being extended, which the tree rewrites.
		var rhoBck, rhoFwd []float64
		if s.rng.Float64() > 0.5 {
			pBckFwd, pFwdBck = pFwdBck, pBckFwd
			sBckFwd, sFwdBck = sFwdBck, sBckFwd
			valid, logSumWeightSub, propose = s.buildTree(depth, fwd, propose, sFwdBck, sFwdFwd, rhoSub, pFwdBck, pFwdFwd, h0, 1)
			rhoBck, rhoFwd = rho, rhoSub
		} else {
			pFwdBck, pBckFwd = pBckFwd, pFwdBck
			sFwdBck, sBckFwd = sBckFwd, sFwdBck
			valid, logSumWeightSub, propose = s.buildTree(depth, bck, propose, sBckFwd, sBckBck, rhoSub, pBckFwd, pBckBck, h0, -1)
			rhoBck, rhoFwd = rhoSub, rho
		}
		if !valid {
			break
		}
		depth++
		// The new subtree's proposal replaces the sample with probability
		// min(1, w_sub/w_old) (Stan's biased progressive sampling). Taking
		// it exchanges indices: the old sample's storage, or the spare
		// while the sample is cur, takes the next proposals.
		take := logSumWeightSub > logSumWeight
		var x float64
		if !take {
			x = weightExp(logSumWeightSub - logSumWeight)
			take = s.rng.Float64() < x
		}
		if take {
			if sample < 0 {
				sample, propose, spare = propose, spare, -1
			} else {
				sample, propose = propose, sample
			}
		}

		// The no-U-turn criterion over the whole trajectory and over the
		// two extended ones (Stan's rho_extended), in one pass; rho
		// becomes rhoBck + rhoFwd.
		rhoAll := rho[:len(rhoBck)]
		rhoFwd = rhoFwd[:len(rhoBck)]
		pFwdBck, pBckFwd := pFwdBck[:len(rhoBck)], pBckFwd[:len(rhoBck)]
		sBB, sFF := sBckBck[:len(rhoBck)], sFwdFwd[:len(rhoBck)]
		sFB, sBF := sFwdBck[:len(rhoBck)], sBckFwd[:len(rhoBck)]
		var c uturn
		for i, rb := range rhoBck {
			rf := rhoFwd[i]
			r := rb + rf
			rhoAll[i] = r
			e1 := rb + pFwdBck[i]
			e2 := rf + pBckFwd[i]
			c.add(r, sBB[i], sFF[i], e1, sFB[i], e2, sBF[i])
		}
		if !c.persist() || depth == s.maxDepth {
			break
		}
		// The weights' log sum, which only a further subtree reads, takes
		// the same exponential as the choice.
		if logSumWeightSub > logSumWeight {
			logSumWeight = logSumWeightSub + weightLog(1+weightExp(logSumWeight-logSumWeightSub))
		} else {
			logSumWeight += weightLog(1 + x)
		}
	}
	if sample < 0 {
		s.free = [2]int{propose, spare}
	} else {
		cur.keep(&s.props[sample])
		if s.momenta {
			copy(cur.p, s.props[sample].p)
		}
		s.free = [2]int{propose, sample}
	}
	accept := 0.0
	if s.nLeapfrog > 0 {
		accept = s.sumMetroProb / float64(s.nLeapfrog)
	}
	return Stats{
		LP: cur.lp, AcceptStat: accept, StepSize: s.eps, TreeDepth: depth, NLeapfrog: s.nLeapfrog,
		Divergent: s.divergent, Energy: cur.h,
	}
}

// buildTree extends the trajectory from z by 2^depth leapfrog steps in
// direction sign, choosing a proposal among the new states by their
// weights (Stan's base_nuts::build_tree). It reports false when the
// subtree diverged or made a U-turn, and returns the log of the subtree's
// summed weights and the index in s.props of the proposal: prop, whose
// storage it is given, or a level's, which then takes prop's. It writes
// the subtree's summed momenta to rho (Stan adds them to a rho that is
// always zero on entry).
func (s *sampler) buildTree(depth int, z *point, prop int, pSharpBeg, pSharpEnd, rho, pBeg, pEnd []float64,
	h0, sign float64) (bool, float64, int) {
	if depth == 0 {
		h := s.leapfrog(z, sign*s.eps, pSharpBeg)
		s.nLeapfrog++
		if h-h0 > maxDeltaH {
			s.divergent = true
		}
		if h0-h > 0 {
			s.sumMetroProb++
		} else {
			s.sumMetroProb += weightExp(h0 - h)
		}
		s.props[prop].keep(z)
		if s.momenta {
			copy(s.props[prop].p, z.p)
		}
		pSharpEnd, rho, pBeg, pEnd := pSharpEnd[:len(z.p)], rho[:len(z.p)], pBeg[:len(z.p)], pEnd[:len(z.p)]
		pSharpBeg = pSharpBeg[:len(z.p)]
		for i, v := range z.p {
			pSharpEnd[i] = pSharpBeg[i]
			rho[i], pBeg[i], pEnd[i] = v, v, v
		}
		return !s.divergent, h0 - h, prop
	}
	l := &s.levels[depth]
	valid, logSumWeightInit, init := s.buildTree(depth-1, z, prop, pSharpBeg, l.pSharpInitEnd, l.rhoInit, pBeg, l.pInitEnd, h0, sign)
	if !valid {
		return false, 0, init
	}
	valid, logSumWeightFinal, final := s.buildTree(depth-1, z, l.final, l.pSharpFinalBeg, pSharpEnd, l.rhoFinal, l.pFinalBeg, pEnd, h0, sign)
	if !valid {
		l.final = final
		return false, 0, init
	}
	// The criterion over the subtree and over its two extended halves, in
	// one pass.
	n := len(rho)
	rhoInit, rhoFinal := l.rhoInit[:n], l.rhoFinal[:n]
	pFinalBeg, pInitEnd := l.pFinalBeg[:n], l.pInitEnd[:n]
	sBeg, sEnd := pSharpBeg[:n], pSharpEnd[:n]
	sFinalBeg, sInitEnd := l.pSharpFinalBeg[:n], l.pSharpInitEnd[:n]
	var c uturn
	for i := range rho {
		ri, rf := rhoInit[i], rhoFinal[i]
		r := ri + rf
		rho[i] = r
		c.add(r, sBeg[i], sEnd[i], ri+pFinalBeg[i], sFinalBeg[i], rf+pInitEnd[i], sInitEnd[i])
	}
	// The proposal is the second half's with probability w_final/w_sub
	// (Stan draws it even when that is 1, and when the subtree turned,
	// which makes it read no more: then the weights are not needed).
	u := s.rng.Float64()
	if !c.persist() {
		l.final = final
		return false, 0, init
	}
	logSumWeightSub, share := logSumExpShare(logSumWeightInit, logSumWeightFinal)
	if u < share {
		l.final = init
		return true, logSumWeightSub, final
	}
	l.final = final
	return true, logSumWeightSub, init
}

// uturn accumulates the three generalized no-U-turn criteria of a (sub)tree
// (Betancourt 2017, as Stan's compute_criterion) over the coordinates:
// the trajectory keeps going while both ends' velocities p♯ point along
// the summed momentum rho, and along rho of each half extended by the
// first momentum of the other half.
type uturn struct{ plus, minus, plus1, minus1, plus2, minus2 float64 }

// add takes coordinate i: rho with the outer ends' p♯ (minus, plus), the
// first extended rho with the inner end of the second half, the second
// with the inner end of the first half.
func (c *uturn) add(rho, minus, plus, ext1, inner1, ext2, inner2 float64) {
	c.plus += plus * rho
	c.minus += minus * rho
	c.plus1 += inner1 * ext1
	c.minus1 += minus * ext1
	c.plus2 += plus * ext2
	c.minus2 += inner2 * ext2
}

func (c *uturn) persist() bool {
	return c.plus > 0 && c.minus > 0 && c.plus1 > 0 && c.minus1 > 0 && c.plus2 > 0 && c.minus2 > 0
}

// logSumExpShare returns log(e^a + e^b) and b's share e^b/(e^a + e^b),
// with one exponential for both; a and b are not both -Inf. It takes
// log(1 + x) rather than log1p(x): the sum's absolute error stays below
// 2⁻⁵³, and log is the faster of the two.
func logSumExpShare(a, b float64) (float64, float64) {
	if a > b {
		x := weightExp(b - a)
		return a + weightLog(1+x), x / (1 + x)
	}
	x := weightExp(a - b)
	return b + weightLog(1+x), 1 / (1 + x)
}

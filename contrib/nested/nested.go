package nested

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/gostan/gostan/model"
)

// Problem is a posterior split into a prior and a likelihood on the
// unconstrained space of its model.Model.
type Problem interface {
	model.Model
	// DrawPrior draws z from the prior.
	DrawPrior(rng *rand.Rand, z []float64) error
	// PriorLikelihood is the prior's log density at z (the log-Jacobian
	// included) and the log likelihood; every normalising constant counts.
	PriorLikelihood(z []float64) (logPrior, logLik float64, err error)
}

// Config holds the sampler's settings; zero values take the defaults.
type Config struct {
	// LivePoints is the number of live points: 50 × (dim + 1) when 0.
	LivePoints int
	// Slices is the number of slice-sampling steps per new point: 3 × dim
	// (at least 5) when 0.
	Slices int
	// LiveEvidenceFrac stops the run when the live points could add at
	// most this fraction of the evidence (jaxns's live_evidence_frac):
	// 1e-4 when 0.
	LiveEvidenceFrac float64
	// MaxLikelihoodEvals and MaxSamples cap the likelihood evaluations and
	// the dead points (0: no cap), as jaxns's termination options.
	MaxLikelihoodEvals int
	MaxSamples         int
	// Threads is how many new points are drawn at once (NumCPU when 0).
	// Results depend on the seed and on Threads.
	Threads int
	Seed    uint64
	// Progress, when set, is called after each iteration with the dead
	// points so far, the evidence so far and the log of the largest
	// fraction of it the live points could still add (the run stops when
	// it falls below log LiveEvidenceFrac).
	Progress func(dead int, logZ, logRemaining float64)
}

func (c Config) withDefaults(dim int) Config {
	if c.LivePoints == 0 {
		c.LivePoints = 50 * (dim + 1)
	}
	if c.Slices == 0 {
		c.Slices = max(5, 3*dim)
	}
	if c.LiveEvidenceFrac == 0 {
		c.LiveEvidenceFrac = 1e-4
	}
	if c.Threads == 0 {
		c.Threads = runtime.NumCPU()
	}
	return c
}

func (c Config) check() error {
	switch {
	case c.LivePoints < 2:
		return fmt.Errorf("nested: %d live points, but at least 2 are needed", c.LivePoints)
	case c.Slices < 1:
		return fmt.Errorf("nested: %d slices per point, but at least 1 is needed", c.Slices)
	case !(c.LiveEvidenceFrac > 0 && c.LiveEvidenceFrac < 1):
		return fmt.Errorf("nested: live evidence fraction %v, but it must be in (0, 1)", c.LiveEvidenceFrac)
	case c.MaxLikelihoodEvals < 0 || c.MaxSamples < 0 || c.Threads < 0:
		return errors.New("nested: the caps and threads must not be negative")
	}
	return nil
}

// point is a live or dead point.
type point struct {
	z           []float64
	logL, logPi float64
}

// dead is a point removed from the live set, with the number of live
// points there were when it died.
type dead struct {
	point
	nLive int
}

// Run samples p and returns the evidence and the weighted dead points.
// Cancelling ctx stops the run after the current iteration; the result
// then counts the live points as they are and says Interrupted.
func Run(ctx context.Context, p Problem, cfg Config) (*Result, error) {
	dim := p.Dim()
	cfg = cfg.withDefaults(dim)
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if dim == 0 {
		return nil, errors.New("nested: the model has no parameters")
	}
	s := &run{cfg: cfg, dim: dim, workers: []Problem{p}}
	for range cfg.Threads - 1 {
		c, ok := p.Clone().(Problem)
		if !ok {
			return nil, errors.New("nested: the model's Clone does not give a Problem")
		}
		s.workers = append(s.workers, c)
	}
	if err := s.initial(); err != nil {
		return nil, err
	}
	interrupted := false
	for !s.done() {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		if err := s.step(); err != nil {
			return nil, err
		}
		if cfg.Progress != nil {
			cfg.Progress(len(s.dead), s.logZ, s.remaining())
		}
	}
	return s.result(p, interrupted)
}

// run is the state of one nested sampling run.
type run struct {
	cfg     Config
	dim     int
	workers []Problem
	live    []point
	dead    []dead
	logX    float64 // log prior volume inside the current threshold (its expectation)
	logZ    float64 // the evidence of the dead points so far
	evals   int
	iter    int
}

func (s *run) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(s.cfg.Seed, stream))
}

// initial draws the live points from the prior.
func (s *run) initial() error {
	s.logZ = math.Inf(-1)
	s.live = make([]point, s.cfg.LivePoints)
	return s.parallel(len(s.live), func(w Problem, i int) error {
		r := s.rng(uint64(i))
		z := make([]float64, s.dim)
		for try := 0; ; try++ {
			err := w.DrawPrior(r, z)
			if err == nil {
				var lp, ll float64
				lp, ll, err = w.PriorLikelihood(z)
				if err == nil && !math.IsInf(lp, -1) {
					s.live[i] = point{z, logLikOf(ll), lp}
					return nil
				}
			}
			if try == 100 {
				return fmt.Errorf("nested: 100 draws from the prior failed; the last: %v", err)
			}
		}
	})
}

// logLikOf treats NaN as -Inf: the point lies outside the likelihood's
// support.
func logLikOf(ll float64) float64 {
	if math.IsNaN(ll) {
		return math.Inf(-1)
	}
	return ll
}

// parallel runs f(i) for i < n on the workers, each worker one i at a
// time; it returns the first error.
func (s *run) parallel(n int, f func(w Problem, i int) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(s.workers))
	next := make(chan int)
	for k, w := range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(w, i); err != nil && errs[k] == nil {
					errs[k] = err
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	s.evals += n
	return errors.Join(errs...)
}

// done reports whether the live points can add at most LiveEvidenceFrac
// of the evidence, or a cap is reached.
func (s *run) done() bool {
	if s.cfg.MaxLikelihoodEvals > 0 && s.evals >= s.cfg.MaxLikelihoodEvals ||
		s.cfg.MaxSamples > 0 && len(s.dead) >= s.cfg.MaxSamples {
		return true
	}
	return !math.IsInf(s.logZ, -1) && s.remaining() < math.Log(s.cfg.LiveEvidenceFrac)
}

// remaining is the log of the largest fraction of the evidence so far that
// the live points could add: X·max L / Z.
func (s *run) remaining() float64 {
	maxL := math.Inf(-1)
	for _, p := range s.live {
		maxL = max(maxL, p.logL)
	}
	return s.logX + maxL - s.logZ
}

// step kills the Threads lowest live points, one shell each, and replaces
// them by draws from the prior above the highest of their likelihoods.
func (s *run) step() error {
	slices.SortFunc(s.live, func(a, b point) int { return cmpFloat(a.logL, b.logL) })
	k := min(len(s.workers), len(s.live)-1)
	n := len(s.live)
	for j := range k {
		p := s.live[j]
		logXNew := s.logX - 1/float64(n-j)
		// The shell between the old and the new volume: X - X' = X(1 - e^(-1/n)).
		logW := p.logL + s.logX + math.Log(-math.Expm1(logXNew-s.logX))
		s.logZ = logAdd(s.logZ, logW)
		s.dead = append(s.dead, dead{p, n - j})
		s.logX = logXNew
	}
	lstar := s.live[k-1].logL
	survivors := s.live[k:]
	if survivors[len(survivors)-1].logL <= lstar {
		return fmt.Errorf("nested: the likelihood is flat at %v over the live points: no point lies above it", lstar)
	}
	fresh := make([]point, k)
	s.iter++
	evals := make([]int, k)
	err := s.parallel(k, func(w Problem, j int) error {
		r := s.rng(uint64(s.iter)<<16 | uint64(j) | 1<<62)
		// Start from a survivor above the threshold.
		si := 0
		for {
			si = r.IntN(len(survivors))
			if survivors[si].logL > lstar {
				break
			}
		}
		var err error
		fresh[j], evals[j], err = s.slice(w, r, si, lstar, survivors)
		return err
	})
	for _, e := range evals {
		s.evals += e - 1
	}
	if err != nil {
		return err
	}
	s.live = append(survivors, fresh...)
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// logAdd is log(e^a + e^b).
func logAdd(a, b float64) float64 {
	if math.IsInf(a, -1) {
		return b
	}
	if math.IsInf(b, -1) {
		return a
	}
	m := max(a, b)
	return m + math.Log1p(math.Exp(-math.Abs(a-b)))
}

// slice moves live[si] by Slices slice-sampling steps on the prior density
// restricted to log likelihoods above lstar, each step along the
// difference of two other live points (Neal 2003, stepping out and
// shrinkage). The direction must not depend on the point that moves, or
// the moves lose detailed balance: a difference to the start point leans
// towards the other live points' modes. It returns the point and the
// likelihood evaluations it took.
func (s *run) slice(w Problem, r *rand.Rand, si int, lstar float64, live []point) (point, int, error) {
	start := live[si]
	x := append([]float64(nil), start.z...)
	lp := start.logPi
	y := make([]float64, s.dim)
	d := make([]float64, s.dim)
	evals := 0
	var ll float64
	// at evaluates the point x + t·d: inside the slice or not.
	at := func(t, logy float64) (bool, float64, float64) {
		for i := range y {
			y[i] = x[i] + t*d[i]
		}
		evals++
		p, l, err := w.PriorLikelihood(y)
		if err != nil || !(p > logy) || !(logLikOf(l) > lstar) {
			return false, 0, 0
		}
		return true, p, l
	}
	ll = start.logL
	for range s.cfg.Slices {
		a, b := otherPair(r, len(live), si)
		for i := range d {
			d[i] = live[a].z[i] - live[b].z[i]
		}
		logy := lp - r.ExpFloat64()
		u := r.Float64()
		lo, hi := -u, 1-u
		for k := 0; k < 100; k++ {
			if in, _, _ := at(lo, logy); !in {
				break
			}
			lo--
		}
		for k := 0; k < 100; k++ {
			if in, _, _ := at(hi, logy); !in {
				break
			}
			hi++
		}
		for k := 0; ; k++ {
			t := lo + r.Float64()*(hi-lo)
			if in, p, l := at(t, logy); in {
				for i := range x {
					x[i] += t * d[i]
				}
				lp, ll = p, l
				break
			}
			if t < 0 {
				lo = t
			} else {
				hi = t
			}
			if k == 200 {
				return point{}, evals, errors.New("nested: slice sampling shrank to nothing (the prior or likelihood is not continuous where the points are)")
			}
		}
	}
	return point{x, ll, lp}, evals, nil
}

// otherPair draws two distinct indices in [0, n), both other than si when
// n allows it (n ≥ 3).
func otherPair(r *rand.Rand, n, si int) (a, b int) {
	if n < 3 {
		return 0, n - 1
	}
	skip := func(i, past int) int {
		if i >= past {
			i++
		}
		return i
	}
	a = skip(r.IntN(n-1), si)
	lo, hi := min(a, si), max(a, si)
	b = skip(skip(r.IntN(n-2), lo), hi)
	return a, b
}

package ppl

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
)

// Model is a generative model stated with the primitives of a Ctx. A
// model that NewPosterior shares between goroutines (chains, Clone) must
// be safe to call concurrently: it should write nothing but its Ctx.
type Model func(c *Ctx)

// Kind is what a site is.
type Kind int

const (
	SampleSite Kind = iota
	ParamSite
	FactorSite
	DeterministicSite
)

// Site is one primitive's message: the handlers read and change it.
type Site struct {
	Name     string
	Kind     Kind
	Dist     Dist      // sample sites
	Value    []ad.Var  // nil until a handler or the default behaviour sets it
	Observed bool      // the value is data (Condition, or Obs)
	Scale    float64   // multiplies the site's log density (Scale, Plate)
	Masked   bool      // the site's log density is left out (Mask)
	Infer    InferOpts // options for the algorithms
	Plates   []PlateFrame
	LogProb  ad.Var // the unscaled log density of a sample site's value, or a factor
	// Param sites: the initial value and its constraint.
	Init       []float64
	Constraint Constraint
	// Size is a sample site's number of values: its plates' product times
	// the event size, or the distribution's own batch.
	Size int
	stop bool
	rng  *rand.Rand // from Seed
}

// InferOpts are a site's options for inference, as NumPyro's infer dict.
type InferOpts struct {
	// Enumerate sums a discrete site out exactly ("parallel" in NumPyro);
	// the site's distribution must be Enumerable.
	Enumerate bool
	// Branch marks a discrete site whose value selects a model structure,
	// for Divide-Conquer-Combine.
	Branch bool
}

// PlateFrame is a conditionally independent batch of the given size.
type PlateFrame struct {
	Name string
	Size int
}

// Handler is an effect handler: Process sees a site before its value is
// fixed (innermost handler first), PostProcess after (outermost first).
type Handler interface {
	Process(c *Ctx, s *Site)
	PostProcess(c *Ctx, s *Site)
}

// Ctx runs a model: the tape its values live on, the handlers in force,
// the plates it is inside and the first error.
type Ctx struct {
	T      *ad.Tape
	stack  []Handler
	plates []PlateFrame
	err    error
}

// Run runs m on tape t (a new tape if nil) and returns the first error a
// primitive met.
func Run(m Model, t *ad.Tape) error {
	if t == nil {
		t = ad.NewTape()
	}
	c := &Ctx{T: t}
	m(c)
	return c.err
}

// With wraps m in handlers, hs[0] outermost: With(m, tr, Seed(1)) seeds
// the model and traces the seeded sites.
func With(m Model, hs ...Handler) Model {
	return func(c *Ctx) {
		n := len(c.stack)
		c.stack = append(c.stack, hs...)
		defer func() { c.stack = c.stack[:n] }()
		m(c)
	}
}

// Err is the first error met so far; primitives after an error return
// values of the right size and do nothing else.
func (c *Ctx) Err() error { return c.err }

// Fail records err (the first one counts) for Run to return.
func (c *Ctx) Fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// Obs observes a sample site's value, NumPyro's obs=.
func Obs(x []ad.Var) SiteOption {
	return func(s *Site) { s.Value, s.Observed = x, true }
}

// Enumerate marks a discrete site to be summed out.
func Enumerate() SiteOption { return func(s *Site) { s.Infer.Enumerate = true } }

// Branch marks a discrete site that selects a model structure (DCC).
func Branch() SiteOption { return func(s *Site) { s.Infer.Branch = true } }

// SiteOption sets a site's observation or inference options.
type SiteOption func(*Site)

// Sample is a random variable named name with distribution d; it returns
// the site's value. Inside plates of total size n the value has n draws.
func (c *Ctx) Sample(name string, d Dist, opts ...SiteOption) []ad.Var {
	s := &Site{Name: name, Kind: SampleSite, Dist: d, Scale: 1, Plates: append([]PlateFrame(nil), c.plates...)}
	for _, o := range opts {
		o(s)
	}
	s.Size = d.Batch() * d.Event()
	p := plateSize(c.plates)
	if s.Observed && p == 1 && d.Batch() == 1 {
		s.Size = len(s.Value) // data broadcast against scalar arguments
	}
	if p > 1 {
		if d.Batch() != 1 && d.Batch() != p {
			c.Fail(fmt.Errorf("site %q: its distribution has %d draws, but its plates %d", name, d.Batch(), p))
		}
		s.Size = p * d.Event()
	}
	c.apply(s)
	return s.Value
}

// Param is a learnable parameter with an initial value and a
// constraint; outside SVI its value is the initial one.
func (c *Ctx) Param(name string, init []float64, cons Constraint) []ad.Var {
	s := &Site{Name: name, Kind: ParamSite, Init: init, Constraint: cons, Scale: 1, Size: len(init)}
	c.apply(s)
	return s.Value
}

// Factor adds lp to the log density, as Stan's target +=.
func (c *Ctx) Factor(name string, lp ad.Var) {
	s := &Site{Name: name, Kind: FactorSite, Value: []ad.Var{lp}, LogProb: lp, Scale: 1, Size: 1}
	c.apply(s)
}

// Deterministic records a function of other sites under a name, for the
// output; it returns x.
func (c *Ctx) Deterministic(name string, x []ad.Var) []ad.Var {
	s := &Site{Name: name, Kind: DeterministicSite, Value: x, Scale: 1, Size: len(x)}
	c.apply(s)
	return s.Value
}

// Plate runs body with the sample sites inside it batched over size
// conditionally independent draws.
func (c *Ctx) Plate(name string, size int, body func()) {
	if size < 1 {
		c.Fail(fmt.Errorf("plate %q has size %d, but must be at least 1", name, size))
		return
	}
	c.plates = append(c.plates, PlateFrame{name, size})
	defer func() { c.plates = c.plates[:len(c.plates)-1] }()
	body()
}

func plateSize(ps []PlateFrame) int {
	n := 1
	for _, p := range ps {
		n *= p.Size
	}
	return n
}

// errNoValue is the default behaviour's failure without a random source.
var errNoValue = errors.New("has no value: run the model under Seed, Substitute or Condition")

// apply passes s through the handlers (innermost first, until one stops
// it), gives it a value if none did, computes its log density, and passes
// it back through the same handlers, outermost first.
func (c *Ctx) apply(s *Site) {
	k := len(c.stack)
	for k > 0 && !s.stop {
		k--
		c.stack[k].Process(c, s)
	}
	c.defaults(s)
	for _, h := range c.stack[k:] {
		h.PostProcess(c, s)
	}
}

// defaults sets what no handler set: a sample site's draw from the
// random source, a param's initial value, the log density.
func (c *Ctx) defaults(s *Site) {
	switch s.Kind {
	case SampleSite:
		if s.Value == nil {
			s.Value = make([]ad.Var, s.Size)
			switch {
			case c.err != nil:
			case s.rng == nil:
				c.Fail(fmt.Errorf("site %q %w", s.Name, errNoValue))
			default:
				x, err := s.Dist.Sample(s.rng, s.Size)
				if err != nil {
					c.Fail(fmt.Errorf("site %q: %w", s.Name, err))
					break
				}
				for i, v := range x {
					s.Value[i] = ad.Const(v)
				}
			}
		}
		if len(s.Value) != s.Size {
			c.Fail(fmt.Errorf("site %q has %d values, but its distribution and plates need %d", s.Name, len(s.Value), s.Size))
			return
		}
		if c.err == nil {
			lp, err := s.Dist.LogProb(c.T, s.Value)
			if err != nil {
				c.Fail(fmt.Errorf("site %q: %w", s.Name, err))
			}
			s.LogProb = lp
		}
	case ParamSite:
		if s.Value == nil {
			s.Value = Consts(s.Init...)
		}
	}
}

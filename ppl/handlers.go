package ppl

import (
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
)

// base is a handler that does nothing; the others embed it.
type base struct{}

func (base) Process(*Ctx, *Site)     {}
func (base) PostProcess(*Ctx, *Site) {}

// Trace records every site that reaches it, in program order.
type Trace struct {
	base
	Sites []*Site
}

// PostProcess records the finished site.
func (t *Trace) PostProcess(_ *Ctx, s *Site) { t.Sites = append(t.Sites, s) }

// Site is the recorded site named name, or nil.
func (t *Trace) Site(name string) *Site {
	for _, s := range t.Sites {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// LogJoint is the sum of the recorded sample sites' and factors' log
// densities, each times its scale, masked sites left out.
func (t *Trace) LogJoint(tape *ad.Tape) ad.Var {
	terms := make([]ad.Var, 0, len(t.Sites))
	for _, s := range t.Sites {
		if s.Masked || (s.Kind != SampleSite && s.Kind != FactorSite) {
			continue
		}
		lp := s.LogProb
		if s.Scale != 1 {
			lp = tape.Mul(lp, ad.Const(s.Scale))
		}
		terms = append(terms, lp)
	}
	return tape.Sum(terms)
}

// seed gives the model a random source for its unobserved sample sites.
type seed struct {
	base
	rng *rand.Rand
}

// Seed draws the values of sample sites that nothing else sets from a
// source seeded by s.
func Seed(s uint64) Handler { return &seed{rng: rand.New(rand.NewPCG(s, 0x9e3779b97f4a7c15))} }

// SeedRand is Seed with a given source.
func SeedRand(r *rand.Rand) Handler { return &seed{rng: r} }

// Process gives the site this source unless a handler inside did.
func (h *seed) Process(_ *Ctx, s *Site) {
	if s.rng == nil {
		s.rng = h.rng
	}
}

// substitute sets sample and param sites' values without observing them.
type substitute struct {
	base
	values  map[string][]float64
	observe bool
}

// Substitute gives the named sample and param sites these values; they
// stay latent (NumPyro's substitute).
func Substitute(values map[string][]float64) Handler { return &substitute{values: values} }

// Condition gives the named sample sites these values as observations
// (NumPyro's condition).
func Condition(values map[string][]float64) Handler {
	return &substitute{values: values, observe: true}
}

func (h *substitute) Process(_ *Ctx, s *Site) {
	if s.Kind != SampleSite && (h.observe || s.Kind != ParamSite) {
		return
	}
	if v, ok := h.values[s.Name]; ok && s.Value == nil {
		s.Value = Consts(v...)
		s.Observed = s.Observed || h.observe
	}
}

// block hides sites from the handlers outside it.
type block struct {
	base
	hide func(*Site) bool
}

// Block hides the sites for which hide is true (every site when hide is
// nil) from the handlers outside it.
func Block(hide func(*Site) bool) Handler { return &block{hide: hide} }

func (h *block) Process(_ *Ctx, s *Site) {
	if h.hide == nil || h.hide(s) {
		s.stop = true
	}
}

// scale multiplies log densities.
type scale struct {
	base
	by float64
}

// Scale multiplies the log density of every site inside it by s, as
// subsampling or tempering needs.
func Scale(s float64) Handler { return &scale{by: s} }

func (h *scale) Process(_ *Ctx, s *Site) { s.Scale *= h.by }

// mask drops log densities.
type mask struct {
	base
	keep bool
}

// Mask leaves out the log density of every site inside it unless keep.
func Mask(keep bool) Handler { return &mask{keep: keep} }

func (h *mask) Process(_ *Ctx, s *Site) { s.Masked = s.Masked || !h.keep }

package ppl

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/model"
)

// Posterior is a Model seen as a model.Model: a density over its
// continuous latent sample sites on the unconstrained scale, each site
// mapped by its distribution's support as Stan maps a constrained
// parameter, with discrete sites marked Enumerate summed out. Param sites
// keep their initial values. A Posterior serves one goroutine; Clone
// gives another its own.
type Posterior struct {
	m       Model
	latents []latent
	enums   []enumSite
	outs    []outSite
	dim     int
	names   []string

	t      *ad.Tape
	leaves []ad.Var
}

// latent is a continuous latent site's place in the unconstrained vector.
type latent struct {
	name      string
	size      int // constrained values
	event     int
	off, free int
}

// enumSite is a discrete site summed out, with its finite support.
type enumSite struct {
	name   string
	values []float64
}

// outSite is a deterministic site written with the draws.
type outSite struct {
	name string
	size int
}

// NewPosterior traces m once, its sites drawn from the prior with seed,
// to find its latent sites, their sizes and supports.
func NewPosterior(m Model, seed uint64) (*Posterior, error) {
	tr := &Trace{}
	if err := Run(With(m, tr, Seed(seed)), nil); err != nil {
		return nil, err
	}
	p := &Posterior{m: m}
	for _, s := range tr.Sites {
		switch {
		case s.Kind == DeterministicSite:
			p.outs = append(p.outs, outSite{s.Name, s.Size})
		case s.Kind != SampleSite || s.Observed:
		case s.Dist.Discrete():
			e, ok := s.Dist.(Enumerable)
			if !s.Infer.Enumerate || !ok || e.Values() == nil || s.Size != 1 {
				return nil, fmt.Errorf("site %q is a discrete latent variable: mark it Enumerate() (one draw of a finite support) so that it is summed out", s.Name)
			}
			p.enums = append(p.enums, enumSite{s.Name, e.Values()})
		default:
			ev := s.Dist.Event()
			free := s.Dist.Support().free(s.Size, ev)
			p.latents = append(p.latents, latent{s.Name, s.Size, ev, p.dim, free})
			p.dim += free
		}
	}
	seen := map[string]bool{}
	for _, s := range tr.Sites {
		if seen[s.Name] {
			return nil, fmt.Errorf("two sites are named %q", s.Name)
		}
		seen[s.Name] = true
	}
	for _, l := range p.latents {
		p.names = append(p.names, columnNames(l.name, l.size)...)
	}
	for _, e := range p.enums {
		p.names = append(p.names, e.name)
	}
	for _, o := range p.outs {
		p.names = append(p.names, columnNames(o.name, o.size)...)
	}
	p.t = ad.NewTape()
	p.leaves = make([]ad.Var, p.dim)
	return p, nil
}

// columnNames are Stan's names for a flat site: "x" or "x[1]", "x[2]"...
func columnNames(name string, n int) []string {
	if n == 1 {
		return []string{name}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = name + "[" + strconv.Itoa(i+1) + "]"
	}
	return out
}

// Dim is the unconstrained dimension.
func (p *Posterior) Dim() int { return p.dim }

// Names are the latent sites' columns, then the enumerated sites' and the
// deterministic sites'.
func (p *Posterior) Names() []string { return p.names }

// Clone returns another evaluator of the same model.
func (p *Posterior) Clone() model.Model {
	c := *p
	c.t = ad.NewTape()
	c.leaves = make([]ad.Var, p.dim)
	return &c
}

// latentHandler puts the constrained latent values into their sites and
// fixes the enumerated sites' values.
type latentHandler struct {
	base
	p      *Posterior
	leaves []ad.Var
	lj     *ad.Var
	enum   []float64 // the enumerated sites' values in this run
	err    error
}

func (h *latentHandler) Process(c *Ctx, s *Site) {
	if s.Kind != SampleSite || s.Observed || s.Value != nil {
		return
	}
	for _, l := range h.p.latents {
		if l.name != s.Name {
			continue
		}
		if s.Size != l.size {
			c.Fail(fmt.Errorf("site %q has %d values in this run, but %d when the model was traced", s.Name, s.Size, l.size))
			return
		}
		s.Value = make([]ad.Var, l.size)
		if err := s.Dist.Support().constrain(c.T, h.leaves[l.off:l.off+l.free], s.Value, l.event, h.lj); err != nil {
			c.Fail(fmt.Errorf("site %q: %w", s.Name, err))
		}
		return
	}
	for i, e := range h.p.enums {
		if e.name == s.Name {
			s.Value = []ad.Var{ad.Const(h.enum[i])}
			return
		}
	}
	c.Fail(fmt.Errorf("site %q appeared that was not there when the model was traced", s.Name))
}

// joint runs the model once with the enumerated sites at enum and returns
// the trace and its log joint plus the log-Jacobian.
func (p *Posterior) joint(enum []float64, jacobian bool) (*Trace, ad.Var, error) {
	var lj ad.Var
	h := &latentHandler{p: p, leaves: p.leaves, enum: enum}
	if jacobian {
		h.lj = &lj
	}
	tr := &Trace{}
	if err := Run(With(p.m, tr, h), p.t); err != nil {
		return nil, ad.Var{}, err
	}
	return tr, p.t.Add(tr.LogJoint(p.t), lj), nil
}

// combos calls f with every combination of the enumerated sites' values.
func (p *Posterior) combos(f func(enum []float64) error) error {
	idx := make([]int, len(p.enums))
	enum := make([]float64, len(p.enums))
	for {
		for i, e := range p.enums {
			enum[i] = e.values[idx[i]]
		}
		if err := f(enum); err != nil {
			return err
		}
		k := 0
		for ; k < len(idx); k++ {
			idx[k]++
			if idx[k] < len(p.enums[k].values) {
				break
			}
			idx[k] = 0
		}
		if k == len(idx) {
			return nil
		}
	}
}

// LogDensity is the log joint of the model's sites at theta, with every
// normalising constant, plus the log-Jacobian; enumerated sites are summed
// out by log-sum-exp over their joint values.
func (p *Posterior) LogDensity(theta, grad []float64) (float64, error) {
	if len(theta) != p.dim {
		return 0, fmt.Errorf("the point has %d values, but the model has %d unconstrained parameters", len(theta), p.dim)
	}
	t := p.t
	t.Reset()
	for i, v := range theta {
		p.leaves[i] = t.Var(v)
	}
	var terms []ad.Var
	err := p.combos(func(enum []float64) error {
		_, lp, err := p.joint(enum, true)
		terms = append(terms, lp)
		return err
	})
	if err != nil {
		return 0, err
	}
	total := terms[0]
	if len(terms) > 1 {
		total = t.LogSumExp(terms)
	}
	if math.IsNaN(total.Val) {
		return 0, errors.New("the log density is NaN")
	}
	if grad != nil {
		t.Grad(total)
		for i, x := range p.leaves {
			grad[i] = t.Adjoint(x)
		}
	}
	return total.Val, nil
}

// Write maps theta to the latent sites' constrained values, the
// enumerated sites' values drawn from their conditional posterior given
// theta, and the deterministic sites' values.
func (p *Posterior) Write(theta []float64, rng *rand.Rand, out []float64) error {
	t := p.t
	t.Reset()
	for i, v := range theta {
		p.leaves[i] = ad.Const(v)
	}
	// Draw the enumerated values by their joint weights, then run once
	// more at the draw for the outputs.
	var enum []float64
	if len(p.enums) > 0 {
		var combos [][]float64
		var lps []float64
		err := p.combos(func(e []float64) error {
			_, lp, err := p.joint(e, false)
			combos = append(combos, append([]float64(nil), e...))
			lps = append(lps, lp.Val)
			return err
		})
		if err != nil {
			fillNaN(out)
			return err
		}
		enum = combos[drawLogWeights(rng, lps)]
	}
	tr, _, err := p.joint(enum, false)
	if err != nil {
		fillNaN(out)
		return err
	}
	k := 0
	for _, l := range p.latents {
		for _, v := range tr.Site(l.name).Value {
			out[k] = v.Val
			k++
		}
	}
	for i := range p.enums {
		out[k] = enum[i]
		k++
	}
	for _, o := range p.outs {
		for _, v := range tr.Site(o.name).Value {
			out[k] = v.Val
			k++
		}
	}
	return nil
}

// drawLogWeights draws an index with probability proportional to
// exp(lw[i]).
func drawLogWeights(rng *rand.Rand, lw []float64) int {
	m := math.Inf(-1)
	for _, v := range lw {
		m = max(m, v)
	}
	total := 0.0
	for _, v := range lw {
		total += math.Exp(v - m)
	}
	u := rng.Float64() * total
	for i, v := range lw {
		u -= math.Exp(v - m)
		if u <= 0 {
			return i
		}
	}
	return len(lw) - 1
}

func fillNaN(out []float64) {
	for i := range out {
		out[i] = math.NaN()
	}
}

// Unconstrain maps constrained latent values, by site name, to a point of
// the unconstrained space (for initial values); sites left out are drawn
// from their priors with seed.
func (p *Posterior) Unconstrain(values map[string][]float64, seed uint64) ([]float64, error) {
	tr := &Trace{}
	if err := Run(With(p.m, tr, Substitute(values), Seed(seed)), nil); err != nil {
		return nil, err
	}
	z := make([]float64, p.dim)
	for _, l := range p.latents {
		s := tr.Site(l.name)
		x := make([]float64, len(s.Value))
		for i, v := range s.Value {
			x[i] = v.Val
		}
		if err := s.Dist.Support().unconstrain(x, l.event, z[l.off:l.off+l.free]); err != nil {
			return nil, fmt.Errorf("site %q: %w", l.name, err)
		}
	}
	return z, nil
}

var _ model.Model = (*Posterior)(nil)

// Program is a model whose data come later, as NumPyro's model(data)
// takes its data as arguments: Bind gives the model for one data set.
type Program func(data model.Data) Model

// Bind returns the Posterior of the model with data, traced with seed.
func (p Program) Bind(data model.Data, seed uint64) (model.Model, error) {
	return NewPosterior(p(data), seed)
}

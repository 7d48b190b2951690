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
	local   *localEnum
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

// localEnum is a discrete site enumerated inside a plate: one value per
// element of its innermost plate, each summed out on its own (NumPyro's
// parallel enumeration of a local site). The model runs once per value of
// the support with every element at that value; the plate's observed
// sites then give one term per element and value.
type localEnum struct {
	name   string
	values []float64
	plate  string
	size   int
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
			if !s.Infer.Enumerate || !ok || e.Values() == nil {
				return nil, fmt.Errorf("site %q is a discrete latent variable: mark it Enumerate() (a finite support) so that it is summed out", s.Name)
			}
			if s.Size == 1 {
				p.enums = append(p.enums, enumSite{s.Name, e.Values()})
				break
			}
			if err := p.addLocal(s, e.Values()); err != nil {
				return nil, err
			}
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
	if p.local != nil {
		p.names = append(p.names, columnNames(p.local.name, p.local.size)...)
	}
	for _, o := range p.outs {
		p.names = append(p.names, columnNames(o.name, o.size)...)
	}
	p.t = ad.NewTape()
	p.leaves = make([]ad.Var, p.dim)
	return p, nil
}

// addLocal records s, an enumerated site of more than one value: it must
// hold one value per element of its innermost plate, and be the only one.
func (p *Posterior) addLocal(s *Site, values []float64) error {
	if p.local != nil {
		return fmt.Errorf("sites %q and %q are both enumerated inside plates: one such site is supported", p.local.name, s.Name)
	}
	if len(s.Plates) == 0 || s.Plates[len(s.Plates)-1].Size != s.Size {
		return fmt.Errorf("site %q has %d values: an enumerated site holds one value, or one per element of its innermost plate", s.Name, s.Size)
	}
	if _, ok := s.Dist.(elementwise); !ok {
		return fmt.Errorf("site %q: its distribution cannot be enumerated inside a plate", s.Name)
	}
	p.local = &localEnum{s.Name, values, s.Plates[len(s.Plates)-1].Name, s.Size}
	return nil
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
	local  []float64 // the plate-enumerated site's values in this run
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
	if l := h.p.local; l != nil && l.name == s.Name {
		if s.Size != l.size {
			c.Fail(fmt.Errorf("site %q has %d values in this run, but %d when the model was traced", s.Name, s.Size, l.size))
			return
		}
		s.Value = make([]ad.Var, l.size)
		for i, v := range h.local {
			s.Value[i] = ad.Const(v)
		}
		return
	}
	c.Fail(fmt.Errorf("site %q appeared that was not there when the model was traced", s.Name))
}

// split runs the model once, the enumerated sites at enum and the
// plate-enumerated site (if any) at local, and splits its log density: the
// prior of the continuous latent sites plus the log-Jacobian when asked,
// the rest of the likelihood, and one term per element of the
// plate-enumerated site's plate (the site's own and its plate's observed
// sites'). prior + lik + Σ elems is the log joint.
func (p *Posterior) split(enum, local []float64, jacobian bool) (tr *Trace, prior, lik ad.Var, elems []ad.Var, err error) {
	t := p.t
	var lj ad.Var
	h := &latentHandler{p: p, leaves: p.leaves, enum: enum, local: local}
	if jacobian {
		h.lj = &lj
	}
	tr = &Trace{}
	if err := Run(With(p.m, tr, h), t); err != nil {
		return nil, ad.Var{}, ad.Var{}, nil, err
	}
	priors, liks := []ad.Var{lj}, []ad.Var(nil)
	if p.local != nil {
		elems = make([]ad.Var, p.local.size)
	}
	for _, s := range tr.Sites {
		if s.Masked || (s.Kind != SampleSite && s.Kind != FactorSite) {
			continue
		}
		if p.local != nil && s.Kind == SampleSite && (s.Name == p.local.name || s.Observed) && inPlate(s, p.local.plate) {
			if err := p.addElems(t, s, elems); err != nil {
				return nil, ad.Var{}, ad.Var{}, nil, err
			}
			continue
		}
		lp := s.LogProb
		if s.Scale != 1 {
			lp = t.Mul(lp, ad.Const(s.Scale))
		}
		if s.Kind == SampleSite && !s.Observed && !s.Dist.Discrete() {
			priors = append(priors, lp)
		} else {
			liks = append(liks, lp)
		}
	}
	return tr, t.Sum(priors), t.Sum(liks), elems, nil
}

// inPlate reports whether s lies inside the plate named plate.
func inPlate(s *Site, plate string) bool {
	for _, f := range s.Plates {
		if f.Name == plate {
			return true
		}
	}
	return false
}

// addElems adds a site of the enumerated plate to the per-element terms.
func (p *Posterior) addElems(t *ad.Tape, s *Site, elems []ad.Var) error {
	e, ok := s.Dist.(elementwise)
	if !ok || s.Size != len(elems) {
		return fmt.Errorf("site %q is inside plate %q with the enumerated site %q, but does not give one log density per element", s.Name, p.local.plate, p.local.name)
	}
	lps, err := e.logProbs(t, s.Value)
	if err != nil {
		return fmt.Errorf("site %q: %w", s.Name, err)
	}
	for i, lp := range lps {
		if s.Scale != 1 {
			lp = t.Mul(lp, ad.Const(s.Scale))
		}
		elems[i] = t.Add(elems[i], lp)
	}
	return nil
}

// terms is the model's log density split as split does, with the
// plate-enumerated site summed out: elemTerms[i][k] is element i's term
// with the site at its k-th value.
func (p *Posterior) terms(enum []float64, jacobian bool) (prior, lik ad.Var, elemTerms [][]ad.Var, err error) {
	if p.local == nil {
		_, prior, lik, _, err = p.split(enum, nil, jacobian)
		return prior, lik, nil, err
	}
	local := make([]float64, p.local.size)
	elemTerms = make([][]ad.Var, p.local.size)
	for k, v := range p.local.values {
		for i := range local {
			local[i] = v
		}
		_, pr, lk, elems, err := p.split(enum, local, jacobian)
		if err != nil {
			return ad.Var{}, ad.Var{}, nil, err
		}
		if k == 0 {
			prior, lik = pr, lk
		} else if pr.Val != prior.Val || lk.Val != lik.Val {
			return ad.Var{}, ad.Var{}, nil, fmt.Errorf("a site outside plate %q depends on the site %q enumerated inside it", p.local.plate, p.local.name)
		}
		for i, e := range elems {
			elemTerms[i] = append(elemTerms[i], e)
		}
	}
	return prior, lik, elemTerms, nil
}

// joint is the log joint with the global enumerated sites at enum and the
// plate-enumerated site summed out element by element.
func (p *Posterior) joint(enum []float64, jacobian bool) (ad.Var, error) {
	prior, lik, elemTerms, err := p.terms(enum, jacobian)
	if err != nil {
		return ad.Var{}, err
	}
	return p.t.Add(p.t.Add(prior, lik), p.sumOut(elemTerms)), nil
}

// sumOut is Σ_i log Σ_k exp(elemTerms[i][k]).
func (p *Posterior) sumOut(elemTerms [][]ad.Var) ad.Var {
	if elemTerms == nil {
		return ad.Var{}
	}
	sums := make([]ad.Var, len(elemTerms))
	for i, ts := range elemTerms {
		sums[i] = p.t.LogSumExp(ts)
	}
	return p.t.Sum(sums)
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
		lp, err := p.joint(enum, true)
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
			lp, err := p.joint(e, false)
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
	// Given those, each element of the plate-enumerated site is drawn by
	// its own terms.
	var local []float64
	if p.local != nil {
		_, _, elemTerms, err := p.terms(enum, false)
		if err != nil {
			fillNaN(out)
			return err
		}
		local = make([]float64, p.local.size)
		lw := make([]float64, len(p.local.values))
		for i, ts := range elemTerms {
			for k, v := range ts {
				lw[k] = v.Val
			}
			local[i] = p.local.values[drawLogWeights(rng, lw)]
		}
	}
	tr, _, _, _, err := p.split(enum, local, false)
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
	for _, v := range local {
		out[k] = v
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
// takes its data as arguments: NewModel gives the model for one data set.
type Program func(data model.Data) Model

// NewModel returns the Posterior of the model with data, traced with
// seed, as compile.Program's NewModel binds a Stan program's data.
func (p Program) NewModel(data model.Data, seed uint64) (*Posterior, error) {
	return NewPosterior(p(data), seed)
}

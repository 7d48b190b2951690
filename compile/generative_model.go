package compile

// The generative view on the Model's side: contrib/nested's Problem (see
// generative.go).

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gostan/gostan/ad"
)

// ---- the Model's side: nested.Problem ----

// generativeView is the program's generative view, or why it has none.
func (p *Program) generativeView() (*generative, error) {
	switch {
	case p.gen == nil:
		return nil, errors.New("the program did not compile, so it has no priors")
	case p.gen.err != nil:
		return nil, p.gen.err
	}
	return p.gen, nil
}

// CheckPriors says whether the program has a generative view: an error
// naming each parameter without a proper prior, and the line, or one
// from drawing the prior once and evaluating the draw.
func (m *Model) CheckPriors() error {
	if _, err := m.p.generativeView(); err != nil {
		return err
	}
	z := make([]float64, m.dim)
	if err := m.DrawPrior(rand.New(rand.NewPCG(m.seed, 0x9e1)), z); err != nil {
		return fmt.Errorf("drawing from the prior: %w", err)
	}
	lp, _, err := m.PriorLikelihood(z)
	if err != nil {
		return fmt.Errorf("evaluating a draw from the prior: %w", err)
	}
	if math.IsNaN(lp) || math.IsInf(lp, 0) {
		return fmt.Errorf("the prior's log density at a draw from it is %v", lp)
	}
	return nil
}

// DrawPrior draws the parameters from their priors, in the order the
// analysis found, and writes them unconstrained into z.
func (m *Model) DrawPrior(rng *rand.Rand, z []float64) error {
	return m.walkPrior(rng, z, 0)
}

// initMean is env.init's value for InitPrior's means.
const initMean = -1

// InitPrior writes into z, unconstrained, a starting point found site by
// site in the order DrawPrior draws, as NumPyro's init_to_median and
// init_to_mean find theirs: each prior site takes the coordinatewise
// median of samples draws given the sites before it (samples > 0), or
// its family's mean (samples == 0), or the median of 15 draws where the
// mean does not exist or leaves the bounds. The correlation and
// covariance matrix families always take their means, whose
// coordinatewise medians are not such matrices; a Dirichlet's medians are
// renormalised onto the simplex.
func (m *Model) InitPrior(rng *rand.Rand, z []float64, samples int) error {
	if samples < 0 {
		return fmt.Errorf("init from the prior: %d samples", samples)
	}
	if samples == 0 {
		samples = initMean
	}
	return m.walkPrior(rng, z, samples)
}

// walkPrior runs the prior sites with env.init set to init.
func (m *Model) walkPrior(rng *rand.Rand, z []float64, init int) (err error) {
	g, err := m.p.generativeView()
	if err != nil {
		return err
	}
	if len(z) != m.dim {
		return fmt.Errorf("the point has %d values, but the model has %d unconstrained parameters", len(z), m.dim)
	}
	e := m.e
	saved := e.rng
	e.rng, e.init = rng, init
	defer func() { e.rng, e.init = saved, 0 }()
	defer m.recover(&err)
	e.t.Reset()
	for _, l := range m.layouts {
		dst := l.p.get(e)
		shapeAs(dst, l.dims, l.p.v.Type)
		dst.fillNaN()
	}
	for _, gp := range g.order {
		l := m.layouts[gp.idx]
		dst := l.p.get(e)
		marks := gp.marks.of(e)
		*marks = slices.Grow((*marks)[:0], len(dst.R))[:len(dst.R)]
		clear(*marks)
		if gp.usesTP {
			m.tryTParams()
		}
		gp.draw(e)
		for o, done := range *marks {
			if !done {
				return fmt.Errorf("%s: %s is given no prior (the prior statements cover only part of '%s')",
					gp.sites[0].pos, elementName(l.p.name, l.dims, l.p.v.Type, o), l.p.name)
			}
		}
	}
	for _, l := range m.layouts {
		if err := l.unconstrain(e, z); err != nil {
			return err
		}
	}
	return nil
}

// tryTParams runs the transformed parameters on the parameters drawn so
// far, the rest NaN: the ones a prior reads depend only on drawn ones. An
// error of the others is no error of the draw.
func (m *Model) tryTParams() {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(*evalError); !ok {
				panic(r)
			}
			m.e.unwind()
		}
	}()
	if m.p.tparams != nil {
		m.p.tparams(m.e)
	}
}

// PriorLikelihood splits the log density at z, with every constant, into
// the prior's (its log-Jacobian included) and the likelihood's; their sum
// is LogDensity's value plus the constants Stan drops.
func (m *Model) PriorLikelihood(z []float64) (logPrior, logLik float64, err error) {
	g, err := m.p.generativeView()
	if err != nil {
		return 0, 0, err
	}
	if len(z) != m.dim {
		return 0, 0, fmt.Errorf("the point has %d values, but the model has %d unconstrained parameters", len(z), m.dim)
	}
	defer m.recover(&err)
	e := m.e
	e.t.Reset()
	e.target = e.target[:0]
	e.prior = e.prior[:0]
	e.nonFinite = nil
	for i, v := range z {
		m.leaves[i] = ad.Const(v)
	}
	lj := ad.Const(0)
	for _, l := range m.layouts {
		l.constrain(e, m.leaves, &lj)
	}
	e.jacobian = true
	if err := m.runTParams(); err != nil {
		return 0, 0, err
	}
	// What the transformed parameters add is the log Jacobian of the
	// program's own changes of variables (jacobian +=): the prior's.
	for _, v := range e.target {
		logPrior += v.Val
	}
	e.target = e.target[:0]
	g.model(e)
	logPrior += lj.Val
	for _, v := range e.prior {
		logPrior += v
	}
	for _, v := range e.target {
		logLik += v.Val
	}
	return logPrior, logLik, nil
}

package ppl

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/mathx"
)

// The generative view splits the posterior into the prior of the latent
// sites and the likelihood of everything else, as nested sampling needs.

// PriorLikelihood returns the log prior density of the latent sites at z
// (on the unconstrained scale: their log densities plus the log-Jacobian)
// and the log likelihood: the observed sites and factors, with the
// enumerated sites summed out. The two add up to LogDensity.
func (p *Posterior) PriorLikelihood(z []float64) (logPrior, logLik float64, err error) {
	if len(z) != p.dim {
		return 0, 0, fmt.Errorf("the point has %d values, but the model has %d unconstrained parameters", len(z), p.dim)
	}
	p.t.Reset()
	for i, v := range z {
		p.leaves[i] = ad.Const(v)
	}
	var liks []float64
	first := true
	err = p.combos(func(enum []float64) error {
		pr, lk, elemTerms, err := p.terms(enum, true)
		if err != nil {
			return err
		}
		prior, lik := pr.Val, lk.Val+p.sumOut(elemTerms).Val
		if first {
			logPrior, first = prior, false
		} else if prior != logPrior {
			return fmt.Errorf("the prior of the continuous sites depends on an enumerated site: nested sampling needs it not to")
		}
		liks = append(liks, lik)
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	logLik = liks[0]
	if len(liks) > 1 {
		logLik = mathx.LogSumExp(liks)
	}
	if math.IsNaN(logPrior) || math.IsNaN(logLik) {
		return 0, 0, fmt.Errorf("the log prior or likelihood is NaN")
	}
	return logPrior, logLik, nil
}

// DrawPrior draws z from the prior by running the model forward with rng
// and mapping the latent sites' values to the unconstrained scale.
func (p *Posterior) DrawPrior(rng *rand.Rand, z []float64) error {
	tr := &Trace{}
	// Observed sites keep their data; only the latent ones are drawn.
	if err := Run(With(p.m, tr, SeedRand(rng)), nil); err != nil {
		return err
	}
	for _, l := range p.latents {
		s := tr.Site(l.name)
		x := make([]float64, len(s.Value))
		for i, v := range s.Value {
			x[i] = v.Val
		}
		if err := s.Dist.Support().unconstrain(x, l.event, z[l.off:l.off+l.free]); err != nil {
			return fmt.Errorf("site %q: %w", l.name, err)
		}
	}
	return nil
}

package stein

import (
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/draws"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/svi"
	"github.com/gostan/gostan/model"
)

// Predictive are draws from a fitted Stein mixture pushed through the
// model: the parameters, transformed parameters and generated quantities
// of each draw.
type Predictive struct {
	Names []string
	Draws [][]float64
	// Particle is the mixture component (0-based) of each draw.
	Particle []int
	// Unconstrained are the draws on the unconstrained scale.
	Unconstrained [][]float64
	// LogP is each draw's log density under the model the draws were
	// pushed through (-Inf outside its support), on its unconstrained
	// scale: for a model seen through autoguide.Preconditioned, the
	// original's plus the constant log |det L|.
	LogP []float64
	// Messages are the errors of draws whose outputs failed (those
	// columns are NaN, as NUTS writes them).
	Messages []string

	fit *Result
}

// Set is the draws as gostan stein writes them: lp__ (LogP), particle__
// (the component, from 1) and the model's columns, with the fit's
// settings, and after the header the particles' weights and whether the
// fit was interrupted.
func (p *Predictive) Set() *draws.Set {
	rows := make([][]float64, len(p.Draws))
	for i, d := range p.Draws {
		rows[i] = append([]float64{p.LogP[i], float64(p.Particle[i] + 1)}, d...)
	}
	r, c := p.fit, p.fit.Config
	set := &draws.Set{
		Columns: append([]string{"lp__", "particle__"}, p.Names...),
		Chains:  [][][]float64{rows},
		Config: []string{
			"method = stein",
			"  stein",
			"    guide = " + r.Guide,
			"    kernel = " + kernelName(c.Kernel),
			fmt.Sprintf("    particles = %d", len(r.Particles)),
			fmt.Sprintf("    elbo_particles = %d", c.ELBOParticles),
			fmt.Sprintf("    loss_temperature = %g", c.LossTemperature),
			fmt.Sprintf("    repulsion_temperature = %g", c.RepulsionTemperature),
			fmt.Sprintf("    steps = %d", c.Steps),
			fmt.Sprintf("    warm_start = %d", c.WarmStart),
			fmt.Sprintf("    output_samples = %d", len(rows)),
		},
		Seed:     c.Seed,
		Comments: []string{fmt.Sprintf("Stein mixture of %d %s guides; particle weights:", len(r.Weights), r.Guide)},
	}
	for i, w := range r.Weights {
		set.Comments = append(set.Comments, fmt.Sprintf("particle %d weight = %g", i+1, w))
	}
	if r.Interrupted {
		set.Comments = append(set.Comments, fmt.Sprintf("Interrupted after %d of %d steps: the draws are the particles' at that point.", len(r.ELBO), c.Steps))
	}
	return set
}

// kernelName is gostan stein's name of a kernel (rbf for nil, the
// default).
func kernelName(k Kernel) string {
	switch k.(type) {
	case nil, *RBF:
		return "rbf"
	case *Linear:
		return "linear"
	case *RandomFeature:
		return "random"
	case *Mixture:
		return "mixture"
	case *Graphical:
		return "graphical"
	case *ProbabilityProduct:
		return "product"
	}
	return fmt.Sprintf("%T", k)
}

// MixtureGuidePredictive draws n times from the mixture of the particles'
// guides, each weighed by its weight, and writes each draw through the
// model's Write, as NumPyro's MixtureGuidePredictive runs the model on
// the guide's draws. The guides are Run's, set to r.Particles; a Result
// made by hand rebuilds autoguides (Guide "delta" or "normal").
func MixtureGuidePredictive(m model.Model, r *Result, n int, rng *rand.Rand) (*Predictive, error) {
	if len(r.Particles) == 0 {
		return nil, fmt.Errorf("stein: the result has no particles")
	}
	guides := make([]svi.Guide, len(r.Particles))
	cum := make([]float64, len(r.Particles))
	total := 0.0
	for i, p := range r.Particles {
		var q svi.Guide
		var err error
		if r.guides != nil {
			q = r.guides[i]
		} else if q, err = autoguide.NewAt(r.Guide, make([]float64, m.Dim()), rng); err != nil {
			return nil, err
		}
		if len(q.Params()) != len(p) {
			return nil, fmt.Errorf("stein: a particle has %d parameters, the %s guide of this model %d", len(p), r.Guide, len(q.Params()))
		}
		copy(q.Params(), p)
		guides[i] = q
		total += r.Weights[i]
		cum[i] = total
	}
	out := &Predictive{Names: m.Names(), fit: r}
	var failed model.Failures
	z := make([]float64, m.Dim())
	for range n {
		u := rng.Float64() * total
		k := 0
		for k < len(cum)-1 && cum[k] <= u {
			k++
		}
		guides[k].Sample(rng, z)
		row := make([]float64, len(out.Names))
		if err := m.Write(z, rng, row); err != nil {
			failed.Add(err)
		}
		out.Draws = append(out.Draws, row)
		out.Particle = append(out.Particle, k)
		out.Unconstrained = append(out.Unconstrained, append([]float64(nil), z...))
		out.LogP = append(out.LogP, svi.LogP(m.LogDensity, z))
	}
	out.Messages = failed.OutputsReport()
	return out, nil
}

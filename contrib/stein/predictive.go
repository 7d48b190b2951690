package stein

import (
	"fmt"
	"math/rand/v2"

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
	// Messages are the errors of draws whose outputs failed (those
	// columns are NaN, as NUTS writes them).
	Messages []string
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
	out := &Predictive{Names: m.Names()}
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
	}
	out.Messages = failed.OutputsReport()
	return out, nil
}

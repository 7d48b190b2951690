package main

import (
	"math/rand/v2"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/svi"
)

// sviSettings are the SVI options of the command line and of eval.
type sviSettings struct {
	Steps, Particles, Draws int
	LR                      float64
	Seed                    uint64
}

// defaultSVI are gostan's defaults: Adam(0.01), 10000 steps, one particle,
// 10000 draws.
func defaultSVI(seed uint64) sviSettings {
	return sviSettings{Steps: 10000, Particles: 1, Draws: 10000, LR: 0.01, Seed: seed}
}

// countingModel counts gradient evaluations.
type countingModel struct {
	*compile.Model
	n int
}

func (c *countingModel) LogDensity(z, g []float64) (float64, error) {
	c.n++
	return c.Model.LogDensity(z, g)
}

// fitAutoguide fits the named autoguide and returns draws of the model's
// output columns and the gradient evaluations.
func fitAutoguide(m *compile.Model, name string, set sviSettings) ([][]float64, int, error) {
	rng := rand.New(rand.NewPCG(set.Seed, 0x5f1))
	cm := &countingModel{Model: m}
	q, err := autoguide.New(name, cm, rng)
	if err != nil {
		return nil, cm.n, err
	}
	s := &svi.SVI{Model: cm, Guide: q, Opt: svi.NewAdam(set.LR), Particles: set.Particles, MaxRetries: 10}
	if err := s.Run(rng, set.Steps, nil); err != nil {
		return nil, cm.n, err
	}
	if l, ok := q.(*autoguide.Laplace); ok {
		if err := l.Finish(cm.LogDensity); err != nil {
			return nil, cm.n, err
		}
	}
	z := make([]float64, m.Dim())
	rows := make([][]float64, 0, set.Draws)
	for range set.Draws {
		q.Sample(rng, z)
		row := make([]float64, len(m.Names()))
		if err := m.Write(z, rng, row); err != nil {
			return nil, cm.n, err
		}
		rows = append(rows, row)
	}
	return rows, cm.n, nil
}

package svi

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/model"
)

// TraceELBO is NumPyro's Trace_ELBO: the ELBO and its gradient estimated
// from NumParticles reparameterised draws (1 when zero).
type TraceELBO struct{ NumParticles int }

// GuideMaker builds a guide for a model once its data are bound, as
// NumPyro builds an autoguide on its first use.
type GuideMaker interface {
	NewGuide(m model.Model, rng *rand.Rand) (Guide, error)
}

// Finisher is a guide with work to do after optimisation, such as the
// Laplace approximation's Hessian at the fitted mode.
type Finisher interface {
	Finish(lp func(z, grad []float64) (float64, error)) error
}

// Program is a model before its data: a compiled Stan program.
type Program interface {
	Bind(data model.Data, seed uint64) (model.Model, error)
}

// New returns SVI with an optimizer, a loss and a guide to be made at Fit,
// as NumPyro's SVI(model, guide, optim, loss).
func New(opt Optimizer, loss TraceELBO, guide GuideMaker) *SVI {
	return &SVI{Opt: opt, Particles: loss.NumParticles, MaxRetries: 10, maker: guide}
}

// Fit binds prog to data, makes the guide, takes steps optimisation steps
// and returns draws pushed through the model, as NumPyro's svi.run; the
// seed fixes every random choice.
func (s *SVI) Fit(seed uint64, prog Program, data model.Data, steps, draws int) (*Result, error) {
	if s.maker == nil {
		return nil, fmt.Errorf("svi: Fit needs an SVI made by New with a guide maker")
	}
	m, err := prog.Bind(data, seed)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x5f1))
	if s.Guide, err = s.maker.NewGuide(m, rng); err != nil {
		return nil, err
	}
	s.Model = m
	if err := s.Run(rng, steps, nil); err != nil {
		return nil, err
	}
	if f, ok := s.Guide.(Finisher); ok {
		if err := f.Finish(m.LogDensity); err != nil {
			return nil, err
		}
	}
	rows := s.Draws(rng, draws)
	return &Result{Names: m.Names(), Draws: rows, ELBO: s.History, Messages: s.Messages}, nil
}

// Draws samples the fitted guide n times and pushes each draw through
// the model's Write, so that transformed parameters and generated
// quantities come out with the parameters. A draw whose outputs fail
// keeps them NaN, as NUTS does, and its error goes to Messages.
func (s *SVI) Draws(rng *rand.Rand, n int) [][]float64 {
	z := make([]float64, s.Model.Dim())
	rows := make([][]float64, 0, n)
	var failed model.Failures
	for range n {
		s.Guide.Sample(rng, z)
		row := make([]float64, len(s.Model.Names()))
		if err := s.Model.Write(z, rng, row); err != nil {
			failed.Add(err)
		}
		rows = append(rows, row)
	}
	s.Messages = append(s.Messages, failed.OutputsReport()...)
	return rows
}

// Result is a fitted guide's draws of the model's columns and the ELBO
// history.
type Result struct {
	Names    []string
	Draws    [][]float64
	ELBO     []float64
	Messages []string // errors of draws whose outputs failed
}

// Summary writes the draws' summary table: mean, MCSE, sd, quantiles,
// effective sizes and R-hat, as Stan prints it.
func (r *Result) Summary(w io.Writer) error {
	return diag.WriteTable(w, diag.SummarizeDraws(r.Names, r.Draws))
}

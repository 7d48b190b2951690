package nested

import (
	"context"
	"fmt"
	"io"

	"github.com/gostan/gostan/model"
)

// Program is a model before its data: a compiled Stan program
// (compile.Program) or a Go model (ppl.Program), whose NewModel binds data
// and a seed.
type Program[M model.Model] interface {
	NewModel(data model.Data, seed uint64) (M, error)
}

// Sampler is NumPyro's NestedSampler: a model and settings; Run samples
// it with data, and the other methods read the run. A Sampler serves one
// goroutine.
type Sampler struct {
	bind func(data model.Data, seed uint64) (model.Model, error)
	cfg  Config
	res  *Result
}

// New returns a sampler of prog with the settings cfg (zero values take
// the defaults; see Config).
func New[M model.Model](prog Program[M], cfg Config) *Sampler {
	bind := func(data model.Data, seed uint64) (model.Model, error) {
		m, err := prog.NewModel(data, seed)
		if err != nil {
			return nil, err // not a model.Model holding a nil M
		}
		return m, nil
	}
	return &Sampler{bind: bind, cfg: cfg}
}

// Run binds the data and samples, every random choice fixed by seed.
func (s *Sampler) Run(seed uint64, data model.Data) error {
	return s.RunContext(context.Background(), seed, data)
}

// RunContext is Run that stops early when ctx is cancelled, keeping what
// it has (Result().Interrupted).
func (s *Sampler) RunContext(ctx context.Context, seed uint64, data model.Data) error {
	m, err := s.bind(data, seed)
	if err != nil {
		return err
	}
	p, ok := m.(Problem)
	if !ok {
		return fmt.Errorf("nested: the model has no prior to draw from (%T)", m)
	}
	cfg := s.cfg
	cfg.Seed = seed
	s.res, err = Run(ctx, p, cfg)
	return err
}

// Result is the last run's result, nil before Run.
func (s *Sampler) Result() *Result { return s.res }

// Samples draws n equally weighted rows of the model's columns.
func (s *Sampler) Samples(seed uint64, n int) [][]float64 { return s.res.Samples(seed, n) }

// WeightedSamples are every point's columns and normalised log weights.
func (s *Sampler) WeightedSamples() ([][]float64, []float64) { return s.res.WeightedSamples() }

// PrintSummary writes the posterior table and the evidence.
func (s *Sampler) PrintSummary(w io.Writer) { s.res.PrintSummary(w) }

// Diagnostics writes the run's plots as PNG files into dir.
func (s *Sampler) Diagnostics(dir string) error { return s.res.Diagnostics(dir) }

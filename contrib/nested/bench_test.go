package nested

import (
	"context"
	"slices"
	"testing"

	"github.com/gostan/gostan/ppl"
)

// BenchmarkConstrainedStep draws one point above a likelihood threshold
// (Slices slice-sampling steps) in the 5-D regression, from live points
// drawn from the prior, above their median likelihood.
func BenchmarkConstrainedStep(b *testing.B) {
	g := newRegression(10, 5, 0, 2)
	p, err := ppl.NewPosterior(g.model, 1)
	if err != nil {
		b.Fatal(err)
	}
	s := &run{cfg: Config{LivePoints: 200, Threads: 1, Seed: 1}.withDefaults(5), dim: 5, workers: []Problem{p}}
	if err := s.initial(); err != nil {
		b.Fatal(err)
	}
	// The threshold is the median: start from the upper half.
	slices.SortFunc(s.live, func(a, b point) int { return cmpFloat(a.logL, b.logL) })
	half := len(s.live) / 2
	lstar, upper := s.live[half-1].logL, s.live[half:]
	evals := 0
	for i := 0; b.Loop(); i++ {
		_, n, err := s.slice(p, s.rng(uint64(i)), i%len(upper), lstar, upper)
		if err != nil {
			b.Fatal(err)
		}
		evals += n
	}
	b.ReportMetric(float64(evals)/float64(b.N), "evals/op")
}

// BenchmarkRun5D is a whole run on the 5-D regression with 200 live points.
func BenchmarkRun5D(b *testing.B) {
	g := newRegression(10, 5, 0, 2)
	p, err := ppl.NewPosterior(g.model, 1)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := Run(context.Background(), p, Config{LivePoints: 200, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(r.LikelihoodEvals), "evals/op")
	}
}

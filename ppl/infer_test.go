package ppl

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/infer/svi"
)

// columnMeans averages the first two columns (mu, rate) of the draws.
func columnMeans(rows [][]float64) [2]float64 {
	var m [2]float64
	for _, r := range rows {
		m[0] += r[0] / float64(len(rows))
		m[1] += r[1] / float64(len(rows))
	}
	return m
}

func checkMeans(t *testing.T, what string, got, want, sd [2]float64, tol float64) {
	t.Helper()
	for i, name := range []string{"mu", "rate"} {
		if d := math.Abs(got[i] - want[i]); d > tol*sd[i] {
			t.Errorf("%s: mean of %s %.4f, exact %.4f (%.2f sd off)", what, name, got[i], want[i], d/sd[i])
		}
	}
}

// TestAlgorithmsOnGoModel runs NUTS, the optimizer, ADVI and SVI with
// every autoguide on one Go model, unchanged, and checks each against the
// closed-form posterior.
func TestAlgorithmsOnGoModel(t *testing.T) {
	c := newConjugate()
	p, err := NewPosterior(c.model, 1)
	if err != nil {
		t.Fatal(err)
	}
	want, sd := c.exact()

	cfg := nuts.DefaultConfig()
	cfg.Warmup, cfg.Samples, cfg.Seed = 500, 1000, 3
	fit, err := nuts.Run(context.Background(), p, nuts.Options{Config: cfg, Chains: 2, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	chains := fit.Chains
	checkMeans(t, "NUTS", columnMeans(append(chains[0].Draws, chains[1].Draws...)), want, sd, 0.2)

	// The mode of mu is its mean; the rate's mode on the log scale (the
	// Jacobian included) is exp(E[log]) ... its gamma's a/b, the mean.
	opt, err := optimize.Maximize(p.LogDensity, p.Dim(), optimize.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(p.Names()))
	p.Write(opt.X, nil, out)
	checkMeans(t, "L-BFGS", [2]float64{out[0], out[1]}, want, sd, 0.01)

	acfg := advi.DefaultConfig()
	acfg.Seed = 4
	res, err := advi.Run(p, acfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkMeans(t, "ADVI", columnMeans(res.Draws), want, sd, 0.3)

	for _, name := range []string{"normal", "diagonal", "mvn", "lowrank", "laplace", "delta", "iaf", "bnaf"} {
		rng := rand.New(rand.NewPCG(5, 6))
		g, err := autoguide.New(name, p, rng)
		if err != nil {
			t.Fatal(name, err)
		}
		s := &svi.SVI{Model: p, Guide: g, Opt: svi.NewAdam(0.05), Particles: 4, MaxRetries: 10,
			Schedule: svi.ExponentialDecay(0.05, 0.001, 3000)}
		if err := s.Run(rng, 3000, nil); err != nil {
			t.Fatal(name, err)
		}
		if f, ok := g.(svi.Finisher); ok {
			if err := f.Finish(p.LogDensity); err != nil {
				t.Fatal(name, err)
			}
		}
		checkMeans(t, "SVI "+name, columnMeans(s.Sample(rng, 2000).Draws), want, sd, 0.3)
	}
}

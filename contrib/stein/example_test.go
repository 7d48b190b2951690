package stein_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/contrib/stein"
	"github.com/gostan/gostan/model"
)

// SVGD (a mixture of point masses) on a normal mean, then draws from the
// fitted mixture pushed through the model: their Set is what gostan stein
// writes (stancsv.WriteSet), lp__ and particle__ before the model's
// columns; the posterior mean is 12.1 / 4.01.
func ExampleRun() {
	prog, err := compile.Source("mean.stan", []byte(`
data { int N; vector[N] y; }
parameters { real mu; }
model { mu ~ normal(0, 10); y ~ normal(mu, 1); }
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := prog.NewModel(model.Data{
		"N": {Elems: []float64{4}, Int: true},
		"y": {Dims: []int{4}, Elems: []float64{2.9, 3.4, 2.2, 3.6}},
	}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := stein.DefaultConfig()
	cfg.Guide, cfg.Seed = "delta", 1
	res, err := stein.Run(context.Background(), m, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	pred, err := stein.MixtureGuidePredictive(m, res, 1000, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	set := pred.Set()
	mu := set.Summary().Params[0]
	fmt.Printf("%d particles; %d draws of %v, mean of mu %.1f\n", len(res.Particles), set.Len(), set.Columns, mu.Mean)
	// Output:
	// 10 particles; 1000 draws of [lp__ particle__ mu], mean of mu 3.0
}

package autoguide_test

import (
	"context"
	"fmt"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/autoguide"
	"github.com/gostan/gostan/model"
)

// Fit a multivariate normal guide with gostan's defaults for it (the step
// size that did best on PosteriorDB, preconditioned at the mode), as
// `gostan variational --algorithm autoguide --guide mvn` does.
func ExampleSettings() {
	prog, err := compile.Source("mean.stan", []byte(`
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { mu ~ normal(0, 10); sigma ~ lognormal(0, 1); y ~ normal(mu, sigma); }
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
	set := autoguide.DefaultSettings("mvn")
	set.Steps, set.Draws = 5000, 4000
	res, err := set.SVI(set.Maker("mvn")).FitModel(context.Background(), 1, m, set.Steps-set.Warm, set.Draws, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	mean := 0.0
	for _, d := range res.Draws {
		mean += d[0] / float64(len(res.Draws))
	}
	fmt.Printf("lr %g, preconditioned %v; mean of mu %.1f from %d draws\n", set.LR, set.Precondition, mean, len(res.Draws))
	// Output:
	// lr 0.03, preconditioned true; mean of mu 3.0 from 4000 draws
}

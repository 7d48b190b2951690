package nuts_test

import (
	"context"
	"fmt"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
)

// Sample a compiled program with four chains of Stan's NUTS, two at a
// time, and summarise it: one column chain by chain, and stansummary's
// table.
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
	opts := nuts.DefaultOptions()
	opts.Seed, opts.Threads = 42, 2
	fit, err := nuts.Run(context.Background(), m, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	mu := fit.Draws("mu") // chain by chain
	fmt.Printf("%d chains: R-hat %.2f, bulk ESS above 1000: %v\n", len(mu), diag.Rhat(mu), diag.ESSBulk(mu) > 1000)
	s := fit.Summary().Params[0]
	fmt.Printf("%s: mean %.1f, sd %.1f\n", s.Name, s.Mean, s.SD)
	// Output:
	// 4 chains: R-hat 1.00, bulk ESS above 1000: true
	// mu: mean 3.0, sd 0.5
}

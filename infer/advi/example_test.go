package advi_test

import (
	"fmt"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/advi"
	"github.com/gostan/gostan/model"
)

// Fit Stan's meanfield ADVI to a normal mean: the approximation's mean is
// the posterior's, 12.1 / 4.01, and so is its draws'. Set holds the draws
// as CmdStan's variational output does (stancsv.WriteSet writes it).
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
	cfg := advi.DefaultConfig()
	cfg.Seed = 3
	res, err := advi.Run(m, cfg, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	set := res.Set()
	mu := set.Summary().Params[0]
	fmt.Printf("mean of mu %.1f, %d draws of %v, their mean %.1f\n", res.Mean[0], set.Len(), set.Columns, mu.Mean)
	// Output:
	// mean of mu 3.0, 1000 draws of [lp__ log_p__ log_g__ mu], their mean 3.0
}

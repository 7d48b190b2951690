package nuts_test

import (
	"fmt"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/diag"
	"github.com/gostan/gostan/infer/nuts"
	"github.com/gostan/gostan/model"
)

// Sample a compiled program with four chains of Stan's NUTS, two at a
// time, and summarise one column chain by chain.
func ExampleRunChains() {
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
	cfg := nuts.DefaultConfig()
	cfg.Seed = 42
	chains, err := nuts.RunChains(m, cfg, 4, 2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	mu := make([][]float64, len(chains))
	for c, ch := range chains {
		for _, d := range ch.Draws {
			mu[c] = append(mu[c], d[0])
		}
	}
	fmt.Printf("R-hat %.2f, bulk ESS above 1000: %v\n", diag.Rhat(mu), diag.ESSBulk(mu) > 1000)
	// Output:
	// R-hat 1.00, bulk ESS above 1000: true
}

package pathfinder_test

import (
	"fmt"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/pathfinder"
	"github.com/gostan/gostan/model"
)

// Multi-path Pathfinder with CmdStan's defaults on a normal mean: four
// L-BFGS paths, each's best Gaussian approximation, and 1000 draws
// resampled by PSIS; the posterior mean is 12.1 / 4.01. Set holds the
// draws as CmdStan's pathfinder output does (stancsv.WriteSet writes it).
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
	cfg := pathfinder.DefaultConfig()
	cfg.Seed = 1
	res, err := pathfinder.Run(m, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	set := res.Set()
	mu := set.Summary().Params[0]
	fmt.Printf("%d paths, %d draws of %v, mean of %s %.1f\n", len(res.Paths), set.Len(), set.Columns, mu.Name, mu.Mean)
	// Output:
	// 4 paths, 1000 draws of [lp_approx__ lp__ mu], mean of mu 3.0
}

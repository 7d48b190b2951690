package pathfinder_test

import (
	"fmt"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/pathfinder"
	"github.com/gostan/gostan/model"
)

// Multi-path Pathfinder with CmdStan's defaults on a normal mean: four
// L-BFGS paths, each's best Gaussian approximation, and 1000 draws
// resampled by PSIS; the posterior mean is 12.1 / 4.01.
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
	mean := 0.0
	for _, d := range res.Draws {
		mean += d[0] / float64(len(res.Draws))
	}
	fmt.Printf("%d paths, %d draws, mean of mu %.1f\n", len(res.Paths), len(res.Draws), mean)
	// Output:
	// 4 paths, 1000 draws, mean of mu 3.0
}

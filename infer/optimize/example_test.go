package optimize_test

import (
	"context"
	"fmt"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/model"
)

// Maximise a log density with Stan's L-BFGS: a correlated Gaussian whose
// mode is (1, -2).
func ExampleMaximize() {
	f := func(x, g []float64) (float64, error) {
		a, b := x[0]-1, x[1]+2
		g[0], g[1] = -2*a+b, a-4*b
		return -(a*a - a*b + 2*b*b), nil
	}
	cfg := optimize.DefaultConfig()
	cfg.Seed = 1
	res, err := optimize.Maximize(f, 2, cfg, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("mode (%.4f, %.4f), converged: %v\n", res.X[0], res.X[1], res.Code.OK())
	// Output:
	// mode (1.0000, -2.0000), converged: true
}

// Find a Stan program's mode as gostan optimize does: the penalized
// maximum likelihood estimate of a normal mean, 12.1 / 4.01, and its Set,
// the one row of CmdStan's optimize output (stancsv.WriteSet writes it).
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
	cfg := optimize.DefaultConfig()
	cfg.Seed = 1
	res, err := optimize.Run(context.Background(), m, cfg, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	set := res.Set()
	fmt.Printf("%v: mu %.4f (exact %.4f), lp__ %.4f\n", res.Code, set.Draws("mu")[0][0], 12.1/4.01, set.Draws("lp__")[0][0])
	// Output:
	// Convergence detected: gradient norm is below tolerance: mu 3.0175 (exact 3.0175), lp__ -0.6294
}

package laplace_test

import (
	"context"
	"fmt"
	"math"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/laplace"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/model"
)

// Find a program's mode with L-BFGS (the Jacobian included, as the Laplace
// approximation on the unconstrained scale needs), then draw from the
// normal approximation there: for a normal mean with known scale it is the
// exact posterior, sd 1/√(N + 1/10²). Set holds the draws as CmdStan's
// laplace output does (stancsv.WriteSet writes it).
func ExampleSampleContext() {
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
	ocfg := optimize.DefaultConfig()
	ocfg.Jacobian = true
	mode, err := optimize.Run(context.Background(), m, ocfg, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := laplace.DefaultConfig()
	cfg.Seed = 1
	res, err := laplace.SampleContext(context.Background(), m, mode.X, cfg, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	sd := 1 / res.Chol.At(0, 0) // (-H)^(-1/2) in one dimension
	set := res.Set()
	fmt.Printf("mode %.4f, sd %.4f (exact %.4f), %d draws of %v\n", mode.X[0], sd, 1/math.Sqrt(4+0.01), set.Len(), set.Columns)
	// Output:
	// mode 3.0175, sd 0.4994 (exact 0.4994), 1000 draws of [log_p__ log_q__ mu]
}

package optimize_test

import (
	"fmt"

	"github.com/gostan/gostan/infer/optimize"
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

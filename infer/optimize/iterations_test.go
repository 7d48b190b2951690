package optimize_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/infer/optimize"
	"github.com/gostan/gostan/model"
)

// TestSaveIterations: with SaveIterations the output holds a row per
// iterate, the initial point first and the mode last (the row written
// without it), lp__ climbing, for each algorithm; without it, one row.
func TestSaveIterations(t *testing.T) {
	prog, err := compile.Source("scale.stan", []byte(`
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { mu ~ normal(0, 10); sigma ~ lognormal(0, 1); y ~ normal(mu, sigma); }
generated quantities { real twice = 2 * mu; }
`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := prog.NewModel(model.Data{
		"N": {Elems: []float64{5}, Int: true},
		"y": {Dims: []int{5}, Elems: []float64{2.9, 3.4, 2.2, 3.6, 1.1}},
	}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, alg := range []optimize.Algorithm{optimize.LBFGS, optimize.BFGS, optimize.Newton} {
		cfg := optimize.DefaultConfig()
		cfg.Seed, cfg.Algorithm = 5, alg
		plain, err := optimize.Run(context.Background(), m, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg.SaveIterations = true
		res, err := optimize.Run(context.Background(), m, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		rows := res.Set().Chains[0]
		if len(plain.Set().Chains[0]) != 1 || len(rows) != res.Iter+1 || res.Iter < 3 {
			t.Fatalf("%v: %d rows after %d iterations", alg, len(rows), res.Iter)
		}
		if rows[0][0] != res.InitLogP || !slices.Equal(rows[len(rows)-1][:3], plain.Set().Chains[0][0][:3]) {
			t.Errorf("%v: first row %v (initial lp %v), last %v, mode %v", alg, rows[0], res.InitLogP, rows[len(rows)-1], plain.Set().Chains[0][0])
		}
		for k, r := range rows {
			if math.Abs(r[3]-2*r[1]) > 1e-12 {
				t.Errorf("%v row %d: generated quantity %v at mu %v", alg, k, r[3], r[1])
			}
			if k > 0 && r[0] < rows[k-1][0] {
				t.Errorf("%v: lp__ fell from %v to %v at iteration %d", alg, rows[k-1][0], r[0], k)
			}
		}
	}
}

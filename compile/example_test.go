package compile_test

import (
	"fmt"

	"github.com/gostan/gostan/compile"
	"github.com/gostan/gostan/model"
)

// Compile a program from its text, bind data, and evaluate the log density
// and its gradient on the unconstrained scale.
func ExampleSource() {
	prog, err := compile.Source("normal.stan", []byte(`
data { int N; vector[N] y; }
parameters { real mu; real<lower=0> sigma; }
model { y ~ normal(mu, sigma); }
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	data := model.Data{
		"N": {Elems: []float64{3}, Int: true},
		"y": {Dims: []int{3}, Elems: []float64{1.2, 0.4, 2.1}},
	}
	m, err := prog.NewModel(data, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	grad := make([]float64, m.Dim())
	// mu = 1, log(sigma) = 0: lp is -Σ(y - mu)²/2 (~ drops the constants)
	// plus the log Jacobian, log(sigma).
	lp, err := m.LogDensity([]float64{1, 0}, grad)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Names())
	fmt.Printf("lp = %.4f, grad = [%.4f %.4f]\n", lp, grad[0], grad[1])
	// Output:
	// [mu sigma]
	// lp = -0.8050, grad = [0.7000 -0.3900]
}

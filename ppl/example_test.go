package ppl_test

import (
	"fmt"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/ppl"
)

// A Go model as NumPyro writes one: a scale, a plate of means, observed
// data. NewPosterior makes it a model.Model on Stan's unconstrained scale,
// the log-Jacobian of sigma's log transform included, for any algorithm in
// infer.
func ExampleNewPosterior() {
	y := ppl.Consts(1.1, 2.3, 0.7)
	m := func(ctx *ppl.Ctx) {
		sigma := ctx.Sample("sigma", ppl.HalfNormal(ppl.Scalar(1)))
		var mu []ad.Var
		ctx.Plate("groups", 3, func() {
			mu = ctx.Sample("mu", ppl.Normal(ppl.Scalar(0), ppl.Scalar(5)))
		})
		ctx.Sample("y", ppl.Normal(mu, sigma), ppl.Obs(y))
	}
	p, err := ppl.NewPosterior(m, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	grad := make([]float64, p.Dim())
	lp, err := p.LogDensity([]float64{0, 1, 2, 1}, grad)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Names())
	fmt.Printf("lp %.4f\n", lp)
	// Output:
	// [sigma mu[1] mu[2] mu[3]]
	// lp -11.2827
}

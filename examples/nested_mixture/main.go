// Command nested_mixture compares two explanations of a data set with one
// enumerated discrete site: the label z says which component generated
// every observation, y ~ normal(mu, 1) or y ~ normal(mu + 3, 1), with
// mu ~ normal(0, 2) and P(z = 1) = 0.3. Nested sampling sums z out
// exactly, so log Z is the mixture's evidence, and the draws of z give its
// posterior probability.
//
//	go run ./examples/nested_mixture
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/gostan/gostan/ad"
	"github.com/gostan/gostan/contrib/nested"
	"github.com/gostan/gostan/model"
	"github.com/gostan/gostan/ppl"
)

// ys is the data: drawn with the shifted component and mu near 0.
var ys = []float64{2.6, 3.9, 2.2, 3.4, 4.1, 2.8}

func main() {
	ns := nested.New(ppl.Program(mixture), nested.Config{LivePoints: 400})
	if err := ns.Run(1, nil); err != nil {
		log.Fatal(err)
	}
	ns.PrintSummary(os.Stdout)
	fmt.Printf("P(z = 1 | y) = %.3f\n", labelProbability(ns, 2000))
}

// mixture is the model; the data are ys whatever the argument.
func mixture(model.Data) ppl.Model {
	y := ppl.Consts(ys...)
	return func(ctx *ppl.Ctx) {
		mu := ctx.Sample("mu", ppl.Normal(ppl.Scalar(0), ppl.Scalar(2)))
		z := ctx.Sample("z", ppl.Bernoulli(ppl.Scalar(0.3)), ppl.Enumerate())
		loc := ctx.T.Add(mu[0], ad.Const(3*z[0].Val))
		ctx.Sample("y", ppl.Normal([]ad.Var{loc}, ppl.Scalar(1)), ppl.Obs(y))
	}
}

// labelProbability is the share of n equally weighted draws with z = 1.
func labelProbability(ns *nested.Sampler, n int) float64 {
	col := -1
	for j, name := range ns.Result().Names {
		if name == "z" {
			col = j
		}
	}
	ones := 0.0
	for _, d := range ns.Samples(2, n) {
		ones += d[col]
	}
	return ones / float64(n)
}
